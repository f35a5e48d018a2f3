//! The generated Plaid client's call controls and raw responses over real HTTP on 127.0.0.1: the deadline of a
//! call across its attempts and waits, per-call copies of the client, the longer backoff after a `429`, TLS
//! failures that are not retried, responses with their status, headers, request id and exact bytes (also when
//! the body does not decode), and which base URLs a client accepts (plain http only to this machine; the
//! environment's `PLAID_BASE_URL`, taken only when the code allows it, is the fault matrix's row 17).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pipeline_tests::http::{closed_port, requests_seen};
use pipeline_tests::plaid::{
    answer_with, assert_no_secret, builder_for, quick_retries, request, spec_example, EXAMPLE_REQUEST_ID,
};
use plaid_client::{BuildError, Error, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Answers every request with `response` and records when each arrived.
#[derive(Clone)]
struct Timed {
    response: ResponseTemplate,
    arrivals: Arc<Mutex<Vec<Instant>>>,
}

impl Timed {
    fn new(response: ResponseTemplate) -> Self {
        Timed { response, arrivals: Arc::default() }
    }

    fn arrivals(&self) -> Vec<Instant> {
        self.arrivals.lock().unwrap().clone()
    }
}

impl Respond for Timed {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        self.arrivals.lock().unwrap().push(Instant::now());
        self.response.clone()
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The deadline
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_deadline_bounds_a_call_across_its_retries() {
    let server = MockServer::start().await;
    // Each attempt takes 40 ms and each wait 5-50 ms: without the deadline the call would end after 11 attempts.
    answer_with(&server, ResponseTemplate::new(503).set_delay(Duration::from_millis(40))).await;
    let client = builder_for(server.uri(), quick_retries(10)).deadline(Duration::from_millis(150)).build().unwrap();

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::DeadlineExceeded { deadline, attempts, .. } = &err else { panic!("expected DeadlineExceeded: {err:?}") };
    assert_eq!(*deadline, Duration::from_millis(150));
    assert!(*attempts >= 2 && *attempts < 11, "the deadline ended the call across retries: {attempts} attempts");
    assert!(err.is_timeout() && err.kind() == "deadline exceeded", "{err:?}");
    assert_eq!(requests_seen(&server).await, *attempts as usize);
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_retry_whose_wait_would_cross_the_deadline_is_not_started() {
    let server = MockServer::start().await;
    answer_with(&server, ResponseTemplate::new(503)).await;
    // The first wait is 1 to 2 s, the deadline 500 ms after the start.
    let policy = RetryPolicy::default().initial_backoff(Duration::from_secs(2));
    let client = builder_for(server.uri(), policy).deadline(Duration::from_millis(500)).build().unwrap();

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    // One attempt: had the wait started, a second attempt would have begun (and been cut) after it.
    let Error::DeadlineExceeded { attempts: 1, last_error: Some(last), .. } = &err else { panic!("{err:?}") };
    assert_eq!(last.status().map(|status| status.as_u16()), Some(503));
    assert_eq!(err.status(), last.status(), "the last response's status is the error's");
    assert_eq!(requests_seen(&server).await, 1);
}

// ---------------------------------------------------------------------------------------------------------------
// Per-call copies of the client
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_per_call_timeout_and_retry_policy_change_only_that_call() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_body_json(spec_example()).set_delay(Duration::from_millis(600));
    answer_with(&server, slow).await;
    let client = builder_for(server.uri(), quick_retries(2)).build().unwrap();

    // 100 ms per attempt and no retry: one request, and a timeout.
    let err = client
        .with_timeout(Duration::from_millis(100))
        .with_retry_policy(RetryPolicy::none())
        .cra_monitoring_insights_get(&request())
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Transport(source) if source.is_timeout()), "{err:?}");
    assert_eq!(requests_seen(&server).await, 1);

    // 100 ms per attempt with the client's own retries: three requests.
    let err = client.with_timeout(Duration::from_millis(100)).cra_monitoring_insights_get(&request()).await;
    assert!(err.unwrap_err().is_timeout());
    assert_eq!(requests_seen(&server).await, 4);

    // The client itself keeps its 5 s: the slow answer arrives.
    let report = client.cra_monitoring_insights_get(&request()).await.expect("the call succeeds");
    assert_eq!(report.request_id, EXAMPLE_REQUEST_ID);

    // A per-call deadline; the copies say what they were given, the client what it was built with.
    let hurried = client.with_deadline(Duration::from_millis(100));
    assert_eq!((client.deadline(), hurried.deadline()), (None, Some(Duration::from_millis(100))));
    assert_eq!(client.with_timeout(Duration::from_secs(2)).timeout(), Duration::from_secs(2));
    assert_eq!(client.with_retry_policy(RetryPolicy::none()).retry_policy(), RetryPolicy::none());
    assert_eq!(client.retry_policy(), quick_retries(2));
    let err = hurried.cra_monitoring_insights_get(&request()).await;
    assert!(matches!(err, Err(Error::DeadlineExceeded { attempts: 1, .. })), "{err:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// Rate limiting
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_429_without_retry_after_waits_for_the_longer_rate_limit_backoff() {
    let policy = quick_retries(1).rate_limit_backoff(Duration::from_millis(800));
    let too_many = MockServer::start().await;
    let rate_limited = Timed::new(ResponseTemplate::new(429));
    answer_with(&too_many, rate_limited.clone()).await;
    let overloaded = MockServer::start().await;
    let server_error = Timed::new(ResponseTemplate::new(503));
    answer_with(&overloaded, server_error.clone()).await;

    let client = builder_for(too_many.uri(), policy).build().unwrap();
    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();
    assert_eq!(err.status().map(|status| status.as_u16()), Some(429));
    let client = builder_for(overloaded.uri(), policy).build().unwrap();
    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();
    assert_eq!(err.status().map(|status| status.as_u16()), Some(503));

    let gap = |arrivals: Vec<Instant>| {
        assert_eq!(arrivals.len(), 2, "one retry");
        arrivals[1] - arrivals[0]
    };
    // The wait is a random point between half and all of the backoff.
    let after_429 = gap(rate_limited.arrivals());
    assert!(after_429 >= Duration::from_millis(400), "the configured 429 backoff: {after_429:?}");
    let after_503 = gap(server_error.arrivals());
    assert!(after_503 < after_429, "a 5xx waits less ({after_503:?}) than a 429 ({after_429:?})");

    // With a deadline between the two waits, the 503 is retried and the 429 is not.
    let deadline = |uri: String| builder_for(uri, policy).deadline(Duration::from_millis(300)).build();
    let err = deadline(too_many.uri()).unwrap().cra_monitoring_insights_get(&request()).await.unwrap_err();
    assert!(matches!(err, Error::DeadlineExceeded { attempts: 1, .. }), "{err:?}");
    let err = deadline(overloaded.uri()).unwrap().cra_monitoring_insights_get(&request()).await.unwrap_err();
    assert!(matches!(&err, Error::UnexpectedStatus { .. }) && requests_seen(&overloaded).await == 4, "{err:?}");
}

#[test]
fn the_default_rate_limit_backoff_is_seconds() {
    // Documented defaults, through the public builder methods: changing them changes the policy.
    let default = RetryPolicy::default();
    assert_eq!(
        default,
        default.rate_limit_backoff(Duration::from_secs(5)).max_rate_limit_backoff(Duration::from_secs(30))
    );
    assert_ne!(default, default.rate_limit_backoff(Duration::from_millis(500)));
}

// ---------------------------------------------------------------------------------------------------------------
// TLS
// ---------------------------------------------------------------------------------------------------------------

/// A plain TCP server that answers anything with a plain-HTTP `400` and counts its connections.
async fn plain_tcp_server() -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buffer = [0u8; 1024];
                let _ = stream.read(&mut buffer).await;
                let _ = stream
                    .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .await;
                let _ = stream.shutdown().await;
            });
        }
    });
    (port, connections)
}

