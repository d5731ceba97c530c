//! The Learning Citizen workflow (DOMAIN.md §6–7) through the API: periods, registrations, the
//! self-assessment and the review with scores computed by the server, every transition and who
//! may take it, and the public verification of the certificate. The helpers here are shared by
//! `workflow_decisions.rs` (recognition decisions and concurrency) and `workflow_criteria.rs`
//! (criteria sets); `workflow_verify.rs` has the rate limit of the verification.

use chrono::{Datelike, Months, NaiveDate, Utc};
use reqwest::Method;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use tests::{ApiResponse, Session, TestApp};
use uuid::Uuid;

tests::on_both_backends!(
    a_citizen_goes_from_registration_to_a_verifiable_certificate_that_can_be_revoked,
    every_action_the_current_state_does_not_allow_is_a_conflict_naming_that_state,
    returning_an_assessment_to_draft_needs_a_note,
    scores_must_cover_every_indicator_of_the_set_and_nothing_else_within_its_maximum,
    submitting_needs_scores_and_passing_needs_scores_that_meet_the_pass_rule,
    a_person_registers_once_per_period_and_only_while_registration_is_open,
    only_a_reviewer_confirms_evidence,
    a_bulk_pass_passes_each_registration_or_refuses_it_on_its_own,
    registrations_of_another_commune_or_province_do_not_exist_for_an_officer,
    each_step_is_refused_to_roles_below_it,
);

pub(crate) const PEOPLE: &str = "/api/v1/people";
pub(crate) const PERIODS: &str = "/api/v1/periods";
pub(crate) const REGISTRATIONS: &str = "/api/v1/registrations";
pub(crate) const DECISIONS: &str = "/api/v1/decisions";
pub(crate) const CRITERIA_SETS: &str = "/api/v1/criteria-sets";
pub(crate) const VERIFY: &str = "/api/v1/public/verify";
/// Phường Ba Đình, Hà Nội (province 01).
pub(crate) const BADINH: &str = "00004";
/// Another commune of Hà Nội.
pub(crate) const NGOCHA: &str = "00008";
/// The indicator codes of the shipped template, 10 points each.
pub(crate) const INDICATORS: [&str; 10] = [
    "1.1.1", "1.2.1", "1.3.1", "1.4.1", "2.1.1", "2.2.1", "2.3.1", "2.4.1", "3.1.1", "3.2.1",
];

/// Nguyễn Văn An, written with escapes so that the source's own normalisation does not matter.
pub(crate) const AN_NFC: &str = "Nguy\u{1ec5}n V\u{0103}n An";
/// His personal ID number: Hà Nội, male, born 1985.
pub(crate) const AN_ID: &str = "001085012345";
/// Every step a registration can be asked to take, by the last segment of its path.
pub(crate) const STEPS: [&str; 10] = [
    "start",
    "submit",
    "start-review",
    "return",
    "pass",
    "fail",
    "withdraw",
    "revoke",
    "self-assessment",
    "review",
];

/// Namespace of the ids the registry migration gives the seeded Association units (a copy of
/// `migrations::m20251128_000004_registry::ASSOCIATION_UNIT_NAMESPACE`; the ids are a contract).
pub(crate) const ASSOCIATION_UNIT_NAMESPACE: Uuid =
    Uuid::from_u128(0x6c0d_8a51_3f2e_4b7a_9d10_5e2a_c4f3_1b01);

pub(crate) fn commune_unit_id(code: &str) -> String {
    Uuid::new_v5(
        &ASSOCIATION_UNIT_NAMESPACE,
        format!("commune:{code}").as_bytes(),
    )
    .to_string()
}

pub(crate) fn today() -> NaiveDate {
    Utc::now().date_naive()
}

pub(crate) fn this_year() -> i32 {
    today().year()
}

pub(crate) fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid date")
}

pub(crate) fn text(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("expected a string, got {value}"))
        .to_string()
}

pub(crate) fn id_of(value: &Value) -> String {
    text(&value["id"])
}

pub(crate) fn registration_path(id: &str) -> String {
    format!("{REGISTRATIONS}/{id}")
}

/// A scores body giving every template indicator `points`.
pub(crate) fn uniform(points: u32) -> Value {
    let scores: Map<String, Value> = INDICATORS
        .iter()
        .map(|code| (code.to_string(), json!(points)))
        .collect();
    json!({ "scores": scores })
}

/// `body` with the score of `code` set to `points`.
pub(crate) fn with_score(body: &Value, code: &str, points: Value) -> Value {
    let mut body = body.clone();
    body["scores"][code] = points;
    body
}

pub(crate) fn without_score(body: &Value, code: &str) -> Value {
    let mut body = body.clone();
    body["scores"]
        .as_object_mut()
        .expect("scores are an object")
        .remove(code);
    body
}

pub(crate) async fn put_json(app: &TestApp, path: &str, by: &Session, body: &Value) -> ApiResponse {
    app.send(app.request(Method::PUT, path, by.token()).json(body))
        .await
}

/// The officers of a scenario and the period of the current year, open all year.
pub(crate) struct Office {
    pub(crate) admin: Session,
    /// Commune officer of Ba Đình: recognises.
    pub(crate) commune: Session,
    /// Branch officer of Ba Đình: registers and enters self-assessments.
    pub(crate) branch: Session,
    /// Another branch officer of Ba Đình: reviews.
    pub(crate) reviewer: Session,
    pub(crate) period: String,
    /// Numbers the decisions this scenario drafts.
    pub(crate) decisions: std::cell::Cell<u32>,
}

pub(crate) async fn office(app: &TestApp) -> Office {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let commune = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let branch = app.sign_in("hn.branch", "branch_officer", BADINH).await;
    let reviewer = app.sign_in("hn.reviewer", "branch_officer", BADINH).await;
    let period = create_period(app, &admin, &json!({"year": this_year()})).await;
    Office {
        admin,
        commune,
        branch,
        reviewer,
        period: id_of(&period),
        decisions: std::cell::Cell::new(0),
    }
}

