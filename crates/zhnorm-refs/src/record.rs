//! Normalizing the fields of one record in place: dates, language, URLs, identifiers.
//!
//! The structuring code ([`crate::wikitext`], [`crate::scraped`], [`crate::links`]) copies values
//! as the source wrote them; this pass is the one place that turns them into canonical forms,
//! so it also serves records read back from canonical JSON. It is idempotent.

use zhnorm_doc::{Diagnostic, Reference, codes};

use crate::date::{DateOutcome, normalize_date};
use crate::language::normalize_language;
use crate::urls::{normalize_url, split_archive_url};

/// Normalizes every field of `reference` that has a canonical form, and returns what could not
/// be normalized as diagnostics (without location; the caller knows where the record came from).
///
/// Values that cannot be normalized are not lost: an unreadable date or an unknown language
/// moves to `custom.extra` under `issued-raw`, `accessed-raw`, `archive-date-raw` or
/// `language-raw`; a malformed URL stays as written. Normalizing twice changes nothing.
///
/// ```
/// use zhnorm_doc::Reference;
/// let mut record = Reference { issued: Some("2006年2月24日".into()), language: Some("英語".into()), ..Reference::default() };
/// assert!(zhnorm_refs::normalize_record(&mut record).is_empty());
/// assert_eq!(record.issued.as_deref(), Some("2006-02-24"));
/// assert_eq!(record.language.as_deref(), Some("en"));
/// ```
pub fn normalize_record(reference: &mut Reference) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for text in [
        &mut reference.title,
        &mut reference.container_title,
        &mut reference.publisher,
        &mut reference.page,
        &mut reference.volume,
        &mut reference.issue,
        &mut reference.note,
        &mut reference.custom.group,
        &mut reference.custom.label,
    ] {
        tidy(text);
    }
    // `《书名》`: the book-title marks are punctuation around a title, not part of it.
    if let Some(title) = &mut reference.title {
        if let Some(inner) = title.strip_prefix('《').and_then(|t| t.strip_suffix('》')) {
            if !inner.contains(['《', '》']) && !inner.trim().is_empty() {
                *title = inner.trim().to_owned();
            }
        }
    }
    reference.author.retain(|name| match name {
        zhnorm_doc::Name::Structured { family, .. } => !family.trim().is_empty(),
        zhnorm_doc::Name::Literal { literal } => !literal.trim().is_empty(),
    });

    for (field, value) in [
        ("issued", &mut reference.issued),
        ("accessed", &mut reference.accessed),
        ("archive-date", &mut reference.custom.archive_date),
    ] {
        tidy(value);
        let Some(text) = value.take() else { continue };
        let problem = match normalize_date(&text) {
            DateOutcome::Iso(iso) => {
                *value = Some(iso);
                continue;
            }
            DateOutcome::Ambiguous => Diagnostic::new(
                &codes::AMBIGUOUS_DATE,
                format!(
                    "{field} `{text}`: day and month cannot be told apart; kept as `{field}-raw`"
                ),
            ),
            DateOutcome::Invalid => Diagnostic::new(
                &codes::IMPLAUSIBLE_DATE,
                format!("{field} `{text}` is not a real date; kept as `{field}-raw`"),
            ),
            DateOutcome::Unrecognized => Diagnostic::new(
                &codes::IMPLAUSIBLE_DATE,
                format!("{field} `{text}` is not a date zhnorm can read; kept as `{field}-raw`"),
            ),
        };
        diagnostics.push(problem);
        reference.custom.extra.insert(format!("{field}-raw"), text);
    }

    // A Wayback copy given as the URL (even a copy of a copy) is split into the page and the
    // copy; the copy's timestamp supplies the archive date when the source gave none that
    // could be read. Splitting the normalized form keeps this idempotent.
    tidy(&mut reference.url);
    tidy(&mut reference.custom.archive_url);
    for _ in 0..4 {
        let Some(text) = reference.url.as_deref() else {
            break;
        };
        let normalized = normalize_url(text).unwrap_or_else(|_| text.to_owned());
        let Some(copy) = split_archive_url(&normalized) else {
            break;
        };
        reference.custom.archive_url.get_or_insert(normalized);
        if reference.custom.archive_date.is_none() {
            reference.custom.archive_date = copy.date;
        }
        reference.url = Some(copy.original);
    }
    if reference.custom.archive_date.is_none() {
        let archive = reference.custom.archive_url.as_deref();
        let normalized = archive.map(|a| normalize_url(a).unwrap_or_else(|_| a.to_owned()));
        let from_copy = normalized.as_deref().and_then(split_archive_url);
        reference.custom.archive_date = from_copy.and_then(|copy| copy.date);
    }
    for (field, value) in [
        ("URL", &mut reference.url),
        ("archive-url", &mut reference.custom.archive_url),
    ] {
        if let Some(text) = value {
            match normalize_url(text) {
                Ok(url) => *text = url,
                Err(error) => diagnostics.push(Diagnostic::new(
                    &codes::MALFORMED_URL,
                    format!("{field}: {error}; kept as written"),
                )),
            }
        }
    }

    tidy(&mut reference.language);
    if let Some(text) = reference.language.take() {
        match normalize_language(&text) {
            Some(tag) => reference.language = Some(tag),
            None => {
                reference
                    .custom
                    .extra
                    .insert("language-raw".to_owned(), text);
            }
        }
    }

    tidy(&mut reference.issn);
    if let Some(issn) = &mut reference.issn {
        let digits: String = issn.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        if digits.len() == 8 && digits[..7].bytes().all(|b| b.is_ascii_digit()) {
            *issn = format!("{}-{}", &digits[..4], digits[4..].to_ascii_uppercase());
        }
    }
    tidy(&mut reference.isbn);
    tidy(&mut reference.doi);
    if let Some(doi) = &mut reference.doi {
        for prefix in [
            "https://doi.org/",
            "http://doi.org/",
            "http://dx.doi.org/",
            "doi:",
        ] {
            if let Some(rest) = doi.strip_prefix(prefix) {
                *doi = rest.trim().to_owned();
            }
        }
    }
    tidy(&mut reference.custom.url_status);
    if let Some(status) = &mut reference.custom.url_status {
        *status = url_status(status);
    }
    diagnostics
}

/// Trims a text field, and empties it when nothing is left.
fn tidy(value: &mut Option<String>) {
    if let Some(text) = value {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            *value = None;
        } else if trimmed.len() != text.len() {
            *text = trimmed.to_owned();
        }
    }
}

/// `url-status`, and what the legacy `deadurl=yes|no` meant, as CS1 reads them.
pub(crate) fn url_status(value: &str) -> String {
    let lower = value.trim().to_lowercase();
    match lower.as_str() {
        "yes" | "y" | "true" | "dead" | "bot: unknown" => "dead".to_owned(),
        "no" | "n" | "false" | "live" => "live".to_owned(),
        _ => lower,
    }
}
