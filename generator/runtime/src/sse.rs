//! An incremental decoder of server-sent events (`text/event-stream`), by the parsing rules of
//! the WHATWG HTML standard ("Server-sent events", "Interpreting an event stream").
//!
//! Bytes are fed in chunks of any size, as they arrive; every event is handed out as soon as
//! the empty line that ends it has arrived. The rules:
//!
//! - Lines end with CR, LF or CRLF, mixed freely; a CR at the end of one chunk and an LF at
//!   the start of the next are one line end.
//! - One byte order mark at the start of the stream is skipped.
//! - A line starting with `:` is a comment. Otherwise the line is split at its first `:` into
//!   a field name and a value, and one space after the colon is removed; a line without a colon
//!   is a field name with an empty value.
//! - `data` appends its value and an LF to the event's data; `event` sets the event type; `id`
//!   sets the last event id, unless the value contains a NUL (then the field is ignored); `retry`
//!   sets the reconnection time, in milliseconds, when the value is ASCII digits only (and fits
//!   in 64 bits). Other fields are ignored.
//! - An empty line dispatches the event: its data without the final LF, its type, and the last
//!   event id, which persists from event to event until an `id` field changes it. An event
//!   whose data is empty (no `data` field) is not dispatched, but its `id` still counts.
//! - An event the stream ends in the middle of is dropped ([`SseDecoder::finish`]).
//!
//! Text is decoded line by line, once a line is complete, so a character split across chunks
//! is whole. Bytes that are not UTF-8 become U+FFFD REPLACEMENT CHARACTER, as browsers decode
//! event streams; decoding never fails.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One event of a server-sent event stream.
///
/// `Debug` shows the data's length, not the data, which may hold personal data.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SseEvent {
    /// The event type (its `event` field); `None` when the stream named none, which the
    /// standard calls a `message` event (see [`SseEvent::event_type`]).
    pub event: Option<String>,
    /// The data: the values of its `data` fields, joined by LF.
    pub data: String,
    /// The last event id when the event was dispatched: from this event's `id` field or an
    /// earlier one; `None` when no id was set, or it was set empty.
    pub id: Option<String>,
    /// The reconnection time this event's `retry` field asked for, if it had one.
    pub retry: Option<Duration>,
}

impl SseEvent {
    /// The event type, `message` when the stream named none.
    pub fn event_type(&self) -> &str {
        self.event.as_deref().unwrap_or("message")
    }
}

impl fmt::Debug for SseEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SseEvent")
            .field("event", &self.event)
            .field("data", &format_args!("{} bytes, not shown", self.data.len()))
            .field("id", &self.id)
            .field("retry", &self.retry)
            .finish()
    }
}

/// An incremental decoder of server-sent events: [`SseDecoder::feed`] it the bytes of a
/// stream as they arrive, and take the events completed so far with
/// [`SseDecoder::next_event`].
#[derive(Debug, Default)]
pub struct SseDecoder {
    lines: Lines,
    fields: Fields,
}

impl SseDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends the next bytes of the stream.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.lines.feed(chunk);
    }

    /// The next complete event in the bytes fed so far, or `None` until more arrive.
    pub fn next_event(&mut self) -> Option<SseEvent> {
        while let Some(line) = self.lines.next_line() {
            if let Some(event) = self.fields.line(line) {
                return Some(event);
            }
        }
        None
    }

    /// Ends the stream: drops what is left of an unfinished event, and returns whether there
    /// was any (an event without its final empty line, or a line without its end). The last
    /// event id and the reconnection time are kept, and the decoder is ready for a new
    /// connection's stream.
    pub fn finish(&mut self) -> bool {
        let unfinished = self.lines.pending() > 0 || self.fields.pending() > 0;
        self.lines = Lines::default();
        self.fields.clear_event();
        unfinished
    }

    /// The last event id: the value of the latest `id` field of a dispatched event (or of an
    /// event without data, which is not dispatched). `None` before any, or after an empty `id`.
    /// A client reconnecting sends it as `Last-Event-ID`.
    pub fn last_event_id(&self) -> Option<&str> {
        Some(self.fields.last_event_id.as_str()).filter(|id| !id.is_empty())
    }

    /// The reconnection time the stream asked for last with a `retry` field, if it did.
    pub fn retry(&self) -> Option<Duration> {
        self.fields.retry
    }

    /// How many bytes the decoder holds for the event not yet complete: the line not yet
    /// ended and the fields read so far. A caller bounds an event's size with it.
    pub fn pending_len(&self) -> usize {
        self.lines.pending() + self.fields.pending()
    }
}

