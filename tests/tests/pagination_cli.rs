//! The `pagination` fixture's command line, run as a process against wiremock on 127.0.0.1:
//! `--all-pages` and `--max-items` follow the pages of a paged operation (by cursor, and by
//! `Link` header), printing each item as one line of JSON; without them one page is printed
//! whole, as before; a page that fails keeps what was printed and exits with the failure's
//! code; `--dry-run` prints the first page's request; other operations have no such flags.
//!
//! - `all_pages_prints_every_item_one_line_each_in_order`
//! - `max_items_stops_after_n_items_and_fetches_no_page_more`
//! - `without_the_flags_the_first_page_is_printed_whole`
//! - `a_failing_page_keeps_the_printed_items_and_exits_with_its_code`
//! - `dry_run_with_all_pages_prints_the_first_request_and_sends_nothing`
//! - `only_paged_operations_have_the_flags`

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use pipeline_tests::http::{answer, query_pairs, received, requests_seen, Sequence};
use serde_json::{json, Value};
use wiremock::{MockServer, ResponseTemplate};

const PACKAGE: &str = "fixture-pagination";
const KEY: &str = "key-for-pages";

/// Builds the fixture's binary (with `cli`) once, and returns its path.
fn binary() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let status = Command::new(env!("CARGO"))
                .args(["build", "--quiet", "-p", PACKAGE, "--features", "cli", "--bin", PACKAGE])
                .current_dir(pipeline_tests::workspace_root())
                .status()
                .expect("cargo runs");
            assert!(status.success(), "building the {PACKAGE} binary failed");
            pipeline_tests::target_dir().join("debug").join(format!("{PACKAGE}{}", std::env::consts::EXE_SUFFIX))
        })
        .clone()
}

/// Runs the binary with these arguments against `server`, with the key it expects.
fn run(server: &MockServer, args: &[&str]) -> Output {
    let mut command = Command::new(binary());
    command.args(args).stdin(Stdio::null());
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("FIXTURE_PAGINATION_")) {
        command.env_remove(name);
    }
    command.env("FIXTURE_PAGINATION_API_KEY", KEY).env("FIXTURE_PAGINATION_BASE_URL", format!("{}/v1", server.uri()));
    command.output().expect("the binary runs")
}

/// Standard output's lines, each parsed as JSON.
fn json_lines(output: &Output) -> Vec<Value> {
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines().map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line:?}"))).collect()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn things(ids: &[&str]) -> Value {
    Value::Array(ids.iter().map(|id| json!({ "id": id })).collect())
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// Three pages by cursor: `a b`, `c d`, `e`.
async fn cursor_pages(server: &MockServer) {
    let pages = Sequence::new([
        ok(json!({ "data": things(&["a", "b"]), "meta": { "next_cursor": "c2" } })),
        ok(json!({ "data": things(&["c", "d"]), "meta": { "next_cursor": "c3" } })),
        ok(json!({ "data": things(&["e"]), "meta": { "next_cursor": null } })),
        ok(json!({ "data": things(&["never"]) })),
    ]);
    answer(server, "GET", "/v1/cursor/things", pages).await;
}

/// Three pages by `Link` header: `a b`, `c d`, `e`.
async fn link_pages(server: &MockServer) {
    let link = |page: u8| format!("<{}/v1/link/things?page={page}>; rel=\"next\"", server.uri());
    let pages = Sequence::new([
        ok(things(&["a", "b"])).insert_header("link", link(2).as_str()),
        ok(things(&["c", "d"])).insert_header("link", link(3).as_str()),
        ok(things(&["e"])),
        ok(things(&["never"])),
    ]);
    answer(server, "GET", "/v1/link/things", pages).await;
}

/// The value of query parameter `name` in each request the server received.
async fn query_values(server: &MockServer, name: &str) -> Vec<Option<String>> {
    let requests = received(server).await;
    requests
        .iter()
        .map(|request| query_pairs(request).into_iter().find(|(key, _)| key == name).map(|(_, value)| value))
        .collect()
}

