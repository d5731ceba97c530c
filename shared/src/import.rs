//! Bulk import of people from spreadsheets, legacy addresses and restructurings: the template's
//! columns, the tolerant cell parsers and the request and response shapes of the import API.
//!
//! Everything here is pure, so the SPA previews a file with exactly the rules the server applies:
//! headers are matched ignoring case, diacritics and punctuation; cells that Excel mangled (ID
//! numbers and codes that lost their leading zeros, numbers written as `1234.0`) are repaired.

use crate::admin_unit::fold_unit_name;
use crate::person::Gender;
use crate::text::fold;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;
use validator::Validate;

// ---------------------------------------------------------------------------------------------
// The template
// ---------------------------------------------------------------------------------------------

/// What a column of the template holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ColumnKey {
    FullName,
    Gender,
    Birth,
    PersonalId,
    Phone,
    /// The current province (since 2025-07-01), by code or name.
    Province,
    CommuneCode,
    Village,
    Occupation,
    TargetGroup,
    Workplace,
    ExternalId,
    LegacyProvince,
    LegacyDistrict,
    LegacyCommune,
    MemberJoinedOn,
    MemberCardNumber,
    MemberRole,
    RegistrationYear,
    ReviewingUnit,
}

impl ColumnKey {
    /// The snake_case name used in mappings and JSON.
    pub fn as_str(self) -> &'static str {
        column(self).key
    }

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<Self> {
        COLUMNS.iter().find(|c| c.key == s).map(|c| c.column)
    }
}

/// One column of the import template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateColumn {
    pub column: ColumnKey,
    /// snake_case name, as in a column mapping.
    pub key: &'static str,
    /// The Vietnamese header of the template.
    pub header: &'static str,
    /// Other headers seen in real files, matched like the header (folded).
    pub aliases: &'static [&'static str],
    pub required: bool,
    /// What goes in it, in Vietnamese.
    pub description: &'static str,
    pub example: &'static str,
}

/// The template, in column order.
pub const COLUMNS: &[TemplateColumn] = &[
    TemplateColumn {
        column: ColumnKey::FullName,
        key: "full_name",
        header: "Họ và tên",
        aliases: &["ho ten", "ten", "ho va ten cong dan", "full name", "name"],
        required: true,
        description: "Họ và tên đầy đủ, có dấu",
        example: "Nguyễn Văn An",
    },
    TemplateColumn {
        column: ColumnKey::Gender,
        key: "gender",
        header: "Giới tính",
        aliases: &["gioi", "phai", "gender", "sex"],
        required: true,
        description: "Nam hoặc Nữ",
        example: "Nam",
    },
    TemplateColumn {
        column: ColumnKey::Birth,
        key: "birth",
        header: "Ngày sinh",
        aliases: &[
            "ngay thang nam sinh",
            "nam sinh",
            "sinh ngay",
            "birth date",
            "date of birth",
        ],
        required: true,
        description: "dd/mm/yyyy, yyyy-mm-dd hoặc chỉ năm sinh (yyyy)",
        example: "15/03/1985",
    },
    TemplateColumn {
        column: ColumnKey::PersonalId,
        key: "personal_id",
        header: "Số định danh cá nhân",
        aliases: &[
            "so dinh danh",
            "so cccd",
            "cccd",
            "can cuoc cong dan",
            "so can cuoc",
            "ma dinh danh",
            "personal id",
        ],
        required: false,
        description: "12 chữ số (được phép có dấu cách hoặc dấu chấm)",
        example: "001085012345",
    },
    TemplateColumn {
        column: ColumnKey::Phone,
        key: "phone",
        header: "Số điện thoại",
        aliases: &["dien thoai", "sdt", "so dt", "phone"],
        required: false,
        description: "Số di động hoặc cố định Việt Nam",
        example: "0912345678",
    },
    TemplateColumn {
        column: ColumnKey::Province,
        key: "province",
        header: "Tỉnh/Thành phố (mới)",
        aliases: &["province"],
        required: false,
        description: "Tỉnh/thành phố hiện hành (từ 01/07/2025): mã 2 chữ số hoặc tên; cần khi ghi xã bằng tên",
        example: "Hà Nội",
    },
    TemplateColumn {
        column: ColumnKey::CommuneCode,
        key: "commune_code",
        header: "Mã xã",
        aliases: &["ma xa moi", "commune code"],
        required: false,
        description: "Xã/phường/đặc khu hiện hành: mã 5 chữ số, hoặc tên (trong tỉnh ở cột tỉnh/thành phố mới); bỏ trống nếu ghi địa chỉ cũ",
        example: "00004",
    },
    TemplateColumn {
        column: ColumnKey::Village,
        key: "village",
        header: "Thôn, tổ dân phố",
        aliases: &[
            "thon",
            "thon to dan pho",
            "to dan pho",
            "thon ap ban",
            "khu pho",
            "village",
        ],
        required: false,
        description: "Tên thôn, bản, ấp, tổ dân phố; thôn chưa có trong danh mục của xã được thêm (tùy chọn khi nhập)",
        example: "Thôn Đông",
    },
    TemplateColumn {
        column: ColumnKey::Occupation,
        key: "occupation",
        header: "Nghề nghiệp",
        aliases: &["nghe", "occupation"],
        required: false,
        description: "Nghề nghiệp",
        example: "Nông dân",
    },
    TemplateColumn {
        column: ColumnKey::TargetGroup,
        key: "target_group",
        header: "Nhóm đối tượng",
        aliases: &["doi tuong", "ma nhom doi tuong", "target group"],
        required: false,
        description: "Mã hoặc tên nhóm đối tượng (xem danh mục nhóm đối tượng)",
        example: "farmer",
    },
    TemplateColumn {
        column: ColumnKey::Workplace,
        key: "workplace",
        header: "Nơi làm việc",
        aliases: &["co quan", "don vi cong tac", "workplace"],
        required: false,
        description: "Cơ quan, trường học, doanh nghiệp",
        example: "",
    },
    TemplateColumn {
        column: ColumnKey::ExternalId,
        key: "external_id",
        header: "Mã hồ sơ",
        aliases: &["ma", "ma ho so cua don vi", "stt ho so", "external id"],
        required: false,
        description: "Mã riêng của đơn vị; dùng để nhận ra bản ghi khi nhập lại nếu không có số định danh",
        example: "HS-0001",
    },
    TemplateColumn {
        column: ColumnKey::LegacyProvince,
        key: "legacy_province",
        header: "Tỉnh cũ",
        aliases: &["legacy province"],
        required: false,
        description: "Tỉnh/thành phố trước 01/07/2025: mã hoặc tên, có hay không có dấu",
        example: "Hà Nội",
    },
    TemplateColumn {
        column: ColumnKey::LegacyDistrict,
        key: "legacy_district",
        header: "Huyện cũ",
        aliases: &["legacy district"],
        required: false,
        description: "Quận/huyện/thị xã/thành phố trước 01/07/2025: mã hoặc tên",
        example: "Quận Ba Đình",
    },
    TemplateColumn {
        column: ColumnKey::LegacyCommune,
        key: "legacy_commune",
        header: "Xã cũ",
        aliases: &["legacy commune"],
        required: false,
        description: "Xã/phường/thị trấn trước 01/07/2025: mã hoặc tên",
        example: "Phường Trúc Bạch",
    },
    TemplateColumn {
        column: ColumnKey::MemberJoinedOn,
        key: "member_joined_on",
        header: "Ngày vào Hội",
        aliases: &["ngay vao hoi", "ngay ket nap", "hoi vien tu ngay"],
        required: false,
        description: "Có giá trị thì người này là hội viên của Hội cơ sở xã",
        example: "01/01/2020",
    },
    TemplateColumn {
        column: ColumnKey::MemberCardNumber,
        key: "member_card_number",
        header: "Số thẻ hội viên",
        aliases: &["so the", "the hoi vien"],
        required: false,
        description: "Số thẻ hội viên",
        example: "",
    },
    TemplateColumn {
        column: ColumnKey::MemberRole,
        key: "member_role",
        header: "Chức vụ trong Hội",
        aliases: &["chuc vu", "chuc vu hoi"],
        required: false,
        description: "Chủ tịch, Phó chủ tịch, Ủy viên, Chi hội trưởng hoặc Hội viên (mặc định)",
        example: "Hội viên",
    },
    TemplateColumn {
        column: ColumnKey::RegistrationYear,
        key: "registration_year",
        header: "Năm đăng ký",
        aliases: &[
            "dang ky nam",
            "ky dang ky",
            "nam dang ky danh hieu",
            "registration year",
        ],
        required: false,
        description: "Có giá trị thì người này được đăng ký danh hiệu Công dân học tập kỳ của năm đó \
                      (kỳ đang nhận đăng ký; cần nhóm đối tượng)",
        example: "2026",
    },
    TemplateColumn {
        column: ColumnKey::ReviewingUnit,
        key: "reviewing_unit",
        header: "Đơn vị xét",
        aliases: &[
            "don vi xet duyet",
            "don vi tham dinh",
            "chi hoi",
            "chi hoi ban khuyen hoc",
            "reviewing unit",
        ],
        required: false,
        description: "Chi hội hoặc ban khuyến học của xã xét đăng ký; bỏ trống thì theo quy định của kỳ",
        example: "",
    },
];

