//! Tokenization of raw (un-normalized) text into words, numbers, URLs, emails, hashtags and mentions.
//!
//! Spans are byte offsets into the input, so tokens can be highlighted in the original text.
//! Punctuation and whitespace never form tokens.

use serde::Serialize;

/// What kind of token a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// A word in Arabic script (diacritics and tatweel inside it are kept).
    Arabic,
    /// A word in any other alphabetic script (may contain digits, e.g. `G20`).
    Latin,
    /// A number, possibly with internal separators: `2254`, `٢٠١٧`, `3,5`, `10.06.2017`, `12:30`.
    Number,
    /// `http://…`, `https://…` or `www.…`.
    Url,
    /// `name@domain.tld`.
    Email,
    /// `#tag` (the `#` is part of the token).
    Hashtag,
    /// `@handle` (the `@` is part of the token).
    Mention,
}

/// A token: a slice of the input and its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// `&input[start..end]`.
    pub text: &'a str,
    /// Byte offset of the first byte in the input.
    pub start: usize,
    /// Byte offset one past the last byte in the input.
    pub end: usize,
    /// The token's kind.
    pub kind: TokenKind,
}

/// Iterator over the tokens of a text; see [`tokenize`].
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

/// Splits `text` into tokens (an iterator; nothing is allocated).
///
/// ```
/// use rasd_arabic::{tokenize, TokenKind};
/// let toks: Vec<_> = tokenize("وقال لافروف في 10.06.2017: #سوريا").collect();
/// let texts: Vec<_> = toks.iter().map(|t| t.text).collect();
/// assert_eq!(texts, ["وقال", "لافروف", "في", "10.06.2017", "#سوريا"]);
/// assert_eq!(toks[3].kind, TokenKind::Number);
/// ```
pub fn tokenize(text: &str) -> Tokens<'_> {
    Tokens { text, pos: 0 }
}

/// Arabic-script letters (including presentation forms).
#[inline]
pub(crate) fn is_arabic_letter(c: char) -> bool {
    matches!(c as u32,
        0x620..=0x63F | 0x641..=0x64A | 0x66E..=0x66F | 0x671..=0x6D3 | 0x6D5
        | 0x6EE..=0x6EF | 0x6FA..=0x6FC | 0x6FF | 0x750..=0x77F | 0x8A0..=0x8C9
        | 0xFB50..=0xFD3D | 0xFD50..=0xFDFB | 0xFE70..=0xFEFC)
}

/// Marks that live inside Arabic words: harakat, Quranic marks, tatweel.
#[inline]
fn is_arabic_mark(c: char) -> bool {
    matches!(c as u32,
        0x610..=0x61A | 0x640 | 0x64B..=0x65F | 0x670 | 0x6D6..=0x6DC | 0x6DF..=0x6E8
        | 0x6EA..=0x6ED | 0x8CA..=0x8FF)
}

/// ASCII, Arabic-Indic and Persian digits.
#[inline]
pub(crate) fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || matches!(c as u32, 0x660..=0x669 | 0x6F0..=0x6F9)
}

#[inline]
fn is_latin_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        !is_arabic_letter(c) && !is_arabic_mark(c) && c.is_alphabetic()
    }
}

#[inline]
fn is_combining_latin(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
}

#[inline]
fn is_number_sep(c: char) -> bool {
    matches!(c, '.' | ',' | ':' | '/' | '\u{66B}' | '\u{66C}')
}

#[inline]
fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|r| r.chars().next())
}

/// ASCII case-insensitive prefix test.
#[inline]
fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

