//! Stand-in for the `mock` module a generated crate writes from its spec: the mock server's
//! table for the stand-in operation (`POST /report/get` with the API key).

use std::any::Any;

use crate::mock_server::{Incoming, MockCredential, MockOperation, Received};

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
    security: &[&[0]],
    check: check_report_get,
    status: 200,
    content_type: "application/json",
    example: Some(r#"{"request_id":"example"}"#),
}];

/// Where each credential travels.
pub(crate) static MOCK_CREDENTIALS: &[MockCredential] = &[MockCredential::Header("x-api-key")];
