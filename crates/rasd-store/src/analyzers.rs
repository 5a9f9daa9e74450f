//! Tantivy analyzers built on `rasd-arabic`.
//!
//! Three views of the same text are indexed, and searched together with boosts
//! (see [`crate::search`]):
//! - `ar_norm`: the search key of every token (diacritics stripped, letters folded);
//!   exact word matches, positions kept for phrases;
//! - `ar_stem`: light stems with stopwords dropped, so inflections meet
//!   (محادثات / المحادثات / والمحادثات);
//! - `ar_variant`: spelling-variant keys with stopwords dropped, so loanword and
//!   name spellings meet (أمريكية / أميركية), a lower-weight fallback.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Which view of a token an [`ArabicTokenizer`] emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The normalized search key.
    Norm,
    /// The light stem (stopwords dropped).
    Stem,
    /// The spelling-variant key (stopwords dropped).
    Variant,
}

impl View {
    /// The name the analyzer is registered under.
    pub fn analyzer_name(self) -> &'static str {
        match self {
            View::Norm => "ar_norm",
            View::Stem => "ar_stem",
            View::Variant => "ar_variant",
        }
    }
}

/// Emits the terms of one [`View`] for a text, with byte offsets into the original.
#[derive(Debug, Clone)]
pub struct ArabicTokenizer {
    view: View,
}

impl ArabicTokenizer {
    /// A tokenizer for `view`.
    pub fn new(view: View) -> Self {
        ArabicTokenizer { view }
    }
}

/// The terms of `text` in `view`, each with its byte span in `text`.
///
/// ```
/// use rasd_store::analyzers::{terms, View};
/// let t = terms("والمحادثات", View::Stem);
/// assert_eq!(t.len(), 1);
/// assert_eq!(t[0].0, terms("محادثات", View::Stem)[0].0);
/// ```
pub fn terms(text: &str, view: View) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    collect(text, view, |term, start, end| {
        out.push((term.to_string(), start, end))
    });
    out
}

fn collect(text: &str, view: View, mut emit: impl FnMut(&str, usize, usize)) {
    let want = [
        view == View::Norm,
        view == View::Stem,
        view == View::Variant,
    ];
    for_each_view(text, want, |_, term, start, end| emit(term, start, end));
}

/// One pass over `text` emitting the terms of each wanted view (`[norm, stem, variant]`).
fn for_each_view(text: &str, want: [bool; 3], mut emit: impl FnMut(View, &str, usize, usize)) {
    rasd_arabic::for_each_term(text, |tok, norm, stem| {
        if norm.is_empty() {
            return;
        }
        if want[0] {
            emit(View::Norm, norm, tok.start, tok.end);
        }
        if (want[1] || want[2]) && !stem.is_empty() && !rasd_arabic::is_stopword(norm) {
            if want[1] {
                emit(View::Stem, stem, tok.start, tok.end);
            }
            if want[2] {
                let v = rasd_arabic::fold_variant(stem);
                if !v.is_empty() {
                    emit(View::Variant, &v, tok.start, tok.end);
                }
            }
        }
    });
}

/// The three views of one text, analyzed in a single pass, ready for the index: each view is
/// its terms in text order, separated by single spaces (terms never contain a space). The index
/// fields split these lists again ([`TermListTokenizer`]); handing Tantivy term lists rather than
/// `PreTokenizedString`s spares it a JSON round trip per field (measured: 12% of ingest CPU).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Views {
    pub norm: String,
    pub stem: String,
    pub variant: String,
}

impl Views {
    /// Analyzes `text` once into its three views.
    ///
    /// ```
    /// use rasd_store::analyzers::{terms, Views, View};
    /// let v = Views::of("والمحادثات الأمريكية");
    /// let stems: Vec<_> = v.stem.split(' ').map(str::to_string).collect();
    /// let expected: Vec<_> = terms("والمحادثات الأمريكية", View::Stem).into_iter().map(|t| t.0).collect();
    /// assert_eq!(stems, expected);
    /// ```
    pub fn of(text: &str) -> Views {
        Views::of_terms(text, &rasd_arabic::TermList::of(text))
    }

    /// The views of `text` from its terms, analyzed already.
    pub fn of_terms(text: &str, terms: &rasd_arabic::TermList) -> Views {
        let mut v = Views {
            norm: String::with_capacity(text.len()),
            stem: String::with_capacity(text.len() / 2),
            variant: String::with_capacity(text.len() / 2),
        };
        let push = |list: &mut String, term: &str| {
            if !list.is_empty() {
                list.push(' ');
            }
            list.push_str(term);
        };
        terms.for_each_ref(text, |t| {
            if t.norm.is_empty() || t.norm.contains(' ') {
                return;
            }
            push(&mut v.norm, t.norm);
            if !t.stem.is_empty() && !rasd_arabic::is_stopword(t.norm) {
                push(&mut v.stem, t.stem);
                if !t.variant.is_empty() {
                    push(&mut v.variant, t.variant);
                }
            }
        });
        v
    }

    /// The terms of the norm view.
    pub fn norm_terms(&self) -> impl Iterator<Item = &str> {
        self.norm.split(' ').filter(|t| !t.is_empty())
    }
}

/// A document's title and body analyzed for the index (see [`crate::NewDoc::views`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocViews {
    pub title: Views,
    pub body: Views,
}

impl DocViews {
    /// Analyzes a title and body.
    pub fn of(title: &str, body: &str) -> DocViews {
        DocViews {
            title: Views::of(title),
            body: Views::of(body),
        }
    }
}

