//! The downstream crate's tests, against `plaid_client::mock::MockServer`: the spec's example,
//! a response registered in the client's own types, an API error, and a request that breaks
//! the spec, which fails the test that sent it; what production sees (throttling with
//! `Retry-After`, a product not ready yet, a slow reply), as sequences of replies with headers
//! and delays; the mock's client not retrying; and credential values compared.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use downstream_example::institutions_with_reports;
use plaid_client::mock::{MockReply, MockServer};
use plaid_client::types::{CraMonitoringInsightsGetResponse, PlaidError};
use plaid_client::{Client, RetryPolicy};

#[tokio::test]
async fn lists_the_institutions_of_the_example_report() {
    let mock = MockServer::start().await;
    let names = institutions_with_reports(&mock.client(), "usr_1").await.unwrap();
    assert!(!names.is_empty());
    let received = mock.cra_monitoring_insights_get().received();
    assert_eq!(received[0].body.user_id.as_deref(), Some("usr_1"));
}

#[tokio::test]
async fn a_response_registered_in_the_clients_types() {
    let mock = MockServer::start().await;
    let empty = CraMonitoringInsightsGetResponse {
        request_id: "req-1".to_string(),
        user_insights_id: "insights-1".to_string(),
        items: Vec::new(),
        extra: Default::default(),
    };
    mock.cra_monitoring_insights_get().respond(&empty);
    assert_eq!(institutions_with_reports(&mock.client(), "usr_2").await.unwrap(), Vec::<String>::new());
}

#[tokio::test]
async fn an_api_error_reaches_the_caller_as_an_error() {
    let mock = MockServer::start().await;
    let error = serde_json::json!({
        "error_type": "INVALID_INPUT",
        "error_code": "INVALID_USER_ID",
        "error_message": "the user does not exist",
        "display_message": null,
        "request_id": "req-404",
    });
    mock.cra_monitoring_insights_get().respond_with_status(400, &error);
    let failure = institutions_with_reports(&mock.client(), "usr_3").await.unwrap_err();
    assert_eq!(failure.status().map(|status| status.as_u16()), Some(400));
    assert_eq!(failure.request_id(), Some("req-404"));
}

