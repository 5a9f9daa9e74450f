//! HTML mode: metadata (JSON-LD, OpenGraph, meta, `<time>`, canonical) and
//! main-content extraction in the readability tradition.

use rasd_types::Article;
use scraper::{Html, Node, Selector};
use serde_json::Value;

use crate::clean::{char_len, clean_paragraphs, cut, evidence, offer};
use crate::date::parse_arabic_date;
use crate::fold::collapse_ws;
use crate::text::{finish, split_site_suffix};

/// Whether decoded text is an HTML document rather than plain text.
///
/// ```
/// use rasd_extract::looks_like_html;
/// assert!(looks_like_html("<!DOCTYPE html><html><body><p>نص</p></body></html>"));
/// assert!(!looks_like_html("محادثات سرية\n\nكشف مسؤولون أن <b> ليست وسماً هنا."));
/// ```
pub fn looks_like_html(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    let head: String = t
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return true;
    }
    let tags = [
        "<html", "<head", "<body", "<meta ", "<title>", "<div", "<p>", "<p ", "<article", "<br",
    ];
    let hits = tags.iter().filter(|t| head.contains(*t)).count();
    (head.starts_with('<') && hits >= 1) || hits >= 3
}

// ---------------------------------------------------------------- arena

/// A flat copy of the DOM: easier to score and walk without recursion.
struct Dom {
    nodes: Vec<DNode>,
}

struct DNode {
    /// Lower-case tag name; empty for text nodes.
    tag: String,
    /// Text of a text node.
    text: String,
    attrs: Vec<(String, String)>,
    children: Vec<usize>,
    parent: Option<usize>,
}

impl DNode {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    fn is_text(&self) -> bool {
        self.tag.is_empty()
    }
}

fn build_dom(doc: &Html) -> Dom {
    let mut nodes: Vec<DNode> = Vec::new();
    let root = doc.tree.root();
    let mut stack = vec![(root, None::<usize>)];
    while let Some((node, parent)) = stack.pop() {
        let dn = match node.value() {
            Node::Element(e) => DNode {
                tag: e.name().to_ascii_lowercase(),
                text: String::new(),
                attrs: e
                    .attrs()
                    .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
                    .collect(),
                children: Vec::new(),
                parent,
            },
            Node::Text(t) => DNode {
                tag: String::new(),
                text: t.to_string(),
                attrs: Vec::new(),
                children: Vec::new(),
                parent,
            },
            Node::Document | Node::Fragment => DNode {
                tag: "#document".to_string(),
                text: String::new(),
                attrs: Vec::new(),
                children: Vec::new(),
                parent,
            },
            _ => continue,
        };
        let id = nodes.len();
        nodes.push(dn);
        if let Some(p) = parent.and_then(|p| nodes.get_mut(p)) {
            p.children.push(id);
        }
        let kids: Vec<_> = node.children().collect();
        for k in kids.into_iter().rev() {
            stack.push((k, Some(id)));
        }
    }
    Dom { nodes }
}

// ---------------------------------------------------------------- boilerplate patterns

/// Elements never part of the main text.
const JUNK_TAGS: &[&str] = &[
    "script", "style", "noscript", "iframe", "nav", "header", "footer", "aside", "form", "svg",
    "button", "select", "textarea", "input", "template", "object", "embed", "canvas", "menu",
    "dialog", "head", "link", "meta",
];
/// Junk tags whose text is worth showing as removed boilerplate.
const VISIBLE_JUNK: &[&str] = &["nav", "header", "footer", "aside", "form", "menu"];

/// class/id name segments that mark boilerplate.
const NEGATIVE: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "sidebar",
    "side",
    "related",
    "share",
    "sharing",
    "social",
    "comment",
    "comments",
    "cookie",
    "cookies",
    "breadcrumb",
    "breadcrumbs",
    "ticker",
    "widget",
    "widgets",
    "ad",
    "ads",
    "advert",
    "advertisement",
    "adsense",
    "banner",
    "newsletter",
    "subscribe",
    "tags",
    "tag",
    "popup",
    "modal",
    "promo",
    "sponsor",
    "sponsored",
    "outbrain",
    "taboola",
    "masthead",
    "topbar",
    "toolbar",
    "pagination",
    "pager",
    "more",
    "recommended",
    "trending",
    "popular",
    "latest",
    "login",
    "signup",
];
/// class/id segments that mark content (they protect an element from the negative list).
const POSITIVE: &[&str] = &[
    "article", "content", "main", "body", "entry", "post", "story", "text", "detail", "details",
    "blog",
];

