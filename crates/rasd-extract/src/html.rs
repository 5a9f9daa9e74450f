//! HTML mode: metadata (JSON-LD, OpenGraph, meta, microdata, `<time>`, canonical,
//! URL dates) and main-content extraction in the readability tradition: boilerplate
//! marked by tag and class/id (weak names overridden by prose), paragraph scoring, the
//! best container widened to hold most of the page's prose, then block-level filters
//! (link lists with their headings, copyright lines, dangling labels) and the trailer
//! rules shared with text mode.

use rasd_types::{Article, Removed};
use serde_json::Value;

use crate::chrome::{is_date_line, is_photo_credit, is_reader_widget};
use crate::clean::{char_len, clean_paragraphs, cut, evidence, offer};
use crate::date::parse_arabic_date;
use crate::dom::{parse, DNode, Dom};
use crate::fold::{collapse_ws, non_ws_chars};
use crate::text::{finish, split_site_suffix};
use rustc_hash::FxHashMap;

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

// ---------------------------------------------------------------- boilerplate patterns

/// Elements never part of the main text ([`is_junk_tag`]).
#[cfg(test)]
const JUNK_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "iframe",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "svg",
    "button",
    "select",
    "textarea",
    "input",
    "template",
    "object",
    "embed",
    "canvas",
    "menu",
    "dialog",
    "head",
    "link",
    "meta",
    "figcaption",
    // Ruby annotations (reading aids over CJK text): the base text is the text.
    "rt",
    "rp",
];
/// Junk tags whose text is worth showing as removed boilerplate ([`is_visible_junk`]).
#[cfg(test)]
const VISIBLE_JUNK: &[&str] = &[
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "menu",
    "figcaption",
];

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
    "kommentar",
    "kommentare",
    "commentaire",
    "commentaires",
    "comentario",
    "comentarios",
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
    "author",
    "bio",
    "byline",
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

/// class/id say boilerplate. Per class token: it is boilerplate when its last
/// segment is (`article-share`, `post-tags`) or when it has a boilerplate segment
/// and no content segment (`share-enabled`); it is content when it has a content
/// segment and does not end in a boilerplate one (`post-content`). Content wins.
#[cfg(test)]
fn negative_name(n: &DNode) -> bool {
    negative_strength(n) > 0
}

/// class/id segments whose boilerplate verdict a wrapper of prose overrides: page builders
/// and ad systems put them on the article's own sections (`elementor-widget-wrap`,
/// `TestReport__Section--Ads`, `tag-politics`).
const WEAK_NEGATIVE: &[&str] = &[
    "widget",
    "widgets",
    "ad",
    "ads",
    "advert",
    "advertisement",
    "adsense",
    "banner",
    "promo",
    "sponsor",
    "sponsored",
    "tags",
    "tag",
    "more",
    "latest",
    "side",
];

/// What one class/id token says: [`CONTENT`] (the element is content whatever its other
/// tokens say), or 0 (nothing), 1 (weak boilerplate) or 2 (strong boilerplate).
const CONTENT: i8 = -1;

/// `s` in ASCII lower case, copied only when it has upper-case letters.
fn lower_ascii(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(s.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The verdict of one class/id token (see [`Pre::strength`]).
fn token_verdict(token: &str) -> i8 {
    // Segments are runs of ASCII letters and digits, compared in lower case.
    let lower = lower_ascii(token);
    let (mut last_neg, mut any_neg, mut any_pos, mut strong) = (false, false, false, false);
    for s in lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        // `author` boxes are boilerplate, an `authority` is not.
        let neg = word_match(s, NEGATIVE) && !s.starts_with("authorit");
        last_neg = neg;
        any_neg |= neg;
        any_pos |= word_match(s, POSITIVE);
        strong |= neg && !WEAK_NEGATIVE.contains(&s);
    }
    if any_pos && !last_neg {
        return CONTENT;
    }
    if last_neg || (any_neg && !any_pos) {
        return if strong { 2 } else { 1 };
    }
    0
}

/// 0: not boilerplate by name; 1: weak (see [`WEAK_NEGATIVE`]); 2: strong (as [`Pre::strength`]
/// gives it, without its caches).
///
/// Per class token: it is boilerplate when its last segment is (`article-share`, `post-tags`)
/// or when it has a boilerplate segment and no content segment (`share-enabled`); it is
/// content when it has a content segment and does not end in a boilerplate one
/// (`post-content`). Content wins.
#[cfg(test)]
fn negative_strength(n: &DNode) -> u8 {
    let (class, id) = (n.attr("class").unwrap_or(""), n.attr("id").unwrap_or(""));
    let mut neg = 0u8;
    for token in class.split_whitespace().chain(id.split_whitespace()) {
        match token_verdict(token) {
            CONTENT => return 0,
            v => neg = neg.max(v.unsigned_abs()),
        }
    }
    neg
}

/// Work done once per parsed page and shared by the passes over it: class/id verdicts (pages
/// repeat the same class tokens on many elements) and the visible characters of text nodes.
struct Pre<'d> {
    /// Verdict per distinct class/id token.
    tokens: FxHashMap<&'d str, i8>,
    /// [`Pre::strength`] per node, `u8::MAX` until asked.
    strength: Vec<u8>,
    /// Non-whitespace characters of each text node, `usize::MAX` until asked.
    chars: Vec<usize>,
}

impl<'d> Pre<'d> {
    fn new(dom: &Dom) -> Self {
        Pre {
            tokens: FxHashMap::default(),
            strength: vec![u8::MAX; dom.nodes.len()],
            chars: vec![usize::MAX; dom.nodes.len()],
        }
    }

