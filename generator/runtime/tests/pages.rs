//! The pager: each pagination pattern against a fake API in memory and over HTTP, laziness,
//! where paging stops, repeated tokens, limits, errors, and the `Link` header parser.

use std::pin::Pin;
use std::sync::{Arc, Mutex};

use client_runtime::pages::{
    next_link, parse_link_header, Items, Link, Page, PageRequest, Pages, PaginationError, PaginationProblem,
};
use futures_core::Stream;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The error of the fake APIs' fetches.
#[derive(Debug)]
enum TestError {
    Api,
    Http(#[allow(dead_code)] reqwest::Error),
    Pagination(PaginationError),
}

impl From<PaginationError> for TestError {
    fn from(error: PaginationError) -> Self {
        TestError::Pagination(error)
    }
}

impl From<reqwest::Error> for TestError {
    fn from(error: reqwest::Error) -> Self {
        TestError::Http(error)
    }
}

/// The requests a fake API received.
type Log = Arc<Mutex<Vec<PageRequest>>>;
type Answer = Result<Page<u32>, TestError>;

/// A fetch closure over a fake API that answers with `respond`, and the log of its requests.
/// More than 20 fetches fail the test: no test needs as many, so the pager would be looping.
fn fake(
    mut respond: impl FnMut(&PageRequest) -> Answer + Send + 'static,
) -> (impl FnMut(PageRequest) -> std::future::Ready<Answer> + Send + 'static, Log) {
    let log = Log::default();
    let requests = log.clone();
    let fetch = move |request: PageRequest| {
        let answer = respond(&request);
        let mut requests = requests.lock().unwrap();
        requests.push(request);
        assert!(requests.len() <= 20, "the pager keeps fetching");
        std::future::ready(answer)
    };
    (fetch, log)
}

fn fetches(log: &Log) -> usize {
    log.lock().unwrap().len()
}

/// A cursor API over these pages: page `k` names cursor `p{k+1}` while there is one.
fn cursor_api(pages: Vec<Vec<u32>>) -> impl FnMut(&PageRequest) -> Answer + Send + 'static {
    move |request| {
        let index = match request {
            PageRequest::First => 0,
            PageRequest::Cursor(cursor) => cursor[1..].parse().unwrap(),
            other => panic!("a cursor API was asked for {other:?}"),
        };
        let next = (index + 1 < pages.len()).then(|| format!("p{}", index + 1));
        Ok(Page::new(pages[index].clone()).next_cursor(next))
    }
}

/// An offset API over the items `0..len`, answering `limit` at a time and the total if asked to.
fn offset_api(len: u32, limit: u32, with_total: bool) -> impl FnMut(&PageRequest) -> Answer + Send + 'static {
    move |request| {
        let start = request.offset().expect("an offset") as u32;
        let items = (start..len.min(start + limit)).collect();
        Ok(Page::new(items).total(with_total.then_some(u64::from(len))))
    }
}

/// An endless cursor API: every page has two items and names the next.
fn endless_api() -> impl FnMut(&PageRequest) -> Answer + Send + 'static {
    move |request| {
        let index: u32 = request.cursor().map_or(0, |cursor| cursor.parse().unwrap());
        Ok(Page::new(vec![2 * index, 2 * index + 1]).next_cursor(Some((index + 1).to_string())))
    }
}

/// All items, and the error that ended the stream if one did (after which it must yield none).
async fn collect(mut items: Items<u32, TestError>) -> (Vec<u32>, Option<TestError>) {
    let mut taken = Vec::new();
    while let Some(item) = items.next().await {
        match item {
            Ok(item) => taken.push(item),
            Err(error) => {
                assert!(items.next().await.is_none(), "the stream goes on after an error");
                return (taken, Some(error));
            }
        }
    }
    (taken, None)
}

