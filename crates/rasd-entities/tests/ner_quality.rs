//! Entity-level F1 (conlleval rules) on the CAMeL Lab test split of ANERcorp: a floor, so that a
//! change that hurts the tagger fails. Skips when `../shared` is absent. The figures themselves:
//! `cargo run --release -p rasd-entities --example eval -- …/ANERCorp_CamelLab_test.txt`.

use rasd_entities::{eval, Recognizer};

#[test]
fn f1_floor_on_anercorp_test() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/anercorp/ANERCorp_CamelLab_test.txt"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipping: {path} is absent (it sits beside the checkout in CI only)");
        return;
    };
    let r = Recognizer::new();
    let sents = eval::read_conll(&text);
    assert!(sents.len() > 900);
    let (toks, gold) = eval::columns(&sents);
    // Consecutive sentences of one text, tagged together (as the eval example does).
    let pred = r.tag_sentences(&toks);
    let s = eval::score(&gold, &pred);
    eprintln!(
        "ANERcorp CamelLab test: P {:.2} R {:.2} F1 {:.2}",
        s.overall.precision(),
        s.overall.recall(),
        s.overall.f1()
    );
    assert!(s.overall.f1() >= 69.5, "F1 {:.2}", s.overall.f1());
    let loc = s.by_type.get("LOC").map(|p| p.f1()).unwrap_or(0.0);
    assert!(loc >= 84.0, "LOC F1 {loc:.2}");
    let per = s.by_type.get("PER").map(|p| p.f1()).unwrap_or(0.0);
    assert!(per >= 66.0, "PER F1 {per:.2}");
}
