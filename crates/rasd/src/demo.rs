//! `rasd demo`: ingest the bundled demo corpus and print a readable report.
//!
//! The corpus (`demo/corpus/` in the repository, ~50 short pages we wrote across 11
//! stories, with boilerplate, wire copies, rewrites, spelling variants, several encodings
//! and deliberately broken files) is embedded in the binary at build time. It is written
//! once to `DB/demo-corpus/` and ingested from there through the normal ingest path, so a
//! second `rasd demo` finds every page already stored.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use rasd_store::Store;

use crate::ingest;

include!(concat!(env!("OUT_DIR"), "/demo_corpus.rs"));

/// The manifest's story label for each page (file name, or URL for JSONL pages).
pub fn manifest_stories() -> HashMap<String, String> {
    let mut m = HashMap::new();
    for line in DEMO_MANIFEST.lines().skip(1) {
        let mut cols = line.split('\t');
        if let (Some(file), Some(story)) = (cols.next(), cols.next()) {
            if story != "-" && !file.is_empty() {
                m.insert(file.to_string(), story.to_string());
            }
        }
    }
    m
}

/// Writes the embedded corpus under `dir` (only files that are missing or differ).
pub fn materialize(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (name, bytes) in DEMO_FILES {
        let p = dir.join(name);
        if std::fs::read(&p).ok().as_deref() != Some(*bytes) {
            std::fs::write(&p, bytes).with_context(|| format!("cannot write {}", p.display()))?;
        }
    }
    Ok(())
}

/// The manifest key of a stored document: its file name, or its URL for JSONL pages.
pub fn manifest_key(source: &str) -> String {
    if source.starts_with("http://") || source.starts_with("https://") {
        return source.to_string();
    }
    Path::new(source)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(source)
        .to_string()
}

