//! Record types that cross rasd's stage boundaries.
//!
//! The data flow is `RawPage ──extract──► Article ──analyze──► … ──► Store`.
//! Each stage crate owns its own internal types; only the records that travel
//! from one crate to the next live here, so that every crate can depend on
//! this one without pulling in anything heavy.
//!
//! ```
//! use rasd_types::{RawPage, PageFormat};
//! let page = RawPage::new("seeds/000.txt", b"\xd8\xb3\xd9\x88\xd8\xb1\xd9\x8a\xd8\xa7".to_vec(), PageFormat::Text);
//! assert_eq!(page.source, "seeds/000.txt");
//! ```

use serde::{Deserialize, Serialize};

/// How the bytes of a page are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageFormat {
    /// Text already reduced from a page (like the seeds): text-mode cleaning applies.
    Text,
    /// An HTML document: main-content extraction applies.
    Html,
    /// Unknown: the extractor sniffs the content.
    Auto,
}

/// A page as found: bytes not yet decoded, plus what the source told us about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawPage {
    /// Where the page came from, as given by the user: a path or a URL.
    pub source: String,
    /// The bytes as found. Nothing is decoded yet.
    pub bytes: Vec<u8>,
    /// How to read the bytes.
    pub format: PageFormat,
    /// A charset declared outside the bytes (HTTP header, JSONL field), if any.
    pub declared_charset: Option<String>,
    /// The page URL when known (JSONL `url`, WARC target URI).
    pub url: Option<String>,
    /// A publication date supplied by the source (JSONL `published`), ISO 8601.
    pub published: Option<String>,
    /// An outlet supplied by the source (JSONL `outlet`).
    pub outlet: Option<String>,
}

impl RawPage {
    /// A page with only its source, bytes and format known.
    pub fn new(source: impl Into<String>, bytes: Vec<u8>, format: PageFormat) -> Self {
        RawPage {
            source: source.into(),
            bytes,
            format,
            declared_charset: None,
            url: None,
            published: None,
            outlet: None,
        }
    }
}

/// A block of page text that extraction cut as boilerplate, kept so users can see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    /// What kind of boilerplate it was: `nav_strip`, `repeated_paragraph`,
    /// `comment_form`, `back_to_top`, `related_list`, `next_post`, `dangling_source`,
    /// `outlet_line`, `date_line`, `title_suffix`, `html_boilerplate`, …
    pub kind: String,
    /// The text that was cut.
    pub text: String,
}

/// Where a metadata value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The field it supports: `title`, `published`, `outlet`, `author`, `original_source`, …
    pub field: String,
    /// The value taken.
    pub value: String,
    /// How it was found, e.g. `trailer date line`, `title suffix`, `og:site_name`, `json-ld datePublished`.
    pub from: String,
}

/// A decoded page reduced to its main text, with metadata and the evidence for each field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// The source the page came from (path or URL as given).
    pub source: String,
    /// Title, with any site-name suffix cut.
    pub title: Option<String>,
    /// Clean body text: paragraphs joined by a blank line.
    pub body: String,
    /// The body's paragraphs.
    pub paragraphs: Vec<String>,
    /// Stated publication date, ISO 8601 (`2017-06-10` or `2017-06-10T10:57:00`).
    pub published: Option<String>,
    /// Stated modification date, ISO 8601.
    pub modified: Option<String>,
    /// Author or byline.
    pub author: Option<String>,
    /// The outlet (site) that published the page.
    pub outlet: Option<String>,
    /// The outlet the page says it republishes (`المصدر: X`, `نقلاً عن X`).
    pub original_source: Option<String>,
    /// Canonical URL when known.
    pub url: Option<String>,
    /// Language code (`ar`, `en`, …) when it could be told.
    pub lang: Option<String>,
    /// Boilerplate that was cut.
    pub removed: Vec<Removed>,
    /// Evidence for each metadata value.
    pub evidence: Vec<Evidence>,
    /// The character encoding the bytes were decoded from (`UTF-8`, `windows-1256`, …).
    pub encoding: String,
}
