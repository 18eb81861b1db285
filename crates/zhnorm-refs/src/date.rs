//! Dates of references to ISO 8601 (`2025-07-01`, or partial: `2025-07`, `2025`).
//!
//! Hand-written rather than taken from a date library: the inputs are the handful of shapes
//! citation templates and zh.wikipedia's rendering produce (`2025年7月1日`, `July 1, 2025`,
//! `1 July 2025`, Wayback timestamps, …), partial dates must stay partial, and a day/month
//! order that cannot be told apart must be reported rather than guessed. General-purpose
//! parsers (chrono's format strings, dateparser) either need a known format or guess.

use std::sync::LazyLock;

use regex::Regex;

use crate::pattern::Pattern;

/// What [`normalize_date`] made of a date text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateOutcome {
    /// An ISO 8601 date, possibly partial.
    Iso(String),
    /// `07/03/2025`: day and month cannot be told apart.
    Ambiguous,
    /// A shape this module knows, with a month or day that does not exist (`2025-13-01`).
    Invalid,
    /// No date shape recognized.
    Unrecognized,
}

impl DateOutcome {
    /// The ISO date, when there is one.
    pub fn iso(self) -> Option<String> {
        match self {
            DateOutcome::Iso(iso) => Some(iso),
            _ => None,
        }
    }
}

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$").unwrap()
});
pub(crate) static CJK: Pattern = Pattern::new(
    r"^(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号號])?)?$",
    &["年"],
);
static COMPACT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})(\d{2})(\d{2})(?:\d{2}(?:\d{2}(?:\d{2})?)?)?$").unwrap());
static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Alphabetic}+)\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{4})$").unwrap()
});
static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2})(?:st|nd|rd|th)?\s+(\p{Alphabetic}+)\.?,?\s+(\d{4})$").unwrap()
});
static SLASHED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})([/.-])(\d{1,2})[/.-](\d{4})$").unwrap());

/// Normalizes one date text to ISO 8601.
///
/// ```
/// use zhnorm_refs::{normalize_date, DateOutcome};
/// assert_eq!(normalize_date("2025年7月1日"), DateOutcome::Iso("2025-07-01".into()));
/// assert_eq!(normalize_date("July 1, 2025"), DateOutcome::Iso("2025-07-01".into()));
/// assert_eq!(normalize_date("May 2011"), DateOutcome::Iso("2011-05".into()));
/// assert_eq!(normalize_date("07/03/2025"), DateOutcome::Ambiguous);
/// ```
pub fn normalize_date(text: &str) -> DateOutcome {
    let folded = fold_width(text);
    let text = folded.trim().trim_end_matches(['.', '。']).trim();
    if text.is_empty() {
        return DateOutcome::Unrecognized;
    }
    if let Some((year, month, day)) = ascii_numeric(text) {
        return build(year, month, day);
    }
    if let Some(outcome) = all_ascii_digits(text) {
        return outcome;
    }
    // Every pattern but one begins with a digit, and no digit is a letter: a text can only
    // match the patterns its first character allows (each failed attempt costs a search and an
    // allocation, and most dates that reach this point begin with a month's name).
    if text.starts_with(char::is_alphabetic) {
        return month_first(text);
    }
    by_patterns_from_digit(text)
}

/// `20201028074833`, and every other text of ASCII digits alone, which only [`COMPACT`] can
/// read (texts of four digits were read as a year before): read without the regexes.
fn all_ascii_digits(text: &str) -> Option<DateOutcome> {
    let bytes = text.as_bytes();
    if !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| {
        bytes[range]
            .iter()
            .fold(0, |n, b| n * 10 + u32::from(b - b'0'))
    };
    Some(match bytes.len() {
        8 | 10 | 12 | 14 => build(number(0..4), Some(number(4..6)), Some(number(6..8))),
        _ => DateOutcome::Unrecognized,
    })
}

/// `July 1, 2025`, `Sept. 30, 2013`, `May 2011`.
fn month_first(text: &str) -> DateOutcome {
    let Some(c) = MONTH_FIRST.captures(text) else {
        return DateOutcome::Unrecognized;
    };
    let Some(month) = month_number(&c[1]) else {
        return DateOutcome::Unrecognized;
    };
    build(
        num(&c, 3),
        Some(month),
        c.get(2).map(|m| num_str(m.as_str())),
    )
}

