//! Spelling-variant keys: a coarser key on top of the light stem so that the usual transliteration
//! variants of names and loanwords meet (أمريكي/أميركي، أستانا/أستانة، ماكغورك/ماكجورك، بوتين/بوتن).
//!
//! For stems of at least 4 letters:
//! * the long vowels and seats ا و ي ء are dropped after the first letter (vowel spelling is the
//!   main source of variation in transliterated names);
//! * the "g" letters غ ج ق گ ڨ are one class (ج) when the consonant skeleton has at least 5 letters
//!   (4 when the word does not start with a pattern letter ا ت م ي ن س), or the word has a letter only used for foreign sounds (short native roots such as غرب/قرب/جرب
//!   stay apart); ڤ → ف, پ → ب, چ → ج, ژ → ز;
//! * a doubled letter is written once;
//! * the folded key ends with a tatweel (ـ), which never occurs in search keys, so folded keys
//!   cannot collide with the unfolded keys of short words.
//!
//! Stems of 1–3 letters are returned unchanged: short native words (غرب/قرب، مصر) must stay apart.

use crate::clitics::nchars;
use crate::stem::light_stem_str;

/// Minimum stem length (letters) for folding.
const MIN_FOLD: usize = 4;

/// Appended to folded keys, so that a folded key never equals an unfolded short stem (مصير → مصرـ,
/// مصر → مصر). Tatweel never occurs in search keys.
const FOLD_MARK: char = '\u{640}';

/// Minimum skeleton size for folding the g-class (غ ق → ج) in words written with Arabic letters only;
/// one more is needed when the word starts with a letter of the derivation patterns (ا ت م ي ن س:
/// تجارب/تقارب must stay apart).
const MIN_G_FOLD: usize = 4;

/// Minimum letters a folded key keeps; below that the stem is returned unchanged.
const MIN_SKELETON: usize = 3;

/// Variant key of a search key: `light_stem` first, then the folding described in the module docs.
/// For a word that is already a stem use [`fold_variant`].
///
/// ```
/// use rasd_arabic::{search_key, variant_key};
/// let v = |w: &str| variant_key(&search_key(w));
/// assert_eq!(v("الأميركية"), v("أمريكي"));
/// assert_eq!(v("أستانة"), v("أستانا"));
/// assert_ne!(v("سوريا"), v("سويسرا"));
/// ```
pub fn variant_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    variant_key_into(key, &mut out);
    out
}

/// Appends the variant key of `key` to `out`.
pub(crate) fn variant_key_into(key: &str, out: &mut String) {
    fold_into(light_stem_str(key), out);
}

/// Variant key of a word that is already stemmed (output of [`crate::light_stem`] or the `stem` of
/// [`crate::for_each_term`]): the folding of [`variant_key`] without stemming again, so that
/// `fold_variant(&light_stem(k)) == variant_key(k)`. Light stemming is not idempotent (a second
/// pass would cut قانون to قان), so indexers holding a stem should call this.
///
/// ```
/// use rasd_arabic::{fold_variant, light_stem, search_key, variant_key};
/// let k = search_key("الأميركيين");
/// assert_eq!(fold_variant(&light_stem(&k)), variant_key(&k));
/// ```
pub fn fold_variant(stem: &str) -> String {
    let mut out = String::with_capacity(stem.len());
    fold_into(stem, &mut out);
    out
}

/// Folds a stem (no stemming).
pub(crate) fn fold_into(stem: &str, out: &mut String) {
    if nchars(stem) < MIN_FOLD || !stem.chars().any(is_arabic) {
        out.push_str(stem);
        return;
    }
    // Pass 1: size of the consonant skeleton, and letters that only occur in foreign words.
    let mut kept = 0;
    let mut foreign = false;
    skeleton(stem, false, |c| {
        kept += 1;
        foreign |= matches!(c, 'گ' | 'ڨ' | 'چ' | 'ڤ' | 'پ' | 'ژ');
    });
    // Too little left to identify a word: keep the stem as it is.
    if kept < MIN_SKELETON {
        out.push_str(stem);
        return;
    }
    // The g-class is folded only where a native three-letter root is unlikely (غرب/قرب/جرب).
    let first = stem.chars().next();
    let pattern_prefix = matches!(first, Some('ا' | 'ت' | 'م' | 'ي' | 'ن' | 'س'));
    let g_fold = foreign || kept > MIN_G_FOLD || (kept == MIN_G_FOLD && !pattern_prefix);
    skeleton(stem, g_fold, |c| out.push(c));
    out.push(FOLD_MARK);
}

