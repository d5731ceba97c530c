//! What every request handler shares: the pool, the settings and the signing keys.

use crate::auth::jwt::JwtKeys;
use crate::configuration::Settings;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Application state, cloned cheaply into each worker.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub keys: Arc<JwtKeys>,
}
