//! Stemming sanity on the ANERCorp vocabulary (skipped when the corpus is absent).

use std::collections::{HashMap, HashSet};

use rasd_arabic::*;

#[test]
fn anercorp_conflation() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/anercorp/ANERCorp_original_full.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let mut vocab: HashSet<String> = HashSet::new();
    for line in text.lines() {
        if let Some(tok) = line.split_whitespace().next() {
            for t in tokenize(tok).filter(|t| t.kind == TokenKind::Arabic) {
                vocab.insert(search_key(t.text));
            }
        }
    }
    assert!(vocab.len() > 20_000);
    let mut classes: HashMap<String, usize> = HashMap::new();
    let mut restem = 0usize;
    let mut too_short = Vec::new();
    for k in &vocab {
        let st = light_stem(k);
        if k.chars().count() >= 4 && st.chars().count() < 2 {
            too_short.push(k.clone());
        }
        if light_stem(&st) != st {
            restem += 1;
        }
        *classes.entry(st).or_default() += 1;
    }
    // Light stemming conflates a good part of the vocabulary, without collapsing it.
    let ratio = classes.len() as f64 / vocab.len() as f64;
    assert!(
        (0.4..0.7).contains(&ratio),
        "classes/vocabulary = {ratio:.2}"
    );
    // Long words never shrink below two letters.
    assert!(too_short.is_empty(), "{too_short:?}");
    // Stemming a stem almost never changes it (only stems that still look like clitic+word).
    assert!(
        restem * 100 < vocab.len(),
        "{restem} stems change when stemmed again"
    );
    // No class grows huge (a sign of aggressive stripping).
    let max = classes.values().copied().max().unwrap_or(0);
    assert!(max <= 40, "largest class has {max} words");
}
