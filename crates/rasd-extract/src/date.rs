//! Parsing of stated dates (trailer lines, meta tags) into ISO 8601.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use regex::Regex;

use crate::fold::{ascii_digits, fold};

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?)?$",
    )
    .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[^\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(صباحا|صباحاً|مساء|مساءً|ص|م|am|pm|a\.m\.|p\.m\.)(?:$|[^\p{L}]))?",
    )
    .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

/// Words that may surround a date on a date line without being part of it (folded forms).
const FILLER: &[&str] = &[
    // weekdays
    "الاحد",
    "الاثنين",
    "الإثنين",
    "الثلاثاء",
    "الاربعاء",
    "الخميس",
    "الجمعه",
    "السبت",
    "احد",
    "اثنين",
    "ثلاثاء",
    "اربعاء",
    "خميس",
    "جمعه",
    "سبت",
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sun",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat", // labels
    "نشر",
    "نشرت",
    "تم",
    "النشر",
    "بتاريخ",
    "تاريخ",
    "في",
    "يوم",
    "الساعه",
    "ساعه",
    "اخر",
    "تحديث",
    "التحديث",
    "محدث",
    "published",
    "updated",
    "posted",
    "on",
    "at",
    "date",
    "last",
    "gmt",
    "utc",
    "بتوقيت",
    "غرينتش",
    "مكه",
    "دمشق",
    "القدس",
    "المكرمه",
    "م",
];

fn month_single(tok: &str) -> Option<u32> {
    let m = match tok {
        "يناير" | "جانفي" | "january" | "jan" => 1,
        "فبراير" | "فيفري" | "شباط" | "february" | "feb" => 2,
        "مارس" | "اذار" | "march" | "mar" => 3,
        "ابريل" | "افريل" | "نيسان" | "april" | "apr" => 4,
        "مايو" | "ماي" | "ايار" | "may" => 5,
        "يونيو" | "يونيه" | "جوان" | "حزيران" | "june" | "jun" => 6,
        "يوليو" | "يوليه" | "يوليوز" | "جويليه" | "جويليا" | "تموز" | "july" | "jul" => {
            7
        }
        "اغسطس" | "اوت" | "غشت" | "اب" | "august" | "aug" => 8,
        "سبتمبر" | "شتنبر" | "ايلول" | "september" | "sep" | "sept" => 9,
        "اكتوبر" | "october" | "oct" => 10,
        "نوفمبر" | "نونبر" | "november" | "nov" => 11,
        "ديسمبر" | "دجنبر" | "december" | "dec" => 12,
        _ => return None,
    };
    Some(m)
}

/// A month name starting at `toks[i]`: (month, tokens used).
fn month_at(toks: &[&str], i: usize) -> Option<(u32, usize)> {
    let first = *toks.get(i)?;
    if first == "كانون" || first == "تشرين" {
        let second = *toks.get(i + 1)?;
        let ordinal = match second {
            "الاول" | "اول" => 1,
            "الثاني" | "ثاني" => 2,
            _ => return None,
        };
        let m = match (first, ordinal) {
            ("كانون", 1) => 12,
            ("كانون", _) => 1,
            ("تشرين", 1) => 10,
            _ => 11,
        };
        return Some((m, 2));
    }
    month_single(first).map(|m| (m, 1))
}

/// One or two month names in a row naming the same month (`آذار/مارس`).
fn month_run(toks: &[&str], i: usize) -> Option<(u32, usize)> {
    let (m, used) = month_at(toks, i)?;
    match month_at(toks, i + used) {
        Some((m2, used2)) if m2 == m => Some((m, used + used2)),
        Some(_) => None,
        None => Some((m, used)),
    }
}

fn num(tok: &str) -> Option<u32> {
    if tok.is_empty() || tok.len() > 4 || !tok.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    tok.parse().ok()
}

fn year(tok: &str) -> Option<i32> {
    if tok.len() != 4 {
        return None;
    }
    let y = num(tok)? as i32;
    (1900..=2100).contains(&y).then_some(y)
}

/// Parse the date part (tokens, folded, time already removed).
fn parse_date_tokens(toks: &[&str]) -> Option<NaiveDate> {
    match toks.len() {
        3 if num(toks[0]).is_some() && num(toks[1]).is_some() && num(toks[2]).is_some() => {
            let (a, b, c) = (num(toks[0])?, num(toks[1])?, num(toks[2])?);
            if let Some(y) = year(toks[0]) {
                return NaiveDate::from_ymd_opt(y, b, c);
            }
            let y = year(toks[2])?;
            // Day first (Arabic and European usage); month first only when the day cannot be.
            if b > 12 && a <= 12 {
                NaiveDate::from_ymd_opt(y, a, b)
            } else {
                NaiveDate::from_ymd_opt(y, b, a)
            }
        }
        _ => {
            // day MONTH year
            if let Some(d) = toks.first().and_then(|t| num(t)) {
                let (m, used) = month_run(toks, 1)?;
                if toks.len() != 2 + used {
                    return None;
                }
                let y = year(toks.get(1 + used)?)?;
                return NaiveDate::from_ymd_opt(y, m, d);
            }
            // MONTH day year
            let (m, used) = month_run(toks, 0)?;
            if toks.len() != used + 2 {
                return None;
            }
            let d = num(toks.get(used)?)?;
            let y = year(toks.get(used + 1)?)?;
            NaiveDate::from_ymd_opt(y, m, d)
        }
    }
}

