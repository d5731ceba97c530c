//! Recognition decisions: only review-passed registrations of the decision's unit and period,
//! each in one decision; issuing recognises them all and numbers their certificates per issuing
//! unit and year without gap or duplicate, also when officers act at the same moment; validity
//! and revocation as the public check and the certificate show them. Also: officers working on
//! different assessments at the same moment do not get in each other's way.

use crate::workflow::{
    BADINH, DECISIONS, VERIFY, add_items, assert_conflict_in, assert_pdf, create_period,
    decision_body, draft_decision, events, get_registration, id_of, in_state, issue, issue_with,
    many_names, office, register, registration_path, step, take, text, this_year, today,
};
use chrono::{Datelike, Months};
use reqwest::Method;
use serde_json::json;
use std::collections::BTreeSet;
use tests::TestApp;
use uuid::Uuid;

tests::on_both_backends!(
    a_decision_lists_only_review_passed_registrations_of_its_unit_and_period_once,
    a_recognition_past_its_validity_is_expired_for_the_public_check,
    a_revoked_recognition_has_no_certificate_to_print,
    concurrent_decisions_of_one_unit_number_their_certificates_without_gap_or_duplicate,
    one_decision_issued_twice_at_once_recognises_its_people_once,
    a_registration_added_to_several_drafts_at_the_same_moment_is_listed_in_one,
    officers_working_at_the_same_time_on_different_assessments_all_succeed,
    where_provinces_recognise_the_province_unit_drafts_and_numbers_the_decision,
);

async fn a_decision_lists_only_review_passed_registrations_of_its_unit_and_period_once(
    app: &TestApp,
) {
    let office = office(app).await;
    let commune = &office.commune;
    let submitted = in_state(app, &office, "Nguyễn Văn An", "submitted").await;
    let failed = in_state(app, &office, "Trần Văn Bình", "review_failed").await;
    let passed = in_state(app, &office, "Lê Thị Chi", "review_passed").await;
    let other = in_state(app, &office, "Phạm Văn Dũng", "review_passed").await;

    // A period of next year whose every window is open today.
    let next = this_year() + 1;
    let open = create_period(
        app,
        &office.admin,
        &json!({
            "year": next,
            "registration_opens": today().pred_opt(),
            "registration_closes": today().succ_opt(),
            "self_assessment_opens": today().pred_opt(),
            "self_assessment_closes": today().succ_opt(),
            "review_opens": today().pred_opt(),
            "review_closes": today().succ_opt(),
        }),
    )
    .await;
    let an = text(&get_registration(app, commune, &passed).await["person_id"]);
    let next_year = register(app, &office.branch, &an, &id_of(&open)).await;
    next_year.assert_status(201);
    let next_year = id_of(&next_year.body);
    for name in ["self-assessment", "submit", "pass"] {
        take(app, &office.reviewer, &next_year, name).await;
    }

    // Numbers are unique per unit.
    let decision = draft_decision(app, &office, commune).await;
    let taken = app
        .post_json(
            DECISIONS,
            commune.token(),
            &decision_body(&office.period, "1/QĐ-KH"),
        )
        .await;
    taken.assert_problem(409, "duplicate");
    assert_eq!(taken.body["existing_id"], decision.as_str());
    let invalid = [
        ("a submitted registration", submitted.clone()),
        ("a failed registration", failed.clone()),
        ("a registration of another period", next_year.clone()),
        ("an unknown registration", Uuid::new_v4().to_string()),
    ];
    for (case, id) in &invalid {
        let response = add_items(app, commune, &decision, &[passed.as_str(), id]).await;
        assert_eq!(response.status, 422, "{case}: {}", response.body);
        response.assert_invalid_field("registration_ids[1]");
    }
    let d = app
        .get_json(&format!("{DECISIONS}/{decision}"), commune.token())
        .await;
    assert_eq!(d.body["registration_ids"], json!([]), "all or nothing");

    // Empty, a decision cannot be issued.
    issue(app, commune, &decision)
        .await
        .assert_problem(409, "conflict");

    // Listing twice is harmless; listing in a second draft is refused.
    add_items(app, commune, &decision, &[&passed])
        .await
        .assert_status(200);
    let twice = add_items(app, commune, &decision, &[&passed, &other]).await;
    twice.assert_status(200);
    assert_eq!(twice.body["registration_ids"], json!([passed, other]));
    let second = draft_decision(app, &office, commune).await;
    add_items(app, commune, &second, &[&passed])
        .await
        .assert_invalid_field("registration_ids[0]");

    // Removing from a draft frees the registration for another decision.
    let removed = app
        .send(
            app.request(
                Method::DELETE,
                &format!("{DECISIONS}/{decision}/items"),
                commune.token(),
            )
            .json(&json!({"registration_ids": [other]})),
        )
        .await;
    removed.assert_status(200);
    assert_eq!(removed.body["registration_ids"], json!([passed]));
    issue_with(app, commune, &second, &[&other]).await;
    issue(app, commune, &decision).await.assert_status(200);
    assert_eq!(
        get_registration(app, commune, &other).await["decision_id"],
        second.as_str()
    );

    // An issued decision no longer changes.
    let late = add_items(app, commune, &decision, &[&next_year]).await;
    assert_conflict_in(&late, "issued", "adding to an issued decision");
    let late = app
        .send(
            app.request(
                Method::DELETE,
                &format!("{DECISIONS}/{decision}/items"),
                commune.token(),
            )
            .json(&json!({"registration_ids": [passed]})),
        )
        .await;
    assert_conflict_in(&late, "issued", "removing from an issued decision");
}

