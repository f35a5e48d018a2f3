//! What the loading tests share.

use std::path::Path;

use super::{parse, Loaded};

/// Loads a spec written in a test; the test fails with the error when it does not load.
pub(crate) fn parse_ok(text: &str) -> Loaded {
    parse(Path::new("spec.yaml"), text).unwrap_or_else(|error| panic!("{error}"))
}

/// The warnings of a load as the user reads them (`at <pointer>: <message>`).
pub(crate) fn warnings(loaded: &Loaded) -> Vec<String> {
    loaded.warnings.iter().map(ToString::to_string).collect()
}