#[tokio::test]
async fn cursor_pages_end_without_a_next_cursor() {
    let (fetch, log) = fake(cursor_api(vec![vec![1, 2], vec![3, 4], vec![5]]));
    let (items, error) = collect(Pages::new("list_items", fetch).items()).await;
    assert_eq!(items, [1, 2, 3, 4, 5]);
    assert!(error.is_none());
    let requested = log.lock().unwrap().clone();
    assert_eq!(requested, [PageRequest::First, PageRequest::Cursor("p1".into()), PageRequest::Cursor("p2".into())]);
}

#[tokio::test]
async fn an_empty_cursor_or_an_empty_page_ends_the_list() {
    let (fetch, log) = fake(|_| Ok(Page::new(vec![1]).next_cursor(Some(String::new()))));
    assert_eq!(collect(Pages::new("list_items", fetch).items()).await.0, [1]);
    assert_eq!(fetches(&log), 1);
    let (fetch, log) = fake(cursor_api(vec![vec![1], vec![], vec![2]]));
    assert_eq!(collect(Pages::new("list_items", fetch).items()).await.0, [1]);
    assert_eq!(fetches(&log), 2);
}

#[tokio::test]
async fn offset_pages_end_at_the_total_or_a_short_page() {
    // With a total, the last page is the one that reaches it.
    let (fetch, log) = fake(offset_api(5, 2, true));
    assert_eq!(collect(Pages::offsets("list_items", 0, Some(2), fetch).items()).await.0, [0, 1, 2, 3, 4]);
    let offsets: Vec<_> = log.lock().unwrap().iter().map(|request| request.offset().unwrap()).collect();
    assert_eq!(offsets, [0, 2, 4]);
    let (fetch, log) = fake(offset_api(4, 2, true));
    assert_eq!(collect(Pages::offsets("list_items", 0, Some(2), fetch).items()).await.0, [0, 1, 2, 3]);
    assert_eq!(fetches(&log), 2);
    // Without one, a page shorter than the limit is the last; a full last page needs one more.
    let (fetch, log) = fake(offset_api(5, 2, false));
    assert_eq!(collect(Pages::offsets("list_items", 0, Some(2), fetch).items()).await.0.len(), 5);
    assert_eq!(fetches(&log), 3);
    let (fetch, log) = fake(offset_api(4, 2, false));
    assert_eq!(collect(Pages::offsets("list_items", 0, Some(2), fetch).items()).await.0.len(), 4);
    assert_eq!(fetches(&log), 3);
    // Starting further on; the request carries the limit.
    let (fetch, log) = fake(offset_api(5, 2, false));
    assert_eq!(collect(Pages::offsets("list_items", 3, Some(2), fetch).items()).await.0, [3, 4]);
    assert_eq!(log.lock().unwrap()[0], PageRequest::Offset { offset: 3, limit: Some(2) });
}

#[tokio::test]
async fn has_more_pages_continue_after_the_last_id() {
    let (fetch, log) = fake(|request| {
        let after: u32 = request.cursor().map_or(0, |id| id.parse().unwrap());
        let items: Vec<u32> = (after + 1..=5.min(after + 2)).collect();
        let has_more = items.last() != Some(&5);
        Ok(Page::new(items).has_more(has_more, |id| id.to_string()))
    });
    assert_eq!(collect(Pages::new("list_items", fetch).items()).await.0, [1, 2, 3, 4, 5]);
    let requested = log.lock().unwrap().clone();
    assert_eq!(requested, [PageRequest::First, PageRequest::Cursor("2".into()), PageRequest::Cursor("4".into())]);
}

