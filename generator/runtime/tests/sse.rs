//! The server-sent events decoder against the WHATWG standard's rules and examples.

use std::time::Duration;

use client_runtime::sse::{SseDecoder, SseEvent};

/// Feeds `chunks` one after another and collects every event.
fn decode_chunks(chunks: &[&[u8]]) -> (Vec<SseEvent>, SseDecoder) {
    let mut decoder = SseDecoder::new();
    let mut events = Vec::new();
    for chunk in chunks {
        decoder.feed(chunk);
        while let Some(event) = decoder.next_event() {
            events.push(event);
        }
    }
    (events, decoder)
}

fn decode(input: &str) -> Vec<SseEvent> {
    decode_chunks(&[input.as_bytes()]).0
}

fn data(events: &[SseEvent]) -> Vec<&str> {
    events.iter().map(|event| event.data.as_str()).collect()
}

fn event(kind: Option<&str>, data: &str, id: Option<&str>) -> SseEvent {
    SseEvent { event: kind.map(str::to_string), data: data.to_string(), id: id.map(str::to_string), retry: None }
}

#[test]
fn multi_line_data_is_joined_by_line_feeds() {
    // The standard's stock ticker example.
    assert_eq!(data(&decode("data: YHOO\ndata: +2\ndata: 10\n\n")), ["YHOO\n+2\n10"]);
    let events = decode(
        "data: This is the first message.\n\ndata: This is the second message, it\ndata: has two lines.\n\n\
         data: This is the third message.\n\n",
    );
    assert_eq!(
        data(&events),
        ["This is the first message.", "This is the second message, it\nhas two lines.", "This is the third message."]
    );
}

#[test]
fn event_types_name_events() {
    let events = decode("event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\nevent: add\ndata: 113411\n\n");
    let types: Vec<&str> = events.iter().map(SseEvent::event_type).collect();
    assert_eq!(types, ["add", "remove", "add"]);
    assert_eq!(data(&events), ["73857293", "2153", "113411"]);
    let message = decode("data: x\n\n");
    assert_eq!((message[0].event.as_deref(), message[0].event_type()), (None, "message"));
}

