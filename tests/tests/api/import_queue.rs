//! `/api/v1/legacy-queue`: rows whose old commune was split, or is missing from the conversion
//! table, wait for an officer of the province to choose the current commune; nothing is guessed.

use crate::import::{count, fixture, import, page_items};
use serde_json::json;
use tests::TestApp;

tests::on_both_backends!(
    a_split_commune_waits_for_a_province_officer_to_choose_among_its_successors,
    several_items_are_resolved_at_once_or_not_at_all,
    an_unmapped_old_commune_is_queued_with_the_communes_of_its_old_district,
);

const QUEUE: &str = "/api/v1/legacy-queue";

async fn a_split_commune_waits_for_a_province_officer_to_choose_among_its_successors(
    app: &TestApp,
) {
    let officer = app.sign_in("hanoi", "province_officer", "01").await;
    let token = officer.token();
    import(
        app,
        token,
        "legacy.csv",
        fixture("legacy.csv"),
        "valid_only",
    )
    .await;
    let list = app.get_json(QUEUE, token).await;
    list.assert_status(200);
    let items = page_items(&list);
    assert_eq!(items.len(), 2, "{}", list.body);
    let item = &items[0];
    assert_eq!(item["reason"], "split");
    assert_eq!(item["province_code"], "01");
    assert_eq!(item["legacy_commune_code"], "00007");
    assert_eq!(item["full_name"], "Đỗ Văn Cống");
    let candidates: Vec<&str> = item["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    assert_eq!(candidates, ["00008", "00025"]);
    assert_eq!(item["candidates"][0]["name"], "Phường Ngọc Hà");

    // Other provinces, and communes that are not candidates, do not see it.
    let caobang = app.sign_in("caobang", "province_officer", "04").await;
    assert_eq!(app.get_json(QUEUE, caobang.token()).await.body["total"], 0);
    let badinh = app.sign_in("badinh", "commune_officer", "00004").await;
    assert_eq!(app.get_json(QUEUE, badinh.token()).await.body["total"], 0);
    let ngocha = app.sign_in("ngocha", "commune_officer", "00008").await;
    assert_eq!(app.get_json(QUEUE, ngocha.token()).await.body["total"], 2);
    let id = item["id"].as_str().unwrap_or_default();
    app.get_json(&format!("{QUEUE}/{id}"), caobang.token())
        .await
        .assert_problem(404, "not_found");
    app.post_json(
        &format!("{QUEUE}/{id}/resolve"),
        caobang.token(),
        &json!({"commune_code": "00008"}),
    )
    .await
    .assert_problem(404, "not_found");

    // Nothing guessed: only a successor may be chosen, and a commune officer only their own.
    app.post_json(
        &format!("{QUEUE}/{id}/resolve"),
        token,
        &json!({"commune_code": "00004"}),
    )
    .await
    .assert_invalid_field("commune_code");
    app.post_json(
        &format!("{QUEUE}/{id}/resolve"),
        ngocha.token(),
        &json!({"commune_code": "00025"}),
    )
    .await
    .assert_invalid_field("commune_code");
    assert_eq!(count(app, "SELECT COUNT(*) FROM people").await, 3);

    let resolved = app
        .post_json(
            &format!("{QUEUE}/{id}/resolve"),
            ngocha.token(),
            &json!({"commune_code": "8"}),
        )
        .await;
    resolved.assert_status(200);
    assert_eq!(resolved.body["result"], "created");
    let person_id = resolved.body["person_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let person = app
        .get_json(&format!("/api/v1/people/{person_id}"), token)
        .await;
    person.assert_status(200);
    assert_eq!(person.body["commune_code"], "00008");
    assert_eq!(person.body["personal_id_masked"], "001******014");
    app.post_json(
        &format!("{QUEUE}/{id}/resolve"),
        token,
        &json!({"commune_code": "00008"}),
    )
    .await
    .assert_problem(409, "conflict");
    let pending = app.get_json(QUEUE, token).await;
    assert_eq!(pending.body["total"], 1);
    let done = app
        .get_json(&format!("{QUEUE}?status=resolved"), token)
        .await;
    assert_eq!(done.body["total"], 1);
    assert_eq!(page_items(&done)[0]["resolved_commune_code"], "00008");

    // Importing the same file again finds the person made from the held row.
    let again = import(
        app,
        token,
        "legacy.csv",
        fixture("legacy.csv"),
        "valid_only",
    )
    .await;
    assert_eq!(again["counts"]["queued"], 1, "{again}");
    assert_eq!(again["counts"]["unchanged"], 4, "{again}");
    assert_eq!(count(app, "SELECT COUNT(*) FROM legacy_queue").await, 2);
    assert_eq!(count(app, "SELECT COUNT(*) FROM people").await, 4);
}

async fn several_items_are_resolved_at_once_or_not_at_all(app: &TestApp) {
    let officer = app.sign_in("hanoi", "province_officer", "01").await;
    let token = officer.token();
    import(
        app,
        token,
        "legacy.csv",
        fixture("legacy.csv"),
        "valid_only",
    )
    .await;
    let items = page_items(&app.get_json(QUEUE, token).await);
    let (a, b) = (
        items[0]["id"].as_str().unwrap_or_default(),
        items[1]["id"].as_str().unwrap_or_default(),
    );
    let bad = app
        .post_json(
            &format!("{QUEUE}/resolve"),
            token,
            &json!({"items": [
                {"id": a, "commune_code": "00008"},
                {"id": b, "commune_code": "00097"},
            ]}),
        )
        .await;
    bad.assert_invalid_field("items[1].commune_code");
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM legacy_queue WHERE status = 'pending'"
        )
        .await,
        2
    );
    assert_eq!(count(app, "SELECT COUNT(*) FROM people").await, 3);
    app.post_json(&format!("{QUEUE}/resolve"), token, &json!({"items": []}))
        .await
        .assert_invalid_field("items");
    let ok = app
        .post_json(
            &format!("{QUEUE}/resolve"),
            token,
            &json!({"items": [
                {"id": a, "commune_code": "00008"},
                {"id": b, "commune_code": "25"},
            ]}),
        )
        .await;
    ok.assert_status(200);
    assert_eq!(ok.body.as_array().map(Vec::len), Some(2));
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM legacy_queue WHERE status = 'pending'"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM people WHERE commune_code IN ('00008', '00025')"
        )
        .await,
        2
    );
}

