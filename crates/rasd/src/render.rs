//! Readable text output for people. Scripts use `--json`, whose field names are stable.

use std::io::{IsTerminal, Result, Write};

use rasd_store::{DocRecord, EntitySummary, SearchHit, StoryRecord};
use rasd_types::{AnchorKind, TimexType};
use serde::Serialize;

use crate::pipeline::Summary;

fn or_dash(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("-")
}

/// The end-of-ingest summary.
pub fn summary(w: &mut impl Write, s: &Summary) -> Result<()> {
    writeln!(
        w,
        "ingested: {} new, {} duplicates, {} already stored, {} failed ({} stories opened)",
        s.new, s.duplicates, s.already_stored, s.failed, s.new_stories
    )?;
    if s.skipped_files > 0 {
        writeln!(
            w,
            "skipped {} files of other types inside folders",
            s.skipped_files
        )?;
    }
    for f in &s.failures {
        writeln!(w, "failed: {}: {}", f.source, f.reason)?;
    }
    Ok(())
}

/// One line per document.
pub fn doc_line(w: &mut impl Write, d: &DocRecord) -> Result<()> {
    let dup = match &d.duplicate_of {
        Some(c) => format!("  [copy of {c}]"),
        None => String::new(),
    };
    writeln!(
        w,
        "{}  {:<19}  story {:<4} {:<22}  {}{}",
        d.id,
        d.article.published.as_deref().unwrap_or("-"),
        d.story.map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
        or_dash(&d.article.outlet),
        or_dash(&d.article.title),
        dup
    )
}

/// A document in full.
pub fn doc(w: &mut impl Write, d: &DocRecord) -> Result<()> {
    writeln!(w, "{}", or_dash(&d.article.title))?;
    writeln!(w, "id:              {}", d.id)?;
    writeln!(w, "source:          {}", d.article.source)?;
    if let Some(u) = &d.article.url {
        writeln!(w, "url:             {u}")?;
    }
    writeln!(w, "published:       {}", or_dash(&d.article.published))?;
    if let Some(e) = &d.date_estimate {
        writeln!(
            w,
            "estimated date:  {} (between {} and {}, confidence {:.2}; not stated by the page)",
            e.date, e.earliest, e.latest, e.confidence
        )?;
    }
    writeln!(w, "outlet:          {}", or_dash(&d.article.outlet))?;
    if let Some(a) = &d.article.author {
        writeln!(w, "author:          {a}")?;
    }
    if let Some(o) = &d.article.original_source {
        writeln!(w, "original source: {o}")?;
    }
    writeln!(
        w,
        "story:           {}",
        d.story.map(|s| s.to_string()).unwrap_or_else(|| "-".into())
    )?;
    writeln!(w, "encoding:        {}", d.article.encoding)?;
    if let Some(c) = &d.duplicate_of {
        writeln!(
            w,
            "copy of:         {c} ({}, similarity {:.2}{})",
            d.duplicate_kind.as_deref().unwrap_or("?"),
            d.similarity.unwrap_or(0.0),
            if d.edited { ", EDITED" } else { "" }
        )?;
        for diff in &d.differences {
            writeln!(w, "    differs: {diff}")?;
        }
    }
    writeln!(w)?;
    for p in &d.article.paragraphs {
        writeln!(w, "{p}\n")?;
    }
    if !d.provenance.is_empty() {
        let steps: Vec<String> = d
            .provenance
            .iter()
            .map(|l| match &l.doc {
                Some(id) => format!("{} [{id}]", l.outlet),
                None => l.outlet.clone(),
            })
            .collect();
        writeln!(w, "provenance:      {}", steps.join(" ← "))?;
    }
    if !d.syndicated.is_empty() {
        writeln!(w, "shared with other outlets (syndicated paragraphs):")?;
        for l in &d.syndicated {
            writeln!(
                w,
                "  paragraph {}: also in {} ({})",
                l.paragraph + 1,
                l.doc,
                l.outlet.as_deref().unwrap_or("outlet unknown")
            )?;
        }
    }
    if !d.entities.is_empty() {
        writeln!(w, "entities:")?;
        let mut seen = std::collections::HashSet::new();
        for e in d.entities.iter().filter(|e| seen.insert(&e.canonical)) {
            let n = d
                .entities
                .iter()
                .filter(|m| m.canonical == e.canonical)
                .count();
            writeln!(
                w,
                "  {} {} ×{}  [{}]",
                e.kind.as_str(),
                e.name,
                n,
                e.canonical
            )?;
        }
    }
    if !d.dates.is_empty() {
        writeln!(w, "dates mentioned:")?;
        for t in &d.dates {
            let anchor = match t.anchor_kind {
                AnchorKind::Estimated => " (from the estimated date)",
                _ => "",
            };
            writeln!(
                w,
                "  {}  →  {}{anchor}",
                t.text,
                t.value.as_deref().unwrap_or("?")
            )?;
        }
    }
    if !d.article.evidence.is_empty() {
        writeln!(w, "evidence:")?;
        for e in &d.article.evidence {
            writeln!(w, "  {}: {} (from {})", e.field, e.value, e.from)?;
        }
    }
    if !d.article.removed.is_empty() {
        writeln!(w, "removed boilerplate:")?;
        for r in &d.article.removed {
            writeln!(w, "  [{}] {}", r.kind, one_line(&r.text, 100))?;
        }
    }
    Ok(())
}

