//! Sending requests: credentials per attempt, retries within the policy and the call's deadline,
//! the cap on concurrent calls, the caller's response hook and the call's tracing span. Reading
//! and decoding responses is in `response.rs`.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::api_error::ApiErrorBody;
use crate::error::Error;
use crate::response::{read_response, ApiResponse, BodyRequestId, DecodeFailure, Success};
use crate::retry::RetryPolicy;
use crate::trace::{CallTrace, ServerAddress};

/// What the client needs to know about an operation to send it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OperationInfo {
    /// The spec's `operationId`.
    pub id: &'static str,
    #[cfg_attr(not(feature = "tracing"), allow(dead_code, reason = "read by the tracing span"))]
    pub method: &'static str,
    /// The path template, e.g. `/items/{id}`.
    #[cfg_attr(not(feature = "tracing"), allow(dead_code, reason = "read by the tracing span"))]
    pub path: &'static str,
    /// Whether the request may safely reach the server twice.
    pub idempotent: bool,
    /// Decodes an error body by the statuses the operation declares it for.
    pub decode_error: fn(reqwest::StatusCode, &[u8]) -> Option<ApiErrorBody>,
    /// The credentials the operation accepts: alternatives, each a combination of credential
    /// numbers (see [`Authenticate::is_set`]). Empty when it needs none.
    pub security: &'static [&'static [usize]],
    /// The top-level property of the successful JSON body that holds the request id, if its
    /// type has one: read from the bytes when the body fails to decode.
    pub request_id_property: Option<&'static str>,
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
    /// How many attempts the call took (none when its deadline passed while it waited for a
    /// free slot, see `ClientBuilder::max_concurrent_calls`).
    pub attempts: u32,
    /// From the start of the call to its end: every attempt and wait.
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

/// Where requests go and how patiently: what every call of a client shares, and the controls
/// (timeout, retries, deadline) a configured copy of the client may change. Cloning is cheap.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    pub shared: Arc<Shared>,
    /// The limit of one attempt.
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// The limit of a whole call, attempts and waits included.
    pub deadline: Option<Duration>,
}

/// What every copy of a client shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub http: reqwest::Client,
    pub base_url: String,
    pub server: ServerAddress,
    pub user_agent: reqwest::header::HeaderValue,
    pub max_response_size: usize,
    pub on_response: Option<ResponseHook>,
    /// The permits of `ClientBuilder::max_concurrent_calls`, if set.
    pub limit: Option<tokio::sync::Semaphore>,
    /// Prepare requests and hand them back as [`Error::DryRun`] instead of sending them (the
    /// command line's `--dry-run`).
    #[cfg(feature = "cli")]
    pub dry_run: bool,
}

