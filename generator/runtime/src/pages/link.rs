//! The `Link` header (RFC 8288): the links it lists, and the one with `rel="next"`.

/// One link of a `Link` header (RFC 8288): its target as written (possibly relative) and its
/// relation types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The URI reference between `<` and `>`.
    pub target: String,
    /// The values of the first `rel` parameter, as written.
    pub relations: Vec<String>,
}

impl Link {
    /// Whether the link has this relation type (compared ignoring ASCII case).
    pub fn has_relation(&self, relation: &str) -> bool {
        self.relations.iter().any(|own| own.eq_ignore_ascii_case(relation))
    }
}

/// The target of the first link with `rel="next"` among all the `Link` headers.
pub fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get_all(reqwest::header::LINK)
        .iter()
        .flat_map(|value| parse_link_header(&String::from_utf8_lossy(value.as_bytes())))
        .find(|link| link.has_relation("next"))
        .map(|link| link.target)
}

/// The links of one `Link` header value. Malformed link values are skipped, never an error.
pub fn parse_link_header(value: &str) -> Vec<Link> {
    let mut links = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        if rest.is_empty() {
            return links;
        }
        let Some(after_bracket) = rest.strip_prefix('<') else {
            rest = split_unquoted(rest, b",").1;
            continue;
        };
        let Some(end) = after_bracket.find('>') else { return links };
        let (relations, after_link) = link_params(&after_bracket[end + 1..]);
        links.push(Link { target: after_bracket[..end].trim().to_owned(), relations });
        rest = after_link;
    }
}

/// Reads a link's parameters up to the comma that ends the link: the values of its first `rel`
/// parameter, and the text after the link.
fn link_params(mut rest: &str) -> (Vec<String>, &str) {
    let mut relations = None;
    loop {
        rest = rest.trim_start();
        match rest.as_bytes().first() {
            None => break,
            Some(b',') => {
                rest = &rest[1..];
                break;
            }
            Some(&first) => {
                let skip = usize::from(first == b';');
                let (param, after) = split_unquoted(&rest[skip..], b";,");
                if first == b';' && relations.is_none() {
                    relations = rel_values(param);
                }
                rest = after;
            }
        }
    }
    (relations.unwrap_or_default(), rest)
}

/// The relation types of a `rel` parameter (`rel=next` or `rel="next last"`), or `None` for
/// another parameter.
fn rel_values(param: &str) -> Option<Vec<String>> {
    let (name, value) = param.split_once('=')?;
    if !name.trim().eq_ignore_ascii_case("rel") {
        return None;
    }
    let value = value.trim();
    let value = match value.strip_prefix('"') {
        Some(quoted) => unquote(quoted),
        None => value.to_owned(),
    };
    Some(value.split_ascii_whitespace().map(str::to_owned).collect())
}

/// The text of a quoted string whose opening quote is already read, with `\` escapes undone.
fn unquote(quoted: &str) -> String {
    let mut text = String::new();
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => text.extend(chars.next()),
            c => text.push(c),
        }
    }
    text
}

/// Splits `text` at the first of `stops` outside a quoted string: the text before it, and the
/// rest from it on (empty when there is none).
fn split_unquoted<'a>(text: &'a str, stops: &[u8]) -> (&'a str, &'a str) {
    let bytes = text.as_bytes();
    let (mut quoted, mut index) = (false, 0);
    while index < bytes.len() {
        match bytes[index] {
            b'\\' if quoted => index += 1,
            b'"' => quoted = !quoted,
            byte if !quoted && stops.contains(&byte) => return text.split_at(index),
            _ => {}
        }
        index += 1;
    }
    (text, "")
}
