//! `/api/v1/admin-units`: the official current and legacy lists, the search and successors.

use serde_json::Value;
use tests::{ApiResponse, TestApp};

tests::on_both_backends!(
    the_current_list_has_34_provinces_with_hanoi_as_01,
    communes_are_listed_per_province_and_add_up_to_3321,
    a_commune_is_shown_with_its_province_as_parent,
    a_province_has_no_parent_and_counts_its_communes,
    unknown_unit_codes_are_not_found,
    the_search_finds_both_ba_dinh_ignoring_type_words,
    the_search_ignores_case_and_diacritics,
    a_search_without_words_is_refused_naming_q,
    the_search_returns_at_most_limit_results,
    the_legacy_list_has_63_provinces_and_their_districts,
    a_legacy_commune_merged_whole_has_one_successor,
    a_split_legacy_commune_has_four_partial_successors,
    unknown_legacy_codes_are_not_found,
    the_legacy_search_finds_legacy_communes,
    reference_data_is_cacheable_with_an_etag,
);

fn codes(list: &[Value]) -> Vec<&str> {
    list.iter().filter_map(|u| u["code"].as_str()).collect()
}

fn position(list: &[Value], name: &str, province: &str) -> Option<usize> {
    list.iter()
        .position(|u| u["name"] == name && u["province_code"] == province)
}

async fn search(app: &TestApp, query: &str) -> ApiResponse {
    app.get_json(&format!("/api/v1/admin-units/search?{query}"), None)
        .await
}

async fn the_current_list_has_34_provinces_with_hanoi_as_01(app: &TestApp) {
    let response = app.get_json("/api/v1/admin-units/provinces", None).await;
    response.assert_status(200);
    let provinces = response.items();
    assert_eq!(provinces.len(), 34);
    assert_eq!(provinces[0]["code"], "01");
    assert_eq!(provinces[0]["name"], "Thành phố Hà Nội");
    let hcmc = provinces
        .iter()
        .find(|p| p["code"] == "79")
        .expect("79 is a current province");
    assert_eq!(hcmc["name"], "Thành phố Hồ Chí Minh");
    for province in provinces {
        assert_eq!(province["level"], "province", "{province}");
        assert_eq!(province["era"], "current", "{province}");
        assert_eq!(province["province_code"], province["code"], "{province}");
    }
    let list = codes(provinces);
    let mut sorted = list.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(list, sorted, "provinces are unique and ordered by code");
}

async fn communes_are_listed_per_province_and_add_up_to_3321(app: &TestApp) {
    for (province, expected) in [("01", 126), ("79", 168)] {
        let response = app
            .get_json(
                &format!("/api/v1/admin-units/provinces/{province}/communes"),
                None,
            )
            .await;
        response.assert_status(200);
        let communes = response.items();
        assert_eq!(communes.len(), expected, "communes of {province}");
        for commune in communes {
            assert_eq!(commune["province_code"], province, "{commune}");
            assert_eq!(commune["level"], "commune", "{commune}");
            assert_eq!(commune["code"].as_str().map(str::len), Some(5), "{commune}");
        }
    }
    let hanoi = app
        .get_json("/api/v1/admin-units/provinces/01/communes", None)
        .await;
    assert!(
        position(hanoi.items(), "Phường Ba Đình", "01").is_some(),
        "Ba Đình is a commune of Hà Nội"
    );

    let provinces = app.get_json("/api/v1/admin-units/provinces", None).await;
    let mut total = 0;
    let mut seen = std::collections::HashSet::new();
    for code in codes(provinces.items()) {
        let communes = app
            .get_json(
                &format!("/api/v1/admin-units/provinces/{code}/communes"),
                None,
            )
            .await;
        communes.assert_status(200);
        assert!(!communes.items().is_empty(), "province {code} has communes");
        total += communes.items().len();
        for commune in codes(communes.items()) {
            assert!(seen.insert(commune.to_string()), "{commune} is listed once");
        }
    }
    assert_eq!(total, 3321);
}

async fn a_commune_is_shown_with_its_province_as_parent(app: &TestApp) {
    let response = app.get_json("/api/v1/admin-units/00004", None).await;
    response.assert_status(200);
    let unit = &response.body;
    assert_eq!(unit["code"], "00004");
    assert_eq!(unit["name"], "Phường Ba Đình");
    assert_eq!(unit["type"], "phường");
    assert_eq!(unit["level"], "commune");
    assert_eq!(unit["era"], "current");
    assert_eq!(unit["province_code"], "01");
    assert_eq!(unit["parent"]["code"], "01");
    assert_eq!(unit["parent"]["name"], "Thành phố Hà Nội");
    assert_eq!(unit["children_count"], 0);
}

