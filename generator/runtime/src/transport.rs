//! Sending requests and reading responses: credentials per attempt, retries, the size limit,
//! request ids, error bodies, decoding, the caller's response hook and tracing.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::api_error::ApiErrorBody;
use crate::error::{Error, Mismatch, SensitiveBody};
use crate::retry::RetryPolicy;

/// What the client needs to know about an operation to send it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OperationInfo {
    /// The spec's `operationId`.
    pub id: &'static str,
    pub method: &'static str,
    /// The path template, e.g. `/items/{id}`.
    pub path: &'static str,
    /// Whether the request may safely reach the server twice.
    pub idempotent: bool,
    /// Decodes an error body by the statuses the operation declares it for.
    pub decode_error: fn(reqwest::StatusCode, &[u8]) -> Option<ApiErrorBody>,
    /// The credentials the operation accepts: alternatives, each a combination of credential
    /// numbers (see [`Authenticate::is_set`]). Empty when it needs none.
    pub security: &'static [&'static [usize]],
}

/// The credentials a client holds, one number per security scheme of the spec.
pub(crate) trait Authenticate {
    /// The builder setter of each credential, by number.
    const SETTERS: &'static [&'static str];

    /// Whether credential number `credential` was given.
    fn is_set(&self, credential: usize) -> bool;

    /// Adds the credentials numbered `credentials` to an attempt. Called before every
    /// attempt, so that a token source can hand out a fresh token each time.
    fn apply(
        &self,
        credentials: &[usize],
        request: &mut reqwest::Request,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// The credentials to send with `operation`: the first of its alternatives whose
    /// credentials were all given, preferring one that sends credentials to an empty one
    /// (optional authentication).
    fn choose(&self, operation: &OperationInfo) -> Result<&'static [usize], Error> {
        if operation.security.is_empty() {
            return Ok(&[]);
        }
        let given = |alternative: &&[usize]| alternative.iter().all(|credential| self.is_set(*credential));
        operation
            .security
            .iter()
            .find(|alternative| !alternative.is_empty() && given(alternative))
            .or_else(|| operation.security.iter().find(|alternative| alternative.is_empty()))
            .copied()
            .ok_or_else(|| Error::MissingCredentials {
                operation: operation.id,
                alternatives: operation
                    .security
                    .iter()
                    .map(|alternative| alternative.iter().map(|credential| Self::SETTERS[*credential]).collect())
                    .collect(),
            })
    }
}

/// A request id a decoded body carries, such as a top-level `request_id` property. Read from
/// the value already decoded, so a body is never parsed twice.
pub(crate) trait BodyRequestId {
    /// The request id in the body, if the type has one.
    fn body_request_id(&self) -> Option<&str> {
        None
    }
}

impl BodyRequestId for () {}
impl BodyRequestId for bool {}
impl BodyRequestId for i32 {}
impl BodyRequestId for i64 {}
impl BodyRequestId for f32 {}
impl BodyRequestId for f64 {}
impl BodyRequestId for String {}
impl BodyRequestId for serde_json::Value {}
impl<T> BodyRequestId for Vec<T> {}
impl<K, V> BodyRequestId for std::collections::HashMap<K, V> {}
impl<K, V> BodyRequestId for std::collections::BTreeMap<K, V> {}

impl<T: BodyRequestId> BodyRequestId for Option<T> {
    fn body_request_id(&self) -> Option<&str> {
        self.as_ref().and_then(T::body_request_id)
    }
}

impl<T: BodyRequestId + ?Sized> BodyRequestId for Box<T> {
    fn body_request_id(&self) -> Option<&str> {
        T::body_request_id(self)
    }
}

/// How a call ended, as the hook set with `ClientBuilder::on_response` sees it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ResponseInfo<'a> {
    /// The spec's `operationId`.
    pub operation_id: &'static str,
    /// The HTTP status of the last response, if one arrived.
    pub status: Option<reqwest::StatusCode>,
    /// The request id of the last response, from its headers or body.
    pub request_id: Option<&'a str>,
    /// How many attempts the call took.
    pub attempts: u32,
    /// From the first attempt to the end of the last.
    pub latency: Duration,
    /// Whether the call returned a value rather than an error.
    pub succeeded: bool,
}

