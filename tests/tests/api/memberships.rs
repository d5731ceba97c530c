//! `/api/v1/memberships`: people join Association units, change role, leave, and are transferred
//! with the old membership kept as history; person and unit must both lie in the caller's unit.

use serde_json::{Value, json};
use tests::{ApiResponse, Session, TestApp};
use uuid::Uuid;

tests::on_both_backends!(
    a_commune_officer_adds_a_person_to_the_association_of_their_commune,
    a_person_is_an_active_member_of_a_unit_only_once,
    invalid_memberships_are_refused_naming_the_field,
    a_commune_officer_cannot_add_members_to_an_association_of_another_commune,
    a_member_transferred_to_a_branch_keeps_the_old_membership_as_history,
    members_of_branches_are_listed_under_the_commune_only_with_descendants,
    leaving_ends_a_membership_and_transferred_cannot_be_set_by_hand,
    memberships_of_another_commune_do_not_exist_for_an_officer,
    a_left_membership_is_not_reactivated_while_the_person_is_active_in_the_unit_again,
    a_transfer_into_a_unit_the_person_is_already_active_in_is_refused,
    a_transferred_membership_is_history_and_is_not_changed,
);

const MEMBERSHIPS: &str = "/api/v1/memberships";
const UNITS: &str = "/api/v1/association-units";
/// Phường Ba Đình, Hà Nội.
const BADINH: &str = "00004";
/// Another commune of Hà Nội.
const OTHER_HANOI_COMMUNE: &str = "00008";

/// Namespace of the ids the registry migration gives the seeded Association units (a copy of
/// `migrations::m20251128_000004_registry::ASSOCIATION_UNIT_NAMESPACE`; the ids are a contract).
const ASSOCIATION_UNIT_NAMESPACE: Uuid = Uuid::from_u128(0x6c0d_8a51_3f2e_4b7a_9d10_5e2a_c4f3_1b01);

fn association_unit_id(level: &str, code: &str) -> String {
    Uuid::new_v5(
        &ASSOCIATION_UNIT_NAMESPACE,
        format!("{level}:{code}").as_bytes(),
    )
    .to_string()
}

fn commune_unit(code: &str) -> String {
    association_unit_id("commune", code)
}

fn id_of(value: &Value) -> String {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a record has an id: {value}"))
        .to_string()
}

/// Creates a person of `commune` and returns their id.
async fn person(app: &TestApp, by: &Session, full_name: &str, commune: &str) -> String {
    let response = app
        .post_json(
            "/api/v1/people",
            by.token(),
            &json!({
                "full_name": full_name,
                "gender": "male",
                "birth_year": 1985,
                "commune_code": commune,
            }),
        )
        .await;
    response.assert_status(201);
    id_of(&response.body)
}

/// Creates a branch under the Association of `commune` and returns its id.
async fn branch(app: &TestApp, by: &Session, commune: &str, name: &str) -> String {
    let response = app
        .post_json(
            UNITS,
            by.token(),
            &json!({"name": name, "level": "branch", "parent_id": commune_unit(commune)}),
        )
        .await;
    response.assert_status(201);
    assert_eq!(response.body["commune_code"], commune);
    id_of(&response.body)
}

fn joining(person_id: &str, unit_id: &str, role: &str) -> Value {
    json!({"person_id": person_id, "association_unit_id": unit_id, "role": role})
}

async fn join(app: &TestApp, by: &Session, body: &Value) -> ApiResponse {
    app.post_json(MEMBERSHIPS, by.token(), body).await
}

/// Adds a member and returns the membership; panics unless that succeeds.
async fn joined(app: &TestApp, by: &Session, person_id: &str, unit_id: &str) -> Value {
    let response = join(app, by, &joining(person_id, unit_id, "hoi_vien")).await;
    response.assert_status(201);
    response.body
}

async fn members(app: &TestApp, by: &Session, unit_id: &str, query: &str) -> ApiResponse {
    let response = app
        .get_json(&format!("{UNITS}/{unit_id}/members{query}"), by.token())
        .await;
    response.assert_status(200);
    response
}

fn items(page: &ApiResponse) -> &Vec<Value> {
    page.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page has items: {}", page.body))
}

/// The ids of the memberships of a page, in order.
fn ids(page: &ApiResponse) -> Vec<String> {
    items(page).iter().map(id_of).collect()
}

