//! Incremental story clustering for rasd.
//!
//! Documents that report the same event are grouped into one *story* even when they are written in other
//! words; documents about unrelated events are not, and neither are documents about the same people in a
//! different event (two phone calls between the same leaders months apart).
//!
//! How it decides:
//! - every document becomes a bag of terms ([`doc_features`]): light stems of the words, spelling variants
//!   folded together, stopwords, numbers and one-letter terms dropped, title words counted extra, plus the
//!   pairs of adjacent words (phrases), which tell one event from another on the same topic;
//! - terms are weighted by sublinear tf × damped idf, where the idf combines a shipped prior document-frequency
//!   table (built from ANERcorp news text, see `data/README.md`) with the index's own counts, so that the
//!   first documents are not weighed with a meaningless idf;
//! - a document is compared with the stories found through an inverted index on its heaviest terms
//!   (capped, so the cost does not grow with the number of stories): its similarity to a story is its mean
//!   cosine with the members, computed in one pass against the story's mean vector;
//! - time weighs in: when both sides carry a date, a gap beyond [`StoryConfig::max_gap_days`] forbids the
//!   join and a smaller one lowers the similarity; when a date is missing the text alone decides, against a
//!   stricter threshold.
//!
//! The crate is pure: no storage, no I/O. The caller persists [`StoryIndex::df`] and
//! [`StoryIndex::stories`] and hands them back to [`StoryIndex::restore`]; incrementally, it can write
//! [`StoryIndex::take_df_changes`] and [`StoryIndex::story_bytes`] (the compact [`StoryState::to_bytes`]
//! form, read back with [`StoryState::from_bytes`]) after each batch.
//!
//! Internally terms are interned to integer ids and story centroids kept over ids; the public
//! [`StoryState`] (with strings) is built on demand. Every floating-point sum is taken over the same
//! numbers in the same order as the plain string-keyed formulation, so decisions do not depend on the
//! representation.
//!
//! ```
//! use rasd_stories::{doc_features, StoryConfig, StoryIndex};
//!
//! let mut index = StoryIndex::new(StoryConfig::default());
//! let a = doc_features(
//!     Some("زلزال بقوة 6 درجات يضرب جزيرة كريت اليونانية"),
//!     "ضرب زلزال بقوة 6 درجات على مقياس ريختر جزيرة كريت اليونانية صباح الاثنين \
//!      وأفادت السلطات اليونانية بعدم وقوع إصابات أو أضرار في الجزيرة.",
//!     Some(19_000),
//! );
//! let b = doc_features(
//!     Some("هزة أرضية قوية تضرب كريت ولا إصابات"),
//!     "أعلنت السلطات اليونانية أن زلزالا قوته 6 درجات ضرب جزيرة كريت صباح الاثنين \
//!      دون أن يسفر عن إصابات أو أضرار في الجزيرة.",
//!     Some(19_000),
//! );
//! let first = index.assign(&a, 1);
//! let second = index.assign(&b, 2);
//! assert!(first.is_new);
//! assert_eq!(second.story, 1);
//! assert!(!index.key_terms(1, 3).is_empty());
//! ```

use std::collections::BinaryHeap;
use std::hash::{BuildHasher, Hasher};

/// Hash maps keyed by short strings and small integers: Fx hashing (no DoS concern here, the
/// keys are our own terms) is several times faster than SipHash on this workload.
type HashMap<K, V> = std::collections::HashMap<K, V, rustc_hash::FxBuildHasher>;
use std::sync::OnceLock;

use rasd_arabic::TokenKind;
use serde::{Deserialize, Serialize};

/// How much more a title occurrence counts than a body occurrence, added to the raw count of the term.
///
/// Titles alone are a weak same-story signal (AUC 0.79 on the SemEval-2022 Arabic dev pairs, against 0.95
/// for the full text), so the title only nudges the full-text vector; `examples/calibrate.rs` reports the
/// AUC for other values.
pub const TITLE_WEIGHT: f32 = 1.0;

/// Separates the two words of a phrase term (`"a b"`).
pub const PHRASE_SEP: char = ' ';

/// Share of a document vector's squared norm given to phrases (word pairs); words get the rest.
///
/// Reports of the same event share phrases (names, quoted terms, "تخفيف التوتر", "وول ستريت"), reports of
/// the same topic mostly share words; with words alone the same actors in another event look alike. The
/// cosine of two vectors is `(1 - s) × cos(words) + s × cos(phrases)`; 1/3 (phrases at half the weight of
/// words) keeps the SemEval-2022 AUC above 0.93 while widening the gap between same-event and same-topic
/// pairs (see `examples/calibrate.rs`).
pub const PHRASE_SHARE: f32 = 1.0 / 3.0;

/// Titles with more words than this are not boosted (no headline is that long; see [`doc_features`]).
pub const MAX_TITLE_WORDS: usize = 30;

/// The prior document-frequency table, `term<TAB>df` with a first line `#docs<TAB>N`.
const PRIOR_DF: &str = include_str!("../data/prior_df.tsv");

/// Features of one document for clustering.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocFeatures {
    /// Term → raw count. A term is a word key (its light stem folded by spelling-variant key; stopwords,
    /// numbers and one-letter words removed) or a phrase key (two adjacent word keys joined by
    /// [`PHRASE_SEP`]). Title occurrences count [`TITLE_WEIGHT`] extra. Sorted by count, then term.
    pub terms: Vec<(String, f32)>,
    /// Days since 1970-01-01 of the publication date, when known.
    pub day: Option<i32>,
    /// A readable surface form of each term, by position in `terms` (a word's most frequent
    /// spelling in the text, the shortest on ties, then the first in code-point order; empty for
    /// phrases). Shorter than `terms` when built by hand: missing labels are empty.
    #[serde(default)]
    pub labels: Vec<String>,
}

impl DocFeatures {
    /// The label of `term` ([`DocFeatures::labels`]), when it has one.
    ///
    /// ```
    /// let f = rasd_stories::doc_features(None, "الأميركية، الأمريكية، الأميركية", None);
    /// let key = rasd_arabic::variant_key(&rasd_arabic::search_key("أمريكية"));
    /// assert_eq!(f.label(&key), Some("الأميركية"));
    /// ```
    pub fn label(&self, term: &str) -> Option<&str> {
        let i = self.terms.iter().position(|(t, _)| t == term)?;
        self.labels
            .get(i)
            .map(String::as_str)
            .filter(|l| !l.is_empty())
    }
}

/// The term key used for clustering: the spelling-variant key of the word (its light stem with vowel
/// spellings and transliteration letters folded, so أمريكية/الأميركيين or أستانا/أستانة meet).
///
/// Returns the key (one of the token's forms, borrowed), or `None` for a term that carries no story
/// signal: stopwords, numbers, one-letter words, URLs, e-mail addresses and mentions.
fn term_key<'l>(
    kind: TokenKind,
    norm: &'l str,
    stem: &'l str,
    variant: &'l str,
) -> Option<&'l str> {
    match kind {
        TokenKind::Number | TokenKind::Url | TokenKind::Email | TokenKind::Mention => return None,
        TokenKind::Arabic | TokenKind::Latin | TokenKind::Hashtag => {}
    }
    let norm = norm.trim_start_matches('#');
    if norm.is_empty() || rasd_arabic::is_stopword(norm) {
        return None;
    }
    // `variant` is `fold_variant(stem)`, which is `variant_key(norm)` for an Arabic word.
    let mut key = if kind == TokenKind::Arabic {
        variant
    } else {
        ""
    };
    if key.is_empty() {
        let stem = stem.trim_start_matches('#');
        key = if stem.is_empty() { norm } else { stem };
    }
    let mut letters = 0usize;
    let mut all_numeric = true;
    for c in key.chars() {
        let (alphanumeric, numeric) = char_class(c);
        if alphanumeric {
            letters += 1;
        }
        if !numeric {
            all_numeric = false;
        }
    }
    (letters >= 2 && !all_numeric).then_some(key)
}

/// `(c.is_alphanumeric(), c.is_numeric())`, without the Unicode table look-ups for ASCII and the
/// Arabic letters (hamza to yeh, which are letters and not numbers) that make up most keys.
fn char_class(c: char) -> (bool, bool) {
    if c.is_ascii() {
        (c.is_ascii_alphanumeric(), c.is_ascii_digit())
    } else if ('\u{621}'..='\u{63a}').contains(&c) || ('\u{641}'..='\u{64a}').contains(&c) {
        (true, false)
    } else {
        (c.is_alphanumeric(), c.is_numeric())
    }
}

/// A weighted term and its label (see [`DocFeatures`]).
type LabelledTerm = ((String, f32), String);

/// A document's weighted terms, each with its label.
type TermsAndLabels = Vec<LabelledTerm>;

/// A term being collected: a word key, or a phrase of two word terms (by id).
#[derive(Clone, Copy)]
enum Collected<'t> {
    Word(&'t str),
    Phrase(u32, u32),
}

/// Accumulates weighted terms and their surface forms. Terms are numbered on first sight; word keys
/// and surface forms are borrowed from the analyzed texts and phrases kept as pairs of word ids, so
/// nothing is allocated per token: the strings are built once per distinct term, at the end.
#[derive(Default)]
struct Collector<'t> {
    words: HashMap<&'t str, u32>,
    phrases: HashMap<(u32, u32), u32>,
    /// Term and weighted count, by id.
    counts: Vec<(Collected<'t>, f32)>,
    /// By term id: the first surface form seen of a word term and its occurrences (`("", 0)`
    /// for phrases). Most words are written one way in a text, so most occurrences are counted
    /// here without hashing.
    first_surface: Vec<(&'t str, u32)>,
    /// (word term id, another surface form as written) → occurrences.
    other_surfaces: HashMap<(u32, &'t str), u32>,
    /// Whether some word key holds the phrase separator (and could spell a phrase).
    word_with_sep: bool,
}

impl<'t> Collector<'t> {
    /// The id of a term, numbering it if new.
    fn id(&mut self, term: Collected<'t>) -> u32 {
        let next = self.counts.len() as u32;
        let id = match term {
            Collected::Word(w) => *self.words.entry(w).or_insert(next),
            Collected::Phrase(a, b) => *self.phrases.entry((a, b)).or_insert(next),
        };
        if id == next {
            self.counts.push((term, 0.0));
            self.first_surface.push(("", 0));
            if let Collected::Word(w) = term {
                self.word_with_sep |= w.contains(PHRASE_SEP);
            }
        }
        id
    }

    /// A collector sized for about `tokens` tokens.
    fn with_capacity(tokens: usize) -> Self {
        let mut c = Collector::default();
        c.words.reserve(tokens / 2);
        c.phrases.reserve(tokens / 2);
        c.counts.reserve(tokens);
        c.first_surface.reserve(tokens);
        c
    }

    /// Adds the terms of `text`, each occurrence weighing `weight`, and the phrases (pairs of adjacent content
    /// words; stopwords may stand between them, punctuation, numbers or links may not).
    fn add(&mut self, text: &'t str, terms: &'t rasd_arabic::TermList, weight: f32) {
        let mut prev: Option<u32> = None;
        let mut prev_end = 0usize;
        terms.for_each_ref(text, |t| {
            let tok = &t.token;
            let gap = text.get(prev_end.min(tok.start)..tok.start).unwrap_or("");
            prev_end = tok.end;
            if gap.chars().any(|c| !c.is_whitespace() && !is_quote(c)) {
                prev = None;
            }
            let Some(key) = term_key(tok.kind, t.norm, t.stem, t.variant) else {
                if !matches!(tok.kind, TokenKind::Arabic | TokenKind::Latin) {
                    prev = None;
                }
                return;
            };
            let id = self.id(Collected::Word(key));
            let surface = text
                .get(tok.start..tok.end)
                .unwrap_or("")
                .trim_start_matches('#');
            match self.first_surface.get_mut(id as usize) {
                Some((first, n)) if *n == 0 || *first == surface => {
                    *first = surface;
                    *n += 1;
                }
                _ => *self.other_surfaces.entry((id, surface)).or_default() += 1,
            }
            if let Some(p) = prev.take() {
                let pid = self.id(Collected::Phrase(p, id));
                if let Some(c) = self.counts.get_mut(pid as usize) {
                    c.1 += weight;
                }
            }
            if let Some(c) = self.counts.get_mut(id as usize) {
                c.1 += weight;
            }
            prev = Some(id);
        });
    }

    /// The terms and, for each word term, its most frequent surface form (the shortest on
    /// ties, then the first in code-point order).
    fn finish(self) -> TermsAndLabels {
        let mut texts: Vec<String> = Vec::with_capacity(self.counts.len());
        for (term, _) in &self.counts {
            let text = match *term {
                Collected::Word(w) => w.to_string(),
                Collected::Phrase(a, b) => {
                    let (a, b) = (
                        texts.get(a as usize).map_or("", String::as_str),
                        texts.get(b as usize).map_or("", String::as_str),
                    );
                    let mut p = String::with_capacity(a.len() + 1 + b.len());
                    p.push_str(a);
                    p.push(PHRASE_SEP);
                    p.push_str(b);
                    p
                }
            };
            texts.push(text);
        }
        // By term id, the best surface form so far: the first one seen, then any other form that
        // is better (more frequent, then shorter, then first in code-point order: a total order,
        // so the pick does not depend on the order forms are visited in).
        let mut best = self.first_surface;
        for ((id, form), n) in self.other_surfaces {
            let Some(cur) = best.get_mut(id as usize) else {
                continue;
            };
            let better = n
                .cmp(&cur.1)
                .then_with(|| cur.0.chars().count().cmp(&form.chars().count()))
                .then_with(|| cur.0.cmp(form))
                .is_gt();
            if better {
                *cur = (form, n);
            }
        }
        let mut counts: TermsAndLabels = texts
            .into_iter()
            .zip(self.counts.iter().map(|(_, n)| *n))
            .zip(best)
            .map(|(term, (form, n))| {
                (
                    term,
                    if n > 0 {
                        form.to_string()
                    } else {
                        String::new()
                    },
                )
            })
            .collect();
        // A word key holding the phrase separator (none does in practice) could spell a phrase too:
        // such terms are one term, as they would be if keyed by their strings (labelled by the word).
        if self.word_with_sep {
            let mut at: HashMap<String, usize> = HashMap::default();
            let mut merged: TermsAndLabels = Vec::with_capacity(counts.len());
            for ((term, n), label) in counts {
                match at.get(&term) {
                    Some(&i) => {
                        if let Some(m) = merged.get_mut(i) {
                            m.0 .1 += n;
                            if m.1.is_empty() {
                                m.1 = label;
                            }
                        }
                    }
                    None => {
                        at.insert(term.clone(), merged.len());
                        merged.push(((term, n), label));
                    }
                }
            }
            counts = merged;
        }
        counts
    }
}

/// Quotation marks, which do not break a phrase (`"تخفيف التوتر"`).
fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{201c}' | '\u{201d}' | '\u{ab}' | '\u{bb}' | '\u{2018}' | '\u{2019}'
    )
}

