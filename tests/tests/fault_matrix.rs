//! The fault matrix: every way a call of the generated client can end, over real HTTP against a local mock server.
//!
//! Each test is one row of the matrix and checks three things: the outcome (the value, or the exact error
//! variant), how many requests reached the server (so retries happen exactly when they should, and only then),
//! and that the secret appears in no error message, no `Debug` output of an error and no `Debug` output of the
//! client. Retry waits are short and every deadline is bounded, so the whole file runs in a few seconds.

use std::fmt::{Debug, Display};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use plaid_client::types::{
    CraMonitoringInsightsGetRequest, CraMonitoringInsightsGetResponse, MonitoringConsumerReportPermissiblePurpose,
    MonitoringItemStatusCode, PlaidErrorType,
};
use plaid_client::{BuildError, Client, ClientBuilder, Environment, Error, Mismatch, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const CLIENT_ID: &str = "client-fault-matrix";
const SECRET: &str = "sk-fault-matrix-7f3a9c2e";
const OPERATION_PATH: &str = "/cra/monitoring_insights/get";
const USER_ID: &str = "usr_fault_5d1e";
/// The `request_id` of the spec's 200 example.
const EXAMPLE_REQUEST_ID: &str = "Tz8qW3mKp5Lx2Rb";

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

/// The `example` of the 200 response of the operation in the spec, as JSON.
fn spec_example() -> Value {
    let path = pipeline_tests::workspace_root().join("spec/openapi.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).expect("the spec is valid YAML");
    let example = &spec["paths"][OPERATION_PATH]["post"]["responses"]["200"]["content"]["application/json"]["example"];
    assert!(example.is_mapping(), "the 200 response has an example object, got {example:?}");
    serde_json::to_value(example).expect("the example converts to JSON")
}

/// The default retry budget (two retries) with waits short enough for tests.
fn short_retries() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(10)).max_backoff(Duration::from_millis(50))
}

fn builder_for(base_url: impl Into<String>) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .client_id(CLIENT_ID)
        .secret(SECRET)
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(2))
        .retry_policy(short_retries())
}

fn client_for(base_url: impl Into<String>) -> Client {
    builder_for(base_url).build().expect("the client builds")
}

fn request() -> CraMonitoringInsightsGetRequest {
    CraMonitoringInsightsGetRequest::builder()
        .consumer_report_permissible_purpose(MonitoringConsumerReportPermissiblePurpose::AccountReviewCredit)
        .user_id(USER_ID)
        .build()
        .expect("the request is valid")
}

fn plaid_error(error_type: &str, error_code: &str, request_id: &str) -> Value {
    json!({
        "error_type": error_type,
        "error_code": error_code,
        "error_message": format!("{error_code} happened"),
        "display_message": null,
        "request_id": request_id
    })
}

/// Asserts that neither the Display nor the Debug forms of `value` contain the secret.
#[track_caller]
fn assert_no_secret(value: &(impl Display + Debug)) {
    for text in [format!("{value}"), format!("{value:?}"), format!("{value:#?}")] {
        assert!(!text.contains(SECRET), "the secret leaks: {text}");
    }
}

#[track_caller]
fn assert_client_has_no_secret(client: &Client) {
    for text in [format!("{client:?}"), format!("{client:#?}")] {
        assert!(text.contains("Client"), "{text}");
        assert!(!text.contains(SECRET), "the secret leaks through Debug of the client: {text}");
    }
}

/// How many requests the mock server has seen so far.
async fn requests_seen(server: &MockServer) -> usize {
    server.received_requests().await.expect("request recording is on").len()
}

/// Mounts one response for every request to the operation.
async fn answer_with(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("POST")).and(path(OPERATION_PATH)).respond_with(response).mount(server).await;
}

/// Answers the n-th request with the n-th response, and every request after the last with the last one.
struct Sequence {
    responses: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl Sequence {
    fn new(responses: impl IntoIterator<Item = ResponseTemplate>) -> Self {
        let responses: Vec<_> = responses.into_iter().collect();
        assert!(!responses.is_empty());
        Sequence { responses, next: AtomicUsize::new(0) }
    }
}

impl Respond for Sequence {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let index = self.next.fetch_add(1, Ordering::SeqCst);
        self.responses[index.min(self.responses.len() - 1)].clone()
    }
}

