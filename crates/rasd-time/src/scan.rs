//! The scanner: cheap tokens, then pattern matchers started only at trigger tokens.

use crate::lexicon::{lookup, Count, Lex, Part, Unit};

/// A token: a word (with its meaning, if it has one), a number, or one punctuation character.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    /// Byte start (after a stripped clitic for words that matched without it).
    pub start: usize,
    /// Byte end.
    pub end: usize,
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Word(Option<Lex>),
    /// A digit run: its value (None past 9 digits) and how many digits.
    Num(Option<u32>, u8),
    Punct(char),
}

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// A letter: the Arabic blocks and ASCII answered without Unicode tables (the hot path), other
/// scripts by `char::is_alphabetic`.
#[inline]
fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\u{0621}'..='\u{063F}'
        | '\u{0641}'..='\u{064A}'
        | '\u{066E}'..='\u{066F}'
        | '\u{0671}'..='\u{06D3}'
        | '\u{06D5}' => true,
        '\u{06EE}'..='\u{06EF}'
        | '\u{06FA}'..='\u{06FC}'
        | '\u{06FF}'
        | '\u{0750}'..='\u{077F}' => true,
        '\u{0600}'..='\u{06FF}' => false,
        c if (c as u32) < 0x80 => false,
        c => c.is_alphabetic(),
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{2066}'..='\u{2069}' | '\u{202A}'..='\u{202E}' | '\u{FEFF}' | '\u{061C}'
        )
}

/// Splits `text` into tokens; words are looked up (with clitics stripped) as they are cut.
pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = Vec::with_capacity(text.len() / 8 + 4);
    let mut buf = String::with_capacity(32);
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if is_space(c) {
            continue;
        }
        if let Some(d) = digit(c) {
            let mut value = Some(d);
            let mut n: u8 = 1;
            let mut end = i + c.len_utf8();
            while let Some(&(j, c2)) = it.peek() {
                let Some(d2) = digit(c2) else { break };
                value = value.and_then(|v| v.checked_mul(10)?.checked_add(d2));
                n = n.saturating_add(1);
                end = j + c2.len_utf8();
                it.next();
            }
            if n > 9 {
                value = None;
            }
            toks.push(Tok {
                start: i,
                end,
                kind: Kind::Num(value, n),
            });
            continue;
        }
        if is_letter(c) || is_mark(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, c2)) = it.peek() {
                if !(is_letter(c2) || is_mark(c2)) {
                    break;
                }
                end = j + c2.len_utf8();
                it.next();
            }
            let word = text.get(i..end).unwrap_or("");
            // No time word is longer than a few letters plus clitics.
            let found = if word.len() <= 28 {
                lookup(word, &mut buf)
            } else {
                None
            };
            let (lex, skip) = match found {
                Some((l, s)) => (Some(l), s),
                None => (None, 0),
            };
            toks.push(Tok {
                start: i + skip,
                end,
                kind: Kind::Word(lex),
            });
            continue;
        }
        toks.push(Tok {
            start: i,
            end: i + c.len_utf8(),
            kind: Kind::Punct(c),
        });
    }
    toks
}

/// What an expression means before it is resolved against an anchor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Sem {
    /// A calendar day, maybe with a time of day.
    Date {
        y: i32,
        m: u32,
        d: u32,
        time: Option<(u32, u32)>,
    },
    YearMonth {
        y: i32,
        m: u32,
    },
    Year(i32),
    HijriDate {
        y: i32,
        m: u32,
        d: u32,
    },
    HijriMonth {
        y: i32,
        m: u32,
    },
    HijriYear(i32),
    /// A Gregorian month (and day) with no year: needs the anchor.
    MonthRel {
        m: u32,
        d: Option<u32>,
        rel: Option<i8>,
    },
    /// A Hijri month (and day) with no year.
    HijriMonthRel {
        m: u32,
        d: Option<u32>,
        rel: Option<i8>,
    },
    /// اليوم (0), أمس (-1), غدا (+1), with the weekday it names and a part of the day.
    DayOffset {
        n: i32,
        weekday: Option<u8>,
        part: Option<Part>,
    },
    /// A weekday: the last one (leaning to the past), or the next with المقبل.
    Weekday {
        wd: u8,
        rel: Option<i8>,
        part: Option<Part>,
    },
    /// A period counted from the anchor's: الأسبوع الماضي (week, -1), قبل ثلاثة أيام (day, -3).
    UnitRel {
        unit: Unit,
        n: i32,
    },
    /// A day of the month named relative to the anchor (السادس من الشهر الجاري).
    DayOfMonthRel {
        d: u32,
        rel: i8,
    },
    /// الشهر نفسه (and a day of it): the month named last in the text.
    SameMonth {
        d: Option<u32>,
    },
    /// A time of day with no date.
    Clock {
        h: u32,
        m: u32,
    },
    Duration {
        unit: Unit,
        amount: f64,
    },
    Set {
        unit: Unit,
        amount: f64,
    },
    SetWeekday(u8),
    /// كل ليلة، كل صباح.
    SetPart(Part),
    /// A season of a year (صيف 2019) or of the anchor's year (بداية الصيف).
    Season {
        code: &'static str,
        y: Option<i32>,
        rel: i8,
    },
}

/// A match: token range and meaning.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Match {
    pub first: usize,
    pub end: usize,
    pub sem: Sem,
}

