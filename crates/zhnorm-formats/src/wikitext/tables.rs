//! Tables: `{| … |}` line by line (`|+` caption, `|-` row, `|`/`!` cells, `||`/`!!`
//! separators outside links, templates and HTML tags, and in a header line `!!` in a link's
//! text; attributes before a single `|` dropped unless the text before the first `|` holds a
//! link, as MediaWiki reads a cell).
//!
//! Invariants: tables nest through a stack of [`TableBuilder`]s; a nested table is flattened
//! into its outer cell's inlines; a `{|` never closed ends with the text, and a `|}` without
//! `{|` is dropped, each with an `UNBALANCED_TABLE` diagnostic.

use super::blocks::BlockSink;
use super::inline::{merge_text, trim_inlines};
use super::{Ctx, Reader};
use zhnorm_doc::{Block, Inline, TableCell, TableRow};

/// A table being built.
#[derive(Debug)]
pub(super) struct TableBuilder {
    pub(super) at: usize,
    pub(super) caption: Vec<Inline>,
    pub(super) rows: Vec<TableRow>,
    pub(super) row: Vec<TableCell>,
    pub(super) cell: Option<TableCell>,
}

impl TableBuilder {
    fn end_cell(&mut self) {
        if let Some(mut cell) = self.cell.take() {
            merge_text(&mut cell.inlines);
            trim_inlines(&mut cell.inlines);
            self.row.push(cell);
        }
    }

    fn end_row(&mut self) {
        self.end_cell();
        if !self.row.is_empty() {
            let cells = std::mem::take(&mut self.row);
            self.rows.push(TableRow { cells });
        }
    }

    pub(super) fn finish(mut self) -> Block {
        self.end_row();
        merge_text(&mut self.caption);
        trim_inlines(&mut self.caption);
        Block::Table {
            caption: self.caption,
            rows: self.rows,
        }
    }
}

/// A table flattened into inlines, for a table nested in a cell.
pub(super) fn table_as_inlines(table: Block) -> Vec<Inline> {
    let mut out = Vec::new();
    if let Block::Table { caption, rows } = table {
        out.extend(caption);
        for row in rows {
            if !out.is_empty() {
                out.push(Inline::LineBreak);
            }
            for (i, cell) in row.cells.into_iter().enumerate() {
                if i > 0 {
                    out.push(Inline::text(" "));
                }
                out.extend(cell.inlines);
            }
        }
    }
    out
}

impl<'a> Reader<'a> {
    pub(super) fn table_line(
        &mut self,
        tables: &mut Vec<TableBuilder>,
        sink: &mut BlockSink,
        ts: usize,
        te: usize,
        ctx: Ctx,
    ) {
        let line = &self.bytes[ts..te];
        let Some(table) = tables.last_mut() else {
            return;
        };
        if line.is_empty() {
            return;
        }
        if line.starts_with(b"|}") {
            let Some(table) = tables.pop() else { return };
            let block = table.finish();
            match tables.last_mut() {
                Some(outer) => {
                    let cell = outer.cell.get_or_insert_with(|| TableCell {
                        header: false,
                        inlines: Vec::new(),
                    });
                    if !cell.inlines.is_empty() {
                        cell.inlines.push(Inline::LineBreak);
                    }
                    cell.inlines.extend(table_as_inlines(block));
                }
                None => {
                    sink.block(block);
                    let inlines = self.line_inlines(ts + 2, te, ctx, Some(sink));
                    sink.add_line(inlines);
                }
            }
            return;
        }
        if line.starts_with(b"|-") {
            table.end_row();
            return;
        }
        if line.starts_with(b"|+") {
            table.end_cell();
            let caption = self.cell_inlines(ts + 2, te, ctx);
            if let Some(table) = tables.last_mut() {
                if !table.caption.is_empty() && !caption.is_empty() {
                    table.caption.push(Inline::text(" "));
                }
                table.caption.extend(caption);
            }
            return;
        }
        if line[0] == b'|' || line[0] == b'!' {
            let header = line[0] == b'!';
            table.end_cell();
            let start = ts + 1;
            let mut bounds = vec![(start, 0usize)];
            let (separators, split_links) = self.cell_separators(start, te, header);
            for s in separators {
                bounds.push((s + 2, s));
            }
            for (k, &(cell_start, _)) in bounds.iter().enumerate() {
                let cell_end = bounds.get(k + 1).map_or(te, |&(_, sep)| sep);
                let inlines = if split_links.is_empty() {
                    self.cell_inlines(cell_start, cell_end, ctx)
                } else {
                    self.split_cell_inlines(cell_start, cell_end, &split_links, ctx)
                };
                if let Some(table) = tables.last_mut() {
                    table.end_cell();
                    table.cell = Some(TableCell { header, inlines });
                }
            }
            return;
        }
        // A continuation line of the current cell.
        let content = ts
            + line
                .iter()
                .take_while(|b| matches!(b, b'*' | b'#' | b':' | b';'))
                .count();
        let inlines = self.line_inlines(content, te, ctx, None);
        if let Some(table) = tables.last_mut() {
            let cell = table.cell.get_or_insert_with(|| TableCell {
                header: false,
                inlines: Vec::new(),
            });
            if !cell.inlines.is_empty() && !inlines.is_empty() {
                cell.inlines.push(Inline::LineBreak);
            }
            cell.inlines.extend(inlines);
        }
    }

