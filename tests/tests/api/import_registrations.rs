//! `/api/v1/imports` with registration columns: a file that gives a registration year registers
//! its people for that period, under the rules of registering one person, with no second
//! registration on a re-import.

use crate::import::{count, import, outcomes};
use crate::workflow::{REGISTRATIONS, create_period, date, id_of, this_year};
use serde_json::{Value, json};
use tests::TestApp;
use uuid::Uuid;

/// The Association unit seeded for a commune (as the registry derives its id).
fn commune_unit(code: &str) -> String {
    const NAMESPACE: Uuid = Uuid::from_u128(0x6c0d_8a51_3f2e_4b7a_9d10_5e2a_c4f3_1b01);
    Uuid::new_v5(&NAMESPACE, format!("commune:{code}").as_bytes()).to_string()
}

tests::on_both_backends!(
    a_file_with_a_registration_year_registers_its_people_once,
    registration_columns_are_checked_row_by_row,
    a_held_row_is_registered_when_its_commune_is_chosen,
);

/// The outcome of sheet row `row`.
fn row(outcomes: &[Value], row: u64) -> &Value {
    outcomes
        .iter()
        .find(|o| o["row"] == row)
        .unwrap_or_else(|| panic!("no outcome for row {row}: {outcomes:?}"))
}

fn codes(outcome: &Value) -> Vec<String> {
    outcome["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| {
            format!(
                "{}:{}",
                m["column"].as_str().unwrap_or(""),
                m["code"].as_str().unwrap_or("")
            )
        })
        .collect()
}

