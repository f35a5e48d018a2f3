//! Responses whose body is a stream of items: server-sent events (`text/event-stream`), JSON
//! lines (`application/x-ndjson`, `application/jsonl`, …) and JSON text sequences (RFC 7464,
//! `application/json-seq`), read as an [`ItemStream`] of typed items.
//!
//! The body is read chunk by chunk, and each item is handed out as soon as its frame is
//! complete, never waiting for the body to end (a stream may never end). An item that does not
//! decode is an error naming the item (its index, and for server-sent events its type and id),
//! where in it decoding stopped and what kind of mismatch it was, never its data; the stream goes
//! on with the next item. A frame larger than the limit ([`ItemStream::max_frame_size`]) or a
//! failure to read the body is an error that ends the stream.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::error::{Error, SensitiveBody, StreamItemError};
use crate::event_frames::{Frame, Framer};
pub use crate::event_reconnect::Reconnect;
use crate::event_reconnect::{Reconnection, Resend, ResendFuture, Stop};
use crate::response::DecodeFailure;
pub use crate::sse::SseEvent;

/// The largest frame an [`ItemStream`] accepts unless told otherwise: 16 MiB.
pub const DEFAULT_MAX_FRAME_SIZE: usize = 16 * 1024 * 1024;

/// How a body is cut into items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Framing {
    /// Server-sent events (`text/event-stream`); an item is an event's data.
    Sse,
    /// One JSON value per line (`application/x-ndjson`, `application/jsonl`, …). Lines may end
    /// with LF or CRLF; blank lines are skipped; the last line needs no line end.
    JsonLines,
    /// JSON text sequences (RFC 7464, `application/json-seq`): each value after an RS byte
    /// (0x1E) and ended by an LF. A value is complete at the first LF outside a string once
    /// its brackets are closed, so values may span lines.
    JsonSeq,
}

impl Framing {
    /// The framing of a media type (a `Content-Type` value; parameters and case are ignored),
    /// if it is a stream of items.
    pub fn of_media_type(media_type: &str) -> Option<Framing> {
        let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        match essence.as_str() {
            "text/event-stream" => Some(Framing::Sse),
            "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
            | "application/jsonlines"
            | "application/json-lines" => Some(Framing::JsonLines),
            "application/json-seq" => Some(Framing::JsonSeq),
            _ if essence.ends_with("+json-seq") => Some(Framing::JsonSeq),
            _ => None,
        }
    }
}

/// Where an [`ItemStream`] reads its bytes: a response's body (`From<reqwest::Response>`), or
/// chunks already in memory ([`ByteSource::from_chunks`], for tests and benchmarks).
pub struct ByteSource {
    body: Box<dyn ReadChunk>,
    request_id: Option<String>,
    /// How to send the request again to resume the stream, for a response to a client call.
    resend: Option<Resend>,
}

impl ByteSource {
    /// A body made of `chunks`, read one at a time as if each had just arrived.
    pub fn from_chunks<I>(chunks: I) -> Self
    where
        I: IntoIterator,
        I::IntoIter: Send + 'static,
        I::Item: AsRef<[u8]> + Send + 'static,
    {
        ByteSource { body: Box::new(Chunks(chunks.into_iter())), request_id: None, resend: None }
    }

    /// The same body, resumable by sending its request again (see [`ItemStream::reconnect`]).
    #[allow(dead_code, reason = "used by crates with a stream of server-sent events")]
    pub(crate) fn resumable(mut self, resend: Resend) -> Self {
        self.resend = Some(resend);
        self
    }
}

impl From<reqwest::Response> for ByteSource {
    /// The body of a successful response. The client's `max_response_size` does not apply; the
    /// stream's frame limit does.
    fn from(response: reqwest::Response) -> Self {
        let request_id = ["x-request-id", "request-id"]
            .iter()
            .find_map(|name| response.headers().get(*name))
            .and_then(|value| value.to_str().ok())
            .map(str::to_string);
        ByteSource { body: Box::new(response), request_id, resend: None }
    }
}

