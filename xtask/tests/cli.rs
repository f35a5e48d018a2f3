//! `cargo xtask codegen` as a user runs it: exit codes, messages on bad input, and an output
//! directory that stays byte-for-byte unchanged whenever generation fails.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

const VALID_SPEC: &str = "\
openapi: 3.0.3
info: {title: Tiny, version: '1'}
servers: [{url: 'https://api.example.test', description: Main}]
paths:
  /ping:
    post:
      operationId: ping
      responses:
        '200':
          description: Pong.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pong'}
components:
  schemas:
    Pong:
      type: object
      properties:
        at: {type: string}
";

/// A scratch directory holding `spec.yaml` and an output directory with a sentinel file.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str, spec: Option<&str>) -> Self {
        let dir = std::env::temp_dir().join(format!("xtask-cli-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("out/src")).unwrap();
        fs::write(dir.join("out/src/lib.rs"), "// the previous output\n").unwrap();
        if let Some(spec) = spec {
            fs::write(dir.join("spec.yaml"), spec).unwrap();
        }
        Scratch { dir }
    }

    fn spec(&self) -> PathBuf {
        self.dir.join("spec.yaml")
    }

    fn out(&self) -> PathBuf {
        self.dir.join("out")
    }

    fn codegen(&self, extra: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("codegen")
            .arg("--spec")
            .arg(self.spec())
            .arg("--out")
            .arg(self.out())
            .args(["--crate-name", "tiny-client"])
            .args(extra)
            .output()
            .unwrap()
    }

    fn assert_output_untouched(&self) {
        assert_eq!(fs::read_to_string(self.out().join("src/lib.rs")).unwrap(), "// the previous output\n");
        assert_eq!(fs::read_dir(self.out().join("src")).unwrap().count(), 1);
        assert!(!self.out().join("Cargo.toml").exists());
    }
}

/// Runs codegen on a bad spec and returns stderr after checking what every failure must do.
fn failing_run(name: &str, spec: Option<&str>) -> (String, PathBuf) {
    failing_run_with(name, spec, &[])
}

fn failing_run_with(name: &str, spec: Option<&str>, extra: &[&str]) -> (String, PathBuf) {
    let scratch = Scratch::new(name, spec);
    let output = scratch.codegen(extra);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!output.status.success(), "expected failure, stderr: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{stderr}");
    assert!(!stderr.trim().contains("\n\n"), "the error should be one paragraph: {stderr}");
    assert!(stderr.contains(&scratch.spec().display().to_string()), "the error names the file: {stderr}");
    scratch.assert_output_untouched();
    (stderr, scratch.dir)
}

fn contains_all(haystack: &str, needles: &[&str]) {
    for needle in needles {
        assert!(haystack.contains(needle), "`{needle}` missing from: {haystack}");
    }
}

#[test]
fn missing_spec_file() {
    let (stderr, _) = failing_run("missing", None);
    contains_all(&stderr, &["cannot read spec"]);
}

#[test]
fn invalid_yaml_reports_line_and_column() {
    let (stderr, dir) = failing_run("yaml", Some("openapi: 3.0.3\ninfo:\n  title: [unclosed\n  version: 1\n"));
    let location = format!("{}:", dir.join("spec.yaml").display());
    contains_all(&stderr, &[&location, "not valid YAML"]);
    let after = &stderr[stderr.find(&location).unwrap() + location.len()..];
    let mut numbers = after.split(':').take(2).map(|n| n.trim().parse::<usize>());
    assert!(numbers.all(|n| n.is_ok()), "line and column expected: {stderr}");
}

#[test]
fn versions_other_than_swagger_two_and_openapi_three_are_refused() {
    let (stderr, _) = failing_run("swagger", Some("swagger: '1.2'\ninfo: {title: x, version: '1'}\npaths: {}\n"));
    contains_all(&stderr, &["#/swagger", "Swagger 2.0"]);
    let (stderr, _) = failing_run("v4", Some("openapi: 4.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n"));
    contains_all(&stderr, &["#/openapi", "4.0.0"]);
}

