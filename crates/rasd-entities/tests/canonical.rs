//! Canonicalization: pairwise merge precision and recall over `canonical_groups.tsv` (≥ 100
//! groups of variants and aliases that must meet on one entity, and must not meet across groups).
//! Run with `--nocapture` to see the figures and the misses.

use std::collections::HashMap;

use rasd_entities::{EntityType, Recognizer};

const GROUPS: &str = include_str!("canonical_groups.tsv");

fn kind(s: &str) -> Option<EntityType> {
    match s {
        "PER" => Some(EntityType::Per),
        "ORG" => Some(EntityType::Org),
        "LOC" => Some(EntityType::Loc),
        "MISC" => Some(EntityType::Misc),
        _ => None,
    }
}

#[test]
fn merge_precision_and_recall() {
    let r = Recognizer::new();
    // (group, name, id)
    let mut items = Vec::new();
    let mut groups = 0;
    for line in GROUPS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let Some((ty, names)) = line.split_once('\t') else {
            continue;
        };
        let Some(k) = kind(ty) else { continue };
        for n in names.split('|') {
            let (id, _) = r.canonical(n, k);
            assert!(!id.is_empty(), "{n}: no id");
            items.push((groups, n, id));
        }
        groups += 1;
    }
    assert!(groups >= 100, "{groups} groups");
    let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
    let mut misses: HashMap<usize, Vec<(&str, &str)>> = HashMap::new();
    for (i, a) in items.iter().enumerate() {
        for b in items.iter().skip(i + 1) {
            let same_gold = a.0 == b.0;
            let same_pred = a.2 == b.2;
            match (same_gold, same_pred) {
                (true, true) => tp += 1,
                (false, true) => {
                    fp += 1;
                    eprintln!("wrong merge: {} ~ {} ({})", a.1, b.1, a.2);
                }
                (true, false) => {
                    fn_ += 1;
                    misses.entry(a.0).or_default().push((a.1, b.1));
                }
                (false, false) => {}
            }
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let rc = tp as f64 / (tp + fn_).max(1) as f64;
    let mut m: Vec<_> = misses.into_iter().collect();
    m.sort();
    for (_, pairs) in m.iter().take(30) {
        if let Some((a, b)) = pairs.first() {
            eprintln!(
                "not merged: {a} / {b} (+{} more pairs of the group)",
                pairs.len() - 1
            );
        }
    }
    eprintln!(
        "canonicalization: {groups} groups, {} names; pairwise merge precision {:.3}, recall {:.3} (tp {tp}, fp {fp}, fn {fn_})",
        items.len(),
        p,
        rc
    );
    assert!(p >= 0.98, "precision {p:.3}");
    assert!(rc >= 0.85, "recall {rc:.3}");
}
