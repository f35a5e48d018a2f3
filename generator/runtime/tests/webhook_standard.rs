//! Standard Webhooks verification, with the scheme's published test vector.

mod webhook_support;

use std::time::Duration;

use client_runtime::webhook::WebhookError;
use client_runtime::webhook_standard::StandardWebhooks;
use webhook_support::assert_redacted;

// The published vector of Standard Webhooks' reference libraries.
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP: i64 = 1614265330;
const BODY: &[u8] = br#"{"test": 2432232314}"#;
const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
// Another valid secret: base64 of 24 other bytes.
const OTHER_SECRET: &str = "whsec_c2VjcmV0LW9mLWFub3RoZXItc2VuZGVyISE=";

fn headers(signature: &str) -> Vec<(String, String)> {
    vec![
        ("webhook-id".to_string(), ID.to_string()),
        ("webhook-timestamp".to_string(), TIMESTAMP.to_string()),
        ("webhook-signature".to_string(), signature.to_string()),
    ]
}

fn verifier() -> StandardWebhooks {
    StandardWebhooks::new(SECRET).unwrap()
}

/// Refuses, and checks the error shows neither the secret, the signature nor the body.
#[track_caller]
fn refused(verifier: &StandardWebhooks, headers: &[(String, String)], body: &[u8], now: i64) -> WebhookError {
    let error = verifier.verify_at(headers, body, now).unwrap_err();
    assert_redacted(error, &[SECRET, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "g0hM9SsE", OTHER_SECRET])
}