struct Cx<'a> {
    t: &'a [Tok],
    text: &'a str,
}

impl Cx<'_> {
    fn lex(&self, i: usize) -> Option<Lex> {
        match self.t.get(i)?.kind {
            Kind::Word(l) => l,
            _ => None,
        }
    }
    fn num(&self, i: usize) -> Option<(u32, u8)> {
        match self.t.get(i)?.kind {
            Kind::Num(Some(v), n) => Some((v, n)),
            _ => None,
        }
    }
    fn punct(&self, i: usize) -> Option<char> {
        match self.t.get(i)?.kind {
            Kind::Punct(c) => Some(c),
            _ => None,
        }
    }
    /// Whether token `i` ends exactly where `i + 1` starts (no space between).
    fn glued(&self, i: usize) -> bool {
        match (self.t.get(i), self.t.get(i + 1)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }
    fn is_rel(&self, i: usize) -> Option<i8> {
        match self.lex(i) {
            Some(Lex::Rel(r)) => Some(r),
            _ => None,
        }
    }
    /// Whether one of the `n` tokens before `i` blocks numbers (القرار 2254, بنتيجة 2:1).
    fn blocked(&self, i: usize, n: usize) -> bool {
        (1..=n).any(|k| i >= k && self.lex(i - k) == Some(Lex::Blocker))
    }
    /// A 4-digit year in range at `i`.
    /// The text of token `i`.
    fn text(&self, i: usize) -> &str {
        self.t
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }
    /// Whether token `i` looks like a counted noun (كيلومتراً، شخصاً): an unknown word ending in
    /// the accusative alef.
    fn counted_noun(&self, i: usize) -> bool {
        if !matches!(self.t.get(i).map(|t| t.kind), Some(Kind::Word(None))) {
            return false;
        }
        let w = self.text(i).trim_end_matches(['\u{064B}', '\u{064E}']);
        w.chars().count() >= 4 && w.ends_with('ا')
    }
    fn year(&self, i: usize, lo: u32, hi: u32) -> Option<i32> {
        let (v, n) = self.num(i)?;
        (n == 4 && (lo..=hi).contains(&v)).then_some(v as i32)
    }
}

/// Finds every expression, left to right, longest first at each trigger token.
pub(crate) fn scan(text: &str, toks: &[Tok]) -> Vec<Match> {
    let cx = Cx { t: toks, text };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let m = match toks.get(i).map(|t| t.kind) {
            Some(Kind::Num(Some(_), _)) => at_number(&cx, i),
            Some(Kind::Word(Some(l))) => at_word(&cx, i, l),
            _ => None,
        };
        match m {
            Some(m) if m.end > i => {
                i = m.end;
                out.push(m);
            }
            _ => i += 1,
        }
    }
    out
}

fn at_number(cx: &Cx, i: usize) -> Option<Match> {
    numeric_date(cx, i)
        .or_else(|| clock_digits(cx, i, i))
        .or_else(|| day_month(cx, i, i))
        .or_else(|| year_bare(cx, i))
        .or_else(|| amount_phrase(cx, i))
}

fn at_word(cx: &Cx, i: usize, l: Lex) -> Option<Match> {
    match l {
        Lex::Month(_) | Lex::MonthHead { .. } | Lex::MonthWeak(_) => month_alone(cx, i, i, false),
        Lex::Hijri(_) | Lex::HijriHead { .. } | Lex::HijriDhu => month_alone(cx, i, i, false),
        Lex::MonthWord => month_alone(cx, i + 1, i, true).or_else(|| amount_phrase(cx, i)),
        Lex::Ordinal(_) | Lex::OrdinalTens(_) => day_month(cx, i, i),
        Lex::Weekday(wd) => weekday(cx, i, i, wd, None),
        Lex::Today | Lex::Yesterday | Lex::Tomorrow => day_word(cx, i, i, None),
        Lex::First => first_yesterday(cx, i),
        Lex::DayWord => day_word_lead(cx, i, i, None).or_else(|| amount_phrase(cx, i)),
        Lex::Part(p) => day_word_lead(cx, i + 1, i, Some(p)),
        Lex::Clock => clock(cx, i),
        Lex::Edge(_) => edge(cx, i),
        Lex::UnitDef(u) => unit_def(cx, i, i, u),
        Lex::This => match cx.lex(i + 1) {
            Some(Lex::UnitDef(u)) => Some(Match {
                first: i,
                end: i + 2,
                sem: Sem::UnitRel { unit: u, n: 0 },
            }),
            _ => None,
        },
        Lex::Unit(Unit::Year, Count::One) if cx.year(i + 1, 1900, 2100).is_some() => {
            year_after_word(cx, i)
        }
        Lex::Before | Lex::After | Lex::Since => relative(cx, i, l),
        Lex::For => {
            let a = amount(cx, i + 1, true)?;
            Some(Match {
                first: i,
                end: a.end,
                sem: Sem::Duration {
                    unit: a.unit,
                    amount: a.amount,
                },
            })
        }
        Lex::Every => every(cx, i),
        Lex::Adverb(u) => Some(Match {
            first: i,
            end: i + 1,
            sem: Sem::Set {
                unit: u,
                amount: 1.0,
            },
        }),
        Lex::Unit(..) | Lex::Cardinal(_) | Lex::Half | Lex::Quarter | Lex::Several => {
            amount_phrase(cx, i)
        }
        Lex::About => {
            let a = amount(cx, i, true)?;
            Some(Match {
                first: i,
                end: a.end,
                sem: Sem::Duration {
                    unit: a.unit,
                    amount: a.amount,
                },
            })
        }
        Lex::Season(code) => season(cx, i, i, code),
        _ => None,
    }
}