async fn a_province_has_no_parent_and_counts_its_communes(app: &TestApp) {
    let response = app.get_json("/api/v1/admin-units/01", None).await;
    response.assert_status(200);
    assert_eq!(response.body["name"], "Thành phố Hà Nội");
    assert_eq!(response.body["level"], "province");
    assert!(response.body["parent"].is_null(), "{}", response.body);
    assert_eq!(response.body["children_count"], 126);
}

async fn unknown_unit_codes_are_not_found(app: &TestApp) {
    let paths = [
        "/api/v1/admin-units/99",
        "/api/v1/admin-units/99999",
        "/api/v1/admin-units/001",
        "/api/v1/admin-units/abc",
        "/api/v1/admin-units/0000",
        "/api/v1/admin-units/provinces/99/communes",
        "/api/v1/admin-units/provinces/00004/communes",
    ];
    for path in paths {
        let response = app.get_json(path, None).await;
        response.assert_problem(404, "not_found");
    }
}

async fn the_search_finds_both_ba_dinh_ignoring_type_words(app: &TestApp) {
    for query in ["q=ba%20dinh", "q=Ba%20%C4%90%C3%ACnh", "q=BA+DINH"] {
        let response = search(app, query).await;
        response.assert_status(200);
        let hits = response.items();
        let ward = position(hits, "Phường Ba Đình", "01")
            .unwrap_or_else(|| panic!("{query}: Phường Ba Đình (01) in {hits:?}"));
        let commune = position(hits, "Xã Ba Đình", "38")
            .unwrap_or_else(|| panic!("{query}: Xã Ba Đình (38) in {hits:?}"));
        assert!(
            ward < 5 && commune < 5,
            "{query}: both in the first results: {ward}, {commune}"
        );
        assert_eq!(hits[ward]["code"], "00004");
        assert_eq!(hits[ward]["province_name"], "Thành phố Hà Nội");
        assert_eq!(hits[commune]["province_name"], "Tỉnh Thanh Hóa");
        for hit in hits {
            assert_eq!(hit["era"], "current", "{query}: {hit}");
        }
    }
}

async fn the_search_ignores_case_and_diacritics(app: &TestApp) {
    let reference = search(app, "q=dinh&limit=100").await;
    reference.assert_status(200);
    let expected = codes(reference.items());
    assert!(
        expected.len() > 20,
        "many units are named with đình: {expected:?}"
    );
    for query in ["q=%C4%91%C3%ACnh", "q=DINH", "q=%C4%90%C3%8CNH", "q=Dinh"] {
        let response = search(app, &format!("{query}&limit=100")).await;
        response.assert_status(200);
        assert_eq!(
            codes(response.items()),
            expected,
            "{query} behaves like dinh"
        );
    }
}

async fn a_search_without_words_is_refused_naming_q(app: &TestApp) {
    for query in ["", "q=", "q=%20%20", "limit=5", "era=legacy&q="] {
        let response = search(app, query).await;
        response.assert_invalid_field("q");
    }
}

async fn the_search_returns_at_most_limit_results(app: &TestApp) {
    for limit in [1, 3, 7] {
        let response = search(app, &format!("q=xa&limit={limit}")).await;
        response.assert_status(200);
        assert_eq!(response.items().len(), limit, "limit={limit}");
    }
    let default = search(app, "q=xa").await;
    assert_eq!(default.items().len(), 20, "20 results by default");
}

async fn the_legacy_list_has_63_provinces_and_their_districts(app: &TestApp) {
    let response = app
        .get_json("/api/v1/admin-units/legacy/provinces", None)
        .await;
    response.assert_status(200);
    let provinces = response.items();
    assert_eq!(provinces.len(), 63);
    for province in provinces {
        assert_eq!(province["era"], "legacy", "{province}");
        assert_eq!(province["level"], "province", "{province}");
    }

    let response = app
        .get_json("/api/v1/admin-units/legacy/provinces/01/districts", None)
        .await;
    response.assert_status(200);
    let districts = response.items();
    assert!(!districts.is_empty(), "Hà Nội had districts");
    for district in districts {
        assert_eq!(district["level"], "district", "{district}");
        assert_eq!(district["province_code"], "01", "{district}");
        assert_eq!(
            district["code"].as_str().map(str::len),
            Some(3),
            "{district}"
        );
    }
    assert!(
        districts.iter().any(|d| d["name"] == "Quận Ba Đình"),
        "Quận Ba Đình among {districts:?}"
    );
}

