//! `/api/v1/reports` and baselines: figures checked against a fixture whose numbers can be
//! computed by hand, at commune, province and nation; scope; rates rolled up as sums; progress
//! against the Decision 677 targets; the counters against a from-scratch grouping; suppression of
//! small counts; the baseline CSV import. `reports_exports.rs` has the CSV/XLSX exports.

use crate::workflow::{
    BADINH, NGOCHA, Office, draft_decision, id_of, issue_with, office, put_json, register,
    registration_path, take, this_year,
};
use reqwest::Method;
use serde_json::{Value, json};
use tests::{ApiResponse, Session, TestApp};

tests::on_both_backends!(
    report_figures_match_a_hand_counted_fixture_at_commune_province_and_nation,
    an_officer_gets_no_report_or_baseline_outside_their_unit,
    rates_roll_up_as_sums_of_numerators_over_sums_of_denominators,
    progress_compares_with_the_target_in_force_and_the_series_has_one_row_per_period,
    counters_follow_every_change_and_equal_a_grouping_from_scratch,
    ethnicity_cells_below_five_are_suppressed_so_that_no_total_reveals_them,
    a_baseline_csv_with_one_bad_row_is_refused_whole_with_an_error_per_bad_cell,
    the_legacy_view_maps_current_communes_back_to_legacy_units,
);

pub(crate) const SUMMARY: &str = "/api/v1/reports/summary";
/// Phường Bến Thành, Hồ Chí Minh (province 79).
pub(crate) const BENTHANH: &str = "26743";
/// Xã Ngọc Long (province 08), formed from exactly one legacy commune (00859 of district 028, Hà Giang).
pub(crate) const NGOCLONG: &str = "00859";

/// One citizen of the fixture.
pub(crate) struct Citizen<'a> {
    pub(crate) name: &'a str,
    pub(crate) gender: &'a str,
    pub(crate) age: i32,
    pub(crate) group: &'a str,
    pub(crate) state: &'a str,
    /// Reviewed by this unit instead of the default.
    pub(crate) reviewer_unit: Option<&'a str>,
}

pub(crate) fn citizen<'a>(
    name: &'a str,
    gender: &'a str,
    age: i32,
    group: &'a str,
    state: &'a str,
) -> Citizen<'a> {
    Citizen {
        name,
        gender,
        age,
        group,
        state,
        reviewer_unit: None,
    }
}

/// Officers of another commune, sharing the period of `base`.
pub(crate) async fn office_of(app: &TestApp, base: &Office, commune: &str, tag: &str) -> Office {
    Office {
        admin: app
            .sign_in(&format!("{tag}.admin"), "central_admin", "VN")
            .await,
        commune: app
            .sign_in(&format!("{tag}.commune"), "commune_officer", commune)
            .await,
        branch: app
            .sign_in(&format!("{tag}.branch"), "branch_officer", commune)
            .await,
        reviewer: app
            .sign_in(&format!("{tag}.reviewer"), "branch_officer", commune)
            .await,
        period: base.period.clone(),
        decisions: std::cell::Cell::new(100),
    }
}

/// Creates a person of `commune` and returns their id.
pub(crate) async fn new_person(
    app: &TestApp,
    office: &Office,
    commune: &str,
    c: &Citizen<'_>,
    extra: Value,
) -> String {
    let mut body = json!({
        "full_name": c.name,
        "gender": c.gender,
        "birth_year": this_year() - c.age,
        "commune_code": commune,
        "target_group": c.group,
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let response = app
        .post_json("/api/v1/people", office.commune.token(), &body)
        .await;
    response.assert_status(201);
    id_of(&response.body)
}

/// Creates the person, registers them and brings the registration to `c.state`; returns the
/// registration id.
pub(crate) async fn enrol(
    app: &TestApp,
    office: &Office,
    commune: &str,
    c: &Citizen<'_>,
) -> String {
    let person_id = new_person(app, office, commune, c, json!({})).await;
    let registered = match c.reviewer_unit {
        Some(unit) => {
            app.post_json(
                "/api/v1/registrations",
                office.commune.token(),
                &json!({"person_id": person_id, "period_id": office.period, "reviewing_unit_id": unit}),
            )
            .await
        }
        None => register(app, &office.branch, &person_id, &office.period).await,
    };
    registered.assert_status(201);
    let id = id_of(&registered.body);
    bring(app, office, &id, c.state).await;
    id
}

/// Takes the registration `id` from `registered` to `state` through the API.
pub(crate) async fn bring(app: &TestApp, office: &Office, id: &str, state: &str) {
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
            "pass" | "fail" | "start-review" => &office.commune,
            _ => &office.branch,
        };
        take(app, by, id, name).await;
    }
    if matches!(state, "recognised" | "revoked") {
        let decision = draft_decision(app, office, &office.commune).await;
        issue_with(app, &office.commune, &decision, &[id]).await;
    }
    if state == "revoked" {
        take(app, &office.commune, id, "revoke").await;
    }
    let now = app
        .get_json(&registration_path(id), office.commune.token())
        .await;
    assert_eq!(now.body["status"], state, "{id} is {state}");
}

