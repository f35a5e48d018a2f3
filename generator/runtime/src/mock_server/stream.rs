//! The streamed answers of the mock server: what it knows of an operation whose success is a
//! stream of items, which requests ask for the stream, and how items are written in the
//! operation's framing (server-sent events, JSON lines, JSON text sequences), ending with the
//! operation's terminator.

use serde_json::Value;

use super::Incoming;

/// How a streamed answer's items are written.
#[allow(dead_code, reason = "the generated `mock.rs` names the framing of each of its streamed operations")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MockFraming {
    /// Server-sent events (`text/event-stream`): each item's JSON is one event's `data`.
    Sse,
    /// Server-sent events given whole (type, id, data, retry), each written by the operation's
    /// encoder.
    SseEvents,
    /// One JSON value per line.
    JsonLines,
    /// JSON text sequences (RFC 7464): each value after an RS byte, ended by a line feed.
    JsonSeq,
}

/// What the mock server knows about an operation's streamed answer.
pub struct MockStream {
    pub framing: MockFraming,
    /// The `Content-Type` of the stream, e.g. `text/event-stream`.
    pub media_type: &'static str,
    /// The text that ends the stream (e.g. `[DONE]`), written after the items.
    pub terminator: Option<&'static str>,
    /// How a request asks for the stream.
    pub asked_by: AskedBy,
}

/// How a request asks for an operation's stream rather than its JSON answer.
#[allow(dead_code, reason = "the generated `mock.rs` names how each of its streamed operations is asked")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskedBy {
    /// The stream is the operation's only answer.
    Always,
    /// This top-level property of the JSON request body is `true`.
    Flag(&'static str),
    /// The request's `Accept` header names the stream's media type.
    Accept,
}

/// Which of an operation's answers a reply or a request belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Answer {
    /// A response read whole: JSON, text, bytes or none.
    Whole,
    /// A stream of items.
    Stream,
}

impl MockStream {
    /// Which answer `request` asks for.
    pub(super) fn answer_for(&self, request: &Incoming<'_>) -> Answer {
        let streamed = match self.asked_by {
            AskedBy::Always => true,
            AskedBy::Flag(name) => {
                let body: Option<Value> = serde_json::from_slice(request.body()).ok();
                body.as_ref().and_then(|body| body.get(name)) == Some(&Value::Bool(true))
            }
            AskedBy::Accept => request.header("accept").is_some_and(|accept| {
                accept.split(',').any(|range| essence(range).eq_ignore_ascii_case(essence(self.media_type)))
            }),
        };
        if streamed {
            Answer::Stream
        } else {
            Answer::Whole
        }
    }

    /// The frames of a stream of `items` (each encoded by the operation's encoder), then the
    /// terminator's.
    pub(super) fn frames(&self, items: impl IntoIterator<Item = Vec<u8>>) -> Vec<Vec<u8>> {
        let mut frames: Vec<Vec<u8>> = items.into_iter().map(|item| self.frame(item)).collect();
        if let Some(terminator) = self.terminator {
            let end = match self.framing {
                MockFraming::SseEvents => MockFraming::Sse,
                framing => framing,
            };
            frames.push(frame(end, terminator.as_bytes().to_vec()));
        }
        frames
    }

    fn frame(&self, item: Vec<u8>) -> Vec<u8> {
        frame(self.framing, item)
    }
}

/// One item's frame: its encoding (JSON, or a whole event) framed as `framing` says.
fn frame(framing: MockFraming, item: Vec<u8>) -> Vec<u8> {
    match framing {
        // Compact JSON has no line breaks, so it is one `data` line.
        MockFraming::Sse => [b"data: ".as_slice(), &item, b"\n\n"].concat(),
        MockFraming::SseEvents => item,
        MockFraming::JsonLines => [item.as_slice(), b"\n"].concat(),
        MockFraming::JsonSeq => [b"\x1e".as_slice(), &item, b"\n"].concat(),
    }
}

/// A media type without its parameters.
fn essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or_default().trim()
}

#[cfg(test)]
mod tests {
    use super::super::http::RequestParts;
    use super::{frame, Answer, AskedBy, Incoming, MockFraming, MockStream};

    fn request(accept: &str, body: &str) -> RequestParts {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("accept", accept.parse().unwrap());
        let url = reqwest::Url::parse("http://localhost/chat").unwrap();
        RequestParts { method: "POST".into(), url, headers, body: body.as_bytes().to_vec() }
    }

    #[test]
    fn a_request_asks_for_the_stream_by_its_flag_or_its_accept_header() {
        let by_accept = MockStream {
            framing: MockFraming::Sse,
            media_type: "text/event-stream",
            terminator: None,
            asked_by: AskedBy::Accept,
        };
        let answer = |stream: &MockStream, accept: &str, body: &str| {
            let request = request(accept, body);
            stream.answer_for(&Incoming::new(&request, Vec::new()))
        };
        assert_eq!(answer(&by_accept, "application/json, Text/Event-Stream; q=0.5", ""), Answer::Stream);
        assert_eq!(answer(&by_accept, "application/json", ""), Answer::Whole);
        let by_flag = MockStream { asked_by: AskedBy::Flag("stream"), ..by_accept };
        assert_eq!(answer(&by_flag, "application/json", r#"{"stream": true}"#), Answer::Stream);
        assert_eq!(answer(&by_flag, "text/event-stream", r#"{"stream": false}"#), Answer::Whole);
        assert_eq!(answer(&by_flag, "text/event-stream", "not json"), Answer::Whole);
    }

    #[test]
    fn items_are_framed_and_the_terminator_ends_the_stream() {
        let stream = MockStream {
            framing: MockFraming::Sse,
            media_type: "text/event-stream",
            terminator: Some("[DONE]"),
            asked_by: AskedBy::Always,
        };
        let frames = stream.frames([b"{\"a\":1}".to_vec()]);
        assert_eq!(frames, [b"data: {\"a\":1}\n\n".to_vec(), b"data: [DONE]\n\n".to_vec()]);
        assert_eq!(frame(MockFraming::JsonLines, b"1".to_vec()), b"1\n");
        assert_eq!(frame(MockFraming::JsonSeq, b"1".to_vec()), b"\x1e1\n");
        let raw = MockStream { framing: MockFraming::SseEvents, ..stream };
        assert_eq!(raw.frames([b"event: x\ndata: y\n\n".to_vec()])[1], b"data: [DONE]\n\n");
    }
}
