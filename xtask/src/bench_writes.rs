//! `cargo xtask bench-writes [--seconds 20] [--writers 16] [--url postgres://user@host:port]
//! [--server PATH]`: builds the server (`cdht`) and the write benchmark in release mode and runs
//! the benchmark against a PostgreSQL server (a throw-away database is created and dropped):
//! concurrent writers in their own communes update people through the officers' API and the
//! sync API while a reader follows the change feed; it prints writes/s, latencies and the 503
//! rate, and checks that nothing was lost or repeated (see `api/examples/bench_writes.rs`).
//! `--server` measures another build of `cdht` with the same driver.

use anyhow::bail;

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let mut forwarded = Vec::new();
    let mut server = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            flag @ ("--seconds" | "--writers" | "--url" | "--server") => {
                let Some(value) = args.get(i + 1) else {
                    bail!("{flag} needs a value");
                };
                if flag == "--server" {
                    server = Some(value.clone());
                } else {
                    forwarded.push(flag.to_string());
                    forwarded.push(value.clone());
                }
                i += 2;
            }
            other => bail!(
                "unknown argument {other}; usage: bench-writes [--seconds N] [--writers N] \
                 [--url postgres://…] [--server PATH]"
            ),
        }
    }
    let server = match server {
        Some(path) => path,
        None => {
            crate::cargo(&["build", "-q", "--release", "-p", "api", "--bin", "cdht"])?;
            std::env::var_os("CARGO_TARGET_DIR")
                .map_or_else(|| crate::root().join("target"), std::path::PathBuf::from)
                .join("release/cdht")
                .to_string_lossy()
                .into_owned()
        }
    };
    let mut args = vec!["--server".to_string(), server];
    args.extend(forwarded);
    crate::bench_reports::run_example("bench_writes", &args, "the write benchmark")
}
