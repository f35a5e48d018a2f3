//! A vendor's own HMAC-SHA256 scheme: one header holding the signature of the body (or of
//! `{timestamp}.{body}`, with the timestamp from another header), hex or base64, after an
//! optional prefix such as `sha256=`. The format is fixed when the crate is generated.

use std::fmt;

use aws_lc_rs::hmac;
use base64::Engine as _;

use crate::secret::Secret;
use crate::webhook::{check_timestamp, now_seconds, WebhookError, WebhookHeaders};

/// How a vendor sends its HMAC-SHA256 signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HmacFormat {
    /// The header holding the signature, e.g. `X-Hub-Signature-256`.
    pub header: &'static str,
    /// What comes before the signature in the header, e.g. `sha256=` (empty for nothing).
    pub prefix: &'static str,
    /// How the signature is written.
    pub encoding: SignatureEncoding,
    /// What is signed.
    pub signed: SignedContent,
    /// The header holding the signing time, in seconds since the Unix epoch. Required with
    /// [`SignedContent::TimestampDotBody`].
    pub timestamp_header: Option<&'static str>,
    /// How far the signing time may be from now, on either side, when it is signed.
    pub tolerance_seconds: u64,
}

/// How a signature is written in its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureEncoding {
    /// Hexadecimal digits, in either case.
    Hex,
    /// Standard base64, with padding.
    Base64,
}

/// What the HMAC is computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedContent {
    /// The raw body.
    Body,
    /// `{timestamp}.{body}`, the timestamp as the format's `timestamp_header` gives it; the
    /// timestamp is then checked against the format's tolerance too.
    TimestampDotBody,
}

/// Verifies deliveries signed in an [`HmacFormat`] with one or more secrets (several while a
/// secret is rotated: a signature made with any of them is accepted). The secret's text, as
/// bytes, is the HMAC key.
///
/// `Debug` shows the format and how many secrets it holds, never one of them.
#[derive(Clone)]
pub struct HmacVerifier {
    format: HmacFormat,
    keys: Vec<hmac::Key>,
}

impl HmacVerifier {
    /// A verifier of deliveries in `format`, signed with `secret`.
    pub fn new(format: HmacFormat, secret: impl Into<Secret>) -> Self {
        HmacVerifier { format, keys: vec![key_of(&secret.into())] }
    }

    /// Accepts signatures made with this secret too, as while rotating secrets.
    pub fn with_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.keys.push(key_of(&secret.into()));
        self
    }

    /// Checks a delivery's headers and raw body, as received, against the secrets and the
    /// current time.
    pub fn verify(&self, headers: &(impl WebhookHeaders + ?Sized), body: &[u8]) -> Result<(), WebhookError> {
        self.verify_at(headers, body, now_seconds())
    }

    /// Checks a delivery as [`HmacVerifier::verify`] does, at the time `now_unix_seconds`.
    ///
    /// The signature is checked before the signing time, so a [`WebhookError::Timestamp`]
    /// means that the delivery is authentic but too old (or too new). With
    /// [`SignedContent::TimestampDotBody`] and no `timestamp_header` in the format, every
    /// delivery is refused as missing a `timestamp` header.
    pub fn verify_at(
        &self,
        headers: &(impl WebhookHeaders + ?Sized),
        body: &[u8],
        now_unix_seconds: i64,
    ) -> Result<(), WebhookError> {
        let format = &self.format;
        let value = headers.header(format.header).ok_or_else(|| WebhookError::missing(format.header))?;
        let signature =
            value.trim().strip_prefix(format.prefix).ok_or_else(|| WebhookError::malformed(format.header))?;
        let signature = decode(format.encoding, signature).ok_or_else(|| WebhookError::malformed(format.header))?;
        let timestamp = match format.signed {
            SignedContent::Body => None,
            SignedContent::TimestampDotBody => Some(self.timestamp(headers)?),
        };
        let content = signed_content(timestamp, body);
        // `hmac::verify` compares in constant time.
        if !self.keys.iter().any(|key| hmac::verify(key, &content, &signature).is_ok()) {
            return Err(WebhookError::BadSignature);
        }
        match timestamp {
            Some(timestamp) => check_timestamp(timestamp, now_unix_seconds, format.tolerance_seconds),
            None => Ok(()),
        }
    }

    /// The signing time from the format's timestamp header.
    fn timestamp(&self, headers: &(impl WebhookHeaders + ?Sized)) -> Result<i64, WebhookError> {
        let name = self.format.timestamp_header.unwrap_or("timestamp");
        let text = self.format.timestamp_header.and_then(|name| headers.header(name));
        let text = text.ok_or_else(|| WebhookError::missing(name))?;
        text.trim().parse().map_err(|_| WebhookError::malformed(name))
    }
}

