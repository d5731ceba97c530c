//! Live reports: aggregate counters kept by database triggers, baselines (denominators) and the
//! Decision 677 targets.
//!
//! `report_counts` holds, for every period, province and commune, the number of registrations
//! per status in each breakdown (`dim`): `all`, `target_group`, `gender`, `age_band`,
//! `ethnicity`, `religion`, and `child` (the child unit and target group, `child|group`: a
//! commune of a province, the reviewing Association unit of a commune). `member_counts` holds
//! the active memberships per province, commune and Association unit.
//!
//! Triggers on `registrations`, `people` and `memberships` (one definition per backend) update
//! the counters in the same transaction as the change, whatever code path writes: the API, a bulk
//! import or an integration. A report reads a few hundred counter rows instead of grouping the
//! registrations, so its cost does not grow with their number. [`rebuild_sql`] recomputes the
//! counters from scratch and [`expected_counts_select`] is the from-scratch grouping that the
//! counters must equal.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The breakdowns kept in `report_counts.dim`.
pub const DIMS: [&str; 7] = [
    "all",
    "target_group",
    "gender",
    "age_band",
    "ethnicity",
    "religion",
    "child",
];

/// The text form (lower-case, hyphenated) of a uuid column, as the value of a counter key.
fn uuid_text(backend: DatabaseBackend, expr: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("CAST({expr} AS TEXT)"),
        _ => format!(
            "(CASE WHEN typeof({expr}) = 'blob' THEN lower(substr(hex({expr}), 1, 8) || '-' || \
             substr(hex({expr}), 9, 4) || '-' || substr(hex({expr}), 13, 4) || '-' || \
             substr(hex({expr}), 17, 4) || '-' || substr(hex({expr}), 21, 12)) ELSE lower({expr}) END)"
        ),
    }
}

