//! The support code every generated crate owns, one module per generated file: errors,
//! validation, secrets, the retry policy and response handling. Only small parts vary with the
//! spec (the API's error type, pattern support).

mod auth;
mod binary;
mod error;
mod params;
mod retry;
mod secret;
mod transport;
mod validation;

pub use auth::auth_rs;
pub use binary::binary_rs;
pub use error::{error_rs, error_variants};
pub use params::{params_rs, ParamHelpers};
pub use retry::retry_rs;
pub use secret::secret_rs;
pub use transport::transport_rs;
pub use validation::validation_rs;
