//! Stand-in for the `client` module a generated crate writes from its spec: a client with two
//! operations (one JSON, one bytes) and one API-key credential, enough to drive the runtime in
//! tests.

use std::sync::Arc;

use crate::error::{BuildError, Error};
use crate::response::{self, ApiResponse, BodyRequestId};
use crate::settings::{header_value, Settings};
use crate::transport::{Authenticate, OperationInfo, Transport};

/// A client for the stand-in API.
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) transport: Transport,
    credentials: Arc<Credentials>,
}

/// Configures a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    api_key: Option<crate::secret::Secret>,
    pub(crate) settings: Settings,
}

impl ClientBuilder {
    /// Sends requests to this base URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The API key, sent as the `X-Api-Key` header.
    pub fn api_key(mut self, key: impl Into<crate::secret::Secret>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Creates the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = self.base_url.ok_or(BuildError::MissingBaseUrl)?;
        let api_key = match &self.api_key {
            Some(key) => Some(header_value("api_key", key.expose(), true)?),
            None => None,
        };
        Ok(Client {
            transport: self.settings.into_transport(base_url)?,
            credentials: Arc::new(Credentials { api_key }),
        })
    }
}

#[derive(Debug, Clone)]
struct Credentials {
    api_key: Option<reqwest::header::HeaderValue>,
}

impl Authenticate for Credentials {
    const SETTERS: &'static [&'static str] = &["api_key"];

    fn is_set(&self, credential: usize) -> bool {
        credential == 0 && self.api_key.is_some()
    }

    async fn apply(&self, credentials: &[usize], request: &mut reqwest::Request) -> Result<(), Error> {
        if let (true, Some(value)) = (credentials.contains(&0), &self.api_key) {
            request.headers_mut().insert("x-api-key", value.clone());
        }
        Ok(())
    }
}

/// The stand-in operation: `POST /report/get`, idempotent, with the API key.
pub(crate) const REPORT_GET: OperationInfo = OperationInfo {
    id: "reportGet",
    method: "POST",
    path: "/report/get",
    idempotent: true,
    decode_error: crate::api_error::decode_error_body,
    security: &[&[0]],
    request_id_property: Some("request_id"),
};

/// The second stand-in operation: `GET /report/pdf`, whose body is bytes.
pub(crate) const REPORT_PDF: OperationInfo = OperationInfo {
    id: "reportPdf",
    method: "GET",
    path: "/report/pdf",
    idempotent: true,
    decode_error: crate::api_error::decode_error_body,
    security: &[&[0]],
    request_id_property: None,
};

/// A report, the stand-in operation's response.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    /// The request id.
    pub request_id: String,
    /// An amount.
    pub amount: f64,
    /// The owner's name.
    pub owner: String,
}

impl BodyRequestId for Report {
    fn body_request_id(&self) -> Option<&str> {
        Some(&self.request_id)
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL every operation path is appended to.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// Fetches the report.
    pub async fn report_get(&self, body: &serde_json::Value) -> Result<Report, Error> {
        self.report_get_with_response(body).await.map(ApiResponse::into_value)
    }

    /// Fetches the report, with the response's status, headers, request id and body.
    pub async fn report_get_with_response(&self, body: &serde_json::Value) -> Result<ApiResponse<Report>, Error> {
        let request = self.transport.request(reqwest::Method::POST, REPORT_GET.path).json(body);
        self.transport.send(&*self.credentials, &REPORT_GET, request, response::decode).await
    }

    /// Fetches the report as a PDF.
    pub async fn report_pdf(&self) -> Result<Vec<u8>, Error> {
        self.report_pdf_with_response().await.map(ApiResponse::into_body)
    }

    /// Fetches the report as a PDF, with the response's status, headers and request id.
    pub async fn report_pdf_with_response(&self) -> Result<ApiResponse<()>, Error> {
        let request = self.transport.request(reqwest::Method::GET, REPORT_PDF.path);
        self.transport.send(&*self.credentials, &REPORT_PDF, request, response::no_value).await
    }
}
