//! What the webhook tests share: a body holding a sentinel, and the check that an error shows
//! neither it nor any secret, signature or token.

use std::fmt::Write as _;

use client_runtime::webhook::WebhookError;

/// A string placed in test bodies that no error may show.
pub const SENTINEL: &str = "SENTINEL-7f3a9c";

/// A JSON body holding [`SENTINEL`].
pub fn body() -> Vec<u8> {
    format!(r#"{{"event":"ping","note":"{SENTINEL}","amount":1234567}}"#).into_bytes()
}

/// Checks that the error's `Display` and `Debug` (and those of its sources) contain none of
/// `secrets` nor the body's sentinel, and returns the error for further checks.
#[track_caller]
pub fn assert_redacted(error: WebhookError, secrets: &[&str]) -> WebhookError {
    let mut shown = format!("{error}\n{error:?}");
    let mut source = std::error::Error::source(&error);
    while let Some(inner) = source {
        let _ = write!(shown, "\n{inner}\n{inner:?}");
        source = inner.source();
    }
    for secret in secrets.iter().copied().chain([SENTINEL, "1234567"]) {
        assert!(!secret.is_empty());
        assert!(!shown.contains(secret), "the error shows {secret:?}: {shown}");
    }
    error
}