    /// Non-whitespace characters of text node `i`, counted once (scripts and styles, junk
    /// from the start, are never counted).
    fn text_chars(&mut self, dom: &Dom, i: usize) -> usize {
        match self.chars.get(i).copied() {
            Some(usize::MAX) => {
                let n = dom.nodes.get(i).map_or(0, |n| non_ws_chars(&n.text));
                if let Some(slot) = self.chars.get_mut(i) {
                    *slot = n;
                }
                n
            }
            Some(n) => n,
            None => 0,
        }
    }

    /// How strongly node `i`'s class/id names say boilerplate: 0 not, 1 weak (see
    /// [`WEAK_NEGATIVE`]), 2 strong. Per class token: it is boilerplate when its last segment
    /// is (`article-share`, `post-tags`) or when it has a boilerplate segment and no content
    /// segment (`share-enabled`); it is content when it has a content segment and does not end
    /// in a boilerplate one (`post-content`). Content wins. Computed once per node.
    fn strength(&mut self, dom: &'d Dom, i: usize) -> u8 {
        if let Some(&v) = self.strength.get(i).filter(|&&v| v != u8::MAX) {
            return v;
        }
        let Some(n) = dom.nodes.get(i) else { return 0 };
        let tokens = &mut self.tokens;
        let class = n.attr("class").unwrap_or("");
        let id = n.attr("id").unwrap_or("");
        let mut v = 0u8;
        if !(class.is_empty() && id.is_empty()) {
            for token in class.split_whitespace().chain(id.split_whitespace()) {
                let t = *tokens.entry(token).or_insert_with(|| token_verdict(token));
                if t == CONTENT {
                    v = 0;
                    break;
                }
                v = v.max(t.unsigned_abs());
            }
        }
        if let Some(slot) = self.strength.get_mut(i) {
            *slot = v;
        }
        v
    }
}

fn hidden(n: &DNode) -> bool {
    n.attr("hidden").is_some()
        || n.attr("aria-hidden") == Some("true")
        || n.attr("style").is_some_and(|s| {
            contains_squeezed(s, b"display:none") || contains_squeezed(s, b"visibility:hidden")
        })
}

/// Whether `hay` with its spaces taken out and in ASCII lower case contains `needle` (lower
/// case, no spaces): `display: none` and `DISPLAY:NONE` both hold `display:none`.
fn contains_squeezed(hay: &str, needle: &[u8]) -> bool {
    let h = hay.as_bytes();
    let Some(&first) = needle.first() else {
        return true;
    };
    (0..h.len()).any(|start| {
        if h.get(start).map(u8::to_ascii_lowercase) != Some(first) {
            return false;
        }
        let mut rest = needle.iter();
        for &b in h.get(start..).unwrap_or(&[]) {
            if b == b' ' {
                continue;
            }
            match rest.next() {
                None => return true,
                Some(&want) if b.to_ascii_lowercase() == want => {}
                Some(_) => return false,
            }
        }
        rest.next().is_none()
    })
}

/// Block-level elements ([`is_block`]).
#[cfg(test)]
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

/// `is_block(tag)`, as one `match`.
fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "table"
            | "tr"
            | "figure"
            | "figcaption"
            | "br"
            | "hr"
            | "address"
            | "center"
            | "body"
            | "html"
            | "#document"
    )
}

/// `is_junk_tag(tag)`, as one `match`.
fn is_junk_tag(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "iframe"
            | "nav"
            | "header"
            | "footer"
            | "aside"
            | "form"
            | "svg"
            | "button"
            | "select"
            | "textarea"
            | "input"
            | "template"
            | "object"
            | "embed"
            | "canvas"
            | "menu"
            | "dialog"
            | "head"
            | "link"
            | "meta"
            | "figcaption"
            | "rt"
            | "rp"
    )
}

/// `is_visible_junk(tag)`, as one `match`.
fn is_visible_junk(tag: &str) -> bool {
    matches!(
        tag,
        "nav" | "header" | "footer" | "aside" | "form" | "menu" | "figcaption"
    )
}

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

fn json_ld(dom: &Dom) -> JsonLd {
    let mut out = JsonLd::default();
    let scripts = dom.nodes.iter().filter(|n| {
        n.tag == "script"
            && n.attr("type")
                .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"))
    });
    for s in scripts {
        let raw: String = dom
            .children_of(s)
            .iter()
            .filter_map(|&c| dom.nodes.get(c))
            .map(|c| c.text.as_ref())
            .collect();
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
        if spaced || is_block(n.tag) {
            out.push(' ');
        }
        stack.extend(dom.children_of(n).iter().rev());
    }
    collapse_ws(&out)
}

fn set_date(a: &mut Article, field: &str, raw: &str, from: &str) {
    if let Some(d) = parse_arabic_date(raw) {
        offer(a, field, &d, from);
    }
}

/// Whether a class/id token names a date (`post-date`, `itemPostDate`, `h-time`, `datum`) and
/// not a modification date (`updated`, `date-modified`).
fn date_name(names: &str) -> bool {
    let mut dated = false;
    if names.is_empty() {
        return false;
    }
    let lower = lower_ascii(names);
    for seg in lower.split(|c: char| !c.is_ascii_alphanumeric()) {
        if seg.contains("update") || seg.contains("modif") || seg.contains("change") {
            return false;
        }
        if seg.ends_with("date") || seg == "time" || seg.ends_with("datum") || seg == "dateline" {
            dated = true;
        }
    }
    dated
}

