//! The webhook-driven fetch: a Cash Flow Updates webhook arrives, the user's latest report is
//! fetched within a deadline and kept byte for byte, and failures come back sorted by what to
//! do next.

use std::time::Duration;

use plaid_client::types::{CraMonitoringInsightsGetRequest, MonitoringConsumerReportPermissiblePurpose};
use plaid_client::Client;

use crate::failure::{FlowError, PermanentReason};
use crate::store::{ReportStore, StoredReport};
use crate::webhook::{CashFlowWebhook, IgnoreReason, WebhookAction};

/// How a handled webhook ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookOutcome {
    /// The user's report was fetched and kept.
    Stored(StoredReceipt),
    /// The webhook needed no call.
    Ignored(IgnoreReason),
}

/// What was kept, for the service's logs: identifiers only, no report content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReceipt {
    /// Plaid's identifier of the report.
    pub user_insights_id: String,
    /// Plaid's identifier of the call that returned it.
    pub request_id: Option<String>,
    /// The size of the stored body, in bytes.
    pub size: usize,
}

/// Handles Cash Flow Updates webhooks: fetches the report each refresh announces and hands it
/// to a [`ReportStore`].
#[derive(Debug)]
pub struct InsightsFetcher<S> {
    client: Client,
    store: S,
    purpose: MonitoringConsumerReportPermissiblePurpose,
}

impl<S: ReportStore> InsightsFetcher<S> {
    /// The time a fetch may take as a whole, retries and waits included, unless
    /// [`InsightsFetcher::deadline`] sets another.
    pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(10);

    /// A fetcher calling Plaid through `client` (with its retry policy, and
    /// [`Self::DEFAULT_DEADLINE`] in place of any deadline it had), keeping reports in
    /// `store`, and stating `purpose` as the legal ground for every report it pulls.
    pub fn new(client: Client, store: S, purpose: MonitoringConsumerReportPermissiblePurpose) -> Self {
        let client = client.with_deadline(Self::DEFAULT_DEADLINE);
        InsightsFetcher { client, store, purpose }
    }

    /// Limits each fetch as a whole: attempts, retries and the waits between them. Past it,
    /// the fetch fails with [`FlowError::DeadlineExceeded`].
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.client = self.client.with_deadline(deadline);
        self
    }

    /// The store reports go to.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Handles one webhook body, as received. Webhooks that need no call are
    /// [`WebhookOutcome::Ignored`]; a body that cannot be read is a permanent failure whose
    /// error shows none of its content.
    pub async fn handle_webhook(&self, body: &[u8]) -> Result<WebhookOutcome, FlowError> {
        let webhook = CashFlowWebhook::parse(body)?;
        match webhook.action()? {
            WebhookAction::Ignore(reason) => Ok(WebhookOutcome::Ignored(reason)),
            WebhookAction::Fetch { user_id } => self.fetch_and_store(&user_id).await.map(WebhookOutcome::Stored),
        }
    }

    /// Fetches a user's latest report and keeps it exactly as received, with its status and
    /// request id.
    pub async fn fetch_and_store(&self, user_id: &str) -> Result<StoredReceipt, FlowError> {
        let request = CraMonitoringInsightsGetRequest::builder()
            .user_id(user_id)
            .consumer_report_permissible_purpose(self.purpose.clone())
            .build()
            .map_err(plaid_client::Error::from)?;
        let response = match self.client.cra_monitoring_insights_get_with_response(&request).await {
            Ok(response) => response,
            Err(error @ plaid_client::Error::Decode { .. }) => return Err(self.keep_unreadable(user_id, error).await),
            Err(error) => return Err(error.into()),
        };
        let parts = response.into_parts();
        let receipt = StoredReceipt {
            user_insights_id: parts.value.user_insights_id.clone(),
            request_id: parts.request_id.clone(),
            size: parts.body.len(),
        };
        let report = StoredReport {
            user_id: user_id.to_string(),
            user_insights_id: Some(parts.value.user_insights_id),
            request_id: parts.request_id,
            status: parts.status.as_u16(),
            body: parts.body,
        };
        self.store.save(report).await.map_err(FlowError::Store)?;
        Ok(receipt)
    }

    /// Keeps a successful answer that is not a report this client can read, byte for byte, since
    /// what Plaid sent must be on record either way; the fetch still fails, so that someone
    /// looks at it.
    async fn keep_unreadable(&self, user_id: &str, error: plaid_client::Error) -> FlowError {
        let status = error.status().map_or(0, |status| status.as_u16());
        let request_id = error.request_id().map(str::to_string);
        let failure = FlowError::Permanent(PermanentReason::UnreadableReport {
            status: Some(status),
            request_id: request_id.clone(),
        });
        let Some(body) = error.into_sensitive_body() else { return failure };
        let report = StoredReport {
            user_id: user_id.to_string(),
            user_insights_id: None,
            request_id,
            status,
            body: body.into_bytes(),
        };
        match self.store.save(report).await {
            Ok(()) => failure,
            Err(store) => FlowError::Store(store),
        }
    }
}
