//! The duplicate index on disk, in SQLite: LSH band rows and fingerprints in two tables, so that
//! a store of millions of documents keeps none of it in RAM and adding documents rebuilds
//! nothing. The functions take a `&rusqlite::Connection` (a `Transaction` derefs to one), so the
//! store can put the tables in its own database and write them inside its own transaction.
//!
//! Lookups find exact and near duplicates (LSH candidates verified by the exact Jaccard of the
//! stored shingle sets, like [`DedupIndex`](crate::DedupIndex)); containment is left to the
//! in-memory index.
//!
//! ```
//! use rasd_dedup::{fingerprint, store, DedupConfig, MatchKind};
//!
//! let conn = rusqlite::Connection::open_in_memory().unwrap();
//! conn.execute_batch(store::DDL).unwrap();
//! let cfg = DedupConfig::default();
//! let words: Vec<String> = (0..80).map(|i| format!("كلمة{i}")).collect();
//! let a: Vec<&str> = words.iter().map(String::as_str).collect();
//! let mut b = a.clone();
//! b[10] = "تعديل";
//! let tx = conn.unchecked_transaction().unwrap();
//! store::insert(&tx, 1, &fingerprint(&a, &cfg), &cfg).unwrap();
//! tx.commit().unwrap();
//! let found = store::find(&conn, &fingerprint(&b, &cfg), &cfg).unwrap();
//! assert_eq!((found[0].id, found[0].kind), (1, MatchKind::Near));
//! ```

use rusqlite::{params, Connection, OptionalExtension};

use crate::{band_keys_of, jaccard, minhash_with, permutations, DedupConfig, Fingerprint};
use crate::{Match, MatchKind};

/// The tables (idempotent DDL): `dedup_band` (band, key, doc) and `dedup_fp` (doc, exact hash,
/// token count, shingles as little-endian `u32`s; `banded` = 0 with the band keys in `bands`
/// while a document's band rows are deferred, see [`insert_unbanded`]).
pub const DDL: &str = "\
CREATE TABLE IF NOT EXISTS dedup_band (
    band INTEGER NOT NULL,
    key  INTEGER NOT NULL,
    doc  INTEGER NOT NULL,
    PRIMARY KEY (band, key, doc)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dedup_fp (
    doc      INTEGER PRIMARY KEY,
    exact    INTEGER NOT NULL,
    tokens   INTEGER NOT NULL,
    shingles BLOB NOT NULL,
    banded   INTEGER NOT NULL DEFAULT 1,
    bands    BLOB
);
CREATE INDEX IF NOT EXISTS dedup_fp_exact ON dedup_fp (exact);
CREATE INDEX IF NOT EXISTS dedup_fp_unbanded ON dedup_fp (doc) WHERE banded = 0;
";

/// SQLite integers are signed: ids and hashes are stored as their two's-complement `i64`.
fn to_sql(v: u64) -> i64 {
    v as i64
}

fn from_sql(v: i64) -> u64 {
    v as u64
}

fn encode(shingles: &[u32]) -> Vec<u8> {
    shingles.iter().flat_map(|s| s.to_le_bytes()).collect()
}