/// Creates a committee under a commune's Association and returns its id.
pub(crate) async fn committee(app: &TestApp, by: &Session, commune: &str, name: &str) -> String {
    let response = app
        .post_json(
            "/api/v1/association-units",
            by.token(),
            &json!({
                "name": name,
                "level": "committee",
                "parent_id": crate::workflow::commune_unit_id(commune),
                "committee_kind": "agency",
            }),
        )
        .await;
    response.assert_status(201);
    id_of(&response.body)
}

/// The fixture, counted by hand in the test below:
///
/// Ba Đình (01/00004): farmers A1 m40 recognised, A2 f20 recognised, A3 f70 review_failed,
/// A4 m16 submitted, A5 f30 registered, A6 m50 withdrawn, A7 m40 under_review,
/// A8 f40 review_passed; officials of the committee O1 f45 recognised, O2 m28 revoked.
/// Ngọc Hà (01/00008): B1 m40 farmer recognised, B2 f25 worker draft.
/// Bến Thành (79/26734): C1 f33 farmer recognised.
pub(crate) struct Fixture {
    pub(crate) office: Office,
    pub(crate) committee: String,
}

pub(crate) async fn fixture(app: &TestApp) -> Fixture {
    let office = office(app).await;
    let committee = committee(
        app,
        &office.commune,
        BADINH,
        "Ban khuyến học UBND phường Ba Đình",
    )
    .await;
    let mut badinh = vec![
        citizen("Nguyễn Văn Một", "male", 40, "farmer", "recognised"),
        citizen("Trần Thị Hai", "female", 20, "farmer", "recognised"),
        citizen("Lê Thị Ba", "female", 70, "farmer", "review_failed"),
        citizen("Phạm Văn Bốn", "male", 16, "farmer", "submitted"),
        citizen("Hoàng Thị Năm", "female", 30, "farmer", "registered"),
        citizen("Vũ Văn Sáu", "male", 50, "farmer", "withdrawn"),
        citizen("Đặng Văn Bảy", "male", 40, "farmer", "under_review"),
        citizen("Bùi Thị Tám", "female", 40, "farmer", "review_passed"),
        citizen("Đỗ Thị Chín", "female", 45, "official", "recognised"),
        citizen("Hồ Văn Mười", "male", 28, "official", "revoked"),
    ];
    for c in badinh.iter_mut().filter(|c| c.group == "official") {
        c.reviewer_unit = Some(&committee);
    }
    for c in &badinh {
        enrol(app, &office, BADINH, c).await;
    }
    let ngocha = office_of(app, &office, NGOCHA, "ngocha").await;
    enrol(
        app,
        &ngocha,
        NGOCHA,
        &citizen("Ngô Văn Mười Một", "male", 40, "farmer", "recognised"),
    )
    .await;
    enrol(
        app,
        &ngocha,
        NGOCHA,
        &citizen("Dương Thị Mười Hai", "female", 25, "worker", "draft"),
    )
    .await;
    let benthanh = office_of(app, &office, BENTHANH, "benthanh").await;
    enrol(
        app,
        &benthanh,
        BENTHANH,
        &citizen("Lý Thị Mười Ba", "female", 33, "farmer", "recognised"),
    )
    .await;
    Fixture { office, committee }
}

pub(crate) fn summary_path(period: &str, unit: Option<&str>) -> String {
    match unit {
        Some(u) => format!("{SUMMARY}?period_id={period}&unit={u}"),
        None => format!("{SUMMARY}?period_id={period}"),
    }
}

pub(crate) async fn summary(
    app: &TestApp,
    by: &Session,
    period: &str,
    unit: Option<&str>,
) -> Value {
    let response = app.get_json(&summary_path(period, unit), by.token()).await;
    assert_eq!(response.status, 200, "{}", response.body);
    response.body
}

/// The nine counts in the order registered, self_assessed, under_review, review_passed,
/// review_failed, recognised, not_recognised, revoked, withdrawn.
#[track_caller]
pub(crate) fn assert_counts(counts: &Value, expected: [i64; 9], what: &str) {
    let names = [
        "registered",
        "self_assessed",
        "under_review",
        "review_passed",
        "review_failed",
        "recognised",
        "not_recognised",
        "revoked",
        "withdrawn",
    ];
    let actual: Vec<i64> = names
        .iter()
        .map(|n| counts[n].as_i64().unwrap_or(-1))
        .collect();
    assert_eq!(actual, expected.to_vec(), "{what}: {counts}");
}

