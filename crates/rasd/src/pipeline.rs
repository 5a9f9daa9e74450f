//! The ingest pipeline: pages → extract → analyze → dedup → stories → store.
//!
//! Pure per-page work (decoding, extraction, tokenization, fingerprints, story features)
//! runs in parallel over a batch; the order-dependent steps (duplicate lookup, story
//! assignment) run sequentially over the batch in publication order, so that within a
//! batch the earliest-published copy becomes canonical and stories grow chronologically.
//! Each batch is committed to the store in one transaction (see `rasd-store`), so a
//! killed ingest loses at most the batch in flight, and re-running it completes the job.

use std::collections::{BTreeSet, HashMap, HashSet};

use anyhow::{Context, Result};
use rasd_dedup::{
    DedupConfig, Fingerprint, MatchKind, ParagraphConfig, ParagraphIndex, ParagraphRole,
};
use rasd_store::analyzers::Views;
use rasd_store::{DocRecord, NewDoc, ProvenanceLink, Store, StoryRecord, StoryRow, SyndicatedLink};
use rasd_stories::{DocFeatures, StoryConfig, StoryIndex, StoryState};
use rasd_types::RawPage;

use crate::dedup_state::{DuplicateFinder, DEDUP_WINDOW_DOCS};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// How many pages are prepared in parallel and committed together (at most; see
/// [`BATCH_BYTES`]). Larger batches spread the per-batch work (a transaction, the story states
/// and paragraph counts rewritten, the parallel step's start) over more pages: 8,192 against
/// 2,048 makes the spine bench about 7% cheaper per document, for about 150 MB more at peak
/// (20,000 bench pages with entities); 16,384 gains nothing more.
pub const BATCH_SIZE: usize = 8192;

/// A batch also ends once its pages hold this many bytes as read, so that a folder of large
/// HTML pages does not hold thousands of them in memory at once.
pub const BATCH_BYTES: usize = 64 << 20;

/// Whether a batch of `pages` pages holding `bytes` bytes is full, for batches of at most
/// `max_pages` pages (at least one; [`BATCH_SIZE`] by default).
pub fn batch_full(pages: usize, bytes: usize, max_pages: usize) -> bool {
    pages >= max_pages.max(1) || bytes >= BATCH_BYTES
}

/// What an ingest run did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    /// Documents stored that are not copies of another.
    pub new: u64,
    /// Documents stored as exact or near copies of another.
    pub duplicates: u64,
    /// Pages skipped because the same page (same source, same bytes) is already stored.
    pub already_stored: u64,
    /// Inputs that could not be ingested.
    pub failed: u64,
    /// `(source, reason)` of each failure.
    pub failures: Vec<Failure>,
    /// Stories opened by this run.
    pub new_stories: u64,
    /// Files inside folders skipped for their type.
    pub skipped_files: u64,
    /// Bytes of page content processed.
    pub bytes: u64,
}

/// An input that could not be ingested.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub source: String,
    pub reason: String,
}

/// The public id of a page: 16 hex digits of a 64-bit hash of its source identity and bytes.
/// The same page ingested twice gets the same id; the same bytes under another name do not
/// (they are stored, and found to be an exact duplicate).
pub fn page_id(source_identity: &str, bytes: &[u8]) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(source_identity.as_bytes());
    h.update(&[0]);
    h.update(bytes);
    format!("{:016x}", h.digest())
}

/// The identity of a source for [`page_id`]: a file's canonical path when it exists, else the source as given.
pub fn source_identity(page: &RawPage) -> String {
    if page.url.is_none() {
        if let Ok(p) = std::fs::canonicalize(&page.source) {
            return p.display().to_string();
        }
    }
    page.source.clone()
}

/// A page after the first parallel step: decoded, extracted, its paragraphs hashed.
struct Extracted {
    id: String,
    article: rasd_types::Article,
    day: Option<i32>,
    /// Publication instant in seconds since the epoch (UTC when the page gives an offset).
    instant: Option<i64>,
    /// [`rasd_dedup::paragraph_hash`] of each paragraph (`None` when too short to judge).
    paragraph_hashes: Vec<Option<u64>>,
    /// Paragraphs shared with documents of other outlets (filled by the paragraph step).
    syndicated: Vec<SyndicatedLink>,
    bytes: u64,
    clocks: PrepareClocks,
}

/// A page after the parallel, pure part of the pipeline.
struct Prepared {
    id: String,
    article: rasd_types::Article,
    day: Option<i32>,
    /// The analyzed title and body; `views.body.norm` doubles as the dedup tokens.
    views: rasd_store::analyzers::DocViews,
    fingerprint: Fingerprint,
    features: DocFeatures,
    /// Named-entity mentions (offsets into the article's `annotated_text`).
    entities: Vec<rasd_types::EntityMention>,
    /// Definitions of the entities `entities` points to.
    entity_defs: Vec<rasd_types::Entity>,
    /// Temporal expressions (same offsets) and, for an undated page, the estimated date.
    dates: Vec<rasd_types::TimeExpression>,
    date_estimate: Option<rasd_types::DateEstimate>,
    syndicated: Vec<SyndicatedLink>,
    bytes: u64,
    /// Thread-seconds spent in the parallel steps, for [`StageTimings`].
    clocks: PrepareClocks,
}

/// Thread-seconds of the parallel steps of one page.
#[derive(Debug, Default, Clone, Copy)]
struct PrepareClocks {
    extract: f64,
    analyze: f64,
    entities: f64,
    dates: f64,
}

/// What the pipeline finds in each page beyond the spine (extract, analyze, dedup, stories,
/// index). Both are on by default; `rasd bench --spine` turns them off to measure the spine.
pub struct Enrichment {
    /// The entity recognizer, loaded once and shared by the worker threads.
    pub entities: Option<rasd_entities::Recognizer>,
    /// Whether to find temporal expressions and estimate the date of undated pages.
    pub dates: bool,
}

impl Enrichment {
    /// Everything on.
    pub fn full() -> Enrichment {
        Enrichment {
            entities: Some(rasd_entities::Recognizer::new()),
            dates: true,
        }
    }

    /// The spine alone.
    pub fn none() -> Enrichment {
        Enrichment {
            entities: None,
            dates: false,
        }
    }
}

/// First parallel step: decode and extract a page, and hash its paragraphs.
fn extract_stage(page: &RawPage, min_paragraph_tokens: usize) -> Result<Extracted, Failure> {
    let clock = std::time::Instant::now();
    let fail = |reason: String| Failure {
        source: page.source.clone(),
        reason,
    };
    let id = page_id(&source_identity(page), &page.bytes);
    let article = rasd_extract::extract_page(page).map_err(|e| fail(e.to_string()))?;
    if article.body.trim().is_empty() {
        return Err(fail("no article text found in the page".to_string()));
    }
    let day = article.published.as_deref().and_then(day_of);
    let instant = article.published.as_deref().and_then(instant_of);
    let paragraph_hashes = article
        .paragraphs
        .iter()
        .map(|p| rasd_dedup::paragraph_text_hash(p, min_paragraph_tokens))
        .collect();
    let clocks = PrepareClocks {
        extract: clock.elapsed().as_secs_f64(),
        ..PrepareClocks::default()
    };
    Ok(Extracted {
        id,
        article,
        day,
        instant,
        paragraph_hashes,
        syndicated: Vec::new(),
        bytes: page.bytes.len() as u64,
        clocks,
    })
}

