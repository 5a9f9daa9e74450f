//! `rasd bench`: ingest throughput on a generated corpus built from real Arabic text.
//!
//! The generator draws sentences from real text (the bundled demo corpus, plus any
//! `--text` files, e.g. ANERcorp) and composes documents the way a news stream looks:
//! stories of several reports that share sentences and vocabulary, near copies with a
//! word edited, exact copies, and a trailer date line. The whole pipeline runs on them
//! (extract, analyze, dedup, cluster, store and index) into a fresh temporary store, once
//! on one core and once on all cores.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use rasd_types::{PageFormat, RawPage};
use serde::Serialize;

use crate::pipeline::{Enrichment, Pipeline, Summary};

/// Arguments of `rasd bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Number of documents to generate.
    #[arg(long, default_value_t = 50_000)]
    docs: usize,
    /// Extra real Arabic text for the sentence pool (plain text, or token-per-line like ANERcorp).
    #[arg(long)]
    text: Vec<PathBuf>,
    /// Thread counts to measure (default: 1 and all cores).
    #[arg(long, value_delimiter = ',')]
    threads: Vec<usize>,
    /// Print one JSON object per run.
    #[arg(long)]
    json: bool,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Write the generated corpus to this file as JSON Lines (`url`, `text`) and stop,
    /// without measuring: a reproducible corpus for `rasd ingest`, load tests and peers.
    #[arg(long, value_name = "PATH")]
    write_jsonl: Option<PathBuf>,
    /// Measure the spine alone (extract, analyze, dedup, stories, index), without entity
    /// recognition and date finding.
    #[arg(long)]
    spine: bool,
}

/// One measured run.
#[derive(Debug, Serialize)]
pub struct BenchResult {
    pub threads: usize,
    pub docs: usize,
    pub megabytes: f64,
    pub seconds: f64,
    pub docs_per_sec: f64,
    pub docs_per_sec_per_core: f64,
    /// CPU seconds the whole process used (all threads: workers, index writer, SQLite),
    /// when the platform tells (Linux). Less disturbed than wall time on a shared machine.
    pub cpu_seconds: Option<f64>,
    /// Documents per CPU second: the throughput of one fully used core.
    pub docs_per_cpu_sec: Option<f64>,
    pub mb_per_sec: f64,
    pub stored_new: u64,
    pub stored_duplicates: u64,
    pub stories: u64,
    /// xxh3 of every document's id, `duplicate_of` and story in key order: two runs (or two
    /// builds) that decide alike print the same value.
    pub assignments: String,
    /// Seconds per pipeline step.
    pub timings: crate::pipeline::StageTimings,
}

/// A small, fast, deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Sentences of real Arabic text: the bundled demo corpus and any extra files.
fn sentence_pool(extra: &[PathBuf]) -> Result<Vec<String>> {
    let mut texts: Vec<String> = Vec::new();
    for (name, bytes) in crate::demo::DEMO_FILES {
        let format = if name.ends_with(".txt") {
            PageFormat::Text
        } else if name.ends_with(".html") {
            PageFormat::Html
        } else {
            continue;
        };
        if let Ok(a) = rasd_extract::extract_page(&RawPage::new(*name, bytes.to_vec(), format)) {
            texts.push(a.body);
        }
    }
    for p in extra {
        let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
        let text = String::from_utf8_lossy(&bytes);
        let lines: Vec<&str> = text.lines().collect();
        let token_per_line = lines.len() > 100
            && lines
                .iter()
                .filter(|l| l.split_whitespace().count() <= 2)
                .count()
                * 10
                > lines.len() * 9;
        if token_per_line {
            let tokens: Vec<&str> = lines
                .iter()
                .filter_map(|l| l.split_whitespace().next())
                .collect();
            texts.push(tokens.join(" "));
        } else {
            texts.push(text.into_owned());
        }
    }
    let mut pool = Vec::new();
    for t in &texts {
        for s in rasd_arabic::split_sentences(t) {
            if let Some(sentence) = t.get(s.start..s.end) {
                let words = sentence.split_whitespace().count();
                if (6..=60).contains(&words) {
                    pool.push(sentence.to_string());
                }
            }
        }
    }
    if pool.len() < 50 {
        anyhow::bail!(
            "not enough sentences of real text to generate documents ({} found)",
            pool.len()
        );
    }
    Ok(pool)
}

