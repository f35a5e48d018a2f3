//! The command line's streamed answers, in crates whose spec has them: each item printed on
//! standard output as soon as it arrives, one compact JSON document per line (an untyped
//! server-sent event as an object with its `event`, `id`, `data` and `retry`), so that a
//! stream that lasts minutes can be followed, or piped into a tool that reads JSON lines.
//!
//! An item that fails (it does not match the spec, or the connection broke) is reported on
//! standard error, naming the item, never its data, and the stream goes on while it can; the
//! command then exits with the code of the first failure (see `command`'s exit codes).
#![cfg(feature = "cli")]

use serde_json::{json, Value};

use crate::command::{exit_code, print_json_line, Failure, Output};
use crate::error::Error;
use crate::event_stream::ItemStream;
use crate::sse::SseEvent;

/// Prints the items of `stream` as they arrive, one JSON document per line.
#[allow(dead_code, reason = "the generated `cli.rs` calls it for operations that stream typed items")]
pub async fn print_items<T: serde::Serialize>(stream: ItemStream<T>) -> Result<Output, Failure> {
    print_each(stream, |item| serde_json::to_value(item).ok()).await
}

/// Prints the server-sent events of `stream` as they arrive, one JSON object per line:
/// `{"event": …, "id": …, "data": …, "retry": …}`, `null` for a field the event did not set
/// (an event without a type is a `message`), `retry` in milliseconds.
#[allow(dead_code, reason = "the generated `cli.rs` calls it for operations that stream untyped events")]
pub async fn print_events(stream: ItemStream<SseEvent>) -> Result<Output, Failure> {
    print_each(stream, |event| Some(event_json(event))).await
}

/// An event as JSON.
fn event_json(event: &SseEvent) -> Value {
    let retry = event.retry.map(|retry| u64::try_from(retry.as_millis()).unwrap_or(u64::MAX));
    json!({"event": event.event, "id": event.id, "data": event.data, "retry": retry})
}

/// Prints each item as `to_json` shows it, flushing after each; reports failed items on
/// standard error. A reader that goes away (a closed pipe) ends the command without an error.
async fn print_each<T>(mut stream: ItemStream<T>, to_json: impl Fn(&T) -> Option<Value>) -> Result<Output, Failure> {
    let mut failed: Option<(usize, u8)> = None;
    let mut printed: u64 = 0;
    while let Some(item) = stream.next().await {
        let failure = match item.map(|item| to_json(&item)) {
            Ok(Some(value)) => match print_json_line(&value) {
                Ok(()) => {
                    printed += 1;
                    continue;
                }
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => return Ok(Output::Empty),
                Err(error) => return Err(Failure::Output(format!("cannot write the response: {error}"))),
            },
            Ok(None) => {
                eprintln!("error: an item of the response stream (after {printed} printed) cannot be shown as JSON");
                crate::command::EXIT_RESPONSE
            }
            Err(error) => {
                report_item(&error, printed);
                exit_code(&error)
            }
        };
        let (count, code) = failed.unwrap_or((0, failure));
        failed = Some((count + 1, code));
    }
    match failed {
        None => Ok(Output::Empty),
        Some((failed, exit)) => Err(Failure::Stream { failed, exit }),
    }
}

/// An item's failure on standard error: the error names the item when it is about one; a
/// broken connection is told by how many items came before it.
fn report_item(error: &Error, printed: u64) {
    match error {
        Error::StreamItem(_) | Error::StreamFrameTooLarge { .. } => eprintln!("error: {error}"),
        _ => eprintln!("error: the response stream failed after {printed} printed items: {error}"),
    }
}
