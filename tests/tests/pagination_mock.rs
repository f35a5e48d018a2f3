//! The `pagination` fixture's generated mock serving whole lists a page at a time: for each
//! pattern, `paginate(items, page_size)` and the client's `…_items` pager reads back exactly the
//! items, in order, in the expected number of requests, for a list that ends mid-page, one that
//! is an exact multiple of the page size, and an empty one; a position the mock did not hand out
//! is refused with 400 and recorded.

use fixture_pagination::mock::MockServer;
use fixture_pagination::types::{
    ListByCursorParams, ListByLastIdParams, ListByLinkHeaderParams, ListByNextUrlParams, ListByOffsetParams,
    ListByPageNumberParams, ListFromParams, SearchThingsRequest, Thing,
};

/// `count` things, `t0`, `t1`, …
fn things(count: usize) -> Vec<Thing> {
    (0..count).map(|index| Thing::builder().id(format!("t{index}")).build().unwrap()).collect()
}

/// Every item of a pager, failing the test on an error.
async fn read_all(mut items: fixture_pagination::pages::Items<Thing>) -> Vec<Thing> {
    let mut read = Vec::new();
    while let Some(item) = items.next().await {
        read.push(item.expect("every page is served"));
    }
    read
}

/// The list sizes each pattern is tried with, and the pages each takes at 2 a page (an empty
/// list is one empty page).
const CASES: [(usize, usize); 4] = [(5, 3), (4, 2), (1, 1), (0, 1)];

/// Pages `count` things with the operation `$accessor` at 2 a page, reads them back with
/// `$items(&params)`, and checks the items and the number of requests.
macro_rules! check_pattern {
    ($mock:ident, $client:ident, $accessor:ident, $items:ident, $params:expr) => {
        for (count, pages) in CASES {
            let ($mock, list) = (MockServer::start().await, things(count));
            let $client = $mock.client();
            $mock.$accessor().paginate(list.clone(), 2);
            let read = read_all($client.$items(&$params)).await;
            assert_eq!(read, list, "{}: {count} items", stringify!($accessor));
            let requests = $mock.$accessor().received().len();
            assert_eq!(requests, pages, "{}: {count} items", stringify!($accessor));
            assert!($mock.take_rejections().is_empty());
        }
    };
}

#[tokio::test]
async fn every_pattern_reads_the_whole_list_back_once() {
    check_pattern!(mock, client, list_by_cursor, list_by_cursor_items, ListByCursorParams::builder().build().unwrap());
    check_pattern!(mock, client, list_by_offset, list_by_offset_items, ListByOffsetParams::builder().build().unwrap());
    check_pattern!(
        mock,
        client,
        list_by_last_id,
        list_by_last_id_items,
        ListByLastIdParams::builder().build().unwrap()
    );
    check_pattern!(
        mock,
        client,
        list_by_next_url,
        list_by_next_url_items,
        ListByNextUrlParams::builder().build().unwrap()
    );
    check_pattern!(
        mock,
        client,
        list_by_link_header,
        list_by_link_header_items,
        ListByLinkHeaderParams::builder().per_page(2).build().unwrap()
    );
    check_pattern!(
        mock,
        client,
        list_by_page_number,
        list_by_page_number_items,
        ListByPageNumberParams::builder().build().unwrap()
    );
    check_pattern!(mock, client, list_from, list_from_items, ListFromParams::builder().build().unwrap());
    check_pattern!(
        mock,
        client,
        search_things,
        search_things_items,
        SearchThingsRequest::builder().query("q").build().unwrap()
    );
}

#[tokio::test]
async fn each_request_carries_the_position_the_previous_page_named() {
    let mock = MockServer::start().await;
    mock.list_by_last_id().paginate(things(5), 2);
    let params = ListByLastIdParams::builder().limit(2).build().unwrap();
    assert_eq!(read_all(mock.client().list_by_last_id_items(&params)).await.len(), 5);
    let after: Vec<_> =
        mock.list_by_last_id().received().into_iter().map(|request| request.params.starting_after).collect();
    assert_eq!(after, [None, Some("t1".into()), Some("t3".into())]);

    mock.list_by_offset().paginate(things(5), 2);
    read_all(mock.client().list_by_offset_items(&ListByOffsetParams::builder().build().unwrap())).await;
    let offsets: Vec<_> = mock.list_by_offset().received().into_iter().map(|request| request.params.offset).collect();
    assert_eq!(offsets, [Some(0), Some(2), Some(4)]);

    // The cursor travels in the JSON body, the caller's query with it.
    mock.search_things().paginate(things(3), 2);
    let request = SearchThingsRequest::builder().query("q").build().unwrap();
    read_all(mock.client().search_things_items(&request)).await;
    let bodies = mock.search_things().received();
    assert!(bodies.iter().all(|request| request.body.query == "q"));
    assert!(bodies[1].body.cursor.as_option().is_some());
    assert!(mock.take_rejections().is_empty());
}

#[tokio::test]
async fn an_offset_request_may_ask_for_fewer_items_a_page() {
    let mock = MockServer::start().await;
    mock.list_by_offset().paginate(things(5), 3);
    let params = ListByOffsetParams::builder().limit(2).build().unwrap();
    assert_eq!(read_all(mock.client().list_by_offset_items(&params)).await, things(5));
    assert_eq!(mock.list_by_offset().received().len(), 3);
}

#[tokio::test]
async fn a_position_the_mock_did_not_hand_out_is_refused_and_recorded() {
    let mock = MockServer::start().await;
    let client = mock.client();
    mock.list_by_cursor().paginate(things(5), 2);
    let params = ListByCursorParams::builder().cursor("forged").build().unwrap();
    let error = client.list_by_cursor(&params).await.expect_err("an unknown cursor is refused");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(400), "{error:?}");
    mock.list_by_page_number().paginate(things(5), 2);
    let params = ListByPageNumberParams::builder().page(4).build().unwrap();
    client.list_by_page_number(&params).await.expect_err("a page past the end is refused");
    let rejections = mock.take_rejections();
    assert_eq!(rejections.len(), 2, "{rejections:?}");
    assert!(
        rejections[0].contains("`listByCursor`: the cursor `forged` is not one the mock handed out"),
        "{rejections:?}"
    );
    assert!(rejections[1].contains("`listByPageNumber`: page `4`"), "{rejections:?}");
}

#[tokio::test]
async fn queued_replies_come_before_the_pages_and_respond_replaces_them() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let handle = mock.list_by_cursor();
    handle.paginate(things(3), 2);
    handle.respond_once(fixture_pagination::mock::MockReply::status(503));
    let params = ListByCursorParams::builder().build().unwrap();
    assert!(client.list_by_cursor(&params).await.is_err());
    assert_eq!(read_all(client.list_by_cursor_items(&params)).await, things(3));
    let only = fixture_pagination::types::ListByCursorResponse::builder().data(things(1)).build().unwrap();
    handle.respond(&only);
    assert_eq!(read_all(client.list_by_cursor_items(&params)).await, things(1));
}
