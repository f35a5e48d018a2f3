//! Errors returned by the client.
//!
//! Responses of this API can hold personal and financial data, so no `Display` or `Debug` output
//! here shows a value from a request or response body. An error says which operation failed,
//! the HTTP status, the request id, where in the body decoding stopped and what kind of mismatch
//! it was. The body itself stays reachable, byte for byte, through [`Error::sensitive_body`], for
//! code that knows where it may put it.

use std::fmt;
use std::time::Duration;

use crate::api_error::ApiErrorBody;
pub use crate::build_error::BuildError;
pub use crate::mismatch::{Mismatch, SensitiveBody};
pub use crate::stream_error::{PaginationError, StreamItemError};
use crate::validation::ValidationError;

/// Everything that can go wrong when calling an operation.
#[non_exhaustive]
pub enum Error {
    /// The request does not follow the spec; nothing was sent.
    Validation(ValidationError),
    /// The API answered with one of the error bodies the spec declares.
    Api {
        /// The HTTP status of the response.
        status: reqwest::StatusCode,
        /// The decoded error body (also [`Error::api_error`]). The error's `Display` and `Debug`
        /// show only the fields the spec declares with scalar values.
        error: Box<ApiErrorBody>,
        /// The request id of the response, from its headers or its error body.
        request_id: Option<String>,
        /// How long the server asked the client to wait before trying again.
        retry_after: Option<Duration>,
    },
    /// The API answered with an error status and a body that is not its error object.
    UnexpectedStatus {
        /// The HTTP status of the response.
        status: reqwest::StatusCode,
        /// The request id the server gave the response in a header, if any.
        request_id: Option<String>,
        /// How long the server asked the client to wait before trying again.
        retry_after: Option<Duration>,
        /// The body; see [`Error::sensitive_body`].
        body: SensitiveBody,
    },
    /// A successful response whose body does not match the spec.
    Decode {
        /// The HTTP status of the response.
        status: reqwest::StatusCode,
        /// Where in the body decoding failed, e.g. `items[0].status`; empty for the whole body.
        path: String,
        /// What kind of mismatch it was.
        mismatch: Mismatch,
        /// The request id of the response: from its headers, else from the body's top-level
        /// request id property (read from the bytes, when the spec's type has one).
        request_id: Option<String>,
        /// The whole body, byte for byte, and the decoder's own message (which quotes the
        /// offending value); see [`Error::sensitive_body`].
        body: SensitiveBody,
    },
    /// An item of a streamed response (a server-sent event's data, a JSON line, a value of a
    /// JSON text sequence) does not match the spec. The stream goes on with the next item.
    StreamItem(Box<StreamItemError>),
    /// A list operation's pages went in a circle: a response named a next page already asked
    /// for, so paging stopped rather than fetch the same pages again.
    Pagination(PaginationError),
    /// A frame of a streamed response grew larger than the stream accepts; the stream ends.
    StreamFrameTooLarge {
        /// The index the item would have had in the stream, from 0.
        index: u64,
        /// The limit, in bytes (see `ItemStream::max_frame_size`).
        limit: usize,
        /// The request id of the response, from its headers.
        request_id: Option<String>,
    },
    /// The response body is larger than the client accepts.
    ResponseTooLarge {
        /// The HTTP status of the response.
        status: reqwest::StatusCode,
        /// The limit, in bytes (see `ClientBuilder::max_response_size`).
        limit: usize,
    },
    /// The request could not be sent or the response could not be read, including timeouts
    /// (see [`Error::is_timeout`]) and TLS failures (see [`Error::is_tls`]). The URL is removed
    /// from the inner error, since its query may carry request values.
    Transport(reqwest::Error),
    /// The call's deadline (`ClientBuilder::deadline`, `Client::with_deadline`) passed: during
    /// an attempt, while waiting for a free slot (`ClientBuilder::max_concurrent_calls`), or
    /// before a retry whose wait would have ended past it (which is then not started).
    DeadlineExceeded {
        /// The deadline, counted from the start of the call.
        deadline: Duration,
        /// How many attempts had started.
        attempts: u32,
        /// The failure of the last finished attempt, if one finished; its status and request
        /// id are this error's too.
        last_error: Option<Box<Error>>,
    },
    /// The operation needs credentials the client was not given; nothing was sent.
    MissingCredentials {
        /// The spec's `operationId`.
        operation: &'static str,
        /// The builder setters of each alternative the spec accepts; setting every credential
        /// of one alternative is enough.
        alternatives: Vec<Vec<&'static str>>,
    },
    /// The token source of a bearer credential failed; nothing was sent.
    Credential {
        /// The builder setter of the credential.
        name: &'static str,
        /// What the token source reported.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A token source returned a token that cannot be sent in an HTTP header.
    InvalidCredential {
        /// The builder setter of the credential.
        name: &'static str,
    },
    /// Only with the `cli` feature: the client was built for a dry run, so the request was
    /// prepared (validated, with its credentials) and handed back here instead of being sent.
    #[cfg(feature = "cli")]
    DryRun(Box<DryRunRequest>),
}

/// The request a dry run would have sent (see [`Error::DryRun`]). `Debug` shows only its
/// method and path, since its query, headers and body may carry credentials and personal data.
#[cfg(feature = "cli")]
pub struct DryRunRequest(pub reqwest::Request);

#[cfg(feature = "cli")]
impl fmt::Debug for DryRunRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DryRunRequest({} {})", self.0.method(), self.0.url().path())
    }
}

