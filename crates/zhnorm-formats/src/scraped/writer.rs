//! Writes a document the way text scraped from a rendered zh.wikipedia page looks: the title
//! line, headings followed by `[编辑]` glued to the next line, one line per paragraph,
//! citations as `[n]`, and `- ^ …` reference lines. Links, emphasis and URLs do not survive a
//! scrape, so they are written as their text. Used to make test inputs.

use std::fmt::Write;

use zhnorm_doc::{Block, Document, Inline, Reference, plain_text};

use super::reader::{EDIT_MARKER, REFERENCE_SECTIONS};

/// Renders `doc` as scraped page text. Citations are labelled with their reference's label
/// (`custom.label`), else its position in `doc.references`.
pub fn write(doc: &Document) -> String {
    let writer = ScrapedWriter { doc };
    let mut lines: Vec<String> = vec![doc.title.clone()];
    let mut after_heading = false;
    for block in &doc.blocks {
        writer.block(block, 0, &mut lines, &mut after_heading);
    }
    let ends_with_reference_heading = matches!(
        doc.blocks.last(),
        Some(Block::Heading { inlines, .. }) if REFERENCE_SECTIONS.contains(&plain_text(inlines).as_str())
    );
    if !doc.references.is_empty() && !ends_with_reference_heading {
        lines.push("参考资料".to_owned());
        after_heading = true;
    }
    let citations = citation_counts(doc);
    for (n, reference) in doc.references.iter().enumerate() {
        let label = writer.label(reference, n);
        let count = citations
            .iter()
            .find(|(id, _)| *id == reference.id)
            .map_or(0, |(_, c)| *c);
        let backlinks = if count > 1 {
            let links: Vec<String> = (0..count).map(|k| format!("{label}.{k}")).collect();
            format!("{} ", links.join(" "))
        } else {
            String::new()
        };
        let raw = if reference.custom.raw.trim().is_empty() {
            reference.title.clone().unwrap_or_default()
        } else {
            reference.custom.raw.trim().to_owned()
        };
        push_line(
            &mut lines,
            format!("- ^ {backlinks}{raw}"),
            &mut after_heading,
        );
    }
    if after_heading {
        lines.push(EDIT_MARKER.to_owned());
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// How often each reference is cited, in order of first citation.
fn citation_counts(doc: &Document) -> Vec<(String, u32)> {
    let mut counts: Vec<(String, u32)> = Vec::new();
    zhnorm_doc::for_each_inline(&doc.blocks, &mut |inline| {
        if let Inline::Cite { reference } = inline {
            match counts.iter_mut().find(|(id, _)| id == reference) {
                Some((_, c)) => *c += 1,
                None => counts.push((reference.clone(), 1)),
            }
        }
    });
    counts
}

/// Glues the pending `[编辑]` of the heading before to this line.
fn push_line(lines: &mut Vec<String>, line: String, after_heading: &mut bool) {
    if *after_heading {
        lines.push(format!("{EDIT_MARKER}{line}"));
        *after_heading = false;
    } else {
        lines.push(line);
    }
}

struct ScrapedWriter<'a> {
    doc: &'a Document,
}

impl ScrapedWriter<'_> {
    fn label(&self, reference: &Reference, position: usize) -> String {
        reference
            .custom
            .label
            .clone()
            .unwrap_or_else(|| (position + 1).to_string())
    }

    fn block(&self, block: &Block, depth: usize, lines: &mut Vec<String>, after: &mut bool) {
        let indent = "    ".repeat(depth);
        match block {
            Block::Heading { inlines, .. } => {
                push_line(lines, self.text(inlines), after);
                *after = true;
            }
            Block::Paragraph { inlines } => {
                push_line(lines, format!("{indent}{}", self.text(inlines)), after);
            }
            Block::List { items, .. } => {
                for item in items {
                    for inner in &item.blocks {
                        self.block(inner, depth + 1, lines, after);
                    }
                }
            }
            Block::Table { caption, rows } => {
                if !caption.is_empty() {
                    push_line(lines, self.text(caption), after);
                }
                for row in rows {
                    let cells: Vec<String> =
                        row.cells.iter().map(|c| self.text(&c.inlines)).collect();
                    push_line(lines, format!("{indent}{}", cells.join("\t")), after);
                }
            }
            Block::Figure {
                target, caption, ..
            } => {
                let text = if caption.is_empty() {
                    target.clone()
                } else {
                    self.text(caption)
                };
                push_line(lines, format!("{indent}{text}"), after);
            }
            Block::Code { text, .. } => {
                for line in text.lines() {
                    push_line(lines, format!("{indent}{line}"), after);
                }
            }
            Block::Math { tex } => push_line(lines, format!("{indent}{tex}"), after),
            Block::Quote { blocks } => {
                for inner in blocks {
                    self.block(inner, depth, lines, after);
                }
            }
            Block::Rule => {}
        }
    }

    fn text(&self, inlines: &[Inline]) -> String {
        let mut out = String::new();
        for inline in inlines {
            match inline {
                Inline::Text { text } | Inline::Code { text } => out.push_str(text),
                Inline::Math { tex } => out.push_str(tex),
                Inline::Cite { reference } => {
                    let position = self.doc.references.iter().position(|r| &r.id == reference);
                    let label = match position {
                        Some(n) => self.label(&self.doc.references[n], n),
                        None => reference.clone(),
                    };
                    let _ = write!(out, "[{label}]");
                }
                Inline::LineBreak => out.push(' '),
                Inline::Conversion { rule } => {
                    // A rendered page shows the text for its reader's variant.
                    let text = rule
                        .text
                        .clone()
                        .or_else(|| rule.variants.first().map(|v| v.text.clone()))
                        .unwrap_or_default();
                    out.push_str(&text);
                }
                Inline::Link { inlines, .. }
                | Inline::Strong { inlines }
                | Inline::Emphasis { inlines }
                | Inline::Superscript { inlines }
                | Inline::Subscript { inlines } => out.push_str(&self.text(inlines)),
            }
        }
        out
    }
}
