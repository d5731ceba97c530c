//! Branch officers attached to a branch: their accounts and the limit of their work.

use serde_json::{Value, json};
use tests::TestApp;

tests::on_both_backends!(
    a_branch_officer_is_attached_only_to_a_branch_of_their_commune,
    a_branch_officer_works_only_on_the_registrations_of_their_branch,
    the_branch_serving_a_persons_village_reviews_them_by_default,
);

const BADINH: &str = "00004";

fn commune_unit(code: &str) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::from_u128(0x6c0d_8a51_3f2e_4b7a_9d10_5e2a_c4f3_1b01),
        format!("commune:{code}").as_bytes(),
    )
    .to_string()
}

async fn branch(app: &TestApp, token: Option<&str>, commune: &str, name: &str) -> String {
    let r = app
        .post_json(
            "/api/v1/association-units",
            token,
            &json!({"name": name, "level": "branch", "parent_id": commune_unit(commune)}),
        )
        .await;
    r.assert_status(201);
    r.body["id"].as_str().expect("an id").to_string()
}

async fn a_branch_officer_is_attached_only_to_a_branch_of_their_commune(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let ngocha = app.sign_in("hn.ngocha", "commune_officer", "00008").await;
    let east = branch(app, badinh.token(), BADINH, "Chi hội tổ dân phố 1").await;
    let elsewhere = branch(app, ngocha.token(), "00008", "Chi hội tổ dân phố 2").await;

    let created = app
        .post_json(
            "/api/v1/users",
            badinh.token(),
            &json!({"username": "hn.branch1", "password": "a long password", "role": "branch_officer",
                    "unit": BADINH, "association_unit_id": east}),
        )
        .await;
    created.assert_status(201);
    assert_eq!(created.body["association_unit_id"], east.as_str());

    let cases: [(Value, &str); 3] = [
        (
            json!({"role": "viewer", "association_unit_id": east}),
            "a viewer",
        ),
        (
            json!({"role": "branch_officer", "association_unit_id": elsewhere}),
            "a branch of another commune",
        ),
        (
            json!({"role": "branch_officer", "association_unit_id": commune_unit(BADINH)}),
            "the commune unit itself",
        ),
    ];
    for (i, (extra, case)) in cases.into_iter().enumerate() {
        let mut body = json!({"username": format!("hn.bad{i}"), "password": "a long password", "unit": BADINH});
        for (k, v) in extra.as_object().expect("object") {
            body[k] = v.clone();
        }
        let r = app.post_json("/api/v1/users", badinh.token(), &body).await;
        assert_eq!(r.status, 422, "{case}: {}", r.body);
        r.assert_invalid_field("association_unit_id");
    }
}

async fn a_branch_officer_works_only_on_the_registrations_of_their_branch(app: &TestApp) {
    let admin = app.sign_in("boss", "central_admin", "VN").await;
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let period = app
        .post_json("/api/v1/periods", admin.token(), &json!({"year": year}))
        .await;
    period.assert_status(201);
    let period_id = period.body["id"].as_str().expect("id").to_string();
    let east = branch(app, badinh.token(), BADINH, "Chi hội Đông").await;
    let west = branch(app, badinh.token(), BADINH, "Chi hội Tây").await;

    let mut registrations = Vec::new();
    for (name, unit) in [("Nguyễn Văn An", &east), ("Trần Thị Bình", &west)] {
        let person = app
            .post_json(
                "/api/v1/people",
                badinh.token(),
                &json!({"full_name": name, "gender": "male", "birth_year": 1980,
                        "commune_code": BADINH, "target_group": "farmer"}),
            )
            .await;
        person.assert_status(201);
        let r = app
            .post_json(
                "/api/v1/registrations",
                badinh.token(),
                &json!({"person_id": person.body["id"], "period_id": period_id, "reviewing_unit_id": unit}),
            )
            .await;
        r.assert_status(201);
        registrations.push(r.body["id"].as_str().expect("id").to_string());
    }

    app.post_json(
        "/api/v1/users",
        badinh.token(),
        &json!({"username": "hn.east", "password": "a long password", "role": "branch_officer",
                "unit": BADINH, "association_unit_id": east}),
    )
    .await
    .assert_status(201);
    let officer = app.login("hn.east", "a long password").await;
    let token = Some(officer.access_token.as_str());

    let list = app.get_json("/api/v1/registrations", token).await;
    list.assert_status(200);
    let ids: Vec<&str> = list.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(ids, vec![registrations[0].as_str()]);
    assert_eq!(list.body["total"], 1);

    app.get_json(
        &format!("/api/v1/registrations/{}", registrations[1]),
        token,
    )
    .await
    .assert_problem(404, "not_found");
    app.post_json(
        &format!("/api/v1/registrations/{}/start", registrations[1]),
        token,
        &json!({}),
    )
    .await
    .assert_problem(404, "not_found");
    let own = app
        .post_json(
            &format!("/api/v1/registrations/{}/start", registrations[0]),
            token,
            &json!({}),
        )
        .await;
    own.assert_status(200);
    assert_eq!(own.body["status"], "draft");
}

async fn the_branch_serving_a_persons_village_reviews_them_by_default(app: &TestApp) {
    let admin = app.sign_in("boss", "central_admin", "VN").await;
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let period = app
        .post_json("/api/v1/periods", admin.token(), &json!({"year": year}))
        .await;
    period.assert_status(201);
    assert_eq!(period.body["reviewer_level"], "branch");
    let village = app
        .post_json(
            "/api/v1/villages",
            badinh.token(),
            &json!({"commune_code": BADINH, "name": "Tổ dân phố 5", "kind": "to_dan_pho"}),
        )
        .await;
    village.assert_status(201);
    let branch = app
        .post_json(
            "/api/v1/association-units",
            badinh.token(),
            &json!({"name": "Chi hội tổ dân phố 5", "level": "branch",
                    "parent_id": commune_unit(BADINH), "village_id": village.body["id"]}),
        )
        .await;
    branch.assert_status(201);

    for (name, village_id, expected) in [
        (
            "Lê Văn Cường",
            village.body["id"].clone(),
            branch.body["id"].clone(),
        ),
        ("Phạm Thị Dung", Value::Null, json!(commune_unit(BADINH))),
    ] {
        let person = app
            .post_json(
                "/api/v1/people",
                badinh.token(),
                &json!({"full_name": name, "gender": "male", "birth_year": 1975,
                        "commune_code": BADINH, "village_id": village_id, "target_group": "worker"}),
            )
            .await;
        person.assert_status(201);
        let r = app
            .post_json(
                "/api/v1/registrations",
                badinh.token(),
                &json!({"person_id": person.body["id"], "period_id": period.body["id"]}),
            )
            .await;
        r.assert_status(201);
        assert_eq!(r.body["reviewing_unit_id"], expected, "{name}");
    }
}
