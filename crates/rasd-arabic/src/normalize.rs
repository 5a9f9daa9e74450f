//! Unicode and orthographic normalization with an offset map back to the original text.
//!
//! Two levels:
//! * [`normalize_display`]: NFC, invisible characters removed, typographic quotes and Unicode spaces
//!   unified, Arabic presentation forms replaced by base letters. Safe to show to a user.
//! * [`normalize_search`]: display, plus diacritics removed and the usual Arabic letter-variant
//!   foldings (hamza seats, alef maqsura, ta marbuta, Persian letters, digits), Latin lowercased.
//!   Use it (or the allocation-free [`search_key`] / [`search_key_into`]) for matching and indexing.

use unicode_normalization::char::{canonical_combining_class, decompose_compatible};
use unicode_normalization::{is_nfc, is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Normalized text plus a byte-offset map back into the original text.
///
/// `map[i]` is the byte offset in the original text of output byte `i`; `map.len() == text.len() + 1`
/// and the last entry is the original length. The map is monotone (non-decreasing) and every entry
/// lies on a char boundary of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    /// Original byte offset for every output byte, plus one final entry (original length).
    pub map: Vec<usize>,
}

impl Normalized {
    /// Maps an output byte range back to the original text's byte range.
    ///
    /// Out-of-range positions are clamped; the result is always a valid range of the original.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let last = self.map.len().saturating_sub(1);
        let s = self.map.get(start.min(last)).copied().unwrap_or(0);
        // The end maps to the origin of the first byte *after* the range.
        let e = self.map.get(end.min(last)).copied().unwrap_or(s);
        (s, e.max(s))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Display,
    Search,
}

/// Receives normalized characters together with their original byte offset.
trait Sink {
    fn push(&mut self, c: char, origin: usize);
}

struct MapSink<'a> {
    text: &'a mut String,
    map: &'a mut Vec<usize>,
}

impl Sink for MapSink<'_> {
    #[inline]
    fn push(&mut self, c: char, origin: usize) {
        self.text.push(c);
        for _ in 0..c.len_utf8() {
            self.map.push(origin);
        }
    }
}

struct StrSink<'a>(&'a mut String);

impl Sink for StrSink<'_> {
    #[inline]
    fn push(&mut self, c: char, _origin: usize) {
        self.0.push(c);
    }
}

/// NFC, invisible characters removed, quotes unified, presentation forms → base letters.
///
/// ```
/// let n = rasd_arabic::normalize_display("«سوريـــا»\u{200f}");
/// assert_eq!(n.text, "\"سوريا\"");
/// assert_eq!(n.map.len(), n.text.len() + 1);
/// ```
pub fn normalize_display(text: &str) -> Normalized {
    normalize_with_map(text, Level::Display)
}

/// Display normalization plus diacritics stripped and letter variants folded (see module docs).
///
/// ```
/// let n = rasd_arabic::normalize_search("الأمريكيّة ٢٠١٧ UN");
/// assert_eq!(n.text, "الامريكيه 2017 un");
/// ```
pub fn normalize_search(text: &str) -> Normalized {
    normalize_with_map(text, Level::Search)
}

/// The search form of `word` (equal to `normalize_search(word).text`) without building a map.
///
/// ```
/// assert_eq!(rasd_arabic::search_key("أستانة"), "استانه");
/// ```
pub fn search_key(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    search_key_into(word, &mut out);
    out
}

/// Appends the search form of `word` to `out` (no allocation when `out` has capacity).
pub fn search_key_into(word: &str, out: &mut String) {
    out.reserve(word.len());
    run(word, Level::Search, &mut StrSink(out));
}

fn normalize_with_map(text: &str, level: Level) -> Normalized {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    run(
        text,
        level,
        &mut MapSink {
            text: &mut out,
            map: &mut map,
        },
    );
    map.push(text.len());
    Normalized { text: out, map }
}

