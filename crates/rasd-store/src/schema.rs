//! SQLite schema and its migrations.
//!
//! Migrations are an ordered list of SQL scripts; `PRAGMA user_version` records how many
//! have been applied. Add a migration by appending to [`MIGRATIONS`]; never edit a released one.

use rusqlite::Connection;

/// Ordered schema migrations. Index `i` brings the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // v1: documents, stories, ingest failures, key/value metadata.
    r#"
    CREATE TABLE docs (
        key             INTEGER PRIMARY KEY,          -- internal numeric key (dedup/story indexes)
        id              TEXT NOT NULL UNIQUE,         -- public id: 16 hex digits of a hash of source + bytes
        source          TEXT NOT NULL,                -- path or URL as given
        url             TEXT,
        title           TEXT,
        published       TEXT,                         -- ISO 8601 or NULL
        published_day   INTEGER,                      -- days since 1970-01-01, for ordering and filters
        modified        TEXT,
        author          TEXT,
        outlet          TEXT,
        original_source TEXT,
        lang            TEXT,
        encoding        TEXT NOT NULL,
        body            TEXT NOT NULL,
        paragraphs      TEXT NOT NULL,                -- JSON array of strings
        removed         TEXT NOT NULL,                -- JSON array of {kind, text}
        evidence        TEXT NOT NULL,                -- JSON array of {field, value, from}
        duplicate_of    TEXT,                         -- public id of the canonical copy, or NULL
        duplicate_kind  TEXT,                         -- exact | near | contained_in
        similarity      REAL,                         -- to the canonical copy
        edited          INTEGER NOT NULL DEFAULT 0,   -- near-copy that differs in words that may change facts
        differences     TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
        story           INTEGER,
        fingerprint     BLOB,                         -- dedup fingerprint (opaque to the store)
        ingested_at     TEXT NOT NULL,
        indexed         INTEGER NOT NULL DEFAULT 0    -- 1 once the search index has committed it
    );
    CREATE INDEX docs_story ON docs(story);
    CREATE INDEX docs_unindexed ON docs(indexed) WHERE indexed = 0;
    CREATE INDEX docs_duplicate_of ON docs(duplicate_of);

    CREATE TABLE stories (
        id          INTEGER PRIMARY KEY,
        title       TEXT,                 -- representative headline
        rep_doc     TEXT,                 -- public id of the representative document
        first_seen  TEXT,
        last_seen   TEXT,
        size        INTEGER NOT NULL,
        outlets     TEXT NOT NULL,        -- JSON array
        key_terms   TEXT NOT NULL,        -- JSON array
        rep_score   REAL NOT NULL DEFAULT 0, -- how well the representative's title fits the story
        state       BLOB NOT NULL         -- clustering state (opaque to the store)
    );

    -- Document frequencies of story terms over canonical documents (clustering idf).
    CREATE TABLE df (
        term TEXT PRIMARY KEY,
        n    INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE failures (
        source  TEXT NOT NULL,
        reason  TEXT NOT NULL,
        at      TEXT NOT NULL
    );

    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    "#,
    // v2: entities and their mentions, temporal expressions, content-based date estimates.
    // (Also since v2, docs.paragraphs is '' when the paragraphs are the body split at blank lines.)
    r#"
    ALTER TABLE docs ADD COLUMN entities TEXT NOT NULL DEFAULT '[]';  -- JSON array of EntityMention
    ALTER TABLE docs ADD COLUMN dates TEXT NOT NULL DEFAULT '[]';     -- JSON array of TimeExpression
    ALTER TABLE docs ADD COLUMN date_estimate TEXT;                   -- JSON DateEstimate, never a stated date

    -- Canonical entities: what the tagger's canonical ids stand for.
    CREATE TABLE entities (
        id          TEXT PRIMARY KEY,
        type        TEXT NOT NULL,        -- PER | ORG | LOC | MISC
        name        TEXT NOT NULL,
        aliases     TEXT NOT NULL,        -- JSON array: names known for it (gazetteer, alias tables)
        geonames_id INTEGER,
        lat         REAL,
        lon         REAL
    ) WITHOUT ROWID;

    -- One row per mention: the aggregate view of docs.entities (counts, timelines, filters).
    CREATE TABLE mentions (
        doc_key      INTEGER NOT NULL,
        doc_id       TEXT NOT NULL,
        entity       TEXT NOT NULL,
        start        INTEGER NOT NULL,
        end          INTEGER NOT NULL,
        text         TEXT NOT NULL,
        mention_kind TEXT NOT NULL,       -- name | adjective
        story        INTEGER,
        day          INTEGER,             -- the document's published day (days since 1970-01-01)
        canonical    INTEGER NOT NULL     -- 1 when the document is not a copy of another
    );
    CREATE INDEX mentions_entity ON mentions(entity, day);
    CREATE INDEX mentions_doc ON mentions(doc_id);
    CREATE INDEX mentions_story ON mentions(story, entity);
    "#,
    // v3: links to documents of other outlets that carry the same paragraphs (syndication), and
    // the provenance chain a page states (المصدر: X، نقلاً عن X) resolved through its copies.
    // (Also since v3, fingerprints live in the duplicate index's own tables, created by the
    // pipeline; docs.fingerprint is NULL for new documents.)
    r#"
    ALTER TABLE docs ADD COLUMN syndicated TEXT NOT NULL DEFAULT '[]';  -- JSON array of SyndicatedLink
    ALTER TABLE docs ADD COLUMN provenance TEXT NOT NULL DEFAULT '[]';  -- JSON array of ProvenanceLink
    "#,
];

/// Applies the migrations that `conn` has not seen yet, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<u32> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as u32)?;
        tx.commit()?;
    }
    Ok(MIGRATIONS.len() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_and_record_the_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), MIGRATIONS.len() as u32);
        // Second run is a no-op, not an error ("table docs already exists").
        assert_eq!(migrate(&mut conn).unwrap(), MIGRATIONS.len() as u32);
        let v: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATIONS.len() as u32);
        let n: i64 = conn
            .query_row("SELECT count(*) FROM docs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
}
