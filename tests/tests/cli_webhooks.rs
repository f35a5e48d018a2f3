//! The command line's `webhook` subcommands, run as processes with the delivery on standard
//! input: `webhook parse` on the `webhooks31` fixture (3.1 webhooks), and `webhook verify` on
//! deliveries the crates' own `MockSender`s signed: Standard Webhooks (`webhooks31`), HMAC
//! (`callbacks`) with secrets from the environment, and Plaid's JWT with the key fetched from the
//! in-process mock through `--base-url`.
//!
//! - `webhook_parse_prints_the_event_as_json_and_names_fields_not_values`
//! - `only_crates_with_events_have_webhook_subcommands`
//! - `standard_webhooks_deliveries_verify_with_the_secrets_of_the_environment` (0, 3, 7)
//! - `hmac_deliveries_verify_only_when_untouched`
//! - `plaid_deliveries_verify_with_the_key_the_api_serves` (0, 3, 7)

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Builds a package's binary (with `cli` and `mock`) once, and returns its path.
fn binary(package: &'static str) -> PathBuf {
    static BUILT: OnceLock<std::sync::Mutex<Vec<&'static str>>> = OnceLock::new();
    let built = BUILT.get_or_init(Default::default);
    let mut built = built.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if !built.contains(&package) {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "-p", package, "--features", "cli,mock", "--bin", package])
            .current_dir(pipeline_tests::workspace_root())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the {package} binary failed");
        built.push(package);
    }
    pipeline_tests::target_dir().join("debug").join(format!("{package}{}", std::env::consts::EXE_SUFFIX))
}

/// Runs a binary with these arguments, `stdin` on its standard input, and these environment
/// variables (and none other of the crate's own, whose names start with `prefix`).
fn run(package: &'static str, prefix: &str, args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(binary(package));
    command.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (name, _) in std::env::vars() {
        if name.starts_with(prefix) {
            command.env_remove(name);
        }
    }
    let mut child = command.envs(env.iter().copied()).spawn().expect("the binary runs");
    // A binary that exits without reading (a refused subcommand) closes the pipe early.
    match child.stdin.take().expect("stdin is piped").write_all(stdin) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => panic!("cannot write the input: {error}"),
        _ => {}
    }
    child.wait_with_output().expect("the binary ends")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A delivery as received: its headers as `--header` arguments, and its body.
struct Received {
    headers: Vec<String>,
    body: Vec<u8>,
}

impl Received {
    /// `webhook verify` with a `--header` per header, then `more`.
    fn verify_args<'a>(&'a self, more: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec!["webhook", "verify"];
        for header in &self.headers {
            args.extend(["--header", header.as_str()]);
        }
        args.extend(more);
        args
    }
}

/// A receiver that answers every POST with 204 and keeps what it received.
async fn receiver() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

/// The last delivery the receiver got.
async fn last_delivery(server: &MockServer) -> Received {
    let request = server.received_requests().await.expect("recording is on").pop().expect("a delivery arrived");
    let headers = request
        .headers
        .iter()
        .map(|(name, value)| format!("{name}: {}", value.to_str().expect("text headers")))
        .collect();
    Received { headers, body: request.body }
}

const WEBHOOKS31: &str = "fixture-webhooks31";
const WEBHOOKS31_PREFIX: &str = "FIXTURE_WEBHOOKS31_";

#[test]
fn webhook_parse_prints_the_event_as_json_and_names_fields_not_values() {
    let parse =
        |body: &Value| run(WEBHOOKS31, WEBHOOKS31_PREFIX, &["webhook", "parse"], body.to_string().as_bytes(), &[]);
    let settled = json!({"event_type": "transfer.settled", "transfer_id": "t9", "amount": 1250});
    let known = parse(&settled);
    assert_eq!(known.status.code(), Some(0), "{}", stderr(&known));
    assert!(stdout(&known).starts_with("{\n  \""), "pretty JSON: {}", stdout(&known));
    let printed: Value = serde_json::from_slice(&known.stdout).unwrap();
    assert_eq!(printed, json!({"event": "transfer.settled", "payload": settled}));

    let frozen = json!({"event_type": "account.frozen", "reason": "kept-whole"});
    let unknown = parse(&frozen);
    assert_eq!(unknown.status.code(), Some(0), "{}", stderr(&unknown));
    let printed: Value = serde_json::from_slice(&unknown.stdout).unwrap();
    assert_eq!(printed, json!({"event": null, "payload": frozen}));
    assert!(stderr(&unknown).contains("does not know"), "{}", stderr(&unknown));

    let broken = json!({"event_type": "transfer.settled", "transfer_id": "t-secret-9", "amount": "lots-of-money-42"});
    let malformed = parse(&broken);
    assert_eq!(malformed.status.code(), Some(6), "{}", stderr(&malformed));
    assert!(malformed.stdout.is_empty(), "{}", stdout(&malformed));
    let message = stderr(&malformed);
    assert!(message.contains("`amount`"), "{message}");
    assert!(!message.contains("lots-of-money-42") && !message.contains("t-secret-9"), "{message}");

    let not_json = run(WEBHOOKS31, WEBHOOKS31_PREFIX, &["webhook", "parse"], b"{not json", &[]);
    assert_eq!(not_json.status.code(), Some(6), "{}", stderr(&not_json));
}

