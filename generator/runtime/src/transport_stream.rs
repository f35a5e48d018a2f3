//! Sending a request whose response is a stream of items (server-sent events, JSON lines, JSON
//! text sequences): through the same call as every other request, up to the response's head,
//! after which the body is read item by item as an [`ItemStream`].
//!
//! What bounds a streamed call differs from other calls, since its body may last for minutes
//! or never end:
//!
//! - The client's timeout (`ClientBuilder::timeout`, `Client::with_timeout`) limits each
//!   attempt's wait for the response's head (and the reading of an error status's body), not
//!   the stream: a stream is never cut off by it. A head that does not come in time ends the
//!   call with an [`Error::DeadlineExceeded`] whose `deadline` is the timeout
//!   ([`Error::is_timeout`]); it is not retried.
//! - Retries, the call's deadline and the cap on concurrent calls
//!   (`ClientBuilder::max_concurrent_calls`) apply until the head has arrived. The call's slot
//!   is then free again, so open streams do not hold back other calls; the deadline does not
//!   cut the body either.
//! - The tracing span and the response hook see the call end when the head has arrived, with
//!   its status and request id. Failures while the body is read are the stream's items.
//! - A stream of server-sent events set to reconnect ([`ItemStream::reconnect`]) sends the
//!   request again, a call like the first with its own retries and deadline, with the last
//!   event id as `Last-Event-ID`.

use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::event_reconnect::Resend;
use crate::event_stream::{ByteSource, Framing, ItemStream, SseEvent};
use crate::response::{header_request_id, read_whole};
use crate::transport::{Authenticate, OperationInfo, Outcome, Patience, Transport};

impl Transport {
    /// Sends a request whose successful response is a stream, asking for `accept` (its
    /// media type, e.g. `text/event-stream`), with the credentials its operation accepts,
    /// retrying within the policy and the deadline until a response's head arrives (see the
    /// module's documentation for the timeout). A successful status hands back the response
    /// with its body unread, and what it takes to send the request again; an error status is
    /// read and decoded as [`Transport::send`] does.
    #[allow(dead_code, reason = "called by the generated methods of streamed operations, not by this crate")]
    pub(crate) async fn send_stream<C: Authenticate + Send + Sync + 'static>(
        &self,
        credentials: &Arc<C>,
        operation: &'static OperationInfo,
        request: reqwest::RequestBuilder,
        accept: &'static str,
    ) -> Result<StreamStart, Error> {
        let request = request.header(reqwest::header::ACCEPT, accept);
        // A body that cannot be sent twice (none of the generated methods' bodies) cannot resume.
        let resend = request.try_clone().map(|again| self.resend(Arc::clone(credentials), operation, again));
        let start = self.send_stream_once(&**credentials, operation, request).await?;
        Ok(StreamStart { resend, ..start })
    }

    /// Sending `request` again, with a `Last-Event-ID`, as a stream that resumes does.
    fn resend<C: Authenticate + Send + Sync + 'static>(
        &self,
        credentials: Arc<C>,
        operation: &'static OperationInfo,
        request: reqwest::RequestBuilder,
    ) -> Resend {
        let transport = self.clone();
        Box::new(move |last_event_id| {
            let request = with_last_event_id(request.try_clone()?, &last_event_id)?;
            let (transport, credentials) = (transport.clone(), Arc::clone(&credentials));
            Some(Box::pin(async move {
                let start = transport.send_stream_once(&*credentials, operation, request).await?;
                Ok(ByteSource::from(start))
            }))
        })
    }

    /// One call for a stream, up to the response's head.
    async fn send_stream_once(
        &self,
        credentials: &impl Authenticate,
        operation: &OperationInfo,
        request: reqwest::RequestBuilder,
    ) -> Result<StreamStart, Error> {
        let limit = self.shared.max_response_size;
        let head = |response: reqwest::Response| async move {
            if response.status().is_success() {
                return Ok(response);
            }
            Err(read_whole(response, limit).await?.into_error(operation))
        };
        let start = |response: reqwest::Response| {
            let request_id = header_request_id(response.headers());
            Ok(StreamStart { response, request_id, resend: None })
        };
        self.call(credentials, operation, request, Patience::Head, head, start).await
    }
}

/// A successful streamed response whose head has arrived, its body not yet read.
/// [`StreamStart::items`] and [`StreamStart::events`] read the body as a stream of items.
pub struct StreamStart {
    response: reqwest::Response,
    request_id: Option<String>,
    resend: Option<Resend>,
}

impl StreamStart {
    /// The items of the body, cut by `framing`, each decoded from JSON as a `T` (for
    /// server-sent events, from an event's data); see [`ItemStream::new`].
    #[allow(dead_code, reason = "used by crates with a typed streamed response")]
    pub fn items<T: DeserializeOwned>(self, framing: Framing) -> ItemStream<T> {
        ItemStream::new(self, framing)
    }

    /// The server-sent events of the body themselves, not decoded; see
    /// [`ItemStream::events`].
    #[allow(dead_code, reason = "used by crates with an event stream of untyped events")]
    pub fn events(self) -> ItemStream<SseEvent> {
        ItemStream::events(self)
    }
}

impl Outcome for StreamStart {
    fn status(&self) -> reqwest::StatusCode {
        self.response.status()
    }

    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl From<StreamStart> for ByteSource {
    fn from(start: StreamStart) -> Self {
        let source = ByteSource::from(start.response);
        match start.resend {
            Some(resend) => source.resumable(resend),
            None => source,
        }
    }
}

/// `request` with its `Last-Event-ID` header set to `last_event_id` (replacing one the caller
/// set), or `None` if the id cannot be a header value.
fn with_last_event_id(request: reqwest::RequestBuilder, last_event_id: &str) -> Option<reqwest::RequestBuilder> {
    let value = reqwest::header::HeaderValue::from_str(last_event_id).ok()?;
    let (http, request) = request.build_split();
    let mut request = request.ok()?;
    request.headers_mut().insert("last-event-id", value);
    Some(reqwest::RequestBuilder::from_parts(http, request))
}

impl std::fmt::Debug for StreamStart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamStart")
            .field("status", &self.response.status())
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

/// A request body sent as JSON with one top-level boolean property set to a given value,
/// whatever the body's own value for it: for operations that answer with a stream or not
/// depending on a request property (`"stream": true`). Sent with `RequestBuilder::json`.
///
/// A body that does not serialize as a JSON object fails to serialize, which the call reports
/// as it does any body that fails to serialize (an [`Error::Transport`] whose source is a
/// builder error; nothing is sent). The properties come out in `serde_json`'s map order.
#[allow(dead_code, reason = "used by crates with operations that stream or not by a request property")]
pub(crate) fn with_flag<'a, B: serde::Serialize + ?Sized>(body: &'a B, flag: &'a str, value: bool) -> WithFlag<'a, B> {
    WithFlag { body, flag, value }
}

/// See [`with_flag`].
pub(crate) struct WithFlag<'a, B: ?Sized> {
    body: &'a B,
    flag: &'a str,
    value: bool,
}

impl<B: serde::Serialize + ?Sized> serde::Serialize for WithFlag<'_, B> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        let mut body = serde_json::to_value(self.body).map_err(S::Error::custom)?;
        let Some(properties) = body.as_object_mut() else {
            let flag = self.flag;
            return Err(S::Error::custom(format_args!(
                "the request body is not a JSON object, so it cannot hold `{flag}`"
            )));
        };
        properties.insert(self.flag.to_string(), serde_json::Value::Bool(self.value));
        body.serialize(serializer)
    }
}
