//! The `webhook` subcommands of the command line, in crates whose spec describes events.
//!
//! `webhook parse` reads a delivery's body from standard input and prints its event's name and
//! payload as pretty JSON. `webhook verify` reads the raw body from standard input and the
//! delivery's headers from `--header`, and checks its signature: with the signing secrets of an
//! environment variable (never an argument, which would stay in the shell's history), or, when
//! the API serves its signing keys, with the client the other subcommands build.
//!
//! What varies with the spec (the event type, how a signature is checked) is the [`Webhooks`]
//! table in each crate's `cli.rs`; this module does the rest.
#![cfg(feature = "cli")]

use std::ffi::OsString;
use std::future::Future;
use std::io::Write as _;
use std::pin::Pin;
use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches};

use crate::command::{self, App, Failure, Global, Output, EXIT_CONFIG, EXIT_INVALID, EXIT_RESPONSE};
use crate::error::BuildError;
use crate::secret::Secret;
use crate::webhook::WebhookError;

/// The delivery was refused: its signature, its signing time or its key.
pub const EXIT_REFUSED: u8 = 7;

/// The exit codes of `webhook parse`, as its `--help` lists them.
const PARSE_EXIT_CODES: &str = "Exit codes:
  0  the body was read: its event is printed
  2  invalid arguments, or standard input cannot be read
  6  the body is not JSON, or does not match its event's type (the error names the field, never a value)";

/// The webhook subcommands of a crate: how its events are read, and how their signatures are
/// checked.
pub struct Webhooks<E: 'static> {
    /// Reads a delivery's body: `WebhookEvent::parse`.
    pub parse: fn(&[u8]) -> Result<E, WebhookError>,
    /// The event's name in the spec, `None` for an event of a kind the crate does not know:
    /// `WebhookEvent::name`.
    pub name: fn(&E) -> Option<&'static str>,
    /// How `webhook verify` checks a delivery; `None` when the crate cannot (no signature
    /// scheme, or the operation serving the keys is not compiled), and there is no `verify`.
    pub verify: Option<Verify>,
}

/// How a crate checks a delivery's signature.
#[allow(dead_code, reason = "the generated `cli.rs` makes one only when the crate can check signatures")]
pub struct Verify {
    /// What the signatures are checked with.
    pub keys: Keys,
    /// The check itself, which calls the crate's `webhooks::verifier`.
    pub check: Check,
}

/// What `webhook verify` checks signatures with.
#[allow(dead_code, reason = "the generated `cli.rs` names the one of the crate's signature scheme")]
pub enum Keys {
    /// Signing secrets, read from this environment variable (or the one `--secret-env` names),
    /// several separated by commas while a secret is rotated.
    Secrets { env: &'static str },
    /// Keys the API serves, fetched with the client the other subcommands build (from the
    /// environment, `--env` and `--base-url`).
    Client,
}

/// The crate's check of one delivery: `verify` of its `webhooks::verifier`.
pub type Check = for<'a> fn(&'a VerifyCall, &'a [u8]) -> Checking<'a>;

/// The outcome of a [`Check`], once awaited.
pub type Checking<'a> = Pin<Box<dyn Future<Output = Result<(), VerifyError>> + 'a>>;

/// What the command line was asked to do.
pub enum Invocation {
    /// An operation or the mock server, as [`command::parse`] reads them.
    Command(command::Invocation),
    /// A `webhook` subcommand.
    Webhook(WebhookCall),
}

/// A `webhook` subcommand, its arguments read.
pub enum WebhookCall {
    /// `webhook parse`.
    Parse,
    /// `webhook verify`.
    Verify(VerifyCall),
}

/// `webhook verify`'s arguments: what a [`Check`] reads.
pub struct VerifyCall {
    headers: Vec<(String, String)>,
    parse: bool,
    /// The environment variable holding the signing secrets, for [`Keys::Secrets`].
    secret_env: Option<String>,
    global: Global,
}

/// Why a delivery was not verified.
#[derive(Debug)]
pub enum VerifyError {
    /// The environment variable that should hold the signing secrets is unset, empty or not text.
    NoSecret { variable: String },
    /// The client that fetches the signing keys could not be built.
    #[allow(dead_code, reason = "the generated check makes it when the API serves the signing keys")]
    Build(BuildError),
    /// The verifier refused the delivery, or could not fetch its key.
    Refused(WebhookError),
}

impl From<WebhookError> for VerifyError {
    fn from(error: WebhookError) -> Self {
        VerifyError::Refused(error)
    }
}

#[allow(dead_code, reason = "a generated check reads what its signature scheme needs")]
impl VerifyCall {
    /// The delivery's headers, as `--header` gave them.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The options every subcommand takes, which build the client.
    pub fn global(&self) -> &Global {
        &self.global
    }

