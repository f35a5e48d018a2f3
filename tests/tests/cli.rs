//! The generated command line, run as a process the way a person runs it: `plaid-client` (our
//! spec) and `fixture-parameters` (path, query, header parameters, a form body, bytes), against
//! the crate's own `mock --port` server and against wiremock.
//!
//! - `help_lists_operations_flags_enum_values_and_exit_codes`
//! - `calls_the_mock_server_started_by_the_binary_and_prints_pretty_json`
//! - `sends_credentials_and_body_flags_and_exits_by_kind_of_failure` (0, 2, 3, 4, 5, 6)
//! - `dry_run_prints_a_curl_command_with_secrets_redacted_and_sends_nothing`
//! - `the_body_can_come_from_standard_input`
//! - `parameters_and_form_bodies_go_where_the_spec_says` (fixture)
//! - `validation_and_bytes_responses_in_a_fixture` (fixture)

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use pipeline_tests::http::received;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Builds a package's binary (with `cli` and `mock`) once, and returns its path.
fn binary(package: &'static str) -> PathBuf {
    static BUILT: OnceLock<std::sync::Mutex<Vec<&'static str>>> = OnceLock::new();
    let root = pipeline_tests::workspace_root();
    let built = BUILT.get_or_init(Default::default);
    let mut built = built.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if !built.contains(&package) {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "-p", package, "--features", "cli,mock", "--bin", package])
            .current_dir(&root)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the {package} binary failed");
        built.push(package);
    }
    pipeline_tests::target_dir().join("debug").join(format!("{package}{}", std::env::consts::EXE_SUFFIX))
}

