//! CSV and XLSX writers for report tables and people lists, and the response headers that go
//! with them. CSV is UTF-8 with a byte-order mark so that Excel shows Vietnamese correctly.
//!
//! Tables are built with stable English keys (sheet names, column keys, coded values); a
//! download in Vietnamese, the default, shows each through [`Lang::label`], and `lang=en` keeps
//! the keys, which scripts reading the files rely on.

use crate::error::ApiError;
use actix_web::HttpResponse;
use actix_web::http::header::{ACCEPT, HeaderMap};
use rust_xlsxwriter::{Format, Workbook};

/// The formats a report or list can be downloaded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Csv,
    Xlsx,
}

pub const CSV_TYPE: &str = "text/csv; charset=utf-8";
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

impl ExportFormat {
    /// From `?format=` (`json`, `csv`, `xlsx`), else from the `Accept` header; JSON by default.
    pub fn choose(format: Option<&str>, headers: &HeaderMap) -> Result<Self, ApiError> {
        if let Some(f) = format {
            return match f.trim().to_ascii_lowercase().as_str() {
                "json" => Ok(ExportFormat::Json),
                "csv" => Ok(ExportFormat::Csv),
                "xlsx" => Ok(ExportFormat::Xlsx),
                _ => Err(ApiError::field(
                    "format",
                    "invalid_format",
                    "must be json, csv or xlsx",
                )),
            };
        }
        let accept = headers
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        Ok(if accept.contains("text/csv") {
            ExportFormat::Csv
        } else if accept.contains("spreadsheetml") {
            ExportFormat::Xlsx
        } else {
            ExportFormat::Json
        })
    }
}

/// The language of a download's sheet names, column headers and coded values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Vietnamese labels (the default).
    #[default]
    Vi,
    /// The English keys, as the JSON reports name them.
    En,
}

/// Vietnamese names of the tables (XLSX sheets, the first column of a CSV of several tables).
const VI_SHEETS: &[(&str, &str)] = &[
    ("totals", "Tổng hợp"),
    ("target_group", "Theo đối tượng"),
    ("gender", "Theo giới tính"),
    ("age_band", "Theo độ tuổi"),
    ("children", "Theo đơn vị"),
    ("ethnicity", "Theo dân tộc"),
    ("religion", "Theo tôn giáo"),
    ("progress", "Tiến độ"),
    ("series", "Theo kỳ"),
    ("people", "Danh sách"),
];

/// Vietnamese labels of the keys used by the exports: column headers and coded values
/// (statuses, genders, unit levels, measures). A key without a label is shown as it is.
const VI_LABELS: &[(&str, &str)] = &[
    // Columns.
    ("table", "Bảng"),
    ("key", "Mã"),
    ("gender", "Giới tính"),
    ("target_group", "Đối tượng"),
    ("name", "Tên"),
    ("level", "Cấp"),
    ("registered", "Đăng ký"),
    ("self_assessed", "Đã tự đánh giá"),
    ("under_review", "Đang xét"),
    ("review_passed", "Đạt khi xét"),
    ("review_failed", "Không đạt khi xét"),
    ("recognised", "Được công nhận"),
    ("not_recognised", "Không được công nhận"),
    ("revoked", "Bị thu hồi"),
    ("withdrawn", "Rút đăng ký"),
    ("members", "Hội viên"),
    ("recognised_officials", "Cán bộ, công chức được công nhận"),
    ("population", "Dân số"),
    ("adult_population", "Dân số từ 15 tuổi"),
    ("staff", "Cán bộ, công chức, viên chức"),
    (
        "recognised_of_adults",
        "Tỷ lệ công nhận trên dân số từ 15 tuổi",
    ),
    (
        "recognised_officials_of_staff",
        "Tỷ lệ cán bộ, công chức được công nhận",
    ),
    ("suppressed", "Đã ẩn số nhỏ"),
    ("measure", "Chỉ tiêu"),
    ("numerator", "Số đạt"),
    ("denominator", "Mẫu số"),
    ("rate", "Tỷ lệ"),
    ("target_rate", "Tỷ lệ mục tiêu"),
    ("target_year", "Năm mục tiêu"),
    ("achievement", "Mức hoàn thành"),
    ("year", "Năm"),
    ("period", "Kỳ"),
    ("full_name", "Họ và tên"),
    ("birth_date", "Ngày sinh"),
    ("birth_year", "Năm sinh"),
    ("personal_id", "Số định danh cá nhân"),
    ("province_code", "Mã tỉnh"),
    ("commune_code", "Mã xã"),
    ("province", "Tỉnh, thành phố"),
    ("commune", "Xã, phường, đặc khu"),
    ("village", "Thôn, tổ dân phố"),
    ("occupation", "Nghề nghiệp"),
    ("workplace", "Nơi làm việc"),
    // Values.
    ("male", "Nam"),
    ("female", "Nữ"),
    ("nation", "Toàn quốc"),
    ("branch", "Chi hội"),
    ("committee", "Ban đại diện"),
    ("legacy_nation", "Toàn quốc (đơn vị cũ)"),
    ("legacy_province", "Tỉnh cũ"),
    ("legacy_district", "Huyện cũ"),
    ("legacy_commune", "Xã cũ"),
    ("unattributed", "Không xác định được đơn vị cũ"),
    ("adults", "Công dân học tập"),
    ("officials", "Cán bộ, công chức, viên chức học tập"),
    ("not_stated", "Không khai"),
    ("true", "Có"),
    ("false", "Không"),
];

