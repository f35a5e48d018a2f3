//! Per-call overhead of the generated client against the same call made with bare `reqwest`.
//!
//! A tiny HTTP/1.1 server on 127.0.0.1 (tokio, written here rather than wiremock, whose request
//! matching would cost more than what is being measured) answers every `POST` with the same
//! monitoring-insights response of a few kB, over keep-alive connections. It checks only that the
//! three credential headers are present, and answers 401 otherwise.
//!
//! Two ways of making the call take turns, a batch of sequential calls each per round:
//!
//! - measured: `Client::cra_monitoring_insights_get` of the generated crate with its defaults
//!   (request validation, retry policy, per-attempt credentials, tracing span, response size
//!   limit, typed decoding with error paths);
//! - baseline: a default `reqwest::Client` (the one the crate re-exports) sending the same body
//!   (serialized from the same request value) with the same headers (`PLAID-CLIENT-ID`,
//!   `PLAID-SECRET`, `Plaid-Version`, `User-Agent`), the response read into a
//!   `serde_json::Value`: what someone would write without a generated client.
//!
//! Each side's figure is calls per second from its median batch; the ratio is ours / raw. No
//! tracing subscriber is installed, as in a program that does not use tracing.
//!
//! Client and server run on one current-thread tokio runtime, so one thread carries both ends of
//! every exchange. With the server on a thread of its own, the ratio depended on how the two
//! threads landed on the cores: the same build measured 0.63× in some runs and 0.78× in others,
//! both sides gaining or losing some 60 µs per call in cross-core wake-ups. On one thread it is
//! steady. The server's own work (reading a request, writing the response) is counted on both
//! sides alike, which pulls the ratio slightly towards 1.
//!
//! `cargo bench` runs the full measurement; `cargo test --benches` makes a few calls each, only
//! to check that both sides still work.

#[allow(dead_code, reason = "each harness uses part of the shared module")]
mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{alternate, full_run, median, monitoring_insights, print_row, spread, Shape};
use plaid_client::reqwest;
use plaid_client::types::{
    CraMonitoringInsightsGetRequest, CraMonitoringInsightsGetResponse, MonitoringConsumerReportPermissiblePurpose,
};
use plaid_client::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CLIENT_ID: &str = "5f2b8a1c9d3e4f0012a3b4c5";
const SECRET: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f";
const PLAID_VERSION: &str = "2020-09-14";
/// What the generated client sends by default (its crate name and version).
const USER_AGENT: &str = "plaid-client/0.1.0";
const PATH: &str = "/cra/monitoring_insights/get";

/// Starts the server as a task of `runtime` and returns its address. It runs whenever the
/// runtime runs, that is while a `block_on` on the client side waits.
fn start_server(runtime: &tokio::runtime::Runtime, body: Vec<u8>) -> SocketAddr {
    let mut ok = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len())
        .into_bytes();
    ok.extend_from_slice(&body);
    let unauthorized = b"HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
    let responses: Arc<(Vec<u8>, &[u8])> = Arc::new((ok, unauthorized));

    let listener =
        runtime.block_on(TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))).expect("bind a local port");
    let address = listener.local_addr().expect("the local address");
    runtime.spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            tokio::spawn(serve(stream, responses.clone()));
        }
    });
    address
}

/// Serves one keep-alive connection: reads the headers up to the blank line, then as many body
/// bytes as `Content-Length` says, and answers; until the client closes the connection.
async fn serve(mut stream: TcpStream, responses: Arc<(Vec<u8>, &'static [u8])>) {
    let _ = stream.set_nodelay(true);
    let mut buffer: Vec<u8> = Vec::with_capacity(16 * 1024);
    loop {
        let head_end = loop {
            if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
                break at + 4;
            }
            buffer.reserve(4096);
            match stream.read_buf(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        };
        let head = &buffer[..head_end];
        let length = header(head, b"content-length")
            .and_then(|value| std::str::from_utf8(value).ok()?.trim().parse::<usize>().ok())
            .unwrap_or(0);
        let authorized = [&b"plaid-client-id"[..], b"plaid-secret", b"plaid-version"]
            .iter()
            .all(|name| header(head, name).is_some_and(|value| !value.is_empty()));
        while buffer.len() < head_end + length {
            buffer.reserve(head_end + length - buffer.len());
            match stream.read_buf(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
        let response = if authorized { &responses.0[..] } else { responses.1 };
        if stream.write_all(response).await.is_err() {
            return;
        }
        buffer.drain(..head_end + length);
    }
}

/// The value of the header `name` (lower case) in a request head, if present.
fn header<'a>(head: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    head.split(|byte| *byte == b'\n').skip(1).find_map(|line| {
        let colon = line.iter().position(|byte| *byte == b':')?;
        line[..colon].eq_ignore_ascii_case(name).then(|| line[colon + 1..].trim_ascii())
    })
}