/// A key that orders weights like `f32::total_cmp`, heaviest first.
fn weight_order(weight: f32) -> std::cmp::Reverse<i32> {
    let bits = weight.to_bits() as i32;
    // The transform of `f32::total_cmp`: the integers order like the floats.
    std::cmp::Reverse(bits ^ (((bits >> 31) as u32) >> 1) as i32)
}

/// The first sixteen bytes of a term as a big-endian integer, zero-padded: a smaller prefix means
/// a smaller string (a shorter string's padding compares like its end), equal prefixes leave the order
/// to the strings.
fn prefix_of(term: &str) -> u128 {
    let mut head = [0u8; 16];
    for (d, b) in head.iter_mut().zip(term.bytes()) {
        *d = b;
    }
    u128::from_be_bytes(head)
}

/// Whether a term is a phrase (two words) rather than a word.
fn is_phrase(term: &str) -> bool {
    term.contains(PHRASE_SEP)
}

/// Extracts the clustering features of one document.
///
/// The title, when given, is counted on top of the body with [`TITLE_WEIGHT`] extra per occurrence (body
/// texts often repeat their title, which counts it once more); a title of more than [`MAX_TITLE_WORDS`]
/// words is counted like body text.
///
/// ```
/// let f = rasd_stories::doc_features(Some("محادثات سرية"), "محادثات أمريكية روسية في 2017", Some(17_327));
/// assert_eq!(f.day, Some(17_327));
/// assert!(f.terms.iter().all(|(t, n)| !t.is_empty() && *n > 0.0));
/// assert!(f.terms.iter().all(|(t, _)| t != "2017"));
/// ```
pub fn doc_features(title: Option<&str>, body: &str, day: Option<i32>) -> DocFeatures {
    doc_features_weighted(title, body, day, TITLE_WEIGHT)
}

/// [`doc_features`] with another title weight: a title occurrence counts `1 + title_weight` (a negative or
/// non-finite weight counts as 0). For measurement; see `examples/calibrate.rs`.
pub fn doc_features_weighted(
    title: Option<&str>,
    body: &str,
    day: Option<i32>,
    title_weight: f32,
) -> DocFeatures {
    let title_weight = if title_weight.is_finite() {
        title_weight.max(0.0)
    } else {
        0.0
    };
    let title_terms = title.map(|t| (t, rasd_arabic::TermList::of(t)));
    let body_terms = rasd_arabic::TermList::of(body);
    doc_features_of_terms_weighted(
        title_terms.as_ref().map(|(t, l)| (*t, l)),
        (body, &body_terms),
        day,
        title_weight,
    )
}

/// [`doc_features`] from texts already analyzed into [`rasd_arabic::TermList`]s (each paired with
/// the text it was made from), so that a pipeline analyzes each text once for all its consumers.
///
/// ```
/// let (title, body) = ("محادثات سرية في عمان", "عقدت محادثات سرية في عمان بين وفدين.");
/// let a = rasd_stories::doc_features(Some(title), body, Some(17327));
/// let (tl, bl) = (rasd_arabic::TermList::of(title), rasd_arabic::TermList::of(body));
/// let b = rasd_stories::doc_features_of_terms(Some((title, &tl)), (body, &bl), Some(17327));
/// assert_eq!(a.terms, b.terms);
/// assert_eq!(a.labels, b.labels);
/// ```
pub fn doc_features_of_terms(
    title: Option<(&str, &rasd_arabic::TermList)>,
    body: (&str, &rasd_arabic::TermList),
    day: Option<i32>,
) -> DocFeatures {
    doc_features_of_terms_weighted(title, body, day, TITLE_WEIGHT)
}

fn doc_features_of_terms_weighted(
    title: Option<(&str, &rasd_arabic::TermList)>,
    body: (&str, &rasd_arabic::TermList),
    day: Option<i32>,
    title_weight: f32,
) -> DocFeatures {
    let mut c = Collector::with_capacity(title.map_or(0, |(_, t)| t.len()) + body.1.len());
    if let Some((title, title_terms)) = title {
        // A "title" longer than any headline is a mis-extraction (a navigation strip of concatenated
        // headlines, a whole lead paragraph): count it like body text.
        let words = title.split_whitespace().count();
        c.add(
            title,
            title_terms,
            if words <= MAX_TITLE_WORDS {
                1.0 + title_weight
            } else {
                1.0
            },
        );
    }
    c.add(body.0, body.1, 1.0);
    // Terms are distinct, so the order is total and an unstable sort gives the stable one's.
    // Most comparisons are decided by the weight and the terms' first sixteen bytes, compared as
    // integers; only terms equal in both are compared as strings.
    let mut keyed: Vec<(SortKey, LabelledTerm)> = c
        .finish()
        .into_iter()
        .map(|t| ((weight_order(t.0 .1), prefix_of(&t.0 .0)), t))
        .collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1 .0 .0.cmp(&b.1 .0 .0)));
    let (terms, labels) = keyed.into_iter().map(|(_, t)| t).unzip();
    DocFeatures { terms, day, labels }
}

/// Tuning of the clusterer. The defaults are measured; see each field.
///
/// Figures from `examples/calibrate.rs` on the SemEval-2022 Task 8 Arabic dev pairs (37 same-story pairs
/// against 72 different ones; idf from the prior plus the pairs' texts): AUC 0.94, best F1 0.82 at 0.30;
/// at 0.24 precision 0.63 / recall 0.95, at 0.26 precision 0.65 / recall 0.89. On the demo corpus
/// (`examples/demo_bcubed.rs`, 46 pages, 11 stories) BCubed F1 is 1.00 with dates and 0.95 without.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryConfig {
    /// Least (time-adjusted) similarity between a document and a story (its mean cosine with the members)
    /// to join it, when both carry dates. Low, for recall (0.95 on SemEval): the date window already rules
    /// out the worst look-alikes, the same actors in another event weeks or months apart.
    pub threshold: f32,
    /// Least similarity to join when the document or the story has no date: the text alone must decide.
    /// A little under the SemEval best-F1 cut (0.30), because raw pages whose boilerplate is left in score
    /// lower than SemEval's clean texts: two raw reports of one event meet at 0.27–0.28, reports of other
    /// events on the same topic and actors stay under 0.24 (the seeds).
    pub threshold_no_date: f32,
    /// A document dated more than this many days before or after a story's date range never joins it.
    pub max_gap_days: i32,
    /// Gaps up to this many days cost nothing (coverage of one event trails over a few days).
    pub grace_days: i32,
    /// Similarity is multiplied by `1 - gap_penalty × (gap - grace) / (max_gap - grace)` beyond the grace.
    pub gap_penalty: f32,
    /// Terms kept in a story centroid.
    pub top_terms: usize,
    /// Heaviest centroid terms of a story posted to the inverted index.
    pub index_terms: usize,
    /// Heaviest terms of a document looked up in the inverted index (among those it holds).
    pub query_terms: usize,
    /// Most recent stories read per posting list.
    pub max_postings: usize,
    /// Stories scored exactly per document (the best by inverted-index overlap).
    pub max_candidates: usize,
}

impl Default for StoryConfig {
    fn default() -> Self {
        StoryConfig {
            threshold: 0.24,
            threshold_no_date: 0.26,
            max_gap_days: 14,
            grace_days: 3,
            gap_penalty: 0.3,
            top_terms: 400,
            index_terms: 100,
            query_terms: 40,
            max_postings: 2_000,
            max_candidates: 64,
        }
    }
}

/// Persistable state of one story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryState {
    /// The story id (the `new_id` of the document that opened it).
    pub id: u64,
    /// Mean of the members' unit tf-idf vectors: its heaviest [`StoryConfig::top_terms`] terms, heaviest
    /// first, scaled to the length of the whole mean vector.
    pub centroid: Vec<(String, f32)>,
    /// Earliest known day (days since 1970-01-01) of a member.
    pub first_day: Option<i32>,
    /// Latest known day of a member.
    pub last_day: Option<i32>,
    /// Number of member documents.
    pub size: u32,
    /// For each centroid term, the number of member documents that contain it (same order as `centroid`).
    pub term_counts: Vec<(String, u32)>,
    /// For each centroid term, a readable surface form.
    #[serde(default)]
    pub labels: Vec<(String, String)>,
}

/// The outcome of [`StoryIndex::assign`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// The story the document now belongs to.
    pub story: u64,
    /// The time-adjusted similarity to that story (for a new story: to the best candidate seen, or 0).
    pub similarity: f32,
    /// Whether the document opened a new story.
    pub is_new: bool,
}

/// The parsed prior document-frequency table.
struct Prior {
    docs: u32,
    df: HashMap<String, u32>,
}

fn prior() -> &'static Prior {
    static PRIOR: OnceLock<Prior> = OnceLock::new();
    PRIOR.get_or_init(|| parse_prior(PRIOR_DF))
}

fn parse_prior(text: &str) -> Prior {
    let mut docs = 0u32;
    let mut df = HashMap::default();
    for line in text.lines() {
        let mut parts = line.split('\t');
        let (Some(term), Some(n)) = (parts.next(), parts.next()) else {
            continue;
        };
        let Ok(n) = n.trim().parse::<u32>() else {
            continue;
        };
        if term == "#docs" {
            docs = n;
        } else if !term.is_empty() {
            df.insert(term.to_string(), n);
        }
    }
    Prior { docs, df }
}

/// Interned terms: every term string the index has met gets a dense id, and per-id tables hold what the
/// hot path needs (document frequencies, the prior's, the string's hash), so that clustering hashes and
/// compares integers instead of strings.
#[derive(Debug, Clone, Default)]
struct Terms {
    ids: HashMap<TermKey, u32>,
    text: Vec<Box<str>>,
    /// The Fx hash of the term's text, as a `HashMap<String, _, FxBuildHasher>` computes it (see
    /// [`PreHashed`]).
    hash: Vec<u64>,
    /// The first sixteen bytes of the term, zero-padded, big-endian: ordered like the strings wherever
    /// they differ (see [`Terms::cmp`]).
    prefix: Vec<u128>,
    /// Whether the term is a phrase.
    phrase: Vec<bool>,
    /// Document frequency in the shipped prior.
    prior: Vec<u32>,
    /// The index's own document frequency.
    df: Vec<u32>,
    /// Whether the df changed since the last [`StoryIndex::take_df_changes`] (the term is in `changed`).
    dirty: Vec<bool>,
    changed: Vec<u32>,
}

impl Terms {
    fn get(&self, term: &str) -> Option<u32> {
        self.ids.get(term.as_bytes()).copied()
    }

    /// The id of `term`, interned if new (`None` only past `u32::MAX` terms).
    fn intern(&mut self, term: &str) -> Option<u32> {
        if let Some(id) = self.get(term) {
            return Some(id);
        }
        let id = u32::try_from(self.text.len()).ok()?;
        let boxed: Box<str> = Box::from(term);
        self.ids.insert(TermKey::new(term), id);
        self.text.push(boxed);
        self.hash.push(rustc_hash::FxBuildHasher.hash_one(term));
        self.prefix.push(prefix_of(term));
        self.phrase.push(is_phrase(term));
        self.prior.push(prior().df.get(term).copied().unwrap_or(0));
        self.df.push(0);
        self.dirty.push(false);
        Some(id)
    }

    fn len(&self) -> usize {
        self.text.len()
    }

    fn text(&self, id: u32) -> &str {
        self.text.get(id as usize).map_or("", |s| s)
    }

    /// A key ordering (weight, term) pairs heaviest first (as `f32::total_cmp`), then by the terms'
    /// first sixteen bytes; pairs with equal keys are ordered by the terms' strings.
    fn sort_key(&self, weight: f32, id: u32) -> SortKey {
        (
            weight_order(weight),
            self.prefix.get(id as usize).copied().unwrap_or(0),
        )
    }

    /// Orders two terms like their strings: by the sixteen-byte prefixes first (a smaller prefix means a
    /// smaller string, a shorter string's padding being zero), by the strings when those are equal.
    fn cmp(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let pa = self.prefix.get(a as usize).copied().unwrap_or(0);
        let pb = self.prefix.get(b as usize).copied().unwrap_or(0);
        pa.cmp(&pb).then_with(|| self.text(a).cmp(self.text(b)))
    }