impl<'a> Tokens<'a> {
    fn make(&self, start: usize, end: usize, kind: TokenKind) -> Token<'a> {
        Token {
            text: &self.text[start..end],
            start,
            end,
            kind,
        }
    }

    /// End of an Arabic word starting at `i`.
    fn arabic_end(&self, i: usize) -> usize {
        let s = self.text;
        let Some(rest) = s.get(i..) else { return i };
        let b = rest.as_bytes();
        let mut j = 0;
        // Fast path: the Arabic letters U+0621..=U+064A and marks U+064B..=U+065F are the
        // two-byte sequences D8 A1..=BF and D9 80..=9F.
        while let (Some(0xD8), Some(0xA1..=0xBF)) | (Some(0xD9), Some(0x80..=0x9F)) =
            (b.get(j), b.get(j + 1))
        {
            j += 2;
        }
        let mut it = rest[j..].chars();
        while let Some(c) = it.next() {
            if is_arabic_letter(c) || is_arabic_mark(c) {
                j += c.len_utf8();
            } else if matches!(c, '\u{200C}' | '\u{200D}') {
                // Zero-width (non-)joiner is kept only between letters.
                match it.clone().next() {
                    Some(d) if is_arabic_letter(d) => j += c.len_utf8(),
                    _ => break,
                }
            } else {
                break;
            }
        }
        i + j
    }

    /// End of a Latin (alphanumeric) word starting at `i`.
    fn latin_end(&self, mut i: usize) -> usize {
        let s = self.text;
        while let Some(c) = char_at(s, i) {
            if is_latin_letter(c) || c.is_ascii_digit() || is_combining_latin(c) {
                i += c.len_utf8();
            } else if matches!(c, '\'' | '\u{2019}') {
                // Internal apostrophe: don't, O'Brien.
                match char_at(s, i + c.len_utf8()) {
                    Some(d) if is_latin_letter(d) => i += c.len_utf8(),
                    _ => break,
                }
            } else {
                break;
            }
        }
        i
    }

    /// End of a number starting at `i`; `true` when a letter directly follows a plain digit run.
    fn number_end(&self, mut i: usize) -> (usize, bool) {
        let s = self.text;
        let mut had_sep = false;
        while let Some(c) = char_at(s, i) {
            if is_digit(c) {
                i += c.len_utf8();
            } else if is_number_sep(c) {
                match char_at(s, i + c.len_utf8()) {
                    Some(d) if is_digit(d) => {
                        had_sep = true;
                        i += c.len_utf8();
                    }
                    _ => break,
                }
            } else {
                return (i, !had_sep && c.is_ascii_alphabetic());
            }
        }
        (i, false)
    }

    /// An email address starting at `i`, if there is one.
    fn email_end(&self, i: usize) -> Option<usize> {
        let b = self.text.as_bytes();
        let mut j = i;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b"._%+-".contains(&b[j])) {
            j += 1;
        }
        if j == i || j >= b.len() || b[j] != b'@' {
            return None;
        }
        let dom_start = j + 1;
        let mut k = dom_start;
        while k < b.len() && (b[k].is_ascii_alphanumeric() || b[k] == b'-' || b[k] == b'.') {
            k += 1;
        }
        // Trailing dots/hyphens are punctuation, not part of the domain.
        while k > dom_start && matches!(b[k - 1], b'.' | b'-') {
            k -= 1;
        }
        let domain = &b[dom_start..k];
        let dot = domain.iter().rposition(|&x| x == b'.')?;
        let tld = &domain[dot + 1..];
        if dot == 0 || tld.len() < 2 || !tld.iter().all(|x| x.is_ascii_alphabetic()) {
            return None;
        }
        Some(k)
    }

    /// A URL starting at `i`, if there is one.
    fn url_end(&self, i: usize) -> Option<usize> {
        let rest = self.text.get(i..)?;
        if !(starts_with_ci(rest, "http://")
            || starts_with_ci(rest, "https://")
            || starts_with_ci(rest, "www."))
        {
            return None;
        }
        let mut end = i;
        for (off, c) in rest.char_indices() {
            if c.is_whitespace()
                || matches!(
                    c,
                    '"' | '<'
                        | '>'
                        | '«'
                        | '»'
                        | '“'
                        | '”'
                        | '،'
                        | '؛'
                        | '؟'
                        | '\u{200F}'
                        | '\u{200E}'
                )
            {
                break;
            }
            end = i + off + c.len_utf8();
        }
        // Trailing punctuation belongs to the sentence.
        let mut s = &self.text[i..end];
        while let Some(c) = s.chars().next_back() {
            if matches!(
                c,
                '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '\''
            ) {
                s = &s[..s.len() - c.len_utf8()];
            } else {
                break;
            }
        }
        let min = if starts_with_ci(rest, "www.") { 5 } else { 9 };
        (s.len() >= min).then_some(i + s.len())
    }

    /// Hashtag body end (after the `#`).
    fn tag_end(&self, mut i: usize) -> usize {
        let s = self.text;
        let mut last_good = i;
        while let Some(c) = char_at(s, i) {
            if is_arabic_letter(c) || is_arabic_mark(c) || is_latin_letter(c) || is_digit(c) {
                i += c.len_utf8();
                last_good = i;
            } else if c == '_' {
                i += 1;
            } else {
                break;
            }
        }
        last_good
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let s = self.text;
        while self.pos < s.len() {
            let i = self.pos;
            let Some(c) = char_at(s, i) else {
                // Not on a char boundary (cannot happen with our own stepping); stop safely.
                self.pos = s.len();
                return None;
            };
            let clen = c.len_utf8();
            if is_arabic_letter(c) {
                let end = self.arabic_end(i);
                self.pos = end;
                return Some(self.make(i, end, TokenKind::Arabic));
            }
            if c.is_ascii_alphanumeric() {
                if let Some(end) = self.url_end(i) {
                    self.pos = end;
                    return Some(self.make(i, end, TokenKind::Url));
                }
                if let Some(end) = self.email_end(i) {
                    self.pos = end;
                    return Some(self.make(i, end, TokenKind::Email));
                }
            }
            if is_digit(c) {
                let (end, letter_follows) = self.number_end(i);
                if letter_follows {
                    let end = self.latin_end(end);
                    self.pos = end;
                    return Some(self.make(i, end, TokenKind::Latin));
                }
                self.pos = end;
                return Some(self.make(i, end, TokenKind::Number));
            }
            if is_latin_letter(c) {
                let end = self.latin_end(i);
                self.pos = end;
                return Some(self.make(i, end, TokenKind::Latin));
            }
            if c == '#' {
                let end = self.tag_end(i + 1);
                if end > i + 1 {
                    self.pos = end;
                    return Some(self.make(i, end, TokenKind::Hashtag));
                }
            }
            if c == '@' {
                let b = s.as_bytes();
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                if j > i + 1 {
                    self.pos = j;
                    return Some(self.make(i, j, TokenKind::Mention));
                }
            }
            self.pos = i + clen;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenKind::*;

    fn toks(s: &str) -> Vec<(&str, TokenKind)> {
        let v: Vec<_> = tokenize(s).collect();
        for t in &v {
            assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end));
            assert_eq!(&s[t.start..t.end], t.text);
            assert!(!t.text.is_empty());
        }
        v.into_iter().map(|t| (t.text, t.kind)).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[(&str, TokenKind)])] = &[
            (
                "محادثات أمريكية – روسية",
                &[("محادثات", Arabic), ("أمريكية", Arabic), ("روسية", Arabic)],
            ),
            ("مُحَمَّدٌ وسوريـــا", &[("مُحَمَّدٌ", Arabic), ("وسوريـــا", Arabic)]),
            ("كتاباً.", &[("كتاباً", Arabic)]),
            (
                "10.06.2017 10:57",
                &[("10.06.2017", Number), ("10:57", Number)],
            ),
            (
                "عام ٢٠١٧م.",
                &[("عام", Arabic), ("٢٠١٧", Number), ("م", Arabic)],
            ),
            (
                "3,5 و2254",
                &[("3,5", Number), ("و", Arabic), ("2254", Number)],
            ),
            ("نهاية 2017.", &[("نهاية", Arabic), ("2017", Number)]),
            ("1, 2", &[("1", Number), ("2", Number)]),
            ("٣٫٥ ۱۲", &[("٣٫٥", Number), ("۱۲", Number)]),
            ("10/06/2017", &[("10/06/2017", Number)]),
            (
                "F16 G20 5G",
                &[("F16", Latin), ("G20", Latin), ("5G", Latin)],
            ),
            (
                "Wall Street Journal's",
                &[("Wall", Latin), ("Street", Latin), ("Journal's", Latin)],
            ),
            (
                "انظر https://example.com/a?b=1. ثم",
                &[
                    ("انظر", Arabic),
                    ("https://example.com/a?b=1", Url),
                    ("ثم", Arabic),
                ],
            ),
            ("(www.aljazeera.net)", &[("www.aljazeera.net", Url)]),
            (
                "راسلونا: info@rt.com.",
                &[("راسلونا", Arabic), ("info@rt.com", Email)],
            ),
            (
                "#سوريا_الآن #Syria",
                &[("#سوريا_الآن", Hashtag), ("#Syria", Hashtag)],
            ),
            (
                "@RT_Arabic قال",
                &[("@RT_Arabic", Mention), ("قال", Arabic)],
            ),
            ("« » ، ؛ ؟ ! - # @ ...", &[]),
            ("ﺍﻟﻌﺮﺑﻴﺔ", &[("ﺍﻟﻌﺮﺑﻴﺔ", Arabic)]),
            ("naïve café", &[("naïve", Latin), ("café", Latin)]),
            ("Москва", &[("Москва", Latin)]),
            ("", &[]),
        ];
        for (inp, want) in cases {
            assert_eq!(toks(inp), want.to_vec(), "tokenize({inp:?})");
        }
    }

    #[test]
    fn negative_cases() {
        // Not emails / urls / numbers.
        assert_eq!(toks("a@b"), vec![("a", Latin), ("@b", Mention)]);
        assert_eq!(toks("http:"), vec![("http", Latin)]);
        assert_eq!(toks("2017."), vec![("2017", Number)]);
        assert_eq!(toks("12:"), vec![("12", Number)]);
        // ZWNJ at the end of a word is not part of it.
        assert_eq!(toks("کتاب\u{200c} "), vec![("کتاب", Arabic)]);
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for s in [
            "\u{301}",
            "#",
            "@",
            "_#_",
            "\u{64e}\u{64e}",
            "a\u{0}b",
            "😀1😀",
            "www.",
            "https://",
        ] {
            let _ = toks(s);
        }
    }
}
