//! The plain text of an article, as dataset users expect it in a `text` column.
//!
//! The layout (documented in `schema/zhnorm.record-1.md`):
//!
//! - The title is not repeated; the text starts with the first block.
//! - Every paragraph, heading, figure caption, code block and display formula is one paragraph.
//!   Paragraphs are separated by exactly one blank line (`\n\n`); no paragraph contains a blank
//!   line, and none is empty or starts or ends with white space.
//! - A list is one paragraph with one line per item (a nested list's items are lines of the
//!   same paragraph); a definition list's term is a line of its own before its definition.
//! - A table is one paragraph: its caption on the first line, then one line per row with the
//!   cells separated by a tab.
//! - A block quote's blocks are paragraphs of their own.
//! - Inline markup, links, citation markers and conversion markup leave no trace: only the text a
//!   reader sees stays. Line breaks (`<br>`) are line breaks. Inline formulas are kept as TeX.
//! - Horizontal rules, the reference list, categories and the infobox are not part of the text.
//!
//! The text never ends with a newline.

use crate::{Block, Document, Inline};

/// The plain text of `doc`'s body, paragraphs separated by one blank line (see the module docs).
pub fn article_text(doc: &Document) -> String {
    let mut text = Text {
        out: String::with_capacity(doc.blocks.len() * 64),
        start: 0,
    };
    text.blocks(&doc.blocks);
    text.out
}

struct Text {
    out: String,
    /// Where the current paragraph's text starts in `out`, after its separator.
    start: usize,
}

impl Text {
    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            match block {
                Block::Heading { inlines, .. } | Block::Paragraph { inlines } => {
                    self.start_paragraph();
                    self.inlines(inlines);
                    self.end_paragraph();
                }
                Block::Figure { caption, .. } => {
                    self.start_paragraph();
                    self.inlines(caption);
                    self.end_paragraph();
                }
                Block::Code { text, .. } => {
                    self.start_paragraph();
                    self.push_text(text);
                    self.end_paragraph();
                }
                Block::Math { tex } => {
                    self.start_paragraph();
                    self.push_text(tex);
                    self.end_paragraph();
                }
                Block::List { .. } => {
                    self.start_paragraph();
                    self.list_lines(block);
                    self.end_paragraph();
                }
                Block::Table { caption, rows } => {
                    self.start_paragraph();
                    self.inlines(caption);
                    for row in rows {
                        self.new_line();
                        for (n, cell) in row.cells.iter().enumerate() {
                            if n > 0 {
                                self.out.push('\t');
                            }
                            let before = self.out.len();
                            self.inlines(&cell.inlines);
                            // A cell is one field of its row: its own line breaks become spaces.
                            flatten_tail(&mut self.out, before);
                        }
                        self.trim_line_end();
                    }
                    self.end_paragraph();
                }
                Block::Quote { blocks } => self.blocks(blocks),
                Block::Rule => {}
            }
        }
    }

    /// The items of a list block, one line each, inside the paragraph already started.
    fn list_lines(&mut self, block: &Block) {
        let Block::List { items, .. } = block else {
            return;
        };
        for item in items {
            if !item.term.is_empty() {
                self.new_line();
                self.inlines(&item.term);
            }
            self.new_line();
            for inner in &item.blocks {
                match inner {
                    Block::List { .. } => self.list_lines(inner),
                    Block::Heading { inlines, .. } | Block::Paragraph { inlines } => {
                        self.space_or_nothing();
                        self.inlines(inlines);
                    }
                    Block::Figure { caption, .. } => {
                        self.space_or_nothing();
                        self.inlines(caption);
                    }
                    Block::Code { text, .. } => {
                        self.space_or_nothing();
                        self.push_text(text);
                    }
                    Block::Math { tex } => {
                        self.space_or_nothing();
                        self.push_text(tex);
                    }
                    Block::Table { .. } | Block::Quote { .. } => {
                        // Rare inside a list item: their lines go on the item's lines.
                        let mut nested = Text {
                            out: String::new(),
                            start: 0,
                        };
                        nested.blocks(std::slice::from_ref(inner));
                        for line in nested.out.lines().filter(|l| !l.is_empty()) {
                            self.new_line();
                            self.out.push_str(line);
                        }
                    }
                    Block::Rule => {}
                }
            }
            self.trim_line_end();
        }
    }

    fn inlines(&mut self, list: &[Inline]) {
        for inline in list {
            match inline {
                Inline::Text { text } | Inline::Code { text } => self.push_text(text),
                Inline::Math { tex } => self.push_text(tex),
                Inline::LineBreak => self.new_line(),
                Inline::Cite { .. } | Inline::Conversion { .. } => {}
                Inline::Link { inlines, .. }
                | Inline::Strong { inlines }
                | Inline::Emphasis { inlines }
                | Inline::Superscript { inlines }
                | Inline::Subscript { inlines } => self.inlines(inlines),
            }
        }
    }

    /// Appends text, keeping its single line breaks but never a blank line.
    fn push_text(&mut self, text: &str) {
        if memchr::memchr2(b'\n', b'\r', text.as_bytes()).is_none() {
            self.out.push_str(text);
            return;
        }
        for (n, line) in text.split('\n').enumerate() {
            if n > 0 {
                self.new_line();
            }
            self.out.push_str(line.strip_suffix('\r').unwrap_or(line));
        }
    }

    /// Starts a new line within the current paragraph, unless the line so far is empty.
    fn new_line(&mut self) {
        self.trim_line_end();
        if self.out.len() > self.start && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    /// A space between two blocks of one list item, unless the line is still empty.
    fn space_or_nothing(&mut self) {
        if self.out.len() > self.start && !self.out.ends_with('\n') {
            self.out.push(' ');
        }
    }

    fn start_paragraph(&mut self) {
        if !self.out.is_empty() {
            self.out.push_str("\n\n");
        }
        self.start = self.out.len();
    }

    /// Ends a paragraph: trims it, and removes it (with its separator) when it has no text.
    fn end_paragraph(&mut self) {
        self.trim_line_end();
        let start = self.start;
        // White space at the start of the paragraph or of one of its lines.
        if self.out[start..]
            .split('\n')
            .any(|line| line.starts_with(char::is_whitespace))
        {
            let paragraph: Vec<String> = self.out[start..]
                .split('\n')
                .map(|line| line.trim().to_owned())
                .filter(|line| !line.is_empty())
                .collect();
            self.out.truncate(start);
            self.out.push_str(&paragraph.join("\n"));
        }
        if self.out.len() == start {
            self.out.truncate(start.saturating_sub(2));
        }
        self.start = self.out.len();
    }

    /// Removes white space at the end of the current line, never before the paragraph's start.
    fn trim_line_end(&mut self) {
        let trimmed = self.out[self.start..].trim_end().len();
        self.out.truncate(self.start + trimmed);
    }
}

