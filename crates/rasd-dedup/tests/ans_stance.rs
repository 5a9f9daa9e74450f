//! `differences` / `is_edited` on the ANS Arabic news stance corpus: "disagree" pairs are headlines
//! edited into a contradiction (a negation, an antonym, another number or name); dedup must see
//! the change. Skipped when `shared/` is absent.

use std::path::PathBuf;

use rasd_dedup::{differences, fingerprint, group, is_edited, DedupConfig, GroupDoc, MatchKind};

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ans-arabic-news-stance")
}

/// Minimal CSV reader: comma-separated fields, double-quoted fields with `""` escapes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Words with light normalization (stand-in for `rasd_arabic::search_key`).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || ('\u{064B}'..='\u{065F}').contains(&c)))
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.chars()
                .filter_map(|c| match c {
                    '\u{064B}'..='\u{065F}' | '\u{0640}' => None,
                    'أ' | 'إ' | 'آ' => Some('ا'),
                    'ى' => Some('ي'),
                    'ة' => Some('ه'),
                    c => Some(c),
                })
                .collect()
        })
        .collect()
}

fn load() -> Option<Vec<(String, String, String)>> {
    let mut pairs = Vec::new();
    for name in ["train.csv", "dev.csv"] {
        let text = std::fs::read_to_string(data_dir().join(name)).ok()?;
        for row in parse_csv(&text).into_iter().skip(1) {
            if let [s1, s2, stance] = row.as_slice() {
                pairs.push((s1.clone(), s2.clone(), stance.clone()));
            }
        }
    }
    Some(pairs)
}

#[test]
fn disagree_pairs_are_edits_and_identical_pairs_have_no_differences() {
    let Some(pairs) = load() else {
        eprintln!(
            "skipping: ANS stance corpus not found at {}",
            data_dir().display()
        );
        return;
    };
    let mut n = 0;
    let mut with_diffs = 0;
    let mut edited = 0;
    let mut agree = (0, 0);
    let mut missed = Vec::new();
    for (s1, s2, stance) in &pairs {
        let (a, b) = (words(s1), words(s2));
        let (a, b): (Vec<&str>, Vec<&str>) = (
            a.iter().map(String::as_str).collect(),
            b.iter().map(String::as_str).collect(),
        );
        // Identical texts never differ.
        assert!(differences(&a, &a, 5).is_empty(), "{s1}");
        assert!(!is_edited(&differences(&b, &b, 5)));
        let diffs = differences(&a, &b, 5);
        assert!(diffs.len() <= 5);
        assert_eq!(diffs.is_empty(), a == b, "{s1} | {s2}");
        match stance.as_str() {
            "disagree" => {
                n += 1;
                with_diffs += usize::from(!diffs.is_empty());
                if is_edited(&diffs) {
                    edited += 1;
                } else if missed.len() < 10 {
                    missed.push(format!("{s1} | {s2} | {diffs:?}"));
                }
            }
            "agree" => {
                agree.0 += 1;
                agree.1 += usize::from(is_edited(&diffs));
            }
            _ => {}
        }
    }
    let share = edited as f64 / n.max(1) as f64;
    eprintln!(
        "ANS disagree pairs: {n}, with differences {with_diffs}, is_edited {edited} ({share:.3}); \
         agree (paraphrase) pairs: {} with is_edited {}",
        agree.0, agree.1
    );
    for m in &missed {
        eprintln!("  not flagged: {m}");
    }
    assert!(n > 100, "too few disagree pairs parsed: {n}");
    assert_eq!(with_diffs, n);
    assert!(share >= 0.95, "is_edited share {share}");
}

/// The body shared by both copies of a pair (written for this test): the pair's headline leads an
/// otherwise identical wire article, as when one outlet edits the lead of a syndicated story.
const BODY: &str = "وقالت مصادر مطلعة إن الاجتماع الذي عقد في العاصمة بحضور ممثلين عن الحكومة \
    والمعارضة ناقش الملفات العالقة بين الطرفين ومنها ملف المعتقلين وإعادة فتح الطرق بين المدن \
    وأضافت المصادر أن الوفدين اتفقا على تشكيل لجنة فنية مشتركة تجتمع كل أسبوعين لمتابعة التنفيذ \
    ورفع تقارير دورية إلى الجهات المعنية على أن تعقد الجولة المقبلة من المحادثات الشهر المقبل \
    بمشاركة مراقبين دوليين وممثلين عن المنظمات الإنسانية العاملة في المناطق المتضررة";

#[test]
fn disagree_pairs_as_documents_are_grouped_as_edited_copies() {
    let Some(pairs) = load() else {
        eprintln!(
            "skipping: ANS stance corpus not found at {}",
            data_dir().display()
        );
        return;
    };
    let cfg = DedupConfig::default();
    let body = words(BODY);
    let (mut n, mut grouped, mut edited) = (0, 0, 0);
    let mut agree = (0, 0, 0);
    for (s1, s2, stance) in &pairs {
        let texts: Vec<Vec<String>> = [s1, s2]
            .iter()
            .map(|s| words(s).into_iter().chain(body.iter().cloned()).collect())
            .collect();
        if texts[0] == texts[1] {
            continue;
        }
        let docs: Vec<GroupDoc> = texts
            .iter()
            .zip([Some(1), Some(2)])
            .map(|(t, published)| {
                let refs: Vec<&str> = t.iter().map(String::as_str).collect();
                GroupDoc {
                    fingerprint: fingerprint(&refs, &cfg),
                    published,
                }
            })
            .collect();
        let out = group(docs, &cfg, |i| texts.get(i).cloned().unwrap_or_default());
        let same = out[1].canonical == 0 && out[1].kind == Some(MatchKind::Near);
        match stance.as_str() {
            "disagree" => {
                n += 1;
                grouped += usize::from(same);
                edited += usize::from(same && out[1].edited);
                // Never folded away as the same text.
                assert_ne!(out[1].kind, Some(MatchKind::Exact), "{s1} | {s2}");
                if same {
                    assert!(!out[1].differences.is_empty(), "{s1} | {s2}");
                }
            }
            "agree" => {
                agree.0 += 1;
                agree.1 += usize::from(same);
                agree.2 += usize::from(same && out[1].edited);
            }
            _ => {}
        }
    }
    eprintln!(
        "ANS pairs leading a shared {}-word body: disagree {n}, grouped as near copies {grouped}, \
         of them edited {edited}; agree {}, grouped {}, edited {}",
        body.len(),
        agree.0,
        agree.1,
        agree.2
    );
    assert!(n > 100, "too few disagree pairs: {n}");
    // Headlines of very different length can push a pair under the near-duplicate threshold;
    // those stay separate documents, which is not "the same text" either.
    assert!(grouped as f64 >= 0.9 * n as f64, "grouped {grouped}/{n}");
    assert!(
        edited as f64 >= 0.95 * grouped as f64,
        "edited {edited}/{grouped}"
    );
}

#[test]
fn csv_reader_handles_quotes() {
    let rows = parse_csv("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",z\r\nlast,row,");
    assert_eq!(rows[0], ["a", "b", "c"]);
    assert_eq!(rows[1], ["x, y", "say \"hi\"", "z"]);
    assert_eq!(rows[2], ["last", "row", ""]);
}