fn decode(blob: &[u8]) -> Vec<u32> {
    blob.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

fn sorted(shingles: &[u32]) -> Vec<u32> {
    let mut v = shingles.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

/// The LSH band keys of a fingerprint under `cfg` (the signature is recomputed when the stored
/// one does not fit the configuration).
fn keys(fp: &Fingerprint, shingles: &[u32], cfg: &DedupConfig) -> Vec<u32> {
    let n = cfg.num_perm();
    let sig = if fp.minhash.len() == n {
        fp.minhash.clone()
    } else {
        minhash_with(shingles, &permutations(n))
    };
    band_keys_of(&sig, cfg.rows, cfg.bands.max(1))
}

/// Stores `fp` under `doc` (replacing what `doc` had). Documents shorter than
/// `cfg.min_tokens` get no band rows (they match exactly only), like in the in-memory index.
pub fn insert(
    conn: &Connection,
    doc: u64,
    fp: &Fingerprint,
    cfg: &DedupConfig,
) -> rusqlite::Result<()> {
    remove_with(conn, doc, cfg)?;
    let shingles = sorted(&fp.shingles);
    if shingles.is_empty() {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO dedup_fp (doc, exact, tokens, shingles) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        to_sql(doc),
        to_sql(fp.exact),
        i64::try_from(fp.tokens).unwrap_or(i64::MAX),
        encode(&shingles)
    ])?;
    if fp.tokens >= cfg.min_tokens {
        let mut ins = conn.prepare_cached(
            "INSERT OR IGNORE INTO dedup_band (band, key, doc) VALUES (?1, ?2, ?3)",
        )?;
        for (b, key) in keys(fp, &shingles, cfg).into_iter().enumerate() {
            ins.execute(params![b as i64, i64::from(key), to_sql(doc)])?;
        }
    }
    Ok(())
}

/// Stores a batch of documents that are not stored yet (new ids, as an ingest assigns them),
/// faster than [`insert`] one by one: no look-up of what an id held before, and the band rows
/// are written in key order, so that consecutive inserts touch neighbouring B-tree pages.
/// An id that is stored already has its fingerprint row replaced and keeps its old band rows;
/// use [`insert`] to replace a document.
///
/// ```
/// use rasd_dedup::{fingerprint, store, DedupConfig};
///
/// let conn = rusqlite::Connection::open_in_memory().unwrap();
/// conn.execute_batch(store::DDL).unwrap();
/// let cfg = DedupConfig::default();
/// let words: Vec<String> = (0..60).map(|i| format!("كلمة{i}")).collect();
/// let a: Vec<&str> = words.iter().map(String::as_str).collect();
/// let fp = fingerprint(&a, &cfg);
/// store::insert_new(&conn, &[(7, &fp)], &cfg).unwrap();
/// assert_eq!(store::len(&conn).unwrap(), 1);
/// assert_eq!(store::find(&conn, &fp, &cfg).unwrap()[0].id, 7);
/// ```
pub fn insert_new(
    conn: &Connection,
    docs: &[(u64, &Fingerprint)],
    cfg: &DedupConfig,
) -> rusqlite::Result<()> {
    let mut fp_rows = conn.prepare_cached(
        "INSERT OR REPLACE INTO dedup_fp (doc, exact, tokens, shingles) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut bands: Vec<(u32, u32, u64)> = Vec::new();
    for &(doc, fp) in docs {
        let shingles = sorted(&fp.shingles);
        if shingles.is_empty() {
            continue;
        }
        fp_rows.execute(params![
            to_sql(doc),
            to_sql(fp.exact),
            i64::try_from(fp.tokens).unwrap_or(i64::MAX),
            encode(&shingles)
        ])?;
        if fp.tokens >= cfg.min_tokens {
            for (b, key) in keys(fp, &shingles, cfg).into_iter().enumerate() {
                bands.push((b as u32, key, doc));
            }
        }
    }
    bands.sort_unstable();
    let mut ins = conn
        .prepare_cached("INSERT OR IGNORE INTO dedup_band (band, key, doc) VALUES (?1, ?2, ?3)")?;
    for (b, key, doc) in bands {
        ins.execute(params![i64::from(b), i64::from(key), to_sql(doc)])?;
    }
    Ok(())
}

/// The `limit` stored documents with the highest ids (the most recently ingested, when ids grow
/// with time), highest first, as fingerprints without a MinHash signature (an index recomputes
/// it from the shingles): what a pipeline loads to warm a bounded in-memory window. Ids order as
/// SQLite's signed integers (an id above `i64::MAX` counts as negative).
pub fn recent(conn: &Connection, limit: usize) -> rusqlite::Result<Vec<(u64, Fingerprint)>> {
    let mut st = conn.prepare_cached(
        "SELECT doc, exact, tokens, shingles FROM dedup_fp ORDER BY doc DESC LIMIT ?1",
    )?;
    let rows = st.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
        let blob: Vec<u8> = r.get(3)?;
        Ok((
            from_sql(r.get(0)?),
            Fingerprint {
                exact: from_sql(r.get(1)?),
                tokens: usize::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                shingles: decode(&blob),
                minhash: Vec::new(),
            },
        ))
    })?;
    rows.collect()
}

