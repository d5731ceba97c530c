//! What every request handler shares: the pool, the settings and the signing keys.

use crate::auth::jwt::JwtKeys;
use crate::configuration::Settings;
use crate::crypto::PiiKeys;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Application state, cloned cheaply into each worker.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub keys: Arc<JwtKeys>,
    /// Encryption and blind-index keys of personal ID numbers.
    pub pii: Arc<PiiKeys>,
}
