//! The mock server's HTTP/1.1 server, on hyper: it reads each request whole, hands it to the
//! mock, and writes the reply, a body at once or a stream of frames with pauses between them,
//! each frame sent as soon as it is due (so a client's stream sees its items arrive apart).
//!
//! The server runs on a thread of its own with a single-threaded async runtime, so that it
//! answers whatever the test does with its own runtime (even blocking it, as a test that runs
//! the command line does). Dropping the [`Server`] stops that thread, closing every connection.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Bytes, Frame, Incoming as IncomingBody, SizeHint};
use reqwest::header::HeaderMap;

/// A request as the server read it: what routing, checking and decoding look at.
pub(super) struct RequestParts {
    pub method: String,
    /// The request's URL (on `localhost` when the request named no host).
    pub url: reqwest::Url,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// What answers the requests: the request in, the response and how long to wait before
/// sending it out.
pub(super) type Answer = Arc<dyn Fn(&RequestParts) -> (Duration, hyper::Response<Paced>) + Send + Sync>;

/// A running server. Dropping it stops the server.
pub(super) struct Server {
    address: SocketAddr,
    /// Dropped with the server, which ends the server's thread.
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Server {
    /// Serves `listener` on a thread of its own, answering each request with `answer`.
    pub(super) fn start(listener: std::net::TcpListener, answer: Answer) -> std::io::Result<Server> {
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new().name(format!("mock-server-{}", address.port())).spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => runtime,
                Err(error) => return eprintln!("mock server: cannot start the async runtime: {error}"),
            };
            runtime.block_on(async move {
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(listener) => {
                        tokio::spawn(accept(listener, answer));
                        // Until the `Server` is dropped; the runtime's tasks end with it.
                        let _ = stopped.await;
                    }
                    Err(error) => eprintln!("mock server: cannot listen: {error}"),
                }
            });
        })?;
        Ok(Server { address, _stop: stop })
    }

    /// The base URL, e.g. `http://127.0.0.1:38071`.
    pub(super) fn uri(&self) -> String {
        format!("http://{}", self.address)
    }
}

/// Accepts connections until the runtime ends, serving each on a task of its own.
async fn accept(listener: tokio::net::TcpListener, answer: Answer) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: wait a little rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let answer = Arc::clone(&answer);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| respond(Arc::clone(&answer), request));
            let connection = hyper_util::rt::TokioIo::new(stream);
            // A connection the client closes or breaks is no concern of the mock's.
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(connection, service).await;
        });
    }
}

/// Reads a request whole and answers it.
async fn respond(answer: Answer, request: hyper::Request<IncomingBody>) -> Result<hyper::Response<Paced>, Infallible> {
    let (parts, body) = request.into_parts();
    let url = match parts.uri.authority() {
        Some(_) => parts.uri.to_string(),
        None => format!("http://localhost{}", parts.uri),
    };
    let (Ok(url), Ok(body)) = (reqwest::Url::parse(&url), read_body(body).await) else {
        let mut response = hyper::Response::new(Paced::whole(b"mock server: unreadable request\n".to_vec()));
        *response.status_mut() = hyper::StatusCode::BAD_REQUEST;
        return Ok(response);
    };
    let request = RequestParts { method: parts.method.to_string(), url, headers: parts.headers, body };
    let (delay, response) = answer(&request);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    Ok(response)
}

/// A request body's bytes.
async fn read_body(mut body: IncomingBody) -> Result<Vec<u8>, hyper::Error> {
    let mut bytes = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        if let Ok(data) = frame?.into_data() {
            bytes.extend_from_slice(&data);
        }
    }
    Ok(bytes)
}

/// A response body: frames sent one after another, with a pause between two frames.
pub(super) struct Paced {
    frames: VecDeque<Bytes>,
    between: Duration,
    /// The pause before the next frame, once one has been sent.
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Paced {
    /// A body sent at once (none when `bytes` is empty).
    pub(super) fn whole(bytes: Vec<u8>) -> Self {
        Self::frames(vec![bytes], Duration::ZERO)
    }

    /// A body sent frame by frame, `between` apart: with a pause, its length is not announced
    /// (the response is chunked) and each frame goes out as soon as it is due.
    pub(super) fn frames(frames: Vec<Vec<u8>>, between: Duration) -> Self {
        let frames = frames.into_iter().filter(|frame| !frame.is_empty()).map(Bytes::from).collect();
        Paced { frames, between, pause: None }
    }
}

impl Body for Paced {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = &mut *self;
        if let Some(pause) = &mut this.pause {
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.pause = None;
        }
        let Some(frame) = this.frames.pop_front() else { return Poll::Ready(None) };
        if !this.frames.is_empty() && !this.between.is_zero() {
            this.pause = Some(Box::pin(tokio::time::sleep(this.between)));
        }
        Poll::Ready(Some(Ok(Frame::data(frame))))
    }

    fn is_end_stream(&self) -> bool {
        self.frames.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        if self.between.is_zero() || self.frames.len() < 2 {
            SizeHint::with_exact(self.frames.iter().map(|frame| frame.len() as u64).sum())
        } else {
            SizeHint::default()
        }
    }
}
