//! Deliveries signed with a JWT in a header (as Plaid's `Plaid-Verification`): an ES256 JWS
//! whose key the API serves by key id, with an `iat` claim no older than a maximum age and,
//! where the format names one, a claim holding the SHA-256 of the body.
//!
//! A token names its key by an id the sender chooses, so a forged delivery can name any id. The
//! verifier therefore asks its [`KeySource`] sparingly: each key it gets is kept (at most
//! [`MAX_KEYS`]); an id the source did not give is refused without asking again for
//! [`KEY_MISS_SECONDS`] (at most [`MAX_KEY_MISSES`] such ids are remembered); verifications
//! waiting for the same id share one fetch; and the source is asked at most
//! [`MAX_KEY_FETCHES`] times in each [`KEY_FETCH_WINDOW_SECONDS`]. A refusal for either of
//! the last two reasons is [`WebhookError::KeyNotFetched`]. Time is the time a delivery is
//! checked at (see [`JwtVerifier::verify_at`]).

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use aws_lc_rs::{digest, signature};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use subtle::ConstantTimeEq as _;

use crate::webhook::{now_seconds, WebhookError, WebhookHeaders};

/// The only signing algorithm accepted: ECDSA on P-256 with SHA-256.
const ES256: &str = "ES256";
/// How far in the future an `iat` may be, for clocks that differ a little.
const CLOCK_SKEW_SECONDS: i64 = 60;

/// How long a key id the source did not give (it does not know the id, or fetching failed) is
/// refused without asking the source again, in seconds. A forged token naming a made-up id
/// then costs at most one fetch in this time, not one per delivery.
pub const KEY_MISS_SECONDS: i64 = 60;
/// How many key ids the source did not give are remembered at once; a further one makes the
/// verifier forget the one remembered longest.
pub const MAX_KEY_MISSES: usize = 64;
/// How many keys are kept at once; a further one makes the verifier drop the one fetched
/// longest ago (fetched again if named again). An API serves only a few keys at a time.
pub const MAX_KEYS: usize = 16;
/// How many times the source may be asked for a key in one window of
/// [`KEY_FETCH_WINDOW_SECONDS`]; beyond that, a key not kept is refused until the window ends,
/// so that tokens naming ever new ids cannot make the receiver call the API without limit.
/// Keys already kept still verify.
pub const MAX_KEY_FETCHES: u32 = 100;
/// How long a window of [`MAX_KEY_FETCHES`] lasts, in seconds, counted from the first fetch in
/// it.
pub const KEY_FETCH_WINDOW_SECONDS: i64 = 60;

/// How an API sends its signed JWTs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JwtFormat {
    /// The header holding the token, e.g. `Plaid-Verification`.
    pub header: &'static str,
    /// How old the token's `iat` may be, in seconds.
    pub max_age_seconds: u64,
    /// The claim holding the lowercase hex SHA-256 of the body, e.g. `request_body_sha256`,
    /// if the API signs one.
    pub body_digest_claim: Option<&'static str>,
}

/// A public key as a JSON Web Key, as the API serves it. Only `EC` keys on `P-256` verify.
///
/// `Debug` shows only its id, type and curve.
#[derive(Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Jwk {
    /// The key type; `EC` for the keys that verify.
    pub kty: String,
    /// The curve; `P-256` for the keys that verify.
    pub crv: String,
    /// The point's x coordinate, base64url without padding.
    pub x: String,
    /// The point's y coordinate, base64url without padding.
    pub y: String,
    /// The key id that tokens name.
    pub kid: String,
    /// The algorithm the key is for, if stated; `ES256` for the keys that verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// When the key expired, in seconds since the Unix epoch; a key with this set no longer
    /// verifies anything.
    #[serde(default)]
    pub expired_at: Option<i64>,
}

