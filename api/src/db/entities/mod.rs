//! sea-orm entities, one per table, mirroring the migrations. Not hand-tuned: change the
//! migration first, then the entity.

pub mod admin_unit;
pub mod admin_unit_conversion;
pub mod audit_log;
pub mod login_throttle;
pub mod refresh_token;
pub mod user;
