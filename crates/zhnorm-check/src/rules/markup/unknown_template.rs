//! Finds templates zhnorm does not know and that therefore left no text in the output.
//!
//! **Why it matters.** Most templates are navigation or maintenance boxes whose loss is harmless, but an unknown inline template may have carried words of the sentence; the report lets a person check.
//!
//! **Example.** `{{小作品}}` or `{{Flagicon|RUS}}`
//!
//! Emitted by the wikitext reader, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::UNKNOWN_TEMPLATE,
    origin: Origin::Emitted("the wikitext reader"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("unknown_template.rs"),
};
