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

/// The hash of a paragraph's words, read straight from its text: letters folded the way Arabic
/// spelling varies (أ/إ/آ/ٱ→ا, ى→ي, ة→ه, ؤ→و, ئ→ي, Eastern digits → ASCII, Latin lowercased),
/// diacritics and tatweel dropped, punctuation and spacing ignored. `None` when the paragraph
/// has fewer than `min_tokens` words. One pass, no tokenizer: what an ingest needs to count
/// recurring paragraphs before it analyzes the text.
///
/// ```
/// use rasd_dedup::paragraph_text_hash;
/// let a = paragraph_text_hash("أعلنت الوزارةُ، اليوم، إطلاق البرنامج الجديد للمنح الدراسية.", 6);
/// let b = paragraph_text_hash("اعلنت الوزاره اليوم اطلاق البرنامج الجديد للمنح الدراسيه", 6);
/// assert!(a.is_some() && a == b);
/// assert_ne!(a, paragraph_text_hash("أعلنت الوزارة اليوم إلغاء البرنامج الجديد للمنح الدراسية", 6));
/// assert_eq!(paragraph_text_hash("عاجل: انفجار", 6), None);
/// ```
pub fn paragraph_text_hash(text: &str, min_tokens: usize) -> Option<u64> {
    let mut buf = String::with_capacity(text.len());
    let mut words = 0usize;
    let mut in_word = false;
    for c in text.chars() {
        let folded = match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => continue,
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            'ؤ' => 'و',
            'ئ' => 'ي',
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            'A'..='Z' => c.to_ascii_lowercase(),
            'a'..='z' | '0'..='9' | '\u{0621}'..='\u{064A}' | '\u{0671}'..='\u{06D3}' => c,
            _ if !c.is_ascii() && c.is_alphanumeric() => c,
            _ => {
                in_word = false;
                continue;
            }
        };
        if !in_word {
            if words > 0 {
                buf.push('\u{1f}');
            }
            words += 1;
            in_word = true;
        }
        buf.push(folded);
    }
    (words >= min_tokens.max(1)).then(|| mix64(xxhash_rust::xxh3::xxh3_64(buf.as_bytes())))
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
    /// Outlet names by id.
    names: Vec<String>,
    seen: FxHashMap<u64, Seen>,
    /// (paragraph, outlet) counts changed by [`Self::add`], for [`Self::save`].
    changed_counts: Vec<(u64, u32)>,
    /// (paragraph, document, outlet) links added by [`Self::add`], for [`Self::save`].
    added_docs: Vec<(u64, u64, u32)>,
}

/// The tables [`ParagraphIndex::load`] and [`ParagraphIndex::save`] use (idempotent DDL):
/// `para_outlet` (paragraph hash, outlet, documents of that outlet carrying it) and
/// `para_doc` (paragraph hash, document, its outlet; at most `max_links` per paragraph).
pub const PARAGRAPH_DDL: &str = "\
CREATE TABLE IF NOT EXISTS para_outlet (
    hash   INTEGER NOT NULL,
    outlet TEXT NOT NULL,
    docs   INTEGER NOT NULL,
    PRIMARY KEY (hash, outlet)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS para_doc (
    hash   INTEGER NOT NULL,
    doc    INTEGER NOT NULL,
    outlet TEXT NOT NULL,
    PRIMARY KEY (hash, doc)
) WITHOUT ROWID;
";

impl ParagraphIndex {
    /// An empty index.
    pub fn new(cfg: ParagraphConfig) -> Self {
        ParagraphIndex {
            cfg,
            outlets: FxHashMap::default(),
            names: Vec::new(),
            seen: FxHashMap::default(),
            changed_counts: Vec::new(),
            added_docs: Vec::new(),
        }
    }

