//! Next-page URLs: resolved against the client's base URL and followed only on its origin, so
//! that credentials never go to another host.

use crate::error::{Error, PaginationError};
use crate::transport::Transport;

/// The base URL relative next-page URLs are resolved against: the client's, as a directory (a
/// relative `items?page=2` under `https://api.test/v1` is `https://api.test/v1/items?page=2`).
pub(super) fn base(base_url: &str) -> Option<reqwest::Url> {
    let directory = if base_url.ends_with('/') { base_url.to_owned() } else { format!("{base_url}/") };
    reqwest::Url::parse(&directory).ok()
}

/// `url` resolved against `base`, if it is on the same origin (scheme, host and port).
pub(super) fn same_origin(base: &reqwest::Url, url: &str) -> Option<reqwest::Url> {
    let resolved = base.join(url).ok()?;
    (resolved.origin() == base.origin() && base.origin().is_tuple()).then_some(resolved)
}

impl Transport {
    /// A GET of the next page's URL a response named, to send like any request of `operation`
    /// (its credentials, retries and deadline). A URL on another origin than the base URL's is
    /// refused with [`PaginationError`], whatever the pager checked before.
    #[allow(dead_code, reason = "used by the pagers of operations whose next page is a URL")]
    pub(crate) fn page_request(&self, operation: &'static str, url: &str) -> Result<reqwest::RequestBuilder, Error> {
        let base = base(&self.shared.base_url);
        let Some(url) = base.and_then(|base| same_origin(&base, url)) else {
            return Err(PaginationError::foreign_url(operation, 0).into());
        };
        Ok(self
            .shared
            .http
            .get(url)
            .header(reqwest::header::USER_AGENT, self.shared.user_agent.clone())
            .timeout(self.timeout))
    }
}