    /// [`StoryIndex::idf`] of an interned term, `docs` being the index's own document count.
    fn idf(&self, id: u32, docs: u32) -> f32 {
        let i = id as usize;
        idf_of(
            self.prior.get(i).copied().unwrap_or(0),
            self.df.get(i).copied().unwrap_or(0),
            docs,
        )
    }
}

/// A term's bytes as the interning table's key: short terms (most words, many phrases) are stored in the
/// table itself, so that finding a term does not have to follow a pointer to compare it.
#[derive(Debug, Clone)]
enum TermKey {
    Inline { len: u8, bytes: [u8; INLINE_KEY] },
    Heap(Box<[u8]>),
}

/// Longest term stored inline in a [`TermKey`] (the enum stays 24 bytes).
const INLINE_KEY: usize = 22;

impl TermKey {
    fn new(term: &str) -> Self {
        let b = term.as_bytes();
        match u8::try_from(b.len()) {
            Ok(len) if b.len() <= INLINE_KEY => {
                let mut bytes = [0u8; INLINE_KEY];
                for (d, s) in bytes.iter_mut().zip(b) {
                    *d = *s;
                }
                TermKey::Inline { len, bytes }
            }
            _ => TermKey::Heap(Box::from(b)),
        }
    }
}

impl std::borrow::Borrow<[u8]> for TermKey {
    fn borrow(&self) -> &[u8] {
        match self {
            TermKey::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or(&[]),
            TermKey::Heap(b) => b,
        }
    }
}

impl std::hash::Hash for TermKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::borrow::Borrow::<[u8]>::borrow(self).hash(state);
    }
}

impl PartialEq for TermKey {
    fn eq(&self, other: &Self) -> bool {
        std::borrow::Borrow::<[u8]>::borrow(self) == std::borrow::Borrow::<[u8]>::borrow(other)
    }
}

impl Eq for TermKey {}

/// See [`Terms::sort_key`].
type SortKey = (std::cmp::Reverse<i32>, u128);

/// `sqrt(ln((N + 1) / (df + 1)) + 1)`, prior and own counts pooled (see [`StoryIndex::idf`]).
fn idf_of(prior_df: u32, own_df: u32, own_docs: u32) -> f32 {
    let n = f64::from(prior().docs) + f64::from(own_docs);
    let df = f64::from(prior_df) + f64::from(own_df);
    (((n + 1.0) / (df + 1.0)).ln() + 1.0).sqrt() as f32
}

/// Hashes a term id to its term's string hash ([`Terms::hash`]). A map keyed by ids built with it lays
/// out its entries, hence iterates, exactly like the same map keyed by the strings: the norms summed over
/// such maps add the same numbers in the same order as a string-keyed map would, bit for bit.
#[derive(Clone, Copy)]
struct PreHashed<'a>(&'a [u64]);

struct PreHasher<'a> {
    table: &'a [u64],
    hash: u64,
}

impl<'a> BuildHasher for PreHashed<'a> {
    type Hasher = PreHasher<'a>;

    fn build_hasher(&self) -> PreHasher<'a> {
        PreHasher {
            table: self.0,
            hash: 0,
        }
    }
}