/// `seg` is one of `words`, or starts/ends with one of 5+ letters (`relatedposts`, `sitefooter`).
fn word_match(seg: &str, words: &[&str]) -> bool {
    words
        .iter()
        .any(|w| seg == *w || (w.len() >= 5 && (seg.starts_with(w) || seg.ends_with(w))))
}

fn segments(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
}

/// class/id say boilerplate. Per class token: it is boilerplate when its last
/// segment is (`article-share`, `post-tags`) or when it has a boilerplate segment
/// and no content segment (`share-enabled`); it is content when it has a content
/// segment and does not end in a boilerplate one (`post-content`). Content wins.
fn negative_name(n: &DNode) -> bool {
    let names = format!(
        "{} {}",
        n.attr("class").unwrap_or(""),
        n.attr("id").unwrap_or("")
    );
    let mut neg = false;
    for token in names.split_whitespace() {
        let segs: Vec<String> = segments(token).collect();
        let is_neg = |s: &String| word_match(s, NEGATIVE);
        let is_pos = |s: &String| word_match(s, POSITIVE);
        let last_neg = segs.last().is_some_and(is_neg);
        let any_neg = segs.iter().any(is_neg);
        let any_pos = segs.iter().any(is_pos);
        if any_pos && !last_neg {
            return false;
        }
        if last_neg || (any_neg && !any_pos) {
            neg = true;
        }
    }
    neg
}

fn hidden(n: &DNode) -> bool {
    n.attr("hidden").is_some()
        || n.attr("aria-hidden") == Some("true")
        || n.attr("style").is_some_and(|s| {
            let s = s.to_ascii_lowercase().replace(' ', "");
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "figure",
    "figcaption",
    "br",
    "hr",
    "address",
    "center",
    "body",
    "html",
    "#document",
];

// ---------------------------------------------------------------- metadata

#[derive(Default)]
struct JsonLd {
    headline: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
}

fn str_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(collapse_ws(s)).filter(|s| !s.is_empty()),
        Value::Object(o) => o.get("name").and_then(str_of),
        Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(str_of).collect();
            (!names.is_empty()).then(|| names.join("، "))
        }
        _ => None,
    }
}

fn is_article_type(v: Option<&Value>) -> bool {
    let ok = |s: &str| {
        matches!(
            s,
            "NewsArticle"
                | "Article"
                | "ReportageNewsArticle"
                | "AnalysisNewsArticle"
                | "OpinionNewsArticle"
                | "BackgroundNewsArticle"
                | "BlogPosting"
                | "Report"
        )
    };
    match v {
        Some(Value::String(s)) => ok(s),
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str().is_some_and(ok)),
        _ => false,
    }
}

/// Find the first article object in a JSON-LD value (top level, arrays, `@graph`).
fn find_article(v: &Value, depth: usize) -> Option<&serde_json::Map<String, Value>> {
    if depth > 6 {
        return None;
    }
    match v {
        Value::Object(o) => {
            if is_article_type(o.get("@type")) {
                return Some(o);
            }
            o.get("@graph")
                .and_then(|g| find_article(g, depth + 1))
                .or_else(|| o.get("mainEntity").and_then(|g| find_article(g, depth + 1)))
        }
        Value::Array(a) => a.iter().find_map(|x| find_article(x, depth + 1)),
        _ => None,
    }
}

fn json_ld(doc: &Html) -> JsonLd {
    let mut out = JsonLd::default();
    let Ok(sel) = Selector::parse("script[type]") else {
        return out;
    };
    for s in doc.select(&sel) {
        let ty = s.attr("type").unwrap_or("").to_ascii_lowercase();
        if !ty.contains("ld+json") {
            continue;
        }
        let raw: String = s.text().collect();
        let Ok(v) = serde_json::from_str::<Value>(raw.trim()) else {
            continue;
        };
        let Some(o) = find_article(&v, 0) else {
            continue;
        };
        out.headline = o.get("headline").and_then(str_of);
        out.published = o.get("datePublished").and_then(str_of);
        out.modified = o.get("dateModified").and_then(str_of);
        out.author = o.get("author").and_then(str_of);
        out.publisher = o.get("publisher").and_then(str_of);
        out.url = o.get("url").and_then(str_of).or_else(|| {
            o.get("mainEntityOfPage")
                .and_then(|m| m.get("@id"))
                .and_then(str_of)
        });
        break;
    }
    out
}

