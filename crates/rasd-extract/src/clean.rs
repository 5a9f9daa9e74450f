//! Paragraph-level cleaning shared by text mode and HTML mode: trailing
//! boilerplate, source/date/outlet trailer lines, repeated paragraphs.

use std::collections::HashSet;
use std::sync::LazyLock;

use rasd_types::{Article, Evidence, Removed};
use regex::Regex;

use crate::date::parse_arabic_date;
use crate::fold::{fold, fold_eq, fold_first_word, fold_hash, is_arabic_letter};

/// Record a cut block.
pub(crate) fn cut(a: &mut Article, kind: &str, text: impl Into<String>) {
    let text = text.into();
    if !text.trim().is_empty() {
        a.removed.push(Removed {
            kind: kind.to_string(),
            text,
        });
    }
}

/// Record evidence for a metadata value.
pub(crate) fn evidence(a: &mut Article, field: &str, value: &str, from: &str) {
    a.evidence.push(Evidence {
        field: field.to_string(),
        value: value.to_string(),
        from: from.to_string(),
    });
}

/// Set a metadata field when it is empty, and record the evidence either way.
pub(crate) fn offer(a: &mut Article, field: &str, value: &str, from: &str) {
    let value = value.trim();
    if value.is_empty() {
        return;
    }
    evidence(a, field, value, from);
    let slot = match field {
        "title" => &mut a.title,
        "published" => &mut a.published,
        "modified" => &mut a.modified,
        "author" => &mut a.author,
        "outlet" => &mut a.outlet,
        "original_source" => &mut a.original_source,
        "url" => &mut a.url,
        "lang" => &mut a.lang,
        _ => return,
    };
    if slot.is_none() {
        *slot = Some(value.to_string());
    }
}

pub(crate) fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Sentence-final punctuation at the end of `s` (closing quotes/brackets skipped).
pub(crate) fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '”' | '»' | ')' | '\'' | '’' | '*')
    });
    t.ends_with(['.', '!', '?', '؟', '…', '。', ':'])
}

/// Whether the line holds any punctuation that marks a sentence or clause.
fn has_sentence_punct(s: &str) -> bool {
    s.contains([
        '.', '!', '?', '؟', '،', ',', '؛', ';', ':', '"', '«', '»', '“', '”', '(', ')',
    ])
}

/// A short line with no sentence punctuation and no digits that can be a site or outlet name.
pub(crate) fn is_name_like(s: &str) -> bool {
    let n = char_len(s);
    let words = s.split_whitespace().count();
    (2..=40).contains(&n)
        && (1..=4).contains(&words)
        && !has_sentence_punct(s)
        && !s
            .chars()
            .any(|c| c.is_ascii_digit() || ('٠'..='٩').contains(&c))
        && !s.contains(['/', '-', '–', '—', '|'])
        && marker(s).is_none()
}

static SOURCE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:المصدر|المصادر|مصدر الخبر|نقلا عن|نقلاً عن|نقلًا عن|source|via)\s*[:：\-–]?\s*(\S.*)$",
    )
    .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

// Words are letters with their marks (shadda, tanween: `عمّان`, `نقلاً`). The part after
// the dash may be an agency in brackets (`إربد - (وكالة الأنباء)`) or a source
// (`القاهرة - نقلاً عن وكالة الأنباء`).
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([\p{L}\p{M}]+(?: [\p{L}\p{M}]+){0,2})\s*(?:(?:/|-|–|—)\s*(\(?[\p{L}\p{M}]+(?: [\p{L}\p{M}]+){0,5}\)?)?|:)\s*$",
    )
    .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

static INLINE_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([\p{L}\p{M}]+(?: [\p{L}\p{M}]+){0,2}(?:\s*/\s*[\p{L}\p{M}]+(?: [\p{L}\p{M}]+)?)?)\s*(?:-|–|—|:)\s+\S")
        .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

/// `عواصم/ وكالات`, `عمان -`, `دمشق - سانا`, `إربد - (وكالة الأنباء)`: a place
/// (and agency or source) heading the report.
pub(crate) fn dateline(s: &str) -> Option<String> {
    let s = s.trim();
    if char_len(s) > 50 {
        return None;
    }
    if !DATELINE.is_match(s) {
        return None;
    }
    let slash_or_dash = s.contains(['/', '-', '–', '—']);
    let agency = fold(s).contains("وكال");
    (slash_or_dash || agency).then(|| crate::fold::collapse_ws(s))
}

