//! Use cases. Each takes the acting officer where it matters, checks policy, does its work in
//! one transaction where it writes, and records the audit row.

pub mod accounts;
pub mod association_units;
pub mod audit;
pub mod memberships;
pub mod people;
pub mod sessions;
pub mod units;
pub mod villages;
