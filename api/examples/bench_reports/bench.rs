//! The reports benchmark: loads N registrations (and their people) with a spread over
//! provinces, communes, target groups, genders, ages and states into a fresh database with set-based SQL,
//! then measures the national, one province's and one commune's report through the real service
//! function ([`api::services::reports::summary`]) and prints p50/p95. `cargo xtask
//! bench-reports` builds this example in release mode and runs it.
//!
//! The bulk load goes around the counter triggers (dropped, then the counters rebuilt from
//! scratch and the triggers created again), the way an operator loads millions of rows; every
//! other write keeps the counters through the triggers.

use api::auth::{Actor, UnitPath};
use api::configuration::Settings;
use api::startup::prepare_database;
use migrations::m20251128_000009_reports as counters;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, FromQueryResult, Statement};
use secrecy::SecretString;
use shared::auth::Role;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Arguments of the reports benchmark.
#[derive(Debug, clap::Parser)]
#[command(name = "bench_reports", about)]
pub struct BenchArgs {
    /// `postgres` or `sqlite`.
    #[arg(long, default_value = "postgres")]
    pub backend: String,
    /// Registrations to generate (one person each).
    #[arg(long, default_value_t = 10_000)]
    pub n: u64,
    /// Database URL. PostgreSQL: the database is dropped and created again (default
    /// `postgres://postgres@127.0.0.1:5432/cdht_bench`). SQLite: the file is replaced (default
    /// `sqlite://<data_dir>/bench.db?mode=rwc`).
    #[arg(long)]
    pub url: Option<String>,
    /// Requests measured per report.
    #[arg(long, default_value_t = 200)]
    pub iterations: u32,
    /// Reuse the loaded database instead of generating it again.
    #[arg(long)]
    pub reuse: bool,
}

#[derive(Debug, FromQueryResult)]
struct IdRow {
    id: Uuid,
}

