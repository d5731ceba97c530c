//! `cargo run -p provincial-client`: runs the example against a CDHT server. Configure with
//! `CDHT_URL` (default `http://127.0.0.1:8080`), `CDHT_CLIENT_ID`, `CDHT_CLIENT_SECRET`,
//! `CDHT_COMMUNE` (default: the first commune of the client's province, asked from the API),
//! `CDHT_PEOPLE` (default 100) and `CDHT_BATCH` (default 1000). It stops at the first refusal,
//! printing the problem, with exit status 1.

use anyhow::Context;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let config = provincial_client::Config {
        base_url: var("CDHT_URL").unwrap_or_else(|| "http://127.0.0.1:8080".into()),
        client_id: var("CDHT_CLIENT_ID").context("set CDHT_CLIENT_ID")?,
        client_secret: var("CDHT_CLIENT_SECRET").context("set CDHT_CLIENT_SECRET")?,
        commune_code: var("CDHT_COMMUNE"),
        people: var("CDHT_PEOPLE")
            .and_then(|v| v.parse().ok())
            .unwrap_or(100),
        batch_size: var("CDHT_BATCH")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000),
    };
    let started = std::time::Instant::now();
    let summary = provincial_client::run(&config).await?;
    println!(
        "created {}, updated {}, unchanged {}, queued {}, rejected {}; pulled {} changes up to cursor {} in {:.1} s",
        summary.created,
        summary.updated,
        summary.unchanged,
        summary.queued,
        summary.rejected,
        summary.changes_pulled,
        summary.last_cursor,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
