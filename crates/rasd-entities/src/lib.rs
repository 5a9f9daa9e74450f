//! Named entities in Arabic news text: people, organisations, places and other names (PER, ORG,
//! LOC, MISC as ANERcorp tags them), linked to canonical entities with stable ids.
//!
//! * The tagger is a first-order averaged perceptron over BIO tags (Viterbi under the BIO
//!   constraints) with hashed character, affix, clitic, word-shape, context and gazetteer features,
//!   then a second stage that also sees how the first tagged the same word elsewhere in the text;
//!   it is trained in Rust on ANERcorp by `examples/train.rs` and embedded (`data/ner.model`).
//! * Gazetteers (GeoNames places with coordinates, person names, Arabic country names) are built by
//!   `tools/gazetteers/build.py` from registry packages; the alias table and the country
//!   adjectives are ours (`data/SOURCES.md`).
//! * Mentions are linked to canonical ids: GeoNames places `loc:geonames:N`, alias-table entities
//!   (`org:داعش`), else the type and the spelling-variant keys of the words (`per:دمتر-بسكفـ`), so
//!   spelling variants and clitics meet. Capitals used for their state (`موسكو` tagged as an
//!   organisation, or the subject of a statement verb) link to the country. Country adjectives
//!   (`الأمريكي`) are separate mentions of kind [`MentionKind::Adjective`].
//!
//! ```
//! use rasd_entities::Recognizer;
//! let r = Recognizer::new();
//! let text = "التقى وزير الخارجية الروسي سيرغي لافروف نظيره الأمريكي في موسكو.";
//! let ms = r.mentions(text);
//! assert!(ms.iter().any(|m| m.text == "سيرغي لافروف" && m.kind.as_str() == "PER"));
//! assert!(ms.iter().any(|m| m.canonical == "loc:geonames:6252001")); // الأمريكي → the United States
//! for m in &ms {
//!     assert_eq!(&text[m.start..m.end], m.text);
//! }
//! ```

mod canon;
pub mod eval;
mod features;
mod gazetteer;
mod model;
mod tags;

use rasd_arabic::{search_key, tokenize};
pub use rasd_types::{Entity, EntityMention, EntityType, MentionKind};

pub use model::{Example, ModelError, Trainer};
pub use tags::{parse_tag, tag_name};

use features::{doc_counts, doc_features, features, token_infos};
use gazetteer::Gazetteer;
use model::Model;

/// The embedded model (see `README.md` for how it was trained).
const EMBEDDED_MODEL: &[u8] = include_bytes!("../data/ner.model");

/// A training sentence: token information, first-stage features per token, gold tags.
type TrainSentence = (Vec<features::TokInfo>, Vec<Vec<u64>>, Vec<u8>);

/// Folds of the training text for the first-stage tags the second stage learns from.
const JACKKNIFE: usize = 4;

/// Sentences tagged together at most (see `Recognizer::tag_doc`).
const DOC_BLOCK: usize = 200;

/// Longest run of tokens tagged at once; longer sentences are cut (keeps memory bounded).
const MAX_SENTENCE: usize = 256;

/// The tagger with its gazetteers: build once, share across threads (`Sync`).
#[derive(Debug)]
pub struct Recognizer {
    model: Model,
    second: Option<Model>,
    gaz: Gazetteer,
}

impl Default for Recognizer {
    fn default() -> Self {
        Recognizer::new()
    }
}

/// Whether a token ends a sentence (`.`, `!`, `?`, `؟`, possibly with direction marks).
pub fn ends_sentence(token: &str) -> bool {
    let t = token.trim_matches(|c: char| c.is_whitespace() || c == '\u{200f}' || c == '\u{200e}');
    matches!(t, "." | "!" | "?" | "؟" | "..." | "…")
}

