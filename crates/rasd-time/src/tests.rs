use super::*;

fn day(s: &str) -> Option<NaiveDate> {
    parse_anchor(s)
}

/// (text, anchor, expected span, type, value) for each form the issue names.
const FORMS: &[(&str, &str, &str, TimexType, &str)] = &[
    // absolute, every region's month names
    (
        "في 6 أيار 2017",
        "2020-01-01",
        "6 أيار 2017",
        TimexType::Date,
        "2017-05-06",
    ),
    (
        "في 4 مايو/ أيار 2017",
        "2020-01-01",
        "4 مايو/ أيار 2017",
        TimexType::Date,
        "2017-05-04",
    ),
    (
        "في كانون الأول 2016",
        "2020-01-01",
        "كانون الأول 2016",
        TimexType::Date,
        "2016-12",
    ),
    (
        "في 15 جانفي 2024",
        "2020-01-01",
        "15 جانفي 2024",
        TimexType::Date,
        "2024-01-15",
    ),
    (
        "في 3 شتنبر 2022",
        "2020-01-01",
        "3 شتنبر 2022",
        TimexType::Date,
        "2022-09-03",
    ),
    (
        "في أغشت 2020",
        "2020-01-01",
        "أغشت 2020",
        TimexType::Date,
        "2020-08",
    ),
    (
        "الحادي عشر من سبتمبر 2001",
        "2020-01-01",
        "الحادي عشر من سبتمبر 2001",
        TimexType::Date,
        "2001-09-11",
    ),
    // digits
    (
        "في ١٥ آذار ٢٠٢٣",
        "2020-01-01",
        "١٥ آذار ٢٠٢٣",
        TimexType::Date,
        "2023-03-15",
    ),
    (
        "في ۵ مايو ۲۰۲۲",
        "2020-01-01",
        "۵ مايو ۲۰۲۲",
        TimexType::Date,
        "2022-05-05",
    ),
    (
        "بتاريخ 10.06.2017",
        "2020-01-01",
        "10.06.2017",
        TimexType::Date,
        "2017-06-10",
    ),
    (
        "بتاريخ 2017/6/10",
        "2020-01-01",
        "2017/6/10",
        TimexType::Date,
        "2017-06-10",
    ),
    (
        "بتاريخ 10.06.2017 10:57",
        "2020-01-01",
        "10.06.2017 10:57",
        TimexType::Time,
        "2017-06-10T10:57",
    ),
    // years
    (
        "منذ عام 2016",
        "2020-01-01",
        "عام 2016",
        TimexType::Date,
        "2016",
    ),
    (
        "قبل 2011 كانت",
        "2020-01-01",
        "2011",
        TimexType::Date,
        "2011",
    ),
    (
        "سنة 1999م",
        "2020-01-01",
        "سنة 1999م",
        TimexType::Date,
        "1999",
    ),
    // Hijri, Umm al-Qura
    (
        "في 1 رمضان 1438 هـ",
        "2020-01-01",
        "1 رمضان 1438 هـ",
        TimexType::Date,
        "2017-05-27",
    ),
    (
        "في الأول من محرم 1445",
        "2020-01-01",
        "الأول من محرم 1445",
        TimexType::Date,
        "2023-07-19",
    ),
    (
        "في 10 ذي الحجة 1440",
        "2020-01-01",
        "10 ذي الحجة 1440",
        TimexType::Date,
        "2019-08-11",
    ),
    // relative, leaning to the past (2017-06-07 is a Wednesday)
    (
        "قال أمس الثلاثاء",
        "2017-06-07",
        "أمس الثلاثاء",
        TimexType::Date,
        "2017-06-06",
    ),
    (
        "قال اليوم الأربعاء",
        "2017-06-07",
        "اليوم الأربعاء",
        TimexType::Date,
        "2017-06-07",
    ),
    (
        "قصف ليل السبت",
        "2017-06-07",
        "ليل السبت",
        TimexType::Time,
        "2017-06-03TNI",
    ),
    (
        "وصل مساء الخميس",
        "2017-06-07",
        "مساء الخميس",
        TimexType::Time,
        "2017-06-01TEV",
    ),
    (
        "حتى مساء الخميس",
        "2017-06-07",
        "مساء الخميس",
        TimexType::Time,
        "2017-06-08TEV",
    ),
    (
        "توقفت قبل أسبوعين",
        "2017-06-07",
        "قبل أسبوعين",
        TimexType::Date,
        "2017-W21",
    ),
    (
        "أقر الأسبوع الماضي",
        "2017-06-07",
        "الأسبوع الماضي",
        TimexType::Date,
        "2017-W22",
    ),
    (
        "في نيسان الماضي",
        "2017-06-07",
        "نيسان الماضي",
        TimexType::Date,
        "2017-04",
    ),
    (
        "في منتصف مايو (أيار) الماضي",
        "2017-06-07",
        "منتصف مايو (أيار) الماضي",
        TimexType::Date,
        "2017-05",
    ),
    (
        "منذ بداية الشهر الحالي",
        "2017-06-07",
        "بداية الشهر الحالي",
        TimexType::Date,
        "2017-06",
    ),
    (
        "تراجعت العام الماضي",
        "2017-06-07",
        "العام الماضي",
        TimexType::Date,
        "2016",
    ),
    (
        "جرت هذا الأسبوع",
        "2017-06-07",
        "هذا الأسبوع",
        TimexType::Date,
        "2017-W23",
    ),
    (
        "في 4 مايو/ أيار الماضي",
        "2017-06-07",
        "4 مايو/ أيار الماضي",
        TimexType::Date,
        "2017-05-04",
    ),
    (
        "في يونيو الماضي",
        "2017-06-07",
        "يونيو الماضي",
        TimexType::Date,
        "2016-06",
    ),
    (
        "في يوليو المقبل",
        "2017-06-07",
        "يوليو المقبل",
        TimexType::Date,
        "2017-07",
    ),
    (
        "سقط أول أمس",
        "2017-06-07",
        "أول أمس",
        TimexType::Date,
        "2017-06-05",
    ),
    (
        "يصل بعد غد",
        "2017-06-07",
        "بعد غد",
        TimexType::Date,
        "2017-06-09",
    ),
    (
        "صيف 2019 كان",
        "2017-06-07",
        "صيف 2019",
        TimexType::Date,
        "2019-SU",
    ),
    // durations and sets
    (
        "لمدة 6 أشهر",
        "2017-06-07",
        "لمدة 6 أشهر",
        TimexType::Duration,
        "P6M",
    ),
    (
        "هادئة عام ونصف",
        "2017-06-07",
        "عام ونصف",
        TimexType::Duration,
        "P1.5Y",
    ),
    (
        "استمرت يومين",
        "2017-06-07",
        "يومين",
        TimexType::Duration,
        "P2D",
    ),
    (
        "بقي 15 يوماً",
        "2017-06-07",
        "15 يوماً",
        TimexType::Duration,
        "P15D",
    ),
    (
        "منذ عشر سنوات",
        "2017-06-07",
        "منذ عشر سنوات",
        TimexType::Duration,
        "P10Y",
    ),
    (
        "بقيت عدة أسابيع",
        "2017-06-07",
        "عدة أسابيع",
        TimexType::Duration,
        "PXW",
    ),
    ("كل أسبوع", "2017-06-07", "كل أسبوع", TimexType::Set, "P1W"),
    (
        "كل ثلاثة أشهر",
        "2017-06-07",
        "كل ثلاثة أشهر",
        TimexType::Set,
        "P3M",
    ),
    (
        "كل يوم جمعة",
        "2017-06-07",
        "كل يوم جمعة",
        TimexType::Set,
        "XXXX-WXX-5",
    ),
    ("تصدر يومياً", "2017-06-07", "يومياً", TimexType::Set, "P1D"),
    // times
    (
        "أغلقت في 10:57",
        "2017-06-07",
        "10:57",
        TimexType::Time,
        "T10:57",
    ),
    (
        "الساعة الثالثة عصراً",
        "2017-06-07",
        "الساعة الثالثة عصراً",
        TimexType::Time,
        "T15:00",
    ),
    (
        "الساعة الحادية عشرة ليلاً",
        "2017-06-07",
        "الساعة الحادية عشرة ليلاً",
        TimexType::Time,
        "T23:00",
    ),
    (
        "الساعة التاسعة إلا ربعاً",
        "2017-06-07",
        "الساعة التاسعة إلا ربعاً",
        TimexType::Time,
        "T08:45",
    ),
    (
        "الساعة 10:30 مساءً",
        "2017-06-07",
        "الساعة 10:30 مساءً",
        TimexType::Time,
        "T22:30",
    ),
];

