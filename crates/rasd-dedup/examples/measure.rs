//! Measures shingle size, thresholds and LSH recall on real Arabic text with synthetic edits.
//!
//! ```text
//! cargo run --release -p rasd-dedup --example measure [-- N_DOCS]
//! MEASURE_QUICK=1 cargo run --release -p rasd-dedup --example measure -- 100000   # no alternative bandings
//! MEASURE_WRITE=corpus.jsonl cargo run --release -p rasd-dedup --example measure -- 1000000
//! ```
//!
//! With `MEASURE_WRITE=PATH` it only writes the corpus as JSONL (`id`, `text`; generated in
//! independent blocks of `MEASURE_BLOCK` = 100,000 documents so memory stays bounded) and the
//! generator's copy pairs with their exact Jaccard to `PATH.truth.tsv`, for
//! `tools/peers/dedup/side_by_side.sh`.
//!
//! Inputs (skipped cleanly when absent): `shared/data/anercorp/ANERCorp_original_full.txt`
//! (cut at sentence ends into ~250-token pseudo-documents), the SemEval-2022 Arabic pairs
//! (`shared/data/semeval2022-task8-ar/ar_pairs_dev.jsonl`: texts become base documents; pairs scored
//! ≤ 2 "same story" are the different-words negatives) and `shared/seeds/*.txt`.
//!
//! 1. Per shingle size k = 3…7: Jaccard between each real base document and one realistic edit of
//!    it (typos, word swaps, paragraph reorder, truncation, sentences inserted/deleted, boilerplate
//!    swap, and a mix of 2–3 of them), against the Jaccard of same-story SemEval pairs. The
//!    threshold must sit between the two.
//! 2. A corpus of N documents (default 20,000): the real bases, random sentence mixtures (hard
//!    negatives sharing sentences with others) up to 40 %, then edited copies of earlier documents
//!    (chains included) and short wire extracts. Exact Jaccard of every pair sharing a shingle is the
//!    ground truth (inverted index); the incremental [`DedupIndex`] (find, then insert, like the
//!    pipeline) is scored against it (set MEASURE_DEBUG=1 to print matches across origins): precision/recall of near-duplicate pairs at true J ≥ 0.8 and
//!    at the default threshold, recall per Jaccard bin, containment of wire items, throughput.
//!
//! Results (2-core shared machine, release build, ~25 s in all):
//!
//! ```text
//! k=5 edited copy (mix of 2-3 edits) J: p5 0.41, median 0.70; same-story SemEval J: p95 0.19, max 0.51
//! share >= t   t=0.4: edited 0.953, same-story 2/55   t=0.5: 0.880, 1/55   t=0.6: 0.737, 0/55
//! 20,000 docs, ground truth 18,058 pairs J >= 0.5, 5,667 pairs J >= 0.8
//! threshold 0.8, 33x3 bands: precision 1.0000 recall 1.0000
//! threshold 0.5, 33x3 bands: precision 1.0000 recall 0.9996   (20x5: 0.9139, 25x4: 0.9824)
//! edited copies matched to their parent (near or containment): 0.993; wire extracts: 0.977
//!
//! MEASURE_QUICK=1 … 100000 (100,000 docs: 40,000 originals incl. mixtures, 56,442 edited copies,
//! 3,558 wire extracts, 287 tokens/doc; peak RSS 2.7 GB, mostly the generator's strings):
//! ground truth 109,106 pairs with exact J >= 0.3 (inverted index)
//! threshold 0.8, 33x3 bands: 28,806 true pairs with J >= 0.8, precision 1.0000 recall 1.0000
//! edited copies matched to their parent: 0.981; wire extracts matched their source or a copy of
//! it: 3,483/3,558 (0.979; 186 matched their source while copies were posted in full for
//! containment, MEASURE_POST_ALL=1, and lists over 256 documents were skipped for short items too)
//! ```

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rasd_dedup::{fingerprint, jaccard, DedupConfig, DedupIndex, Fingerprint, MatchKind};

type Sentence = Vec<String>;
type Para = Vec<Sentence>;
type SetPair = (Vec<u32>, Vec<u32>);

#[derive(Clone)]
struct Doc {
    head: Vec<String>,
    body: Vec<Para>,
    tail: Vec<String>,
    parent: Option<usize>,
    family: usize,
    kind: &'static str,
}

