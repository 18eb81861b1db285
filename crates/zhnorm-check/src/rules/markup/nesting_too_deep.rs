//! Finds markup nested deeper than the readers follow (lists, quotations, formatting, tags).
//!
//! **Why it matters.** Every later stage walks the document tree recursively, so a reader that followed 20,000 levels of `*` or `>` would overflow the stack and abort the whole run. Levels past the limit are kept as text, so nothing is lost, and this diagnostic says where.
//!
//! **Example.** A line of 20,000 `*` in wikitext: `M015 list nested 20000 levels deep; levels past 16 kept as text`
//!
//! Emitted by the readers, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::NESTING_TOO_DEEP,
    origin: Origin::Emitted("the readers"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("nesting_too_deep.rs"),
};
