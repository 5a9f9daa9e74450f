//! WARC and WARC.gz input: the `response` records of a web archive as [`RawPage`]s.
//!
//! [`WarcReader`] streams records one at a time (a record's block is held in memory, never the
//! whole file; records over [`MAX_RECORD_BYTES`] are skipped without being held). For each
//! `response` record carrying an HTTP response it splits the HTTP headers off, takes the declared
//! charset from `Content-Type`, decodes `Transfer-Encoding: chunked` and `Content-Encoding: gzip`
//! / `deflate`, and yields a page whose `source` and `url` are the `WARC-Target-URI`. A `resource`
//! record (a page stored without HTTP headers) is yielded as it is. Other records (`request`,
//! `metadata`, `warcinfo`, …), responses that are not 2xx and responses whose type is not text
//! (images, scripts, fonts) are skipped and counted in [`WarcReader::skipped`].
//!
//! Damage ends the stream with one error ([`WarcError::Truncated`] or [`WarcError::Malformed`]);
//! the records read before it have already been yielded. Nothing here panics on any input.
//!
//! ```
//! use rasd_extract::warc::WarcReader;
//! let http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1256\r\n\r\n<p>x</p>";
//! let warc = format!(
//!     "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.com/a\r\n\
//!      Content-Length: {}\r\n\r\n{http}\r\n\r\n",
//!     http.len()
//! );
//! let mut r = WarcReader::new(std::io::Cursor::new(warc.into_bytes()));
//! let page = r.next().unwrap().unwrap();
//! assert_eq!(page.source, "https://example.com/a");
//! assert_eq!(page.declared_charset.as_deref(), Some("windows-1256"));
//! assert_eq!(page.bytes, b"<p>x</p>");
//! assert!(r.next().is_none());
//! ```

use std::io::{BufRead, BufReader, Read};

use rasd_types::{PageFormat, RawPage};

/// Records whose block is larger than this are skipped (streamed past, never held).
pub const MAX_RECORD_BYTES: u64 = 32 * 1024 * 1024;
/// A decompressed HTTP body (gzip/deflate content-encoding) is cut at this size.
const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;
/// Longest WARC header line accepted.
const MAX_LINE: u64 = 64 * 1024;
/// Most header lines in one WARC record.
const MAX_HEADERS: usize = 512;

/// Why a WARC stream stopped, or why one record was not turned into a page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WarcError {
    /// The file ends (or its compression breaks) in the middle of a record.
    #[error("truncated or corrupt WARC after {records} records: {reason}")]
    Truncated {
        /// Records read completely before the damage.
        records: u64,
        /// What went wrong.
        reason: String,
    },
    /// Bytes where a WARC record header should start are not one.
    #[error("malformed WARC after {records} records: {reason}")]
    Malformed {
        /// Records read completely before the damage.
        records: u64,
        /// What went wrong.
        reason: String,
    },
    /// One record could not be used (the stream goes on).
    #[error("{uri}: {reason}")]
    Record {
        /// The record's target URI.
        uri: String,
        /// What went wrong.
        reason: String,
    },
}

impl WarcError {
    /// Whether the stream ends after this error (damage), rather than one record being skipped.
    pub fn is_fatal(&self) -> bool {
        !matches!(self, WarcError::Record { .. })
    }
}

/// Whether bytes look like the start of a WARC file (plain, or gzip whose first member
/// starts with `WARC/`).
///
/// ```
/// use rasd_extract::warc::looks_like_warc;
/// assert!(looks_like_warc(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n"));
/// assert!(!looks_like_warc(b"<html><body>WARC/1.0</body></html>"));
/// ```
pub fn looks_like_warc(head: &[u8]) -> bool {
    if head.starts_with(b"WARC/") {
        return true;
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        let mut d = flate2::read::GzDecoder::new(head);
        let mut buf = [0u8; 5];
        let mut got = 0;
        while got < buf.len() {
            match d.read(&mut buf[got..]) {
                Ok(0) | Err(_) => break,
                Ok(n) => got += n,
            }
        }
        return got == buf.len() && &buf == b"WARC/";
    }
    false
}

/// Streaming reader of WARC records; an iterator of pages (see the module docs).
pub struct WarcReader {
    reader: Box<dyn BufRead>,
    records: u64,
    skipped: u64,
    done: bool,
}

