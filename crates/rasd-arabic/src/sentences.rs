//! Sentence splitting for Arabic (and mixed) news text.

use serde::Serialize;

/// A byte range `[start, end)` of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

#[inline]
fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '?' | '!' | '؟' | '…' | '۔')
}

#[inline]
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{B}' | '\u{C}'
    )
}

/// Closing quotes and brackets that stay with the sentence they close.
#[inline]
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '}' | '›')
}

#[inline]
fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

#[inline]
fn is_arabic_letter(c: char) -> bool {
    crate::tokenize::is_arabic_letter(c)
}

/// Whether the `.` at byte `i` ends a sentence.
fn period_ends(text: &str, i: usize) -> bool {
    let before = &text[..i];
    let after = &text[i + 1..];
    let mut back = before.chars().rev();
    let prev = back.next();
    let prev2 = back.next();
    let next = after.chars().next();
    match (prev, next) {
        // 10.06.2017, 3.5
        (Some(p), Some(n)) if p.is_ascii_digit() && n.is_ascii_digit() => return false,
        (Some(p), Some(n)) if crate::tokenize::is_digit(p) && crate::tokenize::is_digit(n) => {
            return false
        }
        // Domains, file names, U.S: no space after the period and Latin on both sides.
        (Some(p), Some(n))
            if p.is_ascii_alphanumeric() && (n.is_ascii_alphanumeric() || n == '_') =>
        {
            return false
        }
        _ => {}
    }
    // One-letter abbreviation: د. م. أ. J. — a single letter after a non-letter (or at the start).
    if let Some(p) = prev {
        let single = is_letter(p) && !prev2.is_some_and(|q| is_letter(q) || q.is_ascii_digit());
        if single {
            // The abbreviation must be followed by more text on the same line.
            let rest = after.trim_start_matches([' ', '\t', '\u{a0}']);
            let more = rest.chars().next().is_some_and(|c| !is_line_break(c));
            if more && (is_arabic_letter(p) || p.is_uppercase()) {
                return false;
            }
        }
    }
    true
}

/// Splits text into sentences: `.`, `؟`, `?`, `!`, `…` and line breaks end sentences; `،` and `؛`
/// do not. A period inside a number (`10.06.2017`, `3.5`), inside a domain or after a one-letter
/// abbreviation (`د.`, `م.`) does not end a sentence. Closing quotes and brackets stay with their
/// sentence. Spans are trimmed of whitespace; spans with no letter or digit are dropped.
///
/// ```
/// let text = "قال د. محمد إن الاجتماع عقد في 10.06.2017. هل انتهى؟ نعم!";
/// let s: Vec<&str> = rasd_arabic::split_sentences(text)
///     .iter().map(|s| &text[s.start..s.end]).collect();
/// assert_eq!(s, ["قال د. محمد إن الاجتماع عقد في 10.06.2017.", "هل انتهى؟", "نعم!"]);
/// ```
pub fn split_sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if is_line_break(c) {
            push_span(text, start, i, &mut out);
            start = i + c.len_utf8();
            continue;
        }
        if !is_terminator(c) || (c == '.' && !period_ends(text, i)) {
            continue;
        }
        let mut end = i + c.len_utf8();
        // Absorb runs of terminators (?!, ..., ؟!) and closing quotes/brackets.
        while let Some(&(j, d)) = it.peek() {
            if is_terminator(d) || is_closer(d) {
                end = j + d.len_utf8();
                it.next();
            } else {
                break;
            }
        }
        push_span(text, start, end, &mut out);
        start = end;
    }
    push_span(text, start, text.len(), &mut out);
    out
}

fn push_span(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let Some(s) = text.get(start..end) else {
        return;
    };
    let is_space = |c: char| c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{FEFF}');
    let trimmed_start = s.trim_start_matches(is_space);
    let lead = s.len() - trimmed_start.len();
    let t = trimmed_start.trim_end_matches(is_space);
    if t.chars().any(char::is_alphanumeric) {
        out.push(Span {
            start: start + lead,
            end: start + lead + t.len(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        let spans = split_sentences(t);
        for s in &spans {
            assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end) && s.start < s.end);
        }
        spans.iter().map(|s| &t[s.start..s.end]).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            ("جملة أولى. جملة ثانية.", &["جملة أولى.", "جملة ثانية."]),
            ("هل حدث ذلك؟ نعم حدث!", &["هل حدث ذلك؟", "نعم حدث!"]),
            (
                "قال ذلك، ثم غادر؛ ولم يعد.",
                &["قال ذلك، ثم غادر؛ ولم يعد."],
            ),
            ("سطر أول\nسطر ثان", &["سطر أول", "سطر ثان"]),
            (
                "في 10.06.2017 10:57 وقع الحادث.",
                &["في 10.06.2017 10:57 وقع الحادث."],
            ),
            ("بلغت النسبة 3.5 بالمئة.", &["بلغت النسبة 3.5 بالمئة."]),
            ("بلغت النسبة ٣.٥ بالمئة.", &["بلغت النسبة ٣.٥ بالمئة."]),
            (
                "قال د. أحمد و م. سامي ذلك.",
                &["قال د. أحمد و م. سامي ذلك."],
            ),
            (
                "قال: \"انتهى الأمر.\" ثم غادر.",
                &["قال: \"انتهى الأمر.\"", "ثم غادر."],
            ),
            ("«هل انتهى؟» سأل.", &["«هل انتهى؟»", "سأل."]),
            ("انتظر... ثم ماذا؟!", &["انتظر...", "ثم ماذا؟!"]),
            (
                "زوروا aljazeera.net للمزيد.",
                &["زوروا aljazeera.net للمزيد."],
            ),
            ("The U.S. Army left. Then", &["The U.S. Army left.", "Then"]),
            ("  \n\n  ", &[]),
            ("...", &[]),
            ("", &[]),
            ("بدون نهاية", &["بدون نهاية"]),
            // A one-letter word at the end of a line does end the sentence.
            ("في عام 2017م.\nثم", &["في عام 2017م.", "ثم"]),
            ("انتهى.وقال", &["انتهى.", "وقال"]),
        ];
        for (t, want) in cases {
            assert_eq!(sents(t), want.to_vec(), "split_sentences({t:?})");
        }
    }
}
