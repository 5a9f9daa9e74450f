//! Search quality of rasd's Arabic-aware search against plain Tantivy baselines.
//!
//! Collection: the paragraphs (at least [`MIN_PARAGRAPH_WORDS`] Arabic words, exact repeats
//! dropped) of the UTF-8 `.txt` pages of `demo/corpus` (HTML pages and pages in legacy
//! encodings are skipped: the extractor is not a dependency of this crate).
//!
//! Queries: target words are Arabic words of at least [`MIN_TARGET_LETTERS`] letters, not
//! stopwords, that occur in 1 to [`MAX_TARGET_DF`] documents. Each target is rewritten by the
//! general rules in [`inflections`] and [`variants`]; a rewritten form is kept only when it does
//! not occur literally (diacritics aside) in any of the target's documents, so exact matching
//! cannot find them. The relevant documents of a query are those containing the target word.
//! The target words themselves are also run as a control.
//!
//! Systems: (a) `rasd_store::Store::search`; (b) Tantivy `SimpleTokenizer` + `LowerCaser` +
//! Snowball Arabic stemming (`rust-stemmers`), `QueryParser` with OR semantics; (c) the same
//! without stemming.
//!
//! Run: `cargo run --release -p rasd-store --example search_quality`

use std::collections::{BTreeMap, HashSet};
use std::error::Error;
use std::path::Path;
use std::time::Instant;

use rasd_store::{DocRecord, NewDoc, SearchOptions, Store};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED};
use tantivy::tokenizer::{
    LowerCaser, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{doc, Index, TantivyDocument};

/// A paragraph with fewer Arabic words is navigation or boilerplate, not a document.
const MIN_PARAGRAPH_WORDS: usize = 8;
/// Shorter words are mostly particles and short roots whose rewrites are other words.
const MIN_TARGET_LETTERS: usize = 4;
/// Targets must be rare, so that relevance (containing the target) is specific.
const MAX_TARGET_DF: usize = 3;
/// Cut-off of the ranked lists.
const K: usize = 10;

type AnyResult<T> = Result<T, Box<dyn Error>>;

/// One document of the collection.
struct Doc {
    text: String,
    /// Surface Arabic words, diacritics and tatweel removed.
    words: HashSet<String>,
}

/// What a query tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Kind {
    /// The target word itself (control: every system should find it).
    Control,
    /// A different inflection (clitics, article, number/gender suffix).
    Inflection,
    /// A different spelling of the same word.
    Variant,
}

struct Query {
    kind: Kind,
    rule: &'static str,
    text: String,
    /// The corpus word the query was rewritten from.
    target: String,
    relevant: HashSet<usize>,
}

