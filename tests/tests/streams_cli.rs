//! The `streams` fixture's command line, run as a process against the fixture's generated mock
//! (in-process, and the binary's own `mock --port`): a streamed answer is printed one line of
//! JSON per item as the items arrive, untyped events as objects, an operation that streams by
//! a body property streams when it is set, and an item that fails is reported on standard
//! error without its data, with the exit code of a response that does not match the spec.
//!
//! - `each_item_is_one_line_of_json`
//! - `an_operation_that_answers_either_streams_when_asked`
//! - `items_are_printed_as_they_arrive`
//! - `a_failing_item_is_reported_without_its_data_and_the_rest_printed`
//! - `the_binarys_own_mock_answers_an_empty_stream`

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use fixture_streams::mock::{MockReply, MockServer};
use fixture_streams::types::{Change, ChangeKind, ChatAnswer, ChatChunk};
use fixture_streams::SseEvent;
use serde_json::{json, Value};

const PACKAGE: &str = "fixture-streams";

/// Builds the fixture's binary (with `cli` and `mock`) once, and returns its path.
fn binary() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let status = Command::new(env!("CARGO"))
                .args(["build", "--quiet", "-p", PACKAGE, "--features", "cli,mock", "--bin", PACKAGE])
                .current_dir(pipeline_tests::workspace_root())
                .status()
                .expect("cargo runs");
            assert!(status.success(), "building the {PACKAGE} binary failed");
            pipeline_tests::target_dir().join("debug").join(format!("{PACKAGE}{}", std::env::consts::EXE_SUFFIX))
        })
        .clone()
}

/// The binary with these arguments, pointed at `mock` with the key it expects.
fn command(mock: &MockServer, args: &[&str]) -> Command {
    let mut command = Command::new(binary());
    command.args(args).stdin(Stdio::null());
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("FIXTURE_STREAMS_")) {
        command.env_remove(name);
    }
    command.env("FIXTURE_STREAMS_API_KEY", "mock-api-key").env("FIXTURE_STREAMS_BASE_URL", mock.uri());
    command
}

fn run(mock: &MockServer, args: &[&str]) -> Output {
    command(mock, args).output().expect("the binary runs")
}

/// Standard output's lines, each parsed as JSON.
fn json_lines(output: &Output) -> Vec<Value> {
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines().map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line:?}"))).collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn chunk(delta: &str) -> ChatChunk {
    ChatChunk::builder().delta(delta).build().unwrap()
}

#[tokio::test]
async fn each_item_is_one_line_of_json() {
    let mock = MockServer::start().await;
    mock.watch_changes().items([
        Change::builder().id("a").kind(ChangeKind::Added).build().unwrap(),
        Change::builder().id("b").kind(ChangeKind::Removed).build().unwrap(),
    ]);
    let output = run(&mock, &["watch-changes", "--since", "5"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(json_lines(&output), [json!({"id": "a", "kind": "added"}), json!({"id": "b", "kind": "removed"})]);
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 2, "compact: one line each");
    assert_eq!(mock.watch_changes().received()[0].params.since, Some(5));

    mock.follow_job_log().events([
        SseEvent { event: Some("info".into()), id: Some("1".into()), data: "started".into(), retry: None },
        SseEvent { data: "two\nlines".into(), retry: Some(Duration::from_millis(1500)), ..SseEvent::default() },
    ]);
    let output = run(&mock, &["follow-job-log", "--job-id", "j1"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        json_lines(&output),
        [
            json!({"event": "info", "id": "1", "data": "started", "retry": null}),
            // The id is the last one set, as the standard says.
            json!({"event": null, "id": "1", "data": "two\nlines", "retry": 1500}),
        ]
    );
}

#[tokio::test]
async fn an_operation_that_answers_either_streams_when_asked() {
    let mock = MockServer::start().await;
    mock.chat().respond(&ChatAnswer::builder().text("Hello").build().unwrap());
    mock.chat_stream().items([chunk("Hel"), chunk("lo")]);
    let streamed = run(&mock, &["chat", "--prompt", "hi", "--stream", "true"]);
    assert_eq!(streamed.status.code(), Some(0), "{}", stderr(&streamed));
    assert_eq!(json_lines(&streamed), [json!({"delta": "Hel"}), json!({"delta": "lo"})]);
    let in_body = run(&mock, &["chat", "--body", r#"{"prompt": "hi", "stream": true}"#]);
    assert_eq!(json_lines(&in_body).len(), 2, "{}", stderr(&in_body));
    let whole = run(&mock, &["chat", "--prompt", "hi"]);
    assert_eq!(whole.status.code(), Some(0), "{}", stderr(&whole));
    let answer: Value = serde_json::from_slice(&whole.stdout).unwrap();
    assert_eq!(answer, json!({"text": "Hello"}));
    assert_eq!((mock.chat().received().len(), mock.chat_stream().received().len()), (1, 2));
    let help = run(&mock, &["chat", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("With `stream` set to true, the answer is a stream"));
}

#[tokio::test]
async fn items_are_printed_as_they_arrive() {
    let mock = MockServer::start().await;
    let pause = Duration::from_millis(600);
    mock.chat_stream().respond_with(MockReply::items([chunk("a"), chunk("b")]).delay_between(pause));
    let mut child = command(&mock, &["chat", "--prompt", "hi", "--stream", "true"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a first line").unwrap();
    let first_at = Instant::now();
    assert_eq!(serde_json::from_str::<Value>(&first).unwrap(), json!({"delta": "a"}));
    let second = lines.next().expect("a second line").unwrap();
    let second_at = Instant::now();
    assert_eq!(serde_json::from_str::<Value>(&second).unwrap(), json!({"delta": "b"}));
    assert!(lines.next().is_none());
    assert!(child.wait().unwrap().success());
    // The first item was printed (and flushed) a pause before the second came.
    assert!(second_at - first_at >= pause - Duration::from_millis(100), "{:?}", second_at - first_at);
}

#[tokio::test]
async fn a_failing_item_is_reported_without_its_data_and_the_rest_printed() {
    let mock = MockServer::start().await;
    let body = "{\"id\": \"a\", \"kind\": 7, \"note\": \"SENTINEL-77\"}\n{\"id\":\"b\",\"kind\":\"added\"}\n";
    mock.watch_changes().respond_with(MockReply::bytes(200, "application/x-ndjson", body));
    let output = run(&mock, &["watch-changes"]);
    assert_eq!(output.status.code(), Some(6), "a response that does not match the spec");
    assert_eq!(json_lines(&output), [json!({"id": "b", "kind": "added"})]);
    let stderr = stderr(&output);
    assert!(stderr.contains("cannot decode item 0 of the response stream: kind"), "{stderr}");
    assert!(stderr.contains("1 item(s) of the response stream failed"), "{stderr}");
    assert!(!stderr.contains("SENTINEL-77"), "{stderr}");
}

#[test]
fn the_binarys_own_mock_answers_an_empty_stream() {
    let mut server = Command::new(binary())
        .args(["mock", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the mock starts");
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let first = lines.next().expect("the mock prints its address").unwrap();
    let url = first.rsplit(' ').next().unwrap().to_string();
    let output = Command::new(binary())
        .args(["export-records", "--base-url", &url])
        .env("FIXTURE_STREAMS_API_KEY", "any-key")
        .output()
        .expect("the binary runs");
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty(), "{}", String::from_utf8_lossy(&output.stdout));
}
