//! `/api/v1/people`: person records. The personal ID number is checked against the record, kept
//! encrypted, shown masked, revealed only to commune officers and above (audited), and unique
//! nationwide; people outside the caller's unit do not exist for them.

use reqwest::Method;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use tests::{ApiResponse, Backend, Session, TestApp};
use uuid::Uuid;

tests::on_both_backends!(
    a_personal_id_number_must_be_well_formed_and_agree_with_gender_and_birth_year,
    invalid_person_records_are_refused_naming_the_field,
    names_are_stored_in_nfc_and_phones_in_e164_and_id_numbers_are_only_shown_masked,
    people_are_found_by_name_without_diacritics_and_filtered,
    an_exact_lookup_by_personal_id_number_finds_only_people_in_reach,
    revealing_a_personal_id_number_is_for_commune_officers_and_is_audited,
    a_personal_id_number_on_record_is_a_duplicate_named_only_to_those_who_may_see_it,
    people_of_another_commune_or_province_do_not_exist_for_an_officer,
    changing_a_record_increments_its_version_and_erasing_it_is_for_commune_officers,
    reading_a_record_is_audited_and_the_audit_log_is_scoped_to_the_callers_unit,
    no_column_holds_a_personal_id_number_in_clear_text,
    an_edit_without_the_number_keeps_it_and_blank_optional_fields_mean_none,
);

const PEOPLE: &str = "/api/v1/people";
const AUDIT: &str = "/api/v1/audit";
/// Phường Ba Đình, Hà Nội (province 01).
const BADINH: &str = "00004";
/// Another commune of Hà Nội.
const OTHER_HANOI_COMMUNE: &str = "00008";
const AN_ID: &str = "001085012345";
/// "Nguyễn Văn An", written with escapes so that the source's own normalisation does not matter.
const AN_NFC: &str = "Nguy\u{1ec5}n V\u{0103}n An";

/// Namespace of the ids the registry migration gives the seeded Association units (a copy of
/// `migrations::m20251128_000004_registry::ASSOCIATION_UNIT_NAMESPACE`; the ids are a contract).
const ASSOCIATION_UNIT_NAMESPACE: Uuid = Uuid::from_u128(0x6c0d_8a51_3f2e_4b7a_9d10_5e2a_c4f3_1b01);

fn association_unit_id(level: &str, code: &str) -> Uuid {
    Uuid::new_v5(
        &ASSOCIATION_UNIT_NAMESPACE,
        format!("{level}:{code}").as_bytes(),
    )
}

/// Nguyễn Văn An, male, born 1985 in Hà Nội, living in Ba Đình.
fn an_body() -> Value {
    json!({
        "full_name": AN_NFC,
        "gender": "male",
        "birth_year": 1985,
        "personal_id": AN_ID,
        "phone": "0912 345 678",
        "commune_code": BADINH,
    })
}

/// A minimal record in `commune`.
fn someone(full_name: &str, gender: &str, birth_year: i32, commune: &str) -> Value {
    json!({
        "full_name": full_name,
        "gender": gender,
        "birth_year": birth_year,
        "commune_code": commune,
    })
}

fn with(body: &Value, field: &str, value: Value) -> Value {
    let mut body = body.clone();
    body[field] = value;
    body
}

fn without(body: &Value, field: &str) -> Value {
    let mut body = body.clone();
    body.as_object_mut().expect("an object").remove(field);
    body
}

fn id_of(value: &Value) -> String {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a record has an id: {value}"))
        .to_string()
}

fn person_path(id: &str) -> String {
    format!("{PEOPLE}/{id}")
}

async fn create(app: &TestApp, by: &Session, body: &Value) -> ApiResponse {
    app.post_json(PEOPLE, by.token(), body).await
}

/// Creates a record and returns it; panics unless that succeeds.
async fn created(app: &TestApp, by: &Session, body: &Value) -> Value {
    let response = create(app, by, body).await;
    response.assert_status(201);
    response.body
}

async fn put_json(app: &TestApp, path: &str, by: &Session, body: &Value) -> ApiResponse {
    app.send(app.request(Method::PUT, path, by.token()).json(body))
        .await
}

async fn delete(app: &TestApp, path: &str, by: &Session) -> ApiResponse {
    app.send(app.request(Method::DELETE, path, by.token()))
        .await
}

async fn list(app: &TestApp, by: &Session, query: &str) -> ApiResponse {
    let response = app.get_json(&format!("{PEOPLE}{query}"), by.token()).await;
    response.assert_status(200);
    response
}

fn items(page: &ApiResponse) -> &Vec<Value> {
    page.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page has items: {}", page.body))
}

/// The full names of a page of people, in order.
fn names(page: &ApiResponse) -> Vec<String> {
    items(page)
        .iter()
        .filter_map(|p| p["full_name"].as_str().map(str::to_string))
        .collect()
}

fn ids(page: &ApiResponse) -> Vec<String> {
    items(page).iter().map(id_of).collect()
}

fn audit_entries(page: &ApiResponse) -> &Vec<Value> {
    page.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("an audit page has items: {}", page.body))
}

/// The codes of the errors a 422 gives `field`.
fn error_codes<'a>(response: &'a ApiResponse, field: &str) -> Vec<&'a str> {
    response.body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter(|e| e["field"] == field)
                .filter_map(|e| e["code"].as_str())
                .collect()
        })
        .unwrap_or_default()
}

/// Panics when `text` (a body or header) holds the full ID number.
#[track_caller]
fn assert_no_full_number(what: &str, text: &str) {
    assert!(
        !text.contains(AN_ID),
        "{what} holds the full personal ID number: {text}"
    );
}

