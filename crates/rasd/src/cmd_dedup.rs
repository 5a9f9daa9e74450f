//! `rasd dedup`: duplicate detection alone, JSONL documents in, one line per document out.
//!
//! Input: JSON Lines, one document per line, with `id` (string or number) and `text` or `html`
//! (HTML goes through `rasd_extract::extract_page` first), optionally `published` (ISO 8601) and
//! `outlet`. Output (`--json`): one line per document, in input order, with `id`, `group` (the
//! canonical document's id, shared by every copy), `canonical`, `similarity`, `edited`,
//! `differences`, `contained_in`, plus `kind` (`exact`, `near`, `contained_in` or null for a
//! canonical document).
//!
//! Memory: documents are parsed and fingerprinted in parallel chunks; their normalized tokens
//! are spooled to a temporary file (read back only to describe the differences of near copies),
//! so RAM holds the duplicate index and a few fields per document, never the texts.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use rasd_dedup::{DedupConfig, Fingerprint, GroupDoc, MatchKind};
use rasd_types::{PageFormat, RawPage};
use rayon::prelude::*;
use serde::Serialize;

use crate::Ctx;

/// Lines parsed and fingerprinted together (in parallel).
const CHUNK: usize = 4096;

/// Arguments of `rasd dedup`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSONL files of documents (`id` and `text` or `html`); `-` or nothing reads stdin.
    pub files: Vec<PathBuf>,
    /// One JSON object per document: id, group, canonical, similarity, edited, differences,
    /// contained_in, kind.
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

/// A document after parsing: what grouping needs, the rest is spooled.
struct Parsed {
    id: String,
    published: Option<i64>,
    tokens: String,
    fingerprint: Fingerprint,
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
}

/// Normalized search keys of the text's tokens (the same view the ingest pipeline fingerprints),
/// joined by single spaces.
fn normalized_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut key = String::with_capacity(32);
    for tok in rasd_arabic::tokenize(text) {
        key.clear();
        rasd_arabic::search_key_into(tok.text, &mut key);
        if key.is_empty() || key.contains(char::is_whitespace) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&key);
    }
    out
}

/// Parses one JSONL line into a document, or says why it cannot.
fn parse_line(line: &[u8], source: &str, cfg: &DedupConfig) -> Result<Parsed, String> {
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
    };
    let mut published = field("published").map(str::to_string);
    let body = if let Some(html) = obj.get("html").and_then(|v| v.as_str()) {
        let mut page = RawPage::new(source, html.as_bytes().to_vec(), PageFormat::Html);
        page.declared_charset = Some("utf-8".to_string());
        page.published = published.clone();
        page.outlet = field("outlet").map(str::to_string);
        let article = rasd_extract::extract_page(&page).map_err(|e| e.to_string())?;
        if published.is_none() {
            published = article.published;
        }
        article.body
    } else if let Some(text) = obj.get("text").and_then(|v| v.as_str()) {
        text.to_string()
    } else {
        return Err("no \"text\" or \"html\" field".to_string());
    };
    let tokens = normalized_tokens(&body);
    let refs: Vec<&str> = tokens.split(' ').collect();
    let mut fingerprint = rasd_dedup::fingerprint(&refs, cfg);
    // The index recomputes the signature when it inserts; keeping it would double the memory.
    fingerprint.minhash = Vec::new();
    fingerprint.shingles.shrink_to_fit();
    Ok(Parsed {
        id,
        published: published.as_deref().and_then(crate::pipeline::instant_of),
        tokens,
        fingerprint,
    })
}

/// Where a document's tokens lie in the spool file.
struct Spooled {
    id: String,
    offset: u64,
    len: u32,
}

/// Parses and fingerprints one chunk in parallel, spools its tokens, reports its failures.
fn flush_chunk(
    chunk: &mut Vec<(String, Vec<u8>)>,
    cfg: &DedupConfig,
    spool: &mut BufWriter<File>,
    offset: &mut u64,
    docs: &mut Vec<Spooled>,
    groups: &mut Vec<GroupDoc>,
    failed: &mut usize,
) -> Result<()> {
    let parsed: Vec<(String, Result<Parsed, String>)> = chunk
        .par_drain(..)
        .map(|(source, line)| {
            let p = parse_line(&line, &source, cfg);
            (source, p)
        })
        .collect();
    for (source, p) in parsed {
        match p {
            Ok(p) => {
                let bytes = p.tokens.as_bytes();
                let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
                spool
                    .write_all(bytes.get(..len as usize).unwrap_or(bytes))
                    .context("cannot write the token spool")?;
                docs.push(Spooled {
                    id: p.id,
                    offset: *offset,
                    len,
                });
                *offset += u64::from(len);
                groups.push(GroupDoc {
                    fingerprint: p.fingerprint,
                    published: p.published,
                });
            }
            Err(reason) => {
                eprintln!("rasd: {source}: {reason}");
                *failed += 1;
            }
        }
    }
    Ok(())
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
    let mut spool = BufWriter::with_capacity(1 << 20, spool_file);
    let mut offset = 0u64;
    let mut docs: Vec<Spooled> = Vec::new();
    let mut groups: Vec<GroupDoc> = Vec::new();
    let mut failed = 0usize;

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
                        failed += 1;
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
                    failed += 1;
                    break;
                }
            }
            line_no += 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            chunk.push((format!("{name}:{line_no}"), line));
            if chunk.len() >= CHUNK {
                flush_chunk(
                    &mut chunk,
                    &cfg,
                    &mut spool,
                    &mut offset,
                    &mut docs,
                    &mut groups,
                    &mut failed,
                )?;
            }
        }
    }
    flush_chunk(
        &mut chunk,
        &cfg,
        &mut spool,
        &mut offset,
        &mut docs,
        &mut groups,
        &mut failed,
    )?;
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
    let (mut copies, mut edited) = (0usize, 0usize);
    for (i, a) in assignments.iter().enumerate() {
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

    #[test]
    fn html_goes_through_extraction() {
        let cfg = DedupConfig::default();
        let html = r#"{"id": "h", "html": "<html><body><nav>الرئيسية</nav><article><p>قال المتحدث إن الاجتماع عقد في العاصمة أمس بحضور الوفدين وناقش الملفات العالقة بين البلدين.</p></article></body></html>"}"#;
        let p = parse_line(html.as_bytes(), "f:2", &cfg).unwrap();
        assert!(p.tokens.starts_with("قال المتحدث"), "{}", p.tokens);
        assert!(!p.tokens.contains('<'));
    }
}
