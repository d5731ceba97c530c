//! Request and response shapes of the Learning Citizen workflow: criteria sets, periods,
//! registrations with their assessment, recognition decisions and public verification.

use crate::assessment::{AssessmentStatus, EffectiveStatus};
use crate::criteria::{CriteriaStructure, PassRule, ScoreResult, Scores};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// Life of a criteria set: editable while `draft`, frozen for ever once `published`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CriteriaSetStatus {
    Draft,
    Published,
    Retired,
}

impl CriteriaSetStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CriteriaSetStatus::Draft => "draft",
            CriteriaSetStatus::Published => "published",
            CriteriaSetStatus::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Draft, Self::Published, Self::Retired]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A versioned criteria set for one target group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriteriaSet {
    pub id: Uuid,
    /// The family the versions belong to, e.g. `default-farmer`.
    pub code: String,
    /// 1, 2, 3… within the family.
    pub set_version: i32,
    pub target_group: String,
    pub title: String,
    pub status: CriteriaSetStatus,
    /// True for the shipped template that the official text must replace.
    pub is_template: bool,
    pub structure: CriteriaStructure,
    pub pass_rule: PassRule,
    pub total_max: u32,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// `POST /criteria-sets` (a new draft) and `PUT /criteria-sets/{id}` (edit a draft).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriteriaSetInput {
    /// Family code: lowercase letters, digits and `-`; a new draft in an existing family gets the
    /// next version number.
    #[validate(length(min = 2, max = 64, message = "must be 2 to 64 characters"))]
    pub code: String,
    pub target_group: String,
    #[validate(length(min = 2, max = 500, message = "must be 2 to 500 characters"))]
    pub title: String,
    pub structure: CriteriaStructure,
    pub pass_rule: PassRule,
}

/// Who reviews or recognises, as configured per period.
pub const REVIEWER_LEVELS: [&str; 3] = ["branch", "committee", "commune"];

/// A yearly period with its dates and who reviews and recognises.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    pub id: Uuid,
    pub year: i32,
    pub name: String,
    pub registration_opens: NaiveDate,
    pub registration_closes: NaiveDate,
    pub self_assessment_opens: NaiveDate,
    pub self_assessment_closes: NaiveDate,
    pub review_opens: NaiveDate,
    pub review_closes: NaiveDate,
    /// `branch`, `committee` or `commune`: the level of the unit that reviews.
    pub reviewer_level: String,
    /// The level of the unit that recognises (`commune` by default).
    pub recogniser_level: String,
    /// How long a recognition is valid, from the decision date.
    pub validity_months: i32,
    pub version: i32,
}

/// `POST /periods` and `PUT /periods/{id}`. Dates default to the whole year.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodInput {
    #[validate(range(min = 2021, max = 2100, message = "must be a year from 2021 to 2100"))]
    pub year: i32,
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    pub name: Option<String>,
    pub registration_opens: Option<NaiveDate>,
    pub registration_closes: Option<NaiveDate>,
    pub self_assessment_opens: Option<NaiveDate>,
    pub self_assessment_closes: Option<NaiveDate>,
    pub review_opens: Option<NaiveDate>,
    pub review_closes: Option<NaiveDate>,
    /// `branch`, `committee` or `commune` (default `branch`).
    pub reviewer_level: Option<String>,
    /// `commune` (default) or `province`.
    pub recogniser_level: Option<String>,
    #[validate(range(min = 1, max = 120, message = "must be 1 to 120 months"))]
    pub validity_months: Option<i32>,
}

/// `POST /registrations`: a person enters a period.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationInput {
    pub person_id: Uuid,
    pub period_id: Uuid,
    /// Defaults to the person's target group.
    pub target_group: Option<String>,
    /// The Association unit that reviews; defaults to the person's commune unit.
    pub reviewing_unit_id: Option<Uuid>,
    #[validate(length(max = 100, message = "must be at most 100 characters"))]
    pub external_id: Option<String>,
}

/// Evidence for one indicator: a file reference or a reviewer's confirmation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evidence {
    /// A description or a reference to a document held by the unit.
    pub note: Option<String>,
    /// The reviewer confirms having seen the evidence.
    #[serde(default)]
    pub confirmed_by_reviewer: bool,
}

/// `PUT /registrations/{id}/self-assessment` and `PUT /registrations/{id}/review`: scores per
/// indicator code. Totals and the verdict are computed by the server; clients never send them.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScoresInput {
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, u32>))]
    pub scores: Scores,
    /// Optional evidence per indicator code.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, Evidence>))]
    pub evidence: std::collections::BTreeMap<String, Evidence>,
}

/// A transition that may carry a note (`return` requires one).
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransitionInput {
    #[validate(length(max = 2000, message = "must be at most 2000 characters"))]
    pub note: Option<String>,
}

/// `POST /registrations/bulk-pass`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkInput {
    #[validate(length(min = 1, max = 500, message = "must list 1 to 500 registrations"))]
    pub ids: Vec<Uuid>,
    pub note: Option<String>,
}