/// The template entry of a column.
pub fn column(key: ColumnKey) -> &'static TemplateColumn {
    COLUMNS
        .iter()
        .find(|c| c.column == key)
        .unwrap_or(&COLUMNS[0])
}

/// Folds a header for matching: diacritics, case, punctuation (`*`, `:`, `(…)`, `/`, `-`, `_`,
/// `.`) and surrounding spaces do not count. "Số CCCD (*)" → "so cccd".
pub fn fold_header(header: &str) -> String {
    let without_parens: String = {
        let mut out = String::with_capacity(header.len());
        let mut depth = 0usize;
        for c in header.chars() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                _ if depth == 0 => out.push(c),
                _ => {}
            }
        }
        out
    };
    let spaced: String = without_parens
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c.is_whitespace() {
                c
            } else {
                ' '
            }
        })
        .collect();
    fold(&spaced)
}

/// Which address a header says it holds: the one before 2025-07-01, the current one, or
/// neither said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Era {
    Old,
    New,
    Unmarked,
}

/// Words that mark the old address, folded (punctuation read as spaces).
const OLD_MARKERS: &[&str] = &[
    "cu",
    "truoc sap nhap",
    "truoc khi sap nhap",
    "truoc 1 7 2025",
    "truoc 01 07 2025",
    "truoc ngay 1 7 2025",
    "truoc ngay 01 07 2025",
    "truoc 1 7",
    "old",
    "legacy",
];

/// Words that mark the current address.
const NEW_MARKERS: &[&str] = &[
    "moi",
    "hien nay",
    "hien tai",
    "sau sap nhap",
    "sau khi sap nhap",
    "tu 1 7 2025",
    "tu 01 07 2025",
    "sau 1 7 2025",
    "sau 01 07 2025",
    "new",
    "current",
];

/// The level of unit an address header names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AddressLevel {
    Province,
    District,
    Commune,
}

const PROVINCE_HEADERS: &[&str] = &[
    "tinh",
    "tinh thanh",
    "tinh thanh pho",
    "tinh tp",
    "thanh pho tinh",
    "tinh thanh pho truc thuoc trung uong",
    "province",
];

const DISTRICT_HEADERS: &[&str] = &[
    "huyen",
    "quan",
    "quan huyen",
    "huyen quan",
    "huyen thi xa",
    "quan huyen thi xa",
    "quan huyen thi xa thanh pho",
    "quan huyen tx",
    "quan huyen tx tp",
    "quan huyen thi xa tp",
    "huyen thi xa thanh pho",
    "district",
];

const COMMUNE_HEADERS: &[&str] = &[
    "xa",
    "phuong",
    "xa phuong",
    "phuong xa",
    "xa thi tran",
    "xa phuong thi tran",
    "xa phuong tt",
    "phuong xa thi tran",
    "xa phuong dac khu",
    "xa phuong thi tran dac khu",
    "don vi hanh chinh",
    "don vi hanh chinh cap xa",
    "dvhc cap xa",
    "commune",
    "ward",
];

/// Folds a header keeping what is in parentheses: "Xã/Phường (cũ)" → "xa phuong cu".
fn fold_words(header: &str) -> String {
    let spaced: String = header
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    fold(&spaced)
}

/// Removes `marker` when it is the whole of `words`' end (or start, after "dia chi").
fn strip_marker<'a>(words: &'a str, markers: &[&str]) -> Option<&'a str> {
    for m in markers {
        if let Some(rest) = words.strip_suffix(m)
            && (rest.is_empty() || rest.ends_with(' '))
        {
            return Some(rest.trim_end());
        }
    }
    None
}

