//! Times the three costs of duplicate detection separately on a JSONL corpus: fingerprinting,
//! lookups (`DedupIndex::find_all`) and inserts, with CPU seconds of this thread.
//!
//! ```text
//! MEASURE_WRITE=/tmp/c.jsonl cargo run --release -p rasd-dedup --example measure -- 20000
//! cargo run --release -p rasd-dedup --example index_bench -- /tmp/c.jsonl [MAX_DOCS]
//! ```
//! Documents are normalized like `rasd dedup` does (`rasd_arabic::search_key_into` of each
//! token), then fingerprinted, then looked up and inserted one by one in input order, as
//! `rasd_dedup::group` does. Prints µs per document for each step and how many matches were found
//! (so two builds can be compared for both speed and output).

use std::io::BufRead;
use std::time::Instant;

use rasd_dedup::{fingerprint, DedupConfig, DedupIndex, MatchKind};

/// CPU time of this thread, in seconds.
fn cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.to_string();
            let f: Vec<&str> = rest.split_whitespace().collect();
            let utime: f64 = f.get(11)?.parse().ok()?;
            let stime: f64 = f.get(12)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: index_bench CORPUS.jsonl [MAX_DOCS]");
        std::process::exit(2);
    };
    let max: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(usize::MAX);
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let mut texts: Vec<String> = Vec::new();
    for line in std::io::BufReader::new(file).lines().map_while(Result::ok) {
        if texts.len() >= max {
            break;
        }
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let Some(text) = v.get("text").and_then(|t| t.as_str()) else {
            continue;
        };
        let out = rasd_arabic::search_key_text(text);
        texts.push(out);
    }
    let n = texts.len().max(1) as f64;
    let cfg = DedupConfig::default();

    let (w, c) = (Instant::now(), cpu());
    let fps: Vec<_> = texts
        .iter()
        .map(|t| {
            let refs: Vec<&str> = t.split(' ').collect();
            fingerprint(&refs, &cfg)
        })
        .collect();
    let (fp_wall, fp_cpu) = (w.elapsed().as_secs_f64(), cpu() - c);
    drop(texts);

    // Per-call CPU clocks are too coarse (10 ms ticks) and too costly to read per document: the
    // loop's thread CPU time is split between lookups and inserts by their share of wall time.
    let mut index = DedupIndex::new(cfg);
    let (mut find_wall, mut insert_wall) = (0.0, 0.0);
    let mut counts = [0usize; 4];
    let (w, c) = (Instant::now(), cpu());
    for (i, fp) in fps.iter().enumerate() {
        let t = Instant::now();
        let found = index.find_all(fp);
        let t2 = Instant::now();
        index.insert(i as u64, fp);
        insert_wall += t2.elapsed().as_secs_f64();
        find_wall += (t2 - t).as_secs_f64();
        for m in found {
            counts[match m.kind {
                MatchKind::Exact => 0,
                MatchKind::Near => 1,
                MatchKind::ContainedIn => 2,
                MatchKind::Contains => 3,
            }] += 1;
        }
    }
    let (index_wall, index_cpu) = (w.elapsed().as_secs_f64(), cpu() - c);
    let share = find_wall / (find_wall + insert_wall).max(1e-9);
    let (find_cpu, insert_cpu) = (index_cpu * share, index_cpu * (1.0 - share));
    println!(
        "{} docs: fingerprint {:.1} µs/doc CPU ({:.1} s wall); find_all {:.1} µs/doc, insert {:.1} µs/doc CPU ({:.1} s wall)",
        fps.len(),
        fp_cpu * 1e6 / n,
        fp_wall,
        find_cpu * 1e6 / n,
        insert_cpu * 1e6 / n,
        index_wall
    );
    println!(
        "matches: exact {}, near {}, contained_in {}, contains {}",
        counts[0], counts[1], counts[2], counts[3]
    );
}
