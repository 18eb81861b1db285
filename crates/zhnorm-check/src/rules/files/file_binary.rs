//! Finds input files that look binary (NUL bytes, mostly control characters).
//!
//! **Why it matters.** An image or archive dropped into the input folder is not an article; reading it would produce noise documents.
//!
//! **Example.** `photo.jpg` in the input folder: `F002 input file looks binary`
//!
//! Emitted by the pipeline, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::FILE_BINARY,
    origin: Origin::Emitted("the pipeline"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("file_binary.rs"),
};
