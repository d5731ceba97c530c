//! `cargo xtask bench-reports --backend postgres|sqlite --n N [--url URL] [--iterations K]
//! [--reuse]`: builds the reports benchmark (`api/examples/bench_reports`) in release mode and
//! runs it: it generates
//! N registrations with set-based SQL and prints p50/p95 of the national, a province's and a
//! commune's report measured through the report service function. Not part of `cargo xtask test`.

use crate::{cargo_bin, root};
use anyhow::{Context, bail};
use std::process::Command;

pub fn run(args: &[String]) -> anyhow::Result<()> {
    run_example("bench_reports", args, "the reports benchmark")
}

/// Runs the api crate's example `name` in release mode with `args`.
pub fn run_example(name: &str, args: &[String], what: &str) -> anyhow::Result<()> {
    let status = Command::new(cargo_bin())
        .args([
            "run",
            "-q",
            "--release",
            "-p",
            "api",
            "--example",
            name,
            "--",
        ])
        .args(args)
        .current_dir(root())
        .status()
        .with_context(|| format!("running {what}"))?;
    if !status.success() {
        bail!("{what} failed");
    }
    Ok(())
}
