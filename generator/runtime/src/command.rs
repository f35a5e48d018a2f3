//! The command line of the `cli` feature: one subcommand per operation, its flags read into the
//! request's JSON and decoded into the request types, the response printed as pretty JSON, a
//! distinct exit code per kind of failure, and `--dry-run`, which prints the request as a curl
//! command with its secrets redacted.
//!
//! What varies with the spec (the operations, their flags, how each is called) is written into
//! `cli.rs` of each crate as an `App` and a function that calls the client; this module does the
//! rest: `build` makes the clap command from the `App`, `read` reads what clap matched into a
//! [`Call`], `output` prints the outcome and picks the exit code, and `curl` shows a request for
//! `--dry-run`.

mod build;
mod curl;
mod output;
mod read;

use std::ffi::OsString;
use std::future::Future;
use std::process::ExitCode;

use serde_json::Value;

pub use self::build::{command, matches};
pub use self::curl::curl;
pub use self::output::{print_output, report};
pub use self::read::{invocation, Call};
#[allow(unused_imports, reason = "only crates with streams, pages or events use them")]
pub use self::{
    output::{exit_code, print_json_line},
    read::{read_stdin, Paging},
};
use crate::error::{BuildError, Error};
use crate::wire_text::TextKind;

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
#[allow(dead_code, reason = "the generated `cli.rs` uses the kinds of flag its operations have")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A parameter, by its name in the spec.
    Parameter,
    /// A top-level property of the JSON body.
    Body,
    /// A switch, taking no value, that asks for the operation's answer as a stream of items
    /// (for an operation that answers JSON or a stream by the request's `Accept`).
    Stream,
    /// `--all-pages`, a switch of a paged operation: follow every page.
    AllPages,
    /// `--max-items N` of a paged operation: follow pages until N items are printed.
    MaxItems,
}

impl Target {
    /// Whether the flag sets a value of the request (rather than choosing how it is made).
    fn sets_request(self) -> bool {
        matches!(self, Target::Parameter | Target::Body)
    }
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

    /// `--all-pages`, which every paged operation has as it is.
    pub const ALL_PAGES: Flag = Flag {
        long: "all-pages",
        target: Target::AllPages,
        kind: TextKind::Boolean,
        help: "Follow every page: print each item as one line of JSON as soon as its page arrives",
        ..Flag::BODY
    };

    /// `--max-items N`, which every paged operation has as it is.
    pub const MAX_ITEMS: Flag = Flag {
        long: "max-items",
        target: Target::MaxItems,
        kind: TextKind::Integer,
        help: "Follow pages as --all-pages does, but stop after N items, fetching no page more than needed",
        ..Flag::BODY
    };
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

/// What the command line was asked to do.
pub enum Invocation {
    Call(Call),
    /// `mock --port N`: serve the spec's examples (with the `mock` feature).
    #[cfg(feature = "mock")]
    Mock {
        port: u16,
    },
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
    /// Following pages failed after `printed` items were printed (which stay printed).
    #[allow(dead_code, reason = "only crates with paged operations follow pages")]
    Paging { printed: u64, error: Error },
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