#[tokio::test]
async fn a_tls_failure_is_not_retried() {
    let (port, connections) = plain_tcp_server().await;
    // https to this machine is allowed like http; the server does not speak TLS.
    let client = builder_for(format!("https://127.0.0.1:{port}"), quick_retries(3)).build().unwrap();

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    assert!(matches!(&err, Error::Transport(source) if source.is_connect()), "{err:?}");
    assert!(err.is_tls(), "recognised as a TLS failure: {err:?}");
    assert_eq!(err.kind(), "tls");
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("TLS"), "{err}");
    assert_eq!(connections.load(Ordering::SeqCst), 1, "exactly one connection: no retry");
    assert_no_secret(&err);

    // A refused connection is still retried (and is not a TLS failure).
    let client = builder_for(format!("https://127.0.0.1:{}", closed_port()), quick_retries(1)).build().unwrap();
    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();
    assert!(!err.is_tls() && err.is_retryable() && err.kind() == "connect", "{err:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// Responses with their metadata
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_response_comes_with_its_status_headers_request_id_and_exact_bytes() {
    let server = MockServer::start().await;
    // Pretty-printed, so that a re-encoded body would differ.
    let body = serde_json::to_string_pretty(&spec_example()).unwrap();
    let response = ResponseTemplate::new(200)
        .insert_header("x-ratelimit-remaining", "41")
        .set_body_raw(body.clone(), "application/json");
    answer_with(&server, response).await;
    let client = builder_for(server.uri(), RetryPolicy::default()).build().unwrap();

    let response = client.cra_monitoring_insights_get_with_response(&request()).await.expect("the call succeeds");

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["x-ratelimit-remaining"], "41");
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.request_id(), Some(EXAMPLE_REQUEST_ID), "from the body, as no header carries one");
    assert_eq!(response.body(), body.as_bytes(), "byte for byte");
    assert_eq!(response.value().request_id, EXAMPLE_REQUEST_ID);
    let shown = format!("{response:?}");
    assert!(!shown.contains("First Platypus Bank") && !shown.contains("\"41\""), "Debug shows no value: {shown}");
    let parts = response.into_parts();
    assert_eq!(
        (parts.body.len(), parts.value.items.len()),
        (body.len(), spec_example()["items"].as_array().unwrap().len())
    );

    // A request id header wins over the body's.
    server.reset().await;
    let with_header = ResponseTemplate::new(200).insert_header("x-request-id", "hdr-77").set_body_json(spec_example());
    answer_with(&server, with_header).await;
    let response = client.cra_monitoring_insights_get_with_response(&request()).await.unwrap();
    assert_eq!(response.request_id(), Some("hdr-77"));
}