pub(crate) async fn create_period(app: &TestApp, admin: &Session, body: &Value) -> Value {
    let response = app.post_json(PERIODS, admin.token(), body).await;
    response.assert_status(201);
    response.body
}

/// Creates a farmer of Ba Đình and returns their id.
pub(crate) async fn person(app: &TestApp, by: &Session, full_name: &str) -> String {
    let response = app
        .post_json(
            PEOPLE,
            by.token(),
            &json!({
                "full_name": full_name,
                "gender": "male",
                "birth_year": 1980,
                "commune_code": BADINH,
                "target_group": "farmer",
            }),
        )
        .await;
    response.assert_status(201);
    id_of(&response.body)
}

pub(crate) async fn register(
    app: &TestApp,
    by: &Session,
    person_id: &str,
    period_id: &str,
) -> ApiResponse {
    app.post_json(
        REGISTRATIONS,
        by.token(),
        &json!({"person_id": person_id, "period_id": period_id}),
    )
    .await
}

pub(crate) async fn get_registration(app: &TestApp, by: &Session, id: &str) -> Value {
    let response = app.get_json(&registration_path(id), by.token()).await;
    response.assert_status(200);
    response.body
}

/// Asks the registration `id` to take `step` (see [`STEPS`]), with a note, reason or scores where
/// the step takes one.
pub(crate) async fn step(app: &TestApp, by: &Session, id: &str, step: &str) -> ApiResponse {
    let path = format!("{}/{step}", registration_path(id));
    match step {
        "self-assessment" | "review" => put_json(app, &path, by, &uniform(9)).await,
        "return" => {
            app.post_json(&path, by.token(), &json!({"note": "Thiếu minh chứng"}))
                .await
        }
        "revoke" => {
            app.post_json(&path, by.token(), &json!({"reason": "Khai man kết quả"}))
                .await
        }
        _ => app.send(app.request(Method::POST, &path, by.token())).await,
    }
}

/// Takes `step`, which must succeed, and returns the registration.
pub(crate) async fn take(app: &TestApp, by: &Session, id: &str, name: &str) -> Value {
    let response = step(app, by, id, name).await;
    assert_eq!(
        response.status, 200,
        "{name} of {id} succeeds: {}",
        response.body
    );
    response.body
}

/// A new registration of a new person named `full_name`, brought to `state` through the API.
pub(crate) async fn in_state(
    app: &TestApp,
    office: &Office,
    full_name: &str,
    state: &str,
) -> String {
    let person_id = person(app, &office.branch, full_name).await;
    let registered = register(app, &office.branch, &person_id, &office.period).await;
    registered.assert_status(201);
    let id = id_of(&registered.body);
    let path: &[&str] = match state {
        "registered" => &[],
        "draft" => &["start"],
        "withdrawn" => &["withdraw"],
        "submitted" => &["self-assessment", "submit"],
        "under_review" => &["self-assessment", "submit", "start-review"],
        "review_passed" | "recognised" | "revoked" => &["self-assessment", "submit", "pass"],
        "review_failed" => &["self-assessment", "submit", "fail"],
        other => panic!("no way to {other}"),
    };
    for name in path {
        let by = match *name {
            "pass" | "fail" | "start-review" => &office.reviewer,
            _ => &office.branch,
        };
        take(app, by, &id, name).await;
    }
    if matches!(state, "recognised" | "revoked") {
        let decision = draft_decision(app, office, &office.commune).await;
        issue_with(app, &office.commune, &decision, &[id.as_str()]).await;
    }
    if state == "revoked" {
        take(app, &office.commune, &id, "revoke").await;
    }
    assert_eq!(
        get_registration(app, &office.commune, &id).await["status"],
        state,
        "{full_name} is {state}"
    );
    id
}

pub(crate) fn decision_body(period: &str, number: &str) -> Value {
    json!({
        "period_id": period,
        "number": number,
        "decision_date": today(),
        "signer": "Trần Văn Bình",
        "signer_title": "Chủ tịch",
        "title": "Quyết định công nhận danh hiệu Công dân học tập",
    })
}

/// Drafts a decision of `by`'s commune with the next number of the scenario.
pub(crate) async fn draft_decision(app: &TestApp, office: &Office, by: &Session) -> String {
    let n = office.decisions.get() + 1;
    office.decisions.set(n);
    let response = app
        .post_json(
            DECISIONS,
            by.token(),
            &decision_body(&office.period, &format!("{n}/QĐ-KH")),
        )
        .await;
    response.assert_status(201);
    id_of(&response.body)
}

pub(crate) async fn add_items(
    app: &TestApp,
    by: &Session,
    decision: &str,
    ids: &[&str],
) -> ApiResponse {
    app.post_json(
        &format!("{DECISIONS}/{decision}/items"),
        by.token(),
        &json!({ "registration_ids": ids }),
    )
    .await
}

pub(crate) async fn issue(app: &TestApp, by: &Session, decision: &str) -> ApiResponse {
    app.send(app.request(
        Method::POST,
        &format!("{DECISIONS}/{decision}/issue"),
        by.token(),
    ))
    .await
}

/// Lists `ids` in the draft `decision` and issues it; both must succeed.
pub(crate) async fn issue_with(app: &TestApp, by: &Session, decision: &str, ids: &[&str]) -> Value {
    add_items(app, by, decision, ids).await.assert_status(200);
    let issued = issue(app, by, decision).await;
    issued.assert_status(200);
    issued.body
}

/// Panics unless `response` is a 409 whose detail names `state` as the current state.
#[track_caller]
pub(crate) fn assert_conflict_in(response: &ApiResponse, state: &str, what: &str) {
    assert_eq!(response.status, 409, "{what}: {}", response.body);
    response.assert_problem(409, "conflict");
    let detail = response.body["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains(&format!("current state: {state}")),
        "{what}: the detail names the current state {state}: {detail:?}"
    );
}

