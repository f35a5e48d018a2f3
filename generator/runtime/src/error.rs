//! Errors returned by the client.
//!
//! Responses of this API can hold personal and financial data, so no `Display` or `Debug` output
//! here shows a value from a request or response body. An error says which operation failed,
//! the HTTP status, the request id, where in the body decoding stopped and what kind of mismatch
//! it was. The body itself stays reachable through [`Error::sensitive_body`], for code that knows
//! where it may put it.

use std::fmt;
use std::time::Duration;

use crate::api_error::ApiErrorBody;
use crate::validation::ValidationError;

/// How many bytes of an unexpected response body an error keeps.
const BODY_EXCERPT_LIMIT: usize = 512;

/// Everything that can go wrong when calling an operation.
#[non_exhaustive]
pub enum Error {
    /// The request does not follow the spec; nothing was sent.
    Validation(ValidationError),
    /// The API answered with one of the error bodies the spec declares.
    Api {
        /// The HTTP status of the response.
        status: reqwest::StatusCode,
        /// The decoded error body. Its own `Debug` shows every field; the error's `Display`
        /// and `Debug` show only the fields the spec declares with scalar values.
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
        /// The start of the body; see [`Error::sensitive_body`].
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
        /// The request id the server gave the response in a header, if any.
        request_id: Option<String>,
        /// The start of the body and the decoder's own message (which quotes the offending
        /// value); see [`Error::sensitive_body`].
        body: SensitiveBody,
    },
    /// The response body is larger than the client accepts.
    ResponseTooLarge {
        /// The HTTP status of the response.
        status: reqwest::StatusCode,
        /// The limit, in bytes (see `ClientBuilder::max_response_size`).
        limit: usize,
    },
    /// The request could not be sent or the response could not be read, including timeouts
    /// (see [`Error::is_timeout`]). The URL is removed from the inner error, since its query
    /// may carry request values.
    Transport(reqwest::Error),
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
            Error::Validation(_)
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
            | Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The start of the response body (and, for [`Error::Decode`], the decoder's message),
    /// when the body was not what the spec describes.
    ///
    /// **This may hold personal or financial data.** It is meant for a debugger or a secured
    /// store, not for ordinary logs: nothing else in this error shows it.
    pub fn sensitive_body(&self) -> Option<&SensitiveBody> {
        match self {
            Error::UnexpectedStatus { body, .. } | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(error) if error.is_timeout())
    }

    /// Whether the failure is transient, so that the same request may succeed later:
    /// connection failures, timeouts, `429` and `500`/`502`/`503`/`504`. The client retries
    /// these by itself within its [`crate::RetryPolicy`] (timeouts and server errors only for
    /// idempotent operations).
    pub fn is_retryable(&self) -> bool {
        self.may_retry(true)
    }

    /// Whether the client may retry after this error; `idempotent` says whether the request
    /// may safely reach the server twice.
    pub(crate) fn may_retry(&self, idempotent: bool) -> bool {
        match self {
            Error::Transport(error) if error.is_connect() => true,
            Error::Transport(error) => idempotent && (error.is_timeout() || error.is_request() || error.is_body()),
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } => match status.as_u16() {
                429 => true,
                500 | 502 | 503 | 504 => idempotent,
                _ => false,
            },
            _ => false,
        }
    }

    /// How long the server asked the client to wait before trying again.
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { retry_after, .. } | Error::UnexpectedStatus { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// A transport error, without the URL (whose query may carry request values).
    pub(crate) fn transport(error: reqwest::Error) -> Self {
        Error::Transport(error.without_url())
    }

    /// A short name for the kind of failure, safe to log or to use as a metric label: no
    /// bodies, no values (e.g. `decode`, `timeout`, `api error`).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Validation(_) => "validation",
            Error::Api { .. } => "api error",
            Error::UnexpectedStatus { .. } => "unexpected status",
            Error::Decode { .. } => "decode",
            Error::ResponseTooLarge { .. } => "response too large",
            Error::Transport(error) if error.is_timeout() => "timeout",
            Error::Transport(error) if error.is_connect() => "connect",
            Error::Transport(_) => "transport",
            Error::MissingCredentials { .. } | Error::Credential { .. } | Error::InvalidCredential { .. } => {
                "credentials"
            }
            #[cfg(feature = "cli")]
            Error::DryRun(_) => "dry run",
        }
    }
}

