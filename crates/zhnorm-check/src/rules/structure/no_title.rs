//! Finds documents in which no title was found, so the file name was used.
//!
//! **Why it matters.** The title is the key of the corpus (ids, link resolution, duplicates); a file name such as `003_edabeb56969b9ff1` is a poor one.
//!
//! **Example.** a scraped page whose first line is table residue rather than the title
//!
//! Emitted by the readers, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::NO_TITLE,
    origin: Origin::Emitted("the readers"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("no_title.rs"),
};
