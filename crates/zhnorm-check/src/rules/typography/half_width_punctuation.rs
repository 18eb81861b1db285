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
fn find(text: &str) -> Vec<(usize, char)> {
    // The marks are ASCII: most text nodes hold none and need no closer look.
    if !text
        .bytes()
        .any(|b| b.is_ascii() && full_width(char::from(b)).is_some())
    {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    chars
        .windows(3)
        .filter(|w| full_width(w[1].1).is_some() && is_cjk_left(w[0].1) && is_cjk_right(w[2].1))
        .map(|w| w[1])
        .collect()
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
