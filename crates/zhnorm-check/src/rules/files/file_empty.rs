//! Finds input files that are empty or hold only white space.
//!
//! **Why it matters.** An empty file yields an empty document that pollutes the corpus and its statistics.
//!
//! **Example.** a zero-byte `page.txt` left by an interrupted download
//!
//! Emitted by the pipeline, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::FILE_EMPTY,
    origin: Origin::Emitted("the pipeline"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("file_empty.rs"),
};