/// Record a dateline cut from the text: its evidence, and the original outlet
/// when it names one (`القاهرة - نقلاً عن X`).
pub(crate) fn take_dateline(a: &mut Article, line: &str, d: &str) {
    evidence(a, "dateline", d, "dateline");
    let tail = d
        .split_once(['-', '–', '—', '/'])
        .map(|(_, t)| t.trim().trim_matches(['(', ')']).trim());
    if let Some(src) = tail.and_then(source_line) {
        offer(a, "original_source", &src, "dateline source");
    }
    cut(a, "dateline", line);
}

/// A wire copy names the agency it took the report from in its dateline
/// (`إربد - (وكالة الأنباء)` on another outlet's page): that agency is the
/// original source when no source line said otherwise. The agency must be
/// bracketed or of two words or more (a bare `وكالات` names no one), and
/// differ from the page's own outlet.
pub(crate) fn source_from_dateline(a: &mut Article) {
    if a.original_source.is_some() {
        return;
    }
    let Some(outlet) = a.outlet.as_deref().map(fold) else {
        return;
    };
    let found = a
        .evidence
        .iter()
        .filter(|e| e.field == "dateline")
        .find_map(|e| {
            let (_, tail) = e.value.split_once(['-', '–', '—', '/'])?;
            let tail = tail.trim();
            let bracketed = tail.starts_with('(') && tail.ends_with(')');
            let name = tail.trim_matches(['(', ')']).trim();
            let f = fold(name);
            let ok = (bracketed || name.split_whitespace().count() >= 2)
                && is_name_like(name)
                && !f.is_empty()
                && !f.contains(&outlet)
                && !outlet.contains(&f);
            ok.then(|| name.to_string())
        });
    if let Some(src) = found {
        offer(a, "original_source", &src, "dateline agency");
    }
}

/// The original outlet named by a `المصدر: X` / `نقلاً عن X` line.
pub(crate) fn source_line(s: &str) -> Option<String> {
    let c = SOURCE_LINE.captures(s.trim())?;
    let x = c
        .get(1)?
        .as_str()
        .trim()
        .trim_end_matches(['.', '،', ','].as_slice());
    let x = x.trim();
    let ok = x.chars().any(char::is_alphabetic)
        && char_len(x) <= 50
        && x.split_whitespace().count() <= 6
        && !x.contains(['.', '!', '؟', '?']);
    ok.then(|| x.to_string())
}

/// What kind of boilerplate a line announces, and how much it takes with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Span {
    /// Only this line.
    Line,
    /// This line and the headline-like lines after it (a list).
    List,
}

/// How a phrase must match the folded line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The whole line is the phrase (a trailing count such as `(3)` allowed).
    Exact,
    /// The line starts with the phrase (the line is short).
    Prefix,
}

struct Rule {
    kind: &'static str,
    mode: Mode,
    span: Span,
    phrases: &'static [&'static str],
}