#[tokio::test]
async fn a_request_that_breaks_the_spec_is_refused_with_the_reason() {
    let mock = MockServer::start().await;
    // Sent by hand, without the required permissible purpose: what a client bug would send,
    // with credentials the server is told to expect.
    mock.expect_client_id("id").expect_secret("secret");
    let response = plaid_client::reqwest::Client::new()
        .post(format!("{}/cra/monitoring_insights/get", mock.uri()))
        .header("PLAID-CLIENT-ID", "id")
        .header("PLAID-SECRET", "secret")
        .header("Plaid-Version", "2020-09-14")
        .body(r#"{"user_id": "usr_4"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let rejections = mock.take_rejections();
    assert_eq!(rejections.len(), 1);
    assert!(rejections[0].contains("consumer_report_permissible_purpose"), "{rejections:?}");
    assert!(mock.cra_monitoring_insights_get().received().is_empty());
}

#[tokio::test]
#[should_panic(expected = "the mock server refused 1 request(s)")]
async fn a_refused_request_fails_the_test_when_nobody_collects_it() {
    let mock = MockServer::start().await;
    // No credentials at all.
    let _ = plaid_client::reqwest::Client::new()
        .post(format!("{}/cra/monitoring_insights/get", mock.uri()))
        .body("{}")
        .send()
        .await;
}

/// The attempts and request id of every finished call of a client.
type Calls = Arc<Mutex<Vec<(u32, Option<String>)>>>;

/// The calls a client finished, and the hook that records them.
fn recorder() -> (Calls, impl Fn(&plaid_client::ResponseInfo<'_>) + Send + Sync) {
    let calls = Calls::default();
    let seen = Arc::clone(&calls);
    (calls, move |info: &plaid_client::ResponseInfo<'_>| {
        seen.lock().unwrap().push((info.attempts, info.request_id.map(str::to_string)))
    })
}

#[tokio::test]
async fn throttled_then_served_through_a_client_asked_to_retry() {
    let mock = MockServer::start().await;
    mock.cra_monitoring_insights_get().respond_sequence([
        MockReply::status(429)
            .header("Retry-After", "0")
            .header("x-request-id", "req-throttled")
            .header("x-ratelimit-remaining", "0"),
        MockReply::example().header("x-request-id", "req-report"),
    ]);
    let (calls, hook) = recorder();
    let client = mock.client_builder().retry_policy(RetryPolicy::default()).on_response(hook).build().unwrap();
    let names = institutions_with_reports(&client, "usr_5").await.unwrap();
    assert!(!names.is_empty());
    // One call, two attempts, and the request id of the reply that counted.
    assert_eq!(*calls.lock().unwrap(), vec![(2, Some("req-report".to_string()))]);
    assert_eq!(mock.cra_monitoring_insights_get().received().len(), 2);
}

#[tokio::test]
async fn the_mocks_client_does_not_retry() {
    let mock = MockServer::start().await;
    mock.cra_monitoring_insights_get()
        .respond_sequence([MockReply::status(429).header("Retry-After", "7").header("x-request-id", "req-429")]);
    let failure = institutions_with_reports(&mock.client(), "usr_6").await.unwrap_err();
    assert_eq!(failure.status().map(|status| status.as_u16()), Some(429));
    assert_eq!(failure.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(failure.request_id(), Some("req-429"));
    assert_eq!(mock.cra_monitoring_insights_get().received().len(), 1);
    // The sequence is used up: the spec's example again.
    assert!(!institutions_with_reports(&mock.client(), "usr_6").await.unwrap().is_empty());
}

#[tokio::test]
async fn a_product_not_ready_then_the_report() {
    let mock = MockServer::start().await;
    let not_ready: PlaidError = serde_json::from_value(serde_json::json!({
        "error_type": "ITEM_ERROR",
        "error_code": "PRODUCT_NOT_READY",
        "error_message": "the report is still being generated",
        "display_message": null,
        "request_id": "req-not-ready",
    }))
    .unwrap();
    mock.cra_monitoring_insights_get().respond_sequence([MockReply::error(400, &not_ready), MockReply::example()]);
    let client = mock.client();
    let failure = institutions_with_reports(&client, "usr_7").await.unwrap_err();
    assert_eq!(failure.api_error().map(|error| error.error_code.as_str()), Some("PRODUCT_NOT_READY"));
    assert_eq!(failure.request_id(), Some("req-not-ready"));
    assert!(!institutions_with_reports(&client, "usr_7").await.unwrap().is_empty());
}

#[tokio::test]
async fn a_reply_later_than_the_timeout_fails_the_attempt() {
    let mock = MockServer::start().await;
    let slow = || MockReply::example().delay(Duration::from_secs(30));
    mock.cra_monitoring_insights_get().respond_once(slow());
    let impatient = mock.client_builder().timeout(Duration::from_millis(200));
    let failure = institutions_with_reports(&impatient.build().unwrap(), "usr_8").await.unwrap_err();
    assert!(failure.is_timeout(), "{failure:?}");

    // The spec marks the operation idempotent, so a client asked to retry tries again.
    mock.cra_monitoring_insights_get().respond_once(slow());
    let (calls, hook) = recorder();
    let retrying = mock
        .client_builder()
        .timeout(Duration::from_secs(1))
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .on_response(hook)
        .build()
        .unwrap();
    assert!(!institutions_with_reports(&retrying, "usr_8").await.unwrap().is_empty());
    assert_eq!(calls.lock().unwrap()[0].0, 2);
    assert_eq!(mock.cra_monitoring_insights_get().received().len(), 3);
}

#[tokio::test]
async fn a_wrong_credential_value_is_refused_without_showing_it() {
    let mock = MockServer::start().await;
    // The service's own client, configured as in production (the API version left to its
    // default, which the server compares with what the client sends).
    let own = |secret: &str| {
        Client::builder()
            .base_url(mock.uri())
            .client_id("client-123")
            .secret(secret)
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap()
    };
    mock.expect_client_id("client-123").expect_secret("s3cret-value");
    let failure = institutions_with_reports(&own("wrong-value"), "usr_9").await.unwrap_err();
    assert_eq!(failure.status().map(|status| status.as_u16()), Some(401));
    let rejections = mock.take_rejections();
    assert_eq!(rejections.len(), 1);
    assert!(
        rejections[0].ends_with(
            "wrong credentials: not the value the server expects in the `PLAID-SECRET` header (see \
             `MockServer::expect_secret`)"
        ),
        "{rejections:?}"
    );
    assert!(!rejections[0].contains("wrong-value") && !rejections[0].contains("s3cret"), "{rejections:?}");
    assert!(mock.cra_monitoring_insights_get().received().is_empty());

    assert!(!institutions_with_reports(&own("s3cret-value"), "usr_9").await.unwrap().is_empty());
    // The mock's own client sends what the server expects.
    assert!(!institutions_with_reports(&mock.client(), "usr_9").await.unwrap().is_empty());

    // Another API version than the one expected is refused too.
    let other_version = mock.client_builder().plaid_version("2099-01-01").build().unwrap();
    assert!(institutions_with_reports(&other_version, "usr_9").await.is_err());
    assert!(mock.take_rejections()[0].contains("the `Plaid-Version` header"));
}