/// What an address header names: its level and the address it says it belongs to.
fn address_header(header: &str) -> Option<(AddressLevel, Era)> {
    let mut words = fold_words(header);
    let mut era = Era::Unmarked;
    // Markers may be stacked ("Xã cũ (trước sáp nhập)") or lead ("Địa chỉ cũ: Xã").
    for _ in 0..3 {
        if let Some(rest) = strip_marker(&words, OLD_MARKERS) {
            if era == Era::New {
                return None;
            }
            era = Era::Old;
            words = rest.to_string();
        } else if let Some(rest) = strip_marker(&words, NEW_MARKERS) {
            if era == Era::Old {
                return None;
            }
            era = Era::New;
            words = rest.to_string();
        } else {
            break;
        }
    }
    for (prefix, marked) in [
        ("dia chi cu ", Era::Old),
        ("dia chi truoc sap nhap ", Era::Old),
        ("dia chi moi ", Era::New),
        ("dia chi hien nay ", Era::New),
        ("dia chi sau sap nhap ", Era::New),
    ] {
        if let Some(rest) = words.strip_prefix(prefix) {
            if era != Era::Unmarked && era != marked {
                return None;
            }
            era = marked;
            words = rest.to_string();
        }
    }
    let base = ["ma ", "ten ", "dia chi "]
        .iter()
        .find_map(|p| words.strip_prefix(p))
        .unwrap_or(&words)
        .trim();
    // "Thị trấn" names only old units, "đặc khu" only current ones.
    if era == Era::Unmarked {
        if base.contains("thi tran") {
            era = Era::Old;
        } else if base.contains("dac khu") {
            era = Era::New;
        }
    }
    let level = if PROVINCE_HEADERS.contains(&base) {
        AddressLevel::Province
    } else if DISTRICT_HEADERS.contains(&base) {
        AddressLevel::District
    } else if COMMUNE_HEADERS.contains(&base) {
        AddressLevel::Commune
    } else {
        return None;
    };
    Some((level, era))
}

/// How a header reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderMatch {
    /// It names this column.
    Column(ColumnKey),
    /// It could name any of these: an address column that does not say whether it holds the
    /// old address or the current one.
    Ambiguous(Vec<ColumnKey>),
    /// No column of the template.
    Unknown,
}

/// Reads one header on its own: the template's headers and aliases (ignoring case, diacritics
/// and punctuation), and address headers by their level and their marker of the old address
/// ("(cũ)", "cũ", "trước sáp nhập", "trước 1/7/2025", "(old)") or of the current one ("(mới)",
/// "mới", "hiện nay", "sau sáp nhập", "(new)"). Districts exist only in old addresses; a
/// province or commune header without a marker is ambiguous.
pub fn read_header(header: &str) -> HeaderMatch {
    let folded = fold_header(header);
    if folded.is_empty() {
        return HeaderMatch::Unknown;
    }
    // The template's own headers first: "Mã xã" is the current commune, "Xã cũ" the old one.
    if let Some(c) = COLUMNS
        .iter()
        .find(|c| fold_words(c.header) == fold_words(header))
    {
        return HeaderMatch::Column(c.column);
    }
    if let Some((level, era)) = address_header(header) {
        use AddressLevel as L;
        return match (level, era) {
            (L::Province, Era::Old) => HeaderMatch::Column(ColumnKey::LegacyProvince),
            (L::District, Era::Old | Era::Unmarked) => {
                HeaderMatch::Column(ColumnKey::LegacyDistrict)
            }
            (L::Commune, Era::Old) => HeaderMatch::Column(ColumnKey::LegacyCommune),
            (L::Province, Era::New) => HeaderMatch::Column(ColumnKey::Province),
            (L::Commune, Era::New) => HeaderMatch::Column(ColumnKey::CommuneCode),
            // There are no districts since 2025-07-01.
            (L::District, Era::New) => HeaderMatch::Unknown,
            (L::Province, Era::Unmarked) => {
                HeaderMatch::Ambiguous(vec![ColumnKey::Province, ColumnKey::LegacyProvince])
            }
            (L::Commune, Era::Unmarked) => {
                HeaderMatch::Ambiguous(vec![ColumnKey::CommuneCode, ColumnKey::LegacyCommune])
            }
        };
    }
    COLUMNS
        .iter()
        .find(|c| fold_header(c.header) == folded || c.aliases.iter().any(|a| *a == folded))
        .map_or(HeaderMatch::Unknown, |c| HeaderMatch::Column(c.column))
}

/// The template column a header names on its own, if it names exactly one.
pub fn match_header(header: &str) -> Option<ColumnKey> {
    match read_header(header) {
        HeaderMatch::Column(c) => Some(c),
        _ => None,
    }
}

/// A header the file's other headers do not settle: the officer chooses what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AmbiguousHeader {
    /// Its position among the headers (0-based).
    pub index: usize,
    pub header: String,
    /// The columns it could be.
    pub choices: Vec<ColumnKey>,
    /// Why it is asked, in Vietnamese.
    pub message: String,
}

/// How a file's headers read together: the column each names (`None`: ignored, or to be
/// chosen) and the headers that need a choice. An unmarked province or commune header is read
/// as part of the old address when the file has a district column (districts exist only in
/// old addresses) and no header marked as the current address; otherwise it is asked.
pub fn suggest_mapping(headers: &[String]) -> (Vec<Option<ColumnKey>>, Vec<AmbiguousHeader>) {
    let read: Vec<HeaderMatch> = headers.iter().map(|h| read_header(h)).collect();
    let has_district = read.contains(&HeaderMatch::Column(ColumnKey::LegacyDistrict));

    let has_current = read.iter().any(|r| {
        matches!(
            r,
            HeaderMatch::Column(ColumnKey::Province | ColumnKey::CommuneCode)
        )
    });
    let mut taken = Vec::new();
    let mut out = Vec::with_capacity(headers.len());
    let mut ambiguous = Vec::new();
    for (index, (header, r)) in headers.iter().zip(read).enumerate() {
        let chosen = match r {
            HeaderMatch::Column(c) => Some(c),
            HeaderMatch::Ambiguous(choices) if has_district && !has_current => choices
                .into_iter()
                .find(|c| matches!(c, ColumnKey::LegacyProvince | ColumnKey::LegacyCommune)),
            HeaderMatch::Ambiguous(choices) => {
                ambiguous.push(AmbiguousHeader {
                    index,
                    header: header.clone(),
                    message: format!(
                        "Cột \"{header}\" không ghi rõ là địa chỉ cũ (trước 01/07/2025) hay địa chỉ hiện nay: chọn một"
                    ),
                    choices,
                });
                None
            }
            HeaderMatch::Unknown => None,
        };
        let chosen = chosen.filter(|c| !taken.contains(c));
        if let Some(c) = chosen {
            taken.push(c);
        }
        out.push(chosen);
    }
    (out, ambiguous)
}

