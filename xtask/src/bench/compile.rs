//! Compile cost: building the crates we generate against building progenitor's output for the
//! same spec.
//!
//! Everything happens in a scratch workspace, `<target dir>/bench-compile/`, which has its own
//! `Cargo.toml` (`[workspace]`), `Cargo.lock` and target directory. The crates compared share
//! their dependency builds there, and the main workspace's target directory is left alone. It
//! holds:
//!
//! - `bench-spec`: our crate for `spec/` (one endpoint);
//! - `bench-plaid`: our crate for the full Plaid spec (`../shared/specs/`, 329 operations);
//! - `progenitor-plaid`: progenitor's crate for the same Plaid spec, after the few rewrites
//!   without which progenitor rejects the spec or writes a crate that does not compile (see
//!   [`progenitor::rewrite`]);
//!
//! and beside them `tools/` (cargo-progenitor, when it has to be installed), `logs/` (the output
//! of every build) and the rewritten spec.
//!
//! Every configuration measured is built once first, so that its dependencies are compiled and
//! only the crate itself is left to measure. Then, for each run, each configuration in turn has
//! its `src/lib.rs` touched and `cargo build -p NAME` timed (`CARGO_INCREMENTAL=0`, the default
//! dev profile: what `cargo build` and `cargo test` pay downstream), with its peak memory, which
//! is that of the largest `rustc`. The figures are medians.
//!
//! With `--time-passes`, `rustc -Z time-passes` (enabled on stable by `RUSTC_BOOTSTRAP=1`)
//! then reports which compiler passes dominate, for our Plaid crate and progenitor's.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use serde_yaml::{Mapping, Value};

use super::generation::release_xtask;
use super::measure::{self, Measured};
use super::{duration, mib, progenitor, Row};

/// The Plaid spec, relative to the workspace root. It is read from there and never copied into
/// the repository; its rewritten form for progenitor lives in the scratch workspace only.
const PLAID_SPEC: &str = "../shared/specs/plaid-2020-09-14.yml";

/// The area feature measured alone: the crate a user gets with
/// `default-features = false, features = ["cra", "rustls"]`.
const AREA_FEATURE: &str = "cra";

/// The package names in the scratch workspace (also their directory names).
const OURS_SPEC: &str = "bench-spec";
const OURS_PLAID: &str = "bench-plaid";
const PROGENITOR_PLAID: &str = "progenitor-plaid";

/// One `cargo build -p PACKAGE [FLAGS]` measured.
struct Config {
    package: &'static str,
    /// Extra arguments to `cargo build`, e.g. to select features.
    flags: Vec<String>,
}

impl Config {
    fn new(package: &'static str) -> Config {
        Config { package, flags: Vec::new() }
    }

    /// A name for its log files.
    fn file_stem(&self) -> String {
        self.label().replace([' ', ','], "_")
    }

    fn label(&self) -> String {
        if self.flags.is_empty() {
            self.package.to_string()
        } else {
            format!("{} {}", self.package, self.flags.join(" "))
        }
    }
}

/// The scratch workspace: its directory and the target directory its builds use.
struct Scratch {
    dir: PathBuf,
    target: PathBuf,
}

impl Scratch {
    fn new(root: &Path) -> Scratch {
        let main_target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
        let dir = std::path::absolute(main_target.join("bench-compile"))
            .unwrap_or_else(|_| main_target.join("bench-compile"));
        let target = dir.join("target");
        Scratch { dir, target }
    }

    fn crate_dir(&self, package: &str) -> PathBuf {
        self.dir.join(package)
    }

    /// `cargo SUBCOMMAND` run in the scratch workspace with its own target directory, whatever
    /// `CARGO_TARGET_DIR` this task was started with, and without incremental compilation.
    fn cargo(&self, subcommand: &str) -> Command {
        let mut command = Command::new(super::cargo());
        command
            .current_dir(&self.dir)
            .arg(subcommand)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("RUSTC_BOOTSTRAP");
        command
    }
}