fn main() -> AnyResult<()> {
    let started = Instant::now();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/corpus");
    if !corpus.is_dir() {
        eprintln!(
            "search_quality: {} not found, nothing to measure",
            corpus.display()
        );
        return Ok(());
    }
    let (docs, pages, skipped) = load(&corpus)?;
    if docs.is_empty() {
        eprintln!("search_quality: no UTF-8 .txt pages with paragraphs in the corpus");
        return Ok(());
    }
    let queries = make_queries(&docs);

    let tmp = tempfile::tempdir()?;
    let store = build_store(tmp.path(), &docs)?;
    let snowball = Baseline::build(&docs, true)?;
    let plain = Baseline::build(&docs, false)?;
    let built = started.elapsed();

    // system name -> (kind, rule) -> (queries, sum recall, sum reciprocal rank)
    let systems = ["rasd", "tantivy+snowball", "tantivy plain"];
    let mut stats: Vec<BTreeMap<(Kind, &str), [f64; 3]>> = vec![BTreeMap::new(); systems.len()];
    let opts = SearchOptions {
        limit: K,
        include_duplicates: true,
    };
    // SEARCH_QUALITY_MISSES=N prints up to N queries per rule where rasd finds no relevant document.
    let show_misses: usize = std::env::var("SEARCH_QUALITY_MISSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut misses: BTreeMap<&str, usize> = BTreeMap::new();
    for q in &queries {
        let ours: Vec<usize> = store
            .search(&q.text, opts)?
            .iter()
            .filter_map(|h| usize::from_str_radix(&h.id, 16).ok())
            .collect();
        let ranked = [ours, snowball.search(&q.text)?, plain.search(&q.text)?];
        if show_misses > 0 && score(&ranked[0], &q.relevant).0 == 0.0 {
            let seen = misses.entry(q.rule).or_insert(0);
            if *seen < show_misses {
                *seen += 1;
                println!("miss [{}] {} (target {})", q.rule, q.text, q.target);
            }
        }
        for (s, list) in ranked.iter().enumerate() {
            let (recall, rr) = score(list, &q.relevant);
            let keys: &[(Kind, &str)] = if q.kind == Kind::Control {
                &[(q.kind, q.rule)]
            } else {
                &[(q.kind, "all"), (q.kind, q.rule)]
            };
            for &key in keys {
                let e = stats[s].entry(key).or_insert([0.0; 3]);
                e[0] += 1.0;
                e[1] += recall;
                e[2] += rr;
            }
        }
    }

    println!(
        "collection: {} documents (paragraphs of {} UTF-8 .txt pages; {} other files skipped)",
        docs.len(),
        pages,
        skipped
    );
    println!(
        "queries: {} (targets: words of >= {} letters in 1..={} documents)\n",
        queries.len(),
        MIN_TARGET_LETTERS,
        MAX_TARGET_DF
    );
    print!("{:<12} {:<24} {:>6}", "kind", "rule", "n");
    for s in systems {
        print!(" | {:>16}", s);
    }
    println!();
    print!("{:<12} {:<24} {:>6}", "", "", "");
    for _ in systems {
        print!(" | {:>7} {:>8}", "R@10", "MRR");
    }
    println!();
    // Rules of a kind, then its total.
    let mut keys: Vec<(Kind, &str)> = stats[0].keys().copied().collect();
    keys.sort_by_key(|&(kind, rule)| (kind, rule == "all", rule));
    let mut last_kind = None;
    for key in keys {
        if last_kind != Some(key.0) && last_kind.is_some() {
            println!();
        }
        last_kind = Some(key.0);
        let n = stats[0].get(&key).map(|e| e[0]).unwrap_or(0.0);
        let kind = format!("{:?}", key.0).to_lowercase();
        print!("{:<12} {:<24} {:>6}", kind, key.1, n);
        for st in &stats {
            let e = st.get(&key).copied().unwrap_or([0.0; 3]);
            let d = e[0].max(1.0);
            print!(" | {:>7.3} {:>8.3}", e[1] / d, e[2] / d);
        }
        println!();
    }
    println!(
        "\nbuilt indexes in {:.1?}, total {:.1?}",
        built,
        started.elapsed()
    );
    Ok(())
}

/// Recall of the relevant documents in `ranked` and the reciprocal rank of the first one.
fn score(ranked: &[usize], relevant: &HashSet<usize>) -> (f64, f64) {
    if relevant.is_empty() {
        return (0.0, 0.0);
    }
    let top = &ranked[..ranked.len().min(K)];
    let found = top.iter().filter(|d| relevant.contains(d)).count();
    let rr = top
        .iter()
        .position(|d| relevant.contains(d))
        .map(|p| 1.0 / (p as f64 + 1.0))
        .unwrap_or(0.0);
    (found as f64 / relevant.len() as f64, rr)
}

/// Paragraph documents of the UTF-8 `.txt` pages in `dir`, with the number of pages used and of
/// files skipped.
fn load(dir: &Path) -> AnyResult<(Vec<Doc>, usize, usize)> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    let (mut pages, mut skipped) = (0, 0);
    let mut seen = HashSet::new();
    let mut docs = Vec::new();
    for path in paths {
        if path.extension().and_then(|e| e.to_str()) != Some("txt") {
            skipped += 1;
            continue;
        }
        let Ok(text) = String::from_utf8(std::fs::read(&path)?) else {
            skipped += 1;
            continue;
        };
        pages += 1;
        let text = text.replace("\r\n", "\n");
        for para in text.split("\n\n").map(str::trim) {
            let words = arabic_words(para);
            if words.len() < MIN_PARAGRAPH_WORDS || !seen.insert(para.to_string()) {
                continue;
            }
            docs.push(Doc {
                text: para.to_string(),
                words: words.into_iter().collect(),
            });
        }
    }
    Ok((docs, pages, skipped))
}

