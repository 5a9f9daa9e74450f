//! Batch grouping: every copy of a document joins the group of the earliest (else most complete)
//! document it copies, with its similarity to that canonical document and what differs.

use serde::Serialize;

use rayon::prelude::*;

use crate::{
    differences, is_edited, jaccard, sort_best_first, DedupConfig, DedupIndex, Fingerprint, Match,
    MatchKind,
};

/// Most word differences reported per copy.
pub const MAX_DIFFERENCES: usize = 8;

/// Documents looked up in parallel against the index of the earlier ones; each batch then
/// looks up its own earlier documents in a small index of its own, in order. The result does
/// not depend on the number of threads.
const LOOKUP_BATCH: usize = 2048;

/// One document handed to [`group`].
#[derive(Debug, Clone)]
pub struct GroupDoc {
    /// Its fingerprint ([`crate::fingerprint`] of its normalized tokens; the MinHash signature may
    /// be left empty, it is then computed when the document is indexed).
    pub fingerprint: Fingerprint,
    /// Publication instant (any monotonic unit, e.g. seconds since the epoch), when known.
    pub published: Option<i64>,
}

/// Where [`group`] put one document. Indices refer to the input slice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// The canonical document of its group (itself when it is canonical).
    pub canonical: usize,
    /// How it joined the group: `Exact`, `Near` or `ContainedIn`; `None` for a canonical document.
    pub kind: Option<MatchKind>,
    /// Similarity to the canonical document: 1 for itself and exact copies, the Jaccard of the
    /// shingle sets for near copies, the share of its shingles found in the containing document
    /// for contained ones.
    pub similarity: f64,
    /// True when it differs from the canonical document in words that may change the facts
    /// (a number, a name, a negation): see [`is_edited`].
    pub edited: bool,
    /// What differs from the canonical document (see [`differences`]; empty for exact copies
    /// and contained extracts).
    pub differences: Vec<String>,
    /// A document that contains it (a short wire item inside a longer article), if any.
    pub contained_in: Option<usize>,
}

/// The order in which documents become canonical: earliest published first (unknown dates
/// last), then the most complete (most tokens), then input order.
fn order(docs: &[GroupDoc]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..docs.len()).collect();
    idx.sort_by_key(|&i| {
        let d = &docs[i];
        (
            d.published.is_none(),
            d.published,
            std::cmp::Reverse(d.fingerprint.tokens),
            i,
        )
    });
    idx
}