#[test]
fn every_form_is_found_and_normalized() {
    for (text, anchor, span, kind, value) in FORMS {
        let found = find_expressions(text, day(anchor), AnchorKind::Given);
        let hit = found.iter().find(|e| e.text == *span);
        assert!(hit.is_some(), "{text}: wanted '{span}', found {found:?}");
        if let Some(e) = hit {
            assert_eq!(e.kind, *kind, "{text}");
            assert_eq!(e.value.as_deref(), Some(*value), "{text}");
            assert_eq!(text.get(e.start..e.end), Some(*span), "{text}: offsets");
        }
    }
}

/// Numbers that are not dates: phone numbers, resolutions, prices, counts, pages, scores.
const NOT_DATES: &[&str] = &[
    "اتصل على الرقم 0933-123-456",
    "أو على 00963-11-2211445 للحجز",
    "تبنى مجلس الأمن القرار 2254 بالإجماع",
    "القرار رقم 2017 الصادر عن المجلس",
    "بلغ سعر الطن 2.500 دولار",
    "بيع بـ 2023 ديناراً فقط",
    "شارك أكثر من 2000 شخص",
    "على بعد 2050 كيلومتراً من العاصمة",
    "ورد في الصفحة 2012 من الكتاب",
    "فاز الفريق بنتيجة 2:1 على ضيفه",
    "انتهت المباراة 3:0 لصالح الضيوف",
    "سجل في الدقيقة 90:03 هدف الفوز",
    "الإصدار 1.2.3 من البرنامج",
    "العنوان 192.168.1.1 في الشبكة",
    "مارس الضغط على الحكومة",
    "الأحد عشر لاعباً",
    "في ذلك اليوم التالي",
    "صفر",
    "",
];