/// Panics unless `response` is a PDF.
#[track_caller]
pub(crate) fn assert_pdf(response: &ApiResponse, what: &str) {
    assert_eq!(response.status, 200, "{what}: {}", response.body);
    assert_eq!(
        response.header("content-type"),
        Some("application/pdf"),
        "{what}"
    );
    let body = response.body.as_str().unwrap_or_default();
    assert!(body.starts_with("%PDF-"), "{what} starts with %PDF-");
}

/// The events of a registration as (action, from, to, actor).
pub(crate) async fn events(
    app: &TestApp,
    by: &Session,
    id: &str,
) -> Vec<(String, Value, String, String)> {
    let response = app
        .get_json(&format!("{}/events", registration_path(id)), by.token())
        .await;
    response.assert_status(200);
    response
        .items()
        .iter()
        .map(|e| {
            assert!(e["at"].is_string(), "an event has a time: {e}");
            (
                text(&e["action"]),
                e["from_status"].clone(),
                text(&e["to_status"]),
                text(&e["actor_username"]),
            )
        })
        .collect()
}

/// A family name and a given name for each of `n` people, all different.
pub(crate) fn many_names(n: usize) -> Vec<String> {
    let families = [
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ",
    ];
    let given = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khoa"];
    families
        .iter()
        .flat_map(|f| given.iter().map(move |g| format!("{f} Văn {g}")))
        .take(n)
        .collect()
}

