#![no_main]
//! Tokenizer and term fast path: spans, slices, order; `for_each_term` agrees with
//! `tokenize` + `search_key` + `light_stem`.

use libfuzzer_sys::fuzz_target;
use rasd_arabic::{for_each_term, light_stem, search_key, tokenize, TokenKind};
use rasd_fuzz::{check_tokens, text_of};

fuzz_target!(|data: &[u8]| {
    let text = text_of(data);
    let text: &str = &text;
    let tokens: Vec<_> = tokenize(text).collect();
    check_tokens(text, &tokens);

    let mut i = 0usize;
    for_each_term(text, |tok, norm, stem| {
        assert_eq!(
            tokens.get(i),
            Some(tok),
            "for_each_term token {i} differs from tokenize"
        );
        let key = search_key(tok.text);
        assert_eq!(norm, key, "for_each_term norm != search_key(token)");
        if tok.kind == TokenKind::Arabic {
            assert_eq!(
                stem,
                light_stem(&key),
                "for_each_term stem != light_stem(norm)"
            );
        } else {
            assert_eq!(stem, norm, "non-Arabic stem != norm");
        }
        i += 1;
    });
    assert_eq!(
        i,
        tokens.len(),
        "for_each_term token count != tokenize count"
    );
});
