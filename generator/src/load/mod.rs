//! Phase 1: read the spec (and the files it refers to) and turn it into an `openapiv3::OpenAPI`
//! document, repairing what has one obvious meaning on the way.
//!
//! Steps, each on one raw tree (`serde_yaml::Value` with string keys, see `raw`):
//! 1. `raw`: JSON is read as JSON, YAML as YAML; integers beyond 64 bits become floats.
//! 2. The version is checked, so a Swagger 2.0 or OpenAPI 3.1 file gets a clear error instead
//!    of a confusing complaint about some missing field.
//! 3. `bundle`: `$ref`s to other files are resolved relative to the file they are written in.
//! 4. `repair`: spec mistakes with one obvious meaning are fixed, each with a warning, and
//!    the shapes `openapiv3` reads through untagged enums are checked.
//! 5. The tree is deserialized into `openapiv3`; should that still fail, the deepest object
//!    that fails on its own is found, so the error names a precise pointer.

mod bundle;
mod raw;
mod repair;
mod walk;

use std::path::Path;

use openapiv3::OpenAPI;
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;
use serde_yaml::Value;

use crate::error::{Error, SpecError};
use walk::{extend_pointer, for_each_child, Obj};

/// A loaded spec: the document, and the repairs made to it (as warnings with pointers).
#[derive(Debug)]
pub struct Loaded {
    pub document: OpenAPI,
    pub warnings: Vec<SpecError>,
}

/// Reads and parses the spec at `path`, with the files it refers to.
pub fn load(path: &Path) -> Result<Loaded, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    parse(path, &text)
}

/// Parses spec text. `path` labels errors, and references to other files are resolved relative
/// to its directory.
pub fn parse(path: &Path, text: &str) -> Result<Loaded, Error> {
    let raw = raw::parse(path, text, "")?;
    let mut warnings = raw.warnings;
    let mut value = raw.value;
    check_version(&value).map_err(|error| Error::spec(path, vec![error]))?;
    warnings.extend(bundle::bundle(path, &mut value).map_err(|errors| Error::spec(path, errors))?);
    let repairs = repair::repair(&mut value);
    warnings.extend(repairs.warnings);
    if !repairs.errors.is_empty() {
        return Err(Error::spec(path, repairs.errors));
    }
    match serde_path_to_error::deserialize::<_, OpenAPI>(&value) {
        Ok(document) => Ok(Loaded { document, warnings }),
        Err(error) => {
            let found = locate(Obj::Document, &mut value, "#");
            let error = found.unwrap_or_else(|| spec_error("#", error.path(), error.inner()));
            Err(Error::spec(path, vec![error]))
        }
    }
}

/// Finds the deepest object that does not deserialize on its own: `openapiv3` reads many
/// objects through untagged enums and flattening, which hide where inside them the problem is.
fn locate(obj: Obj, node: &mut Value, pointer: &str) -> Option<SpecError> {
    let mut found = None;
    for_each_child(obj, node, &mut |steps, child, value| {
        if found.is_none() {
            found = locate(child, value, &extend_pointer(pointer, steps));
        }
    });
    if found.is_some() {
        return found;
    }
    use openapiv3::*;
    match obj {
        Obj::Document => check::<OpenAPI>(node, pointer),
        Obj::Components => check::<Components>(node, pointer),
        Obj::Paths => check::<Paths>(node, pointer),
        Obj::PathItem => check::<ReferenceOr<PathItem>>(node, pointer),
        Obj::Operation => check::<Operation>(node, pointer),
        Obj::Responses => check::<Responses>(node, pointer),
        Obj::Response => check::<ReferenceOr<Response>>(node, pointer),
        Obj::Parameter => check::<ReferenceOr<Parameter>>(node, pointer),
        Obj::Header => check::<ReferenceOr<Header>>(node, pointer),
        Obj::RequestBody => check::<ReferenceOr<RequestBody>>(node, pointer),
        Obj::MediaType => check::<MediaType>(node, pointer),
        Obj::Encoding => check::<Encoding>(node, pointer),
        Obj::Callback => check::<ReferenceOr<Callback>>(node, pointer),
        Obj::Schema => check::<ReferenceOr<Schema>>(node, pointer),
        Obj::Example => check::<ReferenceOr<Example>>(node, pointer),
        Obj::Link => check::<ReferenceOr<Link>>(node, pointer),
        Obj::SecurityScheme => check::<ReferenceOr<SecurityScheme>>(node, pointer),
    }
}

