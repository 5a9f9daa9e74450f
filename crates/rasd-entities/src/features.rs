//! Token features: character, affix, clitic, word-shape, context and gazetteer features, hashed.

use std::collections::HashMap;

use rasd_arabic::{fold_variant, light_stem, search_key_into, segment};

use crate::gazetteer::{strip_particles, Gazetteer, MAX_NAME_WORDS};
use crate::tags::tag_type;
use rasd_types::EntityType;

/// Changes whenever the features change: a model trained on other features is refused.
pub const FEATURE_VERSION: u32 = 5;

/// What the features need of one token, computed once per token.
#[derive(Debug, Clone, Default)]
pub(crate) struct TokInfo {
    key: String,
    stem: String,
    proclitics: String,
    enclitics: String,
    lstem: String,
    vkey: String,
    shape: u8,
    len: u8,
    gaz: u16,
}

const G_LOC_B: u16 = 1;
const G_LOC_I: u16 = 1 << 1;
const G_ORG_B: u16 = 1 << 2;
const G_ORG_I: u16 = 1 << 3;
const G_PER_B: u16 = 1 << 4;
const G_PER_I: u16 = 1 << 5;
const G_COUNTRY: u16 = 1 << 6;
const G_CAPITAL: u16 = 1 << 7;
const G_GIVEN: u16 = 1 << 8;
const G_GIVEN_STRONG: u16 = 1 << 9;
const G_SURNAME: u16 = 1 << 10;
const G_NISBA: u16 = 1 << 11;
const G_BIG_CITY: u16 = 1 << 12;
const G_LOC_VARIANT: u16 = 1 << 13;

fn shape_of(tok: &str) -> u8 {
    let mut arabic = false;
    let mut latin = false;
    let mut digit = false;
    let mut other = false;
    for c in tok.chars() {
        if ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{0750}'..='\u{077F}').contains(&c) {
            if c.is_ascii_digit() || ('\u{0660}'..='\u{0669}').contains(&c) {
                digit = true;
            } else {
                arabic = true;
            }
        } else if c.is_ascii_digit() {
            digit = true;
        } else if c.is_alphabetic() {
            latin = true;
        } else if !c.is_whitespace() && c != '\u{200f}' && c != '\u{200e}' {
            other = true;
        }
    }
    match (arabic, latin, digit, other) {
        (true, false, false, _) => 0,
        (false, true, false, _) => 1,
        (false, false, true, _) => 2,
        (false, false, false, true) => 3,
        (false, false, false, false) => 4,
        _ => 5,
    }
}

/// Computes the per-token information of a sentence.
pub(crate) fn token_infos(tokens: &[&str], gaz: &Gazetteer) -> Vec<TokInfo> {
    let mut infos: Vec<TokInfo> = tokens
        .iter()
        .map(|t| {
            let t =
                t.trim_matches(|c: char| c == '\u{200f}' || c == '\u{200e}' || c.is_whitespace());
            let mut key = String::with_capacity(t.len());
            search_key_into(t, &mut key);
            let seg = segment(&key);
            let stem = seg.stem.to_string();
            let proclitics = seg.proclitics.concat();
            let enclitics = seg.enclitics.concat();
            let lstem = light_stem(&key);
            let vkey = fold_variant(&lstem);
            let mut g = 0u16;
            let bare = strip_particles(&key);
            let bare_no_al = bare.strip_prefix("ال").unwrap_or(&bare);
            for form in [bare.as_str(), bare_no_al] {
                if let Some(p) = gaz.persons.get(form) {
                    if p.given >= 3 {
                        g |= G_GIVEN;
                    }
                    if p.given >= 20 && p.given > p.surname {
                        g |= G_GIVEN_STRONG;
                    }
                    if p.surname >= 3 {
                        g |= G_SURNAME;
                    }
                }
            }
            if gaz.nisba(&key).is_some() {
                g |= G_NISBA;
            }
            let shape = shape_of(t);
            let len = t.chars().count().min(12) as u8;
            TokInfo {
                key,
                stem,
                proclitics,
                enclitics,
                lstem,
                vkey,
                shape,
                len,
                gaz: g,
            }
        })
        .collect();
    mark_names(&mut infos, gaz);
    infos
}