/// Splits token indices `0..n` into sentences: after sentence-final punctuation, and at most
/// [`MAX_SENTENCE`] tokens long.
fn sentence_ranges(tokens: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        if ends_sentence(t) || i + 1 - start >= MAX_SENTENCE {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < tokens.len() {
        out.push((start, tokens.len()));
    }
    out
}

impl Recognizer {
    /// The embedded model and gazetteers. If the embedded model cannot be read (a build whose
    /// model was not retrained after a feature change), the tagger finds nothing but the
    /// gazetteer-based country adjectives; `Recognizer::try_new` reports the reason instead.
    pub fn new() -> Recognizer {
        Recognizer::try_new().unwrap_or_else(|_| Recognizer {
            model: Trainer::new(8).model(),
            second: None,
            gaz: Gazetteer::load(),
        })
    }

    /// The embedded model and gazetteers, or why the model cannot be read.
    pub fn try_new() -> Result<Recognizer, ModelError> {
        Recognizer::from_model_bytes(EMBEDDED_MODEL)
    }

    /// A recognizer with a model written by [`Recognizer::train`] (or [`Trainer`]).
    pub fn from_model_bytes(bytes: &[u8]) -> Result<Recognizer, ModelError> {
        let (model, second) = model::read_stages(bytes)?;
        Ok(Recognizer {
            model,
            second,
            gaz: Gazetteer::load(),
        })
    }

    /// Trains a model on token/tag sentences in text order (tags as in ANERcorp: `B-PERS`,
    /// `I-LOC`, `O`, …) with `epochs` passes of the averaged perceptron over `2^bits` hashed
    /// feature buckets, dropping each feature occurrence with probability `dropout` in training.
    ///
    /// Two stages: the first tags from the token features; the second adds how the first
    /// tagged the token, its neighbours and the other occurrences of the same word within
    /// [`features::DOC_WINDOW`] sentences. The second stage learns from first-stage tags made by
    /// models that did not see the sentence ([`JACKKNIFE`] folds), as it will meet them on new text.
    /// `on_epoch(epoch, token_errors, model_bytes)` is called after every pass of the second
    /// stage (e.g. to score a held-out part). Returns the model bytes. Deterministic.
    pub fn train(
        sentences: &[Vec<(String, String)>],
        epochs: usize,
        bits: u32,
        dropout: f32,
        mut on_epoch: impl FnMut(usize, usize, &[u8]),
    ) -> Vec<u8> {
        let gaz = Gazetteer::load();
        let new_trainer = || {
            let mut t = Trainer::new(bits);
            t.set_dropout(dropout);
            t
        };
        let mut sents: Vec<TrainSentence> = Vec::new();
        for s in sentences {
            let tokens: Vec<&str> = s.iter().map(|(t, _)| t.as_str()).collect();
            for (a, b) in sentence_ranges(&tokens) {
                let toks = tokens.get(a..b).unwrap_or(&[]);
                let mut tags: Vec<u8> = s
                    .get(a..b)
                    .unwrap_or(&[])
                    .iter()
                    .map(|(_, t)| parse_tag(t))
                    .collect();
                // Gold I- tags that break BIO (after O or another type) become B-.
                for i in 0..tags.len() {
                    let prev = if i == 0 {
                        None
                    } else {
                        tags.get(i - 1).copied()
                    };
                    if let Some(t) = tags.get_mut(i) {
                        if !tags::allowed(prev, *t) {
                            *t -= 1;
                        }
                    }
                }
                let infos = token_infos(toks, &gaz);
                let feats: Vec<Vec<u64>> = (0..toks.len())
                    .map(|i| {
                        let mut f = Vec::with_capacity(96);
                        features(&infos, i, &mut f);
                        f
                    })
                    .collect();
                sents.push((infos, feats, tags));
            }
        }
        let n = sents.len();
        let stage_one = |range: std::ops::Range<usize>, skip: bool| -> Model {
            let mut tr = new_trainer();
            let examples: Vec<Example> = sents
                .iter()
                .enumerate()
                .filter(|(k, _)| range.contains(k) != skip)
                .map(|(_, (_, f, t))| tr.example(f, t.clone()))
                .collect();
            for _ in 0..epochs.max(1) {
                tr.epoch(&examples);
            }
            tr.model()
        };
        // First-stage tags of every training sentence from a model trained without its fold.
        let mut first_tags: Vec<Vec<u8>> = vec![Vec::new(); n];
        for f in 0..JACKKNIFE {
            let range = n * f / JACKKNIFE..n * (f + 1) / JACKKNIFE;
            let m = stage_one(range.clone(), true);
            for k in range {
                if let (Some(slot), Some((_, feats, _))) = (first_tags.get_mut(k), sents.get(k)) {
                    let em: Vec<model::Scores> = feats.iter().map(|f| m.score(f)).collect();
                    *slot = m.viterbi(&em);
                }
            }
        }
        let first = stage_one(0..n, false).to_bytes();
        let view: Vec<(&[features::TokInfo], &[u8])> = sents
            .iter()
            .zip(&first_tags)
            .map(|((infos, _, _), t)| (infos.as_slice(), t.as_slice()))
            .collect();
        let counts = doc_counts(&view);
        let mut trainer = new_trainer();
        let mut examples = Vec::with_capacity(n);
        for (((_, feats, gold), p1), c) in sents.iter().zip(&first_tags).zip(&counts) {
            let f2: Vec<Vec<u64>> = feats
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let mut f = f.clone();
                    doc_features(p1, c, i, &mut f);
                    f
                })
                .collect();
            examples.push(trainer.example(&f2, gold.clone()));
        }
        let mut bytes = Vec::new();
        for e in 1..=epochs.max(1) {
            let errors = trainer.epoch(&examples);
            bytes = model::join_stages(&first, &trainer.model().to_bytes());
            on_epoch(e, errors, &bytes);
        }
        bytes
    }

    /// Prunes a model: weights of magnitude at most `threshold` (quantized units out of 32000)
    /// become zero, and rows left empty are not stored. Returns the smaller model's bytes.
    pub fn prune_model(bytes: &[u8], threshold: i16) -> Result<Vec<u8>, ModelError> {
        let (mut first, second) = model::read_stages(bytes)?;
        first.prune(threshold);
        Ok(match second {
            Some(mut m) => {
                m.prune(threshold);
                model::join_stages(&first.to_bytes(), &m.to_bytes())
            }
            None => first.to_bytes(),
        })
    }

    /// Tags sentences of one text, in order: the first stage sentence by sentence, then the
    /// second with the document features over all of them.
    fn tag_doc(&self, sents: &[&[&str]]) -> Vec<Vec<u8>> {
        // In blocks, so that memory stays bounded on huge texts (the features of a block are
        // held between the stages); only the words near a block border lose some context.
        let mut out = Vec::with_capacity(sents.len());
        for block in sents.chunks(DOC_BLOCK) {
            out.extend(self.tag_block(block));
        }
        out
    }

    fn tag_block(&self, sents: &[&[&str]]) -> Vec<Vec<u8>> {
        let mut infos = Vec::with_capacity(sents.len());
        let mut feats: Vec<Vec<Vec<u64>>> = Vec::with_capacity(sents.len());
        let mut first = Vec::with_capacity(sents.len());
        for toks in sents {
            let inf = token_infos(toks, &self.gaz);
            let f: Vec<Vec<u64>> = (0..toks.len())
                .map(|i| {
                    let mut f = Vec::with_capacity(96);
                    features(&inf, i, &mut f);
                    f
                })
                .collect();
            let em: Vec<model::Scores> = f.iter().map(|x| self.model.score(x)).collect();
            first.push(self.model.viterbi(&em));
            infos.push(inf);
            feats.push(f);
        }
        let Some(second) = &self.second else {
            return first;
        };
        let view: Vec<(&[features::TokInfo], &[u8])> = infos
            .iter()
            .zip(&first)
            .map(|(i, t)| (i.as_slice(), t.as_slice()))
            .collect();
        let counts = doc_counts(&view);
        let mut out = Vec::with_capacity(sents.len());
        for ((f, p1), c) in feats.iter_mut().zip(&first).zip(&counts) {
            let em: Vec<model::Scores> = f
                .iter_mut()
                .enumerate()
                .map(|(i, x)| {
                    doc_features(p1, c, i, x);
                    second.score(x)
                })
                .collect();
            out.push(second.viterbi(&em));
        }
        out
    }

    fn tag_indices(&self, tokens: &[&str]) -> Vec<u8> {
        let sents: Vec<&[&str]> = sentence_ranges(tokens)
            .into_iter()
            .map(|(a, b)| tokens.get(a..b).unwrap_or(&[]))
            .collect();
        self.tag_doc(&sents).concat()
    }

    /// BIO tags of the sentences of one text, in text order (such as a CoNLL file): like
    /// [`Recognizer::tag_tokens`] on each, but a word's tags elsewhere in the text (within
    /// a few sentences) inform its tag, as they do in [`Recognizer::mentions`].
    ///
    /// ```
    /// let r = rasd_entities::Recognizer::new();
    /// let tags = r.tag_sentences(&[vec!["زار", "بوتين", "دمشق", "."], vec![]]);
    /// assert_eq!(tags[0].len(), 4);
    /// assert!(tags[1].is_empty());
    /// ```
    pub fn tag_sentences(&self, sentences: &[Vec<&str>]) -> Vec<Vec<String>> {
        let mut parts: Vec<&[&str]> = Vec::new();
        let mut owner = Vec::new();
        for (k, s) in sentences.iter().enumerate() {
            for (a, b) in sentence_ranges(s) {
                parts.push(s.get(a..b).unwrap_or(&[]));
                owner.push(k);
            }
        }
        let mut out: Vec<Vec<String>> = vec![Vec::new(); sentences.len()];
        for (k, tags) in owner.into_iter().zip(self.tag_doc(&parts)) {
            if let Some(o) = out.get_mut(k) {
                o.extend(tags.into_iter().map(|t| tag_name(t).to_string()));
            }
        }
        out
    }

    /// BIO tags (`B-PER`, `I-ORG`, `O`, …) of a token sequence, such as one sentence of a CoNLL
    /// file; it is split further after sentence-final punctuation, as in training.
    ///
    /// ```
    /// let r = rasd_entities::Recognizer::new();
    /// let tags = r.tag_tokens(&["قال", "الرئيس", "فلاديمير", "بوتين", "في", "موسكو"]);
    /// assert_eq!(tags, ["O", "O", "B-PER", "I-PER", "O", "B-LOC"]);
    /// ```
    pub fn tag_tokens(&self, tokens: &[&str]) -> Vec<String> {
        self.tag_indices(tokens)
            .into_iter()
            .map(|t| tag_name(t).to_string())
            .collect()
    }

    /// Entity mentions in `text`, with byte offsets into it, linked to canonical entities.
    /// Conjunctions and prepositions written onto the first word (`و`, `ب`, `ل`) are left out of
    /// the span; country adjectives come as [`MentionKind::Adjective`] mentions of the country.
    pub fn mentions(&self, text: &str) -> Vec<EntityMention> {
        let spans = text_tokens(text);
        let mut out = Vec::new();
        let ranges = text_sentences(text, &spans);
        let words: Vec<&str> = spans
            .iter()
            .map(|&(s, e)| text.get(s..e).unwrap_or(""))
            .collect();
        let sents: Vec<&[&str]> = ranges
            .iter()
            .map(|&(a, b)| words.get(a..b).unwrap_or(&[]))
            .collect();
        let all_tags = self.tag_doc(&sents);
        for ((a, b), tags) in ranges.into_iter().zip(all_tags) {
            let sent = spans.get(a..b).unwrap_or(&[]);
            let toks: Vec<&str> = words.get(a..b).unwrap_or(&[]).to_vec();
            let keys: Vec<String> = toks.iter().map(|t| search_key(t)).collect();
            let mut covered = vec![false; toks.len()];
            for (s, e, kind) in tags::spans(&tags) {
                let words = toks.get(s..e).unwrap_or(&[]);
                let ctx = canon::Context {
                    prev: s
                        .checked_sub(1)
                        .and_then(|p| keys.get(p))
                        .map(String::as_str),
                    next: keys.get(e).map(String::as_str),
                    next2: keys.get(e + 1).map(String::as_str),
                };
                let Some(r) = canon::resolve(&self.gaz, words, kind, ctx) else {
                    continue;
                };
                let (Some(&(ts, _)), Some(&(_, te))) = (sent.get(s + r.skip), sent.get(e - 1))
                else {
                    continue;
                };
                let start = ts + r.cut;
                let Some(t) = text.get(start..te) else {
                    continue;
                };
                for c in covered.iter_mut().skip(s + r.skip).take(e - s - r.skip) {
                    *c = true;
                }
                out.push(EntityMention {
                    text: t.to_string(),
                    start,
                    end: te,
                    kind: r.kind,
                    mention: MentionKind::Name,
                    canonical: r.id,
                    name: r.name,
                });
            }
            for (i, key) in keys.iter().enumerate() {
                if covered.get(i).copied().unwrap_or(true) {
                    continue;
                }
                let Some(country) = self.gaz.nisba(key) else {
                    continue;
                };
                let (Some(&(ts, te)), Some(tok)) = (sent.get(i), toks.get(i)) else {
                    continue;
                };
                let cut = canon::particle_cut(tok, key);
                let start = ts + cut;
                let Some(t) = text.get(start..te) else {
                    continue;
                };
                out.push(EntityMention {
                    text: t.to_string(),
                    start,
                    end: te,
                    kind: EntityType::Loc,
                    mention: MentionKind::Adjective,
                    canonical: country.id.clone(),
                    name: country.name.clone(),
                });
            }
        }
        out.sort_by_key(|m| (m.start, m.end));
        disambiguate_places(&self.gaz, &mut out);
        canon::link_partial_names(&self.gaz, &mut out);
        out
    }

    /// The canonical id and name a name of type `kind` links to, as if the tagger had found it
    /// alone (no context): `canonical("أميركا", Loc)` is `loc:geonames:6252001`.
    ///
    /// ```
    /// use rasd_entities::{EntityType, Recognizer};
    /// let r = Recognizer::new();
    /// let a = r.canonical("ديمتري بيسكوف", EntityType::Per);
    /// let b = r.canonical("دميتري بيسكوف", EntityType::Per);
    /// assert_eq!(a.0, b.0);
    /// assert_eq!(r.canonical("داعش", EntityType::Org).0, r.canonical("تنظيم الدولة الإسلامية", EntityType::Org).0);
    /// ```
    pub fn canonical(&self, name: &str, kind: EntityType) -> (String, String) {
        let words: Vec<&str> = tokenize(name).map(|t| t.text).collect();
        match canon::resolve(&self.gaz, &words, kind, canon::Context::default()) {
            Some(r) => (r.id, r.name),
            None => (String::new(), String::new()),
        }
    }

    /// The entity behind a canonical id of the gazetteers or the alias table: name, aliases
    /// and, for places, GeoNames id and coordinates. `None` for ids built from a mention
    /// (`per:دمتر-بسكفـ`: the mention's `name` is its name) and anything else.
    ///
    /// ```
    /// let r = rasd_entities::Recognizer::new();
    /// let e = r.entity("loc:geonames:170654");
    /// assert_eq!(e.as_ref().map(|e| e.name.as_str()), Some("دمشق"));
    /// assert!(e.and_then(|e| e.lat).is_some());
    /// assert!(r.entity("org:داعش").is_some_and(|e| e.aliases.iter().any(|a| a == "تنظيم الدولة")));
    /// assert!(r.entity("per:سرج-شوغـ").is_none());
    /// assert!(r.entity("nothing").is_none());
    /// ```
    pub fn entity(&self, canonical: &str) -> Option<Entity> {
        let k = self.gaz.by_id(canonical)?;
        Some(Entity {
            id: k.id.clone(),
            kind: k.kind,
            name: k.name.clone(),
            aliases: k.aliases.clone(),
            geonames_id: k.geonames_id,
            lat: k.lat,
            lon: k.lon,
        })
    }
}

