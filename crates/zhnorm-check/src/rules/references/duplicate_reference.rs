//! Finds two references to the same source: the same URL (ignoring scheme, `www.` and a
//! trailing `/`), or the same title in the same container.
//!
//! **Why it matters.** The reference list counts one source twice and the citations of one
//! source are split. The references stage merges duplicates it can prove and reports each
//! merge; this check finds the ones left in a document. Informational.
//!
//! **Example.** `<ref>[http://example.org/a 甲]</ref>` and, later, `<ref>[https://www.example.org/a/ 甲]</ref>`.

use zhnorm_doc::{Diagnostic, Reference, codes};

use crate::context::Context;
use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::DUPLICATE_REFERENCE,
    origin: Origin::EmittedAndChecked("the references stage"),
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("duplicate_reference.rs"),
};

fn url_key(url: &str) -> String {
    let url = url.trim();
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    let url = url.strip_prefix("www.").unwrap_or(url);
    url.trim_end_matches('/').to_lowercase()
}

fn title_key(r: &Reference) -> Option<String> {
    let title: String = r.title.as_deref()?.split_whitespace().collect();
    if title.chars().count() < 4 {
        return None;
    }
    let container: String = r
        .container_title
        .as_deref()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    Some(format!(
        "{}\u{1f}{}",
        title.to_lowercase(),
        container.to_lowercase()
    ))
}

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let refs = &cx.doc.references;
    // The keys once per reference: the pairs below compare them many times.
    let keys: Vec<(Option<String>, Option<String>)> = refs
        .iter()
        .map(|r| (r.url.as_deref().map(url_key), title_key(r)))
        .collect();
    let mut out = Vec::new();
    for (i, later) in refs.iter().enumerate() {
        let (later_url, later_title) = &keys[i];
        let same = refs[..i]
            .iter()
            .zip(&keys)
            .find(|(earlier, (earlier_url, earlier_title))| {
                let by_url = matches!((earlier_url, later_url), (Some(a), Some(b)) if a == b);
                let by_title = match (earlier_title, later_title) {
                    (Some(a), Some(b)) => a == b && (earlier.url.is_none() || later.url.is_none()),
                    _ => false,
                };
                by_url || by_title
            })
            .map(|(earlier, _)| earlier);
        if let Some(earlier) = same {
            let what = match &later.url {
                Some(url) if earlier.url.is_some() => format!("URL `{url}`"),
                _ => format!("title “{}”", later.title.as_deref().unwrap_or_default()),
            };
            out.push(Diagnostic::new(
                &codes::DUPLICATE_REFERENCE,
                format!(
                    "references `{}` and `{}` cite the same source ({what})",
                    earlier.id, later.id
                ),
            ));
        }
    }
    out
}
