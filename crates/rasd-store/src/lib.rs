//! rasd's embedded store: SQLite for records, Tantivy for search, both under one directory.
//!
//! ```text
//! DIR/rasd.sqlite   documents, stories, failures, metadata (schema migrations in `schema`)
//! DIR/index/        Tantivy index: normalized, stemmed and variant views of title and body
//! ```
//!
//! Writes are crash-safe: a batch of documents is committed to SQLite in one transaction
//! with `indexed = 0`, then added to the search index, which is committed, then marked
//! `indexed = 1`. Opening a store for writing re-indexes any document left at `indexed = 0`
//! by a crash (deleting its id from the index first), so kill -9 at any point loses nothing
//! that SQLite committed, and the index never shows a document twice.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let store = rasd_store::Store::open(dir.path()).unwrap();
//! assert_eq!(store.counts().unwrap().docs, 0);
//! ```

pub mod analyzers;
mod entities;
pub mod schema;
mod search;

pub use entities::{EntityDetail, EntityQuery, EntitySummary};
pub use search::*;

use std::path::{Path, PathBuf};

use rasd_types::{Article, DateEstimate, Entity, EntityMention, TimeExpression};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STORED,
    STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Errors from the store. Each carries enough to be shown as one line.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("store directory {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("store record is corrupt: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A stored document, as shown by `rasd doc` and exported: the extracted [`Article`]
/// (its fields appear at the top level in JSON) plus what dedup and clustering said of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocRecord {
    pub id: String,
    #[serde(flatten)]
    pub article: Article,
    /// Public id of the canonical copy when this document is a duplicate.
    pub duplicate_of: Option<String>,
    /// `exact`, `near` or `contained_in` when a duplicate.
    pub duplicate_kind: Option<String>,
    /// Similarity to the canonical copy when a duplicate.
    pub similarity: Option<f64>,
    /// A near copy whose differing words may change the facts.
    pub edited: bool,
    /// What differs from the canonical copy.
    pub differences: Vec<String>,
    pub story: Option<u64>,
    pub ingested_at: String,
    /// Named-entity mentions in the title and body (offsets into `title + "\n\n" + body`).
    #[serde(default)]
    pub entities: Vec<EntityMention>,
    /// Temporal expressions in the title and body (same offsets as `entities`).
    #[serde(default)]
    pub dates: Vec<TimeExpression>,
    /// A publication date estimated from the content when the page states none; never a fact.
    #[serde(default)]
    pub date_estimate: Option<DateEstimate>,
    /// Paragraphs this document shares with documents of other outlets that are not copies of
    /// it (syndicated content: kept in the body, and linked). A link is recorded on the
    /// document ingested later (on both when they arrive in the same batch).
    #[serde(default)]
    pub syndicated: Vec<SyndicatedLink>,
    /// Where the text came from, when the page names its source (`المصدر: X`, `نقلاً عن X`):
    /// its own outlet, the outlet it names, the outlet *that* one's copy names, and so on,
    /// each resolved to the document of its duplicate group published by that outlet when
    /// one was stored by the time it was ingested. Empty when the page names no source.
    #[serde(default)]
    pub provenance: Vec<ProvenanceLink>,
}

/// One step of a provenance chain: an outlet and, when stored, its copy of the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvenanceLink {
    pub outlet: String,
    /// Public id of the document of that outlet in the same duplicate group, if any.
    pub doc: Option<String>,
}

/// A paragraph a document shares with a document of another outlet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyndicatedLink {
    /// Index of the paragraph in this document's `paragraphs`.
    pub paragraph: usize,
    /// Public id of the other document.
    pub doc: String,
    /// Its outlet.
    pub outlet: Option<String>,
}

impl DocRecord {
    /// A record for a freshly extracted article: not (yet) a copy of anything, in no story.
    ///
    /// ```
    /// let d = rasd_store::DocRecord::new("00000000000000aa", Default::default(), "2026-01-01T00:00:00Z");
    /// assert!(d.duplicate_of.is_none() && d.story.is_none() && !d.edited);
    /// ```
    pub fn new(id: impl Into<String>, article: Article, ingested_at: impl Into<String>) -> Self {
        DocRecord {
            id: id.into(),
            article,
            duplicate_of: None,
            duplicate_kind: None,
            similarity: None,
            edited: false,
            differences: Vec::new(),
            story: None,
            ingested_at: ingested_at.into(),
            entities: Vec::new(),
            dates: Vec::new(),
            date_estimate: None,
            syndicated: Vec::new(),
            provenance: Vec::new(),
        }
    }
}

