//! What a response that was not what the spec describes leaves in an error: the kind of
//! [`Mismatch`] that stopped decoding (named by types and fields, never by a value), and the
//! [`SensitiveBody`] itself, kept whole for code that knows where it may put it.

use std::fmt;

/// How many bytes of a response body [`SensitiveBody::excerpt`] shows.
const BODY_EXCERPT_LIMIT: usize = 512;

/// What kind of mismatch stopped decoding a response body. It names types and fields from the
/// spec, never a value from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mismatch {
    /// The body is not well-formed JSON, or ends too early.
    Syntax {
        /// The line where the JSON breaks, from 1.
        line: usize,
        /// The column where the JSON breaks, from 1.
        column: usize,
    },
    /// A value of one JSON type where the spec expects another.
    InvalidType {
        /// The JSON type found, e.g. `string` or `null`.
        found: &'static str,
        /// What the spec's type expects, as the decoder describes it (e.g. `f64`).
        expected: String,
    },
    /// A value of the right JSON type that the type does not accept (e.g. a malformed date).
    InvalidValue {
        /// The JSON type found.
        found: &'static str,
        /// What the spec's type expects.
        expected: String,
    },
    /// An array or object with the wrong number of elements.
    InvalidLength {
        /// What the spec's type expects.
        expected: String,
    },
    /// A required property is absent.
    MissingField {
        /// The property's name.
        field: String,
    },
    /// A property appears twice.
    DuplicateField {
        /// The property's name.
        field: String,
    },
    /// A value none of a union's variants accepts, or a tag naming no variant.
    NoVariant,
    /// Something follows the JSON value.
    TrailingData,
    /// Any other mismatch; the decoder's message is only in [`SensitiveBody::decoder_message`].
    Other,
}

impl Mismatch {
    /// Sorts a `serde_json` error into a mismatch, keeping only what cannot come from the body.
    pub(crate) fn of(error: &serde_json::Error) -> Self {
        use serde_json::error::Category;
        if matches!(error.classify(), Category::Syntax | Category::Eof | Category::Io) {
            let message = error.to_string();
            if message.starts_with("trailing characters") {
                return Mismatch::TrailingData;
            }
            return Mismatch::Syntax { line: error.line(), column: error.column() };
        }
        let message = error.to_string();
        // serde_json appends the position; the text before it is serde's message.
        let message = match message.rfind(" at line ") {
            Some(end) => &message[..end],
            None => &message[..],
        };
        if let Some(rest) = message.strip_prefix("invalid type: ") {
            let (found, expected) = split_expected(rest);
            return Mismatch::InvalidType { found: json_kind(found), expected };
        }
        if let Some(rest) = message.strip_prefix("invalid value: ") {
            let (found, expected) = split_expected(rest);
            return Mismatch::InvalidValue { found: json_kind(found), expected };
        }
        if let Some(rest) = message.strip_prefix("invalid length ") {
            return Mismatch::InvalidLength { expected: split_expected(rest).1 };
        }
        if let Some(field) = message.strip_prefix("missing field `").and_then(|rest| rest.strip_suffix('`')) {
            return Mismatch::MissingField { field: field.to_string() };
        }
        if let Some(field) = message.strip_prefix("duplicate field `").and_then(|rest| rest.strip_suffix('`')) {
            return Mismatch::DuplicateField { field: field.to_string() };
        }
        if message.starts_with("unknown variant") || message.starts_with("data did not match any variant") {
            return Mismatch::NoVariant;
        }
        Mismatch::Other
    }
}

/// Splits `<found>, expected <what>` at the last `, expected `.
fn split_expected(text: &str) -> (&str, String) {
    match text.rfind(", expected ") {
        Some(at) => (&text[..at], text[at + ", expected ".len()..].to_string()),
        None => (text, String::new()),
    }
}