/// The code of the first commune of province `province`, read from the API.
async fn first_commune_of(app: &TestApp, province: &str) -> String {
    let response = app
        .get_json(
            &format!("/api/v1/admin-units/provinces/{province}/communes"),
            None,
        )
        .await;
    response.assert_status(200);
    response
        .items()
        .first()
        .and_then(|c| c["code"].as_str())
        .unwrap_or_else(|| panic!("province {province} has communes"))
        .to_string()
}

/// Panics unless `commune` is a current commune of Hà Nội (the scope tests rely on it).
async fn assert_commune_of_hanoi(app: &TestApp, commune: &str) {
    let detail = app
        .get_json(&format!("/api/v1/admin-units/{commune}"), None)
        .await;
    detail.assert_status(200);
    assert_eq!(detail.body["province_code"], "01", "{}", detail.body);
}

async fn a_personal_id_number_must_be_well_formed_and_agree_with_gender_and_birth_year(
    app: &TestApp,
) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let born = |id: &str, gender: &str, year: i32| {
        json!({
            "full_name": "Phạm Minh Thư",
            "gender": gender,
            "birth_year": year,
            "personal_id": id,
            "commune_code": BADINH,
        })
    };
    let valid = [
        (
            "male born 1985 in Hà Nội",
            born(AN_ID, "male", 1985),
            "001******345",
        ),
        (
            "female born 1990 in Hồ Chí Minh City",
            born("079190000123", "female", 1990),
            "079******123",
        ),
        (
            "male born 2005",
            born("001205000001", "male", 2005),
            "001******001",
        ),
        (
            "female born 2003",
            born("048303000002", "female", 2003),
            "048******002",
        ),
        (
            "written with spaces and dots",
            born("001 085.000.777", "male", 1985),
            "001******777",
        ),
        (
            "with a full date of birth",
            without(
                &with(
                    &born("001090000555", "male", 1990),
                    "birth_date",
                    json!("1990-05-17"),
                ),
                "birth_year",
            ),
            "001******555",
        ),
    ];
    for (case, body, masked) in &valid {
        let response = create(app, &badinh, body).await;
        assert_eq!(response.status, 201, "{case}: {}", response.body);
        assert_eq!(response.body["personal_id_masked"], *masked, "{case}");
        assert_eq!(response.body["gender"], body["gender"], "{case}");
    }

    let invalid = [
        (
            "eleven letters",
            born("abcdefghijk", "male", 1985),
            "not_12_digits",
        ),
        (
            "nine digits",
            born("001085012", "male", 1985),
            "not_12_digits",
        ),
        (
            "thirteen digits",
            born("0010850123456", "male", 1985),
            "not_12_digits",
        ),
        (
            "digits and a letter",
            born("00108501234X", "male", 1985),
            "not_12_digits",
        ),
        (
            "province prefix 000",
            born("000085012345", "male", 1985),
            "unknown_province",
        ),
        (
            "province prefix 003 (no such legacy province)",
            born("003085012345", "male", 1985),
            "unknown_province",
        ),
        (
            "not starting with 0",
            born("101085012345", "male", 1985),
            "unknown_province",
        ),
        (
            "century digit 7",
            born("001785012345", "male", 1985),
            "invalid_century_digit",
        ),
        (
            "a female number on a male record",
            born("001185012345", "male", 1985),
            "gender_mismatch",
        ),
        (
            "a male number on a female record",
            born(AN_ID, "female", 1985),
            "gender_mismatch",
        ),
        (
            "a number of 1985 on a record of 1986",
            born(AN_ID, "male", 1986),
            "birth_year_mismatch",
        ),
        (
            "a number of the 2000s on a record of the 1900s",
            born("001285012345", "male", 1985),
            "birth_year_mismatch",
        ),
        (
            "a number of 1990 on a record with a full date in 1991",
            without(
                &with(
                    &born("001090000556", "male", 1990),
                    "birth_date",
                    json!("1991-01-02"),
                ),
                "birth_year",
            ),
            "birth_year_mismatch",
        ),
    ];
    for (case, body, code) in &invalid {
        let response = create(app, &badinh, body).await;
        assert_eq!(response.status, 422, "{case}: {}", response.body);
        response.assert_invalid_field("personal_id");
        assert_eq!(
            error_codes(&response, "personal_id"),
            vec![*code],
            "{case}: {}",
            response.body
        );
    }

    let all = list(app, &badinh, "").await;
    assert_eq!(
        all.body["total"],
        valid.len(),
        "only the valid records were created: {}",
        all.body
    );
}

