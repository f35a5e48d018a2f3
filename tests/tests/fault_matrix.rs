//! The fault matrix: every way a call of the generated client can end, over real HTTP against a local mock server.
//!
//! Each test is one row of the matrix and checks three things: the outcome (the value, or the exact error
//! variant), how many requests reached the server (so retries happen exactly when they should, and only then),
//! and that the secret appears in no error message, no `Debug` output of an error and no `Debug` output of the
//! client. Retry waits are short and every deadline is bounded, so the whole file runs in a few seconds. What goes
//! over the wire is `client_http.rs`'s.

use std::time::{Duration, Instant};

use pipeline_tests::http::{closed_port, received, requests_seen, single_header, Sequence};
use pipeline_tests::plaid::{
    answer_with, assert_client_has_no_secret, assert_no_secret, builder_for, client_for, exchange, invalid_request,
    plaid_error, quick_retries, request, spec_example, Exchange, CLIENT_ID, ENV_VARS, EXAMPLE_REQUEST_ID, SECRET,
};
use pipeline_tests::RestoreEnv;
use plaid_client::types::{CraMonitoringInsightsGetResponse, MonitoringItemStatusCode, PlaidErrorType};
use plaid_client::{BuildError, Client, Environment, Error, Mismatch};
use serde_json::{json, Value};
use wiremock::{MockServer, ResponseTemplate};

/// The retry budget of every row but those about the budget: the default two retries, with short waits.
const RETRIES: u32 = 2;

/// What every row that ends in an error checks last: how many requests reached the server, and that the secret
/// shows in neither the error nor the client.
async fn assert_failed_quietly(server: &MockServer, client: &Client, err: &Error, requests: usize) {
    assert_eq!(requests_seen(server).await, requests, "the requests that reached the server for {err:?}");
    assert_no_secret(err);
    assert_client_has_no_secret(client);
}

// ---------------------------------------------------------------------------------------------------------------
// Successful responses
// ---------------------------------------------------------------------------------------------------------------

/// Row 1: the spec's example decodes to exactly the value serde makes of it.
#[tokio::test]
async fn row01_ok_full_example_report() {
    let example = spec_example();
    let Exchange { server, client, result } =
        exchange(ResponseTemplate::new(200).set_body_json(&example), quick_retries(RETRIES)).await;

    let report = result.expect("the call succeeds");

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
    let mut body = spec_example();
    let item = &mut body["items"][0];
    item["status"]["status_code"] = json!("PAUSED");
    item["risk_flags"] = json!({"score": 7, "labels": ["new", "shiny"]});
    body["served_by"] = json!("edge-17");
    let Exchange { server, client, result } =
        exchange(ResponseTemplate::new(200).set_body_json(&body), quick_retries(RETRIES)).await;

    let report = result.expect("the call succeeds");

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
    let text = "{\"request_id\": \"req-3\", \"items\": [oops";
    let response = ResponseTemplate::new(200).set_body_string(text).insert_header("content-type", "application/json");
    let Exchange { server, client, result } = exchange(response, quick_retries(RETRIES)).await;

    let err = result.unwrap_err();

    let Error::Decode { status, body, mismatch, .. } = &err else { panic!("expected Error::Decode, got {err:?}") };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(body.excerpt(), text);
    assert!(matches!(mismatch, Mismatch::Syntax { line: 1, .. }), "{mismatch:?}");
    assert!(std::error::Error::source(&err).is_none(), "serde's message quotes the body, so it is not a source");
    assert!(!err.is_retryable());
    assert_failed_quietly(&server, &client, &err, 1).await;
}

/// Row 4: a missing required property is reported with the path of where it is missing, nested or at the top.
#[tokio::test]
async fn row04_missing_required_field_names_its_path() {
    // serde reports a missing field while decoding the object that should hold it, so the path is that of the
    // object and the mismatch names the field: together they name `items[0].status.status_code`.
    for (object, field, path_shown) in
        [("/items/0/status", "status_code", "items[0].status"), ("", "items", "the body")]
    {
        let mut body = spec_example();
        body.pointer_mut(object).and_then(Value::as_object_mut).unwrap().remove(field).expect("the example has it");
        let Exchange { server, client, result } =
            exchange(ResponseTemplate::new(200).set_body_json(&body), quick_retries(RETRIES)).await;

        let err = result.unwrap_err();

        let Error::Decode { status, mismatch, request_id, .. } = &err else {
            panic!("expected Error::Decode, got {err:?}")
        };
        assert_eq!(status.as_u16(), 200);
        assert_eq!(*mismatch, Mismatch::MissingField { field: field.to_string() });
        // No header carries a request id, and there is no decoded value to take it from: it is read from the
        // bytes of the body (its top-level `request_id`), so that a support ticket can quote it.
        assert_eq!(request_id.as_deref(), Some(EXAMPLE_REQUEST_ID), "the body's request id");
        assert_eq!(err.sensitive_body().map(|kept| kept.bytes().to_vec()), Some(serde_json::to_vec(&body).unwrap()));
        let message = err.to_string();
        let expected = format!("{path_shown}: the required property `{field}` is missing");
        assert!(message.contains(&expected), "the message names the path: {message}");
        assert_failed_quietly(&server, &client, &err, 1).await;
    }
}

