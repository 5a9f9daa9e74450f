#![no_main]
//! Normalizers: offset-map invariants; `search_key == normalize_search().text`; stem/variant
//! functions never panic on any key.

use libfuzzer_sys::fuzz_target;
use rasd_arabic::{
    fold_variant, light_stem, normalize_display, normalize_search, search_key, variant_key,
};
use rasd_fuzz::{check_normalized, text_of};

fuzz_target!(|data: &[u8]| {
    let text = text_of(data);
    let text: &str = &text;

    let d = normalize_display(text);
    check_normalized("normalize_display", text, &d);
    let s = normalize_search(text);
    check_normalized("normalize_search", text, &s);

    let key = search_key(text);
    assert_eq!(key, s.text, "search_key != normalize_search().text");

    // Stemming and variant keys on the key and (documented for keys, but must not panic) raw text.
    let stem = light_stem(&key);
    let v = variant_key(&key);
    assert_eq!(
        fold_variant(&stem),
        v,
        "fold_variant(light_stem(k)) != variant_key(k)"
    );
    let _ = light_stem(text);
    let _ = variant_key(text);
    let _ = fold_variant(text);
});
