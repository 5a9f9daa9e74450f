//! Exact and near-duplicate detection over analyzed (normalized) tokens.
//!
//! The crate is pure: callers hand it the normalized token strings of a document (the pipeline
//! produces them with `rasd_arabic::search_key`), it never touches storage.
//!
//! * [`fingerprint`] turns a token sequence into a [`Fingerprint`]: an exact hash, the sorted set of
//!   word-shingle hashes (`u32`) and a MinHash signature. Fingerprints are serde-serializable so the
//!   store can persist them and rebuild a [`DedupIndex`] without re-analyzing text.
//! * [`DedupIndex`] is an incremental in-memory index: exact hash lookup, MinHash LSH banding for
//!   near-duplicates (verified by the exact Jaccard of the shingle sets, never by the estimate) and a
//!   consistently sampled shingle index for containment (a short wire item inside a longer article).
//! * [`differences`] and [`is_edited`] describe what changed between two near-duplicates and say
//!   whether the change may alter the facts (a number, a negation, a name) or only function words.
//! * [`group`] runs the whole stage on a batch (what `rasd dedup` does): every copy joins the
//!   group of its canonical document (earliest published, else most complete) with its
//!   similarity, its differences and the document that contains it, if any.
//! * [`ParagraphIndex`] tells per-outlet boilerplate paragraphs from syndicated ones shared
//!   across outlets; [`provenance_chain`] follows `المصدر: X` / `نقلاً عن X` through a group.
//! * [`store`] keeps the LSH bands and fingerprints in SQLite tables (DDL exported), so a
//!   store of millions of documents keeps none of it in RAM.
//!
//! ```
//! use rasd_dedup::{fingerprint, DedupConfig, DedupIndex, MatchKind};
//!
//! let cfg = DedupConfig::default();
//! let text = "قال وزير الخارجية إن المحادثات بين الطرفين ستستأنف الأسبوع المقبل في العاصمة \
//!             بعد توقف دام شهرين بسبب الخلاف على جدول الأعمال وأضاف أن الوفدين اتفقا على \
//!             تشكيل لجنة فنية مشتركة لمتابعة تنفيذ الاتفاق ومراقبة وقف إطلاق النار في المناطق \
//!             الحدودية وأكد أن بلاده ملتزمة بالحل السياسي وترفض أي تدخل خارجي في شؤونها الداخلية \
//!             مشيرا إلى أن الجولة المقبلة ستشهد مشاركة ممثلين عن الأمم المتحدة والجامعة العربية";
//! let a: Vec<&str> = text.split_whitespace().collect();
//! let mut b = a.clone();
//! b[3] = "انا"; // a typo-like edit
//!
//! let mut index = DedupIndex::new(cfg.clone());
//! index.insert(1, &fingerprint(&a, &cfg));
//! let m = index.find(&fingerprint(&b, &cfg)).expect("near duplicate");
//! assert_eq!((m.id, m.kind), (1, MatchKind::Near));
//!
//! let diffs = rasd_dedup::differences(&a, &b, 5);
//! assert_eq!(diffs, vec!["إن → انا".to_string()]);
//! assert!(!rasd_dedup::is_edited(&["في → من".to_string()]));
//! assert!(rasd_dedup::is_edited(&["2 → 3".to_string()]));
//! ```

mod diff;
mod group;
mod index;
mod paragraph;
mod provenance;
pub mod store;

pub use diff::{differences, is_edited};
pub use group::{group, Assignment, GroupDoc, MAX_DIFFERENCES};
pub use index::{sort_best_first, DedupIndex, Match, MatchKind};
pub use paragraph::{
    paragraph_hash, paragraph_text_hash, ParagraphConfig, ParagraphIndex, ParagraphRole,
    PARAGRAPH_DDL,
};
pub use provenance::{provenance_chain, ProvenanceStep, SourceInfo};

use serde::{Deserialize, Serialize};

