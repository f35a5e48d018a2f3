//! The generated client against a local mock server: what goes over the wire, and how every kind of failure is
//! reported. No credential may ever show up in an error message or a `Debug` output.

use std::fmt::{Debug, Display};

use plaid_client::types::{
    CraMonitoringInsightsGetRequest, CraMonitoringInsightsGetResponse, MonitoringConsumerReportPermissiblePurpose,
    PlaidErrorType,
};
use plaid_client::{BuildError, Client, Environment, Error, Mismatch};
use serde_json::{json, Value};
use wiremock::matchers::{any, body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "client-123";
const SECRET: &str = "secret-456";
const OPERATION_PATH: &str = "/cra/monitoring_insights/get";
const USER_ID: &str = "usr_8f2b6c1d";

/// The `example` of the 200 response of the operation in the spec, as JSON.
fn spec_example() -> Value {
    let path = pipeline_tests::workspace_root().join("spec/openapi.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).expect("the spec is valid YAML");
    let example = &spec["paths"][OPERATION_PATH]["post"]["responses"]["200"]["content"]["application/json"]["example"];
    assert!(example.is_mapping(), "the 200 response has an example object, got {example:?}");
    serde_json::to_value(example).expect("the example converts to JSON")
}

/// A client that does not retry: these tests look at one exchange each (retries are covered by
/// the fault matrix).
fn client_for(base_url: impl Into<String>) -> Client {
    Client::builder()
        .base_url(base_url)
        .client_id(CLIENT_ID)
        .secret(SECRET)
        .retry_policy(plaid_client::RetryPolicy::none())
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

fn expected_body() -> Value {
    json!({"consumer_report_permissible_purpose": "ACCOUNT_REVIEW_CREDIT", "user_id": USER_ID})
}

/// Asserts that neither the Display nor the Debug form of `value` contains the secret.
#[track_caller]
fn assert_no_secret(value: &(impl Display + Debug)) {
    for text in [format!("{value}"), format!("{value:?}"), format!("{value:#?}")] {
        assert!(!text.contains(SECRET), "the secret leaks: {text}");
    }
}

#[track_caller]
fn assert_client_debug_has_no_secret(client: &Client) {
    let debug = format!("{client:?}");
    assert!(debug.contains("Client"), "{debug}");
    assert!(!debug.contains(SECRET), "the secret leaks through Debug of the client: {debug}");
    assert!(!format!("{client:#?}").contains(SECRET));
}

/// The single header value `name` had in a request, failing if it was absent or repeated.
#[track_caller]
fn single_header<'r>(request: &'r wiremock::Request, name: &str) -> &'r str {
    let values: Vec<_> = request.headers.get_all(name).iter().collect();
    assert_eq!(values.len(), 1, "expected exactly one `{name}` header, got {values:?}");
    values[0].to_str().expect("header value is text")
}

#[tokio::test]
async fn success_sends_the_expected_request_and_decodes_the_report() {
    let server = MockServer::start().await;
    let example = spec_example();
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(&example))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(server.uri());

    let report = client.cra_monitoring_insights_get(&request()).await.expect("the call succeeds");

    let expected: CraMonitoringInsightsGetResponse = serde_json::from_value(example).unwrap();
    assert_eq!(report, expected);
    assert_eq!(report.items.len(), 2);

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
    let body: Value = serde_json::from_slice(&sent.body).expect("the body is JSON");
    assert_eq!(body, expected_body());
    let body_text = String::from_utf8(sent.body.clone()).unwrap();
    assert!(!body_text.contains("null"), "unset fields are omitted, not null: {body_text}");
    assert!(!body_text.contains(SECRET), "the header secret is not copied into the body: {body_text}");

    assert_client_debug_has_no_secret(&client);
    server.verify().await;
}

