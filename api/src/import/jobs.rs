//! Running imports in the background. One runner thread per process, with its own runtime, takes
//! job ids from a channel, so that a long import never blocks the HTTP workers. A job is claimed
//! by a conditional update (`queued`/`interrupted` → `running`), so two processes never run the
//! same job.
//!
//! Modes:
//! - dry run: every row is checked against the database, nothing but the outcomes is written;
//! - all-or-nothing: the whole file is checked and written in one transaction; any row in error
//!   writes nothing (the valid rows are reported `skipped`);
//! - valid rows only: chunks of `import_chunk_rows` rows, each in its own transaction together
//!   with its outcomes and the job's cursor (`rows_done`), so a stop between or during chunks
//!   leaves whole chunks only and a resume continues after the last committed one.
//!
//! Writes are set-based: per chunk, one query finds the existing records of its ID numbers, one
//! those of its external ids, one multi-row `INSERT` writes the new people, one the memberships,
//! one the registrations (with their first history entry).

use crate::auth::{Actor, UnitPath};
use crate::crypto::PiiKeys;
use crate::db::entities::{
    assessment_event, import_job, import_result, import_upload, legacy_queue_item, membership,
    person, registration, user, village,
};
use crate::import::parse;
use crate::import::rows::{
    Address, Cells, Checked, Context, HeldIdentity, QueueTicket, Record, check_row,
};
use crate::services::{audit, changes, units};
use anyhow::Context as _;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use serde_json::json;
use shared::auth::Role;
use shared::import::{
    ColumnKey, ImportCounts, ImportMode, ImportOptions, JobStatus, RowMessage, RowOutcome,
    RowStatus, resolve_mapping,
};
use shared::person::PersonalId;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;

/// Rows whose outcome is known, per running job (all-or-nothing jobs write nothing until the
/// end, so their progress lives here).
static PROGRESS: Mutex<Option<HashMap<Uuid, u64>>> = Mutex::new(None);

fn set_progress(job: Uuid, done: u64) {
    if let Ok(mut map) = PROGRESS.lock() {
        map.get_or_insert_with(HashMap::new).insert(job, done);
    }
}

fn clear_progress(job: Uuid) {
    if let Ok(mut map) = PROGRESS.lock()
        && let Some(map) = map.as_mut()
    {
        map.remove(&job);
    }
}

/// The in-memory progress of a job this process runs.
pub fn progress(job: Uuid) -> Option<u64> {
    PROGRESS
        .lock()
        .ok()
        .and_then(|m| m.as_ref().and_then(|m| m.get(&job).copied()))
}

/// Whether the process is shutting down (its pool was closed): a job stops between chunks, and
/// an all-or-nothing job's open transaction is rolled back, as if the process had died.
fn stopping(db: &DatabaseConnection) -> bool {
    match db {
        DatabaseConnection::SqlxSqlitePoolConnection(_) => {
            db.get_sqlite_connection_pool().is_closed()
        }
        DatabaseConnection::SqlxPostgresPoolConnection(_) => {
            db.get_postgres_connection_pool().is_closed()
        }
        _ => false,
    }
}

fn ensure_running(db: &DatabaseConnection) -> anyhow::Result<()> {
    anyhow::ensure!(!stopping(db), "the server is stopping");
    Ok(())
}

/// What a job needs from the application.
#[derive(Clone, Debug)]
pub struct JobEnv {
    pub db: DatabaseConnection,
    pub pii: Arc<PiiKeys>,
    pub chunk_rows: usize,
    pub chunk_pause: Duration,
}

/// Hands jobs to the runner thread.
#[derive(Clone, Debug)]
pub struct Runner {
    sender: tokio::sync::mpsc::UnboundedSender<Uuid>,
}

impl Runner {
    /// Starts the runner thread.
    pub fn start(env: JobEnv) -> anyhow::Result<Runner> {
        let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<Uuid>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("building the import runtime")?;
        std::thread::Builder::new()
            .name("cdht-imports".into())
            .spawn(move || {
                runtime.block_on(async move {
                    while let Some(id) = receiver.recv().await {
                        if let Err(e) = run(&env, id).await {
                            tracing::error!(job = %id, error = %format!("{e:#}"), "import job failed");
                            let _ = fail(&env.db, id, "internal error; see the server log").await;
                        }
                        clear_progress(id);
                    }
                });
            })
            .context("starting the import thread")?;
        Ok(Runner { sender })
    }

    /// Queues a job for the runner.
    pub fn submit(&self, job: Uuid) -> anyhow::Result<()> {
        self.sender
            .send(job)
            .map_err(|_| anyhow::anyhow!("the import runner has stopped"))
    }
}

/// At start-up: jobs a stopped process left running are marked interrupted (an all-or-nothing
/// job's transaction died with it; a valid-only job keeps its committed chunks), and queued jobs
/// are handed to the runner again.
pub async fn recover(db: &DatabaseConnection, runner: &Runner) -> anyhow::Result<()> {
    import_job::Entity::update_many()
        .col_expr(
            import_job::Column::Status,
            Expr::value(JobStatus::Interrupted.as_str()),
        )
        .filter(import_job::Column::Status.eq(JobStatus::Running.as_str()))
        .exec(db)
        .await?;
    for job in import_job::Entity::find()
        .filter(import_job::Column::Status.eq(JobStatus::Queued.as_str()))
        .all(db)
        .await?
    {
        runner.submit(job.id)?;
    }
    Ok(())
}

async fn fail(db: &DatabaseConnection, id: Uuid, why: &str) -> anyhow::Result<()> {
    import_job::Entity::update_many()
        .col_expr(
            import_job::Column::Status,
            Expr::value(JobStatus::Failed.as_str()),
        )
        .col_expr(import_job::Column::Error, Expr::value(why))
        .col_expr(
            import_job::Column::FinishedAt,
            Expr::value(chrono::Utc::now()),
        )
        .filter(import_job::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The importing officer as they are now (a disabled account or a changed unit counts).
async fn actor_of(db: &DatabaseConnection, id: Option<Uuid>) -> anyhow::Result<Option<Actor>> {
    let Some(id) = id else { return Ok(None) };
    let Some(account) = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|u| u.active)
    else {
        return Ok(None);
    };
    let Some(role) = Role::parse(&account.role) else {
        return Ok(None);
    };
    let Some(unit) = units::resolve_code(db, &account.unit_code).await? else {
        return Ok(None);
    };
    Ok(Some(Actor {
        user_id: account.id,
        username: account.username,
        role,
        unit,
        association_unit_id: account.association_unit_id,
        client: None,
        request_id: None,
    }))
}

/// Rows per chunk of a valid-rows-only import: the configured number, else 5000 on PostgreSQL
/// (fewer, larger transactions) and 1000 on SQLite; never more than 1000 on SQLite, whose
/// statements bind at most 32,766 values (a chunk's memberships take 10 a row).
pub fn chunk_rows(backend: sea_orm::DatabaseBackend, configured: Option<usize>) -> usize {
    match backend {
        sea_orm::DatabaseBackend::Postgres => configured.unwrap_or(5000).clamp(1, 5000),
        _ => configured.unwrap_or(1000).clamp(1, 1000),
    }
}

/// Opens the transaction of a chunk. On PostgreSQL its lookups of existing records (by blind
/// index, external id, match key) must stay on their indexes: they are planned from statistics
/// that autovacuum refreshes only now and then, and an import grows `people` faster, so that
/// "small table" statistics would turn them into sequential scans of a large table. Every query
/// of a chunk is a lookup by key or a write, so sequential scans are simply ruled out for the
/// transaction, instead of refreshing the statistics as the import goes. JIT compilation is off
/// too: it would cost more than these short statements run (and ruling out scans inflates plan
/// costs past its threshold).
async fn begin_chunk(db: &DatabaseConnection) -> anyhow::Result<sea_orm::DatabaseTransaction> {
    let txn = crate::db::begin_write(db).await?;
    if txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        txn.execute_unprepared("SET LOCAL enable_seqscan = off; SET LOCAL jit = off")
            .await?;
    }
    Ok(txn)
}