/// Tuning of fingerprints and of the index.
///
/// The defaults were chosen by measurement: `cargo run --release -p rasd-dedup --example measure`
/// (601 real base documents: ANERcorp cut into ~250-token pseudo-documents, the 254 SemEval-2022
/// Arabic texts and the seeds; realistic synthetic edits; 20,000-document corpus).
///
/// * `shingle_size = 5` (word 5-grams). Jaccard between a document and a copy with a mix of 2–3
///   realistic edits (typos, word swaps, paragraph moves, truncation, sentences added or dropped,
///   other boilerplate): median 0.70, 88 % ≥ 0.5. Different articles about the same story
///   (SemEval pairs scored "same story"): p95 0.19; the only pair above 0.5 (0.51) is one press
///   release lightly rewritten by two outlets. Unrelated articles: max 0.13. Shorter shingles
///   raise same-story similarity (k = 3: p95 0.25, max 0.59, 3/55 pairs ≥ 0.4); longer ones let
///   each typo destroy more shingles (k = 7: 82 % of edited copies ≥ 0.5 instead of 88 %).
/// * `threshold = 0.5`: at k = 5, 0.6 would lose 14 % more edited copies (74 % kept) and 0.4
///   admits a second same-story pair; copies edited below 0.5 (heavily truncated, half of a short
///   text deleted) are mostly caught by containment: 99.3 % of all generated edited copies matched
///   their parent as near duplicate or containment.
/// * `bands = 33`, `rows = 3` (99 MinHash permutations): candidate probability `1-(1-s³)^33` is
///   0.99 at s = 0.5, 0.9997 at 0.6, 0.89 at 0.4, 0.23 at 0.2. Measured on 20,000 documents
///   (18,058 pairs with true J ≥ 0.5, 5,667 with J ≥ 0.8): recall 0.9996 at J ≥ 0.5 and 1.0 at
///   J ≥ 0.8, precision 1.0 (every candidate is verified by the exact Jaccard of the shingle sets).
///   On 100,000 documents (`MEASURE_QUICK=1 … measure -- 100000`; 28,806 pairs with J ≥ 0.8):
///   precision 1.0000, recall 1.0000 at J ≥ 0.8.
///   20 × 5 recalls only 0.914 at J ≥ 0.5 (0.65 in the 0.5–0.6 bin); 50 × 2 gains nothing and
///   doubles the time.
/// * `containment_threshold = 0.7`: 97.7 % of short wire extracts (30–70 tokens, half with 2 %
///   typos) are found inside their source; the first 40 tokens of a SemEval text are contained
///   in its same-story partner at most 0.64 (p95 0.22).
/// * `min_tokens = 50`: shorter documents take no part in near-duplicate matching (a few shared
///   phrases make a large Jaccard on a short text); they match exactly or by containment, and
///   `min_containment_tokens = 15` keeps headline-sized fragments out of containment too.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct DedupConfig {
    /// Words per shingle (word n-gram size). 0 is treated as 1.
    pub shingle_size: usize,
    /// LSH bands. 0 is treated as 1.
    pub bands: usize,
    /// MinHash rows (permutations) per band. 0 is treated as 1.
    pub rows: usize,
    /// Minimal exact Jaccard of the shingle sets for a [`MatchKind::Near`] match.
    pub threshold: f64,
    /// Minimal share of the smaller document's shingles found in the larger one for
    /// [`MatchKind::ContainedIn`] / [`MatchKind::Contains`].
    pub containment_threshold: f64,
    /// Documents with fewer content tokens take no part in near-duplicate matching.
    pub min_tokens: usize,
    /// The smaller document of a containment match needs at least this many content tokens.
    pub min_containment_tokens: usize,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            shingle_size: 5,
            bands: 33,
            rows: 3,
            threshold: 0.5,
            containment_threshold: 0.7,
            min_tokens: 50,
            min_containment_tokens: 15,
        }
    }
}