impl fmt::Debug for ByteSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteSource").field("request_id", &self.request_id).finish_non_exhaustive()
    }
}

/// A chunk of a body.
type Chunk = Box<dyn AsRef<[u8]> + Send>;

/// Reading the next chunk: the future owns the body and hands it back with the chunk.
type ChunkFuture = Pin<Box<dyn Future<Output = (Box<dyn ReadChunk>, Result<Option<Chunk>, Error>)> + Send>>;

/// A body read chunk by chunk; `None` at its end.
trait ReadChunk: Send + 'static {
    fn read(self: Box<Self>) -> ChunkFuture;
}

impl ReadChunk for reqwest::Response {
    fn read(mut self: Box<Self>) -> ChunkFuture {
        Box::pin(async move {
            let chunk = match self.chunk().await {
                Ok(chunk) => Ok(chunk.map(|bytes| Box::new(bytes) as Chunk)),
                Err(error) => Err(Error::transport(error)),
            };
            (self as Box<dyn ReadChunk>, chunk)
        })
    }
}

/// Chunks in memory.
struct Chunks<I>(I);

impl<I> ReadChunk for Chunks<I>
where
    I: Iterator + Send + 'static,
    I::Item: AsRef<[u8]> + Send + 'static,
{
    fn read(mut self: Box<Self>) -> ChunkFuture {
        let chunk = self.0.next().map(|chunk| Box::new(chunk) as Chunk);
        Box::pin(std::future::ready((self as Box<dyn ReadChunk>, Ok(chunk))))
    }
}

