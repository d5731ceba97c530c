//! `GET /api/v1/worklist`: the officer's work list counts what waits in their own unit (a
//! commune officer never sees another commune's work, a province officer sees their communes',
//! a branch officer attached to a branch only what it reviews), each count equal to the list its
//! link opens; imports running show with their progress; viewers and bad input are refused.

use crate::import::{IMPORTS, start, upload};
use crate::reports::{Citizen, citizen, enrol, office_of};
use crate::workflow::{BADINH, NGOCHA, Office, REGISTRATIONS, id_of, office};
use serde_json::{Value, json};
use std::time::Duration;
use tests::{Backend, Session, TestApp};

tests::on_both_backends!(
    a_commune_officer_sees_the_work_of_their_own_commune_and_never_another_ones,
    a_viewer_has_no_work_list_and_a_bad_period_is_refused_naming_the_field,
);

const WORKLIST: &str = "/api/v1/worklist";

async fn worklist(app: &TestApp, by: &Session) -> Value {
    let response = app.get_json(WORKLIST, by.token()).await;
    response.assert_status(200);
    response.body
}

/// The six counts of a work list.
fn counts(list: &Value) -> [Value; 6] {
    [
        list["awaiting_review"].clone(),
        list["under_review"].clone(),
        list["not_started"].clone(),
        list["in_draft"].clone(),
        list["legacy_queue_pending"].clone(),
        list["imports_running"].clone(),
    ]
}

/// How many registrations of `period` in `status` the list endpoint gives `by`.
async fn listed(app: &TestApp, by: &Session, period: &str, status: &str) -> u64 {
    let response = app
        .get_json(
            &format!("{REGISTRATIONS}?period_id={period}&status={status}&per_page=1"),
            by.token(),
        )
        .await;
    response.assert_status(200);
    response.body["total"].as_u64().unwrap_or(u64::MAX)
}

fn in_state<'a>(name: &'a str, state: &'a str) -> Citizen<'a> {
    citizen(name, "female", 40, "farmer", state)
}

/// The officers of Ba Đình and Ngọc Hà with work waiting: in Ba Đình two registrations
/// submitted, one under review, one not started, one in draft; in Ngọc Hà one submitted and two
/// in draft, and an old address of Phường Cống Vị (split between Ngọc Hà and Giảng Võ) waiting
/// in the queue.
pub(crate) async fn seed(app: &TestApp) -> (Office, Office) {
    let badinh = office(app).await;
    let ngocha = office_of(app, &badinh, NGOCHA, "ngocha").await;
    let province = app.sign_in("hanoi", "province_officer", "01").await;
    for (name, state) in [
        ("Nguyễn Thị Một", "submitted"),
        ("Nguyễn Thị Hai", "submitted"),
        ("Nguyễn Thị Ba", "under_review"),
        ("Nguyễn Thị Bốn", "registered"),
        ("Nguyễn Thị Năm", "draft"),
    ] {
        enrol(app, &badinh, BADINH, &in_state(name, state)).await;
    }
    for (name, state) in [
        ("Trần Thị Một", "submitted"),
        ("Trần Thị Hai", "draft"),
        ("Trần Thị Ba", "draft"),
    ] {
        enrol(app, &ngocha, NGOCHA, &in_state(name, state)).await;
    }
    app.post_json(
        "/api/v1/people",
        province.token(),
        &json!({
            "full_name": "Lê Văn Chờ",
            "gender": "male",
            "birth_year": 1985,
            "legacy_address": {"province": "ha noi", "district": "ba dinh", "commune": "cong vi"},
        }),
    )
    .await
    .assert_status(202);
    (badinh, ngocha)
}

