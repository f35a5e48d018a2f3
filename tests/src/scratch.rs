//! A generated crate written to a scratch directory and built with a real `cargo`, offline, with
//! the workspace's lock file.
//!
//! Every such crate builds in one shared target directory, `target/corpus` (the one the corpus
//! check of `.ci/corpus` uses), so their common dependencies are compiled once.

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::GeneratedFiles;

/// A generated crate in a directory of its own under the system's temporary directory. The
/// directory is removed when the value is dropped, unless the test is failing (so that the crate
/// can be looked at).
pub struct ScratchCrate {
    dir: PathBuf,
}

impl ScratchCrate {
    /// Writes `files` and the workspace's `Cargo.lock` to a directory named `name` followed by
    /// this process's id.
    pub fn write(files: &GeneratedFiles, name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        files.write_to(&dir).unwrap_or_else(|error| panic!("the crate is not written to {}: {error}", dir.display()));
        std::fs::copy(crate::workspace_root().join("Cargo.lock"), dir.join("Cargo.lock"))
            .expect("the lock file is copied");
        ScratchCrate { dir }
    }

    /// Where the crate is.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs `cargo check --all-targets` on the crate; `Err` holds what cargo printed on stderr.
    pub fn check(&self) -> Result<(), String> {
        self.cargo(&["check", "--offline", "--quiet", "--all-targets"])
    }

    /// Runs `cargo clippy --all-targets` with `features` (such as `["--features", "cli"]`) and
    /// `-D warnings` on the crate; `Err` holds what cargo printed on stderr.
    pub fn clippy(&self, features: &[&str]) -> Result<(), String> {
        let mut args = vec!["clippy", "--offline", "--quiet", "--all-targets"];
        args.extend_from_slice(features);
        args.extend_from_slice(&["--", "-D", "warnings"]);
        self.cargo(&args)
    }

    fn cargo(&self, args: &[&str]) -> Result<(), String> {
        let output = Command::new(env!("CARGO"))
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", crate::target_dir().join("corpus"))
            .output()
            .expect("cargo runs");
        if output.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}

impl Drop for ScratchCrate {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