pub(crate) fn row<'a>(rows: &'a Value, key_field: &str, key: &str) -> &'a Value {
    rows.as_array()
        .and_then(|rows| rows.iter().find(|r| r[key_field] == key))
        .unwrap_or_else(|| panic!("a row {key} in {rows}"))
}

async fn report_figures_match_a_hand_counted_fixture_at_commune_province_and_nation(app: &TestApp) {
    let f = fixture(app).await;
    let (admin, commune) = (&f.office.admin, &f.office.commune);
    let period = &f.office.period;

    // Ba Đình, asked by its own officer without naming the unit.
    let r = summary(app, commune, period, None).await;
    assert_eq!(r["unit"]["code"], BADINH);
    assert_eq!(r["unit"]["level"], "commune");
    assert_eq!(r["period_year"], this_year());
    assert_counts(&r["totals"], [9, 8, 2, 5, 1, 3, 0, 1, 1], "Ba Đình");
    assert_eq!(r["recognised_officials"], 1);
    let by_group = &r["by_target_group"];
    assert_counts(
        &row(by_group, "key", "farmer")["counts"],
        [7, 6, 2, 3, 1, 2, 0, 0, 1],
        "farmers",
    );
    assert_counts(
        &row(by_group, "key", "official")["counts"],
        [2, 2, 0, 2, 0, 1, 0, 1, 0],
        "officials",
    );
    assert_counts(&row(by_group, "key", "worker")["counts"], [0; 9], "workers");
    let by_gender = &r["by_gender"];
    assert_counts(
        &row(by_gender, "key", "male")["counts"],
        [4, 4, 2, 2, 0, 1, 0, 1, 1],
        "men",
    );
    assert_counts(
        &row(by_gender, "key", "female")["counts"],
        [5, 4, 0, 3, 1, 2, 0, 0, 0],
        "women",
    );
    let by_age = &r["by_age_band"];
    let registered = |band: &str| row(by_age, "key", band)["counts"]["registered"].as_i64();
    assert_eq!(
        [
            registered("under_18"),
            registered("18_35"),
            registered("36_60"),
            registered("over_60")
        ],
        [Some(1), Some(3), Some(4), Some(1)],
        "age bands: {by_age}"
    );
    assert_eq!(row(by_age, "key", "36_60")["counts"]["withdrawn"], 1);
    // Children of a commune: its committee and the commune's own Association.
    let children = &r["children"];
    let committee = row(children, "code", &f.committee);
    assert_eq!(committee["level"], "committee");
    assert_counts(
        &committee["counts"],
        [2, 2, 0, 2, 0, 1, 0, 1, 0],
        "the committee",
    );
    let sum: i64 = children
        .as_array()
        .map(|c| {
            c.iter()
                .map(|c| c["counts"]["registered"].as_i64().unwrap_or(0))
                .sum()
        })
        .unwrap_or(0);
    assert_eq!(sum, 9, "the children add up to the commune: {children}");

    // Hà Nội, by a province officer: both communes, by commune.
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let r = summary(app, &hanoi, period, None).await;
    assert_eq!(r["unit"]["code"], "01");
    assert_counts(&r["totals"], [11, 9, 2, 6, 1, 4, 0, 1, 1], "Hà Nội");
    assert_counts(
        &row(&r["children"], "code", BADINH)["counts"],
        [9, 8, 2, 5, 1, 3, 0, 1, 1],
        "Ba Đình in Hà Nội",
    );
    assert_counts(
        &row(&r["children"], "code", NGOCHA)["counts"],
        [2, 1, 0, 1, 0, 1, 0, 0, 0],
        "Ngọc Hà",
    );
    assert_eq!(row(&r["children"], "code", NGOCHA)["level"], "commune");
    assert_counts(
        &row(&r["by_target_group"], "key", "worker")["counts"],
        [1, 0, 0, 0, 0, 0, 0, 0, 0],
        "workers of Hà Nội",
    );

    // The nation: every province listed, the two with registrations counted.
    let r = summary(app, admin, period, Some("VN")).await;
    assert_eq!(r["unit"]["level"], "nation");
    assert_counts(&r["totals"], [12, 10, 2, 7, 1, 5, 0, 1, 1], "the nation");
    assert_eq!(
        r["children"].as_array().map(Vec::len),
        Some(34),
        "34 provinces"
    );
    assert_counts(
        &row(&r["children"], "code", "01")["counts"],
        [11, 9, 2, 6, 1, 4, 0, 1, 1],
        "Hà Nội in the nation",
    );
    assert_counts(
        &row(&r["children"], "code", "79")["counts"],
        [1, 1, 0, 1, 0, 1, 0, 0, 0],
        "Hồ Chí Minh",
    );
    assert_counts(
        &row(&r["children"], "code", "48")["counts"],
        [0; 9],
        "a province without registrations",
    );
    assert_counts(
        &row(&r["by_gender"], "key", "female")["counts"],
        [7, 5, 0, 4, 1, 3, 0, 0, 0],
        "women of the nation",
    );

    // Always fresh: the next request shows a change.
    let a5 = app
        .get_json(
            &format!("/api/v1/registrations?period_id={period}&q=hoang"),
            commune.token(),
        )
        .await;
    let a5 = page_items(&a5).first().map(id_of).unwrap_or_default();
    take(app, &f.office.branch, &a5, "withdraw").await;
    let r = summary(app, commune, period, None).await;
    assert_counts(
        &r["totals"],
        [8, 8, 2, 5, 1, 3, 0, 1, 2],
        "Ba Đình after a withdrawal",
    );
}

