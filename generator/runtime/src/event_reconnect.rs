//! Resuming a stream of server-sent events on a new connection after the old one failed, by
//! sending the request again with the last event id as `Last-Event-ID` (the server-sent events
//! specification's reconnection). Off unless asked for with [`ItemStream::reconnect`].
//!
//! [`ItemStream::reconnect`]: crate::event_stream::ItemStream::reconnect

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::error::Error;
use crate::event_stream::ByteSource;

/// When a stream of server-sent events reconnects, and how patiently; given to
/// [`ItemStream::reconnect`](crate::event_stream::ItemStream::reconnect).
///
/// A stream reconnects only after the server has sent an event id, so that the server can
/// tell where to resume; before the first id, a failure ends the stream as it would without
/// reconnection. Each reconnection is a new call of the operation, with the client's
/// credentials, retries and deadline, and the `Last-Event-ID` header set to the last event id.
/// It waits first for the reconnection time the server last asked for (its `retry` field, at
/// most [`Reconnect::max_delay`]), or else [`Reconnect::delay`].
///
/// ```ignore
/// // Follow a log live, resuming after failures and after the server closes the body.
/// let policy = Reconnect::new().max_attempts(5).after_end(true);
/// let mut lines = client.follow_job_log(&params).await?.reconnect(policy);
/// while let Some(line) = lines.next().await { /* … */ }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconnect {
    max_attempts: u32,
    delay: Duration,
    max_delay: Duration,
    after_end: bool,
}

impl Default for Reconnect {
    fn default() -> Self {
        Reconnect {
            max_attempts: 3,
            delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            after_end: false,
        }
    }
}

impl Reconnect {
    /// Reconnects after a failure to read the body: at most 3 times in a row without an item
    /// in between, 1 s apart unless the server asked otherwise (at most 30 s).
    pub fn new() -> Self {
        Self::default()
    }

    /// How many reconnections in a row may bring no item before the stream gives up and
    /// hands over the last failure (3 unless set). An item resets the count.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// The wait before reconnecting when the server has not sent a `retry` field (1 s unless
    /// set).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// The longest wait a server's `retry` field can ask for (30 s unless set).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Whether a body that ends without the stream's terminator is resumed too, as a browser's
    /// `EventSource` does (`false` unless set: the end of a body ends the stream). For streams
    /// that are meant never to end, such as watches and logs followed live.
    pub fn after_end(mut self, after_end: bool) -> Self {
        self.after_end = after_end;
        self
    }
}

/// Sending the request again with a `Last-Event-ID`: the body of the new response, or the
/// call's error; `None` if the request cannot be sent again.
pub(crate) type Resend = Box<dyn Fn(String) -> Option<ResendFuture> + Send + Sync>;

/// A reconnection under way: the wait, then the call.
pub(crate) type ResendFuture = Pin<Box<dyn Future<Output = Result<ByteSource, Error>> + Send>>;

/// Why the body stopped.
pub(crate) enum Stop {
    Ended,
    Failed(Error),
}

/// What a stream needs to reconnect: how to send its request again, and when to.
pub(crate) struct Reconnection {
    resend: Resend,
    policy: Option<Reconnect>,
    /// Reconnections since the last item.
    attempts: u32,
}

impl Reconnection {
    pub(crate) fn new(resend: Resend) -> Self {
        Reconnection { resend, policy: None, attempts: 0 }
    }

    pub(crate) fn enable(&mut self, policy: Reconnect) {
        self.policy = Some(policy);
    }

    /// An item arrived: the count of attempts starts again.
    pub(crate) fn item_arrived(&mut self) {
        self.attempts = 0;
    }

    /// The reconnection after the body stopped, if the policy allows one: the wait (the
    /// server's `retry`, if it asked, or the policy's delay) and the call with `last_event_id`.
    pub(crate) fn after(
        &mut self,
        stop: &Stop,
        last_event_id: Option<&str>,
        retry: Option<Duration>,
    ) -> Option<ResendFuture> {
        let policy = self.policy.as_ref()?;
        let last_event_id = last_event_id?;
        if self.attempts >= policy.max_attempts || (matches!(stop, Stop::Ended) && !policy.after_end) {
            return None;
        }
        let sending = (self.resend)(last_event_id.to_string())?;
        self.attempts += 1;
        let delay = retry.map_or(policy.delay, |retry| retry.min(policy.max_delay));
        Some(Box::pin(async move {
            tokio::time::sleep(delay).await;
            sending.await
        }))
    }
}
