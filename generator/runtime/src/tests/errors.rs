//! Decode errors and unexpected bodies: what they name, and that no value from a body reaches
//! `Display` or `Debug`.

use crate::client::REPORT_GET;
use crate::error::{Error, Mismatch, SensitiveBody};
use crate::response::{decode, Success};

/// A value that must never appear in error text.
const SENTINEL: &str = "SENTINEL-8d1c-owner-name";

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code, reason = "only decoded")]
struct Account {
    balance: f64,
    owner: String,
    kind: Kind,
}

#[derive(Debug, serde::Deserialize)]
enum Kind {
    Checking,
}

fn decode_error(body: &str) -> Error {
    let success = Success {
        status: reqwest::StatusCode::OK,
        headers: reqwest::header::HeaderMap::new(),
        request_id: None,
        body: body.as_bytes().to_vec(),
    };
    success.decoded(&REPORT_GET, decode::<Vec<Account>>).expect_err("the body does not decode")
}

fn assert_hidden(error: &Error) {
    let shown = format!("{error} | {error:?}");
    assert!(!shown.contains(SENTINEL), "a body value leaked: {shown}");
}

#[test]
fn a_value_of_the_wrong_type_is_named_by_kind_and_path_only() {
    let error = decode_error(&format!(r#"[{{"balance": "{SENTINEL}", "owner": "x", "kind": "Checking"}}]"#));
    let Error::Decode { path, mismatch, .. } = &error else { panic!("{error:?}") };
    assert_eq!(path, "[0].balance");
    assert_eq!(*mismatch, Mismatch::InvalidType { found: "string", expected: "f64".to_string() });
    assert_eq!(
        error.to_string(),
        "cannot decode the HTTP 200 OK response: [0].balance: found a JSON string, expected f64"
    );
    assert_hidden(&error);
    let body = error.sensitive_body().expect("the body is kept");
    assert!(body.excerpt().contains(SENTINEL) && body.decoder_message().is_some_and(|m| m.contains(SENTINEL)));
}

#[test]
fn an_unknown_variant_hides_the_variant() {
    let error = decode_error(&format!(r#"[{{"balance": 1, "owner": "x", "kind": "{SENTINEL}"}}]"#));
    assert!(matches!(&error, Error::Decode { mismatch: Mismatch::NoVariant, .. }), "{error:?}");
    assert_hidden(&error);
}

#[test]
fn a_missing_field_is_named() {
    let error = decode_error(&format!(r#"[{{"balance": 1, "owner": "{SENTINEL}"}}]"#));
    assert!(matches!(&error, Error::Decode { mismatch: Mismatch::MissingField { field }, .. } if field == "kind"));
    assert!(error.to_string().ends_with("[0]: the required property `kind` is missing"), "{error}");
    assert_hidden(&error);
}

#[test]
fn broken_json_gives_its_position() {
    let error = decode_error(&format!("[{{\"owner\": \"{SENTINEL}\" oops"));
    assert!(matches!(&error, Error::Decode { mismatch: Mismatch::Syntax { line: 1, .. }, .. }), "{error:?}");
    assert_hidden(&error);
    let error = decode_error(&format!("[] \"{SENTINEL}\""));
    assert!(matches!(&error, Error::Decode { mismatch: Mismatch::TrailingData, .. }), "{error:?}");
    assert_hidden(&error);
}

#[test]
fn mismatches_of_every_kind_keep_only_the_kind() {
    let cases: [(&str, Mismatch); 4] = [
        ("[1, 2]", Mismatch::InvalidType { found: "integer", expected: "struct Account".to_string() }),
        ("[null]", Mismatch::InvalidType { found: "null", expected: "struct Account".to_string() }),
        ("[[1.5]]", Mismatch::InvalidLength { expected: "struct Account with 3 elements".to_string() }),
        ("{}", Mismatch::InvalidType { found: "object", expected: "a sequence".to_string() }),
    ];
    for (body, expected) in cases {
        let Error::Decode { mismatch, .. } = decode_error(body) else { panic!("{body}") };
        assert_eq!(mismatch, expected, "{body}");
    }
}

#[test]
fn a_kept_body_is_cut_at_a_character_boundary() {
    let body = "é".repeat(400);
    let kept = SensitiveBody::new(body.as_bytes().to_vec());
    assert_eq!(kept.bytes(), body.as_bytes());
    assert!(kept.excerpt().ends_with('…') && kept.excerpt().len() <= 512 + '…'.len_utf8());
    assert_eq!(kept.len(), body.len());
    assert_eq!(format!("{kept:?}"), "SensitiveBody(800 bytes, not shown)");
    assert_eq!(kept.to_string(), "800 bytes, not shown");
}

#[test]
fn an_api_error_shows_only_its_declared_scalar_fields() {
    let body = serde_json::json!({
        "code": "INVALID_FIELD",
        "message": "user_id is malformed",
        "request_id": "req-1",
        "details": {"echo": SENTINEL},
        "owner_name": SENTINEL,
    });
    let error = Error::Api {
        status: reqwest::StatusCode::BAD_REQUEST,
        error: Box::new(serde_json::from_value(body).expect("an error object")),
        request_id: Some("req-1".to_string()),
        retry_after: None,
    };
    assert_eq!(
        error.to_string(),
        "the API returned an error (HTTP 400 Bad Request, request id req-1): code=INVALID_FIELD \
         message=user_id is malformed request_id=req-1"
    );
    assert_hidden(&error);
    assert!(format!("{error:?}").contains("code=INVALID_FIELD"), "{error:?}");
}

fn api_error_with_details() -> Error {
    let body = serde_json::json!({
        "code": "RATE_LIMITED",
        "message": "slow down",
        "details": {"echo": SENTINEL},
        "owner_name": SENTINEL,
    });
    Error::Api {
        status: reqwest::StatusCode::TOO_MANY_REQUESTS,
        error: Box::new(serde_json::from_value(body).expect("an error object")),
        request_id: None,
        retry_after: Some(std::time::Duration::from_secs(3)),
    }
}

#[test]
fn the_api_error_body_and_retry_after_are_public() {
    let error = api_error_with_details();
    assert_eq!(error.api_error().map(|body| body.code.as_str()), Some("RATE_LIMITED"));
    assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(3)));
    assert_eq!(decode_error("[]x").api_error(), None);
}

#[test]
fn a_passed_deadline_shows_its_last_error_as_that_error_shows_itself() {
    let error = Error::DeadlineExceeded {
        deadline: std::time::Duration::from_secs(2),
        attempts: 3,
        last_error: Some(Box::new(api_error_with_details())),
    };
    assert_eq!(error.status().map(|status| status.as_u16()), Some(429));
    assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(3)));
    assert!(error.api_error().is_some());
    assert_eq!(
        error.to_string(),
        "the call's deadline of 2s passed after 3 attempt(s); the last failure: the API returned an error \
         (HTTP 429 Too Many Requests): code=RATE_LIMITED message=slow down"
    );
    assert_hidden(&error);
    assert!(format!("{error:#?}").contains("code=RATE_LIMITED"), "{error:#?}");
    let source = std::error::Error::source(&error).expect("the last error");
    assert!(!format!("{source} {source:?}").contains(SENTINEL));
    let nested = Error::DeadlineExceeded {
        deadline: std::time::Duration::ZERO,
        attempts: 1,
        last_error: Some(Box::new(decode_error(&format!("[\"{SENTINEL}\"]")))),
    };
    assert_hidden(&nested);
    assert!(nested.sensitive_body().is_some_and(|body| body.bytes().ends_with(format!("{SENTINEL}\"]").as_bytes())));
}
