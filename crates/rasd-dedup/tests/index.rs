//! Behaviour of the duplicate index on hand-written Arabic news text.

use rasd_dedup::{fingerprint, DedupConfig, DedupIndex, Fingerprint, Match, MatchKind};

/// An article in four paragraphs (written for these tests).
const ARTICLE_A: [&str; 4] = [
    "كشف مسؤولون أمريكيون ومصادر دبلوماسية غربية عن عقد محادثات أمريكية روسية سرية في العاصمة \
     الأردنية عمان بهدف إقامة منطقة لتخفيف التوتر في جنوب غرب سوريا قرب الحدود مع الأردن وإسرائيل",
    "ونقلت صحيفة وول ستريت جورنال عن مسؤولين مطلعين على سير المحادثات أن الاتصالات بين الطرفين \
     بدأت عقب زيارة وزير الخارجية الأمريكي إلى موسكو في شهر نيسان الماضي واستمرت بعيدا عن الأضواء",
    "وعقد المسؤولون الروس والأمريكيون لقاءين على الأقل في الأردن كان آخرهما قبل أسبوعين تقريبا \
     بمشاركة مسؤولين أردنيين بينما تأجلت الجولة الثالثة التي كانت مقررة هذا الأسبوع لأسباب فنية",
    "وأشارت الصحيفة إلى أن الإدارة الأمريكية أبقت على سرية المحادثات لأن الاتفاق لم يكتمل بعد \
     ولأن واشنطن تخشى أن تستغل الميليشيات المدعومة من إيران أي فراغ في المنطقة الحدودية",
];

/// The same story told by another outlet, in other words.
const ARTICLE_B: &str = "أفادت تقارير إعلامية بأن واشنطن وموسكو تجريان منذ أسابيع مفاوضات بعيدة عن \
    الإعلام على الأراضي الأردنية للتوصل إلى تفاهم يخفض حدة المعارك في الجنوب السوري. وبحسب \
    المصادر فإن الجانبين التقيا مرتين بحضور ممثلين عن عمان وإن لقاء ثالثا أرجئ إلى موعد لاحق. \
    ويرى مراقبون أن التفاهم المنتظر قد يشمل انسحاب المجموعات الموالية لطهران من المناطق \
    القريبة من الجولان المحتل وهو مطلب تصر عليه تل أبيب. ولم يصدر أي تعليق رسمي من وزارتي \
    الخارجية في البلدين حتى الآن على هذه التقارير التي تحدثت أيضا عن دور أردني في تسهيل اللقاءات.";

/// Site chrome that extraction sometimes leaves behind.
const BOILERPLATE_1: &str = "شارك هذا الخبر على فيسبوك تويتر واتساب جميع الحقوق محفوظة";
const BOILERPLATE_2: &str =
    "اقرأ أيضا أخبار ذات صلة تابعونا على قناتنا في تلغرام للمزيد من الأخبار العاجلة";

/// Tiny tokenizer for tests: words and single punctuation marks.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || ('\u{064B}'..='\u{065F}').contains(&c) {
            cur.push(c);
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn fp(text: &str) -> Fingerprint {
    let t = tokens(text);
    let refs: Vec<&str> = t.iter().map(String::as_str).collect();
    fingerprint(&refs, &DedupConfig::default())
}

fn article_a() -> String {
    ARTICLE_A.join("\n\n")
}

fn index_with(docs: &[(u64, &str)]) -> DedupIndex {
    let mut index = DedupIndex::new(DedupConfig::default());
    for &(id, text) in docs {
        index.insert(id, &fp(text));
    }
    index
}

fn kind(m: &Option<Match>) -> Option<(u64, MatchKind)> {
    m.as_ref().map(|m| (m.id, m.kind))
}

#[test]
fn exact_duplicate() {
    let a = article_a();
    let index = index_with(&[(7, &a)]);
    // Punctuation and whitespace do not matter for the exact hash.
    let m = index.find(&fp(&a.replace('\n', " ").replace("الأردنية", "الأردنية ،")));
    assert_eq!(kind(&m), Some((7, MatchKind::Exact)));
    assert_eq!(m.map(|m| m.similarity), Some(1.0));
}

