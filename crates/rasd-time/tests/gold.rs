//! The gold set (`tests/gold.tsv`, sentences composed for this project): span precision and
//! recall and value accuracy stay above floors set a little under the measured figures
//! (`cargo run --release -p rasd-time --example gold_eval` prints them and every error).

mod common;

use common::gold;

#[test]
fn gold_set_is_large_and_well_formed() {
    let cases = gold::parse(include_str!("gold.tsv")).unwrap_or_else(|e| panic!("gold.tsv: {e}"));
    let n: usize = cases.iter().map(|c| c.gold.len()).sum();
    assert!(n >= 300, "only {n} gold expressions");
    // Negative sentences (nothing to find) are part of it.
    assert!(cases.iter().filter(|c| c.gold.is_empty()).count() >= 20);
}

#[test]
fn gold_scores_stay_above_their_floors() {
    let cases = gold::parse(include_str!("gold.tsv")).unwrap_or_else(|e| panic!("gold.tsv: {e}"));
    let s = gold::score(&cases);
    let report = s.errors.join("\n");
    assert!(
        s.precision() >= 0.97,
        "precision {:.3}\n{report}",
        s.precision()
    );
    assert!(s.recall() >= 0.95, "recall {:.3}\n{report}", s.recall());
    assert!(s.f1() >= 0.96, "F1 {:.3}\n{report}", s.f1());
    assert!(
        s.value_accuracy() >= 0.97,
        "value accuracy {:.3}\n{report}",
        s.value_accuracy()
    );
}
