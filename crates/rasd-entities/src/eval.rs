//! Reading CoNLL token-per-line files and scoring by the conlleval rules (entity-level micro
//! precision, recall and F1: an entity counts when its type and both ends match).

use std::collections::BTreeMap;

use crate::tags::{parse_tag, spans};

/// Sentences of a token-per-line file: first column the token, last column the tag (absent:
/// `O`). Blank lines end sentences; lines of only whitespace are skipped.
///
/// ```
/// let s = rasd_entities::eval::read_conll("موسكو B-LOC\nقالت O\n\nثم O\n");
/// assert_eq!(s.len(), 2);
/// assert_eq!(s[0][0], ("موسكو".to_string(), "B-LOC".to_string()));
/// ```
pub fn read_conll(text: &str) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for line in text.lines() {
        let mut cols = line.split_whitespace();
        let Some(tok) = cols.next() else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        };
        let tag = cols.last().unwrap_or("O");
        cur.push((tok.to_string(), tag.to_string()));
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The tokens and the gold tags of sentences from [`read_conll`], as two parallel lists:
/// what a tagger reads and what [`score`] compares its output with.
///
/// ```
/// let s = rasd_entities::eval::read_conll("موسكو B-LOC\nقالت O\n");
/// let (tokens, gold) = rasd_entities::eval::columns(&s);
/// assert_eq!(tokens, vec![vec!["موسكو", "قالت"]]);
/// assert_eq!(gold, vec![vec!["B-LOC".to_string(), "O".to_string()]]);
/// ```
pub fn columns(sents: &[Vec<(String, String)>]) -> (Vec<Vec<&str>>, Vec<Vec<String>>) {
    sents
        .iter()
        .map(|s| {
            s.iter()
                .map(|(t, g)| (t.as_str(), g.clone()))
                .unzip::<_, _, Vec<&str>, Vec<String>>()
        })
        .unzip()
}

/// Precision, recall and F1 (percent) with the counts behind them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    /// Entities found with the right type and span.
    pub correct: usize,
    /// Entities in the gold standard.
    pub gold: usize,
    /// Entities predicted.
    pub predicted: usize,
}

impl Prf {
    /// Precision in percent.
    pub fn precision(&self) -> f64 {
        pct(self.correct, self.predicted)
    }
    /// Recall in percent.
    pub fn recall(&self) -> f64 {
        pct(self.correct, self.gold)
    }
    /// F1 in percent.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// Scores per type (`PER`, `ORG`, `LOC`, `MISC`) and overall.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    /// Per entity type.
    pub by_type: BTreeMap<String, Prf>,
    /// Micro-averaged over all types.
    pub overall: Prf,
}

/// Scores predicted tag sequences against gold ones (any BIO spelling [`parse_tag`] reads,
/// `B-PERS` included), sentence by sentence; sequences of different lengths are scored over
/// their common prefix.
///
/// ```
/// use rasd_entities::eval::score;
/// let g = vec![vec!["B-PERS".to_string(), "I-PERS".into(), "O".into(), "B-LOC".into()]];
/// let p = vec![vec!["B-PER".to_string(), "O".into(), "O".into(), "B-LOC".into()]];
/// let s = score(&g, &p);
/// assert_eq!((s.overall.correct, s.overall.gold, s.overall.predicted), (1, 2, 2));
/// ```
pub fn score(gold: &[Vec<String>], pred: &[Vec<String>]) -> Scores {
    let mut s = Scores::default();
    for (g, p) in gold.iter().zip(pred) {
        let n = g.len().min(p.len());
        let gt: Vec<u8> = g.iter().take(n).map(|t| parse_tag(t)).collect();
        let pt: Vec<u8> = p.iter().take(n).map(|t| parse_tag(t)).collect();
        let gs = spans(&gt);
        let ps = spans(&pt);
        for &(_, _, ty) in &gs {
            s.by_type.entry(ty.as_str().to_string()).or_default().gold += 1;
            s.overall.gold += 1;
        }
        for sp in &ps {
            let e = s.by_type.entry(sp.2.as_str().to_string()).or_default();
            e.predicted += 1;
            s.overall.predicted += 1;
            if gs.contains(sp) {
                e.correct += 1;
                s.overall.correct += 1;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    #[test]
    fn conlleval_rules() {
        let gold = vec![v("B-PERS I-PERS O B-LOC B-ORG I-ORG")];
        // Person right, location right, organisation cut short: 2 of 3.
        let pred = vec![v("B-PER I-PER O B-LOC B-ORG O")];
        let s = score(&gold, &pred);
        assert_eq!(
            (s.overall.correct, s.overall.gold, s.overall.predicted),
            (2, 3, 3)
        );
        assert!((s.overall.f1() - 66.666).abs() < 0.01);
        assert_eq!(s.by_type.get("ORG").map(|p| p.correct), Some(0));
        // Nothing predicted: zero, no division by zero.
        let none = score(&gold, &[v("O O O O O O")]);
        assert_eq!(none.overall.f1(), 0.0);
        assert_eq!(score(&[], &[]).overall.f1(), 0.0);
    }

    #[test]
    fn reads_columns_and_blank_lines() {
        let s = read_conll("a B-LOC\n\n\nb\tx\tI-ORG\nc\n");
        assert_eq!(s.len(), 2);
        assert_eq!(s[1][0].1, "I-ORG");
        assert_eq!(s[1][1].1, "O");
    }
}
