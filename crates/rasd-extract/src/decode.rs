//! Turning page bytes into text: BOMs, declared and meta charsets, detection.

use std::borrow::Cow;
use std::sync::LazyLock;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use regex::bytes::Regex;

/// Why a page's bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// No bytes, or only whitespace.
    #[error("empty file")]
    Empty,
    /// NUL bytes without a UTF-16 byte-order mark.
    #[error("binary data (NUL bytes at offset {offset}), not a text page")]
    Binary {
        /// Byte offset of the first NUL.
        offset: usize,
    },
    /// Too many control bytes for text.
    #[error("binary data ({percent}% control bytes), not a text page")]
    ControlBytes {
        /// Share of control bytes in the sample, in percent.
        percent: u32,
    },
    /// The bytes do not decode in the encoding they claim or were detected as.
    #[error("undecodable: {reason}")]
    Undecodable {
        /// What went wrong, e.g. `invalid UTF-16`.
        reason: String,
    },
}

/// Text decoded from a page, with the name of the encoding it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text (BOM removed).
    pub text: String,
    /// The encoding's canonical name: `UTF-8`, `UTF-16LE`, `windows-1256`, `ISO-8859-6`, …
    pub encoding: &'static str,
}

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_\-:.]+)"#)
        .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

/// Bit `b` set for the bytes below 0x20 that [`is_control_byte`] counts.
const CONTROL_MASK: u32 = {
    let mut m = 0u32;
    let mut b = 0;
    while b < 0x20 {
        if is_control_byte(b) {
            m |= 1 << b;
        }
        b += 1;
    }
    m
};

/// Bytes that are control characters in any ASCII-compatible text (not TAB, LF, FF, CR, ESC).
const fn is_control_byte(b: u8) -> bool {
    matches!(b, 0x01..=0x08 | 0x0B | 0x0E..=0x1A | 0x1C..=0x1F | 0x7F)
}

/// The charset named by `<meta charset>` or `http-equiv` content in the first 4 KB.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..bytes.len().min(4096))?;
    let caps = META_CHARSET.captures(head)?;
    Encoding::for_label(caps.get(1)?.as_bytes())
}

/// Decode strictly with `enc`; for UTF-16 an odd length or unpaired surrogate is an error.
fn decode_utf16<'a>(bytes: &'a [u8], enc: &'static Encoding) -> Result<Text<'a>, ExtractError> {
    let name = if enc == UTF_16LE {
        "UTF-16LE"
    } else {
        "UTF-16BE"
    };
    if !bytes.len().is_multiple_of(2) {
        return Err(ExtractError::Undecodable {
            reason: format!("invalid {name} (odd number of bytes)"),
        });
    }
    match enc.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => finish(text, enc.name()),
        None => Err(ExtractError::Undecodable {
            reason: "invalid UTF-16".to_string(),
        }),
    }
}

/// Decoded text (borrowed from the bytes when they were valid UTF-8) and its encoding's name.
pub(crate) type Text<'a> = (Cow<'a, str>, &'static str);

/// Check the decoded text and wrap it.
fn finish<'a>(text: Cow<'a, str>, encoding: &'static str) -> Result<Text<'a>, ExtractError> {
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    // Byte searches (U+FFFD is EF BF BD in UTF-8); the characters are counted only when
    // something is bad, so a clean page costs two fast scans, not two decoding passes.
    let bytes = text.as_bytes();
    let bad = memchr::memmem::find_iter(bytes, "\u{FFFD}".as_bytes()).count()
        + memchr::memchr_iter(0, bytes).count();
    if bad > 0 && bad * 10 > text.chars().count() {
        let total = text.chars().count();
        return Err(ExtractError::Undecodable {
            reason: format!("{bad} of {total} characters undecodable as {encoding}"),
        });
    }
    Ok((text, encoding))
}

/// Decode with a non-UTF-16 encoding (replacement characters where bytes are invalid).
fn decode_with<'a>(bytes: &'a [u8], enc: &'static Encoding) -> Result<Text<'a>, ExtractError> {
    if enc == UTF_16LE || enc == UTF_16BE {
        return decode_utf16(bytes, enc);
    }
    let (text, _, _) = enc.decode(bytes);
    finish(text, enc.name())
}

