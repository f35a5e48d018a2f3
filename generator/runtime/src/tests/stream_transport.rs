//! Streamed responses through the send loop, over 127.0.0.1: the client's timeout bounds the wait
//! for the head but never cuts a body that lasts longer; retries up to the head; error statuses
//! decoded as other calls decode them; credentials and `Accept`; the slot of
//! `max_concurrent_calls` freed at the head; and a body with its stream flag set.
//!
//! wiremock sends a whole response at once, so the tests of timing use a tiny HTTP/1.1 server
//! written here, which sends an event stream's chunks with pauses between them.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::client::Client;
use crate::error::Error;
use crate::event_stream::{Framing, SseEvent};
use crate::retry::RetryPolicy;
use crate::transport::{Authenticate, OperationInfo, ResponseInfo};
use crate::transport_stream::{with_flag, StreamStart};

/// The credentials of these tests: an API key, sent as `X-Api-Key`.
struct ApiKey;

impl Authenticate for ApiKey {
    const SETTERS: &'static [&'static str] = &["api_key"];

    fn is_set(&self, credential: usize) -> bool {
        credential == 0
    }

    async fn apply(&self, credentials: &[usize], request: &mut reqwest::Request) -> Result<(), Error> {
        if credentials.contains(&0) {
            request.headers_mut().insert("x-api-key", reqwest::header::HeaderValue::from_static("key-7"));
        }
        Ok(())
    }
}

/// `GET /watch`, idempotent: an event stream.
const WATCH: OperationInfo = OperationInfo {
    id: "watch",
    method: "GET",
    path: "/watch",
    idempotent: true,
    decode_error: crate::api_error::decode_error_body,
    security: &[&[0]],
    request_id_property: None,
};

/// `POST /complete`, not idempotent: a stream when the body's `stream` is true.
const COMPLETE: OperationInfo =
    OperationInfo { id: "complete", method: "POST", path: "/complete", idempotent: false, ..WATCH };

#[derive(Debug, PartialEq, Deserialize)]
struct Tick {
    n: u32,
}

async fn watch(client: &Client) -> Result<StreamStart, Error> {
    let request = client.transport.request(reqwest::Method::GET, WATCH.path);
    client.transport.send_stream(&Arc::new(ApiKey), &WATCH, request, "text/event-stream").await
}

/// Every item of a stream of ticks, failing the test if one is an error.
async fn ticks(start: StreamStart) -> Vec<u32> {
    let mut stream = start.items::<Tick>(Framing::Sse).terminator("[DONE]");
    let mut ticks = Vec::new();
    while let Some(item) = stream.next().await {
        ticks.push(item.expect("a tick").n);
    }
    ticks
}

/// What the hand-written server does with each connection.
#[derive(Clone, Copy)]
enum Serve {
    /// Sends the head, then `count` events `gap` apart, then ends the body.
    Events { count: u32, gap: Duration },
    /// Sends the head and one event, then keeps the body open until the test ends.
    OneThenHold,
    /// Reads the request and never answers.
    Silence,
    /// Sends a `400` head and the start of its body, then keeps the body open.
    ErrorThenHold,
}

/// Serves every connection to a new port as told, each on its own thread, until the returned
/// sender is dropped; returns the base URL.
fn serve(how: Serve) -> (String, mpsc::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let (keep, held) = mpsc::channel::<()>();
    let held = Arc::new(Mutex::new(held));
    std::thread::spawn(move || {
        for socket in listener.incoming() {
            let held = held.clone();
            std::thread::spawn(move || answer(socket.expect("a connection"), how, &held));
        }
    });
    (url, keep)
}

fn answer(mut socket: TcpStream, how: Serve, held: &Mutex<mpsc::Receiver<()>>) {
    let mut reader = BufReader::new(socket.try_clone().expect("a socket"));
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 2 {
        line.clear();
    }
    // Waits until the test drops its sender (a closed channel ends `recv`).
    let hold = || drop(held.lock().map(|receiver| receiver.recv()));
    if let Serve::Silence = how {
        return hold();
    }
    let status = if let Serve::ErrorThenHold = how { "400 Bad Request" } else { "200 OK" };
    let head = format!("HTTP/1.1 {status}\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n");
    let _ = socket.write_all(head.as_bytes());
    let mut send = |text: &str| {
        let chunk = format!("{:x}\r\n{text}\r\n", text.len());
        socket.write_all(chunk.as_bytes()).and_then(|()| socket.flush()).is_ok()
    };
    match how {
        Serve::Events { count, gap } => {
            for n in 1..=count {
                std::thread::sleep(gap);
                if !send(&format!("data: {{\"n\": {n}}}\n\n")) {
                    return;
                }
            }
            send("");
        }
        Serve::OneThenHold => {
            send("data: {\"n\": 1}\n\n");
            hold();
        }
        Serve::ErrorThenHold => {
            send("{\"code\": ");
            hold();
        }
        Serve::Silence => {}
    }
}