async fn invalid_person_records_are_refused_naming_the_field(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let valid = without(&an_body(), "personal_id");
    let next_year = chrono::Utc::now().date_naive().format("%Y").to_string();
    let next_year: i32 = next_year.parse::<i32>().expect("a year") + 1;
    let cases = [
        (
            "a name with digits",
            with(&valid, "full_name", json!("Nguyễn Văn 4n")),
            "full_name",
            "name_invalid_characters",
        ),
        (
            "a one-letter name",
            with(&valid, "full_name", json!("A")),
            "full_name",
            "name_too_short",
        ),
        (
            "a name of spaces",
            with(&valid, "full_name", json!("    ")),
            "full_name",
            "name_too_short",
        ),
        (
            "a name too long",
            with(&valid, "full_name", json!("A".repeat(101))),
            "full_name",
            "name_too_long",
        ),
        (
            "no full name",
            without(&valid, "full_name"),
            "full_name",
            "required",
        ),
        (
            "no birth at all",
            without(&valid, "birth_year"),
            "birth_year",
            "birth_required",
        ),
        (
            "a birth year in the future",
            with(&valid, "birth_year", json!(next_year)),
            "birth_year",
            "birth_in_future",
        ),
        (
            "a birth date in the future",
            with(
                &without(&valid, "birth_year"),
                "birth_date",
                json!(format!("{next_year}-01-01")),
            ),
            "birth_date",
            "birth_in_future",
        ),
        (
            "born in 1899",
            with(&valid, "birth_year", json!(1899)),
            "birth_year",
            "birth_before_1900",
        ),
        (
            "a birth date and year that disagree",
            with(&valid, "birth_date", json!("1986-03-04")),
            "birth_date",
            "birth_year_mismatch",
        ),
        (
            "a phone number too short",
            with(&valid, "phone", json!("12345")),
            "phone",
            "invalid_phone",
        ),
        (
            "a foreign phone number",
            with(&valid, "phone", json!("+1 202 555 0100")),
            "phone",
            "invalid_phone",
        ),
        (
            "an unknown commune",
            with(&valid, "commune_code", json!("99999")),
            "commune_code",
            "unknown_commune",
        ),
        (
            "a province code as commune",
            with(&valid, "commune_code", json!("01")),
            "commune_code",
            "unknown_commune",
        ),
        (
            "an unknown target group",
            with(&valid, "target_group", json!("astronaut")),
            "target_group",
            "unknown_target_group",
        ),
        (
            "an unknown village",
            with(&valid, "village_id", json!(Uuid::new_v4())),
            "village_id",
            "unknown_village",
        ),
        (
            "an ethnicity without consent",
            with(&valid, "ethnicity", json!("Kinh")),
            "consent",
            "consent_required",
        ),
        (
            "a religion without consent",
            with(&valid, "religion", json!("Phật giáo")),
            "consent",
            "consent_required",
        ),
        (
            "an unknown gender",
            with(&valid, "gender", json!("other")),
            "gender",
            "invalid_type",
        ),
    ];
    for (case, body, field, code) in &cases {
        let response = create(app, &badinh, body).await;
        assert_eq!(response.status, 422, "{case}: {}", response.body);
        response.assert_invalid_field(field);
        assert!(
            error_codes(&response, field).contains(code),
            "{case}: the error on {field} has code {code}: {}",
            response.body
        );
    }
    let all = list(app, &badinh, "").await;
    assert_eq!(all.body["total"], 0, "nothing was created: {}", all.body);

    let consented = with(
        &with(&valid, "ethnicity", json!("Kinh")),
        "consent",
        json!({
            "consented_by": AN_NFC,
            "consented_at": "2025-06-01T08:00:00Z",
            "text": "Mẫu đồng ý v1",
        }),
    );
    let kept = created(app, &badinh, &consented).await;
    assert_eq!(kept["ethnicity"], "Kinh");
    assert_eq!(kept["consent"]["consented_by"], AN_NFC);
}

async fn names_are_stored_in_nfc_and_phones_in_e164_and_id_numbers_are_only_shown_masked(
    app: &TestApp,
) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let spaced = with(
        &an_body(),
        "full_name",
        json!("  Nguy\u{1ec5}n   V\u{0103}n An "),
    );
    let response = create(app, &badinh, &spaced).await;
    response.assert_status(201);
    let person = &response.body;
    let id = id_of(person);
    assert_eq!(person["full_name"], AN_NFC);
    assert_eq!(person["phone"], "+84912345678");
    assert_eq!(person["personal_id_masked"], "001******345");
    assert_eq!(person["gender"], "male");
    assert_eq!(person["birth_year"], 1985);
    assert_eq!(person["commune_code"], BADINH);
    assert_eq!(person["commune_name"], "Phường Ba Đình");
    assert_eq!(person["province_code"], "01");
    assert_eq!(person["is_member"], false);
    assert_eq!(person["version"], 1);
    assert!(
        person.get("personal_id").is_none(),
        "no personal_id field: {person}"
    );
    let location = response.header("location").unwrap_or_default().to_string();
    assert_eq!(location, person_path(&id));
    assert_no_full_number("the create answer", &person.to_string());
    assert_no_full_number("the Location header", &location);

    let decomposed = json!({
        "full_name": "  Nguye\u{0302}\u{0303}n   Va\u{0306}n An ",
        "gender": "female",
        "birth_year": 1990,
        "personal_id": "079190000123",
        "phone": "+84 (0) 24 3825 3536",
        "commune_code": BADINH,
    });
    assert_ne!(
        decomposed["full_name"].as_str().map(str::len),
        Some(AN_NFC.len()),
        "the input really is decomposed"
    );
    let nfd = created(app, &badinh, &decomposed).await;
    assert_eq!(nfd["full_name"], AN_NFC, "NFD input is stored as NFC");
    assert_eq!(nfd["phone"], "+842438253536");

    let fetched = app.get_json(&person_path(&id), badinh.token()).await;
    fetched.assert_status(200);
    assert_eq!(fetched.body["full_name"], AN_NFC);
    assert_eq!(fetched.body["personal_id_masked"], "001******345");
    assert_no_full_number("the record", &fetched.body.to_string());

    let all = list(app, &badinh, "").await;
    assert_eq!(all.body["total"], 2);
    assert_eq!(names(&all), vec![AN_NFC, AN_NFC]);
    assert_no_full_number("the list", &all.body.to_string());
    let searched = list(app, &badinh, "?q=nguyen%20van%20an").await;
    assert_eq!(searched.body["total"], 2, "both spellings are found alike");
}

