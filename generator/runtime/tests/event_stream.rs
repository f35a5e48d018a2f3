//! Typed item streams over bodies in memory: each framing, the terminator, decode errors that
//! never show the data, the frame limit, and any chunking giving the same items.

use std::pin::Pin;

use client_runtime::error::StreamItemError;
use client_runtime::event_stream::{ByteSource, Framing, ItemStream, SseEvent};
use client_runtime::{Error, Mismatch};
use serde::Deserialize;

#[derive(Debug, PartialEq, Deserialize)]
struct Delta {
    count: u32,
    text: String,
}

fn delta(count: u32, text: &str) -> Delta {
    Delta { count, text: text.to_string() }
}

/// A body of `input` in one chunk.
fn whole(input: &str) -> ByteSource {
    ByteSource::from_chunks([input.as_bytes().to_vec()])
}

/// Every item of `stream`, through `Stream::poll_next` (as async stream libraries read it).
async fn collect<T>(mut stream: ItemStream<T>) -> Vec<Result<T, Error>> {
    let mut items = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut stream), cx)).await {
        items.push(item);
    }
    assert!(futures_core::FusedStream::is_terminated(&stream));
    assert!(stream.next().await.is_none(), "a stream stays ended");
    items
}

async fn items<T>(stream: ItemStream<T>) -> Vec<T> {
    collect(stream).await.into_iter().map(|item| item.unwrap_or_else(|error| panic!("{error:?}"))).collect()
}

const SSE: &str = "event: delta\nid: 1\ndata: {\"count\": 1,\ndata:  \"text\": \"é\"}\n\n: keep-alive\n\n\
                   retry: 250\ndata: {\"count\": 2, \"text\": \"b\"}\n\n";
const LINES: &str =
    "{\"count\": 1, \"text\": \"é\"}\r\n\r\n  \n{\"count\": 2, \"text\": \"b\"}\n\n{\"count\": 3, \"text\": \"c\"}";
const SEQ: &str = "\x1E{\"count\": 1,\n  \"text\": \"é\"\n}\n\x1E\x1E{\"count\": 2, \"text\": \"b\\\"}\\n\"}\n\
                   \x1E {\"count\": 3, \"text\": \"c\"}";

#[tokio::test]
async fn each_framing_yields_typed_items() {
    assert_eq!(items(ItemStream::<Delta>::new(whole(SSE), Framing::Sse)).await, [delta(1, "é"), delta(2, "b")]);
    let lines = items(ItemStream::<Delta>::new(whole(LINES), Framing::JsonLines)).await;
    assert_eq!(lines, [delta(1, "é"), delta(2, "b"), delta(3, "c")]);
    let sequence = items(ItemStream::<Delta>::new(whole(SEQ), Framing::JsonSeq)).await;
    assert_eq!(sequence, [delta(1, "é"), delta(2, "b\"}\n"), delta(3, "c")]);
    let scalars =
        items(ItemStream::<serde_json::Value>::new(whole("\x1E1\n\x1E\"x\"\n\x1Enull\n\x1E\n"), Framing::JsonSeq));
    assert_eq!(scalars.await, [serde_json::json!(1), serde_json::json!("x"), serde_json::Value::Null]);
}

#[tokio::test]
async fn any_chunking_yields_the_same_items() {
    let mut rng = fastrand::Rng::with_seed(21);
    for (input, framing) in [(SSE, Framing::Sse), (LINES, Framing::JsonLines), (SEQ, Framing::JsonSeq)] {
        let expected = items(ItemStream::<Delta>::new(whole(input), framing)).await;
        for _ in 0..300 {
            let bytes = input.as_bytes();
            let mut chunks = Vec::new();
            let mut start = 0;
            while start < bytes.len() {
                let end = (start + rng.usize(1..8)).min(bytes.len());
                chunks.push(bytes[start..end].to_vec());
                start = end;
            }
            let chunked = items(ItemStream::<Delta>::new(ByteSource::from_chunks(chunks.clone()), framing)).await;
            assert_eq!(chunked, expected, "{framing:?} in chunks {chunks:?}");
        }
    }
}

