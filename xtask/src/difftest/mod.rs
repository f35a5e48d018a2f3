//! `cargo xtask difftest`: the structs' generated `Deserialize` (through the runtime's
//! `struct_de`) against serde's derive with the attributes the generator wrote before, on every
//! fixture. Each fixture's crate is generated a second time with
//! `Options::derived_deserialize` into `target/difftest/derived/`; one checker binary per
//! fixture (`checker.rs`) depends on both crates and decodes every input into both types. The
//! inputs of a struct type are the spec's examples and values made up from the model with a
//! seeded generator (`synth.rs`), each with its mutations (`mutate.rs`). Both must give the same
//! value, or fail with the same `serde_path_to_error` path and message. Two deliberate
//! differences are counted apart: a struct read from a JSON array by position (only the derive
//! does), and a wrong value for an undeclared property kept in a typed map (the derive reports it
//! at the struct, once the object has ended; the generated code at the property itself).
//!
//! The scratch crates form one cargo workspace with one target directory,
//! `target/difftest/target`, so dependencies are built once.

mod checker;
mod mutate;
mod synth;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use generator::model::{Api, TypeKind};
use mutate::Input;
use serde_json::Value;
use synth::{Fill, Synth};

const HELP: &str = "\
usage: cargo xtask difftest [FIXTURE]... [--seeds N]

Decodes made-up and mutated JSON into every struct of every fixture (or the ones named) twice:
through the generated `Deserialize` and through serde's derive, and fails on any difference.
  --seeds N   random values per struct type, each with its mutations (default 4)";

/// How many of the disagreements of a fixture are printed (all are counted).
const SHOWN: usize = 12;

pub fn main(args: &[String]) -> ExitCode {
    let mut names = Vec::new();
    let mut seeds = 4;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--help" | "-h" => {
                println!("{HELP}");
                return ExitCode::SUCCESS;
            }
            "--seeds" => match iter.next().and_then(|value| value.parse().ok()) {
                Some(value) => seeds = value,
                None => return usage("--seeds needs a number"),
            },
            flag if flag.starts_with('-') => return usage(&format!("unknown argument `{flag}`")),
            name => names.push(name.to_string()),
        }
    }
    match run(&names, seeds) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{HELP}");
    ExitCode::from(2)
}

/// One fixture, ready to check.
struct Fixture {
    name: String,
    /// The checker's package name, which is its binary's.
    checker: String,
    types: usize,
    /// Each input with the name of its type.
    inputs: Vec<(String, Input)>,
}

/// Checks the fixtures named (all when none are); `Ok(false)` when some input decodes differently.
fn run(names: &[String], seeds: u64) -> Result<bool, String> {
    let root = crate::workspace_root();
    let scratch = root.join("target/difftest");
    let mut fixtures = Vec::new();
    for dir in fixture_dirs(&root)? {
        let name = dir.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        if names.is_empty() || names.contains(&name) {
            fixtures.push(prepare(&root, &scratch, &dir, &name, seeds)?);
        }
    }
    if let Some(unknown) = names.iter().find(|name| !fixtures.iter().any(|fixture| &&fixture.name == name)) {
        return Err(format!("no fixture `{unknown}` in tests/fixtures"));
    }
    let members: Vec<String> = fixtures.iter().map(|fixture| format!("\"check/{}\"", fixture.name)).collect();
    let workspace = format!(
        "# Written by `cargo xtask difftest`.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n\
         [profile.dev]\ndebug = false\n",
        members.join(", ")
    );
    write_if_changed(&scratch.join("Cargo.toml"), &workspace)?;
    if !scratch.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).map_err(|error| error.to_string())?;
    }
    build(&scratch)?;
    let mut total = Tally::default();
    for fixture in &fixtures {
        let tally = check(&scratch, fixture)?;
        total.agree += tally.agree;
        total.disagree += tally.disagree;
        total.undeclared += tally.undeclared;
        total.arrays.iter_mut().zip(tally.arrays).for_each(|(sum, count)| *sum += count);
    }
    let types: usize = fixtures.iter().map(|fixture| fixture.types).sum();
    let inputs: usize = fixtures.iter().map(|fixture| fixture.inputs.len()).sum();
    println!(
        "{} fixtures, {types} struct types, {inputs} inputs: {} agree, {} disagree; known differences: {} arrays \
         for objects, {} errors at an undeclared property",
        fixtures.len(),
        total.agree,
        total.disagree,
        total.arrays.iter().sum::<usize>(),
        total.undeclared,
    );
    Ok(total.disagree == 0)
}