#[test]
fn near_duplicate_with_typos_and_boilerplate() {
    let a = article_a();
    let index = index_with(&[(1, &a)]);
    let edited = a
        .replace("الأمريكي", "الامريكي")
        .replace("سرية", "سريه")
        .replace("تقريبا", "تقريبأ");
    let m = index.find(&fp(&edited));
    assert_eq!(kind(&m), Some((1, MatchKind::Near)), "{m:?}");
    let s = m.map(|m| m.similarity).unwrap_or(0.0);
    assert!(s > 0.6 && s < 1.0, "{s}");

    // Different chrome around the same body.
    let with_chrome = format!("{BOILERPLATE_2}\n\n{a}\n\n{BOILERPLATE_1}");
    let index = index_with(&[(1, &format!("{a}\n\n{BOILERPLATE_1}"))]);
    let m = index.find(&fp(&with_chrome));
    assert_eq!(kind(&m), Some((1, MatchKind::Near)), "{m:?}");
}

#[test]
fn reordered_paragraphs() {
    let index = index_with(&[(3, &article_a())]);
    let p = ARTICLE_A;
    let reordered = [p[2], p[0], p[3], p[1]].join("\n\n");
    let m = index.find(&fp(&reordered));
    assert_eq!(kind(&m), Some((3, MatchKind::Near)), "{m:?}");
}

#[test]
fn short_wire_item_is_contained_in_article() {
    let a = article_a();
    // A wire item: one paragraph and a dateline, with one typo.
    let wire = format!(
        "عمان وكالات {}",
        ARTICLE_A[0].replace("دبلوماسية", "دبلماسية")
    );
    let index = index_with(&[(10, &a)]);
    let m = index.find(&fp(&wire));
    assert_eq!(kind(&m), Some((10, MatchKind::ContainedIn)), "{m:?}");
    assert!(m.map(|m| m.similarity).unwrap_or(0.0) >= 0.7);

    // The other way round: the item was indexed first, the full article arrives later.
    let index = index_with(&[(11, &wire)]);
    let m = index.find(&fp(&a));
    assert_eq!(kind(&m), Some((11, MatchKind::Contains)), "{m:?}");

    // A short item is never a near-duplicate of another short item, even a slightly edited one:
    // it relies on exact match and containment only.
    let short = fp(ARTICLE_A[1]);
    assert!(short.tokens < DedupConfig::default().min_tokens);
    let index = index_with(&[(12, ARTICLE_A[1])]);
    let edited = ARTICLE_A[1]
        .replace("نيسان", "أيار")
        .replace("موسكو", "بكين")
        .replace("بعيدا", "قريبا");
    assert_eq!(index.find(&fp(&edited)), None);
    // ... and an unrelated short item finds nothing.
    assert_eq!(index.find(&fp(BOILERPLATE_2)), None);
}

#[test]
fn different_articles_on_the_same_topic_do_not_match() {
    let a = article_a();
    let index = index_with(&[(1, &a)]);
    assert_eq!(index.find(&fp(ARTICLE_B)), None);
    let index = index_with(&[(2, ARTICLE_B)]);
    assert_eq!(index.find(&fp(&a)), None);
    // Even with the same chrome around both bodies.
    let index = index_with(&[(3, &format!("{a} {BOILERPLATE_1} {BOILERPLATE_2}"))]);
    assert_eq!(
        index.find(&fp(&format!("{ARTICLE_B} {BOILERPLATE_1} {BOILERPLATE_2}"))),
        None
    );
}

#[test]
fn empty_documents_never_match_or_panic() {
    let cfg = DedupConfig::default();
    let empty = fingerprint(&[], &cfg);
    let mut index = DedupIndex::new(cfg.clone());
    assert_eq!(index.find(&empty), None);
    index.insert(1, &empty);
    index.insert(2, &empty);
    assert_eq!(index.len(), 2);
    assert_eq!(index.find(&empty), None);
    assert_eq!(index.find(&fingerprint(&["،", "."], &cfg)), None);
    index.insert(3, &fp(&article_a()));
    assert_eq!(index.find(&empty), None);
    // A hand-made, inconsistent fingerprint does not panic either.
    let odd = Fingerprint {
        exact: 5,
        shingles: vec![9, 3, 3, 1],
        minhash: vec![1, 2],
        tokens: 500,
    };
    index.insert(4, &odd);
    assert_eq!(kind(&index.find(&odd)), Some((4, MatchKind::Exact)));
}