#[tokio::test]
async fn matchers_on_headers_and_body_select_the_call() {
    // The same expectations expressed as wiremock matchers: the call only succeeds if they all hold.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .and(header("content-type", "application/json"))
        .and(header("plaid-client-id", CLIENT_ID))
        .and(header("plaid-secret", SECRET))
        .and(header("plaid-version", "2020-09-14"))
        .and(body_json(expected_body()))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec_example()))
        .expect(1)
        .mount(&server)
        .await;

    let result = client_for(server.uri()).cra_monitoring_insights_get(&request()).await;
    assert!(result.is_ok(), "{result:?}");
    server.verify().await;
}

#[tokio::test]
async fn plaid_version_override_is_sent_instead_of_the_default() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .and(header("plaid-version", "2099-01-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec_example()))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .client_id(CLIENT_ID)
        .secret(SECRET)
        .plaid_version("2099-01-01")
        .build()
        .unwrap();

    client.cra_monitoring_insights_get(&request()).await.expect("the call succeeds");

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(single_header(&received[0], "plaid-version"), "2099-01-01");
    server.verify().await;
}

#[tokio::test]
async fn trailing_slash_in_base_url_does_not_double_the_slash() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec_example()))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(format!("{}/", server.uri()));
    assert_eq!(client.base_url(), server.uri());

    client.cra_monitoring_insights_get(&request()).await.expect("the call succeeds");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].url.path(), OPERATION_PATH);
    server.verify().await;
}

#[tokio::test]
async fn plaid_error_response_becomes_an_api_error() {
    let server = MockServer::start().await;
    let error_body = json!({
        "error_type": "INVALID_REQUEST",
        "error_code": "INVALID_FIELD",
        "error_message": "consumer_report_permissible_purpose must be one of the listed values",
        "display_message": null,
        "request_id": "req-abc"
    });
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_json(&error_body))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(server.uri());

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    let Error::Api { status, error, .. } = &err else { panic!("expected Error::Api, got {err:?}") };
    assert_eq!(status.as_u16(), 400);
    assert_eq!(error.error_type, PlaidErrorType::InvalidRequest);
    assert_eq!(error.error_code, "INVALID_FIELD");
    assert_eq!(error.error_message, "consumer_report_permissible_purpose must be one of the listed values");
    assert_eq!(error.display_message, None);
    assert_eq!(error.request_id.as_deref(), Some("req-abc"));
    assert!(err.to_string().contains("400"), "{err}");
    assert_no_secret(&err);
    assert_client_debug_has_no_secret(&client);
    server.verify().await;
}

#[tokio::test]
async fn server_error_with_non_json_body_becomes_unexpected_status() {
    let server = MockServer::start().await;
    let text = "upstream exploded: <html>Bad Gateway</html>";
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(ResponseTemplate::new(500).set_body_string(text))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(server.uri());

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::UnexpectedStatus { status, body, .. } = &err else { panic!("expected UnexpectedStatus, got {err:?}") };
    assert_eq!(status.as_u16(), 500);
    assert_eq!(body.excerpt(), text, "the body is kept, behind an explicit accessor");
    assert!(!err.to_string().contains("exploded"), "the message never quotes the body: {err}");
    assert!(!format!("{err:?}").contains("exploded"), "nor does Debug: {err:?}");
    assert!(err.to_string().contains("500"), "{err}");
    assert_no_secret(&err);
    assert_client_debug_has_no_secret(&client);
    server.verify().await;
}

#[tokio::test]
async fn error_status_with_json_that_is_not_a_plaid_error_becomes_unexpected_status() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"message": "forbidden by proxy"})))
        .expect(1)
        .mount(&server)
        .await;

    let err = client_for(server.uri()).cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::UnexpectedStatus { status, body, .. } = &err else { panic!("expected UnexpectedStatus, got {err:?}") };
    assert_eq!(status.as_u16(), 403);
    assert!(body.excerpt().contains("forbidden by proxy"), "{body}");
    assert_no_secret(&err);
    server.verify().await;
}

