//! The replies of the mock server: [`MockReply`], built by a test in the operation's own types,
//! and the reply it becomes once encoded for the server to send.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use super::MockOperation;

/// One reply of an operation of a [`MockServer`](super::MockServer), in the operation's own
/// types (`T` is its successful response's type), with any response headers and a delay.
///
/// Give it to `mock.<operation>().respond_with(reply)` to answer every later request with it,
/// or queue several with `respond_sequence([…])` / `respond_once(reply)` to answer the next
/// requests one each, in order.
///
/// ```ignore
/// use std::time::Duration;
/// // Throttled once, then the report, which arrives after 50 ms.
/// mock.get_report().respond_sequence([
///     MockReply::status(429).header("Retry-After", "1").header("x-request-id", "req-1"),
///     MockReply::success(report).delay(Duration::from_millis(50)),
/// ]);
/// ```
#[must_use = "a reply does nothing until it is given to an operation of the mock server"]
pub struct MockReply<T> {
    content: Content<T>,
    headers: Vec<(HeaderName, HeaderValue)>,
    delay: Option<Duration>,
}

/// What a reply holds before it is encoded.
enum Content<T> {
    /// A successful response, with the spec's status for it.
    Success(T),
    /// Any status and body.
    Raw { status: u16, content_type: &'static str, body: Vec<u8> },
    /// The spec's example.
    Example,
}

impl<T> MockReply<T> {
    fn new(content: Content<T>) -> Self {
        MockReply { content, headers: Vec::new(), delay: None }
    }

    /// A successful response with this value, and the status the spec gives success.
    pub fn success(value: T) -> Self {
        Self::new(Content::Success(value))
    }

    /// An error response with this status and one of the API's error bodies (the type of
    /// `Error::Api`'s body), e.g. an error that says a product is not ready yet.
    ///
    /// # Panics
    ///
    /// When `status` is not an HTTP status (100 to 999).
    #[track_caller]
    pub fn error(status: u16, body: &crate::api_error::ApiErrorBody) -> Self {
        Self::json(status, body)
    }

    /// A response with this status and any JSON body.
    ///
    /// # Panics
    ///
    /// When `status` is not an HTTP status (100 to 999).
    #[track_caller]
    pub fn json(status: u16, body: &impl serde::Serialize) -> Self {
        let body = serde_json::to_vec(body).unwrap_or_default();
        Self::new(Content::Raw { status: checked_status(status), content_type: "application/json", body })
    }

    /// A response with this status and exactly these bytes as its body, of this media type
    /// (e.g. `application/json`): a body written the way a server writes it (its spacing, its
    /// key order), to test code that keeps responses byte for byte, or one that does not match
    /// the spec, to test how a decoding failure is handled.
    ///
    /// # Panics
    ///
    /// When `status` is not an HTTP status (100 to 999).
    #[track_caller]
    pub fn bytes(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Self::new(Content::Raw { status: checked_status(status), content_type, body: body.into() })
    }

    /// A response with this status and no body, e.g. `429 Too Many Requests` or
    /// `503 Service Unavailable`.
    ///
    /// # Panics
    ///
    /// When `status` is not an HTTP status (100 to 999).
    #[track_caller]
    pub fn status(status: u16) -> Self {
        Self::new(Content::Raw { status: checked_status(status), content_type: "", body: Vec::new() })
    }

    /// The spec's example: its success status and the first example of its body (refused with
    /// `501 Not Implemented` when the body has none).
    pub fn example() -> Self {
        Self::new(Content::Example)
    }

    /// Adds a response header, e.g. `x-request-id`, a rate limit or `Retry-After`. Adding a
    /// header twice sends it twice.
    ///
    /// # Panics
    ///
    /// When `name` is not a valid header name or `value` not a valid header value.
    #[track_caller]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let Ok(header) = HeaderName::from_bytes(name.as_bytes()) else {
            panic!("MockReply::header: `{name}` is not a valid header name")
        };
        let Ok(value) = HeaderValue::from_str(value) else {
            panic!("MockReply::header: the value of `{name}` is not a valid header value")
        };
        self.headers.push((header, value));
        self
    }

    /// Sends the reply only after this long, so that a client's timeouts and deadlines can be
    /// tested. The request counts as received as soon as it arrives.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// The reply encoded for `operation`, whose successful responses `encode` writes.
    pub(super) fn prepare(self, operation: &MockOperation, encode: fn(&T) -> Vec<u8>) -> Reply {
        let body = match self.content {
            Content::Success(value) => Body::Bytes(Bytes {
                status: operation.status,
                content_type: operation.content_type,
                body: encode(&value),
            }),
            Content::Raw { status, content_type, body } => Body::Bytes(Bytes { status, content_type, body }),
            Content::Example => Body::Example,
        };
        Reply { body, headers: self.headers, delay: self.delay }
    }
}

