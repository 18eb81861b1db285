//! Partial ISO 8601 dates (`2025`, `2025-07`, `2025-07-01`) as references carry them.
//!
//! Written by hand: date libraries model full calendar dates, while CSL dates in references are
//! often a year or a month only, and comparing them needs "earlier at the precision both have".

use std::cmp::Ordering;
use std::fmt;

/// A year, optionally with month and day, already checked to be a real calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// Why a date string is not a usable date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateProblem {
    /// Not in ISO form at all.
    NotIso,
    /// ISO form, but no such day (`2025-02-30`, month 13).
    NoSuchDay,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<PartialDate, DateProblem> {
        let parts: Vec<&str> = text.trim().split('-').collect();
        let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
        let ok = match parts.as_slice() {
            [y] => digits(y, 4),
            [y, m] => digits(y, 4) && digits(m, 2),
            [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
            _ => false,
        };
        if !ok {
            return Err(DateProblem::NotIso);
        }
        // The digit checks above make these parses infallible.
        let year: i32 = parts[0].parse().map_err(|_| DateProblem::NotIso)?;
        let month: Option<u8> = parts.get(1).and_then(|m| m.parse().ok());
        let day: Option<u8> = parts.get(2).and_then(|d| d.parse().ok());
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(DateProblem::NoSuchDay);
            }
            if let Some(d) = day {
                if d == 0 || d > days_in_month(year, m) {
                    return Err(DateProblem::NoSuchDay);
                }
            }
        }
        Ok(PartialDate { year, month, day })
    }

    /// Compares at the precision both dates have: `2025-07` and `2025-07-03` are `Equal`.
    pub fn compare_common(&self, other: &PartialDate) -> Ordering {
        self.year
            .cmp(&other.year)
            .then_with(|| match (self.month, other.month) {
                (Some(a), Some(b)) => a.cmp(&b),
                _ => Ordering::Equal,
            })
            .then_with(|| match (self.day, other.day) {
                (Some(a), Some(b)) => a.cmp(&b),
                _ => Ordering::Equal,
            })
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A numeric date whose day and month cannot be told apart (`07/03/2025`: both parts ≤ 12 and
/// different). Returns the two readings, day-first then month-first.
pub fn ambiguous_numeric_date(text: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = text.trim().split(['/', '.', '-']).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let small = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit());
    if !small(a) || !small(b) || y.len() != 4 || !y.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (a, b): (u8, u8) = (a.parse().ok()?, b.parse().ok()?);
    if a == b || !(1..=12).contains(&a) || !(1..=12).contains(&b) {
        return None;
    }
    Some((format!("{y}-{b:02}-{a:02}"), format!("{y}-{a:02}-{b:02}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_partial_dates_and_rejects_impossible_days() {
        assert_eq!(PartialDate::parse("2025").unwrap().to_string(), "2025");
        assert_eq!(
            PartialDate::parse("2025-07").unwrap().to_string(),
            "2025-07"
        );
        assert_eq!(
            PartialDate::parse("2024-02-29").unwrap().to_string(),
            "2024-02-29"
        );
        assert_eq!(
            PartialDate::parse("2025-02-29"),
            Err(DateProblem::NoSuchDay)
        );
        assert_eq!(PartialDate::parse("2025-13"), Err(DateProblem::NoSuchDay));
        assert_eq!(PartialDate::parse("July 2025"), Err(DateProblem::NotIso));
    }

    #[test]
    fn compares_at_common_precision() {
        let a = PartialDate::parse("2025-07").unwrap();
        let b = PartialDate::parse("2025-07-03").unwrap();
        let c = PartialDate::parse("2025-06-30").unwrap();
        assert_eq!(a.compare_common(&b), Ordering::Equal);
        assert_eq!(c.compare_common(&b), Ordering::Less);
    }

    #[test]
    fn tells_ambiguous_numeric_dates() {
        assert_eq!(
            ambiguous_numeric_date("07/03/2025"),
            Some(("2025-03-07".into(), "2025-07-03".into()))
        );
        assert_eq!(ambiguous_numeric_date("13/03/2025"), None);
        assert_eq!(ambiguous_numeric_date("03/03/2025"), None);
    }
}
