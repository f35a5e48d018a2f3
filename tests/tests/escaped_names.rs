//! Names that must be escaped where the generator writes them: component schemas named `a/b`
//! and `x~y`, which a `$ref` writes `a~1b` and `x~0y` (JSON pointer, RFC 6901), and an error
//! body's property named `code{x}`, which must not become part of a format string.
//!
//! - `escaped_references_resolve_to_typed_schemas`: the schemas get types, with no warning.
//! - `operation_selection_keeps_schemas_referenced_with_escapes`: `--operation` keeps them.
//! - `error_fields_with_braces_are_written_as_data`: `code{x}` reaches `api_error.rs` only as a
//!   string literal, and the crate compiles (a real `cargo check --offline`).

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::{Generated, Options};
use pipeline_tests::workspace_root;

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Escapes, version: "1"}
paths:
  /things:
    get:
      operationId: getThing
      responses:
        '200':
          description: A thing.
          content: {application/json: {schema: {$ref: '#/components/schemas/a~1b'}}}
        '400':
          description: A problem.
          content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}
  /choices:
    get:
      operationId: getChoice
      responses:
        '200':
          description: One of two.
          content: {application/json: {schema: {$ref: '#/components/schemas/Either'}}}
  /others:
    get:
      operationId: getOther
      responses:
        '200':
          description: Another thing.
          content: {application/json: {schema: {$ref: '#/components/schemas/Other'}}}
        '404':
          description: An error body named like the catch-all of `ApiError`.
          content: {application/json: {schema: {$ref: '#/components/schemas/Other'}}}
components:
  schemas:
    a/b:
      type: object
      required: [inner]
      properties:
        inner: {$ref: '#/components/schemas/x~0y'}
        more:
          allOf: [{$ref: '#/components/schemas/x~0y'}]
    x~y:
      type: object
      properties:
        n: {type: integer}
    Either:
      oneOf:
        - {$ref: '#/components/schemas/a~1b'}
        - {$ref: '#/components/schemas/x~0y'}
    Problem:
      type: object
      properties:
        code{x}: {type: string}
        '}{': {type: integer}
        message: {type: string}
    Other:
      type: object
      properties:
        z: {type: string}
"#;

fn generate(operations: &[&str]) -> Generated {
    let options = Options {
        crate_name: Some("escaped-names".into()),
        spec_label: "escapes.yaml".into(),
        operations: operations.iter().map(|operation| operation.to_string()).collect(),
        ..Options::default()
    };
    generator::generate_from_text(Path::new("escapes.yaml"), SPEC, &options).unwrap_or_else(|error| panic!("{error}"))
}

fn file<'a>(generated: &'a Generated, path: &str) -> &'a str {
    generated.files.get(path).unwrap_or_else(|| panic!("{path} is generated"))
}

/// Every file of types (`src/types.rs` and the areas' modules under `src/types/`), joined.
fn all_types(generated: &Generated) -> String {
    generated.files.iter().filter(|file| file.path.starts_with("src/types")).map(|file| file.contents).collect()
}

/// The text of the item `pub struct {name}` (or enum) in `types.rs`, up to its closing brace.
fn item<'a>(types: &'a str, keyword: &str, name: &str) -> &'a str {
    let start =
        types.find(&format!("pub {keyword} {name} {{")).unwrap_or_else(|| panic!("no {keyword} {name}:\n{types}"));
    let end = types[start..].find("\n}").map_or(types.len(), |end| start + end);
    &types[start..end]
}

#[test]
fn escaped_references_resolve_to_typed_schemas() {
    let generated = generate(&[]);
    assert!(generated.warnings.is_empty(), "{:#?}", generated.warnings);
    assert_eq!(generated.summary.schemas_opaque, 0);
    let types = &all_types(&generated);
    let a_b = item(types, "struct", "AB");
    assert!(a_b.contains("pub inner: XY,"), "{a_b}");
    assert!(a_b.contains("pub more: Option<XY>,"), "{a_b}");
    assert!(item(types, "struct", "XY").contains("pub n: Option<i64>,"), "{types}");
    let either = item(types, "enum", "Either");
    assert!(either.contains("(AB)") && either.contains("(XY)"), "{either}");
    assert!(!types.contains("~1") && !types.contains("~0"), "{types}");
}

#[test]
fn operation_selection_keeps_schemas_referenced_with_escapes() {
    let generated = generate(&["getThing"]);
    assert!(generated.warnings.is_empty(), "{:#?}", generated.warnings);
    let types = &all_types(&generated);
    assert!(item(types, "struct", "AB").contains("pub inner: XY,"), "{types}");
    item(types, "struct", "XY");
    assert!(!types.contains("pub struct Other"), "{types}");
}

#[test]
fn error_fields_with_braces_are_written_as_data() {
    let generated = generate(&[]);
    let api_error = file(&generated, "src/api_error.rs");
    assert!(api_error.contains(r#"f.write_str(" code{x}=")?;"#), "{api_error}");
    assert!(api_error.contains(r#"f.write_str(" }{=")?;"#), "{api_error}");
    // An error schema named `Other` is a variant of its own beside the catch-all, not dropped.
    assert!(api_error.contains("Other2(crate::types::Other)"), "{api_error}");
    // Every format string of the file is one the generator wrote, never spec text.
    for (at, _) in api_error.match_indices("write!(") {
        let call = &api_error[at..api_error[at..].find(';').map_or(api_error.len(), |end| at + end)];
        assert!(
            call.starts_with(r#"write!(f, "{}", "#) || call.starts_with(r#"write!(f, "{variant} {{")"#),
            "a format string built from spec text: {call}"
        );
    }
    check_compiles(&generated);
}

/// Writes the crate to a scratch directory and runs `cargo check` on it, offline, with the
/// workspace's lock file and the target directory the other compiled fixtures share.
fn check_compiles(generated: &Generated) {
    let dir = std::env::temp_dir().join(format!("escaped-names-{}", std::process::id()));
    generated.files.write_to(&dir).expect("the crate is written");
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("the lock file is copied");
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target"));
    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--all-targets"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", target.join("corpus"))
        .output()
        .expect("cargo runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(output.status.success(), "the crate does not compile:\n{}", String::from_utf8_lossy(&output.stderr));
}
