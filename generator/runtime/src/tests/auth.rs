//! Credentials: secrets, basic authentication and bearer tokens.

use crate::basic_auth::basic_header;
use crate::secret::Secret;
use crate::token::{bearer_header, Token, TokenError};

#[test]
fn secrets_never_print_and_compare_by_value() {
    let secret = Secret::new("hunter2");
    assert_eq!(format!("{secret} {secret:?}"), "[redacted] [redacted]");
    assert_eq!(secret, Secret::from("hunter2"));
    assert_ne!(secret, Secret::from("hunter3"));
    assert_ne!(secret, Secret::from("hunter22"));
    let json = serde_json::to_string(&secret).expect("serializes");
    assert_eq!(json, "\"hunter2\"");
    let back: Secret = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(back.expose(), "hunter2");
}

#[test]
fn basic_header_follows_rfc_7617() {
    let header = basic_header("Aladdin", "open sesame").expect("a header");
    assert_eq!(header.to_str().expect("ASCII"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    assert!(header.is_sensitive());
}

#[tokio::test]
async fn tokens_come_fixed_or_from_a_source_each_time() {
    let fixed = Token::Fixed(Secret::new("abc"));
    assert_eq!(fixed.header("token").await.expect("a header").to_str().expect("ASCII"), "Bearer abc");
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = calls.clone();
    let source = Token::Source(std::sync::Arc::new(move || {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async move { Ok::<_, TokenError>(Secret::new(format!("t{n}"))) }
    }));
    assert_eq!(source.header("token").await.expect("a header").to_str().expect("ASCII"), "Bearer t0");
    assert_eq!(source.header("token").await.expect("a header").to_str().expect("ASCII"), "Bearer t1");
    assert_eq!(format!("{fixed:?} {source:?}"), "Token::Fixed([redacted]) Token::Source(..)");
    assert!(bearer_header(&Secret::new("bad\ntoken")).is_none());
}
