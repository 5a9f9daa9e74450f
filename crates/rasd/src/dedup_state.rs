//! The ingest's duplicate state: every stored document on disk, the recent ones in memory.
//!
//! - **On disk** ([`rasd_dedup::store`]): exact hashes, shingle sets and LSH band keys of every
//!   document, in the store's SQLite database, written in the same transaction as the documents
//!   themselves. Opening a store of millions of documents loads none of it. A document's band
//!   rows (one per band, what look-ups on disk use) are written when it leaves the in-memory
//!   window, so that a run that fits the window writes one row per document, not 34.
//! - **In memory**: a [`DedupIndex`] over a window of the most recent documents (the current
//!   run's, and at open the last ones stored), bounded by [`DEDUP_WINDOW_DOCS`]. It answers the
//!   common case (copies arrive close together) without touching the disk, and it is where
//!   containment (a short wire item inside a longer article) is found: the on-disk index has no
//!   containment postings, so containment reaches back as far as the window does.
//!
//! A look-up asks the window, and the disk only when the store holds documents outside it.

use std::collections::VecDeque;

use rasd_dedup::{DedupConfig, DedupIndex, Fingerprint, Match};
use rusqlite::Connection;
use rustc_hash::FxHashMap;

/// Documents kept in the in-memory window (about 1.5 KB each for a 300-word article).
pub const DEDUP_WINDOW_DOCS: usize = 100_000;

/// Duplicate look-ups over the stored documents: see the module docs.
pub struct DuplicateFinder {
    cfg: DedupConfig,
    window: DedupIndex,
    /// Keys in the window, oldest first.
    order: VecDeque<u64>,
    capacity: usize,
    /// Stored documents that are not in the window (looked up on disk).
    outside: u64,
    /// Copies in the window (posting only part of their shingles) → the document in the
    /// window that represents their family in the postings.
    represented_by: FxHashMap<u64, u64>,
    /// The other way: a representative → its copies in the window, oldest first. When it
    /// leaves the window its newest copy takes its place.
    copies: FxHashMap<u64, Vec<u64>>,
}

impl DuplicateFinder {
    /// Creates the on-disk tables when missing, warms the window with the most recently
    /// stored documents (at most `capacity`), and writes the band rows of any other document
    /// whose rows were deferred (a run that stopped, or a smaller window than last time).
    pub fn open(
        conn: &Connection,
        cfg: DedupConfig,
        capacity: usize,
    ) -> rusqlite::Result<DuplicateFinder> {
        conn.execute_batch(rasd_dedup::store::DDL)?;
        let stored = rasd_dedup::store::len(conn)?;
        let mut recent = rasd_dedup::store::recent(conn, capacity)?;
        recent.reverse();
        let mut window = DedupIndex::new(cfg.clone());
        let mut order = VecDeque::with_capacity(recent.len());
        for (key, fp) in &recent {
            window.insert(*key, fp);
            order.push_back(*key);
        }
        let outside: Vec<u64> = rasd_dedup::store::unbanded(conn)?
            .into_iter()
            .filter(|k| !window.contains(*k))
            .collect();
        if !outside.is_empty() {
            let tx = conn.unchecked_transaction()?;
            rasd_dedup::store::band(&tx, &outside)?;
            tx.commit()?;
        }
        Ok(DuplicateFinder {
            cfg,
            window,
            outside: stored.saturating_sub(order.len() as u64),
            order,
            capacity,
            represented_by: FxHashMap::default(),
            copies: FxHashMap::default(),
        })
    }

    /// Documents in the in-memory window.
    #[cfg(test)]
    pub fn in_memory(&self) -> usize {
        self.order.len()
    }

    /// Stored documents looked up on disk only.
    #[cfg(test)]
    pub fn on_disk_only(&self) -> u64 {
        self.outside
    }

