//! `/api/v1/imports`: bulk import of people from messy CSV and XLSX files, as background jobs;
//! dry run, all-or-nothing and valid-rows-only; the annotated report; re-import without
//! duplicates; old addresses converted or queued; a server stopped in the middle of an import.

use reqwest::Method;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};
use tests::{ApiResponse, Backend, TestApp};

tests::on_both_backends!(
    the_template_downloads_as_xlsx_and_csv_with_every_column,
    every_tolerance_of_a_messy_file_is_understood,
    a_file_with_every_kind_of_error_is_reported_row_by_row_in_vietnamese,
    a_dry_run_writes_nothing_and_reports_what_would_happen,
    all_or_nothing_writes_nothing_when_a_row_fails_and_valid_only_writes_the_valid_rows,
    importing_the_same_file_again_creates_no_duplicate,
    an_xlsx_file_whose_numbers_lost_their_leading_zeros_is_repaired,
    old_addresses_are_converted_and_split_communes_wait_in_the_queue,
    a_commune_officer_imports_only_into_their_commune_and_sees_only_their_imports,
    unreadable_files_and_bad_mappings_are_refused_naming_the_field,
);

pub const IMPORTS: &str = "/api/v1/imports";
/// Phường Ba Đình, Hà Nội (province 01).
const BADINH: &str = "00004";

pub fn fixture(name: &str) -> Vec<u8> {
    let path = tests::workspace_root()
        .join("tests/fixtures/import")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Uploads a file; panics unless it is accepted.
pub async fn upload(app: &TestApp, token: Option<&str>, name: &str, bytes: Vec<u8>) -> Value {
    let response = try_upload(app, token, name, bytes).await;
    response.assert_status(201);
    response.body
}

pub async fn try_upload(
    app: &TestApp,
    token: Option<&str>,
    name: &str,
    bytes: Vec<u8>,
) -> ApiResponse {
    app.send(
        app.request(
            Method::POST,
            &format!("{IMPORTS}/uploads?file_name={name}"),
            token,
        )
        .header("Content-Type", "application/octet-stream")
        .body(bytes),
    )
    .await
}

/// Starts an import of an upload; panics unless it is queued.
pub async fn start(app: &TestApp, token: Option<&str>, upload_id: &str, mode: &str) -> Value {
    let response = app
        .post_json(
            IMPORTS,
            token,
            &json!({"upload_id": upload_id, "mode": mode}),
        )
        .await;
    response.assert_status(202);
    response.body
}

/// Polls a job until it is no longer queued or running.
pub async fn wait(app: &TestApp, token: Option<&str>, job_id: &str) -> Value {
    for _ in 0..600 {
        let job = app.get_json(&format!("{IMPORTS}/{job_id}"), token).await;
        job.assert_status(200);
        let status = job.body["status"].as_str().unwrap_or_default().to_string();
        if status != "queued" && status != "running" {
            return job.body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import {job_id} did not finish");
}

/// Uploads, imports in `mode` and waits: the finished job.
pub async fn import(
    app: &TestApp,
    token: Option<&str>,
    name: &str,
    bytes: Vec<u8>,
    mode: &str,
) -> Value {
    let uploaded = upload(app, token, name, bytes).await;
    let job = start(
        app,
        token,
        uploaded["id"].as_str().unwrap_or_default(),
        mode,
    )
    .await;
    let done = wait(app, token, job["id"].as_str().unwrap_or_default()).await;
    assert_eq!(done["status"], "completed", "{done}");
    done
}

/// Every row outcome of a job.
pub async fn outcomes(app: &TestApp, token: Option<&str>, job: &Value) -> Vec<Value> {
    let id = job["id"].as_str().unwrap_or_default();
    let rows = app
        .get_json(&format!("{IMPORTS}/{id}/rows?per_page=200"), token)
        .await;
    rows.assert_status(200);
    page_items(&rows)
}

/// The items of a page answer.
pub fn page_items(response: &ApiResponse) -> Vec<Value> {
    response.body["items"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("expected a page, got {}", response.body))
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    let backend = app.db().get_database_backend();
    let row = app
        .db()
        .query_one(Statement::from_string(backend, sql.to_string()))
        .await
        .expect("the count runs")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("a number")
}

async fn people_named(app: &TestApp, token: Option<&str>, q: &str) -> Vec<Value> {
    let r = app
        .get_json(&format!("/api/v1/people?q={q}&per_page=200"), token)
        .await;
    r.assert_status(200);
    page_items(&r)
}

async fn the_template_downloads_as_xlsx_and_csv_with_every_column(app: &TestApp) {
    let csv = app
        .send(app.request(Method::GET, &format!("{IMPORTS}/template.csv"), None))
        .await;
    csv.assert_status(200);
    let text = csv.body.as_str().expect("csv text").to_string();
    assert!(text.starts_with('\u{feff}'), "a byte-order mark for Excel");
    for header in [
        "Họ và tên",
        "Giới tính",
        "Ngày sinh",
        "Số định danh cá nhân",
        "Mã xã",
        "Xã cũ",
    ] {
        assert!(text.contains(header), "{header} in {text}");
    }
    let response = app
        .client()
        .get(app.url(&format!("{IMPORTS}/template.xlsx")))
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("spreadsheetml"))
    );
    let bytes = response.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"PK"), "an XLSX is a ZIP file");
    // The downloaded template is itself a valid (empty) import file.
    let officer = app.sign_in("tpl", "province_officer", "01").await;
    let uploaded = upload(app, officer.token(), "mau.xlsx", bytes.to_vec()).await;
    assert_eq!(uploaded["format"], "xlsx");
    assert_eq!(uploaded["rows_total"], 0);
    assert!(
        uploaded["suggested_mapping"]
            .as_array()
            .expect("mapping")
            .iter()
            .all(|m| !m.is_null()),
        "{uploaded}"
    );
}

