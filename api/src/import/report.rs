//! Writing sheets: the import template (XLSX and CSV), and the annotated report of a job (the
//! uploaded sheet with two added columns, the row's status and its messages in Vietnamese). Every
//! cell is written as text, so that ID numbers and codes keep their leading zeros when reopened.

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use shared::import::{COLUMNS, RowOutcome};

/// The two columns added to the report.
pub const STATUS_HEADER: &str = "Trạng thái";
pub const MESSAGES_HEADER: &str = "Thông báo";

fn xlsx(sheets: &[(&str, Vec<Vec<String>>)]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name)?;
        for (r, row) in rows.iter().enumerate() {
            let r = u32::try_from(r).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                if r == 0 {
                    sheet.write_string_with_format(r, c, cell, &bold)?;
                } else {
                    sheet.write_string_with_format(r, c, cell, &text)?;
                }
            }
        }
        if let Some(header) = rows.first() {
            for c in 0..header.len() {
                sheet.set_column_width(u16::try_from(c).unwrap_or(u16::MAX), 22)?;
                sheet.set_column_format(u16::try_from(c).unwrap_or(u16::MAX), &text)?;
            }
        }
    }
    book.save_to_buffer()
}

fn csv(rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    // A byte-order mark, so that Excel opens the UTF-8 text with its diacritics.
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        for row in rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
    }
    Ok(out)
}

fn template_sheets() -> Vec<(&'static str, Vec<Vec<String>>)> {
    let header: Vec<String> = COLUMNS.iter().map(|c| c.header.to_string()).collect();
    let mut guide = vec![vec![
        "Cột".to_string(),
        "Bắt buộc".to_string(),
        "Nội dung".to_string(),
        "Ví dụ".to_string(),
    ]];
    guide.extend(COLUMNS.iter().map(|c| {
        vec![
            c.header.to_string(),
            if c.required { "Có" } else { "Không" }.to_string(),
            c.description.to_string(),
            c.example.to_string(),
        ]
    }));
    vec![("Danh sách", vec![header]), ("Hướng dẫn", guide)]
}

/// The template as XLSX: the sheet to fill in, and a guide to its columns.
pub fn template_xlsx() -> anyhow::Result<Vec<u8>> {
    Ok(xlsx(&template_sheets())?)
}

/// The template as CSV: the header line only.
pub fn template_csv() -> anyhow::Result<Vec<u8>> {
    let header: Vec<String> = COLUMNS.iter().map(|c| c.header.to_string()).collect();
    csv(&[header])
}

/// The uploaded sheet with each row's status and messages added.
fn annotated(
    headers: &[String],
    rows: &[(u32, Vec<String>)],
    outcomes: &std::collections::HashMap<u32, RowOutcome>,
) -> Vec<Vec<String>> {
    let mut header = headers.to_vec();
    header.push(STATUS_HEADER.to_string());
    header.push(MESSAGES_HEADER.to_string());
    let mut out = vec![header];
    for (n, cells) in rows {
        let mut row = cells.clone();
        row.resize(headers.len(), String::new());
        match outcomes.get(n) {
            Some(o) => {
                row.push(o.status.label_vi().to_string());
                row.push(
                    o.messages
                        .iter()
                        .map(|m| m.message.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                );
            }
            None => {
                row.push("Chưa xử lý".to_string());
                row.push(String::new());
            }
        }
        out.push(row);
    }
    out
}

/// The annotated report as XLSX.
pub fn report_xlsx(
    headers: &[String],
    rows: &[(u32, Vec<String>)],
    outcomes: &std::collections::HashMap<u32, RowOutcome>,
) -> anyhow::Result<Vec<u8>> {
    Ok(xlsx(&[("Kết quả", annotated(headers, rows, outcomes))])?)
}

/// The annotated report as CSV.
pub fn report_csv(
    headers: &[String],
    rows: &[(u32, Vec<String>)],
    outcomes: &std::collections::HashMap<u32, RowOutcome>,
) -> anyhow::Result<Vec<u8>> {
    csv(&annotated(headers, rows, outcomes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_templates_read_back_with_every_column_matched() {
        for bytes in [template_csv().expect("csv"), template_xlsx().expect("xlsx")] {
            let sheet = crate::import::parse::read(&bytes).expect("readable");
            let mapped: Vec<_> = sheet
                .headers
                .iter()
                .map(|h| shared::import::match_header(h))
                .collect();
            assert!(mapped.iter().all(Option::is_some), "{:?}", sheet.headers);
            assert_eq!(mapped.len(), COLUMNS.len());
        }
    }
}
