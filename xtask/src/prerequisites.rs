//! Installs or starts, idempotently, what the commands need: the wasm target, Chromium with its
//! driver, a running PostgreSQL server, the OpenAPI validator and cargo-deny. Only package registries are
//! used.

use anyhow::{Context, bail};
use std::path::Path;
use std::process::{Command, Stdio};

fn quiet(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The cargo-deny release `cargo xtask test` installs when none is installed.
const CARGO_DENY_VERSION: &str = "0.20.2";

/// Installs cargo-deny from crates.io when `cargo deny` is missing (a build of some 15 minutes
/// on two cores, once per machine); an installed one of any version is kept.
pub fn cargo_deny() -> anyhow::Result<()> {
    if quiet(Command::new(crate::cargo_bin()).args(["deny", "--version"])) {
        return Ok(());
    }
    println!("xtask: installing cargo-deny {CARGO_DENY_VERSION} (once; it builds from source)");
    let status = Command::new(crate::cargo_bin())
        .args([
            "install",
            "cargo-deny",
            "--locked",
            "--version",
            CARGO_DENY_VERSION,
        ])
        .status()
        .context("running cargo install cargo-deny")?;
    if !status.success() {
        bail!("cargo install cargo-deny failed");
    }
    Ok(())
}

/// Adds the `wasm32-unknown-unknown` target to the pinned toolchain when it is missing.
pub fn wasm_target() -> anyhow::Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(crate::root())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"))
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    println!("xtask: adding the wasm32-unknown-unknown target");
    let status = Command::new("rustup")
        .args(["target", "add", "wasm32-unknown-unknown"])
        .current_dir(crate::root())
        .status()
        .context("running rustup")?;
    if !status.success() {
        bail!("rustup could not add the wasm32-unknown-unknown target");
    }
    Ok(())
}

fn apt_install(packages: &[&str]) -> anyhow::Result<()> {
    if !is_root() {
        bail!("installing {} needs root", packages.join(" "));
    }
    println!(
        "xtask: installing {} from Debian's packages",
        packages.join(" ")
    );
    let update = Command::new("apt-get")
        .args(["update", "-qq"])
        .status()
        .context("running apt-get update")?;
    if !update.success() {
        bail!("apt-get update failed");
    }
    let status = Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .context("running apt-get install")?;
    if !status.success() {
        bail!("apt-get install {} failed", packages.join(" "));
    }
    Ok(())
}

/// Makes sure `/usr/bin/chromium` and `chromedriver` exist.
pub fn chromium() -> anyhow::Result<()> {
    let have = |bin: &str| quiet(Command::new("sh").args(["-c", &format!("command -v {bin}")]));
    if Path::new("/usr/bin/chromium").exists() && have("chromedriver") {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"])?;
    if Path::new("/usr/bin/chromium").exists() && have("chromedriver") {
        Ok(())
    } else {
        bail!("chromium or chromedriver still missing after installing")
    }
}

fn postgres_ready(url_host: &str, port: &str) -> bool {
    quiet(Command::new("pg_isready").args(["-h", url_host, "-p", port]))
}

/// Makes sure a PostgreSQL server answers on 127.0.0.1:5432 (or where
/// `CDHT_TEST_POSTGRES_URL` points, which is then only checked): starts the installed cluster
/// when it is stopped, installs the server from Debian's packages when there is none.
pub fn postgres() -> anyhow::Result<()> {
    if std::env::var("CDHT_TEST_POSTGRES_URL").is_ok() {
        return Ok(());
    }
    if postgres_ready("127.0.0.1", "5432") {
        return Ok(());
    }
    if !Path::new("/etc/postgresql").is_dir() {
        apt_install(&["postgresql"])?;
    }
    let versions = std::fs::read_dir("/etc/postgresql")
        .context("listing /etc/postgresql")?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect::<Vec<_>>();
    for version in versions {
        println!("xtask: starting PostgreSQL {version}");
        let _ = Command::new("pg_ctlcluster")
            .args(["--skip-systemctl-redirect", &version, "main", "start"])
            .status();
    }
    for _ in 0..30 {
        if postgres_ready("127.0.0.1", "5432") {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    bail!("PostgreSQL does not answer on 127.0.0.1:5432")
}

/// Validates the committed OpenAPI document with `openapi-spec-validator` (installed from PyPI
/// when missing). Without Python it warns, or fails in CI.
pub fn validate_openapi(path: &Path, ci: bool) -> anyhow::Result<()> {
    let check = "from openapi_spec_validator import validate\n\
                 from openapi_spec_validator.readers import read_from_filename\n\
                 import sys\n\
                 spec, _ = read_from_filename(sys.argv[1])\n\
                 validate(spec)\n\
                 print('openapi: valid', spec['openapi'])\n";
    let python = "python3";
    if !quiet(Command::new(python).arg("--version")) {
        if ci {
            bail!("python3 is needed to validate the OpenAPI document");
        }
        eprintln!("xtask: WARNING: no python3; the OpenAPI document is not validated");
        return Ok(());
    }
    if !quiet(Command::new(python).args(["-c", "import openapi_spec_validator"])) {
        let status = Command::new(python)
            .args([
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "openapi-spec-validator",
            ])
            .status()
            .context("installing openapi-spec-validator")?;
        if !status.success() {
            bail!("pip could not install openapi-spec-validator");
        }
    }
    let status = Command::new(python)
        .args(["-c", check])
        .arg(path)
        .status()
        .context("running the OpenAPI validator")?;
    if !status.success() {
        bail!("{} is not a valid OpenAPI document", path.display());
    }
    Ok(())
}