async fn a_recognition_past_its_validity_is_expired_for_the_public_check(app: &TestApp) {
    let office = office(app).await;
    let id = in_state(app, &office, "Nguyễn Văn An", "review_passed").await;
    // A decision dated 13 months ago: its 12 months of validity are over.
    let dated = today()
        .checked_sub_months(Months::new(13))
        .expect("a date in the past");
    let mut body = decision_body(&office.period, "7/QĐ-KH");
    body["decision_date"] = json!(dated);
    let drafted = app
        .post_json(DECISIONS, office.commune.token(), &body)
        .await;
    drafted.assert_status(201);
    issue_with(app, &office.commune, &id_of(&drafted.body), &[&id]).await;

    let r = get_registration(app, &office.commune, &id).await;
    assert_eq!(r["status"], "recognised");
    assert_eq!(r["effective_status"], "expired", "{r}");
    let last_day = dated
        .checked_add_months(Months::new(12))
        .and_then(|d| d.pred_opt())
        .expect("a date");
    assert_eq!(r["expires_on"], last_day.to_string());
    assert_eq!(
        r["certificate_number"],
        format!("{BADINH}/{}/000001", dated.year()),
        "numbered in the year of the decision"
    );
    let code = text(&r["verification_code"]);
    let verified = app.get_json(&format!("{VERIFY}/{code}"), None).await;
    verified.assert_status(200);
    assert_eq!(verified.body["status"], "expired");
    assert_eq!(verified.body["valid_until"], last_day.to_string());
    // An expired recognition can still be revoked.
    take(app, &office.commune, &id, "revoke").await;
    let verified = app.get_json(&format!("{VERIFY}/{code}"), None).await;
    assert_eq!(verified.body["status"], "revoked");
}

async fn a_revoked_recognition_has_no_certificate_to_print(app: &TestApp) {
    let office = office(app).await;
    let id = in_state(app, &office, "Nguyễn Văn An", "recognised").await;
    let path = format!("{}/certificate.pdf", registration_path(&id));
    assert_pdf(
        &app.get_json(&path, office.commune.token()).await,
        "the certificate of a recognition",
    );
    take(app, &office.commune, &id, "revoke").await;
    let response = app.get_json(&path, office.commune.token()).await;
    assert_conflict_in(
        &response,
        "revoked",
        "the certificate of a revoked recognition",
    );
}

async fn concurrent_decisions_of_one_unit_number_their_certificates_without_gap_or_duplicate(
    app: &TestApp,
) {
    let office = office(app).await;
    let year = this_year();
    let rounds = 3;
    let names = many_names(7 * rounds);
    let mut codes = BTreeSet::new();
    for round in 0..rounds {
        let mut ids = Vec::new();
        for name in &names[round * 7..round * 7 + 7] {
            ids.push(in_state(app, &office, name, "review_passed").await);
        }
        let (three, four) = ids.split_at(3);
        let first = draft_decision(app, &office, &office.commune).await;
        let second = draft_decision(app, &office, &office.commune).await;
        let three: Vec<&str> = three.iter().map(String::as_str).collect();
        let four: Vec<&str> = four.iter().map(String::as_str).collect();
        add_items(app, &office.commune, &first, &three)
            .await
            .assert_status(200);
        add_items(app, &office.commune, &second, &four)
            .await
            .assert_status(200);

        let (a, b) = tokio::join!(
            issue(app, &office.commune, &first),
            issue(app, &office.commune, &second)
        );
        assert_eq!(a.status, 200, "round {round}, the first: {}", a.body);
        assert_eq!(b.status, 200, "round {round}, the second: {}", b.body);

        let mut numbers = Vec::new();
        for id in &ids {
            let r = get_registration(app, &office.commune, id).await;
            assert_eq!(r["status"], "recognised", "{r}");
            numbers.push(text(&r["certificate_number"]));
            assert!(
                codes.insert(text(&r["verification_code"])),
                "verification codes are unique"
            );
        }
        numbers.sort();
        let start = round * 7 + 1;
        let expected: Vec<String> = (start..start + 7)
            .map(|n| format!("{BADINH}/{year}/{n:06}"))
            .collect();
        assert_eq!(
            numbers, expected,
            "round {round}: every number once, without gap"
        );
    }
}

