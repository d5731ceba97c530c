//! Authentication and authorisation: JWT access tokens, Argon2id passwords, the login throttle,
//! the `Actor` extractor and the pure scope rules.

pub mod actor;
pub mod extractor;
pub mod jwt;
pub mod password;
pub mod policy;
pub mod throttle;

pub use actor::{Actor, ClientGrant};
pub use policy::UnitPath;