/// The column each header of a file maps to: the client's mapping (header → column key, or an
/// empty key to ignore a header) first, then [`suggest_mapping`]. A column is taken by the first
/// header that maps to it only. A header that needs a choice and has none is an error, as is a
/// missing required column.
pub fn resolve_mapping(
    headers: &[String],
    overrides: &HashMap<String, String>,
) -> Result<Vec<Option<ColumnKey>>, MappingError> {
    let (suggested, ambiguous) = suggest_mapping(headers);
    let mut taken = Vec::new();
    let mut out = Vec::with_capacity(headers.len());
    let folded_overrides: HashMap<String, &String> =
        overrides.iter().map(|(h, k)| (fold_words(h), k)).collect();
    for (index, header) in headers.iter().enumerate() {
        let chosen =
            match overrides
                .get(header)
                .or_else(|| folded_overrides.get(&fold_words(header)).copied())
            {
                Some(key) if key.trim().is_empty() => None,
                Some(key) => Some(ColumnKey::parse(key.trim()).ok_or_else(|| {
                    MappingError::UnknownColumn {
                        header: header.clone(),
                        key: key.clone(),
                    }
                })?),
                None => {
                    if let Some(a) = ambiguous.iter().find(|a| a.index == index) {
                        return Err(MappingError::AmbiguousColumn {
                            header: header.clone(),
                            choices: a
                                .choices
                                .iter()
                                .map(|c| c.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                        });
                    }
                    suggested.get(index).copied().flatten()
                }
            };
        let chosen = chosen.filter(|c| !taken.contains(c));
        if let Some(c) = chosen {
            taken.push(c);
        }
        out.push(chosen);
    }
    for c in COLUMNS.iter().filter(|c| c.required) {
        if !taken.contains(&c.column) {
            return Err(MappingError::MissingColumn {
                key: c.key.to_string(),
                header: c.header.to_string(),
            });
        }
    }
    Ok(out)
}

/// Why a file's headers cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("thiếu cột bắt buộc \"{header}\" ({key})")]
    MissingColumn { key: String, header: String },
    #[error("cột \"{header}\" được gán cho \"{key}\", không phải một cột của mẫu")]
    UnknownColumn { header: String, key: String },
    #[error(
        "cột \"{header}\" không ghi rõ là địa chỉ cũ hay địa chỉ hiện nay: gán nó cho một trong {choices} trong mapping"
    )]
    AmbiguousColumn { header: String, choices: String },
}

impl MappingError {
    pub fn code(&self) -> &'static str {
        match self {
            MappingError::MissingColumn { .. } => "missing_column",
            MappingError::UnknownColumn { .. } => "unknown_column",
            MappingError::AmbiguousColumn { .. } => "ambiguous_column",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------------------------

/// A cell as Excel may have written a number: "1085012345.0" → "1085012345"; anything else is
/// trimmed only.
pub fn excel_text(cell: &str) -> String {
    let t = cell.trim();
    if let Some(int) = t.strip_suffix(".0")
        && !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
    {
        return int.to_string();
    }
    t.to_string()
}

/// A code of `width` digits as spreadsheets mangle it ("4", "4.0", " 00004 ") padded back with
/// leading zeros; `None` when it is not all digits or is longer than `width`.
pub fn pad_code(cell: &str, width: usize) -> Option<String> {
    let t = excel_text(cell);
    if t.is_empty() || t.len() > width || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{t:0>width$}"))
}

/// "Nam"/"Nữ" and the other spellings seen in files (male/female, M/F, nam giới, nữ giới).
pub fn parse_gender(cell: &str) -> Option<Gender> {
    match fold(cell).as_str() {
        "nam" | "nam gioi" | "male" | "m" | "trai" => Some(Gender::Male),
        "nu" | "nu gioi" | "female" | "f" | "gai" => Some(Gender::Female),
        _ => None,
    }
}

/// A membership role as written in files ("Phó chủ tịch", "pho_chu_tich") → its code.
pub fn parse_member_role(cell: &str) -> Option<&'static str> {
    let f = fold(&cell.replace('_', " "));
    match f.as_str() {
        "" | "hoi vien" => Some("hoi_vien"),
        "chu tich" => Some("chu_tich"),
        "pho chu tich" => Some("pho_chu_tich"),
        "uy vien" => Some("uy_vien"),
        "chi hoi truong" => Some("chi_hoi_truong"),
        _ => None,
    }
}

/// How a cell names an administrative unit: by code (digits, padded to the width of its level)
/// or by name (folded, the type word dropped: "Huyện Ba Vì" and "ba vi" are the same key).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UnitRef {
    Code(String),
    Name(String),
}

/// Reads a unit cell: all digits → a code padded to `width`; otherwise a folded short name.
pub fn unit_ref(cell: &str, width: usize) -> Option<UnitRef> {
    let t = excel_text(cell);
    if t.is_empty() {
        return None;
    }
    if let Some(code) = pad_code(&t, width) {
        return Some(UnitRef::Code(code));
    }
    let name = fold_unit_name(&t);
    (!name.is_empty()).then_some(UnitRef::Name(name))
}

/// Names of numbered wards are written "Phường 1" or "Phường 01": the key of a folded short
/// name with leading zeros of a lone number dropped.
pub fn name_key(folded_short_name: &str) -> String {
    let trimmed = folded_short_name.trim_start_matches('0');
    if !folded_short_name.is_empty()
        && folded_short_name.bytes().all(|b| b.is_ascii_digit())
        && !trimmed.is_empty()
    {
        trimmed.to_string()
    } else if folded_short_name.bytes().all(|b| b == b'0') && !folded_short_name.is_empty() {
        "0".to_string()
    } else {
        folded_short_name.to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// The import API
// ---------------------------------------------------------------------------------------------

/// What to do with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Report every row's outcome; write nothing.
    DryRun,
    /// Write every row, or none when any row has an error.
    AllOrNothing,
    /// Write the valid rows; report the others.
    ValidOnly,
}

impl ImportMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportMode::DryRun => "dry_run",
            ImportMode::AllOrNothing => "all_or_nothing",
            ImportMode::ValidOnly => "valid_only",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            ImportMode::DryRun,
            ImportMode::AllOrNothing,
            ImportMode::ValidOnly,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

/// The kind of an uploaded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Csv,
    Xlsx,
}

