//! Arabic-aware search over the store: query analysis, ranking and highlighted snippets.
//!
//! Every query word is looked up in three views (see [`crate::analyzers`]) with boosts:
//! the exact normalized form counts most, the light stem next (inflections), and the
//! spelling-variant key least (a fallback for loanword and name spellings). Titles weigh
//! more than bodies. All query words must match (in some view); if that finds nothing,
//! any word may match.

use std::collections::HashSet;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use crate::{Result, Store};

/// Options for [`Store::search`].
#[derive(Debug, Clone, Copy)]
pub struct SearchOptions {
    /// Maximum number of hits.
    pub limit: usize,
    /// Include documents that are duplicates of another (folded by default).
    pub include_duplicates: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            include_duplicates: false,
        }
    }
}

/// One ranked search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub id: String,
    pub title: Option<String>,
    pub score: f32,
    /// A passage of the body around the best matches, HTML-escaped, matches wrapped in `<mark>…</mark>`.
    pub snippet: String,
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub story: Option<u64>,
    pub duplicate_of: Option<String>,
}

/// The analyzed form of a query: the terms of each word in each view.
#[derive(Debug, Default)]
struct QueryTerms {
    words: Vec<(String, Option<String>, Option<String>)>, // (norm, stem, variant)
}

impl QueryTerms {
    fn parse(query: &str) -> QueryTerms {
        let mut words = Vec::new();
        let mut seen = HashSet::new();
        rasd_arabic::for_each_term(query, |_tok, norm, stem| {
            if norm.is_empty() || !seen.insert(norm.to_string()) {
                return;
            }
            let stop = rasd_arabic::is_stopword(norm);
            let (stem, variant) = if stop || stem.is_empty() {
                (None, None)
            } else {
                (
                    Some(stem.to_string()),
                    Some(rasd_arabic::fold_variant(stem)).filter(|v| !v.is_empty()),
                )
            };
            words.push((norm.to_string(), stem, variant));
        });
        // Stopwords only narrow a query when it has nothing else.
        if words.iter().any(|w| w.1.is_some()) {
            words.retain(|w| w.1.is_some());
        }
        QueryTerms { words }
    }

    fn norms(&self) -> HashSet<&str> {
        self.words.iter().map(|w| w.0.as_str()).collect()
    }
    fn stems(&self) -> HashSet<&str> {
        self.words.iter().filter_map(|w| w.1.as_deref()).collect()
    }
    fn variants(&self) -> HashSet<&str> {
        self.words.iter().filter_map(|w| w.2.as_deref()).collect()
    }
}

