//! Throughput on one given text file, for side-by-side comparison with the Python peers
//! (`tools/peers/speed.py` passes the same file to both).
//!
//! Reports MB/s (single thread, std::time only) of
//! * tokenize + search_key (reused buffer),
//! * for_each_term (tokenize + search_key + clitics + light stem);
//! * for_each_term plus the spelling-variant key of every stem (`fold_variant`).
//!
//! Each pass is repeated until it has run for at least `MIN_SECS`; the best pass is reported.
//!
//! Run: `cargo run --release -p rasd-arabic --example bench_file -- PATH`

use std::time::Instant;

use rasd_arabic::{for_each_term, search_key_into, tokenize};

const MIN_SECS: f64 = 2.0;

fn best_of(mut pass: impl FnMut() -> usize) -> (f64, usize) {
    let start = Instant::now();
    let mut best = f64::INFINITY;
    let mut count = 0;
    while start.elapsed().as_secs_f64() < MIN_SECS {
        let t = Instant::now();
        count = pass();
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, count)
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: bench_file PATH");
        std::process::exit(2);
    };
    let text = match std::fs::read(&path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            eprintln!("bench_file: cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    let mb = text.len() as f64 / 1e6;
    println!("input: {mb:.2} MB");
    for_each_term("والمحادثات في بيروت", |_, _, _| {});

    let mut buf = String::with_capacity(64);
    let (s, n) = best_of(|| {
        let mut n = 0usize;
        for tok in tokenize(&text) {
            buf.clear();
            search_key_into(tok.text, &mut buf);
            n += usize::from(!buf.is_empty());
        }
        n
    });
    println!(
        "tokenize+search_key\t{:.2}\tMB/s\t{n} tokens\t{s:.3} s",
        mb / s
    );

    let (s, n) = best_of(|| {
        let mut n = 0usize;
        for_each_term(&text, |_, _, stem| n += usize::from(!stem.is_empty()));
        n
    });
    println!("for_each_term\t{:.2}\tMB/s\t{n} stems\t{s:.3} s", mb / s);

    // The full analysis the index uses: norm, stem, and the spelling-variant key of each stem.
    let (s, n) = best_of(|| {
        let mut n = 0usize;
        for_each_term(&text, |_, _, stem| {
            if !stem.is_empty() {
                n += rasd_arabic::fold_variant(stem).len();
            }
        });
        n
    });
    println!(
        "for_each_term+fold_variant\t{:.2}\tMB/s\t{n} variant bytes\t{s:.3} s",
        mb / s
    );
}
