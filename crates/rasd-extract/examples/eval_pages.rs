//! Extract a list of HTML pages on one thread and print one JSON object per page, with the
//! CPU time `extract_page` took on this thread (decode + extraction + metadata). Used by
//! `tools/peers/extract/eval.py`, which runs trafilatura and htmldate on the same pages and scores
//! all of them with the same code.
//!
//! `cargo run --release -p rasd-extract --example eval_pages -- [PASSES] [--full] < list-of-paths`
//!
//! Output lines: `{"file", "body", "title", "published", "secs", "wall"}`; `secs` is the thread
//! CPU time (`CLOCK_THREAD_CPUTIME_ID`: what the machine's load from other processes does not
//! inflate, unlike wall time) and `wall` the wall time, each the best of PASSES passes (default 1)
//! for that page; a page that fails to decode has `"error"` and an empty body. With `--full`, the
//! whole `Article` (removed blocks and evidence included) and no times: a stable output to
//! checksum when a change must leave extraction byte-identical.

/// The allocator the `rasd` binary uses, so that this measures extraction as rasd runs it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{BufRead, Write};
use std::time::Instant;

use rasd_extract::extract_page;
use rasd_types::{PageFormat, RawPage};
use rustix::time::{clock_gettime, ClockId};
use serde_json::json;

/// CPU seconds used by the calling thread so far.
fn thread_cpu() -> f64 {
    let t = clock_gettime(ClockId::ThreadCPUTime);
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let full = args.iter().any(|a| a == "--full");
    let passes: usize = args.iter().find_map(|s| s.parse().ok()).unwrap_or(1).max(1);
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
        let mut best_wall = f64::INFINITY;
        let mut result = None;
        for _ in 0..passes {
            let (c, t) = (thread_cpu(), Instant::now());
            let r = extract_page(&page);
            best_wall = best_wall.min(t.elapsed().as_secs_f64());
            best = best.min(thread_cpu() - c);
            result = Some(r);
        }
        let obj = match result {
            Some(Ok(a)) if full => json!(a),
            Some(Ok(a)) => json!({"file": path, "body": a.body, "title": a.title,
                "published": a.published, "secs": best, "wall": best_wall}),
            Some(Err(e)) => json!({"file": path, "body": "", "error": e.to_string(),
                "secs": if full { 0.0 } else { best }}),
            None => continue,
        };
        // Flushed per page: eval.py interleaves rasd and the peers page by page, so that all
        // of them are timed under the same machine load.
        if writeln!(out, "{obj}").is_err() || out.flush().is_err() {
            break;
        }
    }
}
