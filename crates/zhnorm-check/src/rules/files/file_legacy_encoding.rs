//! Reports input files that were decoded from GB18030, Big5 or UTF-16 rather than UTF-8.
//!
//! **Why it matters.** The encoding was certain (a byte-order mark, or chardetng's guess confirmed by a clean decode into Han text), so the article is read; the note says which encoding it was, so that a wrong source can be traced, and so that the file can be converted once for good.
//!
//! **Example.** `北京.txt` saved by an old editor in GBK: `F005 decoded from GB18030; line and column count its characters`
//!
//! Emitted by the pipeline, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::FILE_LEGACY_ENCODING,
    origin: Origin::Emitted("the pipeline"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("file_legacy_encoding.rs"),
};