fn one_line(s: &str, max_chars: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max_chars {
        let cut: String = flat.chars().take(max_chars).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

fn date_range(s: &StoryRecord) -> String {
    let day = |d: &Option<String>| d.as_deref().map(|x| x.get(..10).unwrap_or(x).to_string());
    match (day(&s.first_seen), day(&s.last_seen)) {
        (Some(a), Some(b)) if a == b => a,
        (Some(a), Some(b)) => format!("{a} → {b}"),
        _ => "date unknown".to_string(),
    }
}

/// One line (plus a detail line) per story.
pub fn story_line(w: &mut impl Write, s: &StoryRecord) -> Result<()> {
    writeln!(
        w,
        "story {:<4} {:>3} docs  {:<25}  {}",
        s.id,
        s.size,
        date_range(s),
        or_dash(&s.title)
    )?;
    writeln!(
        w,
        "           outlets: {}   key terms: {}",
        if s.outlets.is_empty() {
            "-".to_string()
        } else {
            s.outlets.join("، ")
        },
        s.key_terms.join("، ")
    )
}

/// A story with its timeline of documents.
pub fn story(
    w: &mut impl Write,
    s: &StoryRecord,
    docs: &[DocRecord],
    entities: &[EntitySummary],
    timeline: &[TimelineEntry],
) -> Result<()> {
    writeln!(w, "story {}: {}", s.id, or_dash(&s.title))?;
    writeln!(w, "dates:     {}", date_range(s))?;
    writeln!(w, "outlets:   {}", s.outlets.join("، "))?;
    writeln!(w, "key terms: {}", s.key_terms.join("، "))?;
    if !entities.is_empty() {
        let names: Vec<String> = entities
            .iter()
            .map(|e| {
                format!(
                    "{} ({}, {})",
                    e.entity.name,
                    e.entity.kind.as_str(),
                    e.mentions
                )
            })
            .collect();
        writeln!(w, "entities:  {}", names.join("، "))?;
    }
    writeln!(w, "documents ({}):", docs.len())?;
    for d in docs {
        write!(w, "  ")?;
        doc_line(w, d)?;
    }
    if !timeline.is_empty() {
        writeln!(w, "timeline (dates the documents mention):")?;
        for t in timeline {
            writeln!(w, "  {:<10}  {}  [{}]", t.date, t.text, t.doc)?;
        }
    }
    Ok(())
}

/// A story with its key entities and timeline, as `rasd story --json` writes it.
#[derive(Debug, Serialize)]
pub struct StoryOut<'a> {
    #[serde(flatten)]
    pub story: &'a StoryRecord,
    /// The entities its documents mention most, with mention counts within the story.
    pub entities: Vec<StoryEntity<'a>>,
    /// Dated events the documents mention, earliest first (empty in `rasd stories`).
    pub timeline: &'a [TimelineEntry],
}

/// One key entity of a story.
#[derive(Debug, Serialize)]
pub struct StoryEntity<'a> {
    pub id: &'a str,
    pub name: &'a str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub mentions: u64,
}