    /// Loads what `conn` knows of these paragraph hashes (tables: [`PARAGRAPH_DDL`]) into an
    /// index that holds nothing of them yet, so that a pipeline keeps in memory only the
    /// paragraphs of the batch in hand. Hashes already in memory are left as they are.
    ///
    /// ```
    /// use rasd_dedup::{ParagraphConfig, ParagraphIndex, ParagraphRole, PARAGRAPH_DDL};
    ///
    /// let conn = rusqlite::Connection::open_in_memory().unwrap();
    /// conn.execute_batch(PARAGRAPH_DDL).unwrap();
    /// let footer = 42u64;
    /// let mut first = ParagraphIndex::new(ParagraphConfig::default());
    /// first.add(1, "site-a", &[footer]);
    /// first.add(2, "site-a", &[footer]);
    /// first.save(&conn).unwrap();
    /// // A later batch: a fresh index, loaded with what is stored of its paragraphs.
    /// let mut later = ParagraphIndex::new(ParagraphConfig::default());
    /// later.load(&conn, &[footer]).unwrap();
    /// later.add(3, "site-a", &[footer]);
    /// assert_eq!(later.classify(3, "site-a", &[footer]), [ParagraphRole::Boilerplate]);
    /// ```
    pub fn load(&mut self, conn: &rusqlite::Connection, hashes: &[u64]) -> rusqlite::Result<()> {
        /// Hashes asked for in one statement.
        const CHUNK: usize = 256;
        let mut wanted: Vec<u64> = hashes
            .iter()
            .copied()
            .filter(|h| !self.seen.contains_key(h))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut found: Vec<(u64, String, i64)> = Vec::new();
        for chunk in wanted.chunks(CHUNK) {
            let sql = format!(
                "SELECT hash, outlet, docs FROM para_outlet WHERE hash IN ({})",
                vec!["?"; chunk.len()].join(",")
            );
            let mut st = conn.prepare_cached(&sql)?;
            let keys: Vec<i64> = chunk.iter().map(|&h| h as i64).collect();
            let rows = st.query_map(rusqlite::params_from_iter(keys), |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, r.get(2)?))
            })?;
            for row in rows {
                found.push(row?);
            }
        }
        let mut docs = conn.prepare_cached(
            "SELECT doc, outlet FROM para_doc WHERE hash = ?1 ORDER BY doc LIMIT ?2",
        )?;
        let limit = i64::try_from(self.cfg.max_links).unwrap_or(i64::MAX);
        for (h, outlet, n) in found {
            let o = self.outlet_id(&outlet);
            let fresh = !self.seen.contains_key(&h);
            let seen = self.seen.entry(h).or_default();
            seen.outlets
                .push((o, u32::try_from(n.max(0)).unwrap_or(u32::MAX)));
            if !fresh {
                continue;
            }
            let rows: Vec<(i64, String)> = docs
                .query_map(rusqlite::params![h as i64, limit], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let ids: Vec<(u64, u32)> = rows
                .into_iter()
                .map(|(doc, outlet)| (doc as u64, self.outlet_id(&outlet)))
                .collect();
            if let Some(seen) = self.seen.get_mut(&h) {
                seen.docs = ids;
            }
        }
        Ok(())
    }

    /// Writes to `conn` (tables: [`PARAGRAPH_DDL`]) what [`Self::add`] changed since the index
    /// was made: call it after [`Self::load`] and the batch's [`Self::add`]s, inside the
    /// batch's transaction.
    pub fn save(&self, conn: &rusqlite::Connection) -> rusqlite::Result<()> {
        let mut counts = conn.prepare_cached(
            "INSERT INTO para_outlet (hash, outlet, docs) VALUES (?1, ?2, ?3) \
             ON CONFLICT (hash, outlet) DO UPDATE SET docs = excluded.docs",
        )?;
        let mut docs = conn.prepare_cached(
            "INSERT OR IGNORE INTO para_doc (hash, doc, outlet) VALUES (?1, ?2, ?3)",
        )?;
        let name = |o: u32| self.names.get(o as usize).map_or("", String::as_str);
        let mut changed = self.changed_counts.clone();
        changed.sort_unstable();
        changed.dedup();
        for (h, o) in changed {
            let n = self
                .seen
                .get(&h)
                .and_then(|s| s.outlets.iter().find(|(id, _)| *id == o))
                .map_or(0, |&(_, n)| n);
            counts.execute(rusqlite::params![h as i64, name(o), i64::from(n)])?;
        }
        let mut added = self.added_docs.clone();
        added.sort_unstable();
        for (h, doc, o) in added {
            docs.execute(rusqlite::params![h as i64, doc as i64, name(o)])?;
        }
        Ok(())
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
        let outlet = outlet.trim();
        if let Some(&id) = self.outlets.get(outlet) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.outlets.insert(outlet.to_string(), id);
        self.names.push(outlet.to_string());
        id
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
            self.changed_counts.push((h, o));
            if seen.docs.len() < max_links && !seen.docs.iter().any(|&(d, _)| d == doc) {
                seen.docs.push((doc, o));
                self.added_docs.push((h, doc, o));
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
    fn saved_and_loaded_state_classifies_like_the_index_it_came_from() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(PARAGRAPH_DDL).unwrap();
        let cfg = ParagraphConfig {
            max_links: 3,
            ..ParagraphConfig::default()
        };
        let mut whole = ParagraphIndex::new(cfg.clone());
        let batches: [&[(u64, &str, &[u64])]; 2] = [
            &[
                (1, "a", &[100, 200]),
                (2, "a", &[100, 7]),
                (3, "b", &[200, 8]),
            ],
            &[(4, "a", &[100, 9]), (5, "c", &[200]), (6, "d", &[200])],
        ];
        for batch in batches {
            let hashes: Vec<u64> = batch
                .iter()
                .flat_map(|(_, _, h)| h.iter().copied())
                .collect();
            let mut part = ParagraphIndex::new(cfg.clone());
            part.load(&conn, &hashes).unwrap();
            for (doc, outlet, h) in batch {
                part.add(*doc, outlet, h);
                whole.add(*doc, outlet, h);
            }
            for (doc, outlet, h) in batch {
                assert_eq!(
                    part.classify(*doc, outlet, h),
                    whole.classify(*doc, outlet, h)
                );
            }
            part.save(&conn).unwrap();
        }
        let mut later = ParagraphIndex::new(cfg);
        later.load(&conn, &[100, 200, 999]).unwrap();
        assert_eq!(later.len(), 2);
        assert_eq!(later.classify(4, "a", &[100]), [ParagraphRole::Boilerplate]);
        // Links are capped at max_links, the earliest documents kept.
        assert_eq!(
            later.classify(9, "e", &[200]),
            [ParagraphRole::Syndicated {
                docs: vec![1, 3, 5]
            }]
        );
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