#[test]
fn numbers_that_are_not_dates_are_left_alone() {
    for text in NOT_DATES {
        let found = find_expressions(text, day("2017-06-07"), AnchorKind::Given);
        assert!(found.is_empty(), "{text}: {found:?}");
    }
}

#[test]
fn relative_values_need_an_anchor_and_carry_it() {
    let none = find_expressions("وصل أمس الثلاثاء", None, AnchorKind::None);
    assert_eq!(none.len(), 1);
    assert_eq!(none[0].value, None);
    assert_eq!(none[0].anchor, None);
    let given = find_expressions("وصل أمس الثلاثاء", day("2017-06-07"), AnchorKind::Published);
    assert_eq!(given[0].anchor.as_deref(), Some("2017-06-07"));
    assert_eq!(given[0].anchor_kind, AnchorKind::Published);
    // Absolute values never carry the anchor.
    let abs = find_expressions("في 6 أيار 2017", day("2017-06-07"), AnchorKind::Published);
    assert_eq!(abs[0].anchor, None);
    assert_eq!(abs[0].anchor_kind, AnchorKind::None);
}

#[test]
fn same_month_refers_to_the_month_named_before() {
    let t = "وقع الاتفاق في 4 مايو الماضي، وبدأ سريانه في السادس من الشهر نفسه.";
    let e = find_expressions(t, day("2017-06-07"), AnchorKind::Given);
    assert_eq!(e.len(), 2);
    assert_eq!(e[1].text, "السادس من الشهر نفسه");
    assert_eq!(e[1].value.as_deref(), Some("2017-05-06"));
}

#[test]
fn clitics_stay_out_of_spans() {
    let t = "ووصل وبالأمس غادر";
    let e = find_expressions(t, day("2017-06-07"), AnchorKind::Given);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].text, "الأمس");
    assert_eq!(e[0].value.as_deref(), Some("2017-06-06"));
}

#[test]
fn estimate_uses_the_latest_full_date_and_the_weekday() {
    let t = "وكانت الجولة الأولى قد عقدت في 3 حزيران 2024، فيما اختتمت الجولة الثانية أمس الثلاثاء.";
    let e = estimate_date(t).expect("a full date bounds it");
    // 2024-06-03 is a Monday; "yesterday, Tuesday" puts publication on a Wednesday.
    assert_eq!(e.date, "2024-06-05");
    assert_eq!(
        (e.earliest.as_str(), e.latest.as_str()),
        ("2024-06-05", "2024-06-05")
    );
    assert!(e.confidence > 0.7);
    assert_eq!(e.evidence.len(), 2);
}

