//! Finds source markup that reached the output text: `[[`, `]]`, `{{`, `}}`, `'''`, `<ref`,
//! `</ref>`, `<!--`, `-{`, `}-`, `"wikilink"`, escaped `\[` / `\]`, `[编辑]` / `[編輯]`.
//!
//! **Why it matters.** Readers are meant to turn all markup into structure; any that survives is
//! noise in a corpus (search, language models) and a sign that a reader missed a construct. It
//! is an error because no correct document contains it.
//!
//! **Example.** A paragraph reading `攝於蓋達爾·阿利耶夫國際機場]]` in the output: the
//! stray `]]` of an export-broken image caption survived.
//!
//! Only visible text is scanned (title, text nodes, infobox values); code, maths, link targets
//! and references are not.

use zhnorm_doc::{Diagnostic, codes};

use crate::context::{Context, text_runs};
use crate::registry::{Check, Origin, Rule};
use crate::text::excerpt;

pub(crate) static RULE: Rule = Rule {
    code: &codes::MARKUP_RESIDUE,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("markup_residue.rs"),
};

const PATTERNS: &[&str] = &[
    "[[",
    "]]",
    "{{",
    "}}",
    "'''",
    "<ref",
    "</ref>",
    "<!--",
    "-{",
    "}-",
    "\"wikilink\"",
    "\\[",
    "\\]",
    "[编辑]",
    "[編輯]",
];

/// Every pattern holds one of these bytes: runs without any (most text) are not searched.
fn may_hold_markup(text: &str) -> bool {
    text.bytes().any(|b| {
        matches!(
            b,
            b'[' | b']' | b'{' | b'}' | b'\'' | b'<' | b'-' | b'"' | b'\\'
        )
    })
}

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let runs: Vec<_> = text_runs(cx.doc)
        .into_iter()
        .filter(|run| may_hold_markup(run.text))
        .collect();
    let mut out = Vec::new();
    for pattern in PATTERNS {
        let mut count = 0;
        let mut first = None;
        for run in &runs {
            for (at, _) in run.text.match_indices(pattern) {
                count += 1;
                if first.is_none() {
                    let quote = excerpt(run.text, at, at + pattern.len(), 8);
                    first = Some(format!("{}: “{quote}”", run.where_()));
                }
            }
        }
        if let Some(first) = first {
            out.push(Diagnostic::new(
                &codes::MARKUP_RESIDUE,
                format!("markup `{pattern}` left in the output text ({count}×), first {first}"),
            ));
        }
    }
    out
}