#[test]
fn only_crates_with_events_have_webhook_subcommands() {
    let help = run(WEBHOOKS31, WEBHOOKS31_PREFIX, &["webhook", "--help"], b"", &[]);
    assert_eq!(help.status.code(), Some(0), "{}", stderr(&help));
    assert!(stdout(&help).contains("parse") && stdout(&help).contains("verify"), "{}", stdout(&help));
    let help = run(WEBHOOKS31, WEBHOOKS31_PREFIX, &["webhook", "verify", "--help"], b"", &[]);
    let text = stdout(&help);
    assert!(text.contains("FIXTURE_WEBHOOKS31_WEBHOOK_SECRET") && text.contains("--secret-env"), "{text}");
    assert!(text.contains("7  the delivery was refused"), "{text}");
    assert!(!text.contains("--secret "), "no secret as an argument: {text}");

    // No events: no `webhook` subcommand at all.
    let none = run("fixture-parameters", "FIXTURE_PARAMETERS_", &["webhook", "parse"], b"{}", &[]);
    assert_eq!(none.status.code(), Some(2), "{}", stderr(&none));
    assert!(stderr(&none).contains("unrecognized subcommand"), "{}", stderr(&none));
    // Events but no signature scheme: `parse` only.
    let unsigned = run("fixture-openapi31", "FIXTURE_OPENAPI31_", &["webhook", "verify"], b"{}", &[]);
    assert_eq!(unsigned.status.code(), Some(2), "{}", stderr(&unsigned));
    let parse = run("fixture-openapi31", "FIXTURE_OPENAPI31_", &["webhook", "parse"], b"{}", &[]);
    assert_eq!(parse.status.code(), Some(0), "{}", stderr(&parse));

    // A header that is not `Name: value` is refused without being repeated.
    let bad = run(WEBHOOKS31, WEBHOOKS31_PREFIX, &["webhook", "verify", "--header", "v1,sig-secret"], b"{}", &[]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("Name: value") && !stderr(&bad).contains("sig-secret"), "{}", stderr(&bad));
}

#[tokio::test(flavor = "multi_thread")]
async fn standard_webhooks_deliveries_verify_with_the_secrets_of_the_environment() {
    use fixture_webhooks31::webhooks::{Delivery, MockSender, WebhookEvent, MOCK_SECRET};
    let receiver = receiver().await;
    let url = format!("{}/hooks", receiver.uri());
    let sender = MockSender::new();
    let payload = json!({"event_type": "transfer.settled", "transfer_id": "t-secret-31", "amount": 7});
    let event = WebhookEvent::parse(payload.to_string().as_bytes()).unwrap();
    sender.deliver(&url, &event, Delivery::Valid).await.unwrap();
    let valid = last_delivery(&receiver).await;
    sender.deliver(&url, &event, Delivery::Tampered).await.unwrap();
    let tampered = last_delivery(&receiver).await;
    let secret = [("FIXTURE_WEBHOOKS31_WEBHOOK_SECRET", MOCK_SECRET)];
    let verify = |received: &Received, more: &[&str], env: &[(&str, &str)]| {
        tokio::task::block_in_place(|| {
            run(WEBHOOKS31, WEBHOOKS31_PREFIX, &received.verify_args(more), &received.body, env)
        })
    };

    let verified = verify(&valid, &[], &secret);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    assert_eq!(stdout(&verified), "verified\n");
    let parsed = verify(&valid, &["--parse"], &secret);
    assert_eq!(parsed.status.code(), Some(0), "{}", stderr(&parsed));
    let (first, json) = stdout(&parsed).split_once('\n').map(|(a, b)| (a.to_string(), b.to_string())).unwrap();
    assert_eq!(first, "verified");
    assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), json!({"event": "transfer.settled", "payload": payload}));

    let refused = verify(&tampered, &["--parse"], &secret);
    assert_eq!(refused.status.code(), Some(7), "{}", stderr(&refused));
    assert!(refused.stdout.is_empty(), "{}", stdout(&refused));
    assert!(stderr(&refused).contains("bad signature"), "{}", stderr(&refused));
    assert!(!stderr(&refused).contains("t-secret-31") && !stderr(&refused).contains(MOCK_SECRET));

    // Rotation: any secret of the list; another variable named with --secret-env.
    let other = "whsec_b3RoZXItc2VjcmV0LW5vdC10aGUtbW9jay1vbmU=";
    let rotating = format!("{other}, {MOCK_SECRET}");
    let rotated = verify(&valid, &[], &[("FIXTURE_WEBHOOKS31_WEBHOOK_SECRET", rotating.as_str())]);
    assert_eq!(rotated.status.code(), Some(0), "{}", stderr(&rotated));
    let wrong = verify(&valid, &[], &[("FIXTURE_WEBHOOKS31_WEBHOOK_SECRET", other)]);
    assert_eq!(wrong.status.code(), Some(7), "{}", stderr(&wrong));
    let named =
        verify(&valid, &["--secret-env", "RECEIVER_SIGNING_SECRET"], &[("RECEIVER_SIGNING_SECRET", MOCK_SECRET)]);
    assert_eq!(named.status.code(), Some(0), "{}", stderr(&named));

    let unset = verify(&valid, &[], &[]);
    assert_eq!(unset.status.code(), Some(3), "{}", stderr(&unset));
    assert!(stderr(&unset).contains("FIXTURE_WEBHOOKS31_WEBHOOK_SECRET"), "{}", stderr(&unset));
    let malformed = verify(&valid, &[], &[("FIXTURE_WEBHOOKS31_WEBHOOK_SECRET", "whsec_not base64!")]);
    assert_eq!(malformed.status.code(), Some(3), "{}", stderr(&malformed));
}

