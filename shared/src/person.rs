//! People: the personal ID number, gender, phone, name and birth rules.
//!
//! Each rule lives here once. The server converts request fields with these functions, the SPA
//! checks forms with the `validate_*` adapters, and bulk import uses the tolerant parsers, so a value
//! refused in one place is refused everywhere, with the same code and message.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use unicode_normalization::char::is_combining_mark;
use validator::ValidationError;

/// A person's gender, as recorded and as encoded in the personal ID number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub const ALL: [Gender; 2] = [Gender::Male, Gender::Female];

    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Gender::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

impl fmt::Display for Gender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// ---------------------------------------------------------------------------------------------
// Personal ID number (số định danh cá nhân)
// ---------------------------------------------------------------------------------------------

/// The 63 legacy province codes (before 2025-07-01). The personal ID number starts with "0" and one
/// of them: the province where the birth was registered. Sorted, for `binary_search`.
const LEGACY_PROVINCE_CODES: [&str; 63] = [
    "01", "02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "19", "20", "22", "24", "25",
    "26", "27", "30", "31", "33", "34", "35", "36", "37", "38", "40", "42", "44", "45", "46", "48",
    "49", "51", "52", "54", "56", "58", "60", "62", "64", "66", "67", "68", "70", "72", "74", "75",
    "77", "79", "80", "82", "83", "84", "86", "87", "89", "91", "92", "93", "94", "95", "96",
];

/// Why a personal ID number was refused, or does not agree with the record it is on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonalIdError {
    #[error("the personal ID number must have exactly 12 digits")]
    Not12Digits,
    #[error(
        "the personal ID number must start with 0 and a province code (001 Hà Nội … 096 Cà Mau), \
         not {prefix}"
    )]
    UnknownProvince { prefix: String },
    #[error(
        "the 4th digit of the personal ID number (century and gender) must be 0 to 5, not {digit}"
    )]
    InvalidCenturyDigit { digit: char },
    #[error(
        "the personal ID number encodes a {encoded} born in {birth_year}, but the record says \
         {recorded}"
    )]
    GenderMismatch {
        encoded: Gender,
        birth_year: i32,
        recorded: Gender,
    },
    #[error("the personal ID number encodes a birth in {encoded}, but the record says {recorded}")]
    BirthYearMismatch { encoded: i32, recorded: i32 },
}

impl PersonalIdError {
    /// Stable snake_case code; clients branch on this.
    pub fn code(&self) -> &'static str {
        match self {
            PersonalIdError::Not12Digits => "not_12_digits",
            PersonalIdError::UnknownProvince { .. } => "unknown_province",
            PersonalIdError::InvalidCenturyDigit { .. } => "invalid_century_digit",
            PersonalIdError::GenderMismatch { .. } => "gender_mismatch",
            PersonalIdError::BirthYearMismatch { .. } => "birth_year_mismatch",
        }
    }
}

/// A well-formed personal ID number: 12 digits, a known province, a valid century digit.
///
/// `Debug` shows it masked so that it never reaches a log in full (DOMAIN.md §9); use
/// [`PersonalId::as_str`] where the full number is really needed.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonalId(String);

