//! Text mode: pages already reduced to text (one paragraph per line).

use std::collections::{HashMap, HashSet};

use rasd_types::Article;

use crate::clean::{
    char_len, clean_paragraphs, cut, dateline, detect_lang, ends_sentence, evidence, is_name_like,
    marker, offer, source_from_dateline, take_dateline,
};
use crate::date::parse_arabic_date;
use crate::fold::{collapse_ws, fold, fold_eq};

/// Longest line still taken for a title.
const MAX_TITLE: usize = 220;

/// A line that reads as a body paragraph: long, or a sentence of some length ending in a period.
fn body_like(s: &str) -> bool {
    let n = char_len(s);
    n >= 120 || (n >= 60 && s.trim_end().ends_with(['.', '…']))
}

/// Share of a line covered by 16-character sequences that already occurred earlier in it.
fn repeated_share(s: &str) -> f64 {
    const K: usize = 16;
    const B: u64 = 1_000_003;
    // Strips of glued headlines are a few thousand characters; bound the work on huge lines.
    let chars: Vec<u64> = s.chars().take(8000).map(|c| c as u64).collect();
    if chars.len() < 2 * K {
        return 0.0;
    }
    // Rabin-Karp rolling hash of each window; a collision only nudges the share.
    let top = (0..K - 1).fold(1u64, |acc, _| acc.wrapping_mul(B));
    let mut h = chars
        .iter()
        .take(K)
        .fold(0u64, |acc, &c| acc.wrapping_mul(B).wrapping_add(c));
    let mut first: HashMap<u64, usize> = HashMap::with_capacity(chars.len());
    let mut covered = 0usize;
    let windows = chars.len() - K + 1;
    for i in 0..windows {
        if i > 0 {
            let out = chars.get(i - 1).copied().unwrap_or(0);
            let inc = chars.get(i + K - 1).copied().unwrap_or(0);
            h = h
                .wrapping_sub(out.wrapping_mul(top))
                .wrapping_mul(B)
                .wrapping_add(inc);
        }
        match first.get(&h) {
            Some(&j) if j + K <= i => covered += 1,
            Some(_) => {}
            None => {
                first.insert(h, i);
            }
        }
    }
    covered as f64 / windows as f64
}

/// Sentence ends inside a line: `.`, `!`, `?`, `؟` followed by a space or the end.
fn sentence_ends(s: &str) -> usize {
    let mut n = 0;
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if matches!(c, '.' | '!' | '?' | '؟') {
            match it.peek() {
                None => n += 1,
                Some(next) if next.is_whitespace() => n += 1,
                _ => {}
            }
        }
    }
    n
}

/// A long line of headlines glued together (navigation / ticker strip).
/// `next` is the following line, if any.
fn nav_strip(s: &str, next: Option<&str>) -> bool {
    let n = char_len(s);
    if n >= 150 && repeated_share(s) >= 0.2 {
        return true;
    }
    let next_is_title = next.is_some_and(|t| char_len(t) <= MAX_TITLE && !body_like(t));
    n >= 200 && sentence_ends(s) == 0 && !ends_sentence(s) && next_is_title
}

/// Split `Title - Site` into the title and the site name.
/// `strong`: the caller has other evidence (a duplicate title line), so the suffix may be longer.
pub(crate) fn split_site_suffix(title: &str, strong: bool) -> Option<(String, String)> {
    const SEPS: [&str; 6] = [" | ", " - ", " – ", " — ", " :: ", " » "];
    let (pos, sep) = SEPS
        .iter()
        .filter_map(|sep| title.rfind(sep).map(|p| (p, *sep)))
        .max_by_key(|(p, _)| *p)?;
    let head = title.get(..pos)?.trim();
    let site = title.get(pos + sep.len()..)?.trim();
    let head_words = head.split_whitespace().count();
    let site_words = site.split_whitespace().count();
    let max_words = if strong {
        8
    } else if sep == " | " {
        6
    } else {
        4
    };
    let ok = !site.is_empty()
        && head_words >= 3
        && site_words <= max_words
        && char_len(site) <= if strong { 60 } else { 40 }
        && (strong || !site.ends_with('.'));
    ok.then(|| (head.to_string(), site.to_string()))
}

/// Words (folded, 3+ letters) of a line.
fn words(s: &str) -> HashSet<String> {
    fold(s)
        .split(' ')
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_string)
        .collect()
}

/// Share of the line's words found in the lead paragraph.
fn overlap(line: &str, lead: &HashSet<String>) -> f64 {
    let w = words(line);
    if w.is_empty() {
        return 0.0;
    }
    w.iter().filter(|x| lead.contains(*x)).count() as f64 / w.len() as f64
}

const AUTHOR_PREFIXES: [&str; 7] = ["بقلم", "كتب", "كتبت", "اعداد", "تحرير", "written by", "by"];

