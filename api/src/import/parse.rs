//! Reading uploaded spreadsheets into rows of text: CSV (UTF-8 with or without a byte-order mark,
//! comma, semicolon or tab, sniffed) and XLSX (the first sheet). Title lines above the header row
//! are skipped: the header row is the first of the first ten rows in which at least two cells name
//! template columns. Row numbers are those of the sheet, so the report points at the right line.

use calamine::{Data, Reader, Xlsx};
use shared::import::{FileFormat, match_header};
use std::io::Cursor;

/// A sheet read as text.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub format: FileFormat,
    /// CSV only: the delimiter found.
    pub delimiter: Option<u8>,
    pub headers: Vec<String>,
    /// The 1-based sheet row number of the header.
    pub header_row: u32,
    /// Data rows below the header (blank rows left out), with their sheet row numbers.
    pub rows: Vec<(u32, Vec<String>)>,
}

/// Why a file cannot be read at all (a row's problems are reported per row instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the file is empty")]
    Empty,
    #[error("the CSV file is not UTF-8 text; save it as \"CSV UTF-8\"")]
    NotUtf8,
    #[error("the CSV file cannot be read: {0}")]
    Csv(String),
    #[error("the XLSX file cannot be read: {0}")]
    Xlsx(String),
    #[error("no header row naming the template's columns was found in the first ten rows")]
    NoHeader,
}

impl ParseError {
    pub fn code(&self) -> &'static str {
        match self {
            ParseError::Empty => "empty_file",
            ParseError::NotUtf8 => "not_utf8",
            ParseError::Csv(_) => "invalid_csv",
            ParseError::Xlsx(_) => "invalid_xlsx",
            ParseError::NoHeader => "no_header_row",
        }
    }
}

/// Reads `bytes`: a ZIP signature means XLSX, anything else is CSV.
pub fn read(bytes: &[u8]) -> Result<Sheet, ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::Empty);
    }
    let (format, delimiter, raw) = if bytes.starts_with(b"PK\x03\x04") {
        (FileFormat::Xlsx, None, read_xlsx(bytes)?)
    } else {
        let (delimiter, rows) = read_csv(bytes)?;
        (FileFormat::Csv, Some(delimiter), rows)
    };
    let header_index = raw
        .iter()
        .take(10)
        .position(|(_, cells)| cells.iter().filter(|c| match_header(c).is_some()).count() >= 2)
        .ok_or(ParseError::NoHeader)?;
    let (header_row, headers) = raw[header_index].clone();
    let headers: Vec<String> = headers.iter().map(|h| shared::text::clean(h)).collect();
    let rows = raw
        .into_iter()
        .skip(header_index + 1)
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(n, mut cells)| {
            cells.resize(headers.len().max(cells.len()), String::new());
            (n, cells)
        })
        .collect();
    Ok(Sheet {
        format,
        delimiter,
        headers,
        header_row,
        rows,
    })
}

/// The delimiter of a CSV file: whichever of `;`, `,` and tab occurs most in its first line,
/// outside quotes.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    match counts.iter().enumerate().max_by_key(|(i, n)| (**n, 3 - i)) {
        Some((0, n)) if *n > 0 => b';',
        Some((2, n)) if *n > 0 => b'\t',
        _ => b',',
    }
}

type RawRows = Vec<(u32, Vec<String>)>;

fn read_csv(bytes: &[u8]) -> Result<(u8, RawRows), ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| ParseError::NotUtf8)?;
    // The reader counts lines wrongly on Windows (`\r\n`) and old Mac (`\r`) line endings, and
    // rows are reported by their line: one kind of line ending for all.
    let normalised;
    let text = if text.contains('\r') {
        normalised = text.replace("\r\n", "\n").replace('\r', "\n");
        normalised.as_str()
    } else {
        text
    };
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ParseError::Csv(e.to_string()))?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    if rows.is_empty() {
        return Err(ParseError::Empty);
    }
    Ok((delimiter, rows))
}

/// Days from 1899-12-30 (Excel's day 0 for dates after February 1900).
fn excel_date(serial: f64) -> Option<String> {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = serial.floor();
    if !(1.0..2_958_466.0).contains(&days) {
        return None;
    }
    let date = base.checked_add_days(chrono::Days::new(days as u64))?;
    Some(date.format("%d/%m/%Y").to_string())
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            excel_date(d.as_f64()).unwrap_or_else(|| d.as_f64().to_string())
        }
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<RawRows, ParseError> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| ParseError::Xlsx(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(ParseError::Empty)?
        .map_err(|e| ParseError::Xlsx(e.to_string()))?;
    let first_row = range.start().map(|(r, _)| r).unwrap_or(0);
    let first_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    let rows: RawRows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut text = vec![String::new(); first_col];
            text.extend(cells.iter().map(cell_text));
            (first_row + u32::try_from(i).unwrap_or(u32::MAX) + 1, text)
        })
        .collect();
    if rows.is_empty() {
        return Err(ParseError::Empty);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_line_numbers_with_windows_line_endings() {
        for text in [
            "a,b\nc,d\ne,f\n",
            "a,b\r\nc,d\r\ne,f\r\n",
            "a,b\rc,d\re,f\r",
        ] {
            let (_, rows) = read_csv(text.as_bytes()).expect("a CSV");
            let lines: Vec<u32> = rows.iter().map(|(line, _)| *line).collect();
            assert_eq!(lines, [1, 2, 3], "{text:?}");
        }
    }

    #[test]
    fn semicolons_and_a_byte_order_mark_are_understood() {
        let file = "\u{feff}Họ và tên;Giới tính;Ngày sinh\nAn;Nam;1985\n;;\nBình;Nữ;1990\n";
        let sheet = read(file.as_bytes()).expect("read");
        assert_eq!(sheet.delimiter, Some(b';'));
        assert_eq!(sheet.headers, ["Họ và tên", "Giới tính", "Ngày sinh"]);
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[1].0, 4, "sheet row numbers are kept");
    }

    #[test]
    fn title_lines_above_the_header_are_skipped() {
        let file = "DANH SÁCH CÔNG DÂN,,\nXã A,,\nHọ và tên,Giới tính,Ngày sinh\nAn,Nam,1985\n";
        let sheet = read(file.as_bytes()).expect("read");
        assert_eq!(sheet.header_row, 3);
        assert_eq!(
            sheet.rows,
            vec![(4, vec!["An".into(), "Nam".into(), "1985".into()])]
        );
    }

    #[test]
    fn unreadable_files_are_refused_with_a_reason() {
        assert_eq!(read(b"").expect_err("refused"), ParseError::Empty);
        assert_eq!(
            read(b"\xff\xfeH\x00").expect_err("refused"),
            ParseError::NotUtf8
        );
        assert_eq!(
            read(b"a,b\n1,2\n").expect_err("refused"),
            ParseError::NoHeader
        );
    }

    #[test]
    fn excel_serial_dates_become_dd_mm_yyyy() {
        assert_eq!(excel_date(31121.0).as_deref(), Some("15/03/1985"));
    }
}
