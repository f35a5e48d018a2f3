//! Unit tests of the runtime, against the stand-ins where a module needs generated code.

mod auth;
mod errors;
mod params;
mod retry;
mod transport;
mod validation;