async fn people_are_found_by_name_without_diacritics_and_filtered(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    assert_commune_of_hanoi(app, OTHER_HANOI_COMMUNE).await;
    let village = app
        .post_json(
            "/api/v1/villages",
            badinh.token(),
            &json!({"commune_code": BADINH, "name": "Tổ dân phố số 3", "kind": "to_dan_pho"}),
        )
        .await;
    village.assert_status(201);
    let village_id = id_of(&village.body);

    let an = created(
        app,
        &badinh,
        &with(&an_body(), "target_group", json!("farmer")),
    )
    .await;
    let binh = created(
        app,
        &badinh,
        &json!({
            "full_name": "Trần Thị Bình",
            "gender": "female",
            "birth_date": "1990-05-17",
            "personal_id": "079190000123",
            "commune_code": BADINH,
            "village_id": village_id,
            "target_group": "worker",
        }),
    )
    .await;
    assert_eq!(binh["birth_year"], 1990);
    assert_eq!(binh["village_name"], "Tổ dân phố số 3");
    let cuong = created(app, &badinh, &someone("Lê Văn Cường", "male", 2005, BADINH)).await;
    created(
        app,
        &hanoi,
        &someone("Nguyễn Văn Dũng", "male", 1970, OTHER_HANOI_COMMUNE),
    )
    .await;

    let membership = app
        .post_json(
            "/api/v1/memberships",
            badinh.token(),
            &json!({
                "person_id": id_of(&an),
                "association_unit_id": association_unit_id("commune", BADINH),
                "role": "hoi_vien",
            }),
        )
        .await;
    membership.assert_status(201);

    let (an_name, binh_name, cuong_name) = (AN_NFC, "Trần Thị Bình", "Lê Văn Cường");
    let in_village = format!("?village_id={village_id}");
    let cases: Vec<(&str, &Session, Vec<&str>)> = vec![
        ("", &badinh, vec![cuong_name, an_name, binh_name]),
        ("?q=nguyen%20van%20an", &badinh, vec![an_name]),
        ("?q=NGUYEN", &badinh, vec![an_name]),
        ("?q=Nguy%E1%BB%85n", &badinh, vec![an_name]),
        ("?q=%20%20van%20", &badinh, vec![cuong_name, an_name]),
        ("?q=binh%20tran", &badinh, vec![binh_name]),
        ("?q=cuong", &badinh, vec![cuong_name]),
        ("?q=nguyen%20van%20binh", &badinh, vec![]),
        ("?q=%25", &badinh, vec![]),
        ("?q=_", &badinh, vec![]),
        ("?q=nguyen", &hanoi, vec![an_name, "Nguyễn Văn Dũng"]),
        ("?gender=female", &badinh, vec![binh_name]),
        ("?gender=male", &badinh, vec![cuong_name, an_name]),
        (
            "?birth_year_from=1986",
            &badinh,
            vec![cuong_name, binh_name],
        ),
        ("?birth_year_to=1990", &badinh, vec![an_name, binh_name]),
        (
            "?birth_year_from=1986&birth_year_to=1990",
            &badinh,
            vec![binh_name],
        ),
        ("?target_group=farmer", &badinh, vec![an_name]),
        ("?target_group=official", &badinh, vec![]),
        ("?unit=00004", &hanoi, vec![cuong_name, an_name, binh_name]),
        ("?member=true", &badinh, vec![an_name]),
        ("?member=false", &badinh, vec![cuong_name, binh_name]),
        (&in_village, &badinh, vec![binh_name]),
        (
            "?unit=00004&member=false&gender=male",
            &hanoi,
            vec![cuong_name],
        ),
    ];
    for (query, by, expected) in &cases {
        let page = list(app, by, query).await;
        assert_eq!(names(&page), *expected, "{query} as {}", by.user.username);
        assert_eq!(page.body["total"], expected.len(), "{query}: {}", page.body);
    }
    let in_hanoi = list(app, &hanoi, "?unit=01").await;
    assert_eq!(in_hanoi.body["total"], 4);

    let first = list(app, &badinh, "?per_page=1").await;
    assert_eq!(first.body["total"], 3);
    assert_eq!(first.body["per_page"], 1);
    assert_eq!(first.body["page"], 1);
    assert_eq!(ids(&first), vec![id_of(&cuong)]);
    let second = list(app, &badinh, "?per_page=1&page=2").await;
    assert_eq!(second.body["total"], 3);
    assert_eq!(second.body["page"], 2);
    assert_eq!(ids(&second), vec![id_of(&an)]);
    assert_eq!(items(&second)[0]["is_member"], true);
    let beyond = list(app, &badinh, "?per_page=1&page=4").await;
    assert_eq!(beyond.body["total"], 3);
    assert!(items(&beyond).is_empty());
}

