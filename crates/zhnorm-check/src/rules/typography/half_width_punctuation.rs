//! Finds half-width punctuation (`,` `;` `:` `!` `?` `(` `)`) between CJK characters, where
//! Chinese text uses full-width marks (`，` `；` `：` `！` `？` `（` `）`). Reported once per
//! document with the count of each mark and the first occurrence.
//!
//! **Why it matters.** Scraped and machine-translated text is full of them; they break
//! sentence splitting, tokenizers trained on proper Chinese text, and the look of the text.
//! Only marks with a Han character (or a full-width quote or bracket) on both sides are
//! counted, so `CSTO (Collective…)` and `3,000` are left alone.
//!
//! **Example.** `危机始于2025年6月,当时俄罗斯…` → `危机始于2025年6月，当时俄罗斯…`.
//!
//! **Fix (safe).** Replaces each such mark with its full-width form; `normalize` applies it.

use std::collections::BTreeMap;

use zhnorm_doc::{Diagnostic, Document, codes};

use crate::context::{Context, edit_text_nodes};
use crate::registry::{Check, Fix, FixSafety, Origin, Rule};
use crate::text::{excerpt, is_cjk_left, is_cjk_right};

pub(crate) static RULE: Rule = Rule {
    code: &codes::HALF_WIDTH_PUNCTUATION,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: Some(Fix {
        safety: FixSafety::Safe,
        description: "replace with the full-width mark",
        apply: fix,
    }),
    source: include_str!("half_width_punctuation.rs"),
};

fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '!' => '！',
        '?' => '？',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// Byte offsets of the marks to replace in `text`.
///
/// The marks are ASCII, so each of their bytes is a whole character: only those bytes are
/// looked at, with the characters on either side. (Collecting every character of a text that
/// held some mark was the largest cost of the checks' fixes.)
fn find(text: &str) -> Vec<(usize, char)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut look = |at: usize| {
        let mark = char::from(bytes[at]);
        if full_width(mark).is_none() {
            return;
        }
        let before = text[..at].chars().next_back();
        let after = text[at + 1..].chars().next();
        if before.is_some_and(is_cjk_left) && after.is_some_and(is_cjk_right) {
            found.push((at, mark));
        }
    };
    // Eight bytes at a time, looking only at the bytes in `!`..=`,` (0x21..=0x2C) and
    // `:`..=`?` (0x3A..=0x3F), the two ranges that hold every mark: most of a Chinese text's
    // bytes are 0x80 and above, and digits, spaces and `.` `-` `/` are none.
    let mut words = bytes.chunks_exact(8);
    for (index, word) in words.by_ref().enumerate() {
        let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        let mut candidates = bytes_between(word, 0x20, 0x2D) | bytes_between(word, 0x39, 0x40);
        while candidates != 0 {
            look(index * 8 + candidates.trailing_zeros() as usize / 8);
            candidates &= candidates - 1;
        }
    }
    let tail = bytes.len() - words.remainder().len();
    for (at, byte) in bytes.iter().enumerate().skip(tail) {
        if byte.is_ascii() {
            look(at);
        }
    }
    found
}

/// The high bit of every byte `b` of `word` with `low < b < high`, the other bits clear (SWAR;
/// `low` below 0x80, `high` at most 0x80; no byte's sum or difference reaches the next byte).
fn bytes_between(word: u64, low: u8, high: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = ONES * 0x7F;
    const HIGH: u64 = ONES * 0x80;
    let low7 = word & LOW7;
    // Per byte: high bit set when low7 < high, and when low7 > low, and the byte is below 0x80.
    let below_high = (ONES * (127 + u64::from(high))).wrapping_sub(low7);
    let above_low = low7 + ONES * (127 - u64::from(low));
    below_high & !word & above_low & HIGH
}

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut counts: BTreeMap<char, usize> = BTreeMap::new();
    let mut first = None;
    for run in cx.runs {
        for (at, c) in find(run.text) {
            *counts.entry(c).or_default() += 1;
            if first.is_none() {
                let quote = excerpt(run.text, at, at + 1, 6);
                first = Some(format!("{}: “{quote}”", run.where_()));
            }
        }
    }
    let Some(first) = first else {
        return Vec::new();
    };
    let total: usize = counts.values().sum();
    let marks: Vec<String> = counts.iter().map(|(c, n)| format!("`{c}` {n}×")).collect();
    vec![Diagnostic::new(
        &codes::HALF_WIDTH_PUNCTUATION,
        format!(
            "{total} half-width punctuation mark{} between CJK characters ({}), first {first}",
            if total == 1 { "" } else { "s" },
            marks.join(", ")
        ),
    )]
}

fn fix(doc: &mut Document) -> usize {
    edit_text_nodes(doc, &mut |text| {
        let found = find(text);
        for (at, c) in found.iter().rev() {
            if let Some(wide) = full_width(*c) {
                text.replace_range(*at..at + c.len_utf8(), wide.encode_utf8(&mut [0; 4]));
            }
        }
        found.len()
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The plain statement: every mark whose neighbours, as characters, are CJK.
    fn find_by_characters(text: &str) -> Vec<(usize, char)> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        chars
            .windows(3)
            .filter(|w| full_width(w[1].1).is_some() && is_cjk_left(w[0].1) && is_cjk_right(w[2].1))
            .map(|w| w[1])
            .collect()
    }

    #[test]
    fn marks_between_cjk_characters() {
        assert_eq!(find("六月,当时"), vec![(6, ',')]);
        assert_eq!(find("3,000 和 CSTO (Collective"), vec![]);
        assert_eq!(find("（甲）:乙,"), vec![(9, ':')]);
    }

    proptest! {
        #[test]
        fn bytes_between_as_by_bytes(word: u64, low in 0u8..0x80, high in 0u8..=0x80) {
            let by_bytes: u64 = word
                .to_le_bytes()
                .iter()
                .enumerate()
                .filter(|&(_, &b)| low < b && b < high)
                .map(|(i, _)| 0x80 << (8 * i))
                .sum();
            prop_assert_eq!(bytes_between(word, low, high), by_bytes);
        }

        #[test]
        fn found_by_bytes_as_by_characters(text in "[,;:!?()中文a0-9 「」（）。é.\\-/+<>*\"&]{0,40}") {
            prop_assert_eq!(find(&text), find_by_characters(&text));
        }
    }
}
