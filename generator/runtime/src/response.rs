//! Responses: reading one within the size limit, decoding a successful body, the request id
//! (from a header, the decoded value, or a look at the bytes when decoding failed), and
//! [`ApiResponse`], a decoded value together with the status, headers and raw body.

use std::borrow::Cow;
use std::fmt;

use crate::error::{Error, Mismatch, SensitiveBody};
use crate::transport::OperationInfo;

/// A request id a decoded body carries, such as a top-level `request_id` property. Read from
/// the value already decoded, so a body is never parsed twice.
pub(crate) trait BodyRequestId {
    /// The request id in the body, if the type has one.
    fn body_request_id(&self) -> Option<&str> {
        None
    }
}

impl BodyRequestId for () {}
impl BodyRequestId for bool {}
impl BodyRequestId for i32 {}
impl BodyRequestId for i64 {}
impl BodyRequestId for f32 {}
impl BodyRequestId for f64 {}
impl BodyRequestId for String {}
impl BodyRequestId for serde_json::Value {}
impl<T> BodyRequestId for Vec<T> {}
impl<K, V> BodyRequestId for std::collections::HashMap<K, V> {}
impl<K, V> BodyRequestId for std::collections::BTreeMap<K, V> {}

impl<T: BodyRequestId> BodyRequestId for Option<T> {
    fn body_request_id(&self) -> Option<&str> {
        self.as_ref().and_then(T::body_request_id)
    }
}

impl<T: BodyRequestId + ?Sized> BodyRequestId for Box<T> {
    fn body_request_id(&self) -> Option<&str> {
        T::body_request_id(self)
    }
}

/// A successful response of an operation: the decoded value together with the HTTP status, the
/// headers, the request id and the body exactly as it arrived. Every operation has a
/// `…_with_response` method that returns one, for code that must keep the response as received
/// (an audit trail, a store of reports) or read a header.
///
/// The value is decoded from the body in place; the body is not copied. The plain method of an
/// operation returns only the value.
///
/// **The body may hold personal or financial data**, like the value: `Debug` shows the status,
/// the request id, the header names and the body's size, never a header value, the body or the
/// value.
pub struct ApiResponse<T> {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    header_request_id: Option<String>,
    body: Vec<u8>,
    value: T,
    body_request_id: fn(&T) -> Option<&str>,
}

/// The parts of an [`ApiResponse`], taken apart with [`ApiResponse::into_parts`].
#[derive(Debug)]
#[non_exhaustive]
pub struct ResponseParts<T> {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The request id, from the headers or the decoded value.
    pub request_id: Option<String>,
    /// The body, byte for byte as it arrived.
    pub body: Vec<u8>,
    /// The decoded value.
    pub value: T,
}

impl<T> ApiResponse<T> {
    /// The HTTP status of the response.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The response headers. Their values may be sensitive (cookies, for one).
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The request id of the response: from an `X-Request-Id` or `Request-Id` header, else from
    /// the decoded body's top-level request id property, when its type has one.
    pub fn request_id(&self) -> Option<&str> {
        self.header_request_id.as_deref().or_else(|| (self.body_request_id)(&self.value))
    }

    /// The body, byte for byte as it arrived. **May hold personal or financial data.**
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text, with bytes that are not UTF-8 replaced (borrowed when it is valid
    /// UTF-8). **May hold personal or financial data.**
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, dropping the rest.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The body, byte for byte as it arrived, dropping the rest.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// The body as text, dropping the rest; bytes that are not UTF-8 are replaced.
    pub fn into_text(self) -> String {
        String::from_utf8(self.body).unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
    }

    /// Every part, owned.
    pub fn into_parts(self) -> ResponseParts<T> {
        let request_id = self.request_id().map(str::to_string);
        ResponseParts { status: self.status, headers: self.headers, request_id, body: self.body, value: self.value }
    }
}

impl<T> fmt::Debug for ApiResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiResponse")
            .field("status", &self.status)
            .field("request_id", &self.request_id())
            .field("headers", &HeaderNames(&self.headers))
            .field("body", &format_args!("{} bytes, not shown", self.body.len()))
            .finish_non_exhaustive()
    }
}

/// Shows the names of headers, never their values.
struct HeaderNames<'a>(&'a reqwest::header::HeaderMap);

impl fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

/// A successful response, read in full.
#[derive(Debug)]
pub(crate) struct Success {
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    /// The request id from the response's headers.
    pub request_id: Option<String>,
    pub body: Vec<u8>,
}

impl Success {
    /// The response with its decoded value, or the decode error holding the body.
    pub(crate) fn decoded<T: BodyRequestId>(
        self,
        operation: &OperationInfo,
        decode: impl FnOnce(reqwest::StatusCode, &[u8]) -> Result<T, DecodeFailure>,
    ) -> Result<ApiResponse<T>, Error> {
        match decode(self.status, &self.body) {
            Ok(value) => Ok(ApiResponse {
                status: self.status,
                headers: self.headers,
                header_request_id: self.request_id,
                body: self.body,
                value,
                body_request_id: T::body_request_id,
            }),
            Err(failure) => {
                let request_id = self
                    .request_id
                    .or_else(|| operation.request_id_property.and_then(|name| peek_request_id(&self.body, name)));
                Err(Error::Decode {
                    status: self.status,
                    path: failure.path,
                    mismatch: failure.mismatch,
                    request_id,
                    body: SensitiveBody::new(self.body)
                        .with_headers(self.headers)
                        .with_decoder_message(failure.message),
                })
            }
        }
    }
}

