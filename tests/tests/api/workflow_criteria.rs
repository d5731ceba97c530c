//! Criteria sets as data (DOMAIN.md §6): three published templates from the start, drafts
//! created and edited by the central administrator only, checked before they are kept, frozen
//! once published; an assessment keeps the version it started with.

use crate::workflow::{
    BADINH, CRITERIA_SETS, INDICATORS, get_registration, id_of, in_state, office, put_json,
    registration_path, take, text, uniform, with_score,
};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use tests::{Session, TestApp};

tests::on_both_backends!(
    a_published_criteria_set_never_changes_and_only_the_central_administrator_drafts_one,
    an_invalid_criteria_set_is_refused_naming_each_problem,
    an_assessment_keeps_the_criteria_set_it_started_with_after_a_new_one_is_published,
);

/// The template of a target group, from `GET /criteria-sets`.
async fn template_of(app: &TestApp, by: &Session, group: &str) -> Value {
    let list = app
        .get_json(&format!("{CRITERIA_SETS}?target_group={group}"), by.token())
        .await;
    list.assert_status(200);
    list.items()
        .iter()
        .find(|s| s["is_template"] == true)
        .unwrap_or_else(|| panic!("a template for {group}: {}", list.body))
        .clone()
}

/// A `POST/PUT /criteria-sets` body copying `set` under another code and title.
fn set_body(set: &Value, code: &str, title: &str) -> Value {
    json!({
        "code": code,
        "target_group": set["target_group"],
        "title": title,
        "structure": set["structure"],
        "pass_rule": set["pass_rule"],
    })
}

fn indicator_codes(set: &Value) -> Vec<String> {
    let mut codes = Vec::new();
    for competency in set["structure"]["competencies"]
        .as_array()
        .into_iter()
        .flatten()
    {
        for criterion in competency["criteria"].as_array().into_iter().flatten() {
            for indicator in criterion["indicators"].as_array().into_iter().flatten() {
                codes.push(text(&indicator["code"]));
            }
        }
    }
    codes
}

async fn a_published_criteria_set_never_changes_and_only_the_central_administrator_drafts_one(
    app: &TestApp,
) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let commune = app.sign_in("hn.badinh", "commune_officer", BADINH).await;

    // Three published templates from the start.
    let all = app.get_json(CRITERIA_SETS, commune.token()).await;
    all.assert_status(200);
    let groups: BTreeSet<String> = all
        .items()
        .iter()
        .map(|s| text(&s["target_group"]))
        .collect();
    assert_eq!(
        groups,
        ["farmer", "official", "worker"].map(String::from).into(),
        "{}",
        all.body
    );
    for set in all.items() {
        assert_eq!(set["status"], "published", "{set}");
        assert_eq!(set["is_template"], true);
        assert_eq!(set["total_max"], 100);
        assert_eq!(
            set["pass_rule"],
            json!({"min_total": 80, "min_per_indicator": 5})
        );
        assert_eq!(indicator_codes(set), INDICATORS.map(String::from));
    }
    let template = template_of(app, &admin, "farmer").await;
    let template_id = id_of(&template);
    let template_path = format!("{CRITERIA_SETS}/{template_id}");

    // The template is frozen.
    let mut edited = set_body(&template, &text(&template["code"]), "Bộ tiêu chí sửa đổi");
    let refused = put_json(app, &template_path, &admin, &edited).await;
    refused.assert_problem(409, "conflict");
    app.send(app.request(
        Method::POST,
        &format!("{template_path}/publish"),
        admin.token(),
    ))
    .await
    .assert_problem(409, "conflict");
    let unchanged = app.get_json(&template_path, admin.token()).await;
    assert_eq!(unchanged.body, template, "the template did not change");

    // A draft is created, edited and published by the central administrator only.
    let body = set_body(
        &template,
        "test-farmer",
        "Bộ tiêu chí thử nghiệm – nông dân",
    );
    app.post_json(CRITERIA_SETS, commune.token(), &body)
        .await
        .assert_problem(403, "forbidden");
    let created = app.post_json(CRITERIA_SETS, admin.token(), &body).await;
    created.assert_status(201);
    let draft = created.body.clone();
    let id = id_of(&draft);
    let path = format!("{CRITERIA_SETS}/{id}");
    assert_eq!(created.header("location"), Some(path.as_str()));
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["code"], "test-farmer");
    assert_eq!(draft["set_version"], 1);
    assert_eq!(draft["is_template"], false);
    assert_eq!(draft["structure"], template["structure"]);
    assert_eq!(draft["published_at"], Value::Null);
    app.post_json(CRITERIA_SETS, admin.token(), &body)
        .await
        .assert_problem(409, "conflict");

    edited = body.clone();
    edited["title"] = json!("Bộ tiêu chí thử nghiệm – nông dân (sửa)");
    edited["pass_rule"]["min_total"] = json!(75);
    put_json(app, &path, &commune, &edited)
        .await
        .assert_problem(403, "forbidden");
    let changed = put_json(app, &path, &admin, &edited).await;
    changed.assert_status(200);
    assert_eq!(
        changed.body["title"],
        "Bộ tiêu chí thử nghiệm – nông dân (sửa)"
    );
    assert_eq!(changed.body["pass_rule"]["min_total"], 75);
    assert_eq!(changed.body["version"], 2);
    assert_eq!(changed.body["status"], "draft");

    app.send(app.request(Method::POST, &format!("{path}/publish"), commune.token()))
        .await
        .assert_problem(403, "forbidden");
    let published = app
        .send(app.request(Method::POST, &format!("{path}/publish"), admin.token()))
        .await;
    published.assert_status(200);
    assert_eq!(published.body["status"], "published");
    assert!(published.body["published_at"].is_string());

    let after = put_json(app, &path, &admin, &body).await;
    after.assert_problem(409, "conflict");
    app.send(app.request(Method::POST, &format!("{path}/publish"), admin.token()))
        .await
        .assert_problem(409, "conflict");
    let kept = app.get_json(&path, admin.token()).await;
    assert_eq!(
        kept.body, published.body,
        "the published set did not change"
    );

    // The family continues as a new version.
    let next = app.post_json(CRITERIA_SETS, admin.token(), &body).await;
    next.assert_status(201);
    assert_eq!(next.body["code"], "test-farmer");
    assert_eq!(next.body["set_version"], 2);
    assert_eq!(next.body["status"], "draft");
}