/// 10.06.2017, 2017/6/10, 10-6-2017, optionally followed by a time (10:57).
fn numeric_date(cx: &Cx, i: usize) -> Option<Match> {
    let (a, na) = cx.num(i)?;
    let sep = cx.punct(i + 1)?;
    if !matches!(sep, '/' | '.' | '-') {
        return None;
    }
    let (b, _) = cx.num(i + 2)?;
    let (c, nc) = cx.num(i + 4)?;
    if cx.punct(i + 3)? != sep
        || !(cx.glued(i) && cx.glued(i + 1) && cx.glued(i + 2) && cx.glued(i + 3))
    {
        return None;
    }
    // Part of a longer chain (a phone number, a version, an IP address): not a date.
    if i > 0
        && cx.glued(i - 1)
        && (cx.num(i - 1).is_some()
            || cx
                .punct(i - 1)
                .is_some_and(|p| matches!(p, '/' | '.' | '-' | '+')))
    {
        return None;
    }
    if cx.glued(i + 4)
        && cx
            .punct(i + 5)
            .is_some_and(|p| matches!(p, '/' | '.' | '-'))
        && cx.num(i + 6).is_some()
    {
        return None;
    }
    if cx.blocked(i, 1) {
        return None;
    }
    let (y, m, d) = if na == 4 {
        (a as i32, b, c)
    } else if nc == 4 && na <= 2 {
        (c as i32, b, a)
    } else {
        return None;
    };
    if !(1900..=2100).contains(&y) || chrono::NaiveDate::from_ymd_opt(y, m, d).is_none() {
        return None;
    }
    let mut end = i + 5;
    let mut time = None;
    if let Some(t) = clock_digits(cx, end, end) {
        if let Sem::Clock { h, m } = t.sem {
            time = Some((h, m));
            end = t.end;
        }
    }
    Some(Match {
        first: i,
        end,
        sem: Sem::Date { y, m, d, time },
    })
}

/// HH:MM (and :SS) with two-digit minutes, then an optional part of the day. Scores (2:1) have
/// one-digit sides or a score word before.
fn clock_digits(cx: &Cx, first: usize, i: usize) -> Option<Match> {
    let (h, nh) = cx.num(i)?;
    if nh > 2 || cx.punct(i + 1)? != ':' || !cx.glued(i) || !cx.glued(i + 1) {
        return None;
    }
    let (m, nm) = cx.num(i + 2)?;
    if nm != 2 || h > 24 || m > 59 || cx.blocked(first, 3) {
        return None;
    }
    if i > 0 && cx.glued(i - 1) && cx.punct(i - 1) == Some(':') {
        return None;
    }
    let mut end = i + 3;
    if cx.glued(i + 2) && cx.punct(i + 3) == Some(':') && cx.num(i + 4).is_some_and(|(_, n)| n == 2)
    {
        end = i + 5;
    }
    let (h, end) = with_part(cx, h, end);
    if h > 23 {
        return None;
    }
    Some(Match {
        first,
        end,
        sem: Sem::Clock { h, m },
    })
}

/// Applies صباحا / ظهرا / عصرا / مساء / ليلا after an hour.
fn with_part(cx: &Cx, h: u32, end: usize) -> (u32, usize) {
    let Some(Lex::Part(p)) = cx.lex(end) else {
        return (h, end);
    };
    let h = match p {
        Part::Morning if h == 12 => 0,
        Part::Noon if h <= 5 => h + 12,
        Part::Afternoon | Part::Evening if h < 12 => h + 12,
        Part::Night if (6..12).contains(&h) => h + 12,
        Part::Night if h == 12 => 0,
        _ => h,
    };
    (h, end + 1)
}

/// الساعة 10، الساعة 10:30 صباحا، الساعة الثالثة عصرا، الساعة الحادية عشرة والنصف.
fn clock(cx: &Cx, i: usize) -> Option<Match> {
    let j = i + 1;
    if let Some(m) = clock_digits(cx, i, j) {
        return Some(m);
    }
    let (h, mut k) = if let Some((h, n)) = cx.num(j) {
        if n > 2 || cx.blocked(i, 1) {
            return None;
        }
        (h, j + 1)
    } else if let Some(Lex::Ordinal(h)) = cx.lex(j) {
        if cx.lex(j + 1) == Some(Lex::Cardinal(10)) {
            (u32::from(h) + 10, j + 2)
        } else {
            (u32::from(h), j + 1)
        }
    } else {
        return None;
    };
    if h == 0 || h > 24 {
        return None;
    }
    let mut h = h;
    let mut m = 0;
    match cx.lex(k) {
        Some(Lex::Half) => {
            m = 30;
            k += 1;
        }
        Some(Lex::Quarter) => {
            m = 15;
            k += 1;
        }
        Some(Lex::Except) if cx.lex(k + 1) == Some(Lex::Quarter) => {
            h = if h == 1 { 12 } else { h - 1 };
            m = 45;
            k += 2;
        }
        _ => {}
    }
    let (h, end) = with_part(cx, h % 24, k);
    Some(Match {
        first: i,
        end,
        sem: Sem::Clock { h, m },
    })
}