/// The call with bare reqwest, as someone would write it by hand.
async fn raw_call(http: &reqwest::Client, url: &str, request: &CraMonitoringInsightsGetRequest) -> serde_json::Value {
    http.post(url)
        .header("PLAID-CLIENT-ID", CLIENT_ID)
        .header("PLAID-SECRET", SECRET)
        .header("Plaid-Version", PLAID_VERSION)
        .header(reqwest::header::USER_AGENT, USER_AGENT)
        .json(request)
        .send()
        .await
        .expect("the raw call is answered")
        .error_for_status()
        .expect("the raw call succeeds")
        .json()
        .await
        .expect("the raw response is JSON")
}

fn main() {
    let full = full_run();
    let (warmup, rounds, calls) = if full { (3, 40, 400) } else { (0, 1, 5) };
    let (body, _) = monitoring_insights(0x5EED, Shape::small());
    let expected: CraMonitoringInsightsGetResponse = serde_json::from_slice(&body).expect("the response decodes");
    let expected_value: serde_json::Value = serde_json::from_slice(&body).expect("the response is JSON");
    eprintln!("client: {} B response, {rounds} rounds of {calls} sequential calls each", body.len());

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let address = start_server(&runtime, body);
    let base_url = format!("http://{address}");
    let url = format!("{base_url}{PATH}");

    let client = Client::builder().base_url(&base_url).client_id(CLIENT_ID).secret(SECRET).build().expect("a client");
    let raw = reqwest::Client::new();
    let request = CraMonitoringInsightsGetRequest::builder()
        .consumer_report_permissible_purpose(MonitoringConsumerReportPermissiblePurpose::AccountReviewCredit)
        .user_id("usr_8f2b6c1d")
        .build()
        .expect("a valid request");

    // Both sides must get the full response (and so have sent the credentials) before timing.
    runtime.block_on(async {
        let ours = client.cra_monitoring_insights_get(&request).await.expect("the generated client's call succeeds");
        assert_eq!(ours, expected, "the generated client decodes the whole response");
        let theirs = raw_call(&raw, &url, &request).await;
        assert_eq!(theirs, expected_value, "raw reqwest reads the whole response");
    });

    let mut generated = || {
        runtime.block_on(async {
            let started = Instant::now();
            for _ in 0..calls {
                let response = client.cra_monitoring_insights_get(&request).await.expect("the call succeeds");
                std::hint::black_box(response);
            }
            started.elapsed()
        })
    };
    let mut bare = || {
        runtime.block_on(async {
            let started = Instant::now();
            for _ in 0..calls {
                std::hint::black_box(raw_call(&raw, &url, &request).await);
            }
            started.elapsed()
        })
    };
    let samples = alternate(warmup, rounds, &mut [&mut generated, &mut bare]);

    let per_second = |batch: Duration| f64::from(calls) / batch.as_secs_f64();
    let (ours, theirs) = (per_second(median(&samples[0])), per_second(median(&samples[1])));
    for (name, case, speed) in [("generated client", &samples[0], ours), ("raw reqwest", &samples[1], theirs)] {
        eprintln!(
            "  {name:<17} {speed:>8.0} calls/s  ({:.1} µs per call; batch of {calls}: {})",
            1e6 / speed,
            spread(case)
        );
    }
    let text = |speed: f64| format!("{speed:.0} calls/s");
    print_row("client: calls/s, generated client", &text(ours), &text(theirs), ours / theirs, "≥ 0.95×");
}