/// What kind of mismatch stopped decoding a response body. It names types and fields from the
/// spec, never a value from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mismatch {
    /// The body is not well-formed JSON, or ends too early.
    Syntax {
        /// The line where the JSON breaks, from 1.
        line: usize,
        /// The column where the JSON breaks, from 1.
        column: usize,
    },
    /// A value of one JSON type where the spec expects another.
    InvalidType {
        /// The JSON type found, e.g. `string` or `null`.
        found: &'static str,
        /// What the spec's type expects, as the decoder describes it (e.g. `f64`).
        expected: String,
    },
    /// A value of the right JSON type that the type does not accept (e.g. a malformed date).
    InvalidValue {
        /// The JSON type found.
        found: &'static str,
        /// What the spec's type expects.
        expected: String,
    },
    /// An array or object with the wrong number of elements.
    InvalidLength {
        /// What the spec's type expects.
        expected: String,
    },
    /// A required property is absent.
    MissingField {
        /// The property's name.
        field: String,
    },
    /// A property appears twice.
    DuplicateField {
        /// The property's name.
        field: String,
    },
    /// A value none of a union's variants accepts, or a tag naming no variant.
    NoVariant,
    /// Something follows the JSON value.
    TrailingData,
    /// Any other mismatch; the decoder's message is only in [`SensitiveBody::decoder_message`].
    Other,
}

impl Mismatch {
    /// Sorts a `serde_json` error into a mismatch, keeping only what cannot come from the body.
    pub(crate) fn of(error: &serde_json::Error) -> Self {
        use serde_json::error::Category;
        if matches!(error.classify(), Category::Syntax | Category::Eof | Category::Io) {
            let message = error.to_string();
            if message.starts_with("trailing characters") {
                return Mismatch::TrailingData;
            }
            return Mismatch::Syntax { line: error.line(), column: error.column() };
        }
        let message = error.to_string();
        // serde_json appends the position; the text before it is serde's message.
        let message = match message.rfind(" at line ") {
            Some(end) => &message[..end],
            None => &message[..],
        };
        if let Some(rest) = message.strip_prefix("invalid type: ") {
            let (found, expected) = split_expected(rest);
            return Mismatch::InvalidType { found: json_kind(found), expected };
        }
        if let Some(rest) = message.strip_prefix("invalid value: ") {
            let (found, expected) = split_expected(rest);
            return Mismatch::InvalidValue { found: json_kind(found), expected };
        }
        if let Some(rest) = message.strip_prefix("invalid length ") {
            return Mismatch::InvalidLength { expected: split_expected(rest).1 };
        }
        if let Some(field) = message.strip_prefix("missing field `").and_then(|rest| rest.strip_suffix('`')) {
            return Mismatch::MissingField { field: field.to_string() };
        }
        if let Some(field) = message.strip_prefix("duplicate field `").and_then(|rest| rest.strip_suffix('`')) {
            return Mismatch::DuplicateField { field: field.to_string() };
        }
        if message.starts_with("unknown variant") || message.starts_with("data did not match any variant") {
            return Mismatch::NoVariant;
        }
        Mismatch::Other
    }
}

/// Splits `<found>, expected <what>` at the last `, expected `.
fn split_expected(text: &str) -> (&str, String) {
    match text.rfind(", expected ") {
        Some(at) => (&text[..at], text[at + ", expected ".len()..].to_string()),
        None => (text, String::new()),
    }
}

/// The kind of value serde describes as `found` (`string "…"`, `integer `5``, `map`, …),
/// without the value.
fn json_kind(found: &str) -> &'static str {
    const KINDS: [(&str, &str); 10] = [
        ("string", "string"),
        ("integer", "integer"),
        ("floating point", "number"),
        ("boolean", "boolean"),
        ("null", "null"),
        ("unit", "null"),
        ("map", "object"),
        ("sequence", "array"),
        ("character", "string"),
        ("byte array", "bytes"),
    ];
    KINDS.iter().find(|(prefix, _)| found.starts_with(prefix)).map_or("value", |(_, kind)| kind)
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::Syntax { line, column } => write!(f, "not valid JSON (line {line}, column {column})"),
            Mismatch::InvalidType { found, expected } => write!(f, "found a JSON {found}, expected {expected}"),
            Mismatch::InvalidValue { found, expected } => write!(f, "a JSON {found} that is not {expected}"),
            Mismatch::InvalidLength { expected } => write!(f, "wrong number of elements, expected {expected}"),
            Mismatch::MissingField { field } => write!(f, "the required property `{field}` is missing"),
            Mismatch::DuplicateField { field } => write!(f, "the property `{field}` appears twice"),
            Mismatch::NoVariant => f.write_str("a value that none of the spec's variants accepts"),
            Mismatch::TrailingData => f.write_str("more data after the JSON value"),
            Mismatch::Other => f.write_str("a value its type does not accept"),
        }
    }
}

/// Text from a response body, kept for debugging. `Debug` and `Display` print only its size.
///
/// **It may hold personal or financial data**: read it with [`SensitiveBody::excerpt`] only
/// where such data may go.
#[derive(Clone, PartialEq, Eq)]
pub struct SensitiveBody(Box<BodyText>);

/// What a [`SensitiveBody`] keeps (boxed, so that errors stay small).
#[derive(Clone, PartialEq, Eq)]
struct BodyText {
    excerpt: String,
    length: usize,
    decoder_message: Option<String>,
}

