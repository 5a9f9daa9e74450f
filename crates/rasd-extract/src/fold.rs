//! Light letter folding used to compare and match phrases.
//!
//! This is deliberately small (rasd-arabic owns full normalization): it folds
//! hamza-carrying alefs to bare alef, alef maqsura to ya, ta marbuta to ha,
//! strips harakat and tatweel, maps Arabic-Indic digits to ASCII, lower-cases
//! Latin letters and turns punctuation into single spaces.

/// Fold one character; `None` drops it.
fn fold_char(c: char) -> Option<char> {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
        'ى' => Some('ي'),
        'ة' => Some('ه'),
        '\u{064B}'..='\u{0652}' | '\u{0670}' | '\u{0640}' | '\u{200C}'..='\u{200F}' => None,
        // Fast paths for the common letters, before the general Unicode lookup.
        'a'..='z' | '0'..='9' | '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => Some(c),
        'A'..='Z' => Some(c.to_ascii_lowercase()),
        ' ' | '\n' | '\t' | '\r' => Some(' '),
        '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10),
        '۰'..='۹' => char::from_digit(c as u32 - '۰' as u32, 10),
        c if c.is_alphanumeric() => Some(c.to_ascii_lowercase()),
        _ => Some(' '),
    }
}

/// The characters of [`fold`]`(s)`, one at a time: folding a text to compare or hash it needs
/// no string, and a comparison stops at the first difference.
#[derive(Clone)]
pub(crate) struct Folded<'a> {
    chars: std::str::Chars<'a>,
    /// A non-space character read after a run of spaces, to give after the one space.
    held: Option<char>,
    /// Whether a character was given (leading spaces are dropped).
    started: bool,
}

impl Iterator for Folded<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(c) = self.held.take() {
            return Some(c);
        }
        let mut space = false;
        for c in self.chars.by_ref().filter_map(fold_char) {
            // Folded characters are letters, digits or the one space.
            if c == ' ' {
                space = self.started;
            } else if space {
                self.held = Some(c);
                return Some(' ');
            } else {
                self.started = true;
                return Some(c);
            }
        }
        None // trailing spaces are dropped
    }
}

/// [`fold`] as an iterator of characters.
pub(crate) fn folded(s: &str) -> Folded<'_> {
    Folded {
        chars: s.chars(),
        held: None,
        started: false,
    }
}

/// Fold `s` for matching: letters folded, punctuation to spaces, whitespace collapsed, trimmed.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    out.extend(folded(s));
    out
}

/// `fold(a) == fold(b)`, without building either.
pub(crate) fn fold_eq(a: &str, b: &str) -> bool {
    folded(a).eq(folded(b))
}

/// A hash of [`fold`]`(s)` and its length in characters; `buf` is scratch space (its content is
/// replaced by the folded text), so that hashing many texts allocates once.
pub(crate) fn fold_hash(s: &str, buf: &mut String) -> (u64, usize) {
    use std::hash::{BuildHasher, Hasher};
    buf.clear();
    let mut n = 0usize;
    for c in folded(s) {
        buf.push(c);
        n += 1;
    }
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(buf.as_bytes());
    (h.finish(), n)
}

/// The first word of [`fold`]`(s)` (empty when it is empty), folding no further than its end.
pub(crate) fn fold_first_word(s: &str) -> String {
    folded(s).take_while(|&c| c != ' ').collect()
}

/// Map Arabic-Indic and extended (Persian) digits to ASCII, leave the rest as is.
pub(crate) fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10).unwrap_or(c),
            '۰'..='۹' => char::from_digit(c as u32 - '۰' as u32, 10).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Whether the character starting at byte `i` of `s` is white space (`char::is_whitespace`),
/// and its length in bytes; a continuation byte counts as a one-byte non-space.
///
/// ASCII bytes are read as they are; of the other characters only those whose first byte can
/// start a white-space character (U+0085, U+00A0: `C2`; U+1680: `E1`; U+2000–U+205F: `E2`;
/// U+3000: `E3`) are decoded.
#[inline]
fn ws_at(s: &str, i: usize) -> (bool, usize) {
    match s.as_bytes().get(i).copied() {
        Some(c @ 0..=0x7F) => (matches!(c, b' ' | 0x09..=0x0D), 1),
        Some(0xC2 | 0xE1 | 0xE2 | 0xE3) => s
            .get(i..)
            .and_then(|r| r.chars().next())
            .map_or((false, 1), |ch| (ch.is_whitespace(), ch.len_utf8())),
        _ => (false, 1),
    }
}

/// Collapse runs of whitespace to one space and trim (what joining `split_whitespace` with
/// single spaces gives, without decoding every character).
pub(crate) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word: Option<usize> = None;
    let mut i = 0;
    while i < s.len() {
        let (ws, len) = ws_at(s, i);
        if ws {
            if let Some(start) = word.take() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(s.get(start..i).unwrap_or(""));
            }
        } else if word.is_none() {
            word = Some(i);
        }
        i += len;
    }
    if let Some(start) = word {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(s.get(start..).unwrap_or(""));
    }
    out
}

