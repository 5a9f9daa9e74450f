//! Arabic-aware search over the store: query analysis, ranking and highlighted snippets.
//!
//! Every query word is looked up in three views (see [`crate::analyzers`]) with boosts:
//! the exact normalized form counts most, the light stem next (inflections), and the
//! spelling-variant key least (a fallback for loanword and name spellings). Titles weigh
//! more than bodies. All query words must match (in some view); if that finds nothing,
//! any word may match.

use std::collections::HashSet;

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
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
        let searcher = self.reader.searcher();
        let run = |occur: Occur| -> Result<Vec<(f32, tantivy::DocAddress)>> {
            let query = self.query_for(&q, occur, opts.include_duplicates);
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

/// A search with filters and pagination, for [`Store::search_page`].
///
/// Filters apply to the best [`SearchRequest::WINDOW`] matches of the query (ranked first,
/// then filtered), which keeps every search bounded however many documents match; without
/// filters, facets count the best [`SearchRequest::FACET_WINDOW`] (or more when paging deeper).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    /// The query text.
    pub q: String,
    /// Hits per page (capped at 100; 0 means the default of 10).
    pub limit: usize,
    /// Hits to skip (pagination).
    pub offset: usize,
    /// Include documents that are copies of another.
    pub include_duplicates: bool,
    /// Earliest publication day, `YYYY-MM-DD` (inclusive).
    pub from: Option<String>,
    /// Latest publication day, `YYYY-MM-DD` (inclusive).
    pub to: Option<String>,
    /// Only documents of this outlet (exact match).
    pub outlet: Option<String>,
    /// Only documents mentioning this canonical entity id.
    pub entity: Option<String>,
    /// Only documents of this story.
    pub story: Option<u64>,
}

impl SearchRequest {
    /// How many of the best matches filters look at.
    pub const WINDOW: usize = 1000;
    /// How many of the best matches facets count when no filter is set (reading each
    /// candidate's id and metadata is most of a search's time; 200 keeps p99 low).
    pub const FACET_WINDOW: usize = 200;
    /// The largest page.
    pub const MAX_LIMIT: usize = 100;
}

/// One value of a facet and how many matching documents have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The value to filter on: an outlet, a month (`YYYY-MM`) or an entity id.
    pub value: String,
    /// A readable label when it differs from the value (an entity's name).
    pub label: Option<String>,
    pub count: u64,
}

/// Counts of the filtered matches by outlet, month and entity (most frequent first;
/// months in date order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub outlets: Vec<FacetCount>,
    pub months: Vec<FacetCount>,
    pub entities: Vec<FacetCount>,
}

/// A page of search results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchPage {
    pub q: String,
    /// Documents that match the query and the filters (see `total_exact`).
    pub total: u64,
    /// False when the filters were applied to the best [`SearchRequest::WINDOW`] matches
    /// only, so `total` counts within them (without filters `total` is always exact; the
    /// facets then count the best matches only).
    pub total_exact: bool,
    pub offset: usize,
    pub limit: usize,
    pub hits: Vec<SearchHit>,
    pub facets: Facets,
}

/// Days since 1970-01-01 of an ISO day (`YYYY-MM-DD`, anything after the day ignored).
///
/// ```
/// assert_eq!(rasd_store::day_number("1970-01-02"), Some(1));
/// assert_eq!(rasd_store::day_number("2017-06-10T10:57:00Z"), Some(17327));
/// assert_eq!(rasd_store::day_number("2017-13-01"), None);
/// ```
pub fn day_number(iso: &str) -> Option<i32> {
    let y: i64 = iso.get(0..4)?.parse().ok()?;
    if iso.get(4..5)? != "-" || iso.get(7..8)? != "-" {
        return None;
    }
    let m: i64 = iso.get(5..7)?.parse().ok()?;
    let d: i64 = iso.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i32::try_from(era * 146_097 + doe - 719_468).ok()
}

/// What filters and facets need of a candidate document.
struct CandidateMeta {
    outlet: Option<String>,
    day: Option<i32>,
    story: Option<u64>,
    entities: Vec<String>,
}

impl Store {
    /// Re-reads the search index so that documents committed by another `Store` over the
    /// same directory (a writer in the same process, or another process) become searchable.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    /// Stories, most recent (by last publication date) first, then largest: one page of
    /// [`Store::stories`] without reading them all.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// let store = rasd_store::Store::open(dir.path()).unwrap();
    /// assert!(store.stories_page(20, 0).unwrap().is_empty());
    /// ```
    pub fn stories_page(&self, limit: usize, offset: usize) -> Result<Vec<crate::StoryRecord>> {
        self.query_stories(
            "SELECT id, title, rep_doc, first_seen, last_seen, size, outlets, key_terms FROM stories \
             ORDER BY last_seen IS NULL, last_seen DESC, size DESC, id LIMIT ?1 OFFSET ?2",
            [clamp_i64(limit), clamp_i64(offset)],
        )
    }