/// The items of a streamed response body, each handed out as soon as its frame has arrived.
///
/// Read it with the inherent [`ItemStream::next`], or as a [`futures_core::Stream`] with any
/// async stream library. After the last item (the body's end, the terminator, or an error that
/// ends the stream), `next` returns `None`. Dropping the stream closes the response.
pub struct ItemStream<T> {
    state: State,
    framer: Framer,
    decode: fn(Frame<'_>) -> Result<T, ItemFailure>,
    terminator: Option<String>,
    max_frame_size: usize,
    /// The index of the next item, counting items that did not decode.
    index: u64,
    request_id: Option<String>,
    /// How the stream would resume on a new connection (server-sent events from a client call).
    reconnection: Option<Reconnection>,
}

/// Where the reading of the body stands.
enum State {
    /// Waiting to read the next chunk.
    Idle(Box<dyn ReadChunk>),
    Reading(ChunkFuture),
    /// The body stopped, and the stream is resuming on a new connection.
    Reconnecting(ResendFuture),
    /// The body has ended; frames may remain in the framer.
    Ended,
    /// Nothing more: every item was handed out, or an error or the terminator ended the stream.
    Done,
}

impl<T: DeserializeOwned> ItemStream<T> {
    /// The items of `body`, cut by `framing`, each decoded from JSON as a `T` (for server-sent
    /// events, from an event's data).
    pub fn new(body: impl Into<ByteSource>, framing: Framing) -> Self {
        Self::with_decoder(body.into(), Framer::new(framing), decode_json::<T>)
    }
}

impl ItemStream<SseEvent> {
    /// The server-sent events of `body` themselves (type, data, id, retry), not decoded.
    pub fn events(body: impl Into<ByteSource>) -> Self {
        Self::with_decoder(body.into(), Framer::new(Framing::Sse), raw_event)
    }
}

impl<T> ItemStream<T> {
    fn with_decoder(source: ByteSource, framer: Framer, decode: fn(Frame<'_>) -> Result<T, ItemFailure>) -> Self {
        let resumable = framer.framing() == Framing::Sse;
        ItemStream {
            reconnection: source.resend.filter(|_| resumable).map(Reconnection::new),
            state: State::Idle(source.body),
            framer,
            decode,
            terminator: None,
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
            index: 0,
            request_id: source.request_id,
        }
    }

    /// Ends the stream, without an error, at a frame whose text is exactly `terminator` (for
    /// server-sent events, an event's data; otherwise the frame without surrounding
    /// whitespace), such as `[DONE]`. The rest of the body is not read.
    pub fn terminator(mut self, terminator: impl Into<String>) -> Self {
        self.terminator = Some(terminator.into());
        self
    }

    /// Resumes the stream on a new connection when reading the body fails (or, as `policy`
    /// says, when it ends), by sending the request again with the last event id as
    /// `Last-Event-ID`; off unless set. See [`Reconnect`] for when and how often.
    ///
    /// Only a stream of server-sent events that a client method returned can resume, once
    /// the server has sent an event id; for other streams this changes nothing. The server
    /// must support `Last-Event-ID` for the items not to be repeated: a server that ignores it
    /// starts over. The failures a reconnection recovers from are not handed over; the last
    /// one is, when the attempts run out.
    pub fn reconnect(mut self, policy: Reconnect) -> Self {
        if let Some(reconnection) = &mut self.reconnection {
            reconnection.enable(policy);
        }
        self
    }

    /// The largest frame accepted, in bytes (16 MiB unless set): a frame
    /// that grows larger, complete or not, is an [`Error::StreamFrameTooLarge`] that ends the
    /// stream, so a body without frame ends cannot take unbounded memory.
    pub fn max_frame_size(mut self, bytes: usize) -> Self {
        self.max_frame_size = bytes;
        self
    }

    /// The last event id of a server-sent event stream: the latest `id` field the server sent,
    /// which a client resuming the stream sends back as `Last-Event-ID`; `None` for other
    /// framings.
    pub fn last_event_id(&self) -> Option<&str> {
        self.framer.last_event_id()
    }

    /// The reconnection time a server-sent event stream asked for last, if it did.
    pub fn retry(&self) -> Option<Duration> {
        self.framer.retry()
    }

    /// The request id of the response, from its headers, if it had one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The next item, as soon as its frame has arrived; `None` after the last.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, Error>>> {
        loop {
            let ended = matches!(self.state, State::Ended);
            if let Some(item) = self.take_item(ended) {
                return Poll::Ready(item);
            }
            match std::mem::replace(&mut self.state, State::Done) {
                State::Idle(body) => self.state = State::Reading(body.read()),
                State::Reading(mut reading) => match reading.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = State::Reading(reading);
                        return Poll::Pending;
                    }
                    Poll::Ready((body, Ok(Some(chunk)))) => {
                        self.framer.feed((*chunk).as_ref());
                        self.state = State::Idle(body);
                    }
                    Poll::Ready((_, chunk)) => {
                        let stop = chunk.map_or_else(Stop::Failed, |_| Stop::Ended);
                        if let Some(error) = self.stopped(stop) {
                            return Poll::Ready(Some(Err(error)));
                        }
                    }
                },
                State::Reconnecting(mut reconnecting) => match reconnecting.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = State::Reconnecting(reconnecting);
                        return Poll::Pending;
                    }
                    Poll::Ready(Ok(source)) => {
                        self.request_id = source.request_id;
                        self.state = State::Idle(source.body);
                    }
                    Poll::Ready(Err(error)) => {
                        if let Some(error) = self.stopped(Stop::Failed(error)) {
                            return Poll::Ready(Some(Err(error)));
                        }
                    }
                },
                State::Ended | State::Done => return Poll::Ready(None),
            }
        }
    }

    /// After the body stopped: resumes on a new connection if the stream reconnects (what is
    /// left of an unfinished event is dropped then), or else ends the stream, handing over
    /// the failure if it was one.
    fn stopped(&mut self, stop: Stop) -> Option<Error> {
        let resuming = self
            .reconnection
            .as_mut()
            .and_then(|reconnection| reconnection.after(&stop, self.framer.last_event_id(), self.framer.retry()));
        if let Some(reconnecting) = resuming {
            self.framer.restart();
            self.state = State::Reconnecting(reconnecting);
            return None;
        }
        match stop {
            Stop::Ended => {
                self.state = State::Ended;
                None
            }
            Stop::Failed(error) => {
                self.state = State::Done;
                Some(error)
            }
        }
    }

    /// The next item from the bytes read so far: `Some(None)` when the stream is over (the
    /// terminator), `None` when more bytes are needed.
    fn take_item(&mut self, ended: bool) -> Option<Option<Result<T, Error>>> {
        if matches!(self.state, State::Done) {
            return Some(None);
        }
        let Some(frame) = self.framer.next_frame(ended) else {
            return (self.framer.pending_len() > self.max_frame_size).then(|| Some(Err(self.too_large())));
        };
        if frame.len() > self.max_frame_size {
            return Some(Some(Err(self.too_large())));
        }
        if self.terminator.as_deref().is_some_and(|terminator| frame.is_text(terminator)) {
            self.state = State::Done;
            return Some(None);
        }
        let index = self.index;
        self.index += 1;
        if let Some(reconnection) = &mut self.reconnection {
            reconnection.item_arrived();
        }
        Some(Some((self.decode)(frame).map_err(|mut failure| {
            failure.index = index;
            failure.request_id.clone_from(&self.request_id);
            Error::StreamItem(failure)
        })))
    }

    /// The error for a frame over the limit, which ends the stream.
    fn too_large(&mut self) -> Error {
        self.state = State::Done;
        Error::StreamFrameTooLarge {
            index: self.index,
            limit: self.max_frame_size,
            request_id: self.request_id.clone(),
        }
    }
}

