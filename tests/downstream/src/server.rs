//! The webhook receiver as an HTTP server (axum), run by `src/bin/webhook-receiver.rs` and
//! tested in `tests/server.rs`. `POST /webhooks/plaid` verifies each delivery, acknowledges
//! events that need no fetch and exact replays, and on an insights update fetches the user's
//! report and keeps it byte for byte.
//!
//! Answers, which never quote the request: 401 for a delivery that does not verify; 200 once
//! it is handled or needs nothing; 400 for a verified body that is not the event it names;
//! 5xx when the signing key, the fetch or the store fails, so that Plaid delivers it again.

use std::collections::hash_map::{Entry, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use aws_lc_rs::digest;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use plaid_client::types::MonitoringConsumerReportPermissiblePurpose;
use plaid_client::webhooks::{self, ApiKeys, JwtVerifier, WebhookError, WebhookEvent};
use plaid_client::Client;

use crate::flow::InsightsFetcher;
use crate::store::ReportStore;

/// The path Plaid delivers webhooks to (the URL given when subscribing ends with it).
pub const WEBHOOK_PATH: &str = "/webhooks/plaid";

/// How long a delivery's token is remembered: the verifier's maximum age, plus the minute by
/// which it lets a token's `iat` lie in the future. Past that, a replay fails verification.
pub const REPLAY_WINDOW: Duration = Duration::from_secs(webhooks::SIGNATURE.max_age_seconds + 60);

/// An answer: a status and a fixed phrase.
type Answer = (StatusCode, &'static str);

/// What the receiver keeps between deliveries: the verifier with the keys it fetched, the
/// fetcher with its store, and the deliveries handled lately.
#[derive(Debug)]
pub struct ReceiverState<S> {
    verifier: JwtVerifier<ApiKeys>,
    fetcher: InsightsFetcher<S>,
    seen: Mutex<SeenDeliveries>,
}

impl<S: ReportStore> ReceiverState<S> {
    /// A receiver that checks deliveries with keys `client` fetches, fetches reports with
    /// `client` for `purpose`, and keeps them in `store`.
    pub fn new(client: Client, store: S, purpose: MonitoringConsumerReportPermissiblePurpose) -> Self {
        ReceiverState {
            verifier: webhooks::verifier(&client),
            fetcher: InsightsFetcher::new(client, store, purpose),
            seen: Mutex::default(),
        }
    }

    /// The store reports go to.
    pub fn store(&self) -> &S {
        self.fetcher.store()
    }

    /// Handles a verified body not handled before.
    async fn handle(&self, body: &[u8]) -> Answer {
        let user_id = match WebhookEvent::parse(body) {
            Ok(WebhookEvent::CashFlowInsightsUpdated(event)) => event.user_id,
            #[allow(deprecated)]
            Ok(WebhookEvent::InsightsUpdated(event)) => event.user_id,
            Ok(_) => return (StatusCode::OK, "acknowledged"), // other alerts, and unknown events
            Err(error) => {
                tracing::warn!(%error, "webhook body refused"); // names a field, never a value
                return (StatusCode::BAD_REQUEST, "the event could not be read");
            }
        };
        match self.fetcher.fetch_and_store(&user_id).await {
            Ok(receipt) => {
                tracing::info!(report = %receipt.user_insights_id, request_id = ?receipt.request_id, "report stored");
                (StatusCode::OK, "report stored")
            }
            Err(error) => {
                tracing::error!(%error, "report not stored; Plaid will deliver the webhook again");
                (StatusCode::SERVICE_UNAVAILABLE, "the report could not be stored")
            }
        }
    }
}

/// The receiver's routes, sharing `state`.
pub fn router<S: ReportStore + 'static>(state: Arc<ReceiverState<S>>) -> Router {
    Router::new().route(WEBHOOK_PATH, post(receive::<S>)).with_state(state)
}

/// Handles one delivery: its headers and its body exactly as received.
async fn receive<S: ReportStore>(
    State(state): State<Arc<ReceiverState<S>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    if let Err(error) = state.verifier.verify(&headers, &body).await {
        tracing::warn!(reason = error.kind(), "webhook refused");
        return match error {
            // The key could not be had just now (fetching failed, lately or this time): this
            // side's trouble, so Plaid should deliver again.
            WebhookError::KeyFetch(_) | WebhookError::KeyNotFetched => {
                (StatusCode::SERVICE_UNAVAILABLE, "the signing key could not be fetched")
            }
            _ => (StatusCode::UNAUTHORIZED, "the delivery did not verify"),
        };
    }
    // The token signs the body's digest, so the same token means the same delivery.
    let token = headers.get(webhooks::SIGNATURE.header).map_or(&[][..], |value| value.as_bytes());
    let token = digest::digest(&digest::SHA256, token).as_ref().to_vec();
    if !state.seen.lock().unwrap_or_else(PoisonError::into_inner).insert(token.clone(), Instant::now()) {
        return (StatusCode::OK, "already handled");
    }
    let answer = state.handle(&body).await;
    if answer.0.is_server_error() {
        // Let the same delivery, sent again, be handled again.
        state.seen.lock().unwrap_or_else(PoisonError::into_inner).remove(&token);
    }
    answer
}

/// The SHA-256 digests of the tokens of deliveries handled lately, with when each was first
/// seen; entries older than [`REPLAY_WINDOW`] are dropped.
#[derive(Debug, Default)]
struct SeenDeliveries(HashMap<Vec<u8>, Instant>);

impl SeenDeliveries {
    /// Records `token` as seen at `now`; `false` when it already was, within the window.
    fn insert(&mut self, token: Vec<u8>, now: Instant) -> bool {
        self.0.retain(|_, seen| now.saturating_duration_since(*seen) < REPLAY_WINDOW);
        match self.0.entry(token) {
            Entry::Occupied(_) => false,
            Entry::Vacant(slot) => {
                slot.insert(now);
                true
            }
        }
    }

    /// Forgets `token`.
    fn remove(&mut self, token: &[u8]) {
        self.0.remove(token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_remembered_for_the_replay_window_only() {
        let mut seen = SeenDeliveries::default();
        let start = Instant::now();
        assert!(seen.insert(b"a".to_vec(), start));
        assert!(!seen.insert(b"a".to_vec(), start + REPLAY_WINDOW / 2));
        assert!(seen.insert(b"b".to_vec(), start + REPLAY_WINDOW / 2));
        // A window after it was first seen, `a` is new again, and `b` is still remembered.
        assert!(seen.insert(b"a".to_vec(), start + REPLAY_WINDOW));
        assert!(!seen.insert(b"b".to_vec(), start + REPLAY_WINDOW));
        assert!(seen.insert(b"c".to_vec(), start + REPLAY_WINDOW * 2));
        assert_eq!(seen.0.len(), 1, "expired entries are dropped");
        seen.remove(b"c");
        assert!(seen.insert(b"c".to_vec(), start + REPLAY_WINDOW * 2));
    }
}