impl Lang {
    /// From `?lang=` (`vi`, `en`); Vietnamese by default.
    pub fn parse(lang: Option<&str>) -> Result<Self, ApiError> {
        match lang.map(|l| l.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("vi") => Ok(Lang::Vi),
            Some("en") => Ok(Lang::En),
            Some(_) => Err(ApiError::field("lang", "invalid_lang", "must be vi or en")),
        }
    }

    /// The label of `key` in this language: Vietnamese from `VI_LABELS`, in English the key.
    pub fn label(self, key: &str) -> String {
        match self {
            Lang::En => key.to_string(),
            Lang::Vi => VI_LABELS
                .iter()
                .find(|(k, _)| *k == key)
                .map_or_else(|| key.to_string(), |(_, label)| (*label).to_string()),
        }
    }

    /// `key` as a cell: its label, or empty when there is no key.
    pub fn cell(self, key: Option<&str>) -> Cell {
        key.map_or(Cell::Empty, |k| Cell::Text(self.label(k)))
    }

    /// The name of the table `key` in this language.
    pub fn sheet(self, key: &str) -> String {
        match self {
            Lang::En => key.to_string(),
            Lang::Vi => VI_SHEETS
                .iter()
                .find(|(k, _)| *k == key)
                .map_or_else(|| key.to_string(), |(_, name)| (*name).to_string()),
        }
    }

    /// `tables` with their sheet names and headers in this language.
    pub fn tables(self, tables: &[Table]) -> Vec<Table> {
        tables
            .iter()
            .map(|t| Table {
                name: self.sheet(&t.name),
                headers: t.headers.iter().map(|h| self.label(h)).collect(),
                rows: t.rows.clone(),
            })
            .collect()
    }
}

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Float(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Int(n)
    }
}

impl From<Option<i64>> for Cell {
    fn from(n: Option<i64>) -> Self {
        n.map_or(Cell::Empty, Cell::Int)
    }
}

impl From<Option<f64>> for Cell {
    fn from(n: Option<f64>) -> Self {
        n.map_or(Cell::Empty, Cell::Float)
    }
}

impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Self {
        s.map_or(Cell::Empty, Cell::Text)
    }
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Float(f) => format!("{f:.4}"),
            Cell::Empty => String::new(),
        }
    }
}

/// A named table: one XLSX sheet, or a block of rows in a CSV tagged with its name.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Sheet name (at most 31 characters, no `[]:*?/\`).
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// CSV (UTF-8 with BOM). With several tables, a first column (headed `table_column`) names each
/// row's table and the header is the union of the tables' headers in order of first use.
pub fn to_csv(tables: &[Table], table_column: &str) -> Result<Vec<u8>, ApiError> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let csv_err = |e: csv::Error| ApiError::Internal(anyhow::anyhow!(e));
        if let [only] = tables {
            w.write_record(&only.headers).map_err(csv_err)?;
            for row in &only.rows {
                w.write_record(row.iter().map(Cell::text))
                    .map_err(csv_err)?;
            }
        } else {
            let mut columns: Vec<String> = Vec::new();
            for t in tables {
                for h in &t.headers {
                    if !columns.contains(h) {
                        columns.push(h.clone());
                    }
                }
            }
            let mut header = vec![table_column.to_string()];
            header.extend(columns.iter().cloned());
            w.write_record(&header).map_err(csv_err)?;
            for t in tables {
                for row in &t.rows {
                    let mut line = vec![t.name.clone()];
                    for c in &columns {
                        line.push(
                            t.headers
                                .iter()
                                .position(|h| h == c)
                                .and_then(|i| row.get(i))
                                .map(Cell::text)
                                .unwrap_or_default(),
                        );
                    }
                    w.write_record(&line).map_err(csv_err)?;
                }
            }
        }
        w.flush()
            .map_err(|e| ApiError::Internal(anyhow::anyhow!(e)))?;
    }
    Ok(out)
}

