//! Blocks: the walk over logical lines that builds headings, paragraphs, lists, quotations and
//! rules, and hands table lines to [`super::tables`].
//!
//! A logical line is a line plus any construct (`[[…]]`, `{{…}}`, `-{…}-`, a tag) that spans
//! lines; its end is found through the bracket pass's pair table, so no construct is cut.
//! Invariants: a paragraph line is read once, to its end, by the inline parser
//! ([`Reader::paragraph_line`]); lines are joined as a browser shows them (a space only between
//! ASCII characters); list prefixes (`*#:;`) nest through [`ListBuilder`], and a finished list is
//! always emitted before the block that follows it. The term of `;term:definition` ends at the
//! first colon outside every element, as MediaWiki finds it ([`Reader::term_colon`]).

use super::inline::{
    BEHAVIOUR_SWITCHES, first_char, last_char, line_break_is_space, merge_text, trim_inlines,
};
use super::links::{bare_url_end, has_url_scheme};
use super::tables::{TableBuilder, table_as_inlines};
use super::tags::ends_tag_name;
use super::{Ctx, MAX_DEPTH, MAX_LIST_LEVELS, Reader};
use zhnorm_doc::{Block, Inline, ListItem, TableCell, codes};

/// Collects blocks and the paragraph being built.
#[derive(Debug, Default)]
pub(super) struct BlockSink {
    pub(super) blocks: Vec<Block>,
    para: Vec<Inline>,
    /// How many inlines at the end of `para` show nothing: kept as lines are added, because
    /// counting them again for every line is quadratic on a run of `-{H|…}-` lines.
    silent_tail: usize,
}

impl BlockSink {
    /// Appends one line's inlines to the paragraph, joining lines as a browser would show them
    /// (no space between CJK characters).
    pub(super) fn add_line(&mut self, mut inlines: Vec<Inline>) {
        // Lists from `line_inlines` are merged already; `flush` merges across lines.
        trim_inlines(&mut inlines);
        if inlines.is_empty() {
            return;
        }
        // A rule that shows nothing (`-{H|…}-` on a line of its own) is no text to join: the
        // lines around it are joined as if it were not there.
        let silent = |i: &Inline| super::conversion::shows_nothing(i);
        let prev_end = self.para.len() - self.silent_tail;
        let next_start = inlines.iter().take_while(|i| silent(i)).count();
        self.silent_tail = if next_start == inlines.len() {
            self.silent_tail + next_start
        } else {
            inlines.iter().rev().take_while(|i| silent(i)).count()
        };
        if next_start < inlines.len()
            && let (Some(prev), Some(next)) = (
                last_char(&self.para[..prev_end]),
                first_char(&inlines[next_start..]),
            )
            && line_break_is_space(prev, next)
        {
            self.para.push(Inline::text(" "));
        }
        if self.para.is_empty() {
            // The paragraph's first line: take the list as it is instead of copying it.
            self.para = inlines;
        } else {
            self.para.extend(inlines);
        }
    }

    pub(super) fn flush(&mut self) {
        let mut para = std::mem::take(&mut self.para);
        self.silent_tail = 0;
        merge_text(&mut para);
        trim_inlines(&mut para);
        if para.is_empty() {
            return;
        }
        if let [Inline::Math { tex }] = para.as_slice() {
            self.blocks.push(Block::Math { tex: tex.clone() });
            return;
        }
        self.blocks.push(Block::Paragraph { inlines: para });
    }

    pub(super) fn block(&mut self, block: Block) {
        self.flush();
        self.blocks.push(block);
    }

    #[inline]
    pub(super) fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.blocks.shrink_to_fit();
        self.blocks
    }
}

/// Lists being built from `*#:;` prefixes.
#[derive(Debug, Default)]
struct ListBuilder {
    /// (prefix character, ordered, items) from the outermost list inwards.
    levels: Vec<(u8, Vec<ListItem>)>,
}

fn same_list(a: u8, b: u8) -> bool {
    a == b || (matches!(a, b':' | b';') && matches!(b, b':' | b';'))
}

impl ListBuilder {
    fn pop_level(&mut self) -> Option<Block> {
        let (ch, mut items) = self.levels.pop()?;
        items.shrink_to_fit();
        let list = Block::List {
            ordered: ch == b'#',
            items,
        };
        match self.levels.last_mut() {
            Some((_, parent)) => {
                if parent.is_empty() {
                    parent.push(ListItem {
                        term: Vec::new(),
                        blocks: Vec::new(),
                    });
                }
                if let Some(item) = parent.last_mut() {
                    item.blocks.push(list);
                }
                None
            }
            None => Some(list),
        }
    }

    /// Closes every level; returns the finished outermost list.
    pub(super) fn flush(&mut self) -> Option<Block> {
        let mut done = None;
        while !self.levels.is_empty() {
            done = self.pop_level();
        }
        done
    }

