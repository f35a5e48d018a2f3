//! `codegen.toml` cannot make the generator panic or emit invalid Rust: every schema, format and property of every
//! fixture (and of our spec) mapped at once still generates or fails cleanly, and arbitrary config text is either
//! read or refused with a message that names the file.

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use generator::config::Config;
use generator::{Error, Options};
use pipeline_tests::workspace_root;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};
use serde_yaml::Value;

/// Every spec the repository has: ours and each fixture's.
fn specs() -> Vec<PathBuf> {
    let root = workspace_root();
    let mut specs = vec![root.join("spec/openapi.yaml")];
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .unwrap()
        .map(|entry| entry.unwrap().path().join("openapi.yaml"))
        .collect();
    fixtures.sort();
    specs.extend(fixtures);
    specs
}

/// The component schema names, property names and formats of a spec (its root file).
fn names(spec: &Path) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    fn walk(value: &Value, properties: &mut BTreeSet<String>, formats: &mut BTreeSet<String>) {
        match value {
            Value::Mapping(map) => {
                for (key, child) in map {
                    match (key.as_str(), child) {
                        (Some("properties"), Value::Mapping(declared)) => {
                            properties.extend(declared.keys().filter_map(Value::as_str).map(str::to_string));
                        }
                        (Some("format"), Value::String(format)) => {
                            formats.insert(format.clone());
                        }
                        _ => {}
                    }
                    walk(child, properties, formats);
                }
            }
            Value::Sequence(items) => items.iter().for_each(|item| walk(item, properties, formats)),
            _ => {}
        }
    }
    let document: Value = serde_yaml::from_str(&std::fs::read_to_string(spec).unwrap()).unwrap();
    let schemas = document["components"]["schemas"]
        .as_mapping()
        .map(|schemas| schemas.keys().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    let (mut properties, mut formats) = (BTreeSet::new(), BTreeSet::new());
    walk(&document, &mut properties, &mut formats);
    (schemas, properties, formats)
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// Generates `spec` with `config` on a thread that must not panic, and checks what came back: generated files,
/// or clean errors about the spec. Never `Error::Internal`, which means invalid Rust was emitted.
fn generate_cleanly(spec: &Path, config: Config, what: &str) {
    let options = Options {
        crate_name: Some("config-client".into()),
        spec_label: "spec.yaml".into(),
        config,
        ..Options::default()
    };
    let result = catch_unwind(AssertUnwindSafe(|| generator::generate(spec, &options)));
    match result {
        Err(_) => panic!("{}: generation panicked with {what}", spec.display()),
        Ok(Ok(generated)) => assert!(generated.files.iter().count() > 0, "{}: no files", spec.display()),
        Ok(Err(Error::Spec { errors, .. })) => {
            assert!(errors.iter().all(|e| e.pointer.starts_with('#')), "{}: {errors:?}", spec.display())
        }
        Ok(Err(error)) => panic!("{}: {what}: {error}", spec.display()),
    }
}

fn config(text: &str) -> Config {
    Config::parse(Path::new("codegen.toml"), text).unwrap_or_else(|error| panic!("{error}\n{text}"))
}

#[test]
fn mapping_everything_at_once_generates_valid_rust_on_every_spec() {
    for spec in specs() {
        let (schemas, properties, formats) = names(&spec);
        let mut every_schema = String::from("[schemas]\n");
        for (index, schema) in schemas.iter().enumerate() {
            let ty = ["serde_json::Value", "u64", "Vec<String>", "std::net::IpAddr"][index % 4];
            every_schema += &format!("{} = {}\n", quoted(schema), quoted(ty));
        }
        let mut every_format = String::from("[formats]\n");
        for format in &formats {
            every_format += &format!("{} = \"String\"\n", quoted(format));
        }
        let mut every_field = String::from("[fields.\"*\"]\n");
        let mut every_field_with = every_field.clone();
        let mut every_sensitive = String::from("[sensitive.\"*\"]\n");
        for property in &properties {
            every_field += &format!("{} = \"Option<serde_json::Value>\"\n", quoted(property));
            every_field_with += &format!("{} = {{ type = \"u64\", with = \"serde_json::value\" }}\n", quoted(property));
            every_sensitive += &format!("{} = true\n", quoted(property));
        }
        let mut every_format_with = String::from("[formats]\n");
        for format in &formats {
            every_format_with += &format!("{} = {{ type = \"String\", with = \"crate::module\" }}\n", quoted(format));
        }
        let derives = "[derives]\n\"*\" = [\"Eq\", \"Hash\", \"std::cmp::PartialOrd\", \"Debug\"]\n";
        for (what, text) in [
            ("every schema mapped", every_schema.clone()),
            ("every format mapped", every_format.clone()),
            ("every property mapped", every_field.clone()),
            ("every property mapped with a module", every_field_with.clone()),
            ("every format mapped with a module", every_format_with.clone()),
            ("every property sensitive", every_sensitive.clone()),
            ("derives on every type", derives.to_string()),
            ("all of it", format!("{every_schema}{every_format}{every_field}{derives}{every_sensitive}")),
            ("all of it, with modules", format!("{every_schema}{every_format_with}{every_field_with}{derives}")),
        ] {
            generate_cleanly(&spec, config(&text), what);
        }
    }
}

/// Pieces of config text: real sections and keys, and values of every TOML kind, some of them wrong.
fn config_text() -> impl Strategy<Value = String> {
    let section = prop::sample::select(vec![
        "[package]",
        "[formats]",
        "[schemas]",
        "[fields]",
        "[fields.\"*\"]",
        "[fields.Order]",
        "[derives]",
        "[sensitive]",
        "[sensitive.\"*\"]",
        "[dependencies]",
        "[nonsense]",
        "[package.deeper]",
        "",
    ]);
    let key = prop::sample::select(vec![
        "version",
        "edition",
        "rust-version",
        "license",
        "publish",
        "description",
        "repository",
        "decimal",
        "uuid",
        "Order",
        "\"*\"",
        "amount",
        "Order.total",
        "\"*\".amount",
        "rust_decimal",
        "serde",
        "a-b",
        "\"a b\"",
        "typo",
    ]);
    let value = prop::sample::select(vec![
        "\"rust_decimal::Decimal\"",
        "{ type = \"rust_decimal::Decimal\", with = \"rust_decimal::serde::float\" }",
        "{ type = \"u8\", with = \"float\" }",
        "{ with = \"a::b\" }",
        "\"std::net::IpAddr\"",
        "\"Vec<\"",
        "\"&str\"",
        "\"u64\"",
        "\"1.2.3\"",
        "\"2021\"",
        "\"2024\"",
        "\"1.85\"",
        "\"1.2\"",
        "true",
        "false",
        "42",
        "1.5",
        "[\"Eq\", \"Hash\"]",
        "[\"x<y>\"]",
        "[1, 2]",
        "{ version = \"1\", features = [\"serde-float\"] }",
        "{ path = 3.5 }",
        "\"\"",
        "\"\\u00e9\"",
        "1979-05-27",
    ]);
    let line = (key, value).prop_map(|(key, value)| format!("{key} = {value}"));
    prop::collection::vec((section, prop::collection::vec(line, 0..4)), 0..5).prop_map(|blocks| {
        blocks.into_iter().map(|(section, lines)| format!("{section}\n{}\n", lines.join("\n"))).collect()
    })
}

#[test]
fn arbitrary_config_text_is_read_or_refused_with_a_message_naming_the_file() {
    let spec = workspace_root().join("tests/fixtures/objects/openapi.yaml");
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(RunnerConfig { cases: 256, ..RunnerConfig::default() }, rng);
    let (read, refused) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&config_text(), |text| {
            match Config::parse(Path::new("dir/codegen.toml"), &text) {
                Ok(config) => {
                    read.set(read.get() + 1);
                    generate_cleanly(&spec, config, &text);
                }
                Err(error) => {
                    refused.set(refused.get() + 1);
                    let message = error.to_string();
                    prop_assert!(message.starts_with("dir/codegen.toml"), "{message}");
                    prop_assert!(!message.trim_end().ends_with('.'), "{message}");
                }
            }
            Ok(())
        })
        .unwrap();
    let (read, refused) = (read.get(), refused.get());
    assert!(read > 0 && refused > 0, "both kinds of text are tried: {read} read, {refused} refused");
}
