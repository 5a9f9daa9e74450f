//! Trains the tagger on ANERcorp (lines 1–125,303 of `ANERCorp_original_full.txt` only: the rest
//! is the test text) and writes the model.
//!
//! ```text
//! cargo run --release -p rasd-entities --example train -- PATH/ANERCorp_original_full.txt \
//!     [--out crates/rasd-entities/data/ner.model] [--epochs 12] [--bits 20] [--prune 0] [--dropout 0] [--dev | --fold K]
//! ```
//! `--dev` holds out the last 10% of the training range and prints its F1 after every epoch
//! (for choosing `--epochs`); the model written is then trained on the other 90% only. `--fold K`
//! holds out the K-th tenth instead (0–9), for averaging a choice over several held-out parts.

use std::time::Instant;

use rasd_entities::{ends_sentence, eval, Recognizer};

/// Lines of the full file that may be trained on.
const TRAIN_LINES: usize = 125_303;

fn main() {
    if let Err(e) = run() {
        eprintln!("train: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut path = None;
    let mut out = String::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/ner.model"));
    let (mut epochs, mut bits, mut prune, mut dev, mut dropout) =
        (12usize, 20u32, 0i16, false, 0.0f32);
    let mut fold: Option<usize> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--out" => out = val("--out")?,
            "--epochs" => {
                epochs = val("--epochs")?
                    .parse()
                    .map_err(|e| format!("--epochs: {e}"))?
            }
            "--bits" => bits = val("--bits")?.parse().map_err(|e| format!("--bits: {e}"))?,
            "--prune" => {
                prune = val("--prune")?
                    .parse()
                    .map_err(|e| format!("--prune: {e}"))?
            }
            "--dropout" => {
                dropout = val("--dropout")?
                    .parse()
                    .map_err(|e| format!("--dropout: {e}"))?
            }
            "--dev" => dev = true,
            "--fold" => {
                fold = Some(
                    val("--fold")?
                        .parse::<usize>()
                        .map_err(|e| format!("--fold: {e}"))?
                        .min(9),
                )
            }
            p => path = Some(p.to_string()),
        }
    }
    let path = path.ok_or("usage: train ANERCorp_original_full.txt [--out F] [--epochs N] [--bits B] [--prune T] [--dev | --fold K]")?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let lines: Vec<&str> = text.lines().take(TRAIN_LINES).collect();
    // No sentence breaks in the file: sentences end after sentence-final punctuation.
    let mut sents: Vec<Vec<(String, String)>> = Vec::new();
    let mut cur = Vec::new();
    for l in &lines {
        let mut cols = l.split_whitespace();
        let Some(tok) = cols.next() else { continue };
        let tag = cols.last().unwrap_or("O");
        cur.push((tok.to_string(), tag.to_string()));
        if ends_sentence(tok) {
            sents.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        sents.push(cur);
    }
    // `--dev`: the last tenth held out; `--fold K`: the K-th tenth (0–9).
    let fold = fold.or(if dev { Some(9) } else { None });
    let (train, held) = match fold {
        Some(k) => {
            let (a, b) = (sents.len() * k / 10, sents.len() * (k + 1) / 10);
            let mut train = sents.get(..a).unwrap_or(&[]).to_vec();
            train.extend_from_slice(sents.get(b..).unwrap_or(&[]));
            (train, sents.get(a..b).unwrap_or(&[]).to_vec())
        }
        None => (sents, Vec::new()),
    };
    eprintln!(
        "{} lines, {} sentences for training, {} held out; {epochs} epochs, 2^{bits} buckets",
        lines.len(),
        train.len(),
        held.len()
    );
    let t0 = Instant::now();
    let bytes = Recognizer::train(&train, epochs, bits, dropout, |e, errors, bytes| {
        let mut line = format!(
            "epoch {e}: {errors} token errors, {:.1}s",
            t0.elapsed().as_secs_f64()
        );
        if !held.is_empty() {
            if let Ok(r) = Recognizer::from_model_bytes(bytes) {
                let (toks, gold) = eval::columns(&held);
                let pred = r.tag_sentences(&toks);
                let s = eval::score(&gold, &pred);
                line.push_str(&format!(", dev F1 {:.2}", s.overall.f1()));
            }
        }
        eprintln!("{line}");
    });
    let bytes = if prune > 0 {
        Recognizer::prune_model(&bytes, prune).map_err(|e| e.to_string())?
    } else {
        bytes
    };
    std::fs::write(&out, &bytes).map_err(|e| format!("{out}: {e}"))?;
    eprintln!(
        "wrote {out} ({} bytes) in {:.1}s",
        bytes.len(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
