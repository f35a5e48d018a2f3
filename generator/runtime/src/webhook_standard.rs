//! Standard Webhooks (<https://www.standardwebhooks.com>): an HMAC-SHA256 of
//! `{webhook-id}.{webhook-timestamp}.{body}`, sent base64-encoded in the `webhook-signature`
//! header as a space-separated list of `v1,<signature>`, with the signing time checked against a
//! tolerance.

use std::fmt;
use std::time::Duration;

use aws_lc_rs::hmac;
use base64::Engine as _;
use secrecy::{ExposeSecret as _, SecretSlice};
use subtle::ConstantTimeEq as _;

use crate::secret::Secret;
use crate::webhook::{check_timestamp, now_seconds, WebhookError, WebhookHeaders};

/// The header holding the delivery's unique id.
const ID_HEADER: &str = "webhook-id";
/// The header holding the signing time, in seconds since the Unix epoch.
const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// The header holding the signatures.
const SIGNATURE_HEADER: &str = "webhook-signature";
/// The prefix Standard Webhooks secrets are written with, before their base64.
const SECRET_PREFIX: &str = "whsec_";
/// How far the signing time may be from now unless told otherwise.
const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Verifies Standard Webhooks deliveries with one or more secrets (several while a secret is
/// rotated: a signature made with any of them is accepted).
///
/// `Debug` shows how many secrets it holds, never one of them.
#[derive(Clone)]
pub struct StandardWebhooks {
    keys: Vec<hmac::Key>,
    tolerance_seconds: u64,
}

impl StandardWebhooks {
    /// A verifier with one secret, written as Standard Webhooks gives it: `whsec_` followed by
    /// the base64 of the key (the prefix may be left out). Fails with
    /// [`WebhookError::InvalidSecret`] when the rest is not base64 or is empty.
    pub fn new(secret: impl Into<Secret>) -> Result<Self, WebhookError> {
        let key = parse_secret(&secret.into())?;
        Ok(StandardWebhooks { keys: vec![key], tolerance_seconds: DEFAULT_TOLERANCE.as_secs() })
    }

    /// Accepts signatures made with this secret too, as while rotating secrets.
    pub fn with_secret(mut self, secret: impl Into<Secret>) -> Result<Self, WebhookError> {
        self.keys.push(parse_secret(&secret.into())?);
        Ok(self)
    }

    /// How far the signing time may be from now, on either side (five minutes unless set).
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance_seconds = tolerance.as_secs();
        self
    }

    /// Checks a delivery's headers and raw body, as received, against the secrets and the
    /// current time.
    pub fn verify(&self, headers: &(impl WebhookHeaders + ?Sized), body: &[u8]) -> Result<(), WebhookError> {
        self.verify_at(headers, body, now_seconds())
    }

    /// Checks a delivery as [`StandardWebhooks::verify`] does, at the time `now_unix_seconds`.
    ///
    /// The signature is checked before the signing time, so a [`WebhookError::Timestamp`]
    /// means that the delivery is authentic but too old (or too new).
    pub fn verify_at(
        &self,
        headers: &(impl WebhookHeaders + ?Sized),
        body: &[u8],
        now_unix_seconds: i64,
    ) -> Result<(), WebhookError> {
        let id = headers.header(ID_HEADER).ok_or_else(|| WebhookError::missing(ID_HEADER))?;
        let timestamp = headers.header(TIMESTAMP_HEADER).ok_or_else(|| WebhookError::missing(TIMESTAMP_HEADER))?;
        let timestamp: i64 = timestamp.trim().parse().map_err(|_| WebhookError::malformed(TIMESTAMP_HEADER))?;
        let signatures = headers.header(SIGNATURE_HEADER).ok_or_else(|| WebhookError::missing(SIGNATURE_HEADER))?;
        let candidates = candidates(signatures)?;
        let content = signed_content(id, timestamp, body);
        let matches = self.keys.iter().any(|key| {
            let expected = hmac::sign(key, &content);
            // Every candidate is compared, in constant time, whichever matches.
            candidates.iter().fold(false, |found, candidate| found | bool::from(expected.as_ref().ct_eq(candidate)))
        });
        if !matches {
            return Err(WebhookError::BadSignature);
        }
        check_timestamp(timestamp, now_unix_seconds, self.tolerance_seconds)
    }
}

