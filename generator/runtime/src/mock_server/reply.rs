//! The replies of the mock server: [`MockReply`], built by a test in the operation's own types,
//! and the reply it becomes once encoded for the server to send.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use super::http::Paced;
use super::stream::Answer;
use super::{Incoming, MockOperation};

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
///
/// For an operation whose success is a stream of items, `T` is the item's type:
/// [`MockReply::items`] answers with a stream of them, optionally
/// [`delay_between`](MockReply::delay_between) items.
#[must_use = "a reply does nothing until it is given to an operation of the mock server"]
pub struct MockReply<T> {
    content: Content<T>,
    headers: Vec<(HeaderName, HeaderValue)>,
    delay: Option<Duration>,
    between: Duration,
}

/// What a reply holds before it is encoded.
enum Content<T> {
    /// A successful response, with the spec's status for it (for a streamed answer, a stream
    /// of this one item).
    Success(T),
    /// A successful streamed answer with these items.
    Items(Vec<T>),
    /// Any status and body.
    Raw { status: u16, content_type: &'static str, body: Vec<u8> },
    /// The spec's example.
    Example,
}

impl<T> MockReply<T> {
    fn new(content: Content<T>) -> Self {
        MockReply { content, headers: Vec::new(), delay: None, between: Duration::ZERO }
    }

    /// A successful response with this value, and the status the spec gives success. For an
    /// operation that answers with a stream, a stream of this one item.
    pub fn success(value: T) -> Self {
        Self::new(Content::Success(value))
    }

