//! Word-level differences between two token sequences and whether they may change the facts.

/// Above this many cells (after trimming the common prefix and suffix) the LCS table is not
/// built and the differing middle is reported as one replacement.
const MAX_CELLS: usize = 4_000_000;
/// Words shown per side of one change.
const MAX_WORDS: usize = 8;
/// Characters shown of one word (longer tokens are cut and marked with `…`).
const MAX_WORD_CHARS: usize = 40;
const ARROW: &str = " → ";

/// Negation particles and verbs (normalized spelling, see [`norm`]).
const NEGATIONS: &[&str] = &[
    "لا",
    "لم",
    "لن",
    "ليس",
    "ليست",
    "ليسوا",
    "لست",
    "لسنا",
    "غير",
    "عدم",
    "نفي",
    "نفت",
    "ينفي",
    "تنفي",
    "ينفون",
    "نفوا",
    "بدون",
    "دون",
];

/// Function words: prepositions, conjunctions, pronouns, demonstratives, relatives, particles,
/// auxiliaries and reporting verbs whose change does not alter who did what (normalized spelling).
const FUNCTION_WORDS: &[&str] = &[
    "في",
    "من",
    "الي",
    "علي",
    "عن",
    "مع",
    "حتي",
    "منذ",
    "خلال",
    "بين",
    "عند",
    "لدي",
    "نحو",
    "حول",
    "ضد",
    "بعد",
    "قبل",
    "فوق",
    "تحت",
    "امام",
    "خلف",
    "عبر",
    "ضمن",
    "و",
    "ف",
    "ثم",
    "او",
    "ام",
    "بل",
    "لكن",
    "ان",
    "كان",
    "كانت",
    "لان",
    "كي",
    "لكي",
    "اذا",
    "اذ",
    "لو",
    "قد",
    "لقد",
    "سوف",
    "هل",
    "ما",
    "ماذا",
    "متي",
    "اين",
    "كيف",
    "لماذا",
    "كم",
    "اي",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "هولاء",
    "اولئك",
    "هنا",
    "هناك",
    "الذي",
    "التي",
    "الذين",
    "اللذان",
    "اللتان",
    "اللواتي",
    "اللاتي",
    "هو",
    "هي",
    "هم",
    "هن",
    "هما",
    "انا",
    "نحن",
    "انت",
    "انتم",
    "له",
    "لها",
    "لهم",
    "به",
    "بها",
    "بهم",
    "فيه",
    "فيها",
    "فيهم",
    "منه",
    "منها",
    "منهم",
    "عليه",
    "عليها",
    "عليهم",
    "اليه",
    "اليها",
    "اليهم",
    "عنه",
    "عنها",
    "عنهم",
    "كل",
    "بعض",
    "جميع",
    "يكون",
    "تكون",
    "كانوا",
    "ايضا",
    "كما",
    "كذلك",
    "حيث",
    "بينما",
    "عندما",
    "لما",
    "اما",
    "ذات",
    "ذو",
    "ذي",
    "يا",
    "الا",
    "سوي",
    "وقد",
    "اليوم",
    "امس",
    "حاليا",
    "قال",
    "قالت",
    "يقول",
    "تقول",
    "اضاف",
    "اضافت",
    "اكد",
    "اكدت",
    "اوضح",
    "اوضحت",
    "اشار",
    "اشارت",
    "ذكر",
    "ذكرت",
    "تابع",
    "تابعت",
    "افاد",
    "افادت",
    "صرح",
    "صرحت",
    "وفق",
    "وفقا",
    "حسب",
    "بحسب",
    "نقلا",
    "يذكر",
    "يشار",
];

/// Normalizes a word for list lookups: drops diacritics and tatweel, unifies alef forms, ى→ي,
/// ة→ه and ؤ/ئ→ي-like bases so that the lists above match analyzed or raw tokens alike.
pub(crate) fn norm(word: &str) -> String {
    word.chars()
        .filter_map(|c| match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => None,
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ى' | 'ئ' => Some('ي'),
            'ة' => Some('ه'),
            'ؤ' => Some('و'),
            c => Some(c),
        })
        .collect()
}