    /// The `||` (and in a header line `!!`) that separate the cells of one line: outside
    /// nested constructs and outside HTML tags, whose attribute values may hold them. In a
    /// header line, a `!!` in a link's text splits the cell too, as MediaWiki's table pass
    /// splits the line before it reads links (`![[Foo|Bar!!]]` shows `Bar` and an empty cell);
    /// such links are returned as (`[[`, its `|`, the end past `]]`), whose markup the cells
    /// leave out.
    fn cell_separators(
        &self,
        start: usize,
        end: usize,
        header: bool,
    ) -> (Vec<usize>, Vec<(usize, usize, usize)>) {
        let mut separators = self.cell_bars(start, end, Some(header));
        let mut split_links = Vec::new();
        if !header || memchr::memmem::find(&self.bytes[start..end], b"!!").is_none() {
            return (separators, split_links);
        }
        let mut i = start;
        while let Some(p) = memchr::memmem::find(&self.bytes[i..end], b"[[") {
            let open = i + p;
            let Some(close_end) = self.construct_end(open, end) else {
                i = open + 2;
                continue;
            };
            i = close_end;
            let Some(&pipe) = self.top_level(open + 2, close_end - 2, b"|").first() else {
                continue;
            };
            let target = self.src[open + 2..pipe].trim_start_matches(':');
            if target.split_once([':', '：']).is_some_and(|(ns, _)| {
                let ns = ns.trim().to_lowercase();
                super::media::FILE_NAMESPACES.contains(&ns.as_str())
                    || super::links::CATEGORY_NAMESPACES.contains(&ns.as_str())
            }) {
                continue;
            }
            let inside = self.top_level(pipe + 1, close_end - 2, b"!!");
            if !inside.is_empty() {
                separators.extend(inside);
                split_links.push((open, pipe, close_end));
            }
        }
        separators.sort_unstable();
        (separators, split_links)
    }

    /// The content of a cell of a header line that a `!!` inside a link's text split: the text
    /// in it without the markup of those links (`[[Foo|`, `]]`), read as text.
    fn split_cell_inlines(
        &mut self,
        start: usize,
        end: usize,
        split_links: &[(usize, usize, usize)],
        ctx: Ctx,
    ) -> Vec<Inline> {
        let crosses = |&&(open, _, close_end): &&(usize, usize, usize)| {
            (open < end && close_end > start) && !(open >= start && close_end <= end)
        };
        if !split_links.iter().any(|l| crosses(&l)) {
            return self.cell_inlines(start, end, ctx);
        }
        let mut inlines = Vec::new();
        let mut from = start;
        for &(open, pipe, close_end) in split_links.iter().filter(|l| crosses(l)) {
            for (cut_start, cut_end) in [(open, pipe + 1), (close_end - 2, close_end)] {
                let (cut_start, cut_end) = (cut_start.max(from), cut_end.min(end));
                if cut_start >= cut_end {
                    continue;
                }
                inlines.extend(self.line_inlines(from, cut_start, ctx, None));
                from = cut_end;
            }
        }
        if from < end {
            inlines.extend(self.line_inlines(from, end, ctx, None));
        }
        merge_text(&mut inlines);
        trim_inlines(&mut inlines);
        inlines
    }

    /// The `|`/`||`/`!!` of a cell line outside nested constructs and HTML tags: with
    /// `separators` `None`, only the first single `|` (the one after a cell's attributes);
    /// otherwise every `||`, and `!!` too when `Some(true)` (a header line).
    fn cell_bars(&self, start: usize, end: usize, separators: Option<bool>) -> Vec<usize> {
        let bytes = self.bytes;
        let mut found = Vec::new();
        let mut i = start;
        while i < end {
            let Some(p) = bytes[i..end]
                .iter()
                .position(|&b| matches!(b, b'|' | b'!' | b'[' | b'{' | b'-' | b'<'))
            else {
                break;
            };
            i += p;
            let b = bytes[i];
            let next = bytes.get(i + 1).copied();
            match separators {
                None if b == b'|' => return vec![i],
                Some(header)
                    if (b == b'|' && next == Some(b'|'))
                        || (header && b == b'!' && next == Some(b'!')) =>
                {
                    found.push(i);
                    i += 2;
                    continue;
                }
                _ => {}
            }
            if let Some(e) = self.construct_end(i, end) {
                i = e;
            } else if b == b'<'
                && let Some((_, _, after)) = self.html_tag_at(i, end)
            {
                i = after;
            } else {
                i += 1;
            }
        }
        found
    }

    /// A cell's content: attributes before a single top-level `|` are dropped, unless what
    /// stands before the first `|` holds a link (MediaWiki then reads no attributes:
    /// `|testing [[a|b]] |c` shows `testing b |c`).
    fn cell_inlines(&mut self, start: usize, end: usize, ctx: Ctx) -> Vec<Inline> {
        let content = match self.cell_bars(start, end, None).first() {
            Some(&bar)
                if !self.bytes[start..bar].contains(&b'\n')
                    && !first_bar_follows_link(&self.bytes[start..end]) =>
            {
                bar + 1
            }
            _ => start,
        };
        let mut inlines = self.line_inlines(content, end, ctx, None);
        trim_inlines(&mut inlines);
        inlines
    }
}

/// True when the text before the first `|` of `cell` holds `[[`.
fn first_bar_follows_link(cell: &[u8]) -> bool {
    let bar = cell.iter().position(|&b| b == b'|').unwrap_or(cell.len());
    cell[..bar].windows(2).any(|w| w == b"[[")
}
