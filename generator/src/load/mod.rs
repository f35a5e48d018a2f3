//! Phase 1: read the spec (and the files it refers to) and turn it into an `openapiv3::OpenAPI`
//! document, repairing what has one obvious meaning on the way.
//!
//! Steps, each on one raw tree (`serde_yaml::Value` with string keys, see `raw`):
//! 1. `raw`: JSON is read as JSON, YAML as YAML; integers beyond 64 bits become floats.
//! 2. `normalize`: the version is read; a Swagger 2.0 document is converted to the OpenAPI 3.0
//!    shape.
//! 3. `bundle`: `$ref`s to other files are resolved relative to the file they are written in.
//! 4. `normalize` again: the JSON Schema rules of OpenAPI 3.1 on every schema, whatever the
//!    declared version, and the webhooks gathered under `x-webhooks`. From here on the tree is 3.0.
//! 5. `repair`: spec mistakes with one obvious meaning are fixed, each with a warning, and
//!    the shapes `openapiv3` reads through untagged enums are checked.
//! 6. The tree is deserialized into `openapiv3`; should that still fail, the deepest object
//!    that fails on its own is found, so the error names a precise pointer.
//!
//! Warnings and errors name nodes by their pointer in the user's own file: what normalizing
//! moved is translated back through [`Origins`].

mod bundle;
mod contain;
mod normalize;
mod raw;
mod repair;
mod strict;
#[cfg(test)]
mod test_support;
mod walk;

use std::borrow::Cow;
use std::path::Path;

use openapiv3::OpenAPI;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_path_to_error::Segment;
use serde_yaml::Value;

use crate::error::{Error, SpecError};
pub use contain::SkippedOperation;
pub use normalize::{Origins, Version, TUPLE_ITEMS, WEBHOOKS_KEY};
pub use walk::ITEM_SCHEMA_KEY;
use walk::{extend_pointer, for_each_child, Obj};

/// A loaded spec: the document, and the repairs made to it (as warnings with pointers).
#[derive(Debug)]
pub struct Loaded {
    /// The document, as OpenAPI 3.0 whatever the version the file declares.
    pub document: OpenAPI,
    /// Conversions and repairs, each naming its node in the user's file.
    pub warnings: Vec<SpecError>,
    /// The version the file declares.
    pub version: Version,
    /// Where nodes of `document` were written in the user's file, for the pointers of later
    /// phases' warnings ([`Origins::translate`]).
    pub origins: Origins,
    /// Operations left out of `document` because they are malformed beyond repair (their
    /// problems are among the warnings).
    pub skipped: Vec<SkippedOperation>,
}

/// Reads and parses the spec at `path`, with the files it refers to.
pub fn load(path: &Path) -> Result<Loaded, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    parse(path, &text)
}

/// Parses spec text. `path` labels errors, and references to other files are resolved relative
/// to its directory.
///
/// A YAML spec that may be OpenAPI 3.0 is also read straight into `openapiv3` on a second thread
/// while the raw tree is built, checked and repaired; when that changed nothing (no repair, no
/// warning, no other file), the straight reading is the same document and is used, so loading
/// costs about one parse instead of a parse and a conversion. The straight reading refuses what
/// `openapiv3` would panic on (see `strict` below); the tree reports it.
pub fn parse(path: &Path, text: &str) -> Result<Loaded, Error> {
    if !raw::reads_as_yaml(path, text) || !may_be_openapi_30(text) {
        return deserialize(path, text, prepare(path, text)?);
    }
    std::thread::scope(|scope| {
        let straight = scope.spawn(|| {
            let deserializer = strict::Strict::new(serde_yaml::Deserializer::from_str(text));
            OpenAPI::deserialize(deserializer).ok()
        });
        let prepared = prepare(path, text);
        let straight = straight.join().ok().flatten();
        let prepared = prepared?;
        match straight {
            Some(document) if prepared.untouched => {
                // The tree is not needed; it is dropped on the other core.
                let Prepared { value, warnings, normalizer, skipped, .. } = prepared;
                scope.spawn(move || drop(value));
                Ok(normalizer.loaded(document, warnings, skipped))
            }
            _ => deserialize(path, text, prepared),
        }
    })
}

/// Whether YAML text may declare OpenAPI 3.0, the only version whose tree can come out
/// untouched. Conservative: false only when a line at the left margin, where the document's own
/// keys are, says `swagger:`, or says `openapi:` with a 3.x version other than 3.0 (the first
/// such line decides).
fn may_be_openapi_30(text: &str) -> bool {
    for line in text.lines() {
        if line.starts_with("swagger:") {
            return false;
        }
        if let Some(value) = line.strip_prefix("openapi:") {
            let version = value.split_whitespace().next().unwrap_or("").trim_matches(['"', '\'']);
            let minor = version.strip_prefix("3.").and_then(|rest| rest.split('.').next());
            return !minor.is_some_and(|minor| minor.parse::<u32>().is_ok_and(|minor| minor > 0));
        }
    }
    true
}