/// `<meta>` values by lower-cased property/name/itemprop.
fn metas(dom: &Dom) -> Vec<(String, String)> {
    dom.nodes
        .iter()
        .filter(|n| n.tag == "meta")
        .filter_map(|n| {
            let key = n
                .attr("property")
                .or_else(|| n.attr("name"))
                .or_else(|| n.attr("itemprop"))?;
            let val = collapse_ws(n.attr("content")?);
            (!val.is_empty()).then(|| (key.trim().to_ascii_lowercase(), val))
        })
        .collect()
}

fn meta<'a>(m: &'a [(String, String)], keys: &[&str]) -> Option<(&'a str, &'a str)> {
    keys.iter().find_map(|k| {
        m.iter()
            .find(|(key, _)| key == k)
            .map(|(key, v)| (key.as_str(), v.as_str()))
    })
}

/// Text of a subtree, skipping nodes for which `skip` is true.
fn subtree_text(dom: &Dom, root: usize, skip: &dyn Fn(usize) -> bool) -> String {
    subtree_text_sep(dom, root, skip, false)
}

/// Text of a subtree; `spaced`: a space between all elements (for menus of links).
fn subtree_text_sep(dom: &Dom, root: usize, skip: &dyn Fn(usize) -> bool, spaced: bool) -> String {
    let mut out = String::new();
    let mut stack = vec![root];
    while let Some(i) = stack.pop() {
        let Some(n) = dom.nodes.get(i) else { continue };
        if i != root && skip(i) {
            continue;
        }
        if n.is_text() {
            out.push_str(&n.text);
            continue;
        }
        if spaced || BLOCK_TAGS.contains(&n.tag.as_str()) {
            out.push(' ');
        }
        stack.extend(n.children.iter().rev());
    }
    collapse_ws(&out)
}

fn set_date(a: &mut Article, field: &str, raw: &str, from: &str) {
    if let Some(d) = parse_arabic_date(raw) {
        offer(a, field, &d, from);
    }
}

