//! Finds unbalanced `'''` or `''` in wikitext.
//!
//! **Why it matters.** MediaWiki closes open bold or italic at the end of the line; the reader does the same, so the emphasis may cover more or less than meant.
//!
//! **Example.** `'''阿塞拜疆－俄罗斯关系` with no closing `'''`
//!
//! Emitted by the wikitext reader, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::UNBALANCED_QUOTES,
    origin: Origin::Emitted("the wikitext reader"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("unbalanced_bold_italic.rs"),
};
