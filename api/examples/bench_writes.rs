//! `cargo xtask bench-writes [--seconds 20] [--writers 16] [--url postgres://…] [--server PATH]`:
//! the concurrent write benchmark on PostgreSQL.
//!
//! It creates a fresh database, starts the server binary on it (the release `cdht`, or the one
//! given by `--server`, so the same driver measures another build), and lets `--writers`
//! writers, each in a commune of its own province with its own officer and API client, update
//! people for a fixed time: an officer's `PUT /people/{id}` and a client's `PUT /sync/people`
//! batch in turn, one request at a time each. A reader follows `/changes` meanwhile. It prints
//! the record writes per second, the latencies, the share of 503 answers, and checks afterwards
//! that every acknowledged write is stored and in the feed, that each record's versions are
//! consecutive, that the feed carries each (record, version) once, and that
//! `cdht reports check-counters` finds the counters right. The database is dropped at the end.

use anyhow::{Context, bail, ensure};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASSWORD: &str = "Bench-Writes-2026!";
/// People each writer keeps up to date, and how many a sync batch carries.
const PEOPLE: usize = 40;
const BATCH: usize = 10;
const GIVEN: [&str; 8] = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khánh", "Lan"];

struct Options {
    url: String,
    seconds: u64,
    writers: usize,
    server: String,
}

fn options() -> anyhow::Result<Options> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    Ok(Options {
        url: value("--url").unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432".to_string()),
        seconds: value("--seconds")
            .map(|v| v.parse())
            .transpose()
            .context("--seconds")?
            .unwrap_or(20),
        writers: value("--writers")
            .map(|v| v.parse())
            .transpose()
            .context("--writers")?
            .unwrap_or(16),
        server: value("--server").context("--server PATH of the cdht binary is required")?,
    })
}

fn main() -> anyhow::Result<()> {
    let options = options()?;
    ensure!(
        (1..=34).contains(&options.writers),
        "--writers must be between 1 and 34 (one province each)"
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(options))
}

/// The throw-away database, dropped when the benchmark ends however it ends.
struct Scratch {
    admin: DatabaseConnection,
    name: String,
}

impl Scratch {
    async fn create(base: &str) -> anyhow::Result<Scratch> {
        let admin = Database::connect(format!("{base}/postgres"))
            .await
            .context("connecting to PostgreSQL")?;
        let name = format!("cdht_bench_writes_{}", std::process::id());
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
            .await?;
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await?;
        Ok(Scratch { admin, name })
    }

    async fn drop_database(self) {
        let _ = self
            .admin
            .execute_unprepared(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .await;
    }
}

/// The server under test, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn cdht(options: &Options, database_url: &str, data_dir: &std::path::Path, bind: &str) -> Command {
    let mut command = Command::new(&options.server);
    command
        .env("CDHT_DATABASE_URL", database_url)
        .env("CDHT_DATA_DIR", data_dir)
        .env("CDHT_BIND", bind)
        .env("CDHT_BOOTSTRAP_ADMIN", "false")
        .env("CDHT_CLIENT_RATE_PER_SEC", "1000000")
        .env("CDHT_CLIENT_BURST", "1000000")
        .env("CDHT_LOG", "warn")
        .env("CDHT_DB_MAX_CONNECTIONS", "40");
    command
}

async fn run(options: Options) -> anyhow::Result<()> {
    let scratch = Scratch::create(&options.url).await?;
    let result = bench(&options, &scratch).await;
    scratch.drop_database().await;
    result
}

