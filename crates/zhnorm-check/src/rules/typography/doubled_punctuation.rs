//! Finds the same full-width punctuation mark twice in a row: `。。`, `，，`, `、、`, `；；`,
//! `：：`. Reported once per document with a count and the first occurrence. (`……` and
//! `——` are single marks written with two characters and are not reported.)
//!
//! **Why it matters.** Doubled marks come from joins: a reader appending `。` after text that
//! already ended in one, or a dropped template between two commas. They are noise in the text
//! and in sentence splitting.
//!
//! **Example.** `两国关系保持友好。。` → `两国关系保持友好。`.
//!
//! **Fix (safe).** Keeps one mark of each run; `normalize` applies it.

use zhnorm_doc::{Diagnostic, Document, codes};

use crate::context::{Context, edit_text_nodes};
use crate::registry::{Check, Fix, FixSafety, Origin, Rule};
use crate::text::excerpt;

pub(crate) static RULE: Rule = Rule {
    code: &codes::DOUBLED_PUNCTUATION,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: Some(Fix {
        safety: FixSafety::Safe,
        description: "keep one mark",
        apply: fix,
    }),
    source: include_str!("doubled_punctuation.rs"),
};

/// The marks `。` `，` `、` `；` `：` in UTF-8, every one three bytes.
const MARK_BYTES: [[u8; 3]; 5] = [
    [0xE3, 0x80, 0x82],
    [0xEF, 0xBC, 0x8C],
    [0xE3, 0x80, 0x81],
    [0xEF, 0xBC, 0x9B],
    [0xEF, 0xBC, 0x9A],
];

/// Byte ranges of the redundant marks (every mark of a run after its first).
fn find(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    // Every mark's UTF-8 starts with 0xE3 or 0xEF: only those bytes are looked at (each is the
    // first byte of a character); a mark is doubled when the same bytes end just before it.
    // Compared as bytes: the three before first (rarely equal), then whether they are a mark.
    let bytes = text.as_bytes();
    for at in memchr::memchr2_iter(0xE3, 0xEF, bytes) {
        let (Some(before), Some(here)) = (
            at.checked_sub(3).and_then(|b| bytes.get(b..at)),
            bytes.get(at..at + 3),
        ) else {
            continue;
        };
        if before == here && MARK_BYTES.iter().any(|mark| mark.as_slice() == here) {
            found.push((at, at + 3));
        }
    }
    found
}

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut count = 0;
    let mut first = None;
    for run in cx.runs {
        for (start, end) in find(run.text) {
            count += 1;
            if first.is_none() {
                let quote = excerpt(run.text, start, end, 6);
                first = Some(format!(
                    "`{}` {}: “{quote}”",
                    &run.text[start..end],
                    run.where_()
                ));
            }
        }
    }
    let Some(first) = first else {
        return Vec::new();
    };
    vec![Diagnostic::new(
        &codes::DOUBLED_PUNCTUATION,
        format!(
            "{count} doubled punctuation mark{}, first {first}",
            if count == 1 { "" } else { "s" }
        ),
    )]
}

fn fix(doc: &mut Document) -> usize {
    edit_text_nodes(doc, &mut |text| {
        let found = find(text);
        for (start, end) in found.iter().rev() {
            text.replace_range(start..end, "");
        }
        found.len()
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The plain statement: every mark that follows the same mark.
    fn find_by_characters(text: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut previous = None;
        for (at, c) in text.char_indices() {
            if MARKS.contains(&c) && previous == Some(c) {
                found.push((at, at + c.len_utf8()));
            }
            previous = Some(c);
        }
        found
    }

    const MARKS: [char; 5] = ['。', '，', '、', '；', '：'];

    #[test]
    fn mark_bytes_are_the_marks() {
        let encoded: Vec<String> = MARK_BYTES
            .iter()
            .map(|b| String::from_utf8(b.to_vec()).unwrap_or_default())
            .collect();
        let marks: Vec<String> = MARKS.iter().map(char::to_string).collect();
        assert_eq!(encoded, marks);
    }

    proptest! {
        #[test]
        fn found_by_bytes_as_by_characters(text in "[。，、；：.,中文a〇｀（）]{0,24}") {
            prop_assert_eq!(find(&text), find_by_characters(&text));
        }
    }
}
