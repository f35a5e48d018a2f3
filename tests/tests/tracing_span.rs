//! The `api_call` tracing span of the generated client (its default `tracing` feature): what it records about a
//! call, under OpenTelemetry's names for HTTP client spans, that the request runs inside it, and what it must
//! never record (credentials, header values, request bodies, response bodies).
//!
//! The subscriber is installed with `set_default`, which is thread-local, so the tests run on tokio's
//! current-thread runtime (`#[tokio::test]`), where the client's futures are polled on the test's own thread.

use std::io::Write;
use std::sync::{Arc, Mutex};

use pipeline_tests::http::requests_seen;
use pipeline_tests::plaid::{
    client_for, exchange, invalid_request, plaid_error, quick_retries, spec_example, Exchange, EXAMPLE_REQUEST_ID,
    OPERATION_ID, OPERATION_PATH, SECRET, USER_ID,
};
use plaid_client::{Error, RetryPolicy};
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::fmt::MakeWriter;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ERROR_REQUEST_ID: &str = "req-trace-500";
const ERROR_MESSAGE: &str = "the ledger service fell over";
/// The value of a response header, which must not be traced either.
const HEADER_VALUE: &str = "hdr-value-6f2b0c";

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

/// Asserts that the captured output holds no credential and no body content.
#[track_caller]
fn assert_nothing_sensitive(output: &str) {
    assert!(!output.contains(SECRET), "the secret leaks into the trace:\n{output}");
    for body_content in
        [USER_ID, "ACCOUNT_REVIEW_CREDIT", "First Platypus Bank", "Quokka Credit Union", ERROR_MESSAGE, HEADER_VALUE]
    {
        assert!(!output.contains(body_content), "body content `{body_content}` leaks into the trace:\n{output}");
    }
}

/// The fields every `api_call` span of the operation has from its start: OpenTelemetry's span kind and name,
/// the method, the path template and the server, and the operation id.
fn common_fields(server: &MockServer) -> Vec<String> {
    vec![
        "otel.kind=\"client\"".to_string(),
        format!("otel.name=POST {OPERATION_PATH}"),
        format!("operation=\"{OPERATION_ID}\""),
        "http.request.method=\"POST\"".to_string(),
        format!("url.template=\"{OPERATION_PATH}\""),
        "server.address=\"127.0.0.1\"".to_string(),
        format!("server.port={}", server.address().port()),
    ]
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
    let ok = ResponseTemplate::new(200).insert_header("x-session-hint", HEADER_VALUE).set_body_json(spec_example());
    let Exchange { server: ok_server, result, .. } = exchange(ok, quick_retries(2)).await;
    assert_eq!(result.expect("the call succeeds").request_id, EXAMPLE_REQUEST_ID);
    let success = captured.text();

    // A call that fails with 500 on every attempt (one attempt and two retries).
    let mut error_body = plaid_error("API_ERROR", "INTERNAL_SERVER_ERROR", ERROR_REQUEST_ID);
    error_body["error_message"] = json!(ERROR_MESSAGE);
    let failing = ResponseTemplate::new(500).set_body_json(error_body);
    let Exchange { server: failing_server, result, .. } = exchange(failing, quick_retries(2)).await;
    let err = result.unwrap_err();
    assert!(matches!(&err, Error::Api { status, .. } if status.as_u16() == 500), "{err:?}");
    let all = captured.text();
    let failure = &all[success.len()..];

    // The successful call: one span, named and described as OpenTelemetry names an HTTP client's span.
    for expected in ["attempts=1", "latency_ms=", "call succeeded", "close"] {
        assert!(success.contains(expected), "the success trace lacks `{expected}`:\n{success}");
    }
    assert!(!success.contains("retrying"), "{success}");
    let closed = span_close_line(&success);
    for field in common_fields(&ok_server) {
        assert!(closed.contains(&field), "the span lacks `{field}`: {closed}");
    }
    for field in ["http.response.status_code=200".to_string(), format!("request_id=\"{EXAMPLE_REQUEST_ID}\"")] {
        assert!(closed.contains(&field), "the span lacks `{field}`: {closed}");
    }
    for absent in ["http.request.resend_count", "error.type", "otel.status_code"] {
        assert!(!closed.contains(absent), "a successful first attempt has no `{absent}`: {closed}");
    }

    // The failing call: its retries, and the final status, resend count, error type and request id.
    for expected in ["retrying", "error.type=500", "attempts=3", "call failed", "close"] {
        assert!(failure.contains(expected), "the failure trace lacks `{expected}`:\n{failure}");
    }
    assert_eq!(failure.matches("retrying").count(), 2, "two retries:\n{failure}");
    let closed = span_close_line(failure);
    for field in common_fields(&failing_server) {
        assert!(closed.contains(&field), "the span lacks `{field}`: {closed}");
    }
    for field in [
        "http.response.status_code=500".to_string(),
        "http.request.resend_count=2".to_string(),
        "error.type=\"500\"".to_string(),
        "otel.status_code=\"ERROR\"".to_string(),
        format!("request_id=\"{ERROR_REQUEST_ID}\""),
    ] {
        assert!(closed.contains(&field), "the span lacks `{field}`: {closed}");
    }

    // The client id is not a secret (it may or may not show); the secret and the bodies must not.
    assert_nothing_sensitive(&all);

    assert_eq!(requests_seen(&ok_server).await, 1);
    assert_eq!(requests_seen(&failing_server).await, 3);
}

#[tokio::test]
async fn no_span_for_a_request_that_fails_validation() {
    // Validation happens before the call starts, so nothing is traced (and nothing sent).
    let (captured, _guard) = capture();
    let server = MockServer::start().await;
    let client = client_for(server.uri(), RetryPolicy::none());

    let err = client.cra_monitoring_insights_get(&invalid_request()).await.unwrap_err();

    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    let output = captured.text();
    assert!(!output.contains("api_call"), "{output}");
    assert_nothing_sensitive(&output);
    assert_eq!(requests_seen(&server).await, 0);
}

#[tokio::test]
async fn the_request_runs_inside_the_span() {
    // A token source is asked within each attempt: what it sees as the current span, and the events it emits,
    // belong to the call's span when the request future runs inside it.
    let (captured, _guard) = capture();
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let spans = seen.clone();
    let client = fixture_security::Client::builder()
        .environment(fixture_security::Environment::Relative)
        .host(server.uri())
        .oauth_source(move || {
            let current = tracing::Span::current().metadata().map(|metadata| metadata.name());
            spans.lock().unwrap().push(current);
            async {
                tracing::info!("token-source-marker");
                Ok::<_, fixture_security::TokenError>(fixture_security::Secret::new(SECRET))
            }
        })
        .build()
        .expect("the client builds");

    client.with_alternatives().await.expect("the call succeeds");

    assert_eq!(*seen.lock().unwrap(), [Some("api_call")]);
    let output = captured.text();
    let marker = output.lines().find(|line| line.contains("token-source-marker")).expect("the source's event");
    assert!(marker.contains("api_call{") && marker.contains("otel.kind=\"client\""), "outside the span: {marker}");
    assert!(!output.contains(SECRET), "the token leaks into the trace:\n{output}");
}
