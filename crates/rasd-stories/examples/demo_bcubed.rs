//! BCubed of the default clustering on the demo corpus (`demo/corpus/` + `demo/manifest.tsv`, column
//! `story` is the gold label): pages are extracted with `rasd-extract`, fed in manifest order into a fresh
//! index, without dates, with the dates the extractor found, and with the manifest's dates where it has one.
//! Feeds (`.jsonl`, `.gz`) are left out: their records are not listed one by one in the manifest.
//!
//! ```text
//! cargo run --release -p rasd-stories --features demo-eval --example demo_bcubed -- demo
//! ```

use rasd_stories::{bcubed, doc_features, StoryConfig, StoryIndex};
use rasd_types::{PageFormat, RawPage};

/// Days since 1970-01-01 of a `YYYY-MM-DD…` string.
fn days(date: &str) -> Option<i32> {
    let mut it = date.get(..10)?.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i32::try_from(era * 146_097 + doe - 719_468).ok()
}

struct Doc {
    file: String,
    gold: String,
    title: Option<String>,
    body: String,
    extracted_day: Option<i32>,
    manifest_day: Option<i32>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "demo".to_string());
    let manifest = std::fs::read_to_string(format!("{root}/manifest.tsv"))?;
    let mut docs = Vec::new();
    for line in manifest.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (Some(file), Some(gold), Some(published)) = (f.first(), f.get(1), f.get(3)) else {
            continue;
        };
        if !(file.ends_with(".txt") || file.ends_with(".html")) {
            continue;
        }
        let bytes = match std::fs::read(format!("{root}/corpus/{file}")) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{file}: {e}");
                continue;
            }
        };
        let article =
            match rasd_extract::extract_page(&RawPage::new(*file, bytes, PageFormat::Auto)) {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("{file}: not extracted ({e})");
                    continue;
                }
            };
        docs.push(Doc {
            file: file.to_string(),
            gold: gold.to_string(),
            extracted_day: article.published.as_deref().and_then(days),
            manifest_day: days(published),
            title: article.title,
            body: article.body,
        });
    }
    let gold: Vec<String> = docs.iter().map(|d| d.gold.clone()).collect();
    let mut labels = gold.clone();
    labels.sort();
    labels.dedup();
    println!(
        "{} documents, {} gold stories; dates found by the extractor: {}, in the manifest: {}",
        docs.len(),
        labels.len(),
        docs.iter().filter(|d| d.extracted_day.is_some()).count(),
        docs.iter().filter(|d| d.manifest_day.is_some()).count()
    );
    type DayOf = fn(&Doc) -> Option<i32>;
    let modes: [(&str, DayOf); 3] = [
        ("no dates", |_| None),
        ("extracted dates", |d| d.extracted_day),
        ("manifest dates, else extracted", |d| {
            d.manifest_day.or(d.extracted_day)
        }),
    ];
    for (name, day) in modes {
        let mut index = StoryIndex::new(StoryConfig::default());
        let pred: Vec<u64> = docs
            .iter()
            .zip(0u64..)
            .map(|(d, id)| {
                index
                    .assign(&doc_features(d.title.as_deref(), &d.body, day(d)), id)
                    .story
            })
            .collect();
        let (p, r, f1) = bcubed(&pred, &gold);
        println!(
            "{name:<32} BCubed precision {p:.3} recall {r:.3} F1 {f1:.3} ({} stories)",
            index.len()
        );
        if std::env::var_os("VERBOSE").is_some() {
            for (d, s) in docs.iter().zip(&pred) {
                println!("  {:<24} gold {:<4} story {s}", d.file, d.gold);
            }
        }
    }
    Ok(())
}
