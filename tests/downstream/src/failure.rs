//! Failures of the webhook flow, sorted by what the service does next. The sorting reads the
//! client's [`plaid_client::Error`] through its public methods and variants only, never its
//! message.

use std::fmt;
use std::time::Duration;

use plaid_client::types::PlaidErrorType;
use plaid_client::Error;

use crate::store::StoreError;
use crate::webhook::MalformedWebhook;

/// The `error_code` Plaid uses while a report is still being prepared.
pub const PRODUCT_NOT_READY: &str = "PRODUCT_NOT_READY";

/// Error codes that mean this service's Plaid account or keys are wrong, not the request.
pub const MISCONFIGURED_CODES: &[&str] = &["INVALID_API_KEYS", "UNAUTHORIZED_ENVIRONMENT", "INVALID_PRODUCT"];

/// Error codes that mean Plaid does not know the user named in the webhook.
pub const UNKNOWN_USER_CODES: &[&str] = &["INVALID_USER_ID", "INVALID_USER_TOKEN", "USER_NOT_FOUND"];

/// Why handling a webhook failed, sorted by what to do about it.
#[derive(Debug)]
pub enum FlowError {
    /// A passing problem (throttling, trouble at Plaid or the bank): handle the webhook again
    /// later, no sooner than `retry_after` when Plaid gave one.
    RetryLater {
        /// How long Plaid asked callers to wait (its `Retry-After` header).
        retry_after: Option<Duration>,
        /// The HTTP status of the answer, when there was one.
        status: Option<u16>,
        /// Plaid's identifier of the failed call.
        request_id: Option<String>,
    },
    /// The report is still being prepared: handle the webhook again in a while.
    NotReady {
        /// Plaid's identifier of the failed call.
        request_id: Option<String>,
    },
    /// Trying again cannot help: drop the webhook and record why.
    Permanent(PermanentReason),
    /// The service's Plaid credentials or account settings are wrong: page whoever owns them;
    /// every webhook will fail the same way until they are fixed.
    Misconfigured {
        /// The HTTP status of the answer, when there was one.
        status: Option<u16>,
        /// Plaid's error code, when it sent one.
        error_code: Option<String>,
        /// Plaid's identifier of the failed call.
        request_id: Option<String>,
    },
    /// The whole call, retries included, took longer than the flow allows: handle the webhook
    /// again later.
    DeadlineExceeded {
        /// The limit that passed.
        deadline: Duration,
        /// How many attempts had started.
        attempts: u32,
        /// The wait Plaid asked for in the last answer, if it asked.
        retry_after: Option<Duration>,
    },
    /// The request could not be sent or its answer not read (no connection, a timeout, TLS);
    /// [`FlowError::should_retry`] says whether it is worth repeating.
    Transport(Error),
    /// The report was fetched but could not be kept: handle the webhook again later.
    Store(StoreError),
}

/// Why a failure cannot be fixed by trying again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermanentReason {
    /// The webhook body could not be read.
    BadWebhook(MalformedWebhook),
    /// Plaid does not know the user.
    UnknownUser {
        /// Plaid's error code.
        error_code: String,
        /// Plaid's identifier of the failed call.
        request_id: Option<String>,
    },
    /// Plaid (or the client, before sending) refused the request itself.
    InvalidRequest {
        /// The HTTP status of the answer, when one came.
        status: Option<u16>,
        /// Plaid's error code, when it sent one.
        error_code: Option<String>,
        /// Plaid's identifier of the failed call.
        request_id: Option<String>,
    },
    /// Plaid answered with success, but the body is not a report this client can read.
    UnreadableReport {
        /// The HTTP status of the answer.
        status: Option<u16>,
        /// Plaid's identifier of the call.
        request_id: Option<String>,
    },
}

impl FlowError {
    /// Whether the same webhook may succeed if handled again later.
    pub fn should_retry(&self) -> bool {
        match self {
            FlowError::RetryLater { .. }
            | FlowError::NotReady { .. }
            | FlowError::DeadlineExceeded { .. }
            | FlowError::Store(_) => true,
            FlowError::Transport(error) => error.is_retryable(),
            FlowError::Permanent(_) | FlowError::Misconfigured { .. } => false,
        }
    }