/// The benchmark: generates the crates, measures their builds (`runs` of each) and returns the
/// rows; with `time_passes`, also prints rustc's slowest passes.
pub fn run(root: &Path, runs: usize, time_passes: bool) -> Result<Vec<Row>, String> {
    let scratch = Scratch::new(root);
    let plaid = root.join(PLAID_SPEC);
    if !plaid.is_file() {
        return Err(format!("the Plaid spec is not at {}", plaid.display()));
    }
    std::fs::create_dir_all(&scratch.dir)
        .map_err(|error| format!("cannot create {}: {error}", scratch.dir.display()))?;
    eprintln!("scratch workspace: {}", scratch.dir.display());

    let schemas = generate_crates(root, &scratch, &plaid)?;

    let mut configs = vec![Config::new(OURS_PLAID), Config::new(PROGENITOR_PLAID), Config::new(OURS_SPEC)];
    let area = has_feature(&scratch.crate_dir(OURS_PLAID), AREA_FEATURE)?;
    if area {
        configs.push(Config {
            package: OURS_PLAID,
            flags: vec!["--no-default-features".into(), "--features".into(), format!("{AREA_FEATURE},rustls")],
        });
    } else {
        eprintln!(
            "note: {OURS_PLAID}/Cargo.toml has no `{AREA_FEATURE}` feature (the generator does not emit \
             per-area features yet); skipping the `only feature {AREA_FEATURE}` rows"
        );
    }
    let results = measure_builds(&scratch, &configs, runs)?;
    let [ours, progenitor, spec] = [&results[0], &results[1], &results[2]];

    let version = progenitor_version(&scratch.crate_dir(PROGENITOR_PLAID));
    let baseline = |value: String| format!("{value} (progenitor {version}, Plaid full)");
    let mut rows = cost_rows("compile, Plaid full", ours, progenitor, "≤ 0.5×", &baseline);
    if area {
        rows.extend(cost_rows(
            &format!("compile, Plaid full with only feature {AREA_FEATURE}"),
            &results[3],
            progenitor,
            "≤ 0.1×",
            &baseline,
        ));
    }
    rows.push(Row {
        name: "compile, spec/ (one endpoint): build time".to_string(),
        measured: duration(spec.0),
        baseline: baseline(duration(progenitor.0)),
        ratio: spec.0.as_secs_f64() / progenitor.0.as_secs_f64(),
        target: String::new(),
    });
    rows.extend(line_rows(&scratch, schemas, &version)?);

    if time_passes {
        report_time_passes(&scratch)?;
    }
    Ok(rows)
}

/// Writes the three crates and the workspace holding them; returns the number of schemas in the
/// Plaid spec (`components.schemas`), by which lines of code are divided.
fn generate_crates(root: &Path, scratch: &Scratch, plaid: &Path) -> Result<usize, String> {
    let xtask = release_xtask(root)?;
    for (package, spec) in [(OURS_SPEC, root.join("spec")), (OURS_PLAID, plaid.to_path_buf())] {
        eprintln!("generating {package} from {}", spec.display());
        measure::run(
            Command::new(&xtask)
                .args(["codegen", "--crate-name", package, "--spec"])
                .arg(&spec)
                .arg("--out")
                .arg(scratch.crate_dir(package))
                .stdout(Stdio::null()),
        )?;
    }

    let text = std::fs::read_to_string(plaid).map_err(|error| format!("cannot read {}: {error}", plaid.display()))?;
    let mut document: Value = serde_yaml::from_str(&text).map_err(|error| format!("{}: {error}", plaid.display()))?;
    let schemas = document
        .get("components")
        .and_then(|components| components.get("schemas"))
        .and_then(Value::as_mapping)
        .map_or(0, Mapping::len);
    let rewrites = progenitor::rewrite(&mut document);
    eprintln!("rewrote the Plaid spec for progenitor: {rewrites:?}");
    let rewritten = scratch.dir.join("plaid-for-progenitor.yml");
    let text = serde_yaml::to_string(&document).map_err(|error| error.to_string())?;
    write(&rewritten, &text)?;

    let mut progenitor = progenitor::command(&scratch.dir)?;
    let out = scratch.crate_dir(PROGENITOR_PLAID);
    let _ = std::fs::remove_dir_all(&out);
    eprintln!("generating {PROGENITOR_PLAID} with progenitor");
    // progenitor prints its whole type space on stdout.
    let output = progenitor
        .arg("-i")
        .arg(&rewritten)
        .arg("-o")
        .arg(&out)
        .args(["-n", PROGENITOR_PLAID, "-v", "0.1.0"])
        .stdout(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run cargo progenitor: {error}"))?;
    if !output.status.success() {
        return Err(format!("cargo progenitor failed:\n{}", String::from_utf8_lossy(&output.stderr)));
    }

    let manifest = format!(
        "# Written by `cargo xtask bench compile`, which regenerates every member on each run.\n\
         [workspace]\n\
         resolver = \"2\"\n\
         members = [\"{OURS_SPEC}\", \"{OURS_PLAID}\", \"{PROGENITOR_PLAID}\"]\n"
    );
    write(&scratch.dir.join("Cargo.toml"), &manifest)?;
    Ok(schemas)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|error| format!("cannot write {}: {error}", path.display()))
}

