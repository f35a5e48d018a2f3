//! Helpers shared by the pipeline's integration tests (in `tests/tests/`).
//!
//! - [`http`]: what a wiremock server received (the only request, query pairs, header values), a
//!   responder that answers with a sequence, and a port nothing listens on.
//! - [`plaid`]: the generated Plaid client (`plaid-client`) as the tests use it: the spec's
//!   example, test credentials, clients with test timeouts and quick retries, and checks that the
//!   secret shows nowhere.
//! - [`scratch`]: a generated crate written to a scratch directory and built with a real `cargo`.
//! - [`RestoreEnv`]: environment variables put back as they were when a test ends.
//! - [`fixture_client!`]: a client of any generated crate for a mock server, without retries.

pub mod http;
pub mod plaid;
pub mod scratch;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The workspace root, whose `Cargo.lock` also pins the dependencies of generated crates.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ lives inside the workspace").to_path_buf()
}

/// The workspace's target directory: `CARGO_TARGET_DIR` when set, `target/` otherwise.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target"))
}

/// A client of the generated crate `$krate` (such as `fixture_parameters`) for the wiremock
/// server `$server`, without retries, so that each call is one exchange. Further builder calls,
/// such as credentials, may follow the server: `fixture_client!(fixture_swagger2, server,
/// api_key("k3y"))`. A macro, as each generated crate has its own `Client` type.
#[macro_export]
macro_rules! fixture_client {
    ($krate:ident, $server:expr $(, $setter:ident($($argument:expr),*))* $(,)?) => {
        $krate::Client::builder()
            .base_url($server.uri())
            $(.$setter($($argument),*))*
            .retry_policy($krate::RetryPolicy::none())
            .build()
            .expect("the client builds")
    };
}

/// Clears some environment variables and puts them back as they were when dropped, even when the
/// test fails. The environment is global to the process: a test binary should have one test that
/// touches these variables.
#[must_use = "the variables are restored when the guard is dropped"]
pub struct RestoreEnv(Vec<(&'static str, Option<OsString>)>);

impl RestoreEnv {
    /// Saves `names` and removes them from the environment.
    pub fn save_and_clear(names: &[&'static str]) -> Self {
        let saved = names.iter().map(|&name| (name, std::env::var_os(name))).collect();
        for name in names {
            std::env::remove_var(name);
        }
        RestoreEnv(saved)
    }
}

impl Drop for RestoreEnv {
    fn drop(&mut self) {
        for (name, value) in &self.0 {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }
}

/// Asserts that none of `hidden` appears in the `Display`, `Debug` or pretty `Debug` form of
/// `value`.
#[track_caller]
pub fn assert_shows_none(value: &(impl std::fmt::Display + std::fmt::Debug), hidden: &[&str]) {
    for text in [format!("{value}"), format!("{value:?}"), format!("{value:#?}")] {
        assert_text_shows_none(&text, hidden);
    }
}

/// Asserts that none of `hidden` appears in the `Debug` or pretty `Debug` form of `value`.
#[track_caller]
pub fn assert_debug_shows_none(value: &impl std::fmt::Debug, hidden: &[&str]) {
    for text in [format!("{value:?}"), format!("{value:#?}")] {
        assert_text_shows_none(&text, hidden);
    }
}

/// Asserts that none of `hidden` appears in `text`.
#[track_caller]
pub fn assert_text_shows_none(text: &str, hidden: &[&str]) {
    for secret in hidden {
        assert!(!text.contains(secret), "`{secret}` leaks into: {text}");
    }
}
