//! `rasd dedup`: duplicate detection alone, JSONL documents in, one line per document out.
//!
//! Input: JSON Lines, one document per line, with `id` (string or number) and `text` or `html`
//! (HTML goes through `rasd_extract::extract_page` first), optionally `published` (ISO 8601) and
//! `outlet`. Output (`--json`): one line per document, in input order, with `id`, `group` (the
//! canonical document's id, shared by every copy), `canonical`, `similarity`, `edited`,
//! `differences`, `contained_in`, plus `kind` (`exact`, `near`, `contained_in` or null for a
//! canonical document).
//!
//! Documents that say where they come from (`outlet`, else the host of `url`; HTML pages may say
//! it themselves) also get the paragraph step of `rasd ingest`: a paragraph that recurs in 3+
//! documents of one outlet is cut before fingerprinting and listed in `boilerplate`; one shared
//! with other outlets' documents is kept and listed in `syndicated` (`paragraph`, `doc`,
//! `outlet`). A document naming its source (`original_source`, or `المصدر: X` / `نقلاً عن X` in
//! an HTML page) gets its `provenance` chain through its group (`outlet`, `doc`). The counts
//! live in a temporary SQLite file, so they cost no RAM per paragraph.
//!
//! Memory: documents are parsed and fingerprinted in parallel chunks; their normalized tokens
//! are spooled to a temporary file (read back only to describe the differences of near copies),
//! so RAM holds the duplicate index and a few fields per document, never the texts.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use rasd_dedup::{DedupConfig, Fingerprint, GroupDoc, MatchKind, ParagraphConfig};
use rasd_store::{ProvenanceLink, SyndicatedLink};
use rasd_types::{Article, PageFormat, RawPage};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::pipeline::{apply_paragraph_roles, batch_paragraph_index, paragraph_outlet};
use crate::Ctx;

/// Lines parsed and fingerprinted together (in parallel).
const CHUNK: usize = 4096;

/// Arguments of `rasd dedup`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSONL files of documents (`id` and `text` or `html`); `-` or nothing reads stdin.
    pub files: Vec<PathBuf>,
    /// One JSON object per document: id, group, canonical, similarity, edited, differences,
    /// contained_in, kind, boilerplate, syndicated, provenance.
    #[arg(long)]
    pub json: bool,
    /// Minimal Jaccard of the word 5-gram sets for a near duplicate.
    #[arg(long, default_value_t = DedupConfig::default().threshold)]
    pub threshold: f64,
    /// Minimal share of a short document's 5-grams inside a longer one for containment.
    #[arg(long, default_value_t = DedupConfig::default().containment_threshold)]
    pub containment: f64,
    /// LSH bands (candidate pairs share at least one band of MinHash values).
    #[arg(long, default_value_t = DedupConfig::default().bands)]
    pub bands: usize,
    /// MinHash values per LSH band.
    #[arg(long, default_value_t = DedupConfig::default().rows)]
    pub rows: usize,
}

/// A document after parsing and extraction, before the paragraph step.
struct Prepared {
    id: String,
    published: Option<i64>,
    /// The text, its paragraphs and what it says about its outlet and source.
    article: Article,
    /// [`rasd_dedup::paragraph_text_hash`] of each paragraph (`None`: too short to judge).
    paragraph_hashes: Vec<Option<u64>>,
}

/// A document after the paragraph step: what grouping needs, the rest is spooled.
struct Parsed {
    id: String,
    published: Option<i64>,
    tokens: String,
    fingerprint: Fingerprint,
    extra: Option<Box<Extra>>,
}

/// What a document with an outlet or a named source carries besides its fingerprint (boxed:
/// most documents of a plain JSONL dump have none of it).
#[derive(Default)]
struct Extra {
    outlet: Option<String>,
    original_source: Option<String>,
    /// Hashes of the paragraphs cut as the outlet's boilerplate (texts in [`Paragraphs::texts`]).
    boilerplate: Vec<u64>,
    /// (paragraph number after the cut, index of the other document).
    syndicated: Vec<(usize, usize)>,
}

