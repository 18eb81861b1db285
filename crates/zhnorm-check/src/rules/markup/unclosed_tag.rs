//! Finds HTML-like tags without their closing tag (`<small>`, `<span>`, `<div>` …).
//!
//! **Why it matters.** An unclosed tag can hide or restyle the text after it; the reader ends it at the end of the block.
//!
//! **Example.** `<small>（注）` with no `</small>`
//!
//! Emitted by the readers, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::UNCLOSED_TAG,
    origin: Origin::Emitted("the readers"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("unclosed_tag.rs"),
};