impl WarcReader {
    /// Reads a WARC stream, plain or gzip-compressed (sniffed from the first bytes; a `.warc.gz`
    /// of many gzip members is read through).
    pub fn new<R: Read + 'static>(reader: R) -> WarcReader {
        let mut buffered = BufReader::with_capacity(64 * 1024, reader);
        let gz = matches!(buffered.fill_buf(), Ok(b) if b.starts_with(&[0x1f, 0x8b]));
        let reader: Box<dyn BufRead> = if gz {
            Box::new(BufReader::with_capacity(
                64 * 1024,
                flate2::read::MultiGzDecoder::new(buffered),
            ))
        } else {
            Box::new(buffered)
        };
        WarcReader {
            reader,
            records: 0,
            skipped: 0,
            done: false,
        }
    }

    /// Records read completely so far (pages and skipped ones).
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Records skipped so far: not responses, not 2xx, not text, or too large.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    fn truncated(&mut self, reason: impl Into<String>) -> WarcError {
        self.done = true;
        WarcError::Truncated {
            records: self.records,
            reason: reason.into(),
        }
    }

    fn malformed(&mut self, reason: impl Into<String>) -> WarcError {
        self.done = true;
        WarcError::Malformed {
            records: self.records,
            reason: reason.into(),
        }
    }

    /// One header line without its line ending; `Ok(None)` at a clean end of stream.
    fn line(&mut self) -> Result<Option<Vec<u8>>, WarcError> {
        let mut buf = Vec::new();
        let got = (&mut self.reader)
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut buf);
        match got {
            Ok(0) => Ok(None),
            Ok(_) => {
                if buf.len() as u64 > MAX_LINE {
                    return Err(self.malformed("header line too long"));
                }
                if !buf.ends_with(b"\n") {
                    return Err(self.truncated("file ends inside a record header"));
                }
                while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                    buf.pop();
                }
                Ok(Some(buf))
            }
            Err(e) => Err(self.truncated(e.to_string())),
        }
    }

    /// The next record's headers; `Ok(None)` at a clean end of stream.
    fn headers(&mut self) -> Result<Option<Vec<(String, String)>>, WarcError> {
        // Skip the blank lines that end the previous record.
        let version = loop {
            match self.line()? {
                None => return Ok(None),
                Some(l) if l.iter().all(|b| b.is_ascii_whitespace()) => continue,
                Some(l) => break l,
            }
        };
        if !version.starts_with(b"WARC/") {
            return Err(self.malformed("expected a WARC/1.x record header"));
        }
        let mut headers = Vec::new();
        loop {
            let Some(l) = self.line()? else {
                return Err(self.truncated("file ends inside a record header"));
            };
            if l.is_empty() {
                return Ok(Some(headers));
            }
            if headers.len() >= MAX_HEADERS {
                return Err(self.malformed("too many header lines"));
            }
            let l = String::from_utf8_lossy(&l);
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
    }

    fn skip_block(&mut self, len: u64) -> Result<(), WarcError> {
        match std::io::copy(&mut (&mut self.reader).take(len), &mut std::io::sink()) {
            Ok(n) if n == len => Ok(()),
            Ok(_) => Err(self.truncated("file ends inside a record block")),
            Err(e) => Err(self.truncated(e.to_string())),
        }
    }

    fn read_block(&mut self, len: u64) -> Result<Vec<u8>, WarcError> {
        let mut block = Vec::with_capacity(usize::try_from(len.min(1 << 20)).unwrap_or(0));
        match (&mut self.reader).take(len).read_to_end(&mut block) {
            Ok(n) if n as u64 == len => Ok(block),
            Ok(_) => Err(self.truncated("file ends inside a record block")),
            Err(e) => Err(self.truncated(e.to_string())),
        }
    }
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
    h.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

impl Iterator for WarcReader {
    type Item = Result<RawPage, WarcError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            let h = match self.headers() {
                Ok(Some(h)) => h,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => return Some(Err(e)),
            };
            let Some(len) = header(&h, "content-length").and_then(|v| v.trim().parse::<u64>().ok())
            else {
                return Some(Err(self.malformed("record without a valid Content-Length")));
            };
            let kind = header(&h, "warc-type").unwrap_or("").to_ascii_lowercase();
            let wanted = kind == "response" || kind == "resource";
            if !wanted || len > MAX_RECORD_BYTES {
                if let Err(e) = self.skip_block(len) {
                    return Some(Err(e));
                }
                self.records += 1;
                self.skipped += 1;
                continue;
            }
            let block = match self.read_block(len) {
                Ok(b) => b,
                Err(e) => return Some(Err(e)),
            };
            self.records += 1;
            let uri = header(&h, "warc-target-uri")
                .map(|u| u.trim_matches(|c| c == '<' || c == '>').to_string())
                .filter(|u| !u.is_empty());
            let source = uri
                .clone()
                .unwrap_or_else(|| format!("warc record {}", self.records));
            let record_type = header(&h, "content-type").unwrap_or("");
            let is_http = record_type
                .to_ascii_lowercase()
                .contains("application/http")
                || block.starts_with(b"HTTP/");
            let parsed = if kind == "response" && is_http {
                http_response(&block)
            } else {
                Ok(Some(Http {
                    content_type: Some(record_type.to_string()).filter(|s| !s.is_empty()),
                    body: block,
                }))
            };
            match parsed {
                Ok(Some(resp)) => {
                    let ct = resp
                        .content_type
                        .as_deref()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    if !is_textual(&ct) {
                        self.skipped += 1;
                        continue;
                    }
                    let format = if ct.contains("html") || ct.contains("xml") {
                        PageFormat::Html
                    } else {
                        PageFormat::Auto
                    };
                    let mut page = RawPage::new(source, resp.body, format);
                    page.declared_charset = charset_of(&ct);
                    page.url = uri;
                    return Some(Ok(page));
                }
                Ok(None) => {
                    self.skipped += 1;
                    continue;
                }
                Err(reason) => {
                    return Some(Err(WarcError::Record {
                        uri: source,
                        reason,
                    }))
                }
            }
        }
    }
}