    /// The earliest Plaid asked to be called again, when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FlowError::RetryLater { retry_after, .. } | FlowError::DeadlineExceeded { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

impl From<MalformedWebhook> for FlowError {
    fn from(error: MalformedWebhook) -> Self {
        FlowError::Permanent(PermanentReason::BadWebhook(error))
    }
}

impl From<Error> for FlowError {
    fn from(error: Error) -> Self {
        let status = error.status().map(|status| status.as_u16());
        let request_id = error.request_id().map(str::to_string);
        if let Error::DeadlineExceeded { deadline, attempts, .. } = &error {
            return FlowError::DeadlineExceeded {
                deadline: *deadline,
                attempts: *attempts,
                retry_after: error.retry_after(),
            };
        }
        if let Some(body) = error.api_error() {
            let code = body.error_code.as_str();
            if code == PRODUCT_NOT_READY {
                return FlowError::NotReady { request_id };
            }
            if MISCONFIGURED_CODES.contains(&code) {
                return FlowError::Misconfigured { status, error_code: Some(code.to_string()), request_id };
            }
            if UNKNOWN_USER_CODES.contains(&code) {
                let error_code = code.to_string();
                return FlowError::Permanent(PermanentReason::UnknownUser { error_code, request_id });
            }
            let passing = matches!(
                body.error_type,
                PlaidErrorType::RateLimitExceeded | PlaidErrorType::ApiError | PlaidErrorType::InstitutionError
            );
            if passing {
                return FlowError::RetryLater { retry_after: error.retry_after(), status, request_id };
            }
        }
        let error_code = error.api_error().map(|body| body.error_code.clone());
        match &error {
            Error::MissingCredentials { .. } | Error::Credential { .. } | Error::InvalidCredential { .. } => {
                return FlowError::Misconfigured { status, error_code, request_id };
            }
            Error::Validation(_) => {
                return FlowError::Permanent(PermanentReason::InvalidRequest { status, error_code, request_id });
            }
            Error::Decode { .. } | Error::ResponseTooLarge { .. } => {
                return FlowError::Permanent(PermanentReason::UnreadableReport { status, request_id });
            }
            Error::Transport(_) => return FlowError::Transport(error),
            _ => {}
        }
        match status {
            Some(401 | 403) => FlowError::Misconfigured { status, error_code, request_id },
            _ if error.is_retryable() => FlowError::RetryLater { retry_after: error.retry_after(), status, request_id },
            _ => FlowError::Permanent(PermanentReason::InvalidRequest { status, error_code, request_id }),
        }
    }
}

/// Writes ", request id X" when there is one.
fn request_id_suffix(request_id: &Option<String>) -> String {
    request_id.as_deref().map(|id| format!(", request id {id}")).unwrap_or_default()
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::RetryLater { retry_after, request_id, .. } => {
                write!(f, "Plaid cannot serve the report right now{}", request_id_suffix(request_id))?;
                match retry_after {
                    Some(wait) => write!(f, "; retry in {wait:?} or later"),
                    None => f.write_str("; retry later"),
                }
            }
            FlowError::NotReady { request_id } => {
                write!(f, "the report is not ready yet{}", request_id_suffix(request_id))
            }
            FlowError::Permanent(reason) => write!(f, "{reason}"),
            FlowError::Misconfigured { status, error_code, request_id } => {
                f.write_str("Plaid refused this service's credentials or account settings")?;
                if let Some(code) = error_code {
                    write!(f, " ({code})")?;
                } else if let Some(status) = status {
                    write!(f, " (HTTP {status})")?;
                }
                f.write_str(&request_id_suffix(request_id))
            }
            FlowError::DeadlineExceeded { deadline, attempts, .. } => {
                write!(f, "fetching the report took longer than {deadline:?} ({attempts} attempt(s))")
            }
            FlowError::Transport(error) => write!(f, "could not reach Plaid: {error}"),
            FlowError::Store(error) => write!(f, "{error}"),
        }
    }
}

impl fmt::Display for PermanentReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PermanentReason::BadWebhook(error) => write!(f, "webhook refused: {error}"),
            PermanentReason::UnknownUser { error_code, request_id } => {
                write!(f, "Plaid does not know the user ({error_code}{})", request_id_suffix(request_id))
            }
            PermanentReason::InvalidRequest { status, error_code, request_id } => {
                f.write_str("the report request was refused")?;
                if let Some(code) = error_code {
                    write!(f, " ({code})")?;
                } else if let Some(status) = status {
                    write!(f, " (HTTP {status})")?;
                }
                f.write_str(&request_id_suffix(request_id))
            }
            PermanentReason::UnreadableReport { request_id, .. } => {
                write!(f, "Plaid's answer is not a report this client can read{}", request_id_suffix(request_id))
            }
        }
    }
}

impl std::error::Error for FlowError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FlowError::Permanent(PermanentReason::BadWebhook(error)) => Some(error),
            FlowError::Transport(error) => Some(error),
            FlowError::Store(error) => Some(error),
            _ => None,
        }
    }
}