async fn an_exact_lookup_by_personal_id_number_finds_only_people_in_reach(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let neighbour = app
        .sign_in("hn.other", "commune_officer", OTHER_HANOI_COMMUNE)
        .await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let saigon_commune = first_commune_of(app, "79").await;
    let saigon = app
        .sign_in("hcm.commune", "commune_officer", &saigon_commune)
        .await;
    let an = created(app, &badinh, &an_body()).await;
    created(
        app,
        &badinh,
        &someone("Trần Thị Bình", "female", 1990, BADINH),
    )
    .await;
    let lookup = |by: &Session, number: &str| {
        let body = json!({ "personal_id": number });
        let token = by.token().map(str::to_string);
        async move {
            app.post_json(&format!("{PEOPLE}/lookup"), token.as_deref(), &body)
                .await
        }
    };

    for (by, number) in [
        (&badinh, AN_ID),
        (&badinh, "001 085 012 345"),
        (&badinh, "001.085.012.345"),
        (&hanoi, AN_ID),
    ] {
        let found = lookup(by, number).await;
        assert_eq!(found.status, 200, "{number}: {}", found.body);
        assert_eq!(found.body["id"], an["id"]);
        assert_eq!(found.body["full_name"], AN_NFC);
        assert_eq!(found.body["personal_id_masked"], "001******345");
        assert_no_full_number("a lookup answer", &found.body.to_string());
    }

    for number in ["12345", "abcdefghijkl", "000085012345", "001785012345", ""] {
        let refused = lookup(&badinh, number).await;
        assert_eq!(refused.status, 422, "{number:?}: {}", refused.body);
        refused.assert_invalid_field("personal_id");
    }
    lookup(&badinh, "001085099999")
        .await
        .assert_problem(404, "not_found");
    for by in [&neighbour, &saigon] {
        let hidden = lookup(by, AN_ID).await;
        hidden.assert_problem(404, "not_found");
        assert!(hidden.body.get("existing_id").is_none());
    }

    let audit = app
        .get_json(
            &format!("{AUDIT}?action=person.lookup&resource_id={}", id_of(&an)),
            badinh.token(),
        )
        .await;
    audit.assert_status(200);
    assert_eq!(
        audit.body["total"], 4,
        "each successful lookup is audited: {}",
        audit.body
    );
}

async fn revealing_a_personal_id_number_is_for_commune_officers_and_is_audited(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let branch = app.sign_in("hn.branch", "branch_officer", BADINH).await;
    let viewer = app.sign_in("hn.viewer", "viewer", BADINH).await;
    let an = created(app, &badinh, &an_body()).await;
    let id = id_of(&an);
    let without_number = created(
        app,
        &badinh,
        &someone("Trần Thị Bình", "female", 1990, BADINH),
    )
    .await;
    let path = format!("{}/personal-id", person_path(&id));

    let before = app
        .get_json(
            &format!("{AUDIT}?action=person.reveal_personal_id"),
            badinh.token(),
        )
        .await;
    before.assert_status(200);
    assert_eq!(before.body["total"], 0);

    let revealed = app.get_json(&path, badinh.token()).await;
    revealed.assert_status(200);
    assert_eq!(
        revealed.body,
        json!({"person_id": id, "personal_id": AN_ID})
    );
    assert_eq!(revealed.header("cache-control"), Some("no-store"));

    let none = app
        .get_json(
            &format!("{}/personal-id", person_path(&id_of(&without_number))),
            badinh.token(),
        )
        .await;
    none.assert_status(200);
    assert!(none.body["personal_id"].is_null(), "{}", none.body);

    for session in [&branch, &viewer] {
        let refused = app.get_json(&path, session.token()).await;
        refused.assert_problem(403, "forbidden");
        assert_no_full_number("a refusal", &refused.body.to_string());
    }

    let audit = app
        .get_json(
            &format!("{AUDIT}?action=person.reveal_personal_id&resource_id={id}"),
            badinh.token(),
        )
        .await;
    audit.assert_status(200);
    assert_eq!(audit.body["total"], 1, "{}", audit.body);
    let entry = &audit_entries(&audit)[0];
    assert_eq!(entry["action"], "person.reveal_personal_id");
    assert_eq!(entry["resource_type"], "person");
    assert_eq!(entry["resource_id"], id.as_str());
    assert_eq!(entry["actor_username"], "hn.badinh");
    assert_eq!(entry["actor_user_id"], badinh.id());
    assert_eq!(entry["unit_code"], BADINH);
    assert!(
        entry["request_id"]
            .as_str()
            .is_some_and(|r| r == revealed.header("x-request-id").unwrap_or_default()),
        "the entry names the request: {entry}"
    );
    assert_no_full_number("the audit log", &audit.body.to_string());
}

async fn a_personal_id_number_on_record_is_a_duplicate_named_only_to_those_who_may_see_it(
    app: &TestApp,
) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let neighbour = app
        .sign_in("hn.other", "commune_officer", OTHER_HANOI_COMMUNE)
        .await;
    let saigon_commune = first_commune_of(app, "79").await;
    let saigon = app
        .sign_in("hcm.commune", "commune_officer", &saigon_commune)
        .await;
    let first = created(app, &badinh, &an_body()).await;
    let first_id = id_of(&first);

    let again = with(&an_body(), "full_name", json!("Nguyễn Văn Ân"));
    for body in [
        again.clone(),
        with(&again, "personal_id", json!("001 085 012 345")),
    ] {
        let duplicate = create(app, &badinh, &body).await;
        duplicate.assert_problem(409, "duplicate");
        assert_eq!(duplicate.body["existing_id"], first_id.as_str());
    }
    let by_province = create(
        app,
        &hanoi,
        &with(&again, "commune_code", json!(OTHER_HANOI_COMMUNE)),
    )
    .await;
    by_province.assert_problem(409, "duplicate");
    assert_eq!(
        by_province.body["existing_id"],
        first_id.as_str(),
        "the province officer may see the record"
    );

    let elsewhere = [
        (
            &neighbour,
            with(&again, "commune_code", json!(OTHER_HANOI_COMMUNE)),
        ),
        (
            &saigon,
            with(&again, "commune_code", json!(saigon_commune.clone())),
        ),
    ];
    for (by, body) in elsewhere {
        let duplicate = create(app, by, &body).await;
        duplicate.assert_problem(409, "duplicate");
        assert!(
            duplicate.body.get("existing_id").is_none(),
            "{} is not told which record: {}",
            by.user.username,
            duplicate.body
        );
        let text = duplicate.body.to_string();
        for secret in [
            first_id.as_str(),
            BADINH,
            "Ba Đình",
            "Ba Dinh",
            AN_NFC,
            AN_ID,
        ] {
            assert!(
                !text.contains(secret),
                "the refusal to {} does not name {secret:?}: {text}",
                by.user.username
            );
        }
    }

    let other = created(
        app,
        &saigon,
        &someone("Võ Thị Hồng", "female", 1990, &saigon_commune),
    )
    .await;
    let taking = with(
        &with(&again, "commune_code", json!(saigon_commune.clone())),
        "full_name",
        json!("Võ Thị Hồng"),
    );
    let changed = put_json(app, &person_path(&id_of(&other)), &saigon, &taking).await;
    changed.assert_problem(409, "duplicate");
    assert!(changed.body.get("existing_id").is_none());

    let all = list(app, &hanoi, "").await;
    assert_eq!(all.body["total"], 1, "no duplicate was stored");
    let in_saigon = list(app, &saigon, "").await;
    assert_eq!(names(&in_saigon), vec!["Võ Thị Hồng"]);
}

