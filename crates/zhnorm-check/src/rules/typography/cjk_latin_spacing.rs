//! Finds Han characters written directly against Latin letters or digits, with no space
//! between them. **Off by default**: zh.wikipedia writes no space (`2025年`, `CSTO的`), while
//! other house styles (and many typesetting guides) want one; turn it on with
//! `extend-select = ["T003"]`.
//!
//! **Why it matters.** Only for corpora that follow a spacing house style: mixed spacing makes
//! the text look inconsistent and changes tokenization.
//!
//! **Example.** `阿塞拜疆航空的E190型客机` → `阿塞拜疆航空的 E190 型客机`.
//!
//! **Fix (safe, runs only when the rule is on).** Inserts one space at each boundary.

use zhnorm_doc::{Diagnostic, Document, codes};

use crate::context::{Context, edit_text_nodes};
use crate::registry::{Check, Fix, FixSafety, Origin, Rule};
use crate::text::{excerpt, is_han};

pub(crate) static RULE: Rule = Rule {
    code: &codes::CJK_LATIN_SPACING,
    origin: Origin::Checks,
    enabled_by_default: false,
    check: Check::Document(check),
    fix: Some(Fix {
        safety: FixSafety::Safe,
        description: "insert a space between CJK and Latin text",
        apply: fix,
    }),
    source: include_str!("cjk_latin_spacing.rs"),
};

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Byte offsets where a space belongs (the start of the second character of each pair).
fn find(text: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    chars
        .windows(2)
        .filter(|w| {
            let (a, b) = (w[0].1, w[1].1);
            (is_han(a) && is_latin(b)) || (is_latin(a) && is_han(b))
        })
        .map(|w| w[1].0)
        .collect()
}

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut count = 0;
    let mut first = None;
    for run in cx.runs {
        for at in find(run.text) {
            count += 1;
            if first.is_none() {
                first = Some(format!(
                    "{}: “{}”",
                    run.where_(),
                    excerpt(run.text, at, at, 6)
                ));
            }
        }
    }
    let Some(first) = first else {
        return Vec::new();
    };
    vec![Diagnostic::new(
        &codes::CJK_LATIN_SPACING,
        format!(
            "{count} place{} with no space between CJK and Latin text, first {first}",
            if count == 1 { "" } else { "s" }
        ),
    )]
}

fn fix(doc: &mut Document) -> usize {
    edit_text_nodes(doc, &mut |text| {
        let found = find(text);
        for at in found.iter().rev() {
            text.insert(*at, ' ');
        }
        found.len()
    })
}