fn collect_metadata(doc: &Html, dom: &Dom, a: &mut Article) -> Option<String> {
    let ld = json_ld(doc);
    let m = metas(dom);
    let find_tag = |tag: &str| dom.nodes.iter().position(|n| n.tag == tag);

    // Outlet first: it decides which title suffix to cut.
    if let Some((_, v)) = meta(&m, &["og:site_name"]) {
        offer(a, "outlet", v, "og:site_name");
    }
    if let Some(p) = &ld.publisher {
        offer(a, "outlet", p, "json-ld publisher.name");
    }
    if let Some((k, v)) = meta(&m, &["application-name", "twitter:site"]) {
        if !v.starts_with('@') {
            offer(a, "outlet", v, &format!("meta {k}"));
        }
    }

    // Title.
    let cut_known_site = |t: &str, a: &mut Article| -> String {
        if let Some(site) = a.outlet.clone() {
            for sep in [" | ", " - ", " – ", " — ", " :: ", " » "] {
                if let Some(head) = t.strip_suffix(&format!("{sep}{site}")) {
                    cut(a, "title_suffix", site.clone());
                    return head.trim().to_string();
                }
            }
        }
        t.to_string()
    };
    if let Some((_, v)) = meta(&m, &["og:title", "twitter:title"]) {
        let t = cut_known_site(v, a);
        offer(a, "title", &t, "og:title");
    }
    if let Some(h) = &ld.headline {
        offer(a, "title", h, "json-ld headline");
    }
    if let Some(i) = find_tag("h1") {
        let t = subtree_text(dom, i, &|_| false);
        if !t.is_empty() && char_len(&t) <= 300 {
            offer(a, "title", &t, "h1");
        }
    }
    if let Some(i) = find_tag("title") {
        let t = subtree_text(dom, i, &|_| false);
        if !t.is_empty() {
            let t2 = cut_known_site(&t, a);
            if t2 != t {
                offer(a, "title", &t2, "title element");
            } else if let Some((head, site)) = split_site_suffix(&t, false) {
                evidence(a, "outlet", &site, "title suffix");
                if a.outlet.is_none() {
                    a.outlet = Some(site.clone());
                }
                if a.title.is_none() {
                    cut(a, "title_suffix", site);
                }
                offer(a, "title", &head, "title element");
            } else {
                offer(a, "title", &t, "title element");
            }
        }
    }

    // Dates.
    if let Some(d) = &ld.published {
        set_date(a, "published", d, "json-ld datePublished");
    }
    if let Some(d) = &ld.modified {
        set_date(a, "modified", d, "json-ld dateModified");
    }
    for (k, v) in &m {
        match k.as_str() {
            "article:published_time" | "og:published_time" | "datepublished" => {
                set_date(a, "published", v, k)
            }
            "pubdate" | "publishdate" | "publish-date" | "publish_date" | "date"
            | "dc.date.issued" | "dc.date" | "dcterms.created" | "sailthru.date"
            | "parsely-pub-date" => set_date(a, "published", v, &format!("meta {k}")),
            "article:modified_time" | "og:updated_time" | "datemodified" | "last-modified" => {
                set_date(a, "modified", v, k)
            }
            _ => {}
        }
    }
    // <time> marked as the publication time, else any <time datetime>.
    let times: Vec<&DNode> = dom
        .nodes
        .iter()
        .filter(|n| n.tag == "time" && n.attr("datetime").is_some())
        .collect();
    let marked = times
        .iter()
        .find(|n| n.attr("pubdate").is_some() || n.attr("itemprop") == Some("datePublished"));
    if let Some(t) = marked.or(times.first()) {
        if let Some(dt) = t.attr("datetime") {
            set_date(a, "published", dt, "time datetime");
        }
    }

    // Author.
    if let Some(au) = &ld.author {
        offer(a, "author", au, "json-ld author.name");
    }
    if let Some((k, v)) = meta(&m, &["author", "article:author", "byl", "dc.creator"]) {
        if !v.starts_with("http") {
            offer(a, "author", v, &format!("meta {k}"));
        }
    }

    // URL.
    let canonical = dom.nodes.iter().find(|n| {
        n.tag == "link"
            && n.attr("rel").is_some_and(|r| {
                r.split_whitespace()
                    .any(|x| x.eq_ignore_ascii_case("canonical"))
            })
    });
    if let Some(href) = canonical.and_then(|n| n.attr("href")) {
        offer(a, "url", href.trim(), "link canonical");
    }
    if let Some((_, v)) = meta(&m, &["og:url"]) {
        offer(a, "url", v, "og:url");
    }
    if let Some(u) = &ld.url {
        offer(a, "url", u, "json-ld url");
    }

    dom.nodes
        .iter()
        .find(|n| n.tag == "html")
        .and_then(|n| n.attr("lang").or_else(|| n.attr("xml:lang")))
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
}

// ---------------------------------------------------------------- main content

struct Stats {
    /// Visible text characters (junk excluded).
    text: Vec<usize>,
    /// Characters inside links.
    link: Vec<usize>,
}

fn order_post(dom: &Dom, root: usize) -> Vec<usize> {
    let mut order = Vec::with_capacity(dom.nodes.len());
    let mut stack = vec![root];
    while let Some(i) = stack.pop() {
        order.push(i);
        if let Some(n) = dom.nodes.get(i) {
            stack.extend(n.children.iter().copied());
        }
    }
    order.reverse();
    order
}

fn stats(dom: &Dom, junk: &[bool], post: &[usize]) -> Stats {
    let len = dom.nodes.len();
    let mut text = vec![0usize; len];
    let mut link = vec![0usize; len];
    for &i in post {
        let Some(n) = dom.nodes.get(i) else { continue };
        if junk.get(i).copied().unwrap_or(false) {
            continue;
        }
        if n.is_text() {
            text[i] = n.text.chars().filter(|c| !c.is_whitespace()).count();
            continue;
        }
        let (mut t, mut l) = (0, 0);
        for &c in &n.children {
            t += text.get(c).copied().unwrap_or(0);
            l += link.get(c).copied().unwrap_or(0);
        }
        text[i] = t;
        link[i] = if n.tag == "a" { t } else { l };
    }
    Stats { text, link }
}

fn link_density(s: &Stats, i: usize) -> f64 {
    let t = s.text.get(i).copied().unwrap_or(0);
    if t == 0 {
        return 0.0;
    }
    s.link.get(i).copied().unwrap_or(0) as f64 / t as f64
}

