//! Finds `<!--` without `-->`.
//!
//! **Why it matters.** An unclosed comment hides everything after it; the reader reports it so that the missing text is explained.
//!
//! **Example.** `<!-- 待补充` at the end of a section
//!
//! Emitted by the wikitext reader, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::UNCLOSED_COMMENT,
    origin: Origin::Emitted("the wikitext reader"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("unclosed_comment.rs"),
};