/// Groups documents into copies of one another.
///
/// Documents are indexed one by one, earliest published first (then most complete, then input
/// order), so each group's canonical document is its earliest published copy, or its longest
/// when no date is known. Each document looks up what it copies with [`DedupIndex::find_all`]:
/// an exact, near or contained match puts it into the group of what it matched (its similarity
/// is then measured against the group's canonical document, and for near copies
/// `tokens_of(i)` — the normalized tokens of document `i` — is asked for the word differences).
/// A later document that *contains* an earlier one (a long article around a short wire item)
/// is not its copy: it stands on its own, and the earlier one records it as `contained_in`.
///
/// Documents are looked up in batches of [`LOOKUP_BATCH`], in parallel (rayon) against the
/// index of the earlier batches. Fingerprints are dropped as soon as they are indexed; memory
/// is the index's.
///
/// ```
/// use rasd_dedup::{fingerprint, group, DedupConfig, GroupDoc};
///
/// let cfg = DedupConfig::default();
/// let text: Vec<String> = (0..80).map(|i| format!("كلمة{i}")).collect();
/// let mut edited = text.clone();
/// edited[40] = "لا".into();
/// let texts = [text.clone(), edited, text];
/// let docs: Vec<GroupDoc> = texts
///     .iter()
///     .zip([Some(20), Some(10), None])
///     .map(|(t, published)| {
///         let refs: Vec<&str> = t.iter().map(String::as_str).collect();
///         GroupDoc { fingerprint: fingerprint(&refs, &cfg), published }
///     })
///     .collect();
/// let out = group(docs, &cfg, |i| texts[i].clone());
/// // The edited copy was published first: it is the canonical document of all three.
/// assert!(out.iter().all(|a| a.canonical == 1));
/// assert!(out[0].edited && out[2].edited);
/// assert_eq!(out[0].differences, ["لا → كلمة40"]);
/// ```
pub fn group(
    docs: Vec<GroupDoc>,
    cfg: &DedupConfig,
    mut tokens_of: impl FnMut(usize) -> Vec<String>,
) -> Vec<Assignment> {
    let n = docs.len();
    let ord = order(&docs);
    let exact: Vec<u64> = docs.iter().map(|d| d.fingerprint.exact).collect();
    let mut fps: Vec<Option<Fingerprint>> = docs.into_iter().map(|d| Some(d.fingerprint)).collect();
    let mut out: Vec<Assignment> = (0..n)
        .map(|i| Assignment {
            canonical: i,
            kind: None,
            similarity: 1.0,
            edited: false,
            differences: Vec::new(),
            contained_in: None,
        })
        .collect();
    let mut index = DedupIndex::new(cfg.clone());
    for batch in ord.chunks(LOOKUP_BATCH) {
        let batch: Vec<(usize, Fingerprint)> = batch
            .iter()
            .filter_map(|&i| Some((i, fps.get_mut(i)?.take()?)))
            .collect();
        // What each document copies among the earlier batches, looked up in parallel (the
        // index does not change during a batch) ...
        let earlier: Vec<Vec<Match>> = batch.par_iter().map(|(_, fp)| index.find_all(fp)).collect();
        // ... and among the batch's own earlier documents, in order.
        let mut recent = DedupIndex::new(cfg.clone());
        let mut copies: Vec<Option<u64>> = Vec::with_capacity(batch.len());
        for ((i, fp), mut matches) in batch.iter().zip(earlier) {
            let i = *i;
            matches.extend(recent.find_all(fp));
            sort_best_first(&mut matches);
            // What it copies or is contained in: the best match that is not a container.
            let copied = matches.iter().find(|m| m.kind != MatchKind::Contains);
            let copy_of = copied
                .filter(|m| m.kind != MatchKind::ContainedIn)
                .map(|m| m.id);
            if let Some(m) = copied {
                let matched = usize::try_from(m.id).unwrap_or(usize::MAX);
                let root = out.get(matched).map_or(matched, |a| a.canonical);
                let mut a = Assignment {
                    canonical: root,
                    kind: Some(m.kind),
                    similarity: m.similarity,
                    edited: false,
                    differences: Vec::new(),
                    contained_in: None,
                };
                if m.kind == MatchKind::ContainedIn {
                    a.contained_in = Some(matched);
                } else {
                    if root != matched {
                        // Matched a copy: measure against the canonical document itself.
                        if exact.get(root) == Some(&fp.exact) {
                            a.kind = Some(MatchKind::Exact);
                            a.similarity = 1.0;
                        } else {
                            a.kind = Some(MatchKind::Near);
                            a.similarity = recent
                                .shingles(root as u64)
                                .or_else(|| index.shingles(root as u64))
                                .map_or(m.similarity, |s| jaccard(s, &fp.shingles));
                        }
                    }
                    if a.kind == Some(MatchKind::Near) {
                        let (ca, cb) = (tokens_of(root), tokens_of(i));
                        let ra: Vec<&str> = ca.iter().map(String::as_str).collect();
                        let rb: Vec<&str> = cb.iter().map(String::as_str).collect();
                        a.differences = differences(&ra, &rb, MAX_DIFFERENCES);
                        a.edited = is_edited(&a.differences);
                    }
                }
                if let Some(cell) = out.get_mut(i) {
                    *cell = a;
                }
            }
            // Earlier documents this one contains (it stands on its own): link them to it.
            let own_group = out.get(i).map_or(i, |a| a.canonical);
            for m in matches.iter().filter(|m| m.kind == MatchKind::Contains) {
                let Ok(j) = usize::try_from(m.id) else {
                    continue;
                };
                if let Some(small) = out.get_mut(j) {
                    if small.contained_in.is_none() && small.canonical != own_group {
                        small.contained_in = Some(i);
                    }
                }
            }
            insert(&mut recent, i, fp, copy_of);
            copies.push(copy_of);
        }
        for ((i, fp), copy_of) in batch.iter().zip(copies) {
            insert(&mut index, *i, fp, copy_of);
        }
    }
    out
}

