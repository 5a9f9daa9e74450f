//! Stage commands that run one step alone: files (or stdin) in, JSON Lines or text out.

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::Result;
use rasd_types::{PageFormat, RawPage};
use serde::Serialize;

/// Reads each input (a file, or stdin for `-` or no file) as raw bytes with its name.
/// Unreadable files are reported on stderr and counted.
pub(crate) fn inputs(files: &[PathBuf], failed: &mut usize) -> Vec<(String, Vec<u8>)> {
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

/// Each input (see [`inputs`]) decoded to text, for the stages that read plain text; an
/// empty input is an empty text, and one that cannot be decoded is reported and counted.
pub(crate) fn text_inputs(files: &[PathBuf], failed: &mut usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (source, bytes) in inputs(files, failed) {
        match rasd_extract::decode(&bytes, None) {
            Ok(d) => out.push((source, d.text)),
            Err(rasd_extract::ExtractError::Empty) => out.push((source, String::new())),
            Err(e) => {
                eprintln!("rasd: {source}: {e}");
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
///
/// A `.warc` / `.warc.gz` file (or stdin holding a WARC) gives one article per HTTP response
/// record, with `source` = the record's `WARC-Target-URI`; the archive is streamed.
pub fn extract(files: &[PathBuf], json: bool, out: &mut impl Write) -> Result<usize> {
    let mut failed = 0;
    let stdin = files.is_empty() || (files.len() == 1 && files[0].as_os_str() == "-");
    if !stdin {
        for f in files {
            let name = f.display().to_string();
            let lower = name.to_ascii_lowercase();
            if lower.ends_with(".warc") || lower.ends_with(".warc.gz") {
                match std::fs::File::open(f) {
                    Ok(file) => {
                        let reader = rasd_extract::warc::WarcReader::new(file);
                        failed += extract_warc(&name, reader, json, out)?;
                    }
                    Err(e) => {
                        eprintln!("rasd: {name}: cannot read: {e}");
                        failed += 1;
                    }
                }
                continue;
            }
            match std::fs::read(f) {
                Ok(bytes) => failed += extract_bytes(name, bytes, json, out)?,
                Err(e) => {
                    eprintln!("rasd: {name}: cannot read: {e}");
                    failed += 1;
                }
            }
        }
        return Ok(failed);
    }
    for (source, bytes) in inputs(files, &mut failed) {
        failed += extract_bytes(source, bytes, json, out)?;
    }
    Ok(failed)
}

/// One file's bytes (a page, or a WARC read from stdin).
fn extract_bytes(
    source: String,
    bytes: Vec<u8>,
    json: bool,
    out: &mut impl Write,
) -> Result<usize> {
    if rasd_extract::warc::looks_like_warc(&bytes) {
        let reader = rasd_extract::warc::WarcReader::new(std::io::Cursor::new(bytes));
        return extract_warc(&source, reader, json, out);
    }
    let lower = source.to_ascii_lowercase();
    let format = if lower.ends_with(".txt") {
        PageFormat::Text
    } else if lower.ends_with(".html") || lower.ends_with(".htm") {
        PageFormat::Html
    } else {
        PageFormat::Auto
    };
    let page = RawPage::new(source, bytes, format);
    Ok(usize::from(!extract_one(&page, json, out)?))
}

/// Every response record of a WARC stream; damage is one failure line naming the file.
fn extract_warc(
    name: &str,
    reader: rasd_extract::warc::WarcReader,
    json: bool,
    out: &mut impl Write,
) -> Result<usize> {
    let mut failed = 0;
    for item in reader {
        match item {
            Ok(page) => failed += usize::from(!extract_one(&page, json, out)?),
            Err(rasd_extract::warc::WarcError::Record { uri, reason }) => {
                eprintln!("rasd: {name}: record {uri}: {reason}");
                failed += 1;
            }
            Err(e) => {
                eprintln!("rasd: {name}: {e}");
                failed += 1;
            }
        }
    }
    Ok(failed)
}

/// Extract and print one page; `false` when it failed (reported on stderr).
fn extract_one(page: &RawPage, json: bool, out: &mut impl Write) -> Result<bool> {
    let source = &page.source;
    match rasd_extract::extract_page(page) {
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
            Ok(true)
        }
        Err(e) => {
            eprintln!("rasd: {source}: {e}");
            Ok(false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warc_record(uri: &str, html: &str) -> Vec<u8> {
        let http =
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
            http.len()
        )
        .into_bytes()
    }

    fn page(title: &str) -> String {
        format!(
            "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>\
             <p>كشف مسؤولون أمريكيون عن محادثات سرية مع روسيا في العاصمة الأردنية، بهدف إقامة منطقة لتخفيف التوتر في جنوب سوريا.</p>\
             </article></body></html>"
        )
    }

    #[test]
    fn extract_reads_warc_records_and_reports_damage_once() {
        let d = tempfile::tempdir().unwrap();
        let mut plain = warc_record("https://a.example/2019/08/02/one", &page("الأول"));
        plain.extend(warc_record("https://a.example/two", &page("الثاني")));
        let whole = d.path().join("a.warc");
        std::fs::write(&whole, &plain).unwrap();
        let mut out = Vec::new();
        let failed = extract(std::slice::from_ref(&whole), true, &mut out).unwrap();
        assert_eq!(failed, 0);
        let rows: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["source"], "https://a.example/2019/08/02/one");
        assert_eq!(rows[0]["title"], "الأول");
        assert_eq!(rows[0]["published"], "2019-08-02");
        assert_eq!(rows[1]["source"], "https://a.example/two");

        // One gzip member per record (as WARC.gz files are written), cut inside the second:
        // the first record is kept, one failure is counted.
        let member = |rec: &[u8]| {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(rec).unwrap();
            enc.finish().unwrap()
        };
        let mut gz = member(&warc_record("https://a.example/one", &page("الأول")));
        let second = member(&warc_record("https://a.example/two", &page("الثاني")));
        gz.extend_from_slice(&second[..second.len() / 2]);
        let cut = d.path().join("b.warc.gz");
        std::fs::write(&cut, &gz).unwrap();
        let mut out = Vec::new();
        let failed = extract(&[cut], true, &mut out).unwrap();
        assert_eq!(failed, 1);
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 1);
    }
}
