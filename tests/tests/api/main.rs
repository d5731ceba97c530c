//! Black-box tests of the HTTP API, on SQLite and PostgreSQL, and the browser test of the web
//! application.

mod accounts;
mod admin_units;
mod association_units;
mod auth;
mod branch_scope;
mod browser;
mod browser_people;
mod browser_workflow;
mod errors;
mod integration;
mod memberships;
mod openapi;
mod people;
mod villages;
mod workflow;
mod workflow_criteria;
mod workflow_decisions;
mod workflow_verify;