async fn bench(options: &Options, scratch: &Scratch) -> anyhow::Result<()> {
    let database_url = format!("{}/{}", options.url, scratch.name);
    let data_dir = std::env::temp_dir().join(&scratch.name);
    std::fs::create_dir_all(&data_dir)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let bind = format!("127.0.0.1:{port}");

    // The first administrator, through the operator CLI (it migrates the database too).
    let mut create = cdht(options, &database_url, &data_dir, &bind)
        .args([
            "user",
            "create",
            "--username",
            "bench-admin",
            "--role",
            "central_admin",
            "--unit",
            "VN",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", options.server))?;
    if let Some(mut stdin) = create.stdin.take() {
        writeln!(stdin, "{PASSWORD}")?;
    }
    ensure!(
        create.wait()?.success(),
        "creating the administrator failed"
    );

    let _server = Server(
        cdht(options, &database_url, &data_dir, &bind)
            .arg("serve")
            .stdout(Stdio::null())
            .spawn()?,
    );
    let base = format!("http://{bind}");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()?;
    let started = Instant::now();
    loop {
        if let Ok(r) = http.get(format!("{base}/health/ready")).send().await
            && r.status().is_success()
        {
            break;
        }
        ensure!(
            started.elapsed() < Duration::from_secs(120),
            "the server did not get ready"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let api = Api {
        http: http.clone(),
        base: base.clone(),
    };
    let admin = api.login("bench-admin").await?;

    // One writer per province: the first commune of each, an officer and an API client.
    let provinces = api.get(&admin, "/api/v1/admin-units/provinces").await?;
    let provinces: Vec<String> = items(&provinces)
        .iter()
        .filter_map(|p| p["code"].as_str().map(str::to_string))
        .take(options.writers)
        .collect();
    let mut writers = Vec::new();
    for (w, province) in provinces.iter().enumerate() {
        let communes = api
            .get(
                &admin,
                &format!("/api/v1/admin-units/provinces/{province}/communes"),
            )
            .await?;
        let commune = items(&communes)
            .first()
            .and_then(|c| c["code"].as_str())
            .context("a province without communes")?
            .to_string();
        let username = format!("bench-{commune}");
        api.post(
            &admin,
            "/api/v1/users",
            &json!({"username": username, "password": PASSWORD, "role": "commune_officer", "unit": commune}),
        )
        .await?;
        let officer = api.login(&username).await?;
        let client = api
            .post(
                &admin,
                "/api/v1/clients",
                &json!({"name": format!("Hệ thống tỉnh {province}"), "unit": province, "operations": ["people:read", "people:write"]}),
            )
            .await?;
        let id = client["client"]["client_id"]
            .as_str()
            .context("a client id")?;
        let secret = client["client_secret"].as_str().context("a secret")?;
        let token = api.client_token(id, secret).await?;
        // The writer's people, created by its client.
        let people: Vec<Value> = (0..PEOPLE)
            .map(|i| person(w, i, &commune, "Nông dân"))
            .collect();
        let mut ids = Vec::new();
        for chunk in people.chunks(BATCH) {
            let answer = api
                .put(&token, "/api/v1/sync/people", &json!({"items": chunk}))
                .await?;
            for item in items(&answer) {
                ensure!(item["status"] == "created", "seeding: {item}");
                ids.push(item["id"].as_str().context("an id")?.to_string());
            }
        }
        writers.push(Writer {
            w,
            commune,
            officer,
            client: token,
            ids,
        });
    }
    api.post(
        &admin,
        "/api/v1/users",
        &json!({"username": "bench-reader", "password": PASSWORD, "role": "viewer", "unit": "VN"}),
    )
    .await?;
    let reader_token = api.login("bench-reader").await?;

    ensure!(
        writers.len() == options.writers,
        "found {} provinces for {} writers",
        writers.len(),
        options.writers
    );
    println!(
        "writers: {} (one commune each, {} people each), {} s, sync batches of {BATCH}",
        writers.len(),
        PEOPLE,
        options.seconds
    );
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = tokio::spawn(follow(api.clone(), reader_token, stop.clone()));
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let began = Instant::now();
    let tasks: Vec<_> = writers
        .into_iter()
        .map(|writer| tokio::spawn(write(api.clone(), writer, deadline)))
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await??);
    }
    let elapsed = began.elapsed().as_secs_f64();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut acknowledged: Vec<(String, i64, String)> = Vec::new();
    let mut latencies: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let (mut requests, mut unavailable, mut failed) = (0usize, 0usize, 0usize);
    for o in &outcomes {
        acknowledged.extend(o.acknowledged.iter().cloned());
        for (kind, ms) in &o.latencies {
            latencies.entry(kind).or_default().push(*ms);
        }
        requests += o.requests;
        unavailable += o.unavailable;
        failed += o.failed;
    }
    let feed = reader.await??;

    println!(
        "record writes: {} in {elapsed:.1} s = {:.0} writes/s ({} requests, {:.0} requests/s)",
        acknowledged.len(),
        acknowledged.len() as f64 / elapsed,
        requests,
        requests as f64 / elapsed
    );
    let mut all: Vec<f64> = latencies.values().flatten().copied().collect();
    for (kind, values) in latencies.iter_mut().chain([(&"all", &mut all)]) {
        values.sort_by(f64::total_cmp);
        println!(
            "  {kind:<12} p50 {:>7.1} ms  p99 {:>7.1} ms  ({} requests)",
            percentile(values, 0.50),
            percentile(values, 0.99),
            values.len()
        );
    }
    println!(
        "503 answers: {unavailable} of {requests} ({:.3} %); other failures: {failed}",
        100.0 * unavailable as f64 / requests.max(1) as f64
    );

    // Checks.
    let db = Database::connect(&database_url).await?;
    let mut problems = Vec::new();
    let acked: HashSet<(String, i64)> = acknowledged
        .iter()
        .map(|(id, v, _)| (id.clone(), *v))
        .collect();
    if acked.len() != acknowledged.len() {
        problems.push(format!(
            "{} acknowledged writes share a (record, version) with another",
            acknowledged.len() - acked.len()
        ));
    }
    let mut last: HashMap<&str, (i64, &str)> = HashMap::new();
    for (id, v, occupation) in &acknowledged {
        let entry = last.entry(id).or_insert((0, ""));
        if *v > entry.0 {
            *entry = (*v, occupation);
        }
    }
    let stored = db
        .query_all(Statement::from_string(
            db.get_database_backend(),
            "SELECT id::text AS id, version, occupation FROM people",
        ))
        .await?;
    let stored: HashMap<String, (i64, Option<String>)> = stored
        .into_iter()
        .filter_map(|r| {
            Some((
                r.try_get::<String>("", "id").ok()?,
                (
                    i64::from(r.try_get::<i32>("", "version").ok()?),
                    r.try_get::<Option<String>>("", "occupation").ok()?,
                ),
            ))
        })
        .collect();
    let mut lost = 0;
    for (id, (version, occupation)) in &last {
        match stored.get(*id) {
            Some((v, o)) if v == version && o.as_deref() == Some(*occupation) => {}
            _ => lost += 1,
        }
    }
    if lost > 0 {
        problems.push(format!(
            "{lost} records do not hold their last acknowledged write"
        ));
    }
    let seen: Vec<(String, i64)> = feed.clone();
    let seen_set: HashSet<(String, i64)> = seen.iter().cloned().collect();
    let repeated = seen.len() - seen_set.len();
    if repeated > 0 {
        problems.push(format!("the feed repeated {repeated} changes"));
    }
    let missing = acked.difference(&seen_set).count();
    if missing > 0 {
        problems.push(format!(
            "{missing} acknowledged writes are missing from the feed"
        ));
    }
    let mut versions: HashMap<&str, Vec<i64>> = HashMap::new();
    for (id, v) in &seen {
        versions.entry(id).or_default().push(*v);
    }
    let broken = versions
        .values()
        .filter(|vs| {
            let mut sorted = (*vs).clone();
            sorted.sort_unstable();
            sorted != (1..=sorted.len() as i64).collect::<Vec<_>>() || sorted != **vs
        })
        .count();
    if broken > 0 {
        problems.push(format!(
            "{broken} records whose feed versions are not 1, 2, 3… in order"
        ));
    }
    let counters = cdht(options, &database_url, &data_dir, &bind)
        .args(["reports", "check-counters"])
        .output()?;
    if !counters.status.success() {
        problems.push(format!(
            "cdht reports check-counters: {}",
            String::from_utf8_lossy(&counters.stdout).trim()
        ));
    }
    db.close().await?;
    println!(
        "feed: {} changes seen by the reader, {} acknowledged writes checked",
        seen.len(),
        acked.len()
    );
    if acked.is_empty() {
        problems.push("no write was acknowledged".into());
    }
    if problems.is_empty() {
        println!(
            "checks: every acknowledged write stored and in the feed once, versions consecutive, counters right"
        );
        Ok(())
    } else {
        for p in &problems {
            println!("FAILED: {p}");
        }
        bail!("{} checks failed", problems.len())
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// The items of a page (`{"items": […]}`) or of a plain list.
fn items(page: &Value) -> Vec<Value> {
    page.as_array()
        .or_else(|| page["items"].as_array())
        .cloned()
        .unwrap_or_default()
}

fn person(w: usize, i: usize, commune: &str, occupation: &str) -> Value {
    json!({
        "external_id": format!("BW-{commune}-{i}"),
        "full_name": format!("Người Thử {} {} {}", GIVEN[w % 8], GIVEN[i % 8], GIVEN[(i / 8) % 8]),
        "gender": if i.is_multiple_of(2) { "female" } else { "male" },
        "birth_year": 1950 + (i % 50) as i32,
        "commune_code": commune,
        "occupation": occupation,
    })
}

struct Writer {
    w: usize,
    commune: String,
    officer: String,
    client: String,
    ids: Vec<String>,
}

#[derive(Default)]
struct Outcome {
    /// (record id, version, occupation written) of every acknowledged record write.
    acknowledged: Vec<(String, i64, String)>,
    latencies: Vec<(&'static str, f64)>,
    requests: usize,
    unavailable: usize,
    failed: usize,
}

/// One writer: an officer's edit and a client's batch in turn until the deadline.
async fn write(api: Api, writer: Writer, deadline: Instant) -> anyhow::Result<Outcome> {
    let mut outcome = Outcome::default();
    let mut round = 0usize;
    while Instant::now() < deadline {
        round += 1;
        let occupation = format!("Nghề {round}");
        let start = Instant::now();
        if round % 2 == 1 {
            let i = (round / 2) % PEOPLE;
            let body = person(writer.w, i, &writer.commune, &occupation);
            let answer = api
                .send(
                    api.http
                        .put(format!("{}/api/v1/people/{}", api.base, writer.ids[i]))
                        .bearer_auth(&writer.officer)
                        .json(&body),
                )
                .await?;
            outcome.requests += 1;
            outcome
                .latencies
                .push(("officer PUT", start.elapsed().as_secs_f64() * 1000.0));
            match answer {
                (200, body) => outcome.acknowledged.push((
                    writer.ids[i].clone(),
                    body["version"].as_i64().unwrap_or_default(),
                    occupation,
                )),
                (503, _) => outcome.unavailable += 1,
                (status, body) => {
                    outcome.failed += 1;
                    eprintln!("officer PUT: {status} {body}");
                }
            }
        } else {
            let first = (round / 2 * BATCH) % PEOPLE;
            let batch: Vec<Value> = (first..first + BATCH)
                .map(|i| person(writer.w, i % PEOPLE, &writer.commune, &occupation))
                .collect();
            let answer = api
                .send(
                    api.http
                        .put(format!("{}/api/v1/sync/people", api.base))
                        .bearer_auth(&writer.client)
                        .json(&json!({ "items": batch })),
                )
                .await?;
            outcome.requests += 1;
            outcome
                .latencies
                .push(("sync batch", start.elapsed().as_secs_f64() * 1000.0));
            match answer {
                (200, body) => {
                    for item in items(&body) {
                        if item["status"] == "updated" {
                            outcome.acknowledged.push((
                                item["id"].as_str().unwrap_or_default().to_string(),
                                item["version"].as_i64().unwrap_or_default(),
                                occupation.clone(),
                            ));
                        } else {
                            outcome.failed += 1;
                            eprintln!("sync item: {item}");
                        }
                    }
                }
                (503, _) => outcome.unavailable += 1,
                (status, body) => {
                    outcome.failed += 1;
                    eprintln!("sync batch: {status} {body}");
                }
            }
        }
    }
    Ok(outcome)
}

/// The reader: follows the feed from its start until told to stop and caught up; returns the
/// (record, version) of every person change seen, in feed order.
async fn follow(
    api: Api,
    token: String,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> anyhow::Result<Vec<(String, i64)>> {
    let mut cursor = String::new();
    let mut seen = Vec::new();
    let mut cursors = HashSet::new();
    let mut quiet_after_stop = 0;
    loop {
        let stopping = stop.load(std::sync::atomic::Ordering::SeqCst);
        let page = api
            .get(
                &token,
                &format!("/api/v1/changes?since={cursor}&limit=1000"),
            )
            .await?;
        let changes = items(&page);
        for c in &changes {
            ensure!(
                cursors.insert(c["cursor"].as_str().unwrap_or_default().to_string()),
                "the feed repeated the cursor {}",
                c["cursor"]
            );
            if c["resource_type"] == "person" {
                seen.push((
                    c["id"].as_str().unwrap_or_default().to_string(),
                    c["version"].as_i64().unwrap_or_default(),
                ));
            }
        }
        cursor = page["next_cursor"].as_str().unwrap_or_default().to_string();
        if page["has_more"] == json!(true) {
            continue;
        }
        if stopping {
            // Caught up after the writers stopped: a few quiet polls and it is done.
            if changes.is_empty() {
                quiet_after_stop += 1;
                if quiet_after_stop >= 3 {
                    return Ok(seen);
                }
            } else {
                quiet_after_stop = 0;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[derive(Clone)]
struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    async fn send(&self, request: reqwest::RequestBuilder) -> anyhow::Result<(u16, Value)> {
        let response = request.send().await?;
        let status = response.status().as_u16();
        let body = response.json::<Value>().await.unwrap_or(Value::Null);
        Ok((status, body))
    }

    async fn expect(&self, request: reqwest::RequestBuilder, what: &str) -> anyhow::Result<Value> {
        match self.send(request).await? {
            (200..=299, body) => Ok(body),
            (status, body) => bail!("{what}: {status} {body}"),
        }
    }

    async fn get(&self, token: &str, path: &str) -> anyhow::Result<Value> {
        self.expect(
            self.http
                .get(format!("{}{path}", self.base))
                .bearer_auth(token),
            path,
        )
        .await
    }

    async fn post(&self, token: &str, path: &str, body: &Value) -> anyhow::Result<Value> {
        self.expect(
            self.http
                .post(format!("{}{path}", self.base))
                .bearer_auth(token)
                .json(body),
            path,
        )
        .await
    }

    async fn put(&self, token: &str, path: &str, body: &Value) -> anyhow::Result<Value> {
        self.expect(
            self.http
                .put(format!("{}{path}", self.base))
                .bearer_auth(token)
                .json(body),
            path,
        )
        .await
    }

    async fn login(&self, username: &str) -> anyhow::Result<String> {
        let body = self
            .expect(
                self.http
                    .post(format!("{}/api/v1/auth/login", self.base))
                    .json(&json!({"username": username, "password": PASSWORD})),
                "login",
            )
            .await?;
        Ok(body["access_token"]
            .as_str()
            .context("an access token")?
            .to_string())
    }

    async fn client_token(&self, id: &str, secret: &str) -> anyhow::Result<String> {
        let body = self
            .expect(
                self.http
                    .post(format!("{}/api/v1/oauth/token", self.base))
                    .basic_auth(id, Some(secret))
                    .form(&[("grant_type", "client_credentials")]),
                "client token",
            )
            .await?;
        Ok(body["access_token"]
            .as_str()
            .context("an access token")?
            .to_string())
    }
}
