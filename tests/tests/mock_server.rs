//! The generated typed mock server, in-process, on fixtures that exercise what our own spec does
//! not: path, query, header parameters of several styles, a form body, bytes, an empty success,
//! and every kind of credential.
//!
//! - `parameters_arrive_decoded_into_the_clients_own_types`
//! - `requests_that_break_the_rules_are_refused_and_kept_for_the_test`
//! - `every_kind_of_credential_is_checked`
//! - `bodies_that_are_not_objects_are_checked_by_the_same_rules`
//! - `every_kind_of_credential_value_is_compared_and_never_shown`
//! - `a_sequence_with_headers_is_ridden_out_by_a_client_asked_to_retry`
//! - `replies_of_text_and_bytes_operations_carry_headers_and_delays`

use std::sync::{Arc, Mutex};
use std::time::Duration;

use fixture_parameters::types::{GetItemParams, GetItemSort, Item, LoginRequest};

#[tokio::test]
async fn parameters_arrive_decoded_into_the_clients_own_types() {
    let mock = fixture_parameters::mock::MockServer::start().await;
    let client = mock.client();
    let item = Item { id: 7, name: Some("lamp".to_string()) };
    mock.get_item().respond(&item);
    mock.download_receipt().respond(&b"%PDF".to_vec());
    let params = GetItemParams::builder()
        .store_id("store 1/a")
        .item_id(7)
        .fields(vec!["a".to_string(), "b".to_string()])
        .tags(vec!["x".to_string(), "y z".to_string()])
        .sizes(vec![1, 2])
        .sort(GetItemSort::Desc)
        .limit(5)
        .x_trace_id("trace-1")
        .type_(true)
        .build()
        .unwrap();
    assert_eq!(client.get_item(&params).await.unwrap(), item);
    let login = LoginRequest::builder().username("ann").password("pw").remember(true).build().unwrap();
    client.login(&login).await.unwrap();
    let receipt_params =
        fixture_parameters::types::DownloadReceiptParams::builder().store_id("s1").receipt_id("r9").build().unwrap();
    assert_eq!(client.download_receipt(&receipt_params).await.unwrap(), b"%PDF");

    let received = mock.get_item().received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].params, params);
    assert_eq!(mock.login().received()[0].body, login);
    assert_eq!(mock.download_receipt().received()[0].params, receipt_params);
    assert!(mock.take_rejections().is_empty());
}

