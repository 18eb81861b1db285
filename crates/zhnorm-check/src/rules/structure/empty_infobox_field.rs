//! Finds infobox fields whose value is empty.
//!
//! **Why it matters.** An empty field is either a blank template parameter (harmless, but
//! noise in structured data) or a value a reader failed to extract (a template or image it
//! dropped). The list lets a person tell which. Informational.
//!
//! **Example.** `{{Infobox Bilateral relations|…|map=|mission1=}}` gives empty `map` and
//! `mission1`.

use zhnorm_doc::{Diagnostic, codes};

use crate::context::Context;
use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::EMPTY_INFOBOX_FIELD,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("empty_infobox_field.rs"),
};

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let Some(infobox) = &cx.doc.infobox else {
        return Vec::new();
    };
    let empty: Vec<String> = infobox
        .fields
        .iter()
        .filter(|(_, value)| value.trim().is_empty())
        .map(|(name, _)| format!("`{name}`"))
        .collect();
    if empty.is_empty() {
        return Vec::new();
    }
    vec![Diagnostic::new(
        &codes::EMPTY_INFOBOX_FIELD,
        format!(
            "infobox `{}` has {} empty field{}: {}",
            infobox.kind,
            empty.len(),
            if empty.len() == 1 { "" } else { "s" },
            empty.join(", ")
        ),
    )]
}
