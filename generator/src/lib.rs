//! Turns an OpenAPI 3.0 description into the source of a Rust client crate.
//!
//! The work happens in phases, each in its own module, each handing a plain value to the next:
//!
//! 1. [`load`] reads the spec file (and the files it refers to), checks it is OpenAPI 3.0 and
//!    repairs obvious mistakes with warnings (YAML or JSON → `openapiv3::OpenAPI`);
//!    [`filter`] then keeps only the operations asked for, if any.
//! 2. [`model`] lowers the document into a [`model::Api`]: named types and operations with every
//!    `$ref` resolved and every Rust name decided. Nothing after this phase sees `openapiv3`.
//! 3. [`emit`] turns the model into token streams and pretty-prints them into files.
//! 4. [`output`] writes those files (all or nothing) or compares them with what is on disk.
//!
//! Problems with the spec are values ([`Error`]) that name the file and a JSON pointer; the
//! generator never panics on its input.

pub mod emit;
mod error;
pub mod filter;
pub mod load;
pub mod model;
pub mod output;

use std::path::Path;

pub use error::{Error, SpecError};
pub use output::{CheckReport, GeneratedFile, GeneratedFiles, StaleFile};

/// What to generate and how the result is labelled.
#[derive(Debug, Clone)]
pub struct Options {
    /// The Cargo package name of the generated crate; `None` takes the spec's `x-crate-name`,
    /// falling back to a name derived from its title.
    pub crate_name: Option<String>,
    /// How the spec is named in the preamble of every generated file (a path relative to the
    /// workspace, so the output is the same on every machine).
    pub spec_label: String,
    /// Generate only these operations (operationIds, paths, or `METHOD /path`) and the schemas
    /// they reach; empty means all.
    pub operations: Vec<String>,
}

/// Reads the spec at `spec_path` and produces the files of the client crate, in memory.
pub fn generate(spec_path: &Path, options: &Options) -> Result<GeneratedFiles, Error> {
    let text =
        std::fs::read_to_string(spec_path).map_err(|source| Error::Read { path: spec_path.to_path_buf(), source })?;
    generate_from_text(spec_path, &text, options)
}

/// Like [`generate`], for spec text already in memory; `spec_path` labels errors, and references
/// to other files are resolved relative to its directory.
pub fn generate_from_text(spec_path: &Path, text: &str, options: &Options) -> Result<GeneratedFiles, Error> {
    let loaded = load::parse(spec_path, text)?;
    // Repairs made while loading (SpecErrors with pointers), to be reported with the other warnings.
    let load_warnings: Vec<SpecError> = loaded.warnings;
    let _ = &load_warnings;
    let mut document = loaded.document;
    filter::select_operations(&mut document, &options.operations).map_err(|errors| Error::spec(spec_path, errors))?;
    let api =
        model::lower(&document, options.crate_name.as_deref()).map_err(|errors| Error::spec(spec_path, errors))?;
    emit::emit(&api, &options.spec_label)
}
