//! The command line of the `cli` feature: one subcommand per operation, its flags read into the
//! request's JSON and decoded into the request types, the response printed as pretty JSON, a
//! distinct exit code per kind of failure, and `--dry-run`, which prints the request as a curl
//! command with its secrets redacted.
//!
//! What varies with the spec (the operations, their flags, how each is called) is written into
//! `cli.rs` of each crate as an `App` and a function that calls the client; this module does the
//! rest.

use std::ffi::OsString;
use std::future::Future;
use std::io::{Read, Write};
use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches};
use serde_json::{Map, Value};

use crate::error::{BuildError, Error};
use crate::wire_text::{decode_json, TextKind};

/// The exit code of a command that succeeded.
pub const EXIT_OK: u8 = 0;
/// The arguments or the request break a rule of the spec (also clap's code for usage errors).
pub const EXIT_INVALID: u8 = 2;
/// The client cannot be configured: a missing credential, server or environment variable.
pub const EXIT_CONFIG: u8 = 3;
/// The API answered with an error status.
pub const EXIT_API: u8 = 4;
/// No complete response arrived: connection failure, timeout, TLS.
pub const EXIT_TRANSPORT: u8 = 5;
/// A response arrived that does not match the spec.
pub const EXIT_RESPONSE: u8 = 6;

/// The exit codes, as `--help` lists them.
const EXIT_CODES: &str = "Exit codes:
  0  success (for --dry-run: the request was printed)
  2  invalid arguments or request (nothing was sent)
  3  configuration: a credential, the server or an environment variable is missing or wrong
  4  the API answered with an error
  5  no response: connection failure, timeout
  6  the response does not match the spec";

/// The command line of a generated crate.
pub struct App {
    /// The binary's name, the package's.
    pub name: &'static str,
    pub version: &'static str,
    pub about: &'static str,
    /// What `from_env` reads, for `--help`.
    pub environment_help: &'static str,
    /// The names `--env` accepts (the spec's servers, snake case).
    pub environments: &'static [&'static str],
    /// The query parameters and cookies that carry credentials, redacted by `--dry-run`.
    pub secret_names: &'static [&'static str],
    pub operations: &'static [Operation],
}

/// One operation's subcommand.
pub struct Operation {
    /// The operationId in kebab case.
    pub name: &'static str,
    /// The spec's operationId.
    pub id: &'static str,
    pub about: &'static str,
    pub long_about: &'static str,
    pub flags: &'static [Flag],
    pub body: Body,
    /// Its sensitive parameters (`format: password`, `x-sensitive`), redacted by `--dry-run`
    /// wherever they travel but the path.
    pub secret_params: &'static [&'static str],
}

/// What `--body` takes.
#[allow(dead_code, reason = "the generated `cli.rs` names only the kinds of body its operations take")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    None,
    /// JSON, which the flags of body properties are merged into.
    Json {
        required: bool,
    },
    Text {
        required: bool,
    },
    Bytes {
        required: bool,
    },
}

/// Where a flag's value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A parameter, by its name in the spec.
    Parameter,
    /// A top-level property of the JSON body.
    Body,
    /// A switch, taking no value, that asks for the operation's answer as a stream of items
    /// (for an operation that answers JSON or a stream by the request's `Accept`).
    Stream,
}

/// A flag of an operation: a parameter or a body property with a scalar value (or a list of
/// them, given by repeating the flag), or any value as JSON text.
pub struct Flag {
    /// The long flag, without `--`.
    pub long: &'static str,
    /// The parameter's or property's name in the spec.
    pub name: &'static str,
    pub target: Target,
    pub kind: TextKind,
    /// An array of scalars: the flag may be repeated.
    pub list: bool,
    pub required: bool,
    /// The enum's values, listed in `--help` and checked.
    pub values: &'static [&'static str],
    pub help: &'static str,
}

#[allow(dead_code, reason = "the generated `cli.rs` uses the one for each kind of flag it has")]
impl Flag {
    /// An optional flag for a body property that takes text: the generated table states only
    /// how each flag differs from it.
    pub const BODY: Flag = Flag {
        long: "",
        name: "",
        target: Target::Body,
        kind: TextKind::Text,
        list: false,
        required: false,
        values: &[],
        help: "",
    };