impl Doc {
    fn tokens(&self) -> Vec<&str> {
        let body = self.body.iter().flatten().flatten();
        self.head
            .iter()
            .chain(body)
            .chain(&self.tail)
            .map(String::as_str)
            .collect()
    }
    fn n_sentences(&self) -> usize {
        self.body.iter().map(Vec::len).sum()
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// Light normalization standing in for `rasd_arabic::search_key`.
fn normalize(word: &str) -> String {
    word.chars()
        .filter_map(|c| match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => None,
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ى' => Some('ي'),
            'ة' => Some('ه'),
            c => Some(c),
        })
        .collect()
}

/// Splits running text into paragraphs (blank-line or newline separated) of sentences of words.
fn parse_text(text: &str) -> Vec<Para> {
    let mut paras = Vec::new();
    for p in text.split('\n') {
        let mut para: Para = Vec::new();
        let mut sent: Sentence = Vec::new();
        let mut word = String::new();
        for c in p.chars().chain(std::iter::once(' ')) {
            if c.is_alphanumeric() || ('\u{064B}'..='\u{065F}').contains(&c) {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                sent.push(normalize(&std::mem::take(&mut word)));
            }
            if matches!(c, '.' | '!' | '?' | '؟' | '؛') && !sent.is_empty() {
                para.push(std::mem::take(&mut sent));
            }
        }
        if !sent.is_empty() {
            para.push(sent);
        }
        if !para.is_empty() {
            paras.push(para);
        }
    }
    paras
}

fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// ANERcorp (token per line) cut at sentence ends into ~250-token documents of 1–3-sentence
/// paragraphs; sentences longer than 40 tokens are split.
fn anercorp_docs(path: &Path, rng: &mut Rng) -> Option<Vec<Vec<Para>>> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut sentences: Vec<Sentence> = Vec::new();
    let mut cur: Sentence = Vec::new();
    for line in text.lines() {
        let Some(tok) = line.split_whitespace().next() else {
            continue;
        };
        if tok == "." || cur.len() >= 40 {
            if !cur.is_empty() {
                sentences.push(std::mem::take(&mut cur));
            }
            if tok == "." {
                continue;
            }
        }
        if tok.chars().any(char::is_alphanumeric) {
            cur.push(normalize(tok));
        }
    }
    if !cur.is_empty() {
        sentences.push(cur);
    }
    let mut docs = Vec::new();
    let mut doc: Vec<Para> = Vec::new();
    let mut para: Para = Vec::new();
    let mut n = 0;
    let mut para_len = 1 + rng.below(3);
    for s in sentences {
        n += s.len();
        para.push(s);
        if para.len() >= para_len {
            doc.push(std::mem::take(&mut para));
            para_len = 1 + rng.below(3);
        }
        if n >= 250 {
            if !para.is_empty() {
                doc.push(std::mem::take(&mut para));
            }
            docs.push(std::mem::take(&mut doc));
            n = 0;
        }
    }
    Some(docs)
}

struct SemEval {
    texts: Vec<Vec<Para>>,
    same_story: Vec<(usize, usize)>,
    unrelated: Vec<(usize, usize)>,
}

fn semeval(path: &Path) -> SemEval {
    let mut out = SemEval {
        texts: Vec::new(),
        same_story: Vec::new(),
        unrelated: Vec::new(),
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return out;
    };
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(t1), Some(t2)) = (v["text_1"].as_str(), v["text_2"].as_str()) else {
            continue;
        };
        let score = v["overall_rounded"].as_f64().unwrap_or(0.0);
        let i = out.texts.len();
        out.texts.push(parse_text(t1));
        out.texts.push(parse_text(t2));
        if score <= 2.0 {
            out.same_story.push((i, i + 1));
        } else if score >= 3.5 {
            out.unrelated.push((i, i + 1));
        }
    }
    out
}

const BOILERPLATE: &[&str] = &[
    "شارك هذا الخبر على فيسبوك تويتر واتساب",
    "جميع الحقوق محفوظة للموقع 2017",
    "أضف تعليقك الاسم البريد الإلكتروني التعليق إرسال التعليق",
    "العودة إلى أعلى الصفحة",
    "قد يعجبك أيضا",
    "مقالات ذات صلة",
    "اشترك في النشرة البريدية ليصلك كل جديد",
    "المصدر وكالات",
    "الأكثر قراءة الأكثر مشاركة",
    "حمل تطبيقنا على أندرويد وآيفون",
    "تابعونا على قناتنا في تلغرام لمتابعة آخر الأخبار العاجلة",
    "الرئيسية أخبار سياسة اقتصاد رياضة ثقافة منوعات",
];

fn boilerplate(rng: &mut Rng, pool: &[Sentence]) -> (Vec<String>, Vec<String>) {
    let mut head = Vec::new();
    // A navigation strip of other headlines (first words of random sentences).
    if rng.chance(0.5) {
        for _ in 0..2 + rng.below(3) {
            let s = &pool[rng.below(pool.len())];
            head.extend(s.iter().take(6 + rng.below(5)).cloned());
        }
    }
    let mut tail = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let b = BOILERPLATE[rng.below(BOILERPLATE.len())];
        tail.extend(b.split_whitespace().map(normalize));
    }
    (head, tail)
}