/// A caller's callback for finished calls.
#[derive(Clone)]
pub(crate) struct ResponseHook(std::sync::Arc<dyn Fn(&ResponseInfo<'_>) + Send + Sync>);

impl ResponseHook {
    pub(crate) fn new(hook: impl Fn(&ResponseInfo<'_>) + Send + Sync + 'static) -> Self {
        ResponseHook(std::sync::Arc::new(hook))
    }
}

impl std::fmt::Debug for ResponseHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResponseHook")
    }
}

/// A successful response, read in full.
#[derive(Debug)]
pub(crate) struct Success {
    pub status: reqwest::StatusCode,
    pub body: Vec<u8>,
    /// The request id from the response's headers.
    pub request_id: Option<String>,
}

/// Where requests go and how patiently: what every call of a client shares.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    pub http: reqwest::Client,
    pub base_url: String,
    pub user_agent: reqwest::header::HeaderValue,
    pub timeout: Duration,
    pub retry: RetryPolicy,
    pub max_response_size: usize,
    pub on_response: Option<ResponseHook>,
    /// Prepare requests and hand them back as [`Error::DryRun`] instead of sending them (the
    /// command line's `--dry-run`).
    #[cfg(feature = "cli")]
    pub dry_run: bool,
}

impl Transport {
    /// Starts a request to `path`; credentials are added to each attempt by [`Transport::send`].
    pub(crate) fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base_url))
            .header(reqwest::header::USER_AGENT, self.user_agent.clone())
            .timeout(self.timeout)
    }

    /// Sends a request with the credentials its operation accepts, retrying within the
    /// policy, and decodes the successful response with `decode`. The one place requests go
    /// out.
    pub(crate) async fn send<T: BodyRequestId>(
        &self,
        credentials: &impl Authenticate,
        operation: &OperationInfo,
        request: reqwest::RequestBuilder,
        decode: impl FnOnce(Success) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let chosen = credentials.choose(operation)?;
        let request = request.build().map_err(Error::transport)?;
        #[cfg(feature = "cli")]
        if self.dry_run {
            let mut request = request;
            credentials.apply(chosen, &mut request).await?;
            return Err(Error::DryRun(Box::new(crate::error::DryRunRequest(request))));
        }
        let trace = CallTrace::start(operation);
        let started = Instant::now();
        let mut attempt = 1;
        let result = loop {
            // A request whose body is a stream cannot be cloned, and so is sent once.
            let Some(this_attempt) = request.try_clone() else {
                break self.attempt(credentials, chosen, operation, request).await;
            };
            let error = match self.attempt(credentials, chosen, operation, this_attempt).await {
                Ok(success) => break Ok(success),
                Err(error) => error,
            };
            match self.retry.delay(attempt, &error, operation.idempotent) {
                Some(delay) => {
                    trace.retrying(attempt, &error, delay);
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                None => break Err(error),
            }
        };
        let end = Ending { operation, attempts: attempt, started, trace: &trace };
        let result = result.and_then(|success| {
            let status = success.status;
            let header_request_id = success.request_id.clone();
            decode(success).map(|value| (status, header_request_id, value))
        });
        match result {
            Ok((status, header_request_id, value)) => {
                let request_id = header_request_id.as_deref().or_else(|| value.body_request_id());
                self.report(&end, Some(status), request_id, None);
                Ok(value)
            }
            Err(error) => {
                self.report(&end, error.status(), error.request_id(), Some(&error));
                Err(error)
            }
        }
    }

    /// One attempt: adds the credentials (asking token sources afresh), sends, reads.
    async fn attempt(
        &self,
        credentials: &impl Authenticate,
        chosen: &[usize],
        operation: &OperationInfo,
        mut request: reqwest::Request,
    ) -> Result<Success, Error> {
        credentials.apply(chosen, &mut request).await?;
        let response = self.http.execute(request).await.map_err(Error::transport)?;
        read_response(response, self.max_response_size, operation).await
    }

    /// Records how a call ended in its trace and tells the caller's hook, if any.
    fn report(
        &self,
        end: &Ending<'_>,
        status: Option<reqwest::StatusCode>,
        request_id: Option<&str>,
        error: Option<&Error>,
    ) {
        let latency = end.started.elapsed();
        end.trace.finish(end.attempts, latency, status, request_id, error);
        if let Some(hook) = &self.on_response {
            (hook.0)(&ResponseInfo {
                operation_id: end.operation.id,
                status,
                request_id,
                attempts: end.attempts,
                latency,
                succeeded: error.is_none(),
            });
        }
    }
}

/// What [`Transport::report`] needs to know about a finished call.
struct Ending<'a> {
    operation: &'a OperationInfo,
    attempts: u32,
    started: Instant,
    trace: &'a CallTrace,
}

