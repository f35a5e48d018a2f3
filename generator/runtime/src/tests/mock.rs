//! The mock server against the stand-in client, over HTTP on 127.0.0.1: credentials checked
//! (present and with the expected values), examples served, typed replies (for every request,
//! or a sequence, with headers and delays), typed requests kept, refusals collected; the mock's
//! client does not retry unless asked; and a dry run.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use crate::api_error::ErrorObject;
use crate::client::{Client, Report};
use crate::mock_server::{MockReply, MockServer};
use crate::retry::RetryPolicy;

fn report(request_id: &str) -> Report {
    Report { request_id: request_id.into(), amount: 1.5, owner: "o".into() }
}

#[tokio::test]
async fn serves_the_example_then_the_registered_response_and_keeps_requests() {
    let mock = MockServer::start().await;
    let client = mock.client();

    let example = client.report_get(&json!({"user": "u1"})).await;
    // The stand-in's example lacks the report's other fields, so it does not decode.
    assert!(matches!(example, Err(crate::Error::Decode { .. })), "{example:?}");

    let registered = report("r1");
    mock.report_get().respond(&registered);
    assert_eq!(client.report_get(&json!({"user": "u2"})).await.unwrap(), registered);

    let bodies: Vec<_> = mock.report_get().received().into_iter().map(|request| request.body).collect();
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
async fn compares_credential_values_and_never_shows_them() {
    let mock = MockServer::start().await;
    mock.report_get().respond(&report("r1"));
    let own = Client::builder()
        .base_url(mock.uri())
        .api_key("k-own-secret")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    let refused = own.report_get(&json!({})).await.unwrap_err();
    assert_eq!(refused.status().map(|status| status.as_u16()), Some(401));
    let rejections = mock.take_rejections();
    assert_eq!(
        rejections,
        vec!["POST /report/get: `reportGet`: wrong credentials: not the value the server expects in the `x-api-key` \
             header (see `MockServer::expect_api_key`)"
            .to_string()]
    );
    assert!(mock.report_get().received().is_empty());

    // Told what to expect, the server accepts the test's own client, and its own client sends
    // the same value.
    mock.expect_api_key("k-own-secret");
    assert_eq!(own.report_get(&json!({})).await.unwrap(), report("r1"));
    assert_eq!(mock.client().report_get(&json!({})).await.unwrap(), report("r1"));
    assert_eq!(mock.client_credential(0).as_deref(), Some("k-own-secret"));
    assert!(mock.take_rejections().is_empty());
}

/// The command line's server takes any value that is present.
#[cfg(feature = "cli")]
#[tokio::test]
async fn the_command_lines_server_accepts_any_credential_value() {
    let any = MockServer::start().await;
    any.accept_any_credential_value();
    any.report_get().respond(&report("r2"));
    let other = Client::builder().base_url(any.uri()).api_key("whatever").build().unwrap();
    assert_eq!(other.report_get(&json!({})).await.unwrap(), report("r2"));
}

#[tokio::test]
async fn answers_a_sequence_with_headers_then_falls_back_to_the_standing_reply() {
    let mock = MockServer::start().await;
    let handle = mock.report_get();
    handle.respond(&report("standing"));
    handle.respond_sequence([
        MockReply::status(429).header("Retry-After", "7").header("x-request-id", "req-throttled"),
        MockReply::error(
            400,
            &ErrorObject {
                code: "PRODUCT_NOT_READY".into(),
                message: Some("not yet".into()),
                request_id: Some("req-not-ready".into()),
                details: None,
                additional_properties: Default::default(),
            },
        ),
    ]);
    handle.respond_once(MockReply::success(report("queued")).header("x-request-id", "req-ok"));
    assert_eq!(handle.queued(), 3);
    let client = mock.client();

    // The mock's client does not retry: each call takes one reply.
    let throttled = client.report_get(&json!({})).await.unwrap_err();
    assert_eq!(throttled.status().map(|status| status.as_u16()), Some(429));
    assert_eq!(throttled.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(throttled.request_id(), Some("req-throttled"));
    let not_ready = client.report_get(&json!({})).await.unwrap_err();
    assert_eq!(not_ready.api_error().map(|error| error.code.as_str()), Some("PRODUCT_NOT_READY"));
    assert_eq!(client.report_get(&json!({})).await.unwrap(), report("queued"));
    assert_eq!(handle.queued(), 0);
    // Used up: the standing reply, then the example again once it is taken back.
    assert_eq!(client.report_get(&json!({})).await.unwrap(), report("standing"));
    handle.respond_with_example();
    assert!(matches!(client.report_get(&json!({})).await, Err(crate::Error::Decode { .. })));
    assert_eq!(handle.received().len(), 5);
    assert!(mock.take_rejections().is_empty());
}

#[tokio::test]
async fn a_client_asked_to_retry_rides_out_the_sequence() {
    let mock = MockServer::start().await;
    mock.report_get().respond_sequence([
        MockReply::status(429).header("Retry-After", "0"),
        MockReply::status(503),
        MockReply::success(report("after-retries")).header("x-request-id", "req-3"),
    ]);
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&calls);
    let client = mock
        .client_builder()
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .on_response(move |info| seen.lock().unwrap().push((info.attempts, info.request_id.map(str::to_string))))
        .build()
        .unwrap();
    assert_eq!(client.report_get(&json!({})).await.unwrap(), report("after-retries"));
    assert_eq!(*calls.lock().unwrap(), vec![(3, Some("req-3".to_string()))]);
    assert_eq!(mock.report_get().received().len(), 3);

    // The mock's own client gives up at the first failure, even one that is always retried.
    mock.report_get().respond_once(MockReply::status(429));
    assert!(mock.client().report_get(&json!({})).await.is_err());
    assert_eq!(mock.report_get().received().len(), 4);
}

#[tokio::test]
async fn a_delayed_reply_trips_the_clients_timeout() {
    let mock = MockServer::start().await;
    mock.report_get().respond_with(MockReply::success(report("slow")).delay(Duration::from_secs(5)));
    let client = mock.client_builder().timeout(Duration::from_millis(100)).build().unwrap();
    let error = client.report_get(&json!({})).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    // The request arrived; only the reply was late.
    assert_eq!(mock.report_get().received().len(), 1);

    // A delay within the timeout only makes the call slower.
    mock.report_get().respond_with(MockReply::success(report("in-time")).delay(Duration::from_millis(20)));
    let patient = mock.client_builder().timeout(Duration::from_secs(5)).build().unwrap();
    assert_eq!(patient.report_get(&json!({})).await.unwrap(), report("in-time"));
}

#[tokio::test]
async fn a_reply_of_bytes_arrives_exactly_as_written() {
    let mock = MockServer::start().await;
    let client = mock.client();
    // Spacing and key order no encoder of `Report` would produce.
    let written = "{ \"owner\":\"o\",\n  \"amount\": 1.50, \"request_id\": \"r-raw\" }";
    mock.report_get().respond_with(MockReply::bytes(200, "application/json", written));
    let response = client.report_get_with_response(&json!({})).await.unwrap();
    assert_eq!(response.body(), written.as_bytes());
    assert_eq!(response.value().request_id, "r-raw");

    // And a body that does not decode reaches the error whole.
    mock.report_get().respond_with(MockReply::bytes(200, "application/json", "{\"amount\": \"lots\"}"));
    let error = client.report_get(&json!({})).await.unwrap_err();
    assert_eq!(error.sensitive_body().unwrap().bytes(), b"{\"amount\": \"lots\"}");
    assert_eq!(error.sensitive_body().unwrap().headers().get("content-type").unwrap(), "application/json");
}

#[test]
#[should_panic(expected = "`bad name` is not a valid header name")]
fn a_reply_refuses_a_header_that_cannot_be_sent() {
    let _ = MockReply::<Report>::status(200).header("bad name", "x");
}

#[test]
#[should_panic(expected = "1000 is not an HTTP status")]
fn a_reply_refuses_a_status_that_is_not_one() {
    let _ = MockReply::<Report>::status(1000);
}

#[test]
fn a_replys_debug_shows_no_body_or_header_value() {
    let reply = MockReply::success(report("secret-report")).header("x-token", "secret-value");
    let debug = format!("{reply:?}");
    assert!(!debug.contains("secret"), "{debug}");
    assert!(debug.contains("x-token"), "{debug}");
}

/// The command line's `--dry-run`.
#[cfg(feature = "cli")]
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