impl FileFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(FileFormat::Csv),
            "xlsx" => Some(FileFormat::Xlsx),
            _ => None,
        }
    }
}

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting for a worker.
    Queued,
    Running,
    /// Done; the rows' outcomes are final.
    Completed,
    /// Stopped by an error of the file or the server; `error` says which. Nothing of an
    /// all-or-nothing job is written.
    Failed,
    /// The server stopped while it ran; resume it (`POST /imports/{id}/resume`).
    Interrupted,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Completed => "completed",
            JobStatus::Failed => "failed",
            JobStatus::Interrupted => "interrupted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            JobStatus::Queued,
            JobStatus::Running,
            JobStatus::Completed,
            JobStatus::Failed,
            JobStatus::Interrupted,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

/// What happened (or, in a dry run, would happen) to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    Created,
    Updated,
    /// The record exists with the same values.
    Unchanged,
    /// Not written: see the messages.
    Error,
    /// The legacy address maps to several current communes, or to none: the row waits in the
    /// legacy-address queue for an officer's choice.
    Queued,
    /// Valid, but not written because another row of an all-or-nothing import had an error.
    Skipped,
}

impl RowStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Created => "created",
            RowStatus::Updated => "updated",
            RowStatus::Unchanged => "unchanged",
            RowStatus::Error => "error",
            RowStatus::Queued => "queued",
            RowStatus::Skipped => "skipped",
        }
    }

    /// The Vietnamese word of the annotated report.
    pub fn label_vi(self) -> &'static str {
        match self {
            RowStatus::Created => "Thêm mới",
            RowStatus::Updated => "Cập nhật",
            RowStatus::Unchanged => "Không đổi",
            RowStatus::Error => "Lỗi",
            RowStatus::Queued => "Chờ chọn xã mới",
            RowStatus::Skipped => "Không ghi (tệp có dòng lỗi)",
        }
    }
}

/// One remark on a row: which column, a stable code and a Vietnamese message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowMessage {
    /// The template column (`personal_id`…), or `row` for the row as a whole.
    pub column: String,
    #[cfg_attr(feature = "openapi", schema(example = "not_12_digits"))]
    pub code: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Số định danh cá nhân phải có đúng 12 chữ số")
    )]
    pub message: String,
}

/// The outcome of one row of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowOutcome {
    /// The row number in the sheet (the header is row 1).
    pub row: u32,
    pub status: RowStatus,
    /// The person written or matched.
    pub person_id: Option<Uuid>,
    /// The current commune the row ends up on.
    pub commune_code: Option<String>,
    /// The queue item holding the row, for `queued`.
    pub queue_item_id: Option<Uuid>,
    /// The registration the row created (files with a registration year).
    #[serde(default)]
    pub registration_id: Option<Uuid>,
    /// Errors (status `error`) or notes (how an old address was converted, a value repaired).
    pub messages: Vec<RowMessage>,
}

/// Rows per outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub error: u64,
    pub queued: u64,
    pub skipped: u64,
    /// Rows that registered their person for a period (counted besides their status).
    #[serde(default)]
    pub registered: u64,
    /// Villages the import added to their commune.
    #[serde(default)]
    pub villages_created: u64,
}

impl ImportCounts {
    pub fn add(&mut self, status: RowStatus) {
        match status {
            RowStatus::Created => self.created += 1,
            RowStatus::Updated => self.updated += 1,
            RowStatus::Unchanged => self.unchanged += 1,
            RowStatus::Error => self.error += 1,
            RowStatus::Queued => self.queued += 1,
            RowStatus::Skipped => self.skipped += 1,
        }
    }

    /// Counts a row's outcome: its status, and its registration when it made one.
    pub fn record(&mut self, outcome: &RowOutcome) {
        self.add(outcome.status);
        if outcome.registration_id.is_some()
            && !matches!(outcome.status, RowStatus::Error | RowStatus::Skipped)
        {
            self.registered += 1;
        }
        if outcome.status != RowStatus::Skipped {
            self.villages_created += outcome
                .messages
                .iter()
                .filter(|m| m.code == "village_created")
                .count() as u64;
        }
    }
}

/// An uploaded file, read: its headers, how they map to the template, and its first rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportUpload {
    pub id: Uuid,
    pub file_name: String,
    pub format: FileFormat,
    /// CSV: `,` or `;`, as sniffed.
    pub delimiter: Option<String>,
    pub headers: Vec<String>,
    /// The template column each header maps to by its name (`null`: ignored, or to be chosen);
    /// change it with `mapping` when starting the import.
    pub suggested_mapping: Vec<Option<ColumnKey>>,
    /// Address headers that do not say whether they hold the old address or the current one:
    /// the import does not start until `mapping` names a column for each.
    #[serde(default)]
    pub ambiguous_headers: Vec<AmbiguousHeader>,
    /// The first rows' addresses as the suggested mapping reads them (empty while a header
    /// needs a choice): a wrong mapping shows here before any dry run.
    #[serde(default)]
    pub address_preview: Vec<AddressPreview>,
    /// Data rows (without the header).
    pub rows_total: u64,
    /// The first data rows, cell by cell, as text.
    pub preview: Vec<Vec<String>>,
    pub uploaded_at: DateTime<Utc>,
}

/// Where one row's address leads, as the mapping reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddressPreview {
    /// The row's number in the sheet.
    pub row: u32,
    /// The address cells as written, joined.
    pub written: String,
    pub status: AddressPreviewStatus,
    /// The current commune the row lands on (`current`, `converted`).
    pub commune_code: Option<String>,
    /// "Phường Ba Đình, Thành phố Hà Nội".
    pub commune_name: Option<String>,
    /// The communes an officer chooses from (`queued`), by code.
    pub candidates: Vec<String>,
    /// The same communes by name: "Phường Ngọc Hà (00008)".
    #[serde(default)]
    pub candidate_names: Vec<String>,
    /// Why, or what was converted.
    pub messages: Vec<RowMessage>,
}