impl PersonalId {
    /// Parses a personal ID number as people type it or as spreadsheets mangle it: spaces, dots and
    /// dashes are ignored, and 10 or 11 digits not starting with 0 (a number cell that lost its
    /// leading zeros) are padded with zeros to 12. A short number that does not become a valid
    /// one that way is refused for its length, which is what is wrong with it, not for the
    /// province code the padding would give it.
    pub fn parse(input: &str) -> Result<Self, PersonalIdError> {
        let mut digits: String = input
            .chars()
            .filter(|c| !(c.is_whitespace() || matches!(c, '.' | '-')))
            .collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PersonalIdError::Not12Digits);
        }
        let padded = matches!(digits.len(), 10 | 11) && !digits.starts_with('0');
        if padded {
            digits = format!("{digits:0>12}");
        }
        if digits.len() != 12 {
            return Err(PersonalIdError::Not12Digits);
        }
        let (zero, province) = (&digits[..1], &digits[1..3]);
        if zero != "0" || LEGACY_PROVINCE_CODES.binary_search(&province).is_err() {
            if padded {
                return Err(PersonalIdError::Not12Digits);
            }
            return Err(PersonalIdError::UnknownProvince {
                prefix: digits[..3].to_string(),
            });
        }
        let century = digits.as_bytes()[3];
        if !(b'0'..=b'5').contains(&century) {
            return Err(PersonalIdError::InvalidCenturyDigit {
                digit: char::from(century),
            });
        }
        Ok(PersonalId(digits))
    }

    /// The 12 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 2-digit legacy code of the province where the birth was registered ("01" Hà Nội).
    pub fn province_code(&self) -> &str {
        &self.0[1..3]
    }

    fn century_digit(&self) -> u8 {
        self.0.as_bytes()[3] - b'0'
    }

    /// Even century digits are male, odd ones female.
    pub fn gender(&self) -> Gender {
        if self.century_digit().is_multiple_of(2) {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// The encoded birth year: century (0/1 → 1900, 2/3 → 2000, 4/5 → 2100) plus digits 5–6.
    pub fn birth_year(&self) -> i32 {
        let century = 1900 + 100 * i32::from(self.century_digit() / 2);
        let bytes = self.0.as_bytes();
        let yy = i32::from(bytes[4] - b'0') * 10 + i32::from(bytes[5] - b'0');
        century + yy
    }

    /// For lists: "001******345".
    pub fn masked(&self) -> String {
        mask_personal_id(&self.0)
    }

    /// Checks that the gender and birth year encoded in the number are those of the record.
    pub fn check_against(&self, gender: Gender, birth_year: i32) -> Result<(), PersonalIdError> {
        let (encoded_gender, encoded_year) = (self.gender(), self.birth_year());
        if encoded_gender != gender {
            return Err(PersonalIdError::GenderMismatch {
                encoded: encoded_gender,
                birth_year: encoded_year,
                recorded: gender,
            });
        }
        if encoded_year != birth_year {
            return Err(PersonalIdError::BirthYearMismatch {
                encoded: encoded_year,
                recorded: birth_year,
            });
        }
        Ok(())
    }
}

impl fmt::Debug for PersonalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PersonalId").field(&self.masked()).finish()
    }
}

impl TryFrom<String> for PersonalId {
    type Error = PersonalIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PersonalId::parse(&value)
    }
}

impl From<PersonalId> for String {
    fn from(value: PersonalId) -> Self {
        value.0
    }
}

/// Masks any stored ID-like string for display: the first 3 and last 3 characters around six
/// `*` ("001******345"); a string shorter than 7 characters is masked entirely.
pub fn mask_personal_id(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 3..].iter().collect();
    format!("{head}******{tail}")
}

// ---------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------

/// Why a phone number was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error(
        "the phone number must be a Vietnamese mobile (0912 345 678) or landline (024 3825 3536) \
         number"
    )]
    Invalid,
}

impl PhoneError {
    /// Stable snake_case code; clients branch on this.
    pub fn code(&self) -> &'static str {
        match self {
            PhoneError::Invalid => "invalid_phone",
        }
    }
}

/// Normalises a Vietnamese phone number to E.164: "0912 345 678", "0912.345.678",
/// "+84 912 345 678", "84912345678", "(+84) 912-345-678" all give "+84912345678".
///
/// After the country code or trunk 0 come 9 digits for a mobile (starting with 3, 5, 7, 8 or 9) or
/// 10 digits for a landline (area code 2x/2xx since the 2017 renumbering: 024 3825 3536). A mobile
/// written without its leading 0, as spreadsheets store it ("912345678"), is accepted too.
pub fn normalize_phone(input: &str) -> Result<String, PhoneError> {
    let compact: String = input
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '.' | '-' | '(' | ')')))
        .collect();
    let (plus, digits) = match compact.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PhoneError::Invalid);
    }
    let national = if plus {
        // Only Vietnamese numbers; "+84 0912…" is a common slip and unambiguous.
        let rest = digits.strip_prefix("84").ok_or(PhoneError::Invalid)?;
        rest.strip_prefix('0').unwrap_or(rest)
    } else if let Some(rest) = digits.strip_prefix('0') {
        rest
    } else if digits.starts_with("84") && matches!(digits.len(), 11 | 12) {
        let rest = &digits[2..];
        rest.strip_prefix('0').unwrap_or(rest)
    } else {
        digits
    };
    let ok = match national.as_bytes().first() {
        Some(b'3' | b'5' | b'7' | b'8' | b'9') => national.len() == 9,
        Some(b'2') => national.len() == 10,
        _ => false,
    };
    if ok {
        Ok(format!("+84{national}"))
    } else {
        Err(PhoneError::Invalid)
    }
}

