//! Word tables shipped with the crate (loaded once, folded with `search_key`).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::normalize::search_key;

/// A small, fast, non-cryptographic hasher (FxHash) for short keys in read-only tables.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut a = [0u8; 8];
            a.copy_from_slice(c);
            self.add(u64::from_le_bytes(a));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut a = [0u8; 8];
            a[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(a));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FxSet = HashSet<String, BuildHasherDefault<FxHasher>>;
pub(crate) type FxMap = HashMap<String, String, BuildHasherDefault<FxHasher>>;

/// Parses a word list: whitespace-separated entries, `#` starts a comment line; folded with `search_key`.
pub(crate) fn parse_list(src: &str) -> FxSet {
    let mut set = FxSet::default();
    for line in src.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        for w in line.split_whitespace() {
            let k = search_key(w);
            if !k.is_empty() {
                set.insert(k);
            }
        }
    }
    set
}

/// A 16 Kibit filter on (byte length, first four bytes): most lookups of strings that are not in a
/// table are answered without hashing the whole string.
pub(crate) struct Filter {
    bits: Vec<u64>,
}

impl Filter {
    const BITS: usize = 1 << 14;

    fn new<'a>(items: impl Iterator<Item = &'a str>) -> Self {
        let mut bits = vec![0u64; Self::BITS / 64];
        for s in items {
            let b = Self::bit(s);
            if let Some(w) = bits.get_mut(b / 64) {
                *w |= 1 << (b % 64);
            }
        }
        Filter { bits }
    }

    #[inline]
    fn bit(s: &str) -> usize {
        let b = s.as_bytes();
        let at = |i: usize| u64::from(b.get(i).copied().unwrap_or(0));
        let head = at(0) | at(1) << 8 | at(2) << 16 | at(3) << 24;
        let x = (head << 8) ^ (b.len() as u64);
        (x.wrapping_mul(SEED) >> 50) as usize & (Self::BITS - 1)
    }

    #[inline]
    fn may_contain(&self, s: &str) -> bool {
        let b = Self::bit(s);
        self.bits
            .get(b / 64)
            .is_some_and(|w| w & (1 << (b % 64)) != 0)
    }
}

/// A word set with a fast negative filter.
pub(crate) struct WordSet {
    set: FxSet,
    filter: Filter,
}

impl WordSet {
    pub(crate) fn from_set(set: FxSet) -> Self {
        let filter = Filter::new(set.iter().map(String::as_str));
        WordSet { set, filter }
    }

    #[inline]
    pub(crate) fn contains(&self, s: &str) -> bool {
        self.filter.may_contain(s) && self.set.contains(s)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &String> {
        self.set.iter()
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.set.len()
    }
}

/// A string map with a fast negative filter.
pub(crate) struct StemMap {
    map: FxMap,
    filter: Filter,
}

impl StemMap {
    #[inline]
    pub(crate) fn get(&self, s: &str) -> Option<&str> {
        if self.filter.may_contain(s) {
            self.map.get(s).map(String::as_str)
        } else {
            None
        }
    }

    #[inline]
    pub(crate) fn contains_key(&self, s: &str) -> bool {
        self.get(s).is_some()
    }
}

/// Known stems: words that must not be split, and names that take one-letter proclitics.
pub(crate) fn known_words() -> &'static WordSet {
    static SET: OnceLock<WordSet> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set = parse_list(include_str!("../data/lexicon.txt"));
        // Two-letter entries would license splits such as ل+بن.
        set.retain(|w| w.chars().count() >= 3);
        WordSet::from_set(set)
    })
}

/// Plain stems (suffixes removed without the lexicon) of the lexicon words, each mapped to its
/// lexicon word, so that inflected forms of a listed word are recognised and meet on the listed
/// form (وزارات، وزاري → وزارة). Where two words share a plain stem, the shorter (then smaller) wins.
pub(crate) fn known_stems() -> &'static StemMap {
    static MAP: OnceLock<StemMap> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = FxMap::default();
        let mut words: Vec<&String> = known_words().iter().collect();
        words.sort_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
        for w in words {
            let s = crate::stem::strip_plain(w);
            // Short stems would capture common words (ولاية → ولا).
            if s != w.as_str() && s.chars().count() >= 4 && !known_words().contains(s) {
                map.entry(s.to_owned()).or_insert_with(|| w.clone());
            }
        }
        let filter = Filter::new(map.keys().map(String::as_str));
        StemMap { map, filter }
    })
}