impl SensitiveBody {
    /// Keeps the first bytes of `body`, cut at a character boundary.
    pub(crate) fn new(body: &[u8]) -> Self {
        let mut end = body.len().min(BODY_EXCERPT_LIMIT);
        while end < body.len() && end > 0 && (body[end] & 0b1100_0000) == 0b1000_0000 {
            end -= 1;
        }
        let mut excerpt = String::from_utf8_lossy(&body[..end]).into_owned();
        if end < body.len() {
            excerpt.push('…');
        }
        SensitiveBody(Box::new(BodyText { excerpt, length: body.len(), decoder_message: None }))
    }

    /// Keeps the decoder's message too (it quotes the value it rejected).
    pub(crate) fn with_decoder_message(mut self, message: String) -> Self {
        self.0.decoder_message = Some(message);
        self
    }

    /// The first 512 bytes of the body, as text. **May hold personal or financial data.**
    pub fn excerpt(&self) -> &str {
        &self.0.excerpt
    }

    /// The decoder's own message, which may quote a value from the body. **May hold personal
    /// or financial data.**
    pub fn decoder_message(&self) -> Option<&str> {
        self.0.decoder_message.as_deref()
    }

    /// The size of the whole body, in bytes.
    pub fn len(&self) -> usize {
        self.0.length
    }

    /// Whether the body was empty.
    pub fn is_empty(&self) -> bool {
        self.0.length == 0
    }
}

impl fmt::Debug for SensitiveBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SensitiveBody({} bytes, not shown)", self.0.length)
    }
}

impl fmt::Display for SensitiveBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes, not shown", self.0.length)
    }
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
            Error::ResponseTooLarge { status, limit } => write!(
                f,
                "the HTTP {status} response is larger than {limit} bytes; raise the limit with `ClientBuilder::max_response_size`"
            ),
            Error::Transport(error) if error.is_timeout() => {
                write!(f, "the request timed out; raise the limit with `ClientBuilder::timeout` if the API needs longer")
            }
            Error::Transport(error) if error.is_connect() => {
                write!(f, "cannot connect to the API; check the base URL and the network")
            }
            Error::Transport(_) => write!(f, "the request failed before a complete response arrived"),
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
            Error::ResponseTooLarge { status, limit } => {
                f.debug_struct("ResponseTooLarge").field("status", status).field("limit", limit).finish()
            }
            Error::Transport(error) => f.debug_tuple("Transport").field(error).finish(),
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
            Error::Credential { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl From<ValidationError> for Error {
    fn from(error: ValidationError) -> Self {
        Error::Validation(error)
    }
}

/// Why a [`crate::Client`] could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// Neither an environment nor a base URL was chosen.
    MissingBaseUrl,
    /// The base URL is not an absolute http or https URL.
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
    },
    /// A credential that every operation needs was not set.
    MissingCredential {
        /// The builder method that sets it.
        name: &'static str,
        /// How it is sent, e.g. ``the `X-Api-Key` header``.
        sent_as: &'static str,
    },
    /// The chosen server is relative to the host serving the API, and no host was given.
    MissingHost {
        /// The server's path, e.g. `/api/v1`.
        path: &'static str,
    },
    /// A credential contains characters that cannot be sent in an HTTP header.
    InvalidCredential {
        /// The builder method that sets it.
        name: &'static str,
    },
    /// A variable `Client::from_env` needs is not set.
    MissingEnv {
        /// The variable's name.
        var: &'static str,
    },
    /// A variable `Client::from_env` read has a value it cannot use.
    InvalidEnv {
        /// The variable's name.
        var: &'static str,
        /// What the value should be.
        expected: &'static str,
    },
    /// The HTTP client could not be created.
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingBaseUrl => f.write_str("no server chosen: call `environment` or `base_url` on the builder"),
            BuildError::InvalidBaseUrl { url } => write!(f, "`{url}` is not an absolute http or https URL"),
            BuildError::MissingCredential { name, sent_as } => {
                write!(f, "no `{name}` set: call `{name}` on the builder (it is sent as {sent_as})")
            }
            BuildError::MissingHost { path } => write!(
                f,
                "the server `{path}` is relative to the API's host: call `host` on the builder with its scheme and host, e.g. `https://api.example.com`"
            ),
            BuildError::InvalidCredential { name } => {
                write!(f, "the `{name}` value contains characters that cannot be sent in an HTTP request")
            }
            BuildError::MissingEnv { var } => write!(f, "the environment variable `{var}` is not set"),
            BuildError::InvalidEnv { var, expected } => write!(f, "the environment variable `{var}` must be {expected}"),
            BuildError::Http(error) => write!(f, "cannot create the HTTP client: {error}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(error) => Some(error),
            _ => None,
        }
    }
}
