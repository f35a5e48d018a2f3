//! The generated typed mock server, in-process, on fixtures that exercise what our own spec does
//! not: path, query, header parameters of several styles, a form body, bytes, an empty success,
//! and every kind of credential.
//!
//! - `parameters_arrive_decoded_into_the_clients_own_types`
//! - `requests_that_break_the_rules_are_refused_and_kept_for_the_test`
//! - `every_kind_of_credential_is_checked`
//! - `bodies_that_are_not_objects_are_checked_by_the_same_rules`

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
