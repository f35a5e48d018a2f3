//! How sparingly a JWT verifier asks its key source: a key id the source did not give is not
//! asked for again for a while, verifications waiting for the same id share one fetch, and
//! what it remembers is bounded. Time is the time passed to `verify_at`; nothing sleeps.
#![cfg(feature = "mock")]

mod webhook_support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use client_runtime::webhook::WebhookError;
use client_runtime::webhook_jwt::{
    Jwk, JwtFormat, JwtSigner, JwtVerifier, KeyFuture, KeySource, KEY_FETCH_WINDOW_SECONDS, KEY_MISS_SECONDS, MAX_KEYS,
    MAX_KEY_FETCHES, MAX_KEY_MISSES,
};
use webhook_support::{assert_redacted, body};

const PLAID: JwtFormat =
    JwtFormat { header: "Plaid-Verification", max_age_seconds: 300, body_digest_claim: Some("request_body_sha256") };
const NOW: i64 = 1_750_000_000;
/// How many verifications run at once, or in a row, where a test needs several.
const TIMES: usize = 8;

/// A key source that counts how often it is asked, and answers from the keys it holds, or
/// fails every time, optionally once a gate opens.
#[derive(Default)]
struct CountingKeys {
    keys: HashMap<String, Jwk>,
    failing: bool,
    gate: Option<Arc<tokio::sync::Semaphore>>,
    fetches: Arc<AtomicUsize>,
}

impl CountingKeys {
    fn with(keys: impl IntoIterator<Item = Jwk>) -> Self {
        CountingKeys { keys: keys.into_iter().map(|key| (key.kid.clone(), key)).collect(), ..Self::default() }
    }

    fn failing() -> Self {
        CountingKeys { failing: true, ..Self::default() }
    }

    /// A verifier asking this source, and the count of its fetches.
    fn verifier(self) -> (JwtVerifier<CountingKeys>, Arc<AtomicUsize>) {
        let fetches = self.fetches.clone();
        (JwtVerifier::new(PLAID, self), fetches)
    }
}

impl KeySource for CountingKeys {
    fn fetch_key<'a>(&'a self, kid: &'a str) -> KeyFuture<'a> {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        let answer = match self.keys.get(kid) {
            _ if self.failing => Err(WebhookError::KeyFetch(Box::new(client_runtime::Error::MissingCredentials {
                operation: "webhookVerificationKeyGet",
                alternatives: vec![vec!["client_id", "secret"]],
            }))),
            Some(key) => Ok(key.clone()),
            None => Err(WebhookError::UnknownKey),
        };
        Box::pin(async move {
            if let Some(gate) = &self.gate {
                let _open = gate.acquire().await.expect("the gate is never closed");
            }
            answer
        })
    }
}

fn headers(token: &str) -> Vec<(String, String)> {
    vec![("plaid-verification".to_string(), token.to_string())]
}

/// A token naming the key `kid`, with a signature of 64 zero bytes (never checked, as the key
/// is not had).
fn naming(kid: &str) -> String {
    let encode = |value: serde_json::Value| URL_SAFE_NO_PAD.encode(value.to_string());
    let header = encode(serde_json::json!({ "alg": "ES256", "kid": kid }));
    let claims = encode(serde_json::json!({ "iat": NOW }));
    format!("{header}.{claims}.{}", URL_SAFE_NO_PAD.encode([0; 64]))
}

/// Checks that a delivery signed by `signer` verifies at `NOW`.
async fn verifies(verifier: &JwtVerifier<CountingKeys>, signer: &JwtSigner) {
    let body = body();
    let token = signer.token(&body, NOW, PLAID.body_digest_claim);
    verifier.verify_at(&headers(&token), &body, NOW).await.unwrap();
}

/// The error verifying a token naming `kid` at `now` gives, checked to show no token part.
async fn refusal(verifier: &JwtVerifier<CountingKeys>, kid: &str, now: i64) -> WebhookError {
    let token = naming(kid);
    let error = verifier.verify_at(&headers(&token), &body(), now).await.unwrap_err();
    let parts: Vec<&str> = token.split('.').collect();
    assert_redacted(error, &parts)
}