impl Hasher for PreHasher<'_> {
    fn finish(&self) -> u64 {
        self.hash
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only ids (`write_u32`) are hashed; anything else still gets a usable hash.
        for &b in bytes {
            self.hash =
                (self.hash.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u32(&mut self, id: u32) {
        self.hash = self.table.get(id as usize).copied().unwrap_or(0);
    }
}

/// A candidate story and its score, ordered best first: higher score, then later slot.
#[derive(Clone, Copy)]
struct Ranked {
    slot: u32,
    score: f32,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then_with(|| other.slot.cmp(&self.slot))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Ranked {}

/// Whether bit `i` of a bit set is set (false past its end).
fn has_bit(bits: &[u64], i: u32) -> bool {
    bits.get((i / 64) as usize)
        .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
}

/// Sets or clears bit `i` of a bit set (nothing past its end).
fn set_bit(bits: &mut [u64], i: u32, on: bool) {
    if let Some(w) = bits.get_mut((i / 64) as usize) {
        if on {
            *w |= 1u64 << (i % 64);
        } else {
            *w &= !(1u64 << (i % 64));
        }
    }
}

/// One term of a story centroid.
#[derive(Debug, Clone)]
struct Entry {
    term: u32,
    /// Mean weight over the members (see [`StoryState::centroid`]).
    weight: f32,
    /// Members that contain the term; 0 for a restored term without a count.
    count: u32,
    label: Option<Box<str>>,
}

/// A story as the index keeps it: its centroid over term ids, heaviest first; the public [`StoryState`] is
/// built from it when asked for and kept until the story changes.
#[derive(Debug, Clone)]
struct Story {
    id: u64,
    first_day: Option<i32>,
    last_day: Option<i32>,
    size: u32,
    entries: Vec<Entry>,
    /// The entries' (term, weight), in the same order: what scoring reads, a quarter of the bytes.
    hot: Vec<(u32, f32)>,
    state: OnceLock<StoryState>,
}

/// The (term, weight) pairs of `entries`, in order.
fn hot_of(entries: &[Entry]) -> Vec<(u32, f32)> {
    entries.iter().map(|e| (e.term, e.weight)).collect()
}

/// Incremental clusterer: document frequencies, stories, and an inverted index term → stories.
///
/// Candidate retrieval reads at most `query_terms × max_postings` postings and scores at most
/// `max_candidates` stories exactly, whatever the number of stories.
#[derive(Debug, Clone)]
pub struct StoryIndex {
    cfg: StoryConfig,
    docs: u32,
    terms: Terms,
    stories: Vec<Story>,
    slot_of: HashMap<u64, usize>,
    /// Term id → the slots of the stories posted under it, ascending.
    postings: Vec<Vec<u32>>,
    /// Slot → the term ids it is posted under, ascending.
    posted: Vec<Vec<u32>>,
    /// Scratch scores for candidate retrieval, one per slot (all zero between calls).
    scratch: Vec<f32>,
    /// Scratch list of the slots with a score.
    touched: Vec<u32>,
    /// The current document's unit vector (term id, weight).
    doc: Vec<(u32, f32)>,
    /// Term id → (mark, weight in the current document), the weight valid where the mark is `doc_epoch`.
    doc_weight: Vec<(u32, f32)>,
    /// One bit per term id: set for the current document's terms (the same as `doc_weight`'s marks, but
    /// small enough to stay in cache for the many lookups of absent terms).
    doc_bits: Vec<u64>,
    /// One bit per term id: set where the term's posting list is not empty.
    posted_bits: Vec<u64>,
    doc_epoch: u32,
    /// Term id → (mark, position in the current document's `terms`), valid where the mark is
    /// `doc_epoch`.
    pos_at: Vec<(u32, u32)>,
    /// Address and length of the current document's `terms` (see [`StoryIndex::title_fit_parts`]).
    last_doc: (usize, usize),
    /// Scratch: centroid weight by position in the current document's terms.
    fit_scratch: Vec<Option<f32>>,
    /// Term id marks for set operations within one call (`epoch` = seen).
    mark: Vec<u32>,
    epoch: u32,
}

impl StoryIndex {
    /// An empty index.
    pub fn new(cfg: StoryConfig) -> Self {
        StoryIndex {
            cfg,
            docs: 0,
            terms: Terms::default(),
            stories: Vec::new(),
            slot_of: HashMap::default(),
            postings: Vec::new(),
            posted: Vec::new(),
            scratch: Vec::new(),
            touched: Vec::new(),
            doc: Vec::new(),
            doc_weight: Vec::new(),
            doc_bits: Vec::new(),
            posted_bits: Vec::new(),
            doc_epoch: 0,
            pos_at: Vec::new(),
            last_doc: (0, 0),
            fit_scratch: Vec::new(),
            mark: Vec::new(),
            epoch: 0,
        }
    }

    /// Restores an index from persisted state: the document count and df table from [`StoryIndex::df`], and
    /// the stories from [`StoryIndex::stories`]. Non-finite weights are dropped; of two stories with the same
    /// id the first is kept (and of two centroid entries with the same term, the first).
    pub fn restore(
        cfg: StoryConfig,
        df: Vec<(String, u32)>,
        docs: u32,
        stories: Vec<StoryState>,
    ) -> Self {
        let mut index = StoryIndex::new(cfg);
        index.docs = docs;
        for (term, n) in df {
            if let Some(id) = index.terms.intern(&term) {
                if let Some(slot) = index.terms.df.get_mut(id as usize) {
                    *slot = n;
                }
            }
        }
        for mut state in stories {
            if index.slot_of.contains_key(&state.id) {
                continue;
            }
            state.centroid.retain(|(_, w)| w.is_finite() && *w > 0.0);
            let counts: HashMap<&str, u32> = state
                .term_counts
                .iter()
                .map(|(t, n)| (t.as_str(), *n))
                .collect();
            let labels: HashMap<&str, &str> = state
                .labels
                .iter()
                .map(|(t, l)| (t.as_str(), l.as_str()))
                .collect();
            let ids: Vec<Option<u32>> = state
                .centroid
                .iter()
                .map(|(term, _)| index.terms.intern(term))
                .collect();
            index.grow_scratch();
            index.next_epoch();
            let mut entries = Vec::with_capacity(state.centroid.len());
            for ((term, weight), id) in state.centroid.iter().zip(ids) {
                let Some(id) = id else {
                    continue;
                };
                if !index.mark_once(id) {
                    continue;
                }
                entries.push(Entry {
                    term: id,
                    weight: *weight,
                    count: counts.get(term.as_str()).copied().unwrap_or(0),
                    label: labels.get(term.as_str()).map(|l| Box::from(*l)),
                });
            }
            let slot = index.stories.len();
            index.slot_of.insert(state.id, slot);
            index.stories.push(Story {
                id: state.id,
                first_day: state.first_day,
                last_day: state.last_day,
                size: state.size,
                hot: hot_of(&entries),
                entries,
                state: OnceLock::from(state),
            });
            index.posted.push(Vec::new());
            index.repost(slot);
        }
        index
    }

    /// The configuration in use.
    pub fn config(&self) -> &StoryConfig {
        &self.cfg
    }

    /// Number of stories.
    pub fn len(&self) -> usize {
        self.stories.len()
    }

    /// Whether there is no story yet.
    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    /// The effective inverse document frequency of `term` (a word or a phrase): prior and own counts
    /// pooled, smoothed and damped, `sqrt(ln((N + 1) / (df + 1)) + 1)`.
    ///
    /// The square root keeps words unseen so far (names, typos, the prior's gaps) from dominating a
    /// vector; on the SemEval-2022 Arabic dev pairs it scores at least as well as the plain smoothed idf.
    /// Phrases use its square (see [`PHRASE_SHARE`]).
    pub fn idf(&self, term: &str) -> f32 {
        idf_of(
            prior().df.get(term).copied().unwrap_or(0),
            self.df_of(term),
            self.docs,
        )
    }

    /// Starts a new epoch of `mark`: every term unmarked.
    fn next_epoch(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.mark.fill(0);
            self.epoch = 1;
        }
    }

    /// Starts a new current document: no term has a weight.
    fn next_doc_epoch(&mut self) {
        self.doc_epoch = self.doc_epoch.wrapping_add(1);
        if self.doc_epoch == 0 {
            self.pos_at.fill((0, 0));
            self.doc_weight.fill((0, 0.0));
            self.doc_epoch = 1;
        }
    }

    /// Sizes the per-term scratch arrays to the number of interned terms.
    fn grow_scratch(&mut self) {
        let n = self.terms.len();
        if self.mark.len() < n {
            self.mark.resize(n, 0);
            self.pos_at.resize(n, (0, 0));
            self.doc_weight.resize(n, (0, 0.0));
            self.doc_bits.resize(n.div_ceil(64), 0);
            self.posted_bits.resize(n.div_ceil(64), 0);
            self.postings.resize_with(n, Vec::new);
        }
    }

    /// The current document's weight of term `id`, if it has the term.
    fn doc_weight(&self, id: u32) -> Option<f32> {
        if !has_bit(&self.doc_bits, id) {
            return None;
        }
        match self.doc_weight.get(id as usize) {
            Some(&(m, w)) if m == self.doc_epoch => Some(w),
            _ => None,
        }
    }

    /// Marks `id` in this epoch; false if it already was.
    fn mark_once(&mut self, id: u32) -> bool {
        match self.mark.get_mut(id as usize) {
            Some(m) if *m == self.epoch => false,
            Some(m) => {
                *m = self.epoch;
                true
            }
            None => false,
        }
    }

    /// Interns the document's terms and makes its unit vector the current one: words and phrases weighted
    /// by sublinear tf × idf (damped for words), each block normalized, phrases taking [`PHRASE_SHARE`] of
    /// the norm. The same arithmetic, in the same order, as [`StoryIndex::vector`]. Returns the ids of
    /// `doc.terms` (`None` for the terms without weight).
    fn load(&mut self, doc: &DocFeatures) -> Vec<Option<u32>> {
        self.next_doc_epoch();
        let mut ids: Vec<Option<u32>> = Vec::with_capacity(doc.terms.len());
        for (term, count) in &doc.terms {
            ids.push(if !term.is_empty() && *count > 0.0 {
                self.terms.intern(term)
            } else {
                None
            });
        }
        self.grow_scratch();
        for (i, id) in ids.iter().enumerate() {
            if let (Some(id), Ok(i)) = (id, u32::try_from(i)) {
                if let Some(slot) = self.pos_at.get_mut(*id as usize) {
                    *slot = (self.doc_epoch, i);
                }
            }
        }
        self.last_doc = (doc.terms.as_ptr() as usize, doc.terms.len());
        let terms = &self.terms;
        let hasher = PreHashed(&terms.hash);
        let mut words: std::collections::HashMap<u32, f32, PreHashed> =
            std::collections::HashMap::with_capacity_and_hasher(doc.terms.len(), hasher);
        let mut phrases: std::collections::HashMap<u32, f32, PreHashed> =
            std::collections::HashMap::with_capacity_and_hasher(doc.terms.len(), hasher);
        for ((_, count), id) in doc.terms.iter().zip(&ids) {
            let Some(id) = *id else {
                continue;
            };
            if !count.is_finite() {
                continue;
            }
            let tf = 1.0 + count.max(1.0).ln();
            let idf = terms.idf(id, self.docs);
            if terms.phrase.get(id as usize).copied().unwrap_or(false) {
                *phrases.entry(id).or_default() += tf * idf * idf;
            } else {
                *words.entry(id).or_default() += tf * idf;
            }
        }
        for &(id, _) in &self.doc {
            set_bit(&mut self.doc_bits, id, false);
        }
        self.doc.clear();
        for (block, share) in [(words, 1.0 - PHRASE_SHARE), (phrases, PHRASE_SHARE)] {
            let norm = block.values().map(|w| w * w).sum::<f32>().sqrt();
            if norm > 0.0 && norm.is_finite() {
                let scale = share.sqrt() / norm;
                for (id, w) in block {
                    let w = w * scale;
                    self.doc.push((id, w));
                    if let Some(slot) = self.doc_weight.get_mut(id as usize) {
                        *slot = (self.doc_epoch, w);
                    }
                    set_bit(&mut self.doc_bits, id, true);
                }
            }
        }
        ids
    }

    /// The unit vector of a document (see [`StoryIndex::load`]), keyed by the term strings.
    fn vector<'d>(&self, doc: &'d DocFeatures) -> Vector<'d> {
        let mut words: Vector =
            HashMap::with_capacity_and_hasher(doc.terms.len(), Default::default());
        let mut phrases: Vector =
            HashMap::with_capacity_and_hasher(doc.terms.len(), Default::default());
        for (term, count) in &doc.terms {
            if term.is_empty() || !count.is_finite() || *count <= 0.0 {
                continue;
            }
            // Sublinear tf: raw counts score a little higher on the SemEval-2022 dev pairs, but they let the
            // words a whole topic repeats (سوريا، روسيا، أمريكا) outweigh the details that tell one event
            // from another, and they count boilerplate repeated by the page twice.
            let tf = 1.0 + count.max(1.0).ln();
            let idf = self.idf(term);
            if is_phrase(term) {
                // Phrases are rare by nature: the full idf, so that stock phrases (وزير الخارجية) weigh little.
                *phrases.entry(term.as_str()).or_default() += tf * idf * idf;
            } else {
                *words.entry(term.as_str()).or_default() += tf * idf;
            }
        }
        let mut v: Vector =
            HashMap::with_capacity_and_hasher(words.len() + phrases.len(), Default::default());
        for (block, share) in [(words, 1.0 - PHRASE_SHARE), (phrases, PHRASE_SHARE)] {
            let norm = block.values().map(|w| w * w).sum::<f32>().sqrt();
            if norm > 0.0 && norm.is_finite() {
                let scale = share.sqrt() / norm;
                v.extend(block.into_iter().map(|(t, w)| (t, w * scale)));
            }
        }
        v
    }

    /// The time factor between a day and a story's range `first..=last`: `None` when the gap forbids the
    /// join, `Some((factor, dated))` otherwise, `dated` telling whether both sides had a date.
    fn time_factor(
        &self,
        day: Option<i32>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Option<(f32, bool)> {
        let (Some(day), Some(first), Some(last)) = (day, first, last) else {
            return Some((1.0, false));
        };
        let (lo, hi) = (i64::from(first.min(last)), i64::from(first.max(last)));
        let d = i64::from(day);
        let gap = if d < lo { lo - d } else { (d - hi).max(0) };
        let max_gap = i64::from(self.cfg.max_gap_days.max(0));
        if gap > max_gap {
            return None;
        }
        let grace = i64::from(self.cfg.grace_days.max(0));
        if gap <= grace || max_gap <= grace {
            return Some((1.0, true));
        }
        let frac = (gap - grace) as f32 / (max_gap - grace) as f32;
        Some((
            (1.0 - self.cfg.gap_penalty.clamp(0.0, 1.0) * frac).max(0.0),
            true,
        ))
    }

    /// Stories sharing heavy terms with the current document, best first, at most `max_candidates`.
    fn candidates(&mut self) -> Vec<usize> {
        // Only terms some story is indexed under can find anything: a document's heaviest terms are often
        // its own (names, typos) and would waste the query.
        let (postings, posted_bits) = (&self.postings, &self.posted_bits);
        let terms = &self.terms;
        let mut query: Vec<(SortKey, &[u32], u32, f32)> = self
            .doc
            .iter()
            .filter(|&&(t, _)| has_bit(posted_bits, t))
            .filter_map(|&(t, w)| {
                postings
                    .get(t as usize)
                    .filter(|list| !list.is_empty())
                    .map(|list| (terms.sort_key(w, t), list.as_slice(), t, w))
            })
            .collect();
        // The heaviest first, ties by term: a total order, so selecting the first `query_terms` and
        // sorting those gives what sorting all would.
        let by_weight = |a: &(SortKey, &[u32], u32, f32), b: &(SortKey, &[u32], u32, f32)| {
            a.0.cmp(&b.0)
                .then_with(|| terms.text(a.2).cmp(terms.text(b.2)))
        };
        if self.cfg.query_terms < query.len() {
            query.select_nth_unstable_by(self.cfg.query_terms, by_weight);
            query.truncate(self.cfg.query_terms);
        }
        query.sort_by(by_weight);
        // Scores accumulate in a dense array indexed by slot (reused between calls); only the
        // slots touched are visited afterwards and reset.
        if self.scratch.len() < self.stories.len() {
            self.scratch.resize(self.stories.len(), 0.0);
        }
        // A slice, not the vector: its length stays in a register through the pushes below.
        let scores: &mut [f32] = &mut self.scratch;
        let mut touched = std::mem::take(&mut self.touched);
        touched.clear();
        for (_, list, _, w) in query {
            if !(w > 0.0 && w.is_finite()) {
                continue; // a zero weight would leave a touched slot looking untouched
            }
            let recent = list
                .get(list.len().saturating_sub(self.cfg.max_postings)..)
                .unwrap_or(&[]);
            for &slot in recent.iter().rev() {
                if let Some(s) = scores.get_mut(slot as usize) {
                    if *s == 0.0 {
                        touched.push(slot);
                    }
                    *s += w;
                }
            }
        }
        // The best `max_candidates` (best score first, ties by latest slot: a total order, see the
        // query above), kept in a heap whose top is the worst kept: most touched slots score
        // under it and cost one comparison. Every touched score is reset on the way.
        let keep = self.cfg.max_candidates;
        let mut best: BinaryHeap<Ranked> = BinaryHeap::with_capacity(keep.min(touched.len()) + 1);
        // The worst kept score, once the heap is full: scores are positive and finite sums, so
        // a plain comparison with it orders like `Ranked`'s and rejects most slots at once.
        let mut floor = f32::NEG_INFINITY;
        for &slot in &touched {
            let score = scores
                .get_mut(slot as usize)
                .map(std::mem::take)
                .unwrap_or(0.0);
            if score < floor {
                continue;
            }
            let r = Ranked { slot, score };
            if best.len() < keep {
                best.push(r);
            } else if let Some(mut worst) = best.peek_mut() {
                if r < *worst {
                    *worst = r;
                }
            }
            if best.len() >= keep {
                floor = best.peek().map_or(f32::NEG_INFINITY, |w| w.score);
            }
        }
        self.touched = touched;
        best.into_sorted_vec()
            .into_iter()
            .map(|r| r.slot as usize)
            .collect()
    }

    /// Similarity of the current document to a story: the dot product of its unit vector with the mean of
    /// the members' unit vectors, i.e. the mean of its cosines with the members (average link).
    ///
    /// Not the cosine with the centroid: averaging keeps what the members share, so the cosine with the
    /// centroid of a few reports on one topic rises for any other report on that topic, and a story would
    /// swallow its neighbours as it grows. The mean cosine is on the same scale as the pair similarity the
    /// thresholds are calibrated on.
    fn mean_similarity(&self, story: &Story) -> f32 {
        let dot: f32 = story
            .hot
            .iter()
            .filter(|(_, w)| w.is_finite())
            .filter_map(|&(t, w)| self.doc_weight(t).map(|x| x * w))
            .sum();
        if dot.is_finite() {
            dot.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// Assigns a document: it joins the most similar story if the time-adjusted similarity reaches the
    /// threshold (the stricter one when a date is missing on either side) and the dates are compatible;
    /// otherwise it opens a new story with id `new_id`. Updates the df table, the centroid and the time range.
    ///
    /// `new_id` should be unused; if it already names a story, the document joins that story instead of
    /// opening a second one with the same id.
    pub fn assign(&mut self, doc: &DocFeatures, new_id: u64) -> Assignment {
        let ids = self.load(doc);
        let mut best: Option<(usize, f32)> = None;
        let mut best_seen = 0.0f32;
        for slot in self.candidates() {
            let Some(story) = self.stories.get(slot) else {
                continue;
            };
            let Some((factor, dated)) = self.time_factor(doc.day, story.first_day, story.last_day)
            else {
                continue;
            };
            let sim = self.mean_similarity(story) * factor;
            best_seen = best_seen.max(sim);
            let needed = if dated {
                self.cfg.threshold
            } else {
                self.cfg.threshold_no_date
            };
            if sim >= needed && best.is_none_or(|(_, s)| sim > s) {
                best = Some((slot, sim));
            }
        }
        self.count_df(doc, &ids);
        let (slot, similarity, is_new) = match (best, self.slot_of.get(&new_id)) {
            (Some((slot, sim)), _) => (slot, sim, false),
            (None, Some(&slot)) => (slot, best_seen, false),
            (None, None) => {
                let slot = self.stories.len();
                self.stories.push(Story {
                    id: new_id,
                    first_day: None,
                    last_day: None,
                    size: 0,
                    entries: Vec::new(),
                    hot: Vec::new(),
                    state: OnceLock::new(),
                });
                self.posted.push(Vec::new());
                self.slot_of.insert(new_id, slot);
                (slot, best_seen, true)
            }
        };
        self.add_to_story(slot, doc);
        let story = self.stories.get(slot).map_or(new_id, |s| s.id);
        Assignment {
            story,
            similarity,
            is_new,
        }
    }

    /// Counts the document (its term ids from [`StoryIndex::load`]) in the df table.
    fn count_df(&mut self, doc: &DocFeatures, ids: &[Option<u32>]) {
        self.docs = self.docs.saturating_add(1);
        self.next_epoch();
        for ((_, count), id) in doc.terms.iter().zip(ids) {
            let Some(id) = *id else {
                continue;
            };
            if *count > 0.0 && self.mark_once(id) {
                if let Some(n) = self.terms.df.get_mut(id as usize) {
                    *n = n.saturating_add(1);
                }
                if let Some(d) = self.terms.dirty.get_mut(id as usize) {
                    if !*d {
                        *d = true;
                        self.terms.changed.push(id);
                    }
                }
            }
        }
    }

    fn add_to_story(&mut self, slot: usize, doc: &DocFeatures) {
        let top = self.cfg.top_terms.max(1);
        self.next_epoch();
        let epoch = self.epoch;
        let terms = &self.terms;
        let (doc_weight, doc_bits, mark) = (&self.doc_weight, &self.doc_bits, &mut self.mark);
        let doc_epoch = self.doc_epoch;
        let in_doc = |id: u32| -> Option<f32> {
            if !has_bit(doc_bits, id) {
                return None;
            }
            match doc_weight.get(id as usize) {
                Some(&(m, w)) if m == doc_epoch => Some(w),
                _ => None,
            }
        };
        let Some(story) = self.stories.get_mut(slot) else {
            return;
        };
        let size = story.size as f32;
        let new_size = story.size.saturating_add(1);
        let divisor = new_size as f32;
        // The same operations as summing `size × mean` and the document's weight per term, then dividing:
        // members' weights first, the document's added to them. The centroid is sorted heaviest first, ties
        // by term; the terms the document lacks all scale alike, so they stay in order (`unchanged`) but
        // for ties the rounding may create, and only the document's terms (`moved`) need sorting.
        let old = std::mem::take(&mut story.entries);
        let mut unchanged: Vec<Entry> = Vec::with_capacity(old.len());
        let mut moved: Vec<Entry> = Vec::with_capacity(self.doc.len());
        for mut e in old {
            let mut w = e.weight * size;
            let touched = in_doc(e.term);
            if let Some(x) = touched {
                w += x;
                e.count = e.count.saturating_add(1);
            }
            e.weight = w / divisor;
            if let Some(m) = mark.get_mut(e.term as usize) {
                *m = epoch;
            }
            if touched.is_some() {
                moved.push(e);
            } else {
                unchanged.push(e);
            }
        }
        for &(id, x) in &self.doc {
            if mark.get(id as usize).is_some_and(|&m| m == epoch) {
                continue;
            }
            moved.push(Entry {
                term: id,
                weight: (0.0 + x) / divisor,
                count: 1,
                label: None,
            });
        }
        let order = |a: &Entry, b: &Entry| {
            b.weight
                .total_cmp(&a.weight)
                .then_with(|| terms.cmp(a.term, b.term))
        };
        // Runs of equal weights among the unchanged ones go back to term order; should anything still be out of
        // order (it cannot for finite weights), everything is sorted.
        let mut start = 0;
        while start < unchanged.len() {
            let w = unchanged.get(start).map_or(0.0, |e| e.weight);
            let len = unchanged
                .get(start..)
                .map_or(0, |rest| {
                    rest.iter()
                        .take_while(|e| e.weight.total_cmp(&w).is_eq())
                        .count()
                })
                .max(1);
            if len > 1 {
                if let Some(run) = unchanged.get_mut(start..start + len) {
                    run.sort_by(|a, b| terms.cmp(a.term, b.term));
                }
            }
            start += len;
        }
        if !unchanged.windows(2).all(|p| match p {
            [a, b] => order(a, b).is_le(),
            _ => true,
        }) {
            moved.append(&mut unchanged);
        }
        // Heaviest first, ties by term (the key holds the weight's order and the term's first bytes).
        moved.sort_by_cached_key(|e| (terms.sort_key(e.weight, e.term), terms.text(e.term)));
        let mut entries: Vec<Entry> = Vec::with_capacity(unchanged.len() + moved.len());
        let (mut ki, mut mi) = (
            unchanged.into_iter().peekable(),
            moved.into_iter().peekable(),
        );
        loop {
            let take_kept = match (ki.peek(), mi.peek()) {
                (Some(k), Some(m)) => order(k, m).is_le(),
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if take_kept { ki.next() } else { mi.next() };
            if let Some(e) = next {
                entries.push(e);
            }
        }
        story.entries = entries;
        let entries = &mut story.entries;
        // Keep the heaviest terms, scaled so that the mean vector keeps its length: a story of one document
        // then scores like the cosine with that document, not less because its tail was cut.
        let full: f32 = entries
            .iter()
            .map(|e| e.weight * e.weight)
            .sum::<f32>()
            .sqrt();
        entries.truncate(top);
        let kept: f32 = entries
            .iter()
            .map(|e| e.weight * e.weight)
            .sum::<f32>()
            .sqrt();
        if kept > 0.0 && full.is_finite() && kept < full {
            let scale = full / kept;
            for e in entries.iter_mut() {
                e.weight *= scale;
            }
        }
        // Terms of the document that the story has no label for take the document's, found by the
        // term's position in the document (noted by `load`).
        let pos_at = &self.pos_at;
        for e in entries.iter_mut() {
            if e.count == 0 {
                e.count = 1;
            }
            if e.label.is_none() && in_doc(e.term).is_some() {
                e.label = match pos_at.get(e.term as usize) {
                    Some(&(m, i)) if m == doc_epoch => doc
                        .labels
                        .get(i as usize)
                        .filter(|l| !l.is_empty())
                        .map(|l| Box::from(l.as_str())),
                    _ => None,
                };
            }
        }
        story.hot.clear();
        story
            .hot
            .extend(story.entries.iter().map(|e| (e.term, e.weight)));
        story.size = new_size;
        if let Some(day) = doc.day {
            story.first_day = Some(story.first_day.map_or(day, |d| d.min(day)));
            story.last_day = Some(story.last_day.map_or(day, |d| d.max(day)));
        }
        story.state = OnceLock::new();
        self.repost(slot);
    }

    /// Re-posts a story's heaviest centroid terms to the inverted index (only the changes are applied).
    fn repost(&mut self, slot: usize) {
        let (Some(story), Ok(slot32)) = (self.stories.get(slot), u32::try_from(slot)) else {
            return;
        };
        let mut new: Vec<u32> = story
            .entries
            .iter()
            .take(self.cfg.index_terms)
            .map(|e| e.term)
            .collect();
        new.sort_unstable();
        new.dedup();
        let old = self
            .posted
            .get_mut(slot)
            .map(std::mem::take)
            .unwrap_or_default();
        let (mut i, mut j) = (0, 0);
        loop {
            let (o, n) = (old.get(i).copied(), new.get(j).copied());
            let (remove, insert) = match (o, n) {
                (None, None) => break,
                (Some(o), Some(n)) if o == n => {
                    i += 1;
                    j += 1;
                    continue;
                }
                (Some(o), Some(n)) if o < n => {
                    i += 1;
                    (Some(o), None)
                }
                (Some(o), None) => {
                    i += 1;
                    (Some(o), None)
                }
                (_, Some(n)) => {
                    j += 1;
                    (None, Some(n))
                }
            };
            if let Some(t) = remove {
                if let Some(list) = self.postings.get_mut(t as usize) {
                    if let Ok(k) = list.binary_search(&slot32) {
                        list.remove(k);
                    }
                    if list.is_empty() {
                        set_bit(&mut self.posted_bits, t, false);
                    }
                }
            }
            if let Some(t) = insert {
                if let Some(list) = self.postings.get_mut(t as usize) {
                    // The newest story goes at the end (the common case: no search).
                    if list.last().is_none_or(|&last| last < slot32) {
                        list.push(slot32);
                    } else if let Err(k) = list.binary_search(&slot32) {
                        list.insert(k, slot32);
                    }
                    set_bit(&mut self.posted_bits, t, true);
                }
            }
        }
        if let Some(p) = self.posted.get_mut(slot) {
            *p = new;
        }
    }

    /// The public form of a story.
    fn state_of<'s>(&self, story: &'s Story) -> &'s StoryState {
        story.state.get_or_init(|| StoryState {
            id: story.id,
            centroid: story
                .entries
                .iter()
                .map(|e| (self.terms.text(e.term).to_string(), e.weight))
                .collect(),
            first_day: story.first_day,
            last_day: story.last_day,
            size: story.size,
            term_counts: story
                .entries
                .iter()
                .map(|e| (self.terms.text(e.term).to_string(), e.count))
                .collect(),
            labels: story
                .entries
                .iter()
                .filter_map(|e| {
                    e.label
                        .as_ref()
                        .map(|l| (self.terms.text(e.term).to_string(), l.to_string()))
                })
                .collect(),
        })
    }

    /// The state of story `id` (built on first use after each change of the story, then kept).
    pub fn story(&self, id: u64) -> Option<&StoryState> {
        self.slot_of
            .get(&id)
            .and_then(|&slot| self.stories.get(slot))
            .map(|s| self.state_of(s))
    }

    /// The centroid of story `id`, heaviest first: the terms and weights of [`StoryState::centroid`],
    /// without building the state.
    pub fn centroid(&self, id: u64) -> Option<impl Iterator<Item = (&str, f32)> + '_> {
        let story = self
            .slot_of
            .get(&id)
            .and_then(|&slot| self.stories.get(slot))?;
        Some(
            story
                .entries
                .iter()
                .map(|e| (self.terms.text(e.term), e.weight)),
        )
    }

    /// How well a document's raw term counts fit the centroid of story `id`: `(dot, norm²)`, the sum
    /// over the document's terms, in order, of `count × weight` (as f64, the weight being the term's in
    /// the centroid, terms outside it adding nothing) and of `count²`. `None` for an unknown story.
    ///
    /// Cheapest for the document [`StoryIndex::assign`] was last given (its term ids are known);
    /// any other document is looked up by its strings, with the same result.
    pub fn title_fit_parts(&mut self, id: u64, doc: &DocFeatures) -> Option<(f64, f64)> {
        let story = self
            .slot_of
            .get(&id)
            .and_then(|&slot| self.stories.get(slot))?;
        let (mut dot, mut norm) = (0f64, 0f64);
        let mut fast = self.last_doc == (doc.terms.as_ptr() as usize, doc.terms.len())
            && doc.terms.iter().all(|(t, c)| !t.is_empty() && *c > 0.0);
        if fast {
            let at = &mut self.fit_scratch;
            at.clear();
            at.resize(doc.terms.len(), None);
            for e in &story.entries {
                if let Some(&(m, i)) = self.pos_at.get(e.term as usize) {
                    if m != self.doc_epoch {
                        continue;
                    }
                    // The positions were taken from the document last assigned: a document
                    // changed since then is looked up by its strings instead.
                    match (at.get_mut(i as usize), doc.terms.get(i as usize)) {
                        (Some(slot), Some((t, _))) if t.as_str() == self.terms.text(e.term) => {
                            *slot = Some(e.weight);
                        }
                        _ => fast = false,
                    }
                }
            }
        }
        if fast {
            for ((_, c), w) in doc.terms.iter().zip(self.fit_scratch.iter()) {
                let c = *c as f64;
                norm += c * c;
                if let Some(w) = w {
                    dot += c * *w as f64;
                }
            }
        } else {
            let centroid: HashMap<&str, f32> = story
                .entries
                .iter()
                .map(|e| (self.terms.text(e.term), e.weight))
                .collect();
            for (t, c) in &doc.terms {
                let c = *c as f64;
                norm += c * c;
                if let Some(w) = centroid.get(t.as_str()) {
                    dot += c * *w as f64;
                }
            }
        }
        Some((dot, norm))
    }

    /// All stories, in the order they were opened (or restored).
    pub fn stories(&self) -> impl Iterator<Item = &StoryState> {
        self.stories.iter().map(|s| self.state_of(s))
    }

    /// The index's own document frequency of `term` (without the shipped prior).
    pub fn df_of(&self, term: &str) -> u32 {
        self.terms
            .get(term)
            .and_then(|id| self.terms.df.get(id as usize).copied())
            .unwrap_or(0)
    }

    /// The number of documents the index's own df table counts.
    pub fn doc_count(&self) -> u32 {
        self.docs
    }

    /// The terms whose own document frequency changed since the last call (or since the index was made
    /// or restored), with their frequency now, sorted by term: what a caller persisting [`StoryIndex::df`]
    /// incrementally has to write.
    ///
    /// ```
    /// use rasd_stories::{doc_features, StoryConfig, StoryIndex};
    /// let mut index = StoryIndex::new(StoryConfig::default());
    /// index.assign(&doc_features(None, "زلزال في كريت", None), 1);
    /// let changes = index.take_df_changes();
    /// assert!(changes.iter().all(|(t, n)| *n == 1 && index.df_of(t) == 1));
    /// assert!(!changes.is_empty() && index.take_df_changes().is_empty());
    /// ```
    pub fn take_df_changes(&mut self) -> Vec<(String, u32)> {
        let mut changed = std::mem::take(&mut self.terms.changed);
        // In the order of the strings (`Terms::cmp` compares their prefixes first), so the
        // list comes out sorted without comparing the strings it is made of.
        changed.sort_unstable_by(|&a, &b| self.terms.cmp(a, b));
        let mut out = Vec::with_capacity(changed.len());
        for id in changed {
            if let Some(d) = self.terms.dirty.get_mut(id as usize) {
                *d = false;
            }
            let df = self.terms.df.get(id as usize).copied().unwrap_or(0);
            out.push((self.terms.text(id).to_string(), df));
        }
        out
    }

    /// The index's own document count and df table (without the shipped prior; terms counted 0 are
    /// left out), for persisting.
    pub fn df(&self) -> (u32, Vec<(String, u32)>) {
        let mut table: Vec<(String, u32)> = self
            .terms
            .text
            .iter()
            .zip(&self.terms.df)
            .filter(|(_, n)| **n > 0)
            .map(|(t, n)| (t.to_string(), *n))
            .collect();
        table.sort();
        (self.docs, table)
    }

    /// Up to `n` readable key terms of story `id`, heaviest first (surface forms where known).
    pub fn key_terms(&self, id: u64, n: usize) -> Vec<String> {
        let Some(story) = self
            .slot_of
            .get(&id)
            .and_then(|&slot| self.stories.get(slot))
        else {
            return Vec::new();
        };
        if let Some(state) = story.state.get() {
            return key_terms_of(state, n);
        }
        // What `key_terms_of` computes on the story's state, from the entries (a story without a built
        // state has been updated since it was opened or restored: every count is at least 1).
        let entries = &story.entries;
        // Terms that recur across members are better keys than one document's idiosyncrasies.
        let mut ranked: Vec<(u32, f32)> = entries
            .iter()
            .map(|e| (e.term, e.weight * (1.0 + (e.count.max(1) as f32).ln())))
            .collect();
        let by_rank = |a: &(u32, f32), b: &(u32, f32)| {
            b.1.total_cmp(&a.1).then_with(|| self.terms.cmp(a.0, b.0))
        };
        // A total order (terms are unique): the heaviest few are selected and sorted first, the
        // rest only when labels that repeat leave the list short.
        let head = n.saturating_mul(4).max(16);
        let mut sorted = ranked.len().min(head);
        if sorted < ranked.len() {
            ranked.select_nth_unstable_by(sorted, by_rank);
        }
        if let Some(top) = ranked.get_mut(..sorted) {
            top.sort_by(by_rank);
        }
        let label_of = |id: u32| -> Option<&str> {
            entries
                .iter()
                .find(|e| e.term == id)
                .and_then(|e| e.label.as_deref())
        };
        let mut out: Vec<String> = Vec::new();
        let mut i = 0;
        while out.len() < n && i < ranked.len() {
            if i == sorted {
                if let Some(rest) = ranked.get_mut(sorted..) {
                    rest.sort_by(by_rank);
                }
                sorted = ranked.len();
            }
            let Some(&(term, _)) = ranked.get(i) else {
                break;
            };
            i += 1;
            let t = self.terms.text(term);
            let label = if self
                .terms
                .phrase
                .get(term as usize)
                .copied()
                .unwrap_or(false)
            {
                t.split(PHRASE_SEP)
                    .map(|part| self.terms.get(part).and_then(label_of).unwrap_or(part))
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                label_of(term).unwrap_or(t).to_string()
            };
            if !out.contains(&label) {
                out.push(label);
            }
        }
        out
    }

    /// [`StoryState::to_bytes`] of story `id`, written from the index's own form (without building the
    /// state when it is not built already).
    pub fn story_bytes(&self, id: u64) -> Option<Vec<u8>> {
        let story = self
            .slot_of
            .get(&id)
            .and_then(|&slot| self.stories.get(slot))?;
        if let Some(state) = story.state.get() {
            return Some(state.to_bytes());
        }
        let mut out = Vec::with_capacity(64 + story.entries.len() * 24);
        write_header(
            &mut out,
            story.id,
            story.first_day,
            story.last_day,
            story.size,
            true,
            true,
        );
        put_varint(&mut out, story.entries.len() as u64);
        for e in &story.entries {
            put_str(&mut out, self.terms.text(e.term));
            out.extend_from_slice(&e.weight.to_le_bytes());
        }
        for e in &story.entries {
            put_varint(&mut out, u64::from(e.count));
        }
        put_varint(
            &mut out,
            story.entries.iter().filter(|e| e.label.is_some()).count() as u64,
        );
        for (i, e) in story.entries.iter().enumerate() {
            if let Some(label) = &e.label {
                put_varint(&mut out, i as u64);
                put_str(&mut out, label);
            }
        }
        Some(out)
    }
}

/// [`StoryIndex::key_terms`] of a story state.
fn key_terms_of(story: &StoryState, n: usize) -> Vec<String> {
    let labels: HashMap<&str, &str> = story
        .labels
        .iter()
        .map(|(t, l)| (t.as_str(), l.as_str()))
        .collect();
    // Terms that recur across members are better keys than one document's idiosyncrasies.
    let counts: HashMap<&str, u32> = story
        .term_counts
        .iter()
        .map(|(t, c)| (t.as_str(), *c))
        .collect();
    let mut ranked: Vec<(&str, f32)> = story
        .centroid
        .iter()
        .map(|(t, w)| {
            let c = counts.get(t.as_str()).copied().unwrap_or(1) as f32;
            (t.as_str(), w * (1.0 + c.ln()))
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut out: Vec<String> = Vec::new();
    for (t, _) in ranked {
        if out.len() >= n {
            break;
        }
        let label = if is_phrase(t) {
            t.split(PHRASE_SEP)
                .map(|part| labels.get(part).copied().unwrap_or(part))
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            labels.get(t).copied().unwrap_or(t).to_string()
        };
        if !out.contains(&label) {
            out.push(label);
        }
    }
    out
}

/// First bytes of [`StoryState::to_bytes`]: a tag and the format version.
const STATE_MAGIC: [u8; 4] = *b"RSS\x01";
const HAS_FIRST_DAY: u8 = 1;
const HAS_LAST_DAY: u8 = 2;
/// `term_counts` names the centroid's terms in the centroid's order: only the counts are written.
const COUNTS_ALIGNED: u8 = 4;
/// Every label's term is a centroid term at or after the previous label's: written as positions.
const LABELS_BY_POSITION: u8 = 8;

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn write_header(
    out: &mut Vec<u8>,
    id: u64,
    first_day: Option<i32>,
    last_day: Option<i32>,
    size: u32,
    counts_aligned: bool,
    labels_by_position: bool,
) {
    out.extend_from_slice(&STATE_MAGIC);
    let mut flags = 0u8;
    if first_day.is_some() {
        flags |= HAS_FIRST_DAY;
    }
    if last_day.is_some() {
        flags |= HAS_LAST_DAY;
    }
    if counts_aligned {
        flags |= COUNTS_ALIGNED;
    }
    if labels_by_position {
        flags |= LABELS_BY_POSITION;
    }
    out.push(flags);
    put_varint(out, id);
    for day in [first_day, last_day].into_iter().flatten() {
        out.extend_from_slice(&day.to_le_bytes());
    }
    put_varint(out, u64::from(size));
}

/// Reads what the `put_*` functions write; every read is checked.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).and_then(|b| b.first().copied())
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            let part = u64::from(b & 0x7f);
            if shift == 63 && part > 1 {
                return None;
            }
            v |= part << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.varint()?).ok()
    }

    /// A count of items each at least `min_bytes` long: no more than the bytes left can hold.
    fn count(&mut self, min_bytes: usize) -> Option<usize> {
        let n = usize::try_from(self.varint()?).ok()?;
        (n <= self.bytes.len() / min_bytes.max(1)).then_some(n)
    }

    fn four(&mut self) -> Option<[u8; 4]> {
        self.take(4)?.try_into().ok()
    }

    fn string(&mut self) -> Option<String> {
        let n = usize::try_from(self.varint()?).ok()?;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes).ok().map(str::to_string)
    }
}

