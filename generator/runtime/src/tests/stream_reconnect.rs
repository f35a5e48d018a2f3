//! Streams of server-sent events resuming on a new connection (`ItemStream::reconnect`), over
//! 127.0.0.1: the request sent again with `Last-Event-ID` and the credentials, only when asked,
//! only after an event id, within the attempts, after the server's `retry`, and after a clean
//! end only when the policy says so.
//!
//! A body cut off in the middle is something wiremock cannot send, so these tests use a tiny
//! HTTP/1.1 server written here that answers each connection from a script.

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::client::Client;
use crate::error::Error;
use crate::event_stream::{Framing, ItemStream, Reconnect};
use crate::retry::RetryPolicy;
use crate::transport::{Authenticate, OperationInfo};

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

const FOLLOW: OperationInfo = OperationInfo {
    id: "follow",
    method: "GET",
    path: "/follow",
    idempotent: true,
    decode_error: crate::api_error::decode_error_body,
    security: &[&[0]],
    request_id_property: None,
};

#[derive(Debug, PartialEq, Deserialize)]
struct Tick {
    n: u32,
}

/// How the server answers one connection.
#[derive(Clone, Copy)]
enum Answer {
    /// A successful event stream with this text, whose body then ends properly.
    Ends(&'static str),
    /// A successful event stream with this text, after which the connection is cut.
    Cut(&'static str),
    /// `503 Service Unavailable`.
    Unavailable,
}

/// What the server saw of each request: its `Last-Event-ID` and `X-Api-Key` header lines.
#[derive(Debug, Default, Clone, PartialEq)]
struct Seen {
    last_event_ids: Vec<String>,
    api_keys: Vec<String>,
}

/// Answers the connections to a new port from `script`, in order (the last answer repeats);
/// returns the base URL and what the server saw of each request.
fn serve(script: Vec<Answer>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for (number, socket) in listener.incoming().enumerate() {
            let mut socket = socket.expect("a connection");
            // Logged before the answer, which may end the test.
            log.lock().expect("the log").push(read_request(&socket));
            answer(&mut socket, script[number.min(script.len() - 1)]);
        }
    });
    (url, seen)
}

fn read_request(socket: &TcpStream) -> Seen {
    let mut reader = BufReader::new(socket.try_clone().expect("a socket"));
    let mut seen = Seen::default();
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 2 {
        let lower = line.to_ascii_lowercase();
        let value = line.split_once(':').map(|(_, value)| value.trim().to_string());
        if lower.starts_with("last-event-id:") {
            seen.last_event_ids.extend(value);
        } else if lower.starts_with("x-api-key:") {
            seen.api_keys.extend(value);
        }
        line.clear();
    }
    seen
}

fn answer(socket: &mut TcpStream, answer: Answer) {
    let (status, text, cut) = match answer {
        Answer::Ends(text) => ("200 OK", text, false),
        Answer::Cut(text) => ("200 OK", text, true),
        Answer::Unavailable => ("503 Service Unavailable", "", false),
    };
    let head = format!("HTTP/1.1 {status}\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n");
    let mut body = head.into_bytes();
    if !text.is_empty() {
        body.extend(format!("{:x}\r\n{text}\r\n", text.len()).into_bytes());
    }
    if !cut {
        body.extend(b"0\r\n\r\n");
    }
    let _ = socket.write_all(&body).and_then(|()| socket.flush());
    // Without the last chunk, closing the connection cuts the body off.
    let _ = socket.shutdown(Shutdown::Both);
}

fn client(url: &str) -> Client {
    Client::builder().base_url(url).retry_policy(RetryPolicy::none()).build().expect("a client")
}

/// The stream of `GET /follow`, with a `Last-Event-ID` of the caller's own.
async fn follow(client: &Client) -> ItemStream<Tick> {
    let request = client.transport.request(reqwest::Method::GET, FOLLOW.path).header("last-event-id", "0");
    let start = client.transport.send_stream(&Arc::new(ApiKey), &FOLLOW, request, "text/event-stream").await;
    start.expect("the head").items::<Tick>(Framing::Sse).terminator("[DONE]")
}

/// The ticks of a stream up to its end or its first error.
async fn drain(mut stream: ItemStream<Tick>) -> (Vec<u32>, Option<Error>) {
    let mut ticks = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(tick) => ticks.push(tick.n),
            Err(error) => return (ticks, Some(error)),
        }
    }
    (ticks, None)
}

fn quick() -> Reconnect {
    Reconnect::new().delay(Duration::from_millis(10))
}

const FIRST_CUT: &str = "id: 1\ndata: {\"n\": 1}\n\nid: 2\ndata: {\"n\": 2}\n\nid: 3\ndata: {\"n\"";
const REST: &str = "id: 3\ndata: {\"n\": 3}\n\nid: 4\ndata: {\"n\": 4}\n\ndata: [DONE]\n\n";

fn seen(log: &Mutex<Vec<Seen>>) -> Vec<Seen> {
    log.lock().expect("the log").clone()
}

#[tokio::test]
async fn a_cut_body_resumes_after_the_last_event_id_with_the_credentials() {
    let (url, log) = serve(vec![Answer::Cut(FIRST_CUT), Answer::Ends(REST)]);
    let (ticks, error) = drain(follow(&client(&url)).await.reconnect(quick())).await;
    assert_eq!(ticks, [1, 2, 3, 4]);
    assert!(error.is_none(), "{error:?}");
    let seen = seen(&log);
    assert_eq!(seen.len(), 2);
    // The caller's own header is replaced, not repeated.
    assert_eq!(seen[0].last_event_ids, ["0"]);
    assert_eq!(seen[1].last_event_ids, ["2"]);
    assert!(seen.iter().all(|request| request.api_keys == ["key-7"]), "{seen:?}");
}

