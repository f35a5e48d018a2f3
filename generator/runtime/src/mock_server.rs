//! The typed mock server of the `mock` feature: a local HTTP server (wiremock underneath) that
//! answers each operation with a response registered in its own type, or with the spec's
//! example, checks every request against the spec (route, credentials, parameters, body) and
//! keeps the requests it accepted, decoded, for the test to look at.
//!
//! What varies with the spec (the operations, how each request is decoded and checked, the
//! typed accessors) is written into `mock.rs` of each crate; this module does the rest.
// Which of these an API uses depends on its operations (their bodies, parameters, responses
// and credentials), so a crate generated from a spec leaves some unused.
#![allow(dead_code)]

use std::any::Any;
use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::{Map, Value};

use crate::wire_text::{decode_json, TextKind};

/// What the mock server knows about an operation.
pub(crate) struct MockOperation {
    /// The spec's `operationId`.
    pub id: &'static str,
    pub method: &'static str,
    /// The path template, e.g. `/items/{id}`.
    pub path: &'static str,
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

/// Where a credential travels, so that the mock can check it is there.
#[derive(Debug, Clone, Copy)]
pub(crate) enum MockCredential {
    Header(&'static str),
    Query(&'static str),
    Cookie(&'static str),
    /// `Authorization: <scheme> …`, e.g. `Bearer`.
    Authorization(&'static str),
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

/// A response to give.
#[derive(Debug, Clone)]
struct Reply {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

/// What the server keeps between requests.
#[derive(Default)]
struct State {
    /// Registered responses, by operation index; otherwise the example is served.
    replies: BTreeMap<usize, Reply>,
    /// Accepted requests, by operation index, each a `Received<P, B>`.
    received: BTreeMap<usize, Vec<Box<dyn Any + Send>>>,
    /// Why requests were refused, in order.
    rejections: Vec<String>,
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
    /// `ClientBuilder::base_url`, or use `client` on this server.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Why requests were refused so far (a missing credential, a body that breaks the spec, a
    /// route the spec does not have, an operation with nothing to answer), forgotten once
    /// taken.
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
        let index = self.shared.operations.iter().position(|operation| operation.id == id).unwrap_or(usize::MAX);
        MockOperationHandle { server: self, index, encode, types: PhantomData }
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

/// One operation of a [`MockServer`]: register its response, read the requests it received.
/// `R` is the typed request ([`Received`]), `T` the successful response's type.
pub struct MockOperationHandle<'a, R, T> {
    server: &'a MockServer,
    index: usize,
    encode: fn(&T) -> Vec<u8>,
    types: PhantomData<fn(&T) -> R>,
}

impl<R: Clone + 'static, T> MockOperationHandle<'_, R, T> {
    /// Answers every later request with this successful response (the spec's status for it).
    pub fn respond(&self, value: &T) -> &Self {
        let Some(operation) = self.server.shared.operations.get(self.index) else { return self };
        let reply = Reply {
            status: operation.status,
            content_type: operation.content_type.to_string(),
            body: (self.encode)(value),
        };
        self.server.shared.state().replies.insert(self.index, reply);
        self
    }

    /// Answers every later request with this status and JSON body, such as one of the API's
    /// error bodies.
    pub fn respond_with_status(&self, status: u16, body: &impl serde::Serialize) -> &Self {
        let body = serde_json::to_vec(body).unwrap_or_default();
        let reply = Reply { status, content_type: "application/json".to_string(), body };
        self.server.shared.state().replies.insert(self.index, reply);
        self
    }

    /// Goes back to answering with the spec's example.
    pub fn respond_with_example(&self) -> &Self {
        self.server.shared.state().replies.remove(&self.index);
        self
    }

    /// The requests the server accepted for this operation, in order, decoded.
    pub fn received(&self) -> Vec<R> {
        let state = self.server.shared.state();
        let received = state.received.get(&self.index).map(Vec::as_slice).unwrap_or_default();
        received.iter().filter_map(|request| request.downcast_ref::<R>()).cloned().collect()
    }
}

/// The command line's `mock --port N`: serves the spec's examples on 127.0.0.1 until the
/// process is stopped, logging each request; `base_url_var` is the variable `from_env` reads
/// the base URL from.
#[cfg(feature = "cli")]
pub(crate) fn serve_examples(port: u16, base_url_var: &str) -> std::process::ExitCode {
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

/// The successful response of a JSON operation.
pub(crate) fn json_body<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// The successful response of a text operation (a `fn(&T)` with `T = String`).
#[allow(clippy::ptr_arg)]
pub(crate) fn text_body(value: &String) -> Vec<u8> {
    value.as_bytes().to_vec()
}

/// The successful response of a bytes operation (a `fn(&T)` with `T = Vec<u8>`).
#[allow(clippy::ptr_arg)]
pub(crate) fn bytes_body(value: &Vec<u8>) -> Vec<u8> {
    value.to_vec()
}

/// The successful response of an operation without a body.
pub(crate) fn no_body(_: &()) -> Vec<u8> {
    Vec::new()
}

/// Answers the requests of a [`MockServer`].
struct Handler(Arc<Shared>);

impl wiremock::Respond for Handler {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let shared = &self.0;
        let line = format!("{} {}", request.method, request.url.path());
        let reply = self.answer(request).unwrap_or_else(|(status, reason)| {
            let message = format!("{line}: {reason}");
            shared.state().rejections.push(message.clone());
            let body = format!("mock server: {message}\n").into_bytes();
            Reply { status, content_type: "text/plain; charset=utf-8".into(), body }
        });
        if shared.log {
            eprintln!("{line} -> {}", reply.status);
        }
        let template = wiremock::ResponseTemplate::new(reply.status);
        if reply.content_type.is_empty() {
            return template;
        }
        template.set_body_raw(reply.body, &reply.content_type)
    }
}

impl Handler {
    /// The response to a request, or the status and reason it is refused with.
    fn answer(&self, request: &wiremock::Request) -> Result<Reply, (u16, String)> {
        let shared = &self.0;
        let (index, operation, path_params) = route(shared.operations, request.method.as_str(), request.url.path())
            .ok_or((404, "no operation of the spec has this method and path".to_string()))?;
        let incoming = Incoming { request, path_params };
        check_credentials(shared.credentials, operation, &incoming)
            .map_err(|reason| (401, format!("`{}`: {reason}", operation.id)))?;
        let typed = (operation.check)(&incoming).map_err(|reason| (400, format!("`{}`: {reason}", operation.id)))?;
        let mut state = shared.state();
        state.received.entry(index).or_default().push(typed);
        if let Some(reply) = state.replies.get(&index) {
            return Ok(reply.clone());
        }
        match operation.example {
            // A success without a body needs no example.
            None if operation.content_type.is_empty() => {
                Ok(Reply { status: operation.status, content_type: String::new(), body: Vec::new() })
            }
            Some(example) => Ok(Reply {
                status: operation.status,
                content_type: "application/json".into(),
                body: example.as_bytes().to_vec(),
            }),
            None => Err((
                501,
                format!("`{}` has no example in the spec and no response was registered for it", operation.id),
            )),
        }
    }
}

/// The operation whose method and path template match, preferring templates with more literal
/// text (`/items/search` over `/items/{id}`), with the values of its path parameters.
fn route<'o>(
    operations: &'o [MockOperation],
    method: &str,
    path: &str,
) -> Option<(usize, &'o MockOperation, PathValues)> {
    operations
        .iter()
        .enumerate()
        .filter(|(_, operation)| operation.method.eq_ignore_ascii_case(method))
        .filter_map(|(index, operation)| match_template(operation.path, path).map(|values| (index, operation, values)))
        .max_by_key(|(_, operation, _)| literal_length(operation.path))
}

fn literal_length(template: &str) -> usize {
    let mut length = 0;
    let mut in_name = false;
    for character in template.chars() {
        match character {
            '{' => in_name = true,
            '}' => in_name = false,
            _ if !in_name => length += 1,
            _ => {}
        }
    }
    length
}

/// The values of a path's parameters, by name.
type PathValues = Vec<(&'static str, String)>;

/// Matches a path against a template segment by segment; a `{name}` takes the text up to the
/// literal that follows it in its segment.
fn match_template(template: &'static str, path: &str) -> Option<PathValues> {
    let template_segments: Vec<&'static str> = template.trim_end_matches('/').split('/').collect();
    let path_segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if template_segments.len() != path_segments.len() {
        return None;
    }
    let mut values = Vec::new();
    for (pattern, mut segment) in template_segments.into_iter().zip(path_segments) {
        let mut rest = pattern;
        while !rest.is_empty() {
            match rest.find('{') {
                Some(0) => {
                    let end = rest.find('}')?;
                    let name = &rest[1..end];
                    rest = &rest[end + 1..];
                    let next_literal = rest.split('{').next().unwrap_or_default();
                    let taken = if next_literal.is_empty() { segment.len() } else { segment.find(next_literal)? };
                    if taken == 0 {
                        return None;
                    }
                    values.push((name, percent_decode(&segment[..taken])?));
                    segment = &segment[taken..];
                }
                found => {
                    let literal = &rest[..found.unwrap_or(rest.len())];
                    segment = segment.strip_prefix(literal)?;
                    rest = &rest[literal.len()..];
                }
            }
        }
        if !segment.is_empty() {
            return None;
        }
    }
    Some(values)
}

/// A path segment with its `%XX` escapes decoded, if it is UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = (bytes[at] == b'%')
            .then(|| text.get(at + 1..at + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                at += 3;
            }
            None => {
                decoded.push(bytes[at]);
                at += 1;
            }
        }
    }
    String::from_utf8(decoded).ok()
}

/// Whether the request carries every credential of one of the operation's alternatives.
fn check_credentials(
    credentials: &[MockCredential],
    operation: &MockOperation,
    incoming: &Incoming<'_>,
) -> Result<(), String> {
    if operation.security.is_empty() || operation.security.iter().any(|alternative| alternative.is_empty()) {
        return Ok(());
    }
    let present = |credential: &MockCredential| match *credential {
        MockCredential::Header(name) => incoming.header(name).is_some_and(|value| !value.is_empty()),
        MockCredential::Query(name) => !incoming.query(name).is_empty(),
        MockCredential::Cookie(name) => incoming.cookie(name).is_some(),
        MockCredential::Authorization(scheme) => incoming
            .header("authorization")
            .is_some_and(|value| value.len() > scheme.len() && value[..scheme.len()].eq_ignore_ascii_case(scheme)),
    };
    let accepted = operation
        .security
        .iter()
        .any(|alternative| alternative.iter().all(|index| credentials.get(*index).is_some_and(present)));
    if accepted {
        return Ok(());
    }
    let describe = |credential: &MockCredential| match *credential {
        MockCredential::Header(name) => format!("the `{name}` header"),
        MockCredential::Query(name) => format!("the `{name}` query parameter"),
        MockCredential::Cookie(name) => format!("the `{name}` cookie"),
        MockCredential::Authorization(scheme) => format!("an `Authorization: {scheme}` header"),
    };
    let alternatives: Vec<String> = operation
        .security
        .iter()
        .map(|alternative| {
            alternative
                .iter()
                .filter_map(|index| credentials.get(*index))
                .map(describe)
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    Err(format!("missing credentials: expected {}", alternatives.join(", or ")))
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

/// How an array parameter is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Items {
    /// A single value.
    One,
    /// `name=a&name=b`.
    Repeated,
    /// One value with this separator, e.g. `a,b`.
    Joined(char),
}

/// A parameter the mock decodes.
pub(crate) struct MockParam {
    pub name: &'static str,
    pub location: Location,
    pub kind: TextKind,
    pub items: Items,
}

/// A request being checked, with the values of its path parameters.
pub(crate) struct Incoming<'r> {
    request: &'r wiremock::Request,
    path_params: PathValues,
}

impl Incoming<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.request.headers.get(name).and_then(|value| value.to_str().ok())
    }

    fn query(&self, name: &str) -> Vec<String> {
        self.request.url.query_pairs().filter(|(key, _)| key == name).map(|(_, value)| value.into_owned()).collect()
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.request.headers.get_all("cookie").iter().filter_map(|value| value.to_str().ok()).find_map(|cookies| {
            cookies.split(';').find_map(|pair| {
                let (key, value) = pair.trim().split_once('=')?;
                (key == name).then(|| value.to_string())
            })
        })
    }

    /// The parameters, decoded into the operation's parameter type.
    pub(crate) fn params<T: serde::de::DeserializeOwned>(&self, params: &[MockParam]) -> Result<T, String> {
        let mut object = Map::new();
        for param in params {
            let texts: Vec<String> = match param.location {
                Location::Path => {
                    self.path_params.iter().filter(|(name, _)| *name == param.name).map(|(_, v)| v.clone()).collect()
                }
                Location::Query => self.query(param.name),
                Location::Header => self.header(param.name).map(str::to_string).into_iter().collect(),
                Location::Cookie => self.cookie(param.name).into_iter().collect(),
            };
            if texts.is_empty() {
                continue;
            }
            let convert = |text: &str| {
                param.kind.to_json(text).map_err(|expected| format!("parameter `{}`: expected {expected}", param.name))
            };
            let value = match param.items {
                Items::One => convert(&texts[0])?,
                Items::Repeated => Value::Array(texts.iter().map(|text| convert(text)).collect::<Result<_, _>>()?),
                Items::Joined(separator) => {
                    Value::Array(texts[0].split(separator).map(convert).collect::<Result<_, _>>()?)
                }
            };
            object.insert(param.name.to_string(), value);
        }
        decode_json(Value::Object(object)).map_err(|(path, mismatch)| format!("parameters: {path}: {mismatch}"))
    }

    /// A JSON body, decoded; `None` when the request has none.
    pub(crate) fn json_body<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, String> {
        if self.request.body.is_empty() {
            return Ok(None);
        }
        let value: Value = serde_json::from_slice(&self.request.body)
            .map_err(|error| format!("the body is not JSON (line {}, column {})", error.line(), error.column()))?;
        decode_json(value).map(Some).map_err(|(path, mismatch)| {
            let at = if path.is_empty() { String::new() } else { format!(" at `{path}`") };
            format!("the body{at}: {mismatch}")
        })
    }

    /// A form body (`application/x-www-form-urlencoded`), decoded; `None` when there is none.
    pub(crate) fn form_body<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, String> {
        if self.request.body.is_empty() {
            return Ok(None);
        }
        serde_urlencoded::from_bytes(&self.request.body)
            .map(Some)
            .map_err(|_| "the form body does not match the spec".to_string())
    }

    /// A text body; `None` when there is none.
    pub(crate) fn text_body(&self) -> Result<Option<String>, String> {
        if self.request.body.is_empty() {
            return Ok(None);
        }
        String::from_utf8(self.request.body.clone()).map(Some).map_err(|_| "the body is not UTF-8 text".to_string())
    }

    /// The body's bytes; `None` when there are none.
    pub(crate) fn bytes_body(&self) -> Option<Vec<u8>> {
        (!self.request.body.is_empty()).then(|| self.request.body.clone())
    }
}

/// A required body that is missing.
pub(crate) fn missing_body() -> String {
    "the body is required but the request has none".to_string()
}

/// A request value that breaks a rule of the spec.
pub(crate) fn invalid(part: &str, error: crate::validation::ValidationError) -> String {
    format!("invalid {part}, {error}")
}

#[cfg(test)]
mod tests {
    use super::{literal_length, match_template};

    #[test]
    fn templates_match_segments_and_literals_around_names() {
        assert_eq!(match_template("/items/{id}", "/items/42"), Some(vec![("id", "42".to_string())]));
        assert_eq!(
            match_template("/s/{store}/r/{receipt}.pdf", "/s/a%20b/r/7.pdf"),
            Some(vec![("store", "a b".to_string()), ("receipt", "7".to_string())])
        );
        assert_eq!(match_template("/items/{id}", "/items"), None);
        assert_eq!(match_template("/items/{id}", "/items/"), None);
        assert_eq!(match_template("/r/{id}.pdf", "/r/7.txt"), None);
        assert!(literal_length("/items/search") > literal_length("/items/{id}"));
    }
}
