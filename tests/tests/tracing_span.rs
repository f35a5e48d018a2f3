//! The `api_call` tracing span of the generated client (its default `tracing` feature): what it records about a
//! call, and what it must never record (credentials, request bodies, response bodies).
//!
//! The subscriber is installed with `set_default`, which is thread-local, so the tests run on tokio's
//! current-thread runtime (`#[tokio::test]`), where the client's futures are polled on the test's own thread.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use plaid_client::types::{CraMonitoringInsightsGetRequest, MonitoringConsumerReportPermissiblePurpose};
use plaid_client::{Client, Error, RetryPolicy};
use serde_json::{json, Value};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::fmt::MakeWriter;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "client-tracing-42";
const SECRET: &str = "sk-tracing-9b8e1f0c";
const OPERATION_ID: &str = "craMonitoringInsightsGet";
const OPERATION_PATH: &str = "/cra/monitoring_insights/get";
const USER_ID: &str = "usr_tracing_c0ffee";
/// The `request_id` of the spec's 200 example.
const EXAMPLE_REQUEST_ID: &str = "Tz8qW3mKp5Lx2Rb";
const ERROR_REQUEST_ID: &str = "req-trace-500";
const ERROR_MESSAGE: &str = "the ledger service fell over";

/// Everything the subscriber writes, kept in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).expect("the output is UTF-8")
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Installs, for the current thread, a subscriber that writes every event and span close, at every level.
fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    (captured, guard)
}