enum MonthName {
    Greg(u32),
    Hijri(u32),
}

/// A month name at `i` (one or two words, either calendar) and the token after it, with a
/// second spelling in a pair (مايو/ أيار، أيار (مايو)) taken in.
fn month_name(cx: &Cx, i: usize) -> Option<(MonthName, usize, bool)> {
    let (name, end, weak) = match cx.lex(i)? {
        Lex::Month(m) => (MonthName::Greg(u32::from(m)), i + 1, false),
        Lex::MonthWeak(m) => (MonthName::Greg(u32::from(m)), i + 1, true),
        Lex::MonthHead { first, second } => match cx.lex(i + 1)? {
            Lex::Ordinal(1) => (MonthName::Greg(u32::from(first)), i + 2, false),
            Lex::Ordinal(2) | Lex::Last => (MonthName::Greg(u32::from(second)), i + 2, false),
            _ => return None,
        },
        Lex::Hijri(m) => (MonthName::Hijri(u32::from(m)), i + 1, m == 2),
        Lex::HijriHead { first, second } => match cx.lex(i + 1)? {
            Lex::Ordinal(1) => (MonthName::Hijri(u32::from(first)), i + 2, false),
            Lex::Ordinal(2) | Lex::Last => (MonthName::Hijri(u32::from(second)), i + 2, false),
            _ => return None,
        },
        Lex::HijriDhu => match cx.lex(i + 1)? {
            Lex::HijriDhuTail(m) => (MonthName::Hijri(u32::from(m)), i + 2, false),
            _ => return None,
        },
        _ => return None,
    };
    // A pair: the same Gregorian month in another region's name.
    if let MonthName::Greg(m) = name {
        let same = |k: usize| -> Option<usize> {
            match month_name_single(cx, k) {
                Some((m2, e)) if m2 == m => Some(e),
                _ => None,
            }
        };
        match cx.punct(end) {
            Some('/') | Some('-') => {
                if let Some(e) = same(end + 1) {
                    return Some((name, e, false));
                }
            }
            Some('(') => {
                if let Some(e) = same(end + 1) {
                    if cx.punct(e) == Some(')') {
                        return Some((name, e + 1, false));
                    }
                }
            }
            _ => {}
        }
    }
    Some((name, end, weak))
}

fn month_name_single(cx: &Cx, i: usize) -> Option<(u32, usize)> {
    match cx.lex(i)? {
        Lex::Month(m) | Lex::MonthWeak(m) => Some((u32::from(m), i + 1)),
        Lex::MonthHead { first, second } => match cx.lex(i + 1)? {
            Lex::Ordinal(1) => Some((u32::from(first), i + 2)),
            Lex::Ordinal(2) | Lex::Last => Some((u32::from(second), i + 2)),
            _ => None,
        },
        _ => None,
    }
}

/// What may follow a month name: a year (with its era), or الماضي / المقبل / الحالي.
enum After {
    Year(i32, usize),
    Rel(i8, usize),
    Nothing,
}

fn after_month(cx: &Cx, end: usize, hijri: bool) -> After {
    let (lo, hi) = if hijri { (1300, 1600) } else { (1900, 2100) };
    let mut k = end;
    // مايو من العام 2017 / مايو عام 2017 / مايو، 2017
    if cx.lex(k) == Some(Lex::Of)
        && matches!(
            cx.lex(k + 1),
            Some(Lex::UnitDef(Unit::Year)) | Some(Lex::Unit(Unit::Year, Count::One))
        )
    {
        k += 2;
    } else if matches!(
        cx.lex(k),
        Some(Lex::UnitDef(Unit::Year)) | Some(Lex::Unit(Unit::Year, Count::One))
    ) {
        k += 1;
    }
    if let Some(y) = cx.year(k, lo, hi) {
        let mut e = k + 1;
        if matches!(cx.lex(e), Some(Lex::HijriEra) | Some(Lex::GregEra)) {
            e += 1;
        }
        return After::Year(y, e);
    }
    if let Some(r) = cx.is_rel(end) {
        return After::Rel(r, end + 1);
    }
    After::Nothing
}

/// A number or an ordinal day, then a month: 4 مايو/ أيار الماضي، 6 أيار 2017، السادس من مايو،
/// 1 رمضان 1438 هـ، السادس من الشهر نفسه.
fn day_month(cx: &Cx, first: usize, i: usize) -> Option<Match> {
    let (d, k) = day_of(cx, i)?;
    let mut k = k;
    if cx.lex(k) == Some(Lex::MonthWord) {
        k += 1;
    }
    if let Some(Lex::UnitDef(Unit::Month)) = cx.lex(k) {
        return match cx.lex(k + 1) {
            Some(Lex::Rel(r)) => Some(Match {
                first,
                end: k + 2,
                sem: Sem::DayOfMonthRel { d, rel: r },
            }),
            Some(Lex::Same) => Some(Match {
                first,
                end: k + 2,
                sem: Sem::SameMonth { d: Some(d) },
            }),
            _ => None,
        };
    }
    let (name, end, _) = month_name(cx, k)?;
    let hijri = matches!(name, MonthName::Hijri(_));
    let after = after_month(cx, end, hijri);
    let (sem, end) = match (name, after) {
        (MonthName::Greg(m), After::Year(y, e)) => (
            Sem::Date {
                y,
                m,
                d,
                time: None,
            },
            e,
        ),
        (MonthName::Greg(m), After::Rel(r, e)) => (
            Sem::MonthRel {
                m,
                d: Some(d),
                rel: Some(r),
            },
            e,
        ),
        (MonthName::Greg(m), After::Nothing) => (
            Sem::MonthRel {
                m,
                d: Some(d),
                rel: None,
            },
            end,
        ),
        (MonthName::Hijri(m), After::Year(y, e)) => (Sem::HijriDate { y, m, d }, e),
        (MonthName::Hijri(m), After::Rel(r, e)) => (
            Sem::HijriMonthRel {
                m,
                d: Some(d),
                rel: Some(r),
            },
            e,
        ),
        (MonthName::Hijri(m), After::Nothing) => (
            Sem::HijriMonthRel {
                m,
                d: Some(d),
                rel: None,
            },
            end,
        ),
    };
    if let Sem::Date { y, m, d, .. } = sem {
        chrono::NaiveDate::from_ymd_opt(y, m, d)?;
    }
    Some(Match { first, end, sem })
}