async fn a_commune_officer_adds_a_person_to_the_association_of_their_commune(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let an = person(app, &badinh, "Nguyễn Văn An", BADINH).await;
    let unit = commune_unit(BADINH);

    let before = app
        .get_json(&format!("/api/v1/people/{an}"), badinh.token())
        .await;
    assert_eq!(before.body["is_member"], false);

    let response = join(
        app,
        &badinh,
        &json!({
            "person_id": an,
            "association_unit_id": unit,
            "role": "hoi_vien",
            "joined_on": "2024-09-05",
            "card_number": "  BD-0001 ",
            "note": "Kết nạp tại  hội nghị",
        }),
    )
    .await;
    response.assert_status(201);
    let membership = &response.body;
    assert_eq!(membership["person_id"], an.as_str());
    assert_eq!(membership["person_name"], "Nguyễn Văn An");
    assert_eq!(membership["association_unit_id"], unit.as_str());
    assert_eq!(
        membership["association_unit_name"],
        "Hội Khuyến học Phường Ba Đình"
    );
    assert_eq!(membership["role"], "hoi_vien");
    assert_eq!(membership["status"], "active");
    assert_eq!(membership["joined_on"], "2024-09-05");
    assert_eq!(membership["card_number"], "BD-0001");
    assert_eq!(membership["note"], "Kết nạp tại hội nghị");
    assert!(membership["ended_on"].is_null());
    assert!(membership["transferred_to_id"].is_null());
    assert_eq!(membership["version"], 1);

    let after = app
        .get_json(&format!("/api/v1/people/{an}"), badinh.token())
        .await;
    assert_eq!(after.body["is_member"], true);

    let listed = members(app, &badinh, &unit, "").await;
    assert_eq!(listed.body["total"], 1);
    assert_eq!(&items(&listed)[0], membership);

    let of_person = app
        .get_json(&format!("/api/v1/people/{an}/memberships"), badinh.token())
        .await;
    of_person.assert_status(200);
    assert_eq!(of_person.items(), &vec![membership.clone()]);

    let counted = app
        .get_json(&format!("{UNITS}/{unit}"), badinh.token())
        .await;
    counted.assert_status(200);
    assert_eq!(counted.body["member_count"], 1);

    let without_date = joined(
        app,
        &badinh,
        &person(app, &badinh, "Trần Văn Bảo", BADINH).await,
        &unit,
    )
    .await;
    assert!(
        without_date["joined_on"].is_string(),
        "joined_on defaults to today: {without_date}"
    );
}

async fn a_person_is_an_active_member_of_a_unit_only_once(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let an = person(app, &badinh, "Nguyễn Văn An", BADINH).await;
    let unit = commune_unit(BADINH);
    let first = joined(app, &badinh, &an, &unit).await;

    let again = join(app, &badinh, &joining(&an, &unit, "uy_vien")).await;
    again.assert_problem(409, "conflict");
    let listed = members(app, &badinh, &unit, "").await;
    assert_eq!(ids(&listed), vec![id_of(&first)]);
    assert_eq!(items(&listed)[0]["role"], "hoi_vien");

    app.patch_json(
        &format!("{MEMBERSHIPS}/{}", id_of(&first)),
        badinh.token(),
        &json!({"status": "left"}),
    )
    .await
    .assert_status(200);
    let rejoined = join(app, &badinh, &joining(&an, &unit, "uy_vien")).await;
    rejoined.assert_status(201);
    assert_eq!(rejoined.body["role"], "uy_vien");
    let history = app
        .get_json(&format!("/api/v1/people/{an}/memberships"), badinh.token())
        .await;
    assert_eq!(history.items().len(), 2, "{}", history.body);
}