#[tokio::test]
async fn requests_that_break_the_rules_are_refused_and_kept_for_the_test() {
    let mock = fixture_parameters::mock::MockServer::start().await;
    let http = reqwest_client();
    // `limit` must be at least 1, `storeId` at least 2 characters.
    let status = |url: String| {
        let http = http.clone();
        async move { http.get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(status(format!("{}/stores/st/items/7?limit=0", mock.uri())).await, 400);
    assert_eq!(status(format!("{}/stores/st/items/seven?limit=1", mock.uri())).await, 400);
    assert_eq!(status(format!("{}/stores/st/items/7?limit=1", mock.uri())).await, 501);
    assert_eq!(status(format!("{}/nowhere", mock.uri())).await, 404);
    let rejections = mock.take_rejections();
    assert_eq!(rejections.len(), 4, "{rejections:#?}");
    assert!(rejections[0].contains("`getItem`") && rejections[0].contains("limit"), "{}", rejections[0]);
    assert!(rejections[1].contains("itemId") && rejections[1].contains("a whole number"), "{}", rejections[1]);
    assert!(rejections[2].contains("no example in the spec and no response was registered"), "{}", rejections[2]);
    assert!(rejections[3].contains("GET /nowhere: no operation"), "{}", rejections[3]);
    // Refused requests are not kept; the one without a response was accepted.
    assert_eq!(mock.get_item().received().len(), 1);
}

#[tokio::test]
async fn every_kind_of_credential_is_checked() {
    let mock = fixture_security::mock::MockServer::start().await;
    for handle in [mock.with_basic(), mock.with_combination(), mock.with_alternatives(), mock.with_open_id_connect()] {
        handle.respond(&());
    }
    mock.with_query_key().respond(&());
    let client = mock.client();
    client.with_basic().await.unwrap();
    client.with_combination().await.unwrap();
    client.with_alternatives().await.unwrap();
    client.with_open_id_connect().await.unwrap();
    let params = fixture_security::types::WithQueryKeyParams::builder().limit(3).build().unwrap();
    client.with_query_key(&params).await.unwrap();
    assert_eq!(mock.with_query_key().received()[0].params, params);
    assert!(mock.take_rejections().is_empty());

    // The same calls without credentials.
    let http = reqwest_client();
    for path in ["/basic", "/query", "/combination"] {
        let response = http.get(format!("{}{path}", mock.uri())).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 401, "{path}");
    }
    let rejections = mock.take_rejections();
    assert!(
        rejections[0].ends_with("missing credentials: expected an `Authorization: Basic` header"),
        "{rejections:#?}"
    );
    assert!(rejections[1].ends_with("expected the `api_key` query parameter"), "{rejections:#?}");
    assert!(rejections[2].ends_with("expected the `X-Api-Key` header and the `session` cookie"), "{rejections:#?}");
}

fn reqwest_client() -> fixture_parameters::reqwest::Client {
    fixture_parameters::reqwest::Client::new()
}

#[tokio::test]
async fn bodies_that_are_not_objects_are_checked_by_the_same_rules() {
    let mock = fixture_bodies::mock::MockServer::start().await;
    mock.put_tags().respond(&vec![3, 4]);
    let client = mock.client();
    let tags = vec!["red".to_string(), "blue".to_string()];
    assert_eq!(client.put_tags(&tags).await.unwrap(), vec![3, 4]);
    client.set_title("Title").await.unwrap();
    // A text body's own rules (`maxLength: 10`) are checked before sending.
    let too_long = client.set_title("A title far too long").await;
    assert!(matches!(too_long, Err(fixture_bodies::Error::Validation(_))), "{too_long:?}");
    assert_eq!(mock.put_tags().received()[0].body, tags);
    assert_eq!(mock.set_title().received()[0].body, "Title");

    // What a client that skipped validation would send.
    let http = fixture_bodies::reqwest::Client::new();
    let empty = http.put(format!("{}/tags", mock.uri())).json(&Vec::<String>::new()).send().await.unwrap();
    assert_eq!(empty.status().as_u16(), 400);
    let long = http.put(format!("{}/title", mock.uri())).body("A title far too long").send().await.unwrap();
    assert_eq!(long.status().as_u16(), 400);
    let rejections = mock.take_rejections();
    assert_eq!(rejections.len(), 2, "{rejections:#?}");
    assert!(rejections[0].contains("`putTags`: invalid body, value: "), "{rejections:#?}");
    assert!(rejections[0].contains("at least 1"), "{rejections:#?}");
    assert!(rejections[1].contains("`setTitle`") && rejections[1].contains("at most 10 characters"), "{rejections:#?}");
    assert_eq!(mock.set_title().received().len(), 1);
}

#[tokio::test]
async fn every_kind_of_credential_value_is_compared_and_never_shown() {
    use fixture_security::mock::MockServer;
    let mock = MockServer::start().await;
    mock.list_pets().respond(&fixture_security::types::Message { message: Some("hi".to_string()) });
    for handle in [mock.with_basic(), mock.with_combination(), mock.with_open_id_connect(), mock.with_negotiate()] {
        handle.respond(&());
    }
    mock.with_query_key().respond(&());
    // The code under test's own client, with its own values.
    let own = fixture_security::Client::builder()
        .base_url(mock.uri())
        .bearer_auth("own-bearer-token")
        .basic_auth("own-user", "own-password")
        .query_key("own-query-key")
        .header_key("own-header-key")
        .session_cookie("own-session")
        .oidc("own-oidc-token")
        .negotiate("Negotiate own-ticket")
        .retry_policy(fixture_security::RetryPolicy::none())
        .build()
        .unwrap();
    let params = fixture_security::types::WithQueryKeyParams::builder().limit(3).build().unwrap();
    let call_all = || async {
        [
            own.list_pets().await.map(drop),
            own.with_basic().await,
            own.with_query_key(&params).await,
            own.with_combination().await,
            own.with_open_id_connect().await,
            own.with_negotiate().await,
        ]
    };
    for result in call_all().await {
        assert_eq!(result.unwrap_err().status().map(|status| status.as_u16()), Some(401));
    }
    let rejections = mock.take_rejections();
    assert_eq!(rejections.len(), 6, "{rejections:#?}");
    let expected = [
        "an `Authorization: Bearer` header (see `MockServer::expect_bearer_auth`)",
        "an `Authorization: Basic` header (see `MockServer::expect_basic_auth`)",
        "the `api_key` query parameter (see `MockServer::expect_query_key`)",
        "the `X-Api-Key` header (see `MockServer::expect_header_key`) and the `session` cookie (see \
         `MockServer::expect_session_cookie`)",
        "an `Authorization: Bearer` header (see `MockServer::expect_oidc`)",
        "an `Authorization` header (see `MockServer::expect_negotiate`)",
    ];
    for (rejection, expected) in rejections.iter().zip(expected) {
        assert!(rejection.contains("wrong credentials: not the value the server expects in "), "{rejection}");
        assert!(rejection.ends_with(expected), "{rejection}");
        assert!(!rejection.contains("own-"), "a credential value is shown: {rejection}");
    }

    // Told what to expect, the server accepts the same calls, and its own client sends the same.
    mock.expect_bearer_auth("own-bearer-token")
        .expect_basic_auth("own-user", "own-password")
        .expect_query_key("own-query-key")
        .expect_header_key("own-header-key")
        .expect_session_cookie("own-session")
        .expect_oidc("own-oidc-token")
        .expect_negotiate("Negotiate own-ticket");
    for result in call_all().await {
        result.unwrap();
    }
    mock.client().with_basic().await.unwrap();
    assert_eq!(mock.with_query_key().received().len(), 1);
    assert!(mock.take_rejections().is_empty());

    // A password that differs alone is enough to be refused.
    let wrong_password = mock.client_builder().basic_auth("own-user", "other-password").build().unwrap();
    assert!(wrong_password.with_basic().await.is_err());
    let rejections = mock.take_rejections();
    assert!(rejections[0].ends_with("`MockServer::expect_basic_auth`)"), "{rejections:?}");
}

#[tokio::test]
async fn a_sequence_with_headers_is_ridden_out_by_a_client_asked_to_retry() {
    use fixture_parameters::mock::{MockReply, MockServer};
    let mock = MockServer::start().await;
    let item = Item { id: 7, name: Some("lamp".to_string()) };
    mock.get_item().respond_sequence([
        MockReply::status(503).header("x-request-id", "req-unavailable"),
        MockReply::success(item.clone()).header("x-request-id", "req-item").header("x-ratelimit-remaining", "9"),
    ]);
    let params = GetItemParams::builder().store_id("s1").item_id(7).limit(5).build().unwrap();

    let finished = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&finished);
    let retrying = mock
        .client_builder()
        .retry_policy(fixture_parameters::RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .on_response(move |info| seen.lock().unwrap().push((info.attempts, info.request_id.map(str::to_string))))
        .build()
        .unwrap();
    assert_eq!(retrying.get_item(&params).await.unwrap(), item);
    assert_eq!(*finished.lock().unwrap(), vec![(2, Some("req-item".to_string()))]);
    assert_eq!(mock.get_item().received().len(), 2);
    assert_eq!(mock.get_item().queued(), 0);

    // The mock's own client does not retry, though a GET that met a 503 may be retried.
    mock.get_item().respond_once(MockReply::status(503).header("x-request-id", "req-again"));
    let failure = mock.client().get_item(&params).await.unwrap_err();
    assert_eq!(failure.status().map(|status| status.as_u16()), Some(503));
    assert_eq!(failure.request_id(), Some("req-again"));
    assert_eq!(mock.get_item().received().len(), 3);
    // Used up, and nothing else registered: the spec has no example, so the server says so.
    assert!(mock.client().get_item(&params).await.is_err());
    let rejections = mock.take_rejections();
    assert!(rejections[0].contains("no example in the spec and no response was registered"), "{rejections:?}");
}

#[tokio::test]
async fn replies_of_text_and_bytes_operations_carry_headers_and_delays() {
    use fixture_bodies::mock::{MockReply, MockServer};
    let mock = MockServer::start().await;
    mock.export_csv().respond_sequence([
        MockReply::success("a,b\n1,2\n".to_string()).header("x-request-id", "csv-1"),
        MockReply::json(409, &serde_json::json!({"code": "busy"})).header("Retry-After", "30"),
    ]);
    let client = mock.client();
    assert_eq!(client.export_csv().await.unwrap(), "a,b\n1,2\n");
    let busy = client.export_csv().await.unwrap_err();
    assert_eq!(busy.status().map(|status| status.as_u16()), Some(409));
    assert_eq!(busy.retry_after(), Some(Duration::from_secs(30)));

    // A reply later than the client's timeout; the request itself arrived.
    mock.get_logo().respond_with(MockReply::success(b"\x89PNG".to_vec()).delay(Duration::from_secs(5)));
    let impatient = mock.client_builder().timeout(Duration::from_millis(100)).build().unwrap();
    let late = impatient.get_logo().await.unwrap_err();
    assert!(late.is_timeout(), "{late:?}");
    assert_eq!(mock.get_logo().received().len(), 1);
    // A delay within the timeout only makes the call slower.
    mock.get_logo().respond_with(MockReply::success(b"\x89PNG".to_vec()).delay(Duration::from_millis(10)));
    let patient = mock.client_builder().timeout(Duration::from_secs(10)).build().unwrap();
    assert_eq!(patient.get_logo().await.unwrap(), b"\x89PNG");
    assert!(mock.take_rejections().is_empty());
}
