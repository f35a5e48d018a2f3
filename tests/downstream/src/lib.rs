//! A stand-in for a service that depends on `plaid-client`: it sees only the crate's public API,
//! as any user's crate does, and its tests (`tests/with_mock.rs`) run against the generated mock
//! server instead of Plaid's sandbox.

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
