//! A fast, forgiving HTML parser into a flat arena, made for main-content extraction.
//!
//! It follows the HTML tokenizer where it matters for text (comments, raw-text elements such as
//! `<script>` and `<style>`, RCDATA `<title>`/`<textarea>`, quoted and unquoted attributes,
//! named and numeric character references) and a simplified tree builder: void elements, the
//! implied end tags of `p`, `li`, `dt`/`dd`, table rows and cells, headings and nested `a`,
//! end tags that close the nearest open element of their name within scope, an open `<head>`
//! closed by body content. Text and attribute values borrow from the input unless they hold
//! character references. No recursion anywhere; nothing panics on any input.

use std::borrow::Cow;

use crate::entities::ENTITIES;

/// The parsed document: `nodes[0]` is the document root.
pub(crate) struct Dom<'a> {
    pub(crate) nodes: Vec<DNode<'a>>,
    /// The children of every node, each node's in one run (see [`Dom::children_of`]): one
    /// array for the page instead of a vector per element.
    kids: Vec<usize>,
}

impl Dom<'_> {
    /// The children of `n` (a node of this document), in document order.
    pub(crate) fn children_of(&self, n: &DNode) -> &[usize] {
        let start = n.first_kid as usize;
        self.kids
            .get(start..start + n.n_kids as usize)
            .unwrap_or(&[])
    }
}

/// One element or text node.
pub(crate) struct DNode<'a> {
    /// Lower-case tag name (`#document` for the root); empty for text nodes.
    pub(crate) tag: &'a str,
    /// Text of a text node.
    pub(crate) text: Cow<'a, str>,
    /// Attributes, names in lower case.
    pub(crate) attrs: Vec<(&'a str, Cow<'a, str>)>,
    /// Where the children start in the document's child array, and how many there are.
    pub(crate) first_kid: u32,
    pub(crate) n_kids: u32,
    pub(crate) parent: Option<usize>,
}

impl DNode<'_> {
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_ref())
    }
    pub(crate) fn is_text(&self) -> bool {
        self.tag.is_empty()
    }
}

/// Names that tests compare against, so that `<DIV CLASS=x>` gives the same `div`/`class`
/// strings without allocating.
const KNOWN: &[&str] = &[
    "a",
    "abbr",
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "b",
    "base",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "charset",
    "class",
    "code",
    "col",
    "colgroup",
    "content",
    "datetime",
    "dd",
    "dialog",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hidden",
    "hr",
    "href",
    "html",
    "http-equiv",
    "i",
    "id",
    "iframe",
    "img",
    "input",
    "itemprop",
    "lang",
    "li",
    "link",
    "main",
    "marquee",
    "math",
    "menu",
    "meta",
    "name",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "option",
    "p",
    "param",
    "plaintext",
    "pre",
    "property",
    "pubdate",
    "rel",
    "script",
    "section",
    "select",
    "source",
    "span",
    "src",
    "strong",
    "style",
    "sub",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "type",
    "u",
    "ul",
    "wbr",
    "xml:lang",
    "xmp",
    "rt",
    "rp",
    "aria-hidden",
];

fn lower(name: &str) -> &str {
    if !name.bytes().any(|b| b.is_ascii_uppercase()) {
        return name;
    }
    KNOWN
        .iter()
        .find(|k| k.eq_ignore_ascii_case(name))
        .copied()
        .unwrap_or(name)
}

fn is_void(tag: &str) -> bool {
    matches!(
        tag,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "frame"
    )
}

/// Elements whose content is text up to their end tag; `true` when references are decoded.
fn raw_text(tag: &str) -> Option<bool> {
    match tag {
        "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => Some(false),
        "title" | "textarea" => Some(true),
        _ => None,
    }
}

/// Start tags that close an open `<p>`.
fn closes_p(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "ul"
            | "li"
            | "dd"
            | "dt"
            | "plaintext"
            | "listing"
    )
}

/// Elements that end the search for an element to close (the HTML "scope" boundaries).
fn scope_boundary(tag: &str) -> bool {
    matches!(
        tag,
        "html" | "table" | "td" | "th" | "caption" | "marquee" | "object" | "template" | "applet"
    )
}

