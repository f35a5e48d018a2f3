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
use generator::filter;
use generator::model::Api;
use openapiv3::OpenAPI;

const USAGE: &str = "\
usage: cargo xtask spec-diff OLD NEW [--operation ID]... [--structural] [--format table|json] [--config PATH]

  OLD, NEW           two OpenAPI 3.0 files (or directories holding openapi.yaml)
  --operation ID     compare only this operation (an operationId, a path, or \"POST /path\")
                     and the schemas it reaches; repeat for several. The schemas its
                     callbacks send are compared with the other spec's of the same name
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
    let (old, new) = lower_pair(&args.old, &args.new, &args.operations, &config)?;
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
pub fn lower(spec: &Path, operations: &[String], config: &Config) -> Result<Api, String> {
    let mut document = load(spec)?;
    filter::select_operations(&mut document, operations, &config.webhooks.schemas)
        .map_err(|errors| describe(spec, errors))?;
    model(spec, &document, config)
}

/// The models of OLD and NEW. With `--operation`, each keeps the selected operations, the
/// schemas they reach, and the schemas that the callbacks of either spec's selected operations
/// and either spec's webhooks (or codegen.toml's event schemas) reach: a webhook payload that one spec describes as a callback and the other only as a
/// component (as Plaid does) is compared with its namesake, not reported as added or removed.
fn lower_pair(old: &Path, new: &Path, operations: &[String], config: &Config) -> Result<(Api, Api), String> {
    let mut documents = [(old, load(old)?), (new, load(new)?)];
    if !operations.is_empty() {
        let mut payloads = Vec::new();
        for (spec, document) in &mut documents {
            filter::keep_operations(document, operations).map_err(|errors| describe(spec, errors))?;
            payloads.extend(filter::callback_refs(document).map_err(|error| describe(spec, vec![error]))?);
            payloads.extend(filter::event_refs(document, &config.webhooks.schemas));
        }
        for (spec, document) in &mut documents {
            filter::keep_reachable_schemas(document, &payloads).map_err(|error| describe(spec, vec![error]))?;
        }
    }
    let [(_, old_document), (_, new_document)] = &documents;
    Ok((model(old, old_document, config)?, model(new, new_document, config)?))
}

fn load(spec: &Path) -> Result<OpenAPI, String> {
    generator::load::load(spec).map(|loaded| loaded.document).map_err(|error| format!("{}: {error}", spec.display()))
}

fn model(spec: &Path, document: &OpenAPI, config: &Config) -> Result<Api, String> {
    generator::model::lower_with_config(document, Some("spec-diff"), config)
        .map(|(api, _)| api)
        .map_err(|errors| describe(spec, errors))
}

fn describe(spec: &Path, errors: Vec<generator::SpecError>) -> String {
    format!("{}: {}", spec.display(), generator::Error::spec(spec, errors))
}
