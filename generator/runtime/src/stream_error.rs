//! The errors of streamed responses and of pagers, inside [`Error`](crate::Error): an item that
//! did not decode, and pages that went in a circle. Like every error of the crate, neither shows
//! a value from a response.

use std::fmt;

use crate::mismatch::{Mismatch, SensitiveBody};

/// An item of a streamed response that did not decode (see [`Error::StreamItem`](crate::Error::StreamItem)): which item,
/// where in it decoding stopped and what kind of mismatch it was. `Debug` does not show the data.
#[derive(Debug)]
#[non_exhaustive]
pub struct StreamItemError {
    /// The item's index in the stream, from 0 (items that did not decode count).
    pub index: u64,
    /// The server-sent event's type, when the stream named one.
    pub event: Option<String>,
    /// The server-sent event's id (the last event id), when there is one.
    pub id: Option<String>,
    /// Where in the item decoding failed, e.g. `choices[0].delta`; empty for the whole item.
    pub path: String,
    /// What kind of mismatch it was.
    pub mismatch: Mismatch,
    /// The request id of the response, from its headers.
    pub request_id: Option<String>,
    /// The item's data, byte for byte, and the decoder's own message; see
    /// [`Error::sensitive_body`](crate::Error::sensitive_body).
    pub data: SensitiveBody,
}

/// Paging stopped because of what the API said: a page named as its next page one the stream
/// had already asked for (so the stream ended rather than fetch the same pages again), or a
/// next page's URL on another origin than the client's base URL (not followed, so that no
/// credential goes elsewhere). Neither the token nor the URL is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaginationError {
    operation: &'static str,
    page: u64,
    problem: PaginationProblem,
}

/// What stopped paging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaginationProblem {
    /// A page named a next page that was already requested.
    RepeatedToken,
    /// A page named a next page's URL on another origin (scheme, host and port) than the
    /// client's base URL, or a URL that does not parse.
    ForeignUrl,
}

impl PaginationError {
    /// The error of the pager of `operation` when its page number `page` repeated a page token.
    #[allow(dead_code, reason = "only crates with paged operations build pagers")]
    pub(crate) fn new(operation: &'static str, page: u64) -> Self {
        PaginationError { operation, page, problem: PaginationProblem::RepeatedToken }
    }

    /// The error of the pager of `operation` when its page number `page` named a next page on
    /// another origin (0 when the URL was refused as it was sent rather than when named).
    #[allow(dead_code, reason = "only crates with paged operations build pagers")]
    pub(crate) fn foreign_url(operation: &'static str, page: u64) -> Self {
        PaginationError { operation, page, problem: PaginationProblem::ForeignUrl }
    }
}

impl PaginationError {
    /// The spec's `operationId`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The number of the page (from 1) whose response repeated a page token or named a URL
    /// that was not followed.
    pub fn page(&self) -> u64 {
        self.page
    }

    /// What stopped paging.
    pub fn problem(&self) -> PaginationProblem {
        self.problem
    }
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problem {
            PaginationProblem::RepeatedToken => write!(
                f,
                "`{}`: the API repeated a page token: page {} names a next page that was already requested, so paging stopped",
                self.operation, self.page
            ),
            PaginationProblem::ForeignUrl => write!(
                f,
                "`{}`: page {} names a next page on another origin than the client's base URL; it was not followed, so that no credential goes elsewhere",
                self.operation, self.page
            ),
        }
    }
}

impl std::error::Error for PaginationError {}
