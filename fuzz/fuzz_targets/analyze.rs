#![no_main]
//! Sentences and full analysis: sentence spans, analysed tokens match `tokenize`.

use libfuzzer_sys::fuzz_target;
use rasd_arabic::{analyze, search_key, split_sentences, tokenize};
use rasd_fuzz::{check_sentences, text_of};

fuzz_target!(|data: &[u8]| {
    let text = text_of(data);
    let text: &str = &text;

    let spans = split_sentences(text);
    check_sentences(text, &spans);

    let a = analyze(text);
    assert_eq!(
        a.sentences, spans,
        "analyze().sentences != split_sentences()"
    );
    let toks: Vec<_> = tokenize(text).collect();
    assert_eq!(
        a.tokens.len(),
        toks.len(),
        "analyze token count != tokenize count"
    );
    for (i, (at, t)) in a.tokens.iter().zip(&toks).enumerate() {
        assert_eq!(
            (at.start, at.end, at.kind),
            (t.start, t.end, t.kind),
            "analyze token {i} span/kind"
        );
        assert_eq!(at.text, t.text, "analyze token {i} text");
        assert_eq!(
            at.norm,
            search_key(t.text),
            "analyze token {i} norm != search_key"
        );
    }
});
