//! The typed mock server of the `mock` feature: a local HTTP server (wiremock underneath) that
//! answers each operation with replies registered in its own types (one for every request, or
//! a sequence, each with headers and a delay), or with the spec's example; checks every request
//! against the spec (route, credentials and their values, parameters, body); and keeps the
//! requests it accepted, decoded, for the test to look at.
//!
//! What varies with the spec (the operations, how each request is decoded and checked, the
//! credentials, the typed accessors) is written into `mock.rs` of each crate; this module and
//! its submodules do the rest: `request` (routing and decoding), `credentials` (where each
//! travels and the values expected) and `reply` ([`MockReply`] and what the server sends).

mod credentials;
mod reply;
mod request;

use std::any::Any;
use std::collections::{BTreeMap, VecDeque};
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use self::credentials::Expectations;
pub use self::credentials::{Expected, MockCredential};
#[allow(unused_imports, reason = "the generated `mock.rs` uses them for APIs with credentials")]
pub use self::credentials::{MockValue, Travels};
pub use self::reply::{bytes_body, MockReply};
#[allow(unused_imports, reason = "the generated `mock.rs` uses the encoder of each operation's response")]
pub use self::reply::{json_body, no_body, text_body};
use self::reply::{Outgoing, Reply};
#[allow(unused_imports, reason = "the generated `mock.rs` uses them for operations with parameters or bodies")]
pub use self::request::{invalid, missing_body, Items, Location, MockParam};
pub use self::request::{Incoming, PathPiece};

/// What the mock server knows about an operation.
pub struct MockOperation {
    /// The spec's `operationId`.
    pub id: &'static str,
    pub method: &'static str,
    /// The path template as the spec writes it, e.g. `/items/{id}`, for messages.
    pub path: &'static str,
    /// The path template as the generator read it, which requests are routed by.
    pub template: &'static [PathPiece],
    /// The credentials the operation accepts, as in `OperationInfo::security`: alternatives,
    /// each a combination of indexes into the crate's `MOCK_CREDENTIALS`.
    pub security: &'static [&'static [usize]],
    /// Decodes and checks a request, returning the typed request to keep.
    pub check: fn(&Incoming<'_>) -> Result<Box<dyn Any + Send>, String>,
    /// The status of a successful response.
    pub status: u16,
    /// The `Content-Type` of a successful response, empty when it has no body.
    pub content_type: &'static str,
    /// The spec's first example of a successful response, as JSON text.
    pub example: Option<&'static str>,
}

/// A request the mock server accepted: its parameters and body, decoded into the types the
/// client sends (`()` for an operation without parameters or without a body).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Received<P, B> {
    /// The path, query, header and cookie parameters.
    pub params: P,
    /// The body.
    pub body: B,
}

impl<P, B> Received<P, B> {
    pub(crate) fn new(params: P, body: B) -> Self {
        Received { params, body }
    }
}

/// What the server keeps between requests.
#[derive(Default)]
struct State {
    /// The reply of every request, by operation index, once the queue is empty; otherwise the
    /// example is served.
    standing: BTreeMap<usize, Reply>,
    /// Replies answered first, one per accepted request, by operation index.
    queued: BTreeMap<usize, VecDeque<Reply>>,
    /// Accepted requests, by operation index, each a `Received<P, B>`.
    received: BTreeMap<usize, Vec<Box<dyn Any + Send>>>,
    /// Why requests were refused, in order.
    rejections: Vec<String>,
    /// Credential values a test expects instead of the made-up ones, by credential.
    expected: BTreeMap<usize, Expected>,
    /// Whether any credential value is accepted (the command line's `mock`).
    any_credential_value: bool,
}

/// Shared between the server's handler and the test.
struct Shared {
    operations: &'static [MockOperation],
    credentials: &'static [MockCredential],
    /// Print each request's outcome on standard error (the command line's `mock`).
    log: bool,
    state: Mutex<State>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    fn expectations(&self, credentials: &'static [MockCredential]) -> Expectations<'_> {
        Expectations { credentials, changed: &self.expected, any_value: self.any_credential_value }
    }
}

/// A local server that speaks the API: see the crate's `mock` module for the operations.
///
/// Dropping it shuts it down, and panics (unless the thread is already panicking) when it
/// refused a request that [`MockServer::take_rejections`] did not collect, so that a client bug
/// fails the test that caused it.
pub struct MockServer {
    server: wiremock::MockServer,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer").field("uri", &self.server.uri()).finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a server on a free port of 127.0.0.1. Until a response is registered, every
    /// operation answers with the spec's example: its success status, and the first example of
    /// its body (`501 Not Implemented` when a body has none).
    pub async fn start() -> MockServer {
        Self::serve(wiremock::MockServer::start().await, false).await
    }

    /// Starts a server on `127.0.0.1:port` that logs each request on standard error.
    pub async fn start_on_port(port: u16) -> std::io::Result<MockServer> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        let server = wiremock::MockServer::builder().listener(listener).start().await;
        Ok(Self::serve(server, true).await)
    }

