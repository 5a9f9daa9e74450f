//! Incremental duplicate index: exact hash map, MinHash LSH bands, sampled shingle postings.

use std::collections::HashMap;

use serde::Serialize;

use crate::{containment, jaccard, minhash_with, mix64, permutations, DedupConfig, Fingerprint};

/// One shingle in `SAMPLE_MOD` (chosen by its hash value, hence consistently across documents)
/// goes into the containment postings: a 40-token item has ~9 sampled shingles, and a sampled
/// shingle of a contained item is sampled in the containing article too.
const SAMPLE_MOD: u32 = 4;
/// Postings longer than this belong to boilerplate shared by many documents (share buttons,
/// copyright lines); they are skipped when looking for containment candidates.
const MAX_POSTING: usize = 2048;

fn sampled(h: u32) -> bool {
    mix64(u64::from(h)).is_multiple_of(u64::from(SAMPLE_MOD))
}

/// How a document duplicates an indexed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// Same content-token sequence.
    Exact,
    /// Jaccard of the shingle sets ≥ `threshold`.
    Near,
    /// The queried document is (mostly) contained in the indexed one.
    ContainedIn,
    /// The indexed document is (mostly) contained in the queried one.
    Contains,
}

/// A duplicate found by [`DedupIndex::find`]: the indexed id, how, and the similarity (1 for
/// exact, Jaccard for near, containment of the smaller document otherwise).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    pub id: u64,
    pub kind: MatchKind,
    pub similarity: f64,
}

#[derive(Debug, Clone)]
struct Doc {
    id: u64,
    exact: u64,
    tokens: usize,
    shingles: Vec<u32>,
    sampled: usize,
    banded: bool,
}

/// In-memory incremental LSH index; restorable from persisted fingerprints. Ids are `u64`
/// assigned by the caller.
///
/// Memory per document: its shingle set (4 bytes per shingle), `bands` LSH entries and a quarter
/// of its shingles as containment postings. Lookups touch only candidates sharing an LSH band or a
/// sampled shingle, never the whole index.
#[derive(Debug, Clone)]
pub struct DedupIndex {
    cfg: DedupConfig,
    perms: Vec<(u64, u64)>,
    docs: Vec<Option<Doc>>,
    free: Vec<u32>,
    by_id: HashMap<u64, u32>,
    exact: HashMap<u64, Vec<u32>>,
    bands: Vec<HashMap<u64, Vec<u32>>>,
    postings: HashMap<u32, Vec<u32>>,
}

/// Returns the sorted, deduplicated shingle set (borrowed when already canonical).
fn canonical(shingles: &[u32]) -> std::borrow::Cow<'_, [u32]> {
    if shingles.windows(2).all(|w| w[0] < w[1]) {
        std::borrow::Cow::Borrowed(shingles)
    } else {
        let mut v = shingles.to_vec();
        v.sort_unstable();
        v.dedup();
        std::borrow::Cow::Owned(v)
    }
}

impl DedupIndex {
    /// An empty index.
    pub fn new(cfg: DedupConfig) -> Self {
        let perms = permutations(cfg.num_perm());
        let bands = (0..cfg.bands.max(1)).map(|_| HashMap::new()).collect();
        DedupIndex {
            cfg,
            perms,
            docs: Vec::new(),
            free: Vec::new(),
            by_id: HashMap::new(),
            exact: HashMap::new(),
            bands,
            postings: HashMap::new(),
        }
    }

    /// The configuration the index was built with.
    pub fn config(&self) -> &DedupConfig {
        &self.cfg
    }

    /// Number of indexed documents.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// True when `id` is indexed.
    pub fn contains(&self, id: u64) -> bool {
        self.by_id.contains_key(&id)
    }

    /// The MinHash signature used for LSH: the persisted one when it fits this configuration,
    /// otherwise recomputed from the shingles (so fingerprints from another configuration still
    /// index correctly).
    fn signature(&self, fp: &Fingerprint, shingles: &[u32]) -> Vec<u32> {
        if fp.minhash.len() == self.perms.len() && !shingles.is_empty() {
            fp.minhash.clone()
        } else {
            minhash_with(shingles, &self.perms)
        }
    }

    fn band_keys(&self, sig: &[u32]) -> Vec<u64> {
        sig.chunks(self.cfg.rows.max(1))
            .take(self.bands.len())
            .map(|band| {
                band.iter()
                    .fold(0x004c_5348_u64, |h, &v| mix64(h ^ u64::from(v)))
            })
            .collect()
    }

    fn doc(&self, slot: u32) -> Option<&Doc> {
        self.docs.get(slot as usize).and_then(Option::as_ref)
    }

    /// Finds what `fp` duplicates among indexed docs, without inserting: the best of
    /// [`find_all`](Self::find_all). Query before inserting: an indexed document finds itself.
    pub fn find(&self, fp: &Fingerprint) -> Option<Match> {
        self.find_all(fp).into_iter().next()
    }

