//! Finds two headings with the same text under the same parent heading.
//!
//! **Why it matters.** Two sections of one name under one parent are usually a merge or an
//! export that repeated a section; anchors (`#历史`) become ambiguous. The same subsection name
//! under different parents (`反应` under two events) is normal and not reported.
//!
//! **Example.** `== 历史 ==` … `== 历史 ==` at the top level of one article.

use zhnorm_doc::{Block, Diagnostic, codes, plain_text};

use crate::context::Context;
use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::DUPLICATE_HEADING,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("duplicate_heading.rs"),
};

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The open headings above the current one: (level, text).
    let mut parents: Vec<(u8, String)> = Vec::new();
    let mut seen: Vec<(Vec<String>, String)> = Vec::new();
    for block in &cx.doc.blocks {
        let Block::Heading { level, inlines } = block else {
            continue;
        };
        let text = plain_text(inlines).trim().to_owned();
        while parents.last().is_some_and(|(l, _)| l >= level) {
            parents.pop();
        }
        let path: Vec<String> = parents.iter().map(|(_, t)| t.clone()).collect();
        if !text.is_empty() && seen.iter().any(|(p, t)| p == &path && t == &text) {
            let under = match path.last() {
                Some(parent) => format!("under “{parent}”"),
                None => "at the top level".to_owned(),
            };
            out.push(Diagnostic::new(
                &codes::DUPLICATE_HEADING,
                format!("heading “{text}” appears more than once {under}"),
            ));
        } else {
            seen.push((path, text.clone()));
        }
        parents.push((*level, text));
    }
    out
}