const OUTLETS: &[&str] = &[
    "الرصيف الإخباري",
    "مرصد الشرق",
    "صحيفة الضفتين",
    "وكالة أنباء المشرق",
    "بوابة الأخبار العربية",
    "نبض المدينة",
    "الحدث اليومي",
    "منصة أفق",
];

/// Generates `n` text pages.
fn generate(n: usize, pool: &[String], seed: u64) -> Vec<RawPage> {
    let mut rng = Rng(seed);
    let mut pages: Vec<RawPage> = Vec::with_capacity(n);
    let mut bodies: Vec<String> = Vec::with_capacity(n);
    let stories = (n / 5).max(1);
    let base_day = 19_000i64; // 2022-01-08
    while pages.len() < n {
        let i = pages.len();
        let roll = rng.below(100);
        let body = if roll < 3 && i > 0 {
            // exact copy of an earlier page's text
            bodies[rng.below(i)].clone()
        } else if roll < 12 && i > 0 {
            // near copy: one word replaced, the last sentence dropped
            let src = &bodies[rng.below(i)];
            let mut words: Vec<&str> = src.split(' ').collect();
            if words.len() > 10 {
                let at = rng.below(words.len());
                words[at] = "تقريبا";
            }
            let mut t = words.join(" ");
            if let Some(cut) = t.rfind('\n') {
                if cut > t.len() / 2 {
                    t.truncate(cut);
                }
            }
            t
        } else {
            // a report of story `s`: sentences from the story's own slice of the pool
            let s = rng.below(stories);
            let mut story_rng = Rng(seed ^ (s as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
            let story_sentences: Vec<&String> = (0..10)
                .map(|_| &pool[story_rng.below(pool.len())])
                .collect();
            let k = 4 + rng.below(5);
            let mut paras: Vec<&str> = (0..k)
                .map(|_| story_sentences[rng.below(story_sentences.len())].as_str())
                .collect();
            paras.push(pool[rng.below(pool.len())].as_str());
            paras.dedup();
            paras.join("\n\n")
        };
        let title: String = body
            .split_whitespace()
            .take(9)
            .collect::<Vec<_>>()
            .join(" ");
        let day = base_day + rng.below(900) as i64;
        let date = chrono::DateTime::from_timestamp(day * 86_400 + rng.below(86_400) as i64, 0)
            .map(|d| d.format("%d.%m.%Y %H:%M").to_string())
            .unwrap_or_default();
        let outlet = OUTLETS[rng.below(OUTLETS.len())];
        let text = format!("{title}\n\n{body}\n\n{outlet}\n\n{date}\n");
        pages.push(RawPage::new(
            format!("bench://{i}"),
            text.into_bytes(),
            PageFormat::Text,
        ));
        bodies.push(body);
    }
    pages
}

fn measure(pages: &[RawPage], threads: usize, spine: bool) -> Result<BenchResult> {
    let dir = tempfile::tempdir().context("creating a temporary store")?;
    let store = rasd_store::Store::open_with(
        dir.path(),
        rasd_store::StoreOptions {
            index_threads: threads.clamp(1, 4),
            ..Default::default()
        },
    )?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("building the thread pool")?;
    let bytes: u64 = pages.iter().map(|p| p.bytes.len() as u64).sum();
    let mut summary = Summary::default();
    let cpu_start = cpu_seconds();
    let start = Instant::now();
    let timings = pool.install(|| -> Result<crate::pipeline::StageTimings> {
        let enrich = if spine {
            Enrichment::none()
        } else {
            Enrichment::full()
        };
        let mut pipeline = Pipeline::open_with(store, enrich)?;
        crate::ingest::ingest_pages(&mut pipeline, pages.to_vec(), false, &mut summary)?;
        Ok(pipeline.timings)
    })?;
    let seconds = start.elapsed().as_secs_f64();
    let cpu = match (cpu_start, cpu_seconds()) {
        (Some(a), Some(b)) if b > a => Some(b - a),
        _ => None,
    };
    let reopened = rasd_store::Store::open(dir.path())?;
    let counts = reopened.counts()?;
    let assignments = assignment_checksum(&reopened)?;
    let docs = pages.len();
    Ok(BenchResult {
        threads,
        docs,
        megabytes: bytes as f64 / 1e6,
        seconds,
        docs_per_sec: docs as f64 / seconds,
        docs_per_sec_per_core: docs as f64 / seconds / threads as f64,
        cpu_seconds: cpu,
        docs_per_cpu_sec: cpu.map(|c| docs as f64 / c),
        mb_per_sec: bytes as f64 / 1e6 / seconds,
        stored_new: summary.new,
        stored_duplicates: summary.duplicates,
        stories: counts.stories,
        assignments,
        timings,
    })
}

/// See [`BenchResult::assignments`].
fn assignment_checksum(store: &rasd_store::Store) -> Result<String> {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut st = store
        .sqlite()
        .prepare("SELECT id, duplicate_of, story FROM docs ORDER BY key")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let dup: Option<String> = r.get(1)?;
        let story: Option<i64> = r.get(2)?;
        h.update(
            format!(
                "{id}\t{}\t{}\n",
                dup.unwrap_or_default(),
                story.unwrap_or(-1)
            )
            .as_bytes(),
        );
    }
    Ok(format!("{:016x}", h.digest()))
}

/// CPU time (user + system) of this process so far, from `/proc/self/stat` (Linux).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name;
    // Linux reports them in USER_HZ = 100 ticks per second.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// Writes generated pages as JSON Lines that `rasd ingest` reads (`url`, `text`).
fn write_jsonl(pages: &[RawPage], path: &std::path::Path) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = std::io::BufWriter::new(file);
    for p in pages {
        let line = serde_json::json!({
            "url": p.source,
            "text": String::from_utf8_lossy(&p.bytes),
        });
        serde_json::to_writer(&mut w, &line)?;
        writeln!(w)?;
    }
    w.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Runs the benchmark and writes the results.
pub fn run(args: &BenchArgs, out: &mut impl Write) -> Result<()> {
    let pool = sentence_pool(&args.text)?;
    let pages = generate(args.docs.max(1), &pool, args.seed);
    if let Some(path) = &args.write_jsonl {
        write_jsonl(&pages, path)?;
        eprintln!(
            "rasd bench: wrote {} generated documents to {}",
            pages.len(),
            path.display()
        );
        return Ok(());
    }
    let all = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let threads = if args.threads.is_empty() {
        if all > 1 {
            vec![1, all]
        } else {
            vec![1]
        }
    } else {
        args.threads.clone()
    };
    eprintln!(
        "rasd bench: {} generated documents ({:.1} MB) from {} sentences of real text",
        pages.len(),
        pages.iter().map(|p| p.bytes.len()).sum::<usize>() as f64 / 1e6,
        pool.len()
    );
    for t in threads {
        let r = measure(&pages, t.max(1), args.spine)?;
        if args.json {
            serde_json::to_writer(&mut *out, &r)?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "threads {:>2}: {} docs in {:.2} s = {:.0} docs/s ({:.0} docs/s per core), {:.2} MB/s; stored {} new + {} duplicates in {} stories",
                r.threads, r.docs, r.seconds, r.docs_per_sec, r.docs_per_sec_per_core, r.mb_per_sec,
                r.stored_new, r.stored_duplicates, r.stories
            )?;
            if let (Some(c), Some(d)) = (r.cpu_seconds, r.docs_per_cpu_sec) {
                writeln!(
                    out,
                    "            CPU time {c:.2} s (all threads) = {d:.0} docs per CPU second"
                )?;
            }
            let t = &r.timings;
            writeln!(out, "            assignments checksum {}", r.assignments)?;
            writeln!(
                out,
                "            seconds per step: prepare {:.2} (parallel), dedup {:.2}, stories {:.2}, store+index {:.2}",
                t.prepare, t.dedup, t.stories, t.store
            )?;
            writeln!(
                out,
                "            prepare, thread-seconds: extract {:.2}, analyze {:.2}, entities {:.2}, dates {:.2}",
                t.extract, t.analyze, t.entities, t.dates
            )?;
        }
        out.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_is_deterministic_and_makes_copies() {
        let pool: Vec<String> = (0..100)
            .map(|i| format!("قال المسؤول في البيان رقم {i} إن المحادثات ستستمر غدا"))
            .collect();
        let a = generate(300, &pool, 1);
        let b = generate(300, &pool, 1);
        assert_eq!(a.len(), 300);
        assert!(a.iter().zip(&b).all(|(x, y)| x.bytes == y.bytes));
        let distinct: std::collections::HashSet<&[u8]> =
            a.iter().map(|p| p.bytes.as_slice()).collect();
        assert!(distinct.len() > 250, "{}", distinct.len());
    }
}