/// Marks the longest known names (places, alias-table entries) over the sentence, left to right.
fn mark_names(infos: &mut [TokInfo], gaz: &Gazetteer) {
    let n = infos.len();
    let mut i = 0;
    let mut words: Vec<String> = Vec::with_capacity(MAX_NAME_WORDS);
    while i < n {
        let mut matched = 0;
        let mut flags = (0u16, 0u16, 0u16);
        if let Some(info) = infos.get(i) {
            let bare = strip_particles(&info.key);
            for first in [info.key.clone(), bare] {
                let most = gaz.starts_name(&first).min(n - i);
                for len in (1..=most).rev() {
                    words.clear();
                    words.push(first.clone());
                    words.extend(
                        infos
                            .get(i + 1..i + len)
                            .unwrap_or(&[])
                            .iter()
                            .map(|t| t.key.clone()),
                    );
                    let hits = gaz.lookup_exact(&words);
                    if let Some(k) = hits.first().and_then(|&h| gaz.known.get(h as usize)) {
                        let (b, inside) = match k.kind {
                            EntityType::Loc => (G_LOC_B, G_LOC_I),
                            EntityType::Org | EntityType::Misc => (G_ORG_B, G_ORG_I),
                            EntityType::Per => (G_PER_B, G_PER_I),
                        };
                        let mut extra = 0;
                        if k.country.is_some() {
                            extra |= G_COUNTRY;
                        }
                        if k.capital_of.is_some() {
                            extra |= G_CAPITAL;
                        }
                        if k.rank >= 1_000_000 && k.kind == EntityType::Loc && k.country.is_none() {
                            extra |= G_BIG_CITY;
                        }
                        matched = len;
                        flags = (b, inside, extra);
                        break;
                    }
                }
                if matched > 0 {
                    break;
                }
            }
            if matched == 0 && info.vkey.chars().count() >= 4 && gaz.has_place_variant(&info.vkey) {
                if let Some(t) = infos.get_mut(i) {
                    t.gaz |= G_LOC_VARIANT;
                }
            }
        }
        if matched == 0 {
            i += 1;
            continue;
        }
        for (j, t) in infos.iter_mut().enumerate().skip(i).take(matched) {
            t.gaz |= if j == i { flags.0 } else { flags.1 } | flags.2;
        }
        i += matched;
    }
}