impl DedupConfig {
    pub(crate) fn k(&self) -> usize {
        self.shingle_size.max(1)
    }
    pub(crate) fn num_perm(&self) -> usize {
        self.bands.max(1).saturating_mul(self.rows.max(1))
    }
}

/// Per-document fingerprint, cheap to persist (serde) and to restore the index from.
///
/// Only content tokens count: tokens without any letter or digit (punctuation) are skipped, so a
/// changed comma does not change the fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// xxh3 of the content-token sequence (0 for an empty document).
    pub exact: u64,
    /// Sorted, deduplicated hashes of the word shingles.
    pub shingles: Vec<u32>,
    /// MinHash signature (`bands * rows` values; empty when there are no shingles).
    pub minhash: Vec<u32>,
    /// Number of content tokens.
    pub tokens: usize,
}

/// True for tokens that carry a letter or a digit (punctuation and symbols are ignored).
pub(crate) fn is_content(token: &str) -> bool {
    // Arabic letters (U+0621–U+064A, all alphabetic) and ASCII first: `is_alphanumeric` takes a
    // slow table lookup for every non-ASCII character.
    token.chars().any(|c| {
        c.is_ascii_alphanumeric() || ('\u{0621}'..='\u{064A}').contains(&c) || c.is_alphanumeric()
    })
}

/// SplitMix64 finalizer: a cheap, well-mixing 64-bit permutation.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Coefficients `(a, b)` of the multiply-add-shift hash family `h(x) = (a·x + b) >> 32`, one per
/// MinHash permutation. Fixed seed: signatures are stable across runs and versions.
pub(crate) fn permutations(n: usize) -> Vec<(u64, u64)> {
    let mut state: u64 = 0x7261_7364_6465_6475; // "rasddedu"
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix64(state)
    };
    (0..n).map(|_| (next() | 1, next())).collect()
}

/// MinHash signature of a shingle set with the given permutations (empty for an empty set).
///
/// Uses AVX2 when the CPU has it (detected at run time), else plain scalar code; both give the
/// same values (a test checks it), so signatures never depend on the machine.
pub(crate) fn minhash_with(shingles: &[u32], perms: &[(u64, u64)]) -> Vec<u32> {
    if shingles.is_empty() {
        return Vec::new();
    }
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            return simd::minhash_avx2(shingles, perms);
        }
    }
    minhash_scalar(shingles, perms)
}

/// The reference MinHash: `h(x) = (a·x + b) >> 32` with 64-bit wrapping arithmetic, the minimum
/// over the set for each permutation.
pub(crate) fn minhash_scalar(shingles: &[u32], perms: &[(u64, u64)]) -> Vec<u32> {
    if shingles.is_empty() {
        return Vec::new();
    }
    let mut sig = vec![u32::MAX; perms.len()];
    for &s in shingles {
        let x = u64::from(s);
        for (m, &(a, b)) in sig.iter_mut().zip(perms) {
            let h = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
            if h < *m {
                *m = h;
            }
        }
    }
    sig
}

/// MinHash with AVX2, eight permutations per vector.
///
/// AVX2 has no 64-bit multiply, so the hash is split into 32-bit halves: with `a = aₕ·2³² + aₗ`,
/// `b = bₕ·2³² + bₗ` and a 32-bit `x`, `(a·x + b) >> 32 ≡ ((aₗ·x + bₗ) >> 32) + aₕ·x + bₕ
/// (mod 2³²)`, and `aₗ·x + bₗ < 2⁶⁴` never overflows. `aₗ·x + bₗ` is computed exactly with
/// `_mm256_mul_epu32` (32×32→64 bits, on the even and the odd lanes separately), `aₕ·x` with
/// `_mm256_mullo_epi32`.
#[cfg(target_arch = "x86_64")]
mod simd {
    use std::arch::x86_64::*;

    /// Lanes per vector.
    const L: usize = 8;

