//! Bulk import and the move to the 2-level list of units: the import page (template, upload,
//! preview with column mapping, dry run, commit with progress, annotated reports, past jobs),
//! one import job's page, the legacy-address queue, and the restructurings of the list.

pub mod common;
pub mod job;
pub mod queue;
pub mod restructuring;
pub mod upload;