/// Stores a batch of new documents like [`insert_new`] but defers their band rows: only the
/// fingerprint row is written, with the band keys kept in it, so that a pipeline that holds
/// recent documents in memory writes one row per document instead of one per band. Such
/// documents are found by [`find`] only through their exact hash until [`band`] writes their
/// rows, which the caller must do before it stops holding them in memory ([`unbanded`] lists
/// them after a restart).
pub fn insert_unbanded(
    conn: &Connection,
    docs: &[(u64, &Fingerprint)],
    cfg: &DedupConfig,
) -> rusqlite::Result<()> {
    let mut ins = conn.prepare_cached(
        "INSERT OR REPLACE INTO dedup_fp (doc, exact, tokens, shingles, banded, bands) \
         VALUES (?1, ?2, ?3, ?4, 0, ?5)",
    )?;
    for &(doc, fp) in docs {
        let shingles = sorted(&fp.shingles);
        if shingles.is_empty() {
            continue;
        }
        let bands: Vec<u32> = if fp.tokens >= cfg.min_tokens {
            keys(fp, &shingles, cfg)
        } else {
            Vec::new()
        };
        ins.execute(params![
            to_sql(doc),
            to_sql(fp.exact),
            i64::try_from(fp.tokens).unwrap_or(i64::MAX),
            encode(&shingles),
            encode(&bands)
        ])?;
    }
    Ok(())
}

/// Writes the deferred band rows of these documents (see [`insert_unbanded`]); documents
/// already banded or not stored are skipped. Returns how many were banded.
pub fn band(conn: &Connection, docs: &[u64]) -> rusqlite::Result<usize> {
    let mut get =
        conn.prepare_cached("SELECT bands FROM dedup_fp WHERE doc = ?1 AND banded = 0")?;
    let mut rows: Vec<(u32, u32, u64)> = Vec::new();
    let mut done = Vec::new();
    let mut docs = docs.to_vec();
    docs.sort_unstable();
    docs.dedup();
    for doc in docs {
        let Some(blob) = get
            .query_row([to_sql(doc)], |r| r.get::<_, Option<Vec<u8>>>(0))
            .optional()?
        else {
            continue;
        };
        for (b, key) in decode(&blob.unwrap_or_default()).into_iter().enumerate() {
            rows.push((b as u32, key, doc));
        }
        done.push(doc);
    }
    rows.sort_unstable();
    let mut ins = conn
        .prepare_cached("INSERT OR IGNORE INTO dedup_band (band, key, doc) VALUES (?1, ?2, ?3)")?;
    for (b, key, doc) in rows {
        ins.execute(params![i64::from(b), i64::from(key), to_sql(doc)])?;
    }
    let mut mark =
        conn.prepare_cached("UPDATE dedup_fp SET banded = 1, bands = NULL WHERE doc = ?1")?;
    for &doc in &done {
        mark.execute([to_sql(doc)])?;
    }
    Ok(done.len())
}

/// The stored documents whose band rows are deferred (see [`insert_unbanded`]).
pub fn unbanded(conn: &Connection) -> rusqlite::Result<Vec<u64>> {
    let mut st = conn.prepare_cached("SELECT doc FROM dedup_fp WHERE banded = 0")?;
    let rows = st.query_map([], |r| r.get::<_, i64>(0))?;
    rows.map(|r| r.map(from_sql)).collect()
}

/// Removes `doc`; returns whether it was stored. Its band rows are found by recomputing its
/// band keys from the stored shingles (primary-key deletes, no scan), so `cfg` must be the
/// configuration it was inserted with.
pub fn remove(conn: &Connection, doc: u64) -> rusqlite::Result<bool> {
    remove_with(conn, doc, &DedupConfig::default())
}

/// [`remove`] under a configuration other than the default.
pub fn remove_with(conn: &Connection, doc: u64, cfg: &DedupConfig) -> rusqlite::Result<bool> {
    let Some((_, tokens, shingles)) = load(conn, to_sql(doc))? else {
        return Ok(false);
    };
    conn.prepare_cached("DELETE FROM dedup_fp WHERE doc = ?1")?
        .execute([to_sql(doc)])?;
    if tokens >= cfg.min_tokens {
        let none = Fingerprint {
            exact: 0,
            shingles: Vec::new(),
            minhash: Vec::new(),
            tokens,
        };
        let mut del = conn
            .prepare_cached("DELETE FROM dedup_band WHERE band = ?1 AND key = ?2 AND doc = ?3")?;
        for (b, key) in keys(&none, &shingles, cfg).into_iter().enumerate() {
            del.execute(params![b as i64, i64::from(key), to_sql(doc)])?;
        }
    }
    Ok(true)
}

