//! The `pagination` fixture's pagers against wiremock on 127.0.0.1: each pattern yields every
//! item across pages, fetching a page only when its items are wanted, and stops where it should;
//! a repeated cursor ends with the pagination error instead of a loop; `max_items`; a next URL on
//! another origin is refused unsent; and a failed page is yielded once as the error.

use fixture_pagination::types::{
    ListByCursorParams, ListByLastIdParams, ListByLinkHeaderParams, ListByNextUrlParams, ListByOffsetParams,
    ListByPageNumberParams, ListFromParams, SearchThingsRequest, Thing,
};
use fixture_pagination::{Client, Error, PaginationProblem, RetryPolicy};
use pipeline_tests::http::{answer, query_pairs, received, requests_seen, single_header, Sequence};
use serde_json::{json, Value};
use wiremock::{MockServer, ResponseTemplate};

const KEY: &str = "key-for-pages";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .api_key(KEY)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("the client builds")
}

fn things(ids: &[&str]) -> Value {
    Value::Array(ids.iter().map(|id| json!({ "id": id })).collect())
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// Every item's id until the stream ends, and the error that ended it, if one did (after
/// which the stream must yield nothing).
async fn drain(mut items: fixture_pagination::pages::Items<Thing>) -> (Vec<String>, Option<Error>) {
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        match item {
            Ok(thing) => ids.push(thing.id),
            Err(error) => {
                assert!(items.next().await.is_none(), "the stream goes on after an error");
                return (ids, Some(error));
            }
        }
    }
    (ids, None)
}

/// The value of query parameter `name` in each request the server received.
async fn query_values(server: &MockServer, name: &str) -> Vec<Option<String>> {
    let requests = received(server).await;
    requests
        .iter()
        .map(|request| query_pairs(request).into_iter().find(|(key, _)| key == name).map(|(_, value)| value))
        .collect()
}

#[tokio::test]
async fn cursor_pages_are_fetched_lazily_until_no_cursor_is_named() {
    let server = MockServer::start().await;
    let pages = Sequence::new([
        ok(json!({ "data": things(&["a", "b"]), "meta": { "next_cursor": "c2" } })),
        ok(json!({ "data": things(&["c"]), "meta": { "next_cursor": "c3" } })),
        ok(json!({ "data": things(&["d"]), "meta": { "next_cursor": null } })),
    ]);
    answer(&server, "GET", "/v1/cursor/things", pages).await;
    let params = ListByCursorParams::builder().limit(2).build().unwrap();
    let mut items = client(&server).list_by_cursor_items(&params);
    assert_eq!(requests_seen(&server).await, 0, "nothing is sent before the stream is polled");
    assert_eq!(items.next().await.unwrap().unwrap().id, "a");
    assert_eq!(items.next().await.unwrap().unwrap().id, "b");
    assert_eq!(requests_seen(&server).await, 1, "the second page waits until the first is used up");
    let (rest, error) = drain(items).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(rest, ["c", "d"]);
    assert_eq!(query_values(&server, "cursor").await, [None, Some("c2".into()), Some("c3".into())]);
    // The caller's other parameters and the credentials travel with every page.
    for request in received(&server).await {
        assert!(query_pairs(&request).contains(&("limit".into(), "2".into())));
        assert_eq!(single_header(&request, "x-api-key"), KEY);
    }
}

