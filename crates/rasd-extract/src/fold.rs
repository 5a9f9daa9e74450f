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

/// Fold `s` for matching: letters folded, punctuation to spaces, whitespace collapsed, trimmed.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
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

/// Collapse runs of whitespace to one space and trim.
pub(crate) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
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