impl Store {
    /// Ranked documents for `query`.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// let store = rasd_store::Store::open(dir.path()).unwrap();
    /// let hits = store.search("المحادثات", Default::default()).unwrap();
    /// assert!(hits.is_empty());
    /// ```
    pub fn search(&self, query: &str, opts: SearchOptions) -> Result<Vec<SearchHit>> {
        let q = QueryTerms::parse(query);
        if q.words.is_empty() || opts.limit == 0 {
            return Ok(Vec::new());
        }
        let f = self.fields;
        let word_query = |(norm, stem, variant): &(String, Option<String>, Option<String>)| {
            let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let mut add = |field, text: &str, boost: f32| {
                let tq = TermQuery::new(
                    Term::from_field_text(field, text),
                    IndexRecordOption::WithFreqs,
                );
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(tq), boost)),
                ));
            };
            add(f.title_norm, norm, 3.0);
            add(f.body_norm, norm, 2.0);
            if let Some(s) = stem {
                add(f.title_stem, s, 2.0);
                add(f.body_stem, s, 1.2);
            }
            if let Some(v) = variant {
                add(f.title_variant, v, 0.8);
                add(f.body_variant, v, 0.5);
            }
            Box::new(BooleanQuery::new(should)) as Box<dyn Query>
        };
        let searcher = self.reader.searcher();
        let run = |occur: Occur| -> Result<Vec<(f32, tantivy::DocAddress)>> {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                q.words.iter().map(|w| (occur, word_query(w))).collect();
            if !opts.include_duplicates {
                clauses.push((
                    Occur::MustNot,
                    Box::new(TermQuery::new(
                        Term::from_field_u64(f.is_duplicate, 1),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
            let query = BooleanQuery::new(clauses);
            Ok(searcher.search(&query, &TopDocs::with_limit(opts.limit).order_by_score())?)
        };
        let mut top = run(Occur::Must)?;
        if top.is_empty() && q.words.len() > 1 {
            top = run(Occur::Should)?;
        }

        let (norms, stems, variants) = (q.norms(), q.stems(), q.variants());
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let Some(id) = doc
                .get_first(f.id)
                .and_then(|v| v.as_str())
                .map(str::to_string)
            else {
                continue;
            };
            let Some(d) = self.doc(&id)? else { continue };
            hits.push(SearchHit {
                snippet: snippet(&d.article.body, &norms, &stems, &variants, 200),
                id: d.id,
                title: d.article.title,
                score,
                published: d.article.published,
                outlet: d.article.outlet,
                story: d.story,
                duplicate_of: d.duplicate_of,
            });
        }
        Ok(hits)
    }
}

/// A passage of about `width` characters of `body` around the densest run of matching
/// words, HTML-escaped, with matches wrapped in `<mark>…</mark>`.
pub(crate) fn snippet(
    body: &str,
    norms: &HashSet<&str>,
    stems: &HashSet<&str>,
    variants: &HashSet<&str>,
    width: usize,
) -> String {
    // Matching word spans, in order.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    rasd_arabic::for_each_term(body, |tok, norm, stem| {
        let hit = norms.contains(norm)
            || (!stem.is_empty()
                && !rasd_arabic::is_stopword(norm)
                && (stems.contains(stem)
                    || (!variants.is_empty()
                        && variants.contains(rasd_arabic::fold_variant(stem).as_str()))));
        if hit {
            spans.push((tok.start, tok.end));
        }
    });
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    if chars.is_empty() {
        return String::new();
    }
    let byte_to_char = |b: usize| chars.partition_point(|(i, _)| *i < b);
    // Window start (in chars) that covers the most matches.
    let starts: Vec<usize> = spans.iter().map(|s| byte_to_char(s.0)).collect();
    let mut best = (0usize, 0usize); // (count, start char)
    let mut j = 0;
    for i in 0..starts.len() {
        while j < starts.len() && starts[j] < starts[i] + width {
            j += 1;
        }
        if j - i > best.0 {
            best = (j - i, starts[i]);
        }
    }
    // Back up a little so the first match has some context, and align to a word start.
    let mut from = best.1.saturating_sub(width / 5);
    while from > 0 && !chars[from - 1].1.is_whitespace() {
        from -= 1;
    }
    let mut to = (from + width).min(chars.len());
    while to < chars.len() && !chars[to].1.is_whitespace() {
        to += 1;
    }
    let (bfrom, bto) = (
        chars[from].0,
        chars.get(to).map(|c| c.0).unwrap_or(body.len()),
    );
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let mut pos = bfrom;
    for &(s, e) in spans.iter().filter(|(s, e)| *s >= bfrom && *e <= bto) {
        escape_into(&body[pos..s], &mut out);
        out.push_str("<mark>");
        escape_into(&body[s..e], &mut out);
        out.push_str("</mark>");
        pos = e;
    }
    escape_into(&body[pos..bto], &mut out);
    if to < chars.len() {
        out.push('…');
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snip(body: &str, q: &str) -> String {
        let qt = QueryTerms::parse(q);
        snippet(body, &qt.norms(), &qt.stems(), &qt.variants(), 60)
    }

    #[test]
    fn snippet_marks_inflected_and_variant_matches() {
        let s = snip("جرت المحادثات الأمريكية في عمان", "محادثات الأميركية");
        assert!(s.contains("<mark>المحادثات</mark>"), "{s}");
        assert!(s.contains("<mark>الأمريكية</mark>"), "{s}");
    }

    #[test]
    fn snippet_escapes_markup_in_page_text() {
        let s = snip(
            "عنوان <script>alert(1)</script> المحادثات \"x\"",
            "المحادثات",
        );
        assert!(!s.contains("<script>"), "{s}");
        assert!(s.contains("&lt;script&gt;"), "{s}");
        assert!(s.contains("&quot;x&quot;"), "{s}");
    }

    #[test]
    fn snippet_windows_long_bodies_around_matches() {
        let filler = "كلام عام لا صلة له بالموضوع ".repeat(30);
        let body = format!("{filler} ثم بدأت المحادثات السرية {filler}");
        let s = snip(&body, "المحادثات");
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>المحادثات</mark>"), "{s}");
        assert!(s.chars().count() < 200, "{s}");
    }

    #[test]
    fn query_keeps_stopwords_only_when_nothing_else() {
        assert_eq!(QueryTerms::parse("في المحادثات").words.len(), 1);
        assert_eq!(QueryTerms::parse("في").words.len(), 1);
        assert!(QueryTerms::parse(" ،. ").words.is_empty());
    }
}