/// What a row's address comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AddressPreviewStatus {
    /// A current commune, given on the row.
    Current,
    /// An old address converted through the conversion table.
    Converted,
    /// An old address waiting for an officer's choice (split or unmapped commune).
    Queued,
    /// Not usable: see the messages.
    Error,
}

/// `POST /imports/uploads/{id}/preview`: how the first rows read under a mapping.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewRequest {
    /// As in `POST /imports`.
    #[serde(default)]
    pub mapping: HashMap<String, String>,
}

/// The answer to a preview: the mapping in force, what still needs a choice, and the first
/// rows' addresses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportPreview {
    pub mapping: Vec<Option<ColumnKey>>,
    pub ambiguous_headers: Vec<AmbiguousHeader>,
    /// Why the mapping cannot start an import (a missing required column, a header to choose).
    pub mapping_error: Option<String>,
    pub address_preview: Vec<AddressPreview>,
}

/// Options of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportOptions {
    /// Create a village named in a row that its commune does not have yet (listed in the
    /// report and audited). Default: on for commune and province officers. When off, such a
    /// row is written without its village, with a warning.
    #[serde(default)]
    pub create_villages: Option<bool>,
    /// The target group (code or name) of rows whose group is empty or not recognised: an
    /// unrecognised group is then a warning, not an error.
    #[serde(default)]
    pub default_target_group: Option<String>,
}

/// `POST /imports`: run an import of an uploaded file.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartImportRequest {
    pub upload_id: Uuid,
    pub mode: ImportMode,
    /// Header → template column key (`full_name`…, or `""` to ignore the header); headers not
    /// named here are matched by name. Address headers that do not say whether they hold the
    /// old or the current address must be named here.
    #[serde(default)]
    pub mapping: HashMap<String, String>,
    #[serde(default)]
    pub create_villages: Option<bool>,
    #[serde(default)]
    pub default_target_group: Option<String>,
}

/// A background import and its progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportJob {
    pub id: Uuid,
    pub upload_id: Uuid,
    pub file_name: String,
    pub mode: ImportMode,
    pub status: JobStatus,
    pub rows_total: u64,
    /// Rows whose outcome is known (and, for `valid_only`, committed).
    pub rows_done: u64,
    pub counts: ImportCounts,
    /// Why the job failed.
    pub error: Option<String>,
    /// The unit the importing officer is attached to; rows outside it are errors.
    pub unit_code: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

// ---------------------------------------------------------------------------------------------
// Legacy-address queue
// ---------------------------------------------------------------------------------------------

/// Why an old address needs an officer's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QueueReason {
    /// The old commune was split over several current communes.
    Split,
    /// The conversion table has no row for the old commune.
    Unmapped,
    /// A restructuring dissolved the commune the record was on, without a single successor.
    Restructured,
}

impl QueueReason {
    pub fn as_str(self) -> &'static str {
        match self {
            QueueReason::Split => "split",
            QueueReason::Unmapped => "unmapped",
            QueueReason::Restructured => "restructured",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            QueueReason::Split,
            QueueReason::Unmapped,
            QueueReason::Restructured,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

/// What a queue item is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QueueSubject {
    /// A person: an import row, or an existing record.
    Person,
    /// A village or residential group of a dissolved commune.
    Village,
    /// A branch or committee of the Association unit of a dissolved commune (with the units
    /// under it).
    AssociationUnit,
}

impl QueueSubject {
    pub fn as_str(self) -> &'static str {
        match self {
            QueueSubject::Person => "person",
            QueueSubject::Village => "village",
            QueueSubject::AssociationUnit => "association_unit",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            QueueSubject::Person,
            QueueSubject::Village,
            QueueSubject::AssociationUnit,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

/// Where a queue item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QueueSource {
    /// A row of a bulk import.
    Import,
    /// A record on a commune that a restructuring dissolved.
    Restructuring,
    /// A record sent to `POST /people`, `PUT /people/{id}` or `PUT /sync/people` with an old
    /// address.
    Api,
}

/// A current commune offered for a queued record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateCommune {
    pub code: String,
    pub name: String,
    pub province_code: String,
}

/// A record (an import row or an existing person) waiting for its current commune.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    pub id: Uuid,
    pub reason: QueueReason,
    /// `pending` or `resolved`.
    pub status: String,
    /// The current province whose officers decide.
    pub province_code: String,
    /// What waits for a commune: a person, a village, or a branch or committee.
    pub subject_type: QueueSubject,
    /// The subject as shown: the person's full name, the village's or the unit's name.
    pub subject_name: String,
    /// The queued village (subject `village`).
    pub village_id: Option<Uuid>,
    /// The queued branch or committee (subject `association_unit`).
    pub association_unit_id: Option<Uuid>,
    /// `branch` or `committee` (subject `association_unit`).
    pub association_level: Option<crate::registry::AssociationLevel>,
    /// The person's name; for a village or a unit, its name when it was queued.
    pub full_name: String,
    /// The old address as written: province, district, commune.
    pub legacy_address: String,
    pub legacy_commune_code: Option<String>,
    /// Current communes the old one went into (empty when unmapped: any commune of the
    /// province may be chosen).
    pub candidates: Vec<CandidateCommune>,
    /// Where the item comes from: an import, a restructuring, or a record sent through the API
    /// with an old address.
    pub source: QueueSource,
    /// The import that held the row, and the row number.
    pub import_job_id: Option<Uuid>,
    pub row: Option<u32>,
    /// An existing record to move.
    pub person_id: Option<Uuid>,
    pub resolved_commune_code: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// `POST /legacy-queue/{id}/resolve`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResolveRequest {
    #[validate(length(min = 1, max = 8, message = "is required"))]
    #[cfg_attr(feature = "openapi", schema(example = "00004"))]
    pub commune_code: String,
}

/// `POST /legacy-queue/resolve`: several items at once.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkResolveRequest {
    #[validate(
        length(min = 1, max = 1000, message = "must list 1 to 1000 items"),
        nested
    )]
    pub items: Vec<BulkResolveItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkResolveItem {
    pub id: Uuid,
    pub commune_code: String,
}

