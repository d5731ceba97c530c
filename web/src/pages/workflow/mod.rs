//! The Learning Citizen workflow (DOMAIN.md §6–7): registration and self-assessment, review,
//! recognition decisions, criteria sets, and the public check of a certificate.

pub mod assessment;
pub mod assessments;
pub(crate) mod common;
pub mod criteria_set;
pub mod criteria_sets;
mod criteria_tree;
pub mod decision;
pub mod decisions;
mod evidence;
mod pdf;
pub mod periods;
pub mod review;
mod score_form;
