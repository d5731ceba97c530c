//! Builds the single-page application into `dist/`: the wasm build of the `web` crate, the
//! JavaScript glue from wasm-bindgen (the library, so no tool is downloaded), and the static
//! files (`index.html`, `style.css`, `workflow.css`, `assets/`).

use anyhow::{Context, Result, bail};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Static files copied as they are from `web/` into `dist/`.
const STATIC_FILES: [&str; 3] = ["index.html", "style.css", "workflow.css"];

/// Builds the SPA (debug or release) and returns the `dist/` directory that holds it.
pub fn build(release: bool) -> Result<PathBuf> {
    let root = workspace_root()?;
    let web = root.join("web");
    let dist = root.join("dist");

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut command = Command::new(cargo);
    command
        .current_dir(&root)
        .args(["build", "-p", "web", "--target", WASM_TARGET]);
    let profile = if release { "wasm-release" } else { "wasm-dev" };
    command.args(["--profile", profile]);
    let status = command
        .status()
        .context("cannot run cargo to build the web crate")?;
    if !status.success() {
        bail!("building the web crate for {WASM_TARGET} failed ({status})");
    }

    let wasm = target_dir(&root)
        .join(WASM_TARGET)
        .join(profile)
        .join("web.wasm");

    // Start from an empty directory so that no file of an earlier build is served.
    if dist.exists() {
        fs::remove_dir_all(&dist).with_context(|| format!("cannot empty {}", dist.display()))?;
    }
    fs::create_dir_all(&dist).with_context(|| format!("cannot create {}", dist.display()))?;

    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        .keep_debug(false)
        .out_name("web")
        .generate(&dist)
        .with_context(|| format!("wasm-bindgen failed on {}", wasm.display()))?;

    for name in STATIC_FILES {
        let from = web.join(name);
        fs::copy(&from, dist.join(name))
            .with_context(|| format!("cannot copy {}", from.display()))?;
    }
    let assets = web.join("assets");
    if assets.is_dir() {
        copy_dir(&assets, &dist.join("assets"))?;
    }
    Ok(dist)
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> Result<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .context("the xtask crate has no parent directory")
}

/// Where cargo puts build output: `CARGO_TARGET_DIR` when set, else `target/` in the workspace.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let path = entry.path();
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            fs::copy(&path, &target).with_context(|| format!("cannot copy {}", path.display()))?;
        }
    }
    Ok(())
}
