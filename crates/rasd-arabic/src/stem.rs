//! Light stemming (Light10 family) of search keys.
//!
//! Steps: clitics are removed with [`crate::segment`]'s rules; a stem in the crate lexicon is kept
//! as it is (فلسطين، لبنان، بيروت); otherwise the suffixes وا ا ات ون ين يه ه ي are removed in that order,
//! each at most once and only while at least 3 letters remain. A feminine ت before a removed
//! pronoun (حكومتها) is treated like the ة it stands for. No prefix other than clitics is removed,
//! and the dual/-ان ending is left alone (لبنان، إيران، برلمان).

use crate::clitics::{cut_suffix, nchars, split};

use crate::lexicon::{known_stems, known_words};

/// Inflectional suffixes in removal order (search-key forms; ه stands for ة).
/// `وا` is the plural of past-tense verbs (أكدوا); a final `ا` is mostly the accusative tanween
/// (شخصاً، عاماً) once diacritics are gone, or the ending of a country name (أمريكا ~ أمريكي).
pub(crate) const SUFFIXES: &[&str] = &["وا", "ا", "ات", "ون", "ين", "يه", "ه", "ي"];

/// Minimum letters a stem keeps when a suffix is removed.
const MIN_STEM: usize = 3;

/// Removes `suf` from `word` when the rules allow it:
/// * at least [`MIN_STEM`] letters remain;
/// * `ون` only from words of 6+ letters (plurals of 3-letter nouns are rare; قانون، مليون، زيتون);
/// * `ين` not from 5-letter words starting with ت or م (تحسين، تأمين، تشرين، مسكين: the ن is a
///   radical of the تفعيل/مفعيل patterns), while duals such as طرفين، يومين are still reduced.
#[inline]
pub(crate) fn strip_one<'a>(word: &'a str, suf: &str) -> Option<&'a str> {
    let rest = cut_suffix(word, suf)?;
    let n = nchars(rest);
    let ok = n >= MIN_STEM
        && match suf {
            "ون" => n >= 4,
            "ين" => !(n == 3 && rest.starts_with(['ت', 'م'])),
            _ => true,
        };
    ok.then_some(rest)
}

/// Suffix removal without the lexicon (used to index the lexicon itself).
pub(crate) fn strip_plain(s: &str) -> &str {
    let mut stem = s;
    for suf in SUFFIXES {
        if let Some(r) = strip_one(stem, suf) {
            stem = r;
        }
    }
    stem
}

/// Allocation-free core: the stem as a slice of `key`.
pub(crate) fn light_stem_str(key: &str) -> &str {
    let sp = split(key);
    let enc_len = sp.enc.map_or(0, str::len);
    let Some(mut stem) = key.get(sp.pre_len..key.len() - enc_len) else {
        return key;
    };
    let words = known_words();
    let stems = known_stems();
    if words.contains(stem) {
        return stem;
    }
    if let Some(w) = stems.get(stem) {
        return w;
    }
    if sp.enc.is_some() {
        // حكومتها → حكومت → حكوم (like حكومة → حكومه → حكوم).
        if let Some(r) = stem.strip_suffix('ت') {
            if !r.ends_with('ا') && nchars(r) >= MIN_STEM {
                stem = r;
            }
        }
    }
    // Repeat until no suffix applies, so that stemming a stem changes nothing.
    loop {
        let before = stem.len();
        for suf in SUFFIXES {
            if let Some(r) = strip_one(stem, suf) {
                stem = r;
                if words.contains(stem) {
                    return stem;
                }
                if let Some(w) = stems.get(stem) {
                    return w;
                }
            }
        }
        if stem.len() == before {
            return stem;
        }
    }
}

