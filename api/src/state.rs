//! What every request handler shares: the pool, the settings and the signing keys.

use crate::auth::jwt::JwtKeys;
use crate::configuration::Settings;
use crate::crypto::PiiKeys;
use crate::rate_limit::Limit;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use uuid::Uuid;

/// Application state, cloned cheaply into each worker.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub keys: Arc<JwtKeys>,
    /// Encryption and blind-index keys of personal ID numbers.
    pub pii: Arc<PiiKeys>,
    /// Where the public reaches the application (certificate QR codes point there).
    pub public_url: Arc<str>,
    /// Per-address limit of the public verification endpoint.
    pub verify_limiter: Arc<dyn Limit<String>>,
    /// Runs bulk imports in the background.
    pub imports: crate::import::jobs::Runner,
    /// Per-client limit of the integration API.
    pub client_limiter: Arc<dyn Limit<Uuid>>,
    /// The reference data that converts old addresses sent through the API.
    pub addresses: crate::services::legacy_address::Cache,
}
