//! Finds source markup that reached the output text: `[[`, `]]`, `{{`, `}}`, `'''`, `<ref`,
//! `</ref>`, `<!--`, `-{`, `}-`, `"wikilink"`, escaped `\[` / `\]`, `[编辑]` / `[編輯]`; raw
//! HTML tags (`<div style="…">`, `</span>`: a known HTML or extension tag name after `<` or
//! `</`); `&name;` references that are no HTML5 entity (`&foo;`: a known one, `&amp;`, is text
//! MediaWiki shows after decoding `&amp;amp;`); and leftovers of image links (`File:` or
//! `Image:` and a file name with a media extension or followed by `|`).
//!
//! **Why it matters.** Readers are meant to turn all markup into structure; any that survives is
//! noise in a corpus (search, language models) and a sign that a reader missed a construct. It
//! is an error because no correct document contains it.
//!
//! **Example.** A paragraph reading `攝於蓋達爾·阿利耶夫國際機場]]` in the output: the
//! stray `]]` of an export-broken image caption survived.
//!
//! Only visible text is scanned (title, text nodes, infobox values); code, maths, link targets
//! and references are not.

use zhnorm_doc::{Diagnostic, codes};

use crate::context::Context;
use crate::registry::{Check, Origin, Rule};
use crate::text::excerpt;

pub(crate) static RULE: Rule = Rule {
    code: &codes::MARKUP_RESIDUE,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("markup_residue.rs"),
};

const PATTERNS: &[&str] = &[
    "[[",
    "]]",
    "{{",
    "}}",
    "'''",
    "<ref",
    "</ref>",
    "<!--",
    "-{",
    "}-",
    "\"wikilink\"",
    "\\[",
    "\\]",
    "[编辑]",
    "[編輯]",
];