#[test]
fn swagger_two_and_openapi_three_one_generate() {
    let swagger = "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200': {description: ok, schema: {type: string, x-nullable: true}}\n";
    let scratch = Scratch::new("swagger-ok", Some(swagger));
    let output = scratch.codegen(&[]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let v31 = "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {type: [string, 'null']}}}\n";
    let scratch = Scratch::new("v31-ok", Some(v31));
    let output = scratch.codegen(&[]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(scratch.out().join("src/client.rs").exists(), "the crate is written");
}

/// Runs codegen on a spec that generates with warnings; returns stderr after checking that the
/// crate was written and the summary line printed.
fn degraded_run(name: &str, spec: &str) -> (String, Scratch) {
    let scratch = Scratch::new(name, Some(spec));
    let output = scratch.codegen(&[]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "a construct the generator cannot express must not fail the spec: {stderr}");
    assert!(scratch.out().join("Cargo.toml").exists(), "the crate is written");
    let file = scratch.spec().display().to_string();
    for line in stderr.lines().filter(|line| line.starts_with("warning: ")) {
        assert!(line.starts_with(&format!("warning: {file}: at #/")), "a warning names the file and a pointer: {line}");
    }
    assert!(stderr.lines().last().unwrap_or_default().starts_with("generated "), "the summary comes last: {stderr}");
    (stderr, scratch)
}

#[test]
fn dangling_reference_is_located() {
    let spec = VALID_SPEC.replace("at: {type: string}", "at: {$ref: '#/components/schemas/Missing'}");
    let (stderr, _) = degraded_run("dangling", &spec);
    contains_all(
        &stderr,
        &["#/components/schemas/Pong/properties/at/$ref", "Missing", "does not exist", "serde_json::Value"],
    );
    let (stderr, _) = failing_run_with("dangling-strict", Some(&spec), &["--strict"]);
    contains_all(&stderr, &["#/components/schemas/Pong/properties/at/$ref", "does not exist", "--strict"]);
}

#[test]
fn unsupported_construct_is_located() {
    let spec = VALID_SPEC.replace("at: {type: string}", "at: {not: {type: integer}}");
    let (stderr, scratch) = degraded_run("not", &spec);
    contains_all(&stderr, &["at #/components/schemas/Pong/properties/at: `not`", "typed as JSON"]);
    contains_all(&stderr, &["generated 1 of 1 operations (0 skipped), 1 schemas typed, 1 as JSON, 1 warning\n"]);
    let types = fs::read_to_string(scratch.out().join("src/types.rs")).unwrap();
    assert!(types.contains("pub at: Option<serde_json::Value>"), "only the property is given up: {types}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let spec = VALID_SPEC
        .replace("at: {type: string}", "at: {$ref: '#/components/schemas/Nope'}\n        other: {not: {type: string}}");
    let (stderr, _) = degraded_run("several", &spec);
    contains_all(&stderr, &["properties/at/$ref", "properties/other", "`not`", "2 as JSON, 2 warnings"]);
    let (stderr, _) = failing_run_with("several-strict", Some(&spec), &["--strict"]);
    contains_all(&stderr, &["properties/at/$ref", "properties/other", "2 warnings with --strict"]);
}

#[test]
fn an_operation_that_cannot_be_expressed_is_skipped() {
    let extra = "  /tags/{id}:\n    get:\n      operationId: listTags\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: blob, in: query, schema: {type: string, format: binary}}\n      responses:\n        '204': {description: Done.}\ncomponents:\n";
    let spec = VALID_SPEC.replace("components:\n", extra);
    let (stderr, scratch) = degraded_run("skip", &spec);
    contains_all(
        &stderr,
        &[
            "at #/paths/~1tags~1{id}/get/parameters/1/schema: binary (`format: binary`) parameters",
            "the operation `listTags` (`GET /tags/{id}`) is skipped",
            "generated 1 of 2 operations (1 skipped), 1 schemas typed, 0 as JSON,",
        ],
    );
    let client = fs::read_to_string(scratch.out().join("src/client.rs")).unwrap();
    assert!(client.contains("pub async fn ping") && !client.contains("list_tags"), "{client}");
    let docs = fs::read_to_string(scratch.out().join("src/lib.rs")).unwrap();
    contains_all(&docs, &["//! # Not generated", "//! - `GET /tags/{id}` (`listTags`): binary (`format: binary`)"]);
    failing_run_with("skip-strict", Some(&spec), &["--strict"]);
}

#[test]
fn a_spec_with_nothing_left_fails() {
    let spec = VALID_SPEC.replace("    post:\n      operationId: ping\n", "    post:\n      operationId: ping\n      parameters:\n        - {name: q, in: query, schema: {not: {type: string}}}\n");
    let (stderr, _) = failing_run("nothing-left", Some(&spec));
    contains_all(&stderr, &["#/paths/~1ping/post/parameters/0/schema", "`not`"]);
}

#[test]
fn writes_then_checks_clean_then_reports_a_stale_file() {
    let scratch = Scratch::new("check", Some(VALID_SPEC));
    fs::remove_file(scratch.out().join("src/lib.rs")).unwrap();
    let write = scratch.codegen(&[]);
    assert!(write.status.success(), "{}", String::from_utf8_lossy(&write.stderr));
    let check = scratch.codegen(&["--check"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));

    let types = scratch.out().join("src/types.rs");
    let edited = fs::read_to_string(&types).unwrap().replace("pub at:", "pub at_renamed:");
    fs::write(&types, &edited).unwrap();
    let check = scratch.codegen(&["--check"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{stderr}");
    contains_all(&stderr, &["a/src/types.rs", "-    pub at_renamed:", "+    pub at:", "run `cargo xtask codegen`"]);
    assert_eq!(fs::read_to_string(&types).unwrap(), edited, "--check never writes");
}

#[test]
fn unknown_arguments_are_usage_errors() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask")).args(["codegen", "--frobnicate"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: cargo xtask codegen"));
}

/// Runs codegen with a config file and expects it refused: returns stderr after checking that the error names the
/// config file with a line and column, and that nothing was written.
fn refused_config(name: &str, config: &str, beside: bool) -> (String, PathBuf) {
    let scratch = Scratch::new(name, Some(VALID_SPEC));
    let config_path = if beside { scratch.dir.join("codegen.toml") } else { scratch.dir.join("elsewhere.toml") };
    fs::write(&config_path, config).unwrap();
    let flag = config_path.display().to_string();
    let output = if beside { scratch.codegen(&[]) } else { scratch.codegen(&["--config", &flag]) };
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with(&format!("error: {flag}:")), "the error names the config file: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    scratch.assert_output_untouched();
    (stderr, config_path)
}

#[test]
fn an_unknown_config_key_names_the_file_and_line() {
    let config = "[package]\nversion = \"1.0.0\"\n\n[formats]\ndecimal = \"String\"\n\n[format]\nuuid = \"String\"\n";
    let (stderr, path) = refused_config("config-unknown", config, true);
    contains_all(&stderr, &[&format!("{}:7:2: unknown field `format`", path.display()), "nothing was written"]);
    let config = "[package]\nversion = \"1.0.0\"\nlicence = \"MIT\"\n";
    let (stderr, path) = refused_config("config-unknown-package", config, true);
    contains_all(&stderr, &[&format!("{}:3:1: unknown field `licence`, expected one of", path.display()), "`license`"]);
}

#[test]
fn an_invalid_type_path_names_the_file_and_line() {
    let config = "# types\n[schemas]\nPong = \"Vec<u8\"\n";
    let (stderr, path) = refused_config("config-type", config, false);
    contains_all(&stderr, &[&format!("{}:3:8: `Vec<u8` is not a Rust type", path.display())]);
    let config = "[fields]\nPong.at = \"Uuid\"\n";
    let (stderr, _) = refused_config("config-scope", config, false);
    contains_all(&stderr, &["`Uuid` is not in scope in the generated crate", "e.g. `my_crate::Uuid`"]);
}

#[test]
fn a_config_maps_types_and_sets_the_package() {
    let scratch = Scratch::new("config-ok", Some(VALID_SPEC));
    fs::remove_file(scratch.out().join("src/lib.rs")).unwrap();
    let config = "[package]\nversion = \"3.1.4\"\nlicense = \"MIT\"\n[schemas]\nPong = \"serde_json::Value\"\n\
                  [derives]\n\"*\" = [\"Eq\"]\n[dependencies]\nuuid = { version = \"1\", features = [\"serde\"] }\n";
    fs::write(scratch.dir.join("codegen.toml"), config).unwrap();
    let output = scratch.codegen(&[]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let manifest = fs::read_to_string(scratch.out().join("Cargo.toml")).unwrap();
    contains_all(
        &manifest,
        &["version = \"3.1.4\"", "license = \"MIT\"", "uuid = { version = \"1\", features = [\"serde\"] }"],
    );
    let types = fs::read_to_string(scratch.out().join("src/types.rs")).unwrap();
    contains_all(&types, &["pub type Pong = serde_json::Value;"]);
    assert!(!types.contains("pub struct Pong"), "{types}");
    let missing = scratch.codegen(&["--config", "/nonexistent/codegen.toml", "--check"]);
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.starts_with("error: /nonexistent/codegen.toml: cannot read the config"), "{stderr}");
}
