//! The webhook-driven fetch against `plaid_client::mock::MockServer`: a refresh webhook stores
//! the report byte for byte with its request id; throttling, a report not ready yet, a slow
//! answer and the other failures come back sorted by what to do next; webhooks that need no
//! call make none; and a malformed body is refused without its content showing in the error.

use std::time::{Duration, Instant};

use downstream_example::{
    CashFlowWebhook, FlowError, IgnoreReason, InMemoryReportStore, InsightsFetcher, MalformedWebhook, PermanentReason,
    ReportStore, StoreError, StoredReport, WebhookOutcome, CASH_FLOW_INSIGHTS_UPDATED, INSIGHTS_UPDATED,
};
use plaid_client::mock::{MockReply, MockServer};
use plaid_client::types::{MonitoringConsumerReportPermissiblePurpose, PlaidError, PlaidErrorType};
use plaid_client::{Client, RetryPolicy};
use serde_json::json;

const PURPOSE: MonitoringConsumerReportPermissiblePurpose =
    MonitoringConsumerReportPermissiblePurpose::AccountReviewCredit;

/// A fetcher keeping reports in memory, with a deadline short enough for tests.
fn fetcher(client: Client) -> InsightsFetcher<InMemoryReportStore> {
    InsightsFetcher::new(client, InMemoryReportStore::new(), PURPOSE).deadline(Duration::from_secs(2))
}

/// A Cash Flow Updates webhook body.
fn webhook(code: &str, user_id: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "webhook_type": "CASH_FLOW_UPDATES",
        "webhook_code": code,
        "status": "AVAILABLE",
        "user_id": user_id,
        "environment": "production",
    }))
    .unwrap()
}