async fn an_officer_gets_no_report_or_baseline_outside_their_unit(app: &TestApp) {
    let f = fixture(app).await;
    let period = &f.office.period;
    let commune = &f.office.commune;
    for unit in [NGOCHA, "01", "VN", BENTHANH, "79"] {
        app.get_json(&summary_path(period, Some(unit)), commune.token())
            .await
            .assert_problem(403, "forbidden");
        for path in ["/api/v1/reports/progress", "/api/v1/reports/people"] {
            app.get_json(
                &format!("{path}?period_id={period}&unit={unit}"),
                commune.token(),
            )
            .await
            .assert_problem(403, "forbidden");
        }
        app.get_json(
            &format!("/api/v1/reports/series?unit={unit}"),
            commune.token(),
        )
        .await
        .assert_problem(403, "forbidden");
    }
    let hcm = app.sign_in("hcm.province", "province_officer", "79").await;
    app.get_json(&summary_path(period, Some("01")), hcm.token())
        .await
        .assert_problem(403, "forbidden");
    // Their own province's report counts only their own people.
    let r = summary(app, &hcm, period, None).await;
    assert_counts(
        &r["totals"],
        [1, 1, 0, 1, 0, 1, 0, 0, 0],
        "Hồ Chí Minh for its officer",
    );

    let baseline = json!({"population": 100, "adult_population": 80});
    let other = put_json(
        app,
        &format!("/api/v1/periods/{period}/baselines/communes/{NGOCHA}"),
        commune,
        &baseline,
    )
    .await;
    other.assert_problem(403, "forbidden");
    let branch = put_json(
        app,
        &format!("/api/v1/periods/{period}/baselines/communes/{BADINH}"),
        &f.office.branch,
        &baseline,
    )
    .await;
    branch.assert_problem(403, "forbidden");
    let csv = format!("commune_code,population,adult_population\n{BADINH},10,8\n{NGOCHA},10,8\n");
    let imported = import(app, commune, period, &csv).await;
    imported.assert_invalid_field("rows[1].commune_code");
    let listed = app
        .get_json(
            &format!("/api/v1/periods/{period}/baselines"),
            commune.token(),
        )
        .await;
    assert_eq!(listed.body, json!([]), "nothing was stored");
    // Bad input names the field.
    app.get_json(SUMMARY, commune.token())
        .await
        .assert_invalid_field("period_id");
    app.get_json(
        &format!("{}&format=pdf", summary_path(period, None)),
        commune.token(),
    )
    .await
    .assert_invalid_field("format");
    app.get_json(&summary_path(period, Some("99999")), commune.token())
        .await
        .assert_invalid_field("unit");
    app.get_json(
        &summary_path(&uuid::Uuid::new_v4().to_string(), None),
        commune.token(),
    )
    .await
    .assert_invalid_field("period_id");
    app.get_json("/api/v1/reports/counters/check", commune.token())
        .await
        .assert_problem(403, "forbidden");
}