async fn a_file_with_a_registration_year_registers_its_people_once(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let year = this_year();
    let period = id_of(&create_period(app, &admin, &json!({"year": year})).await);
    let officer = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let token = officer.token();
    let branch = app
        .post_json(
            "/api/v1/association-units",
            token,
            &json!({
                "name": "Chi hội Khuyến học thôn Đông",
                "level": "branch",
                "parent_id": commune_unit("00004"),
            }),
        )
        .await;
    branch.assert_status(201);
    let branch_id = id_of(&branch.body);

    let file = format!(
        "Họ và tên,Giới tính,Năm sinh,Mã xã,Nhóm đối tượng,Năm đăng ký,Đơn vị xét,Mã hồ sơ\n\
         Nguyễn Văn Một,Nam,1970,00004,farmer,{year},,HS-1\n\
         Trần Thị Hai,Nữ,1985,4,FARMER,{year}.0,chi hoi khuyen hoc thon dong,HS-2\n\
         Lê Văn Ba,Nam,1990,00004,farmer,,,HS-3\n"
    );
    // A dry run says what would happen and writes nothing.
    let dry = import(app, token, "dk.csv", file.clone().into_bytes(), "dry_run").await;
    let dry_rows = outcomes(app, token, &dry).await;
    assert_eq!(dry["counts"]["created"], 3, "{dry_rows:?}");
    assert_eq!(dry["counts"]["registered"], 2, "{dry}");
    assert_eq!(count(app, "SELECT COUNT(*) FROM registrations").await, 0);

    let done = import(
        app,
        token,
        "dk.csv",
        file.clone().into_bytes(),
        "valid_only",
    )
    .await;
    assert_eq!(done["counts"]["created"], 3, "{done}");
    assert_eq!(done["counts"]["registered"], 2, "{done}");
    let rows = outcomes(app, token, &done).await;
    assert!(codes(row(&rows, 2)).contains(&"registration_year:registered".to_string()));
    assert!(row(&rows, 4)["registration_id"].is_null());

    let listed = app
        .get_json(
            &format!("{REGISTRATIONS}?period_id={period}&per_page=50"),
            token,
        )
        .await;
    listed.assert_status(200);
    let items = listed.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2, "{}", listed.body);
    let by_id = |id: &Value| {
        items
            .iter()
            .find(|r| r["id"] == *id)
            .cloned()
            .unwrap_or_else(|| panic!("registration {id} listed"))
    };
    let first = by_id(&row(&rows, 2)["registration_id"]);
    assert_eq!(first["status"], "registered");
    assert_eq!(first["target_group"], "farmer");
    assert_eq!(first["person_id"], row(&rows, 2)["person_id"]);
    assert_eq!(
        first["reviewing_unit_id"],
        commune_unit("00004"),
        "without a named unit, the commune's Association reviews"
    );
    let second = by_id(&row(&rows, 3)["registration_id"]);
    assert_eq!(
        second["reviewing_unit_id"],
        branch_id.as_str(),
        "the named branch, matched without diacritics"
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM assessment_events WHERE action = 'register' AND to_status = 'registered'"
        )
        .await,
        2,
        "each registration starts its history"
    );
    let history = app
        .get_json(
            &format!(
                "{REGISTRATIONS}/{}/events",
                first["id"].as_str().unwrap_or_default()
            ),
            token,
        )
        .await;
    history.assert_status(200);
    let events = history.body.as_array().cloned().unwrap_or_default();
    assert_eq!(events.len(), 1, "{}", history.body);
    assert_eq!(events[0]["action"], "register");
    assert_eq!(events[0]["to_status"], "registered");
    assert_eq!(events[0]["actor_username"], "hn.badinh");

    // Importing the file again registers nobody twice.
    let again = import(app, token, "dk.csv", file.into_bytes(), "valid_only").await;
    assert_eq!(again["counts"]["registered"], 0, "{again}");
    assert_eq!(again["counts"]["unchanged"], 3, "{again}");
    let rows = outcomes(app, token, &again).await;
    assert!(codes(row(&rows, 2)).contains(&"registration_year:already_registered".to_string()));
    assert_eq!(count(app, "SELECT COUNT(*) FROM registrations").await, 2);

    // A person already on file, registered by a later file without a group column: the stored
    // target group is used, and the row counts as an update of that person.
    let later = format!(
        "Họ và tên,Giới tính,Năm sinh,Mã xã,Năm đăng ký,Mã hồ sơ\nLê Văn Ba,Nam,1990,00004,{year},HS-3\n"
    );
    let third = import(app, token, "later.csv", later.into_bytes(), "valid_only").await;
    assert_eq!(third["counts"]["updated"], 1, "{third}");
    assert_eq!(third["counts"]["registered"], 1, "{third}");
    assert_eq!(third["counts"]["created"], 0, "{third}");
    assert_eq!(count(app, "SELECT COUNT(*) FROM registrations").await, 3);
    assert_eq!(count(app, "SELECT COUNT(*) FROM people").await, 3);
}

