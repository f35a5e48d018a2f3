//! Stand-in for the `mock` module a generated crate writes from its spec: the mock server's
//! table for the stand-in operation (`POST /report/get` with the API key), the credential's
//! made-up value, and the methods a crate adds to `MockServer`.

use std::any::Any;

use crate::client::Report;
use crate::mock_server::{
    self as server, Expected, Incoming, MockCredential, MockOperation, MockOperationHandle, MockServer, MockValue,
    PathPiece, Received, Travels,
};

/// The stand-in operation's request: no parameters, any JSON body.
pub(crate) type ReportGetRequest = Received<(), Option<serde_json::Value>>;

fn check_report_get(request: &Incoming<'_>) -> Result<Box<dyn Any + Send>, String> {
    let body: Option<serde_json::Value> = request.json_body()?;
    Ok(Box::new(Received::new((), body)))
}

/// The operations the mock server answers.
pub(crate) static MOCK_OPERATIONS: &[MockOperation] = &[MockOperation {
    id: "reportGet",
    method: "POST",
    path: "/report/get",
    template: &[PathPiece::Text("/report/get")],
    security: &[&[0]],
    check: check_report_get,
    status: 200,
    content_type: "application/json",
    example: Some(r#"{"request_id":"example"}"#),
    stream: None,
}];

/// Where each credential travels, and the value the mock's client sends.
pub(crate) static MOCK_CREDENTIALS: &[MockCredential] = &[MockCredential {
    travels: Travels::Header("x-api-key"),
    value: MockValue::Text("mock-api-key"),
    expect: "expect_api_key",
}];

impl MockServer {
    /// A client builder pointed at this server, sending the credential values it expects and
    /// never retrying.
    pub fn client_builder(&self) -> crate::ClientBuilder {
        let mut builder = crate::Client::builder().base_url(self.uri()).retry_policy(crate::retry::RetryPolicy::none());
        if let Some(value) = self.client_credential(0) {
            builder = builder.api_key(value);
        }
        builder
    }

    /// A client for this server (see [`MockServer::client_builder`]).
    pub fn client(&self) -> crate::Client {
        match self.client_builder().build() {
            Ok(client) => client,
            Err(error) => panic!("the mock server's client cannot be built: {error}"),
        }
    }

    /// Expects this API key instead of the made-up one.
    pub fn expect_api_key(&self, value: impl Into<crate::secret::Secret>) -> &Self {
        self.expect_credential(0, Expected::text(value))
    }

    /// The stand-in operation.
    pub fn report_get(&self) -> MockOperationHandle<'_, ReportGetRequest, Report> {
        self.operation("reportGet", server::json_body)
    }
}
