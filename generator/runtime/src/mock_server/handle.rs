//! [`MockOperationHandle`]: what a test holds to register an operation's replies and read the
//! requests it received, for one of its answers (read whole, or streamed).

use std::collections::VecDeque;
use std::marker::PhantomData;

use super::reply::{bytes_body, MockReply, Reply};
use super::stream::Answer;
use super::{Key, MockOperation, MockServer};

/// One operation of a [`MockServer`]: register its replies, read the requests it received.
/// `R` is the typed request ([`Received`](super::Received)), `T` the successful response's
/// type, or for an operation's streamed answer, the type of one item.
///
/// Each accepted request takes the first queued reply ([`respond_sequence`], [`respond_once`]);
/// once the queue is empty, the operation answers with its standing reply ([`respond`],
/// [`respond_with`], [`respond_with_status`], [`items`]), or else with the spec's example. A
/// refused request takes no reply.
///
/// An operation that answers JSON or a stream, as the request asks (a `stream: true` property,
/// or the stream's media type in `Accept`), has a handle for each answer, each with its own
/// replies and received requests: the accessor named after the client's JSON method, and the
/// one named after its stream method.
///
/// [`respond_sequence`]: MockOperationHandle::respond_sequence
/// [`respond_once`]: MockOperationHandle::respond_once
/// [`respond`]: MockOperationHandle::respond
/// [`respond_with`]: MockOperationHandle::respond_with
/// [`respond_with_status`]: MockOperationHandle::respond_with_status
/// [`items`]: MockOperationHandle::items
pub struct MockOperationHandle<'a, R, T> {
    server: &'a MockServer,
    index: Option<usize>,
    answer: Answer,
    encode: fn(&T) -> Vec<u8>,
    types: PhantomData<fn(&T) -> R>,
}

impl<'a, R, T> MockOperationHandle<'a, R, T> {
    pub(super) fn new(server: &'a MockServer, id: &'static str, answer: Answer, encode: fn(&T) -> Vec<u8>) -> Self {
        let index = server.shared.operations.iter().position(|operation| operation.id == id);
        MockOperationHandle { server, index, answer, encode, types: PhantomData }
    }
}

impl<R: Clone + 'static, T> MockOperationHandle<'_, R, T> {
    /// Answers every later request with this successful response (the spec's status for it),
    /// once the queued replies are used up. For a streamed answer, a stream of this one item.
    pub fn respond(&self, value: &T) -> &Self {
        let Some((key, operation)) = self.operation() else { return self };
        let body = (self.encode)(value);
        self.set_standing(key, MockReply::success(body).prepare(operation, self.answer, bytes_body))
    }

    /// Answers every later request with a stream of these items (then the operation's
    /// terminator, if it has one), once the queued replies are used up: the same as
    /// `respond_with(MockReply::items(items))`. For items sent over time:
    /// `respond_with(MockReply::items(items).delay_between(pause))`.
    ///
    /// # Panics
    ///
    /// When the handle is not for a streamed answer.
    #[track_caller]
    pub fn items(&self, items: impl IntoIterator<Item = T>) -> &Self {
        self.respond_with(MockReply::items(items))
    }

    /// Answers every later request with this status and JSON body, such as one of the API's
    /// error bodies, once the queued replies are used up.
    ///
    /// # Panics
    ///
    /// When `status` is not an HTTP status (100 to 999).
    #[track_caller]
    pub fn respond_with_status(&self, status: u16, body: &impl serde::Serialize) -> &Self {
        let reply = MockReply::json(status, body);
        self.respond_with(reply)
    }

    /// Answers every later request with this reply (its headers and delay included), once the
    /// queued replies are used up.
    ///
    /// # Panics
    ///
    /// When the reply is a stream of items and the handle is not for a streamed answer.
    #[track_caller]
    pub fn respond_with(&self, reply: MockReply<T>) -> &Self {
        let Some((key, operation)) = self.operation() else { return self };
        self.set_standing(key, reply.prepare(operation, self.answer, self.encode))
    }

    /// Goes back to answering with the spec's example once the queued replies are used up.
    pub fn respond_with_example(&self) -> &Self {
        if let Some(key) = self.key() {
            self.server.shared.state().standing.remove(&key);
        }
        self
    }

    /// Queues replies for the next requests, one each, in order, after any already queued;
    /// once they are used up, the operation answers with its standing reply (the spec's example
    /// unless [`respond`](Self::respond) or [`respond_with`](Self::respond_with) set one).
    ///
    /// # Panics
    ///
    /// When a reply is a stream of items and the handle is not for a streamed answer.
    #[track_caller]
    pub fn respond_sequence(&self, replies: impl IntoIterator<Item = MockReply<T>>) -> &Self {
        let Some((key, operation)) = self.operation() else { return self };
        let mut prepared = VecDeque::new();
        for reply in replies {
            prepared.push_back(reply.prepare(operation, self.answer, self.encode));
        }
        self.server.shared.state().queued.entry(key).or_default().extend(prepared);
        self
    }

    /// Queues one reply for the next request not answered by an earlier queued one (see
    /// [`respond_sequence`](Self::respond_sequence)).
    ///
    /// # Panics
    ///
    /// When the reply is a stream of items and the handle is not for a streamed answer.
    #[track_caller]
    pub fn respond_once(&self, reply: MockReply<T>) -> &Self {
        self.respond_sequence([reply])
    }

    /// How many queued replies are still to be sent.
    pub fn queued(&self) -> usize {
        let Some(key) = self.key() else { return 0 };
        self.server.shared.state().queued.get(&key).map_or(0, VecDeque::len)
    }

    /// The requests the server accepted for this operation and answer, in order, decoded.
    pub fn received(&self) -> Vec<R> {
        let Some(key) = self.key() else { return Vec::new() };
        let state = self.server.shared.state();
        let received = state.received.get(&key).map(Vec::as_slice).unwrap_or_default();
        received.iter().filter_map(|request| request.downcast_ref::<R>()).cloned().collect()
    }

    /// Answers every later request with what `compute` works out from it, once the queued
    /// replies are used up (the mock's paginated lists).
    #[allow(dead_code, reason = "the mock's paginated lists use it, in crates with pagers")]
    pub(crate) fn respond_computed(&self, compute: super::Compute) -> &Self {
        let Some(key) = self.key() else { return self };
        self.set_standing(key, Reply::computed(compute))
    }

    /// The operation, as the server knows it, and the server's base URL.
    #[allow(dead_code, reason = "the mock's paginated lists use it, in crates with pagers")]
    pub(crate) fn served(&self) -> Option<(&'static MockOperation, String)> {
        Some((self.operation()?.1, self.server.uri()))
    }

    fn key(&self) -> Option<Key> {
        Some((self.index?, self.answer))
    }

    fn operation(&self) -> Option<(Key, &'static MockOperation)> {
        let index = self.index?;
        Some(((index, self.answer), self.server.shared.operations.get(index)?))
    }

    fn set_standing(&self, key: Key, reply: Reply) -> &Self {
        self.server.shared.state().standing.insert(key, reply);
        self
    }
}