impl Transport {
    /// The URL every operation path is appended to.
    pub(crate) fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// Starts a request to `path`, limited by the client's timeout; credentials are added to
    /// each attempt by [`Transport::send`].
    pub(crate) fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.shared
            .http
            .request(method, format!("{}{path}", self.shared.base_url))
            .header(reqwest::header::USER_AGENT, self.shared.user_agent.clone())
            .timeout(self.timeout)
    }

    /// Sends a request with the credentials its operation accepts, retrying within the
    /// policy and the deadline, and decodes the successful response's body with `decode`. The
    /// call runs inside its tracing span.
    pub(crate) async fn send<T: BodyRequestId>(
        &self,
        credentials: &impl Authenticate,
        operation: &OperationInfo,
        request: reqwest::RequestBuilder,
        decode: impl FnOnce(reqwest::StatusCode, &[u8]) -> Result<T, DecodeFailure>,
    ) -> Result<ApiResponse<T>, Error> {
        let limit = self.shared.max_response_size;
        let read = |response| read_response(response, limit, operation);
        let decoded = |success: Success| success.decoded(operation, decode);
        self.call(credentials, operation, request, Patience::WholeResponse, read, decoded).await
    }

    /// The one place requests go out, for [`Transport::send`] and streamed responses: chooses
    /// the credentials, builds the request (or hands it back for a dry run), and runs the call
    /// inside its tracing span. Each attempt hands its response to `receive`, which reads what
    /// it needs of it (an error status fails the attempt, and may be retried); `finish` turns
    /// what the successful attempt received into the call's result. The call is reported to
    /// its trace and the response hook when `finish` has returned.
    pub(crate) async fn call<Received, Output: Outcome, Receiving>(
        &self,
        credentials: &impl Authenticate,
        operation: &OperationInfo,
        request: reqwest::RequestBuilder,
        patience: Patience,
        receive: impl Fn(reqwest::Response) -> Receiving,
        finish: impl FnOnce(Received) -> Result<Output, Error>,
    ) -> Result<Output, Error>
    where
        Receiving: Future<Output = Result<Received, Error>>,
    {
        let chosen = credentials.choose(operation)?;
        let mut request = request.build().map_err(Error::transport)?;
        let head_timeout = match patience {
            Patience::WholeResponse => None,
            Patience::Head => {
                // reqwest's timeout would also cover the body, which may last far longer.
                *request.timeout_mut() = None;
                Some(self.timeout)
            }
        };
        #[cfg(feature = "cli")]
        if self.shared.dry_run {
            credentials.apply(chosen, &mut request).await?;
            return Err(Error::DryRun(Box::new(crate::error::DryRunRequest(request))));
        }
        let trace = CallTrace::start(operation, &self.shared.server);
        let call =
            Call { transport: self, operation, started: Instant::now(), attempts: 0, trace: &trace, head_timeout };
        trace.instrument(call.run(credentials, chosen, request, receive, finish)).await
    }
}

/// What the client's timeout limits in each attempt of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Patience {
    /// Everything from connecting until the whole body has arrived (reqwest's own timeout,
    /// set by [`Transport::request`]).
    WholeResponse,
    /// Only what the call reads: the response's head, and the body of an error status. A
    /// successful body is not read by the call, and may take as long as it takes (streamed
    /// responses).
    #[allow(dead_code, reason = "used only by crates with streamed responses (`transport_stream.rs`)")]
    Head,
}

/// What a call returns, as its trace and the response hook see it.
pub(crate) trait Outcome {
    /// The HTTP status of the response.
    fn status(&self) -> reqwest::StatusCode;
    /// The request id of the response, if it has one.
    fn request_id(&self) -> Option<&str>;
}

impl<T> Outcome for ApiResponse<T> {
    fn status(&self) -> reqwest::StatusCode {
        ApiResponse::status(self)
    }

    fn request_id(&self) -> Option<&str> {
        ApiResponse::request_id(self)
    }
}

/// One call in progress.
struct Call<'a> {
    transport: &'a Transport,
    operation: &'a OperationInfo,
    started: Instant,
    /// How many attempts have started.
    attempts: u32,
    trace: &'a CallTrace,
    /// The limit of the wait for a response's head, when reqwest's timeout does not apply
    /// (see [`Patience::Head`]).
    head_timeout: Option<Duration>,
}

