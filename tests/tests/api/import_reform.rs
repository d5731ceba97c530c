//! The correctness suite of old addresses: for every one of the 10,051 legacy communes, rows
//! giving its province, district and commune written the ways localities write them (codes that
//! lost their zeros, names with and without diacritics, type words and case, decomposed Unicode,
//! stray spaces) under the reform's own headers, imported with the suggested mapping. Every row
//! must land exactly where the official conversion table says, or wait in the queue with the
//! table's candidates when the old commune was split; a row may be refused only when the way it
//! is written is ambiguous inside its district, and then with a reason. The expectations are
//! computed here from the seed files themselves, not by the code under test.

use crate::import::{IMPORTS, start, upload};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use tests::TestApp;
use unicode_normalization::UnicodeNormalization;

tests::on_both_backends!(
    every_legacy_commune_written_every_way_lands_where_the_conversion_table_says,
    written_rows_and_queue_items_follow_the_table_for_every_legacy_commune,
);

struct Unit {
    code: String,
    name: String,
    /// The name without its type word ("Phúc Xá").
    short: String,
    parent: String,
}

struct Data {
    provinces: HashMap<String, Unit>,
    districts: HashMap<String, Unit>,
    communes: Vec<Unit>,
    /// Old commune → (new communes, partly merged).
    conversion: HashMap<String, Vec<String>>,
    /// Old district → the new communes its communes went to.
    district_successors: HashMap<String, BTreeSet<String>>,
}

fn read(name: &str) -> Vec<HashMap<String, String>> {
    let path = tests::workspace_root().join("migrations/data").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split(',')
        .map(str::to_string)
        .collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_string))
                .collect()
        })
        .collect()
}

fn short_of(name: &str, unit_type: &str) -> String {
    // "Thành phố Hà Nội" is of type "thành phố trung ương"; the others begin with their type.
    let t = if unit_type.starts_with("thành phố") {
        "thành phố"
    } else {
        unit_type
    };
    let prefix = format!("{t} ");
    if name.to_lowercase().starts_with(&prefix) {
        name[prefix.len()..].to_string()
    } else {
        name.to_string()
    }
}

fn load() -> Data {
    let unit = |r: &HashMap<String, String>, parent: &str| Unit {
        code: r["code"].clone(),
        name: r["name"].clone(),
        short: short_of(&r["name"], &r["type"]),
        parent: r.get(parent).cloned().unwrap_or_default(),
    };
    let mut conversion: HashMap<String, Vec<String>> = HashMap::new();
    let mut district_successors: HashMap<String, BTreeSet<String>> = HashMap::new();
    for r in read("dvhc-2025-conversion.csv") {
        conversion
            .entry(r["old_commune_code"].clone())
            .or_default()
            .push(r["new_commune_code"].clone());
        district_successors
            .entry(r["old_district_code"].clone())
            .or_default()
            .insert(r["new_commune_code"].clone());
    }
    Data {
        provinces: read("dvhc-legacy-provinces.csv")
            .iter()
            .map(|r| (r["code"].clone(), unit(r, "")))
            .collect(),
        districts: read("dvhc-legacy-districts.csv")
            .iter()
            .map(|r| (r["code"].clone(), unit(r, "province_code")))
            .collect(),
        communes: read("dvhc-legacy-communes.csv")
            .iter()
            .map(|r| unit(r, "district_code"))
            .collect(),
        conversion,
        district_successors,
    }
}

/// Where the table says an old commune's people go.
#[derive(Debug, Clone, PartialEq)]
enum Expected {
    Lands(String),
    Queued(BTreeSet<String>),
    /// No conversion row and no successor of its district: nothing to choose from.
    Refused,
}

fn expected(data: &Data, commune: &Unit) -> Expected {
    match data.conversion.get(&commune.code).map(Vec::as_slice) {
        Some([one]) => Expected::Lands(one.clone()),
        Some(many) => Expected::Queued(many.iter().cloned().collect()),
        None => match data.district_successors.get(&commune.parent) {
            Some(s) if !s.is_empty() => Expected::Queued(s.clone()),
            _ => Expected::Refused,
        },
    }
}