/// Mark boilerplate nodes (and record visible ones in `removed`).
fn mark_junk(dom: &Dom, a: &mut Article) -> Vec<bool> {
    let len = dom.nodes.len();
    let mut junk = vec![false; len];
    // Pass 1: junk by tag, to measure paragraph text for the guard below.
    for (i, n) in dom.nodes.iter().enumerate() {
        if JUNK_TAGS.contains(&n.tag.as_str()) || hidden(n) {
            junk[i] = true;
        }
    }
    let post = order_post(dom, 0);
    let tag_stats = stats(dom, &propagate(dom, &junk), &post);
    let mut ptext = vec![0usize; len];
    for &i in &post {
        let Some(n) = dom.nodes.get(i) else { continue };
        let own = if n.tag == "p" {
            tag_stats.text.get(i).copied().unwrap_or(0)
        } else {
            0
        };
        let kids: usize = n
            .children
            .iter()
            .map(|&c| ptext.get(c).copied().unwrap_or(0))
            .sum();
        ptext[i] = if n.tag == "p" { own } else { kids };
    }
    let total_p = ptext.first().copied().unwrap_or(0).max(1);
    // Pass 2: junk by class/id, unless it holds most of the page's paragraph text.
    for (i, n) in dom.nodes.iter().enumerate() {
        if n.is_text() || junk[i] || matches!(n.tag.as_str(), "html" | "body" | "article" | "main")
        {
            continue;
        }
        if negative_name(n) {
            let holds_article = ptext.get(i).copied().unwrap_or(0) * 2 > total_p
                && link_density(&tag_stats, i) < 0.3;
            if !holds_article {
                junk[i] = true;
            }
        }
    }
    // Record the text of top-most visible junk.
    let full = propagate(dom, &junk);
    for (i, n) in dom.nodes.iter().enumerate() {
        if !junk[i]
            || n.parent
                .is_some_and(|p| full.get(p).copied().unwrap_or(false))
        {
            continue;
        }
        let by_tag = JUNK_TAGS.contains(&n.tag.as_str());
        if by_tag && !VISIBLE_JUNK.contains(&n.tag.as_str()) || hidden(n) {
            continue;
        }
        let skip = |j: usize| {
            dom.nodes
                .get(j)
                .is_some_and(|x| matches!(x.tag.as_str(), "script" | "style" | "noscript"))
        };
        let t = subtree_text_sep(dom, i, &skip, true);
        if char_len(&t) > 20 {
            cut(a, "html_boilerplate", t);
        }
    }
    full
}

/// Junk flags pushed down to every descendant.
fn propagate(dom: &Dom, junk: &[bool]) -> Vec<bool> {
    let mut out = junk.to_vec();
    let mut stack = vec![(0usize, false)];
    while let Some((i, inherited)) = stack.pop() {
        let j = inherited || junk.get(i).copied().unwrap_or(false);
        if let Some(slot) = out.get_mut(i) {
            *slot = j;
        }
        if let Some(n) = dom.nodes.get(i) {
            for &c in &n.children {
                stack.push((c, j));
            }
        }
    }
    out
}