/// Text pages only: HTML, XHTML, plain text, or no type stated.
fn is_textual(ct: &str) -> bool {
    let main = ct.split(';').next().unwrap_or("").trim();
    main.is_empty()
        || main.starts_with("text/html")
        || main.starts_with("text/plain")
        || main == "application/xhtml+xml"
        || main == "text/xml"
        || main == "application/xml"
}

/// The `charset=` parameter of a Content-Type value.
fn charset_of(ct: &str) -> Option<String> {
    ct.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset"))
            .then(|| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
            .filter(|v| !v.is_empty())
    })
}

struct Http {
    content_type: Option<String>,
    body: Vec<u8>,
}

/// Split an HTTP response into headers and body; `Ok(None)` for a response that is not 2xx.
fn http_response(block: &[u8]) -> Result<Option<Http>, String> {
    let (head_end, body_start) = match find(block, b"\r\n\r\n") {
        Some(i) => (i, i + 4),
        None => match find(block, b"\n\n") {
            Some(i) => (i, i + 2),
            None => (block.len(), block.len()),
        },
    };
    let head = String::from_utf8_lossy(block.get(..head_end).unwrap_or(&[]));
    let mut lines = head.lines();
    let status = lines.next().unwrap_or("");
    let code: u16 = status
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    if !(200..300).contains(&code) {
        return Ok(None);
    }
    let mut content_type = None;
    let mut chunked = false;
    let mut encoding = String::new();
    for l in lines {
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        let k = k.trim().to_ascii_lowercase();
        let v = v.trim();
        match k.as_str() {
            "content-type" => content_type = Some(v.to_string()),
            "transfer-encoding" => chunked |= v.to_ascii_lowercase().contains("chunked"),
            "content-encoding" => encoding = v.to_ascii_lowercase(),
            _ => {}
        }
    }
    let raw = block.get(body_start..).unwrap_or(&[]);
    let body = if chunked { dechunk(raw) } else { raw.to_vec() };
    let body = match encoding.trim() {
        "" | "identity" => body,
        "gzip" | "x-gzip" => inflate(flate2::read::MultiGzDecoder::new(body.as_slice()))
            .ok_or("broken gzip content-encoding")?,
        "deflate" => inflate(flate2::read::ZlibDecoder::new(body.as_slice()))
            .or_else(|| inflate(flate2::read::DeflateDecoder::new(body.as_slice())))
            .ok_or("broken deflate content-encoding")?,
        other => return Err(format!("unsupported content-encoding {other}")),
    };
    Ok(Some(Http { content_type, body }))
}

