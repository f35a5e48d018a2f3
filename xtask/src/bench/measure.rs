//! Running a command as a separate process and measuring it: wall time and peak resident
//! memory (the largest of the process and every descendant it waited for, so a `cargo build`
//! reports its biggest `rustc`).

use std::process::Command;
use std::time::{Duration, Instant};

/// What one run of a command cost.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub wall: Duration,
    /// Peak resident set size in KiB (`ru_maxrss` of the process and its waited-for
    /// descendants); `None` where the platform does not report it.
    pub peak_kib: Option<u64>,
}

/// Runs `command` to completion (stdout and stderr inherited unless the caller redirected them)
/// and fails with a readable message when it does not exit successfully.
pub fn run(command: &mut Command) -> Result<Measured, String> {
    let label = format!("{command:?}");
    let started = Instant::now();
    let child = command.spawn().map_err(|error| format!("cannot start {label}: {error}"))?;
    let (success, peak_kib) = wait(child).map_err(|error| format!("waiting for {label}: {error}"))?;
    let wall = started.elapsed();
    if !success {
        return Err(format!("{label} failed"));
    }
    Ok(Measured { wall, peak_kib })
}

#[cfg(unix)]
fn wait(child: std::process::Child) -> std::io::Result<(bool, Option<u64>)> {
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain data that `wait4` fills in; `pid` is our own child, which `std`
    // has not waited for (the `Child` is only dropped, and dropping does not wait).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    drop(child);
    if waited < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let success = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    // Linux reports `ru_maxrss` in KiB, macOS in bytes.
    let maxrss = usage.ru_maxrss.max(0) as u64;
    let peak = if cfg!(target_os = "macos") { maxrss / 1024 } else { maxrss };
    Ok((success, Some(peak)))
}

#[cfg(not(unix))]
fn wait(mut child: std::process::Child) -> std::io::Result<(bool, Option<u64>)> {
    Ok((child.wait()?.success(), None))
}

/// The median of `samples` (sorted in place); zero when there are none.
pub fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}