/// The single value of header `name` in a request, failing if it was absent or repeated.
#[track_caller]
fn single_header<'r>(request: &'r Request, name: &str) -> &'r str {
    let values: Vec<_> = request.headers.get_all(name).iter().collect();
    assert_eq!(values.len(), 1, "expected exactly one `{name}` header, got {values:?}");
    values[0].to_str().expect("header value is text")
}

// ---------------------------------------------------------------------------------------------------------------
// Successful responses
// ---------------------------------------------------------------------------------------------------------------

/// Row 1: the spec's example decodes to exactly the value serde makes of it.
#[tokio::test]
async fn row01_ok_full_example_report() {
    let server = MockServer::start().await;
    let example = spec_example();
    answer_with(&server, ResponseTemplate::new(200).set_body_json(&example)).await;
    let client = client_for(server.uri());

    let report = client.cra_monitoring_insights_get(&request()).await.expect("the call succeeds");

    let expected: CraMonitoringInsightsGetResponse = serde_json::from_value(example).unwrap();
    assert_eq!(report, expected);
    assert_eq!(report.request_id, EXAMPLE_REQUEST_ID);
    assert_eq!(report.items.len(), 2);
    assert_eq!(requests_seen(&server).await, 1);
    assert_client_has_no_secret(&client);
}

/// Row 2: unknown properties and unknown enum values are kept, and survive a re-encoding.
#[tokio::test]
async fn row02_ok_unknown_fields_and_unknown_enum_value_are_kept() {
    let server = MockServer::start().await;
    let mut body = spec_example();
    let item = &mut body["items"][0];
    item["status"]["status_code"] = json!("PAUSED");
    item["risk_flags"] = json!({"score": 7, "labels": ["new", "shiny"]});
    body["served_by"] = json!("edge-17");
    answer_with(&server, ResponseTemplate::new(200).set_body_json(&body)).await;
    let client = client_for(server.uri());

    let report = client.cra_monitoring_insights_get(&request()).await.expect("the call succeeds");

    assert_eq!(report.items[0].status.status_code, MonitoringItemStatusCode::Unknown("PAUSED".into()));
    assert_eq!(report.items[0].extra.get("risk_flags"), Some(&json!({"score": 7, "labels": ["new", "shiny"]})));
    assert_eq!(report.extra.get("served_by"), Some(&json!("edge-17")));
    assert_eq!(report.items[1].status.status_code, MonitoringItemStatusCode::Pending, "known values still decode");

    let reencoded = serde_json::to_value(&report).expect("the report encodes");
    assert_eq!(reencoded["items"][0]["status"]["status_code"], json!("PAUSED"));
    assert_eq!(reencoded["items"][0]["risk_flags"], json!({"score": 7, "labels": ["new", "shiny"]}));
    assert_eq!(reencoded["served_by"], json!("edge-17"));
    let decoded_again: CraMonitoringInsightsGetResponse = serde_json::from_value(reencoded).unwrap();
    assert_eq!(decoded_again, report, "a round trip through JSON changes nothing");

    assert_eq!(requests_seen(&server).await, 1);
    assert_client_has_no_secret(&client);
}

// ---------------------------------------------------------------------------------------------------------------
// Successful status, body that does not decode: never retried
// ---------------------------------------------------------------------------------------------------------------

/// Row 3: a 200 whose body is not JSON is a decode error, and is not retried.
#[tokio::test]
async fn row03_invalid_json_is_a_decode_error_not_retried() {
    let server = MockServer::start().await;
    let text = "{\"request_id\": \"req-3\", \"items\": [oops";
    answer_with(
        &server,
        ResponseTemplate::new(200).set_body_string(text).insert_header("content-type", "application/json"),
    )
    .await;
    let client = client_for(server.uri());

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::Decode { status, body, .. } = &err else { panic!("expected Error::Decode, got {err:?}") };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(body.excerpt(), text);
    assert!(!err.is_retryable());
    assert_eq!(requests_seen(&server).await, 1, "a decode error is not retried");
    assert_no_secret(&err);
    assert_client_has_no_secret(&client);
}