#[test]
fn comments_ids_and_an_unfinished_last_event() {
    // The standard's example: a comment, an id, an empty id resetting it, and a last event
    // without its empty line, which is not dispatched.
    let (events, mut decoder) =
        decode_chunks(&[b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n"]);
    assert_eq!(events, [event(None, "first event", Some("1")), event(None, "second event", None)]);
    assert_eq!(decoder.last_event_id(), None);
    assert!(decoder.finish(), "the third event was unfinished");
    assert!(!decoder.finish());
}

#[test]
fn fields_without_colon_have_empty_values() {
    // The standard's example: `data` alone is an empty line of data; the last event is dropped.
    let events = decode("data\n\ndata\ndata\n\ndata:\n");
    assert_eq!(data(&events), ["", "\n"]);
    // Only one space after the colon is removed.
    assert_eq!(data(&decode("data:test\n\ndata: test\n\ndata:  test\n\n")), ["test", "test", " test"]);
}

#[test]
fn ids_persist_and_ids_with_nul_are_ignored() {
    let events = decode("id: 7\ndata: a\n\ndata: b\n\nid: 8\0x\ndata: c\n\nid:\ndata: d\n\n");
    let ids: Vec<Option<&str>> = events.iter().map(|event| event.id.as_deref()).collect();
    assert_eq!(ids, [Some("7"), Some("7"), Some("7"), None]);
    // An event without data is not dispatched, but its id becomes the last event id.
    let (events, decoder) = decode_chunks(&[b"data: a\n\nid: 42\n\n"]);
    assert_eq!(events.len(), 1);
    assert_eq!(decoder.last_event_id(), Some("42"));
}

#[test]
fn retry_takes_ascii_digits_only() {
    let (events, decoder) = decode_chunks(&[b"retry: 1500\ndata: a\n\ndata: b\n\n"]);
    assert_eq!(events[0].retry, Some(Duration::from_millis(1500)));
    assert_eq!(events[1].retry, None, "retry belongs to the event that had it");
    assert_eq!(decoder.retry(), Some(Duration::from_millis(1500)));
    for ignored in ["retry: 15x0\n", "retry:\n", "retry: -5\n", "retry: 1.5\n", "retry: 99999999999999999999999\n"] {
        let (_, decoder) = decode_chunks(&[ignored.as_bytes(), b"data: a\n\n"]);
        assert_eq!(decoder.retry(), None, "{ignored:?}");
    }
}

#[test]
fn unknown_fields_and_empty_events_are_ignored() {
    assert!(decode("foo: bar\n\nevent: only-a-type\n\n\n\n").is_empty());
    assert_eq!(decode("foo: bar\ndata: x\nDATA: y\n\n"), [event(None, "x", None)]);
    // An event type does not leak into the next event.
    assert_eq!(decode("event: a\n\ndata: x\n\n"), [event(None, "x", None)]);
}

#[test]
fn every_kind_of_line_end_counts() {
    let expected = [event(Some("e"), "a\nb", None), event(None, "c", None)];
    assert_eq!(decode("event: e\rdata: a\r\ndata: b\n\r\ndata: c\r\r"), expected);
    assert_eq!(decode("event: e\r\ndata: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n"), expected);
    // A CR ending one chunk and the LF starting the next are one line end, not two.
    let (events, _) = decode_chunks(&[b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]);
    assert_eq!(data(&events), ["a\nb"]);
}

#[test]
fn one_leading_byte_order_mark_is_skipped() {
    assert_eq!(data(&decode("\u{feff}data: x\n\n")), ["x"]);
    // Split across chunks.
    let (events, _) = decode_chunks(&[b"\xEF", b"\xBB", b"\xBFdata: x\n\n"]);
    assert_eq!(data(&events), ["x"]);
    // A second one is part of the field name, which is then unknown.
    assert!(decode("\u{feff}\u{feff}data: x\n\n").is_empty());
    // Not at the start of the stream.
    assert_eq!(data(&decode("data: x\n\n\u{feff}data: y\n\n")), ["x"]);
    // Only a BOM prefix, then something else.
    let (events, _) = decode_chunks(&[b"\xEF\xBB", b"data: x\n\n"]);
    assert!(events.is_empty(), "the broken BOM makes the first field name unknown");
}

#[test]
fn characters_split_across_chunks_are_whole() {
    let input = "data: é€😀\nevent: ünï\n\n".as_bytes();
    for split in 1..input.len() {
        let (events, _) = decode_chunks(&[&input[..split], &input[split..]]);
        assert_eq!(events, [event(Some("ünï"), "é€😀", None)], "split at {split}");
    }
    let single_bytes: Vec<&[u8]> = input.chunks(1).collect();
    assert_eq!(decode_chunks(&single_bytes).0, [event(Some("ünï"), "é€😀", None)]);
}

#[test]
fn bytes_that_are_not_utf8_become_replacement_characters() {
    let (events, _) = decode_chunks(&[b"data: a\xFFb\xC3\n\n"]);
    assert_eq!(data(&events), ["a\u{fffd}b\u{fffd}"]);
}

#[test]
fn debug_shows_the_length_of_the_data_not_the_data() {
    let event = event(Some("update"), "SENTINEL-9931", Some("3"));
    let shown = format!("{event:?}");
    assert!(!shown.contains("SENTINEL"), "{shown}");
    assert!(shown.contains("13 bytes") && shown.contains("update"), "{shown}");
}

#[test]
fn pending_len_counts_the_unfinished_event() {
    let mut decoder = SseDecoder::new();
    decoder.feed(b"data: 12345\ndata: 67");
    assert_eq!(decoder.next_event(), None);
    assert_eq!(decoder.pending_len(), "12345\n".len() + "data: 67".len());
    decoder.feed(b"\n\n");
    assert_eq!(decoder.next_event().map(|event| event.data), Some("12345\n67".to_string()));
    assert_eq!(decoder.pending_len(), 0);
}

#[test]
fn finish_keeps_the_last_event_id_for_a_new_connection() {
    let mut decoder = SseDecoder::new();
    decoder.feed(b"retry: 10\nid: 5\ndata: a\n\nid: 6\ndata: half");
    assert!(decoder.next_event().is_some());
    assert!(decoder.finish());
    assert_eq!((decoder.last_event_id(), decoder.retry()), (Some("5"), Some(Duration::from_millis(10))));
    // The new stream may start with a BOM again, and the unfinished event's id is forgotten.
    decoder.feed(b"\xEF\xBB\xBFdata: b\n\n");
    assert_eq!(decoder.next_event(), Some(event(None, "b", Some("5"))));
}
