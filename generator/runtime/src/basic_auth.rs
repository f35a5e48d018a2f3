//! The `Authorization` value of HTTP basic authentication (RFC 7617).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// `Basic <base64 of username:password>`, marked sensitive; `None` when it cannot be sent in a
/// header.
pub fn basic_header(username: &str, password: &str) -> Option<reqwest::header::HeaderValue> {
    let encoded = STANDARD.encode(format!("{username}:{password}"));
    let mut value = reqwest::header::HeaderValue::from_str(&format!("Basic {encoded}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}