async fn a_legacy_commune_merged_whole_has_one_successor(app: &TestApp) {
    let response = app
        .get_json("/api/v1/admin-units/legacy/00001/successors", None)
        .await;
    response.assert_status(200);
    let body = &response.body;
    assert_eq!(body["legacy_code"], "00001");
    assert_eq!(body["legacy"]["name"], "Phường Phúc Xá");
    assert_eq!(body["partly_merged"], false);
    let successors = body["successors"].as_array().expect("successors");
    assert_eq!(successors.len(), 1, "{body}");
    assert_eq!(successors[0]["unit"]["code"], "00097");
    assert_eq!(successors[0]["unit"]["era"], "current");
    assert_eq!(successors[0]["province_name"], "Thành phố Hà Nội");
    assert_eq!(successors[0]["partly_merged"], false);
}

async fn a_split_legacy_commune_has_four_partial_successors(app: &TestApp) {
    let response = app
        .get_json("/api/v1/admin-units/legacy/00019/successors", None)
        .await;
    response.assert_status(200);
    let body = &response.body;
    assert_eq!(body["partly_merged"], true);
    let successors = body["successors"].as_array().expect("successors");
    let codes: Vec<&str> = successors
        .iter()
        .filter_map(|s| s["unit"]["code"].as_str())
        .collect();
    assert_eq!(codes, ["00004", "00070", "00190", "00226"]);
    for successor in successors {
        assert_eq!(successor["partly_merged"], true, "{successor}");
    }
}

async fn unknown_legacy_codes_are_not_found(app: &TestApp) {
    let paths = [
        "/api/v1/admin-units/legacy/99999/successors",
        "/api/v1/admin-units/legacy/001/successors",
        "/api/v1/admin-units/legacy/99999",
        "/api/v1/admin-units/legacy/999",
        "/api/v1/admin-units/legacy/provinces/99/districts",
        "/api/v1/admin-units/legacy/districts/999/communes",
    ];
    for path in paths {
        app.get_json(path, None)
            .await
            .assert_problem(404, "not_found");
    }
    let known = app.get_json("/api/v1/admin-units/legacy/001", None).await;
    known.assert_status(200);
    assert_eq!(known.body["name"], "Quận Ba Đình");
}

async fn the_legacy_search_finds_legacy_communes(app: &TestApp) {
    let response = search(app, "q=phuc%20xa&era=legacy").await;
    response.assert_status(200);
    let hits = response.items();
    let hit = hits
        .iter()
        .find(|h| h["code"] == "00001")
        .unwrap_or_else(|| panic!("Phúc Xá (00001) in {hits:?}"));
    assert_eq!(hit["name"], "Phường Phúc Xá");
    assert_eq!(hit["era"], "legacy");
    assert_eq!(hit["district_code"], "001");
    assert_eq!(hit["district_name"], "Quận Ba Đình");
    for hit in hits {
        assert_eq!(hit["era"], "legacy", "{hit}");
    }
    let current = search(app, "q=phuc%20xa").await;
    assert!(
        current.items().iter().all(|h| h["code"] != "00001"),
        "the current search does not return the legacy Phúc Xá: {}",
        current.body
    );
}

async fn reference_data_is_cacheable_with_an_etag(app: &TestApp) {
    for path in [
        "/api/v1/admin-units/provinces",
        "/api/v1/admin-units/00004",
        "/api/v1/admin-units/search?q=ba%20dinh",
    ] {
        let first = app.get_json(path, None).await;
        first.assert_status(200);
        let etag = first
            .header("etag")
            .unwrap_or_else(|| panic!("{path} has an ETag"))
            .to_string();
        assert!(
            etag.starts_with('"') && etag.ends_with('"'),
            "a strong ETag: {etag}"
        );
        let cache_control = first.header("cache-control").unwrap_or_default();
        assert!(cache_control.contains("max-age"), "{path}: {cache_control}");

        let again = app
            .send(
                app.request(reqwest::Method::GET, path, None)
                    .header("If-None-Match", &etag),
            )
            .await;
        again.assert_status(304);
        assert!(again.body.is_null(), "a 304 has no body: {}", again.body);
        assert_eq!(again.header("etag"), Some(etag.as_str()));
        let cache_control = again.header("cache-control").unwrap_or_default();
        assert!(
            cache_control.contains("max-age"),
            "{path} 304: {cache_control}"
        );

        let other = app
            .send(
                app.request(reqwest::Method::GET, path, None)
                    .header("If-None-Match", "\"another-version\""),
            )
            .await;
        other.assert_status(200);
        assert_eq!(other.body, first.body);
    }
}
