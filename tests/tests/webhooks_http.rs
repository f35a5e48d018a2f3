//! Webhooks end to end, for each way a spec describes them and each signature scheme: the
//! generated `webhooks` module picks the event a payload names (3.1 `webhooks` told apart by a
//! `const`, 3.0 `callbacks` by a one-value `enum`, a schema codegen.toml names by the values it
//! gives), keeps an unknown event whole, and its mock sender delivers signed events over HTTP on
//! 127.0.0.1 to a receiver, whose verifier accepts the valid delivery and refuses a tampered,
//! stale, wrongly signed or unsigned one, with errors that show no secret and no body data.

use pipeline_tests::assert_shows_none;
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Every kind of bad delivery a mock sender makes.
const FORGERIES: [&str; 4] = ["tampered", "stale", "wrong secret", "unsigned"];

/// A receiver that answers every POST with 204 and keeps what it received.
async fn receiver() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

/// The last delivery the receiver got.
async fn last_delivery(server: &MockServer) -> Request {
    server.received_requests().await.expect("recording is on").pop().expect("a delivery arrived")
}

#[test]
fn webhooks_of_openapi_31_are_told_apart_by_their_const_property() {
    use fixture_webhooks31::webhooks::WebhookEvent;
    let created = json!({"event_type": "account.created", "account": {"id": "a1", "owner": "Dana"}});
    let event = WebhookEvent::parse(created.to_string().as_bytes()).unwrap();
    assert!(matches!(&event, WebhookEvent::AccountCreated(payload) if payload.account.id == "a1"), "{event:?}");
    assert_eq!(event.name(), Some("account.created"));
    assert!(!format!("{event:?}").contains("Dana"), "the owner is sensitive: {event:?}");

    let settled = json!({"event_type": "transfer.settled", "transfer_id": "t9", "amount": 1250});
    let event = WebhookEvent::parse(settled.to_string().as_bytes()).unwrap();
    assert!(matches!(event, WebhookEvent::TransferSettled(ref payload) if payload.amount == 1250), "{event:?}");

    let unknown = json!({"event_type": "account.frozen", "reason": "secret-reason-77"});
    let event = WebhookEvent::parse(unknown.to_string().as_bytes()).unwrap();
    let WebhookEvent::Unknown(kept) = &event else { panic!("not unknown: {event:?}") };
    assert_eq!(kept.json(), &unknown);
    assert!(!format!("{event:?}").contains("secret-reason-77"));

    // A known event whose payload does not decode is an error naming the field, not the value.
    let broken = json!({"event_type": "transfer.settled", "transfer_id": "t9", "amount": "lots-of-money-42"});
    let error = WebhookEvent::parse(broken.to_string().as_bytes()).unwrap_err();
    assert!(error.to_string().contains("amount"), "{error}");
    assert_shows_none(&error, &["lots-of-money-42"]);
    assert!(WebhookEvent::parse(b"{not json").is_err());
}

