//! Builds `data/prior_df.tsv`, the prior document-frequency table shipped in the crate.
//!
//! Reads ANERcorp (token per line, token in column 1), cuts it into pseudo-documents of 200 tokens, extracts
//! each one's terms with the crate's own [`rasd_stories::doc_features`], and writes `term<TAB>df` for terms
//! with df ≥ 2, after a first line `#docs<TAB>N`.
//!
//! Only lines 1–125,303 are read: the rest of the file is the NER test text, which no part of rasd uses.
//!
//! ```text
//! cargo run -p rasd-stories --example build_prior -- \
//!     ../shared/data/anercorp/ANERCorp_original_full.txt crates/rasd-stories/data/prior_df.tsv
//! ```

use std::collections::HashMap;
use std::io::Write;

const DOC_TOKENS: usize = 200;
const TRAIN_LINES: usize = 125_303;
const MIN_DF: u32 = 2;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(output)) = (args.get(1), args.get(2)) else {
        return Err("usage: build_prior ANERCorp_original_full.txt OUT.tsv".into());
    };
    let text = String::from_utf8_lossy(&std::fs::read(input)?).into_owned();
    let tokens: Vec<&str> = text
        .lines()
        .take(TRAIN_LINES)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let mut df: HashMap<String, u32> = HashMap::new();
    let mut docs = 0u32;
    for chunk in tokens.chunks(DOC_TOKENS) {
        let body = chunk.join(" ");
        let f = rasd_stories::doc_features(None, &body, None);
        if f.terms.is_empty() {
            continue;
        }
        docs += 1;
        for (t, _) in f.terms {
            *df.entry(t).or_default() += 1;
        }
    }
    let mut rows: Vec<(String, u32)> = df.into_iter().filter(|(_, n)| *n >= MIN_DF).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out = std::io::BufWriter::new(std::fs::File::create(output)?);
    writeln!(out, "#docs\t{docs}")?;
    for (t, n) in &rows {
        writeln!(out, "{t}\t{n}")?;
    }
    out.flush()?;
    eprintln!(
        "{docs} pseudo-documents, {} terms with df >= {MIN_DF} -> {output}",
        rows.len()
    );
    Ok(())
}