/// A document to write, with the opaque state the pipeline keeps for it.
#[derive(Debug, Clone)]
pub struct NewDoc {
    /// Internal numeric key; see [`Store::next_key`].
    pub key: u64,
    pub record: DocRecord,
    /// Days since 1970-01-01 of `record.published`, for ordering and filters.
    pub published_day: Option<i32>,
    pub fingerprint: Vec<u8>,
    /// The title and body already analyzed for the index ([`analyzers::DocViews::of`]),
    /// so that a pipeline can do it in parallel; `None` lets the index writer analyze them.
    pub views: Option<analyzers::DocViews>,
    /// Definitions of the canonical entities `record.entities` points to (stored once per id).
    pub entity_defs: Vec<Entity>,
}

/// A story as shown by `rasd stories` / `rasd story`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryRecord {
    pub id: u64,
    /// A representative headline.
    pub title: Option<String>,
    /// Public id of the representative document.
    pub rep_doc: Option<String>,
    /// Document ids, earliest first.
    pub docs: Vec<String>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub size: u64,
    pub outlets: Vec<String>,
    pub key_terms: Vec<String>,
}

/// A story to write, with the opaque clustering state.
#[derive(Debug, Clone)]
pub struct StoryRow {
    pub record: StoryRecord,
    /// How well the representative's title fits the story (higher is better).
    pub rep_score: f64,
    pub state: Vec<u8>,
}

/// What an ingest needs to know of a stored document to go on from where the last one stopped.
#[derive(Debug, Clone, Copy)]
pub struct DocState<'a> {
    pub key: u64,
    pub id: &'a str,
    pub story: Option<u64>,
    /// Internal key of the canonical copy when this document is a duplicate.
    pub canonical_key: Option<u64>,
    pub fingerprint: &'a [u8],
}

/// `(id, outlet, original_source)` of a member of a duplicate group: see
/// [`Store::group_sources`].
pub type GroupSource = (String, Option<String>, Option<String>);

/// Where a stored document stands in the pipeline: see [`Store::doc_link`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLink {
    pub id: String,
    pub story: Option<u64>,
    /// Internal key of the canonical copy when this document is a duplicate.
    pub canonical_key: Option<u64>,
    pub outlet: Option<String>,
}

/// Totals over the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub docs: u64,
    pub duplicates: u64,
    pub stories: u64,
    pub failures: u64,
}

/// The schema fields of the search index.
#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    title_norm: Field,
    body_norm: Field,
    title_stem: Field,
    body_stem: Field,
    title_variant: Field,
    body_variant: Field,
    is_duplicate: Field,
}

fn index_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Frequencies without positions: ranking needs tf, and no query uses positions yet
    // (phrase search would add them back to the norm fields, at a measured indexing cost).
    let text = |analyzer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    use analyzers::View;
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title_norm: b.add_text_field("title_norm", text(View::Norm.analyzer_name())),
        body_norm: b.add_text_field("body_norm", text(View::Norm.analyzer_name())),
        title_stem: b.add_text_field("title_stem", text(View::Stem.analyzer_name())),
        body_stem: b.add_text_field("body_stem", text(View::Stem.analyzer_name())),
        title_variant: b.add_text_field("title_variant", text(View::Variant.analyzer_name())),
        body_variant: b.add_text_field("body_variant", text(View::Variant.analyzer_name())),
        is_duplicate: b.add_u64_field("is_duplicate", NumericOptions::default().set_indexed()),
    };
    (b.build(), fields)
}

/// Page size of a new SQLite database.
const PAGE_SIZE: i64 = 16_384;

/// Tuning for [`Store::open_with`].
#[derive(Debug, Clone, Copy)]
pub struct StoreOptions {
    /// Threads the search index writer uses (1–8).
    pub index_threads: usize,
    /// Documents the search index may hold uncommitted before [`Store::write_batch`] commits
    /// it. Fewer commits mean fewer, larger segments and less merging (measured with
    /// `rasd bench`); until a commit, searches do not see the documents and SQLite keeps them
    /// at `indexed = 0`, so a crash loses nothing ([`Store::recover`] re-indexes them).
    /// [`Store::commit_index`] commits at once; dropping the store commits too.
    pub index_commit_docs: usize,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            index_threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
                .clamp(1, 4),
            index_commit_docs: 1,
        }
    }
}

