//! One small Arabic page per kind of boilerplate, encoding and metadata source that the other
//! test files do not cover already (html_mode.rs: nav, ticker, sidebar, share, related, comments,
//! footer, link lists, JSON-LD, OpenGraph, meta, `<time>`, title suffix, windows-1256 with
//! source metadata; decode.rs: BOM, UTF-16, single-byte Arabic, meta charset).

use rasd_extract::{extract_html, extract_page, warc::WarcReader};
use rasd_types::{Article, PageFormat, RawPage};

const P1: &str = "كشف مسؤولون أمريكيون ومصادر دبلوماسية غربية عن محادثات سرية بين واشنطن وموسكو في العاصمة الأردنية، بهدف إقامة منطقة لخفض التصعيد في جنوب غرب سوريا.";
const P2: &str = "وقال دبلوماسي غربي إن الجولة الثالثة من المحادثات تأجلت إلى موعد لم يحدد بعد، مشيراً إلى أن الخلاف يدور حول دور إيران في المنطقة.";

fn page(head: &str, body: &str) -> String {
    format!("<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\">{head}</head><body>{body}</body></html>")
}

fn from<'a>(a: &'a Article, field: &str) -> Vec<&'a str> {
    a.evidence
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.from.as_str())
        .collect()
}

#[test]
fn cookie_banner_goes() {
    let body = format!(
        "<div class=\"cookie-notice\"><p>يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك، وباستمرارك في التصفح فإنك توافق على ذلك.</p><button>موافق</button></div>\
         <article><p>{P1}</p><p>{P2}</p></article>"
    );
    let a = extract_html(&page("", &body), None);
    assert_eq!(a.paragraphs, vec![P1, P2]);
    assert!(a
        .removed
        .iter()
        .any(|r| r.text.contains("ملفات تعريف الارتباط")));
}

#[test]
fn headings_lists_and_tables_of_the_article_stay() {
    let body = format!(
        "<nav><a href=\"/\">الرئيسية</a></nav><article><h1>العنوان</h1><p>{P1}</p><h2>أبرز النقاط</h2>\
         <ul><li>وقف إطلاق النار في الجنوب</li><li>انسحاب المقاتلين الأجانب</li></ul><p>{P2}</p>\
         <table><tr><th>المحافظة</th><th>عدد النازحين</th></tr><tr><td>درعا</td><td>12000</td></tr></table></article>"
    );
    let a = extract_html(&page("", &body), None);
    for kept in [
        "أبرز النقاط",
        "وقف إطلاق النار في الجنوب",
        "انسحاب المقاتلين الأجانب",
        "درعا",
        "12000",
    ] {
        assert!(
            a.body.contains(kept),
            "{kept} missing from {:?}",
            a.paragraphs
        );
    }
    assert!(!a.body.contains("الرئيسية"));
}

#[test]
fn story_split_over_sections_is_kept_whole() {
    // Each section wrapper scores alone; the story is all of them.
    let sec = |p: &str| {
        format!(
            "<div class=\"story-section\"><div class=\"inner\"><p>{p}</p><p>{p} وأكد المصدر ذلك لاحقاً.</p></div></div>"
        )
    };
    let body = format!(
        "<div class=\"layout\"><div class=\"menu-bar\"><a href=\"/1\">سياسة</a> <a href=\"/2\">اقتصاد</a></div>\
         <section class=\"story\">{}{}{}</section></div>",
        sec(P1),
        sec(P2),
        sec(&P1.replace("واشنطن", "باريس"))
    );
    let a = extract_html(&page("", &body), None);
    assert_eq!(a.paragraphs.len(), 6, "{:?}", a.paragraphs);
}

#[test]
fn html_bylines_and_original_source() {
    let body = format!(
        "<article><p>بقلم: سامر العلي</p><p>{P1}</p><p>{P2}</p><p>نقلاً عن: وكالة الأناضول</p></article>"
    );
    let a = extract_html(&page("", &body), None);
    assert_eq!(a.author.as_deref(), Some("سامر العلي"));
    assert_eq!(a.original_source.as_deref(), Some("وكالة الأناضول"));
    assert_eq!(a.paragraphs, vec![P1, P2]);
}

