//! The web UI: server-rendered, Arabic first (`dir="rtl"`), every stored text escaped.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rasd_store::{DocRecord, EntitySummary, SearchPage, StoryRecord};
use rasd_types::{EntityType, TimexType};

use crate::api::{self, read, ApiError, EntityParams, SearchParams};
use crate::html::{day, esc, external, layout, link, pct};
use crate::App;

const STYLE: &str = include_str!("../assets/style.css");
const SCRIPT: &str = include_str!("../assets/app.js");

/// Security headers every page carries: no inline or foreign scripts, styles or fonts.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

fn page(status: StatusCode, html: String) -> Response {
    let mut r = (status, html).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

fn ok(title: &str, query: &str, body: &str) -> Response {
    page(StatusCode::OK, layout(title, query, body))
}

fn error_page(e: ApiError) -> Response {
    let body = format!(
        "<section class=\"error\"><h1>{}</h1><p>{}</p><p><a href=\"/\">العودة إلى الصفحة الرئيسية</a></p></section>",
        e.status.as_u16(),
        esc(&e.reason)
    );
    page(e.status, layout("خطأ", "", &body))
}

type PageResult = Result<Response, Response>;

fn fail(e: ApiError) -> Response {
    error_page(e)
}

pub(crate) async fn style() -> Response {
    asset(STYLE, "text/css; charset=utf-8")
}

pub(crate) async fn script() -> Response {
    asset(SCRIPT, "text/javascript; charset=utf-8")
}

fn asset(body: &'static str, kind: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    r.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// Unknown paths: JSON under `/api`, a page elsewhere. The path is never used to read files.
pub(crate) async fn not_found(uri: Uri) -> Response {
    let e = ApiError::not_found(format!("page at {:?}", uri.path()));
    if uri.path().starts_with("/api/") || uri.path() == "/api" {
        e.into_response()
    } else {
        error_page(e)
    }
}

fn type_label(t: EntityType) -> &'static str {
    match t {
        EntityType::Per => "شخص",
        EntityType::Org => "منظمة",
        EntityType::Loc => "مكان",
        EntityType::Misc => "أخرى",
    }
}

fn type_class(t: EntityType) -> &'static str {
    match t {
        EntityType::Per => "per",
        EntityType::Org => "org",
        EntityType::Loc => "loc",
        EntityType::Misc => "misc",
    }
}

fn entity_chip(e: &EntitySummary) -> String {
    format!(
        "<a class=\"chip ent-{}\" href=\"/entities/{}\" title=\"{}\">{} <small>{}</small></a>",
        type_class(e.entity.kind),
        esc(&pct(&e.entity.id)),
        esc(type_label(e.entity.kind)),
        esc(&e.entity.name),
        e.mentions
    )
}

fn date_range(first: Option<&str>, last: Option<&str>) -> String {
    match (first.map(day), last.map(day)) {
        (Some(a), Some(b)) if a == b => format!("<time>{}</time>", esc(a)),
        (Some(a), Some(b)) => format!("<time>{}</time> – <time>{}</time>", esc(a), esc(b)),
        (Some(a), None) | (None, Some(a)) => format!("<time>{}</time>", esc(a)),
        (None, None) => "تاريخ غير معروف".to_string(),
    }
}

fn outlets_html(outlets: &[String]) -> String {
    outlets
        .iter()
        .take(8)
        .map(|o| format!("<span class=\"outlet\">{}</span>", esc(o)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn story_title(s: &StoryRecord) -> String {
    s.title.clone().unwrap_or_else(|| format!("قصة {}", s.id))
}

pub(crate) async fn home(
    State(app): State<App>,
    q: Result<Query<api::Page>, QueryRejection>,
) -> PageResult {
    let Query(p) = q.map_err(|e| fail(ApiError::query(e)))?;
    let (limit, offset) = (p.limit(30), p.offset());
    let (counts, stories) = read(&app, move |s| {
        let stories = s.stories_page(limit, offset)?;
        let mut out = Vec::with_capacity(stories.len());
        for st in stories {
            let ents = s.story_entities(st.id, 5)?;
            out.push((st, ents));
        }
        Ok((s.counts()?, out))
    })
    .await
    .map_err(fail)?;
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1>أحدث القصص</h1><p class=\"stats\">{} وثيقة · {} نسخة مكررة · {} قصة</p><ol class=\"stories\">",
        counts.docs, counts.duplicates, counts.stories
    );
    for (s, ents) in &stories {
        let _ = write!(
            b,
            "<li class=\"story\"><h2>{}</h2><p class=\"meta\">{} · <span class=\"size\">{} وثيقة</span> · {}</p><p class=\"ents\">{}</p></li>",
            link(&format!("/stories/{}", s.id), &story_title(s)),
            date_range(s.first_seen.as_deref(), s.last_seen.as_deref()),
            s.size,
            outlets_html(&s.outlets),
            ents.iter().map(entity_chip).collect::<Vec<_>>().join(" ")
        );
    }
    b.push_str("</ol>");
    if stories.is_empty() {
        b.push_str("<p class=\"empty\">لا قصص بعد. أدخل وثائق بالأمر <code>rasd ingest</code>.</p>");
    }
    b.push_str(&pager("/?", offset, limit, stories.len()));
    Ok(ok("القصص", "", &b))
}

/// Previous / next links; `base` ends with `?` or `&`.
fn pager(base: &str, offset: usize, limit: usize, shown: usize) -> String {
    let mut out = String::from("<nav class=\"pager\">");
    if offset > 0 {
        let _ = write!(
            out,
            "<a rel=\"prev\" href=\"{}\">→ السابق</a> ",
            esc(&format!(
                "{base}offset={}&limit={limit}",
                offset.saturating_sub(limit)
            ))
        );
    }
    if shown >= limit {
        let _ = write!(
            out,
            "<a rel=\"next\" href=\"{}\">التالي ←</a>",
            esc(&format!("{base}offset={}&limit={limit}", offset + limit))
        );
    }
    out.push_str("</nav>");
    out
}

fn parse_story_id(id: &str) -> Result<u64, ApiError> {
    id.parse::<u64>().map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("story id {id:?} is not a number"),
        )
    })
}