async fn every_tolerance_of_a_messy_file_is_understood(app: &TestApp) {
    let officer = app.sign_in("messy", "province_officer", "01").await;
    let token = officer.token();
    let uploaded = upload(app, token, "tolerances.csv", fixture("tolerances.csv")).await;
    assert_eq!(uploaded["delimiter"], ";");
    assert_eq!(
        uploaded["rows_total"], 3,
        "the title line and blank row are not rows"
    );
    assert_eq!(
        uploaded["suggested_mapping"],
        json!([
            "full_name",
            "gender",
            "birth",
            "personal_id",
            "phone",
            "commune_code",
            "target_group"
        ])
    );
    let job = start(
        app,
        token,
        uploaded["id"].as_str().unwrap_or_default(),
        "valid_only",
    )
    .await;
    let done = wait(app, token, job["id"].as_str().unwrap_or_default()).await;
    assert_eq!(done["counts"]["created"], 3, "{done}");
    assert_eq!(done["counts"]["error"], 0);
    assert_eq!(done["rows_done"], 3);

    let an = people_named(app, token, "nguyen van an").await;
    assert_eq!(an.len(), 1);
    assert_eq!(
        an[0]["full_name"], "Nguy\u{1ec5}n V\u{0103}n An",
        "NFC, spaces collapsed"
    );
    assert_eq!(an[0]["birth_date"], "1985-03-15");
    assert_eq!(an[0]["phone"], "+84912345678", "a mobile without its 0");
    assert_eq!(
        an[0]["commune_code"], BADINH,
        "a commune code without its zeros"
    );
    assert_eq!(an[0]["personal_id_masked"], "001******345");
    assert_eq!(an[0]["target_group"], "farmer");
    let binh = people_named(app, token, "tran thi binh").await;
    assert_eq!(binh[0]["birth_date"], "1990-07-02");
    assert_eq!(
        binh[0]["target_group"], "farmer",
        "a target group by its name"
    );
    let cuong = people_named(app, token, "le van cuong").await;
    assert_eq!(cuong[0]["birth_year"], 1978);
    assert!(cuong[0]["birth_date"].is_null(), "a bare year");
    assert_eq!(
        cuong[0]["personal_id_masked"], "012******347",
        "an 11-digit number got its zero back"
    );
    let lookup = app
        .post_json(
            "/api/v1/people/lookup",
            token,
            &json!({"personal_id": "012078012347"}),
        )
        .await;
    lookup.assert_status(200);
}