async fn a_commune_officer_sees_the_work_of_their_own_commune_and_never_another_ones(
    app: &TestApp,
) {
    let (badinh, ngocha) = seed(app).await;
    let province = app.login("hanoi", tests::PASSWORD).await.access_token;
    let province = Some(province.as_str());
    let viewer = app.sign_in("hn.viewer", "viewer", BADINH).await;

    let mine = worklist(app, &badinh.commune).await;
    assert_eq!(mine["unit_code"], BADINH);
    assert_eq!(mine["period"]["id"], badinh.period.as_str(), "{mine}");
    assert_eq!(mine["period"]["open"], true);
    let deadlines = mine["period"]["deadlines"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!deadlines.is_empty(), "this year's period is open: {mine}");
    for deadline in &deadlines {
        assert!(
            deadline["days_left"].as_i64().unwrap_or(-1) >= 0,
            "{deadline}"
        );
    }
    assert_eq!(
        counts(&mine),
        [json!(2), json!(1), json!(1), json!(1), json!(0), json!(0)],
        "Ba Đình: {mine}"
    );
    assert_eq!(mine["running_imports"], json!([]));

    let theirs = worklist(app, &ngocha.commune).await;
    assert_eq!(
        counts(&theirs),
        [json!(1), json!(0), json!(0), json!(2), json!(1), json!(0)],
        "Ngọc Hà: {theirs}"
    );

    let whole = app.get_json(WORKLIST, province).await;
    whole.assert_status(200);
    let whole = whole.body;
    assert_eq!(whole["unit_code"], "01");
    assert_eq!(
        counts(&whole),
        [json!(3), json!(1), json!(1), json!(3), json!(1), json!(0)],
        "Hà Nội: {whole}"
    );

    // A branch officer does not resolve old addresses or import: those entries are null.
    let branch = worklist(app, &badinh.branch).await;
    assert_eq!(
        counts(&branch),
        [
            json!(2),
            json!(1),
            json!(1),
            json!(1),
            Value::Null,
            Value::Null
        ],
        "a branch officer of Ba Đình without a branch: {branch}"
    );

    // Each count is the total of the list its link opens.
    for (who, list) in [(&badinh.commune, &mine), (&ngocha.commune, &theirs)] {
        for (field, status) in [
            ("awaiting_review", "submitted"),
            ("under_review", "under_review"),
            ("not_started", "registered"),
            ("in_draft", "draft"),
        ] {
            assert_eq!(
                list[field].as_u64(),
                Some(listed(app, who, &badinh.period, status).await),
                "{field} of {}",
                who.user.username
            );
        }
        let queue = app
            .get_json("/api/v1/legacy-queue?per_page=1", who.token())
            .await;
        assert_eq!(list["legacy_queue_pending"], queue.body["total"]);
    }

    // A branch officer attached to a branch counts only what the branch reviews.
    let east = app
        .post_json(
            "/api/v1/association-units",
            badinh.commune.token(),
            &json!({"name": "Chi hội tổ dân phố 1", "level": "branch",
                    "parent_id": crate::workflow::commune_unit_id(BADINH)}),
        )
        .await;
    east.assert_status(201);
    let east = id_of(&east.body);
    let mut reviewed_by_east = in_state("Phạm Thị Sáu", "submitted");
    reviewed_by_east.reviewer_unit = Some(&east);
    enrol(app, &badinh, BADINH, &reviewed_by_east).await;
    app.post_json(
        "/api/v1/users",
        badinh.commune.token(),
        &json!({"username": "hn.east", "password": "a long password", "role": "branch_officer",
                "unit": BADINH, "association_unit_id": east}),
    )
    .await
    .assert_status(201);
    let token = app.login("hn.east", "a long password").await.access_token;
    let east_list = app.get_json(WORKLIST, Some(&token)).await;
    east_list.assert_status(200);
    assert_eq!(
        counts(&east_list.body),
        [
            json!(1),
            json!(0),
            json!(0),
            json!(0),
            Value::Null,
            Value::Null
        ],
        "the branch: {}",
        east_list.body
    );
    let after = worklist(app, &badinh.commune).await;
    assert_eq!(
        after["awaiting_review"], 3,
        "the commune sees its branch's too"
    );
    assert_eq!(
        worklist(app, &ngocha.commune).await["awaiting_review"],
        1,
        "and Ngọc Hà still not Ba Đình's"
    );

    // A viewer has nothing to act on.
    app.get_json(WORKLIST, viewer.token())
        .await
        .assert_problem(403, "forbidden");
}

