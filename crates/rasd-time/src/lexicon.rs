//! The words that can start or shape a temporal expression, folded for lookup.
//!
//! Month names of every Arabic region (Egypt and the Gulf: يناير…; the Levant and Iraq: كانون الثاني…;
//! Algeria and Tunisia: جانفي…; Morocco: شتنبر…; Mauritania: أغشت…), weekdays and Hijri months follow
//! the CLDR `ar` locales (Unicode-3.0; written out here by hand, not copied from a file); the
//! relative and unit words are ordinary Modern Standard Arabic.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// A unit of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
    Decade,
}

impl Unit {
    /// The TIMEX3 duration letter and whether it sits after `T`.
    pub(crate) fn iso(self) -> (&'static str, bool) {
        match self {
            Unit::Minute => ("M", true),
            Unit::Hour => ("H", true),
            Unit::Day => ("D", false),
            Unit::Week => ("W", false),
            Unit::Month => ("M", false),
            Unit::Year => ("Y", false),
            Unit::Decade => ("DE", false),
        }
    }

    /// The granularity name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Unit::Minute => "minute",
            Unit::Hour => "hour",
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
            Unit::Decade => "decade",
        }
    }
}

/// How many a unit word says by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Count {
    /// يوم، شهر: one (or, after a number ≥ 11, the counted form).
    One,
    /// يومين، شهرين: two.
    Two,
    /// أيام، أشهر: a plural that needs a number.
    Plural,
}

/// A part of the day (TIMEX3 `MO`, `MI`, `AF`, `EV`, `NI`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Morning,
    Noon,
    Afternoon,
    Evening,
    Night,
}

impl Part {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Part::Morning => "MO",
            Part::Noon => "MI",
            Part::Afternoon => "AF",
            Part::Evening => "EV",
            Part::Night => "NI",
        }
    }
}

/// Where in a period (مطلع، منتصف، نهاية): kept in the span, the value stays the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edge {
    Start,
    Mid,
    End,
}

/// What a folded word means to the scanner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lex {
    /// A Gregorian month name (any region).
    Month(u8),
    /// A month name that is also a common word (مارس "practised", آب, ماي, جوان): needs a day,
    /// a year, a modifier or شهر to count.
    MonthWeak(u8),
    /// التالي, السابق, الوطني…: after اليوم, not today.
    NotToday,
    /// ذلك, تلك, نفس: before اليوم, not today.
    That,
    /// كانون / تشرين: a month once the next word says which.
    MonthHead {
        first: u8,
        second: u8,
    },
    /// A Hijri month name.
    Hijri(u8),
    /// ربيع / جمادى / ذو القعدة: a Hijri month once the next word says which.
    HijriHead {
        first: u8,
        second: u8,
    },
    /// ذو / ذي before القعدة / الحجة.
    HijriDhu,
    /// القعدة (11) / الحجة (12).
    HijriDhuTail(u8),
    /// ISO weekday, 1 = Monday.
    Weekday(u8),
    /// A weekday without the article (كل جمعة): only after كل or يوم.
    WeekdayBare(u8),
    /// الأول, الثاني…: an ordinal (days, hours, and the second word of a two-word month).
    Ordinal(u8),
    /// العشرين / الثلاثين as ordinals.
    OrdinalTens(u8),
    /// أول (in أول أمس).
    First,
    /// الآخر / الأخيرة / الأخرى (second half of ربيع الآخر, جمادى الآخرة).
    Last,
    /// A number word.
    Cardinal(u32),
    /// A unit of time, indefinite.
    Unit(Unit, Count),
    /// الأسبوع, الشهر, العام, السنة.
    UnitDef(Unit),
    /// الماضي (-1), المقبل (+1), الحالي (0).
    Rel(i8),
    /// نفسه / ذاته: the period last named.
    Same,
    Today,
    Yesterday,
    Tomorrow,
    /// بعد (after; also بعد غد).
    After,
    /// قبل.
    Before,
    /// منذ.
    Since,
    /// لمدة, طوال, طيلة: a duration follows.
    For,
    /// كل.
    Every,
    /// هذا / هذه.
    This,
    /// يوم (before a weekday or أمس).
    DayWord,
    /// شهر before a month name.
    MonthWord,
    /// الساعة.
    Clock,
    /// A part of the day.
    Part(Part),
    /// مطلع, منتصف, نهاية…
    Edge(Edge),
    /// نصف (or ونصف after stripping).
    Half,
    /// ربع.
    Quarter,
    /// إلا (in الثالثة إلا ربعا).
    Except,
    /// من.
    Of,
    /// هـ, هجري, للهجرة.
    HijriEra,
    /// م, ميلادي.
    GregEra,
    /// نحو, حوالي, قرابة: an approximate number follows.
    About,
    /// يوميا, أسبوعيا, شهريا, سنويا.
    Adverb(Unit),
    /// في, حتى, خلال…: a bare year may follow.
    YearSignal,
    /// Words after which a number is not a year or a time: القرار, رقم, هدف, دولار…
    Blocker,
    /// حتى: a year may follow, and a weekday after it is the coming one.
    Until,
    /// عدة, بضعة: an unstated number of units (PXD).
    Several,
    /// A season, by its TIMEX3 code (SP, SU, FA, WI).
    Season(&'static str),
}