#[tokio::test]
async fn next_urls_and_link_headers_are_followed() {
    let url = |page: u32| format!("https://api.test/items?page={page}");
    let (fetch, log) = fake(move |request| {
        let page = request.url().map_or(1, |url| url[url.len() - 1..].parse().unwrap());
        Ok(Page::new(vec![page]).next_url((page < 3).then(|| url(page + 1))))
    });
    assert_eq!(collect(Pages::new("list_items", fetch).items()).await.0, [1, 2, 3]);
    assert_eq!(log.lock().unwrap()[2], PageRequest::Url(url(3)));
    let (fetch, log) = fake(move |request| {
        let mut headers = reqwest::header::HeaderMap::new();
        if request.url().is_none() {
            let link = "<https://api.test/items?page=9>; rel=\"last\", <https://api.test/items?page=2>; rel=\"next\"";
            headers.insert(reqwest::header::LINK, link.parse().unwrap());
        }
        let page = if request.url().is_some() { 2 } else { 1 };
        Ok(Page::new(vec![page]).link_header(&headers))
    });
    assert_eq!(collect(Pages::new("list_items", fetch).items()).await.0, [1, 2]);
    assert_eq!(log.lock().unwrap()[1], PageRequest::Url("https://api.test/items?page=2".into()));
}

#[tokio::test]
async fn next_urls_are_resolved_against_the_base_and_followed_only_on_its_origin() {
    // Relative URLs (with and without a leading slash) resolve under the base URL.
    let (fetch, log) = fake(|request| {
        let next = match request {
            PageRequest::First => Some("items?page=2"),
            PageRequest::Url(url) if url.ends_with("page=2") => Some("/v1/items?page=3"),
            _ => None,
        };
        Ok(Page::new(vec![1]).next_url(next.map(str::to_owned)))
    });
    let pages = Pages::new("list_items", fetch).same_origin_as("https://api.test/v1");
    assert_eq!(collect(pages.items()).await.0, [1, 1, 1]);
    let requested = log.lock().unwrap().clone();
    let expected = ["https://api.test/v1/items?page=2", "https://api.test/v1/items?page=3"];
    assert_eq!(requested[1..], expected.map(|url| PageRequest::Url(url.into())));
    // Another host, scheme or port, or a scheme-relative URL, ends the stream unfetched.
    for foreign in
        ["https://evil.test/v1/items?token=secret", "http://api.test/v1/x", "https://api.test:8443/x", "//evil.test/x"]
    {
        let (fetch, log) = fake(move |_| Ok(Page::new(vec![7]).next_url(Some(foreign.to_owned()))));
        let (items, error) =
            collect(Pages::new("list_items", fetch).same_origin_as("https://api.test/v1").items()).await;
        assert_eq!((items, fetches(&log)), (vec![7], 1), "{foreign}");
        let Some(TestError::Pagination(error)) = error else { panic!("{foreign}: expected a pagination error") };
        assert_eq!((error.problem(), error.page()), (PaginationProblem::ForeignUrl, 1));
        let message = error.to_string();
        assert!(
            message.contains("another origin") && !message.contains("evil") && !message.contains("secret"),
            "{message}"
        );
    }
    // A base URL that does not parse follows no URL at all.
    let (fetch, log) = fake(|_| Ok(Page::new(vec![7]).next_url(Some("https://api.test/x".into()))));
    let (_, error) = collect(Pages::new("list_items", fetch).same_origin_as("not a url").items()).await;
    assert!(matches!(error, Some(TestError::Pagination(_))) && fetches(&log) == 1);
}

#[tokio::test]
async fn items_fetch_the_next_page_only_when_the_current_one_is_used_up() {
    let (fetch, log) = fake(endless_api());
    let mut items = Pages::new("list_items", fetch).items();
    assert_eq!(fetches(&log), 0);
    assert_eq!(items.next().await.unwrap().unwrap(), 0);
    assert_eq!(items.next().await.unwrap().unwrap(), 1);
    assert_eq!(fetches(&log), 1);
    assert_eq!(items.next().await.unwrap().unwrap(), 2);
    assert_eq!(fetches(&log), 2);
}

