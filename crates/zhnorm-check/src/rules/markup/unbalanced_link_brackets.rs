//! Finds `[[` without `]]` (or the reverse) in wikitext, at the line and column of the lone bracket.
//!
//! **Why it matters.** An unclosed link swallows the text after it or leaves brackets in the output; MediaWiki shows the lone bracket as text; the reader drops it, on purpose (a bracket left in a corpus is markup noise that M008 would report; docs/wikitext.md lists this departure), reads the text after it as text, and says where.
//!
//! **Example.** `[[巴库 是首都。` — `[[` at line 3, column 1 is never closed
//!
//! Emitted by the wikitext reader, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::UNBALANCED_LINK_BRACKETS,
    origin: Origin::Emitted("the wikitext reader"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("unbalanced_link_brackets.rs"),
};
