//! Finds `{{` without `}}` (or the reverse) in wikitext, at the line and column of the lone braces.
//!
//! **Why it matters.** An unclosed template can swallow the rest of the page; the reader stops the template at the end of the paragraph and reports where it began.
//!
//! **Example.** `{{lang-ru|Москва` — the template is never closed
//!
//! Emitted by the wikitext reader, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::UNBALANCED_TEMPLATE_BRACES,
    origin: Origin::Emitted("the wikitext reader"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("unbalanced_template_braces.rs"),
};
