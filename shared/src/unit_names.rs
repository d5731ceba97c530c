//! Finding an administrative unit by the name an officer wrote, inside a stated parent, without
//! ever guessing.
//!
//! Names are compared as officers write them, in four steps; the first step that finds anything
//! decides, and more than one unit found is an ambiguity, never a choice:
//!
//! 1. the whole name with its diacritics ("Xã Minh Quân"), ignoring case, spacing, Unicode form
//!    (NFC/NFD) and where the tone mark sits ("Hoà" = "Hòa", "Thuỷ" = "Thủy");
//! 2. the name without its type word, still with diacritics ("Minh Quân"), where a type word is
//!    stripped only when it stands as a separate leading word of the unit's level ("Xã", "Phường",
//!    "Thị trấn", "Đặc khu" for communes; "Quận", "Huyện", "Thị xã", "Thành phố" for districts;
//!    "Tỉnh", "Thành phố" for provinces) or its common abbreviation ("P.", "TT", "TX", "TP");
//! 3. and 4. the same two without diacritics, used only when the folded form is unique in the
//!    parent: "Minh Quan" is ambiguous when the district has both "Minh Quân" and "Minh Quán".
//!
//! Numbered wards match with or without a leading zero ("Phường 01" = "Phường 1").

use crate::text::fold;
use std::collections::HashMap;
use std::hash::Hash;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The level a name is looked up at: it decides which leading words are type words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameLevel {
    Province,
    District,
    Commune,
}

impl NameLevel {
    /// Type words of the level, with diacritics and lowercase, longest first, then their
    /// abbreviations (matched with or without a following dot).
    fn type_words(self) -> &'static [&'static str] {
        match self {
            NameLevel::Province => &["thành phố", "tỉnh", "tp"],
            NameLevel::District => &["thành phố", "thị xã", "huyện", "quận", "tp", "tx", "q", "h"],
            NameLevel::Commune => &["thị trấn", "đặc khu", "phường", "xã", "tt", "p", "x"],
        }
    }
}