/// Runs the demo and writes the report to `out`.
pub fn run(store: Store, db: &Path, quiet: bool, out: &mut impl Write) -> Result<()> {
    let corpus = db.join("demo-corpus");
    materialize(&corpus)?;
    if !quiet {
        eprintln!(
            "rasd demo: ingesting the bundled demo corpus ({} files) from {} into the store at {}",
            DEMO_FILES.len(),
            corpus.display(),
            db.display()
        );
    }
    let summary = ingest::ingest_paths(
        store,
        std::slice::from_ref(&corpus),
        crate::dedup_state::DEDUP_WINDOW_DOCS,
        crate::pipeline::BATCH_SIZE,
        quiet,
    )?;
    let store = Store::open(db)?;
    let counts = store.counts()?;

    writeln!(out, "\n== rasd demo report ==\n")?;
    writeln!(
        out,
        "This run: {} new documents, {} duplicates, {} already stored, {} inputs failed.",
        summary.new, summary.duplicates, summary.already_stored, summary.failed
    )?;
    for f in &summary.failures {
        writeln!(
            out,
            "  failed (skipped, run goes on): {}: {}",
            f.source, f.reason
        )?;
    }
    writeln!(
        out,
        "The store now holds {} documents ({} of them copies of another), in {} stories.\n",
        counts.docs, counts.duplicates, counts.stories
    )?;

    let docs = store.docs()?;
    let dups: Vec<_> = docs.iter().filter(|d| d.duplicate_of.is_some()).collect();
    if !dups.is_empty() {
        writeln!(out, "Duplicates found:")?;
        let by_id: HashMap<&str, &rasd_store::DocRecord> =
            docs.iter().map(|d| (d.id.as_str(), d)).collect();
        for d in dups {
            let canon = d
                .duplicate_of
                .as_deref()
                .and_then(|c| by_id.get(c))
                .map(|c| manifest_key(&c.article.source))
                .unwrap_or_default();
            let mut line = format!(
                "  {} is a {} copy of {} (similarity {:.2})",
                manifest_key(&d.article.source),
                d.duplicate_kind.as_deref().unwrap_or("?"),
                canon,
                d.similarity.unwrap_or(0.0)
            );
            if d.edited && !d.differences.is_empty() {
                line.push_str(&format!("; edited: {}", d.differences.join(", ")));
            }
            writeln!(out, "{line}")?;
        }
        writeln!(out)?;
    }

    // Paragraph roles and provenance: what the pages say of each other below the whole-page level.
    let boilerplate: Vec<_> = docs
        .iter()
        .filter(|d| {
            d.article
                .removed
                .iter()
                .any(|r| r.kind == "outlet_boilerplate")
        })
        .collect();
    if let Some(first) = boilerplate.first() {
        let text = first
            .article
            .removed
            .iter()
            .find(|r| r.kind == "outlet_boilerplate")
            .map(|r| r.text.chars().take(60).collect::<String>())
            .unwrap_or_default();
        writeln!(
            out,
            "Outlet boilerplate: {} pages had a paragraph that recurs across their outlet's pages cut (kept in `removed`), e.g. {}: «{text}…»",
            boilerplate.len(),
            first.article.outlet.as_deref().unwrap_or("?")
        )?;
    }
    let syndicated = docs.iter().filter(|d| !d.syndicated.is_empty()).count();
    if syndicated > 0 {
        writeln!(
            out,
            "Syndicated paragraphs: {syndicated} pages share paragraphs with other outlets' articles (linked, kept)."
        )?;
    }
    let chains: Vec<_> = docs.iter().filter(|d| !d.provenance.is_empty()).collect();
    // The example: the longest chain, preferring steps resolved to stored copies.
    let resolved =
        |d: &&&rasd_store::DocRecord| d.provenance.iter().filter(|l| l.doc.is_some()).count();
    if let Some(longest) = chains.iter().min_by_key(|d| {
        (
            std::cmp::Reverse(resolved(d)),
            std::cmp::Reverse(d.provenance.len()),
        )
    }) {
        let steps: Vec<&str> = longest
            .provenance
            .iter()
            .map(|l| l.outlet.as_str())
            .collect();
        writeln!(
            out,
            "Provenance: {} pages name their source; e.g. {}: {}",
            chains.len(),
            manifest_key(&longest.article.source),
            steps.join(" ← ")
        )?;
    }
    if !boilerplate.is_empty() || syndicated > 0 || !chains.is_empty() {
        writeln!(out)?;
    }

    writeln!(out, "Stories (most recent first):")?;
    let stories = store.stories()?;
    for s in &stories {
        crate::render::story_line(out, s)?;
    }

    // Clustering quality against the corpus's own manifest.
    let gold = manifest_stories();
    let (mut pred, mut labels) = (Vec::new(), Vec::new());
    for d in &docs {
        if let (Some(story), Some(label)) = (d.story, gold.get(&manifest_key(&d.article.source))) {
            pred.push(story);
            labels.push(label.clone());
        }
    }
    if !pred.is_empty() {
        let (p, r, f) = rasd_stories::bcubed(&pred, &labels);
        writeln!(
            out,
            "\nStory clustering vs. the demo manifest ({} documents): BCubed precision {:.2}, recall {:.2}, F1 {:.2}",
            pred.len(),
            p,
            r,
            f
        )?;
    }

    let db_arg = if db == Path::new("./rasd-data") {
        String::new()
    } else {
        format!(" --db {}", db.display())
    };
    let first_story = stories.first().map(|s| s.id).unwrap_or(1);
    // An example query from the data itself: the leading key term of the largest story.
    let example_query = stories
        .iter()
        .max_by_key(|s| s.size)
        .and_then(|s| s.key_terms.first().cloned())
        .unwrap_or_else(|| "المحادثات".to_string());
    let first_doc = docs.first().map(|d| d.id.clone()).unwrap_or_default();
    writeln!(
        out,
        "\nWhat to run next (from the repository, prefix with `cargo run --release --`):"
    )?;
    writeln!(out, "  rasd{db_arg} search \"{example_query}\"          # Arabic-aware: inflections and spelling variants meet")?;
    writeln!(
        out,
        "  rasd{db_arg} stories                      # every story with dates, outlets, key terms"
    )?;
    writeln!(
        out,
        "  rasd{db_arg} story {first_story}                      # one story's timeline"
    )?;
    writeln!(out, "  rasd{db_arg} doc {first_doc}         # clean text, metadata evidence, removed boilerplate")?;
    writeln!(out, "  rasd{db_arg} export --format jsonl > docs.jsonl")?;
    writeln!(out, "  rasd{db_arg} ingest YOUR/FOLDER           # your own pages (.txt, .html, .jsonl, .jsonl.gz, .warc, .warc.gz)")?;
    writeln!(out, "  rasd{db_arg} entities                    # people, organisations and places, most mentioned first")?;
    writeln!(out, "  rasd{db_arg} serve                       # the web UI and JSON API: http://127.0.0.1:8080/ (or: rasd demo --serve)")?;
    writeln!(out, "Every listing takes --json for scripts.")?;
    Ok(())
}
