//! Raw HTML tables as pandoc-like exporters write them (`<table><tr><td><p>…</p></td>…`).
//!
//! pulldown-cmark hands HTML blocks over as raw text, and only this one fixed, machine-written
//! shape of table needs reading, so a tag tokenizer (a regex) is enough here; a full HTML parser
//! would bring a large dependency for no gain. Cell spans (`colspan`, `rowspan`) are not kept:
//! the model has no field for them.

use std::sync::LazyLock;

use regex::Regex;
use zhnorm_doc::{Block, Inline, LinkKind, TableCell, TableRow};

static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?s)<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|[^<]+|<"#,
    )
    .expect("valid regex")
});
static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("valid regex")
});

/// A link found in a cell, as the caller will classify it (wiki or external).
pub(crate) type LinkClassifier<'a> = &'a dyn Fn(&str, &str) -> (LinkKind, String);

/// Reads the first `<table>` of `html` into a table block. Text of cells goes through `text`
/// (entity decoding is done here).
pub(crate) fn read_table(html: &str, classify: LinkClassifier<'_>) -> Block {
    let mut caption: Vec<Inline> = Vec::new();
    let mut rows: Vec<TableRow> = Vec::new();
    // Where text goes: 0 nowhere, 1 caption, 2 current cell.
    let mut target = 0u8;
    // Open inline containers inside a cell or caption: (kind, href, children).
    let mut stack: Vec<(String, String, Vec<Inline>)> = Vec::new();
    let mut current: Vec<Inline> = Vec::new();
    let mut header = false;
    // Inline tags opened past the depth limit: their content stays in the enclosing element,
    // and as many closing tags are skipped.
    let mut skipped = 0usize;
    for m in TOKEN.captures_iter(html) {
        let whole = m.get(0).map_or("", |g| g.as_str());
        let Some(name) = m.get(2) else {
            if target != 0 && !whole.starts_with("<!--") {
                let text = decode_entities(whole);
                push_text(&mut stack, &mut current, &text.replace('\n', " "));
            }
            continue;
        };
        let closing = m.get(1).is_some_and(|g| !g.as_str().is_empty());
        let attrs = m.get(3).map_or("", |g| g.as_str());
        match (name.as_str().to_ascii_lowercase().as_str(), closing) {
            ("caption", false) => {
                target = 1;
                current.clear();
            }
            ("caption", true) => {
                close_all(&mut stack, &mut current);
                skipped = 0;
                caption = std::mem::take(&mut current);
                target = 0;
            }
            ("tr", false) => rows.push(TableRow { cells: Vec::new() }),
            ("td" | "th", false) => {
                header = name.as_str().eq_ignore_ascii_case("th");
                target = 2;
                current.clear();
            }
            ("td" | "th", true) => {
                close_all(&mut stack, &mut current);
                skipped = 0;
                if rows.is_empty() {
                    rows.push(TableRow { cells: Vec::new() });
                }
                if let Some(row) = rows.last_mut() {
                    row.cells.push(TableCell {
                        header,
                        inlines: std::mem::take(&mut current),
                    });
                }
                target = 0;
            }
            ("br", _) if target != 0 => push_inline(&mut stack, &mut current, Inline::LineBreak),
            ("p", true) if target != 0 => push_text(&mut stack, &mut current, "\n"),
            ("a" | "strong" | "b" | "em" | "i" | "sup" | "sub", false)
                if target != 0 && stack.len() >= super::reader::MAX_INLINE_DEPTH =>
            {
                skipped += 1;
            }
            ("a" | "strong" | "b" | "em" | "i" | "sup" | "sub", true) if skipped > 0 => {
                skipped -= 1;
            }
            (tag @ ("a" | "strong" | "b" | "em" | "i" | "sup" | "sub"), false) if target != 0 => {
                let href = ATTRIBUTE
                    .captures_iter(attrs)
                    .find(|a| &a[1] == "href")
                    .and_then(|a| a.get(2).or(a.get(3)))
                    .map(|g| decode_entities(g.as_str()))
                    .unwrap_or_default();
                let title = ATTRIBUTE
                    .captures_iter(attrs)
                    .find(|a| &a[1] == "title")
                    .and_then(|a| a.get(2).or(a.get(3)))
                    .map(|g| g.as_str().to_owned())
                    .unwrap_or_default();
                let key = if tag == "a" {
                    format!("a\u{0}{title}")
                } else {
                    tag.to_owned()
                };
                stack.push((key, href, Vec::new()));
            }
            ("a" | "strong" | "b" | "em" | "i" | "sup" | "sub", true) if target != 0 => {
                close_one(&mut stack, &mut current, classify);
            }
            _ => {}
        }
    }
    for row in &mut rows {
        for cell in &mut row.cells {
            tidy(&mut cell.inlines);
        }
    }
    tidy(&mut caption);
    rows.retain(|row| !row.cells.is_empty());
    Block::Table { caption, rows }
}