/// The embedded store. Open one per process; SQLite serialises concurrent writers.
pub struct Store {
    dir: PathBuf,
    conn: Connection,
    index: Index,
    fields: Fields,
    reader: IndexReader,
    writer: Option<IndexWriter>,
    options: StoreOptions,
    /// Keys of documents added to the index writer but not committed yet.
    uncommitted: Vec<u64>,
}

const DOC_COLUMNS: &str = "id, source, url, title, published, modified, author, outlet, \
    original_source, lang, encoding, body, paragraphs, removed, evidence, duplicate_of, \
    duplicate_kind, similarity, edited, differences, story, ingested_at, entities, dates, \
    date_estimate, syndicated, provenance";

impl Store {
    /// Opens (creating if needed) the store in `dir` and applies pending migrations.
    pub fn open(dir: &Path) -> Result<Store> {
        Store::open_with(dir, StoreOptions::default())
    }

    /// [`Store::open`] with options.
    pub fn open_with(dir: &Path, options: StoreOptions) -> Result<Store> {
        let io = |source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let mut conn = Connection::open(dir.join("rasd.sqlite"))?;
        // 16 KiB pages for a new database (an existing one keeps its own): rows here are large
        // (bodies, story states of several KiB), and fewer overflow pages make ingest's writes
        // cheaper (`rasd bench --spine`: store step ~8% less). Must precede the switch to WAL.
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // WAL + NORMAL survives a killed process (not a power cut) without an fsync per commit.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Checkpoint the WAL every 4,000 pages (64 MB at 16 KiB) instead of 1,000: pages rewritten
        // by several batches (index b-trees, stories) are copied back to the database once
        // instead of each time.
        conn.pragma_update(None, "wal_autocheckpoint", 4000)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        schema::migrate(&mut conn)?;

        let index_dir = dir.join("index");
        std::fs::create_dir_all(&index_dir).map_err(io)?;
        let (schema, fields) = index_schema();
        let mmap = tantivy::directory::MmapDirectory::open(&index_dir)
            .map_err(|e| StoreError::Corrupt(format!("index directory: {e}")))?;
        let index = Index::open_or_create(mmap, schema)?;
        analyzers::register(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Store {
            dir: dir.to_path_buf(),
            conn,
            index,
            fields,
            reader,
            writer: None,
            options,
            uncommitted: Vec::new(),
        })
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn writer(&mut self) -> Result<&mut IndexWriter> {
        if self.writer.is_none() {
            let threads = self.options.index_threads.clamp(1, 8);
            let w = self
                .index
                .writer_with_num_threads(threads, 64_000_000 * threads)?;
            self.writer = Some(w);
        }
        match self.writer.as_mut() {
            Some(w) => Ok(w),
            None => Err(StoreError::Corrupt("index writer unavailable".into())),
        }
    }

    /// Re-indexes documents that SQLite committed but the search index did not
    /// (a crash between the two commits). Returns how many were repaired.
    pub fn recover(&mut self) -> Result<usize> {
        let keys: Vec<u64> = {
            let mut st = self
                .conn
                .prepare("SELECT key FROM docs WHERE indexed = 0 ORDER BY key")?;
            let rows = st.query_map([], |r| r.get::<_, i64>(0))?;
            rows.collect::<rusqlite::Result<Vec<i64>>>()?
                .into_iter()
                .map(|k| k as u64)
                .collect()
        };
        if keys.is_empty() {
            return Ok(0);
        }
        for chunk in keys.chunks(1000) {
            let mut docs = Vec::with_capacity(chunk.len());
            for &k in chunk {
                if let Some(d) = self.doc_by_key(k)? {
                    docs.push((k, d));
                }
            }
            let fields = self.fields;
            let w = self.writer()?;
            for (_, d) in &docs {
                w.delete_term(Term::from_field_text(fields.id, &d.id));
                w.add_document(index_document(fields, d, None))?;
            }
            w.commit()?;
            let tx = self.conn.transaction()?;
            for (k, _) in &docs {
                tx.execute("UPDATE docs SET indexed = 1 WHERE key = ?1", [*k as i64])?;
            }
            tx.commit()?;
        }
        self.reader.reload()?;
        Ok(keys.len())
    }

    /// The next free internal document key.
    pub fn next_key(&self) -> Result<u64> {
        let k: Option<i64> = self
            .conn
            .query_row("SELECT max(key) FROM docs", [], |r| r.get(0))?;
        Ok(k.map(|k| k as u64 + 1).unwrap_or(1))
    }

    /// The next free story id.
    pub fn next_story_id(&self) -> Result<u64> {
        let k: Option<i64> = self
            .conn
            .query_row("SELECT max(id) FROM stories", [], |r| r.get(0))?;
        Ok(k.map(|k| k as u64 + 1).unwrap_or(1))
    }

    /// Whether a document with this public id is stored.
    pub fn contains(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM docs WHERE id = ?1", [id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Writes a batch of documents, the stories they touched and the new document
    /// frequencies of their terms, crash-safely (see the crate docs).
    pub fn write_batch(
        &mut self,
        docs: Vec<NewDoc>,
        stories: &[StoryRow],
        df_updates: &[(String, u32)],
    ) -> Result<()> {
        self.write_batch_with(docs, stories, df_updates, |_| Ok(()))
    }

    /// [`Store::write_batch`], with `also` writing a stage's own rows (the duplicate index's
    /// tables, say; see [`Store::sqlite`]) in the same transaction, so that a crash keeps both or
    /// neither.
    pub fn write_batch_with(
        &mut self,
        docs: Vec<NewDoc>,
        stories: &[StoryRow],
        df_updates: &[(String, u32)],
        also: impl FnOnce(&Connection) -> rusqlite::Result<()>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        also(&tx)?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT OR IGNORE INTO docs (key, id, source, url, title, published, published_day, \
                 modified, author, outlet, original_source, lang, encoding, body, paragraphs, removed, \
                 evidence, duplicate_of, duplicate_kind, similarity, edited, differences, story, \
                 fingerprint, ingested_at, entities, dates, date_estimate, syndicated, provenance, indexed) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
                 ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, 0)",
            )?;
            let mut mention = tx.prepare_cached(
                "INSERT INTO mentions (doc_key, doc_id, entity, start, end, text, mention_kind, story, \
                 day, canonical) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let mut entity = tx.prepare_cached(
                "INSERT INTO entities (id, type, name, aliases, geonames_id, lat, lon) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO NOTHING",
            )?;
            for d in &docs {
                let r = &d.record;
                let inserted = ins.execute(params![
                    d.key as i64,
                    r.id,
                    r.article.source,
                    r.article.url,
                    r.article.title,
                    r.article.published,
                    d.published_day,
                    r.article.modified,
                    r.article.author,
                    r.article.outlet,
                    r.article.original_source,
                    r.article.lang,
                    r.article.encoding,
                    r.article.body,
                    paragraphs_column(&r.article.body, &r.article.paragraphs),
                    to_json(&r.article.removed),
                    to_json(&r.article.evidence),
                    r.duplicate_of,
                    r.duplicate_kind,
                    r.similarity,
                    r.edited as i64,
                    to_json(&r.differences),
                    r.story.map(|s| s as i64),
                    (!d.fingerprint.is_empty()).then_some(&d.fingerprint),
                    r.ingested_at,
                    to_json(&r.entities),
                    to_json(&r.dates),
                    r.date_estimate.as_ref().map(to_json),
                    to_json(&r.syndicated),
                    to_json(&r.provenance),
                ])?;
                if inserted == 0 {
                    continue; // already stored: its mentions are too
                }
                for m in &r.entities {
                    mention.execute(params![
                        d.key as i64,
                        r.id,
                        m.canonical,
                        m.start as i64,
                        m.end as i64,
                        m.text,
                        mention_kind_str(m.mention),
                        r.story.map(|s| s as i64),
                        d.published_day,
                        r.duplicate_of.is_none() as i64,
                    ])?;
                }
                for e in &d.entity_defs {
                    entity.execute(params![
                        e.id,
                        e.kind.as_str(),
                        e.name,
                        to_json(&e.aliases),
                        e.geonames_id.map(|g| g as i64),
                        e.lat,
                        e.lon,
                    ])?;
                }
            }
            let mut up = tx.prepare_cached(
                "INSERT INTO stories (id, title, rep_doc, first_seen, last_seen, size, outlets, key_terms, rep_score, state) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(id) DO UPDATE SET \
                 title = excluded.title, rep_doc = excluded.rep_doc, first_seen = excluded.first_seen, \
                 last_seen = excluded.last_seen, size = excluded.size, outlets = excluded.outlets, \
                 key_terms = excluded.key_terms, rep_score = excluded.rep_score, state = excluded.state",
            )?;
            for s in stories {
                let r = &s.record;
                up.execute(params![
                    r.id as i64,
                    r.title,
                    r.rep_doc,
                    r.first_seen,
                    r.last_seen,
                    r.size as i64,
                    to_json(&r.outlets),
                    to_json(&r.key_terms),
                    s.rep_score,
                    s.state,
                ])?;
            }
            let mut df = tx.prepare_cached(
                "INSERT INTO df (term, n) VALUES (?1, ?2) ON CONFLICT(term) DO UPDATE SET n = excluded.n",
            )?;
            for (term, n) in df_updates {
                df.execute(params![term, *n as i64])?;
            }
        }
        tx.commit()?;