/// The patterns of texts that begin with a digit, in order.
fn by_patterns_from_digit(text: &str) -> DateOutcome {
    if let Some(c) = NUMERIC.captures(text).or_else(|| CJK.captures(text)) {
        return build(
            num(&c, 1),
            c.get(2).map(|m| num_str(m.as_str())),
            c.get(3).map(|m| num_str(m.as_str())),
        );
    }
    if let Some(c) = COMPACT.captures(text) {
        return build(num(&c, 1), Some(num(&c, 2)), Some(num(&c, 3)));
    }
    if let Some(c) = DAY_FIRST.captures(text) {
        let Some(month) = month_number(&c[2]) else {
            return DateOutcome::Unrecognized;
        };
        return build(num(&c, 3), Some(month), Some(num(&c, 1)));
    }
    if let Some(c) = SLASHED.captures(text) {
        let (first, second, year) = (num(&c, 1), num(&c, 3), num(&c, 4));
        // `01.07.2025` is day-first wherever dots are used; slashes and hyphens are not.
        let day_first = &c[2] == ".";
        return if day_first || first > 12 {
            build(year, Some(second), Some(first))
        } else if second > 12 || first == second {
            build(year, Some(first), Some(second))
        } else {
            DateOutcome::Ambiguous
        };
    }
    DateOutcome::Unrecognized
}

/// `2014-11-12`, `2014-7` or `2014`, in ASCII digits: the shape of most dates in citation
/// templates, read without the regexes (this is [`NUMERIC`] without a time; what it does not
/// read goes on to them).
fn ascii_numeric(text: &str) -> Option<(u32, Option<u32>, Option<u32>)> {
    let bytes = text.as_bytes();
    let digits = |from: usize, min: usize, max: usize| -> Option<(u32, usize)> {
        let run = bytes[from.min(bytes.len())..]
            .iter()
            .take(max)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if run < min {
            return None;
        }
        let value = bytes[from..from + run]
            .iter()
            .fold(0, |n, b| n * 10 + u32::from(b - b'0'));
        Some((value, from + run))
    };
    let separator = |at: usize| matches!(bytes.get(at), Some(b'-' | b'/' | b'.'));
    let (year, end) = digits(0, 4, 4)?;
    if end == bytes.len() {
        return Some((year, None, None));
    }
    if !separator(end) {
        return None;
    }
    let (month, end) = digits(end + 1, 1, 2)?;
    if end == bytes.len() {
        return Some((year, Some(month), None));
    }
    if !separator(end) {
        return None;
    }
    let (day, end) = digits(end + 1, 1, 2)?;
    (end == bytes.len()).then_some((year, Some(month), Some(day)))
}

fn num(c: &regex::Captures<'_>, i: usize) -> u32 {
    num_str(&c[i])
}

fn num_str(s: &str) -> u32 {
    // The regexes only capture ASCII digits of bounded length, so this cannot overflow.
    s.parse().unwrap_or(0)
}

/// Full-width digits and separators (`２０２５－０７－０１`) as ASCII.
fn fold_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' | '－' | '／' | '．' | '，' | '：' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '\u{3000}' | '\u{a0}' => ' ',
            _ => c,
        })
        .collect()
}

fn build(year: u32, month: Option<u32>, day: Option<u32>) -> DateOutcome {
    if !(1..=9999).contains(&year) {
        return DateOutcome::Invalid;
    }
    let Some(month) = month else {
        return DateOutcome::Iso(format!("{year:04}"));
    };
    if !(1..=12).contains(&month) {
        return DateOutcome::Invalid;
    }
    let Some(day) = day else {
        return DateOutcome::Iso(format!("{year:04}-{month:02}"));
    };
    if day == 0 || day > days_in_month(year, month) {
        return DateOutcome::Invalid;
    }
    DateOutcome::Iso(format!("{year:04}-{month:02}-{day:02}"))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let name = name.to_lowercase();
    if name.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&name) || (name == "sept" && *m == "september"))
        .map(|i| i as u32 + 1)
}

