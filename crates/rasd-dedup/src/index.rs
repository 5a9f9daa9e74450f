//! Incremental duplicate index: exact hash map, MinHash LSH bands, sampled shingle postings.

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::{
    containment_at_least, jaccard_at_least, minhash_with, mix64, permutations, DedupConfig,
    Fingerprint,
};

/// One shingle in `SAMPLE_MOD` (chosen by its hash value, hence consistently across documents)
/// goes into the containment postings: a 40-token item has ~9 sampled shingles, and a sampled
/// shingle of a contained item is sampled in the containing article too.
const SAMPLE_MOD: u32 = 4;
/// Postings longer than this belong to boilerplate shared by many documents (share buttons,
/// copyright lines, a stock sentence); they are skipped when looking for containment
/// candidates. Walking them is what makes containment lookups slow in a large index: at 2,048
/// the measure corpus (whose mixtures share pool sentences) ran at a quarter of the speed.
const MAX_POSTING: usize = 256;
/// A short item (a wire brief, up to this many tokens) walks posting lists up to
/// [`LONG_POSTING`] instead: its few shingles may all be ones many articles share (a statement
/// quoted everywhere), and short items are few, so their longer walks cost little in all.
/// On the measure corpus (100,000 documents) this took wire extracts found in their own
/// family from 571 to 2,846 of 3,457 for 16 % more CPU. It is bounded (8,192 found no more
/// there) because walking a list costs its length, and lists grow with the store.
const SHORT_ITEM_TOKENS: usize = 120;
const LONG_POSTING: usize = 1024;
/// When a short item's lists are over [`LONG_POSTING`] and nothing matched, its
/// `RAREST_LISTS` shortest long lists (each up to `RAREST_WALK_CAP` documents) are walked, and
/// the documents on all but one of them are verified: some thousands of steps for an item
/// that would otherwise find nothing, and few verifications (a document on 2 of 3 such lists
/// is often one that merely shares a sentence with the item).
const RAREST_LISTS: usize = 8;
const RAREST_WALK_CAP: usize = 1 << 16;

/// A copy adds a shingle its original has to that shingle's list only while the list holds
/// fewer documents than this ([`DedupIndex::insert_copy`]): small families are posted in full,
/// and a story copied hundreds of times keeps its lists under [`MAX_POSTING`].
const COPY_POSTING: usize = 128;

/// End of a chain.
const NIL: u32 = u32::MAX;

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

/// `d` as the container of `shingles` (a [`MatchKind::ContainedIn`] match), when at least a
/// share `c` of them is in it.
fn contained_in(d: &Doc, shingles: &[u32], c: f64) -> Option<Match> {
    containment_at_least(shingles, &d.shingles, c).map(|similarity| Match {
        id: d.id,
        kind: MatchKind::ContainedIn,
        similarity,
    })
}

/// Sorts matches best first, as [`DedupIndex::find_all`] returns them: by kind (exact, near,
/// contained in, contains), then by decreasing similarity, then by increasing id. Merging the
/// matches of several indexes and sorting them gives the order one index over all would give.
pub fn sort_best_first(matches: &mut [Match]) {
    matches.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(b.similarity.total_cmp(&a.similarity))
            .then(a.id.cmp(&b.id))
    });
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
    shingles: Box<[u32]>,
    sampled: usize,
    banded: bool,
    /// Which of its sampled shingles are in the containment postings (see
    /// [`DedupIndex::insert_copy`]).
    posted: Posted,
}

/// The sampled shingles of a document that are in the containment postings.
#[derive(Debug, Clone)]
enum Posted {
    All,
    /// A copy's: only these (the ones the document it copies lacks).
    Only(Box<[u32]>),
}

impl Posted {
    /// The posted shingles of a document whose shingles are `all`.
    fn of<'a>(&'a self, all: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
        let list = match self {
            Posted::All => all,
            Posted::Only(only) => only,
        };
        // An `Only` list holds sampled shingles only: the filter keeps all of them.
        list.iter().copied().filter(|&h| sampled(h))
    }
}

