//! Who makes a request: the officer (or API client) behind its token, and the request's id.
//! Every service function takes one; the HTTP layer makes it (`auth::extractor`).

use crate::auth::UnitPath;
use shared::auth::Role;
use uuid::Uuid;

/// An API client behind a client-credentials token.
#[derive(Debug, Clone)]
pub struct ClientGrant {
    pub client_id: Uuid,
    pub name: String,
    /// Operations granted to the token (`people:read`, …).
    pub operations: Vec<String>,
}

/// The officer (or API client) making the request.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Uuid,
    pub username: String,
    pub role: Role,
    /// The unit the account is attached to, and so its scope.
    pub unit: UnitPath,
    /// Branch and committee officers: the Association unit their work is limited to.
    pub association_unit_id: Option<Uuid>,
    /// Set when an API client makes the request; `user_id` is then the client id.
    pub client: Option<ClientGrant>,
    /// The id of the request being handled (`X-Request-Id`), written into audit rows and the
    /// problem details of a batch's items; `None` outside a request (the CLI, an import job).
    pub request_id: Option<String>,
}