/// Whether the crate's `Cargo.toml` declares `feature` in its `[features]` table.
fn has_feature(crate_dir: &Path, feature: &str) -> Result<bool, String> {
    let path = crate_dir.join("Cargo.toml");
    let manifest =
        std::fs::read_to_string(&path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let mut in_features = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_features = line == "[features]";
        } else if in_features {
            let key = line.split('=').next().unwrap_or("").trim().trim_matches('"');
            if !line.starts_with('#') && key == feature {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// The version of `progenitor-client` progenitor's crate depends on, which is progenitor's own.
fn progenitor_version(crate_dir: &Path) -> String {
    std::fs::read_to_string(crate_dir.join("Cargo.toml"))
        .ok()
        .and_then(|manifest| {
            manifest.lines().find_map(|line| {
                let version = line.trim().strip_prefix("progenitor-client")?.trim().strip_prefix('=')?;
                Some(version.trim().trim_matches('"').to_string())
            })
        })
        .unwrap_or_else(|| "?".to_string())
}

/// Builds every configuration once (dependencies included), then measures rebuilding each
/// crate alone, alternating between the configurations, `runs` times. Returns the median wall
/// time and peak memory of each configuration, in order.
fn measure_builds(scratch: &Scratch, configs: &[Config], runs: usize) -> Result<Vec<(Duration, Option<u64>)>, String> {
    let logs = scratch.dir.join("logs");
    std::fs::create_dir_all(&logs).map_err(|error| format!("cannot create {}: {error}", logs.display()))?;
    // With `-p`, cargo unifies features over the selected package's dependencies only, so a
    // `cargo build --workspace` would not leave every configuration's dependencies built (with
    // its features): warm up each exact command instead.
    for config in configs {
        eprintln!("building {} and its dependencies", config.label());
        build(scratch, config, &logs.join(format!("{}-warm-up.log", config.file_stem())))?;
    }
    let mut samples: Vec<Vec<Measured>> = configs.iter().map(|_| Vec::new()).collect();
    for run in 1..=runs {
        for (config, samples) in configs.iter().zip(&mut samples) {
            touch(&scratch.crate_dir(config.package).join("src/lib.rs"))?;
            let log = logs.join(format!("{}.log", config.file_stem()));
            let (measured, output) = build(scratch, config, &log)?;
            let compiled: Vec<&str> =
                output.lines().map(str::trim).filter(|line| line.starts_with("Compiling ")).collect();
            if compiled.len() != 1 {
                eprintln!("warning: this build of {} compiled {compiled:?}, not just the crate", config.label());
            }
            eprintln!(
                "run {run}/{runs}: {}: {}, peak {}",
                config.label(),
                duration(measured.wall),
                measured.peak_kib.map_or_else(|| "?".to_string(), mib)
            );
            samples.push(measured);
        }
    }
    Ok(samples
        .iter()
        .map(|samples| {
            let mut walls: Vec<Duration> = samples.iter().map(|m| m.wall).collect();
            let mut peaks: Vec<u64> = samples.iter().filter_map(|m| m.peak_kib).collect();
            peaks.sort_unstable();
            (measure::median(&mut walls), peaks.get(peaks.len() / 2).copied())
        })
        .collect())
}

/// Runs and measures `cargo build` of one configuration, its output (warnings, mostly, and the
/// `Compiling` lines) going to `log`; returns the measurement and the output. When the build
/// fails, the error carries the end of the output.
fn build(scratch: &Scratch, config: &Config, log: &Path) -> Result<(Measured, String), String> {
    let file = std::fs::File::create(log).map_err(|error| format!("cannot create {}: {error}", log.display()))?;
    let measured = measure::run(
        scratch.cargo("build").args(["-p", config.package]).args(&config.flags).stdout(Stdio::null()).stderr(file),
    );
    let output = std::fs::read_to_string(log).unwrap_or_default();
    match measured {
        Ok(measured) => Ok((measured, output)),
        Err(error) => {
            let lines: Vec<&str> = output.lines().collect();
            let tail = lines[lines.len().saturating_sub(40)..].join("\n");
            Err(format!("{error}\n{tail}\n(the whole output is in {})", log.display()))
        }
    }
}

/// Sets a file's modification time to now, so that cargo rebuilds its crate.
fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .map_err(|error| format!("cannot touch {}: {error}", path.display()))
}

/// The build-time and peak-memory rows of one configuration against progenitor's.
fn cost_rows(
    name: &str,
    ours: &(Duration, Option<u64>),
    progenitor: &(Duration, Option<u64>),
    target: &str,
    baseline: &dyn Fn(String) -> String,
) -> Vec<Row> {
    let mut rows = vec![Row {
        name: format!("{name}: build time"),
        measured: duration(ours.0),
        baseline: baseline(duration(progenitor.0)),
        ratio: ours.0.as_secs_f64() / progenitor.0.as_secs_f64(),
        target: target.to_string(),
    }];
    if let (Some(peak), Some(baseline_peak)) = (ours.1, progenitor.1) {
        rows.push(Row {
            name: format!("{name}: peak memory"),
            measured: mib(peak),
            baseline: baseline(mib(baseline_peak)),
            ratio: peak as f64 / baseline_peak as f64,
            target: target.to_string(),
        });
    }
    rows
}

/// Lines of Rust in a crate's `src/`: all non-blank lines, and those that are not comments
/// (both generators turn the spec's descriptions into doc comments).
#[derive(Debug, Default, Clone, Copy)]
struct Lines {
    non_blank: usize,
    code: usize,
}

fn count_lines(dir: &Path) -> Result<Lines, String> {
    let mut lines = Lines::default();
    let entries = std::fs::read_dir(dir).map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|error| error.to_string())?.path();
        if path.is_dir() {
            let inner = count_lines(&path)?;
            lines.non_blank += inner.non_blank;
            lines.code += inner.code;
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            let text =
                std::fs::read_to_string(&path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
                lines.non_blank += 1;
                lines.code += usize::from(!line.starts_with("//"));
            }
        }
    }
    Ok(lines)
}