async fn a_citizen_goes_from_registration_to_a_verifiable_certificate_that_can_be_revoked(
    app: &TestApp,
) {
    let office = office(app).await;
    let (branch, reviewer, commune) = (&office.branch, &office.reviewer, &office.commune);
    let year = this_year();
    let created = app
        .post_json(
            PEOPLE,
            branch.token(),
            &json!({
                "full_name": AN_NFC,
                "gender": "male",
                "birth_year": 1985,
                "personal_id": AN_ID,
                "commune_code": BADINH,
                "target_group": "farmer",
            }),
        )
        .await;
    created.assert_status(201);
    let person_id = id_of(&created.body);

    // Registered, reviewed by the commune's Association unit by default.
    let registered = register(app, branch, &person_id, &office.period).await;
    registered.assert_status(201);
    let id = id_of(&registered.body);
    assert_eq!(
        registered.header("location"),
        Some(registration_path(&id).as_str())
    );
    let r = &registered.body;
    assert_eq!(r["status"], "registered", "{r}");
    assert_eq!(r["person_id"], person_id.as_str());
    assert_eq!(r["person_name"], AN_NFC);
    assert_eq!(r["period_id"], office.period.as_str());
    assert_eq!(r["period_year"], year);
    assert_eq!(r["target_group"], "farmer", "the person's target group");
    assert_eq!(r["reviewing_unit_id"], commune_unit_id(BADINH).as_str());
    assert_eq!(r["commune_code"], BADINH);
    assert_eq!(r["province_code"], "01");
    assert_eq!(r["criteria_set_id"], Value::Null, "not started yet");
    assert_eq!(
        r["allowed_actions"],
        json!(["start_self_assessment", "withdraw"])
    );

    // The self-assessment: the server computes the total and the verdict.
    let self_scores = with_score(&uniform(10), "1.1.1", json!(8));
    let path = format!("{}/self-assessment", registration_path(&id));
    let mut with_total = self_scores.clone();
    with_total["total"] = json!(100);
    let refused = put_json(app, &path, branch, &with_total).await;
    refused.assert_invalid_field("total");
    let mut with_result = self_scores.clone();
    with_result["passed"] = json!(true);
    put_json(app, &path, branch, &with_result)
        .await
        .assert_problem(422, "validation_failed");
    let unchanged = get_registration(app, branch, &id).await;
    assert_eq!(
        unchanged["status"], "registered",
        "a refused body changes nothing"
    );

    let drafted = put_json(app, &path, branch, &self_scores).await;
    drafted.assert_status(200);
    let r = &drafted.body;
    assert_eq!(r["status"], "draft", "{r}");
    assert_eq!(r["self_scores"], self_scores["scores"]);
    assert_eq!(r["self_result"]["total"], 98);
    assert_eq!(r["self_result"]["max"], 100);
    assert_eq!(r["self_result"]["passed"], true);
    assert_eq!(r["self_result"]["failing_indicators"], json!([]));
    assert_eq!(r["review_scores"], Value::Null);
    let template = text(&r["criteria_set_id"]);
    let set = app
        .get_json(&format!("{CRITERIA_SETS}/{template}"), branch.token())
        .await;
    set.assert_status(200);
    assert_eq!(set.body["target_group"], "farmer");
    assert_eq!(set.body["status"], "published");

    let submitted = take(app, branch, &id, "submit").await;
    assert_eq!(submitted["status"], "submitted");
    let reviewing = take(app, reviewer, &id, "start-review").await;
    assert_eq!(reviewing["status"], "under_review");

    // The review scores are kept apart from the self scores.
    let review_scores = uniform(9);
    let reviewed = put_json(
        app,
        &format!("{}/review", registration_path(&id)),
        reviewer,
        &review_scores,
    )
    .await;
    reviewed.assert_status(200);
    let r = &reviewed.body;
    assert_eq!(r["status"], "under_review", "{r}");
    assert_eq!(r["review_scores"], review_scores["scores"]);
    assert_eq!(r["review_result"]["total"], 90);
    assert_eq!(r["review_result"]["passed"], true);
    assert_eq!(r["self_scores"], self_scores["scores"], "self scores kept");
    assert_eq!(r["self_result"]["total"], 98, "self result kept");

    let passed = app
        .post_json(
            &format!("{}/pass", registration_path(&id)),
            reviewer.token(),
            &json!({"note": "Đủ điều kiện"}),
        )
        .await;
    passed.assert_status(200);
    assert_eq!(passed.body["status"], "review_passed");
    assert_eq!(passed.body["last_note"], "Đủ điều kiện");
    assert_eq!(passed.body["review_result"]["total"], 90);
    assert_eq!(passed.body["self_result"]["total"], 98);
    let not_yet = app
        .get_json(
            &format!("{}/certificate.pdf", registration_path(&id)),
            commune.token(),
        )
        .await;
    assert_conflict_in(
        &not_yet,
        "review_passed",
        "a certificate before recognition",
    );

    // A decision lists the person and is issued.
    let drafted = app
        .post_json(
            DECISIONS,
            commune.token(),
            &decision_body(&office.period, "12/QĐ-KH"),
        )
        .await;
    drafted.assert_status(201);
    let decision = id_of(&drafted.body);
    let d = &drafted.body;
    assert_eq!(d["number"], "12/QĐ-KH");
    assert_eq!(d["status"], "draft");
    assert_eq!(d["issuing_unit_id"], commune_unit_id(BADINH).as_str());
    assert_eq!(d["registration_ids"], json!([]));
    let early = app
        .get_json(
            &format!("{DECISIONS}/{decision}/certificates.pdf"),
            commune.token(),
        )
        .await;
    assert_conflict_in(&early, "draft", "certificates of a draft decision");
    let listed = add_items(app, commune, &decision, &[&id]).await;
    listed.assert_status(200);
    assert_eq!(listed.body["registration_ids"], json!([id]));
    let issued = issue(app, commune, &decision).await;
    issued.assert_status(200);
    assert_eq!(issued.body["status"], "issued");
    assert!(issued.body["issued_at"].is_string(), "{}", issued.body);
    let again = issue(app, commune, &decision).await;
    assert_conflict_in(&again, "issued", "issuing twice");

    let r = get_registration(app, commune, &id).await;
    assert_eq!(r["status"], "recognised", "{r}");
    assert_eq!(r["effective_status"], "recognised");
    assert_eq!(r["decision_id"], decision.as_str());
    let number = format!("{BADINH}/{year}/000001");
    assert_eq!(r["certificate_number"], number.as_str());
    let code = text(&r["verification_code"]);
    assert!(code.len() >= 20, "an unguessable code: {code}");
    let valid_until = today()
        .checked_add_months(Months::new(12))
        .and_then(|d| d.pred_opt())
        .expect("a date a year ahead");
    assert_eq!(r["expires_on"], valid_until.to_string());
    assert!(r["recognised_at"].is_string());
    assert_eq!(r["allowed_actions"], json!(["revoke"]));

    // The certificates.
    let pdf = app
        .get_json(
            &format!("{}/certificate.pdf", registration_path(&id)),
            commune.token(),
        )
        .await;
    assert_pdf(&pdf, "the certificate");
    let pdf = app
        .get_json(
            &format!("{DECISIONS}/{decision}/certificates.pdf"),
            commune.token(),
        )
        .await;
    assert_pdf(&pdf, "the certificates of the decision");

    // The public check, without a token, shows only what the public may know.
    let verified = app.get_json(&format!("{VERIFY}/{code}"), None).await;
    verified.assert_status(200);
    let keys: BTreeSet<&str> = verified
        .body
        .as_object()
        .unwrap_or_else(|| panic!("an object: {}", verified.body))
        .keys()
        .map(String::as_str)
        .collect();
    let expected: BTreeSet<&str> = [
        "masked_name",
        "title",
        "period",
        "issuing_unit",
        "status",
        "certificate_number",
        "decision_number",
        "decision_date",
        "valid_until",
    ]
    .into_iter()
    .collect();
    assert_eq!(keys, expected, "{}", verified.body);
    let v = &verified.body;
    assert_eq!(v["masked_name"], "Nguy\u{1ec5}n V. A.");
    assert_eq!(v["status"], "valid");
    assert_eq!(v["certificate_number"], number.as_str());
    assert_eq!(v["decision_number"], "12/QĐ-KH");
    assert_eq!(v["decision_date"], today().to_string());
    assert_eq!(v["valid_until"], valid_until.to_string());
    assert_eq!(v["period"], format!("Năm {year}"));
    assert!(
        v["issuing_unit"].as_str().is_some_and(|u| !u.is_empty()),
        "{v}"
    );
    assert!(v["title"].as_str().is_some_and(|t| !t.is_empty()), "{v}");
    assert_eq!(verified.header("cache-control"), Some("no-store"));
    let raw = v.to_string();
    for (what, secret) in [
        ("the full name", AN_NFC),
        ("the birth year", "1985"),
        ("the person id", person_id.as_str()),
        ("the registration id", id.as_str()),
        ("the personal ID number", AN_ID),
    ] {
        assert!(
            !raw.contains(secret),
            "the public check shows {what}: {raw}"
        );
    }
    let unknown = app
        .get_json(&format!("{VERIFY}/AAAAAAAAAAAAAAAAAAAAAAAA"), None)
        .await;
    unknown.assert_problem(404, "not_found");

    // Revoked with a reason: the public check says so.
    let no_reason = app
        .post_json(
            &format!("{}/revoke", registration_path(&id)),
            commune.token(),
            &json!({"reason": ""}),
        )
        .await;
    no_reason.assert_invalid_field("reason");
    let revoked = app
        .post_json(
            &format!("{}/revoke", registration_path(&id)),
            commune.token(),
            &json!({"reason": "Khai man kết quả"}),
        )
        .await;
    revoked.assert_status(200);
    assert_eq!(revoked.body["status"], "revoked");
    assert_eq!(revoked.body["revoke_reason"], "Khai man kết quả");
    assert!(revoked.body["revoked_at"].is_string());
    let verified = app.get_json(&format!("{VERIFY}/{code}"), None).await;
    verified.assert_status(200);
    assert_eq!(verified.body["status"], "revoked");
    assert_eq!(verified.body["certificate_number"], number.as_str());

    // Every transition, with who did it.
    let history = events(app, commune, &id).await;
    let expected = [
        ("register", Value::Null, "registered", "hn.branch"),
        (
            "start_self_assessment",
            json!("registered"),
            "draft",
            "hn.branch",
        ),
        ("submit", json!("draft"), "submitted", "hn.branch"),
        (
            "start_review",
            json!("submitted"),
            "under_review",
            "hn.reviewer",
        ),
        (
            "pass",
            json!("under_review"),
            "review_passed",
            "hn.reviewer",
        ),
        (
            "recognise",
            json!("review_passed"),
            "recognised",
            "hn.badinh",
        ),
        ("revoke", json!("recognised"), "revoked", "hn.badinh"),
    ]
    .map(|(action, from, to, actor)| (action.to_string(), from, to.to_string(), actor.to_string()));
    assert_eq!(history, expected);
    let raw = app
        .get_json(
            &format!("{}/events", registration_path(&id)),
            commune.token(),
        )
        .await;
    let notes: Vec<&Value> = raw.items().iter().map(|e| &e["note"]).collect();
    assert_eq!(*notes[4], "Đủ điều kiện", "the note of the pass");
    assert_eq!(
        *notes[6], "Khai man kết quả",
        "the reason of the revocation"
    );
}

