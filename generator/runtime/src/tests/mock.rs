//! The mock server against the stand-in client: credentials checked, examples served, typed
//! responses registered, typed requests kept, refusals collected; and a dry run.

use serde_json::json;

use crate::client::{Client, Report};
use crate::mock::ReportGetRequest;
use crate::mock_server::MockServer;

#[tokio::test]
async fn serves_the_example_then_the_registered_response_and_keeps_requests() {
    let mock = MockServer::start().await;
    let client = Client::builder().base_url(mock.uri()).api_key("key").build().unwrap();

    let report = client.report_get(&json!({"user": "u1"})).await;
    // The stand-in's example lacks the report's other fields, so it does not decode.
    assert!(matches!(report, Err(crate::Error::Decode { .. })), "{report:?}");

    let handle = mock.operation::<ReportGetRequest, Report>("reportGet", crate::mock_server::json_body);
    let registered = Report { request_id: "r1".into(), amount: 1.5, owner: "o".into() };
    handle.respond(&registered);
    assert_eq!(client.report_get(&json!({"user": "u2"})).await.unwrap(), registered);

    let bodies: Vec<_> = handle.received().into_iter().map(|request| request.body).collect();
    assert_eq!(bodies, vec![Some(json!({"user": "u1"})), Some(json!({"user": "u2"}))]);
    assert!(mock.take_rejections().is_empty());
}

#[tokio::test]
async fn refuses_requests_without_credentials_or_route_and_says_why() {
    let mock = MockServer::start().await;
    let http = reqwest::Client::new();
    let response = http.post(format!("{}/report/get", mock.uri())).body("{}").send().await.unwrap();
    assert_eq!(response.status(), 401);
    let response = http.get(format!("{}/nowhere", mock.uri())).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let rejections = mock.take_rejections();
    assert_eq!(
        rejections,
        vec![
            "POST /report/get: `reportGet`: missing credentials: expected the `x-api-key` header".to_string(),
            "GET /nowhere: no operation of the spec has this method and path".to_string(),
        ]
    );
}

#[tokio::test]
async fn a_dry_run_hands_back_the_prepared_request_with_credentials() {
    let mut builder = Client::builder().base_url("http://127.0.0.1:9").api_key("key");
    builder.settings.dry_run = true;
    let client = builder.build().unwrap();
    match client.report_get(&json!({"a": 1})).await {
        Err(crate::Error::DryRun(request)) => {
            assert_eq!(request.0.url().as_str(), "http://127.0.0.1:9/report/get");
            assert!(request.0.headers()["x-api-key"].is_sensitive());
            assert_eq!(format!("{request:?}"), "DryRunRequest(POST /report/get)");
        }
        other => panic!("expected a dry run, got {other:?}"),
    }
}
