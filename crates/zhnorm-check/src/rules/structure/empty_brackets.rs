//! Finds empty brackets left in the text: `（）`, `()`, `《》`, `「」`, `【】`, `『』`, `〈〉`,
//! also when they hold only separators (`（；）`, `（，）`).
//!
//! **Why it matters.** Brackets are emptied when a converter drops the template inside them
//! (`（{{lang-ru|…}}）` exported without the template): the foreign name or date the sentence
//! promised is gone, and the brackets are noise. The Markdown reader reports them with their
//! source line and column; this check finds them in documents from any other path.
//!
//! **Example.** `阿塞拜疆－俄羅斯關係（；）是指…` in a Markdown export.
//!
//! **Fix (unsafe).** Removes the brackets; unsafe because a person may prefer to restore what
//! was lost.

use zhnorm_doc::{Diagnostic, Document, codes};

use crate::context::{Context, edit_text_nodes};
use crate::registry::{Check, Fix, FixSafety, Origin, Rule};
use crate::text::excerpt;

pub(crate) static RULE: Rule = Rule {
    code: &codes::EMPTY_BRACKETS,
    origin: Origin::EmittedAndChecked("the markdown reader"),
    enabled_by_default: true,
    check: Check::Document(check),
    fix: Some(Fix {
        safety: FixSafety::Unsafe,
        description: "remove the empty brackets",
        apply: fix,
    }),
    source: include_str!("empty_brackets.rs"),
};

const PAIRS: &[(char, char)] = &[
    ('（', '）'),
    ('(', ')'),
    ('《', '》'),
    ('「', '」'),
    ('【', '】'),
    ('『', '』'),
    ('〈', '〉'),
];

fn is_filler(c: char) -> bool {
    c.is_whitespace() || matches!(c, '；' | ';' | '，' | ',' | '、' | '：' | ':' | '\u{3000}')
}

/// Byte ranges of empty bracket pairs in `text`.
fn find(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    // Every opener's UTF-8 starts with `(`, 0xE3 or 0xEF: only those bytes are looked at (each is
    // the first byte of a character).
    for start in memchr::memchr3_iter(b'(', 0xE3, 0xEF, text.as_bytes()) {
        let Some(c) = text[start..].chars().next() else {
            continue;
        };
        if let Some(end) = empty_pair_end(text, start, c) {
            found.push((start, end));
        }
    }
    found
}

/// The end of the empty pair that `c`, standing at `start`, opens, if it opens one.
fn empty_pair_end(text: &str, start: usize, c: char) -> Option<usize> {
    let &(_, close) = PAIRS.iter().find(|(open, _)| *open == c)?;
    let inner = &text[start + c.len_utf8()..];
    let filler: usize = inner
        .chars()
        .take_while(|&c| is_filler(c))
        .map(char::len_utf8)
        .sum();
    inner[filler..]
        .starts_with(close)
        .then(|| start + c.len_utf8() + filler + close.len_utf8())
}

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for run in cx.runs {
        for (start, end) in find(run.text) {
            out.push(Diagnostic::new(
                &codes::EMPTY_BRACKETS,
                format!(
                    "empty brackets `{}` {}: “{}”",
                    &run.text[start..end],
                    run.where_(),
                    excerpt(run.text, start, end, 8)
                ),
            ));
        }
    }
    out
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

    /// The plain statement: every character, whether it opens an empty pair.
    fn find_by_characters(text: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        for (start, c) in text.char_indices() {
            if let Some(end) = empty_pair_end(text, start, c) {
                found.push((start, end));
            }
        }
        found
    }

    proptest! {
        #[test]
        fn found_by_bytes_as_by_characters(
            text in "[（）()《》「」【】『』〈〉 ，,：、；中文a\u{3000}\u{e3}\u{ef}〇｀]{0,24}"
        ) {
            prop_assert_eq!(find(&text), find_by_characters(&text));
        }
    }
}