fn fold(s: &str) -> String {
    shared::text::fold(s)
}

/// One way of writing the three cells, and how it tells units apart.
#[derive(Clone, Copy, Debug)]
enum Way {
    /// Codes without their leading zeros, as Excel leaves them.
    Codes,
    /// The official names.
    Names,
    /// Upper case, without diacritics, with the type words.
    FoldedUpper,
    /// Without type words, with diacritics, decomposed (NFD).
    ShortNfd,
    /// Without type words or diacritics, with stray spaces.
    ShortFoldedSpaced,
    /// The commune's 5-digit code alone.
    CommuneCodeOnly,
}

const WAYS: [Way; 6] = [
    Way::Codes,
    Way::Names,
    Way::FoldedUpper,
    Way::ShortNfd,
    Way::ShortFoldedSpaced,
    Way::CommuneCodeOnly,
];

impl Way {
    fn write(self, u: &Unit) -> String {
        match self {
            Way::Codes => {
                let t = u.code.trim_start_matches('0');
                if t.is_empty() { "0".into() } else { t.into() }
            }
            Way::Names => u.name.clone(),
            Way::FoldedUpper => fold(&u.name).to_uppercase(),
            Way::ShortNfd => u.short.nfd().collect(),
            Way::ShortFoldedSpaced => format!("  {}  ", fold(&u.short).replace(' ', "   ")),
            Way::CommuneCodeOnly => u.code.clone(),
        }
    }

    /// The key under which two units of one parent cannot be told apart written this way.
    fn key(self, u: &Unit) -> String {
        match self {
            Way::Codes | Way::CommuneCodeOnly => u.code.clone(),
            Way::Names => u.name.to_lowercase(),
            Way::FoldedUpper => fold(&u.name),
            Way::ShortNfd => u.short.to_lowercase(),
            Way::ShortFoldedSpaced => fold(&u.short),
        }
    }

    fn cells(self, data: &Data, c: &Unit) -> [String; 3] {
        let d = &data.districts[&c.parent];
        let p = &data.provinces[&d.parent];
        match self {
            Way::CommuneCodeOnly => [String::new(), String::new(), c.code.clone()],
            _ => [self.write(p), self.write(d), self.write(c)],
        }
    }

    /// Whether rows written this way may be refused as ambiguous: another unit of the same
    /// parent reads the same, or a ward's number reads as a code.
    fn ambiguous(self, data: &Data, c: &Unit, clashes: &Clashes) -> bool {
        let d = &data.districts[&c.parent];
        let number = |u: &Unit| u.short.bytes().all(|b| b.is_ascii_digit());
        let numbered =
            matches!(self, Way::ShortNfd | Way::ShortFoldedSpaced) && (number(c) || number(d));
        // A name written without any diacritic reads as folded: it clashes with every unit
        // whose name folds the same.
        let read_as = |u: &Unit| match self {
            Way::Names if fold(&u.name) == u.name.to_lowercase() => Way::FoldedUpper,
            Way::ShortNfd if fold(&u.short) == u.short.to_lowercase() => Way::ShortFoldedSpaced,
            way => way,
        };
        let (wc, wd) = (read_as(c), read_as(d));
        numbered
            || clashes.commune[&(wc as usize, c.parent.clone(), wc.key(c))] > 1
            || clashes.district[&(wd as usize, d.parent.clone(), wd.key(d))] > 1
    }
}

/// How many units of a parent read the same, per way of writing.
struct Clashes {
    commune: HashMap<(usize, String, String), usize>,
    district: HashMap<(usize, String, String), usize>,
}

fn clashes(data: &Data) -> Clashes {
    let mut out = Clashes {
        commune: HashMap::new(),
        district: HashMap::new(),
    };
    for way in WAYS {
        for c in &data.communes {
            *out.commune
                .entry((way as usize, c.parent.clone(), way.key(c)))
                .or_default() += 1;
        }
        for d in data.districts.values() {
            *out.district
                .entry((way as usize, d.parent.clone(), way.key(d)))
                .or_default() += 1;
        }
    }
    out
}