    async fn serve(server: wiremock::MockServer, log: bool) -> MockServer {
        let shared = Arc::new(Shared {
            operations: crate::mock::MOCK_OPERATIONS,
            credentials: crate::mock::MOCK_CREDENTIALS,
            log,
            state: Mutex::new(State::default()),
        });
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(Handler(Arc::clone(&shared)))
            .mount(&server)
            .await;
        MockServer { server, shared }
    }

    /// The server's base URL, e.g. `http://127.0.0.1:38071`: give it to
    /// `ClientBuilder::base_url`, or use [`MockServer::client`].
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Why requests were refused so far (a missing or wrong credential, a body that breaks the
    /// spec, a route the spec does not have, an operation with nothing to answer), forgotten
    /// once taken. A reason names what is wrong, never a credential's value.
    pub fn take_rejections(&self) -> Vec<String> {
        std::mem::take(&mut self.shared.state().rejections)
    }

    /// The operations the server answers, as `METHOD /path (operationId)`.
    pub fn routes(&self) -> Vec<String> {
        self.shared
            .operations
            .iter()
            .map(|operation| format!("{} {} ({})", operation.method, operation.path, operation.id))
            .collect()
    }

    /// The handle of the operation with this `operationId` (the typed accessors of the crate's
    /// `mock` module call this).
    pub(crate) fn operation<R, T>(&self, id: &'static str, encode: fn(&T) -> Vec<u8>) -> MockOperationHandle<'_, R, T> {
        let index = self.shared.operations.iter().position(|operation| operation.id == id);
        MockOperationHandle { server: self, index, encode, types: PhantomData }
    }

    /// Accepts any value of a credential that is present, for clients with real credentials
    /// (the command line's `mock`).
    #[cfg(feature = "cli")]
    pub(crate) fn accept_any_credential_value(&self) {
        self.shared.state().any_credential_value = true;
    }
}

// The credential values a test expects, and the mock's client sends.
#[allow(dead_code, reason = "the generated `mock.rs` calls them for the credentials its spec has")]
impl MockServer {
    /// Expects this value for the credential at `index` of `MOCK_CREDENTIALS` from now on (the
    /// crate's `expect_…` methods call this); [`MockServer::client`] sends it too.
    pub(crate) fn expect_credential(&self, index: usize, value: Expected) -> &Self {
        self.shared.state().expected.insert(index, value);
        self
    }

    /// The value the mock's client sets for a credential sent as one text (an API key, a
    /// token, an `Authorization` value); `None` for one left to the client's default.
    pub(crate) fn client_credential(&self, index: usize) -> Option<String> {
        match self.shared.state().expectations(self.shared.credentials).client_value(index)? {
            Expected::Text(value) => Some(value.expose().to_string()),
            Expected::Basic { .. } => None,
        }
    }

    /// The username and password the mock's client sets for HTTP basic authentication.
    pub(crate) fn client_basic_credential(&self, index: usize) -> Option<(String, String)> {
        match self.shared.state().expectations(self.shared.credentials).client_value(index)? {
            Expected::Basic { username, password } => {
                Some((username.expose().to_string(), password.expose().to_string()))
            }
            Expected::Text(_) => None,
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let rejections = self.take_rejections();
        if !rejections.is_empty() && !std::thread::panicking() {
            panic!("the mock server refused {} request(s):\n  {}", rejections.len(), rejections.join("\n  "));
        }
    }
}

/// One operation of a [`MockServer`]: register its replies, read the requests it received.
/// `R` is the typed request ([`Received`]), `T` the successful response's type.
///
/// Each accepted request takes the first queued reply ([`respond_sequence`], [`respond_once`]);
/// once the queue is empty, the operation answers with its standing reply ([`respond`],
/// [`respond_with`], [`respond_with_status`]), or else with the spec's example. A refused
/// request takes no reply.
///
/// [`respond_sequence`]: MockOperationHandle::respond_sequence
/// [`respond_once`]: MockOperationHandle::respond_once
/// [`respond`]: MockOperationHandle::respond
/// [`respond_with`]: MockOperationHandle::respond_with
/// [`respond_with_status`]: MockOperationHandle::respond_with_status
pub struct MockOperationHandle<'a, R, T> {
    server: &'a MockServer,
    index: Option<usize>,
    encode: fn(&T) -> Vec<u8>,
    types: PhantomData<fn(&T) -> R>,
}

impl<R: Clone + 'static, T> MockOperationHandle<'_, R, T> {
    /// Answers every later request with this successful response (the spec's status for it),
    /// once the queued replies are used up.
    pub fn respond(&self, value: &T) -> &Self {
        let body = (self.encode)(value);
        self.set_standing(|operation| MockReply::success(body).prepare(operation, bytes_body))
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
        self.set_standing(|operation| reply.prepare(operation, self.encode))
    }

    /// Answers every later request with this reply (its headers and delay included), once the
    /// queued replies are used up.
    pub fn respond_with(&self, reply: MockReply<T>) -> &Self {
        self.set_standing(|operation| reply.prepare(operation, self.encode))
    }

    /// Goes back to answering with the spec's example once the queued replies are used up.
    pub fn respond_with_example(&self) -> &Self {
        if let Some(index) = self.index {
            self.server.shared.state().standing.remove(&index);
        }
        self
    }

    /// Queues replies for the next requests, one each, in order, after any already queued;
    /// once they are used up, the operation answers with its standing reply (the spec's example
    /// unless [`respond`](Self::respond) or [`respond_with`](Self::respond_with) set one).
    pub fn respond_sequence(&self, replies: impl IntoIterator<Item = MockReply<T>>) -> &Self {
        let Some((index, operation)) = self.operation() else { return self };
        let prepared: Vec<Reply> = replies.into_iter().map(|reply| reply.prepare(operation, self.encode)).collect();
        self.server.shared.state().queued.entry(index).or_default().extend(prepared);
        self
    }

    /// Queues one reply for the next request not answered by an earlier queued one (see
    /// [`respond_sequence`](Self::respond_sequence)).
    pub fn respond_once(&self, reply: MockReply<T>) -> &Self {
        self.respond_sequence([reply])
    }

    /// How many queued replies are still to be sent.
    pub fn queued(&self) -> usize {
        let Some(index) = self.index else { return 0 };
        self.server.shared.state().queued.get(&index).map_or(0, VecDeque::len)
    }

    /// The requests the server accepted for this operation, in order, decoded.
    pub fn received(&self) -> Vec<R> {
        let Some(index) = self.index else { return Vec::new() };
        let state = self.server.shared.state();
        let received = state.received.get(&index).map(Vec::as_slice).unwrap_or_default();
        received.iter().filter_map(|request| request.downcast_ref::<R>()).cloned().collect()
    }

    fn operation(&self) -> Option<(usize, &'static MockOperation)> {
        let index = self.index?;
        Some((index, self.server.shared.operations.get(index)?))
    }

    fn set_standing(&self, prepare: impl FnOnce(&MockOperation) -> Reply) -> &Self {
        if let Some((index, operation)) = self.operation() {
            let reply = prepare(operation);
            self.server.shared.state().standing.insert(index, reply);
        }
        self
    }
}

/// The command line's `mock --port N`: serves the spec's examples on 127.0.0.1 until the
/// process is stopped, logging each request, and accepting any credential value (it is for
/// trying a client with whatever credentials it has); `base_url_var` is the variable
/// `from_env` reads the base URL from.
#[cfg(feature = "cli")]
pub fn serve_examples(port: u16, base_url_var: &str) -> std::process::ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let server = match MockServer::start_on_port(port).await {
            Ok(server) => server,
            Err(error) => {
                eprintln!("error: cannot listen on 127.0.0.1:{port}: {error}");
                return std::process::ExitCode::FAILURE;
            }
        };
        server.accept_any_credential_value();
        println!("Serving the spec's examples at {}", server.uri());
        println!("Point the command line or a client at it with:\n  export {base_url_var}={}", server.uri());
        println!("Operations:");
        for route in server.routes() {
            println!("  {route}");
        }
        use std::io::Write;
        let _ = std::io::stdout().flush();
        std::future::pending::<()>().await;
        std::process::ExitCode::SUCCESS
    })
}