/// The spec as the OpenAPI 3.0 tree `openapiv3` is given: normalized from whatever version it
/// declares, bundled and repaired (what the generator reads, for benchmarks and for looking at
/// a conversion).
pub fn normalized_tree(path: &Path, text: &str) -> Result<Value, Error> {
    prepare(path, text).map(|prepared| prepared.value)
}

/// The tree, checked, bundled and repaired.
struct Prepared {
    value: Value,
    warnings: Vec<SpecError>,
    normalizer: normalize::Normalizer,
    skipped: Vec<SkippedOperation>,
    /// Whether the tree is exactly what `serde_yaml` reads from the text: nothing was repaired,
    /// bundled, normalized or warned about.
    untouched: bool,
}

/// Steps 1 to 5: the raw tree, normalized, bundled and repaired, with the warnings so far
/// (each naming its node in the user's file).
fn prepare(path: &Path, text: &str) -> Result<Prepared, Error> {
    let raw = raw::parse(path, text, "")?;
    let mut warnings = raw.warnings;
    let mut value = raw.value;
    let mut normalizer = normalize::document(&mut value).map_err(|error| Error::spec(path, vec![error]))?;
    let bundled = bundle::needed(&mut value);
    let bundle_warnings = bundle::bundle(path, &mut value).map_err(|mut errors| {
        normalizer.origins.translate_all(&mut errors);
        Error::spec(path, errors)
    })?;
    normalizer.finish(&mut value);
    warnings.append(&mut normalizer.warnings);
    warnings.extend(bundle_warnings);
    let mut repairs = repair::repair(&mut value);
    let mut contained = contain::contain(&mut value, repairs.errors);
    normalizer.origins.translate_all(&mut repairs.warnings);
    normalizer.origins.translate_all(&mut contained.warnings);
    normalizer.origins.translate_all(&mut contained.errors);
    warnings.extend(repairs.warnings);
    warnings.extend(contained.warnings);
    if !contained.errors.is_empty() {
        return Err(Error::spec(path, contained.errors));
    }
    let untouched = warnings.is_empty() && !bundled && !raw.normalized && !normalizer.changed;
    Ok(Prepared { value, warnings, normalizer, skipped: contained.skipped, untouched })
}

/// Step 5: the prepared tree into `openapiv3`. The tree is consumed, its strings moved rather
/// than copied; should it not deserialize, it is prepared again to find where (spec errors are
/// the rare case).
fn deserialize(path: &Path, text: &str, prepared: Prepared) -> Result<Loaded, Error> {
    let Prepared { value, warnings, normalizer, skipped, .. } = prepared;
    if let Ok(document) = OpenAPI::deserialize(value) {
        return Ok(normalizer.loaded(document, warnings, skipped));
    }
    let Prepared { mut value, mut warnings, normalizer, mut skipped, .. } = prepare(path, text)?;
    // What `openapiv3` still refuses costs the operation (or component) it is in, like any
    // malformed node; each round leaves out one more part.
    for _ in 0..MAX_LEFT_OUT {
        let error = match serde_path_to_error::deserialize::<_, OpenAPI>(&value) {
            Ok(document) => return Ok(normalizer.loaded(document, warnings, skipped)),
            Err(error) => {
                let found = locate(Obj::Document, &mut value, "#");
                found.unwrap_or_else(|| spec_error("#", error.path(), error.inner()))
            }
        };
        let mut contained = contain::contain(&mut value, vec![error]);
        normalizer.origins.translate_all(&mut contained.warnings);
        normalizer.origins.translate_all(&mut contained.errors);
        if !contained.errors.is_empty() {
            return Err(Error::spec(path, contained.errors));
        }
        warnings.extend(contained.warnings);
        skipped.extend(contained.skipped);
    }
    let message =
        format!("more than {MAX_LEFT_OUT} operations or components cannot be read; fix the first ones reported");
    Err(Error::spec(path, vec![SpecError::new("#", message)]))
}

/// How many malformed parts one spec may lose before loading gives up.
const MAX_LEFT_OUT: usize = 200;

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

/// Reverses [`escape_pointer_token`] (RFC 6901): `~1` becomes `/`, then `~0` becomes `~`, in
/// that order, so that `~01` is `~1`.
pub fn unescape_pointer_token(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// The name of the component a local `$ref` names in one section of `components`, unescaped:
/// `#/components/schemas/a~1b` is the schema `a/b`. `None` when the reference points elsewhere,
/// or inside a component (`#/components/schemas/A/properties/b`).
pub fn component_name<'r>(reference: &'r str, section: &str) -> Option<Cow<'r, str>> {
    name_under(reference.strip_prefix("#/components/")?.strip_prefix(section)?, "/")
}