async fn registration_columns_are_checked_row_by_row(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let year = this_year();
    create_period(app, &admin, &json!({"year": year})).await;
    let past = year - 1;
    create_period(
        app,
        &admin,
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
    let officer = app.sign_in("hn.province", "province_officer", "01").await;
    let token = officer.token();
    let file = format!(
        "Họ và tên,Giới tính,Năm sinh,Mã xã,Nhóm đối tượng,Năm đăng ký,Đơn vị xét\n\
         Trần Thị Hai,Nữ,1985,00004,,{year},\n\
         Lê Văn Ba,Nam,1990,00004,farmer,{past},\n\
         Phạm Văn Bốn,Nam,1990,00004,farmer,2010,\n\
         Vũ Văn Năm,Nam,1991,00004,farmer,{year},Chi hội Không Có\n\
         Đỗ Văn Sáu,Nam,1992,00004,farmer,,Chi hội X\n\
         Bùi Văn Bảy,Nam,1993,00004,farmer,năm nay,\n\
         Hồ Văn Tám,Nam,1994,00004,farmer,{year},\n"
    );
    let done = import(
        app,
        token,
        "errors.csv",
        file.into_bytes(),
        "all_or_nothing",
    )
    .await;
    assert_eq!(done["counts"]["error"], 6, "{done}");
    assert_eq!(done["counts"]["skipped"], 1, "{done}");
    assert_eq!(done["counts"]["registered"], 0, "{done}");
    let rows = outcomes(app, token, &done).await;
    let expect = [
        (2, "target_group:required"),
        (3, "registration_year:registration_closed"),
        (4, "registration_year:unknown_period"),
        (5, "reviewing_unit:unknown_reviewing_unit"),
        (6, "registration_year:required"),
        (7, "registration_year:invalid_year"),
    ];
    for (n, code) in expect {
        let outcome = row(&rows, n);
        assert_eq!(outcome["status"], "error", "row {n}: {outcome}");
        assert!(
            codes(outcome).contains(&code.to_string()),
            "row {n}: {outcome}"
        );
        let messages = outcome["messages"].to_string();
        assert!(!messages.is_empty());
    }
    let closed = row(&rows, 3)["messages"].to_string();
    assert!(
        closed.contains(&format!("31/03/{past}")),
        "the dates are given: {closed}"
    );
    assert_eq!(count(app, "SELECT COUNT(*) FROM registrations").await, 0);
    assert_eq!(count(app, "SELECT COUNT(*) FROM people").await, 0);
}

async fn a_held_row_is_registered_when_its_commune_is_chosen(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let year = this_year();
    let period = id_of(&create_period(app, &admin, &json!({"year": year})).await);
    let officer = app.sign_in("hn.province", "province_officer", "01").await;
    let token = officer.token();
    // Phường Cống Vị (Ba Đình) was split between Ngọc Hà and Giảng Võ: the row waits.
    let file = format!(
        "Họ và tên,Giới tính,Năm sinh,Tỉnh cũ,Huyện cũ,Xã cũ,Nhóm đối tượng,Năm đăng ký\n\
         Đỗ Văn Cống,Nam,1973,Hà Nội,Ba Đình,Cống Vị,farmer,{year}\n\
         Đỗ Thị Vị,Nữ,1974,Hà Nội,Ba Đình,Cống Vị,,{year}\n"
    );
    let done = import(app, token, "held.csv", file.into_bytes(), "valid_only").await;
    assert_eq!(done["counts"]["queued"], 2, "{done}");
    assert_eq!(done["counts"]["registered"], 0, "{done}");
    assert_eq!(count(app, "SELECT COUNT(*) FROM registrations").await, 0);
    let rows = outcomes(app, token, &done).await;
    let first = row(&rows, 2)["queue_item_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let second = row(&rows, 3)["queue_item_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let resolved = app
        .post_json(
            &format!("/api/v1/legacy-queue/{first}/resolve"),
            token,
            &json!({"commune_code": "00008"}),
        )
        .await;
    resolved.assert_status(200);
    assert_eq!(resolved.body["result"], "created");
    let registration = resolved.body["registration_id"]
        .as_str()
        .unwrap_or_default();
    assert!(!registration.is_empty(), "{}", resolved.body);
    let r = app
        .get_json(&format!("{REGISTRATIONS}/{registration}"), token)
        .await;
    r.assert_status(200);
    assert_eq!(r.body["period_id"], period.as_str());
    assert_eq!(r.body["commune_code"], "00008");
    assert_eq!(r.body["person_id"], resolved.body["person_id"]);
    assert_eq!(r.body["reviewing_unit_id"], commune_unit("00008"));

    // Without a target group the person is placed, and the outcome says why nobody was registered.
    let resolved = app
        .post_json(
            &format!("/api/v1/legacy-queue/{second}/resolve"),
            token,
            &json!({"commune_code": "00008"}),
        )
        .await;
    resolved.assert_status(200);
    assert_eq!(resolved.body["result"], "created");
    assert!(resolved.body["registration_id"].is_null());
    assert_eq!(
        resolved.body["messages"][0]["code"], "required",
        "{}",
        resolved.body
    );
    assert_eq!(count(app, "SELECT COUNT(*) FROM registrations").await, 1);
    assert_eq!(count(app, "SELECT COUNT(*) FROM people").await, 2);
}