#[tokio::test]
async fn a_body_that_does_not_decode_keeps_its_bytes_headers_and_request_id() {
    let server = MockServer::start().await;
    let mut example = spec_example();
    example["items"][0]["status"].as_object_mut().unwrap().remove("status_code").expect("the example has it");
    let body = serde_json::to_string_pretty(&example).unwrap();
    let reply = ResponseTemplate::new(200)
        .insert_header("x-ratelimit-remaining", "41")
        .set_body_raw(body.clone(), "application/json");
    answer_with(&server, reply).await;
    let client = builder_for(server.uri(), RetryPolicy::default()).build().unwrap();

    let err = client.cra_monitoring_insights_get_with_response(&request()).await.unwrap_err();

    let Error::Decode { path, request_id, .. } = &err else { panic!("expected Error::Decode: {err:?}") };
    assert_eq!(path, "items[0].status");
    assert_eq!(request_id.as_deref(), Some(EXAMPLE_REQUEST_ID), "read from the bytes: no header carries one");
    assert!(err.to_string().contains(EXAMPLE_REQUEST_ID), "{err}");
    assert!(!format!("{err} {err:?}").contains("First Platypus Bank"));
    assert_eq!(err.sensitive_body().unwrap().bytes(), body.as_bytes(), "the whole body, byte for byte");
    let kept = err.sensitive_body().unwrap();
    assert_eq!(kept.headers().get("x-ratelimit-remaining").unwrap(), "41", "the headers, for storing it whole");
    assert_eq!(kept.headers().get("content-type").unwrap(), "application/json");
    assert_eq!(err.into_sensitive_body().unwrap().into_bytes(), body.into_bytes());
}

// ---------------------------------------------------------------------------------------------------------------
// Which base URLs are accepted
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn plain_http_is_refused_except_to_this_machine_or_when_allowed() {
    for url in ["http://api.example.com", "http://192.168.1.20:8080", "http://[2001:db8::1]/v1"] {
        let err = builder_for(url, RetryPolicy::none()).build().unwrap_err();
        assert!(matches!(&err, BuildError::InsecureBaseUrl { url: given } if given == url), "{url}: {err:?}");
        assert!(err.to_string().contains("allow_insecure_http"), "{err}");
        let client = builder_for(url, RetryPolicy::none()).allow_insecure_http().build();
        assert_eq!(client.unwrap_or_else(|e| panic!("{url}: {e}")).base_url(), url);
    }
    for url in ["http://127.0.0.1:9", "http://localhost:8080", "http://[::1]:9", "https://api.example.com"] {
        builder_for(url, RetryPolicy::none()).build().unwrap_or_else(|e| panic!("{url}: {e}"));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The error body in `Debug`
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_debug_of_an_api_error_enum_shows_only_declared_scalar_fields() {
    const SENTINEL: &str = "SENTINEL-debug-9a7e-echoed-input";
    let server = MockServer::start().await;
    let body =
        serde_json::json!({"title": "Unprocessable", "status": 422, "detail": SENTINEL, "echo": {"input": SENTINEL}});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(422).set_body_json(body)).mount(&server).await;
    let client = fixture_responses::Client::builder().base_url(server.uri()).build().unwrap();

    let err = client.get_widget().await.unwrap_err();

    let body = err.api_error().expect("a declared error body");
    assert!(matches!(body, fixture_responses::ApiError::Problem(_)), "{body:?}");
    assert_eq!(format!("{body:?}"), "Problem { title=Unprocessable status=422 }");
    for shown in [format!("{err:?}"), format!("{err:#?}"), format!("{body:#?}"), err.to_string()] {
        assert!(!shown.contains(SENTINEL), "a body value shows: {shown}");
        assert!(shown.contains("title=Unprocessable"), "{shown}");
    }
}
