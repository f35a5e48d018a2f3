//! The axum webhook receiver (`src/server.rs`) served on 127.0.0.1, with deliveries made over
//! HTTP by the mock's `MockSender` or, for replays, captured and sent again by hand: a genuine
//! insights update is fetched and stored byte for byte; forged, stale, tampered, unsigned and
//! re-bodied deliveries are 401 and fetch nothing; an exact replay is acknowledged without a
//! second fetch; an unknown event is acknowledged; a failed fetch or store is a 5xx that a
//! later delivery of the same webhook can still recover from.

use std::sync::Arc;

use downstream_example::{
    router, InMemoryReportStore, ReceiverState, ReportStore, StoreError, StoredReport, WEBHOOK_PATH,
};
use plaid_client::mock::{MockReply, MockServer};
use plaid_client::types::MonitoringConsumerReportPermissiblePurpose;
use plaid_client::webhooks::{Delivery, MockSender, WebhookEvent, SIGNATURE};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, ResponseTemplate};

const PURPOSE: MonitoringConsumerReportPermissiblePurpose =
    MonitoringConsumerReportPermissiblePurpose::AccountReviewCredit;

/// The report the mock serves: its own spacing and key order, which re-encoding would lose.
const REPORT: &str = "{\n  \"user_insights_id\": \"ui-7\",\n  \"items\": [],\n  \"request_id\": \"req-7\"\n}\n";

/// A Cash Flow Updates event with this code, about `user_id`.
fn event(code: &str, user_id: &str) -> WebhookEvent {
    let payload = json!({
        "webhook_type": "CASH_FLOW_UPDATES", "webhook_code": code, "status": "AVAILABLE",
        "user_id": user_id, "insights": [], "environment": "sandbox"
    });
    WebhookEvent::parse(payload.to_string().as_bytes()).unwrap()
}

/// Serves the receiver, keeping reports in `store` and calling `mock`, on a free local port;
/// returns its webhook URL and its state.
async fn serve<S: ReportStore + 'static>(mock: &MockServer, store: S) -> (String, Arc<ReceiverState<S>>) {
    let state = Arc::new(ReceiverState::new(mock.client(), store, PURPOSE));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}{WEBHOOK_PATH}", listener.local_addr().unwrap());
    let app = router(Arc::clone(&state));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, state)
}

/// A delivery as it arrived: its verification header, if any, and its body.
struct Captured {
    token: Option<String>,
    body: Vec<u8>,
}

/// Makes the delivery `sender` would send and captures it, without handling it.
async fn capture(sender: &MockSender, event: &WebhookEvent, delivery: Delivery) -> Captured {
    let receiver = wiremock::MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&receiver).await;
    sender.deliver(&receiver.uri(), event, delivery).await.unwrap();
    let request = receiver.received_requests().await.unwrap().pop().unwrap();
    let token = request.headers.get(SIGNATURE.header).map(|value| value.to_str().unwrap().to_string());
    Captured { token, body: request.body }
}

/// Posts `body` with `token` to `url`; returns the status and the answer's body.
async fn post(url: &str, token: Option<&str>, body: &[u8]) -> (u16, String) {
    let mut request = plaid_client::reqwest::Client::new().post(url).header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header(SIGNATURE.header, token);
    }
    let response = request.body(body.to_vec()).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_genuine_insights_update_is_fetched_and_stored_byte_for_byte() {
    let mock = MockServer::start().await;
    let sender = MockSender::new(&mock);
    mock.cra_monitoring_insights_get().respond_with(MockReply::bytes(200, "application/json", REPORT));
    let (url, state) = serve(&mock, InMemoryReportStore::new()).await;

    for (code, user_id) in [("CASH_FLOW_INSIGHTS_UPDATED", "usr_new"), ("INSIGHTS_UPDATED", "usr_old")] {
        assert_eq!(sender.deliver(&url, &event(code, user_id), Delivery::Valid).await.unwrap(), 200, "{code}");
    }
    let asked: Vec<_> = mock.cra_monitoring_insights_get().received().into_iter().map(|r| r.body.user_id).collect();
    assert_eq!(asked, [Some("usr_new".to_string()), Some("usr_old".to_string())]);
    let reports = state.store().reports();
    assert_eq!(reports.iter().map(|report| report.user_id.as_str()).collect::<Vec<_>>(), ["usr_new", "usr_old"]);
    assert!(reports.iter().all(|report| report.body == REPORT.as_bytes()));
}

