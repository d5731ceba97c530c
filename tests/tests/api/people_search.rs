//! The people list's name search ranks by the given name (the last word of a Vietnamese full
//! name): people whose given name is the word searched come first, then those whose given name
//! starts with it, then those with another word starting with it, then the rest; diacritics do
//! not matter. And a personal ID number one digit short is refused for its length.

use serde_json::{Value, json};
use tests::{Session, TestApp};

tests::on_both_backends!(
    a_name_search_lists_people_with_that_given_name_before_names_that_only_contain_it,
    the_ranking_holds_across_pages,
    a_personal_id_number_of_eleven_digits_is_refused_for_its_length,
);

const PEOPLE: &str = "/api/v1/people";
/// Phường Ba Đình, Hà Nội.
const BADINH: &str = "00004";

async fn add(app: &TestApp, by: &Session, full_name: &str) {
    let body = json!({
        "full_name": full_name,
        "gender": "female",
        "birth_year": 1990,
        "commune_code": BADINH,
    });
    app.post_json(PEOPLE, by.token(), &body)
        .await
        .assert_status(201);
}

/// The full names the list answers for `query`, in order.
async fn names(app: &TestApp, by: &Session, query: &str) -> Vec<String> {
    let response = app.get_json(&format!("{PEOPLE}?{query}"), by.token()).await;
    response.assert_status(200);
    response.body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["full_name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The people of the scenarios, entered in an order that is neither the ranked nor the
/// alphabetical one.
async fn people(app: &TestApp) -> Session {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    for name in [
        "Trần Văn Thành",
        "Đặng Thị Thanh",
        "Bùi Văn Khánh",
        "Phạm Ánh Tuyết",
        "Nguyễn Thị Ánh",
        "Lê Anh",
        "Hoàng Thị Thu",
        "Lê Minh Thuận",
        "Nguyễn Thuỳ Linh",
        "Võ Văn Nhu",
    ] {
        add(app, &badinh, name).await;
    }
    badinh
}

async fn a_name_search_lists_people_with_that_given_name_before_names_that_only_contain_it(
    app: &TestApp,
) {
    let badinh = people(app).await;
    let cases: [(&str, Vec<&str>); 4] = [
        (
            // Ánh and Anh are one given name without diacritics; Tuyết has Ánh as a middle
            // name; Khánh, Thanh and Thành only contain the letters.
            "q=%C3%81nh",
            vec![
                "Lê Anh",
                "Nguyễn Thị Ánh",
                "Phạm Ánh Tuyết",
                "Bùi Văn Khánh",
                "Đặng Thị Thanh",
                "Trần Văn Thành",
            ],
        ),
        (
            "q=anh",
            vec![
                "Lê Anh",
                "Nguyễn Thị Ánh",
                "Phạm Ánh Tuyết",
                "Bùi Văn Khánh",
                "Đặng Thị Thanh",
                "Trần Văn Thành",
            ],
        ),
        (
            // Thu exactly, then a given name starting with "thu", then a middle name.
            "q=thu",
            vec!["Hoàng Thị Thu", "Lê Minh Thuận", "Nguyễn Thuỳ Linh"],
        ),
        (
            // Several words: all must match, the last one ranks.
            "q=thi%20anh",
            vec!["Nguyễn Thị Ánh", "Đặng Thị Thanh"],
        ),
    ];
    for (query, expected) in cases {
        assert_eq!(names(app, &badinh, query).await, expected, "{query}");
    }
    // Without a search the list stays alphabetical by the folded full name.
    let all = names(app, &badinh, "per_page=100").await;
    assert_eq!(all.first().map(String::as_str), Some("Bùi Văn Khánh"));
    assert_eq!(all.len(), 10);
}

async fn the_ranking_holds_across_pages(app: &TestApp) {
    let badinh = people(app).await;
    let mut pages = Vec::new();
    for page in 1..=3 {
        pages.extend(names(app, &badinh, &format!("q=anh&per_page=2&page={page}")).await);
    }
    assert_eq!(
        pages,
        [
            "Lê Anh",
            "Nguyễn Thị Ánh",
            "Phạm Ánh Tuyết",
            "Bùi Văn Khánh",
            "Đặng Thị Thanh",
            "Trần Văn Thành",
        ]
    );
    let response = app
        .get_json(&format!("{PEOPLE}?q=anh&per_page=2"), badinh.token())
        .await;
    assert_eq!(response.body["total"], 6, "{}", response.body);
}

async fn a_personal_id_number_of_eleven_digits_is_refused_for_its_length(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", BADINH).await;
    // "00108501234" is 001085012345 with its last digit missing: a length problem, not an
    // unknown province "000".
    for number in ["00108501234", "0010850123", "97085012345"] {
        let lookup = app
            .post_json(
                &format!("{PEOPLE}/lookup"),
                badinh.token(),
                &json!({ "personal_id": number }),
            )
            .await;
        lookup.assert_invalid_field("personal_id");
        assert_eq!(code_of(&lookup.body), "not_12_digits", "{}", lookup.body);

        let created = app
            .post_json(
                PEOPLE,
                badinh.token(),
                &json!({
                    "full_name": "Nguyễn Văn An",
                    "gender": "male",
                    "birth_year": 1985,
                    "personal_id": number,
                    "commune_code": BADINH,
                }),
            )
            .await;
        created.assert_invalid_field("personal_id");
        assert_eq!(code_of(&created.body), "not_12_digits", "{}", created.body);
        let message = created.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default();
        assert!(message.contains("12 digits"), "{message}");
    }
    // A number cell that lost its leading zero is still read as the number it was.
    let restored = app
        .post_json(
            &format!("{PEOPLE}/lookup"),
            badinh.token(),
            &json!({ "personal_id": "1085012345" }),
        )
        .await;
    assert_eq!(restored.status, 404, "{}", restored.body);
}

/// The code of the first field error.
fn code_of(body: &Value) -> &str {
    body["errors"][0]["code"].as_str().unwrap_or_default()
}
