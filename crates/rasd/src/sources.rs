//! Inputs: files and folders given on the command line, turned into a lazy stream of
//! [`RawPage`]s or per-input failures.
//!
//! - `.txt` → a text page; `.html`/`.htm` → an HTML page;
//! - `.jsonl`, `.ndjson`, `.jsonl.gz` → one page per line: `{"url", "html" | "text", "published"?, "outlet"?}`;
//! - `.warc`, `.warc.gz` → one page per HTTP response record (`rasd_extract::warc`), streamed; a
//!   truncated or corrupt archive gives one failure naming the file, after the records before the damage;
//! - folders are walked recursively (sorted, so runs are reproducible); files of other types
//!   inside folders are skipped and counted; a file of another type named explicitly is sniffed.
//!
//! A bad input never stops the stream: it becomes an [`Input::Failed`] naming the file
//! (and line) and the reason.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use rasd_types::{PageFormat, RawPage};

/// Pages larger than this are refused (a scraped news page is well under 1 MB).
pub const MAX_PAGE_BYTES: u64 = 32 * 1024 * 1024;

/// One item of the input stream.
#[derive(Debug)]
pub enum Input {
    Page(RawPage),
    Failed { source: String, reason: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Page(PageFormat),
    Jsonl { gz: bool },
    Warc,
}

fn kind_of(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".warc") || name.ends_with(".warc.gz") {
        Some(FileKind::Warc)
    } else if name.ends_with(".jsonl.gz") || name.ends_with(".ndjson.gz") {
        Some(FileKind::Jsonl { gz: true })
    } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        Some(FileKind::Jsonl { gz: false })
    } else if name.ends_with(".html") || name.ends_with(".htm") || name.ends_with(".xhtml") {
        Some(FileKind::Page(PageFormat::Html))
    } else if name.ends_with(".txt") {
        Some(FileKind::Page(PageFormat::Text))
    } else {
        None
    }
}

/// The files to read, found by walking the given paths.
#[derive(Debug, Default)]
pub struct FileList {
    files: Vec<(PathBuf, FileKind, u64)>,
    /// Files inside folders skipped for their type.
    pub skipped: u64,
    /// Paths that could not be listed, with the reason.
    pub unreadable: Vec<(String, String)>,
}

impl FileList {
    /// Walks `paths` (files and folders, recursively).
    pub fn walk(paths: &[PathBuf]) -> FileList {
        let mut list = FileList::default();
        for p in paths {
            match std::fs::metadata(p) {
                Err(e) => list
                    .unreadable
                    .push((p.display().to_string(), io_reason(&e))),
                Ok(m) if m.is_dir() => {
                    let walker = walkdir::WalkDir::new(p)
                        .follow_links(true)
                        .sort_by_file_name();
                    for entry in walker {
                        match entry {
                            Err(e) => {
                                let path = e
                                    .path()
                                    .map(|x| x.display().to_string())
                                    .unwrap_or_else(|| p.display().to_string());
                                list.unreadable.push((path, e.to_string()));
                            }
                            Ok(ent) if ent.file_type().is_file() => match kind_of(ent.path()) {
                                Some(k) => {
                                    let len = ent.metadata().map(|m| m.len()).unwrap_or(0);
                                    list.files.push((ent.path().to_path_buf(), k, len));
                                }
                                None => list.skipped += 1,
                            },
                            Ok(_) => {}
                        }
                    }
                }
                Ok(m) => {
                    let k = kind_of(p).unwrap_or(FileKind::Page(PageFormat::Auto));
                    list.files.push((p.clone(), k, m.len()));
                }
            }
        }
        list
    }

    /// Total bytes of the listed files (for progress).
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.2).sum()
    }

    /// The lazy stream of pages and failures.
    pub fn into_inputs(self) -> Inputs {
        let mut pending: Vec<Input> = self
            .unreadable
            .into_iter()
            .map(|(source, reason)| Input::Failed { source, reason })
            .collect();
        pending.reverse();
        Inputs {
            files: self.files.into_iter(),
            current: None,
            warc: None,
            pending,
            bytes_done: 0,
        }
    }
}