/// Row 4: a missing required property is reported with the path of where it is missing.
#[tokio::test]
async fn row04_missing_required_field_names_its_path() {
    let server = MockServer::start().await;
    let mut body = spec_example();
    body["items"][0]["status"].as_object_mut().unwrap().remove("status_code").expect("the example has it");
    answer_with(&server, ResponseTemplate::new(200).set_body_json(&body)).await;
    let client = client_for(server.uri());

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::Decode { status, path, mismatch, request_id, .. } = &err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert_eq!(status.as_u16(), 200);
    // serde reports a missing field while decoding the object that should hold it, so the path is that of the
    // object and the mismatch names the field: together they name `items[0].status.status_code`.
    assert_eq!(path, "items[0].status", "the exact path the client reports");
    assert_eq!(*mismatch, Mismatch::MissingField { field: "status_code".to_string() });
    // No header carries a request id, and there is no decoded value to take it from: it is read from the bytes
    // of the body (its top-level `request_id`), so that a support ticket can quote it.
    assert_eq!(request_id.as_deref(), Some(EXAMPLE_REQUEST_ID), "the body's request id");
    assert_eq!(err.sensitive_body().map(|body| body.bytes().to_vec()), Some(serde_json::to_vec(&body).unwrap()));
    let message = err.to_string();
    assert!(
        message.contains("items[0].status: the required property `status_code` is missing"),
        "the message names the path: {message}"
    );
    assert_eq!(requests_seen(&server).await, 1);
    assert_no_secret(&err);
    assert_client_has_no_secret(&client);
}

/// Row 5: a 200 with an empty body is a decode error.
#[tokio::test]
async fn row05_empty_body_is_a_decode_error() {
    let server = MockServer::start().await;
    answer_with(&server, ResponseTemplate::new(200)).await;
    let client = client_for(server.uri());

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::Decode { status, body, request_id, .. } = &err else { panic!("expected Error::Decode, got {err:?}") };
    assert_eq!(status.as_u16(), 200);
    assert!(body.is_empty());
    assert_eq!(*request_id, None);
    assert!(err.to_string().contains("the body"), "{err}");
    assert_eq!(requests_seen(&server).await, 1);
    assert_no_secret(&err);
    assert_client_has_no_secret(&client);
}

// ---------------------------------------------------------------------------------------------------------------
// Client errors: never retried
// ---------------------------------------------------------------------------------------------------------------

/// Row 6: a 400 with the API's error body is an API error carrying the body's request id.
#[tokio::test]
async fn row06_400_plaid_error_is_an_api_error_not_retried() {
    let server = MockServer::start().await;
    answer_with(
        &server,
        ResponseTemplate::new(400).set_body_json(plaid_error("INVALID_REQUEST", "INVALID_FIELD", "req-400-abc")),
    )
    .await;
    let client = client_for(server.uri());

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::Api { status, error, .. } = &err else { panic!("expected Error::Api, got {err:?}") };
    assert_eq!(status.as_u16(), 400);
    assert_eq!(error.error_type, PlaidErrorType::InvalidRequest);
    assert_eq!(error.error_code, "INVALID_FIELD");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(err.request_id(), Some("req-400-abc"));
    assert!(!err.is_retryable());
    assert!(!err.is_timeout());
    assert_eq!(requests_seen(&server).await, 1, "a 400 is not retried");
    assert_no_secret(&err);
    assert_client_has_no_secret(&client);
}

