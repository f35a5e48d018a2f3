//! Vendor HMAC-SHA256 verification, with vectors computed by Python's `hmac` module.

mod webhook_support;

use client_runtime::webhook::WebhookError;
use client_runtime::webhook_hmac::{HmacFormat, HmacVerifier, SignatureEncoding, SignedContent};
use webhook_support::assert_redacted;

/// GitHub's format: the hex HMAC of the body after `sha256=`.
const GITHUB: HmacFormat = HmacFormat {
    header: "X-Hub-Signature-256",
    prefix: "sha256=",
    encoding: SignatureEncoding::Hex,
    signed: SignedContent::Body,
    timestamp_header: None,
    tolerance_seconds: 300,
};
// GitHub's documented example:
// hmac.new(b"It's a Secret to Everybody", b"Hello, World!", hashlib.sha256).hexdigest()
const GITHUB_SECRET: &str = "It's a Secret to Everybody";
const GITHUB_BODY: &[u8] = b"Hello, World!";
const GITHUB_SIGNATURE: &str = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

/// A format signing `{timestamp}.{body}`, in base64.
const TIMESTAMPED: HmacFormat = HmacFormat {
    header: "X-Signature",
    prefix: "",
    encoding: SignatureEncoding::Base64,
    signed: SignedContent::TimestampDotBody,
    timestamp_header: Some("X-Timestamp"),
    tolerance_seconds: 300,
};
// base64.b64encode(hmac.new(b"shh-vendor-secret", b'1700000000.{"event":"ping"}',
//                           hashlib.sha256).digest())
const VENDOR_SECRET: &str = "shh-vendor-secret";
const VENDOR_TIMESTAMP: i64 = 1_700_000_000;
const VENDOR_BODY: &[u8] = br#"{"event":"ping"}"#;
const VENDOR_SIGNATURE: &str = "ffYwhcMLGgy21nE24VDGbfF6GUKRxYE7SH51QdLEMoI=";

const SECRETS: [&str; 4] = [GITHUB_SECRET, VENDOR_SECRET, "757107ea0eb2509f", "ffYwhcMLGgy21nE24"];

fn github(signature: &str) -> Vec<(String, String)> {
    vec![("x-hub-signature-256".to_string(), signature.to_string())]
}

fn vendor(timestamp: &str, signature: &str) -> Vec<(String, String)> {
    vec![("x-timestamp".to_string(), timestamp.to_string()), ("x-signature".to_string(), signature.to_string())]
}

#[track_caller]
fn refused(verifier: &HmacVerifier, headers: &[(String, String)], body: &[u8], now: i64) -> WebhookError {
    assert_redacted(verifier.verify_at(headers, body, now).unwrap_err(), &SECRETS)
}

#[test]
fn a_hex_signature_of_the_body_verifies_in_either_case() {
    let verifier = HmacVerifier::new(GITHUB, GITHUB_SECRET);
    verifier.verify_at(&github(GITHUB_SIGNATURE), GITHUB_BODY, 0).unwrap();
    verifier.verify(&github(&GITHUB_SIGNATURE.to_uppercase().replace("SHA256=", "sha256=")), GITHUB_BODY).unwrap();
}

#[test]
fn a_base64_signature_of_the_timestamp_and_body_verifies() {
    let verifier = HmacVerifier::new(TIMESTAMPED, VENDOR_SECRET);
    verifier.verify_at(&vendor("1700000000", VENDOR_SIGNATURE), VENDOR_BODY, VENDOR_TIMESTAMP + 60).unwrap();
}

