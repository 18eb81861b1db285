//! The Markdown view of a document, for people.
//!
//! The layout is fixed so that zhnorm's own reader can read it back (format `canonical`):
//! a front-matter block (`id`, `title`, `lang`, `source`, `format`, `categories`), the title as
//! `# …`, blocks in CommonMark, wiki links as `[text](<https://zh.wikipedia.org/wiki/Target>)`,
//! citations as footnote references `[^r1]`, and the reference list as footnote definitions.
//! Bold and italic text whose edges CommonMark would not read as emphasis (punctuation next to
//! CJK text) is written as `<strong>`/`<em>`; unresolved conversion markup is written as
//! `-{…}-`, as in the source.

use std::fmt::Write;

use crate::{Block, Document, Inline, LinkKind, Reference};

/// The URL prefix of wiki links in the Markdown view.
pub const WIKI_URL_PREFIX: &str = "https://zh.wikipedia.org/wiki/";

/// Renders `doc` as Markdown, ending in a newline.
pub fn to_markdown(doc: &Document) -> String {
    let mut out = String::new();
    // The front matter and the heading hold one line each.
    let title = doc.title.replace(['\n', '\r'], " ");
    out.push_str("---\n");
    let _ = writeln!(out, "id: {}", doc.id);
    let _ = writeln!(out, "title: {title}");
    let _ = writeln!(out, "lang: {}", doc.lang);
    let _ = writeln!(out, "source: {}", doc.source.path);
    let _ = writeln!(out, "format: {}", doc.source.format);
    if !doc.categories.is_empty() {
        let _ = writeln!(out, "categories: {}", doc.categories.join(" | "));
    }
    out.push_str("---\n\n");
    let _ = writeln!(out, "# {}\n", escape(&title));
    write_blocks(&doc.blocks, "", &mut out);
    if !doc.references.is_empty() {
        out.push_str("## 参考资料\n\n");
        for reference in &doc.references {
            let _ = writeln!(out, "[^{}]: {}", reference.id, reference_line(reference));
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// One line for a reference: its title linked to its URL, then container, date and the raw text
/// when nothing structured is known.
fn reference_line(r: &Reference) -> String {
    let mut parts = Vec::new();
    match (&r.title, &r.url) {
        // URLs encoded as in links (`%` as `%25`): the reader decodes what the view encodes.
        (Some(title), Some(url)) => {
            parts.push(format!("[{}](<{}>)", escape(title), encode_url(url)));
        }
        (Some(title), None) => parts.push(escape(title)),
        (None, Some(url)) => parts.push(format!("<{}>", encode_url(url))),
        (None, None) => {}
    }
    for value in [&r.container_title, &r.publisher, &r.issued]
        .into_iter()
        .flatten()
    {
        parts.push(escape(value));
    }
    if let Some(archive) = &r.custom.archive_url {
        parts.push(format!("[存档](<{}>)", encode_url(archive)));
    }
    let line = if parts.is_empty() {
        escape(r.custom.raw.trim())
    } else {
        parts.join(". ")
    };
    // One line: a footnote definition's next lines would read back as other blocks.
    line.replace('\n', " ")
}

fn write_blocks(blocks: &[Block], indent: &str, out: &mut String) {
    let mut previous_list = false;
    for block in blocks {
        let mut written = String::new();
        write_block(block, indent, &mut written);
        // A block that shows nothing (a list of empty items) is not written: its lines would
        // not read back.
        if written.trim().is_empty() {
            continue;
        }
        let list = matches!(block, Block::List { .. });
        if list && previous_list {
            // Two lists in a row would read as one.
            let _ = writeln!(out, "{indent}<!-- end list -->\n");
        }
        previous_list = list;
        out.push_str(&written);
        out.push('\n');
    }
}

fn write_block(block: &Block, indent: &str, out: &mut String) {
    match block {
        Block::Heading { level, inlines } => {
            let _ = writeln!(
                out,
                "{indent}{} {}",
                "#".repeat(usize::from(*level)),
                inline_text(inlines)
            );
        }
        Block::Paragraph { inlines } => write_paragraph(inlines, indent, out),
        Block::List { ordered, items } => {
            let mut n = 0;
            for item in items {
                let marker = if *ordered {
                    format!("{}.", n + 1)
                } else {
                    "-".to_owned()
                };
                let inner = format!("{indent}{}", " ".repeat(marker.len() + 1));
                let mut body = String::new();
                if !item.term.is_empty() {
                    // As the paragraph of strong text it reads back as (`<strong>` where
                    // `**` would not read as emphasis).
                    let strong = Inline::Strong {
                        inlines: item.term.clone(),
                    };
                    write_paragraph(std::slice::from_ref(&strong), &inner, &mut body);
                    body.push('\n');
                }
                write_blocks(&item.blocks, &inner, &mut body);
                // An item that shows nothing: a `- ` line does not read back as one.
                if body.trim().is_empty() {
                    continue;
                }
                n += 1;
                let body = body.trim_start();
                let _ = writeln!(out, "{indent}{marker} {}", body.trim_end());
            }
        }
        Block::Table { caption, rows } => {
            if !caption.is_empty() {
                // Written as the paragraph it reads back as: the view has no table captions.
                write_paragraph(caption, indent, out);
                out.push('\n');
            }
            let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
            for (n, row) in rows.iter().enumerate() {
                let mut line = String::from("|");
                for cell in 0..width {
                    let text = row
                        .cells
                        .get(cell)
                        .map(|c| inline_text(&c.inlines))
                        .unwrap_or_default();
                    let _ = write!(line, " {} |", text.replace('\n', "<br>"));
                }
                let _ = writeln!(out, "{indent}{line}");
                if n == 0 {
                    let _ = writeln!(out, "{indent}|{}", " --- |".repeat(width));
                }
            }
        }
        Block::Figure {
            target, caption, ..
        } => {
            // Citations after the image: pulldown-cmark reads no footnote reference inside
            // an image's description, and the reader takes them back into the caption.
            let (cites, shown): (Vec<Inline>, Vec<Inline>) = caption
                .iter()
                .cloned()
                .partition(|i| matches!(i, Inline::Cite { .. }));
            let _ = writeln!(
                out,
                "{indent}![{}](<{WIKI_URL_PREFIX}File:{}>){}",
                inline_text(&shown).replace('\n', "<br>"),
                target,
                inline_text(&cites)
            );
        }
        Block::Code { language, text } => {
            let _ = writeln!(out, "{indent}```{}", language.as_deref().unwrap_or(""));
            for line in text.lines() {
                let _ = writeln!(out, "{indent}{line}");
            }
            let _ = writeln!(out, "{indent}```");
        }
        Block::Math { tex } => {
            let _ = writeln!(out, "{indent}$$\n{indent}{}\n{indent}$$", tex.trim());
        }
        Block::Quote { blocks } => {
            let mut body = String::new();
            write_blocks(blocks, "", &mut body);
            for line in body.trim_end().lines() {
                let _ = writeln!(out, "{indent}> {line}");
            }
        }
        Block::Rule => {
            let _ = writeln!(out, "{indent}---");
        }
    }
}

/// A paragraph: its lines joined by hard breaks (`\` at the end of a line).
fn write_paragraph(inlines: &[Inline], indent: &str, out: &mut String) {
    let text = inline_text(inlines);
    // White space at either end of a line does not read back (Markdown strips it, and two
    // trailing spaces would make a line break).
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| escape_line_start(line.trim()))
        .collect();
    let _ = writeln!(out, "{indent}{}", lines.join(&format!("\\\n{indent}")));
}

fn inline_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for (i, inline) in inlines.iter().enumerate() {
        match inline {
            Inline::Text { text } => {
                // `[^r1](…)` would read back as a link, losing the citation.
                if i > 0 && matches!(inlines[i - 1], Inline::Cite { .. }) && text.starts_with('(') {
                    out.push('\\');
                }
                let escaped = escape(text);
                // `!` before a link would make it an image.
                match escaped.strip_suffix('!') {
                    Some(head) if matches!(inlines.get(i + 1), Some(Inline::Link { .. })) => {
                        out.push_str(head);
                        out.push_str("\\!");
                    }
                    _ => out.push_str(&escaped),
                }
            }
            Inline::Link {
                kind,
                target,
                inlines,
            } => {
                let url = match kind {
                    LinkKind::Wiki => format!("{WIKI_URL_PREFIX}{target}"),
                    LinkKind::External => target.clone(),
                };
                let _ = write!(out, "[{}](<{}>)", inline_text(inlines), encode_url(&url));
            }
            Inline::Cite { reference } => {
                let _ = write!(out, "[^{reference}]");
                // `[^r1][链接](…)` reads back as text and a link (pulldown-cmark takes the
                // brackets for a reference link); an empty comment keeps them apart.
                if matches!(inlines.get(i + 1), Some(Inline::Link { .. })) {
                    out.push_str("<!-- -->");
                }
            }
            // Right after another `*` run, `**` would join it (`*a***b**`).
            Inline::Strong { inlines } if emphasis_safe(inlines) && !out.ends_with('*') => {
                let _ = write!(out, "**{}**", inline_text(inlines));
            }
            Inline::Strong { inlines } => {
                let _ = write!(out, "<strong>{}</strong>", inline_text(inlines));
            }
            Inline::Emphasis { inlines } if emphasis_safe(inlines) && !out.ends_with('*') => {
                let _ = write!(out, "*{}*", inline_text(inlines));
            }
            Inline::Emphasis { inlines } => {
                let _ = write!(out, "<em>{}</em>", inline_text(inlines));
            }
            Inline::Superscript { inlines } => {
                let _ = write!(out, "<sup>{}</sup>", inline_text(inlines));
            }
            Inline::Subscript { inlines } => {
                let _ = write!(out, "<sub>{}</sub>", inline_text(inlines));
            }
            Inline::Code { text } => {
                let _ = write!(out, "`{text}`");
            }
            Inline::Math { tex } => {
                let _ = write!(out, "${tex}$");
            }
            Inline::LineBreak => out.push('\n'),
            Inline::Conversion { rule } => {
                // Only unresolved documents (before the script stage) still hold conversion
                // markup; it is written as in the source so that the view reads back.
                out.push_str(&rule.to_markup());
            }
        }
    }
    out
}

/// True when `**…**` around these inlines reads back as emphasis: CommonMark's flanking rules
/// fail when the content starts or ends with punctuation next to CJK text, and runs of `*` from
/// nested emphasis (`*a**b***`) pair up differently when read back.
fn emphasis_safe(inlines: &[Inline]) -> bool {
    let edges_ok = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    matches!(inlines.first(), Some(Inline::Text { text }) if edges_ok(text.chars().next()))
        && matches!(inlines.last(), Some(Inline::Text { text }) if edges_ok(text.chars().next_back()))
        && !inlines
            .iter()
            .any(|i| matches!(i, Inline::Strong { .. } | Inline::Emphasis { .. }))
}

/// A URL inside `<…>`: the characters that would end it or be read as escapes, encoded.
fn encode_url(url: &str) -> String {
    url.replace('%', "%25")
        .replace('\\', "%5C")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

/// A URL as the view writes it (`encode_url`), decoded: for a reader that takes its text as
/// written (an autolink's text is the encoded URL).
pub fn decode_url(url: &str) -> String {
    url.replace("%3E", ">")
        .replace("%3C", "<")
        .replace("%5C", "\\")
        .replace("%25", "%")
}

/// Escapes what would open a block at the start of a line: `1.` (a list), `#`, `-`, `+`, `=`.
fn escape_line_start(line: &str) -> String {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    if line.starts_with(['#', '-', '+', '=']) {
        return format!("\\{line}");
    }
    line.to_owned()
}

/// Escapes what CommonMark would read as markup. CJK text rarely needs any of it.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        let at_start = i == 0;
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '$' | '&' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '+' | '-' | '=' if at_start => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Format, ListItem, Source};

    #[test]
    fn writes_the_fixed_layout() {
        let mut doc = Document::new(Source::given("a.txt", Format::Wikitext));
        doc.id = "甲".into();
        doc.title = "甲".into();
        doc.lang = "zh-Hans".into();
        doc.categories = vec!["乙".into()];
        doc.blocks = vec![
            Block::Heading {
                level: 2,
                inlines: vec![Inline::text("概况")],
            },
            Block::Paragraph {
                inlines: vec![
                    Inline::Link {
                        kind: LinkKind::Wiki,
                        target: "巴库".into(),
                        inlines: vec![Inline::text("巴库")],
                    },
                    Inline::text("是*首都*。"),
                    Inline::Cite {
                        reference: "r1".into(),
                    },
                ],
            },
            Block::List {
                ordered: false,
                items: vec![ListItem {
                    term: vec![],
                    blocks: vec![Block::Paragraph {
                        inlines: vec![Inline::text("一")],
                    }],
                }],
            },
        ];
        doc.references = vec![Reference {
            id: "r1".into(),
            kind: "webpage".into(),
            title: Some("标题".into()),
            url: Some("https://example.org/a".into()),
            ..Reference::default()
        }];
        let expected = "---\nid: 甲\ntitle: 甲\nlang: zh-Hans\nsource: a.txt\nformat: wikitext\ncategories: 乙\n---\n\n\
            # 甲\n\n## 概况\n\n[巴库](<https://zh.wikipedia.org/wiki/巴库>)是\\*首都\\*。[^r1]\n\n- 一\n\n\
            ## 参考资料\n\n[^r1]: [标题](<https://example.org/a>)\n";
        assert_eq!(to_markdown(&doc), expected);
    }
}