#[derive(Debug, FromQueryResult)]
struct CodeRow {
    code: String,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct N {
    n: i64,
}

async fn exec(db: &DatabaseConnection, sql: &str) -> anyhow::Result<()> {
    db.execute_unprepared(sql).await?;
    Ok(())
}

/// Drops and creates the PostgreSQL database of `url`.
async fn recreate_postgres(url: &str) -> anyhow::Result<()> {
    let (server, name) = url
        .rsplit_once('/')
        .ok_or_else(|| anyhow::anyhow!("the URL names no database: {url}"))?;
    let name = name.split('?').next().unwrap_or(name);
    anyhow::ensure!(
        name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "database name {name:?} must be letters, digits and _"
    );
    let admin = sea_orm::Database::connect(format!("{server}/postgres")).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await?;
    Ok(())
}

/// The statements that generate `n` people and registrations in the period `period`.
fn load_sql(backend: DatabaseBackend, n: u64) -> Vec<String> {
    // Communes numbered 0..M with their Association unit; a person's commune is skewed so that
    // some communes are much larger than others (as real ones are).
    let table = match backend {
        DatabaseBackend::Postgres => "CREATE UNLOGGED TABLE",
        _ => "CREATE TABLE",
    };
    let communes = format!(
        "DROP TABLE IF EXISTS bench_communes; DROP TABLE IF EXISTS bench_people; \
        {table} bench_communes AS \
        SELECT ROW_NUMBER() OVER (ORDER BY a.code) - 1 AS i, a.code AS code, \
        a.province_code AS province_code, u.id AS unit_id \
        FROM admin_units a JOIN association_units u ON u.level = 'commune' AND u.commune_code = a.code \
        WHERE a.era = 'current' AND a.level = 'commune'"
    );
    // status from a number 0..99: 8 registered, 5 draft, 5 submitted, 4 under review,
    // 10 review passed, 6 review failed, 50 recognised, 5 not recognised, 3 revoked, 4 withdrawn.
    let status = "CASE WHEN s < 8 THEN 'registered' WHEN s < 13 THEN 'draft' WHEN s < 18 THEN 'submitted' \
        WHEN s < 22 THEN 'under_review' WHEN s < 32 THEN 'review_passed' WHEN s < 38 THEN 'review_failed' \
        WHEN s < 88 THEN 'recognised' WHEN s < 93 THEN 'not_recognised' WHEN s < 96 THEN 'revoked' \
        ELSE 'withdrawn' END";
    let group = "CASE WHEN t < 50 THEN 'farmer' WHEN t < 75 THEN 'worker' ELSE 'official' END";
    match backend {
        DatabaseBackend::Postgres => vec![
            communes,
            "CREATE INDEX ON bench_communes (i)".into(),
            format!(
                "CREATE UNLOGGED TABLE bench_people AS SELECT gen_random_uuid() AS id, g, \
                 floor((SELECT COUNT(*) FROM bench_communes) * power(random(), 1.6))::int AS ci, \
                 floor(random() * 100)::int AS s, floor(random() * 100)::int AS t, \
                 1935 + floor(random() * 75)::int AS birth_year \
                 FROM generate_series(1, {n}) g"
            ),
            "INSERT INTO people (id, full_name, search_name, gender, birth_year, commune_code, \
             province_code, target_group, created_at, updated_at, version) \
             SELECT p.id, 'Người thử ' || p.g, 'nguoi thu ' || p.g, \
             CASE WHEN p.g % 2 = 0 THEN 'male' ELSE 'female' END, p.birth_year, c.code, \
             c.province_code, NULL, now(), now(), 1 \
             FROM bench_people p JOIN bench_communes c ON c.i = p.ci"
                .into(),
            format!(
                "INSERT INTO registrations (id, person_id, period_id, target_group, \
                 reviewing_unit_id, commune_code, province_code, status, created_at, updated_at, \
                 version) SELECT gen_random_uuid(), p.id, (SELECT id FROM periods WHERE year = 2025), \
                 {group}, c.unit_id, c.code, c.province_code, {status}, now(), now(), 1 \
                 FROM bench_people p JOIN bench_communes c ON c.i = p.ci"
            ),
            "DROP TABLE bench_people; DROP TABLE bench_communes".into(),
            "ANALYZE".into(),
        ],
        _ => vec![
            communes,
            "CREATE INDEX bench_communes_i ON bench_communes (i)".into(),
            format!(
                "CREATE TABLE bench_people AS WITH RECURSIVE gen(g) AS \
                 (SELECT 1 UNION ALL SELECT g + 1 FROM gen WHERE g < {n}) \
                 SELECT randomblob(16) AS id, g, \
                 CAST((SELECT COUNT(*) FROM bench_communes) * \
                   ((abs(random()) % 1000000) / 1000000.0) * ((abs(random()) % 1000000) / 1000000.0) AS INTEGER) AS ci, \
                 abs(random()) % 100 AS s, abs(random()) % 100 AS t, \
                 1935 + abs(random()) % 75 AS birth_year FROM gen"
            ),
            "INSERT INTO people (id, full_name, search_name, gender, birth_year, commune_code, \
             province_code, target_group, created_at, updated_at, version) \
             SELECT p.id, 'Người thử ' || p.g, 'nguoi thu ' || p.g, \
             CASE WHEN p.g % 2 = 0 THEN 'male' ELSE 'female' END, p.birth_year, c.code, \
             c.province_code, NULL, datetime('now'), datetime('now'), 1 \
             FROM bench_people p JOIN bench_communes c ON c.i = p.ci"
                .into(),
            format!(
                "INSERT INTO registrations (id, person_id, period_id, target_group, \
                 reviewing_unit_id, commune_code, province_code, status, created_at, updated_at, \
                 version) SELECT randomblob(16), p.id, (SELECT id FROM periods WHERE year = 2025), \
                 {group}, c.unit_id, c.code, c.province_code, {status}, datetime('now'), \
                 datetime('now'), 1 FROM bench_people p JOIN bench_communes c ON c.i = p.ci"
            ),
            "DROP TABLE bench_people; DROP TABLE bench_communes".into(),
            "ANALYZE".into(),
        ],
    }
}

fn period_sql(backend: DatabaseBackend) -> String {
    let (id, now) = match backend {
        DatabaseBackend::Postgres => ("gen_random_uuid()", "now()"),
        _ => ("randomblob(16)", "datetime('now')"),
    };
    format!(
        "INSERT INTO periods (id, year, name, registration_opens, registration_closes, \
         self_assessment_opens, self_assessment_closes, review_opens, review_closes, \
         reviewer_level, recogniser_level, validity_months, status, created_at, updated_at, version) \
         VALUES ({id}, 2025, 'Năm 2025', '2025-01-01', '2025-12-31', '2025-01-01', '2025-12-31', \
         '2025-01-01', '2025-12-31', 'commune', 'commune', 12, 'open', {now}, {now}, 1)"
    )
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

/// Generates the data (unless `--reuse`) and prints the latency table.
pub async fn run(settings: &Settings, args: BenchArgs) -> anyhow::Result<()> {
    let (backend, url) = match args.backend.as_str() {
        "postgres" => (
            DatabaseBackend::Postgres,
            args.url
                .clone()
                .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/cdht_bench".into()),
        ),
        "sqlite" => (
            DatabaseBackend::Sqlite,
            args.url.clone().unwrap_or_else(|| {
                format!(
                    "sqlite://{}?mode=rwc",
                    settings.data_dir.join("bench.db").to_string_lossy()
                )
            }),
        ),
        other => anyhow::bail!("--backend must be postgres or sqlite, not {other}"),
    };
    let mut settings = settings.clone();
    settings.database_url = SecretString::from(url.clone());
    settings.db_max_connections = 4;
    if !args.reuse {
        match backend {
            DatabaseBackend::Postgres => recreate_postgres(&url).await?,
            _ => {
                let path = url
                    .trim_start_matches("sqlite://")
                    .split('?')
                    .next()
                    .unwrap_or_default()
                    .to_string();
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{path}{suffix}"));
                }
            }
        }
    }
    let db = prepare_database(&settings).await?;
    if !args.reuse {
        let started = Instant::now();
        exec(&db, &period_sql(backend)).await?;
        for s in counters::drop_triggers_sql(backend) {
            exec(&db, s).await?;
        }
        for s in load_sql(backend, args.n) {
            exec(&db, &s).await?;
        }
        let loaded = started.elapsed();
        let started = Instant::now();
        for s in counters::rebuild_sql(backend) {
            let s = match backend {
                // One grouping over every registration: let it hash in memory.
                DatabaseBackend::Postgres => format!("SET work_mem = '256MB'; {s}; RESET work_mem"),
                _ => s,
            };
            exec(&db, &s).await?;
        }
        for s in counters::create_triggers_sql(backend) {
            exec(&db, &s).await?;
        }
        if backend == DatabaseBackend::Postgres {
            exec(&db, "ANALYZE report_counts").await?;
        }
        println!(
            "Loaded {} registrations in {:.1} s; counters rebuilt in {:.1} s.",
            args.n,
            loaded.as_secs_f64(),
            started.elapsed().as_secs_f64()
        );
    }
    let period = IdRow::find_by_statement(Statement::from_string(
        backend,
        "SELECT id FROM periods WHERE year = 2025",
    ))
    .one(&db)
    .await?
    .ok_or_else(|| anyhow::anyhow!("no 2025 period: load the data first"))?
    .id;
    let registrations = N::find_by_statement(Statement::from_string(
        backend,
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM registrations",
    ))
    .one(&db)
    .await?
    .map_or(0, |r| r.n);
    let counter_rows = N::find_by_statement(Statement::from_string(
        backend,
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM report_counts",
    ))
    .one(&db)
    .await?
    .map_or(0, |r| r.n);
    // The largest province and its largest commune.
    let biggest = |level: &str, filter: String| {
        format!(
            "SELECT code, n FROM report_counts WHERE period_id = ? AND level = '{level}' \
             AND dim = 'all' AND status = 'recognised' {filter} ORDER BY n DESC, code LIMIT 1"
        )
    };
    let province = CodeRow::find_by_statement(api::db::sql(
        backend,
        &biggest("province", String::new()),
        vec![period.into()],
    ))
    .one(&db)
    .await?
    .ok_or_else(|| anyhow::anyhow!("no registrations"))?;
    let commune = CodeRow::find_by_statement(api::db::sql(
        backend,
        &biggest("commune", format!("AND code IN (SELECT code FROM admin_units WHERE era = 'current' AND level = 'commune' AND province_code = '{}')", province.code)),
        vec![period.into()],
    ))
    .one(&db)
    .await?
    .ok_or_else(|| anyhow::anyhow!("no commune with registrations"))?;
    let actor = |role: Role, unit: UnitPath| Actor {
        user_id: Uuid::nil(),
        username: "bench".into(),
        role,
        unit,
        association_unit_id: None,
        client: None,
        request_id: None,
    };
    let cases = [
        (
            "national".to_string(),
            actor(Role::CentralAdmin, UnitPath::nation()),
        ),
        (
            format!("province {} ({} recognised)", province.code, province.n),
            actor(Role::ProvinceOfficer, UnitPath::province(&province.code)),
        ),
        (
            format!("commune {} ({} recognised)", commune.code, commune.n),
            actor(
                Role::CommuneOfficer,
                UnitPath::commune(&province.code, &commune.code),
            ),
        ),
    ];
    println!(
        "\n{} on {}: {registrations} registrations, {counter_rows} counter rows, {} requests per report \
         (service function `reports::summary`, after 10 warm-up calls)\n",
        match backend {
            DatabaseBackend::Postgres => "PostgreSQL",
            _ => "SQLite",
        },
        url.rsplit('/').next().unwrap_or_default(),
        args.iterations
    );
    println!("| report | p50 ms | p95 ms | max ms | registered | recognised |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, actor) in cases {
        let mut last = None;
        for _ in 0..10 {
            last = Some(
                api::services::reports::summary(&db, &actor, period, None)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
            );
        }
        let mut times = Vec::with_capacity(args.iterations as usize);
        for _ in 0..args.iterations {
            let started = Instant::now();
            let r = api::services::reports::summary(&db, &actor, period, None)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            times.push(started.elapsed());
            last = Some(r);
        }
        times.sort();
        let (registered, recognised) = last
            .map(|r| (r.totals.registered, r.totals.recognised))
            .unwrap_or_default();
        println!(
            "| {name} | {:.2} | {:.2} | {:.2} | {registered} | {recognised} |",
            percentile(&times, 50.0),
            percentile(&times, 95.0),
            percentile(&times, 100.0),
        );
    }
    Ok(())
}
