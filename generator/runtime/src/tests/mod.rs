//! Unit tests of the runtime, against the stand-ins where a module needs generated code.

mod auth;
mod errors;
#[cfg(feature = "mock")]
mod mock;
mod params;
mod retry;
mod transport;
mod validation;