/// FNV-1a over template id and parts, then a finalizer so that low bits are well mixed.
#[inline]
fn hash(template: u8, parts: &[&[u8]]) -> u64 {
    let mut h: u64 =
        0xcbf2_9ce4_8422_2325 ^ u64::from(template).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0xff;
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        for &b in *p {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

const BOS: &str = "<s>";
const EOS: &str = "</s>";

/// Appends the hashed features of token `i` to `out`.
pub(crate) fn features(infos: &[TokInfo], i: usize, out: &mut Vec<u64>) {
    let Some(t) = infos.get(i) else { return };
    let at = |d: isize| -> Option<&TokInfo> {
        let j = i as isize + d;
        if j < 0 {
            None
        } else {
            infos.get(j as usize)
        }
    };
    let key_at = |d: isize| -> &str {
        match at(d) {
            Some(x) => x.key.as_str(),
            None if d < 0 => BOS,
            None => EOS,
        }
    };
    let stem_at = |d: isize| -> &str {
        match at(d) {
            Some(x) => x.stem.as_str(),
            None if d < 0 => BOS,
            None => EOS,
        }
    };
    let k = t.key.as_bytes();
    out.push(hash(0, &[]));
    out.push(hash(1, &[k]));
    out.push(hash(2, &[key_at(-1).as_bytes()]));
    out.push(hash(3, &[key_at(1).as_bytes()]));
    out.push(hash(4, &[key_at(-2).as_bytes()]));
    out.push(hash(5, &[key_at(2).as_bytes()]));
    out.push(hash(6, &[key_at(-1).as_bytes(), k]));
    out.push(hash(7, &[k, key_at(1).as_bytes()]));
    out.push(hash(8, &[t.stem.as_bytes()]));
    out.push(hash(9, &[t.proclitics.as_bytes(), t.enclitics.as_bytes()]));
    out.push(hash(10, &[t.lstem.as_bytes()]));
    out.push(hash(11, &[t.vkey.as_bytes()]));
    out.push(hash(12, &[stem_at(-1).as_bytes()]));
    out.push(hash(13, &[stem_at(1).as_bytes()]));
    out.push(hash(14, &[stem_at(-1).as_bytes(), t.stem.as_bytes()]));
    // Prefixes and suffixes of the stem (characters).
    let stem = t.stem.as_str();
    let mut ends = stem.char_indices().map(|(b, _)| b).skip(1);
    for n in 1..=3u8 {
        match ends.next() {
            Some(b) => out.push(hash(15 + n, &[stem.get(..b).unwrap_or("").as_bytes()])),
            None => break,
        }
    }
    let starts: Vec<usize> = stem.char_indices().map(|(b, _)| b).collect();
    for n in 1..=4usize {
        if starts.len() > n {
            if let Some(&b) = starts.get(starts.len() - n) {
                out.push(hash(
                    20 + n as u8,
                    &[stem.get(b..).unwrap_or("").as_bytes()],
                ));
            }
        }
    }
    // Character bigrams and trigrams of the key (transliterated names have their own letters).
    let chars: Vec<(usize, char)> = t.key.char_indices().collect();
    for n in 2..=3usize {
        for w in chars.windows(n) {
            if let (Some(&(a, _)), Some(&(b, c))) = (w.first(), w.last()) {
                if let Some(g) = t.key.get(a..b + c.len_utf8()) {
                    out.push(hash(32 + n as u8, &[g.as_bytes()]));
                }
            }
        }
    }
    // Words around (bag, ±3): trigger words such as وزير، مدينة، قال.
    for d in [-3isize, -2, -1, 1, 2, 3] {
        if let Some(x) = at(d) {
            let side: u8 = if d < 0 { 0 } else { 1 };
            out.push(hash(36, &[&[side], x.lstem.as_bytes()]));
        }
    }
    out.push(hash(37, &[key_at(-1).as_bytes(), key_at(1).as_bytes()]));
    let sh = |x: Option<&TokInfo>| x.map(|x| x.shape).unwrap_or(9);
    out.push(hash(30, &[&[t.shape, t.len]]));
    out.push(hash(31, &[&[sh(at(-1)), t.shape, sh(at(1))]]));
    let g = |x: Option<&TokInfo>| x.map(|x| x.gaz).unwrap_or(0);
    for bit in 0..14u8 {
        let m = 1u16 << bit;
        if t.gaz & m != 0 {
            out.push(hash(40, &[&[bit]]));
            out.push(hash(41, &[&[bit], key_at(-1).as_bytes()]));
        }
        if g(at(-1)) & m != 0 {
            out.push(hash(42, &[&[bit]]));
        }
        if g(at(1)) & m != 0 {
            out.push(hash(43, &[&[bit]]));
        }
        if g(at(-2)) & m != 0 {
            out.push(hash(44, &[&[bit]]));
        }
    }
    out.push(hash(45, &[&t.gaz.to_le_bytes()]));
}

/// Sentences on each side whose first-pass tags a token's document features count.
pub(crate) const DOC_WINDOW: usize = 10;

/// Classes counted by the document features: `O`, then PER, ORG, LOC, MISC.
const NCLASS: usize = 5;

/// Document counts of one token: how the first pass tagged the other occurrences of the same
/// word (light stem, spelling-variant key) within [`DOC_WINDOW`] sentences, by class.
pub(crate) type DocCounts = [u16; NCLASS];

fn class_of(tag: u8) -> usize {
    match tag_type(tag) {
        None => 0,
        Some(EntityType::Per) => 1,
        Some(EntityType::Org) => 2,
        Some(EntityType::Loc) => 3,
        Some(EntityType::Misc) => 4,
    }
}

/// The word a token is counted under, if it is a word worth counting (letters, 2+ characters).
fn doc_key(t: &TokInfo) -> Option<&str> {
    if !matches!(t.shape, 0 | 1) || t.vkey.chars().nth(1).is_none() {
        return None;
    }
    Some(t.vkey.as_str())
}

/// For every token of a sequence of sentences (`(infos, first-pass tags)`, in text order), the
/// counts of [`DocCounts`], its own occurrence left out. A sliding window: linear in the tokens.
pub(crate) fn doc_counts<'a>(sents: &[(&'a [TokInfo], &'a [u8])]) -> Vec<Vec<DocCounts>> {
    let mut map: HashMap<&'a str, DocCounts> = HashMap::new();
    let add = |map: &mut HashMap<&'a str, DocCounts>, s: usize, up: bool| {
        let Some((infos, tags)) = sents.get(s) else {
            return;
        };
        for (t, &tag) in infos.iter().zip(tags.iter()) {
            let Some(k) = doc_key(t) else { continue };
            let e = map.entry(k).or_insert([0; NCLASS]);
            if let Some(c) = e.get_mut(class_of(tag)) {
                *c = if up {
                    c.saturating_add(1)
                } else {
                    c.saturating_sub(1)
                };
            }
        }
    };
    let mut out = Vec::with_capacity(sents.len());
    for s in 0..=DOC_WINDOW.min(sents.len()) {
        add(&mut map, s, true);
    }
    for (s, (infos, tags)) in sents.iter().enumerate() {
        if s > 0 {
            add(&mut map, s + DOC_WINDOW, true);
            if s > DOC_WINDOW {
                add(&mut map, s - DOC_WINDOW - 1, false);
            }
        }
        let counts = infos
            .iter()
            .zip(tags.iter())
            .map(|(t, &tag)| {
                let Some(mut c) = doc_key(t).and_then(|k| map.get(k)).copied() else {
                    return [0; NCLASS];
                };
                if let Some(x) = c.get_mut(class_of(tag)) {
                    *x = x.saturating_sub(1);
                }
                c
            })
            .collect();
        out.push(counts);
    }
    out
}