/// One of Plaid's error bodies, built as a fixture.
fn plaid_error(error_type: PlaidErrorType, error_code: &str, request_id: &str) -> PlaidError {
    PlaidError::builder()
        .error_type(error_type)
        .error_code(error_code)
        .error_code_reason(None)
        .error_message("made up for the test")
        .display_message(None)
        .request_id(request_id)
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_insights_webhook_stores_the_report_byte_for_byte() {
    let mock = MockServer::start().await;
    mock.expect_client_id("client-1").expect_secret("secret-1");
    // The report as a server writes it: its own spacing and key order, which re-encoding the
    // decoded value would not reproduce.
    let served = "{\n  \"user_insights_id\": \"ui-42\",\n  \"items\": [],\n  \"request_id\": \"req-body\"\n}\n";
    let reply = MockReply::bytes(200, "application/json", served).header("x-request-id", "req-header");
    mock.cra_monitoring_insights_get().respond_with(reply);

    let fetcher = fetcher(mock.client());
    for (code, user_id) in [(INSIGHTS_UPDATED, "usr_old_code"), (CASH_FLOW_INSIGHTS_UPDATED, "usr_new_code")] {
        let outcome = fetcher.handle_webhook(&webhook(code, user_id)).await.unwrap();
        let WebhookOutcome::Stored(receipt) = outcome else { panic!("{code}: {outcome:?}") };
        assert_eq!(receipt.request_id.as_deref(), Some("req-header"));
        assert_eq!(receipt.size, served.len());
    }

    let reports = fetcher.store().reports();
    assert_eq!(reports.len(), 2);
    for (report, user_id) in reports.iter().zip(["usr_old_code", "usr_new_code"]) {
        assert_eq!(report.body, served.as_bytes(), "the body as served");
        assert_eq!(report.user_id, user_id);
        assert_eq!(report.request_id.as_deref(), Some("req-header"));
        assert_eq!(report.status, 200);
        assert_eq!(report.user_insights_id.as_deref(), Some("ui-42"));
        assert!(!format!("{report:?}").contains("req-body"), "Debug shows no report content");
    }
    let received = mock.cra_monitoring_insights_get().received();
    let sent: Vec<_> = received.iter().map(|request| request.body.user_id.clone()).collect();
    assert_eq!(sent, [Some("usr_old_code".to_string()), Some("usr_new_code".to_string())]);
    assert!(received.iter().all(|request| request.body.consumer_report_permissible_purpose == PURPOSE));
}

#[tokio::test]
async fn the_request_id_comes_from_the_body_without_a_header() {
    let mock = MockServer::start().await;
    // Fields the client's types do not declare are kept in the stored bytes too.
    let report = json!({
        "request_id": "req-in-body",
        "user_insights_id": "insights-7",
        "items": [],
        "added_by_plaid_later": {"nested": [1, 2.50, "x"]},
    });
    mock.cra_monitoring_insights_get().respond_with(MockReply::json(200, &report));
    let fetcher = fetcher(mock.client());
    fetcher.handle_webhook(&webhook(INSIGHTS_UPDATED, "usr_7")).await.unwrap();
    let stored = &fetcher.store().reports()[0];
    assert_eq!(stored.body, serde_json::to_vec(&report).unwrap());
    assert_eq!(stored.request_id.as_deref(), Some("req-in-body"));
    assert_eq!(stored.user_insights_id.as_deref(), Some("insights-7"));
}

#[tokio::test]
async fn throttled_then_served_through_a_client_that_retries() {
    let mock = MockServer::start().await;
    mock.cra_monitoring_insights_get().respond_sequence([
        MockReply::status(429).header("Retry-After", "0").header("x-request-id", "req-throttled"),
        MockReply::example().header("x-request-id", "req-served"),
    ]);
    let client = mock.client_builder().retry_policy(RetryPolicy::default()).build().unwrap();
    let fetcher = fetcher(client);
    let outcome = fetcher.handle_webhook(&webhook(INSIGHTS_UPDATED, "usr_retry")).await.unwrap();
    assert!(matches!(&outcome, WebhookOutcome::Stored(receipt) if receipt.request_id.as_deref() == Some("req-served")));
    assert_eq!(fetcher.store().reports().len(), 1);
    assert_eq!(mock.cra_monitoring_insights_get().received().len(), 2);
}

#[tokio::test]
async fn throttled_without_retries_is_retry_later_with_the_hint() {
    let mock = MockServer::start().await;
    mock.cra_monitoring_insights_get()
        .respond_once(MockReply::status(429).header("Retry-After", "7").header("x-request-id", "req-429"));
    let fetcher = fetcher(mock.client());
    let error = fetcher.handle_webhook(&webhook(INSIGHTS_UPDATED, "usr_429")).await.unwrap_err();
    let FlowError::RetryLater { retry_after, status, request_id } = &error else { panic!("{error:?}") };
    assert_eq!(*retry_after, Some(Duration::from_secs(7)));
    assert_eq!(*status, Some(429));
    assert_eq!(request_id.as_deref(), Some("req-429"));
    assert!(error.should_retry());
    assert!(fetcher.store().reports().is_empty());
}

#[tokio::test]
async fn a_retry_after_beyond_the_deadline_ends_the_call_with_the_hint() {
    let mock = MockServer::start().await;
    mock.cra_monitoring_insights_get().respond_once(MockReply::status(429).header("Retry-After", "7"));
    let client = mock.client_builder().retry_policy(RetryPolicy::default()).build().unwrap();
    let fetcher = fetcher(client).deadline(Duration::from_millis(200));
    let started = Instant::now();
    let error = fetcher.handle_webhook(&webhook(INSIGHTS_UPDATED, "usr_wait")).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert!(matches!(error, FlowError::DeadlineExceeded { attempts: 1, .. }), "{error:?}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
}

#[tokio::test]
async fn not_ready_then_ready() {
    let mock = MockServer::start().await;
    let not_ready = plaid_error(PlaidErrorType::CheckReportError, "PRODUCT_NOT_READY", "req-not-ready");
    mock.cra_monitoring_insights_get().respond_sequence([MockReply::error(400, &not_ready), MockReply::example()]);
    let fetcher = fetcher(mock.client());
    let body = webhook(CASH_FLOW_INSIGHTS_UPDATED, "usr_later");

    let error = fetcher.handle_webhook(&body).await.unwrap_err();
    assert!(matches!(&error, FlowError::NotReady { request_id } if request_id.as_deref() == Some("req-not-ready")));
    assert!(error.should_retry());
    assert!(fetcher.store().reports().is_empty());

    assert!(matches!(fetcher.handle_webhook(&body).await, Ok(WebhookOutcome::Stored(_))));
    assert_eq!(fetcher.store().reports().len(), 1);
}

#[tokio::test]
async fn a_reply_later_than_the_deadline_is_deadline_exceeded() {
    let mock = MockServer::start().await;
    mock.cra_monitoring_insights_get().respond_once(MockReply::example().delay(Duration::from_millis(500)));
    let deadline = Duration::from_millis(50);
    let fetcher = fetcher(mock.client()).deadline(deadline);
    let started = Instant::now();
    let error = fetcher.handle_webhook(&webhook(INSIGHTS_UPDATED, "usr_slow")).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(400), "{:?}", started.elapsed());
    assert!(
        matches!(&error, FlowError::DeadlineExceeded { deadline: d, attempts: 1, .. } if *d == deadline),
        "{error:?}"
    );
    assert!(error.should_retry());
    assert!(fetcher.store().reports().is_empty());
}

#[tokio::test]
async fn webhooks_that_need_no_call_are_ignored() {
    let mock = MockServer::start().await;
    let fetcher = fetcher(mock.client());
    let cases = [
        (
            webhook("LOW_BALANCE_DETECTED", "usr_1"),
            IgnoreReason::OtherCode { webhook_code: "LOW_BALANCE_DETECTED".into() },
        ),
        (
            webhook("SOMETHING_PLAID_ADDS_LATER", "usr_1"),
            IgnoreReason::OtherCode { webhook_code: "SOMETHING_PLAID_ADDS_LATER".into() },
        ),
        (
            serde_json::to_vec(
                &json!({"webhook_type": "TRANSACTIONS", "webhook_code": "SYNC_UPDATES_AVAILABLE", "item_id": "i"}),
            )
            .unwrap(),
            IgnoreReason::OtherWebhookType { webhook_type: "TRANSACTIONS".into() },
        ),
        (
            serde_json::to_vec(&json!({
                "webhook_type": "CASH_FLOW_UPDATES", "webhook_code": "CASH_FLOW_INSIGHTS_UPDATED",
                "status": "FAILED", "user_id": "usr_1", "insights": [], "environment": "sandbox",
            }))
            .unwrap(),
            IgnoreReason::UpdateFailed,
        ),
    ];
    for (body, reason) in cases {
        assert_eq!(fetcher.handle_webhook(&body).await.unwrap(), WebhookOutcome::Ignored(reason));
    }
    assert!(mock.cra_monitoring_insights_get().received().is_empty());
    assert!(fetcher.store().reports().is_empty());
}

#[tokio::test]
async fn a_malformed_webhook_is_refused_without_showing_its_content() {
    const SENTINEL: &str = "9412075533";
    const WRONG_TYPE: &str =
        r#"{"webhook_type": "CASH_FLOW_UPDATES", "webhook_code": "INSIGHTS_UPDATED", "user_id": 9412075533}"#;
    let mock = MockServer::start().await;
    let fetcher = fetcher(mock.client());
    type Check = fn(&MalformedWebhook) -> bool;
    let cases: [(&str, Check); 5] = [
        // Not JSON.
        (r#"{"webhook_type": "CASH_FLOW_UPDATES", user_id: 9412075533}"#, |e| {
            matches!(e, MalformedWebhook::NotJson { .. })
        }),
        // Cut short.
        (r#"{"webhook_type": "CASH_FLOW_UPDATES", "user_id": "usr_9412075533"#, |e| *e == MalformedWebhook::Truncated),
        // A number where text belongs: serde's own message quotes it.
        (WRONG_TYPE, |e| matches!(e, MalformedWebhook::WrongShape { .. })),
        // A required field missing.
        (r#"{"webhook_code": "INSIGHTS_UPDATED", "user_id": "usr_9412075533"}"#, |e| {
            matches!(e, MalformedWebhook::WrongShape { .. })
        }),
        // A refresh that names no user.
        (r#"{"webhook_type": "CASH_FLOW_UPDATES", "webhook_code": "INSIGHTS_UPDATED", "note": "9412075533"}"#, |e| {
            *e == MalformedWebhook::MissingUserId
        }),
    ];
    for (body, expected) in cases {
        let error = fetcher.handle_webhook(body.as_bytes()).await.unwrap_err();
        let FlowError::Permanent(PermanentReason::BadWebhook(reason)) = &error else { panic!("{body}: {error:?}") };
        assert!(expected(reason), "{body}: {reason:?}");
        assert!(!error.should_retry());
        let (display, debug) = (error.to_string(), format!("{error:?}"));
        assert!(!display.contains(SENTINEL) && !debug.contains(SENTINEL), "{display} / {debug}");
    }
    // The check means something: serde's own message does quote the value.
    let serde_message = serde_json::from_slice::<CashFlowWebhook>(WRONG_TYPE.as_bytes()).unwrap_err();
    assert!(serde_message.to_string().contains(SENTINEL), "{serde_message}");
    assert!(mock.cra_monitoring_insights_get().received().is_empty());
}

