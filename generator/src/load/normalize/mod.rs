//! The normalising step: whatever version a document declares, the tree that leaves here is the
//! OpenAPI 3.0 tree the rest of the generator reads. Nothing after `load` learns about versions.
//!
//! - [`swagger2`] converts a Swagger 2.0 document as a whole (definitions, body and form
//!   parameters, `consumes`/`produces`, host and base path, security definitions), before
//!   bundling, so that bundling walks the shape it knows.
//! - [`openapi31`] fills in what 3.1 made optional (`paths`, `responses`) and leaves out what
//!   3.0 cannot hold (`mutualTLS` schemes), after bundling.
//! - [`schemas`] applies the JSON Schema rules of OpenAPI 3.1 (type lists, `const`, `$defs`,
//!   `prefixItems`, numeric exclusive bounds, `$ref` with siblings, …) to every schema, after
//!   bundling, whatever the document declares: real 3.0 and 2.0 files use 3.1 spellings too,
//!   and real 3.1 files still write `nullable`. A rule that reads a construct the declared
//!   version does not have says so in a warning.
//! - [`webhooks`] gathers what OpenAPI 3.0 cannot hold: the `webhooks` a 3.1 document (or an
//!   `x-webhooks` extension) declares go under `x-webhooks`, the one key the model reads them
//!   from; 3.1-only document fields are dropped.
//!
//! Every change that loses meaning is a warning that names the node in the user's own file;
//! moves are recorded in [`Origins`], so warnings of later phases can be translated back.

mod openapi31;
mod origins;
mod schemas;
mod swagger2;
mod webhooks;

use serde_yaml::Value;

pub use origins::Origins;
pub use schemas::TUPLE_ITEMS;
pub use webhooks::WEBHOOKS_KEY;

use crate::error::SpecError;

/// The OpenAPI version a document declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

impl Version {
    /// How a warning names the version.
    fn label(self) -> &'static str {
        match self {
            Version::Swagger2 => "Swagger 2.0",
            Version::OpenApi30 => "OpenAPI 3.0",
            Version::OpenApi31 => "OpenAPI 3.1",
        }
    }
}

/// What normalizing found and did: the warnings (pointers in the user's file), where moved nodes
/// came from.
#[derive(Debug)]
pub(super) struct Normalizer {
    pub version: Version,
    pub warnings: Vec<SpecError>,
    pub origins: Origins,
    /// Whether the tree was changed at all (then it is not what `serde_yaml` reads from the
    /// text, and the straight reading cannot be used). A rule that changes an OpenAPI 3.0 tree
    /// either warns (a warning also rules the straight reading out) or sets this; removing a
    /// key `openapiv3` ignores anyway needs neither.
    pub changed: bool,
}

impl Normalizer {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(SpecError::new(pointer, message));
    }

    /// Records that the node now at `converted` was written at `original`.
    fn moved(&mut self, converted: String, original: String) {
        self.origins.record(converted, original);
    }

    /// The user's pointer of a node of the converted tree.
    fn original(&self, pointer: &str) -> String {
        self.origins.translate(pointer)
    }
}

/// Reads the version and, for Swagger 2.0, converts the document to the OpenAPI 3.0 shape.
/// Only a document whose version cannot be read at all is refused.
pub(super) fn document(document: &mut Value) -> Result<Normalizer, SpecError> {
    let version = version(document)?;
    let mut normalizer = Normalizer {
        version,
        warnings: Vec::new(),
        origins: Origins::default(),
        changed: version != Version::OpenApi30,
    };
    if version == Version::Swagger2 {
        swagger2::convert(document, &mut normalizer);
    }
    Ok(normalizer)
}

impl Normalizer {
    /// After bundling: the schema rules on every schema, then what 3.0 cannot hold.
    pub(super) fn finish(&mut self, document: &mut Value) {
        if self.version == Version::OpenApi31 {
            openapi31::convert(document, self);
        }
        schemas::normalize(document, self);
        webhooks::gather(document, self);
    }

    /// The loaded spec, with what normalizing found.
    pub(super) fn loaded(
        self,
        document: openapiv3::OpenAPI,
        warnings: Vec<SpecError>,
        skipped: Vec<super::SkippedOperation>,
    ) -> super::Loaded {
        let Normalizer { version, origins, .. } = self;
        super::Loaded { document, warnings, version, origins, skipped }
    }
}

fn version(document: &Value) -> Result<Version, SpecError> {
    let mapping = document.as_mapping().ok_or_else(|| {
        SpecError::new("#", "the document is not a mapping; an OpenAPI document starts with `openapi: 3.x.y`")
    })?;
    if let Some(swagger) = mapping.get("swagger") {
        return match swagger {
            Value::String(version) if version == "2.0" || version == "2" => Ok(Version::Swagger2),
            Value::Number(number) if number.as_f64() == Some(2.0) => Ok(Version::Swagger2),
            _ => Err(SpecError::new("#/swagger", "only Swagger 2.0 (`swagger: \"2.0\"`) documents can be read")),
        };
    }
    let version =
        match mapping.get("openapi") {
            Some(Value::String(version)) => version.trim(),
            Some(Value::Number(number)) => {
                // `openapi: 3.0` written without quotes is a number.
                return match number.as_f64() {
                    Some(3.0) => Ok(Version::OpenApi30),
                    Some(v) if (3.1..4.0).contains(&v) => Ok(Version::OpenApi31),
                    _ => Err(SpecError::new("#/openapi", "`openapi` must be a version string such as \"3.0.3\"")),
                };
            }
            Some(_) => return Err(SpecError::new("#/openapi", "`openapi` must be a version string such as \"3.0.3\"")),
            None => return Err(SpecError::new(
                "#",
                "there is neither an `openapi` nor a `swagger` field; an OpenAPI document starts with `openapi: 3.x.y`",
            )),
        };
    let mut parts = version.split('.');
    match (parts.next(), parts.next().map(|minor| minor.parse::<u32>())) {
        (Some("3"), None | Some(Ok(0))) => Ok(Version::OpenApi30),
        // 3.2 and later minor versions are read by the 3.1 rules: they only add to them.
        (Some("3"), Some(Ok(_))) => Ok(Version::OpenApi31),
        _ => Err(SpecError::new(
            "#/openapi",
            format!("OpenAPI {version} cannot be read; only Swagger 2.0 and OpenAPI 3.x documents can"),
        )),
    }
}

/// A short description of a value's kind for messages: never its content.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version_of(text: &str) -> Result<Version, SpecError> {
        version(&serde_yaml::from_str(text).unwrap())
    }

    #[test]
    fn versions_are_read_from_either_field() {
        assert_eq!(version_of("openapi: 3.0.3").unwrap(), Version::OpenApi30);
        assert_eq!(version_of("openapi: '3.0'").unwrap(), Version::OpenApi30);
        assert_eq!(version_of("openapi: 3.1.0").unwrap(), Version::OpenApi31);
        assert_eq!(version_of("openapi: 3.2.0").unwrap(), Version::OpenApi31);
        assert_eq!(version_of("swagger: '2.0'").unwrap(), Version::Swagger2);
        assert_eq!(version_of("swagger: 2.0").unwrap(), Version::Swagger2);
        assert!(version_of("swagger: '1.2'").unwrap_err().to_string().contains("#/swagger"));
        assert!(version_of("openapi: 4.0.0").unwrap_err().to_string().contains("OpenAPI 4.0.0 cannot be read"));
        assert!(version_of("info: {}").unwrap_err().to_string().contains("neither"));
    }
}