/// Second parallel step: analysis, fingerprint, story features, dates and entities of a page
/// whose boilerplate paragraphs are cut.
fn analyze_stage(e: Extracted, cfg: &DedupConfig, enrich: &Enrichment) -> Prepared {
    let Extracted {
        id,
        article,
        day,
        syndicated,
        bytes,
        mut clocks,
        ..
    } = e;
    let clock = std::time::Instant::now();
    // One analysis of the title and the body serves the index, dedup and story features.
    let title = article.title.as_deref().unwrap_or("");
    let title_terms = rasd_arabic::TermList::of(title);
    let body_terms = rasd_arabic::TermList::of(&article.body);
    let views = rasd_store::analyzers::DocViews {
        title: Views::of_terms(title, &title_terms),
        body: Views::of_terms(&article.body, &body_terms),
    };
    let tokens: Vec<&str> = views.body.norm_terms().collect();
    let fingerprint = rasd_dedup::fingerprint(&tokens, cfg);
    clocks.analyze = clock.elapsed().as_secs_f64();

    let text = article.annotated_text();
    let clock = std::time::Instant::now();
    let (dates, date_estimate) = if enrich.dates {
        let stated = article
            .published
            .as_deref()
            .and_then(rasd_time::parse_anchor);
        let dated = rasd_time::date_document(&text, stated);
        (dated.expressions, dated.estimate)
    } else {
        (Vec::new(), None)
    };
    clocks.dates = clock.elapsed().as_secs_f64();
    // Clustering may lean on a confident estimate for an undated page; it is never stored
    // as the page's date.
    let story_day = day.or_else(|| {
        date_estimate
            .as_ref()
            .filter(|e| e.confidence >= ESTIMATE_CONFIDENCE_FOR_STORIES)
            .and_then(|e| day_of(&e.date))
    });
    let clock = std::time::Instant::now();
    let features = rasd_stories::doc_features_of_terms(
        article.title.as_deref().map(|t| (t, &title_terms)),
        (&article.body, &body_terms),
        story_day,
    );
    clocks.analyze += clock.elapsed().as_secs_f64();

    let clock = std::time::Instant::now();
    let (entities, entity_defs) = match &enrich.entities {
        Some(r) => {
            let mentions = r.mentions(&text);
            let mut seen = HashSet::new();
            let defs = mentions
                .iter()
                .filter(|m| seen.insert(m.canonical.as_str()))
                .map(|m| {
                    r.entity(&m.canonical)
                        .unwrap_or_else(|| rasd_types::Entity {
                            id: m.canonical.clone(),
                            kind: m.kind,
                            name: m.name.clone(),
                            aliases: Vec::new(),
                            geonames_id: None,
                            lat: None,
                            lon: None,
                        })
                })
                .collect();
            (mentions, defs)
        }
        None => (Vec::new(), Vec::new()),
    };
    clocks.entities = clock.elapsed().as_secs_f64();
    drop(text);
    Prepared {
        id,
        article,
        day,
        views,
        fingerprint,
        features,
        entities,
        entity_defs,
        dates,
        date_estimate,
        syndicated,
        bytes,
        clocks,
    }
}

/// Least confidence of a content-based date estimate for clustering to use it as the day of
/// an undated page (see [`rasd_time::estimate_date`]).
pub const ESTIMATE_CONFIDENCE_FOR_STORIES: f64 = 0.5;

/// Days since 1970-01-01 of an ISO 8601 date or date-time.
pub fn day_of(iso: &str) -> Option<i32> {
    let date = iso.get(..10)?;
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((d - epoch).num_days()).ok()
}

/// Wall-clock seconds since the epoch of an ISO 8601 date or date-time, for ordering copies.
///
/// The page's own local time is used and any UTC offset is ignored: most pages state no zone
/// (a trailer `10.06.2017 10:57`), and comparing their wall clock with a zoned page's UTC
/// instant would be wrong by hours more often than comparing wall clocks is.
pub fn instant_of(iso: &str) -> Option<i64> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(iso) {
        return Some(t.naive_local().and_utc().timestamp());
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(iso, fmt) {
            return Some(t.and_utc().timestamp());
        }
    }
    day_of(iso).map(|d| i64::from(d) * 86_400)
}

/// Seconds spent in each step of the pipeline (for `rasd bench`).
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct StageTimings {
    /// Parallel part, wall clock: decode, extract, analyze, fingerprint, story features,
    /// entities, dates.
    pub prepare: f64,
    /// Thread-seconds of the parallel part by step (they add up to more than `prepare` when
    /// several threads work): decode and extraction.
    pub extract: f64,
    /// Thread-seconds: analysis, dedup fingerprints, story features.
    pub analyze: f64,
    /// Thread-seconds: entity recognition.
    pub entities: f64,
    /// Thread-seconds: temporal expressions and date estimates.
    pub dates: f64,
    /// Duplicate lookup, differences and index insert.
    pub dedup: f64,
    /// Story assignment and story bookkeeping.
    pub stories: f64,
    /// SQLite transaction and Tantivy indexing and commit.
    pub store: f64,
}

/// Documents the search index takes between commits during an ingest. SQLite commits every
/// batch; the index commits less often because each commit writes a segment that merges
/// rewrite later (`rasd bench`: fewer commits cut store+index time). Documents not yet
/// committed to the index stay at `indexed = 0` and are re-indexed after a crash.
pub const INDEX_COMMIT_DOCS: usize = 32_768;

/// What the pipeline keeps of a stored document.
#[derive(Debug, Clone)]
struct DocInfo {
    id: String,
    story: Option<u64>,
    /// Key of the canonical copy when a duplicate.
    canonical: Option<u64>,
    outlet: Option<String>,
}

/// Story bookkeeping beyond the clustering state.
#[derive(Debug, Clone)]
struct StoryMeta {
    record: StoryRecord,
    rep_score: f64,
}

/// The ingest pipeline over one store.
pub struct Pipeline {
    store: Store,
    enrich: Enrichment,
    dedup_cfg: DedupConfig,
    /// Duplicate look-ups: every stored document on disk, the recent ones in memory.
    dedup: DuplicateFinder,
    /// Paragraph roles (outlet boilerplate, syndicated content); the state is on disk.
    paragraph_cfg: ParagraphConfig,
    stories: StoryIndex,
    /// Pipeline state of the documents in the duplicate window (others are read from the store).
    docs: HashMap<u64, DocInfo>,
    story_meta: HashMap<u64, StoryMeta>,
    next_key: u64,
    next_story: u64,
    /// Time spent per step since the pipeline was opened.
    pub timings: StageTimings,
}

impl Pipeline {
    /// Opens the pipeline over `store` with every step on ([`Enrichment::full`]).
    pub fn open(store: Store) -> Result<Pipeline> {
        Pipeline::open_with(store, Enrichment::full())
    }