/// Runs a binary with these arguments and environment variables (and no others of the API's).
fn run(package: &'static str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(binary(package));
    command.args(args).stdin(Stdio::null());
    for (name, _) in std::env::vars() {
        if name.starts_with("PLAID_") || name.starts_with("FIXTURE_PARAMETERS_") {
            command.env_remove(name);
        }
    }
    command.envs(env.iter().copied());
    command.output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const CREDENTIALS: [(&str, &str); 2] = [("PLAID_CLIENT_ID", "client-123"), ("PLAID_SECRET", "topsecret-value")];

const CALL: [&str; 5] = [
    "cra-monitoring-insights-get",
    "--user-id",
    "usr_123",
    "--consumer-report-permissible-purpose",
    "ACCOUNT_REVIEW_CREDIT",
];

/// The spec's example response for the endpoint, which the generated mock serves.
fn example_report() -> serde_json::Value {
    let spec = std::fs::read_to_string(pipeline_tests::workspace_root().join("spec/openapi.yaml")).unwrap();
    let spec: serde_yaml::Value = serde_yaml::from_str(&spec).unwrap();
    let example = &spec["paths"]["/cra/monitoring_insights/get"]["post"]["responses"]["200"]["content"]
        ["application/json"]["example"];
    serde_json::to_value(example).unwrap()
}

#[test]
fn help_lists_operations_flags_enum_values_and_exit_codes() {
    let help = run("plaid-client", &["--help"], &[]);
    assert!(help.status.success());
    let text = stdout(&help);
    for expected in ["cra-monitoring-insights-get", "mock", "--env", "--base-url", "--dry-run", "PLAID_CLIENT_ID"] {
        assert!(text.contains(expected), "`{expected}` missing from:\n{text}");
    }
    assert!(text.contains("4  the API answered with an error"), "{text}");

    let help = run("plaid-client", &["cra-monitoring-insights-get", "--help"], &[]);
    let text = stdout(&help);
    for expected in [
        "--consumer-report-permissible-purpose",
        "[required]",
        "ACCOUNT_REVIEW_CREDIT",
        "WRITTEN_INSTRUCTION_OTHER",
        "--body <JSON|@FILE|->",
        "POST /cra/monitoring_insights/get",
        "Legal basis under the Fair Credit Reporting Act",
    ] {
        assert!(text.contains(expected), "`{expected}` missing from:\n{text}");
    }
}

/// The binary's `mock --port 0`, and the base URL it serves at.
fn start_mock(package: &'static str) -> (Child, String) {
    let mut child = Command::new(binary(package))
        .args(["mock", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mock starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("the mock prints its address").unwrap();
    let url = first.rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");
    // Keep draining its output so that it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, url)
}

#[test]
fn calls_the_mock_server_started_by_the_binary_and_prints_pretty_json() {
    let (mut mock, url) = start_mock("plaid-client");
    let env = [CREDENTIALS[0], CREDENTIALS[1], ("PLAID_BASE_URL", url.as_str())];
    let output = run("plaid-client", &CALL, &env);
    let _ = mock.kill();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("{\n  \""), "pretty JSON: {text}");
    let printed: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(printed["request_id"], example_report()["request_id"]);
    assert_eq!(printed["items"].as_array().map(Vec::len), example_report()["items"].as_array().map(Vec::len));
}

#[tokio::test(flavor = "multi_thread")]
async fn sends_credentials_and_body_flags_and_exits_by_kind_of_failure() {
    let server = MockServer::start().await;
    let report = serde_json::to_string(&example_report()).unwrap();
    Mock::given(method("POST"))
        .and(path("/ok/cra/monitoring_insights/get"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(report, "application/json"))
        .mount(&server)
        .await;
    let error = r#"{"error_type":"INVALID_INPUT","error_code":"INVALID_USER_ID","error_message":"no such user","display_message":null,"request_id":"req-42"}"#;
    Mock::given(path("/api-error/cra/monitoring_insights/get"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(error, "application/json"))
        .mount(&server)
        .await;
    Mock::given(path("/bad-body/cra/monitoring_insights/get"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"items": 7}"#, "application/json"))
        .mount(&server)
        .await;
    let base = |prefix: &str| format!("{}/{prefix}", server.uri());
    let call = |prefix: &str, env: &[(&str, &str)]| {
        let base_url = base(prefix);
        let mut args = CALL.to_vec();
        args.extend(["--base-url", base_url.as_str()]);
        run("plaid-client", &args, env)
    };

    let ok = tokio::task::block_in_place(|| call("ok", &CREDENTIALS));
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let sent = received(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].headers["plaid-client-id"], "client-123");
    assert_eq!(sent[0].headers["plaid-secret"], "topsecret-value");
    assert_eq!(sent[0].headers["plaid-version"], "2020-09-14");
    let body: serde_json::Value = serde_json::from_slice(&sent[0].body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"user_id": "usr_123", "consumer_report_permissible_purpose": "ACCOUNT_REVIEW_CREDIT"})
    );

    let api_error = tokio::task::block_in_place(|| call("api-error", &CREDENTIALS));
    assert_eq!(api_error.status.code(), Some(4), "{}", stderr(&api_error));
    assert!(stderr(&api_error).contains("HTTP 400") && stderr(&api_error).contains("req-42"), "{}", stderr(&api_error));
    assert!(api_error.stdout.is_empty());

    let bad_body = tokio::task::block_in_place(|| call("bad-body", &CREDENTIALS));
    assert_eq!(bad_body.status.code(), Some(6), "{}", stderr(&bad_body));
    assert!(stderr(&bad_body).contains("items"), "{}", stderr(&bad_body));

    // Nothing listens on port 9 of 127.0.0.1.
    let refused = tokio::task::block_in_place(|| {
        let mut args = CALL.to_vec();
        args.extend(["--base-url", "http://127.0.0.1:9"]);
        run("plaid-client", &args, &CREDENTIALS)
    });
    assert_eq!(refused.status.code(), Some(5), "{}", stderr(&refused));

    let no_credentials = tokio::task::block_in_place(|| call("ok", &[CREDENTIALS[0]]));
    assert_eq!(no_credentials.status.code(), Some(3), "{}", stderr(&no_credentials));
    assert!(stderr(&no_credentials).contains("PLAID_SECRET"), "{}", stderr(&no_credentials));

    let missing_flag = tokio::task::block_in_place(|| {
        run("plaid-client", &["cra-monitoring-insights-get", "--user-id", "u", "--base-url", &base("ok")], &CREDENTIALS)
    });
    assert_eq!(missing_flag.status.code(), Some(2));
    assert!(
        stderr(&missing_flag).contains("--consumer-report-permissible-purpose is required"),
        "{}",
        stderr(&missing_flag)
    );

    let bad_enum = tokio::task::block_in_place(|| {
        let args = ["cra-monitoring-insights-get", "--consumer-report-permissible-purpose", "CURIOSITY"];
        run("plaid-client", &args, &CREDENTIALS)
    });
    assert_eq!(bad_enum.status.code(), Some(2));
    assert!(stderr(&bad_enum).contains("ACCOUNT_REVIEW_CREDIT"), "{}", stderr(&bad_enum));

    // Only the first call reached the server.
    assert_eq!(received(&server).await.iter().filter(|r| r.url.path().starts_with("/ok")).count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_prints_a_curl_command_with_secrets_redacted_and_sends_nothing() {
    let server = MockServer::start().await;
    let body = tokio::task::block_in_place(|| {
        let file = std::env::temp_dir().join(format!("cli-dry-run-{}.json", std::process::id()));
        std::fs::write(&file, r#"{"user_token": "token-secret-value", "consumer_report_permissible_purpose": "WRITTEN_INSTRUCTION_OTHER"}"#).unwrap();
        let at_file = format!("@{}", file.display());
        let output = run(
            "plaid-client",
            &["cra-monitoring-insights-get", "--body", &at_file, "--user-id", "usr_9", "--dry-run", "--env", "sandbox"],
            &CREDENTIALS,
        );
        let _ = std::fs::remove_file(file);
        output
    });
    assert_eq!(body.status.code(), Some(0), "{}", stderr(&body));
    let text = stdout(&body);
    assert!(text.starts_with("curl --request POST 'https://sandbox.plaid.com/cra/monitoring_insights/get'"), "{text}");
    assert!(text.contains("--header 'plaid-secret: [redacted]'"), "{text}");
    assert!(text.contains("--header 'plaid-client-id: client-123'"), "{text}");
    assert!(text.contains(r#""user_token":"[redacted]""#) && text.contains(r#""user_id":"usr_9""#), "{text}");
    assert!(!text.contains("topsecret-value") && !text.contains("token-secret-value"), "{text}");
    assert!(received(&server).await.is_empty());
}

#[test]
fn the_body_can_come_from_standard_input() {
    use std::io::Write;
    let mut child = Command::new(binary("plaid-client"))
        .args(["cra-monitoring-insights-get", "--body", "-", "--dry-run", "--base-url", "http://127.0.0.1:9"])
        .envs(CREDENTIALS)
        .env_remove("PLAID_BASE_URL")
        .env_remove("PLAID_ENV")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let body = br#"{"user_id": "usr_stdin", "consumer_report_permissible_purpose": "ACCOUNT_REVIEW_CREDIT"}"#;
    child.stdin.take().unwrap().write_all(body).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains(r#""user_id":"usr_stdin""#), "{}", stdout(&output));

    let not_json = run("plaid-client", &["cra-monitoring-insights-get", "--body", "{user_id"], &CREDENTIALS);
    assert_eq!(not_json.status.code(), Some(2));
    assert!(stderr(&not_json).contains("--body is not JSON (line 1, column 2)"), "{}", stderr(&not_json));
}

#[tokio::test(flavor = "multi_thread")]
async fn parameters_and_form_bodies_go_where_the_spec_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"id": 7, "name": "lamp"}"#, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let uri = server.uri();
    let item = tokio::task::block_in_place(|| {
        let args = [
            "get-item",
            "--store-id",
            "st 1",
            "--item-id",
            "7",
            "--fields",
            "a",
            "--fields",
            "b",
            "--tags",
            "x",
            "--tags",
            "y",
            "--sizes",
            "1",
            "--sizes",
            "2",
            "--sort",
            "asc",
            "--limit",
            "5",
            "--x-trace-id",
            "t-1",
            "--type",
            "true",
            "--base-url",
            &uri,
        ];
        run("fixture-parameters", &args, &[])
    });
    assert_eq!(item.status.code(), Some(0), "{}", stderr(&item));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&item.stdout).unwrap(),
        serde_json::json!({"id": 7, "name": "lamp"})
    );
    let login = tokio::task::block_in_place(|| {
        let args =
            ["login", "--body", r#"{"username": "ann", "remember": true}"#, "--password", "pw", "--base-url", &uri];
        run("fixture-parameters", &args, &[])
    });
    assert_eq!(login.status.code(), Some(0), "{}", stderr(&login));
    assert!(login.stdout.is_empty());

    let sent = received(&server).await;
    assert_eq!(sent[0].url.path(), "/stores/st%201/items/7");
    assert_eq!(sent[0].url.query(), Some("fields=a&fields=b&tags=x%2Cy&sizes=1%7C2&sort=asc&limit=5&type=true"));
    assert_eq!(sent[0].headers["x-trace-id"], "t-1");
    assert_eq!(sent[1].headers["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(String::from_utf8_lossy(&sent[1].body), "username=ann&password=pw&remember=true");
}

#[tokio::test(flavor = "multi_thread")]
async fn validation_and_bytes_responses_in_a_fixture() {
    let server = MockServer::start().await;
    Mock::given(path("/stores/s1/receipts/r9.pdf"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"%PDF-1.7 bytes".to_vec(), "application/pdf"))
        .mount(&server)
        .await;
    let uri = server.uri();
    let invalid = tokio::task::block_in_place(|| {
        let args = ["get-item", "--store-id", "st", "--item-id", "7", "--limit", "0", "--base-url", &uri];
        run("fixture-parameters", &args, &[])
    });
    assert_eq!(invalid.status.code(), Some(2), "{}", stderr(&invalid));
    assert!(stderr(&invalid).contains("limit"), "{}", stderr(&invalid));
    let not_a_number = tokio::task::block_in_place(|| {
        let args = ["get-item", "--store-id", "st", "--item-id", "seven", "--limit", "1", "--base-url", &uri];
        run("fixture-parameters", &args, &[])
    });
    assert_eq!(not_a_number.status.code(), Some(2));
    assert!(stderr(&not_a_number).contains("--item-id expects a whole number"), "{}", stderr(&not_a_number));
    let receipt = tokio::task::block_in_place(|| {
        run(
            "fixture-parameters",
            &["download-receipt", "--store-id", "s1", "--receipt-id", "r9", "--base-url", &uri],
            &[],
        )
    });
    assert_eq!(receipt.status.code(), Some(0), "{}", stderr(&receipt));
    assert_eq!(receipt.stdout, b"%PDF-1.7 bytes");
    // The two invalid calls sent nothing.
    assert_eq!(received(&server).await.len(), 1);
}
