//! One-call analysis: sentences and tokens with their normalized, stemmed and variant forms.

use serde::Serialize;

use crate::clitics::split;
use crate::normalize::search_key_into;
use crate::sentences::{split_sentences, Span};
use crate::stem::light_stem_str;
use crate::stopwords::is_stopword;
use crate::tokenize::{tokenize, Token, TokenKind};
use crate::variant::fold_into;

/// The search keys of the text's tokens joined by single spaces, leaving out tokens whose key
/// is empty or holds whitespace: the view duplicate detection fingerprints.
///
/// ```
/// assert_eq!(rasd_arabic::search_key_text("أستانة، 2017!"), "استانه 2017");
/// ```
pub fn search_key_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut key = String::with_capacity(32);
    for tok in tokenize(text) {
        key.clear();
        search_key_into(tok.text, &mut key);
        if key.is_empty() || key.contains(char::is_whitespace) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&key);
    }
    out
}

/// A token with everything the later stages need.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalyzedToken {
    /// The token as written (`&input[start..end]`).
    pub text: String,
    /// Byte offset of the token in the input.
    pub start: usize,
    /// Byte offset one past the token in the input.
    pub end: usize,
    /// Token kind.
    pub kind: TokenKind,
    /// Search key ([`crate::search_key`]).
    pub norm: String,
    /// Light stem of `norm` for Arabic words; `norm` for other kinds.
    pub stem: String,
    /// Spelling-variant key for Arabic words; `norm` for other kinds.
    pub variant: String,
    /// Whether `norm` is a stopword.
    pub stop: bool,
    /// Proclitics then enclitics found on an Arabic word (e.g. `["و", "ال"]`).
    pub clitics: Vec<String>,
}

/// Sentences and tokens of a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// Sentence spans (byte offsets into the input).
    pub sentences: Vec<Span>,
    /// All tokens in order.
    pub tokens: Vec<AnalyzedToken>,
}

/// Analyzes `text`: sentences, tokens, search keys, stems, variant keys, stopword flags, clitics.
///
/// ```
/// let a = rasd_arabic::analyze("والمحادثات الأمريكية في الأردن.");
/// assert_eq!(a.sentences.len(), 1);
/// let t = &a.tokens[0];
/// assert_eq!((t.norm.as_str(), t.stem.as_str()), ("والمحادثات", "محادث"));
/// assert_eq!(t.clitics, ["و", "ال"]);
/// assert!(a.tokens[2].stop);
/// ```
pub fn analyze(text: &str) -> Analysis {
    let mut tokens = Vec::new();
    let mut norm = String::new();
    for tok in tokenize(text) {
        norm.clear();
        search_key_into(tok.text, &mut norm);
        let (stem, variant, clitics) = if tok.kind == TokenKind::Arabic {
            let sp = split(&norm);
            let clitics = sp
                .pre
                .iter()
                .copied()
                .chain(sp.enc)
                .map(str::to_owned)
                .collect();
            let stem = light_stem_str(&norm);
            let mut v = String::new();
            fold_into(stem, &mut v);
            (stem.to_owned(), v, clitics)
        } else {
            (norm.clone(), norm.clone(), Vec::new())
        };
        tokens.push(AnalyzedToken {
            text: tok.text.to_owned(),
            start: tok.start,
            end: tok.end,
            kind: tok.kind,
            stop: is_stopword(&norm),
            norm: norm.clone(),
            stem,
            variant,
            clitics,
        });
    }
    Analysis {
        sentences: split_sentences(text),
        tokens,
    }
}