#[tokio::test]
async fn an_unknown_key_id_is_fetched_once_within_the_window() {
    let (verifier, fetches) = CountingKeys::default().verifier();
    assert!(matches!(refusal(&verifier, "forged", NOW).await, WebhookError::UnknownKey));
    for offset in 0..TIMES as i64 {
        let error = refusal(&verifier, "forged", NOW + offset).await;
        assert!(matches!(error, WebhookError::KeyNotFetched), "{error:?}");
        assert_eq!(error.kind(), "key not fetched");
    }
    let error = refusal(&verifier, "forged", NOW + KEY_MISS_SECONDS - 1).await;
    assert!(matches!(error, WebhookError::KeyNotFetched), "{error:?}");
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_failing_source_is_asked_once_within_the_window() {
    let (verifier, fetches) = CountingKeys::failing().verifier();
    assert!(matches!(refusal(&verifier, "some-key", NOW).await, WebhookError::KeyFetch(_)));
    for _ in 0..TIMES {
        assert!(matches!(refusal(&verifier, "some-key", NOW + 1).await, WebhookError::KeyNotFetched));
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn after_the_window_the_key_is_asked_for_again() {
    let (verifier, fetches) = CountingKeys::default().verifier();
    refusal(&verifier, "late-key", NOW).await;
    assert!(matches!(refusal(&verifier, "late-key", NOW + KEY_MISS_SECONDS - 1).await, WebhookError::KeyNotFetched));
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    assert!(matches!(refusal(&verifier, "late-key", NOW + KEY_MISS_SECONDS).await, WebhookError::UnknownKey));
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    // A clock set back does not keep the id refused.
    assert!(matches!(refusal(&verifier, "late-key", NOW - 1).await, WebhookError::UnknownKey));
    assert_eq!(fetches.load(Ordering::SeqCst), 3);
    // Forgetting the keys forgets the ids missed too.
    verifier.forget_keys().await;
    assert!(matches!(refusal(&verifier, "late-key", NOW).await, WebhookError::UnknownKey));
    assert_eq!(fetches.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn concurrent_verifications_of_a_new_key_share_one_fetch() {
    let signer = JwtSigner::generate("new-key");
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let source = CountingKeys { gate: Some(gate.clone()), ..CountingKeys::with([signer.jwk()]) };
    let (verifier, fetches) = source.verifier();
    let body = body();
    let token = signer.token(&body, NOW, PLAID.body_digest_claim);
    let headers = headers(&token);
    let verify = || verifier.verify_at(&headers, &body, NOW);
    // `join!` polls every branch before the opener's second poll, so all verifications are
    // waiting for the key when the source answers.
    let open = async {
        tokio::task::yield_now().await;
        gate.add_permits(1);
    };
    let (a, b, c, d, e, f, g, h, ()) =
        tokio::join!(verify(), verify(), verify(), verify(), verify(), verify(), verify(), verify(), open);
    for result in [a, b, c, d, e, f, g, h] {
        result.unwrap();
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn concurrent_verifications_of_a_failing_key_share_one_fetch() {
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let (verifier, fetches) = CountingKeys { gate: Some(gate.clone()), ..CountingKeys::failing() }.verifier();
    let refuse = || refusal(&verifier, "some-key", NOW);
    let open = async {
        tokio::task::yield_now().await;
        gate.add_permits(1);
    };
    let (a, b, c, d, ()) = tokio::join!(refuse(), refuse(), refuse(), refuse(), open);
    let mut kinds: Vec<&str> = [a, b, c, d].iter().map(WebhookError::kind).collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["key fetch", "key not fetched", "key not fetched", "key not fetched"]);
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn at_most_the_bound_of_missed_ids_is_remembered() {
    let (verifier, fetches) = CountingKeys::default().verifier();
    let kid = |index: usize| format!("forged-{index}");
    for index in 0..=MAX_KEY_MISSES {
        refusal(&verifier, &kid(index), NOW).await;
    }
    assert_eq!(fetches.load(Ordering::SeqCst), MAX_KEY_MISSES + 1);
    // The latest ids are still remembered and refused without a fetch...
    for index in 1..=MAX_KEY_MISSES {
        assert!(matches!(refusal(&verifier, &kid(index), NOW).await, WebhookError::KeyNotFetched));
    }
    assert_eq!(fetches.load(Ordering::SeqCst), MAX_KEY_MISSES + 1);
    // ...and the first was forgotten, so it is asked for again.
    assert!(matches!(refusal(&verifier, &kid(0), NOW).await, WebhookError::UnknownKey));
    assert_eq!(fetches.load(Ordering::SeqCst), MAX_KEY_MISSES + 2);
}

#[tokio::test]
async fn at_most_the_bound_of_keys_is_kept() {
    let signers: Vec<JwtSigner> = (0..=MAX_KEYS).map(|index| JwtSigner::generate(format!("key-{index}"))).collect();
    let (verifier, fetches) = CountingKeys::with(signers.iter().map(JwtSigner::jwk)).verifier();
    for signer in &signers {
        verifies(&verifier, signer).await;
    }
    // The latest keys are still kept...
    for signer in &signers[1..] {
        verifies(&verifier, signer).await;
    }
    assert_eq!(fetches.load(Ordering::SeqCst), MAX_KEYS + 1);
    // ...and the first was dropped, so it is fetched again.
    verifies(&verifier, &signers[0]).await;
    assert_eq!(fetches.load(Ordering::SeqCst), MAX_KEYS + 2);
}

#[tokio::test]
async fn fetches_beyond_the_budget_wait_for_the_next_window() {
    let signer = JwtSigner::generate("kept-key");
    let (verifier, fetches) = CountingKeys::with([signer.jwk()]).verifier();
    let body = body();
    let token = signer.token(&body, NOW, PLAID.body_digest_claim);
    verifier.verify_at(&headers(&token), &body, NOW).await.unwrap();
    let budget = usize::try_from(MAX_KEY_FETCHES).unwrap();
    for index in 1..budget {
        assert!(matches!(refusal(&verifier, &format!("forged-{index}"), NOW).await, WebhookError::UnknownKey));
    }
    assert_eq!(fetches.load(Ordering::SeqCst), budget);
    let late = NOW + KEY_FETCH_WINDOW_SECONDS - 1;
    assert!(matches!(refusal(&verifier, "one-more", late).await, WebhookError::KeyNotFetched));
    assert_eq!(fetches.load(Ordering::SeqCst), budget);
    // A key kept still verifies, and the next window allows fetches again.
    verifier.verify_at(&headers(&token), &body, late).await.unwrap();
    let next = NOW + KEY_FETCH_WINDOW_SECONDS;
    assert!(matches!(refusal(&verifier, "one-more", next).await, WebhookError::UnknownKey));
    assert_eq!(fetches.load(Ordering::SeqCst), budget + 1);
}
