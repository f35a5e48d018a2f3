//! The generated client against a local mock server: what goes over the wire, how a client is built (and how
//! building it fails), how a long error body is cut, and the response hook. No credential may ever show up in an
//! error message or a `Debug` output. How each kind of call ends is `fault_matrix.rs`'s.

use std::sync::{Arc, Mutex};

use pipeline_tests::http::{only_request, single_header, Sequence};
use pipeline_tests::plaid::{
    answer_with, assert_client_has_no_secret, assert_no_secret, builder_for, client_for, exchange, plaid_error,
    request, spec_example, Exchange, CLIENT_ID, OPERATION_ID, OPERATION_PATH, SECRET, USER_ID,
};
use plaid_client::{BuildError, Client, Environment, Error, RetryPolicy};
use wiremock::{MockServer, ResponseTemplate};

/// A server that answers every call with the spec's example.
async fn server_with_example() -> MockServer {
    let server = MockServer::start().await;
    answer_with(&server, ResponseTemplate::new(200).set_body_json(spec_example())).await;
    server
}

/// Exactly what goes over the wire for a call (what the call returns is the fault matrix's row 1).
#[tokio::test]
async fn a_call_sends_exactly_the_expected_request() {
    let server = server_with_example().await;
    let client = client_for(server.uri(), RetryPolicy::none());

    client.cra_monitoring_insights_get(&request()).await.expect("the call succeeds");

    let sent = only_request(&server).await;
    assert_eq!(sent.method.as_str(), "POST");
    assert_eq!(sent.url.path(), OPERATION_PATH);
    assert_eq!(sent.url.query(), None);
    assert_eq!(single_header(&sent, "content-type"), "application/json");
    assert_eq!(single_header(&sent, "PLAID-CLIENT-ID"), CLIENT_ID);
    assert_eq!(single_header(&sent, "PLAID-SECRET"), SECRET);
    assert_eq!(single_header(&sent, "Plaid-Version"), "2020-09-14");
    let user_agent = single_header(&sent, "user-agent");
    assert!(user_agent.starts_with("plaid-client/"), "user agent: {user_agent}");
    let body = std::str::from_utf8(&sent.body).expect("the body is UTF-8");
    assert_eq!(
        body,
        format!(r#"{{"user_id":"{USER_ID}","consumer_report_permissible_purpose":"ACCOUNT_REVIEW_CREDIT"}}"#),
        "unset optional fields are omitted, not null, and the header secret is not copied into the body"
    );
    assert_client_has_no_secret(&client);
}

#[tokio::test]
async fn plaid_version_override_is_sent_instead_of_the_default() {
    let server = server_with_example().await;
    let client = builder_for(server.uri(), RetryPolicy::none()).plaid_version("2099-01-01").build().unwrap();

    client.cra_monitoring_insights_get(&request()).await.expect("the call succeeds");

    assert_eq!(single_header(&only_request(&server).await, "plaid-version"), "2099-01-01");
}

#[tokio::test]
async fn trailing_slash_in_base_url_does_not_double_the_slash() {
    let server = server_with_example().await;
    let client = client_for(format!("{}/", server.uri()), RetryPolicy::none());
    assert_eq!(client.base_url(), server.uri());

    client.cra_monitoring_insights_get(&request()).await.expect("the call succeeds");

    assert_eq!(only_request(&server).await.url.path(), OPERATION_PATH);
}

#[tokio::test]
async fn long_unexpected_body_is_cut_to_an_excerpt() {
    let text = "x".repeat(5000);
    let Exchange { result, .. } =
        exchange(ResponseTemplate::new(502).set_body_string(text.clone()), RetryPolicy::none()).await;

    let err = result.unwrap_err();

    let Error::UnexpectedStatus { body, .. } = &err else { panic!("expected UnexpectedStatus, got {err:?}") };
    assert!(body.excerpt().len() < text.len(), "the body is cut, got {} bytes", body.excerpt().len());
    assert!(body.excerpt().starts_with("xxxx") && body.excerpt().ends_with('…'), "{body}");
    assert_eq!(body.len(), text.len(), "the whole body's size is kept");
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
    let builder = builder_for("http://127.0.0.1:1", RetryPolicy::none()).secret(format!("{SECRET}\nX-Injected: 1"));
    let err = builder.build().unwrap_err();
    let BuildError::InvalidCredential { name } = &err else { panic!("expected InvalidCredential, got {err:?}") };
    assert_eq!(*name, "secret");
    assert_no_secret(&err);
}

#[test]
fn invalid_base_url_is_a_build_error() {
    for url in ["not a url", "ftp://example.com", "/relative/path"] {
        let err = builder_for(url, RetryPolicy::none()).build().unwrap_err();
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
        assert_client_has_no_secret(&client);
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
    let builder = builder_for("http://127.0.0.1:1", RetryPolicy::none());
    let debug = format!("{builder:?}");
    assert!(debug.contains(CLIENT_ID), "the non-secret settings are shown: {debug}");
    pipeline_tests::assert_debug_shows_none(&builder, &[SECRET]);
}

#[tokio::test]
async fn response_hook_sees_the_request_id_of_successful_and_failed_calls() {
    let server = MockServer::start().await;
    let example = spec_example();
    let ok = ResponseTemplate::new(200).set_body_json(&example);
    let error = plaid_error("INVALID_INPUT", "INVALID_FIELD", "req-from-body");
    let failed = ResponseTemplate::new(400).insert_header("x-request-id", "req-from-header").set_body_json(error);
    answer_with(&server, Sequence::new([ok, failed])).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let client = builder_for(server.uri(), RetryPolicy::none())
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
            (OPERATION_ID, Some(200), expected_id, 1),
            (OPERATION_ID, Some(400), Some("req-from-header".to_string()), 1),
        ]
    );
    assert_client_has_no_secret(&client);
}