#[tokio::test]
async fn long_unexpected_body_is_cut_to_an_excerpt() {
    let server = MockServer::start().await;
    let text = "x".repeat(5000);
    Mock::given(any()).respond_with(ResponseTemplate::new(502).set_body_string(text.clone())).mount(&server).await;

    let err = client_for(server.uri()).cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::UnexpectedStatus { body, .. } = &err else { panic!("expected UnexpectedStatus, got {err:?}") };
    assert!(body.excerpt().len() < text.len(), "the body is cut, got {} bytes", body.excerpt().len());
    assert!(body.excerpt().starts_with("xxxx") && body.excerpt().ends_with('…'), "{body}");
    assert_eq!(body.len(), text.len(), "the whole body's size is kept");
}

#[tokio::test]
async fn success_with_invalid_json_becomes_a_decode_error() {
    let server = MockServer::start().await;
    let text = "{\"request_id\": \"req-1\", oops";
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(text).insert_header("content-type", "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(server.uri());

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::Decode { status, body, .. } = &err else { panic!("expected Error::Decode, got {err:?}") };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(body.excerpt(), text);
    assert!(std::error::Error::source(&err).is_none(), "serde's message quotes the body, so it is not a source");
    assert!(matches!(err, Error::Decode { mismatch: Mismatch::Syntax { line: 1, .. }, .. }), "{err:?}");
    assert_no_secret(&err);
    assert_client_debug_has_no_secret(&client);
    server.verify().await;
}

#[tokio::test]
async fn success_with_json_of_the_wrong_shape_becomes_a_decode_error() {
    let server = MockServer::start().await;
    let mut example = spec_example();
    example.as_object_mut().unwrap().remove("items");
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(&example)).expect(1).mount(&server).await;

    let err = client_for(server.uri()).cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::Decode { status, mismatch, .. } = &err else { panic!("expected Error::Decode, got {err:?}") };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(*mismatch, Mismatch::MissingField { field: "items".to_string() });
    assert!(err.to_string().contains("`items`"), "the decode error names the missing field: {err}");
    assert_no_secret(&err);
    server.verify().await;
}

#[tokio::test]
async fn invalid_request_is_rejected_before_anything_is_sent() {
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
    assert_eq!(err.status(), None);
    assert!(err.to_string().contains("consumer_report_permissible_purpose"), "{err}");
    assert_no_secret(&err);
    assert_client_debug_has_no_secret(&client);
    let received = server.received_requests().await.expect("request recording is on");
    assert!(received.is_empty(), "nothing may be sent, got {} request(s)", received.len());
    server.verify().await;
}

#[tokio::test]
async fn refused_connection_becomes_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        listener.local_addr().unwrap().port()
    }; // The listener is dropped here, so nothing listens on the port any more.
    let client = client_for(format!("http://127.0.0.1:{port}"));

    let err = client.cra_monitoring_insights_get(&request()).await.unwrap_err();

    let Error::Transport(source) = &err else { panic!("expected Error::Transport, got {err:?}") };
    assert!(source.is_connect(), "a connection error: {source:?}");
    assert_eq!(err.status(), None);
    assert_no_secret(&err);
    assert_client_debug_has_no_secret(&client);
}

#[test]
fn missing_secret_is_a_build_error() {
    let builder = Client::builder().base_url("http://127.0.0.1:1").client_id(CLIENT_ID);
    let err = builder.build().unwrap_err();
    let BuildError::MissingCredential { name, sent_as } = &err else {
        panic!("expected MissingCredential, got {err:?}")
    };
    assert_eq!(*name, "secret");
    assert_eq!(*sent_as, "the `PLAID-SECRET` header");
    assert!(err.to_string().contains("secret"), "{err}");
    assert_no_secret(&err);
}

#[test]
fn missing_client_id_is_a_build_error_and_does_not_show_the_secret() {
    let err = Client::builder().base_url("http://127.0.0.1:1").secret(SECRET).build().unwrap_err();
    let BuildError::MissingCredential { name, sent_as } = &err else {
        panic!("expected MissingCredential, got {err:?}")
    };
    assert_eq!(*name, "client_id");
    assert_eq!(*sent_as, "the `PLAID-CLIENT-ID` header");
    assert_no_secret(&err);
}