/// Boilerplate phrases, folded (see `fold`).
const RULES: &[Rule] = &[
    Rule {
        kind: "comment_form",
        mode: Mode::Prefix,
        span: Span::List,
        phrases: &[
            "اترك تعليقا",
            "اترك تعليق",
            "اترك ردا",
            "اترك رد",
            "اضف تعليق",
            "اضف تعليقا",
            "اضف تعليقك",
            "شاركنا رايك",
            "لن يتم نشر عنوان بريدك",
            "لن يتم نشر البريد",
            "الحقول الالزاميه",
            "الحقول المطلوبه",
            "leave a reply",
            "leave a comment",
            "post a comment",
            "your email address will not be published",
            "required fields are marked",
        ],
    },
    Rule {
        kind: "comment_form",
        mode: Mode::Exact,
        span: Span::List,
        phrases: &["التعليقات", "تعليقات", "تعليق", "comments", "add comment"],
    },
    // The fields of a comment form (`الاسم *`, `البريد الإلكتروني *`, …): on a line of their
    // own they are form labels wherever the form starts, never article text.
    Rule {
        kind: "comment_form",
        mode: Mode::Exact,
        span: Span::List,
        phrases: &[
            "الاسم",
            "الاسم الكامل",
            "اسمك",
            "البريد الالكتروني",
            "بريدك الالكتروني",
            "الموقع الالكتروني",
            "موقعك الالكتروني",
            "الموقع",
            "التعليق",
            "تعليقك",
            "نص التعليق",
            "ارسال التعليق",
            "نشر التعليق",
            "اضافه التعليق",
            "ارسال",
            "name",
            "email",
            "website",
            "comment",
            "post comment",
            "submit comment",
        ],
    },
    Rule {
        kind: "comment_form",
        mode: Mode::Prefix,
        span: Span::List,
        phrases: &[
            "احفظ اسمي",
            "حفظ اسمي",
            "save my name",
            "notify me of",
            "اعلمني بالتعليقات",
            "اشعرني بالتعليقات",
        ],
    },
    Rule {
        kind: "back_to_top",
        mode: Mode::Exact,
        span: Span::Line,
        phrases: &[
            "زر الذهاب الي الاعلي",
            "الذهاب الي الاعلي",
            "العوده للاعلي",
            "العوده الي الاعلي",
            "الرجوع للاعلي",
            "الرجوع الي الاعلي",
            "الي الاعلي",
            "للاعلي",
            "back to top",
            "scroll to top",
            "go to top",
            "top",
        ],
    },
    Rule {
        kind: "next_post",
        mode: Mode::Prefix,
        span: Span::List,
        phrases: &[
            "next post",
            "previous post",
            "next article",
            "previous article",
            "المقال التالي",
            "المقال السابق",
            "الخبر التالي",
            "الخبر السابق",
            "الموضوع التالي",
            "الموضوع السابق",
            "المقاله التاليه",
            "المقاله السابقه",
        ],
    },
    Rule {
        kind: "next_post",
        mode: Mode::Exact,
        span: Span::List,
        phrases: &["التالي", "السابق", "next", "previous", "prev"],
    },
    Rule {
        kind: "related_list",
        mode: Mode::Exact,
        span: Span::List,
        phrases: &[
            "مقالات ذات صله",
            "اخبار ذات صله",
            "مواضيع ذات صله",
            "موضوعات ذات صله",
            "مقالات مشابهه",
            "اخبار مشابهه",
            "مواضيع مشابهه",
            "مقالات متعلقه",
            "اخبار متعلقه",
            "مواضيع متعلقه",
            "قد يعجبك ايضا",
            "قد يعجبك",
            "قد يهمك ايضا",
            "قد يهمك",
            "ربما يعجبك ايضا",
            "ربما يهمك ايضا",
            "ننصحك بقراءه",
            "الاكثر قراءه",
            "الاكثر مشاهده",
            "الاكثر تداولا",
            "اخر الاخبار",
            "اقرا ايضا",
            "اقرا كذلك",
            "اقرا المزيد",
            "شاهد ايضا",
            "طالع ايضا",
            "related articles",
            "related posts",
            "related news",
            "related stories",
            "related",
            "you may also like",
            "you might also like",
            "read also",
            "read more",
            "see also",
            "more stories",
            "most read",
        ],
    },
    Rule {
        kind: "read_also",
        mode: Mode::Prefix,
        span: Span::Line,
        phrases: &[
            "اقرا ايضا",
            "اقرا كذلك",
            "شاهد ايضا",
            "طالع ايضا",
            "read also",
            "see also",
        ],
    },
    Rule {
        kind: "share",
        mode: Mode::Exact,
        span: Span::Line,
        phrases: &[
            "شارك",
            "شاركها",
            "شارك الخبر",
            "شارك المقال",
            "شارك هذا",
            "شارك هذا المقال",
            "شارك هذا الخبر",
            "مشاركه",
            "مشاركه الخبر",
            "تابعونا",
            "تابعنا",
            "share",
            "share this",
            "share this article",
            "share this post",
            "follow us",
        ],
    },
    Rule {
        kind: "share",
        mode: Mode::Prefix,
        span: Span::Line,
        phrases: &[
            "شارك علي",
            "شارك عبر",
            "شارك الخبر علي",
            "شارك المقال علي",
            "تابعونا علي",
            "تابعونا عبر",
            "تابعنا علي",
            "تابعنا عبر",
            "share on",
            "share via",
            "follow us on",
        ],
    },
    Rule {
        kind: "dangling_source",
        mode: Mode::Exact,
        span: Span::Line,
        phrases: &["المصدر", "المصادر", "مصدر", "source", "sources"],
    },
];

