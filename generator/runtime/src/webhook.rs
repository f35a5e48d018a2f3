//! What every webhook signature scheme shares: reading the headers of a delivery, the error a
//! refused delivery gives, and (for tests, with the `mock` feature) the deliveries the mock
//! makes.
//!
//! A receiver checks the signature over the raw body, as it arrived, before parsing it. The
//! schemes themselves are in `webhook_standard` (Standard Webhooks), `webhook_hmac` (a vendor
//! header holding an HMAC-SHA256) and `webhook_jwt` (a signed JWT whose key the API serves).

use std::fmt;

use crate::mismatch::Mismatch;

/// The headers of a webhook delivery, looked up by name in any case.
pub trait WebhookHeaders {
    /// The value of the header `name` (compared ignoring ASCII case), if present and text.
    fn header(&self, name: &str) -> Option<&str>;
}

impl WebhookHeaders for reqwest::header::HeaderMap {
    fn header(&self, name: &str) -> Option<&str> {
        // `HeaderMap` compares names in lower case already; a value that is not UTF-8 is absent.
        self.get(name).and_then(|value| value.to_str().ok())
    }
}

impl WebhookHeaders for [(&str, &str)] {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| *value)
    }
}

impl<const N: usize> WebhookHeaders for [(&str, &str); N] {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }
}

impl WebhookHeaders for [(String, String)] {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

impl WebhookHeaders for Vec<(String, String)> {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }
}

/// Why a webhook delivery was refused, or its body could not be read.
///
/// `Display` and `Debug` name headers and claims, never a secret, a signature, a token or any
/// byte of the body.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the scheme needs is absent (or not text).
    MissingHeader {
        /// The header's name.
        name: String,
    },
    /// A header the scheme needs cannot be read: not a number, not a token, not the expected
    /// encoding.
    MalformedHeader {
        /// The header's name.
        name: String,
    },
    /// No signature in the delivery matches the body with any of the secrets or the key.
    BadSignature,
    /// The delivery was signed too long ago, or claims to be signed in the future.
    Timestamp {
        /// Seconds between the signing time and now; negative when the signing time is in the
        /// future.
        age_seconds: i64,
        /// How old a delivery may be, in seconds.
        tolerance_seconds: u64,
    },
    /// The body does not have the digest the signed token states.
    BodyDigest,
    /// The delivery is signed with an algorithm, or the key is of a kind, this verifier does
    /// not accept.
    UnsupportedAlgorithm,
    /// The key the delivery names is unknown to the API, expired or unusable.
    UnknownKey,
    /// Fetching the key the delivery names from the API failed.
    KeyFetch(Box<crate::error::Error>),
    /// The key the delivery names is not kept and was not fetched: the API did not give it
    /// when asked moments ago (it was unknown, or fetching it failed), or keys have been
    /// fetched too often lately. It is asked for again after a while.
    KeyNotFetched,
    /// A signing secret given to the verifier is empty or not in its expected encoding.
    InvalidSecret,
    /// The body is not the JSON its type describes.
    Decode {
        /// Where in the body decoding failed, e.g. `data.items[0].id`; empty for the whole body.
        path: String,
        /// What kind of mismatch it was.
        mismatch: Mismatch,
    },
}

impl WebhookError {
    /// A body that did not decode, kept as the kind of mismatch only (no path).
    pub fn decode(error: serde_json::Error) -> Self {
        WebhookError::Decode { path: String::new(), mismatch: Mismatch::of(&error) }
    }

    /// A body that did not decode, with the path where decoding stopped.
    pub fn decode_at(error: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let path = error.path().to_string();
        let path = if path == "." { String::new() } else { path };
        WebhookError::Decode { path, mismatch: Mismatch::of(&error.into_inner()) }
    }