impl Jwk {
    /// The key in property `property` of a JSON response body (such as a verification-key
    /// response), read as a JWK; properties it does not need are ignored. A body without the
    /// property, or a key without the properties a JWK needs, is a [`WebhookError::Decode`]
    /// naming where decoding stopped.
    pub fn from_body(body: &[u8], property: &str) -> Result<Jwk, WebhookError> {
        let mut json: serde_json::Value = serde_json::from_slice(body).map_err(WebhookError::decode)?;
        let key = json.get_mut(property).map(serde_json::Value::take).unwrap_or_default();
        serde_path_to_error::deserialize(key).map_err(|error| {
            let mut error = WebhookError::decode_at(error);
            if let WebhookError::Decode { path, .. } = &mut error {
                *path = if path.is_empty() { property.to_string() } else { format!("{property}.{path}") };
            }
            error
        })
    }
}

impl fmt::Debug for Jwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwk").field("kid", &self.kid).field("kty", &self.kty).field("crv", &self.crv).finish()
    }
}

/// The future a [`KeySource`] returns.
pub type KeyFuture<'a> = Pin<Box<dyn Future<Output = Result<Jwk, WebhookError>> + Send + 'a>>;

/// Where a [`JwtVerifier`] gets the key a token names, usually an operation of the API.
pub trait KeySource: Send + Sync {
    /// The key with the id `kid`; an error is the verifier's error as it is (typically
    /// [`WebhookError::KeyFetch`] or [`WebhookError::UnknownKey`]).
    fn fetch_key<'a>(&'a self, kid: &'a str) -> KeyFuture<'a>;
}

/// Verifies deliveries signed with a JWT in a [`JwtFormat`], fetching each key once from its
/// [`KeySource`] and keeping it by key id (within the limits the module describes).
pub struct JwtVerifier<S> {
    format: JwtFormat,
    source: S,
    cache: tokio::sync::Mutex<KeyCache>,
    /// Held while the source is asked, so that one fetch runs at a time and verifications
    /// waiting for the same key find it in the cache when their turn comes.
    fetching: tokio::sync::Mutex<()>,
}

/// What a verifier remembers of its source.
#[derive(Default)]
struct KeyCache {
    /// The keys the source gave, the oldest first; at most [`MAX_KEYS`].
    keys: VecDeque<Jwk>,
    /// The key ids the source did not give, with when it was asked, the oldest first; at most
    /// [`MAX_KEY_MISSES`].
    misses: VecDeque<(String, i64)>,
    /// When the current window of fetches began.
    window_start: i64,
    /// How many fetches the current window has had.
    window_fetches: u32,
}

impl KeyCache {
    /// The key `kid` if kept; `None` if the source is to be asked for it; an error if the
    /// source did not give it less than [`KEY_MISS_SECONDS`] before `now`.
    fn lookup(&mut self, kid: &str, now: i64) -> Result<Option<Jwk>, WebhookError> {
        if let Some(key) = self.keys.iter().find(|key| key.kid == kid) {
            return Ok(Some(key.clone()));
        }
        let Some(index) = self.misses.iter().position(|(missed, _)| missed == kid) else {
            return Ok(None);
        };
        if within(self.misses[index].1, now, KEY_MISS_SECONDS) {
            return Err(WebhookError::KeyNotFetched);
        }
        self.misses.remove(index);
        Ok(None)
    }

    /// Counts a fetch at `now`, or refuses it when the current window has had
    /// [`MAX_KEY_FETCHES`].
    fn spend_fetch(&mut self, now: i64) -> Result<(), WebhookError> {
        if !within(self.window_start, now, KEY_FETCH_WINDOW_SECONDS) {
            self.window_start = now;
            self.window_fetches = 0;
        }
        if self.window_fetches >= MAX_KEY_FETCHES {
            return Err(WebhookError::KeyNotFetched);
        }
        self.window_fetches += 1;
        Ok(())
    }

    /// Keeps a key the source gave.
    fn keep(&mut self, key: Jwk) {
        self.keys.retain(|kept| kept.kid != key.kid);
        self.keys.push_back(key);
        while self.keys.len() > MAX_KEYS {
            self.keys.pop_front();
        }
    }

    /// Remembers that the source did not give the key `kid` when asked at `now`.
    fn remember_miss(&mut self, kid: &str, now: i64) {
        self.misses.retain(|(missed, _)| missed != kid);
        self.misses.push_back((kid.to_string(), now));
        while self.misses.len() > MAX_KEY_MISSES {
            self.misses.pop_front();
        }
    }
}