/// The HMAC key of a secret: its text as bytes.
fn key_of(secret: &Secret) -> hmac::Key {
    hmac::Key::new(hmac::HMAC_SHA256, secret.expose().as_bytes())
}

/// What is signed: the body, after `{timestamp}.` when the format signs a timestamp.
fn signed_content(timestamp: Option<i64>, body: &[u8]) -> Vec<u8> {
    let mut content = timestamp.map(|timestamp| format!("{timestamp}.").into_bytes()).unwrap_or_default();
    content.extend_from_slice(body);
    content
}

/// The bytes of a written signature, or `None` when it is not in its encoding.
fn decode(encoding: SignatureEncoding, text: &str) -> Option<Vec<u8>> {
    match encoding {
        SignatureEncoding::Base64 => base64::engine::general_purpose::STANDARD.decode(text).ok(),
        SignatureEncoding::Hex => {
            if text.len() % 2 != 0 {
                return None;
            }
            let digit = |byte: u8| char::from(byte).to_digit(16);
            text.as_bytes()
                .chunks_exact(2)
                .map(|pair| u8::try_from(digit(pair[0])? * 16 + digit(pair[1])?).ok())
                .collect()
        }
    }
}

impl fmt::Debug for HmacVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacVerifier").field("format", &self.format).field("secrets", &self.keys.len()).finish()
    }
}

#[cfg(feature = "mock")]
impl HmacVerifier {
    /// The header value (prefix and signature) of a delivery of `body` signed at `timestamp`
    /// with the first secret. The timestamp is left out when the format does not sign one.
    pub fn sign(&self, timestamp: i64, body: &[u8]) -> String {
        sign_with(&self.format, &self.keys[0], timestamp, body)
    }

    /// The headers and body of a delivery of `body` at the time `now`, made as `delivery`
    /// asks: for [`crate::webhook::Delivery::Stale`], signed twice the tolerance ago (and at
    /// least ten minutes ago), which only a format that signs a timestamp refuses; for
    /// [`crate::webhook::Delivery::WrongSecret`], with a random secret.
    pub fn headers_for(
        &self,
        delivery: crate::webhook::Delivery,
        body: &[u8],
        now: i64,
    ) -> (Vec<(String, String)>, Vec<u8>) {
        use crate::webhook::Delivery;
        let format = &self.format;
        let timestamp = match delivery {
            Delivery::Stale => crate::webhook::stale_time(now, format.tolerance_seconds),
            _ => now,
        };
        let signature = match delivery {
            Delivery::WrongSecret => sign_with(format, &random_key(), timestamp, body),
            _ => self.sign(timestamp, body),
        };
        let mut headers = Vec::new();
        if let Some(name) = format.timestamp_header {
            headers.push((name.to_string(), timestamp.to_string()));
        }
        if delivery != Delivery::Unsigned {
            headers.push((format.header.to_string(), signature));
        }
        let body = match delivery {
            Delivery::Tampered => crate::webhook::tamper(body.to_vec()),
            _ => body.to_vec(),
        };
        (headers, body)
    }
}

/// The header value of a delivery signed with `key` in `format`.
#[cfg(feature = "mock")]
fn sign_with(format: &HmacFormat, key: &hmac::Key, timestamp: i64, body: &[u8]) -> String {
    let timestamp = (format.signed == SignedContent::TimestampDotBody).then_some(timestamp);
    let tag = hmac::sign(key, &signed_content(timestamp, body));
    let signature = match format.encoding {
        SignatureEncoding::Base64 => base64::engine::general_purpose::STANDARD.encode(tag.as_ref()),
        SignatureEncoding::Hex => tag.as_ref().iter().map(|byte| format!("{byte:02x}")).collect(),
    };
    format!("{}{signature}", format.prefix)
}

/// A fresh random HMAC-SHA256 key, standing for a secret the receiver does not have.
///
/// # Panics
///
/// When the system has no random source.
#[cfg(feature = "mock")]
fn random_key() -> hmac::Key {
    hmac::Key::generate(hmac::HMAC_SHA256, &aws_lc_rs::rand::SystemRandom::new())
        .expect("the system random source is available")
}