/// Row 5: a 200 with an empty body is a decode error.
#[tokio::test]
async fn row05_empty_body_is_a_decode_error() {
    let Exchange { server, client, result } = exchange(ResponseTemplate::new(200), quick_retries(RETRIES)).await;

    let err = result.unwrap_err();

    let Error::Decode { status, body, request_id, .. } = &err else { panic!("expected Error::Decode, got {err:?}") };
    assert_eq!(status.as_u16(), 200);
    assert!(body.is_empty());
    assert_eq!(*request_id, None);
    assert!(err.to_string().contains("the body"), "{err}");
    assert_failed_quietly(&server, &client, &err, 1).await;
}

// ---------------------------------------------------------------------------------------------------------------
// Client errors: never retried
// ---------------------------------------------------------------------------------------------------------------

/// Rows 6 and 8: a 400, and a 401 (bad credentials), with the API's error body are API errors carrying the
/// body's fields and request id, and are not retried.
#[tokio::test]
async fn row06_row08_400_and_401_plaid_errors_are_api_errors_not_retried() {
    let cases = [
        (400, "INVALID_REQUEST", PlaidErrorType::InvalidRequest, "INVALID_FIELD", "req-400-abc"),
        (401, "INVALID_INPUT", PlaidErrorType::InvalidInput, "INVALID_API_KEYS", "req-401"),
    ];
    for (code, error_type, parsed_type, error_code, id) in cases {
        let response = ResponseTemplate::new(code).set_body_json(plaid_error(error_type, error_code, id));
        let Exchange { server, client, result } = exchange(response, quick_retries(RETRIES)).await;

        let err = result.unwrap_err();

        let Error::Api { status, error, request_id, .. } = &err else { panic!("expected Error::Api, got {err:?}") };
        assert_eq!(status.as_u16(), code);
        assert_eq!(error.error_type, parsed_type);
        assert_eq!(error.error_code, error_code);
        assert_eq!(error.error_message, format!("{error_code} happened"));
        assert_eq!(error.display_message, None);
        assert_eq!(error.request_id.as_deref(), Some(id));
        assert_eq!(request_id.as_deref(), Some(id));
        assert_eq!(err.status().map(|s| s.as_u16()), Some(code));
        assert_eq!(err.request_id(), Some(id));
        assert!(err.to_string().contains(&code.to_string()), "{err}");
        assert!(!err.is_retryable());
        assert!(!err.is_timeout());
        assert_failed_quietly(&server, &client, &err, 1).await;
    }
}