#[test]
fn estimate_without_weekday_is_an_interval() {
    let e = estimate_date("أعلن عن الخطة في 12 آذار 2024 أمام البرلمان.").expect("bounded");
    assert_eq!(e.earliest, "2024-03-12");
    assert_eq!(e.latest, "2024-03-18");
    let m = estimate_date("ارتفعت الأسعار في مايو 2023 بشكل حاد.").expect("bounded");
    assert_eq!(
        (m.earliest.as_str(), m.latest.as_str()),
        ("2023-05-01", "2023-06-30")
    );
    assert!(m.confidence < 0.5);
}

#[test]
fn estimate_never_invents() {
    for t in [
        "",
        "وصل الوفد أمس الثلاثاء إلى العاصمة.",
        "وكانت الهدنة قد بدأت في 4 مايو الماضي.",
        "الأسبوع الماضي تراجعت الأسعار",
        "القرار 2254",
    ] {
        assert_eq!(estimate_date(t), None, "{t}");
    }
}

#[test]
fn date_document_prefers_the_stated_date() {
    let t = "وصل الوفد أمس الثلاثاء، بعد اجتماع 3 حزيران 2024.";
    let d = date_document(t, day("2024-06-12"));
    assert_eq!(d.estimate, None);
    assert_eq!(d.expressions[0].anchor_kind, AnchorKind::Published);
    assert_eq!(d.expressions[0].value.as_deref(), Some("2024-06-11"));
    let d = date_document(t, None);
    assert!(d.estimate.is_some());
    assert_eq!(d.expressions[0].anchor_kind, AnchorKind::Estimated);
}

#[test]
fn no_panic_on_odd_input() {
    let long_digits = "9".repeat(10_000);
    let odd = [
        "\u{0}\u{1}\u{FFFF}",
        "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠/١/١",
        long_digits.as_str(),
        "9999/99/99 99:99",
        "32 مايو 2017",
        "29 فبراير 2023",
        "30 رمضان 1500 هـ",
        "1 محرم 1501",
        "قبل 4000000000 يوم",
        "بعد 999999 عام",
        "كل",
        "الساعة",
        "الساعة 99",
        "\u{0651}\u{0640}\u{064B}",
        "أمس\u{200F}الأول",
        ":::///...",
    ];
    for t in odd {
        for anchor in [
            None,
            day("2017-06-07"),
            day("1900-01-01"),
            NaiveDate::from_ymd_opt(262_000, 1, 1),
        ] {
            let _ = find_expressions(t, anchor, AnchorKind::Given);
        }
        let _ = estimate_date(t);
    }
    assert!(find_expressions("32 مايو 2017", None, AnchorKind::None)
        .iter()
        .all(|e| e.value.as_deref() != Some("2017-05-32")));
}

#[test]
fn random_mixtures_of_time_words_digits_and_marks_never_panic() {
    // Deterministic pseudo-random texts built from the pieces the matchers look at, so that
    // every matcher sees truncated and odd sequences.
    let pieces = [
        "أمس",
        "اليوم",
        "الثلاثاء",
        "قبل",
        "بعد",
        "منذ",
        "كل",
        "يوم",
        "الساعة",
        "الثالثة",
        "عشرة",
        "إلا",
        "ربعاً",
        "مساء",
        "ليل",
        "مايو",
        "/",
        "(",
        ")",
        "أيار",
        "كانون",
        "الأول",
        "ذي",
        "الحجة",
        "ربيع",
        "الماضي",
        "المقبل",
        "الشهر",
        "نفسه",
        "العام",
        "عام",
        "ونصف",
        "نصف",
        "عدة",
        "أسابيع",
        "من",
        "السادس",
        "والعشرين",
        "هـ",
        "م",
        "حتى",
        "بحلول",
        "مطلع",
        "الصيف",
        "1438",
        "2017",
        "31",
        "0",
        "10",
        ":",
        ".",
        "-",
        "٢٠٢٣",
        "۵",
        "99999999999",
        "\u{0651}",
        "\u{200F}",
        "\n",
        "،",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..3000 {
        let mut text = String::new();
        let n = (seed % 12) as usize + 1;
        for _ in 0..n {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let p = pieces[(seed >> 33) as usize % pieces.len()];
            text.push_str(p);
            if seed & 1 == 0 {
                text.push(' ');
            }
        }
        for e in find_expressions(&text, day("2017-06-07"), AnchorKind::Given) {
            assert_eq!(text.get(e.start..e.end), Some(e.text.as_str()), "{text}");
        }
        let _ = estimate_date(&text);
    }
}