/// What each state allows, by step (recognition goes through a decision, not a step).
const ALLOWED: [(&str, &[&str]); 9] = [
    ("registered", &["start", "withdraw", "self-assessment"]),
    ("draft", &["submit", "withdraw", "self-assessment"]),
    (
        "submitted",
        &["start-review", "return", "pass", "fail", "review"],
    ),
    ("under_review", &["return", "pass", "fail", "review"]),
    ("review_passed", &[]),
    ("review_failed", &[]),
    ("recognised", &["revoke"]),
    ("revoked", &[]),
    ("withdrawn", &[]),
];

async fn every_action_the_current_state_does_not_allow_is_a_conflict_naming_that_state(
    app: &TestApp,
) {
    let office = office(app).await;
    let names = [
        "Nguyễn Văn An",
        "Trần Văn Bình",
        "Lê Thị Chi",
        "Phạm Văn Dũng",
        "Hoàng Thị Em",
        "Vũ Văn Giang",
        "Đặng Thị Hoa",
        "Bùi Văn Khánh",
        "Đỗ Thị Lan",
    ];
    let mut refused = 0;
    for ((state, allowed), name) in ALLOWED.iter().zip(names) {
        let id = in_state(app, &office, name, state).await;
        let before = get_registration(app, &office.commune, &id).await;
        for refused_step in STEPS.iter().filter(|s| !allowed.contains(*s)) {
            // The commune officer may take every step: only the state refuses.
            let response = step(app, &office.commune, &id, refused_step).await;
            assert_conflict_in(&response, state, &format!("{refused_step} when {state}"));
            refused += 1;
        }
        let after = get_registration(app, &office.commune, &id).await;
        assert_eq!(after["status"], *state, "refusals change nothing");
        assert_eq!(
            after["version"], before["version"],
            "refusals change nothing"
        );
    }
    // 9 states × 10 steps, of which 16 pairs are allowed.
    assert_eq!(refused, 74, "every refused pair was tried");
}

async fn returning_an_assessment_to_draft_needs_a_note(app: &TestApp) {
    let office = office(app).await;
    let id = in_state(app, &office, "Nguyễn Văn An", "under_review").await;
    let path = format!("{}/return", registration_path(&id));
    let cases = [
        ("no body", None),
        ("an empty body", Some(json!({}))),
        ("a null note", Some(json!({"note": null}))),
        ("an empty note", Some(json!({"note": ""}))),
        ("a blank note", Some(json!({"note": "  \t "}))),
    ];
    for (case, body) in cases {
        let request = app.request(Method::POST, &path, office.reviewer.token());
        let request = match &body {
            Some(body) => request.json(body),
            None => request,
        };
        let response = app.send(request).await;
        assert_eq!(response.status, 422, "{case}: {}", response.body);
        response.assert_invalid_field("note");
    }
    assert_eq!(
        get_registration(app, &office.reviewer, &id).await["status"],
        "under_review"
    );
    let returned = app
        .post_json(
            &path,
            office.reviewer.token(),
            &json!({"note": "Bổ sung minh chứng chỉ số 2.4.1"}),
        )
        .await;
    returned.assert_status(200);
    assert_eq!(returned.body["status"], "draft");
    assert_eq!(
        returned.body["last_note"],
        "Bổ sung minh chứng chỉ số 2.4.1"
    );
    let history = events(app, &office.reviewer, &id).await;
    let last = history.last().expect("events");
    assert_eq!(
        (last.0.as_str(), &last.1, last.2.as_str()),
        ("return", &json!("under_review"), "draft")
    );
    // Back in draft, the scores can be corrected and submitted again.
    take(app, &office.branch, &id, "self-assessment").await;
    take(app, &office.branch, &id, "submit").await;
}