async fn invalid_memberships_are_refused_naming_the_field(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let neighbour = app
        .sign_in("hn.other", "commune_officer", OTHER_HANOI_COMMUNE)
        .await;
    let an = person(app, &badinh, "Nguyễn Văn An", BADINH).await;
    let nam = person(app, &neighbour, "Hoàng Văn Nam", OTHER_HANOI_COMMUNE).await;
    let unit = commune_unit(BADINH);
    let valid = joining(&an, &unit, "hoi_vien");
    let with = |field: &str, value: Value| {
        let mut body = valid.clone();
        body[field] = value;
        body
    };
    let without = |field: &str| {
        let mut body = valid.clone();
        body.as_object_mut().expect("an object").remove(field);
        body
    };
    let cases = [
        ("an unknown role", with("role", json!("vua")), "role"),
        (
            "a role in capitals",
            with("role", json!("HOI_VIEN")),
            "role",
        ),
        ("no role", without("role"), "role"),
        (
            "a person of another commune",
            with("person_id", json!(nam)),
            "person_id",
        ),
        (
            "an unknown person",
            with("person_id", json!(Uuid::new_v4())),
            "person_id",
        ),
        (
            "a person id that is no uuid",
            with("person_id", json!("an")),
            "person_id",
        ),
        ("no person", without("person_id"), "person_id"),
        (
            "an unknown unit",
            with("association_unit_id", json!(Uuid::new_v4())),
            "association_unit_id",
        ),
        (
            "no unit",
            without("association_unit_id"),
            "association_unit_id",
        ),
        (
            "a card number too long",
            with("card_number", json!("9".repeat(51))),
            "card_number",
        ),
        (
            "a date that is no date",
            with("joined_on", json!("05/09/2024")),
            "joined_on",
        ),
    ];
    for (case, body, field) in cases {
        let response = join(app, &badinh, &body).await;
        assert_eq!(response.status, 422, "{case}: {}", response.body);
        response.assert_invalid_field(field);
    }
    let listed = members(app, &badinh, &unit, "").await;
    assert_eq!(listed.body["total"], 0, "nothing was created");
    let nam_seen = app
        .get_json(&format!("/api/v1/people/{nam}"), neighbour.token())
        .await;
    assert_eq!(nam_seen.body["is_member"], false);
}

async fn a_commune_officer_cannot_add_members_to_an_association_of_another_commune(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let neighbour = app
        .sign_in("hn.other", "commune_officer", OTHER_HANOI_COMMUNE)
        .await;
    let viewer = app.sign_in("hn.viewer", "viewer", BADINH).await;
    let an = person(app, &badinh, "Nguyễn Văn An", BADINH).await;
    let other_unit = commune_unit(OTHER_HANOI_COMMUNE);

    for unit in [
        other_unit.clone(),
        association_unit_id("province", "01"),
        association_unit_id("central", "VN"),
    ] {
        join(app, &badinh, &joining(&an, &unit, "hoi_vien"))
            .await
            .assert_problem(403, "forbidden");
    }
    app.get_json(&format!("{UNITS}/{other_unit}/members"), badinh.token())
        .await
        .assert_problem(403, "forbidden");
    join(
        app,
        &viewer,
        &joining(&an, &commune_unit(BADINH), "hoi_vien"),
    )
    .await
    .assert_problem(403, "forbidden");
    let theirs = members(app, &neighbour, &other_unit, "").await;
    assert_eq!(theirs.body["total"], 0);
    let an_seen = app
        .get_json(&format!("/api/v1/people/{an}"), badinh.token())
        .await;
    assert_eq!(an_seen.body["is_member"], false);
}