/// Row 7: a 400 whose body is not the API's error format is an unexpected status.
#[tokio::test]
async fn row07_400_non_json_is_unexpected_status_not_retried() {
    let server = MockServer::start().await;
    let text = "<html><body>400 Bad Request</body></html>";
    answer_with(&server, ResponseTemplate::new(400).set_body_string(text)).await;
    let client = client_for(server.uri());

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::UnexpectedStatus { status, body, request_id, retry_after } = &err else {
        panic!("expected Error::UnexpectedStatus, got {err:?}")
    };
    assert_eq!(status.as_u16(), 400);
    assert_eq!(body.excerpt(), text);
    assert_eq!(*request_id, None);
    assert_eq!(*retry_after, None);
    assert!(!err.is_retryable());
    assert_eq!(requests_seen(&server).await, 1);
    assert_no_secret(&err);
    assert_client_has_no_secret(&client);
}

/// Row 8: a 401 (bad credentials) is an API error and is not retried.
#[tokio::test]
async fn row08_401_invalid_input_is_an_api_error_not_retried() {
    let server = MockServer::start().await;
    answer_with(
        &server,
        ResponseTemplate::new(401).set_body_json(plaid_error("INVALID_INPUT", "INVALID_API_KEYS", "req-401")),
    )
    .await;
    let client = client_for(server.uri());

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::Api { status, error, request_id, .. } = &err else { panic!("expected Error::Api, got {err:?}") };
    assert_eq!(status.as_u16(), 401);
    assert_eq!(error.error_type, PlaidErrorType::InvalidInput);
    assert_eq!(error.error_code, "INVALID_API_KEYS");
    assert_eq!(request_id.as_deref(), Some("req-401"));
    assert!(!err.is_retryable());
    assert_eq!(requests_seen(&server).await, 1, "a 401 is not retried");
    assert_no_secret(&err);
    assert_client_has_no_secret(&client);
}

// ---------------------------------------------------------------------------------------------------------------
// Transient failures: retried within the budget
// ---------------------------------------------------------------------------------------------------------------

/// Row 9: a 429 with `Retry-After: 1` is retried after the second the server asked for.
#[tokio::test]
async fn row09_429_with_retry_after_is_honoured_then_ok() {
    let server = MockServer::start().await;
    let too_many = ResponseTemplate::new(429).insert_header("retry-after", "1").set_body_json(plaid_error(
        "RATE_LIMIT_EXCEEDED",
        "RATE_LIMIT",
        "req-429",
    ));
    let ok = ResponseTemplate::new(200).set_body_json(spec_example());
    Mock::given(any()).respond_with(Sequence::new([too_many, ok])).mount(&server).await;
    let client = client_for(server.uri());

    let started = Instant::now();
    let report = client.cra_monitoring_insights_get(&request()).await.expect("the retry succeeds");
    let elapsed = started.elapsed();

    assert_eq!(report.request_id, EXAMPLE_REQUEST_ID);
    assert_eq!(requests_seen(&server).await, 2);
    assert!(elapsed >= Duration::from_millis(900), "Retry-After: 1 was not honoured, the call took {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "the call took {elapsed:?}");
    assert_client_has_no_secret(&client);
}

/// Row 9b: a `Retry-After` longer than the policy accepts is not waited for: the 429 is returned at once.
#[tokio::test]
async fn row09b_429_with_retry_after_beyond_the_limit_is_returned() {
    let server = MockServer::start().await;
    answer_with(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "120").set_body_json(plaid_error(
            "RATE_LIMIT_EXCEEDED",
            "RATE_LIMIT",
            "req-429-long",
        )),
    )
    .await;
    let client = client_for(server.uri());

    let started = Instant::now();
    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    assert!(started.elapsed() < Duration::from_secs(1), "took {:?}", started.elapsed());
    let Error::Api { status, retry_after, .. } = &err else { panic!("expected Error::Api, got {err:?}") };
    assert_eq!(status.as_u16(), 429);
    assert_eq!(*retry_after, Some(Duration::from_secs(120)));
    assert!(err.is_retryable());
    assert_eq!(requests_seen(&server).await, 1);
    assert_no_secret(&err);
    assert_client_has_no_secret(&client);
}

