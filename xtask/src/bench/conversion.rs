//! Reading a spec that is not OpenAPI 3.0 against reading its OpenAPI 3.0 equivalent: each
//! Swagger 2.0 and OpenAPI 3.1 spec of `../shared/specs/dev-next` is generated as published
//! and as the 3.0 tree the normalising step makes of it (written out in the same format, YAML or
//! JSON), alternately, by the same release binary. The ratio is what the conversion costs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::generation::release_xtask;
use super::measure;
use super::{duration, Row};

/// The specs measured: every 2.0 and 3.1 spec of the corpus beside the workspace.
fn specs(root: &Path) -> Vec<PathBuf> {
    let dir = root.join("../shared/specs/dev-next");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json" || ext == "yaml" || ext == "yml"))
        .collect();
    specs.sort();
    specs
}

pub fn run(root: &Path, runs: usize) -> Result<Vec<Row>, String> {
    let specs = specs(root);
    if specs.is_empty() {
        return Err("no specs in ../shared/specs/dev-next".to_string());
    }
    let xtask = release_xtask(root)?;
    let scratch = std::env::temp_dir().join(format!("xtask-bench-conversion-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|error| error.to_string())?;
    let mut rows = Vec::new();
    for spec in specs {
        let name = spec.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let equivalent = scratch.join(format!("openapi30-{name}"));
        write_equivalent(&spec, &equivalent)?;
        let out = scratch.join("out");
        let mut converted = Vec::new();
        let mut baseline = Vec::new();
        for _ in 0..runs {
            baseline.push(generate(&xtask, &equivalent, &out)?);
            converted.push(generate(&xtask, &spec, &out)?);
        }
        let (wall, base) = (measure::median(&mut converted), measure::median(&mut baseline));
        rows.push(Row {
            name: format!("conversion, {name}: wall time"),
            measured: duration(wall),
            baseline: format!("{} (its 3.0 equivalent)", duration(base)),
            ratio: wall.as_secs_f64() / base.as_secs_f64(),
            target: "≤ 1.3×".to_string(),
        });
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(rows)
}

/// Writes the OpenAPI 3.0 tree of `spec` to `to`, as JSON when the spec is JSON, else as YAML.
fn write_equivalent(spec: &Path, to: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(spec).map_err(|error| format!("{}: {error}", spec.display()))?;
    let tree = generator::load::normalized_tree(spec, &text).map_err(|error| error.to_string())?;
    let written = if spec.extension().is_some_and(|ext| ext == "json") {
        serde_json::to_string(&tree).map_err(|error| error.to_string())?
    } else {
        serde_yaml::to_string(&tree).map_err(|error| error.to_string())?
    };
    std::fs::write(to, written).map_err(|error| format!("{}: {error}", to.display()))
}

fn generate(xtask: &Path, spec: &Path, out: &Path) -> Result<Duration, String> {
    let measured = measure::run(
        Command::new(xtask)
            .args(["codegen", "--crate-name", "bench-client", "--spec"])
            .arg(spec)
            .arg("--out")
            .arg(out)
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    )?;
    Ok(measured.wall)
}