const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// A name with diacritics, compared exactly: lowercase, spacing collapsed, "Ð" read as "Đ",
/// each syllable's tone mark moved to the end of the syllable so both spelling conventions agree.
pub fn exact_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut tone: Option<char> = None;
    let mut pending_space = false;
    let flush = |out: &mut String, tone: &mut Option<char>| {
        if let Some(t) = tone.take() {
            out.push(t);
        }
    };
    for c in s.nfd() {
        if c.is_whitespace() || c == ',' {
            flush(&mut out, &mut tone);
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if TONES.contains(&c) {
            tone = Some(c);
            continue;
        }
        match c {
            'Ð' | 'ð' | 'Đ' => out.push('đ'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    flush(&mut out, &mut tone);
    out.nfc().collect()
}

/// Drops a leading type word of `level` from a key made by [`exact_key`] or [`fold`] (the
/// folded forms of the type words are tried on folded keys); `None` when there is none or
/// nothing would be left.
fn strip_type(level: NameLevel, key: &str, folded: bool) -> Option<String> {
    for word in level.type_words() {
        let word = if folded { fold(word) } else { exact_key(word) };
        let Some(rest) = key.strip_prefix(word.as_str()) else {
            continue;
        };
        let rest = rest.strip_prefix('.').unwrap_or(rest);
        // The type word must stand alone: "Quán Thánh" is not "Quận" + "Thánh".
        if !(rest.starts_with(' ') || key[word.len()..].starts_with('.')) {
            continue;
        }
        let rest = rest.trim();
        if !rest.is_empty() {
            return Some(rest.to_string());
        }
    }
    None
}

/// A number written with leading zeros counts without them: "01" → "1".
fn number_key(short: &str) -> String {
    if !short.is_empty() && short.bytes().all(|b| b.is_ascii_digit()) {
        let t = short.trim_start_matches('0');
        return if t.is_empty() { "0".into() } else { t.into() };
    }
    short.to_string()
}

/// What a lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameMatch<T> {
    Found(T),
    /// Several units of the parent answer to the name as written.
    Ambiguous(Vec<T>),
    NotFound,
}

/// Units of one level, by parent and by the four keys of their official name.
#[derive(Debug, Clone)]
pub struct NameIndex<P: Eq + Hash, T: Clone + Eq> {
    level: NameLevel,
    /// One map per step: (parent, key) → units.
    steps: [HashMap<(P, String), Vec<T>>; 4],
}

impl<P: Eq + Hash + Clone, T: Clone + Eq> NameIndex<P, T> {
    pub fn new(level: NameLevel) -> Self {
        NameIndex {
            level,
            steps: Default::default(),
        }
    }

    /// Adds a unit under `parent` with its official name ("Phường Quán Thánh").
    pub fn insert(&mut self, parent: P, name: &str, unit: T) {
        let exact = exact_key(name);
        let folded = fold(name);
        let keys = [
            Some(exact.clone()),
            strip_type(self.level, &exact, false).map(|s| number_key(&s)),
            Some(folded.clone()),
            strip_type(self.level, &folded, true).map(|s| number_key(&s)),
        ];
        for (step, key) in keys.into_iter().enumerate() {
            if let Some(key) = key {
                let units = self.steps[step].entry((parent.clone(), key)).or_default();
                if !units.contains(&unit) {
                    units.push(unit.clone());
                }
            }
        }
    }

    /// The unit of `parent` a written name designates.
    pub fn find(&self, parent: &P, written: &str) -> NameMatch<T> {
        let exact = exact_key(written);
        let folded = fold(written);
        if exact.is_empty() {
            return NameMatch::NotFound;
        }
        // A name written without any diacritic may have lost them: it is only ever compared
        // folded, so "Nga Thanh" is ambiguous where "Nga Thanh" and "Nga Thành" both exist.
        let bare = !written
            .nfd()
            .any(|c| is_combining_mark(c) || matches!(c, 'đ' | 'Đ' | 'ð' | 'Ð'));
        let first_step = if bare { 2 } else { 0 };
        let tries: [Vec<String>; 4] = [
            vec![exact.clone()],
            std::iter::once(number_key(&exact))
                .chain(strip_type(self.level, &exact, false).map(|s| number_key(&s)))
                .collect(),
            vec![folded.clone()],
            std::iter::once(number_key(&folded))
                .chain(strip_type(self.level, &folded, true).map(|s| number_key(&s)))
                .collect(),
        ];
        for (step, keys) in tries.iter().enumerate().skip(first_step) {
            let mut hits: Vec<T> = Vec::new();
            for key in keys {
                if let Some(units) = self.steps[step].get(&(parent.clone(), key.clone())) {
                    for u in units {
                        if !hits.contains(u) {
                            hits.push(u.clone());
                        }
                    }
                }
            }
            match hits.len() {
                0 => continue,
                1 => return NameMatch::Found(hits.remove(0)),
                _ => return NameMatch::Ambiguous(hits),
            }
        }
        NameMatch::NotFound
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn communes() -> NameIndex<&'static str, &'static str> {
        let mut index = NameIndex::new(NameLevel::Commune);
        for (parent, name, code) in [
            ("001", "Phường Quán Thánh", "00019"),
            ("001", "Phường Trúc Bạch", "00004"),
            ("136", "Xã Minh Quân", "04567"),
            ("136", "Xã Minh Quán", "04564"),
            ("136", "Xã Hoà Cuông", "04570"),
            ("770", "Phường 01", "26734"),
            ("770", "Phường 10", "26735"),
            ("883", "Thị trấn Tịnh Biên", "30000"),
            ("883", "Xã Xuân Tô", "30001"),
        ] {
            index.insert(parent, name, code);
        }
        index
    }

    #[test]
    fn names_are_found_as_officers_write_them() {
        let index = communes();
        let found = |parent, name| match index.find(&parent, name) {
            NameMatch::Found(code) => code,
            other => panic!("{name:?}: {other:?}"),
        };
        for written in [
            "Phường Quán Thánh",
            "phường quán thánh",
            "PHƯỜNG QUÁN THÁNH",
            "Quán Thánh",
            "Quan Thanh",
            "quan   thanh ",
            "Phuong Quan Thanh",
            "P. Quán Thánh",
            "Xã Quán Thánh",
            "Phu\u{031b}\u{0300}o\u{031b}ng Qua\u{0301}n Tha\u{0301}nh",
        ] {
            assert_eq!(found("001", written), "00019", "{written:?}");
        }
        assert_eq!(found("136", "Xã Minh Quân"), "04567");
        assert_eq!(found("136", "Minh Quán"), "04564");
        assert_eq!(found("136", "Xã Hòa Cuông"), "04570");
        assert_eq!(found("136", "hoa cuong"), "04570");
        assert_eq!(found("770", "Phường 1"), "26734");
        assert_eq!(found("770", "P.01"), "26734");
        assert_eq!(found("770", "10"), "26735");
        assert_eq!(found("883", "Tinh Bien"), "30000");
        assert_eq!(found("883", "TT Tịnh Biên"), "30000");
        assert_eq!(found("883", "Xuân Tô"), "30001");
    }

    #[test]
    fn a_name_is_never_guessed() {
        let index = communes();
        assert!(matches!(
            index.find(&"136", "Minh Quan"),
            NameMatch::Ambiguous(v) if v.len() == 2
        ));
        assert!(matches!(
            index.find(&"136", "Xa Minh Quan"),
            NameMatch::Ambiguous(_)
        ));
        // Written without diacritics, a name that has none is no less ambiguous.
        let mut thanh = NameIndex::new(NameLevel::Commune);
        thanh.insert("400", "Xã Nga Thanh", "16138");
        thanh.insert("400", "Xã Nga Thành", "16141");
        assert!(matches!(
            thanh.find(&"400", "nga thanh"),
            NameMatch::Ambiguous(_)
        ));
        assert_eq!(
            thanh.find(&"400", "Xã Nga Thanh"),
            NameMatch::Found("16138")
        );
        assert_eq!(thanh.find(&"400", "Nga Thành"), NameMatch::Found("16141"));
        // Only inside the stated parent.
        assert_eq!(index.find(&"001", "Minh Quân"), NameMatch::NotFound);
        assert_eq!(index.find(&"001", ""), NameMatch::NotFound);
        assert_eq!(index.find(&"001", "Phường"), NameMatch::NotFound);
    }

    #[test]
    fn type_words_are_only_stripped_as_whole_leading_words() {
        assert_eq!(
            strip_type(NameLevel::Commune, "xã xuân tô", false).as_deref(),
            Some("xuân tô")
        );
        assert_eq!(strip_type(NameLevel::Commune, "xuân tô", false), None);
        assert_eq!(
            strip_type(NameLevel::District, "quan thanh", true).as_deref(),
            Some("thanh")
        );
        assert_eq!(strip_type(NameLevel::Commune, "quan thanh", true), None);
        assert_eq!(strip_type(NameLevel::District, "tinh bien", true), None);
        assert_eq!(strip_type(NameLevel::Commune, "phuong", true), None);
        assert_eq!(
            strip_type(NameLevel::Commune, "p.tân định", false).as_deref(),
            Some("tân định")
        );
        assert_eq!(exact_key("Hoà"), exact_key("hòa"));
        assert_eq!(exact_key("Thuỷ"), exact_key("THỦY"));
        assert_ne!(exact_key("Quân"), exact_key("Quán"));
    }
}