impl<T> futures_core::Stream for ItemStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

impl<T> futures_core::FusedStream for ItemStream<T> {
    fn is_terminated(&self) -> bool {
        matches!(self.state, State::Done)
    }
}

impl<T> fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("framing", &self.framer.framing())
            .field("next_index", &self.index)
            .field("request_id", &self.request_id)
            .field("done", &matches!(self.state, State::Done))
            .finish_non_exhaustive()
    }
}

/// A frame that did not decode, as the error says it; the stream fills in the index and the
/// request id.
type ItemFailure = Box<StreamItemError>;

/// The failure to decode `data`, with the event's type and id.
fn item_failure(failure: DecodeFailure, event: Option<String>, id: Option<String>, data: Vec<u8>) -> ItemFailure {
    Box::new(StreamItemError {
        index: 0,
        event,
        id,
        path: failure.path,
        mismatch: failure.mismatch,
        request_id: None,
        data: SensitiveBody::new(data).with_decoder_message(failure.message),
    })
}

/// Decodes a frame as JSON.
fn decode_json<T: DeserializeOwned>(frame: Frame<'_>) -> Result<T, ItemFailure> {
    // The status is not part of decoding; a stream is read from a successful response.
    let decode = |bytes: &[u8]| crate::response::decode::<T>(reqwest::StatusCode::OK, bytes);
    match frame {
        // Checking the frame's UTF-8 once and decoding it as text is faster than decoding
        // bytes, which checks each string's UTF-8 on its own (about a sixth of the time per
        // line). Only a failure is decoded again, through `decode`, for its path.
        Frame::Json(bytes) => match std::str::from_utf8(bytes).map(serde_json::from_str::<T>) {
            Ok(Ok(value)) => Ok(value),
            _ => decode(bytes).map_err(|failure| item_failure(failure, None, None, bytes.to_vec())),
        },
        // The decoder made the data a `String` already: decoding it as text skips checking
        // its UTF-8 again (a tenth of the time per event).
        Frame::Event(event) => match serde_json::from_str::<T>(&event.data) {
            Ok(value) => Ok(value),
            Err(_) => decode(event.data.as_bytes())
                .map_err(|failure| item_failure(failure, event.event, event.id, event.data.into_bytes())),
        },
    }
}

/// Hands out a server-sent event itself (a frame of another framing as an event's data).
fn raw_event(frame: Frame<'_>) -> Result<SseEvent, ItemFailure> {
    Ok(match frame {
        Frame::Event(event) => event,
        Frame::Json(bytes) => SseEvent { data: String::from_utf8_lossy(bytes).into_owned(), ..SseEvent::default() },
    })
}
