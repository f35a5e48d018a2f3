//! The outcome of a command: a response on standard output, a failure on standard error, and
//! the exit code of each.

use std::io::Write;
use std::process::ExitCode;

use serde_json::Value;

use super::{Failure, Output, EXIT_API, EXIT_CONFIG, EXIT_INVALID, EXIT_OK, EXIT_RESPONSE, EXIT_TRANSPORT};
use crate::error::Error;

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

/// One compact JSON document on its own line of standard output, flushed at once: an item of
/// a stream, or of a list followed across pages.
#[allow(dead_code, reason = "only crates with streamed answers or paged operations print items")]
pub fn print_json_line(value: &Value) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{value}")?;
    stdout.flush()
}

/// Prints a failure on standard error and picks its exit code.
pub fn report(failure: Failure) -> ExitCode {
    let error = match &failure {
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
        Failure::Paging { printed, error } => {
            eprintln!("error: following the pages stopped after {printed} printed item(s): {error}");
            error
        }
        Failure::Call(error) => {
            eprintln!("error: {error}");
            error
        }
    };
    if let Some(request_id) = error.request_id() {
        eprintln!("request id: {request_id}");
    }
    ExitCode::from(exit_code(error))
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
