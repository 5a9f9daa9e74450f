//! Stage commands that run one step alone: files (or stdin) in, JSON Lines or text out.

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::Result;
use rasd_types::{PageFormat, RawPage};
use serde::Serialize;

/// Reads each input (a file, or stdin for `-` or no file) as raw bytes with its name.
/// Unreadable files are reported on stderr and counted.
fn inputs(files: &[PathBuf], failed: &mut usize) -> Vec<(String, Vec<u8>)> {
    if files.is_empty() || (files.len() == 1 && files[0].as_os_str() == "-") {
        let mut buf = Vec::new();
        return match std::io::stdin().read_to_end(&mut buf) {
            Ok(_) => vec![("-".to_string(), buf)],
            Err(e) => {
                eprintln!("rasd: -: cannot read stdin: {e}");
                *failed += 1;
                vec![]
            }
        };
    }
    let mut out = Vec::new();
    for f in files {
        let name = f.display().to_string();
        match std::fs::read(f) {
            Ok(b) => out.push((name, b)),
            Err(e) => {
                eprintln!("rasd: {name}: cannot read: {e}");
                *failed += 1;
            }
        }
    }
    out
}

#[derive(Serialize)]
struct Analyzed<'a> {
    source: &'a str,
    #[serde(flatten)]
    analysis: rasd_arabic::Analysis,
}

/// `rasd analyze`: sentences and tokens per input. Returns how many inputs failed.
pub fn analyze(files: &[PathBuf], json: bool, out: &mut impl Write) -> Result<usize> {
    let mut failed = 0;
    for (source, bytes) in inputs(files, &mut failed) {
        let text = match rasd_extract::decode(&bytes, None) {
            Ok(d) => d.text,
            Err(e) => {
                eprintln!("rasd: {source}: {e}");
                failed += 1;
                continue;
            }
        };
        let analysis = rasd_arabic::analyze(&text);
        if json {
            serde_json::to_writer(
                &mut *out,
                &Analyzed {
                    source: &source,
                    analysis,
                },
            )?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "{source}: {} sentences, {} tokens",
                analysis.sentences.len(),
                analysis.tokens.len()
            )?;
            for t in &analysis.tokens {
                writeln!(
                    out,
                    "  {}\t{}\tnorm={}\tstem={}\tvariant={}{}",
                    t.start,
                    t.text,
                    t.norm,
                    t.stem,
                    t.variant,
                    if t.stop { "\tstop" } else { "" }
                )?;
            }
        }
    }
    Ok(failed)
}

/// `rasd extract`: the article of each page. Returns how many inputs failed.
pub fn extract(files: &[PathBuf], json: bool, out: &mut impl Write) -> Result<usize> {
    let mut failed = 0;
    for (source, bytes) in inputs(files, &mut failed) {
        let lower = source.to_ascii_lowercase();
        let format = if lower.ends_with(".txt") {
            PageFormat::Text
        } else if lower.ends_with(".html") || lower.ends_with(".htm") {
            PageFormat::Html
        } else {
            PageFormat::Auto
        };
        let page = RawPage::new(source.clone(), bytes, format);
        match rasd_extract::extract_page(&page) {
            Ok(article) => {
                if json {
                    serde_json::to_writer(&mut *out, &article)?;
                    writeln!(out)?;
                } else {
                    writeln!(out, "== {source}")?;
                    writeln!(
                        out,
                        "title:     {}",
                        article.title.as_deref().unwrap_or("-")
                    )?;
                    writeln!(
                        out,
                        "published: {}",
                        article.published.as_deref().unwrap_or("-")
                    )?;
                    writeln!(
                        out,
                        "outlet:    {}",
                        article.outlet.as_deref().unwrap_or("-")
                    )?;
                    writeln!(out, "\n{}\n", article.body)?;
                    for r in &article.removed {
                        writeln!(out, "removed [{}]: {}", r.kind, r.text.replace('\n', " "))?;
                    }
                }
            }
            Err(e) => {
                eprintln!("rasd: {source}: {e}");
                failed += 1;
            }
        }
    }
    Ok(failed)
}