#[tokio::test]
async fn a_repeated_token_ends_the_stream_with_an_error_that_hides_it() {
    let (fetch, log) = fake(|_| Ok(Page::new(vec![7]).next_cursor(Some("secret-token".into()))));
    let (items, error) = collect(Pages::new("list_items", fetch).items()).await;
    assert_eq!(items, [7, 7]);
    assert_eq!(fetches(&log), 2);
    let Some(TestError::Pagination(error)) = error else { panic!("expected a pagination error") };
    assert_eq!((error.operation(), error.page()), ("list_items", 2));
    assert_eq!(error.problem(), PaginationProblem::RepeatedToken);
    let message = error.to_string();
    assert!(message.contains("`list_items`") && message.contains("repeated a page token"), "{message}");
    assert!(!message.contains("secret-token") && !format!("{error:?}").contains("secret-token"));
    assert_eq!(format!("{:?}", log.lock().unwrap()[1]), "Cursor(<12 bytes>)");
    // An API that ignores the last id it is given repeats it too.
    let (fetch, log) = fake(|_| Ok(Page::new(vec![1, 2]).has_more(true, |id| id.to_string())));
    let (items, error) = collect(Pages::new("list_items", fetch).items()).await;
    assert_eq!((items, fetches(&log)), (vec![1, 2, 1, 2], 2));
    assert!(matches!(error, Some(TestError::Pagination(_))));
}

#[tokio::test]
async fn max_pages_and_max_items_end_the_stream_cleanly() {
    let (fetch, log) = fake(endless_api());
    let (items, error) = collect(Pages::new("list_items", fetch).items().max_pages(3)).await;
    assert_eq!((items.len(), fetches(&log)), (6, 3));
    assert!(error.is_none());
    let (fetch, log) = fake(endless_api());
    let (items, error) = collect(Pages::new("list_items", fetch).items().max_items(5)).await;
    assert_eq!((items, fetches(&log)), (vec![0, 1, 2, 3, 4], 3));
    assert!(error.is_none());
    // Pages are never cut: the pages stream stops once the items have arrived.
    let (fetch, log) = fake(endless_api());
    let mut pages = Pages::new("list_items", fetch).max_items(3);
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.unwrap().items().len());
    }
    assert_eq!((sizes, fetches(&log)), (vec![2, 2], 2));
    let (fetch, log) = fake(endless_api());
    assert!(Pages::new("list_items", fetch).max_pages(0).next().await.is_none());
    assert_eq!(fetches(&log), 0);
}

#[tokio::test]
async fn a_failed_fetch_is_yielded_once_then_the_stream_ends() {
    let (fetch, log) = fake(|request| match request {
        PageRequest::First => Ok(Page::new(vec![1, 2]).next_cursor(Some("next".into()))),
        _ => Err(TestError::Api),
    });
    let (items, error) = collect(Pages::new("list_items", fetch).items()).await;
    assert_eq!(items, [1, 2]);
    assert!(matches!(error, Some(TestError::Api)));
    assert_eq!(fetches(&log), 2);
}

#[tokio::test]
async fn pages_carry_their_number_total_and_next_request_and_are_streams() {
    let (fetch, _) = fake(offset_api(3, 2, true));
    let mut pages = Pages::offsets("list_items", 0, Some(2), fetch);
    let first = poll_next(&mut pages).await.unwrap().unwrap();
    assert_eq!((first.number(), first.total_items(), first.items()), (1, Some(3), &[0, 1][..]));
    assert_eq!(first.next_request(), Some(&PageRequest::Offset { offset: 2, limit: Some(2) }));
    let last = poll_next(&mut pages).await.unwrap().unwrap();
    assert_eq!((last.number(), last.next_request(), last.items()), (2, None, &[2][..]));
    assert_eq!(last.into_items(), [2]);
    assert!(poll_next(&mut pages).await.is_none());
    let (fetch, _) = fake(cursor_api(vec![vec![1], vec![2]]));
    let mut items = Pages::new("list_items", fetch).items();
    assert_eq!(poll_next(&mut items).await.unwrap().unwrap(), 1);
    assert_send_unpin(&items);
    assert_send_unpin(&pages);
}

async fn poll_next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

fn assert_send_unpin<S: Stream + Send + Unpin>(_: &S) {}

#[derive(serde::Deserialize)]
struct Listing {
    data: Vec<u32>,
    next: Option<String>,
}

