//! The retry policy: `Retry-After` in every form RFC 9110 allows, and jittered backoff.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

use crate::error::Error;
use crate::retry::{retry_after, RetryPolicy};

fn wait_for(value: &str) -> Option<Duration> {
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, HeaderValue::from_str(value).expect("a header value"));
    retry_after(&headers)
}

#[test]
fn retry_after_reads_seconds() {
    assert_eq!(wait_for("120"), Some(Duration::from_secs(120)));
    assert_eq!(wait_for(" 0 "), Some(Duration::ZERO));
}

#[test]
fn retry_after_reads_the_three_http_date_forms() {
    let later = SystemTime::now() + Duration::from_secs(3600);
    let imf = httpdate::fmt_http_date(later);
    let wait = wait_for(&imf).expect("an IMF-fixdate");
    assert!(wait > Duration::from_secs(3590) && wait <= Duration::from_secs(3600), "{wait:?}");
    // The obsolete forms name a past date here, which means "now".
    assert_eq!(wait_for("Sunday, 06-Nov-94 08:49:37 GMT"), Some(Duration::ZERO));
    assert_eq!(wait_for("Sun Nov  6 08:49:37 1994"), Some(Duration::ZERO));
}

#[test]
fn retry_after_refuses_impossible_dates_and_noise() {
    assert_eq!(wait_for("Tue, 31 Feb 2099 08:49:37 GMT"), None);
    assert_eq!(wait_for("soon"), None);
    assert_eq!(wait_for("-5"), None);
}

fn server_error() -> Error {
    Error::UnexpectedStatus {
        status: reqwest::StatusCode::SERVICE_UNAVAILABLE,
        request_id: None,
        retry_after: None,
        body: crate::error::SensitiveBody::new(b""),
    }
}

#[test]
fn backoff_doubles_with_jitter_between_half_and_all() {
    let policy = RetryPolicy::default().max_retries(3).initial_backoff(Duration::from_millis(400));
    for _ in 0..200 {
        let first = policy.delay(1, &server_error(), true).expect("retried");
        let second = policy.delay(2, &server_error(), true).expect("retried");
        assert!(first >= Duration::from_millis(200) && first <= Duration::from_millis(400), "{first:?}");
        assert!(second >= Duration::from_millis(400) && second <= Duration::from_millis(800), "{second:?}");
    }
    assert_eq!(policy.delay(4, &server_error(), true), None, "three retries at most");
    assert_eq!(policy.delay(1, &server_error(), false), None, "a 503 is retried only when idempotent");
}

#[test]
fn jitter_spreads_waits() {
    let policy = RetryPolicy::default();
    let waits: std::collections::BTreeSet<Duration> =
        (0..50).filter_map(|_| policy.delay(1, &server_error(), true)).collect();
    assert!(waits.len() > 10, "waits should differ: {waits:?}");
}
