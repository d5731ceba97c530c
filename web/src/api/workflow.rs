//! The Learning Citizen workflow: periods, criteria sets, registrations with their assessment,
//! recognition decisions, certificates (as PDF bytes) and the public check of a certificate.

use super::ApiError;
use super::client::{self, Call, Method, pairs};
use crate::session::Session;
use shared::assessment::AssessmentStatus;
use shared::page::Page;
use shared::workflow::{
    AssessmentEvent, BulkInput, BulkOutcome, CriteriaSet, CriteriaSetInput, Decision,
    DecisionInput, DecisionItemsInput, EvidenceFile, Period, PeriodInput, Registration,
    RegistrationInput, RevokeInput, ScoresInput, TransitionInput,
};
use uuid::Uuid;

/// Filters of `GET /registrations`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegistrationQuery {
    pub period_id: Option<Uuid>,
    pub status: Option<AssessmentStatus>,
    pub target_group: Option<String>,
    /// Words of the person's name, diacritics optional.
    pub q: String,
    pub page: u64,
    pub per_page: u64,
}

/// A workflow step that has its own endpoint, `POST /registrations/{id}/{step}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Start,
    Submit,
    StartReview,
    Return,
    Pass,
    Fail,
    Withdraw,
}

impl Step {
    /// Every step, in the order the workflow takes them.
    pub const ALL: [Step; 7] = [
        Step::Start,
        Step::Submit,
        Step::StartReview,
        Step::Pass,
        Step::Fail,
        Step::Return,
        Step::Withdraw,
    ];

    /// The last segment of the step's endpoint, also used in element ids.
    pub fn segment(self) -> &'static str {
        match self {
            Step::Start => "start",
            Step::Submit => "submit",
            Step::StartReview => "start-review",
            Step::Return => "return",
            Step::Pass => "pass",
            Step::Fail => "fail",
            Step::Withdraw => "withdraw",
        }
    }

    /// The name the server gives the step in `allowed_actions`.
    pub fn action(self) -> &'static str {
        match self {
            Step::Start => "start_self_assessment",
            Step::Submit => "submit",
            Step::StartReview => "start_review",
            Step::Return => "return",
            Step::Pass => "pass",
            Step::Fail => "fail",
            Step::Withdraw => "withdraw",
        }
    }
}

/// `GET /periods`: every period, newest first.
pub async fn periods(session: Session) -> Result<Vec<Period>, ApiError> {
    client::call(session, Call::get("/periods", &[])).await
}

/// `POST /periods`: the period of `year` with the default dates and configuration.
pub async fn create_period(session: Session, year: i32) -> Result<Period, ApiError> {
    let body = PeriodInput {
        year,
        name: None,
        registration_opens: None,
        registration_closes: None,
        self_assessment_opens: None,
        self_assessment_closes: None,
        review_opens: None,
        review_closes: None,
        reviewer_level: None,
        recogniser_level: None,
        validity_months: None,
    };
    client::call(session, Call::post("/periods", &body)).await
}

/// `PUT /periods/{id}`: replaces a period's dates and configuration.
pub async fn update_period(
    session: Session,
    id: Uuid,
    input: &PeriodInput,
) -> Result<Period, ApiError> {
    let path = format!("/periods/{id}");
    client::call(session, Call::put(&path, input)).await
}

