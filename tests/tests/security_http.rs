//! The client generated for the `security` fixture against a local mock server: how each kind of
//! security scheme goes over the wire (header, query, cookie, bearer, basic, opaque
//! `Authorization`), which of an operation's alternatives is sent, token sources asked before
//! every attempt, the error for missing credentials, the relative server joined to a host, and
//! that no credential shows in `Debug` output or error text.

use std::fmt::{Debug, Display};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use fixture_security::{
    BuildError, Client, ClientBuilder, Environment, Error, RetryPolicy, Secret, TokenError, TokenFuture, TokenSource,
};
use pipeline_tests::http::{answer, header, only_request, pairs, query_pairs, received, sent_by, Sequence};
use pipeline_tests::{assert_debug_shows_none, assert_shows_none, assert_text_shows_none, RestoreEnv};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "bearer-token-7f3a";
const PASSWORD: &str = "pass-word-91c2";
const QUERY_KEY: &str = "query-key-55e1";
const HEADER_KEY: &str = "header-key-0b4d";
const COOKIE: &str = "cookie-value-d2a8";
const NEGOTIATE: &str = "Negotiate opaque-4c19";
const SECRETS: &[&str] = &[TOKEN, PASSWORD, QUERY_KEY, HEADER_KEY, COOKIE, "opaque-4c19", "refreshed-token"];

/// A server answering every path under `/api/v1` (the fixture's relative server) with 204, and
/// `/api/v1/pets` with a message.
async fn mock_server() -> MockServer {
    let server = MockServer::start().await;
    answer(&server, "GET", "/api/v1/pets", ResponseTemplate::new(200).set_body_json(json!({"message": "hi"}))).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

/// A builder aimed at the mock server through the spec's relative server.
fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder().environment(Environment::Relative).host(server.uri()).retry_policy(RetryPolicy::none())
}

/// Asserts that no credential shows in `value`'s `Display` or `Debug` forms.
#[track_caller]
fn assert_quiet(value: &(impl Display + Debug)) {
    assert_shows_none(value, SECRETS);
}

/// Asserts that no credential shows in the `Debug` forms of a client or a builder.
#[track_caller]
fn assert_quiet_debug(value: &impl Debug) {
    assert_debug_shows_none(value, SECRETS);
}

#[tokio::test]
async fn the_relative_server_is_joined_to_the_host() {
    let server = mock_server().await;
    let client = builder(&server).bearer_auth(TOKEN).build().expect("builds");
    assert_eq!(client.base_url(), format!("{}/api/v1", server.uri()));
    assert!(Environment::Relative.is_relative());
    assert_eq!(Environment::Relative.base_url(), "/api/v1");
    let message = client.list_pets().await.expect("the call succeeds");
    assert_eq!(message.message.as_deref(), Some("hi"));
    assert_eq!(only_request(&server).await.url.path(), "/api/v1/pets");
}

#[test]
fn a_relative_server_without_a_host_is_a_clear_build_error() {
    let err = Client::builder().bearer_auth(TOKEN).build().unwrap_err();
    assert!(matches!(err, BuildError::MissingHost { path: "/api/v1" }), "{err:?}");
    assert!(err.to_string().contains("call `host`"), "{err}");
    // A whole base URL needs no host.
    let client = Client::builder().base_url("http://127.0.0.1:9/prefix/").build().expect("builds");
    assert_eq!(client.base_url(), "http://127.0.0.1:9/prefix");
}

#[tokio::test]
async fn the_document_security_sends_a_bearer_token() {
    let server = mock_server().await;
    let client = builder(&server).bearer_auth(TOKEN).build().expect("builds");
    let request = sent_by(&server, client.list_pets()).await;
    assert_eq!(header(&request, "authorization").as_deref(), Some(format!("Bearer {TOKEN}").as_str()));
    assert_quiet_debug(&client);
}

#[tokio::test]
async fn an_operation_with_empty_security_sends_nothing() {
    let server = mock_server().await;
    let client = builder(&server).bearer_auth(TOKEN).header_key(HEADER_KEY).build().expect("builds");
    let request = sent_by(&server, client.get_public()).await;
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(header(&request, "x-api-key"), None);
}

