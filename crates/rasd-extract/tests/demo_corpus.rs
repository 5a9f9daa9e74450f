//! Every page of the demo corpus (`../../demo/corpus`, described by
//! `../../demo/manifest.tsv`) through `extract_page`, checked against general
//! properties of a clean article: no leftover boilerplate, no repeated
//! paragraph, no site suffix in the title, a stated date that agrees with the
//! manifest (and never a wrong one), an outlet where the page names one, and
//! every real paragraph of the page kept. Skipped when the corpus is absent.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use rasd_extract::{decode, extract_page, looks_like_html};
use rasd_types::{Article, PageFormat, RawPage};
use scraper::{Html, Selector};

/// One manifest row.
struct Row {
    outlet: String,
    /// `YYYY-MM-DD` when the page states its date, else `None`.
    published: Option<String>,
    /// The true date from the notes (`true date YYYY-MM-DD`) for undated pages.
    true_date: Option<String>,
    kind: String,
    /// The page this one copies (`duplicate_of`), if any.
    copy_of: Option<String>,
    notes: String,
}

/// Light folding for matching: hamza alefs, alef maqsura, ta marbuta,
/// harakat/tatweel dropped, Arabic-Indic digits to ASCII, punctuation to spaces.
fn fold(s: &str) -> String {
    let mapped: String = s
        .chars()
        .filter_map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ى' => Some('ي'),
            'ة' => Some('ه'),
            '\u{064B}'..='\u{0652}' | '\u{0670}' | '\u{0640}' | '\u{200C}'..='\u{200F}' => None,
            '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10),
            c if c.is_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => Some(' '),
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Phrases that never belong to an article body (folded), found anywhere in a paragraph.
const BOILER_ANYWHERE: &[&str] = &[
    "اترك تعليق",
    "اترك رد",
    "بريدك الالكتروني",
    "بريدي الالكتروني",
    "احفظ اسمي",
    "الحقول الالزاميه",
    "ارسال التعليق",
    "زر الذهاب الي الاعلي",
    "next post",
    "previous post",
    "قد يعجبك",
    "قد يهمك",
    "مقالات ذات صله",
    "اخبار ذات صله",
    "تابعونا علي",
    "ملفات تعريف الارتباط",
    "الكوكيز",
    "cookie",
    "جميع الحقوق محفوظه",
    "النشره البريديه",
    "الاكثر قراءه",
    "سياسه الخصوصيه",
    "اتصل بنا",
];

/// Labels that make a short paragraph boilerplate when it starts with them (folded).
const BOILER_SHORT_PREFIX: &[&str] = &[
    "الاسم",
    "البريد الالكتروني",
    "الموقع الالكتروني",
    "التعليق",
    "شارك",
    "تابعونا",
    "تابعنا",
    "عاجل",
    "اقرا ايضا",
];

/// Menu, section and social-network words; a short paragraph made only of them is navigation.
const MENU_WORDS: &[&str] = &[
    "الرئيسيه",
    "اخبار",
    "عربيه",
    "عربي",
    "دولي",
    "دوليه",
    "محليات",
    "سياسه",
    "اقتصاد",
    "رياضه",
    "ثقافه",
    "وفنون",
    "فنون",
    "منوعات",
    "مقالات",
    "الراي",
    "فيديو",
    "صور",
    "تكنولوجيا",
    "صحه",
    "بحث",
    "من",
    "نحن",
    "اتصل",
    "بنا",
    "فيسبوك",
    "تويتر",
    "واتساب",
    "تيليغرام",
    "تلغرام",
    "اكس",
    "يوتيوب",
    "انستغرام",
    "لينكدان",
    "طباعه",
    "facebook",
    "twitter",
    "whatsapp",
    "telegram",
    "youtube",
    "instagram",
    "x",
];

fn corpus_dirs() -> Option<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo");
    let corpus = root.join("corpus");
    let manifest = root.join("manifest.tsv");
    if corpus.is_dir() && manifest.is_file() {
        Some((corpus, manifest))
    } else {
        eprintln!(
            "skipping: demo corpus not found at {} (or its manifest.tsv)",
            corpus.display()
        );
        None
    }
}

