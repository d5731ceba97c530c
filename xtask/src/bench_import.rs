//! `cargo xtask bench-import [--n 100000] [--url postgres://user@host:port]`: builds the import
//! benchmark in release mode and runs it against a PostgreSQL server (a throw-away database is
//! created and dropped). It prints the rows/s of the real import path, of `COPY` of the same
//! rows into a bare table, and their ratio.

use anyhow::bail;

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let mut forwarded = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            flag @ ("--n" | "--url") => {
                let Some(value) = args.get(i + 1) else {
                    bail!("{flag} needs a value");
                };
                forwarded.push(flag.to_string());
                forwarded.push(value.clone());
                i += 2;
            }
            other => {
                bail!("unknown argument {other}; usage: bench-import [--n N] [--url postgres://…]")
            }
        }
    }
    crate::bench_reports::run_example("bench_import", &forwarded, "the import benchmark")
}
