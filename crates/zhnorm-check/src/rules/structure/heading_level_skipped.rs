//! Finds headings that skip a level: a level-4 heading (`====`) right under a level-2 one, or a
//! first heading below level 2.
//!
//! **Why it matters.** The outline of the article is wrong: tables of contents, section-aware
//! chunking and the Markdown view all rely on levels going down one step at a time
//! (CheckWiki error 7 and markdownlint MD001 check the same).
//!
//! **Example.** `== 历史 ==` followed by `==== 冷战 ====`.

use zhnorm_doc::{Block, Diagnostic, codes, plain_text};

use crate::context::Context;
use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::HEADING_LEVEL_SKIPPED,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("heading_level_skipped.rs"),
};

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The article title stands at level 1.
    let mut previous = 1;
    for block in &cx.doc.blocks {
        if let Block::Heading { level, inlines } = block {
            if *level > previous + 1 {
                out.push(Diagnostic::new(
                    &codes::HEADING_LEVEL_SKIPPED,
                    format!(
                        "heading “{}” is level {level} right after level {previous}",
                        plain_text(inlines).trim()
                    ),
                ));
            }
            previous = *level;
        }
    }
    out
}