async fn a_file_with_every_kind_of_error_is_reported_row_by_row_in_vietnamese(app: &TestApp) {
    let officer = app.sign_in("errs", "province_officer", "01").await;
    let token = officer.token();
    let done = import(
        app,
        token,
        "errors.csv",
        fixture("errors.csv"),
        "valid_only",
    )
    .await;
    // Row 17 names a village its commune does not have: a province officer's import adds it.
    assert_eq!(done["counts"]["created"], 3, "{done}");
    assert_eq!(done["counts"]["error"], 15, "{done}");
    assert_eq!(done["counts"]["villages_created"], 1, "{done}");
    let rows = outcomes(app, token, &done).await;
    assert_eq!(rows.len(), 18);
    let expected: &[(u64, &str, &str)] = &[
        (3, "full_name", "required"),
        (4, "gender", "invalid_gender"),
        (5, "birth", "invalid_date"),
        (6, "birth", "birth_in_future"),
        (7, "personal_id", "not_12_digits"),
        (8, "personal_id", "gender_mismatch"),
        (9, "phone", "invalid_phone"),
        (10, "commune_code", "unknown_commune"),
        (11, "commune_code", "address_required"),
        (12, "legacy_province", "unknown_legacy_province"),
        (13, "target_group", "unknown_target_group"),
        (14, "personal_id", "duplicate_in_file"),
        (15, "full_name", "name_invalid_characters"),
        (16, "commune_code", "outside_scope"),
        (18, "legacy_district", "unknown_legacy_district"),
    ];
    for (row, column, code) in expected {
        let outcome = rows
            .iter()
            .find(|r| r["row"] == *row)
            .unwrap_or_else(|| panic!("row {row} reported"));
        assert_eq!(outcome["status"], "error", "row {row}: {outcome}");
        let messages = outcome["messages"].as_array().expect("messages");
        assert!(
            messages
                .iter()
                .any(|m| m["column"] == *column && m["code"] == *code),
            "row {row} should say {column}/{code}: {outcome}"
        );
        let text = messages[0]["message"].as_str().unwrap_or_default();
        assert!(
            text.chars().any(|c| {
                "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủứừửữựỳỷỹýàáèéìíòóùúĐ".contains(c)
            }),
            "row {row}: the message is Vietnamese: {text}"
        );
    }
    let errors_only = app
        .get_json(
            &format!(
                "{IMPORTS}/{}/rows?status=error&per_page=5",
                done["id"].as_str().unwrap_or_default()
            ),
            token,
        )
        .await;
    errors_only.assert_status(200);
    assert_eq!(errors_only.body["total"], 15);
    assert_eq!(page_items(&errors_only).len(), 5);

    // The report is the same sheet with a status and messages column, as CSV and XLSX.
    let id = done["id"].as_str().unwrap_or_default();
    let csv = app
        .get_json(&format!("{IMPORTS}/{id}/report.csv"), token)
        .await;
    csv.assert_status(200);
    let text = csv
        .body
        .as_str()
        .expect("text")
        .trim_start_matches('\u{feff}')
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 19, "header and 18 rows");
    assert!(lines[0].ends_with("Trạng thái,Thông báo"), "{}", lines[0]);
    assert!(
        lines[1].starts_with("Phạm Văn Một,Nam,01/01/1980,001080000001"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("Thêm mới"));
    assert!(
        lines[2].contains("Lỗi") && lines[2].contains("Thiếu họ và tên"),
        "{}",
        lines[2]
    );
    let xlsx = app
        .client()
        .get(app.url(&format!("{IMPORTS}/{id}/report.xlsx")))
        .bearer_auth(token.unwrap_or_default())
        .send()
        .await
        .expect("answer");
    assert_eq!(xlsx.status().as_u16(), 200);
    let bytes = xlsx.bytes().await.expect("bytes");
    // The annotated XLSX reads back through the importer: the same rows, two more columns.
    let again = upload(app, token, "report.xlsx", bytes.to_vec()).await;
    assert_eq!(again["rows_total"], 18);
    let headers = again["headers"].as_array().expect("headers");
    assert_eq!(headers[headers.len() - 2], "Trạng thái");
    assert_eq!(headers[headers.len() - 1], "Thông báo");
}

