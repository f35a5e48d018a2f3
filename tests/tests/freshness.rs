//! The checked-in output is exactly what the generator makes: `generated-client/` from `spec/`,
//! and every fixture's `expected/` crate from its spec, each with the `codegen.toml` beside it
//! when there is one. Set `UPDATE_SNAPSHOTS=1` to rewrite the fixture snapshots after an intended
//! change (then review the diff).

use std::fs;
use std::path::{Path, PathBuf};

use generator::config::{self, Config};
use generator::{CheckReport, GeneratedFiles, Options};
use pipeline_tests::workspace_root;

/// The config beside a spec, as `cargo xtask codegen` finds it.
fn config_beside(spec: &Path) -> Config {
    config::beside(spec).map(|path| Config::read(&path).unwrap_or_else(|error| panic!("{error}"))).unwrap_or_default()
}

fn generate(spec: &Path, crate_name: Option<&str>) -> GeneratedFiles {
    let root = workspace_root();
    let label = spec.strip_prefix(&root).unwrap_or(spec).to_string_lossy().replace('\\', "/");
    let options = Options {
        crate_name: crate_name.map(str::to_string),
        spec_label: label,
        config: config_beside(spec),
        ..Options::default()
    };
    generator::generate(spec, &options).unwrap_or_else(|error| panic!("{error}")).files
}

fn describe(report: &CheckReport) -> String {
    report.stale.iter().map(|stale| stale.diff.as_str()).collect::<Vec<_>>().join("\n")
}

/// A scratch directory for one test, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-freshness-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn generated_client_matches_the_spec() {
    let root = workspace_root();
    let files = generate(&root.join("spec/openapi.yaml"), None);
    let report = files.check(&root.join("generated-client"));
    assert!(
        report.is_fresh(),
        "generated-client/ is stale; run `cargo xtask codegen` and commit the result:\n{}",
        describe(&report)
    );
}

#[test]
fn fixtures_match_their_snapshots() {
    let fixtures = workspace_root().join("tests/fixtures");
    let mut names: Vec<String> = fs::read_dir(&fixtures)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 7, "expected the fixture specs, found {names:?}");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut failures = Vec::new();
    for name in &names {
        let dir = fixtures.join(name);
        let crate_name = format!("fixture-{}", name.replace('_', "-"));
        let files = generate(&dir.join("openapi.yaml"), Some(&crate_name));
        if update {
            files.write_to(&dir.join("expected")).unwrap();
            continue;
        }
        let report = files.check(&dir.join("expected"));
        if !report.is_fresh() {
            failures.push(format!("fixture `{name}`:\n{}", describe(&report)));
        }
    }
    assert!(failures.is_empty(), "snapshots differ (UPDATE_SNAPSHOTS=1 rewrites them):\n{}", failures.join("\n"));
}

/// Fixtures that exercise repairs and degradation, and how many warnings each must give; every
/// other fixture (and our own spec) must generate without any, so that a construct a fixture
/// covers cannot quietly turn into `serde_json::Value` or a skipped operation.
/// `type_mappings` warns once per constraint its mapped types cannot be checked against.
const EXPECTED_WARNINGS: &[(&str, usize)] =
    &[("callbacks", 1), ("degrade", 5), ("object_params", 3), ("openapi31", 2), ("security", 1), ("type_mappings", 3)];

#[test]
fn fixtures_warn_only_where_they_mean_to() {
    let root = workspace_root();
    let mut specs = vec![("spec".to_string(), root.join("spec/openapi.yaml"))];
    for entry in fs::read_dir(root.join("tests/fixtures")).unwrap() {
        let entry = entry.unwrap();
        specs.push((entry.file_name().to_string_lossy().into_owned(), entry.path().join("openapi.yaml")));
    }
    let mut surprises = Vec::new();
    for (name, spec) in specs {
        let options = Options {
            crate_name: Some("fixture".into()),
            spec_label: name.clone(),
            config: config_beside(&spec),
            ..Options::default()
        };
        let generated = generator::generate(&spec, &options).unwrap_or_else(|error| panic!("{error}"));
        let expected = EXPECTED_WARNINGS.iter().find(|(fixture, _)| *fixture == name).map_or(0, |(_, count)| *count);
        if generated.warnings.len() != expected {
            let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
            surprises.push(format!("`{name}`: {expected} warnings expected, got:\n{}", warnings.join("\n")));
        }
    }
    assert!(surprises.is_empty(), "{}", surprises.join("\n\n"));
}

#[test]
fn generation_is_deterministic() {
    let spec = workspace_root().join("spec/openapi.yaml");
    let first = generate(&spec, None);
    for _ in 0..3 {
        assert_eq!(generate(&spec, None), first);
    }
}

#[test]
fn every_generated_file_has_the_preamble() {
    let files = generate(&workspace_root().join("spec/openapi.yaml"), None);
    let mut count = 0;
    for file in files.iter() {
        count += 1;
        let first = file.contents.lines().next().unwrap_or_default();
        assert!(first.contains("@generated by `cargo xtask codegen`"), "{}: {first}", file.path);
        assert!(
            first.contains("from spec/openapi.yaml") || first.contains("the generator's runtime/src/"),
            "{}: {first}",
            file.path
        );
        assert!(file.contents.lines().nth(1).unwrap_or_default().contains("Do not edit"), "{}", file.path);
    }
    assert!(count >= 5);
}

