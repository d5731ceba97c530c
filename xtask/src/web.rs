//! Builds the single-page application into `dist/`.
//!
//! Two wasm bundles come out of the `web` crate: `web` (the whole application) and `public`
//! (only the login and certificate verification pages, which a visitor opens first, often on a
//! phone over a slow connection). Each gets the JavaScript glue from wasm-bindgen (the library,
//! so no tool is downloaded) and a small boot module. Every asset is named after a hash of its
//! content under `dist/assets/`, so that the server can let browsers keep it for a year; the
//! pages (`index.html`, `public.html`) and the service worker (`sw.js`) keep fixed names. Every
//! file is also written compressed with brotli and gzip (`.br`, `.gz`) for the server to send
//! as it is.

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The two bundles: the `web` crate's binary and the page that loads it.
const BUNDLES: [Bundle; 2] = [
    Bundle {
        binary: "web",
        page: "index.html",
        loading: "Đang tải ứng dụng…",
        failed: "Không tải được ứng dụng. Kiểm tra kết nối mạng rồi tải lại trang.",
    },
    Bundle {
        binary: "public",
        page: "public.html",
        loading: "Đang tải trang…",
        failed: "Không tải được trang. Kiểm tra kết nối mạng rồi tải lại trang.",
    },
];

/// The page template both bundles' pages are written from.
const TEMPLATE: &str = "index.html";

struct Bundle {
    /// The `web` crate's binary (`src/main.rs` is `web`, `src/bin/public.rs` is `public`).
    binary: &'static str,
    /// The page written to `dist/`.
    page: &'static str,
    /// What the loading screen says, and what it says when the wasm cannot be loaded.
    loading: &'static str,
    failed: &'static str,
}

/// The stylesheets every page links, in this order.
const STYLESHEETS: [&str; 2] = ["style.css", "workflow.css"];

/// Builds the SPA (debug or release) and returns the `dist/` directory that holds it.
pub fn build(release: bool) -> Result<PathBuf> {
    let root = workspace_root()?;
    let web = root.join("web");
    let dist = root.join("dist");

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut command = Command::new(cargo);
    command
        .current_dir(&root)
        .args(["build", "-p", "web", "--bins", "--target", WASM_TARGET]);
    let profile = if release { "wasm-release" } else { "wasm-dev" };
    command.args(["--profile", profile]);
    let status = command
        .status()
        .context("cannot run cargo to build the web crate")?;
    if !status.success() {
        bail!("building the web crate for {WASM_TARGET} failed ({status})");
    }
    let wasm_dir = target_dir(&root).join(WASM_TARGET).join(profile);

    // Start from an empty directory so that no file of an earlier build is served.
    if dist.exists() {
        fs::remove_dir_all(&dist).with_context(|| format!("cannot empty {}", dist.display()))?;
    }
    let assets = dist.join("assets");
    fs::create_dir_all(&assets).with_context(|| format!("cannot create {}", assets.display()))?;
    let staging = dist.join(".bindgen");

    let mut stylesheets = Vec::new();
    for name in STYLESHEETS {
        let from = web.join(name);
        let bytes = fs::read(&from).with_context(|| format!("cannot read {}", from.display()))?;
        stylesheets.push(write_hashed(&assets, name, &bytes)?);
    }
    let links: String = stylesheets
        .iter()
        .map(|url| format!("  <link rel=\"stylesheet\" href=\"{url}\">\n"))
        .collect();

    let mut app_shell = stylesheets.clone();
    for bundle in BUNDLES {
        let wasm = wasm_dir.join(format!("{}.wasm", bundle.binary));
        wasm_bindgen_cli_support::Bindgen::new()
            .input_path(&wasm)
            .web(true)?
            .keep_debug(false)
            // The function names are half of the module and serve only debuggers.
            .remove_name_section(release)
            .remove_producers_section(true)
            .out_name(bundle.binary)
            .generate(&staging)
            .with_context(|| format!("wasm-bindgen failed on {}", wasm.display()))?;
        let snippets = staging.join("snippets");
        if snippets.is_dir() {
            // Glue imports its snippets as `./snippets/<crate>-<hash>/…`: names already unique.
            copy_dir(&snippets, &assets.join("snippets"))?;
        }
        let glue_name = format!("{}.js", bundle.binary);
        let wasm_name = format!("{}_bg.wasm", bundle.binary);
        let glue = write_hashed(&assets, &glue_name, &fs::read(staging.join(&glue_name))?)?;
        let module = write_hashed(&assets, &wasm_name, &fs::read(staging.join(&wasm_name))?)?;
        let boot = boot_module(&glue, &module);
        let boot = write_hashed(
            &assets,
            &format!("boot-{}.js", bundle.binary),
            boot.as_bytes(),
        )?;
        let template_path = web.join(TEMPLATE);
        let template = fs::read_to_string(&template_path)
            .with_context(|| format!("cannot read {}", template_path.display()))?;
        let page = fill(
            &template,
            &[
                ("%STYLESHEETS%", links.trim_end()),
                ("%BOOT%", &boot),
                ("%GLUE%", &glue),
                ("%WASM%", &module),
                ("%LOADING%", bundle.loading),
                ("%FAILED%", bundle.failed),
            ],
        )?;
        fs::write(dist.join(bundle.page), page)?;
        if bundle.binary == "web" {
            app_shell.extend([glue, module, boot]);
        }
        fs::remove_dir_all(&staging)?;
    }

    let worker = fs::read_to_string(web.join("sw.js")).context("cannot read web/sw.js")?;
    let version = hex(&Sha256::digest(app_shell.join("\n").as_bytes()))[..12].to_string();
    let worker = fill(
        &worker,
        &[
            ("%VERSION%", &version),
            ("%ASSETS%", &serde_json::to_string(&app_shell)?),
        ],
    )?;
    fs::write(dist.join("sw.js"), worker)?;

    precompress(&dist, release)?;
    Ok(dist)
}