#[tokio::test]
async fn cursor_pages_over_http() {
    let server = MockServer::start().await;
    let page = |data: &[u32], next: Option<&str>| {
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "data": data, "next": next }))
    };
    let first = Mock::given(method("GET")).and(path("/items")).and(query_param_is_missing("cursor"));
    first.respond_with(page(&[1, 2], Some("c2"))).mount(&server).await;
    let second = Mock::given(method("GET")).and(path("/items")).and(query_param("cursor", "c2"));
    second.respond_with(page(&[3], None)).mount(&server).await;
    let (http, base) = (reqwest::Client::new(), server.uri());
    let mut items = Pages::new("list_items", move |request: PageRequest| {
        let mut call = http.get(format!("{base}/items"));
        if let Some(cursor) = request.cursor() {
            call = call.query(&[("cursor", cursor)]);
        }
        async move {
            let body: Listing = call.send().await?.error_for_status()?.json().await?;
            Ok::<_, TestError>(Page::new(body.data).next_cursor(body.next))
        }
    })
    .items();
    assert_eq!(items.next().await.unwrap().unwrap(), 1);
    assert_eq!(items.next().await.unwrap().unwrap(), 2);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_eq!(collect(items).await.0, [3]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn link_header_pages_over_http() {
    let server = MockServer::start().await;
    let next = format!("<{}/items?page=2>; rel=\"next\"", server.uri());
    let first = ResponseTemplate::new(200).insert_header("link", next.as_str()).set_body_json([1, 2]);
    Mock::given(path("/items")).and(query_param_is_missing("page")).respond_with(first).mount(&server).await;
    let second = ResponseTemplate::new(200).set_body_json([3]);
    Mock::given(path("/items")).and(query_param("page", "2")).respond_with(second).mount(&server).await;
    let (http, base) = (reqwest::Client::new(), server.uri());
    let pages = Pages::new("list_items", move |request: PageRequest| {
        let call = http.get(request.url().map_or(format!("{base}/items"), str::to_owned));
        async move {
            let response = call.send().await?.error_for_status()?;
            let headers = response.headers().clone();
            Ok::<_, TestError>(Page::new(response.json::<Vec<u32>>().await?).link_header(&headers))
        }
    });
    let (items, error) = collect(pages.items()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!((items, server.received_requests().await.unwrap().len()), (vec![1, 2, 3], 2));
}

fn link(target: &str, relations: &[&str]) -> Link {
    Link { target: target.into(), relations: relations.iter().map(|&relation| relation.into()).collect() }
}

#[test]
fn link_headers_are_parsed_per_rfc_8288() {
    let value = r#"<https://a.test/p?x=1,2>; rel="next last"; title="a, b; c", </p/1>;REL=Prev"#;
    assert_eq!(parse_link_header(value), [link("https://a.test/p?x=1,2", &["next", "last"]), link("/p/1", &["Prev"])]);
    assert!(parse_link_header(value)[1].has_relation("prev"));
    // Only the first `rel` counts; quoted strings may hold escaped quotes.
    let value = r#"<a>; title="say \"rel=next\""; rel="first" ; rel=next"#;
    assert_eq!(parse_link_header(value), [link("a", &["first"])]);
    // Malformed link values are skipped; none at all is no links.
    let value = r#"garbage; rel=next, <b> junk ; rel = "NEXT", <c"#;
    assert_eq!(parse_link_header(value), [link("b", &["NEXT"])]);
    assert_eq!(parse_link_header(""), []);
    assert_eq!(parse_link_header("<d>"), [link("d", &[])]);
}

#[test]
fn next_link_searches_every_link_header() {
    let mut headers = reqwest::header::HeaderMap::new();
    assert_eq!(next_link(&headers), None);
    headers.append("link", r#"<https://a.test/1>; rel="prev""#.parse().unwrap());
    headers.append("link", r#"<https://a.test/3>; rel="Next""#.parse().unwrap());
    assert_eq!(next_link(&headers).as_deref(), Some("https://a.test/3"));
}
