//! Finds citation markers (`[8]`, `\[1\]`) with no reference of that number in the reference list.
//!
//! **Why it matters.** The marker cannot be linked to a source; it is dropped from the text and reported so that the missing reference can be found.
//!
//! **Example.** `…两国关系恶化。[21]` when the reference list stops at 18
//!
//! Emitted by the scraped and markdown readers, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::UNRESOLVED_MARKER,
    origin: Origin::Emitted("the scraped and markdown readers"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("unresolved_citation_marker.rs"),
};
