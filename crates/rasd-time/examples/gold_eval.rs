//! Scores `find_expressions` on the gold set (`tests/gold.tsv`): span precision and recall
//! (exact and overlapping) and value accuracy, then lists every miss and error.
//!
//! `cargo run --release -p rasd-time --example gold_eval [-- --heldout]`
//!
//! `--heldout` scores `tests/heldout.tsv` instead: sentences written after the rules were
//! frozen and never used to tune them.

#[path = "../tests/common/gold.rs"]
mod gold;

fn main() {
    let tsv = if std::env::args().any(|a| a == "--heldout") {
        include_str!("../tests/heldout.tsv")
    } else {
        include_str!("../tests/gold.tsv")
    };
    let cases = match gold::parse(tsv) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("gold_eval: gold file: {e}");
            std::process::exit(2);
        }
    };
    let s = gold::score(&cases);
    for e in &s.errors {
        println!("{e}");
    }
    println!(
        "sentences {}  gold expressions {}  predicted {}",
        cases.len(),
        s.gold,
        s.predicted
    );
    println!(
        "exact span: precision {:.3}  recall {:.3}  F1 {:.3}",
        s.precision(),
        s.recall(),
        s.f1()
    );
    println!(
        "overlapping span recall {:.3}",
        s.overlap as f64 / s.gold.max(1) as f64
    );
    println!(
        "value accuracy (type and value, on exact spans) {:.3} ({} of {}); on all gold {:.3}",
        s.value_accuracy(),
        s.value_ok,
        s.exact,
        s.value_ok as f64 / s.gold.max(1) as f64
    );
}