/// Characters that are NFC-stable on their own and never combine with a neighbour.
#[inline]
fn simple(c: char) -> bool {
    let u = c as u32;
    u < 0x300
        || (0x600..=0x60F).contains(&u)
        || (0x61B..=0x64A).contains(&u)
        || (0x660..=0x66F).contains(&u)
        || (0x671..=0x6D5).contains(&u)
}

/// Whether `c` must stay in the same NFC chunk as the character before it.
#[inline]
fn continues_chunk(c: char) -> bool {
    !simple(c)
        && (canonical_combining_class(c) != 0
            || is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes)
}

fn run<S: Sink>(text: &str, level: Level, sink: &mut S) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII fast path (unless a combining character follows).
        if b < 0x80 && bytes.get(i + 1).is_none_or(|&n| n < 0x80) {
            let c = if level == Level::Search {
                b.to_ascii_lowercase() as char
            } else {
                b as char
            };
            sink.push(c, i);
            i += 1;
            continue;
        }
        // Search-level fast path for the Arabic block (two-byte sequences D8..DB xx): one table
        // lookup. NFC is not needed there: everything NFC could compose in this block ends up
        // folded to the same letter once the combining marks are stripped.
        if level == Level::Search && (0xD8..=0xDB).contains(&b) {
            if let Some(&b2) = bytes.get(i + 1) {
                let idx = (usize::from(b & 0x03) << 6) | usize::from(b2 & 0x3F);
                if let Some(&f) = SEARCH_06.get(idx) {
                    if let Some(c) = char::from_u32(f).filter(|_| f != 0) {
                        sink.push(c, i);
                    }
                    i += 2;
                    continue;
                }
            }
        }
        let rest = &text[i..];
        let mut it = rest.char_indices();
        let Some((_, c)) = it.next() else { break };
        let mut end = i + c.len_utf8();
        // Extend the chunk over following characters NFC might combine with it, and over invisible
        // characters (which are removed) standing between them, so that the result is the same as
        // removing first and composing after.
        let mut has_invisible = false;
        while let Some((off, d)) = it.next() {
            if continues_chunk(d) {
                end = i + off + d.len_utf8();
            } else if is_invisible(d) {
                let mut ahead = it.clone();
                match ahead.find(|&(_, e)| !is_invisible(e)) {
                    Some((_, e)) if continues_chunk(e) => has_invisible = true,
                    _ => break,
                }
            } else {
                break;
            }
        }
        let chunk = &text[i..end];
        if has_invisible {
            let visible: String = chunk.chars().filter(|&d| !is_invisible(d)).collect();
            for d in visible.nfc() {
                map_char(d, i, level, sink);
            }
        } else if end == i + c.len_utf8() {
            if simple(c) || is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes {
                map_char(c, i, level, sink);
            } else {
                for d in chunk.nfc() {
                    map_char(d, i, level, sink);
                }
            }
        } else if is_nfc(chunk) {
            for (off, d) in chunk.char_indices() {
                map_char(d, i + off, level, sink);
            }
        } else {
            for d in chunk.nfc() {
                map_char(d, i, level, sink);
            }
        }
        i = end;
    }
}

/// Characters removed at every level: tatweel, soft hyphen, Arabic letter mark, zero-width and
/// bidi controls, word joiner and invisible operators, BOM.
#[inline]
fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x640 | 0xAD | 0x61C | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064
        | 0x2066..=0x2069 | 0xFEFF)
}