/// A name shared by a country and another country's capital (عمان: Oman, and Amman in Jordan)
/// goes to the country by default; when the document names the capital's country and does
/// not otherwise name the homonymous one, the capital is meant. Ids of the countries a
/// document names come from its other mentions: countries, capitals, adjectives.
fn disambiguate_places(gaz: &gazetteer::Gazetteer, mentions: &mut [EntityMention]) {
    use std::collections::HashMap;
    let iso_of = |id: &str| {
        gaz.by_id(id)
            .and_then(|k| k.country.clone().or_else(|| k.capital_of.clone()))
    };
    let mut named: HashMap<String, usize> = HashMap::new();
    let mut per_id: HashMap<String, usize> = HashMap::new();
    for m in mentions.iter() {
        if let Some(iso) = iso_of(&m.canonical) {
            *named.entry(iso).or_default() += 1;
        }
        *per_id.entry(m.canonical.clone()).or_default() += 1;
    }
    let mut moves: HashMap<String, (String, String)> = HashMap::new();
    for m in mentions.iter() {
        if m.kind != EntityType::Loc
            || m.mention != MentionKind::Name
            || moves.contains_key(&m.canonical)
        {
            continue;
        }
        let Some(country) = gaz.by_id(&m.canonical).and_then(|k| k.country.clone()) else {
            continue;
        };
        // Named by other words too (سلطنة عمان، العماني): the country stands.
        let own = per_id.get(&m.canonical).copied().unwrap_or(0);
        if named.get(&country).copied().unwrap_or(0) > own {
            continue;
        }
        let words: Vec<&str> = m.text.split_whitespace().collect();
        let capital = canon::place_candidates(gaz, &words).into_iter().find(|c| {
            c.capital_of
                .as_ref()
                .is_some_and(|iso| *iso != country && named.get(iso).copied().unwrap_or(0) > 0)
        });
        if let Some(c) = capital {
            moves.insert(m.canonical.clone(), (c.id.clone(), c.name.clone()));
        }
    }
    for m in mentions.iter_mut() {
        if m.mention != MentionKind::Name {
            continue;
        }
        if let Some((id, name)) = moves.get(&m.canonical) {
            m.canonical = id.clone();
            m.name = name.clone();
        }
    }
}