async fn scores_must_cover_every_indicator_of_the_set_and_nothing_else_within_its_maximum(
    app: &TestApp,
) {
    let office = office(app).await;
    let draft = in_state(app, &office, "Nguyễn Văn An", "draft").await;
    let review = in_state(app, &office, "Trần Văn Bình", "submitted").await;
    let full = uniform(8);
    let cases = [
        (
            "a missing indicator",
            without_score(&full, "3.2.1"),
            "scores.3.2.1",
        ),
        (
            "the first indicator missing",
            without_score(&full, "1.1.1"),
            "scores.1.1.1",
        ),
        (
            "an unknown indicator code",
            with_score(&full, "9.9.9", json!(5)),
            "scores.9.9.9",
        ),
        (
            "a criterion code instead of an indicator",
            with_score(&full, "1.1", json!(5)),
            "scores.1.1",
        ),
        (
            "a score above the maximum",
            with_score(&full, "2.3.1", json!(11)),
            "scores.2.3.1",
        ),
        (
            "a negative score",
            with_score(&full, "1.2.1", json!(-1)),
            "scores.1.2.1",
        ),
        (
            "a fractional score",
            with_score(&full, "1.3.1", json!(7.5)),
            "scores.1.3.1",
        ),
        (
            "a score as text",
            with_score(&full, "1.4.1", json!("8")),
            "scores.1.4.1",
        ),
        ("no scores at all", json!({"scores": {}}), "scores.1.1.1"),
        ("no scores field", json!({}), "scores"),
    ];
    for (id, kind) in [(&draft, "self-assessment"), (&review, "review")] {
        let path = format!("{}/{kind}", registration_path(id));
        for (case, body, field) in &cases {
            let response = put_json(app, &path, &office.reviewer, body).await;
            assert_eq!(response.status, 422, "{kind}, {case}: {}", response.body);
            response.assert_invalid_field(field);
        }
    }
    let missing_two = without_score(&without_score(&full, "1.1.1"), "3.1.1");
    let response = put_json(
        app,
        &format!("{}/self-assessment", registration_path(&draft)),
        &office.branch,
        &missing_two,
    )
    .await;
    let fields = response.error_fields();
    assert!(
        fields.contains(&"scores.1.1.1".to_string())
            && fields.contains(&"scores.3.1.1".to_string()),
        "every problem is named: {fields:?}"
    );
    let d = get_registration(app, &office.branch, &draft).await;
    assert_eq!(d["self_scores"], Value::Null, "refused scores are not kept");
    let r = get_registration(app, &office.branch, &review).await;
    assert_eq!(
        r["status"], "submitted",
        "refused review scores start nothing"
    );
    assert_eq!(r["review_scores"], Value::Null);
    // A score of 0 and the maximum are both accepted.
    let edges = with_score(&with_score(&full, "1.1.1", json!(0)), "3.2.1", json!(10));
    let accepted = put_json(
        app,
        &format!("{}/self-assessment", registration_path(&draft)),
        &office.branch,
        &edges,
    )
    .await;
    accepted.assert_status(200);
    assert_eq!(accepted.body["self_result"]["total"], 8 * 8 + 10);
    assert_eq!(accepted.body["self_result"]["passed"], false);
    assert_eq!(
        accepted.body["self_result"]["failing_indicators"],
        json!(["1.1.1"])
    );
}

async fn submitting_needs_scores_and_passing_needs_scores_that_meet_the_pass_rule(app: &TestApp) {
    let office = office(app).await;
    let (branch, reviewer) = (&office.branch, &office.reviewer);

    // Submitting an empty draft.
    let empty = in_state(app, &office, "Nguyễn Văn An", "draft").await;
    let response = step(app, branch, &empty, "submit").await;
    assert_conflict_in(&response, "draft", "submitting without scores");

    // Scores below the rule are submitted, but do not pass.
    let below = [
        ("all 7: 70 of 100", uniform(7), 70, json!([])),
        (
            "85 of 100 with one indicator at 4",
            with_score(&uniform(9), "2.4.1", json!(4)),
            85,
            json!(["2.4.1"]),
        ),
        (
            "79 of 100",
            with_score(&uniform(8), "3.2.1", json!(7)),
            79,
            json!([]),
        ),
    ];
    let names = ["Trần Văn Bình", "Lê Thị Chi", "Phạm Văn Dũng"];
    for ((case, scores, total, failing), name) in below.iter().zip(names) {
        let id = in_state(app, &office, name, "draft").await;
        let drafted = put_json(
            app,
            &format!("{}/self-assessment", registration_path(&id)),
            branch,
            scores,
        )
        .await;
        drafted.assert_status(200);
        assert_eq!(drafted.body["self_result"]["total"], *total, "{case}");
        assert_eq!(drafted.body["self_result"]["passed"], false, "{case}");
        assert_eq!(
            drafted.body["self_result"]["failing_indicators"], *failing,
            "{case}"
        );
        take(app, branch, &id, "submit").await;
        let refused = step(app, reviewer, &id, "pass").await;
        assert_conflict_in(&refused, "submitted", case);
        let failed = take(app, reviewer, &id, "fail").await;
        assert_eq!(failed["status"], "review_failed", "{case}");
    }

    // Review scores decide over good self scores.
    let id = in_state(app, &office, "Hoàng Thị Em", "submitted").await;
    let reviewed = put_json(
        app,
        &format!("{}/review", registration_path(&id)),
        reviewer,
        &uniform(7),
    )
    .await;
    reviewed.assert_status(200);
    assert_eq!(
        reviewed.body["status"], "under_review",
        "the review started"
    );
    assert_eq!(reviewed.body["review_result"]["passed"], false);
    assert_eq!(reviewed.body["self_result"]["passed"], true);
    let refused = step(app, reviewer, &id, "pass").await;
    assert_conflict_in(&refused, "under_review", "review scores of 70");
    let detail = refused.body["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("70"),
        "the detail gives the total: {detail}"
    );

    // Exactly 80 with every indicator at 5 or more passes.
    let id = in_state(app, &office, "Vũ Văn Giang", "submitted").await;
    let eighty = with_score(
        &with_score(&uniform(8), "1.1.1", json!(5)),
        "1.2.1",
        json!(10),
    );
    let eighty = with_score(&eighty, "1.3.1", json!(9));
    let reviewed = put_json(
        app,
        &format!("{}/review", registration_path(&id)),
        reviewer,
        &eighty,
    )
    .await;
    reviewed.assert_status(200);
    assert_eq!(reviewed.body["review_result"]["total"], 80);
    assert_eq!(
        take(app, reviewer, &id, "pass").await["status"],
        "review_passed"
    );
}