#[test]
fn date_from_the_url_only_when_the_page_states_none() {
    let body = format!("<article><p>{P1}</p><p>{P2}</p></article>");
    let html = page(
        "<link rel=\"canonical\" href=\"https://news.example/ar/2019/08/02/talks\">",
        &body,
    );
    let a = extract_html(&html, None);
    assert_eq!(a.published.as_deref(), Some("2019-08-02"));
    assert_eq!(from(&a, "published"), vec!["date in url"]);

    let html = page(
        "<meta property=\"article:published_time\" content=\"2019-08-01T22:00:00+03:00\">\
         <link rel=\"canonical\" href=\"https://news.example/ar/2019/08/02/talks\">",
        &body,
    );
    let a = extract_html(&html, None);
    assert_eq!(a.published.as_deref(), Some("2019-08-01T22:00:00+03:00"));

    // A URL known only from the source (a WARC target URI) counts too; ids and law numbers do not.
    for (url, want) in [
        (
            "https://news.example/2017-06-10-talks.html",
            Some("2017-06-10"),
        ),
        ("https://news.example/law-2254-2015/", None),
        ("https://news.example/article/20171340", None),
    ] {
        let mut p = RawPage::new(url, page("", &body).into_bytes(), PageFormat::Html);
        p.url = Some(url.to_string());
        assert_eq!(
            extract_page(&p).unwrap().published.as_deref(),
            want,
            "{url}"
        );
    }
}

#[test]
fn maghrebi_and_levantine_months_in_a_trailer() {
    for (line, want) in [
        ("الأربعاء 11 شتنبر 2019", "2019-09-11"),
        ("15 أوت 2018", "2018-08-15"),
        ("3 كانون الثاني 2017", "2017-01-03"),
    ] {
        let body = format!("<article><p>{P1}</p><p>{P2}</p><p>{line}</p></article>");
        let a = extract_html(&page("", &body), None);
        assert_eq!(a.published.as_deref(), Some(want), "{line}");
    }
    // A phone number and a price are not dates.
    let body = format!("<article><p>{P1}</p><p>{P2}</p><p>للاتصال: 0933 123 456</p><p>السعر 2017 ليرة</p></article>");
    assert_eq!(extract_html(&page("", &body), None).published, None);
}

#[test]
fn encodings_declared_in_http_meta_or_guessed() {
    let html = page("", &format!("<article><p>{P1}</p><p>{P2}</p></article>"));
    // ISO-8859-6 declared by the HTTP header (RawPage::declared_charset), no meta charset.
    let plain = html.replace("<meta charset=\"utf-8\">", "");
    let (iso, _, bad) = encoding_rs::ISO_8859_6.encode(&plain);
    // ISO-8859-6 cannot write every letter (no پ, but also no Arabic comma variants): keep to what it can.
    if !bad {
        let mut p = RawPage::new("a", iso.into_owned(), PageFormat::Html);
        p.declared_charset = Some("ISO-8859-6".to_string());
        let a = extract_page(&p).unwrap();
        assert_eq!(a.encoding, "ISO-8859-6");
        assert_eq!(a.paragraphs, vec![P1, P2]);
    }
    // windows-1256 with no declaration anywhere: the detector finds it.
    let (w, _, _) = encoding_rs::WINDOWS_1256.encode(&plain);
    let a = extract_page(&RawPage::new("b", w.into_owned(), PageFormat::Html)).unwrap();
    assert_eq!(a.encoding, "windows-1256");
    assert_eq!(a.paragraphs, vec![P1, P2]);
    // A UTF-8 BOM wins over a wrong meta charset.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(html.replace("utf-8", "windows-1256").into_bytes());
    let a = extract_page(&RawPage::new("c", bom, PageFormat::Html)).unwrap();
    assert_eq!(a.encoding, "UTF-8");
    assert_eq!(a.paragraphs, vec![P1, P2]);
}

#[test]
fn warc_response_to_article() {
    let html = page(
        "",
        &format!("<article><h1>محادثات سرية</h1><p>{P1}</p><p>{P2}</p></article>"),
    )
    .replace("<meta charset=\"utf-8\">", "");
    let (body, _, _) = encoding_rs::WINDOWS_1256.encode(&html);
    let mut http =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1256\r\n\r\n".to_vec();
    http.extend_from_slice(&body);
    let mut warc = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/2017/06/10/talks\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    warc.extend(http);
    warc.extend_from_slice(b"\r\n\r\n");
    let pages: Vec<RawPage> = WarcReader::new(std::io::Cursor::new(warc))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(pages.len(), 1);
    let a = extract_page(&pages[0]).unwrap();
    assert_eq!(a.source, "https://news.example/2017/06/10/talks");
    assert_eq!(a.encoding, "windows-1256");
    assert_eq!(a.title.as_deref(), Some("محادثات سرية"));
    assert_eq!(a.paragraphs, vec![P1, P2]);
    assert_eq!(a.published.as_deref(), Some("2017-06-10"));
}
