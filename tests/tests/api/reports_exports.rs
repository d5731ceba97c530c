//! Report and people-list exports: CSV (UTF-8 with BOM) and XLSX, their headers, and their
//! contents read back with a CSV parser and an XLSX reader; full ID numbers only on an audited
//! request by an authorised officer.

use crate::reports::{citizen, fixture, new_person, summary_path};
use crate::workflow::{AN_ID, BADINH, office, this_year};
use calamine::{Data, Reader, Xlsx};
use reqwest::Method;
use serde_json::json;
use std::collections::HashMap;
use tests::TestApp;

tests::on_both_backends!(
    a_report_downloads_as_csv_with_bom_and_a_vietnamese_file_name,
    a_report_downloads_as_xlsx_with_one_sheet_per_table,
    people_lists_mask_id_numbers_unless_an_authorised_officer_asks_and_is_audited,
    a_report_csv_is_in_vietnamese_by_default_with_labels_and_no_ids,
    a_report_xlsx_has_vietnamese_sheet_names_and_headers_by_default,
    a_people_list_is_in_vietnamese_by_default_with_group_names,
    an_unknown_export_language_is_refused_naming_the_field,
);

/// Status, headers and raw bytes of a download.
async fn download(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    accept: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut request = app.request(Method::GET, path, token);
    if let Some(a) = accept {
        request = request.header("Accept", a);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("a body").to_vec();
    (status, headers, bytes)
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The CSV rows as maps from column to value, after checking the BOM.
fn csv_rows(bytes: &[u8]) -> Vec<HashMap<String, String>> {
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "the CSV starts with a BOM"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().expect("a header row").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            headers
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

async fn a_report_downloads_as_csv_with_bom_and_a_vietnamese_file_name(app: &TestApp) {
    let f = fixture(app).await;
    let commune = &f.office.commune;
    let path = format!(
        "{}&format=csv&lang=en",
        summary_path(&f.office.period, None)
    );
    let (status, headers, bytes) = download(app, &path, commune.token(), None).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), "text/csv; charset=utf-8");
    let disposition = header(&headers, "content-disposition");
    let year = this_year();
    assert!(
        disposition.starts_with(&format!(
            "attachment; filename=\"bao-cao-{year}-phuong-ba-dinh.csv\""
        )),
        "{disposition}"
    );
    assert!(
        disposition.contains(&format!("filename*=UTF-8''b%C3%A1o-c%C3%A1o-{year}-Ph%C6%B0%E1%BB%9Dng%20Ba%20%C4%90%C3%ACnh.csv")),
        "{disposition}"
    );
    let rows = csv_rows(&bytes);
    let find = |table: &str, key: &str| {
        rows.iter()
            .find(|r| r["table"] == table && r["key"] == key)
            .unwrap_or_else(|| panic!("a row {table}/{key} in {rows:?}"))
    };
    let totals = find("totals", BADINH);
    assert_eq!(totals["name"], "Phường Ba Đình");
    assert_eq!(
        (totals["registered"].as_str(), totals["recognised"].as_str()),
        ("9", "3")
    );
    assert_eq!(totals["withdrawn"], "1");
    assert_eq!(find("gender", "female")["registered"], "5");
    assert_eq!(find("gender", "female")["name"], "Nữ");
    assert_eq!(find("age_band", "over_60")["registered"], "1");
    assert_eq!(find("target_group", "official")["recognised"], "1");
    let committee = find("children", &f.committee);
    assert_eq!(
        (
            committee["level"].as_str(),
            committee["registered"].as_str()
        ),
        ("committee", "2")
    );
    assert_eq!(find("religion", "not_stated")["registered"], "9");
    assert_eq!(
        find("religion", "not_stated")["recognised"],
        "",
        "3 is suppressed"
    );

    // The Accept header chooses the format too; the other report tables export as well.
    let (status, headers, bytes) = download(
        app,
        &format!("{}&lang=en", summary_path(&f.office.period, None)),
        commune.token(),
        Some("text/csv"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type").starts_with("text/csv"));
    assert_eq!(csv_rows(&bytes).len(), rows.len());
    for path in [
        format!(
            "/api/v1/reports/progress?period_id={}&format=csv",
            f.office.period
        ),
        "/api/v1/reports/series?format=csv".to_string(),
    ] {
        let (status, headers, bytes) = download(app, &path, commune.token(), None).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            header(&headers, "content-disposition").starts_with("attachment;"),
            "{path}"
        );
        assert!(!csv_rows(&bytes).is_empty(), "{path}");
    }
    let series = csv_rows(
        &download(
            app,
            "/api/v1/reports/series?format=csv&lang=en",
            commune.token(),
            None,
        )
        .await
        .2,
    );
    let this = series
        .iter()
        .find(|r| r["table"] == "series")
        .unwrap_or_else(|| panic!("a series row in {series:?}"));
    assert_eq!(
        (this["year"].as_str(), this["registered"].as_str()),
        (year.to_string().as_str(), "9")
    );
}

async fn a_report_downloads_as_xlsx_with_one_sheet_per_table(app: &TestApp) {
    let f = fixture(app).await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let path = format!(
        "{}&format=xlsx&lang=en",
        summary_path(&f.office.period, None)
    );
    let (status, headers, bytes) = download(app, &path, hanoi.token(), None).await;
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(header(&headers, "content-disposition").contains(".xlsx"));
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("an XLSX file");
    assert_eq!(
        book.sheet_names(),
        [
            "totals",
            "target_group",
            "gender",
            "age_band",
            "children",
            "ethnicity",
            "religion"
        ]
    );
    let cell_of = |range: &calamine::Range<Data>, key: &str, column: &str| -> Data {
        let rows: Vec<&[Data]> = range.rows().collect();
        let head = rows.first().expect("a header row");
        let col = head
            .iter()
            .position(|h| *h == column)
            .unwrap_or_else(|| panic!("a column {column}"));
        rows.iter()
            .find(|r| r.first().map(|c| c.to_string()) == Some(key.to_string()))
            .map(|r| r[col].clone())
            .unwrap_or_else(|| panic!("a row {key}"))
    };
    let totals = book.worksheet_range("totals").expect("a totals sheet");
    assert_eq!(cell_of(&totals, "01", "registered"), Data::Float(11.0));
    assert_eq!(
        cell_of(&totals, "01", "name"),
        Data::String("Thành phố Hà Nội".into())
    );
    let children = book.worksheet_range("children").expect("a children sheet");
    assert_eq!(cell_of(&children, BADINH, "recognised"), Data::Float(3.0));
    assert_eq!(cell_of(&children, "00008", "registered"), Data::Float(2.0));
    let gender = book.worksheet_range("gender").expect("a gender sheet");
    assert_eq!(cell_of(&gender, "male", "registered"), Data::Float(5.0));
}

async fn people_lists_mask_id_numbers_unless_an_authorised_officer_asks_and_is_audited(
    app: &TestApp,
) {
    let office = office(app).await;
    let an = citizen("Nguyễn Văn An", "male", this_year() - 1985, "farmer", "");
    new_person(app, &office, BADINH, &an, json!({"personal_id": AN_ID})).await;
    new_person(
        app,
        &office,
        BADINH,
        &citizen("Trần Thị Bé", "female", 30, "worker", ""),
        json!({}),
    )
    .await;

    let (status, headers, bytes) = download(
        app,
        "/api/v1/reports/people?lang=en",
        office.commune.token(),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(header(&headers, "content-disposition").contains(&format!("danh-sach-{BADINH}.csv")));
    let rows = csv_rows(&bytes);
    assert_eq!(rows.len(), 2);
    let an_row = rows
        .iter()
        .find(|r| r["full_name"] == "Nguyễn Văn An")
        .expect("An's row");
    assert_ne!(an_row["personal_id"], AN_ID, "masked by default");
    assert!(
        an_row["personal_id"].ends_with("345") && an_row["personal_id"].contains('*'),
        "{an_row:?}"
    );
    assert_eq!(an_row["commune"], "Phường Ba Đình");
    let workers = csv_rows(
        &download(
            app,
            "/api/v1/reports/people?target_group=worker&lang=en",
            office.commune.token(),
            None,
        )
        .await
        .2,
    );
    assert_eq!(workers.len(), 1);

    // A branch officer may not have the full numbers; a commune officer may, and it is audited.
    let (status, _, _) = download(
        app,
        "/api/v1/reports/people?full_personal_ids=true",
        office.branch.token(),
        None,
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(audited(app, &office.commune).await, 0);
    let (status, _, bytes) = download(
        app,
        "/api/v1/reports/people?full_personal_ids=true&format=xlsx&lang=en",
        office.commune.token(),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("an XLSX file");
    let sheet = book.worksheet_range("people").expect("a people sheet");
    let ids: Vec<String> = sheet.rows().skip(1).map(|r| r[4].to_string()).collect();
    assert!(ids.contains(&AN_ID.to_string()), "{ids:?}");
    assert_eq!(
        audited(app, &office.commune).await,
        1,
        "the full numbers were given once"
    );

    // Another commune's people are out of reach.
    let (status, _, _) = download(
        app,
        "/api/v1/reports/people?unit=00008",
        office.commune.token(),
        None,
    )
    .await;
    assert_eq!(status, 403);
}

async fn a_report_csv_is_in_vietnamese_by_default_with_labels_and_no_ids(app: &TestApp) {
    let f = fixture(app).await;
    let commune = &f.office.commune;
    let path = format!("{}&format=csv", summary_path(&f.office.period, None));
    let (status, _, bytes) = download(app, &path, commune.token(), None).await;
    assert_eq!(status, 200);
    let text = String::from_utf8(bytes.clone()).expect("UTF-8");
    let header_line = text.lines().next().unwrap_or_default();
    for column in [
        "Bảng",
        "Mã",
        "Tên",
        "Cấp",
        "Đăng ký",
        "Đã tự đánh giá",
        "Đang xét",
        "Được công nhận",
        "Rút đăng ký",
        "Hội viên",
    ] {
        assert!(
            header_line.contains(column),
            "{column} in the header {header_line}"
        );
    }
    for english in ["registered", "self_assessed", "table", "key"] {
        assert!(
            !header_line
                .split(',')
                .any(|h| h.trim_start_matches('\u{feff}') == english),
            "no English key {english} in {header_line}"
        );
    }
    assert!(
        !text.contains(&f.committee),
        "the committee is named, not shown by its id: {text}"
    );
    let rows = csv_rows(&bytes);
    let find = |table: &str, name: &str| {
        rows.iter()
            .find(|r| r["Bảng"] == table && r["Tên"] == name)
            .unwrap_or_else(|| panic!("a row {table}/{name} in {rows:?}"))
    };
    let totals = find("Tổng hợp", "Phường Ba Đình");
    assert_eq!(totals["Mã"], BADINH);
    assert_eq!(
        (
            totals["Đăng ký"].as_str(),
            totals["Được công nhận"].as_str()
        ),
        ("9", "3")
    );
    assert_eq!(find("Theo giới tính", "Nữ")["Đăng ký"], "5");
    assert_eq!(find("Theo độ tuổi", "Trên 60 tuổi")["Đăng ký"], "1");
    let committee = rows
        .iter()
        .find(|r| r["Bảng"] == "Theo đơn vị" && r["Cấp"] == "Ban đại diện")
        .unwrap_or_else(|| panic!("a committee row in {rows:?}"));
    assert_eq!(committee["Đăng ký"], "2");
    assert_eq!(committee["Mã"], "");
    assert!(!committee["Tên"].is_empty(), "{committee:?}");
    let religion = rows
        .iter()
        .find(|r| r["Bảng"] == "Theo tôn giáo" && r["Mã"] == "Không khai")
        .unwrap_or_else(|| panic!("a religion row in {rows:?}"));
    assert_eq!(religion["Đăng ký"], "9");
    assert_eq!(religion["Đã ẩn số nhỏ"], "Có");

    let progress = csv_rows(
        &download(
            app,
            &format!(
                "/api/v1/reports/progress?period_id={}&format=csv",
                f.office.period
            ),
            commune.token(),
            None,
        )
        .await
        .2,
    );
    let measures: Vec<&str> = progress.iter().map(|r| r["Chỉ tiêu"].as_str()).collect();
    assert!(measures.contains(&"Công dân học tập"), "{measures:?}");
}

async fn a_report_xlsx_has_vietnamese_sheet_names_and_headers_by_default(app: &TestApp) {
    let f = fixture(app).await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let path = format!("{}&format=xlsx", summary_path(&f.office.period, None));
    let (status, _, bytes) = download(app, &path, hanoi.token(), None).await;
    assert_eq!(status, 200);
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("an XLSX file");
    assert_eq!(
        book.sheet_names(),
        [
            "Tổng hợp",
            "Theo đối tượng",
            "Theo giới tính",
            "Theo độ tuổi",
            "Theo đơn vị",
            "Theo dân tộc",
            "Theo tôn giáo"
        ]
    );
    let totals = book.worksheet_range("Tổng hợp").expect("a totals sheet");
    let rows: Vec<&[Data]> = totals.rows().collect();
    let head: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(
        head[..5],
        ["Mã", "Tên", "Đăng ký", "Đã tự đánh giá", "Đang xét"]
    );
    assert_eq!(rows[1][1], Data::String("Thành phố Hà Nội".into()));
    assert_eq!(rows[1][2], Data::Float(11.0));
    let gender = book
        .worksheet_range("Theo giới tính")
        .expect("a gender sheet");
    let names: Vec<String> = gender.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert_eq!(names, ["Nam", "Nữ"]);
}

async fn a_people_list_is_in_vietnamese_by_default_with_group_names(app: &TestApp) {
    let office = office(app).await;
    let an = citizen("Nguyễn Văn An", "male", this_year() - 1985, "farmer", "");
    new_person(app, &office, BADINH, &an, json!({"personal_id": AN_ID})).await;
    let (status, _, bytes) =
        download(app, "/api/v1/reports/people", office.commune.token(), None).await;
    assert_eq!(status, 200);
    let rows = csv_rows(&bytes);
    let an_row = rows
        .iter()
        .find(|r| r.get("Họ và tên").map(String::as_str) == Some("Nguyễn Văn An"))
        .unwrap_or_else(|| panic!("An's row in {rows:?}"));
    assert_eq!(an_row["Giới tính"], "Nam");
    assert_eq!(an_row["Năm sinh"], "1985");
    assert_eq!(an_row["Xã, phường, đặc khu"], "Phường Ba Đình");
    assert_ne!(
        an_row["Đối tượng"], "farmer",
        "the group's name, not its code"
    );
    assert!(!an_row["Đối tượng"].is_empty(), "{an_row:?}");
    assert!(an_row["Số định danh cá nhân"].contains('*'), "{an_row:?}");

    let (status, _, bytes) = download(
        app,
        "/api/v1/reports/people?format=xlsx",
        office.commune.token(),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("an XLSX file");
    assert_eq!(book.sheet_names(), ["Danh sách"]);
    let sheet = book.worksheet_range("Danh sách").expect("a people sheet");
    let head: Vec<String> = sheet
        .rows()
        .next()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .unwrap_or_default();
    assert_eq!(head[..3], ["Họ và tên", "Giới tính", "Ngày sinh"]);
}

async fn an_unknown_export_language_is_refused_naming_the_field(app: &TestApp) {
    let office = office(app).await;
    let response = app
        .get_json("/api/v1/reports/people?lang=fr", office.commune.token())
        .await;
    response.assert_invalid_field("lang");
}

/// How many audit entries record a list exported with full ID numbers.
async fn audited(app: &TestApp, by: &tests::Session) -> usize {
    let r = app
        .get_json(
            "/api/v1/audit?action=person.export_list_with_personal_ids",
            by.token(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    crate::reports::page_items(&r).len()
}