#[tokio::test]
async fn basic_auth_is_base64_of_username_and_password() {
    let server = mock_server().await;
    let client = builder(&server).basic_auth("aladdin", "opensesame").build().expect("builds");
    let request = sent_by(&server, client.with_basic()).await;
    assert_eq!(header(&request, "authorization").as_deref(), Some("Basic YWxhZGRpbjpvcGVuc2VzYW1l"));

    // Padding: 7 bytes and 4 bytes.
    for (username, password, expected) in [("user", "pw", "Basic dXNlcjpwdw=="), ("ab", "c", "Basic YWI6Yw==")] {
        let server = server_204().await;
        let client = builder(&server).basic_auth(username, password).build().expect("builds");
        assert_eq!(header(&sent_by(&server, client.with_basic()).await, "authorization").as_deref(), Some(expected));
    }
    let client = Client::builder().base_url("http://127.0.0.1:9").basic_auth("user", PASSWORD).build().unwrap();
    assert_quiet_debug(&client);
}

async fn server_204() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

#[tokio::test]
async fn a_query_key_is_appended_after_the_parameters() {
    let server = mock_server().await;
    let client = builder(&server).query_key(QUERY_KEY).build().expect("builds");
    let params = fixture_security::types::WithQueryKeyParams::builder().limit(5).build().expect("valid");
    let request = sent_by(&server, client.with_query_key(&params)).await;
    assert_eq!(query_pairs(&request), pairs(&[("limit", "5"), ("api_key", QUERY_KEY)]));
}

#[tokio::test]
async fn a_transport_error_does_not_show_a_query_key() {
    let client = Client::builder()
        .base_url("http://127.0.0.1:1")
        .query_key(QUERY_KEY)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("builds");
    let params = fixture_security::types::WithQueryKeyParams::builder().build().expect("valid");
    let err = client.with_query_key(&params).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_quiet(&err);
    let mut source = std::error::Error::source(&err);
    while let Some(error) = source {
        assert_text_shows_none(&error.to_string(), SECRETS);
        source = error.source();
    }
}

#[tokio::test]
async fn a_combination_sends_the_header_and_the_cookie_together() {
    let server = mock_server().await;
    let client = builder(&server).header_key(HEADER_KEY).session_cookie(COOKIE).build().expect("builds");
    let request = sent_by(&server, client.with_combination()).await;
    assert_eq!(header(&request, "x-api-key").as_deref(), Some(HEADER_KEY));
    assert_eq!(header(&request, "cookie").as_deref(), Some(format!("session={COOKIE}").as_str()));
}

#[tokio::test]
async fn cookie_parameters_and_a_cookie_credential_share_one_header() {
    let server = mock_server().await;
    let client = builder(&server).session_cookie(COOKIE).build().expect("builds");
    let params = fixture_security::types::WithCookieParameterParams::builder().theme("dark").build().expect("valid");
    let request = sent_by(&server, client.with_cookie_parameter(&params)).await;
    assert_eq!(request.headers.get_all("cookie").iter().count(), 1, "one Cookie header");
    assert_eq!(header(&request, "cookie").as_deref(), Some(format!("theme=dark; session={COOKIE}").as_str()));
}

