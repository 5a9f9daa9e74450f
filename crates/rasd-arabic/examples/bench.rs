//! Throughput of the hot paths (std::time only).
//!
//! Reads the seed articles (`shared/seeds/*.txt` beside the checkout, or a directory given as the
//! first argument), repeats them to about 20 MB, and reports MB/s for
//! * tokenize + search_key (reused buffer),
//! * for_each_term (tokenize + search_key + clitics + light stem),
//! * for_each_term on the ANERCorp tokens (a ~30k-word vocabulary), when present,
//! * analyze (allocating, with sentences, variants, stopwords) on a 2 MB slice.
//!
//! Run: `cargo run --release -p rasd-arabic --example bench [SEEDS_DIR]`

use std::time::Instant;

use rasd_arabic::{analyze, for_each_term, search_key_into, tokenize};

const TARGET: usize = 20 * 1024 * 1024;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("{}/../../../shared/seeds", env!("CARGO_MANIFEST_DIR")));
    let mut seed = String::new();
    let mut entries: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => {
            eprintln!("bench: skipping, cannot read {dir}: {e}");
            return;
        }
    };
    entries.sort();
    for p in entries {
        if let Ok(t) = std::fs::read_to_string(&p) {
            seed.push_str(&t);
            seed.push('\n');
        }
    }
    if seed.trim().is_empty() {
        eprintln!("bench: skipping, no seed text in {dir}");
        return;
    }
    let mut text = String::with_capacity(TARGET + seed.len());
    while text.len() < TARGET {
        text.push_str(&seed);
    }
    let mb = text.len() as f64 / 1e6;
    println!("input: {:.1} MB (seeds repeated)", mb);

    // Warm the lazily loaded tables.
    for_each_term("والمحادثات في بيروت", |_, _, _| {});

    let t = Instant::now();
    let mut buf = String::with_capacity(64);
    let mut n = 0usize;
    let mut bytes = 0usize;
    for tok in tokenize(&text) {
        buf.clear();
        search_key_into(tok.text, &mut buf);
        n += 1;
        bytes += buf.len();
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "tokenize+search_key: {:.0} MB/s ({n} tokens, {bytes} key bytes, {:.2} s)",
        mb / s,
        s
    );

    let t = Instant::now();
    let mut stem_bytes = 0usize;
    let mut count = 0usize;
    for_each_term(&text, |_, _, stem| {
        stem_bytes += stem.len();
        count += 1;
    });
    let s = t.elapsed().as_secs_f64();
    println!(
        "for_each_term:       {:.0} MB/s ({count} tokens, {stem_bytes} stem bytes, {:.2} s)",
        mb / s,
        s
    );

    // Larger vocabulary (~30k distinct words): ANERCorp tokens joined by spaces, when present.
    let aner = format!(
        "{}/../../../shared/data/anercorp/ANERCorp_original_full.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    if let Ok(raw) = std::fs::read_to_string(&aner) {
        let words: Vec<&str> = raw
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        let joined = words.join(" ");
        let mut big = String::with_capacity(TARGET + joined.len());
        while big.len() < TARGET / 2 {
            big.push_str(&joined);
            big.push('\n');
        }
        let t = Instant::now();
        let mut count = 0usize;
        for_each_term(&big, |_, _, stem| count += usize::from(!stem.is_empty()));
        let s = t.elapsed().as_secs_f64();
        println!(
            "for_each_term (ANERCorp vocabulary, {:.1} MB): {:.0} MB/s ({count} tokens)",
            big.len() as f64 / 1e6,
            big.len() as f64 / 1e6 / s
        );
    }

    let slice_end = (2 * 1024 * 1024).min(text.len());
    let mut end = slice_end;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let part = &text[..end];
    let t = Instant::now();
    let a = analyze(part);
    let s = t.elapsed().as_secs_f64();
    println!(
        "analyze:             {:.0} MB/s ({} tokens, {} sentences on {:.1} MB)",
        part.len() as f64 / 1e6 / s,
        a.tokens.len(),
        a.sentences.len(),
        part.len() as f64 / 1e6
    );
}
