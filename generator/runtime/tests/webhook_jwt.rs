//! Verification of deliveries signed with an ES256 JWT whose key the API serves, as Plaid's
//! `Plaid-Verification`. Tokens are made by the mock's `JwtSigner`.
#![cfg(feature = "mock")]

mod webhook_support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use client_runtime::webhook::{Delivery, WebhookError};
use client_runtime::webhook_jwt::{Jwk, JwtFormat, JwtSigner, JwtVerifier, KeyFuture, KeySource};
use webhook_support::{assert_redacted, body};

const PLAID: JwtFormat =
    JwtFormat { header: "Plaid-Verification", max_age_seconds: 300, body_digest_claim: Some("request_body_sha256") };
const NOW: i64 = 1_750_000_000;
const KID: &str = "6c5516e1-92dc-479e-a8ff-5a51992e0001";

/// Keys held in memory, counting how often one is asked for.
#[derive(Default)]
struct MemoryKeys {
    keys: HashMap<String, Jwk>,
    fetches: Arc<AtomicUsize>,
}

impl MemoryKeys {
    fn with(keys: impl IntoIterator<Item = Jwk>) -> Self {
        MemoryKeys { keys: keys.into_iter().map(|key| (key.kid.clone(), key)).collect(), fetches: Arc::default() }
    }
}

impl KeySource for MemoryKeys {
    fn fetch_key<'a>(&'a self, kid: &'a str) -> KeyFuture<'a> {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        let key = self.keys.get(kid).cloned();
        Box::pin(async move { key.ok_or(WebhookError::UnknownKey) })
    }
}

/// A source whose API call fails.
struct FailingKeys;

impl KeySource for FailingKeys {
    fn fetch_key<'a>(&'a self, _kid: &'a str) -> KeyFuture<'a> {
        let error = client_runtime::Error::MissingCredentials {
            operation: "webhookVerificationKeyGet",
            alternatives: vec![vec!["client_id", "secret"]],
        };
        Box::pin(async move { Err(WebhookError::KeyFetch(Box::new(error))) })
    }
}

fn setup() -> (JwtSigner, JwtVerifier<MemoryKeys>) {
    let (signer, verifier, _) = counted();
    (signer, verifier)
}

/// A signer, a verifier of its tokens, and the count of the verifier's key fetches.
fn counted() -> (JwtSigner, JwtVerifier<MemoryKeys>, Arc<AtomicUsize>) {
    let signer = JwtSigner::generate(KID);
    let keys = MemoryKeys::with([signer.jwk()]);
    let fetches = keys.fetches.clone();
    (signer, JwtVerifier::new(PLAID, keys), fetches)
}

fn headers(token: &str) -> Vec<(String, String)> {
    vec![("plaid-verification".to_string(), token.to_string())]
}

/// A token with this JOSE header and these claims, and a signature of 64 zero bytes.
fn forged(header: serde_json::Value, claims: serde_json::Value, signature: &[u8]) -> String {
    let encode = |value: serde_json::Value| URL_SAFE_NO_PAD.encode(value.to_string());
    format!("{}.{}.{}", encode(header), encode(claims), URL_SAFE_NO_PAD.encode(signature))
}

/// Refuses, and checks the error shows neither the token, its parts nor the body.
async fn refused<S: KeySource>(verifier: &JwtVerifier<S>, token: &str, body: &[u8]) -> WebhookError {
    let error = verifier.verify_at(&headers(token), body, NOW).await.unwrap_err();
    let parts: Vec<&str> = token.split('.').filter(|part| part.len() > 8).collect();
    let mut hidden = vec![token];
    hidden.extend(parts);
    assert_redacted(error, &hidden)
}

#[tokio::test]
async fn a_signed_delivery_verifies_and_its_key_is_fetched_once() {
    let (signer, verifier, fetches) = counted();
    let body = body();
    let token = signer.token(&body, NOW - 10, PLAID.body_digest_claim);
    verifier.verify_at(&headers(&token), &body, NOW).await.unwrap();
    let mut map = reqwest::header::HeaderMap::new();
    map.insert("Plaid-Verification", token.parse().unwrap());
    verifier.verify_at(&map, &body, NOW + 5).await.unwrap();
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    verifier.forget_keys().await;
    verifier.verify_at(&map, &body, NOW).await.unwrap();
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn each_delivery_of_the_mock_gets_its_answer() {
    let (signer, verifier) = setup();
    let body = body();
    for (delivery, expected) in [
        (Delivery::Valid, Ok(())),
        (Delivery::Tampered, Err("body digest")),
        (Delivery::Stale, Err("timestamp")),
        (Delivery::WrongSecret, Err("bad signature")),
        (Delivery::Unsigned, Err("missing header")),
    ] {
        let (headers, delivered) = signer.headers_for(&PLAID, delivery, &body, NOW);
        let result = verifier.verify_at(&headers, &delivered, NOW).await;
        let tokens: Vec<&str> = headers.iter().map(|(_, value)| value.as_str()).collect();
        let result = result.map_err(|error| assert_redacted(error, &tokens).kind());
        assert_eq!(result, expected, "{delivery:?}");
    }
}

#[tokio::test]
async fn alg_none_and_hs256_are_refused() {
    let (signer, verifier) = setup();
    let claims = serde_json::json!({ "iat": NOW, "request_body_sha256": "00" });
    let none = forged(serde_json::json!({ "alg": "none", "kid": KID }), claims.clone(), b"");
    assert!(matches!(refused(&verifier, &none, &body()).await, WebhookError::UnsupportedAlgorithm));
    let hs256 = forged(serde_json::json!({ "alg": "HS256", "kid": KID }), claims, &[7; 32]);
    assert!(matches!(refused(&verifier, &hs256, &body()).await, WebhookError::UnsupportedAlgorithm));
    // A genuine token with its header swapped for one naming another algorithm.
    let token = signer.token(&body(), NOW, PLAID.body_digest_claim);
    let rest = token.split_once('.').unwrap().1;
    let swapped = format!("{}.{rest}", URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"ES384","kid":"{KID}"}}"#)));
    assert!(matches!(refused(&verifier, &swapped, &body()).await, WebhookError::UnsupportedAlgorithm));
}