    /// A successful streamed answer: these items, in the operation's framing (server-sent
    /// events, JSON lines or a JSON text sequence), then the operation's terminator if it has
    /// one (such as `[DONE]`). Only for an operation that answers with a stream.
    pub fn items(items: impl IntoIterator<Item = T>) -> Self {
        Self::new(Content::Items(items.into_iter().collect()))
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
    /// `501 Not Implemented` when the body has none). For a streamed answer, a stream without
    /// items (only the terminator, if the operation has one).
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

    /// Sends a streamed answer's items this far apart: the response's head and first item at
    /// once (after any [`delay`](MockReply::delay)), then each further item, and the
    /// terminator, after this pause. The body is written as it goes, so a client sees each item
    /// as soon as it is sent.
    pub fn delay_between(mut self, pause: Duration) -> Self {
        self.between = pause;
        self
    }

    /// The reply encoded for `answer` of `operation`, whose successful responses (or items)
    /// `encode` writes.
    ///
    /// # Panics
    ///
    /// When the reply is a stream of items and the answer is not a stream.
    #[track_caller]
    pub(super) fn prepare(self, operation: &MockOperation, answer: Answer, encode: fn(&T) -> Vec<u8>) -> Reply {
        let stream = operation.stream.as_ref().filter(|_| answer == Answer::Stream);
        let streamed = |items: Vec<Vec<u8>>| {
            let stream = stream?;
            let frames = stream.frames(items);
            let status = operation.status;
            Some(Ready::Frames(Frames { status, content_type: stream.media_type, frames, between: self.between }))
        };
        let ready = match self.content {
            Content::Success(value) => match streamed(vec![encode(&value)]) {
                Some(frames) => frames,
                None => Ready::Bytes(Bytes {
                    status: operation.status,
                    content_type: operation.content_type,
                    body: encode(&value),
                }),
            },
            Content::Items(items) => match streamed(items.iter().map(encode).collect()) {
                Some(frames) => frames,
                None => panic!("MockReply::items: `{}` does not answer with a stream of items", operation.id),
            },
            Content::Raw { status, content_type, body } => Ready::Bytes(Bytes { status, content_type, body }),
            Content::Example => return Reply { body: Body::Example, headers: self.headers, delay: self.delay },
        };
        let body = Body::Ready(ready);
        Reply { body, headers: self.headers, delay: self.delay }
    }
}

impl<T> fmt::Debug for MockReply<T> {
    /// The status and header names, never a body or a header value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let content = match &self.content {
            Content::Success(_) => "success".to_string(),
            Content::Items(items) => format!("{} items", items.len()),
            Content::Raw { status, .. } => status.to_string(),
            Content::Example => "example".to_string(),
        };
        let headers: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("MockReply")
            .field("content", &content)
            .field("headers", &headers)
            .field("delay", &self.delay)
            .field("delay_between", &self.between)
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
    Ready(Ready),
    Example,
    /// Worked out from each request (a page of a list).
    Computed(Compute),
}

/// A successful response worked out from the request it answers (such as the page of a list
/// the request asks for), or why the request is refused with `400 Bad Request`.
pub(crate) type Compute = Arc<dyn Fn(&Incoming<'_>) -> Result<Computed, String> + Send + Sync>;

/// What a [`Compute`] makes of a request: the body of a successful response (of the
/// operation's status and media type) and any headers.
pub(crate) struct Computed {
    pub body: Vec<u8>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

/// A body ready to send.
#[derive(Clone)]
enum Ready {
    Bytes(Bytes),
    Frames(Frames),
}

/// A status and a body of a media type (no body when the type is empty).
#[derive(Clone)]
struct Bytes {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

/// A status and a streamed body, sent frame by frame, `between` apart.
#[derive(Clone)]
struct Frames {
    status: u16,
    content_type: &'static str,
    frames: Vec<Vec<u8>>,
    between: Duration,
}

impl Reply {
    /// The spec's example, without headers or delay.
    pub(super) fn example() -> Self {
        Reply { body: Body::Example, headers: Vec::new(), delay: None }
    }

    /// A successful response that `compute` works out from each request.
    pub(super) fn computed(compute: Compute) -> Self {
        Reply { body: Body::Computed(compute), headers: Vec::new(), delay: None }
    }

    /// The reply to `request`, for `answer` of `operation`, with the operation's example filled
    /// in, or the status and reason of a refusal: the spec has no example for a body, or the
    /// reply worked out from the request refuses it.
    pub(super) fn resolve(
        self,
        operation: &MockOperation,
        answer: Answer,
        request: &Incoming<'_>,
    ) -> Result<Outgoing, (u16, String)> {
        let mut headers = self.headers;
        let body = match self.body {
            Body::Ready(ready) => ready,
            Body::Example => Ready::Bytes(example(operation, answer)?),
            Body::Computed(compute) => {
                let computed = compute(request).map_err(|reason| (400, format!("`{}`: {reason}", operation.id)))?;
                headers.extend(computed.headers);
                let (status, content_type) = (operation.status, operation.content_type);
                Ready::Bytes(Bytes { status, content_type, body: computed.body })
            }
        };
        Ok(Outgoing { body, headers, delay: self.delay })
    }
}

/// The spec's example of `answer`: its JSON example, no body for an operation without one, or
/// for a streamed answer, a stream of no items (only the terminator).
fn example(operation: &MockOperation, answer: Answer) -> Result<Bytes, (u16, String)> {
    if let Some(stream) = operation.stream.as_ref().filter(|_| answer == Answer::Stream) {
        let body = stream.frames([]).concat();
        return Ok(Bytes { status: operation.status, content_type: stream.media_type, body });
    }
    match operation.example {
        // A success without a body needs no example.
        _ if operation.content_type.is_empty() => {
            Ok(Bytes { status: operation.status, content_type: "", body: Vec::new() })
        }
        Some(example) => {
            Ok(Bytes { status: operation.status, content_type: "application/json", body: example.as_bytes().to_vec() })
        }
        None => {
            let reason = "has no example in the spec and no response was registered for it";
            Err((501, format!("`{}` {reason}", operation.id)))
        }
    }
}

/// What the server sends.
pub(super) struct Outgoing {
    body: Ready,
    headers: Vec<(HeaderName, HeaderValue)>,
    delay: Option<Duration>,
}

impl Outgoing {
    /// A plain-text response, such as a refusal's reason.
    pub(super) fn text(status: u16, text: String) -> Self {
        let bytes = Bytes { status, content_type: "text/plain; charset=utf-8", body: text.into_bytes() };
        Outgoing { body: Ready::Bytes(bytes), headers: Vec::new(), delay: None }
    }

    pub(super) fn status(&self) -> u16 {
        match &self.body {
            Ready::Bytes(bytes) => bytes.status,
            Ready::Frames(frames) => frames.status,
        }
    }

    /// The response the server sends, and how long it waits before sending it.
    pub(super) fn response(self) -> (Duration, hyper::Response<Paced>) {
        let (status, content_type, body) = match self.body {
            Ready::Bytes(Bytes { status, content_type, body }) => (status, content_type, Paced::whole(body)),
            Ready::Frames(Frames { status, content_type, frames, between }) => {
                (status, content_type, Paced::frames(frames, between))
            }
        };
        let mut response = hyper::Response::new(body);
        *response.status_mut() =
            hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        for (name, value) in self.headers {
            headers.append(name, value);
        }
        // The body's own type wins over a `Content-Type` the test added.
        match HeaderValue::from_str(content_type) {
            Ok(value) if !content_type.is_empty() => {
                headers.insert(reqwest::header::CONTENT_TYPE, value);
            }
            _ => {}
        }
        (self.delay.unwrap_or_default(), response)
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
