//! sea-orm entities, one per table, mirroring the migrations field for field. Change the
//! migration first, then the entity.

pub mod admin_unit;
pub mod admin_unit_conversion;
pub mod api_client;
pub mod assessment_event;
pub mod association_unit;
pub mod audit_log;
pub mod certificate_counter;
pub mod change_log;
pub mod criteria_set;
pub mod decision;
pub mod decision_item;
pub mod external_ref;
pub mod idempotency_key;
pub mod login_throttle;
pub mod membership;
pub mod period;
pub mod person;
pub mod refresh_token;
pub mod registration;
pub mod target_group;
pub mod user;
pub mod village;