/// Runs (or resumes) one job.
pub async fn run(env: &JobEnv, id: Uuid) -> anyhow::Result<()> {
    let db = &env.db;
    let claimed = import_job::Entity::update_many()
        .col_expr(
            import_job::Column::Status,
            Expr::value(JobStatus::Running.as_str()),
        )
        .col_expr(
            import_job::Column::StartedAt,
            Expr::value(chrono::Utc::now()),
        )
        .filter(import_job::Column::Id.eq(id))
        .filter(
            import_job::Column::Status
                .is_in([JobStatus::Queued.as_str(), JobStatus::Interrupted.as_str()]),
        )
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(());
    }
    let job = import_job::Entity::find_by_id(id)
        .one(db)
        .await?
        .context("claimed job vanished")?;
    let upload = import_upload::Entity::find_by_id(job.upload_id)
        .one(db)
        .await?
        .context("job without upload")?;
    let Some(actor) = actor_of(db, job.created_by).await? else {
        return fail(db, id, "the importing account is disabled or gone").await;
    };
    let sheet = match parse::read(&upload.content) {
        Ok(s) => s,
        Err(e) => return fail(db, id, &e.to_string()).await,
    };
    let overrides: HashMap<String, String> = serde_json::from_str(&job.mapping).unwrap_or_default();
    let mapping = match resolve_mapping(&sheet.headers, &overrides) {
        Ok(m) => m,
        Err(e) => return fail(db, id, &e.to_string()).await,
    };
    let mode = ImportMode::parse(&job.mode).context("job with unknown mode")?;
    let legacy = mapping.iter().flatten().any(|k| {
        matches!(
            k,
            ColumnKey::LegacyProvince | ColumnKey::LegacyDistrict | ColumnKey::LegacyCommune
        )
    });
    let registrations = mapping
        .iter()
        .flatten()
        .any(|k| matches!(k, ColumnKey::RegistrationYear | ColumnKey::ReviewingUnit));
    let options: ImportOptions = job
        .options
        .as_deref()
        .and_then(|o| serde_json::from_str(o).ok())
        .unwrap_or_default();
    let loading = std::time::Instant::now();
    let mut ctx = Context::load(db, legacy, registrations).await?;
    ctx.default_target_group = options
        .default_target_group
        .as_deref()
        .and_then(|g| ctx.target_group(g));
    tracing::debug!(job = %id, rows = sheet.rows.len(), context_ms = loading.elapsed().as_millis() as u64, "import started");
    let work = Work {
        env,
        actor: &actor,
        ctx: &ctx,
        mapping: &mapping,
        job: id,
        create_villages: options
            .create_villages
            .unwrap_or_else(|| creates_villages_by_default(&actor)),
    };
    match mode {
        ImportMode::DryRun => work.dry_run(&sheet.rows).await?,
        ImportMode::AllOrNothing => work.all_or_nothing(&sheet.rows).await?,
        ImportMode::ValidOnly => {
            let counts: ImportCounts = serde_json::from_str(&job.counts).unwrap_or_default();
            let start = usize::try_from(job.rows_done).unwrap_or(0);
            work.valid_only(&sheet.rows, start, counts).await?
        }
    }
    Ok(())
}

/// Whether an import creates the villages its rows name when the option is not given: commune
/// and province officers (and the centre) keep their communes' village lists.
pub fn creates_villages_by_default(actor: &Actor) -> bool {
    matches!(
        actor.role,
        Role::CommuneOfficer | Role::ProvinceOfficer | Role::CentralAdmin
    )
}

/// What one row will do when written.
#[derive(Debug)]
enum Action {
    Nothing,
    Create(Box<NewPerson>),
    /// The stored record, the row, the commune, the province and the village.
    Update(
        Box<person::Model>,
        Box<Record>,
        String,
        String,
        Option<Uuid>,
    ),
    Queue(Box<QueueTicket>, Box<Record>, Option<Uuid>),
}

#[derive(Debug)]
struct NewPerson {
    id: Uuid,
    record: Record,
    commune: String,
    province: String,
    village: Option<Uuid>,
}

/// A village a row names that its commune does not have yet, created with the row.
#[derive(Debug, Clone)]
struct NewVillage {
    id: Uuid,
    commune: String,
    province: String,
    name: String,
}

/// A registration a row makes, in the `registered` state.
#[derive(Debug, Clone)]
pub struct NewRegistration {
    pub id: Uuid,
    pub person_id: Uuid,
    pub period_id: Uuid,
    pub target_group: String,
    pub reviewing_unit_id: Uuid,
    pub commune: String,
    pub province: String,
}

/// What a row's registration columns come to, once the person is known.
pub enum RegistrationPlan {
    /// No registration asked for.
    None,
    /// The person is already registered for the period.
    Already(String),
    /// Register: period, target group, reviewing unit.
    New(Uuid, String, Uuid),
}

#[derive(Debug)]
struct Planned {
    outcome: RowOutcome,
    action: Action,
    registration: Option<NewRegistration>,
    village: Option<NewVillage>,
}

/// ID numbers and external ids seen earlier in the file (a second row with one is an error),
/// and the villages earlier rows created.
#[derive(Default)]
struct Seen {
    hashes: HashMap<String, u32>,
    external: HashMap<String, u32>,
    /// (commune, folded name) → the village an earlier row of this run created.
    villages: HashMap<(String, String), Uuid>,
}

impl Seen {
    /// Notes a valid row's identity; the error when an earlier row of the file had it.
    fn note(
        &mut self,
        row: u32,
        hash: Option<&String>,
        external: Option<&String>,
    ) -> Option<RowMessage> {
        if let Some(h) = hash {
            if let Some(first) = self.hashes.get(h) {
                return Some(message(
                    "personal_id",
                    "duplicate_in_file",
                    format!("Trùng số định danh với dòng {first} của tệp"),
                ));
            }
            self.hashes.insert(h.clone(), row);
        } else if let Some(ext) = external {
            if let Some(first) = self.external.get(ext) {
                return Some(message(
                    "external_id",
                    "duplicate_in_file",
                    format!("Trùng mã hồ sơ với dòng {first} của tệp"),
                ));
            }
            self.external.insert(ext.clone(), row);
        }
        None
    }
}

