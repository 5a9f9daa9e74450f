//! Whole-page fixtures under `tests/fixtures/`.

use rasd_extract::extract_page;
use rasd_types::{Article, PageFormat, RawPage};

fn load(name: &str) -> Article {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let bytes = std::fs::read(&path).expect("fixture present");
    extract_page(&RawPage::new(name, bytes, PageFormat::Auto)).expect("fixture decodes")
}

fn has_ev(a: &Article, field: &str, value: &str, from: &str) -> bool {
    a.evidence
        .iter()
        .any(|e| e.field == field && e.value == value && e.from == from)
}

#[test]
fn wordpress_article_page() {
    let a = load("wordpress_ar.html");
    assert_eq!(
        a.title.as_deref(),
        Some("واشنطن وموسكو تتفقان على آلية لمراقبة الهدنة في الجنوب السوري")
    );
    assert_eq!(a.published.as_deref(), Some("2017-07-09T14:20:11+03:00"));
    assert_eq!(a.modified.as_deref(), Some("2017-07-09T16:02:45+03:00"));
    assert_eq!(a.author.as_deref(), Some("ريم الحسن"));
    assert_eq!(a.outlet.as_deref(), Some("صوت الشام"));
    assert_eq!(a.original_source.as_deref(), Some("وكالات"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://sawt-alsham.example/2017/07/hudna-south/")
    );
    assert_eq!(a.lang.as_deref(), Some("ar"));
    assert!(has_ev(
        &a,
        "published",
        "2017-07-09T14:20:11+03:00",
        "json-ld datePublished"
    ));
    assert!(has_ev(&a, "outlet", "صوت الشام", "og:site_name"));

    let p = &a.paragraphs;
    assert!(
        p.first()
            .is_some_and(|x| x.starts_with("اتفقت الولايات المتحدة وروسيا")),
        "{p:#?}"
    );
    assert!(
        p.last().is_some_and(|x| x.starts_with("ويأتي الاتفاق")),
        "{p:#?}"
    );
    for kept in [
        "تحفظات المعارضة",
        "تثبيت وقف إطلاق النار",
        "فتح المعابر التجارية",
        "«هذا الاتفاق خطوة أولى",
    ] {
        assert!(
            p.iter().any(|x| x.starts_with(kept)),
            "{kept} missing: {p:#?}"
        );
    }
    for gone in [
        "اقرأ أيضاً",
        "الرئيسية",
        "مقتل 12 مدنياً",
        "الوسوم",
        "شارك",
        "فيسبوك",
        "المقال السابق",
        "مقالات ذات صلة",
        "رأس النظام",
        "اترك تعليق",
        "الأكثر قراءة",
        "اشترك في النشرة",
        "جميع الحقوق",
        "ملفات تعريف الارتباط",
        "إعلان",
        "المصدر",
        "dataLayer",
        "color:red",
    ] {
        assert!(!a.body.contains(gone), "{gone} left in body:\n{}", a.body);
    }
    let removed: String = a
        .removed
        .iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for seen in [
        "مقتل 12 مدنياً",
        "رأس النظام يلتقي",
        "جميع الحقوق محفوظة",
        "اقرأ أيضاً",
    ] {
        assert!(removed.contains(seen), "{seen} not in removed");
    }
    assert!(!removed.contains("dataLayer"));
    // The author box is listed too (named `author-…`, it goes as boilerplate; a box without
    // such a name would go as text outside the article container).
    assert!(!a.body.contains("صحفية سورية"));
    assert!(a.removed.iter().any(|r| {
        matches!(r.kind.as_str(), "outside_content" | "html_boilerplate")
            && r.text.contains("صحفية سورية")
    }));
}