#[tokio::test]
async fn offset_pages_stop_at_the_total() {
    let server = MockServer::start().await;
    let pages = Sequence::new([
        ok(json!({ "items": things(&["a", "b"]), "total_count": 5 })),
        ok(json!({ "items": things(&["c", "d"]), "total_count": 5 })),
        ok(json!({ "items": things(&["e"]), "total_count": 5 })),
        ok(json!({ "items": things(&["never"]), "total_count": 5 })),
    ]);
    answer(&server, "GET", "/v1/offset/things", pages).await;
    let params = ListByOffsetParams::builder().limit(2).build().unwrap();
    let (ids, error) = drain(client(&server).list_by_offset_items(&params)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let offsets = query_values(&server, "offset").await;
    assert_eq!(offsets, ["0", "2", "4"].map(|offset| Some(offset.to_string())));
}

#[tokio::test]
async fn has_more_pages_continue_after_the_last_id_while_there_are_more() {
    let server = MockServer::start().await;
    let pages = Sequence::new([
        ok(json!({ "data": things(&["a", "b"]), "has_more": true })),
        ok(json!({ "data": things(&["c"]), "has_more": false })),
        ok(json!({ "data": things(&["never"]), "has_more": false })),
    ]);
    answer(&server, "GET", "/v1/has-more/things", pages).await;
    let params = ListByLastIdParams::builder().build().unwrap();
    let (ids, error) = drain(client(&server).list_by_last_id_items(&params)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(query_values(&server, "starting_after").await, [None, Some("b".into())]);
}

#[tokio::test]
async fn next_urls_are_followed_on_the_same_origin_with_the_credentials() {
    let server = MockServer::start().await;
    let absolute = format!("{}/v1/next-url/things?page=3", server.uri());
    let pages = Sequence::new([
        ok(json!({ "results": things(&["a"]), "links": { "next": "/v1/next-url/things?page=2" } })),
        ok(json!({ "results": things(&["b"]), "links": { "next": absolute } })),
        ok(json!({ "results": things(&["c"]), "links": { "next": null } })),
    ]);
    answer(&server, "GET", "/v1/next-url/things", pages).await;
    let params = ListByNextUrlParams::builder().build().unwrap();
    let (ids, error) = drain(client(&server).list_by_next_url_items(&params)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(query_values(&server, "page").await, [None, Some("2".into()), Some("3".into())]);
    for request in received(&server).await {
        assert_eq!(single_header(&request, "x-api-key"), KEY);
    }
}

#[tokio::test]
async fn a_next_url_on_another_origin_is_refused_unsent() {
    let (server, elsewhere) = (MockServer::start().await, MockServer::start().await);
    answer(&elsewhere, "GET", "/v1/next-url/things", ok(json!({ "results": things(&["stolen"]) }))).await;
    let foreign = format!("{}/v1/next-url/things?token=secret-token", elsewhere.uri());
    let first = ok(json!({ "results": things(&["a"]), "links": { "next": foreign } }));
    answer(&server, "GET", "/v1/next-url/things", first).await;
    let params = ListByNextUrlParams::builder().build().unwrap();
    let (ids, error) = drain(client(&server).list_by_next_url_items(&params)).await;
    assert_eq!(ids, ["a"]);
    let Some(Error::Pagination(error)) = error else { panic!("expected a pagination error, got {error:?}") };
    assert_eq!((error.problem(), error.operation(), error.page()), (PaginationProblem::ForeignUrl, "listByNextUrl", 1));
    pipeline_tests::assert_shows_none(&error, &["secret-token", &elsewhere.uri()]);
    assert_eq!(requests_seen(&elsewhere).await, 0, "no request, so no credential, went to the other origin");
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn link_header_pages_follow_rel_next() {
    let server = MockServer::start().await;
    let next =
        format!("<{}/v1/link/things?page=2>; rel=\"next\", </v1/link/things?page=9>; rel=\"last\"", server.uri());
    let pages = Sequence::new([
        ok(things(&["a", "b"])).insert_header("link", next.as_str()),
        ok(things(&["c"])),
        ok(things(&["never"])),
    ]);
    answer(&server, "GET", "/v1/link/things", pages).await;
    let params = ListByLinkHeaderParams::builder().per_page(2).build().unwrap();
    let (ids, error) = drain(client(&server).list_by_link_header_items(&params)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(query_values(&server, "page").await, [None, Some("2".into())]);
}

#[tokio::test]
async fn page_numbers_count_up_to_the_number_of_pages() {
    let server = MockServer::start().await;
    let pages = Sequence::new([
        ok(json!({ "data": things(&["a"]), "page": 1, "pages": 3 })),
        ok(json!({ "data": things(&["b"]), "page": 2, "pages": 3 })),
        ok(json!({ "data": things(&["c"]), "page": 3, "pages": 3 })),
        ok(json!({ "data": things(&["never"]), "page": 4, "pages": 3 })),
    ]);
    answer(&server, "GET", "/v1/page-number/things", pages).await;
    let params = ListByPageNumberParams::builder().build().unwrap();
    let mut pages = client(&server).list_by_page_number_pages(&params);
    let mut numbers = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("a page");
        numbers.push((page.number(), page.items().len()));
    }
    assert_eq!(numbers, [(1, 1), (2, 1), (3, 1)]);
    assert_eq!(query_values(&server, "page").await, [None, Some("2".into()), Some("3".into())]);
}

#[tokio::test]
async fn a_cursor_in_the_json_body_is_set_per_page_and_has_more_false_ends_the_list() {
    let server = MockServer::start().await;
    let pages = Sequence::new([
        ok(json!({ "matches": things(&["a"]), "next_cursor": "m2", "has_more": true })),
        // The cursor is still named, but `has_more` says this is the last page.
        ok(json!({ "matches": things(&["b"]), "next_cursor": "m3", "has_more": false })),
        ok(json!({ "matches": things(&["never"]), "next_cursor": "", "has_more": false })),
    ]);
    answer(&server, "POST", "/v1/search", pages).await;
    let body = SearchThingsRequest::builder().query("blue").build().unwrap();
    let (ids, error) = drain(client(&server).search_things_items(&body)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, ["a", "b"]);
    let bodies: Vec<Value> =
        received(&server).await.iter().map(|request| serde_json::from_slice(&request.body).unwrap()).collect();
    assert_eq!(bodies, [json!({ "query": "blue" }), json!({ "query": "blue", "cursor": "m2" })]);
}

#[tokio::test]
async fn codegen_toml_names_the_cursor_of_an_operation_the_names_do_not_give_away() {
    let server = MockServer::start().await;
    let pages = Sequence::new([
        ok(json!({ "things": things(&["a"]), "resume_from": "r2" })),
        ok(json!({ "things": things(&["b"]) })),
    ]);
    answer(&server, "GET", "/v1/resume/things", pages).await;
    let params = ListFromParams::builder().build().unwrap();
    let (ids, error) = drain(client(&server).list_from_items(&params)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(query_values(&server, "from").await, [None, Some("r2".into())]);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_the_pagination_error_and_no_loop() {
    let server = MockServer::start().await;
    let page = ok(json!({ "data": things(&["a"]), "meta": { "next_cursor": "same-secret-cursor" } }));
    answer(&server, "GET", "/v1/cursor/things", page).await;
    let params = ListByCursorParams::builder().build().unwrap();
    let (ids, error) = drain(client(&server).list_by_cursor_items(&params)).await;
    assert_eq!(ids, ["a", "a"]);
    let Some(Error::Pagination(error)) = error else { panic!("expected a pagination error, got {error:?}") };
    assert_eq!((error.problem(), error.page()), (PaginationProblem::RepeatedToken, 2));
    pipeline_tests::assert_shows_none(&error, &["same-secret-cursor"]);
    assert_eq!(requests_seen(&server).await, 2);
}

#[tokio::test]
async fn max_items_stops_fetching_once_enough_items_arrived() {
    let server = MockServer::start().await;
    let pages = Sequence::new([
        ok(json!({ "data": things(&["a", "b"]), "meta": { "next_cursor": "c2" } })),
        ok(json!({ "data": things(&["c", "d"]), "meta": { "next_cursor": "c3" } })),
        ok(json!({ "data": things(&["e", "f"]), "meta": { "next_cursor": "c4" } })),
    ]);
    answer(&server, "GET", "/v1/cursor/things", pages).await;
    let params = ListByCursorParams::builder().build().unwrap();
    let (ids, error) = drain(client(&server).list_by_cursor_items(&params).max_items(3)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!((ids, requests_seen(&server).await), (vec!["a".to_string(), "b".into(), "c".into()], 2));
}

#[tokio::test]
async fn a_failed_page_is_yielded_as_its_error_after_the_items_before_it() {
    let server = MockServer::start().await;
    let pages = Sequence::new([
        ok(json!({ "data": things(&["a"]), "meta": { "next_cursor": "c2" } })),
        ResponseTemplate::new(503).set_body_json(json!({ "message": "try later" })),
        ok(json!({ "data": things(&["never"]) })),
    ]);
    answer(&server, "GET", "/v1/cursor/things", pages).await;
    let params = ListByCursorParams::builder().build().unwrap();
    let (ids, error) = drain(client(&server).list_by_cursor_items(&params)).await;
    assert_eq!(ids, ["a"]);
    let error = error.expect("the failed page's error");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503), "{error:?}");
    assert_eq!(requests_seen(&server).await, 2);
}