/// Lines of Rust of our Plaid crate against progenitor's, in total and per schema of the spec.
fn line_rows(scratch: &Scratch, schemas: usize, version: &str) -> Result<Vec<Row>, String> {
    let ours = count_lines(&scratch.crate_dir(OURS_PLAID).join("src"))?;
    let progenitor = count_lines(&scratch.crate_dir(PROGENITOR_PLAID).join("src"))?;
    let schemas = schemas.max(1);
    let describe = |lines: usize| format!("{lines} lines, {:.0} per schema", lines as f64 / schemas as f64);
    let row = |name: &str, ours: usize, progenitor: usize| Row {
        name: format!("compile, Plaid full: {name} ({schemas} schemas)"),
        measured: describe(ours),
        baseline: format!("{} (progenitor {version})", describe(progenitor)),
        ratio: ours as f64 / progenitor as f64,
        target: String::new(),
    };
    Ok(vec![
        row("lines of Rust, non-blank", ours.non_blank, progenitor.non_blank),
        row("lines of Rust, not comments", ours.code, progenitor.code),
    ])
}

/// How many of the slowest passes [`report_time_passes`] prints.
const TOP_PASSES: usize = 15;

/// Rebuilds our Plaid crate and progenitor's with `rustc -Z time-passes` and prints the slowest
/// passes of ours beside the same passes of progenitor's, on stderr. Passes nest (`analysis`
/// contains `type_check_crate`, `total` everything), so the times do not add up.
fn report_time_passes(scratch: &Scratch) -> Result<(), String> {
    let ours = time_passes(scratch, OURS_PLAID)?;
    let progenitor = time_passes(scratch, PROGENITOR_PLAID)?;
    let mut sorted: Vec<&(String, f64)> = ours.iter().filter(|(pass, _)| pass != "total").collect();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1));
    let total = |passes: &[(String, f64)]| passes.iter().find(|(pass, _)| pass == "total").map_or(0.0, |p| p.1);
    eprintln!("\nrustc -Z time-passes, slowest passes of {OURS_PLAID} (seconds; passes nest):");
    eprintln!("  {:<40} {:>10} {:>18}", "pass", OURS_PLAID, PROGENITOR_PLAID);
    eprintln!("  {:<40} {:>10.2} {:>18.2}", "total", total(&ours), total(&progenitor));
    for (pass, seconds) in sorted.into_iter().take(TOP_PASSES) {
        let theirs =
            progenitor.iter().find(|(name, _)| name == pass).map_or_else(|| "-".to_string(), |p| format!("{:.2}", p.1));
        eprintln!("  {pass:<40} {seconds:>10.2} {theirs:>18}");
    }
    Ok(())
}