#[tokio::test]
async fn without_reconnect_a_cut_body_is_an_error_that_ends_the_stream() {
    let (url, log) = serve(vec![Answer::Cut(FIRST_CUT), Answer::Ends(REST)]);
    let (ticks, error) = drain(follow(&client(&url)).await).await;
    assert_eq!(ticks, [1, 2]);
    assert!(matches!(error, Some(Error::Transport(_))), "{error:?}");
    assert_eq!(seen(&log).len(), 1);
}

#[tokio::test]
async fn a_stream_without_event_ids_does_not_resume() {
    let (url, log) = serve(vec![Answer::Cut("data: {\"n\": 1}\n\ndata: {"), Answer::Ends(REST)]);
    let (ticks, error) = drain(follow(&client(&url)).await.reconnect(quick())).await;
    assert_eq!(ticks, [1]);
    assert!(matches!(error, Some(Error::Transport(_))), "{error:?}");
    assert_eq!(seen(&log).len(), 1);
}

#[tokio::test]
async fn the_last_failure_is_handed_over_when_the_attempts_run_out() {
    let (url, log) = serve(vec![Answer::Cut("id: 1\ndata: {\"n\": 1}\n\n"), Answer::Unavailable]);
    let stream = follow(&client(&url)).await.reconnect(quick().max_attempts(2));
    let (ticks, error) = drain(stream).await;
    assert_eq!(ticks, [1]);
    assert!(matches!(error, Some(Error::UnexpectedStatus { .. } | Error::Api { .. })), "{error:?}");
    let seen = seen(&log);
    assert_eq!(seen.len(), 3, "one call and two reconnections");
    assert_eq!(seen[2].last_event_ids, ["1"]);
}

#[tokio::test]
async fn an_item_between_failures_starts_the_count_of_attempts_again() {
    let again = "id: 1\ndata: {\"n\": 1}\n\n";
    let script = vec![Answer::Cut(again), Answer::Cut(again), Answer::Cut(again), Answer::Ends("data: [DONE]\n\n")];
    let (url, log) = serve(script);
    let (ticks, error) = drain(follow(&client(&url)).await.reconnect(quick().max_attempts(1))).await;
    assert_eq!(ticks, [1, 1, 1]);
    assert!(error.is_none(), "{error:?}");
    assert_eq!(seen(&log).len(), 4);
}

#[tokio::test]
async fn the_wait_is_the_servers_retry_capped_by_the_policy() {
    // The policy's own delay would take a minute: the server's 20 ms is what is waited.
    let cut = "retry: 20\nid: 1\ndata: {\"n\": 1}\n\n";
    let (url, _) = serve(vec![Answer::Cut(cut), Answer::Ends(REST)]);
    let started = Instant::now();
    let policy = Reconnect::new().delay(Duration::from_secs(60));
    let (ticks, _) = drain(follow(&client(&url)).await.reconnect(policy)).await;
    assert_eq!(ticks, [1, 3, 4]);
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());

    // A server asking for an hour waits no longer than the policy's cap.
    let cut = "retry: 3600000\nid: 1\ndata: {\"n\": 1}\n\n";
    let (url, _) = serve(vec![Answer::Cut(cut), Answer::Ends(REST)]);
    let started = Instant::now();
    let policy = Reconnect::new().max_delay(Duration::from_millis(20));
    let (ticks, _) = drain(follow(&client(&url)).await.reconnect(policy)).await;
    assert_eq!(ticks, [1, 3, 4]);
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_clean_end_resumes_only_when_the_policy_says_so() {
    let first = "id: 1\ndata: {\"n\": 1}\n\n";
    let (url, log) = serve(vec![Answer::Ends(first), Answer::Ends(REST)]);
    let (ticks, error) = drain(follow(&client(&url)).await.reconnect(quick())).await;
    assert_eq!((ticks, error.is_none()), (vec![1], true));
    assert_eq!(seen(&log).len(), 1);

    let (url, log) = serve(vec![Answer::Ends(first), Answer::Ends(REST)]);
    let (ticks, error) = drain(follow(&client(&url)).await.reconnect(quick().after_end(true))).await;
    assert_eq!((ticks, error.is_none()), (vec![1, 3, 4], true));
    assert_eq!(seen(&log)[1].last_event_ids, ["1"]);
}

#[tokio::test]
async fn streams_of_other_framings_do_not_resume() {
    let (url, log) = serve(vec![Answer::Cut("{\"n\": 1}\n{\"n\""), Answer::Ends("{\"n\": 2}\n")]);
    let client = client(&url);
    let request = client.transport.request(reqwest::Method::GET, FOLLOW.path);
    let start = client.transport.send_stream(&Arc::new(ApiKey), &FOLLOW, request, "application/x-ndjson").await;
    let stream = start.expect("the head").items::<Tick>(Framing::JsonLines).reconnect(quick());
    let (ticks, error) = drain(stream).await;
    assert_eq!(ticks, [1]);
    assert!(matches!(error, Some(Error::Transport(_))), "{error:?}");
    assert_eq!(seen(&log).len(), 1);
}