    /// Adds one item; returns a finished list when the new item starts a different one.
    fn add(&mut self, prefix: &[u8], term: Vec<Inline>, blocks: Vec<Block>) -> Option<Block> {
        let mut finished = None;
        let common = self
            .levels
            .iter()
            .zip(prefix)
            .take_while(|((ch, _), p)| same_list(*ch, **p))
            .count();
        while self.levels.len() > common {
            if let Some(done) = self.pop_level() {
                finished = Some(done);
            }
        }
        let last = prefix[prefix.len() - 1];
        if common == prefix.len() {
            if let Some((ch, items)) = self.levels.last_mut() {
                *ch = if last == b';' { *ch } else { last };
                if last == b':'
                    && let Some(item) = items.last_mut()
                    && !item.term.is_empty()
                {
                    item.blocks.extend(blocks);
                    return finished;
                }
                items.push(ListItem { term, blocks });
            }
            return finished;
        }
        for &ch in &prefix[common..] {
            self.levels.push((ch, Vec::new()));
        }
        if let Some((_, items)) = self.levels.last_mut() {
            items.push(ListItem { term, blocks });
        }
        finished
    }
}

impl<'a> Reader<'a> {
    pub(super) fn blocks(&mut self, start: usize, end: usize, depth: u32) -> Vec<Block> {
        let mut sink = BlockSink::default();
        let mut lists = ListBuilder::default();
        let mut tables: Vec<TableBuilder> = Vec::new();
        let ctx = Ctx {
            depth,
            in_link: false,
            in_ref: false,
            inline_depth: 0,
        };
        let mut pos = start;
        while pos < end {
            if tables.is_empty() {
                let ts = pos
                    + self.bytes[pos..end]
                        .iter()
                        .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\r'))
                        .count();
                // After leading spaces, list, heading and rule marks are text (MediaWiki makes
                // such a line preformatted text: ` :foo` shows `:foo`).
                if self.is_paragraph_line(ts, end)
                    || (ts > pos
                        && ts < end
                        && self.bytes[pos] == b' '
                        && matches!(self.bytes[ts], b'*' | b'#' | b':' | b';' | b'=' | b'-'))
                {
                    if let Some(list) = lists.flush() {
                        sink.block(list);
                    }
                    let (inlines, le) = self.paragraph_line(ts, end, ctx, &mut sink);
                    sink.add_line(inlines);
                    pos = le + 1;
                    continue;
                }
            }
            let le = self.line_end(pos, end);
            let next = le + 1;
            let (ts, te) = self.trim(pos, le);
            let line = &self.bytes[ts..te];

            // An indented table (`:{|`) is a table; the indentation is only layout.
            let colons = line.iter().take_while(|&&b| b == b':').count();
            let indent = colons
                + line[colons..]
                    .iter()
                    .take_while(|&&b| colons > 0 && matches!(b, b' ' | b'\t'))
                    .count();
            if line[indent..].starts_with(b"{|") {
                if tables.is_empty() {
                    if let Some(list) = lists.flush() {
                        sink.block(list);
                    }
                    sink.flush();
                }
                tables.push(TableBuilder {
                    at: ts,
                    caption: Vec::new(),
                    rows: Vec::new(),
                    row: Vec::new(),
                    cell: None,
                });
                pos = next;
                continue;
            }
            if !tables.is_empty() {
                self.table_line(&mut tables, &mut sink, ts, te, ctx);
                pos = next;
                continue;
            }
            if line.len() > 11
                && line[..11].eq_ignore_ascii_case(b"<blockquote")
                && ends_tag_name(line.get(11))
                && depth < MAX_DEPTH
                && let Some(gt) = line.iter().position(|&b| b == b'>')
                && let Some((close_at, close_end)) = self.close_tag("blockquote", ts + gt + 1, end)
            {
                // A quotation that spans lines: its content is blocks of its own.
                if let Some(list) = lists.flush() {
                    sink.block(list);
                }
                let blocks = self.blocks(ts + gt + 1, close_at, depth + 1);
                sink.block(Block::Quote { blocks });
                let rest_end = self.line_end(close_end, end);
                let inlines = self.line_inlines(close_end, rest_end, ctx, Some(&mut sink));
                sink.add_line(inlines);
                pos = rest_end + 1;
                continue;
            }
            if ts == te {
                if let Some(list) = lists.flush() {
                    sink.block(list);
                }
                sink.flush();
                pos = next;
                continue;
            }
            match line[0] {
                b'=' => {
                    if let Some(list) = lists.flush() {
                        sink.block(list);
                    }
                    if let Some(block) = self.heading(ts, te, ctx) {
                        sink.block(block);
                    } else {
                        let inlines = self.line_inlines(ts, te, ctx, Some(&mut sink));
                        sink.add_line(inlines);
                    }
                }
                b'_' if self.bytes.get(self.switches_end(ts, te)) == Some(&b'=') => {
                    // Behaviour switches go before headings are read: `__NOTOC__== x ==`.
                    let heading_at = self.switches_end(ts, te);
                    self.line_inlines(ts, heading_at, ctx, None);
                    if let Some(list) = lists.flush() {
                        sink.block(list);
                    }
                    match self.heading(heading_at, te, ctx) {
                        Some(block) => sink.block(block),
                        None => {
                            let inlines = self.line_inlines(heading_at, te, ctx, Some(&mut sink));
                            sink.add_line(inlines);
                        }
                    }
                }
                b'*' | b'#' | b':' | b';' => {
                    sink.flush();
                    let marks = line
                        .iter()
                        .take_while(|b| matches!(b, b'*' | b'#' | b':' | b';'))
                        .count();
                    // Every level of a list is a level of the document tree, and later stages
                    // walk the tree recursively: levels past the budget stay as text.
                    let allowed =
                        MAX_DEPTH.saturating_sub(depth).clamp(1, MAX_LIST_LEVELS) as usize;
                    let prefix_len = marks.min(allowed);
                    if marks > prefix_len {
                        self.diagnose(
                            &codes::NESTING_TOO_DEEP,
                            format!(
                                "list nested {marks} levels deep; levels past {prefix_len} kept as text"
                            ),
                            ts + prefix_len,
                        );
                    }
                    let prefix = line[..prefix_len].to_vec();
                    let content = ts + prefix_len;
                    // The item's content is as deep as its list.
                    let ctx = Ctx {
                        depth: depth + prefix_len as u32,
                        ..ctx
                    };
                    let (term, blocks) = if prefix[prefix_len - 1] == b';' {
                        let colon = self.term_colon(content, te);
                        let term_end = colon.unwrap_or(te);
                        let mut term = self.line_inlines(content, term_end, ctx, None);
                        trim_inlines(&mut term);
                        let blocks = match colon {
                            Some(c) => self.item_blocks(c + 1, te, ctx),
                            None => Vec::new(),
                        };
                        (term, blocks)
                    } else {
                        (Vec::new(), self.item_blocks(content, te, ctx))
                    };
                    if let Some(done) = lists.add(&prefix, term, blocks) {
                        sink.block(done);
                    }
                }
                b'|' if line.starts_with(b"|}") => {
                    self.diagnose(
                        &codes::UNBALANCED_TABLE,
                        "`|}` without `{|`, dropped".to_owned(),
                        ts,
                    );
                    let inlines = self.line_inlines(ts + 2, te, ctx, Some(&mut sink));
                    sink.add_line(inlines);
                }
                b'-' if line.starts_with(b"----") => {
                    if let Some(list) = lists.flush() {
                        sink.block(list);
                    }
                    sink.block(Block::Rule);
                    let rest = ts + line.iter().take_while(|&&b| b == b'-').count();
                    let inlines = self.line_inlines(rest, te, ctx, Some(&mut sink));
                    sink.add_line(inlines);
                }
                _ => {
                    if let Some(list) = lists.flush() {
                        sink.block(list);
                    }
                    let inlines = self.line_inlines(ts, te, ctx, Some(&mut sink));
                    sink.add_line(inlines);
                }
            }
            pos = next;
        }
        while let Some(table) = tables.pop() {
            self.diagnose(
                &codes::UNBALANCED_TABLE,
                "`{|` without `|}`; the table ends with the text".to_owned(),
                table.at,
            );
            let block = table.finish();
            match tables.last_mut() {
                Some(outer) => {
                    let cell = outer.cell.get_or_insert_with(|| TableCell {
                        header: false,
                        inlines: Vec::new(),
                    });
                    cell.inlines.extend(table_as_inlines(block));
                }
                None => sink.block(block),
            }
        }
        if let Some(list) = lists.flush() {
            sink.block(list);
        }
        sink.finish()
    }