/// Display-level treatment of one (NFC) character.
#[inline]
fn map_char<S: Sink>(c: char, origin: usize, level: Level, sink: &mut S) {
    if is_invisible(c) {
        return;
    }
    let u = c as u32;
    match u {
        // Quotes.
        0x201C | 0x201D | 0xAB | 0xBB | 0x201E | 0x201F | 0x2033 => emit(level, '"', origin, sink),
        0x2018 | 0x2019 | 0x201A | 0x201B | 0x2032 => emit(level, '\'', origin, sink),
        // Unicode spaces → plain space.
        0xA0 | 0x2000..=0x200A | 0x202F | 0x205F | 0x3000 => emit(level, ' ', origin, sink),
        // Arabic presentation forms → base letters (compatibility decomposition, then NFC).
        0xFB50..=0xFDFF | 0xFE70..=0xFEFE => {
            let mut tmp = String::new();
            decompose_compatible(c, |d| tmp.push(d));
            // Isolated harakat (FE70..FE7F) decompose to a space + mark: drop the space.
            let s = if (0xFE70..=0xFE7F).contains(&u) {
                tmp.trim_start_matches(' ')
            } else {
                tmp.as_str()
            };
            for d in s.nfc() {
                emit(level, d, origin, sink);
            }
        }
        _ => emit(level, c, origin, sink),
    }
}

/// Search-level result for U+0600..=U+06FF (0 = dropped).
static SEARCH_06: [u32; 256] = build_search_06();

const fn build_search_06() -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut k = 0;
    while k < 256 {
        let u = 0x600 + k as u32;
        t[k] = match u {
            0x640 | 0x61C => 0,
            _ => fold_search(u),
        };
        k += 1;
    }
    t
}

/// Search folding of one code point in U+0600..=U+06FF (0 = dropped); other code points unchanged.
const fn fold_search(u: u32) -> u32 {
    match u {
        // Diacritics and Quranic annotation marks.
        0x610..=0x61A
        | 0x64B..=0x65F
        | 0x670
        | 0x6D6..=0x6DC
        | 0x6DF..=0x6E8
        | 0x6EA..=0x6ED
        | 0x8D3..=0x8FF => 0,
        // Alef variants.
        0x622 | 0x623 | 0x625 | 0x671 | 0x672 | 0x673 | 0x675 => 0x627,
        0x649 => 0x64A,                         // alef maqsura → yeh
        0x629 => 0x647,                         // ta marbuta → heh
        0x624 => 0x648,                         // waw with hamza → waw
        0x626 => 0x64A,                         // yeh with hamza → yeh
        0x6A9 | 0x6AA => 0x643,                 // keheh, swash kaf → kaf
        0x6CC | 0x6D0 => 0x64A,                 // Farsi yeh, yeh → yeh
        0x6C0 | 0x6C1 | 0x6C2 | 0x6D5 => 0x647, // heh with yeh, heh goal, ae → heh
        0x6D3 => 0x6D2,                         // yeh barree with hamza → yeh barree
        0x660..=0x669 => u - 0x660 + 0x30,
        0x6F0..=0x6F9 => u - 0x6F0 + 0x30,
        0x66B => 0x2E, // Arabic decimal separator → .
        0x66C => 0x2C, // Arabic thousands separator → ,
        0x66A => 0x25, // Arabic percent → %
        _ => u,
    }
}

