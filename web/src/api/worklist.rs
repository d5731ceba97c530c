//! The officer's work list, behind the home page.

use super::ApiError;
use super::client::{self, Call};
use crate::session::Session;
use shared::worklist::Worklist;

/// `GET /worklist`: what waits for the signed-in officer in their unit, for the current period.
pub async fn worklist(session: Session) -> Result<Worklist, ApiError> {
    client::call(session, Call::get("/worklist", &[])).await
}