/// Counts for UTF-8 validity: (valid non-ASCII chars, invalid bytes).
fn utf8_counts(bytes: &[u8]) -> (usize, usize) {
    let mut valid_multi = 0;
    let mut invalid = 0;
    for chunk in bytes.utf8_chunks() {
        valid_multi += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    (valid_multi, invalid)
}

/// Decode page bytes to text.
///
/// Order of evidence: a byte-order mark (UTF-8, UTF-16LE/BE); valid UTF-8;
/// the `declared` charset (HTTP header, JSONL field); `<meta charset>` or
/// `http-equiv` in the first 4 KB; UTF-8 with only a tiny share of invalid
/// bytes (decoded lossily); otherwise chardetng's guess. Empty or
/// whitespace-only input, NUL bytes without a UTF-16 BOM, a high share of
/// control bytes, and text that is mostly undecodable are errors.
///
/// ```
/// use rasd_extract::decode;
/// let d = decode(b"\xc7\xe1\xd4\xc7\xe3", Some("windows-1256")).unwrap();
/// assert_eq!(d.text, "الشام");
/// assert_eq!(d.encoding, "windows-1256");
/// assert!(decode(b"  \n", None).is_err());
/// ```
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Result<Decoded, ExtractError> {
    let (text, encoding) = decode_text(bytes, declared)?;
    Ok(Decoded {
        text: text.into_owned(),
        encoding,
    })
}

/// [`decode`] without copying text that is valid UTF-8 already.
pub(crate) fn decode_text<'a>(
    bytes: &'a [u8],
    declared: Option<&str>,
) -> Result<Text<'a>, ExtractError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ExtractError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(rest, UTF_16LE);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(rest, UTF_16BE);
    }
    let (bytes, had_bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    // NUL bytes mean binary data, unless they are a few strays deep in a long page (a
    // scraper's glitch): those are dropped.
    if let Some(offset) = memchr::memchr(0, bytes) {
        let nuls = memchr::memchr_iter(0, bytes).count();
        if offset < 1024 || nuls * 1000 > bytes.len() {
            return Err(ExtractError::Binary {
                offset: offset + if had_bom { 3 } else { 0 },
            });
        }
        let stripped: Vec<u8> = bytes.iter().copied().filter(|&b| b != 0).collect();
        return decode_clean(&stripped, had_bom, declared)
            .map(|(text, enc)| (Cow::Owned(text.into_owned()), enc));
    }
    decode_clean(bytes, had_bom, declared)
}

