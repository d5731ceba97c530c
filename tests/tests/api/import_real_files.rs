//! Spreadsheets as localities keep them since the 2-level reform: both addresses under "(cũ)" and
//! "(mới)" headers, names without diacritics or type words, a current commune by name inside its
//! province, headers that could mean either address, villages the commune does not list yet and
//! target groups in their usual spellings. Nothing lands on a guessed commune.

use crate::import::{IMPORTS, outcomes, start, upload, wait};
use serde_json::{Value, json};
use tests::TestApp;

tests::on_both_backends!(
    a_reform_spreadsheet_with_both_addresses_is_read_as_written,
    an_address_header_that_could_mean_either_is_asked_before_importing,
    villages_and_target_groups_never_sink_a_row,
    an_officers_choice_from_the_queue_stands_when_the_file_is_imported_again,
);

fn row(rows: &[Value], n: u64) -> &Value {
    rows.iter()
        .find(|r| r["row"] == n)
        .unwrap_or_else(|| panic!("row {n} reported"))
}

fn codes(outcome: &Value) -> Vec<String> {
    outcome["messages"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|m| m["code"].as_str().map(str::to_string))
        .collect()
}

async fn a_reform_spreadsheet_with_both_addresses_is_read_as_written(app: &TestApp) {
    let officer = app.sign_in("hanoi", "province_officer", "01").await;
    let token = officer.token();
    let file = "STT,Họ và tên,Giới tính,Năm sinh,Tỉnh/Thành phố (cũ),Quận/Huyện (cũ),Xã/Phường (cũ),Tỉnh/Thành phố (mới),Xã/Phường (mới),Thôn/Tổ dân phố,Nhóm đối tượng\n\
        1,Lê Văn Một,Nam,1980,Ha Noi,Ba Dinh,Quan Thanh,,,,\n\
        2,Lê Văn Hai,Nam,1980,,,,Hà Nội,Ngọc Hà,,\n\
        3,Lê Văn Ba,Nam,1980,Hà Nội,Ba Đình,Phúc Xá,Hà Nội,Ba Đình,,\n\
        4,Lê Văn Bốn,Nam,1980,Hà Nội,Ba Đình,Cống Vị,Thành phố Hà Nội,Phường Ngọc Hà,,\n\
        5,Lê Văn Năm,Nam,1980,Hà Nội,Huyện Gia Lâm,Xã Đặng Xá,,,,\n\
        6,Lê Văn Sáu,Nam,1980,,,,,Giảng Võ,,\n\
        7,Lê Văn Bảy,Nam,1980,,,,01,00008,Tổ dân phố 5,\"Cán bộ, công chức, viên chức, trí thức\"\n\
        8,Lê Văn Tám,Nam,1980,,,,Hà Nội,00004,,Nông dân\n\
        9,Lê Văn Chín,Nam,1980,,,,Tuyên Quang,00004,,\n";
    let uploaded = upload(app, token, "cu-moi.csv", file.as_bytes().to_vec()).await;
    assert_eq!(
        uploaded["suggested_mapping"],
        json!([
            null,
            "full_name",
            "gender",
            "birth",
            "legacy_province",
            "legacy_district",
            "legacy_commune",
            "province",
            "commune_code",
            "village",
            "target_group"
        ]),
        "(cũ) is the old address, (mới) the current one"
    );
    assert_eq!(uploaded["ambiguous_headers"], json!([]));
    // The first rows' addresses, before any dry run.
    let preview = uploaded["address_preview"].as_array().expect("a preview");
    let status = |n: u64| {
        let p = preview
            .iter()
            .find(|p| p["row"] == n)
            .unwrap_or_else(|| panic!("row {n} previewed"));
        (
            p["status"].as_str().unwrap_or_default().to_string(),
            p["commune_code"].as_str().unwrap_or_default().to_string(),
        )
    };
    assert_eq!(status(2), ("converted".into(), "00004".into()));
    assert_eq!(status(3), ("current".into(), "00008".into()));
    assert_eq!(status(4).0, "error", "the two addresses disagree");
    assert_eq!(status(6), ("converted".into(), "00541".into()));
    assert!(
        preview.iter().any(|p| p["row"] == 2
            && p["commune_name"]
                .as_str()
                .is_some_and(|n| n.contains("Ba Đình") && n.contains("Hà Nội"))),
        "{uploaded}"
    );

    let job = start(
        app,
        token,
        uploaded["id"].as_str().unwrap_or_default(),
        "valid_only",
    )
    .await;
    let done = wait(app, token, job["id"].as_str().unwrap_or_default()).await;
    let rows = outcomes(app, token, &done).await;
    let landed = |n: u64| {
        let o = row(&rows, n);
        assert_eq!(o["status"], "created", "row {n}: {o}");
        o["commune_code"].as_str().unwrap_or_default().to_string()
    };
    // "Quan Thanh" is the ward Quán Thánh of Ba Đình, now Phường Ba Đình.
    assert_eq!(landed(2), "00004");
    assert_eq!(
        landed(3),
        "00008",
        "a current commune by name inside its province"
    );
    let conflict = row(&rows, 4);
    assert_eq!(conflict["status"], "error", "{conflict}");
    assert!(
        codes(conflict).contains(&"address_conflict".to_string()),
        "{conflict}"
    );
    assert_eq!(
        landed(5),
        "00008",
        "a split old commune with a current one among its candidates"
    );
    assert_eq!(landed(6), "00541", "a single row marked partly merged");
    assert!(codes(row(&rows, 6)).contains(&"converted".to_string()));
    assert_eq!(
        landed(7),
        "00025",
        "the officer's province stands for a missing one"
    );
    assert_eq!(landed(8), "00008");
    assert_eq!(landed(9), "00004");
    let elsewhere = row(&rows, 10);
    assert_eq!(elsewhere["status"], "error");
    assert!(
        codes(elsewhere).contains(&"province_mismatch".to_string()),
        "{elsewhere}"
    );
    assert_eq!(done["counts"]["villages_created"], 1, "{done}");
    let people = app.get_json("/api/v1/people?q=le+van+bay", token).await;
    assert_eq!(
        people.body["items"][0]["target_group"], "official",
        "{}",
        people.body
    );
    let people = app.get_json("/api/v1/people?q=le+van+tam", token).await;
    assert_eq!(
        people.body["items"][0]["target_group"], "farmer",
        "{}",
        people.body
    );

    // The centre names no province: a commune by name needs the row's.
    let admin = app.sign_in("centre", "central_admin", "VN").await;
    let file = "Họ và tên,Giới tính,Năm sinh,Xã/Phường (mới)\nLê Thị Mười,Nữ,1990,Xã Tân Tiến\n";
    let uploaded = upload(app, admin.token(), "ten-xa.csv", file.as_bytes().to_vec()).await;
    let job = start(
        app,
        admin.token(),
        uploaded["id"].as_str().unwrap_or_default(),
        "dry_run",
    )
    .await;
    let done = wait(app, admin.token(), job["id"].as_str().unwrap_or_default()).await;
    let rows = outcomes(app, admin.token(), &done).await;
    let o = row(&rows, 2);
    assert_eq!(o["status"], "error");
    assert_eq!(o["messages"][0]["column"], "province", "{o}");
    assert_eq!(o["messages"][0]["code"], "province_required", "{o}");
}