/// Formats a phone number the way Vietnamese write it: "0912 345 678", "024 3825 3536",
/// "0236 382 2345". Anything [`normalize_phone`] refuses comes back unchanged.
pub fn display_phone(e164: &str) -> String {
    let Ok(normal) = normalize_phone(e164) else {
        return e164.to_string();
    };
    let n = &normal[3..];
    match n.len() {
        9 => format!("0{} {} {}", &n[..3], &n[3..6], &n[6..]),
        _ if n.starts_with("24") || n.starts_with("28") => {
            format!("0{} {} {}", &n[..2], &n[2..6], &n[6..])
        }
        _ => format!("0{} {} {}", &n[..3], &n[3..6], &n[6..]),
    }
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/// Shortest full name accepted, in characters.
pub const NAME_MIN: usize = 2;
/// Longest full name accepted, in characters.
pub const NAME_MAX: usize = 100;

/// Why a name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("the name must have at least 2 characters")]
    TooShort,
    #[error("the name must have at most 100 characters")]
    TooLong,
    #[error("the name may contain only letters, spaces, apostrophes, hyphens and dots")]
    InvalidCharacters,
}

impl NameError {
    /// Stable snake_case code; clients branch on this.
    pub fn code(&self) -> &'static str {
        match self {
            NameError::TooShort => "name_too_short",
            NameError::TooLong => "name_too_long",
            NameError::InvalidCharacters => "name_invalid_characters",
        }
    }
}

/// Cleans a person's name for storage: Unicode NFC, trimmed, inner white space collapsed, the
/// typographic apostrophe (’) made plain ('), as in "H'Hen Niê". Letters of any script, spaces,
/// apostrophes, hyphens and dots are allowed; there must be at least one letter.
pub fn clean_name(input: &str) -> Result<String, NameError> {
    let name = crate::text::clean(input).replace('\u{2019}', "'");
    let len = name.chars().count();
    if len < NAME_MIN {
        return Err(NameError::TooShort);
    }
    if len > NAME_MAX {
        return Err(NameError::TooLong);
    }
    let allowed =
        |c: char| c.is_alphabetic() || is_combining_mark(c) || matches!(c, ' ' | '\'' | '-' | '.');
    if !name.chars().all(allowed) || !name.chars().any(char::is_alphabetic) {
        return Err(NameError::InvalidCharacters);
    }
    Ok(name)
}

// ---------------------------------------------------------------------------------------------
// Birth date or year
// ---------------------------------------------------------------------------------------------

/// Earliest birth year accepted.
pub const BIRTH_YEAR_MIN: i32 = 1900;

/// Why a birth date or year was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BirthError {
    #[error("a date or a year of birth is required")]
    Required,
    #[error("the birth date is in the future")]
    InFuture,
    #[error("the birth date is before 1900")]
    Before1900,
    #[error("the date of birth is in {date_year}, but the year of birth says {year}")]
    YearMismatch { date_year: i32, year: i32 },
}

impl BirthError {
    /// Stable snake_case code; clients branch on this.
    pub fn code(&self) -> &'static str {
        match self {
            BirthError::Required => "birth_required",
            BirthError::InFuture => "birth_in_future",
            BirthError::Before1900 => "birth_before_1900",
            BirthError::YearMismatch { .. } => "birth_year_mismatch",
        }
    }
}

/// Checks a birth given as a full date, a year only, or both (which must agree), against `today`,
/// and returns the birth year.
pub fn check_birth(
    date: Option<NaiveDate>,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<i32, BirthError> {
    match (date, year) {
        (None, None) => Err(BirthError::Required),
        (Some(date), year) => {
            if let Some(year) = year
                && year != date.year()
            {
                return Err(BirthError::YearMismatch {
                    date_year: date.year(),
                    year,
                });
            }
            if date > today {
                Err(BirthError::InFuture)
            } else if date.year() < BIRTH_YEAR_MIN {
                Err(BirthError::Before1900)
            } else {
                Ok(date.year())
            }
        }
        (None, Some(year)) => {
            if year > today.year() {
                Err(BirthError::InFuture)
            } else if year < BIRTH_YEAR_MIN {
                Err(BirthError::Before1900)
            } else {
                Ok(year)
            }
        }
    }
}

/// A birth (or other) date as records hold it: a full date, or only a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlexibleDate {
    Full(NaiveDate),
    Year(i32),
}

