//! `.github/workflows/ci.yml` runs the same gates as `.ci/run`, so that a repository hosted on
//! GitHub checks what our own CI checks (except the corpus, which needs `../shared`).

use pipeline_tests::workspace_root;

/// The commands every change must pass, as `.ci/run` writes them.
const GATES: &[&str] = &[
    "cargo test --workspace",
    "cargo xtask codegen --check",
    "cargo xtask difftest",
    "cargo clippy --workspace --all-targets -- -D warnings",
    "cargo fmt --check",
    "cargo doc --workspace --no-deps",
    "cargo doc -p plaid-client --features cli,mock --no-deps",
];

#[test]
fn the_github_workflow_runs_every_gate_of_ci_run() {
    let root = workspace_root();
    let ci_run = std::fs::read_to_string(root.join(".ci/run")).expect(".ci/run is readable");
    let text = std::fs::read_to_string(root.join(".github/workflows/ci.yml")).expect("the workflow is readable");
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).expect("the workflow is YAML");
    let steps = workflow["jobs"]["gates"]["steps"].as_sequence().expect("the gates job has steps");
    let commands: Vec<&str> = steps.iter().filter_map(|step| step["run"].as_str()).map(str::trim).collect();
    for gate in GATES {
        assert!(ci_run.contains(gate), ".ci/run no longer runs `{gate}`: update GATES and the workflow");
        assert!(commands.contains(gate), "the workflow does not run `{gate}`; it runs {commands:?}");
    }
    let doc_step = steps.iter().find(|step| step["run"].as_str() == Some("cargo doc --workspace --no-deps"));
    assert_eq!(
        doc_step.and_then(|step| step["env"]["RUSTDOCFLAGS"].as_str()),
        Some("-D warnings"),
        "rustdoc warnings must fail the workflow as they fail .ci/run"
    );
    assert_eq!(workflow["env"]["CARGO_INCREMENTAL"].as_str(), Some("0"));
}