#[derive(Clone, Copy, Debug)]
enum Edit {
    Typos(f64),
    Swaps(f64),
    Reorder,
    Truncate(f64),
    Insert(usize),
    Delete(usize),
    Boilerplate,
}

const LETTERS: &[char] = &[
    'ا', 'ب', 'ت', 'ن', 'ي', 'و', 'ر', 'ل', 'م', 'س', 'ه', 'د', 'ع', 'ق',
];

fn typo(word: &str, rng: &mut Rng) -> String {
    let mut cs: Vec<char> = word.chars().collect();
    if cs.len() < 2 {
        cs.push(LETTERS[rng.below(LETTERS.len())]);
        return cs.into_iter().collect();
    }
    let i = rng.below(cs.len());
    match rng.below(4) {
        0 => cs[i] = LETTERS[rng.below(LETTERS.len())],
        1 => {
            cs.remove(i);
        }
        2 => cs.insert(i, LETTERS[rng.below(LETTERS.len())]),
        _ => {
            let at = i.min(cs.len() - 2);
            cs.swap(at, at + 1);
        }
    }
    cs.into_iter().collect()
}

fn apply(doc: &mut Doc, edit: Edit, rng: &mut Rng, pool: &[Sentence]) {
    match edit {
        Edit::Typos(rate) => {
            for w in doc.body.iter_mut().flatten().flatten() {
                if rng.chance(rate) {
                    *w = typo(w, rng);
                }
            }
        }
        Edit::Swaps(rate) => {
            for s in doc.body.iter_mut().flatten() {
                for i in 1..s.len() {
                    if rng.chance(rate) {
                        s.swap(i - 1, i);
                    }
                }
            }
        }
        Edit::Reorder => {
            if doc.body.len() >= 2 {
                // Move one paragraph elsewhere, sometimes shuffle them all.
                if rng.chance(0.5) {
                    let p = doc.body.remove(rng.below(doc.body.len()));
                    let at = rng.below(doc.body.len() + 1);
                    doc.body.insert(at, p);
                } else {
                    for i in (1..doc.body.len()).rev() {
                        let j = rng.below(i + 1);
                        doc.body.swap(i, j);
                    }
                }
            }
        }
        Edit::Truncate(frac) => {
            let total: usize = doc.body.iter().flatten().map(Vec::len).sum();
            let mut cut = 0;
            while cut < (total as f64 * frac) as usize && doc.n_sentences() > 1 {
                let Some(last) = doc.body.last_mut() else {
                    break;
                };
                match last.pop() {
                    Some(s) => cut += s.len(),
                    None => {
                        doc.body.pop();
                    }
                }
                if doc.body.last().is_some_and(Vec::is_empty) {
                    doc.body.pop();
                }
            }
        }
        Edit::Insert(n) => {
            for _ in 0..n {
                let s = pool[rng.below(pool.len())].clone();
                let p = rng.below(doc.body.len().max(1));
                if let Some(para) = doc.body.get_mut(p) {
                    let at = rng.below(para.len() + 1);
                    para.insert(at, s);
                } else {
                    doc.body.push(vec![s]);
                }
            }
        }
        Edit::Delete(n) => {
            for _ in 0..n {
                if doc.n_sentences() <= 1 {
                    break;
                }
                let p = rng.below(doc.body.len());
                if let Some(para) = doc.body.get_mut(p) {
                    if !para.is_empty() {
                        let at = rng.below(para.len());
                        para.remove(at);
                    }
                }
                doc.body.retain(|p| !p.is_empty());
            }
        }
        Edit::Boilerplate => {
            let (h, t) = boilerplate(rng, pool);
            doc.head = h;
            doc.tail = t;
        }
    }
}

fn random_edit(rng: &mut Rng) -> Edit {
    match rng.below(7) {
        0 => Edit::Typos(0.005 + rng.unit() * 0.02),
        1 => Edit::Swaps(0.005 + rng.unit() * 0.015),
        2 => Edit::Reorder,
        3 => Edit::Truncate(0.05 + rng.unit() * 0.2),
        4 => Edit::Insert(1 + rng.below(2)),
        5 => Edit::Delete(1 + rng.below(2)),
        _ => Edit::Boilerplate,
    }
}

