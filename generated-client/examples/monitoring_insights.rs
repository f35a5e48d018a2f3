//! Fetches a Cash Flow Updates (monitoring insights) report and prints it as a short table.
//!
//! Hand-written (not generated): it shows the generated client the way an application uses it.
//!
//! ```sh
//! export PLAID_CLIENT_ID=... PLAID_SECRET=... PLAID_ENV=sandbox
//! cargo run -p plaid-client --example monitoring_insights -- --user-id usr_9nSp2KuZ2x4JDw
//! # or against a local mock server:
//! cargo run -p plaid-client --example monitoring_insights -- --user-id usr_1 --base-url http://127.0.0.1:8080
//! ```

use std::process::ExitCode;

use plaid_client::types::{CraMonitoringInsightsGetRequest, MonitoringConsumerReportPermissiblePurpose};
use plaid_client::{Client, Error};

const USAGE: &str = "usage: monitoring_insights --user-id ID [--base-url URL]
credentials come from PLAID_CLIENT_ID and PLAID_SECRET; the server from PLAID_ENV (sandbox or production)";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let mut user_id = None;
    let mut base_url = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--user-id" => user_id = args.next(),
            "--base-url" => base_url = args.next(),
            _ => return Err(format!("unknown argument `{arg}`\n{USAGE}")),
        }
    }
    let user_id = user_id.ok_or_else(|| format!("--user-id is required\n{USAGE}"))?;

    let mut builder = Client::builder().from_env().map_err(|error| error.to_string())?;
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    let client = builder.build().map_err(|error| error.to_string())?;

    let request = CraMonitoringInsightsGetRequest::builder()
        .consumer_report_permissible_purpose(MonitoringConsumerReportPermissiblePurpose::AccountReviewCredit)
        .user_id(user_id)
        .build()
        .map_err(|error| error.to_string())?;

    let report = match client.cra_monitoring_insights_get(&request).await {
        Ok(report) => report,
        Err(Error::Api { status, error, .. }) => {
            return Err(format!(
                "Plaid refused the request (HTTP {status}): {} {}: {}",
                error.error_type, error.error_code, error.error_message
            ))
        }
        Err(error) => return Err(error.to_string()),
    };

    println!("report {} (request {})", report.user_insights_id, report.request_id);
    println!("{:<24} {:<10} {:>16} {:>16}  accounts", "institution", "status", "monthly income", "loan payments");
    for item in &report.items {
        let income = item.insights.as_ref().map(|i| i.income.total_monthly_income.current_amount);
        let loans = item.insights.as_ref().map(|i| i.loans.loan_payments_counts.current_count);
        println!(
            "{:<24} {:<10} {:>16} {:>16}  {}",
            item.institution_name,
            item.status.status_code.as_str(),
            income.map_or_else(|| "-".to_string(), |amount| format!("{amount:.2}")),
            loans.map_or_else(|| "-".to_string(), |count| format!("{count}")),
            item.accounts.as_ref().map_or(0, Vec::len),
        );
    }
    Ok(())
}