fn spec_example() -> Value {
    let path = pipeline_tests::workspace_root().join("spec/openapi.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).expect("the spec is valid YAML");
    let example = &spec["paths"][OPERATION_PATH]["post"]["responses"]["200"]["content"]["application/json"]["example"];
    serde_json::to_value(example).expect("the example converts to JSON")
}

fn client_for(base_url: impl Into<String>) -> Client {
    Client::builder()
        .base_url(base_url)
        .client_id(CLIENT_ID)
        .secret(SECRET)
        .timeout(Duration::from_secs(5))
        .retry_policy(
            RetryPolicy::default().initial_backoff(Duration::from_millis(10)).max_backoff(Duration::from_millis(50)),
        )
        .build()
        .expect("the client builds")
}

fn request() -> CraMonitoringInsightsGetRequest {
    CraMonitoringInsightsGetRequest::builder()
        .consumer_report_permissible_purpose(MonitoringConsumerReportPermissiblePurpose::AccountReviewCredit)
        .user_id(USER_ID)
        .build()
        .expect("the request is valid")
}

/// Asserts that the captured output holds no credential and no body content.
#[track_caller]
fn assert_nothing_sensitive(output: &str) {
    assert!(!output.contains(SECRET), "the secret leaks into the trace:\n{output}");
    for body_content in [USER_ID, "ACCOUNT_REVIEW_CREDIT", "First Platypus Bank", "Quokka Credit Union", ERROR_MESSAGE]
    {
        assert!(!output.contains(body_content), "body content `{body_content}` leaks into the trace:\n{output}");
    }
}

/// The line the subscriber writes when the (only) `api_call` span of `output` closes: it shows every field the
/// span recorded, so the assertions on it are about the span itself, not about its events.
#[track_caller]
fn span_close_line(output: &str) -> &str {
    let lines: Vec<_> = output.lines().filter(|line| line.contains("api_call{") && line.contains(" close ")).collect();
    assert_eq!(lines.len(), 1, "expected one closing `api_call` span:\n{output}");
    lines[0]
}

#[tokio::test]
async fn api_call_span_records_the_call_and_nothing_sensitive() {
    let (captured, _guard) = capture();

    // A successful call.
    let ok_server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec_example()))
        .expect(1)
        .mount(&ok_server)
        .await;
    let report = client_for(ok_server.uri()).cra_monitoring_insights_get(&request()).await.expect("the call succeeds");
    assert_eq!(report.request_id, EXAMPLE_REQUEST_ID);
    let success = captured.text();

    // A call that fails with 500 on every attempt (one attempt and two retries).
    let failing_server = MockServer::start().await;
    let error_body = json!({
        "error_type": "API_ERROR",
        "error_code": "INTERNAL_SERVER_ERROR",
        "error_message": ERROR_MESSAGE,
        "display_message": null,
        "request_id": ERROR_REQUEST_ID
    });
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(ResponseTemplate::new(500).set_body_json(error_body))
        .expect(3)
        .mount(&failing_server)
        .await;
    let err = client_for(failing_server.uri()).cra_monitoring_insights_get(&request()).await.unwrap_err();
    assert!(matches!(&err, Error::Api { status, .. } if status.as_u16() == 500), "{err:?}");
    let all = captured.text();
    let failure = &all[success.len()..];

    // The successful call: one span, with its operation, method, path template, status, attempts and request id.
    for expected in [
        "api_call",
        OPERATION_ID,
        "http.method=\"POST\"",
        OPERATION_PATH,
        "http.status=200",
        "attempts=1",
        EXAMPLE_REQUEST_ID,
        "latency_ms=",
        "call succeeded",
        "close",
    ] {
        assert!(success.contains(expected), "the success trace lacks `{expected}`:\n{success}");
    }
    assert!(!success.contains("retrying"), "{success}");
    let closed = span_close_line(&success);
    for field in [
        format!("operation=\"{OPERATION_ID}\""),
        "http.method=\"POST\"".to_string(),
        format!("http.path=\"{OPERATION_PATH}\""),
        "http.status=200".to_string(),
        "attempts=1".to_string(),
        format!("request_id=\"{EXAMPLE_REQUEST_ID}\""),
    ] {
        assert!(closed.contains(&field), "the span lacks `{field}`: {closed}");
    }

    // The failing call: its retries, and the final status, attempts and request id.
    for expected in [
        "api_call",
        OPERATION_ID,
        "http.method=\"POST\"",
        OPERATION_PATH,
        "http.status=500",
        "attempts=3",
        ERROR_REQUEST_ID,
        "retrying",
        "api error 500",
        "call failed",
        "close",
    ] {
        assert!(failure.contains(expected), "the failure trace lacks `{expected}`:\n{failure}");
    }
    assert_eq!(failure.matches("retrying").count(), 2, "two retries:\n{failure}");
    let closed = span_close_line(failure);
    for field in [
        format!("operation=\"{OPERATION_ID}\""),
        "http.method=\"POST\"".to_string(),
        format!("http.path=\"{OPERATION_PATH}\""),
        "http.status=500".to_string(),
        "attempts=3".to_string(),
        format!("request_id=\"{ERROR_REQUEST_ID}\""),
    ] {
        assert!(closed.contains(&field), "the span lacks `{field}`: {closed}");
    }

    // The client id is not a secret (it may or may not show); the secret and the bodies must not.
    assert_nothing_sensitive(&all);

    assert_eq!(ok_server.received_requests().await.unwrap().len(), 1);
    assert_eq!(failing_server.received_requests().await.unwrap().len(), 3);
    ok_server.verify().await;
    failing_server.verify().await;
}

#[tokio::test]
async fn no_span_for_a_request_that_fails_validation() {
    // Validation happens before the call starts, so nothing is traced (and nothing sent).
    let (captured, _guard) = capture();
    let server = MockServer::start().await;
    let client = client_for(server.uri());
    let invalid = CraMonitoringInsightsGetRequest {
        client_id: None,
        secret: None,
        user_id: Some(USER_ID.to_string()),
        consumer_report_permissible_purpose: MonitoringConsumerReportPermissiblePurpose::Unknown("NOPE".into()),
        user_token: None,
    };

    let err = client.cra_monitoring_insights_get(&invalid).await.unwrap_err();

    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    let output = captured.text();
    assert!(!output.contains("api_call"), "{output}");
    assert_nothing_sensitive(&output);
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}