/// `Retry-After` as an HTTP date: one far in the future is beyond the limit (so the date was read:
/// an unreadable header would fall back to the backoff and retry), one in the past means now.
#[tokio::test]
async fn row09c_retry_after_as_an_http_date() {
    let server = MockServer::start().await;
    answer_with(
        &server,
        ResponseTemplate::new(429)
            .insert_header("retry-after", "Fri, 01 Jan 2100 00:00:00 GMT")
            .set_body_json(plaid_error("RATE_LIMIT_EXCEEDED", "RATE_LIMIT", "req-429-date")),
    )
    .await;
    let client = client_for(server.uri());
    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();
    let Error::Api { retry_after, .. } = &err else { panic!("expected Error::Api, got {err:?}") };
    let wait = retry_after.expect("the date was read");
    assert!(wait > Duration::from_secs(365 * 24 * 3600), "{wait:?}");
    assert_eq!(requests_seen(&server).await, 1, "a wait beyond max_retry_after is not waited for");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")
                .set_body_json(plaid_error("RATE_LIMIT_EXCEEDED", "RATE_LIMIT", "req-429-past")),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer_with(&server, ResponseTemplate::new(200).set_body_json(spec_example())).await;
    let client = client_for(server.uri());
    client.cra_monitoring_insights_get(&request()).await.expect("retried at once, then ok");
    assert_eq!(requests_seen(&server).await, 2);
}

/// Row 10: 500, 502 and 503 are retried for this idempotent operation; the fourth attempt succeeds.
#[tokio::test]
async fn row10_server_errors_are_retried_then_ok() {
    let server = MockServer::start().await;
    let responses = [
        ResponseTemplate::new(500).set_body_json(plaid_error("API_ERROR", "INTERNAL_SERVER_ERROR", "req-500")),
        ResponseTemplate::new(502).set_body_string("bad gateway"),
        ResponseTemplate::new(503).set_body_string("unavailable"),
        ResponseTemplate::new(200).set_body_json(spec_example()),
    ];
    Mock::given(any()).respond_with(Sequence::new(responses)).mount(&server).await;
    let client = builder_for(server.uri()).retry_policy(short_retries().max_retries(3)).build().unwrap();

    let started = Instant::now();
    let report = client.cra_monitoring_insights_get(&request()).await.expect("the fourth attempt succeeds");

    assert_eq!(report.request_id, EXAMPLE_REQUEST_ID);
    assert_eq!(requests_seen(&server).await, 4);
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    assert_client_has_no_secret(&client);
}

/// Row 10b: a 500 beyond the retry budget (the default two retries) is returned after three attempts.
#[tokio::test]
async fn row10b_500_beyond_the_retry_budget_is_returned() {
    let server = MockServer::start().await;
    answer_with(
        &server,
        ResponseTemplate::new(500).set_body_json(plaid_error("API_ERROR", "INTERNAL_SERVER_ERROR", "req-500-final")),
    )
    .await;
    let client = client_for(server.uri());

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::Api { status, error, .. } = &err else { panic!("expected Error::Api, got {err:?}") };
    assert_eq!(status.as_u16(), 500);
    assert_eq!(error.error_type, PlaidErrorType::ApiError);
    assert_eq!(err.request_id(), Some("req-500-final"));
    assert!(err.is_retryable());
    assert_eq!(requests_seen(&server).await, 3, "one attempt and two retries");
    assert_no_secret(&err);
    assert_client_has_no_secret(&client);
}