impl Call<'_> {
    async fn run<Received, Output: Outcome, Receiving>(
        mut self,
        credentials: &impl Authenticate,
        chosen: &[usize],
        request: reqwest::Request,
        receive: impl Fn(reqwest::Response) -> Receiving,
        finish: impl FnOnce(Received) -> Result<Output, Error>,
    ) -> Result<Output, Error>
    where
        Receiving: Future<Output = Result<Received, Error>>,
    {
        let result = self.exchange(credentials, chosen, request, &receive).await.and_then(finish);
        match &result {
            Ok(output) => self.report(Some(output.status()), output.request_id(), None),
            Err(error) => self.report(error.status(), error.request_id(), Some(error)),
        }
        result
    }

    /// The attempts and the waits between them, within the deadline: what the successful
    /// attempt received, or the error that ended the call.
    async fn exchange<Received, Receiving>(
        &mut self,
        credentials: &impl Authenticate,
        chosen: &[usize],
        request: reqwest::Request,
        receive: &impl Fn(reqwest::Response) -> Receiving,
    ) -> Result<Received, Error>
    where
        Receiving: Future<Output = Result<Received, Error>>,
    {
        let transport = self.transport;
        let deadline = transport.deadline.and_then(|deadline| self.started.checked_add(deadline));
        // Held until the attempts end, waits included: for a streamed response, until its head
        // has arrived, not while its body is read.
        let _permit = match &transport.shared.limit {
            Some(limit) => match bounded(deadline, limit.acquire()).await {
                Some(permit) => permit.ok(),
                None => return Err(self.deadline_exceeded(None)),
            },
            None => None,
        };
        let mut previous = None;
        loop {
            self.attempts += 1;
            // A request whose body is a stream cannot be cloned, and so is sent once.
            let Some(this_attempt) = request.try_clone() else {
                let attempt = self.attempt(credentials, chosen, request, receive);
                return bounded(deadline, attempt).await.unwrap_or_else(|| Err(self.deadline_exceeded(previous)));
            };
            let attempt = self.attempt(credentials, chosen, this_attempt, receive);
            let error = match bounded(deadline, attempt).await {
                Some(Ok(received)) => return Ok(received),
                Some(Err(error)) => error,
                None => return Err(self.deadline_exceeded(previous)),
            };
            let Some(delay) = transport.retry.delay(self.attempts, &error, self.operation.idempotent) else {
                return Err(error);
            };
            // A wait that would end at or past the deadline leaves no time for another attempt.
            let too_late = |deadline: Instant| Instant::now().checked_add(delay).is_none_or(|end| end >= deadline);
            if deadline.is_some_and(too_late) {
                return Err(self.deadline_exceeded(Some(error)));
            }
            self.trace.retrying(self.attempts, &error, delay);
            tokio::time::sleep(delay).await;
            previous = Some(error);
        }
    }

    fn deadline_exceeded(&self, last_error: Option<Error>) -> Error {
        Error::DeadlineExceeded {
            deadline: self.transport.deadline.unwrap_or_default(),
            attempts: self.attempts,
            last_error: last_error.map(Box::new),
        }
    }

    /// One attempt: adds the credentials (asking token sources afresh), sends, and hands the
    /// response to `receive`.
    async fn attempt<Received, Receiving>(
        &self,
        credentials: &impl Authenticate,
        chosen: &[usize],
        mut request: reqwest::Request,
        receive: &impl Fn(reqwest::Response) -> Receiving,
    ) -> Result<Received, Error>
    where
        Receiving: Future<Output = Result<Received, Error>>,
    {
        credentials.apply(chosen, &mut request).await?;
        let http = &self.transport.shared.http;
        let exchange = async { receive(http.execute(request).await.map_err(Error::transport)?).await };
        match self.head_timeout {
            None => exchange.await,
            Some(limit) => {
                tokio::time::timeout(limit, exchange).await.unwrap_or_else(|_| Err(self.head_timed_out(limit)))
            }
        }
    }

    /// The error when a response's head (or an error status's body) did not arrive within
    /// `limit` (see [`Patience::Head`]). reqwest's own timeout error cannot be made outside reqwest, so it
    /// is told as a deadline of `limit` that passed, which is a timeout too
    /// ([`Error::is_timeout`]) and is not retried.
    fn head_timed_out(&self, limit: Duration) -> Error {
        Error::DeadlineExceeded { deadline: limit, attempts: self.attempts, last_error: None }
    }

    /// Records how the call ended in its trace and tells the caller's hook, if any.
    fn report(&self, status: Option<reqwest::StatusCode>, request_id: Option<&str>, error: Option<&Error>) {
        let latency = self.started.elapsed();
        self.trace.finish(self.attempts, latency, status, request_id, error);
        if let Some(hook) = &self.transport.shared.on_response {
            (hook.0)(&ResponseInfo {
                operation_id: self.operation.id,
                status,
                request_id,
                attempts: self.attempts,
                latency,
                succeeded: error.is_none(),
            });
        }
    }
}

/// Runs `work` until `deadline`, if any: `None` when the deadline came first.
async fn bounded<O>(deadline: Option<Instant>, work: impl Future<Output = O>) -> Option<O> {
    match deadline {
        None => Some(work.await),
        Some(deadline) => tokio::time::timeout_at(deadline, work).await.ok(),
    }
}
