//! Running an ingest: feeding batches of inputs to the [`Pipeline`] with progress on a terminal.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use rasd_store::Store;
use rasd_types::RawPage;

use crate::pipeline::{batch_full, Failure, Pipeline, Summary, BATCH_SIZE};
use crate::sources::{FileList, Input};

/// A progress bar on stderr when it is a terminal and not `quiet`; hidden otherwise.
pub fn progress_bar(total_bytes: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(total_bytes);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, ETA {eta}) {msg}",
    ) {
        pb.set_style(style);
    }
    pb
}

/// Ingests files and folders into `store`, keeping the `memory_docs` most recent documents in
/// the duplicate index's memory window, in batches of at most `batch_pages` pages (see
/// [`batch_full`]).
pub fn ingest_paths(
    store: Store,
    paths: &[PathBuf],
    memory_docs: usize,
    batch_pages: usize,
    quiet: bool,
) -> Result<Summary> {
    let list = FileList::walk(paths);
    let skipped = list.skipped;
    let pb = progress_bar(list.total_bytes(), quiet);
    let mut inputs = list.into_inputs();
    let mut pipeline = Pipeline::open(store)?;
    pipeline.set_dedup_window(memory_docs)?;
    let mut summary = Summary {
        skipped_files: skipped,
        ..Summary::default()
    };
    loop {
        let mut batch: Vec<RawPage> = Vec::with_capacity(batch_pages.clamp(1, BATCH_SIZE));
        let mut bytes = 0usize;
        for input in inputs.by_ref() {
            match input {
                Input::Page(p) => {
                    bytes += p.bytes.len();
                    batch.push(p);
                    if batch_full(batch.len(), bytes, batch_pages) {
                        break;
                    }
                }
                Input::Failed { source, reason } => {
                    let now = chrono::Utc::now().to_rfc3339();
                    pipeline.store().record_failure(&source, &reason, &now)?;
                    summary.failed += 1;
                    summary.failures.push(Failure { source, reason });
                }
            }
        }
        if batch.is_empty() {
            break;
        }
        pipeline.ingest_batch(batch, &mut summary)?;
        pb.set_position(inputs.bytes_done());
        pb.set_message(format!(
            "{} new, {} duplicates",
            summary.new, summary.duplicates
        ));
    }
    pipeline.commit()?;
    pb.finish_and_clear();
    Ok(summary)
}

/// Ingests pages already in memory (the demo corpus, the benchmark) in batches.
pub fn ingest_pages(
    pipeline: &mut Pipeline,
    pages: Vec<RawPage>,
    quiet: bool,
    summary: &mut Summary,
) -> Result<()> {
    let total: u64 = pages.iter().map(|p| p.bytes.len() as u64).sum();
    let pb = progress_bar(total, quiet);
    let mut done = 0u64;
    let mut it = pages.into_iter().peekable();
    while it.peek().is_some() {
        let mut batch: Vec<RawPage> = Vec::with_capacity(BATCH_SIZE);
        let mut bytes = 0usize;
        while let Some(p) = it.next_if(|_| !batch_full(batch.len(), bytes, BATCH_SIZE)) {
            bytes += p.bytes.len();
            batch.push(p);
        }
        done += bytes as u64;
        pipeline.ingest_batch(batch, summary)?;
        pb.set_position(done);
    }
    pipeline.commit()?;
    pb.finish_and_clear();
    Ok(())
}