fn check<T: DeserializeOwned>(node: &Value, pointer: &str) -> Option<SpecError> {
    serde_path_to_error::deserialize::<_, T>(node).err().map(|error| spec_error(pointer, error.path(), error.inner()))
}

fn spec_error(pointer: &str, path: &serde_path_to_error::Path, error: &serde_yaml::Error) -> SpecError {
    let pointer = format!("{pointer}{}", pointer_of(path));
    SpecError::new(pointer, format!("{error}; fix this node so it follows the OpenAPI 3.0 schema"))
}

fn check_version(document: &Value) -> Result<(), SpecError> {
    let mapping = document.as_mapping().ok_or_else(|| {
        SpecError::new("#", "the document is not a mapping; an OpenAPI document starts with `openapi: 3.0.x`")
    })?;
    if mapping.contains_key("swagger") {
        return Err(SpecError::new(
            "#/swagger",
            "this is a Swagger 2.0 document, which is not supported; convert it to OpenAPI 3.0 first",
        ));
    }
    let version = match mapping.get("openapi") {
        Some(Value::String(version)) => version,
        Some(_) => return Err(SpecError::new("#/openapi", "`openapi` must be a version string such as \"3.0.3\"")),
        None => {
            return Err(SpecError::new(
                "#",
                "there is no `openapi` field; an OpenAPI document starts with `openapi: 3.0.x`",
            ))
        }
    };
    if version.starts_with("3.0.") || version == "3.0" {
        Ok(())
    } else {
        Err(SpecError::new(
            "#/openapi",
            format!("OpenAPI {version} is not supported; only OpenAPI 3.0.x documents can be generated from"),
        ))
    }
}

/// Renders a serde path as a JSON pointer (RFC 6901, in URI-fragment form).
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::new();
    for segment in path.iter() {
        pointer.push('/');
        match segment {
            Segment::Seq { index } => pointer.push_str(&index.to_string()),
            Segment::Map { key } => pointer.push_str(&escape_pointer_token(key)),
            Segment::Enum { variant } => pointer.push_str(&escape_pointer_token(variant)),
            Segment::Unknown => pointer.push('?'),
        }
    }
    pointer
}

/// Escapes one reference token of a JSON pointer: `~` becomes `~0` and `/` becomes `~1`.
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<OpenAPI, Error> {
        parse(Path::new("spec.yaml"), text).map(|loaded| loaded.document)
    }

    #[test]
    fn invalid_yaml_reports_line_and_column() {
        let error = parse_str("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        match error {
            Error::Syntax { line, column, .. } => {
                assert!(line.is_some() && column.is_some(), "{line:?} {column:?}");
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn swagger_two_is_rejected_with_a_pointer() {
        let error = parse_str("swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n").unwrap_err();
        assert!(error.to_string().contains("#/swagger"), "{error}");
        assert!(error.to_string().contains("Swagger 2.0"), "{error}");
    }

    #[test]
    fn openapi_three_one_is_rejected() {
        let error = parse_str("openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n").unwrap_err();
        assert!(error.to_string().contains("OpenAPI 3.1.0 is not supported"), "{error}");
    }

    #[test]
    fn malformed_node_is_located_by_pointer() {
        let error =
            parse_str("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n")
                .unwrap_err();
        assert!(error.to_string().contains("at #/paths/~1a/get/responses: `responses` must be a mapping"), "{error}");
    }
}