    pub(super) fn minhash_avx2(shingles: &[u32], perms: &[(u64, u64)]) -> Vec<u32> {
        // Constants per block of eight permutations (the last block padded with a = b = 0, whose
        // lanes are dropped): a's low halves of the even and odd permutations as 64-bit lanes,
        // b's low halves likewise, and a's and b's high halves as 32-bit lanes.
        let blocks = perms.len().div_ceil(L);
        let mut consts = vec![[0u32; L]; blocks * 6];
        for (i, &(a, b)) in perms.iter().enumerate() {
            let (blk, lane) = (i / L, i % L);
            let (alo, ahi, blo, bhi) = (a as u32, (a >> 32) as u32, b as u32, (b >> 32) as u32);
            let c = &mut consts[blk * 6..blk * 6 + 6];
            // Even permutation 2k sits in the low half of 64-bit lane k of the "even" vectors,
            // odd permutation 2k+1 in the low half of lane k of the "odd" ones.
            let slot = (lane / 2) * 2;
            if lane % 2 == 0 {
                c[0][slot] = alo;
                c[2][slot] = blo;
            } else {
                c[1][slot] = alo;
                c[3][slot] = blo;
            }
            c[4][lane] = ahi;
            c[5][lane] = bhi;
        }
        let mut sig = vec![u32::MAX; blocks * L];
        // SAFETY: this function is only called after `is_x86_feature_detected!("avx2")` returned
        // true, so the AVX2 instructions are available. All memory accesses are unaligned
        // loads/stores (`loadu`/`storeu`) of 32 bytes inside `consts` (blocks × 6 arrays of 8
        // u32) and `sig` (blocks × 8 u32), at offsets below those lengths; `shingles` is read by
        // safe indexing.
        unsafe { kernel(shingles, &consts, &mut sig) };
        sig.truncate(perms.len());
        sig
    }

    #[target_feature(enable = "avx2")]
    unsafe fn kernel(shingles: &[u32], consts: &[[u32; L]], sig: &mut [u32]) {
        let load = |v: &[u32; L]| _mm256_loadu_si256(v.as_ptr().cast());
        for (c, out) in consts.chunks_exact(6).zip(sig.chunks_exact_mut(L)) {
            let (alo_e, alo_o, blo_e, blo_o, ahi, bhi) = (
                load(&c[0]),
                load(&c[1]),
                load(&c[2]),
                load(&c[3]),
                load(&c[4]),
                load(&c[5]),
            );
            let mut min0 = _mm256_set1_epi32(-1);
            let mut min1 = _mm256_set1_epi32(-1);
            let hash = |x: __m256i| {
                let lo_e = _mm256_add_epi64(_mm256_mul_epu32(alo_e, x), blo_e);
                let lo_o = _mm256_add_epi64(_mm256_mul_epu32(alo_o, x), blo_o);
                // High halves: even permutations' moved down into the even 32-bit lanes, odd
                // permutations' already in the odd lanes.
                let hi = _mm256_blend_epi32::<0b1010_1010>(_mm256_srli_epi64::<32>(lo_e), lo_o);
                _mm256_add_epi32(_mm256_add_epi32(hi, bhi), _mm256_mullo_epi32(ahi, x))
            };
            let mut pairs = shingles.chunks_exact(2);
            for p in &mut pairs {
                // Two independent chains hide the latency of the multiplies.
                let x0 = _mm256_set1_epi32(p[0] as i32);
                let x1 = _mm256_set1_epi32(p[1] as i32);
                min0 = _mm256_min_epu32(min0, hash(x0));
                min1 = _mm256_min_epu32(min1, hash(x1));
            }
            for &s in pairs.remainder() {
                min0 = _mm256_min_epu32(min0, hash(_mm256_set1_epi32(s as i32)));
            }
            _mm256_storeu_si256(out.as_mut_ptr().cast(), _mm256_min_epu32(min0, min1));
        }
    }
}