async fn people_of_another_commune_or_province_do_not_exist_for_an_officer(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let neighbour = app
        .sign_in("hn.other", "commune_officer", OTHER_HANOI_COMMUNE)
        .await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let hcm = app.sign_in("hcm.province", "province_officer", "79").await;
    assert_commune_of_hanoi(app, OTHER_HANOI_COMMUNE).await;
    let an = created(app, &badinh, &an_body()).await;
    let id = id_of(&an);
    let path = person_path(&id);
    let own = created(
        app,
        &neighbour,
        &someone("Hoàng Văn Nam", "male", 1970, OTHER_HANOI_COMMUNE),
    )
    .await;

    for outsider in [&neighbour, &hcm] {
        let who = outsider.user.username.as_str();
        app.get_json(&path, outsider.token())
            .await
            .assert_problem(404, "not_found");
        let mut changed = an_body();
        changed["phone"] = json!("0987 654 321");
        put_json(app, &path, outsider, &changed)
            .await
            .assert_problem(404, "not_found");
        let erased = delete(app, &path, outsider).await;
        assert!(
            matches!(erased.status, 403 | 404),
            "{who} erasing: {}",
            erased.body
        );
        app.get_json(&format!("{path}/personal-id"), outsider.token())
            .await
            .assert_problem(404, "not_found");
        app.get_json(&format!("{path}/memberships"), outsider.token())
            .await
            .assert_problem(404, "not_found");
        app.post_json(
            &format!("{PEOPLE}/lookup"),
            outsider.token(),
            &json!({"personal_id": AN_ID}),
        )
        .await
        .assert_problem(404, "not_found");

        let all = list(app, outsider, "").await;
        assert!(
            !ids(&all).contains(&id),
            "{who} does not list the person: {}",
            all.body
        );
        let searched = list(app, outsider, "?q=nguyen%20van%20an").await;
        assert_eq!(searched.body["total"], 0, "{who}: {}", searched.body);
        let born = list(app, outsider, "?birth_year_from=1985&birth_year_to=1985").await;
        assert_eq!(born.body["total"], 0, "{who}: {}", born.body);
        app.get_json(&format!("{PEOPLE}?unit={BADINH}"), outsider.token())
            .await
            .assert_problem(403, "forbidden");
        app.get_json(&format!("{PEOPLE}?unit=01"), outsider.token())
            .await
            .assert_problem(403, "forbidden");
    }
    let neighbours = list(app, &neighbour, "").await;
    assert_eq!(neighbours.body["total"], 1, "{}", neighbours.body);
    assert_eq!(ids(&neighbours), vec![id_of(&own)]);
    let in_hcm = list(app, &hcm, "").await;
    assert_eq!(in_hcm.body["total"], 0);

    let seen = app.get_json(&path, hanoi.token()).await;
    seen.assert_status(200);
    assert_eq!(seen.body["phone"], "+84912345678", "nothing was changed");
    let in_hanoi = list(app, &hanoi, "").await;
    assert_eq!(in_hanoi.body["total"], 2);
    let searched = list(app, &hanoi, "?q=nguyen%20van%20an").await;
    assert_eq!(ids(&searched), vec![id.clone()]);
    let found = app
        .post_json(
            &format!("{PEOPLE}/lookup"),
            hanoi.token(),
            &json!({"personal_id": AN_ID}),
        )
        .await;
    found.assert_status(200);
    assert_eq!(found.body["id"], id.as_str());
    let revealed = app
        .get_json(&format!("{path}/personal-id"), hanoi.token())
        .await;
    revealed.assert_status(200);
    assert_eq!(revealed.body["personal_id"], AN_ID);

    let moved_away = with(&an_body(), "commune_code", json!(OTHER_HANOI_COMMUNE));
    put_json(app, &path, &badinh, &moved_away)
        .await
        .assert_problem(403, "forbidden");
    let still = app.get_json(&path, badinh.token()).await;
    assert_eq!(still.body["commune_code"], BADINH);
}