/// One output line.
#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    group: &'a str,
    canonical: &'a str,
    similarity: f64,
    edited: bool,
    differences: &'a [String],
    contained_in: Option<&'a str>,
    kind: Option<&'static str>,
    boilerplate: Vec<&'a str>,
    syndicated: Vec<SyndicatedLink>,
    provenance: Vec<ProvenanceLink>,
}

/// Parses one JSONL line into a document (HTML goes through extraction), or says why it cannot.
fn prepare_line(
    line: &[u8],
    source: &str,
    min_paragraph_tokens: usize,
) -> Result<Prepared, String> {
    let value: serde_json::Value =
        serde_json::from_slice(line).map_err(|e| format!("malformed JSON: {e}"))?;
    let obj = value.as_object().ok_or("not a JSON object")?;
    let id = match obj.get("id") {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => return Err("no \"id\" (a non-empty string or a number)".to_string()),
    };
    let field = |k: &str| {
        obj.get(k)
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut article = if let Some(html) = obj.get("html").and_then(|v| v.as_str()) {
        let mut page = RawPage::new(source, html.as_bytes().to_vec(), PageFormat::Html);
        page.declared_charset = Some("utf-8".to_string());
        page.published = field("published");
        page.outlet = field("outlet");
        page.url = field("url");
        rasd_extract::extract_page(&page).map_err(|e| e.to_string())?
    } else if let Some(text) = obj.get("text").and_then(|v| v.as_str()) {
        // Text is taken as clean already: its non-empty lines are its paragraphs.
        let paragraphs: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        Article {
            source: source.to_string(),
            body: text.to_string(),
            paragraphs,
            outlet: field("outlet"),
            url: field("url"),
            ..Article::default()
        }
    } else {
        return Err("no \"text\" or \"html\" field".to_string());
    };
    if let Some(named) = field("original_source") {
        article.original_source = Some(named);
    }
    // A date given beside the page wins over one the page states.
    if let Some(p) = field("published") {
        article.published = Some(p);
    }
    let paragraph_hashes = if paragraph_outlet(&article).is_some() {
        article
            .paragraphs
            .iter()
            .map(|p| rasd_dedup::paragraph_text_hash(p, min_paragraph_tokens))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Prepared {
        id,
        published: article
            .published
            .as_deref()
            .and_then(crate::pipeline::instant_of),
        article,
        paragraph_hashes,
    })
}

/// Tokens and fingerprint of a prepared document (after its boilerplate was cut).
fn fingerprint_doc(p: Prepared, extra: Option<Box<Extra>>, cfg: &DedupConfig) -> Parsed {
    let tokens = rasd_arabic::search_key_text(&p.article.body);
    let refs: Vec<&str> = tokens.split(' ').collect();
    let mut fingerprint = rasd_dedup::fingerprint(&refs, cfg);
    // The signature is kept (396 bytes with the default 33 × 3): computed here in parallel, it
    // spares the serial grouping a computation in each lookup and each insert.
    fingerprint.shingles.shrink_to_fit();
    Parsed {
        id: p.id,
        published: p.published,
        tokens,
        fingerprint,
        extra,
    }
}

/// Parses one JSONL line into a fingerprinted document without the paragraph step (which needs
/// the other documents), or says why it cannot.
#[cfg(test)]
fn parse_line(line: &[u8], source: &str, cfg: &DedupConfig) -> Result<Parsed, String> {
    let p = prepare_line(line, source, ParagraphConfig::default().min_tokens)?;
    Ok(fingerprint_doc(p, None, cfg))
}

/// The paragraph step of `rasd dedup`: the counts of paragraphs per outlet, in a temporary
/// SQLite file created when the first document with an outlet arrives.
struct Paragraphs {
    cfg: ParagraphConfig,
    db: Option<(rusqlite::Connection, tempfile::TempDir)>,
    /// The text of each paragraph cut as boilerplate, once per distinct paragraph.
    texts: FxHashMap<u64, String>,
}

impl Paragraphs {
    fn new() -> Self {
        Paragraphs {
            cfg: ParagraphConfig::default(),
            db: None,
            texts: FxHashMap::default(),
        }
    }

    fn connection(&mut self) -> Result<&rusqlite::Connection> {
        if self.db.is_none() {
            let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
            let conn = rusqlite::Connection::open(dir.path().join("paragraphs.sqlite"))
                .context("cannot create the temporary paragraph table")?;
            conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
                .and_then(|()| conn.execute_batch(rasd_dedup::PARAGRAPH_DDL))
                .context("cannot create the temporary paragraph table")?;
            self.db = Some((conn, dir));
        }
        match &self.db {
            Some((conn, _)) => Ok(conn),
            None => anyhow::bail!("the temporary paragraph table is missing"),
        }
    }

    /// Classifies the paragraphs of one chunk (documents numbered from `first`), cuts each
    /// document's outlet boilerplate, and returns what each document keeps besides its text.
    fn roles(&mut self, chunk: &mut [Prepared], first: usize) -> Result<Vec<Option<Box<Extra>>>> {
        let mut extras: Vec<Option<Box<Extra>>> = chunk
            .iter()
            .map(|p| {
                let a = &p.article;
                (a.outlet.is_some() || a.original_source.is_some()).then(|| {
                    Box::new(Extra {
                        outlet: a.outlet.clone(),
                        original_source: a.original_source.clone(),
                        ..Extra::default()
                    })
                })
            })
            .collect();
        let outlets: Vec<Option<String>> = chunk
            .iter()
            .map(|p| {
                (!p.paragraph_hashes.is_empty())
                    .then(|| paragraph_outlet(&p.article))
                    .flatten()
            })
            .collect();
        if outlets.iter().all(Option::is_none) {
            return Ok(extras);
        }
        let cfg = self.cfg.clone();
        let index = batch_paragraph_index(
            self.connection()?,
            &cfg,
            chunk.iter().zip(&outlets).enumerate().map(|(k, (p, o))| {
                (
                    (first + k) as u64,
                    o.as_deref(),
                    p.paragraph_hashes.as_slice(),
                )
            }),
        )
        .context("cannot read the temporary paragraph table")?;
        for (k, (p, outlet)) in chunk.iter_mut().zip(&outlets).enumerate() {
            let Some(outlet) = outlet else { continue };
            let roles = apply_paragraph_roles(
                &index,
                (first + k) as u64,
                outlet,
                &mut p.article,
                &p.paragraph_hashes,
            );
            // The texts just cut are the last ones `removed` got, in paragraph order.
            let texts = p.article.removed.iter().rev().take(roles.cut.len()).rev();
            for (&h, r) in roles.cut.iter().zip(texts) {
                self.texts.entry(h).or_insert_with(|| r.text.clone());
            }
            let extra = extras
                .get_mut(k)
                .map(|e| e.get_or_insert_with(Box::default));
            let Some(extra) = extra else { continue };
            extra.boilerplate = roles.cut;
            extra.syndicated = roles
                .links
                .into_iter()
                .filter_map(|(i, d)| usize::try_from(d).ok().map(|d| (i, d)))
                .collect();
        }
        index
            .save(self.connection()?)
            .context("cannot write the temporary paragraph table")?;
        Ok(extras)
    }
}

/// Where a document's tokens lie in the spool file, and what else it carries.
struct Spooled {
    id: String,
    offset: u64,
    len: u32,
    extra: Option<Box<Extra>>,
}

/// Everything one run accumulates: the spooled documents, what grouping needs, the paragraph
/// step, and the count of failures.
struct Run<'a> {
    cfg: &'a DedupConfig,
    spool: BufWriter<File>,
    offset: u64,
    docs: Vec<Spooled>,
    groups: Vec<GroupDoc>,
    paragraphs: Paragraphs,
    failed: usize,
}

