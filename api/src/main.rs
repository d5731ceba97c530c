//! `cdht`: see `api::cli`.

use clap::Parser;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    let cli = api::cli::Cli::parse();
    match api::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("cdht: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