async fn an_unmapped_old_commune_is_queued_with_the_communes_of_its_old_district(app: &TestApp) {
    let officer = app.sign_in("caobang", "province_officer", "04").await;
    let token = officer.token();
    // Xã Mỹ Hưng (01651, Huyện Quảng Hòa, Cao Bằng) has no row in the conversion table.
    let file = "Họ và tên,Giới tính,Năm sinh,Tỉnh cũ,Huyện cũ,Xã cũ\nNông Văn Hưng,Nam,1965,Cao Bằng,Quảng Hòa,Mỹ Hưng\n";
    let done = import(
        app,
        token,
        "unmapped.csv",
        file.as_bytes().to_vec(),
        "valid_only",
    )
    .await;
    assert_eq!(done["counts"]["queued"], 1, "{done}");
    let items = page_items(&app.get_json(QUEUE, token).await);
    assert_eq!(items[0]["reason"], "unmapped");
    assert_eq!(items[0]["legacy_commune_code"], "01651");
    let candidates = items[0]["candidates"].as_array().expect("candidates");
    assert!(!candidates.is_empty());
    assert!(candidates.iter().all(|c| c["province_code"] == "04"));
    let id = items[0]["id"].as_str().unwrap_or_default();
    // Unmapped: any commune of the province may be chosen, none of another.
    app.post_json(
        &format!("{QUEUE}/{id}/resolve"),
        token,
        &json!({"commune_code": "00004"}),
    )
    .await
    .assert_invalid_field("commune_code");
    let ok = app
        .post_json(
            &format!("{QUEUE}/{id}/resolve"),
            token,
            &json!({"commune_code": "01273"}),
        )
        .await;
    ok.assert_status(200);
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM people WHERE commune_code = '01273'"
        )
        .await,
        1
    );
}
