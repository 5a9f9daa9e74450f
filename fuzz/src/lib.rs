//! Invariant checks shared by the fuzz targets. Every check panics (so libFuzzer records a crash)
//! with a message naming the broken invariant.

use rasd_arabic::{Normalized, Span, Token};

/// Checks that `tokens` are slices of `text`: char-boundary spans, `&text[start..end] == text`,
/// non-empty, increasing and non-overlapping.
pub fn check_tokens(text: &str, tokens: &[Token<'_>]) {
    let mut prev_end = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        assert!(
            t.start < t.end,
            "token {i} empty or reversed span {}..{}",
            t.start,
            t.end
        );
        assert!(
            t.end <= text.len(),
            "token {i} end {} > text len {}",
            t.end,
            text.len()
        );
        assert!(
            text.is_char_boundary(t.start),
            "token {i} start {} not a char boundary",
            t.start
        );
        assert!(
            text.is_char_boundary(t.end),
            "token {i} end {} not a char boundary",
            t.end
        );
        assert_eq!(
            text.get(t.start..t.end),
            Some(t.text),
            "token {i} text != &text[start..end]"
        );
        assert!(
            t.start >= prev_end,
            "token {i} start {} overlaps previous end {prev_end}",
            t.start
        );
        prev_end = t.end;
    }
}

/// Checks a [`Normalized`] against its original: map length, monotone, in range, char boundaries.
pub fn check_normalized(what: &str, original: &str, n: &Normalized) {
    assert_eq!(
        n.map.len(),
        n.text.len() + 1,
        "{what}: map.len() != text.len()+1"
    );
    assert_eq!(
        n.map.last().copied(),
        Some(original.len()),
        "{what}: last map entry != original len"
    );
    let mut prev = 0usize;
    for (i, &m) in n.map.iter().enumerate() {
        assert!(
            m <= original.len(),
            "{what}: map[{i}]={m} > original len {}",
            original.len()
        );
        assert!(
            original.is_char_boundary(m),
            "{what}: map[{i}]={m} not a char boundary of original"
        );
        assert!(m >= prev, "{what}: map not monotone at {i}: {m} < {prev}");
        prev = m;
    }
    // Every output char maps to one origin: all its bytes share the entry.
    for (i, c) in n.text.char_indices() {
        let first = n.map[i];
        for k in 1..c.len_utf8() {
            assert_eq!(
                n.map[i + k],
                first,
                "{what}: bytes of output char at {i} map to different origins"
            );
        }
    }
    // original_range never panics and yields a valid range of the original.
    let (s, e) = n.original_range(0, n.text.len());
    assert!(
        s <= e && e <= original.len(),
        "{what}: original_range(0, len) = {s}..{e}"
    );
    assert!(
        original.get(s..e).is_some(),
        "{what}: original_range not on char boundaries"
    );
}

/// Checks sentence spans: within the text, char boundaries, non-empty, increasing, non-overlapping.
pub fn check_sentences(text: &str, spans: &[Span]) {
    let mut prev_end = 0usize;
    for (i, s) in spans.iter().enumerate() {
        assert!(
            s.start < s.end,
            "sentence {i} empty or reversed {}..{}",
            s.start,
            s.end
        );
        assert!(
            s.end <= text.len(),
            "sentence {i} end {} > text len {}",
            s.end,
            text.len()
        );
        assert!(
            text.get(s.start..s.end).is_some(),
            "sentence {i} {}..{} not on char boundaries",
            s.start,
            s.end
        );
        assert!(
            s.start >= prev_end,
            "sentence {i} start {} overlaps previous end {prev_end}",
            s.start
        );
        prev_end = s.end;
    }
}

/// Input bytes as text: valid UTF-8 as is, otherwise lossily decoded (U+FFFD for bad bytes),
/// so every input exercises the library.
pub fn text_of(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_arabic::{normalize_display, normalize_search, split_sentences, tokenize, TokenKind};
    use std::panic::catch_unwind;

    const TEXTS: &[&str] = &[
        "",
        "وقال لافروف في 10.06.2017: #سوريا",
        "«سوريـــا»\u{200f} ﻻ https://x.org/أ info@a.com ٢٠١٧.٠٦",
        "\u{64e}\u{651} e\u{301} U.S. هل؟ نعم!",
    ];

    #[test]
    fn real_outputs_pass_every_check() {
        for t in TEXTS {
            let toks: Vec<_> = tokenize(t).collect();
            check_tokens(t, &toks);
            check_normalized("display", t, &normalize_display(t));
            check_normalized("search", t, &normalize_search(t));
            check_sentences(t, &split_sentences(t));
        }
    }

    #[test]
    fn broken_tokens_are_caught() {
        let text = "سوريا الأردن";
        let tok = |text: &'static str, start, end| Token {
            text,
            start,
            end,
            kind: TokenKind::Arabic,
        };
        let bad: Vec<Vec<Token<'static>>> = vec![
            vec![tok("س", 0, 1)],                       // splits a char
            vec![tok("سوريا", 0, 10), tok("ا", 8, 10)], // overlap
            vec![tok("الأردن", 0, 10)],                  // text != slice
            vec![tok("", 3, 3)],                        // empty
        ];
        for toks in bad {
            assert!(
                catch_unwind(|| check_tokens(text, &toks)).is_err(),
                "{toks:?}"
            );
        }
    }

    #[test]
    fn broken_maps_are_caught() {
        let orig = "سا";
        let n = |map: Vec<usize>| Normalized {
            text: "ab".to_owned(),
            map,
        };
        for map in [
            vec![0, 2],
            vec![0, 2, 1],
            vec![0, 1, 4],
            vec![0, 2, 5],
            vec![0, 2, 2],
        ] {
            let bad = n(map.clone());
            assert!(
                catch_unwind(|| check_normalized("t", orig, &bad)).is_err(),
                "{map:?}"
            );
        }
        check_normalized("t", orig, &n(vec![0, 2, 4]));
    }

    #[test]
    fn broken_sentences_are_caught() {
        let text = "هل؟ نعم!";
        for spans in [
            vec![Span { start: 0, end: 1 }],
            vec![Span { start: 0, end: 20 }],
            vec![Span { start: 4, end: 4 }],
            vec![Span { start: 0, end: 7 }, Span { start: 6, end: 14 }],
        ] {
            assert!(
                catch_unwind(|| check_sentences(text, &spans)).is_err(),
                "{spans:?}"
            );
        }
    }

    #[test]
    fn lossy_text_replaces_bad_bytes() {
        assert_eq!(text_of(b"\xd8\xb3\xff"), "س\u{fffd}");
    }
}