/// The kind of value serde describes as `found` (`string "…"`, `integer `5``, `map`, …),
/// without the value.
fn json_kind(found: &str) -> &'static str {
    const KINDS: [(&str, &str); 10] = [
        ("string", "string"),
        ("integer", "integer"),
        ("floating point", "number"),
        ("boolean", "boolean"),
        ("null", "null"),
        ("unit", "null"),
        ("map", "object"),
        ("sequence", "array"),
        ("character", "string"),
        ("byte array", "bytes"),
    ];
    KINDS.iter().find(|(prefix, _)| found.starts_with(prefix)).map_or("value", |(_, kind)| kind)
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::Syntax { line, column } => write!(f, "not valid JSON (line {line}, column {column})"),
            Mismatch::InvalidType { found, expected } => write!(f, "found a JSON {found}, expected {expected}"),
            Mismatch::InvalidValue { found, expected } => write!(f, "a JSON {found} that is not {expected}"),
            Mismatch::InvalidLength { expected } => write!(f, "wrong number of elements, expected {expected}"),
            Mismatch::MissingField { field } => write!(f, "the required property `{field}` is missing"),
            Mismatch::DuplicateField { field } => write!(f, "the property `{field}` appears twice"),
            Mismatch::NoVariant => f.write_str("a value that none of the spec's variants accepts"),
            Mismatch::TrailingData => f.write_str("more data after the JSON value"),
            Mismatch::Other => f.write_str("a value its type does not accept"),
        }
    }
}

/// A response body that was not what the spec describes, kept whole (byte for byte, as it
/// arrived) with the response's headers, for debugging or for storing. `Debug` and `Display`
/// print only its size.
///
/// **It may hold personal or financial data**: read it with [`SensitiveBody::bytes`] or
/// [`SensitiveBody::excerpt`] only where such data may go.
#[derive(Clone, PartialEq, Eq)]
pub struct SensitiveBody(Box<BodyText>);

/// What a [`SensitiveBody`] keeps (boxed, so that errors stay small).
#[derive(Clone, PartialEq, Eq)]
struct BodyText {
    bytes: Vec<u8>,
    excerpt: String,
    decoder_message: Option<String>,
    headers: reqwest::header::HeaderMap,
}

impl SensitiveBody {
    /// Keeps `body` (moved, not copied), with an excerpt of its first bytes cut at a character
    /// boundary.
    pub(crate) fn new(body: Vec<u8>) -> Self {
        let mut end = body.len().min(BODY_EXCERPT_LIMIT);
        while end < body.len() && end > 0 && (body[end] & 0b1100_0000) == 0b1000_0000 {
            end -= 1;
        }
        let mut excerpt = String::from_utf8_lossy(&body[..end]).into_owned();
        if end < body.len() {
            excerpt.push('…');
        }
        SensitiveBody(Box::new(BodyText {
            bytes: body,
            excerpt,
            decoder_message: None,
            headers: reqwest::header::HeaderMap::new(),
        }))
    }

    /// Keeps the headers of the response the body came with.
    pub(crate) fn with_headers(mut self, headers: reqwest::header::HeaderMap) -> Self {
        self.0.headers = headers;
        self
    }

    /// Keeps the decoder's message too (it quotes the value it rejected).
    pub(crate) fn with_decoder_message(mut self, message: String) -> Self {
        self.0.decoder_message = Some(message);
        self
    }

    /// The whole body, byte for byte as it arrived. **May hold personal or financial data.**
    pub fn bytes(&self) -> &[u8] {
        &self.0.bytes
    }

    /// The whole body, byte for byte as it arrived, owned. **May hold personal or financial
    /// data.**
    pub fn into_bytes(self) -> Vec<u8> {
        self.0.bytes
    }

    /// The first 512 bytes of the body, as text. **May hold personal or financial data.**
    pub fn excerpt(&self) -> &str {
        &self.0.excerpt
    }

    /// The decoder's own message, which may quote a value from the body. **May hold personal
    /// or financial data.**
    pub fn decoder_message(&self) -> Option<&str> {
        self.0.decoder_message.as_deref()
    }

    /// The headers of the response, as received, so that a response that did not decode can
    /// be stored whole. They may carry values of the caller's session (cookies, for one).
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.0.headers
    }

    /// The size of the whole body, in bytes.
    pub fn len(&self) -> usize {
        self.0.bytes.len()
    }

    /// Whether the body was empty.
    pub fn is_empty(&self) -> bool {
        self.0.bytes.is_empty()
    }
}

impl fmt::Debug for SensitiveBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SensitiveBody({} bytes, not shown)", self.len())
    }
}

impl fmt::Display for SensitiveBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes, not shown", self.len())
    }
}