fn fixture_dirs(root: &Path) -> Result<Vec<PathBuf>, String> {
    let fixtures = root.join("tests/fixtures");
    let entries = std::fs::read_dir(&fixtures).map_err(|error| format!("{}: {error}", fixtures.display()))?;
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|dir| dir.join("openapi.yaml").is_file() && dir.join("expected/Cargo.toml").is_file())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// Generates the fixture's derived crate and its checker, and makes its inputs.
fn prepare(root: &Path, scratch: &Path, dir: &Path, name: &str, seeds: u64) -> Result<Fixture, String> {
    let spec = dir.join("openapi.yaml");
    let config = match generator::config::beside(&spec) {
        Some(path) => generator::config::Config::read(&path).map_err(|error| error.to_string())?,
        None => generator::config::Config::default(),
    };
    let lean_package = format!("fixture-{}", name.replace('_', "-"));
    let derived_package = format!("{lean_package}-derived");
    let options = generator::Options {
        crate_name: Some(derived_package.clone()),
        spec_label: format!("tests/fixtures/{name}/openapi.yaml"),
        config: config.clone(),
        derived_deserialize: true,
        ..generator::Options::default()
    };
    let generated = generator::generate(&spec, &options).map_err(|error| error.to_string())?;
    generated.files.write_to(&scratch.join("derived").join(&derived_package)).map_err(|error| error.to_string())?;
    let document = generator::load::load(&spec).map_err(|error| error.to_string())?.document;
    let (api, _) = generator::model::lower_with_config(&document, Some(&lean_package), &config)
        .map_err(|errors| format!("{name}: the spec does not lower ({} problems)", errors.len()))?;
    let struct_types: Vec<&str> =
        api.types.iter().filter(|def| matches!(def.kind, TypeKind::Struct(_))).map(|def| def.name.as_str()).collect();
    let lean = dir.join("expected");
    let manifest = std::fs::read_to_string(lean.join("Cargo.toml")).map_err(|error| error.to_string())?;
    let features = if manifest.contains("\nfull = ") { "\"serde-all\", \"full\"" } else { "\"serde-all\"" };
    let checker = format!("difftest-{}", name.replace('_', "-"));
    let checker_dir = scratch.join("check").join(name);
    let lean = std::path::absolute(root.join(&lean)).map_err(|error| error.to_string())?;
    write_if_changed(
        &checker_dir.join("Cargo.toml"),
        &checker::manifest(&checker, &lean, &lean_package, &derived_package, features),
    )?;
    let main_rs = checker::main_rs(&struct_types).map_err(|error| format!("{name}: the checker: {error}"))?;
    write_if_changed(&checker_dir.join("src/main.rs"), &main_rs)?;
    let document = serde_json::to_value(&document).map_err(|error| error.to_string())?;
    let inputs = inputs(&api, &document, seed_of(name), seeds);
    Ok(Fixture { name: name.to_string(), checker, types: struct_types.len(), inputs })
}

/// Every input of every struct type of `api`: its examples, a value with every property, one
/// with only the required ones and `seeds` random ones, each with its mutations.
fn inputs(api: &Api, document: &Value, seed: u64, seeds: u64) -> Vec<(String, Input)> {
    let examples = synth::examples(api, document);
    let mut all = Vec::new();
    for (index, def) in api.types.iter().enumerate() {
        let TypeKind::Struct(object) = &def.kind else { continue };
        let mut synth = Synth::new(api, seed ^ (index as u64).wrapping_mul(0x0100_0000_01b3));
        let mut bases: Vec<(String, Value)> = examples
            .iter()
            .filter(|(id, _)| id.0 == index)
            .enumerate()
            .map(|(number, (_, example))| (format!("example {number}"), example.clone()))
            .collect();
        bases.push(("every property".into(), synth.object(object, Fill::All, 0)));
        bases.push(("required properties".into(), synth.object(object, Fill::Required, 0)));
        for number in 0..seeds {
            bases.push((format!("random {number}"), synth.object(object, Fill::Random, 0)));
        }
        for (what, base) in bases {
            let made = mutate::inputs(api, object, &base, &what);
            all.extend(made.into_iter().map(|input| (def.name.clone(), input)));
        }
    }
    all
}

