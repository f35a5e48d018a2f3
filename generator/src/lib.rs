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
//! Problems with the spec are values that name the file and a JSON pointer; the generator never
//! panics on its input. Only a document that cannot be read as OpenAPI 3.0 at all is an
//! [`Error`]. Anything else the generator cannot express degrades: the operation is left out, or
//! the schema is typed as `serde_json::Value`, and a warning says so ([`Generated::warnings`],
//! counted in [`Summary`]). [`Options::strict`] turns warnings into an error.
//!
//! What the spec cannot say comes from an optional [`config`] file beside it (`codegen.toml`):
//! Rust types for formats, schemas or fields, extra derives, the package's metadata and
//! dependencies.

/// A spec for unit tests: the `openapi` and `info` lines every test document starts with,
/// followed by `rest` (which starts at `paths:` or `components:`).
#[cfg(test)]
macro_rules! test_spec {
    ($rest:literal) => {
        concat!("openapi: 3.0.3\ninfo: {title: T, version: \"1\"}\n", $rest)
    };
}

pub mod config;
pub mod diff;
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
#[derive(Debug, Clone, Default)]
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
    /// Fail with [`Error::Strict`] instead of degrading when there is any warning.
    pub strict: bool,
    /// The user's choices from `codegen.toml` (types for formats, schemas and fields, derives,
    /// package metadata, dependencies); the default has none.
    pub config: config::Config,
    /// Structs derive `Deserialize` instead of reading through the runtime's `struct_de`: only
    /// for `cargo xtask difftest`, which compares the two.
    #[doc(hidden)]
    pub derived_deserialize: bool,
}

/// The generated crate, with what was given up on the way.
#[derive(Debug, PartialEq)]
pub struct Generated {
    pub files: GeneratedFiles,
    /// Every problem that was repaired or worked around, in the order found (loading first):
    /// skipped operations and schemas typed as JSON name the cause's pointer.
    pub warnings: Vec<SpecError>,
    pub summary: Summary,
}

/// How much of the spec made it into the crate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// Operations that became client methods.
    pub operations_generated: usize,
    /// Operations left out because something in them cannot be expressed (a path item left out
    /// as a whole counts once).
    pub operations_skipped: usize,
    /// Component schemas with a Rust type (or type alias) of their own.
    pub schemas_typed: usize,
    /// Schemas, components or nested ones, typed as `serde_json::Value` because they cannot be
    /// expressed.
    pub schemas_opaque: usize,
    /// All warnings, including those two kinds of loss.
    pub warnings: usize,
    /// The operations that got pagers, by pattern (`cursor`, `offset`, …), in name order.
    pub paged_operations: Vec<(&'static str, usize)>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total = self.operations_generated + self.operations_skipped;
        write!(
            f,
            "generated {} of {total} operations ({} skipped), {} schemas typed, {} as JSON, {} warning{}",
            self.operations_generated,
            self.operations_skipped,
            self.schemas_typed,
            self.schemas_opaque,
            self.warnings,
            if self.warnings == 1 { "" } else { "s" }
        )?;
        let paged: usize = self.paged_operations.iter().map(|(_, count)| count).sum();
        if paged > 0 {
            let patterns: Vec<String> =
                self.paged_operations.iter().map(|(pattern, count)| format!("{count} {pattern}")).collect();
            write!(f, "; {paged} paged operation{} ({})", if paged == 1 { "" } else { "s" }, patterns.join(", "))?;
        }
        Ok(())
    }
}

/// Reads the spec at `spec_path` and produces the files of the client crate, in memory.
pub fn generate(spec_path: &Path, options: &Options) -> Result<Generated, Error> {
    let text =
        std::fs::read_to_string(spec_path).map_err(|source| Error::Read { path: spec_path.to_path_buf(), source })?;
    generate_from_text(spec_path, &text, options)
}

/// Like [`generate`], for spec text already in memory; `spec_path` labels errors, and references
/// to other files are resolved relative to its directory.
pub fn generate_from_text(spec_path: &Path, text: &str, options: &Options) -> Result<Generated, Error> {
    let load::Loaded { mut document, mut warnings, origins, skipped, .. } = load::parse(spec_path, text)?;
    // Pointers of later phases name nodes of the converted tree; the user's file is what counts.
    let in_users_file = |mut problems: Vec<SpecError>| {
        origins.translate_all(&mut problems);
        problems
    };
    // Before the selection, which leaves out schemas the config may rightly name.
    warnings.extend(in_users_file(model::unused_mappings(&document, &options.config)));
    filter::select_operations(&mut document, &options.operations, &options.config.webhooks.schemas)
        .map_err(|errors| Error::spec(spec_path, in_users_file(errors)))?;
    let (mut api, model_warnings) = model::lower_with_config(&document, options.crate_name.as_deref(), &options.config)
        .map_err(|errors| Error::spec(spec_path, in_users_file(errors)))?;
    warnings.extend(in_users_file(model_warnings));
    // Operations too malformed to read were left out by `load`; they are listed like the rest,
    // and when they were all there was, nothing is left of the client: that is a failure.
    if api.operations.is_empty() && !skipped.is_empty() {
        let problems = skipped.into_iter().flat_map(|skipped| skipped.problems);
        return Err(Error::spec(spec_path, in_users_file(problems.collect())));
    }
    api.skipped.splice(0..0, skipped.into_iter().map(model::Skipped::from));
    for skipped in &mut api.skipped {
        skipped.pointer = origins.translate(&skipped.pointer);
        origins.translate_all(&mut skipped.problems);
    }
    api.derived_deserialize = options.derived_deserialize;
    if options.strict && !warnings.is_empty() {
        return Err(Error::Strict { path: spec_path.to_path_buf(), warnings });
    }
    // Nothing after the model reads the document: it is freed on another core meanwhile.
    let files = std::thread::scope(|scope| {
        scope.spawn(move || drop(document));
        emit::emit(&api, &options.spec_label)
    })?;
    let summary = summarize(&api, warnings.len());
    Ok(Generated { files, warnings, summary })
}

fn summarize(api: &model::Api, warnings: usize) -> Summary {
    let is_component = |pointer: &str| model::ComponentOrigin::of(pointer).is_some_and(|origin| !origin.nested);
    let operations_skipped = api.skipped.iter().filter(|s| !matches!(s.item, model::SkippedItem::Schema)).count();
    let opaque: Vec<&model::Skipped> =
        api.skipped.iter().filter(|s| matches!(s.item, model::SkippedItem::Schema)).collect();
    let opaque_components = opaque.iter().filter(|s| is_component(&s.pointer)).count();
    let component_types = api.types.iter().filter(|def| is_component(&def.pointer)).count();
    Summary {
        operations_generated: api.operations.len(),
        operations_skipped,
        // Component schemas typed as JSON are aliases of `serde_json::Value`.
        schemas_typed: (component_types + api.aliases.len()).saturating_sub(opaque_components),
        schemas_opaque: opaque.len(),
        warnings,
        paged_operations: api.paged_operations().into_iter().collect(),
    }
}