fn shingles(doc: &Doc, k: usize) -> Vec<u32> {
    let cfg = DedupConfig {
        shingle_size: k,
        bands: 1,
        rows: 1,
        ..DedupConfig::default()
    };
    fingerprint(&doc.tokens(), &cfg).shingles
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let n_docs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    let shared = shared_dir();
    let mut rng = Rng(20_170_610);
    let Some(aner) = anercorp_docs(
        &shared.join("data/anercorp/ANERCorp_original_full.txt"),
        &mut rng,
    ) else {
        eprintln!("skipping: ANERcorp not found under {}", shared.display());
        return;
    };
    let sem = semeval(&shared.join("data/semeval2022-task8-ar/ar_pairs_dev.jsonl"));
    let mut seeds = Vec::new();
    if let Ok(dir) = std::fs::read_dir(shared.join("seeds")) {
        let mut paths: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        {
            if let Ok(t) = std::fs::read_to_string(p) {
                seeds.push(parse_text(&t));
            }
        }
    }
    let mk = |body: Vec<Para>, family: usize| Doc {
        head: Vec::new(),
        body,
        tail: Vec::new(),
        parent: None,
        family,
        kind: "original",
    };
    // Every third ANERcorp pseudo-document only feeds the sentence pool (inserted sentences,
    // navigation strips, mixtures), so that pool text is not also a base document.
    let mut bases: Vec<Doc> = Vec::new();
    let mut pool: Vec<Sentence> = Vec::new();
    for (i, body) in aner.into_iter().enumerate() {
        if i % 3 == 2 {
            pool.extend(body.into_iter().flatten().filter(|s| s.len() >= 4));
        } else if !body.is_empty() {
            let f = bases.len();
            bases.push(mk(body, f));
        }
    }
    for body in sem.texts.iter().cloned().chain(seeds) {
        if !body.is_empty() {
            let f = bases.len();
            bases.push(mk(body, f));
        }
    }
    if pool.is_empty() || bases.is_empty() {
        eprintln!("skipping: not enough text");
        return;
    }
    println!(
        "inputs: {} real base documents (ANERcorp pseudo-docs, {} SemEval texts, seeds), {} pool sentences",
        bases.len(),
        sem.texts.len(),
        pool.len()
    );

    if let Some(path) = std::env::var_os("MEASURE_WRITE") {
        let block: usize = std::env::var("MEASURE_BLOCK")
            .ok()
            .and_then(|b| b.parse().ok())
            .unwrap_or(100_000);
        if let Err(e) = write_corpus(Path::new(&path), n_docs, block, &bases, &pool) {
            eprintln!("cannot write {}: {e}", Path::new(&path).display());
        }
        return;
    }

    // ---- 1. Shingle size: edited copies vs same-story pairs -------------------------------------
    let t0 = Instant::now();
    let ks = [3usize, 4, 5, 6, 7];
    let programs: Vec<(&str, Vec<Edit>)> = vec![
        ("typos 1%", vec![Edit::Typos(0.01)]),
        ("typos 3%", vec![Edit::Typos(0.03)]),
        ("word swaps 2%", vec![Edit::Swaps(0.02)]),
        ("paragraph reorder", vec![Edit::Reorder]),
        ("truncate 20%", vec![Edit::Truncate(0.2)]),
        ("insert 2 sentences", vec![Edit::Insert(2)]),
        ("delete 2 sentences", vec![Edit::Delete(2)]),
        (
            "boilerplate swap",
            vec![Edit::Boilerplate, Edit::Boilerplate],
        ),
    ];
    println!(
        "\n1. Jaccard of word-k-shingle sets, base vs one edited copy (p5 / median over bases)"
    );
    print!("{:<26}", "edit");
    for k in ks {
        print!("  k={k:<11}");
    }
    println!();
    let row = |name: &str, pairs: &[(Doc, Doc)]| {
        print!("{name:<26}");
        for k in ks {
            let mut js: Vec<f64> = pairs
                .iter()
                .map(|(a, b)| jaccard(&shingles(a, k), &shingles(b, k)))
                .collect();
            print!("  {:.2} / {:.2}  ", pct(&mut js, 0.05), pct(&mut js, 0.5));
        }
        println!();
    };
    for (name, prog) in &programs {
        let pairs: Vec<(Doc, Doc)> = bases
            .iter()
            .map(|b| {
                let mut e = b.clone();
                for &ed in prog {
                    apply(&mut e, ed, &mut rng, &pool);
                }
                let mut b2 = b.clone();
                if name.starts_with("boilerplate") {
                    apply(&mut b2, Edit::Boilerplate, &mut rng, &pool);
                }
                (b2, e)
            })
            .collect();
        row(name, &pairs);
    }
    let mixed: Vec<(Doc, Doc)> = bases
        .iter()
        .map(|b| {
            let mut e = b.clone();
            for _ in 0..2 + rng.below(2) {
                apply(&mut e, random_edit(&mut rng), &mut rng, &pool);
            }
            (b.clone(), e)
        })
        .collect();
    row("mix of 2-3 edits", &mixed);
    let same: Vec<(Doc, Doc)> = sem
        .same_story
        .iter()
        .map(|&(i, j)| (mk(sem.texts[i].clone(), 0), mk(sem.texts[j].clone(), 0)))
        .collect();
    print!("{:<26}", format!("same story, {} pairs", same.len()));
    for k in ks {
        let mut js: Vec<f64> = same
            .iter()
            .map(|(a, b)| jaccard(&shingles(a, k), &shingles(b, k)))
            .collect();
        print!(
            "  p95 {:.2} max {:.2}",
            pct(&mut js, 0.95),
            pct(&mut js, 1.0)
        );
    }
    println!();
    let unrel: Vec<(Doc, Doc)> = sem
        .unrelated
        .iter()
        .map(|&(i, j)| (mk(sem.texts[i].clone(), 0), mk(sem.texts[j].clone(), 0)))
        .collect();
    print!("{:<26}", format!("unrelated, {} pairs", unrel.len()));
    for k in ks {
        let mut js: Vec<f64> = unrel
            .iter()
            .map(|(a, b)| jaccard(&shingles(a, k), &shingles(b, k)))
            .collect();
        print!("  max {:.3}      ", pct(&mut js, 1.0));
    }
    println!();
    println!("share of pairs at or above a Jaccard threshold (edited: mix of 2-3 edits; same story: SemEval)");
    for k in ks {
        let (sm, ss): (Vec<SetPair>, Vec<SetPair>) = (
            mixed
                .iter()
                .map(|(a, b)| (shingles(a, k), shingles(b, k)))
                .collect(),
            same.iter()
                .map(|(a, b)| (shingles(a, k), shingles(b, k)))
                .collect(),
        );
        print!("  k={k}:");
        for t in [0.3, 0.4, 0.5, 0.6, 0.7, 0.8] {
            let e = sm.iter().filter(|(a, b)| jaccard(a, b) >= t).count() as f64
                / sm.len().max(1) as f64;
            let f = ss.iter().filter(|(a, b)| jaccard(a, b) >= t).count();
            print!("  t={t:.1} edited {e:.3} same-story {f}/{}", ss.len());
        }
        println!();
    }
    // Containment of a short wire extract of one text in its same-story partner.
    let mut wire_c: Vec<f64> = same
        .iter()
        .map(|(a, b)| {
            let first: Vec<&str> = a.tokens().into_iter().take(40).collect();
            let cfg = DedupConfig::default();
            rasd_dedup::containment(
                &fingerprint(&first, &cfg).shingles,
                &fingerprint(&b.tokens(), &cfg).shingles,
            )
        })
        .collect();
    println!(
        "containment (k=5) of the first 40 tokens of a text in its same-story partner: p95 {:.2}, max {:.2}",
        pct(&mut wire_c, 0.95),
        pct(&mut wire_c, 1.0)
    );
    println!("(section 1: {:.1} s)", t0.elapsed().as_secs_f64());

    // ---- 2. Corpus run ------------------------------------------------------------------------
    let t1 = Instant::now();
    let cfg = DedupConfig::default();
    let (docs, n_orig) = generate(n_docs, &bases, &pool, &mut rng);
    let fps: Vec<Fingerprint> = docs
        .iter()
        .map(|d| fingerprint(&d.tokens(), &cfg))
        .collect();
    let t_fp = t1.elapsed().as_secs_f64();
    let total_tokens: usize = fps.iter().map(|f| f.tokens).sum();
    println!(
        "\n2. corpus: {} docs ({} originals incl. mixtures, {} edited copies, {} wire extracts), {:.0} tokens/doc; generated+fingerprinted in {:.1} s",
        docs.len(),
        n_orig,
        docs.iter().filter(|d| d.kind == "edited").count(),
        docs.iter().filter(|d| d.kind == "wire").count(),
        total_tokens as f64 / docs.len() as f64,
        t_fp
    );

    // Ground truth: exact Jaccard of every pair sharing a shingle (inverted index).
    let t2 = Instant::now();
    let mut postings: HashMap<u32, Vec<u32>> = HashMap::new();
    let mut counts = vec![0u32; docs.len()];
    let mut touched: Vec<usize> = Vec::new();
    let mut truth: HashMap<(usize, usize), f64> = HashMap::new();
    for (i, f) in fps.iter().enumerate() {
        for s in &f.shingles {
            if let Some(list) = postings.get(s) {
                for &j in list {
                    let j = j as usize;
                    if counts[j] == 0 {
                        touched.push(j);
                    }
                    counts[j] += 1;
                }
            }
        }
        for &j in &touched {
            let inter = counts[j] as usize;
            let union = f.shingles.len() + fps[j].shingles.len() - inter;
            let jac = inter as f64 / union as f64;
            if jac >= 0.3 {
                truth.insert((j, i), jac);
            }
            counts[j] = 0;
        }
        touched.clear();
        for &s in &f.shingles {
            postings.entry(s).or_default().push(i as u32);
        }
    }
    println!(
        "ground truth: {} pairs with exact J >= 0.3 in {:.1} s",
        truth.len(),
        t2.elapsed().as_secs_f64()
    );

    let eligible = |i: usize| fps[i].tokens >= cfg.min_tokens;
    // MEASURE_POST_ALL=1 posts copies too (the index before copies were kept out of the
    // containment postings), for comparison.
    let post_all = std::env::var_os("MEASURE_POST_ALL").is_some();
    let run = |c: &DedupConfig| {
        let t = Instant::now();
        let mut index = DedupIndex::new(c.clone());
        let mut near: HashSet<(usize, usize)> = HashSet::new();
        let mut contained: Vec<(usize, usize, MatchKind, f64)> = Vec::new();
        for (i, f) in fps.iter().enumerate() {
            let found = index.find_all(f);
            // Like rasd_dedup::group: a copy posts only what the document it copies lacks.
            let copy_of = found
                .iter()
                .find(|m| m.kind != MatchKind::Contains)
                .filter(|m| matches!(m.kind, MatchKind::Exact | MatchKind::Near))
                .map(|m| m.id);
            for m in found {
                let j = m.id as usize;
                match m.kind {
                    MatchKind::Exact | MatchKind::Near => {
                        near.insert((j, i));
                    }
                    k => contained.push((j, i, k, m.similarity)),
                }
            }
            match copy_of.filter(|_| !post_all) {
                Some(of) => index.insert_copy(i as u64, f, of),
                None => index.insert(i as u64, f),
            }
        }
        (near, contained, t.elapsed().as_secs_f64())
    };
    let score = |near: &HashSet<(usize, usize)>, at: f64| {
        let gt: Vec<&(usize, usize)> = truth
            .iter()
            .filter(|(&(a, b), &j)| j >= at && eligible(a) && eligible(b))
            .map(|(p, _)| p)
            .collect();
        let found = gt.iter().filter(|p| near.contains(p)).count();
        let correct = near
            .iter()
            .filter(|p| truth.get(p).is_some_and(|&j| j >= at))
            .count();
        let precision = if near.is_empty() {
            1.0
        } else {
            correct as f64 / near.len() as f64
        };
        let recall = if gt.is_empty() {
            1.0
        } else {
            found as f64 / gt.len() as f64
        };
        (gt.len(), near.len(), precision, recall)
    };
    let strict = DedupConfig {
        threshold: 0.8,
        ..cfg.clone()
    };
    let (near8, _, secs8) = run(&strict);
    let (n_gt, n_pred, p, r) = score(&near8, 0.8);
    println!(
        "index at threshold 0.80 (bands {} x rows {}): {} true pairs with J >= 0.8, {} reported: precision {:.4}, recall {:.4} ({:.1} s, {:.0} docs/s find+insert)",
        strict.bands, strict.rows, n_gt, n_pred, p, r, secs8, docs.len() as f64 / secs8
    );
    // MEASURE_QUICK=1 skips the alternative bandings (for large N).
    let alternatives: &[(usize, usize)] = if std::env::var_os("MEASURE_QUICK").is_some() {
        &[]
    } else {
        &[(20, 5), (25, 4), (33, 3), (50, 2)]
    };
    for &(bands, rows) in alternatives {
        // Alternatives to the default banding, at the default threshold.
        if (bands, rows) == (cfg.bands, cfg.rows) {
            continue;
        }
        let c = DedupConfig {
            bands,
            rows,
            ..cfg.clone()
        };
        let (n, _, secs) = run(&c);
        let (_, n_pred, _, r) = score(&n, c.threshold);
        println!(
            "  alternative LSH {bands} bands x {rows} rows at threshold {:.2}: {n_pred} reported, recall {r:.4} ({secs:.1} s)",
            c.threshold
        );
    }
    let (near, contained, secs) = run(&cfg);
    let (n_gt, n_pred, p, r) = score(&near, cfg.threshold);
    println!(
        "index at default threshold {:.2}: {} true pairs with J >= {:.2}, {} reported: precision {:.4}, recall {:.4} ({:.1} s)",
        cfg.threshold, n_gt, cfg.threshold, n_pred, p, r, secs
    );
    let (n_gt8, _, p8, r8) = score(&near, 0.8);
    println!(
        "  same run scored against J >= 0.8: {n_gt8} true pairs, recall {r8:.4}, share of reported pairs with J >= 0.8 {p8:.3}"
    );
    print!("  recall by true Jaccard bin:");
    for lo in [0.5, 0.6, 0.7, 0.8, 0.9] {
        let bin: Vec<&(usize, usize)> = truth
            .iter()
            .filter(|(&(a, b), &j)| j >= lo && j < lo + 0.1 + 1e-9 && eligible(a) && eligible(b))
            .map(|(p, _)| p)
            .collect();
        let f = bin.iter().filter(|p| near.contains(p)).count();
        print!(" [{lo:.1},{:.1}] {}/{}", lo + 0.1, f, bin.len());
    }
    println!();
    // Generator labels: an edited copy vs the document it was made from.
    let edited: Vec<usize> = (0..docs.len())
        .filter(|&i| docs[i].kind == "edited" && eligible(i))
        .collect();
    let pairs_found = edited
        .iter()
        .filter(|&&i| {
            docs[i].parent.is_some_and(|p| {
                near.contains(&(p, i)) || contained.iter().any(|c| c.0 == p && c.1 == i)
            })
        })
        .count();
    let real = |i: usize| docs[root(&docs, i)].kind == "original";
    let cross_pairs: Vec<&(usize, usize)> = near
        .iter()
        .filter(|&&(a, b)| root(&docs, a) != root(&docs, b))
        .collect();
    let cross_real = cross_pairs
        .iter()
        .filter(|&&&(a, b)| real(a) && real(b))
        .count();
    println!(
        "  generator labels: {}/{} edited copies ({:.3}) matched their parent (near or containment); {} near pairs across different origins ({} between real documents: duplicates already in the data)",
        pairs_found,
        edited.len(),
        pairs_found as f64 / edited.len().max(1) as f64,
        cross_pairs.len(),
        cross_real
    );
    let wires: Vec<usize> = (0..docs.len())
        .filter(|&i| docs[i].kind == "wire")
        .collect();
    let wire_found = wires
        .iter()
        .filter(|&&i| {
            docs[i].parent.is_some_and(|p| {
                contained.iter().any(|c| c.0 == p && c.1 == i) || near.contains(&(p, i))
            })
        })
        .count();
    // A copy posts little to the containment postings, so an extract of a copy may be found
    // in the document it copies: count a match anywhere in the source's family too.
    let family_found = |i: usize| {
        docs[i].parent.is_some_and(|p| {
            near.contains(&(p, i))
                || contained.iter().any(|c| {
                    c.1 == i && c.2 == MatchKind::ContainedIn && root(&docs, c.0) == root(&docs, p)
                })
        })
    };
    let wire_family = wires.iter().filter(|&&i| family_found(i)).count();
    // Extracts of real texts, and of mixtures (whose every sentence is in a few hundred other
    // mixtures: the containment postings of such shingles are over the cap a look-up walks).
    let (wires_real, wires_mix): (Vec<usize>, Vec<usize>) = wires
        .iter()
        .partition(|&&i| docs[i].parent.is_some_and(real));
    println!(
        "  wire extracts matched their source or a copy of it: of real texts {}/{}, of mixtures {}/{}",
        wires_real.iter().filter(|&&i| family_found(i)).count(),
        wires_real.len(),
        wires_mix.iter().filter(|&&i| family_found(i)).count(),
        wires_mix.len()
    );
    let wire_any = wires
        .iter()
        .filter(|&&i| {
            contained
                .iter()
                .any(|c| c.1 == i && c.2 == MatchKind::ContainedIn)
        })
        .count();
    let cross_c = contained
        .iter()
        .filter(|c| root(&docs, c.0) != root(&docs, c.1))
        .count();
    let cross_c_real = contained
        .iter()
        .filter(|c| root(&docs, c.0) != root(&docs, c.1) && real(c.0) && real(c.1))
        .count();
    println!(
        "  containment: {}/{} wire extracts ({:.3}) matched their source, {} ({:.3}) their source or a copy of it; {} had some ContainedIn match; {} containment matches in all, {} across different origins ({} between real documents, the rest between mixtures sharing pool sentences)",
        wire_found,
        wires.len(),
        wire_found as f64 / wires.len().max(1) as f64,
        wire_family,
        wire_family as f64 / wires.len().max(1) as f64,
        wire_any,
        contained.len(),
        cross_c,
        cross_c_real
    );
    if std::env::var_os("MEASURE_DEBUG").is_some() {
        for c in contained
            .iter()
            .filter(|c| root(&docs, c.0) != root(&docs, c.1))
            .take(15)
        {
            println!(
                "DEBUG {:?} {} ({} {} tok) -> {} ({} {} tok) {:.2} roots {} {}",
                c.2,
                c.0,
                docs[c.0].kind,
                fps[c.0].tokens,
                c.1,
                docs[c.1].kind,
                fps[c.1].tokens,
                c.3,
                root(&docs, c.0),
                root(&docs, c.1)
            );
        }
        for &(a, b) in near
            .iter()
            .filter(|&&(a, b)| root(&docs, a) != root(&docs, b))
            .take(10)
        {
            println!(
                "DEBUG near {} ({} {}) {} ({} {}) {:.2} roots {} {}",
                a,
                docs[a].kind,
                fps[a].tokens,
                b,
                docs[b].kind,
                fps[b].tokens,
                truth.get(&(a, b)).copied().unwrap_or(0.0),
                root(&docs, a),
                root(&docs, b)
            );
        }
    }
    println!("total {:.1} s", t0.elapsed().as_secs_f64());
}

