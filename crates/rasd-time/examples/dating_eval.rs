//! Document dating on the demo corpus: each page's stated date is hidden (only the extracted
//! title and body are dated, never the page's metadata), `estimate_date` runs on the text, and
//! the estimate is compared with the true date from `demo/manifest.tsv` (`published`, or the
//! "true date" its notes give for pages that state none).
//!
//! `cargo run --release -p rasd-time --example dating_eval [-- --verbose]`

use std::path::Path;

use rasd_types::{PageFormat, RawPage};

fn main() {
    let verbose = std::env::args().any(|a| a == "--verbose");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo");
    let manifest = match std::fs::read_to_string(root.join("manifest.tsv")) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("dating_eval: {}: {e}", root.join("manifest.tsv").display());
            std::process::exit(2);
        }
    };
    let (mut pages, mut estimated, mut inside, mut exact) = (0usize, 0usize, 0usize, 0usize);
    let mut widths: Vec<i64> = Vec::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(file), Some(published), Some(notes)) = (cols.first(), cols.get(3), cols.get(6))
        else {
            continue;
        };
        let truth = rasd_time::parse_anchor(published).or_else(|| {
            notes
                .find("true date ")
                .and_then(|i| notes.get(i + 10..))
                .and_then(rasd_time::parse_anchor)
        });
        let Some(truth) = truth else { continue };
        let path = root.join("corpus").join(file);
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let format = if file.ends_with(".html") {
            PageFormat::Html
        } else {
            PageFormat::Text
        };
        let Ok(article) =
            rasd_extract::extract_page(&RawPage::new(file.to_string(), bytes, format))
        else {
            continue;
        };
        pages += 1;
        let text = format!("{}\n\n{}", article.title.unwrap_or_default(), article.body);
        let est = rasd_time::estimate_date(&text);
        let line = match &est {
            None => "no estimate".to_string(),
            Some(e) => {
                estimated += 1;
                let (Some(a), Some(b), Some(d)) = (
                    rasd_time::parse_anchor(&e.earliest),
                    rasd_time::parse_anchor(&e.latest),
                    rasd_time::parse_anchor(&e.date),
                ) else {
                    continue;
                };
                widths.push((b - a).num_days() + 1);
                if a <= truth && truth <= b {
                    inside += 1;
                }
                if d == truth {
                    exact += 1;
                }
                format!(
                    "{} in [{}, {}] conf {:.2} from {:?}",
                    e.date, e.earliest, e.latest, e.confidence, e.evidence
                )
            }
        };
        if verbose {
            println!("{file}\ttrue {truth}\t{line}");
        }
    }
    widths.sort_unstable();
    let median = widths.get(widths.len() / 2).copied().unwrap_or(0);
    println!("pages with a known true date: {pages}");
    println!(
        "estimated: {estimated} ({:.0}%); the rest state no year or full date in their text, so no estimate (never invented)",
        100.0 * estimated as f64 / pages.max(1) as f64
    );
    println!(
        "true date inside the interval: {inside} of {estimated} estimated ({:.0}%), {:.0}% of all pages",
        100.0 * inside as f64 / estimated.max(1) as f64,
        100.0 * inside as f64 / pages.max(1) as f64
    );
    println!("most likely day exactly right: {exact} of {estimated}");
    println!("interval width: median {median} days (widths {widths:?})");
}