/// LSH band keys of a MinHash signature: one 32-bit hash per band of `rows` values (a rare
/// collision of two different bands only adds a candidate, which verification rejects).
pub(crate) fn band_keys_of(sig: &[u32], rows: usize, bands: usize) -> Vec<u32> {
    sig.chunks(rows.max(1))
        .take(bands)
        .map(|band| {
            let h = band
                .iter()
                .fold(0x004c_5348_u64, |h, &v| mix64(h ^ u64::from(v)));
            (h ^ (h >> 32)) as u32
        })
        .collect()
}

/// Fingerprints a document given its normalized tokens.
///
/// Word shingles are `shingle_size` consecutive content tokens; a document shorter than that
/// yields one shingle of all its tokens, an empty one yields none.
pub fn fingerprint(tokens: &[&str], cfg: &DedupConfig) -> Fingerprint {
    let mut exact = xxhash_rust::xxh3::Xxh3::new();
    let mut hashes: Vec<u64> = Vec::with_capacity(tokens.len());
    for t in tokens.iter().filter(|t| is_content(t)) {
        exact.update(t.as_bytes());
        exact.update(&[0x1f]);
        hashes.push(xxhash_rust::xxh3::xxh3_64(t.as_bytes()));
    }
    let n = hashes.len();
    if n == 0 {
        return Fingerprint {
            exact: 0,
            shingles: Vec::new(),
            minhash: Vec::new(),
            tokens: 0,
        };
    }
    let k = cfg.k().min(n);
    let mut shingles: Vec<u32> = hashes
        .windows(k)
        .map(|w| {
            let h = w.iter().fold(0x5348_494e_474c_4553u64, |h, &x| {
                mix64(h.rotate_left(23) ^ x)
            });
            (h >> 32) as u32 ^ h as u32
        })
        .collect();
    shingles.sort_unstable();
    shingles.dedup();
    let minhash = minhash_with(&shingles, &permutations(cfg.num_perm()));
    Fingerprint {
        exact: exact.digest(),
        shingles,
        minhash,
        tokens: n,
    }
}

/// Size of the intersection of two sorted sets.
///
/// Branch-free merge: both cursors advance by comparisons turned into integers, so the CPU never
/// mispredicts which side moves (verifying candidates spends most of its time here).
pub(crate) fn intersection(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0usize, 0usize, 0usize);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        n += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}

/// Size of the intersection of two sorted sets when it can still reach `at_least`; `None` as soon
/// as the elements left on the shorter side cannot make up the difference (most candidates that
/// fail verification are told apart after a fraction of the merge).
pub(crate) fn intersection_at_least(a: &[u32], b: &[u32], at_least: usize) -> Option<usize> {
    const BLOCK: usize = 32;
    let (mut i, mut j, mut n) = (0usize, 0usize, 0usize);
    loop {
        let left = (a.len() - i.min(a.len())).min(b.len() - j.min(b.len()));
        if n + left < at_least {
            return None;
        }
        if left == 0 {
            return Some(n);
        }
        for _ in 0..BLOCK {
            let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) else {
                break;
            };
            n += usize::from(x == y);
            i += usize::from(x <= y);
            j += usize::from(y <= x);
        }
    }
}

/// [`jaccard`] when it is at least `threshold`, else `None` (computed with the same arithmetic, so
/// the value is the same; the merge stops early when the threshold is out of reach).
pub(crate) fn jaccard_at_least(a: &[u32], b: &[u32], threshold: f64) -> Option<f64> {
    let total = a.len() + b.len();
    // Smallest intersection whose Jaccard inter / (total - inter) reaches the threshold, minus
    // one for safety against rounding: the exact test below decides.
    let need = ((threshold * total as f64) / (1.0 + threshold))
        .floor()
        .max(1.0) as usize
        - 1;
    let inter = intersection_at_least(a, b, need)?;
    let union = total - inter;
    let j = if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    };
    (j >= threshold).then_some(j)
}

