//! Cash Flow Updates webhooks, read by hand: only the handful of fields this service acts on.
//! (Typed webhooks will replace this once the client generates them.)

use std::fmt;

use serde::Deserialize;

/// The `webhook_type` of every Cash Flow Updates webhook.
pub const CASH_FLOW_UPDATES: &str = "CASH_FLOW_UPDATES";
/// The older `webhook_code` saying that a user's insights were refreshed.
pub const INSIGHTS_UPDATED: &str = "INSIGHTS_UPDATED";
/// The newer `webhook_code` saying that a user's insights were refreshed.
pub const CASH_FLOW_INSIGHTS_UPDATED: &str = "CASH_FLOW_INSIGHTS_UPDATED";

/// The parts of a webhook payload this service reads. Other fields are skipped, so that
/// additions on Plaid's side never break the handler.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CashFlowWebhook {
    /// The family of the webhook, e.g. [`CASH_FLOW_UPDATES`].
    pub webhook_type: String,
    /// What happened, e.g. [`INSIGHTS_UPDATED`] or [`CASH_FLOW_INSIGHTS_UPDATED`].
    pub webhook_code: String,
    /// The Plaid user the event concerns (absent from webhooks of other families).
    #[serde(default)]
    pub user_id: Option<String>,
    /// Whether the refresh worked (`AVAILABLE`) or not (`FAILED`), when the webhook says.
    #[serde(default)]
    pub status: Option<String>,
    /// The Plaid environment that sent the webhook (`sandbox` or `production`).
    #[serde(default)]
    pub environment: Option<String>,
}

/// What a webhook asks the service to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookAction {
    /// Fetch and keep this user's latest report.
    Fetch {
        /// The Plaid user whose report changed.
        user_id: String,
    },
    /// Nothing: acknowledge the webhook and move on.
    Ignore(IgnoreReason),
}

/// Why a well-formed webhook needs no call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IgnoreReason {
    /// A webhook of another family than Cash Flow Updates.
    OtherWebhookType {
        /// Its `webhook_type`.
        webhook_type: String,
    },
    /// A Cash Flow Updates event other than a refresh of the insights (such as a low balance
    /// alert, which arrives alongside the refresh anyway).
    OtherCode {
        /// Its `webhook_code`.
        webhook_code: String,
    },
    /// The refresh failed on Plaid's side, so there is no new report to fetch.
    UpdateFailed,
}

/// Why a webhook body was refused. It names the kind of problem and where it is, never a
/// value from the body, so it is safe to log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MalformedWebhook {
    /// The body is not JSON.
    NotJson {
        /// The line of the first bad character, from 1.
        line: usize,
        /// The column of the first bad character, from 1.
        column: usize,
    },
    /// The body ends in the middle of a JSON value.
    Truncated,
    /// The body is JSON, but a field this service needs is missing or of the wrong type.
    WrongShape {
        /// The line where reading stopped, from 1.
        line: usize,
        /// The column where reading stopped, from 1.
        column: usize,
    },
    /// An insights refresh that does not say which user it is about.
    MissingUserId,
}

impl fmt::Display for MalformedWebhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MalformedWebhook::NotJson { line, column } => {
                write!(f, "the webhook body is not JSON (line {line}, column {column})")
            }
            MalformedWebhook::Truncated => f.write_str("the webhook body ends before its JSON does"),
            MalformedWebhook::WrongShape { line, column } => write!(
                f,
                "the webhook body lacks a needed field or has one of the wrong type (line {line}, column {column})"
            ),
            MalformedWebhook::MissingUserId => f.write_str("the insights webhook names no user"),
        }
    }
}

impl std::error::Error for MalformedWebhook {}

impl CashFlowWebhook {
    /// Reads a webhook body. The error keeps only the kind and position of the problem:
    /// serde's own messages can quote the offending value, so they are dropped.
    pub fn parse(body: &[u8]) -> Result<Self, MalformedWebhook> {
        serde_json::from_slice(body).map_err(|error| {
            let (line, column) = (error.line(), error.column());
            match error.classify() {
                serde_json::error::Category::Eof => MalformedWebhook::Truncated,
                serde_json::error::Category::Data => MalformedWebhook::WrongShape { line, column },
                serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
                    MalformedWebhook::NotJson { line, column }
                }
            }
        })
    }

    /// Decides what the webhook calls for. Unknown types and codes are ignored rather than
    /// refused, since Plaid adds new ones over time.
    pub fn action(&self) -> Result<WebhookAction, MalformedWebhook> {
        if self.webhook_type != CASH_FLOW_UPDATES {
            return Ok(WebhookAction::Ignore(IgnoreReason::OtherWebhookType {
                webhook_type: self.webhook_type.clone(),
            }));
        }
        if self.webhook_code != INSIGHTS_UPDATED && self.webhook_code != CASH_FLOW_INSIGHTS_UPDATED {
            return Ok(WebhookAction::Ignore(IgnoreReason::OtherCode { webhook_code: self.webhook_code.clone() }));
        }
        if self.status.as_deref() == Some("FAILED") {
            return Ok(WebhookAction::Ignore(IgnoreReason::UpdateFailed));
        }
        match self.user_id.as_deref() {
            Some(user_id) if !user_id.trim().is_empty() => Ok(WebhookAction::Fetch { user_id: user_id.to_string() }),
            _ => Err(MalformedWebhook::MissingUserId),
        }
    }
}