/// Calls `f` for each skeleton letter: long vowels and hamza seats dropped after the first letter,
/// doubled letters once, foreign letters mapped to their Arabic counterparts, optionally the
/// g-class folded to ج.
fn skeleton(stem: &str, g_fold: bool, mut f: impl FnMut(char)) {
    let mut prev: Option<char> = None;
    for (i, c) in stem.chars().enumerate() {
        let c = match c {
            'غ' | 'ق' if g_fold => 'ج',
            'گ' | 'ڨ' | 'چ' => 'ج',
            'ڤ' => 'ف',
            'پ' => 'ب',
            'ژ' => 'ز',
            _ => c,
        };
        let doubled = prev == Some(c);
        prev = Some(c);
        if doubled || (i > 0 && matches!(c, 'ا' | 'و' | 'ي' | 'ء')) {
            continue;
        }
        f(c);
    }
}

#[inline]
fn is_arabic(c: char) -> bool {
    ('\u{600}'..='\u{6FF}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search_key;

    fn v(w: &str) -> String {
        variant_key(&search_key(w))
    }

    /// Real spelling variants seen in Arabic news (names, places, loanwords).
    const SAME: &[(&str, &str)] = &[
        ("أمريكي", "أميركي"),
        ("الأمريكية", "الأميركية"),
        ("أمريكا", "أميركا"),
        ("أستانا", "أستانة"),
        ("أستانا", "استانا"),
        ("ماكغورك", "ماكجورك"),
        ("ديمتري", "دميتري"),
        ("بوتين", "بوتن"),
        ("إنستغرام", "إنستجرام"),
        ("مونتغمري", "مونتجمري"),
        ("تيلرسون", "تيلرسن"),
        ("لافروف", "لافرف"),
        ("نتنياهو", "نتانياهو"),
        ("هيلاري", "هيلارى"),
        ("كلينتون", "كلنتون"),
        ("أوباما", "اوباما"),
        ("إسطنبول", "اسطنبول"),
        ("إنجلترا", "إنغلترا"),
        ("ميركل", "ميركيل"),
        ("فيسبوك", "فايسبوك"),
        ("تويتر", "تويتير"),
        ("يوتيوب", "يوتوب"),
        ("هولندا", "هولاندا"),
        ("بنسلفانيا", "بنسيلفانيا"),
        ("جنيف", "جينيف"),
        ("موسكو", "موسكوو"),
        ("ترامب", "ترمب"),
        ("بنغازي", "بنجازي"),
        ("هامبورغ", "هامبورج"),
        ("بلغراد", "بلجراد"),
        ("فنزويلا", "ڤنزويلا"),
        ("البنتاغون", "البنتاجون"),
        ("الكرملين", "الكريملين"),
        ("ستيفن", "ستيڤن"),
        ("دي ميستورا", "دي مستورا"),
    ];

    /// Different words or names that must keep different keys.
    const APART: &[(&str, &str)] = &[
        ("سوريا", "سويسرا"),
        ("ليبيا", "لبنان"),
        ("النمسا", "ألمانيا"),
        ("كوريا", "كوبا"),
        ("إيران", "العراق"),
        ("بوتين", "بوش"),
        ("ترامب", "ترومان"),
        ("ميركل", "ماكرون"),
        ("نيويورك", "نيوزيلندا"),
        ("موسكو", "مونتريال"),
        ("روسيا", "تونس"),
        ("غرب", "قرب"),
        ("غرب", "جرب"),
        ("قطر", "قطار"),
        ("مصر", "مصير"),
        ("جنوب", "شمال"),
        ("تجارب", "تقارب"),
        ("تقريب", "تجريب"),
        ("الرئيس", "الرئاسة"),
        ("لافروف", "لافرنتييف"),
        ("تيلرسون", "تيلر"),
        ("كيري", "كيم"),
        ("أستانا", "أستراليا"),
        ("جنيف", "جنوب"),
        ("سوتشي", "سوريا"),
        ("أوباما", "أوبرا"),
        ("كلينتون", "كولن"),
        ("بغداد", "بيروت"),
        ("دمشق", "دبي"),
        ("حلب", "حماة"),
        ("الأردن", "اليمن"),
        ("فلسطين", "فلبين"),
        ("المعارضة", "المعركة"),
        ("محادثات", "مبادرات"),
    ];

    #[test]
    fn variants_meet() {
        assert!(SAME.len() >= 30);
        for (a, b) in SAME {
            // Multi-word names: compare word by word.
            let ka: Vec<_> = a.split(' ').map(v).collect();
            let kb: Vec<_> = b.split(' ').map(v).collect();
            assert_eq!(ka, kb, "{a} / {b} should share a variant key");
        }
    }

    #[test]
    fn different_words_stay_apart() {
        assert!(APART.len() >= 30);
        for (a, b) in APART {
            assert_ne!(v(a), v(b), "{a} / {b} must keep different variant keys");
        }
    }

    #[test]
    fn short_and_non_arabic_unchanged() {
        assert_eq!(v("غرب"), "غرب");
        assert_eq!(v("reuters"), "reuters");
        assert_eq!(v("2017"), "2017");
        assert_eq!(v(""), "");
    }
}