/// A day of the month at `i`: 1–31 in digits, or an ordinal (السادس، الحادي عشر، الحادي والعشرين)
/// followed by من. Returns the day and the token after it.
fn day_of(cx: &Cx, i: usize) -> Option<(u32, usize)> {
    if let Some((d, n)) = cx.num(i) {
        if n <= 2 && (1..=31).contains(&d) && !cx.blocked(i, 1) {
            // 4 - 5 مايو, 1/2: not here.
            return Some((d, i + 1));
        }
        return None;
    }
    let (d, k) = match cx.lex(i)? {
        Lex::Ordinal(o) => match cx.lex(i + 1) {
            Some(Lex::Cardinal(10)) => (u32::from(o) + 10, i + 2),
            Some(Lex::OrdinalTens(t)) => (u32::from(o) + u32::from(t), i + 2),
            _ => (u32::from(o), i + 1),
        },
        Lex::OrdinalTens(t) => (u32::from(t), i + 1),
        _ => return None,
    };
    if !(1..=31).contains(&d) || cx.lex(k) != Some(Lex::Of) {
        return None;
    }
    Some((d, k + 1))
}

/// A month name with no day: accepted with a year, a modifier, a pair, شهر before it, or a
/// preposition before it (weak names need more than a preposition).
fn month_alone(cx: &Cx, i: usize, first: usize, after_month_word: bool) -> Option<Match> {
    let (name, end, weak) = month_name(cx, i)?;
    let hijri = matches!(name, MonthName::Hijri(_));
    let after = after_month(cx, end, hijri);
    let prev = if first > 0 { cx.lex(first - 1) } else { None };
    let signal = matches!(
        prev,
        Some(Lex::YearSignal)
            | Some(Lex::Until)
            | Some(Lex::Since)
            | Some(Lex::Before)
            | Some(Lex::After)
            | Some(Lex::Of)
    );
    let paired = end > i + 1
        && !matches!(
            cx.lex(i),
            Some(Lex::MonthHead { .. }) | Some(Lex::HijriHead { .. }) | Some(Lex::HijriDhu)
        );
    let sem = match (&name, &after) {
        (MonthName::Greg(m), After::Year(y, _)) => Sem::YearMonth { y: *y, m: *m },
        (MonthName::Hijri(m), After::Year(y, _)) => Sem::HijriMonth { y: *y, m: *m },
        (MonthName::Greg(m), After::Rel(r, _)) => Sem::MonthRel {
            m: *m,
            d: None,
            rel: Some(*r),
        },
        (MonthName::Hijri(m), After::Rel(r, _)) => Sem::HijriMonthRel {
            m: *m,
            d: None,
            rel: Some(*r),
        },
        (MonthName::Greg(m), After::Nothing) => {
            if !(after_month_word || paired || (signal && !weak)) {
                return None;
            }
            Sem::MonthRel {
                m: *m,
                d: None,
                rel: None,
            }
        }
        (MonthName::Hijri(m), After::Nothing) => {
            if !(after_month_word || (signal && !weak)) {
                return None;
            }
            Sem::HijriMonthRel {
                m: *m,
                d: None,
                rel: None,
            }
        }
    };
    let end = match after {
        After::Year(_, e) | After::Rel(_, e) => e,
        After::Nothing => end,
    };
    Some(Match { first, end, sem })
}

/// A bare 4-digit year after في / منذ / قبل / حتى…, or with its era (2017م، 1438هـ).
fn year_bare(cx: &Cx, i: usize) -> Option<Match> {
    let (v, n) = cx.num(i)?;
    if n != 4 || cx.blocked(i, 1) {
        return None;
    }
    if matches!(cx.lex(i + 1), Some(Lex::Blocker)) {
        return None;
    }
    if let Some(Lex::HijriEra) = cx.lex(i + 1) {
        if (1300..=1600).contains(&v) {
            return Some(Match {
                first: i,
                end: i + 2,
                sem: Sem::HijriYear(v as i32),
            });
        }
    }
    if !(1900..=2100).contains(&v) {
        return None;
    }
    if let Some(Lex::GregEra) = cx.lex(i + 1) {
        return Some(Match {
            first: i,
            end: i + 2,
            sem: Sem::Year(v as i32),
        });
    }
    let prev = if i > 0 { cx.lex(i - 1) } else { None };
    let ok = matches!(
        prev,
        Some(Lex::YearSignal)
            | Some(Lex::Until)
            | Some(Lex::Since)
            | Some(Lex::Before)
            | Some(Lex::After)
            | Some(Lex::Edge(_))
    );
    // Not a count: في 2000 منزل has a noun after it; a year is followed by punctuation, a
    // conjunction-led word, or the end.
    if !ok
        || cx.counted_noun(i + 1)
        || matches!(
            cx.lex(i + 1),
            Some(Lex::Unit(..)) | Some(Lex::DayWord) | Some(Lex::MonthWord)
        )
    {
        return None;
    }
    Some(Match {
        first: i,
        end: i + 1,
        sem: Sem::Year(v as i32),
    })
}

