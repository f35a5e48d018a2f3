//! `cargo xtask spec-diff OLD NEW`: what changed between two specs, for users of the client
//! generated from them. Each spec is loaded and lowered as `codegen` would (the same config
//! for both), and the two models are compared by `generator::diff`.
//!
//! Exit status: 0 when every change is compatible (or there is none), 1 when some change is
//! breaking, 2 when a spec cannot be read or the arguments are wrong.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use generator::config::Config;
use generator::diff::{self, Ignore};

const USAGE: &str = "\
usage: cargo xtask spec-diff OLD NEW [--operation ID]... [--structural] [--format table|json] [--config PATH]

  OLD, NEW           two OpenAPI 3.0 files (or directories holding openapi.yaml)
  --operation ID     compare only this operation (an operationId, a path, or \"POST /path\")
                     and the schemas it reaches; repeat for several
  --structural       ignore descriptions, summaries and titles, and whether a value is marked
                     sensitive: only what goes over the wire
  --format FORMAT    `table` (default) or `json`
  --config PATH      the generator's config, applied to both specs (default: codegen.toml
                     beside NEW, if there is one); its package version is the one bumped

exit status: 0 compatible or no change, 1 breaking, 2 error";

struct Args {
    old: PathBuf,
    new: PathBuf,
    operations: Vec<String>,
    structural: bool,
    json: bool,
    config: Option<PathBuf>,
}

pub fn main(raw: &[String]) -> ExitCode {
    if raw.iter().any(|arg| arg == "-h" || arg == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let args = match parse(raw) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn parse(raw: &[String]) -> Result<Args, String> {
    let mut specs = Vec::new();
    let mut args = Args {
        old: PathBuf::new(),
        new: PathBuf::new(),
        operations: Vec::new(),
        structural: false,
        json: false,
        config: None,
    };
    let mut iter = raw.iter();
    while let Some(arg) = iter.next() {
        let mut value = || iter.next().cloned().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--operation" => args.operations.push(value()?),
            "--structural" => args.structural = true,
            "--format" => {
                args.json = match value()?.as_str() {
                    "json" => true,
                    "table" => false,
                    other => return Err(format!("unknown format `{other}`; use `table` or `json`")),
                }
            }
            "--config" => args.config = Some(PathBuf::from(value()?)),
            flag if flag.starts_with("--") => return Err(format!("unknown argument `{flag}`")),
            spec => specs.push(super::spec_file(PathBuf::from(spec))),
        }
    }
    match <[PathBuf; 2]>::try_from(specs) {
        Ok([old, new]) => Ok(Args { old, new, ..args }),
        Err(_) => Err("give two specs, OLD and NEW".to_string()),
    }
}

fn run(args: &Args) -> Result<ExitCode, String> {
    let config_path = args.config.clone().or_else(|| generator::config::beside(&args.new));
    let config = match &config_path {
        Some(path) => Config::read(path).map_err(|error| error.to_string())?,
        None => Config::default(),
    };
    let old = lower(&args.old, &args.operations, &config)?;
    let new = lower(&args.new, &args.operations, &config)?;
    let ignore = if args.structural { Ignore { docs: true, sensitivity: true } } else { Ignore::default() };
    let report = diff::compare(&old, &new, ignore);
    let version = config.package.version.as_str();
    if args.json {
        println!("{}", report.json(version));
    } else {
        print!("{}", report.table(version));
    }
    Ok(if report.is_breaking() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The model of a spec, as `codegen` would build it (warnings are not repeated here).
pub fn lower(spec: &Path, operations: &[String], config: &Config) -> Result<generator::model::Api, String> {
    let describe = |error: &dyn std::fmt::Display| format!("{}: {error}", spec.display());
    let mut document = generator::load::load(spec).map_err(|error| describe(&error))?.document;
    generator::filter::select_operations(&mut document, operations)
        .map_err(|errors| describe(&generator::Error::spec(spec, errors)))?;
    generator::model::lower_with_config(&document, Some("spec-diff"), config)
        .map(|(api, _)| api)
        .map_err(|errors| describe(&generator::Error::spec(spec, errors)))
}
