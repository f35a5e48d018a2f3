//! The README's webhook receiver, compiled and tested here (`tests/receiver.rs`): verify the
//! delivery, parse the event, and on an insights update fetch the user's report and hand its
//! bytes, exactly as received, to `store`.

use plaid_client::reqwest::header::HeaderMap;
use plaid_client::types::{CraMonitoringInsightsGetRequest, MonitoringConsumerReportPermissiblePurpose};
use plaid_client::webhooks::{ApiKeys, JwtVerifier, WebhookEvent};
use plaid_client::Client;

/// Handles one delivery; `Ok(false)` when the event needs no fetch.
pub async fn on_webhook(
    client: &Client,
    verifier: &JwtVerifier<ApiKeys>, // webhooks::verifier(&client), made once
    headers: &HeaderMap,
    body: &[u8],
    store: impl FnOnce(&[u8]),
) -> Result<bool, Box<dyn std::error::Error>> {
    verifier.verify(headers, body).await?; // forged, stale, replayed with another body: Err
    let user_id = match WebhookEvent::parse(body)? {
        WebhookEvent::CashFlowInsightsUpdated(event) => event.user_id,
        #[allow(deprecated)]
        WebhookEvent::InsightsUpdated(event) => event.user_id,
        _ => return Ok(false), // other alerts, and events this crate does not know
    };
    let request = CraMonitoringInsightsGetRequest::builder()
        .user_id(user_id)
        .consumer_report_permissible_purpose(MonitoringConsumerReportPermissiblePurpose::AccountReviewCredit)
        .build()?;
    let report = client.cra_monitoring_insights_get_with_response(&request).await?;
    store(report.body()); // the report exactly as Plaid sent it
    Ok(true)
}
