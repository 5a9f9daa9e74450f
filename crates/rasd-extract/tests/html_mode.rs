//! HTML mode: metadata sources (each with its evidence) and main-content extraction.

use rasd_extract::{extract_html, extract_page, looks_like_html};
use rasd_types::{Article, PageFormat, RawPage};

const P1: &str = "كشف مسؤولون أمريكيون ومصادر دبلوماسية غربية عن محادثات سرية بين واشنطن وموسكو في العاصمة الأردنية، بهدف إقامة منطقة لخفض التصعيد في جنوب غرب سوريا.";
const P2: &str = "وقال دبلوماسي غربي إن الجولة الثالثة من المحادثات تأجلت إلى موعد لم يحدد بعد، مشيراً إلى أن الخلاف يدور حول دور إيران في المنطقة.";
const P3: &str = "وأضاف أن الجانبين اتفقا على مواصلة الاتصالات عبر القنوات القائمة، بما في ذلك لقاءات أستانا وجنيف، دون تحديد موعد جديد.";

fn doc(head: &str, body: &str) -> String {
    format!("<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\">{head}</head><body>{body}</body></html>")
}

fn article_body() -> String {
    format!("<article class=\"post-content\"><h1>محادثات سرية حول سوريا</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></article>")
}

fn ev<'a>(a: &'a Article, field: &str) -> Vec<(&'a str, &'a str)> {
    a.evidence
        .iter()
        .filter(|e| e.field == field)
        .map(|e| (e.value.as_str(), e.from.as_str()))
        .collect()
}

fn kinds(a: &Article) -> Vec<&str> {
    a.removed.iter().map(|r| r.kind.as_str()).collect()
}

#[test]
fn json_ld_metadata() {
    let ld = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
        {"@type":"WebSite","name":"موقع"},
        {"@type":"NewsArticle","headline":"محادثات سرية حول سوريا","datePublished":"2017-06-10T10:57:00+03:00",
         "dateModified":"2017-06-11T08:00:00+03:00","author":{"@type":"Person","name":"محمد الأحمد"},
         "publisher":{"@type":"Organization","name":"عنب بلدي"}}]}</script>"#;
    let a = extract_html(&doc(ld, &article_body()), None);
    assert_eq!(a.title.as_deref(), Some("محادثات سرية حول سوريا"));
    assert_eq!(a.published.as_deref(), Some("2017-06-10T10:57:00+03:00"));
    assert_eq!(a.modified.as_deref(), Some("2017-06-11T08:00:00+03:00"));
    assert_eq!(a.author.as_deref(), Some("محمد الأحمد"));
    assert_eq!(a.outlet.as_deref(), Some("عنب بلدي"));
    assert!(ev(&a, "published").contains(&("2017-06-10T10:57:00+03:00", "json-ld datePublished")));
    assert!(ev(&a, "modified").contains(&("2017-06-11T08:00:00+03:00", "json-ld dateModified")));
    assert!(ev(&a, "author").contains(&("محمد الأحمد", "json-ld author.name")));
    assert!(ev(&a, "outlet").contains(&("عنب بلدي", "json-ld publisher.name")));
    assert_eq!(a.paragraphs, vec![P1, P2, P3]);
}

#[test]
fn broken_json_ld_is_ignored() {
    let ld = r#"<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>"#;
    let a = extract_html(&doc(ld, &article_body()), None);
    assert_eq!(a.paragraphs, vec![P1, P2, P3]);
    assert_eq!(a.published, None);
}

