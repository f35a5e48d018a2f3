//! Stand-in for the `api_error` module a generated crate writes from its spec: the type of
//! `Error::Api`'s body, how errors show it, and its request id. This one has the shape of a
//! typical error object: a code, a message, a request id and anything else the server adds.

use std::fmt;

use crate::error::ErrorFields;
use crate::response::BodyRequestId;

/// The error body the API sends.
pub type ApiErrorBody = ErrorObject;

/// A typical error object.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ErrorObject {
    /// A stable code for the kind of error.
    pub code: String,
    /// A message for developers.
    pub message: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
    /// Details the server adds, which may quote the request.
    pub details: Option<serde_json::Value>,
    /// Properties the spec does not declare.
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

impl ErrorFields for ErrorObject {
    fn fmt_fields(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " code={}", self.code)?;
        if let Some(message) = &self.message {
            write!(f, " message={message}")?;
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " request_id={request_id}")?;
        }
        Ok(())
    }
}

impl BodyRequestId for ErrorObject {
    fn body_request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// Decodes an error body when the API has one error format for everything.
pub(crate) fn decode_error_body(_status: reqwest::StatusCode, body: &[u8]) -> Option<ApiErrorBody> {
    serde_json::from_slice(body).ok()
}
