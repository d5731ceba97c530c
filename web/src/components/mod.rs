//! Presentational pieces shared by pages. They take everything through props.

pub mod association_unit_facts;
pub mod chart;
pub mod commune_picker;
pub mod field_error;
pub mod loading;
pub mod pager;
pub mod person_item;
pub mod problem;
pub mod select_option;
pub mod unit_item;