/// A word without diacritics (harakat, superscript alef) and tatweel.
fn bare(word: &str) -> String {
    word.chars()
        .filter(|&c| !('\u{64B}'..='\u{65F}').contains(&c) && c != '\u{670}' && c != '\u{640}')
        .collect()
}

/// The Arabic words of `text`, bare.
fn arabic_words(text: &str) -> Vec<String> {
    rasd_arabic::tokenize(text)
        .filter(|t| t.kind == rasd_arabic::TokenKind::Arabic)
        .map(|t| bare(t.text))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Target words, their documents, and the queries rewritten from them.
fn make_queries(docs: &[Doc]) -> Vec<Query> {
    let mut postings: BTreeMap<&str, HashSet<usize>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        for w in &d.words {
            postings.entry(w.as_str()).or_default().insert(i);
        }
    }
    let mut queries = Vec::new();
    for (word, relevant) in &postings {
        let letters = word.chars().count();
        if letters < MIN_TARGET_LETTERS
            || relevant.len() > MAX_TARGET_DF
            || !word.chars().all(is_arabic_letter)
            || rasd_arabic::is_stopword(&rasd_arabic::search_key(word))
            || has_pronoun_suffix(word)
        {
            continue;
        }
        queries.push(Query {
            kind: Kind::Control,
            rule: "original word",
            text: word.to_string(),
            target: word.to_string(),
            relevant: relevant.clone(),
        });
        let mut forms: Vec<(Kind, &'static str, String)> = Vec::new();
        forms.extend(
            inflections(word)
                .into_iter()
                .map(|(r, f)| (Kind::Inflection, r, f)),
        );
        forms.extend(
            variants(word)
                .into_iter()
                .map(|(r, f)| (Kind::Variant, r, f)),
        );
        let mut seen = HashSet::new();
        for (kind, rule, form) in forms {
            let ok = form.chars().count() >= 3
                && form != *word
                && seen.insert(form.clone())
                && !relevant.iter().any(|&d| docs[d].words.contains(&form));
            if ok {
                queries.push(Query {
                    kind,
                    rule,
                    text: form,
                    target: word.to_string(),
                    relevant: relevant.clone(),
                });
            }
        }
    }
    queries
}

/// Words ending in an attached pronoun are mostly verbs or possessed nouns (أعلنتها،
/// اتصالهما), not the nouns, adjectives and names the rules rewrite.
fn has_pronoun_suffix(word: &str) -> bool {
    ["ها", "هم", "هما", "هن", "كم", "كما"]
        .iter()
        .any(|s| word.ends_with(s))
}

/// Proclitics already written before the article (والـ، فالـ، بالـ، كالـ، للـ).
fn has_proclitic(word: &str) -> bool {
    ["وال", "فال", "بال", "كال", "لل"]
        .iter()
        .any(|p| word.starts_with(p))
}

fn is_arabic_letter(c: char) -> bool {
    ('\u{621}'..='\u{64A}').contains(&c) || matches!(c, '\u{671}'..='\u{6D3}')
}

/// Splits a leading definite article: `("ال", rest)` or `("", word)`.
fn split_article(word: &str) -> (&str, &str) {
    match word.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 3 => ("ال", rest),
        _ => ("", word),
    }
}