    /// Opens the pipeline over `store`, repairing the search index after a crash and
    /// restoring the dedup and story state from what is stored.
    pub fn open_with(mut store: Store, enrich: Enrichment) -> Result<Pipeline> {
        let repaired = store.recover().context("repairing the search index")?;
        store.set_index_commit_docs(INDEX_COMMIT_DOCS);
        if repaired > 0 {
            eprintln!("rasd: re-indexed {repaired} documents left unindexed by an interrupted run");
        }
        let dedup_cfg = DedupConfig::default();
        backfill_dedup_tables(&store, &dedup_cfg)?;
        let dedup = DuplicateFinder::open(store.sqlite(), dedup_cfg.clone(), DEDUP_WINDOW_DOCS)
            .context("opening the duplicate index")?;
        let docs = HashMap::new();
        store
            .sqlite()
            .execute_batch(rasd_dedup::PARAGRAPH_DDL)
            .context("opening the paragraph index")?;
        let mut states = Vec::new();
        let mut story_meta = HashMap::new();
        for row in store.story_rows()? {
            let state = StoryState::from_bytes(&row.state).with_context(|| {
                format!("story {} has a corrupt clustering state", row.record.id)
            })?;
            states.push(state);
            story_meta.insert(
                row.record.id,
                StoryMeta {
                    record: row.record,
                    rep_score: row.rep_score,
                },
            );
        }
        let df_docs: u32 = store
            .meta("df_docs")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let stories = StoryIndex::restore(StoryConfig::default(), store.df()?, df_docs, states);
        let next_key = store.next_key()?;
        let next_story = store.next_story_id()?;
        Ok(Pipeline {
            store,
            enrich,
            dedup_cfg,
            dedup,
            paragraph_cfg: ParagraphConfig::default(),
            stories,
            docs,
            story_meta,
            next_key,
            next_story,
            timings: StageTimings::default(),
        })
    }

    /// The store, for reading after an ingest.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Processes one batch of inputs and commits it. Failures are added to `summary`.
    pub fn ingest_batch(&mut self, pages: Vec<RawPage>, summary: &mut Summary) -> Result<()> {
        let clock = std::time::Instant::now();
        let min_tokens = self.paragraph_cfg.min_tokens;
        let extracted: Vec<Result<Extracted, Failure>> = pages
            .par_iter()
            .map(|p| extract_stage(p, min_tokens))
            .collect();
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut ready = Vec::with_capacity(extracted.len());
        for e in extracted {
            match e {
                Ok(e) => ready.push(e),
                Err(f) => {
                    self.store.record_failure(&f.source, &f.reason, &now)?;
                    summary.failed += 1;
                    summary.failures.push(f);
                }
            }
        }
        // Earliest published first (unknown dates last), then input order: within a batch the
        // earliest copy becomes canonical and stories grow in time order.
        ready.sort_by_key(|p| (p.instant.is_none(), p.instant));
        // Pages already stored (same source, same bytes) are skipped; the others get their keys.
        let mut fresh: Vec<(u64, Extracted)> = Vec::with_capacity(ready.len());
        let mut seen_in_batch: HashSet<String> = HashSet::new();
        for e in ready {
            if !seen_in_batch.insert(e.id.clone()) || self.store.contains(&e.id)? {
                summary.already_stored += 1;
                continue;
            }
            fresh.push((self.next_key, e));
            self.next_key += 1;
        }
        self.timings.prepare += clock.elapsed().as_secs_f64();

        let clock = std::time::Instant::now();
        let paragraphs = self
            .paragraph_roles(&mut fresh)
            .context("classifying paragraphs")?;
        let mut dedup_time = clock.elapsed();

        let clock = std::time::Instant::now();
        let (cfg, enrich) = (&self.dedup_cfg, &self.enrich);
        let prepared: Vec<(u64, Prepared)> = fresh
            .into_par_iter()
            .map(|(key, e)| (key, analyze_stage(e, cfg, enrich)))
            .collect();
        for (_, p) in &prepared {
            self.timings.extract += p.clocks.extract;
            self.timings.analyze += p.clocks.analyze;
            self.timings.entities += p.clocks.entities;
            self.timings.dates += p.clocks.dates;
        }
        self.timings.prepare += clock.elapsed().as_secs_f64();
        let mut stories_time = std::time::Duration::ZERO;

        let mut new_docs: Vec<NewDoc> = Vec::with_capacity(prepared.len());
        // Where each of the batch's documents sits in `new_docs`, by key: a copy of a document of
        // this batch reads its canonical text from there.
        let mut batch_at: FxHashMap<u64, usize> = FxHashMap::default();
        batch_at.reserve(prepared.len());
        let mut touched: BTreeSet<u64> = BTreeSet::new();
        let mut batch_fingerprints: Vec<(u64, Fingerprint)> = Vec::new();
        for (key, p) in prepared {
            summary.bytes += p.bytes;
            let mut record = DocRecord::new(p.id.clone(), p.article, now.as_str());
            record.syndicated = p.syndicated;
            record.entities = p.entities;
            record.dates = p.dates;
            record.date_estimate = p.date_estimate;
            let clock = std::time::Instant::now();
            // A new page that merely contains an indexed one (a long article quoting a short
            // wire item) stands on its own; anything else found is what it copies.
            let found = self
                .dedup
                .find_all(self.store.sqlite(), &p.fingerprint)
                .context("looking up duplicates")?
                .into_iter()
                .find(|m| m.kind != MatchKind::Contains);
            let matched = match found {
                Some(m) => {
                    let root = self.canonical_root(m.id)?;
                    self.doc_info(root)?.map(|info| (m, root, info))
                }
                None => None,
            };
            // A copy posts little to the containment postings: its family is there already.
            let copy_of = matched
                .as_ref()
                .filter(|(m, _, _)| matches!(m.kind, MatchKind::Exact | MatchKind::Near))
                .map(|(m, _, _)| m.id);
            if let Some((mut m, root, canon)) = matched {
                // The canonical text is needed only to compare against it (not for a plain exact copy).
                let canon_tokens = if root != m.id || m.kind != MatchKind::Exact {
                    let in_batch = batch_at.get(&root).and_then(|&i| new_docs.get(i));
                    self.tokens_of(&canon.id, in_batch)?
                } else {
                    Vec::new()
                };
                if root != m.id {
                    // Matched a copy of the canonical document: say how it relates to the
                    // canonical one it will point to, not to the intermediate copy.
                    let refs: Vec<&str> = canon_tokens.iter().map(String::as_str).collect();
                    let canon_fp = rasd_dedup::fingerprint(&refs, &self.dedup_cfg);
                    if canon_fp.exact == p.fingerprint.exact {
                        m.kind = MatchKind::Exact;
                        m.similarity = 1.0;
                    } else {
                        if m.kind == MatchKind::Exact {
                            m.kind = MatchKind::Near;
                        }
                        m.similarity =
                            rasd_dedup::jaccard(&canon_fp.shingles, &p.fingerprint.shingles);
                    }
                }
                record.duplicate_of = Some(canon.id.clone());
                record.duplicate_kind = Some(
                    match m.kind {
                        MatchKind::Exact => "exact",
                        MatchKind::Near => "near",
                        MatchKind::ContainedIn | MatchKind::Contains => "contained_in",
                    }
                    .to_string(),
                );
                record.similarity = Some(m.similarity);
                if m.kind != MatchKind::Exact {
                    let a: Vec<&str> = canon_tokens.iter().map(String::as_str).collect();
                    let b: Vec<&str> = p.views.body.norm_terms().collect();
                    record.differences = rasd_dedup::differences(&a, &b, 8);
                    record.edited = rasd_dedup::is_edited(&record.differences);
                }
                record.story = canon.story;
                summary.duplicates += 1;
                self.docs.insert(
                    key,
                    DocInfo {
                        id: p.id.clone(),
                        story: canon.story,
                        canonical: Some(root),
                        outlet: record.article.outlet.clone(),
                    },
                );
            } else {
                dedup_time += clock.elapsed();
                let clock = std::time::Instant::now();
                let a = self.stories.assign(&p.features, self.next_story);
                if a.is_new {
                    self.next_story += 1;
                    summary.new_stories += 1;
                }
                record.story = Some(a.story);
                summary.new += 1;
                self.docs.insert(
                    key,
                    DocInfo {
                        id: p.id.clone(),
                        story: Some(a.story),
                        canonical: None,
                        outlet: record.article.outlet.clone(),
                    },
                );
                stories_time += clock.elapsed();
            }
            let clock = std::time::Instant::now();
            self.dedup.insert(key, &p.fingerprint, copy_of);
            dedup_time += clock.elapsed();
            batch_fingerprints.push((key, p.fingerprint));
            let clock = std::time::Instant::now();
            if let Some(s) = record.story {
                touched.insert(s);
                self.note_story_member(s, &record, &p.features);
            }
            stories_time += clock.elapsed();
            batch_at.insert(key, new_docs.len());
            new_docs.push(NewDoc {
                key,
                published_day: p.day,
                fingerprint: Vec::new(), // kept by the duplicate index's own tables
                views: Some(p.views),
                entity_defs: p.entity_defs,
                record,
            });
        }

        drop_copy_links(&mut new_docs);
        self.resolve_provenance(&mut new_docs)
            .context("resolving provenance chains")?;
        let clock = std::time::Instant::now();
        let mut rows = Vec::with_capacity(touched.len());
        for s in touched {
            let Some(meta) = self.story_meta.get_mut(&s) else {
                continue;
            };
            meta.record.key_terms = self.stories.key_terms(s, 8);
            let state = self.stories.story_bytes(s).unwrap_or_default();
            rows.push(StoryRow {
                record: meta.record.clone(),
                rep_score: meta.rep_score,
                state,
            });
        }
        let df_updates = self.stories.take_df_changes();
        stories_time += clock.elapsed();
        let clock = std::time::Instant::now();
        let fps: Vec<(u64, &Fingerprint)> =
            batch_fingerprints.iter().map(|(k, f)| (*k, f)).collect();
        let dedup = &self.dedup;
        self.store
            .write_batch_with(new_docs, &rows, &df_updates, |tx| {
                dedup.write(tx, &fps)?;
                paragraphs.save(tx)
            })?;
        for key in self
            .dedup
            .evict(self.store.sqlite())
            .context("writing the duplicate index")?
        {
            self.docs.remove(&key);
        }
        self.store
            .set_meta("df_docs", &self.stories.doc_count().to_string())?;
        self.timings.store += clock.elapsed().as_secs_f64();
        self.timings.dedup += dedup_time.as_secs_f64();
        self.timings.stories += stories_time.as_secs_f64();
        Ok(())
    }