/// Whether `now` is less than `seconds` after `since` (and not before it, as after a clock
/// was set back).
fn within(since: i64, now: i64, seconds: i64) -> bool {
    (0..seconds).contains(&now.saturating_sub(since))
}

/// The JOSE header of a token, as far as it is read.
#[derive(serde::Deserialize)]
struct JoseHeader {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
}

/// A token split into its parts.
struct Token<'a> {
    /// `header.payload`, what the signature covers.
    signing_input: &'a str,
    header: JoseHeader,
    payload: &'a str,
    signature: Vec<u8>,
}

impl<S: KeySource> JwtVerifier<S> {
    /// A verifier of deliveries in `format`, whose keys come from `source`.
    pub fn new(format: JwtFormat, source: S) -> Self {
        JwtVerifier {
            format,
            source,
            cache: tokio::sync::Mutex::new(KeyCache::default()),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    /// Forgets the keys fetched so far and the key ids the source did not give, so that each
    /// is fetched again when next named (for instance, to learn that a key has since expired).
    /// The count of fetches in the current window stays.
    pub async fn forget_keys(&self) {
        let mut cache = self.cache.lock().await;
        cache.keys.clear();
        cache.misses.clear();
    }

    /// Checks a delivery's headers and raw body, as received, against the API's keys and the
    /// current time.
    pub async fn verify(&self, headers: &(impl WebhookHeaders + ?Sized), body: &[u8]) -> Result<(), WebhookError> {
        self.verify_at(headers, body, now_seconds()).await
    }

    /// Checks a delivery as [`JwtVerifier::verify`] does, at the time `now_unix_seconds`: the
    /// token's algorithm, its signature with the key it names, its `iat` and the body's digest.
    /// The key cache counts time by `now_unix_seconds` too.
    pub async fn verify_at(
        &self,
        headers: &(impl WebhookHeaders + ?Sized),
        body: &[u8],
        now_unix_seconds: i64,
    ) -> Result<(), WebhookError> {
        let name = self.format.header;
        let token = headers.header(name).ok_or_else(|| WebhookError::missing(name))?;
        let token = split(token.trim()).ok_or_else(|| WebhookError::malformed(name))?;
        if token.header.alg != ES256 {
            return Err(WebhookError::UnsupportedAlgorithm);
        }
        let kid = token.header.kid.as_deref().ok_or_else(|| WebhookError::malformed(name))?;
        let key = self.key(kid, now_unix_seconds).await?;
        let point = public_point(&key)?;
        signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, &point)
            .verify(token.signing_input.as_bytes(), &token.signature)
            .map_err(|_| WebhookError::BadSignature)?;
        let claims = URL_SAFE_NO_PAD.decode(token.payload).ok();
        let claims: serde_json::Map<String, serde_json::Value> = claims
            .and_then(|claims| serde_json::from_slice(&claims).ok())
            .ok_or_else(|| WebhookError::malformed(name))?;
        self.check_age(&claims, now_unix_seconds)?;
        match self.format.body_digest_claim {
            Some(claim) => check_digest(&claims, claim, body),
            None => Ok(()),
        }
    }

    /// The key `kid`, from those kept or else from the source (then kept, or its absence
    /// remembered), at the time `now`.
    async fn key(&self, kid: &str, now: i64) -> Result<Jwk, WebhookError> {
        if let Some(key) = self.cache.lock().await.lookup(kid, now)? {
            return Ok(key);
        }
        let _fetching = self.fetching.lock().await;
        // Another verification may have fetched the key, or failed to, while this one waited.
        if let Some(key) = self.cache.lock().await.lookup(kid, now)? {
            return Ok(key);
        }
        self.cache.lock().await.spend_fetch(now)?;
        let fetched = match self.source.fetch_key(kid).await {
            Ok(key) if key.kid != kid => Err(WebhookError::UnknownKey),
            fetched => fetched,
        };
        let mut cache = self.cache.lock().await;
        match &fetched {
            Ok(key) => cache.keep(key.clone()),
            Err(_) => cache.remember_miss(kid, now),
        }
        fetched
    }

    /// Checks that the `iat` claim is at most the format's maximum age, and not more than a
    /// minute in the future.
    fn check_age(&self, claims: &serde_json::Map<String, serde_json::Value>, now: i64) -> Result<(), WebhookError> {
        let iat = claims.get("iat").and_then(serde_json::Value::as_i64);
        let iat = iat.ok_or_else(|| WebhookError::malformed(self.format.header))?;
        let age_seconds = now.saturating_sub(iat);
        let too_old = u64::try_from(age_seconds).is_ok_and(|age| age > self.format.max_age_seconds);
        if too_old || age_seconds < -CLOCK_SKEW_SECONDS {
            return Err(WebhookError::Timestamp { age_seconds, tolerance_seconds: self.format.max_age_seconds });
        }
        Ok(())
    }
}

/// Splits a compact JWS into its parts, or `None` when it is not one.
fn split(token: &str) -> Option<Token<'_>> {
    let (signing_input, signature) = token.rsplit_once('.')?;
    let (header, payload) = signing_input.split_once('.')?;
    if payload.contains('.') {
        return None;
    }
    let header = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    Some(Token { signing_input, header, payload, signature })
}

