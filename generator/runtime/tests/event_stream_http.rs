//! Typed item streams over real HTTP on 127.0.0.1: items are handed out while the body is still
//! arriving, the terminator, a body cut off midway, and the media type choosing the framing.
//!
//! wiremock delays a whole response, not parts of it, so the incremental tests use a tiny
//! HTTP/1.1 server written here, which sends the body in chunks, as told, step by step.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use client_runtime::event_stream::{Framing, ItemStream};
use client_runtime::Error;
use serde::Deserialize;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, PartialEq, Deserialize)]
struct Tick {
    n: u32,
}

/// What the hand-written server does next with the body.
enum Step {
    /// Sends bytes as one chunk.
    Send(Vec<u8>),
    /// Waits until the test says to go on.
    Wait,
    Sleep(Duration),
    /// Sends the chunk that ends the body.
    End,
    /// Starts a chunk of 100 bytes, sends a few, and closes the connection.
    CutOff,
}

fn send(text: &str) -> Step {
    Step::Send(text.as_bytes().to_vec())
}

/// Serves one request with a chunked body made by `steps`; returns the base URL and the sender
/// that lets a [`Step::Wait`] go on.
fn serve(content_type: &'static str, steps: Vec<Step>) -> (String, mpsc::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let url = format!("http://{}/stream", listener.local_addr().unwrap());
    let (go_on, wait) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().expect("the client connects");
        let mut reader = BufReader::new(socket.try_clone().unwrap());
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 2 {
            line.clear();
        }
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\nx-request-id: req-42\r\n\r\n"
        );
        socket.write_all(head.as_bytes()).unwrap();
        for step in steps {
            match step {
                Step::Send(bytes) => {
                    socket.write_all(format!("{:x}\r\n", bytes.len()).as_bytes()).unwrap();
                    socket.write_all(&bytes).unwrap();
                    socket.write_all(b"\r\n").unwrap();
                }
                // The test ends without saying when it failed; then so does the server.
                Step::Wait if wait.recv().is_err() => return,
                Step::Wait => {}
                Step::Sleep(time) => std::thread::sleep(time),
                Step::End => socket.write_all(b"0\r\n\r\n").unwrap(),
                Step::CutOff => {
                    socket.write_all(b"64\r\n{\"n\":").unwrap();
                    break;
                }
            }
            socket.flush().unwrap();
        }
    });
    (url, go_on)
}

/// The next item, failing the test if it does not come within five seconds (as it would not
/// if the stream waited for the body to end).
async fn next_soon<T>(stream: &mut ItemStream<T>) -> Option<Result<T, Error>> {
    tokio::time::timeout(Duration::from_secs(5), stream.next()).await.expect("the item came while the body was open")
}

#[tokio::test]
async fn items_arrive_before_the_body_ends() {
    let cases = [
        ("text/event-stream", ["data: {\"n\": 1}\n\n", "id: 2\ndata: {\"n\"", ": 2}\n\n"]),
        ("application/x-ndjson", ["{\"n\": 1}\n", "{\"n\"", ": 2}\r\n"]),
        ("application/json-seq", ["\x1E{\"n\": 1}\n", "\x1E{\n \"n\"", ": 2\n}\n"]),
    ];
    for (content_type, [first, second_start, second_end]) in cases {
        let pause = Step::Sleep(Duration::from_millis(30));
        let steps = vec![send(first), Step::Wait, pause, send(second_start), Step::Wait, send(second_end), Step::End];
        let (url, go_on) = serve(content_type, steps);
        let response = reqwest::get(&url).await.unwrap();
        let framing = Framing::of_media_type(response.headers()["content-type"].to_str().unwrap()).unwrap();
        let mut stream = ItemStream::<Tick>::new(response, framing);
        assert_eq!(stream.request_id(), Some("req-42"));
        // The server sends nothing more until told: the first item must come on its own.
        assert_eq!(next_soon(&mut stream).await.unwrap().unwrap(), Tick { n: 1 }, "{content_type}");
        go_on.send(()).unwrap();
        // Half an item is not an item: the stream waits for the rest.
        let waiting = tokio::time::timeout(Duration::from_millis(300), stream.next()).await;
        assert!(waiting.is_err(), "{content_type}: an item from half a frame");
        go_on.send(()).unwrap();
        assert_eq!(next_soon(&mut stream).await.unwrap().unwrap(), Tick { n: 2 }, "{content_type}");
        assert!(next_soon(&mut stream).await.is_none());
        if framing == Framing::Sse {
            assert_eq!(stream.last_event_id(), Some("2"));
        }
    }
}

#[tokio::test]
async fn a_body_cut_off_is_an_error_that_ends_the_stream() {
    let (url, _go_on) = serve("application/x-ndjson", vec![send("{\"n\": 1}\n"), Step::CutOff]);
    let mut stream = ItemStream::<Tick>::new(reqwest::get(&url).await.unwrap(), Framing::JsonLines);
    assert_eq!(next_soon(&mut stream).await.unwrap().unwrap(), Tick { n: 1 });
    let error = next_soon(&mut stream).await.unwrap().unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(next_soon(&mut stream).await.is_none());
}

#[tokio::test]
async fn the_terminator_over_http() {
    let server = MockServer::start().await;
    let body = "data: {\"n\": 1}\n\n: ping\n\ndata: {\"n\": 2}\n\ndata: [DONE]\n\ndata: {\"n\": 3}\n\n";
    let response = ResponseTemplate::new(200).insert_header("content-type", "text/event-stream").set_body_string(body);
    Mock::given(method("GET")).respond_with(response).mount(&server).await;
    let response = reqwest::get(server.uri()).await.unwrap();
    let mut stream = ItemStream::<Tick>::new(response, Framing::Sse).terminator("[DONE]");
    let mut ticks = Vec::new();
    while let Some(item) = stream.next().await {
        ticks.push(item.unwrap());
    }
    assert_eq!(ticks, [Tick { n: 1 }, Tick { n: 2 }]);
}

#[tokio::test]
async fn a_decode_error_over_http_names_the_request_and_item() {
    let server = MockServer::start().await;
    let body = "{\"n\": 1}\r\n\r\n{\"n\": \"SENTINEL-5150\"}\r\n{\"n\": 3}";
    let response = ResponseTemplate::new(200)
        .insert_header("content-type", "application/x-ndjson")
        .insert_header("x-request-id", "req-7")
        .set_body_string(body);
    Mock::given(method("GET")).respond_with(response).mount(&server).await;
    let mut stream = ItemStream::<Tick>::new(reqwest::get(server.uri()).await.unwrap(), Framing::JsonLines);
    assert_eq!(stream.next().await.unwrap().unwrap(), Tick { n: 1 });
    let error = stream.next().await.unwrap().unwrap_err();
    assert_eq!(error.request_id(), Some("req-7"));
    let (shown, debug) = (error.to_string(), format!("{error:?}"));
    assert!(shown.contains("item 1") && shown.contains("req-7"), "{shown}");
    assert!(!shown.contains("SENTINEL") && !debug.contains("SENTINEL"), "{shown}\n{debug}");
    assert_eq!(stream.next().await.unwrap().unwrap(), Tick { n: 3 });
    assert!(stream.next().await.is_none());
}
