//! Finds references without a URL (nor DOI or ISBN) in documents whose source format carries
//! URLs (wikitext, Markdown exports).
//!
//! **Why it matters.** The source cannot be checked. Scraped page text loses every URL, so
//! there the reference stage sets `custom.url-lost` and nothing is reported; books and
//! chapters are not expected to have one. Informational.
//!
//! **Example.** `<ref>俄方希望阿塞拜疆尽快释放被拘留的俄记者. 新华网. 2025-07-01.</ref>` in
//! wikitext.

use zhnorm_doc::{Diagnostic, Format, codes};

use crate::context::Context;
use crate::registry::{Check, Origin, Rule};
use crate::rules::describe_reference;
use crate::rules::references::empty_reference::is_empty;

pub(crate) static RULE: Rule = Rule {
    code: &codes::REFERENCE_WITHOUT_URL,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("reference_without_url.rs"),
};

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    if cx.doc.source.format == Format::Scraped {
        return Vec::new();
    }
    cx.doc
        .references
        .iter()
        .filter(|r| {
            r.url.is_none()
                && r.doi.is_none()
                && r.isbn.is_none()
                && r.custom.archive_url.is_none()
                && !r.custom.url_lost
                && !matches!(r.kind.as_str(), "book" | "chapter" | "thesis")
                && !is_empty(r)
        })
        .map(|r| {
            Diagnostic::new(
                &codes::REFERENCE_WITHOUT_URL,
                format!("{} has no URL", describe_reference(r)),
            )
        })
        .collect()
}