/// How many documents a story page lists.
const STORY_DOCS_SHOWN: usize = 300;

pub(crate) async fn story(State(app): State<App>, Path(id): Path<String>) -> PageResult {
    let n = parse_story_id(&id).map_err(fail)?;
    let found = read(&app, move |s| {
        let Some(story) = s.story(n)? else {
            return Ok(None);
        };
        let docs = s.story_docs(n)?;
        let ents = s.story_entities(n, 30)?;
        Ok(Some((story, docs, ents)))
    })
    .await
    .map_err(fail)?;
    let Some((s, docs, ents)) = found else {
        return Err(fail(ApiError::not_found(format!("story with id {n}"))));
    };
    let title = story_title(&s);
    let mut b = String::new();
    let _ = write!(
        b,
        "<article class=\"story-page\"><h1>{}</h1><p class=\"meta\">{} · <span class=\"size\">{} وثيقة</span> · {}</p>",
        esc(&title),
        date_range(s.first_seen.as_deref(), s.last_seen.as_deref()),
        s.size,
        outlets_html(&s.outlets)
    );
    if let Some(rep) = s
        .rep_doc
        .as_deref()
        .and_then(|r| docs.iter().find(|d| d.id == r))
    {
        let text: String = rep.article.body.chars().take(1200).collect();
        let more = rep.article.body.chars().count() > 1200;
        let _ = write!(
            b,
            "<section class=\"rep\"><h2>النص الممثل</h2><p class=\"src\">{} · {}</p><div class=\"text\">{}{}</div><p>{}</p></section>",
            esc(rep.article.outlet.as_deref().unwrap_or("مصدر غير معروف")),
            esc(rep.article.published.as_deref().map(day).unwrap_or("")),
            esc(&text),
            if more { "…" } else { "" },
            link(&format!("/docs/{}", pct(&rep.id)), "النص الكامل")
        );
    }
    if !ents.is_empty() {
        let _ = write!(
            b,
            "<section><h2>الكيانات</h2><p class=\"ents\">{}</p></section>",
            ents.iter().map(entity_chip).collect::<Vec<_>>().join(" ")
        );
    }
    let dates = story_dates(&docs);
    if !dates.is_empty() {
        b.push_str("<section><h2>التواريخ المذكورة</h2><ul class=\"dates\">");
        for (value, n, example) in dates.iter().take(12) {
            let _ = write!(
                b,
                "<li><time datetime=\"{}\">{}</time> <small>«{}» · {} مرة</small></li>",
                esc(value),
                esc(value),
                esc(example),
                n
            );
        }
        b.push_str("</ul></section>");
    }
    b.push_str(&timeline(&docs));
    b.push_str("</article>");
    Ok(ok(&title, "", &b))
}