/// Waits for a long job.
async fn finished(app: &TestApp, token: Option<&str>, job: &Value) -> Value {
    let id = job["id"].as_str().unwrap_or_default();
    for _ in 0..2400 {
        let now = app.get_json(&format!("{IMPORTS}/{id}"), token).await;
        let status = now.body["status"].as_str().unwrap_or_default();
        if status != "queued" && status != "running" {
            assert_eq!(status, "completed", "{}", now.body);
            return now.body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the import did not finish");
}

/// Every row outcome of a job, by row number, read from its stored chunks.
async fn outcomes_of(app: &TestApp, job: &Value) -> HashMap<u64, Value> {
    let id = uuid::Uuid::parse_str(job["id"].as_str().unwrap_or_default()).expect("a job id");
    let db = app.db();
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => "SELECT outcomes FROM import_results WHERE job_id = $1",
        _ => "SELECT outcomes FROM import_results WHERE job_id = ?",
    };
    let rows = db
        .query_all(Statement::from_sql_and_values(backend, sql, [id.into()]))
        .await
        .expect("outcomes");
    let mut out = HashMap::new();
    for row in rows {
        let text: String = row.try_get_by_index(0).expect("outcomes text");
        let list: Vec<Value> = serde_json::from_str(&text).expect("outcomes json");
        for o in list {
            out.insert(o["row"].as_u64().unwrap_or_default(), o);
        }
    }
    out
}

fn csv_cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A file of old addresses under `headers`, with a row per commune and way; the row numbers
/// of each (way, commune index).
fn file(data: &Data, ways: &[Way], headers: [&str; 3]) -> (String, Vec<(u64, Way, usize)>) {
    let mut text = format!(
        "Họ và tên,Giới tính,Năm sinh,Mã hồ sơ,{}\n",
        headers.map(csv_cell).join(",")
    );
    let mut rows = Vec::new();
    let mut row = 1u64;
    for way in ways {
        for (i, c) in data.communes.iter().enumerate() {
            row += 1;
            let cells = way.cells(data, c).map(|s| csv_cell(&s));
            text.push_str(&format!(
                "Nguyễn Văn An,Nam,1980,R{row},{}\n",
                cells.join(",")
            ));
            rows.push((row, *way, i));
        }
    }
    (text, rows)
}

async fn every_legacy_commune_written_every_way_lands_where_the_conversion_table_says(
    app: &TestApp,
) {
    let data = load();
    assert_eq!(data.communes.len(), 10_051, "the whole legacy list");
    let clashes = clashes(&data);
    let admin = app.sign_in("reform", "central_admin", "VN").await;
    let token = admin.token();
    let (text, rows) = file(
        &data,
        &WAYS,
        ["Tỉnh/Thành phố (cũ)", "Quận/Huyện (cũ)", "Xã/Phường (cũ)"],
    );
    let uploaded = upload(app, token, "dia-chi-cu.csv", text.into_bytes()).await;
    assert_eq!(
        uploaded["suggested_mapping"],
        json!([
            "full_name",
            "gender",
            "birth",
            "external_id",
            "legacy_province",
            "legacy_district",
            "legacy_commune"
        ]),
        "the reform's headers name the old address"
    );
    assert_eq!(uploaded["ambiguous_headers"], json!([]));
    let job = start(
        app,
        token,
        uploaded["id"].as_str().unwrap_or_default(),
        "dry_run",
    )
    .await;
    let done = finished(app, token, &job).await;
    let outcomes = outcomes_of(app, &done).await;
    assert_eq!(outcomes.len(), rows.len());

    let mut as_table = 0usize;
    let mut refused = Vec::new();
    for (row, way, i) in &rows {
        let c = &data.communes[*i];
        let o = &outcomes[row];
        let status = o["status"].as_str().unwrap_or_default();
        let codes: Vec<&str> = o["messages"]
            .as_array()
            .map(|m| m.iter().filter_map(|m| m["code"].as_str()).collect())
            .unwrap_or_default();
        let want = expected(&data, c);
        let what = format!("row {row} ({way:?}) old commune {} {}: {o}", c.code, c.name);
        match (status, &want) {
            ("created", Expected::Lands(code)) => {
                assert_eq!(o["commune_code"].as_str(), Some(code.as_str()), "{what}");
                as_table += 1;
            }
            ("queued", Expected::Queued(_)) => {
                assert!(
                    codes.iter().any(|c| *c == "split" || *c == "unmapped"),
                    "{what}"
                );
                as_table += 1;
            }
            ("error", Expected::Refused) => {
                assert!(codes.contains(&"unmapped_legacy_commune"), "{what}");
                as_table += 1;
            }
            ("error", _) => {
                assert!(
                    way.ambiguous(&data, c, &clashes),
                    "refused although it is not ambiguous in its district: {what}"
                );
                assert!(
                    codes
                        .iter()
                        .any(|c| c.starts_with("ambiguous_") || *c == "legacy_mismatch"),
                    "a refusal says why: {what}"
                );
                refused.push(row);
            }
            _ => panic!("not where the conversion table says: {what} (expected {want:?})"),
        }
    }
    let share = as_table as f64 / rows.len() as f64;
    assert!(
        share >= 0.99,
        "{as_table} of {} rows as the table says ({} refused as ambiguous)",
        rows.len(),
        refused.len()
    );
    println!(
        "{} rows over {} legacy communes: {as_table} as the table says, {} refused as ambiguous",
        rows.len(),
        data.communes.len(),
        refused.len()
    );
}

async fn written_rows_and_queue_items_follow_the_table_for_every_legacy_commune(app: &TestApp) {
    let data = load();
    let admin = app.sign_in("reform2", "central_admin", "VN").await;
    let token = admin.token();
    // Another spelling of the reform's headers; codes without their zeros.
    let (text, rows) = file(
        &data,
        &[Way::Codes],
        [
            "Tỉnh cũ (trước sáp nhập)",
            "Huyện/Quận cũ",
            "Xã/Phường/Thị trấn trước 1/7/2025",
        ],
    );
    let uploaded = upload(app, token, "ma-cu.csv", text.into_bytes()).await;
    assert_eq!(uploaded["ambiguous_headers"], json!([]), "{uploaded}");
    let job = start(
        app,
        token,
        uploaded["id"].as_str().unwrap_or_default(),
        "valid_only",
    )
    .await;
    let done = finished(app, token, &job).await;
    let db = app.db();
    let backend = db.get_database_backend();
    let people: HashMap<String, String> = db
        .query_all(Statement::from_string(
            backend,
            "SELECT external_id, commune_code FROM people",
        ))
        .await
        .expect("people")
        .into_iter()
        .map(|r| {
            (
                r.try_get_by_index::<String>(0).unwrap_or_default(),
                r.try_get_by_index::<String>(1).unwrap_or_default(),
            )
        })
        .collect();
    let queue: HashMap<i32, BTreeSet<String>> = db
        .query_all(Statement::from_string(
            backend,
            "SELECT row_no, candidates FROM legacy_queue",
        ))
        .await
        .expect("queue")
        .into_iter()
        .map(|r| {
            let candidates: String = r.try_get_by_index(1).unwrap_or_default();
            (
                r.try_get_by_index::<i32>(0).unwrap_or_default(),
                serde_json::from_str(&candidates).unwrap_or_default(),
            )
        })
        .collect();
    let mut written = 0;
    for (row, _, i) in &rows {
        let c = &data.communes[*i];
        let person = people.get(&format!("R{row}"));
        let held = queue.get(&(*row as i32));
        match expected(&data, c) {
            Expected::Lands(code) => {
                assert_eq!(person, Some(&code), "row {row}, old commune {}", c.code);
                written += 1;
            }
            Expected::Queued(candidates) => {
                assert_eq!(person, None, "row {row}: held, not written");
                assert_eq!(held, Some(&candidates), "row {row}, old commune {}", c.code);
            }
            Expected::Refused => assert!(person.is_none() && held.is_none(), "row {row}"),
        }
    }
    assert_eq!(done["counts"]["created"], written, "{done}");
    assert_eq!(people.len(), written as usize, "no one else was written");
}