#[tokio::test]
async fn raw_events_keep_type_id_and_retry() {
    let mut stream = ItemStream::events(whole(SSE));
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!((first.event.as_deref(), first.id.as_deref(), first.retry), (Some("delta"), Some("1"), None));
    assert_eq!(first.data, "{\"count\": 1,\n \"text\": \"é\"}");
    let second = stream.next().await.unwrap().unwrap();
    assert_eq!(second.retry, Some(std::time::Duration::from_millis(250)));
    assert_eq!((stream.last_event_id(), stream.retry()), (Some("1"), Some(std::time::Duration::from_millis(250))));
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn the_terminator_ends_the_stream_cleanly() {
    let body = "data: {\"count\": 1, \"text\": \"a\"}\n\ndata: [DONE]\n\ndata: not json\n\n";
    let stream = ItemStream::<Delta>::new(whole(body), Framing::Sse).terminator("[DONE]");
    assert_eq!(items(stream).await, [delta(1, "a")]);
    // The rest of the body is not read: the chunk after the terminator is never asked for.
    let chunks = ["data: [DONE]\n\n"].into_iter().map(str::as_bytes).chain(std::iter::from_fn(|| panic!("read on")));
    let stream = ItemStream::<Delta>::new(ByteSource::from_chunks(chunks), Framing::Sse).terminator("[DONE]");
    assert!(items(stream).await.is_empty());
    // For JSON lines, the line without the whitespace around it.
    let stream =
        ItemStream::<Delta>::new(whole("{\"count\": 4, \"text\": \"d\"}\n [DONE] \r\n{}\n"), Framing::JsonLines);
    assert_eq!(items(stream.terminator("[DONE]")).await, [delta(4, "d")]);
}

#[tokio::test]
async fn a_decode_error_names_the_item_not_its_data() {
    let body = "data: {\"count\": 1, \"text\": \"a\"}\n\nevent: delta\nid: 77\n\
                data: {\"count\": \"SENTINEL-8812\", \"text\": \"SENTINEL-8812\"}\n\n\
                data: {\"count\": 3, \"text\": \"c\"}\n\n";
    let results = collect(ItemStream::<Delta>::new(whole(body), Framing::Sse)).await;
    assert_eq!(results.len(), 3, "the stream goes on after an item that did not decode");
    assert_eq!(results[2].as_ref().ok(), Some(&delta(3, "c")));
    let error = results[1].as_ref().unwrap_err();
    let Error::StreamItem(item) = error else { panic!("{error:?}") };
    assert_eq!((item.index, item.event.as_deref(), item.id.as_deref()), (1, Some("delta"), Some("77")));
    assert_eq!(item.path, "count");
    assert!(matches!(item.mismatch, Mismatch::InvalidType { found: "string", .. }), "{:?}", item.mismatch);
    let (shown, debug) = (error.to_string(), format!("{error:?}"));
    assert!(!shown.contains("SENTINEL") && !debug.contains("SENTINEL"), "{shown}\n{debug}");
    // The event type names the item; the id, like the data, is the server's value and is not shown.
    assert!(shown.contains("item 1") && shown.contains("`delta`") && !shown.contains("77") && shown.contains("count"));
    assert_eq!(error.kind(), "decode");
    let data = error.sensitive_body().expect("the data is kept");
    assert!(String::from_utf8_lossy(data.bytes()).contains("SENTINEL-8812"));
}

/// The failure of an item that did not decode.
fn item_error<T>(result: &Result<T, Error>) -> Option<&StreamItemError> {
    match result {
        Err(Error::StreamItem(item)) => Some(item),
        _ => None,
    }
}

#[tokio::test]
async fn json_errors_count_items_and_keep_the_line() {
    let body = "{\"count\": 1, \"text\": \"a\"}\n{\"count\": 2, \"text\"\n{\"count\": 3}\n";
    let results = collect(ItemStream::<Delta>::new(whole(body), Framing::JsonLines)).await;
    let failures: Vec<Option<&StreamItemError>> = results.iter().map(item_error).collect();
    let indexes: Vec<Option<u64>> = failures.iter().map(|failure| failure.map(|item| item.index)).collect();
    assert_eq!(indexes, [None, Some(1), Some(2)]);
    let (syntax, missing) = (failures[1].unwrap(), failures[2].unwrap());
    assert!(matches!(syntax.mismatch, Mismatch::Syntax { .. }) && syntax.event.is_none(), "{syntax:?}");
    assert!(matches!(&missing.mismatch, Mismatch::MissingField { field } if field == "text"), "{missing:?}");
    assert_eq!(missing.data.bytes(), b"{\"count\": 3}");
    // A truncated value of a sequence (cut by the next RS) is an error too.
    let body = "\x1E{\"count\": 1, \x1E{\"count\": 2, \"text\": \"b\"}\n";
    let results = collect(ItemStream::<Delta>::new(whole(body), Framing::JsonSeq)).await;
    assert!(matches!(item_error(&results[0]).map(|item| &item.mismatch), Some(Mismatch::Syntax { .. })));
    assert_eq!(results[1].as_ref().ok(), Some(&delta(2, "b")));
}

#[tokio::test]
async fn a_frame_over_the_limit_ends_the_stream() {
    let long = format!("{{\"count\": 1, \"text\": \"{}\"}}", "x".repeat(100));
    for (body, framing) in [
        (format!("{{\"count\": 0, \"text\": \"\"}}\n{long}"), Framing::JsonLines),
        (format!("{{\"count\": 0, \"text\": \"\"}}\n{long}\n{{\"count\": 2, \"text\": \"\"}}\n"), Framing::JsonLines),
        (format!("data: {{\"count\": 0, \"text\": \"\"}}\n\ndata: {long}\n\n"), Framing::Sse),
        (format!("data: {{\"count\": 0, \"text\": \"\"}}\n\ndata: {long}"), Framing::Sse),
    ] {
        // In small chunks, so the limit is met before the frame completes, and whole.
        for chunks in [body.as_bytes().chunks(10).map(<[u8]>::to_vec).collect(), vec![body.clone().into_bytes()]] {
            let stream = ItemStream::<Delta>::new(ByteSource::from_chunks(chunks), framing).max_frame_size(64);
            let results = collect(stream).await;
            assert_eq!(results.len(), 2, "{framing:?}: {results:?}");
            let error = results[1].as_ref().unwrap_err();
            assert!(matches!(error, Error::StreamFrameTooLarge { index: 1, limit: 64, .. }), "{error:?}");
            assert!(error.to_string().contains("larger than 64 bytes"), "{error}");
        }
    }
}

#[test]
fn framings_of_media_types() {
    for (media_type, framing) in [
        ("text/event-stream", Some(Framing::Sse)),
        ("Text/Event-Stream; charset=utf-8", Some(Framing::Sse)),
        ("application/x-ndjson", Some(Framing::JsonLines)),
        ("application/jsonl", Some(Framing::JsonLines)),
        ("application/json-seq", Some(Framing::JsonSeq)),
        ("application/geo+json-seq", Some(Framing::JsonSeq)),
        ("application/json", None),
    ] {
        assert_eq!(Framing::of_media_type(media_type), framing, "{media_type}");
    }
}

#[test]
fn raw_events_debug_hides_data() {
    let event = SseEvent { data: "SENTINEL".into(), ..SseEvent::default() };
    assert!(!format!("{event:?}").contains("SENTINEL"));
}

#[test]
fn streams_can_move_between_tasks() {
    fn send_and_unpin<T: Send + Unpin>() {}
    send_and_unpin::<ItemStream<Delta>>();
    send_and_unpin::<ItemStream<SseEvent>>();
    send_and_unpin::<ByteSource>();
}
