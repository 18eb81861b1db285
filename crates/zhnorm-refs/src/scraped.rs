//! References as zh.wikipedia renders them, scraped as text:
//! `Author. Title. Work. Date [AccessDate]. ISSN xxxx-xxxx (语言). （原始内容存档于…）`.
//!
//! The rendering joins fields with `. `, so the fields are found from the ends inwards: the
//! trailing parentheses (language, archive note), identifiers, the date segment, and what is
//! left is `[author.] title[. work[. publisher]]`. A title that itself contains `. ` is kept whole
//! when no author is recognized before it. The URLs are gone in this format; the record says so
//! (`custom.url-lost`) unless the text itself carries one.

use std::sync::LazyLock;

use regex::Regex;
use zhnorm_doc::{Name, Reference};

use crate::date::{DateOutcome, normalize_date};
use crate::language::normalize_language;

static BACKLINKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-*]\s+)?(?:\^\s*(?:[a-z]\s+)*)?(?:\d+\.0\s+(?:\d+\.\d+\s+)+)?").unwrap()
});
static TRAILING_PARENS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*[（(]([^()（）]*(?:[（(][^()（）]*[)）][^()（）]*)*)[)）]\s*[.。]?\s*$")
        .unwrap()
});
static ARCHIVE_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"原始内容.*?存档于\s*(.+?)\s*$|存档").unwrap());
static ISSN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[.,，]\s*|\s)ISSN\s+(\d{4}-?\d{3}[\dXx])").unwrap());
static ISBN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[.,，]\s*|\s)ISBN\s+((?:97[89][- ]?)?[\d-]{9,13}[\dXx])").unwrap()
});
static DOI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[.,，]\s*|\s)doi:\s*(10\.\S+?)(?:[.,]?\s|[.,]?$)").unwrap());
static URL_IN_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"https?://[^\s<>\]）)]+").unwrap());
static SEGMENT_BREAK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\.\s+").unwrap());
static DATE_SEGMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<date>[^\[\]:：]*?)(?:\s*[:：]\s*(?P<pages>[^\[\]]+?))?\s*(?:\[(?P<accessed>[^\[\]]+)\])?$").unwrap()
});
static PLACE_PUBLISHER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^:：\d]{1,24}[:：]\s*(.+)$").unwrap());
static LATIN_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3}$").unwrap());
static FAMILY_GIVEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Lu}[\p{L}'’-]*(?:\s\p{Lu}[\p{L}'’-]*)?),\s*(\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,2})$").unwrap()
});
static HAN_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{Han}·・]{2,6}(?:\s+[\p{Han}·・]{2,6})?$").unwrap());
static DOMAIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+$").unwrap());
static VOLUME_ISSUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d+)\s*[(（](\d+)[)）]\s*[:：]\s*(\d+(?:[-–~]\d+)?)").unwrap());

