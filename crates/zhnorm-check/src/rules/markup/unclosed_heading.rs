//! Finds headings whose `=` signs do not match (`== 历史 ===`) or are never closed (`== 历史`).
//!
//! **Why it matters.** MediaWiki reads a mismatched line at the smaller level with the surplus `=` in the title (`=foo==` is the heading `foo=`), and a line with no closing `=` as text; the reader does the same and reports it.
//!
//! **Example.** `== 历史 ===` at line 12
//!
//! Emitted by the readers, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::UNCLOSED_HEADING,
    origin: Origin::Emitted("the readers"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("unclosed_heading.rs"),
};
