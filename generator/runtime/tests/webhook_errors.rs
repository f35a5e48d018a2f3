//! What a webhook error says: a body that does not decode names the path and the kind of
//! mismatch, never a value.

mod webhook_support;

use client_runtime::webhook::{decode_event, now_seconds, WebhookError};
use client_runtime::Mismatch;
use webhook_support::assert_redacted;

#[derive(Debug, serde::Deserialize)]
struct Event {
    #[allow(dead_code, reason = "only decoded")]
    items: Vec<Item>,
}

#[derive(Debug, serde::Deserialize)]
struct Item {
    #[allow(dead_code, reason = "only decoded")]
    amount: u32,
}

#[test]
fn a_body_that_does_not_decode_names_the_path_and_no_value() {
    let body = format!(r#"{{"items":[{{"amount":1}},{{"amount":"{}"}}]}}"#, webhook_support::SENTINEL);
    let error = assert_redacted(decode_event::<Event>(body.as_bytes()).unwrap_err(), &[]);
    match &error {
        WebhookError::Decode { path, mismatch: Mismatch::InvalidType { found: "string", .. } } => {
            assert_eq!(path, "items[1].amount");
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("at `items[1].amount`"), "{error}");
    let error = assert_redacted(decode_event::<Event>(&webhook_support::body()).unwrap_err(), &[]);
    assert!(
        matches!(error, WebhookError::Decode { mismatch: Mismatch::MissingField { ref field }, .. } if field == "items")
    );
    let error = decode_event::<Event>(br#"{"items":[]} trailing"#).unwrap_err();
    assert!(matches!(error, WebhookError::Decode { ref path, mismatch: Mismatch::TrailingData } if path.is_empty()));
    assert!(decode_event::<Event>(br#"{"items":[{"amount":7}]}"#).is_ok());
}

#[test]
fn a_serde_json_error_becomes_a_mismatch() {
    let error = serde_json::from_str::<Event>("{").unwrap_err();
    let error = WebhookError::decode(error);
    assert!(matches!(error, WebhookError::Decode { mismatch: Mismatch::Syntax { .. }, .. }));
    assert_eq!(error.kind(), "decode");
}

#[test]
fn refusals_read_as_sentences_naming_headers() {
    let cases = [
        (WebhookError::MissingHeader { name: "webhook-id".to_string() }, "the webhook has no `webhook-id` header"),
        (WebhookError::BadSignature, "the webhook's signature does not match its body"),
        (
            WebhookError::Timestamp { age_seconds: 400, tolerance_seconds: 300 },
            "the webhook was signed 400 seconds ago, more than the tolerance of 300 seconds",
        ),
    ];
    for (error, expected) in cases {
        assert_eq!(error.to_string(), expected);
    }
}

#[test]
fn now_is_after_2024() {
    assert!(now_seconds() > 1_704_067_200);
}

#[test]
fn an_unknown_event_keeps_its_json_and_shows_only_property_names() {
    let json = client_runtime::webhook::parse_json(&webhook_support::body()).unwrap();
    assert_eq!(client_runtime::webhook::text_field(&json, "event"), Some("ping"));
    assert_eq!(client_runtime::webhook::text_field(&json, "amount"), None);
    assert_eq!(client_runtime::webhook::text_field(&json, "absent"), None);
    let event = client_runtime::webhook::UnknownEvent::new(json.clone());
    let shown = format!("{event:?}");
    assert!(shown.starts_with("UnknownEvent { properties: ["), "{shown}");
    assert!(["\"event\"", "\"note\"", "\"amount\""].iter().all(|name| shown.contains(name)), "{shown}");
    assert!(!shown.contains("ping") && !shown.contains(webhook_support::SENTINEL), "{shown}");
    assert_eq!(event.json(), &json);
    assert_eq!(event.into_json(), json);
    let error = assert_redacted(client_runtime::webhook::parse_json(b"{\"a\":").unwrap_err(), &[]);
    assert!(matches!(error, WebhookError::Decode { mismatch: Mismatch::Syntax { .. }, .. }));
}
