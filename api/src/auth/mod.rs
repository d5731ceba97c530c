//! Authentication and authorisation: JWT access tokens, Argon2id passwords, the login throttle,
//! the `Actor` extractor and the pure scope rules.

pub mod client_limit;
pub mod extractor;
pub mod jwt;
pub mod password;
pub mod policy;
pub mod throttle;

pub use extractor::{Actor, ClientGrant};
pub use policy::UnitPath;
