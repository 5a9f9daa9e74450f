//! Paragraph-level duplicates: a paragraph that recurs across many pages of one outlet is
//! boilerplate (cut from bodies, kept aside); one shared across outlets is syndicated content
//! (kept, and recorded as a link between the documents).

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::{is_content, mix64};

/// Tuning of [`ParagraphIndex`].
#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphConfig {
    /// A paragraph found in at least this many documents of one outlet is that outlet's
    /// boilerplate (a subscription line, a newsletter call, a standing disclaimer).
    pub boilerplate_docs: usize,
    /// A paragraph found in at least this many outlets is boilerplate everywhere (a stock
    /// phrase like "all rights reserved"), not syndicated content.
    pub generic_outlets: usize,
    /// Paragraphs with fewer content tokens are ignored (a dateline, a one-word caption).
    pub min_tokens: usize,
    /// Documents remembered per paragraph for syndication links.
    pub max_links: usize,
}

impl Default for ParagraphConfig {
    fn default() -> Self {
        ParagraphConfig {
            boilerplate_docs: 3,
            generic_outlets: 20,
            min_tokens: 6,
            max_links: 32,
        }
    }
}

/// What one paragraph of a document is, given every document indexed so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum ParagraphRole {
    /// Too short to judge, or seen nowhere else.
    Unique,
    /// Recurs across pages of the same outlet (or across very many outlets): cut from the body.
    Boilerplate,
    /// Shared with documents of other outlets: kept, and linked to those documents.
    Syndicated {
        /// Documents of other outlets carrying the same paragraph (at most `max_links`).
        docs: Vec<u64>,
    },
}

/// The hash of a paragraph's content tokens (normalized, e.g. `rasd_arabic::search_key`), or
/// `None` when it has fewer than `min_tokens` of them. Punctuation tokens are ignored.
///
/// ```
/// use rasd_dedup::paragraph_hash;
/// let a = paragraph_hash(&["قال", "المتحدث", "،", "إن", "الاجتماع", "انتهى", "أمس"], 6);
/// let b = paragraph_hash(&["قال", "المتحدث", "إن", "الاجتماع", "انتهى", "أمس", "."], 6);
/// assert!(a.is_some() && a == b);
/// assert_eq!(paragraph_hash(&["عاجل"], 6), None);
/// ```
pub fn paragraph_hash(tokens: &[&str], min_tokens: usize) -> Option<u64> {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut n = 0usize;
    for t in tokens.iter().filter(|t| is_content(t)) {
        h.update(t.as_bytes());
        h.update(&[0x1f]);
        n += 1;
    }
    (n >= min_tokens.max(1)).then(|| mix64(h.digest()))
}

#[derive(Debug, Clone, Default)]
struct Seen {
    /// (outlet, documents of that outlet carrying the paragraph).
    outlets: Vec<(u32, u32)>,
    /// Some documents carrying it, with their outlet.
    docs: Vec<(u64, u32)>,
}

/// Incremental index of paragraph hashes per outlet.
///
/// ```
/// use rasd_dedup::{ParagraphConfig, ParagraphIndex, ParagraphRole};
///
/// let mut index = ParagraphIndex::new(ParagraphConfig::default());
/// let (footer, wire, own) = (1u64, 2u64, 3u64); // paragraph hashes (see paragraph_hash)
/// for doc in 0..3 {
///     index.add(doc, "site-a", &[10 + doc, footer]);
/// }
/// index.add(7, "site-b", &[wire, own]);
/// index.add(8, "site-a", &[wire, footer]);
/// let roles = index.classify(8, "site-a", &[wire, footer]);
/// assert_eq!(roles[0], ParagraphRole::Syndicated { docs: vec![7] });
/// assert_eq!(roles[1], ParagraphRole::Boilerplate);
/// ```
#[derive(Debug, Clone, Default)]
pub struct ParagraphIndex {
    cfg: ParagraphConfig,
    outlets: FxHashMap<String, u32>,
    seen: FxHashMap<u64, Seen>,
}

impl ParagraphIndex {
    /// An empty index.
    pub fn new(cfg: ParagraphConfig) -> Self {
        ParagraphIndex {
            cfg,
            outlets: FxHashMap::default(),
            seen: FxHashMap::default(),
        }
    }