impl<'a> StoryOut<'a> {
    pub fn new(
        story: &'a StoryRecord,
        entities: &'a [EntitySummary],
        timeline: &'a [TimelineEntry],
    ) -> StoryOut<'a> {
        StoryOut {
            story,
            entities: entities
                .iter()
                .map(|e| StoryEntity {
                    id: &e.entity.id,
                    name: &e.entity.name,
                    kind: e.entity.kind.as_str(),
                    mentions: e.mentions,
                })
                .collect(),
            timeline,
        }
    }
}

/// A date a story's document mentions: the day (or month, year) it resolves to, the words,
/// and the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    /// ISO value of the expression (`2017-06-10`, `2017-06`, `2017`).
    pub date: String,
    /// The expression as written.
    pub text: String,
    /// The document that mentions it.
    pub doc: String,
    /// Whether the value was resolved against an estimated (not stated) publication date.
    pub estimated: bool,
}

/// The dated events a story's documents mention (DATE and TIME expressions with a value),
/// earliest first; copies of another document are skipped, and each (date, words) pair is
/// listed once.
pub fn timeline(docs: &[DocRecord]) -> Vec<TimelineEntry> {
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<TimelineEntry> = Vec::new();
    for d in docs.iter().filter(|d| d.duplicate_of.is_none()) {
        for t in &d.dates {
            if !matches!(t.kind, TimexType::Date | TimexType::Time) {
                continue;
            }
            let Some(value) = &t.value else { continue };
            // A value is dated when it starts with a year: `2017`, `2017-06-10T10:57`.
            if !value
                .get(..4)
                .is_some_and(|y| y.bytes().all(|b| b.is_ascii_digit()))
            {
                continue;
            }
            if seen.insert((value.clone(), t.text.clone())) {
                out.push(TimelineEntry {
                    date: value.clone(),
                    text: t.text.clone(),
                    doc: d.id.clone(),
                    estimated: t.anchor_kind == AnchorKind::Estimated,
                });
            }
        }
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.doc.cmp(&b.doc)));
    out
}

/// One search hit.
pub fn hit(w: &mut impl Write, h: &SearchHit) -> Result<()> {
    let tty = std::io::stdout().is_terminal();
    writeln!(
        w,
        "{}  {:.2}  {}  ({}, {})",
        h.id,
        h.score,
        or_dash(&h.title),
        or_dash(&h.outlet),
        h.published.as_deref().unwrap_or("date unknown")
    )?;
    let (open, close) = if tty {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("**", "**")
    };
    let text = h
        .snippet
        .replace("<mark>", open)
        .replace("</mark>", close)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    writeln!(w, "    {text}\n")
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// All documents as CSV (RFC 4180), one row each; list fields as JSON.
pub fn csv(w: &mut impl Write, docs: &[DocRecord]) -> Result<()> {
    writeln!(w, "id,source,url,title,published,outlet,author,original_source,lang,story,duplicate_of,duplicate_kind,similarity,edited,body,removed")?;
    for d in docs {
        let o = |s: &Option<String>| csv_field(s.as_deref().unwrap_or(""));
        writeln!(
            w,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            csv_field(&d.id),
            csv_field(&d.article.source),
            o(&d.article.url),
            o(&d.article.title),
            o(&d.article.published),
            o(&d.article.outlet),
            o(&d.article.author),
            o(&d.article.original_source),
            o(&d.article.lang),
            d.story.map(|s| s.to_string()).unwrap_or_default(),
            o(&d.duplicate_of),
            o(&d.duplicate_kind),
            d.similarity.map(|s| format!("{s:.3}")).unwrap_or_default(),
            d.edited,
            csv_field(&d.article.body),
            csv_field(&serde_json::to_string(&d.article.removed).unwrap_or_default()),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_fields_that_need_it() {
        assert_eq!(csv_field("عادي"), "عادي");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("قال \"نعم\"\nثم"), "\"قال \"\"نعم\"\"\nثم\"");
    }

    #[test]
    fn one_line_flattens_and_cuts() {
        assert_eq!(one_line("a\n b   c", 10), "a b c");
        assert_eq!(one_line("ابجد هوز حطي", 4), "ابجد…");
    }
}