impl StoryState {
    /// A compact binary form of the state (versioned; see [`StoryState::from_bytes`]): a few bytes of
    /// header, then each centroid term and its weight, the counts (by position when `term_counts` follows
    /// the centroid, as the index writes it) and the labels (by centroid position when they can be).
    ///
    /// ```
    /// use rasd_stories::StoryState;
    /// let state = StoryState {
    ///     id: 7,
    ///     centroid: vec![("زلزل".into(), 0.5), ("كريت".into(), 0.25)],
    ///     first_day: Some(19_000),
    ///     last_day: None,
    ///     size: 2,
    ///     term_counts: vec![("زلزل".into(), 2), ("كريت".into(), 1)],
    ///     labels: vec![("زلزل".into(), "زلزال".into())],
    /// };
    /// assert_eq!(StoryState::from_bytes(&state.to_bytes()), Some(state));
    /// assert_eq!(StoryState::from_bytes(b"not a state"), None);
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let aligned = self.term_counts.len() == self.centroid.len()
            && self
                .term_counts
                .iter()
                .zip(&self.centroid)
                .all(|((a, _), (b, _))| a == b);
        let mut positions = Vec::with_capacity(self.labels.len());
        let mut next = 0usize;
        for (term, _) in &self.labels {
            match self
                .centroid
                .get(next..)
                .and_then(|rest| rest.iter().position(|(t, _)| t == term))
            {
                Some(k) => {
                    positions.push(next + k);
                    next += k + 1;
                }
                None => break,
            }
        }
        let by_position = positions.len() == self.labels.len();
        let mut out = Vec::with_capacity(64 + self.centroid.len() * 24);
        write_header(
            &mut out,
            self.id,
            self.first_day,
            self.last_day,
            self.size,
            aligned,
            by_position,
        );
        put_varint(&mut out, self.centroid.len() as u64);
        for (term, w) in &self.centroid {
            put_str(&mut out, term);
            out.extend_from_slice(&w.to_le_bytes());
        }
        if aligned {
            for (_, n) in &self.term_counts {
                put_varint(&mut out, u64::from(*n));
            }
        } else {
            put_varint(&mut out, self.term_counts.len() as u64);
            for (term, n) in &self.term_counts {
                put_str(&mut out, term);
                put_varint(&mut out, u64::from(*n));
            }
        }
        put_varint(&mut out, self.labels.len() as u64);
        for (i, (term, label)) in self.labels.iter().enumerate() {
            if by_position {
                put_varint(&mut out, positions.get(i).copied().unwrap_or(0) as u64);
            } else {
                put_str(&mut out, term);
            }
            put_str(&mut out, label);
        }
        out
    }

    /// Reads [`StoryState::to_bytes`]; `None` for anything else (another version, truncated or extra
    /// bytes, invalid UTF-8, positions out of range). Never panics.
    pub fn from_bytes(bytes: &[u8]) -> Option<StoryState> {
        let mut r = Reader { bytes };
        if r.four()? != STATE_MAGIC {
            return None;
        }
        let flags = r.byte()?;
        if flags & !(HAS_FIRST_DAY | HAS_LAST_DAY | COUNTS_ALIGNED | LABELS_BY_POSITION) != 0 {
            return None;
        }
        let id = r.varint()?;
        let first_day = if flags & HAS_FIRST_DAY != 0 {
            Some(i32::from_le_bytes(r.four()?))
        } else {
            None
        };
        let last_day = if flags & HAS_LAST_DAY != 0 {
            Some(i32::from_le_bytes(r.four()?))
        } else {
            None
        };
        let size = r.u32()?;
        let n = r.count(5)?;
        let mut centroid = Vec::with_capacity(n);
        for _ in 0..n {
            let term = r.string()?;
            centroid.push((term, f32::from_le_bytes(r.four()?)));
        }
        let term_counts = if flags & COUNTS_ALIGNED != 0 {
            let mut counts = Vec::with_capacity(n);
            for (term, _) in &centroid {
                counts.push((term.clone(), r.u32()?));
            }
            counts
        } else {
            let m = r.count(2)?;
            let mut counts = Vec::with_capacity(m);
            for _ in 0..m {
                let term = r.string()?;
                counts.push((term, r.u32()?));
            }
            counts
        };
        let m = r.count(2)?;
        let mut labels = Vec::with_capacity(m);
        for _ in 0..m {
            let term = if flags & LABELS_BY_POSITION != 0 {
                let i = usize::try_from(r.varint()?).ok()?;
                centroid.get(i)?.0.clone()
            } else {
                r.string()?
            };
            labels.push((term, r.string()?));
        }
        r.bytes.is_empty().then_some(StoryState {
            id,
            centroid,
            first_day,
            last_day,
            size,
            term_counts,
            labels,
        })
    }
}

