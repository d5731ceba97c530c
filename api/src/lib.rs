//! The CDHT server: the JSON REST API under `/api/v1`, the single-page application at `/`, and
//! the operator CLI (`cdht`).

pub mod auth;
pub mod certificates;
pub mod cli;
pub mod concurrency;
pub mod configuration;
pub mod crypto;
pub mod db;
pub mod error;
pub mod export;
pub mod extract;
pub mod import;
pub mod json;
pub mod openapi;
pub mod rate_limit;
pub mod routes;
pub mod services;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod web_app;
