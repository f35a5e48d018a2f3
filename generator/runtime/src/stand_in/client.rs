//! Stand-in for the `client` module a generated crate writes from its spec: a client with one
//! operation and one API-key credential, enough to drive the runtime in tests.

use crate::error::{BuildError, Error};
use crate::settings::{header_value, Settings};
use crate::transport::{self, Authenticate, OperationInfo, Transport};

/// A client for the stand-in API.
#[derive(Debug, Clone)]
pub struct Client {
    transport: Transport,
    credentials: Credentials,
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
        Ok(Client { transport: self.settings.into_transport(base_url)?, credentials: Credentials { api_key } })
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

impl transport::BodyRequestId for Report {
    fn body_request_id(&self) -> Option<&str> {
        Some(&self.request_id)
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Fetches the report.
    pub async fn report_get(&self, body: &serde_json::Value) -> Result<Report, Error> {
        let request = self.transport.request(reqwest::Method::POST, REPORT_GET.path).json(body);
        self.transport.send(&self.credentials, &REPORT_GET, request, transport::decode).await
    }
}