/// `GET /criteria-sets[?target_group=]`: criteria sets, newest versions first.
pub async fn criteria_sets(
    session: Session,
    target_group: Option<&str>,
) -> Result<Vec<CriteriaSet>, ApiError> {
    let params: Vec<(&'static str, String)> = target_group
        .map(|group| vec![("target_group", group.to_string())])
        .unwrap_or_default();
    client::call(session, Call::get("/criteria-sets", &pairs(&params))).await
}

/// `GET /criteria-sets/{id}`.
pub async fn criteria_set(session: Session, id: Uuid) -> Result<CriteriaSet, ApiError> {
    let path = format!("/criteria-sets/{id}");
    client::call(session, Call::get(&path, &[])).await
}

/// `POST /criteria-sets`: a new draft (the next version when the family exists).
pub async fn create_criteria_set(
    session: Session,
    input: &CriteriaSetInput,
) -> Result<CriteriaSet, ApiError> {
    client::call(session, Call::post("/criteria-sets", input)).await
}

/// `PUT /criteria-sets/{id}`: replaces a draft.
pub async fn update_criteria_set(
    session: Session,
    id: Uuid,
    input: &CriteriaSetInput,
) -> Result<CriteriaSet, ApiError> {
    let path = format!("/criteria-sets/{id}");
    client::call(session, Call::put(&path, input)).await
}

/// `POST /criteria-sets/{id}/publish`: freezes a draft and puts it in force.
pub async fn publish_criteria_set(session: Session, id: Uuid) -> Result<CriteriaSet, ApiError> {
    let path = format!("/criteria-sets/{id}/publish");
    client::call(session, Call::post(&path, &())).await
}

/// `GET /registrations?…`: one page of registrations inside the caller's unit.
pub async fn registrations(
    session: Session,
    query: &RegistrationQuery,
) -> Result<Page<Registration>, ApiError> {
    let mut params = vec![
        ("page", query.page.max(1).to_string()),
        ("per_page", query.per_page.to_string()),
    ];
    if let Some(period) = query.period_id {
        params.push(("period_id", period.to_string()));
    }
    if let Some(status) = query.status {
        params.push(("status", status.as_str().to_string()));
    }
    if let Some(group) = query.target_group.as_deref().filter(|g| !g.is_empty()) {
        params.push(("target_group", group.to_string()));
    }
    let q = query.q.trim();
    if !q.is_empty() {
        params.push(("q", q.to_string()));
    }
    client::call(session, Call::get("/registrations", &pairs(&params))).await
}

/// Most registrations a list page loads (pages of the largest size, one after the other);
/// beyond it the officer narrows the list with its filters.
pub const LIST_CAP: usize = 2_000;

/// Every registration matching `query` up to [`LIST_CAP`], page after page, and how many match
/// in all.
pub async fn all_registrations(
    session: Session,
    query: &RegistrationQuery,
) -> Result<(Vec<Registration>, u64), ApiError> {
    let mut request = query.clone();
    request.per_page = shared::page::MAX_PER_PAGE;
    request.page = 1;
    let mut items = Vec::new();
    loop {
        let page = registrations(session, &request).await?;
        let total = page.total;
        let last = page.items.len() < usize::try_from(request.per_page).unwrap_or(usize::MAX);
        items.extend(page.items);
        if last || items.len() >= LIST_CAP || items.len() as u64 >= total {
            return Ok((items, total));
        }
        request.page += 1;
    }
}

/// `POST /registrations`: registers a person for a period.
pub async fn register(
    session: Session,
    input: &RegistrationInput,
) -> Result<Registration, ApiError> {
    client::call(session, Call::post("/registrations", input)).await
}

/// `GET /registrations/{id}`.
pub async fn registration(session: Session, id: Uuid) -> Result<Registration, ApiError> {
    let path = format!("/registrations/{id}");
    client::call(session, Call::get(&path, &[])).await
}

/// `GET /registrations/{id}/events`: the history, oldest first.
pub async fn events(session: Session, id: Uuid) -> Result<Vec<AssessmentEvent>, ApiError> {
    let path = format!("/registrations/{id}/events");
    client::call(session, Call::get(&path, &[])).await
}

/// `PUT /registrations/{id}/self-assessment`.
pub async fn save_self_scores(
    session: Session,
    id: Uuid,
    input: &ScoresInput,
) -> Result<Registration, ApiError> {
    let path = format!("/registrations/{id}/self-assessment");
    client::call(session, Call::put(&path, input)).await
}

/// `PUT /registrations/{id}/review`.
pub async fn save_review_scores(
    session: Session,
    id: Uuid,
    input: &ScoresInput,
) -> Result<Registration, ApiError> {
    let path = format!("/registrations/{id}/review");
    client::call(session, Call::put(&path, input)).await
}

/// `POST /registrations/{id}/{step}` with an optional note.
pub async fn act(
    session: Session,
    id: Uuid,
    step: Step,
    note: Option<String>,
) -> Result<Registration, ApiError> {
    let path = format!("/registrations/{id}/{}", step.segment());
    let body = TransitionInput { note };
    client::call(session, Call::post(&path, &body)).await
}

/// `POST /registrations/bulk-pass`: the outcome of each.
pub async fn bulk_pass(session: Session, input: &BulkInput) -> Result<Vec<BulkOutcome>, ApiError> {
    client::call(session, Call::post("/registrations/bulk-pass", input)).await
}

/// `POST /registrations/{id}/revoke`.
pub async fn revoke(
    session: Session,
    id: Uuid,
    input: &RevokeInput,
) -> Result<Registration, ApiError> {
    let path = format!("/registrations/{id}/revoke");
    client::call(session, Call::post(&path, input)).await
}

/// `GET /registrations/{id}/certificate.pdf`: the certificate's bytes.
pub async fn certificate_pdf(session: Session, id: Uuid) -> Result<Vec<u8>, ApiError> {
    let path = format!("/registrations/{id}/certificate.pdf");
    client::call_bytes(session, Call::get(&path, &[])).await
}

/// `GET /decisions[?period_id=]`: decisions inside the caller's unit, newest first.
pub async fn decisions(
    session: Session,
    period_id: Option<Uuid>,
) -> Result<Vec<Decision>, ApiError> {
    let params: Vec<(&'static str, String)> = period_id
        .map(|id| vec![("period_id", id.to_string())])
        .unwrap_or_default();
    client::call(session, Call::get("/decisions", &pairs(&params))).await
}

/// `POST /decisions`: a draft decision.
pub async fn create_decision(
    session: Session,
    input: &DecisionInput,
) -> Result<Decision, ApiError> {
    client::call(session, Call::post("/decisions", input)).await
}

/// `GET /decisions/{id}`.
pub async fn decision(session: Session, id: Uuid) -> Result<Decision, ApiError> {
    let path = format!("/decisions/{id}");
    client::call(session, Call::get(&path, &[])).await
}

/// `POST /decisions/{id}/items`: lists review-passed registrations in a draft.
pub async fn add_to_decision(
    session: Session,
    id: Uuid,
    registration_ids: Vec<Uuid>,
) -> Result<Decision, ApiError> {
    let path = format!("/decisions/{id}/items");
    let body = DecisionItemsInput { registration_ids };
    client::call(session, Call::post(&path, &body)).await
}

/// `DELETE /decisions/{id}/items`: takes registrations off a draft.
pub async fn remove_from_decision(
    session: Session,
    id: Uuid,
    registration_ids: Vec<Uuid>,
) -> Result<Decision, ApiError> {
    let path = format!("/decisions/{id}/items");
    let body = DecisionItemsInput { registration_ids };
    let call = Call {
        method: Method::Delete,
        path: &path,
        query: &[],
        body: Some(&body),
    };
    client::call(session, call).await
}

/// `POST /decisions/{id}/issue`: recognises everyone listed.
pub async fn issue_decision(session: Session, id: Uuid) -> Result<Decision, ApiError> {
    let path = format!("/decisions/{id}/issue");
    client::call(session, Call::post(&path, &())).await
}

/// `GET /decisions/{id}/certificates.pdf`: every certificate of an issued decision.
pub async fn decision_pdf(session: Session, id: Uuid) -> Result<Vec<u8>, ApiError> {
    let path = format!("/decisions/{id}/certificates.pdf");
    client::call_bytes(session, Call::get(&path, &[])).await
}

/// `GET /registrations/{id}/evidence`: the evidence files of an assessment.
pub async fn evidence_files(session: Session, id: Uuid) -> Result<Vec<EvidenceFile>, ApiError> {
    let path = format!("/registrations/{id}/evidence");
    client::call(session, Call::get(&path, &[])).await
}

/// `POST /registrations/{id}/evidence/{indicator}`: attaches `file` to an indicator.
pub async fn upload_evidence(
    session: Session,
    id: Uuid,
    indicator: &str,
    file: &web_sys::File,
) -> Result<EvidenceFile, ApiError> {
    let indicator = String::from(js_sys::encode_uri_component(indicator));
    let path = format!("/registrations/{id}/evidence/{indicator}");
    let name = file.name();
    client::call_upload(
        session,
        &path,
        &[("file_name", name.as_str())],
        file,
        super::xhr::unheard(),
    )
    .await
}

/// `GET /evidence-files/{id}`: the file's bytes.
pub async fn evidence_bytes(session: Session, file_id: Uuid) -> Result<Vec<u8>, ApiError> {
    let path = format!("/evidence-files/{file_id}");
    client::call_bytes(session, Call::get(&path, &[])).await
}

/// `DELETE /evidence-files/{id}`.
pub async fn delete_evidence(session: Session, file_id: Uuid) -> Result<(), ApiError> {
    let path = format!("/evidence-files/{file_id}");
    client::call(session, Call::delete(&path)).await
}
