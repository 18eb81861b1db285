//! Finds articles whose title differs from the bold term that opens the lead.
//!
//! **Why it matters.** The lead's bold term is the article's own statement of its name. A
//! difference is often legitimate (a full name, a different word order) but can also reveal a
//! title taken from a file name, a redirect, or a title converted to another script than the
//! text. Informational.
//!
//! **Example.** Title `阿塞拜疆－俄罗斯关系`, lead `'''阿塞拜疆—俄罗斯关系'''是指…`.

use zhnorm_doc::{Block, Diagnostic, Inline, codes, plain_text};

use crate::context::Context;
use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::TITLE_DIFFERS_FROM_LEAD,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("title_differs_from_lead.rs"),
};

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let title: String = cx.doc.title.split_whitespace().collect();
    if title.is_empty() {
        return Vec::new();
    }
    // The first paragraph before any heading.
    let lead = cx
        .doc
        .blocks
        .iter()
        .take_while(|b| !matches!(b, Block::Heading { .. }));
    let Some(inlines) = lead
        .filter_map(|b| match b {
            Block::Paragraph { inlines } => Some(inlines),
            _ => None,
        })
        .next()
    else {
        return Vec::new();
    };
    let Some(bold) = inlines.iter().find_map(|i| match i {
        Inline::Strong { inlines } => Some(plain_text(inlines)),
        _ => None,
    }) else {
        return Vec::new();
    };
    let bold: String = bold.split_whitespace().collect();
    if bold.is_empty() || bold == title {
        return Vec::new();
    }
    vec![Diagnostic::new(
        &codes::TITLE_DIFFERS_FROM_LEAD,
        format!(
            "title “{}” differs from the lead's bold term “{bold}”",
            cx.doc.title
        ),
    )]
}
