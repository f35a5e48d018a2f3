//! `src/retry.rs` of the generated crate: when to try a request again, and how long to wait.

use proc_macro2::TokenStream;
use quote::quote;

pub fn retry_rs() -> TokenStream {
    quote! {
        //! The retry policy: which failures are tried again, and how long to wait first.

        use std::time::Duration;

        use crate::error::Error;

        /// How the client retries failed requests.
        ///
        /// A failure is retried when trying again cannot do harm: a connection that could not be
        /// opened, or a `429 Too Many Requests`, since in both cases the server did not act on
        /// the request. Timeouts and `500`, `502`, `503` and `504` responses are retried only
        /// for idempotent operations, where a second delivery changes nothing. The wait doubles
        /// with every attempt, with random jitter so that many clients do not retry in step,
        /// and a `Retry-After` header from the server takes precedence.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct RetryPolicy {
            max_retries: u32,
            initial_backoff: Duration,
            max_backoff: Duration,
            max_retry_after: Duration,
        }

        impl Default for RetryPolicy {
            /// Two retries, waiting about 0.5 s and then 1 s, at most 8 s per wait, and
            /// honouring a `Retry-After` of up to 60 s.
            fn default() -> Self {
                RetryPolicy {
                    max_retries: 2,
                    initial_backoff: Duration::from_millis(500),
                    max_backoff: Duration::from_secs(8),
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
                let exponent = attempt.saturating_sub(1).min(16);
                let backoff = self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
                Some(jitter(backoff))
            }
        }

        /// A random duration between half of `backoff` and all of it.
        fn jitter(backoff: Duration) -> Duration {
            use std::hash::{BuildHasher, Hasher};
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
            let fraction = (hasher.finish() % 1_000) as u32;
            backoff / 2 + backoff / 2 * fraction / 1_000
        }

        /// The wait a `Retry-After` header asks for: a number of seconds, or an HTTP date
        /// (`Sun, 06 Nov 1994 08:49:37 GMT`), which counts from now and is zero once past.
        pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
            let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
            if let Ok(seconds) = value.parse::<u64>() {
                return Some(Duration::from_secs(seconds));
            }
            let at = http_date_seconds(value)?;
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
            Some(Duration::from_secs(at.saturating_sub(now)))
        }

        /// Seconds since the Unix epoch of an IMF-fixdate, the HTTP date format.
        fn http_date_seconds(text: &str) -> Option<u64> {
            let mut words = text.split_whitespace();
            let (_weekday, day, month, year, time, zone) =
                (words.next()?, words.next()?, words.next()?, words.next()?, words.next()?, words.next()?);
            if zone != "GMT" || words.next().is_some() {
                return None;
            }
            const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
            let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
            let day: u64 = day.parse().ok()?;
            let year: u64 = year.parse().ok()?;
            let mut clock = time.split(':').map(|part| part.parse::<u64>().ok());
            let (hours, minutes, seconds) = (clock.next()??, clock.next()??, clock.next()??);
            if !(1..=31).contains(&day) || year < 1970 || hours > 23 || minutes > 59 || seconds > 60 {
                return None;
            }
            // Days from the civil date (Howard Hinnant's algorithm, for years from 1970).
            let (y, m) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
            let era = y / 400;
            let year_of_era = y % 400;
            let day_of_year = (153 * m + 2) / 5 + day - 1;
            let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
            let days = (era * 146_097 + day_of_era).checked_sub(719_468)?;
            Some(days * 86_400 + hours * 3_600 + minutes * 60 + seconds)
        }
    }
}