#[test]
fn the_published_vector_verifies() {
    verifier().verify_at(&headers(SIGNATURE), BODY, TIMESTAMP).unwrap();
    let unprefixed = StandardWebhooks::new("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    unprefixed.verify_at(&headers(SIGNATURE), BODY, TIMESTAMP + 10).unwrap();
}

#[test]
fn header_names_are_matched_in_any_case() {
    let mut map = reqwest::header::HeaderMap::new();
    map.insert("Webhook-Id", ID.parse().unwrap());
    map.insert("WEBHOOK-TIMESTAMP", TIMESTAMP.to_string().parse().unwrap());
    map.insert("Webhook-Signature", SIGNATURE.parse().unwrap());
    verifier().verify_at(&map, BODY, TIMESTAMP).unwrap();
    let timestamp = TIMESTAMP.to_string();
    let pairs = [("WEBHOOK-ID", ID), ("Webhook-Timestamp", timestamp.as_str()), ("webhook-SIGNATURE", SIGNATURE)];
    verifier().verify_at(&pairs, BODY, TIMESTAMP).unwrap();
    verifier().verify_at(&pairs[..], BODY, TIMESTAMP).unwrap();
}

#[test]
fn a_body_changed_by_one_byte_is_refused() {
    let mut body = BODY.to_vec();
    body[10] ^= 0x01;
    assert!(matches!(refused(&verifier(), &headers(SIGNATURE), &body, TIMESTAMP), WebhookError::BadSignature));
}

#[test]
fn another_secret_is_refused() {
    let other = StandardWebhooks::new(OTHER_SECRET).unwrap();
    assert!(matches!(refused(&other, &headers(SIGNATURE), BODY, TIMESTAMP), WebhookError::BadSignature));
}

#[test]
fn a_timestamp_outside_the_tolerance_is_refused_on_either_side() {
    let verifier = verifier();
    verifier.verify_at(&headers(SIGNATURE), BODY, TIMESTAMP + 300).unwrap();
    verifier.verify_at(&headers(SIGNATURE), BODY, TIMESTAMP - 300).unwrap();
    let late = refused(&verifier, &headers(SIGNATURE), BODY, TIMESTAMP + 301);
    assert!(matches!(late, WebhookError::Timestamp { age_seconds: 301, tolerance_seconds: 300 }), "{late:?}");
    let early = refused(&verifier, &headers(SIGNATURE), BODY, TIMESTAMP - 301);
    assert!(matches!(early, WebhookError::Timestamp { age_seconds: -301, tolerance_seconds: 300 }), "{early:?}");
    assert!(early.to_string().contains("in the future"), "{early}");
    let wide = verifier.tolerance(Duration::from_secs(3600));
    wide.verify_at(&headers(SIGNATURE), BODY, TIMESTAMP + 3000).unwrap();
}

#[test]
fn each_missing_header_is_named() {
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut headers = headers(SIGNATURE);
        headers.retain(|(key, _)| key != name);
        match refused(&verifier(), &headers, BODY, TIMESTAMP) {
            WebhookError::MissingHeader { name: missing } => assert_eq!(missing, name),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn a_header_that_is_not_utf8_counts_as_missing() {
    let mut map = reqwest::header::HeaderMap::new();
    map.insert("webhook-id", reqwest::header::HeaderValue::from_bytes(b"msg_\xff").unwrap());
    map.insert("webhook-timestamp", TIMESTAMP.to_string().parse().unwrap());
    map.insert("webhook-signature", SIGNATURE.parse().unwrap());
    let error = verifier().verify_at(&map, BODY, TIMESTAMP).unwrap_err();
    assert!(matches!(error, WebhookError::MissingHeader { ref name } if name == "webhook-id"), "{error:?}");
}

#[test]
fn malformed_headers_are_named() {
    let mut bad_time = headers(SIGNATURE);
    bad_time[1].1 = "yesterday".to_string();
    let error = refused(&verifier(), &bad_time, BODY, TIMESTAMP);
    assert!(matches!(error, WebhookError::MalformedHeader { ref name } if name == "webhook-timestamp"), "{error:?}");
    let error = refused(&verifier(), &headers("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), BODY, TIMESTAMP);
    assert!(matches!(error, WebhookError::MalformedHeader { ref name } if name == "webhook-signature"), "{error:?}");
}

#[test]
fn the_matching_signature_among_several_is_accepted() {
    let several = format!("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1,not*base64 v1a,ignored {SIGNATURE}");
    verifier().verify_at(&headers(&several), BODY, TIMESTAMP).unwrap();
    let none = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    assert!(matches!(refused(&verifier(), &headers(none), BODY, TIMESTAMP), WebhookError::BadSignature));
}

#[test]
fn the_second_of_two_rotated_secrets_is_accepted() {
    let rotating = StandardWebhooks::new(OTHER_SECRET).unwrap().with_secret(SECRET).unwrap();
    rotating.verify_at(&headers(SIGNATURE), BODY, TIMESTAMP).unwrap();
}

#[test]
fn a_secret_that_is_not_base64_is_refused() {
    for secret in ["whsec_not base64!", "whsec_", ""] {
        let error = assert_redacted(StandardWebhooks::new(secret).unwrap_err(), &["not base64!"]);
        assert!(matches!(error, WebhookError::InvalidSecret), "{error:?}");
    }
    assert!(matches!(verifier().with_secret("%%%"), Err(WebhookError::InvalidSecret)));
}

#[test]
fn debug_shows_no_secret() {
    let shown = format!("{:?}", verifier().with_secret(OTHER_SECRET).unwrap());
    assert_eq!(shown, "StandardWebhooks { secrets: 2, tolerance_seconds: 300 }");
}

#[test]
fn errors_show_no_body_data() {
    let body = webhook_support::body();
    let error = refused(&verifier(), &headers(SIGNATURE), &body, TIMESTAMP);
    assert!(matches!(error, WebhookError::BadSignature));
}

#[cfg(feature = "mock")]
mod mock {
    use client_runtime::webhook::{post_delivery, Delivery, WebhookError};
    use client_runtime::webhook_standard::StandardWebhooks;

    use super::{refused, verifier, BODY, ID, SIGNATURE, TIMESTAMP};
    use crate::webhook_support;

    #[test]
    fn signing_gives_the_published_vector() {
        assert_eq!(verifier().sign(ID, TIMESTAMP, BODY), SIGNATURE);
    }

    #[test]
    fn each_delivery_gets_its_answer() {
        let verifier = verifier();
        let body = webhook_support::body();
        let now = client_runtime::webhook::now_seconds();
        let answer = |delivery| {
            let (headers, delivered) = verifier.headers_for(delivery, "msg_1", &body);
            match delivery {
                Delivery::Valid => verifier.verify_at(&headers, &delivered, now).map_err(|error| error.kind()),
                _ => Err(refused(&verifier, &headers, &delivered, now).kind()),
            }
        };
        assert_eq!(answer(Delivery::Valid), Ok(()));
        assert_eq!(answer(Delivery::Tampered), Err("bad signature"));
        assert_eq!(answer(Delivery::Stale), Err("timestamp"));
        assert_eq!(answer(Delivery::WrongSecret), Err("bad signature"));
        assert_eq!(answer(Delivery::Unsigned), Err("missing header"));
    }

    #[tokio::test]
    async fn a_delivery_is_posted_as_signed() {
        let server = wiremock::MockServer::start().await;
        wiremock::Mock::given(wiremock::matchers::method("POST"))
            .respond_with(wiremock::ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let verifier = verifier();
        let (headers, body) = verifier.headers_for(Delivery::Valid, "msg_2", BODY);
        let status = post_delivery(&format!("{}/hooks", server.uri()), headers, body).await.unwrap();
        assert_eq!(status, 204);
        let received = server.received_requests().await.unwrap();
        let request = &received[0];
        assert_eq!(request.headers.get("content-type").unwrap(), "application/json");
        // wiremock's headers are `http`'s `HeaderMap`, which reqwest's is.
        let headers: &reqwest::header::HeaderMap = &request.headers;
        verifier.verify(headers, &request.body).unwrap();
        let other = StandardWebhooks::new(super::OTHER_SECRET).unwrap();
        assert!(matches!(other.verify(headers, &request.body), Err(WebhookError::BadSignature)));
    }
}
