//! From meaning to TIMEX3-style values, against an anchor day.

use chrono::{Datelike, Duration, NaiveDate};
use rasd_types::TimexType;

use crate::hijri::{gregorian_to_hijri, hijri_month_to_gregorian, hijri_to_gregorian};
use crate::lexicon::{Part, Unit};
use crate::scan::Sem;

/// A resolved value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Resolved {
    pub kind: TimexType,
    pub value: Option<String>,
    pub granularity: &'static str,
    /// Whether the value depends on the anchor.
    pub relative: bool,
}

/// What earlier expressions of the same text said (for الشهر نفسه).
#[derive(Debug, Default)]
pub(crate) struct Context {
    last_month: Option<(i32, u32)>,
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn date(d: Option<NaiveDate>, relative: bool) -> Resolved {
    Resolved {
        kind: TimexType::Date,
        value: d.map(iso),
        granularity: "day",
        relative,
    }
}

fn with_part(d: Option<NaiveDate>, part: Option<Part>, relative: bool) -> Resolved {
    match part {
        None => date(d, relative),
        Some(p) => Resolved {
            kind: TimexType::Time,
            value: d.map(|d| format!("{}T{}", iso(d), p.code())),
            granularity: "part_of_day",
            relative,
        },
    }
}

fn month_value(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

/// Adds `n` months to (y, m).
fn shift_month(y: i32, m: u32, n: i32) -> (i32, u32) {
    let idx = y * 12 + m as i32 - 1 + n;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

fn last_day_of_month(y: i32, m: u32) -> u32 {
    let (ny, nm) = shift_month(y, m, 1);
    day(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .map_or(28, |d| d.day())
}

/// The year of a month-day with no year: the last one before the anchor for الماضي, the next one
/// for المقبل, the anchor's for الحالي, and otherwise the nearest, counting the future twice as
/// far (news leans to the past).
fn pick_year(anchor: NaiveDate, m: u32, d: Option<u32>, rel: Option<i8>) -> Option<i32> {
    let y = anchor.year();
    let key = (m, d.unwrap_or(0));
    let now = (anchor.month(), if d.is_some() { anchor.day() } else { 0 });
    Some(match rel {
        Some(-1) => {
            if key < now {
                y
            } else {
                y - 1
            }
        }
        Some(1) => {
            if key > now {
                y
            } else {
                y + 1
            }
        }
        Some(_) => y,
        None => {
            let mut best: Option<(i64, i32)> = None;
            for cy in [y - 1, y, y + 1] {
                let dd = d.unwrap_or(15).min(last_day_of_month(cy, m));
                let c = day(cy, m, dd)?;
                let diff = (c - anchor).num_days();
                let cost = if diff <= 0 { -diff } else { diff * 2 };
                if best.is_none_or(|(b, _)| cost < b) {
                    best = Some((cost, cy));
                }
            }
            best?.1
        }
    })
}

/// The Hijri year of a Hijri month-day with no year, by the same rules.
fn pick_hijri_year(anchor: NaiveDate, m: u32, d: Option<u32>, rel: Option<i8>) -> Option<i32> {
    let (hy, hm, hd) = gregorian_to_hijri(anchor)?;
    let key = (m, d.unwrap_or(0));
    let now = (hm, if d.is_some() { hd } else { 0 });
    Some(match rel {
        Some(-1) => {
            if key < now {
                hy
            } else {
                hy - 1
            }
        }
        Some(1) => {
            if key > now {
                hy
            } else {
                hy + 1
            }
        }
        Some(_) => hy,
        None => {
            let mut best: Option<(i64, i32)> = None;
            for cy in [hy - 1, hy, hy + 1] {
                let Some(c) = hijri_to_gregorian(cy, m, d.unwrap_or(15).min(29)) else {
                    continue;
                };
                let diff = (c - anchor).num_days();
                let cost = if diff <= 0 { -diff } else { diff * 2 };
                if best.is_none_or(|(b, _)| cost < b) {
                    best = Some((cost, cy));
                }
            }
            best?.1
        }
    })
}

fn week_value(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

fn number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// P6M, P1.5Y, PT3H, P20Y (decades in years).
pub(crate) fn duration_value(unit: Unit, amount: f64) -> String {
    let (unit, amount) = if unit == Unit::Decade {
        (Unit::Year, amount * 10.0)
    } else {
        (unit, amount)
    };
    let (letter, t) = unit.iso();
    // A negative amount stands for an unstated number (عدة أيام: PXD).
    let n = if amount < 0.0 {
        "X".to_string()
    } else {
        number(amount)
    };
    format!("P{}{}{}", if t { "T" } else { "" }, n, letter)
}

impl Context {
    /// Resolves one expression, in text order.
    pub(crate) fn resolve(&mut self, sem: Sem, anchor: Option<NaiveDate>) -> Resolved {
        let r = self.resolve_inner(sem, anchor);
        if let Some(v) = &r.value {
            // Remember the month for الشهر نفسه.
            let b = v.as_bytes();
            if v.len() >= 7
                && b.get(4) == Some(&b'-')
                && b.get(5).is_some_and(|c| c.is_ascii_digit())
            {
                if let (Some(y), Some(m)) = (
                    v.get(..4).and_then(|s| s.parse().ok()),
                    v.get(5..7).and_then(|s| s.parse().ok()),
                ) {
                    self.last_month = Some((y, m));
                }
            }
        }
        r
    }

    fn resolve_inner(&self, sem: Sem, anchor: Option<NaiveDate>) -> Resolved {
        match sem {
            Sem::Date { y, m, d, time } => match time {
                None => date(day(y, m, d), false),
                Some((h, mi)) => Resolved {
                    kind: TimexType::Time,
                    value: day(y, m, d).map(|d| format!("{}T{h:02}:{mi:02}", iso(d))),
                    granularity: "minute",
                    relative: false,
                },
            },
            Sem::YearMonth { y, m } => Resolved {
                kind: TimexType::Date,
                value: Some(month_value(y, m)),
                granularity: "month",
                relative: false,
            },
            Sem::Year(y) => Resolved {
                kind: TimexType::Date,
                value: Some(format!("{y:04}")),
                granularity: "year",
                relative: false,
            },
            Sem::HijriDate { y, m, d } => date(hijri_to_gregorian(y, m, d), false),
            Sem::HijriMonth { y, m } => Resolved {
                kind: TimexType::Date,
                value: hijri_month_to_gregorian(y, m).map(|(y, m)| month_value(y, m)),
                granularity: "month",
                relative: false,
            },
            Sem::HijriYear(y) => Resolved {
                kind: TimexType::Date,
                // The Gregorian year holding the middle of the Hijri year.
                value: hijri_to_gregorian(y, 6, 15).map(|d| format!("{:04}", d.year())),
                granularity: "year",
                relative: false,
            },
            Sem::MonthRel { m, d, rel } => {
                let y = anchor.and_then(|a| pick_year(a, m, d, rel));
                match d {
                    Some(d) => date(y.and_then(|y| day(y, m, d)), true),
                    None => Resolved {
                        kind: TimexType::Date,
                        value: y.map(|y| month_value(y, m)),
                        granularity: "month",
                        relative: true,
                    },
                }
            }
            Sem::HijriMonthRel { m, d, rel } => {
                let y = anchor.and_then(|a| pick_hijri_year(a, m, d, rel));
                match d {
                    Some(d) => date(y.and_then(|y| hijri_to_gregorian(y, m, d)), true),
                    None => Resolved {
                        kind: TimexType::Date,
                        value: y
                            .and_then(|y| hijri_month_to_gregorian(y, m))
                            .map(|(y, m)| month_value(y, m)),
                        granularity: "month",
                        relative: true,
                    },
                }
            }
            Sem::DayOffset { n, part, .. } => with_part(
                anchor.and_then(|a| a.checked_add_signed(Duration::days(i64::from(n)))),
                part,
                true,
            ),
            Sem::Weekday { wd, rel, part } => {
                let d = anchor.and_then(|a| {
                    let today = a.weekday().number_from_monday() as i64;
                    let wd = i64::from(wd);
                    let delta = match rel {
                        Some(2) => (wd - today).rem_euclid(7),
                        Some(1) => {
                            let f = (wd - today).rem_euclid(7);
                            if f == 0 {
                                7
                            } else {
                                f
                            }
                        }
                        Some(-1) => {
                            let b = (today - wd).rem_euclid(7);
                            -(if b == 0 { 7 } else { b })
                        }
                        _ => -(today - wd).rem_euclid(7),
                    };
                    a.checked_add_signed(Duration::days(delta))
                });
                with_part(d, part, true)
            }
            Sem::UnitRel { unit, n } => {
                let Some(a) = anchor else {
                    return Resolved {
                        kind: TimexType::Date,
                        value: None,
                        granularity: unit_granularity(unit),
                        relative: true,
                    };
                };
                let value = match unit {
                    Unit::Minute | Unit::Hour | Unit::Day => {
                        let days = if unit == Unit::Day { i64::from(n) } else { 0 };
                        a.checked_add_signed(Duration::days(days)).map(iso)
                    }
                    Unit::Week => a
                        .checked_add_signed(Duration::days(7 * i64::from(n)))
                        .map(week_value),
                    Unit::Month => {
                        let (y, m) = shift_month(a.year(), a.month(), n);
                        Some(month_value(y, m))
                    }
                    Unit::Year => Some(format!("{:04}", a.year() + n)),
                    Unit::Decade => Some(format!("{:03}", (a.year() + 10 * n) / 10)),
                };
                Resolved {
                    kind: TimexType::Date,
                    value,
                    granularity: unit_granularity(unit),
                    relative: true,
                }
            }
            Sem::DayOfMonthRel { d, rel } => {
                let v = anchor.and_then(|a| {
                    let (y, m) = shift_month(a.year(), a.month(), i32::from(rel));
                    day(y, m, d)
                });
                date(v, true)
            }
            Sem::SameMonth { d } => match (self.last_month, d) {
                (Some((y, m)), Some(d)) => date(day(y, m, d), false),
                (Some((y, m)), None) => Resolved {
                    kind: TimexType::Date,
                    value: Some(month_value(y, m)),
                    granularity: "month",
                    relative: false,
                },
                (None, d) => Resolved {
                    kind: TimexType::Date,
                    value: None,
                    granularity: if d.is_some() { "day" } else { "month" },
                    relative: false,
                },
            },
            Sem::Clock { h, m } => Resolved {
                kind: TimexType::Time,
                value: Some(format!("T{h:02}:{m:02}")),
                granularity: "minute",
                relative: false,
            },
            Sem::Duration { unit, amount } => Resolved {
                kind: TimexType::Duration,
                value: Some(duration_value(unit, amount)),
                granularity: unit.name(),
                relative: false,
            },
            Sem::Set { unit, amount } => Resolved {
                kind: TimexType::Set,
                value: Some(duration_value(unit, amount)),
                granularity: unit.name(),
                relative: false,
            },
            Sem::SetPart(p) => Resolved {
                kind: TimexType::Set,
                value: Some(format!("XXXX-XX-XXT{}", p.code())),
                granularity: "part_of_day",
                relative: false,
            },
            Sem::Season { code, y, rel } => {
                let (year, relative) = match y {
                    Some(y) => (Some(y), false),
                    None => (anchor.map(|a| a.year() + i32::from(rel)), true),
                };
                Resolved {
                    kind: TimexType::Date,
                    value: year.map(|y| format!("{y:04}-{code}")),
                    granularity: "season",
                    relative,
                }
            }
            Sem::SetWeekday(wd) => Resolved {
                kind: TimexType::Set,
                value: Some(format!("XXXX-WXX-{wd}")),
                granularity: "week",
                relative: false,
            },
        }
    }
}

fn unit_granularity(u: Unit) -> &'static str {
    match u {
        Unit::Minute | Unit::Hour | Unit::Day => "day",
        other => other.name(),
    }
}