impl FlexibleDate {
    pub fn year(self) -> i32 {
        match self {
            FlexibleDate::Full(date) => date.year(),
            FlexibleDate::Year(year) => year,
        }
    }

    /// The full date, if there is one.
    pub fn date(self) -> Option<NaiveDate> {
        match self {
            FlexibleDate::Full(date) => Some(date),
            FlexibleDate::Year(_) => None,
        }
    }
}

/// Parses the date shapes found in Vietnamese records and spreadsheets: "dd/mm/yyyy", "d/m/yyyy",
/// "dd-mm-yyyy", ISO "yyyy-mm-dd", or a bare "yyyy". Surrounding spaces are ignored; an impossible
/// date ("31/02/2020") gives `None`.
pub fn parse_flexible_date(input: &str) -> Option<FlexibleDate> {
    let s = input.trim();
    let number = |part: &str, lengths: std::ops::RangeInclusive<usize>| -> Option<u32> {
        if lengths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let year = |part: &str| number(part, 4..=4).and_then(|y| i32::try_from(y).ok());
    if let Some(y) = year(s) {
        return Some(FlexibleDate::Year(y));
    }
    let separator = if s.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = s.split(separator).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (y, m, d) = if separator == '-' && a.len() == 4 {
        (year(a)?, number(b, 2..=2)?, number(c, 2..=2)?)
    } else {
        (year(c)?, number(b, 1..=2)?, number(a, 1..=2)?)
    };
    NaiveDate::from_ymd_opt(y, m, d).map(FlexibleDate::Full)
}

// ---------------------------------------------------------------------------------------------
// `validator` adapters: `#[validate(custom(function = "validate_…"))]` on request fields
// ---------------------------------------------------------------------------------------------

fn validation_error(code: &'static str, message: String) -> ValidationError {
    ValidationError::new(code).with_message(message.into())
}

/// A personal ID number that [`PersonalId::parse`] accepts.
pub fn validate_personal_id(value: &str) -> Result<(), ValidationError> {
    PersonalId::parse(value)
        .map(|_| ())
        .map_err(|e| validation_error(e.code(), e.to_string()))
}

/// A phone number that [`normalize_phone`] accepts.
pub fn validate_phone(value: &str) -> Result<(), ValidationError> {
    normalize_phone(value)
        .map(|_| ())
        .map_err(|e| validation_error(e.code(), e.to_string()))
}

/// A name that [`clean_name`] accepts.
pub fn validate_name(value: &str) -> Result<(), ValidationError> {
    clean_name(value)
        .map(|_| ())
        .map_err(|e| validation_error(e.code(), e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn id(s: &str) -> PersonalId {
        PersonalId::parse(s).expect("valid personal ID")
    }

    #[test]
    fn province_codes_are_those_of_the_legacy_list() {
        let csv = include_str!("../../migrations/data/dvhc-legacy-provinces.csv");
        let from_csv: Vec<&str> = csv
            .lines()
            .skip(1)
            .filter(|line| !line.trim().is_empty())
            .filter_map(|line| line.split(',').next())
            .map(str::trim)
            .collect();
        assert_eq!(from_csv.len(), 63);
        assert_eq!(LEGACY_PROVINCE_CODES.as_slice(), from_csv.as_slice());
        assert!(LEGACY_PROVINCE_CODES.is_sorted(), "binary_search needs it");
    }

    #[test]
    fn valid_personal_ids_parse_with_their_encoded_facts() {
        // (input, normalised, province, gender, birth year)
        let cases = [
            ("001085012345", "001085012345", "01", Gender::Male, 1985),
            ("001185012345", "001185012345", "01", Gender::Female, 1985),
            ("096200000001", "096200000001", "96", Gender::Male, 2000),
            ("079305123456", "079305123456", "79", Gender::Female, 2005),
            ("031499000000", "031499000000", "31", Gender::Male, 2199),
            ("031501000000", "031501000000", "31", Gender::Female, 2101),
            ("001 085 012 345", "001085012345", "01", Gender::Male, 1985),
            ("001.085.012.345", "001085012345", "01", Gender::Male, 1985),
            ("001-085-012-345", "001085012345", "01", Gender::Male, 1985),
            (
                "  0010850\u{a0}12345 ",
                "001085012345",
                "01",
                Gender::Male,
                1985,
            ),
            // Excel number cells lose leading zeros: 10 digits for "00x…", 11 for "0xy…".
            ("1085012345", "001085012345", "01", Gender::Male, 1985),
            ("79190000123", "079190000123", "79", Gender::Female, 1990),
        ];
        for (input, normal, province, gender, year) in cases {
            let parsed = id(input);
            assert_eq!(parsed.as_str(), normal, "{input:?}");
            assert_eq!(parsed.province_code(), province, "{input:?}");
            assert_eq!(parsed.gender(), gender, "{input:?}");
            assert_eq!(parsed.birth_year(), year, "{input:?}");
        }
    }

    #[test]
    fn invalid_personal_ids_are_refused_with_their_reason() {
        let cases = [
            ("", "not_12_digits"),
            ("00108501234", "not_12_digits"), // 11 digits starting with 0: one is missing
            ("97085012345", "not_12_digits"), // 11 digits: "097…" is no province either
            ("9085012345", "not_12_digits"),  // 10 digits: "009…" is no province
            ("12345", "not_12_digits"),
            ("0010850123456", "not_12_digits"),
            ("00108501234a", "not_12_digits"),
            ("O01085012345", "not_12_digits"),
            ("001/085/012/345", "not_12_digits"),
            ("003085012345", "unknown_province"),
            ("097085012345", "unknown_province"),
            ("101085012345", "unknown_province"),
            ("000085012345", "unknown_province"),
            ("001685012345", "invalid_century_digit"),
            ("001785012345", "invalid_century_digit"),
            ("001885012345", "invalid_century_digit"),
            ("001985012345", "invalid_century_digit"),
        ];
        for (input, code) in cases {
            let error = PersonalId::parse(input).expect_err(input);
            assert_eq!(error.code(), code, "{input:?}");
        }
    }

    #[test]
    fn the_personal_id_must_agree_with_the_record() {
        let cases = [
            ("001085012345", Gender::Male, 1985, None),
            ("001185012345", Gender::Female, 1985, None),
            ("001185012345", Gender::Male, 1985, Some("gender_mismatch")),
            (
                "001085012345",
                Gender::Male,
                1986,
                Some("birth_year_mismatch"),
            ),
            (
                "001085012345",
                Gender::Male,
                2085,
                Some("birth_year_mismatch"),
            ),
            ("001205012345", Gender::Male, 2005, None),
            ("001305012345", Gender::Female, 2005, None),
            (
                "001305012345",
                Gender::Female,
                1905,
                Some("birth_year_mismatch"),
            ),
            (
                "001205012345",
                Gender::Female,
                2005,
                Some("gender_mismatch"),
            ),
        ];
        for (input, gender, year, expected) in cases {
            let result = id(input).check_against(gender, year);
            assert_eq!(
                result.err().map(|e| e.code()),
                expected,
                "{input} {gender} {year}"
            );
        }
    }

    #[test]
    fn mismatch_messages_say_what_the_number_encodes() {
        let error = id("001185012345")
            .check_against(Gender::Male, 1985)
            .expect_err("mismatch");
        assert_eq!(
            error.to_string(),
            "the personal ID number encodes a female born in 1985, but the record says male"
        );
        let error = id("001085012345")
            .check_against(Gender::Male, 1986)
            .expect_err("mismatch");
        assert_eq!(
            error.to_string(),
            "the personal ID number encodes a birth in 1985, but the record says 1986"
        );
    }

    #[test]
    fn personal_ids_are_masked_in_lists_and_logs() {
        let parsed = id("001085012123");
        assert_eq!(parsed.masked(), "001******123");
        assert_eq!(format!("{parsed:?}"), "PersonalId(\"001******123\")");
        let cases = [
            ("001085012123", "001******123"),
            ("1234567", "123******567"),
            ("123456", "******"),
            ("12", "**"),
            ("", ""),
            ("Đặng Văn A", "Đặn******n A"),
        ];
        for (input, masked) in cases {
            assert_eq!(mask_personal_id(input), masked, "{input:?}");
        }
    }

    #[test]
    fn personal_ids_travel_as_plain_strings() {
        let parsed = id("001 085 012 345");
        let json = serde_json::to_string(&parsed).expect("serialise");
        assert_eq!(json, "\"001085012345\"");
        let back: PersonalId = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back, parsed);
        assert!(serde_json::from_str::<PersonalId>("\"999\"").is_err());
    }

    #[test]
    fn genders_have_stable_names() {
        for gender in Gender::ALL {
            assert_eq!(Gender::parse(gender.as_str()), Some(gender));
            let json = serde_json::to_string(&gender).expect("serialise");
            assert_eq!(json, format!("\"{}\"", gender.as_str()));
        }
        assert_eq!(Gender::parse("Male"), None);
    }

    #[test]
    fn phone_numbers_are_normalised_to_e164() {
        let cases = [
            ("0912 345 678", "+84912345678"),
            ("0912.345.678", "+84912345678"),
            ("0912-345-678", "+84912345678"),
            ("+84 912 345 678", "+84912345678"),
            ("84912345678", "+84912345678"),
            ("(+84) 912-345-678", "+84912345678"),
            ("+84 0912 345 678", "+84912345678"),
            ("912345678", "+84912345678"),
            ("0388 123 456", "+84388123456"),
            ("0567123456", "+84567123456"),
            ("0701234567", "+84701234567"),
            ("0845123456", "+84845123456"),
            ("024 3825 3536", "+842438253536"),
            ("(028) 3829 1234", "+842838291234"),
            ("0236 382 2345", "+842363822345"),
            ("+84 24 3825 3536", "+842438253536"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_phone(input).as_deref(), Ok(expected), "{input:?}");
        }
    }

    #[test]
    fn invalid_phone_numbers_are_refused() {
        let cases = [
            "",
            "+84",
            "0912 345 67",   // 8 digits after the 0
            "0912 345 6789", // 10 digits after the 0, mobile
            "024 3825 353",  // 9 digits after the 0, landline
            "0912 345 67a",
            "0112 345 678", // no such prefix
            "0612 345 678", // no such prefix
            "0412 345 678", // no such prefix
            "+1 212 555 0100",
            "+8491234567",
            "12345",
            "0912+345678",
            "hotline",
        ];
        for input in cases {
            let error = normalize_phone(input).expect_err(input);
            assert_eq!(error.code(), "invalid_phone", "{input:?}");
        }
    }

    #[test]
    fn phone_numbers_are_displayed_the_vietnamese_way() {
        let cases = [
            ("+84912345678", "0912 345 678"),
            ("+842438253536", "024 3825 3536"),
            ("+842838291234", "028 3829 1234"),
            ("+842363822345", "0236 382 2345"),
            ("not a phone", "not a phone"),
        ];
        for (input, expected) in cases {
            assert_eq!(display_phone(input), expected, "{input:?}");
        }
    }

    #[test]
    fn valid_names_are_cleaned() {
        let decomposed: String = "Nguyễn Văn An".nfd().collect();
        assert_ne!(decomposed, "Nguyễn Văn An");
        let cases = [
            (decomposed.as_str(), "Nguyễn Văn An"),
            ("  Trần \t Thị   Bình ", "Trần Thị Bình"),
            ("Đặng Thị Lan-Anh", "Đặng Thị Lan-Anh"),
            ("H\u{2019}Hen Niê", "H'Hen Niê"),
            ("Y'Moan Ê Nuôl", "Y'Moan Ê Nuôl"),
            ("Nguyễn T. Hoa", "Nguyễn T. Hoa"),
            ("Lý", "Lý"),
            ("Иван Петров", "Иван Петров"),
            ("王小明", "王小明"),
        ];
        for (input, expected) in cases {
            assert_eq!(clean_name(input).as_deref(), Ok(expected), "{input:?}");
        }
        let longest = "a".repeat(NAME_MAX);
        assert_eq!(clean_name(&longest), Ok(longest.clone()));
    }

    #[test]
    fn invalid_names_are_refused_with_their_reason() {
        let too_long = "Nguyễn ".repeat(20);
        let cases = [
            ("", "name_too_short"),
            ("   ", "name_too_short"),
            ("A", "name_too_short"),
            (" Â ", "name_too_short"),
            (too_long.as_str(), "name_too_long"),
            ("Nguyễn Văn 2", "name_invalid_characters"),
            ("Nguyen_Van_An", "name_invalid_characters"),
            ("an@example.com", "name_invalid_characters"),
            ("Trần, Thị", "name_invalid_characters"),
            ("--", "name_invalid_characters"),
            ("<script>", "name_invalid_characters"),
        ];
        for (input, code) in cases {
            let error = clean_name(input).expect_err(input);
            assert_eq!(error.code(), code, "{input:?}");
        }
    }

    #[test]
    fn births_are_checked_against_today() {
        let today = date(2025, 7, 15);
        let cases = [
            (Some(date(1985, 3, 1)), None, Ok(1985)),
            (None, Some(1985), Ok(1985)),
            (Some(date(1985, 3, 1)), Some(1985), Ok(1985)),
            (Some(date(1900, 1, 1)), None, Ok(1900)),
            (None, Some(1900), Ok(1900)),
            (Some(today), None, Ok(2025)),
            (None, Some(2025), Ok(2025)),
            (None, None, Err("birth_required")),
            (Some(date(2025, 7, 16)), None, Err("birth_in_future")),
            (None, Some(2026), Err("birth_in_future")),
            (Some(date(1899, 12, 31)), None, Err("birth_before_1900")),
            (None, Some(1899), Err("birth_before_1900")),
            (
                Some(date(1985, 3, 1)),
                Some(1986),
                Err("birth_year_mismatch"),
            ),
        ];
        for (birth_date, year, expected) in cases {
            let result = check_birth(birth_date, year, today).map_err(|e| e.code());
            assert_eq!(result, expected, "{birth_date:?} {year:?}");
        }
    }

    #[test]
    fn flexible_dates_accept_the_usual_shapes() {
        let cases = [
            ("15/03/1985", Some(FlexibleDate::Full(date(1985, 3, 15)))),
            ("5/3/1985", Some(FlexibleDate::Full(date(1985, 3, 5)))),
            ("05/3/1985", Some(FlexibleDate::Full(date(1985, 3, 5)))),
            ("15-03-1985", Some(FlexibleDate::Full(date(1985, 3, 15)))),
            ("1985-03-15", Some(FlexibleDate::Full(date(1985, 3, 15)))),
            (" 1985 ", Some(FlexibleDate::Year(1985))),
            ("29/02/2020", Some(FlexibleDate::Full(date(2020, 2, 29)))),
            ("31/02/2020", None),
            ("29/02/2021", None),
            ("13/13/2020", None),
            ("1985-3-15", None),
            ("15/03/85", None),
            ("85", None),
            ("15/03-1985", None),
            ("15.03.1985", None),
            ("1985/03/15", None),
            ("", None),
            ("năm 1985", None),
            ("+1985", None),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_flexible_date(input), expected, "{input:?}");
        }
        assert_eq!(
            parse_flexible_date("1985-03-15").map(FlexibleDate::year),
            Some(1985)
        );
    }

    #[derive(validator::Validate)]
    struct PersonForm {
        #[validate(custom(function = "validate_name"))]
        full_name: String,
        #[validate(custom(function = "validate_personal_id"))]
        personal_id: String,
        #[validate(custom(function = "validate_phone"))]
        phone: Option<String>,
    }

    #[test]
    fn validator_adapters_report_the_same_codes_and_messages() {
        use validator::Validate;
        let form = PersonForm {
            full_name: "A".into(),
            personal_id: "001985012345".into(),
            phone: Some("12345".into()),
        };
        let errors = form.validate().expect_err("invalid");
        let fields: Vec<_> = crate::error::field_errors(&errors)
            .into_iter()
            .map(|e| (e.field, e.code, e.message))
            .collect();
        assert_eq!(
            fields,
            vec![
                (
                    "full_name".to_string(),
                    "name_too_short".to_string(),
                    NameError::TooShort.to_string()
                ),
                (
                    "personal_id".to_string(),
                    "invalid_century_digit".to_string(),
                    PersonalIdError::InvalidCenturyDigit { digit: '9' }.to_string()
                ),
                (
                    "phone".to_string(),
                    "invalid_phone".to_string(),
                    PhoneError::Invalid.to_string()
                ),
            ]
        );
        let ok = PersonForm {
            full_name: "Nguyễn Văn An".into(),
            personal_id: "001085012345".into(),
            phone: None,
        };
        assert!(ok.validate().is_ok());
    }
}
