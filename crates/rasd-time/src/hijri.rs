//! Umm al-Qura Hijri ↔ Gregorian conversion from the published month-start table.

use chrono::{Datelike, NaiveDate};

use crate::ummalqura_table::{FIRST_YEAR, MONTH_STARTS};

/// Reduced Julian day 0 (JD 2400000) is 1858-11-16.
fn rjd_epoch() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1858, 11, 16)
}

/// The Gregorian day of a Hijri date (Umm al-Qura), or `None` outside 1343–1500 AH or for a day
/// the month does not have.
///
/// ```
/// use chrono::NaiveDate;
/// assert_eq!(rasd_time::hijri_to_gregorian(1438, 9, 1), NaiveDate::from_ymd_opt(2017, 5, 27));
/// assert_eq!(rasd_time::hijri_to_gregorian(1438, 9, 31), None);
/// ```
pub fn hijri_to_gregorian(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let index = usize::try_from((year - FIRST_YEAR) * 12 + month as i32 - 1).ok()?;
    let start = *MONTH_STARTS.get(index)?;
    let next = *MONTH_STARTS.get(index + 1)?;
    if day as i32 > next - start {
        return None;
    }
    rjd_epoch()?.checked_add_signed(chrono::Duration::days(i64::from(start + day as i32 - 1)))
}

/// The Hijri (Umm al-Qura) year, month and day of a Gregorian date, or `None` outside the table.
///
/// ```
/// use chrono::NaiveDate;
/// let d = NaiveDate::from_ymd_opt(2023, 7, 19).unwrap();
/// assert_eq!(rasd_time::gregorian_to_hijri(d), Some((1445, 1, 1)));
/// ```
pub fn gregorian_to_hijri(date: NaiveDate) -> Option<(i32, u32, u32)> {
    let rjd = i32::try_from((date - rjd_epoch()?).num_days()).ok()?;
    // The last entry only closes the last month.
    let starts = MONTH_STARTS.get(..MONTH_STARTS.len().checked_sub(1)?)?;
    let first = *starts.first()?;
    let last_end = *MONTH_STARTS.last()?;
    if rjd < first || rjd >= last_end {
        return None;
    }
    let index = starts.partition_point(|&s| s <= rjd).checked_sub(1)?;
    let start = *starts.get(index)?;
    let index = i32::try_from(index).ok()?;
    Some((
        FIRST_YEAR + index / 12,
        (index % 12 + 1) as u32,
        (rjd - start + 1) as u32,
    ))
}

/// The Gregorian month (year, month) holding the middle of a Hijri month: a Hijri month straddles
/// two Gregorian months, and a month-level value names the one with most of it.
pub(crate) fn hijri_month_to_gregorian(year: i32, month: u32) -> Option<(i32, u32)> {
    let d = hijri_to_gregorian(year, month, 15)?;
    Some((d.year(), d.month()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn known_umm_al_qura_dates() {
        // (Hijri, Gregorian) pairs from the Saudi official calendar.
        let cases = [
            ((1438, 9, 1), d(2017, 5, 27)),
            ((1445, 1, 1), d(2023, 7, 19)),
            ((1445, 9, 1), d(2024, 3, 11)),
            ((1444, 10, 1), d(2023, 4, 21)),
            ((1343, 1, 1), d(1924, 8, 1)),
            ((1440, 12, 10), d(2019, 8, 11)),
        ];
        for ((y, m, day), g) in cases {
            assert_eq!(hijri_to_gregorian(y, m, day), Some(g), "{y}-{m}-{day}");
            assert_eq!(gregorian_to_hijri(g), Some((y, m, day)), "{g}");
        }
    }

    #[test]
    fn out_of_range_and_bad_days_are_none() {
        assert_eq!(hijri_to_gregorian(1342, 12, 1), None);
        assert_eq!(hijri_to_gregorian(1501, 1, 1), None);
        assert_eq!(hijri_to_gregorian(1438, 13, 1), None);
        assert_eq!(hijri_to_gregorian(1438, 9, 0), None);
        assert_eq!(hijri_to_gregorian(1438, 9, 31), None);
        assert_eq!(gregorian_to_hijri(d(1900, 1, 1)), None);
        assert_eq!(gregorian_to_hijri(d(2100, 1, 1)), None);
    }

    #[test]
    fn round_trip_over_years() {
        let mut day = d(1990, 1, 1);
        while day < d(2040, 1, 1) {
            let (y, m, dd) = gregorian_to_hijri(day).unwrap_or_default();
            assert_eq!(hijri_to_gregorian(y, m, dd), Some(day));
            day += chrono::Duration::days(17);
        }
    }
}