/// The evaluation corpus: the real bases, random sentence mixtures up to 40 % (hard negatives
/// sharing sentences with others), then edited copies of earlier documents (chains included)
/// and short wire extracts. Returns the documents and how many are originals.
fn generate(n_docs: usize, bases: &[Doc], pool: &[Sentence], rng: &mut Rng) -> (Vec<Doc>, usize) {
    let mk = |body: Vec<Para>, family: usize| Doc {
        head: Vec::new(),
        body,
        tail: Vec::new(),
        parent: None,
        family,
        kind: "original",
    };
    let mut docs: Vec<Doc> = bases.to_vec();
    let n_orig = (n_docs * 2 / 5).max(docs.len());
    while docs.len() < n_orig {
        let mut body: Vec<Para> = Vec::new();
        let mut n = 0;
        let target = 150 + rng.below(250);
        while n < target {
            let para: Para = (0..1 + rng.below(3))
                .map(|_| pool[rng.below(pool.len())].clone())
                .collect();
            n += para.iter().map(Vec::len).sum::<usize>();
            body.push(para);
        }
        let f = docs.len();
        let mut d = mk(body, f);
        d.kind = "mixture";
        docs.push(d);
    }
    while docs.len() < n_docs {
        let parent = if rng.chance(0.7) {
            rng.below(n_orig)
        } else {
            rng.below(docs.len())
        };
        let mut d = docs[parent].clone();
        d.parent = Some(parent);
        if rng.chance(0.06) {
            // A short wire extract: the first sentences, 30–70 tokens, with a dateline.
            let limit = 30 + rng.below(40);
            let mut body: Para = Vec::new();
            let mut n = 0;
            for s in d.body.iter().flatten() {
                if n >= limit {
                    break;
                }
                n += s.len();
                body.push(s.clone());
            }
            d.body = vec![body];
            d.head = vec!["عواصم".into(), "وكالات".into()];
            d.tail = Vec::new();
            d.kind = "wire";
            if rng.chance(0.5) {
                apply(&mut d, Edit::Typos(0.02), rng, pool);
            }
        } else {
            for _ in 0..1 + rng.below(3) {
                apply(&mut d, random_edit(rng), rng, pool);
            }
            d.kind = "edited";
        }
        docs.push(d);
    }
    (docs, n_orig)
}