/// The key of a secret: its base64 after an optional `whsec_` prefix.
fn parse_secret(secret: &Secret) -> Result<hmac::Key, WebhookError> {
    let text = secret.expose().trim();
    let text = text.strip_prefix(SECRET_PREFIX).unwrap_or(text);
    let bytes: SecretSlice<u8> =
        base64::engine::general_purpose::STANDARD.decode(text).map_err(|_| WebhookError::InvalidSecret)?.into();
    if bytes.expose_secret().is_empty() {
        return Err(WebhookError::InvalidSecret);
    }
    Ok(hmac::Key::new(hmac::HMAC_SHA256, bytes.expose_secret()))
}

/// The decoded `v1` signatures of a `webhook-signature` header. Other versions (such as the
/// asymmetric `v1a`) and entries that are not base64 are left out; a header with no entry of
/// the form `<version>,<signature>` at all is malformed.
fn candidates(header: &str) -> Result<Vec<Vec<u8>>, WebhookError> {
    let entries: Vec<(&str, &str)> =
        header.split_ascii_whitespace().filter_map(|entry| entry.split_once(',')).collect();
    if entries.is_empty() {
        return Err(WebhookError::malformed(SIGNATURE_HEADER));
    }
    Ok(entries
        .into_iter()
        .filter(|(version, _)| *version == "v1")
        .filter_map(|(_, signature)| base64::engine::general_purpose::STANDARD.decode(signature).ok())
        .collect())
}

/// What is signed: `{id}.{timestamp}.{body}`.
fn signed_content(id: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
    let mut content = format!("{id}.{timestamp}.").into_bytes();
    content.extend_from_slice(body);
    content
}

impl fmt::Debug for StandardWebhooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StandardWebhooks")
            .field("secrets", &self.keys.len())
            .field("tolerance_seconds", &self.tolerance_seconds)
            .finish()
    }
}

#[cfg(feature = "mock")]
impl StandardWebhooks {
    /// The `webhook-signature` value (`v1,<base64>`) of a delivery, signed with the first
    /// secret.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        sign_with(&self.keys[0], id, timestamp, body)
    }

    /// The headers and body of a delivery of `body` with this id, made as `delivery` asks: for
    /// [`crate::webhook::Delivery::Stale`], signed twice the tolerance ago (and at least ten
    /// minutes ago); for [`crate::webhook::Delivery::WrongSecret`], with a random secret.
    pub fn headers_for(
        &self,
        delivery: crate::webhook::Delivery,
        id: &str,
        body: &[u8],
    ) -> (Vec<(String, String)>, Vec<u8>) {
        use crate::webhook::Delivery;
        let now = now_seconds();
        let timestamp = match delivery {
            Delivery::Stale => crate::webhook::stale_time(now, self.tolerance_seconds),
            _ => now,
        };
        let signature = match delivery {
            Delivery::WrongSecret => sign_with(&random_key(), id, timestamp, body),
            _ => self.sign(id, timestamp, body),
        };
        let mut headers =
            vec![(ID_HEADER.to_string(), id.to_string()), (TIMESTAMP_HEADER.to_string(), timestamp.to_string())];
        if delivery != Delivery::Unsigned {
            headers.push((SIGNATURE_HEADER.to_string(), signature));
        }
        let body = match delivery {
            Delivery::Tampered => crate::webhook::tamper(body.to_vec()),
            _ => body.to_vec(),
        };
        (headers, body)
    }
}

/// The `v1,<base64>` signature of a delivery with `key`.
#[cfg(feature = "mock")]
fn sign_with(key: &hmac::Key, id: &str, timestamp: i64, body: &[u8]) -> String {
    let tag = hmac::sign(key, &signed_content(id, timestamp, body));
    format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(tag.as_ref()))
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
