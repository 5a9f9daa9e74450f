//! Stemmer conflation report on the ANERCorp vocabulary.
//!
//! Reads `shared/data/anercorp/ANERCorp_original_full.txt` (token per line, token in column 1) from
//! beside the checkout (or the path given as the first argument), builds the vocabulary of Arabic
//! words, groups it by light stem and prints class statistics, the biggest classes, and spot checks.
//!
//! Run: `cargo run --release -p rasd-arabic --example conflation [PATH] [TOP]`

use std::collections::HashMap;

use rasd_arabic::{light_stem, search_key, segment, tokenize, variant_key, TokenKind};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| {
        format!(
            "{}/../../../shared/data/anercorp/ANERCorp_original_full.txt",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let top: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(40);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("conflation: skipping, cannot read {path}: {e}");
            return;
        }
    };
    // Vocabulary: search key → frequency.
    let mut vocab: HashMap<String, usize> = HashMap::new();
    for line in text.lines() {
        let Some(tok) = line.split_whitespace().next() else {
            continue;
        };
        for t in tokenize(tok).filter(|t| t.kind == TokenKind::Arabic) {
            *vocab.entry(search_key(t.text)).or_default() += 1;
        }
    }
    let mut classes: HashMap<String, Vec<(String, usize)>> = HashMap::new();
    let mut variants: HashMap<String, Vec<String>> = HashMap::new();
    for (k, &n) in &vocab {
        let st = light_stem(k);
        variants.entry(variant_key(k)).or_default().push(st.clone());
        classes.entry(st).or_default().push((k.clone(), n));
    }
    let tokens: usize = vocab.values().sum();
    println!("tokens (Arabic): {tokens}");
    println!("vocabulary (search keys): {}", vocab.len());
    println!("stem classes: {}", classes.len());
    let mut vstems: Vec<_> = variants
        .values_mut()
        .map(|v| {
            v.sort();
            v.dedup();
            v.len()
        })
        .collect();
    vstems.sort_unstable();
    println!(
        "variant classes: {} (merging {} stem classes)",
        variants.len(),
        vstems
            .iter()
            .filter(|&&n| n > 1)
            .map(|n| n - 1)
            .sum::<usize>()
    );
    let mut sizes: Vec<usize> = classes.values().map(Vec::len).collect();
    sizes.sort_unstable();
    let singletons = sizes.iter().filter(|&&s| s == 1).count();
    println!(
        "class sizes: singletons {singletons}, 2–5: {}, 6–10: {}, >10: {}, max {}",
        sizes.iter().filter(|&&s| (2..=5).contains(&s)).count(),
        sizes.iter().filter(|&&s| (6..=10).contains(&s)).count(),
        sizes.iter().filter(|&&s| s > 10).count(),
        sizes.last().copied().unwrap_or(0)
    );
    let short = classes.keys().filter(|s| s.chars().count() < 3).count();
    println!("stems shorter than 3 letters: {short}");
    let restem = vocab
        .keys()
        .filter(|k| {
            let s = light_stem(k);
            light_stem(&s) != s
        })
        .count();
    println!("words whose stem changes when stemmed again: {restem}");

    let mut by_size: Vec<_> = classes.iter().collect();
    by_size.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    println!("\n== {top} biggest stem classes ==");
    for (stem, members) in by_size.iter().take(top) {
        let mut m = (*members).clone();
        m.sort_by_key(|b| std::cmp::Reverse(b.1));
        let list: Vec<String> = m.iter().take(14).map(|(w, n)| format!("{w}:{n}")).collect();
        println!("{stem} ({}) {}", m.len(), list.join(" "));
    }

    println!("\n== spot checks ==");
    for w in [
        "محادثات",
        "والمحادثات",
        "الانتخابات",
        "انتخابات",
        "الأمريكية",
        "الأمريكيين",
        "فلسطين",
        "الفلسطينية",
        "بيروت",
        "لبنان",
        "ألبانيا",
        "وزارة",
        "واشنطن",
        "بريطانيا",
        "كندا",
        "ليبيا",
        "للحكومة",
        "حكومتها",
        "والرئيس",
    ] {
        let k = search_key(w);
        let s = segment(&k);
        println!(
            "{w} → key {k} → seg {:?}+{}+{:?} → stem {} → variant {}",
            s.proclitics,
            s.stem,
            s.enclitics,
            light_stem(&k),
            variant_key(&k)
        );
    }

    println!("\n== biggest variant classes (distinct stems) ==");
    let mut vs: Vec<_> = variants.iter().collect();
    vs.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    for (v, stems) in vs.iter().take(top / 2) {
        println!(
            "{v} ({}) {}",
            stems.len(),
            stems.iter().take(12).cloned().collect::<Vec<_>>().join(" ")
        );
    }
}