/// The uncompressed point `0x04‖x‖y` of an unexpired P-256 key.
fn public_point(key: &Jwk) -> Result<Vec<u8>, WebhookError> {
    if key.expired_at.is_some() {
        return Err(WebhookError::UnknownKey);
    }
    if key.kty != "EC" || key.crv != "P-256" || key.alg.as_deref().is_some_and(|alg| alg != ES256) {
        return Err(WebhookError::UnsupportedAlgorithm);
    }
    let coordinate = |text: &str| URL_SAFE_NO_PAD.decode(text).ok().filter(|bytes| bytes.len() == 32);
    let (Some(x), Some(y)) = (coordinate(&key.x), coordinate(&key.y)) else {
        return Err(WebhookError::UnknownKey);
    };
    let mut point = Vec::with_capacity(65);
    point.push(0x04);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    Ok(point)
}

/// Checks that the claim `claim` holds the lowercase hex SHA-256 of the body, comparing in
/// constant time.
fn check_digest(
    claims: &serde_json::Map<String, serde_json::Value>,
    claim: &str,
    body: &[u8],
) -> Result<(), WebhookError> {
    let stated = claims.get(claim).and_then(serde_json::Value::as_str).ok_or(WebhookError::BodyDigest)?;
    if bool::from(hex_sha256(body).as_bytes().ct_eq(stated.as_bytes())) {
        Ok(())
    } else {
        Err(WebhookError::BodyDigest)
    }
}

/// The lowercase hex SHA-256 of `bytes`.
fn hex_sha256(bytes: &[u8]) -> String {
    digest::digest(&digest::SHA256, bytes).as_ref().iter().map(|byte| format!("{byte:02x}")).collect()
}

impl<S> fmt::Debug for JwtVerifier<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtVerifier").field("format", &self.format).finish_non_exhaustive()
    }
}

#[cfg(feature = "mock")]
pub use self::signer::{key_reply, JwtSigner};

