//! Temporal expressions in Arabic news text, normalized TIMEX3-style, and content-based document
//! dating.
//!
//! [`find_expressions`] finds dates, times, durations and sets: month names of every region
//! (6 أيار، 4 مايو/ أيار، كانون الأول، جانفي، شتنبر), numeric forms (10.06.2017، 2017/6/10) in
//! Western, Eastern (٠-٩) or Persian digits, years (عام 2016، قبل 2011), Hijri dates (converted with
//! the Umm al-Qura calendar), relative expressions resolved against an anchor and leaning to the
//! past as news does (أمس الثلاثاء، قبل أسبوعين، نيسان الماضي، بداية الشهر الحالي), durations
//! (لمدة 6 أشهر، عام ونصف), sets (كل أسبوع) and times (10:57، الساعة الثالثة عصراً). Phone numbers,
//! resolution numbers (القرار 2254), prices, counts and scores are not taken.
//!
//! [`estimate_date`] dates a page that states no publication date from the absolute dates it
//! mentions, narrowed by what its relative words say about the publication day; the estimate is
//! an interval with a confidence, never a fact. [`date_document`] does both steps for a page.
//!
//! The scanner cuts the text into words, numbers and punctuation once, looks each word up in a
//! small folded lexicon, and runs pattern matchers only at trigger tokens (numbers, month and
//! weekday names, relative words), so the cost is one pass and a hash lookup per word.
//!
//! ```
//! use chrono::NaiveDate;
//! use rasd_time::{find_expressions, AnchorKind, TimexType};
//!
//! let anchor = NaiveDate::from_ymd_opt(2017, 6, 7);
//! let found = find_expressions("قدّم أمس الثلاثاء ورقة، بعد اجتماع 4 مايو/ أيار الماضي", anchor, AnchorKind::Given);
//! assert_eq!(found[0].text, "أمس الثلاثاء");
//! assert_eq!(found[0].value.as_deref(), Some("2017-06-06"));
//! assert_eq!(found[1].text, "4 مايو/ أيار الماضي");
//! assert_eq!(found[1].value.as_deref(), Some("2017-05-04"));
//! assert_eq!(found[1].kind, TimexType::Date);
//! ```

mod estimate;
mod hijri;
mod lexicon;
mod resolve;
mod scan;
mod ummalqura_table;

use chrono::NaiveDate;
pub use rasd_types::{AnchorKind, DateEstimate, TimeExpression, TimexType};

pub use estimate::estimate_date;
pub use hijri::{gregorian_to_hijri, hijri_to_gregorian};

/// Finds and normalizes the temporal expressions of `text`, in order.
///
/// Relative expressions are resolved against `anchor` (and carry it with `anchor_kind`); without
/// an anchor their `value` is `None`. Absolute ones never carry an anchor.
///
/// ```
/// use chrono::NaiveDate;
/// use rasd_time::{find_expressions, AnchorKind};
///
/// let e = find_expressions("صدر القرار 2254 عام 2015", None, AnchorKind::None);
/// assert_eq!(e.len(), 1);
/// assert_eq!(e[0].text, "عام 2015");
/// assert_eq!(e[0].value.as_deref(), Some("2015"));
/// ```
pub fn find_expressions(
    text: &str,
    anchor: Option<NaiveDate>,
    anchor_kind: AnchorKind,
) -> Vec<TimeExpression> {
    let toks = scan::tokenize(text);
    let matches = scan::scan(text, &toks);
    let mut ctx = resolve::Context::default();
    let mut out = Vec::with_capacity(matches.len());
    for m in matches {
        let (Some(first), Some(last)) = (
            toks.get(m.first),
            m.end.checked_sub(1).and_then(|e| toks.get(e)),
        ) else {
            continue;
        };
        let (start, end) = (first.start, last.end);
        let Some(span) = text.get(start..end) else {
            continue;
        };
        let r = ctx.resolve(m.sem, anchor);
        let (anchor_s, kind) = match (r.relative, anchor) {
            (true, Some(a)) if r.value.is_some() => {
                (Some(a.format("%Y-%m-%d").to_string()), anchor_kind)
            }
            _ => (None, AnchorKind::None),
        };
        out.push(TimeExpression {
            text: span.to_string(),
            start,
            end,
            kind: r.kind,
            value: r.value,
            granularity: r.granularity.to_string(),
            anchor: anchor_s,
            anchor_kind: kind,
        });
    }
    out
}

/// A page's temporal expressions and, when it states no date, the estimate they were resolved
/// against.
#[derive(Debug, Clone, PartialEq)]
pub struct Dated {
    /// The expressions, resolved against the stated date, else the estimate, else nothing.
    pub expressions: Vec<TimeExpression>,
    /// The content-based estimate (only when no date was stated and the content bounds it).
    pub estimate: Option<DateEstimate>,
}

/// Dates a page: with a stated publication date, relative expressions resolve against it
/// ([`AnchorKind::Published`]); without one, against [`estimate_date`]'s most likely day,
/// marked [`AnchorKind::Estimated`].
///
/// ```
/// use rasd_time::{date_document, AnchorKind};
///
/// let d = date_document("عقد الاجتماع في 3 حزيران 2024، واستؤنف اليوم الأربعاء.", None);
/// let est = d.estimate.expect("the page names a full date");
/// assert_eq!(est.date, "2024-06-05");
/// assert_eq!(d.expressions[1].anchor_kind, AnchorKind::Estimated);
/// assert_eq!(d.expressions[1].value.as_deref(), Some("2024-06-05"));
/// ```
pub fn date_document(text: &str, stated: Option<NaiveDate>) -> Dated {
    if let Some(s) = stated {
        return Dated {
            expressions: find_expressions(text, Some(s), AnchorKind::Published),
            estimate: None,
        };
    }
    let estimate = estimate_date(text);
    let anchor = estimate.as_ref().and_then(|e| parse_anchor(&e.date));
    let kind = if anchor.is_some() {
        AnchorKind::Estimated
    } else {
        AnchorKind::None
    };
    Dated {
        expressions: find_expressions(text, anchor, kind),
        estimate,
    }
}

/// Reads an ISO day from the start of `s` (`2017-06-10`, `2017-06-10T10:57`, `2017-06-10 10:57:00`),
/// the form `Article.published` and `--anchor` use.
///
/// ```
/// use chrono::NaiveDate;
/// assert_eq!(rasd_time::parse_anchor("2017-06-10T10:57"), NaiveDate::from_ymd_opt(2017, 6, 10));
/// assert_eq!(rasd_time::parse_anchor("10/06/2017"), None);
/// ```
pub fn parse_anchor(s: &str) -> Option<NaiveDate> {
    let day = s.trim().get(..10)?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests;
