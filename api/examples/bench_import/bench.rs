//! The import benchmark (`cargo xtask bench-import`): generates `n` rows, imports them through
//! the real import path (upload, background job, valid-rows-only chunks) into a fresh PostgreSQL
//! database, and in the same run loads the same file with `COPY` into a bare table, printing both
//! rates and their ratio; and, for scale, the imported rows as stored `COPY`'d into a table
//! shaped like `people` (what its indexes and constraints cost before any checking).

use anyhow::Context;
use api::auth::{Actor, UnitPath};
use api::configuration::Settings;
use api::crypto::PiiKeys;
use api::db::entities::admin_unit;
use api::import::jobs::{JobEnv, Runner};
use api::services::imports;
use sea_orm::sqlx::postgres::PgPoolCopyExt;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use secrecy::SecretString;
use shared::auth::{CreateUserRequest, Role};
use shared::import::{ImportMode, JobStatus, StartImportRequest};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one run measured.
#[derive(Debug, Clone)]
pub struct BenchReport {
    pub rows: usize,
    pub import_secs: f64,
    pub copy_secs: f64,
    /// The stored rows COPY'd into a table shaped like `people` (its indexes and constraints).
    pub schema_copy_secs: f64,
    pub created: u64,
}

impl BenchReport {
    pub fn import_rate(&self) -> f64 {
        self.rows as f64 / self.import_secs
    }
    pub fn copy_rate(&self) -> f64 {
        self.rows as f64 / self.copy_secs
    }
    pub fn ratio(&self) -> f64 {
        self.import_secs / self.copy_secs
    }
    pub fn schema_ratio(&self) -> f64 {
        self.schema_copy_secs / self.copy_secs
    }
}

/// `n` rows in the template's columns: distinct ID numbers agreeing with gender and birth,
/// phones, current communes of Hà Nội, occupations and external ids.
pub fn generate(n: usize, communes: &[String]) -> Vec<u8> {
    let mut out = String::with_capacity(n * 120);
    out.push_str("Họ và tên,Giới tính,Ngày sinh,Số định danh cá nhân,Số điện thoại,Mã xã,Nghề nghiệp,Mã hồ sơ\n");
    let family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
    let middle = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc"];
    let given = [
        "An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Mai", "Nam", "Phúc", "Quân",
    ];
    for i in 0..n {
        let female = i % 2 == 1;
        let year = 1950 + (i % 50);
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let century_gender = if female { 1 } else { 0 };
        let id = format!("001{century_gender}{:02}{:06}", year % 100, i % 1_000_000);
        // Two letters after the given name keep names distinct without digits.
        let tag: String = [i / 26 % 26, i % 26]
            .iter()
            .map(|k| char::from(b'a' + *k as u8))
            .collect();
        let name = format!(
            "{} {} {} {tag}",
            family[i % family.len()],
            if female {
                "Thị"
            } else {
                middle[i % middle.len()]
            },
            given[i % given.len()]
        );
        let commune = &communes[i % communes.len()];
        out.push_str(&format!(
            "{name},{},{day:02}/{month:02}/{year},{id},09{:08},{commune},Nông dân,B-{i}\n",
            if female { "Nữ" } else { "Nam" },
            i % 100_000_000
        ));
    }
    out.into_bytes()
}

/// Runs the benchmark against the PostgreSQL server at `base_url` (without database name).
pub async fn run(base_url: &str, n: usize) -> anyhow::Result<BenchReport> {
    anyhow::ensure!(n > 0 && n <= 1_000_000, "--n must be between 1 and 1000000");
    anyhow::ensure!(
        n <= 1_000_000,
        "ID numbers are generated from 6 digits: at most 1000000 rows"
    );
    let name = format!("cdht_bench_{}", std::process::id());
    let admin = sea_orm::Database::connect(format!("{}/postgres", base_url.trim_end_matches('/')))
        .await
        .context("connecting to PostgreSQL")?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    let result = measure(base_url, &name, n).await;
    let _ = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await;
    result
}

