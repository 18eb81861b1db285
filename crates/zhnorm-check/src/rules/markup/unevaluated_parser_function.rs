//! Finds parser functions and magic words the wikitext reader could not evaluate: a function
//! zhnorm does not evaluate (`{{#invoke:…}}`, `{{#time:…}}`, `{{urlencode:…}}`), a magic word
//! whose value is not in the input (`{{CURRENTYEAR}}` without a revision timestamp,
//! `{{NUMBEROFARTICLES}}`), or an evaluated function whose arguments hold a template
//! (`{{#if:{{Foo}}|…}}`). One diagnostic per call; what is kept of its arguments is listed in
//! docs/parser-functions.md (the argument's text where MediaWiki surely shows it, nothing where
//! it would have to guess a branch).
//!
//! **Why it matters.** MediaWiki shows the value; zhnorm shows what it can be sure of, so a word of
//! the sentence may be missing and the report lets a person check.
//!
//! **Example.** `{{#ifeq:{{Foo}}|bar|是|否}}` or `{{CURRENTYEAR}}` in a loose file
//!
//! Emitted by the wikitext reader, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::UNEVALUATED_PARSER_FUNCTION,
    origin: Origin::Emitted("the wikitext reader"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("unevaluated_parser_function.rs"),
};
