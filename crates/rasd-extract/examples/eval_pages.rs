//! Extract a list of HTML pages on one thread and print one JSON object per page, with the time
//! `extract_page` took (decode + extraction + metadata). Used by `tools/peers/extract/eval.py`, which
//! runs trafilatura and htmldate on the same pages and scores all of them with the same code.
//!
//! `cargo run --release -p rasd-extract --example eval_pages -- [PASSES] < list-of-paths`
//!
//! Output lines: `{"file", "body", "title", "published", "secs"}`; `secs` is the best of PASSES
//! passes (default 1) for that page; a page that fails to decode has `"error"` and an empty body.

/// The allocator the `rasd` binary uses, so that this measures extraction as rasd runs it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{BufRead, Write};
use std::time::Instant;

use rasd_extract::extract_page;
use rasd_types::{PageFormat, RawPage};
use serde_json::json;

fn main() {
    let passes: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
        .max(1);
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let Ok(path) = line else { break };
        let path = path.trim();
        if path.is_empty() {
            continue;
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("eval_pages: {path}: {e}");
                continue;
            }
        };
        let page = RawPage::new(path, bytes, PageFormat::Html);
        let mut best = f64::INFINITY;
        let mut result = None;
        for _ in 0..passes {
            let t = Instant::now();
            let r = extract_page(&page);
            best = best.min(t.elapsed().as_secs_f64());
            result = Some(r);
        }
        let obj = match result {
            Some(Ok(a)) => json!({"file": path, "body": a.body, "title": a.title,
                "published": a.published, "secs": best}),
            Some(Err(e)) => json!({"file": path, "body": "", "error": e.to_string(), "secs": best}),
            None => continue,
        };
        // Flushed per page: eval.py interleaves rasd and the peers page by page, so that all
        // of them are timed under the same machine load.
        if writeln!(out, "{obj}").is_err() || out.flush().is_err() {
            break;
        }
    }
}