/// Normalized dates the story's original documents mention: `(value, times, as written)`,
/// most mentioned first.
fn story_dates(docs: &[DocRecord]) -> Vec<(String, usize, String)> {
    let mut by: HashMap<&str, (usize, &str)> = HashMap::new();
    for d in docs.iter().filter(|d| d.duplicate_of.is_none()) {
        for t in &d.dates {
            if !matches!(t.kind, TimexType::Date | TimexType::Time) {
                continue;
            }
            if let Some(v) = t.value.as_deref() {
                let e = by.entry(v).or_insert((0, t.text.as_str()));
                e.0 += 1;
            }
        }
    }
    let mut v: Vec<(String, usize, String)> = by
        .into_iter()
        .map(|(k, (n, ex))| (k.to_string(), n, ex.to_string()))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// The story's documents in time order; copies folded under the document they copy,
/// with what differs.
fn timeline(docs: &[DocRecord]) -> String {
    let mut copies: HashMap<&str, Vec<&DocRecord>> = HashMap::new();
    for d in docs {
        if let Some(c) = d.duplicate_of.as_deref() {
            copies.entry(c).or_default().push(d);
        }
    }
    let originals: Vec<&DocRecord> = docs
        .iter()
        .filter(|d| {
            d.duplicate_of
                .as_deref()
                .is_none_or(|c| !docs.iter().any(|o| o.id == c))
        })
        .collect();
    let mut b = String::from("<section><h2>الخط الزمني</h2><ol class=\"timeline\">");
    for d in originals.iter().take(STORY_DOCS_SHOWN) {
        let _ = write!(
            b,
            "<li><time>{}</time> <span class=\"outlet\">{}</span> {}",
            esc(d.article.published.as_deref().map(day).unwrap_or("؟")),
            esc(d.article.outlet.as_deref().unwrap_or("")),
            link(
                &format!("/docs/{}", pct(&d.id)),
                d.article.title.as_deref().unwrap_or("(بلا عنوان)")
            )
        );
        if let Some(cs) = copies.get(d.id.as_str()) {
            let _ = write!(
                b,
                "<details class=\"copies\"><summary>{} نسخة مكررة</summary><ul>",
                cs.len()
            );
            for c in cs {
                let kind = match c.duplicate_kind.as_deref() {
                    Some("exact") => "مطابقة",
                    Some("near") => "شبه مطابقة",
                    Some("contained_in") => "مقتطعة",
                    _ => "نسخة",
                };
                let _ = write!(
                    b,
                    "<li>{} <span class=\"outlet\">{}</span> <small>{}{}</small>{}",
                    link(
                        &format!("/docs/{}", pct(&c.id)),
                        c.article.title.as_deref().unwrap_or("(بلا عنوان)")
                    ),
                    esc(c.article.outlet.as_deref().unwrap_or("")),
                    kind,
                    c.similarity
                        .map(|s| format!(" · تشابه {:.0}٪", s * 100.0))
                        .unwrap_or_default(),
                    if c.edited {
                        " <strong class=\"edited\">عُدّلت وقائع</strong>"
                    } else {
                        ""
                    }
                );
                if !c.differences.is_empty() {
                    b.push_str("<ul class=\"diffs\">");
                    for diff in c.differences.iter().take(20) {
                        let _ = write!(b, "<li>{}</li>", esc(diff));
                    }
                    b.push_str("</ul>");
                }
                b.push_str("</li>");
            }
            b.push_str("</ul></details>");
        }
        b.push_str("</li>");
    }
    b.push_str("</ol>");
    if originals.len() > STORY_DOCS_SHOWN {
        let _ = write!(
            b,
            "<p class=\"more\">و{} وثيقة أخرى.</p>",
            originals.len() - STORY_DOCS_SHOWN
        );
    }
    b.push_str("</section>");
    b
}

/// A highlighted span of the body: byte range and the HTML that opens and closes it.
struct Mark {
    start: usize,
    end: usize,
    open: String,
    close: &'static str,
}

/// The body with entity mentions and dates highlighted. Offsets are into the article's
/// `annotated_text` (title, blank line, body); a span whose text is not found at its offset
/// is left out rather than highlighted in the wrong place.
pub(crate) fn highlighted_body(d: &DocRecord) -> String {
    let body = d.article.body.as_str();
    let base = d.article.body_offset();
    let mut marks: Vec<Mark> = Vec::new();
    let place = |start: usize, end: usize, text: &str| -> Option<(usize, usize)> {
        let (s, e) = (start.checked_sub(base)?, end.checked_sub(base)?);
        (body.get(s..e)? == text).then_some((s, e))
    };
    for m in &d.entities {
        if let Some((s, e)) = place(m.start, m.end, &m.text) {
            marks.push(Mark {
                start: s,
                end: e,
                open: format!(
                    "<a class=\"ent ent-{}\" href=\"/entities/{}\" title=\"{} · {}\">",
                    type_class(m.kind),
                    esc(&pct(&m.canonical)),
                    esc(&m.name),
                    esc(type_label(m.kind))
                ),
                close: "</a>",
            });
        }
    }
    for t in &d.dates {
        if let Some((s, e)) = place(t.start, t.end, &t.text) {
            let v = t.value.as_deref().unwrap_or("");
            marks.push(Mark {
                start: s,
                end: e,
                open: format!(
                    "<time class=\"timex\" datetime=\"{}\" title=\"{}\">",
                    esc(v),
                    esc(if v.is_empty() {
                        "تاريخ نسبي"
                    } else {
                        v
                    })
                ),
                close: "</time>",
            });
        }
    }
    marks.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out = String::with_capacity(body.len() + marks.len() * 80);
    let mut pos = 0;
    for m in marks {
        if m.start < pos {
            continue; // overlaps the previous span
        }
        out.push_str(&esc(body.get(pos..m.start).unwrap_or("")));
        out.push_str(&m.open);
        out.push_str(&esc(body.get(m.start..m.end).unwrap_or("")));
        out.push_str(m.close);
        pos = m.end;
    }
    out.push_str(&esc(body.get(pos..).unwrap_or("")));
    out
}

pub(crate) async fn doc(State(app): State<App>, Path(id): Path<String>) -> PageResult {
    let key = id.clone();
    let d = read(&app, move |s| s.doc(&key))
        .await
        .map_err(fail)?
        .ok_or_else(|| fail(ApiError::not_found(format!("document with id {id:?}"))))?;
    let title = d
        .article
        .title
        .clone()
        .unwrap_or_else(|| "(بلا عنوان)".to_string());
    let a = &d.article;
    let mut b = String::new();
    let _ = write!(
        b,
        "<article class=\"doc-page\"><h1>{}</h1><dl class=\"meta\">",
        esc(&title)
    );
    let mut row = |k: &str, v: String| {
        let _ = write!(b, "<dt>{}</dt><dd>{}</dd>", esc(k), v);
    };
    row(
        "التاريخ",
        a.published
            .as_deref()
            .map(|p| format!("<time>{}</time>", esc(p)))
            .unwrap_or_else(|| "غير مذكور".into()),
    );
    if let Some(e) = &d.date_estimate {
        row(
            "تاريخ مقدّر",
            format!(
                "<span class=\"estimate\">{} (بين {} و{}، ثقة {:.0}٪)</span>",
                esc(&e.date),
                esc(&e.earliest),
                esc(&e.latest),
                e.confidence * 100.0
            ),
        );
    }
    if let Some(o) = &a.outlet {
        row("المصدر", esc(o));
    }
    if let Some(o) = &a.original_source {
        row("المصدر الأصلي", esc(o));
    }
    if let Some(o) = &a.author {
        row("الكاتب", esc(o));
    }
    if let Some(u) = &a.url {
        row("الرابط", external(u));
    }
    if let Some(s) = d.story {
        row("القصة", link(&format!("/stories/{s}"), &format!("قصة {s}")));
    }
    if let Some(c) = &d.duplicate_of {
        row(
            "نسخة من",
            format!(
                "{} <small>{}{}</small>",
                link(&format!("/docs/{}", pct(c)), c),
                esc(d.duplicate_kind.as_deref().unwrap_or("")),
                d.similarity
                    .map(|s| format!(" · {:.0}٪", s * 100.0))
                    .unwrap_or_default()
            ),
        );
    }
    if !d.provenance.is_empty() {
        let steps: Vec<String> = d
            .provenance
            .iter()
            .map(|l| match &l.doc {
                Some(id) => link(&format!("/docs/{}", pct(id)), &l.outlet),
                None => esc(&l.outlet),
            })
            .collect();
        row("مصدر النص", steps.join(" ← "));
    }
    b.push_str("</dl>");
    if !d.differences.is_empty() {
        b.push_str("<section class=\"diffs\"><h2>ما يختلف عن الأصل</h2><ul>");
        for x in &d.differences {
            let _ = write!(b, "<li>{}</li>", esc(x));
        }
        b.push_str("</ul></section>");
    }
    let _ = write!(
        b,
        "<section><h2>النص</h2><p class=\"legend\"><span class=\"ent ent-per\">شخص</span> <span class=\"ent ent-org\">منظمة</span> <span class=\"ent ent-loc\">مكان</span> <span class=\"ent ent-misc\">أخرى</span> <span class=\"timex\">تاريخ</span></p><div class=\"text\" id=\"body\">{}</div></section>",
        highlighted_body(&d)
    );
    if !d.syndicated.is_empty() {
        b.push_str("<section class=\"syndicated\"><h2>فقرات منشورة أيضا في منافذ أخرى</h2><ul>");
        for l in &d.syndicated {
            let _ = write!(
                b,
                "<li>الفقرة {}: {} <small>{}</small></li>",
                l.paragraph + 1,
                link(&format!("/docs/{}", pct(&l.doc)), &l.doc),
                esc(l.outlet.as_deref().unwrap_or(""))
            );
        }
        b.push_str("</ul></section>");
    }
    if !a.removed.is_empty() {
        let _ = write!(
            b,
            "<details class=\"removed\"><summary>ما حُذف من الصفحة ({} مقطع)</summary><ul>",
            a.removed.len()
        );
        for r in &a.removed {
            let _ = write!(
                b,
                "<li><span class=\"kind\">{}</span> <del>{}</del></li>",
                esc(&r.kind),
                esc(&r.text)
            );
        }
        b.push_str("</ul></details>");
    }
    if !a.evidence.is_empty() {
        b.push_str("<details class=\"evidence\"><summary>من أين جاءت البيانات</summary><table><tr><th>الحقل</th><th>القيمة</th><th>الدليل</th></tr>");
        for e in &a.evidence {
            let _ = write!(
                b,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&e.field),
                esc(&e.value),
                esc(&e.from)
            );
        }
        b.push_str("</table></details>");
    }
    let _ = write!(
        b,
        "<p class=\"raw\"><a href=\"/api/docs/{}\">JSON</a></p></article>",
        esc(&pct(&d.id))
    );
    Ok(ok(&title, "", &b))
}

