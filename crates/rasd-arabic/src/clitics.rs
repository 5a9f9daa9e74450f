//! Conservative clitic segmentation of search keys.
//!
//! Proclitics: conjunctions و ف, prepositions ب ك ل and the article ال, in their usual combinations
//! (وال، بال، فال، كال، لل، ولل، وبال …). Enclitics: the pronoun suffixes ها هم هما هن كم كما نا.
//!
//! Splitting is deliberately cautious:
//! * the article combinations are removed when at least 2 letters remain;
//! * a bare و is removed when at least 3 letters remain, unless the word is a known stem (وزير);
//! * a bare ف or ك (or وك) is removed only when what remains is a known stem from the crate's
//!   lexicon (فلبنان، كبريطانيا); a bare ب or ل (or وب ول فب فل) also before a derived form that native
//!   words do not start with after ب/ل: م/ت + 3 letters (بمدينة، لتعزيز), or a form VII/VIII/X masdar
//!   (لانتخابات، باستخدام);
//! * a word that is itself in the lexicon is never split (بيروت، فلسطين، البانيا، لبنان، كندا);
//! * pronoun enclitics are removed only when no article was found and at least 3 letters remain.
//!   A final ه and ي are never treated as pronouns here: after `search_key` a final ه is mostly the
//!   feminine ending (ة), and ي is mostly the nisba ending (أمريكي).

use crate::lexicon::{known_stems, known_words};
use crate::stem::{strip_one, SUFFIXES};

/// A word split into proclitics, stem and enclitics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segmentation<'a> {
    /// Proclitics in reading order, e.g. `["و", "ال"]`.
    pub proclitics: Vec<&'static str>,
    /// What remains of the key (a slice of it).
    pub stem: &'a str,
    /// Enclitics in reading order, e.g. `["ها"]`.
    pub enclitics: Vec<&'static str>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Contains the article: removed when ≥ 2 letters remain.
    Article,
    /// Bare conjunction و: removed when ≥ 3 letters remain.
    Waw,
    /// Removed only before a known stem.
    KnownOnly,
    /// Preposition ب or ل (possibly after و/ف): removed before a known stem, or before a derived
    /// noun/verb form that cannot start a native word after ب/ل (see [`derived_form`]).
    Prep,
}

type Proclitic = (&'static str, &'static [&'static str], Rule);

/// Proclitic sequences grouped by first letter, longest first, with their parts.
const WAW: &[Proclitic] = &[
    ("وبال", &["و", "ب", "ال"], Rule::Article),
    ("وكال", &["و", "ك", "ال"], Rule::Article),
    ("ولل", &["و", "ل", "ال"], Rule::Article),
    ("وال", &["و", "ال"], Rule::Article),
    ("وب", &["و", "ب"], Rule::Prep),
    ("ول", &["و", "ل"], Rule::Prep),
    ("وك", &["و", "ك"], Rule::KnownOnly),
    ("و", &["و"], Rule::Waw),
];
const FA: &[Proclitic] = &[
    ("فبال", &["ف", "ب", "ال"], Rule::Article),
    ("فكال", &["ف", "ك", "ال"], Rule::Article),
    ("فلل", &["ف", "ل", "ال"], Rule::Article),
    ("فال", &["ف", "ال"], Rule::Article),
    ("فب", &["ف", "ب"], Rule::Prep),
    ("فل", &["ف", "ل"], Rule::Prep),
    ("ف", &["ف"], Rule::KnownOnly),
];
const BA: &[Proclitic] = &[
    ("بال", &["ب", "ال"], Rule::Article),
    ("ب", &["ب"], Rule::Prep),
];
const KAF: &[Proclitic] = &[
    ("كال", &["ك", "ال"], Rule::Article),
    ("ك", &["ك"], Rule::KnownOnly),
];
const LAM: &[Proclitic] = &[
    ("لل", &["ل", "ال"], Rule::Article),
    ("ل", &["ل"], Rule::Prep),
];
const ALEF: &[Proclitic] = &[("ال", &["ال"], Rule::Article)];

/// The proclitic sequences that can start with `c`.
#[inline]
fn proclitics_for(c: char) -> &'static [Proclitic] {
    match c {
        'و' => WAW,
        'ف' => FA,
        'ب' => BA,
        'ك' => KAF,
        'ل' => LAM,
        'ا' => ALEF,
        _ => &[],
    }
}

/// Pronoun enclitics, longest first.
const ENCLITICS: &[&str] = &["هما", "كما", "هم", "هن", "ها", "كم", "نا"];

/// Minimum letters left after removing an enclitic.
const MIN_AFTER_ENCLITIC: usize = 3;

#[inline]
pub(crate) fn nchars(s: &str) -> usize {
    s.chars().count()
}

/// Byte-slice equality for the short patterns used here, without a `memcmp` call.
#[inline(always)]
fn short_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(true, |ok, (x, y)| ok & (x == y))
}