/// Row 11: a server that does not answer in time: every attempt times out, and the whole call stays bounded.
#[tokio::test]
async fn row11_timeout_is_retried_and_bounded() {
    let server = MockServer::start().await;
    answer_with(&server, ResponseTemplate::new(200).set_body_json(spec_example()).set_delay(Duration::from_secs(10)))
        .await;
    let max_retries = 2;
    let client = builder_for(server.uri())
        .timeout(Duration::from_millis(200))
        .retry_policy(short_retries().max_retries(max_retries))
        .build()
        .unwrap();

    let started = Instant::now();
    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();
    let elapsed = started.elapsed();

    assert!(matches!(err, Error::Transport(_)), "expected Error::Transport, got {err:?}");
    assert!(err.is_timeout(), "expected a timeout, got {err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    assert!(elapsed >= Duration::from_millis(600), "three attempts of 200 ms each, took {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "the call is bounded, took {elapsed:?}");
    assert_eq!(requests_seen(&server).await, 1 + max_retries as usize);
    assert_no_secret(&err);
    assert_client_has_no_secret(&client);
}

/// Row 12: a refused connection is a transport error, retried quickly and then returned.
#[tokio::test]
async fn row12_refused_connection_is_a_retryable_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        listener.local_addr().unwrap().port()
    }; // The listener is dropped here, so nothing listens on the port any more.
    let client = client_for(format!("http://127.0.0.1:{port}"));

    let started = Instant::now();
    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();
    let elapsed = started.elapsed();

    let Error::Transport(source) = &err else { panic!("expected Error::Transport, got {err:?}") };
    assert!(source.is_connect(), "a connection error: {source:?}");
    assert!(err.is_retryable());
    assert!(!err.is_timeout());
    assert_eq!(err.status(), None);
    // No server exists, so no request can have been received: the retries are bounded by the short backoff.
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
    assert_no_secret(&err);
    assert_client_has_no_secret(&client);
}

// ---------------------------------------------------------------------------------------------------------------
// Response size limit
// ---------------------------------------------------------------------------------------------------------------

/// About 11 MB of valid JSON: the example with a huge string in an unknown top-level property.
fn large_report() -> (Value, usize) {
    let padding_len = 11 * 1000 * 1000;
    let mut body = spec_example();
    body["padding"] = json!("p".repeat(padding_len));
    (body, padding_len)
}

/// Row 13a: a response over 10 MB decodes within the default limit of 64 MiB.
#[tokio::test]
async fn row13a_large_response_within_the_default_limit_decodes() {
    let server = MockServer::start().await;
    let (body, padding_len) = large_report();
    let bytes = serde_json::to_vec(&body).unwrap();
    assert!(bytes.len() > 10 * 1024 * 1024);
    answer_with(&server, ResponseTemplate::new(200).set_body_raw(bytes, "application/json")).await;
    let client = client_for(server.uri());

    let report = client.cra_monitoring_insights_get(&request()).await.expect("the call succeeds");

    assert_eq!(report.request_id, EXAMPLE_REQUEST_ID);
    assert_eq!(report.extra["padding"].as_str().map(str::len), Some(padding_len));
    assert_eq!(requests_seen(&server).await, 1);
    assert_client_has_no_secret(&client);
}

/// Row 13b: the same response with a 10 MiB limit is refused, and not retried.
#[tokio::test]
async fn row13b_response_over_the_configured_limit_is_too_large() {
    let server = MockServer::start().await;
    let (body, _) = large_report();
    answer_with(
        &server,
        ResponseTemplate::new(200).set_body_raw(serde_json::to_vec(&body).unwrap(), "application/json"),
    )
    .await;
    let limit = 10 * 1024 * 1024;
    let client = builder_for(server.uri()).max_response_size(limit).build().unwrap();

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::ResponseTooLarge { status, limit: reported } = &err else {
        panic!("expected Error::ResponseTooLarge, got {err:?}")
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(*reported, limit);
    assert!(err.to_string().contains(&limit.to_string()), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(requests_seen(&server).await, 1, "a response that is too large is not retried");
    assert_no_secret(&err);
    assert_client_has_no_secret(&client);
}

// ---------------------------------------------------------------------------------------------------------------
// The request itself
// ---------------------------------------------------------------------------------------------------------------

/// Row 14: a request that breaks the spec's rules is refused before anything is sent.
#[tokio::test]
async fn row14_invalid_request_is_not_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(spec_example()))
        .expect(0)
        .mount(&server)
        .await;
    let client = client_for(server.uri());
    let invalid = CraMonitoringInsightsGetRequest {
        client_id: None,
        secret: None,
        user_id: Some(USER_ID.to_string()),
        consumer_report_permissible_purpose: MonitoringConsumerReportPermissiblePurpose::Unknown("NOPE".into()),
        user_token: None,
    };

    let err = client.cra_monitoring_insights_get(&invalid).await.unwrap_err();

    let Error::Validation(validation) = &err else { panic!("expected Error::Validation, got {err:?}") };
    assert_eq!(validation.path(), "consumer_report_permissible_purpose");
    assert!(!err.is_retryable());
    assert_eq!(requests_seen(&server).await, 0, "nothing may be sent");
    assert_no_secret(&err);
    assert_client_has_no_secret(&client);
    server.verify().await;
}

