//! Entity-level micro P/R/F1 (conlleval rules) per type and overall, and tagging speed on one core.
//!
//! ```text
//! cargo run --release -p rasd-entities --example eval -- PATH/ANERCorp_CamelLab_test.txt [--model F] [--json] [--per-sentence]
//! ```

use std::time::Instant;

use rasd_entities::{eval, Recognizer};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let per_sentence = args.iter().any(|a| a == "--per-sentence");
    let model = args
        .iter()
        .position(|a| a == "--model")
        .and_then(|i| args.get(i + 1));
    let Some(path) = args
        .iter()
        .find(|a| !a.starts_with("--") && Some(*a) != model)
    else {
        eprintln!("usage: eval ANERCorp_CamelLab_test.txt [--model F] [--json] [--per-sentence]");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("eval: {path}: {e}");
            std::process::exit(1);
        }
    };
    let t_load = Instant::now();
    let r = match model {
        Some(m) => match std::fs::read(m)
            .map_err(|e| e.to_string())
            .and_then(|b| Recognizer::from_model_bytes(&b).map_err(|e| e.to_string()))
        {
            Ok(r) => r,
            Err(e) => {
                eprintln!("eval: {m}: {e}");
                std::process::exit(1);
            }
        },
        None => Recognizer::new(),
    };
    let load_s = t_load.elapsed().as_secs_f64();
    let sents = eval::read_conll(&text);
    let (toks, gold) = eval::columns(&sents);
    let ntok: usize = toks.iter().map(Vec::len).sum();
    // Best of 3 runs for the speed (one thread).
    let mut best = f64::MAX;
    let mut pred = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        // The file's sentences are consecutive text: tagged together, so that the document
        // features see the other sentences nearby (no gold tag is read for this).
        // `--per-sentence`: each sentence alone, as `tag_tokens` does.
        pred = if per_sentence {
            toks.iter().map(|s| r.tag_tokens(s)).collect()
        } else {
            r.tag_sentences(&toks)
        };
        best = best.min(t.elapsed().as_secs_f64());
    }
    if args.iter().any(|a| a == "--dump") {
        for ((ts, gs), ps) in toks.iter().zip(&gold).zip(&pred) {
            for ((t, g), p) in ts.iter().zip(gs).zip(ps) {
                eprintln!(
                    "{t}\t{g}\t{p}{}",
                    if g.replace("PERS", "PER") != *p {
                        "\t<<<"
                    } else {
                        ""
                    }
                );
            }
        }
    }
    let s = eval::score(&gold, &pred);
    let tps = ntok as f64 / best;
    if json {
        let mut types = Vec::new();
        for (k, p) in &s.by_type {
            types.push(format!(
                "\"{k}\":{{\"precision\":{:.2},\"recall\":{:.2},\"f1\":{:.2},\"gold\":{},\"predicted\":{},\"correct\":{}}}",
                p.precision(), p.recall(), p.f1(), p.gold, p.predicted, p.correct
            ));
        }
        println!(
            "{{\"tokens\":{ntok},\"sentences\":{},\"precision\":{:.2},\"recall\":{:.2},\"f1\":{:.2},\"tokens_per_s\":{:.0},\"load_s\":{load_s:.3},\"by_type\":{{{}}}}}",
            sents.len(), s.overall.precision(), s.overall.recall(), s.overall.f1(), tps, types.join(",")
        );
    } else {
        println!(
            "{ntok} tokens, {} sentences; model+gazetteers loaded in {load_s:.2}s",
            sents.len()
        );
        println!(
            "{:<8}{:>8}{:>8}{:>8}{:>7}{:>7}{:>7}",
            "type", "P", "R", "F1", "gold", "pred", "ok"
        );
        for (k, p) in s
            .by_type
            .iter()
            .chain(std::iter::once((&"overall".to_string(), &s.overall)))
        {
            println!(
                "{k:<8}{:>8.2}{:>8.2}{:>8.2}{:>7}{:>7}{:>7}",
                p.precision(),
                p.recall(),
                p.f1(),
                p.gold,
                p.predicted,
                p.correct
            );
        }
        println!("speed: {tps:.0} tokens/s on one thread (best of 3)");
    }
}