/// The majority class of a token's document counts and the share (in quarters) of them tagged as a
/// name; `None` when the word occurs nowhere else.
fn summary(c: &DocCounts) -> Option<(u8, u8)> {
    let total: u32 = c.iter().map(|&n| u32::from(n)).sum();
    if total == 0 {
        return None;
    }
    let mut maj = 0usize;
    for (k, &n) in c.iter().enumerate() {
        if n > c.get(maj).copied().unwrap_or(0) {
            maj = k;
        }
    }
    let ent = total - u32::from(c.first().copied().unwrap_or(0));
    Some((maj as u8, (ent * 4 / total) as u8))
}

/// Appends the second-stage features of token `i` of a sentence: its first-pass tag and its
/// neighbours' (`tags`), and how the other occurrences of it and of its neighbours nearby were
/// tagged (`counts`, one per token of the sentence).
pub(crate) fn doc_features(tags: &[u8], counts: &[DocCounts], i: usize, out: &mut Vec<u64>) {
    let tag_at = |d: isize| -> u8 {
        let j = i as isize + d;
        if j < 0 {
            200
        } else {
            tags.get(j as usize).copied().unwrap_or(201)
        }
    };
    let sum_at = |d: isize| -> Option<(u8, u8)> {
        let j = i as isize + d;
        if j < 0 {
            None
        } else {
            counts.get(j as usize).and_then(summary)
        }
    };
    let own = tag_at(0);
    out.push(hash(64, &[&[own]]));
    out.push(hash(65, &[&[tag_at(-1), own]]));
    out.push(hash(66, &[&[own, tag_at(1)]]));
    let me = sum_at(0);
    for (side, d) in [(0u8, -1isize), (1, 1)] {
        if let Some((m, f)) = sum_at(d) {
            out.push(hash(68, &[&[side, m, f]]));
            out.push(hash(69, &[&[side, m, me.map(|x| x.0).unwrap_or(255)]]));
        }
    }
    let Some((maj, frac)) = me else {
        out.push(hash(60, &[&[255, own]]));
        return;
    };
    out.push(hash(60, &[&[maj]]));
    out.push(hash(61, &[&[maj, frac]]));
    out.push(hash(67, &[&[maj, own]]));
    let c = counts.get(i).copied().unwrap_or([0; NCLASS]);
    for (k, &n) in c.iter().enumerate().skip(1) {
        if n > 0 {
            out.push(hash(62, &[&[k as u8]]));
            out.push(hash(63, &[&[k as u8, n.min(4) as u8]]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_counts_see_other_occurrences_within_the_window_only() {
        let g = Gazetteer::load();
        let per = crate::tags::parse_tag("B-PER");
        // Sentence 0 and 1 mention the same name (with a clitic in 1); the first pass tagged it
        // a person in 0 only. Sentence 2 lies outside the window of 0.
        let s0 = token_infos(&["قال", "كيري"], &g);
        let s1 = token_infos(&["وكيري", "غادر"], &g);
        let mut far: Vec<Vec<TokInfo>> = (1..DOC_WINDOW).map(|_| Vec::new()).collect();
        far.push(token_infos(&["كيري"], &g));
        let (t0, t1) = (vec![0, per], vec![0, 0]);
        let mut view: Vec<(&[TokInfo], &[u8])> = vec![(&s0, &t0), (&s1, &t1)];
        for s in &far {
            view.push((s, if s.is_empty() { &[] } else { &[0u8] }));
        }
        let c = doc_counts(&view);
        assert_eq!(c.len(), view.len());
        // كيري in 0: the other occurrence (in 1) was O; its own B-PER is left out.
        assert_eq!(c[0][1], [1, 0, 0, 0, 0]);
        // وكيري in 1: كيري in 0 was a person, the one in the last sentence O.
        assert_eq!(c[1][0], [1, 1, 0, 0, 0]);
        // The last sentence sees 1 (O) but not 0, which is out of its window.
        assert_eq!(
            c.last().and_then(|s| s.first()).copied(),
            Some([1, 0, 0, 0, 0])
        );
        // Punctuation and one-letter words are not counted.
        let p = token_infos(&[".", "."], &g);
        let c = doc_counts(&[(&p, &[0, 0])]);
        assert_eq!(c, vec![vec![[0; NCLASS]; 2]]);
        assert!(doc_counts(&[]).is_empty());
    }

    #[test]
    fn doc_features_depend_on_counts_and_first_tags() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        let mut c = Vec::new();
        doc_features(&[0, 1], &[[0; NCLASS], [0, 3, 0, 0, 0]], 1, &mut a);
        doc_features(&[0, 1], &[[0; NCLASS], [3, 0, 0, 0, 0]], 1, &mut b);
        doc_features(&[0, 0], &[[0; NCLASS], [0, 3, 0, 0, 0]], 1, &mut c);
        // The neighbour's other occurrences count too.
        let mut d = Vec::new();
        doc_features(&[0, 1], &[[0, 2, 0, 0, 0], [0, 3, 0, 0, 0]], 1, &mut d);
        assert_ne!(a, d);
        assert_ne!(a, b);
        assert_ne!(a, c);
        let mut none = Vec::new();
        doc_features(&[], &[], 5, &mut none);
        assert!(!none.is_empty());
    }

    #[test]
    fn shapes() {
        assert_eq!(shape_of("موسكو"), 0);
        assert_eq!(shape_of("Moscow"), 1);
        assert_eq!(shape_of("2017"), 2);
        assert_eq!(shape_of("٢٠١٧"), 2);
        assert_eq!(shape_of("."), 3);
        assert_eq!(shape_of("G20"), 5);
    }

    #[test]
    fn gazetteer_marks_multiword_names() {
        let g = Gazetteer::load();
        let infos = token_infos(&["قال", "في", "الولايات", "المتحدة", "اليوم"], &g);
        let flags: Vec<u16> = infos.iter().map(|t| t.gaz & (G_LOC_B | G_LOC_I)).collect();
        assert_eq!(flags, vec![0, 0, G_LOC_B, G_LOC_I, 0]);
        let infos = token_infos(&["وبدمشق"], &g);
        assert_ne!(infos.first().map(|t| t.gaz & G_CAPITAL), Some(0));
    }

    #[test]
    fn features_are_deterministic_and_context_dependent() {
        let g = Gazetteer::load();
        let a = token_infos(&["زار", "بوتين", "دمشق"], &g);
        let b = token_infos(&["غادر", "بوتين", "دمشق"], &g);
        let (mut fa, mut fa2, mut fb) = (Vec::new(), Vec::new(), Vec::new());
        features(&a, 1, &mut fa);
        features(&a, 1, &mut fa2);
        features(&b, 1, &mut fb);
        assert_eq!(fa, fa2);
        assert_ne!(fa, fb);
        let mut none = Vec::new();
        features(&a, 7, &mut none);
        assert!(none.is_empty());
    }
}