impl Run<'_> {
    /// Parses one chunk in parallel, runs the paragraph step over it in order, fingerprints it in
    /// parallel, spools its tokens and reports its failures.
    fn flush(&mut self, chunk: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
        let min_tokens = self.paragraphs.cfg.min_tokens;
        let prepared: Vec<(String, Result<Prepared, String>)> = chunk
            .par_drain(..)
            .map(|(source, line)| {
                let p = prepare_line(&line, &source, min_tokens);
                (source, p)
            })
            .collect();
        let mut ok = Vec::with_capacity(prepared.len());
        for (source, p) in prepared {
            match p {
                Ok(p) => ok.push(p),
                Err(reason) => {
                    eprintln!("rasd: {source}: {reason}");
                    self.failed += 1;
                }
            }
        }
        let extras = self.paragraphs.roles(&mut ok, self.docs.len())?;
        let cfg = self.cfg;
        let parsed: Vec<Parsed> = ok
            .into_par_iter()
            .zip(extras)
            .map(|(p, extra)| fingerprint_doc(p, extra, cfg))
            .collect();
        for p in parsed {
            let bytes = p.tokens.as_bytes();
            let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
            self.spool
                .write_all(bytes.get(..len as usize).unwrap_or(bytes))
                .context("cannot write the token spool")?;
            self.docs.push(Spooled {
                id: p.id,
                offset: self.offset,
                len,
                extra: p.extra,
            });
            self.offset += u64::from(len);
            self.groups.push(GroupDoc {
                fingerprint: p.fingerprint,
                published: p.published,
            });
        }
        Ok(())
    }
}

