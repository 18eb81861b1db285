//! A reference line of zhnorm's own Markdown view (format `canonical`) read back into the
//! fields it was written from, so that normalizing a view again gives the same view.
//!
//! `zhnorm_doc::to_markdown` writes a record as `[title](<URL>)` (or the title alone, or
//! `<URL>`), then its container, publisher and issue date, then `[存档](<archive URL>)`, all
//! joined by `. `. The line cannot say which of container and publisher a lone name was, nor
//! carry authors or identifiers: those are the view's losses, not this reader's.

use zhnorm_doc::{
    Inline, LinkKind, RawReference, Reference, WIKI_URL_PREFIX, decode_url, plain_text,
};

/// The label of the archive link the view writes.
const ARCHIVE: &str = "存档";

/// Fills `record` from a view's reference line; false when the line is not in that form.
pub(crate) fn read(raw: &RawReference, record: &mut Reference) -> bool {
    let mut inlines: &[Inline] = &raw.inlines;
    if let Some((
        Inline::Link {
            kind,
            target,
            inlines: text,
        },
        rest,
    )) = inlines.split_last()
        && *kind == LinkKind::External
        && plain_text(text) == ARCHIVE
    {
        record.custom.archive_url = Some(target.clone());
        inlines = rest;
    }
    let archived = record.custom.archive_url.is_some();
    let mut parts = match inlines.split_first() {
        Some((
            Inline::Link {
                kind,
                target,
                inlines: text,
            },
            rest,
        )) => {
            // The view writes a zh.wikipedia URL, which reads back as a wiki link.
            let url = match kind {
                LinkKind::External => target.clone(),
                LinkKind::Wiki => format!("{WIKI_URL_PREFIX}{target}"),
            };
            let title = plain_text(text);
            // `<URL>`: a link whose text is its URL (as the view encodes it), for a record
            // without a title.
            if decode_url(&title) != url {
                record.title = Some(title);
            }
            record.url = Some(url);
            let Some(rest) = plain_only(rest) else {
                return false;
            };
            match rest.strip_prefix(". ") {
                Some(rest) => split_parts(rest, archived),
                None if rest.trim().is_empty() => Vec::new(),
                None => return false,
            }
        }
        _ => {
            let Some(text) = plain_only(inlines) else {
                return false;
            };
            let mut parts = split_parts(&text, archived);
            if parts.is_empty() {
                return false;
            }
            // Without a link the title's end is not marked, and titles hold `. ` (`J.G.
            // Herder on …`): the line is read from its end, as a book's publisher and year.
            if parts.last().is_some_and(|p| is_iso_date(p)) {
                record.issued = parts.pop();
            }
            if parts.len() > 1 {
                record.publisher = parts.pop();
            }
            record.title = Some(parts.join(". "));
            Vec::new()
        }
    };
    if parts.last().is_some_and(|p| is_iso_date(p)) {
        record.issued = parts.pop();
    }
    if !parts.is_empty() {
        record.container_title = Some(parts.remove(0));
    }
    if !parts.is_empty() {
        record.publisher = Some(parts.join(". "));
    }
    record.kind = if record.url.is_some() {
        "webpage"
    } else {
        "document"
    }
    .to_owned();
    true
}

/// The text of inlines that hold no link or other markup.
fn plain_only(inlines: &[Inline]) -> Option<String> {
    inlines
        .iter()
        .all(|i| matches!(i, Inline::Text { .. }))
        .then(|| plain_text(inlines))
}

/// `A. B` → `["A", "B"]`; before an archive link the text ends in the separator `. `.
fn split_parts(text: &str, archived: bool) -> Vec<String> {
    let text = if archived {
        text.trim_end().strip_suffix('.').unwrap_or(text)
    } else {
        text
    };
    text.split(". ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `2001`, `2006-02` or `2006-02-24`: how the view writes an issue date.
fn is_iso_date(text: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let mut fields = text.split('-');
    fields.next().is_some_and(|y| digits(y, 4))
        && fields.all(|f| digits(f, 2))
        && text.split('-').count() <= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(target: &str, text: &str) -> Inline {
        Inline::Link {
            kind: LinkKind::External,
            target: target.to_owned(),
            inlines: vec![Inline::text(text)],
        }
    }

    fn read_line(inlines: Vec<Inline>) -> Option<Reference> {
        let raw = RawReference {
            inlines,
            ..RawReference::default()
        };
        let mut record = Reference::default();
        read(&raw, &mut record).then_some(record)
    }

    #[test]
    fn every_field_the_view_writes_is_read_back() {
        let record = read_line(vec![
            link("https://example.org/a", "标题. 副题"),
            Inline::text(". 华盛顿邮报. 某出版社. 2015-04-23. "),
            link(
                "https://web.archive.org/web/2015/https://example.org/a",
                "存档",
            ),
        ])
        .unwrap();
        assert_eq!(record.title.as_deref(), Some("标题. 副题"));
        assert_eq!(record.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(record.container_title.as_deref(), Some("华盛顿邮报"));
        assert_eq!(record.publisher.as_deref(), Some("某出版社"));
        assert_eq!(record.issued.as_deref(), Some("2015-04-23"));
        assert_eq!(
            record.custom.archive_url.as_deref(),
            Some("https://web.archive.org/web/2015/https://example.org/a")
        );
        assert_eq!(record.kind, "webpage");
    }

    #[test]
    fn a_url_alone_and_a_title_alone() {
        let url = read_line(vec![link(
            "https://example.org/a%2F",
            "https://example.org/a%252F",
        )])
        .unwrap();
        assert_eq!(
            (url.title, url.url.as_deref()),
            (None, Some("https://example.org/a%2F"))
        );
        let wiki = Inline::Link {
            kind: LinkKind::Wiki,
            target: "%E8%B0%AD".to_owned(),
            inlines: vec![Inline::text("谭")],
        };
        let page = read_line(vec![wiki, Inline::text(". 2007-05")]).unwrap();
        assert_eq!(
            page.url.as_deref(),
            Some("https://zh.wikipedia.org/wiki/%E8%B0%AD")
        );
        assert_eq!(page.issued.as_deref(), Some("2007-05"));
        let title = read_line(vec![Inline::text(".NET Framework 4.5 Inc.. 2001")]).unwrap();
        assert_eq!(title.title.as_deref(), Some(".NET Framework 4.5 Inc."));
        let book = read_line(vec![Inline::text(
            "J.G. Herder on Social and Political Culture. Cambridge University Press. 1969",
        )])
        .unwrap();
        assert_eq!(
            book.title.as_deref(),
            Some("J.G. Herder on Social and Political Culture")
        );
        assert_eq!(
            book.publisher.as_deref(),
            Some("Cambridge University Press")
        );
        assert_eq!(book.issued.as_deref(), Some("1969"));
        assert_eq!(title.issued.as_deref(), Some("2001"));
        assert_eq!(title.kind, "document");
    }

    #[test]
    fn a_line_with_other_markup_is_not_a_view_line() {
        let emphasis = Inline::Emphasis {
            inlines: vec![Inline::text("书")],
        };
        assert!(read_line(vec![Inline::text("甲"), emphasis]).is_none());
        assert!(!is_iso_date("2015-4-23"));
        assert!(is_iso_date("2015-04"));
    }
}