/// Fast path for indexers: calls `f(token, norm, stem)` for each token without allocating per
/// token (one reused buffer, plus a per-thread cache of the forms of frequent words that reuses its
/// buffers). `norm` is the search key, `stem` the light stem for Arabic words and `norm` for every
/// other kind.
///
/// ```
/// let mut stems = Vec::new();
/// rasd_arabic::for_each_term("بالمحادثات و2017", |_, _, stem| stems.push(stem.to_owned()));
/// assert_eq!(stems, ["محادث", "و", "2017"]);
/// ```
pub fn for_each_term(text: &str, mut f: impl FnMut(&Token<'_>, &str, &str)) {
    for_each_form(text, |tok, norm, stem, _| f(tok, norm, stem));
}

/// [`for_each_term`] with the variant key of the stem too: `f(token, norm, stem, variant)`, the
/// variant being `fold_variant(stem)` for every kind of token.
fn for_each_form(text: &str, mut f: impl FnMut(&Token<'_>, &str, &str, &str)) {
    let mut norm = String::with_capacity(64);
    let mut variant = String::with_capacity(64);
    let mut uncached = |tok: &Token<'_>, f: &mut dyn FnMut(&Token<'_>, &str, &str, &str)| {
        norm.clear();
        search_key_into(tok.text, &mut norm);
        let stem = if tok.kind == TokenKind::Arabic {
            light_stem_str(&norm)
        } else {
            &norm
        };
        variant.clear();
        fold_into(stem, &mut variant);
        f(tok, &norm, stem, &variant);
    };
    FORM_CACHE.with(|cell| {
        // A callback that calls `for_each_term` again finds the cache busy and runs uncached.
        let mut guard = cell.try_borrow_mut().ok();
        for tok in tokenize(text) {
            match guard.as_deref_mut() {
                Some(cache) if tok.kind == TokenKind::Arabic => {
                    let (norm, stem, variant) = cache.forms(tok.text);
                    f(&tok, norm, stem, variant);
                }
                _ => uncached(&tok, &mut f),
            }
        }
    });
}

/// Number of slots of the per-thread form cache (a power of two). News vocabulary is large: at
/// 16,384 slots most tokens of a long stream hit (4,096 missed a third as often again), and
/// 65,536 cut the analysis time of `rasd bench --spine` by another 6% (about 5 MB per thread).
const CACHE_SLOTS: usize = 65_536;

/// One slot of [`FormCache`]: the word as written, its search key, stem and variant key, one
/// after the other in one buffer, with the ends of the first three.
#[derive(Default, Clone)]
struct FormSlot {
    buf: String,
    ends: [u32; 3],
}

/// Direct-mapped per-thread cache of Arabic words as written → (search key, light stem, variant
/// key). Word frequencies are Zipfian, so most tokens hit, and a hit skips normalization,
/// stemming and folding; slots reuse their buffers, so a warm cache allocates nothing.
#[derive(Default)]
struct FormCache {
    slots: Vec<FormSlot>,
    scratch: String,
}

impl FormCache {
    fn forms(&mut self, word: &str) -> (&str, &str, &str) {
        if self.slots.is_empty() {
            self.slots = vec![FormSlot::default(); CACHE_SLOTS];
        }
        let mut h = crate::lexicon::FxHasher::default();
        std::hash::Hasher::write(&mut h, word.as_bytes());
        let idx = (std::hash::Hasher::finish(&h) >> 40) as usize & (CACHE_SLOTS - 1);
        let Some(slot) = self.slots.get_mut(idx) else {
            return ("", "", "");
        };
        let k = slot.ends[0] as usize;
        if k == 0 || slot.buf.get(..k) != Some(word) {
            let buf = &mut slot.buf;
            buf.clear();
            buf.push_str(word);
            let k = buf.len();
            search_key_into(word, buf);
            let n = buf.len();
            // The stem may be a slice of the key or a lexicon entry: copied out, then behind.
            let stem = &mut self.scratch;
            stem.clear();
            stem.push_str(light_stem_str(buf.get(k..n).unwrap_or("")));
            buf.push_str(stem);
            let s = buf.len();
            fold_into(stem, buf);
            match (u32::try_from(k), u32::try_from(n), u32::try_from(s)) {
                (Ok(k), Ok(n), Ok(s)) => slot.ends = [k, n, s],
                _ => slot.ends = [0, 0, 0],
            }
        }
        let [k, n, s] = slot.ends.map(|e| e as usize);
        let buf = slot.buf.as_str();
        (
            buf.get(k..n).unwrap_or(""),
            buf.get(n..s).unwrap_or(""),
            buf.get(s..).unwrap_or(""),
        )
    }
}

thread_local! {
    static FORM_CACHE: std::cell::RefCell<FormCache> = std::cell::RefCell::new(FormCache::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analyze_fields() {
        let text = "كشف مسؤولون أمريكيون عن محادثات سرية في 10.06.2017، وقال @RT_Arabic إن #سوريا_الآن مهمة.";
        let a = analyze(text);
        for t in &a.tokens {
            assert_eq!(&text[t.start..t.end], t.text);
        }
        let by_text = |s: &str| a.tokens.iter().find(|t| t.text == s).cloned();
        let t = by_text("أمريكيون").unwrap_or_else(|| panic!("token missing"));
        assert_eq!(
            (t.norm.as_str(), t.stem.as_str(), t.kind),
            ("امريكيون", "امريكا", TokenKind::Arabic)
        );
        let d = by_text("10.06.2017").unwrap_or_else(|| panic!("date missing"));
        assert_eq!((d.kind, d.stem.as_str()), (TokenKind::Number, "10.06.2017"));
        let w = by_text("وقال").unwrap_or_else(|| panic!("وقال missing"));
        assert_eq!(
            (w.stem.as_str(), w.clitics.clone()),
            ("قال", vec!["و".to_owned()])
        );
        assert!(by_text("في").is_some_and(|t| t.stop));
        assert!(by_text("محادثات").is_some_and(|t| !t.stop));
        assert!(by_text("@RT_Arabic")
            .is_some_and(|t| t.kind == TokenKind::Mention && t.norm == "@rt_arabic"));
        assert_eq!(a.sentences.len(), 1);
        let json = serde_json::to_string(&a).unwrap_or_default();
        assert!(json.contains("\"kind\":\"arabic\"") && json.contains("\"kind\":\"mention\""));
    }

    #[test]
    fn for_each_term_matches_analyze() {
        let text = "والمحادثات الأميركية – الروسية في أستانة ٢٠١٧ ثم www.rt.com! 3,5";
        let a = analyze(text);
        let mut seen = Vec::new();
        for_each_term(text, |t, n, s| {
            seen.push((t.start, n.to_owned(), s.to_owned()))
        });
        let want: Vec<_> = a
            .tokens
            .iter()
            .map(|t| (t.start, t.norm.clone(), t.stem.clone()))
            .collect();
        assert_eq!(seen, want);
    }

    #[test]
    fn nested_for_each_term_and_cache_collisions() {
        // Re-entrant use (the cache is busy) gives the same stems as the cached path.
        let text = "والمحادثات الأمريكية بالمحادثات";
        let mut outer = Vec::new();
        for_each_term(text, |_, _, s| {
            let mut inner = Vec::new();
            for_each_term(text, |_, _, s2| inner.push(s2.to_owned()));
            outer.push((s.to_owned(), inner));
        });
        for (i, (s, inner)) in outer.iter().enumerate() {
            assert_eq!(s, &inner[i]);
        }
        // Many distinct words (more than the cache holds) still stem exactly like light_stem.
        let mut words = String::new();
        for i in 0..3 * CACHE_SLOTS {
            words.push_str(&format!(
                "وال{}ات ",
                "ب".repeat(1 + i % 7) + &"ت".repeat(i / 7 % 5 + 1)
            ));
        }
        for_each_term(&words, |_, norm, stem| {
            assert_eq!(stem, crate::light_stem(norm));
        });
    }

    #[test]
    fn empty_and_junk() {
        assert_eq!(analyze("").tokens.len(), 0);
        assert_eq!(analyze("…،؛!!").tokens.len(), 0);
        let a = analyze("\u{64e}\u{200f}ـ");
        assert!(a.tokens.is_empty());
    }
}

/// The analyzed terms of a text, computed once by [`for_each_term`] and kept compactly (one
/// string buffer, no allocation per token) so that several consumers — the search index, dedup
/// fingerprints, story features — can read them without analyzing the text again.
///
/// ```
/// let text = "والمحادثات الأمريكية";
/// let terms = rasd_arabic::TermList::of(text);
/// let mut seen = Vec::new();
/// terms.for_each(text, |tok, norm, stem| seen.push((tok.text.to_owned(), norm.to_owned(), stem.to_owned())));
/// let mut direct = Vec::new();
/// rasd_arabic::for_each_term(text, |tok, norm, stem| direct.push((tok.text.to_owned(), norm.to_owned(), stem.to_owned())));
/// assert_eq!(seen, direct);
/// assert_eq!(terms.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermList {
    /// Every norm and (when it differs) stem, one after the other.
    buf: String,
    items: Vec<TermItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TermItem {
    start: u32,
    end: u32,
    kind: TokenKind,
    norm_end: u32,
    /// End of the stem in `buf`; the stem starts where the norm ends, and equals the norm
    /// (no bytes of its own) when `stem_end == norm_end`.
    stem_end: u32,
    /// End of the variant key ([`fold_variant`](crate::fold_variant) of the stem); like the
    /// stem, it equals the stem when `variant_end == stem_end`.
    variant_end: u32,
}

/// One token of a [`TermList`] with all its forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermRef<'t, 'l> {
    /// The token in the text.
    pub token: Token<'t>,
    /// Search key.
    pub norm: &'l str,
    /// Light stem (Arabic words), else `norm`.
    pub stem: &'l str,
    /// Spelling-variant key of the stem, `fold_variant(stem)`.
    pub variant: &'l str,
}

impl TermList {
    /// Analyzes `text` (see [`for_each_term`]). Texts over 4 GiB keep their first 4 GiB of terms.
    pub fn of(text: &str) -> TermList {
        let mut list = TermList {
            buf: String::with_capacity(text.len()),
            items: Vec::with_capacity(text.len() / 6),
        };
        for_each_form(text, |tok, norm, stem, variant| {
            let (Ok(start), Ok(end)) = (u32::try_from(tok.start), u32::try_from(tok.end)) else {
                return;
            };
            list.buf.push_str(norm);
            let norm_end = list.buf.len();
            if stem != norm {
                list.buf.push_str(stem);
            }
            let stem_end = list.buf.len();
            if variant != stem {
                list.buf.push_str(variant);
            }
            let (Ok(norm_end), Ok(stem_end), Ok(variant_end)) = (
                u32::try_from(norm_end),
                u32::try_from(stem_end),
                u32::try_from(list.buf.len()),
            ) else {
                return;
            };
            list.items.push(TermItem {
                start,
                end,
                kind: tok.kind,
                norm_end,
                stem_end,
                variant_end,
            });
        });
        list
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the text had no tokens.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Calls `f(token, norm, stem)` for each token, exactly as [`for_each_term`] would on
    /// `text`, which must be the text the list was made from.
    pub fn for_each(&self, text: &str, mut f: impl FnMut(&Token<'_>, &str, &str)) {
        self.for_each_ref(text, |t| f(&t.token, t.norm, t.stem));
    }

    /// Calls `f` with every form of each token, the variant key included; `text` must be the
    /// text the list was made from.
    pub fn for_each_ref<'l>(&'l self, text: &str, mut f: impl FnMut(TermRef<'_, 'l>)) {
        let mut at = 0usize;
        for item in &self.items {
            let (start, end) = (item.start as usize, item.end as usize);
            let norm_end = item.norm_end as usize;
            let stem_end = item.stem_end as usize;
            let variant_end = item.variant_end as usize;
            let norm = self.buf.get(at..norm_end).unwrap_or("");
            let stem = if stem_end == norm_end {
                norm
            } else {
                self.buf.get(norm_end..stem_end).unwrap_or("")
            };
            let variant = if variant_end == stem_end {
                stem
            } else {
                self.buf.get(stem_end..variant_end).unwrap_or("")
            };
            at = variant_end;
            f(TermRef {
                token: Token {
                    text: text.get(start..end).unwrap_or(""),
                    start,
                    end,
                    kind: item.kind,
                },
                norm,
                stem,
                variant,
            });
        }
    }
}

#[cfg(test)]
mod term_list_tests {
    use super::*;

    #[test]
    fn term_list_replays_for_each_term_exactly() {
        for text in [
            "",
            "قال الرئيسُ إنّ المحادثات الأمريكية-الروسية في عمّان 10.06.2017 http://x.y #سوريا",
            "Kerry met Lavrov; والمحادثات، بالمحادثات، للمحادثات",
            "   \n\n ،.؟",
        ] {
            let mut direct = Vec::new();
            for_each_term(text, |t, n, s| {
                direct.push((t.start, t.end, t.kind, n.to_owned(), s.to_owned()))
            });
            let list = TermList::of(text);
            let mut replay = Vec::new();
            list.for_each(text, |t, n, s| {
                assert_eq!(t.text, &text[t.start..t.end]);
                replay.push((t.start, t.end, t.kind, n.to_owned(), s.to_owned()))
            });
            assert_eq!(direct, replay, "{text}");
            list.for_each_ref(text, |t| assert_eq!(t.variant, crate::fold_variant(t.stem)));
            assert_eq!(list.len(), direct.len());
        }
    }
}