/// Search-level folding (no-op for the display level).
#[inline]
fn emit<S: Sink>(level: Level, c: char, origin: usize, sink: &mut S) {
    if level == Level::Display {
        sink.push(c, origin);
        return;
    }
    let u = c as u32;
    if (0x600..=0x6FF).contains(&u) || (0x8D3..=0x8FF).contains(&u) {
        if let Some(f) = char::from_u32(fold_search(u)).filter(|&f| f != '\0') {
            sink.push(f, origin);
        }
        return;
    }
    if c.is_uppercase() {
        for l in c.to_lowercase() {
            sink.push(l, origin);
        }
        return;
    }
    sink.push(c, origin);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_map(orig: &str, n: &Normalized) {
        assert_eq!(n.map.len(), n.text.len() + 1, "map length for {orig:?}");
        assert_eq!(n.map.last().copied(), Some(orig.len()));
        for w in n.map.windows(2) {
            assert!(w[0] <= w[1], "map not monotone for {orig:?}: {:?}", n.map);
        }
        for &m in &n.map {
            assert!(
                orig.is_char_boundary(m),
                "map entry {m} not on a char boundary in {orig:?}"
            );
        }
    }

    #[test]
    fn display_table() {
        let cases: &[(&str, &str)] = &[
            ("سوريـــا", "سوريا"),
            ("«قمة» و“حوار”", "\"قمة\" و\"حوار\""),
            ("‘x’", "'x'"),
            ("في\u{200f} الأردن\u{200b}", "في الأردن"),
            ("\u{feff}نص", "نص"),
            ("\u{202b}عربي\u{202c}", "عربي"),
            ("عاجل، وقال؛ هل؟", "عاجل، وقال؛ هل؟"),
            ("ﻻ", "لا"),
            ("ﺍﻟﻌﺮﺑﻴﺔ", "العربية"),
            ("ﻷن", "لأن"),
            // NFC: alef + combining hamza above composes to أ.
            ("\u{627}\u{654}", "أ"),
            ("\u{627}\u{640}\u{654}", "أ"),
            ("e\u{200d}\u{301}", "é"),
            ("e\u{301}", "é"),
            ("a\u{a0}b", "a b"),
            // Diacritics are kept at display level.
            ("مُحَمَّد", "مُحَمَّد"),
            ("", ""),
        ];
        for (inp, want) in cases {
            let n = normalize_display(inp);
            assert_eq!(n.text, *want, "display({inp:?})");
            check_map(inp, &n);
        }
    }

    #[test]
    fn search_table() {
        let cases: &[(&str, &str)] = &[
            ("مُحَمَّدٌ", "محمد"),
            ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),
            ("مستشفى", "مستشفي"),
            ("مدرسة", "مدرسه"),
            ("مؤتمر", "موتمر"),
            ("رئيس", "رييس"),
            ("٢٠١٧ ۲۰۱۸", "2017 2018"),
            ("کتاب ی", "كتاب ي"),
            ("Reuters CNN", "reuters cnn"),
            ("الأمريكيّة", "الامريكيه"),
            ("ﻷن", "لان"),
            ("\u{627}\u{654}", "ا"),
            ("3٫5", "3.5"),
            ("ـــ", ""),
            // Negative: plain letters and punctuation survive.
            ("بيروت، لبنان.", "بيروت، لبنان."),
            ("ء", "ء"),
        ];
        for (inp, want) in cases {
            let n = normalize_search(inp);
            assert_eq!(n.text, *want, "search({inp:?})");
            check_map(inp, &n);
            assert_eq!(search_key(inp), *want, "search_key({inp:?})");
        }
    }

    #[test]
    fn map_points_back() {
        let s = "قال «الرئيسُ» إن";
        let n = normalize_search(s);
        let pos = n.text.find("الرييس").unwrap_or(usize::MAX);
        assert_ne!(pos, usize::MAX);
        let (a, b) = n.original_range(pos, pos + "الرييس".len());
        // The range ends where the next output character starts: the dropped damma stays inside.
        assert_eq!(&s[a..b], "الرئيسُ");
    }

    #[test]
    fn search_key_into_appends() {
        let mut buf = String::from("x:");
        search_key_into("أمريكا", &mut buf);
        assert_eq!(buf, "x:امريكا");
    }

    #[test]
    fn arbitrary_inputs_do_not_panic_and_keep_invariants() {
        let inputs = [
            "\u{301}\u{301}abc",
            "\u{654}",
            "\u{1100}\u{1161}\u{11a8}",
            "\u{fdfa}",
            "\u{fe70}\u{fe71}",
            "İstanbul",
            "𝔸 😀 \u{10FFFF}",
            "a\u{0}b",
        ];
        for s in inputs {
            for n in [normalize_display(s), normalize_search(s)] {
                check_map(s, &n);
            }
            assert_eq!(search_key(s), normalize_search(s).text);
        }
    }
}
