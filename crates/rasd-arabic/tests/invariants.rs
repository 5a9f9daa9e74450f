//! Invariants on real text (the seed articles, when present) and on synthetic junk.

use rasd_arabic::*;

fn shared(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel)
}

fn check_all(text: &str) {
    // Tokens: spans on char boundaries, text matches, in order, non-overlapping.
    let mut last_end = 0;
    for t in tokenize(text) {
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        assert_eq!(&text[t.start..t.end], t.text);
        assert!(t.start >= last_end && t.start < t.end);
        last_end = t.end;
    }
    // Normalization maps: right length, monotone, on char boundaries, ending at the input length.
    for n in [normalize_display(text), normalize_search(text)] {
        assert_eq!(n.map.len(), n.text.len() + 1);
        assert_eq!(n.map.last().copied(), Some(text.len()));
        assert!(n.map.windows(2).all(|w| w[0] <= w[1]));
        assert!(n.map.iter().all(|&m| text.is_char_boundary(m)));
    }
    assert_eq!(search_key(text), normalize_search(text).text);
    // search_key is idempotent.
    let k = search_key(text);
    assert_eq!(search_key(&k), k);
    // Sentences: ordered, trimmed, on char boundaries.
    let mut prev = 0;
    for s in split_sentences(text) {
        assert!(s.start >= prev && s.start < s.end && s.end <= text.len());
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        let body = &text[s.start..s.end];
        assert_eq!(body.trim(), body);
        prev = s.end;
    }
    // analyze agrees with for_each_term.
    let a = analyze(text);
    let mut i = 0;
    for_each_term(text, |t, norm, stem| {
        let at = &a.tokens[i];
        assert_eq!(
            (t.start, t.end, norm, stem),
            (at.start, at.end, at.norm.as_str(), at.stem.as_str())
        );
        i += 1;
    });
    assert_eq!(i, a.tokens.len());
    for t in &a.tokens {
        let _ = variant_key(&t.stem);
        let seg = segment(&t.norm);
        assert!(t.norm.contains(seg.stem));
    }
}

#[test]
fn seeds_keep_invariants() {
    let dir = shared("seeds");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: {} not found", dir.display());
        return;
    };
    let mut n = 0;
    for e in rd.filter_map(Result::ok) {
        let Ok(text) = std::fs::read_to_string(e.path()) else {
            continue;
        };
        check_all(&text);
        // Real articles: most tokens are Arabic words, and there are several sentences.
        let a = analyze(&text);
        let arabic = a
            .tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Arabic)
            .count();
        assert!(arabic * 10 > a.tokens.len() * 7, "{}", e.path().display());
        assert!(a.sentences.len() >= 3);
        n += 1;
    }
    assert!(n > 0 || dir.exists());
}

#[test]
fn seed_date_trailer() {
    let text = "وكالة الأنباء\n10.06.2017 10:57";
    let toks: Vec<_> = tokenize(text).map(|t| (t.text, t.kind)).collect();
    assert_eq!(
        toks,
        [
            ("وكالة", TokenKind::Arabic),
            ("الأنباء", TokenKind::Arabic),
            ("10.06.2017", TokenKind::Number),
            ("10:57", TokenKind::Number)
        ]
    );
    assert_eq!(split_sentences(text).len(), 2);
}

/// Deterministic pseudo-random strings over a nasty alphabet (no external crates).
#[test]
fn junk_does_not_panic() {
    let alphabet: Vec<char> = "اأإآٱبتثجحخدذرزسشصضطظعغفقكلمنهويىةؤئءـًٌٍَُِّْٰۖ٠١٢٣۴۵ 0123456789.,:;/?!؟،؛#@_-'\"«»“”\n\t\u{200c}\u{200d}\u{200f}\u{202b}\u{feff}\u{654}\u{301}ﻻﺍﻟﻌﺮﺑﻴﺔaBcZéİß😀\u{10ffff}\u{fdfa}\u{fe70}\u{1100}\u{1161}\u{11a8}"
        .chars()
        .collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for len in 0..400 {
        let mut s = String::new();
        for _ in 0..len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            s.push(alphabet[(state % alphabet.len() as u64) as usize]);
        }
        check_all(&s);
        for w in s.split_whitespace() {
            let k = search_key(w);
            let st = light_stem(&k);
            assert!(k.contains(&st) || known_form_like(&k, &st), "{k} → {st}");
            let _ = variant_key(&k);
            let _ = is_stopword(&k);
        }
    }
}

/// A stem is a slice of its key, or a listed lexicon form the key inflects to.
fn known_form_like(key: &str, stem: &str) -> bool {
    !stem.is_empty() && key.chars().count() + 2 >= stem.chars().count()
}

#[test]
fn huge_inputs() {
    let word = "والمحادثات ".repeat(100_000);
    assert_eq!(tokenize(&word).count(), 100_000);
    let marks = "\u{64e}".repeat(200_000);
    assert_eq!(search_key(&marks), "");
    assert!(tokenize(&marks).next().is_none());
    let combining = format!("a{}", "\u{301}".repeat(50_000));
    check_all(&combining);
    let long_word = "ب".repeat(100_000);
    assert_eq!(light_stem(&long_word), long_word);
}
