//! Generation against the parse floor: the whole `xtask codegen` process against a process that
//! only reads the spec into `openapiv3::OpenAPI` with `serde_yaml` (what any generator built on
//! these crates must pay), both from the same release binary, run alternately; plus each phase's
//! share of one in-process run.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use super::measure::{self, Measured};
use super::{duration, mib, Row};

/// The specs measured: ours, and the full Plaid spec when `../shared` is beside the workspace.
fn specs(root: &Path) -> Vec<(String, PathBuf)> {
    let mut specs = vec![("spec/".to_string(), root.join("spec/openapi.yaml"))];
    let plaid = root.join("../shared/specs/plaid-2020-09-14.yml");
    if plaid.is_file() {
        specs.push(("Plaid (full)".to_string(), plaid));
    }
    specs
}

pub fn run(root: &Path, runs: usize) -> Result<Vec<Row>, String> {
    let xtask = release_xtask(root)?;
    let out = std::env::temp_dir().join(format!("xtask-bench-generation-{}", std::process::id()));
    let mut rows = Vec::new();
    for (label, spec) in specs(root) {
        let mut floor = Vec::new();
        let mut ours = Vec::new();
        for _ in 0..runs {
            floor.push(measure::run(Command::new(&xtask).arg("bench-floor").arg(&spec).stdout(Stdio::null()))?);
            ours.push(measure::run(
                Command::new(&xtask)
                    .args(["codegen", "--crate-name", "bench-client", "--spec"])
                    .arg(&spec)
                    .arg("--out")
                    .arg(&out)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null()),
            )?);
        }
        let (floor_wall, floor_peak) = medians(&floor);
        let (wall, peak) = medians(&ours);
        rows.push(Row {
            name: format!("generation, {label}: wall time"),
            measured: duration(wall),
            baseline: format!("{} (parse floor)", duration(floor_wall)),
            ratio: wall.as_secs_f64() / floor_wall.as_secs_f64(),
            target: "≤ 2×".to_string(),
        });
        if let (Some(peak), Some(floor_peak)) = (peak, floor_peak) {
            rows.push(Row {
                name: format!("generation, {label}: peak memory"),
                measured: mib(peak),
                baseline: format!("{} (parse floor)", mib(floor_peak)),
                ratio: peak as f64 / floor_peak as f64,
                target: "≤ 3×".to_string(),
            });
        }
        let phases = Command::new(&xtask)
            .arg("bench-phases")
            .arg(&spec)
            .output()
            .map_err(|error| format!("cannot run the phase breakdown: {error}"))?;
        let text = String::from_utf8_lossy(&phases.stdout);
        rows.extend(
            text.lines().filter_map(Row::from_line).map(|row| Row { name: format!("  {label}: {}", row.name), ..row }),
        );
    }
    let _ = std::fs::remove_dir_all(&out);
    Ok(rows)
}

fn medians(samples: &[Measured]) -> (Duration, Option<u64>) {
    let mut walls: Vec<Duration> = samples.iter().map(|m| m.wall).collect();
    let mut peaks: Vec<u64> = samples.iter().filter_map(|m| m.peak_kib).collect();
    peaks.sort_unstable();
    (measure::median(&mut walls), peaks.get(peaks.len() / 2).copied())
}

/// Builds this task in release mode (generation is measured as users run it) and returns the
/// binary.
pub(super) fn release_xtask(root: &Path) -> Result<PathBuf, String> {
    let status = Command::new(super::cargo())
        .current_dir(root)
        .args(["build", "--quiet", "--release", "-p", "xtask"])
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !status.success() {
        return Err("`cargo build --release -p xtask` failed".to_string());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Ok(target.join("release").join(format!("xtask{}", std::env::consts::EXE_SUFFIX)))
}

/// `xtask bench-floor SPEC`: the baseline process. Reads the file and deserializes it into
/// `openapiv3::OpenAPI`, nothing else.
pub fn floor(args: &[String]) -> ExitCode {
    let Some(path) = args.first() else {
        eprintln!("usage: xtask bench-floor SPEC");
        return ExitCode::from(2);
    };
    let parsed = std::fs::read_to_string(path)
        .map_err(|error| error.to_string())
        .and_then(|text| serde_yaml::from_str::<openapiv3::OpenAPI>(&text).map_err(|error| error.to_string()));
    match parsed {
        Ok(document) => {
            println!("{} paths", black_box(&document).paths.paths.len());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `xtask bench-phases SPEC`: one in-process generation, timed phase by phase (the median of a
/// few runs each), printed as rows against the in-process parse floor.
pub fn phases(args: &[String]) -> ExitCode {
    let Some(path) = args.first().map(PathBuf::from) else {
        eprintln!("usage: xtask bench-phases SPEC");
        return ExitCode::from(2);
    };
    match phase_rows(&path) {
        Ok(rows) => {
            for row in rows {
                println!("{}", row.to_line());
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn phase_rows(path: &Path) -> Result<Vec<Row>, String> {
    const RUNS: usize = 5;
    let text = std::fs::read_to_string(path).map_err(|error| error.to_string())?;
    let out = std::env::temp_dir().join(format!("xtask-bench-phases-{}", std::process::id()));
    let mut floor = Vec::new();
    let mut phases: [Vec<Duration>; 4] = Default::default();
    for _ in 0..RUNS {
        let started = Instant::now();
        let document = serde_yaml::from_str::<openapiv3::OpenAPI>(&text).map_err(|error| error.to_string())?;
        floor.push(started.elapsed());
        drop(black_box(document));

        let started = Instant::now();
        let loaded = generator::load::parse(path, &text).map_err(|error| error.to_string())?;
        phases[0].push(started.elapsed());
        let started = Instant::now();
        let (api, _) = generator::model::lower_with_config(&loaded.document, Some("bench-client"), &Default::default())
            .map_err(|errors| format!("{} problems", errors.len()))?;
        drop(loaded);
        phases[1].push(started.elapsed());
        let started = Instant::now();
        let files = generator::emit::emit(&api, "bench.yaml").map_err(|error| error.to_string())?;
        drop(api);
        phases[2].push(started.elapsed());
        let started = Instant::now();
        files.write_to(&out).map_err(|error| error.to_string())?;
        phases[3].push(started.elapsed());
    }
    let _ = std::fs::remove_dir_all(&out);
    let floor = measure::median(&mut floor);
    let names = ["load (read, repair, openapiv3)", "model (lower)", "emit (tokens, syn, prettyplease)", "write files"];
    Ok(names
        .iter()
        .zip(phases.iter_mut())
        .map(|(name, samples)| {
            let time = measure::median(samples);
            Row {
                name: format!("phase: {name}"),
                measured: duration(time),
                baseline: format!("{} (parse, in process)", duration(floor)),
                ratio: time.as_secs_f64() / floor.as_secs_f64(),
                target: String::new(),
            }
        })
        .collect())
}
