//! Rust names decided from spec text: crate names, titles, operation ids and schema names that are
//! keywords, names the generated crate itself uses, digits, punctuation, format braces or non-ASCII.
//!
//! - `fuzzed_names_never_panic`: a proptest over such names; generation ends in `Ok` or in spec
//!   errors with pointers, never a panic or invalid Rust (`NAMES_CASES` sets the case count).
//! - `adversarial_names_compile`: a few fixed specs built from the same names (among them
//!   `ClientBuilder`'s fields such as `settings` as a security scheme), generated and
//!   compiled with a real `cargo check --offline`, in the target directory the other compiled
//!   crates share.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use generator::{Error, Options};
use pipeline_tests::scratch::ScratchCrate;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Names that have broken, or could break, generated code.
const NAMES: &[&str] = &[
    "request",
    "report",
    "attempt",
    "send",
    "builder",
    "base_url",
    "new",
    "clone",
    "fmt",
    "from_env",
    "timeout",
    "http",
    "retry",
    "build",
    "environment",
    "settings",
    "transport",
    "host",
    "default",
    "deadline",
    "with_timeout",
    "Client",
    "ClientBuilder",
    "Error",
    "BuildError",
    "Secret",
    "Environment",
    "RetryPolicy",
    "Binary",
    "Validate",
    "ValidationError",
    "FieldPath",
    "ApiError",
    "ApiResponse",
    "Nullable",
    "MockServer",
    "Settings",
    "Foo",
    "FooBuilder",
    "FooParams",
    "D",
    "S",
    "E",
    "T",
    "Self",
    "self",
    "crate",
    "super",
    "type",
    "fn",
    "async",
    "String",
    "Option",
    "3scale",
    "2fa",
    "x.y",
    "a b",
    "{id}",
    "{}",
    "{{",
    "}",
    "%s",
    "\"quoted\"",
    "back\\slash",
    "é",
    "日本",
    "emoji 😀",
    "-",
    "_",
    "__",
    "",
    "test",
    "std",
    "core",
    "types",
    "client",
    "error",
    "validation",
];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(NAMES).prop_map(str::to_string),
        (prop::sample::select(NAMES), prop::sample::select(NAMES)).prop_map(|(a, b)| format!("{a}{b}")),
        "[ -~]{0,12}",
    ]
}

/// A spec with the given title, operation ids and schema names: every operation sends and
/// returns one of the schemas, and one security scheme is named by a fuzzed name too.
fn spec(title: &str, crate_name: Option<&str>, operations: &[String], schemas: &[String], scheme: &str) -> String {
    let mut components = serde_json::Map::new();
    for (index, name) in schemas.iter().enumerate() {
        let next =
            schemas.get(index + 1).map(|n| format!("#/components/schemas/{}", n.replace('~', "~0").replace('/', "~1")));
        let mut properties = serde_json::json!({ name.clone(): {"type": "string"}, "id": {"type": "integer"} });
        if let Some(next) = next {
            properties["next"] = serde_json::json!({"$ref": next});
        }
        components.insert(name.clone(), serde_json::json!({"type": "object", "properties": properties}));
    }
    let mut paths = serde_json::Map::new();
    for (index, id) in operations.iter().enumerate() {
        let mut operation = serde_json::json!({"operationId": id, "responses": {"200": {"description": "ok"}}});
        if let Some(schema) = schemas.get(index % schemas.len().max(1)) {
            let reference = format!("#/components/schemas/{}", schema.replace('~', "~0").replace('/', "~1"));
            operation["requestBody"] =
                serde_json::json!({"required": true, "content": {"application/json": {"schema": {"$ref": reference}}}});
            operation["responses"]["200"]["content"] = serde_json::json!({"application/json": {
                "schema": {"$ref": reference}, "example": {"id": 1}}});
        }
        paths.insert(format!("/op{index}"), serde_json::json!({ "post": operation }));
    }
    let mut info = serde_json::json!({"title": title, "version": "1"});
    if let Some(crate_name) = crate_name {
        info["x-crate-name"] = serde_json::json!(crate_name);
    }
    serde_json::to_string_pretty(&serde_json::json!({
        "openapi": "3.0.3",
        "info": info,
        "servers": [{"url": "https://api.example.test", "description": scheme}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {scheme: {"type": "apiKey", "in": "header", "name": "X-Key"}},
        },
        "security": [{scheme: []}],
    }))
    .expect("JSON prints")
}

