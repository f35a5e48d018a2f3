//! The request side of the mock server: which operation a method and path reach (with the
//! values of the path's parameters), and a request's parameters and body decoded into the
//! client's own types.

use serde_json::{Map, Value};

use super::http::RequestParts;
use super::MockOperation;
use crate::wire_text::{decode_json, TextKind};

/// A piece of an operation's path template, as the generator read it: literal text, or a
/// parameter (by its name on the wire) filling the rest of a segment up to the next literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPiece {
    Text(&'static str),
    #[allow(dead_code, reason = "the generated `mock.rs` writes it for operations with path parameters")]
    Param(&'static str),
}

/// The operation whose method and path template match, preferring templates with more literal
/// text (`/items/search` over `/items/{id}`), with the values of its path parameters.
pub(super) fn route<'o>(
    operations: &'o [MockOperation],
    method: &str,
    path: &str,
) -> Option<(usize, &'o MockOperation, PathValues)> {
    operations
        .iter()
        .enumerate()
        .filter(|(_, operation)| operation.method.eq_ignore_ascii_case(method))
        .filter_map(|(index, operation)| {
            match_template(operation.template, path).map(|values| (index, operation, values))
        })
        .max_by_key(|(_, operation, _)| literal_length(operation.template))
}

fn literal_length(template: &[PathPiece]) -> usize {
    template.iter().map(|piece| if let PathPiece::Text(text) = piece { text.len() } else { 0 }).sum()
}

/// The values of a path's parameters, by name.
pub(super) type PathValues = Vec<(&'static str, String)>;

/// Matches a path against a template: text must match as written, and a parameter takes the
/// rest of its segment up to the literal that follows it (at least one character). A trailing
/// `/` on either side does not count.
fn match_template(template: &'static [PathPiece], path: &str) -> Option<PathValues> {
    let mut rest = path.trim_end_matches('/');
    let mut values = Vec::new();
    for (index, piece) in template.iter().enumerate() {
        let last = index + 1 == template.len();
        match piece {
            PathPiece::Text(text) => {
                rest = strip_literal(rest, if last { text.trim_end_matches('/') } else { text })?;
            }
            PathPiece::Param(name) => {
                let segment = &rest[..rest.find('/').unwrap_or(rest.len())];
                let next_literal = match template.get(index + 1) {
                    Some(PathPiece::Text(next)) => next.split('/').next().unwrap_or_default(),
                    _ => "",
                };
                let taken = if next_literal.is_empty() {
                    segment.len()
                } else {
                    (1..=segment.len())
                        .filter(|&at| segment.is_char_boundary(at))
                        .find(|&at| strip_literal(&segment[at..], next_literal).is_some())?
                };
                if taken == 0 {
                    return None;
                }
                values.push((*name, percent_decode(&segment[..taken])?));
                rest = &rest[taken..];
            }
        }
    }
    rest.is_empty().then_some(values)
}

/// `rest` after the literal `text`, each byte of which may arrive as is or `%XX`-escaped (an
/// HTTP client escapes `{`, `}`, spaces and the like in a path).
fn strip_literal<'p>(rest: &'p str, text: &str) -> Option<&'p str> {
    let mut at = 0;
    for &byte in text.as_bytes() {
        let bytes = rest.as_bytes();
        if bytes.get(at) == Some(&byte) {
            at += 1;
        } else if bytes.get(at) == Some(&b'%')
            && rest.get(at + 1..at + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok()) == Some(byte)
        {
            at += 3;
        } else {
            return None;
        }
    }
    rest.get(at..)
}

/// A path segment with its `%XX` escapes decoded, if it is UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = (bytes[at] == b'%')
            .then(|| text.get(at + 1..at + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                at += 3;
            }
            None => {
                decoded.push(bytes[at]);
                at += 1;
            }
        }
    }
    String::from_utf8(decoded).ok()
}

/// Where a parameter travels.
#[allow(dead_code, reason = "the generated `mock.rs` names where its operations' parameters travel")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

/// How an array parameter is written on the wire.
#[allow(dead_code, reason = "the generated `mock.rs` names how its operations' parameters are written")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Items {
    /// A single value.
    One,
    /// `name=a&name=b`.
    Repeated,
    /// One value with this separator, e.g. `a,b`.
    Joined(char),
}

/// A parameter the mock decodes.
#[allow(dead_code, reason = "the generated `mock.rs` lists the parameters of operations that have them")]
pub struct MockParam {
    pub name: &'static str,
    pub location: Location,
    pub kind: TextKind,
    pub items: Items,
}

/// A request being checked, with the values of its path parameters.
pub struct Incoming<'r> {
    request: &'r RequestParts,
    path_params: PathValues,
}

impl<'r> Incoming<'r> {
    pub(super) fn new(request: &'r RequestParts, path_params: PathValues) -> Self {
        Incoming { request, path_params }
    }

    /// The body's bytes, empty when there are none.
    pub(crate) fn body(&self) -> &[u8] {
        &self.request.body
    }

    /// The first value of a header, if it is text.
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.request.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The request's URL (on `localhost` when the request named no host).
    #[allow(dead_code, reason = "the mock's paginated lists read it, in crates with pagers")]
    pub(crate) fn url(&self) -> &reqwest::Url {
        &self.request.url
    }

    /// Every value of a query parameter, decoded.
    pub(crate) fn query(&self, name: &str) -> Vec<String> {
        self.request.url.query_pairs().filter(|(key, _)| key == name).map(|(_, value)| value.into_owned()).collect()
    }

