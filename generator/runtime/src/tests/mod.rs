//! Unit tests of the runtime, against the stand-ins where a module needs generated code.

mod auth;
mod controls;
mod dates;
mod decimal_float;
mod errors;
#[cfg(feature = "mock")]
mod mock;
mod nullable;
mod pages_url;
mod params;
mod response;
mod retry;
mod stream_reconnect;
mod stream_transport;
mod struct_de;
mod transport;
mod validation;
