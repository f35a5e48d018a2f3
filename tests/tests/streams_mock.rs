//! The `streams` fixture's generated mock serving streamed answers to the fixture's own client
//! over 127.0.0.1: typed items in each framing (server-sent events, JSON lines, JSON text
//! sequences) ending with the terminator, whole events, items sent apart in time and read as
//! they arrive, the JSON or the stream of an operation that answers either as the request
//! asks, and what a stream answers by default.
//!
//! - `typed_items_round_trip_in_every_framing`
//! - `the_terminator_ends_the_written_stream`
//! - `whole_events_keep_their_type_id_data_and_retry`
//! - `items_sent_apart_are_read_as_they_arrive`
//! - `an_operation_answers_json_or_its_stream_as_the_request_asks`
//! - `with_nothing_registered_a_stream_has_no_items`
//! - `sequences_errors_and_headers_work_for_streams_too`
//! - `items_on_an_answer_that_is_not_a_stream_are_refused`

use std::time::{Duration, Instant};

use fixture_streams::mock::{MockReply, MockServer};
use fixture_streams::reqwest;
use fixture_streams::types::{
    Change, ChangeKind, ChatAnswer, ChatChunk, ChatRequest, CompleteRequest, FollowJobLogParams, Piece, Problem,
    Record, WatchChangesParams,
};
use fixture_streams::{Error, ItemStream, SseEvent};

/// Every item of a stream, in order, each of which must be `Ok`.
async fn all<T: std::fmt::Debug>(mut stream: ItemStream<T>) -> Vec<T> {
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item.expect("the item decodes"));
    }
    items
}

fn chunk(delta: &str, index: i64) -> ChatChunk {
    ChatChunk::builder().delta(delta).index(index).build().unwrap()
}

fn chat(stream: Option<bool>) -> ChatRequest {
    let builder = ChatRequest::builder().prompt("hi");
    match stream {
        Some(stream) => builder.stream(stream).build().unwrap(),
        None => builder.build().unwrap(),
    }
}

#[tokio::test]
async fn typed_items_round_trip_in_every_framing() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let chunks = vec![chunk("Hel", 0), chunk("lo", 1)];
    mock.chat_stream().items(chunks.clone());
    let changes = vec![
        Change::builder().id("a").kind(ChangeKind::Added).build().unwrap(),
        Change::builder().id("b").kind(ChangeKind::Removed).build().unwrap(),
    ];
    mock.watch_changes().items(changes.clone());
    let records = vec![Record::builder().id(1).owner("Ada").build().unwrap(), Record::builder().id(2).build().unwrap()];
    mock.export_records().items(records.clone());
    mock.complete().items([Piece::builder().text("a").build().unwrap()]);

    assert_eq!(all(client.chat_stream(&chat(None)).await.unwrap()).await, chunks);
    let params = WatchChangesParams::builder().since(5).build().unwrap();
    assert_eq!(all(client.watch_changes(&params).await.unwrap()).await, changes);
    let exported = all(client.export_records().await.unwrap()).await;
    assert_eq!(exported.iter().map(|record| record.id).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(exported[0].owner.as_ref().map(|owner| owner.expose()), Some("Ada"));
    let request = CompleteRequest::builder().text("x").build().unwrap();
    let pieces = all(client.complete(&request).await.unwrap()).await;
    assert_eq!(pieces.iter().map(|piece| piece.text.as_str()).collect::<Vec<_>>(), ["a"]);

    // The requests are kept, decoded, with the stream flag the stream method set.
    assert_eq!(mock.watch_changes().received()[0].params, params);
    assert_eq!(mock.chat_stream().received()[0].body.stream, Some(true));
    assert!(mock.take_rejections().is_empty());
}

#[tokio::test]
async fn the_terminator_ends_the_written_stream() {
    let mock = MockServer::start().await;
    mock.chat_stream().items([chunk("a", 0)]);
    mock.complete().items([Piece::builder().text("a").build().unwrap()]);
    mock.watch_changes().items([Change::builder().id("a").kind(ChangeKind::Added).build().unwrap()]);
    let http = reqwest::Client::new();
    let body = |path: &'static str, json: Option<serde_json::Value>| {
        let mut request = http.post(format!("{}{path}", mock.uri())).header("x-api-key", "mock-api-key");
        if let Some(json) = json {
            request = request.json(&json);
        }
        async move {
            let response = request.send().await.unwrap();
            let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
            (content_type, response.text().await.unwrap())
        }
    };
    let (content_type, text) = body("/chat", Some(serde_json::json!({"prompt": "hi", "stream": true}))).await;
    assert_eq!(content_type, "text/event-stream");
    assert_eq!(text, "data: {\"delta\":\"a\",\"index\":0}\n\ndata: [DONE]\n\n");
    let (_, text) = body("/complete", Some(serde_json::json!({"text": "x"}))).await;
    assert_eq!(text, "data: {\"text\":\"a\"}\n\ndata: END\n\n");
    let watch = http.get(format!("{}/watch", mock.uri())).header("x-api-key", "mock-api-key").send().await.unwrap();
    assert_eq!(watch.headers()["content-type"], "application/x-ndjson");
    assert_eq!(watch.text().await.unwrap(), "{\"id\":\"a\",\"kind\":\"added\"}\n");
}