    /// Commits the search index, making every ingested document searchable. Call it when a
    /// run of batches ends (the store also commits every [`INDEX_COMMIT_DOCS`] documents).
    pub fn commit(&mut self) -> Result<()> {
        let clock = std::time::Instant::now();
        self.store
            .commit_index()
            .context("committing the search index")?;
        self.timings.store += clock.elapsed().as_secs_f64();
        Ok(())
    }

    /// The paragraph step, between extraction and analysis: each paragraph that recurs across
    /// pages of the page's outlet is cut from its body (kept in `removed` as
    /// `outlet_boilerplate`); each one shared with documents of other outlets is kept and
    /// linked to them. Counts include the other pages of the batch and everything stored
    /// (loaded from disk for this batch's paragraphs only). Returns the batch's paragraph
    /// index, to be saved with the batch. A paragraph links to at most
    /// [`LINKS_PER_PARAGRAPH`] documents, the earliest.
    fn paragraph_roles(&self, batch: &mut [(u64, Extracted)]) -> Result<ParagraphIndex> {
        let outlets: Vec<Option<String>> = batch
            .iter()
            .map(|(_, e)| paragraph_outlet(&e.article))
            .collect();
        let index = batch_paragraph_index(
            self.store.sqlite(),
            &self.paragraph_cfg,
            batch
                .iter()
                .zip(&outlets)
                .map(|((key, e), o)| (*key, o.as_deref(), e.paragraph_hashes.as_slice())),
        )?;
        let in_batch: HashMap<u64, (String, Option<String>)> = batch
            .iter()
            .map(|(key, e)| (*key, (e.id.clone(), e.article.outlet.clone())))
            .collect();
        let mut stored: HashMap<u64, Option<(String, Option<String>)>> = HashMap::new();
        for ((key, e), outlet) in batch.iter_mut().zip(&outlets) {
            let Some(outlet) = outlet else {
                continue;
            };
            let roles =
                apply_paragraph_roles(&index, *key, outlet, &mut e.article, &e.paragraph_hashes);
            for (paragraph, doc) in roles.links {
                let other = match in_batch.get(&doc) {
                    Some(o) => Some(o.clone()),
                    None if self.docs.contains_key(&doc) => self
                        .docs
                        .get(&doc)
                        .map(|i| (i.id.clone(), i.outlet.clone())),
                    None => match stored.get(&doc) {
                        Some(o) => o.clone(),
                        None => {
                            let o = self.store.doc_link(doc)?.map(|l| (l.id, l.outlet));
                            stored.insert(doc, o.clone());
                            o
                        }
                    },
                };
                if let Some((doc, outlet)) = other {
                    e.syndicated.push(SyndicatedLink {
                        paragraph,
                        doc,
                        outlet,
                    });
                }
            }
        }
        Ok(index)
    }

    /// The provenance chain of each new document that names its source, resolved through the
    /// members of its duplicate group (stored, and in this batch).
    fn resolve_provenance(&self, batch: &mut [NewDoc]) -> Result<()> {
        for i in 0..batch.len() {
            let Some(me) = batch.get(i).map(|d| &d.record) else {
                continue;
            };
            if me.article.original_source.is_none() {
                continue;
            }
            let root = me.duplicate_of.clone().unwrap_or_else(|| me.id.clone());
            let mut members: Vec<rasd_store::GroupSource> = vec![(
                me.id.clone(),
                me.article.outlet.clone(),
                me.article.original_source.clone(),
            )];
            for m in self.store.group_sources(&root)? {
                if m.0 != me.id {
                    members.push(m);
                }
            }
            for (j, d) in batch.iter().enumerate() {
                let r = &d.record;
                if j != i && (r.id == root || r.duplicate_of.as_deref() == Some(root.as_str())) {
                    members.push((
                        r.id.clone(),
                        r.article.outlet.clone(),
                        r.article.original_source.clone(),
                    ));
                }
            }
            let infos: Vec<rasd_dedup::SourceInfo<'_>> = members
                .iter()
                .map(|(_, outlet, source)| rasd_dedup::SourceInfo {
                    outlet: outlet.as_deref(),
                    original_source: source.as_deref(),
                })
                .collect();
            let chain: Vec<ProvenanceLink> = rasd_dedup::provenance_chain(&infos, 0)
                .into_iter()
                .map(|step| ProvenanceLink {
                    outlet: step.outlet,
                    doc: step.doc.and_then(|k| members.get(k)).map(|m| m.0.clone()),
                })
                .collect();
            // A page naming its own outlet says nothing about where the text came from.
            if let (Some(d), true) = (batch.get_mut(i), chain.len() > 1) {
                d.record.provenance = chain;
            }
        }
        Ok(())
    }