/// Tokens of a line that lists only social networks / share targets.
const SOCIAL: &[&str] = &[
    "facebook",
    "twitter",
    "whatsapp",
    "telegram",
    "linkedin",
    "pinterest",
    "email",
    "print",
    "messenger",
    "reddit",
    "x",
    "فيسبوك",
    "فيس",
    "بوك",
    "تويتر",
    "واتساب",
    "واتس",
    "اب",
    "تلغرام",
    "تيليجرام",
    "تليجرام",
    "لينكدان",
    "ايميل",
    "طباعه",
    "البريد",
    "الالكتروني",
    "ماسنجر",
    "بينتيريست",
    "تيليغرام",
    "تلغرام",
    "انستغرام",
    "انستجرام",
    "انستقرام",
    "يوتيوب",
    "اكس",
    "تيك",
    "توك",
    "سناب",
    "شات",
    "ثريدز",
    "instagram",
    "youtube",
    "tiktok",
    "threads",
    "نسخ",
    "الرابط",
];

/// Words that can begin a marker line: the first word of every phrase of [`RULES`], and the
/// share-list tokens of [`SOCIAL`].
static MARKER_FIRST_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    RULES
        .iter()
        .flat_map(|r| r.phrases.iter())
        .filter_map(|p| p.split(' ').next())
        .chain(SOCIAL.iter().copied())
        .collect()
});

/// The boilerplate kind a line announces, if any.
pub(crate) fn marker(line: &str) -> Option<(&'static str, Span)> {
    if char_len(line) > 160 {
        return None;
    }
    // Every rule holds at the first word of the folded line (a phrase the line starts with or
    // is, less a trailing count; a list of networks): a line whose first word begins none, as
    // nearly every line of text, is no marker, and the whole line need not be folded.
    let first = fold_first_word(line);
    let uncounted = first.trim_end_matches(|c: char| c.is_ascii_digit());
    if !MARKER_FIRST_WORDS.contains(first.as_str()) && !MARKER_FIRST_WORDS.contains(uncounted) {
        return None;
    }
    marker_of_folded(line)
}

/// [`marker`] on the whole folded line.
fn marker_of_folded(line: &str) -> Option<(&'static str, Span)> {
    let f = fold(line);
    if f.is_empty() {
        return None;
    }
    // A trailing count like "التعليقات (3)" does not change what the line is.
    let core = f.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
    for rule in RULES {
        for p in rule.phrases {
            let hit = match rule.mode {
                Mode::Exact => core == *p,
                Mode::Prefix => f
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' ')),
            };
            if hit {
                return Some((rule.kind, rule.span));
            }
        }
    }
    let toks: Vec<&str> = f.split(' ').collect();
    if toks.iter().all(|t| SOCIAL.contains(t)) && toks.iter().any(|t| t.len() > 2) {
        return Some(("share", Span::Line));
    }
    None
}

/// A line that may belong to a list of headlines: short, not a finished sentence.
fn headline_like(s: &str) -> bool {
    let n = char_len(s);
    n <= 180 && !s.trim_end().ends_with('.')
}

/// A line that a trailer rule (date, source) should see rather than a list eat.
fn trailer_line(s: &str) -> bool {
    (char_len(s) <= 60 && parse_arabic_date(s).is_some()) || source_line(s).is_some()
}

/// Cut boilerplate announced by marker lines (comment forms, related lists,
/// next/previous post, back to top, share lines). The first paragraph is never a marker.
fn cut_markers(paras: Vec<String>, a: &mut Article) -> Vec<String> {
    let mut out = Vec::with_capacity(paras.len());
    let mut i = 0;
    while i < paras.len() {
        let p = &paras[i];
        let found = if out.is_empty() { None } else { marker(p) };
        let Some((kind, span)) = found else {
            out.push(p.clone());
            i += 1;
            continue;
        };
        // The dangling source label is a tail rule; in the middle it may label the next line.
        if kind == "dangling_source" {
            out.push(p.clone());
            i += 1;
            continue;
        }
        let mut group = vec![p.clone()];
        i += 1;
        if span == Span::List {
            while let Some(next) = paras.get(i) {
                // More of the same block (a form's fields, however long) goes with it.
                if marker(next).is_some_and(|(k2, _)| k2 == kind && k2 != "dangling_source") {
                    group.push(next.clone());
                    i += 1;
                    continue;
                }
                if trailer_line(next) || !headline_like(next) {
                    break;
                }
                // An outlet line right before a trailer date belongs to the trailer.
                if is_name_like(next) && paras.get(i + 1).is_some_and(|n| trailer_line(n)) {
                    break;
                }
                match marker(next) {
                    Some(("dangling_source", _)) => break,
                    Some((k2, _)) if k2 != kind => break,
                    _ => {}
                }
                group.push(next.clone());
                i += 1;
            }
        }
        if kind == "share" {
            // `شارك` / `تابعونا على` heads a list of networks, one short name per line.
            while let Some(next) = paras.get(i) {
                let before_trailer = trailer_line(next)
                    || (is_name_like(next) && paras.get(i + 1).is_some_and(|n| trailer_line(n)));
                let different = marker(next).is_some_and(|(k2, _)| k2 != "share");
                if before_trailer || different || !network_name(next) {
                    break;
                }
                group.push(next.clone());
                i += 1;
            }
        }
        cut(a, kind, group.join("\n"));
    }
    out
}