/// Stream of inputs; see [`FileList::into_inputs`].
pub struct Inputs {
    files: std::vec::IntoIter<(PathBuf, FileKind, u64)>,
    current: Option<JsonlReader>,
    warc: Option<WarcFile>,
    pending: Vec<Input>,
    bytes_done: u64,
}

impl Inputs {
    /// Bytes of input files fully consumed so far.
    pub fn bytes_done(&self) -> u64 {
        self.bytes_done
    }
}

impl Iterator for Inputs {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            if let Some(item) = self.pending.pop() {
                return Some(item);
            }
            if let Some(reader) = self.current.as_mut() {
                match reader.next() {
                    Some(item) => return Some(item),
                    None => {
                        self.bytes_done += reader.file_len;
                        self.current = None;
                    }
                }
            }
            if let Some(w) = self.warc.as_mut() {
                match w.next() {
                    Some(item) => return Some(item),
                    None => {
                        self.bytes_done += w.file_len;
                        self.warc = None;
                    }
                }
            }
            let (path, kind, len) = self.files.next()?;
            let source = path.display().to_string();
            match kind {
                FileKind::Page(format) => {
                    self.bytes_done += len;
                    return Some(read_page_file(&path, source, format));
                }
                FileKind::Warc => match File::open(&path) {
                    Ok(f) => {
                        self.warc = Some(WarcFile {
                            path: source,
                            reader: rasd_extract::warc::WarcReader::new(BufReader::new(f)),
                            file_len: len,
                        })
                    }
                    Err(e) => {
                        self.bytes_done += len;
                        return Some(Input::Failed {
                            source,
                            reason: io_reason(&e),
                        });
                    }
                },
                FileKind::Jsonl { gz } => match JsonlReader::open(&path, gz, len) {
                    Ok(r) => self.current = Some(r),
                    Err(reason) => {
                        self.bytes_done += len;
                        return Some(Input::Failed { source, reason });
                    }
                },
            }
        }
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

fn read_page_file(path: &Path, source: String, format: PageFormat) -> Input {
    let read = || -> Result<Vec<u8>, String> {
        let f = File::open(path).map_err(|e| io_reason(&e))?;
        let mut bytes = Vec::new();
        f.take(MAX_PAGE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| io_reason(&e))?;
        if bytes.len() as u64 > MAX_PAGE_BYTES {
            return Err(format!(
                "file too large for a page (over {} MB)",
                MAX_PAGE_BYTES / (1024 * 1024)
            ));
        }
        Ok(bytes)
    };
    match read() {
        Ok(bytes) => Input::Page(RawPage::new(source, bytes, format)),
        Err(reason) => Input::Failed { source, reason },
    }
}

/// Reads one WARC (optionally gzipped) file record by record.
struct WarcFile {
    path: String,
    reader: rasd_extract::warc::WarcReader,
    file_len: u64,
}

impl WarcFile {
    fn next(&mut self) -> Option<Input> {
        match self.reader.next()? {
            Ok(page) => Some(Input::Page(page)),
            Err(rasd_extract::warc::WarcError::Record { uri, reason }) => Some(Input::Failed {
                source: format!("{} record {uri}", self.path),
                reason,
            }),
            Err(e) => Some(Input::Failed {
                source: self.path.clone(),
                reason: e.to_string(),
            }),
        }
    }
}

/// Reads one JSONL (optionally gzipped) file line by line.
struct JsonlReader {
    path: String,
    reader: Box<dyn BufRead>,
    line_no: usize,
    file_len: u64,
    done: bool,
}