    /// The signing secrets: the first, and those accepted too while rotating.
    pub fn secrets(&self) -> Result<(Secret, Vec<Secret>), VerifyError> {
        let variable = self.secret_env.clone().unwrap_or_default();
        let text = std::env::var(&variable).map(Secret::from).ok();
        let mut secrets = text.as_ref().map(|text| split_secrets(text.expose())).unwrap_or_default().into_iter();
        match secrets.next() {
            Some(first) => Ok((first, secrets.collect())),
            None => Err(VerifyError::NoSecret { variable }),
        }
    }
}

/// The secrets of a comma-separated list, blank ones left out.
fn split_secrets(text: &str) -> Vec<Secret> {
    text.split(',').map(str::trim).filter(|secret| !secret.is_empty()).map(Secret::from).collect()
}

/// Parses the arguments: the `webhook` subcommands, or any other as [`command::parse`] does.
/// `Err` is the exit code when there is nothing more to do.
pub fn parse<E, I, T>(app: &'static App, webhooks: &Webhooks<E>, args: I) -> Result<Invocation, ExitCode>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = command::matches(command::command(app).subcommand(webhook_command(webhooks)), args)?;
    match matches.subcommand() {
        Some(("webhook", arguments)) => read_call(webhooks, arguments).map(Invocation::Webhook).map_err(|message| {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_INVALID)
        }),
        _ => command::invocation(app, &matches).map(Invocation::Command),
    }
}

/// `webhook`, with `parse`, and `verify` when the crate can check signatures.
fn webhook_command<E>(webhooks: &Webhooks<E>) -> clap::Command {
    let parse = clap::Command::new("parse")
        .about("Read a webhook delivery's body from standard input and print its event as JSON")
        .long_about(
            "Read a webhook delivery's body from standard input and print its event as JSON: \
             {\"event\": its name in the spec, or null for a kind this crate does not know, \
             \"payload\": the body as its type reads it}. The signature is not checked: see `verify`.",
        )
        .after_help(PARSE_EXIT_CODES);
    let group = clap::Command::new("webhook")
        .about("Read and check the webhooks the API sends")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(parse);
    match &webhooks.verify {
        Some(verify) => group.subcommand(verify_command(&verify.keys)),
        None => group,
    }
}

fn verify_command(keys: &Keys) -> clap::Command {
    let header = Arg::new("header")
        .long("header")
        .value_name("NAME: VALUE")
        .action(ArgAction::Append)
        .help("A header of the delivery, as received (repeat for each)");
    let parse = Arg::new("parse")
        .long("parse")
        .action(ArgAction::SetTrue)
        .help("Once verified, print the event as `webhook parse` does");
    let (keys_help, key_codes) = match keys {
        Keys::Secrets { env } => (
            format!(
                "The signing secrets are read from {env} (several, comma-separated, while rotating), or from \
                 the variable --secret-env names; never from an argument, which the shell's history would keep."
            ),
            "\n  3  configuration: no signing secret, or a malformed one",
        ),
        Keys::Client => (
            "The signing keys are fetched from the API with the client the other subcommands build \
             (credentials and the server from the environment, --env and --base-url)."
                .to_string(),
            "\n  3  configuration: the client cannot be built (a credential or the server is missing or wrong)\n  \
             4  fetching the signing key: the API answered with an error\n  \
             5  fetching the signing key: no response",
        ),
    };
    let exit_codes = format!(
        "{keys_help}\n\nExit codes:
  0  the delivery is authentic (with --parse: and its event is printed)
  2  invalid arguments, or standard input cannot be read{key_codes}
  6  with --parse: the body does not match its event's type
  {EXIT_REFUSED}  the delivery was refused: its signature, its signing time or its key"
    );
    let command = clap::Command::new("verify")
        .about("Check a webhook delivery's signature: its raw body from standard input, its headers from --header")
        .after_help(exit_codes)
        .args([header, parse]);
    match keys {
        Keys::Secrets { env } => command.arg(
            Arg::new("secret-env")
                .long("secret-env")
                .value_name("NAME")
                .help(format!("The environment variable holding the signing secrets [default: {env}]")),
        ),
        Keys::Client => command,
    }
}

/// Reads a `webhook` subcommand's arguments.
fn read_call<E>(webhooks: &Webhooks<E>, arguments: &ArgMatches) -> Result<WebhookCall, String> {
    let Some((name, arguments)) = arguments.subcommand() else {
        return Err("a webhook subcommand is required".into());
    };
    let global = Global::of(arguments);
    if global.dry_run {
        return Err("--dry-run does not apply to webhook subcommands".into());
    }
    if name == "parse" {
        return Ok(WebhookCall::Parse);
    }
    let headers = arguments.get_many::<String>("header").into_iter().flatten().map(|text| header(text));
    let secret_env = match webhooks.verify.as_ref().map(|verify| &verify.keys) {
        Some(Keys::Secrets { env }) => {
            Some(arguments.get_one::<String>("secret-env").cloned().unwrap_or_else(|| env.to_string()))
        }
        _ => None,
    };
    Ok(WebhookCall::Verify(VerifyCall {
        headers: headers.collect::<Result<_, _>>()?,
        parse: arguments.get_flag("parse"),
        secret_env,
        global,
    }))
}