    /// A cookie's value.
    pub(super) fn cookie(&self, name: &str) -> Option<String> {
        self.request.headers.get_all("cookie").iter().filter_map(|value| value.to_str().ok()).find_map(|cookies| {
            cookies.split(';').find_map(|pair| {
                let (key, value) = pair.trim().split_once('=')?;
                (key == name).then(|| value.to_string())
            })
        })
    }
}

/// The request, decoded into the operation's types.
#[allow(dead_code, reason = "the generated checks read the parameters and the kind of body each operation takes")]
impl Incoming<'_> {
    /// The parameters, decoded into the operation's parameter type.
    pub fn params<T: serde::de::DeserializeOwned>(&self, params: &[MockParam]) -> Result<T, String> {
        let mut object = Map::new();
        for param in params {
            let texts: Vec<String> = match param.location {
                Location::Path => {
                    self.path_params.iter().filter(|(name, _)| *name == param.name).map(|(_, v)| v.clone()).collect()
                }
                Location::Query => self.query(param.name),
                Location::Header => self.header(param.name).map(str::to_string).into_iter().collect(),
                Location::Cookie => self.cookie(param.name).into_iter().collect(),
            };
            if texts.is_empty() {
                continue;
            }
            let convert = |text: &str| {
                param.kind.to_json(text).map_err(|expected| format!("parameter `{}`: expected {expected}", param.name))
            };
            let value = match param.items {
                Items::One => convert(&texts[0])?,
                Items::Repeated => Value::Array(texts.iter().map(|text| convert(text)).collect::<Result<_, _>>()?),
                Items::Joined(separator) => {
                    Value::Array(texts[0].split(separator).map(convert).collect::<Result<_, _>>()?)
                }
            };
            object.insert(param.name.to_string(), value);
        }
        decode_json(Value::Object(object)).map_err(|(path, mismatch)| format!("parameters: {path}: {mismatch}"))
    }

    /// A JSON body, decoded; `None` when the request has none.
    pub fn json_body<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, String> {
        if self.request.body.is_empty() {
            return Ok(None);
        }
        let value: Value = serde_json::from_slice(&self.request.body)
            .map_err(|error| format!("the body is not JSON (line {}, column {})", error.line(), error.column()))?;
        decode_json(value).map(Some).map_err(|(path, mismatch)| {
            let at = if path.is_empty() { String::new() } else { format!(" at `{path}`") };
            format!("the body{at}: {mismatch}")
        })
    }

    /// A form body (`application/x-www-form-urlencoded`), decoded; `None` when there is none.
    pub fn form_body<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, String> {
        if self.request.body.is_empty() {
            return Ok(None);
        }
        serde_urlencoded::from_bytes(&self.request.body)
            .map(Some)
            .map_err(|_| "the form body does not match the spec".to_string())
    }

    /// A text body; `None` when there is none.
    pub fn text_body(&self) -> Result<Option<String>, String> {
        if self.request.body.is_empty() {
            return Ok(None);
        }
        String::from_utf8(self.request.body.clone()).map(Some).map_err(|_| "the body is not UTF-8 text".to_string())
    }

    /// The body's bytes; `None` when there are none.
    pub fn bytes_body(&self) -> Option<Vec<u8>> {
        (!self.request.body.is_empty()).then(|| self.request.body.clone())
    }
}

/// A required body that is missing.
#[allow(dead_code, reason = "the generated checks call it for operations with a required body")]
pub fn missing_body() -> String {
    "the body is required but the request has none".to_string()
}

/// A request value that breaks a rule of the spec.
#[allow(dead_code, reason = "the generated checks call it for values with validation rules")]
pub fn invalid(part: &str, error: crate::validation::ValidationError) -> String {
    format!("invalid {part}, {error}")
}

#[cfg(test)]
mod tests {
    use super::{literal_length, match_template, PathPiece};

    use PathPiece::{Param, Text};

    #[test]
    fn templates_match_segments_and_literals_around_names() {
        let item: &[PathPiece] = &[Text("/items/"), Param("id")];
        assert_eq!(match_template(item, "/items/42"), Some(vec![("id", "42".to_string())]));
        assert_eq!(match_template(item, "/items/42/"), Some(vec![("id", "42".to_string())]));
        let receipt: &[PathPiece] = &[Text("/s/"), Param("store"), Text("/r/"), Param("receipt"), Text(".pdf")];
        assert_eq!(
            match_template(receipt, "/s/a%20b/r/7.pdf"),
            Some(vec![("store", "a b".to_string()), ("receipt", "7".to_string())])
        );
        assert_eq!(match_template(item, "/items"), None);
        assert_eq!(match_template(item, "/items/"), None);
        assert_eq!(match_template(item, "/items/4/2"), None);
        assert_eq!(match_template(&[Text("/r/"), Param("id"), Text(".pdf")], "/r/7.txt"), None);
        assert_eq!(match_template(&[Text("/")], "/"), Some(vec![]));
        assert_eq!(match_template(&[Text("/items/")], "/items"), Some(vec![]));
        assert!(literal_length(&[Text("/items/search")]) > literal_length(item));
    }

    /// Braces the generator read as text (`/a/{{id}}` is `/a/{`, the parameter `id`, `}`) are
    /// matched as text.
    #[test]
    fn braces_read_as_text_are_matched_as_text() {
        let odd: &[PathPiece] = &[Text("/a/{"), Param("id"), Text("}")];
        assert_eq!(match_template(odd, "/a/{7}"), Some(vec![("id", "7".to_string())]));
        assert_eq!(match_template(odd, "/a/%7B7%7D"), Some(vec![("id", "7".to_string())]));
        assert_eq!(match_template(odd, "/a/7"), None);
        assert_eq!(match_template(&[Text("/a b/"), Param("id")], "/a%20b/1"), Some(vec![("id", "1".to_string())]));
    }
}
