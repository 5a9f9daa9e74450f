//! A tiny HTML builder: every piece of text goes through [`esc`], every URL part through
//! [`pct`]; the page frame is [`layout`].

use std::fmt::Write as _;

/// HTML-escapes text for element content and quoted attribute values.
///
/// ```
/// assert_eq!(rasd_serve::html::esc(r#"<a href="x">'&'</a>"#),
///            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
/// ```
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    rasd_store::escape_html_into(s, &mut out);
    out
}

/// Percent-encodes a path segment or query value (everything but RFC 3986 unreserved
/// characters), so that ids and words with `/`, `?`, `#`, `&`, quotes or Arabic letters
/// stay one value.
///
/// ```
/// assert_eq!(rasd_serve::html::pct("a/b c&\"d"), "a%2Fb%20c%26%22d");
/// assert_eq!(rasd_serve::html::pct("لا"), "%D9%84%D8%A7");
/// ```
pub fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The day part (`YYYY-MM-DD`) of an ISO timestamp, or the text as is when shorter.
pub(crate) fn day(iso: &str) -> &str {
    iso.get(..10).unwrap_or(iso)
}

/// A link (`href` built from escaped parts by the caller) with escaped text.
pub(crate) fn link(href: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", esc(href), esc(text))
}

/// An external link, only for http(s) URLs; anything else is shown as text.
pub(crate) fn external(url: &str) -> String {
    let lower = url.trim_start().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        format!(
            "<a href=\"{}\" rel=\"noopener noreferrer nofollow\" dir=\"ltr\">{}</a>",
            esc(url.trim()),
            esc(url)
        )
    } else {
        format!("<span dir=\"ltr\">{}</span>", esc(url))
    }
}

/// The page frame: head, header with the search box, `main` holding `body` (already HTML).
pub(crate) fn layout(title: &str, query: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · رصد</title>
<link rel="stylesheet" href="/static/style.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<header class="top">
<a class="brand" href="/">رصد</a>
<nav><a href="/">القصص</a> <a href="/entities">الكيانات</a></nav>
<form class="search" action="/search" method="get" role="search">
<input type="search" name="q" value="{query}" placeholder="ابحث في الأخبار…" aria-label="بحث" id="q">
<button type="submit">بحث</button>
</form>
</header>
<main>
{body}
</main>
<footer>رصد — أرشيف الأخبار العربية، يعمل دون اتصال</footer>
</body>
</html>
"#,
        title = esc(title),
        query = esc(query),
        body = body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esc_neutralises_markup_and_attribute_breakers() {
        for (input, want) in [
            (
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            ("\" onmouseover=\"x", "&quot; onmouseover=&quot;x"),
            ("' autofocus='", "&#39; autofocus=&#39;"),
            ("سوريا & روسيا", "سوريا &amp; روسيا"),
            ("", ""),
        ] {
            assert_eq!(esc(input), want);
        }
    }

    #[test]
    fn external_links_only_for_http() {
        assert!(external("https://example.com/a?b=1").starts_with("<a href=\"https://"));
        for bad in [
            "javascript:alert(1)",
            " JAVASCRIPT:x",
            "data:text/html,x",
            "/etc/passwd",
        ] {
            let h = external(bad);
            assert!(!h.contains("href"), "{h}");
        }
    }

    #[test]
    fn layout_escapes_title_and_query() {
        let page = layout("<b>", "\"><script>", "<p>x</p>");
        assert!(page.contains("<title>&lt;b&gt; · رصد</title>"));
        assert!(page.contains("value=\"&quot;&gt;&lt;script&gt;\""));
        assert!(page.contains("dir=\"rtl\""));
        assert!(!page.contains("\"><script>"));
    }

    #[test]
    fn day_cuts_timestamps_and_keeps_short_text() {
        assert_eq!(day("2017-06-10T10:57:00Z"), "2017-06-10");
        assert_eq!(day("2017"), "2017");
        // Byte 10 falls inside a two-byte digit: the text is kept whole, no panic.
        assert_eq!(day("٢٠١٧-٠٦-١٠"), "٢٠١٧-٠٦-١٠");
    }
}
