//! Finds input files that are not valid UTF-8 (after a BOM is stripped).
//!
//! **Why it matters.** zhnorm reads UTF-8 only; a file in GBK or Big5 would be read as garbage. The file is skipped and named, never half-read.
//!
//! **Example.** a page saved as GBK by an old scraper: `F001 input file is not valid UTF-8 (byte 0xB0 at offset 12)`
//!
//! Emitted by the pipeline, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::FILE_NOT_UTF8,
    origin: Origin::Emitted("the pipeline"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("file_not_utf8.rs"),
};