/// Token spans of a text: the words, numbers, URLs… of `rasd_arabic::tokenize`, and every
/// punctuation character between them as a token of its own (as in ANERcorp).
fn text_tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    let gap = |from: usize, to: usize, out: &mut Vec<(usize, usize)>| {
        if let Some(g) = text.get(from..to) {
            for (i, c) in g.char_indices() {
                if !c.is_whitespace()
                    && !c.is_control()
                    && c != '\u{200f}'
                    && c != '\u{200e}'
                    && !c.is_alphanumeric()
                {
                    out.push((from + i, from + i + c.len_utf8()));
                }
            }
        }
    };
    for t in tokenize(text) {
        gap(pos, t.start, &mut out);
        out.push((t.start, t.end));
        pos = t.end;
    }
    gap(pos, text.len(), &mut out);
    out
}

/// Sentences of a tokenized text: after sentence-final punctuation, at line breaks, and at most
/// [`MAX_SENTENCE`] tokens.
fn text_sentences(text: &str, spans: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &(s, e)) in spans.iter().enumerate() {
        let tok = text.get(s..e).unwrap_or("");
        let line_break = spans
            .get(i + 1)
            .and_then(|&(ns, _)| text.get(e..ns))
            .is_some_and(|g| g.contains('\n'));
        if ends_sentence(tok) || line_break || i + 1 - start >= MAX_SENTENCE {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < spans.len() {
        out.push((start, spans.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_include_punctuation_and_keep_offsets() {
        let text = "قال لافروف، إن موسكو (روسيا) مستعدة.\nثم";
        let spans = text_tokens(text);
        let toks: Vec<&str> = spans.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(
            toks,
            [
                "قال",
                "لافروف",
                "،",
                "إن",
                "موسكو",
                "(",
                "روسيا",
                ")",
                "مستعدة",
                ".",
                "ثم"
            ]
        );
        let sents = text_sentences(text, &spans);
        assert_eq!(sents, vec![(0, 10), (10, 11)]);
    }

    #[test]
    fn no_panic_on_odd_input() {
        let r = Recognizer::new();
        for t in [
            "",
            " ",
            "\u{200f}",
            "...",
            "ـــ",
            "a\u{0301}\u{0301}",
            &"موسكو ".repeat(2000),
        ] {
            for m in r.mentions(t) {
                assert_eq!(t.get(m.start..m.end), Some(m.text.as_str()));
            }
        }
        assert!(r.tag_tokens(&[]).is_empty());
        assert_eq!(r.tag_tokens(&["", "."]).len(), 2);
    }

    #[test]
    fn sentences_tagged_together_keep_their_lengths() {
        let r = Recognizer::new();
        let s: Vec<Vec<&str>> = vec![
            vec!["قال", "الرئيس", "فلاديمير", "بوتين", ".", "ثم", "غادر"],
            vec![],
            vec!["وصل", "بوتين", "إلى", "دمشق"],
        ];
        let tags = r.tag_sentences(&s);
        let lens: Vec<usize> = tags.iter().map(Vec::len).collect();
        assert_eq!(lens, vec![7, 0, 4]);
        assert_eq!(tags[2][3], "B-LOC");
        // Alone, a sentence is tagged as by tag_tokens.
        assert_eq!(r.tag_sentences(&s[2..])[0], r.tag_tokens(&s[2]));
        assert!(r.tag_sentences(&[]).is_empty());
        // More sentences than one block: every sentence keeps its tags, in order.
        let many: Vec<Vec<&str>> = (0..DOC_BLOCK * 2 + 7)
            .map(|k| {
                if k % 2 == 0 {
                    vec!["زار", "بوتين", "دمشق", "."]
                } else {
                    vec!["ثم", "."]
                }
            })
            .collect();
        let tags = r.tag_sentences(&many);
        assert_eq!(tags.len(), many.len());
        assert!(tags.iter().zip(&many).all(|(t, s)| t.len() == s.len()));
        assert_eq!(
            tags.last().and_then(|t| t.get(2)).map(String::as_str),
            Some("B-LOC")
        );
    }

    #[test]
    fn embedded_model_has_two_stages() {
        assert!(Recognizer::new().second.is_some());
    }

    #[test]
    fn recognizer_is_shareable_across_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Recognizer>();
    }

    #[test]
    fn embedded_model_loads() {
        assert!(Recognizer::try_new().is_ok());
    }
}
