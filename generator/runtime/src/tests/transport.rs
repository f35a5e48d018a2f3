//! The send loop against a real server on 127.0.0.1 (wiremock), through the stand-in client:
//! credentials, retries, request ids from the decoded body, the response hook, and that neither
//! errors nor traces carry a value from a body.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::client::Client;
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::transport::ResponseInfo;

const SENTINEL: &str = "SENTINEL-77f3-monthly-income";

/// Everything the hook saw: (status, request id, attempts, succeeded).
type Seen = Arc<Mutex<Vec<(Option<u16>, Option<String>, u32, bool)>>>;

fn client(server: &MockServer, seen: &Seen) -> Client {
    let seen = seen.clone();
    Client::builder()
        .base_url(server.uri())
        .api_key("key-123")
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .on_response(move |info: &ResponseInfo<'_>| {
            let status = info.status.map(|status| status.as_u16());
            let entry = (status, info.request_id.map(str::to_string), info.attempts, info.succeeded);
            seen.lock().expect("not poisoned").push(entry);
        })
        .build()
        .expect("a valid client")
}

/// Captures what the `tracing` subscriber writes while `f` runs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

/// What every test of this binary traced: one global subscriber, since `tracing` caches which
/// call sites are enabled across threads and a per-test subscriber could miss events.
fn traced() -> Captured {
    static CAPTURED: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let writer = captured.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_writer(move || writer.clone())
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .finish();
            tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
            captured
        })
        .clone()
}

#[tokio::test]
async fn a_success_takes_its_request_id_from_the_decoded_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/report/get"))
        .and(header("x-api-key", "key-123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "request_id": "req-9", "amount": 12.5, "owner": "A. Person"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let seen = Seen::default();
    let report = client(&server, &seen).report_get(&json!({})).await.expect("a report");
    assert_eq!(report.amount, 12.5);
    assert_eq!(*seen.lock().expect("not poisoned"), [(Some(200), Some("req-9".to_string()), 1, true)]);
}

#[tokio::test]
async fn a_header_request_id_wins_and_server_errors_are_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).insert_header("x-request-id", "hdr-1").set_body_json(json!({
            "request_id": "req-9", "amount": 1, "owner": "x"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let seen = Seen::default();
    client(&server, &seen).report_get(&json!({})).await.expect("a report after one retry");
    assert_eq!(*seen.lock().expect("not poisoned"), [(Some(200), Some("hdr-1".to_string()), 2, true)]);
}

#[tokio::test]
async fn malformed_responses_and_undeclared_errors_show_no_body_value_anywhere() {
    let captured = traced();
    let server = MockServer::start().await;
    Mock::given(path("/report/get"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "request_id": "req-1", "amount": SENTINEL, "owner": SENTINEL
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/report/get"))
        .respond_with(ResponseTemplate::new(418).set_body_string(format!("<p>{SENTINEL}</p>")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/report/get"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "code": "INVALID_INPUT", "message": "bad input", "details": {"echo": SENTINEL}, "name": SENTINEL
        })))
        .mount(&server)
        .await;
    let seen = Seen::default();
    let client = client(&server, &seen);
    let mut errors = Vec::new();
    for _ in 0..3 {
        errors.push(client.report_get(&json!({})).await.expect_err("each call fails"));
    }
    assert!(matches!(errors[0], Error::Decode { .. }), "{:?}", errors[0]);
    assert!(matches!(errors[1], Error::UnexpectedStatus { .. }), "{:?}", errors[1]);
    assert!(matches!(errors[2], Error::Api { .. }), "{:?}", errors[2]);
    assert!(errors[2].to_string().ends_with("code=INVALID_INPUT message=bad input"), "{}", errors[2]);
    for error in &errors {
        let shown = format!("{error} | {error:?} | {:?}", std::error::Error::source(error).map(|s| s.to_string()));
        assert!(!shown.contains(SENTINEL), "an error shows a body value: {shown}");
    }
    let trace = captured.text();
    assert!(trace.contains("api_call") && trace.contains("call failed"), "{trace}");
    assert!(!trace.contains(SENTINEL), "a trace shows a body value: {trace}");
    assert!(errors[0].sensitive_body().is_some_and(|body| body.excerpt().contains(SENTINEL)));
}

#[tokio::test]
async fn missing_credentials_send_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().expect("a client");
    let error = client.report_get(&json!({})).await.expect_err("no credentials");
    assert_eq!(
        error.to_string(),
        "`reportGet` needs credentials the client does not have, so nothing was sent: set `api_key` on the client builder"
    );
}

#[test]
fn settings_check_the_base_url_and_read_the_environment() {
    let error = Client::builder().base_url("ftp://example.com").build().expect_err("not http");
    assert_eq!(error.to_string(), "`ftp://example.com` is not an absolute http or https URL");
    assert_eq!(crate::settings::read_env("CLIENT_RUNTIME_TEST_SURELY_UNSET"), None);
    assert!(crate::settings::cookie_value("session", "a;b").is_err());
}

#[tokio::test]
async fn the_call_runs_inside_its_span_named_as_opentelemetry_names_http_clients() {
    let captured = traced();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(409).insert_header("x-request-id", "req-span-1").set_body_json(json!({
            "code": "CONFLICT", "message": "already there", "details": {"echo": SENTINEL}
        })))
        .mount(&server)
        .await;
    // The hook runs inside the call, after its last attempt: what it traces belongs to the span.
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("key-123")
        .on_response(|_: &ResponseInfo<'_>| tracing::info!("hook-marker-5e1"))
        .build()
        .expect("a client");
    client.report_get(&json!({})).await.expect_err("a 409");
    let trace = captured.text();
    let hook_line = trace.lines().find(|line| line.contains("hook-marker-5e1")).expect("the hook's event");
    assert!(hook_line.contains("api_call{"), "the event is outside the span: {hook_line}");
    let port = server.address().port();
    for field in [
        "otel.name=POST /report/get".to_string(),
        "otel.kind=\"client\"".to_string(),
        "operation=\"reportGet\"".to_string(),
        "http.request.method=\"POST\"".to_string(),
        "url.template=\"/report/get\"".to_string(),
        "server.address=\"127.0.0.1\"".to_string(),
        format!("server.port={port}"),
    ] {
        assert!(hook_line.contains(&field), "the span lacks `{field}`: {hook_line}");
    }
    let failed = trace.lines().find(|line| line.contains("call failed") && line.contains("req-span-1"));
    let failed = failed.expect("the end of the call");
    for field in [
        "http.response.status_code=409",
        "error.type=\"409\"",
        "otel.status_code=\"ERROR\"",
        "request_id=\"req-span-1\"",
    ] {
        assert!(failed.contains(field), "the span lacks `{field}`: {failed}");
    }
    assert!(!trace.contains(SENTINEL) && !trace.contains("key-123"), "{trace}");
}