async fn one_decision_issued_twice_at_once_recognises_its_people_once(app: &TestApp) {
    let office = office(app).await;
    let year = this_year();
    let names = many_names(4);
    let mut ids = Vec::new();
    for name in &names {
        ids.push(in_state(app, &office, name, "review_passed").await);
    }
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    for (round, pair) in ids.chunks(2).enumerate() {
        let decision = draft_decision(app, &office, &office.commune).await;
        add_items(app, &office.commune, &decision, pair)
            .await
            .assert_status(200);
        let (a, b) = tokio::join!(
            issue(app, &office.commune, &decision),
            issue(app, &office.commune, &decision)
        );
        let mut statuses = [a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [200, 409],
            "round {round}: one issue wins: {} / {}",
            a.body,
            b.body
        );
        let loser = if a.status == 409 { &a } else { &b };
        assert_conflict_in(loser, "issued", "the second issue");
        let mut numbers = Vec::new();
        for id in pair {
            let r = get_registration(app, &office.commune, id).await;
            assert_eq!(r["status"], "recognised");
            numbers.push(text(&r["certificate_number"]));
            let history = events(app, &office.commune, id).await;
            let recognitions = history.iter().filter(|e| e.0 == "recognise").count();
            assert_eq!(recognitions, 1, "recognised once: {history:?}");
        }
        numbers.sort();
        let first = round * 2 + 1;
        assert_eq!(
            numbers,
            [first, first + 1].map(|n| format!("{BADINH}/{year}/{n:06}")),
            "no number is used twice or skipped"
        );
    }
}

async fn a_registration_added_to_several_drafts_at_the_same_moment_is_listed_in_one(app: &TestApp) {
    let office = office(app).await;
    let commune = &office.commune;
    let year = this_year();
    let mut certificates = 0;
    for (attempt, name) in many_names(10).iter().enumerate() {
        let id = in_state(app, &office, name, "review_passed").await;
        let mut drafts = Vec::new();
        for _ in 0..4 {
            drafts.push(draft_decision(app, &office, commune).await);
        }
        let d = &drafts;
        let listed = [id.as_str()];
        let (a, b, c, e) = tokio::join!(
            add_items(app, commune, &d[0], &listed),
            add_items(app, commune, &d[1], &listed),
            add_items(app, commune, &d[2], &listed),
            add_items(app, commune, &d[3], &listed),
        );
        let added = [a, b, c, e];
        for response in &added {
            assert!(
                response.status == 200 || response.status == 422,
                "attempt {attempt}: listed, or refused naming it: {} {}",
                response.status,
                response.body
            );
        }
        let mut listings = 0;
        for decision in &drafts {
            let d = app
                .get_json(&format!("{DECISIONS}/{decision}"), commune.token())
                .await;
            d.assert_status(200);
            listings += d.body["registration_ids"]
                .as_array()
                .map_or(0, |ids| ids.iter().filter(|r| **r == id.as_str()).count());
        }
        let statuses = added.iter().map(|r| r.status).collect::<Vec<_>>();
        assert_eq!(
            listings, 1,
            "attempt {attempt}: the registration is in exactly one draft ({statuses:?})"
        );

        // Whatever the drafts hold, issuing them all at once recognises the person once.
        let (a, b, c, e) = tokio::join!(
            issue(app, commune, &d[0]),
            issue(app, commune, &d[1]),
            issue(app, commune, &d[2]),
            issue(app, commune, &d[3]),
        );
        let issued = [a.status, b.status, c.status, e.status];
        assert!(issued.contains(&200), "attempt {attempt}: {issued:?}");
        certificates += 1;
        let r = get_registration(app, commune, &id).await;
        let history = events(app, commune, &id).await;
        let recognitions = history.iter().filter(|e| e.0 == "recognise").count();
        assert_eq!(recognitions, 1, "attempt {attempt}: {history:?}");
        assert_eq!(
            r["certificate_number"],
            format!("{BADINH}/{year}/{certificates:06}"),
            "attempt {attempt}: no number skipped"
        );
    }
}