    /// True when the line whose first non-blank byte is at `ts` is a line of running text: no
    /// heading, list item, table, rule or quotation starts with it, and it is not blank. (The
    /// tests are those of [`Reader::blocks`], on the first bytes only.)
    fn is_paragraph_line(&self, ts: usize, end: usize) -> bool {
        let line = &self.bytes[ts..end];
        match line.first() {
            None | Some(b'\n' | b'=' | b'*' | b'#' | b':' | b';') => false,
            Some(b'|') => !line.starts_with(b"|}"),
            Some(b'-') => !line.starts_with(b"----"),
            Some(b'{') => !line.starts_with(b"{|"),
            Some(b'_') => self.bytes.get(self.switches_end(ts, end)) != Some(&b'='),
            Some(b'<') => !line
                .get(..11)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"<blockquote")),
            Some(_) => true,
        }
    }

    /// The `:` that ends the term of `;term:definition`, as MediaWiki finds it in the HTML it
    /// has built by then: the first colon outside every element. So a colon inside a tag's
    /// attributes or content (`<b>1:00</b>`, `'''1:00'''`), a link, an external link's text or a
    /// URL (`news:x`, `http://x`) does not end the term; a full-width `：` never does.
    fn term_colon(&self, start: usize, end: usize) -> Option<usize> {
        let bytes = self.bytes;
        let mut open = 0usize;
        let (mut italic, mut bold) = (false, false);
        let mut i = start;
        while i < end {
            let Some(p) = bytes[i..end]
                .iter()
                .position(|&b| matches!(b, b':' | b'\'' | b'[' | b'{' | b'-' | b'<'))
            else {
                break;
            };
            i += p;
            let b = bytes[i];
            if b != b':'
                && b != b'\''
                && let Some(e) = self.construct_end(i, end)
            {
                i = e;
                continue;
            }
            match b {
                b'\'' => {
                    let run = bytes[i..end].iter().take_while(|&&c| c == b'\'').count();
                    match run {
                        2 => italic = !italic,
                        3 | 4 => bold = !bold,
                        5.. => (italic, bold) = (!italic, !bold),
                        _ => {}
                    }
                    i += run;
                }
                b'[' => {
                    // `[url text]`: an element; its text ends at the first `]` on the line.
                    if has_url_scheme(&bytes[i + 1..end])
                        && let Some(close) = bytes[i..end].iter().position(|&c| c == b']')
                    {
                        i += close + 1;
                    } else {
                        i += 1;
                    }
                }
                b'<' => match self.html_tag_at(i, end) {
                    Some((closing, nests, after)) => {
                        if closing {
                            open = open.saturating_sub(1);
                        } else if nests {
                            open += 1;
                        }
                        i = after;
                    }
                    None => i += 1,
                },
                b':' => {
                    let scheme = bytes[start..i]
                        .iter()
                        .rev()
                        .take_while(|c| c.is_ascii_alphabetic())
                        .count();
                    if scheme > 0 && has_url_scheme(&bytes[i - scheme..end]) {
                        // A URL is a link: its colons are inside it.
                        i = bare_url_end(bytes, i + 1, end).max(i + 1);
                        continue;
                    }
                    if open == 0 && !italic && !bold {
                        return Some(i);
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        None
    }

    /// The offset past the behaviour switches (`__NOTOC__`, any case) that start at `at`.
    pub(super) fn switches_end(&self, at: usize, end: usize) -> usize {
        let mut i = at;
        while self.bytes[i..end].starts_with(b"__") {
            let word = self.bytes[i + 2..end]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            let name = &self.bytes[i + 2..i + 2 + word];
            if word == 0
                || !self.bytes[i + 2 + word..end].starts_with(b"__")
                || !BEHAVIOUR_SWITCHES
                    .iter()
                    .any(|s| s.as_bytes().eq_ignore_ascii_case(name))
            {
                break;
            }
            i += word + 4;
        }
        i
    }

    fn item_blocks(&mut self, start: usize, end: usize, ctx: Ctx) -> Vec<Block> {
        let mut sink = BlockSink::default();
        let inlines = self.line_inlines(start, end, ctx, Some(&mut sink));
        sink.add_line(inlines);
        sink.finish()
    }

    /// A heading as MediaWiki reads it: `=` runs at both ends, of the shorter run's length (at
    /// most six), with text between them; surplus `=` stay in the text (`=foo==` is `foo=`). A
    /// line with no closing `=` is no heading (reported, and read as text).
    fn heading(&mut self, ts: usize, te: usize, ctx: Ctx) -> Option<Block> {
        let line = &self.bytes[ts..te];
        let lead = line.iter().take_while(|&&b| b == b'=').count();
        let trail = line.iter().rev().take_while(|&&b| b == b'=').count();
        if trail == 0 {
            self.diagnose(
                &codes::UNCLOSED_HEADING,
                format!("heading opened with {lead} `=` and never closed; read as text"),
                ts,
            );
            return None;
        }
        if lead != trail && lead < line.len() {
            self.diagnose(
                &codes::UNCLOSED_HEADING,
                format!("heading opened with {lead} `=` but closed with {trail}"),
                ts,
            );
        }
        // `===` alone is a level-one heading holding `=`.
        let level = lead.min(trail).min(6).min((line.len() - 1) / 2);
        if level == 0 {
            return None;
        }
        let mut inlines = self.line_inlines(ts + level, te - level, ctx, None);
        trim_inlines(&mut inlines);
        let level = level.clamp(2, 6) as u8;
        Some(Block::Heading { level, inlines })
    }
}