fn read_manifest(path: &Path) -> HashMap<String, Row> {
    let text = std::fs::read_to_string(path).expect("manifest is UTF-8");
    let mut out = HashMap::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [file, _story, outlet, published, kind, dup, notes] = cols[..] else {
            panic!("manifest row with {} columns: {line}", cols.len());
        };
        let day = |s: &str| s.get(..10).map(str::to_string);
        let true_date = notes
            .find("true date ")
            .and_then(|i| notes.get(i + "true date ".len()..))
            .and_then(day);
        out.insert(
            file.to_string(),
            Row {
                outlet: outlet.to_string(),
                published: (published != "-").then(|| day(published)).flatten(),
                true_date,
                kind: kind.to_string(),
                copy_of: (dup != "-").then(|| dup.to_string()),
                notes: notes.to_string(),
            },
        );
    }
    out
}

/// The page's real paragraphs, found independently of the extractor: lines
/// (text) or `<p>` elements (HTML) of 80+ characters ending a sentence that
/// carry no boilerplate phrase.
fn real_paragraphs(text: &str, html: bool) -> Vec<String> {
    let raw: Vec<String> = if html {
        let doc = Html::parse_document(text);
        let sel = Selector::parse("p").expect("selector");
        doc.select(&sel)
            .map(|p| p.text().collect::<Vec<_>>().join(""))
            .collect()
    } else {
        text.lines().map(str::to_string).collect()
    };
    let mut seen = HashSet::new();
    raw.into_iter()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| l.chars().count() >= 80 && ends_sentence(l))
        .filter(|l| {
            let f = fold(l);
            !BOILER_ANYWHERE.iter().any(|p| f.contains(p))
        })
        .filter(|l| seen.insert(fold(l)))
        .collect()
}

/// Sentence-final punctuation at the end (closing quotes skipped).
fn ends_sentence(p: &str) -> bool {
    p.trim_end_matches(['»', '"', '”', ')', ' '])
        .ends_with(['.', '!', '؟', '?', '…'])
}

/// Everything wrong with one extracted page, as messages.
/// `wire_source`: the outlet of the original a wire copy reproduces, when the page names it.
fn check(
    name: &str,
    a: &Article,
    row: &Row,
    real: &[String],
    wire_source: Option<&str>,
) -> Vec<String> {
    let mut bad = Vec::new();
    // 1. Boilerplate left in the body.
    for p in &a.paragraphs {
        let f = fold(p);
        let n = p.chars().count();
        if let Some(ph) = BOILER_ANYWHERE.iter().find(|ph| f.contains(*ph)) {
            bad.push(format!("boilerplate {ph:?} in paragraph {p:?}"));
        } else if n <= 60 {
            if let Some(ph) = BOILER_SHORT_PREFIX
                .iter()
                .find(|ph| f == **ph || f.starts_with(&format!("{ph} ")))
            {
                bad.push(format!("boilerplate label {ph:?} in paragraph {p:?}"));
            } else if f.split(' ').all(|w| MENU_WORDS.contains(&w) || w == "علي") {
                bad.push(format!("menu/social paragraph {p:?}"));
            } else if ["كتب", "كتبت", "بقلم", "نقلا عن", "المصدر"]
                .iter()
                .any(|ph| f == *ph || f.starts_with(&format!("{ph} ")))
            {
                bad.push(format!("byline/source line left in the body: {p:?}"));
            } else if n <= 50 && !ends_sentence(p) {
                // A dateline, label, menu item or headline fragment: not article prose.
                bad.push(format!("fragment left in the body: {p:?}"));
            }
        }
    }
    // 2. No paragraph repeated, none repeating the title.
    let mut seen = HashSet::new();
    for p in &a.paragraphs {
        if !seen.insert(fold(p)) {
            bad.push(format!("repeated paragraph {p:?}"));
        }
    }
    // 3. A title without the site name appended.
    match a.title.as_deref() {
        None => bad.push("no title".to_string()),
        Some(t) => {
            if seen.contains(&fold(t)) {
                bad.push(format!("title repeated as a paragraph: {t:?}"));
            }
            for sep in [" | ", " - ", " – ", " — "] {
                if let Some((_, tail)) = t.rsplit_once(sep) {
                    if tail.split_whitespace().count() <= 4 && fold(tail) == fold(&row.outlet) {
                        bad.push(format!("title keeps site suffix: {t:?}"));
                    }
                }
            }
            if t.contains(" | ") {
                bad.push(format!("title keeps a '|' part: {t:?}"));
            }
        }
    }
    // 4. The stated date: the manifest's day; never a wrong day.
    let got_day = a.published.as_deref().and_then(|d| d.get(..10));
    match (&row.published, got_day) {
        (Some(want), Some(got)) if got != want => {
            bad.push(format!("published {got} but the page states {want}"))
        }
        (Some(want), None) => bad.push(format!("published missing, page states {want}")),
        (None, Some(got)) if row.true_date.as_deref() != Some(got) => bad.push(format!(
            "published {got} on an undated page (true date {:?})",
            row.true_date
        )),
        _ => {}
    }
    // 5. The outlet where the page names itself.
    let names_outlet = [
        "outlet line",
        "og:site_name",
        "og,",
        "og:",
        "site name in title",
    ]
    .iter()
    .any(|k| row.notes.contains(k))
        || row.notes.contains(&format!("| {}", row.outlet))
        || row.notes.contains(&format!("- {}", row.outlet));
    match a.outlet.as_deref() {
        None if names_outlet => bad.push(format!("outlet missing (page names {})", row.outlet)),
        Some(o) if names_outlet && fold(o) != fold(&row.outlet) => {
            bad.push(format!("outlet {o:?}, page names {:?}", row.outlet))
        }
        _ => {}
    }
    // 6. The original outlet of a wire copy, where the page names it.
    if (row.notes.contains("المصدر:") || row.notes.contains("نقلاً عن"))
        && a.original_source.is_none()
    {
        bad.push("original_source missing (the page names its source)".to_string());
    }
    if let Some(src) = wire_source {
        if a.original_source.as_deref().map(fold) != Some(fold(src)) {
            bad.push(format!(
                "original_source {:?}, the wire copy names {src:?}",
                a.original_source
            ));
        }
    }
    // 7. The real paragraphs kept.
    let body = fold(&a.body);
    let mut total = 0usize;
    let mut kept = 0usize;
    for r in real {
        let n = r.chars().count();
        total += n;
        if body.contains(&fold(r)) {
            kept += n;
        } else {
            bad.push(format!("real paragraph lost: {r:?}"));
        }
    }
    if total > 0 && (kept as f64) < 0.6 * total as f64 {
        bad.push(format!("body keeps {kept} of {total} real-paragraph chars"));
    }
    if real.is_empty() {
        bad.push("no real paragraph found on the page (test input?)".to_string());
    }
    bad.into_iter().map(|m| format!("{name}: {m}")).collect()
}

