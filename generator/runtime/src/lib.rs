//! The fixed runtime of every generated client: errors, validation, retries, secrets, sending
//! and reading responses, parameter encoding and credentials.
//!
//! Generated crates do not depend on this crate. The generator copies the module files below
//! into each crate it writes, byte for byte behind a preamble (`generator/src/emit/runtime.rs`
//! lists them and says which crates get which), and builds only what varies with the spec as
//! tokens. This crate exists so that the runtime is ordinary source: compiled, unit-tested,
//! documented and linted where it is written.
//!
//! The modules refer to two that every generated crate writes from its spec, `crate::client`
//! (the `Client` and `ClientBuilder`) and `crate::api_error` (the API's error body). Here,
//! `stand_in/` provides small versions of both, so the runtime compiles and its tests can run.
#![forbid(unsafe_code)]

pub mod basic_auth;
pub mod binary;
pub mod build_error;
#[cfg(feature = "cli")]
pub mod command;
// Only for paged operations; compiled with `cli` only, as the file says itself.
pub mod command_pages;
// Compiled with `cli` only: the file says so itself, as a generated crate declares it plainly.
pub mod command_webhook;
// Only for streamed responses; compiled with `cli` only, as the file says itself.
pub mod command_stream;
pub mod dates;
pub mod decimal_float;
pub mod error;
// Only for streamed responses (`event_stream.rs` and the framers it uses).
mod event_frames;
// Only for streamed responses, with `event_stream.rs`.
pub mod event_reconnect;
pub mod event_stream;
pub mod mapped_serde;
pub mod mismatch;
// Only for pagers; compiled with `mock` only, as the file says itself.
pub mod mock_pages;
#[cfg(feature = "mock")]
pub mod mock_server;
// Only for streamed responses; compiled with `mock` only, as the file says itself.
pub mod mock_stream;
pub mod nullable;
pub mod pages;
pub mod params;
pub mod pattern;
pub mod redact;
pub mod response;
pub mod retry;
pub mod secret;
pub mod settings;
pub mod sse;
pub mod stream_error;
pub mod struct_de;
pub mod token;
pub mod trace;
pub mod transport;
// Only for streamed responses, with `event_stream.rs`.
pub mod transport_stream;
pub mod validation;
pub mod webhook;
pub mod webhook_hmac;
pub mod webhook_jwt;
pub mod webhook_standard;
#[cfg(any(feature = "cli", feature = "mock"))]
pub mod wire_text;

#[path = "stand_in/api_error.rs"]
pub mod api_error;
#[path = "stand_in/client.rs"]
pub mod client;
#[cfg(feature = "mock")]
#[path = "stand_in/mock.rs"]
pub mod mock;

#[cfg(test)]
mod tests;

pub use api_error::ApiErrorBody;
pub use binary::Binary;
pub use client::{Client, ClientBuilder};
pub use error::{BuildError, Error, Mismatch, PaginationError, SensitiveBody, StreamItemError};
pub use nullable::Nullable;
pub use response::{ApiResponse, ResponseParts};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use token::{TokenError, TokenFuture, TokenSource};
pub use transport::ResponseInfo;
pub use validation::{Validate, ValidationError};
