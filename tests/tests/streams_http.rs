//! The `streams` fixture's client against wiremock on 127.0.0.1: streamed answers come back as
//! typed items (server-sent events, JSON lines, JSON text sequences), a terminator ends the
//! stream, an item that does not decode is an error naming it and the stream goes on, the
//! stream flag is set on the wire, errors before the stream are the usual ones, and a stream
//! set to reconnect sends its request again with `Last-Event-ID` (only then).
//! (That an item is handed over before the body ends is the runtime's test,
//! `generator/runtime/tests/event_stream_http.rs`, against a server that sends slowly.)

use fixture_streams::types::{ChangeKind, ChatRequest, CompleteRequest, FollowJobLogParams, WatchChangesParams};
use fixture_streams::{Client, Error, ItemStream, Reconnect};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "key-streams-1";

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).api_key(KEY).build().expect("builds")
}

fn replying(media_type: &str, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("content-type", media_type).set_body_string(body)
}

/// Every item of a stream, in order.
async fn all<T>(mut stream: ItemStream<T>) -> Vec<Result<T, Error>> {
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item);
    }
    items
}

#[tokio::test]
async fn a_chat_streams_its_chunks_until_done_with_the_flag_set() {
    let server = MockServer::start().await;
    let events = "data: {\"delta\":\"Hel\",\"index\":0}\n\n: a comment\n\ndata: {\"delta\":\"lo\",\"index\":1}\n\ndata: [DONE]\n\ndata: {\"delta\":\"never read\"}\n\n";
    Mock::given(method("POST"))
        .and(path("/chat"))
        .and(header("accept", "text/event-stream"))
        .and(header("x-api-key", KEY))
        .and(body_json(json!({"prompt": "hi", "stream": true})))
        .respond_with(replying("text/event-stream", events))
        .expect(1)
        .mount(&server)
        .await;
    // The caller's `stream: false` is overruled: this method asks for the stream.
    let request = ChatRequest::builder().prompt("hi").stream(false).build().unwrap();
    let chunks = all(client(&server).chat_stream(&request).await.unwrap()).await;
    let deltas: Vec<String> = chunks.into_iter().map(|chunk| chunk.unwrap().delta).collect();
    assert_eq!(deltas, ["Hel", "lo"]);
}

#[tokio::test]
async fn the_same_operation_still_answers_json_through_its_plain_method() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"text": "Hello"})))
        .mount(&server)
        .await;
    let request = ChatRequest::builder().prompt("hi").build().unwrap();
    assert_eq!(client(&server).chat(&request).await.unwrap().text, "Hello");
}

#[tokio::test]
async fn an_item_that_does_not_decode_is_named_and_the_stream_goes_on() {
    let server = MockServer::start().await;
    let events = "event: chunk\ndata: {\"delta\": 7, \"secret\": \"SENTINEL-41\"}\n\ndata: {\"delta\":\"ok\"}\n\ndata: [DONE]\n\n";
    Mock::given(path("/chat")).respond_with(replying("text/event-stream", events)).mount(&server).await;
    let request = ChatRequest::builder().prompt("hi").build().unwrap();
    let items = all(client(&server).chat_stream(&request).await.unwrap()).await;
    assert_eq!(items.len(), 2);
    let error = items[0].as_ref().unwrap_err();
    let Error::StreamItem(item) = error else { panic!("{error:?}") };
    assert_eq!((item.index, item.event.as_deref(), item.path.as_str()), (0, Some("chunk"), "delta"));
    let (shown, debug) = (error.to_string(), format!("{error:?}"));
    assert!(!shown.contains("SENTINEL-41") && !debug.contains("SENTINEL-41"), "{shown}\n{debug}");
    assert_eq!(items[1].as_ref().unwrap().delta, "ok");
}

