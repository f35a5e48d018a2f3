//! The retry policy: which failures are tried again, and how long to wait first.

use crate::error::Error;
use std::time::Duration;

/// How the client retries failed requests.
///
/// A failure is retried when trying again cannot do harm: a connection that could not be
/// opened (but not a TLS failure, which would fail the same way again), or a
/// `429 Too Many Requests`, since in both cases the server did not act on the request.
/// Timeouts and `500`, `502`, `503` and `504` responses are retried only for idempotent
/// operations, where a second delivery changes nothing. The wait doubles with every attempt,
/// with random jitter so that many clients do not retry in step, and a `Retry-After` header
/// from the server takes precedence. A `429` without `Retry-After` waits longer than other
/// failures (see [`RetryPolicy::rate_limit_backoff`]): a server that is shedding load needs
/// seconds, not milliseconds. The call's deadline (`ClientBuilder::deadline`) bounds it all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    rate_limit_backoff: Duration,
    max_rate_limit_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Two retries, waiting about 0.5 s and then 1 s, at most 8 s per wait; after a `429`
    /// without `Retry-After`, about 5 s and then 10 s, at most 30 s per wait; and honouring a
    /// `Retry-After` of up to 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            rate_limit_backoff: Duration::from_secs(5),
            max_rate_limit_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retries.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    /// Sets how many times a request is retried after its first attempt.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Sets the wait before the first retry; it doubles for each retry after that.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the longest wait between two attempts.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Sets the wait before the first retry after a `429 Too Many Requests` that has no
    /// `Retry-After` header (default 5 s); it doubles for each retry after that, up to
    /// [`RetryPolicy::max_rate_limit_backoff`].
    pub fn rate_limit_backoff(mut self, backoff: Duration) -> Self {
        self.rate_limit_backoff = backoff;
        self
    }

    /// Sets the longest wait between two attempts after a `429` without `Retry-After`
    /// (default 30 s).
    pub fn max_rate_limit_backoff(mut self, backoff: Duration) -> Self {
        self.max_rate_limit_backoff = backoff;
        self
    }

    /// Sets the longest `Retry-After` the client waits for; a server that asks for more
    /// gets its error returned instead.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// How long to wait before attempt `attempt + 1`, or `None` to give up. `attempt`
    /// counts from 1.
    pub(crate) fn delay(&self, attempt: u32, error: &Error, idempotent: bool) -> Option<Duration> {
        if attempt > self.max_retries || !error.may_retry(idempotent) {
            return None;
        }
        if let Some(wait) = error.retry_after() {
            return (wait <= self.max_retry_after).then_some(wait);
        }
        let (initial, max) = match error.status() {
            Some(reqwest::StatusCode::TOO_MANY_REQUESTS) => (self.rate_limit_backoff, self.max_rate_limit_backoff),
            _ => (self.initial_backoff, self.max_backoff),
        };
        let exponent = attempt.saturating_sub(1).min(16);
        let backoff = initial.saturating_mul(1 << exponent).min(max);
        Some(jitter(backoff))
    }
}

/// A random duration between half of `backoff` and all of it, so that many clients do not
/// retry in step.
fn jitter(backoff: Duration) -> Duration {
    backoff / 2 + backoff / 2 * fastrand::u32(0..=1_000) / 1_000
}

/// The wait a `Retry-After` header asks for: a number of seconds, or an HTTP date in any of the
/// three forms RFC 9110 accepts, which counts from now and is zero once past.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(std::time::SystemTime::now()).unwrap_or_default())
}
