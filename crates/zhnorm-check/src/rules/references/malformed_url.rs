//! Finds malformed URLs in references (`URL`, `archive-url`) and external links: no scheme
//! (`www.example.org/a`), a doubled scheme (`http://http://…`, `https://https//…`), white space
//! inside, or anything else the WHATWG URL parser rejects. Protocol-relative links
//! (`//example.org`), which MediaWiki allows, are accepted.
//!
//! **Why it matters.** The source cannot be opened, and tools that resolve or archive links
//! fail on it. Such URLs come from hand-typed citations and from converters that prefix a
//! scheme twice.
//!
//! **Example.** `{{cite web|url=http://http://www.mfa.gov.az/…}}`.

use zhnorm_doc::{Diagnostic, LinkKind, codes};

use crate::context::{Context, link_targets};
use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::MALFORMED_URL,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("malformed_url.rs"),
};

/// What is wrong with `url`, if anything.
pub(crate) fn problem(url: &str) -> Option<&'static str> {
    let url = url.trim();
    if url.starts_with("//") {
        return None;
    }
    if url.chars().any(char::is_whitespace) {
        return Some("contains white space");
    }
    let after_scheme = strip_prefix_ignoring_case(url, "http://")
        .or_else(|| strip_prefix_ignoring_case(url, "https://"));
    if let Some(rest) = after_scheme
        && ["http:", "https:", "http//", "https//"]
            .iter()
            .any(|scheme| strip_prefix_ignoring_case(rest, scheme).is_some())
    {
        return Some("has its scheme twice");
    }
    // Most URLs of references are written as the parser serializes them: they parse, with a
    // host, and need no parse to say so.
    if zhnorm_refs::is_normalized_url(url) {
        return None;
    }
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_none() => {
            Some("has no host")
        }
        Ok(_) => None,
        Err(url::ParseError::RelativeUrlWithoutBase) => Some("has no scheme"),
        Err(_) => Some("cannot be parsed"),
    }
}

/// `text` without its first `prefix.len()` bytes when they are `prefix` in any ASCII case.
fn strip_prefix_ignoring_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The place is written only for a URL with a problem (this rule sees every URL).
    let mut report = |url: &str, place: &dyn Fn() -> String| {
        if let Some(problem) = problem(url) {
            out.push(Diagnostic::new(
                &codes::MALFORMED_URL,
                format!("URL `{url}` {problem} ({})", place()),
            ));
        }
    };
    for r in &cx.doc.references {
        if let Some(url) = &r.url {
            report(url, &|| format!("`URL` of reference `{}`", r.id));
        }
        if let Some(url) = &r.custom.archive_url {
            report(url, &|| format!("`archive-url` of reference `{}`", r.id));
        }
    }
    for target in link_targets(cx.doc, LinkKind::External) {
        report(target, &|| "external link".to_owned());
    }
    out
}