impl<T> fmt::Debug for MockReply<T> {
    /// The status and header names, never a body or a header value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let content = match &self.content {
            Content::Success(_) => "success".to_string(),
            Content::Raw { status, .. } => status.to_string(),
            Content::Example => "example".to_string(),
        };
        let headers: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("MockReply")
            .field("content", &content)
            .field("headers", &headers)
            .field("delay", &self.delay)
            .finish()
    }
}

#[track_caller]
pub(super) fn checked_status(status: u16) -> u16 {
    match reqwest::StatusCode::from_u16(status) {
        Ok(_) => status,
        Err(_) => panic!("{status} is not an HTTP status"),
    }
}

/// A reply ready to send, but for the operation's example, looked up when it is sent.
#[derive(Clone)]
pub(super) struct Reply {
    body: Body,
    headers: Vec<(HeaderName, HeaderValue)>,
    delay: Option<Duration>,
}

#[derive(Clone)]
enum Body {
    Bytes(Bytes),
    Example,
}

/// A status and a body of a media type (no body when the type is empty).
#[derive(Clone)]
struct Bytes {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Reply {
    /// The spec's example, without headers or delay.
    pub(super) fn example() -> Self {
        Reply { body: Body::Example, headers: Vec::new(), delay: None }
    }

    /// The reply with the operation's example filled in, or the status and reason of a
    /// refusal when the spec has no example for a body.
    pub(super) fn resolve(self, operation: &MockOperation) -> Result<Outgoing, (u16, String)> {
        let bytes = match self.body {
            Body::Bytes(bytes) => bytes,
            // A success without a body needs no example.
            Body::Example if operation.content_type.is_empty() => {
                Bytes { status: operation.status, content_type: "", body: Vec::new() }
            }
            Body::Example => match operation.example {
                Some(example) => Bytes {
                    status: operation.status,
                    content_type: "application/json",
                    body: example.as_bytes().to_vec(),
                },
                None => {
                    let reason = "has no example in the spec and no response was registered for it";
                    return Err((501, format!("`{}` {reason}", operation.id)));
                }
            },
        };
        Ok(Outgoing { bytes, headers: self.headers, delay: self.delay })
    }
}

/// What the server sends.
pub(super) struct Outgoing {
    bytes: Bytes,
    headers: Vec<(HeaderName, HeaderValue)>,
    delay: Option<Duration>,
}

impl Outgoing {
    /// A plain-text response, such as a refusal's reason.
    pub(super) fn text(status: u16, text: String) -> Self {
        let bytes = Bytes { status, content_type: "text/plain; charset=utf-8", body: text.into_bytes() };
        Outgoing { bytes, headers: Vec::new(), delay: None }
    }

    pub(super) fn status(&self) -> u16 {
        self.bytes.status
    }

    /// The response wiremock sends.
    pub(super) fn template(self) -> wiremock::ResponseTemplate {
        let Bytes { status, content_type, body } = self.bytes;
        let mut template = wiremock::ResponseTemplate::new(status);
        for (name, value) in self.headers {
            template = template.append_header(name.as_str(), value.as_bytes());
        }
        if let Some(delay) = self.delay {
            template = template.set_delay(delay);
        }
        if content_type.is_empty() {
            return template;
        }
        template.set_body_raw(body, content_type)
    }
}

/// The successful response of a JSON operation.
#[allow(dead_code, reason = "the generated accessors of operations that return JSON use it")]
pub fn json_body<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// The successful response of a text operation (a `fn(&T)` with `T = String`).
#[allow(clippy::ptr_arg)]
#[allow(dead_code, reason = "the generated accessors of operations that return text use it")]
pub fn text_body(value: &String) -> Vec<u8> {
    value.as_bytes().to_vec()
}

/// The successful response of a bytes operation (a `fn(&T)` with `T = Vec<u8>`).
#[allow(clippy::ptr_arg)]
pub fn bytes_body(value: &Vec<u8>) -> Vec<u8> {
    value.to_vec()
}

/// The successful response of an operation without a body.
#[allow(dead_code, reason = "the generated accessors of operations that return no body use it")]
pub fn no_body(_: &()) -> Vec<u8> {
    Vec::new()
}