/// The items of a page.
pub(crate) fn page_items(response: &ApiResponse) -> Vec<Value> {
    assert_eq!(response.status, 200, "{}", response.body);
    response.body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn check(app: &TestApp, admin: &Session) -> Value {
    let c = app
        .get_json("/api/v1/reports/counters/check", admin.token())
        .await;
    assert_eq!(c.status, 200, "{}", c.body);
    c.body
}

pub(crate) async fn import(app: &TestApp, by: &Session, period: &str, csv: &str) -> ApiResponse {
    app.send(
        app.request(
            Method::POST,
            &format!("/api/v1/periods/{period}/baselines/import"),
            by.token(),
        )
        .header("Content-Type", "text/csv")
        .body(csv.to_string()),
    )
    .await
}

fn close(value: &Value, expected: f64, what: &str) {
    let actual = value
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: a number, got {value}"));
    assert!(
        (actual - expected).abs() < 1e-9,
        "{what}: {actual} ≠ {expected}"
    );
}

async fn rates_roll_up_as_sums_of_numerators_over_sums_of_denominators(app: &TestApp) {
    let f = fixture(app).await;
    let period = &f.office.period;
    let commune = &f.office.commune;
    let set = put_json(
        app,
        &format!("/api/v1/periods/{period}/baselines/communes/{BADINH}"),
        commune,
        &json!({"population": 1000, "adult_population": 800}),
    )
    .await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(set.body["adult_population"], 800);
    let staff = put_json(
        app,
        &format!(
            "/api/v1/periods/{period}/baselines/committees/{}",
            f.committee
        ),
        commune,
        &json!({"staff": 10}),
    )
    .await;
    assert_eq!(staff.status, 200, "{}", staff.body);
    let ngocha = app
        .sign_in("ngocha.officer", "commune_officer", NGOCHA)
        .await;
    let imported = import(
        app,
        &ngocha,
        period,
        &format!("\u{feff}commune_code;population;adult_population\r\n{NGOCHA};500;400\r\n"),
    )
    .await;
    assert_eq!(imported.status, 200, "{}", imported.body);
    assert_eq!(imported.body["communes"], 1);

    let r = summary(app, commune, period, None).await;
    assert_eq!(
        r["baseline"],
        json!({"population": 1000, "adult_population": 800, "staff": 10})
    );
    close(&r["rates"]["recognised_of_adults"], 3.0 / 800.0, "Ba Đình");
    close(
        &r["rates"]["recognised_officials_of_staff"],
        1.0 / 10.0,
        "the committee's staff",
    );
    close(
        &row(&r["children"], "code", &f.committee)["rates"]["recognised_officials_of_staff"],
        0.1,
        "committee row",
    );

    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let r = summary(app, &hanoi, period, None).await;
    assert_eq!(r["baseline"]["adult_population"], 1200);
    // 4 / 1200, not the average of 3/800 and 1/400.
    close(&r["rates"]["recognised_of_adults"], 4.0 / 1200.0, "Hà Nội");
    close(
        &row(&r["children"], "code", NGOCHA)["rates"]["recognised_of_adults"],
        1.0 / 400.0,
        "Ngọc Hà",
    );
    let r = summary(app, &f.office.admin, period, Some("VN")).await;
    close(
        &r["rates"]["recognised_of_adults"],
        5.0 / 1200.0,
        "the nation",
    );
    assert!(
        row(&r["children"], "code", "79")["rates"]["recognised_of_adults"].is_null(),
        "no denominator, no rate"
    );

    let invalid = put_json(
        app,
        &format!("/api/v1/periods/{period}/baselines/communes/{BADINH}"),
        commune,
        &json!({"population": 100, "adult_population": 800}),
    )
    .await;
    invalid.assert_invalid_field("adult_population");
    let negative = put_json(
        app,
        &format!("/api/v1/periods/{period}/baselines/communes/{BADINH}"),
        commune,
        &json!({"population": -1, "adult_population": 0}),
    )
    .await;
    negative.assert_invalid_field("population");
    let listed = app
        .get_json(
            &format!("/api/v1/periods/{period}/baselines?unit={BADINH}"),
            commune.token(),
        )
        .await;
    assert_eq!(
        listed.body.as_array().map(Vec::len),
        Some(2),
        "{}",
        listed.body
    );
    assert_eq!(
        row(&listed.body, "kind", "commune")["population"],
        1000,
        "unchanged by the refused puts"
    );
}

async fn progress_compares_with_the_target_in_force_and_the_series_has_one_row_per_period(
    app: &TestApp,
) {
    let f = fixture(app).await;
    let period = &f.office.period;
    let commune = &f.office.commune;
    put_json(
        app,
        &format!("/api/v1/periods/{period}/baselines/communes/{BADINH}"),
        commune,
        &json!({"population": 10, "adult_population": 6}),
    )
    .await
    .assert_status(200);
    put_json(
        app,
        &format!(
            "/api/v1/periods/{period}/baselines/committees/{}",
            f.committee
        ),
        commune,
        &json!({"staff": 2}),
    )
    .await
    .assert_status(200);
    let targets = app
        .get_json("/api/v1/reports/targets", commune.token())
        .await;
    assert_eq!(
        targets.body.as_array().map(Vec::len),
        Some(4),
        "{}",
        targets.body
    );
    let p = app
        .get_json(
            &format!("/api/v1/reports/progress?period_id={period}"),
            commune.token(),
        )
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    let adults = row(&p.body["measures"], "measure", "adults");
    assert_eq!(adults["numerator"], 3);
    assert_eq!(adults["denominator"], 6);
    close(&adults["rate"], 0.5, "adults");
    let (target_rate, target_year) = if this_year() <= 2025 {
        (0.4, 2025)
    } else {
        (0.6, 2030)
    };
    close(&adults["target_rate"], target_rate, "adults' target");
    assert_eq!(adults["target_year"], target_year);
    close(
        &adults["achievement"],
        0.5 / target_rate,
        "adults' achievement",
    );
    let officials = row(&p.body["measures"], "measure", "officials");
    assert_eq!(
        (
            officials["numerator"].as_i64(),
            officials["denominator"].as_i64()
        ),
        (Some(1), Some(2))
    );
    close(
        &officials["target_rate"],
        if this_year() <= 2025 { 0.6 } else { 0.8 },
        "officials' target",
    );

    // An earlier period: the 2025 targets; no registrations there.
    let earlier = app
        .post_json(
            "/api/v1/periods",
            f.office.admin.token(),
            &json!({"year": 2024}),
        )
        .await;
    earlier.assert_status(201);
    let s = app
        .get_json("/api/v1/reports/series", commune.token())
        .await;
    assert_eq!(s.status, 200, "{}", s.body);
    let points = s.body["points"].as_array().cloned().unwrap_or_default();
    assert_eq!(points.len(), 2, "{}", s.body);
    assert_eq!(points[0]["period_year"], 2024);
    assert_counts(&points[0]["totals"], [0; 9], "2024");
    close(
        &row(&points[0]["measures"], "measure", "adults")["target_rate"],
        0.4,
        "2024 target",
    );
    assert_eq!(points[1]["period_year"], this_year());
    assert_counts(
        &points[1]["totals"],
        [9, 8, 2, 5, 1, 3, 0, 1, 1],
        "this year",
    );
}

async fn counters_follow_every_change_and_equal_a_grouping_from_scratch(app: &TestApp) {
    let f = fixture(app).await;
    let (admin, commune) = (&f.office.admin, &f.office.commune);
    let period = &f.office.period;
    assert_eq!(
        check(app, admin).await,
        json!({"report_rows_differing": 0, "member_rows_differing": 0})
    );

    // A person's gender and age change: their registration moves between cells.
    let people = app
        .get_json("/api/v1/people?q=tran%20thi%20hai", commune.token())
        .await;
    let person = page_items(&people).first().cloned().unwrap_or_default();
    // A whole record: the version travels in `If-Match`, never in the body.
    let update = json!({
        "full_name": person["full_name"],
        "gender": "male",
        "birth_year": this_year() - 70,
        "commune_code": BADINH,
        "target_group": "farmer",
    });
    let updated = put_json(
        app,
        &format!("/api/v1/people/{}", id_of(&person)),
        commune,
        &update,
    )
    .await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    let r = summary(app, commune, period, None).await;
    assert_eq!(
        row(&r["by_gender"], "key", "male")["counts"]["recognised"],
        2
    );
    assert_eq!(
        row(&r["by_age_band"], "key", "over_60")["counts"]["registered"],
        2
    );
    assert_eq!(
        row(&r["by_age_band"], "key", "18_35")["counts"]["registered"],
        2
    );

    // Members are counted per unit.
    let member = new_person(
        app,
        &f.office,
        BADINH,
        &citizen("Chu Văn Hội", "male", 50, "farmer", ""),
        json!({}),
    )
    .await;
    let joined = app
        .post_json(
            "/api/v1/memberships",
            commune.token(),
            &json!({"person_id": member, "association_unit_id": f.committee, "role": "hoi_vien"}),
        )
        .await;
    assert_eq!(joined.status, 201, "{}", joined.body);
    let r = summary(app, commune, period, None).await;
    assert_eq!(r["members"], 1);
    assert_eq!(row(&r["children"], "code", &f.committee)["members"], 1);
    let r = summary(app, admin, period, Some("VN")).await;
    assert_eq!(r["members"], 1);
    assert_eq!(row(&r["children"], "code", "01")["members"], 1);

    // Erasing a person takes their registration out of every count.
    let erased = app
        .send(app.request(
            Method::DELETE,
            &format!("/api/v1/people/{}", id_of(&person)),
            commune.token(),
        ))
        .await;
    assert_eq!(erased.status, 204, "{}", erased.body);
    let r = summary(app, commune, period, None).await;
    assert_counts(
        &r["totals"],
        [8, 7, 2, 4, 1, 2, 0, 1, 1],
        "Ba Đình without the erased person",
    );
    assert_eq!(
        check(app, admin).await,
        json!({"report_rows_differing": 0, "member_rows_differing": 0})
    );

    let rebuilt = app
        .send(app.request(
            Method::POST,
            "/api/v1/reports/counters/rebuild",
            admin.token(),
        ))
        .await;
    assert_eq!(
        rebuilt.body,
        json!({"report_rows_differing": 0, "member_rows_differing": 0})
    );
    let r = summary(app, commune, period, None).await;
    assert_counts(
        &r["totals"],
        [8, 7, 2, 4, 1, 2, 0, 1, 1],
        "the same after a rebuild",
    );
}

async fn ethnicity_cells_below_five_are_suppressed_so_that_no_total_reveals_them(app: &TestApp) {
    let office = office(app).await;
    let consent = json!({
        "consented_by": "Người được khai",
        "consented_at": "2025-01-02T03:04:05Z",
        "text": "Đồng ý cung cấp dân tộc, tôn giáo (mẫu 01, phiên bản 1)",
    });
    let groups = [("Kinh", 6), ("Mường", 7), ("Tày", 3)];
    let names = crate::workflow::many_names(16);
    let mut names = names.iter();
    for (ethnicity, count) in groups {
        for _ in 0..count {
            let name = names.next().cloned().unwrap_or_default();
            let c = citizen(&name, "female", 30, "farmer", "registered");
            let person = new_person(
                app,
                &office,
                BADINH,
                &c,
                json!({"ethnicity": ethnicity, "consent": consent}),
            )
            .await;
            register(app, &office.branch, &person, &office.period)
                .await
                .assert_status(201);
        }
    }
    let r = summary(app, &office.commune, &office.period, None).await;
    assert_eq!(r["totals"]["registered"], 16);
    let rows = &r["by_ethnicity"];
    let tay = row(rows, "key", "Tày");
    assert!(
        tay["registered"].is_null() && tay["suppressed"] == true,
        "3 is suppressed: {rows}"
    );
    // Kinh (6) is withheld too, or 16 − 7 would give the Tày cell.
    let kinh = row(rows, "key", "Kinh");
    assert!(
        kinh["registered"].is_null() && kinh["suppressed"] == true,
        "{rows}"
    );
    let muong = row(rows, "key", "Mường");
    assert_eq!(muong["registered"], 7);
    assert!(
        muong["recognised"].is_null(),
        "0 recognised is below 5 as well: {rows}"
    );
    // Religion: nobody stated one; the single cell is all the registrations, not suppressed.
    assert_eq!(
        r["by_religion"],
        json!([{"key": "not_stated", "registered": 16, "recognised": null, "suppressed": true}])
    );
}

async fn a_baseline_csv_with_one_bad_row_is_refused_whole_with_an_error_per_bad_cell(
    app: &TestApp,
) {
    let office = office(app).await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let period = &office.period;
    let committee = committee(app, &office.commune, BADINH, "Ban khuyến học Trường THCS").await;
    let csv = format!(
        "commune_code;population;adult_population;committee_id;staff\n\
         {BADINH};1000;800;;\n\
         {NGOCHA};abc;400;;\n\
         99999;10;5;;\n\
         {BADINH};10;20;;\n\
         ;;;{committee};\n\
         ;;;not-a-unit;5\n\
         ;;;;\n"
    );
    let refused = import(app, &hanoi, period, &csv).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let mut fields = refused.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "rows[1].population",
            "rows[2].commune_code",
            "rows[3].adult_population",
            "rows[3].commune_code",
            "rows[4].staff",
            "rows[5].committee_id",
        ],
        "{}",
        refused.body
    );
    let listed = app
        .get_json(
            &format!("/api/v1/periods/{period}/baselines"),
            hanoi.token(),
        )
        .await;
    assert_eq!(listed.body, json!([]), "nothing is written");

    let good = format!(
        "commune_code,population,adult_population,committee_id,staff\n\
         {BADINH},\"1.000\",800,,\n{NGOCHA},500,400,,\n,,,{committee},25\n"
    );
    let imported = import(app, &hanoi, period, &good).await;
    assert_eq!(imported.status, 200, "{}", imported.body);
    assert_eq!(imported.body, json!({"communes": 2, "committees": 1}));
    let r = summary(app, &hanoi, period, None).await;
    assert_eq!(
        r["baseline"],
        json!({"population": 1500, "adult_population": 1200, "staff": 25})
    );
    import(app, &hanoi, period, "name,value\nx,1\n")
        .await
        .assert_invalid_field("body");
}