#[tokio::test(flavor = "multi_thread")]
async fn hmac_deliveries_verify_only_when_untouched() {
    use fixture_callbacks::webhooks::{Delivery, MockSender, WebhookEvent, MOCK_SECRET};
    let receiver = receiver().await;
    let url = format!("{}/parcels", receiver.uri());
    let sender = MockSender::new();
    let event = WebhookEvent::parse(br#"{"type": "parcel.returned", "parcel_id": "p-secret-88"}"#).unwrap();
    let secret = [("FIXTURE_CALLBACKS_WEBHOOK_SECRET", MOCK_SECRET)];
    let verify = |received: &Received| {
        tokio::task::block_in_place(|| {
            run("fixture-callbacks", "FIXTURE_CALLBACKS_", &received.verify_args(&["--parse"]), &received.body, &secret)
        })
    };

    sender.deliver(&url, &event, Delivery::Valid).await.unwrap();
    let valid = verify(&last_delivery(&receiver).await);
    assert_eq!(valid.status.code(), Some(0), "{}", stderr(&valid));
    assert!(stdout(&valid).starts_with("verified\n"), "{}", stdout(&valid));
    assert!(stdout(&valid).contains(r#""event": "ParcelReturned""#), "{}", stdout(&valid));

    for delivery in [Delivery::Tampered, Delivery::WrongSecret, Delivery::Unsigned] {
        sender.deliver(&url, &event, delivery).await.unwrap();
        let refused = verify(&last_delivery(&receiver).await);
        assert_eq!(refused.status.code(), Some(7), "{delivery:?}: {}", stderr(&refused));
        assert!(refused.stdout.is_empty(), "{delivery:?}: {}", stdout(&refused));
        assert!(!stderr(&refused).contains("p-secret-88") && !stderr(&refused).contains(MOCK_SECRET));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn plaid_deliveries_verify_with_the_key_the_api_serves() {
    use plaid_client::webhooks::{Delivery, MockSender, WebhookEvent};
    let mock = plaid_client::mock::MockServer::start().await;
    let sender = MockSender::new(&mock);
    let receiver = receiver().await;
    let url = format!("{}/plaid", receiver.uri());
    let payload = json!({
        "webhook_type": "CASH_FLOW_UPDATES",
        "webhook_code": "CASH_FLOW_INSIGHTS_UPDATED",
        "status": "AVAILABLE",
        "user_id": "user-secret-5150",
        "insights": ["LOW_BALANCE_DETECTED"],
        "environment": "sandbox"
    });
    let event = WebhookEvent::parse(payload.to_string().as_bytes()).unwrap();
    sender.deliver(&url, &event, Delivery::Valid).await.unwrap();
    let valid = last_delivery(&receiver).await;
    sender.deliver(&url, &event, Delivery::Tampered).await.unwrap();
    let tampered = last_delivery(&receiver).await;
    let base_url = mock.uri();
    let credentials = [("PLAID_CLIENT_ID", "mock-client-id"), ("PLAID_SECRET", "mock-secret")];
    let verify = |received: &Received, env: &[(&str, &str)]| {
        let args = received.verify_args(&["--parse", "--base-url", &base_url]);
        tokio::task::block_in_place(|| run("plaid-client", "PLAID_", &args, &received.body, env))
    };

    let verified = verify(&valid, &credentials);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    let json = stdout(&verified).strip_prefix("verified\n").map(str::to_string).expect("verified first");
    let printed: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(printed["event"], "cashFlowInsightsUpdated");
    assert_eq!(printed["payload"]["user_id"], "user-secret-5150");
    assert_eq!(mock.webhook_verification_key_get().received().len(), 1, "the key was fetched from the mock");

    let refused = verify(&tampered, &credentials);
    assert_eq!(refused.status.code(), Some(7), "{}", stderr(&refused));
    assert!(!stderr(&refused).contains("user-secret-5150"), "{}", stderr(&refused));

    let no_credentials = verify(&valid, &[]);
    assert_eq!(no_credentials.status.code(), Some(3), "{}", stderr(&no_credentials));
    assert!(stderr(&no_credentials).contains("PLAID_CLIENT_ID"), "{}", stderr(&no_credentials));
}