struct Work<'a> {
    env: &'a JobEnv,
    actor: &'a Actor,
    ctx: &'a Context,
    mapping: &'a [Option<ColumnKey>],
    job: Uuid,
    create_villages: bool,
}

type Rows = [(u32, Vec<String>)];

fn error_outcome(row: u32, messages: Vec<RowMessage>) -> RowOutcome {
    RowOutcome {
        row,
        status: RowStatus::Error,
        person_id: None,
        commune_code: None,
        queue_item_id: None,
        registration_id: None,
        messages,
    }
}

/// A row that writes nothing.
fn rejected(row: u32, messages: Vec<RowMessage>) -> Planned {
    Planned {
        outcome: error_outcome(row, messages),
        action: Action::Nothing,
        registration: None,
        village: None,
    }
}

fn message(column: &str, code: &str, text: String) -> RowMessage {
    RowMessage {
        column: column.to_string(),
        code: code.to_string(),
        message: text,
    }
}

/// The key that finds a held row again when the same file is imported twice.
fn match_key(pii: &PiiKeys, record: &Record, ticket: &QueueTicket) -> String {
    HeldIdentity {
        personal_id: record.personal_id.as_deref(),
        client_id: None,
        external_id: record.external_id.as_deref(),
        full_name: &record.full_name,
        birth_year: record.birth_year,
        legacy_address: &ticket.legacy_address,
    }
    .key(pii)
}

fn location(p: &person::Model) -> UnitPath {
    UnitPath::commune(&p.province_code, &p.commune_code)
}

