//! The database schema of CDHT, as sea-orm migrations that run unchanged on SQLite and PostgreSQL,
//! and the seed data they load (the official administrative-unit lists, shipped in `data/`).
//!
//! An applied migration is never edited: a change of schema is a new migration.

pub use sea_orm_migration::prelude::*;

mod m20251128_000001_admin_units;
mod m20251128_000002_accounts;
mod m20251128_000003_audit_log;
pub mod m20251128_000004_registry;
mod m20251128_000005_workflow;
mod m20251128_000006_branch_accounts;
mod m20251128_000007_one_decision_per_registration;
mod m20251128_000008_evidence_files;
pub mod m20251128_000009_reports;
mod m20251128_000010_integration;
mod m20251128_000011_import;
mod m20251128_000012_user_versions;
mod m20251128_000013_queue_subjects;
mod m20251128_000014_queue_match_key;
mod m20251128_000016_import_options;
mod m20261207_000001_parallel_change_feed;
pub mod seed;

/// All migrations, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20251128_000001_admin_units::Migration),
            Box::new(m20251128_000002_accounts::Migration),
            Box::new(m20251128_000003_audit_log::Migration),
            Box::new(m20251128_000004_registry::Migration),
            Box::new(m20251128_000005_workflow::Migration),
            Box::new(m20251128_000006_branch_accounts::Migration),
            Box::new(m20251128_000007_one_decision_per_registration::Migration),
            Box::new(m20251128_000008_evidence_files::Migration),
            Box::new(m20251128_000009_reports::Migration),
            Box::new(m20251128_000011_import::Migration),
            Box::new(m20251128_000012_user_versions::Migration),
            Box::new(m20251128_000010_integration::Migration),
            Box::new(m20251128_000013_queue_subjects::Migration),
            Box::new(m20251128_000014_queue_match_key::Migration),
            Box::new(m20251128_000016_import_options::Migration),
            Box::new(m20261207_000001_parallel_change_feed::Migration),
        ]
    }
}
