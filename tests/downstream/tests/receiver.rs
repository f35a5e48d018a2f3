//! The README's receiver against the mock, over HTTP on 127.0.0.1: the mock signs typed events
//! and serves its key, a local server receives them, and `on_webhook` verifies, parses and
//! fetches the report only for a genuine insights update.

use downstream_example::on_webhook;
use plaid_client::mock::MockServer;
use plaid_client::webhooks::{self, Delivery, MockSender, WebhookEvent};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, ResponseTemplate};

fn event(code: &str) -> WebhookEvent {
    let payload = json!({
        "webhook_type": "CASH_FLOW_UPDATES", "webhook_code": code, "status": "AVAILABLE",
        "user_id": "usr_receiver_1", "insights": [], "environment": "sandbox"
    });
    WebhookEvent::parse(payload.to_string().as_bytes()).unwrap()
}

#[tokio::test]
async fn a_genuine_update_is_fetched_and_forgeries_are_refused() {
    let mock = MockServer::start().await;
    let sender = MockSender::new(&mock);
    let client = mock.client();
    let verifier = webhooks::verifier(&client);
    let receiver = wiremock::MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&receiver).await;
    let url = format!("{}/webhooks/plaid", receiver.uri());
    let last = || async { receiver.received_requests().await.unwrap().pop().unwrap() };

    sender.deliver(&url, &event("CASH_FLOW_INSIGHTS_UPDATED"), Delivery::Valid).await.unwrap();
    let delivery = last().await;
    let mut stored = Vec::new();
    let fetched = on_webhook(&client, &verifier, &delivery.headers, &delivery.body, |report| stored = report.to_vec())
        .await
        .unwrap();
    assert!(fetched && !stored.is_empty());
    let asked = mock.cra_monitoring_insights_get().received();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].body.user_id.as_deref(), Some("usr_receiver_1"));

    // An alert that is not an insights update needs no fetch.
    sender.deliver(&url, &event("LOW_BALANCE_DETECTED"), Delivery::Valid).await.unwrap();
    let delivery = last().await;
    assert!(!on_webhook(&client, &verifier, &delivery.headers, &delivery.body, |_| ()).await.unwrap());

    // Forged, stale, tampered and unsigned deliveries never reach the API.
    for forged in [Delivery::Tampered, Delivery::Stale, Delivery::WrongSecret, Delivery::Unsigned] {
        sender.deliver(&url, &event("CASH_FLOW_INSIGHTS_UPDATED"), forged).await.unwrap();
        let delivery = last().await;
        assert!(on_webhook(&client, &verifier, &delivery.headers, &delivery.body, |_| ()).await.is_err());
    }
    assert_eq!(mock.cra_monitoring_insights_get().received().len(), 1);
}