impl Work<'_> {
    /// Checks a chunk and decides each row's action, reading (never writing) the database.
    async fn plan(
        &self,
        db: &impl ConnectionTrait,
        rows: &Rows,
        seen: &mut Seen,
    ) -> anyhow::Result<Vec<Planned>> {
        let pii = &self.env.pii;
        let checked = self.check(rows);
        // Existing records, in two queries.
        let hashes: Vec<String> = checked
            .iter()
            .filter_map(|c| c.record.as_ref()?.personal_id.as_deref())
            .map(|id| pii.blind_index(id))
            .collect();
        let by_hash: HashMap<String, person::Model> = if hashes.is_empty() {
            HashMap::new()
        } else {
            person::Entity::find()
                .filter(person::Column::PersonalIdHash.is_in(hashes))
                .all(db)
                .await?
                .into_iter()
                .filter_map(|p| Some((p.personal_id_hash.clone()?, p)))
                .collect()
        };
        let externals: Vec<String> = checked
            .iter()
            .filter_map(|c| c.record.as_ref())
            .filter(|r| r.personal_id.is_none())
            .filter_map(|r| r.external_id.clone())
            .collect();
        let by_external: HashMap<String, person::Model> = if externals.is_empty() {
            HashMap::new()
        } else {
            person::Entity::find()
                .filter(person::Column::ExternalId.is_in(externals))
                .filter(crate::services::people::within(&self.actor.unit))
                .all(db)
                .await?
                .into_iter()
                .filter_map(|p| Some((p.external_id.clone()?, p)))
                .collect()
        };
        let keys: Vec<String> = checked
            .iter()
            .filter_map(|c| match (&c.address, &c.record) {
                (Some(Address::Queue(t)), Some(r)) => Some(match_key(pii, r, t)),
                _ => None,
            })
            .collect();
        // Items of these rows: still pending (a re-import answers the same item), or resolved
        // (the officer's choice stands for the record it placed).
        let mut queued: HashMap<String, Uuid> = HashMap::new();
        let mut resolved: HashMap<String, Uuid> = HashMap::new();
        if !keys.is_empty() {
            for q in legacy_queue_item::Entity::find()
                .filter(legacy_queue_item::Column::MatchKey.is_in(keys))
                .filter(legacy_queue_item::Column::Status.is_in(["pending", "resolved"]))
                .all(db)
                .await?
            {
                let Some(key) = q.match_key else { continue };
                if q.status == "pending" {
                    queued.insert(key, q.id);
                } else if let Some(person) = q.person_id {
                    resolved.insert(key, person);
                }
            }
        }

        // Registrations the matched people already have, in one query.
        let registered: HashSet<(Uuid, Uuid)> = {
            let ids: Vec<Uuid> = checked
                .iter()
                .filter(|c| c.record.as_ref().is_some_and(|r| r.registration.is_some()))
                .filter_map(|c| {
                    let r = c.record.as_ref()?;
                    let found = match &r.personal_id {
                        Some(id) => by_hash.get(&pii.blind_index(id)),
                        None => r.external_id.as_ref().and_then(|e| by_external.get(e)),
                    };
                    found.map(|p| p.id)
                })
                .collect();
            if ids.is_empty() {
                HashSet::new()
            } else {
                registration::Entity::find()
                    .filter(registration::Column::PersonId.is_in(ids))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|r| (r.person_id, r.period_id))
                    .collect()
            }
        };

        let mut planned = Vec::with_capacity(checked.len());
        for c in checked {
            let (Some(record), Some(address), true) = (c.record, c.address, c.errors.is_empty())
            else {
                planned.push(rejected(c.row, c.errors));
                continue;
            };
            let hash = record.personal_id.as_deref().map(|id| pii.blind_index(id));
            // Duplicates inside the file.
            if let Some(duplicate) = seen.note(c.row, hash.as_ref(), record.external_id.as_ref()) {
                planned.push(rejected(c.row, vec![duplicate]));
                continue;
            }
            let existing = match &hash {
                Some(h) => by_hash.get(h),
                None => record.external_id.as_ref().and_then(|e| by_external.get(e)),
            };
            if let Some(p) = existing
                && !self.actor.unit.contains(&location(p))
                && !matches!(address, Address::Queue(_))
            {
                planned.push(rejected(
                    c.row,
                    vec![message(
                        "personal_id",
                        "exists_outside_scope",
                        "Số định danh này đã có hồ sơ ở đơn vị khác; liên hệ cán bộ đơn vị đó"
                            .into(),
                    )],
                ));
                continue;
            }
            let mut notes = c.notes;
            // A held row already resolved: the record sits on one of the candidates.
            let address = match (address, existing) {
                (Address::Queue(t), Some(p))
                    if t.candidates.contains(&p.commune_code)
                        || resolved.get(&match_key(pii, &record, &t)) == Some(&p.id) =>
                {
                    notes.push(message(
                        "legacy_commune",
                        "chosen_before",
                        format!("Xã mới đã được chọn trước đây: mã {}", p.commune_code),
                    ));
                    Address::Current {
                        commune: p.commune_code.clone(),
                        province: p.province_code.clone(),
                    }
                }
                (a, _) => a,
            };
            let (commune, province) = match address {
                Address::Queue(ticket) => {
                    let existing_item = queued.get(&match_key(pii, &record, &ticket)).copied();
                    planned.push(Planned {
                        outcome: RowOutcome {
                            row: c.row,
                            status: RowStatus::Queued,
                            person_id: existing.map(|p| p.id),
                            commune_code: None,
                            queue_item_id: existing_item,
                            registration_id: None,
                            messages: notes,
                        },
                        action: match existing_item {
                            Some(_) => Action::Nothing,
                            None => Action::Queue(
                                Box::new(ticket),
                                Box::new(record),
                                existing.map(|p| p.id),
                            ),
                        },
                        registration: None,
                        village: None,
                    });
                    continue;
                }
                Address::Current { commune, province } => (commune, province),
            };
            let mut record = record;
            let registration = match plan_registration(
                self.ctx,
                self.actor,
                &record,
                existing,
                &commune,
                &registered,
            ) {
                Ok(r) => r,
                Err(m) => {
                    planned.push(rejected(c.row, vec![m]));
                    continue;
                }
            };
            let person_id = existing.map_or_else(Uuid::new_v4, |p| p.id);
            let registration = match registration {
                RegistrationPlan::None => None,
                RegistrationPlan::Already(period) => {
                    notes.push(message(
                        "registration_year",
                        "already_registered",
                        format!("Đã đăng ký {period} từ trước"),
                    ));
                    None
                }
                RegistrationPlan::New(period_id, target_group, reviewing_unit_id) => {
                    let name = self
                        .ctx
                        .period(period_id)
                        .map(|p| p.name.clone())
                        .unwrap_or_default();
                    notes.push(message(
                        "registration_year",
                        "registered",
                        format!("Đăng ký danh hiệu, kỳ {name}"),
                    ));
                    Some(NewRegistration {
                        id: Uuid::new_v4(),
                        person_id,
                        period_id,
                        target_group,
                        reviewing_unit_id,
                        commune: commune.clone(),
                        province: province.clone(),
                    })
                }
            };
            let registration_id = registration.as_ref().map(|r| r.id);
            let (village, new_village) =
                self.village_of(&mut record, &commune, &province, seen, &mut notes);
            match existing {
                None => {
                    planned.push(Planned {
                        outcome: RowOutcome {
                            row: c.row,
                            status: RowStatus::Created,
                            person_id: Some(person_id),
                            commune_code: Some(commune.clone()),
                            queue_item_id: None,
                            registration_id,
                            messages: notes,
                        },
                        action: Action::Create(Box::new(NewPerson {
                            id: person_id,
                            record,
                            commune,
                            province,
                            village,
                        })),
                        registration,
                        village: new_village,
                    });
                }
                Some(p) => {
                    let changed = changes(p, &record, &commune, village);
                    let status = if changed.is_empty()
                        && record.membership.is_none()
                        && registration.is_none()
                    {
                        RowStatus::Unchanged
                    } else {
                        RowStatus::Updated
                    };
                    if !changed.is_empty() {
                        notes.push(message(
                            "row",
                            "changed",
                            format!("Cập nhật: {}", changed.join(", ")),
                        ));
                    }
                    let action = if changed.is_empty() && record.membership.is_none() {
                        Action::Nothing
                    } else {
                        Action::Update(
                            Box::new(p.clone()),
                            Box::new(record),
                            commune.clone(),
                            province,
                            village,
                        )
                    };
                    planned.push(Planned {
                        outcome: RowOutcome {
                            row: c.row,
                            status,
                            person_id: Some(p.id),
                            commune_code: Some(commune),
                            queue_item_id: None,
                            registration_id,
                            messages: notes,
                        },
                        action,
                        registration,
                        village: new_village,
                    });
                }
            }
        }
        Ok(planned)
    }

    /// Checks rows against the rules and the reference data (no database).
    fn check(&self, rows: &Rows) -> Vec<Checked> {
        rows.iter()
            .map(|(n, cells)| {
                check_row(
                    self.ctx,
                    self.actor,
                    *n,
                    &Cells {
                        mapping: self.mapping,
                        cells,
                    },
                )
            })
            .collect()
    }

    /// What a resumed job knew of the rows before its cursor: the identities that make a later
    /// row a duplicate within the file, exactly as an uninterrupted run noted them.
    fn replay(&self, rows: &Rows, seen: &mut Seen) {
        let pii = &self.env.pii;
        for c in self.check(rows) {
            if let (Some(record), Some(_), true) = (&c.record, &c.address, c.errors.is_empty()) {
                let hash = record.personal_id.as_deref().map(|id| pii.blind_index(id));
                let _ = seen.note(c.row, hash.as_ref(), record.external_id.as_ref());
            }
        }
    }

    /// The village a row names in its commune: registered, created by an earlier row, created
    /// now (when the import may create villages), or left out with a warning.
    fn village_of(
        &self,
        record: &mut Record,
        commune: &str,
        province: &str,
        seen: &mut Seen,
        notes: &mut Vec<RowMessage>,
    ) -> (Option<Uuid>, Option<NewVillage>) {
        let Some(name) = record.village.clone() else {
            return (None, None);
        };
        let key = (commune.to_string(), shared::text::fold(&name));
        if let Some(id) = self
            .ctx
            .village(commune, &name)
            .or_else(|| seen.villages.get(&key).copied())
        {
            return (Some(id), None);
        }
        if !self.create_villages {
            notes.push(message(
                "village",
                "unknown_village",
                format!(
                    "Xã chưa có thôn, tổ dân phố \"{name}\" trong danh mục: ghi người này không kèm thôn (thêm thôn vào danh mục rồi nhập lại nếu cần)"
                ),
            ));
            record.village = None;
            return (None, None);
        }
        let id = Uuid::new_v4();
        seen.villages.insert(key, id);
        notes.push(message(
            "village",
            "village_created",
            format!("Thêm thôn, tổ dân phố \"{name}\" vào danh mục của xã"),
        ));
        (
            Some(id),
            Some(NewVillage {
                id,
                commune: commune.to_string(),
                province: province.to_string(),
                name,
            }),
        )
    }

    /// Writes the planned rows of a chunk; a membership already active is left as it is (and
    /// the row reported unchanged when nothing else changed).
    async fn execute(
        &self,
        db: &impl ConnectionTrait,
        planned: &mut [Planned],
    ) -> anyhow::Result<Vec<changes::Pending>> {
        let mut feed = Vec::new();
        let pii = &self.env.pii;
        let now = chrono::Utc::now();
        let backend = db.get_database_backend();
        // Villages the rows named and their communes did not have, before the people on them.
        let villages: Vec<village::ActiveModel> = planned
            .iter()
            .filter_map(|p| p.village.as_ref())
            .map(|v| {
                crate::services::villages::new_village(
                    v.id,
                    &v.commune,
                    &v.province,
                    &v.name,
                    village_kind(&v.name),
                    now,
                )
            })
            .collect();
        if !villages.is_empty() {
            village::Entity::insert_many(villages).exec(db).await?;
        }
        // New people: one multi-row INSERT.
        let creates: Vec<&NewPerson> = planned
            .iter()
            .filter_map(|p| match &p.action {
                Action::Create(n) => Some(n.as_ref()),
                _ => None,
            })
            .collect();
        if !creates.is_empty() {
            let rows = creates
                .iter()
                .map(|n| {
                    let r = &n.record;
                    let (cipher, hash, masked) = pii_columns(pii, r.personal_id.as_deref())?;
                    Ok(PersonRow {
                        id: n.id,
                        full_name: r.full_name.clone(),
                        search_name: shared::text::fold(&r.full_name),
                        gender: r.gender.as_str(),
                        birth_date: r.birth_date,
                        birth_year: r.birth_year,
                        cipher,
                        hash,
                        masked,
                        phone: r.phone.clone(),
                        commune: n.commune.clone(),
                        province: n.province.clone(),
                        village: n.village,
                        occupation: r.occupation.clone(),
                        target_group: r.target_group.clone(),
                        workplace: r.workplace.clone(),
                        external_id: r.external_id.clone(),
                    })
                })
                .collect::<anyhow::Result<Vec<PersonRow>>>()?;
            let started = std::time::Instant::now();
            insert_people(db, &rows, self.actor.user_id, now).await?;
            tracing::debug!(job = %self.job, rows = rows.len(), ms = started.elapsed().as_millis() as u64, "people inserted");
            feed.extend(creates.iter().map(|n| changes::Pending {
                kind: changes::CREATED,
                resource_type: "person",
                id: n.id,
                commune_code: n.commune.clone(),
                version: Some(1),
                province_code: Some(n.province.clone()),
            }));
        }
        // Changed people, one by one (updates are the exception in an import).
        for p in planned.iter() {
            if let Action::Update(old, record, commune, province, village) = &p.action {
                let mut model: person::ActiveModel = old.as_ref().clone().into();
                apply_record(&mut model, pii, *village, record, commune, province)?;
                model.updated_at = Set(now);
                model.version = Set(old.version + 1);
                // The version is the locked row's next one (the entity's `before_save`).
                let saved = model.update(db).await?;
                feed.push(changes::Pending {
                    kind: changes::UPDATED,
                    resource_type: "person",
                    id: old.id,
                    commune_code: commune.clone(),
                    version: Some(saved.version),
                    province_code: Some(province.clone()),
                });
            }
        }
        // Memberships in the commune's Association unit.
        let wanted: Vec<(Uuid, Uuid, &crate::import::rows::MembershipCells, &String)> = planned
            .iter()
            .filter_map(|p| {
                let (id, record, commune) = match &p.action {
                    Action::Create(n) => (n.id, &n.record, &n.commune),
                    Action::Update(old, record, commune, _, _) => {
                        (old.id, record.as_ref(), commune)
                    }
                    _ => return None,
                };
                let unit =
                    migrations::m20251128_000004_registry::association_unit_id("commune", commune);
                record.membership.as_ref().map(|m| (id, unit, m, commune))
            })
            .collect();
        let mut added_memberships = HashSet::new();
        if !wanted.is_empty() {
            let ids: Vec<Uuid> = wanted.iter().map(|w| w.0).collect();
            let active: HashSet<(Uuid, Uuid)> = membership::Entity::find()
                .filter(membership::Column::PersonId.is_in(ids))
                .filter(membership::Column::Status.eq("active"))
                .all(db)
                .await?
                .into_iter()
                .map(|m| (m.person_id, m.association_unit_id))
                .collect();
            let mut insert = Query::insert();
            insert.into_table(membership::Entity).columns([
                membership::Column::Id,
                membership::Column::PersonId,
                membership::Column::AssociationUnitId,
                membership::Column::Role,
                membership::Column::JoinedOn,
                membership::Column::CardNumber,
                membership::Column::Status,
                membership::Column::CreatedAt,
                membership::Column::UpdatedAt,
                membership::Column::Version,
            ]);
            let mut any = false;
            for (person_id, unit, m, commune) in wanted {
                if active.contains(&(person_id, unit)) || !added_memberships.insert(person_id) {
                    continue;
                }
                any = true;
                let membership_id = Uuid::new_v4();
                feed.push(changes::Pending {
                    kind: changes::CREATED,
                    resource_type: "membership",
                    id: membership_id,
                    commune_code: commune.clone(),
                    version: Some(1),
                    province_code: self.ctx.province_of(commune).map(str::to_string),
                });
                insert.values([
                    membership_id.into(),
                    person_id.into(),
                    unit.into(),
                    m.role.clone().into(),
                    m.joined_on.or(Some(now.date_naive())).into(),
                    m.card_number.clone().into(),
                    "active".into(),
                    now.into(),
                    now.into(),
                    1i32.into(),
                ])?;
            }
            if any {
                db.execute(backend.build(&insert)).await?;
            }
        }
        for p in planned.iter_mut() {
            if let Action::Update(old, record, commune, _, village) = &p.action
                && record.membership.is_some()
                && p.registration.is_none()
                && !added_memberships.contains(&old.id)
                && changes(old, record, commune, *village).is_empty()
            {
                p.outcome.status = RowStatus::Unchanged;
            }
        }
        let registrations: Vec<NewRegistration> = planned
            .iter()
            .filter_map(|p| p.registration.clone())
            .collect();
        feed.extend(insert_registrations(db, self.actor, &registrations, now).await?);
        // Rows held for an officer's choice of commune.
        for p in planned.iter_mut() {
            if let Action::Queue(ticket, record, person_id) = &p.action {
                let data = serde_json::to_string(record.as_ref())?;
                let mut item = ticket.item(
                    record.full_name.clone(),
                    pii.encrypt(&data)?,
                    match_key(pii, record, ticket),
                    *person_id,
                    now,
                )?;
                item.import_job_id = Set(Some(self.job));
                item.row_no = Set(Some(i32::try_from(p.outcome.row).unwrap_or(i32::MAX)));
                let saved = item.insert(db).await?;
                p.outcome.queue_item_id = Some(saved.id);
            }
        }
        Ok(feed)
    }

    async fn store_outcomes(
        &self,
        db: &impl ConnectionTrait,
        first_index: usize,
        outcomes: &[RowOutcome],
    ) -> anyhow::Result<()> {
        let chunk_no = i32::try_from(first_index).unwrap_or(i32::MAX);
        let first_row = outcomes
            .first()
            .map(|o| i32::try_from(o.row).unwrap_or(i32::MAX))
            .unwrap_or(0);
        let mut insert = Query::insert();
        insert
            .into_table(import_result::Entity)
            .columns([
                import_result::Column::JobId,
                import_result::Column::ChunkNo,
                import_result::Column::FirstRow,
                import_result::Column::Outcomes,
            ])
            .values([
                self.job.into(),
                chunk_no.into(),
                first_row.into(),
                serde_json::to_string(outcomes)?.into(),
            ])?
            .on_conflict(
                OnConflict::columns([import_result::Column::JobId, import_result::Column::ChunkNo])
                    .update_column(import_result::Column::Outcomes)
                    .to_owned(),
            );
        db.execute(db.get_database_backend().build(&insert)).await?;
        Ok(())
    }

    async fn save_job(
        &self,
        db: &impl ConnectionTrait,
        done: usize,
        counts: &ImportCounts,
        status: Option<JobStatus>,
    ) -> anyhow::Result<()> {
        let mut update = import_job::Entity::update_many()
            .col_expr(import_job::Column::RowsDone, Expr::value(done as i64))
            .col_expr(
                import_job::Column::Counts,
                Expr::value(serde_json::to_string(counts)?),
            );
        if let Some(status) = status {
            update = update
                .col_expr(import_job::Column::Status, Expr::value(status.as_str()))
                .col_expr(
                    import_job::Column::FinishedAt,
                    Expr::value(chrono::Utc::now()),
                );
        }
        update
            .filter(import_job::Column::Id.eq(self.job))
            .exec(db)
            .await?;
        Ok(())
    }

    async fn audit_chunk(
        &self,
        db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
        planned: &[Planned],
        feed: &[changes::Pending],
    ) -> anyhow::Result<()> {
        // The change feed carries every record written, in the chunk's transaction.
        let started = std::time::Instant::now();
        changes::append_many(db, feed).await?;
        tracing::debug!(job = %self.job, rows = feed.len(), ms = started.elapsed().as_millis() as u64, "change feed appended");
        let mut counts = ImportCounts::default();
        let mut written = Vec::new();
        let registrations: Vec<Uuid> = planned
            .iter()
            .filter_map(|p| p.registration.as_ref().map(|r| r.id))
            .collect();
        for p in planned {
            counts.record(&p.outcome);
            if matches!(p.outcome.status, RowStatus::Created | RowStatus::Updated)
                && let Some(id) = p.outcome.person_id
            {
                written.push(id);
            }
        }
        let villages: Vec<serde_json::Value> = planned
            .iter()
            .filter_map(|p| p.village.as_ref())
            .map(|v| json!({"id": v.id, "name": v.name, "commune_code": v.commune}))
            .collect();
        if written.is_empty()
            && counts.queued == 0
            && registrations.is_empty()
            && villages.is_empty()
        {
            return Ok(());
        }
        audit::record(
            db,
            audit::Entry {
                actor: Some(self.actor),
                action: "import.write",
                resource_type: "import_job",
                resource_id: Some(self.job.to_string()),
                unit: &self.actor.unit,
                detail: Some(json!({
                    "created": counts.created,
                    "updated": counts.updated,
                    "queued": counts.queued,
                    "registered": counts.registered,
                    "people": written,
                    "registrations": registrations,
                    "villages_created": villages,
                })),
            },
        )
        .await?;
        Ok(())
    }

    async fn clear_results(&self) -> anyhow::Result<()> {
        import_result::Entity::delete_many()
            .filter(import_result::Column::JobId.eq(self.job))
            .exec(&self.env.db)
            .await?;
        Ok(())
    }

    async fn dry_run(&self, rows: &Rows) -> anyhow::Result<()> {
        self.clear_results().await?;
        let db = &self.env.db;
        let mut seen = Seen::default();
        let mut counts = ImportCounts::default();
        let mut done = 0;
        for chunk in rows.chunks(self.env.chunk_rows) {
            ensure_running(db)?;
            let planned = self.plan(db, chunk, &mut seen).await?;
            let outcomes: Vec<RowOutcome> = planned.into_iter().map(|p| p.outcome).collect();
            outcomes.iter().for_each(|o| counts.record(o));
            let txn = crate::db::begin_write(db).await?;
            self.store_outcomes(&txn, done, &outcomes).await?;
            done += chunk.len();
            self.save_job(&txn, done, &counts, None).await?;
            txn.commit().await?;
            set_progress(self.job, done as u64);
        }
        self.save_job(db, done, &counts, Some(JobStatus::Completed))
            .await
    }

    async fn all_or_nothing(&self, rows: &Rows) -> anyhow::Result<()> {
        self.clear_results().await?;
        let db = &self.env.db;
        let txn = begin_chunk(db).await?;
        let mut seen = Seen::default();
        let mut plans = Vec::new();
        let mut done = 0u64;
        for chunk in rows.chunks(self.env.chunk_rows) {
            ensure_running(db)?;
            plans.push(self.plan(&txn, chunk, &mut seen).await?);
            done += chunk.len() as u64;
            set_progress(self.job, done);
            if !self.env.chunk_pause.is_zero() {
                tokio::time::sleep(self.env.chunk_pause).await;
            }
        }
        ensure_running(db)?;
        let any_error = plans
            .iter()
            .flatten()
            .any(|p| p.outcome.status == RowStatus::Error);
        let mut counts = ImportCounts::default();
        if any_error {
            txn.rollback().await?;
            let txn = crate::db::begin_write(db).await?;
            let mut index = 0;
            for plan in plans {
                let outcomes: Vec<RowOutcome> = plan
                    .into_iter()
                    .map(|p| {
                        let mut o = p.outcome;
                        if o.status != RowStatus::Error {
                            o.status = RowStatus::Skipped;
                            o.person_id = None;
                            o.queue_item_id = None;
                            o.registration_id = None;
                        }
                        counts.record(&o);
                        o
                    })
                    .collect();
                self.store_outcomes(&txn, index, &outcomes).await?;
                index += outcomes.len();
            }
            self.save_job(&txn, rows.len(), &counts, Some(JobStatus::Completed))
                .await?;
            txn.commit().await?;
            return Ok(());
        }
        let mut index = 0;
        for mut plan in plans {
            let feed = self.execute(&txn, &mut plan).await?;
            self.audit_chunk(&txn, &plan, &feed).await?;
            let outcomes: Vec<RowOutcome> = plan.into_iter().map(|p| p.outcome).collect();
            outcomes.iter().for_each(|o| counts.record(o));
            self.store_outcomes(&txn, index, &outcomes).await?;
            index += outcomes.len();
        }
        self.save_job(&txn, rows.len(), &counts, Some(JobStatus::Completed))
            .await?;
        txn.commit().await?;
        Ok(())
    }

    async fn valid_only(
        &self,
        rows: &Rows,
        start: usize,
        mut counts: ImportCounts,
    ) -> anyhow::Result<()> {
        let db = &self.env.db;
        let mut seen = Seen::default();
        let mut done = start.min(rows.len());
        self.replay(&rows[..done], &mut seen);
        set_progress(self.job, done as u64);
        for chunk in rows[done..].chunks(self.env.chunk_rows) {
            ensure_running(db)?;
            let started = std::time::Instant::now();
            let txn = begin_chunk(db).await?;
            let mut planned = self.plan(&txn, chunk, &mut seen).await?;
            let checked = started.elapsed();
            let feed = self.execute(&txn, &mut planned).await?;
            let written = started.elapsed();
            self.audit_chunk(&txn, &planned, &feed).await?;
            let audited = started.elapsed();
            let outcomes: Vec<RowOutcome> = planned.into_iter().map(|p| p.outcome).collect();
            outcomes.iter().for_each(|o| counts.record(o));
            self.store_outcomes(&txn, done, &outcomes).await?;
            done += chunk.len();
            self.save_job(&txn, done, &counts, None).await?;
            let reported = started.elapsed();
            txn.commit().await?;
            let ms = |d: std::time::Duration| d.as_millis() as u64;
            tracing::debug!(
                job = %self.job,
                rows = chunk.len(),
                check_ms = ms(checked),
                write_ms = ms(written - checked),
                feed_and_audit_ms = ms(audited - written),
                outcomes_ms = ms(reported - audited),
                commit_ms = ms(started.elapsed() - reported),
                "import chunk committed"
            );
            set_progress(self.job, done as u64);
            if !self.env.chunk_pause.is_zero() {
                tokio::time::sleep(self.env.chunk_pause).await;
            }
        }
        self.save_job(db, done, &counts, Some(JobStatus::Completed))
            .await
    }
}