#[tokio::test]
async fn all_pages_prints_every_item_one_line_each_in_order() {
    let server = MockServer::start().await;
    cursor_pages(&server).await;
    let output = run(&server, &["list-by-cursor", "--limit", "2", "--all-pages"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(json_lines(&output), ["a", "b", "c", "d", "e"].map(|id| json!({ "id": id })));
    assert_eq!(stdout(&output).lines().count(), 5, "compact: one line each");
    assert_eq!(query_values(&server, "cursor").await, [None, Some("c2".into()), Some("c3".into())]);
    assert_eq!(query_values(&server, "limit").await, [Some("2".into()), Some("2".into()), Some("2".into())]);

    let server = MockServer::start().await;
    link_pages(&server).await;
    let output = run(&server, &["list-by-link-header", "--all-pages"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(json_lines(&output), ["a", "b", "c", "d", "e"].map(|id| json!({ "id": id })));
    assert_eq!(query_values(&server, "page").await, [None, Some("2".into()), Some("3".into())]);
}

#[tokio::test]
async fn max_items_stops_after_n_items_and_fetches_no_page_more() {
    let server = MockServer::start().await;
    cursor_pages(&server).await;
    let output = run(&server, &["list-by-cursor", "--max-items", "3"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(json_lines(&output), ["a", "b", "c"].map(|id| json!({ "id": id })));
    assert_eq!(requests_seen(&server).await, 2, "the third page is not needed");

    let server = MockServer::start().await;
    link_pages(&server).await;
    let output = run(&server, &["list-by-link-header", "--max-items", "2", "--all-pages"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(json_lines(&output), ["a", "b"].map(|id| json!({ "id": id })));
    assert_eq!(requests_seen(&server).await, 1, "the first page has enough");

    let output = run(&server, &["list-by-link-header", "--max-items", "0"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(requests_seen(&server).await, 1, "nothing more was sent");
}

#[tokio::test]
async fn without_the_flags_the_first_page_is_printed_whole() {
    let server = MockServer::start().await;
    cursor_pages(&server).await;
    let output = run(&server, &["list-by-cursor"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let page: Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    assert_eq!(page, json!({ "data": things(&["a", "b"]), "meta": { "next_cursor": "c2" } }));
    assert!(stdout(&output).lines().count() > 1, "pretty-printed, as before");
    assert_eq!(requests_seen(&server).await, 1);
}

#[tokio::test]
async fn a_failing_page_keeps_the_printed_items_and_exits_with_its_code() {
    let server = MockServer::start().await;
    let pages = Sequence::new([
        ok(json!({ "data": things(&["a", "b"]), "meta": { "next_cursor": "c2" } })),
        ResponseTemplate::new(400).set_body_json(json!({ "message": "SENTINEL-400" })),
    ]);
    answer(&server, "GET", "/v1/cursor/things", pages).await;
    let output = run(&server, &["list-by-cursor", "--all-pages"]);
    assert_eq!(output.status.code(), Some(4), "the API answered with an error: {}", stderr(&output));
    assert_eq!(json_lines(&output), ["a", "b"].map(|id| json!({ "id": id })));
    let error = stderr(&output);
    assert!(error.contains("after 2 printed item(s)"), "{error}");
    assert!(!error.contains("SENTINEL-400"), "{error}");

    // A page that does not match the spec, by `Link` header.
    let server = MockServer::start().await;
    let next = format!("<{}/v1/link/things?page=2>; rel=\"next\"", server.uri());
    let pages = Sequence::new([
        ok(things(&["a"])).insert_header("link", next.as_str()),
        ok(json!([{ "id": 7, "name": "SENTINEL-BODY" }])),
    ]);
    answer(&server, "GET", "/v1/link/things", pages).await;
    let output = run(&server, &["list-by-link-header", "--max-items", "5"]);
    assert_eq!(output.status.code(), Some(6), "the response does not match the spec: {}", stderr(&output));
    assert_eq!(json_lines(&output), [json!({ "id": "a" })]);
    let error = stderr(&output);
    assert!(error.contains("after 1 printed item(s)"), "{error}");
    assert!(!error.contains("SENTINEL-BODY"), "{error}");

    // The first page failing is reported as the call's own failure.
    let server = MockServer::start().await;
    answer(&server, "GET", "/v1/link/things", ResponseTemplate::new(400)).await;
    let output = run(&server, &["list-by-link-header", "--all-pages"]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(output.stdout.is_empty(), "{}", stdout(&output));
    assert!(!stderr(&output).contains("printed item"), "{}", stderr(&output));
}

#[tokio::test]
async fn dry_run_with_all_pages_prints_the_first_request_and_sends_nothing() {
    let server = MockServer::start().await;
    cursor_pages(&server).await;
    let output = run(&server, &["list-by-cursor", "--limit", "2", "--all-pages", "--dry-run"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let curl = stdout(&output);
    assert!(curl.starts_with("curl --request GET"), "{curl}");
    assert!(curl.contains("/v1/cursor/things?limit=2"), "{curl}");
    assert!(curl.contains("x-api-key: [redacted]") && !curl.contains(KEY), "{curl}");
    assert_eq!(curl.matches("curl ").count(), 1, "only the first page's request: {curl}");
    assert_eq!(requests_seen(&server).await, 0);
}

#[tokio::test]
async fn only_paged_operations_have_the_flags() {
    let server = MockServer::start().await;
    let help = stdout(&run(&server, &["list-by-cursor", "--help"]));
    assert!(help.contains("--all-pages") && help.contains("--max-items <N>"), "{help}");
    assert!(help.contains("Follow every page"), "{help}");
    assert!(help.contains("the pages are followed"), "{help}");
    for unpaged in ["list-recent", "list-without-pager"] {
        let help = stdout(&run(&server, &[unpaged, "--help"]));
        assert!(!help.contains("--all-pages") && !help.contains("--max-items"), "{unpaged}: {help}");
        let refused = run(&server, &[unpaged, "--all-pages"]);
        assert_eq!(refused.status.code(), Some(2), "{unpaged}: {}", stderr(&refused));
    }
    assert_eq!(requests_seen(&server).await, 0);
}