    /// A short name for the kind of refusal, safe to log or to use as a metric label.
    pub fn kind(&self) -> &'static str {
        match self {
            WebhookError::MissingHeader { .. } => "missing header",
            WebhookError::MalformedHeader { .. } => "malformed header",
            WebhookError::BadSignature => "bad signature",
            WebhookError::Timestamp { .. } => "timestamp",
            WebhookError::BodyDigest => "body digest",
            WebhookError::UnsupportedAlgorithm => "unsupported algorithm",
            WebhookError::UnknownKey => "unknown key",
            WebhookError::KeyFetch(_) => "key fetch",
            WebhookError::KeyNotFetched => "key not fetched",
            WebhookError::InvalidSecret => "invalid secret",
            WebhookError::Decode { .. } => "decode",
        }
    }

    /// A header that is absent.
    #[allow(dead_code, reason = "used by the signature schemes, which a crate may not have")]
    pub(crate) fn missing(name: &str) -> Self {
        WebhookError::MissingHeader { name: name.to_string() }
    }

    /// A header that cannot be read.
    #[allow(dead_code, reason = "used by the signature schemes, which a crate may not have")]
    pub(crate) fn malformed(name: &str) -> Self {
        WebhookError::MalformedHeader { name: name.to_string() }
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingHeader { name } => write!(f, "the webhook has no `{name}` header"),
            WebhookError::MalformedHeader { name } => write!(f, "the webhook's `{name}` header is malformed"),
            WebhookError::BadSignature => f.write_str("the webhook's signature does not match its body"),
            WebhookError::Timestamp { age_seconds, tolerance_seconds } if *age_seconds < 0 => write!(
                f,
                "the webhook is signed {} seconds in the future (tolerance {tolerance_seconds} seconds)",
                age_seconds.unsigned_abs()
            ),
            WebhookError::Timestamp { age_seconds, tolerance_seconds } => write!(
                f,
                "the webhook was signed {age_seconds} seconds ago, more than the tolerance of {tolerance_seconds} seconds"
            ),
            WebhookError::BodyDigest => f.write_str("the webhook's body does not have the digest its token states"),
            WebhookError::UnsupportedAlgorithm => f.write_str("the webhook is signed with an algorithm not accepted"),
            WebhookError::UnknownKey => f.write_str("the webhook names a signing key that is unknown or expired"),
            WebhookError::KeyFetch(error) => write!(f, "fetching the webhook's signing key failed: {error}"),
            WebhookError::KeyNotFetched => f.write_str(
                "the webhook names a signing key that was not fetched: the API did not give it moments ago, or keys were fetched too often lately",
            ),
            WebhookError::InvalidSecret => f.write_str("a webhook signing secret is empty or malformed"),
            WebhookError::Decode { path, mismatch } if path.is_empty() => {
                write!(f, "the webhook's body does not match its type: {mismatch}")
            }
            WebhookError::Decode { path, mismatch } => {
                write!(f, "the webhook's body does not match its type at `{path}`: {mismatch}")
            }
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::KeyFetch(error) => Some(error.as_ref()),
            _ => None,
        }
    }
}

/// Decodes a webhook body into its type, naming the path and kind of the first mismatch
/// (never a value). The body is decoded directly; only when that fails is it decoded again to
/// find the path.
pub fn decode_event<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    let first = match serde_json::from_slice::<T>(body) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => Err(WebhookError::decode_at(error)),
        Ok(_) => Err(WebhookError::decode(deserializer.end().err().unwrap_or(first))),
    }
}

/// Reads a webhook body as JSON, of whatever shape.
pub fn parse_json(body: &[u8]) -> Result<serde_json::Value, WebhookError> {
    decode_event(body)
}

/// The text of the top-level property `name` of a JSON object, if it has one.
#[allow(dead_code, reason = "called by `WebhookEvent::parse` of crates whose events are picked by a property")]
pub fn text_field<'a>(value: &'a serde_json::Value, name: &str) -> Option<&'a str> {
    value.get(name).and_then(serde_json::Value::as_str)
}