/// Writes `n_docs` generated documents as JSONL (`id`, `text`) to `path`, in independent blocks
/// of `block` documents (each generated like the corpus run, with its own seed, so memory stays
/// bounded), and the generator's copy pairs with their exact Jaccard (word 5-grams) to
/// `path.truth.tsv` (`parent_id  copy_id  jaccard  kind`).
fn write_corpus(
    path: &Path,
    n_docs: usize,
    block: usize,
    bases: &[Doc],
    pool: &[Sentence],
) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut truth_path = path.as_os_str().to_owned();
    truth_path.push(".truth.tsv");
    let mut truth = std::io::BufWriter::new(std::fs::File::create(truth_path)?);
    let block = block.max(1);
    let mut written = 0;
    let mut b = 0u64;
    while written < n_docs {
        let n = block.min(n_docs - written);
        let mut rng = Rng(0x5eed_0000 + b);
        let (docs, _) = generate(n.max(bases.len()), bases, pool, &mut rng);
        for (i, d) in docs.iter().enumerate().take(n) {
            let mut text = d.head.join(" ");
            for para in &d.body {
                if !text.is_empty() {
                    text.push_str("\n\n");
                }
                let sents: Vec<String> = para.iter().map(|s| s.join(" ")).collect();
                text.push_str(&sents.join(". "));
                text.push('.');
            }
            if !d.tail.is_empty() {
                text.push_str("\n\n");
                text.push_str(&d.tail.join(" "));
            }
            let line = serde_json::json!({"id": format!("b{b}-{i}"), "text": text});
            writeln!(out, "{line}")?;
            if let Some(p) = d.parent.filter(|&p| p < n) {
                let j = jaccard(&shingles(&docs[p], 5), &shingles(d, 5));
                writeln!(truth, "b{b}-{p}\tb{b}-{i}\t{j:.4}\t{}", d.kind)?;
            }
        }
        written += n;
        b += 1;
        eprintln!("written {written} documents");
    }
    out.flush()?;
    truth.flush()
}

fn root(docs: &[Doc], mut i: usize) -> usize {
    while let Some(p) = docs[i].parent {
        i = p;
    }
    docs[i].family
}
