//! Reads `tests/gold.tsv` and scores `find_expressions` against it (shared by the gold test and
//! the `gold_eval` example).

use chrono::NaiveDate;
use rasd_time::{find_expressions, AnchorKind, TimeExpression};

/// One gold expression.
#[derive(Debug, Clone)]
pub struct Gold {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: String,
    pub value: Option<String>,
}

/// One gold sentence.
#[derive(Debug, Clone)]
pub struct Case {
    pub line: usize,
    pub anchor: NaiveDate,
    pub text: String,
    pub gold: Vec<Gold>,
}

/// Parses the gold file; `Err` names the line that is malformed.
pub fn parse(tsv: &str) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    for (n, line) in tsv.lines().enumerate() {
        let line_no = n + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (anchor, marked) = line
            .split_once('\t')
            .ok_or_else(|| format!("line {line_no}: no tab"))?;
        let anchor = NaiveDate::parse_from_str(anchor, "%Y-%m-%d")
            .map_err(|e| format!("line {line_no}: anchor: {e}"))?;
        let mut text = String::new();
        let mut gold = Vec::new();
        let mut rest = marked;
        while let Some(open) = rest.find("[[") {
            text.push_str(&rest[..open]);
            let after = &rest[open + 2..];
            let close = after
                .find("]]")
                .ok_or_else(|| format!("line {line_no}: unclosed [["))?;
            let mut parts = after[..close].split('|');
            let (Some(span), Some(kind), Some(value), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(format!("line {line_no}: a mark needs span|TYPE|value"));
            };
            let start = text.len();
            text.push_str(span);
            gold.push(Gold {
                start,
                end: text.len(),
                text: span.to_string(),
                kind: kind.to_string(),
                value: (value != "-").then(|| value.to_string()),
            });
            rest = &after[close + 2..];
        }
        text.push_str(rest);
        cases.push(Case {
            line: line_no,
            anchor,
            text,
            gold,
        });
    }
    Ok(cases)
}

fn kind_name(e: &TimeExpression) -> String {
    serde_json::to_value(e.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The scores.
#[derive(Debug, Default, Clone)]
pub struct Score {
    pub gold: usize,
    pub predicted: usize,
    /// Exact span matches.
    pub exact: usize,
    /// Overlapping span matches (each gold counted once).
    pub overlap: usize,
    /// Exact span, same type and same value.
    pub value_ok: usize,
    /// Human-readable misses and errors.
    pub errors: Vec<String>,
}

impl Score {
    pub fn precision(&self) -> f64 {
        self.exact as f64 / self.predicted.max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.exact as f64 / self.gold.max(1) as f64
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// Of the exactly matched spans, the share with the right type and value.
    pub fn value_accuracy(&self) -> f64 {
        self.value_ok as f64 / self.exact.max(1) as f64
    }
}

/// Scores every case.
pub fn score(cases: &[Case]) -> Score {
    let mut s = Score::default();
    for c in cases {
        let found = find_expressions(&c.text, Some(c.anchor), AnchorKind::Given);
        s.gold += c.gold.len();
        s.predicted += found.len();
        for g in &c.gold {
            if found.iter().any(|f| f.start < g.end && g.start < f.end) {
                s.overlap += 1;
            }
            match found.iter().find(|f| f.start == g.start && f.end == g.end) {
                Some(f) => {
                    s.exact += 1;
                    if kind_name(f) == g.kind && f.value == g.value {
                        s.value_ok += 1;
                    } else {
                        s.errors.push(format!(
                            "line {}: value  '{}': want {} {}, got {} {}",
                            c.line,
                            g.text,
                            g.kind,
                            g.value.as_deref().unwrap_or("-"),
                            kind_name(f),
                            f.value.as_deref().unwrap_or("-")
                        ));
                    }
                }
                None => s
                    .errors
                    .push(format!("line {}: missed '{}'", c.line, g.text)),
            }
        }
        for f in &found {
            if !c.gold.iter().any(|g| g.start == f.start && g.end == f.end) {
                s.errors.push(format!(
                    "line {}: spurious '{}' ({} {})",
                    c.line,
                    f.text,
                    kind_name(f),
                    f.value.as_deref().unwrap_or("-")
                ));
            }
        }
    }
    s
}
