//! The mock server's raw server-sent events, in crates whose spec has event streams: an
//! [`SseEvent`] written as the server sends it, and `events`, which answers an untyped event
//! stream with whole events (type, id, data, retry).
#![cfg(feature = "mock")]

use crate::mock_server::{MockOperationHandle, MockReply};
use crate::sse::SseEvent;

/// `event` as a server-sent event: its `event`, `id` and `retry` fields, then its data, one
/// `data` field per line, and the blank line that ends it. A type or id holding a line break
/// is cut there (the format has no way to write it); an event without an id keeps the last
/// one sent, as the standard says.
#[allow(dead_code, reason = "the generated `mock.rs` writes the events of operations that stream untyped events")]
pub fn sse_event(event: &SseEvent) -> Vec<u8> {
    let mut text = String::new();
    let first_line = |value: &str| value.split(['\r', '\n']).next().unwrap_or_default().to_string();
    if let Some(kind) = &event.event {
        text.push_str(&format!("event: {}\n", first_line(kind)));
    }
    if let Some(id) = &event.id {
        text.push_str(&format!("id: {}\n", first_line(id)));
    }
    if let Some(retry) = event.retry {
        text.push_str(&format!("retry: {}\n", retry.as_millis()));
    }
    let data = event.data.replace("\r\n", "\n").replace('\r', "\n");
    for line in data.split('\n') {
        text.push_str("data: ");
        text.push_str(line);
        text.push('\n');
    }
    text.push('\n');
    text.into_bytes()
}

impl MockReply<SseEvent> {
    /// A successful event stream of these whole events: the same as [`MockReply::items`].
    pub fn events(events: impl IntoIterator<Item = SseEvent>) -> Self {
        Self::items(events)
    }
}

impl<R: Clone + 'static> MockOperationHandle<'_, R, SseEvent> {
    /// Answers every later request with a stream of these whole events, once the queued
    /// replies are used up: the same as [`items`](MockOperationHandle::items).
    #[track_caller]
    pub fn events(&self, events: impl IntoIterator<Item = SseEvent>) -> &Self {
        self.items(events)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::sse_event;
    use crate::sse::{SseDecoder, SseEvent};

    #[test]
    fn events_read_back_as_they_were_written() {
        let events = [
            SseEvent {
                event: Some("warn".into()),
                id: Some("7".into()),
                data: "disk\n almost full\r\nsoon".into(),
                retry: Some(Duration::from_millis(1500)),
            },
            SseEvent { data: String::new(), id: Some("7".into()), ..SseEvent::default() },
        ];
        let mut decoder = SseDecoder::default();
        for event in &events {
            decoder.feed(&sse_event(event));
        }
        let mut read = Vec::new();
        while let Some(event) = decoder.next_event() {
            read.push(event);
        }
        let mut expected = events.to_vec();
        expected[0].data = "disk\n almost full\nsoon".into();
        assert_eq!(read, expected);
    }
}