impl Error {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Transport(error) => error.status(),
            Error::DeadlineExceeded { last_error, .. } => last_error.as_ref().and_then(|error| error.status()),
            Error::Validation(_)
            | Error::StreamItem(_)
            | Error::Pagination(_)
            | Error::StreamFrameTooLarge { .. }
            | Error::MissingCredentials { .. }
            | Error::Credential { .. }
            | Error::InvalidCredential { .. } => None,
            #[cfg(feature = "cli")]
            Error::DryRun(_) => None,
        }
    }

    /// The request id of the response, from its headers or its error body, when there is one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. }
            | Error::UnexpectedStatus { request_id, .. }
            | Error::Decode { request_id, .. }
            | Error::StreamFrameTooLarge { request_id, .. } => request_id.as_deref(),
            Error::StreamItem(item) => item.request_id.as_deref(),
            Error::DeadlineExceeded { last_error, .. } => last_error.as_ref().and_then(|error| error.request_id()),
            _ => None,
        }
    }

    /// The decoded error body of an [`Error::Api`] (of the last attempt, for an
    /// [`Error::DeadlineExceeded`]). Its fields may hold personal data: errors themselves show
    /// only the fields the spec declares with scalar values.
    pub fn api_error(&self) -> Option<&ApiErrorBody> {
        match self {
            Error::Api { error, .. } => Some(error),
            Error::DeadlineExceeded { last_error, .. } => last_error.as_ref().and_then(|error| error.api_error()),
            _ => None,
        }
    }

    /// The response body, when it was not what the spec describes: the whole body of a
    /// successful response that did not decode ([`Error::Decode`], with the decoder's message),
    /// the data of a streamed item that did not decode ([`Error::StreamItem`], likewise), or the
    /// body of an error status that is not the API's error format ([`Error::UnexpectedStatus`]);
    /// for an [`Error::DeadlineExceeded`], that of its last error.
    ///
    /// **This may hold personal or financial data.** It is meant for a debugger or a secured
    /// store, not for ordinary logs: nothing else in this error shows it.
    pub fn sensitive_body(&self) -> Option<&SensitiveBody> {
        match self {
            Error::UnexpectedStatus { body, .. } | Error::Decode { body, .. } => Some(body),
            Error::StreamItem(item) => Some(&item.data),
            Error::DeadlineExceeded { last_error, .. } => last_error.as_ref().and_then(|error| error.sensitive_body()),
            _ => None,
        }
    }

    /// The response body as [`Error::sensitive_body`] gives it, owned: for storing a response
    /// that did not decode exactly as received ([`SensitiveBody::into_bytes`]).
    pub fn into_sensitive_body(self) -> Option<SensitiveBody> {
        match self {
            Error::UnexpectedStatus { body, .. } | Error::Decode { body, .. } => Some(body),
            Error::StreamItem(item) => Some(item.data),
            Error::DeadlineExceeded { last_error, .. } => last_error.and_then(|error| error.into_sensitive_body()),
            _ => None,
        }
    }

    /// Whether an attempt timed out (`ClientBuilder::timeout`) or the call's deadline passed
    /// ([`Error::DeadlineExceeded`]).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport(error) => error.is_timeout(),
            Error::DeadlineExceeded { .. } => true,
            _ => false,
        }
    }

    /// Whether the connection failed while setting up TLS: a certificate that is not trusted or
    /// not valid for the host, or a server that does not speak TLS (an `https` URL pointing at a
    /// plain HTTP port). Such a failure is not transient, so the client does not retry it.
    ///
    /// It is recognised from the error's sources without depending on a TLS library: an
    /// `std::io::Error` of kind `InvalidData` (how rustls reports every TLS failure), or a
    /// message of the TLS library naming a certificate or SSL (how native TLS libraries
    /// report theirs).
    pub fn is_tls(&self) -> bool {
        let Error::Transport(error) = self else { return false };
        if !error.is_connect() {
            return false;
        }
        let mut source = std::error::Error::source(error);
        while let Some(error) = source {
            if names_tls(&error.to_string()) {
                return true;
            }
            source = match error.downcast_ref::<std::io::Error>() {
                Some(io) if io.kind() == std::io::ErrorKind::InvalidData => return true,
                // `io::Error::source` skips the error it wraps: go through that one.
                Some(io) => io.get_ref().map(|inner| inner as &(dyn std::error::Error + 'static)),
                None => error.source(),
            };
        }
        false
    }

    /// Whether the failure is transient, so that the same request may succeed later:
    /// connection failures (but not TLS failures), timeouts (a passed deadline included),
    /// `429` and `500`/`502`/`503`/`504`. The client retries these by itself within its
    /// [`crate::RetryPolicy`] (timeouts and server errors only for idempotent operations).
    pub fn is_retryable(&self) -> bool {
        matches!(self, Error::DeadlineExceeded { .. }) || self.may_retry(true)
    }

    /// Whether the client may retry after this error; `idempotent` says whether the request
    /// may safely reach the server twice.
    pub(crate) fn may_retry(&self, idempotent: bool) -> bool {
        match self {
            Error::Transport(error) if error.is_connect() => !self.is_tls(),
            Error::Transport(error) => idempotent && (error.is_timeout() || error.is_request() || error.is_body()),
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } => match status.as_u16() {
                429 => true,
                500 | 502 | 503 | 504 => idempotent,
                _ => false,
            },
            _ => false,
        }
    }

    /// How long the server asked the client to wait before trying again (its `Retry-After`
    /// header), when the response said. The client honours it within its retry policy; this is
    /// for callers that retry later by themselves, say from a job queue.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { retry_after, .. } | Error::UnexpectedStatus { retry_after, .. } => *retry_after,
            Error::DeadlineExceeded { last_error, .. } => last_error.as_ref().and_then(|error| error.retry_after()),
            _ => None,
        }
    }

    /// A transport error, without the URL (whose query may carry request values).
    pub(crate) fn transport(error: reqwest::Error) -> Self {
        Error::Transport(error.without_url())
    }

    /// A short name for the kind of failure, safe to log or to use as a metric label: no
    /// bodies, no values (e.g. `decode`, `timeout`, `tls`, `deadline exceeded`, `api error`).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Validation(_) => "validation",
            Error::Api { .. } => "api error",
            Error::UnexpectedStatus { .. } => "unexpected status",
            Error::Decode { .. } | Error::StreamItem(_) => "decode",
            Error::StreamFrameTooLarge { .. } => "stream frame too large",
            Error::Pagination(_) => "pagination",
            Error::ResponseTooLarge { .. } => "response too large",
            Error::Transport(error) if error.is_timeout() => "timeout",
            Error::Transport(_) if self.is_tls() => "tls",
            Error::Transport(error) if error.is_connect() => "connect",
            Error::Transport(_) => "transport",
            Error::DeadlineExceeded { .. } => "deadline exceeded",
            Error::MissingCredentials { .. } | Error::Credential { .. } | Error::InvalidCredential { .. } => {
                "credentials"
            }
            #[cfg(feature = "cli")]
            Error::DryRun(_) => "dry run",
        }
    }
}