/// What a row's registration columns ask for, given the matched person (for an import row, and
/// for a held row once its commune is chosen): the period, the
/// target group (the row's, else the person's) with a published criteria set, and the
/// reviewing unit (the one named, else the period's default for the person's village).
pub fn plan_registration(
    ctx: &Context,
    actor: &Actor,
    record: &Record,
    existing: Option<&person::Model>,
    commune: &str,
    registered: &HashSet<(Uuid, Uuid)>,
) -> Result<RegistrationPlan, RowMessage> {
    let Some(cells) = &record.registration else {
        return Ok(RegistrationPlan::None);
    };
    let Some(period) = ctx.period(cells.period_id) else {
        return Err(message(
            "registration_year",
            "unknown_period",
            format!("Chưa có kỳ đăng ký danh hiệu năm {}", cells.year),
        ));
    };
    if let Some(p) = existing
        && registered.contains(&(p.id, period.id))
    {
        return Ok(RegistrationPlan::Already(period.name.clone()));
    }
    let Some(group) = record
        .target_group
        .clone()
        .or_else(|| existing.and_then(|p| p.target_group.clone()))
    else {
        return Err(message(
            "target_group",
            "required",
            "Đăng ký danh hiệu cần nhóm đối tượng: ghi cột Nhóm đối tượng".into(),
        ));
    };
    if !ctx.group_in_force(&group) {
        return Err(message(
            "target_group",
            "no_criteria_set",
            format!("Nhóm đối tượng {group} chưa có bộ tiêu chí được ban hành"),
        ));
    }
    let village = match &record.village {
        Some(v) => ctx.village(commune, v),
        None => existing
            .filter(|p| p.commune_code == commune)
            .and_then(|p| p.village_id),
    };
    let reviewer = match &cells.reviewing_unit {
        Some(name) => ctx.reviewing_unit(commune, name).ok_or_else(|| {
            message(
                "reviewing_unit",
                "unknown_reviewing_unit",
                format!("Xã không có chi hội hoặc ban khuyến học \"{name}\" đang hoạt động"),
            )
        })?,
        None => ctx.default_reviewer(period, commune, village),
    };
    if actor.role == Role::BranchOfficer && actor.association_unit_id.is_some_and(|u| u != reviewer)
    {
        return Err(message(
            "reviewing_unit",
            "other_branch",
            "Cán bộ chi hội chỉ đăng ký cho chi hội của mình".into(),
        ));
    }
    Ok(RegistrationPlan::New(period.id, group, reviewer))
}