#[tokio::test]
async fn half_a_combination_is_a_clear_error_and_nothing_is_sent() {
    let server = mock_server().await;
    let client = builder(&server).header_key(HEADER_KEY).build().expect("builds without optional credentials");
    let err = client.with_combination().await.unwrap_err();
    let Error::MissingCredentials { operation, alternatives } = &err else {
        panic!("expected MissingCredentials: {err:?}")
    };
    assert_eq!(*operation, "withCombination");
    assert_eq!(alternatives, &vec![vec!["header_key", "session_cookie"]]);
    let text = err.to_string();
    assert!(text.contains("`withCombination`") && text.contains("`header_key` and `session_cookie`"), "{text}");
    assert_quiet(&err);
    assert!(received(&server).await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn the_first_alternative_whose_credentials_are_all_given_is_sent() {
    // OAuth2 first, when given.
    let server = mock_server().await;
    let client = builder(&server).oauth(TOKEN).header_key(HEADER_KEY).query_key(QUERY_KEY).build().unwrap();
    let request = sent_by(&server, client.with_alternatives()).await;
    assert_eq!(header(&request, "authorization").as_deref(), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(header(&request, "x-api-key"), None);
    assert_eq!(request.url.query(), None);

    // Without it, the header key with the query key.
    let server = mock_server().await;
    let client =
        builder(&server).header_key(HEADER_KEY).query_key(QUERY_KEY).basic_auth("u", PASSWORD).build().unwrap();
    let request = sent_by(&server, client.with_alternatives()).await;
    assert_eq!(header(&request, "x-api-key").as_deref(), Some(HEADER_KEY));
    assert_eq!(request.url.query(), Some(format!("api_key={QUERY_KEY}").as_str()));
    assert_eq!(header(&request, "authorization"), None);

    // An incomplete combination is skipped: basic auth.
    let server = mock_server().await;
    let client = builder(&server).header_key(HEADER_KEY).basic_auth("u", PASSWORD).build().unwrap();
    let request = sent_by(&server, client.with_alternatives()).await;
    assert!(header(&request, "authorization").unwrap().starts_with("Basic "));
    assert_eq!(header(&request, "x-api-key"), None);

    // None: the error lists every alternative.
    let client = builder(&server).header_key(HEADER_KEY).build().unwrap();
    let err = client.with_alternatives().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "`withAlternatives` needs credentials the client does not have, so nothing was sent: set `oauth`, or \
         `header_key` and `query_key`, or `basic_auth` on the client builder"
    );
}

#[tokio::test]
async fn optional_credentials_are_sent_when_given() {
    let server = mock_server().await;
    builder(&server).build().unwrap().optional_auth().await.expect("works without credentials");
    assert_eq!(header(&only_request(&server).await, "x-api-key"), None);

    let server = mock_server().await;
    assert_eq!(
        header(
            &sent_by(&server, builder(&server).header_key(HEADER_KEY).build().unwrap().optional_auth()).await,
            "x-api-key"
        )
        .as_deref(),
        Some(HEADER_KEY)
    );
}

#[tokio::test]
async fn a_token_source_is_asked_before_every_call_and_every_retry() {
    let server = MockServer::start().await;
    // The first attempt fails with 503, the retry and every later request succeed.
    let responses = Sequence::new([ResponseTemplate::new(503), ResponseTemplate::new(204)]);
    Mock::given(method("GET")).respond_with(responses).mount(&server).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let client = Client::builder()
        .environment(Environment::Relative)
        .host(server.uri())
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .oauth_source(move || {
            let call = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok::<_, TokenError>(Secret::new(format!("refreshed-token-{call}"))) }
        })
        .build()
        .expect("builds");
    client.with_alternatives().await.expect("the retry succeeds");
    client.with_alternatives().await.expect("the second call succeeds");
    let requests = received(&server).await;
    let tokens: Vec<String> = requests.iter().map(|r| header(r, "authorization").unwrap()).collect();
    assert_eq!(tokens, ["Bearer refreshed-token-1", "Bearer refreshed-token-2", "Bearer refreshed-token-3"]);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_quiet_debug(&client);
}

/// A token source written as a type, caching its token, as an OAuth2 client would.
struct CachedToken {
    fetches: AtomicUsize,
}

impl TokenSource for CachedToken {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            self.fetches.fetch_add(1, Ordering::SeqCst);
            Ok(Secret::new(TOKEN))
        })
    }
}