/// The provenance chain of every document that names its source, through the members of its
/// group (as `rasd ingest` does), kept only when it goes beyond the document's own outlet.
fn provenance_chains(
    docs: &[Spooled],
    assignments: &[rasd_dedup::Assignment],
) -> FxHashMap<usize, Vec<ProvenanceLink>> {
    let naming: Vec<usize> = (0..docs.len())
        .filter(|&i| {
            docs[i]
                .extra
                .as_ref()
                .is_some_and(|e| e.original_source.is_some())
        })
        .collect();
    let roots: FxHashSet<usize> = naming
        .iter()
        .filter_map(|&i| assignments.get(i).map(|a| a.canonical))
        .collect();
    let mut members: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for (i, a) in assignments.iter().enumerate() {
        if roots.contains(&a.canonical) {
            members.entry(a.canonical).or_default().push(i);
        }
    }
    let info = |i: usize| {
        let e = docs.get(i).and_then(|d| d.extra.as_deref());
        rasd_dedup::SourceInfo {
            outlet: e.and_then(|e| e.outlet.as_deref()),
            original_source: e.and_then(|e| e.original_source.as_deref()),
        }
    };
    let mut out = FxHashMap::default();
    for i in naming {
        let Some(root) = assignments.get(i).map(|a| a.canonical) else {
            continue;
        };
        let mut group = vec![i];
        group.extend(
            members
                .get(&root)
                .into_iter()
                .flatten()
                .copied()
                .filter(|&j| j != i),
        );
        let infos: Vec<rasd_dedup::SourceInfo<'_>> = group.iter().map(|&j| info(j)).collect();
        let chain: Vec<ProvenanceLink> = rasd_dedup::provenance_chain(&infos, 0)
            .into_iter()
            .map(|step| ProvenanceLink {
                outlet: step.outlet,
                doc: step
                    .doc
                    .and_then(|k| group.get(k))
                    .and_then(|&j| docs.get(j))
                    .map(|d| d.id.clone()),
            })
            .collect();
        if chain.len() > 1 {
            out.insert(i, chain);
        }
    }
    out
}