/// The fixed runtime is the source in `generator/runtime/src`, byte for byte after the
/// preamble, in the crate generated from our spec and in every fixture's snapshot.
#[test]
fn runtime_files_are_the_runtime_source_verbatim() {
    let root = workspace_root();
    let mut crates = vec![root.join("generated-client")];
    for entry in fs::read_dir(root.join("tests/fixtures")).unwrap() {
        crates.push(entry.unwrap().path().join("expected"));
    }
    let mut checked = 0;
    for crate_dir in crates {
        // `src/` and its folders (a runtime module may have submodules, e.g. `mock_server/`).
        let mut files = Vec::new();
        let mut folders = vec![crate_dir.join("src")];
        while let Some(folder) = folders.pop() {
            for entry in fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        for path in files {
            let text = fs::read_to_string(&path).unwrap();
            let first = text.lines().next().unwrap_or_default();
            let Some(rest) = first.split("the generator's runtime/src/").nth(1) else { continue };
            let module = rest.split(".rs").next().unwrap();
            let source = fs::read_to_string(root.join(format!("generator/runtime/src/{module}.rs"))).unwrap();
            // Two lines of preamble, then a blank line.
            let body = text.splitn(4, '\n').nth(3).unwrap_or_default();
            assert!(body == source, "{} differs from generator/runtime/src/{module}.rs", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 6 * 19, "every crate carries the fixed runtime, checked {checked} files");
}

#[test]
fn an_edited_description_shows_up_as_a_doc_comment_diff() {
    let root = workspace_root();
    let spec = fs::read_to_string(root.join("spec/openapi.yaml")).unwrap();
    let original = "Older style token that names the user whose report is wanted.";
    assert!(spec.contains(original), "the test relies on this description being in the spec");
    let edited = spec.replace(original, "A freshly reworded description of the user token.");
    let dir = scratch("edited-spec");
    fs::write(dir.join("openapi.yaml"), edited).unwrap();
    // Labelled as the real spec, as if spec/openapi.yaml itself had been edited.
    let options = Options {
        crate_name: None,
        spec_label: "spec/openapi.yaml".to_string(),
        config: config_beside(&root.join("spec/openapi.yaml")),
        ..Options::default()
    };
    let files = generator::generate(&dir.join("openapi.yaml"), &options).unwrap().files;
    let report = files.check(&root.join("generated-client"));
    let diff = describe(&report);
    // The description documents the field, and is the help of its command-line flag.
    let stale: Vec<&str> = report.stale.iter().map(|file| file.path.as_str()).collect();
    assert_eq!(stale, ["src/cli.rs", "src/types.rs", "src/types/cra.rs"], "{diff}");
    assert!(diff.contains(&format!("-    /// {original}")), "{diff}");
    assert!(diff.contains("+    /// A freshly reworded description of the user token."), "{diff}");
}

#[test]
fn a_hand_edit_of_the_generated_crate_is_reported() {
    let root = workspace_root();
    let dir = scratch("hand-edit");
    copy_dir(&root.join("generated-client/src"), &dir.join("src"));
    copy_dir(&root.join("generated-client/tests"), &dir.join("tests"));
    fs::copy(root.join("generated-client/Cargo.toml"), dir.join("Cargo.toml")).unwrap();
    let client = dir.join("src/client.rs");
    let text = fs::read_to_string(&client).unwrap();
    fs::write(&client, text.replacen("pub fn builder()", "pub fn builder_edited_by_hand()", 1)).unwrap();
    let report = generate(&root.join("spec/openapi.yaml"), None).check(&dir);
    let diff = describe(&report);
    assert_eq!(report.stale.len(), 1, "{diff}");
    assert!(diff.contains("-    pub fn builder_edited_by_hand()"), "{diff}");
    assert!(diff.contains("+    pub fn builder()"), "{diff}");
}

#[test]
fn write_replaces_stale_files_and_removes_orphans() {
    let dir = scratch("write");
    let files = generate(&workspace_root().join("spec/openapi.yaml"), None);
    files.write_to(&dir).unwrap();
    assert!(files.check(&dir).is_fresh());
    fs::write(dir.join("src/types.rs"), "// stale\n").unwrap();
    let orphan = dir.join("src/old_module.rs");
    fs::write(&orphan, "// @generated by `cargo xtask codegen` from spec/openapi.yaml.\n").unwrap();
    let keep = dir.join("src/hand_written.rs");
    fs::write(&keep, "// mine\n").unwrap();
    assert_eq!(files.check(&dir).stale.len(), 2);
    files.write_to(&dir).unwrap();
    assert!(files.check(&dir).is_fresh());
    assert!(!orphan.exists(), "a file generated earlier but no longer produced is removed");
    assert!(keep.exists(), "files without the generated marker are left alone");
}