/// [`containment`] of `small` in `big` when it is at least `threshold`, else `None` (same value,
/// early exit as in [`jaccard_at_least`]).
pub(crate) fn containment_at_least(small: &[u32], big: &[u32], threshold: f64) -> Option<f64> {
    if small.is_empty() {
        return (0.0 >= threshold).then_some(0.0);
    }
    let need = (threshold * small.len() as f64).floor().max(1.0) as usize - 1;
    let inter = intersection_at_least(small, big, need)?;
    let c = inter as f64 / small.len() as f64;
    (c >= threshold).then_some(c)
}

/// Jaccard similarity `|a∩b| / |a∪b|` of two sorted, deduplicated sets; 0 when both are empty.
///
/// ```
/// assert_eq!(rasd_dedup::jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
/// ```
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let inter = intersection(a, b);
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Containment `|small∩big| / |small|` of two sorted, deduplicated sets; 0 when `small` is empty.
///
/// ```
/// assert_eq!(rasd_dedup::containment(&[2, 3], &[1, 2, 3, 4]), 1.0);
/// ```
pub fn containment(small: &[u32], big: &[u32]) -> f64 {
    if small.is_empty() {
        0.0
    } else {
        intersection(small, big) as f64 / small.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn fingerprint_basics() {
        let cfg = DedupConfig::default();
        let e = fingerprint(&[], &cfg);
        assert_eq!(
            (e.tokens, e.shingles.len(), e.minhash.len(), e.exact),
            (0, 0, 0, 0)
        );
        // Punctuation-only input is empty too.
        assert_eq!(fingerprint(&["،", ".", "--"], &cfg).tokens, 0);

        let short = fingerprint(&toks("قمة عربية"), &cfg);
        assert_eq!((short.tokens, short.shingles.len()), (2, 1));
        assert_eq!(short.minhash.len(), 99);

        let a = fingerprint(&toks("ا ب ج د ه و ز ح ط ي"), &cfg);
        assert_eq!(a.shingles.len(), 6);
        assert!(a.shingles.windows(2).all(|w| w[0] < w[1]));
        // Punctuation does not change the fingerprint; token order does.
        let b = fingerprint(&toks("ا ب ، ج د ه و ز ح . ط ي"), &cfg);
        assert_eq!(a, b);
        let c = fingerprint(&toks("ب ا ج د ه و ز ح ط ي"), &cfg);
        assert_ne!(a.exact, c.exact);
        // Token boundaries matter for the exact hash.
        assert_ne!(
            fingerprint(&toks("اب ج"), &cfg).exact,
            fingerprint(&toks("ا بج"), &cfg).exact
        );
    }

    #[test]
    fn content_fast_path_agrees_with_is_alphanumeric() {
        for c in ('\u{0}'..='\u{07FF}').chain('\u{FB50}'..='\u{FEFF}') {
            let s = c.to_string();
            assert_eq!(is_content(&s), c.is_alphanumeric(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn set_measures() {
        let cases: &[(&[u32], &[u32], f64, f64)] = &[
            (&[], &[], 0.0, 0.0),
            (&[1], &[], 0.0, 0.0),
            (&[1, 2, 3, 4], &[1, 2, 3, 4], 1.0, 1.0),
            (&[1, 2], &[1, 2, 3, 4], 0.5, 1.0),
            (&[1, 5], &[1, 2, 3, 4], 0.2, 0.5),
            (&[7, 8], &[1, 2], 0.0, 0.0),
        ];
        for &(a, b, j, c) in cases {
            assert_eq!(jaccard(a, b), j, "{a:?} {b:?}");
            assert_eq!(jaccard(b, a), j);
            assert_eq!(containment(a, b), c, "{a:?} {b:?}");
        }
        // Unsorted input gives a wrong value but never panics.
        let _ = jaccard(&[3, 1, 2], &[2, 1]);
    }

    #[test]
    fn thresholded_measures_agree_with_the_plain_ones() {
        let sets: Vec<Vec<u32>> = (0..30u64)
            .map(|n| {
                let mut v: Vec<u32> = (0..n * 7 + 1)
                    .map(|i| (mix64(i % (n + 5)) % 97) as u32)
                    .collect();
                v.sort_unstable();
                v.dedup();
                v
            })
            .chain([Vec::new(), vec![1], vec![1, 2, 3, 4]])
            .collect();
        for a in &sets {
            for b in &sets {
                for t in [0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.95, 1.0] {
                    let j = jaccard(a, b);
                    assert_eq!(
                        jaccard_at_least(a, b, t),
                        (j >= t).then_some(j),
                        "{a:?} {b:?} {t}"
                    );
                    let c = containment(a, b);
                    assert_eq!(
                        containment_at_least(a, b, t),
                        (c >= t).then_some(c),
                        "{a:?} {b:?} {t}"
                    );
                }
                assert_eq!(
                    intersection(a, b),
                    intersection_at_least(a, b, 0).unwrap_or(usize::MAX)
                );
            }
        }
    }

    #[test]
    fn minhash_estimates_jaccard() {
        let a: Vec<u32> = (0..400).map(|i| mix64(i) as u32).collect();
        let b: Vec<u32> = (100..500).map(|i| mix64(i) as u32).collect();
        let (mut a, mut b) = (a, b);
        a.sort_unstable();
        b.sort_unstable();
        let perms = permutations(400);
        let (sa, sb) = (minhash_with(&a, &perms), minhash_with(&b, &perms));
        let est = sa.iter().zip(&sb).filter(|(x, y)| x == y).count() as f64 / 400.0;
        let truth = jaccard(&a, &b); // 300 / 500 = 0.6
        assert!((est - truth).abs() < 0.08, "estimate {est} vs {truth}");
    }

    #[test]
    fn simd_and_scalar_minhash_agree() {
        // Every set size around the two-shingle unroll, permutation counts around the 8-lane
        // blocks, and extreme shingle values (0, u32::MAX) that exercise the carries.
        let mut sets: Vec<Vec<u32>> = (1..40u64)
            .map(|n| (0..n).map(|i| mix64(i * 7919 + n) as u32).collect())
            .collect();
        sets.push(vec![0, 1, u32::MAX - 1, u32::MAX]);
        sets.push(vec![u32::MAX]);
        for n_perm in [1, 3, 7, 8, 9, 16, 99, 112, 130] {
            let perms = permutations(n_perm);
            for set in &sets {
                let fast = minhash_with(set, &perms);
                assert_eq!(fast, minhash_scalar(set, &perms), "{n_perm} perms, {set:?}");
                assert_eq!(fast.len(), n_perm);
            }
        }
        // Hand-picked coefficients with all high and low bits set.
        let perms = [
            (u64::MAX, u64::MAX),
            (1, 0),
            (0xffff_ffff, 0xffff_ffff),
            (1 << 32, 1),
        ];
        for set in &sets {
            assert_eq!(minhash_with(set, &perms), minhash_scalar(set, &perms));
        }
        assert!(minhash_with(&[], &perms).is_empty());
    }

    #[test]
    fn signature_values_are_stable() {
        // Persisted band keys depend on these exact values: a change here breaks stored indexes.
        let cfg = DedupConfig::default();
        let fp = fingerprint(&toks("ا ب ج د ه و ز ح ط ي"), &cfg);
        let perms = permutations(cfg.num_perm());
        assert_eq!(fp.minhash, minhash_scalar(&fp.shingles, &perms));
    }

    #[test]
    fn config_roundtrip_and_defaults() {
        let cfg: DedupConfig = serde_json::from_str(r#"{"threshold": 0.9}"#).unwrap();
        assert_eq!(cfg.threshold, 0.9);
        assert_eq!(cfg.shingle_size, DedupConfig::default().shingle_size);
        let zero = DedupConfig {
            shingle_size: 0,
            bands: 0,
            rows: 0,
            ..DedupConfig::default()
        };
        let fp = fingerprint(&toks("ا ب ج"), &zero);
        assert_eq!((fp.shingles.len(), fp.minhash.len()), (3, 1));
    }
}
