//! Cutting a streamed body into frames, incrementally, for [`crate::event_stream`]: server-sent
//! events (through [`SseDecoder`]), JSON lines and JSON text sequences.

use std::time::Duration;

use crate::event_stream::Framing;
use crate::sse::{SseDecoder, SseEvent};

/// The record separator that starts each value of a JSON text sequence (RFC 7464).
const RS: u8 = 0x1E;

/// One complete frame of a body.
pub(crate) enum Frame<'a> {
    /// A server-sent event.
    Event(SseEvent),
    /// The bytes of one JSON value (with any whitespace around it).
    Json(&'a [u8]),
}

impl Frame<'_> {
    /// The frame's size in bytes.
    pub(crate) fn len(&self) -> usize {
        match self {
            Frame::Event(event) => event.data.len(),
            Frame::Json(bytes) => bytes.len(),
        }
    }

    /// Whether the frame's text is `text`: an event's data, or the JSON bytes without the
    /// whitespace around them.
    pub(crate) fn is_text(&self, text: &str) -> bool {
        match self {
            Frame::Event(event) => event.data == text,
            Frame::Json(bytes) => bytes.trim_ascii() == text.as_bytes(),
        }
    }
}

/// The framer of one body.
pub(crate) enum Framer {
    Sse(SseDecoder),
    Json(JsonFramer),
}

impl Framer {
    pub(crate) fn new(framing: Framing) -> Self {
        match framing {
            Framing::Sse => Framer::Sse(SseDecoder::new()),
            Framing::JsonLines => Framer::Json(JsonFramer::new(false)),
            Framing::JsonSeq => Framer::Json(JsonFramer::new(true)),
        }
    }

    pub(crate) fn framing(&self) -> Framing {
        match self {
            Framer::Sse(_) => Framing::Sse,
            Framer::Json(framer) if framer.sequence => Framing::JsonSeq,
            Framer::Json(_) => Framing::JsonLines,
        }
    }

    /// Appends the next bytes of the body.
    pub(crate) fn feed(&mut self, chunk: &[u8]) {
        match self {
            Framer::Sse(decoder) => decoder.feed(chunk),
            Framer::Json(framer) => framer.feed(chunk),
        }
    }

    /// The next complete frame, if the bytes so far hold one. When the body has `ended`, what
    /// is left of a JSON value is a frame too (an unfinished event is dropped).
    pub(crate) fn next_frame(&mut self, ended: bool) -> Option<Frame<'_>> {
        match self {
            Framer::Sse(decoder) => decoder.next_event().map(Frame::Event),
            Framer::Json(framer) => framer.next_frame(ended).map(Frame::Json),
        }
    }

    /// The bytes held for the frame not yet complete.
    pub(crate) fn pending_len(&self) -> usize {
        match self {
            Framer::Sse(decoder) => decoder.pending_len(),
            Framer::Json(framer) => framer.buffer.len() - framer.read,
        }
    }

    /// Gets ready for the body of a new connection resuming the stream: drops what is left of
    /// an unfinished frame, keeping the last event id and reconnection time.
    pub(crate) fn restart(&mut self) {
        match self {
            Framer::Sse(decoder) => {
                decoder.finish();
            }
            Framer::Json(framer) => *framer = JsonFramer::new(framer.sequence),
        }
    }

    pub(crate) fn last_event_id(&self) -> Option<&str> {
        match self {
            Framer::Sse(decoder) => decoder.last_event_id(),
            Framer::Json(_) => None,
        }
    }

    pub(crate) fn retry(&self) -> Option<Duration> {
        match self {
            Framer::Sse(decoder) => decoder.retry(),
            Framer::Json(_) => None,
        }
    }
}

/// Cuts JSON lines at each LF, or a JSON text sequence at each RS and at the LF that ends a
/// complete value.
pub(crate) struct JsonFramer {
    /// A JSON text sequence rather than JSON lines.
    sequence: bool,
    buffer: Vec<u8>,
    /// Where the frame not yet handed out starts.
    read: usize,
    /// How far the buffer has been scanned (for a sequence, with `value` describing it).
    scanned: usize,
    value: ValueScan,
}

/// How far a JSON text sequence's current value has been read: enough to tell, at an LF,
/// whether the value is complete.
#[derive(Default)]
struct ValueScan {
    /// Something other than whitespace has been seen.
    started: bool,
    /// Open arrays and objects.
    depth: usize,
    in_string: bool,
    /// The byte before was a backslash in a string.
    escaped: bool,
}

impl JsonFramer {
    fn new(sequence: bool) -> Self {
        JsonFramer { sequence, buffer: Vec::new(), read: 0, scanned: 0, value: ValueScan::default() }
    }

    fn feed(&mut self, chunk: &[u8]) {
        if self.read > 0 {
            self.buffer.drain(..self.read);
            self.scanned -= self.read;
            self.read = 0;
        }
        self.buffer.extend_from_slice(chunk);
    }

    /// The next frame that is not blank.
    fn next_frame(&mut self, ended: bool) -> Option<&[u8]> {
        loop {
            let end = if self.sequence { self.sequence_end() } else { self.line_end() };
            let (start, next) = match end {
                Some(end) => (self.read, end),
                None if ended && self.read < self.buffer.len() => (self.read, self.buffer.len()),
                None => return None,
            };
            self.read = (next + 1).min(self.buffer.len());
            self.scanned = self.read;
            self.value = ValueScan::default();
            if !self.buffer[start..next].trim_ascii().is_empty() {
                return Some(&self.buffer[start..next]);
            }
        }
    }

    /// Where the next line ends (its LF), if it has.
    fn line_end(&mut self) -> Option<usize> {
        match self.buffer[self.scanned..].iter().position(|&byte| byte == b'\n') {
            Some(at) => Some(self.scanned + at),
            None => {
                self.scanned = self.buffer.len();
                None
            }
        }
    }

    /// Where the current value of a sequence ends: at the next RS, or at an LF after a
    /// complete value.
    fn sequence_end(&mut self) -> Option<usize> {
        while let Some(&byte) = self.buffer.get(self.scanned) {
            if byte == RS || (byte == b'\n' && self.value.complete()) {
                return Some(self.scanned);
            }
            self.value.scan(byte);
            self.scanned += 1;
        }
        None
    }
}

impl ValueScan {
    /// Whether a value has been read and all its brackets closed.
    fn complete(&self) -> bool {
        self.started && self.depth == 0 && !self.in_string
    }

    fn scan(&mut self, byte: u8) {
        if self.in_string {
            match byte {
                _ if self.escaped => self.escaped = false,
                b'\\' => self.escaped = true,
                b'"' => self.in_string = false,
                _ => {}
            }
            return;
        }
        match byte {
            b' ' | b'\t' | b'\r' | b'\n' => return,
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        self.started = true;
    }
}