/// What resolving did to one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResolveOutcome {
    pub id: Uuid,
    /// `created` (a held import row became a person), `moved` (a record changed commune), or
    /// `error` with the messages.
    pub result: String,
    pub person_id: Option<Uuid>,
    /// The village moved (subject `village`).
    #[serde(default)]
    pub village_id: Option<Uuid>,
    /// The branch or committee moved (subject `association_unit`).
    #[serde(default)]
    pub association_unit_id: Option<Uuid>,
    /// The registration made for a held row that gave a registration year.
    #[serde(default)]
    pub registration_id: Option<Uuid>,
    /// Errors (result `error`) or notes (a held registration that could not be made).
    pub messages: Vec<RowMessage>,
}

// ---------------------------------------------------------------------------------------------
// Restructuring
// ---------------------------------------------------------------------------------------------

/// How a unit changes between the current list and a newer one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Renamed,
    /// Now in another province.
    Moved,
    /// Gone, wholly into one other unit.
    Merged,
    /// Gone, split over several units or with no successor: its records are queued.
    Dissolved,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Moved => "moved",
            ChangeKind::Merged => "merged",
            ChangeKind::Dissolved => "dissolved",
        }
    }
}

/// Old → new, wholly or in part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineageLink {
    pub old_code: String,
    pub new_code: String,
    /// The whole old unit went into the new one (`false`: a part).
    pub whole: bool,
}

/// The level of a changed unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeLevel {
    Province,
    /// The default, so that changes recorded before provinces could change read as communes.
    #[default]
    Commune,
}

impl ChangeLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeLevel::Province => "province",
            ChangeLevel::Commune => "commune",
        }
    }
}

/// The province types of the official list.
pub const PROVINCE_TYPES: [&str; 2] = ["tỉnh", "thành phố trung ương"];

/// One changed province or commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitChange {
    /// `province` or `commune` (absent: `commune`).
    #[serde(default)]
    pub level: ChangeLevel,
    pub kind: ChangeKind,
    pub code: String,
    pub old_name: Option<String>,
    pub new_name: Option<String>,
    /// For a commune, the province it sits in; for a province, its own code before (absent when
    /// added) and after (for a merged one, its successor; absent when dissolved).
    pub old_province_code: Option<String>,
    pub new_province_code: Option<String>,
    /// For merged and dissolved units: where they go.
    pub successors: Vec<LineageLink>,
    /// For a commune: people, villages, memberships and registrations on it now. For a province:
    /// the accounts, API clients and province-level Association units (committees) on it now.
    pub records: u64,
}

/// `POST /restructurings`: a newer official list (communes, provinces or both), with the
/// lineage of the communes it removes.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RestructuringRequest {
    /// The communes file, in the format of `dvhc-2025-communes.csv`
    /// (`code,name,type,province_code`). Absent: the communes stay as they are. At least one of
    /// `communes_csv` and `provinces_csv` is required.
    #[serde(default)]
    #[validate(length(max = 4000000, message = "is too long"))]
    pub communes_csv: Option<String>,
    /// The provinces file, in the format of `dvhc-2025-provinces.csv`
    /// (`code,name,type[,codename,phone_code]`). Absent: the provinces stay as they are.
    #[serde(default)]
    #[validate(length(max = 400000, message = "is too long"))]
    pub provinces_csv: Option<String>,
    /// Optional lineage, in the format of `dvhc-2025-conversion.csv` (old → new commune,
    /// `partly_merged`); only the rows of removed communes are used.
    #[serde(default)]
    pub lineage_csv: Option<String>,
}

/// A computed (and possibly applied) restructuring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Restructuring {
    pub id: Uuid,
    /// `draft`, `applied` or `undone`.
    pub status: String,
    pub changes: Vec<UnitChange>,
    pub effective_date: Option<NaiveDate>,
    pub legal_basis: Option<String>,
    /// Records moved along the lineage, and records queued, by the apply.
    pub moved_records: u64,
    pub queued_records: u64,
    pub created_at: DateTime<Utc>,
    pub applied_at: Option<DateTime<Utc>>,
    pub undone_at: Option<DateTime<Utc>>,
}