/// `s.strip_suffix(pat)` for short patterns (inlined byte comparison).
#[inline]
pub(crate) fn cut_suffix<'a>(s: &'a str, pat: &str) -> Option<&'a str> {
    let n = s.len().checked_sub(pat.len())?;
    if s.is_char_boundary(n) && short_eq(&s.as_bytes()[n..], pat.as_bytes()) {
        s.get(..n)
    } else {
        None
    }
}

/// `s.strip_prefix(pat)` for short patterns (inlined byte comparison).
#[inline]
pub(crate) fn cut_prefix<'a>(s: &'a str, pat: &str) -> Option<&'a str> {
    let n = pat.len();
    if s.len() >= n && s.is_char_boundary(n) && short_eq(&s.as_bytes()[..n], pat.as_bytes()) {
        s.get(n..)
    } else {
        None
    }
}

/// Whether `s` is, or inflects to, a lexicon word or the stem of one: `None` when not; `Some(enclitic)` when it is
/// (with the pronoun enclitic that has to be removed to reach it, if any).
pub(crate) fn known_form(s: &str) -> Option<Option<&'static str>> {
    let words = known_words();
    let stems = known_stems();
    let hit = |w: &str| words.contains(w) || stems.contains_key(w);
    if hit(s) {
        return Some(None);
    }
    let mut cur = s;
    for suf in SUFFIXES {
        if let Some(r) = strip_one(cur, suf) {
            cur = r;
            if hit(cur) {
                return Some(None);
            }
        }
    }
    for enc in ENCLITICS {
        if let Some(r) = cut_suffix(s, enc) {
            if nchars(r) >= MIN_AFTER_ENCLITIC && hit(r) {
                return Some(Some(enc));
            }
        }
    }
    None
}

/// Internal split result: byte lengths of the proclitic and enclitic parts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Split {
    pub pre: &'static [&'static str],
    pub pre_len: usize,
    pub enc: Option<&'static str>,
    /// The remaining stem is a lexicon stem (or inflects to one).
    pub known: bool,
}

const NO_PARTS: &[&str] = &[];

/// Allocation-free core of [`segment`].
pub(crate) fn split(key: &str) -> Split {
    let mut out = Split {
        pre: NO_PARTS,
        pre_len: 0,
        enc: None,
        known: false,
    };
    let table = key.chars().next().map_or(&[][..], proclitics_for);
    if table.is_empty() {
        if known_words().contains(key) {
            out.known = true;
        } else {
            split_enclitic(key, &mut out);
        }
        return out;
    }
    if let Some(enc) = known_form(key) {
        out.known = true;
        out.enc = enc;
        return out;
    }
    // Pass 1: a proclitic in front of a known stem; a listed word as written beats an inflected
    // one (ب+البانيا rather than بال+بانيا).
    for exact in [true, false] {
        for &(p, parts, _) in table {
            if let Some(rem) = cut_prefix(key, p) {
                if nchars(rem) < 2 {
                    continue;
                }
                let found = if exact {
                    known_words().contains(rem).then_some(None)
                } else {
                    known_form(rem)
                };
                if let Some(enc) = found {
                    out.pre = parts;
                    out.pre_len = p.len();
                    out.known = true;
                    out.enc = enc;
                    return out;
                }
            }
        }
    }
    // Pass 2: general rules.
    for &(p, parts, rule) in table {
        if let Some(rem) = cut_prefix(key, p) {
            let ok = match rule {
                // Not when all that would remain is an inflection ending (وكالات ≠ و+كال+ات).
                Rule::Article => nchars(rem) >= 3 || (nchars(rem) == 2 && !SUFFIXES.contains(&rem)),
                Rule::Waw => nchars(rem) >= 3 && !waw_is_radical(rem),
                Rule::Prep => derived_form(rem),
                Rule::KnownOnly => false,
            };
            if ok {
                out.pre = parts;
                out.pre_len = p.len();
                if rule != Rule::Article {
                    split_enclitic(rem, &mut out);
                }
                return out;
            }
        }
    }
    split_enclitic(key, &mut out);
    out
}

