//! Finds `{|` without `|}` (or the reverse) in wikitext.
//!
//! **Why it matters.** Table markup left open turns the rest of the page into cells; the reader closes the table and reports where it began.
//!
//! **Example.** `{| class="wikitable"` with no closing `|}`
//!
//! Emitted by the wikitext reader, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::UNBALANCED_TABLE,
    origin: Origin::Emitted("the wikitext reader"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("unbalanced_table.rs"),
};