/// Writes `bytes` as `assets/<stem>-<hash>.<extension>` and returns its URL path.
fn write_hashed(assets: &Path, name: &str, bytes: &[u8]) -> Result<String> {
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    let hash = &hex(&Sha256::digest(bytes))[..16];
    let hashed = format!("{stem}-{hash}.{extension}");
    fs::write(assets.join(&hashed), bytes)
        .with_context(|| format!("cannot write {}", assets.join(&hashed).display()))?;
    Ok(format!("/assets/{hashed}"))
}

/// The module a page loads: starts the wasm, or, when it cannot be loaded, says so on the page's
/// loading screen instead of leaving it spinning.
fn boot_module(glue: &str, module: &str) -> String {
    format!(
        "import init from \"{glue}\";\n\
         init({{ module_or_path: \"{module}\" }}).catch((error) => {{\n\
         \x20 console.error(error);\n\
         \x20 const boot = document.getElementById(\"boot\");\n\
         \x20 if (boot) boot.classList.add(\"boot-failed\");\n\
         }});\n"
    )
}

/// Replaces each placeholder of `template`, every one of which must be there.
fn fill(template: &str, values: &[(&str, &str)]) -> Result<String> {
    let mut page = template.to_string();
    for (placeholder, value) in values {
        if !page.contains(placeholder) {
            bail!("the template has no {placeholder}");
        }
        page = page.replace(placeholder, value);
    }
    Ok(page)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Extensions of the files worth compressing.
const COMPRESSIBLE: [&str; 5] = ["html", "js", "css", "wasm", "json"];

/// Writes `<file>.br` and `<file>.gz` beside every compressible file of `dir`: the strongest
/// settings for a release build, quicker ones for development and tests.
fn precompress(dir: &Path, release: bool) -> Result<()> {
    let (brotli_quality, gzip_level) = if release { (11, 9) } else { (5, 6) };
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            precompress(&path, release)?;
            continue;
        }
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e));
        if !compressible {
            continue;
        }
        let bytes = fs::read(&path)?;
        let mut brotli = Vec::new();
        {
            let mut writer =
                brotli::CompressorWriter::new(&mut brotli, 1 << 16, brotli_quality, 22);
            writer.write_all(&bytes)?;
        }
        let mut gzip =
            flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(gzip_level));
        gzip.write_all(&bytes)?;
        let gzip = gzip.finish()?;
        fs::write(with_suffix(&path, "br"), brotli)?;
        fs::write(with_suffix(&path, "gz"), gzip)?;
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Prints what each first visit downloads against its budget.
pub fn print_weights(dist: &Path) -> Result<()> {
    for weight in weights(dist)? {
        println!(
            "{:<45} {:>9} bytes (brotli)  budget {:>9}  {}",
            weight.page,
            weight.bytes,
            weight.budget,
            if weight.bytes <= weight.budget {
                "ok"
            } else {
                "OVER"
            }
        );
    }
    Ok(())
}

