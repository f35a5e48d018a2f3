//! The settings every `ClientBuilder` has whatever the API: timeouts, the deadline, retries,
//! the cap on concurrent calls, which base URLs are accepted, the user agent, the response size
//! limit, the response hook and the HTTP client; and the per-call copies of a `Client` with
//! another timeout, retry policy or deadline. Where requests go and which credentials they carry
//! depend on the spec, and are set in `client.rs`.

use std::sync::Arc;
use std::time::Duration;

use crate::client::{Client, ClientBuilder};
use crate::error::BuildError;
use crate::retry::RetryPolicy;
use crate::trace::ServerAddress;
use crate::transport::{ResponseHook, ResponseInfo, Shared, Transport};

/// The builder's settings that do not depend on the spec.
#[derive(Debug, Default)]
pub(crate) struct Settings {
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: Option<RetryPolicy>,
    max_concurrent_calls: Option<usize>,
    user_agent: Option<String>,
    max_response_size: Option<usize>,
    on_response: Option<ResponseHook>,
    allow_insecure_http: bool,
    /// Whether `from_env` may take the base URL from its variable
    /// (`ClientBuilder::allow_base_url_from_env`).
    pub(crate) base_url_from_env: bool,
    /// Whether the client prepares requests without sending them (the command line's
    /// `--dry-run`).
    #[cfg(feature = "cli")]
    pub(crate) dry_run: bool,
}

impl Settings {
    /// Checks the settings and the base URL, and creates the HTTP client.
    pub(crate) fn into_transport(self, base_url: String) -> Result<Transport, BuildError> {
        let base_url = base_url.trim_end_matches('/').to_string();
        let url = match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => url,
            _ => return Err(BuildError::InvalidBaseUrl { url: base_url }),
        };
        if url.scheme() == "http" && !self.allow_insecure_http && !is_loopback(&url) {
            return Err(BuildError::InsecureBaseUrl { url: base_url });
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
        let limit = self
            .max_concurrent_calls
            .map(|calls| tokio::sync::Semaphore::new(calls.clamp(1, tokio::sync::Semaphore::MAX_PERMITS)));
        let shared = Shared {
            http,
            server: ServerAddress::of(&url),
            base_url,
            user_agent,
            max_response_size: self.max_response_size.unwrap_or(ClientBuilder::DEFAULT_MAX_RESPONSE_SIZE),
            on_response: self.on_response,
            limit,
            #[cfg(feature = "cli")]
            dry_run: self.dry_run,
        };
        Ok(Transport {
            shared: Arc::new(shared),
            timeout: self.timeout.unwrap_or(ClientBuilder::DEFAULT_TIMEOUT),
            retry: self.retry.unwrap_or_default(),
            deadline: self.deadline,
        })
    }
}

/// Whether a URL's host is this machine: `localhost`, `127.0.0.0/8` or `::1`.
fn is_loopback(url: &reqwest::Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    let address = host.trim_start_matches('[').trim_end_matches(']');
    match address.parse::<std::net::IpAddr>() {
        Ok(address) => address.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
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
    /// A retried call can take longer in total; see [`RetryPolicy`] and
    /// [`ClientBuilder::deadline`]. [`Client::with_timeout`] changes it for some calls.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = Some(timeout);
        self
    }

    /// Limits each call as a whole: every attempt, the waits between them and the wait for a
    /// free slot ([`ClientBuilder::max_concurrent_calls`]). Past it the call ends with
    /// [`Error::DeadlineExceeded`](crate::Error::DeadlineExceeded); a retry whose wait would
    /// end past it is not started. No deadline by default: a call is then bounded by the
    /// timeout of each attempt, the number of retries and the longest wait.
    /// [`Client::with_deadline`] sets one for some calls.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.settings.deadline = Some(deadline);
        self
    }

    /// Limits opening a connection (default 10 s). Ignored when the caller brings their own
    /// `reqwest::Client`, which has its own setting.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = Some(timeout);
        self
    }

    /// Sets when and how failed requests are retried (default: [`RetryPolicy::default`]).
    /// [`Client::with_retry_policy`] changes it for some calls.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = Some(policy);
        self
    }

    /// Lets at most `calls` calls of this client (and its clones) run at once; more wait for a
    /// free slot, in turn, within their deadline. A call holds its slot from its first attempt
    /// to its end, retries and waits included. No cap by default; `0` counts as `1`.
    pub fn max_concurrent_calls(mut self, calls: usize) -> Self {
        self.settings.max_concurrent_calls = Some(calls);
        self
    }

    /// Accepts a plain `http://` base URL to a host other than this machine. Without it,
    /// `build()` refuses one with [`BuildError::InsecureBaseUrl`], since credentials and data
    /// would cross the network unencrypted; `http://` to `localhost`, `127.0.0.0/8` or `::1`
    /// (a local mock server, say) is always accepted.
    pub fn allow_insecure_http(mut self) -> Self {
        self.settings.allow_insecure_http = true;
        self
    }

    /// Lets `ClientBuilder::from_env` take the base URL from its `…_BASE_URL` variable, which
    /// it otherwise ignores, so that a stray variable cannot send requests (and credentials)
    /// elsewhere. Call it before `from_env`. Meant for tests and tools pointed at a mock server
    /// or a proxy; the base URL is still checked as [`ClientBuilder::allow_insecure_http`] says.
    pub fn allow_base_url_from_env(mut self) -> Self {
        self.settings.base_url_from_env = true;
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

/// Per-call controls: a copy of the client with another timeout, retry policy or deadline, for
/// the calls made through it, e.g. `client.with_deadline(Duration::from_secs(5)).operation(…)`.
/// A copy is cheap (it shares the connection pool, the credentials and the cap on concurrent
/// calls) and leaves the original as it was.
impl Client {
    /// A copy of this client whose attempts are limited to `timeout` each (see
    /// [`ClientBuilder::timeout`]).
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        let mut client = self.clone();
        client.transport.timeout = timeout;
        client
    }

    /// A copy of this client that retries as `policy` says (see
    /// [`ClientBuilder::retry_policy`]), e.g. [`RetryPolicy::none`] for a call that must not
    /// be repeated.
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Client {
        let mut client = self.clone();
        client.transport.retry = policy;
        client
    }

    /// A copy of this client whose calls end within `deadline` each, attempts and waits
    /// included (see [`ClientBuilder::deadline`]).
    pub fn with_deadline(&self, deadline: Duration) -> Client {
        let mut client = self.clone();
        client.transport.deadline = Some(deadline);
        client
    }

    /// The limit of each attempt.
    pub fn timeout(&self) -> Duration {
        self.transport.timeout
    }

    /// How calls are retried.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.transport.retry
    }

    /// The limit of each whole call, if one was set: code that wraps a client can keep its
    /// caller's deadline and add its own only when there is none.
    pub fn deadline(&self) -> Option<Duration> {
        self.transport.deadline
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
pub fn read_env(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|value| !value.trim().is_empty())
}