#[tokio::test]
async fn a_token_source_type_serves_open_id_connect() {
    let server = mock_server().await;
    let client = builder(&server).oidc_source(CachedToken { fetches: AtomicUsize::new(0) }).build().unwrap();
    client.with_open_id_connect().await.expect("the call succeeds");
    assert_eq!(
        header(&only_request(&server).await, "authorization").as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn a_failing_token_source_is_a_credential_error_and_nothing_is_sent() {
    let server = mock_server().await;
    let client = builder(&server)
        .bearer_auth_source(|| async { Err::<Secret, TokenError>("the identity provider is down".into()) })
        .build()
        .unwrap();
    let err = client.list_pets().await.unwrap_err();
    let Error::Credential { name, .. } = &err else { panic!("expected Credential: {err:?}") };
    assert_eq!(*name, "bearer_auth");
    assert!(err.to_string().contains("`bearer_auth`"), "{err}");
    assert!(received(&server).await.is_empty());

    // A token that cannot be a header value is refused, not sent.
    let client = builder(&server)
        .bearer_auth_source(|| async { Ok::<_, TokenError>(Secret::new("refreshed-token\nX-Injected: 1")) })
        .build()
        .unwrap();
    let err = client.list_pets().await.unwrap_err();
    assert!(matches!(err, Error::InvalidCredential { name: "bearer_auth" }), "{err:?}");
    assert_quiet(&err);
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn other_http_schemes_send_the_authorization_value_as_given() {
    let server = mock_server().await;
    let client = builder(&server).negotiate(NEGOTIATE).build().unwrap();
    assert_eq!(header(&sent_by(&server, client.with_negotiate()).await, "authorization").as_deref(), Some(NEGOTIATE));
    assert_quiet_debug(&client);
}

#[tokio::test]
async fn a_scheme_named_like_a_builder_method_gets_another_setter() {
    let server = mock_server().await;
    let client = builder(&server).timeout(Duration::from_secs(5)).timeout_2(HEADER_KEY).build().unwrap();
    assert_eq!(
        header(&sent_by(&server, client.with_timeout_key()).await, "x-timeout-key").as_deref(),
        Some(HEADER_KEY)
    );
}

#[test]
fn invalid_static_credentials_are_build_errors_without_the_value() {
    let base = || Client::builder().base_url("http://127.0.0.1:9");
    let err = base().header_key(format!("{HEADER_KEY}\r\nX-Injected: 1")).build().unwrap_err();
    assert!(matches!(err, BuildError::InvalidCredential { name: "header_key" }), "{err:?}");
    assert_quiet(&err);
    let err = base().session_cookie(format!("{COOKIE}; admin=1")).build().unwrap_err();
    assert!(matches!(err, BuildError::InvalidCredential { name: "session_cookie" }), "{err:?}");
    assert_quiet(&err);
    let err = base().bearer_auth(format!("{TOKEN}\n")).build().unwrap_err();
    assert!(matches!(err, BuildError::InvalidCredential { name: "bearer_auth" }), "{err:?}");
    assert_quiet(&err);
}

#[test]
fn builders_and_clients_do_not_show_credentials() {
    let builder = Client::builder()
        .base_url("http://127.0.0.1:9")
        .bearer_auth(TOKEN)
        .basic_auth("user", PASSWORD)
        .query_key(QUERY_KEY)
        .header_key(HEADER_KEY)
        .session_cookie(COOKIE)
        .oauth_source(|| async { Ok::<_, TokenError>(Secret::new(TOKEN)) })
        .negotiate(NEGOTIATE);
    assert_quiet_debug(&builder);
    assert_quiet_debug(&builder.build().unwrap());
}

#[test]
fn from_env_reads_every_kind_of_credential_and_the_host() {
    let _restore = RestoreEnv::save_and_clear(&[
        "FIXTURE_SECURITY_BEARER_AUTH",
        "FIXTURE_SECURITY_BASIC_AUTH_USERNAME",
        "FIXTURE_SECURITY_BASIC_AUTH_PASSWORD",
        "FIXTURE_SECURITY_QUERY_KEY",
        "FIXTURE_SECURITY_HOST",
    ]);
    std::env::set_var("FIXTURE_SECURITY_BEARER_AUTH", TOKEN);
    std::env::set_var("FIXTURE_SECURITY_BASIC_AUTH_USERNAME", "user");
    std::env::set_var("FIXTURE_SECURITY_BASIC_AUTH_PASSWORD", PASSWORD);
    std::env::set_var("FIXTURE_SECURITY_QUERY_KEY", QUERY_KEY);
    std::env::set_var("FIXTURE_SECURITY_HOST", "https://api.example.test/");
    let builder = Client::builder().from_env().expect("reads");
    assert_quiet_debug(&builder);
    let client = builder.build().expect("builds");
    assert_eq!(client.base_url(), "https://api.example.test/api/v1");

    // A username without its password is an error naming the missing variable.
    std::env::remove_var("FIXTURE_SECURITY_BASIC_AUTH_PASSWORD");
    let err = Client::builder().from_env().unwrap_err();
    assert!(matches!(err, BuildError::MissingEnv { var: "FIXTURE_SECURITY_BASIC_AUTH_PASSWORD" }), "{err:?}");
}