/// عام 2016، العام 2016، سنة 1990م، عام 1438 هـ.
fn year_after_word(cx: &Cx, i: usize) -> Option<Match> {
    let j = i + 1;
    let (v, n) = cx.num(j)?;
    if n != 4 {
        return None;
    }
    if let Some(Lex::HijriEra) = cx.lex(j + 1) {
        if (1300..=1600).contains(&v) {
            return Some(Match {
                first: i,
                end: j + 2,
                sem: Sem::HijriYear(v as i32),
            });
        }
    }
    if !(1900..=2100).contains(&v) {
        return None;
    }
    let end = if cx.lex(j + 1) == Some(Lex::GregEra) {
        j + 2
    } else {
        j + 1
    };
    Some(Match {
        first: i,
        end,
        sem: Sem::Year(v as i32),
    })
}

/// The day words: اليوم [الأربعاء]، أمس [الثلاثاء]، أمس الأول، غدا الخميس.
fn day_word(cx: &Cx, first: usize, i: usize, part: Option<Part>) -> Option<Match> {
    let n = match cx.lex(i)? {
        Lex::Today => {
            if matches!(cx.lex(i + 1), Some(Lex::NotToday))
                || (i > 0 && matches!(cx.lex(i - 1), Some(Lex::That) | Some(Lex::This)))
            {
                return None;
            }
            0
        }
        Lex::Yesterday => -1,
        Lex::Tomorrow => 1,
        _ => return None,
    };
    let mut n = n;
    let mut end = i + 1;
    if n == -1 && cx.lex(end) == Some(Lex::Ordinal(1)) {
        n = -2;
        end += 1;
    }
    let mut weekday = None;
    if let Some(Lex::Weekday(wd)) = cx.lex(end) {
        if cx.lex(end + 1) != Some(Lex::Cardinal(10)) {
            weekday = Some(wd);
            end += 1;
        }
    }
    // صباح اليوم / اليوم صباحا
    let mut part = part;
    if part.is_none() {
        if let Some(Lex::Part(p)) = cx.lex(end) {
            part = Some(p);
            end += 1;
        }
    }
    Some(Match {
        first,
        end,
        sem: Sem::DayOffset { n, weekday, part },
    })
}

/// A weekday, with الماضي / المقبل, or followed by its date (الخميس 8 يونيو 2017).
fn weekday(cx: &Cx, first: usize, i: usize, wd: u8, part: Option<Part>) -> Option<Match> {
    // الأحد عشر is eleven.
    if cx.lex(i + 1) == Some(Lex::Cardinal(10)) {
        return None;
    }
    let mut k = i + 1;
    let open = matches!(cx.punct(k), Some('(') | Some(',') | Some('،') | Some('-'));
    if open {
        k += 1;
    }
    let date = numeric_date(cx, k).or_else(|| day_month(cx, k, k));
    if let Some(m) = date {
        let mut end = m.end;
        if cx.punct(k - 1) == Some('(') && cx.punct(end) == Some(')') {
            end += 1;
        }
        return Some(Match {
            first,
            end,
            sem: m.sem,
        });
    }
    let (rel, end) = match cx.is_rel(i + 1) {
        Some(r) => (Some(r), i + 2),
        // حتى الخميس: until the coming one (today included).
        None if first > 0 && cx.lex(first - 1) == Some(Lex::Until) => (Some(2), i + 1),
        None => (None, i + 1),
    };
    let mut part = part;
    let mut end = end;
    if part.is_none() {
        if let Some(Lex::Part(p)) = cx.lex(end) {
            part = Some(p);
            end += 1;
        }
    }
    Some(Match {
        first,
        end,
        sem: Sem::Weekday { wd, rel, part },
    })
}

/// After يوم or a part of the day: أمس، اليوم، a weekday.
fn day_word_lead(cx: &Cx, i: usize, first: usize, part: Option<Part>) -> Option<Match> {
    let mut k = i;
    if cx.lex(k) == Some(Lex::DayWord) {
        k += 1;
    }
    if part.is_none() {
        // يوم 4 مايو، يوم 10.06.2017
        if let Some(m) = numeric_date(cx, k).or_else(|| day_month(cx, k, k)) {
            return Some(Match { first, ..m });
        }
    }
    match cx.lex(k)? {
        Lex::Today | Lex::Yesterday | Lex::Tomorrow => day_word(cx, first, k, part),
        Lex::Weekday(wd) => weekday(cx, first, k, wd, part),
        Lex::First => first_yesterday(cx, k).map(|m| Match { first, ..m }),
        _ => None,
    }
}