fn generate(text: &str, crate_name: Option<String>) -> Result<generator::GeneratedFiles, Error> {
    let options = Options { crate_name, spec_label: "names.json".into(), ..Options::default() };
    generator::generate_from_text(Path::new("names.json"), text, &options).map(|generated| generated.files)
}

#[test]
fn fuzzed_names_never_panic() {
    let cases = std::env::var("NAMES_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(96);
    let mut runner = TestRunner::new_with_rng(
        Config { cases, failure_persistence: None, ..Config::default() },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let strategy = (
        name(),
        prop::option::of(name()),
        prop::option::of(name()),
        prop::collection::vec(name(), 1..5),
        prop::collection::vec(name(), 0..5),
        name(),
    );
    runner
        .run(&strategy, |(title, x_crate_name, cli_crate_name, operations, schemas, scheme)| {
            let text = spec(&title, x_crate_name.as_deref(), &operations, &schemas, &scheme);
            let result = catch_unwind(AssertUnwindSafe(|| generate(&text, cli_crate_name.clone())));
            match result {
                Err(_) => Err(TestCaseError::fail(format!("the generator panicked on\n{text}"))),
                Ok(Err(Error::Internal { file, message })) => {
                    Err(TestCaseError::fail(format!("invalid Rust in {file}: {message}\n{text}")))
                }
                Ok(Err(Error::Spec { errors, .. })) if errors.iter().any(|e| !e.pointer.starts_with('#')) => {
                    Err(TestCaseError::fail(format!("an error without a pointer: {errors:?}")))
                }
                Ok(_) => Ok(()),
            }
        })
        .unwrap_or_else(|error| panic!("{error}"));
}

#[test]
fn adversarial_names_compile() {
    // Title, crate name, operation ids, schema names and the security scheme's name.
    type Case = (&'static str, Option<&'static str>, &'static [&'static str], &'static [&'static str], &'static str);
    let cases: [Case; 4] = [
        // Client's private methods as operations, schemas named like the crate's own types.
        ("3scale API", None, &["request", "report", "attempt", "send"], &["Client", "Error", "Secret", "D"], "timeout"),
        // A schema named like another's builder, keywords and braces everywhere.
        ("{self}", Some("self"), &["{id}", "type", "builder", "x.y"], &["Foo", "FooBuilder", "type", "{}"], "retry"),
        // Names of `ClientBuilder`'s fields and methods, and of the runtime's types, as a
        // security scheme, operations and schemas.
        (
            "Builder fields",
            None,
            &["settings", "with_timeout", "host", "deadline"],
            &["Settings", "Transport", "Nullable", "ApiResponse"],
            "settings",
        ),
        // Non-ASCII and punctuation only.
        ("日本 API ✓", None, &["日本", "-", "%s"], &["é", "_", "ValidationError"], "http"),
    ];
    let owned = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    let specs = cases.map(|(title, crate_name, operations, schemas, scheme)| {
        // A spec that names its crate (`self`) gets a caller's name too, as `--crate-name` gives.
        let override_name = crate_name.map(|_| "fuzz-names-two".to_string());
        (spec(title, crate_name, &owned(operations), &owned(schemas), scheme), override_name)
    });
    for (index, (text, cli_name)) in specs.iter().enumerate() {
        let files = match generate(text, cli_name.clone()) {
            Ok(files) => files,
            Err(error) => panic!("spec {index} does not generate: {error}\n{text}"),
        };
        if let Err(stderr) = ScratchCrate::write(&files, &format!("names-compile-spec{index}")).check() {
            panic!("spec {index} does not compile:\n{stderr}\n{text}");
        }
    }
}