/// Folds a word for lookup: no diacritics or tatweel, one alef, ى→ي, ة→ه, Persian letters to Arabic.
pub(crate) fn fold_into(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        let m = match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => continue,
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' | 'ی' => 'ي',
            'ة' => 'ه',
            'ک' => 'ك',
            _ => c,
        };
        out.push(m);
    }
}

fn fold(word: &str) -> String {
    let mut s = String::new();
    fold_into(word, &mut s);
    s
}

const MONTHS: &[(&str, u8)] = &[
    // Egypt, the Gulf, Sudan, Libya (and Mauritania's variants)
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("إبريل", 4),
    ("ابريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يونيه", 6),
    ("يوليو", 7),
    ("يوليه", 7),
    ("أغسطس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("أغشت", 8),
    ("دجمبر", 12),
    // the Levant and Iraq (كانون and تشرين are MonthHead)
    ("شباط", 2),
    ("آذار", 3),
    ("نيسان", 4),
    ("أيار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("آب", 8),
    ("أيلول", 9),
    // Algeria and Tunisia
    ("جانفي", 1),
    ("فيفري", 2),
    ("أفريل", 4),
    ("ماي", 5),
    ("جوان", 6),
    ("جويلية", 7),
    ("جويليه", 7),
    ("أوت", 8),
    // Morocco
    ("يوليوز", 7),
    ("غشت", 8),
    ("شتنبر", 9),
    ("نونبر", 11),
    ("دجنبر", 12),
];

const WORDS: &[(&str, Lex)] = &[
    (
        "كانون",
        Lex::MonthHead {
            first: 12,
            second: 1,
        },
    ),
    (
        "تشرين",
        Lex::MonthHead {
            first: 10,
            second: 11,
        },
    ),
    ("محرم", Lex::Hijri(1)),
    ("صفر", Lex::Hijri(2)),
    (
        "ربيع",
        Lex::HijriHead {
            first: 3,
            second: 4,
        },
    ),
    (
        "جمادى",
        Lex::HijriHead {
            first: 5,
            second: 6,
        },
    ),
    ("رجب", Lex::Hijri(7)),
    ("شعبان", Lex::Hijri(8)),
    ("رمضان", Lex::Hijri(9)),
    ("شوال", Lex::Hijri(10)),
    ("ذو", Lex::HijriDhu),
    ("ذي", Lex::HijriDhu),
    ("القعدة", Lex::HijriDhuTail(11)),
    ("الحجة", Lex::HijriDhuTail(12)),
    ("الاثنين", Lex::Weekday(1)),
    ("الإثنين", Lex::Weekday(1)),
    ("الثلاثاء", Lex::Weekday(2)),
    ("الأربعاء", Lex::Weekday(3)),
    ("الخميس", Lex::Weekday(4)),
    ("الجمعة", Lex::Weekday(5)),
    ("السبت", Lex::Weekday(6)),
    ("الأحد", Lex::Weekday(7)),
    ("ثلاثاء", Lex::WeekdayBare(2)),
    ("أربعاء", Lex::WeekdayBare(3)),
    ("خميس", Lex::WeekdayBare(4)),
    ("جمعة", Lex::WeekdayBare(5)),
    ("سبت", Lex::WeekdayBare(6)),
    ("الأول", Lex::Ordinal(1)),
    ("الأولى", Lex::Ordinal(1)),
    ("الواحدة", Lex::Ordinal(1)),
    ("الثاني", Lex::Ordinal(2)),
    ("الثانية", Lex::Ordinal(2)),
    ("الثالث", Lex::Ordinal(3)),
    ("الثالثة", Lex::Ordinal(3)),
    ("الرابع", Lex::Ordinal(4)),
    ("الرابعة", Lex::Ordinal(4)),
    ("الخامس", Lex::Ordinal(5)),
    ("الخامسة", Lex::Ordinal(5)),
    ("السادس", Lex::Ordinal(6)),
    ("السادسة", Lex::Ordinal(6)),
    ("السابع", Lex::Ordinal(7)),
    ("السابعة", Lex::Ordinal(7)),
    ("الثامن", Lex::Ordinal(8)),
    ("الثامنة", Lex::Ordinal(8)),
    ("التاسع", Lex::Ordinal(9)),
    ("التاسعة", Lex::Ordinal(9)),
    ("العاشر", Lex::Ordinal(10)),
    ("العاشرة", Lex::Ordinal(10)),
    ("الحادي", Lex::Ordinal(1)),
    ("الحادية", Lex::Ordinal(1)),
    ("العشرين", Lex::OrdinalTens(20)),
    ("الثلاثين", Lex::OrdinalTens(30)),
    ("أول", Lex::First),
    ("الآخر", Lex::Last),
    ("الآخرة", Lex::Last),
    ("الأخيرة", Lex::Last),
    ("واحد", Lex::Cardinal(1)),
    ("واحدة", Lex::Cardinal(1)),
    ("اثنين", Lex::Cardinal(2)),
    ("اثنان", Lex::Cardinal(2)),
    ("ثلاث", Lex::Cardinal(3)),
    ("ثلاثة", Lex::Cardinal(3)),
    ("أربع", Lex::Cardinal(4)),
    ("أربعة", Lex::Cardinal(4)),
    ("خمس", Lex::Cardinal(5)),
    ("خمسة", Lex::Cardinal(5)),
    ("ست", Lex::Cardinal(6)),
    ("ستة", Lex::Cardinal(6)),
    ("سبع", Lex::Cardinal(7)),
    ("سبعة", Lex::Cardinal(7)),
    ("ثماني", Lex::Cardinal(8)),
    ("ثمانية", Lex::Cardinal(8)),
    ("ثمان", Lex::Cardinal(8)),
    ("تسع", Lex::Cardinal(9)),
    ("تسعة", Lex::Cardinal(9)),
    ("عشر", Lex::Cardinal(10)),
    ("عشرة", Lex::Cardinal(10)),
    ("عشرين", Lex::Cardinal(20)),
    ("عشرون", Lex::Cardinal(20)),
    ("ثلاثين", Lex::Cardinal(30)),
    ("ثلاثون", Lex::Cardinal(30)),
    ("أربعين", Lex::Cardinal(40)),
    ("خمسين", Lex::Cardinal(50)),
    ("دقيقة", Lex::Unit(Unit::Minute, Count::One)),
    ("دقائق", Lex::Unit(Unit::Minute, Count::Plural)),
    ("دقيقتين", Lex::Unit(Unit::Minute, Count::Two)),
    ("ساعة", Lex::Unit(Unit::Hour, Count::One)),
    ("ساعات", Lex::Unit(Unit::Hour, Count::Plural)),
    ("ساعتين", Lex::Unit(Unit::Hour, Count::Two)),
    ("يوم", Lex::DayWord),
    ("يوما", Lex::Unit(Unit::Day, Count::One)),
    ("أيام", Lex::Unit(Unit::Day, Count::Plural)),
    ("يومين", Lex::Unit(Unit::Day, Count::Two)),
    ("أسبوع", Lex::Unit(Unit::Week, Count::One)),
    ("أسبوعا", Lex::Unit(Unit::Week, Count::One)),
    ("أسابيع", Lex::Unit(Unit::Week, Count::Plural)),
    ("أسبوعين", Lex::Unit(Unit::Week, Count::Two)),
    ("شهر", Lex::MonthWord),
    ("شهرا", Lex::Unit(Unit::Month, Count::One)),
    ("أشهر", Lex::Unit(Unit::Month, Count::Plural)),
    ("شهور", Lex::Unit(Unit::Month, Count::Plural)),
    ("شهرين", Lex::Unit(Unit::Month, Count::Two)),
    ("عام", Lex::Unit(Unit::Year, Count::One)),
    ("عاما", Lex::Unit(Unit::Year, Count::One)),
    ("أعوام", Lex::Unit(Unit::Year, Count::Plural)),
    ("عامين", Lex::Unit(Unit::Year, Count::Two)),
    ("سنة", Lex::Unit(Unit::Year, Count::One)),
    ("سنوات", Lex::Unit(Unit::Year, Count::Plural)),
    ("سنين", Lex::Unit(Unit::Year, Count::Plural)),
    ("سنتين", Lex::Unit(Unit::Year, Count::Two)),
    ("عقد", Lex::Unit(Unit::Decade, Count::One)),
    ("عقود", Lex::Unit(Unit::Decade, Count::Plural)),
    ("عقدين", Lex::Unit(Unit::Decade, Count::Two)),
    ("الأسبوع", Lex::UnitDef(Unit::Week)),
    ("الشهر", Lex::UnitDef(Unit::Month)),
    ("العام", Lex::UnitDef(Unit::Year)),
    ("السنة", Lex::UnitDef(Unit::Year)),
    ("الماضي", Lex::Rel(-1)),
    ("الماضية", Lex::Rel(-1)),
    ("المنصرم", Lex::Rel(-1)),
    ("المنصرمة", Lex::Rel(-1)),
    ("الفائت", Lex::Rel(-1)),
    ("الفائتة", Lex::Rel(-1)),
    ("المقبل", Lex::Rel(1)),
    ("المقبلة", Lex::Rel(1)),
    ("القادم", Lex::Rel(1)),
    ("القادمة", Lex::Rel(1)),
    ("الحالي", Lex::Rel(0)),
    ("الحالية", Lex::Rel(0)),
    ("الجاري", Lex::Rel(0)),
    ("الجارية", Lex::Rel(0)),
    ("نفسه", Lex::Same),
    ("نفسها", Lex::Same),
    ("ذاته", Lex::Same),
    ("ذاتها", Lex::Same),
    ("اليوم", Lex::Today),
    ("أمس", Lex::Yesterday),
    ("الأمس", Lex::Yesterday),
    ("البارحة", Lex::Yesterday),
    ("غدا", Lex::Tomorrow),
    ("الغد", Lex::Tomorrow),
    ("غد", Lex::Tomorrow),
    ("بعد", Lex::After),
    ("قبل", Lex::Before),
    ("منذ", Lex::Since),
    ("مذ", Lex::Since),
    ("لمدة", Lex::For),
    ("مدة", Lex::For),
    ("طوال", Lex::For),
    ("طيلة", Lex::For),
    ("كل", Lex::Every),
    ("هذا", Lex::This),
    ("هذه", Lex::This),
    ("الساعة", Lex::Clock),
    ("صباح", Lex::Part(Part::Morning)),
    ("صباحا", Lex::Part(Part::Morning)),
    ("فجر", Lex::Part(Part::Morning)),
    ("فجرا", Lex::Part(Part::Morning)),
    ("ضحى", Lex::Part(Part::Morning)),
    ("ظهر", Lex::Part(Part::Noon)),
    ("ظهرا", Lex::Part(Part::Noon)),
    ("عصر", Lex::Part(Part::Afternoon)),
    ("عصرا", Lex::Part(Part::Afternoon)),
    ("مساء", Lex::Part(Part::Evening)),
    ("مساءا", Lex::Part(Part::Evening)),
    ("ليل", Lex::Part(Part::Night)),
    ("ليلة", Lex::Part(Part::Night)),
    ("ليلا", Lex::Part(Part::Night)),
    ("مطلع", Lex::Edge(Edge::Start)),
    ("بداية", Lex::Edge(Edge::Start)),
    ("أوائل", Lex::Edge(Edge::Start)),
    ("مستهل", Lex::Edge(Edge::Start)),
    ("منتصف", Lex::Edge(Edge::Mid)),
    ("أواسط", Lex::Edge(Edge::Mid)),
    ("أواخر", Lex::Edge(Edge::End)),
    ("نهاية", Lex::Edge(Edge::End)),
    ("ختام", Lex::Edge(Edge::End)),
    ("نصف", Lex::Half),
    ("النصف", Lex::Half),
    ("ربع", Lex::Quarter),
    ("الربع", Lex::Quarter),
    ("ربعا", Lex::Quarter),
    ("إلا", Lex::Except),
    ("من", Lex::Of),
    ("هـ", Lex::HijriEra),
    ("ه", Lex::HijriEra),
    ("هجري", Lex::HijriEra),
    ("هجرية", Lex::HijriEra),
    ("للهجرة", Lex::HijriEra),
    ("م", Lex::GregEra),
    ("ميلادي", Lex::GregEra),
    ("ميلادية", Lex::GregEra),
    ("للميلاد", Lex::GregEra),
    ("نحو", Lex::About),
    ("حوالي", Lex::About),
    ("قرابة", Lex::About),
    ("زهاء", Lex::About),
    ("يوميا", Lex::Adverb(Unit::Day)),
    ("أسبوعيا", Lex::Adverb(Unit::Week)),
    ("شهريا", Lex::Adverb(Unit::Month)),
    ("سنويا", Lex::Adverb(Unit::Year)),
    ("في", Lex::YearSignal),
    ("حتى", Lex::Until),
    ("بحلول", Lex::Until),
    ("عدة", Lex::Several),
    ("بضعة", Lex::Several),
    ("بضع", Lex::Several),
    ("صيف", Lex::Season("SU")),
    ("الصيف", Lex::Season("SU")),
    ("شتاء", Lex::Season("WI")),
    ("الشتاء", Lex::Season("WI")),
    ("خريف", Lex::Season("FA")),
    ("الخريف", Lex::Season("FA")),
    ("الربيع", Lex::Season("SP")),
    ("خلال", Lex::YearSignal),
    ("إلى", Lex::YearSignal),
    ("عامي", Lex::YearSignal),
    ("التالي", Lex::NotToday),
    ("الموالي", Lex::NotToday),
    ("السابق", Lex::NotToday),
    ("الوطني", Lex::NotToday),
    ("العالمي", Lex::NotToday),
    ("الدولي", Lex::NotToday),
    ("ذلك", Lex::That),
    ("تلك", Lex::That),
    ("نفس", Lex::That),
    ("القرار", Lex::Blocker),
    ("قرار", Lex::Blocker),
    ("القانون", Lex::Blocker),
    ("قانون", Lex::Blocker),
    ("المرسوم", Lex::Blocker),
    ("مرسوم", Lex::Blocker),
    ("رقم", Lex::Blocker),
    ("المادة", Lex::Blocker),
    ("مادة", Lex::Blocker),
    ("صفحة", Lex::Blocker),
    ("الصفحة", Lex::Blocker),
    ("هاتف", Lex::Blocker),
    ("الهاتف", Lex::Blocker),
    ("نتيجة", Lex::Blocker),
    ("النتيجة", Lex::Blocker),
    ("بنتيجة", Lex::Blocker),
    ("هدف", Lex::Blocker),
    ("هدفا", Lex::Blocker),
    ("أهداف", Lex::Blocker),
    ("مقابل", Lex::Blocker),
    ("دولار", Lex::Blocker),
    ("دولارا", Lex::Blocker),
    ("ريال", Lex::Blocker),
    ("دينار", Lex::Blocker),
    ("جنيه", Lex::Blocker),
    ("درهم", Lex::Blocker),
    ("ليرة", Lex::Blocker),
    ("يورو", Lex::Blocker),
    ("الطريق", Lex::Blocker),
    ("العدد", Lex::Blocker),
];

/// The lexicon: folded word → meaning, and the longest key in bytes.
struct Lexicon {
    words: FxHashMap<String, Lex>,
    longest: usize,
}

fn lexicon_table() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let words = build();
        let longest = words.keys().map(String::len).max().unwrap_or(0);
        Lexicon { words, longest }
    })
}