        if docs.is_empty() {
            return Ok(());
        }
        let fields = self.fields;
        let keys: Vec<u64> = docs.iter().map(|d| d.key).collect();
        let w = self.writer()?;
        for d in docs {
            w.delete_term(Term::from_field_text(fields.id, &d.record.id));
            w.add_document(index_document(fields, &d.record, d.views))?;
        }
        self.uncommitted.extend(keys);
        if self.uncommitted.len() >= self.options.index_commit_docs.max(1) {
            self.commit_index()?;
        }
        Ok(())
    }

    /// Sets [`StoreOptions::index_commit_docs`] for the writes that follow.
    pub fn set_index_commit_docs(&mut self, docs: usize) {
        self.options.index_commit_docs = docs.max(1);
    }

    /// Commits the documents added to the search index since the last commit, marks them
    /// indexed, and makes them visible to searches. Cheap when there is nothing to commit.
    pub fn commit_index(&mut self) -> Result<()> {
        if self.uncommitted.is_empty() {
            return Ok(());
        }
        self.writer()?.commit()?;
        let keys = std::mem::take(&mut self.uncommitted);
        let tx = self.conn.transaction()?;
        {
            let mut st = tx.prepare_cached("UPDATE docs SET indexed = 1 WHERE key = ?1")?;
            for k in keys {
                st.execute([k as i64])?;
            }
        }
        tx.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Records an input that could not be ingested.
    pub fn record_failure(&self, source: &str, reason: &str, at: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO failures (source, reason, at) VALUES (?1, ?2, ?3)",
            params![source, reason, at],
        )?;
        Ok(())
    }

    /// Totals over the store.
    pub fn counts(&self) -> Result<Counts> {
        let one = |sql: &str| -> Result<u64> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(Counts {
            docs: one("SELECT count(*) FROM docs")?,
            duplicates: one("SELECT count(*) FROM docs WHERE duplicate_of IS NOT NULL")?,
            stories: one("SELECT count(*) FROM stories")?,
            failures: one("SELECT count(*) FROM failures")?,
        })
    }

    /// All documents, ordered by publication date (unknown last), then ingestion order.
    pub fn docs(&self) -> Result<Vec<DocRecord>> {
        self.query_docs(
            &format!(
                "SELECT {DOC_COLUMNS} FROM docs ORDER BY published_day IS NULL, published_day, key"
            ),
            [],
        )
    }

    /// One document by public id.
    pub fn doc(&self, id: &str) -> Result<Option<DocRecord>> {
        Ok(self
            .query_docs(
                &format!("SELECT {DOC_COLUMNS} FROM docs WHERE id = ?1"),
                [id],
            )?
            .into_iter()
            .next())
    }

    fn doc_by_key(&self, key: u64) -> Result<Option<DocRecord>> {
        Ok(self
            .query_docs(
                &format!("SELECT {DOC_COLUMNS} FROM docs WHERE key = ?1"),
                [key as i64],
            )?
            .into_iter()
            .next())
    }

    /// Documents of a story, earliest first.
    pub fn story_docs(&self, story: u64) -> Result<Vec<DocRecord>> {
        self.query_docs(
            &format!(
                "SELECT {DOC_COLUMNS} FROM docs WHERE story = ?1 \
                 ORDER BY published_day IS NULL, published_day, key"
            ),
            [story as i64],
        )
    }

    fn query_docs<P: rusqlite::Params>(&self, sql: &str, p: P) -> Result<Vec<DocRecord>> {
        let mut st = self.conn.prepare_cached(sql)?;
        let rows = st.query_map(p, |r| {
            Ok((
                DocRecord {
                    id: r.get(0)?,
                    article: Article {
                        source: r.get(1)?,
                        url: r.get(2)?,
                        title: r.get(3)?,
                        published: r.get(4)?,
                        modified: r.get(5)?,
                        author: r.get(6)?,
                        outlet: r.get(7)?,
                        original_source: r.get(8)?,
                        lang: r.get(9)?,
                        encoding: r.get(10)?,
                        body: r.get(11)?,
                        paragraphs: Vec::new(),
                        removed: Vec::new(),
                        evidence: Vec::new(),
                    },
                    duplicate_of: r.get(15)?,
                    duplicate_kind: r.get(16)?,
                    similarity: r.get(17)?,
                    edited: r.get::<_, i64>(18)? != 0,
                    differences: Vec::new(),
                    story: r.get::<_, Option<i64>>(20)?.map(|s| s as u64),
                    ingested_at: r.get(21)?,
                    entities: Vec::new(),
                    dates: Vec::new(),
                    date_estimate: None,
                    syndicated: Vec::new(),
                    provenance: Vec::new(),
                },
                [
                    r.get::<_, String>(12)?,
                    r.get::<_, String>(13)?,
                    r.get::<_, String>(14)?,
                    r.get::<_, String>(19)?,
                    r.get::<_, String>(22)?,
                    r.get::<_, String>(23)?,
                    r.get::<_, String>(25)?,
                    r.get::<_, String>(26)?,
                ],
                r.get::<_, Option<String>>(24)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                mut d,
                [paragraphs, removed, evidence, differences, entities, dates, syndicated, provenance],
                estimate,
            ) = row?;
            d.article.paragraphs = paragraphs_from_column(&d.article.body, &paragraphs)?;
            d.article.removed = from_json(&removed, "removed")?;
            d.article.evidence = from_json(&evidence, "evidence")?;
            d.differences = from_json(&differences, "differences")?;
            d.entities = from_json(&entities, "entities")?;
            d.dates = from_json(&dates, "dates")?;
            d.syndicated = from_json(&syndicated, "syndicated")?;
            d.provenance = from_json(&provenance, "provenance")?;
            d.date_estimate = match estimate {
                Some(e) => Some(from_json(&e, "date_estimate")?),
                None => None,
            };
            out.push(d);
        }
        Ok(out)
    }

    /// All stories, most recent (by last publication date) first, then largest.
    pub fn stories(&self) -> Result<Vec<StoryRecord>> {
        self.query_stories(
            "SELECT id, title, rep_doc, first_seen, last_seen, size, outlets, key_terms FROM stories \
             ORDER BY last_seen IS NULL, last_seen DESC, size DESC, id",
            [],
        )
    }

    /// One story by id.
    pub fn story(&self, id: u64) -> Result<Option<StoryRecord>> {
        Ok(self
            .query_stories(
                "SELECT id, title, rep_doc, first_seen, last_seen, size, outlets, key_terms FROM stories WHERE id = ?1",
                [id as i64],
            )?
            .into_iter()
            .next())
    }

    fn query_stories<P: rusqlite::Params>(&self, sql: &str, p: P) -> Result<Vec<StoryRecord>> {
        let mut st = self.conn.prepare_cached(sql)?;
        let rows = st.query_map(p, story_from_row)?;
        let mut out = Vec::new();
        for row in rows {
            let (mut s, outlets, key_terms) = row?;
            s.outlets = from_json(&outlets, "outlets")?;
            s.key_terms = from_json(&key_terms, "key_terms")?;
            out.push(s);
        }
        let mut ids = self.conn.prepare_cached(
            "SELECT id FROM docs WHERE story = ?1 ORDER BY published_day IS NULL, published_day, key",
        )?;
        for s in &mut out {
            let rows = ids.query_map([s.id as i64], |r| r.get::<_, String>(0))?;
            s.docs = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        }
        Ok(out)
    }

    /// The outlet and named source of the canonical document `root` and of every stored copy
    /// of it: `(id, outlet, original_source)`, the canonical one first.
    pub fn group_sources(&self, root: &str) -> Result<Vec<GroupSource>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, outlet, original_source FROM docs WHERE id = ?1 OR duplicate_of = ?1 \
             ORDER BY id <> ?1, key",
        )?;
        let rows = st.query_map([root], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The SQLite database under the store, for stages that keep their own tables in it (the
    /// duplicate index's band rows, say), created with their own idempotent DDL and written with
    /// [`Store::write_batch_with`].
    pub fn sqlite(&self) -> &Connection {
        &self.conn
    }

    /// The body text of the document stored under the public id `id`, without reading the rest of
    /// its record (the duplicate step compares a copy with its canonical text).
    pub fn doc_body(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT body FROM docs WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// The pipeline state of the document stored under `key`: its id, story and the key of
    /// the canonical copy it duplicates. `None` when no document has that key.
    pub fn doc_link(&self, key: u64) -> Result<Option<DocLink>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT d.id, d.story, c.key, d.outlet FROM docs d \
                 LEFT JOIN docs c ON c.id = d.duplicate_of WHERE d.key = ?1",
            )?
            .query_row([key as i64], |r| {
                Ok(DocLink {
                    id: r.get(0)?,
                    story: r.get::<_, Option<i64>>(1)?.map(|s| s as u64),
                    canonical_key: r.get::<_, Option<i64>>(2)?.map(|k| k as u64),
                    outlet: r.get(3)?,
                })
            })
            .optional()?)
    }

    /// Visits the pipeline state of every document in key order. Used to restore the
    /// dedup index and the document → story map when an ingest starts.
    pub fn for_each_doc_state(&self, mut f: impl FnMut(DocState<'_>)) -> Result<()> {
        let mut st = self.conn.prepare(
            "SELECT d.key, d.id, d.story, c.key, d.fingerprint \
             FROM docs d LEFT JOIN docs c ON c.id = d.duplicate_of ORDER BY d.key",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let fp: Option<Vec<u8>> = r.get(4)?;
            f(DocState {
                key: r.get::<_, i64>(0)? as u64,
                id: &r.get::<_, String>(1)?,
                story: r.get::<_, Option<i64>>(2)?.map(|s| s as u64),
                canonical_key: r.get::<_, Option<i64>>(3)?.map(|k| k as u64),
                fingerprint: fp.as_deref().unwrap_or(&[]),
            });
        }
        Ok(())
    }

    /// The document frequency table: (term, n).
    pub fn df(&self) -> Result<Vec<(String, u32)>> {
        let mut st = self.conn.prepare("SELECT term, n FROM df")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u32)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every story as a [`StoryRow`] (without its `docs` list), in id order: what an ingest
    /// restores its clustering state from.
    pub fn story_rows(&self) -> Result<Vec<StoryRow>> {
        let mut st = self.conn.prepare(
            "SELECT id, title, rep_doc, first_seen, last_seen, size, outlets, key_terms, rep_score, state \
             FROM stories ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            let (record, outlets, key_terms) = story_from_row(r)?;
            Ok((
                record,
                outlets,
                key_terms,
                r.get::<_, f64>(8)?,
                r.get::<_, Vec<u8>>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut record, outlets, key_terms, rep_score, state) = row?;
            record.outlets = from_json(&outlets, "outlets")?;
            record.key_terms = from_json(&key_terms, "key_terms")?;
            out.push(StoryRow {
                record,
                rep_score,
                state,
            });
        }
        Ok(out)
    }

    /// A metadata value.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Sets a metadata value.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Number of documents the search index holds (for checks).
    pub fn indexed_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

impl Drop for Store {
    /// Commits what the index holds uncommitted; on failure the documents stay at
    /// `indexed = 0` and the next [`Store::recover`] indexes them.
    fn drop(&mut self) {
        let _ = self.commit_index();
    }
}

/// A story from a row whose first eight columns are `id, title, rep_doc, first_seen,
/// last_seen, size, outlets, key_terms`; the two JSON lists come back unparsed.
fn story_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(StoryRecord, String, String)> {
    Ok((
        StoryRecord {
            id: r.get::<_, i64>(0)? as u64,
            title: r.get(1)?,
            rep_doc: r.get(2)?,
            docs: Vec::new(),
            first_seen: r.get(3)?,
            last_seen: r.get(4)?,
            size: r.get::<_, i64>(5)? as u64,
            outlets: Vec::new(),
            key_terms: Vec::new(),
        },
        r.get(6)?,
        r.get(7)?,
    ))
}

fn index_document(f: Fields, d: &DocRecord, views: Option<analyzers::DocViews>) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &d.id);
    let title = d.article.title.as_deref().unwrap_or("");
    let v = views.unwrap_or_else(|| analyzers::DocViews::of(title, &d.article.body));
    doc.add_text(f.title_norm, &v.title.norm);
    doc.add_text(f.title_stem, &v.title.stem);
    doc.add_text(f.title_variant, &v.title.variant);
    doc.add_text(f.body_norm, &v.body.norm);
    doc.add_text(f.body_stem, &v.body.stem);
    doc.add_text(f.body_variant, &v.body.variant);
    doc.add_u64(f.is_duplicate, d.duplicate_of.is_some() as u64);
    doc
}

/// The ISO day (`YYYY-MM-DD`) of a count of days since 1970-01-01 (proleptic Gregorian).
///
/// ```
/// assert_eq!(rasd_store::day_to_iso(0).as_deref(), Some("1970-01-01"));
/// assert_eq!(rasd_store::day_to_iso(17327).as_deref(), Some("2017-06-10"));
/// ```
pub fn day_to_iso(days: i32) -> Option<String> {
    // Howard Hinnant's civil_from_days.
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (0..=9999)
        .contains(&y)
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// The `paragraphs` column: empty when the paragraphs are the body split at blank lines (what
/// extraction produces), which spares storing and escaping the text twice; JSON otherwise.
fn paragraphs_column(body: &str, paragraphs: &[String]) -> String {
    let split = !body.is_empty() && body.split("\n\n").eq(paragraphs.iter().map(String::as_str));
    if split {
        String::new()
    } else {
        to_json(&paragraphs)
    }
}

/// Reads the `paragraphs` column written by [`paragraphs_column`].
fn paragraphs_from_column(body: &str, column: &str) -> Result<Vec<String>> {
    if column.is_empty() {
        Ok(body.split("\n\n").map(str::to_string).collect())
    } else {
        from_json(column, "paragraphs")
    }
}

fn mention_kind_str(k: rasd_types::MentionKind) -> &'static str {
    match k {
        rasd_types::MentionKind::Name => "name",
        rasd_types::MentionKind::Adjective => "adjective",
    }
}

fn to_json<T: Serialize>(v: &T) -> String {
    // Serializing plain strings and structs of strings cannot fail.
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_string())
}