/// The date of a Wayback Machine timestamp (`20140715021856` → `2014-07-15`; shorter ones are
/// partial).
pub fn date_of_timestamp(timestamp: &str) -> Option<String> {
    let digits = timestamp.get(..timestamp.len().min(8))?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() < 4 {
        return None;
    }
    let year = num_str(&digits[..4]);
    let month = digits.get(4..6).map(num_str);
    let day = digits.get(6..8).map(num_str);
    build(year, month, day).iso()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The shortcut reads exactly what the pattern it stands in for reads.
        #[test]
        fn ascii_numeric_agrees_with_the_pattern(text in "[0-9]{0,5}([-/.x][0-9]{0,3}){0,3}") {
            let by_pattern = NUMERIC.captures(&text).map(|c| {
                (
                    num(&c, 1),
                    c.get(2).map(|m| num_str(m.as_str())),
                    c.get(3).map(|m| num_str(m.as_str())),
                )
            });
            // Without a time of day, the two read the same texts.
            prop_assert_eq!(ascii_numeric(&text), by_pattern);
        }
    }

    /// [`normalize_date`] as it was written before the shortcuts: every pattern in turn.
    fn by_every_pattern(text: &str) -> DateOutcome {
        let folded = fold_width(text);
        let text = folded.trim().trim_end_matches(['.', '。']).trim();
        if text.is_empty() {
            return DateOutcome::Unrecognized;
        }
        if let Some(c) = NUMERIC.captures(text).or_else(|| CJK.captures(text)) {
            return build(
                num(&c, 1),
                c.get(2).map(|m| num_str(m.as_str())),
                c.get(3).map(|m| num_str(m.as_str())),
            );
        }
        if let Some(c) = COMPACT.captures(text) {
            return build(num(&c, 1), Some(num(&c, 2)), Some(num(&c, 3)));
        }
        if MONTH_FIRST.is_match(text) {
            return month_first(text);
        }
        by_patterns_from_digit(text)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        /// The shortcuts (numeric dates, runs of digits, texts that begin with a letter) read
        /// every text as the patterns tried one after another do.
        #[test]
        fn shortcuts_agree_with_every_pattern(
            text in prop_oneof![
                "[0-9]{0,15}",
                "[0-9０-９]{0,5}[-/.年月日 ]{0,2}[0-9]{0,3}[-/.年月日号 ]{0,2}[0-9]{0,3}[日號]?",
                "(Jan|May|Sept|July|Smarch|[a-zé]{1,4})[.,]? ?[0-9]{0,3}(st|th)?,? ?[0-9]{0,5}",
                "[0-9]{1,2}(st|nd)? (July|Sep|[a-z]{1,3})[.,]? [0-9]{3,5}",
                "[ 0-9a-zA-Z年月日号,./:TZ+٣-]{0,14}",
            ]
        ) {
            prop_assert_eq!(normalize_date(&text), by_every_pattern(&text));
        }
    }

    #[test]
    fn shapes() {
        let iso = |s: &str| DateOutcome::Iso(s.to_owned());
        for (input, expected) in [
            ("2025-07-01", iso("2025-07-01")),
            ("2025-7-1", iso("2025-07-01")),
            ("2025/07/01", iso("2025-07-01")),
            ("2025-07", iso("2025-07")),
            ("2025", iso("2025")),
            ("2025年7月1日", iso("2025-07-01")),
            ("2025年7月", iso("2025-07")),
            ("1852年", iso("1852")),
            ("２０２５年７月１日", iso("2025-07-01")),
            ("July 1, 2025", iso("2025-07-01")),
            ("Feb 3, 2021", iso("2021-02-03")),
            ("Sept. 30, 2013", iso("2013-09-30")),
            ("1 July 2025", iso("2025-07-01")),
            ("30 Sep 2013", iso("2013-09-30")),
            ("May 2011", iso("2011-05")),
            ("20201028074833", iso("2020-10-28")),
            ("2021-02-03T10:00:00Z", iso("2021-02-03")),
            ("25/12/2025", iso("2025-12-25")),
            ("12/25/2025", iso("2025-12-25")),
            ("01.07.2025", iso("2025-07-01")),
            ("07/07/2025", iso("2025-07-07")),
            ("07/03/2025", DateOutcome::Ambiguous),
            ("2025-02-30", DateOutcome::Invalid),
            ("2024-02-29", iso("2024-02-29")),
            ("Smarch 3, 2020", DateOutcome::Unrecognized),
            ("昨天", DateOutcome::Unrecognized),
            ("", DateOutcome::Unrecognized),
        ] {
            assert_eq!(normalize_date(input), expected, "{input}");
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(
            date_of_timestamp("20140715021856").as_deref(),
            Some("2014-07-15")
        );
        assert_eq!(date_of_timestamp("2014").as_deref(), Some("2014"));
        assert_eq!(date_of_timestamp("abc"), None);
    }
}