fn parse_iso(s: &str) -> Option<String> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.format("%Y-%m-%dT%H:%M:%S%:z").to_string());
    }
    let c = ISO.captures(s)?;
    let part = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let y = c.get(1)?.as_str().parse::<i32>().ok()?;
    let date = NaiveDate::from_ymd_opt(y, part(2)?, part(3)?)?;
    if !(1900..=2100).contains(&y) {
        return None;
    }
    let Some(h) = part(4) else {
        return Some(date.format("%Y-%m-%d").to_string());
    };
    let time = NaiveTime::from_hms_opt(h, part(5)?, part(6).unwrap_or(0))?;
    let base = NaiveDateTime::new(date, time)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    match c.get(7).map(|m| m.as_str()) {
        Some("Z") | Some("z") => Some(format!("{base}+00:00")),
        Some(off) => {
            let digits: String = off.chars().filter(|c| c.is_ascii_digit()).collect();
            let (hh, mm) = digits.split_at(digits.len().min(2));
            Some(format!("{base}{}{hh}:{mm}", off.get(..1).unwrap_or("+")))
        }
        None => Some(base),
    }
}

/// Parse a string that *is* a date (a date line, a meta value) into ISO 8601.
///
/// Accepts ISO 8601 / RFC 3339 and RFC 2822 values, numeric dates
/// (`10.06.2017`, `10/06/2017`, `2017/06/10`), Arabic, Levantine and English
/// month names (`10 يونيو 2017`, `الأحد 12 آذار/مارس 2017`, `June 10, 2017`),
/// with an optional weekday, label (`نشر في`, `Published`) and time
/// (`10:57`, `10:57 م`). Returns `2017-06-10` or `2017-06-10T10:57:00`, or an
/// offset form when the value carries one. Anything else — a relative phrase
/// (`أمس`), a date without year, prose around a date, a bare number — gives `None`.
///
/// ```
/// use rasd_extract::parse_arabic_date;
/// assert_eq!(parse_arabic_date("10.06.2017 10:57").as_deref(), Some("2017-06-10T10:57:00"));
/// assert_eq!(parse_arabic_date("الأحد 12 آذار/مارس 2017").as_deref(), Some("2017-03-12"));
/// assert_eq!(parse_arabic_date("أمس الثلاثاء"), None);
/// ```
pub fn parse_arabic_date(s: &str) -> Option<String> {
    let s = ascii_digits(s.trim());
    if s.is_empty() || s.chars().count() > 80 {
        return None;
    }
    if let Some(iso) = parse_iso(&s) {
        return Some(iso);
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(&s) {
        return Some(dt.format("%Y-%m-%dT%H:%M:%S%:z").to_string());
    }
    // Take out one time of day, if any.
    let mut rest = s.clone();
    let mut time = None;
    if let Some(c) = TIME.captures(&s) {
        let whole = c.get(0)?;
        let mut h: u32 = c.get(1)?.as_str().parse().ok()?;
        let m: u32 = c.get(2)?.as_str().parse().ok()?;
        let sec: u32 = c.get(3).and_then(|x| x.as_str().parse().ok()).unwrap_or(0);
        if let Some(suffix) = c.get(4) {
            let sfx = suffix.as_str().to_lowercase();
            let pm = sfx.starts_with('م') || sfx.starts_with('p');
            if h > 12 {
                return None;
            }
            if pm && h < 12 {
                h += 12;
            } else if !pm && h == 12 {
                h = 0;
            }
        }
        time = Some(NaiveTime::from_hms_opt(h, m, sec)?);
        rest = format!("{} {}", &s[..whole.start()], &s[whole.end()..]);
        if TIME.is_match(&rest) {
            return None;
        }
    }
    let folded = fold(&rest);
    let toks: Vec<&str> = folded
        .split(' ')
        .filter(|t| !t.is_empty() && !FILLER.contains(t))
        .collect();
    let date = parse_date_tokens(&toks)?;
    Some(match time {
        Some(t) => NaiveDateTime::new(date, t)
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string(),
        None => date.format("%Y-%m-%d").to_string(),
    })
}

/// Path dates: `/2019/08/02/`, `/2019-08-02`, `_20190802.`; the year must follow a separator
/// and the day end the component, so ids such as `/article/1201908021` are not read as dates.
static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[/_\-.=](19[89]\d|20\d\d)(?:(/)(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:[/_\-.?#]|$)|(-)(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[/_\-.?#]|$)|(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_\-.?#]|$))",
    )
    .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

/// A publication date written in a page URL's path (`https://x.example/2019/08/02/title/`), as
/// `YYYY-MM-DD`. Only full dates count (a year and month alone say too little); the host is
/// skipped, and impossible days are refused.
///
/// ```
/// use rasd_extract::date_in_url;
/// assert_eq!(date_in_url("https://lemire.me/blog/2019/08/02/json/").as_deref(), Some("2019-08-02"));
/// assert_eq!(date_in_url("https://x.example/news/2019/08/").as_deref(), None);
/// ```
pub fn date_in_url(url: &str) -> Option<String> {
    let path_start = url
        .find("://")
        .map(|p| p + 3)
        .and_then(|p| url.get(p..).and_then(|r| r.find('/')).map(|q| p + q))
        .unwrap_or(0);
    let path = url.get(path_start..)?;
    for c in URL_DATE.captures_iter(path) {
        let y: i32 = c.get(1)?.as_str().parse().ok()?;
        let (m, d) = if c.get(2).is_some() {
            (c.get(3)?, c.get(4)?)
        } else if c.get(5).is_some() {
            (c.get(6)?, c.get(7)?)
        } else {
            (c.get(8)?, c.get(9)?)
        };
        let (m, d): (u32, u32) = (m.as_str().parse().ok()?, d.as_str().parse().ok()?);
        if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
            return Some(date.format("%Y-%m-%d").to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stated_dates() {
        let cases = [
            ("10.06.2017 10:57", "2017-06-10T10:57:00"),
            ("10.06.2017", "2017-06-10"),
            ("2017-06-10", "2017-06-10"),
            ("10/06/2017", "2017-06-10"),
            ("06/25/2017", "2017-06-25"),
            ("2017/06/10", "2017-06-10"),
            ("10 يونيو 2017", "2017-06-10"),
            ("١٠ يونيو ٢٠١٧", "2017-06-10"),
            ("3 جانفي 2019", "2019-01-03"),
            ("15 أوت 2018", "2018-08-15"),
            ("الأربعاء 11 شتنبر 2019", "2019-09-11"),
            ("2 غشت 2017", "2017-08-02"),
            ("20 دجنبر 2016", "2016-12-20"),
            ("4 جويلية 2020", "2020-07-04"),
            ("الأحد 12 آذار/مارس 2017", "2017-03-12"),
            ("12 مارس (آذار) 2017", "2017-03-12"),
            (
                "الثلاثاء، 3 كانون الثاني 2017 - 09:15 م",
                "2017-01-03T21:15:00",
            ),
            ("نشر في 5 تشرين الأول 2016", "2016-10-05"),
            ("June 10, 2017", "2017-06-10"),
            ("Published on 10 June 2017 at 10:57", "2017-06-10T10:57:00"),
            ("2017-06-10T10:57:00+03:00", "2017-06-10T10:57:00+03:00"),
            ("2017-06-10T10:57:00Z", "2017-06-10T10:57:00+00:00"),
            ("2017-06-10 10:57", "2017-06-10T10:57:00"),
            (
                "Sat, 10 Jun 2017 10:57:00 +0000",
                "2017-06-10T10:57:00+00:00",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(
                parse_arabic_date(input).as_deref(),
                Some(want),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn dates_in_urls() {
        let cases = [
            (
                "https://lemire.me/blog/2019/08/02/json-parsing/",
                Some("2019-08-02"),
            ),
            ("http://www.helge.at/2014/03/warum-wien/", None),
            ("https://x.example/2017/6/9/a", Some("2017-06-09")),
            (
                "https://x.example/news/2017-06-10-talks.html",
                Some("2017-06-10"),
            ),
            ("https://x.example/a_20170610.html", Some("2017-06-10")),
            ("https://x.example/2017/02/30/a", None),
            ("https://x.example/article/120170610", None),
            ("https://x.example/id=2017061012345", None),
            ("https://2017.example/01/02/a", None),
            ("https://x.example/law-2254-2015/", None),
            ("", None),
        ];
        for (url, want) in cases {
            assert_eq!(date_in_url(url).as_deref(), want, "{url}");
        }
    }

    #[test]
    fn refuses_non_dates() {
        let cases = [
            "",
            "أمس الثلاثاء",
            "اليوم الأربعاء",
            "4 مايو/ أيار الماضي",
            "القانون رقم 2254",
            "2254",
            "32.13.2017",
            "10 يونيو",
            "قال الوزير في 10 يونيو 2017 إن المحادثات مستمرة",
            "10:57",
            "آذار/يونيو 2017 10",
            "0933 123 456",
        ];
        for input in cases {
            assert_eq!(parse_arabic_date(input), None, "input {input:?}");
        }
    }
}