async fn a_dry_run_writes_nothing_and_reports_what_would_happen(app: &TestApp) {
    let officer = app.sign_in("dry", "province_officer", "01").await;
    let token = officer.token();
    let before = count(app, "SELECT COUNT(*) FROM people").await;
    let done = import(
        app,
        token,
        "tolerances.csv",
        fixture("tolerances.csv"),
        "dry_run",
    )
    .await;
    assert_eq!(done["counts"]["created"], 3, "{done}");
    let rows = outcomes(app, token, &done).await;
    assert!(rows.iter().all(|r| r["status"] == "created"));
    assert_eq!(count(app, "SELECT COUNT(*) FROM people").await, before);
    let legacy = import(app, token, "legacy.csv", fixture("legacy.csv"), "dry_run").await;
    assert_eq!(legacy["counts"]["queued"], 2, "{legacy}");
    assert_eq!(count(app, "SELECT COUNT(*) FROM legacy_queue").await, 0);
    assert_eq!(count(app, "SELECT COUNT(*) FROM people").await, before);
}

async fn all_or_nothing_writes_nothing_when_a_row_fails_and_valid_only_writes_the_valid_rows(
    app: &TestApp,
) {
    let officer = app.sign_in("aon", "province_officer", "01").await;
    let token = officer.token();
    let done = import(
        app,
        token,
        "errors.csv",
        fixture("errors.csv"),
        "all_or_nothing",
    )
    .await;
    assert_eq!(done["counts"]["error"], 15, "{done}");
    assert_eq!(done["counts"]["skipped"], 3, "{done}");
    assert_eq!(done["counts"]["created"], 0);
    assert_eq!(count(app, "SELECT COUNT(*) FROM people").await, 0);
    let rows = outcomes(app, token, &done).await;
    assert_eq!(rows[0]["status"], "skipped");
    assert!(rows[0]["person_id"].is_null());

    let clean = import(
        app,
        token,
        "tolerances.csv",
        fixture("tolerances.csv"),
        "all_or_nothing",
    )
    .await;
    assert_eq!(clean["counts"]["created"], 3, "{clean}");
    assert_eq!(count(app, "SELECT COUNT(*) FROM people").await, 3);

    let valid = import(
        app,
        token,
        "errors.csv",
        fixture("errors.csv"),
        "valid_only",
    )
    .await;
    assert_eq!(valid["counts"]["created"], 3, "{valid}");
    assert_eq!(count(app, "SELECT COUNT(*) FROM people").await, 6);
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM villages").await,
        1,
        "the all-or-nothing run that failed created no village"
    );
}

async fn importing_the_same_file_again_creates_no_duplicate(app: &TestApp) {
    let officer = app.sign_in("again", "province_officer", "01").await;
    let token = officer.token();
    let first = import(
        app,
        token,
        "tolerances.csv",
        fixture("tolerances.csv"),
        "valid_only",
    )
    .await;
    assert_eq!(first["counts"]["created"], 3);
    let second = import(
        app,
        token,
        "tolerances.csv",
        fixture("tolerances.csv"),
        "valid_only",
    )
    .await;
    assert_eq!(second["counts"]["unchanged"], 3, "{second}");
    assert_eq!(second["counts"]["created"], 0);
    assert_eq!(count(app, "SELECT COUNT(*) FROM people").await, 3);

    // A changed phone is an update of the same record, found by its ID number.
    let text = String::from_utf8(fixture("tolerances.csv")).expect("utf-8");
    let changed = text.replace("912345678;4;farmer", "912345699;4;farmer");
    let third = import(
        app,
        token,
        "changed.csv",
        changed.into_bytes(),
        "valid_only",
    )
    .await;
    assert_eq!(third["counts"]["updated"], 1, "{third}");
    assert_eq!(third["counts"]["unchanged"], 2);
    let an = people_named(app, token, "nguyen van an").await;
    assert_eq!(an.len(), 1);
    assert_eq!(an[0]["phone"], "+84912345699");
    assert_eq!(an[0]["version"], 2);

    // Without an ID number, the external id matches.
    let ext = "Họ và tên,Giới tính,Năm sinh,Mã xã,Mã hồ sơ\nHoàng Văn Ngoại,Nam,1960,00004,HS-1\n";
    let a = import(app, token, "ext.csv", ext.as_bytes().to_vec(), "valid_only").await;
    assert_eq!(a["counts"]["created"], 1);
    let b = import(app, token, "ext.csv", ext.as_bytes().to_vec(), "valid_only").await;
    assert_eq!(b["counts"]["unchanged"], 1, "{b}");
    assert_eq!(count(app, "SELECT COUNT(*) FROM people").await, 4);

    // Held rows are not queued twice either.
    let l1 = import(
        app,
        token,
        "legacy.csv",
        fixture("legacy.csv"),
        "valid_only",
    )
    .await;
    assert_eq!(l1["counts"]["queued"], 2, "{l1}");
    let l2 = import(
        app,
        token,
        "legacy.csv",
        fixture("legacy.csv"),
        "valid_only",
    )
    .await;
    assert_eq!(l2["counts"]["queued"], 2, "{l2}");
    assert_eq!(l2["counts"]["unchanged"], 3, "{l2}");
    assert_eq!(count(app, "SELECT COUNT(*) FROM legacy_queue").await, 2);
}