    /// Every indexed document `fp` duplicates, best first (exact, near, contained in, contains;
    /// then by decreasing similarity): the window's matches, and the disk's exact and near ones
    /// among the documents outside the window.
    pub fn find_all(&self, conn: &Connection, fp: &Fingerprint) -> rusqlite::Result<Vec<Match>> {
        let mut found = self.window.find_all(fp);
        if self.outside > 0 {
            for m in rasd_dedup::store::find(conn, fp, &self.cfg)? {
                if !self.window.contains(m.id) {
                    found.push(m);
                }
            }
            rasd_dedup::sort_best_first(&mut found);
        }
        Ok(found)
    }

    /// Adds a document to the window (it reaches the disk with its batch: [`Self::write`]).
    /// `copy_of` is the document it is an exact or near copy of, if any: when that one's family
    /// is represented in the window, the copy posts only the shingles that document lacks
    /// ([`DedupIndex::insert_copy`]); otherwise (its original is on disk only) it represents
    /// the family itself.
    pub fn insert(&mut self, key: u64, fp: &Fingerprint, copy_of: Option<u64>) {
        if self.window.contains(key) {
            // The same document again (or new content under its key): indexed as it was.
            self.window.insert(key, fp);
            return;
        }
        self.order.push_back(key);
        let representative = copy_of
            .map(|m| self.represented_by.get(&m).copied().unwrap_or(m))
            .filter(|&r| self.window.contains(r));
        match representative {
            Some(r) => {
                let of = copy_of.filter(|&m| self.window.contains(m)).unwrap_or(r);
                self.window.insert_copy(key, fp, of);
                self.represented_by.insert(key, r);
                self.copies.entry(r).or_default().push(key);
            }
            None => self.window.insert(key, fp),
        }
    }

    /// Takes `key` out of the window; when it represented copies still there, the newest of
    /// them is posted and represents the others.
    fn drop_from_window(&mut self, key: u64) {
        self.window.remove(key);
        if let Some(r) = self.represented_by.remove(&key) {
            if let Some(list) = self.copies.get_mut(&r) {
                if let Some(at) = list.iter().position(|&c| c == key) {
                    list.remove(at);
                }
            }
        }
        if let Some(mut list) = self.copies.remove(&key) {
            if let Some(heir) = list.pop() {
                self.window.post(heir);
                self.represented_by.remove(&heir);
                for c in &list {
                    self.represented_by.insert(*c, heir);
                }
                if !list.is_empty() {
                    self.copies.insert(heir, list);
                }
            }
        }
    }

    /// Writes a batch's fingerprints to the on-disk tables (band rows deferred while they are
    /// in the window); call it inside the transaction that stores the batch's documents.
    pub fn write(&self, conn: &Connection, batch: &[(u64, &Fingerprint)]) -> rusqlite::Result<()> {
        rasd_dedup::store::insert_unbanded(conn, batch, &self.cfg)
    }

    /// Shrinks the window to its capacity, oldest first, once the documents it drops are on
    /// disk (after their batch is written), writing their band rows; returns the keys dropped.
    pub fn evict(&mut self, conn: &Connection) -> rusqlite::Result<Vec<u64>> {
        let excess = self.order.len().saturating_sub(self.capacity);
        let dropped: Vec<u64> = self.order.iter().take(excess).copied().collect();
        if dropped.is_empty() {
            return Ok(dropped);
        }
        let tx = conn.unchecked_transaction()?;
        rasd_dedup::store::band(&tx, &dropped)?;
        tx.commit()?;
        for key in &dropped {
            self.order.pop_front();
            self.drop_from_window(*key);
            self.outside += 1;
        }
        Ok(dropped)
    }

    /// Sets the window's capacity (takes effect at the next [`Self::evict`]).
    pub fn set_capacity(&mut self, docs: usize) {
        self.capacity = docs;
    }
}