/// A containment posting list: its length and where its slots are (see [`Postings`]).
#[derive(Debug, Clone, Copy)]
struct Posting {
    head: u32,
    len: u32,
}

/// Slots of a small chunk: the whole list while it holds 2 to `SMALL` documents, its oldest
/// `SMALL` documents afterwards.
const SMALL: usize = 4;
/// Slots of a big chunk (with its link, 64 bytes: one cache line). 15 rather than 7 made lookups
/// ~11 % faster at 20,000 documents with the same peak memory at 200,000 (`index_bench`).
const BIG: usize = 15;

#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
struct BigChunk {
    slots: [u32; BIG],
    next: u32,
}

/// Containment postings: sampled shingle → the slots of the documents that have it.
///
/// Walking a long list is what lookups spend their time on, and a linked list of single slots
/// costs a cache miss per document; lists are therefore kept in chunks. A list of one document
/// keeps its slot in the map value itself (most shingles are in one document only). A longer one
/// starts in a small chunk of [`SMALL`] slots (16 bytes); beyond that, big chunks of [`BIG`]
/// slots are chained in front of it, the newest first. Every chunk but the first (`head`) is
/// full, so the fill of each follows from the length. Removing a slot moves the first chunk's
/// last slot into its place, so order within a list is not kept (nothing needs it).
#[derive(Debug, Clone, Default)]
struct Postings {
    map: FxHashMap<u32, Posting>,
    small: Vec<[u32; SMALL]>,
    big: Vec<BigChunk>,
    free_small: Vec<u32>,
    free_big: Vec<u32>,
}

/// Stores `c` in a freed cell of `arena` if there is one, else at its end; returns its index.
fn alloc_in<T>(arena: &mut Vec<T>, free: &mut Vec<u32>, c: T) -> u32 {
    match free.pop() {
        Some(at) => {
            if let Some(cell) = arena.get_mut(at as usize) {
                *cell = c;
            }
            at
        }
        None => {
            arena.push(c);
            (arena.len() - 1) as u32
        }
    }
}

impl Postings {
    fn alloc_small(&mut self, c: [u32; SMALL]) -> u32 {
        alloc_in(&mut self.small, &mut self.free_small, c)
    }

    fn alloc_big(&mut self, c: BigChunk) -> u32 {
        alloc_in(&mut self.big, &mut self.free_big, c)
    }

    /// Slots used in the first big chunk of a list of `len > SMALL` documents.
    fn head_fill(len: usize) -> usize {
        (len - SMALL - 1) % BIG + 1
    }

    fn insert(&mut self, key: u32, slot: u32) {
        let p = self
            .map
            .get(&key)
            .copied()
            .unwrap_or(Posting { head: NIL, len: 0 });
        let len = p.len as usize;
        let head = match len {
            0 => slot,
            1 => self.alloc_small([p.head, slot, NIL, NIL]),
            _ if len < SMALL => {
                if let Some(c) = self.small.get_mut(p.head as usize) {
                    c[len] = slot;
                }
                p.head
            }
            _ if len == SMALL || Self::head_fill(len) == BIG => {
                let mut slots = [NIL; BIG];
                slots[0] = slot;
                self.alloc_big(BigChunk {
                    slots,
                    next: p.head,
                })
            }
            _ => {
                if let Some(c) = self.big.get_mut(p.head as usize) {
                    c.slots[Self::head_fill(len)] = slot;
                }
                p.head
            }
        };
        self.map.insert(
            key,
            Posting {
                head,
                len: p.len.saturating_add(1),
            },
        );
    }

    /// Documents on `key`'s list.
    fn len(&self, key: u32) -> usize {
        self.map.get(&key).map_or(0, |p| p.len as usize)
    }