#[tokio::test]
async fn failures_are_sorted_by_what_to_do_next() {
    let mock = MockServer::start().await;
    let fetcher = fetcher(mock.client());
    let body = webhook(INSIGHTS_UPDATED, "usr_sorted");
    type Check = fn(&FlowError) -> bool;
    let cases: Vec<(MockReply<_>, Check)> = vec![
        (MockReply::error(500, &plaid_error(PlaidErrorType::ApiError, "INTERNAL_SERVER_ERROR", "r1")), |e| {
            matches!(e, FlowError::RetryLater { status: Some(500), .. })
        }),
        (MockReply::status(503), |e| matches!(e, FlowError::RetryLater { status: Some(503), .. })),
        (
            MockReply::error(400, &plaid_error(PlaidErrorType::InvalidInput, "INVALID_API_KEYS", "r2")),
            |e| matches!(e, FlowError::Misconfigured { error_code: Some(code), .. } if code == "INVALID_API_KEYS"),
        ),
        (MockReply::status(403), |e| matches!(e, FlowError::Misconfigured { status: Some(403), error_code: None, .. })),
        (
            MockReply::error(400, &plaid_error(PlaidErrorType::InvalidInput, "INVALID_USER_ID", "r3")),
            |e| matches!(e, FlowError::Permanent(PermanentReason::UnknownUser { request_id: Some(id), .. }) if id == "r3"),
        ),
        (MockReply::error(400, &plaid_error(PlaidErrorType::InvalidRequest, "INVALID_FIELD", "r4")), |e| {
            matches!(e, FlowError::Permanent(PermanentReason::InvalidRequest { status: Some(400), .. }))
        }),
        (MockReply::json(200, &json!({"not": "a report"})), |e| {
            matches!(e, FlowError::Permanent(PermanentReason::UnreadableReport { status: Some(200), .. }))
        }),
    ];
    for (reply, check) in cases {
        let debug = format!("{reply:?}");
        mock.cra_monitoring_insights_get().respond_once(reply);
        let error = fetcher.handle_webhook(&body).await.unwrap_err();
        assert!(check(&error), "{debug}: {error:?}");
    }

    // A wrong secret: the server refuses it with 401.
    mock.expect_secret("the-right-secret");
    let wrong = Client::builder()
        .base_url(mock.uri())
        .client_id("mock-client-id")
        .secret("a-wrong-secret")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error =
        InsightsFetcher::new(wrong, InMemoryReportStore::new(), PURPOSE).handle_webhook(&body).await.unwrap_err();
    assert!(matches!(error, FlowError::Misconfigured { status: Some(401), .. }), "{error:?}");
    assert!(!error.should_retry());
    assert_eq!(mock.take_rejections().len(), 1);

    // Nobody listening.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let nowhere = Client::builder()
        .base_url(format!("http://{address}"))
        .client_id("id")
        .secret("secret")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error =
        InsightsFetcher::new(nowhere, InMemoryReportStore::new(), PURPOSE).handle_webhook(&body).await.unwrap_err();
    assert!(matches!(error, FlowError::Transport(_)), "{error:?}");
    assert!(error.should_retry());
    // Only the unreadable answer was kept, as received, for the record.
    let kept = fetcher.store().reports();
    assert_eq!(kept.len(), 1);
    assert_eq!((kept[0].user_insights_id.as_deref(), kept[0].status), (None, 200));
    assert_eq!(kept[0].body, br#"{"not":"a report"}"#);
}

/// A store that is down.
struct BrokenStore;

impl ReportStore for BrokenStore {
    async fn save(&self, _report: StoredReport) -> Result<(), StoreError> {
        Err(StoreError::new("the database is down"))
    }
}

#[tokio::test]
async fn a_store_failure_is_retried_later() {
    let mock = MockServer::start().await;
    let fetcher = InsightsFetcher::new(mock.client(), BrokenStore, PURPOSE);
    let error = fetcher.handle_webhook(&webhook(INSIGHTS_UPDATED, "usr_store")).await.unwrap_err();
    assert!(matches!(error, FlowError::Store(_)), "{error:?}");
    assert!(error.should_retry());
}