    /// Number of distinct paragraphs indexed.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    fn outlet_id(&mut self, outlet: &str) -> u32 {
        let next = u32::try_from(self.outlets.len()).unwrap_or(u32::MAX);
        *self
            .outlets
            .entry(outlet.trim().to_string())
            .or_insert(next)
    }

    /// Records that document `doc` of `outlet` carries these paragraph hashes (each counted
    /// once per document). Adding the same document twice counts it twice: add each once.
    pub fn add(&mut self, doc: u64, outlet: &str, paragraphs: &[u64]) {
        let o = self.outlet_id(outlet);
        let mut hashes = paragraphs.to_vec();
        hashes.sort_unstable();
        hashes.dedup();
        let max_links = self.cfg.max_links;
        for h in hashes {
            let seen = self.seen.entry(h).or_default();
            match seen.outlets.iter_mut().find(|(id, _)| *id == o) {
                Some((_, n)) => *n = n.saturating_add(1),
                None => seen.outlets.push((o, 1)),
            }
            if seen.docs.len() < max_links && !seen.docs.iter().any(|&(d, _)| d == doc) {
                seen.docs.push((doc, o));
            }
        }
    }

    /// The role of each paragraph of document `doc` of `outlet` (in the order given), from
    /// what is indexed (the document itself included if it was added). A paragraph is
    /// boilerplate when `boilerplate_docs` documents of this outlet carry it, or when
    /// `generic_outlets` outlets do; syndicated when documents of other outlets carry it.
    pub fn classify(&self, doc: u64, outlet: &str, paragraphs: &[u64]) -> Vec<ParagraphRole> {
        let o = self.outlets.get(outlet.trim()).copied();
        paragraphs
            .iter()
            .map(|h| {
                let Some(seen) = self.seen.get(h) else {
                    return ParagraphRole::Unique;
                };
                let here = seen
                    .outlets
                    .iter()
                    .find(|(id, _)| Some(*id) == o)
                    .map_or(0, |&(_, n)| n as usize);
                let elsewhere = seen.outlets.iter().filter(|(id, _)| Some(*id) != o).count();
                if here >= self.cfg.boilerplate_docs.max(2)
                    || elsewhere + 1 >= self.cfg.generic_outlets.max(2)
                {
                    return ParagraphRole::Boilerplate;
                }
                let docs: Vec<u64> = seen
                    .docs
                    .iter()
                    .filter(|&&(d, id)| d != doc && Some(id) != o)
                    .map(|&(d, _)| d)
                    .collect();
                if docs.is_empty() {
                    ParagraphRole::Unique
                } else {
                    ParagraphRole::Syndicated { docs }
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_table() {
        let cfg = ParagraphConfig {
            boilerplate_docs: 3,
            generic_outlets: 4,
            ..ParagraphConfig::default()
        };
        let mut ix = ParagraphIndex::new(cfg);
        // 100: footer of outlet a (3 docs); 200: wire paragraph in a, b; 300: stock phrase in
        // 4 outlets; 400: in two docs of one outlet only (below the boilerplate count).
        ix.add(1, "a", &[100, 200, 400, 11]);
        ix.add(2, "a", &[100, 400, 12]);
        ix.add(3, "a", &[100, 13, 300]);
        ix.add(4, "b", &[200, 300, 14]);
        ix.add(5, "c", &[300]);
        ix.add(6, "d", &[300]);
        let cases: &[(u64, &str, u64, ParagraphRole)] = &[
            (1, "a", 100, ParagraphRole::Boilerplate),
            (1, "a", 200, ParagraphRole::Syndicated { docs: vec![4] }),
            (4, "b", 200, ParagraphRole::Syndicated { docs: vec![1] }),
            (5, "c", 300, ParagraphRole::Boilerplate),
            (1, "a", 400, ParagraphRole::Unique),
            (1, "a", 11, ParagraphRole::Unique),
            (9, "new", 999, ParagraphRole::Unique),
            // For another outlet, a's footer is a paragraph of a's documents: a link to them.
            (
                9,
                "new",
                100,
                ParagraphRole::Syndicated {
                    docs: vec![1, 2, 3],
                },
            ),
        ];
        for (doc, outlet, h, want) in cases {
            let got = ix.classify(*doc, outlet, &[*h]);
            assert_eq!(
                got,
                vec![want.clone()],
                "doc {doc} outlet {outlet} para {h}"
            );
        }
    }

    #[test]
    fn hashes_ignore_punctuation_and_short_paragraphs() {
        let a = paragraph_hash(&["ا", "ب", "ج", "د", "ه", "و"], 6);
        assert!(a.is_some());
        assert_eq!(
            a,
            paragraph_hash(&["ا", "ب", "،", "ج", "د", "ه", "و", "."], 6)
        );
        assert_ne!(a, paragraph_hash(&["ب", "ا", "ج", "د", "ه", "و"], 6));
        assert_eq!(paragraph_hash(&["ا", "ب"], 6), None);
        assert_eq!(paragraph_hash(&[], 0), None);
        assert!(paragraph_hash(&["ا"], 0).is_some());
    }

    #[test]
    fn duplicates_within_a_document_count_once_and_links_are_capped() {
        let cfg = ParagraphConfig {
            max_links: 2,
            ..ParagraphConfig::default()
        };
        let mut ix = ParagraphIndex::new(cfg);
        ix.add(1, "a", &[5, 5, 5]);
        assert_eq!(
            ix.classify(1, "a", &[5]),
            vec![ParagraphRole::Unique],
            "one document repeating a paragraph is not boilerplate"
        );
        for d in 2..6 {
            ix.add(d, &format!("o{d}"), &[5]);
        }
        match &ix.classify(1, "a", &[5])[0] {
            ParagraphRole::Syndicated { docs } => assert_eq!(docs, &vec![2]),
            other => panic!("{other:?}"),
        }
        assert_eq!(ix.len(), 1);
    }
}
