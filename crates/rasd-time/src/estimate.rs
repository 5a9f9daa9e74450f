//! Dating a page from its content: the absolute dates it mentions bound it from below (news
//! reports what happened), and what its relative words say about the publication day (اليوم
//! الأربعاء، أمس الثلاثاء) narrow it.

use chrono::{Datelike, Duration, NaiveDate};
use rasd_types::DateEstimate;

use crate::hijri::{hijri_month_to_gregorian, hijri_to_gregorian};
use crate::lexicon::Lex;
use crate::scan::{self, Kind, Sem};

/// How long after the latest dated event a page is taken to appear, in days (news is written
/// within days of what it reports; a week holds most of it).
const DAY_WINDOW: i64 = 6;

/// An absolute mention as an interval of days.
struct Mention {
    first: NaiveDate,
    last: NaiveDate,
    level: Level,
    text: String,
    /// After منذ: the start of something still going on, possibly long before the page.
    since: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Year,
    Month,
    Day,
}

fn month_span(y: i32, m: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)?
    };
    Some((first, next.pred_opt()?))
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Estimates the publication day of a page that states none, from its content.
///
/// Returns `None` when nothing in the text bounds the date (no absolute date or year): it
/// never invents one. The interval is `[earliest, latest]`; `date` is the most likely day.
///
/// ```
/// let e = rasd_time::estimate_date("أعلنت الوزارة في 12 آذار 2024 أن الجولة انتهت أمس الثلاثاء.").unwrap();
/// assert_eq!(e.date, "2024-03-13");
/// assert!(e.earliest.as_str() <= e.date.as_str() && e.date.as_str() <= e.latest.as_str());
/// assert_eq!(rasd_time::estimate_date("وصل الوفد أمس الثلاثاء."), None);
/// ```
pub fn estimate_date(text: &str) -> Option<DateEstimate> {
    let toks = scan::tokenize(text);
    let matches = scan::scan(text, &toks);
    let mut mentions: Vec<Mention> = Vec::new();
    // The publication weekday (ISO, 1 = Monday) each day word implies, with its text.
    let mut weekdays: Vec<(u32, String)> = Vec::new();
    for m in &matches {
        let (Some(a), Some(b)) = (
            toks.get(m.first),
            m.end.checked_sub(1).and_then(|e| toks.get(e)),
        ) else {
            continue;
        };
        let text = text.get(a.start..b.end).unwrap_or("").to_string();
        let before = m
            .first
            .checked_sub(1)
            .and_then(|i| toks.get(i))
            .and_then(|t| match t.kind {
                Kind::Word(l) => l,
                _ => None,
            });
        // A target (بحلول عام 2035، حتى 2030) bounds nothing from below.
        if before == Some(Lex::Until) {
            continue;
        }
        let since = before == Some(Lex::Since);
        let interval = match m.sem {
            Sem::Date { y, m, d, .. } => {
                NaiveDate::from_ymd_opt(y, m, d).map(|d| (d, d, Level::Day))
            }
            Sem::HijriDate { y, m, d } => hijri_to_gregorian(y, m, d).map(|d| (d, d, Level::Day)),
            Sem::YearMonth { y, m } => month_span(y, m).map(|(a, b)| (a, b, Level::Month)),
            Sem::HijriMonth { y, m } => hijri_month_to_gregorian(y, m)
                .and_then(|(y, m)| month_span(y, m))
                .map(|(a, b)| (a, b, Level::Month)),
            Sem::Year(y) => Some((
                NaiveDate::from_ymd_opt(y, 1, 1)?,
                NaiveDate::from_ymd_opt(y, 12, 31)?,
                Level::Year,
            )),
            Sem::HijriYear(y) => Some((
                hijri_to_gregorian(y, 1, 1)?,
                hijri_to_gregorian(y + 1, 1, 1)?.pred_opt()?,
                Level::Year,
            )),
            Sem::DayOffset {
                n,
                weekday: Some(wd),
                ..
            } => {
                let w = (i32::from(wd) - 1 - n).rem_euclid(7) + 1;
                weekdays.push((w as u32, text));
                continue;
            }
            _ => None,
        };
        if let Some((first, last, level)) = interval {
            mentions.push(Mention {
                first,
                last,
                level,
                text,
                since,
            });
        }
    }
    // The mention that starts latest bounds the date from below; at equal starts the finer
    // wins; a منذ mention (the start of something ongoing) only when nothing else is there.
    let pivot = mentions
        .iter()
        .filter(|m| !m.since)
        .max_by_key(|m| (m.first, m.level))
        .or_else(|| mentions.iter().max_by_key(|m| (m.first, m.level)))?;
    let (earliest, latest, mut date, mut confidence) = match (pivot.level, pivot.since) {
        (_, true) => {
            // Ongoing since then: up to two years after.
            let end = NaiveDate::from_ymd_opt(pivot.last.year() + 2, 12, 31)?;
            (pivot.first, end, pivot.last, 0.1)
        }
        (Level::Day, false) => (
            pivot.first,
            pivot.first + Duration::days(DAY_WINDOW),
            pivot.first,
            0.6,
        ),
        (Level::Month, false) => {
            let (_, next_end) = month_span_after(pivot.last)?;
            (pivot.first, next_end, pivot.last, 0.35)
        }
        (Level::Year, false) => {
            let end = NaiveDate::from_ymd_opt(pivot.last.year() + 1, 12, 31)?;
            (pivot.first, end, pivot.last, 0.15)
        }
    };
    let mut evidence = vec![pivot.text.clone()];
    let (mut earliest, mut latest) = (earliest, latest);
    // The day words agree on one weekday: take the first such day in the interval.
    if let Some((wd, _)) = weekdays.first() {
        if weekdays.iter().all(|(w, _)| w == wd) {
            let mut d = earliest;
            while d <= latest && d.weekday().number_from_monday() != *wd {
                d = d.succ_opt()?;
            }
            if d <= latest {
                date = d;
                evidence.extend(weekdays.iter().map(|(_, t)| t.clone()));
                if pivot.level == Level::Day {
                    // A week after the pivot holds each weekday once.
                    earliest = d;
                    latest = d;
                    confidence = 0.8;
                } else {
                    confidence += 0.05;
                }
            }
        }
    }
    if date < earliest {
        date = earliest;
    }
    if date > latest {
        date = latest;
    }
    Some(DateEstimate {
        date: iso(date),
        earliest: iso(earliest),
        latest: iso(latest),
        confidence,
        evidence,
    })
}

/// The month after the one holding `d`: its first and last day.
fn month_span_after(d: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    month_span(y, m)
}