/// Row 7: a 400 or 403 whose body is not the API's error format (not JSON, or JSON of another shape) is an
/// unexpected status; neither its message nor its `Debug` quotes the body, which stays behind an explicit accessor.
#[tokio::test]
async fn row07_4xx_without_the_api_error_body_is_unexpected_status_not_retried() {
    let cases = [
        (400, "upstream exploded: <html><body>400 Bad Request</body></html>", "text/html"),
        (403, r#"{"message":"forbidden by proxy: upstream exploded"}"#, "application/json"),
    ];
    for (code, text, content_type) in cases {
        let response = ResponseTemplate::new(code).set_body_raw(text, content_type);
        let Exchange { server, client, result } = exchange(response, quick_retries(RETRIES)).await;

        let err = result.unwrap_err();

        let Error::UnexpectedStatus { status, body, request_id, retry_after } = &err else {
            panic!("expected Error::UnexpectedStatus, got {err:?}")
        };
        assert_eq!(status.as_u16(), code);
        assert_eq!(body.excerpt(), text);
        assert_eq!(*request_id, None);
        assert_eq!(*retry_after, None);
        assert!(err.to_string().contains(&code.to_string()), "{err}");
        assert!(!err.to_string().contains("exploded"), "the message never quotes the body: {err}");
        assert!(!format!("{err:?}").contains("exploded"), "nor does Debug: {err:?}");
        assert!(!err.is_retryable());
        assert_failed_quietly(&server, &client, &err, 1).await;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Transient failures: retried within the budget
// ---------------------------------------------------------------------------------------------------------------

/// A `429` from the API, asking for a wait of `retry_after` (seconds or an HTTP date).
fn rate_limited(retry_after: &str, request_id: &str) -> ResponseTemplate {
    ResponseTemplate::new(429).insert_header("retry-after", retry_after).set_body_json(plaid_error(
        "RATE_LIMIT_EXCEEDED",
        "RATE_LIMIT",
        request_id,
    ))
}

/// Row 9: a 429 with `Retry-After: 1` is retried after the second the server asked for.
#[tokio::test]
async fn row09_429_with_retry_after_is_honoured_then_ok() {
    let ok = ResponseTemplate::new(200).set_body_json(spec_example());
    let started = Instant::now();
    let Exchange { server, client, result } =
        exchange(Sequence::new([rate_limited("1", "req-429"), ok]), quick_retries(RETRIES)).await;
    let elapsed = started.elapsed();

    assert_eq!(result.expect("the retry succeeds").request_id, EXAMPLE_REQUEST_ID);
    assert_eq!(requests_seen(&server).await, 2);
    assert!(elapsed >= Duration::from_millis(900), "Retry-After: 1 was not honoured, the call took {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "the call took {elapsed:?}");
    assert_client_has_no_secret(&client);
}

/// Row 9b: a `Retry-After` longer than the policy accepts is not waited for: the 429 is returned at once.
#[tokio::test]
async fn row09b_429_with_retry_after_beyond_the_limit_is_returned() {
    let started = Instant::now();
    let Exchange { server, client, result } =
        exchange(rate_limited("120", "req-429-long"), quick_retries(RETRIES)).await;
    let err = result.unwrap_err();

    assert!(started.elapsed() < Duration::from_secs(1), "took {:?}", started.elapsed());
    let Error::Api { status, retry_after, .. } = &err else { panic!("expected Error::Api, got {err:?}") };
    assert_eq!(status.as_u16(), 429);
    assert_eq!(*retry_after, Some(Duration::from_secs(120)));
    assert!(err.is_retryable());
    assert_failed_quietly(&server, &client, &err, 1).await;
}

/// `Retry-After` as an HTTP date: one far in the future is beyond the limit (so the date was read:
/// an unreadable header would fall back to the backoff and retry), one in the past means now.
#[tokio::test]
async fn row09c_retry_after_as_an_http_date() {
    let future = rate_limited("Fri, 01 Jan 2100 00:00:00 GMT", "req-429-date");
    let Exchange { server, result, .. } = exchange(future, quick_retries(RETRIES)).await;
    let err = result.unwrap_err();
    let Error::Api { retry_after, .. } = &err else { panic!("expected Error::Api, got {err:?}") };
    let wait = retry_after.expect("the date was read");
    assert!(wait > Duration::from_secs(365 * 24 * 3600), "{wait:?}");
    assert_eq!(requests_seen(&server).await, 1, "a wait beyond max_retry_after is not waited for");

    let past = rate_limited("Sun, 06 Nov 1994 08:49:37 GMT", "req-429-past");
    let ok = ResponseTemplate::new(200).set_body_json(spec_example());
    let Exchange { server, result, .. } = exchange(Sequence::new([past, ok]), quick_retries(RETRIES)).await;
    result.expect("retried at once, then ok");
    assert_eq!(requests_seen(&server).await, 2);
}

/// Row 10: 500, 502 and 503 are retried for this idempotent operation; the fourth attempt succeeds.
#[tokio::test]
async fn row10_server_errors_are_retried_then_ok() {
    let responses = [
        ResponseTemplate::new(500).set_body_json(plaid_error("API_ERROR", "INTERNAL_SERVER_ERROR", "req-500")),
        ResponseTemplate::new(502).set_body_string("bad gateway"),
        ResponseTemplate::new(503).set_body_string("unavailable"),
        ResponseTemplate::new(200).set_body_json(spec_example()),
    ];
    let started = Instant::now();
    let Exchange { server, client, result } = exchange(Sequence::new(responses), quick_retries(3)).await;

    assert_eq!(result.expect("the fourth attempt succeeds").request_id, EXAMPLE_REQUEST_ID);
    assert_eq!(requests_seen(&server).await, 4);
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    assert_client_has_no_secret(&client);
}

/// Row 10b: a 500 beyond the retry budget (the default two retries) is returned after three attempts.
#[tokio::test]
async fn row10b_500_beyond_the_retry_budget_is_returned() {
    let response =
        ResponseTemplate::new(500).set_body_json(plaid_error("API_ERROR", "INTERNAL_SERVER_ERROR", "req-500-final"));
    let Exchange { server, client, result } = exchange(response, quick_retries(RETRIES)).await;

    let err = result.unwrap_err();

    let Error::Api { status, error, .. } = &err else { panic!("expected Error::Api, got {err:?}") };
    assert_eq!(status.as_u16(), 500);
    assert_eq!(error.error_type, PlaidErrorType::ApiError);
    assert_eq!(err.request_id(), Some("req-500-final"));
    assert!(err.is_retryable());
    // One attempt and two retries.
    assert_failed_quietly(&server, &client, &err, 3).await;
}

/// Row 11: a server that does not answer in time: every attempt times out, and the whole call stays bounded.
#[tokio::test]
async fn row11_timeout_is_retried_and_bounded() {
    let server = MockServer::start().await;
    answer_with(&server, ResponseTemplate::new(200).set_body_json(spec_example()).set_delay(Duration::from_secs(10)))
        .await;
    let client = builder_for(server.uri(), quick_retries(RETRIES)).timeout(Duration::from_millis(200)).build().unwrap();

    let started = Instant::now();
    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();
    let elapsed = started.elapsed();

    assert!(matches!(err, Error::Transport(_)), "expected Error::Transport, got {err:?}");
    assert!(err.is_timeout(), "expected a timeout, got {err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    assert!(elapsed >= Duration::from_millis(600), "three attempts of 200 ms each, took {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "the call is bounded, took {elapsed:?}");
    assert_failed_quietly(&server, &client, &err, 1 + RETRIES as usize).await;
}

/// Row 12: a refused connection is a transport error, retried quickly and then returned.
#[tokio::test]
async fn row12_refused_connection_is_a_retryable_transport_error() {
    let client = client_for(format!("http://127.0.0.1:{}", closed_port()), quick_retries(RETRIES));

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

/// About 11 MB of valid JSON: the example with a huge string in an unknown top-level property, and the length of
/// that string.
fn large_report() -> (Vec<u8>, usize) {
    let padding_len = 11 * 1000 * 1000;
    let mut body = spec_example();
    body["padding"] = json!("p".repeat(padding_len));
    let bytes = serde_json::to_vec(&body).unwrap();
    assert!(bytes.len() > 10 * 1024 * 1024);
    (bytes, padding_len)
}

/// Row 13a: a response over 10 MB decodes within the default limit of 64 MiB.
#[tokio::test]
async fn row13a_large_response_within_the_default_limit_decodes() {
    let (bytes, padding_len) = large_report();
    let response = ResponseTemplate::new(200).set_body_raw(bytes, "application/json");
    let Exchange { server, client, result } = exchange(response, quick_retries(RETRIES)).await;

    let report = result.expect("the call succeeds");

    assert_eq!(report.request_id, EXAMPLE_REQUEST_ID);
    assert_eq!(report.extra["padding"].as_str().map(str::len), Some(padding_len));
    assert_eq!(requests_seen(&server).await, 1);
    assert_client_has_no_secret(&client);
}

/// Row 13b: the same response with a 10 MiB limit is refused, and not retried.
#[tokio::test]
async fn row13b_response_over_the_configured_limit_is_too_large() {
    let server = MockServer::start().await;
    answer_with(&server, ResponseTemplate::new(200).set_body_raw(large_report().0, "application/json")).await;
    let limit = 10 * 1024 * 1024;
    let client = builder_for(server.uri(), quick_retries(RETRIES)).max_response_size(limit).build().unwrap();

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::ResponseTooLarge { status, limit: reported } = &err else {
        panic!("expected Error::ResponseTooLarge, got {err:?}")
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(*reported, limit);
    assert!(err.to_string().contains(&limit.to_string()), "{err}");
    assert!(!err.is_retryable());
    assert_failed_quietly(&server, &client, &err, 1).await;
}

// ---------------------------------------------------------------------------------------------------------------
// The request itself
// ---------------------------------------------------------------------------------------------------------------

/// Row 14: a request that breaks the spec's rules is refused before anything is sent.
#[tokio::test]
async fn row14_invalid_request_is_not_sent() {
    let server = MockServer::start().await;
    answer_with(&server, ResponseTemplate::new(200).set_body_json(spec_example())).await;
    let client = client_for(server.uri(), quick_retries(RETRIES));

    let err = client.cra_monitoring_insights_get(&invalid_request()).await.unwrap_err();

    let Error::Validation(validation) = &err else { panic!("expected Error::Validation, got {err:?}") };
    assert_eq!(validation.path(), "consumer_report_permissible_purpose");
    assert!(err.to_string().contains("consumer_report_permissible_purpose"), "{err}");
    assert_eq!(err.status(), None);
    assert!(!err.is_retryable());
    // Nothing may be sent.
    assert_failed_quietly(&server, &client, &err, 0).await;
}

// Row 15 (exactly what goes over the wire) is `client_http.rs`'s `a_call_sends_exactly_the_expected_request`.

// Row 16 (a non-idempotent operation is not retried after a timeout or a 5xx) is a property of the generator
// that this spec's single, idempotent operation cannot show; it is not tested here.

// ---------------------------------------------------------------------------------------------------------------
// Configuration from the environment
// ---------------------------------------------------------------------------------------------------------------

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
    let _restore = RestoreEnv::save_and_clear(ENV_VARS);

    base_url_and_version_from_env(&server).await;
    environment_and_missing_variables(&server);

    assert_eq!(requests_seen(&server).await, 2, "only the two successful calls reached the server");
}

/// `PLAID_BASE_URL`, with and without the code's consent, and `PLAID_VERSION`: two calls reach `server`.
async fn base_url_and_version_from_env(server: &MockServer) {
    // PLAID_BASE_URL is ignored unless the code allows it: without consent it chooses no server, and it does
    // not replace the environment the code chose.
    std::env::set_var("PLAID_CLIENT_ID", CLIENT_ID);
    std::env::set_var("PLAID_SECRET", SECRET);
    std::env::set_var("PLAID_BASE_URL", server.uri());
    let err = Client::from_env().unwrap_err();
    assert!(matches!(err, BuildError::MissingBaseUrl), "{err:?}");
    let client = Client::builder().environment(Environment::Sandbox).from_env().unwrap().build().unwrap();
    assert_eq!(client.base_url(), Environment::Sandbox.base_url());
    // Allowed, it replaces even the environment the code chose.
    let allowed = Client::builder().environment(Environment::Production).allow_base_url_from_env().from_env();
    assert_eq!(allowed.unwrap().build().unwrap().base_url(), server.uri());

    // All set and allowed: the call goes to PLAID_BASE_URL with the credentials from the environment.
    let client = from_env_with_base_url().expect("the client builds from the environment");
    assert_eq!(client.base_url(), server.uri());
    assert_client_has_no_secret(&client);
    let report = client.cra_monitoring_insights_get(&request()).await.expect("the call succeeds");
    assert_eq!(report.request_id, EXAMPLE_REQUEST_ID);
    let requests = received(server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(single_header(&requests[0], "PLAID-CLIENT-ID"), CLIENT_ID);
    assert_eq!(single_header(&requests[0], "PLAID-SECRET"), SECRET);
    assert_eq!(single_header(&requests[0], "Plaid-Version"), "2020-09-14");

    // Still checked when allowed: plain http to another machine is refused.
    std::env::set_var("PLAID_BASE_URL", "http://plaid.example.com");
    let err = from_env_with_base_url().unwrap_err();
    assert!(matches!(err, BuildError::InsecureBaseUrl { .. }), "{err:?}");
    std::env::set_var("PLAID_BASE_URL", server.uri());

    // PLAID_VERSION overrides the default version header.
    std::env::set_var("PLAID_VERSION", "2099-01-01");
    let client = from_env_with_base_url().expect("the client builds from the environment");
    client.cra_monitoring_insights_get(&request()).await.expect("the call succeeds");
    let requests = received(server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(single_header(&requests[1], "Plaid-Version"), "2099-01-01");
    std::env::remove_var("PLAID_VERSION");
}

/// `PLAID_ENV`, and missing or empty credentials, with `PLAID_BASE_URL` unset and then `server`'s.
fn environment_and_missing_variables(server: &MockServer) {
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
}