async fn an_invalid_criteria_set_is_refused_naming_each_problem(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let template = template_of(app, &admin, "farmer").await;
    let valid = set_body(&template, "test-farmer", "Bộ tiêu chí thử nghiệm");
    let changed = |pointer: &str, value: Value| {
        let mut body = valid.clone();
        *body
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{pointer} is in the body")) = value;
        body
    };
    let first = "/structure/competencies/0/criteria/0/indicators/0";
    let cases = [
        (
            "an indicator worth 0 points",
            changed(&format!("{first}/max_points"), json!(0)),
            "structure.competencies[0].criteria[0].indicators[0].max_points",
        ),
        (
            "two indicators with the same code",
            changed(
                "/structure/competencies/1/criteria/0/indicators/0/code",
                json!("1.1.1"),
            ),
            "structure.competencies[1].criteria[0].indicators[0].code",
        ),
        (
            "a criterion with the code of a competency",
            changed("/structure/competencies/0/criteria/1/code", json!("1")),
            "structure.competencies[0].criteria[1].code",
        ),
        (
            "a pass mark above the total",
            changed("/pass_rule/min_total", json!(101)),
            "pass_rule.min_total",
        ),
        (
            "an indicator minimum above what an indicator is worth",
            changed("/pass_rule/min_per_indicator", json!(11)),
            "structure.competencies[0].criteria[0].indicators[0].max_points",
        ),
        (
            "an indicator without a name",
            changed(&format!("{first}/name"), json!("  ")),
            "structure.competencies[0].criteria[0].indicators[0].name",
        ),
        (
            "an indicator without a code",
            changed(&format!("{first}/code"), json!("")),
            "structure.competencies[0].criteria[0].indicators[0].code",
        ),
        (
            "a criterion without indicators",
            changed("/structure/competencies/2/criteria/1/indicators", json!([])),
            "structure.competencies[2].criteria[1].indicators",
        ),
        (
            "no competencies",
            changed("/structure/competencies", json!([])),
            "structure.competencies",
        ),
        (
            "negative points",
            changed(&format!("{first}/max_points"), json!(-10)),
            "structure.competencies[0].criteria[0].indicators[0].max_points",
        ),
        (
            "an unknown target group",
            changed("/target_group", json!("astronaut")),
            "target_group",
        ),
        (
            "a family code with capitals and spaces",
            changed("/code", json!("Test Farmer")),
            "code",
        ),
        ("a one-letter title", changed("/title", json!("X")), "title"),
    ];
    for (case, body, field) in &cases {
        let response = app.post_json(CRITERIA_SETS, admin.token(), body).await;
        assert_eq!(response.status, 422, "{case}: {}", response.body);
        response.assert_invalid_field(field);
    }

    // Every problem at once.
    let mut many = changed(&format!("{first}/max_points"), json!(0));
    many["pass_rule"]["min_total"] = json!(500);
    let response = app.post_json(CRITERIA_SETS, admin.token(), &many).await;
    let fields = response.error_fields();
    for field in [
        "structure.competencies[0].criteria[0].indicators[0].max_points",
        "pass_rule.min_total",
    ] {
        assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
    }

    // Nothing was created; an edit of a draft is checked the same way.
    let list = app
        .get_json(
            &format!("{CRITERIA_SETS}?target_group=farmer"),
            admin.token(),
        )
        .await;
    assert_eq!(list.items().len(), 1, "{}", list.body);
    let created = app.post_json(CRITERIA_SETS, admin.token(), &valid).await;
    created.assert_status(201);
    let path = format!("{CRITERIA_SETS}/{}", id_of(&created.body));
    for (case, body, field) in &cases {
        let response = put_json(app, &path, &admin, body).await;
        assert_eq!(response.status, 422, "editing, {case}: {}", response.body);
        response.assert_invalid_field(field);
    }
    let kept = app.get_json(&path, admin.token()).await;
    assert_eq!(kept.body["structure"], template["structure"]);
    assert_eq!(kept.body["version"], 1);
}