async fn a_member_transferred_to_a_branch_keeps_the_old_membership_as_history(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let an = person(app, &badinh, "Nguyễn Văn An", BADINH).await;
    let unit = commune_unit(BADINH);
    let chi_hoi = branch(app, &badinh, BADINH, "Chi hội Khuyến học tổ dân phố 3").await;
    let old = joined(app, &badinh, &an, &unit).await;
    let old_id = id_of(&old);
    let transfer = format!("{MEMBERSHIPS}/{old_id}/transfer");

    let response = app
        .post_json(
            &transfer,
            badinh.token(),
            &json!({"to_association_unit_id": chi_hoi, "on": "2025-03-01", "role": "chi_hoi_truong"}),
        )
        .await;
    response.assert_status(201);
    let new = &response.body;
    let new_id = id_of(new);
    assert_ne!(new_id, old_id);
    assert_eq!(new["person_id"], an.as_str());
    assert_eq!(new["association_unit_id"], chi_hoi.as_str());
    assert_eq!(
        new["association_unit_name"],
        "Chi hội Khuyến học tổ dân phố 3"
    );
    assert_eq!(new["status"], "active");
    assert_eq!(new["role"], "chi_hoi_truong");
    assert_eq!(new["joined_on"], "2025-03-01");
    assert!(new["ended_on"].is_null());
    assert!(new["transferred_to_id"].is_null());

    let history = app
        .get_json(&format!("/api/v1/people/{an}/memberships"), badinh.token())
        .await;
    history.assert_status(200);
    let listed = history.items();
    assert_eq!(listed.len(), 2, "{}", history.body);
    assert_eq!(&listed[0], new, "newest first");
    let ended = &listed[1];
    assert_eq!(ended["id"], old_id.as_str());
    assert_eq!(ended["association_unit_id"], unit.as_str());
    assert_eq!(ended["status"], "transferred");
    assert_eq!(ended["transferred_to_id"], new_id.as_str());
    assert_eq!(ended["ended_on"], "2025-03-01");
    assert_eq!(ended["role"], "hoi_vien");
    assert_eq!(ended["version"], 2);

    let person = app
        .get_json(&format!("/api/v1/people/{an}"), badinh.token())
        .await;
    assert_eq!(person.body["is_member"], true);
    let in_branch = members(app, &badinh, &chi_hoi, "").await;
    assert_eq!(ids(&in_branch), vec![new_id.clone()]);
    let transferred = members(app, &badinh, &unit, "?status=transferred").await;
    assert_eq!(ids(&transferred), vec![old_id.clone()]);

    let twice = app
        .post_json(
            &transfer,
            badinh.token(),
            &json!({"to_association_unit_id": unit}),
        )
        .await;
    twice.assert_problem(409, "conflict");
    let same = app
        .post_json(
            &format!("{MEMBERSHIPS}/{new_id}/transfer"),
            badinh.token(),
            &json!({"to_association_unit_id": chi_hoi}),
        )
        .await;
    same.assert_invalid_field("to_association_unit_id");
    let away = app
        .post_json(
            &format!("{MEMBERSHIPS}/{new_id}/transfer"),
            badinh.token(),
            &json!({"to_association_unit_id": commune_unit(OTHER_HANOI_COMMUNE)}),
        )
        .await;
    away.assert_problem(403, "forbidden");
    let history = app
        .get_json(&format!("/api/v1/people/{an}/memberships"), badinh.token())
        .await;
    assert_eq!(history.items().len(), 2, "refused transfers create nothing");
}

async fn members_of_branches_are_listed_under_the_commune_only_with_descendants(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let unit = commune_unit(BADINH);
    let chi_hoi = branch(app, &badinh, BADINH, "Chi hội Khuyến học tổ dân phố 3").await;
    let an = person(app, &badinh, "Nguyễn Văn An", BADINH).await;
    let binh = person(app, &badinh, "Trần Văn Bình", BADINH).await;
    let old = joined(app, &badinh, &an, &unit).await;
    let moved = app
        .post_json(
            &format!("{MEMBERSHIPS}/{}/transfer", id_of(&old)),
            badinh.token(),
            &json!({"to_association_unit_id": chi_hoi}),
        )
        .await;
    moved.assert_status(201);
    let moved_id = id_of(&moved.body);
    let stayed = joined(app, &badinh, &binh, &unit).await;
    let stayed_id = id_of(&stayed);

    let direct = members(app, &badinh, &unit, "").await;
    assert_eq!(direct.body["total"], 1);
    assert_eq!(ids(&direct), vec![stayed_id.clone()]);
    let explicit = members(app, &badinh, &unit, "?include_descendants=false").await;
    assert_eq!(ids(&explicit), vec![stayed_id.clone()]);

    let all = members(app, &badinh, &unit, "?include_descendants=true").await;
    assert_eq!(all.body["total"], 2, "{}", all.body);
    let mut listed = ids(&all);
    listed.sort();
    let mut expected = vec![moved_id.clone(), stayed_id.clone()];
    expected.sort();
    assert_eq!(listed, expected);

    let province = association_unit_id("province", "01");
    let in_province = members(app, &hanoi, &province, "?include_descendants=true").await;
    assert_eq!(in_province.body["total"], 2, "{}", in_province.body);
    let province_only = members(app, &hanoi, &province, "").await;
    assert_eq!(province_only.body["total"], 0);

    let paged = members(
        app,
        &badinh,
        &unit,
        "?include_descendants=true&per_page=1&page=2",
    )
    .await;
    assert_eq!(paged.body["total"], 2);
    assert_eq!(paged.body["per_page"], 1);
    assert_eq!(items(&paged).len(), 1);
}

