//! Finds `-{` without `}-` (MediaWiki script-conversion markup).
//!
//! **Why it matters.** The protected text or conversion rule would swallow the rest of the paragraph; MediaWiki shows the lone `-{` as text; the reader drops it, on purpose (docs/wikitext.md lists this departure), reads the text after it as text, and reports it.
//!
//! **Example.** `-{zh-hans:阿塞拜疆;zh-hant:亞塞拜然` with no `}-`
//!
//! Emitted by the readers, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::UNCLOSED_CONVERSION,
    origin: Origin::Emitted("the readers"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("unclosed_conversion.rs"),
};
