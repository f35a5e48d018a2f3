//! The errors the generator reports: every one names the spec file, and spec problems name the
//! JSON pointer of the offending node.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in the spec, located by a JSON pointer such as
/// `#/components/schemas/Foo/properties/bar`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// Where the problem is, as a JSON pointer into the spec document.
    pub pointer: String,
    /// What is wrong and what to do about it, lower-case, no trailing dot.
    pub message: String,
}

impl SpecError {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        SpecError { pointer: pointer.into(), message: message.into() }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.pointer, self.message)
    }
}

/// Everything that can stop generation.
#[derive(Debug)]
pub enum Error {
    /// The spec file could not be read.
    Read { path: PathBuf, source: std::io::Error },
    /// The config file (`codegen.toml`) cannot be read or is wrong: an unknown key, a type path
    /// that does not parse, a crate no dependency provides. `line` and `column` locate the
    /// problem when it has a place in the file.
    Config { path: PathBuf, line: Option<usize>, column: Option<usize>, message: String },
    /// The file is not valid YAML or JSON.
    Syntax { path: PathBuf, line: Option<usize>, column: Option<usize>, message: String },
    /// The document is valid YAML but not something we generate from: wrong version, a construct
    /// we do not support, a dangling `$ref`, … One entry per problem found.
    Spec { path: PathBuf, errors: Vec<SpecError> },
    /// `--strict`: the spec generates only by leaving something out or working around it, and
    /// these warnings say what.
    Strict { path: PathBuf, warnings: Vec<SpecError> },
    /// The generator produced tokens that do not parse as Rust: a bug in the generator.
    Internal { file: String, message: String },
    /// Reading or writing the output directory failed.
    Output { path: PathBuf, source: std::io::Error },
}

impl Error {
    pub fn spec(path: &Path, errors: Vec<SpecError>) -> Self {
        Error::Spec { path: path.to_path_buf(), errors }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Read { path, source } => {
                write!(f, "cannot read spec {}: {source}; pass an existing OpenAPI 3.0 file with --spec", path.display())
            }
            Error::Config { path, line, column, message } => {
                write!(f, "{}", path.display())?;
                if let (Some(line), Some(column)) = (line, column) {
                    write!(f, ":{line}:{column}")?;
                }
                write!(f, ": {message}")
            }
            Error::Syntax { path, line, column, message } => {
                write!(f, "{}", path.display())?;
                if let (Some(line), Some(column)) = (line, column) {
                    write!(f, ":{line}:{column}")?;
                }
                write!(f, ": the spec is not valid YAML or JSON: {message}")
            }
            Error::Spec { path, errors } => {
                let (first, rest) = match errors.split_first() {
                    Some(split) => split,
                    None => return write!(f, "{}: the spec was rejected", path.display()),
                };
                write!(f, "{}: {first}", path.display())?;
                for error in rest {
                    write!(f, "\n{}: {error}", path.display())?;
                }
                Ok(())
            }
            Error::Strict { path, warnings } => {
                for warning in warnings {
                    writeln!(f, "{}: {warning}", path.display())?;
                }
                write!(
                    f,
                    "{}: {} warning{} with --strict; nothing was generated (leave out --strict to generate anyway)",
                    path.display(),
                    warnings.len(),
                    if warnings.len() == 1 { "" } else { "s" }
                )
            }
            Error::Internal { file, message } => write!(
                f,
                "internal error: the generator emitted invalid Rust for {file}: {message}; please report this with the spec that caused it"
            ),
            Error::Output { path, source } => write!(f, "cannot write {}: {source}", path.display()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Read { source, .. } | Error::Output { source, .. } => Some(source),
            _ => None,
        }
    }
}