pub(crate) async fn search(
    State(app): State<App>,
    q: Result<Query<SearchParams>, QueryRejection>,
) -> PageResult {
    let Query(p) = q.map_err(|e| fail(ApiError::query(e)))?;
    let req = p
        .request()
        .map_err(|e| fail(ApiError::new(StatusCode::BAD_REQUEST, e)))?;
    let query = req.q.clone();
    let mut b = String::new();
    b.push_str(&filter_form(&p));
    if query.trim().is_empty() {
        b.push_str("<p class=\"empty\">اكتب كلمات البحث في المربع أعلاه.</p>");
        return Ok(ok("بحث", "", &b));
    }
    let r = req.clone();
    let result: SearchPage = read(&app, move |s| s.search_page(&r)).await.map_err(fail)?;
    let _ = write!(
        b,
        "<p class=\"stats\" id=\"total\">{}{} نتيجة</p><div class=\"results-wrap\"><aside class=\"facets\">{}</aside><ol class=\"results\">",
        if result.total_exact { "" } else { "أكثر من " },
        result.total,
        facets_html(&p, &result)
    );
    for h in &result.hits {
        let _ = write!(
            b,
            "<li class=\"hit\"><h2>{}</h2><p class=\"meta\">{} <span class=\"outlet\">{}</span>{}</p><p class=\"snippet\">{}</p></li>",
            link(
                &format!("/docs/{}", pct(&h.id)),
                h.title.as_deref().unwrap_or("(بلا عنوان)")
            ),
            esc(h.published.as_deref().map(day).unwrap_or("")),
            esc(h.outlet.as_deref().unwrap_or("")),
            h.story
                .map(|s| format!(" · {}", link(&format!("/stories/{s}"), &format!("قصة {s}"))))
                .unwrap_or_default(),
            // Built by the store: escaped text with <mark> around matches.
            h.snippet
        );
    }
    b.push_str("</ol></div>");
    if result.hits.is_empty() {
        b.push_str("<p class=\"empty\">لا نتائج.</p>");
    }
    let base = format!("/search?{}&", search_query_string(&p, None));
    b.push_str(&pager(
        &base,
        result.offset,
        result.limit,
        result.hits.len(),
    ));
    Ok(ok(&format!("بحث: {query}"), &query, &b))
}

