//! Calibrates the same-story similarity on the SemEval-2022 Task 8 Arabic dev pairs.
//!
//! Pairs scored ≤ 1.5 (same story) are the positives, pairs scored ≥ 2.5 (different stories) the negatives.
//! Prints the AUC of [`rasd_stories::similarity`] (also against the score-3 pairs alone: related but
//! different stories, the hard negatives), its Spearman correlation with the gold score, and the
//! threshold with the best F1 for "same story", for a few title weights and with the idf taken from the
//! shipped prior alone or from the prior plus the pairs' own texts (as the index would have after ingesting them).
//!
//! ```text
//! cargo run --release -p rasd-stories --example calibrate -- ../shared/data/semeval2022-task8-ar/ar_pairs_dev.jsonl
//! ```

use rasd_stories::{
    doc_features_weighted, similarity, DocFeatures, StoryConfig, StoryIndex, TITLE_WEIGHT,
};

struct Pair {
    score: f64,
    a: (String, String),
    b: (String, String),
}

fn field(v: &serde_json::Value, k: &str) -> String {
    v.get(k)
        .and_then(|x| x.as_str())
        .unwrap_or_default()
        .to_string()
}

fn auc(pos: &[f32], neg: &[f32]) -> f64 {
    let mut wins = 0.0;
    for p in pos {
        for n in neg {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (pos.len() * neg.len()).max(1) as f64
}

fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        for k in i..=j {
            r[idx[k]] = (i + j) as f64 / 2.0;
        }
        i = j + 1;
    }
    r
}

fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let (rx, ry) = (ranks(x), ranks(y));
    let n = x.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let cov: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = rx.iter().map(|a| (a - mx).powi(2)).sum();
    let vy: f64 = ry.iter().map(|b| (b - my).powi(2)).sum();
    cov / (vx * vy).sqrt()
}

/// (threshold, F1, accuracy) of the best-F1 cut.
fn best_threshold(pos: &[f32], neg: &[f32]) -> (f32, f64, f64) {
    let mut cuts: Vec<f32> = pos.iter().chain(neg).copied().collect();
    cuts.sort_by(|a, b| a.total_cmp(b));
    let mut best = (0.0, 0.0, 0.0);
    for w in cuts.windows(2) {
        let t = (w[0] + w[1]) / 2.0;
        let tp = pos.iter().filter(|s| **s >= t).count() as f64;
        let fp = neg.iter().filter(|s| **s >= t).count() as f64;
        let fn_ = pos.len() as f64 - tp;
        let tn = neg.len() as f64 - fp;
        let f1 = 2.0 * tp / (2.0 * tp + fp + fn_).max(1.0);
        let acc = (tp + tn) / (pos.len() + neg.len()) as f64;
        if f1 > best.1 {
            best = (t, f1, acc);
        }
    }
    best
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/semeval2022-task8-ar/ar_pairs_dev.jsonl".to_string());
    let text = std::fs::read_to_string(&path)?;
    let mut pairs = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let Some(score) = v.get("overall_rounded").and_then(|x| x.as_f64()) else {
            continue;
        };
        pairs.push(Pair {
            score,
            a: (field(&v, "title_1"), field(&v, "text_1")),
            b: (field(&v, "title_2"), field(&v, "text_2")),
        });
    }
    let same = pairs.iter().filter(|p| p.score <= 1.5).count();
    let diff = pairs.iter().filter(|p| p.score >= 2.5).count();
    println!(
        "{} pairs: {same} same (<= 1.5), {diff} different (>= 2.5)",
        pairs.len()
    );
    println!("title_w  idf            AUC     AUC-vs-3  Spearman  best-F1-threshold  F1     accuracy  mean-same  mean-diff");
    let mut at_defaults = Vec::new();
    for title_weight in [0.0f32, TITLE_WEIGHT, 2.0 * TITLE_WEIGHT] {
        let feats: Vec<(DocFeatures, DocFeatures)> = pairs
            .iter()
            .map(|p| {
                let f = |d: &(String, String)| {
                    let title = (!d.0.is_empty()).then_some(d.0.as_str());
                    doc_features_weighted(title, &d.1, None, title_weight)
                };
                (f(&p.a), f(&p.b))
            })
            .collect();
        // The idf an index would have after ingesting all these texts.
        let mut df = std::collections::HashMap::<String, u32>::new();
        for (a, b) in &feats {
            for f in [a, b] {
                for (t, _) in &f.terms {
                    *df.entry(t.clone()).or_default() += 1;
                }
            }
        }
        let fresh = StoryIndex::new(StoryConfig::default());
        let ingested = StoryIndex::restore(
            StoryConfig::default(),
            df.into_iter().collect(),
            2 * feats.len() as u32,
            Vec::new(),
        );
        for (name, index) in [("prior", &fresh), ("prior+corpus", &ingested)] {
            let sims: Vec<f32> = feats.iter().map(|(a, b)| similarity(index, a, b)).collect();
            let pos: Vec<f32> = pairs
                .iter()
                .zip(&sims)
                .filter(|(p, _)| p.score <= 1.5)
                .map(|(_, s)| *s)
                .collect();
            let neg: Vec<f32> = pairs
                .iter()
                .zip(&sims)
                .filter(|(p, _)| p.score >= 2.5)
                .map(|(_, s)| *s)
                .collect();
            let hard: Vec<f32> = pairs
                .iter()
                .zip(&sims)
                .filter(|(p, _)| (2.5..3.5).contains(&p.score))
                .map(|(_, s)| *s)
                .collect();
            let gold: Vec<f64> = pairs.iter().map(|p| -p.score).collect();
            let s64: Vec<f64> = sims.iter().map(|s| f64::from(*s)).collect();
            let (t, f1, acc) = best_threshold(&pos, &neg);
            if title_weight == TITLE_WEIGHT {
                let cfg = StoryConfig::default();
                let cuts = [0.20, 0.22, 0.24, 0.26, 0.28, 0.30, 0.33, 0.36].map(|c| ("cut", c));
                let defaults = [
                    ("threshold", cfg.threshold),
                    ("threshold_no_date", cfg.threshold_no_date),
                ];
                for (what, cut) in defaults.into_iter().chain(cuts) {
                    let tp = pos.iter().filter(|s| **s >= cut).count() as f64;
                    let fp = neg.iter().filter(|s| **s >= cut).count() as f64;
                    let p = tp / (tp + fp).max(1.0);
                    let r = tp / pos.len().max(1) as f64;
                    at_defaults.push(format!(
                        "  idf {name:<13} {what:<17} {cut:.2}: precision {p:.3} recall {r:.3} F1 {:.3}",
                        2.0 * p * r / (p + r).max(1e-9)
                    ));
                }
            }
            let mean = |x: &[f32]| x.iter().sum::<f32>() / x.len().max(1) as f32;
            println!(
                "{title_weight:<8} {name:<14} {:.3}   {:.3}     {:.3}     {t:.3}              {f1:.3}  {acc:.3}     {:.3}      {:.3}",
                auc(&pos, &neg),
                auc(&pos, &hard),
                spearman(&s64, &gold),
                mean(&pos),
                mean(&neg)
            );
        }
    }
    println!("same (<= 1.5) vs different (>= 2.5) at the default thresholds, title weight {TITLE_WEIGHT}:");
    for line in at_defaults {
        println!("{line}");
    }
    Ok(())
}
