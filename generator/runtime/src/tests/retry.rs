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
        body: crate::error::SensitiveBody::new(Vec::new()),
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

fn too_many_requests(retry_after: Option<Duration>) -> Error {
    Error::UnexpectedStatus {
        status: reqwest::StatusCode::TOO_MANY_REQUESTS,
        request_id: None,
        retry_after,
        body: crate::error::SensitiveBody::new(Vec::new()),
    }
}

#[test]
fn a_429_without_retry_after_waits_for_the_rate_limit_backoff() {
    let policy = RetryPolicy::default()
        .max_retries(5)
        .initial_backoff(Duration::from_millis(100))
        .rate_limit_backoff(Duration::from_secs(4))
        .max_rate_limit_backoff(Duration::from_secs(10));
    for _ in 0..100 {
        let first = policy.delay(1, &too_many_requests(None), false).expect("a 429 is always retried");
        let second = policy.delay(2, &too_many_requests(None), false).expect("retried");
        let capped = policy.delay(5, &too_many_requests(None), false).expect("retried");
        assert!(first >= Duration::from_secs(2) && first <= Duration::from_secs(4), "{first:?}");
        assert!(second >= Duration::from_secs(4) && second <= Duration::from_secs(8), "{second:?}");
        assert!(capped >= Duration::from_secs(5) && capped <= Duration::from_secs(10), "{capped:?}");
        let server = policy.delay(1, &server_error(), true).expect("retried");
        assert!(server <= Duration::from_millis(100), "a 5xx keeps the ordinary backoff: {server:?}");
    }
    let asked = policy.delay(1, &too_many_requests(Some(Duration::from_secs(1))), false);
    assert_eq!(asked, Some(Duration::from_secs(1)), "Retry-After takes precedence");
}

#[test]
fn the_default_waits_longer_after_a_429_than_after_a_5xx() {
    let policy = RetryPolicy::default();
    let rate_limited = policy.delay(1, &too_many_requests(None), true).expect("retried");
    let server = policy.delay(1, &server_error(), true).expect("retried");
    assert!(
        rate_limited >= Duration::from_millis(2500) && server <= Duration::from_millis(500),
        "{rate_limited:?} {server:?}"
    );
    assert_eq!(RetryPolicy::none().delay(1, &too_many_requests(None), true), None);
}