/// Fills `record` from the rendered text of one reference.
pub(crate) fn from_rendered(text: &str, record: &mut Reference) {
    let mut rest = BACKLINKS.replace(text.trim(), "").trim().to_owned();

    if let Some(url) = URL_IN_TEXT.find(&rest) {
        record.url = Some(url.as_str().to_owned());
        rest = format!("{}{}", &rest[..url.start()], &rest[url.end()..])
            .trim()
            .to_owned();
    }

    // Trailing parentheses, innermost last: `（原始内容存档于2020-01-07） （中文）.`
    // At most a few: each pass scans the whole text.
    for _ in 0..6 {
        let Some(c) = TRAILING_PARENS.captures(&rest) else {
            break;
        };
        let inner = c[1].trim().to_owned();
        let start = c.get(0).map_or(rest.len(), |m| m.start());
        if let Some(note) = ARCHIVE_NOTE.captures(&inner) {
            if let Some(date) = note.get(1) {
                record.custom.archive_date = Some(date.as_str().to_owned());
            }
            record.custom.extra.insert("archive-note".to_owned(), inner);
        } else if let Some(tag) = normalize_language(&inner) {
            record.language.get_or_insert(tag);
        } else if inner.eq_ignore_ascii_case("pdf") {
            record
                .custom
                .extra
                .insert("format".to_owned(), "PDF".to_owned());
        } else {
            break;
        }
        rest.truncate(start);
    }

    for (regex, field) in [(&*ISSN, "ISSN"), (&*ISBN, "ISBN"), (&*DOI, "DOI")] {
        let found: Vec<(usize, usize, String)> = regex
            .captures_iter(&rest)
            .filter_map(|c| Some((c.get(0)?.start(), c.get(0)?.end(), c[1].to_owned())))
            .collect();
        if let Some((_, _, first)) = found.first() {
            let slot = match field {
                "ISSN" => &mut record.issn,
                "ISBN" => &mut record.isbn,
                _ => &mut record.doi,
            };
            *slot = Some(first.clone());
        }
        for (start, end, _) in found.into_iter().rev() {
            rest.replace_range(start..end, ".");
        }
    }

    if let Some(c) = VOLUME_ISSUE.captures(&rest) {
        record.volume = Some(c[1].to_owned());
        record.issue = Some(c[2].to_owned());
        record.page = Some(c[3].to_owned());
        record.kind = "article-journal".to_owned();
    }

    let rest = rest.trim().trim_end_matches(['.', '。', ' ']).to_owned();
    let mut segments: Vec<String> = Vec::new();
    for segment in SEGMENT_BREAK.split(&rest) {
        let segment = segment.trim().trim_end_matches('.').trim();
        match segments.last_mut() {
            // `Sagart et al. (2019)`: a parenthesis does not start a field.
            Some(last) if segment.starts_with(['(', '（']) => {
                last.push_str(". ");
                last.push_str(segment);
            }
            _ if segment.is_empty() => {}
            _ => segments.push(segment.to_owned()),
        }
    }

    // The date segment: `2024-12-26 [2025-07-07]`, `[2025-07-07]`, `2005: 113–114 [2015-01-02]`.
    if let Some(i) = segments.iter().rposition(|s| date_segment(s, record)) {
        segments.truncate(i);
    }

    // A short name-like first segment is an author when two segments follow it; with only
    // one following, only `Family, Given` names are convincing enough.
    // A title in 《》 marks the fields around it: authors before, work and publisher after.
    let bracketed = segments
        .iter()
        .position(|s| s.starts_with('《') && s.ends_with('》') && s.matches('《').count() == 1);
    if let Some(i) = bracketed.filter(|&i| i > 0) {
        let before: Vec<String> = segments.drain(..i).collect();
        record.author = vec![Name::Literal {
            literal: before.join(". "),
        }];
    }
    let author = !record.author.is_empty()
        || match segments.first().map(|s| names(s)) {
            Some(Some((_, structured))) => {
                segments.len() >= 3 || (segments.len() == 2 && structured)
            }
            _ => false,
        };
    if author && record.author.is_empty() {
        record.author = names(&segments.remove(0))
            .map(|(n, _)| n)
            .unwrap_or_default();
    }
    match segments.len() {
        0 => {}
        1 => record.title = segments.pop(),
        _ if !author => {
            // Without an author, `. ` inside the title cannot be told from a field break, except
            // for a domain before the last segment (`Title. example.org. Publisher`).
            let n = segments.len();
            if n >= 3 && DOMAIN.is_match(&segments[n - 2]) {
                record.publisher = segments.pop();
            }
            record.container_title = segments.pop();
            record.title = Some(segments.join(". "));
        }
        _ => {
            record.title = Some(segments.remove(0));
            record.container_title = Some(segments.remove(0));
            if !segments.is_empty() {
                record.publisher = Some(segments.join(". "));
            }
        }
    }
    // `广州: 广州出版社` is a place and a publisher, which only books show.
    if record.publisher.is_none() {
        if let Some((place, publisher)) =
            record.container_title.as_deref().and_then(place_publisher)
        {
            record.container_title = None;
            record.publisher = Some(publisher);
            record
                .custom
                .extra
                .insert("publisher-place".to_owned(), place);
            record.kind = "book".to_owned();
        }
    } else if let Some((place, publisher)) = record.publisher.as_deref().and_then(place_publisher) {
        record.publisher = Some(publisher);
        record
            .custom
            .extra
            .insert("publisher-place".to_owned(), place);
        record.kind = "book".to_owned();
    }
    // `Language and linguistics, 2009, 10(2):205-237`: the journal, its year, volume and issue.
    if record.volume.is_some() {
        if let Some(container) = record.container_title.take() {
            let cut = VOLUME_ISSUE
                .find(&container)
                .map_or(container.len(), |m| m.start());
            let mut journal = Vec::new();
            for part in container[..cut]
                .split([',', '，'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                match normalize_date(part) {
                    DateOutcome::Iso(_) if record.issued.is_none() => {
                        record.issued = Some(part.to_owned())
                    }
                    _ => journal.push(part),
                }
            }
            record.container_title = Some(journal.join(", "));
        }
    }
    // A book shows its publisher where a web page shows its site.
    if record.isbn.is_some() && record.publisher.is_none() {
        record.publisher = record.container_title.take();
        record.kind = "book".to_owned();
    }
    if let Some(title) = &mut record.title {
        if let Some(stripped) = title.strip_suffix(" (PDF)") {
            *title = stripped.to_owned();
            record
                .custom
                .extra
                .insert("format".to_owned(), "PDF".to_owned());
        }
    }

    if record.kind.is_empty() {
        record.kind = if record.isbn.is_some() {
            "book"
        } else if record.container_title.is_some() || record.url.is_some() {
            "webpage"
        } else {
            "document"
        }
        .to_owned();
    }
    record.custom.url_lost = record.url.is_none();
}

/// Reads a date segment into `record`; false when `segment` is not one.
fn date_segment(segment: &str, record: &mut Reference) -> bool {
    let Some(c) = DATE_SEGMENT.captures(segment) else {
        return false;
    };
    let date = c.name("date").map_or("", |m| m.as_str().trim());
    let accessed = c.name("accessed").map(|m| m.as_str().trim());
    let readable = |t: &str| !matches!(normalize_date(t), DateOutcome::Unrecognized);
    let date_ok = !date.is_empty() && readable(date);
    let accessed_ok = accessed.is_some_and(readable);
    if !(date_ok && (accessed.is_none() || accessed_ok) || date.is_empty() && accessed_ok) {
        return false;
    }
    if date_ok {
        record.issued = Some(date.to_owned());
    }
    if let Some(accessed) = accessed {
        record.accessed = Some(accessed.to_owned());
    }
    if let Some(pages) = c.name("pages") {
        record.page = Some(pages.as_str().trim().to_owned());
    }
    true
}

/// `广州: 广州出版社` → (`广州`, `广州出版社`).
fn place_publisher(text: &str) -> Option<(String, String)> {
    let c = PLACE_PUBLISHER.captures(text)?;
    let publisher = c[1].trim();
    let place = text[..text.len() - c[1].len()]
        .trim_end_matches([':', '：', ' '])
        .trim();
    Some((place.to_owned(), publisher.to_owned()))
}

/// The authors of a segment that reads as a list of names, and whether they were written as
/// `Family, Given` (strong evidence), or `None` when it does not read as names:
/// `Bagirova, Nailia; Stolyarov, Gleb`, `Oleh Pavlyuk`, `李敬忠`,
/// `François Pellegrino, Christophe Coupé and Egidio Marsico`.
fn names(segment: &str) -> Option<(Vec<Name>, bool)> {
    let segment = segment.trim();
    if segment.contains(';') || FAMILY_GIVEN.is_match(segment) {
        let structured: Option<Vec<Name>> = segment
            .split(';')
            .map(|part| {
                let part = part.trim();
                let c = FAMILY_GIVEN.captures(part)?;
                Some(Name::Structured {
                    family: c[1].trim().to_owned(),
                    given: c[2].trim().to_owned(),
                })
            })
            .collect();
        return structured.map(|n| (n, true));
    }
    let parts: Vec<&str> = segment
        .split([',', '，', '、', '&'])
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty()
        || !parts
            .iter()
            .all(|p| LATIN_NAME.is_match(p) || HAN_NAME.is_match(p))
    {
        return None;
    }
    let literals = parts.into_iter().map(|p| Name::Literal {
        literal: p.to_owned(),
    });
    Some((literals.collect(), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_recognized() {
        assert_eq!(
            names("Oleh Pavlyuk").map(|n| (n.0.len(), n.1)),
            Some((1, false))
        );
        assert_eq!(
            names("Bagirova, Nailia; Stolyarov, Gleb").map(|n| (n.0.len(), n.1)),
            Some((2, true))
        );
        assert_eq!(names("李敬忠").map(|n| (n.0.len(), n.1)), Some((1, false)));
        assert_eq!(
            names("François Pellegrino, Christophe Coupé and Egidio Marsico")
                .map(|n| (n.0.len(), n.1)),
            Some((3, false))
        );
        assert_eq!(
            names("Tensions are rising between Russia and Azerbaijan"),
            None
        );
        assert_eq!(names("俄方希望阿塞拜疆尽快释放被拘留的俄记者"), None);
    }
}