/// What the mock signs deliveries with.
#[cfg(feature = "mock")]
mod signer {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair as _, ECDSA_P256_SHA256_FIXED_SIGNING};
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    use super::{hex_sha256, Jwk, JwtFormat, ES256};
    use crate::webhook::Delivery;

    /// A P-256 key pair that signs tokens as an API does, for tests of a receiver.
    pub struct JwtSigner {
        kid: String,
        pair: EcdsaKeyPair,
    }

    impl JwtSigner {
        /// A fresh key pair with the key id `kid`.
        ///
        /// # Panics
        ///
        /// When the system has no random source.
        pub fn generate(kid: impl Into<String>) -> Self {
            let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).expect("a P-256 key pair is generated");
            JwtSigner { kid: kid.into(), pair }
        }

        /// The public key, as the API serves it.
        pub fn jwk(&self) -> Jwk {
            // The uncompressed point: 0x04, then x and y of 32 bytes each.
            let point = self.pair.public_key().as_ref();
            Jwk {
                kty: "EC".to_string(),
                crv: "P-256".to_string(),
                x: URL_SAFE_NO_PAD.encode(&point[1..33]),
                y: URL_SAFE_NO_PAD.encode(&point[33..65]),
                kid: self.kid.clone(),
                alg: Some(ES256.to_string()),
                expired_at: None,
            }
        }

        /// A token for a delivery of `body` issued at `iat`, with the body's hex SHA-256 in the
        /// claim `digest_claim` if given.
        ///
        /// # Panics
        ///
        /// When the system has no random source.
        pub fn token(&self, body: &[u8], iat: i64, digest_claim: Option<&str>) -> String {
            let mut claims = serde_json::Map::new();
            claims.insert("iat".to_string(), iat.into());
            if let Some(claim) = digest_claim {
                claims.insert(claim.to_string(), hex_sha256(body).into());
            }
            self.sign_claims(&claims)
        }

        /// A token with these claims, whatever they are (for tests of claims a verifier must
        /// refuse).
        ///
        /// # Panics
        ///
        /// When the system has no random source.
        pub fn sign_claims(&self, claims: &serde_json::Map<String, serde_json::Value>) -> String {
            let header = serde_json::json!({ "alg": ES256, "kid": self.kid, "typ": "JWT" });
            let encode = |value: String| URL_SAFE_NO_PAD.encode(value);
            let signing_input =
                format!("{}.{}", encode(header.to_string()), encode(serde_json::to_string(claims).unwrap_or_default()));
            let signature = self
                .pair
                .sign(&SystemRandom::new(), signing_input.as_bytes())
                .expect("the system random source is available");
            format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
        }

        /// The headers and body of a delivery of `body` at the time `now`, made as `delivery`
        /// asks: for [`Delivery::Stale`], issued twice the maximum age ago (and at least ten
        /// minutes ago); for [`Delivery::WrongSecret`], signed by another key under the same
        /// key id.
        pub fn headers_for(
            &self,
            format: &JwtFormat,
            delivery: Delivery,
            body: &[u8],
            now: i64,
        ) -> (Vec<(String, String)>, Vec<u8>) {
            let iat = match delivery {
                Delivery::Stale => crate::webhook::stale_time(now, format.max_age_seconds),
                _ => now,
            };
            let token = match delivery {
                Delivery::WrongSecret => {
                    JwtSigner::generate(self.kid.clone()).token(body, iat, format.body_digest_claim)
                }
                _ => self.token(body, iat, format.body_digest_claim),
            };
            let headers = match delivery {
                Delivery::Unsigned => Vec::new(),
                _ => vec![(format.header.to_string(), token)],
            };
            let body = match delivery {
                Delivery::Tampered => crate::webhook::tamper(body.to_vec()),
                _ => body.to_vec(),
            };
            (headers, body)
        }
    }

    /// The reply of the API's verification-key operation serving `jwk`: the operation's
    /// example (JSON text, if it has one), with the properties of `jwk` written over those of
    /// its property `field` (so that properties the API's type requires and a JWK lacks, such
    /// as a creation time, keep their example values).
    pub fn key_reply(example: Option<&str>, field: &str, jwk: &Jwk) -> serde_json::Value {
        let example = example.and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok());
        let mut reply = match example {
            Some(serde_json::Value::Object(reply)) => reply,
            _ => serde_json::Map::new(),
        };
        let key = reply.entry(field.to_string()).or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
        if !key.is_object() {
            *key = serde_json::Value::Object(serde_json::Map::new());
        }
        if let (Some(key), Ok(serde_json::Value::Object(properties))) = (key.as_object_mut(), serde_json::to_value(jwk))
        {
            key.extend(properties);
        }
        serde_json::Value::Object(reply)
    }

    impl std::fmt::Debug for JwtSigner {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("JwtSigner").field("kid", &self.kid).finish_non_exhaustive()
        }
    }
}