#[tokio::test]
async fn errors_before_the_stream_are_the_operations_errors_and_bad_requests_are_not_sent() {
    let server = MockServer::start().await;
    Mock::given(path("/chat"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"message": "too long"})))
        .mount(&server)
        .await;
    let request = ChatRequest::builder().prompt("hi").build().unwrap();
    let error = client(&server).chat_stream(&request).await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(400), "{error:?}");
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    // An empty prompt breaks `minLength: 1`: refused before sending.
    let empty = CompleteRequest::builder().text("").build();
    assert!(empty.is_err(), "the builder checks the request");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn raw_events_keep_their_type_id_and_data() {
    let server = MockServer::start().await;
    let events = "event: info\nid: 1\ndata: started\n\nevent: warn\nid: 2\ndata: disk\ndata: almost full\n\n";
    Mock::given(method("GET"))
        .and(path("/jobs/j%201/log"))
        .respond_with(replying("text/event-stream", events))
        .mount(&server)
        .await;
    let params = FollowJobLogParams::builder().job_id("j 1").build().unwrap();
    let mut stream = client(&server).follow_job_log(&params).await.unwrap();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(
        (first.event.as_deref(), first.id.as_deref(), first.data.as_str()),
        (Some("info"), Some("1"), "started")
    );
    let second = stream.next().await.unwrap().unwrap();
    assert_eq!((second.event_type(), second.data.as_str()), ("warn", "disk\nalmost full"));
    assert_eq!(stream.last_event_id(), Some("2"));
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn json_lines_and_json_sequences_are_typed_items() {
    let server = MockServer::start().await;
    let lines = "{\"id\":\"a\",\"kind\":\"added\"}\r\n\n{\"id\":\"b\",\"kind\":\"archived\"}\n";
    Mock::given(path("/watch"))
        .and(query_param("since", "5"))
        .and(header("accept", "application/x-ndjson"))
        .respond_with(replying("application/x-ndjson", lines))
        .mount(&server)
        .await;
    let sequence = "\u{1e}{\"id\":1,\"owner\":\"Ada\"}\n\u{1e}{\"id\":2}\n";
    Mock::given(path("/export")).respond_with(replying("application/json-seq", sequence)).mount(&server).await;
    let client = client(&server);

    let params = WatchChangesParams::builder().since(5).build().unwrap();
    let changes: Vec<_> =
        all(client.watch_changes(&params).await.unwrap()).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].kind, ChangeKind::Added);
    // A kind the spec does not list is kept, not refused.
    assert_eq!(changes[1].kind.as_str(), "archived");

    let records: Vec<_> = all(client.export_records().await.unwrap()).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(records.iter().map(|record| record.id).collect::<Vec<_>>(), [1, 2]);
    assert!(!format!("{:?}", records[0]).contains("Ada"), "the owner is sensitive");
}

#[tokio::test]
async fn codegen_toml_names_the_terminator() {
    let server = MockServer::start().await;
    let events = "data: {\"text\":\"a\"}\n\ndata: END\n\ndata: {\"text\":\"b\"}\n\n";
    Mock::given(path("/complete")).respond_with(replying("text/event-stream", events)).mount(&server).await;
    let request = CompleteRequest::builder().text("x").build().unwrap();
    let pieces = all(client(&server).complete(&request).await.unwrap()).await;
    assert_eq!(pieces.into_iter().map(|piece| piece.unwrap().text).collect::<Vec<_>>(), ["a"]);
}

#[tokio::test]
async fn a_stream_set_to_reconnect_resumes_after_the_last_event_id_and_only_then() {
    let server = MockServer::start().await;
    let first = "id: 1\ndata: {\"delta\":\"Hel\"}\n\nid: 2\ndata: {\"delta\":\"lo\"}\n\n";
    let rest = "id: 3\ndata: {\"delta\":\" there\"}\n\ndata: [DONE]\n\n";
    let expected_body = json!({"prompt": "hi", "stream": true});
    Mock::given(method("POST"))
        .and(path("/chat"))
        .and(header("last-event-id", "2"))
        .and(header("x-api-key", KEY))
        .and(body_json(&expected_body))
        .respond_with(replying("text/event-stream", rest))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat"))
        .and(body_json(&expected_body))
        .respond_with(replying("text/event-stream", first))
        .mount(&server)
        .await;
    let request = ChatRequest::builder().prompt("hi").build().unwrap();
    let deltas = |items: Vec<Result<fixture_streams::types::ChatChunk, Error>>| {
        items.into_iter().map(|chunk| chunk.unwrap().delta).collect::<Vec<_>>()
    };

    // Off by default: the body's end is the stream's end.
    let stream = client(&server).chat_stream(&request).await.unwrap();
    assert_eq!(deltas(all(stream).await), ["Hel", "lo"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // Asked to, the stream sends the request again, body and credentials included.
    let policy = Reconnect::new().after_end(true).delay(std::time::Duration::from_millis(10));
    let stream = client(&server).chat_stream(&request).await.unwrap().reconnect(policy);
    assert_eq!(deltas(all(stream).await), ["Hel", "lo", " there"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert!(requests[1].headers.get("last-event-id").is_none());
    assert_eq!(requests[2].headers.get("last-event-id").unwrap(), "2");
}

#[tokio::test]
async fn an_operation_streamed_by_its_accept_header_offers_both_answers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/changes"))
        .and(header("accept", "application/x-ndjson"))
        .respond_with(replying(
            "application/x-ndjson",
            "{\"id\":\"a\",\"kind\":\"added\"}\n{\"id\":\"b\",\"kind\":\"removed\"}\n",
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/changes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": "c", "kind": "added"}])))
        .mount(&server)
        .await;
    let client = client(&server);
    let listed = client.list_changes().await.unwrap();
    assert_eq!(listed.iter().map(|change| change.id.as_str()).collect::<Vec<_>>(), ["c"]);
    let streamed = all(client.list_changes_stream().await.unwrap()).await;
    let kinds: Vec<ChangeKind> = streamed.into_iter().map(|change| change.unwrap().kind).collect();
    assert_eq!(kinds, [ChangeKind::Added, ChangeKind::Removed]);
    let requests = server.received_requests().await.unwrap();
    assert_ne!(requests[0].headers.get("accept").map(|value| value.as_bytes()), Some(&b"application/x-ndjson"[..]));
}