#[test]
fn opengraph_and_meta() {
    let head = r#"<title>محادثات سرية حول سوريا | عنب بلدي</title>
        <meta property="og:title" content="محادثات سرية حول سوريا - عنب بلدي">
        <meta property="og:site_name" content="عنب بلدي">
        <meta property="article:published_time" content="2017-06-10T10:57:00Z">
        <meta property="article:modified_time" content="2017-06-10T12:00:00Z">
        <meta name="author" content="سارة العلي">
        <meta property="og:url" content="https://example.org/a/1">
        <link rel="canonical" href="https://example.org/a/1?amp=0">"#;
    let a = extract_html(&doc(head, &article_body()), Some("https://example.org/x"));
    assert_eq!(a.title.as_deref(), Some("محادثات سرية حول سوريا"));
    assert!(ev(&a, "title").contains(&("محادثات سرية حول سوريا", "og:title")));
    assert_eq!(a.outlet.as_deref(), Some("عنب بلدي"));
    assert!(ev(&a, "outlet").contains(&("عنب بلدي", "og:site_name")));
    assert_eq!(a.published.as_deref(), Some("2017-06-10T10:57:00+00:00"));
    assert!(ev(&a, "published")
        .iter()
        .any(|(_, f)| *f == "article:published_time"));
    assert_eq!(a.modified.as_deref(), Some("2017-06-10T12:00:00+00:00"));
    assert_eq!(a.author.as_deref(), Some("سارة العلي"));
    assert!(ev(&a, "author").contains(&("سارة العلي", "meta author")));
    assert_eq!(a.url.as_deref(), Some("https://example.org/a/1?amp=0"));
    assert!(ev(&a, "url").contains(&("https://example.org/a/1?amp=0", "link canonical")));
    assert_eq!(a.lang.as_deref(), Some("ar"));
}

#[test]
fn meta_date_pubdate_and_time_element() {
    let a = extract_html(
        &doc(
            r#"<meta name="pubdate" content="2016-07-15">"#,
            &article_body(),
        ),
        None,
    );
    assert_eq!(a.published.as_deref(), Some("2016-07-15"));
    assert!(ev(&a, "published").contains(&("2016-07-15", "meta pubdate")));

    let a = extract_html(
        &doc(
            r#"<meta name="date" content="15/07/2016">"#,
            &article_body(),
        ),
        None,
    );
    assert_eq!(a.published.as_deref(), Some("2016-07-15"));

    let body = format!("<article><time datetime=\"2019-07-03T09:00:00+03:00\">3 يوليو 2019</time><p>{P1}</p><p>{P2}</p></article>");
    let a = extract_html(&doc("", &body), None);
    assert_eq!(a.published.as_deref(), Some("2019-07-03T09:00:00+03:00"));
    assert!(ev(&a, "published")
        .iter()
        .any(|(_, f)| *f == "time datetime"));
}

#[test]
fn title_from_h1_then_title_element_with_suffix_cut() {
    let a = extract_html(&doc("<title>عنوان الصفحة</title>", &article_body()), None);
    assert_eq!(a.title.as_deref(), Some("محادثات سرية حول سوريا"));
    assert!(ev(&a, "title").contains(&("محادثات سرية حول سوريا", "h1")));
    // The h1 repeated at the top of the content is not a paragraph.
    assert_eq!(a.paragraphs.first().map(String::as_str), Some(P1));

    let body = format!("<div class=\"entry\"><p>{P1}</p><p>{P2}</p></div>");
    let a = extract_html(
        &doc(
            "<title>تفاهم أميركي روسي في سوريا - بلدي نيوز</title>",
            &body,
        ),
        None,
    );
    assert_eq!(a.title.as_deref(), Some("تفاهم أميركي روسي في سوريا"));
    assert_eq!(a.outlet.as_deref(), Some("بلدي نيوز"));
    assert!(ev(&a, "outlet").contains(&("بلدي نيوز", "title suffix")));
}

