//! Finds references without a title (that are not empty altogether, see R003).
//!
//! **Why it matters.** A reader of the reference list cannot tell what the source is without
//! following the link, and the link may die. Bare-link references (`<ref>http://…</ref>`) are
//! the usual cause.
//!
//! **Example.** `<ref>[http://en.trend.az/…/1961897.html]</ref>`: a URL and nothing else.

use zhnorm_doc::{Diagnostic, codes};

use crate::context::Context;
use crate::registry::{Check, Origin, Rule};
use crate::rules::describe_reference;
use crate::rules::references::empty_reference::is_empty;

pub(crate) static RULE: Rule = Rule {
    code: &codes::REFERENCE_WITHOUT_TITLE,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("reference_without_title.rs"),
};

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    cx.doc
        .references
        .iter()
        .filter(|r| r.title.as_deref().is_none_or(|t| t.trim().is_empty()) && !is_empty(r))
        .map(|r| {
            Diagnostic::new(
                &codes::REFERENCE_WITHOUT_TITLE,
                format!("{} has no title", describe_reference(r)),
            )
        })
        .collect()
}
