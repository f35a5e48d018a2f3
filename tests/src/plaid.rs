//! The generated Plaid client (`plaid-client`, from `spec/openapi.yaml`) as the tests use it: its
//! one operation, `POST /cra/monitoring_insights/get`, against a local wiremock server.
//!
//! Every test client has the same credentials, [`CLIENT_ID`] and [`SECRET`]; the secret is
//! distinctive, so that [`assert_no_secret`] finds it wherever it leaks.

use std::fmt::{Debug, Display};
use std::time::Duration;

use plaid_client::types::{
    CraMonitoringInsightsGetRequest, CraMonitoringInsightsGetResponse, MonitoringConsumerReportPermissiblePurpose,
};
use plaid_client::{Client, ClientBuilder, Error, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond};

/// The path of the operation.
pub const OPERATION_PATH: &str = "/cra/monitoring_insights/get";
/// The `operationId` of the operation.
pub const OPERATION_ID: &str = "craMonitoringInsightsGet";
/// The client id of every test client (not a secret: it may show).
pub const CLIENT_ID: &str = "client-pipeline-tests";
/// The secret of every test client: it must never show.
pub const SECRET: &str = "sk-pipeline-tests-7f3a9c2e";
/// The `user_id` of [`request`].
pub const USER_ID: &str = "usr_pipeline_5d1e";
/// The `request_id` of the spec's 200 example.
pub const EXAMPLE_REQUEST_ID: &str = "Tz8qW3mKp5Lx2Rb";
/// The environment variables `Client::from_env` reads.
pub const ENV_VARS: &[&str] = &["PLAID_CLIENT_ID", "PLAID_SECRET", "PLAID_BASE_URL", "PLAID_ENV", "PLAID_VERSION"];

/// The `example` of the operation's 200 response in the spec, as JSON.
///
/// Fails if it is not an object with at least two items, which the tests rely on: a spec edit
/// that shrinks it shows here rather than as a puzzling failure elsewhere.
pub fn spec_example() -> Value {
    let path = crate::workspace_root().join("spec/openapi.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).expect("the spec is valid YAML");
    let example = &spec["paths"][OPERATION_PATH]["post"]["responses"]["200"]["content"]["application/json"]["example"];
    assert!(example.is_mapping(), "the 200 response has an example object, got {example:?}");
    let example = serde_json::to_value(example).expect("the example converts to JSON");
    assert!(example["items"].as_array().is_some_and(|items| items.len() >= 2), "the example has several items");
    example
}

/// A valid request: an account review for [`USER_ID`].
pub fn request() -> CraMonitoringInsightsGetRequest {
    CraMonitoringInsightsGetRequest::builder()
        .consumer_report_permissible_purpose(MonitoringConsumerReportPermissiblePurpose::AccountReviewCredit)
        .user_id(USER_ID)
        .build()
        .expect("the request is valid")
}

/// A request the client refuses before sending: its `consumer_report_permissible_purpose` is not
/// one the spec lists (assembled by hand, as the builder would refuse it too).
pub fn invalid_request() -> CraMonitoringInsightsGetRequest {
    CraMonitoringInsightsGetRequest {
        client_id: None,
        secret: None,
        user_id: Some(USER_ID.to_string()),
        consumer_report_permissible_purpose: MonitoringConsumerReportPermissiblePurpose::Unknown("NOPE".into()),
        user_token: None,
    }
}

/// Retries after waits of 10 to 50 ms (only a `429` keeps its longer backoff), at most
/// `max_retries` of them. `RetryPolicy::default()` allows two.
pub fn quick_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(max_retries)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(50))
}

/// A builder for a client of `base_url` with the test credentials, `retry_policy`, and timeouts
/// that keep a test bounded (5 s per attempt, 2 s to connect).
pub fn builder_for(base_url: impl Into<String>, retry_policy: RetryPolicy) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .client_id(CLIENT_ID)
        .secret(SECRET)
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(2))
        .retry_policy(retry_policy)
}

/// The client [`builder_for`] builds.
pub fn client_for(base_url: impl Into<String>, retry_policy: RetryPolicy) -> Client {
    builder_for(base_url, retry_policy).build().expect("the client builds")
}

/// An error body in the API's format, with the message `"{error_code} happened"`.
pub fn plaid_error(error_type: &str, error_code: &str, request_id: &str) -> Value {
    json!({
        "error_type": error_type,
        "error_code": error_code,
        "error_message": format!("{error_code} happened"),
        "display_message": null,
        "request_id": request_id
    })
}

/// Mounts `response` for every request to the operation.
pub async fn answer_with(server: &MockServer, response: impl Respond + 'static) {
    Mock::given(method("POST")).and(path(OPERATION_PATH)).respond_with(response).mount(server).await;
}

/// One call of the operation (with [`request`]) to a server of its own.
pub struct Exchange {
    /// The server, which answered every request with the same response.
    pub server: MockServer,
    /// The client that made the call.
    pub client: Client,
    /// What the call returned.
    pub result: Result<CraMonitoringInsightsGetResponse, Error>,
}

/// Starts a server that answers every request to the operation with `response`, and calls it once
/// with a client of `retry_policy` (see [`client_for`]).
pub async fn exchange(response: impl Respond + 'static, retry_policy: RetryPolicy) -> Exchange {
    let server = MockServer::start().await;
    answer_with(&server, response).await;
    let client = client_for(server.uri(), retry_policy);
    let result = client.cra_monitoring_insights_get(&request()).await;
    Exchange { server, client, result }
}

/// Asserts that neither the `Display` nor either `Debug` form of `value` contains the secret.
#[track_caller]
pub fn assert_no_secret(value: &(impl Display + Debug)) {
    crate::assert_shows_none(value, &[SECRET]);
}

/// Asserts that both `Debug` forms of `client` show a `Client`, without the secret.
#[track_caller]
pub fn assert_client_has_no_secret(client: &Client) {
    assert!(format!("{client:?}").contains("Client"), "{client:?}");
    crate::assert_debug_shows_none(client, &[SECRET]);
}
