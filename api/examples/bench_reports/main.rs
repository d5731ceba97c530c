//! `cargo xtask bench-reports --backend postgres|sqlite --n N [--url URL] [--iterations K]
//! [--reuse]`: see `bench.rs` beside this file. It reads the same settings as the server
//! (`CDHT_…`, `cdht.toml`). Run it with `--release`; the numbers of a debug build mean little.

mod bench;

use clap::Parser;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let args = bench::BenchArgs::parse();
    let settings = api::configuration::Settings::load()?;
    api::telemetry::init(&settings);
    bench::run(&settings, args).await
}
