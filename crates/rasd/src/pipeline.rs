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
use rasd_dedup::{DedupConfig, DedupIndex, Fingerprint, MatchKind};
use rasd_store::analyzers::Views;
use rasd_store::{DocRecord, NewDoc, Store, StoryRecord, StoryRow};
use rasd_stories::{DocFeatures, StoryConfig, StoryIndex, StoryState};
use rasd_types::RawPage;
use rayon::prelude::*;
use serde::Serialize;

/// How many pages are prepared in parallel and committed together.
pub const BATCH_SIZE: usize = 2048;

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

/// A page after the parallel, pure part of the pipeline.
struct Prepared {
    id: String,
    article: rasd_types::Article,
    day: Option<i32>,
    /// Publication instant in seconds since the epoch (UTC when the page gives an offset).
    instant: Option<i64>,
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

fn prepare(page: &RawPage, cfg: &DedupConfig, enrich: &Enrichment) -> Result<Prepared, Failure> {
    let mut clocks = PrepareClocks::default();
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
    clocks.extract = clock.elapsed().as_secs_f64();
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
    Ok(Prepared {
        id,
        article,
        day,
        instant,
        views,
        fingerprint,
        features,
        entities,
        entity_defs,
        dates,
        date_estimate,
        bytes: page.bytes.len() as u64,
        clocks,
    })
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
    dedup: DedupIndex,
    stories: StoryIndex,
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
        let mut dedup = DedupIndex::new(dedup_cfg.clone());
        let mut docs = HashMap::new();
        let mut bad_state = 0u64;
        store.for_each_doc_state(|s| {
            match decode_fingerprint(s.fingerprint) {
                Some(fp) => dedup.insert(s.key, &fp),
                None => bad_state += 1,
            }
            docs.insert(
                s.key,
                DocInfo {
                    id: s.id.to_string(),
                    story: s.story,
                    canonical: s.canonical_key,
                },
            );
        })?;
        if bad_state > 0 {
            eprintln!("rasd: {bad_state} stored documents have no usable fingerprint; they will not be matched as duplicates");
        }
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
        let (cfg, enrich) = (&self.dedup_cfg, &self.enrich);
        let prepared: Vec<Result<Prepared, Failure>> =
            pages.par_iter().map(|p| prepare(p, cfg, enrich)).collect();
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut ready = Vec::with_capacity(prepared.len());
        for p in prepared {
            match p {
                Ok(p) => {
                    self.timings.extract += p.clocks.extract;
                    self.timings.analyze += p.clocks.analyze;
                    self.timings.entities += p.clocks.entities;
                    self.timings.dates += p.clocks.dates;
                    ready.push(p)
                }
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
        self.timings.prepare += clock.elapsed().as_secs_f64();
        let mut dedup_time = std::time::Duration::ZERO;
        let mut stories_time = std::time::Duration::ZERO;

        let mut new_docs: Vec<NewDoc> = Vec::new();
        let mut seen_in_batch: HashSet<String> = HashSet::new();
        let mut touched: BTreeSet<u64> = BTreeSet::new();
        for p in ready {
            if !seen_in_batch.insert(p.id.clone()) || self.store.contains(&p.id)? {
                summary.already_stored += 1;
                continue;
            }
            summary.bytes += p.bytes;
            let key = self.next_key;
            self.next_key += 1;
            let mut record = DocRecord::new(p.id.clone(), p.article, now.as_str());
            record.entities = p.entities;
            record.dates = p.dates;
            record.date_estimate = p.date_estimate;
            let clock = std::time::Instant::now();
            // A new page that merely contains an indexed one (a long article quoting a short
            // wire item) stands on its own; anything else found is what it copies.
            let matched = self
                .dedup
                .find_all(&p.fingerprint)
                .into_iter()
                .find(|m| m.kind != MatchKind::Contains)
                .and_then(|m| {
                    let root = self.canonical_root(m.id);
                    self.docs.get(&root).map(|info| (m, root, info.clone()))
                });
            if let Some((mut m, root, canon)) = matched {
                // The canonical text is needed only to compare against it (not for a plain exact copy).
                let canon_tokens = if root != m.id || m.kind != MatchKind::Exact {
                    self.tokens_of(&canon.id, &new_docs)?
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
                    },
                );
                stories_time += clock.elapsed();
            }
            let clock = std::time::Instant::now();
            self.dedup.insert(key, &p.fingerprint);
            dedup_time += clock.elapsed();
            let clock = std::time::Instant::now();
            if let Some(s) = record.story {
                touched.insert(s);
                self.note_story_member(s, &record, &p.features);
            }
            stories_time += clock.elapsed();
            new_docs.push(NewDoc {
                key,
                published_day: p.day,
                fingerprint: encode_fingerprint(&p.fingerprint),
                views: Some(p.views),
                entity_defs: p.entity_defs,
                record,
            });
        }

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
        self.store.write_batch(new_docs, &rows, &df_updates)?;
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

    /// Follows duplicate links to the canonical document.
    fn canonical_root(&self, mut key: u64) -> u64 {
        for _ in 0..16 {
            match self.docs.get(&key).and_then(|d| d.canonical) {
                Some(k) if k != key => key = k,
                _ => break,
            }
        }
        key
    }

    /// Normalized tokens of a stored (or same-batch) document, for word differences.
    fn tokens_of(&self, id: &str, batch: &[NewDoc]) -> Result<Vec<String>> {
        let body = match batch.iter().find(|d| d.record.id == id) {
            Some(NewDoc { views: Some(v), .. }) => {
                return Ok(v.body.norm_terms().map(str::to_string).collect())
            }
            Some(d) => d.record.article.body.clone(),
            None => self
                .store
                .doc(id)?
                .map(|d| d.article.body)
                .unwrap_or_default(),
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
            if let (Some(title), Some(centroid)) =
                (&doc.article.title, self.stories.centroid(story))
            {
                let score = title_fit(title, features, centroid);
                if score > meta.rep_score {
                    meta.rep_score = score;
                    r.title = Some(title.clone());
                    r.rep_doc = Some(doc.id.clone());
                }
            }
        }
    }
}

/// How well a document represents a story: cosine of its term counts with the story
/// centroid, with a small penalty for very long or very short titles.
fn title_fit<'a>(
    title: &str,
    features: &DocFeatures,
    centroid: impl Iterator<Item = (&'a str, f32)>,
) -> f64 {
    let centroid: rustc_hash::FxHashMap<&str, f32> = centroid.collect();
    let (mut dot, mut norm) = (0f64, 0f64);
    for (t, c) in &features.terms {
        let c = *c as f64;
        norm += c * c;
        if let Some(w) = centroid.get(t.as_str()) {
            dot += c * *w as f64;
        }
    }
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
/// shingle and minhash arrays as little-endian u32 with their lengths.
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