async fn an_address_header_that_could_mean_either_is_asked_before_importing(app: &TestApp) {
    let officer = app.sign_in("ask", "province_officer", "01").await;
    let token = officer.token();
    let file = "Họ và tên,Giới tính,Năm sinh,Xã/Phường\nĐinh Văn Hỏi,Nam,1975,Ngọc Hà\n";
    let uploaded = upload(app, token, "hoi.csv", file.as_bytes().to_vec()).await;
    let id = uploaded["id"].as_str().unwrap_or_default().to_string();
    assert_eq!(
        uploaded["suggested_mapping"][3],
        Value::Null,
        "not suggested"
    );
    assert_eq!(uploaded["ambiguous_headers"][0]["header"], "Xã/Phường");
    assert_eq!(
        uploaded["ambiguous_headers"][0]["choices"],
        json!(["commune_code", "legacy_commune"])
    );
    assert_eq!(uploaded["address_preview"], json!([]));
    app.post_json(
        IMPORTS,
        token,
        &json!({"upload_id": id, "mode": "valid_only"}),
    )
    .await
    .assert_invalid_field("mapping");

    let mapping = json!({"Xã/Phường": "commune_code"});
    let preview = app
        .post_json(
            &format!("{IMPORTS}/uploads/{id}/preview"),
            token,
            &json!({ "mapping": mapping }),
        )
        .await;
    preview.assert_status(200);
    assert_eq!(preview.body["ambiguous_headers"], json!([]));
    assert!(preview.body["mapping_error"].is_null(), "{}", preview.body);
    assert_eq!(preview.body["address_preview"][0]["status"], "current");
    assert_eq!(preview.body["address_preview"][0]["commune_code"], "00008");
    // Read as the old address instead, the preview shows where that leads.
    let old = app
        .post_json(
            &format!("{IMPORTS}/uploads/{id}/preview"),
            token,
            &json!({"mapping": {"Xã/Phường": "legacy_commune"}}),
        )
        .await;
    old.assert_status(200);
    // Old Ngọc Hà was split between Ba Đình and Ngọc Hà: it would wait for a choice.
    assert_eq!(
        old.body["address_preview"][0]["candidates"],
        json!(["00004", "00008"])
    );
    assert_eq!(
        old.body["address_preview"][0]["status"], "queued",
        "{}",
        old.body
    );
    // Another province's officer does not see the upload.
    let other = app.sign_in("other", "province_officer", "04").await;
    app.post_json(
        &format!("{IMPORTS}/uploads/{id}/preview"),
        other.token(),
        &json!({ "mapping": mapping }),
    )
    .await
    .assert_status(404);

    let started = app
        .post_json(
            IMPORTS,
            token,
            &json!({"upload_id": id, "mode": "valid_only", "mapping": mapping}),
        )
        .await;
    started.assert_status(202);
    let done = wait(app, token, started.body["id"].as_str().unwrap_or_default()).await;
    assert_eq!(done["counts"]["created"], 1, "{done}");
}