#[test]
fn main_content_drops_page_furniture() {
    let nav = "<nav class=\"main-menu\"><ul><li><a href=\"/\">الرئيسية</a></li><li><a href=\"/p\">سياسة</a></li><li><a href=\"/e\">اقتصاد</a></li></ul></nav>";
    let ticker = "<div class=\"news-ticker\"><a href=\"/1\">مقتل 160 شخصاً في اليمن جراء صواعق رعدية</a><a href=\"/2\">الأمن العسكري يقتحم بلدة التواني</a></div>";
    let sidebar = "<aside class=\"sidebar\"><h3>الأكثر قراءة</h3><p>تركيا تعزز قواتها على الحدود السورية الشمالية بعد هجمات جديدة.</p></aside>";
    let share = "<div class=\"share-buttons\">شارك على فيسبوك تويتر واتساب</div>";
    let related = "<div class=\"related-posts\"><h4>مقالات ذات صلة</h4><ul><li><a href=\"/r1\">روسيا تكشف عن أربع دول عربية عرضت استقبال اللجنة الدستورية</a></li><li><a href=\"/r2\">رأس النظام يلتقي وزير الدفاع الإيراني</a></li></ul></div>";
    let comments = "<div id=\"comments\"><h3>اترك تعليقاً</h3><form><textarea></textarea><button>إرسال</button></form></div>";
    let footer = "<footer><p>جميع الحقوق محفوظة لموقع المثال الإخباري 2019</p></footer>";
    let body = format!(
        "{nav}{ticker}<div class=\"wrap\"><div class=\"content\"><h1>محادثات سرية حول سوريا</h1><p>{P1}</p><p>{P2}</p>{share}<p>{P3}</p>{related}{comments}</div>{sidebar}</div>{footer}"
    );
    let a = extract_html(&doc("", &body), None);
    assert_eq!(a.paragraphs, vec![P1, P2, P3], "removed: {:?}", a.removed);
    for gone in [
        "الرئيسية",
        "صواعق",
        "الأكثر قراءة",
        "شارك",
        "مقالات ذات صلة",
        "رأس النظام",
        "اترك تعليق",
        "الحقوق",
    ] {
        assert!(!a.body.contains(gone), "{gone} left in body");
    }
    let all_removed: String = a
        .removed
        .iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for seen in [
        "صواعق رعدية",
        "رأس النظام يلتقي",
        "جميع الحقوق محفوظة",
        "تركيا تعزز قواتها",
    ] {
        assert!(all_removed.contains(seen), "{seen} not recorded as removed");
    }
    assert!(kinds(&a).contains(&"html_boilerplate"));
}

#[test]
fn link_lists_and_boilerplate_inside_the_container() {
    let body = format!(
        "<div id=\"story\"><p>{P1}</p><p>اقرأ أيضاً: <a href=\"/x\">الأمم المتحدة تحذر من كارثة إنسانية في إدلب</a></p><p>{P2}</p>\
         <ul><li><a href=\"/a\">تركيا تعزز قواتها على الحدود</a></li><li><a href=\"/b\">الأردن يغلق معبر نصيب الحدودي</a></li></ul>\
         <p>{P3}</p><p>المصدر: الشرق الأوسط</p><p>تابعونا على فيسبوك</p></div>"
    );
    let a = extract_html(&doc("", &body), None);
    assert_eq!(a.paragraphs, vec![P1, P2, P3], "removed: {:?}", a.removed);
    assert_eq!(a.original_source.as_deref(), Some("الشرق الأوسط"));
    let k = kinds(&a);
    assert!(k.contains(&"link_list"), "{k:?}");
    assert!(k.contains(&"share"), "{k:?}");
}

#[test]
fn br_separated_text_and_trailer_date() {
    let body = format!(
        "<div class=\"text\">{P1}<br>{P2}<br><br>{P3}<br>سيريانيوز<br>10.06.2017 10:57</div>"
    );
    let a = extract_html(&doc("", &body), None);
    assert_eq!(a.paragraphs, vec![P1, P2, P3]);
    assert_eq!(a.published.as_deref(), Some("2017-06-10T10:57:00"));
    assert_eq!(a.outlet.as_deref(), Some("سيريانيوز"));
}