/// Rows per multi-row `INSERT` of registrations and their history (well under the bound
/// parameters both databases accept).
const REGISTRATIONS_PER_INSERT: usize = 1000;

/// Writes new registrations in the `registered` state with their first history entry, as
/// registering one person does, and returns their change-feed entries.
pub async fn insert_registrations(
    db: &impl ConnectionTrait,
    actor: &Actor,
    rows: &[NewRegistration],
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Vec<changes::Pending>> {
    let backend = db.get_database_backend();
    for batch in rows.chunks(REGISTRATIONS_PER_INSERT) {
        let mut insert = Query::insert();
        insert.into_table(registration::Entity).columns([
            registration::Column::Id,
            registration::Column::PersonId,
            registration::Column::PeriodId,
            registration::Column::TargetGroup,
            registration::Column::ReviewingUnitId,
            registration::Column::CommuneCode,
            registration::Column::ProvinceCode,
            registration::Column::Status,
            registration::Column::CreatedBy,
            registration::Column::CreatedAt,
            registration::Column::UpdatedAt,
            registration::Column::Version,
        ]);
        let mut history = Query::insert();
        history.into_table(assessment_event::Entity).columns([
            assessment_event::Column::Id,
            assessment_event::Column::RegistrationId,
            assessment_event::Column::At,
            assessment_event::Column::ActorUserId,
            assessment_event::Column::ActorUsername,
            assessment_event::Column::Action,
            assessment_event::Column::ToStatus,
            assessment_event::Column::Note,
        ]);
        for r in batch {
            insert.values([
                r.id.into(),
                r.person_id.into(),
                r.period_id.into(),
                r.target_group.clone().into(),
                r.reviewing_unit_id.into(),
                r.commune.clone().into(),
                r.province.clone().into(),
                "registered".into(),
                Some(actor.user_id).into(),
                now.into(),
                now.into(),
                1i32.into(),
            ])?;
            history.values([
                Uuid::new_v4().into(),
                r.id.into(),
                now.into(),
                Some(actor.user_id).into(),
                Some(actor.username.clone()).into(),
                "register".into(),
                "registered".into(),
                Some("import".to_string()).into(),
            ])?;
        }
        if !batch.is_empty() {
            db.execute(backend.build(&insert)).await?;
            db.execute(backend.build(&history)).await?;
        }
    }
    Ok(rows
        .iter()
        .map(|r| changes::Pending {
            kind: changes::CREATED,
            resource_type: "registration",
            id: r.id,
            commune_code: r.commune.clone(),
            version: Some(1),
            province_code: Some(r.province.clone()),
        })
        .collect())
}

/// A new person, as stored.
struct PersonRow {
    id: Uuid,
    full_name: String,
    search_name: String,
    gender: &'static str,
    birth_date: Option<chrono::NaiveDate>,
    birth_year: i32,
    cipher: Option<String>,
    hash: Option<String>,
    masked: Option<String>,
    phone: Option<String>,
    commune: String,
    province: String,
    village: Option<Uuid>,
    occupation: Option<String>,
    target_group: Option<String>,
    workplace: Option<String>,
    external_id: Option<String>,
}

/// Writes new people in one statement: on PostgreSQL one `INSERT … SELECT FROM UNNEST` of one
/// array per column (21 parameters whatever the number of rows), elsewhere a multi-row `INSERT`.
async fn insert_people(
    db: &impl ConnectionTrait,
    rows: &[PersonRow],
    created_by: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let backend = db.get_database_backend();
    if backend == sea_orm::DatabaseBackend::Postgres {
        let text = |f: &dyn Fn(&PersonRow) -> Option<String>| {
            let values: Vec<Option<String>> = rows.iter().map(f).collect();
            sea_orm::Value::from(crate::db::pg_array(values.iter().map(|v| v.as_deref())))
        };
        let stamp = now.to_rfc3339();
        let values = vec![
            text(&|r| Some(r.id.to_string())),
            text(&|r| Some(r.full_name.clone())),
            text(&|r| Some(r.search_name.clone())),
            text(&|r| Some(r.gender.to_string())),
            text(&|r| r.birth_date.map(|d| d.to_string())),
            text(&|r| Some(r.birth_year.to_string())),
            text(&|r| r.cipher.clone()),
            text(&|r| r.hash.clone()),
            text(&|r| r.masked.clone()),
            text(&|r| r.phone.clone()),
            text(&|r| Some(r.commune.clone())),
            text(&|r| Some(r.province.clone())),
            text(&|r| r.village.map(|v| v.to_string())),
            text(&|r| r.occupation.clone()),
            text(&|r| r.target_group.clone()),
            text(&|r| r.workplace.clone()),
            text(&|r| r.external_id.clone()),
            created_by.to_string().into(),
            stamp.into(),
        ];
        let sql = "INSERT INTO people (id, full_name, search_name, gender, birth_date, birth_year, \
                   personal_id_cipher, personal_id_hash, personal_id_masked, phone, commune_code, \
                   province_code, village_id, occupation, target_group, workplace, external_id, \
                   created_by, created_at, updated_at, version) \
                   SELECT u.*, $18::uuid, $19::timestamptz, $19::timestamptz, 1 FROM UNNEST(\
                   $1::uuid[], $2::text[], $3::text[], $4::text[], $5::date[], $6::int[], \
                   $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], \
                   $13::uuid[], $14::text[], $15::text[], $16::text[], $17::text[]) AS u";
        db.execute(sea_orm::Statement::from_sql_and_values(
            backend, sql, values,
        ))
        .await?;
        return Ok(());
    }
    let mut insert = Query::insert();
    insert.into_table(person::Entity).columns([
        person::Column::Id,
        person::Column::FullName,
        person::Column::SearchName,
        person::Column::Gender,
        person::Column::BirthDate,
        person::Column::BirthYear,
        person::Column::PersonalIdCipher,
        person::Column::PersonalIdHash,
        person::Column::PersonalIdMasked,
        person::Column::Phone,
        person::Column::CommuneCode,
        person::Column::ProvinceCode,
        person::Column::VillageId,
        person::Column::Occupation,
        person::Column::TargetGroup,
        person::Column::Workplace,
        person::Column::ExternalId,
        person::Column::CreatedBy,
        person::Column::CreatedAt,
        person::Column::UpdatedAt,
        person::Column::Version,
    ]);
    for r in rows {
        insert.values([
            r.id.into(),
            r.full_name.clone().into(),
            r.search_name.clone().into(),
            r.gender.into(),
            r.birth_date.into(),
            r.birth_year.into(),
            r.cipher.clone().into(),
            r.hash.clone().into(),
            r.masked.clone().into(),
            r.phone.clone().into(),
            r.commune.clone().into(),
            r.province.clone().into(),
            r.village.into(),
            r.occupation.clone().into(),
            r.target_group.clone().into(),
            r.workplace.clone().into(),
            r.external_id.clone().into(),
            Some(created_by).into(),
            now.into(),
            now.into(),
            1i32.into(),
        ])?;
    }
    db.execute(backend.build(&insert)).await?;
    Ok(())
}

/// The kind of a village from the word its name starts with ("Thôn Đông" → `thon`,
/// "Tổ dân phố 3" → `to_dan_pho`); `other` when its name does not say.
pub fn village_kind(name: &str) -> &'static str {
    let folded = shared::text::fold(name);
    [
        ("to dan pho", "to_dan_pho"),
        ("tdp", "to_dan_pho"),
        ("khu pho", "khu_pho"),
        ("thon", "thon"),
        ("ban", "ban"),
        ("ap", "ap"),
        ("khom", "khom"),
        ("lang", "lang"),
        ("xom", "xom"),
    ]
    .iter()
    .find(|(word, _)| {
        folded
            .strip_prefix(word)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '.']))
    })
    .map_or("other", |(_, kind)| kind)
}

