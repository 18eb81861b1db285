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
    let lower = url.to_ascii_lowercase();
    let after_scheme = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"));
    if let Some(rest) = after_scheme {
        if rest.starts_with("http:")
            || rest.starts_with("https:")
            || rest.starts_with("http//")
            || rest.starts_with("https//")
        {
            return Some("has its scheme twice");
        }
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

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut report = |url: &str, place: String| {
        if let Some(problem) = problem(url) {
            out.push(Diagnostic::new(
                &codes::MALFORMED_URL,
                format!("URL `{url}` {problem} ({place})"),
            ));
        }
    };
    for r in &cx.doc.references {
        if let Some(url) = &r.url {
            report(url, format!("`URL` of reference `{}`", r.id));
        }
        if let Some(url) = &r.custom.archive_url {
            report(url, format!("`archive-url` of reference `{}`", r.id));
        }
    }
    for target in link_targets(cx.doc, LinkKind::External) {
        report(target, "external link".to_owned());
    }
    out
}
