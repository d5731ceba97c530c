//! Vietnamese text: NFC normalisation and the diacritic-blind folding used by every search.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Returns `s` in Unicode NFC with surrounding white space removed and inner runs of white space
/// collapsed to one space. Names are stored this way.
pub fn clean(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Folds text for diacritic-blind, case-blind matching: lowercase, no combining marks, "đ" → "d",
/// white space collapsed. `fold("Phường Ba Đình") == "phuong ba dinh"`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Whether `s` holds a control character that no text of the registry may carry: NUL and the
/// other C0 controls, DEL and the C1 controls. Tab, line feed and carriage return are allowed
/// when `line_breaks` is (multi-line notes), never in identifiers or query strings.
pub fn has_control_character(s: &str, line_breaks: bool) -> bool {
    s.chars()
        .any(|c| c.is_control() && !(line_breaks && matches!(c, '\t' | '\n' | '\r')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_in_every_range() {
        // (text, line breaks allowed, found)
        let cases = [
            ("Nguyễn Văn An", false, false),
            ("a\u{0}b", true, true),
            ("a\u{1b}b", true, true),
            ("a\u{7f}", true, true),
            ("a\u{85}", true, true),
            ("two\nlines\twith a tab\r", true, false),
            ("two\nlines", false, true),
            ("a\tb", false, true),
        ];
        for (text, line_breaks, found) in cases {
            assert_eq!(has_control_character(text, line_breaks), found, "{text:?}");
        }
    }

    #[test]
    fn folding_removes_tones_marks_and_case() {
        let cases = [
            ("Phường Ba Đình", "phuong ba dinh"),
            ("  Nguyễn   Văn An ", "nguyen van an"),
            ("ĐẶC KHU Côn Đảo", "dac khu con dao"),
            ("Thanh Hoá", "thanh hoa"),
            ("Thanh Hóa", "thanh hoa"),
            ("ba dinh", "ba dinh"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(fold(input), expected, "fold({input:?})");
        }
    }

    #[test]
    fn decomposed_input_folds_like_composed_input() {
        let decomposed: String = "Nguyễn".nfd().collect();
        assert_ne!(decomposed, "Nguyễn");
        assert_eq!(fold(&decomposed), fold("Nguyễn"));
        assert_eq!(clean(&decomposed), "Nguyễn");
    }

    #[test]
    fn clean_trims_and_collapses_spaces() {
        assert_eq!(clean("  Trần \t Thị  Bình "), "Trần Thị Bình");
    }
}