/// The first full date written as the whole text of an element named as a date (or a `<time>`
/// without `datetime`), outside navigation, sidebars and footers: `<span class="post-date">am
/// 25.08.2015</span>`, `<time>31.03.2020</time>`. One leading label word is allowed. Dates in
/// prose, dates without a year, and relative dates are not read.
fn visible_date<'d>(dom: &'d Dom, pre: &mut Pre<'d>) -> Option<String> {
    let mut skip = vec![false; dom.nodes.len()];
    for (i, n) in dom.nodes.iter().enumerate() {
        let inherited = n.parent.and_then(|p| skip.get(p).copied()).unwrap_or(false);
        // The site's own header (not an article's) shows today's date, not the story's.
        let site_header = n.tag == "header" && !has_ancestor(dom, i, "article");
        let own = matches!(
            n.tag,
            "aside" | "nav" | "footer" | "script" | "style" | "head" | "form" | "select" | "li"
        ) || site_header;
        if let Some(slot) = skip.get_mut(i) {
            *slot = inherited || own;
        }
        if *skip.get(i).unwrap_or(&true) || n.is_text() {
            continue;
        }
        let named = n.tag == "time"
            || date_name(n.attr("class").unwrap_or(""))
            || date_name(n.attr("id").unwrap_or(""));
        // A date put together from several boxes (`<div id=day>`, `<div id=month>`) is a
        // calendar widget; a stated date is one run of text.
        let boxed = dom.children_of(n).iter().any(|&c| {
            dom.nodes
                .get(c)
                .is_some_and(|k| !k.is_text() && is_block(k.tag) && k.tag != "br")
        });
        if !named || boxed {
            continue;
        }
        // Inside (or itself) an element named as boilerplate (`date-widget`, `related-posts`).
        let mut cur = Some(i);
        let mut boilerplate = false;
        while let Some(j) = cur {
            let Some(x) = dom.nodes.get(j) else { break };
            if pre.strength(dom, j) > 0 {
                boilerplate = true;
                break;
            }
            cur = x.parent;
        }
        if boilerplate {
            continue;
        }
        let text = subtree_text(dom, i, &|_| false);
        if text.is_empty() || char_len(&text) > 60 {
            continue;
        }
        let parsed = parse_arabic_date(&text).or_else(|| {
            let (_, rest) = text.split_once(' ')?;
            parse_arabic_date(rest)
        });
        if parsed.is_some() {
            return parsed;
        }
    }
    None
}