async fn the_legacy_view_maps_current_communes_back_to_legacy_units(app: &TestApp) {
    let current = office(app).await;
    let admin = &current.admin;
    let open = json!({
        "year": 2024,
        "registration_opens": "2024-01-01", "registration_closes": "2099-12-31",
        "self_assessment_opens": "2024-01-01", "self_assessment_closes": "2099-12-31",
        "review_opens": "2024-01-01", "review_closes": "2099-12-31",
    });
    let earlier = app.post_json("/api/v1/periods", admin.token(), &open).await;
    assert_eq!(earlier.status, 201, "{}", earlier.body);
    let period = id_of(&earlier.body);
    let mut old = office_of(app, &current, NGOCLONG, "ngoclong").await;
    old.period = period.clone();
    enrol(
        app,
        &old,
        NGOCLONG,
        &citizen("Giàng Thị Mỷ", "female", 30, "farmer", "recognised"),
    )
    .await;
    enrol(
        app,
        &old,
        NGOCLONG,
        &citizen("Vàng Văn Páo", "male", 40, "farmer", "registered"),
    )
    .await;
    let mut saigon = office_of(app, &current, BENTHANH, "saigon").await;
    saigon.period = period.clone();
    enrol(
        app,
        &saigon,
        BENTHANH,
        &citizen("Lâm Thị Hoa", "female", 30, "farmer", "registered"),
    )
    .await;
    let mut badinh = office_of(app, &current, BADINH, "badinh").await;
    badinh.period = period.clone();
    enrol(
        app,
        &badinh,
        BADINH,
        &citizen("Kiều Văn Hà", "male", 30, "farmer", "registered"),
    )
    .await;

    let legacy = |query: String, by: &Session| {
        let path = format!("/api/v1/reports/legacy?period_id={period}{query}");
        let token = by.token().map(str::to_string);
        async move {
            let r = app.get_json(&path, token.as_deref()).await;
            assert_eq!(r.status, 200, "{path}: {}", r.body);
            r.body
        }
    };
    let registered =
        |r: &Value, code: &str| row(&r["children"], "code", code)["counts"]["registered"].clone();
    // The nation by legacy province: each current commune here lies in one legacy province.
    let r = legacy(String::new(), admin).await;
    assert_eq!(r["unit"]["level"], "legacy_nation");
    assert_counts(
        &r["totals"],
        [4, 1, 0, 1, 0, 1, 0, 0, 0],
        "the nation, legacy view",
    );
    assert_eq!(
        registered(&r, "02"),
        2,
        "Hà Giang, the legacy province of Ngọc Long"
    );
    assert_eq!(registered(&r, "79"), 1);
    assert_eq!(registered(&r, "01"), 1);
    // A legacy province by district: Ba Đình's predecessors lie in three districts.
    let r = legacy("&province=01".into(), admin).await;
    assert_eq!(r["unit"]["level"], "legacy_province");
    assert_eq!(registered(&r, ""), 1, "unattributed to a district: {r}");
    assert_eq!(row(&r["children"], "code", "")["level"], "unattributed");
    let r = legacy("&province=79".into(), admin).await;
    assert_eq!(
        registered(&r, "760"),
        1,
        "Bến Thành's predecessors are all in district 760"
    );
    // A legacy district by commune: Ngọc Long has exactly one predecessor.
    let r = legacy("&district=028".into(), admin).await;
    assert_counts(
        &row(&r["children"], "code", NGOCLONG)["counts"],
        [2, 1, 0, 1, 0, 1, 0, 0, 0],
        "Ngọc Long",
    );
    assert_eq!(
        row(&r["children"], "code", NGOCLONG)["level"],
        "legacy_commune"
    );
    let r = legacy("&district=760".into(), admin).await;
    assert_eq!(
        registered(&r, ""),
        1,
        "merged from several legacy communes: {r}"
    );
    // An officer's legacy view counts only their own area.
    let r = legacy(String::new(), &current.commune).await;
    assert_counts(
        &r["totals"],
        [1, 0, 0, 0, 0, 0, 0, 0, 0],
        "Ba Đình's officer",
    );
    // Only periods before 2025-07-01; known legacy units only.
    app.get_json(
        &format!("/api/v1/reports/legacy?period_id={}", current.period),
        admin.token(),
    )
    .await
    .assert_invalid_field("period_id");
    app.get_json(
        &format!("/api/v1/reports/legacy?period_id={period}&province=00"),
        admin.token(),
    )
    .await
    .assert_invalid_field("province");
}