/// Choose the main-content nodes (readability scoring), in document order.
fn choose_content(dom: &Dom, junk: &[bool], st: &Stats) -> Vec<usize> {
    let len = dom.nodes.len();
    let mut score = vec![0f64; len];
    let mut is_cand = vec![false; len];
    let base = |tag: &str| match tag {
        "div" | "article" | "section" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "address" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    };
    for (i, n) in dom.nodes.iter().enumerate() {
        if junk.get(i).copied().unwrap_or(true) || n.is_text() {
            continue;
        }
        let para = match n.tag.as_str() {
            "p" | "pre" | "td" | "blockquote" => true,
            "div" | "section" | "article" => !n.children.iter().any(|&c| {
                dom.nodes.get(c).is_some_and(|k| {
                    !k.is_text() && BLOCK_TAGS.contains(&k.tag.as_str()) && k.tag != "br"
                })
            }),
            _ => false,
        };
        if !para {
            continue;
        }
        let text_len = st.text.get(i).copied().unwrap_or(0);
        if text_len < 25 {
            continue;
        }
        let text = subtree_text(dom, i, &|j| junk.get(j).copied().unwrap_or(false));
        let commas = text.matches([',', '،']).count() as f64;
        let s = 1.0 + commas + (text_len as f64 / 100.0).min(3.0);
        let mut anc = n.parent;
        for level in 0..3 {
            let Some(p) = anc else { break };
            if !is_cand[p] {
                is_cand[p] = true;
                score[p] += base(dom.nodes.get(p).map_or("", |x| x.tag.as_str()));
            }
            score[p] += s / [1.0, 2.0, 3.0][level];
            anc = dom.nodes.get(p).and_then(|x| x.parent);
        }
    }
    let mut best: Option<(usize, f64)> = None;
    for i in 0..len {
        if !is_cand[i] {
            continue;
        }
        let f = score[i] * (1.0 - link_density(st, i));
        score[i] = f;
        if best.is_none_or(|(_, b)| f > b) {
            best = Some((i, f));
        }
    }
    let Some((top, top_score)) = best else {
        // Nothing scored: take the whole body.
        let body = dom.nodes.iter().position(|n| n.tag == "body").unwrap_or(0);
        return vec![body];
    };
    let Some(parent) = dom.nodes.get(top).and_then(|n| n.parent) else {
        return vec![top];
    };
    let threshold = (top_score * 0.2).max(10.0);
    let top_class = dom
        .nodes
        .get(top)
        .and_then(|n| n.attr("class"))
        .unwrap_or("");
    let mut out = Vec::new();
    for &s in dom
        .nodes
        .get(parent)
        .map(|n| n.children.as_slice())
        .unwrap_or(&[])
    {
        if s == top {
            out.push(s);
            continue;
        }
        let Some(n) = dom.nodes.get(s) else { continue };
        if n.is_text() || junk.get(s).copied().unwrap_or(true) {
            continue;
        }
        let mut sc = if is_cand[s] { score[s] } else { 0.0 };
        if !top_class.is_empty() && n.attr("class") == Some(top_class) {
            sc += top_score * 0.2;
        }
        let ld = link_density(st, s);
        let tl = st.text.get(s).copied().unwrap_or(0);
        let keep = sc >= threshold
            || (n.tag == "p" && tl > 80 && ld < 0.25)
            || (n.tag == "p" && tl > 0 && ld == 0.0 && {
                let t = subtree_text(dom, s, &|_| false);
                t.ends_with(['.', '!', '؟', '?'])
            });
        if keep {
            out.push(s);
        }
    }
    out
}

struct Block {
    text: String,
    link_chars: usize,
}

/// Walk the chosen nodes and cut their text into blocks at block-level elements and `<br>`.
fn blocks(dom: &Dom, roots: &[usize], junk: &[bool]) -> Vec<Block> {
    enum Step {
        Enter(usize),
        Leave(usize),
    }
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut link_buf = 0usize;
    let mut in_link = 0usize;
    let flush = |buf: &mut String, link: &mut usize, out: &mut Vec<Block>| {
        let t = collapse_ws(buf);
        if !t.is_empty() {
            out.push(Block {
                text: t,
                link_chars: *link,
            });
        }
        buf.clear();
        *link = 0;
    };
    for &root in roots {
        let mut stack = vec![Step::Enter(root)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Enter(i) => {
                    let Some(n) = dom.nodes.get(i) else { continue };
                    if junk.get(i).copied().unwrap_or(true) {
                        continue;
                    }
                    if n.is_text() {
                        buf.push_str(&n.text);
                        if in_link > 0 {
                            link_buf += n.text.chars().filter(|c| !c.is_whitespace()).count();
                        }
                        continue;
                    }
                    let tag = n.tag.as_str();
                    if BLOCK_TAGS.contains(&tag) {
                        flush(&mut buf, &mut link_buf, &mut out);
                    } else if matches!(tag, "td" | "th") {
                        buf.push_str(" | ");
                    } else if tag == "img" {
                        continue;
                    }
                    if tag == "a" {
                        in_link += 1;
                    }
                    stack.push(Step::Leave(i));
                    for &c in n.children.iter().rev() {
                        stack.push(Step::Enter(c));
                    }
                }
                Step::Leave(i) => {
                    let Some(n) = dom.nodes.get(i) else { continue };
                    if n.tag == "a" {
                        in_link = in_link.saturating_sub(1);
                    }
                    if BLOCK_TAGS.contains(&n.tag.as_str()) {
                        flush(&mut buf, &mut link_buf, &mut out);
                    }
                }
            }
        }
        flush(&mut buf, &mut link_buf, &mut out);
    }
    for b in &mut out {
        let t = b.text.trim_matches(|c: char| c == '|' || c.is_whitespace());
        if t.len() != b.text.len() {
            b.text = t.to_string();
        }
    }
    out.retain(|b| !b.text.is_empty());
    out
}