/// `بقلم X` / `By X`: the author's name.
pub(crate) fn author_line(s: &str) -> Option<String> {
    if char_len(s) > 60 || s.contains(['.', '،']) {
        return None;
    }
    let f = fold(s);
    for p in AUTHOR_PREFIXES {
        if let Some(rest) = f.strip_prefix(p) {
            if rest.starts_with([' ', ':']) {
                // Take the name from the original text: drop as many words as the prefix has.
                let skip = p.split(' ').count();
                let name: Vec<&str> = s
                    .split(|c: char| c.is_whitespace() || c == ':')
                    .filter(|w| !w.is_empty())
                    .skip(skip)
                    .collect();
                if (1..=5).contains(&name.len()) {
                    return Some(name.join(" "));
                }
            }
        }
    }
    None
}

/// Clean a page that is already text: one paragraph per line or per blank-line-separated block.
///
/// Cuts a leading navigation strip, recognises the title (and a site name
/// appended to it), a byline or dateline under it, trailing boilerplate
/// (comment forms, related lists, next/previous post, back to top, share
/// lines), a trailer date and outlet line, a `المصدر: X` source line and
/// repeated paragraphs. Everything cut is listed in `removed`.
///
/// ```
/// use rasd_extract::extract_text;
/// let page = "محادثات روسية أمريكية في عمان\n\n\
///     قال مسؤولون إن محادثات سرية بين واشنطن وموسكو عقدت في عمان لبحث إقامة منطقة لتخفيف التوتر في جنوب سوريا.\n\n\
///     اترك تعليقاً\n\nسيريانيوز\n\n10.06.2017 10:57";
/// let a = extract_text(page);
/// assert_eq!(a.title.as_deref(), Some("محادثات روسية أمريكية في عمان"));
/// assert_eq!(a.published.as_deref(), Some("2017-06-10T10:57:00"));
/// assert_eq!(a.outlet.as_deref(), Some("سيريانيوز"));
/// assert_eq!(a.paragraphs.len(), 1);
/// ```
pub fn extract_text(text: &str) -> Article {
    let mut a = Article::default();
    let lines: Vec<String> = text
        .lines()
        .map(|l| collapse_ws(l.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')))
        .filter(|l| !l.is_empty())
        .collect();

    // The head: lines before the first body paragraph that is not a glued headline strip.
    let mut nav = vec![false; lines.len()];
    let mut lead_idx = None;
    for (i, l) in lines.iter().enumerate() {
        if nav_strip(l, lines.get(i + 1).map(String::as_str)) && lead_idx.is_none() {
            nav[i] = true;
            continue;
        }
        if body_like(l) {
            lead_idx = Some(i);
            break;
        }
    }
    let head_end = lead_idx.unwrap_or(0).min(lines.len());
    for (i, l) in lines.iter().enumerate().take(head_end) {
        if nav[i] {
            cut(&mut a, "nav_strip", l.clone());
        }
    }
    // Short head lines, in order.
    let short: Vec<usize> = (0..head_end).filter(|&i| !nav[i]).collect();
    let mut consumed: HashSet<usize> = (0..head_end).filter(|&i| nav[i]).collect();

    // `Title - Site` followed by `Title`: keep the plain line, take the site name.
    let mut title_idx = None;
    if let Some(&first) = short.first() {
        if let Some(l) = lines.get(first) {
            let dup = split_site_suffix(l, true).and_then(|(head, site)| {
                short
                    .iter()
                    .skip(1)
                    .take(2)
                    .find(|&&j| lines.get(j).is_some_and(|t| fold_eq(t, &head)))
                    .map(|&j| (j, site))
            });
            if let Some((j, site)) = dup {
                cut(&mut a, "title_suffix", site.clone());
                evidence(&mut a, "outlet", &site, "title suffix");
                consumed.insert(first);
                title_idx = Some(j);
            }
        }
    }
    if title_idx.is_none() && !short.is_empty() {
        // With three or more short lines, the title is the one sharing most words with the lead
        // (the lead's words are only gathered then).
        let mut best = short[0];
        let lead_words = lead_idx
            .filter(|_| short.len() >= 3)
            .and_then(|i| lines.get(i))
            .map(|l| words(l))
            .unwrap_or_default();
        // Candidates: lines of 3+ words that are not a date, dateline or byline.
        let candidates: Vec<usize> = if lead_words.is_empty() {
            Vec::new()
        } else {
            short
                .iter()
                .copied()
                .filter(|&i| {
                    lines.get(i).is_some_and(|l| {
                        l.split_whitespace().count() >= 3
                            && parse_arabic_date(l).is_none()
                            && dateline(l).is_none()
                            && author_line(l).is_none()
                    })
                })
                .collect()
        };
        if let Some((&first, rest)) = candidates.split_first() {
            best = first;
            let mut best_score = overlap(&lines[best], &lead_words);
            for &i in rest {
                let sc = overlap(&lines[i], &lead_words);
                if sc > best_score + 1e-9 {
                    best = i;
                    best_score = sc;
                }
            }
        }
        let ok = lines
            .get(best)
            .is_some_and(|t| char_len(t) <= MAX_TITLE && !t.trim_end().ends_with('.'));
        if ok {
            for &i in short.iter().take_while(|&&i| i < best) {
                if let Some(l) = lines.get(i) {
                    cut(&mut a, "nav_strip", l.clone());
                }
                consumed.insert(i);
            }
            title_idx = Some(best);
        }
    }
    if let Some(t) = title_idx.and_then(|i| lines.get(i)) {
        consumed.insert(title_idx.unwrap_or(0));
        let mut title = t.clone();
        if a.evidence.iter().all(|e| e.from != "title suffix") {
            if let Some((head, site)) = split_site_suffix(t, false) {
                cut(&mut a, "title_suffix", site.clone());
                evidence(&mut a, "outlet", &site, "title suffix");
                title = head;
            }
        }
        offer(&mut a, "title", &title, "first short line");
        // Short lines right after the title: byline, author, dateline.
        let ti = title_idx.unwrap_or(0);
        for &i in short.iter().filter(|&&i| i > ti) {
            let Some(l) = lines.get(i) else { continue };
            if marker(l).is_some() {
                continue;
            }
            if let Some(date) = (char_len(l) <= 60).then(|| parse_arabic_date(l)).flatten() {
                offer(&mut a, "published", &date, "header date line");
                cut(&mut a, "date_line", l.clone());
                consumed.insert(i);
            } else if let Some(d) = dateline(l) {
                take_dateline(&mut a, l, &d);
                consumed.insert(i);
            } else if let Some(name) = author_line(l) {
                offer(&mut a, "author", &name, "byline");
                cut(&mut a, "byline", l.clone());
                consumed.insert(i);
            } else if is_name_like(l) {
                offer(&mut a, "outlet", l, "byline");
                cut(&mut a, "outlet_line", l.clone());
                consumed.insert(i);
            } else {
                break;
            }
        }
    }
    // A byline outlet outranks a site name taken from the title suffix.
    if a.outlet.is_none() {
        if let Some(site) = a
            .evidence
            .iter()
            .find(|e| e.field == "outlet" && e.from == "title suffix")
            .map(|e| e.value.clone())
        {
            a.outlet = Some(site);
        }
    }

    let paras: Vec<String> = lines
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !consumed.contains(i))
        .map(|(_, l)| l)
        .collect();
    let paras = clean_paragraphs(paras, &mut a);
    finish(&mut a, paras, None);
    a
}

/// Fill body, paragraphs and language from the final paragraphs.
pub(crate) fn finish(a: &mut Article, paras: Vec<String>, html_lang: Option<&str>) {
    a.body = paras.join("\n\n");
    a.paragraphs = paras;
    a.lang = detect_lang(&a.body, html_lang);
    source_from_dateline(a);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_share_separates_glued_headlines_from_prose() {
        let glued = "مقتل 160 شخصاً في اليمن جراء صواعق رعديةإطلاق الهيئة العامة للحراك السلميمقتل 160 شخصاً في اليمن جراء صواعق رعديةإطلاق الهيئة العامة للحراك السلمي";
        assert!(repeated_share(glued) > 0.3);
        let prose = "كشف مسؤولون أمريكيون ومصادر دبلوماسية غربية عن عقد محادثات أمريكية روسية سرية في العاصمة الأردنية بهدف إقامة منطقة لتخفيف التوتر في جنوب غرب سوريا.";
        assert!(repeated_share(prose) < 0.05);
    }

    #[test]
    fn site_suffix_split() {
        type Case<'a> = (&'a str, bool, Option<(&'a str, &'a str)>);
        let cases: &[Case] = &[
            (
                "تفاهم أميركي روسي في سوريا - It's Over 9000!",
                true,
                Some(("تفاهم أميركي روسي في سوريا", "It's Over 9000!")),
            ),
            (
                "محادثات سرية حول سوريا | عنب بلدي",
                false,
                Some(("محادثات سرية حول سوريا", "عنب بلدي")),
            ),
            ("محادثات سرية حول سوريا", false, None),
            ("واشنطن - موسكو", false, None),
        ];
        for (t, strong, want) in cases {
            let got = split_site_suffix(t, *strong);
            let want = want.map(|(a, b)| (a.to_string(), b.to_string()));
            assert_eq!(got, want, "{t}");
        }
    }

    #[test]
    fn author_lines() {
        assert_eq!(
            author_line("بقلم: محمد الأحمد").as_deref(),
            Some("محمد الأحمد")
        );
        assert_eq!(author_line("By John Smith").as_deref(), Some("John Smith"));
        assert_eq!(author_line("بلدي نيوز"), None);
    }
}