/// A document's unit tf-idf vector keyed by its terms.
type Vector<'d> = HashMap<&'d str, f32>;

/// Cosine similarity of two documents' tf-idf vectors under the index's idf (0 when either is empty).
///
/// ```
/// use rasd_stories::{doc_features, similarity, StoryConfig, StoryIndex};
/// let index = StoryIndex::new(StoryConfig::default());
/// let a = doc_features(None, "انتخابات برلمانية في الأردن", None);
/// let b = doc_features(None, "مباراة كرة القدم انتهت بالتعادل", None);
/// assert!(similarity(&index, &a, &a) > 0.99);
/// assert!(similarity(&index, &a, &b) < 0.1);
/// ```
pub fn similarity(index: &StoryIndex, a: &DocFeatures, b: &DocFeatures) -> f32 {
    let va = index.vector(a);
    let vb = index.vector(b);
    let (small, large) = if va.len() <= vb.len() {
        (&va, &vb)
    } else {
        (&vb, &va)
    };
    let dot: f32 = small
        .iter()
        .filter_map(|(t, w)| large.get(t).map(|x| x * w))
        .sum();
    if dot.is_finite() {
        dot.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// BCubed precision, recall and F1 of a clustering `pred` against gold labels `gold` (same order; extra
/// items of the longer slice are ignored). Empty input gives `(0, 0, 0)`.
///
/// ```
/// let (p, r, f) = rasd_stories::bcubed(&[1, 1, 2], &["a".into(), "a".into(), "b".into()]);
/// assert_eq!((p, r, f), (1.0, 1.0, 1.0));
/// ```
pub fn bcubed(pred: &[u64], gold: &[String]) -> (f64, f64, f64) {
    let n = pred.len().min(gold.len());
    if n == 0 {
        return (0.0, 0.0, 0.0);
    }
    let mut both: HashMap<(u64, &str), f64> = HashMap::default();
    let mut by_pred: HashMap<u64, f64> = HashMap::default();
    let mut by_gold: HashMap<&str, f64> = HashMap::default();
    for (p, g) in pred.iter().zip(gold.iter()) {
        *both.entry((*p, g.as_str())).or_default() += 1.0;
        *by_pred.entry(*p).or_default() += 1.0;
        *by_gold.entry(g.as_str()).or_default() += 1.0;
    }
    let (mut precision, mut recall) = (0.0f64, 0.0f64);
    for (p, g) in pred.iter().zip(gold.iter()) {
        let same = both.get(&(*p, g.as_str())).copied().unwrap_or(0.0);
        precision += same / by_pred.get(p).copied().unwrap_or(1.0);
        recall += same / by_gold.get(g.as_str()).copied().unwrap_or(1.0);
    }
    precision /= n as f64;
    recall /= n as f64;
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    (precision, recall, f1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i32 = 19_000;

    fn doc(title: &str, body: &str, day: Option<i32>) -> DocFeatures {
        doc_features(Some(title), body, day)
    }

    fn quake_a(day: Option<i32>) -> DocFeatures {
        doc(
            "زلزال بقوة 6.1 درجات يضرب جزيرة كريت اليونانية",
            "ضرب زلزال بقوة 6.1 درجات على مقياس ريختر جزيرة كريت اليونانية صباح الاثنين، وأعلن معهد \
             الجيوديناميكا في أثينا أن مركز الهزة كان على عمق عشرة كيلومترات جنوب الجزيرة. ولم تسجل \
             السلطات اليونانية أي إصابات أو أضرار كبيرة، لكن السكان خرجوا إلى الشوارع خوفا من هزات ارتدادية.",
            day,
        )
    }

    fn quake_b(day: Option<i32>) -> DocFeatures {
        doc(
            "هزة أرضية قوية تضرب كريت ولا إصابات",
            "أفادت السلطات في اليونان بأن زلزالا قوته 6.1 درجات ضرب جزيرة كريت صباح اليوم الاثنين دون أن \
             يسفر عن إصابات. وقال معهد الجيوديناميكا إن مركز الزلزال يقع جنوب الجزيرة على عمق عشرة \
             كيلومترات، فيما غادر سكان كريت منازلهم تحسبا لهزات ارتدادية.",
            day,
        )
    }

    fn football(day: Option<i32>) -> DocFeatures {
        doc(
            "المغرب يتأهل إلى نصف نهائي كأس العالم",
            "فاز المنتخب المغربي لكرة القدم على نظيره البرتغالي بهدف نظيف في ربع نهائي كأس العالم، \
             ليصبح أول منتخب عربي وأفريقي يبلغ المربع الذهبي. وسجل يوسف النصيري هدف المباراة الوحيد \
             برأسية في الدقيقة الثانية والأربعين، وسط احتفالات الجماهير في الرباط والدار البيضاء.",
            day,
        )
    }

    fn call_idlib(day: Option<i32>) -> DocFeatures {
        doc(
            "اتصال هاتفي بين بوتين وأردوغان حول إدلب",
            "بحث الرئيس الروسي فلاديمير بوتين ونظيره التركي رجب طيب أردوغان في اتصال هاتفي الوضع في \
             محافظة إدلب السورية، واتفقا على تثبيت وقف إطلاق النار وتسيير دوريات عسكرية مشتركة على \
             الطريق الدولي. وقال الكرملين إن الرئيسين شددا على مواصلة التنسيق بين موسكو وأنقرة.",
            day,
        )
    }

    fn call_gas(day: Option<i32>) -> DocFeatures {
        doc(
            "بوتين وأردوغان يبحثان هاتفيا مشروع خط الغاز",
            "بحث الرئيس الروسي فلاديمير بوتين ونظيره التركي رجب طيب أردوغان في اتصال هاتفي مشروع خط \
             أنابيب الغاز عبر البحر الأسود، واتفقا على تسريع أعمال البناء وزيادة حجم التبادل التجاري. \
             وقال الكرملين إن الرئيسين شددا على مواصلة التعاون بين موسكو وأنقرة في مجال الطاقة.",
            day,
        )
    }

    #[test]
    fn features_drop_noise_terms() {
        let f = doc_features(
            Some("عنوان"),
            "في من على 2017 ١٢ و ب https://example.com/x user@mail.com @someone الانتخابات #سوريا",
            None,
        );
        let terms: Vec<&str> = f
            .terms
            .iter()
            .map(|(t, _)| t.as_str())
            .filter(|t| !is_phrase(t))
            .collect();
        for t in &terms {
            assert!(
                t.chars().filter(|c| c.is_alphanumeric()).count() >= 2,
                "{t}"
            );
            assert!(!t.chars().all(char::is_numeric), "{t}");
            assert!(
                !t.contains("example") && !t.contains("mail") && !t.contains("someone"),
                "{t}"
            );
        }
        assert!(
            !terms
                .iter()
                .any(|t| *t == "في" || *t == "من" || *t == "على"),
            "{terms:?}"
        );
        assert_eq!(terms.len(), 3, "عنوان, الانتخابات, سوريا: {terms:?}");
        assert!(f.labels.iter().any(|l| l == "الانتخابات"), "{:?}", f.labels);
    }

    #[test]
    fn labels_pick_the_most_frequent_then_shortest_then_first_spelling() {
        let key = |w: &str| rasd_arabic::variant_key(&rasd_arabic::search_key(w));
        let label = |f: &DocFeatures, w: &str| f.label(&key(w)).map(str::to_string);
        // The rarer spelling comes first: the count decides, not the order of sight.
        let f = doc_features(
            None,
            "الأمريكية، الأميركية، الأميركية. الأمريكية الأميركية",
            None,
        );
        assert_eq!(label(&f, "الأمريكية").as_deref(), Some("الأميركية"));
        // Equal counts: the shorter form (in characters) wins, wherever it stands.
        let f = doc_features(None, "وموسكو ، موسكو ، وموسكو ، موسكو", None);
        assert_eq!(label(&f, "موسكو").as_deref(), Some("موسكو"));
        // Equal counts and lengths: the first in code-point order, whichever was seen first.
        for text in ["أستانا، أستانة", "أستانة، أستانا"] {
            let f = doc_features(None, text, None);
            assert_eq!(label(&f, "أستانا").as_deref(), Some("أستانا"), "{text}");
        }
        // One label per term, empty for phrases; terms heaviest first, then by term.
        let f = doc_features(
            Some("زلزال قوي"),
            "ضرب زلزال جزيرة كريت وزلزال آخر قبرص",
            None,
        );
        assert_eq!(f.labels.len(), f.terms.len());
        for ((term, _), label) in f.terms.iter().zip(&f.labels) {
            assert_eq!(label.is_empty(), is_phrase(term), "{term}: {label}");
        }
        assert_eq!(label(&f, "زلزال").as_deref(), Some("زلزال"));
        assert!(
            f.terms
                .windows(2)
                .all(|p| p[0].1 > p[1].1 || (p[0].1 == p[1].1 && p[0].0 < p[1].0)),
            "{:?}",
            f.terms
        );
    }

    #[test]
    fn phrases_join_adjacent_words_only() {
        let key = |w: &str| rasd_arabic::variant_key(&rasd_arabic::search_key(w));
        let phrase = |a: &str, b: &str| format!("{}{PHRASE_SEP}{}", key(a), key(b));
        let f = doc_features(
            None,
            "وول ستريت جورنال، مناطق \"تخفيف التوتر\" في سوريا. دمشق 2017 حلب",
            None,
        );
        let has = |t: &str| f.terms.iter().any(|(x, _)| x == t);
        // (phrase, expected): quotes and stopwords do not break a phrase; commas, full stops and numbers do.
        let table = [
            (phrase("وول", "ستريت"), true),
            (phrase("ستريت", "جورنال"), true),
            (phrase("تخفيف", "التوتر"), true),
            (phrase("مناطق", "تخفيف"), true),
            (phrase("التوتر", "سوريا"), true),
            (phrase("جورنال", "مناطق"), false),
            (phrase("سوريا", "دمشق"), false),
            (phrase("دمشق", "حلب"), false),
        ];
        for (p, expected) in &table {
            assert_eq!(has(p), *expected, "{p}: {:?}", f.terms);
        }
    }

    #[test]
    fn title_counts_extra() {
        let with = doc_features(Some("كريت"), "زلزال كريت", None);
        let without = doc_features(None, "زلزال كريت", None);
        let count = |f: &DocFeatures| {
            f.terms
                .iter()
                .filter(|(t, _)| !is_phrase(t))
                .map(|(_, n)| n)
                .sum::<f32>()
        };
        assert_eq!(count(&without), 2.0);
        assert_eq!(count(&with), 2.0 + 1.0 + TITLE_WEIGHT);
        let long = "كريت ".repeat(MAX_TITLE_WORDS + 1);
        let demoted = doc_features(Some(&long), "زلزال", None);
        assert_eq!(count(&demoted), (MAX_TITLE_WORDS + 2) as f32);
    }

    #[test]
    fn variants_and_clitics_meet() {
        let a = doc_features(None, "المحادثات الأمريكية في أستانا", None);
        let b = doc_features(None, "ومحادثات أميركية في أستانة", None);
        let index = StoryIndex::new(StoryConfig::default());
        assert!(
            similarity(&index, &a, &b) > 0.99,
            "{:?} {:?}",
            a.terms,
            b.terms
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        let huge = "كلمة ".repeat(50_000);
        for text in [
            "",
            " ",
            "\u{0}\u{FFFD}\u{200f}",
            "ـــــ",
            "١٢٣٤",
            "a",
            &huge,
        ] {
            let f = doc_features(Some(text), text, Some(i32::MIN));
            let mut index = StoryIndex::new(StoryConfig::default());
            let a = index.assign(&f, 1);
            assert!(a.is_new && a.similarity.is_finite());
            let b = index.assign(&doc_features(None, text, Some(i32::MAX)), 2);
            assert!(b.similarity.is_finite());
            assert!(similarity(&index, &f, &f).is_finite());
        }
    }

    #[test]
    fn empty_document_opens_its_own_story() {
        let mut index = StoryIndex::new(StoryConfig::default());
        let empty = doc_features(None, "", Some(DAY));
        assert_eq!(
            index.assign(&empty, 1),
            Assignment {
                story: 1,
                similarity: 0.0,
                is_new: true
            }
        );
        assert_eq!(
            index.assign(&empty, 2),
            Assignment {
                story: 2,
                similarity: 0.0,
                is_new: true
            }
        );
    }

    /// (first doc, second doc, same story expected, what the case is).
    #[test]
    fn assignment_table() {
        type Make = fn(Option<i32>) -> DocFeatures;
        type Case = (Make, Option<i32>, Make, Option<i32>, bool, &'static str);
        let cases: &[Case] = &[
            (
                quake_a,
                Some(DAY),
                quake_b,
                Some(DAY),
                true,
                "same event reworded, same day",
            ),
            (
                quake_a,
                Some(DAY),
                quake_b,
                Some(DAY + 2),
                true,
                "same event, report two days later",
            ),
            (
                quake_a,
                None,
                quake_b,
                None,
                true,
                "same event reworded, no dates",
            ),
            (
                quake_a,
                Some(DAY),
                quake_b,
                None,
                true,
                "same event, one date missing",
            ),
            (
                quake_a,
                Some(DAY),
                football,
                Some(DAY),
                false,
                "unrelated events, same day",
            ),
            (
                quake_a,
                None,
                football,
                None,
                false,
                "unrelated events, no dates",
            ),
            (
                call_idlib,
                Some(DAY),
                call_gas,
                Some(DAY + 120),
                false,
                "same leaders, another call months later",
            ),
            (
                call_gas,
                Some(DAY + 120),
                call_idlib,
                Some(DAY),
                false,
                "same leaders, fed out of order",
            ),
            (
                quake_a,
                Some(DAY),
                quake_b,
                Some(DAY + 400),
                false,
                "same wording a year later",
            ),
        ];
        for (make_a, day_a, make_b, day_b, same, what) in cases {
            let mut index = StoryIndex::new(StoryConfig::default());
            let a = index.assign(&make_a(*day_a), 1);
            let b = index.assign(&make_b(*day_b), 2);
            assert!(a.is_new, "{what}");
            assert_eq!(b.story == a.story, *same, "{what}: {b:?}");
            assert_eq!(b.is_new, !*same, "{what}");
        }
    }

    #[test]
    fn title_fit_parts_agree_on_both_paths() {
        let mut index = StoryIndex::new(StoryConfig::default());
        index.assign(&quake_a(Some(DAY)), 1);
        index.assign(&football(Some(DAY)), 2);
        let b = quake_b(Some(DAY + 1));
        assert_eq!(index.assign(&b, 3).story, 1);
        // Straight after its assignment the document's term ids are used; a copy (another
        // address) is looked up by its strings, and so is any document after the next one.
        let fast = index.title_fit_parts(1, &b);
        let copy = b.clone();
        let slow = index.title_fit_parts(1, &copy);
        let (dot, norm) = fast.unwrap_or_else(|| panic!("story 1 missing"));
        assert!(dot > 0.0 && norm > 0.0);
        assert_eq!(
            fast.map(|(d, n)| (d.to_bits(), n.to_bits())),
            slow.map(|(d, n)| (d.to_bits(), n.to_bits()))
        );
        let mut expected = (0f64, 0f64);
        let centroid: Vec<(String, f32)> = index
            .centroid(1)
            .map(|c| c.map(|(t, w)| (t.to_string(), w)).collect())
            .unwrap_or_default();
        for (t, c) in &b.terms {
            let c = *c as f64;
            expected.1 += c * c;
            if let Some((_, w)) = centroid.iter().find(|(k, _)| k == t) {
                expected.0 += c * *w as f64;
            }
        }
        assert_eq!(fast, Some(expected));
        // Another story gives the string answer too, and so does the same document changed in
        // place since its assignment (same address, same length, other order).
        let other = index.title_fit_parts(2, &b);
        assert_eq!(other.map(|(_, n)| n), Some(expected.1));
        assert!(index.title_fit_parts(99, &b).is_none());
        let mut b = b;
        b.terms.reverse();
        let reversed = b.clone();
        assert_eq!(
            index.title_fit_parts(1, &b),
            index.title_fit_parts(1, &reversed)
        );
    }

    #[test]
    fn same_story_found_among_many() {
        let mut index = StoryIndex::new(StoryConfig::default());
        index.assign(&quake_a(Some(DAY)), 1);
        index.assign(&football(Some(DAY)), 2);
        index.assign(&call_idlib(Some(DAY)), 3);
        let b = index.assign(&quake_b(Some(DAY + 1)), 4);
        assert_eq!((b.story, b.is_new), (1, false));
        let story = index
            .story(1)
            .cloned()
            .unwrap_or_else(|| panic!("story 1 missing"));
        assert_eq!(
            (story.size, story.first_day, story.last_day),
            (2, Some(DAY), Some(DAY + 1))
        );
        assert!(story.centroid.len() <= index.config().top_terms);
        assert_eq!(story.term_counts.len(), story.centroid.len());
        assert!(story.term_counts.iter().any(|(_, n)| *n == 2));
        let keys = index.key_terms(1, 5);
        assert_eq!(keys.len(), 5);
        assert!(keys.iter().any(|k| k.contains("كريت")), "{keys:?}");
        assert_eq!(index.len(), 3);
        assert!(index.key_terms(99, 5).is_empty());
    }

    #[test]
    fn time_factor_rules() {
        let index = StoryIndex::new(StoryConfig::default());
        let cfg = index.config().clone();
        let story = StoryState {
            id: 1,
            centroid: Vec::new(),
            first_day: Some(DAY),
            last_day: Some(DAY + 2),
            size: 2,
            term_counts: Vec::new(),
            labels: Vec::new(),
        };
        let f = |day: Option<i32>| index.time_factor(day, story.first_day, story.last_day);
        assert_eq!(f(None), Some((1.0, false)));
        assert_eq!(f(Some(DAY + 1)), Some((1.0, true)));
        assert_eq!(f(Some(DAY - cfg.grace_days)), Some((1.0, true)));
        let far = f(Some(DAY + 2 + cfg.max_gap_days))
            .map(|(x, _)| x)
            .unwrap_or(0.0);
        let mid = f(Some(DAY + 2 + cfg.max_gap_days / 2 + 1))
            .map(|(x, _)| x)
            .unwrap_or(0.0);
        assert!(far < mid && mid < 1.0, "{far} {mid}");
        assert!((far - (1.0 - cfg.gap_penalty)).abs() < 1e-6);
        assert_eq!(f(Some(DAY + 3 + cfg.max_gap_days)), None);
        assert_eq!(f(Some(DAY - 1 - cfg.max_gap_days)), None);
        assert_eq!(f(Some(i32::MIN)), None);
        let undated = StoryState {
            first_day: None,
            last_day: None,
            ..story.clone()
        };
        assert_eq!(
            index.time_factor(Some(DAY), undated.first_day, undated.last_day),
            Some((1.0, false))
        );
    }

    #[test]
    fn restore_continues_where_it_left_off() {
        let mut index = StoryIndex::new(StoryConfig::default());
        index.assign(&quake_a(Some(DAY)), 7);
        index.assign(&football(Some(DAY)), 8);
        let (docs, df) = index.df();
        assert_eq!(docs, 2);
        let json = serde_json::to_string(&index.stories().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        let stories: Vec<StoryState> = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(stories.len(), 2);
        let mut restored = StoryIndex::restore(StoryConfig::default(), df, docs, stories);
        let mut original = index.clone();
        let b1 = original.assign(&quake_b(Some(DAY)), 9);
        let b2 = restored.assign(&quake_b(Some(DAY)), 9);
        assert_eq!((b1.story, b1.is_new), (b2.story, b2.is_new));
        assert!((b1.similarity - b2.similarity).abs() < 1e-5);
        assert_eq!((b2.story, b2.is_new), (7, false));
        assert_eq!(original.df(), restored.df());
    }

    #[test]
    fn restore_skips_duplicates_and_bad_weights() {
        let state = |id, w: f32| StoryState {
            id,
            centroid: vec![("كريت".into(), w), ("زلزل".into(), 0.5)],
            first_day: None,
            last_day: None,
            size: 1,
            term_counts: Vec::new(),
            labels: Vec::new(),
        };
        let index = StoryIndex::restore(
            StoryConfig::default(),
            Vec::new(),
            0,
            vec![state(1, f32::NAN), state(1, 0.5), state(2, f32::INFINITY)],
        );
        assert_eq!(index.len(), 2);
        assert!(index
            .stories()
            .all(|s| s.centroid.iter().all(|(_, w)| w.is_finite())));
    }

    #[test]
    fn reused_id_joins_instead_of_duplicating() {
        let mut index = StoryIndex::new(StoryConfig::default());
        index.assign(&quake_a(Some(DAY)), 1);
        let a = index.assign(&football(Some(DAY)), 1);
        assert_eq!((a.story, a.is_new), (1, false));
        assert_eq!(index.len(), 1);
    }

    #[test]
    fn candidates_are_capped() {
        let cfg = StoryConfig {
            max_candidates: 3,
            ..StoryConfig::default()
        };
        let mut index = StoryIndex::new(cfg);
        for id in 0..20 {
            index.assign(&quake_a(Some(DAY + 40 * id as i32)), id);
        }
        assert_eq!(index.len(), 20, "a new story every 40 days");
        index.load(&quake_b(None));
        assert_eq!(index.candidates().len(), 3);
    }

    #[test]
    fn prior_is_loaded_and_parses_defensively() {
        let p = prior();
        assert!(p.docs > 100, "the shipped prior has documents");
        assert!(p.df.len() > 1000);
        let parsed = parse_prior("#docs\t10\nفي\tx\n\t3\nزلزل\t4\nبلا-عمود\n");
        assert_eq!(parsed.docs, 10);
        assert_eq!(parsed.df.len(), 1);
        assert_eq!(parsed.df.get("زلزل"), Some(&4));
    }

    /// The shipped prior must be built with the current term function (rebuild it with
    /// `examples/build_prior.rs` when `rasd-arabic`'s keys change): most words of ordinary news text have
    /// their key in it.
    #[test]
    fn prior_matches_the_term_function() {
        let f = doc_features(
            None,
            "قال رئيس الحكومة في مؤتمر صحفي إن الوزارة ستعلن نتائج الانتخابات البرلمانية خلال الأسبوع \
             المقبل، وأكد أن الشرطة والجيش سيشاركان في حماية مراكز الاقتراع في المدن والقرى.",
            None,
        );
        let words: Vec<&String> = f
            .terms
            .iter()
            .map(|(t, _)| t)
            .filter(|t| !is_phrase(t))
            .collect();
        let known = words
            .iter()
            .filter(|t| prior().df.contains_key(t.as_str()))
            .count();
        assert!(
            known * 10 >= words.len() * 8,
            "{known} of {} words in the prior: {words:?}",
            words.len()
        );
        assert!(
            prior().df.keys().any(|t| is_phrase(t)),
            "the prior counts phrases too"
        );
    }

    #[test]
    fn idf_is_lower_for_common_terms() {
        let index = StoryIndex::new(StoryConfig::default());
        let common = rasd_arabic::variant_key(&rasd_arabic::search_key("الحكومة"));
        assert!(index.idf(&common) < index.idf("كلمةلمترد"));
    }

    /// A story state as the index writes it, and odd ones it must carry all the same.
    fn sample_states() -> Vec<StoryState> {
        let mut index = StoryIndex::new(StoryConfig::default());
        index.assign(&quake_a(Some(DAY)), 1);
        index.assign(&quake_b(Some(DAY + 1)), 2);
        index.assign(&football(None), 3);
        let mut states: Vec<StoryState> = index.stories().cloned().collect();
        let base = StoryState {
            id: u64::MAX,
            centroid: vec![
                ("أ ب".into(), f32::NAN),
                ("ج".into(), -0.0),
                ("".into(), 1e-30),
            ],
            first_day: Some(i32::MIN),
            last_day: Some(i32::MAX),
            size: u32::MAX,
            term_counts: vec![("غير".into(), u32::MAX), ("ج".into(), 0)],
            labels: vec![("ج".into(), "جيم".into()), ("أ ب".into(), "".into())],
        };
        states.push(base.clone());
        states.push(StoryState {
            centroid: Vec::new(),
            term_counts: Vec::new(),
            labels: Vec::new(),
            first_day: None,
            ..base.clone()
        });
        states.push(StoryState {
            labels: vec![("ليس في المركز".into(), "x".into())],
            last_day: None,
            ..base
        });
        states
    }

    /// Bitwise equality (NaN weights included).
    fn same_state(a: &StoryState, b: &StoryState) -> bool {
        a.id == b.id
            && (a.first_day, a.last_day, a.size) == (b.first_day, b.last_day, b.size)
            && a.centroid.len() == b.centroid.len()
            && a.centroid
                .iter()
                .zip(&b.centroid)
                .all(|(x, y)| x.0 == y.0 && x.1.to_bits() == y.1.to_bits())
            && a.term_counts == b.term_counts
            && a.labels == b.labels
    }

    #[test]
    fn state_bytes_round_trip() {
        let states = sample_states();
        assert!(states.len() >= 5 && states.iter().any(|s| s.size == 2));
        for state in &states {
            let bytes = state.to_bytes();
            let back = StoryState::from_bytes(&bytes)
                .unwrap_or_else(|| panic!("{} does not read back", state.id));
            assert!(same_state(state, &back), "{state:?} -> {back:?}");
            assert_eq!(back.to_bytes(), bytes);
        }
        // Compact: well under the JSON form for a real story.
        let real = &states[0];
        let json = serde_json::to_vec(real).unwrap_or_default();
        assert!(
            real.to_bytes().len() * 2 < json.len(),
            "{} vs {}",
            real.to_bytes().len(),
            json.len()
        );
    }

    #[test]
    fn state_bytes_reject_garbage() {
        let good = sample_states().swap_remove(0).to_bytes();
        let mut cases: Vec<(Vec<u8>, &str)> = vec![
            (Vec::new(), "empty"),
            (b"RSS".to_vec(), "magic cut short"),
            (
                b"RSS\x02\x00\x01\x01\x00\x00\x00".to_vec(),
                "another version",
            ),
            (b"{\"id\":1}".to_vec(), "JSON"),
            ([&good[..], &[0u8][..]].concat(), "trailing byte"),
            (
                [&STATE_MAGIC[..], &[0x10], &[0x80; 11]].concat(),
                "flag out of range, endless varint",
            ),
            (
                [&STATE_MAGIC[..], &[0, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f]].concat(),
                "a centroid longer than the bytes",
            ),
            (
                [
                    &STATE_MAGIC[..],
                    &[0, 1, 1, 1, 2, 0xc3, 0x28, 0, 0, 0, 0, 0],
                ]
                .concat(),
                "invalid UTF-8",
            ),
            (
                [
                    &STATE_MAGIC[..],
                    &[LABELS_BY_POSITION | COUNTS_ALIGNED, 1, 1, 0, 1, 5, b'x', 1],
                ]
                .concat(),
                "label position past the centroid",
            ),
        ];
        for cut in 0..good.len() {
            cases.push((good[..cut].to_vec(), "truncated"));
        }
        for (bytes, what) in &cases {
            assert_eq!(StoryState::from_bytes(bytes), None, "{what}: {bytes:?}");
        }
        // Flipped bytes and random bytes: no panic, and whatever reads back writes back the same.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for i in 0..2_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut bytes = good.clone();
            if let Some(b) = bytes.get_mut(i % good.len()) {
                *b ^= (x as u8) | 1;
            }
            if let Some(state) = StoryState::from_bytes(&bytes) {
                let again = StoryState::from_bytes(&state.to_bytes());
                assert!(again.is_some_and(|s| same_state(&s, &state)), "{state:?}");
            }
            let random: Vec<u8> = (0..(x % 64)).map(|k| (x >> (k % 56)) as u8).collect();
            let _ = StoryState::from_bytes(&[&STATE_MAGIC[..], &random[..]].concat());
        }
    }

    #[test]
    fn story_bytes_match_the_state() {
        let mut index = StoryIndex::new(StoryConfig::default());
        for (i, doc) in [
            quake_a(Some(DAY)),
            football(Some(DAY)),
            quake_b(Some(DAY + 1)),
        ]
        .iter()
        .enumerate()
        {
            index.assign(doc, i as u64 + 1);
        }
        for id in 1..=3 {
            // Before the state is built (written from the entries), then after (from the state).
            let direct = index.story_bytes(id);
            let keys = index.key_terms(id, 6);
            let fresh = index.clone();
            let state = index.story(id).cloned();
            // Any number of key terms (past the heaviest few that are selected first, too)
            // agrees with the state's.
            for n in [1, 3, 17, 40, 1000] {
                assert_eq!(
                    fresh.key_terms(id, n),
                    index.key_terms(id, n),
                    "story {id}, {n}"
                );
            }
            assert_eq!(
                direct,
                state.as_ref().map(StoryState::to_bytes),
                "story {id}"
            );
            assert_eq!(index.story_bytes(id), direct);
            assert_eq!(index.key_terms(id, 6), keys, "story {id}");
        }
        assert_eq!(index.story_bytes(99), None);
        let centroid: Vec<(String, f32)> = index
            .centroid(1)
            .map(|c| c.map(|(t, w)| (t.to_string(), w)).collect())
            .unwrap_or_default();
        assert_eq!(Some(centroid), index.story(1).map(|s| s.centroid.clone()));
    }

    #[test]
    fn df_changes_are_those_since_the_last_take() {
        let mut index = StoryIndex::new(StoryConfig::default());
        index.assign(&quake_a(Some(DAY)), 1);
        let first = index.take_df_changes();
        assert_eq!(first, index.df().1, "everything counted so far");
        assert!(index.take_df_changes().is_empty());
        index.assign(&quake_b(Some(DAY)), 2);
        let second = index.take_df_changes();
        let b = quake_b(None);
        let b_terms: std::collections::BTreeSet<&str> =
            b.terms.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(second.len(), b_terms.len());
        for (t, n) in &second {
            assert!(b_terms.contains(t.as_str()), "{t}");
            assert_eq!(*n, index.df_of(t));
        }
        assert!(
            second.iter().any(|(_, n)| *n == 2),
            "terms both reports share"
        );
        let (docs, df) = index.df();
        let mut restored = StoryIndex::restore(StoryConfig::default(), df, docs, Vec::new());
        assert!(
            restored.take_df_changes().is_empty(),
            "restored counts are persisted already"
        );
    }

    #[test]
    fn bcubed_table() {
        let g = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        type Case = (&'static [u64], Vec<String>, (f64, f64));
        let cases: &[Case] = &[
            (&[1, 1, 2], g(&["a", "a", "b"]), (1.0, 1.0)),
            (&[1, 1, 1, 1], g(&["a", "a", "b", "b"]), (0.5, 1.0)),
            (&[1, 2, 3, 4], g(&["a", "a", "b", "b"]), (1.0, 0.5)),
            (&[1, 1, 2], g(&["a", "b", "b"]), (2.0 / 3.0, 2.0 / 3.0)),
        ];
        for (pred, gold, (p, r)) in cases {
            let (bp, br, bf) = bcubed(pred, gold);
            assert!(
                (bp - p).abs() < 1e-9 && (br - r).abs() < 1e-9,
                "{pred:?}: {bp} {br}"
            );
            assert!((bf - 2.0 * p * r / (p + r)).abs() < 1e-9);
        }
        assert_eq!(bcubed(&[], &[]), (0.0, 0.0, 0.0));
        assert_eq!(bcubed(&[1, 2], &g(&["a"])), (1.0, 1.0, 1.0));
    }
}