/// The source of registration rows with the person's attributes, for one of:
/// every registration (`None`), the registration row `NEW`/`OLD` of a trigger on registrations,
/// or the registrations of the person row `NEW`/`OLD` of a trigger on people.
enum Source<'a> {
    All,
    Registration(&'a str),
    Person(&'a str),
}

fn source_sql(source: Source<'_>) -> String {
    match source {
        Source::All => {
            "SELECT r.period_id AS period_id, r.status AS status, r.target_group AS tg, \
             r.province_code AS pc, r.commune_code AS cc, r.reviewing_unit_id AS unit_id, \
             p.gender AS gender, p.birth_year AS birth_year, p.ethnicity AS eth, p.religion AS rel \
             FROM registrations r JOIN people p ON p.id = r.person_id"
                .to_string()
        }
        Source::Registration(x) => format!(
            "SELECT {x}.period_id AS period_id, {x}.status AS status, {x}.target_group AS tg, \
             {x}.province_code AS pc, {x}.commune_code AS cc, {x}.reviewing_unit_id AS unit_id, \
             p.gender AS gender, p.birth_year AS birth_year, p.ethnicity AS eth, p.religion AS rel \
             FROM people p WHERE p.id = {x}.person_id"
        ),
        Source::Person(x) => format!(
            "SELECT r.period_id AS period_id, r.status AS status, r.target_group AS tg, \
             r.province_code AS pc, r.commune_code AS cc, r.reviewing_unit_id AS unit_id, \
             {x}.gender AS gender, {x}.birth_year AS birth_year, {x}.ethnicity AS eth, \
             {x}.religion AS rel FROM registrations r WHERE r.person_id = {x}.id"
        ),
    }
}

/// The counter rows (`period_id, level, code, dim, value, status, n`) of the source, each
/// registration weighing `delta`.
fn counts_select(backend: DatabaseBackend, source: Source<'_>, delta: i32) -> String {
    let dims = DIMS
        .iter()
        .enumerate()
        .map(|(i, d)| {
            if i == 0 {
                format!("SELECT '{d}' AS dim")
            } else {
                format!("SELECT '{d}'")
            }
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let unit = uuid_text(backend, "s.unit_id");
    format!(
        "SELECT s.period_id AS period_id, lv.level AS level, \
         CASE WHEN lv.level = 'province' THEN s.pc ELSE s.cc END AS code, dm.dim AS dim, \
         CASE dm.dim WHEN 'all' THEN '' WHEN 'target_group' THEN s.tg WHEN 'gender' THEN s.gender \
         WHEN 'age_band' THEN (CASE WHEN pe.year - s.birth_year < 18 THEN 'under_18' \
           WHEN pe.year - s.birth_year <= 35 THEN '18_35' \
           WHEN pe.year - s.birth_year <= 60 THEN '36_60' ELSE 'over_60' END) \
         WHEN 'ethnicity' THEN COALESCE(s.eth, 'not_stated') \
         WHEN 'religion' THEN COALESCE(s.rel, 'not_stated') \
         ELSE (CASE WHEN lv.level = 'province' THEN s.cc ELSE {unit} END) || '|' || s.tg END AS value, \
         s.status AS status, SUM({delta}) AS n \
         FROM ({src}) s JOIN periods pe ON pe.id = s.period_id \
         CROSS JOIN (SELECT 'province' AS level UNION ALL SELECT 'commune') lv \
         CROSS JOIN ({dims}) dm \
         WHERE 1 = 1 GROUP BY 1, 2, 3, 4, 5, 6",
        src = source_sql(source),
    )
}

fn upsert_counts(backend: DatabaseBackend, source: Source<'_>, delta: i32) -> String {
    format!(
        "INSERT INTO report_counts (period_id, level, code, dim, value, status, n) {} \
         ON CONFLICT (period_id, level, dim, code, value, status) \
         DO UPDATE SET n = report_counts.n + excluded.n",
        counts_select(backend, source, delta)
    )
}

/// The counters computed from scratch by grouping every registration: what `report_counts`
/// must hold (ignoring rows whose count is 0).
pub fn expected_counts_select(backend: DatabaseBackend) -> String {
    counts_select(backend, Source::All, 1)
}

/// Active memberships per province (`''` for units above provinces), commune and unit, of the
/// membership row `x` (or of all memberships when `x` is `None`), weighing `delta`.
fn members_select(backend: DatabaseBackend, x: Option<&str>, delta: i32) -> String {
    let unit = uuid_text(backend, "u.id");
    let (from, filter) = match x {
        Some(x) => (
            "association_units u".to_string(),
            format!("u.id = {x}.association_unit_id AND {x}.status = 'active'"),
        ),
        None => (
            "memberships m JOIN association_units u ON u.id = m.association_unit_id".to_string(),
            "m.status = 'active'".to_string(),
        ),
    };
    format!(
        "SELECT lv.level AS level, CASE lv.level WHEN 'province' THEN COALESCE(u.province_code, '') \
         WHEN 'commune' THEN u.commune_code ELSE {unit} END AS code, SUM({delta}) AS n \
         FROM {from} CROSS JOIN (SELECT 'province' AS level UNION ALL SELECT 'commune' UNION ALL \
         SELECT 'unit') lv WHERE {filter} AND (lv.level <> 'commune' OR u.commune_code IS NOT NULL) \
         GROUP BY 1, 2"
    )
}

fn upsert_members(backend: DatabaseBackend, x: &str, delta: i32) -> String {
    format!(
        "INSERT INTO member_counts (level, code, n) {} ON CONFLICT (level, code) \
         DO UPDATE SET n = member_counts.n + excluded.n",
        members_select(backend, Some(x), delta)
    )
}

/// The active memberships computed from scratch: what `member_counts` must hold.
pub fn expected_members_select(backend: DatabaseBackend) -> String {
    members_select(backend, None, 1)
}

/// Statements that empty the counters and recompute them from the registrations, people and
/// memberships (run in one transaction).
pub fn rebuild_sql(backend: DatabaseBackend) -> Vec<String> {
    vec![
        "DELETE FROM report_counts".to_string(),
        format!(
            "INSERT INTO report_counts (period_id, level, code, dim, value, status, n) {}",
            expected_counts_select(backend)
        ),
        "DELETE FROM member_counts".to_string(),
        format!(
            "INSERT INTO member_counts (level, code, n) {}",
            expected_members_select(backend)
        ),
    ]
}

const REGISTRATION_KEY: [&str; 6] = [
    "status",
    "target_group",
    "commune_code",
    "province_code",
    "reviewing_unit_id",
    "person_id",
];
const PERSON_KEY: [&str; 4] = ["gender", "birth_year", "ethnicity", "religion"];
const MEMBERSHIP_KEY: [&str; 2] = ["status", "association_unit_id"];

fn changed(backend: DatabaseBackend, cols: &[&str]) -> String {
    let op = match backend {
        DatabaseBackend::Postgres => "IS DISTINCT FROM",
        _ => "IS NOT",
    };
    cols.iter()
        .map(|c| format!("OLD.{c} {op} NEW.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ")
}

fn postgres_triggers() -> Vec<String> {
    let b = DatabaseBackend::Postgres;
    let reg_cols = REGISTRATION_KEY.join(", ");
    let person_cols = PERSON_KEY.join(", ");
    let member_cols = MEMBERSHIP_KEY.join(", ");
    vec![
        format!(
            "CREATE OR REPLACE FUNCTION report_counts_registration() RETURNS trigger \
             LANGUAGE plpgsql AS $$ BEGIN \
             IF TG_OP IN ('UPDATE', 'DELETE') THEN {old}; END IF; \
             IF TG_OP IN ('UPDATE', 'INSERT') THEN {new}; END IF; \
             RETURN NULL; END $$",
            old = upsert_counts(b, Source::Registration("OLD"), -1),
            new = upsert_counts(b, Source::Registration("NEW"), 1),
        ),
        "CREATE TRIGGER report_counts_registration_insert_delete AFTER INSERT OR DELETE ON \
         registrations FOR EACH ROW EXECUTE FUNCTION report_counts_registration()"
            .to_string(),
        format!(
            "CREATE TRIGGER report_counts_registration_update AFTER UPDATE OF {reg_cols}, period_id \
             ON registrations FOR EACH ROW WHEN ({} OR OLD.period_id IS DISTINCT FROM NEW.period_id) \
             EXECUTE FUNCTION report_counts_registration()",
            changed(b, &REGISTRATION_KEY)
        ),
        format!(
            "CREATE OR REPLACE FUNCTION report_counts_person() RETURNS trigger \
             LANGUAGE plpgsql AS $$ BEGIN \
             IF TG_OP IN ('UPDATE', 'DELETE') THEN {old}; END IF; \
             IF TG_OP = 'UPDATE' THEN {new}; RETURN NULL; END IF; \
             RETURN OLD; END $$",
            old = upsert_counts(b, Source::Person("OLD"), -1),
            new = upsert_counts(b, Source::Person("NEW"), 1),
        ),
        format!(
            "CREATE TRIGGER report_counts_person_update AFTER UPDATE OF {person_cols} ON people \
             FOR EACH ROW WHEN ({}) EXECUTE FUNCTION report_counts_person()",
            changed(b, &PERSON_KEY)
        ),
        // Before the row goes: the cascaded deletion of the person's registrations runs after it
        // and finds no person any more, so it subtracts nothing a second time.
        "CREATE TRIGGER report_counts_person_delete BEFORE DELETE ON people FOR EACH ROW \
         EXECUTE FUNCTION report_counts_person()"
            .to_string(),
        format!(
            "CREATE OR REPLACE FUNCTION report_counts_membership() RETURNS trigger \
             LANGUAGE plpgsql AS $$ BEGIN \
             IF TG_OP IN ('UPDATE', 'DELETE') THEN {old}; END IF; \
             IF TG_OP IN ('UPDATE', 'INSERT') THEN {new}; END IF; \
             RETURN NULL; END $$",
            old = upsert_members(b, "OLD", -1),
            new = upsert_members(b, "NEW", 1),
        ),
        "CREATE TRIGGER report_counts_membership_insert_delete AFTER INSERT OR DELETE ON \
         memberships FOR EACH ROW EXECUTE FUNCTION report_counts_membership()"
            .to_string(),
        format!(
            "CREATE TRIGGER report_counts_membership_update AFTER UPDATE OF {member_cols} ON \
             memberships FOR EACH ROW WHEN ({}) EXECUTE FUNCTION report_counts_membership()",
            changed(b, &MEMBERSHIP_KEY)
        ),
    ]
}

fn sqlite_triggers() -> Vec<String> {
    let b = DatabaseBackend::Sqlite;
    let reg_cols = REGISTRATION_KEY.join(", ");
    let person_cols = PERSON_KEY.join(", ");
    let member_cols = MEMBERSHIP_KEY.join(", ");
    vec![
        format!(
            "CREATE TRIGGER report_counts_registration_insert AFTER INSERT ON registrations \
             FOR EACH ROW BEGIN {}; END",
            upsert_counts(b, Source::Registration("NEW"), 1)
        ),
        format!(
            "CREATE TRIGGER report_counts_registration_delete AFTER DELETE ON registrations \
             FOR EACH ROW BEGIN {}; END",
            upsert_counts(b, Source::Registration("OLD"), -1)
        ),
        format!(
            "CREATE TRIGGER report_counts_registration_update AFTER UPDATE OF {reg_cols}, period_id \
             ON registrations FOR EACH ROW WHEN {} OR OLD.period_id IS NOT NEW.period_id \
             BEGIN {}; {}; END",
            changed(b, &REGISTRATION_KEY),
            upsert_counts(b, Source::Registration("OLD"), -1),
            upsert_counts(b, Source::Registration("NEW"), 1)
        ),
        format!(
            "CREATE TRIGGER report_counts_person_update AFTER UPDATE OF {person_cols} ON people \
             FOR EACH ROW WHEN {} BEGIN {}; {}; END",
            changed(b, &PERSON_KEY),
            upsert_counts(b, Source::Person("OLD"), -1),
            upsert_counts(b, Source::Person("NEW"), 1)
        ),
        format!(
            "CREATE TRIGGER report_counts_person_delete BEFORE DELETE ON people \
             FOR EACH ROW BEGIN {}; END",
            upsert_counts(b, Source::Person("OLD"), -1)
        ),
        format!(
            "CREATE TRIGGER report_counts_membership_insert AFTER INSERT ON memberships \
             FOR EACH ROW BEGIN {}; END",
            upsert_members(b, "NEW", 1)
        ),
        format!(
            "CREATE TRIGGER report_counts_membership_delete AFTER DELETE ON memberships \
             FOR EACH ROW BEGIN {}; END",
            upsert_members(b, "OLD", -1)
        ),
        format!(
            "CREATE TRIGGER report_counts_membership_update AFTER UPDATE OF {member_cols} ON \
             memberships FOR EACH ROW WHEN {} BEGIN {}; {}; END",
            changed(b, &MEMBERSHIP_KEY),
            upsert_members(b, "OLD", -1),
            upsert_members(b, "NEW", 1)
        ),
    ]
}

/// The statements that create the counter triggers of `backend`.
pub fn create_triggers_sql(backend: DatabaseBackend) -> Vec<String> {
    match backend {
        DatabaseBackend::Postgres => postgres_triggers(),
        _ => sqlite_triggers(),
    }
}

/// The statements that drop the counter triggers of `backend` (for a bulk load followed by a
/// rebuild of the counters, then [`create_triggers_sql`]).
pub fn drop_triggers_sql(backend: DatabaseBackend) -> &'static [&'static str] {
    match backend {
        DatabaseBackend::Postgres => &[
            "DROP TRIGGER IF EXISTS report_counts_registration_insert_delete ON registrations",
            "DROP TRIGGER IF EXISTS report_counts_registration_update ON registrations",
            "DROP TRIGGER IF EXISTS report_counts_person_update ON people",
            "DROP TRIGGER IF EXISTS report_counts_person_delete ON people",
            "DROP TRIGGER IF EXISTS report_counts_membership_insert_delete ON memberships",
            "DROP TRIGGER IF EXISTS report_counts_membership_update ON memberships",
        ],
        _ => &[
            "DROP TRIGGER IF EXISTS report_counts_registration_insert",
            "DROP TRIGGER IF EXISTS report_counts_registration_delete",
            "DROP TRIGGER IF EXISTS report_counts_registration_update",
            "DROP TRIGGER IF EXISTS report_counts_person_update",
            "DROP TRIGGER IF EXISTS report_counts_person_delete",
            "DROP TRIGGER IF EXISTS report_counts_membership_insert",
            "DROP TRIGGER IF EXISTS report_counts_membership_delete",
            "DROP TRIGGER IF EXISTS report_counts_membership_update",
        ],
    }
}

fn tables(backend: DatabaseBackend) -> Vec<String> {
    let (uuid, float) = match backend {
        DatabaseBackend::Postgres => ("uuid", "double precision"),
        _ => ("uuid_text", "real"),
    };
    vec![
        format!(
            "CREATE TABLE report_counts (period_id {uuid} NOT NULL, level varchar(16) NOT NULL, \
             code varchar(8) NOT NULL, dim varchar(16) NOT NULL, value varchar(200) NOT NULL, \
             status varchar(16) NOT NULL, n bigint NOT NULL, \
             PRIMARY KEY (period_id, level, dim, code, value, status))"
        ),
        "CREATE TABLE member_counts (level varchar(16) NOT NULL, code varchar(40) NOT NULL, \
         n bigint NOT NULL, PRIMARY KEY (level, code))"
            .to_string(),
        format!(
            "CREATE TABLE baselines (period_id {uuid} NOT NULL REFERENCES periods (id), \
             kind varchar(16) NOT NULL, unit_key varchar(40) NOT NULL, \
             province_code varchar(8) NOT NULL, commune_code varchar(8) NOT NULL, \
             population bigint NULL, adult_population bigint NULL, staff bigint NULL, \
             updated_by {uuid} NULL, updated_at timestamp with time zone NOT NULL, \
             PRIMARY KEY (period_id, kind, unit_key))"
        ),
        "CREATE INDEX ix_baselines_area ON baselines (period_id, province_code, commune_code)"
            .to_string(),
        format!(
            "CREATE TABLE targets (measure varchar(16) NOT NULL, by_year integer NOT NULL, \
             rate {float} NOT NULL, target_group varchar(64) NULL, source varchar(300) NOT NULL, \
             PRIMARY KEY (measure, by_year))"
        ),
        "INSERT INTO targets (measure, by_year, rate, target_group, source) VALUES \
         ('adults', 2025, 0.4, NULL, 'Quyết định 677/QĐ-TTg ngày 03/6/2022'), \
         ('officials', 2025, 0.6, 'official', 'Quyết định 677/QĐ-TTg ngày 03/6/2022'), \
         ('adults', 2030, 0.6, NULL, 'Quyết định 677/QĐ-TTg ngày 03/6/2022'), \
         ('officials', 2030, 0.8, 'official', 'Quyết định 677/QĐ-TTg ngày 03/6/2022')"
            .to_string(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        for statement in tables(backend)
            .into_iter()
            .chain(create_triggers_sql(backend))
            .chain(rebuild_sql(backend))
        {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let functions: &[&str] = match backend {
            DatabaseBackend::Postgres => &[
                "DROP FUNCTION IF EXISTS report_counts_registration()",
                "DROP FUNCTION IF EXISTS report_counts_person()",
                "DROP FUNCTION IF EXISTS report_counts_membership()",
            ],
            _ => &[],
        };
        let statements: Vec<&str> = drop_triggers_sql(backend)
            .iter()
            .chain(functions)
            .copied()
            .collect();
        for s in statements.iter().chain(&[
            "DROP TABLE IF EXISTS targets",
            "DROP TABLE IF EXISTS baselines",
            "DROP TABLE IF EXISTS member_counts",
            "DROP TABLE IF EXISTS report_counts",
        ]) {
            db.execute_unprepared(s).await?;
        }
        Ok(())
    }
}