    /// Calls `f` with every slot of `key`'s list unless it holds more than `max` documents;
    /// returns whether it did.
    fn walk(&self, key: u32, max: usize, mut f: impl FnMut(u32)) -> bool {
        let Some(p) = self.map.get(&key) else {
            return true;
        };
        let len = p.len as usize;
        if len > max {
            return false;
        }
        if len == 1 {
            f(p.head);
            return true;
        }
        let mut chunk = p.head;
        if len > SMALL {
            let mut fill = Self::head_fill(len);
            // Bounded by the list's own length, so a corrupted chain cannot loop.
            for _ in 0..(len - SMALL).div_ceil(BIG) {
                let Some(c) = self.big.get(chunk as usize) else {
                    return true;
                };
                c.slots.iter().take(fill).for_each(|&s| f(s));
                fill = BIG;
                chunk = c.next;
            }
        }
        if let Some(c) = self.small.get(chunk as usize) {
            c.iter().take(len.min(SMALL)).for_each(|&s| f(s));
        }
        true
    }

    /// Removes `slot` from `key`'s list (nothing when it is not there).
    fn remove(&mut self, key: u32, slot: u32) {
        let Some(p) = self.map.get(&key).copied() else {
            return;
        };
        let len = p.len as usize;
        if len == 1 {
            if p.head == slot {
                self.map.remove(&key);
            }
            return;
        }
        if len <= SMALL {
            let Some(c) = self.small.get_mut(p.head as usize) else {
                return;
            };
            let Some(i) = c.iter().take(len).position(|&s| s == slot) else {
                return;
            };
            c[i] = c[len - 1];
            c[len - 1] = NIL;
            if len == 2 {
                let last = c[0];
                self.free_small.push(p.head);
                self.map.insert(key, Posting { head: last, len: 1 });
            } else {
                self.map.insert(
                    key,
                    Posting {
                        head: p.head,
                        len: p.len - 1,
                    },
                );
            }
            return;
        }
        // Find the slot: in a big chunk (chunk index, position) or in the small tail chunk.
        let head_fill = Self::head_fill(len);
        let mut found: Option<(bool, u32, usize)> = None;
        let mut chunk = p.head;
        let mut fill = head_fill;
        for _ in 0..(len - SMALL).div_ceil(BIG) {
            let Some(c) = self.big.get(chunk as usize) else {
                return;
            };
            if let Some(i) = c.slots.iter().take(fill).position(|&s| s == slot) {
                found = Some((true, chunk, i));
                break;
            }
            fill = BIG;
            chunk = c.next;
        }
        if found.is_none() {
            let Some(c) = self.small.get(chunk as usize) else {
                return;
            };
            match c.iter().position(|&s| s == slot) {
                Some(i) => found = Some((false, chunk, i)),
                None => return,
            }
        }
        let Some((in_big, at, i)) = found else {
            return;
        };
        // Move the head chunk's last slot into the hole and shrink the head chunk.
        let Some(h) = self.big.get_mut(p.head as usize) else {
            return;
        };
        let last = h.slots[head_fill - 1];
        h.slots[head_fill - 1] = NIL;
        let after = h.next;
        if in_big {
            if let Some(c) = self.big.get_mut(at as usize) {
                c.slots[i] = last;
            }
        } else if let Some(c) = self.small.get_mut(at as usize) {
            c[i] = last;
        }
        let head = if head_fill == 1 {
            self.free_big.push(p.head);
            after
        } else {
            p.head
        };
        self.map.insert(
            key,
            Posting {
                head,
                len: p.len - 1,
            },
        );
    }
}

