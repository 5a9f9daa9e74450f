//! Single-thread throughput of `find_expressions`: sentences per second and MB per second.
//!
//! `cargo run --release -p rasd-time --example throughput -- [FILE] [--anchor YYYY-MM-DD]`
//!
//! FILE holds one sentence per line (default: the gold set's sentences, marks removed). The
//! sentences are run as separate calls, repeatedly for at least two seconds; the last line of
//! output is a JSON object for scripts (`tools/peers/dates/side_by_side.py` reads it).

// Only the parser is used here.
#[allow(dead_code)]
#[path = "../tests/common/gold.rs"]
mod gold;

use std::io::Write;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut anchor = rasd_time::parse_anchor("2020-01-01");
    let mut file = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--anchor" {
            anchor = it.next().and_then(|s| rasd_time::parse_anchor(s));
        } else {
            file = Some(a.clone());
        }
    }
    let sentences: Vec<String> = match &file {
        Some(f) => match std::fs::read_to_string(f) {
            Ok(t) => t
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect(),
            Err(e) => {
                eprintln!("throughput: {f}: {e}");
                std::process::exit(2);
            }
        },
        None => match gold::parse(include_str!("../tests/gold.tsv")) {
            Ok(c) => c.into_iter().map(|c| c.text).collect(),
            Err(e) => {
                eprintln!("throughput: tests/gold.tsv: {e}");
                std::process::exit(2);
            }
        },
    };
    let bytes: usize = sentences.iter().map(String::len).sum();
    let mut found = 0usize;
    let mut rounds = 0usize;
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < 2.0 || rounds == 0 {
        for s in &sentences {
            found += rasd_time::find_expressions(s, anchor, rasd_time::AnchorKind::Given).len();
        }
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let n = sentences.len() * rounds;
    let total = bytes * rounds;
    let mut out = std::io::stdout().lock();
    // A closed pipe (| head) is not worth a panic.
    let _ = writeln!(
        out,
        "{} sentences ({} bytes) x {rounds} rounds in {secs:.2} s: {:.0} sentences/s, {:.1} MB/s, {} expressions per round",
        sentences.len(),
        bytes,
        n as f64 / secs,
        total as f64 / secs / 1e6,
        found / rounds
    );
    let _ = writeln!(
        out,
        "{{\"sentences\":{},\"bytes\":{},\"rounds\":{rounds},\"seconds\":{secs:.4},\"sentences_per_s\":{:.1},\"mb_per_s\":{:.3},\"expressions\":{}}}",
        sentences.len(),
        bytes,
        n as f64 / secs,
        total as f64 / secs / 1e6,
        found / rounds
    );
}
