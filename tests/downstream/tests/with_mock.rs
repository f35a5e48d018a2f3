//! The downstream crate's tests, against `plaid_client::mock::MockServer`: the spec's example,
//! a response registered in the client's own types, an API error, and a request that breaks
//! the spec, which fails the test that sent it.

use downstream_example::institutions_with_reports;
use plaid_client::mock::MockServer;
use plaid_client::types::CraMonitoringInsightsGetResponse;

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
    // Sent by hand, without the required permissible purpose: what a client bug would send.
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
