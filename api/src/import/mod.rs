//! Bulk import of people from CSV and XLSX files: reading the file ([`parse`]), checking each
//! row and finding its current commune ([`rows`]), and running the import in the background
//! ([`jobs`]). The annotated report is written by [`report`].

pub mod jobs;
pub mod parse;
pub mod report;
pub mod rows;