    /// Every indexed document `fp` duplicates, best first: exact matches, then near duplicates
    /// (LSH candidates verified by the exact Jaccard of the shingle sets) by decreasing
    /// similarity, then containment either way. Each id appears once, with its strongest kind;
    /// ties are broken by the smaller id.
    pub fn find_all(&self, fp: &Fingerprint) -> Vec<Match> {
        let shingles = canonical(&fp.shingles);
        if fp.tokens == 0 || shingles.is_empty() {
            return Vec::new();
        }
        let mut found: HashMap<u32, Match> = HashMap::new();

        // 1. Exact: same token-sequence hash, confirmed by the shingle sets.
        for &slot in self.exact.get(&fp.exact).into_iter().flatten() {
            if let Some(d) = self.doc(slot) {
                if d.tokens == fp.tokens && d.shingles[..] == shingles[..] {
                    found.insert(
                        slot,
                        Match {
                            id: d.id,
                            kind: MatchKind::Exact,
                            similarity: 1.0,
                        },
                    );
                }
            }
        }

        // 2. Near: LSH candidates, verified by exact Jaccard.
        if fp.tokens >= self.cfg.min_tokens {
            let sig = self.signature(fp, &shingles);
            let mut cands: Vec<u32> = self
                .band_keys(&sig)
                .iter()
                .zip(&self.bands)
                .filter_map(|(key, band)| band.get(key))
                .flatten()
                .copied()
                .filter(|slot| !found.contains_key(slot))
                .collect();
            cands.sort_unstable();
            cands.dedup();
            for slot in cands {
                let Some(d) = self.doc(slot) else { continue };
                let j = jaccard(&shingles, &d.shingles);
                if j >= self.cfg.threshold {
                    found.insert(
                        slot,
                        Match {
                            id: d.id,
                            kind: MatchKind::Near,
                            similarity: j,
                        },
                    );
                }
            }
        }

        // 3. Containment either way, candidates from the sampled shingle postings.
        let mut shared: HashMap<u32, usize> = HashMap::new();
        let mut q_sampled = 0usize;
        for &h in shingles.iter().filter(|&&h| sampled(h)) {
            q_sampled += 1;
            match self.postings.get(&h) {
                Some(list) if list.len() <= MAX_POSTING => {
                    for &slot in list {
                        *shared.entry(slot).or_insert(0) += 1;
                    }
                }
                _ => {}
            }
        }
        let c = self.cfg.containment_threshold;
        let min_ct = self.cfg.min_containment_tokens;
        let mut cands: Vec<(u32, usize)> = shared
            .into_iter()
            .filter(|(slot, _)| !found.contains_key(slot))
            .collect();
        cands.sort_unstable();
        for (slot, n_shared) in cands {
            let Some(d) = self.doc(slot) else { continue };
            // The sampled overlap estimates the true one; verify only plausible candidates.
            if d.shingles.len() >= shingles.len() {
                if fp.tokens >= min_ct && (n_shared as f64) * 2.0 >= q_sampled as f64 * c {
                    let s = containment(&shingles, &d.shingles);
                    if s >= c {
                        found.insert(
                            slot,
                            Match {
                                id: d.id,
                                kind: MatchKind::ContainedIn,
                                similarity: s,
                            },
                        );
                    }
                }
            } else if d.tokens >= min_ct && (n_shared as f64) * 2.0 >= d.sampled as f64 * c {
                let s = containment(&d.shingles, &shingles);
                if s >= c {
                    found.insert(
                        slot,
                        Match {
                            id: d.id,
                            kind: MatchKind::Contains,
                            similarity: s,
                        },
                    );
                }
            }
        }

        let mut out: Vec<Match> = found.into_values().collect();
        out.sort_by(|a, b| {
            a.kind
                .cmp(&b.kind)
                .then(b.similarity.total_cmp(&a.similarity))
                .then(a.id.cmp(&b.id))
        });
        out
    }

    /// Indexes `fp` under `id`. Idempotent: inserting the same fingerprint under the same id again
    /// changes nothing; a different fingerprint under a known id replaces the old one.
    pub fn insert(&mut self, id: u64, fp: &Fingerprint) {
        let shingles = canonical(&fp.shingles).into_owned();
        if let Some(d) = self.by_id.get(&id).and_then(|&slot| self.doc(slot)) {
            if d.exact == fp.exact && d.tokens == fp.tokens && d.shingles == shingles {
                return;
            }
            self.remove(id);
        }
        let sig = self.signature(fp, &shingles);
        let keys = self.band_keys(&sig);
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.docs.push(None);
                (self.docs.len() - 1) as u32
            }
        };
        let banded = fp.tokens >= self.cfg.min_tokens && !shingles.is_empty();
        if banded {
            for (key, band) in keys.into_iter().zip(self.bands.iter_mut()) {
                band.entry(key).or_default().push(slot);
            }
        }
        let mut n_sampled = 0;
        for &h in shingles.iter().filter(|&&h| sampled(h)) {
            n_sampled += 1;
            self.postings.entry(h).or_default().push(slot);
        }
        if !shingles.is_empty() {
            self.exact.entry(fp.exact).or_default().push(slot);
        }
        let doc = Doc {
            id,
            exact: fp.exact,
            tokens: fp.tokens,
            shingles,
            sampled: n_sampled,
            banded,
        };
        if let Some(cell) = self.docs.get_mut(slot as usize) {
            *cell = Some(doc);
        }
        self.by_id.insert(id, slot);
    }

    /// Removes `id` from the index; returns whether it was there.
    pub fn remove(&mut self, id: u64) -> bool {
        let Some(slot) = self.by_id.remove(&id) else {
            return false;
        };
        let Some(doc) = self.docs.get_mut(slot as usize).and_then(Option::take) else {
            return false;
        };
        fn drop_slot<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<u32>>, key: K, slot: u32) {
            if let Some(list) = map.get_mut(&key) {
                list.retain(|&s| s != slot);
                if list.is_empty() {
                    map.remove(&key);
                }
            }
        }
        drop_slot(&mut self.exact, doc.exact, slot);
        for &h in doc.shingles.iter().filter(|&&h| sampled(h)) {
            drop_slot(&mut self.postings, h, slot);
        }
        if doc.banded {
            let keys = self.band_keys(&minhash_with(&doc.shingles, &self.perms));
            for (key, band) in keys.into_iter().zip(self.bands.iter_mut()) {
                drop_slot(band, key, slot);
            }
        }
        self.free.push(slot);
        true
    }
}
