//! Text-mode throughput on the seed pages, repeated (and HTML mode on the fixture page).
//!
//! `cargo run --release -p rasd-extract --example extract_speed -- [SEED_DIR] [SECONDS]`
//! (defaults: `../shared/seeds` beside the workspace root, 5; each of the three
//! measurements runs for SECONDS/2).
//! Prints pages/s and MB/s for `extract_page` (decode + text mode) and for
//! `extract_text` alone.
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rasd_extract::{extract_html, extract_page, extract_text};
use rasd_types::{PageFormat, RawPage};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds"));
    let secs: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let mut pages = Vec::new();
    match std::fs::read_dir(&dir) {
        Ok(entries) => {
            for e in entries.filter_map(Result::ok) {
                if let Ok(bytes) = std::fs::read(e.path()) {
                    pages.push(RawPage::new(
                        e.path().display().to_string(),
                        bytes,
                        PageFormat::Auto,
                    ));
                }
            }
        }
        Err(err) => {
            eprintln!("bench: cannot read {}: {err}", dir.display());
            std::process::exit(1);
        }
    }
    if pages.is_empty() {
        eprintln!("bench: no pages in {}", dir.display());
        std::process::exit(1);
    }
    let texts: Vec<String> = pages
        .iter()
        .map(|p| String::from_utf8_lossy(&p.bytes).into_owned())
        .collect();
    let budget = Duration::from_secs_f64(secs / 2.0);

    let (mut n, mut bytes, start) = (0usize, 0usize, Instant::now());
    while start.elapsed() < budget {
        for p in &pages {
            if let Ok(a) = extract_page(p) {
                std::hint::black_box(&a);
            }
            n += 1;
            bytes += p.bytes.len();
        }
    }
    report(
        "extract_page (decode + text mode)",
        n,
        bytes,
        start.elapsed(),
    );

    let (mut n, mut bytes, start) = (0usize, 0usize, Instant::now());
    while start.elapsed() < budget {
        for t in &texts {
            std::hint::black_box(extract_text(t));
            n += 1;
            bytes += t.len();
        }
    }
    report("extract_text", n, bytes, start.elapsed());

    let fixture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wordpress_ar.html");
    if let Ok(html) = std::fs::read_to_string(&fixture) {
        let (mut n, mut bytes, start) = (0usize, 0usize, Instant::now());
        while start.elapsed() < budget {
            std::hint::black_box(extract_html(&html, None));
            n += 1;
            bytes += html.len();
        }
        report(
            "extract_html (wordpress_ar.html fixture)",
            n,
            bytes,
            start.elapsed(),
        );
    }
}

fn report(what: &str, pages: usize, bytes: usize, took: Duration) {
    let s = took.as_secs_f64().max(1e-9);
    println!(
        "{what}: {pages} pages, {:.1} MB in {s:.2} s = {:.0} pages/s, {:.1} MB/s",
        bytes as f64 / 1e6,
        pages as f64 / s,
        bytes as f64 / 1e6 / s
    );
}