    /// Follows duplicate links to the canonical document.
    fn canonical_root(&self, mut key: u64) -> Result<u64> {
        for _ in 0..16 {
            match self.doc_info(key)?.and_then(|d| d.canonical) {
                Some(k) if k != key => key = k,
                _ => break,
            }
        }
        Ok(key)
    }

    /// The pipeline state of a document: from memory when it is in the duplicate window,
    /// else from the store.
    fn doc_info(&self, key: u64) -> Result<Option<DocInfo>> {
        if let Some(info) = self.docs.get(&key) {
            return Ok(Some(info.clone()));
        }
        Ok(self.store.doc_link(key)?.map(|l| DocInfo {
            id: l.id,
            story: l.story,
            canonical: l.canonical_key,
            outlet: l.outlet,
        }))
    }

    /// Sets how many recent documents the duplicate index keeps in memory (the others are
    /// looked up on disk), dropping the oldest beyond that now.
    pub fn set_dedup_window(&mut self, docs: usize) -> Result<()> {
        self.dedup.set_capacity(docs);
        // Every batch so far is written, so what leaves the window is on disk.
        for key in self
            .dedup
            .evict(self.store.sqlite())
            .context("writing the duplicate index")?
        {
            self.docs.remove(&key);
        }
        Ok(())
    }

    /// Normalized tokens of document `id`, for word differences: from `in_batch` when it is a
    /// document of the current batch (not stored yet), else from the store.
    fn tokens_of(&self, id: &str, in_batch: Option<&NewDoc>) -> Result<Vec<String>> {
        let body = match in_batch.filter(|d| d.record.id == id) {
            Some(NewDoc { views: Some(v), .. }) => {
                return Ok(v.body.norm_terms().map(str::to_string).collect())
            }
            Some(d) => d.record.article.body.clone(),
            None => self.store.doc_body(id)?.unwrap_or_default(),
        };
        let mut tokens = Vec::new();
        rasd_arabic::for_each_term(&body, |_t, norm, _s| {
            if !norm.is_empty() {
                tokens.push(norm.to_string())
            }
        });
        Ok(tokens)
    }

    /// Updates a story's dates, outlets, size and representative with a new member.
    fn note_story_member(&mut self, story: u64, doc: &DocRecord, features: &DocFeatures) {
        let meta = self.story_meta.entry(story).or_insert_with(|| StoryMeta {
            record: StoryRecord {
                id: story,
                title: None,
                rep_doc: None,
                docs: Vec::new(),
                first_seen: None,
                last_seen: None,
                size: 0,
                outlets: Vec::new(),
                key_terms: Vec::new(),
            },
            rep_score: f64::NEG_INFINITY,
        });
        let r = &mut meta.record;
        r.size += 1;
        if let Some(p) = &doc.article.published {
            if r.first_seen.as_ref().is_none_or(|f| p < f) {
                r.first_seen = Some(p.clone());
            }
            if r.last_seen.as_ref().is_none_or(|l| p > l) {
                r.last_seen = Some(p.clone());
            }
        }
        if let Some(o) = &doc.article.outlet {
            if !r.outlets.contains(o) {
                r.outlets.push(o.clone());
            }
        }
        // Representative headline: the canonical document whose features best match the story.
        if doc.duplicate_of.is_none() {
            if let (Some(title), Some((dot, norm))) = (
                &doc.article.title,
                self.stories.title_fit_parts(story, features),
            ) {
                let score = title_fit(title, dot, norm);
                if score > meta.rep_score {
                    meta.rep_score = score;
                    r.title = Some(title.clone());
                    r.rep_doc = Some(doc.id.clone());
                }
            }
        }
    }
}

/// Fills the duplicate index's on-disk tables from the fingerprints stored with each document,
/// once, for stores written before those tables existed (the work is recorded in `meta`).
fn backfill_dedup_tables(store: &Store, cfg: &DedupConfig) -> Result<()> {
    const DONE: &str = "dedup_tables";
    if store.meta(DONE)?.is_some() {
        return Ok(());
    }
    let stored = store.counts()?.docs;
    let tx = store
        .sqlite()
        .unchecked_transaction()
        .context("building the on-disk duplicate index")?;
    if stored > 0 {
        eprintln!(
            "rasd: building the on-disk duplicate index for {stored} stored documents (once)"
        );
        let mut fps = Vec::new();
        let mut bad = 0u64;
        store.for_each_doc_state(|s| match decode_fingerprint(s.fingerprint) {
            Some(fp) => fps.push((s.key, fp)),
            None => bad += 1,
        })?;
        if bad > 0 {
            eprintln!("rasd: {bad} stored documents have no usable fingerprint; they will not be matched as duplicates");
        }
        crate::dedup_state::backfill(&tx, cfg, fps.into_iter())
            .context("building the on-disk duplicate index")?;
    }
    store.set_meta(DONE, "1")?;
    tx.commit()
        .context("building the on-disk duplicate index")?;
    Ok(())
}

/// Syndication links are for otherwise different articles: a copy's relation to its canonical
/// document is `duplicate_of`, so copies keep no links, and a canonical document keeps none to
/// its copies in the same batch.
fn drop_copy_links(batch: &mut [NewDoc]) {
    let copy_of: HashMap<String, String> = batch
        .iter()
        .filter_map(|d| {
            d.record
                .duplicate_of
                .clone()
                .map(|c| (d.record.id.clone(), c))
        })
        .collect();
    for d in batch {
        let r = &mut d.record;
        if r.duplicate_of.is_some() {
            r.syndicated.clear();
            continue;
        }
        r.syndicated
            .retain(|l| copy_of.get(&l.doc).is_none_or(|c| *c != r.id));
        r.syndicated.dedup();
    }
}

/// Documents a syndicated paragraph links to at most (the earliest that carry it).
pub const LINKS_PER_PARAGRAPH: usize = 3;

/// The outlet whose pages a page's paragraphs are counted with: its outlet, else the host of
/// its URL; `None` (no paragraph roles) when neither is known.
pub(crate) fn paragraph_outlet(article: &rasd_types::Article) -> Option<String> {
    if let Some(o) = article
        .outlet
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        return Some(o.to_string());
    }
    let url = article.url.as_deref()?;
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest
        .split(['/', '?', '#'])
        .next()?
        .trim_start_matches("www.");
    (!host.is_empty()).then(|| host.to_lowercase())
}