/// Candidate forms of a word with up to two one-letter proclitics (و ف ب ل ك) removed.
fn forms(word: &str) -> Vec<String> {
    let mut out = vec![norm(word)];
    for _ in 0..2 {
        let Some(last) = out.last() else { break };
        let mut cs = last.chars();
        match cs.next() {
            Some('و' | 'ف' | 'ب' | 'ل' | 'ك') if cs.clone().count() >= 2 => {
                out.push(cs.collect());
            }
            _ => break,
        }
    }
    out
}

fn is_number(word: &str) -> bool {
    word.chars().any(|c| c.is_numeric())
}

fn is_negation(word: &str) -> bool {
    forms(word).iter().any(|f| NEGATIONS.contains(&f.as_str()))
}

fn is_function(word: &str) -> bool {
    !word.chars().any(char::is_alphanumeric)
        || word == "…"
        || forms(word)
            .iter()
            .any(|f| FUNCTION_WORDS.contains(&f.as_str()))
}

/// Optimal string alignment distance, capped: returns `cap + 1` as soon as it is exceeded.
fn edit_distance(a: &str, b: &str, cap: usize) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > cap {
        return cap + 1;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()].min(cap + 1)
}

/// A spelling slip rather than another word: one inserted, dropped or transposed letter in a word
/// of five letters or more. A substituted letter is not a slip: in Arabic one dot makes another
/// word (العربي/الغربي, هوليوود/بوليوود), so it may change the facts.
fn is_typo_pair(a: &str, b: &str) -> bool {
    let (a, b) = (norm(a), norm(b));
    let (la, lb) = (a.chars().count(), b.chars().count());
    if !(5..=64).contains(&la.max(lb)) || edit_distance(&a, &b, 1) > 1 {
        return false;
    }
    if la != lb {
        return true;
    }
    let sorted = |s: &str| {
        let mut v: Vec<char> = s.chars().collect();
        v.sort_unstable();
        v
    };
    sorted(&a) == sorted(&b)
}

/// True when one change description (as produced by [`differences`]) may change the facts.
fn change_is_edit(diff: &str) -> bool {
    let (left, right): (Vec<&str>, Vec<&str>) = if let Some((l, r)) = diff.split_once(ARROW) {
        (
            l.split_whitespace().collect(),
            r.split_whitespace().collect(),
        )
    } else if let Some(rest) = diff.strip_prefix("- ").or_else(|| diff.strip_prefix("+ ")) {
        (rest.split_whitespace().collect(), Vec::new())
    } else {
        (diff.split_whitespace().collect(), Vec::new())
    };
    let all = || left.iter().chain(&right);
    if all().any(|w| is_number(w) || is_negation(w)) {
        return true;
    }
    let content = |side: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = side
            .iter()
            .filter(|w| !is_function(w))
            .map(|w| norm(w))
            .collect();
        v.sort();
        v
    };
    let (cl, cr) = (content(&left), content(&right));
    if cl == cr {
        return false; // only function words, punctuation or order of the same words changed
    }
    if let ([a], [b]) = (cl.as_slice(), cr.as_slice()) {
        return !is_typo_pair(a, b);
    }
    true
}

/// True when the differences may change the facts — numbers, negations (لا/لم/لن/ليس/غير/عدم/نفى),
/// names and other content words — rather than only function words, punctuation, word order or
/// a dropped, added or swapped letter in a long word.
///
/// ```
/// use rasd_dedup::is_edited;
/// assert!(is_edited(&["2 → 3".into()]));
/// assert!(is_edited(&["+ لا".into()]));
/// assert!(is_edited(&["موسكو → واشنطن".into()]));
/// assert!(!is_edited(&["في → من".into(), "- ،".into()]));
/// assert!(!is_edited(&["الخارجيه → الخارجية".into()]));
/// assert!(!is_edited(&[]));
/// ```
pub fn is_edited(diffs: &[String]) -> bool {
    diffs.iter().any(|d| change_is_edit(d))
}

/// One change: `a[a0..a1]` replaced by `b[b0..b1]`.
#[derive(Debug, Clone, Copy)]
struct Hunk {
    a0: usize,
    a1: usize,
    b0: usize,
    b1: usize,
}