fn build() -> FxHashMap<String, Lex> {
    {
        let mut m = FxHashMap::default();
        for (w, n) in MONTHS {
            let weak = matches!(*w, "مارس" | "آب" | "ماي" | "جوان" | "أوت");
            m.insert(
                fold(w),
                if weak {
                    Lex::MonthWeak(*n)
                } else {
                    Lex::Month(*n)
                },
            );
        }
        for (w, l) in WORDS {
            m.entry(fold(w)).or_insert(*l);
        }
        m
    }
}

/// Looks a word up, trying it whole and then without the clitics و ف ب ل ك (and لل → ال).
/// Returns the meaning and how many bytes of prefix were stripped.
pub(crate) fn lookup(word: &str, buf: &mut String) -> Option<(Lex, usize)> {
    let table = lexicon_table();
    // Two clitic letters (4 bytes) plus the longest word; diacritics only make it longer.
    if word.len() > table.longest + 4 + 16 {
        return None;
    }
    let lex = &table.words;
    fold_into(word, buf);
    if buf.len() > table.longest + 4 {
        return None;
    }
    if let Some(l) = lex.get(buf.as_str()) {
        return Some((*l, 0));
    }
    // Clitics: a conjunction (و ف), then a preposition (ب ل ك); each Arabic letter is 2 bytes.
    let mut skip = 0usize;
    let folded = buf.as_str();
    let mut rest = folded;
    for _ in 0..2 {
        let mut chars = rest.chars();
        let c = chars.next()?;
        if !matches!(c, 'و' | 'ف' | 'ب' | 'ل' | 'ك') {
            return None;
        }
        let tail = chars.as_str();
        if tail.chars().count() < 2 {
            return None;
        }
        skip += c.len_utf8();
        if let Some(l) = lex.get(tail) {
            return Some((*l, prefix_bytes(word, skip)));
        }
        if c == 'ل' && tail.starts_with('ل') {
            // لل + word = ل + ال + word with the alef dropped.
            let mut with_al = [0u8; 64];
            let n = tail.len() + 2;
            let (head, rest) = with_al.split_at_mut(2);
            if let Some(rest) = rest.get_mut(..tail.len()) {
                head.copy_from_slice("ا".as_bytes());
                rest.copy_from_slice(tail.as_bytes());
                if let Some(l) = with_al
                    .get(..n)
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .and_then(|k| lex.get(k))
                {
                    return Some((*l, prefix_bytes(word, skip)));
                }
            }
        }
        rest = tail;
    }
    None
}

