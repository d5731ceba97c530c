//! Presentational pieces shared by pages. They take everything through props.

pub mod field_error;
pub mod loading;
pub mod problem;
pub mod unit_item;