/// The query string of a search, with one filter replaced (`Some((name, value))`, an empty
/// value removes it); pagination is left out.
fn search_query_string(p: &SearchParams, replace: Option<(&str, &str)>) -> String {
    let fields: [(&str, &Option<String>); 7] = [
        ("q", &p.q),
        ("from", &p.from),
        ("to", &p.to),
        ("outlet", &p.outlet),
        ("entity", &p.entity),
        ("story", &p.story),
        ("all", &p.all),
    ];
    let mut parts = Vec::new();
    for (k, v) in fields {
        let v = match replace {
            Some((rk, rv)) if rk == k => Some(rv),
            _ => v.as_deref(),
        };
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", pct(v)));
        }
    }
    parts.join("&")
}

fn filter_form(p: &SearchParams) -> String {
    let v = |o: &Option<String>| esc(o.as_deref().unwrap_or(""));
    format!(
        "<form class=\"filters\" action=\"/search\" method=\"get\"><input type=\"hidden\" name=\"q\" value=\"{}\">\
         <label>من <input type=\"date\" name=\"from\" value=\"{}\"></label> \
         <label>إلى <input type=\"date\" name=\"to\" value=\"{}\"></label> \
         <label>المصدر <input name=\"outlet\" value=\"{}\"></label> \
         <input type=\"hidden\" name=\"entity\" value=\"{}\"><input type=\"hidden\" name=\"story\" value=\"{}\">\
         <label><input type=\"checkbox\" name=\"all\" value=\"1\"{}> مع النسخ المكررة</label> \
         <button type=\"submit\">تصفية</button></form>",
        v(&p.q),
        v(&p.from),
        v(&p.to),
        v(&p.outlet),
        v(&p.entity),
        v(&p.story),
        if p.all.is_some() { " checked" } else { "" }
    )
}

