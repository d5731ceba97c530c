//! Use cases. Each takes the acting officer where it matters, checks policy, does its work in
//! one transaction where it writes, and records the audit row.

pub mod accounts;
pub mod association_units;
pub mod audit;
pub mod baselines;
pub mod changes;
pub mod clients;
pub mod criteria_sets;
pub mod decisions;
pub mod evidence;
pub mod idempotency;
pub mod imports;
pub mod legacy_address;
pub mod legacy_queue;
pub mod memberships;
pub mod people;
pub mod periods;
pub mod registrations;
pub mod reports;
pub mod restructuring;
pub mod sessions;
pub mod sync;
pub mod units;
pub mod villages;
pub mod worklist;
