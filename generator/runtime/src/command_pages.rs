//! The command line's `--all-pages` and `--max-items`, in crates whose spec has paged
//! operations: the items across pages, each printed on standard output as one compact JSON
//! document per line as soon as its page arrives, like a streamed answer.
//!
//! A failure on the first page is reported as the call's own would be (so `--dry-run` prints
//! the first page's request). A failure on a later page stops paging: the items already
//! printed stay printed, the error is reported on standard error with how many items came
//! before it, never a value of the response, and the command exits with the error's code.
#![cfg(feature = "cli")]

use crate::command::{print_json_line, Failure, Output, Paging};
use crate::pages::Items;

/// Prints the items of `items` as their pages arrive, one JSON document per line, as far as
/// `paging` says.
#[allow(dead_code, reason = "the generated `cli.rs` calls it for paged operations")]
pub async fn print_items<T>(items: Items<T>, paging: Paging) -> Result<Output, Failure>
where
    T: serde::Serialize + Send + 'static,
{
    let mut items = match paging.max_items {
        Some(max) => items.max_items(max),
        None => items,
    };
    let mut printed: u64 = 0;
    while let Some(item) = items.next().await {
        let item = match item {
            Ok(item) => item,
            Err(error) if printed == 0 => return Err(Failure::Call(error)),
            Err(error) => return Err(Failure::Paging { printed, error }),
        };
        let Ok(value) = serde_json::to_value(&item) else {
            let message = format!("item {printed} of the list cannot be shown as JSON");
            return Err(Failure::Output(message));
        };
        match print_json_line(&value) {
            Ok(()) => printed += 1,
            // The reader went away (a closed pipe): nothing more is wanted.
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => return Ok(Output::Empty),
            Err(error) => return Err(Failure::Output(format!("cannot write the response: {error}"))),
        }
    }
    Ok(Output::Empty)
}
