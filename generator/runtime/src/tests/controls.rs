//! Call controls against a real server on 127.0.0.1 (wiremock), through the stand-in client: the
//! deadline across attempts and waits, per-call copies of the client, the cap on concurrent
//! calls, and which base URLs a builder accepts.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::client::Client;
use crate::error::{BuildError, Error};
use crate::retry::RetryPolicy;

fn builder(server: &MockServer) -> crate::client::ClientBuilder {
    Client::builder().base_url(server.uri()).api_key("key-1")
}

fn report() -> serde_json::Value {
    json!({"request_id": "req-1", "amount": 1, "owner": "x"})
}

/// A server that answers every call with the report, `delay` after it arrives.
async fn slow_server(delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(report()).set_delay(delay))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_retry_whose_wait_would_pass_the_deadline_is_not_started() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    // The wait would be 1 to 2 s; the deadline is 300 ms away.
    let policy = RetryPolicy::default().max_retries(3).initial_backoff(Duration::from_secs(2));
    let client = builder(&server).retry_policy(policy).deadline(Duration::from_millis(300)).build().expect("a client");

    let error = client.report_get(&json!({})).await.expect_err("the deadline passes");

    let Error::DeadlineExceeded { deadline, attempts, last_error } = &error else { panic!("{error:?}") };
    assert_eq!((*deadline, *attempts), (Duration::from_millis(300), 1), "no second attempt after a wait");
    assert!(matches!(last_error.as_deref(), Some(Error::UnexpectedStatus { status, .. }) if status.as_u16() == 503));
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert!(error.is_timeout() && error.is_retryable() && error.kind() == "deadline exceeded");
    assert!(error.to_string().starts_with("the call's deadline of 300ms passed after 1 attempt(s)"), "{error}");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

#[tokio::test]
async fn the_deadline_cuts_an_attempt_short() {
    let server = slow_server(Duration::from_secs(5)).await;
    let client = builder(&server).deadline(Duration::from_millis(200)).build().expect("a client");
    let error = client.report_get(&json!({})).await.expect_err("the deadline passes");
    assert!(matches!(error, Error::DeadlineExceeded { attempts: 1, last_error: None, .. }), "{error:?}");
}

#[tokio::test]
async fn a_copy_of_the_client_changes_its_calls_only() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let policy = RetryPolicy::default().max_retries(1).initial_backoff(Duration::from_millis(1));
    let client = builder(&server).retry_policy(policy).build().expect("a client");

    let error = client.with_retry_policy(RetryPolicy::none()).report_get(&json!({})).await.expect_err("a 503");
    assert!(matches!(error, Error::UnexpectedStatus { .. }), "{error:?}");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1, "the copy does not retry");

    client.report_get(&json!({})).await.expect_err("a 503");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 3, "the original still retries once");

    let error = client.with_deadline(Duration::ZERO).report_get(&json!({})).await.expect_err("no time at all");
    assert!(matches!(error, Error::DeadlineExceeded { .. }), "{error:?}");
    assert_eq!(client.transport.deadline, None, "the original keeps no deadline");
}

#[tokio::test]
async fn a_per_call_timeout_limits_each_attempt() {
    let server = slow_server(Duration::from_secs(5)).await;
    let client = builder(&server).retry_policy(RetryPolicy::none()).build().expect("a client");
    let error = client.with_timeout(Duration::from_millis(100)).report_get(&json!({})).await.expect_err("too slow");
    assert!(matches!(&error, Error::Transport(inner) if inner.is_timeout()), "{error:?}");
}

#[tokio::test]
async fn a_call_over_the_cap_waits_for_a_slot_within_its_deadline() {
    let server = slow_server(Duration::from_secs(30)).await;
    let client = builder(&server).max_concurrent_calls(1).build().expect("a client");
    let first = tokio::spawn({
        let client = client.clone();
        async move { client.report_get(&json!({})).await }
    });
    while server.received_requests().await.expect("recorded").is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    let error = client.with_deadline(Duration::from_millis(200)).report_get(&json!({})).await.expect_err("no slot");

    assert!(matches!(error, Error::DeadlineExceeded { attempts: 0, last_error: None, .. }), "{error:?}");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1, "the second call sent nothing");
    first.abort();
}

#[test]
fn plain_http_is_refused_except_to_this_machine() {
    for url in ["http://localhost:8080", "http://127.0.0.1:9", "http://127.8.9.10", "http://[::1]:80/api"] {
        Client::builder().base_url(url).build().unwrap_or_else(|error| panic!("{url}: {error}"));
    }
    for url in ["http://example.com", "http://10.0.0.1:8080", "http://localhost.example.com", "http://[::2]"] {
        let error = Client::builder().base_url(url).build().expect_err(url);
        assert!(matches!(&error, BuildError::InsecureBaseUrl { url: given } if given == url), "{url}: {error:?}");
        assert!(error.to_string().contains("allow_insecure_http"), "{error}");
        Client::builder().base_url(url).allow_insecure_http().build().unwrap_or_else(|error| panic!("{url}: {error}"));
    }
    Client::builder().base_url("https://example.com").build().expect("https is fine");
}