async fn leaving_ends_a_membership_and_transferred_cannot_be_set_by_hand(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let branch_officer = app.sign_in("hn.branch", "branch_officer", BADINH).await;
    let viewer = app.sign_in("hn.viewer", "viewer", BADINH).await;
    let an = person(app, &badinh, "Nguyễn Văn An", BADINH).await;
    let unit = commune_unit(BADINH);
    let membership = joined(app, &badinh, &an, &unit).await;
    let path = format!("{MEMBERSHIPS}/{}", id_of(&membership));

    let invalid = [
        (
            "transferred by hand",
            json!({"status": "transferred"}),
            "status",
        ),
        ("an unknown status", json!({"status": "expelled"}), "status"),
        ("an unknown role", json!({"role": "vua"}), "role"),
        (
            "a card number too long",
            json!({"card_number": "9".repeat(51)}),
            "card_number",
        ),
    ];
    for (case, body, field) in invalid {
        let response = app.patch_json(&path, badinh.token(), &body).await;
        assert_eq!(response.status, 422, "{case}: {}", response.body);
        response.assert_invalid_field(field);
    }
    app.patch_json(&path, viewer.token(), &json!({"status": "left"}))
        .await
        .assert_problem(403, "forbidden");
    let unchanged = members(app, &badinh, &unit, "").await;
    assert_eq!(items(&unchanged)[0]["status"], "active");
    assert_eq!(items(&unchanged)[0]["version"], 1);

    let promoted = app
        .patch_json(
            &path,
            branch_officer.token(),
            &json!({"role": "pho_chu_tich", "card_number": "BD-7"}),
        )
        .await;
    promoted.assert_status(200);
    assert_eq!(promoted.body["role"], "pho_chu_tich");
    assert_eq!(promoted.body["card_number"], "BD-7");
    assert_eq!(promoted.body["status"], "active");
    assert!(promoted.body["ended_on"].is_null());
    assert_eq!(promoted.body["version"], 2);

    let left = app
        .patch_json(
            &path,
            badinh.token(),
            &json!({"status": "left", "ended_on": "2025-06-30"}),
        )
        .await;
    left.assert_status(200);
    assert_eq!(left.body["status"], "left");
    assert_eq!(left.body["ended_on"], "2025-06-30");
    assert_eq!(left.body["role"], "pho_chu_tich");
    assert_eq!(left.body["version"], 3);

    let person = app
        .get_json(&format!("/api/v1/people/{an}"), badinh.token())
        .await;
    assert_eq!(person.body["is_member"], false);
    let active = members(app, &badinh, &unit, "").await;
    assert_eq!(active.body["total"], 0);
    let gone = members(app, &badinh, &unit, "?status=left").await;
    assert_eq!(ids(&gone), vec![id_of(&membership)]);
    app.post_json(
        &format!("{path}/transfer"),
        badinh.token(),
        &json!({"to_association_unit_id": unit}),
    )
    .await
    .assert_problem(409, "conflict");

    let other = another_member(app, &badinh).await;
    let ended_today = app
        .patch_json(
            &format!("{MEMBERSHIPS}/{}", id_of(&other)),
            badinh.token(),
            &json!({"status": "deceased"}),
        )
        .await;
    ended_today.assert_status(200);
    assert_eq!(ended_today.body["status"], "deceased");
    assert!(
        ended_today.body["ended_on"].is_string(),
        "ended_on defaults to today: {}",
        ended_today.body
    );
}

/// A second member of the Association of Ba Đình.
async fn another_member(app: &TestApp, by: &Session) -> Value {
    let binh = person(app, by, "Trần Văn Bình", BADINH).await;
    joined(app, by, &binh, &commune_unit(BADINH)).await
}

async fn memberships_of_another_commune_do_not_exist_for_an_officer(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let neighbour = app
        .sign_in("hn.other", "commune_officer", OTHER_HANOI_COMMUNE)
        .await;
    let hcm = app.sign_in("hcm.province", "province_officer", "79").await;
    let an = person(app, &badinh, "Nguyễn Văn An", BADINH).await;
    let unit = commune_unit(BADINH);
    let membership = joined(app, &badinh, &an, &unit).await;
    let path = format!("{MEMBERSHIPS}/{}", id_of(&membership));

    for outsider in [&neighbour, &hcm] {
        app.patch_json(&path, outsider.token(), &json!({"status": "left"}))
            .await
            .assert_problem(404, "not_found");
        app.post_json(
            &format!("{path}/transfer"),
            outsider.token(),
            &json!({"to_association_unit_id": commune_unit(OTHER_HANOI_COMMUNE)}),
        )
        .await
        .assert_problem(404, "not_found");
        app.get_json(
            &format!("/api/v1/people/{an}/memberships"),
            outsider.token(),
        )
        .await
        .assert_problem(404, "not_found");
        app.get_json(&format!("{UNITS}/{unit}/members"), outsider.token())
            .await
            .assert_problem(403, "forbidden");
    }
    let still = members(app, &badinh, &unit, "").await;
    assert_eq!(items(&still)[0]["status"], "active");
    assert_eq!(items(&still)[0]["version"], 1);
    app.patch_json(
        &format!("{MEMBERSHIPS}/{}", Uuid::new_v4()),
        badinh.token(),
        &json!({"status": "left"}),
    )
    .await
    .assert_problem(404, "not_found");
}