/// Byte length in the original word of the first `folded_bytes` bytes of its folded form
/// (the prefix letters are never folded, but diacritics on them may be skipped).
fn prefix_bytes(word: &str, folded_bytes: usize) -> usize {
    let mut seen = 0usize;
    for (i, c) in word.char_indices() {
        if seen >= folded_bytes {
            return i;
        }
        if matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}') {
            continue;
        }
        seen += c.len_utf8();
    }
    word.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_names_its_months() {
        let mut buf = String::new();
        let cases = [
            ("يناير", 1),
            ("جانفي", 1),
            ("شباط", 2),
            ("فيفري", 2),
            ("آذار", 3),
            ("نيسان", 4),
            ("أفريل", 4),
            ("أيار", 5),
            ("ماي", 5),
            ("جوان", 6),
            ("حزيران", 6),
            ("جويلية", 7),
            ("يوليوز", 7),
            ("آب", 8),
            ("أوت", 8),
            ("غشت", 8),
            ("أيلول", 9),
            ("شتنبر", 9),
            ("نونبر", 11),
            ("دجنبر", 12),
        ];
        for (w, m) in cases {
            let got = lookup(w, &mut buf).map(|x| x.0);
            assert!(
                got == Some(Lex::Month(m)) || got == Some(Lex::MonthWeak(m)),
                "{w}: {got:?}"
            );
        }
    }

    #[test]
    fn clitics_are_stripped_and_measured() {
        let mut buf = String::new();
        assert_eq!(lookup("وأمس", &mut buf), Some((Lex::Yesterday, 2)));
        assert_eq!(lookup("بالأمس", &mut buf), Some((Lex::Yesterday, 2)));
        assert_eq!(
            lookup("للعام", &mut buf),
            Some((Lex::UnitDef(Unit::Year), 2))
        );
        assert_eq!(lookup("والثلاثاء", &mut buf), Some((Lex::Weekday(2), 2)));
        assert_eq!(
            lookup("مساءً", &mut buf),
            Some((Lex::Part(Part::Evening), 0))
        );
        // Not time words, with or without a stripped letter.
        assert_eq!(lookup("وقت", &mut buf), None);
        assert_eq!(lookup("بلد", &mut buf), None);
        assert_eq!(lookup("", &mut buf), None);
    }
}
