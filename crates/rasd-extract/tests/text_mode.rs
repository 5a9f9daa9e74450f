//! Text-mode cleaning: one case per kind of boilerplate, plus negative cases.

use rasd_extract::extract_text;
use rasd_types::Article;

const TITLE: &str = "موسكو وواشنطن تبحثان منطقة لخفض التصعيد في جنوب سوريا";
const P1: &str = "كشف مسؤولون أمريكيون ومصادر دبلوماسية غربية عن محادثات سرية بين واشنطن وموسكو في العاصمة الأردنية، بهدف إقامة منطقة لخفض التصعيد في جنوب غرب سوريا.";
const P2: &str = "وقال دبلوماسي غربي إن الجولة الثالثة من المحادثات تأجلت إلى موعد لم يحدد بعد، مشيراً إلى أن الخلاف يدور حول دور إيران في المنطقة.";

fn page(tail: &[&str]) -> String {
    let mut parts = vec![TITLE, P1, P2];
    parts.extend_from_slice(tail);
    parts.join("\n\n")
}

fn kinds(a: &Article) -> Vec<&str> {
    a.removed.iter().map(|r| r.kind.as_str()).collect()
}

fn assert_clean(a: &Article) {
    assert_eq!(a.title.as_deref(), Some(TITLE));
    assert_eq!(
        a.paragraphs,
        vec![P1.to_string(), P2.to_string()],
        "removed: {:?}",
        a.removed
    );
    assert_eq!(a.body, format!("{P1}\n\n{P2}"));
}

#[test]
fn trailing_boilerplate_each_kind() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "اترك تعليقاً",
                "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *",
            ],
            "comment_form",
        ),
        (&["أضف تعليقك", "الاسم", "البريد الإلكتروني"], "comment_form"),
        (&["Leave a Reply"], "comment_form"),
        (&["زر الذهاب إلى الأعلى"], "back_to_top"),
        (&["العودة للأعلى"], "back_to_top"),
        (&["Back to top"], "back_to_top"),
        (&["Next Post", "روسيا تعلن هدنة جديدة في حلب"], "next_post"),
        (&["المقال السابق", "الأردن يغلق معبر نصيب"], "next_post"),
        (
            &[
                "قد يعجبك أيضاً",
                "الأمم المتحدة تحذر من كارثة في إدلب",
                "مقتل 12 مدنياً بقصف على ريف حماة",
            ],
            "related_list",
        ),
        (
            &[
                "مقالات ذات صلة",
                "روسيا تكشف عن أربع دول عربية",
                "رأس النظام يلتقي وزير الدفاع الإيراني",
            ],
            "related_list",
        ),
        (
            &["أخبار ذات صلة:", "تركيا تعزز قواتها في إدلب"],
            "related_list",
        ),
        (
            &["مواضيع ذات صلة", "وزير الخارجية الروسي يزور أنقرة"],
            "related_list",
        ),
        (
            &["اقرأ أيضا", "الأمم المتحدة تحذر من كارثة في إدلب"],
            "related_list",
        ),
        (&["شارك"], "share"),
        (&["تابعونا على فيسبوك وتويتر"], "share"),
        (&["Facebook Twitter WhatsApp Telegram"], "share"),
        (&["المصدر"], "dangling_source"),
        (&["المصدر :"], "dangling_source"),
    ];
    for (tail, kind) in cases {
        let a = extract_text(&page(tail));
        assert_clean(&a);
        assert!(kinds(&a).contains(kind), "{tail:?} → {:?}", a.removed);
        for line in *tail {
            assert!(!a.body.contains(line), "{line} left in body");
        }
    }
}

#[test]
fn read_also_inline_line_in_the_middle() {
    let text = [
        TITLE,
        P1,
        "اقرأ أيضاً: الأمم المتحدة تحذر من كارثة في إدلب",
        P2,
    ]
    .join("\n");
    let a = extract_text(&text);
    assert_clean(&a);
    assert_eq!(kinds(&a), vec!["read_also"]);
}

#[test]
fn repeated_paragraph_kept_once_on_folded_text() {
    let variant = P1.replace("أمريكيون", "امريكيون");
    let text = [TITLE, P1, &variant, P2].join("\n\n");
    let a = extract_text(&text);
    assert_clean(&a);
    assert_eq!(kinds(&a), vec!["repeated_paragraph"]);
}

#[test]
fn single_line_breaks_split_paragraphs() {
    let text = format!("{TITLE}\n{P1}\r\n   {P2}   \n");
    assert_clean(&extract_text(&text));
}