/// The tokenizer of the index fields: splits a term list ([`Views`]) on spaces. Registered
/// under each view's analyzer name, so the schema of stores written before term lists
/// (whose fields name `ar_norm`, `ar_stem`, `ar_variant`) stays valid.
#[derive(Debug, Clone, Copy, Default)]
pub struct TermListTokenizer;

impl Tokenizer for TermListTokenizer {
    type TokenStream<'a> = TermListStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TermListStream<'a> {
        TermListStream {
            rest: text,
            offset: 0,
            token: Token::default(),
            next_position: 0,
        }
    }
}

/// The token stream of [`TermListTokenizer`].
pub struct TermListStream<'a> {
    rest: &'a str,
    offset: usize,
    token: Token,
    next_position: usize,
}

impl TokenStream for TermListStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if self.rest.is_empty() {
                return false;
            }
            let (term, rest, skip) = match self.rest.find(' ') {
                Some(i) => (&self.rest[..i], &self.rest[i + 1..], i + 1),
                None => (self.rest, "", self.rest.len()),
            };
            let start = self.offset;
            self.rest = rest;
            self.offset += skip;
            if term.is_empty() {
                continue;
            }
            self.token.text.clear();
            self.token.text.push_str(term);
            self.token.offset_from = start;
            self.token.offset_to = start + term.len();
            self.token.position = self.next_position;
            self.token.position_length = 1;
            self.next_position += 1;
            return true;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::new();
        let mut position = 0usize;
        collect(text, self.view, |term, start, end| {
            tokens.push(Token {
                offset_from: start,
                offset_to: end,
                position,
                text: term.to_string(),
                position_length: 1,
            });
            position += 1;
        });
        VecTokenStream {
            tokens,
            current: 0,
            started: false,
            empty: Token::default(),
        }
    }
}

/// A token stream over tokens collected up front.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    current: usize,
    started: bool,
    /// Returned by `token()` before the first `advance()` or on an empty stream.
    empty: Token,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.started {
            self.current += 1;
        } else {
            self.started = true;
        }
        self.current < self.tokens.len()
    }

    fn token(&self) -> &Token {
        self.tokens.get(self.current).unwrap_or(&self.empty)
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tokens.get_mut(self.current).unwrap_or(&mut self.empty)
    }
}

/// Registers the index fields' tokenizer under each view's analyzer name: the fields receive
/// term lists ([`Views`]), never raw text.
pub fn register(index: &tantivy::Index) {
    for view in [View::Norm, View::Stem, View::Variant] {
        index
            .tokenizers()
            .register(view.analyzer_name(), TermListTokenizer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream_terms(text: &str, view: View) -> Vec<(String, usize, usize, usize)> {
        let mut t = ArabicTokenizer::new(view);
        let mut s = t.token_stream(text);
        let mut out = vec![];
        while s.advance() {
            let tok = s.token();
            out.push((
                tok.text.clone(),
                tok.offset_from,
                tok.offset_to,
                tok.position,
            ));
        }
        out
    }

    #[test]
    fn norm_view_folds_letters_and_keeps_offsets() {
        let text = "قال الرئيسُ إنّ المحادثات";
        let toks = stream_terms(text, View::Norm);
        assert_eq!(toks.len(), 4);
        for (i, (_, s, e, p)) in toks.iter().enumerate() {
            assert!(text.is_char_boundary(*s) && text.is_char_boundary(*e));
            assert_eq!(*p, i);
        }
        assert_eq!(toks[1].0, "الرييس"); // diacritic stripped, ئ folded to ي
        assert_eq!(toks[2].0, "ان"); // hamza folded
    }

    #[test]
    fn stem_view_conflates_inflections_and_drops_stopwords() {
        let a = stream_terms("والمحادثات في عمان", View::Stem);
        let b = stream_terms("محادثات", View::Stem);
        assert_eq!(a[0].0, b[0].0);
        assert!(
            a.iter().all(|t| t.0 != "في"),
            "stopword in stem view: {a:?}"
        );
    }

    #[test]
    fn variant_view_meets_spelling_variants() {
        let a = stream_terms("الأمريكية", View::Variant);
        let b = stream_terms("الأميركية", View::Variant);
        assert_eq!(a[0].0, b[0].0);
    }

    #[test]
    fn term_lists_split_back_into_the_views_terms() {
        let text = "قال الرئيس إن المحادثات الأمريكية، في عمّان";
        let v = Views::of(text);
        for (list, view) in [
            (&v.norm, View::Norm),
            (&v.stem, View::Stem),
            (&v.variant, View::Variant),
        ] {
            let mut t = TermListTokenizer;
            let mut s = t.token_stream(list);
            let mut got = vec![];
            while s.advance() {
                got.push((s.token().text.clone(), s.token().position));
            }
            let want: Vec<(String, usize)> = terms(text, view)
                .into_iter()
                .enumerate()
                .map(|(i, (t, _, _))| (t, i))
                .collect();
            assert_eq!(got, want, "{view:?}");
        }
        let mut t = TermListTokenizer;
        let mut s = t.token_stream("  a  b ");
        let mut got = vec![];
        while s.advance() {
            got.push(s.token().text.clone());
        }
        assert_eq!(got, ["a", "b"]);
    }

    #[test]
    fn empty_and_punctuation_only_texts_give_no_tokens() {
        assert!(stream_terms("", View::Norm).is_empty());
        assert!(stream_terms(" ،.؟!", View::Stem).is_empty());
    }
}