fn load(conn: &Connection, doc: i64) -> rusqlite::Result<Option<(u64, usize, Vec<u32>)>> {
    conn.prepare_cached("SELECT exact, tokens, shingles FROM dedup_fp WHERE doc = ?1")?
        .query_row([doc], |r| {
            let blob: Vec<u8> = r.get(2)?;
            Ok((
                from_sql(r.get(0)?),
                usize::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                decode(&blob),
            ))
        })
        .optional()
}

/// Exact and near duplicates of `fp` among the stored documents, best first (exact, then by
/// decreasing Jaccard, then by id), each verified by the exact Jaccard of the shingle sets.
pub fn find(
    conn: &Connection,
    fp: &Fingerprint,
    cfg: &DedupConfig,
) -> rusqlite::Result<Vec<Match>> {
    let shingles = sorted(&fp.shingles);
    if fp.tokens == 0 || shingles.is_empty() {
        return Ok(Vec::new());
    }
    let mut cands: Vec<i64> = conn
        .prepare_cached("SELECT doc FROM dedup_fp WHERE exact = ?1")?
        .query_map([to_sql(fp.exact)], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if fp.tokens >= cfg.min_tokens {
        let mut q =
            conn.prepare_cached("SELECT doc FROM dedup_band WHERE band = ?1 AND key = ?2")?;
        for (b, key) in keys(fp, &shingles, cfg).into_iter().enumerate() {
            let rows = q.query_map(params![b as i64, i64::from(key)], |r| r.get(0))?;
            for doc in rows {
                cands.push(doc?);
            }
        }
    }
    cands.sort_unstable();
    cands.dedup();
    let mut out = Vec::new();
    for doc in cands {
        let Some((exact, tokens, theirs)) = load(conn, doc)? else {
            continue;
        };
        if exact == fp.exact && tokens == fp.tokens && theirs == shingles {
            out.push(Match {
                id: from_sql(doc),
                kind: MatchKind::Exact,
                similarity: 1.0,
            });
        } else if fp.tokens >= cfg.min_tokens && tokens >= cfg.min_tokens {
            let j = jaccard(&shingles, &theirs);
            if j >= cfg.threshold {
                out.push(Match {
                    id: from_sql(doc),
                    kind: MatchKind::Near,
                    similarity: j,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(b.similarity.total_cmp(&a.similarity))
            .then(a.id.cmp(&b.id))
    });
    Ok(out)
}

/// Number of stored documents.
pub fn len(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row("SELECT count(*) FROM dedup_fp", [], |r| r.get::<_, i64>(0))
        .map(|n| u64::try_from(n).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fingerprint, DedupIndex};

    fn doc(seed: u64, n: usize) -> Vec<String> {
        (0..n as u64)
            .map(|i| format!("w{}", crate::mix64(seed * 1_000_003 + i) % 5_000))
            .collect()
    }

    #[test]
    fn agrees_with_the_in_memory_index_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sqlite");
        let cfg = DedupConfig::default();
        let mut texts: Vec<Vec<String>> = (0..40).map(|s| doc(s, 120)).collect();
        // Edited copies: a word changed, a sentence dropped, heavy rewrite (no match).
        for (src, cut) in [(0usize, 3usize), (5, 20), (9, 70)] {
            let mut t = texts[src].clone();
            t.drain(10..10 + cut);
            texts.push(t);
        }
        texts.push(texts[2].clone()); // exact
        texts.push(doc(999, 10)); // short: exact only
        let fps: Vec<Fingerprint> = texts
            .iter()
            .map(|t| {
                let r: Vec<&str> = t.iter().map(String::as_str).collect();
                fingerprint(&r, &cfg)
            })
            .collect();
        {
            let mut conn = Connection::open(&path).unwrap();
            conn.execute_batch(DDL).unwrap();
            let tx = conn.transaction().unwrap();
            for (i, f) in fps.iter().enumerate().take(40) {
                insert(&tx, i as u64, f, &cfg).unwrap();
            }
            tx.commit().unwrap();
        }
        // Reopened: nothing was kept in memory.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(DDL).unwrap();
        assert_eq!(len(&conn).unwrap(), 40);
        let mut index = DedupIndex::new(cfg.clone());
        for (i, f) in fps.iter().enumerate().take(40) {
            index.insert(i as u64, f);
        }
        let kinds: Vec<Option<(u64, MatchKind)>> = fps[40..]
            .iter()
            .map(|f| {
                let on_disk = find(&conn, f, &cfg).unwrap();
                let in_ram: Vec<Match> = index
                    .find_all(f)
                    .into_iter()
                    .filter(|m| matches!(m.kind, MatchKind::Exact | MatchKind::Near))
                    .collect();
                assert_eq!(on_disk, in_ram);
                on_disk.first().map(|m| (m.id, m.kind))
            })
            .collect();
        assert_eq!(
            kinds,
            [
                Some((0, MatchKind::Near)),
                Some((5, MatchKind::Near)),
                None,
                Some((2, MatchKind::Exact)),
                None
            ]
        );
        // Removal and replacement.
        assert!(remove(&conn, 2).unwrap());
        assert!(!remove(&conn, 2).unwrap());
        assert!(find(&conn, &fps[43], &cfg).unwrap().is_empty());
        insert(&conn, 2, &fps[43], &cfg).unwrap();
        insert(&conn, 2, &fps[43], &cfg).unwrap();
        assert_eq!(find(&conn, &fps[43], &cfg).unwrap()[0].id, 2);
        assert_eq!(len(&conn).unwrap(), 40);
        // Ids and hashes use the whole u64 range.
        insert(&conn, u64::MAX, &fps[1], &cfg).unwrap();
        let ids: Vec<u64> = find(&conn, &fps[1], &cfg)
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(ids, [1, u64::MAX]);
        // Bulk insert of new ids agrees with one-by-one insert; `recent` returns them newest first.
        let none = fingerprint(&[], &cfg);
        insert_new(
            &conn,
            &[(100, &fps[10]), (101, &fps[11]), (102, &none)],
            &cfg,
        )
        .unwrap();
        assert_eq!(find(&conn, &fps[11], &cfg).unwrap()[0].id, 11);
        assert!(find(&conn, &fps[11], &cfg)
            .unwrap()
            .iter()
            .any(|m| m.id == 101));
        let recent_ids: Vec<u64> = recent(&conn, 3).unwrap().iter().map(|(d, _)| *d).collect();
        assert_eq!(recent_ids, [101, 100, 39]);
        let (_, back) = &recent(&conn, 1).unwrap()[0];
        assert_eq!(back.shingles, sorted(&fps[11].shingles));
        assert_eq!((back.exact, back.tokens), (fps[11].exact, fps[11].tokens));
        // Deferred band rows: found by exact hash at once, as near copies once banded.
        insert_unbanded(&conn, &[(200, &fps[20]), (201, &fps[21])], &cfg).unwrap();
        assert_eq!(unbanded(&conn).unwrap(), [200, 201]);
        let mut edited = texts[21].clone();
        edited[7] = "تغيير".into();
        let edited: Vec<&str> = edited.iter().map(String::as_str).collect();
        let edited = fingerprint(&edited, &cfg);
        assert!(!find(&conn, &edited, &cfg)
            .unwrap()
            .iter()
            .any(|m| m.id == 201));
        assert!(find(&conn, &fps[21], &cfg)
            .unwrap()
            .iter()
            .any(|m| m.id == 201));
        assert_eq!(band(&conn, &[201, 201, 999]).unwrap(), 1);
        assert_eq!(unbanded(&conn).unwrap(), [200]);
        let m = find(&conn, &edited, &cfg).unwrap();
        assert!(
            m.iter().any(|m| m.id == 201 && m.kind == MatchKind::Near),
            "{m:?}"
        );
        assert_eq!(band(&conn, &[201]).unwrap(), 0);
        // Empty fingerprints are neither stored nor matched.
        let empty = fingerprint(&[], &cfg);
        insert(&conn, 77, &empty, &cfg).unwrap();
        assert!(find(&conn, &empty, &cfg).unwrap().is_empty());
    }
}