/// Reads a response within `limit` bytes and sorts it into success or error. An error body is
/// decoded once, and its request id (when the headers carry none) read from the decoded value.
pub(crate) async fn read_response(
    response: reqwest::Response,
    limit: usize,
    operation: &OperationInfo,
) -> Result<Success, Error> {
    let status = response.status();
    let read = read_whole(response, limit).await?;
    if status.is_success() {
        return Ok(Success { status, headers: read.headers, request_id: read.request_id, body: read.body });
    }
    Err(read.into_error(operation))
}

/// A response read in full, before it is sorted into success or error.
pub(crate) struct Whole {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    /// The request id from the headers.
    request_id: Option<String>,
    retry_after: Option<std::time::Duration>,
    body: Vec<u8>,
}

/// Reads a response's body within `limit` bytes.
pub(crate) async fn read_whole(mut response: reqwest::Response, limit: usize) -> Result<Whole, Error> {
    let status = response.status();
    let request_id = header_request_id(response.headers());
    let retry_after = crate::retry::retry_after(response.headers());
    let length = response.content_length();
    if length.is_some_and(|length| length > limit as u64) {
        return Err(Error::ResponseTooLarge { status, limit });
    }
    let headers = std::mem::take(response.headers_mut());
    // Sized once when the length is announced (and within the limit, checked above).
    let mut body = Vec::with_capacity(length.map_or(0, |length| length as usize));
    while let Some(chunk) = response.chunk().await.map_err(Error::transport)? {
        if body.len() + chunk.len() > limit {
            return Err(Error::ResponseTooLarge { status, limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Whole { status, headers, request_id, retry_after, body })
}

impl Whole {
    /// The error an error status is: the operation's error body decoded ([`Error::Api`]), or
    /// the body kept as it came ([`Error::UnexpectedStatus`]).
    pub(crate) fn into_error(self, operation: &OperationInfo) -> Error {
        let Whole { status, headers, request_id, retry_after, body } = self;
        match (operation.decode_error)(status, &body) {
            Some(error) => {
                let request_id = request_id.or_else(|| error.body_request_id().map(str::to_string));
                Error::Api { status, error: Box::new(error), request_id, retry_after }
            }
            None => Error::UnexpectedStatus {
                status,
                request_id,
                retry_after,
                body: SensitiveBody::new(body).with_headers(headers),
            },
        }
    }
}

/// Why a successful body did not decode: where, what kind of mismatch, and the decoder's own
/// message (which may quote the body, so it goes only into [`SensitiveBody`]).
#[derive(Debug)]
pub(crate) struct DecodeFailure {
    pub path: String,
    pub mismatch: Mismatch,
    pub message: String,
}

/// Decodes a successful JSON body, naming the path and kind of the first mismatch (never the
/// value).
///
/// The body is decoded directly, at serde's full speed; only when that fails is it decoded
/// again through `serde_path_to_error` to find the path (tracking the path on every decode cost
/// a third of a small call's time).
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    _status: reqwest::StatusCode,
    body: &[u8],
) -> Result<T, DecodeFailure> {
    let first = match serde_json::from_slice::<T>(body) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let fail = |path: String, error: serde_json::Error| DecodeFailure {
        path,
        mismatch: Mismatch::of(&error),
        message: error.to_string(),
    };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => Err(fail(error.path().to_string(), error.into_inner())),
        Ok(_) => match deserializer.end() {
            Err(error) => Err(fail(String::new(), error)),
            Ok(()) => Err(fail(String::new(), first)),
        },
    }
}

/// For responses whose body is not decoded (text, bytes, none): the value is `()`.
#[allow(dead_code, reason = "used by operations whose response body is not JSON")]
pub(crate) fn no_value(_status: reqwest::StatusCode, _body: &[u8]) -> Result<(), DecodeFailure> {
    Ok(())
}

/// A request id from the usual response headers.
pub(crate) fn header_request_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
    ["x-request-id", "request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
}

/// The text value of the top-level property `property` of a JSON object body, read without
/// decoding the rest: for a body that failed to decode, whose request id would otherwise be lost.
/// Stops at the property, so a body broken further on still gives it.
pub(crate) fn peek_request_id(body: &[u8], property: &str) -> Option<String> {
    let mut found = None;
    let seek = Seek { property, found: &mut found };
    // An error after the property was read (or before, for a body that is not an object) only
    // means there is nothing more to find.
    let _ = serde::de::DeserializeSeed::deserialize(seek, &mut serde_json::Deserializer::from_slice(body));
    found
}

/// Looks through the keys of one JSON object for a property, skipping every other value.
struct Seek<'a> {
    property: &'a str,
    found: &'a mut Option<String>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == self.property {
                *self.found = map.next_value::<Option<String>>()?;
                return Ok(());
            }
            map.next_value::<serde::de::IgnoredAny>()?;
        }
        Ok(())
    }
}