impl JsonlReader {
    fn open(path: &Path, gz: bool, file_len: u64) -> Result<JsonlReader, String> {
        let f = File::open(path).map_err(|e| io_reason(&e))?;
        let reader: Box<dyn BufRead> = if gz {
            Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(
                BufReader::new(f),
            )))
        } else {
            Box::new(BufReader::new(f))
        };
        Ok(JsonlReader {
            path: path.display().to_string(),
            reader,
            line_no: 0,
            file_len,
            done: false,
        })
    }

    fn next(&mut self) -> Option<Input> {
        loop {
            if self.done {
                return None;
            }
            let mut line = Vec::new();
            let mut limited = (&mut self.reader).take(MAX_PAGE_BYTES + 1);
            match limited.read_until(b'\n', &mut line) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => {
                    self.line_no += 1;
                    if line.len() as u64 > MAX_PAGE_BYTES {
                        self.done = true;
                        return Some(self.fail(format!(
                            "line {} too long (over {} MB); rest of file skipped",
                            self.line_no,
                            MAX_PAGE_BYTES / (1024 * 1024)
                        )));
                    }
                    if line.iter().all(|b| b.is_ascii_whitespace()) {
                        continue;
                    }
                    return Some(self.parse_line(&line));
                }
                Err(e) => {
                    self.done = true;
                    let what = if e.kind() == std::io::ErrorKind::UnexpectedEof
                        || e.kind() == std::io::ErrorKind::InvalidInput
                        || e.kind() == std::io::ErrorKind::InvalidData
                    {
                        "truncated or corrupt compressed data"
                    } else {
                        "read error"
                    };
                    return Some(Input::Failed {
                        source: self.path.clone(),
                        reason: format!("{what} after line {}: {e}", self.line_no),
                    });
                }
            }
        }
    }

    fn fail(&self, reason: String) -> Input {
        Input::Failed {
            source: format!("{}:{}", self.path, self.line_no),
            reason,
        }
    }

    fn parse_line(&self, line: &[u8]) -> Input {
        let value: serde_json::Value = match serde_json::from_slice(line) {
            Ok(v) => v,
            Err(e) => return self.fail(format!("malformed JSON: {e}")),
        };
        let Some(obj) = value.as_object() else {
            return self.fail("not a JSON object".to_string());
        };
        let text_field = |k: &str| {
            obj.get(k)
                .and_then(|v| v.as_str())
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let url = text_field("url");
        let (content, format) = if let Some(html) = obj.get("html").and_then(|v| v.as_str()) {
            (html, PageFormat::Html)
        } else if let Some(text) = obj.get("text").and_then(|v| v.as_str()) {
            (text, PageFormat::Text)
        } else {
            return self.fail("no \"html\" or \"text\" field".to_string());
        };
        let source = url
            .clone()
            .unwrap_or_else(|| format!("{}:{}", self.path, self.line_no));
        let mut page = RawPage::new(source, content.as_bytes().to_vec(), format);
        page.declared_charset = Some("utf-8".to_string());
        page.url = url;
        page.published = text_field("published");
        page.outlet = text_field("outlet");
        Input::Page(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn collect(paths: &[PathBuf]) -> (Vec<RawPage>, Vec<(String, String)>, u64) {
        let list = FileList::walk(paths);
        let skipped = list.skipped;
        let mut pages = vec![];
        let mut fails = vec![];
        for i in list.into_inputs() {
            match i {
                Input::Page(p) => pages.push(p),
                Input::Failed { source, reason } => fails.push((source, reason)),
            }
        }
        (pages, fails, skipped)
    }

    #[test]
    fn walks_folders_by_type_and_skips_others() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("sub")).unwrap();
        std::fs::write(d.path().join("a.txt"), "نص").unwrap();
        std::fs::write(d.path().join("sub/b.HTML"), "<p>نص</p>").unwrap();
        std::fs::write(d.path().join("notes.md"), "x").unwrap();
        let (pages, fails, skipped) = collect(&[d.path().to_path_buf()]);
        assert_eq!(pages.len(), 2);
        assert!(fails.is_empty());
        assert_eq!(skipped, 1);
        assert_eq!(pages[0].format, PageFormat::Text);
        assert_eq!(pages[1].format, PageFormat::Html);
    }

    #[test]
    fn missing_path_is_a_failure_not_a_stop() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a.txt"), "نص").unwrap();
        let (pages, fails, _) = collect(&[d.path().join("nope"), d.path().join("a.txt")]);
        assert_eq!(pages.len(), 1);
        assert_eq!(fails.len(), 1);
        assert!(fails[0].0.ends_with("nope") && fails[0].1.contains("no such file"));
    }

    #[test]
    fn jsonl_lines_become_pages_and_bad_lines_failures() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("feed.jsonl");
        std::fs::write(
            &p,
            "{\"url\":\"https://x.example/1\",\"html\":\"<p>نص</p>\",\"published\":\"2024-01-02\",\"outlet\":\"منصة\"}\n\
             \n{not json\n[1,2]\n{\"url\":\"https://x.example/3\"}\n{\"text\":\"سطر\"}\n",
        )
        .unwrap();
        let (pages, fails, _) = collect(std::slice::from_ref(&p));
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].source, "https://x.example/1");
        assert_eq!(pages[0].published.as_deref(), Some("2024-01-02"));
        assert_eq!(pages[0].outlet.as_deref(), Some("منصة"));
        assert_eq!(pages[1].format, PageFormat::Text);
        assert!(
            pages[1].source.ends_with("feed.jsonl:6"),
            "{}",
            pages[1].source
        );
        let reasons: Vec<_> = fails.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(fails.len(), 3, "{fails:?}");
        assert!(reasons[0].starts_with("malformed JSON"));
        assert!(fails[0].0.ends_with("feed.jsonl:3"));
        assert_eq!(reasons[1], "not a JSON object");
        assert!(reasons[2].contains("no \"html\" or \"text\""));
    }

    #[test]
    fn truncated_gzip_keeps_lines_before_the_cut() {
        let d = tempfile::tempdir().unwrap();
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        for i in 0..200 {
            writeln!(
                enc,
                "{{\"url\":\"https://x.example/{i}\",\"text\":\"خبر رقم {i} {}\"}}",
                "كلمة ".repeat(50)
            )
            .unwrap();
        }
        let full = enc.finish().unwrap();
        let p = d.path().join("cut.jsonl.gz");
        std::fs::write(&p, &full[..full.len() / 2]).unwrap();
        let (pages, fails, _) = collect(&[p]);
        assert!(!pages.is_empty() && pages.len() < 200, "{}", pages.len());
        assert_eq!(fails.len(), 1);
        assert!(fails[0].1.contains("truncated"), "{:?}", fails[0]);
    }

    fn warc_record(uri: &str, html: &str) -> Vec<u8> {
        let http =
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
            http.len()
        )
        .into_bytes()
    }

    #[test]
    fn warc_and_truncated_warc_gz() {
        let d = tempfile::tempdir().unwrap();
        let mut plain = Vec::new();
        for i in 0..50 {
            plain.extend(warc_record(
                &format!("https://x.example/{i}"),
                &format!("<p>خبر رقم {i} {}</p>", "كلمة ".repeat(40)),
            ));
        }
        std::fs::write(d.path().join("a.warc"), &plain).unwrap();
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&plain).unwrap();
        let gz = enc.finish().unwrap();
        std::fs::write(d.path().join("b.warc.gz"), &gz[..gz.len() / 2]).unwrap();
        let (pages, fails, skipped) = collect(&[d.path().to_path_buf()]);
        assert_eq!(skipped, 0);
        // a.warc whole, then the records of b.warc.gz before the cut.
        for (i, p) in pages.iter().enumerate() {
            assert_eq!(p.source, format!("https://x.example/{}", i % 50));
        }
        assert_eq!(pages[0].source, "https://x.example/0");
        assert_eq!(pages[0].url.as_deref(), Some("https://x.example/0"));
        assert_eq!(pages[0].declared_charset.as_deref(), Some("utf-8"));
        assert_eq!(pages[0].format, PageFormat::Html);
        assert!(pages.len() > 50 && pages.len() < 100, "{}", pages.len());
        assert_eq!(fails.len(), 1, "{fails:?}");
        assert!(fails[0].0.ends_with("b.warc.gz"), "{:?}", fails[0]);
        assert!(fails[0].1.contains("truncated"), "{:?}", fails[0]);
    }

    #[test]
    fn oversized_page_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("big.txt");
        let f = File::create(&p).unwrap();
        f.set_len(MAX_PAGE_BYTES + 10).unwrap();
        let (pages, fails, _) = collect(&[p]);
        assert!(pages.is_empty());
        assert!(fails[0].1.contains("too large"));
    }
}