/// Extract the main text and metadata of an HTML document.
///
/// Metadata comes from JSON-LD, OpenGraph and other `<meta>` tags, `<time
/// datetime>`, `<link rel=canonical>` and `<html lang>`, each with its
/// evidence. The main content is the best-scoring container (text length and
/// commas per paragraph, less link density), with navigation, headers,
/// footers, sidebars, share/comment/related widgets and link lists dropped
/// and listed in `removed`. The paragraphs then go through the same trailer
/// rules as text mode.
///
/// ```
/// use rasd_extract::extract_html;
/// let html = r#"<html lang="ar"><head><title>محادثات سرية - عنب بلدي</title>
///   <meta property="og:site_name" content="عنب بلدي"></head>
///   <body><nav><a href="/">الرئيسية</a> <a href="/s">سياسة</a></nav>
///   <article><h1>محادثات سرية</h1>
///   <p>كشف مسؤولون أمريكيون عن محادثات سرية مع روسيا في عمان، بهدف إقامة منطقة لتخفيف التوتر في جنوب سوريا.</p>
///   <p>وقال مسؤول إن الجولة الثالثة تأجلت، دون أن يحدد موعداً جديداً لها.</p></article></body></html>"#;
/// let a = extract_html(html, None);
/// assert_eq!(a.title.as_deref(), Some("محادثات سرية"));
/// assert_eq!(a.outlet.as_deref(), Some("عنب بلدي"));
/// assert_eq!(a.paragraphs.len(), 2);
/// assert_eq!(a.lang.as_deref(), Some("ar"));
/// ```
pub fn extract_html(html: &str, url: Option<&str>) -> Article {
    let mut a = Article::default();
    let doc = Html::parse_document(html);
    let dom = build_dom(&doc);
    let html_lang = collect_metadata(&doc, &dom, &mut a);
    if a.url.is_none() {
        a.url = url.map(str::to_string);
    }
    let junk = mark_junk(&dom, &mut a);
    let post = order_post(&dom, 0);
    let st = stats(&dom, &junk, &post);
    let roots = choose_content(&dom, &junk, &st);
    // Text outside the chosen content (and not already recorded as junk) is dropped too.
    let mut outside = junk.clone();
    for &r in &roots {
        if let Some(slot) = outside.get_mut(r) {
            *slot = true;
        }
    }
    let body = dom.nodes.iter().position(|n| n.tag == "body").unwrap_or(0);
    if !roots.contains(&body) {
        let outside = propagate(&dom, &outside);
        for b in blocks(&dom, &[body], &outside) {
            if char_len(&b.text) > 20 {
                cut(&mut a, "outside_content", b.text);
            }
        }
    }
    let mut paras = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    for b in blocks(&dom, &roots, &junk) {
        let n = b.text.chars().filter(|c| !c.is_whitespace()).count().max(1);
        let ld = b.link_chars as f64 / n as f64;
        if ld > 0.5 {
            dropped.push(b.text);
            continue;
        }
        if !dropped.is_empty() {
            let t = dropped.join("\n");
            if char_len(&t) > 20 {
                cut(&mut a, "link_list", t);
            }
            dropped.clear();
        }
        paras.push(b.text);
    }
    let t = dropped.join("\n");
    if char_len(&t) > 20 {
        cut(&mut a, "link_list", t);
    }
    let paras = clean_paragraphs(paras, &mut a);
    finish(&mut a, paras, html_lang.as_deref());
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(class: &str) -> DNode {
        DNode {
            tag: "div".to_string(),
            text: String::new(),
            attrs: vec![("class".to_string(), class.to_string())],
            children: Vec::new(),
            parent: None,
        }
    }

    #[test]
    fn boilerplate_class_names() {
        let cases = [
            ("sidebar", true),
            ("related-posts", true),
            ("relatedPosts", true),
            ("article-share", true),
            ("post-tags", true),
            ("share-enabled", true),
            ("news-ticker", true),
            ("comments-area", true),
            ("ad-slot ad-300", true),
            ("site-footer", true),
            ("post-content", false),
            ("entry-content share-enabled", false),
            ("articleBody", false),
            ("header-image", false),
            ("inside", false),
            ("", false),
        ];
        for (class, want) in cases {
            assert_eq!(negative_name(&node(class)), want, "{class}");
        }
    }
}
