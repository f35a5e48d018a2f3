//! Responses with their metadata (`…_with_response`) and what a decode failure keeps, against a
//! real server on 127.0.0.1 (wiremock), through the stand-in client.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::client::Client;
use crate::error::Error;
use crate::response::peek_request_id;
use crate::retry::RetryPolicy;

const SENTINEL: &str = "SENTINEL-41aa-account-owner";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_key("key-1")
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client")
}

#[tokio::test]
async fn a_response_keeps_status_headers_request_id_and_the_exact_body() {
    let server = MockServer::start().await;
    // Spacing and key order a re-encoding would not keep.
    let body = format!("{{ \"owner\" : \"{SENTINEL}\",\n  \"amount\": 12.50, \"request_id\": \"req-body-1\" }}");
    Mock::given(method("POST"))
        .and(path("/report/get"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("x-report-version", "7")
                .set_body_raw(body.clone(), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server).report_get_with_response(&json!({})).await.expect("a response");

    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.headers().get("x-report-version").map(|v| v.to_str().ok()), Some(Some("7")));
    assert_eq!(response.body(), body.as_bytes());
    assert_eq!(response.text(), body);
    assert_eq!(response.request_id(), Some("req-body-1"), "from the decoded body, as no header has one");
    assert_eq!(response.value().amount, 12.5);
    let shown = format!("{response:?}");
    assert!(!shown.contains(SENTINEL) && !shown.contains("\"7\""), "Debug shows a value: {shown}");
    assert!(shown.contains("x-report-version") && shown.contains(&format!("{} bytes", body.len())), "{shown}");

    let parts = response.into_parts();
    assert_eq!((parts.status.as_u16(), parts.request_id.as_deref()), (201, Some("req-body-1")));
    assert_eq!(parts.body, body.as_bytes());
    assert_eq!(parts.value.owner, SENTINEL);
}

#[tokio::test]
async fn a_header_request_id_wins_over_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "hdr-2")
                .set_body_json(json!({"request_id": "req-9", "amount": 1, "owner": "x"})),
        )
        .mount(&server)
        .await;
    let response = client(&server).report_get_with_response(&json!({})).await.expect("a response");
    assert_eq!(response.request_id(), Some("hdr-2"));
}

#[tokio::test]
async fn a_decode_failure_keeps_every_byte_and_the_request_id_of_the_body() {
    let server = MockServer::start().await;
    let body = format!(r#"{{"request_id": "req-broken-3", "amount": "{SENTINEL}", "owner": "{}"}}"#, "x".repeat(2000));
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .mount(&server)
        .await;

    let error = client(&server).report_get(&json!({})).await.expect_err("the amount is not a number");

    let Error::Decode { path, request_id, .. } = &error else { panic!("{error:?}") };
    assert_eq!(path, "amount");
    assert_eq!(request_id.as_deref(), Some("req-broken-3"), "read from the bytes, as no header has one");
    assert_eq!(error.request_id(), Some("req-broken-3"));
    assert!(error.to_string().contains("request id req-broken-3"), "{error}");
    let kept = error.sensitive_body().expect("the body is kept");
    assert_eq!(kept.bytes(), body.as_bytes(), "the whole body, not an excerpt");
    assert!(kept.excerpt().len() < body.len());
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(SENTINEL), "{shown}");
    assert_eq!(error.into_sensitive_body().map(|kept| kept.into_bytes()), Some(body.into_bytes()));
}

#[tokio::test]
async fn a_bytes_body_is_the_response_and_not_copied_into_a_value() {
    let server = MockServer::start().await;
    let pdf = b"%PDF-1.7\n\xff\xfe binary".to_vec();
    Mock::given(method("GET"))
        .and(path("/report/pdf"))
        .respond_with(ResponseTemplate::new(200).insert_header("x-request-id", "pdf-1").set_body_bytes(pdf.clone()))
        .mount(&server)
        .await;
    let client = client(&server);
    let response = client.report_pdf_with_response().await.expect("a response");
    assert_eq!((response.body(), response.request_id()), (pdf.as_slice(), Some("pdf-1")));
    assert_eq!(client.report_pdf().await.expect("the bytes"), pdf);
}

#[test]
fn the_request_id_is_read_from_the_top_level_only_and_before_a_break() {
    assert_eq!(
        peek_request_id(br#"{"a": {"request_id": "inner"}, "request_id": "outer"}"#, "request_id").as_deref(),
        Some("outer")
    );
    assert_eq!(peek_request_id(br#"{"request_id": "early", "amount": tru"#, "request_id").as_deref(), Some("early"));
    assert_eq!(peek_request_id(br#"{"amount": tru, "request_id": "late"}"#, "request_id"), None);
    assert_eq!(peek_request_id(br#"{"request_id": 5}"#, "request_id"), None);
    assert_eq!(peek_request_id(br#"{"request_id": null}"#, "request_id"), None);
    assert_eq!(peek_request_id(br#"["request_id", "x"]"#, "request_id"), None);
    assert_eq!(peek_request_id(br#"{"requestId": "camel"}"#, "requestId").as_deref(), Some("camel"));
}