/// Other inflections of `word` by general rules on its surface form.
fn inflections(word: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    // A proclitic before the article comes off (والمحادثات -> المحادثات, للمحادثات -> المحادثات).
    for p in ["وال", "فال", "بال", "كال"] {
        if let Some(rest) = word.strip_prefix(p) {
            if rest.chars().count() >= 3 {
                out.push(("remove w/f/b/k+al", format!("ال{rest}")));
            }
        }
    }
    if let Some(rest) = word.strip_prefix("لل") {
        if rest.chars().count() >= 3 {
            out.push(("remove w/f/b/k+al", format!("ال{rest}")));
        }
    }
    if has_proclitic(word) {
        return out;
    }
    let (article, stem) = split_article(word);
    // A word starting with a proclitic letter may already carry one (بتوسيع، وأكد); adding
    // another would make forms no writer uses (ببتوسيع، البتوسيع).
    let may_have_proclitic = word.starts_with(['و', 'ف', 'ب', 'ل', 'ك']);
    if !article.is_empty() {
        out.push(("remove al", stem.to_string()));
        out.push(("add b", format!("ب{word}")));
        out.push(("add l", format!("لل{stem}")));
        out.push(("add w", format!("و{word}")));
    } else if !word.starts_with("ال") && !may_have_proclitic {
        out.push(("add al", format!("ال{word}")));
        out.push(("add b", format!("ب{word}")));
        out.push(("add l", format!("ل{word}")));
        out.push(("add w", format!("و{word}")));
    }
    // Number and gender suffixes of the word after the article.
    let swaps: [(&str, &[&str]); 6] = [
        ("ية", &["ي", "يين"]),
        ("ات", &["ة"]),
        ("ون", &["ين"]),
        ("ين", &["ون"]),
        ("ة", &["ات"]),
        ("ي", &["ية", "يون"]),
    ];
    for (from, tos) in swaps {
        if let Some(base) = stem.strip_suffix(from) {
            if base.chars().count() >= 3 {
                for to in tos {
                    out.push(("suffix ات/ين/ون/ة/ي", format!("{article}{base}{to}")));
                }
            }
            break;
        }
    }
    out
}

/// Other spellings of `word` by general rules (hamza seats, final letters, loanword spellings).
fn variants(word: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let (article, stem) = split_article(word);
    let chars: Vec<char> = stem.chars().collect();
    let n = chars.len();
    let rebuild = |cs: &[char]| format!("{article}{}", cs.iter().collect::<String>());
    // Hamza seats: أ إ آ written as bare alef; a bare initial alef written أ.
    if chars.iter().any(|c| matches!(c, 'أ' | 'إ' | 'آ')) {
        let cs: Vec<char> = chars
            .iter()
            .map(|&c| {
                if matches!(c, 'أ' | 'إ' | 'آ') {
                    'ا'
                } else {
                    c
                }
            })
            .collect();
        out.push(("hamza أ/إ/آ -> ا", rebuild(&cs)));
    } else if chars.first() == Some(&'ا') {
        let mut cs = chars.clone();
        cs[0] = 'أ';
        out.push(("initial ا -> أ", rebuild(&cs)));
    }
    // Final letters: ى/ي, ة/ه, and ا/ة in names.
    let last = chars.last().copied();
    let with_last = |c: char| {
        let mut cs = chars.clone();
        if let Some(l) = cs.last_mut() {
            *l = c;
        }
        rebuild(&cs)
    };
    match last {
        Some('ى') => out.push(("final ى <-> ي", with_last('ي'))),
        Some('ي') => out.push(("final ى <-> ي", with_last('ى'))),
        Some('ة') => out.push(("final ة -> ه", with_last('ه'))),
        // Not after و: ـوا ends plural verbs (سقطوا).
        Some('ا') if article.is_empty() && n >= 5 && !stem.ends_with("وا") => {
            out.push(("final ا -> ة", with_last('ة')))
        }
        _ => {}
    }
    // Loanword spellings, for words of at least 5 letters without the article and without an
    // Arabic inflectional ending (ة ات اء ا ون): names and foreign words, not native nouns.
    let native_ending = ["ة", "ات", "اء", "ا", "ون"]
        .iter()
        .any(|e| stem.ends_with(e));
    let bare_word = !word.starts_with("ال") && !has_proclitic(word);
    if bare_word && n >= 5 && !native_ending {
        // r/y metathesis inside the word: أمريكي <-> أميركي.
        for i in 1..n.saturating_sub(2) {
            let pair = (chars[i], chars[i + 1]);
            if pair == ('ر', 'ي') || pair == ('ي', 'ر') {
                let mut cs = chars.clone();
                cs.swap(i, i + 1);
                out.push(("ري <-> ير", rebuild(&cs)));
                break;
            }
        }
        // g letters: غ <-> ج (ماكغورك / ماكجورك).
        if chars.iter().any(|c| matches!(c, 'غ' | 'ج')) {
            let cs: Vec<char> = chars
                .iter()
                .map(|&c| match c {
                    'غ' => 'ج',
                    'ج' => 'غ',
                    c => c,
                })
                .collect();
            out.push(("غ <-> ج", rebuild(&cs)));
        }
        // Long vowels: drop the first inner ي/و (ديمتري -> دمتري), or write one after the first
        // letter when the second is a consonant (دميتري -> ديميتري).
        if let Some(i) = (1..n - 1).find(|&i| matches!(chars[i], 'ي' | 'و')) {
            let mut cs = chars.clone();
            cs.remove(i);
            out.push(("long vowel drop/insert", rebuild(&cs)));
        } else if !matches!(chars[1], 'ا' | 'و' | 'ي') {
            let mut cs = chars.clone();
            cs.insert(1, 'ي');
            out.push(("long vowel drop/insert", rebuild(&cs)));
        }
    }
    out
}