/// Decompress up to [`MAX_BODY_BYTES`]; `None` when nothing could be decoded.
fn inflate(r: impl Read) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    match r.take(MAX_BODY_BYTES).read_to_end(&mut out) {
        Ok(_) => Some(out),
        // A body cut short still gives what was decoded before the cut.
        Err(_) if !out.is_empty() => Some(out),
        Err(_) => None,
    }
}

/// Decode `Transfer-Encoding: chunked`; on a malformed size line, keep what was decoded and
/// append the rest as it is (archives sometimes store bodies already de-chunked).
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    loop {
        let Some(eol) = find(raw, b"\n") else {
            out.extend_from_slice(raw);
            return out;
        };
        let line = String::from_utf8_lossy(raw.get(..eol).unwrap_or(&[]));
        let size_txt = line.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_txt, 16) else {
            out.extend_from_slice(raw);
            return out;
        };
        let start = eol + 1;
        if size == 0 {
            return out;
        }
        let end = start.saturating_add(size).min(raw.len());
        out.extend_from_slice(raw.get(start..end).unwrap_or(&[]));
        raw = raw.get(end..).unwrap_or(&[]);
        // The CRLF after a chunk.
        if raw.starts_with(b"\r\n") {
            raw = raw.get(2..).unwrap_or(&[]);
        } else if raw.starts_with(b"\n") {
            raw = raw.get(1..).unwrap_or(&[]);
        }
        if raw.is_empty() {
            return out;
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-01-02T03:04:05Z\r\n\
             Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn http(headers: &str, body: &[u8]) -> Vec<u8> {
        let mut v = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
        v.extend_from_slice(body);
        v
    }

    fn read_all(bytes: Vec<u8>) -> (Vec<RawPage>, Vec<WarcError>, u64) {
        let mut r = WarcReader::new(std::io::Cursor::new(bytes));
        let mut pages = vec![];
        let mut errs = vec![];
        for item in r.by_ref() {
            match item {
                Ok(p) => pages.push(p),
                Err(e) => errs.push(e),
            }
        }
        (pages, errs, r.skipped())
    }

    fn sample() -> Vec<u8> {
        let mut w = Vec::new();
        w.extend_from_slice(
            b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 9\r\n\r\nsoftware\n\r\n\r\n",
        );
        w.extend(record(
            "request",
            "https://a.example/1",
            b"GET /1 HTTP/1.1\r\n\r\n",
        ));
        w.extend(record(
            "response",
            "https://a.example/1",
            &http(
                "Content-Type: text/html; charset=\"ISO-8859-6\"\r\n",
                b"<p>one</p>",
            ),
        ));
        let chunked = b"4\r\n<p>t\r\n6;ext=1\r\nwo</p>\r\n0\r\n\r\n";
        w.extend(record(
            "response",
            "<https://a.example/2>",
            &http(
                "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
                chunked,
            ),
        ));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all("<p>ثلاثة</p>".as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        w.extend(record(
            "response",
            "https://a.example/3",
            &http(
                "Content-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n",
                &gz,
            ),
        ));
        w.extend(record(
            "response",
            "https://a.example/logo.png",
            &http("Content-Type: image/png\r\n", b"\x89PNG...."),
        ));
        let mut redirect = b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n".to_vec();
        redirect.extend_from_slice(b"");
        w.extend(record("response", "https://a.example/old", &redirect));
        w
    }

    #[test]
    fn response_records_become_pages() {
        let (pages, errs, skipped) = read_all(sample());
        assert!(errs.is_empty(), "{errs:?}");
        let got: Vec<(&str, &[u8], Option<&str>)> = pages
            .iter()
            .map(|p| {
                (
                    p.source.as_str(),
                    p.bytes.as_slice(),
                    p.declared_charset.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "https://a.example/1",
                    &b"<p>one</p>"[..],
                    Some("iso-8859-6")
                ),
                ("https://a.example/2", &b"<p>two</p>"[..], None),
                (
                    "https://a.example/3",
                    "<p>ثلاثة</p>".as_bytes(),
                    Some("utf-8")
                ),
            ]
        );
        assert!(pages.iter().all(|p| p.format == PageFormat::Html));
        assert_eq!(pages[1].url.as_deref(), Some("https://a.example/2"));
        // warcinfo, request, image, redirect
        assert_eq!(skipped, 4);
    }

    #[test]
    fn gzip_members_per_record_are_read_through() {
        let mut w = Vec::new();
        for i in 0..3 {
            let rec = record(
                "response",
                &format!("https://a.example/{i}"),
                &http(
                    "Content-Type: text/html\r\n",
                    format!("<p>{i}</p>").as_bytes(),
                ),
            );
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(&rec).unwrap();
            w.extend(gz.finish().unwrap());
        }
        assert!(looks_like_warc(&w));
        let (pages, errs, _) = read_all(w);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[2].bytes, b"<p>2</p>");
    }

    #[test]
    fn truncation_keeps_records_before_the_damage() {
        let full = sample();
        // Cut inside the third response (the gzip one).
        let third = full
            .windows(19)
            .position(|w| w == b"https://a.example/3")
            .unwrap();
        let cut_at = third + 120;
        let (pages, errs, _) = read_all(full[..cut_at].to_vec());
        assert_eq!(pages.len(), 2, "{pages:?}");
        assert_eq!(errs.len(), 1);
        assert!(errs[0].is_fatal());
        assert!(errs[0].to_string().contains("truncated"), "{}", errs[0]);

        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&full).unwrap();
        let gz = gz.finish().unwrap();
        let (pages, errs, _) = read_all(gz[..gz.len() * 3 / 4].to_vec());
        assert!(pages.len() < 3);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].is_fatal());
    }

    #[test]
    fn malformed_inputs_end_with_one_error() {
        let cases: Vec<(&[u8], &str)> = vec![
            (b"<html>not a warc</html>\n", "malformed"),
            (
                b"WARC/1.0\r\nWARC-Type: response\r\n\r\nbody",
                "Content-Length",
            ),
            (
                b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99\r\n\r\nshort",
                "truncated",
            ),
            (
                b"WARC/1.0\r\nWARC-Type: response\r\nContent-Le",
                "truncated",
            ),
            (
                b"WARC/1.0\r\nContent-Length: 18446744073709551615\r\n\r\n",
                "truncated",
            ),
        ];
        for (input, want) in cases {
            let (pages, errs, _) = read_all(input.to_vec());
            assert!(pages.is_empty());
            assert_eq!(errs.len(), 1, "{input:?}");
            assert!(errs[0].to_string().contains(want), "{}: {}", want, errs[0]);
        }
        let (pages, errs, _) = read_all(Vec::new());
        assert!(pages.is_empty() && errs.is_empty());
    }

    #[test]
    fn a_bad_record_is_skipped_not_fatal() {
        let mut w = record(
            "response",
            "https://a.example/br",
            &http(
                "Content-Type: text/html\r\nContent-Encoding: br\r\n",
                b"\x0b\x02\x80",
            ),
        );
        w.extend(record(
            "response",
            "https://a.example/ok",
            &http("Content-Type: text/html\r\n", b"<p>ok</p>"),
        ));
        let (pages, errs, _) = read_all(w);
        assert_eq!(pages.len(), 1);
        assert_eq!(errs.len(), 1);
        assert!(!errs[0].is_fatal());
        assert!(errs[0]
            .to_string()
            .starts_with("https://a.example/br: unsupported"));
    }

    #[test]
    fn dechunk_cases() {
        let cases: [(&[u8], &[u8]); 4] = [
            (b"3\r\nabc\r\n0\r\n\r\n", b"abc"),
            (b"2\nab\n1\nc\n0\n", b"abc"),
            (b"not chunked at all", b"not chunked at all"),
            (b"ff\r\nshort", b"short"),
        ];
        for (input, want) in cases {
            assert_eq!(dechunk(input), want, "{input:?}");
        }
    }

    #[test]
    fn charset_parameter() {
        let cases = [
            ("text/html; charset=windows-1256", Some("windows-1256")),
            ("text/html;charset=\"UTF-8\"", Some("UTF-8")),
            ("text/html", None),
            ("text/html; charset=", None),
        ];
        for (ct, want) in cases {
            assert_eq!(charset_of(ct).as_deref(), want, "{ct}");
        }
    }
}