#[test]
fn nav_strip_of_glued_repeated_headlines() {
    let h = [
        "مقتل 160 شخصاً في اليمن جراء صواعق رعدية",
        "إطلاق الهيئة العامة للحراك السلمي في السويداء",
        "الأمن العسكري يقتحم بلدة التواني بريف دمشق",
    ];
    let strip = format!("{}{}{}{}{}{}", h[0], h[1], h[0], h[2], h[2], h[1]);
    let a = extract_text(&format!("{strip}\n\n{}", page(&[])));
    assert_clean(&a);
    assert_eq!(kinds(&a), vec!["nav_strip"]);
}

#[test]
fn nav_strip_of_short_headline_lines() {
    let head =
        "الأمم المتحدة تحذر من كارثة في إدلب\nتركيا تعزز قواتها على الحدود\nالأردن يغلق معبر نصيب";
    let a = extract_text(&format!("{head}\n{}", page(&[])));
    assert_clean(&a);
    assert_eq!(kinds(&a), vec!["nav_strip", "nav_strip", "nav_strip"]);
}

#[test]
fn date_and_byline_under_the_title_are_not_taken_for_the_title() {
    let lead = "أعلنت موسكو في 2017 أن محادثات بلدي نيوز مع واشنطن حول سوريا ستستمر في عمان خلال الأسابيع المقبلة، وفق مصادر دبلوماسية.";
    let text = [TITLE, "بلدي نيوز", "10.06.2017", lead, P2].join("\n");
    let a = extract_text(&text);
    assert_eq!(a.title.as_deref(), Some(TITLE));
    assert_eq!(a.published.as_deref(), Some("2017-06-10"));
    assert_eq!(a.outlet.as_deref(), Some("بلدي نيوز"));
    assert_eq!(a.paragraphs, vec![lead.to_string(), P2.to_string()]);
    assert!(!a.removed.iter().any(|r| r.kind == "nav_strip"));
}

#[test]
fn long_first_paragraph_is_not_a_nav_strip() {
    let text = [P1, P2].join("\n\n");
    let a = extract_text(&text);
    assert_eq!(a.paragraphs.len(), 2);
    assert!(a.removed.is_empty(), "{:?}", a.removed);
}

#[test]
fn title_site_suffix_and_duplicate_title_line() {
    let text = format!("{TITLE} - شبكة شام\n\n{}", page(&[]));
    let a = extract_text(&text);
    assert_clean(&a);
    assert!(a
        .evidence
        .iter()
        .any(|e| e.field == "outlet" && e.value == "شبكة شام" && e.from == "title suffix"));
    assert_eq!(a.outlet.as_deref(), Some("شبكة شام"));
    assert_eq!(kinds(&a), vec!["title_suffix"]);

    let text = format!("{TITLE} | Enab Baladi\n\n{P1}\n\n{P2}");
    let a = extract_text(&text);
    assert_clean(&a);
    assert_eq!(a.outlet.as_deref(), Some("Enab Baladi"));
}

#[test]
fn trailer_dates_become_published() {
    let cases = [
        ("10.06.2017 10:57", "2017-06-10T10:57:00"),
        ("2017-06-10", "2017-06-10"),
        ("10/06/2017", "2017-06-10"),
        ("10 يونيو 2017", "2017-06-10"),
        ("الأحد 12 آذار/مارس 2017", "2017-03-12"),
    ];
    for (line, want) in cases {
        let a = extract_text(&page(&[line]));
        assert_clean(&a);
        assert_eq!(a.published.as_deref(), Some(want), "{line}");
        assert!(a
            .evidence
            .iter()
            .any(|e| e.field == "published" && e.from == "trailer date line"));
        assert_eq!(kinds(&a), vec!["date_line"]);
    }
}

#[test]
fn never_invents_a_date() {
    let relative = "وأفادت مصادر في المعارضة اليوم الأربعاء أن المبعوث قدم أمس الثلاثاء معلومات عن اجتماعات 4 مايو/ أيار الماضي.";
    let prose_date = "وكان الاتفاق قد وقع في 10 يونيو 2017 في أستانا بحضور الدول الضامنة الثلاث، روسيا وتركيا وإيران.";
    for tail in [
        &[relative][..],
        &[prose_date][..],
        &["القانون رقم 2254"][..],
        &["أمس الثلاثاء"][..],
    ] {
        let a = extract_text(&page(tail));
        assert_eq!(a.published, None, "{tail:?}");
        assert!(a.body.contains(tail[0]));
    }
}