/// A fixture's seed: its name hashed (FNV-1a), so adding a fixture changes no other's inputs.
fn seed_of(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// Builds every checker (and with them both crates of every fixture) in one cargo run.
fn build(scratch: &Path) -> Result<(), String> {
    eprintln!("building the checkers in {}", scratch.display());
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["build", "--offline", "--quiet", "--workspace"])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .status()
        .map_err(|error| format!("cargo does not run: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("the checkers do not build".into())
    }
}

/// Runs a fixture's checker on its inputs and reports.
fn check(scratch: &Path, fixture: &Fixture) -> Result<Tally, String> {
    let mut text = String::new();
    for (ty, input) in &fixture.inputs {
        text.push_str(ty);
        text.push('\t');
        text.push_str(&input.text());
        text.push('\n');
    }
    let inputs_file = scratch.join("inputs").join(format!("{}.txt", fixture.name));
    write_if_changed(&inputs_file, &text)?;
    let binary = scratch.join("target/debug").join(&fixture.checker);
    let output =
        Command::new(&binary).arg(&inputs_file).output().map_err(|error| format!("{}: {error}", binary.display()))?;
    if !output.status.success() {
        return Err(format!("{} failed: {}", fixture.checker, String::from_utf8_lossy(&output.stderr)));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut tally = Tally::default();
    for ((ty, input), line) in fixture.inputs.iter().zip(stdout.lines()) {
        let results: Value = serde_json::from_str(line).map_err(|error| format!("{}: {error}", fixture.checker))?;
        let (lean, derived) = (&results[0], &results[1]);
        match judge(input, lean, derived) {
            Verdict::Agree => tally.agree += 1,
            Verdict::ArrayReadByDerive => tally.arrays[0] += 1,
            Verdict::ArrayRefusedOtherwise => tally.arrays[1] += 1,
            Verdict::ArrayReadOtherwise => tally.arrays[2] += 1,
            Verdict::UndeclaredNamed => tally.undeclared += 1,
            Verdict::Disagree => {
                if tally.disagree < SHOWN {
                    println!("  DISAGREE {}::{ty}, {}\n    input:   {}", fixture.name, input.what, input.text());
                    println!("    lean:    {lean}\n    derived: {derived}");
                }
                tally.disagree += 1;
            }
        }
    }
    let lines = stdout.lines().count();
    if lines != fixture.inputs.len() {
        return Err(format!("{}: {lines} results for {} inputs", fixture.checker, fixture.inputs.len()));
    }
    let [read, refused, other] = tally.arrays;
    println!(
        "{}: {} struct types, {} inputs: {} agree, {} disagree; arrays for objects (known): {read} read by the \
         derive only, {refused} refused by both unlike, {other} read as another union variant; {} errors at an \
         undeclared property (known)",
        fixture.name,
        fixture.types,
        fixture.inputs.len(),
        tally.agree,
        tally.disagree,
        tally.undeclared,
    );
    Ok(tally)
}

#[derive(Default)]
struct Tally {
    agree: usize,
    /// Array inputs by [`Verdict`], in its order.
    arrays: [usize; 3],
    /// Inputs of [`Verdict::UndeclaredNamed`].
    undeclared: usize,
    disagree: usize,
}

/// How the two results of an input compare.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Agree,
    /// The known difference: an array stood where an object was expected, the generated
    /// `Deserialize` refused it, and the derive read it by position ...
    ArrayReadByDerive,
    /// ... or refused it with another message ...
    ArrayRefusedOtherwise,
    /// ... or, inside a union, both read it: the derive as the struct variant, the generated
    /// `Deserialize` as another variant or the catch-all.
    ArrayReadOtherwise,
    /// The other known difference: a wrong value for a property the struct does not declare,
    /// kept in a typed map. The derive buffers such properties (`flatten`) and fails at the end
    /// of the object, at the struct's path; the generated `Deserialize` reads the value in place
    /// and fails there, at the property's path and column. Same message otherwise.
    UndeclaredNamed,
    Disagree,
}

/// Whether two results (each `{"ok": …}` or `{"err": {path, message}}`) agree.
fn judge(input: &Input, lean: &Value, derived: &Value) -> Verdict {
    if lean == derived {
        return Verdict::Agree;
    }
    if undeclared_named(lean, derived) {
        return Verdict::UndeclaredNamed;
    }
    if !input.array_for_object {
        return Verdict::Disagree;
    }
    match (lean.get("ok").is_some(), derived.get("ok").is_some()) {
        (false, true) => Verdict::ArrayReadByDerive,
        (false, false) => Verdict::ArrayRefusedOtherwise,
        (true, true) => Verdict::ArrayReadOtherwise,
        (true, false) => Verdict::Disagree,
    }
}

/// Whether both failed with one message (but for its position), the lean side one property
/// deeper than the derive (see [`Verdict::UndeclaredNamed`]).
fn undeclared_named(lean: &Value, derived: &Value) -> bool {
    let error = |result: &Value| {
        let error = result.get("err")?;
        let message = error["message"].as_str()?;
        let message = message.rfind(" at line ").map_or(message, |at| &message[..at]).to_string();
        Some((error["path"].as_str()?.to_string(), message))
    };
    let (Some((lean_path, lean_message)), Some((derived_path, derived_message))) = (error(lean), error(derived)) else {
        return false;
    };
    let parent = if derived_path == "." { String::new() } else { format!("{derived_path}.") };
    lean_message == derived_message
        && lean_path.strip_prefix(&parent).is_some_and(|property| !property.is_empty() && !property.contains('.'))
}

/// Writes `text` to `path` unless it holds it already (so cargo sees no change).
fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|error| format!("{}: {error}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|error| format!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_an_array_in_place_of_an_object_may_be_refused_by_the_lean_side_alone() {
        let refused = json!({"err": {"path": ".", "message": "invalid type: sequence, expected struct A"}});
        let read = json!({"ok": {"a": 1}});
        let array = Input { array_for_object: true, ..Input::plain("t", json!([1])) };
        assert_eq!(judge(&array, &refused, &read), Verdict::ArrayReadByDerive);
        assert_eq!(judge(&array, &read, &refused), Verdict::Disagree);
        assert_eq!(judge(&Input::plain("t", json!({})), &refused, &read), Verdict::Disagree);
        assert_eq!(judge(&Input::plain("t", json!({})), &read, &read), Verdict::Agree);
    }

    #[test]
    fn an_undeclared_property_may_be_named_by_the_lean_side_alone() {
        let err = |path: &str, message: &str| json!({"err": {"path": path, "message": message}});
        let input = Input::plain("t", json!({"zz": 1}));
        let lean = err("labels.zz", "invalid type: integer `1`, expected a string at line 1 column 15");
        let derived = err("labels", "invalid type: integer `1`, expected a string at line 1 column 16");
        assert_eq!(judge(&input, &lean, &derived), Verdict::UndeclaredNamed);
        let top = err(".", "invalid type: integer `1`, expected a string at line 1 column 16");
        assert_eq!(
            judge(&input, &err("zz", "invalid type: integer `1`, expected a string at line 1 column 5"), &top),
            Verdict::UndeclaredNamed
        );
        // Another message, or a path that is not one property deeper, is a disagreement.
        assert_eq!(judge(&input, &err("labels.zz", "missing field `a`"), &derived), Verdict::Disagree);
        assert_eq!(
            judge(&input, &err("labels.zz.y", "invalid type: integer `1`, expected a string"), &derived),
            Verdict::Disagree
        );
        assert_eq!(judge(&input, &derived, &lean), Verdict::Disagree);
    }
}