/// Second and third radicals of frequent roots whose first radical is و (وجد، وصل، وضع، وقع …).
const WAW_ROOTS: &[[char; 2]] = &[
    ['ج', 'د'],
    ['ص', 'ل'],
    ['ض', 'ع'],
    ['ق', 'ع'],
    ['ق', 'ف'],
    ['ل', 'د'],
    ['ف', 'ق'],
    ['س', 'ع'],
    ['ض', 'ح'],
    ['ح', 'د'],
    ['ث', 'ق'],
    ['ط', 'ن'],
    ['ز', 'ر'],
    ['ز', 'ع'],
    ['ر', 'د'],
    ['ر', 'ث'],
    ['ج', 'ه'],
    ['ف', 'د'],
    ['ص', 'ف'],
    ['ف', 'ر'],
    ['ق', 'ت'],
    ['س', 'ط'],
    ['ز', 'ن'],
    ['ر', 'ق'],
    ['ر', 'ش'],
    ['ظ', 'ف'],
    ['د', 'ع'],
    ['ج', 'ب'],
    ['س', 'ل'],
];

#[inline]
fn is_weak(c: char) -> bool {
    matches!(c, 'ا' | 'و' | 'ي' | 'ء')
}

/// Whether the و in front of `rest` is more likely the first radical of a و-root than the
/// conjunction: `rest` starts like a pattern of one of [`WAW_ROOTS`] — C1 (vowels) C2 (وقوع، وحيد،
/// وزارة) or ا C1 C2 (واسع، وافق، واجه).
fn waw_is_radical(rest: &str) -> bool {
    let mut it = rest.chars();
    let (c1, c2) = match it.next() {
        Some('ا') => match (it.next(), it.next()) {
            (Some(a), Some(b)) if !is_weak(a) && !is_weak(b) => (a, b),
            _ => return false,
        },
        Some(a) if !is_weak(a) => match it.find(|&c| !is_weak(c)) {
            Some(b) => (a, b),
            None => return false,
        },
        _ => return false,
    };
    WAW_ROOTS.contains(&[c1, c2])
}

/// Whether `rest` (after a preposition ب/ل) starts like a derived form: a مفعول/تفعيل-type noun of
/// 4+ letters starting with م or ت (بمدينة، لمواجهة، لتعزيز), or a form VII/VIII/X masdar of 5+
/// letters (لانتخابات، باتجاه، لاعتماد، باستخدام). Native words rarely start with بم/بت/لم/لت.
fn derived_form(rest: &str) -> bool {
    let mut it = rest.chars();
    let (Some(a), Some(b), Some(c)) = (it.next(), it.next(), it.next()) else {
        return false;
    };
    let n = nchars(rest);
    match a {
        'م' | 'ت' => n >= 4,
        'ا' => n >= 5 && (matches!(b, 'ن' | 'ت') || c == 'ت'),
        _ => false,
    }
}

/// Enclitics after which the remaining stem must not end in a long vowel (مليونا، مكانا، محاكم
/// are nouns with tanween alif or a plural pattern, not pronoun suffixes).
const NO_VOWEL_BEFORE: &[&str] = &["نا", "كم", "كما"];

fn split_enclitic(rem: &str, out: &mut Split) {
    for enc in ENCLITICS {
        if let Some(r) = cut_suffix(rem, enc) {
            if NO_VOWEL_BEFORE.contains(enc) && r.ends_with(['ا', 'و']) {
                return;
            }
            if nchars(r) >= MIN_AFTER_ENCLITIC {
                out.enc = Some(enc);
                out.known = known_words().contains(r);
                return;
            }
        }
    }
}