#[test]
fn a_body_changed_by_one_byte_is_refused() {
    let verifier = HmacVerifier::new(GITHUB, GITHUB_SECRET);
    assert!(matches!(refused(&verifier, &github(GITHUB_SIGNATURE), b"Hello, World?", 0), WebhookError::BadSignature));
    let verifier = HmacVerifier::new(TIMESTAMPED, VENDOR_SECRET);
    let headers = vendor("1700000000", VENDOR_SIGNATURE);
    let error = refused(&verifier, &headers, br#"{"event":"pinG"}"#, VENDOR_TIMESTAMP);
    assert!(matches!(error, WebhookError::BadSignature));
    // The timestamp is signed too.
    let error = refused(&verifier, &vendor("1700000001", VENDOR_SIGNATURE), VENDOR_BODY, VENDOR_TIMESTAMP);
    assert!(matches!(error, WebhookError::BadSignature));
}

#[test]
fn another_secret_is_refused() {
    let verifier = HmacVerifier::new(GITHUB, "It's a secret to everybody");
    assert!(matches!(refused(&verifier, &github(GITHUB_SIGNATURE), GITHUB_BODY, 0), WebhookError::BadSignature));
}

#[test]
fn the_second_of_two_rotated_secrets_is_accepted() {
    let verifier = HmacVerifier::new(GITHUB, "the old secret").with_secret(GITHUB_SECRET);
    verifier.verify_at(&github(GITHUB_SIGNATURE), GITHUB_BODY, 0).unwrap();
    assert_eq!(format!("{verifier:?}").matches("secret").count(), 1, "{verifier:?}");
    assert!(format!("{verifier:?}").contains("secrets: 2"));
}

#[test]
fn a_timestamp_outside_the_tolerance_is_refused_on_either_side() {
    let verifier = HmacVerifier::new(TIMESTAMPED, VENDOR_SECRET);
    let headers = vendor("1700000000", VENDOR_SIGNATURE);
    verifier.verify_at(&headers, VENDOR_BODY, VENDOR_TIMESTAMP - 300).unwrap();
    let late = refused(&verifier, &headers, VENDOR_BODY, VENDOR_TIMESTAMP + 301);
    assert!(matches!(late, WebhookError::Timestamp { age_seconds: 301, tolerance_seconds: 300 }), "{late:?}");
    let early = refused(&verifier, &headers, VENDOR_BODY, VENDOR_TIMESTAMP - 1000);
    assert!(matches!(early, WebhookError::Timestamp { age_seconds: -1000, .. }), "{early:?}");
}

#[test]
fn each_missing_header_is_named() {
    let error = refused(&HmacVerifier::new(GITHUB, GITHUB_SECRET), &[], GITHUB_BODY, 0);
    assert!(matches!(error, WebhookError::MissingHeader { ref name } if name == "X-Hub-Signature-256"), "{error:?}");
    let verifier = HmacVerifier::new(TIMESTAMPED, VENDOR_SECRET);
    for name in ["x-timestamp", "x-signature"] {
        let mut headers = vendor("1700000000", VENDOR_SIGNATURE);
        headers.retain(|(key, _)| key != name);
        match refused(&verifier, &headers, VENDOR_BODY, VENDOR_TIMESTAMP) {
            WebhookError::MissingHeader { name: missing } => assert!(missing.eq_ignore_ascii_case(name)),
            other => panic!("{other:?}"),
        }
    }
    let unconfigured = HmacVerifier::new(HmacFormat { timestamp_header: None, ..TIMESTAMPED }, VENDOR_SECRET);
    let error = refused(&unconfigured, &vendor("1700000000", VENDOR_SIGNATURE), VENDOR_BODY, VENDOR_TIMESTAMP);
    assert!(matches!(error, WebhookError::MissingHeader { ref name } if name == "timestamp"), "{error:?}");
}

#[test]
fn malformed_headers_are_named() {
    let verifier = HmacVerifier::new(GITHUB, GITHUB_SECRET);
    for signature in [
        "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",
        "sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    ] {
        let error = refused(&verifier, &github(signature), GITHUB_BODY, 0);
        assert!(matches!(error, WebhookError::MalformedHeader { ref name } if name == "X-Hub-Signature-256"));
    }
    let verifier = HmacVerifier::new(TIMESTAMPED, VENDOR_SECRET);
    let error = refused(&verifier, &vendor("1700000000", "not base64!"), VENDOR_BODY, VENDOR_TIMESTAMP);
    assert!(matches!(error, WebhookError::MalformedHeader { ref name } if name == "X-Signature"));
    let error = refused(&verifier, &vendor("soon", VENDOR_SIGNATURE), VENDOR_BODY, VENDOR_TIMESTAMP);
    assert!(matches!(error, WebhookError::MalformedHeader { ref name } if name == "X-Timestamp"));
}

#[test]
fn errors_show_no_body_data() {
    let verifier = HmacVerifier::new(GITHUB, GITHUB_SECRET);
    let error = refused(&verifier, &github(GITHUB_SIGNATURE), &webhook_support::body(), 0);
    assert!(matches!(error, WebhookError::BadSignature));
}

#[cfg(feature = "mock")]
mod mock {
    use client_runtime::webhook::Delivery;
    use client_runtime::webhook_hmac::HmacVerifier;

    use super::*;

    #[test]
    fn signing_gives_the_python_vectors() {
        assert_eq!(HmacVerifier::new(GITHUB, GITHUB_SECRET).sign(0, GITHUB_BODY), GITHUB_SIGNATURE);
        let verifier = HmacVerifier::new(TIMESTAMPED, VENDOR_SECRET);
        assert_eq!(verifier.sign(VENDOR_TIMESTAMP, VENDOR_BODY), VENDOR_SIGNATURE);
    }

    #[test]
    fn each_delivery_gets_its_answer() {
        let body = webhook_support::body();
        let now = 1_750_000_000;
        for (format, stale) in [(TIMESTAMPED, Err("timestamp")), (GITHUB, Ok(()))] {
            let verifier = HmacVerifier::new(format, VENDOR_SECRET);
            let answer = |delivery| {
                let (headers, delivered) = verifier.headers_for(delivery, &body, now);
                let result = verifier.verify_at(&headers, &delivered, now);
                result.map_err(|error| assert_redacted(error, &SECRETS).kind())
            };
            assert_eq!(answer(Delivery::Valid), Ok(()));
            assert_eq!(answer(Delivery::Tampered), Err("bad signature"));
            // Only a format that signs a timestamp can tell a stale delivery.
            assert_eq!(answer(Delivery::Stale), stale);
            assert_eq!(answer(Delivery::WrongSecret), Err("bad signature"));
            assert_eq!(answer(Delivery::Unsigned), Err("missing header"));
        }
    }
}