/// `POST /restructurings/{id}/apply`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplyRestructuringRequest {
    pub effective_date: NaiveDate,
    /// The decision or resolution that makes the change ("Nghị quyết 1234/NQ-UBTVQH15").
    #[validate(length(min = 3, max = 300, message = "must be 3 to 300 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "Nghị quyết 1656/NQ-UBTVQH15"))]
    pub legal_basis: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_ignoring_case_diacritics_and_punctuation() {
        let cases = [
            ("Họ và tên", Some(ColumnKey::FullName)),
            ("HO VA TEN (*)", Some(ColumnKey::FullName)),
            ("  họ tên: ", Some(ColumnKey::FullName)),
            ("Số CCCD", Some(ColumnKey::PersonalId)),
            ("so_dinh_danh", Some(ColumnKey::PersonalId)),
            ("Ngày/tháng/năm sinh", Some(ColumnKey::Birth)),
            ("SĐT", Some(ColumnKey::Phone)),
            ("Xã cũ", Some(ColumnKey::LegacyCommune)),
            ("Quận/Huyện", Some(ColumnKey::LegacyDistrict)),
            ("Ghi chú", None),
        ];
        for (header, expected) in cases {
            assert_eq!(match_header(header), expected, "{header:?}");
        }
    }

    #[test]
    fn the_reforms_headers_say_which_address_they_hold() {
        use ColumnKey as K;
        let cases = [
            (
                "Tỉnh/Thành phố (cũ)",
                HeaderMatch::Column(K::LegacyProvince),
            ),
            ("Quận/Huyện (cũ)", HeaderMatch::Column(K::LegacyDistrict)),
            ("Xã/Phường (cũ)", HeaderMatch::Column(K::LegacyCommune)),
            (
                "Xã/Phường/Thị trấn cũ",
                HeaderMatch::Column(K::LegacyCommune),
            ),
            (
                "Tỉnh cũ (trước sáp nhập)",
                HeaderMatch::Column(K::LegacyProvince),
            ),
            ("Xã trước 1/7/2025", HeaderMatch::Column(K::LegacyCommune)),
            ("Commune (old)", HeaderMatch::Column(K::LegacyCommune)),
            (
                "Địa chỉ cũ - Xã/Phường",
                HeaderMatch::Column(K::LegacyCommune),
            ),
            ("Mã xã (cũ)", HeaderMatch::Column(K::LegacyCommune)),
            ("Tỉnh/Thành phố (mới)", HeaderMatch::Column(K::Province)),
            ("Tỉnh/TP hiện nay", HeaderMatch::Column(K::Province)),
            ("Xã/Phường (mới)", HeaderMatch::Column(K::CommuneCode)),
            (
                "Xã/Phường sau sáp nhập",
                HeaderMatch::Column(K::CommuneCode),
            ),
            ("Tên xã (new)", HeaderMatch::Column(K::CommuneCode)),
            ("Xã, phường, đặc khu", HeaderMatch::Column(K::CommuneCode)),
            ("Mã xã", HeaderMatch::Column(K::CommuneCode)),
            ("Quận/Huyện", HeaderMatch::Column(K::LegacyDistrict)),
            ("Quận/Huyện (mới)", HeaderMatch::Unknown),
            (
                "Xã/Phường",
                HeaderMatch::Ambiguous(vec![K::CommuneCode, K::LegacyCommune]),
            ),
            (
                "Tỉnh/Thành phố",
                HeaderMatch::Ambiguous(vec![K::Province, K::LegacyProvince]),
            ),
            ("Nơi cư trú", HeaderMatch::Unknown),
        ];
        for (header, expected) in cases {
            assert_eq!(read_header(header), expected, "{header:?}");
        }
    }

    #[test]
    fn an_address_header_that_could_mean_either_is_asked_not_suggested() {
        let headers = |h: &[&str]| h.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // Beside a district column, province and commune are the old address.
        let (mapping, ambiguous) = suggest_mapping(&headers(&["Họ tên", "Tỉnh", "Huyện", "Xã"]));
        assert!(ambiguous.is_empty());
        assert_eq!(
            mapping,
            vec![
                Some(ColumnKey::FullName),
                Some(ColumnKey::LegacyProvince),
                Some(ColumnKey::LegacyDistrict),
                Some(ColumnKey::LegacyCommune)
            ]
        );
        // Without one, a commune column is asked about, and an import cannot start on it.
        let file = headers(&[
            "Họ tên",
            "Giới tính",
            "Năm sinh",
            "Tỉnh/Thành phố",
            "Xã/Phường",
        ]);
        let (mapping, ambiguous) = suggest_mapping(&file);
        assert_eq!(mapping[3], None);
        assert_eq!(ambiguous.len(), 2);
        assert_eq!(ambiguous[1].index, 4);
        assert!(matches!(
            resolve_mapping(&file, &HashMap::new()),
            Err(MappingError::AmbiguousColumn { .. })
        ));
        let mut chosen = HashMap::new();
        chosen.insert("Tỉnh/Thành phố".to_string(), "province".to_string());
        chosen.insert("Xã/Phường".to_string(), "commune_code".to_string());
        let mapping = resolve_mapping(&file, &chosen).expect("chosen");
        assert_eq!(mapping[4], Some(ColumnKey::CommuneCode));
        // Both addresses in one file.
        let (mapping, ambiguous) = suggest_mapping(&headers(&[
            "Tỉnh/Thành phố (cũ)",
            "Quận/Huyện (cũ)",
            "Xã/Phường (cũ)",
            "Tỉnh/Thành phố (mới)",
            "Xã/Phường (mới)",
        ]));
        assert!(ambiguous.is_empty());
        assert_eq!(
            mapping,
            vec![
                Some(ColumnKey::LegacyProvince),
                Some(ColumnKey::LegacyDistrict),
                Some(ColumnKey::LegacyCommune),
                Some(ColumnKey::Province),
                Some(ColumnKey::CommuneCode)
            ]
        );
    }

    #[test]
    fn a_mapping_may_rename_or_ignore_headers_and_required_columns_are_checked() {
        let headers: Vec<String> = ["Tên người", "Phái", "NS", "Ghi chú"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut overrides = HashMap::new();
        overrides.insert("Tên người".to_string(), "full_name".to_string());
        overrides.insert("NS".to_string(), "birth".to_string());
        let mapping = resolve_mapping(&headers, &overrides).expect("mapped");
        assert_eq!(
            mapping,
            vec![
                Some(ColumnKey::FullName),
                Some(ColumnKey::Gender),
                Some(ColumnKey::Birth),
                None
            ]
        );
        overrides.insert("NS".to_string(), String::new());
        assert!(matches!(
            resolve_mapping(&headers, &overrides),
            Err(MappingError::MissingColumn { .. })
        ));
        overrides.insert("NS".to_string(), "nonsense".to_string());
        assert!(matches!(
            resolve_mapping(&headers, &overrides),
            Err(MappingError::UnknownColumn { .. })
        ));
    }

    #[test]
    fn codes_that_lost_their_leading_zeros_are_padded() {
        assert_eq!(pad_code("4", 5).as_deref(), Some("00004"));
        assert_eq!(pad_code("4.0", 5).as_deref(), Some("00004"));
        assert_eq!(pad_code(" 00004 ", 5).as_deref(), Some("00004"));
        assert_eq!(pad_code("123456", 5), None);
        assert_eq!(pad_code("Ba Đình", 5), None);
        assert_eq!(excel_text("1085012345.0"), "1085012345");
    }

    #[test]
    fn units_are_referred_to_by_code_or_folded_name() {
        assert_eq!(unit_ref("1", 2), Some(UnitRef::Code("01".into())));
        assert_eq!(
            unit_ref("Huyện Ba Vì", 3),
            Some(UnitRef::Name("ba vi".into()))
        );
        assert_eq!(unit_ref("ba vi", 3), Some(UnitRef::Name("ba vi".into())));
        assert_eq!(
            unit_ref("THỊ TRẤN Tây Đằng", 5),
            Some(UnitRef::Name("tay dang".into()))
        );
        assert_eq!(unit_ref("", 5), None);
        assert_eq!(name_key("01"), "1");
        assert_eq!(name_key("ba dinh"), "ba dinh");
    }

    #[test]
    fn genders_and_roles_are_read_as_written() {
        assert_eq!(parse_gender("Nữ"), Some(Gender::Female));
        assert_eq!(parse_gender(" NAM "), Some(Gender::Male));
        assert_eq!(parse_gender("x"), None);
        assert_eq!(parse_member_role("Phó Chủ tịch"), Some("pho_chu_tich"));
        assert_eq!(parse_member_role(""), Some("hoi_vien"));
        assert_eq!(parse_member_role("thủ quỹ"), None);
    }
}
