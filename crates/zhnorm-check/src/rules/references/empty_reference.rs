//! Finds references with no content: no title, URL, author, container or other field, and no
//! source text beyond a label.
//!
//! **Why it matters.** The citation pointing at it supports its claim with nothing. Markdown
//! exports leave such items (`6.` alone on a line) where the converter dropped a citation
//! template; the references stage reports them as it structures references, and this check
//! finds them in documents that did not go through it.
//!
//! **Example.** A numbered reference list in a Markdown export with an item `6.` and nothing
//! after it.

use zhnorm_doc::{Diagnostic, Reference, codes};

use crate::context::Context;
use crate::registry::{Check, Origin, Rule};
use crate::rules::describe_reference;

pub(crate) static RULE: Rule = Rule {
    code: &codes::EMPTY_REFERENCE,
    origin: Origin::EmittedAndChecked("the references stage"),
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("empty_reference.rs"),
};

/// True when the reference carries nothing that could identify a source.
pub(crate) fn is_empty(r: &Reference) -> bool {
    let fields = [
        &r.title,
        &r.container_title,
        &r.publisher,
        &r.url,
        &r.issn,
        &r.isbn,
        &r.doi,
        &r.note,
    ];
    let no_fields = fields
        .iter()
        .all(|f| f.as_deref().is_none_or(|s| s.trim().is_empty()))
        && r.author.is_empty()
        && r.custom.archive_url.is_none();
    let raw = r.custom.raw.trim();
    let raw = r
        .custom
        .label
        .as_deref()
        .and_then(|label| raw.strip_prefix(label))
        .unwrap_or(raw);
    no_fields && !raw.chars().any(char::is_alphanumeric)
}

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    cx.doc
        .references
        .iter()
        .filter(|r| is_empty(r))
        .map(|r| {
            Diagnostic::new(
                &codes::EMPTY_REFERENCE,
                format!("{} is empty", describe_reference(r)),
            )
        })
        .collect()
}