/// An event of a kind the crate does not know, kept as the JSON it arrived as.
///
/// `Debug` shows the names of its top-level properties, never a value.
#[derive(Clone, PartialEq)]
pub struct UnknownEvent(serde_json::Value);

impl UnknownEvent {
    /// Keeps an event's JSON.
    pub fn new(json: serde_json::Value) -> Self {
        UnknownEvent(json)
    }

    /// The event's JSON, whole. It may hold personal or financial data.
    pub fn json(&self) -> &serde_json::Value {
        &self.0
    }

    /// The event's JSON, whole and owned. It may hold personal or financial data.
    pub fn into_json(self) -> serde_json::Value {
        self.0
    }
}

impl fmt::Debug for UnknownEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            serde_json::Value::Object(properties) => {
                f.debug_struct("UnknownEvent").field("properties", &properties.keys().collect::<Vec<_>>()).finish()
            }
            _ => f.write_str("UnknownEvent(not an object)"),
        }
    }
}

/// The current time as seconds since the Unix epoch (negative before it, which a correct clock
/// never gives).
#[allow(dead_code, reason = "used by the signature schemes, which a crate may not have")]
pub fn now_seconds() -> i64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |seconds| -seconds),
    }
}

/// Checks that `signed_at` lies within `tolerance_seconds` of `now`, on either side.
#[allow(dead_code, reason = "used by the HMAC signature schemes, which a crate may not have")]
pub(crate) fn check_timestamp(signed_at: i64, now: i64, tolerance_seconds: u64) -> Result<(), WebhookError> {
    let age_seconds = now.saturating_sub(signed_at);
    if age_seconds.unsigned_abs() > tolerance_seconds {
        return Err(WebhookError::Timestamp { age_seconds, tolerance_seconds });
    }
    Ok(())
}

/// A delivery a test asks the mock to make, to see how the receiver answers it.
#[cfg(feature = "mock")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// Correctly signed, just now.
    Valid,
    /// Correctly signed, then one byte of the body changed.
    Tampered,
    /// Correctly signed, but with a signing time outside the tolerance (where the scheme signs
    /// one).
    Stale,
    /// Signed with another secret or key than the receiver's.
    WrongSecret,
    /// Without the signature header.
    Unsigned,
}

/// Sends a webhook delivery to `url` as a JSON `POST` with these headers and body, and returns
/// the HTTP status the receiver answered with.
#[cfg(feature = "mock")]
pub async fn post_delivery(
    url: &str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) -> Result<u16, crate::error::Error> {
    let mut request = reqwest::Client::new().post(url).header(reqwest::header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = request.body(body).send().await.map_err(crate::error::Error::transport)?;
    Ok(response.status().as_u16())
}

/// The JSON body the mock sends for an event.
///
/// Serializing cannot fail for the crate's event types (their maps have text keys, and no
/// `Serialize` impl of theirs returns an error), so a failure is a bug in this crate.
#[cfg(feature = "mock")]
pub fn event_body(event: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec(event).expect("the crate's event types serialize to JSON")
}

/// Changes one byte of a signed body (the middle one; an empty body gains one), as a tampered
/// delivery does.
#[cfg(feature = "mock")]
#[allow(dead_code, reason = "used by the signature schemes, which a crate may not have")]
pub(crate) fn tamper(mut body: Vec<u8>) -> Vec<u8> {
    match body.len() {
        0 => body.push(b' '),
        len => body[len / 2] ^= 0x01,
    }
    body
}

/// When a stale delivery was signed: twice the tolerance before `now`, and at least ten
/// minutes before it.
#[cfg(feature = "mock")]
#[allow(dead_code, reason = "used by the signature schemes, which a crate may not have")]
pub(crate) fn stale_time(now: i64, tolerance_seconds: u64) -> i64 {
    now.saturating_sub(i64::try_from(tolerance_seconds.saturating_mul(2).max(600)).unwrap_or(i64::MAX))
}