async fn a_viewer_has_no_work_list_and_a_bad_period_is_refused_naming_the_field(app: &TestApp) {
    let officer = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let viewer = app.sign_in("hn.viewer", "viewer", "01").await;
    app.get_json(WORKLIST, viewer.token())
        .await
        .assert_problem(403, "forbidden");
    app.get_json(WORKLIST, None).await.assert_status(401);

    // No period at all: nothing counted, no deadline.
    let empty = worklist(app, &officer).await;
    assert_eq!(empty["period"], Value::Null, "{empty}");
    assert_eq!(
        counts(&empty),
        [json!(0), json!(0), json!(0), json!(0), json!(0), json!(0)]
    );

    for bad in ["not-a-uuid", &uuid::Uuid::new_v4().to_string()] {
        let response = app
            .get_json(&format!("{WORKLIST}?period_id={bad}"), officer.token())
            .await;
        assert_eq!(response.status, 422, "{bad}: {}", response.body);
        response.assert_invalid_field("period_id");
    }

    // A period asked for by id is counted even when another is open.
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let this_year = crate::workflow::this_year();
    let current = crate::workflow::create_period(app, &admin, &json!({"year": this_year})).await;
    let last = crate::workflow::create_period(app, &admin, &json!({"year": this_year - 1})).await;
    assert_eq!(worklist(app, &officer).await["period"]["id"], current["id"]);
    let asked = app
        .get_json(
            &format!("{WORKLIST}?period_id={}", id_of(&last)),
            officer.token(),
        )
        .await;
    asked.assert_status(200);
    assert_eq!(asked.body["period"]["id"], last["id"]);
    assert_eq!(asked.body["period"]["open"], false);
    assert_eq!(asked.body["period"]["deadlines"], json!([]));
}

/// `n` valid rows of `commune` with distinct ID numbers.
fn rows(commune: &str, n: u32) -> Vec<u8> {
    let mut text = String::from("Họ và tên,Giới tính,Năm sinh,Số định danh cá nhân,Mã xã\n");
    for i in 1..=n {
        let tag: String = format!("{i:04}")
            .bytes()
            .map(|b| char::from(b'a' + (b - b'0')))
            .collect();
        text.push_str(&format!("Người Chờ {tag},Nam,1980,00108{i:07},{commune}\n"));
    }
    text.into_bytes()
}

/// An import that runs a few seconds (one row per chunk, a pause between chunks) is listed with
/// its progress for its commune and its province, not for another commune, and leaves the list
/// when it ends.
async fn a_running_import_is_listed_for_its_unit_only(backend: Backend) {
    if backend == Backend::Postgres {
        // Fails when PostgreSQL is required and missing; skips otherwise.
        let Some(probe) = TestApp::spawn_if_available(Backend::Postgres).await else {
            return;
        };
        probe.stop().await;
    }
    let app = TestApp::spawn_with(backend, |s| {
        s.import_chunk_rows = Some(1);
        s.import_chunk_pause = Duration::from_millis(250);
    })
    .await;
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let ngocha = app.sign_in("hn.ngocha", "commune_officer", NGOCHA).await;
    let province = app.sign_in("hanoi", "province_officer", "01").await;

    let uploaded = upload(&app, badinh.token(), "cho.csv", rows(BADINH, 12)).await;
    let job = start(&app, badinh.token(), &id_of(&uploaded), "valid_only").await;
    let job_id = id_of(&job);

    for who in [&badinh, &province] {
        let list = worklist(&app, who).await;
        assert_eq!(list["imports_running"], 1, "{list}");
        let running = &list["running_imports"][0];
        assert_eq!(running["id"], job_id.as_str());
        assert_eq!(running["file_name"], "cho.csv");
        assert_eq!(running["rows_total"], 12);
        assert!(
            running["rows_done"].as_u64().unwrap_or(99) < 12,
            "{running}"
        );
    }
    let other = worklist(&app, &ngocha).await;
    assert_eq!(other["imports_running"], 0, "{other}");
    assert_eq!(other["running_imports"], json!([]));

    let done = crate::import::wait(&app, badinh.token(), &job_id).await;
    assert_eq!(done["status"], "completed", "{done}");
    let after = worklist(&app, &badinh).await;
    assert_eq!(after["imports_running"], 0, "{after}");
    app.get_json(&format!("{IMPORTS}/{job_id}"), badinh.token())
        .await
        .assert_status(200);
    app.stop().await;
}

mod imports_running {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_a_running_import_is_listed_for_its_unit_only() {
        super::a_running_import_is_listed_for_its_unit_only(tests::Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_a_running_import_is_listed_for_its_unit_only() {
        super::a_running_import_is_listed_for_its_unit_only(tests::Backend::Postgres).await;
    }
}
