//! Where fetched reports are kept: consumer reports must be stored exactly as Plaid sent them,
//! so the store receives the raw response bytes, not a re-encoded value.

use std::fmt;
use std::future::Future;
use std::sync::{Mutex, PoisonError};

/// One fetched report, as it goes into the store.
///
/// `Debug` shows the body's size only: the body holds a consumer's financial data.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredReport {
    /// The Plaid user the report is about.
    pub user_id: String,
    /// Plaid's identifier of this report; `None` when the body could not be read as a report
    /// (it is kept all the same, as received, and the fetch fails).
    pub user_insights_id: Option<String>,
    /// Plaid's identifier of the call that returned it, for support requests.
    pub request_id: Option<String>,
    /// The HTTP status it came with.
    pub status: u16,
    /// The response body, byte for byte as received.
    pub body: Vec<u8>,
}

impl fmt::Debug for StoredReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredReport")
            .field("user_id", &self.user_id)
            .field("user_insights_id", &self.user_insights_id)
            .field("request_id", &self.request_id)
            .field("status", &self.status)
            .field("body", &format_args!("{} bytes", self.body.len()))
            .finish()
    }
}

/// Keeps fetched reports (a database table or an object store in production).
pub trait ReportStore: Send + Sync {
    /// Keeps one report. A failure leaves the webhook to be handled again later.
    fn save(&self, report: StoredReport) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// A failure of a [`ReportStore`].
#[derive(Debug)]
pub struct StoreError(Box<dyn std::error::Error + Send + Sync>);

impl StoreError {
    /// Wraps the store's own error.
    pub fn new(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        StoreError(error.into())
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the report store failed")
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// A [`ReportStore`] in memory, for tests and local runs.
#[derive(Debug, Default)]
pub struct InMemoryReportStore {
    reports: Mutex<Vec<StoredReport>>,
}

impl InMemoryReportStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every report kept so far, oldest first.
    pub fn reports(&self) -> Vec<StoredReport> {
        self.reports.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl ReportStore for InMemoryReportStore {
    async fn save(&self, report: StoredReport) -> Result<(), StoreError> {
        self.reports.lock().unwrap_or_else(PoisonError::into_inner).push(report);
        Ok(())
    }
}
