//! Writes a document the way pandoc-like Markdown exports of zh.wikipedia look: wiki links as
//! `[text](https://zh.wikipedia.org/wiki/Target "wikilink")`, citations as `\[n\]`, categories
//! as links, the references as a numbered list at the end, tables as raw HTML. Used to make
//! test inputs; it writes none of the damage (swallowed link texts, empty brackets) that real
//! exports carry.

use std::fmt::Write;

use zhnorm_doc::{Block, Document, Inline, LinkKind, Reference};

const WIKI_URL: &str = "https://zh.wikipedia.org/wiki/";

/// Renders `doc` as a Markdown export. Citations are numbered by the position of their
/// reference in `doc.references`.
pub fn write_export(doc: &Document) -> String {
    let mut out = String::new();
    let writer = ExportWriter {
        references: &doc.references,
    };
    if let Some(origin) = &doc.source.origin {
        let _ = writeln!(
            out,
            "> 本文内容由[{}]({})转换而来。\n\n",
            escape(&doc.title, false),
            origin
        );
    }
    writer.blocks(&doc.blocks, "", &mut out);
    if !doc.categories.is_empty() {
        let links: Vec<String> = doc
            .categories
            .iter()
            .map(|c| {
                format!(
                    "[Category:{}]({WIKI_URL}Category:{} \"wikilink\")",
                    escape(c, false),
                    url_path(c)
                )
            })
            .collect();
        let _ = writeln!(out, "{}\n", links.join(" "));
    }
    for (n, reference) in doc.references.iter().enumerate() {
        let line = reference_line(reference);
        if line.is_empty() {
            let _ = writeln!(out, "{}.", n + 1);
        } else {
            let marker = format!("{}.", n + 1);
            let _ = writeln!(out, "{marker:<4}{line}\n");
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The reference as the export lists it: its raw text when known, else a link to its title.
fn reference_line(reference: &Reference) -> String {
    if !reference.custom.raw.trim().is_empty() {
        return reference.custom.raw.trim().to_owned();
    }
    match (&reference.title, &reference.url) {
        (Some(title), Some(url)) => format!("[{}]({url})", escape(title, false)),
        (Some(title), None) => escape(title, false),
        (None, Some(url)) => format!("<{url}>"),
        (None, None) => String::new(),
    }
}

/// A page title as the path of its URL: `_` for spaces, brackets escaped.
fn url_path(title: &str) -> String {
    title
        .replace(' ', "_")
        .replace('(', "\\(")
        .replace(')', "\\)")
}

struct ExportWriter<'a> {
    references: &'a [Reference],
}

impl ExportWriter<'_> {
    fn blocks(&self, blocks: &[Block], indent: &str, out: &mut String) {
        for (n, block) in blocks.iter().enumerate() {
            if n > 0
                && matches!(block, Block::List { .. })
                && matches!(blocks[n - 1], Block::List { .. })
            {
                // As pandoc does, so that two lists do not read as one.
                let _ = writeln!(out, "{indent}<!-- end list -->\n");
            }
            match block {
                Block::Heading { level, inlines } => {
                    let _ = writeln!(
                        out,
                        "{indent}{} {}",
                        "#".repeat(usize::from(*level)),
                        self.inlines(inlines)
                    );
                }
                Block::Paragraph { inlines } => {
                    let text = self.inlines(inlines);
                    let _ = writeln!(
                        out,
                        "{indent}{}",
                        text.replace('\n', &format!("\n{indent}"))
                    );
                }
                Block::List { ordered, items } => {
                    for (n, item) in items.iter().enumerate() {
                        let marker = if *ordered {
                            format!("{:<4}", format!("{}.", n + 1))
                        } else {
                            "  - ".to_owned()
                        };
                        let inner = format!("{indent}{}", " ".repeat(marker.len()));
                        let mut body = String::new();
                        self.blocks(&item.blocks, &inner, &mut body);
                        let _ = writeln!(out, "{indent}{marker}{}", body.trim());
                    }
                }
                Block::Table { caption, rows } => self.table(caption, rows, indent, out),
                Block::Figure {
                    target, caption, ..
                } => {
                    let text = zhnorm_doc::plain_text(caption);
                    let label = if text.is_empty() {
                        target.clone()
                    } else {
                        text
                    };
                    let _ = writeln!(
                        out,
                        "{indent}[{}]({WIKI_URL}File:{} \"fig:{}\")",
                        escape(&label, false),
                        url_path(target),
                        label.replace('"', "\\\"")
                    );
                }
                Block::Code { language, text } => {
                    let _ = writeln!(out, "{indent}``` {}", language.as_deref().unwrap_or(""));
                    for line in text.lines() {
                        let _ = writeln!(out, "{indent}{line}");
                    }
                    let _ = writeln!(out, "{indent}```");
                }
                Block::Math { tex } => {
                    let _ = writeln!(out, "{indent}$$ {tex} $$");
                }
                Block::Quote { blocks } => {
                    let mut body = String::new();
                    self.blocks(blocks, "", &mut body);
                    for line in body.trim_end().lines() {
                        let _ = writeln!(out, "{indent}> {line}");
                    }
                }
                Block::Rule => {
                    let _ = writeln!(out, "{indent}-----");
                }
            }
            out.push('\n');
        }
    }

    fn table(
        &self,
        caption: &[Inline],
        rows: &[zhnorm_doc::TableRow],
        indent: &str,
        out: &mut String,
    ) {
        let _ = writeln!(out, "{indent}<table>");
        if !caption.is_empty() {
            let _ = writeln!(out, "{indent}<caption>{}</caption>", self.html(caption));
        }
        let _ = writeln!(out, "{indent}<tbody>");
        for (n, row) in rows.iter().enumerate() {
            let class = if n % 2 == 0 { "odd" } else { "even" };
            let _ = writeln!(out, "{indent}<tr class=\"{class}\">");
            for cell in &row.cells {
                let tag = if cell.header { "th" } else { "td" };
                let _ = writeln!(
                    out,
                    "{indent}<{tag}><p>{}</p></{tag}>",
                    self.html(&cell.inlines)
                );
            }
            let _ = writeln!(out, "{indent}</tr>");
        }
        let _ = writeln!(out, "{indent}</tbody>\n{indent}</table>");
    }

    fn citation_number(&self, id: &str) -> String {
        self.references
            .iter()
            .position(|r| r.id == id)
            .map_or_else(|| id.to_owned(), |n| (n + 1).to_string())
    }

    fn inlines(&self, inlines: &[Inline]) -> String {
        let mut out = String::new();
        for (i, inline) in inlines.iter().enumerate() {
            match inline {
                Inline::Text { text } => out.push_str(&escape(text, i == 0)),
                Inline::Link {
                    kind,
                    target,
                    inlines,
                } => match kind {
                    LinkKind::Wiki => {
                        let _ = write!(
                            out,
                            "[{}]({WIKI_URL}{} \"wikilink\")",
                            self.inlines(inlines),
                            url_path(target)
                        );
                    }
                    LinkKind::External => {
                        let _ = write!(out, "[{}]({target})", self.inlines(inlines));
                    }
                },
                Inline::Cite { reference } => {
                    let _ = write!(out, "\\[{}\\]", self.citation_number(reference));
                }
                Inline::Strong { inlines } => {
                    let _ = write!(out, "**{}**", self.inlines(inlines));
                }
                Inline::Emphasis { inlines } => {
                    let _ = write!(out, "*{}*", self.inlines(inlines));
                }
                Inline::Superscript { inlines } => {
                    let _ = write!(out, "<sup>{}</sup>", self.inlines(inlines));
                }
                Inline::Subscript { inlines } => {
                    let _ = write!(out, "<sub>{}</sub>", self.inlines(inlines));
                }
                Inline::Code { text } => {
                    let _ = write!(out, "`{text}`");
                }
                Inline::Math { tex } => {
                    let _ = write!(out, "`{tex}`");
                }
                Inline::LineBreak => out.push_str("\\\n"),
                Inline::Conversion { rule } => out.push_str(&rule.to_markup()),
            }
        }
        out
    }

    /// Inline content of a table cell, as the exporters' raw HTML.
    fn html(&self, inlines: &[Inline]) -> String {
        let mut out = String::new();
        for inline in inlines {
            match inline {
                Inline::Text { text } => out.push_str(&html_escape(text)),
                Inline::Link {
                    kind,
                    target,
                    inlines,
                } => {
                    let (href, title) = match kind {
                        LinkKind::Wiki => (
                            format!("{WIKI_URL}{}", target.replace(' ', "_")),
                            " title=\"wikilink\"",
                        ),
                        LinkKind::External => (target.clone(), ""),
                    };
                    let _ = write!(
                        out,
                        "<a href=\"{}\"{title}>{}</a>",
                        html_escape(&href),
                        self.html(inlines)
                    );
                }
                Inline::Cite { reference } => {
                    let _ = write!(out, "[{}]", self.citation_number(reference));
                }
                Inline::Strong { inlines } => {
                    let _ = write!(out, "<strong>{}</strong>", self.html(inlines));
                }
                Inline::Emphasis { inlines } => {
                    let _ = write!(out, "<em>{}</em>", self.html(inlines));
                }
                Inline::Superscript { inlines } => {
                    let _ = write!(out, "<sup>{}</sup>", self.html(inlines));
                }
                Inline::Subscript { inlines } => {
                    let _ = write!(out, "<sub>{}</sub>", self.html(inlines));
                }
                Inline::Code { text } | Inline::Math { tex: text } => {
                    out.push_str(&html_escape(text));
                }
                Inline::LineBreak => out.push_str("<br />"),
                Inline::Conversion { rule } => out.push_str(&html_escape(&rule.to_markup())),
            }
        }
        out
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Escapes what CommonMark would read as markup.
fn escape(text: &str, at_start: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '+' | '-' | '=' if at_start && i == 0 => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}
