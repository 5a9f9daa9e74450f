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

impl Article {
    /// The text that entity and date offsets point into: the title, a blank line, then the
    /// body; the body alone when there is no title (or an empty one).
    ///
    /// ```
    /// let a = rasd_types::Article { title: Some("عنوان".into()), body: "نص".into(), ..Default::default() };
    /// assert_eq!(a.annotated_text(), "عنوان\n\nنص");
    /// assert_eq!(&a.annotated_text()[a.body_offset()..], "نص");
    /// ```
    pub fn annotated_text(&self) -> std::borrow::Cow<'_, str> {
        match self.title.as_deref() {
            Some(t) if !t.is_empty() => format!("{t}\n\n{}", self.body).into(),
            _ => self.body.as_str().into(),
        }
    }

    /// Where the body starts in [`Article::annotated_text`].
    pub fn body_offset(&self) -> usize {
        match self.title.as_deref() {
            Some(t) if !t.is_empty() => t.len() + 2,
            _ => 0,
        }
    }
}

/// The type of a named entity, as ANERcorp tags them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityType {
    /// A person.
    Per,
    /// An organisation (government, party, armed group, company, agency).
    Org,
    /// A place (country, city, region, geographic feature).
    Loc,
    /// Anything else with a name (events, nationalities as ANERcorp tags them, works, …).
    Misc,
}

impl EntityType {
    /// The tag as written in CoNLL files and JSON: `PER`, `ORG`, `LOC`, `MISC`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Misc => "MISC",
        }
    }
}

/// How a mention refers to its entity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// The entity is named (`الولايات المتحدة`, `بيسكوف`).
    #[default]
    Name,
    /// A nationality or country adjective that points to a country (`الأمريكي`, `الروسية`).
    Adjective,
}

/// One mention of a named entity in a text, linked to its canonical entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityMention {
    /// The text as written.
    pub text: String,
    /// Byte offset of the start in the text it was found in.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// The entity type.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Whether the mention names the entity or is an adjective pointing to it.
    #[serde(default)]
    pub mention: MentionKind,
    /// The canonical entity id (stable across runs and stores), e.g. `loc:geonames:248816` or `per:بيسكوف-دميتري`.
    pub canonical: String,
    /// The canonical name of the entity.
    pub name: String,
}

/// A canonical entity: what all its mentions and aliases meet on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id (see [`EntityMention::canonical`]).
    pub id: String,
    /// The entity type.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// The canonical name.
    pub name: String,
    /// Other names and spellings seen or known for it.
    pub aliases: Vec<String>,
    /// GeoNames id for places, when known.
    pub geonames_id: Option<u64>,
    /// Latitude for places, when known.
    pub lat: Option<f64>,
    /// Longitude for places, when known.
    pub lon: Option<f64>,
}

/// The TIMEX3 type of a temporal expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    /// A calendar date or period: `2017-06-10`, `2017-06`, `2017-W23`, `2017`.
    Date,
    /// A time of day, possibly with a date: `2017-06-10T10:57`, `T15:00`.
    Time,
    /// A length of time: `P6M`, `P1.5Y`.
    Duration,
    /// A recurrence: `P1W` (كل أسبوع).
    Set,
}

/// What a temporal expression's value was resolved against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnchorKind {
    /// Nothing: the expression is absolute (or could not be resolved).
    #[default]
    None,
    /// The document's stated publication date.
    Published,
    /// A date estimated from the content (never shown as a fact).
    Estimated,
    /// A date given by the user (`--anchor`).
    Given,
}

/// A temporal expression found in a text, normalized TIMEX3-style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeExpression {
    /// The text as written.
    pub text: String,
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// DATE, TIME, DURATION or SET.
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// ISO-style value: `2017-06-10`, `2017-06`, `2017-W23`, `2017-06-10T10:57`, `P6M`;
    /// null when the expression is relative and there was no anchor.
    pub value: Option<String>,
    /// The granularity of the value: `year`, `month`, `week`, `day`, `minute`, … (durations: their unit).
    pub granularity: String,
    /// The anchor date (ISO day) a relative expression was resolved against, if any.
    pub anchor: Option<String>,
    /// What the anchor was.
    #[serde(default)]
    pub anchor_kind: AnchorKind,
}

/// A publication date estimated from a page's content, for pages that state none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateEstimate {
    /// The most likely day (ISO).
    pub date: String,
    /// Earliest day the page can have been published (ISO).
    pub earliest: String,
    /// Latest day (ISO).
    pub latest: String,
    /// How sure the estimate is, 0–1.
    pub confidence: f64,
    /// The expressions that bound it, as written.
    pub evidence: Vec<String>,
}
