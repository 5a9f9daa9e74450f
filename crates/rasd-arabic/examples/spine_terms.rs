//! Analysis cost over a stream of documents (each text once, as ingest sees them), for A/B
//! measurements of the analysis cache: `TermList::of` over every `text` of a JSON Lines file.
//!
//! Run: `taskset -c 1 cargo run --release -p rasd-arabic --example spine_terms -- FILE.jsonl`
use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: spine_terms FILE.jsonl");
        std::process::exit(2);
    };
    let data = std::fs::read_to_string(&path).unwrap_or_default();
    let texts: Vec<String> = data
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
        .collect();
    let mut best = f64::INFINITY;
    let mut tokens = 0;
    for _ in 0..3 {
        let t = Instant::now();
        tokens = 0;
        for text in &texts {
            tokens += rasd_arabic::TermList::of(text).len();
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{} texts, {tokens} tokens: best {best:.3} s = {:.1} ns/token",
        texts.len(),
        best * 1e9 / tokens as f64
    );
}