#[tokio::test]
async fn whole_events_keep_their_type_id_data_and_retry() {
    let mock = MockServer::start().await;
    let events = vec![
        SseEvent {
            event: Some("info".into()),
            id: Some("1".into()),
            data: "started".into(),
            retry: Some(Duration::from_secs(3)),
        },
        SseEvent { event: Some("warn".into()), id: Some("2".into()), data: "disk\nalmost full".into(), retry: None },
    ];
    mock.follow_job_log().events(events.clone());
    let params = FollowJobLogParams::builder().job_id("j 1").build().unwrap();
    let mut stream = mock.client().follow_job_log(&params).await.unwrap();
    assert_eq!(stream.next().await.unwrap().unwrap(), events[0]);
    assert_eq!(stream.next().await.unwrap().unwrap(), events[1]);
    assert!(stream.next().await.is_none());
    assert_eq!(stream.last_event_id(), Some("2"));
    assert_eq!(mock.follow_job_log().received()[0].params.job_id, "j 1");
}

#[tokio::test]
async fn items_sent_apart_are_read_as_they_arrive() {
    let mock = MockServer::start().await;
    let pause = Duration::from_millis(400);
    let reply = MockReply::items([chunk("a", 0), chunk("b", 1), chunk("c", 2)]).delay_between(pause);
    mock.chat_stream().respond_with(reply);
    let started = Instant::now();
    let mut stream = mock.client().chat_stream(&chat(None)).await.unwrap();
    let mut arrivals = Vec::new();
    while let Some(item) = stream.next().await {
        item.unwrap();
        arrivals.push(started.elapsed());
    }
    assert_eq!(arrivals.len(), 3);
    // The first item comes at once, long before the body ends; each next one a pause later.
    assert!(arrivals[0] < pause, "{arrivals:?}");
    for pair in arrivals.windows(2) {
        assert!(pair[1] - pair[0] >= pause - Duration::from_millis(50), "{arrivals:?}");
    }
}

#[tokio::test]
async fn an_operation_answers_json_or_its_stream_as_the_request_asks() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let answer = ChatAnswer::builder().text("Hello").build().unwrap();
    mock.chat().respond(&answer);
    mock.chat_stream().items([chunk("Hel", 0), chunk("lo", 1)]);

    assert_eq!(client.chat(&chat(Some(false))).await.unwrap(), answer);
    let deltas: Vec<String> =
        all(client.chat_stream(&chat(None)).await.unwrap()).await.into_iter().map(|chunk| chunk.delta).collect();
    assert_eq!(deltas, ["Hel", "lo"]);
    // The body's `stream` decides, whatever `Accept` says: `true` asks for the stream.
    let http = reqwest::Client::new();
    let send = |stream: bool| {
        http.post(format!("{}/chat", mock.uri()))
            .header("x-api-key", "mock-api-key")
            .header("accept", "application/json")
            .json(&serde_json::json!({"prompt": "hi", "stream": stream}))
            .send()
    };
    let streamed = send(true).await.unwrap();
    assert_eq!(streamed.headers()["content-type"], "text/event-stream");
    let whole = send(false).await.unwrap();
    assert_eq!(whole.json::<serde_json::Value>().await.unwrap(), serde_json::json!({"text": "Hello"}));

    // Each answer keeps the requests that asked for it.
    assert_eq!(mock.chat().received().len(), 2);
    assert_eq!(mock.chat_stream().received().len(), 2);
    assert_eq!(mock.chat().received()[0].body.stream, Some(false));
}

#[tokio::test]
async fn with_nothing_registered_a_stream_has_no_items() {
    let mock = MockServer::start().await;
    let client = mock.client();
    assert!(all(client.chat_stream(&chat(None)).await.unwrap()).await.is_empty());
    assert!(all(client.export_records().await.unwrap()).await.is_empty());
    let params = FollowJobLogParams::builder().job_id("j").build().unwrap();
    assert!(all(client.follow_job_log(&params).await.unwrap()).await.is_empty());
    // The JSON answer has no example in the spec, so it is refused as before.
    let error = client.chat(&chat(None)).await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(501), "{error:?}");
    assert_eq!(mock.take_rejections().len(), 1);
}

#[tokio::test]
async fn sequences_errors_and_headers_work_for_streams_too() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let problem = Problem::builder().message("too long").build().unwrap();
    mock.chat_stream().respond_sequence([
        MockReply::error(400, &problem),
        MockReply::items([chunk("a", 0)]).header("x-request-id", "req-9").delay(Duration::from_millis(50)),
    ]);
    let error = client.chat_stream(&chat(None)).await.unwrap_err();
    assert!(matches!(&error, Error::Api { .. }), "{error:?}");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(400));
    let stream = client.chat_stream(&chat(None)).await.unwrap();
    assert_eq!(stream.request_id(), Some("req-9"));
    assert_eq!(all(stream).await, [chunk("a", 0)]);
    assert_eq!(mock.chat_stream().queued(), 0);
    // A stream whose bytes are not what the spec says, to test a consumer's error path.
    mock.watch_changes().respond_with(MockReply::bytes(200, "application/x-ndjson", "{\"id\":1}\n"));
    let params = WatchChangesParams::builder().build().unwrap();
    let mut changes = client.watch_changes(&params).await.unwrap();
    assert!(matches!(changes.next().await, Some(Err(Error::StreamItem(_)))));
}

#[tokio::test]
#[should_panic(expected = "`chat` does not answer with a stream of items")]
async fn items_on_an_answer_that_is_not_a_stream_are_refused() {
    let mock = MockServer::start().await;
    mock.chat().items([ChatAnswer::builder().text("no").build().unwrap()]);
}