/// Outcome of one item of a bulk action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkOutcome {
    pub id: Uuid,
    /// `done` or `refused`.
    pub outcome: String,
    pub status: Option<AssessmentStatus>,
    pub problem: Option<String>,
}

/// One step of an assessment's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentEvent {
    pub at: DateTime<Utc>,
    pub actor_username: Option<String>,
    pub action: String,
    pub from_status: Option<AssessmentStatus>,
    pub to_status: AssessmentStatus,
    pub note: Option<String>,
}

/// A registration with its assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Registration {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    pub person_gender: String,
    pub person_birth_year: i32,
    pub period_id: Uuid,
    pub period_year: i32,
    pub target_group: String,
    pub reviewing_unit_id: Uuid,
    pub reviewing_unit_name: String,
    pub commune_code: String,
    pub province_code: String,
    pub status: AssessmentStatus,
    /// The status with expiry applied (`expired` once past `expires_on`).
    pub effective_status: EffectiveStatus,
    /// The criteria-set version the assessment is pinned to (set when it starts).
    pub criteria_set_id: Option<Uuid>,
    pub self_scores: Option<Scores>,
    pub self_result: Option<ScoreResult>,
    pub review_scores: Option<Scores>,
    pub review_result: Option<ScoreResult>,
    pub evidence: Option<std::collections::BTreeMap<String, Evidence>>,
    pub last_note: Option<String>,
    pub decision_id: Option<Uuid>,
    pub certificate_number: Option<String>,
    pub verification_code: Option<String>,
    pub recognised_at: Option<DateTime<Utc>>,
    pub expires_on: Option<NaiveDate>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
    pub allowed_actions: Vec<String>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// `POST /decisions`: a draft recognition decision of the caller's recognising unit.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionInput {
    pub period_id: Uuid,
    /// The recognising Association unit; defaults to the caller's commune unit.
    pub issuing_unit_id: Option<Uuid>,
    #[validate(length(min = 1, max = 64, message = "must be 1 to 64 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "12/QĐ-KH"))]
    pub number: String,
    pub decision_date: NaiveDate,
    #[validate(length(min = 2, max = 200, message = "must be 2 to 200 characters"))]
    pub signer: String,
    #[validate(length(min = 2, max = 200, message = "must be 2 to 200 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "Chủ tịch"))]
    pub signer_title: String,
    #[validate(length(min = 2, max = 500, message = "must be 2 to 500 characters"))]
    pub title: String,
}

/// `POST /decisions/{id}/items`: add (or remove) review-passed registrations.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionItemsInput {
    #[validate(length(min = 1, max = 1000, message = "must list 1 to 1000 registrations"))]
    pub registration_ids: Vec<Uuid>,
}

/// A recognition decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    pub id: Uuid,
    pub issuing_unit_id: Uuid,
    pub issuing_unit_name: String,
    pub period_id: Uuid,
    pub number: String,
    pub decision_date: NaiveDate,
    pub signer: String,
    pub signer_title: String,
    pub title: String,
    /// `draft` or `issued`.
    pub status: String,
    pub issued_at: Option<DateTime<Utc>>,
    pub registration_ids: Vec<Uuid>,
    pub version: i32,
}

/// `POST /registrations/{id}/revoke`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokeInput {
    #[validate(length(
        min = 3,
        max = 2000,
        message = "give the reason (3 to 2000 characters)"
    ))]
    pub reason: String,
}

/// What the public verification page shows: nothing more.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verification {
    /// The holder's name, masked: `Nguyễn V. A.`.
    pub masked_name: String,
    pub title: String,
    pub period: String,
    pub issuing_unit: String,
    /// `valid`, `revoked` or `expired`.
    pub status: String,
    pub certificate_number: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

/// Masks a full name for the public: the family name whole, the other words by their first
/// letter: "Nguyễn Văn An" → "Nguyễn V. A.".
pub fn mask_name(full_name: &str) -> String {
    let mut words = full_name.split_whitespace();
    let mut out = words.next().unwrap_or_default().to_string();
    for w in words {
        if let Some(first) = w.chars().next() {
            out.push(' ');
            out.push(first);
            out.push('.');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_after_the_family_name() {
        assert_eq!(mask_name("Nguyễn Văn An"), "Nguyễn V. A.");
        assert_eq!(mask_name("  Lê  Thị Hồng Hạnh "), "Lê T. H. H.");
        assert_eq!(mask_name("Mạc"), "Mạc");
        assert_eq!(mask_name(""), "");
    }
}

/// One evidence file (minh chứng) attached to an indicator of an assessment. The bytes are
/// fetched from `GET /evidence-files/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceFile {
    pub id: Uuid,
    pub registration_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "1.1.1"))]
    pub indicator_code: String,
    #[cfg_attr(feature = "openapi", schema(example = "giay-chung-nhan.pdf"))]
    pub file_name: String,
    /// Detected from the file's content: `application/pdf`, `image/jpeg`, `image/png` or
    /// `image/webp`.
    pub content_type: String,
    pub size_bytes: u64,
    /// SHA-256 of the content, hexadecimal.
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}