/// Indexes document `i`: an exact or near copy of an indexed document as a copy of it (see
/// [`DedupIndex::insert_copy`]), anything else in full.
fn insert(index: &mut DedupIndex, i: usize, fp: &Fingerprint, copy_of: Option<u64>) {
    match copy_of {
        Some(of) => index.insert_copy(i as u64, fp, of),
        None => index.insert(i as u64, fp),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint;

    fn words(n: usize, tag: &str) -> Vec<String> {
        (0..n).map(|i| format!("{tag}{i}")).collect()
    }

    fn docs(texts: &[Vec<String>], dates: &[Option<i64>]) -> Vec<GroupDoc> {
        let cfg = DedupConfig::default();
        texts
            .iter()
            .zip(dates)
            .map(|(t, &published)| {
                let refs: Vec<&str> = t.iter().map(String::as_str).collect();
                GroupDoc {
                    fingerprint: fingerprint(&refs, &cfg),
                    published,
                }
            })
            .collect()
    }

    #[test]
    fn canonical_is_earliest_then_longest() {
        let cfg = DedupConfig::default();
        let base = words(120, "خبر");
        let mut longer = base.clone();
        longer.extend(words(5, "ذيل"));
        let other = words(100, "آخر");
        let texts = vec![base.clone(), longer.clone(), other.clone(), base.clone()];
        let cases: &[(&[Option<i64>], usize)] = &[
            // No dates: the most complete copy (the longer one) is canonical.
            (&[None, None, None, None], 1),
            // A date wins over length; the earliest date wins.
            (&[Some(5), Some(9), None, Some(3)], 3),
            (&[None, Some(9), None, None], 1),
            (&[Some(1), Some(9), None, None], 0),
        ];
        for &(dates, canon) in cases {
            let out = group(docs(&texts, dates), &cfg, |i| texts[i].clone());
            for i in [0, 1, 3] {
                assert_eq!(out[i].canonical, canon, "{dates:?} doc {i}");
            }
            assert_eq!(out[2].canonical, 2, "an unrelated text stands alone");
            assert_eq!(out[2].kind, None);
            assert_eq!(out[canon].kind, None);
            assert_eq!(out[canon].similarity, 1.0);
        }
        // Exact copies are exact, with no differences; the longer one is near.
        let out = group(docs(&texts, &[None; 4]), &cfg, |i| texts[i].clone());
        assert_eq!(out[0].kind, Some(MatchKind::Near));
        assert_eq!(out[3].kind, Some(MatchKind::Near));
        let out = group(
            docs(&texts, &[Some(1), Some(2), None, Some(3)]),
            &cfg,
            |i| texts[i].clone(),
        );
        assert_eq!(out[3].kind, Some(MatchKind::Exact));
        assert!(out[3].differences.is_empty() && !out[3].edited);
        assert_eq!(out[1].kind, Some(MatchKind::Near));
        assert!(out[1].similarity > 0.9 && out[1].similarity < 1.0);
        assert_eq!(out[1].differences.len(), 1, "{:?}", out[1].differences);
    }

    #[test]
    fn edited_copies_say_what_differs() {
        let cfg = DedupConfig::default();
        let base = words(100, "كلمة");
        let mut number = base.clone();
        number[50] = "17".into();
        let mut negated = base.clone();
        negated.insert(30, "لم".into());
        let mut function_word = base.clone();
        function_word.insert(30, "في".into());
        let texts = vec![base, number, negated, function_word];
        let out = group(
            docs(&texts, &[Some(1), Some(2), Some(3), Some(4)]),
            &cfg,
            |i| texts[i].clone(),
        );
        assert_eq!(out[1].differences, ["كلمة50 → 17"]);
        assert!(out[1].edited);
        assert_eq!(out[2].differences, ["+ لم"]);
        assert!(out[2].edited);
        assert_eq!(out[3].differences, ["+ في"]);
        assert!(!out[3].edited, "a function word does not change the facts");
        assert!(out.iter().all(|a| a.canonical == 0));
    }

    #[test]
    fn contained_extracts_link_both_ways() {
        let cfg = DedupConfig::default();
        let article = words(200, "نص");
        let wire: Vec<String> = article[20..60].to_vec();
        let texts = vec![article.clone(), wire.clone()];
        // Article first: the extract joins its group, contained in it.
        let out = group(docs(&texts, &[Some(1), Some(2)]), &cfg, |i| {
            texts[i].clone()
        });
        assert_eq!(out[1].canonical, 0);
        assert_eq!(out[1].kind, Some(MatchKind::ContainedIn));
        assert_eq!(out[1].contained_in, Some(0));
        assert_eq!(out[1].similarity, 1.0);
        assert_eq!(out[0].contained_in, None);
        // Extract first: the article is not its copy, but the extract says where it is contained.
        let out = group(docs(&texts, &[Some(3), Some(2)]), &cfg, |i| {
            texts[i].clone()
        });
        assert_eq!((out[0].canonical, out[1].canonical), (0, 1));
        assert_eq!(out[1].contained_in, Some(0));
        assert_eq!(out[0].contained_in, None);
    }

    #[test]
    fn an_extract_of_a_story_copied_hundreds_of_times_is_found_across_batches() {
        let cfg = DedupConfig::default();
        let story = words(200, "قصة");
        let mut texts = vec![story.clone()];
        // Unrelated documents, 300 copies (each with one word changed) that straddle the first
        // lookup batch's end, more unrelated documents, then, two batches later, a short
        // extract with a typo.
        let filler = |k: usize| words(50, &format!("ملء{k}_"));
        texts.extend((1..=2040).map(filler));
        texts.extend((0..300).map(|c| {
            let mut t = story.clone();
            t[c % 200] = format!("تعديل{c}");
            t
        }));
        texts.extend((2341..4200).map(filler));
        let mut extract = story[..50].to_vec();
        extract[20] = "خطأ".into();
        texts.push(extract);
        let dates: Vec<Option<i64>> = (0..texts.len() as i64).map(Some).collect();
        let out = group(docs(&texts, &dates), &cfg, |i| texts[i].clone());
        let last = texts.len() - 1;
        assert!(out[1..=2040]
            .iter()
            .enumerate()
            .all(|(k, a)| a.canonical == k + 1));
        assert!(out[2341..last]
            .iter()
            .enumerate()
            .all(|(k, a)| a.canonical == k + 2341));
        for a in &out[2041..2341] {
            assert_eq!((a.canonical, a.kind), (0, Some(MatchKind::Near)));
            assert_eq!(a.differences.len(), 1, "{:?}", a.differences);
        }
        assert_eq!(out[last].canonical, 0);
        assert_eq!(out[last].kind, Some(MatchKind::ContainedIn));
        assert_eq!(out[last].contained_in, Some(0));
        assert!(2041 < LOOKUP_BATCH && LOOKUP_BATCH < 2341 && 2 * LOOKUP_BATCH <= last);
    }

    #[test]
    fn empty_and_degenerate_inputs() {
        let cfg = DedupConfig::default();
        assert!(group(Vec::new(), &cfg, |_| Vec::new()).is_empty());
        let texts = vec![Vec::new(), Vec::new(), vec!["،".to_string()]];
        let out = group(docs(&texts, &[None; 3]), &cfg, |i| texts[i].clone());
        // Empty documents are never copies of one another.
        assert_eq!(
            out.iter().map(|a| a.canonical).collect::<Vec<_>>(),
            [0, 1, 2]
        );
    }
}