async fn an_assessment_keeps_the_criteria_set_it_started_with_after_a_new_one_is_published(
    app: &TestApp,
) {
    let office = office(app).await;
    let template = template_of(app, &office.admin, "farmer").await;
    let template_id = id_of(&template);
    let started = in_state(app, &office, "Nguyễn Văn An", "draft").await;
    assert_eq!(
        get_registration(app, &office.branch, &started).await["criteria_set_id"],
        template_id.as_str()
    );
    let waiting = in_state(app, &office, "Trần Văn Bình", "registered").await;

    // A new version for farmers: one more indicator (110 points) and a pass mark of 90.
    let mut body = set_body(&template, "test-farmer", "Bộ tiêu chí nông dân 2");
    body["structure"]["competencies"][2]["criteria"]
        .as_array_mut()
        .expect("criteria")
        .push(json!({
            "code": "3.3",
            "name": "Tham gia bảo vệ môi trường",
            "indicators": [{
                "code": "3.3.1",
                "name": "Tham gia các hoạt động bảo vệ môi trường ở cộng đồng",
                "max_points": 10,
            }],
        }));
    body["pass_rule"]["min_total"] = json!(90);
    let created = app
        .post_json(CRITERIA_SETS, office.admin.token(), &body)
        .await;
    created.assert_status(201);
    let new_id = id_of(&created.body);
    assert_eq!(created.body["total_max"], 110);
    app.send(app.request(
        Method::POST,
        &format!("{CRITERIA_SETS}/{new_id}/publish"),
        office.admin.token(),
    ))
    .await
    .assert_status(200);

    // The started assessment is still scored against the template.
    let r = get_registration(app, &office.branch, &started).await;
    assert_eq!(r["criteria_set_id"], template_id.as_str(), "still pinned");
    let path = format!("{}/self-assessment", registration_path(&started));
    let scored = put_json(app, &path, &office.branch, &uniform(8)).await;
    scored.assert_status(200);
    assert_eq!(scored.body["criteria_set_id"], template_id.as_str());
    assert_eq!(scored.body["self_result"]["total"], 80);
    assert_eq!(scored.body["self_result"]["max"], 100);
    assert_eq!(
        scored.body["self_result"]["passed"], true,
        "80 passes the template"
    );
    put_json(
        app,
        &path,
        &office.branch,
        &with_score(&uniform(8), "3.3.1", json!(8)),
    )
    .await
    .assert_invalid_field("scores.3.3.1");
    take(app, &office.branch, &started, "submit").await;
    let passed = take(app, &office.reviewer, &started, "pass").await;
    assert_eq!(passed["status"], "review_passed");
    assert_eq!(passed["criteria_set_id"], template_id.as_str());

    // One that starts now is pinned to the new version.
    let path = format!("{}/self-assessment", registration_path(&waiting));
    put_json(app, &path, &office.branch, &uniform(8))
        .await
        .assert_invalid_field("scores.3.3.1");
    let scored = put_json(
        app,
        &path,
        &office.branch,
        &with_score(&uniform(8), "3.3.1", json!(8)),
    )
    .await;
    scored.assert_status(200);
    assert_eq!(scored.body["criteria_set_id"], new_id.as_str());
    assert_eq!(scored.body["self_result"]["total"], 88);
    assert_eq!(scored.body["self_result"]["max"], 110);
    assert_eq!(scored.body["self_result"]["passed"], false, "below 90");
    // And the template itself did not change.
    let kept = app
        .get_json(
            &format!("{CRITERIA_SETS}/{template_id}"),
            office.admin.token(),
        )
        .await;
    assert_eq!(kept.body, template);
}