/// The table `L[i][j]` = length of the longest common subsequence of `a[i..]` and `b[j..]`, kept
/// as one bit vector per row (bit-parallel LCS, Allison–Dix / Hyyrö): 64 cells per machine word
/// instead of one, with the same values as the cell-by-cell dynamic programme.
///
/// On the reversed sequences `a' = rev(a)`, `b' = rev(b)`, `L[i][j] = LCS(a'[..n-i], b'[..m-j])`.
/// Row `r` (`r` words of `a'` consumed) is a vector `V` over the positions of `b'` whose zero
/// bits mark where the LCS with a longer prefix of `b'` grows by one: `LCS(a'[..r], b'[..k])` is
/// the number of zeros among bits `0..k`. With `M` the positions of the next word of `a'` in `b'`
/// and `U = V & M`: `V ← (V + U) | (V & !U)` (`V - U` is `V & !U` since `U ⊆ V`).
struct LcsTable {
    rows: Vec<u64>,
    words: usize,
    n: usize,
    m: usize,
}

impl LcsTable {
    fn new(a: &[u32], b: &[u32], n_b: usize) -> Self {
        let (n, m) = (a.len(), b.len());
        let words = m.div_ceil(64).max(1);
        // Positions of each word of `b` in `b'`.
        let mut pm = vec![0u64; n_b * words];
        for (k, &id) in b.iter().rev().enumerate() {
            if let Some(w) = pm.get_mut(id as usize * words + k / 64) {
                *w |= 1 << (k % 64);
            }
        }
        let mut rows = vec![0u64; (n + 1) * words];
        rows[..words].fill(u64::MAX);
        for (r, &id) in a.iter().rev().enumerate() {
            let (done, next) = rows.split_at_mut((r + 1) * words);
            let prev = &done[r * words..];
            let mask = pm.get(id as usize * words..(id as usize + 1) * words);
            let mut carry = false;
            for (k, out) in next.iter_mut().take(words).enumerate() {
                let v = prev[k];
                let u = mask.map_or(0, |mk| v & mk[k]);
                let (s1, c1) = v.overflowing_add(u);
                let (s2, c2) = s1.overflowing_add(u64::from(carry));
                carry = c1 || c2;
                *out = s2 | (v & !u);
            }
        }
        LcsTable { rows, words, n, m }
    }

    /// `L[i][j]` for `i ≤ n`, `j ≤ m`.
    fn get(&self, i: usize, j: usize) -> u32 {
        let (r, k) = (self.n - i, self.m - j);
        let row = &self.rows[r * self.words..(r + 1) * self.words];
        let full = k / 64;
        let mut ones: u32 = row[..full].iter().map(|w| w.count_ones()).sum();
        if k % 64 != 0 {
            ones += (row[full] & ((1u64 << (k % 64)) - 1)).count_ones();
        }
        k as u32 - ones
    }
}

/// Hunks of the word alignment of `a` and `b` (longest common subsequence).
fn hunks<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<Hunk> {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    if ma.is_empty() && mb.is_empty() {
        return Vec::new();
    }
    let (n, m) = (ma.len(), mb.len());
    if n == 0 || m == 0 || (n + 1).saturating_mul(m + 1) > MAX_CELLS {
        return vec![Hunk {
            a0: pre,
            a1: pre + n,
            b0: pre,
            b1: pre + m,
        }];
    }
    // Words as integers (those of `mb` first, so the ids below `n_b` are exactly its words).
    let mut ids: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
    fn intern<'a>(ids: &mut rustc_hash::FxHashMap<&'a str, u32>, ws: &[&'a str]) -> Vec<u32> {
        ws.iter()
            .map(|&w| {
                let next = ids.len() as u32;
                *ids.entry(w).or_insert(next)
            })
            .collect()
    }
    let mb = intern(&mut ids, mb);
    let n_b = ids.len();
    let ma = intern(&mut ids, ma);
    let table = LcsTable::new(&ma, &mb, n_b);
    let lcs = |i: usize, j: usize| table.get(i, j);
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut open: Option<(usize, usize)> = None;
    while i < n || j < m {
        if i < n && j < m && ma[i] == mb[j] {
            if let Some((a0, b0)) = open.take() {
                out.push(Hunk {
                    a0: pre + a0,
                    a1: pre + i,
                    b0: pre + b0,
                    b1: pre + j,
                });
            }
            i += 1;
            j += 1;
            continue;
        }
        open.get_or_insert((i, j));
        if j < m && (i == n || lcs(i, j + 1) >= lcs(i + 1, j)) {
            j += 1;
        } else {
            i += 1;
        }
    }
    if let Some((a0, b0)) = open {
        out.push(Hunk {
            a0: pre + a0,
            a1: pre + n,
            b0: pre + b0,
            b1: pre + m,
        });
    }
    out
}