fn head_content(tag: &str) -> bool {
    matches!(
        tag,
        "meta" | "link" | "title" | "style" | "script" | "noscript" | "base" | "template"
    )
}

/// How far down the stack of open elements a search goes (bounds the work on hostile input).
const MAX_SEARCH: usize = 256;
/// Deeper elements are added flat to the deepest open one.
const MAX_DEPTH: usize = 1024;

struct Builder<'a> {
    nodes: Vec<DNode<'a>>,
    /// The last child of each node so far (`usize::MAX`: none yet).
    last_child: Vec<usize>,
    stack: Vec<usize>,
    foreign: usize,
    /// The first `html`, `head` and `body` elements (a second start tag merges into them).
    singletons: [Option<usize>; 3],
}

impl<'a> Builder<'a> {
    fn current(&self) -> usize {
        self.stack.last().copied().unwrap_or(0)
    }
    fn tag_of(&self, i: usize) -> &'a str {
        self.nodes.get(i).map_or("", |n| n.tag)
    }
    fn add(&mut self, node: DNode<'a>) -> usize {
        let id = self.nodes.len();
        let parent = node.parent;
        self.nodes.push(node);
        self.last_child.push(usize::MAX);
        if let Some(slot) = parent.and_then(|p| self.last_child.get_mut(p)) {
            *slot = id;
        }
        id
    }
    fn text(&mut self, t: Cow<'a, str>) {
        if t.is_empty() {
            return;
        }
        if self.tag_of(self.current()) == "head" && !t.trim().is_empty() {
            self.pop_one();
        }
        let parent = self.current();
        // Join with a preceding text node (a reference or a stray `<` splits text).
        if let Some(&last) = self.last_child.get(parent).filter(|&&l| l != usize::MAX) {
            if let Some(n) = self.nodes.get_mut(last).filter(|n| n.is_text()) {
                n.text.to_mut().push_str(&t);
                return;
            }
        }
        self.add(DNode {
            tag: "",
            text: t,
            attrs: Vec::new(),
            first_kid: 0,
            n_kids: 0,
            parent: Some(parent),
        });
    }
    fn pop_one(&mut self) {
        if let Some(i) = self.stack.pop() {
            let t = self.tag_of(i);
            if t == "svg" || t == "math" {
                self.foreign = self.foreign.saturating_sub(1);
            }
        }
    }
    /// Position in the stack of the nearest open `names` element, stopping at `stop` elements.
    fn find_open(&self, names: &[&str], stop: &dyn Fn(&str) -> bool) -> Option<usize> {
        for (depth, pos) in (0..self.stack.len()).rev().enumerate() {
            if depth >= MAX_SEARCH {
                return None;
            }
            let t = self.tag_of(self.stack.get(pos).copied().unwrap_or(0));
            if names.contains(&t) {
                return Some(pos);
            }
            if stop(t) {
                return None;
            }
        }
        None
    }
    fn pop_to(&mut self, pos: usize) {
        while self.stack.len() > pos {
            self.pop_one();
        }
    }
    fn close(&mut self, names: &[&str], stop: &dyn Fn(&str) -> bool) {
        if let Some(pos) = self.find_open(names, stop) {
            self.pop_to(pos);
        }
    }
    fn start(
        &mut self,
        tag: &'a str,
        attrs: Vec<(&'a str, Cow<'a, str>)>,
        self_closing: bool,
    ) -> usize {
        let cur_tag = self.tag_of(self.current());
        if cur_tag == "head" && !head_content(tag) {
            self.pop_one();
        }
        let slot = match tag {
            "html" => Some(0),
            "head" => Some(1),
            "body" => Some(2),
            _ => None,
        };
        if let Some(slot) = slot {
            if let Some(existing) = self.singletons.get(slot).copied().flatten() {
                // A second <html>/<body> merges into the first; its attributes are dropped.
                if tag == "body" && !self.stack.contains(&existing) {
                    self.stack.push(existing);
                }
                return existing;
            }
        }
        if self.foreign == 0 {
            if closes_p(tag) {
                self.close(&["p"], &|t| scope_boundary(t) || t == "button");
            }
            match tag {
                "li" => self.close(&["li"], &|t| scope_boundary(t) || t == "ul" || t == "ol"),
                "dt" | "dd" => self.close(&["dt", "dd"], &|t| scope_boundary(t) || t == "dl"),
                "tr" => self.close(&["tr"], &|t| t == "table" || t == "html"),
                "td" | "th" => {
                    self.close(&["td", "th"], &|t| t == "tr" || t == "table" || t == "html")
                }
                "thead" | "tbody" | "tfoot" => self.close(&["thead", "tbody", "tfoot"], &|t| {
                    t == "table" || t == "html"
                }),
                "option" => self.close(&["option"], &|t| t != "option"),
                "a" => self.close(&["a"], &scope_boundary),
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    if matches!(
                        self.tag_of(self.current()),
                        "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                    ) {
                        self.pop_one();
                    }
                }
                _ => {}
            }
        }
        let parent = self.current();
        let id = self.add(DNode {
            tag,
            text: Cow::Borrowed(""),
            attrs,
            first_kid: 0,
            n_kids: 0,
            parent: Some(parent),
        });
        if let Some(s) = slot.and_then(|k| self.singletons.get_mut(k)) {
            *s = Some(id);
        }
        let foreign_close = self_closing && self.foreign > 0;
        if !is_void(tag) && !foreign_close && self.stack.len() < MAX_DEPTH {
            self.stack.push(id);
            if tag == "svg" || tag == "math" {
                self.foreign += 1;
            }
        }
        id
    }
    fn end(&mut self, tag: &str) {
        match tag {
            "html" | "body" => {}
            "br" => {
                self.start("br", Vec::new(), false);
            }
            "p" | "li" | "dd" | "dt" | "div" | "ul" | "ol" | "section" | "article" => {
                self.close(&[tag], &scope_boundary)
            }
            "td" | "th" | "tr" | "table" | "caption" | "tbody" | "thead" | "tfoot" => {
                self.close(&[tag], &|t| t == "html" || (tag != "table" && t == "table"))
            }
            _ => self.close(&[tag], &|t| scope_boundary(t) && t != tag),
        }
    }
}

fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = hay.get(from..)?;
    if needle.is_empty() || rest.len() < needle.len() {
        return None;
    }
    let first = *needle.first()?;
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut i = 0;
    while i + needle.len() <= rest.len() {
        let pos = memchr::memchr2(lo, up, rest.get(i..)?)?;
        let start = i + pos;
        if rest
            .get(start..start + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        {
            return Some(from + start);
        }
        i = start + 1;
    }
    None
}

fn find_bytes(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = hay.get(from..)?;
    if needle.is_empty() || rest.len() < needle.len() {
        return None;
    }
    memchr::memmem::find(rest, needle).map(|p| from + p)
}

/// The substring `s[a..b]`, empty where the bounds are not char boundaries.
fn slice(s: &str, a: usize, b: usize) -> &str {
    s.get(a..b.min(s.len())).unwrap_or("")
}

/// Parse an HTML document.
pub(crate) fn parse(html: &str) -> Dom<'_> {
    let b = html.as_bytes();
    // About one node per tag and one per text between tags; a guess that saves regrowing the
    // arena on most pages.
    let mut nodes = Vec::with_capacity(memchr::memchr_iter(b'<', b).count() + 1);
    nodes.push(DNode {
        tag: "#document",
        text: Cow::Borrowed(""),
        attrs: Vec::new(),
        first_kid: 0,
        n_kids: 0,
        parent: None,
    });
    let mut last_child = Vec::with_capacity(nodes.capacity());
    last_child.push(usize::MAX);
    let mut bld = Builder {
        nodes,
        last_child,
        stack: Vec::new(),
        foreign: 0,
        singletons: [None; 3],
    };
    let mut i = 0;
    let n = b.len();
    while i < n {
        let next_lt = b
            .get(i..)
            .and_then(|r| memchr::memchr(b'<', r))
            .map_or(n, |p| i + p);
        if next_lt > i {
            bld.text(decode_refs(slice(html, i, next_lt)));
        }
        i = next_lt;
        if i >= n {
            break;
        }
        let c1 = b.get(i + 1).copied().unwrap_or(0);
        if c1 == b'!' {
            if b.get(i..i + 4) == Some(b"<!--") {
                i = find_bytes(b, i + 4, b"-->").map_or(n, |p| p + 3);
            } else if b.get(i..i + 9) == Some(b"<![CDATA[") {
                let end = find_bytes(b, i + 9, b"]]>").unwrap_or(n);
                bld.text(Cow::Borrowed(slice(html, i + 9, end)));
                i = (end + 3).min(n);
            } else {
                i = find_bytes(b, i, b">").map_or(n, |p| p + 1);
            }
            continue;
        }
        if c1 == b'?' {
            i = find_bytes(b, i, b">").map_or(n, |p| p + 1);
            continue;
        }
        if c1 == b'/' {
            let start = i + 2;
            if !b.get(start).is_some_and(u8::is_ascii_alphabetic) {
                // `</>` or `</ 3`: a bogus comment.
                i = find_bytes(b, i, b">").map_or(n, |p| p + 1);
                continue;
            }
            let mut j = start;
            while b
                .get(j)
                .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'/' && *c != b'>')
            {
                j += 1;
            }
            let name = lower(slice(html, start, j));
            bld.end(name);
            i = find_bytes(b, j, b">").map_or(n, |p| p + 1);
            continue;
        }
        if !c1.is_ascii_alphabetic() {
            bld.text(Cow::Borrowed("<"));
            i += 1;
            continue;
        }
        // Start tag.
        let start = i + 1;
        let mut j = start;
        while b
            .get(j)
            .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'/' && *c != b'>')
        {
            j += 1;
        }
        let name = lower(slice(html, start, j));
        let mut attrs: Vec<(&str, Cow<'_, str>)> = Vec::new();
        let mut self_closing = false;
        loop {
            while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            match b.get(j) {
                None => break,
                Some(b'>') => {
                    j += 1;
                    break;
                }
                Some(b'/') => {
                    self_closing = b.get(j + 1) == Some(&b'>');
                    j += 1;
                    continue;
                }
                Some(_) => {}
            }
            let an = j;
            j += 1; // the first character may be `=`
            while b
                .get(j)
                .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'=' && *c != b'>' && *c != b'/')
            {
                j += 1;
            }
            let aname = lower(slice(html, an, j));
            while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            let mut value = Cow::Borrowed("");
            if b.get(j) == Some(&b'=') {
                j += 1;
                while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                    j += 1;
                }
                match b.get(j) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let end = b
                            .get(j + 1..)
                            .and_then(|r| memchr::memchr(q, r))
                            .map_or(n, |p| j + 1 + p);
                        value = decode_refs(slice(html, j + 1, end));
                        j = (end + 1).min(n);
                    }
                    _ => {
                        let vs = j;
                        while b
                            .get(j)
                            .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'>')
                        {
                            j += 1;
                        }
                        value = decode_refs(slice(html, vs, j));
                    }
                }
            }
            if !aname.is_empty() && !attrs.iter().any(|(k, _)| *k == aname) {
                attrs.push((aname, value));
            }
        }
        i = j;
        let id = bld.start(name, attrs, self_closing);
        if let Some(decode) = raw_text(name).filter(|_| bld.foreign == 0) {
            let mut close = Vec::with_capacity(name.len() + 2);
            close.extend_from_slice(b"</");
            close.extend_from_slice(name.as_bytes());
            let end = find_ci(b, i, &close).unwrap_or(n);
            let content = slice(html, i, end);
            if !content.is_empty() {
                let text = if decode {
                    decode_refs(content)
                } else {
                    Cow::Borrowed(content)
                };
                bld.add(DNode {
                    tag: "",
                    text,
                    attrs: Vec::new(),
                    first_kid: 0,
                    n_kids: 0,
                    parent: Some(id),
                });
            }
            if bld.stack.last() == Some(&id) {
                bld.pop_one();
            }
            i = if end >= n {
                n
            } else {
                find_bytes(b, end, b">").map_or(n, |p| p + 1)
            };
        }
    }
    let mut nodes = bld.nodes;
    let kids = child_runs(&mut nodes);
    Dom { nodes, kids }
}