#[test]
fn the_standard_webhooks_verifier_accepts_the_published_vector_and_refuses_changes() {
    use fixture_webhooks31::webhooks::verifier;
    // The test vector the Standard Webhooks specification publishes.
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let body = br#"{"test": 2432232314}"#;
    let headers = [
        ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
        ("webhook-timestamp", "1614265330"),
        ("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
    ];
    let verifier = verifier(secret).unwrap();
    verifier.verify_at(&headers, body, 1614265330 + 10).unwrap();
    let error = verifier.verify(&headers, body).unwrap_err();
    assert!(error.to_string().contains("tolerance"), "{error}");
    let altered = br#"{"test": 2432232315}"#;
    let error = verifier.verify_at(&headers, altered, 1614265330).unwrap_err();
    assert_shows_none(&error, &["2432232315", "g0hM9SsE", "MfKQ9r8G"]);
}

#[tokio::test]
async fn standard_webhooks_deliveries_verify_only_when_untouched() {
    use fixture_webhooks31::webhooks::{verifier, Delivery, MockSender, WebhookEvent, MOCK_SECRET};
    let receiver = receiver().await;
    let url = format!("{}/hooks", receiver.uri());
    let sender = MockSender::new();
    let verifier = verifier(MOCK_SECRET).unwrap();
    let payload = json!({"event_type": "transfer.settled", "transfer_id": "t-secret-31", "amount": 7});
    let event = WebhookEvent::parse(payload.to_string().as_bytes()).unwrap();

    assert_eq!(sender.deliver(&url, &event, Delivery::Valid).await.unwrap(), 204);
    let delivery = last_delivery(&receiver).await;
    verifier.verify(&delivery.headers, &delivery.body).unwrap();
    let parsed = WebhookEvent::parse(&delivery.body).unwrap();
    assert_eq!(parsed.name(), Some("transfer.settled"));

    for (kind, delivery) in
        FORGERIES.iter().zip([Delivery::Tampered, Delivery::Stale, Delivery::WrongSecret, Delivery::Unsigned])
    {
        sender.deliver(&url, &event, delivery).await.unwrap();
        let received = last_delivery(&receiver).await;
        let error = verifier.verify(&received.headers, &received.body).expect_err(kind);
        assert_shows_none(&error, &["t-secret-31", MOCK_SECRET]);
    }
}

#[test]
fn callbacks_and_a_schema_named_in_codegen_toml_are_events() {
    use fixture_callbacks::webhooks::WebhookEvent;
    let moved = json!({"type": "parcel.moved", "parcel_id": "p1", "location": "Depot 4"});
    let event = WebhookEvent::parse(moved.to_string().as_bytes()).unwrap();
    assert!(matches!(&event, WebhookEvent::ParcelMoved(payload) if payload.location == "Depot 4"), "{event:?}");

    let delivered = json!({"type": "parcel.delivered", "parcel_id": "p1", "signed_by": "R. Okafor"});
    let event = WebhookEvent::parse(delivered.to_string().as_bytes()).unwrap();
    assert_eq!(event.name(), Some("parcelDelivered"));
    assert!(!format!("{event:?}").contains("Okafor"), "signed_by is sensitive: {event:?}");

    // Only codegen.toml says that `ParcelReturned` is an event, and which `type` it has.
    let returned = json!({"type": "parcel.returned", "parcel_id": "p1", "reason": "refused"});
    let event = WebhookEvent::parse(returned.to_string().as_bytes()).unwrap();
    assert!(matches!(&event, WebhookEvent::ParcelReturned(payload) if payload.reason.as_deref() == Some("refused")));

    let event = WebhookEvent::parse(br#"{"type": "parcel.lost"}"#).unwrap();
    assert!(matches!(event, WebhookEvent::Unknown(_)));
}

#[tokio::test]
async fn hmac_deliveries_verify_only_when_untouched() {
    use fixture_callbacks::webhooks::{verifier, Delivery, MockSender, WebhookEvent, MOCK_SECRET};
    let receiver = receiver().await;
    let url = format!("{}/parcels", receiver.uri());
    let sender = MockSender::new();
    let verifier = verifier(MOCK_SECRET);
    let event = WebhookEvent::parse(br#"{"type": "parcel.returned", "parcel_id": "p-secret-88"}"#).unwrap();

    sender.deliver(&url, &event, Delivery::Valid).await.unwrap();
    let delivery = last_delivery(&receiver).await;
    let signature = delivery.headers.get("x-parcel-signature").unwrap().to_str().unwrap().to_string();
    assert!(signature.starts_with("sha256=") && signature.len() == 7 + 64, "{signature}");
    verifier.verify(&delivery.headers, &delivery.body).unwrap();
    assert!(matches!(WebhookEvent::parse(&delivery.body).unwrap(), WebhookEvent::ParcelReturned(_)));

    // The HMAC scheme here signs the body alone, so a stale delivery is not a forgery of it.
    for (kind, delivery) in
        [("tampered", Delivery::Tampered), ("wrong secret", Delivery::WrongSecret), ("unsigned", Delivery::Unsigned)]
    {
        sender.deliver(&url, &event, delivery).await.unwrap();
        let received = last_delivery(&receiver).await;
        let error = verifier.verify(&received.headers, &received.body).expect_err(kind);
        assert_shows_none(&error, &["p-secret-88", MOCK_SECRET, &signature[7..]]);
    }
}

#[tokio::test]
async fn plaid_deliveries_verify_with_the_key_the_api_serves() {
    use plaid_client::webhooks::{verifier, Delivery, MockSender, WebhookEvent};
    let mock = plaid_client::mock::MockServer::start().await;
    let sender = MockSender::new(&mock);
    let verifier = verifier(&mock.client());
    let receiver = receiver().await;
    let url = format!("{}/plaid", receiver.uri());
    let payload = json!({
        "webhook_type": "CASH_FLOW_UPDATES",
        "webhook_code": "CASH_FLOW_INSIGHTS_UPDATED",
        "status": "AVAILABLE",
        "user_id": "user-secret-5150",
        "insights": ["LOW_BALANCE_DETECTED"],
        "environment": "sandbox"
    });
    let event = WebhookEvent::parse(payload.to_string().as_bytes()).unwrap();
    assert!(matches!(&event, WebhookEvent::CashFlowInsightsUpdated(update) if update.user_id == "user-secret-5150"));

    sender.deliver(&url, &event, Delivery::Valid).await.unwrap();
    let delivery = last_delivery(&receiver).await;
    assert!(delivery.headers.contains_key("plaid-verification"));
    verifier.verify(&delivery.headers, &delivery.body).await.unwrap();
    // A second delivery is checked with the cached key: the key operation was called once.
    sender.deliver(&url, &event, Delivery::Valid).await.unwrap();
    let again = last_delivery(&receiver).await;
    verifier.verify(&again.headers, &again.body).await.unwrap();
    assert_eq!(mock.webhook_verification_key_get().received().len(), 1);

    for (kind, delivery) in
        FORGERIES.iter().zip([Delivery::Tampered, Delivery::Stale, Delivery::WrongSecret, Delivery::Unsigned])
    {
        sender.deliver(&url, &event, delivery).await.unwrap();
        let received = last_delivery(&receiver).await;
        let error = verifier.verify(&received.headers, &received.body).await.expect_err(kind);
        assert_shows_none(&error, &["user-secret-5150"]);
    }
    // A valid token replayed with another body is refused: the token covers the body's digest.
    let replayed = serde_json::to_vec(
        &json!({"webhook_type": "CASH_FLOW_UPDATES", "webhook_code": "INSIGHTS_UPDATED", "user_id": "someone-else"}),
    )
    .unwrap();
    assert!(verifier.verify(&delivery.headers, &replayed).await.is_err());
}