/// The three stored forms of an ID number: ciphertext, blind index, masked.
pub fn pii_columns(
    pii: &PiiKeys,
    personal_id: Option<&str>,
) -> anyhow::Result<(Option<String>, Option<String>, Option<String>)> {
    Ok(match personal_id.map(PersonalId::parse) {
        Some(Ok(id)) => (
            Some(pii.encrypt(id.as_str())?),
            Some(pii.blind_index(id.as_str())),
            Some(id.masked()),
        ),
        _ => (None, None, None),
    })
}

/// The fields of `record` (only the columns the file has, and only non-empty cells) written
/// onto an existing person, with the commune.
pub fn apply_record(
    model: &mut person::ActiveModel,
    pii: &PiiKeys,
    village: Option<Uuid>,
    record: &Record,
    commune: &str,
    province: &str,
) -> anyhow::Result<()> {
    model.full_name = Set(record.full_name.clone());
    model.search_name = Set(shared::text::fold(&record.full_name));
    model.gender = Set(record.gender.as_str().to_string());
    if record.birth_date.is_some() {
        model.birth_date = Set(record.birth_date);
    }
    model.birth_year = Set(record.birth_year);
    if record.personal_id.is_some() {
        let (cipher, hash, masked) = pii_columns(pii, record.personal_id.as_deref())?;
        let unchanged = matches!(&model.personal_id_hash, sea_orm::ActiveValue::Unchanged(Some(h)) if Some(h) == hash.as_ref());
        if !unchanged {
            model.personal_id_cipher = Set(cipher);
            model.personal_id_hash = Set(hash);
            model.personal_id_masked = Set(masked);
        }
    }
    if record.phone.is_some() {
        model.phone = Set(record.phone.clone());
    }
    let moved = !matches!(&model.commune_code, sea_orm::ActiveValue::Unchanged(c) if c == commune);
    model.commune_code = Set(commune.to_string());
    model.province_code = Set(province.to_string());
    if record.village.is_some() {
        model.village_id = Set(village);
    } else if moved {
        model.village_id = Set(None);
    }
    if record.occupation.is_some() {
        model.occupation = Set(record.occupation.clone());
    }
    let keeps_group = record.target_group_default
        && matches!(
            &model.target_group,
            sea_orm::ActiveValue::Unchanged(Some(_))
        );
    if record.target_group.is_some() && !keeps_group {
        model.target_group = Set(record.target_group.clone());
    }
    if record.workplace.is_some() {
        model.workplace = Set(record.workplace.clone());
    }
    if record.external_id.is_some() {
        model.external_id = Set(record.external_id.clone());
    }
    Ok(())
}

