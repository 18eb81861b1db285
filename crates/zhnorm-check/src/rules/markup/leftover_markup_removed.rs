//! Reports leftovers of an export that the reader removed (`{{-}}`, `<!-- end list -->`, `[编辑]`, table residue).
//!
//! **Why it matters.** Nothing is lost, but the count shows how damaged the input was and lets a person check that only residue went.
//!
//! **Example.** `<!-- end list -->` between two lists of a Markdown export
//!
//! Emitted by the markdown and scraped readers, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::LEFTOVER_MARKUP_REMOVED,
    origin: Origin::Emitted("the markdown and scraped readers"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("leftover_markup_removed.rs"),
};