/// HTML and extension tags MediaWiki accepts in wikitext (a `<` before another word is text).
const TAG_NAMES: &[&str] = &[
    "abbr",
    "b",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "data",
    "dd",
    "del",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "font",
    "gallery",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "includeonly",
    "indicator",
    "ins",
    "kbd",
    "li",
    "mark",
    "math",
    "noinclude",
    "nowiki",
    "ol",
    "onlyinclude",
    "p",
    "poem",
    "pre",
    "q",
    "rb",
    "references",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "td",
    "templatestyles",
    "th",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// `<name…>` and `</name>` of [`TAG_NAMES`], as byte ranges of `text`.
fn find_html_tags(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for at in text.match_indices('<').map(|(at, _)| at) {
        let name_start = at + 1 + usize::from(bytes.get(at + 1) == Some(&b'/'));
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = text[name_start..name_start + name_len].to_ascii_lowercase();
        let follows = bytes.get(name_start + name_len).copied();
        if !TAG_NAMES.contains(&name.as_str())
            || !matches!(follows, Some(b'>' | b' ' | b'/' | b'\n' | b'\t'))
        {
            continue;
        }
        let Some(gt) = text[name_start..].find('>') else {
            continue;
        };
        let end = name_start + gt + 1;
        // A `<` on the way is text before another tag, not this tag's attribute.
        if !text[name_start..end - 1].contains('<') {
            found.push((at, end));
        }
    }
    found
}

/// `&name;` that is no HTML5 named reference, as byte ranges of `text`.
fn find_unknown_entities(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for at in text.match_indices('&').map(|(at, _)| at) {
        let name_len = bytes[at + 1..]
            .iter()
            .take(32)
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let end = at + 1 + name_len + 1;
        if name_len >= 2
            && bytes[at + 1].is_ascii_alphabetic()
            && bytes.get(end - 1) == Some(&b';')
            && !htmlize::ENTITIES.contains_key(&bytes[at..end])
        {
            found.push((at, end));
        }
    }
    found
}

/// Extensions of the files image links name.
const MEDIA_EXTENSIONS: &[&str] = &[
    ".jpg", ".jpeg", ".png", ".gif", ".svg", ".tif", ".tiff", ".webp", ".ogg", ".ogv", ".oga",
    ".webm", ".pdf", ".djvu", ".mp3", ".wav", ".flac", ".mid",
];

/// `File:name.jpg` or `Image:name|…` (also `文件:`, `檔案:`, `图像:`, `圖像:`), as byte ranges.
fn find_file_leftovers(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    // Every prefix ends with an ASCII colon: one byte search spares six for most texts.
    if memchr::memchr(b':', text.as_bytes()).is_none() {
        return found;
    }
    for prefix in ["File:", "Image:", "文件:", "檔案:", "图像:", "圖像:"] {
        for (at, _) in text.match_indices(prefix) {
            let name_start = at + prefix.len();
            let rest = &text[name_start..];
            let name_len = rest.find(['|', ']', '\n']).unwrap_or(rest.len());
            let name = rest[..name_len].trim_end();
            if name.is_empty() || name.starts_with(' ') {
                continue;
            }
            let lower = name.to_ascii_lowercase();
            let piped = rest[name_len..].starts_with('|');
            if piped || MEDIA_EXTENSIONS.iter().any(|e| lower.ends_with(e)) {
                found.push((at, name_start + name.len()));
            }
        }
    }
    found.sort_unstable();
    found
}

/// Every pattern holds one of these bytes: runs without any (most text) are not searched.
fn is_markup_byte(b: u8) -> bool {
    matches!(
        b,
        b'[' | b']' | b'{' | b'}' | b'\'' | b'<' | b'-' | b'"' | b'\\' | b'&' | b':'
    )
}

/// Whether `text` holds a byte of [`is_markup_byte`]. They are all ASCII: eight bytes with no
/// ASCII among them (most of a Chinese text) are passed over at once.
fn may_hold_markup(text: &str) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = text.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let word = <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes);
        if word & HIGH != HIGH && chunk.iter().any(|&b| is_markup_byte(b)) {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| is_markup_byte(b))
}

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let runs: Vec<_> = cx
        .runs
        .iter()
        .filter(|run| may_hold_markup(run.text))
        .collect();
    let mut out = Vec::new();
    for (kind, found) in [
        (
            "HTML tag",
            find_html_tags as fn(&str) -> Vec<(usize, usize)>,
        ),
        ("unknown entity", find_unknown_entities),
        ("image link", find_file_leftovers),
    ] {
        let mut count = 0;
        let mut first = None;
        for run in &runs {
            for (start, end) in found(run.text) {
                count += 1;
                if first.is_none() {
                    let markup = &run.text[start..end];
                    let quote = excerpt(run.text, start, end, 8);
                    first = Some(format!("`{markup}` {}: “{quote}”", run.where_()));
                }
            }
        }
        if let Some(first) = first {
            out.push(Diagnostic::new(
                &codes::MARKUP_RESIDUE,
                format!("{kind} left in the output text ({count}×), first {first}"),
            ));
        }
    }
    // The ASCII bytes each run holds: a pattern is searched only in runs that hold its first
    // byte (most runs hold one or two of them), and then by `memmem`.
    let ascii_bytes: Vec<u128> = runs
        .iter()
        .map(|run| {
            run.text
                .bytes()
                .filter(u8::is_ascii)
                .fold(0u128, |set, b| set | (1 << b))
        })
        .collect();
    for pattern in PATTERNS {
        let mut count = 0;
        let mut first = None;
        let finder = memchr::memmem::Finder::new(pattern);
        let first_byte = 1u128 << pattern.as_bytes()[0];
        for (run, bytes) in runs.iter().zip(&ascii_bytes) {
            if bytes & first_byte == 0 {
                continue;
            }
            for at in finder.find_iter(run.text.as_bytes()) {
                count += 1;
                if first.is_none() {
                    let quote = excerpt(run.text, at, at + pattern.len(), 8);
                    first = Some(format!("{}: “{quote}”", run.where_()));
                }
            }
        }
        if let Some(first) = first {
            out.push(Diagnostic::new(
                &codes::MARKUP_RESIDUE,
                format!("markup `{pattern}` left in the output text ({count}×), first {first}"),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn markup_bytes_are_found_past_chinese_text(
            text in r#"[中文。a \[\]{}'<\-"&:\\]{0,40}"#
        ) {
            proptest::prop_assert_eq!(may_hold_markup(&text), text.bytes().any(is_markup_byte));
        }
    }
}