/// Which fields of an existing person the row would change.
fn changes(
    p: &person::Model,
    r: &Record,
    commune: &str,
    village: Option<Uuid>,
) -> Vec<&'static str> {
    let mut out = Vec::new();
    if p.full_name != r.full_name {
        out.push("họ tên");
    }
    if p.gender != r.gender.as_str() {
        out.push("giới tính");
    }
    if (r.birth_date.is_some() && p.birth_date != r.birth_date) || p.birth_year != r.birth_year {
        out.push("ngày sinh");
    }
    if r.phone.is_some() && p.phone != r.phone {
        out.push("điện thoại");
    }
    if p.commune_code != commune {
        out.push("xã");
    }
    if r.village.is_some() && p.village_id != village {
        out.push("thôn");
    }
    if r.occupation.is_some() && p.occupation != r.occupation {
        out.push("nghề nghiệp");
    }
    if r.target_group.is_some()
        && p.target_group != r.target_group
        && !(r.target_group_default && p.target_group.is_some())
    {
        out.push("nhóm đối tượng");
    }
    if r.workplace.is_some() && p.workplace != r.workplace {
        out.push("nơi làm việc");
    }
    if r.external_id.is_some() && p.external_id != r.external_id {
        out.push("mã hồ sơ");
    }
    if r.personal_id.is_some() && p.personal_id_hash.is_none() {
        out.push("số định danh");
    }
    out
}
