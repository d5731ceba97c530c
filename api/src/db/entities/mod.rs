//! sea-orm entities, one per table, mirroring the migrations field for field. Change the
//! migration first, then the entity. One exception: `legacy_queue` is covered by
//! `legacy_queue_item` (the columns the importer writes) and `legacy_queue_subject` (what an
//! item is about, added later with a default), so that the importer's writer stays as it is.

pub mod admin_unit;
pub mod admin_unit_conversion;
pub mod admin_unit_lineage;
pub mod api_client;
pub mod assessment_event;
pub mod association_unit;
pub mod audit_log;
pub mod certificate_counter;
pub mod change_log;
pub mod criteria_set;
pub mod decision;
pub mod decision_item;
pub mod evidence_file;
pub mod external_ref;
pub mod idempotency_key;
pub mod import_job;
pub mod import_result;
pub mod import_upload;
pub mod legacy_queue_item;
pub mod legacy_queue_subject;
pub mod login_throttle;
pub mod membership;
pub mod period;
pub mod person;
pub mod refresh_token;
pub mod registration;
pub mod restructuring;
pub mod target_group;
pub mod user;
pub mod village;
