//! `cargo xtask codegen`: regenerates `generated-client/` from `spec/`, or with `--check` verifies
//! that it is up to date. All the work is in the `generator` library; this only parses arguments
//! and reports.

mod bench;
mod difftest;
mod drift;
mod spec_diff;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--strict] [--spec PATH] [--config PATH] [--out DIR] [--crate-name NAME]
       cargo xtask spec-diff OLD NEW [--operation ID]... [--structural] [--format json]   (see `cargo xtask spec-diff --help`)
       cargo xtask difftest [FIXTURE]... [--seeds N]   (structs' generated Deserialize against serde's derive; see `cargo xtask difftest --help`)
       cargo xtask bench [generation] [conversion] [decode] [client] [streams] [compile] [--runs N] [--time-passes]   (see `cargo xtask bench --help`)

  --check            compare instead of writing; exit 1 with a diff when the output is stale
  --strict           fail on any warning (a skipped operation, a schema typed as JSON, a
                     repaired spec mistake) instead of generating without it
  --spec PATH        the OpenAPI 3.0 file, or a directory holding openapi.yaml (default: spec/)
  --config PATH      the generator's config: types for formats, schemas and fields, derives,
                     package metadata (default: codegen.toml beside the spec, if there is one)
  --out DIR          the crate directory to write (default: generated-client/)
  --crate-name NAME  the package name (default: the spec's x-crate-name)
  --operation ID     generate only this operation (an operationId, a path, or \"POST /path\")
                     and the schemas it reaches; repeat for several";

/// How many lines of unified diff `--check` prints after its summary.
const DIFF_LINES: usize = 200;

struct Args {
    check: bool,
    strict: bool,
    spec: PathBuf,
    /// `--config`; `None` looks for `codegen.toml` beside the spec.
    config: Option<PathBuf>,
    out: PathBuf,
    crate_name: Option<String>,
    operations: Vec<String>,
    /// `--derived-deserialize` (not in the usage text): structs derive `Deserialize`, as
    /// `difftest` compares.
    derived_deserialize: bool,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => {}
        Some("bench") => return bench::main(&args[1..]),
        Some("spec-diff") => return spec_diff::main(&args[1..]),
        Some("difftest") => return difftest::main(&args[1..]),
        // The processes `bench generation` measures: the parse floor, and the phases in process.
        Some("bench-floor") => return bench::generation::floor(&args[1..]),
        Some("bench-phases") => return bench::generation::phases(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    }
    let args = match parse_args(&args[1..]) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    codegen(&args)
}

fn parse_args(raw: &[String]) -> Result<Args, String> {
    let root = workspace_root();
    let mut args = Args {
        check: false,
        strict: false,
        spec: root.join("spec"),
        config: None,
        out: root.join("generated-client"),
        crate_name: None,
        operations: Vec::new(),
        derived_deserialize: false,
    };
    let mut iter = raw.iter();
    while let Some(flag) = iter.next() {
        let mut value = || iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--check" => args.check = true,
            "--strict" => args.strict = true,
            "--spec" => args.spec = PathBuf::from(value()?),
            "--config" => args.config = Some(PathBuf::from(value()?)),
            "--out" => args.out = PathBuf::from(value()?),
            "--crate-name" => args.crate_name = Some(value()?),
            "--operation" => args.operations.push(value()?),
            "--derived-deserialize" => args.derived_deserialize = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    args.spec = spec_file(args.spec);
    Ok(args)
}

/// A spec given as a directory is its `openapi.yaml` (or `.yml`, `.json`).
fn spec_file(spec: PathBuf) -> PathBuf {
    if !spec.is_dir() {
        return spec;
    }
    ["openapi.yaml", "openapi.yml", "openapi.json"]
        .iter()
        .map(|name| spec.join(name))
        .find(|path| path.is_file())
        .unwrap_or_else(|| spec.join("openapi.yaml"))
}

fn codegen(args: &Args) -> ExitCode {
    let config_path = args.config.clone().or_else(|| generator::config::beside(&args.spec));
    let config = match config_path.as_deref().map(generator::config::Config::read).transpose() {
        Ok(config) => config.unwrap_or_default(),
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("note: nothing was written; {} is unchanged", args.out.display());
            return ExitCode::FAILURE;
        }
    };
    let options = generator::Options {
        crate_name: args.crate_name.clone(),
        spec_label: spec_label(&args.spec),
        operations: args.operations.clone(),
        strict: args.strict,
        config,
        derived_deserialize: args.derived_deserialize,
    };
    let generated = match generator::generate(&args.spec, &options) {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("note: nothing was written; {} is unchanged", args.out.display());
            return ExitCode::FAILURE;
        }
    };
    for warning in &generated.warnings {
        eprintln!("warning: {}: {warning}", args.spec.display());
    }
    eprintln!("{}", generated.summary);
    let files = generated.files;
    if args.check {
        let report = files.check(&args.out);
        if report.is_fresh() {
            println!("{} is up to date with {}", args.out.display(), options.spec_label);
            return ExitCode::SUCCESS;
        }
        if let Some(summary) = drift::summary(&args.spec, &args.out, &args.operations, &options.config) {
            eprintln!("{summary}");
        }
        let diffs: Vec<&str> = report.stale.iter().map(|stale| stale.diff.as_str()).collect();
        eprint!("{}", drift::capped_diff(&diffs, DIFF_LINES));
        eprintln!(
            "error: {} file(s) in {} differ from what {} produces; run `cargo xtask codegen` and commit the result",
            report.stale.len(),
            args.out.display(),
            options.spec_label
        );
        return ExitCode::FAILURE;
    }
    match files.write_to(&args.out) {
        Ok(()) => {
            println!("generated {} from {}", args.out.display(), options.spec_label);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// How the spec is named in generated preambles: relative to the workspace when inside it, so
/// the output does not depend on where the repository is checked out.
fn spec_label(spec: &Path) -> String {
    let root = workspace_root();
    let absolute = std::path::absolute(spec).unwrap_or_else(|_| spec.to_path_buf());
    let absolute = absolute.canonicalize().unwrap_or(absolute);
    let root = root.canonicalize().unwrap_or(root);
    match absolute.strip_prefix(&root) {
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => spec.file_name().map_or_else(|| spec.display().to_string(), |n| n.to_string_lossy().into_owned()),
    }
}