async fn a_person_registers_once_per_period_and_only_while_registration_is_open(app: &TestApp) {
    let office = office(app).await;
    let an = person(app, &office.branch, "Nguyễn Văn An").await;
    let first = register(app, &office.branch, &an, &office.period).await;
    first.assert_status(201);
    let second = register(app, &office.commune, &an, &office.period).await;
    second.assert_problem(409, "duplicate");
    assert_eq!(
        second.body["existing_id"], first.body["id"],
        "the duplicate names the existing registration: {}",
        second.body
    );
    // Withdrawn is still registered for the period.
    take(app, &office.branch, &id_of(&first.body), "withdraw").await;
    register(app, &office.branch, &an, &office.period)
        .await
        .assert_problem(409, "duplicate");

    // A period of another year whose registration closed.
    let past = this_year() - 1;
    let closed = create_period(
        app,
        &office.admin,
        &json!({
            "year": past,
            "registration_opens": date(past, 1, 1),
            "registration_closes": date(past, 3, 31),
            "self_assessment_opens": date(past, 2, 1),
            "self_assessment_closes": date(past, 6, 30),
            "review_opens": date(past, 7, 1),
            "review_closes": date(past, 9, 30),
        }),
    )
    .await;
    assert_eq!(closed["registration_closes"], date(past, 3, 31).to_string());
    let late = register(app, &office.branch, &an, &id_of(&closed)).await;
    late.assert_problem(409, "conflict");
    let detail = late.body["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains(&date(past, 3, 31).to_string()),
        "the detail gives the dates: {detail}"
    );

    // Registration open, self-assessment not yet.
    let next = this_year() + 1;
    let later = create_period(
        app,
        &office.admin,
        &json!({
            "year": next,
            "registration_opens": today().pred_opt(),
            "registration_closes": today().succ_opt(),
            "self_assessment_opens": date(next, 1, 1),
            "self_assessment_closes": date(next, 6, 30),
        }),
    )
    .await;
    let early = register(app, &office.branch, &an, &id_of(&later)).await;
    early.assert_status(201);
    let id = id_of(&early.body);
    let response = step(app, &office.branch, &id, "self-assessment").await;
    assert_conflict_in(&response, "registered", "self-assessment before its window");
    let response = step(app, &office.branch, &id, "start").await;
    assert_conflict_in(&response, "registered", "starting before the window");
    assert_eq!(
        get_registration(app, &office.branch, &id).await["status"],
        "registered"
    );

    // Unknown references are named.
    let unknown = Uuid::new_v4().to_string();
    register(app, &office.branch, &unknown, &office.period)
        .await
        .assert_invalid_field("person_id");
    register(app, &office.branch, &an, &unknown)
        .await
        .assert_invalid_field("period_id");
}

async fn only_a_reviewer_confirms_evidence(app: &TestApp) {
    let office = office(app).await;
    let id = in_state(app, &office, "Nguyễn Văn An", "draft").await;
    let claimed = json!({"note": "Giấy chứng nhận lớp tin học", "confirmed_by_reviewer": true});
    let mut body = uniform(9);
    body["evidence"] = json!({ "2.1.1": claimed });
    let drafted = put_json(
        app,
        &format!("{}/self-assessment", registration_path(&id)),
        &office.branch,
        &body,
    )
    .await;
    drafted.assert_status(200);
    assert_eq!(
        drafted.body["evidence"]["2.1.1"],
        json!({"note": "Giấy chứng nhận lớp tin học", "confirmed_by_reviewer": false}),
        "the self-assessment cannot confirm its own evidence"
    );
    take(app, &office.branch, &id, "submit").await;
    let mut review = uniform(9);
    review["evidence"] = json!({ "2.1.1": claimed });
    let reviewed = put_json(
        app,
        &format!("{}/review", registration_path(&id)),
        &office.reviewer,
        &review,
    )
    .await;
    reviewed.assert_status(200);
    assert_eq!(
        reviewed.body["evidence"]["2.1.1"], claimed,
        "the reviewer confirms"
    );
    assert_eq!(reviewed.body["self_scores"], uniform(9)["scores"]);
}

async fn a_bulk_pass_passes_each_registration_or_refuses_it_on_its_own(app: &TestApp) {
    let office = office(app).await;
    let good = in_state(app, &office, "Nguyễn Văn An", "submitted").await;
    let reviewing = in_state(app, &office, "Trần Văn Bình", "under_review").await;
    let draft = in_state(app, &office, "Lê Thị Chi", "draft").await;
    let weak = in_state(app, &office, "Phạm Văn Dũng", "draft").await;
    put_json(
        app,
        &format!("{}/self-assessment", registration_path(&weak)),
        &office.branch,
        &uniform(7),
    )
    .await
    .assert_status(200);
    take(app, &office.branch, &weak, "submit").await;
    let ngocha = app.sign_in("hn.ngocha", "commune_officer", NGOCHA).await;
    let elsewhere = Uuid::new_v4().to_string();
    let ids = [&good, &reviewing, &draft, &weak, &elsewhere];
    let response = app
        .post_json(
            &format!("{REGISTRATIONS}/bulk-pass"),
            office.reviewer.token(),
            &json!({"ids": ids, "note": "Họp xét ngày 15"}),
        )
        .await;
    response.assert_status(200);
    let outcomes: Vec<(String, String, Value)> = response
        .items()
        .iter()
        .map(|o| (text(&o["id"]), text(&o["outcome"]), o["status"].clone()))
        .collect();
    let expected = [
        (&good, "done", json!("review_passed")),
        (&reviewing, "done", json!("review_passed")),
        (&draft, "refused", Value::Null),
        (&weak, "refused", Value::Null),
        (&elsewhere, "refused", Value::Null),
    ]
    .map(|(id, outcome, status)| (id.to_string(), outcome.to_string(), status));
    assert_eq!(outcomes, expected, "{}", response.body);
    for refused in &response.items()[2..] {
        assert!(
            refused["problem"].as_str().is_some_and(|p| !p.is_empty()),
            "a refusal says why: {refused}"
        );
    }
    assert_eq!(
        get_registration(app, &office.commune, &good).await["last_note"],
        "Họp xét ngày 15"
    );
    assert_eq!(
        get_registration(app, &office.commune, &draft).await["status"],
        "draft"
    );
    // Registrations out of reach are refused like unknown ones.
    let response = app
        .post_json(
            &format!("{REGISTRATIONS}/bulk-pass"),
            ngocha.token(),
            &json!({"ids": [weak]}),
        )
        .await;
    response.assert_status(200);
    assert_eq!(response.items()[0]["outcome"], "refused");
    let viewer = app.sign_in("hn.viewer", "viewer", BADINH).await;
    app.post_json(
        &format!("{REGISTRATIONS}/bulk-pass"),
        viewer.token(),
        &json!({"ids": [good]}),
    )
    .await
    .assert_problem(403, "forbidden");
    app.post_json(
        &format!("{REGISTRATIONS}/bulk-pass"),
        office.reviewer.token(),
        &json!({"ids": []}),
    )
    .await
    .assert_invalid_field("ids");
}