/// Writes the documents into a fresh store.
fn build_store(dir: &Path, docs: &[Doc]) -> AnyResult<Store> {
    let mut store = Store::open(dir)?;
    let batch = docs
        .iter()
        .enumerate()
        .map(|(i, d)| NewDoc {
            key: i as u64 + 1,
            published_day: None,
            fingerprint: Vec::new(),
            views: None,
            entity_defs: Vec::new(),
            record: DocRecord::new(
                format!("{i:016x}"),
                rasd_types::Article {
                    source: format!("paragraph/{i}"),
                    url: None,
                    title: None,
                    published: None,
                    modified: None,
                    author: None,
                    outlet: None,
                    original_source: None,
                    lang: Some("ar".into()),
                    encoding: "UTF-8".into(),
                    body: d.text.clone(),
                    paragraphs: vec![d.text.clone()],
                    removed: Vec::new(),
                    evidence: Vec::new(),
                },
                "1970-01-01T00:00:00Z",
            ),
        })
        .collect();
    store.write_batch(batch, &[], &[])?;
    Ok(store)
}

/// A plain Tantivy index over the same texts.
struct Baseline {
    reader: tantivy::IndexReader,
    parser: QueryParser,
    id: tantivy::schema::Field,
}

impl Baseline {
    fn build(docs: &[Doc], stem: bool) -> AnyResult<Baseline> {
        let name = if stem { "snowball_ar" } else { "plain" };
        let mut sb = Schema::builder();
        let id = sb.add_u64_field("id", STORED);
        let body = sb.add_text_field(
            "body",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(name)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let index = Index::create_in_ram(sb.build());
        let analyzer = if stem {
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(Snowball(rust_stemmers::Algorithm::Arabic))
                .build()
        } else {
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .build()
        };
        index.tokenizers().register(name, analyzer);
        let mut writer = index.writer::<TantivyDocument>(50_000_000)?;
        for (i, d) in docs.iter().enumerate() {
            writer.add_document(doc!(id => i as u64, body => d.text.as_str()))?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        let parser = QueryParser::for_index(&index, vec![body]);
        Ok(Baseline { reader, parser, id })
    }

    fn search(&self, q: &str) -> AnyResult<Vec<usize>> {
        let (query, _errors) = self.parser.parse_query_lenient(q);
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(K).order_by_score())?;
        let mut out = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            if let Some(i) = d.get_first(self.id).and_then(|v| v.as_u64()) {
                out.push(i as usize);
            }
        }
        Ok(out)
    }
}

/// A Tantivy token filter stemming with a `rust-stemmers` Snowball algorithm.
#[derive(Clone, Copy)]
struct Snowball(rust_stemmers::Algorithm);

impl TokenFilter for Snowball {
    type Tokenizer<T: Tokenizer> = SnowballFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> SnowballFilter<T> {
        SnowballFilter {
            algorithm: self.0,
            inner: tokenizer,
        }
    }
}

#[derive(Clone)]
struct SnowballFilter<T> {
    algorithm: rust_stemmers::Algorithm,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for SnowballFilter<T> {
    type TokenStream<'a> = SnowballStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        SnowballStream {
            tail: self.inner.token_stream(text),
            stemmer: rust_stemmers::Stemmer::create(self.algorithm),
        }
    }
}

struct SnowballStream<T> {
    tail: T,
    stemmer: rust_stemmers::Stemmer,
}

impl<T: TokenStream> TokenStream for SnowballStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let stemmed = self.stemmer.stem(&token.text).into_owned();
        token.text = stemmed;
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