/// Runs `rasd dedup`.
pub fn run(args: &Args, ctx: &Ctx, out: &mut dyn Write) -> Result<ExitCode> {
    let cfg = DedupConfig {
        threshold: args.threshold,
        containment_threshold: args.containment,
        bands: args.bands.clamp(1, 512),
        rows: args.rows.clamp(1, 64),
        ..DedupConfig::default()
    };
    if !(0.0..=1.0).contains(&cfg.threshold) || !(0.0..=1.0).contains(&cfg.containment_threshold) {
        anyhow::bail!("--threshold and --containment must lie between 0 and 1");
    }
    let spool_file = tempfile::tempfile().context("cannot create a temporary token spool")?;
    let mut run = Run {
        cfg: &cfg,
        spool: BufWriter::with_capacity(1 << 20, spool_file),
        offset: 0,
        docs: Vec::new(),
        groups: Vec::new(),
        paragraphs: Paragraphs::new(),
        failed: 0,
    };

    let stdin_only = args.files.is_empty() || args.files.iter().all(|f| f.as_os_str() == "-");
    let inputs: Vec<Option<PathBuf>> = if stdin_only {
        vec![None]
    } else {
        args.files
            .iter()
            .map(|f| (f.as_os_str() != "-").then(|| f.clone()))
            .collect()
    };
    let mut chunk: Vec<(String, Vec<u8>)> = Vec::with_capacity(CHUNK);
    for input in inputs {
        let (name, reader): (String, Box<dyn Read>) = match &input {
            None => ("-".to_string(), Box::new(std::io::stdin().lock())),
            Some(path) => {
                let name = path.display().to_string();
                match File::open(path) {
                    Ok(f) => (name, Box::new(f)),
                    Err(e) => {
                        eprintln!("rasd: {name}: cannot read: {e}");
                        run.failed += 1;
                        continue;
                    }
                }
            }
        };
        let mut reader = BufReader::with_capacity(1 << 20, reader);
        let mut line_no = 0usize;
        loop {
            let mut line = Vec::new();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    eprintln!("rasd: {name}:{}: cannot read: {e}", line_no + 1);
                    run.failed += 1;
                    break;
                }
            }
            line_no += 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            chunk.push((format!("{name}:{line_no}"), line));
            if chunk.len() >= CHUNK {
                run.flush(&mut chunk)?;
            }
        }
    }
    run.flush(&mut chunk)?;
    let Run {
        spool,
        docs,
        groups,
        paragraphs,
        failed,
        ..
    } = run;
    let mut spool = spool
        .into_inner()
        .map_err(|e| e.into_error())
        .context("cannot write the token spool")?;

    let mut read_error: Option<std::io::Error> = None;
    let assignments = rasd_dedup::group(groups, &cfg, |i| {
        let Some(d) = docs.get(i) else {
            return Vec::new();
        };
        let mut buf = vec![0u8; d.len as usize];
        if let Err(e) = spool
            .seek(SeekFrom::Start(d.offset))
            .and_then(|_| spool.read_exact(&mut buf))
        {
            read_error.get_or_insert(e);
            return Vec::new();
        }
        String::from_utf8_lossy(&buf)
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    });
    if let Some(e) = read_error {
        return Err(e).context("cannot read the token spool back");
    }

    let id_of = |i: usize| docs.get(i).map_or("", |d| d.id.as_str());
    let mut provenance = provenance_chains(&docs, &assignments);
    let (mut copies, mut edited) = (0usize, 0usize);
    for (i, a) in assignments.iter().enumerate() {
        let extra = docs.get(i).and_then(|d| d.extra.as_deref());
        let boilerplate: Vec<&str> = extra
            .map(|e| e.boilerplate.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|h| paragraphs.texts.get(h).map(String::as_str))
            .collect();
        // Syndication links are for otherwise different articles: a copy's relation to its
        // canonical document is its group, so copies keep none, and nobody links to a copy of
        // itself.
        let mut syndicated: Vec<SyndicatedLink> = Vec::new();
        if a.kind.is_none() {
            for &(paragraph, d) in extra.map(|e| e.syndicated.as_slice()).unwrap_or_default() {
                if assignments.get(d).is_some_and(|o| o.canonical == i) {
                    continue;
                }
                let link = SyndicatedLink {
                    paragraph,
                    doc: id_of(d).to_string(),
                    outlet: docs
                        .get(d)
                        .and_then(|o| o.extra.as_ref())
                        .and_then(|e| e.outlet.clone()),
                };
                if !syndicated.contains(&link) {
                    syndicated.push(link);
                }
            }
        }
        let kind = a.kind.map(|k| match k {
            MatchKind::Exact => "exact",
            MatchKind::Near => "near",
            MatchKind::ContainedIn | MatchKind::Contains => "contained_in",
        });
        copies += usize::from(kind.is_some());
        edited += usize::from(a.edited);
        let line = Line {
            id: id_of(i),
            group: id_of(a.canonical),
            canonical: id_of(a.canonical),
            similarity: (a.similarity * 10_000.0).round() / 10_000.0,
            edited: a.edited,
            differences: &a.differences,
            contained_in: a.contained_in.map(id_of),
            kind,
            boilerplate,
            syndicated,
            provenance: provenance.remove(&i).unwrap_or_default(),
        };
        if args.json {
            serde_json::to_writer(&mut *out, &line)?;
            writeln!(out)?;
        } else {
            match kind {
                None => write!(out, "{}\tcanonical", line.id)?,
                Some(k) => write!(
                    out,
                    "{}\t{k} copy of {} (similarity {:.3}{})",
                    line.id,
                    line.canonical,
                    line.similarity,
                    if a.edited { ", edited" } else { "" }
                )?,
            }
            if let Some(c) = line.contained_in {
                write!(out, "\tcontained in {c}")?;
            }
            if !a.differences.is_empty() {
                write!(out, "\t{}", a.differences.join(" | "))?;
            }
            if !line.provenance.is_empty() {
                let chain: Vec<&str> = line.provenance.iter().map(|p| p.outlet.as_str()).collect();
                write!(out, "\tvia {}", chain.join(" ← "))?;
            }
            if !line.syndicated.is_empty() {
                let docs: Vec<&str> = line.syndicated.iter().map(|l| l.doc.as_str()).collect();
                write!(out, "\tshares paragraphs with {}", docs.join(", "))?;
            }
            if !line.boilerplate.is_empty() {
                write!(
                    out,
                    "\t{} boilerplate paragraphs cut",
                    line.boilerplate.len()
                )?;
            }
            writeln!(out)?;
        }
    }
    if !ctx.quiet {
        eprintln!(
            "rasd: dedup: {} documents, {} groups, {copies} copies ({edited} edited), {failed} failed",
            assignments.len(),
            assignments.len() - copies,
        );
    }
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_or_say_why() {
        let cfg = DedupConfig::default();
        let ok = parse_line(
            br#"{"id": 7, "text": "\u0623\u0633\u062a\u0627\u0646\u0629 2017", "published": "2017-06-10"}"#,
            "f:1",
            &cfg,
        )
        .unwrap();
        assert_eq!(ok.id, "7");
        assert_eq!(ok.tokens, "استانه 2017");
        assert_eq!(ok.published, Some(17_327 * 86_400));
        assert_eq!(ok.fingerprint.tokens, 2);
        let cases: &[(&[u8], &str)] = &[
            (b"{", "malformed JSON"),
            (b"[1]", "not a JSON object"),
            (br#"{"text": "x"}"#, "no \"id\""),
            (br#"{"id": "", "text": "x"}"#, "no \"id\""),
            (br#"{"id": "a"}"#, "no \"text\" or \"html\""),
            (b"\xff\xfe", "malformed JSON"),
        ];
        for (line, why) in cases {
            let err = parse_line(line, "f:1", &cfg).err().unwrap_or_default();
            assert!(err.contains(why), "{line:?}: {err}");
        }
    }

    /// A word made of Arabic letters only, distinct for each `(tag, i)`.
    fn word(tag: &str, mut i: usize) -> String {
        const LETTERS: [char; 10] = ['ب', 'ت', 'ج', 'د', 'ر', 'س', 'ع', 'ف', 'ق', 'م'];
        let mut w = tag.to_string();
        loop {
            w.push(LETTERS[i % 10]);
            i /= 10;
            if i == 0 {
                break w;
            }
        }
    }

    fn paragraph(tag: &str, n: usize) -> String {
        (0..n).map(|i| word(tag, i)).collect::<Vec<_>>().join(" ")
    }

    /// Runs `rasd dedup --json` on JSONL lines; returns the output objects in input order.
    fn dedup_json(lines: &[serde_json::Value]) -> Vec<serde_json::Value> {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("docs.jsonl");
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        std::fs::write(&input, text.join("\n")).unwrap();
        let args = Args {
            files: vec![input],
            json: true,
            threshold: DedupConfig::default().threshold,
            containment: DedupConfig::default().containment_threshold,
            bands: DedupConfig::default().bands,
            rows: DedupConfig::default().rows,
        };
        let ctx = Ctx {
            db: dir.path().join("db"),
            quiet: true,
        };
        let mut out = Vec::new();
        let code = run(&args, &ctx, &mut out).unwrap();
        assert_eq!(code, ExitCode::SUCCESS);
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn outlet_boilerplate_is_cut_and_shared_paragraphs_are_linked() {
        let footer = "اشترك في نشرتنا البريدية لتصلك آخر الأخبار كل صباح على بريدك";
        let wire = paragraph("وكالة", 30);
        let doc = |id: &str, outlet: &str, paras: Vec<String>| serde_json::json!({"id": id, "outlet": outlet, "text": paras.join("\n")});
        let out = dedup_json(&[
            doc(
                "a1",
                "الأولى",
                vec![paragraph("خبرا", 40), wire.clone(), footer.into()],
            ),
            doc("a2", "الأولى", vec![paragraph("خبرب", 40), footer.into()]),
            doc("a3", "الأولى", vec![paragraph("خبرج", 40), footer.into()]),
            doc(
                "b1",
                "الثانية",
                vec![paragraph("خبرد", 40), wire, footer.into()],
            ),
            // No outlet: no paragraph roles.
            serde_json::json!({"id": "x", "text": format!("{}\n{footer}", paragraph("خبره", 40))}),
        ]);
        assert_eq!(out.len(), 5);
        for o in &out[..3] {
            assert_eq!(o["boilerplate"], serde_json::json!([footer]), "{o}");
            assert!(o["kind"].is_null(), "{o}");
        }
        // One other outlet carries the footer: that is not yet boilerplate for it.
        assert_eq!(out[3]["boilerplate"], serde_json::json!([]));
        assert_eq!(out[4]["boilerplate"], serde_json::json!([]));
        // The wire paragraph links a1 and b1 both ways; the footer links b1 to a's pages.
        let links = |o: &serde_json::Value| -> Vec<(u64, String)> {
            o["syndicated"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    (
                        l["paragraph"].as_u64().unwrap(),
                        l["doc"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        };
        assert_eq!(links(&out[0]), [(1, "b1".to_string())]);
        assert_eq!(out[0]["syndicated"][0]["outlet"], "الثانية");
        let b1 = links(&out[3]);
        assert!(b1.contains(&(1, "a1".to_string())), "{b1:?}");
        assert!(b1.iter().filter(|l| l.0 == 2).count() == 3, "{b1:?}");
        assert_eq!(links(&out[1]), []);
        assert_eq!(links(&out[4]), []);
    }

    #[test]
    fn provenance_follows_the_named_sources_through_the_group() {
        let text = [paragraph("نقل", 60), paragraph("تصريح", 30)].join("\n");
        let out = dedup_json(&[
            serde_json::json!({"id": "copy", "outlet": "بلدي نيوز", "original_source": "صحيفة الشرق الاوسط",
                               "published": "2017-06-11", "text": text}),
            serde_json::json!({"id": "orig", "outlet": "الشرق الأوسط", "original_source": "رويترز",
                               "published": "2017-06-10", "text": text}),
            serde_json::json!({"id": "other", "outlet": "الثالثة", "original_source": "رويترز",
                               "text": paragraph("آخر", 60)}),
        ]);
        assert_eq!(out[0]["canonical"], "orig");
        assert_eq!(
            out[0]["provenance"],
            serde_json::json!([
                {"outlet": "بلدي نيوز", "doc": "copy"},
                {"outlet": "صحيفة الشرق الاوسط", "doc": "orig"},
                {"outlet": "رويترز", "doc": null},
            ])
        );
        assert_eq!(
            out[1]["provenance"],
            serde_json::json!([{"outlet": "الشرق الأوسط", "doc": "orig"}, {"outlet": "رويترز", "doc": null}])
        );
        // A group of one still names where its text came from.
        assert_eq!(out[2]["provenance"][1]["outlet"], "رويترز");
        // Copies keep no syndication links to their own group.
        assert_eq!(out[0]["syndicated"], serde_json::json!([]));
        assert_eq!(out[1]["syndicated"], serde_json::json!([]));
    }

    #[test]
    fn html_goes_through_extraction() {
        let cfg = DedupConfig::default();
        let html = r#"{"id": "h", "html": "<html><body><nav>الرئيسية</nav><article><p>قال المتحدث إن الاجتماع عقد في العاصمة أمس بحضور الوفدين وناقش الملفات العالقة بين البلدين.</p></article></body></html>"}"#;
        let p = parse_line(html.as_bytes(), "f:2", &cfg).unwrap();
        assert!(p.tokens.starts_with("قال المتحدث"), "{}", p.tokens);
        assert!(!p.tokens.contains('<'));
    }
}
