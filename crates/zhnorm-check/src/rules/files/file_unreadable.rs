//! Finds input files that could not be read (permissions, I/O errors).
//!
//! **Why it matters.** The run goes on with the other files; the report says which one is missing from the corpus and why.
//!
//! **Example.** `F004 input file could not be read: permission denied`
//!
//! Emitted by the pipeline, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::FILE_UNREADABLE,
    origin: Origin::Emitted("the pipeline"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("file_unreadable.rs"),
};