/// A `--header` value, `Name: value`. The error does not repeat the text, which may hold a
/// signature.
fn header(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((name, value)) if reqwest::header::HeaderName::from_bytes(name.trim().as_bytes()).is_ok() => {
            Ok((name.trim().to_string(), value.trim().to_string()))
        }
        _ => Err("--header expects `Name: value`, such as `webhook-id: msg_1`".into()),
    }
}

/// Runs a `webhook` subcommand on the body read from standard input, and returns its exit code.
pub fn execute<E: serde::Serialize>(webhooks: &Webhooks<E>, call: WebhookCall) -> ExitCode {
    let body = match command::read_stdin() {
        Ok(body) => body,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    match call {
        WebhookCall::Parse => print_event(webhooks, &body),
        WebhookCall::Verify(call) => verify(webhooks, &call, &body),
    }
}

/// Checks the delivery, says so, and prints its event when asked.
fn verify<E: serde::Serialize>(webhooks: &Webhooks<E>, call: &VerifyCall, body: &[u8]) -> ExitCode {
    let Some(verify) = &webhooks.verify else {
        eprintln!("error: this crate cannot check the signatures of webhooks");
        return ExitCode::from(EXIT_INVALID);
    };
    let runtime = match command::async_runtime() {
        Ok(runtime) => runtime,
        Err(exit) => return exit,
    };
    if let Err(error) = runtime.block_on((verify.check)(call, body)) {
        return report(error);
    }
    if !call.parse {
        return command::print_output(Output::Text("verified\n".into()));
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = writeln!(stdout, "verified").and_then(|()| stdout.flush()) {
        eprintln!("error: cannot write the outcome: {error}");
        return ExitCode::from(EXIT_RESPONSE);
    }
    drop(stdout);
    print_event(webhooks, body)
}

/// Parses a body and prints `{"event": name, "payload": …}` as pretty JSON; a body that does not
/// decode is reported by its path and kind of mismatch, never a value.
fn print_event<E: serde::Serialize>(webhooks: &Webhooks<E>, body: &[u8]) -> ExitCode {
    let event = match (webhooks.parse)(body) {
        Ok(event) => event,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(EXIT_RESPONSE);
        }
    };
    let name = (webhooks.name)(&event);
    if name.is_none() {
        eprintln!("note: the event is of a kind this crate does not know; its JSON is printed whole");
    }
    let printed = serde_json::to_value(&event)
        .map(|payload| Output::Json(serde_json::json!({ "event": name, "payload": payload })))
        .map_err(|_| Failure::Output("the event cannot be shown as JSON".into()));
    match printed {
        Ok(output) => command::print_output(output),
        Err(failure) => command::report(failure),
    }
}

/// Prints why a delivery was not verified and picks the exit code.
fn report(error: VerifyError) -> ExitCode {
    let refused = match error {
        VerifyError::NoSecret { variable } => {
            eprintln!(
                "error: no webhook signing secret: set {variable} (several, comma-separated, while rotating), or name another variable with --secret-env"
            );
            return ExitCode::from(EXIT_CONFIG);
        }
        VerifyError::Build(error) => return command::report(Failure::Build(error)),
        VerifyError::Refused(refused) => refused,
    };
    let code = match &refused {
        WebhookError::KeyFetch(error) => {
            eprintln!("error: {refused}");
            if let Some(request_id) = error.request_id() {
                eprintln!("request id: {request_id}");
            }
            return ExitCode::from(command::exit_code(error));
        }
        WebhookError::InvalidSecret => EXIT_CONFIG,
        WebhookError::Decode { .. } => EXIT_RESPONSE,
        _ => EXIT_REFUSED,
    };
    eprintln!("error: the delivery was refused ({}): {refused}", refused.kind());
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_name_colon_value_and_errors_do_not_repeat_them() {
        assert_eq!(header("webhook-id: msg_1").unwrap(), ("webhook-id".into(), "msg_1".into()));
        assert_eq!(header("X-Sig:sha256=ab:cd ").unwrap(), ("X-Sig".into(), "sha256=ab:cd".into()));
        for bad in ["no colon v1,s3cret", ": v1,s3cret", "bad name: v1,s3cret"] {
            let error = header(bad).unwrap_err();
            assert!(!error.contains("s3cret"), "{error}");
        }
    }

    #[test]
    fn secrets_are_comma_separated_and_blank_ones_left_out() {
        let secrets = split_secrets(" whsec_a, ,whsec_b,");
        let texts: Vec<&str> = secrets.iter().map(Secret::expose).collect();
        assert_eq!(texts, ["whsec_a", "whsec_b"]);
        assert!(split_secrets(" , ").is_empty());
    }
}