/// Answers the requests of a [`MockServer`].
struct Handler(Arc<Shared>);

impl wiremock::Respond for Handler {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let shared = &self.0;
        let line = format!("{} {}", request.method, request.url.path());
        let outgoing = self.answer(request).unwrap_or_else(|(status, reason)| {
            let message = format!("{line}: {reason}");
            shared.state().rejections.push(message.clone());
            Outgoing::text(status, format!("mock server: {message}\n"))
        });
        if shared.log {
            eprintln!("{line} -> {}", outgoing.status());
        }
        outgoing.template()
    }
}

impl Handler {
    /// The response to a request, or the status and reason it is refused with.
    fn answer(&self, request: &wiremock::Request) -> Result<Outgoing, (u16, String)> {
        let shared = &self.0;
        let (index, operation, path_params) =
            request::route(shared.operations, request.method.as_str(), request.url.path())
                .ok_or((404, "no operation of the spec has this method and path".to_string()))?;
        let incoming = Incoming::new(request, path_params);
        credentials::check(&shared.state().expectations(shared.credentials), operation, &incoming)
            .map_err(|reason| (401, format!("`{}`: {reason}", operation.id)))?;
        let typed = (operation.check)(&incoming).map_err(|reason| (400, format!("`{}`: {reason}", operation.id)))?;
        let mut state = shared.state();
        state.received.entry(index).or_default().push(typed);
        let queued = state.queued.get_mut(&index).and_then(VecDeque::pop_front);
        let reply = queued.or_else(|| state.standing.get(&index).cloned()).unwrap_or_else(Reply::example);
        drop(state);
        reply.resolve(operation)
    }
}
