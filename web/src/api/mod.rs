//! All HTTP of the application. Pages call the typed functions of [`auth`], [`admin_units`],
//! [`registry`], [`people`] and [`memberships`]; they go through the one generic JSON call of
//! [`client`].

pub mod admin_units;
pub mod auth;
pub mod client;
pub mod imports;
pub mod memberships;
pub mod people;
pub mod registry;
pub mod reports;
pub mod workflow;
pub mod worklist;
mod xhr;

pub use xhr::Progress;

use shared::error::{FieldError, Problem};
use std::fmt;

/// Why a call to the API failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The API answered with a problem document (RFC 9457).
    Problem {
        problem: Problem,
        /// Seconds to wait, from `Retry-After` (429 answers).
        retry_after: Option<u64>,
    },
    /// An error status without a problem document (a proxy, a server that is not the API).
    Status(u16),
    /// The request did not reach the server or no answer came back.
    Network(String),
    /// A success answer whose body is not what was expected.
    Decode(String),
    /// The session could not be refreshed; it has been cleared.
    SessionExpired,
}

impl ApiError {
    /// The problem document, when the API sent one.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ApiError::Problem { problem, .. } => Some(problem),
            _ => None,
        }
    }

    /// The field errors the API reported.
    pub fn field_errors(&self) -> Vec<FieldError> {
        self.problem()
            .map(|problem| problem.errors.clone())
            .unwrap_or_default()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Problem { problem, .. } => match &problem.detail {
                Some(detail) => write!(f, "{} ({}): {detail}", problem.title, problem.code),
                None => write!(f, "{} ({})", problem.title, problem.code),
            },
            ApiError::Status(status) => write!(f, "HTTP status {status}"),
            ApiError::Network(message) => write!(f, "network error: {message}"),
            ApiError::Decode(message) => write!(f, "unexpected answer: {message}"),
            ApiError::SessionExpired => f.write_str("the session has expired"),
        }
    }
}

impl std::error::Error for ApiError {}
