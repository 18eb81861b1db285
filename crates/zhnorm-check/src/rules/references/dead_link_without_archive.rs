//! Finds references whose link is marked dead (`url-status` `dead`, or the legacy
//! `deadurl=yes`) with no archive copy.
//!
//! **Why it matters.** Nobody can check the source any more unless an archived copy is found;
//! the rule lists the references that need one. (zhnorm never goes online: "dead" is what the
//! source says.)
//!
//! **Example.** `{{cite web|url=http://…|deadurl=yes}}` without `archiveurl`.

use zhnorm_doc::{Diagnostic, codes};

use crate::context::Context;
use crate::registry::{Check, Origin, Rule};
use crate::rules::describe_reference;

pub(crate) static RULE: Rule = Rule {
    code: &codes::DEAD_LINK_WITHOUT_ARCHIVE,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("dead_link_without_archive.rs"),
};

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    cx.doc
        .references
        .iter()
        .filter(|r| {
            let dead = r.custom.url_status.as_deref().is_some_and(|s| {
                matches!(
                    s.trim().to_ascii_lowercase().as_str(),
                    "dead" | "yes" | "true"
                )
            });
            dead && r
                .custom
                .archive_url
                .as_deref()
                .is_none_or(|u| u.trim().is_empty())
        })
        .map(|r| {
            let url = r
                .url
                .as_deref()
                .map(|u| format!(" (`{u}`)"))
                .unwrap_or_default();
            Diagnostic::new(
                &codes::DEAD_LINK_WITHOUT_ARCHIVE,
                format!(
                    "{}: the link is marked dead and has no archive copy{url}",
                    describe_reference(r)
                ),
            )
        })
        .collect()
}
