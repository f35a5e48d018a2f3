//! The request for a next page's URL: built only for URLs on the base URL's origin, with the
//! client's user agent and timeout.

use crate::client::Client;
use crate::error::Error;
use crate::pages::PaginationProblem;

fn client() -> Client {
    Client::builder().base_url("https://api.test/v1").api_key("key").build().expect("a valid client")
}

#[test]
fn a_next_page_on_the_base_origin_is_requested_with_the_clients_settings() {
    let transport = client().transport;
    for (url, expected) in [
        ("https://api.test/v1/items?page=2", "https://api.test/v1/items?page=2"),
        ("/v1/items?page=2", "https://api.test/v1/items?page=2"),
        ("items?page=2", "https://api.test/v1/items?page=2"),
        ("https://api.test/other", "https://api.test/other"),
    ] {
        let request = transport.page_request("list_items", url).expect("same origin").build().expect("a request");
        assert_eq!((request.method().as_str(), request.url().as_str()), ("GET", expected));
        assert!(request.headers().contains_key(reqwest::header::USER_AGENT) && request.timeout().is_some());
    }
}

#[test]
fn a_next_page_elsewhere_is_refused() {
    let transport = client().transport;
    for url in ["https://evil.test/v1/items", "http://api.test/v1/items", "//evil.test/v1", "https://api.test:444/v1"] {
        match transport.page_request("list_items", url) {
            Err(Error::Pagination(error)) => {
                assert_eq!((error.problem(), error.operation()), (PaginationProblem::ForeignUrl, "list_items"));
            }
            other => panic!("{url}: {other:?}"),
        }
    }
}