fn facets_html(p: &SearchParams, r: &SearchPage) -> String {
    let mut b = String::new();
    let mut group = |title: &str, name: &str, items: Vec<(String, String, u64)>| {
        if items.is_empty() {
            return;
        }
        let _ = write!(
            b,
            "<h3>{}</h3><ul class=\"facet\" data-facet=\"{}\">",
            esc(title),
            esc(name)
        );
        for (value, label, n) in items {
            let href = format!("/search?{}", search_query_string(p, Some((name, &value))));
            let _ = write!(
                b,
                "<li><a href=\"{}\">{}</a> <small>{}</small></li>",
                esc(&href),
                esc(&label),
                n
            );
        }
        b.push_str("</ul>");
    };
    let f = &r.facets;
    group(
        "المصادر",
        "outlet",
        f.outlets
            .iter()
            .map(|c| (c.value.clone(), c.value.clone(), c.count))
            .collect(),
    );
    group(
        "الكيانات",
        "entity",
        f.entities
            .iter()
            .map(|c| {
                let label = c.label.clone().unwrap_or_else(|| c.value.clone());
                (c.value.clone(), label, c.count)
            })
            .collect(),
    );
    // Months: a link sets the from/to range of the month.
    let months: Vec<String> = f
        .months
        .iter()
        .map(|c| {
            let q = search_query_string(p, None);
            let href = format!(
                "/search?{q}&from={}-01&to={}-31",
                pct(&c.value),
                pct(&c.value)
            );
            format!(
                "<li><a href=\"{}\">{}</a> <small>{}</small></li>",
                esc(&href),
                esc(&c.value),
                c.count
            )
        })
        .collect();
    if !months.is_empty() {
        let _ = write!(
            b,
            "<h3>الأشهر</h3><ul class=\"facet\" data-facet=\"month\">{}</ul>",
            months.join("")
        );
    }
    let active: Vec<String> = [
        ("outlet", &p.outlet),
        ("entity", &p.entity),
        ("story", &p.story),
        ("from", &p.from),
        ("to", &p.to),
    ]
    .iter()
    .filter(|(_, v)| v.as_deref().is_some_and(|v| !v.is_empty()))
    .map(|(k, v)| {
        let href = format!("/search?{}", search_query_string(p, Some((k, ""))));
        format!(
            "<a class=\"chip active\" href=\"{}\">✕ {}</a>",
            esc(&href),
            esc(v.as_deref().unwrap_or(""))
        )
    })
    .collect();
    if active.is_empty() {
        b
    } else {
        format!("<p class=\"active-filters\">{}</p>{b}", active.join(" "))
    }
}

pub(crate) async fn entities(
    State(app): State<App>,
    q: Result<Query<EntityParams>, QueryRejection>,
) -> PageResult {
    let Query(p) = q.map_err(|e| fail(ApiError::query(e)))?;
    let eq = api::entity_query(&p).map_err(fail)?;
    let list = read(&app, move |s| s.entities(&eq)).await.map_err(fail)?;
    let mut b = String::from("<h1>الكيانات</h1><p class=\"types\"><a href=\"/entities\">الكل</a>");
    for t in [
        EntityType::Per,
        EntityType::Org,
        EntityType::Loc,
        EntityType::Misc,
    ] {
        let _ = write!(
            b,
            " · <a href=\"/entities?type={}\">{}</a>",
            t.as_str(),
            type_label(t)
        );
    }
    b.push_str("</p><table class=\"entities\"><tr><th>الاسم</th><th>النوع</th><th>الإشارات</th><th>الوثائق</th><th>القصص</th><th>الفترة</th></tr>");
    for e in &list {
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            link(&format!("/entities/{}", pct(&e.entity.id)), &e.entity.name),
            type_label(e.entity.kind),
            e.mentions,
            e.docs,
            e.stories,
            date_range(e.first_seen.as_deref(), e.last_seen.as_deref())
        );
    }
    b.push_str("</table>");
    let base = match &p.kind {
        Some(t) => format!("/entities?type={}&", pct(t)),
        None => "/entities?".to_string(),
    };
    b.push_str(&pager(&base, eq.offset, eq.limit, list.len()));
    Ok(ok("الكيانات", "", &b))
}

