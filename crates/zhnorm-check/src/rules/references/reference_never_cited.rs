//! Finds references that no citation in the text points at.
//!
//! **Why it matters.** A reference nobody cites supports nothing in particular: it is either
//! a list-defined reference whose citation was lost by a reader, or a leftover of an edit. The
//! source itself is kept.
//!
//! **Example.** `<references><ref name="x">…</ref></references>` with no `<ref name="x"/>` in
//! the text.

use foldhash::HashSet;

use zhnorm_doc::{Diagnostic, codes};

use crate::context::{Context, citations};
use crate::registry::{Check, Origin, Rule};
use crate::rules::describe_reference;

pub(crate) static RULE: Rule = Rule {
    code: &codes::REFERENCE_NEVER_CITED,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("reference_never_cited.rs"),
};

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let citations = citations(cx.doc);
    // A set: a list article has thousands of references and tens of thousands of citations.
    let cited: HashSet<&str> = citations.iter().map(String::as_str).collect();
    cx.doc
        .references
        .iter()
        .filter(|r| !cited.contains(r.id.as_str()))
        .map(|r| {
            Diagnostic::new(
                &codes::REFERENCE_NEVER_CITED,
                format!("{} is never cited", describe_reference(r)),
            )
        })
        .collect()
}