async fn villages_and_target_groups_never_sink_a_row(app: &TestApp) {
    let officer = app.sign_in("groups", "province_officer", "01").await;
    let token = officer.token();
    let file = "Họ và tên,Giới tính,Năm sinh,Mã xã,Thôn,Nhóm đối tượng\n\
        Vũ Văn Một,Nam,1970,00004,Thôn Chưa Có,Khác\n\
        Vũ Văn Hai,Nam,1970,00004,,CN\n\
        Vũ Văn Ba,Nam,1970,00004,,\n";
    let uploaded = upload(app, token, "nhom.csv", file.as_bytes().to_vec()).await;
    let id = uploaded["id"].as_str().unwrap_or_default().to_string();
    // An unknown default group is refused, naming the field.
    app.post_json(
        IMPORTS,
        token,
        &json!({"upload_id": id, "mode": "valid_only", "default_target_group": "nobody"}),
    )
    .await
    .assert_invalid_field("default_target_group");
    let started = app
        .post_json(
            IMPORTS,
            token,
            &json!({
                "upload_id": id,
                "mode": "valid_only",
                "create_villages": false,
                "default_target_group": "Nông dân"
            }),
        )
        .await;
    started.assert_status(202);
    let done = wait(app, token, started.body["id"].as_str().unwrap_or_default()).await;
    assert_eq!(done["counts"]["created"], 3, "{done}");
    assert_eq!(done["counts"]["villages_created"], 0, "{done}");
    let rows = outcomes(app, token, &done).await;
    let first = codes(row(&rows, 2));
    assert!(first.contains(&"unknown_village".to_string()), "{first:?}");
    assert!(
        first.contains(&"default_target_group".to_string()),
        "{first:?}"
    );
    let group = |q: &'static str| async move {
        let found = app.get_json(&format!("/api/v1/people?q={q}"), token).await;
        found.body["items"][0].clone()
    };
    let one = group("vu+van+mot").await;
    assert_eq!(one["target_group"], "farmer");
    assert!(one["village_id"].is_null(), "written without the village");
    assert_eq!(group("vu+van+hai").await["target_group"], "worker");
    assert_eq!(group("vu+van+ba").await["target_group"], "farmer");
}

async fn an_officers_choice_from_the_queue_stands_when_the_file_is_imported_again(app: &TestApp) {
    let officer = app.sign_in("again", "province_officer", "01").await;
    let token = officer.token();
    // An old commune Ba Đình never had: an officer must choose.
    let file = "Họ và tên,Giới tính,Năm sinh,Số định danh cá nhân,Tỉnh cũ,Huyện cũ,Xã cũ,Thôn\n\
        Hoàng Văn Chọn,Nam,1980,001080000777,Hà Nội,Ba Đình,Không Có Tên,Tổ 9\n";
    let run = |mode: &'static str| async move {
        let uploaded = upload(app, token, "chon.csv", file.as_bytes().to_vec()).await;
        let job = start(
            app,
            token,
            uploaded["id"].as_str().unwrap_or_default(),
            mode,
        )
        .await;
        let done = wait(app, token, job["id"].as_str().unwrap_or_default()).await;
        outcomes(app, token, &done).await
    };
    let first = run("valid_only").await;
    let held = row(&first, 2);
    assert_eq!(held["status"], "queued", "{held}");
    let item = held["queue_item_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // Chosen outside the district's candidates (allowed for an unmapped commune).
    let resolved = app
        .post_json(
            &format!("/api/v1/legacy-queue/{item}/resolve"),
            token,
            &json!({"commune_code": "00070"}),
        )
        .await;
    resolved.assert_status(200);
    let messages = codes(&resolved.body);
    assert!(
        messages.contains(&"village_created".to_string()),
        "the held row's village is not dropped: {}",
        resolved.body
    );
    let again = run("valid_only").await;
    let row2 = row(&again, 2);
    assert_ne!(row2["status"], "queued", "{row2}");
    assert_eq!(row2["commune_code"], "00070", "{row2}");
    assert!(codes(row2).contains(&"chosen_before".to_string()), "{row2}");
}