/// The rest of [`decode_text`], on bytes without NULs (and without the UTF-8 BOM, `had_bom`).
fn decode_clean<'a>(
    bytes: &'a [u8],
    had_bom: bool,
    declared: Option<&str>,
) -> Result<Text<'a>, ExtractError> {
    let sample = bytes.get(..bytes.len().min(65536)).unwrap_or(bytes);
    // Branch-free per byte (the compiler vectorizes it): `is_control_byte` as arithmetic.
    let controls: usize = sample
        .iter()
        .map(|&b| {
            let low = u32::from(b < 0x20) & (CONTROL_MASK >> (b & 0x1F));
            (low | u32::from(b == 0x7F)) as usize & 1
        })
        .sum();
    if !sample.is_empty() && controls * 100 > sample.len() * 2 {
        return Err(ExtractError::ControlBytes {
            percent: (controls * 100 / sample.len()) as u32,
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return finish(Cow::Borrowed(text), UTF_8.name());
    }
    let (valid_multi, invalid) = utf8_counts(bytes);
    if had_bom {
        return decode_with(bytes, UTF_8);
    }
    let declared_enc = declared.and_then(|l| Encoding::for_label(l.trim().as_bytes()));
    if let Some(enc) = declared_enc.or_else(|| meta_charset(bytes)) {
        // A label of UTF-8 on bytes that are not UTF-8 is wrong: fall through to detection.
        if enc != UTF_8 {
            return decode_with(bytes, enc);
        }
    }
    if invalid * 200 <= bytes.len() && valid_multi >= 20 * invalid {
        return decode_with(bytes, UTF_8);
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, Utf8Detection::Allow);
    decode_with(bytes, guess)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AR: &str = "أعلنت وزارة الخارجية الروسية اليوم أن المحادثات مع الولايات المتحدة حول سوريا ستستمر في جنيف الأسبوع المقبل.";

    fn utf16le(s: &str) -> Vec<u8> {
        let mut v = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_le_bytes());
        }
        v
    }

    fn utf16be(s: &str) -> Vec<u8> {
        let mut v = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_be_bytes());
        }
        v
    }

    #[test]
    fn control_mask_counts_the_control_bytes() {
        for b in 0..=255u8 {
            let low = u32::from(b < 0x20) & (CONTROL_MASK >> (b & 0x1F));
            let counted = (low | u32::from(b == 0x7F)) & 1 == 1;
            assert_eq!(counted, is_control_byte(b), "{b:#x}");
        }
    }

    #[test]
    fn utf8_plain_and_bom() {
        let d = decode(AR.as_bytes(), None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (AR, "UTF-8"));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(AR.as_bytes());
        let d = decode(&bom, None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (AR, "UTF-8"));
    }

    #[test]
    fn utf16_with_bom() {
        let d = decode(&utf16le(AR), None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (AR, "UTF-16LE"));
        let d = decode(&utf16be(AR), None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (AR, "UTF-16BE"));
        let mut odd = utf16le(AR);
        odd.push(0x41);
        assert!(matches!(
            decode(&odd, None),
            Err(ExtractError::Undecodable { .. })
        ));
        // Unpaired high surrogate.
        let bad = [0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00];
        let err = decode(&bad, None).unwrap_err();
        assert_eq!(err.to_string(), "undecodable: invalid UTF-16");
    }

    #[test]
    fn single_byte_arabic_encodings() {
        let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(AR);
        let d = decode(&cp1256, Some("windows-1256")).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (AR, "windows-1256"));
        let d = decode(&cp1256, Some("cp1256")).unwrap();
        assert_eq!(d.encoding, "windows-1256");
        // Undeclared: chardetng recognises Arabic in windows-1256.
        let long = format!("{AR}\n{AR}\nوقال مسؤول أميركي إن واشنطن تدرس الاقتراح الروسي.");
        let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(&long);
        let d = decode(&cp1256, None).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding),
            (long.as_str(), "windows-1256")
        );
        // ISO-8859-6 declared (it has no hamza-on-alef forms beyond the basic set; AR fits).
        let (iso, _, unmappable) = encoding_rs::ISO_8859_6.encode(AR);
        assert!(!unmappable);
        let d = decode(&iso, Some("ISO-8859-6")).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (AR, "ISO-8859-6"));
    }

    #[test]
    fn meta_charset_in_html() {
        let html = format!(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\"></head><body><p>{AR}</p></body></html>"
        );
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(&html);
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.encoding, "windows-1256");
        assert!(d.text.contains(AR));
        let html = format!("<meta charset='iso-8859-6'><p>{AR}</p>");
        let (bytes, _, _) = encoding_rs::ISO_8859_6.encode(&html);
        assert_eq!(decode(&bytes, None).unwrap().encoding, "ISO-8859-6");
    }

    #[test]
    fn utf8_with_a_few_bad_bytes_is_lossy_utf8() {
        let text = AR.repeat(5);
        let at = text.find(' ').unwrap_or(0);
        let mut bytes = text.into_bytes();
        bytes.insert(at, 0xFF);
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text.matches('\u{FFFD}').count(), 1);
    }

    #[test]
    fn stray_nul_bytes_deep_in_a_long_page_are_dropped() {
        let mut page = "<p>نص عربي طويل</p>".repeat(200).into_bytes();
        page.insert(3000, 0);
        let d = decode(&page, None).unwrap();
        assert!(!d.text.contains('\0'));
        assert_eq!(d.text.matches("نص عربي طويل").count(), 200);
        // Many NULs, or one near the start, are binary.
        let mut bin = page.clone();
        bin.insert(10, 0);
        assert!(decode(&bin, None).is_err());
        let many: Vec<u8> = page.iter().flat_map(|&b| [b, 0]).collect();
        assert!(decode(&many, None).is_err());
    }

    #[test]
    fn errors() {
        let cases: [(&[u8], &str); 5] = [
            (b"", "empty file"),
            (b" \n\t \r\n", "empty file"),
            (
                b"GIF89a\x00\x01\x02",
                "binary data (NUL bytes at offset 6), not a text page",
            ),
            (b"\xEF\xBB\xBF \n", "empty file"),
            (
                b"\x01\x02\x03\x04\x05\x06abc\x07\x08\x0b\x0e\x0f",
                "binary data (78% control bytes), not a text page",
            ),
        ];
        for (input, want) in cases {
            let err = decode(input, None).unwrap_err();
            assert_eq!(err.to_string(), want, "input {input:?}");
        }
        assert!(matches!(
            decode(b"\xFF\xFE", None),
            Err(ExtractError::Empty)
        ));
    }
}
