//! One module per page; each takes the [`AppContext`](crate::app::AppContext) as its only prop.

pub mod association_unit_detail;
pub mod association_unit_members;
pub mod association_units;
pub mod home;
pub mod import;
pub mod legacy;
pub mod login;
pub mod not_found;
pub mod old_address;
pub mod people;
pub mod person_detail;
pub mod person_form;
pub mod reports;
pub mod unit_detail;
pub mod units;
pub mod villages;
pub mod workflow;