async fn measure(base_url: &str, database: &str, n: usize) -> anyhow::Result<BenchReport> {
    let dir = std::env::temp_dir().join(database);
    std::fs::create_dir_all(&dir)?;
    let mut settings = Settings::for_data_dir(&dir);
    settings.database_url =
        SecretString::from(format!("{}/{database}", base_url.trim_end_matches('/')));
    eprintln!("migrating {database} …");
    api::db::migrate(&settings).await?;
    let db = api::db::connect(&settings).await?;
    let account = api::cli::create_account(
        &db,
        CreateUserRequest {
            username: "bench".into(),
            password: "bench password 2025".into(),
            role: "central_admin".into(),
            unit: "VN".into(),
            full_name: None,
            association_unit_id: None,
        },
    )
    .await?;
    let actor = Actor {
        user_id: account.id,
        username: account.username,
        role: Role::CentralAdmin,
        unit: UnitPath::nation(),
        association_unit_id: None,
        client: None,
        request_id: None,
    };
    let communes: Vec<String> = admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq("current"))
        .filter(admin_unit::Column::Level.eq("commune"))
        .filter(admin_unit::Column::ProvinceCode.eq("01"))
        .all(&db)
        .await?
        .into_iter()
        .map(|u| u.code)
        .collect();
    let file = generate(n, &communes);
    eprintln!("{n} rows generated ({} bytes)", file.len());
    let pii = Arc::new(PiiKeys::from_secret(&[42u8; 64])?);
    let runner = Runner::start(JobEnv {
        db: db.clone(),
        pii,
        chunk_rows: api::import::jobs::chunk_rows(
            db.get_database_backend(),
            settings.import_chunk_rows,
        ),
        chunk_pause: Duration::ZERO,
    })?;

    // The real path: upload (read and stored), then a valid-rows-only job, until it completes.
    let started = Instant::now();
    let addresses = api::services::legacy_address::Cache::default();
    let upload = imports::upload(&db, &addresses, &actor, "bench.csv", file.clone())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let job = imports::start(
        &db,
        &runner,
        &actor,
        StartImportRequest {
            create_villages: None,
            default_target_group: None,
            upload_id: upload.id,
            mode: ImportMode::ValidOnly,
            mapping: Default::default(),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let done = loop {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let j = imports::get(&db, &actor, job.id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if !matches!(j.status, JobStatus::Queued | JobStatus::Running) {
            break j;
        }
    };
    let import_secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        done.status == JobStatus::Completed && done.counts.created == n as u64,
        "the import did not create every row: {:?} {:?} {:?}",
        done.status,
        done.counts,
        done.error
    );

    // The baseline: the same file, COPY into a bare table.
    db.execute_unprepared(
        "CREATE TABLE bench_copy (full_name text, gender text, birth text, personal_id text, \
         phone text, commune_code text, occupation text, external_id text)",
    )
    .await?;
    let pool = db.get_postgres_connection_pool();
    let started = Instant::now();
    let mut copy = pool
        .copy_in_raw("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)")
        .await?;
    copy.send(file.as_slice()).await?;
    let copied = copy.finish().await?;
    let copy_secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(copied == n as u64, "COPY loaded {copied} rows");

    // What the schema alone costs: the imported rows, as stored, COPY'd into a copy of `people`
    // with its columns, defaults, constraints and indexes (the change feed, audit and report
    // counters are not in it).
    db.execute_unprepared("CREATE TABLE bench_people (LIKE people INCLUDING ALL)")
        .await?;
    let mut stored = Vec::new();
    let mut out = pool.copy_out_raw("COPY people TO STDOUT").await?;
    while let Some(chunk) = futures_util::StreamExt::next(&mut out).await {
        stored.extend_from_slice(&chunk?);
    }
    drop(out);
    let started = Instant::now();
    let mut copy = pool.copy_in_raw("COPY bench_people FROM STDIN").await?;
    copy.send(stored.as_slice()).await?;
    let copied = copy.finish().await?;
    let schema_copy_secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        copied >= n as u64,
        "COPY into people's shape loaded {copied} rows"
    );
    db.close().await?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(BenchReport {
        rows: n,
        import_secs,
        copy_secs,
        schema_copy_secs,
        created: done.counts.created,
    })
}