/// The paragraph index one batch is classified with: the stored counts of the batch's
/// paragraphs (loaded from `conn`), plus the batch's own documents, given as (key, outlet,
/// paragraph hashes); a document without an outlet is not counted.
pub(crate) fn batch_paragraph_index<'a>(
    conn: &rusqlite::Connection,
    cfg: &ParagraphConfig,
    docs: impl Iterator<Item = (u64, Option<&'a str>, &'a [Option<u64>])> + Clone,
) -> rusqlite::Result<ParagraphIndex> {
    let mut hashes: Vec<u64> = docs
        .clone()
        .flat_map(|(_, _, hs)| hs.iter().flatten().copied())
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    let mut index = ParagraphIndex::new(cfg.clone());
    index.load(conn, &hashes)?;
    for (key, outlet, hs) in docs {
        if let Some(outlet) = outlet {
            let hs: Vec<u64> = hs.iter().flatten().copied().collect();
            index.add(key, outlet, &hs);
        }
    }
    Ok(index)
}

/// What the paragraph step did to one document ([`apply_paragraph_roles`]).
pub(crate) struct ParagraphRoles {
    /// Hashes of the paragraphs cut as the outlet's boilerplate (their texts went to
    /// `removed`), in paragraph order.
    pub cut: Vec<u64>,
    /// Syndicated paragraphs: (paragraph number after the cut, the other document's key), at
    /// most [`LINKS_PER_PARAGRAPH`] per paragraph.
    pub links: Vec<(usize, u64)>,
}

/// Classifies the paragraphs of document `key` of `outlet` (`hashes`: one per paragraph of the
/// article, `None` when too short to judge) and applies the roles: boilerplate is cut from the
/// article ([`cut_boilerplate`]), syndicated paragraphs are returned as links.
pub(crate) fn apply_paragraph_roles(
    index: &ParagraphIndex,
    key: u64,
    outlet: &str,
    article: &mut rasd_types::Article,
    hashes: &[Option<u64>],
) -> ParagraphRoles {
    let (at, hs): (Vec<usize>, Vec<u64>) = hashes
        .iter()
        .enumerate()
        .filter_map(|(i, h)| h.map(|h| (i, h)))
        .unzip();
    let mut cut = vec![false; article.paragraphs.len()];
    let mut cut_hashes = Vec::new();
    let mut links: Vec<(usize, u64)> = Vec::new();
    for ((&i, &h), role) in at.iter().zip(&hs).zip(index.classify(key, outlet, &hs)) {
        match role {
            ParagraphRole::Boilerplate => {
                if let Some(c) = cut.get_mut(i) {
                    *c = true;
                    cut_hashes.push(h);
                }
            }
            ParagraphRole::Syndicated { docs } => {
                links.extend(docs.into_iter().take(LINKS_PER_PARAGRAPH).map(|d| (i, d)));
            }
            ParagraphRole::Unique => {}
        }
    }
    if !cut_boilerplate(article, &cut) {
        // Nothing was cut (it would have taken most of the page): numbers stay.
        cut.fill(false);
        cut_hashes.clear();
    }
    // Paragraph numbers after the cut.
    let renumber: Vec<usize> = cut
        .iter()
        .scan(0usize, |n, &c| {
            let at = *n;
            *n += usize::from(!c);
            Some(at)
        })
        .collect();
    let links = links
        .into_iter()
        .filter(|&(i, _)| !cut.get(i).copied().unwrap_or(false))
        .map(|(i, d)| (renumber.get(i).copied().unwrap_or(i), d))
        .collect();
    ParagraphRoles {
        cut: cut_hashes,
        links,
    }
}

/// Cuts the paragraphs marked in `cut` from the article's body, keeping them in `removed` as
/// `outlet_boilerplate`, unless that would take most of the text: a page whose paragraphs
/// nearly all recur in other pages of its outlet is a copy (dedup's business), not boilerplate
/// around an article.
/// Returns whether it cut anything.
fn cut_boilerplate(article: &mut rasd_types::Article, cut: &[bool]) -> bool {
    let total: usize = article.paragraphs.iter().map(String::len).sum();
    let removed: usize = article
        .paragraphs
        .iter()
        .zip(cut)
        .filter(|(_, &c)| c)
        .map(|(p, _)| p.len())
        .sum();
    if removed == 0 || removed * 2 > total {
        return false;
    }
    let paragraphs = std::mem::take(&mut article.paragraphs);
    for (p, &c) in paragraphs
        .into_iter()
        .zip(cut.iter().chain(std::iter::repeat(&false)))
    {
        if c {
            article.removed.push(rasd_types::Removed {
                kind: "outlet_boilerplate".to_string(),
                text: p,
            });
        } else {
            article.paragraphs.push(p);
        }
    }
    article.body = article.paragraphs.join("\n\n");
    true
}

/// How well a document represents a story: cosine of its term counts with the story
/// centroid (from [`StoryIndex::title_fit_parts`]), with a small penalty for very long or very
/// short titles.
fn title_fit(title: &str, dot: f64, norm: f64) -> f64 {
    let cos = if norm > 0.0 { dot / norm.sqrt() } else { 0.0 };
    let words = title.split_whitespace().count() as f64;
    let length_penalty = if !(4.0..=18.0).contains(&words) {
        0.8
    } else {
        1.0
    };
    cos * length_penalty
}

const FP_MAGIC: u8 = 1;