/// One `cargo rustc -p PACKAGE -- -Z time-passes` after touching the crate (in a target
/// directory of its own, whose dependencies are built the first time): each pass's name and
/// seconds, summed when a pass runs more than once.
fn time_passes(scratch: &Scratch, package: &str) -> Result<Vec<(String, f64)>, String> {
    eprintln!("rustc -Z time-passes on {package}");
    touch(&scratch.crate_dir(package).join("src/lib.rs"))?;
    let output = scratch
        .cargo("rustc")
        .args(["--quiet", "--lib", "-p", package, "--", "-Z", "time-passes"])
        .env("RUSTC_BOOTSTRAP", "1")
        // proc-macro2's build script reruns when `RUSTC_BOOTSTRAP` changes, which would rebuild
        // most dependencies, twice: keep these builds out of the measured target directory.
        .env("CARGO_TARGET_DIR", scratch.dir.join("target-time-passes"))
        .stdout(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run cargo rustc: {error}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("`cargo rustc -p {package} -- -Z time-passes` failed:\n{stderr}"));
    }
    let mut passes: Vec<(String, f64)> = Vec::new();
    for (pass, seconds) in stderr.lines().filter_map(parse_time_pass) {
        match passes.iter_mut().find(|(name, _)| *name == pass) {
            Some(entry) => entry.1 += seconds,
            None => passes.push((pass, seconds)),
        }
    }
    if passes.is_empty() {
        return Err(format!("`-Z time-passes` printed no passes for {package}:\n{stderr}"));
    }
    Ok(passes)
}

/// Reads a `-Z time-passes` line, `time:   1.234; rss:  100MB ->  200MB ( +100MB)\tpass`.
fn parse_time_pass(line: &str) -> Option<(String, f64)> {
    let rest = line.trim_start().strip_prefix("time:")?;
    let seconds = rest.split(';').next()?.trim().parse().ok()?;
    let pass = rest.rsplit(['\t', ')']).next()?.trim();
    (!pass.is_empty()).then(|| (pass.to_string(), seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_passes_lines_are_read() {
        let line = "time:   1.234; rss:  100MB ->  200MB ( +100MB)\ttype_check_crate";
        assert_eq!(parse_time_pass(line), Some(("type_check_crate".to_string(), 1.234)));
        assert_eq!(parse_time_pass("warning: unused variable"), None);
    }

    #[test]
    fn features_are_found_in_the_manifest() {
        let dir = std::env::temp_dir().join(format!("xtask-compile-features-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("Cargo.toml"),
            "[package]\nname = \"x\"\n\n[features]\ndefault = [\"full\", \"rustls\"]\n# cra = []\nfull = [\"cra\"]\ncra = []\n\n[dependencies]\n",
        )
        .unwrap();
        assert!(has_feature(&dir, "cra").unwrap());
        assert!(!has_feature(&dir, "transfer").unwrap());
        std::fs::write(dir.join("Cargo.toml"), "[features]\nrustls = []\n[dependencies]\ncra = \"1\"\n").unwrap();
        assert!(!has_feature(&dir, "cra").unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