thread_local! {
    /// Per-thread scratch of containment lookups: a counter per document slot (all zero between
    /// lookups) and the slots touched. Dense counters cost a fraction of a hash map's updates.
    static SHARED: std::cell::RefCell<(Vec<u32>, Vec<u32>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// In-memory incremental LSH index; restorable from persisted fingerprints. Ids are `u64`
/// assigned by the caller.
///
/// Compact by construction, so that a million documents fit in a few GB: no vector per key; the
/// exact and band lists are intrusive singly linked chains through flat `u32` arrays, the
/// containment lists chunks in flat arrays (see `Postings`). Per document: its shingle set (4 bytes
/// per shingle, kept to verify candidates by their exact Jaccard), one 4-byte link per LSH band
/// plus one 8-byte map entry per band key (band keys are stored as 32 bits: a rare collision only
/// adds a candidate, which verification rejects), and, per sampled shingle (a quarter of them), a
/// map entry and 4 to 16 bytes of chunk. Lookups touch only candidates sharing an LSH band or a
/// sampled shingle, never the whole index. (1,000,000 generated documents: 3.1 GB peak for the
/// whole `rasd dedup` run.)
#[derive(Debug, Clone)]
pub struct DedupIndex {
    cfg: DedupConfig,
    perms: Vec<(u64, u64)>,
    docs: Vec<Option<Doc>>,
    free: Vec<u32>,
    by_id: FxHashMap<u64, u32>,
    /// Exact hash → first slot; `exact_next[slot]` continues the chain.
    exact: FxHashMap<u64, u32>,
    exact_next: Vec<u32>,
    /// Per band: band key → first slot; `band_next[slot * bands + band]` continues the chain.
    bands: Vec<FxHashMap<u32, u32>>,
    band_next: Vec<u32>,
    /// Sampled shingle → the slots that have it.
    postings: Postings,
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
        let bands = (0..cfg.bands.max(1))
            .map(|_| FxHashMap::default())
            .collect();
        DedupIndex {
            cfg,
            perms,
            docs: Vec::new(),
            free: Vec::new(),
            by_id: FxHashMap::default(),
            exact: FxHashMap::default(),
            exact_next: Vec::new(),
            bands,
            band_next: Vec::new(),
            postings: Postings::default(),
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

    /// The sorted shingle set indexed under `id` (for the similarity of a copy to its group's
    /// canonical document without recomputing it).
    pub fn shingles(&self, id: u64) -> Option<&[u32]> {
        let slot = *self.by_id.get(&id)?;
        self.doc(slot).map(|d| &d.shingles[..])
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

    fn band_keys(&self, sig: &[u32]) -> Vec<u32> {
        crate::band_keys_of(sig, self.cfg.rows, self.bands.len())
    }

    /// Slots of the chain that starts at `head` and continues through `next(slot)`; bounded by
    /// the number of slots, so a corrupted chain cannot loop.
    fn chain(&self, head: Option<&u32>, next: impl Fn(u32) -> u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut slot = head.copied().unwrap_or(NIL);
        while slot != NIL && out.len() <= self.docs.len() {
            out.push(slot);
            slot = next(slot);
        }
        out
    }

    fn band_link(&self, slot: u32, band: usize) -> usize {
        slot as usize * self.bands.len() + band
    }

    fn doc(&self, slot: u32) -> Option<&Doc> {
        self.docs.get(slot as usize).and_then(Option::as_ref)
    }

    /// Adds one to the counter of every document on `key`'s list (unless it holds more than
    /// `cap`), noting the slots counted for the first time; returns whether it walked the list.
    fn count_on_list(
        &self,
        key: u32,
        cap: usize,
        counts: &mut [u32],
        touched: &mut Vec<u32>,
    ) -> bool {
        self.postings.walk(key, cap, |slot| {
            if let Some(n) = counts.get_mut(slot as usize) {
                if *n == 0 {
                    touched.push(slot);
                }
                *n += 1;
            }
        })
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
        let mut found: FxHashMap<u32, Match> = FxHashMap::default();

        // 1. Exact: same token-sequence hash, confirmed by the shingle sets.
        let exact_slots = self.chain(self.exact.get(&fp.exact), |s| {
            self.exact_next.get(s as usize).copied().unwrap_or(NIL)
        });
        for slot in exact_slots {
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
            let mut cands: Vec<u32> = Vec::new();
            for (b, (key, band)) in self.band_keys(&sig).iter().zip(&self.bands).enumerate() {
                let slots = self.chain(band.get(key), |s| {
                    self.band_next
                        .get(self.band_link(s, b))
                        .copied()
                        .unwrap_or(NIL)
                });
                cands.extend(slots.into_iter().filter(|slot| !found.contains_key(slot)));
            }
            cands.sort_unstable();
            cands.dedup();
            for slot in cands {
                let Some(d) = self.doc(slot) else { continue };
                if let Some(j) = jaccard_at_least(&shingles, &d.shingles, self.cfg.threshold) {
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
        let c = self.cfg.containment_threshold;
        let min_ct = self.cfg.min_containment_tokens;
        SHARED.with(|scratch| {
            let Ok(mut scratch) = scratch.try_borrow_mut() else {
                return;
            };
            let (counts, touched) = &mut *scratch;
            if counts.len() < self.docs.len() {
                counts.resize(self.docs.len(), 0);
            }
            touched.clear();
            let mut q_sampled = 0usize;
            let cap = if fp.tokens <= SHORT_ITEM_TOKENS {
                LONG_POSTING
            } else {
                MAX_POSTING
            };
            // Lists over the cap, as (length, shingle), for the rarest-lists pass below.
            let mut skipped: Vec<(usize, u32)> = Vec::new();
            for &h in shingles.iter().filter(|&&h| sampled(h)) {
                q_sampled += 1;
                let walked = self.count_on_list(h, cap, counts, touched);
                if !walked && fp.tokens <= SHORT_ITEM_TOKENS {
                    skipped.push((self.postings.len(h), h));
                }
            }
            for &slot in touched.iter() {
                let n_shared = counts.get_mut(slot as usize).map_or(0, std::mem::take) as usize;
                if found.contains_key(&slot) {
                    continue;
                }
                let Some(d) = self.doc(slot) else { continue };
                // The sampled overlap estimates the true one; verify only plausible candidates.
                if d.shingles.len() >= shingles.len() {
                    if fp.tokens >= min_ct && (n_shared as f64) * 2.0 >= q_sampled as f64 * c {
                        if let Some(m) = contained_in(d, &shingles, c) {
                            found.insert(slot, m);
                        }
                    }
                } else if d.tokens >= min_ct && (n_shared as f64) * 2.0 >= d.sampled as f64 * c {
                    if let Some(s) = containment_at_least(&d.shingles, &shingles, c) {
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
            touched.clear();

            // A short item whose lists were over even the long cap (shingles in thousands of
            // documents) and that matched nothing: its container is on all but one of its
            // rarest long lists (a typo changes shingles into rare ones, not into these).
            if skipped.len() < 2
                || fp.tokens < min_ct
                || found.values().any(|m| m.kind != MatchKind::Contains)
            {
                return;
            }
            skipped.sort_unstable();
            skipped.truncate(RAREST_LISTS);
            // All of 2 lists, all but one of more.
            let need = (skipped.len() - 1).max(2) as u32;
            for &(_, h) in &skipped {
                self.count_on_list(h, RAREST_WALK_CAP, counts, touched);
            }
            for &slot in touched.iter() {
                let n = counts.get_mut(slot as usize).map_or(0, std::mem::take);
                if n < need || found.contains_key(&slot) {
                    continue;
                }
                let Some(d) = self.doc(slot) else { continue };
                if d.shingles.len() >= shingles.len() {
                    if let Some(m) = contained_in(d, &shingles, c) {
                        found.insert(slot, m);
                    }
                }
            }
            touched.clear();
        });

        let mut out: Vec<Match> = found.into_values().collect();
        sort_best_first(&mut out);
        out
    }

    /// Indexes `fp` under `id`. Idempotent: inserting the same fingerprint under the same id again
    /// changes nothing; a different fingerprint under a known id replaces the old one.
    pub fn insert(&mut self, id: u64, fp: &Fingerprint) {
        self.insert_as(id, fp, None);
    }

    /// Indexes `fp` under `id` as a copy of the indexed document `of`: one that
    /// [`find_all`](Self::find_all) matched as an exact or near duplicate. It is found by exact
    /// and near look-ups like any other document, but of its shingles only those `of` lacks go
    /// into the containment postings, and the others only while their lists are short
    /// (under 128 documents): beyond that they are represented there by `of` (or, when `of` is
    /// a copy itself, by what it copies). When `of` is not indexed, the copy is indexed in
    /// full.
    ///
    /// This is what keeps containment working for a story copied hundreds of times: with every
    /// copy posted, each shingle of the story would have a posting list longer than the cap on
    /// the lists a look-up walks, and a short wire extract of it would find no candidate. An
    /// extract of what a copy added (a longer version's last paragraphs) is still found in the
    /// copy.
    ///
    /// ```
    /// use rasd_dedup::{fingerprint, DedupConfig, DedupIndex, MatchKind};
    ///
    /// let cfg = DedupConfig::default();
    /// let story: Vec<String> = (0..200).map(|i| format!("كلمة{i}")).collect();
    /// let refs: Vec<&str> = story.iter().map(String::as_str).collect();
    /// let mut index = DedupIndex::new(cfg.clone());
    /// index.insert(0, &fingerprint(&refs, &cfg));
    /// for copy in 1..400 {
    ///     index.insert_copy(copy, &fingerprint(&refs, &cfg), 0);
    /// }
    /// let extract = fingerprint(&refs[..50], &cfg);
    /// let m = index.find_all(&extract);
    /// assert!(m.iter().any(|m| m.id == 0 && m.kind == MatchKind::ContainedIn));
    /// ```
    pub fn insert_copy(&mut self, id: u64, fp: &Fingerprint, of: u64) {
        self.insert_as(id, fp, Some(of));
    }

    /// Adds an indexed copy ([`insert_copy`](Self::insert_copy)) to the containment postings,
    /// for when the document that represented its family there leaves the index. Returns
    /// whether `id` is indexed; posting a posted document changes nothing.
    pub fn post(&mut self, id: u64) -> bool {
        let Some(&slot) = self.by_id.get(&id) else {
            return false;
        };
        let Some(doc) = self.docs.get_mut(slot as usize).and_then(Option::as_mut) else {
            return false;
        };
        if let Posted::Only(already) = std::mem::replace(&mut doc.posted, Posted::All) {
            for &h in doc.shingles.iter().filter(|&&h| sampled(h)) {
                if already.binary_search(&h).is_err() {
                    self.postings.insert(h, slot);
                }
            }
        }
        true
    }

    fn insert_as(&mut self, id: u64, fp: &Fingerprint, copy_of: Option<u64>) {
        let shingles = canonical(&fp.shingles).into_owned();
        // A copy posts the sampled shingles the document it copies lacks, and the others
        // while their lists are short (sorted, as the shingles are).
        let posted = match copy_of
            .filter(|&of| of != id)
            .and_then(|of| self.shingles(of))
        {
            Some(of) => Posted::Only(
                shingles
                    .iter()
                    .copied()
                    .filter(|&h| {
                        sampled(h)
                            && (self.postings.len(h) < COPY_POSTING
                                || of.binary_search(&h).is_err())
                    })
                    .collect(),
            ),
            None => Posted::All,
        };
        if let Some(d) = self.by_id.get(&id).and_then(|&slot| self.doc(slot)) {
            if d.exact == fp.exact && d.tokens == fp.tokens && d.shingles[..] == shingles[..] {
                return;
            }
            self.remove(id);
        }
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.docs.push(None);
                (self.docs.len() - 1) as u32
            }
        };
        let nb = self.bands.len();
        let links = (slot as usize + 1) * nb;
        if self.band_next.len() < links {
            self.band_next.resize(links, NIL);
        }
        if self.exact_next.len() <= slot as usize {
            self.exact_next.resize(slot as usize + 1, NIL);
        }
        let banded = fp.tokens >= self.cfg.min_tokens && !shingles.is_empty();
        if banded {
            let sig = self.signature(fp, &shingles);
            let keys = self.band_keys(&sig);
            for (b, key) in keys.into_iter().enumerate() {
                let link = self.band_link(slot, b);
                if let Some(band) = self.bands.get_mut(b) {
                    let prev = band.insert(key, slot).unwrap_or(NIL);
                    if let Some(cell) = self.band_next.get_mut(link) {
                        *cell = prev;
                    }
                }
            }
        }
        let n_sampled = shingles.iter().filter(|&&h| sampled(h)).count();
        for h in posted.of(&shingles) {
            self.postings.insert(h, slot);
        }
        if !shingles.is_empty() {
            let prev = self.exact.insert(fp.exact, slot).unwrap_or(NIL);
            if let Some(cell) = self.exact_next.get_mut(slot as usize) {
                *cell = prev;
            }
        }
        let doc = Doc {
            id,
            exact: fp.exact,
            tokens: fp.tokens,
            shingles: shingles.into_boxed_slice(),
            sampled: n_sampled,
            banded,
            posted,
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
        /// Unlinks `slot` from the chain of `key` in `map`, whose links are `next[link(slot)]`.
        fn unlink<K: std::hash::Hash + Eq>(
            map: &mut FxHashMap<K, u32>,
            next: &mut [u32],
            key: K,
            slot: u32,
            link: impl Fn(u32) -> usize,
        ) {
            let Some(&head) = map.get(&key) else { return };
            let after = next.get(link(slot)).copied().unwrap_or(NIL);
            if head == slot {
                if after == NIL {
                    map.remove(&key);
                } else {
                    map.insert(key, after);
                }
                return;
            }
            let mut cur = head;
            for _ in 0..next.len() {
                let Some(&n) = next.get(link(cur)) else {
                    return;
                };
                if n == NIL {
                    return;
                }
                if n == slot {
                    if let Some(cell) = next.get_mut(link(cur)) {
                        *cell = after;
                    }
                    return;
                }
                cur = n;
            }
        }
        if !doc.shingles.is_empty() {
            unlink(
                &mut self.exact,
                &mut self.exact_next,
                doc.exact,
                slot,
                |s| s as usize,
            );
        }
        for h in doc.posted.of(&doc.shingles) {
            self.postings.remove(h, slot);
        }
        if doc.banded {
            let keys = self.band_keys(&minhash_with(&doc.shingles, &self.perms));
            let nb = self.bands.len();
            for (b, key) in keys.into_iter().enumerate() {
                if let Some(band) = self.bands.get_mut(b) {
                    unlink(band, &mut self.band_next, key, slot, |s| {
                        s as usize * nb + b
                    });
                }
            }
        }
        if let Some(cell) = self.band_next.get_mut(slot as usize * self.bands.len()..) {
            for c in cell.iter_mut().take(self.bands.len()) {
                *c = NIL;
            }
        }
        self.free.push(slot);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chunked lists hold exactly what a plain model holds through any sequence of inserts
    /// and removals (lengths crossing the inline, small and big chunk boundaries both ways).
    #[test]
    fn postings_match_a_plain_model() {
        let mut p = Postings::default();
        let mut model: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |k: u64| {
            state = mix64(state.wrapping_add(1));
            (state % k) as u32
        };
        for step in 0..20_000 {
            let key = next(5);
            let list = model.entry(key).or_default();
            // Grow more than shrink for the first half, then mostly shrink.
            let grow = if step < 10_000 {
                next(3) > 0
            } else {
                next(4) == 0
            };
            if grow || list.is_empty() {
                let slot = step as u32;
                list.push(slot);
                p.insert(key, slot);
            } else {
                let at = next(list.len() as u64) as usize;
                let slot = list.swap_remove(at);
                p.remove(key, slot);
                // Removing what is not there changes nothing.
                p.remove(key, u32::MAX - 1);
            }
            if step % 97 == 0 || step > 19_900 {
                for k in 0..5 {
                    let mut want = model.get(&k).cloned().unwrap_or_default();
                    let mut got = Vec::new();
                    assert!(p.walk(k, usize::MAX, |s| got.push(s)));
                    want.sort_unstable();
                    got.sort_unstable();
                    assert_eq!(got, want, "key {k} at step {step}");
                    let mut skipped = true;
                    p.walk(k, want.len().saturating_sub(1), |_| skipped = false);
                    assert!(
                        skipped || want.is_empty(),
                        "a list longer than max is skipped"
                    );
                }
            }
        }
        // Emptied lists leave the map, and freed chunks are reused.
        for (k, list) in model {
            for s in list {
                p.remove(k, s);
            }
        }
        assert!(p.map.is_empty());
        assert_eq!(p.free_small.len(), p.small.len());
        assert_eq!(p.free_big.len(), p.big.len());
    }

    /// A statement quoted by a thousand different articles: a short item that is only the
    /// statement is found inside them (its shingles' lists are over the cap a long document
    /// walks), and a long document that quotes it is still not walked into all of them.
    #[test]
    fn a_short_item_quoted_by_a_thousand_articles_is_found_contained() {
        let cfg = DedupConfig::default();
        let words =
            |n: usize, tag: &str| -> Vec<String> { (0..n).map(|i| format!("{tag}{i}")).collect() };
        let fp = |t: &[String]| {
            let r: Vec<&str> = t.iter().map(String::as_str).collect();
            crate::fingerprint(&r, &cfg)
        };
        let quote = words(40, "تصريح");
        let mut index = DedupIndex::new(cfg.clone());
        // Over the cap of long documents, then over the long cap of short items too (the
        // rarest-lists pass).
        for articles in [MAX_POSTING + 100, LONG_POSTING + 100] {
            for a in index.len()..articles {
                let mut t = words(150, &format!("مقال{a}_"));
                t.splice(60..60, quote.iter().cloned());
                index.insert(a as u64, &fp(&t));
            }
            let found = index.find_all(&fp(&quote));
            assert!(!found.is_empty(), "{articles} articles");
            assert!(found
                .iter()
                .all(|m| m.kind == MatchKind::ContainedIn && m.similarity == 1.0));
            assert_eq!(found[0].id, 0, "ties go to the smaller id");
        }
        // A long document that quotes the statement does not contain those articles, and
        // finds none of them through the statement's (skipped) lists.
        let mut long = words(200, "جديد");
        long.splice(100..100, quote.iter().cloned());
        assert!(index.find_all(&fp(&long)).is_empty());
    }

    /// A copy posts what the document it copies lacks, and what it shares with it only while
    /// the lists are short: an extract of the paragraphs a longer version added is found in that
    /// version however large the family, an extract of the shared part in the first copies.
    #[test]
    fn a_copy_posts_what_its_original_lacks_and_the_rest_while_lists_are_short() {
        let cfg = DedupConfig::default();
        let fp = |t: &[String]| {
            let r: Vec<&str> = t.iter().map(String::as_str).collect();
            crate::fingerprint(&r, &cfg)
        };
        let story: Vec<String> = (0..200).map(|i| format!("خبر{i}")).collect();
        let mut longer = story.clone();
        longer.extend((0..60).map(|i| format!("إضافة{i}")));
        let contained = |index: &DedupIndex, t: &[String]| -> Vec<u64> {
            let mut ids: Vec<u64> = index
                .find_all(&fp(t))
                .into_iter()
                .filter(|m| m.kind == MatchKind::ContainedIn)
                .map(|m| m.id)
                .collect();
            ids.sort_unstable();
            ids
        };
        let added = &longer[205..255];
        let shared = &story[20..70];

        // A small family: the copy is posted in full.
        let mut index = DedupIndex::new(cfg.clone());
        index.insert(0, &fp(&story));
        let m = index.find(&fp(&longer)).unwrap();
        assert_eq!((m.id, m.kind), (0, MatchKind::Near));
        index.insert_copy(1, &fp(&longer), 0);
        assert_eq!(contained(&index, added), [1]);
        assert_eq!(contained(&index, shared), [0, 1]);
        assert!(index.remove(0) && index.post(1) && index.remove(1));
        assert!(
            index.postings.map.is_empty(),
            "removal takes what was posted"
        );

        // A large family: once the shared lists are full, copies post only what is new.
        let mut index = DedupIndex::new(cfg.clone());
        index.insert(0, &fp(&story));
        let copies = COPY_POSTING as u64 + 20;
        for c in 1..copies {
            index.insert_copy(c, &fp(&story), 0);
        }
        index.insert_copy(copies, &fp(&longer), 0);
        assert_eq!(contained(&index, added), [copies]);
        let in_shared = contained(&index, shared);
        assert_eq!(in_shared, (0..COPY_POSTING as u64).collect::<Vec<_>>());
        // Posting the longer copy in full (its family's representatives gone) adds the rest.
        assert!(index.post(copies));
        assert!(contained(&index, shared).contains(&copies));
        for c in 0..=copies {
            assert!(index.remove(c));
        }
        assert!(index.postings.map.is_empty());
    }
}
