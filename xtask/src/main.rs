//! `cargo xtask …`: the project's build orchestration, with nothing to install by hand.
//!
//! - `cargo xtask run [--release] [--dev-web]`: build the SPA (its release build, or with
//!   `--dev-web` the quicker development build), then serve API and SPA on embedded SQLite
//!   (`--release`: the server's release build too).
//! - `cargo xtask test`: prepare what the tests need (wasm target, Chromium, PostgreSQL), check
//!   formatting, clippy and rustdoc (warnings are errors, the web crate on wasm too), the
//!   dependencies' licenses and bans (`cargo deny`, installed when missing; deny.toml), build
//!   the SPA, run every test, check every answered status is documented, validate the OpenAPI
//!   file.
//! - `cargo xtask build-web [--release]`: only build the SPA into `dist/`.
//! - `cargo xtask bench-web [--no-build]`: build the SPA's release, print what each first
//!   visit downloads against its budget, and time the pages in Chromium on a throttled network.
//! - `cargo xtask openapi`: regenerate `openapi/openapi.json`.
//! - `cargo xtask bench-reports --backend postgres|sqlite --n N [--url URL]`: generate N
//!   registrations and measure the report latency (see docs/PERFORMANCE.md).
//! - `cargo xtask bench-import [--n 100000] [--url postgres://…]`: the import benchmark.
//! - `cargo xtask bench-writes [--seconds 20] [--writers 16] [--url postgres://…] [--server PATH]`:
//!   the concurrent write benchmark.

mod bench_import;
mod bench_reports;
mod bench_writes;
mod prerequisites;
mod statuses;
mod web;

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let release = args.iter().any(|a| a == "--release");
    match args.first().map(String::as_str) {
        Some("run") => run_app(release, &args[1..]),
        Some("test") => test(),
        Some("build-web") => web::build(release).and_then(|dist| {
            println!("SPA built into {}", dist.display());
            if release {
                web::print_weights(&dist)?;
            }
            Ok(())
        }),
        Some("bench-web") => web::bench(&args[1..]),
        Some("openapi") => cargo(&["run", "-q", "-p", "openapi"]),
        Some("check-statuses") => statuses::check(),
        Some("bench-reports") => bench_reports::run(&args[1..]),
        Some("bench-import") => bench_import::run(&args[1..]),
        Some("bench-writes") => bench_writes::run(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask run [--release] [--dev-web] | test | build-web [--release] | \
                 bench-web [--no-build] | openapi | check-statuses | \
                 bench-reports --backend postgres|sqlite --n N [--url URL] | \
                 bench-import [--n N] [--url URL] | \
                 bench-writes [--seconds N] [--writers N] [--url URL] [--server PATH]"
            );
            bail!("unknown command")
        }
    }
}

/// The workspace root.
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// The cargo that runs this xtask.
pub fn cargo_bin() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

fn cargo(args: &[&str]) -> anyhow::Result<()> {
    cargo_with_env(args, &[])
}

fn cargo_with_env(args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<()> {
    let status = Command::new(cargo_bin())
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .status()
        .with_context(|| format!("running cargo {}", args.join(" ")))?;
    if !status.success() {
        bail!("cargo {} failed", args.join(" "));
    }
    Ok(())
}

fn run_app(release: bool, rest: &[String]) -> anyhow::Result<()> {
    prerequisites::wasm_target()?;
    let dev_web = rest.iter().any(|a| a == "--dev-web");
    let dist = web::build(!dev_web)?;
    let mut args = vec!["run", "-q", "-p", "api", "--bin", "cdht"];
    if release {
        args.push("--release");
    }
    args.push("--");
    args.push("serve");
    let extra: Vec<&str> = rest
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--release" && *a != "--dev-web")
        .collect();
    args.extend(extra);
    let status = Command::new(cargo_bin())
        .args(&args)
        .current_dir(root())
        .env("CDHT_WEB_DIR", &dist)
        .status()
        .context("starting the server")?;
    if !status.success() {
        bail!("the server stopped with {status}");
    }
    Ok(())
}

fn test() -> anyhow::Result<()> {
    let started = Instant::now();
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    prerequisites::wasm_target()?;
    let browser = prerequisites::chromium();
    if let Err(err) = &browser {
        eprintln!("xtask: WARNING: no browser for the browser tests: {err:#}");
        if ci {
            bail!("the browser tests need Chromium in CI");
        }
    }
    let postgres = prerequisites::postgres();
    if let Err(err) = &postgres {
        eprintln!("xtask: WARNING: PostgreSQL is not available: {err:#}");
        if ci {
            bail!("the PostgreSQL tests need a server in CI");
        }
    }
    step("cargo fmt --check", || cargo(&["fmt", "--all", "--check"]))?;
    step(
        "cargo clippy (every crate and target, warnings are errors)",
        || {
            cargo(&[
                "clippy",
                "--workspace",
                "--exclude",
                "web",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])?;
            cargo(&[
                "clippy",
                "-p",
                "web",
                "--target",
                "wasm32-unknown-unknown",
                "--",
                "-D",
                "warnings",
            ])
        },
    )?;
    step(
        "cargo doc (every crate's own documentation, warnings are errors)",
        || {
            cargo_with_env(
                &["doc", "--workspace", "--exclude", "web", "--no-deps"],
                &[("RUSTDOCFLAGS", "-D warnings")],
            )?;
            cargo_with_env(
                &[
                    "doc",
                    "-p",
                    "web",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--no-deps",
                ],
                &[("RUSTDOCFLAGS", "-D warnings")],
            )
        },
    )?;
    step(
        "cargo deny check licenses bans (deny.toml; advisories need a database not reachable here)",
        || {
            prerequisites::cargo_deny()?;
            cargo(&["deny", "check", "licenses", "bans"])
        },
    )?;
    let mut dist = PathBuf::new();
    step("building the SPA (release)", || {
        dist = web::build(true)?;
        Ok(())
    })?;
    step(
        "the SPA's first visits within their download budgets",
        || web::check_weights(&dist),
    )?;
    statuses::clear()?;
    let mut test = Command::new(cargo_bin());
    test.args(["test", "--workspace", "--exclude", "web", "--no-fail-fast"])
        .current_dir(root());
    if browser.is_ok() {
        test.env("CDHT_REQUIRE_BROWSER", "1");
    }
    if postgres.is_ok() {
        test.env("CDHT_REQUIRE_POSTGRES", "1");
    }
    step("cargo test --workspace", || {
        let status = test.status().context("running cargo test")?;
        if status.success() {
            Ok(())
        } else {
            bail!("some tests failed")
        }
    })?;
    step(
        "every status the test servers answered is documented in openapi/openapi.json",
        statuses::check,
    )?;
    step("validating openapi/openapi.json as OpenAPI 3.1", || {
        prerequisites::validate_openapi(&root().join("openapi/openapi.json"), ci)
    })?;
    println!(
        "xtask: every test passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn step(name: &str, f: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<()> {
    let started = Instant::now();
    println!("xtask: == {name}");
    let result = f().with_context(|| format!("step failed: {name}"));
    println!(
        "xtask: == {name}: {} in {:.1} s",
        if result.is_ok() { "ok" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    result
}
