//! `cargo xtask bench`: every benchmark of the project, each figure a ratio against a baseline
//! measured in the same run, printed as one table.
//!
//! - `generation`: the generator as a whole process against the parse floor (reading the spec
//!   into `openapiv3::OpenAPI` and nothing else), wall time and peak memory.
//! - `decode`, `client` and `streams`: the generated crate at run time (decoding, whole calls,
//!   typed event streams), from the harnesses in `tests/benches/` (run with `cargo bench`), which
//!   print their rows in [`Row::to_line`] form.
//! - `compile`: building generated crates against progenitor's output for the same spec.

mod compile;
mod conversion;
pub mod generation;
mod measure;
mod progenitor;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

const USAGE: &str = "\
usage: cargo xtask bench [generation] [conversion] [decode] [client] [streams] [compile] [--runs N]
                         [--time-passes]

  with no benchmark named, runs generation, decode, client and streams (a few minutes);
  conversion generates each Swagger 2.0 and OpenAPI 3.1 spec of ../shared/specs/dev-next
  against its OpenAPI 3.0 equivalent (about a minute) and runs only when named;
  compile builds generated crates and progenitor's output (tens of minutes) and runs only
  when named
  --runs N        whole-process runs per measurement, alternating with the baseline
                  (default 7; 5 for conversion; 3 for compile, where one run is a build of
                  each crate)
  --time-passes   with compile: also report rustc's slowest passes for our Plaid crate and
                  progenitor's (rustc -Z time-passes, on stable through RUSTC_BOOTSTRAP=1)";

/// One line of the table: a measurement, its baseline from the same run, and their ratio.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub name: String,
    pub measured: String,
    pub baseline: String,
    /// `measured / baseline` for costs (time, memory); `measured / baseline` of throughput for
    /// speeds. Which one is said by `target`.
    pub ratio: f64,
    /// The goal, e.g. `≤ 2×` or `≥ 0.9×`; empty when there is none.
    pub target: String,
}

impl Row {
    /// The row as one tab-separated line, prefixed with `bench-row`, as harnesses print it.
    pub fn to_line(&self) -> String {
        format!("bench-row\t{}\t{}\t{}\t{:.3}\t{}", self.name, self.measured, self.baseline, self.ratio, self.target)
    }

    /// Reads a line printed by [`Row::to_line`]; other lines are not rows.
    pub fn from_line(line: &str) -> Option<Row> {
        let mut fields = line.strip_prefix("bench-row\t")?.split('\t');
        let mut next = || fields.next().map(str::to_string);
        Some(Row {
            name: next()?,
            measured: next()?,
            baseline: next()?,
            ratio: next()?.parse().ok()?,
            target: next().unwrap_or_default(),
        })
    }

    /// Whether the ratio meets the target (`None` when there is no target to read).
    pub fn met(&self) -> Option<bool> {
        let target = self.target.trim();
        let number = |text: &str| text.trim().trim_end_matches('×').trim().parse::<f64>().ok();
        if let Some(limit) = target.strip_prefix('≤').and_then(number) {
            Some(self.ratio <= limit)
        } else {
            target.strip_prefix('≥').and_then(number).map(|limit| self.ratio >= limit)
        }
    }
}

