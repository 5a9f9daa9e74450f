//! Writes a synthetic JSONL corpus for load tests (`{"url", "text", "published", "outlet"}`
//! per line), built from sentences of real Arabic text given as files.
//!
//! ```text
//! cargo run --release -p rasd-serve --example gen_corpus -- --docs 100000 --out /work/loadcorpus.jsonl TEXT_FILES...
//! rasd --db /work/loadstore ingest /work/loadcorpus.jsonl
//! ```
//!
//! Documents come in stories (about eight documents each, over a few days, sharing lead
//! sentences), with other sentences drawn at random; one in ten is a lightly edited copy
//! of an earlier document. Token-per-line files (`word TAG`, like ANERcorp) are joined
//! back into text. Deterministic for a given `--seed`.

use std::io::Write;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn sentences(text: &str) -> Vec<String> {
    // Token-per-line (word, space, tag): join the words.
    let lines: Vec<&str> = text.lines().take(50).collect();
    let tokenized = lines.len() > 20
        && lines
            .iter()
            .filter(|l| l.split_whitespace().count() == 2)
            .count()
            * 10
            >= lines.len() * 9;
    let flat = if tokenized {
        text.lines()
            .filter_map(|l| l.split_whitespace().next())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        text.to_string()
    };
    flat.split(['.', '؟', '!', '\n'])
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| (6..=60).contains(&s.split(' ').count()))
        .collect()
}

fn main() {
    let mut docs = 100_000usize;
    let mut out = None;
    let mut seed = 11u64;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--docs" => docs = args.next().and_then(|v| v.parse().ok()).unwrap_or(docs),
            "--out" => out = args.next(),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(seed),
            _ => files.push(a),
        }
    }
    let Some(out) = out else {
        eprintln!("gen_corpus: --out FILE is required");
        std::process::exit(2);
    };
    let mut pool = Vec::new();
    for f in &files {
        match std::fs::read(f) {
            Ok(b) => pool.extend(sentences(&String::from_utf8_lossy(&b))),
            Err(e) => eprintln!("gen_corpus: {f}: {e}"),
        }
    }
    if pool.len() < 100 {
        eprintln!(
            "gen_corpus: only {} sentences in the given files; give more text",
            pool.len()
        );
        std::process::exit(2);
    }
    let outlets: Vec<String> = (1..=40).map(|i| format!("وكالة الأنباء {i}")).collect();
    let mut rng = Rng(seed);
    let file = match std::fs::File::create(&out) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("gen_corpus: {out}: {e}");
            std::process::exit(1);
        }
    };
    let mut w = std::io::BufWriter::new(file);
    let mut written: Vec<String> = Vec::new();
    let (mut story_lead, mut story_day, mut left) = (Vec::new(), 0u64, 0usize);
    let base = 17_000u64; // 2016-07-18
    for i in 0..docs {
        let text = if i > 10 && rng.below(10) == 0 {
            // A lightly edited copy of a recent document.
            let j = written.len().saturating_sub(1 + rng.below(50));
            let src = written.get(j).cloned().unwrap_or_default();
            let mut words: Vec<&str> = src.split(' ').collect();
            let k = rng.below(words.len());
            if let Some(w) = words.get_mut(k) {
                *w = "وأضاف";
            }
            words.join(" ")
        } else {
            if left == 0 {
                story_lead = (0..4)
                    .map(|_| pool[rng.below(pool.len())].clone())
                    .collect();
                story_day = base + rng.below(1000) as u64;
                left = 2 + rng.below(12);
            }
            left -= 1;
            let mut parts: Vec<String> =
                story_lead.iter().take(2 + rng.below(3)).cloned().collect();
            for _ in 0..(4 + rng.below(8)) {
                parts.push(pool[rng.below(pool.len())].clone());
            }
            let title: String = parts[0].split(' ').take(9).collect::<Vec<_>>().join(" ");
            format!("{title}\n\n{}.", parts.join(". "))
        };
        written.push(text.clone());
        if written.len() > 200 {
            written.remove(0);
        }
        let day = story_day + rng.below(4) as u64;
        let (y, m, d) = civil(day as i64);
        let line = serde_json::json!({
            "url": format!("https://news.example/{i}"),
            "text": text,
            "published": format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:00", rng.below(24), rng.below(60)),
            "outlet": outlets[rng.below(outlets.len())],
        });
        if writeln!(w, "{line}").is_err() {
            eprintln!("gen_corpus: cannot write {out}");
            std::process::exit(1);
        }
    }
    if w.flush().is_err() {
        eprintln!("gen_corpus: cannot write {out}");
        std::process::exit(1);
    }
    eprintln!(
        "gen_corpus: {docs} documents from {} sentences → {out}",
        pool.len()
    );
}

fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}
