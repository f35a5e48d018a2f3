//! Phase 1: read the spec file and turn it into an `openapiv3::OpenAPI` document.
//!
//! YAML and JSON are both accepted (JSON is YAML). The version is checked before the document is
//! deserialized, so a Swagger 2.0 or OpenAPI 3.1 file gets a clear error instead of a confusing
//! complaint about some missing field.

use std::path::Path;

use openapiv3::OpenAPI;
use serde_path_to_error::Segment;

use crate::error::{Error, SpecError};

/// A loaded document, with the problems loading repaired or tolerated (warnings).
#[derive(Debug)]
pub struct Loaded {
    pub document: OpenAPI,
    pub warnings: Vec<SpecError>,
}

/// Reads and parses the spec at `path`.
pub fn load(path: &Path) -> Result<Loaded, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    parse(path, &text)
}

/// Parses spec text; `path` is only used to label errors.
pub fn parse(path: &Path, text: &str) -> Result<Loaded, Error> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|error| {
        let location = error.location();
        Error::Syntax {
            path: path.to_path_buf(),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            message: strip_location(&error.to_string()),
        }
    })?;
    check_version(&value).map_err(|error| Error::spec(path, vec![error]))?;
    let mut non_finite = Vec::new();
    find_non_finite(&value, "#", &mut non_finite);
    if !non_finite.is_empty() {
        return Err(Error::spec(path, non_finite));
    }
    let document = serde_path_to_error::deserialize::<_, OpenAPI>(value).map_err(|error| {
        let pointer = pointer_of(error.path());
        let message = format!("{}; fix this node so it follows the OpenAPI 3.0 schema", error.inner());
        Error::spec(path, vec![SpecError::new(pointer, message)])
    })?;
    Ok(Loaded { document, warnings: Vec::new() })
}

fn check_version(document: &serde_yaml::Value) -> Result<(), SpecError> {
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
        Some(serde_yaml::Value::String(version)) => version,
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

/// Finds numbers JSON cannot hold (`.inf`, `.nan`): OpenAPI documents are JSON, and the
/// `openapiv3` crate cannot read them.
fn find_non_finite(value: &serde_yaml::Value, pointer: &str, errors: &mut Vec<SpecError>) {
    match value {
        serde_yaml::Value::Number(number) if number.as_f64().is_some_and(|n| !n.is_finite()) => {
            errors.push(SpecError::new(
                pointer,
                format!("`{number}` is not a JSON number; use a finite number or leave the keyword out"),
            ))
        }
        serde_yaml::Value::Sequence(items) => {
            for (index, item) in items.iter().enumerate() {
                find_non_finite(item, &format!("{pointer}/{index}"), errors);
            }
        }
        serde_yaml::Value::Mapping(mapping) => {
            for (key, item) in mapping {
                let key = match key {
                    serde_yaml::Value::String(key) => key.clone(),
                    other => serde_yaml::to_string(other).unwrap_or_default().trim().to_string(),
                };
                find_non_finite(item, &format!("{pointer}/{}", escape_pointer_token(&key)), errors);
            }
        }
        serde_yaml::Value::Tagged(tagged) => find_non_finite(&tagged.value, pointer, errors),
        _ => {}
    }
}

/// Renders a serde path as a JSON pointer (RFC 6901, in URI-fragment form).
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::from("#");
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

/// serde_yaml appends " at line L column C" to its messages; we report the location separately.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
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
        // openapiv3 flattens path items, which hides the deeper part of the path from serde; the
        // pointer names the deepest node serde could see.
        assert!(error.to_string().contains("at #/paths"), "{error}");
        assert!(error.to_string().contains("invalid type: integer `7`"), "{error}");
    }
}