fn from_json<T: for<'de> Deserialize<'de>>(s: &str, what: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn paragraphs_are_stored_once_when_the_body_holds_them() {
        let cases: [(&str, Vec<&str>, bool); 5] = [
            ("أ\n\nب", vec!["أ", "ب"], true),
            ("أ", vec!["أ"], true),
            ("أ\n\nب", vec!["أ\n\nب"], false),
            ("أ ب", vec!["أ", "ب"], false),
            ("", vec![], false),
        ];
        for (body, paras, compact) in cases {
            let paras: Vec<String> = paras.into_iter().map(String::from).collect();
            let col = super::paragraphs_column(body, &paras);
            assert_eq!(col.is_empty(), compact, "{body:?} {paras:?}");
            assert_eq!(super::paragraphs_from_column(body, &col).unwrap(), paras);
        }
    }

    #[test]
    fn days_convert_to_iso_dates_and_back_out_of_range_is_none() {
        assert_eq!(super::day_to_iso(-1).as_deref(), Some("1969-12-31"));
        assert_eq!(super::day_to_iso(19_000).as_deref(), Some("2022-01-08"));
        assert_eq!(super::day_to_iso(11_016).as_deref(), Some("2000-02-29"));
        assert_eq!(super::day_to_iso(i32::MAX), None);
    }
}
