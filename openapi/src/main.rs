//! Writes `openapi/openapi.json` from the API's route registration:
//! `cargo run -p openapi` (or `cargo xtask openapi`). With `--check` it only compares and exits
//! non-zero when the committed file is out of date.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let check = std::env::args().any(|a| a == "--check");
    let text = match api::openapi::document_json() {
        Ok(text) => text,
        Err(err) => {
            eprintln!("openapi: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    if check {
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed == text {
            println!("{} is up to date", path.display());
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "{} is out of date: run `cargo run -p openapi` and commit the result",
            path.display()
        );
        return ExitCode::FAILURE;
    }
    match std::fs::write(&path, text) {
        Ok(()) => {
            println!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("openapi: writing {}: {err}", path.display());
            ExitCode::FAILURE
        }
    }
}