#[test]
fn outlet_line_before_trailer_date() {
    let a = extract_text(&page(&["سيريانيوز", "10.06.2017 10:57"]));
    assert_clean(&a);
    assert_eq!(a.outlet.as_deref(), Some("سيريانيوز"));
    assert!(a
        .evidence
        .iter()
        .any(|e| e.field == "outlet" && e.from == "outlet line"));
    // Without a date after it, a short last line is left alone.
    let a = extract_text(&page(&["سيريانيوز"]));
    assert_eq!(a.outlet, None);
    assert!(a.body.ends_with("سيريانيوز"));
}

#[test]
fn byline_and_dateline_after_title() {
    let text = [TITLE, "بلدي نيوز", P1, P2].join("\n\n");
    let a = extract_text(&text);
    assert_clean(&a);
    assert_eq!(a.outlet.as_deref(), Some("بلدي نيوز"));
    assert!(a
        .evidence
        .iter()
        .any(|e| e.field == "outlet" && e.from == "byline"));

    let text = [TITLE, "عواصم/ وكالات", P1, P2].join("\n");
    let a = extract_text(&text);
    assert_clean(&a);
    assert_eq!(a.outlet, None);
    assert!(a
        .evidence
        .iter()
        .any(|e| e.field == "dateline" && e.value == "عواصم/ وكالات"));

    let text = [TITLE, "بلدي نيوز", "الأحد 12 آذار/مارس 2017", P1, P2].join("\n");
    let a = extract_text(&text);
    assert_clean(&a);
    assert_eq!(a.published.as_deref(), Some("2017-03-12"));
    assert!(a
        .evidence
        .iter()
        .any(|e| e.field == "published" && e.from == "header date line"));

    let text = [TITLE, "بقلم: محمد الأحمد", P1, P2].join("\n");
    let a = extract_text(&text);
    assert_clean(&a);
    assert_eq!(a.author.as_deref(), Some("محمد الأحمد"));
}

#[test]
fn source_lines() {
    let cases = [
        ("المصدر: الشرق الأوسط", "الشرق الأوسط"),
        ("المصدر : رويترز", "رويترز"),
        ("نقلاً عن وكالة الأناضول", "وكالة الأناضول"),
    ];
    for (line, want) in cases {
        let a = extract_text(&page(&[line]));
        assert_clean(&a);
        assert_eq!(a.original_source.as_deref(), Some(want));
        assert!(a
            .evidence
            .iter()
            .any(|e| e.field == "original_source" && e.from == "source line"));
    }
}

#[test]
fn short_sentences_in_the_body_stay() {
    let short = "وقال: لا تعليق.";
    let text = [
        TITLE,
        P1,
        short,
        "شارك الرئيس في القمة التي عقدت في عمان.",
        P2,
    ]
    .join("\n\n");
    let a = extract_text(&text);
    assert_eq!(a.paragraphs.len(), 4, "{:?}", a.removed);
    assert!(a.removed.is_empty());
}

#[test]
fn degenerate_inputs_do_not_panic() {
    for t in [
        "",
        "\n\n",
        "سوريا",
        "10.06.2017",
        "المصدر",
        "اترك تعليقاً",
        "- | -",
        "a\u{0}b",
    ] {
        let a = extract_text(t);
        assert!(a.paragraphs.iter().all(|p| !p.trim().is_empty()));
    }
    let huge = "كلمة ".repeat(200_000);
    let a = extract_text(&huge);
    assert_eq!(a.paragraphs.len(), 1);
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A small deterministic generator: no dependency, same cases every run.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let pieces: [&[u8]; 12] = [
        "المصدر".as_bytes(),
        "\n".as_bytes(),
        "10.06.2017 10:57".as_bytes(),
        "اترك تعليقاً".as_bytes(),
        b"<p>",
        b"</div>",
        b"\xff\xfe",
        b"\xd8",
        b" - ",
        "مقالات ذات صلة".as_bytes(),
        b"\r\n\r\n",
        b"|",
    ];
    for _ in 0..400 {
        let mut bytes = Vec::new();
        let n = next() % 60;
        for _ in 0..n {
            let r = next();
            if r % 3 == 0 {
                bytes.push((r >> 8) as u8);
            } else {
                bytes.extend_from_slice(pieces[(r as usize >> 4) % pieces.len()]);
            }
        }
        for format in [
            rasd_types::PageFormat::Auto,
            rasd_types::PageFormat::Text,
            rasd_types::PageFormat::Html,
        ] {
            let page = rasd_types::RawPage::new("fuzz", bytes.clone(), format);
            if let Ok(a) = rasd_extract::extract_page(&page) {
                assert!(a.paragraphs.iter().all(|p| !p.trim().is_empty()));
                assert_eq!(a.body, a.paragraphs.join("\n\n"));
            }
        }
    }
}
