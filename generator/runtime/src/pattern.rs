//! The `pattern` rules of the spec, compiled with the `regex` crate on first use.

use crate::validation::{FieldPath, Problem, ValidationError};

/// A `pattern` from the spec, compiled on first use.
pub struct Pattern {
    source: &'static str,
    compiled: std::sync::OnceLock<Option<regex::Regex>>,
}

impl Pattern {
    /// A pattern that is compiled the first time it is checked.
    pub const fn new(source: &'static str) -> Self {
        Pattern { source, compiled: std::sync::OnceLock::new() }
    }

    /// Checks that `value` matches. A pattern the `regex` crate cannot compile (such as
    /// one using look-around) is not checked: the server still enforces it.
    pub fn check(&self, value: &str, path: &FieldPath<'_>) -> Result<(), ValidationError> {
        let compiled = self.compiled.get_or_init(|| regex::Regex::new(self.source).ok());
        match compiled {
            Some(regex) if !regex.is_match(value) => {
                Err(ValidationError::new(path, Problem::PatternMismatch { pattern: self.source }))
            }
            _ => Ok(()),
        }
    }
}
