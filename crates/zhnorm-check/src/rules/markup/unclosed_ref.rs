//! Finds `<ref>` without `</ref>` in wikitext.
//!
//! **Why it matters.** MediaWiki would show an error and drop the reference; the reader ends the reference at the end of the paragraph so that neither text nor source is lost.
//!
//! **Example.** `俄罗斯在巴库设有大使馆<ref>[http://example.org 来源]` followed by a blank line
//!
//! Emitted by the wikitext reader, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::UNCLOSED_REF,
    origin: Origin::Emitted("the wikitext reader"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("unclosed_ref.rs"),
};