/// Reads a response within `limit` bytes and sorts it into success or error. An error body is
/// decoded once, and its request id (when the headers carry none) read from the decoded value.
pub(crate) async fn read_response(
    mut response: reqwest::Response,
    limit: usize,
    operation: &OperationInfo,
) -> Result<Success, Error> {
    let status = response.status();
    let header_request_id = header_request_id(response.headers());
    let retry_after = crate::retry::retry_after(response.headers());
    let length = response.content_length();
    if length.is_some_and(|length| length > limit as u64) {
        return Err(Error::ResponseTooLarge { status, limit });
    }
    // Sized once when the length is announced (and within the limit, checked above).
    let mut body = Vec::with_capacity(length.map_or(0, |length| length as usize));
    while let Some(chunk) = response.chunk().await.map_err(Error::transport)? {
        if body.len() + chunk.len() > limit {
            return Err(Error::ResponseTooLarge { status, limit });
        }
        body.extend_from_slice(&chunk);
    }
    if status.is_success() {
        return Ok(Success { status, body, request_id: header_request_id });
    }
    Err(match (operation.decode_error)(status, &body) {
        Some(error) => {
            let request_id = header_request_id.or_else(|| error.body_request_id().map(str::to_string));
            Error::Api { status, error: Box::new(error), request_id, retry_after }
        }
        None => Error::UnexpectedStatus {
            status,
            request_id: header_request_id,
            retry_after,
            body: SensitiveBody::new(&body),
        },
    })
}

/// Decodes a successful JSON body, naming the path and kind of the first mismatch (never the
/// value).
///
/// The body is decoded directly, at serde's full speed; only when that fails is it decoded
/// again through `serde_path_to_error` to find the path (tracking the path on every decode cost
/// a third of a small call's time).
pub(crate) fn decode<T: serde::de::DeserializeOwned>(success: Success) -> Result<T, Error> {
    let Success { status, body, request_id } = success;
    let first = match serde_json::from_slice::<T>(&body) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let fail = |path: String, error: serde_json::Error| Error::Decode {
        status,
        path,
        mismatch: Mismatch::of(&error),
        request_id: request_id.clone(),
        body: SensitiveBody::new(&body).with_decoder_message(error.to_string()),
    };
    let mut deserializer = serde_json::Deserializer::from_slice(&body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => Err(fail(error.path().to_string(), error.into_inner())),
        Ok(_) => match deserializer.end() {
            Err(error) => Err(fail(String::new(), error)),
            Ok(()) => Err(fail(String::new(), first)),
        },
    }
}

/// A request id from the usual response headers.
fn header_request_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
    ["x-request-id", "request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
}

/// The tracing span of one call, across its attempts. It records the operation, method, path
/// template, final status, attempts, request id and latency; never a body, a header value or a
/// credential.
#[cfg(feature = "tracing")]
pub(crate) struct CallTrace {
    span: tracing::Span,
}

#[cfg(feature = "tracing")]
impl CallTrace {
    pub fn start(operation: &OperationInfo) -> Self {
        let span = tracing::info_span!(
            "api_call",
            operation = operation.id,
            http.method = operation.method,
            http.path = operation.path,
            http.status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            request_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        CallTrace { span }
    }

    pub fn retrying(&self, attempt: u32, error: &Error, delay: Duration) {
        let failure = failure(error);
        tracing::warn!(parent: &self.span, attempt, %failure, delay_ms = delay.as_millis() as u64, "retrying");
    }

    pub fn finish(
        &self,
        attempts: u32,
        latency: Duration,
        status: Option<reqwest::StatusCode>,
        request_id: Option<&str>,
        error: Option<&Error>,
    ) {
        let latency_ms = latency.as_millis() as u64;
        self.span.record("attempts", attempts);
        self.span.record("latency_ms", latency_ms);
        if let Some(status) = status {
            self.span.record("http.status", status.as_u16());
        }
        if let Some(request_id) = request_id {
            self.span.record("request_id", request_id);
        }
        match error {
            None => tracing::info!(parent: &self.span, attempts, latency_ms, "call succeeded"),
            Some(error) => {
                let failure = failure(error);
                tracing::warn!(parent: &self.span, attempts, latency_ms, %failure, "call failed");
            }
        }
    }
}

/// A failure as traces name it: its kind and, for responses, the status. Never a value.
#[cfg(feature = "tracing")]
fn failure(error: &Error) -> String {
    match error.status() {
        Some(status) => format!("{} {}", error.kind(), status.as_u16()),
        None => error.kind().to_string(),
    }
}

/// Without the `tracing` feature, calls are not traced.
#[cfg(not(feature = "tracing"))]
pub(crate) struct CallTrace;

#[cfg(not(feature = "tracing"))]
impl CallTrace {
    pub fn start(_operation: &OperationInfo) -> Self {
        CallTrace
    }

    pub fn retrying(&self, _attempt: u32, _error: &Error, _delay: Duration) {}

    pub fn finish(
        &self,
        _attempts: u32,
        _latency: Duration,
        _status: Option<reqwest::StatusCode>,
        _request_id: Option<&str>,
        _error: Option<&Error>,
    ) {
    }
}