#[tokio::test]
async fn another_key_under_the_same_id_is_refused() {
    let (_, verifier) = setup();
    let impostor = JwtSigner::generate(KID);
    let token = impostor.token(&body(), NOW, PLAID.body_digest_claim);
    assert!(matches!(refused(&verifier, &token, &body()).await, WebhookError::BadSignature));
}

#[tokio::test]
async fn an_iat_too_old_or_in_the_future_is_refused() {
    let (signer, verifier) = setup();
    let body = body();
    for iat in [NOW - 300, NOW + 60] {
        let token = signer.token(&body, iat, PLAID.body_digest_claim);
        verifier.verify_at(&headers(&token), &body, NOW).await.unwrap();
    }
    for (iat, age) in [(NOW - 301, 301), (NOW + 61, -61)] {
        let token = signer.token(&body, iat, PLAID.body_digest_claim);
        let error = refused(&verifier, &token, &body).await;
        assert!(matches!(error, WebhookError::Timestamp { age_seconds, tolerance_seconds: 300 } if age_seconds == age));
    }
}

#[tokio::test]
async fn a_body_changed_by_one_byte_fails_its_digest() {
    let (signer, verifier) = setup();
    let mut body = body();
    let token = signer.token(&body, NOW, PLAID.body_digest_claim);
    body[5] ^= 0x01;
    assert!(matches!(refused(&verifier, &token, &body).await, WebhookError::BodyDigest));
    // A token without the digest claim the format names.
    let token = signer.token(&body, NOW, None);
    assert!(matches!(refused(&verifier, &token, &body).await, WebhookError::BodyDigest));
    // Without a digest claim in the format, only the signature and age are checked.
    let lenient = JwtVerifier::new(JwtFormat { body_digest_claim: None, ..PLAID }, MemoryKeys::with([signer.jwk()]));
    lenient.verify_at(&headers(&token), b"anything", NOW).await.unwrap();
}

#[tokio::test]
async fn missing_and_garbage_headers_are_refused() {
    let (signer, verifier) = setup();
    let error = verifier.verify_at(&[("other", "x")], &body(), NOW).await.unwrap_err();
    assert!(matches!(error, WebhookError::MissingHeader { ref name } if name == "Plaid-Verification"));
    let no_kid = forged(serde_json::json!({ "alg": "ES256" }), serde_json::json!({ "iat": NOW }), &[0; 64]);
    let valid = signer.token(&body(), NOW, PLAID.body_digest_claim);
    let (signing_input, _) = valid.rsplit_once('.').unwrap();
    let no_iat = signer.sign_claims(serde_json::json!({ "iat": "yesterday" }).as_object().unwrap());
    for garbage in [
        "not-a-jwt".to_string(),
        "a.b.c.d".to_string(),
        format!("{signing_input}.!!!"),
        format!("e30.{}", valid.split_once('.').unwrap().1),
        no_kid,
        no_iat,
    ] {
        let error = refused(&verifier, &garbage, &body()).await;
        assert!(
            matches!(error, WebhookError::MalformedHeader { ref name } if name == "Plaid-Verification"),
            "{error:?}"
        );
    }
}

#[tokio::test]
async fn an_expired_or_unknown_key_is_refused() {
    let signer = JwtSigner::generate(KID);
    let expired = Jwk { expired_at: Some(NOW - 3600), ..signer.jwk() };
    let verifier = JwtVerifier::new(PLAID, MemoryKeys::with([expired]));
    let token = signer.token(&body(), NOW, PLAID.body_digest_claim);
    assert!(matches!(refused(&verifier, &token, &body()).await, WebhookError::UnknownKey));
    let empty = JwtVerifier::new(PLAID, MemoryKeys::default());
    assert!(matches!(refused(&empty, &token, &body()).await, WebhookError::UnknownKey));
    let rsa = Jwk { kty: "RSA".to_string(), ..signer.jwk() };
    let verifier = JwtVerifier::new(PLAID, MemoryKeys::with([rsa]));
    assert!(matches!(refused(&verifier, &token, &body()).await, WebhookError::UnsupportedAlgorithm));
}