/// A line short enough to be one item of a share/follow list (`إكس`, `Threads`).
fn network_name(s: &str) -> bool {
    char_len(s) <= 25
        && s.split_whitespace().count() <= 3
        && !has_sentence_punct(s)
        && !s
            .chars()
            .any(|c| c.is_ascii_digit() || ('٠'..='٩').contains(&c))
}

/// Trailer rules applied from the end: date line, outlet line before it,
/// source line, dangling source label, single-line markers.
fn cut_trailer(mut paras: Vec<String>, a: &mut Article) -> Vec<String> {
    let mut after_date = false;
    while paras.len() > 1 {
        let Some(last) = paras.last().cloned() else {
            break;
        };
        let short = char_len(&last) <= 60;
        if short && !after_date {
            if let Some(date) = parse_arabic_date(&last) {
                offer(a, "published", &date, "trailer date line");
                cut(a, "date_line", last);
                paras.pop();
                after_date = true;
                continue;
            }
        }
        if let Some(src) = source_line(&last) {
            offer(a, "original_source", &src, "source line");
            cut(a, "source_line", last);
            paras.pop();
            continue;
        }
        match marker(&last) {
            Some(("dangling_source", _)) => {
                cut(a, "dangling_source", last);
                paras.pop();
                continue;
            }
            Some((kind, Span::Line)) => {
                cut(a, kind, last);
                paras.pop();
                continue;
            }
            _ => {}
        }
        if after_date && is_name_like(&last) {
            offer(a, "outlet", &last, "outlet line");
            cut(a, "outlet_line", last);
            paras.pop();
            after_date = false;
            continue;
        }
        // `المصدر` on its own line, the outlet on the next.
        if is_name_like(&last) && paras.len() > 2 {
            let prev = paras.get(paras.len() - 2).map(|s| fold(s));
            if matches!(prev.as_deref(), Some("المصدر") | Some("source")) {
                offer(a, "original_source", &last, "source line");
                cut(a, "source_line", last);
                paras.pop();
                continue;
            }
        }
        break;
    }
    paras
}

/// Drop paragraphs repeated within the page (compared on folded text, when that is at least 12
/// characters long), keeping the first.
fn dedup(paras: Vec<String>, a: &mut Article) -> Vec<String> {
    // Hash of the folded text → the kept paragraphs with that hash (compared in full).
    let mut seen: rustc_hash::FxHashMap<u64, Vec<usize>> = Default::default();
    let mut out: Vec<String> = Vec::with_capacity(paras.len());
    let mut buf = String::new();
    for p in paras {
        let (hash, len) = fold_hash(&p, &mut buf);
        if len >= 12 {
            let same = seen.get(&hash).is_some_and(|kept| {
                kept.iter()
                    .any(|&i| out.get(i).is_some_and(|k| fold_eq(k, &p)))
            });
            if same {
                cut(a, "repeated_paragraph", p);
                continue;
            }
            seen.entry(hash).or_default().push(out.len());
        }
        out.push(p);
    }
    out
}

/// A full date the report gives for "today" (`اليوم الجمعة ١٣ كانون الأول/ديسمبر ٢٠٢٤`):
/// the day the report was written. Only a date with day, month and year right after
/// `اليوم` counts; any other date in the text may be an event's, not the report's.
fn today_date(p: &str) -> Option<String> {
    let toks: Vec<&str> = p.split_whitespace().collect();
    for (i, t) in toks.iter().enumerate() {
        let word = t.trim_matches(|c: char| !c.is_alphanumeric());
        if fold(word) != "اليوم" {
            continue;
        }
        let after: Vec<&str> = toks
            .iter()
            .skip(i + 1)
            .take(7)
            .map(|w| w.trim_end_matches(['،', ',', '؛', ';', '.']))
            .collect();
        for k in (3..=after.len()).rev() {
            let Some(cand) = after.get(..k) else { continue };
            if let Some(d) = parse_arabic_date(&cand.join(" ")) {
                return Some(d);
            }
        }
    }
    None
}