async fn changing_a_record_increments_its_version_and_erasing_it_is_for_commune_officers(
    app: &TestApp,
) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let branch = app.sign_in("hn.branch", "branch_officer", BADINH).await;
    let an = created(app, &badinh, &an_body()).await;
    let id = id_of(&an);
    let path = person_path(&id);

    let changed = put_json(
        app,
        &path,
        &badinh,
        &with(&an_body(), "phone", json!("0987.654.321")),
    )
    .await;
    changed.assert_status(200);
    assert_eq!(changed.body["id"], id.as_str());
    assert_eq!(changed.body["phone"], "+84987654321");
    assert_eq!(changed.body["version"], 2);
    assert_eq!(changed.body["full_name"], AN_NFC);
    assert_eq!(changed.body["personal_id_masked"], "001******345");
    assert_eq!(changed.body["created_at"], an["created_at"]);
    assert_no_full_number("the update answer", &changed.body.to_string());

    let audit = app
        .get_json(
            &format!("{AUDIT}?action=person.update&resource_id={id}"),
            badinh.token(),
        )
        .await;
    audit.assert_status(200);
    assert_eq!(audit.body["total"], 1, "{}", audit.body);
    let entry = &audit_entries(&audit)[0];
    assert_eq!(entry["actor_username"], "hn.badinh");
    assert_eq!(entry["detail"]["changed"], json!(["phone"]));

    assert_invalid_changes_are_refused(app, &path, &badinh).await;

    let by_branch = put_json(
        app,
        &path,
        &branch,
        &with(&an_body(), "occupation", json!("Giáo viên")),
    )
    .await;
    by_branch.assert_status(200);
    assert_eq!(by_branch.body["version"], 3);
    assert_eq!(by_branch.body["phone"], "+84912345678");

    delete(app, &path, &branch)
        .await
        .assert_problem(403, "forbidden");
    app.get_json(&path, badinh.token()).await.assert_status(200);

    let erased = delete(app, &path, &badinh).await;
    erased.assert_status(204);
    assert!(erased.body.is_null());
    app.get_json(&path, badinh.token())
        .await
        .assert_problem(404, "not_found");
    delete(app, &path, &badinh)
        .await
        .assert_problem(404, "not_found");
    let all = list(app, &badinh, "").await;
    assert_eq!(all.body["total"], 0);
    let erasure = app
        .get_json(
            &format!("{AUDIT}?action=person.delete&resource_id={id}"),
            badinh.token(),
        )
        .await;
    assert_eq!(erasure.body["total"], 1, "{}", erasure.body);
    assert_no_full_number("the erasure entry", &erasure.body.to_string());

    let again = created(app, &badinh, &an_body()).await;
    assert_ne!(again["id"], an["id"], "the number is free again");
}

/// Invalid bodies on `PUT` are refused as on `POST`, and change nothing.
async fn assert_invalid_changes_are_refused(app: &TestApp, path: &str, by: &Session) {
    let cases = [
        (
            "a bad phone",
            with(&an_body(), "phone", json!("12")),
            "phone",
        ),
        (
            "a one-letter name",
            with(&an_body(), "full_name", json!("X")),
            "full_name",
        ),
        (
            "a birth year the number disagrees with",
            with(&an_body(), "birth_year", json!(1986)),
            "personal_id",
        ),
    ];
    for (case, body, field) in cases {
        let response = put_json(app, path, by, &body).await;
        assert_eq!(response.status, 422, "{case}: {}", response.body);
        response.assert_invalid_field(field);
    }
    let unchanged = app.get_json(path, by.token()).await;
    assert_eq!(unchanged.body["version"], 2, "{}", unchanged.body);
}

async fn reading_a_record_is_audited_and_the_audit_log_is_scoped_to_the_callers_unit(
    app: &TestApp,
) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let neighbour = app
        .sign_in("hn.other", "commune_officer", OTHER_HANOI_COMMUNE)
        .await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let branch = app.sign_in("hn.branch", "branch_officer", BADINH).await;
    let viewer = app.sign_in("hn.viewer", "viewer", "01").await;
    let an = created(app, &badinh, &an_body()).await;
    let id = id_of(&an);
    let nam = created(
        app,
        &neighbour,
        &someone("Hoàng Văn Nam", "male", 1970, OTHER_HANOI_COMMUNE),
    )
    .await;
    let nam_id = id_of(&nam);

    let views = format!("{AUDIT}?action=person.view&resource_id={id}");
    let none = app.get_json(&views, badinh.token()).await;
    none.assert_status(200);
    assert_eq!(none.body["total"], 0, "creating is not viewing");

    app.get_json(&person_path(&id), badinh.token())
        .await
        .assert_status(200);
    app.get_json(&person_path(&id), hanoi.token())
        .await
        .assert_status(200);
    let viewed = app.get_json(&views, badinh.token()).await;
    viewed.assert_status(200);
    assert_eq!(viewed.body["total"], 2, "{}", viewed.body);
    let actors: Vec<&Value> = audit_entries(&viewed)
        .iter()
        .map(|e| &e["actor_username"])
        .collect();
    assert_eq!(
        actors,
        vec!["hn.province", "hn.badinh"],
        "newest first, each naming its reader"
    );
    for entry in audit_entries(&viewed) {
        assert_eq!(entry["resource_type"], "person");
        assert_eq!(entry["unit_code"], BADINH);
    }
    app.get_json(&person_path(&id), neighbour.token())
        .await
        .assert_problem(404, "not_found");
    let still = app.get_json(&views, badinh.token()).await;
    assert_eq!(still.body["total"], 2, "a refused read is not a view");

    let log = app
        .get_json(&format!("{AUDIT}?per_page=100"), badinh.token())
        .await;
    log.assert_status(200);
    let entries = audit_entries(&log);
    assert!(!entries.is_empty());
    for entry in entries {
        assert_eq!(entry["unit_code"], BADINH, "only entries of 00004: {entry}");
        assert_ne!(entry["resource_id"], nam_id.as_str(), "{entry}");
    }
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "person.create" && e["resource_id"] == id.as_str()),
        "the creation is listed: {}",
        log.body
    );
    let theirs = app
        .get_json(&format!("{AUDIT}?resource_id={nam_id}"), badinh.token())
        .await;
    assert_eq!(theirs.body["total"], 0, "{}", theirs.body);

    let province_log = app
        .get_json(&format!("{AUDIT}?action=person.create"), hanoi.token())
        .await;
    province_log.assert_status(200);
    assert_eq!(province_log.body["total"], 2, "{}", province_log.body);

    for session in [&branch, &viewer] {
        app.get_json(AUDIT, session.token())
            .await
            .assert_problem(403, "forbidden");
    }
    app.get_json(AUDIT, None)
        .await
        .assert_problem(401, "invalid_token");
}