#[tokio::test]
async fn a_failing_key_source_is_reported_with_its_cause() {
    let signer = JwtSigner::generate(KID);
    let verifier = JwtVerifier::new(PLAID, FailingKeys);
    let token = signer.token(&body(), NOW, PLAID.body_digest_claim);
    let error = refused(&verifier, &token, &body()).await;
    assert!(matches!(error, WebhookError::KeyFetch(_)));
    assert!(std::error::Error::source(&error).is_some());
    assert!(error.to_string().contains("webhookVerificationKeyGet"), "{error}");
}

#[test]
fn a_jwk_as_plaid_serves_it_is_read() {
    let text = r#"{"alg":"ES256","created_at":1560466150,"crv":"P-256","expired_at":null,
        "kid":"bfbd5111-8e33-4643-8ced-b2e642a72f3c","kty":"EC","use":"sig",
        "x":"hKXLGIjWvCBv-cP5euCTxl8g9GLG9zHo_3pO5NN1DwQ","y":"shhexqPB7YffGn6fR6h2UhTSuCtPmfzQJ6ENVIoO4Ys"}"#;
    let jwk: Jwk = serde_json::from_str(text).unwrap();
    assert_eq!(jwk.kid, "bfbd5111-8e33-4643-8ced-b2e642a72f3c");
    assert_eq!(jwk.expired_at, None);
    let shown = format!("{jwk:?}");
    assert!(!shown.contains("hKXLGIjW") && !shown.contains("shhexqPB"), "{shown}");
}

#[test]
fn verifying_is_a_send_future_for_servers_that_need_one() {
    fn send<T: Send>(_: &T) {}
    let (_, verifier) = setup();
    let headers = reqwest::header::HeaderMap::new();
    send(&verifier.verify(&headers, b""));
    send(&verifier.verify(&[("plaid-verification", "x")][..], b""));
}

/// A key as an API's generated type holds it, with properties a JWK does not have.
#[derive(serde::Serialize)]
struct ApiKey {
    alg: String,
    crv: String,
    kid: String,
    kty: String,
    #[serde(rename = "use")]
    use_: String,
    x: String,
    y: String,
    created_at: i64,
    expired_at: Option<i64>,
}

#[tokio::test]
async fn a_key_of_an_api_type_becomes_a_jwk_that_verifies() {
    let signer = JwtSigner::generate(KID);
    let jwk = signer.jwk();
    let key = ApiKey {
        alg: "ES256".to_string(),
        crv: jwk.crv.clone(),
        kid: jwk.kid.clone(),
        kty: jwk.kty.clone(),
        use_: "sig".to_string(),
        x: jwk.x.clone(),
        y: jwk.y.clone(),
        created_at: NOW - 86_400,
        expired_at: None,
    };
    let read = Jwk::from_body(&serde_json::to_vec(&serde_json::json!({ "key": key })).unwrap(), "key").unwrap();
    assert_eq!(read, jwk);
    let verifier = JwtVerifier::new(PLAID, MemoryKeys::with([read]));
    let token = signer.token(&body(), NOW, PLAID.body_digest_claim);
    verifier.verify_at(&headers(&token), &body(), NOW).await.unwrap();
    let partial = serde_json::json!({ "key": { "kty": "EC", "crv": "P-256", "kid": KID, "x": jwk.x } });
    let error = Jwk::from_body(&serde_json::to_vec(&partial).unwrap(), "key").unwrap_err();
    let error = assert_redacted(error, &[&jwk.x]);
    assert!(
        matches!(error, WebhookError::Decode { mismatch: client_runtime::Mismatch::MissingField { ref field }, ref path } if field == "y" && path == "key"),
        "{error:?}"
    );
    let error = Jwk::from_body(br#"{"request_id": "r"}"#, "key").unwrap_err();
    assert!(matches!(error, WebhookError::Decode { ref path, .. } if path == "key"), "{error:?}");
}

#[test]
fn the_mock_serves_the_key_over_the_example_reply() {
    let signer = JwtSigner::generate("mock-key");
    let example = r#"{"key":{"alg":"ES256","created_at":1560466150,"crv":"P-256","expired_at":null,
        "kid":"example","kty":"EC","use":"sig","x":"ex","y":"ey"},"request_id":"RZ6Omi1bzzwDaLo"}"#;
    let reply = client_runtime::webhook_jwt::key_reply(Some(example), "key", &signer.jwk());
    assert_eq!(reply["request_id"], "RZ6Omi1bzzwDaLo");
    assert_eq!(reply["key"]["created_at"], 1560466150);
    assert_eq!(reply["key"]["use"], "sig");
    assert_eq!(Jwk::from_body(&serde_json::to_vec(&reply).unwrap(), "key").unwrap(), signer.jwk());
    let bare = client_runtime::webhook_jwt::key_reply(None, "key", &signer.jwk());
    assert_eq!(Jwk::from_body(&serde_json::to_vec(&bare).unwrap(), "key").unwrap(), signer.jwk());
}