/// Light stem of a search key (output of [`crate::search_key`]).
///
/// ```
/// use rasd_arabic::{light_stem, search_key};
/// let st = |w: &str| light_stem(&search_key(w));
/// assert_eq!(st("والمحادثات"), st("محادثات"));
/// assert_eq!(st("الأمريكيين"), st("أمريكية"));
/// assert_eq!(st("فلسطين"), "فلسطين");
/// ```
pub fn light_stem(key: &str) -> String {
    light_stem_str(key).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search_key;

    fn st(w: &str) -> String {
        light_stem(&search_key(w))
    }

    #[test]
    fn conflation_groups() {
        let groups: &[&[&str]] = &[
            &[
                "محادثات",
                "المحادثات",
                "والمحادثات",
                "بالمحادثات",
                "للمحادثات",
            ],
            &["انتخابات", "الانتخابات", "والانتخابات", "بالانتخابات"],
            &[
                "أمريكية",
                "الأمريكية",
                "الأمريكيين",
                "الأمريكيون",
                "أمريكي",
                "الأمريكي",
                "والأمريكيين",
            ],
            &["مسؤول", "المسؤولين", "مسؤولون", "والمسؤولين"],
            &["حكومة", "الحكومة", "حكومتها", "والحكومة", "بالحكومة"],
            &["ميزانية", "الميزانية", "ميزانيتها"],
            &[
                "فلسطين",
                "فلسطيني",
                "الفلسطينية",
                "الفلسطينيين",
                "لفلسطين",
                "وفلسطين",
            ],
            &["لبنان", "اللبناني", "اللبنانية", "ولبنان", "بلبنان"],
            &["روسية", "الروسية", "الروسي", "روسي"],
            &["وزير", "الوزير", "والوزير", "وزيرها"],
            &[
                "وزارة",
                "الوزارة",
                "وزارات",
                "الوزارات",
                "وزاري",
                "الوزارية",
            ],
            &["وكالة", "الوكالة", "وكالات", "والوكالات"],
            &["مواقف", "المواقف", "ومواقفهم"],
            &["شخص", "شخصاً", "الشخص", "والشخص"],
            &["أكد", "أكدوا", "وأكدوا"],
            &["أمريكا", "أمريكي", "الأمريكية"],
            &["قانون", "القانون", "القانوني", "القانونية"],
            &["تلفزيون", "التلفزيون", "التلفزيونية", "تلفزيوني"],
        ];
        for g in groups {
            let want = st(g[0]);
            for w in *g {
                assert_eq!(st(w), want, "{w} should stem like {}", g[0]);
            }
        }
    }

    #[test]
    fn not_mangled() {
        let cases = [
            ("فلسطين", "فلسطين"),
            ("بيروت", "بيروت"),
            ("ألبانيا", "البانيا"),
            ("لبنان", "لبنان"),
            ("وزارة", "وزاره"),
            ("فرنسا", "فرنسا"),
            ("واشنطن", "واشنطن"),
            ("بريطانيا", "بريطانيا"),
            ("كندا", "كندا"),
            ("ليبيا", "ليبيا"),
            ("إيران", "ايران"),
            ("بوتين", "بوتين"),
            ("قانون", "قانون"),
            ("مليون", "مليون"),
            ("تحسين", "تحسين"),
            ("تأمين", "تامين"),
            ("الطرفين", "طرف"),
            ("ولا", "ولا"),
            ("قال", "قال"),
            ("بيت", "بيت"),
            ("reuters", "reuters"),
            ("2017", "2017"),
            ("", ""),
        ];
        for (w, want) in cases {
            assert_eq!(st(w), want, "light_stem({w})");
        }
    }

    #[test]
    fn keeps_distinct_words_apart() {
        let pairs = [
            ("كتاب", "كاتب"),
            ("سوريا", "روسيا"),
            ("الشرق", "الشرطة"),
            ("مدينة", "مدير"),
            ("ولاية", "ولد"),
            ("بيان", "بين"),
        ];
        for (a, b) in pairs {
            assert_ne!(st(a), st(b), "{a} and {b} must not merge");
        }
    }

    #[test]
    fn minimum_length() {
        for w in ["الصين", "بنات", "عمان", "مكة", "الى", "اليد"] {
            assert!(nchars(&st(w)) >= 2, "{w} → {}", st(w));
        }
    }
}