/// Row 15: exactly what goes over the wire.
#[tokio::test]
async fn row15_exact_request_on_the_wire() {
    let server = MockServer::start().await;
    answer_with(&server, ResponseTemplate::new(200).set_body_json(spec_example())).await;
    let client = client_for(server.uri());

    client.cra_monitoring_insights_get(&request()).await.expect("the call succeeds");

    let received = server.received_requests().await.expect("request recording is on");
    assert_eq!(received.len(), 1);
    let sent = &received[0];
    assert_eq!(sent.method.as_str(), "POST");
    assert_eq!(sent.url.path(), OPERATION_PATH);
    assert_eq!(sent.url.query(), None);
    assert_eq!(single_header(sent, "content-type"), "application/json");
    assert_eq!(single_header(sent, "PLAID-CLIENT-ID"), CLIENT_ID);
    assert_eq!(single_header(sent, "PLAID-SECRET"), SECRET);
    assert_eq!(single_header(sent, "Plaid-Version"), "2020-09-14");
    let user_agent = single_header(sent, "user-agent");
    assert!(user_agent.starts_with("plaid-client/"), "user agent: {user_agent}");
    let body = std::str::from_utf8(&sent.body).expect("the body is UTF-8");
    assert_eq!(
        body,
        format!(r#"{{"user_id":"{USER_ID}","consumer_report_permissible_purpose":"ACCOUNT_REVIEW_CREDIT"}}"#),
        "unset optional fields are omitted"
    );
    let body: Value = serde_json::from_str(body).unwrap();
    assert_eq!(body, json!({"user_id": USER_ID, "consumer_report_permissible_purpose": "ACCOUNT_REVIEW_CREDIT"}));
    assert_client_has_no_secret(&client);
}

// Row 16 (a non-idempotent operation is not retried after a timeout or a 5xx) is a property of the generator
// that this spec's single, idempotent operation cannot show; it is not tested here.

// ---------------------------------------------------------------------------------------------------------------
// Configuration from the environment
// ---------------------------------------------------------------------------------------------------------------

const ENV_VARS: [&str; 5] = ["PLAID_CLIENT_ID", "PLAID_SECRET", "PLAID_BASE_URL", "PLAID_ENV", "PLAID_VERSION"];

/// Puts the `PLAID_*` variables back as they were, even when the test fails.
struct RestoreEnv(Vec<(&'static str, Option<std::ffi::OsString>)>);

impl RestoreEnv {
    fn save_and_clear() -> Self {
        let saved = ENV_VARS.iter().map(|&name| (name, std::env::var_os(name))).collect();
        for name in ENV_VARS {
            std::env::remove_var(name);
        }
        RestoreEnv(saved)
    }
}

impl Drop for RestoreEnv {
    fn drop(&mut self) {
        for (name, value) in &self.0 {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }
}

/// `from_env` on a builder that lets it take the base URL from `PLAID_BASE_URL`.
fn from_env_with_base_url() -> Result<Client, BuildError> {
    Client::builder().allow_base_url_from_env().from_env()?.build()
}

/// Row 17: `Client::from_env`. Environment variables are global to the process, so every case is in this one
/// test, one after the other.
#[tokio::test]
async fn row17_client_from_env() {
    let server = MockServer::start().await;
    answer_with(&server, ResponseTemplate::new(200).set_body_json(spec_example())).await;
    let _restore = RestoreEnv::save_and_clear();

    // PLAID_BASE_URL is ignored unless the code allows it: alone it chooses no server, and it never
    // replaces the environment the code or PLAID_ENV chose.
    std::env::set_var("PLAID_CLIENT_ID", CLIENT_ID);
    std::env::set_var("PLAID_SECRET", SECRET);
    std::env::set_var("PLAID_BASE_URL", server.uri());
    let err = Client::from_env().unwrap_err();
    assert!(matches!(err, BuildError::MissingBaseUrl), "{err:?}");
    let client = Client::builder().environment(Environment::Sandbox).from_env().unwrap().build().unwrap();
    assert_eq!(client.base_url(), Environment::Sandbox.base_url());

    // All set and allowed: the call goes to PLAID_BASE_URL with the credentials from the environment.
    let client = from_env_with_base_url().expect("the client builds from the environment");
    assert_eq!(client.base_url(), server.uri());
    assert_client_has_no_secret(&client);
    let report = client.cra_monitoring_insights_get(&request()).await.expect("the call succeeds");
    assert_eq!(report.request_id, EXAMPLE_REQUEST_ID);
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(single_header(&received[0], "PLAID-CLIENT-ID"), CLIENT_ID);
    assert_eq!(single_header(&received[0], "PLAID-SECRET"), SECRET);
    assert_eq!(single_header(&received[0], "Plaid-Version"), "2020-09-14");

    // PLAID_VERSION overrides the default version header.
    std::env::set_var("PLAID_VERSION", "2099-01-01");
    let client = from_env_with_base_url().expect("the client builds from the environment");
    client.cra_monitoring_insights_get(&request()).await.expect("the call succeeds");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(single_header(&received[1], "Plaid-Version"), "2099-01-01");
    std::env::remove_var("PLAID_VERSION");

    // PLAID_ENV names one of the spec's servers when there is no PLAID_BASE_URL.
    std::env::remove_var("PLAID_BASE_URL");
    std::env::set_var("PLAID_ENV", "sandbox");
    let client = Client::from_env().expect("sandbox is a known environment");
    assert_eq!(client.base_url(), Environment::Sandbox.base_url());
    assert_client_has_no_secret(&client);

    // An unknown PLAID_ENV.
    std::env::set_var("PLAID_ENV", "staging");
    let err = Client::from_env().unwrap_err();
    let BuildError::InvalidEnv { var, expected } = &err else { panic!("expected InvalidEnv, got {err:?}") };
    assert_eq!(*var, "PLAID_ENV");
    assert!(expected.contains("production") && expected.contains("sandbox"), "{expected}");
    assert!(err.to_string().contains("PLAID_ENV"), "{err}");
    assert_no_secret(&err);
    std::env::remove_var("PLAID_ENV");

    // A missing PLAID_SECRET, while everything else is set.
    std::env::set_var("PLAID_BASE_URL", server.uri());
    std::env::remove_var("PLAID_SECRET");
    let err = from_env_with_base_url().unwrap_err();
    let BuildError::MissingEnv { var } = &err else { panic!("expected MissingEnv, got {err:?}") };
    assert_eq!(*var, "PLAID_SECRET");
    assert!(err.to_string().contains("PLAID_SECRET"), "the message names the variable: {err}");
    assert_no_secret(&err);

    // An empty PLAID_SECRET counts as missing.
    std::env::set_var("PLAID_SECRET", "  ");
    let err = Client::from_env().unwrap_err();
    assert!(matches!(err, BuildError::MissingEnv { var: "PLAID_SECRET" }), "{err:?}");

    // A missing PLAID_CLIENT_ID, while the secret is set: the secret's value is not shown.
    std::env::set_var("PLAID_SECRET", SECRET);
    std::env::remove_var("PLAID_CLIENT_ID");
    let err = Client::from_env().unwrap_err();
    assert!(matches!(err, BuildError::MissingEnv { var: "PLAID_CLIENT_ID" }), "{err:?}");
    assert_no_secret(&err);

    assert_eq!(requests_seen(&server).await, 2, "only the two successful calls reached the server");
}