/// The bytes of a stream, cut into lines.
#[derive(Debug, Default)]
struct Lines {
    buffer: Vec<u8>,
    /// Where the first line not yet handed out starts.
    read: usize,
    /// How far from `read` the buffer is known to hold no line end.
    scanned: usize,
    /// The last line ended with a CR: an LF right after it belongs to the same line end.
    after_cr: bool,
    /// Whether the start of the stream has been checked for a byte order mark.
    bom_checked: bool,
}

impl Lines {
    fn feed(&mut self, chunk: &[u8]) {
        if self.read > 0 {
            self.buffer.drain(..self.read);
            self.scanned -= self.read;
            self.read = 0;
        }
        self.buffer.extend_from_slice(chunk);
    }

    /// The next complete line, without its line end.
    fn next_line(&mut self) -> Option<&[u8]> {
        if !self.bom_checked && !self.skip_bom() {
            return None;
        }
        if self.after_cr {
            match self.buffer.get(self.read) {
                None => return None,
                Some(b'\n') => self.read += 1,
                Some(_) => {}
            }
            self.after_cr = false;
        }
        let from = self.scanned.max(self.read);
        let Some(at) = self.buffer[from..].iter().position(|&byte| byte == b'\n' || byte == b'\r') else {
            self.scanned = self.buffer.len();
            return None;
        };
        let (start, end) = (self.read, from + at);
        self.after_cr = self.buffer[end] == b'\r';
        self.read = end + 1;
        self.scanned = self.read;
        Some(&self.buffer[start..end])
    }

    /// Skips a byte order mark at the start of the stream; `false` while too few bytes have
    /// arrived to tell.
    fn skip_bom(&mut self) -> bool {
        let start = &self.buffer[self.read..];
        if start.len() < BOM.len() && BOM.starts_with(start) {
            return false;
        }
        if start.starts_with(BOM) {
            self.read += BOM.len();
        }
        self.bom_checked = true;
        true
    }

    /// The bytes of the line not yet ended.
    fn pending(&self) -> usize {
        self.buffer.len() - self.read
    }
}

/// The fields of the event being read, and what persists from event to event.
#[derive(Debug, Default)]
struct Fields {
    /// The data buffer: each `data` value followed by an LF.
    data: String,
    event_type: String,
    /// The last event id buffer, which becomes `last_event_id` when an event is dispatched.
    id: String,
    /// The `retry` value of the event being read.
    event_retry: Option<Duration>,
    last_event_id: String,
    retry: Option<Duration>,
}

impl Fields {
    /// Reads one line; an empty line dispatches the event.
    fn line(&mut self, line: &[u8]) -> Option<SseEvent> {
        let (name, value) = match line.iter().position(|&byte| byte == b':') {
            None if line.is_empty() => return self.dispatch(),
            None => (line, &b""[..]),
            Some(0) => return None,
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
        };
        match name {
            b"data" => {
                self.data.push_str(&text(value));
                self.data.push('\n');
            }
            b"event" => {
                self.event_type.clear();
                self.event_type.push_str(&text(value));
            }
            b"id" if !value.contains(&0) => {
                self.id.clear();
                self.id.push_str(&text(value));
            }
            b"retry" => {
                if let Some(millis) = retry_millis(value) {
                    self.event_retry = Some(Duration::from_millis(millis));
                    self.retry = self.event_retry;
                }
            }
            _ => {}
        }
        None
    }

    /// Ends the event being read: hands it out, unless its data is empty.
    fn dispatch(&mut self) -> Option<SseEvent> {
        self.last_event_id.clone_from(&self.id);
        let retry = self.event_retry.take();
        if self.data.is_empty() {
            self.event_type.clear();
            return None;
        }
        self.data.pop();
        let event = Some(std::mem::take(&mut self.event_type)).filter(|event| !event.is_empty());
        let id = Some(self.last_event_id.clone()).filter(|id| !id.is_empty());
        Some(SseEvent { event, data: std::mem::take(&mut self.data), id, retry })
    }

    /// Forgets the event being read (the last event id buffer goes back to the last event id).
    fn clear_event(&mut self) {
        self.data.clear();
        self.event_type.clear();
        self.id.clone_from(&self.last_event_id);
        self.event_retry = None;
    }

    /// The bytes held for the event being read.
    fn pending(&self) -> usize {
        self.data.len() + self.event_type.len()
    }
}

/// A field value as text, with bytes that are not UTF-8 replaced.
fn text(value: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(value)
}

/// A `retry` value: ASCII digits only, at least one, within 64 bits.
fn retry_millis(value: &[u8]) -> Option<u64> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(value).ok()?.parse().ok()
}
