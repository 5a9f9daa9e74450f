//! Page chrome left inside the article's container in HTML mode: reader widgets, stand-alone
//! date lines and photo credits go to `removed` with their kind; the story's sentences stay, and
//! a date line cut this way is never read as the publication date.

use rasd_extract::extract_html;
use rasd_types::Article;

const P1: &str = "كشف مسؤولون أمريكيون ومصادر دبلوماسية غربية عن محادثات سرية بين واشنطن وموسكو في العاصمة الأردنية، بهدف إقامة منطقة لخفض التصعيد في جنوب غرب سوريا.";
const P2: &str = "وقال دبلوماسي غربي إن الجولة الثالثة من المحادثات تأجلت إلى موعد لم يحدد بعد، مشيراً إلى أن الخلاف يدور حول دور إيران في المنطقة.";
const P3: &str = "وأضاف أن الأطراف اتفقت على مواصلة الاتصالات خلال الأسابيع المقبلة، وأن اجتماعاً فنياً سيعقد في عمان لبحث آليات المراقبة على الأرض.";

fn page(article: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>محادثات سرية</title></head>\
         <body><nav><a href=\"/\">الرئيسية</a> <a href=\"/s\">سياسة</a></nav><article>{article}</article></body></html>"
    )
}

fn removed<'a>(a: &'a Article, kind: &str) -> Vec<&'a str> {
    a.removed
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.text.as_str())
        .collect()
}

#[test]
fn reader_widgets_go() {
    let html = page(&format!(
        "<div class=\"story\"><p>تكبير الخط تصغير الخط</p><p>طباعة</p><p>{P1}</p><p>{P2}</p>\
         <p>مدة القراءة: 3 دقائق</p><p>{P3}</p><p>هل كان هذا الخبر مفيداً؟</p></div>"
    ));
    let a = extract_html(&html, None);
    assert_eq!(a.paragraphs, vec![P1, P2, P3]);
    let cut = removed(&a, "reader_widget");
    // (`طباعة` alone goes too, with the share lines: see `paragraphs` above.)
    for w in [
        "تكبير الخط تصغير الخط",
        "مدة القراءة: 3 دقائق",
        "هل كان هذا الخبر مفيداً؟",
    ] {
        assert!(cut.contains(&w), "{w} not cut as a reader widget: {cut:?}");
    }
}

#[test]
fn date_line_above_the_story_goes_and_is_not_a_date() {
    let html = page(&format!(
        "<p>12.03.2017 | سياسة</p><p>{P1}</p><p>{P2}</p><p>آخر تحديث: 13 مارس 2017</p><p>{P3}</p>"
    ));
    let a = extract_html(&html, None);
    assert_eq!(a.paragraphs, vec![P1, P2, P3]);
    assert_eq!(
        removed(&a, "date_line"),
        vec!["12.03.2017 | سياسة", "آخر تحديث: 13 مارس 2017"]
    );
    // The page states no date of its own: the chrome's dates are not taken for one.
    assert_eq!(a.published, None);
}

#[test]
fn date_in_a_sentence_stays() {
    let lead = "وقعت الحادثة في 12 مارس 2017 قرب الحدود.";
    let html = page(&format!("<p>{lead}</p><p>{P1}</p><p>{P2}</p>"));
    let a = extract_html(&html, None);
    assert_eq!(a.paragraphs, vec![lead, P1, P2]);
    assert!(removed(&a, "date_line").is_empty());
}

#[test]
fn photo_credit_goes() {
    let html = page(&format!(
        "<p>{P1}</p><p>(الصورة: رويترز)</p><p>{P2}</p><p>تصوير: محمد علي</p><p>{P3}</p>"
    ));
    let a = extract_html(&html, None);
    assert_eq!(a.paragraphs, vec![P1, P2, P3]);
    assert_eq!(
        removed(&a, "photo_credit"),
        vec!["(الصورة: رويترز)", "تصوير: محمد علي"]
    );
}