/// Characters of `s` that are not white space (`s.chars().filter(|c| !c.is_whitespace())
/// .count()`, reading bytes).
pub(crate) fn non_ws_chars(s: &str) -> usize {
    // One branch-free pass (the compiler vectorizes it): characters are the bytes that are not
    // continuation bytes, less ASCII white space; the first bytes that may start other white
    // space are only noted, and those characters looked at when there are any.
    let (mut n, mut maybe) = (0usize, 0u8);
    for &c in s.as_bytes() {
        let starts = u8::from((c as i8) >= -0x40);
        let ascii_ws = u8::from(c == b' ') | u8::from(c.wrapping_sub(0x09) <= 0x04);
        n += usize::from(starts - ascii_ws);
        maybe |= u8::from(c == 0xC2) | u8::from(c.wrapping_sub(0xE1) <= 0x02);
    }
    if maybe != 0 {
        n -= s
            .chars()
            .filter(|c| !c.is_ascii() && c.is_whitespace())
            .count();
    }
    n
}

/// Whether `c` is an Arabic letter (basic block and presentation forms).
pub(crate) fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
        && c != '\u{0640}'
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition `folded` replaced: fold each character, collapse spaces, trim.
    fn fold_by_string(s: &str) -> String {
        let mut out = String::new();
        let mut pending_space = false;
        for c in s.chars().filter_map(fold_char) {
            if c.is_whitespace() {
                pending_space = !out.is_empty();
            } else {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn folded_streams_what_fold_builds() {
        let cases = [
            "",
            "   ",
            " ، ! ",
            "أَخْبَار   العالَم",
            "  — مقالات ذات صلة —  ",
            "Next Post »",
            "إربد - (وكالة عمون) -",
            "ـــ١٠.٠٦.٢٠١٧ 10:57\t\nالمصدر:",
            "a\u{200f}b  \u{a0}c",
        ];
        for s in cases {
            let want = fold_by_string(s);
            assert_eq!(fold(s), want, "{s:?}");
            assert_eq!(folded(s).collect::<String>(), want, "{s:?}");
            let mut buf = String::new();
            assert_eq!(fold_hash(s, &mut buf).1, want.chars().count(), "{s:?}");
            assert_eq!(buf, want, "{s:?}");
            for t in cases {
                assert_eq!(fold_eq(s, t), want == fold_by_string(t), "{s:?} {t:?}");
                assert_eq!(
                    fold_hash(s, &mut buf).0 == fold_hash(t, &mut String::new()).0,
                    want == fold_by_string(t),
                    "{s:?} {t:?}"
                );
            }
        }
        assert!(fold_eq("أستانا!", "  استانا"));
        assert!(!fold_eq("استانا", "استانة"));
    }

    #[test]
    fn folds_letters_and_punctuation() {
        let cases = [
            ("اترك تعليقاً", "اترك تعليقا"),
            ("قد يعجبك أيضاً", "قد يعجبك ايضا"),
            ("مقالات ذات صلة:", "مقالات ذات صله"),
            ("إلى  الأعلى", "الي الاعلي"),
            ("Next   Post", "next post"),
            ("١٠.٠٦.٢٠١٧", "10 06 2017"),
            ("ســوريا", "سوريا"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "input {input:?}");
            let first = want.split(' ').next().unwrap_or("");
            assert_eq!(fold_first_word(input), first, "input {input:?}");
        }
    }

    #[test]
    fn byte_scans_agree_with_char_scans() {
        let cases = [
            "",
            " ",
            "  a \n\t b  ",
            "\u{a0}نص\u{2009}آخر\u{3000}x\u{85}y\u{1680}z\u{202f}w\u{205f}\u{2028}",
            "é\u{c2a0}\u{e1}\u{2000}\u{200b}zero-width\u{feff}",
            "\x0b\x0c\r\x1c\x1f\u{7f}end ",
            "١٠.٠٦.٢٠١٧ — ٣",
        ];
        for s in cases {
            let words: Vec<&str> = s.split_whitespace().collect();
            assert_eq!(collapse_ws(s), words.join(" "), "{s:?}");
            assert_eq!(
                non_ws_chars(s),
                s.chars().filter(|c| !c.is_whitespace()).count(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn collapses_whitespace_and_digits() {
        assert_eq!(collapse_ws("  a \n\t b  "), "a b");
        assert_eq!(ascii_digits("٢٠١٧ و۳"), "2017 و3");
        assert!(is_arabic_letter('ب'));
        assert!(!is_arabic_letter('ـ'));
        assert!(!is_arabic_letter('b'));
    }
}
