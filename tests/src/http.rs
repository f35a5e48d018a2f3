//! What a wiremock server received, and responders the tests share.

use std::fmt::Debug;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Mounts `response` for every `verb route` request (`route` as it is on the wire, percent-encoded).
pub async fn answer(server: &MockServer, verb: &str, route: &str, response: impl Respond + 'static) {
    Mock::given(method(verb)).and(path(route)).respond_with(response).mount(server).await;
}

/// Starts a server that expects exactly one request, `verb route`, and answers it with `response`.
/// The expectation is checked when the server is dropped.
pub async fn server_answering_once(verb: &str, route: &str, response: impl Respond + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb)).and(path(route)).respond_with(response).expect(1).mount(&server).await;
    server
}

/// Every request the server received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

/// How many requests the server has received so far.
pub async fn requests_seen(server: &MockServer) -> usize {
    received(server).await.len()
}

/// The single request the server received, failing if there were none or several.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:?}");
    requests.remove(0)
}

/// Awaits `call`, which must succeed, and returns the single request the server received.
pub async fn sent_by<T, E: Debug>(server: &MockServer, call: impl Future<Output = Result<T, E>>) -> Request {
    call.await.expect("the call succeeds");
    only_request(server).await
}

/// The decoded query pairs of a request, in order.
pub fn query_pairs(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// Owned copies of `expected`, to compare with [`query_pairs`].
pub fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The values a request has for header `name`, in order.
pub fn header_values(request: &Request, name: &str) -> Vec<String> {
    request.headers.get_all(name).iter().map(|v| v.to_str().expect("header value is text").to_string()).collect()
}

/// The value of header `name`, if the request has it (failing if it has several).
#[track_caller]
pub fn header(request: &Request, name: &str) -> Option<String> {
    let mut values = header_values(request, name);
    assert!(values.len() <= 1, "expected at most one `{name}` header, got {values:?}");
    values.pop()
}

/// The single value of header `name`, failing if it was absent or repeated.
#[track_caller]
pub fn single_header<'r>(request: &'r Request, name: &str) -> &'r str {
    let values: Vec<_> = request.headers.get_all(name).iter().collect();
    assert_eq!(values.len(), 1, "expected exactly one `{name}` header, got {values:?}");
    values[0].to_str().expect("header value is text")
}

/// Answers the n-th request with the n-th response, and every request after the last with the
/// last one.
pub struct Sequence {
    responses: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl Sequence {
    /// A sequence of at least one response.
    pub fn new(responses: impl IntoIterator<Item = ResponseTemplate>) -> Self {
        let responses: Vec<_> = responses.into_iter().collect();
        assert!(!responses.is_empty(), "a sequence needs a response");
        Sequence { responses, next: AtomicUsize::new(0) }
    }
}

impl Respond for Sequence {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let index = self.next.fetch_add(1, Ordering::SeqCst);
        self.responses[index.min(self.responses.len() - 1)].clone()
    }
}

/// A port on 127.0.0.1 that nothing listens on: a connection to it is refused.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    // The listener is dropped on return, so nothing listens on the port any more.
    listener.local_addr().expect("a bound listener has an address").port()
}