#[tokio::test]
async fn deliveries_that_do_not_verify_are_401_and_fetch_nothing() {
    let mock = MockServer::start().await;
    let sender = MockSender::new(&mock);
    let (url, state) = serve(&mock, InMemoryReportStore::new()).await;
    let update = event("CASH_FLOW_INSIGHTS_UPDATED", "usr_forged");

    for forged in [Delivery::WrongSecret, Delivery::Tampered, Delivery::Stale, Delivery::Unsigned] {
        assert_eq!(sender.deliver(&url, &update, forged).await.unwrap(), 401, "{forged:?}");
    }
    // The answer quotes neither the token nor the body.
    let tampered = capture(&sender, &update, Delivery::Tampered).await;
    let (status, answer) = post(&url, tampered.token.as_deref(), &tampered.body).await;
    assert_eq!(status, 401);
    let token = tampered.token.unwrap();
    assert!(!answer.contains(&token[..20]) && !answer.contains("usr_forged"), "{answer}");
    assert!(mock.cra_monitoring_insights_get().received().is_empty());
    assert!(state.store().reports().is_empty());
}

#[tokio::test]
async fn a_replay_is_refused_with_another_body_and_handled_once_as_it_was() {
    let mock = MockServer::start().await;
    let sender = MockSender::new(&mock);
    let (url, state) = serve(&mock, InMemoryReportStore::new()).await;
    let first = capture(&sender, &event("CASH_FLOW_INSIGHTS_UPDATED", "usr_first"), Delivery::Valid).await;
    let second = capture(&sender, &event("CASH_FLOW_INSIGHTS_UPDATED", "usr_second"), Delivery::Valid).await;

    // The second body under the first delivery's valid token.
    let (status, answer) = post(&url, first.token.as_deref(), &second.body).await;
    assert_eq!(status, 401, "{answer}");
    assert!(mock.cra_monitoring_insights_get().received().is_empty());

    // The first delivery exactly as sent, twice.
    for _ in 0..2 {
        assert_eq!(post(&url, first.token.as_deref(), &first.body).await.0, 200);
    }
    let asked = mock.cra_monitoring_insights_get().received();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].body.user_id.as_deref(), Some("usr_first"));
    assert_eq!(state.store().reports().len(), 1);
}

#[tokio::test]
async fn events_that_need_no_fetch_are_acknowledged() {
    let mock = MockServer::start().await;
    let sender = MockSender::new(&mock);
    let (url, state) = serve(&mock, InMemoryReportStore::new()).await;
    let unknown = event("SOMETHING_PLAID_ADDS_LATER", "usr_unknown");
    assert!(matches!(unknown, WebhookEvent::Unknown(_)), "{unknown:?}");

    for event in [unknown, event("LOW_BALANCE_DETECTED", "usr_alert")] {
        assert_eq!(sender.deliver(&url, &event, Delivery::Valid).await.unwrap(), 200, "{event:?}");
    }
    assert!(mock.cra_monitoring_insights_get().received().is_empty());
    assert!(state.store().reports().is_empty());
}

/// A store that is down.
struct BrokenStore;

impl ReportStore for BrokenStore {
    async fn save(&self, _report: StoredReport) -> Result<(), StoreError> {
        Err(StoreError::new("the database is down"))
    }
}

#[tokio::test]
async fn a_failed_fetch_or_store_is_5xx_and_the_webhook_can_come_again() {
    let mock = MockServer::start().await;
    let sender = MockSender::new(&mock);
    let (url, state) = serve(&mock, InMemoryReportStore::new()).await;
    let delivery = capture(&sender, &event("CASH_FLOW_INSIGHTS_UPDATED", "usr_retry"), Delivery::Valid).await;

    mock.cra_monitoring_insights_get().respond_once(MockReply::status(500));
    let (status, answer) = post(&url, delivery.token.as_deref(), &delivery.body).await;
    assert!((500..600).contains(&status), "{status} {answer}");
    assert!(state.store().reports().is_empty());
    // The same delivery again, once Plaid answers: fetched and stored.
    assert_eq!(post(&url, delivery.token.as_deref(), &delivery.body).await.0, 200);
    assert_eq!(mock.cra_monitoring_insights_get().received().len(), 2);
    assert_eq!(state.store().reports().len(), 1);

    let (broken_url, _) = serve(&mock, BrokenStore).await;
    let status = sender.deliver(&broken_url, &event("INSIGHTS_UPDATED", "usr_store"), Delivery::Valid).await.unwrap();
    assert!((500..600).contains(&status), "{status}");
    assert_eq!(mock.cra_monitoring_insights_get().received().len(), 3);
}
