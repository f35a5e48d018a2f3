//! The typed mock server of the `mock` feature: a local HTTP server that answers each
//! operation with replies registered in its own types (one for every request, or a sequence,
//! each with headers and a delay; for a streamed answer, items sent over time), or with the
//! spec's example; checks every request against the spec (route, credentials and their values,
//! parameters, body); and keeps the requests it accepted, decoded, for the test to look at.
//!
//! What varies with the spec (the operations, how each request is decoded and checked, the
//! credentials, the typed accessors) is written into `mock.rs` of each crate; this module and
//! its submodules do the rest: `http` (the HTTP server, on hyper), `request` (routing and
//! decoding), `credentials` (where each travels and the values expected), `reply`
//! ([`MockReply`] and what the server sends), `stream` (streamed answers) and `handle`
//! ([`MockOperationHandle`]).

mod credentials;
mod handle;
mod http;
mod reply;
mod request;
mod stream;

use std::any::Any;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use self::credentials::Expectations;
pub use self::credentials::{Expected, MockCredential};
#[allow(unused_imports, reason = "the generated `mock.rs` uses them for APIs with credentials")]
pub use self::credentials::{MockValue, Travels};
pub use self::handle::MockOperationHandle;
use self::http::RequestParts;
pub use self::reply::MockReply;
#[allow(unused_imports, reason = "the generated `mock.rs` uses the encoder of each operation's response")]
pub use self::reply::{bytes_body, json_body, no_body, text_body};
#[allow(unused_imports, reason = "the mock's paginated lists use them, in crates with pagers")]
pub(crate) use self::reply::{Compute, Computed};
use self::reply::{Outgoing, Reply};
#[allow(unused_imports, reason = "the generated `mock.rs` uses them for operations with parameters or bodies")]
pub use self::request::{invalid, missing_body, Items, Location, MockParam};
pub use self::request::{Incoming, PathPiece};
use self::stream::Answer;
#[allow(unused_imports, reason = "the generated `mock.rs` uses them for operations that answer with a stream")]
pub use self::stream::{AskedBy, MockFraming, MockStream};

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
    /// The streamed answer, for an operation whose success is (or may be) a stream of items.
    pub stream: Option<MockStream>,
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

/// An operation's answer (whole or streamed): the operation's index, and which answer.
type Key = (usize, Answer);

/// What the server keeps between requests.
#[derive(Default)]
struct State {
    /// The reply of every request, by answer, once the queue is empty; otherwise the example
    /// is served.
    standing: BTreeMap<Key, Reply>,
    /// Replies answered first, one per accepted request, by answer.
    queued: BTreeMap<Key, VecDeque<Reply>>,
    /// Accepted requests, by the answer they asked for, each a `Received<P, B>`.
    received: BTreeMap<Key, Vec<Box<dyn Any + Send>>>,
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
    server: http::Server,
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
    /// its body (`501 Not Implemented` when a body has none; a stream without items for a
    /// streamed answer).
    ///
    /// # Panics
    ///
    /// When no port of 127.0.0.1 can be listened on.
    pub async fn start() -> MockServer {
        match Self::serve(("127.0.0.1", 0), false) {
            Ok(server) => server,
            Err(error) => panic!("the mock server cannot listen on 127.0.0.1: {error}"),
        }
    }

    /// Starts a server on `127.0.0.1:port` that logs each request on standard error.
    pub async fn start_on_port(port: u16) -> std::io::Result<MockServer> {
        Self::serve(("127.0.0.1", port), true)
    }

    fn serve(address: (&str, u16), log: bool) -> std::io::Result<MockServer> {
        let listener = std::net::TcpListener::bind(address)?;
        let shared = Arc::new(Shared {
            operations: crate::mock::MOCK_OPERATIONS,
            credentials: crate::mock::MOCK_CREDENTIALS,
            log,
            state: Mutex::new(State::default()),
        });
        let answering = Arc::clone(&shared);
        let server = http::Server::start(listener, Arc::new(move |request| answering.respond(request).response()))?;
        Ok(MockServer { server, shared })
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

    /// The handle of the operation with this `operationId`, for its answer read whole (the
    /// typed accessors of the crate's `mock` module call this).
    pub(crate) fn operation<R, T>(&self, id: &'static str, encode: fn(&T) -> Vec<u8>) -> MockOperationHandle<'_, R, T> {
        MockOperationHandle::new(self, id, Answer::Whole, encode)
    }

    /// The handle of the operation with this `operationId`, for its streamed answer, each item
    /// written by `encode` (the typed accessors of operations that answer with a stream call
    /// this).
    #[allow(dead_code, reason = "the generated `mock.rs` calls it for operations that answer with a stream")]
    pub(crate) fn stream_operation<R, I>(
        &self,
        id: &'static str,
        encode: fn(&I) -> Vec<u8>,
    ) -> MockOperationHandle<'_, R, I> {
        MockOperationHandle::new(self, id, Answer::Stream, encode)
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

impl Shared {
    /// The response to a request; a refusal is kept, with its reason, for `take_rejections`.
    fn respond(&self, request: &RequestParts) -> Outgoing {
        let line = format!("{} {}", request.method, request.url.path());
        let outgoing = self.answer(request).unwrap_or_else(|(status, reason)| {
            let message = format!("{line}: {reason}");
            self.state().rejections.push(message.clone());
            Outgoing::text(status, format!("mock server: {message}\n"))
        });
        if self.log {
            eprintln!("{line} -> {}", outgoing.status());
        }
        outgoing
    }

    /// The response to a request, or the status and reason it is refused with.
    fn answer(&self, request: &RequestParts) -> Result<Outgoing, (u16, String)> {
        let (index, operation, path_params) = request::route(self.operations, &request.method, request.url.path())
            .ok_or((404, "no operation of the spec has this method and path".to_string()))?;
        let incoming = Incoming::new(request, path_params);
        credentials::check(&self.state().expectations(self.credentials), operation, &incoming)
            .map_err(|reason| (401, format!("`{}`: {reason}", operation.id)))?;
        let typed = (operation.check)(&incoming).map_err(|reason| (400, format!("`{}`: {reason}", operation.id)))?;
        let answer = operation.stream.as_ref().map_or(Answer::Whole, |stream| stream.answer_for(&incoming));
        let key = (index, answer);
        let mut state = self.state();
        state.received.entry(key).or_default().push(typed);
        let queued = state.queued.get_mut(&key).and_then(VecDeque::pop_front);
        let reply = queued.or_else(|| state.standing.get(&key).cloned()).unwrap_or_else(Reply::example);
        drop(state);
        reply.resolve(operation, answer, &incoming)
    }
}
