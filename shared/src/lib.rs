//! Domain types and rules used by both the API server and the SPA.
//!
//! Everything here compiles for `wasm32-unknown-unknown`: no server crates. OpenAPI schema derives
//! sit behind the `openapi` feature, which only the server turns on.

pub mod admin_unit;
pub mod assessment;
pub mod auth;
pub mod criteria;
pub mod error;
pub mod import;
pub mod page;
pub mod person;
pub mod registry;
pub mod report;
pub mod text;
pub mod unit_names;
pub mod workflow;
pub mod worklist;