/// أول أمس، أول من أمس.
fn first_yesterday(cx: &Cx, i: usize) -> Option<Match> {
    let mut k = i + 1;
    if cx.lex(k) == Some(Lex::Of) {
        k += 1;
    }
    if cx.lex(k) != Some(Lex::Yesterday) {
        return None;
    }
    Some(Match {
        first: i,
        end: k + 1,
        sem: Sem::DayOffset {
            n: -2,
            weekday: None,
            part: None,
        },
    })
}

/// مطلع / منتصف / نهاية + a month, a year or a relative period: the span takes the edge word,
/// the value stays the period.
fn edge(cx: &Cx, i: usize) -> Option<Match> {
    let mut k = i + 1;
    if let Some(Lex::Season(code)) = cx.lex(k) {
        return season(cx, k, i, code).or(Some(Match {
            first: i,
            end: k + 1,
            sem: Sem::Season {
                code,
                y: None,
                rel: 0,
            },
        }));
    }
    if cx.lex(k) == Some(Lex::MonthWord) {
        return month_alone(cx, k + 1, i, true);
    }
    if let Some(m) = month_alone(cx, k, i, true) {
        return Some(m);
    }
    if let Some(y) = cx.year(k, 1900, 2100) {
        return Some(Match {
            first: i,
            end: k + 1,
            sem: Sem::Year(y),
        });
    }
    if let Some(Lex::UnitDef(u)) = cx.lex(k) {
        if let Some(m) = unit_def(cx, k, i, u) {
            return Some(m);
        }
        // نهاية الأسبوع، بداية العام: the current one.
        if matches!(u, Unit::Week | Unit::Month | Unit::Year) {
            k += 1;
            return Some(Match {
                first: i,
                end: k,
                sem: Sem::UnitRel { unit: u, n: 0 },
            });
        }
    }
    None
}

/// الأسبوع الماضي، العام المقبل، الشهر الجاري، الشهر نفسه، العام 2016.
fn unit_def(cx: &Cx, i: usize, first: usize, u: Unit) -> Option<Match> {
    if u == Unit::Year {
        if let Some(m) = year_after_word(cx, i) {
            return Some(Match { first, ..m });
        }
    }
    match cx.lex(i + 1)? {
        Lex::Rel(r) => {
            // العام الجاري 2024: the year is stated.
            if u == Unit::Year {
                if let Some(y) = cx.year(i + 2, 1900, 2100) {
                    return Some(Match {
                        first,
                        end: i + 3,
                        sem: Sem::Year(y),
                    });
                }
            }
            Some(Match {
                first,
                end: i + 2,
                sem: Sem::UnitRel {
                    unit: u,
                    n: i32::from(r),
                },
            })
        }
        Lex::Same if u == Unit::Month => Some(Match {
            first,
            end: i + 2,
            sem: Sem::SameMonth { d: None },
        }),
        _ => None,
    }
}

struct Amount {
    unit: Unit,
    amount: f64,
    end: usize,
}

/// A length: 6 أشهر، ثلاثة أيام، 15 يوما، يومين، عام ونصف، نصف ساعة؛ a lone singular (شهر)
/// only when `single` (after لمدة، قبل، كل).
fn amount(cx: &Cx, i: usize, single: bool) -> Option<Amount> {
    let mut k = i;
    if cx.lex(k) == Some(Lex::About) {
        k += 1;
    }
    let unit_at = |k: usize| -> Option<(Unit, Count)> {
        match cx.lex(k)? {
            Lex::Unit(u, c) => Some((u, c)),
            Lex::DayWord => Some((Unit::Day, Count::One)),
            Lex::MonthWord => Some((Unit::Month, Count::One)),
            _ => None,
        }
    };
    let half_after = |k: usize| -> bool { cx.lex(k) == Some(Lex::Half) };
    // A number first.
    let number = if let Some((v, n)) = cx.num(k) {
        if n > 6 {
            return None;
        }
        Some((f64::from(v), k + 1))
    } else if let Some(Lex::Cardinal(v)) = cx.lex(k) {
        // ثلاثة عشر يوما
        if cx.lex(k + 1) == Some(Lex::Cardinal(10)) && v < 10 {
            Some((f64::from(v + 10), k + 2))
        } else {
            Some((f64::from(v), k + 1))
        }
    } else {
        None
    };
    if let Some((v, k2)) = number {
        let (u, c) = unit_at(k2)?;
        if c == Count::Two || v <= 0.0 {
            return None;
        }
        let mut amount = v;
        let mut end = k2 + 1;
        if half_after(end) {
            amount += 0.5;
            end += 1;
        }
        return Some(Amount {
            unit: u,
            amount,
            end,
        });
    }
    if cx.lex(k) == Some(Lex::Several) {
        let (u, c) = unit_at(k + 1)?;
        if c != Count::Plural {
            return None;
        }
        return Some(Amount {
            unit: u,
            amount: -1.0,
            end: k + 2,
        });
    }
    if matches!(cx.lex(k), Some(Lex::Half) | Some(Lex::Quarter)) {
        let frac = if cx.lex(k) == Some(Lex::Half) {
            0.5
        } else {
            0.25
        };
        let (u, c) = unit_at(k + 1)?;
        if c != Count::One {
            return None;
        }
        return Some(Amount {
            unit: u,
            amount: frac,
            end: k + 2,
        });
    }
    let (u, c) = unit_at(k)?;
    let mut amount = match c {
        Count::Two => 2.0,
        Count::One => 1.0,
        Count::Plural => return None,
    };
    let mut end = k + 1;
    if half_after(end) {
        amount += 0.5;
        end += 1;
    } else if c == Count::One {
        if cx.lex(end) == Some(Lex::Cardinal(1)) {
            end += 1;
        } else if !single {
            return None;
        }
    }
    Some(Amount {
        unit: u,
        amount,
        end,
    })
}