async fn an_xlsx_file_whose_numbers_lost_their_leading_zeros_is_repaired(app: &TestApp) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let headers = [
        "Họ và tên",
        "Giới tính",
        "Ngày sinh",
        "Số định danh cá nhân",
        "Số điện thoại",
        "Mã xã",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_string(1, 0, "Vũ Thị Số").expect("cell");
    sheet.write_string(1, 1, "Nữ").expect("cell");
    let born = ExcelDateTime::from_ymd(1992, 11, 5).expect("date");
    sheet
        .write_datetime_with_format(1, 2, &born, &date)
        .expect("cell");
    // Typed as numbers: Excel drops the leading zeros.
    sheet.write_number(1, 3, 1_192_000_021.0).expect("cell");
    sheet.write_number(1, 4, 912_000_021.0).expect("cell");
    sheet.write_number(1, 5, 4.0).expect("cell");
    let bytes = book.save_to_buffer().expect("xlsx");

    let officer = app.sign_in("xlsx", "commune_officer", BADINH).await;
    let token = officer.token();
    let done = import(app, token, "so.xlsx", bytes, "all_or_nothing").await;
    assert_eq!(done["counts"]["created"], 1, "{done}");
    let so = people_named(app, token, "vu thi so").await;
    assert_eq!(so[0]["birth_date"], "1992-11-05");
    assert_eq!(so[0]["personal_id_masked"], "001******021");
    assert_eq!(so[0]["phone"], "+84912000021");
    assert_eq!(so[0]["commune_code"], BADINH);
}

