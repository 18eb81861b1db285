//! Walking the inline nodes of a document, for the stages that look at or rewrite text.

use crate::{Block, Document, Inline, Reference};

/// Calls `f` on every inline node of every block, depth first, parents before children.
pub fn for_each_inline(blocks: &[Block], f: &mut dyn FnMut(&Inline)) {
    let inlines = for_each_inline_in;
    for block in blocks {
        match block {
            Block::Heading { inlines: list, .. } | Block::Paragraph { inlines: list } => {
                inlines(list, f)
            }
            Block::List { items, .. } => {
                for item in items {
                    inlines(&item.term, f);
                    for_each_inline(&item.blocks, f);
                }
            }
            Block::Table { caption, rows } => {
                inlines(caption, f);
                for row in rows {
                    for cell in &row.cells {
                        inlines(&cell.inlines, f);
                    }
                }
            }
            Block::Figure { caption, .. } => inlines(caption, f),
            Block::Quote { blocks } => for_each_inline(blocks, f),
            Block::Code { .. } | Block::Math { .. } | Block::Rule => {}
        }
    }
}

/// Calls `f` on every node of an inline list, depth first, parents before children, as
/// [`for_each_inline`] does for the lists of blocks.
pub fn for_each_inline_in(list: &[Inline], f: &mut dyn FnMut(&Inline)) {
    for inline in list {
        f(inline);
        if let Some(children) = children(inline) {
            for_each_inline_in(children, f);
        }
    }
}

/// Calls `f` on every inline list of every block (paragraph contents, link children, cells, …),
/// so that `f` can replace, split or merge nodes. Children are visited after `f` returns.
pub fn for_each_inline_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    fn inlines(list: &mut Vec<Inline>, f: &mut dyn FnMut(&mut Vec<Inline>)) {
        f(list);
        for inline in list.iter_mut() {
            if let Some(children) = children_mut(inline) {
                inlines(children, f);
            }
        }
    }
    for block in blocks {
        match block {
            Block::Heading { inlines: list, .. } | Block::Paragraph { inlines: list } => {
                inlines(list, f)
            }
            Block::List { items, .. } => {
                for item in items {
                    inlines(&mut item.term, f);
                    for_each_inline_mut(&mut item.blocks, f);
                }
            }
            Block::Table { caption, rows } => {
                inlines(caption, f);
                for row in rows {
                    for cell in &mut row.cells {
                        inlines(&mut cell.inlines, f);
                    }
                }
            }
            Block::Figure { caption, .. } => inlines(caption, f),
            Block::Quote { blocks } => for_each_inline_mut(blocks, f),
            Block::Code { .. } | Block::Math { .. } | Block::Rule => {}
        }
    }
}

fn children(inline: &Inline) -> Option<&Vec<Inline>> {
    match inline {
        Inline::Link { inlines, .. }
        | Inline::Strong { inlines }
        | Inline::Emphasis { inlines }
        | Inline::Superscript { inlines }
        | Inline::Subscript { inlines } => Some(inlines),
        _ => None,
    }
}

fn children_mut(inline: &mut Inline) -> Option<&mut Vec<Inline>> {
    match inline {
        Inline::Link { inlines, .. }
        | Inline::Strong { inlines }
        | Inline::Emphasis { inlines }
        | Inline::Superscript { inlines }
        | Inline::Subscript { inlines } => Some(inlines),
        _ => None,
    }
}

/// The text of a list of inlines as a reader would see it: text nodes and code concatenated,
/// line breaks as `\n`, citations and conversion markup left out.
pub fn plain_text(list: &[Inline]) -> String {
    let mut out = String::new();
    fn walk(list: &[Inline], out: &mut String) {
        for inline in list {
            match inline {
                Inline::Text { text } | Inline::Code { text } => out.push_str(text),
                Inline::Math { tex } => out.push_str(tex),
                Inline::LineBreak => out.push('\n'),
                Inline::Cite { .. } | Inline::Conversion { .. } => {}
                other => walk(children(other).map(Vec::as_slice).unwrap_or_default(), out),
            }
        }
    }
    walk(list, &mut out);
    out
}

/// All visible text of a document: the title, then each block's text on its own line,
/// then each reference's title. Used by checks and measurements.
pub fn visible_text(doc: &Document) -> String {
    let mut out = doc.title.clone();
    out.push('\n');
    fn blocks_text(blocks: &[Block], out: &mut String) {
        for block in blocks {
            match block {
                Block::Heading { inlines, .. } | Block::Paragraph { inlines } => {
                    out.push_str(&plain_text(inlines));
                    out.push('\n');
                }
                Block::List { items, .. } => {
                    for item in items {
                        out.push_str(&plain_text(&item.term));
                        blocks_text(&item.blocks, out);
                    }
                }
                Block::Table { caption, rows } => {
                    out.push_str(&plain_text(caption));
                    for row in rows {
                        for cell in &row.cells {
                            out.push_str(&plain_text(&cell.inlines));
                            out.push('\t');
                        }
                        out.push('\n');
                    }
                }
                Block::Figure { caption, .. } => {
                    out.push_str(&plain_text(caption));
                    out.push('\n');
                }
                Block::Quote { blocks } => blocks_text(blocks, out),
                Block::Code { .. } | Block::Math { .. } | Block::Rule => {}
            }
        }
    }
    blocks_text(&doc.blocks, &mut out);
    for Reference { title, .. } in &doc.references {
        if let Some(title) = title {
            out.push_str(title);
            out.push('\n');
        }
    }
    out
}