/// Prints the weights and fails when one is over its budget.
pub fn check_weights(dist: &Path) -> Result<()> {
    print_weights(dist)?;
    let over: Vec<String> = weights(dist)?
        .into_iter()
        .filter(|w| w.bytes > w.budget)
        .map(|w| format!("{}: {} > {} bytes", w.page, w.bytes, w.budget))
        .collect();
    if !over.is_empty() {
        bail!("over budget: {}", over.join("; "));
    }
    Ok(())
}

/// `cargo xtask bench-web [--no-build]`: the release build's weights, then the load times
/// measured in Chromium on throttled networks (the `first-load` program of the tests crate).
pub fn bench(args: &[String]) -> Result<()> {
    let dist = if args.iter().any(|a| a == "--no-build") {
        workspace_root()?.join("dist")
    } else {
        build(true)?
    };
    print_weights(&dist)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let status = Command::new(cargo)
        .current_dir(workspace_root()?)
        .args(["run", "-q", "-p", "tests", "--bin", "first-load", "--"])
        .arg(&dist)
        .status()
        .context("cannot run the first-load benchmark")?;
    if !status.success() {
        bail!("the first-load benchmark failed ({status})");
    }
    Ok(())
}

/// What a visitor downloads, compressed with brotli, to open a page for the first time.
pub struct PageWeight {
    pub page: &'static str,
    pub bytes: u64,
    pub budget: u64,
}

/// The brotli weight of each first visit, read from a built `dist/`: the login and verification
/// pages (the `public` bundle) and the whole application (the `web` bundle).
pub fn weights(dist: &Path) -> Result<Vec<PageWeight>> {
    let public = page_weight(dist, "public.html")?;
    let app = page_weight(dist, "index.html")?;
    // The verification page is HTML the server renders (under 8 kB, a test of the api crate
    // checks) with the application's stylesheets.
    let stylesheets = linked_weight(dist, "index.html", |asset| asset.ends_with(".css"))?;
    Ok(vec![
        PageWeight {
            page: "login page (/login)",
            bytes: public,
            budget: 400 * 1000,
        },
        PageWeight {
            page: "certificate verification page (/verify/…), at most",
            bytes: VERIFY_PAGE_HTML + stylesheets,
            budget: 150 * 1000,
        },
        PageWeight {
            page: "whole application (/)",
            bytes: app,
            budget: 1000 * 1000,
        },
    ])
}

/// The largest the server's verification page itself may be, uncompressed.
const VERIFY_PAGE_HTML: u64 = 8_000;

/// The brotli size of `page` and of every asset it names (the boot module, the glue it imports
/// and the wasm are all named by the page, for preloading).
fn page_weight(dist: &Path, page: &str) -> Result<u64> {
    Ok(compressed_size(&dist.join(page))? + linked_weight(dist, page, |_| true)?)
}

/// The brotli size of the assets `page` names that `keep` keeps, each counted once.
fn linked_weight(dist: &Path, page: &str, keep: fn(&str) -> bool) -> Result<u64> {
    let html = fs::read_to_string(dist.join(page))
        .with_context(|| format!("cannot read {}", dist.join(page).display()))?;
    let assets: std::collections::BTreeSet<&str> = html
        .split('"')
        .filter_map(|piece| piece.strip_prefix("/assets/"))
        .filter(|asset| keep(asset))
        .collect();
    let mut total = 0;
    for asset in assets {
        total += compressed_size(&dist.join("assets").join(asset))?;
    }
    Ok(total)
}

fn compressed_size(path: &Path) -> Result<u64> {
    let br = with_suffix(path, "br");
    let file = if br.is_file() { br } else { path.to_path_buf() };
    Ok(fs::metadata(&file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len())
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