/// Compact binary form of a fingerprint: version, exact hash, token count, then the
/// shingle and minhash arrays as little-endian u32 with their lengths. Stores of schema 2 kept
/// it in `docs.fingerprint`; it is read once to fill the duplicate index's own tables.
#[cfg(test)]
fn encode_fingerprint(fp: &Fingerprint) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + 8 + 4 * (3 + fp.shingles.len() + fp.minhash.len()));
    out.push(FP_MAGIC);
    out.extend_from_slice(&fp.exact.to_le_bytes());
    out.extend_from_slice(&(fp.tokens as u32).to_le_bytes());
    for arr in [&fp.shingles, &fp.minhash] {
        out.extend_from_slice(&(arr.len() as u32).to_le_bytes());
        for v in arr.iter() {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out
}

fn decode_fingerprint(b: &[u8]) -> Option<Fingerprint> {
    let (&magic, rest) = b.split_first()?;
    if magic != FP_MAGIC {
        return None;
    }
    let (exact, rest) = rest.split_at_checked(8)?;
    let exact = u64::from_le_bytes(exact.try_into().ok()?);
    let (tokens, mut rest) = rest.split_at_checked(4)?;
    let tokens = u32::from_le_bytes(tokens.try_into().ok()?) as usize;
    let mut arrays = Vec::with_capacity(2);
    for _ in 0..2 {
        let (len, r) = rest.split_at_checked(4)?;
        let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
        let (data, r) = r.split_at_checked(len.checked_mul(4)?)?;
        arrays.push(
            data.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect::<Vec<u32>>(),
        );
        rest = r;
    }
    let minhash = arrays.pop()?;
    let shingles = arrays.pop()?;
    Some(Fingerprint {
        exact,
        shingles,
        minhash,
        tokens,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_end_at_a_count_of_pages_or_of_bytes() {
        assert!(!batch_full(1, 10_000, BATCH_SIZE));
        assert!(!batch_full(BATCH_SIZE - 1, BATCH_BYTES - 1, BATCH_SIZE));
        assert!(batch_full(BATCH_SIZE, 0, BATCH_SIZE));
        // Sixty-four pages of a megabyte make a batch.
        assert!(batch_full(64, 64 << 20, BATCH_SIZE));
        assert!(batch_full(500, 0, 500));
        assert!(batch_full(1, 0, 0), "a batch holds one page at least");
    }

    /// A page of Arabic news-like text, different for each seed.
    fn page(seed: u64, edit: Option<(usize, &str)>) -> RawPage {
        const WORDS: [&str; 24] = [
            "الوزير",
            "الحكومة",
            "المفاوضات",
            "العاصمة",
            "الاجتماع",
            "الرئيس",
            "المعارضة",
            "الاتفاق",
            "الجيش",
            "البرلمان",
            "الانتخابات",
            "المدينة",
            "الأمن",
            "الاقتصاد",
            "الموازنة",
            "الحدود",
            "اللاجئين",
            "المساعدات",
            "الشركة",
            "المستشفى",
            "الجامعة",
            "المحكمة",
            "الشرطة",
            "الميناء",
        ];
        let mut words: Vec<String> = (0..160u64)
            .map(|i| {
                let w = WORDS[((seed * 31 + i * i * 7 + i * seed) % 24) as usize];
                format!("{w}{}", (seed * 13 + i) % 97)
            })
            .collect();
        if let Some((at, w)) = edit {
            words[at] = w.to_string();
        }
        let body: Vec<String> = words.chunks(40).map(|c| c.join(" ") + ".").collect();
        let text = format!("عنوان الخبر رقم {seed}\n\n{}", body.join("\n\n"));
        RawPage::new(
            format!("page-{seed}-{}.txt", edit.map_or(0, |(at, _)| at + 1)),
            text.into_bytes(),
            rasd_types::PageFormat::Text,
        )
    }

    #[test]
    fn copies_of_documents_outside_the_memory_window_are_found_on_disk_in_a_later_run() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            let mut p = Pipeline::open_with(store, Enrichment::none()).unwrap();
            let mut s = Summary::default();
            p.ingest_batch((1..=6).map(|i| page(i, None)).collect(), &mut s)
                .unwrap();
            p.commit().unwrap();
            assert_eq!((s.new, s.duplicates), (6, 0), "{s:?}");
        }
        let store = Store::open(dir.path()).unwrap();
        let mut p = Pipeline::open_with(store, Enrichment::none()).unwrap();
        p.set_dedup_window(2).unwrap();
        assert_eq!(p.dedup.in_memory(), 2);
        assert_eq!(p.dedup.on_disk_only(), 4);
        let mut s = Summary::default();
        // An edited copy of the first page (long out of the window) and an exact copy of the
        // third under another name.
        let mut exact = page(3, None);
        exact.source = "elsewhere.txt".into();
        p.ingest_batch(
            vec![page(1, Some((50, "تعديل"))), exact, page(7, None)],
            &mut s,
        )
        .unwrap();
        p.commit().unwrap();
        assert_eq!((s.new, s.duplicates), (1, 2), "{s:?}");
        let docs = p.store().docs().unwrap();
        let id_of = |src: &str| {
            docs.iter()
                .find(|d| d.article.source == src)
                .map(|d| d.id.clone())
                .unwrap()
        };
        let by_source = |src: &str| docs.iter().find(|d| d.article.source == src).unwrap();
        let near = by_source("page-1-51.txt");
        assert_eq!(near.duplicate_of, Some(id_of("page-1-0.txt")));
        assert_eq!(near.duplicate_kind.as_deref(), Some("near"));
        assert!(
            near.differences.iter().any(|d| d.contains("تعديل")),
            "{near:?}"
        );
        let copy = by_source("elsewhere.txt");
        assert_eq!(copy.duplicate_of, Some(id_of("page-3-0.txt")));
        assert_eq!(copy.duplicate_kind.as_deref(), Some("exact"));
        assert_eq!(copy.story, by_source("page-3-0.txt").story);
        assert_eq!(by_source("page-7-0.txt").duplicate_of, None);
        // Every document's fingerprint is on disk, none in the documents table.
        let conn = p.store().sqlite();
        assert_eq!(rasd_dedup::store::len(conn).unwrap(), 9);
        let blobs: i64 = conn
            .query_row(
                "SELECT count(*) FROM docs WHERE fingerprint IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(blobs, 0);
    }

    /// A page of `outlet` made of `page(seed)`'s text with `extra` paragraphs after it.
    fn page_of(seed: u64, outlet: &str, extra: &[&str]) -> RawPage {
        let mut p = page(seed, None);
        let mut text = String::from_utf8(p.bytes).unwrap();
        for e in extra {
            text.push_str("\n\n");
            text.push_str(e);
        }
        p.bytes = text.into_bytes();
        p.source = format!("{outlet}-{seed}.txt");
        p.outlet = Some(outlet.to_string());
        p
    }

    #[test]
    fn outlet_boilerplate_is_cut_and_kept_aside_and_shared_paragraphs_are_linked() {
        let footer =
            "هذه الخدمة الإخبارية تقدمها مؤسسة الأنباء المستقلة لقرائها في كل مكان منذ عقود طويلة";
        let wire = "وقال المتحدث باسم الوزارة إن المحادثات ستستأنف الأسبوع المقبل في العاصمة الأردنية بحضور الوفدين";
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut p = Pipeline::open_with(store, Enrichment::none()).unwrap();
        let mut s = Summary::default();
        let first: Vec<RawPage> = (1..=3)
            .map(|i| page_of(i, "وكالة أ", &[footer]))
            .chain([page_of(4, "وكالة أ", &[wire, footer])])
            .collect();
        p.ingest_batch(first, &mut s).unwrap();
        // A later batch: the footer's count comes from disk; the wire paragraph is shared
        // with another outlet; two short pages of one more outlet share only a line too short
        // to judge.
        let later = vec![
            page_of(5, "وكالة أ", &[footer]),
            page_of(6, "صحيفة ب", &[wire]),
            page_of(7, "صحيفة ج", &["عاجل جدا"]),
            page_of(8, "صحيفة ج", &["عاجل جدا"]),
            page_of(9, "صحيفة ج", &["عاجل جدا"]),
        ];
        p.ingest_batch(later, &mut s).unwrap();
        p.commit().unwrap();
        assert_eq!(s.new, 9, "{s:?}");
        let docs = p.store().docs().unwrap();
        let by = |src: &str| docs.iter().find(|d| d.article.source == src).unwrap();
        for i in 1..=5 {
            let d = by(&format!("وكالة أ-{i}.txt"));
            assert!(
                !d.article.body.contains("مؤسسة الأنباء"),
                "{i}: {}",
                d.article.body
            );
            assert!(
                d.article
                    .removed
                    .iter()
                    .any(|r| r.kind == "outlet_boilerplate" && r.text == footer),
                "{i}: {:?}",
                d.article.removed
            );
            assert_eq!(d.article.paragraphs.len(), 4 + usize::from(i == 4));
        }
        let four = by("وكالة أ-4.txt");
        assert!(four.article.body.contains("المتحدث باسم الوزارة"));
        let six = by("صحيفة ب-6.txt");
        assert!(
            six.article.body.contains("المتحدث باسم الوزارة"),
            "syndicated text is kept"
        );
        assert_eq!(
            six.syndicated,
            [SyndicatedLink {
                paragraph: 4,
                doc: four.id.clone(),
                outlet: Some("وكالة أ".into()),
            }]
        );
        assert!(
            four.syndicated.is_empty(),
            "the link is recorded on the later document"
        );
        for i in 7..=9 {
            let d = by(&format!("صحيفة ج-{i}.txt"));
            assert!(d.article.body.ends_with("عاجل جدا"), "{}", d.article.body);
        }
        // Pages that are nothing but recurring paragraphs are copies, not boilerplate.
        let mut s = Summary::default();
        let copies: Vec<RawPage> = (0..3)
            .map(|i| {
                let mut c = page_of(20, "موقع د", &[]);
                c.source = format!("copy-{i}.txt");
                c
            })
            .collect();
        p.ingest_batch(copies, &mut s).unwrap();
        let docs = p.store().docs().unwrap();
        let copy = docs
            .iter()
            .find(|d| d.article.source == "copy-2.txt")
            .unwrap();
        assert_eq!(
            copy.article.paragraphs.len(),
            4,
            "{:?}",
            copy.article.removed
        );
        assert!(copy.article.removed.is_empty());
        assert_eq!(copy.duplicate_kind.as_deref(), Some("exact"));
    }

    #[test]
    fn provenance_chains_follow_the_named_sources_through_the_copies() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut p = Pipeline::open_with(store, Enrichment::none()).unwrap();
        let mut s = Summary::default();
        // The wire original, then a paper that names the wire, then a site that names the paper
        // (in the next batch), each an edited copy; and an unrelated page naming a source that
        // is not stored.
        let wire = page_of(30, "رويترز", &[]);
        let paper = {
            let mut p = page(30, Some((12, "تعديل")));
            let text = String::from_utf8(p.bytes).unwrap() + "\n\nالمصدر: رويترز";
            p.bytes = text.into_bytes();
            p.outlet = Some("الشرق الأوسط".into());
            p
        };
        p.ingest_batch(vec![wire, paper], &mut s).unwrap();
        let site = {
            let mut p = page(30, Some((90, "تغيير")));
            let text = String::from_utf8(p.bytes).unwrap() + "\n\nنقلاً عن صحيفة الشرق الاوسط";
            p.bytes = text.into_bytes();
            p.outlet = Some("بلدي نيوز".into());
            p
        };
        let other = {
            let mut p = page_of(31, "موقع هـ", &[]);
            let text = String::from_utf8(p.bytes).unwrap() + "\n\nالمصدر: وكالة الأناضول";
            p.bytes = text.into_bytes();
            p
        };
        p.ingest_batch(vec![site, other], &mut s).unwrap();
        assert_eq!((s.new, s.duplicates), (2, 2), "{s:?}");
        let docs = p.store().docs().unwrap();
        let by = |outlet: &str| {
            docs.iter()
                .find(|d| d.article.outlet.as_deref() == Some(outlet))
                .unwrap()
        };
        let chain = |outlet: &str| -> Vec<(String, Option<String>)> {
            by(outlet)
                .provenance
                .iter()
                .map(|l| (l.outlet.clone(), l.doc.clone()))
                .collect()
        };
        let id = |outlet: &str| Some(by(outlet).id.clone());
        assert_eq!(
            chain("بلدي نيوز"),
            [
                ("بلدي نيوز".to_string(), id("بلدي نيوز")),
                ("صحيفة الشرق الاوسط".to_string(), id("الشرق الأوسط")),
                ("رويترز".to_string(), id("رويترز")),
            ]
        );
        assert_eq!(
            chain("الشرق الأوسط"),
            [
                ("الشرق الأوسط".to_string(), id("الشرق الأوسط")),
                ("رويترز".to_string(), id("رويترز")),
            ]
        );
        assert!(chain("رويترز").is_empty(), "the original names no source");
        assert_eq!(
            chain("موقع هـ"),
            [
                ("موقع هـ".to_string(), id("موقع هـ")),
                ("وكالة الأناضول".to_string(), None),
            ]
        );
    }

    #[test]
    fn stores_without_the_on_disk_duplicate_index_are_backfilled_once() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            let mut p = Pipeline::open_with(store, Enrichment::none()).unwrap();
            let mut s = Summary::default();
            p.ingest_batch((1..=3).map(|i| page(i, None)).collect(), &mut s)
                .unwrap();
            p.commit().unwrap();
            // Make it look like a store of schema 2: fingerprints in docs, no dedup tables.
            let conn = p.store().sqlite();
            let keys: Vec<i64> = conn
                .prepare("SELECT key FROM docs")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            for key in keys {
                let (exact, tokens, blob): (i64, i64, Vec<u8>) = conn
                    .query_row(
                        "SELECT exact, tokens, shingles FROM dedup_fp WHERE doc = ?1",
                        [key],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .unwrap();
                let fp = Fingerprint {
                    exact: exact as u64,
                    tokens: tokens as usize,
                    shingles: blob
                        .chunks_exact(4)
                        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                        .collect(),
                    minhash: Vec::new(),
                };
                conn.execute(
                    "UPDATE docs SET fingerprint = ?1 WHERE key = ?2",
                    rusqlite::params![encode_fingerprint(&fp), key],
                )
                .unwrap();
            }
            conn.execute_batch(
                "DROP TABLE dedup_band; DROP TABLE dedup_fp; DELETE FROM meta WHERE key = 'dedup_tables';",
            )
            .unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let mut p = Pipeline::open_with(store, Enrichment::none()).unwrap();
        assert_eq!(rasd_dedup::store::len(p.store().sqlite()).unwrap(), 3);
        p.set_dedup_window(0).unwrap();
        let mut s = Summary::default();
        p.ingest_batch(vec![page(2, Some((10, "تعديل")))], &mut s)
            .unwrap();
        assert_eq!(s.duplicates, 1, "{s:?}");
    }

    #[test]
    fn fingerprint_round_trips_and_rejects_garbage() {
        let toks = [
            "قال",
            "الوزير",
            "ان",
            "المحادثات",
            "ستستانف",
            "غدا",
            "في",
            "عمان",
        ];
        let fp = rasd_dedup::fingerprint(&toks, &DedupConfig::default());
        let b = encode_fingerprint(&fp);
        assert_eq!(decode_fingerprint(&b), Some(fp));
        assert_eq!(decode_fingerprint(&[]), None);
        assert_eq!(decode_fingerprint(&b[..b.len() - 1]), None);
        assert_eq!(decode_fingerprint(&[9, 9, 9]), None);
    }

    #[test]
    fn page_ids_depend_on_source_and_bytes() {
        assert_eq!(page_id("a", b"x"), page_id("a", b"x"));
        assert_ne!(page_id("a", b"x"), page_id("b", b"x"));
        assert_ne!(page_id("a", b"x"), page_id("a", b"y"));
        assert_eq!(page_id("a", b"x").len(), 16);
    }

    #[test]
    fn instants_compare_wall_clocks() {
        assert_eq!(instant_of("1970-01-01T01:00:00+01:00"), Some(3600));
        assert_eq!(instant_of("1970-01-01T00:01"), Some(60));
        assert_eq!(instant_of("1970-01-02"), Some(86_400));
        assert_eq!(instant_of("yesterday"), None);
    }

    #[test]
    fn days_from_iso_dates() {
        assert_eq!(day_of("1970-01-02"), Some(1));
        assert_eq!(day_of("2017-06-10T10:57:00"), day_of("2017-06-10"));
        assert_eq!(day_of("2017-13-10"), None);
        assert_eq!(day_of("10.06.2017"), None);
        assert_eq!(day_of(""), None);
    }
}