/// XLSX with one sheet per table, a bold header row and numbers as numbers.
pub fn to_xlsx(tables: &[Table]) -> Result<Vec<u8>, ApiError> {
    let xlsx_err = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(anyhow::anyhow!(e));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for t in tables {
        let sheet = book.add_worksheet();
        let name: String = t
            .name
            .chars()
            .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
            .take(31)
            .collect();
        sheet.set_name(&name).map_err(xlsx_err)?;
        for (c, h) in t.headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, h, &bold)
                .map_err(xlsx_err)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => {
                        sheet.write_string(r, c, s).map_err(xlsx_err)?;
                    }
                    Cell::Int(n) => {
                        sheet.write_number(r, c, *n as f64).map_err(xlsx_err)?;
                    }
                    Cell::Float(f) => {
                        sheet.write_number(r, c, *f).map_err(xlsx_err)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
    }
    book.save_to_buffer().map_err(xlsx_err)
}

/// `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266 / 5987), so browsers
/// keep the Vietnamese letters and old clients still get a usable name.
pub fn content_disposition(stem: &str, extension: &str) -> String {
    attachment(&format!("{stem}.{extension}"))
}

/// [`content_disposition`] of a whole file name.
pub fn attachment(file_name: &str) -> String {
    let ascii: String = shared::text::fold(file_name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in file_name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The download response of `tables` in `format` (CSV or XLSX), their sheet names and headers
/// in `lang`.
pub fn download(
    format: ExportFormat,
    lang: Lang,
    stem: &str,
    tables: &[Table],
) -> Result<HttpResponse, ApiError> {
    let tables = lang.tables(tables);
    let (body, content_type, ext) = match format {
        ExportFormat::Xlsx => (to_xlsx(&tables)?, XLSX_TYPE, "xlsx"),
        _ => (to_csv(&tables, &lang.label("table"))?, CSV_TYPE, "csv"),
    };
    Ok(HttpResponse::Ok()
        .insert_header(("Content-Type", content_type))
        .insert_header(("Content-Disposition", content_disposition(stem, ext)))
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_keeps_vietnamese_in_the_utf8_form_and_is_ascii_in_the_fallback() {
        let h = content_disposition("báo-cáo-Hà Nội", "csv");
        assert!(
            h.starts_with("attachment; filename=\"bao-cao-ha-noi.csv\""),
            "{h}"
        );
        assert!(
            h.ends_with("filename*=UTF-8''b%C3%A1o-c%C3%A1o-H%C3%A0%20N%E1%BB%99i.csv"),
            "{h}"
        );
    }

    #[test]
    fn vietnamese_labels_every_key_of_the_report_columns_and_english_keeps_the_keys() {
        for key in shared::report::StatusCounts::COLUMNS {
            assert_ne!(Lang::Vi.label(key), key, "{key} has a Vietnamese label");
            assert_eq!(Lang::En.label(key), key);
        }
        assert_eq!(Lang::Vi.label("self_assessed"), "Đã tự đánh giá");
        assert_eq!(Lang::parse(None).ok(), Some(Lang::Vi));
        assert_eq!(Lang::parse(Some("EN")).ok(), Some(Lang::En));
        assert!(Lang::parse(Some("fr")).is_err());
        for catalogue in [VI_LABELS, VI_SHEETS] {
            let mut keys: Vec<&str> = catalogue.iter().map(|(k, _)| *k).collect();
            keys.sort_unstable();
            let before = keys.len();
            keys.dedup();
            assert_eq!(keys.len(), before, "each key has one label");
        }
        for (_, label) in VI_LABELS.iter().chain(VI_SHEETS) {
            use unicode_normalization::UnicodeNormalization;
            assert_eq!(label.nfc().collect::<String>(), *label, "{label} is NFC");
        }
    }

    #[test]
    fn csv_starts_with_a_bom_and_tags_rows_of_several_tables() {
        let t = |name: &str, h: &str, v: i64| Table {
            name: name.into(),
            headers: vec!["key".into(), h.into()],
            rows: vec![vec![Cell::from("Nữ"), Cell::Int(v)]],
        };
        let out = to_csv(&[t("a", "x", 1), t("b", "y", 2)], "table").unwrap_or_default();
        let text = String::from_utf8(out).unwrap_or_default();
        assert_eq!(text, "\u{feff}table,key,x,y\na,Nữ,1,\nb,Nữ,,2\n");
    }
}