#[test]
fn meta_date_outranks_trailer_line() {
    let body = format!("<article><p>{P1}</p><p>{P2}</p><p>11.06.2017</p></article>");
    let a = extract_html(
        &doc(
            r#"<meta property="article:published_time" content="2017-06-10">"#,
            &body,
        ),
        None,
    );
    assert_eq!(a.published.as_deref(), Some("2017-06-10"));
    assert!(ev(&a, "published").contains(&("2017-06-11", "trailer date line")));
}

#[test]
fn english_page_lang() {
    let body = "<article><p>The foreign ministers of Russia and the United States met in Geneva on Friday to discuss the ceasefire in Syria, officials said.</p><p>They agreed that the talks would continue in the coming weeks, and that the monitoring group would meet again.</p></article>";
    let html = format!("<html><head><title>Talks</title></head><body>{body}</body></html>");
    let a = extract_html(&html, None);
    assert_eq!(a.lang.as_deref(), Some("en"));
    assert_eq!(a.paragraphs.len(), 2);
}

#[test]
fn sniffing() {
    assert!(looks_like_html("  <!doctype html><html></html>"));
    assert!(looks_like_html("<div><p>نص</p></div>"));
    assert!(!looks_like_html("عنوان\n\nنص الخبر."));
    assert!(!looks_like_html(""));
}

#[test]
fn degenerate_html_does_not_panic() {
    let deep = "<div>".repeat(20_000) + "نص" + &"</div>".repeat(20_000);
    for h in [
        "",
        "<",
        "<html>",
        "<p>",
        "<script>{{{</script>",
        "<a href=x>x</a>",
        deep.as_str(),
    ] {
        let a = extract_html(h, None);
        assert!(a.paragraphs.iter().all(|p| !p.is_empty()));
    }
}

#[test]
fn extract_page_modes_encoding_and_source_metadata() {
    let html = doc("", &article_body());
    let html = html.replace("utf-8", "windows-1256");
    let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(&html);
    let mut page = RawPage::new("feed.jsonl#3", bytes.into_owned(), PageFormat::Auto);
    page.url = Some("https://example.org/a/1".to_string());
    page.published = Some("2017-06-10".to_string());
    page.outlet = Some("عنب بلدي".to_string());
    let a = extract_page(&page).unwrap();
    assert_eq!(a.encoding, "windows-1256");
    assert_eq!(a.source, "feed.jsonl#3");
    assert_eq!(a.url.as_deref(), Some("https://example.org/a/1"));
    assert_eq!(a.paragraphs, vec![P1, P2, P3]);
    assert_eq!(a.published.as_deref(), Some("2017-06-10"));
    assert!(ev(&a, "published").contains(&("2017-06-10", "source metadata")));
    assert_eq!(a.outlet.as_deref(), Some("عنب بلدي"));

    // The page's own statement wins over the source's.
    let html = doc(
        r#"<meta property="article:published_time" content="2019-01-02">"#,
        &article_body(),
    );
    let mut page = RawPage::new("x", html.into_bytes(), PageFormat::Html);
    page.published = Some("2017-06-10".to_string());
    let a = extract_page(&page).unwrap();
    assert_eq!(a.published.as_deref(), Some("2019-01-02"));
    assert!(!ev(&a, "published")
        .iter()
        .any(|(_, f)| *f == "source metadata"));

    // Forced text mode keeps markup as text.
    let page = RawPage::new("y", b"<p>x</p>".to_vec(), PageFormat::Text);
    assert_eq!(extract_page(&page).unwrap().body, "<p>x</p>");

    // Errors carry a one-line reason.
    let page = RawPage::new("z", b"\x00\x01binary".to_vec(), PageFormat::Auto);
    assert_eq!(
        extract_page(&page).unwrap_err().to_string(),
        "binary data (NUL bytes at offset 0), not a text page"
    );
}
