//! The five real scraped seed articles (`shared/seeds/`), tokenized and normalized the way the
//! pipeline does (`rasd_arabic::tokenize` + `search_key`). Skipped when `shared/` is absent.

use std::path::PathBuf;

use rasd_dedup::{
    differences, fingerprint, is_edited, DedupConfig, DedupIndex, Fingerprint, MatchKind,
};

fn seeds() -> Option<Vec<String>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    (texts.len() >= 5).then_some(texts)
}

fn keys(text: &str) -> Vec<String> {
    rasd_arabic::tokenize(text)
        .map(|t| rasd_arabic::search_key(t.text))
        .collect()
}

fn fp(text: &str) -> Fingerprint {
    let k = keys(text);
    let refs: Vec<&str> = k.iter().map(String::as_str).collect();
    fingerprint(&refs, &DedupConfig::default())
}

#[test]
fn seed_articles_are_not_duplicates_of_each_other() {
    let Some(texts) = seeds() else {
        eprintln!("skipping: shared/seeds not found");
        return;
    };
    // Five articles on the same talks (000 and 001 report the same event in other words).
    let mut index = DedupIndex::new(DedupConfig::default());
    for (i, t) in texts.iter().enumerate() {
        let f = fp(t);
        assert!(f.tokens > 300, "seed {i}: {} tokens", f.tokens);
        assert_eq!(index.find(&f), None, "seed {i}");
        index.insert(i as u64, &f);
    }
    assert_eq!(index.len(), texts.len());
    let fps: Vec<Fingerprint> = texts.iter().map(|t| fp(t)).collect();
    let (mut max_j, mut max_c) = (0.0f64, 0.0f64);
    for (i, a) in fps.iter().enumerate() {
        for b in &fps[i + 1..] {
            max_j = max_j.max(rasd_dedup::jaccard(&a.shingles, &b.shingles));
            max_c = max_c.max(rasd_dedup::containment(&a.shingles, &b.shingles));
            max_c = max_c.max(rasd_dedup::containment(&b.shingles, &a.shingles));
        }
    }
    eprintln!("seeds: max pairwise Jaccard {max_j:.3}, max containment {max_c:.3}");
    assert!(max_j < 0.1 && max_c < 0.2);
}

#[test]
fn cleaned_and_edited_copies_of_a_seed_are_found() {
    let Some(texts) = seeds() else {
        eprintln!("skipping: shared/seeds not found");
        return;
    };
    let mut index = DedupIndex::new(DedupConfig::default());
    for (i, t) in texts.iter().enumerate() {
        index.insert(i as u64, &fp(t));
    }
    for (i, t) in texts.iter().enumerate() {
        let paras: Vec<&str> = t.lines().map(str::trim).filter(|p| !p.is_empty()).collect();
        // The same page after better cleaning: repeated paragraphs dropped, first and last block
        // (headline strip / trailer) cut.
        let mut seen = std::collections::HashSet::new();
        let cleaned: Vec<&str> = paras
            .iter()
            .skip(1)
            .take(paras.len().saturating_sub(2))
            .filter(|p| seen.insert(**p))
            .copied()
            .collect();
        let m = index
            .find(&fp(&cleaned.join("\n\n")))
            .map(|m| (m.id, m.kind));
        assert!(
            matches!(m, Some((id, MatchKind::Near | MatchKind::ContainedIn | MatchKind::Exact)) if id == i as u64),
            "seed {i}: {m:?}"
        );

        // A republication with an edited fact: one word replaced by a number.
        let body = cleaned.join("\n\n");
        let a = keys(&body);
        let mut b = a.clone();
        let at = b.len() / 2;
        if let Some(w) = b.get_mut(at) {
            *w = "1234".to_string();
        }
        let (ra, rb): (Vec<&str>, Vec<&str>) = (
            a.iter().map(String::as_str).collect(),
            b.iter().map(String::as_str).collect(),
        );
        let f = fingerprint(&rb, &DedupConfig::default());
        let m = index.find(&f).map(|m| m.id);
        assert_eq!(m, Some(i as u64), "seed {i}");
        let diffs = differences(&ra, &rb, 3);
        assert_eq!(diffs.len(), 1, "{diffs:?}");
        assert!(diffs[0].ends_with("→ 1234"), "{diffs:?}");
        assert!(is_edited(&diffs));
    }
}