pub(crate) async fn entity(State(app): State<App>, Path(id): Path<String>) -> PageResult {
    let key = id.clone();
    let found = read(&app, move |s| {
        let Some(d) = s.entity(&key)? else {
            return Ok(None);
        };
        let mut stories = Vec::new();
        for (sid, n) in d.stories.iter().take(20) {
            if let Some(st) = s.story(*sid)? {
                stories.push((st.id, story_title(&st), st.first_seen, st.last_seen, *n));
            }
        }
        let mut docs = Vec::new();
        for did in d.docs.iter().take(30) {
            if let Some(doc) = s.doc(did)? {
                docs.push((
                    doc.id,
                    doc.article.title,
                    doc.article.published,
                    doc.article.outlet,
                ));
            }
        }
        Ok(Some((d, stories, docs)))
    })
    .await
    .map_err(fail)?;
    let Some((d, stories, docs)) = found else {
        return Err(fail(ApiError::not_found(format!("entity with id {id:?}"))));
    };
    let e = &d.summary;
    let mut b = String::new();
    let _ = write!(
        b,
        "<article class=\"entity-page\"><h1>{} <small class=\"chip ent-{}\">{}</small></h1><p class=\"meta\">{} إشارة في {} وثيقة و{} قصة · {}</p>",
        esc(&e.entity.name),
        type_class(e.entity.kind),
        type_label(e.entity.kind),
        e.mentions,
        e.docs,
        e.stories,
        date_range(e.first_seen.as_deref(), e.last_seen.as_deref())
    );
    if !e.entity.aliases.is_empty() {
        let _ = write!(
            b,
            "<section><h2>أسماء أخرى</h2><p class=\"aliases\">{}</p></section>",
            e.entity
                .aliases
                .iter()
                .map(|a| format!("<span class=\"alias\">{}</span>", esc(a)))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    if let (Some(lat), Some(lon)) = (e.entity.lat, e.entity.lon) {
        let _ = write!(b, "<p class=\"geo\" dir=\"ltr\">{lat:.4}, {lon:.4}</p>");
    }
    let _ = write!(
        b,
        "<section><h2>الإشارات عبر الزمن</h2>{}</section>",
        chart(&d.by_day)
    );
    b.push_str("<section><h2>القصص</h2><ol class=\"stories\">");
    for (sid, title, first, last, n) in &stories {
        let _ = write!(
            b,
            "<li>{} <small>{} · {} إشارة</small></li>",
            link(&format!("/stories/{sid}"), title),
            date_range(first.as_deref(), last.as_deref()),
            n
        );
    }
    b.push_str("</ol></section><section><h2>الوثائق</h2><ol class=\"docs\">");
    for (did, title, published, outlet) in &docs {
        let _ = write!(
            b,
            "<li><time>{}</time> <span class=\"outlet\">{}</span> {}</li>",
            esc(published.as_deref().map(day).unwrap_or("")),
            esc(outlet.as_deref().unwrap_or("")),
            link(
                &format!("/docs/{}", pct(did)),
                title.as_deref().unwrap_or("(بلا عنوان)")
            )
        );
    }
    let _ = write!(
        b,
        "</ol></section><p><a href=\"/search?q={}&amp;entity={}\">ابحث في وثائقه</a></p></article>",
        esc(&pct(&e.entity.name)),
        esc(&pct(&e.entity.id))
    );
    Ok(ok(&e.entity.name, "", &b))
}

/// A small bar chart (inline SVG) of mentions over time: per day, or per month when the
/// days span more than about four months.
pub(crate) fn chart(by_day: &[(String, u64)]) -> String {
    if by_day.is_empty() {
        return "<p class=\"empty\">لا تواريخ معروفة.</p>".to_string();
    }
    let span = match (by_day.first(), by_day.last()) {
        (Some(a), Some(b)) => rasd_store::day_number(&b.0)
            .zip(rasd_store::day_number(&a.0))
            .map(|(b, a)| b - a)
            .unwrap_or(0),
        _ => 0,
    };
    let bars: Vec<(String, u64)> = if span > 120 || by_day.len() > 60 {
        let mut months: Vec<(String, u64)> = Vec::new();
        for (d, n) in by_day {
            let m = d.get(..7).unwrap_or(d).to_string();
            match months.last_mut() {
                Some(last) if last.0 == m => last.1 += n,
                _ => months.push((m, *n)),
            }
        }
        months
    } else {
        by_day.to_vec()
    };
    let max = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let (w, h, gap) = (14usize, 80usize, 3usize);
    let width = bars.len() * (w + gap) + gap;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"الإشارات عبر الزمن\" viewBox=\"0 0 {width} {}\" width=\"{width}\" height=\"{}\" dir=\"ltr\">",
        h + 4,
        h + 4
    );
    for (i, (label, n)) in bars.iter().enumerate() {
        let bh = ((*n as f64 / max as f64) * h as f64).round().max(1.0) as usize;
        let x = gap + i * (w + gap);
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{bh}\"><title>{}: {}</title></rect>",
            h + 2 - bh,
            esc(label),
            n
        );
    }
    svg.push_str("</svg>");
    let first = bars.first().map(|b| b.0.as_str()).unwrap_or("");
    let last = bars.last().map(|b| b.0.as_str()).unwrap_or("");
    format!(
        "<figure class=\"chart-box\">{svg}<figcaption>{} – {} · الأعلى {max}</figcaption></figure>",
        esc(first),
        esc(last)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_types::{Article, EntityMention, MentionKind, TimeExpression};

    fn doc_with(title: Option<&str>, body: &str) -> DocRecord {
        DocRecord::new(
            "00000000000000aa",
            Article {
                title: title.map(str::to_string),
                body: body.to_string(),
                ..Default::default()
            },
            "2026-01-01T00:00:00Z",
        )
    }

    fn mention(text: &str, start: usize) -> EntityMention {
        EntityMention {
            text: text.into(),
            start,
            end: start + text.len(),
            kind: EntityType::Loc,
            mention: MentionKind::Name,
            canonical: "loc:x/\"y".into(),
            name: "موسكو".into(),
        }
    }

    #[test]
    fn highlights_land_on_their_text_or_not_at_all() {
        let title = "عنوان";
        let body = "زار الوزير موسكو أمس <b>";
        let base = title.len() + 2;
        let at = base + body.find("موسكو").unwrap();
        let mut d = doc_with(Some(title), body);
        d.entities = vec![
            mention("موسكو", at),
            mention("موسكو", at + 2), // inside a letter: skipped
            mention("موسكو", 10_000), // past the end: skipped
            mention("الوزير", at),    // text differs at the offset: skipped
        ];
        let ds = base + body.find("أمس").unwrap();
        d.dates = vec![TimeExpression {
            text: "أمس".into(),
            start: ds,
            end: ds + "أمس".len(),
            kind: TimexType::Date,
            value: None,
            granularity: "day".into(),
            anchor: None,
            anchor_kind: Default::default(),
        }];
        let h = highlighted_body(&d);
        assert_eq!(
            h,
            "زار الوزير <a class=\"ent ent-loc\" href=\"/entities/loc%3Ax%2F%22y\" title=\"موسكو · مكان\">موسكو</a> \
             <time class=\"timex\" datetime=\"\" title=\"تاريخ نسبي\">أمس</time> &lt;b&gt;"
        );
    }

    #[test]
    fn overlapping_spans_keep_the_first_and_untitled_docs_use_body_offsets() {
        let body = "الولايات المتحدة الأمريكية";
        let mut d = doc_with(None, body);
        d.entities = vec![
            mention("الولايات المتحدة الأمريكية", 0),
            mention("المتحدة", body.find("المتحدة").unwrap()),
        ];
        let h = highlighted_body(&d);
        assert_eq!(h.matches("<a ").count(), 1, "{h}");
        assert!(h.contains(">الولايات المتحدة الأمريكية</a>"), "{h}");
    }

    #[test]
    fn chart_draws_days_or_months_and_survives_odd_input() {
        assert!(chart(&[]).contains("لا تواريخ"));
        let days = vec![("2017-06-10".to_string(), 3), ("2017-06-12".to_string(), 1)];
        let c = chart(&days);
        assert_eq!(c.matches("<rect").count(), 2);
        assert!(c.contains("<title>2017-06-10: 3</title>"));
        let long = vec![
            ("2016-01-01".to_string(), 1),
            ("2016-01-20".to_string(), 2),
            ("2017-06-12".to_string(), 4),
        ];
        let c = chart(&long);
        assert_eq!(c.matches("<rect").count(), 2, "grouped by month: {c}");
        assert!(c.contains("<title>2016-01: 3</title>"));
        let odd = vec![("<x>".to_string(), 0), ("?".to_string(), u64::MAX)];
        let c = chart(&odd);
        assert!(c.contains("&lt;x&gt;") && !c.contains("<x>"));
    }

    #[test]
    fn search_links_keep_filters_and_encode_values() {
        let p = SearchParams {
            q: Some("سوريا & روسيا".into()),
            outlet: Some("وكالة \"أ\"".into()),
            ..Default::default()
        };
        assert_eq!(
            search_query_string(&p, None),
            format!("q={}&outlet={}", pct("سوريا & روسيا"), pct("وكالة \"أ\""))
        );
        let s = search_query_string(&p, Some(("outlet", "")));
        assert!(!s.contains("outlet"), "{s}");
        let s = search_query_string(&p, Some(("story", "7")));
        assert!(s.ends_with("&story=7"), "{s}");
    }
}
