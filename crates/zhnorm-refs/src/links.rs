//! References that are a link and some text: wikitext `[url title]` and bare URLs, Markdown
//! `[title](url)` list items and `<url>` autolinks, and references with no link at all.
//!
//! The reader's inlines are used when they hold an external link; otherwise the raw text is
//! searched for the link shapes of the three formats, so that this also works on raw text alone.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use zhnorm_doc::{Inline, LinkKind, RawReference, Reference, plain_text};

use crate::date::{DateOutcome, normalize_date};
use crate::wikitext::clean_value;

static MARKDOWN_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^\s()<>]+(?:\([^\s()]*\)[^\s()<>]*)*)>?(?:\s+"[^"]*")?\s*\)"#).unwrap()
});
static WIKITEXT_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[((?:https?:|ftp:)?//[^\s\]]+)(?:\s+([^\]]*))?\]").unwrap());
// Markdown's backslash escapes of ASCII punctuation (`Lazy\\<T\\>`, `\\[1\\]`).
static MARKDOWN_ESCAPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\\([!-/:-@\[-`{-~])").unwrap());
static AUTOLINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<((?:https?|ftp)://[^>\s]+)>").unwrap());
static BARE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:https?|ftp)://[^\s<>\[\]{}|）」』]+[^\s<>\[\]{}|）」』.,;:!?。，、]").unwrap()
});
static DATE_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}-\d{1,2}-\d{1,2}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}|\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}").unwrap()
});

/// A link found in a reference: its URL, its text (none for a bare URL) and the text around it.
struct FoundLink {
    url: String,
    title: Option<String>,
    rest: String,
}

/// Fills `record` from a reference that has no citation template; false when it has no link
/// (the caller then treats it as plain text).
pub(crate) fn from_link(raw: &RawReference, record: &mut Reference) -> bool {
    let Some(found) = link_in_inlines(&raw.inlines).or_else(|| link_in_text(&raw.raw)) else {
        return false;
    };
    // A title hard-wrapped in the source (`…join the Customs\n    Union`) may have been joined
    // without its space; the source's own line break says where the space was.
    let from_text = link_in_text(&raw.raw).filter(|t| t.url == found.url);
    let title = match (found.title, from_text.and_then(|t| t.title)) {
        (Some(read), Some(source)) if without_spaces(&read) == without_spaces(&source) => {
            Some(source)
        }
        (read, _) => read,
    };
    record.kind = "webpage".to_owned();
    record.url = Some(found.url);
    record.title = title;
    trailing_text(&found.rest, record);
    true
}

/// Fills `record` from a reference that is text only: the text is its title, or its note when
/// it is an explanatory note (a reference in a group).
pub(crate) fn from_plain_text(raw: &RawReference, record: &mut Reference) {
    let text = visible_text(raw);
    record.kind = "document".to_owned();
    if text.is_empty() {
        return;
    }
    if record.custom.group.is_some() {
        record.note = Some(text);
    } else {
        record.title = Some(text);
    }
}

/// The visible text of a reference: the reader's inlines, or the raw text without markup.
pub(crate) fn visible_text(raw: &RawReference) -> String {
    let from_inlines = plain_text(&raw.inlines);
    let text = if from_inlines.trim().is_empty() {
        clean_value(&raw.raw)
    } else {
        from_inlines
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn link_in_inlines(inlines: &[Inline]) -> Option<FoundLink> {
    let mut before = Vec::new();
    for (i, inline) in inlines.iter().enumerate() {
        match inline {
            Inline::Link {
                kind: LinkKind::External,
                target,
                inlines: label,
            } => {
                let title = plain_text(label)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let title = unquoted(&title);
                let title = (!title.is_empty() && title != *target).then_some(title);
                let mut rest = plain_text(&before);
                rest.push(' ');
                rest.push_str(&plain_text(&inlines[i + 1..]));
                return Some(FoundLink {
                    url: target.clone(),
                    title,
                    rest,
                });
            }
            Inline::Strong { inlines: children }
            | Inline::Emphasis { inlines: children }
            | Inline::Superscript { inlines: children }
            | Inline::Subscript { inlines: children } => {
                if let Some(mut found) = link_in_inlines(children) {
                    found.rest = format!("{} {}", plain_text(&before), found.rest);
                    return Some(found);
                }
            }
            _ => {}
        }
        before.push(inline.clone());
    }
    None
}

fn link_in_text(raw: &str) -> Option<FoundLink> {
    /// Where a link was found, its URL and text, and whether it is wikitext (whose text may
    /// hold wiki markup) or Markdown (whose text may hold backslash escapes).
    type Candidate = (Range<usize>, String, Option<String>, bool);
    let mut candidates: Vec<Candidate> = Vec::new();
    let group = |c: &regex::Captures<'_>, i: usize| c.get(i).map(|m| m.as_str().to_owned());
    for (regex, url_group, title_group, wikitext) in [
        (&*MARKDOWN_LINK, 2, Some(1), false),
        (&*WIKITEXT_LINK, 1, Some(2), true),
        (&*AUTOLINK, 1, None, false),
    ] {
        if let Some(c) = regex.captures(raw) {
            if let (Some(whole), Some(url)) = (c.get(0), group(&c, url_group)) {
                let title = title_group.and_then(|i| group(&c, i));
                candidates.push((whole.range(), url, title, wikitext));
            }
        }
    }
    if let Some(m) = BARE_URL.find(raw) {
        candidates.push((m.range(), m.as_str().to_owned(), None, false));
    }
    // The earliest match wins; at the same start, the first shape listed (a bare URL also
    // matches inside the bracketed shapes, but starts later).
    let (range, url, title, wikitext) = candidates
        .into_iter()
        .min_by_key(|(range, ..)| range.start)?;
    let title = title
        .map(|t| {
            let text = if wikitext {
                clean_value(&t)
            } else {
                MARKDOWN_ESCAPE.replace_all(&t, "$1").into_owned()
            };
            unquoted(join_wrapped(&text).trim())
        })
        .filter(|t| !t.is_empty() && *t != url);
    let rest = clean_value(&format!("{} {}", &raw[..range.start], &raw[range.end..]));
    Some(FoundLink { url, title, rest })
}

/// What follows a link (`. 新华网. 2025年7月1日`): its first date is the issue date, and the
/// whole text is kept as the record's note.
fn trailing_text(rest: &str, record: &mut Reference) {
    let rest = rest
        .trim()
        .trim_matches(|c: char| c.is_whitespace() || ".,;:，。；：-–—".contains(c))
        .to_owned();
    if rest.is_empty() {
        return;
    }
    if let Some(date) = DATE_IN_TEXT.find(&rest) {
        if matches!(normalize_date(date.as_str()), DateOutcome::Iso(_)) {
            record.issued = Some(date.as_str().to_owned());
        }
    }
    record.note = Some(rest.replace(" ,", ",").replace(" ，", "，"));
}

/// A link text wholly in quotation marks (`"Collapse of the State Vector"`) without them.
fn unquoted(title: &str) -> String {
    for (open, close) in [('"', '"'), ('“', '”'), ('「', '」')] {
        if let Some(inner) = title.strip_prefix(open).and_then(|t| t.strip_suffix(close)) {
            if !inner.contains([open, close]) {
                return inner.trim().to_owned();
            }
        }
    }
    title.to_owned()
}

fn without_spaces(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Joins hard-wrapped lines: nothing between two CJK characters (Chinese has no spaces), one
/// space otherwise.
fn join_wrapped(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut out = String::new();
    for line in lines {
        let cjk = |c: Option<char>| c.is_some_and(|c| c > '\u{2E80}');
        let between_cjk = cjk(out.chars().last()) && cjk(line.chars().next());
        if !out.is_empty() && !between_cjk {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}
