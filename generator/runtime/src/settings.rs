//! The settings every `ClientBuilder` has whatever the API: timeouts, retries, the user agent,
//! the response size limit, the response hook and the HTTP client. Where requests go and which
//! credentials they carry depend on the spec, and are set in `client.rs`.

use std::time::Duration;

use crate::client::ClientBuilder;
use crate::error::BuildError;
use crate::retry::RetryPolicy;
use crate::transport::{ResponseHook, ResponseInfo, Transport};

/// The builder's settings that do not depend on the spec.
#[derive(Debug, Default)]
pub(crate) struct Settings {
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    user_agent: Option<String>,
    max_response_size: Option<usize>,
    on_response: Option<ResponseHook>,
    /// Whether the client prepares requests without sending them (the command line's
    /// `--dry-run`).
    #[cfg(feature = "cli")]
    pub(crate) dry_run: bool,
}

impl Settings {
    /// Checks the settings and the base URL, and creates the HTTP client.
    pub(crate) fn into_transport(self, base_url: String) -> Result<Transport, BuildError> {
        let base_url = base_url.trim_end_matches('/').to_string();
        match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {}
            _ => return Err(BuildError::InvalidBaseUrl { url: base_url }),
        }
        let user_agent =
            self.user_agent.as_deref().unwrap_or(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")));
        let user_agent = reqwest::header::HeaderValue::from_str(user_agent)
            .map_err(|_| BuildError::InvalidCredential { name: "user_agent" })?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(ClientBuilder::DEFAULT_CONNECT_TIMEOUT))
                .build()
                .map_err(BuildError::Http)?,
        };
        Ok(Transport {
            http,
            base_url,
            user_agent,
            timeout: self.timeout.unwrap_or(ClientBuilder::DEFAULT_TIMEOUT),
            retry: self.retry.unwrap_or_default(),
            max_response_size: self.max_response_size.unwrap_or(ClientBuilder::DEFAULT_MAX_RESPONSE_SIZE),
            on_response: self.on_response,
            #[cfg(feature = "cli")]
            dry_run: self.dry_run,
        })
    }
}

impl ClientBuilder {
    /// The default limit for one attempt, from connecting to the end of the body.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
    /// The default limit for opening a connection.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// The default limit on the size of a response body: 64 MiB.
    pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 64 * 1024 * 1024;

    /// Limits each attempt, from connecting until the whole body has arrived (default 30 s).
    /// A retried call can take longer in total; see [`RetryPolicy`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = Some(timeout);
        self
    }

    /// Limits opening a connection (default 10 s). Ignored when the caller brings their own
    /// `reqwest::Client`, which has its own setting.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = Some(timeout);
        self
    }

    /// Sets when and how failed requests are retried (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = Some(policy);
        self
    }

    /// Sets the `User-Agent` header (default: this crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.settings.user_agent = Some(user_agent.into());
        self
    }

    /// Limits the size of a response body (default 64 MiB); a larger one is an
    /// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge) and is not read into memory.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.settings.max_response_size = Some(bytes);
        self
    }

    /// Calls `hook` when each call ends, successful or not, with its operation, status, request
    /// id, attempts and latency: a place for metrics, or for logging request ids of successful
    /// calls.
    pub fn on_response(mut self, hook: impl Fn(&ResponseInfo<'_>) + Send + Sync + 'static) -> Self {
        self.settings.on_response = Some(ResponseHook::new(hook));
        self
    }

    /// Uses a `reqwest::Client` configured by the caller (proxies, TLS, pools, …). This
    /// crate re-exports the `reqwest` it is built with as `crate::reqwest`.
    pub fn with_reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.settings.http = Some(client);
        self
    }
}

/// A credential as a header value, marked sensitive unless the spec says otherwise.
#[allow(dead_code, reason = "used by APIs with header credentials")]
pub(crate) fn header_value(
    name: &'static str,
    value: &str,
    sensitive: bool,
) -> Result<reqwest::header::HeaderValue, BuildError> {
    let mut value =
        reqwest::header::HeaderValue::from_str(value).map_err(|_| BuildError::InvalidCredential { name })?;
    value.set_sensitive(sensitive);
    Ok(value)
}

/// A credential as a cookie value: printable ASCII without `;`, `,`, `"`, `\` or spaces.
#[allow(dead_code, reason = "used by APIs with cookie credentials")]
pub(crate) fn cookie_value(name: &'static str, value: &str) -> Result<crate::secret::Secret, BuildError> {
    if value.bytes().all(|byte| byte.is_ascii_graphic() && !b";,\"\\".contains(&byte)) {
        Ok(crate::secret::Secret::new(value))
    } else {
        Err(BuildError::InvalidCredential { name })
    }
}

/// A non-empty environment variable, as `from_env` reads them.
pub(crate) fn read_env(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|value| !value.trim().is_empty())
}
