//! How long generation takes, phase by phase, as a ratio to a baseline measured in the same run:
//! parsing the spec's YAML into a `serde_yaml::Value`, the least any tool reading the spec must do.
//!
//! `cargo bench -p openapi-rust-generator` runs it on `spec/openapi.yaml` and, when present, on
//! the full Plaid spec in `../shared/specs/`. Each figure is the median of repeated runs.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs `work` repeatedly for about `budget` (at least 5 times) and returns the median time.
fn median_time(budget: Duration, mut work: impl FnMut()) -> Duration {
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < 5 || (started.elapsed() < budget && samples.len() < 1_000) {
        let start = Instant::now();
        work();
        samples.push(start.elapsed());
    }
    samples.sort();
    samples[samples.len() / 2]
}

fn bench(path: &Path, budget: Duration) {
    let text = std::fs::read_to_string(path).expect("the spec is readable");
    let options = generator::Options {
        crate_name: Some("bench-client".to_string()),
        spec_label: "bench.yaml".to_string(),
        ..generator::Options::default()
    };
    let baseline = median_time(budget, || {
        black_box(serde_yaml::from_str::<serde_yaml::Value>(black_box(&text)).expect("valid YAML"));
    });
    let load = median_time(budget, || {
        black_box(generator::load::parse(path, black_box(&text)).expect("loads"));
    });
    let document = generator::load::parse(path, &text).expect("loads").document;
    let model = median_time(budget, || {
        black_box(generator::model::lower(black_box(&document), Some("bench-client")).expect("lowers"));
    });
    let api = generator::model::lower(&document, Some("bench-client")).expect("lowers");
    let emit = median_time(budget, || {
        black_box(generator::emit::emit(black_box(&api), "bench.yaml").expect("emits"));
    });
    let total = median_time(budget, || {
        black_box(generator::generate_from_text(path, black_box(&text), &options).expect("generates"));
    });
    let lines: usize = generator::generate_from_text(path, &text, &options)
        .expect("generates")
        .files
        .iter()
        .map(|file| file.contents.lines().count())
        .sum();

    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    println!("{name}: {} KiB of spec, {lines} lines generated", text.len() / 1024);
    let ratio = |d: Duration| d.as_secs_f64() / baseline.as_secs_f64();
    println!("  {:<28} {:>10.2} ms   1.00x", "baseline: YAML parse", ms(baseline));
    for (label, time) in [
        ("load (YAML → openapiv3)", load),
        ("model (lower)", model),
        ("emit (tokens → text)", emit),
        ("total (generate_from_text)", total),
    ] {
        println!("  {label:<28} {:>10.2} ms {:>6.2}x", ms(time), ratio(time));
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1_000.0
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run briefly then.
    let benchmarking = std::env::args().any(|arg| arg == "--bench");
    let budget = if benchmarking { Duration::from_secs(3) } else { Duration::from_millis(1) };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    bench(&root.join("spec/openapi.yaml"), budget);
    let plaid = root.join("../shared/specs/plaid-2020-09-14.yml");
    if benchmarking && plaid.exists() {
        bench(&plaid, budget * 4);
    }
}