async fn registrations_of_another_commune_or_province_do_not_exist_for_an_officer(app: &TestApp) {
    let office = office(app).await;
    let submitted = in_state(app, &office, "Nguyễn Văn An", "submitted").await;
    let passed = in_state(app, &office, "Trần Văn Bình", "review_passed").await;
    let ngocha = app.sign_in("hn.ngocha", "commune_officer", NGOCHA).await;
    let saigon = app.sign_in("hcm.province", "province_officer", "79").await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;

    for id in [&submitted, &passed] {
        let path = registration_path(id);
        let reads = [
            path.clone(),
            format!("{path}/events"),
            format!("{path}/certificate.pdf"),
        ];
        for who in [&ngocha, &saigon] {
            for read in &reads {
                app.get_json(read, who.token())
                    .await
                    .assert_problem(404, "not_found");
            }
            for name in STEPS {
                let response = step(app, who, id, name).await;
                assert_eq!(
                    response.status, 404,
                    "{} asks {name}: {}",
                    who.user.username, response.body
                );
                response.assert_problem(404, "not_found");
            }
        }
    }
    assert_eq!(
        get_registration(app, &office.commune, &submitted).await["status"],
        "submitted",
        "nothing changed"
    );

    // Another commune cannot list them in its decision.
    let theirs = draft_decision(app, &office, &ngocha).await;
    let response = add_items(app, &ngocha, &theirs, &[&passed]).await;
    response.assert_invalid_field("registration_ids[0]");
    let decision = app
        .get_json(&format!("{DECISIONS}/{theirs}"), ngocha.token())
        .await;
    decision.assert_status(200);
    assert_eq!(decision.body["registration_ids"], json!([]));
    assert_eq!(
        decision.body["issuing_unit_id"],
        commune_unit_id(NGOCHA).as_str()
    );
    app.get_json(&format!("{DECISIONS}/{theirs}"), office.commune.token())
        .await
        .assert_problem(404, "not_found");
    let listed = app.get_json(DECISIONS, office.commune.token()).await;
    listed.assert_status(200);
    assert!(listed.items().is_empty(), "{}", listed.body);

    // Lists: nothing for the other province and commune, both for Hà Nội.
    for who in [&saigon, &ngocha] {
        let page = app.get_json(REGISTRATIONS, who.token()).await;
        page.assert_status(200);
        assert_eq!(
            page.body["total"], 0,
            "{}: {}",
            who.user.username, page.body
        );
        assert_eq!(page.body["items"], json!([]));
    }
    for who in [&hanoi, &office.commune, &office.branch] {
        let page = app.get_json(REGISTRATIONS, who.token()).await;
        page.assert_status(200);
        assert_eq!(
            page.body["total"], 2,
            "{}: {}",
            who.user.username, page.body
        );
    }
    let hanoi_reads = get_registration(app, &hanoi, &passed).await;
    assert_eq!(hanoi_reads["status"], "review_passed");
}

async fn each_step_is_refused_to_roles_below_it(app: &TestApp) {
    let office = office(app).await;
    let viewer = app.sign_in("hn.viewer", "viewer", BADINH).await;
    let registered = in_state(app, &office, "Nguyễn Văn An", "registered").await;
    let draft = in_state(app, &office, "Trần Văn Bình", "draft").await;
    take(app, &office.branch, &draft, "self-assessment").await;
    let submitted = in_state(app, &office, "Lê Thị Chi", "submitted").await;
    let passed = in_state(app, &office, "Phạm Văn Dũng", "review_passed").await;
    let recognised = in_state(app, &office, "Hoàng Thị Em", "recognised").await;

    // A viewer reads but changes nothing.
    assert_eq!(
        get_registration(app, &viewer, &draft).await["status"],
        "draft"
    );
    let an = person(app, &office.branch, "Vũ Văn Giang").await;
    register(app, &viewer, &an, &office.period)
        .await
        .assert_problem(403, "forbidden");
    let viewer_cases = [
        (&registered, "start"),
        (&registered, "self-assessment"),
        (&registered, "withdraw"),
        (&draft, "submit"),
        (&submitted, "start-review"),
        (&submitted, "review"),
        (&submitted, "return"),
        (&submitted, "pass"),
        (&submitted, "fail"),
        (&recognised, "revoke"),
    ];
    for (id, name) in viewer_cases {
        let response = step(app, &viewer, id, name).await;
        assert_eq!(
            response.status, 403,
            "a viewer asks {name}: {}",
            response.body
        );
        response.assert_problem(403, "forbidden");
    }
    assert_eq!(
        get_registration(app, &viewer, &draft).await["status"],
        "draft"
    );

    // A branch officer reviews but does not recognise.
    let branch = &office.branch;
    app.post_json(
        DECISIONS,
        branch.token(),
        &decision_body(&office.period, "1/QĐ-KH"),
    )
    .await
    .assert_problem(403, "forbidden");
    let decision = draft_decision(app, &office, &office.commune).await;
    add_items(app, branch, &decision, &[&passed])
        .await
        .assert_problem(403, "forbidden");
    add_items(app, &office.commune, &decision, &[&passed])
        .await
        .assert_status(200);
    issue(app, branch, &decision)
        .await
        .assert_problem(403, "forbidden");
    let response = step(app, branch, &recognised, "revoke").await;
    response.assert_problem(403, "forbidden");
    assert_eq!(
        get_registration(app, branch, &passed).await["status"],
        "review_passed"
    );
    assert_eq!(
        get_registration(app, branch, &recognised).await["status"],
        "recognised"
    );
    // Periods and criteria sets are the central administrator's.
    app.post_json(
        PERIODS,
        office.commune.token(),
        &json!({"year": this_year() + 1}),
    )
    .await
    .assert_problem(403, "forbidden");
}