    /// An optional flag for a parameter that takes text.
    pub const PARAMETER: Flag = Flag { target: Target::Parameter, ..Flag::BODY };

    /// The switch that asks for a streamed answer.
    pub const STREAM: Flag = Flag { target: Target::Stream, kind: TextKind::Boolean, ..Flag::BODY };
}

/// The options every subcommand takes.
#[derive(Debug, Clone, Default)]
pub struct Global {
    /// `--env`: one of [`App::environments`].
    #[allow(dead_code, reason = "the generated `cli.rs` reads it when the spec has servers to choose from")]
    pub environment: Option<String>,
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--dry-run`.
    pub dry_run: bool,
}

impl Global {
    /// The global options as a subcommand received them.
    pub fn of(arguments: &ArgMatches) -> Global {
        Global {
            environment: arguments.try_get_one::<String>("env").ok().flatten().cloned(),
            base_url: arguments.get_one::<String>("base-url").cloned(),
            dry_run: arguments.get_flag("dry-run"),
        }
    }
}

/// What the command line was asked to do.
pub enum Invocation {
    Call(Call),
    /// `mock --port N`: serve the spec's examples (with the `mock` feature).
    #[cfg(feature = "mock")]
    Mock {
        port: u16,
    },
}

/// An operation to call, its arguments read and checked.
pub struct Call {
    pub operation: &'static Operation,
    pub global: Global,
    params: Map<String, Value>,
    body: Option<Input>,
    /// Whether the stream switch was given.
    stream: bool,
}

/// A body as given.
enum Input {
    Json(Value),
    Bytes(Vec<u8>),
}

/// Why a command failed, and so its exit code.
#[derive(Debug)]
pub enum Failure {
    /// The arguments do not make a valid request; nothing was sent.
    Invalid(String),
    /// The client could not be built.
    Build(BuildError),
    /// The call failed.
    Call(Error),
    /// The response arrived but cannot be printed.
    Output(String),
    /// Items of a streamed answer failed, each already reported as it came; `exit` is the
    /// exit code of the first.
    #[allow(dead_code, reason = "only crates with streamed answers print streams")]
    Stream { failed: usize, exit: u8 },
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Call(error)
    }
}

/// A successful response, ready to print.
#[allow(dead_code, reason = "the generated `send` makes the kinds of output its operations return")]
pub enum Output {
    Json(Value),
    Text(String),
    Bytes(Vec<u8>),
    Empty,
}

impl Output {
    /// A decoded response, printed back as pretty JSON.
    #[allow(dead_code, reason = "the generated `send` calls it for operations that return JSON")]
    pub fn json(value: &impl serde::Serialize) -> Result<Output, Failure> {
        serde_json::to_value(value)
            .map(Output::Json)
            .map_err(|_| Failure::Output("the response cannot be shown as JSON".into()))
    }
}

/// Parses the arguments. `Err` is the exit code when there is nothing more to do: `--help`,
/// `--version`, or arguments clap refuses (after printing what it has to say).
#[allow(dead_code, reason = "crates whose spec describes events parse with `command_webhook::parse`")]
pub fn parse<I, T>(app: &'static App, args: I) -> Result<Invocation, ExitCode>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = matches(command(app), args)?;
    invocation(app, &matches)
}

/// Runs clap on the arguments. `Err` is the exit code after clap printed the help, the version
/// or why it refuses them.
pub fn matches<I, T>(command: clap::Command, args: I) -> Result<ArgMatches, ExitCode>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    command.try_get_matches_from(args).map_err(|error| {
        let _ = error.print();
        ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(EXIT_INVALID))
    })
}

/// What the arguments clap matched ask for: an operation to call or the mock server. `Err` is
/// the exit code after saying what is wrong with them.
pub fn invocation(app: &'static App, matches: &ArgMatches) -> Result<Invocation, ExitCode> {
    let Some((name, arguments)) = matches.subcommand() else {
        return Err(ExitCode::from(EXIT_INVALID));
    };
    #[cfg(feature = "mock")]
    if name == "mock" {
        let port = arguments.get_one::<u16>("port").copied().unwrap_or(0);
        return Ok(Invocation::Mock { port });
    }
    let Some(operation) = app.operations.iter().find(|operation| operation.name == name) else {
        return Err(ExitCode::from(EXIT_INVALID));
    };
    let global = Global::of(arguments);
    let stream = operation.flags.iter().any(|flag| flag.target == Target::Stream && arguments.get_flag(flag.long));
    match read_call(operation, arguments) {
        Ok((params, body)) => Ok(Invocation::Call(Call { operation, global, params, body, stream })),
        Err(message) => {
            eprintln!("error: {message}");
            Err(ExitCode::from(EXIT_INVALID))
        }
    }
}

/// The clap command: global options, then one subcommand per operation.
pub fn command(app: &'static App) -> clap::Command {
    let mut global = vec![
        Arg::new("base-url")
            .long("base-url")
            .value_name("URL")
            .global(true)
            .help("Send requests to this base URL (a proxy, a mock server) instead of the environment's"),
        Arg::new("dry-run")
            .long("dry-run")
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Print the request as a curl command, secrets redacted, instead of sending it"),
    ];
    if !app.environments.is_empty() {
        global.push(
            Arg::new("env")
                .long("env")
                .value_name("ENVIRONMENT")
                .global(true)
                .value_parser(PossibleValuesParser::new(app.environments))
                .help("The server to call, one of the spec's environments"),
        );
    }
    let root = clap::Command::new(app.name)
        .version(app.version)
        .about(app.about)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(format!("{}\n\n{EXIT_CODES}", app.environment_help))
        .args(global)
        .subcommands(app.operations.iter().map(subcommand));
    #[cfg(feature = "mock")]
    let root = root.subcommand(
        clap::Command::new("mock")
            .about("Serve the spec's example responses on 127.0.0.1, checking every request against the spec")
            .arg(
                Arg::new("port")
                    .long("port")
                    .value_name("PORT")
                    .value_parser(clap::value_parser!(u16))
                    .default_value("0")
                    .help("The port to listen on (0: any free port)"),
            ),
    );
    root
}

fn subcommand(operation: &'static Operation) -> clap::Command {
    let flags = operation.flags.iter().map(|flag| {
        if flag.target == Target::Stream {
            return Arg::new(flag.long).long(flag.long).action(ArgAction::SetTrue).help(flag.help);
        }
        let help = if flag.required { format!("{} [required]", flag.help) } else { flag.help.to_string() };
        let mut arg = Arg::new(flag.long).long(flag.long).value_name(flag.kind.value_name()).help(help);
        if flag.list {
            arg = arg.action(ArgAction::Append);
        }
        if !flag.values.is_empty() {
            arg = arg.value_parser(PossibleValuesParser::new(flag.values));
        }
        arg
    });
    let mut command =
        clap::Command::new(operation.name).about(operation.about).long_about(operation.long_about).args(flags);
    let body = match operation.body {
        Body::None => None,
        Body::Json { required } => Some((
            "The request body as JSON: the text itself, @FILE, or - for standard input; flags set its properties",
            required,
        )),
        Body::Text { required } => {
            Some(("The request body: the text itself, @FILE, or - for standard input", required))
        }
        Body::Bytes { required } => Some(("The request body: @FILE, or - for standard input", required)),
    };
    if let Some((help, required)) = body {
        let help = if required { format!("{help} [required]") } else { help.to_string() };
        command = command.arg(Arg::new("body").long("body").value_name("JSON|@FILE|-").help(help));
    }
    command
}

/// Reads an operation's flags and body into the parameters' JSON object and the body.
fn read_call(operation: &Operation, arguments: &ArgMatches) -> Result<(Map<String, Value>, Option<Input>), String> {
    let mut body = match arguments.try_get_one::<String>("body").ok().flatten() {
        None => None,
        Some(given) => {
            let bytes = read_body(given)?;
            Some(match operation.body {
                Body::Json { .. } => Input::Json(serde_json::from_slice(&bytes).map_err(|error| {
                    format!("--body is not JSON (line {}, column {})", error.line(), error.column())
                })?),
                _ => Input::Bytes(bytes),
            })
        }
    };
    let mut params = Map::new();
    for flag in operation.flags.iter().filter(|flag| flag.target != Target::Stream) {
        let value = if flag.list {
            let Some(values) = arguments.get_many::<String>(flag.long) else { continue };
            let items = values.map(|text| to_json(flag, text)).collect::<Result<Vec<_>, _>>()?;
            Value::Array(items)
        } else {
            let Some(text) = arguments.get_one::<String>(flag.long) else { continue };
            to_json(flag, text)?
        };
        match flag.target {
            Target::Parameter => {
                params.insert(flag.name.to_string(), value);
            }
            Target::Stream => {}
            Target::Body => {
                let object = body.get_or_insert_with(|| Input::Json(Value::Object(Map::new())));
                match object {
                    Input::Json(Value::Object(object)) => {
                        object.insert(flag.name.to_string(), value);
                    }
                    _ => {
                        return Err(format!(
                            "--{} sets a property of the body, but --body is not a JSON object",
                            flag.long
                        ))
                    }
                }
            }
        }
    }
    for flag in operation.flags.iter().filter(|flag| flag.required) {
        let given = match (flag.target, &body) {
            (Target::Parameter, _) => params.contains_key(flag.name),
            (Target::Body, Some(Input::Json(Value::Object(object)))) => object.contains_key(flag.name),
            (Target::Body | Target::Stream, _) => false,
        };
        if !given {
            return Err(match flag.target {
                Target::Parameter | Target::Stream => format!("--{} is required", flag.long),
                Target::Body => format!("--{} is required (or `{}` in --body)", flag.long, flag.name),
            });
        }
    }
    let body_required = matches!(
        operation.body,
        Body::Json { required: true } | Body::Text { required: true } | Body::Bytes { required: true }
    );
    if body_required && body.is_none() {
        return Err("--body is required".into());
    }
    Ok((params, body))
}

fn to_json(flag: &Flag, text: &str) -> Result<Value, String> {
    flag.kind.to_json(text).map_err(|expected| format!("--{} expects {expected}", flag.long))
}

/// A body argument: `@FILE`, `-` for standard input, or the text itself.
fn read_body(given: &str) -> Result<Vec<u8>, String> {
    if given == "-" {
        return read_stdin();
    }
    match given.strip_prefix('@') {
        Some(path) => std::fs::read(path).map_err(|error| format!("cannot read the body from {path}: {error}")),
        None => Ok(given.as_bytes().to_vec()),
    }
}

/// Reads standard input to its end.
pub fn read_stdin() -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read the body from standard input: {error}"))?;
    Ok(bytes)
}

impl Call {
    /// The flag that sets `name`, or where to put it in `--body`.
    fn flag(&self, target: Target, name: &str) -> String {
        match self.operation.flags.iter().find(|flag| flag.target == target && flag.name == name) {
            Some(flag) => format!("--{}", flag.long),
            None => "--body".to_string(),
        }
    }
}

/// What the generated `send` reads of a call: the operation, its parameters and its body.
#[allow(dead_code, reason = "the generated `send` picks the operation and reads what it takes: parameters, a body")]
impl Call {
    /// The spec's operationId of the operation to call.
    pub fn operation_id(&self) -> &'static str {
        self.operation.id
    }

    /// The parameters, decoded into the operation's parameter type.
    pub fn params<T: serde::de::DeserializeOwned>(&self) -> Result<T, Failure> {
        decode_json(Value::Object(self.params.clone())).map_err(|(path, mismatch)| {
            let name = path.split(['.', '[']).next().unwrap_or_default();
            let flag = self.flag(Target::Parameter, name);
            Failure::Invalid(format!("{flag}: {mismatch}"))
        })
    }

    /// The JSON body, decoded into the operation's body type; `None` when none was given.
    pub fn json_body<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, Failure> {
        let Some(Input::Json(value)) = &self.body else { return Ok(None) };
        decode_json(value.clone()).map(Some).map_err(|(path, mismatch)| {
            let name = path.split(['.', '[']).next().unwrap_or_default();
            let place = if path.is_empty() { "--body".to_string() } else { self.flag(Target::Body, name) };
            let at =
                if path.is_empty() || !place.starts_with("--body") { String::new() } else { format!(" at `{path}`") };
            Failure::Invalid(format!("{place}{at}: {mismatch}"))
        })
    }

    /// The text body; `None` when none was given.
    pub fn text_body(&self) -> Result<Option<String>, Failure> {
        match &self.body {
            Some(Input::Bytes(bytes)) => String::from_utf8(bytes.clone())
                .map(Some)
                .map_err(|_| Failure::Invalid("--body is not UTF-8 text".into())),
            _ => Ok(None),
        }
    }

    /// The bytes body; `None` when none was given.
    pub fn bytes_body(&self) -> Option<Vec<u8>> {
        match &self.body {
            Some(Input::Bytes(bytes)) => Some(bytes.clone()),
            _ => None,
        }
    }

    /// Whether the answer is asked for as a stream: by the stream switch, or, for an
    /// operation that streams when a property of its JSON body is `true`, by that property
    /// (`flag`), set by its own flag or in `--body`.
    pub fn wants_stream(&self, flag: Option<&str>) -> bool {
        let property = flag.is_some_and(|name| match &self.body {
            Some(Input::Json(body)) => body.get(name) == Some(&Value::Bool(true)),
            _ => false,
        });
        self.stream || property
    }
}

/// A required body that was not given. Reading the arguments reports it first; this is the
/// generated call's fallback, where the body's type needs a value.
#[allow(dead_code, reason = "the generated `send` calls it for operations with a required body")]
pub fn missing_body() -> Failure {
    Failure::Invalid("--body is required".into())
}

/// Builds the client, calls the operation and prints the outcome; returns the exit code.
pub fn execute<C, F, Fut>(app: &'static App, call: Call, client: C, send: F) -> ExitCode
where
    C: FnOnce(&Global) -> Result<crate::client::Client, BuildError>,
    F: FnOnce(crate::client::Client, Call) -> Fut,
    Fut: Future<Output = Result<Output, Failure>>,
{
    let runtime = match async_runtime() {
        Ok(runtime) => runtime,
        Err(exit) => return exit,
    };
    let dry_run = call.global.dry_run;
    let operation = call.operation;
    let result = client(&call.global).map_err(Failure::Build).map(|client| {
        if dry_run {
            // Secrets in the body serialize as a placeholder while the request is prepared.
            crate::secret::redacting::redacted(|| runtime.block_on(send(client, call)))
        } else {
            runtime.block_on(send(client, call))
        }
    });
    match result.and_then(|outcome| outcome) {
        Ok(output) => print_output(output),
        Err(Failure::Call(Error::DryRun(request))) => {
            let secrets: Vec<&str> = app.secret_names.iter().chain(operation.secret_params).copied().collect();
            println!("{}", curl(&request.0, &secrets));
            ExitCode::from(EXIT_OK)
        }
        Err(failure) => report(failure),
    }
}

/// The single-threaded async runtime a command runs on. `Err` is the exit code after saying why
/// it cannot start.
pub fn async_runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|error| {
        eprintln!("error: cannot start the async runtime: {error}");
        ExitCode::from(EXIT_TRANSPORT)
    })
}

/// Prints a successful response on standard output and returns the exit code.
pub fn print_output(output: Output) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let written = match output {
        Output::Json(value) => serde_json::to_writer_pretty(&mut stdout, &value)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(stdout)),
        Output::Text(text) => write!(stdout, "{text}"),
        Output::Bytes(bytes) => stdout.write_all(&bytes),
        Output::Empty => Ok(()),
    };
    match written.and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(error) => {
            eprintln!("error: cannot write the response: {error}");
            ExitCode::from(EXIT_RESPONSE)
        }
    }
}

/// Prints a failure on standard error and picks its exit code.
pub fn report(failure: Failure) -> ExitCode {
    let code = match &failure {
        Failure::Invalid(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_INVALID);
        }
        Failure::Build(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(EXIT_CONFIG);
        }
        Failure::Output(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_RESPONSE);
        }
        Failure::Stream { failed, exit } => {
            eprintln!("error: {failed} item(s) of the response stream failed");
            return ExitCode::from(*exit);
        }
        Failure::Call(error) => exit_code(error),
    };
    if let Failure::Call(error) = &failure {
        eprintln!("error: {error}");
        if let Some(request_id) = error.request_id() {
            eprintln!("request id: {request_id}");
        }
    }
    ExitCode::from(code)
}

/// The exit code of a call that failed with `error`.
pub fn exit_code(error: &Error) -> u8 {
    match error {
        Error::Validation(_) => EXIT_INVALID,
        Error::MissingCredentials { .. } | Error::Credential { .. } | Error::InvalidCredential { .. } => EXIT_CONFIG,
        Error::Api { .. } | Error::UnexpectedStatus { .. } => EXIT_API,
        // No answer in time is a failure to reach the server, like a timeout.
        Error::Transport(_) | Error::DeadlineExceeded { .. } => EXIT_TRANSPORT,
        _ => EXIT_RESPONSE,
    }
}

/// The request as a curl command, one option per line. Headers the client marks sensitive
/// (credentials), `Authorization`, and the query parameters, headers and cookies named in
/// `secrets` are redacted; secrets in the body were already serialized as a placeholder.
pub fn curl(request: &reqwest::Request, secrets: &[&str]) -> String {
    const REDACTED: &str = "[redacted]";
    let secret = |name: &str| secrets.iter().any(|secret| secret.eq_ignore_ascii_case(name));
    let mut url = request.url().clone();
    if url.query_pairs().any(|(name, _)| secret(&name)) {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if secret(&name) { REDACTED.into() } else { value.into_owned() };
                (name.into_owned(), value)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    let mut lines = vec![format!("curl --request {} {}", request.method(), shell_quote(url.as_str()))];
    for (name, value) in request.headers() {
        let value = if value.is_sensitive()
            || name == reqwest::header::AUTHORIZATION
            || name == reqwest::header::PROXY_AUTHORIZATION
            || secret(name.as_str())
        {
            REDACTED.to_string()
        } else if name == reqwest::header::COOKIE {
            String::from_utf8_lossy(value.as_bytes())
                .split(';')
                .map(|pair| match pair.trim().split_once('=') {
                    Some((cookie, _)) if secret(cookie) => format!("{cookie}={REDACTED}"),
                    _ => pair.trim().to_string(),
                })
                .collect::<Vec<_>>()
                .join("; ")
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        lines.push(format!("--header {}", shell_quote(&format!("{name}: {value}"))));
    }
    if let Some(bytes) = request.body().and_then(reqwest::Body::as_bytes) {
        match std::str::from_utf8(bytes) {
            Ok(text) => lines.push(format!("--data-binary {}", shell_quote(text))),
            Err(_) => lines.push(format!("--data-binary @-  # {} bytes, not shown", bytes.len())),
        }
    }
    lines.join(" \\\n  ")
}

/// `text` in single quotes for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_redacts_credentials_and_quotes_for_the_shell() {
        let mut request = reqwest::Request::new(
            reqwest::Method::POST,
            reqwest::Url::parse("https://api.test/items?api_key=k3y&q=it's").unwrap(),
        );
        let mut secret = reqwest::header::HeaderValue::from_static("s3cret");
        secret.set_sensitive(true);
        request.headers_mut().insert("x-secret", secret);
        request.headers_mut().insert("cookie", reqwest::header::HeaderValue::from_static("session=abc; theme=dark"));
        request.headers_mut().insert("x-pin", reqwest::header::HeaderValue::from_static("1234"));
        *request.body_mut() = Some(reqwest::Body::from(r#"{"name":"O'Brien"}"#));
        let text = curl(&request, &["api_key", "session", "X-Pin"]);
        assert!(!text.contains("k3y") && !text.contains("s3cret") && !text.contains("abc"), "{text}");
        assert!(text.contains("--header 'x-pin: [redacted]'"), "{text}");
        assert!(text.contains("'https://api.test/items?api_key=%5Bredacted%5D&q=it%27s'"), "{text}");
        assert!(text.contains("--header 'x-secret: [redacted]'"), "{text}");
        assert!(text.contains("--header 'cookie: session=[redacted]; theme=dark'"), "{text}");
        assert!(text.contains(r#"--data-binary '{"name":"O'\''Brien"}'"#), "{text}");
    }
}