#[test]
fn insert_is_idempotent_and_replaceable() {
    let a = fp(&article_a());
    let b = fp(ARTICLE_B);
    let mut index = DedupIndex::new(DedupConfig::default());
    index.insert(1, &a);
    index.insert(1, &a);
    assert_eq!(index.len(), 1);
    assert_eq!(
        index.find_all(&a),
        vec![Match {
            id: 1,
            kind: MatchKind::Exact,
            similarity: 1.0
        }]
    );
    // Re-inserting id 1 with other content replaces it.
    index.insert(1, &b);
    assert_eq!(index.len(), 1);
    assert_eq!(index.find(&a), None);
    assert_eq!(kind(&index.find(&b)), Some((1, MatchKind::Exact)));
    assert!(index.remove(1));
    assert!(!index.remove(1));
    assert!(index.is_empty());
    assert_eq!(index.find(&b), None);
}

#[test]
fn restored_from_persisted_fingerprints() {
    let a = article_a();
    let stored: Vec<String> = [fp(&a), fp(ARTICLE_B)]
        .iter()
        .map(|f| serde_json::to_string(f).unwrap_or_default())
        .collect();
    let mut index = DedupIndex::new(DedupConfig::default());
    for (id, json) in stored.iter().enumerate() {
        let f: Fingerprint = serde_json::from_str(json).unwrap();
        index.insert(id as u64, &f);
    }
    let m = index.find(&fp(&a.replace("سرية", "سريه")));
    assert_eq!(kind(&m), Some((0, MatchKind::Near)));
    // A fingerprint made under another LSH configuration still works (signature recomputed).
    let other = DedupConfig {
        bands: 10,
        rows: 3,
        ..DedupConfig::default()
    };
    let t = tokens(&a);
    let refs: Vec<&str> = t.iter().map(String::as_str).collect();
    let f = fingerprint(&refs, &other);
    assert_eq!(f.minhash.len(), 30);
    assert_eq!(kind(&index.find(&f)), Some((0, MatchKind::Exact)));
    let mut index2 = DedupIndex::new(DedupConfig::default());
    index2.insert(5, &f);
    assert_eq!(
        kind(&index2.find(&fp(&a.replace("سرية", "سريه")))),
        Some((5, MatchKind::Near))
    );
}

#[test]
fn best_match_first() {
    let a = article_a();
    let near = a.replace("سرية", "سريه");
    let index = index_with(&[(1, &near), (2, &a), (3, ARTICLE_A[0])]);
    let all = index.find_all(&fp(&a));
    let kinds: Vec<(u64, MatchKind)> = all.iter().map(|m| (m.id, m.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (2, MatchKind::Exact),
            (1, MatchKind::Near),
            (3, MatchKind::Contains)
        ]
    );
}

#[test]
fn odd_inputs_never_panic() {
    let long = "ب".repeat(100_000);
    let weird: Vec<&str> = vec![
        "", " ", "\0", "\u{200f}", "ـــ", "٣", "🙂", &long, "a\u{301}", "،،", "x",
    ];
    let cfg = DedupConfig::default();
    let mut index = DedupIndex::new(cfg.clone());
    // Deterministic pseudo-random documents built from the odd tokens.
    let mut state = 7u64;
    for id in 0..300u64 {
        let n = (id * 7 % 90) as usize;
        let doc: Vec<&str> = (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                weird[(state >> 33) as usize % weird.len()]
            })
            .collect();
        let f = fingerprint(&doc, &cfg);
        let _ = index.find_all(&f);
        index.insert(id, &f);
        let _ = rasd_dedup::differences(&doc, &weird, 4);
        let diffs = rasd_dedup::differences(&weird, &doc, 4);
        let _ = rasd_dedup::is_edited(&diffs);
    }
    assert_eq!(index.len(), 300);
    assert!(!rasd_dedup::is_edited(&[
        String::new(),
        "→".into(),
        " → ".into(),
        "- ".into()
    ]));
}
