//! `cargo xtask spec-diff`, run as a user runs it: one edit to a base spec
//! (`xtask/tests/spec_diff/base.yaml`) per rule, and the classification, version bump and
//! exit status that edit must get.

use std::path::{Path, PathBuf};
use std::process::Command;

fn base() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/spec_diff/base.yaml");
    std::fs::read_to_string(path).expect("the base spec is readable")
}

/// Runs `spec_diff_of` on the base spec and `edit` applied to it.
fn spec_diff(name: &str, edit: impl Fn(&str) -> String, extra: &[&str]) -> (i32, serde_json::Value) {
    let base = base();
    let edited = edit(&base);
    assert_ne!(edited, base, "{name}: the edit changes nothing");
    spec_diff_of(name, &base, &edited, extra)
}

/// Writes OLD and NEW, runs `spec-diff OLD NEW --format json` with `extra` arguments, and
/// returns the exit status and the report.
fn spec_diff_of(name: &str, old_text: &str, new_text: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let dir = std::env::temp_dir().join(format!("spec-diff-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (old, new): (PathBuf, PathBuf) = (dir.join("old.yaml"), dir.join("new.yaml"));
    std::fs::write(&old, old_text).unwrap();
    std::fs::write(&new, new_text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("spec-diff")
        .args([&old, &new])
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report = serde_json::from_str(&stdout).unwrap_or_else(|error| {
        panic!("{name}: not JSON ({error}): {stdout}\n{}", String::from_utf8_lossy(&output.stderr))
    });
    (output.status.code().unwrap_or(-1), report)
}

/// Asserts that the report has a change of `impact` whose subject and text contain the given
/// pieces, and the exit status that goes with the report.
fn expect(name: &str, edit: impl Fn(&str) -> String, impact: &str, subject: &str, change: &str) -> serde_json::Value {
    let (code, report) = spec_diff(name, edit, &[]);
    let changes = report["changes"].as_array().unwrap();
    let found = changes.iter().any(|c| {
        c["impact"] == impact
            && c["subject"].as_str().unwrap().contains(subject)
            && c["change"].as_str().unwrap().contains(change)
    });
    assert!(found, "{name}: no {impact} change of {subject} ({change}) in {report:#}");
    let breaking = report["breaking"].as_u64().unwrap() > 0;
    assert_eq!(code, if breaking { 1 } else { 0 }, "{name}: exit status for {report:#}");
    report
}

fn replace(from: &'static str, to: &'static str) -> impl Fn(&str) -> String {
    move |text: &str| {
        assert!(text.contains(from), "the base spec has no `{from}`");
        text.replacen(from, to, 1)
    }
}

#[test]
fn removed_operation_is_breaking_and_added_is_compatible() {
    let without_stores = |text: &str| {
        text[..text.find("  /stores/list:").unwrap()].to_string() + &text[text.find("components:").unwrap()..]
    };
    let report = expect("op-removed", without_stores, "breaking", "operation `listStores`", "removed");
    assert_eq!(report["bump"], "major");
    assert_eq!(report["next_version"], "0.2.0", "before 1.0 a breaking change bumps the minor number");
    let with_stores = |text: &str| {
        text.replacen("/stores/list:", "/stores/all:\n    get:\n      operationId: allStores\n      responses:\n        '204': {description: none}\n  /stores/list:", 1)
    };
    let report = expect("op-added", with_stores, "compatible", "operation `allStores`", "added");
    assert_eq!(report["bump"], "minor");
    assert_eq!(report["next_version"], "0.1.1");
}

#[test]
fn response_fields_removed_break_and_added_do_not() {
    expect(
        "resp-field-removed",
        replace("        age:\n          type: integer\n", ""),
        "breaking",
        "type `Pet`: field `age`",
        "removed",
    );
    expect(
        "resp-field-added",
        replace("        age:\n", "        color:\n          type: string\n        age:\n"),
        "compatible",
        "type `Pet`: field `color`",
        "added",
    );
}

#[test]
fn new_required_request_fields_break_and_optional_ones_do_not() {
    let required = |text: &str| {
        replace("      required: [name]\n", "      required: [name, owner]\n")(text).replacen(
            "        kind:\n",
            "        owner:\n          type: string\n        kind:\n",
            1,
        )
    };
    expect("req-field-required", required, "breaking", "type `PetQuery`: field `owner`", "required");
    expect(
        "req-field-optional",
        replace("        kind:\n", "        owner:\n          type: string\n        kind:\n"),
        "compatible",
        "type `PetQuery`: field `owner`",
        "optional",
    );
}

#[test]
fn optional_to_required_breaks_a_request_and_required_to_optional_or_nullable_breaks_a_response() {
    expect(
        "req-now-required",
        replace("      required: [name]\n", "      required: [name, kind]\n"),
        "breaking",
        "type `PetQuery`: field `kind`",
        "now required (was optional)",
    );
    expect(
        "req-now-optional",
        replace("      required: [name]\n", "      required: []\n"),
        "compatible",
        "type `PetQuery`: field `name`",
        "now optional (was required)",
    );
    expect(
        "resp-now-optional",
        replace("      required: [name, status]\n", "      required: [status]\n"),
        "breaking",
        "type `Pet`: field `name`",
        "Option",
    );
    expect(
        "resp-now-nullable",
        replace(
            "        name:\n          type: string\n        age:",
            "        name:\n          type: string\n          nullable: true\n        age:",
        ),
        "breaking",
        "type `Pet`: field `name`",
        "nullable",
    );
}

#[test]
fn enum_values_removed_break_and_new_response_values_do_not() {
    expect("req-enum-removed", replace("enum: [dog, cat]", "enum: [dog]"), "breaking", "type `Kind`", "`cat` removed");
    expect(
        "resp-enum-added",
        replace("enum: [available, sold]", "enum: [available, sold, pending]"),
        "compatible",
        "type `Status`",
        "`pending` added",
    );
}

#[test]
fn changed_types_break() {
    expect(
        "type-changed",
        replace("        age:\n          type: integer\n", "        age:\n          type: string\n"),
        "breaking",
        "type `Pet`: field `age`",
        "type is now `string` (was `integer (i64)`)",
    );
}

#[test]
fn documentation_changes_are_docs_only_and_structural_ignores_them() {
    let edit = replace("description: The name to look for.", "description: The pet's name, exactly.");
    let report = expect("docs", &edit, "docs", "type `PetQuery`: field `name`", "documentation");
    assert_eq!(report["bump"], "patch");
    let (code, report) = spec_diff("docs-structural", &edit, &["--structural"]);
    assert_eq!(code, 0);
    assert_eq!(report["changes"].as_array().unwrap().len(), 0, "{report:#}");
    assert_eq!(report["bump"], "none");
}

#[test]
fn operations_can_be_selected_and_errors_exit_with_two() {
    // Removing `listStores` is invisible when only `searchPets` is compared.
    let without_stores = |text: &str| {
        text[..text.find("  /stores/list:").unwrap()].to_string() + &text[text.find("components:").unwrap()..]
    };
    let (code, report) = spec_diff("selected", without_stores, &["--operation", "searchPets"]);
    assert_eq!((code, report["changes"].as_array().unwrap().len()), (0, 0), "{report:#}");

    let missing = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["spec-diff", "does/not/exist.yaml", "neither.yaml"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does/not/exist.yaml"));
    let usage = Command::new(env!("CARGO_BIN_EXE_xtask")).args(["spec-diff", "only-one.yaml"]).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
}

/// A webhook payload that one spec describes as a callback of a selected operation and the
/// other only as a component schema, as Plaid does: with `--operation`, both sides keep it (and
/// what it reaches) and compare it by name, in either direction.
#[test]
fn callback_payloads_are_compared_with_same_named_components() {
    let components = "    PetEvent:\n      type: object\n      required: [kind]\n      properties:\n        kind: {$ref: '#/components/schemas/EventKind'}\n        pet: {type: string}\n    EventKind:\n      type: string\n      enum: [adopted, returned]\n";
    let callback = "      callbacks:\n        petChanged:\n          '{$request.body#/name}':\n            post:\n              requestBody:\n                required: true\n                content:\n                  application/json:\n                    schema: {$ref: '#/components/schemas/PetEvent'}\n              responses:\n                '200': {description: Taken.}\n";
    let base = base();
    let only_component = format!("{base}{components}");
    let as_callback =
        format!("{}{components}", base.replacen("  /stores/list:\n", &format!("{callback}  /stores/list:\n"), 1));
    assert!(as_callback.contains("callbacks:"), "the callback goes under `searchPets`");
    let selected = ["--operation", "searchPets", "--structural"];
    for (name, old, new) in [("cb-old", &as_callback, &only_component), ("cb-new", &only_component, &as_callback)] {
        let (code, report) = spec_diff_of(name, old, new, &selected);
        assert_eq!((code, report["changes"].as_array().unwrap().len()), (0, 0), "{name}: {report:#}");
    }
    // A difference inside the payload, or in a type only it reaches, is reported.
    let changed = only_component
        .replace("        pet: {type: string}", "        pet: {type: integer}")
        .replace(", returned]", "]");
    let (code, report) = spec_diff_of("cb-changed", &as_callback, &changed, &selected);
    let subjects: Vec<&str> =
        report["changes"].as_array().unwrap().iter().map(|c| c["subject"].as_str().unwrap()).collect();
    assert_eq!(subjects, ["type `EventKind`", "type `PetEvent`: field `pet`"], "{report:#}");
    assert_eq!(code, 1);
    // A payload the other spec lacks altogether is a removed type.
    let (code, report) = spec_diff_of("cb-missing", &as_callback, &base, &selected);
    assert_eq!(report["breaking"].as_u64(), Some(2), "PetEvent and EventKind: {report:#}");
    assert_eq!(code, 1);
}

/// Runs git in `dir`, failing the test if it fails.
fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

fn check(dir: &Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(dir)
        .args(["codegen", "--check", "--spec", "spec/openapi.yaml", "--out", "client"])
        .output()
        .unwrap();
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn a_stale_check_summarizes_spec_changes_and_recognizes_hand_edits() {
    let dir = std::env::temp_dir().join(format!("check-summary-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("spec")).unwrap();
    std::fs::write(dir.join("spec/openapi.yaml"), base()).unwrap();
    let generate = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(&dir)
        .args(["codegen", "--spec", "spec/openapi.yaml", "--out", "client"])
        .output()
        .unwrap();
    assert!(generate.status.success(), "{}", String::from_utf8_lossy(&generate.stderr));
    git(&dir, &["init", "--quiet"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "--quiet", "-m", "generated"]);
    assert_eq!(check(&dir).0, 0);

    // The spec changes and the client is not regenerated: the summary comes first.
    let edited = base().replacen("        age:\n          type: integer\n", "", 1);
    std::fs::write(dir.join("spec/openapi.yaml"), edited).unwrap();
    let (code, stderr) = check(&dir);
    assert_eq!(code, 1, "{stderr}");
    let summary_at = stderr.find("breaking    type `Pet`: field `age`").unwrap_or_else(|| panic!("{stderr}"));
    assert!(stderr.contains("1 breaking, 0 compatible, 0 docs-only change(s)"), "{stderr}");
    assert!(summary_at < stderr.find("--- a/src/types").unwrap(), "the summary comes before the diff: {stderr}");

    // The spec is as generated, and a generated file was edited: said so.
    std::fs::write(dir.join("spec/openapi.yaml"), base()).unwrap();
    // `Pet` is in `src/types.rs`, or in the module of the areas that use it.
    let modules =
        std::fs::read_dir(dir.join("client/src/types")).into_iter().flatten().flatten().map(|entry| entry.path());
    let (types, text) = std::iter::once(dir.join("client/src/types.rs"))
        .chain(modules)
        .map(|path| (path.clone(), std::fs::read_to_string(&path).unwrap()))
        .find(|(_, text)| text.contains("pub age:"))
        .expect("a file of types declares `Pet`");
    std::fs::write(&types, text.replacen("pub age:", "pub years:", 1)).unwrap();
    let (code, stderr) = check(&dir);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("were edited by hand"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn long_diffs_are_cut_with_a_count() {
    let dir = std::env::temp_dir().join(format!("check-cut-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("spec")).unwrap();
    std::fs::write(dir.join("spec/openapi.yaml"), base()).unwrap();
    // An output directory that was never generated: every line of every file is a difference.
    std::fs::create_dir_all(dir.join("client")).unwrap();
    let (code, stderr) = check(&dir);
    assert_eq!(code, 1);
    assert!(stderr.contains("more line(s) of diff cut"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn parameters_bodies_and_response_types_follow_the_method_signature() {
    let with_parameter = |required: bool| {
        move |text: &str| {
            let parameter = format!(
                "      parameters:\n        - name: region\n          in: query\n          required: {required}\n          schema: {{type: string}}\n"
            );
            text.replacen("      operationId: listStores\n", &format!("      operationId: listStores\n{parameter}"), 1)
        }
    };
    expect(
        "param-required",
        with_parameter(true),
        "breaking",
        "operation `listStores`: parameter `region`",
        "required",
    );
    expect(
        "param-optional",
        with_parameter(false),
        "compatible",
        "operation `listStores`: parameter `region`",
        "optional",
    );
    expect(
        "response-type",
        replace("                items: {type: string}\n", "                items: {type: integer}\n"),
        "breaking",
        "operation `listStores`",
        "now returns `array of integer (i64)` (was `array of string`)",
    );
    expect(
        "body-optional",
        replace("      requestBody:\n        required: true\n", "      requestBody:\n        required: false\n"),
        "breaking",
        "operation `searchPets`",
        "request body is now optional",
    );
}

#[test]
fn a_value_made_sensitive_changes_its_type_but_not_the_wire() {
    let edit = replace(
        "        name:\n          type: string\n          description: The name to look for.",
        "        name:\n          type: string\n          x-sensitive: true\n          description: The name to look for.",
    );
    expect("sensitive", &edit, "breaking", "type `PetQuery`: field `name`", "now sensitive (a `Secret`)");
    let (code, report) = spec_diff("sensitive-structural", &edit, &["--structural"]);
    assert_eq!((code, report["changes"].as_array().unwrap().len()), (0, 0), "{report:#}");
}

#[test]
fn validation_rules_matter_in_requests_only() {
    expect(
        "rules-request",
        replace(
            "          description: The name to look for.",
            "          maxLength: 20\n          description: The name to look for.",
        ),
        "breaking",
        "type `PetQuery`: field `name`",
        "rules are now `string, maxLength 20` (were `string`)",
    );
    expect(
        "rules-response",
        replace(
            "        age:\n          type: integer\n",
            "        age:\n          type: integer\n          minimum: 0\n",
        ),
        "compatible",
        "type `Pet`: field `age`",
        "responses are not checked",
    );
}

/// A vendor moving from Swagger 2.0 to OpenAPI 3.x: the same API in the new format is no change
/// for the generated crate, and a real change in the move is reported as usual.
#[test]
fn a_move_from_swagger_two_to_openapi_three_reports_only_what_changes() {
    let old = "swagger: '2.0'\ninfo: {title: Pets, version: '1'}\nhost: api.example.test\nbasePath: /v1\nschemes: [https]\nsecurityDefinitions:\n  key: {type: apiKey, in: header, name: X-Key}\nsecurity: [{key: []}]\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      parameters:\n        - {name: tag, in: query, type: array, items: {type: string}, collectionFormat: multi}\n      responses:\n        '200': {description: ok, schema: {type: array, items: {$ref: '#/definitions/Pet'}}}\n    post:\n      operationId: addPet\n      parameters:\n        - {name: pet, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}\n      responses:\n        '201': {description: ok, schema: {$ref: '#/definitions/Pet'}}\ndefinitions:\n  Pet:\n    type: object\n    required: [name]\n    properties:\n      name: {type: string, maxLength: 40}\n      born: {type: string, format: date, x-nullable: true}\n";
    let new = "openapi: 3.1.0\ninfo: {title: Pets, version: '1'}\nservers: [{url: 'https://api.example.test/v1'}]\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n  schemas:\n    Pet:\n      type: object\n      required: [name]\n      properties:\n        name: {type: string, maxLength: 40}\n        born: {type: [string, 'null'], format: date}\nsecurity: [{key: []}]\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      parameters:\n        - {name: tag, in: query, explode: true, schema: {type: array, items: {type: string}}}\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}}\n    post:\n      operationId: addPet\n      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}\n      responses:\n        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}\n";
    let dir = std::env::temp_dir().join(format!("spec-diff-{}-versions", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |new: &str| {
        std::fs::write(dir.join("old.yaml"), old).unwrap();
        std::fs::write(dir.join("new.yaml"), new).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["spec-diff", "old.yaml", "new.yaml", "--format", "json"])
            .current_dir(&dir)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|error| {
            panic!("not JSON ({error}): {stdout}\n{}", String::from_utf8_lossy(&output.stderr))
        });
        (output.status.code().unwrap_or(-1), report)
    };
    let (code, report) = run(new);
    assert_eq!(report["changes"].as_array().map(Vec::len), Some(0), "{report:#}");
    assert_eq!(code, 0);
    let (code, report) = run(&new.replace("maxLength: 40", "maxLength: 20"));
    assert_eq!(report["breaking"].as_u64(), Some(1), "{report:#}");
    assert_eq!(code, 1);
    let _ = std::fs::remove_dir_all(&dir);
}
