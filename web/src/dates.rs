//! Days as officers type and read them: "15/03/1985", whatever the browser's locale.
//!
//! Forms take days in text fields rather than `type="date"` inputs, whose order of day and
//! month follows the browser's locale (month first on an English one) and which take three Tab
//! presses to cross when left empty.

use chrono::{NaiveDate, Utc};
use shared::error::FieldError;
use shared::person::{FlexibleDate, parse_flexible_date};

/// Shown in empty day fields.
pub const DAY_PLACEHOLDER: &str = "dd/mm/yyyy";

/// Today as the server sees it.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// A day typed as Vietnamese records write it ("15/03/1985", "5/3/1985", "15-03-1985") or in
/// ISO form; `None` for anything else, a bare year included.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    match parse_flexible_date(text)? {
        FlexibleDate::Full(date) => Some(date),
        FlexibleDate::Year(_) => None,
    }
}

/// A day as the forms show it.
pub fn day_text(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// The day in `text` for `field`: `Ok(None)` when empty, an error when it is not a day.
pub fn read_day(field: &str, text: &str) -> Result<Option<NaiveDate>, FieldError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_day(text).map(Some).ok_or_else(|| FieldError {
        field: field.to_string(),
        code: "invalid_date".to_string(),
        message: "must be a date such as 15/03/1985".to_string(),
    })
}
