//! `cargo xtask bench-import --n 100000 [--url postgres://user@host:port]`: see
//! `bench.rs` beside this file. Run it with `--release`; the numbers of a debug build mean little.

mod bench;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let n: usize = value("--n")
        .map(|v| v.parse())
        .transpose()?
        .unwrap_or(100_000);
    let url = value("--url").unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432".to_string());
    if std::env::var_os("CDHT_LOG").is_some() {
        let mut settings = api::configuration::Settings::for_data_dir(&std::env::temp_dir());
        settings.log_filter = std::env::var("CDHT_LOG").unwrap_or_default();
        api::telemetry::init(&settings);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let report = runtime.block_on(bench::run(&url, n))?;
    println!("rows:        {}", report.rows);
    println!(
        "import:      {:.2} s  {:>9.0} rows/s  (upload, check, encrypt, write, report; {} created)",
        report.import_secs,
        report.import_rate(),
        report.created
    );
    println!(
        "COPY:        {:.2} s  {:>9.0} rows/s  (the same file into a bare table)",
        report.copy_secs,
        report.copy_rate()
    );
    println!(
        "COPY people: {:.2} s  {:>9.0} rows/s  (the stored rows into a table shaped like people, \
         its indexes and constraints: {:.1}x the bare COPY)",
        report.schema_copy_secs,
        report.rows as f64 / report.schema_copy_secs,
        report.schema_ratio()
    );
    println!("import/COPY: {:.1}x", report.ratio());
    Ok(())
}