/// Pages of a JSON Lines feed: (name, page, html?) per record.
fn feed_pages(file: &str, bytes: &[u8]) -> Vec<(String, RawPage, bool)> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            panic!("{file} line {}: not JSON", i + 1);
        };
        let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let (content, html) = match (field("html"), field("text")) {
            (Some(h), _) => (h, true),
            (None, Some(t)) => (t, false),
            _ => panic!("{file} line {}: no html/text field", i + 1),
        };
        let url = field("url").unwrap_or_else(|| format!("{file}#{}", i + 1));
        let format = if html {
            PageFormat::Html
        } else {
            PageFormat::Text
        };
        let mut page = RawPage::new(url.clone(), content.into_bytes(), format);
        page.url = Some(url.clone());
        page.published = field("published");
        page.outlet = field("outlet");
        out.push((url, page, html));
    }
    out
}

#[test]
fn every_demo_page_extracts_cleanly() {
    let Some((corpus, manifest)) = corpus_dirs() else {
        return;
    };
    let rows = read_manifest(&manifest);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("corpus readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut failures: Vec<String> = Vec::new();
    let (mut pages, mut clean, mut broken) = (0usize, 0usize, 0usize);
    for path in &files {
        let file = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let bytes = std::fs::read(path).expect("corpus file readable");
        if rows.get(&file).is_some_and(|r| r.kind == "broken") {
            broken += 1;
            if let Ok(a) = extract_page(&RawPage::new(file.clone(), bytes, PageFormat::Auto)) {
                failures.push(format!(
                    "{file}: broken file extracted as {:?}",
                    a.title.unwrap_or_default()
                ));
            }
            continue;
        }
        let items: Vec<(String, RawPage, bool)> = if file.ends_with(".jsonl") {
            feed_pages(&file, &bytes)
        } else if file.ends_with(".jsonl.gz") {
            let mut raw = Vec::new();
            flate2::read::GzDecoder::new(bytes.as_slice())
                .read_to_end(&mut raw)
                .expect("complete gzip feed");
            feed_pages(&file, &raw)
        } else if file.ends_with(".txt") || file.ends_with(".html") {
            let text = decode(&bytes, None).expect("page decodes").text;
            let html = looks_like_html(&text);
            vec![(
                file.clone(),
                RawPage::new(file.clone(), bytes, PageFormat::Auto),
                html,
            )]
        } else {
            continue;
        };
        for (name, page, html) in items {
            pages += 1;
            let Some(row) = rows.get(&name) else {
                failures.push(format!("{name}: not in the manifest"));
                continue;
            };
            let a = match extract_page(&page) {
                Ok(a) => a,
                Err(e) => {
                    failures.push(format!("{name}: {e}"));
                    continue;
                }
            };
            let text = decode(&page.bytes, None).expect("page decodes").text;
            let real = real_paragraphs(&text, html);
            // A wire copy that still names the original's outlet should report it as its source.
            let wire_source = row
                .copy_of
                .as_ref()
                .filter(|_| row.kind == "wire_copy")
                .and_then(|c| rows.get(c))
                .map(|orig| orig.outlet.as_str())
                .filter(|o| text.contains(o));
            let bad = check(&name, &a, row, &real, wire_source);
            if bad.is_empty() {
                clean += 1;
            }
            failures.extend(bad);
        }
    }
    eprintln!(
        "demo corpus: {clean} of {pages} pages clean, {broken} broken files checked, {} problems",
        failures.len()
    );
    assert!(
        pages >= 40,
        "only {pages} pages found in {}",
        corpus.display()
    );
    assert!(broken >= 2, "the manifest's broken files were not all seen");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The checker itself: a page with each known defect is reported for each one.
#[test]
fn checker_reports_each_defect() {
    let lead = "لقي سبعة أشخاص حتفهم وأصيب أربعون آخرون، اليوم الثلاثاء، جراء سيول جارفة اجتاحت أحياء واسعة في مدينة إربد.";
    let row = Row {
        outlet: "الحدث اليومي".to_string(),
        published: Some("2024-11-19".to_string()),
        true_date: None,
        kind: "rewrite".to_string(),
        copy_of: None,
        notes: "site name in title; 'نقلاً عن' line".to_string(),
    };
    let paragraphs: Vec<String> = [
        lead,
        lead,
        "الموقع الإلكتروني",
        "احفظ اسمي، بريدي الإلكتروني، والموقع الإلكتروني في هذا المتصفح لاستخدامها المرة المقبلة في تعليقي.",
        "إكس",
        "إربد - (وكالة أنباء المشرق)",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let a = Article {
        title: Some("سبعة قتلى في سيول إربد - الحدث اليومي".to_string()),
        body: paragraphs.join("\n\n"),
        paragraphs,
        published: Some("2024-11-20".to_string()),
        ..Article::default()
    };
    let lost = "وقال الناطق الإعلامي باسم المديرية إن فرق الإنقاذ تعاملت منذ ساعات الصباح مع أكثر من 350 بلاغاً في المدينة.";
    let bad = check("x", &a, &row, &[lead.to_string(), lost.to_string()], None);
    for want in [
        "repeated paragraph",
        "boilerplate label \"الموقع الالكتروني\"",
        "boilerplate \"بريدي الالكتروني\"",
        "menu/social paragraph",
        "fragment left in the body",
        "title keeps site suffix",
        "published 2024-11-20 but the page states 2024-11-19",
        "outlet missing",
        "original_source missing",
        "real paragraph lost",
    ] {
        assert!(
            bad.iter().any(|m| m.contains(want)),
            "{want} not in {bad:#?}"
        );
    }
    // A clean article of the same page passes.
    let clean = Article {
        title: Some("سبعة قتلى في سيول إربد".to_string()),
        body: format!("{lead}\n\n{lost}"),
        paragraphs: vec![lead.to_string(), lost.to_string()],
        published: Some("2024-11-19T18:40:00".to_string()),
        outlet: Some("الحدث اليومي".to_string()),
        original_source: Some("وكالة أنباء المشرق".to_string()),
        ..Article::default()
    };
    let none = check(
        "x",
        &clean,
        &row,
        &[lead.to_string(), lost.to_string()],
        None,
    );
    assert!(none.is_empty(), "{none:#?}");
}