/// Fills the on-disk tables from the fingerprints a store of schema 2 kept in `docs.fingerprint`
/// (stores written before the on-disk duplicate index existed). Idempotent; returns how many
/// documents were added.
pub fn backfill<'a>(
    conn: &Connection,
    cfg: &DedupConfig,
    fingerprints: impl Iterator<Item = (u64, Fingerprint)> + 'a,
) -> rusqlite::Result<u64> {
    conn.execute_batch(rasd_dedup::store::DDL)?;
    let mut chunk: Vec<(u64, Fingerprint)> = Vec::with_capacity(4096);
    let mut n = 0u64;
    let flush = |chunk: &mut Vec<(u64, Fingerprint)>| -> rusqlite::Result<()> {
        let refs: Vec<(u64, &Fingerprint)> = chunk.iter().map(|(k, f)| (*k, f)).collect();
        rasd_dedup::store::insert_new(conn, &refs, cfg)?;
        chunk.clear();
        Ok(())
    };
    for item in fingerprints {
        chunk.push(item);
        n += 1;
        if chunk.len() == 4096 {
            flush(&mut chunk)?;
        }
    }
    flush(&mut chunk)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_dedup::MatchKind;

    fn words(seed: u64, n: usize) -> Vec<String> {
        (0..n as u64)
            .map(|i| format!("ك{}", (seed * 7_919 + i * 104_729) % 9_973))
            .collect()
    }

    fn fp(w: &[String]) -> Fingerprint {
        let r: Vec<&str> = w.iter().map(String::as_str).collect();
        rasd_dedup::fingerprint(&r, &DedupConfig::default())
    }

    #[test]
    fn documents_outside_the_window_are_found_on_disk_and_the_window_stays_bounded() {
        let conn = Connection::open_in_memory().unwrap();
        let mut f = DuplicateFinder::open(&conn, DedupConfig::default(), 2).unwrap();
        let docs: Vec<Vec<String>> = (1..=5).map(|s| words(s, 150)).collect();
        let fps: Vec<Fingerprint> = docs.iter().map(|d| fp(d)).collect();
        for (k, p) in fps.iter().enumerate() {
            f.insert(k as u64, p, None);
        }
        let batch: Vec<(u64, &Fingerprint)> =
            fps.iter().enumerate().map(|(k, p)| (k as u64, p)).collect();
        f.write(&conn, &batch).unwrap();
        assert_eq!(rasd_dedup::store::unbanded(&conn).unwrap().len(), 5);
        assert_eq!(f.evict(&conn).unwrap(), [0, 1, 2]);
        assert_eq!(rasd_dedup::store::unbanded(&conn).unwrap(), [3, 4]);
        assert_eq!((f.in_memory(), f.on_disk_only()), (2, 3));

        // A near copy of an evicted document is found on disk, one of a recent one in memory.
        let mut copy0 = docs[0].clone();
        copy0[40] = "تعديل".into();
        let m = f.find_all(&conn, &fp(&copy0)).unwrap();
        assert_eq!((m[0].id, m[0].kind), (0, MatchKind::Near));
        let m = f.find_all(&conn, &fp(&docs[4])).unwrap();
        assert_eq!((m[0].id, m[0].kind), (4, MatchKind::Exact));
        assert_eq!(m.len(), 1, "a window document is not reported twice: {m:?}");
        // Something new matches nothing.
        assert!(f.find_all(&conn, &fp(&words(99, 150))).unwrap().is_empty());

        // Reopened with a smaller window: the document that leaves it gets its band rows.
        let g = DuplicateFinder::open(&conn, DedupConfig::default(), 1).unwrap();
        assert_eq!((g.in_memory(), g.on_disk_only()), (1, 4));
        assert_eq!(rasd_dedup::store::unbanded(&conn).unwrap(), [4]);
        let mut copy3 = docs[3].clone();
        copy3[99] = "تعديل".into();
        assert_eq!(g.find_all(&conn, &fp(&copy3)).unwrap()[0].id, 3);
        // Reopened, the window is warmed with the most recent documents only.
        let g = DuplicateFinder::open(&conn, DedupConfig::default(), 2).unwrap();
        assert_eq!((g.in_memory(), g.on_disk_only()), (2, 3));
        assert_eq!(g.find_all(&conn, &fp(&copy0)).unwrap()[0].id, 0);
        // Containment is a window matter: a wire extract of a recent article is found.
        let extract = docs[3][20..70].to_vec();
        let m = g.find_all(&conn, &fp(&extract)).unwrap();
        assert_eq!((m[0].id, m[0].kind), (3, MatchKind::ContainedIn));
    }

    #[test]
    fn backfill_is_idempotent() {
        let conn = Connection::open_in_memory().unwrap();
        let fps: Vec<(u64, Fingerprint)> = (1..=3).map(|s| (s, fp(&words(s, 120)))).collect();
        let cfg = DedupConfig::default();
        assert_eq!(backfill(&conn, &cfg, fps.clone().into_iter()).unwrap(), 3);
        assert_eq!(backfill(&conn, &cfg, fps.clone().into_iter()).unwrap(), 3);
        assert_eq!(rasd_dedup::store::len(&conn).unwrap(), 3);
        let f = DuplicateFinder::open(&conn, cfg, 1).unwrap();
        assert_eq!(f.find_all(&conn, &fps[0].1).unwrap()[0].id, 1);
    }

    /// In a large family, copies stop adding the shingles their original has once those
    /// lists are full; when the family's representative leaves the window, its newest copy is
    /// posted in full in its place, so a short extract of the story is still found contained. A
    /// copy of a document that is on disk only is posted in full.
    #[test]
    fn containment_outlives_the_family_representative_in_the_window() {
        let conn = Connection::open_in_memory().unwrap();
        // More copies than a list takes from copies (128).
        let copies = 140u64;
        let mut f =
            DuplicateFinder::open(&conn, DedupConfig::default(), copies as usize + 2).unwrap();
        let story = words(1, 200);
        let copy = |at: usize| {
            let mut t = story.clone();
            t[at] = "تعديل".into();
            fp(&t)
        };
        let extract = fp(&story[..60]);
        let contained = |f: &DuplicateFinder| -> Vec<u64> {
            let mut ids: Vec<u64> = f
                .window
                .find_all(&extract)
                .into_iter()
                .filter(|m| m.kind == MatchKind::ContainedIn)
                .map(|m| m.id)
                .collect();
            ids.sort_unstable();
            ids
        };
        let mut fps = vec![fp(&story)];
        f.insert(0, &fps[0], None);
        for c in 1..=copies {
            fps.push(copy(100 + c as usize % 100));
            // Copies of copies are represented by the first document too.
            f.insert(c, &fps[c as usize], Some(c - 1));
        }
        fps.push(fp(&words(2, 200)));
        f.insert(copies + 1, &fps[copies as usize + 1], None);
        let first = contained(&f);
        assert!(first.len() < 130 && first[0] == 0 && !first.contains(&copies));
        let batch: Vec<(u64, &Fingerprint)> =
            fps.iter().enumerate().map(|(k, p)| (k as u64, p)).collect();
        f.write(&conn, &batch).unwrap();
        f.set_capacity(copies as usize + 1);
        assert_eq!(f.evict(&conn).unwrap(), [0]);
        let after = contained(&f);
        assert!(after.contains(&copies), "the newest copy took its place");
        assert!(!after.contains(&0));
        f.set_capacity(1);
        assert_eq!(f.evict(&conn).unwrap().len(), copies as usize);
        assert!(contained(&f).is_empty(), "the family has left the window");
        // A copy of a document that is on disk only is posted itself.
        fps.push(copy(190));
        f.insert(copies + 2, &fps[copies as usize + 2], Some(0));
        assert_eq!(contained(&f), [copies + 2]);
    }
}
