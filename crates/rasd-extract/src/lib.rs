//! rasd-extract: from a [`RawPage`] (bytes as found) to an [`Article`]
//! (decoded main text, metadata with evidence, and the boilerplate cut).
//!
//! Three steps, each usable alone:
//! - [`decode`]: bytes to text (BOMs, declared and `<meta>` charsets,
//!   windows-1256 / ISO-8859-6, chardetng as fallback; binary junk refused);
//! - [`extract_text`] for pages already reduced to text, [`extract_html`] for
//!   HTML documents ([`looks_like_html`] tells them apart);
//! - [`parse_arabic_date`], the date parser behind the `published` field, and
//!   [`date_in_url`], the last resort when a page states no date.
//!
//! HTML is parsed by the crate's own forgiving, allocation-light parser (no
//! html5ever): extraction runs on every page, so it has to be fast.
//!
//! [`extract_page`] runs them in order for a page; [`warc`] reads web archives
//! (WARC, WARC.gz) into pages.
//!
//! ```
//! use rasd_extract::extract_page;
//! use rasd_types::{PageFormat, RawPage};
//! let text = "محادثات سرية حول سوريا\n\n\
//!     كشف مسؤولون أمريكيون عن محادثات سرية مع روسيا في العاصمة الأردنية بهدف إقامة منطقة لتخفيف التوتر في جنوب سوريا.\n\n\
//!     زر الذهاب إلى الأعلى";
//! let page = RawPage::new("seeds/x.txt", text.as_bytes().to_vec(), PageFormat::Auto);
//! let a = extract_page(&page).unwrap();
//! assert_eq!(a.title.as_deref(), Some("محادثات سرية حول سوريا"));
//! assert_eq!(a.paragraphs.len(), 1);
//! assert_eq!(a.removed[0].kind, "back_to_top");
//! assert_eq!(a.encoding, "UTF-8");
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod chrome;
mod clean;
mod date;
mod decode;
mod dom;
mod entities;
mod fold;
mod html;
mod text;
pub mod warc;

use rasd_types::{Article, PageFormat, RawPage};

pub use date::{date_in_url, parse_arabic_date};
pub use decode::{decode, Decoded, ExtractError};
pub use html::{extract_html, looks_like_html};
pub use text::extract_text;

/// Decode a page and extract its article.
///
/// The mode follows `page.format` (`Auto` sniffs with [`looks_like_html`]).
/// `source`, `encoding` and (when the page states no canonical URL)
/// `url` are filled from the page. A `published` date or `outlet` supplied by
/// the source (JSONL fields) is used only when the page itself states none,
/// with evidence `source metadata`.
///
/// # Errors
/// [`ExtractError`] when the bytes are empty, binary, or undecodable.
pub fn extract_page(page: &RawPage) -> Result<Article, ExtractError> {
    let (text, encoding) = decode::decode_text(&page.bytes, page.declared_charset.as_deref())?;
    let html = match page.format {
        PageFormat::Html => true,
        PageFormat::Text => false,
        PageFormat::Auto => looks_like_html(&text),
    };
    let mut a = if html {
        extract_html(&text, page.url.as_deref())
    } else {
        extract_text(&text)
    };
    a.source = page.source.clone();
    a.encoding = encoding.to_string();
    if a.url.is_none() {
        a.url = page.url.clone();
    }
    let supplied = [("published", &page.published), ("outlet", &page.outlet)];
    for (field, value) in supplied {
        let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        let slot = if field == "published" {
            &mut a.published
        } else {
            &mut a.outlet
        };
        if slot.is_none() {
            *slot = Some(v.to_string());
            clean::evidence(&mut a, field, v, "source metadata");
        }
    }
    url_date(&mut a);
    Ok(a)
}

/// When nothing else states a publication date, the one written in the page URL's path.
pub(crate) fn url_date(a: &mut rasd_types::Article) {
    if a.published.is_some() {
        return;
    }
    if let Some(d) = a.url.as_deref().and_then(date_in_url) {
        clean::offer(a, "published", &d, "date in url");
    }
}