pub fn main(args: &[String]) -> ExitCode {
    let mut selected: Vec<&str> = Vec::new();
    let mut runs = None;
    let mut time_passes = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "generation" | "conversion" | "decode" | "client" | "streams" | "compile" => selected.push(arg),
            "--runs" => match iter.next().and_then(|n| n.parse().ok()).filter(|n| *n > 0) {
                Some(n) => runs = Some(n),
                None => return usage_error("--runs needs a positive number"),
            },
            "--time-passes" => time_passes = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return usage_error(&format!("unknown argument `{other}`")),
        }
    }
    if selected.is_empty() {
        selected = vec!["generation", "decode", "client", "streams"];
    }
    let root = super::workspace_root();
    let mut rows = Vec::new();
    for bench in selected {
        eprintln!("==> {bench}");
        let result = match bench {
            "generation" => generation::run(&root, runs.unwrap_or(7)),
            "conversion" => conversion::run(&root, runs.unwrap_or(5)),
            "compile" => compile::run(&root, runs.unwrap_or(3), time_passes),
            harness => run_harness(&root, harness),
        };
        match result {
            Ok(found) => rows.extend(found),
            Err(message) => {
                eprintln!("error: the {bench} benchmark failed: {message}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{}", table(&rows, &machine()));
    ExitCode::SUCCESS
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

/// Runs `cargo bench -p pipeline-tests --bench NAME` and collects the rows it prints.
fn run_harness(root: &Path, name: &str) -> Result<Vec<Row>, String> {
    let output = Command::new(cargo())
        .current_dir(root)
        .args(["bench", "--quiet", "-p", "pipeline-tests", "--bench", name])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!("`cargo bench --bench {name}` failed:\n{stdout}"));
    }
    let rows: Vec<Row> = stdout.lines().filter_map(Row::from_line).collect();
    if rows.is_empty() {
        return Err(format!("`cargo bench --bench {name}` printed no rows:\n{stdout}"));
    }
    Ok(rows)
}

/// The table: one line per row, with whether it meets its target.
pub fn table(rows: &[Row], machine: &str) -> String {
    let mut out = format!("machine: {machine}\n\n");
    let header = ["benchmark", "measured", "baseline", "ratio", "target", "met"];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|row| {
            let met = match row.met() {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            };
            let ratio = format!("{:.2}×", row.ratio);
            [row.name.clone(), row.measured.clone(), row.baseline.clone(), ratio, row.target.clone(), met.to_string()]
        })
        .collect();
    let width = |column: usize| {
        cells.iter().map(|row| row[column].chars().count()).chain([header[column].len()]).max().unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let line = |cells: &[&str]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.chars().count())))
            .collect();
        format!("| {} |\n", padded.join(" | "))
    };
    out.push_str(&line(&header));
    let rule: Vec<String> = widths.iter().map(|width| "-".repeat(*width)).collect();
    let _ = writeln!(out, "|-{}-|", rule.join("-|-"));
    for row in &cells {
        let refs: Vec<&str> = row.iter().map(String::as_str).collect();
        out.push_str(&line(&refs));
    }
    out
}

/// A one-line description of the machine the figures come from.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines().next().and_then(|l| l.split_whitespace().nth(1)).and_then(|kib| kib.parse::<u64>().ok())
        })
        .map(|kib| format!(", {} GiB", kib / 1024 / 1024))
        .unwrap_or_default();
    format!("{cpu}, {cores} cores{memory}, {}", std::env::consts::OS)
}

/// The `cargo` that runs this task.
pub fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// A duration in ms or s, for the table.
pub fn duration(duration: std::time::Duration) -> String {
    let ms = duration.as_secs_f64() * 1000.0;
    if ms >= 10_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{ms:.0} ms")
    }
}

/// A size in MiB, for the table.
pub fn mib(kib: u64) -> String {
    format!("{} MiB", kib.div_ceil(1024))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_survive_the_line_format_and_targets_are_read() {
        let row = Row {
            name: "decode: generated types".into(),
            measured: "182 MB/s".into(),
            baseline: "190 MB/s".into(),
            ratio: 0.958,
            target: "≥ 0.9×".into(),
        };
        let back = Row::from_line(&row.to_line()).unwrap();
        assert_eq!(back, row);
        assert_eq!(back.met(), Some(true));
        assert_eq!(Row { ratio: 2.5, target: "≤ 2×".into(), ..row.clone() }.met(), Some(false));
        assert_eq!(Row { target: String::new(), ..row }.met(), None);
        assert!(Row::from_line("some other output").is_none());
    }
}