fn collect_metadata<'d>(dom: &'d Dom, a: &mut Article, pre: &mut Pre<'d>) -> Option<String> {
    let ld = json_ld(dom);
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
    // Microdata and microformats: `itemprop=datePublished` on any element, `<abbr
    // class=published title=…>`, a `published`/`entry-date`/`post-date` element's text.
    for (idx, n) in dom.nodes.iter().enumerate() {
        if a.published.is_some() {
            break;
        }
        if n.is_text() || n.tag == "meta" {
            continue;
        }
        let itemprop = [n.attr("itemprop"), n.attr("property")]
            .into_iter()
            .flatten()
            .any(|p| {
                let p = p.trim();
                let p = p.strip_prefix("schema:").unwrap_or(p);
                p.eq_ignore_ascii_case("datePublished") || p.eq_ignore_ascii_case("dateCreated")
            });
        let class_hint = n.attr("class").is_some_and(|c| {
            c.split_whitespace().any(|t| {
                matches!(
                    t.to_ascii_lowercase().as_str(),
                    "published"
                        | "entry-date"
                        | "post-date"
                        | "date-published"
                        | "publish-date"
                        | "article-date"
                        | "pubdate"
                        | "post-published"
                )
            })
        });
        if !itemprop && !class_hint {
            continue;
        }
        let from = if itemprop {
            "itemprop datePublished"
        } else {
            "date class"
        };
        let stated = n
            .attr("content")
            .or_else(|| n.attr("datetime"))
            .or_else(|| n.attr("title"))
            .map(str::to_string)
            .unwrap_or_else(|| subtree_text(dom, idx, &|_| false));
        if char_len(&stated) <= 80 {
            set_date(a, "published", &stated, from);
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
    if a.published.is_none() {
        if let Some(d) = visible_date(dom, pre) {
            offer(a, "published", &d, "date element text");
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

/// Every node after its descendants: the arena holds parents before their children (a node
/// is added under an element already there), so the reverse of the arena order will do.
fn post_order(dom: &Dom) -> std::iter::Rev<std::ops::Range<usize>> {
    (0..dom.nodes.len()).rev()
}

fn stats(dom: &Dom, junk: &[bool], pre: &mut Pre) -> Stats {
    let len = dom.nodes.len();
    let mut text = vec![0usize; len];
    let mut link = vec![0usize; len];
    for i in post_order(dom) {
        let Some(n) = dom.nodes.get(i) else { continue };
        if junk.get(i).copied().unwrap_or(false) {
            continue;
        }
        if n.is_text() {
            text[i] = pre.text_chars(dom, i);
            continue;
        }
        let (mut t, mut l) = (0, 0);
        for &c in dom.children_of(n) {
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
///
/// With `names` false, class/id names are not read (the retry for pages whose content sits
/// entirely in containers named like boilerplate: a forum's `comment` posts).
fn mark_junk<'d>(dom: &'d Dom, a: &mut Article, names: bool, pre: &mut Pre<'d>) -> Vec<bool> {
    let len = dom.nodes.len();
    let mut junk = vec![false; len];
    // Pass 1: junk by tag that never holds visible text (scripts, styles, hidden nodes), to
    // measure paragraph text for the guard below.
    for (i, n) in dom.nodes.iter().enumerate() {
        let tag = n.tag;
        if is_junk_tag(tag) && !is_visible_junk(tag) || hidden(n) {
            junk[i] = true;
        }
    }
    let tag_stats = stats(dom, &propagate(dom, &junk), pre);
    let mut ptext = vec![0usize; len];
    for i in post_order(dom) {
        let Some(n) = dom.nodes.get(i) else { continue };
        let own = if n.tag == "p" {
            tag_stats.text.get(i).copied().unwrap_or(0)
        } else {
            0
        };
        let kids: usize = dom
            .children_of(n)
            .iter()
            .map(|&c| ptext.get(c).copied().unwrap_or(0))
            .sum();
        ptext[i] = if n.tag == "p" { own } else { kids };
    }
    let total_p = ptext.first().copied().unwrap_or(0).max(1);
    // A container holding most of the page's paragraph text is the article's wrapper whatever
    // its tag or name says (ASP.NET `<form>` around the page, a `<header>` left open, a theme's
    // `sidebar-right` wrapper).
    // On a page with next to no `<p>` text (forum posts and listings in `<div>`s and `<br>`s),
    // the same holds of the visible text.
    let total_text = tag_stats.text.first().copied().unwrap_or(0).max(1);
    let few_paragraphs = total_p < 400;
    let holds_article = |i: usize| {
        let p = ptext.get(i).copied().unwrap_or(0);
        let ld = link_density(&tag_stats, i);
        (p * 2 > total_p && (p >= 400 || ld < 0.3))
            || (few_paragraphs
                && tag_stats.text.get(i).copied().unwrap_or(0) * 2 > total_text
                && ld < 0.3)
    };
    // Containers of form controls (comment forms, search boxes): their names are read even
    // on the retry without names.
    let mut control = vec![false; len];
    for i in post_order(dom) {
        let Some(n) = dom.nodes.get(i) else { continue };
        let own = matches!(n.tag, "input" | "textarea" | "select" | "button");
        let kids = dom
            .children_of(n)
            .iter()
            .any(|&c| control.get(c).copied().unwrap_or(false));
        if let Some(slot) = control.get_mut(i) {
            *slot = own || kids;
        }
    }
    // Pass 2: junk by tag (navigation, header, footer, aside, form) and by class/id.
    for (i, n) in dom.nodes.iter().enumerate() {
        if n.is_text() || junk[i] || matches!(n.tag, "html" | "body" | "article" | "main") {
            continue;
        }
        // The `<header>` of an `<article>` holding prose is its lead, not the site's header.
        let lead = n.tag == "header"
            && (ptext.get(i).copied().unwrap_or(0) >= 80
                || (tag_stats.text.get(i).copied().unwrap_or(0) >= 100
                    && link_density(&tag_stats, i) < 0.15))
            && has_ancestor(dom, i, "article");
        // A caption of several sentences (a gallery's text) is prose, not a photo credit.
        let long_caption = n.tag == "figcaption"
            && tag_stats.text.get(i).copied().unwrap_or(0) >= 150
            && link_density(&tag_stats, i) < 0.2;
        let by_tag = is_visible_junk(n.tag) && !lead && !long_caption;
        let by_name = if by_tag || !(names || control.get(i).copied().unwrap_or(false)) {
            0
        } else {
            pre.strength(dom, i)
        };
        let prose = || {
            let p = ptext.get(i).copied().unwrap_or(0);
            p >= 150 && link_density(&tag_stats, i) < 0.25
        };
        if (by_tag || by_name == 2 || (by_name == 1 && !prose())) && !holds_article(i) {
            junk[i] = true;
        }
    }
    // A heading whose section went as boilerplate (`Mehr zum Thema` over a junked list, `Related`
    // over a widget) goes with it: the next element after it is junk.
    for (i, n) in dom.nodes.iter().enumerate() {
        if !matches!(n.tag, "h2" | "h3" | "h4" | "h5" | "h6")
            || junk.get(i).copied().unwrap_or(true)
        {
            continue;
        }
        let Some(parent) = n.parent.and_then(|p| dom.nodes.get(p)) else {
            continue;
        };
        let next = dom
            .children_of(parent)
            .iter()
            .skip_while(|&&c| c != i)
            .skip(1)
            .find(|&&c| dom.nodes.get(c).is_some_and(|k| !k.is_text()));
        if next.is_some_and(|&c| junk.get(c).copied().unwrap_or(false) && !hidden_or_code(dom, c)) {
            if let Some(slot) = junk.get_mut(i) {
                *slot = true;
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
        let by_tag = is_junk_tag(n.tag);
        if by_tag && !is_visible_junk(n.tag) || hidden(n) {
            continue;
        }
        let skip = |j: usize| {
            dom.nodes
                .get(j)
                .is_some_and(|x| matches!(x.tag, "script" | "style" | "noscript"))
        };
        let t = subtree_text_sep(dom, i, &skip, true);
        if char_len(&t) > 20 {
            cut(a, "html_boilerplate", t);
        }
    }
    full
}

/// Whether node `i` is junk that never shows (a script, a style, a hidden element): a heading
/// before it still heads what follows.
fn hidden_or_code(dom: &Dom, i: usize) -> bool {
    dom.nodes
        .get(i)
        .is_none_or(|n| is_junk_tag(n.tag) && !is_visible_junk(n.tag) || hidden(n))
}

/// Whether an ancestor of `i` is a `tag` element.
fn has_ancestor(dom: &Dom, i: usize, tag: &str) -> bool {
    let mut cur = dom.nodes.get(i).and_then(|n| n.parent);
    while let Some(p) = cur {
        let Some(n) = dom.nodes.get(p) else { break };
        if n.tag == tag {
            return true;
        }
        cur = n.parent;
    }
    false
}

/// Junk flags pushed down to every descendant.
fn propagate(dom: &Dom, junk: &[bool]) -> Vec<bool> {
    // Parents come before their children in the arena: one pass in arena order.
    let mut out = junk.to_vec();
    for (i, n) in dom.nodes.iter().enumerate() {
        let inherited = n.parent.and_then(|p| out.get(p).copied()).unwrap_or(false);
        if inherited {
            if let Some(slot) = out.get_mut(i) {
                *slot = true;
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
    // Characters of prose paragraphs (not link lists) under each node.
    let mut good = vec![0usize; len];
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
        let para = match n.tag {
            "p" | "pre" | "td" | "blockquote" => true,
            "div" | "section" | "article" => !dom.children_of(n).iter().any(|&c| {
                dom.nodes
                    .get(c)
                    .is_some_and(|k| !k.is_text() && is_block(k.tag) && k.tag != "br")
            }),
            _ => false,
        };
        if !para {
            // Text written straight into a container beside its blocks (a post body of lines
            // between `<br>`s around an image `<div>`) is a paragraph of that container.
            if matches!(
                n.tag,
                "div" | "section" | "article" | "main" | "td" | "blockquote"
            ) {
                loose_text(dom, i, junk, st, &mut score, &mut is_cand, &mut good, &base);
            }
            continue;
        }
        let text_len = st.text.get(i).copied().unwrap_or(0);
        if text_len < 25 {
            continue;
        }
        if n.tag != "td" && link_density(st, i) < 0.3 {
            if let Some(g) = good.get_mut(i) {
                *g = text_len;
            }
        }
        let commas = count_commas(dom, i, junk) as f64;
        let s = 1.0 + commas + (text_len as f64 / 100.0).min(3.0);
        let mut anc = n.parent;
        for level in 0..3 {
            let Some(p) = anc else { break };
            if !is_cand[p] {
                is_cand[p] = true;
                score[p] += base(dom.nodes.get(p).map_or("", |x| x.tag));
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
    let top = promote(dom, top, top_score, &score, &is_cand);
    let top = widen(dom, top, good);
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
        .map(|n| dom.children_of(n))
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
            || (tl >= 100 && ld < 0.1 && !matches!(n.tag, "ul" | "ol" | "table") && {
                // A lead or intro in its own wrapper beside the story: prose ending a sentence.
                let t = subtree_text(dom, s, &|j| junk.get(j).copied().unwrap_or(false));
                let t = t.trim_end();
                t.ends_with(['.', '!', '؟', '?', '。', '"', '»', '”', '“'])
                    && t.split_whitespace().count() >= 15
            })
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

/// Commas (Latin and Arabic) in the visible text under `root`.
fn count_commas(dom: &Dom, root: usize, junk: &[bool]) -> usize {
    let mut n = 0;
    let mut stack = vec![root];
    while let Some(i) = stack.pop() {
        if junk.get(i).copied().unwrap_or(true) {
            continue;
        }
        let Some(node) = dom.nodes.get(i) else {
            continue;
        };
        if node.is_text() {
            n += node.text.matches([',', '،']).count();
        } else {
            stack.extend(dom.children_of(node).iter().copied());
        }
    }
    n
}

/// Score the text and inline elements directly inside container `i` (not in its blocks) as
/// one paragraph whose parent is `i`.
#[allow(clippy::too_many_arguments)]
fn loose_text(
    dom: &Dom,
    i: usize,
    junk: &[bool],
    st: &Stats,
    score: &mut [f64],
    is_cand: &mut [bool],
    good: &mut [usize],
    base: &dyn Fn(&str) -> f64,
) {
    let Some(n) = dom.nodes.get(i) else { return };
    let mut text_len = 0;
    let mut link_len = 0;
    let mut commas = 0usize;
    for &c in dom.children_of(n) {
        let Some(k) = dom.nodes.get(c) else { continue };
        if junk.get(c).copied().unwrap_or(true) || (!k.is_text() && is_block(k.tag)) {
            continue;
        }
        text_len += st.text.get(c).copied().unwrap_or(0);
        link_len += st.link.get(c).copied().unwrap_or(0);
        commas += count_commas(dom, c, junk);
    }
    if text_len < 25 || link_len * 10 > text_len * 3 {
        return;
    }
    if let Some(g) = good.get_mut(i) {
        *g += text_len;
    }
    let s = 1.0 + commas as f64 + (text_len as f64 / 100.0).min(3.0);
    let mut anc = Some(i);
    for level in 0..3 {
        let Some(p) = anc else { break };
        if let (Some(c), Some(sc)) = (is_cand.get_mut(p), score.get_mut(p)) {
            if !*c {
                *c = true;
                *sc += base(dom.nodes.get(p).map_or("", |x| x.tag));
            }
            *sc += s / [1.0, 2.0, 3.0][level];
        }
        anc = dom.nodes.get(p).and_then(|x| x.parent);
    }
}

/// Share of the page's prose that the chosen container must hold; below it, its ancestors are
/// taken until one does (the story is split over sections that scored apart).
const MAIN_SHARE: f64 = 0.7;

/// The nearest ancestor-or-self of `top` holding [`MAIN_SHARE`] of the prose characters of the
/// page (`good` per node, summed up the tree here), below `<body>`.
fn widen(dom: &Dom, mut top: usize, mut good: Vec<usize>) -> usize {
    // Parents come before their children in the arena.
    for i in (1..good.len()).rev() {
        let g = good.get(i).copied().unwrap_or(0);
        if let Some(p) = dom.nodes.get(i).and_then(|n| n.parent) {
            if let Some(slot) = good.get_mut(p) {
                *slot += g;
            }
        }
    }
    let total = good.first().copied().unwrap_or(0) as f64;
    while (good.get(top).copied().unwrap_or(0) as f64) < total * MAIN_SHARE {
        let Some(p) = dom.nodes.get(top).and_then(|n| n.parent) else {
            break;
        };
        if dom
            .nodes
            .get(p)
            .is_none_or(|n| matches!(n.tag, "body" | "html" | "#document"))
        {
            break;
        }
        top = p;
    }
    top
}

/// When the text is split over several containers of about the same score (sections of one
/// story, each with its own wrapper), the best one is only a part: the nearest ancestor of the
/// top candidate that also holds at least 3 of the 5 best other candidates (scoring at least
/// 3/4 of the top) is taken instead, as Mozilla's readability does.
fn promote(dom: &Dom, top: usize, top_score: f64, score: &[f64], is_cand: &[bool]) -> usize {
    let mut alts: Vec<(usize, f64)> = is_cand
        .iter()
        .enumerate()
        .filter(|&(i, &c)| c && i != top)
        .map(|(i, _)| (i, score.get(i).copied().unwrap_or(0.0)))
        .filter(|&(_, sc)| sc >= top_score * 0.75)
        .collect();
    if alts.len() < 3 {
        return only_child_climb(dom, top);
    }
    alts.sort_by(|x, y| y.1.total_cmp(&x.1));
    alts.truncate(5);
    // Ancestors of each alternative (up to the root).
    let chains: Vec<Vec<usize>> = alts
        .iter()
        .map(|&(i, _)| {
            let mut chain = Vec::new();
            let mut cur = dom.nodes.get(i).and_then(|n| n.parent);
            while let Some(p) = cur {
                chain.push(p);
                cur = dom.nodes.get(p).and_then(|n| n.parent);
            }
            chain
        })
        .collect();
    let mut anc = dom.nodes.get(top).and_then(|n| n.parent);
    while let Some(p) = anc {
        let node = dom.nodes.get(p);
        if node.is_some_and(|n| matches!(n.tag, "body" | "html" | "#document")) {
            break;
        }
        if chains.iter().filter(|c| c.contains(&p)).count() >= 3 {
            return only_child_climb(dom, p);
        }
        anc = node.and_then(|n| n.parent);
    }
    only_child_climb(dom, top)
}

/// While `top` is the only element in its parent, the parent (so that the siblings looked at
/// next are the wrappers of the neighbouring sections, not nothing).
fn only_child_climb(dom: &Dom, mut top: usize) -> usize {
    while let Some(p) = dom.nodes.get(top).and_then(|n| n.parent) {
        let Some(pn) = dom.nodes.get(p) else { break };
        if matches!(pn.tag, "body" | "html" | "#document") {
            break;
        }
        let only = dom.children_of(pn).iter().all(|&c| {
            c == top
                || dom
                    .nodes
                    .get(c)
                    .is_some_and(|k| k.is_text() && k.text.trim().is_empty())
        });
        if !only {
            break;
        }
        top = p;
    }
    top
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
                        if n.text.contains('\u{ad}') {
                            // Soft hyphens are invisible break hints, not text.
                            buf.extend(n.text.chars().filter(|&c| c != '\u{ad}'));
                        } else {
                            buf.push_str(&n.text);
                        }
                        if in_link > 0 {
                            link_buf += non_ws_chars(&n.text);
                        }
                        continue;
                    }
                    let tag = n.tag;
                    if is_block(tag) {
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
                    for &c in dom.children_of(n).iter().rev() {
                        stack.push(Step::Enter(c));
                    }
                }
                Step::Leave(i) => {
                    let Some(n) = dom.nodes.get(i) else { continue };
                    if n.tag == "a" {
                        in_link = in_link.saturating_sub(1);
                    }
                    if is_block(n.tag) {
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

/// The paragraphs of the chosen content: link lists (with their heading) and copyright
/// notices are set aside, returned as `(kind, text)` to record.
fn select_blocks(
    dom: &Dom,
    roots: &[usize],
    junk: &[bool],
) -> (Vec<String>, Vec<(&'static str, String)>) {
    let mut paras: Vec<String> = Vec::new();
    let mut removed = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    let flush = |dropped: &mut Vec<String>, removed: &mut Vec<(&'static str, String)>| {
        let t = dropped.join("\n");
        if char_len(&t) > 20 {
            removed.push(("link_list", t));
        }
        dropped.clear();
    };
    for b in blocks(dom, roots, junk) {
        let n = non_ws_chars(&b.text).max(1);
        let ld = b.link_chars as f64 / n as f64;
        if ld > 0.5 {
            // The heading of a link list (`Related articles`, `مقالات ذات صلة`) goes with it.
            if dropped.is_empty() && paras.last().is_some_and(|p| is_heading_like(p)) {
                if let Some(h) = paras.pop() {
                    dropped.push(h);
                }
            }
            dropped.push(b.text);
            continue;
        }
        if is_copyright(&b.text) {
            removed.push(("copyright", b.text));
            continue;
        }
        if !dropped.is_empty() {
            flush(&mut dropped, &mut removed);
        }
        paras.push(b.text);
    }
    flush(&mut dropped, &mut removed);
    (paras, removed)
}

/// A short line that does not end a sentence: a heading or a label.
fn is_heading_like(t: &str) -> bool {
    char_len(t) <= 50
        && !t.contains([',', '،'])
        && t.split_whitespace().count() <= 6
        && !t
            .trim_end()
            .ends_with(['.', '!', '?', '؟', '。', '"', '»', '”'])
}

/// A closing line that is part of the story though short: an agency tag or a signature in
/// brackets (`(dpa)`, `(وكالات)`), or a date/number line the trailer rules read.
fn is_sentence_end_label(t: &str) -> bool {
    let t = t.trim();
    (t.starts_with('(') && t.ends_with(')')) || t.chars().any(|c| c.is_numeric())
}

/// Phrases that ask the reader to subscribe, follow or download (lower case; several languages,
/// Arabic included).
const CALL_TO_ACTION: &[&str] = &[
    "subscribe",
    "subscription",
    "newsletter",
    "sign up",
    "follow us",
    "download our app",
    "abonnier",
    "abonnez",
    "abonnement",
    "folgen sie uns",
    "folge uns",
    "melde dich",
    "suscr",
    "síguenos",
    "siguenos",
    "únete",
    "descarga nuestra",
    "iscriviti",
    "seguici",
    "تابعونا",
    "اشترك",
    "للاشتراك",
    "حمل تطبيق",
    "حمّل تطبيق",
];

/// A short closing paragraph asking the reader to subscribe, follow or download.
fn is_call_to_action(t: &str) -> bool {
    if char_len(t) > 200 {
        return false;
    }
    let l = t.to_lowercase();
    CALL_TO_ACTION.iter().any(|w| l.contains(w))
}

/// A short copyright notice (`© 2020 …`, `Copyright …`, `جميع الحقوق محفوظة`).
fn is_copyright(t: &str) -> bool {
    let head: String = t.chars().take(12).collect::<String>().to_lowercase();
    char_len(t) < 200
        && (head.starts_with('©')
            || head.starts_with("(c) ")
            || head.starts_with("copyright")
            || t.contains("جميع الحقوق محفوظة")
            || t.to_lowercase().contains("all rights reserved"))
}

/// Below this many characters of main text, the extraction is tried again in other ways.
const RETRY_BELOW: usize = 250;

fn chars(p: &[String]) -> usize {
    p.iter().map(|x| char_len(x)).sum()
}

/// The main-content paragraphs of a parsed page (before the shared trailer rules), with what
/// was set aside recorded in `a.removed`.
fn main_text<'d>(dom: &'d Dom, a: &mut Article, names: bool, pre: &mut Pre<'d>) -> Vec<String> {
    let junk = mark_junk(dom, a, names, pre);
    let st = stats(dom, &junk, pre);
    let mut roots = choose_content(dom, &junk, &st);
    let body = dom.nodes.iter().position(|n| n.tag == "body").unwrap_or(0);
    let (mut paras, mut removed) = select_blocks(dom, &roots, &junk);
    // Next to nothing chosen while the page has prose elsewhere: the scoring went astray
    // (a widget outscored a story split into odd wrappers); take the whole body instead.
    if chars(&paras) < RETRY_BELOW && !roots.contains(&body) {
        let (all, all_removed) = select_blocks(dom, &[body], &junk);
        if chars(&all) > 2 * chars(&paras) + 200 {
            roots = vec![body];
            paras = all;
            removed = all_removed;
        }
    }
    // The lead or intro of the story in its own wrapper before the chosen content, inside the
    // same `<article>`/`<main>`: prose paragraphs (no links, sentences) are the story's.
    let lead = if roots.contains(&body) {
        Vec::new()
    } else {
        lead_paragraphs(dom, &roots, &junk)
    };
    if !lead.is_empty() {
        paras.splice(0..0, lead.iter().cloned());
    }
    // Text outside the chosen content (and not already recorded as junk) is dropped too.
    if !roots.contains(&body) {
        let mut outside = junk.clone();
        for &r in &roots {
            if let Some(slot) = outside.get_mut(r) {
                *slot = true;
            }
        }
        let outside = propagate(dom, &outside);
        for b in blocks(dom, &[body], &outside) {
            if char_len(&b.text) > 20 && !lead.contains(&b.text) {
                cut(a, "outside_content", b.text);
            }
        }
    }
    for (kind, text) in removed {
        cut(a, kind, text);
    }
    paras
}

/// Prose paragraphs before the first chosen root inside its nearest `<article>` or `<main>`
/// ancestor, or else its grandparent (a standfirst in the article's header, an intro in its
/// own box).
fn lead_paragraphs(dom: &Dom, roots: &[usize], junk: &[bool]) -> Vec<String> {
    let Some(&first) = roots.first() else {
        return Vec::new();
    };
    // The child of the container on the path to `first`, and the container.
    let mut child = first;
    let mut container = None;
    // Without an `<article>`/`<main>`, the container two levels up (the story's column).
    let mut fallback = None;
    let mut level = 0;
    let mut cur = dom.nodes.get(first).and_then(|n| n.parent);
    while let Some(p) = cur {
        let Some(n) = dom.nodes.get(p) else { break };
        if matches!(n.tag, "body" | "html" | "#document") {
            break;
        }
        if matches!(n.tag, "article" | "main") {
            container = Some((p, child));
            break;
        }
        level += 1;
        if level == 2 {
            fallback = Some((p, child));
        }
        child = p;
        cur = n.parent;
    }
    let Some((container, child)) = container.or(fallback) else {
        return Vec::new();
    };
    // Everything before the path from the container down to `first`, at every level, in
    // document order (outer levels first).
    let mut path = vec![first];
    let mut x = first;
    while x != child {
        let Some(p) = dom.nodes.get(x).and_then(|n| n.parent) else {
            return Vec::new();
        };
        x = p;
        path.push(x);
    }
    let mut before = Vec::new();
    let mut holder = container;
    for &node in path.iter().rev() {
        if let Some(h) = dom.nodes.get(holder) {
            before.extend(
                dom.children_of(h)
                    .iter()
                    .copied()
                    .take_while(|&c| c != node),
            );
        }
        holder = node;
    }
    if before.is_empty() {
        return Vec::new();
    }
    blocks(dom, &before, junk)
        .into_iter()
        .filter(|b| {
            let t = b.text.trim_end();
            b.link_chars == 0
                && t.split_whitespace().count() >= 12
                && t.ends_with(['.', '!', '؟', '?', '。', '"', '»', '”', '“'])
        })
        .map(|b| b.text)
        .collect()
}

/// The main text of the largest `<script type="text/template">` holding markup, with the
/// removals recorded so far (the first `keep` of `a.removed`) plus its own.
fn template_text(dom: &Dom, keep: usize, a: &Article) -> Option<(Vec<String>, Vec<Removed>)> {
    let tpl = dom
        .nodes
        .iter()
        .filter(|n| {
            n.tag == "script"
                && n.attr("type").is_some_and(|t| {
                    let t = t.trim();
                    t.eq_ignore_ascii_case("text/template")
                        || t.eq_ignore_ascii_case("text/x-template")
                })
        })
        .filter_map(|n| dom.children_of(n).first().and_then(|&c| dom.nodes.get(c)))
        .map(|t| t.text.as_ref())
        .filter(|t| t.contains("<p") || t.contains("<br") || t.contains("<div"))
        .max_by_key(|t| t.len())?;
    let inner = parse(tpl);
    let mut b = Article {
        removed: a.removed.get(..keep).unwrap_or(&[]).to_vec(),
        ..Article::default()
    };
    let mut pre = Pre::new(&inner);
    let paras = main_text(&inner, &mut b, true, &mut pre);
    Some((paras, b.removed))
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
    let dom = parse(html);
    let mut pre = Pre::new(&dom);
    let html_lang = collect_metadata(&dom, &mut a, &mut pre);
    if a.url.is_none() {
        a.url = url.map(str::to_string);
    }
    let removed_before = a.removed.len();
    let mut paras = main_text(&dom, &mut a, true, &mut pre);
    // Next to nothing left although the page has text: the whole content was named like
    // boilerplate (forum posts in `comment` containers, recipes in `widget` blocks). Read it
    // again without the class/id rules, and keep that when it finds clearly more.
    if chars(&paras) < RETRY_BELOW {
        let mut b = Article {
            removed: a.removed.get(..removed_before).unwrap_or(&[]).to_vec(),
            ..Article::default()
        };
        let again = main_text(&dom, &mut b, false, &mut pre);
        if chars(&again) > 2 * chars(&paras) + 200 {
            paras = again;
            a.removed = b.removed;
        }
    }
    // Still nothing: the story may be shipped as markup inside a `<script type=text/template>`
    // that the page's code renders (Blogger's dynamic views); extract that markup instead.
    if chars(&paras) < RETRY_BELOW {
        if let Some((tpl, tpl_removed)) = template_text(&dom, removed_before, &a) {
            if chars(&tpl) > 2 * chars(&paras) + 200 {
                paras = tpl;
                a.removed = tpl_removed;
            }
        }
    }
    let mut paras = clean_paragraphs(paras, &mut a);
    // Reader controls and stand-alone date stamps among the paragraphs (after the trailer rules,
    // which read a closing date line as the publication date; these are never read as dates).
    if paras.len() > 1 {
        let mut kept = Vec::with_capacity(paras.len());
        for (k, p) in paras.into_iter().enumerate() {
            if is_reader_widget(&p) {
                cut(&mut a, "reader_widget", p);
            } else if is_date_line(&p, k < 2) {
                cut(&mut a, "date_line", p);
            } else if is_photo_credit(&p) {
                cut(&mut a, "photo_credit", p);
            } else {
                kept.push(p);
            }
        }
        paras = kept;
    }
    // Calls to action closing the page (`Subscribe to our newsletter`, `Síguenos en Telegram`,
    // `Lust auf mehr? … Newsletter`), read from the end.
    while paras.len() > 1 && paras.last().is_some_and(|p| is_call_to_action(p)) {
        if let Some(p) = paras.pop() {
            cut(&mut a, "call_to_action", p);
        }
    }
    // Labels left dangling at the end (`Related:`, `Mehr Themen`, a heading whose list went),
    // after the trailer rules have read outlet, source and date lines.
    while paras.len() > 1
        && paras
            .last()
            .is_some_and(|p| is_heading_like(p) && !is_sentence_end_label(p))
    {
        if let Some(p) = paras.pop() {
            cut(&mut a, "dangling_label", p);
        }
    }
    finish(&mut a, paras, html_lang.as_deref());
    crate::url_date(&mut a);
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(class: &str) -> DNode<'_> {
        DNode {
            tag: "div",
            text: std::borrow::Cow::Borrowed(""),
            attrs: vec![("class", std::borrow::Cow::Borrowed(class))],
            first_kid: 0,
            n_kids: 0,
            parent: None,
        }
    }

    #[test]
    fn hidden_styles() {
        for (style, want) in [
            ("display:none", true),
            ("color: red; DISPLAY : NONE", true),
            ("visibility: hidden", true),
            ("display: n one", true),
            ("display:block", false),
            ("display:non", false),
            ("", false),
        ] {
            let squeezed = style.to_ascii_lowercase().replace(' ', "");
            let old = squeezed.contains("display:none") || squeezed.contains("visibility:hidden");
            assert_eq!(old, want, "{style}");
            let n = DNode {
                tag: "div",
                text: std::borrow::Cow::Borrowed(""),
                attrs: vec![("style", std::borrow::Cow::Borrowed(style))],
                first_kid: 0,
                n_kids: 0,
                parent: None,
            };
            assert_eq!(hidden(&n), want, "{style}");
        }
    }

    #[test]
    fn tag_matches_equal_the_lists() {
        let mut tags: Vec<&str> = BLOCK_TAGS.to_vec();
        tags.extend(JUNK_TAGS);
        tags.extend(["span", "a", "td", "img", "", "DIV", "navx"]);
        for t in tags {
            assert_eq!(is_block(t), BLOCK_TAGS.contains(&t), "{t}");
            assert_eq!(is_junk_tag(t), JUNK_TAGS.contains(&t), "{t}");
            assert_eq!(is_visible_junk(t), VISIBLE_JUNK.contains(&t), "{t}");
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
            ("author-bio", true),
            ("about-author", true),
            ("byline", true),
            ("kommentar-item", true),
            ("author-content", false),
            ("authority", false),
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