/// Paragraph ends inside cells become line breaks between paragraphs, nothing at the edges.
fn tidy(list: &mut Vec<Inline>) {
    let mut out = Vec::new();
    for inline in list.drain(..) {
        match inline {
            Inline::Text { text } if text.contains('\n') => {
                let parts: Vec<&str> = text.split('\n').collect();
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push(Inline::LineBreak);
                    }
                    if !part.is_empty() {
                        out.push(Inline::text(*part));
                    }
                }
            }
            other => out.push(other),
        }
    }
    // Collapse runs of breaks and drop them at the edges; white space after a break is the
    // HTML source's line end.
    let mut collapsed: Vec<Inline> = Vec::new();
    for mut inline in out {
        if let (Some(Inline::LineBreak), Inline::Text { text }) = (collapsed.last(), &mut inline) {
            *text = text.trim_start().to_owned();
        }
        if inline == Inline::LineBreak
            && (collapsed.is_empty() || collapsed.last() == Some(&Inline::LineBreak))
        {
            continue;
        }
        collapsed.push(inline);
    }
    while collapsed.last() == Some(&Inline::LineBreak) {
        collapsed.pop();
    }
    super::repair::merge_texts(&mut collapsed);
    super::repair::trim_edges(&mut collapsed);
    *list = collapsed;
}

fn push_text(stack: &mut [(String, String, Vec<Inline>)], current: &mut Vec<Inline>, text: &str) {
    push_inline(stack, current, Inline::text(text));
}

fn push_inline(
    stack: &mut [(String, String, Vec<Inline>)],
    current: &mut Vec<Inline>,
    inline: Inline,
) {
    match stack.last_mut() {
        Some((_, _, children)) => children.push(inline),
        None => current.push(inline),
    }
}

fn close_one(
    stack: &mut Vec<(String, String, Vec<Inline>)>,
    current: &mut Vec<Inline>,
    classify: LinkClassifier<'_>,
) {
    let Some((key, href, mut children)) = stack.pop() else {
        return;
    };
    super::repair::merge_texts(&mut children);
    let inline = match key.as_str() {
        "strong" | "b" => Inline::Strong { inlines: children },
        "em" | "i" => Inline::Emphasis { inlines: children },
        "sup" => Inline::Superscript { inlines: children },
        "sub" => Inline::Subscript { inlines: children },
        _ => {
            let title = key.split('\u{0}').nth(1).unwrap_or_default();
            let (kind, target) = classify(&href, title);
            Inline::Link {
                kind,
                target,
                inlines: children,
            }
        }
    };
    push_inline(stack, current, inline);
}

fn close_all(stack: &mut Vec<(String, String, Vec<Inline>)>, current: &mut Vec<Inline>) {
    // Unclosed inline tags inside a cell: keep their children as plain content.
    while let Some((_, _, children)) = stack.pop() {
        for child in children {
            push_inline(stack, current, child);
        }
    }
}

/// Decodes the character references an exporter writes.
pub(crate) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" | "#39" => Some('\''),
            "nbsp" => Some(' '),
            _ if name.starts_with("#x") || name.starts_with("#X") => {
                u32::from_str_radix(&name[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cells_links_and_caption() {
        let html = "<table>\n<caption>版本[1]</caption>\n<tr><th><p>版本</p></th>\n<td><p><a href=\"https://zh.wikipedia.org/wiki/CLR\"\ntitle=\"wikilink\">公共&amp;</a></p></td></tr>\n</table>";
        let classify = |href: &str, title: &str| {
            assert_eq!(title, "wikilink");
            (
                LinkKind::Wiki,
                href.rsplit('/').next().unwrap_or_default().to_owned(),
            )
        };
        let Block::Table { caption, rows } = read_table(html, &classify) else {
            panic!("not a table");
        };
        assert_eq!(caption, vec![Inline::text("版本[1]")]);
        assert_eq!(rows.len(), 1);
        assert!(rows[0].cells[0].header);
        assert_eq!(
            rows[0].cells[1].inlines,
            vec![Inline::Link {
                kind: LinkKind::Wiki,
                target: "CLR".into(),
                inlines: vec![Inline::text("公共&")]
            }]
        );
    }
}