async fn a_left_membership_is_not_reactivated_while_the_person_is_active_in_the_unit_again(
    app: &TestApp,
) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let an = person(app, &badinh, "Nguyễn Văn An", BADINH).await;
    let unit = commune_unit(BADINH);
    let first = joined(app, &badinh, &an, &unit).await;
    let path = format!("{MEMBERSHIPS}/{}", id_of(&first));
    app.patch_json(&path, badinh.token(), &json!({"status": "left"}))
        .await
        .assert_status(200);
    let second = joined(app, &badinh, &an, &unit).await;

    let reactivated = app
        .patch_json(&path, badinh.token(), &json!({"status": "active"}))
        .await;
    reactivated.assert_problem(409, "conflict");
    let active = members(app, &badinh, &unit, "").await;
    assert_eq!(
        ids(&active),
        vec![id_of(&second)],
        "one active membership per person and unit: {}",
        active.body
    );
}

async fn a_transfer_into_a_unit_the_person_is_already_active_in_is_refused(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let an = person(app, &badinh, "Nguyễn Văn An", BADINH).await;
    let unit = commune_unit(BADINH);
    let chi_hoi = branch(app, &badinh, BADINH, "Chi hội Khuyến học tổ dân phố 3").await;
    let in_commune = joined(app, &badinh, &an, &unit).await;
    let in_branch = joined(app, &badinh, &an, &chi_hoi).await;

    let transfer = app
        .post_json(
            &format!("{MEMBERSHIPS}/{}/transfer", id_of(&in_commune)),
            badinh.token(),
            &json!({"to_association_unit_id": chi_hoi}),
        )
        .await;
    assert!(
        matches!(transfer.status, 409 | 422),
        "the person is already an active member of the branch: {} {}",
        transfer.status,
        transfer.body
    );
    let branch_members = members(app, &badinh, &chi_hoi, "").await;
    assert_eq!(ids(&branch_members), vec![id_of(&in_branch)]);
    let commune_members = members(app, &badinh, &unit, "").await;
    assert_eq!(
        ids(&commune_members),
        vec![id_of(&in_commune)],
        "the refused transfer leaves the membership active"
    );
}

async fn a_transferred_membership_is_history_and_is_not_changed(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let an = person(app, &badinh, "Nguyễn Văn An", BADINH).await;
    let unit = commune_unit(BADINH);
    let chi_hoi = branch(app, &badinh, BADINH, "Chi hội Khuyến học tổ dân phố 3").await;
    let old = joined(app, &badinh, &an, &unit).await;
    let path = format!("{MEMBERSHIPS}/{}", id_of(&old));
    app.post_json(
        &format!("{path}/transfer"),
        badinh.token(),
        &json!({"to_association_unit_id": chi_hoi}),
    )
    .await
    .assert_status(201);

    for body in [
        json!({"status": "left"}),
        json!({"role": "chu_tich"}),
        json!({"card_number": "BD-9"}),
    ] {
        let response = app.patch_json(&path, badinh.token(), &body).await;
        assert_eq!(response.status, 409, "{body}: {}", response.body);
        response.assert_problem(409, "conflict");
    }
    let history = app
        .get_json(&format!("/api/v1/people/{an}/memberships"), badinh.token())
        .await;
    let ended = history
        .items()
        .iter()
        .find(|m| m["id"] == old["id"])
        .unwrap_or_else(|| panic!("the old membership is listed: {}", history.body));
    assert_eq!(ended["role"], "hoi_vien", "history keeps the role held");
    assert!(ended["card_number"].is_null());
    assert_eq!(ended["version"], 2);
}