async fn no_column_holds_a_personal_id_number_in_clear_text(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let an = created(app, &badinh, &an_body()).await;
    let id = id_of(&an);
    app.get_json(&person_path(&id), badinh.token())
        .await
        .assert_status(200);
    app.get_json(&format!("{}/personal-id", person_path(&id)), badinh.token())
        .await
        .assert_status(200);
    app.post_json(
        &format!("{PEOPLE}/lookup"),
        badinh.token(),
        &json!({"personal_id": AN_ID}),
    )
    .await
    .assert_status(200);
    let masked = "001******345";

    match app.backend() {
        Backend::Sqlite => {
            let url = app.settings().database_url.expose_secret().to_string();
            let file = url
                .strip_prefix("sqlite://")
                .and_then(|rest| rest.split('?').next())
                .unwrap_or_else(|| panic!("an SQLite URL: {url}"))
                .to_string();
            let mut bytes = Vec::new();
            let mut read = Vec::new();
            for suffix in ["", "-wal", "-journal"] {
                let path = format!("{file}{suffix}");
                if let Ok(content) = std::fs::read(&path) {
                    read.push(path);
                    bytes.extend_from_slice(&content);
                }
            }
            assert!(!read.is_empty(), "the database file {file} exists");
            let holds = |needle: &str| {
                bytes
                    .windows(needle.len())
                    .any(|window| window == needle.as_bytes())
            };
            assert!(
                holds(masked) && holds(AN_NFC),
                "the scan sees the record ({read:?}), so it could see the number"
            );
            assert!(!holds(AN_ID), "{read:?} hold {AN_ID} in clear text");
        }
        Backend::Postgres => {
            let db = app.db();
            let columns = db
                .query_all(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT table_name::text AS t, column_name::text AS c \
                     FROM information_schema.columns \
                     WHERE table_schema = 'public' \
                     AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb') \
                     ORDER BY 1, 2",
                ))
                .await
                .expect("the columns are listed");
            assert!(columns.len() > 10, "text columns exist: {}", columns.len());
            let mut masked_seen = 0_i64;
            for row in columns {
                let table: String = row.try_get("", "t").expect("a table name");
                let column: String = row.try_get("", "c").expect("a column name");
                let count = |needle: &str| {
                    let sql = format!(
                        "SELECT count(*) AS n FROM \"{table}\" \
                         WHERE CAST(\"{column}\" AS TEXT) LIKE '%{needle}%'"
                    );
                    async move {
                        db.query_one(Statement::from_string(DbBackend::Postgres, sql))
                            .await
                            .expect("the column is scanned")
                            .expect("a count")
                            .try_get::<i64>("", "n")
                            .expect("a number")
                    }
                };
                assert_eq!(
                    count(AN_ID).await,
                    0,
                    "{table}.{column} holds {AN_ID} in clear text"
                );
                masked_seen += count(masked).await;
            }
            assert!(
                masked_seen >= 2,
                "the scan sees the masked number in the record and the audit log"
            );
        }
    }
}

async fn an_edit_without_the_number_keeps_it_and_blank_optional_fields_mean_none(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    let branch = app.sign_in("hn.branch", "branch_officer", BADINH).await;
    let an = created(app, &badinh, &an_body()).await;
    let path = person_path(&id_of(&an));

    // A branch officer sees only the masked number; editing the phone keeps the number.
    let edited = put_json(
        app,
        &path,
        &branch,
        &with(
            &without(&an_body(), "personal_id"),
            "phone",
            json!("0987 654 321"),
        ),
    )
    .await;
    edited.assert_status(200);
    assert_eq!(edited.body["personal_id_masked"], "001******345");
    assert_eq!(edited.body["phone"], "+84987654321");
    let reveal = app
        .get_json(&format!("{path}/personal-id"), badinh.token())
        .await;
    reveal.assert_status(200);
    assert_eq!(reveal.body["personal_id"], AN_ID);

    // Blank optional fields are "none", on create and on edit; "" removes the number.
    let blank = created(
        app,
        &badinh,
        &json!({
            "full_name": "Lê Thị Hoa",
            "gender": "female",
            "birth_year": 1990,
            "personal_id": "",
            "phone": "  ",
            "target_group": "",
            "commune_code": BADINH,
        }),
    )
    .await;
    assert_eq!(blank["personal_id_masked"], Value::Null);
    assert_eq!(blank["phone"], Value::Null);
    assert_eq!(blank["target_group"], Value::Null);
    let removed = put_json(
        app,
        &path,
        &badinh,
        &with(&an_body(), "personal_id", json!("")),
    )
    .await;
    removed.assert_status(200);
    assert_eq!(removed.body["personal_id_masked"], Value::Null);
}
