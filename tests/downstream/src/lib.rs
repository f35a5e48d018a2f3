//! A stand-in for a service that depends on `plaid-client`: it sees only the crate's public API,
//! as any user's crate does, and its tests (`tests/with_mock.rs`, `tests/webhook_flow.rs`) run
//! against the generated mock server instead of Plaid's sandbox.
//!
//! Besides a plain call ([`institutions_with_reports`]), it holds the flow a lending team runs
//! on Cash Flow Updates: a webhook ([`CashFlowWebhook`]) announces new insights, the user's
//! report is fetched within a deadline and kept byte for byte ([`InsightsFetcher`],
//! [`ReportStore`]), and failures are sorted by what to do next ([`FlowError`]). The same flow
//! runs as an HTTP server in [`router`] (axum), which `src/bin/webhook-receiver.rs` serves.

mod failure;
mod flow;
mod receiver;
mod server;
mod store;
mod webhook;

pub use failure::{FlowError, PermanentReason, MISCONFIGURED_CODES, PRODUCT_NOT_READY, UNKNOWN_USER_CODES};
pub use flow::{InsightsFetcher, StoredReceipt, WebhookOutcome};
pub use receiver::on_webhook;
pub use server::{router, ReceiverState, REPLAY_WINDOW, WEBHOOK_PATH};
pub use store::{InMemoryReportStore, ReportStore, StoreError, StoredReport};
pub use webhook::{
    CashFlowWebhook, IgnoreReason, MalformedWebhook, WebhookAction, CASH_FLOW_INSIGHTS_UPDATED, CASH_FLOW_UPDATES,
    INSIGHTS_UPDATED,
};

use plaid_client::types::{CraMonitoringInsightsGetRequest, MonitoringConsumerReportPermissiblePurpose};
use plaid_client::{Client, Error};

/// The names of the institutions in a user's latest Cash Flow Updates report.
pub async fn institutions_with_reports(client: &Client, user_id: &str) -> Result<Vec<String>, Error> {
    let request = CraMonitoringInsightsGetRequest::builder()
        .user_id(user_id)
        .consumer_report_permissible_purpose(MonitoringConsumerReportPermissiblePurpose::AccountReviewCredit)
        .build()?;
    let report = client.cra_monitoring_insights_get(&request).await?;
    Ok(report.items.into_iter().map(|item| item.institution_name).collect())
}