    /// Documents, most recently published first (unknown dates last), then newest ingested:
    /// one page.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// let store = rasd_store::Store::open(dir.path()).unwrap();
    /// assert!(store.docs_page(20, 0).unwrap().is_empty());
    /// ```
    pub fn docs_page(&self, limit: usize, offset: usize) -> Result<Vec<crate::DocRecord>> {
        self.query_docs(
            &format!(
                "SELECT {} FROM docs ORDER BY published_day IS NULL, published_day DESC, key DESC \
                 LIMIT ?1 OFFSET ?2",
                crate::DOC_COLUMNS
            ),
            [clamp_i64(limit), clamp_i64(offset)],
        )
    }

    /// A page of ranked documents for a query with filters, and facets over the matches.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// let store = rasd_store::Store::open(dir.path()).unwrap();
    /// let req = rasd_store::SearchRequest { q: "المحادثات".into(), outlet: Some("x".into()), ..Default::default() };
    /// let page = store.search_page(&req).unwrap();
    /// assert_eq!(page.total, 0);
    /// ```
    pub fn search_page(&self, req: &SearchRequest) -> Result<SearchPage> {
        let limit = match req.limit {
            0 => 10,
            n => n.min(SearchRequest::MAX_LIMIT),
        };
        let offset = req.offset.min(SearchRequest::WINDOW);
        let mut page = SearchPage {
            q: req.q.clone(),
            total: 0,
            total_exact: true,
            offset,
            limit,
            hits: Vec::new(),
            facets: Facets::default(),
        };
        let q = QueryTerms::parse(&req.q);
        if q.words.is_empty() {
            return Ok(page);
        }
        let from = req.from.as_deref().and_then(day_number);
        let to = req.to.as_deref().and_then(day_number);
        let filtered = from.is_some()
            || to.is_some()
            || req.outlet.is_some()
            || req.entity.is_some()
            || req.story.is_some();
        let searcher = self.reader.searcher();
        let window = if filtered {
            SearchRequest::WINDOW
        } else {
            SearchRequest::FACET_WINDOW.max(offset + limit)
        };
        let (top, total) = self.ranked(&q, req.include_duplicates, window)?;
        // Stored ids, read in index order (neighbours share compressed blocks), kept in rank order.
        let mut order: Vec<usize> = (0..top.len()).collect();
        order.sort_by_key(|&i| top.get(i).map(|t| t.1));
        let mut ids: Vec<Option<(String, f32)>> = vec![None; top.len()];
        for i in order {
            let Some(&(score, addr)) = top.get(i) else {
                continue;
            };
            let doc: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_str()) {
                if let Some(slot) = ids.get_mut(i) {
                    *slot = Some((id.to_string(), score));
                }
            }
        }
        let ids: Vec<(String, f32)> = ids.into_iter().flatten().collect();
        let truncated = total > ids.len() as u64;
        let metas = self.candidate_metas(&ids)?;
        let mut kept = Vec::with_capacity(ids.len());
        for ((id, score), meta) in ids.into_iter().zip(metas) {
            let Some(meta) = meta else { continue };
            let keep = from.is_none_or(|f| meta.day.is_some_and(|d| d >= f))
                && to.is_none_or(|t| meta.day.is_some_and(|d| d <= t))
                && req
                    .outlet
                    .as_ref()
                    .is_none_or(|o| meta.outlet.as_ref() == Some(o))
                && req.story.is_none_or(|s| meta.story == Some(s))
                && req
                    .entity
                    .as_ref()
                    .is_none_or(|e| meta.entities.contains(e));
            if keep {
                kept.push((id, score, meta));
            }
        }
        page.total = if filtered || !truncated {
            kept.len() as u64
        } else {
            total
        };
        page.total_exact = !(filtered && truncated);
        page.facets = self.facets(&kept)?;