/// Splits a search key (see [`crate::search_key`]) into proclitics, stem and enclitics.
///
/// ```
/// use rasd_arabic::segment;
/// let s = segment("والمحادثات");
/// assert_eq!((s.proclitics, s.stem), (vec!["و", "ال"], "محادثات"));
/// assert_eq!(segment("بيروت").stem, "بيروت");
/// assert_eq!(segment("بسوريا").proclitics, vec!["ب"]);
/// ```
pub fn segment(key: &str) -> Segmentation<'_> {
    let sp = split(key);
    let enc_len = sp.enc.map_or(0, str::len);
    let stem = key.get(sp.pre_len..key.len() - enc_len).unwrap_or(key);
    Segmentation {
        proclitics: sp.pre.to_vec(),
        stem,
        enclitics: sp.enc.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search_key;

    #[test]
    fn table() {
        let cases: &[(&str, &[&str], &str, &[&str])] = &[
            ("والمحادثات", &["و", "ال"], "محادثات", &[]),
            ("بالمحادثات", &["ب", "ال"], "محادثات", &[]),
            ("للمحادثات", &["ل", "ال"], "محادثات", &[]),
            ("وللمحادثات", &["و", "ل", "ال"], "محادثات", &[]),
            ("فالأمر", &["ف", "ال"], "امر", &[]),
            ("كالعادة", &["ك", "ال"], "عاده", &[]),
            ("وبالتالي", &["و", "ب", "ال"], "تالي", &[]),
            ("وقال", &["و"], "قال", &[]),
            ("وأكد", &["و"], "اكد", &[]),
            ("بسوريا", &["ب"], "سوريا", &[]),
            ("بمدينة", &["ب"], "مدينه", &[]),
            ("لمواجهة", &["ل"], "مواجهه", &[]),
            ("ولتعزيز", &["و", "ل"], "تعزيز", &[]),
            ("لانتخابات", &["ل"], "انتخابات", &[]),
            ("باستخدام", &["ب"], "استخدام", &[]),
            ("باتجاه", &["ب"], "اتجاه", &[]),
            ("بترول", &[], "بترول", &[]),
            ("لاجئين", &[], "لاجيين", &[]),
            ("لاعبين", &[], "لاعبين", &[]),
            ("بمصر", &["ب"], "مصر", &[]),
            ("لمس", &[], "لمس", &[]),
            ("لروسيا", &["ل"], "روسيا", &[]),
            ("ولبنان", &["و"], "لبنان", &[]),
            ("لفلسطين", &["ل"], "فلسطين", &[]),
            ("وألبانيا", &["و"], "البانيا", &[]),
            ("بواشنطن", &["ب"], "واشنطن", &[]),
            ("حكومتها", &[], "حكومت", &["ها"]),
            ("تفاهم", &[], "تفاهم", &[]),
            ("ومواقفهم", &["و"], "مواقف", &["هم"]),
            ("بلادنا", &[], "بلاد", &["نا"]),
            // Never split: the letters belong to the stem.
            ("ألبانيا", &[], "البانيا", &[]),
            ("فلسطين", &[], "فلسطين", &[]),
            ("بيروت", &[], "بيروت", &[]),
            ("وزارة", &[], "وزاره", &[]),
            ("وزير", &[], "وزير", &[]),
            ("لبنان", &[], "لبنان", &[]),
            ("فرنسا", &[], "فرنسا", &[]),
            ("واشنطن", &[], "واشنطن", &[]),
            ("بريطانيا", &[], "بريطانيا", &[]),
            ("كندا", &[], "كندا", &[]),
            ("ليبيا", &[], "ليبيا", &[]),
            ("ألمانيا", &[], "المانيا", &[]),
            ("فريق", &[], "فريق", &[]),
            ("برنامج", &[], "برنامج", &[]),
            ("الله", &[], "الله", &[]),
            // Too short to split.
            ("ولد", &[], "ولد", &[]),
            ("وهم", &[], "وهم", &[]),
            ("فهم", &[], "فهم", &[]),
            ("مهم", &[], "مهم", &[]),
            ("هنا", &[], "هنا", &[]),
            ("الى", &[], "الي", &[]),
            // Article words take no pronoun enclitic.
            ("الأمم", &["ال"], "امم", &[]),
        ];
        for (word, pre, stem, enc) in cases {
            let key = search_key(word);
            let s = segment(&key);
            assert_eq!(
                (s.proclitics.as_slice(), s.stem, s.enclitics.as_slice()),
                (*pre, *stem, *enc),
                "segment({word})"
            );
        }
    }

    #[test]
    fn non_arabic_and_empty() {
        for k in ["", "reuters", "2017", "و", "ال", "ب"] {
            let s = segment(k);
            assert_eq!(s.stem, k);
            assert!(s.proclitics.is_empty() && s.enclitics.is_empty());
        }
    }
}