/// A bare duration: 6 أشهر، يومين، عام ونصف. Not after a blocker (رقم 3 أيام is odd anyway).
fn amount_phrase(cx: &Cx, i: usize) -> Option<Match> {
    if cx.blocked(i, 1) {
        return None;
    }
    let a = amount(cx, i, false)?;
    Some(Match {
        first: i,
        end: a.end,
        sem: Sem::Duration {
            unit: a.unit,
            amount: a.amount,
        },
    })
}

/// قبل / بعد / منذ + a length (قبل أسبوعين، بعد ثلاثة أيام، منذ 6 سنوات), قبل أمس، بعد غد.
fn relative(cx: &Cx, i: usize, l: Lex) -> Option<Match> {
    let j = i + 1;
    match (l, cx.lex(j)) {
        (Lex::Before, Some(Lex::Yesterday)) => {
            return Some(Match {
                first: i,
                end: j + 1,
                sem: Sem::DayOffset {
                    n: -2,
                    weekday: None,
                    part: None,
                },
            })
        }
        (Lex::After, Some(Lex::Tomorrow)) => {
            return Some(Match {
                first: i,
                end: j + 1,
                sem: Sem::DayOffset {
                    n: 2,
                    weekday: None,
                    part: None,
                },
            })
        }
        _ => {}
    }
    // بعد ظهر أمس: the afternoon.
    if l == Lex::After && cx.lex(j) == Some(Lex::Part(Part::Noon)) {
        return day_word_lead(cx, j + 1, i, Some(Part::Afternoon));
    }
    // منذ عام 2011: the year parser takes it at the next token.
    if matches!(
        cx.lex(j),
        Some(Lex::Unit(Unit::Year, Count::One)) | Some(Lex::UnitDef(Unit::Year))
    ) && cx.year(j + 1, 1300, 2100).is_some()
    {
        return None;
    }
    let a = amount(cx, j, true)?;
    let sem = if l == Lex::Since {
        Sem::Duration {
            unit: a.unit,
            amount: a.amount,
        }
    } else {
        let sign = if l == Lex::Before { -1.0 } else { 1.0 };
        let (unit, n) = whole(a.unit, a.amount);
        Sem::UnitRel {
            unit,
            n: (sign * n).round() as i32,
        }
    };
    Some(Match {
        first: i,
        end: a.end,
        sem,
    })
}

/// A fractional count in the next smaller unit (1.5 years → 18 months).
fn whole(u: Unit, amount: f64) -> (Unit, f64) {
    if amount.fract() == 0.0 {
        return (u, amount);
    }
    match u {
        Unit::Decade => (Unit::Year, amount * 10.0),
        Unit::Year => (Unit::Month, amount * 12.0),
        Unit::Month => (Unit::Day, amount * 30.0),
        Unit::Week => (Unit::Day, amount * 7.0),
        Unit::Day => (Unit::Hour, amount * 24.0),
        Unit::Hour => (Unit::Minute, amount * 60.0),
        Unit::Minute => (Unit::Minute, amount.round()),
    }
}

/// كل أسبوع، كل 3 أيام، كل يوم جمعة، كل خميس.
fn every(cx: &Cx, i: usize) -> Option<Match> {
    let j = i + 1;
    if let Some(Lex::Part(p)) = cx.lex(j) {
        return Some(Match {
            first: i,
            end: j + 1,
            sem: Sem::SetPart(p),
        });
    }
    let k = if cx.lex(j) == Some(Lex::DayWord)
        && matches!(
            cx.lex(j + 1),
            Some(Lex::Weekday(_)) | Some(Lex::WeekdayBare(_))
        ) {
        j + 1
    } else {
        j
    };
    if let Some(Lex::Weekday(wd)) | Some(Lex::WeekdayBare(wd)) = cx.lex(k) {
        return Some(Match {
            first: i,
            end: k + 1,
            sem: Sem::SetWeekday(wd),
        });
    }
    let a = amount(cx, j, true)?;
    Some(Match {
        first: i,
        end: a.end,
        sem: Sem::Set {
            unit: a.unit,
            amount: a.amount,
        },
    })
}

/// صيف 2019، الصيف الماضي، هذا الصيف (with this): a season needs a year or a modifier.
fn season(cx: &Cx, i: usize, first: usize, code: &'static str) -> Option<Match> {
    if let Some(y) = cx.year(i + 1, 1900, 2100) {
        return Some(Match {
            first,
            end: i + 2,
            sem: Sem::Season {
                code,
                y: Some(y),
                rel: 0,
            },
        });
    }
    if let Some(r) = cx.is_rel(i + 1) {
        return Some(Match {
            first,
            end: i + 2,
            sem: Sem::Season {
                code,
                y: None,
                rel: r,
            },
        });
    }
    if first > 0 && cx.lex(first - 1) == Some(Lex::This) {
        return Some(Match {
            first: first - 1,
            end: i + 1,
            sem: Sem::Season {
                code,
                y: None,
                rel: 0,
            },
        });
    }
    None
}