/// The clean-up shared by both modes, applied to body paragraphs (title already taken).
pub(crate) fn clean_paragraphs(mut paras: Vec<String>, a: &mut Article) -> Vec<String> {
    if let (Some(title), Some(first)) = (a.title.as_deref(), paras.first()) {
        if fold_eq(title, first) {
            let first = paras.remove(0);
            cut(a, "title_repeat", first);
        }
    }
    // A dateline standing alone as the first paragraph (`عواصم/ وكالات`, `إربد - (وكالة …)`).
    if let Some(d) = paras.first().and_then(|p| dateline(p)) {
        let first = paras.remove(0);
        take_dateline(a, &first, &d);
    }
    // A byline among the first paragraphs (`بقلم: X`, `كتب X`, `By X`).
    if let Some(pos) = paras
        .iter()
        .take(3)
        .position(|p| crate::text::author_line(p).is_some())
    {
        let line = paras.remove(pos);
        if let Some(name) = crate::text::author_line(&line) {
            offer(a, "author", &name, "byline");
        }
        cut(a, "byline", line);
    }
    let paras = cut_markers(paras, a);
    let paras = cut_trailer(paras, a);
    let paras = dedup(paras, a);
    if a.published.is_none() {
        if let Some(d) = paras.iter().take(2).find_map(|p| today_date(p)) {
            offer(a, "published", &d, "lead date (اليوم)");
        }
    }
    if let Some(first) = paras.first() {
        if let Some(c) = INLINE_DATELINE.captures(first) {
            if let Some(m) = c.get(1) {
                let d = m.as_str();
                if d.contains('/') || fold(d).contains("وكال") {
                    evidence(a, "dateline", d.trim(), "dateline");
                }
            }
        }
    }
    paras
}