async fn officers_working_at_the_same_time_on_different_assessments_all_succeed(app: &TestApp) {
    let office = office(app).await;
    let (branch, reviewer) = (&office.branch, &office.reviewer);
    let names = many_names(36);
    for (round, names) in names.chunks(12).enumerate() {
        let mut s = Vec::new();
        for name in &names[..6] {
            s.push(in_state(app, &office, name, "submitted").await);
        }
        let mut r = Vec::new();
        for name in &names[6..] {
            r.push(in_state(app, &office, name, "registered").await);
        }
        // Six reviews passed and six self-assessments entered at the same moment.
        let (p0, p1, p2, p3, p4, p5, s0, s1, s2, s3, s4, s5) = tokio::join!(
            step(app, reviewer, &s[0], "pass"),
            step(app, reviewer, &s[1], "pass"),
            step(app, reviewer, &s[2], "pass"),
            step(app, reviewer, &s[3], "pass"),
            step(app, reviewer, &s[4], "pass"),
            step(app, reviewer, &s[5], "pass"),
            step(app, branch, &r[0], "self-assessment"),
            step(app, branch, &r[1], "self-assessment"),
            step(app, branch, &r[2], "self-assessment"),
            step(app, branch, &r[3], "self-assessment"),
            step(app, branch, &r[4], "self-assessment"),
            step(app, branch, &r[5], "self-assessment"),
        );
        let responses = [p0, p1, p2, p3, p4, p5, s0, s1, s2, s3, s4, s5];
        for (i, response) in responses.iter().enumerate() {
            assert_eq!(
                response.status, 200,
                "round {round}, request {i}: {}",
                response.body
            );
        }
        for id in &s {
            let passed = get_registration(app, reviewer, id).await;
            assert_eq!(passed["status"], "review_passed");
        }
        for id in &r {
            let drafted = get_registration(app, branch, id).await;
            assert_eq!(drafted["status"], "draft");
            assert_eq!(drafted["self_result"]["total"], 90);
        }
    }
}

async fn where_provinces_recognise_the_province_unit_drafts_and_numbers_the_decision(
    app: &TestApp,
) {
    let office = office(app).await;
    let period_path = format!("/api/v1/periods/{}", office.period);
    let changed = app
        .send(
            app.request(Method::PUT, &period_path, office.admin.token())
                .json(&json!({"year": this_year(), "recogniser_level": "province"})),
        )
        .await;
    changed.assert_status(200);
    assert_eq!(changed.body["recogniser_level"], "province");
    let first = in_state(app, &office, "Nguyễn Văn An", "review_passed").await;
    let second = in_state(app, &office, "Trần Thị Bích", "review_passed").await;

    // The commune's own unit does not recognise in this period.
    app.post_json(
        DECISIONS,
        office.commune.token(),
        &decision_body(&office.period, "1/QĐ-KH"),
    )
    .await
    .assert_problem(403, "forbidden");
    let mut named = decision_body(&office.period, "1/QĐ-KH");
    named["issuing_unit_id"] = json!(crate::workflow::commune_unit_id(BADINH));
    app.post_json(DECISIONS, office.commune.token(), &named)
        .await
        .assert_invalid_field("issuing_unit_id");

    let province = app.sign_in("hn.province", "province_officer", "01").await;
    let drafted = app
        .post_json(
            DECISIONS,
            province.token(),
            &decision_body(&office.period, "5/QĐ-TKH"),
        )
        .await;
    drafted.assert_status(201);
    let province_unit =
        Uuid::new_v5(&crate::workflow::ASSOCIATION_UNIT_NAMESPACE, b"province:01").to_string();
    assert_eq!(drafted.body["issuing_unit_id"], province_unit.as_str());
    let decision = id_of(&drafted.body);
    issue_with(app, &province, &decision, &[&first, &second]).await;
    let year = today().year();
    let mut numbers = BTreeSet::new();
    for id in [&first, &second] {
        let r = get_registration(app, &office.commune, id).await;
        assert_eq!(r["status"], "recognised", "{r}");
        numbers.insert(text(&r["certificate_number"]));
    }
    assert_eq!(
        numbers,
        BTreeSet::from([format!("01/{year}/000001"), format!("01/{year}/000002")]),
        "numbered in the province's own sequence"
    );
}
