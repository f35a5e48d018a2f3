//! Receives Plaid's Cash Flow Updates webhooks on `POST /webhooks/plaid` and keeps each
//! refreshed report in memory.
//!
//! The client is configured from `PLAID_CLIENT_ID`, `PLAID_SECRET` and `PLAID_ENV` (see
//! `plaid_client::ClientBuilder::from_env`); the server listens on `WEBHOOK_RECEIVER_ADDR`,
//! 127.0.0.1:8080 by default. Logs name error kinds and Plaid identifiers, never credentials,
//! tokens or report content.

use std::sync::Arc;

use downstream_example::{router, InMemoryReportStore, ReceiverState, WEBHOOK_PATH};
use plaid_client::types::MonitoringConsumerReportPermissiblePurpose;
use plaid_client::Client;
use tracing_subscriber::filter::LevelFilter;

/// Where the server listens when `WEBHOOK_RECEIVER_ADDR` is not set.
const DEFAULT_ADDRESS: &str = "127.0.0.1:8080";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_max_level(LevelFilter::INFO).init();
    let client = Client::from_env()?;
    let purpose = MonitoringConsumerReportPermissiblePurpose::AccountReviewCredit;
    let state = Arc::new(ReceiverState::new(client, InMemoryReportStore::new(), purpose));
    let address = std::env::var("WEBHOOK_RECEIVER_ADDR").unwrap_or_else(|_| DEFAULT_ADDRESS.to_string());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    tracing::info!("receiving webhooks at http://{}{WEBHOOK_PATH}", listener.local_addr()?);
    axum::serve(listener, router(state)).await?;
    Ok(())
}