/// Language of the body: `ar` when Arabic letters dominate, `en` for English-looking
/// Latin text, else `fallback` (e.g. `<html lang>`).
pub(crate) fn detect_lang(body: &str, fallback: Option<&str>) -> Option<String> {
    let mut arabic = 0usize;
    let mut latin = 0usize;
    for c in body.chars() {
        if is_arabic_letter(c) {
            arabic += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    let fallback = fallback
        .map(|l| {
            l.split(['-', '_'])
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|l| (2..=3).contains(&l.len()));
    if arabic > 0 && arabic >= latin {
        return Some("ar".to_string());
    }
    if let Some(l) = fallback {
        return Some(l);
    }
    if latin > 0 {
        let f = fold(body);
        let hits = f
            .split(' ')
            .filter(|w| matches!(*w, "the" | "and" | "of" | "to" | "in" | "is" | "that"))
            .count();
        if hits * 20 >= f.split(' ').count() {
            return Some("en".to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_first_word_check_agrees_with_folding_the_whole_line() {
        let mut lines: Vec<String> = Vec::new();
        for rule in RULES {
            for p in rule.phrases {
                for l in [
                    p.to_string(),
                    format!("{p} (3)"),
                    format!("{p}3"),
                    format!("  {p}: نص بعده"),
                    format!("{p}ات"),
                    format!("و{p}"),
                ] {
                    lines.push(l);
                }
            }
        }
        for l in [
            "Facebook Twitter WhatsApp",
            "فيس بوك - تويتر - واتس اب",
            "شارك على فيسبوك",
            "قال الوزير إن المحادثات ستستمر",
            "«التعليقات» مغلقة",
            "١٢ تعليقا",
            "",
            "...",
        ] {
            lines.push(l.to_string());
        }
        let mut markers = 0;
        for l in &lines {
            let slow = marker_of_folded(l);
            markers += usize::from(slow.is_some());
            assert_eq!(marker(l), slow, "{l:?}");
        }
        assert!(markers > lines.len() / 3, "{markers} of {}", lines.len());
    }

    #[test]
    fn markers_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("اترك تعليقاً", Some("comment_form")),
            ("اترك تعليقا", Some("comment_form")),
            (
                "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *",
                Some("comment_form"),
            ),
            ("التعليقات (3)", Some("comment_form")),
            ("زر الذهاب إلى الأعلى", Some("back_to_top")),
            ("العودة للأعلى", Some("back_to_top")),
            ("Back to top", Some("back_to_top")),
            ("Next Post", Some("next_post")),
            ("المقال السابق", Some("next_post")),
            ("قد يعجبك ايضا", Some("related_list")),
            ("قد يعجبك أيضاً", Some("related_list")),
            ("مقالات ذات صلة", Some("related_list")),
            ("أخبار ذات صلة:", Some("related_list")),
            ("اقرأ أيضا", Some("related_list")),
            ("اقرأ أيضاً: روسيا تعلن هدنة في حلب", Some("read_also")),
            ("شارك", Some("share")),
            ("تابعونا على فيسبوك وتويتر", Some("share")),
            ("Facebook Twitter WhatsApp", Some("share")),
            ("المصدر", Some("dangling_source")),
            ("الاسم *", Some("comment_form")),
            ("البريد الإلكتروني *", Some("comment_form")),
            ("الموقع الإلكتروني", Some("comment_form")),
            ("التعليق *", Some("comment_form")),
            ("إرسال التعليق", Some("comment_form")),
            (
                "احفظ اسمي، بريدي الإلكتروني، والموقع الإلكتروني في هذا المتصفح لاستخدامها المرة المقبلة في تعليقي.",
                Some("comment_form"),
            ),
            ("تيليغرام", Some("share")),
            ("إكس", Some("share")),
            // negatives: real sentences that start with the same words
            ("شارك الرئيس في القمة التي عقدت في عمان.", None),
            ("التعليقات الروسية على الاقتراح جاءت سريعة", None),
            ("السابق ذكره في التقرير", None),
            ("المصدر: الشرق الأوسط", None),
            ("وقال المصدر إن المحادثات مستمرة.", None),
            ("الموقع الإلكتروني للوزارة نشر البيان كاملاً.", None),
            ("الاسم الذي اختاره الحزب للمرشح أثار جدلاً.", None),
            ("أشعرني الفوز بسعادة كبيرة، قال اللاعب.", None),
            ("", None),
        ];
        for (line, want) in cases {
            assert_eq!(marker(line).map(|m| m.0), *want, "line {line:?}");
        }
    }

    #[test]
    fn source_lines_and_datelines() {
        assert_eq!(
            source_line("المصدر: الشرق الأوسط").as_deref(),
            Some("الشرق الأوسط")
        );
        assert_eq!(source_line("المصدر : رويترز").as_deref(), Some("رويترز"));
        assert_eq!(
            source_line("نقلاً عن وكالة الأناضول").as_deref(),
            Some("وكالة الأناضول")
        );
        assert_eq!(source_line("المصدر"), None);
        assert_eq!(
            source_line("نقلاً عن مسؤولين أميركيين قالوا إن الاجتماع عقد في عمان قبل أسبوعين."),
            None
        );
        assert_eq!(dateline("عواصم/ وكالات").as_deref(), Some("عواصم/ وكالات"));
        assert_eq!(dateline("عمان -").as_deref(), Some("عمان -"));
        assert_eq!(dateline("بلدي نيوز"), None);
        assert_eq!(dateline("سيريانيوز"), None);
        // Marks inside words (shadda, tanween) and a bracketed agency or a source after the dash.
        assert_eq!(dateline("عمّان -").as_deref(), Some("عمّان -"));
        assert_eq!(
            dateline("إربد - (وكالة أنباء المشرق)").as_deref(),
            Some("إربد - (وكالة أنباء المشرق)")
        );
        assert_eq!(
            dateline("القاهرة - نقلاً عن وكالة أنباء المشرق").as_deref(),
            Some("القاهرة - نقلاً عن وكالة أنباء المشرق")
        );
        assert_eq!(
            dateline("وقال الوزير - في بيان - إن المحادثات مستمرة."),
            None
        );
    }

    fn article(outlet: Option<&str>) -> Article {
        Article {
            outlet: outlet.map(str::to_string),
            ..Article::default()
        }
    }

    #[test]
    fn dateline_names_the_original_source() {
        // (dateline, page outlet, original source expected)
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            (
                "القاهرة - نقلاً عن وكالة أنباء المشرق",
                None,
                Some("وكالة أنباء المشرق"),
            ),
            (
                "مسقط - (وكالة أنباء المشرق)",
                Some("بوابة الأخبار"),
                Some("وكالة أنباء المشرق"),
            ),
            // the agency's own page, a bare "agencies", no outlet to compare with
            (
                "مسقط - (وكالة أنباء المشرق)",
                Some("وكالة أنباء المشرق"),
                None,
            ),
            ("عواصم/ وكالات", Some("منصة أفق"), None),
            ("مسقط - (وكالة أنباء المشرق)", None, None),
            ("صنعاء - الرصيف الإخباري", Some("الرصيف الإخباري"), None),
        ];
        for (line, outlet, want) in cases {
            let mut a = article(*outlet);
            let d = dateline(line).unwrap_or_default();
            take_dateline(&mut a, line, &d);
            source_from_dateline(&mut a);
            assert_eq!(a.original_source.as_deref(), *want, "{line}");
            assert_eq!(a.removed.first().map(|r| r.kind.as_str()), Some("dateline"));
        }
    }

    #[test]
    fn comment_form_goes_whole_wherever_it_starts() {
        let lead =
            "قال مسؤولون إن المحادثات عقدت في عمان لبحث إقامة منطقة لتخفيف التوتر في الجنوب.";
        let forms: &[&[&str]] = &[
            &[
                "اترك تعليقاً",
                "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *",
                "التعليق *",
                "الاسم *",
                "البريد الإلكتروني *",
                "الموقع الإلكتروني",
                "احفظ اسمي، بريدي الإلكتروني، والموقع الإلكتروني في هذا المتصفح لاستخدامها المرة المقبلة في تعليقي.",
            ],
            // no heading: the form starts at its first field
            &["الاسم *", "البريد الإلكتروني *", "إرسال التعليق"],
        ];
        for form in forms {
            let mut paras = vec![lead.to_string()];
            paras.extend(form.iter().map(|s| s.to_string()));
            let mut a = Article::default();
            let out = cut_markers(paras, &mut a);
            assert_eq!(out, vec![lead.to_string()], "{form:?}");
            assert_eq!(a.removed.len(), 1, "one block: {:?}", a.removed);
            assert_eq!(
                a.removed.first().map(|r| r.kind.as_str()),
                Some("comment_form")
            );
        }
    }

    #[test]
    fn share_heading_takes_its_network_list() {
        let lead =
            "قال مسؤولون إن المحادثات عقدت في عمان لبحث إقامة منطقة لتخفيف التوتر في الجنوب.";
        let lines = [
            lead,
            "شارك",
            "فيسبوك",
            "تيليغرام",
            "تابعونا على",
            "إكس",
            "Threads",
            "مرصد الشرق",
            "24.10.2024 21:30",
        ];
        let mut a = Article::default();
        let out = cut_markers(lines.iter().map(|s| s.to_string()).collect(), &mut a);
        // The outlet line before the trailer date is left to the trailer rules.
        assert_eq!(out, vec![lead, "مرصد الشرق", "24.10.2024 21:30"]);
        assert_eq!(a.removed.len(), 1, "{:?}", a.removed);
        // A real sentence after a share line is not eaten.
        let mut a = Article::default();
        let out = cut_markers(
            vec![
                lead.to_string(),
                "شارك".to_string(),
                lead.replace("عمان", "دمشق"),
            ],
            &mut a,
        );
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn report_date_given_for_today() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "بدأ الأردنيون صباح اليوم الجمعة ١٣ كانون الأول/ديسمبر ٢٠٢٤ تعبئة خزانات سياراتهم.",
                Some("2024-12-13"),
            ),
            (
                "أعلنت الوزارة اليوم، 5 مارس 2024، خطة جديدة.",
                Some("2024-03-05"),
            ),
            // no full date after اليوم, or a date that is not today's
            ("أعلنت الوزارة اليوم الخميس خطة جديدة.", None),
            (
                "وكانت القمة قد عقدت في 12 أيار/مايو 2024 بمشاركة 62 دولة.",
                None,
            ),
            ("اليوم 13 كانون الأول بدأت الحملة.", None),
            ("", None),
        ];
        for (p, want) in cases {
            assert_eq!(today_date(p).as_deref(), *want, "{p}");
        }
    }

    #[test]
    fn name_like_lines() {
        for s in ["سيريانيوز", "بلدي نيوز", "It's Over 9000", "Enab Baladi"] {
            let ok = is_name_like(s);
            // digits exclude the third one
            assert_eq!(ok, !s.contains('9'), "{s}");
        }
        for s in [
            "وقال المسؤول إن الاجتماع انتهى.",
            "10.06.2017",
            "اترك تعليقاً",
            "عواصم/ وكالات",
        ] {
            assert!(!is_name_like(s), "{s}");
        }
    }

    #[test]
    fn lang_by_script() {
        assert_eq!(detect_lang("قال الوزير", None).as_deref(), Some("ar"));
        assert_eq!(
            detect_lang("The minister said that the talks in Geneva", None).as_deref(),
            Some("en")
        );
        assert_eq!(
            detect_lang("Le ministre a dit", Some("fr-FR")).as_deref(),
            Some("fr")
        );
        assert_eq!(detect_lang("12345", None), None);
    }
}