/// Lay the children of every node out in one array, each node's in a run in document order
/// (a node is added after its parent and after its earlier siblings, so the arena order is the
/// order of each node's children), and set each node's run.
fn child_runs(nodes: &mut [DNode]) -> Vec<usize> {
    let mut count = vec![0u32; nodes.len()];
    for n in nodes.iter() {
        if let Some(c) = n.parent.and_then(|p| count.get_mut(p)) {
            *c += 1;
        }
    }
    let mut start = 0u32;
    for (n, c) in nodes.iter_mut().zip(&count) {
        n.first_kid = start;
        n.n_kids = 0;
        start += c;
    }
    let mut kids = vec![0usize; start as usize];
    for i in 0..nodes.len() {
        let Some(p) = nodes.get(i).and_then(|n| n.parent) else {
            continue;
        };
        if let Some(pn) = nodes.get_mut(p) {
            if let Some(slot) = kids.get_mut((pn.first_kid + pn.n_kids) as usize) {
                *slot = i;
            }
            pn.n_kids += 1;
        }
    }
    kids
}

/// Replace character references (`&amp;`, `&#1575;`, `&#x627;`) in text.
pub(crate) fn decode_refs(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(slice(rest, 0, p));
        let after = slice(rest, p + 1, rest.len());
        let (ch, used) = reference(after);
        match ch {
            Some(c) => {
                out.push(c);
                rest = slice(after, used, after.len());
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character a reference stands for and how many bytes after the `&` it used.
fn reference(s: &str) -> (Option<char>, usize) {
    let b = s.as_bytes();
    if b.first() == Some(&b'#') {
        let (hex, start) = match b.get(1) {
            Some(b'x' | b'X') => (true, 2),
            _ => (false, 1),
        };
        let mut j = start;
        while b.get(j).is_some_and(|c| {
            if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            }
        }) {
            j += 1;
        }
        if j == start {
            return (None, 0);
        }
        let digits = slice(s, start, j);
        let value = if digits.len() > 8 {
            0x110000
        } else {
            u32::from_str_radix(digits, if hex { 16 } else { 10 }).unwrap_or(0x110000)
        };
        let used = if b.get(j) == Some(&b';') { j + 1 } else { j };
        return (Some(numeric_char(value)), used);
    }
    let mut j = 0;
    while j < 32 && b.get(j).is_some_and(u8::is_ascii_alphanumeric) {
        j += 1;
    }
    if j == 0 {
        return (None, 0);
    }
    let with_semi = b.get(j) == Some(&b';');
    let key_len = if with_semi { j + 1 } else { j };
    let key = slice(s, 0, key_len);
    match ENTITIES.binary_search_by(|(k, _)| k.as_bytes().cmp(key.as_bytes())) {
        Ok(pos) => (ENTITIES.get(pos).map(|e| e.1), key_len),
        Err(_) => (None, 0),
    }
}

fn numeric_char(v: u32) -> char {
    // Windows-1252 code points that pages write as numeric references.
    let mapped = match v {
        0x80 => 0x20AC,
        0x82 => 0x201A,
        0x84 => 0x201E,
        0x85 => 0x2026,
        0x8B => 0x2039,
        0x91 => 0x2018,
        0x92 => 0x2019,
        0x93 => 0x201C,
        0x94 => 0x201D,
        0x95 => 0x2022,
        0x96 => 0x2013,
        0x97 => 0x2014,
        0x99 => 0x2122,
        0x9B => 0x203A,
        0 => 0xFFFD,
        other => other,
    };
    char::from_u32(mapped).unwrap_or('\u{FFFD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree as `tag(children)` / `"text"`, for compact assertions.
    fn show(dom: &Dom, i: usize, out: &mut String) {
        let Some(n) = dom.nodes.get(i) else { return };
        if n.is_text() {
            out.push_str(&format!("{:?}", n.text.as_ref()));
            return;
        }
        out.push_str(n.tag);
        out.push('(');
        for (k, &c) in dom.children_of(n).iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            show(dom, c, out);
        }
        out.push(')');
    }

    fn tree(html: &str) -> String {
        let dom = parse(html);
        let mut s = String::new();
        show(&dom, 0, &mut s);
        s
    }

    #[test]
    fn trees() {
        let cases = [
            ("<p>a<p>b", r#"#document(p("a") p("b"))"#),
            (
                "<ul><li>a<li>b</ul>c",
                r#"#document(ul(li("a") li("b")) "c")"#,
            ),
            (
                "<div><p>a<div>b</div></div>",
                r#"#document(div(p("a") div("b")))"#,
            ),
            (
                "<table><tr><td>a<td>b<tr><td>c</table>",
                r#"#document(table(tr(td("a") td("b")) tr(td("c"))))"#,
            ),
            ("<p>a<br>b</p>", r#"#document(p("a" br() "b"))"#),
            ("<div>a</span>b</div>", r#"#document(div("ab"))"#),
            ("<td><div>a</td>b", r#"#document(td(div("a")) "b")"#),
            (
                "<script>if (a<b) {}</script><p>x",
                r#"#document(script("if (a<b) {}") p("x"))"#,
            ),
            (
                "<STYLE>p{}</style ><P CLASS=x>y",
                r#"#document(style("p{}") p("y"))"#,
            ),
            ("<!-- <p>no</p> --><p>yes", r#"#document(p("yes"))"#),
            (
                "<head><title>T &amp; U</title><meta charset=utf-8><div>b",
                r#"#document(head(title("T & U") meta()) div("b"))"#,
            ),
            ("a < b &lt; c", r#"#document("a < b < c")"#),
            (
                "<svg><path/><text>t</text></svg><p>x",
                r#"#document(svg(path() text("t")) p("x"))"#,
            ),
            ("<a href=1>x<a href=2>y</a>", r#"#document(a("x") a("y"))"#),
            ("<h2>a<h3>b</h3>", r#"#document(h2("a") h3("b"))"#),
            ("</p></div>x<br/></br>", r#"#document("x" br() br())"#),
            ("<div", r#"#document(div())"#),
            ("<p title='a>b'>c", r#"#document(p("c"))"#),
        ];
        for (html, want) in cases {
            assert_eq!(tree(html), want, "{html}");
        }
    }

    #[test]
    fn attributes() {
        let dom = parse(
            r#"<META Property="og:title" CONTENT='A &amp; B' data-x=1 hidden><a href=/x?a=1&b=2>"#,
        );
        let meta = dom.nodes.iter().find(|n| n.tag == "meta").unwrap();
        assert_eq!(meta.attr("property"), Some("og:title"));
        assert_eq!(meta.attr("content"), Some("A & B"));
        assert_eq!(meta.attr("data-x"), Some("1"));
        assert_eq!(meta.attr("hidden"), Some(""));
        let a = dom.nodes.iter().find(|n| n.tag == "a").unwrap();
        assert_eq!(a.attr("href"), Some("/x?a=1&b=2"));
    }

    #[test]
    fn character_references() {
        let cases = [
            ("&amp;&lt;&gt;&quot;", "&<>\""),
            ("caf&eacute; &uuml;ber&nbsp;x", "café über\u{a0}x"),
            ("&#1575;&#x644;&#X639;", "الع"),
            ("&#150;&#8212;&#0;", "\u{2013}\u{2014}\u{FFFD}"),
            ("&#99999999999;", "\u{FFFD}"),
            ("AT&T &unknown; & &", "AT&T &unknown; & &"),
            ("&copy 2020", "© 2020"),
            ("&", "&"),
            ("&#", "&#"),
            ("&#x;", "&#x;"),
        ];
        for (input, want) in cases {
            assert_eq!(decode_refs(input), want, "{input}");
        }
    }

    #[test]
    fn entity_table_is_sorted() {
        assert!(ENTITIES
            .windows(2)
            .all(|w| w[0].0.as_bytes() < w[1].0.as_bytes()));
    }

    #[test]
    fn deep_and_hostile_input_stays_bounded() {
        let deep = "<div>".repeat(5000) + &"</span>".repeat(5000) + "x";
        let dom = parse(&deep);
        assert!(dom.nodes.iter().any(|n| n.text == "x"));
        for s in [
            "<",
            "</",
            "<a",
            "<a b='",
            "<!--",
            "<![CDATA[",
            "<script>",
            "&#x",
            "<a =x>",
            "\u{0}<\u{feff}p>",
        ] {
            let _ = parse(s);
        }
    }
}