/// Turns the line breaks written since `from` into spaces.
fn flatten_tail(out: &mut String, from: usize) {
    if out[from..].contains('\n') {
        let flat = out[from..].replace('\n', " ");
        out.truncate(from);
        out.push_str(&flat);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Format, ListItem, Source, TableCell, TableRow};

    fn doc(blocks: Vec<Block>) -> Document {
        let mut doc = Document::new(Source::given("t.txt", Format::Wikitext));
        doc.blocks = blocks;
        doc
    }

    fn para(text: &str) -> Block {
        Block::Paragraph {
            inlines: vec![Inline::text(text)],
        }
    }

    #[test]
    fn paragraphs_headings_and_inline_markup() {
        let d = doc(vec![
            Block::Paragraph {
                inlines: vec![
                    Inline::Strong {
                        inlines: vec![Inline::text("巴库")],
                    },
                    Inline::text("是"),
                    Inline::Link {
                        kind: crate::LinkKind::Wiki,
                        target: "阿塞拜疆".into(),
                        inlines: vec![Inline::text("阿塞拜疆")],
                    },
                    Inline::text("的首都。"),
                    Inline::Cite {
                        reference: "r1".into(),
                    },
                ],
            },
            Block::Heading {
                level: 2,
                inlines: vec![Inline::text(" 历史 ")],
            },
            para(""),
            Block::Rule,
            Block::Paragraph {
                inlines: vec![
                    Inline::text("第一行"),
                    Inline::LineBreak,
                    Inline::text("第二行 "),
                ],
            },
            para("甲\n\n\n乙"),
        ]);
        assert_eq!(
            article_text(&d),
            "巴库是阿塞拜疆的首都。\n\n历史\n\n第一行\n第二行\n\n甲\n乙"
        );
    }

    #[test]
    fn lists_tables_quotes_figures() {
        let item = |text: &str| ListItem {
            term: vec![],
            blocks: vec![para(text)],
        };
        let d = doc(vec![
            Block::List {
                ordered: false,
                items: vec![
                    item("一"),
                    ListItem {
                        term: vec![],
                        blocks: vec![
                            para("二"),
                            Block::List {
                                ordered: true,
                                items: vec![item("二之一")],
                            },
                        ],
                    },
                    ListItem {
                        term: vec![Inline::text("术语")],
                        blocks: vec![para("定义")],
                    },
                ],
            },
            Block::Table {
                caption: vec![Inline::text("表")],
                rows: vec![
                    TableRow {
                        cells: vec![
                            TableCell {
                                header: true,
                                inlines: vec![Inline::text("国家")],
                            },
                            TableCell {
                                header: true,
                                inlines: vec![Inline::text("首都")],
                            },
                        ],
                    },
                    TableRow {
                        cells: vec![
                            TableCell {
                                header: false,
                                inlines: vec![Inline::text("阿塞拜疆")],
                            },
                            TableCell {
                                header: false,
                                inlines: vec![
                                    Inline::text("巴库"),
                                    Inline::LineBreak,
                                    Inline::text("Bakı"),
                                ],
                            },
                        ],
                    },
                ],
            },
            Block::Quote {
                blocks: vec![para("引文一"), para("引文二")],
            },
            Block::Figure {
                target: "Baku.jpg".into(),
                caption: vec![Inline::text("巴库全景")],
                alt: None,
            },
            Block::Math {
                tex: "E=mc^2".into(),
            },
        ]);
        assert_eq!(
            article_text(&d),
            "一\n二\n二之一\n术语\n定义\n\n表\n国家\t首都\n阿塞拜疆\t巴库 Bakı\n\n引文一\n\n引文二\n\n巴库全景\n\nE=mc^2"
        );
    }

    #[test]
    fn empty_document_has_empty_text() {
        assert_eq!(article_text(&doc(vec![para("  "), Block::Rule])), "");
    }
}