        let (norms, stems, variants) = (q.norms(), q.stems(), q.variants());
        for (id, score, _) in kept.iter().skip(offset).take(limit) {
            let Some(d) = self.doc(id)? else { continue };
            page.hits.push(SearchHit {
                snippet: snippet(&d.article.body, &norms, &stems, &variants, 200),
                id: d.id,
                title: d.article.title,
                score: *score,
                published: d.article.published,
                outlet: d.article.outlet,
                story: d.story,
                duplicate_of: d.duplicate_of,
            });
        }
        Ok(page)
    }

    /// What filters and facets need of each candidate, in one pass over each table
    /// (`None` for an id no longer stored).
    fn candidate_metas(&self, ids: &[(String, f32)]) -> Result<Vec<Option<CandidateMeta>>> {
        use std::collections::HashMap;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = serde_json::to_string(&ids.iter().map(|(id, _)| id).collect::<Vec<_>>())
            .map_err(|e| crate::StoreError::Corrupt(format!("candidate ids: {e}")))?;
        let mut metas: HashMap<String, CandidateMeta> = HashMap::with_capacity(ids.len());
        {
            let mut st = self.conn.prepare_cached(
                "SELECT id, outlet, published_day, story FROM docs \
                 WHERE id IN (SELECT value FROM json_each(?1))",
            )?;
            let rows = st.query_map([&list], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    CandidateMeta {
                        outlet: r.get(1)?,
                        day: r.get(2)?,
                        story: r.get::<_, Option<i64>>(3)?.map(|s| s as u64),
                        entities: Vec::new(),
                    },
                ))
            })?;
            for row in rows {
                let (id, m) = row?;
                metas.insert(id, m);
            }
            let mut st = self.conn.prepare_cached(
                "SELECT DISTINCT doc_id, entity FROM mentions \
                 WHERE doc_id IN (SELECT value FROM json_each(?1))",
            )?;
            let rows = st.query_map([&list], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                let (id, e) = row?;
                if let Some(m) = metas.get_mut(&id) {
                    m.entities.push(e);
                }
            }
        }
        Ok(ids.iter().map(|(id, _)| metas.remove(id)).collect())
    }

    /// The best `limit` matches of a query (all words must match; if none does, any may)
    /// and how many documents match in all.
    fn ranked(
        &self,
        q: &QueryTerms,
        include_duplicates: bool,
        limit: usize,
    ) -> Result<(Vec<(f32, tantivy::DocAddress)>, u64)> {
        let query_for = |occur: Occur| self.query_for(q, occur, include_duplicates);
        let searcher = self.reader.searcher();
        let collector = (
            TopDocs::with_limit(limit.max(1)).order_by_score(),
            tantivy::collector::Count,
        );
        let (mut top, mut total) = searcher.search(&query_for(Occur::Must), &collector)?;
        if top.is_empty() && q.words.len() > 1 {
            (top, total) = searcher.search(&query_for(Occur::Should), &collector)?;
        }
        Ok((top, total as u64))
    }

    fn facets(&self, kept: &[(String, f32, CandidateMeta)]) -> Result<Facets> {
        use std::collections::HashMap;
        let mut outlets: HashMap<&str, u64> = HashMap::new();
        let mut months: HashMap<String, u64> = HashMap::new();
        let mut entities: HashMap<&str, u64> = HashMap::new();
        for (_, _, m) in kept {
            if let Some(o) = &m.outlet {
                *outlets.entry(o).or_default() += 1;
            }
            if let Some(d) = m.day {
                if let Some(mut day) = crate::day_to_iso(d) {
                    day.truncate(7);
                    *months.entry(day).or_default() += 1;
                }
            }
            for e in &m.entities {
                *entities.entry(e).or_default() += 1;
            }
        }
        let top = |map: HashMap<&str, u64>, n: usize| {
            let mut v: Vec<FacetCount> = map
                .into_iter()
                .map(|(value, count)| FacetCount {
                    value: value.to_string(),
                    label: None,
                    count,
                })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            v.truncate(n);
            v
        };
        let mut month_list: Vec<FacetCount> = months
            .into_iter()
            .map(|(value, count)| FacetCount {
                value,
                label: None,
                count,
            })
            .collect();
        month_list.sort_by(|a, b| a.value.cmp(&b.value));
        let mut entity_list = top(entities, 15);
        let mut name_of = self
            .conn
            .prepare_cached("SELECT name FROM entities WHERE id = ?1")?;
        for e in &mut entity_list {
            e.label = name_of
                .query_row([&e.value], |r| r.get::<_, String>(0))
                .optional()?;
        }
        Ok(Facets {
            outlets: top(outlets, 15),
            months: month_list,
            entities: entity_list,
        })
    }

    fn query_for(&self, q: &QueryTerms, occur: Occur, include_duplicates: bool) -> BooleanQuery {
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
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            q.words.iter().map(|w| (occur, word_query(w))).collect();
        if !include_duplicates {
            clauses.push((
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.is_duplicate, 1),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        BooleanQuery::new(clauses)
    }
}

fn clamp_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
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
        escape_html_into(&body[pos..s], &mut out);
        out.push_str("<mark>");
        escape_html_into(&body[s..e], &mut out);
        out.push_str("</mark>");
        pos = e;
    }
    escape_html_into(&body[pos..bto], &mut out);
    if to < chars.len() {
        out.push('…');
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Appends `s` HTML-escaped for element content and quoted attribute values (`&`, `<`, `>`,
/// `"`, `'`): what search snippets use, and the web UI's escaper too.
///
/// ```
/// let mut out = String::new();
/// rasd_store::escape_html_into("<b title='x'>", &mut out);
/// assert_eq!(out, "&lt;b title=&#39;x&#39;&gt;");
/// ```
pub fn escape_html_into(s: &str, out: &mut String) {
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

#[cfg(test)]
mod page_tests {
    use super::*;
    use crate::{DocRecord, NewDoc};

    #[test]
    fn day_numbers_round_trip_and_reject_non_days() {
        for (iso, n) in [
            ("1970-01-01", 0),
            ("2000-03-01", 11017),
            ("2017-06-10", 17327),
            ("1969-12-31", -1),
        ] {
            assert_eq!(day_number(iso), Some(n), "{iso}");
            assert_eq!(crate::day_to_iso(n).as_deref(), Some(iso));
        }
        for bad in [
            "",
            "2017",
            "2017-06",
            "2017/06/10",
            "2017-00-10",
            "2017-06-32",
            "٢٠١٧-٠٦-١٠",
            "abcd-ef-gh",
        ] {
            assert_eq!(day_number(bad), None, "{bad}");
        }
    }

    fn doc(key: u64, outlet: &str, day: &str, story: u64) -> NewDoc {
        let mut record = DocRecord::new(
            format!("{key:016x}"),
            rasd_types::Article {
                title: Some(format!("خبر {key}")),
                body: "بدأت المحادثات في العاصمة".into(),
                outlet: Some(outlet.into()),
                published: Some(day.into()),
                ..Default::default()
            },
            "2026-01-01T00:00:00Z",
        );
        record.story = Some(story);
        NewDoc {
            key,
            record,
            published_day: day_number(day),
            fingerprint: vec![],
            views: None,
            entity_defs: vec![],
        }
    }

    #[test]
    fn search_page_filters_paginates_and_counts() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        let docs = (1..=12)
            .map(|k| {
                let outlet = if k % 3 == 0 { "ب" } else { "أ" };
                let day = if k <= 6 { "2017-06-10" } else { "2017-08-01" };
                doc(k, outlet, day, 1 + k % 2)
            })
            .collect();
        s.write_batch(docs, &[], &[]).unwrap();
        let req = |f: &dyn Fn(&mut SearchRequest)| {
            let mut r = SearchRequest {
                q: "محادثات".into(),
                ..Default::default()
            };
            f(&mut r);
            s.search_page(&r).unwrap()
        };
        let all = req(&|_| {});
        assert_eq!((all.total, all.hits.len(), all.total_exact), (12, 10, true));
        assert_eq!(
            all.facets.outlets[0],
            FacetCount {
                value: "أ".into(),
                label: None,
                count: 8
            }
        );
        assert_eq!(
            all.facets
                .months
                .iter()
                .map(|m| m.value.as_str())
                .collect::<Vec<_>>(),
            ["2017-06", "2017-08"]
        );
        assert_eq!(req(&|r| r.offset = 10).hits.len(), 2);
        assert_eq!(req(&|r| r.outlet = Some("ب".into())).total, 4);
        assert_eq!(req(&|r| r.from = Some("2017-07-01".into())).total, 6);
        assert_eq!(req(&|r| r.to = Some("2017-06-10".into())).total, 6);
        assert_eq!(req(&|r| r.story = Some(2)).total, 6);
        let none = req(&|r| {
            r.story = Some(2);
            r.outlet = Some("ج".into());
        });
        assert_eq!((none.total, none.hits.len()), (0, 0));
        assert!(req(&|r| r.entity = Some("per:x".into())).hits.is_empty());
        assert_eq!(req(&|r| r.q = "،".into()).total, 0);
        // Huge offsets and limits are clamped, not trusted.
        let p = req(&|r| {
            r.offset = usize::MAX;
            r.limit = usize::MAX;
        });
        assert_eq!((p.limit, p.hits.len()), (SearchRequest::MAX_LIMIT, 0));
        assert_eq!(s.stories_page(5, 0).unwrap().len(), 0);
        let page = s.docs_page(5, 10).unwrap();
        assert_eq!(page.len(), 2);
        assert_eq!(page[0].article.published.as_deref(), Some("2017-06-10"));
    }
}