/// The name a local `$ref` gives right under `prefix`, unescaped: under `#/definitions/`,
/// `#/definitions/a~1b` names `a/b`. `None` when the reference does not start with `prefix`, or
/// points deeper (`#/definitions/A/properties/b`).
pub fn name_under<'r>(reference: &'r str, prefix: &str) -> Option<Cow<'r, str>> {
    let token = reference.strip_prefix(prefix)?;
    (!token.contains('/')).then(|| unescape_pointer_token(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_unescaped_and_component_names_taken_from_references() {
        for name in ["a/b", "x~y", "~1", "a~/~b", "plain"] {
            assert_eq!(unescape_pointer_token(&escape_pointer_token(name)), name);
        }
        assert_eq!(unescape_pointer_token("~01"), "~1");
        assert_eq!(component_name("#/components/schemas/a~1b", "schemas").as_deref(), Some("a/b"));
        assert_eq!(component_name("#/components/schemas/x~0y", "schemas").as_deref(), Some("x~y"));
        assert_eq!(component_name("#/components/responses/a~1b", "schemas"), None);
        assert_eq!(component_name("#/components/schemasX/a", "schemas"), None);
        assert_eq!(component_name("#/components/schemas/A/properties/b", "schemas"), None);
        assert_eq!(component_name("other.yaml#/components/schemas/A", "schemas"), None);
        assert_eq!(name_under("#/definitions/a~1b", "#/definitions/").as_deref(), Some("a/b"));
        assert_eq!(name_under("#/definitions/A/properties/b", "#/definitions/"), None);
        assert_eq!(name_under("#/parameters/a", "#/definitions/"), None);
    }

    fn parse_str(text: &str) -> Result<OpenAPI, Error> {
        parse(Path::new("spec.yaml"), text).map(|loaded| loaded.document)
    }

    /// The YAML specs at hand: ours, the fixtures, and the corpus in `../shared/specs` when it is
    /// there (CI has it), multi-file specs included.
    fn yaml_specs() -> Vec<std::path::PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut found = vec![root.join("spec/openapi.yaml")];
        let mut pending = vec![root.join("tests/fixtures"), root.join("../shared/specs")];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    if !path.ends_with("expected") {
                        pending.push(path);
                    }
                } else if path.extension().is_some_and(|ext| ext == "yaml" || ext == "yml") {
                    found.push(path);
                }
            }
        }
        found.sort();
        found
    }

    #[test]
    fn reading_straight_gives_the_same_document_when_the_tree_was_untouched() {
        let mut straight_used = 0;
        for path in yaml_specs() {
            let text = std::fs::read_to_string(&path).unwrap();
            if !raw::reads_as_yaml(&path, &text) {
                continue;
            }
            let Ok(prepared) = prepare(&path, &text) else { continue };
            let Ok(straight) = serde_yaml::from_str::<OpenAPI>(&text) else { continue };
            if prepared.untouched {
                let from_tree = OpenAPI::deserialize(prepared.value).expect("an untouched tree deserializes");
                assert!(straight == from_tree, "{}: reading straight differs from the tree", path.display());
                straight_used += 1;
            }
        }
        assert!(straight_used >= 2, "only {straight_used} specs were read straight");
    }

    #[test]
    fn scalar_keys_and_huge_integers_are_not_untouched() {
        let base = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n";
        assert!(prepare(Path::new("a.yaml"), base).unwrap().untouched);
        let unquoted = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n";
        assert!(!prepare(Path::new("a.yaml"), unquoted).unwrap().untouched);
        let huge = format!("{base}x-big: 123456789012345678901234567890\n");
        assert!(!prepare(Path::new("a.yaml"), &huge).unwrap().untouched);
        // Either way the document is the one the tree gives.
        let loaded = parse_str(unquoted).unwrap();
        assert!(loaded.paths.paths.contains_key("/a"));
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
    fn swagger_two_and_openapi_three_one_are_read() {
        let swagger =
            parse(Path::new("spec.yaml"), "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n").unwrap();
        assert_eq!(swagger.version, Version::Swagger2);
        let three_one = parse(Path::new("spec.yaml"), "openapi: 3.1.0\ninfo: {title: x, version: '1'}\n").unwrap();
        assert_eq!(three_one.version, Version::OpenApi31);
        let error = parse_str("openapi: 4.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n").unwrap_err();
        assert!(error.to_string().contains("#/openapi"), "{error}");
    }

    #[test]
    fn malformed_node_is_located_by_pointer() {
        // In an operation, it costs the operation.
        let text = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let loaded = parse(Path::new("spec.yaml"), text).unwrap();
        let warning = loaded.warnings[0].to_string();
        assert!(warning.starts_with("at #/paths/~1a/get/responses: `responses` must be a mapping"), "{warning}");
        assert_eq!(loaded.skipped.len(), 1);
        // In the document's own shape, it is an error.
        let error = parse_str("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\nservers: 7\n").unwrap_err();
        assert!(error.to_string().contains("at #/servers"), "{error}");
    }
}
