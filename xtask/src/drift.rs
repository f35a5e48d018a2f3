//! What `codegen --check` says before the diff when the output is stale: a summary computed from
//! the model. The spec the output was generated from is the spec as it was in the last commit
//! that touched the output directory (found with git); both specs are lowered and compared
//! with `generator::diff`. When their models are the same, the difference can only come from
//! an edit of the generated files (or a change of the generator), and the summary says so.

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::config::Config;
use generator::diff::{self, Ignore};

/// The summary, in lines; `None` when the previous spec cannot be recovered (not a git
/// checkout, the output never committed, or the spec not in git then).
pub fn summary(spec: &Path, out: &Path, operations: &[String], config: &Config) -> Option<String> {
    let previous = PreviousSpec::recover(spec, out)?;
    let old = crate::spec_diff::lower(&previous.spec, operations, config).ok()?;
    let new = crate::spec_diff::lower(spec, operations, config).ok()?;
    let report = diff::compare(&old, &new, Ignore::default());
    let commit = &previous.commit[..previous.commit.len().min(10)];
    let text = if report.changes.is_empty() {
        format!(
            "The spec's model is the same as when {} was last generated (commit {commit}), so the files\n\
             below were edited by hand (or the generator changed). Generated files are not edited by hand:\n\
             run `cargo xtask codegen`, and put lasting changes in the spec, codegen.toml or the generator.\n",
            out.display()
        )
    } else {
        format!(
            "The spec changed since {} was last generated (commit {commit}):\n\n{}",
            out.display(),
            report.table(config.package.version.as_str())
        )
    };
    Some(text)
}

/// The spec files as they were in a commit, written to a scratch directory (removed on drop).
struct PreviousSpec {
    commit: String,
    scratch: PathBuf,
    spec: PathBuf,
}

impl PreviousSpec {
    fn recover(spec: &Path, out: &Path) -> Option<PreviousSpec> {
        let run_git = |dir: &Path, args: &[&str]| -> Option<String> {
            let output = Command::new("git").current_dir(dir).args(args).output().ok()?;
            output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
        };
        // The repository holding the output (and, it is assumed, the spec).
        let root = PathBuf::from(run_git(out, &["rev-parse", "--show-toplevel"])?);
        let root = root.as_path();
        let git = |args: &[&str]| run_git(root, args);
        let relative = |path: &Path| -> Option<String> {
            let absolute = std::path::absolute(path).ok()?.canonicalize().ok()?;
            let root = root.canonicalize().ok()?;
            Some(absolute.strip_prefix(root).ok()?.to_string_lossy().replace('\\', "/"))
        };
        let out = relative(out)?;
        let spec_file = relative(spec)?;
        let commit = git(&["log", "-1", "--format=%H", "--", &out]).filter(|commit| !commit.is_empty())?;
        // Every file of the spec's directory at that commit, so multi-file specs resolve.
        let spec_dir = Path::new(&spec_file).parent().map(|dir| dir.to_string_lossy().into_owned()).unwrap_or_default();
        let listing =
            git(&["ls-tree", "-r", "--name-only", &commit, "--", if spec_dir.is_empty() { "." } else { &spec_dir }])?;
        let scratch = std::env::temp_dir().join(format!("xtask-previous-spec-{}", std::process::id()));
        let previous = PreviousSpec { commit: commit.clone(), spec: scratch.join(&spec_file), scratch };
        for file in listing.lines().filter(|file| !file.is_empty()) {
            let output =
                Command::new("git").current_dir(root).args(["show", &format!("{commit}:{file}")]).output().ok()?;
            if !output.status.success() {
                return None;
            }
            let target = previous.scratch.join(file);
            std::fs::create_dir_all(target.parent()?).ok()?;
            std::fs::write(&target, &output.stdout).ok()?;
        }
        previous.spec.is_file().then_some(previous)
    }
}

impl Drop for PreviousSpec {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

/// The unified diffs, joined, cut after `limit` lines with a note of how many were cut.
pub fn capped_diff(diffs: &[&str], limit: usize) -> String {
    let lines: Vec<&str> = diffs.iter().flat_map(|diff| diff.lines()).collect();
    let mut text: String = lines.iter().take(limit).flat_map(|line| [line, "\n"]).collect();
    if lines.len() > limit {
        text.push_str(&format!(
            "… {} more line(s) of diff cut; run `cargo xtask codegen` and `git diff` to see all of it\n",
            lines.len() - limit
        ));
    }
    text
}