fn short_timeout_client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client")
}

#[tokio::test]
async fn a_stream_outlasting_the_timeout_and_the_deadline_is_not_cut_off() {
    let (url, _keep) = serve(Serve::Events { count: 5, gap: Duration::from_millis(200) });
    // The body takes a second; the timeout is 300 ms and the call's deadline 500 ms.
    let client = Client::builder()
        .base_url(&url)
        .timeout(Duration::from_millis(300))
        .deadline(Duration::from_millis(500))
        .build()
        .expect("a client");
    let started = Instant::now();
    let start = watch(&client).await.expect("the head");
    assert_eq!(ticks(start).await, [1, 2, 3, 4, 5]);
    assert!(started.elapsed() >= Duration::from_millis(1000), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_head_that_never_comes_times_out() {
    let (url, _keep) = serve(Serve::Silence);
    let client = short_timeout_client(&url);
    let started = Instant::now();
    let waited = tokio::time::timeout(Duration::from_secs(5), watch(&client)).await;
    let error = waited.expect("the client's timeout ended the wait").expect_err("no head");
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        matches!(error, Error::DeadlineExceeded { deadline, attempts: 1, .. } if deadline == Duration::from_millis(300)),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

#[tokio::test]
async fn the_body_of_an_error_status_is_read_within_the_timeout() {
    let (url, _keep) = serve(Serve::ErrorThenHold);
    let waited = tokio::time::timeout(Duration::from_secs(5), watch(&short_timeout_client(&url))).await;
    let error = waited.expect("the client's timeout ended the read").expect_err("a 400 that never ends");
    assert!(matches!(error, Error::DeadlineExceeded { attempts: 1, .. }), "{error:?}");
}

#[tokio::test]
async fn an_open_stream_does_not_hold_a_slot_of_the_concurrency_cap() {
    let (url, _keep) = serve(Serve::OneThenHold);
    let client = Client::builder().base_url(&url).max_concurrent_calls(1).build().expect("a client");
    let mut first = watch(&client).await.expect("the first head").items::<Tick>(Framing::Sse);
    assert_eq!(first.next().await.expect("an item").expect("a tick"), Tick { n: 1 });
    // The first stream is still open: the second call gets the only slot all the same.
    let second = tokio::time::timeout(Duration::from_secs(5), watch(&client)).await.expect("a free slot");
    let mut second = second.expect("the second head").items::<Tick>(Framing::Sse);
    assert_eq!(second.next().await.expect("an item").expect("a tick"), Tick { n: 1 });
}

#[tokio::test]
async fn a_server_error_is_retried_and_the_stream_then_arrives_with_credentials_and_accept() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    let body = "data: {\"n\": 1}\n\ndata: {\"n\": 2}\n\ndata: [DONE]\n\n";
    Mock::given(method("GET"))
        .and(path("/watch"))
        .and(header("x-api-key", "key-7"))
        .and(header("accept", "text/event-stream"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-5")
                .set_body_raw(body.as_bytes(), "text/event-stream"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder()
        .base_url(server.uri())
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .on_response({
            let seen = seen.clone();
            move |info: &ResponseInfo<'_>| {
                let entry = (info.status.map(|status| status.as_u16()), info.request_id.map(str::to_string));
                seen.lock().expect("not poisoned").push((entry, info.attempts, info.succeeded));
            }
        })
        .build()
        .expect("a client");

    let start = watch(&client).await.expect("the head after a retry");

    assert_eq!(format!("{start:?}"), "StreamStart { status: 200, request_id: Some(\"req-5\"), .. }");
    assert_eq!(ticks(start).await, [1, 2]);
    assert_eq!(*seen.lock().expect("not poisoned"), [((Some(200), Some("req-5".to_string())), 2, true)]);
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|request| request.headers["accept"] == "text/event-stream"));
    assert!(requests.iter().all(|request| request.headers["x-api-key"] == "key-7"));
}

#[tokio::test]
async fn error_statuses_are_read_and_decoded_as_other_calls_decode_them() {
    let server = MockServer::start().await;
    let error_body = json!({"code": "NOT_ALLOWED", "message": "no", "request_id": "req-3"});
    Mock::given(path("/watch"))
        .respond_with(ResponseTemplate::new(403).set_body_json(error_body))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/watch"))
        .respond_with(ResponseTemplate::new(404).insert_header("retry-after", "7").set_body_string("<p>gone</p>"))
        .mount(&server)
        .await;
    let client = short_timeout_client(&server.uri());

    let api = watch(&client).await.expect_err("a 403");
    let unexpected = watch(&client).await.expect_err("a 404");

    let Error::Api { status, error, request_id, .. } = &api else { panic!("{api:?}") };
    assert_eq!((status.as_u16(), error.code.as_str(), request_id.as_deref()), (403, "NOT_ALLOWED", Some("req-3")));
    let Error::UnexpectedStatus { status, retry_after, body, .. } = &unexpected else { panic!("{unexpected:?}") };
    assert_eq!((status.as_u16(), *retry_after), (404, Some(Duration::from_secs(7))));
    assert_eq!(body.bytes(), b"<p>gone</p>");
}

#[tokio::test]
async fn untyped_events_are_handed_out_as_they_came() {
    let server = MockServer::start().await;
    let body = "event: ping\nid: 4\ndata: hello\n\n";
    Mock::given(path("/watch"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.as_bytes(), "text/event-stream"))
        .mount(&server)
        .await;
    let mut events = watch(&short_timeout_client(&server.uri())).await.expect("the head").events();
    let event: SseEvent = events.next().await.expect("an event").expect("an event");
    assert_eq!((event.event.as_deref(), event.id.as_deref(), event.data.as_str()), (Some("ping"), Some("4"), "hello"));
    assert!(events.next().await.is_none());
}

#[test]
fn the_flag_overrides_the_body_s_own_value_and_keeps_the_rest() {
    let body = json!({"model": "m-1", "stream": false, "messages": [{"role": "user"}]});
    let sent = serde_json::to_value(with_flag(&body, "stream", true)).expect("an object");
    assert_eq!(sent, json!({"model": "m-1", "stream": true, "messages": [{"role": "user"}]}));
    let sent = serde_json::to_value(with_flag(&json!({"model": "m-1"}), "stream", false)).expect("an object");
    assert_eq!(sent, json!({"model": "m-1", "stream": false}));
    let error = serde_json::to_value(with_flag(&json!([1, 2]), "stream", true)).expect_err("not an object");
    assert_eq!(error.to_string(), "the request body is not a JSON object, so it cannot hold `stream`");
}

#[tokio::test]
async fn a_body_with_its_flag_set_is_sent_once_and_one_that_is_no_object_is_not_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/complete"))
        .and(body_json(json!({"prompt": "hi", "stream": true})))
        .respond_with(ResponseTemplate::new(200).set_body_raw(&b"data: {\"n\": 9}\n\n"[..], "text/event-stream"))
        .expect(1)
        .mount(&server)
        .await;
    let client = short_timeout_client(&server.uri());
    let client = &client;
    let complete = |body: serde_json::Value| {
        let request =
            client.transport.request(reqwest::Method::POST, COMPLETE.path).json(&with_flag(&body, "stream", true));
        async move { client.transport.send_stream(&Arc::new(ApiKey), &COMPLETE, request, "text/event-stream").await }
    };

    assert_eq!(ticks(complete(json!({"prompt": "hi", "stream": false})).await.expect("a stream")).await, [9]);
    let error = complete(json!("hi")).await.expect_err("not an object");

    assert!(matches!(&error, Error::Transport(inner) if inner.is_builder()), "{error:?}");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1, "the second body was not sent");
}

#[test]
fn a_streamed_call_can_be_spawned() {
    fn spawnable<F: std::future::Future + Send + 'static>(_: F) {}
    let client = Client::builder().base_url("http://127.0.0.1:9").build().expect("a client");
    spawnable(async move { watch(&client).await.map(|start| start.items::<Tick>(Framing::Sse)) });
}