/// Whether a TLS library's message names a certificate or SSL (native TLS libraries report
/// their failures so).
fn names_tls(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    message.contains("certificate") || message.contains("ssl routines")
}

/// An API error body as errors show it: only the fields its schema declares with scalar
/// values (such as a code and a message), never unknown fields or nested data.
pub(crate) trait ErrorFields {
    /// Writes `name=value` pairs, each preceded by a space.
    fn fmt_fields(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// Shows an API error body through [`ErrorFields`].
struct Fields<'a>(&'a ApiErrorBody);

impl fmt::Debug for Fields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        self.0.fmt_fields(f)?;
        f.write_str(" }")
    }
}

fn request_id_suffix(request_id: &Option<String>) -> String {
    request_id.as_deref().map(|id| format!(", request id {id}")).unwrap_or_default()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(error) => write!(f, "invalid request, not sent: {error}"),
            Error::Api { status, error, request_id, .. } => {
                write!(f, "the API returned an error (HTTP {status}{}):", request_id_suffix(request_id))?;
                error.fmt_fields(f)
            }
            Error::UnexpectedStatus { status, request_id, body, .. } => write!(
                f,
                "the API returned HTTP {status}{} with a body that is not its error format ({body})",
                request_id_suffix(request_id)
            ),
            Error::Decode { status, path, mismatch, request_id, .. } => {
                let path = if path.is_empty() || path == "." { "the body" } else { path };
                write!(f, "cannot decode the HTTP {status} response{}: {path}: {mismatch}", request_id_suffix(request_id))
            }
            Error::StreamItem(item) => {
                // The event's type names it; its id, like its data, is the server's value.
                let StreamItemError { index, event, path, mismatch, request_id, .. } = item.as_ref();
                write!(f, "cannot decode item {index}")?;
                if let Some(event) = event {
                    write!(f, " (event `{event}`)")?;
                }
                let path = if path.is_empty() || path == "." { "the item" } else { path };
                write!(f, " of the response stream{}: {path}: {mismatch}", request_id_suffix(request_id))
            }
            Error::Pagination(error) => error.fmt(f),
            Error::StreamFrameTooLarge { index, limit, request_id } => write!(
                f,
                "item {index} of the response stream{} is larger than {limit} bytes; raise the limit with `ItemStream::max_frame_size`",
                request_id_suffix(request_id)
            ),
            Error::ResponseTooLarge { status, limit } => write!(
                f,
                "the HTTP {status} response is larger than {limit} bytes; raise the limit with `ClientBuilder::max_response_size`"
            ),
            Error::Transport(error) if error.is_timeout() => {
                write!(f, "the request timed out; raise the limit with `ClientBuilder::timeout` if the API needs longer")
            }
            Error::Transport(_) if self.is_tls() => write!(
                f,
                "cannot set up TLS with the API (an untrusted or mismatched certificate, or a server that does not speak TLS); not retried"
            ),
            Error::Transport(error) if error.is_connect() => {
                write!(f, "cannot connect to the API; check the base URL and the network")
            }
            Error::Transport(_) => write!(f, "the request failed before a complete response arrived"),
            Error::DeadlineExceeded { deadline, attempts, last_error } => {
                write!(f, "the call's deadline of {deadline:?} passed after {attempts} attempt(s)")?;
                match last_error {
                    Some(error) => write!(f, "; the last failure: {error}"),
                    None => Ok(()),
                }
            }
            Error::MissingCredentials { operation, alternatives } => {
                let alternatives: Vec<String> = alternatives
                    .iter()
                    .map(|setters| setters.iter().map(|setter| format!("`{setter}`")).collect::<Vec<_>>().join(" and "))
                    .collect();
                write!(
                    f,
                    "`{operation}` needs credentials the client does not have, so nothing was sent: set {} on the client builder",
                    alternatives.join(", or ")
                )
            }
            Error::Credential { name, .. } => write!(f, "the token source set with `{name}` failed, so nothing was sent"),
            Error::InvalidCredential { name } => {
                write!(f, "the `{name}` token contains characters that cannot be sent in an HTTP header")
            }
            #[cfg(feature = "cli")]
            Error::DryRun(_) => f.write_str("a dry run: the request was prepared but not sent"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(error) => f.debug_tuple("Validation").field(error).finish(),
            Error::Api { status, error, request_id, retry_after } => f
                .debug_struct("Api")
                .field("status", status)
                .field("error", &Fields(error))
                .field("request_id", request_id)
                .field("retry_after", retry_after)
                .finish(),
            Error::UnexpectedStatus { status, request_id, retry_after, body } => f
                .debug_struct("UnexpectedStatus")
                .field("status", status)
                .field("request_id", request_id)
                .field("retry_after", retry_after)
                .field("body", body)
                .finish(),
            Error::Decode { status, path, mismatch, request_id, body } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("path", path)
                .field("mismatch", mismatch)
                .field("request_id", request_id)
                .field("body", body)
                .finish(),
            Error::StreamItem(item) => f.debug_tuple("StreamItem").field(item).finish(),
            Error::Pagination(error) => f.debug_tuple("Pagination").field(error).finish(),
            Error::StreamFrameTooLarge { index, limit, request_id } => f
                .debug_struct("StreamFrameTooLarge")
                .field("index", index)
                .field("limit", limit)
                .field("request_id", request_id)
                .finish(),
            Error::ResponseTooLarge { status, limit } => {
                f.debug_struct("ResponseTooLarge").field("status", status).field("limit", limit).finish()
            }
            Error::Transport(error) => f.debug_tuple("Transport").field(error).finish(),
            Error::DeadlineExceeded { deadline, attempts, last_error } => f
                .debug_struct("DeadlineExceeded")
                .field("deadline", deadline)
                .field("attempts", attempts)
                .field("last_error", last_error)
                .finish(),
            Error::MissingCredentials { operation, alternatives } => f
                .debug_struct("MissingCredentials")
                .field("operation", operation)
                .field("alternatives", alternatives)
                .finish(),
            Error::Credential { name, source } => {
                f.debug_struct("Credential").field("name", name).field("source", source).finish()
            }
            Error::InvalidCredential { name } => f.debug_struct("InvalidCredential").field("name", name).finish(),
            #[cfg(feature = "cli")]
            Error::DryRun(request) => f.debug_tuple("DryRun").field(request).finish(),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Validation(error) => Some(error),
            Error::Transport(error) => Some(error),
            Error::DeadlineExceeded { last_error, .. } => last_error.as_deref().map(|error| error as _),
            Error::Credential { source, .. } => Some(source.as_ref()),
            Error::Pagination(error) => Some(error),
            _ => None,
        }
    }
}

impl From<PaginationError> for Error {
    fn from(error: PaginationError) -> Self {
        Error::Pagination(error)
    }
}

impl From<ValidationError> for Error {
    fn from(error: ValidationError) -> Self {
        Error::Validation(error)
    }
}