/// Joins up to `MAX_WORDS` words, each cut to `MAX_WORD_CHARS` characters.
fn words(ws: &[&str]) -> String {
    let cut = |w: &&str| -> String {
        match w.char_indices().nth(MAX_WORD_CHARS) {
            Some((at, _)) => format!("{}…", w.get(..at).unwrap_or(w)),
            None => (*w).to_string(),
        }
    };
    let mut s = ws
        .iter()
        .take(MAX_WORDS)
        .map(cut)
        .collect::<Vec<_>>()
        .join(" ");
    if ws.len() > MAX_WORDS {
        s.push_str(" …");
    }
    s
}

fn describe(a: &[&str], b: &[&str], h: Hunk) -> String {
    let (da, db) = (
        a.get(h.a0..h.a1).unwrap_or(&[]),
        b.get(h.b0..h.b1).unwrap_or(&[]),
    );
    match (da.is_empty(), db.is_empty()) {
        (false, true) => format!("- {}", words(da)),
        (true, false) => format!("+ {}", words(db)),
        _ => format!("{}{ARROW}{}", words(da), words(db)),
    }
}

/// Word-level differences between two token sequences (e.g. a changed number, a name, a
/// negation), as short human-readable descriptions: `"2 → 3"` (replaced), `"- لا"` (only in `a`),
/// `"+ غير"` (only in `b`). At most `max` are returned, in text order; when there are more, those
/// that may change the facts (see [`is_edited`]) are kept first. Long changes are cut to a few
/// words followed by `…`.
///
/// ```
/// let a = ["قتل", "2", "في", "الهجوم"];
/// let b = ["قتل", "3", "في", "الهجوم", "الجديد"];
/// assert_eq!(rasd_dedup::differences(&a, &b, 5), ["2 → 3", "+ الجديد"]);
/// assert!(rasd_dedup::differences(&a, &a, 5).is_empty());
/// ```
pub fn differences(a: &[&str], b: &[&str], max: usize) -> Vec<String> {
    if max == 0 {
        return Vec::new();
    }
    let all: Vec<String> = hunks(a, b).into_iter().map(|h| describe(a, b, h)).collect();
    if all.len() <= max {
        return all;
    }
    let mut keep: Vec<usize> = (0..all.len())
        .filter(|&i| change_is_edit(&all[i]))
        .take(max)
        .collect();
    for i in 0..all.len() {
        if keep.len() >= max {
            break;
        }
        if !keep.contains(&i) {
            keep.push(i);
        }
    }
    keep.sort_unstable();
    keep.into_iter()
        .filter_map(|i| all.get(i).cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn bit_parallel_lcs_matches_the_cell_table() {
        // Lengths around the 64-bit word boundaries, small alphabets (many ties) and large ones.
        let mut state = 0x1234_5678_9abc_def1u64;
        let mut next = |k: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % k) as u32
        };
        for (n, m, k) in [
            (1, 1, 2),
            (3, 70, 3),
            (64, 64, 4),
            (65, 63, 2),
            (130, 129, 5),
            (200, 7, 30),
            (1, 200, 2),
        ] {
            let a: Vec<u32> = (0..n).map(|_| next(k)).collect();
            let b: Vec<u32> = (0..m).map(|_| next(k)).collect();
            let w = m + 1;
            let mut naive = vec![0u32; (n + 1) * w];
            for i in (0..n).rev() {
                for j in (0..m).rev() {
                    naive[i * w + j] = if a[i] == b[j] {
                        naive[(i + 1) * w + j + 1] + 1
                    } else {
                        naive[(i + 1) * w + j].max(naive[i * w + j + 1])
                    };
                }
            }
            let table = LcsTable::new(&a, &b, k as usize);
            for i in 0..=n {
                for j in 0..=m {
                    assert_eq!(table.get(i, j), naive[i * w + j], "{n}x{m} at ({i}, {j})");
                }
            }
        }
    }

    #[test]
    fn differences_table() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("", "", &[]),
            ("قال الوزير", "قال الوزير", &[]),
            ("", "خبر عاجل", &["+ خبر عاجل"]),
            ("خبر عاجل", "", &["- خبر عاجل"]),
            ("قتل 2 جنود", "قتل 3 جنود", &["2 → 3"]),
            (
                "الوزير لا يوافق على الخطة",
                "الوزير يوافق على الخطة",
                &["- لا"],
            ),
            (
                "وافق البرلمان على القانون",
                "وافق البرلمان على القانون غير",
                &["+ غير"],
            ),
            (
                "زار الرئيس موسكو أمس",
                "زار الرئيس واشنطن اليوم",
                &["موسكو أمس → واشنطن اليوم"],
            ),
            ("ا ب ج د", "ا س ج ص", &["ب → س", "د → ص"]),
            ("ا ب ج", "ب ج ا", &["- ا", "+ ا"]),
        ];
        for &(a, b, want) in cases {
            assert_eq!(differences(&t(a), &t(b), 10), want, "{a} | {b}");
        }
    }

    #[test]
    fn differences_are_limited_and_facts_first() {
        let a = t("ا ، ب ، ج ، د 5 ه");
        let b = t("ا . ب . ج . د 6 ه");
        assert_eq!(differences(&a, &b, 10).len(), 4);
        assert_eq!(differences(&a, &b, 2), ["، → .", "5 → 6"]);
        assert!(differences(&a, &b, 0).is_empty());
        // Long changes are cut.
        let long: Vec<String> = (0..30).map(|i| format!("w{i}")).collect();
        let long: Vec<&str> = long.iter().map(String::as_str).collect();
        let d = differences(&[], &long, 3);
        assert_eq!(d, ["+ w0 w1 w2 w3 w4 w5 w6 w7 …"]);
        let huge = "ب".repeat(1000);
        assert_eq!(
            differences(&["ا"], &[&huge], 3),
            [format!("ا → {}…", "ب".repeat(40))]
        );
    }

    #[test]
    fn huge_inputs_do_not_blow_up() {
        let a: Vec<String> = (0..5000).map(|i| format!("a{i}")).collect();
        let b: Vec<String> = (0..5000).map(|i| format!("b{i}")).collect();
        let (a, b): (Vec<&str>, Vec<&str>) = (
            a.iter().map(String::as_str).collect(),
            b.iter().map(String::as_str).collect(),
        );
        let d = differences(&a, &b, 3);
        assert_eq!(d.len(), 1);
        assert!(d[0].starts_with("a0 a1") && d[0].contains(ARROW));
    }

    #[test]
    fn is_edited_table() {
        let cases: &[(&str, bool)] = &[
            ("2 → 3", true),
            ("٢٠١٧ → ٢٠١٨", true),
            ("- لا", true),
            ("+ ولم", true),
            ("+ بعدم", true),
            ("أكد → نفى", true),
            ("- بوتين", true),
            ("موسكو → واشنطن", true),
            ("أعلى → أدنى", true),
            ("سامي → سامر", true),     // short names: not treated as typos
            ("العربي → الغربي", true), // one dot, another word
            ("هوليوود → بوليوود", true),
            ("المحادثات → المحادتات", true),
            ("في → من", false),
            ("- ،", false),
            ("+ وقال", false),
            ("الذي → التي", false),
            ("قال → أضاف", false),
            ("الخارجيه → الخارجية", false),
            ("المحادثات → المحدثات", false),
            ("الأمريكية → الأميركية", false),
            ("- الرئيس", true),
            ("الرئيس الروسي → الروسي الرئيس", false),
        ];
        for &(d, want) in cases {
            assert_eq!(is_edited(&[d.to_string()]), want, "{d}");
        }
        assert!(!is_edited(&[]));
        assert!(is_edited(&["في → من".into(), "5 → 6".into()]));
    }

    #[test]
    fn edit_distance_table() {
        for &(a, b, d) in &[
            ("", "", 0),
            ("abc", "abc", 0),
            ("abc", "acb", 1),
            ("abc", "ab", 1),
            ("abcd", "xy", 4),
            ("abcd", "abxd", 1),
        ] {
            assert_eq!(edit_distance(a, b, 5), d, "{a} {b}");
        }
        assert_eq!(edit_distance("abcdef", "uvwxyz", 1), 2);
    }
}