#[test]
fn credential_that_cannot_be_a_header_is_a_build_error_and_is_not_echoed() {
    let err = Client::builder()
        .base_url("http://127.0.0.1:1")
        .client_id(CLIENT_ID)
        .secret(format!("{SECRET}\nX-Injected: 1"))
        .build()
        .unwrap_err();
    let BuildError::InvalidCredential { name } = &err else { panic!("expected InvalidCredential, got {err:?}") };
    assert_eq!(*name, "secret");
    assert_no_secret(&err);
}

#[test]
fn invalid_base_url_is_a_build_error() {
    for url in ["not a url", "ftp://example.com", "/relative/path"] {
        let err = Client::builder().base_url(url).client_id(CLIENT_ID).secret(SECRET).build().unwrap_err();
        let BuildError::InvalidBaseUrl { url: given } = &err else { panic!("expected InvalidBaseUrl, got {err:?}") };
        assert_eq!(given, url);
        assert!(err.to_string().contains(url), "{err}");
        assert_no_secret(&err);
    }
}

#[test]
fn missing_base_url_is_a_build_error() {
    let err = Client::builder().client_id(CLIENT_ID).secret(SECRET).build().unwrap_err();
    assert!(matches!(err, BuildError::MissingBaseUrl), "expected MissingBaseUrl, got {err:?}");
    assert_no_secret(&err);
}

#[test]
fn environments_have_the_spec_server_urls() {
    assert_eq!(Environment::Sandbox.base_url(), "https://sandbox.plaid.com");
    assert_eq!(Environment::Production.base_url(), "https://production.plaid.com");

    for environment in [Environment::Sandbox, Environment::Production] {
        let client =
            Client::builder().environment(environment).client_id(CLIENT_ID).secret(SECRET).build().expect("builds");
        assert_eq!(client.base_url(), environment.base_url());
        assert_client_debug_has_no_secret(&client);
    }
}

#[test]
fn base_url_set_after_environment_wins() {
    let client = Client::builder()
        .environment(Environment::Production)
        .base_url("http://127.0.0.1:9")
        .client_id(CLIENT_ID)
        .secret(SECRET)
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9");
}

#[test]
fn client_builder_debug_does_not_show_the_secret() {
    let builder = Client::builder().base_url("http://127.0.0.1:1").client_id(CLIENT_ID).secret(SECRET);
    let debug = format!("{builder:?}");
    assert!(debug.contains(CLIENT_ID), "the non-secret settings are shown: {debug}");
    assert!(!debug.contains(SECRET), "the secret leaks through Debug of the builder: {debug}");
    assert!(!format!("{builder:#?}").contains(SECRET));
}

#[tokio::test]
async fn response_hook_sees_the_request_id_of_successful_and_failed_calls() {
    let server = MockServer::start().await;
    let example = spec_example();
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(&example))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(ResponseTemplate::new(400).insert_header("x-request-id", "req-from-header").set_body_json(
            serde_json::json!({
                "error_type": "INVALID_INPUT",
                "error_code": "INVALID_FIELD",
                "error_message": "bad",
                "display_message": null,
                "request_id": "req-from-body"
            }),
        ))
        .mount(&server)
        .await;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = seen.clone();
    let client = Client::builder()
        .base_url(server.uri())
        .client_id(CLIENT_ID)
        .secret(SECRET)
        .retry_policy(plaid_client::RetryPolicy::none())
        .on_response(move |info| {
            sink.lock().unwrap().push((
                info.operation_id,
                info.status.map(|s| s.as_u16()),
                info.request_id.map(str::to_string),
                info.attempts,
            ));
        })
        .build()
        .unwrap();

    client.cra_monitoring_insights_get(&request()).await.expect("the first call succeeds");
    let error = client.cra_monitoring_insights_get(&request()).await.unwrap_err();
    assert_eq!(error.request_id(), Some("req-from-header"), "headers win over the body");

    let expected_id = example["request_id"].as_str().map(str::to_string);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        vec![
            ("craMonitoringInsightsGet", Some(200), expected_id, 1),
            ("craMonitoringInsightsGet", Some(400), Some("req-from-header".to_string()), 1),
        ]
    );
    assert_client_debug_has_no_secret(&client);
}