async fn old_addresses_are_converted_and_split_communes_wait_in_the_queue(app: &TestApp) {
    let officer = app.sign_in("legacy", "province_officer", "01").await;
    let token = officer.token();
    let done = import(
        app,
        token,
        "legacy.csv",
        fixture("legacy.csv"),
        "valid_only",
    )
    .await;
    assert_eq!(done["counts"]["created"], 3, "{done}");
    assert_eq!(done["counts"]["queued"], 2, "{done}");
    let rows = outcomes(app, token, &done).await;
    let commune = |row: u64| {
        rows.iter()
            .find(|r| r["row"] == row)
            .map(|r| r["commune_code"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(commune(2), "00097", "Phúc Xá went whole into Hồng Hà");
    assert_eq!(
        commune(3),
        BADINH,
        "Trúc Bạch, without type words or diacritics"
    );
    assert_eq!(
        commune(4),
        BADINH,
        "the same, by codes that lost their zeros"
    );
    let converted = rows[0]["messages"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        converted.contains("Phúc Xá") && converted.contains("00097"),
        "{converted}"
    );
    for row in [5u64, 6] {
        let r = rows.iter().find(|r| r["row"] == row).expect("row");
        assert_eq!(r["status"], "queued", "{r}");
        assert!(r["queue_item_id"].is_string());
        assert!(r["person_id"].is_null(), "nothing guessed: {r}");
    }
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM people WHERE full_name LIKE '%Cống%' OR full_name LIKE '%Vị%'"
        )
        .await,
        0
    );
}

async fn a_commune_officer_imports_only_into_their_commune_and_sees_only_their_imports(
    app: &TestApp,
) {
    let badinh = app.sign_in("cbadinh", "commune_officer", BADINH).await;
    let ngocha = app.sign_in("cngocha", "commune_officer", "00008").await;
    let branch = app.sign_in("branch", "branch_officer", BADINH).await;
    let done = import(
        app,
        badinh.token(),
        "errors.csv",
        fixture("errors.csv"),
        "valid_only",
    )
    .await;
    let rows = outcomes(app, badinh.token(), &done).await;
    let last = rows.iter().find(|r| r["row"] == 19).expect("row 19");
    assert_eq!(
        last["status"], "error",
        "Ngọc Hà is outside Ba Đình: {last}"
    );
    assert_eq!(last["messages"][0]["code"], "outside_scope");
    // Row 2, and row 17 with the village it names, added to Ba Đình's list.
    assert_eq!(done["counts"]["created"], 2, "{done}");

    let id = done["id"].as_str().unwrap_or_default();
    app.get_json(&format!("{IMPORTS}/{id}"), ngocha.token())
        .await
        .assert_problem(404, "not_found");
    app.get_json(&format!("{IMPORTS}/{id}/report.csv"), ngocha.token())
        .await
        .assert_problem(404, "not_found");
    let list = app.get_json(IMPORTS, ngocha.token()).await;
    list.assert_status(200);
    assert_eq!(list.body["total"], 0);
    let mine = app.get_json(IMPORTS, badinh.token()).await;
    assert_eq!(mine.body["total"], 1);
    try_upload(app, branch.token(), "x.csv", fixture("tolerances.csv"))
        .await
        .assert_problem(403, "forbidden");
    try_upload(app, None, "x.csv", fixture("tolerances.csv"))
        .await
        .assert_status(401);
}

async fn unreadable_files_and_bad_mappings_are_refused_naming_the_field(app: &TestApp) {
    let officer = app.sign_in("bad", "province_officer", "01").await;
    let token = officer.token();
    try_upload(app, token, "empty.csv", Vec::new())
        .await
        .assert_invalid_field("file");
    try_upload(
        app,
        token,
        "latin1.csv",
        b"H\xe7 v\xe0 t\xean,Gi\xf3i\n".to_vec(),
    )
    .await
    .assert_invalid_field("file");
    try_upload(app, token, "noheader.csv", b"a,b,c\n1,2,3\n".to_vec())
        .await
        .assert_invalid_field("file");
    assert_eq!(count(app, "SELECT COUNT(*) FROM import_uploads").await, 0);

    let odd = "Tên người,Phái,NS,Mã xã\nAn Bình,Nam,1980,00004\n";
    let uploaded = upload(app, token, "odd.csv", odd.as_bytes().to_vec()).await;
    let id = uploaded["id"].as_str().unwrap_or_default();
    app.post_json(
        IMPORTS,
        token,
        &json!({"upload_id": id, "mode": "valid_only"}),
    )
    .await
    .assert_invalid_field("mapping");
    app.post_json(
        IMPORTS,
        token,
        &json!({"upload_id": id, "mode": "valid_only", "mapping": {"Tên người": "nonsense"}}),
    )
    .await
    .assert_invalid_field("mapping");
    app.post_json(
        IMPORTS,
        token,
        &json!({"upload_id": id, "mode": "sometimes"}),
    )
    .await
    .assert_status(422);
    let started = app
        .post_json(
            IMPORTS,
            token,
            &json!({"upload_id": id, "mode": "valid_only", "mapping": {"Tên người": "full_name", "NS": "birth"}}),
        )
        .await;
    started.assert_status(202);
    let done = wait(app, token, started.body["id"].as_str().unwrap_or_default()).await;
    assert_eq!(done["counts"]["created"], 1, "{done}");
    assert_eq!(count(app, "SELECT COUNT(*) FROM people").await, 1);
    let _ = DbBackend::Sqlite;
    let _ = Backend::Sqlite;
}
