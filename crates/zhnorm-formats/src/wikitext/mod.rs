//! The wikitext reader: MediaWiki source of a zh.wikipedia article into a [`Document`].
//!
//! Hand-written, on purpose: no maintained Rust crate parses wikitext with source spans, error
//! recovery and the zh.wikipedia specifics this reader needs (no link trail, `缩略图` as an image
//! option, `-{…}-` conversion markup, exported `[[X|X]]` and broken captions); the one fast
//! parser (`parse-wiki-text-2`) has neither recovery diagnostics nor conversion markup.
//!
//! The reader works in passes over one string, like MediaWiki itself:
//! 1. `scan::strip_comments` removes comments (keeping a map back to original offsets);
//! 2. `scan::match_brackets` fixes the extent of extension tags and pairs `[[ ]]`, `{{ }}`,
//!    `-{ }-` with an explicit stack, recording every unmatched token;
//! 3. the block parser walks logical lines (a line plus any construct that spans lines) and
//!    builds headings, paragraphs, lists and tables; the inline parser walks a line and builds
//!    links, formatting, templates (through the one table in `templates.rs`), references and
//!    conversion markup. Nested constructs recurse to at most [`MAX_DEPTH`] levels; deeper ones
//!    are skipped in O(1) with the pair table, so time stays linear and the stack bounded.
//!
//! References stay raw ([`RawReference`]); conversion markup stays unresolved
//! ([`Inline::Conversion`]); the script stage resolves it. Nothing here converts script.
//!
//! Edges: [`read`] is the only entry point. Page-wide results go to the document's
//! `categories`, `interlanguage`, `infobox` and `conversion` (`-{H|…}-`, `-{A|…}-`, `-{T|…}-`,
//! `-{-|…}-` and `noteTA` rules; `noteTA` groups). Diagnostics carry 1-based line and column of
//! the original text (comments included). As a last guard, markup tokens that still reach a text
//! node (only possible when dropped markup joins bracket characters, or from `<nowiki>`) are
//! removed and counted in `repairs["markup_residue_removed"]`.
//!
//! Speed: every byte is looked at by the bracket pass and by the inline parser (a paragraph
//! line is read to its end by the parser itself, not scanned first for its end), and both
//! search for their byte sets sixteen bytes at a time (`scan::next_marked`). What is left is
//! mostly building the owned model, one allocation per node: the figure depends on the
//! allocator, which is why zhnorm's binary and the benchmark use mimalloc.
//!
//! Measuring: `cargo run -p zhnorm-formats --example wikitext_measure` (markup left in text,
//! references, headings, `lang-xx`/`link-xx` text per article) and
//! `cargo bench -p zhnorm-formats --bench wikitext` (throughput).

mod conversion;
mod scan;
mod templates;

use std::collections::HashMap;

use zhnorm_doc::{
    Block, ConversionRule, Diagnostic, Document, Format, Infobox, Inline, InterlanguageLink,
    LinkKind, ListItem, RawReference, Source, TableCell, TableRow, Template, VariantText, codes,
};

use crate::Parsed;
use conversion::RawRule;
use scan::{Bracket, ByteSet, Stripped, Structure, TagSpan, Unmatched, byte_set};
use templates::Action;

/// How deep constructs may nest before the reader stops descending (they are then skipped).
pub const MAX_DEPTH: u32 = 24;

/// How deep formatting (`'''`, `<sup>`, …) may nest in the output.
const MAX_FORMAT_DEPTH: usize = 16;

/// Reads one wikitext article. Never fails: malformed input becomes diagnostics.
pub fn read(text: &str, source: Source) -> Parsed {
    let stripped = scan::strip_comments(text);
    let structure = scan::match_brackets(&stripped.text);
    let mut reader = Reader::new(text, &stripped, &structure);
    let blocks = reader.blocks(0, stripped.text.len(), 0);
    let mut parsed = reader.finish(blocks, source);
    crate::text::ensure_title(&mut parsed.document);
    parsed
}

/// Namespaces of image links, compared in lower case.
const FILE_NAMESPACES: &[&str] = &[
    "file",
    "image",
    "文件",
    "檔案",
    "档案",
    "图像",
    "圖像",
    "媒体文件",
    "媒體檔案",
    "media",
];
const CATEGORY_NAMESPACES: &[&str] = &["category", "分类", "分類"];
/// Language codes of interlanguage links (`[[en:Foo]]`).
const INTERLANGUAGE: &[&str] = &[
    "en",
    "ja",
    "ko",
    "fr",
    "de",
    "es",
    "ru",
    "it",
    "pt",
    "nl",
    "pl",
    "sv",
    "uk",
    "vi",
    "ar",
    "fa",
    "he",
    "hi",
    "id",
    "ms",
    "th",
    "tr",
    "cs",
    "fi",
    "no",
    "nb",
    "nn",
    "da",
    "hu",
    "ro",
    "el",
    "bg",
    "sr",
    "hr",
    "sk",
    "sl",
    "lt",
    "lv",
    "et",
    "ca",
    "eu",
    "gl",
    "simple",
    "zh-yue",
    "yue",
    "wuu",
    "gan",
    "zh-classical",
    "lzh",
    "zh-min-nan",
    "nan",
    "hak",
    "cdo",
    "bo",
    "ug",
    "mn",
    "kk",
    "ky",
    "uz",
    "az",
    "hy",
    "ka",
    "be",
    "tl",
    "ta",
    "te",
    "bn",
    "ur",
    "la",
    "eo",
    "is",
    "ga",
    "cy",
    "af",
    "sw",
    "sq",
    "mk",
    "bs",
    "lb",
    "sh",
    "ceb",
    "war",
    "my",
    "km",
    "lo",
    "si",
    "ne",
    "mr",
    "gu",
    "pa",
    "kn",
    "ml",
    "jv",
    "su",
    "ps",
    "ku",
    "tt",
    "ba",
    "ce",
    "os",
    "tg",
    "tk",
    "ast",
    "oc",
    "an",
    "br",
    "fy",
    "io",
    "ia",
    "vo",
    "sco",
    "als",
    "arz",
    "azb",
    "pnb",
    "new",
    "bpy",
];
/// Image options that are never captions (zh and en), compared in lower case.
const IMAGE_KEYWORDS: &[&str] = &[
    "thumb",
    "thumbnail",
    "frame",
    "framed",
    "frameless",
    "border",
    "left",
    "right",
    "center",
    "centre",
    "none",
    "upright",
    "baseline",
    "middle",
    "sub",
    "super",
    "sup",
    "text-top",
    "text-bottom",
    "top",
    "bottom",
    "缩略图",
    "縮圖",
    "缩图",
    "縮略圖",
    "略缩图",
    "有框",
    "框",
    "无框",
    "無框",
    "边框",
    "邊框",
    "左",
    "右",
    "居中",
    "中",
    "无",
    "無",
    "无浮动",
    "置中",
];
/// Image options that make a framed figure rather than an inline icon.
const FRAME_KEYWORDS: &[&str] = &[
    "thumb",
    "thumbnail",
    "frame",
    "framed",
    "缩略图",
    "縮圖",
    "缩图",
    "縮略圖",
    "略缩图",
    "有框",
    "框",
];
/// Image options written `key=value`, compared in lower case.
const IMAGE_KEYS: &[&str] = &[
    "alt",
    "link",
    "page",
    "class",
    "lang",
    "upright",
    "thumb",
    "thumbnail",
    "frame",
    "替代",
    "替代文本",
    "链接",
    "連結",
    "页",
    "頁",
    "页数",
    "缩略图",
    "縮圖",
    "upright ",
    "start",
    "end",
];

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Bytes that can start markup inside a line.
const INLINE_SPECIAL: ByteSet<11> = ByteSet::new(*b"[]{}-'<&_:\n");

/// Bytes that can open a construct.
static OPENERS: [bool; 256] = byte_set(b"[{-<");

/// Bytes after which a range may hold markup; a range without any is plain text. `-` is here
/// for `-{`, so that one scan answers [`Reader::is_plain`].
const MARKUP: ByteSet<11> = ByteSet::new(*b"[]{}'<&_:\n-");

/// Bytes the splitting of template arguments stops at: separators and [`OPENERS`].
const ARG_SPECIAL: ByteSet<6> = ByteSet::new(*b"|=[{-<");

/// Bytes that can open a construct spanning lines.
const LINE_SPECIAL: ByteSet<5> = ByteSet::new(*b"\n[{-<");

#[derive(Debug, Clone, Copy)]
struct Ctx {
    depth: u32,
    /// Inside link text: nested links show their text only.
    in_link: bool,
    /// Inside a reference: citation templates are collected.
    in_ref: bool,
}

impl Ctx {
    fn deeper(self) -> Ctx {
        Ctx {
            depth: self.depth + 1,
            ..self
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fmt {
    /// `'''`
    Bold,
    /// `''`
    Italic,
    /// `<b>`, `<strong>`
    TagBold,
    /// `<i>`, `<em>`
    TagItalic,
    Sup,
    Sub,
}

#[derive(Debug)]
struct Frame {
    kind: Fmt,
    at: usize,
    children: Vec<Inline>,
}

/// Maps byte offsets of the original text to 1-based lines and columns (columns count chars):
/// the mapping of [`crate::LineIndex`], with the line starts found by a SIMD newline search
/// (building a `LineIndex` took 2.6% of the reader's instructions).
#[derive(Debug)]
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 64 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines { text, starts }
    }

    /// The location of byte `offset` (clamped to the text, rounded down to a char boundary).
    fn location(&self, offset: usize) -> zhnorm_doc::Location {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let column = self.text[self.starts[line]..offset].chars().count() + 1;
        zhnorm_doc::Location {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }
}

/// Builds a list of inlines with open formatting frames.
#[derive(Debug)]
struct Inl {
    /// What is outside every frame.
    root: Vec<Inline>,
    /// Open frames, outermost first (empty most of the time, so it costs no allocation).
    frames: Vec<Frame>,
    /// The text run being built: a scratch buffer that is copied out at its exact size when the
    /// run ends, so that a run built from many pieces costs one allocation, not a chain of
    /// reallocations.
    text: String,
}

impl Inl {
    fn new() -> Self {
        Inl::with_buffer(String::new())
    }

    /// A builder whose text runs are built in `buffer` (emptied first).
    fn with_buffer(mut buffer: String) -> Self {
        buffer.clear();
        Inl {
            root: Vec::new(),
            frames: Vec::new(),
            text: buffer,
        }
    }

    fn flush_text(&mut self) {
        if !self.text.is_empty() {
            let text = String::from(self.text.as_str());
            self.text.clear();
            self.top().push(Inline::Text { text });
        }
    }

    fn top(&mut self) -> &mut Vec<Inline> {
        match self.frames.last_mut() {
            Some(frame) => &mut frame.children,
            None => &mut self.root,
        }
    }

    fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn push(&mut self, inline: Inline) {
        self.flush_text();
        self.top().push(inline);
    }

    fn extend(&mut self, inlines: Vec<Inline>) {
        for inline in inlines {
            match inline {
                Inline::Text { text } => self.push_str(&text),
                other => self.push(other),
            }
        }
    }

    /// True when nothing but white space has been built.
    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
            && self.frames.is_empty()
            && self.root.iter().all(|i| match i {
                Inline::Text { text } => text.trim().is_empty(),
                _ => false,
            })
    }

    fn is_open(&self, kind: Fmt) -> bool {
        self.frames.iter().any(|f| f.kind == kind)
    }

    fn open(&mut self, kind: Fmt, at: usize) {
        if self.frames.len() >= MAX_FORMAT_DEPTH {
            return;
        }
        self.flush_text();
        self.frames.push(Frame {
            kind,
            at,
            children: Vec::new(),
        });
    }

    /// Closes the innermost frame of `kind`, reopening the frames that were inside it.
    fn close(&mut self, kind: Fmt) -> bool {
        let Some(index) = self.frames.iter().rposition(|f| f.kind == kind) else {
            return false;
        };
        self.flush_text();
        let mut reopen = Vec::new();
        while self.frames.len() > index + 1 {
            let frame = self.pop_frame();
            reopen.push((frame.0, frame.1));
        }
        self.pop_frame();
        for (kind, at) in reopen.into_iter().rev() {
            self.open(kind, at);
        }
        true
    }

    /// Pops the top frame into its parent; returns its kind and offset.
    fn pop_frame(&mut self) -> (Fmt, usize) {
        let frame = self.frames.pop().expect("pop above root");
        let inline = match frame.kind {
            Fmt::Bold | Fmt::TagBold => Inline::Strong {
                inlines: frame.children,
            },
            Fmt::Italic | Fmt::TagItalic => Inline::Emphasis {
                inlines: frame.children,
            },
            Fmt::Sup => Inline::Superscript {
                inlines: frame.children,
            },
            Fmt::Sub => Inline::Subscript {
                inlines: frame.children,
            },
        };
        if !is_empty_inline(&inline) {
            self.top().push(inline);
        }
        (frame.kind, frame.at)
    }

    /// Closes every open frame; returns the offsets of `''`/`'''` that were never closed.
    fn close_all(&mut self) -> Vec<usize> {
        self.flush_text();
        let mut unclosed = Vec::new();
        while !self.frames.is_empty() {
            let (kind, at) = self.pop_frame();
            if matches!(kind, Fmt::Bold | Fmt::Italic) {
                unclosed.push(at);
            }
        }
        unclosed
    }

    fn take(&mut self) -> (Vec<Inline>, Vec<usize>) {
        let unclosed = self.close_all();
        (std::mem::take(&mut self.root), unclosed)
    }

    /// The scratch buffer, for the next builder.
    fn into_buffer(self) -> String {
        self.text
    }
}

fn is_empty_inline(inline: &Inline) -> bool {
    match inline {
        Inline::Strong { inlines }
        | Inline::Emphasis { inlines }
        | Inline::Superscript { inlines }
        | Inline::Subscript { inlines } => inlines.iter().all(is_empty_inline),
        Inline::Text { text } => text.is_empty(),
        _ => false,
    }
}

/// Collects blocks and the paragraph being built.
#[derive(Debug, Default)]
struct BlockSink {
    blocks: Vec<Block>,
    para: Vec<Inline>,
}

impl BlockSink {
    /// Appends one line's inlines to the paragraph, joining lines as a browser would show them
    /// (no space between CJK characters).
    fn add_line(&mut self, mut inlines: Vec<Inline>) {
        // Lists from `line_inlines` are merged already; `flush` merges across lines.
        trim_inlines(&mut inlines);
        if inlines.is_empty() {
            return;
        }
        if let (Some(prev), Some(next)) = (last_char(&self.para), first_char(&inlines))
            && prev.is_ascii()
            && next.is_ascii()
            && !prev.is_ascii_whitespace()
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

    fn flush(&mut self) {
        let mut para = std::mem::take(&mut self.para);
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

    fn block(&mut self, block: Block) {
        self.flush();
        self.blocks.push(block);
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.blocks
    }
}

fn last_char(inlines: &[Inline]) -> Option<char> {
    match inlines.last()? {
        Inline::Text { text } => text.chars().next_back(),
        Inline::Link { inlines, .. }
        | Inline::Strong { inlines }
        | Inline::Emphasis { inlines } => last_char(inlines),
        _ => None,
    }
}

fn first_char(inlines: &[Inline]) -> Option<char> {
    match inlines.first()? {
        Inline::Text { text } => text.chars().next(),
        Inline::Link { inlines, .. }
        | Inline::Strong { inlines }
        | Inline::Emphasis { inlines } => first_char(inlines),
        _ => None,
    }
}

/// Merges adjacent text nodes and drops empty ones, in place. Lists inside nodes were merged
/// when they were built.
fn merge_text(inlines: &mut Vec<Inline>) {
    let mut write = 0;
    for read in 0..inlines.len() {
        if let Inline::Text { text } = &inlines[read] {
            if text.is_empty() {
                continue;
            }
            if write > 0
                && let Inline::Text { .. } = &inlines[write - 1]
            {
                let text = std::mem::take(match &mut inlines[read] {
                    Inline::Text { text } => text,
                    _ => unreachable!("checked above"),
                });
                if let Inline::Text { text: prev } = &mut inlines[write - 1] {
                    prev.push_str(&text);
                }
                continue;
            }
        }
        if read != write {
            inlines.swap(read, write);
        }
        write += 1;
    }
    inlines.truncate(write);
}

/// Trims white space at both ends of a list of inlines.
fn trim_inlines(inlines: &mut Vec<Inline>) {
    while let Some(Inline::Text { text }) = inlines.first_mut() {
        let trimmed = text.trim_start();
        if trimmed.is_empty() {
            inlines.remove(0);
        } else {
            let cut = text.len() - trimmed.len();
            if cut > 0 {
                // In place: no new string for a few leading spaces.
                text.drain(..cut);
            }
            break;
        }
    }
    while let Some(Inline::Text { text }) = inlines.last_mut() {
        let trimmed = text.trim_end();
        if trimmed.is_empty() {
            inlines.pop();
        } else {
            text.truncate(trimmed.len());
            break;
        }
    }
}

/// Visible text of inlines, with conversion markup shown as its protected or first variant text.
/// [`plain`] without white space at its ends, trimmed in place rather than copied.
fn trimmed_plain(inlines: &[Inline]) -> String {
    let mut text = plain(inlines);
    text.truncate(text.trim_end().len());
    let leading = text.len() - text.trim_start().len();
    text.drain(..leading);
    text
}

fn plain(inlines: &[Inline]) -> String {
    fn walk(inlines: &[Inline], out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Text { text } | Inline::Code { text } => out.push_str(text),
                Inline::Math { tex } => out.push_str(tex),
                Inline::LineBreak => out.push(' '),
                Inline::Cite { .. } => {}
                Inline::Conversion { rule } => {
                    if let Some(text) = &rule.text {
                        out.push_str(text);
                    } else if let Some(v) = rule.variants.first() {
                        out.push_str(&v.text);
                    }
                }
                Inline::Link { inlines, .. }
                | Inline::Strong { inlines }
                | Inline::Emphasis { inlines }
                | Inline::Superscript { inlines }
                | Inline::Subscript { inlines } => walk(inlines, out),
            }
        }
    }
    let mut out = String::new();
    walk(inlines, &mut out);
    out
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
        let (ch, items) = self.levels.pop()?;
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
    fn flush(&mut self) -> Option<Block> {
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

/// A table being built.
#[derive(Debug)]
struct TableBuilder {
    at: usize,
    caption: Vec<Inline>,
    rows: Vec<TableRow>,
    row: Vec<TableCell>,
    cell: Option<TableCell>,
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

    fn finish(mut self) -> Block {
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
fn table_as_inlines(table: Block) -> Vec<Inline> {
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

/// A template argument: its name (`1`, `2`, … for positional ones) and its value's range.
/// Names are borrowed from the source (or static for the first positions), so that reading a
/// template allocates no key.
type Arg<'s> = (std::borrow::Cow<'s, str>, (usize, usize));

/// Names of the first positional parameters.
const POSITIONS: [&str; 20] = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17",
    "18", "19", "20",
];

struct Reader<'a> {
    original: &'a str,
    src: &'a str,
    bytes: &'a [u8],
    stripped: &'a Stripped<'a>,
    st: &'a Structure,
    index: Lines<'a>,
    diagnostics: Vec<Diagnostic>,
    references: Vec<RawReference>,
    /// References by name, then by group: looked up by `&str` without building a key.
    ref_by_name: HashMap<String, Vec<(Option<String>, usize)>>,
    /// Offsets of `<ref` tags already read, so that no reference is read twice.
    refs_read: scan::OffsetSet,
    /// Templates collected inside the reference being read (innermost last).
    ref_templates: Vec<Vec<Template>>,
    categories: Vec<String>,
    interlanguage: Vec<InterlanguageLink>,
    infobox: Option<Infobox>,
    conversion: zhnorm_doc::Conversion,
    /// Unmatched `]]` taken as the end of a broken image caption.
    consumed: scan::OffsetSet,
    /// Memo of `]`-or-newline searches for external links.
    bracket_memo: (usize, usize),
    close_memo: HashMap<&'static str, scan::CloseSearch>,
    repairs: std::collections::BTreeMap<String, u32>,
    /// Conversion rules whose variant text holds bold text, with that text (for the title).
    bold_in_conversion: Vec<(ConversionRule, String)>,
    /// The last location computed, for [`Reader::location`].
    last_location: (usize, zhnorm_doc::Location),
    /// The text buffer of the last inline builder, handed to the next one.
    spare_text: String,
}

impl<'a> Reader<'a> {
    fn new(original: &'a str, stripped: &'a Stripped<'a>, st: &'a Structure) -> Self {
        Reader {
            original,
            src: &stripped.text,
            bytes: stripped.text.as_bytes(),
            stripped,
            st,
            index: Lines::new(original),
            diagnostics: Vec::new(),
            references: Vec::new(),
            ref_by_name: HashMap::new(),
            refs_read: Default::default(),
            ref_templates: Vec::new(),
            categories: Vec::new(),
            interlanguage: Vec::new(),
            infobox: None,
            conversion: Default::default(),
            consumed: Default::default(),
            bracket_memo: (usize::MAX, 0),
            close_memo: HashMap::new(),
            repairs: Default::default(),
            last_location: (0, zhnorm_doc::Location { line: 0, column: 0 }),
            bold_in_conversion: Vec::new(),
            spare_text: String::new(),
        }
    }

    /// The line and column of `offset` (in the comment-stripped text). Locations are mostly
    /// asked for in increasing order, so the column is counted on from the previous answer when
    /// it is on the same line: a long line with many references stays linear.
    fn location(&mut self, offset: usize) -> zhnorm_doc::Location {
        let at = self.stripped.original(offset);
        let (last_at, last) = self.last_location;
        if at >= last_at
            && last.line > 0
            && let Some(between) = self.original.get(last_at..at)
            && !between.contains('\n')
        {
            let column = last.column + u32::try_from(between.chars().count()).unwrap_or(0);
            let location = zhnorm_doc::Location {
                line: last.line,
                column,
            };
            self.last_location = (at, location);
            return location;
        }
        let location = self.index.location(at);
        self.last_location = (at, location);
        location
    }

    fn diagnose(&mut self, code: &codes::Code, message: String, offset: usize) {
        let location = self.location(offset);
        self.diagnostics
            .push(Diagnostic::new(code, message).at(location));
    }

    fn finish(mut self, blocks: Vec<Block>, source: Source) -> Parsed {
        let st = self.st;
        for &(at, kind) in &st.unmatched {
            if self.consumed.contains(&at) {
                continue;
            }
            let (code, message) = match kind {
                Unmatched::Opener(Bracket::Link) => (
                    &codes::UNBALANCED_LINK_BRACKETS,
                    "`[[` without `]]`, dropped".to_owned(),
                ),
                Unmatched::Closer(Bracket::Link) => (
                    &codes::UNBALANCED_LINK_BRACKETS,
                    "`]]` without `[[`, dropped".to_owned(),
                ),
                Unmatched::Opener(Bracket::Template) => (
                    &codes::UNBALANCED_TEMPLATE_BRACES,
                    "`{{` without `}}`, dropped".to_owned(),
                ),
                Unmatched::Closer(Bracket::Template) => (
                    &codes::UNBALANCED_TEMPLATE_BRACES,
                    "`}}` without `{{`, dropped".to_owned(),
                ),
                Unmatched::Opener(Bracket::Conversion) => (
                    &codes::UNCLOSED_CONVERSION,
                    "`-{` without `}-`, dropped".to_owned(),
                ),
                Unmatched::Closer(Bracket::Conversion) => (
                    &codes::UNCLOSED_CONVERSION,
                    "`}-` without `-{`, dropped".to_owned(),
                ),
                Unmatched::Tag("ref") => (
                    &codes::UNCLOSED_REF,
                    "`<ref>` without `</ref>`; the reference ends at the end of its line"
                        .to_owned(),
                ),
                Unmatched::Tag(name) => (
                    &codes::UNCLOSED_TAG,
                    format!("`<{name}>` without `</{name}>`; tag dropped"),
                ),
            };
            let location = self.location(at);
            self.diagnostics
                .push(Diagnostic::new(code, message).at(location));
        }
        for &at in &self.stripped.unclosed_comments {
            let location = self.index.location(at);
            self.diagnostics.push(
                Diagnostic::new(
                    &codes::UNCLOSED_COMMENT,
                    "`<!--` without `-->` hides the rest of the text",
                )
                .at(location),
            );
        }
        self.diagnostics
            .sort_by(|a, b| (a.line, a.column, &a.code).cmp(&(b.line, b.column, &b.code)));
        self.diagnostics.dedup();

        let mut blocks = blocks;
        let mut scrubbed = scrub_residue(&mut blocks);
        for reference in &mut self.references {
            let mut wrapper = vec![Block::Paragraph {
                inlines: std::mem::take(&mut reference.inlines),
            }];
            scrubbed += scrub_residue(&mut wrapper);
            if let Some(Block::Paragraph { inlines }) = wrapper.pop() {
                reference.inlines = inlines;
            }
        }
        if scrubbed > 0 {
            self.repairs
                .insert("markup_residue_removed".to_owned(), scrubbed);
        }
        let mut document = Document::new(source);
        document.title = lead_title(&blocks, &self.bold_in_conversion);
        document.blocks = blocks;
        document.categories = self.categories;
        document.infobox = self.infobox;
        document.interlanguage = self.interlanguage;
        document.conversion = self.conversion;
        document.repairs = self.repairs;
        document.diagnostics = self.diagnostics;
        Parsed {
            document,
            raw_references: self.references,
        }
    }

    // ----- Scanning helpers -----

    /// The end of the construct opened at `at`, if `at` opens one that ends by `limit`.
    fn construct_end(&self, at: usize, limit: usize) -> Option<usize> {
        let b = self.bytes[at];
        let next = self.bytes.get(at + 1).copied();
        let end = match (b, next) {
            (b'[', Some(b'[')) | (b'{', Some(b'{')) | (b'-', Some(b'{')) => {
                self.st.pairs.get(&at).map(|&c| c + 2)
            }
            (b'<', _) => self.st.tags.get(&at).map(|t| t.end),
            _ => None,
        }?;
        (end <= limit).then_some(end)
    }

    /// The first offset of `sep` in `start..end` outside nested constructs.
    fn first_top_level(&self, start: usize, end: usize, sep: u8) -> Option<usize> {
        let mut i = start;
        while i < end {
            i = self.next_sep_or_opener(i, end, sep);
            if i >= end {
                break;
            }
            if self.bytes[i] == sep {
                return Some(i);
            }
            match self.construct_end(i, end) {
                Some(e) => i = e,
                None => i += 1,
            }
        }
        None
    }

    /// The offset of the next `sep` or [`OPENERS`] byte in `from..end`, or `end`. `|` (link and
    /// template separators, the common case) is searched sixteen bytes at a time.
    fn next_sep_or_opener(&self, from: usize, end: usize, sep: u8) -> usize {
        const BAR_OR_OPENER: ByteSet<5> = ByteSet::new(*b"|[{-<");
        if sep == b'|' {
            return scan::next_marked(self.bytes, from, end, &BAR_OR_OPENER);
        }
        self.bytes[from..end]
            .iter()
            .position(|&b| b == sep || OPENERS[b as usize])
            .map_or(end, |p| from + p)
    }

    /// Offsets of `sep` in `start..end` outside nested constructs.
    fn top_level(&self, start: usize, end: usize, sep: &[u8]) -> Vec<usize> {
        let mut found = Vec::new();
        let mut i = start;
        while i < end {
            i = self.next_sep_or_opener(i, end, sep[0]);
            if i >= end {
                break;
            }
            let b = self.bytes[i];
            if OPENERS[b as usize]
                && let Some(e) = self.construct_end(i, end)
            {
                i = e;
                continue;
            }
            if b == sep[0] && self.bytes[i..end].starts_with(sep) {
                found.push(i);
                i += sep.len();
                continue;
            }
            i += 1;
        }
        found
    }

    /// The end of the logical line starting at `pos`: the next newline outside constructs.
    fn line_end(&self, pos: usize, end: usize) -> usize {
        let mut i = pos;
        while i < end {
            i = scan::next_marked(self.bytes, i, end, &LINE_SPECIAL);
            if i >= end {
                break;
            }
            let b = self.bytes[i];
            if b == b'\n' {
                return i;
            }
            match self.construct_end(i, end) {
                Some(e) => i = e,
                None => i += 1,
            }
        }
        end
    }

    fn trim(&self, mut start: usize, mut end: usize) -> (usize, usize) {
        while start < end && is_ws(self.bytes[start]) {
            start += 1;
        }
        while end > start && is_ws(self.bytes[end - 1]) {
            end -= 1;
        }
        (start, end)
    }

    fn close_tag(
        &mut self,
        name: &'static str,
        from: usize,
        limit: usize,
    ) -> Option<(usize, usize)> {
        if let Some(&(s, l, result)) = self.close_memo.get(name)
            && from >= s
            && l == limit
        {
            match result {
                None => return None,
                Some((at, e)) if at >= from => return Some((at, e)),
                _ => {}
            }
        }
        let result = find_close(self.bytes, name, from, limit);
        self.close_memo.insert(name, (from, limit, result));
        result
    }

    // ----- Blocks -----

    fn blocks(&mut self, start: usize, end: usize, depth: u32) -> Vec<Block> {
        let mut sink = BlockSink::default();
        let mut lists = ListBuilder::default();
        let mut tables: Vec<TableBuilder> = Vec::new();
        let ctx = Ctx {
            depth,
            in_link: false,
            in_ref: false,
        };
        let mut pos = start;
        while pos < end {
            if tables.is_empty() {
                let ts = pos
                    + self.bytes[pos..end]
                        .iter()
                        .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\r'))
                        .count();
                if self.is_paragraph_line(ts, end) {
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
            let indent = line.iter().take_while(|&&b| b == b':').count();
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
                b'*' | b'#' | b':' | b';' => {
                    sink.flush();
                    let prefix_len = line
                        .iter()
                        .take_while(|b| matches!(b, b'*' | b'#' | b':' | b';'))
                        .count();
                    let prefix = line[..prefix_len].to_vec();
                    let content = ts + prefix_len;
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

    /// The `:` that ends the term of `;term:definition`, outside constructs and URLs.
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
            Some(b'<') => !line
                .get(..11)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"<blockquote")),
            Some(_) => true,
        }
    }

    fn term_colon(&self, start: usize, end: usize) -> Option<usize> {
        self.top_level(start, end, b":")
            .into_iter()
            .find(|&c| !self.bytes[c..end].starts_with(b"://"))
    }

    fn item_blocks(&mut self, start: usize, end: usize, ctx: Ctx) -> Vec<Block> {
        let mut sink = BlockSink::default();
        let inlines = self.line_inlines(start, end, ctx, Some(&mut sink));
        sink.add_line(inlines);
        sink.finish()
    }

    fn heading(&mut self, ts: usize, te: usize, ctx: Ctx) -> Option<Block> {
        let line = &self.bytes[ts..te];
        let lead = line.iter().take_while(|&&b| b == b'=').count();
        if lead == line.len() {
            return None;
        }
        let trail = line.iter().rev().take_while(|&&b| b == b'=').count();
        let level = if trail == 0 {
            self.diagnose(
                &codes::UNCLOSED_HEADING,
                format!("heading opened with {lead} `=` and never closed"),
                ts,
            );
            lead
        } else {
            if lead != trail {
                self.diagnose(
                    &codes::UNCLOSED_HEADING,
                    format!("heading opened with {lead} `=` but closed with {trail}"),
                    ts,
                );
            }
            lead.min(trail)
        };
        let level = level.clamp(2, 6) as u8;
        let mut inlines = self.line_inlines(ts + lead, te - trail, ctx, None);
        trim_inlines(&mut inlines);
        Some(Block::Heading { level, inlines })
    }

    fn table_line(
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
                table.caption.extend(caption);
            }
            return;
        }
        if line[0] == b'|' || line[0] == b'!' {
            let header = line[0] == b'!';
            table.end_cell();
            let start = ts + 1;
            let mut bounds = vec![(start, 0usize)];
            let mut seps = self.top_level(start, te, b"||");
            if header {
                seps.extend(self.top_level(start, te, b"!!"));
                seps.sort_unstable();
            }
            for s in seps {
                bounds.push((s + 2, s));
            }
            for (k, &(cell_start, _)) in bounds.iter().enumerate() {
                let cell_end = bounds.get(k + 1).map_or(te, |&(_, sep)| sep);
                let inlines = self.cell_inlines(cell_start, cell_end, ctx);
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

    /// A cell's content: attributes before a single top-level `|` are dropped.
    fn cell_inlines(&mut self, start: usize, end: usize, ctx: Ctx) -> Vec<Inline> {
        let content = match self.top_level(start, end, b"|").first() {
            Some(&bar) if !self.bytes[start..bar].contains(&b'\n') => bar + 1,
            _ => start,
        };
        let mut inlines = self.line_inlines(content, end, ctx, None);
        trim_inlines(&mut inlines);
        inlines
    }

    // ----- Inlines -----

    /// Reads `start..end` as inlines. With a sink, images and code blocks become blocks.
    fn line_inlines(
        &mut self,
        start: usize,
        end: usize,
        ctx: Ctx,
        sink: Option<&mut BlockSink>,
    ) -> Vec<Inline> {
        self.line_inlines_until(start, end, ctx, sink, false).0
    }

    /// The inlines of the paragraph line starting at `start`, read up to the first newline
    /// outside constructs, and that newline's offset (or `end`). Finding the line's end while
    /// reading it saves a pass over every paragraph byte.
    fn paragraph_line(
        &mut self,
        start: usize,
        end: usize,
        ctx: Ctx,
        sink: &mut BlockSink,
    ) -> (Vec<Inline>, usize) {
        self.line_inlines_until(start, end, ctx, Some(sink), true)
    }

    fn line_inlines_until(
        &mut self,
        start: usize,
        end: usize,
        ctx: Ctx,
        mut sink: Option<&mut BlockSink>,
        stop_at_newline: bool,
    ) -> (Vec<Inline>, usize) {
        let mut out = Inl::with_buffer(std::mem::take(&mut self.spare_text));
        let stop = self.inlines(start, end, ctx, &mut out, &mut sink, stop_at_newline);
        let (mut inlines, unclosed) = out.take();
        self.spare_text = out.into_buffer();
        for at in unclosed {
            self.diagnose(
                &codes::UNBALANCED_QUOTES,
                "`''` or `'''` not closed on its line".to_owned(),
                at,
            );
        }
        merge_text(&mut inlines);
        (inlines, stop)
    }

    /// Moves what `out` holds into the sink's paragraph so that a block can follow it.
    fn hand_over(out: &mut Inl, sink: &mut BlockSink) {
        let (inlines, _) = out.take();
        sink.add_line(inlines);
    }

    /// Reads `start..end` into `out`; returns where it stopped: `end`, or with `stop_at_newline`
    /// the first newline outside constructs (the same newline [`Reader::line_end`] finds).
    fn inlines(
        &mut self,
        start: usize,
        end: usize,
        ctx: Ctx,
        out: &mut Inl,
        sink: &mut Option<&mut BlockSink>,
        stop_at_newline: bool,
    ) -> usize {
        let bytes = self.bytes;
        let mut i = start;
        let mut run = start;
        // With `stop_at_newline`: newlines before this offset are inside an extension tag, which
        // ends the line only after its closing tag even where its content is read as text.
        let mut in_tag_until = start;
        macro_rules! flush_run {
            () => {
                if run < i {
                    out.push_str(&self.src[run..i]);
                }
            };
        }
        while i < end {
            // A tight scan to the next byte that may start markup.
            i = scan::next_marked(bytes, i, end, &INLINE_SPECIAL);
            if i >= end {
                break;
            }
            let b = bytes[i];
            let next = bytes.get(i + 1).copied().filter(|_| i + 1 < end);
            match (b, next) {
                (b'[', Some(b'[')) => {
                    flush_run!();
                    match self.construct_end(i, end) {
                        Some(e) => {
                            i = self.link(i, e - 2, end, ctx, out, sink);
                        }
                        // `[[[x]]]`: the first bracket is text, the link starts at the second.
                        None if bytes.get(i + 2) == Some(&b'[') => {
                            out.push_str("[");
                            i += 1;
                        }
                        None => i += 2,
                    }
                    run = i;
                }
                (b'[', _) => {
                    if let Some(e) = self.external_link(i, end, ctx, out, run) {
                        i = e;
                        run = i;
                    } else {
                        i += 1;
                    }
                }
                (b']', Some(b']')) | (b'}', Some(b'}' | b'-')) => {
                    // Unmatched closers (matched ones are jumped over with their opener).
                    flush_run!();
                    i += 2;
                    run = i;
                }
                (b'{', Some(b'{')) | (b'-', Some(b'{')) => {
                    flush_run!();
                    match self.construct_end(i, end) {
                        Some(e) if ctx.depth < MAX_DEPTH => {
                            if b == b'{' {
                                self.template(i, e - 2, ctx, out, sink);
                            } else {
                                self.conversion(i + 2, e - 2, ctx, out);
                            }
                            i = e;
                        }
                        Some(e) => i = e,
                        None => i += 2,
                    }
                    run = i;
                }
                (b'\'', Some(b'\'')) => {
                    flush_run!();
                    let len = bytes[i..end].iter().take_while(|&&c| c == b'\'').count();
                    let (literal, kind) = match len {
                        2 => (0, 2),
                        3 => (0, 3),
                        4 => (1, 3),
                        _ => (len - 5, 5),
                    };
                    for _ in 0..literal {
                        out.push_str("'");
                    }
                    let at = i + literal;
                    match kind {
                        2 => toggle(out, Fmt::Italic, at),
                        3 => toggle(out, Fmt::Bold, at),
                        _ => {
                            let italic_inside =
                                out.frames.iter().rposition(|f| f.kind == Fmt::Italic)
                                    > out.frames.iter().rposition(|f| f.kind == Fmt::Bold);
                            if italic_inside {
                                toggle(out, Fmt::Italic, at);
                                toggle(out, Fmt::Bold, at);
                            } else {
                                toggle(out, Fmt::Bold, at);
                                toggle(out, Fmt::Italic, at);
                            }
                        }
                    }
                    i += len;
                    run = i;
                }
                (b'<', _) => {
                    flush_run!();
                    if stop_at_newline && let Some(span) = self.st.tags.get(&i) {
                        in_tag_until = in_tag_until.max(span.end);
                    }
                    match self.tag(i, end, ctx, out, sink) {
                        Some(e) => {
                            i = e;
                            run = i;
                        }
                        None => {
                            run = i;
                            i += 1;
                        }
                    }
                }
                (b'&', _) => {
                    if let Some((decoded, len)) = decode_entity(&bytes[i..end]) {
                        flush_run!();
                        out.push_str(decoded.encode_utf8(&mut [0; 4]));
                        i += len;
                        run = i;
                    } else {
                        i += 1;
                    }
                }
                (b'_', Some(b'_')) => {
                    let word = bytes[i + 2..end]
                        .iter()
                        .take_while(|c| c.is_ascii_uppercase())
                        .count();
                    if word > 0 && bytes[i + 2 + word..end].starts_with(b"__") {
                        flush_run!();
                        i += word + 4;
                        run = i;
                    } else {
                        i += 2;
                    }
                }
                (b':', Some(b'/')) => {
                    if let Some(scheme_start) = url_scheme_before(bytes, run, i)
                        && bytes[i..end].starts_with(b"://")
                    {
                        let url_end = bare_url_end(bytes, i + 3, end);
                        if url_end > i + 3 {
                            if run < scheme_start {
                                out.push_str(&self.src[run..scheme_start]);
                            }
                            let url = &self.src[scheme_start..url_end];
                            if ctx.in_link {
                                out.push_str(url);
                            } else {
                                out.push(Inline::Link {
                                    kind: LinkKind::External,
                                    target: url.to_owned(),
                                    inlines: vec![Inline::text(url)],
                                });
                            }
                            i = url_end;
                            run = i;
                            continue;
                        }
                    }
                    i += 1;
                }
                (b'\n', _) if stop_at_newline && i >= in_tag_until => {
                    flush_run!();
                    return i;
                }
                (b'\n', _) => {
                    // A line break inside multi-line content: formatting ends with the line.
                    flush_run!();
                    for frame in [Fmt::Italic, Fmt::Bold] {
                        out.close(frame);
                    }
                    let prev = self.src[..i].chars().next_back();
                    let after = self.src[i + 1..].chars().next();
                    if prev.is_some_and(|c| c.is_ascii() && !c.is_ascii_whitespace())
                        && after.is_some_and(|c| c.is_ascii())
                    {
                        out.push_str(" ");
                    }
                    i += 1;
                    run = i;
                }
                _ => i += 1,
            }
        }
        if run < end {
            out.push_str(&self.src[run..end]);
        }
        end
    }

    /// Reads the range as inlines in a fresh builder (formatting does not leak out of it).
    fn sub_inlines(&mut self, start: usize, end: usize, ctx: Ctx) -> Vec<Inline> {
        let (s, e) = self.trim(start, end);
        if ctx.depth >= MAX_DEPTH || s == e {
            return Vec::new();
        }
        if self.is_plain(s, e) {
            return vec![Inline::text(&self.src[s..e])];
        }
        self.line_inlines(s, e, ctx.deeper(), None)
    }

    /// [`Reader::sub_inlines`] appended to `out`: plain text (the common case) is copied
    /// straight into the builder's text instead of going through a one-node list.
    fn sub_inlines_into(&mut self, start: usize, end: usize, ctx: Ctx, out: &mut Inl) {
        let (s, e) = self.trim(start, end);
        if ctx.depth >= MAX_DEPTH || s == e {
            return;
        }
        if self.is_plain(s, e) {
            out.push_str(&self.src[s..e]);
            return;
        }
        let inlines = self.line_inlines(s, e, ctx.deeper(), None);
        out.extend(inlines);
    }

    /// True when `start..end` holds no markup at all (the common case of link texts and
    /// template parameters), so that it can be taken as it is.
    fn is_plain(&self, start: usize, end: usize) -> bool {
        let mut i = start;
        loop {
            i = scan::next_marked(self.bytes, i, end, &MARKUP);
            if i >= end {
                return true;
            }
            // A `-` is markup only as the start of `-{` within the range.
            if self.bytes.get(i) != Some(&b'-') || (i + 1 < end && self.bytes[i + 1] == b'{') {
                return false;
            }
            i += 1;
        }
    }

    fn plain_text(&mut self, start: usize, end: usize, ctx: Ctx) -> String {
        let (s, e) = self.trim(start, end);
        if self.is_plain(s, e) {
            return self.src[s..e].to_owned();
        }
        let inlines = self.sub_inlines(start, end, ctx);
        trimmed_plain(&inlines)
    }

    // ----- Links -----

    /// Reads `[[…]]` at `open` whose `]]` is at `close`; returns where to continue.
    fn link(
        &mut self,
        open: usize,
        close: usize,
        limit: usize,
        ctx: Ctx,
        out: &mut Inl,
        sink: &mut Option<&mut BlockSink>,
    ) -> usize {
        let after = close + 2;
        if ctx.depth >= MAX_DEPTH {
            return after;
        }
        let inner = (open + 2, close);
        let bar = self.first_top_level(inner.0, inner.1, b'|');
        let target_end = bar.unwrap_or(inner.1);
        let raw_target = self.src[inner.0..target_end].trim();
        if raw_target.contains(['<', '>', '[', ']', '{', '}', '\n']) {
            // Not a valid title: MediaWiki shows the brackets as text; zhnorm drops them
            // (the matching pass reported nothing, so say so here) and reads what is inside.
            self.diagnose(
                &codes::UNBALANCED_LINK_BRACKETS,
                "`[[…]]` around something that is not a page title; brackets dropped".to_owned(),
                open,
            );
            self.sub_inlines_into(inner.0, inner.1, ctx, out);
            return after;
        }
        let colon_link = raw_target.starts_with(':');
        let target = raw_target.trim_start_matches(':').trim();
        if !colon_link && let Some((ns, rest)) = target.split_once([':', '：']) {
            let ns_lower = ns.trim().to_lowercase();
            if FILE_NAMESPACES.contains(&ns_lower.as_str()) {
                return self.figure(open, close, rest.trim(), limit, ctx, out, sink);
            }
            if CATEGORY_NAMESPACES.contains(&ns_lower.as_str()) {
                let name = rest.trim().replace('_', " ");
                if !name.is_empty() && !self.categories.contains(&name) {
                    self.categories.push(name);
                }
                return after;
            }
            if INTERLANGUAGE.contains(&ns.trim()) && !rest.trim().is_empty() {
                self.interlanguage.push(InterlanguageLink {
                    lang: ns.trim().to_owned(),
                    target: rest.trim().replace('_', " "),
                });
                return after;
            }
        }
        let target = if target.contains('_') {
            target.replace('_', " ")
        } else {
            target.to_owned()
        };
        let inlines = match bar {
            Some(bar) => {
                let (ts, te) = self.trim(bar + 1, close);
                if ts == te {
                    // The pipe trick: `[[巴库 (城市)|]]` shows `巴库`.
                    let shown = target.rsplit_once(':').map_or(target.as_str(), |(_, t)| t);
                    let shown = shown.split(" (").next().unwrap_or(shown).trim();
                    vec![Inline::text(shown)]
                } else {
                    self.sub_inlines(
                        ts,
                        te,
                        Ctx {
                            in_link: true,
                            ..ctx
                        },
                    )
                }
            }
            None => vec![Inline::text(raw_target.trim_start_matches(':').trim())],
        };
        if ctx.in_link || target.is_empty() {
            out.extend(inlines);
        } else {
            out.push(Inline::Link {
                kind: LinkKind::Wiki,
                target,
                inlines,
            });
        }
        after
    }

    #[allow(clippy::too_many_arguments)]
    fn figure(
        &mut self,
        open: usize,
        close: usize,
        file: &str,
        limit: usize,
        ctx: Ctx,
        out: &mut Inl,
        sink: &mut Option<&mut BlockSink>,
    ) -> usize {
        let mut after = close + 2;
        let target = file.replace('_', " ");
        let bars = self.top_level(open + 2, close, b"|");
        let mut alt = None;
        let mut caption_range = None;
        for (k, &bar) in bars.iter().enumerate() {
            let end = bars.get(k + 1).copied().unwrap_or(close);
            let (s, e) = self.trim(bar + 1, end);
            let option = &self.src[s..e];
            let lower = option.to_lowercase();
            if is_image_option(&lower) {
                continue;
            }
            if let Some((key, value)) = lower.split_once('=')
                && IMAGE_KEYS.contains(&key.trim())
            {
                if key.trim() == "alt" || key.trim().starts_with("替代") {
                    let value_start = s + option.find('=').map_or(0, |p| p + 1);
                    let _ = value;
                    alt = Some(self.plain_text(value_start, e, ctx));
                }
                continue;
            }
            caption_range = Some((s, e));
        }
        let Some(sink) = sink.as_deref_mut() else {
            // Images inside links, cells or references show no text of their own.
            return after;
        };
        // An image in running text without `thumb`/`frame` is an icon, not a figure.
        let framed = bars.iter().enumerate().any(|(k, &bar)| {
            let end = bars.get(k + 1).copied().unwrap_or(close);
            let option = self.src[bar + 1..end].trim().to_lowercase();
            FRAME_KEYWORDS.contains(&option.as_str())
        });
        if !framed && !out.is_blank() {
            return after;
        }
        let mut caption = match caption_range {
            Some((s, e)) => self.sub_inlines(
                s,
                e,
                Ctx {
                    in_link: false,
                    ..ctx
                },
            ),
            None => Vec::new(),
        };
        if caption.is_empty() {
            // An export may have cut the caption out of the link, leaving a stray `]]` after it.
            let line_end =
                memchr::memchr(b'\n', &self.bytes[after..limit]).map_or(limit, |p| after + p);
            let first = self.st.unmatched.partition_point(|&(at, _)| at < after);
            if let Some(&(stray, Unmatched::Closer(Bracket::Link))) = self.st.unmatched.get(first)
                && stray < line_end
                && stray > after
            {
                caption = self.sub_inlines(after, stray, ctx);
                self.consumed.insert(stray);
                self.diagnose(
                    &codes::BROKEN_IMAGE_CAPTION,
                    "image caption cut off by a stray `]]`; read as the caption".to_owned(),
                    stray,
                );
                *self
                    .repairs
                    .entry("broken_image_caption".to_owned())
                    .or_default() += 1;
                after = stray + 2;
            }
        }
        Self::hand_over(out, sink);
        sink.block(Block::Figure {
            target,
            caption,
            alt: alt.filter(|a| !a.is_empty()),
        });
        after
    }

    /// Reads `[url text]` at `at`; returns where to continue, or `None` when it is not one.
    fn external_link(
        &mut self,
        at: usize,
        end: usize,
        ctx: Ctx,
        out: &mut Inl,
        run: usize,
    ) -> Option<usize> {
        let bytes = self.bytes;
        let url_start = at + 1;
        if !has_url_scheme(&bytes[url_start..end]) {
            return None;
        }
        let url_end = url_start
            + bytes[url_start..end]
                .iter()
                .position(|&b| matches!(b, b' ' | b'\t' | b'\n' | b']' | b'<' | b'"' | b'['))
                .unwrap_or(end - url_start);
        // The first `]` or newline after the URL (remembered, so that many `[http` stay linear).
        let close = if self.bracket_memo.0 <= url_end && url_end <= self.bracket_memo.1 {
            self.bracket_memo.1
        } else {
            let found =
                memchr::memchr2(b']', b'\n', &bytes[url_end..end]).map_or(end, |p| url_end + p);
            self.bracket_memo = (url_end, found);
            found
        };
        if close >= end || bytes[close] != b']' {
            return None;
        }
        if run < at {
            out.push_str(&self.src[run..at]);
        }
        let url = self.src[url_start..url_end].to_owned();
        let inlines = if ctx.depth < MAX_DEPTH {
            self.sub_inlines(
                url_end,
                close,
                Ctx {
                    in_link: true,
                    ..ctx
                },
            )
        } else {
            Vec::new()
        };
        if ctx.in_link {
            out.extend(inlines);
        } else {
            out.push(Inline::Link {
                kind: LinkKind::External,
                target: url,
                inlines,
            });
        }
        Some(close + 1)
    }

    // ----- Conversion markup -----

    fn raw_rule(&self, start: usize, end: usize) -> RawRule {
        conversion::parse_rule(
            self.bytes,
            start,
            end,
            &|s, e, sep| self.top_level(s, e, &[sep]),
            &|s, e, sep| self.first_top_level(s, e, sep),
        )
    }

    fn rule(&mut self, raw: RawRule, ctx: Ctx) -> ConversionRule {
        let text = raw.text.map(|(s, e)| self.plain_text(s, e, ctx));
        let variants = raw
            .variants
            .into_iter()
            .map(|v| {
                let (s, e) = self.trim(v.text.0, v.text.1);
                // Plain variant text (the common case) is its own visible text and holds no bold.
                let (text, bold) = if ctx.depth < MAX_DEPTH && s < e && self.is_plain(s, e) {
                    (self.src[s..e].trim().to_owned(), None)
                } else {
                    let inlines = self.sub_inlines(v.text.0, v.text.1, ctx);
                    (trimmed_plain(&inlines), first_bold(&inlines))
                };
                let variant = VariantText {
                    variant: v.variant,
                    text,
                    from: v.from.map(|(s, e)| self.plain_text(s, e, ctx)),
                };
                (variant, bold)
            })
            .collect::<Vec<_>>();
        // A lead written inside conversion markup (`-{zh-hans:'''甲'''…;zh-hant:…}-`) has its
        // bold term there: remember it for the title.
        let bold = variants.iter().find_map(|(_, bold)| bold.clone());
        let rule = ConversionRule {
            flags: raw.flags,
            text,
            variants: variants.into_iter().map(|(v, _)| v).collect(),
        };
        if let Some(bold) = bold
            && self.bold_in_conversion.len() < 4
        {
            self.bold_in_conversion.push((rule.clone(), bold));
        }
        rule
    }

    fn conversion(&mut self, start: usize, end: usize, ctx: Ctx, out: &mut Inl) {
        let raw = self.raw_rule(start, end);
        let rule = self.rule(raw, ctx);
        let flags = rule.flags.to_ascii_uppercase();
        let has = |f: char| {
            flags
                .split(';')
                .any(|x| x.trim().len() == 1 && x.trim().starts_with(f))
        };
        if has('H') || has('T') || has('-') {
            // Page rules, the title rule and rule removals show nothing where they stand.
            self.conversion.rules.push(rule);
            return;
        }
        if has('A') {
            self.conversion.rules.push(rule.clone());
        }
        if rule.text.is_some() || !rule.variants.is_empty() {
            out.push(Inline::Conversion { rule });
        }
    }

    // ----- Templates -----

    /// Splits a template's inside into its name range and its arguments (name, value range).
    fn template_args(&self, start: usize, end: usize) -> ((usize, usize), Vec<Arg<'a>>) {
        let src: &'a str = self.src;
        // One pass finds the bars and the first top-level `=` after each.
        let mut bars: Vec<(usize, Option<usize>)> = Vec::new();
        let mut i = start;
        while i < end {
            i = scan::next_marked(self.bytes, i, end, &ARG_SPECIAL);
            if i >= end {
                break;
            }
            let b = self.bytes[i];
            if b == b'|' {
                bars.push((i, None));
            } else if b == b'=' {
                if let Some(last) = bars.last_mut()
                    && last.1.is_none()
                {
                    last.1 = Some(i);
                }
            } else if OPENERS[b as usize]
                && let Some(e) = self.construct_end(i, end)
            {
                i = e;
                continue;
            }
            i += 1;
        }
        let name = (start, bars.first().map_or(end, |b| b.0));
        let mut args = Vec::with_capacity(bars.len());
        let mut position = 0;
        for (k, &(bar, eq)) in bars.iter().enumerate() {
            let arg_end = bars.get(k + 1).map_or(end, |b| b.0);
            match eq {
                Some(eq) if !self.src[bar + 1..eq].trim().is_empty() => {
                    let key = src[bar + 1..eq].trim();
                    args.push((key.into(), self.trim(eq + 1, arg_end)));
                }
                _ => {
                    position += 1;
                    let key = match POSITIONS.get(position - 1) {
                        Some(name) => std::borrow::Cow::Borrowed(*name),
                        None => std::borrow::Cow::Owned(position.to_string()),
                    };
                    args.push((key, (bar + 1, arg_end)));
                }
            }
        }
        (name, args)
    }

    fn template(
        &mut self,
        open: usize,
        close: usize,
        ctx: Ctx,
        out: &mut Inl,
        sink: &mut Option<&mut BlockSink>,
    ) {
        // The name decides what to do; the arguments are split only when they are needed.
        let name_range = (
            open + 2,
            self.first_top_level(open + 2, close, b'|').unwrap_or(close),
        );
        let src: &'a str = self.src;
        let raw_name = src[name_range.0..name_range.1].trim();
        // Parser functions and magic words: `{{#if:…}}`, `{{DEFAULTSORT:…}}`, `{{PAGENAME}}`.
        if let Some((function, value)) = raw_name.split_once(':') {
            let function = function.trim().to_lowercase();
            if matches!(
                function.as_str(),
                "formatnum" | "lc" | "uc" | "ucfirst" | "lcfirst"
            ) {
                let value_start = name_range.0 + raw_name.len() - value.len()
                    + (self.src[name_range.0..].len()
                        - self.src[name_range.0..].trim_start().len());
                self.sub_inlines_into(value_start, name_range.1, ctx, out);
            } else if !function.starts_with('#')
                && !matches!(
                    function.as_str(),
                    "defaultsort" | "displaytitle" | "subst" | "safesubst" | "int" | "msg" | "raw"
                )
                && !function.starts_with("template")
                && !function.starts_with("模板")
            {
                self.unknown_template(raw_name, open);
            }
            if !function.starts_with("template") && !function.starts_with("模板") {
                self.refs_inside(open, close + 2, ctx);
                return;
            }
        }
        if raw_name.starts_with('#')
            || raw_name.chars().all(|c| c.is_ascii_uppercase()) && raw_name.len() > 3
        {
            // `{{PAGENAME}}`-like magic words show page data zhnorm does not have.
            self.refs_inside(open, close + 2, ctx);
            return;
        }
        let name = templates::normalize_name(raw_name);
        let Some(action) = templates::lookup(&name) else {
            self.unknown_template(&name, open);
            self.refs_inside(open, close + 2, ctx);
            return;
        };
        if matches!(action, Action::Nothing | Action::Literal(_)) {
            if let Action::Literal(text) = action {
                out.push_str(text);
            }
            self.refs_inside(open, close + 2, ctx);
            return;
        }
        let (_, args) = self.template_args(open + 2, close);
        let arg = |key: &str| args.iter().find(|(k, _)| k == key).map(|(_, r)| *r);
        match action {
            Action::Show(order) => {
                let chosen = order.iter().find_map(|n| {
                    arg(&n.to_string()).filter(|&(s, e)| !self.src[s..e].trim().is_empty())
                });
                if let Some((s, e)) = chosen {
                    self.sub_inlines_into(s, e, ctx, out);
                }
            }
            Action::ShowLast => {
                let last = args
                    .iter()
                    .rev()
                    .find(|(k, _)| k.parse::<usize>().is_ok())
                    .map(|(_, r)| *r);
                if let Some((s, e)) = last {
                    self.sub_inlines_into(s, e, ctx, out);
                }
            }
            Action::Literal(text) => out.push_str(text),
            Action::Date => {
                let part = |k: &str| {
                    arg(k)
                        .map(|(s, e)| self.src[s..e].trim().to_owned())
                        .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
                };
                if let Some(year) = part("1") {
                    let mut text = format!("{year}年");
                    if let Some(month) = part("2") {
                        text += &format!("{}月", month.trim_start_matches('0'));
                        if let Some(day) = part("3") {
                            text += &format!("{}日", day.trim_start_matches('0'));
                        }
                    }
                    out.push_str(&text);
                }
            }
            Action::Convert => {
                let value = arg("1").map(|(s, e)| self.plain_text(s, e, ctx));
                let unit = arg("2").map(|(s, e)| self.plain_text(s, e, ctx));
                if let Some(value) = value {
                    out.push_str(&value);
                    if let Some(unit) = unit.filter(|u| !u.is_empty()) {
                        out.push_str(" ");
                        out.push_str(&unit);
                    }
                }
            }
            Action::Url => {
                if let Some((s, e)) = arg("1") {
                    let url = self.src[s..e].trim().to_owned();
                    let shown = match arg("2") {
                        Some((s2, e2)) if !self.src[s2..e2].trim().is_empty() => {
                            self.plain_text(s2, e2, ctx)
                        }
                        _ => url
                            .split_once("://")
                            .map_or(url.as_str(), |(_, rest)| rest)
                            .trim_end_matches('/')
                            .to_owned(),
                    };
                    let target = if url.contains("://") {
                        url
                    } else {
                        format!("http://{url}")
                    };
                    if ctx.in_link {
                        out.push_str(&shown);
                    } else {
                        out.push(Inline::Link {
                            kind: LinkKind::External,
                            target,
                            inlines: vec![Inline::text(shown)],
                        });
                    }
                }
            }
            Action::Cite => {
                let template = self.collect_template(&name, &args, ctx);
                let (before, title, after) = citation_parts(&template);
                out.push_str(&before);
                let url = template
                    .param(&["url", "URL"])
                    .filter(|u| u.contains("://"));
                match (url, title) {
                    (Some(url), title) if !ctx.in_link => out.push(Inline::Link {
                        kind: LinkKind::External,
                        target: url.to_owned(),
                        inlines: vec![Inline::text(title.unwrap_or_else(|| url.to_owned()))],
                    }),
                    (_, Some(title)) => out.push_str(&title),
                    (_, None) => {}
                }
                out.push_str(&after);
                self.keep_template(template, ctx);
            }
            Action::ReferenceNote => {
                if ctx.in_ref {
                    let template = self.collect_template(&name, &args, ctx);
                    self.keep_template(template, ctx);
                }
            }
            Action::Reflist => {
                if let Some((s, e)) = arg("refs") {
                    let group = arg("group")
                        .map(|(s, e)| self.src[s..e].trim().to_owned())
                        .filter(|g| !g.is_empty());
                    self.list_defined_refs(s, e, group, ctx);
                }
                self.refs_inside(open, close + 2, ctx);
            }
            Action::Footnote => {
                let content = arg("1");
                let name_attr = arg("name").map(|(s, e)| self.src[s..e].trim().to_owned());
                let group = arg("group")
                    .map(|(s, e)| self.src[s..e].trim().to_owned())
                    .unwrap_or_else(|| "lower-alpha".to_owned());
                let key = self.define_ref(name_attr, Some(group), content, open, ctx);
                if let Some(key) = key {
                    out.push(Inline::Cite { reference: key });
                }
            }
            Action::Infobox => {
                if self.infobox.is_none() {
                    let kind = name
                        .strip_prefix("Infobox")
                        .or_else(|| name.strip_prefix("infobox"))
                        .unwrap_or(&name)
                        .trim()
                        .to_owned();
                    let mut fields = std::collections::BTreeMap::new();
                    for (key, (s, e)) in &args {
                        let value = self.plain_text(*s, *e, ctx);
                        fields.insert(key.to_string(), value);
                    }
                    self.infobox = Some(Infobox { kind, fields });
                } else {
                    self.refs_inside(open, close + 2, ctx);
                }
            }
            Action::NoteTa => self.note_ta(&args, ctx),
            Action::Hatnote(label) => {
                let mut note = Inl::new();
                note.push_str(label);
                let mut first = true;
                for (key, (s, e)) in &args {
                    if key.parse::<usize>().is_err() || self.src[*s..*e].trim().is_empty() {
                        continue;
                    }
                    if !first {
                        note.push_str("、");
                    }
                    first = false;
                    let (s, e) = self.trim(*s, *e);
                    if self.is_plain(s, e) && !ctx.in_link {
                        let title = self.src[s..e].to_owned();
                        note.push(Inline::Link {
                            kind: LinkKind::Wiki,
                            target: title.replace('_', " "),
                            inlines: vec![Inline::text(title)],
                        });
                    } else {
                        self.sub_inlines_into(s, e, ctx, &mut note);
                    }
                }
                let (mut inlines, _) = note.take();
                merge_text(&mut inlines);
                match sink.as_deref_mut() {
                    Some(sink) => {
                        Self::hand_over(out, sink);
                        sink.flush();
                        sink.add_line(inlines);
                        sink.flush();
                    }
                    None => out.extend(inlines),
                }
            }
            Action::Nothing => self.refs_inside(open, close + 2, ctx),
        }
    }

    fn unknown_template(&mut self, name: &str, at: usize) {
        self.diagnose(
            &codes::UNKNOWN_TEMPLATE,
            format!("template `{name}` is not known; it left no text"),
            at,
        );
    }

    /// A template with its parameters as plain visible text, for reference material.
    fn collect_template(&mut self, name: &str, args: &[Arg<'_>], ctx: Ctx) -> Template {
        let mut params = Vec::with_capacity(args.len());
        for (key, (s, e)) in args {
            let value = self.plain_text(
                *s,
                *e,
                Ctx {
                    in_link: false,
                    ..ctx
                },
            );
            params.push((key.to_string(), value));
        }
        Template {
            name: name.to_owned(),
            params,
        }
    }

    fn keep_template(&mut self, template: Template, ctx: Ctx) {
        if ctx.in_ref
            && let Some(list) = self.ref_templates.last_mut()
        {
            list.push(template);
        }
    }

    fn note_ta(&mut self, args: &[Arg<'_>], ctx: Ctx) {
        for (key, (s, e)) in args {
            let upper = key.to_ascii_uppercase();
            if let Some(number) = upper.strip_prefix('G')
                && number.chars().all(|c| c.is_ascii_digit())
            {
                let group = self.src[*s..*e].trim().to_owned();
                if !group.is_empty() {
                    self.conversion.groups.push(group);
                }
                continue;
            }
            let flags = if upper == "T" {
                "T"
            } else if key.chars().all(|c| c.is_ascii_digit()) {
                "H"
            } else {
                continue;
            };
            let mut raw = RawRule {
                flags: flags.to_owned(),
                ..Default::default()
            };
            let (s, e) = self.trim(*s, *e);
            conversion::parse_variants(
                self.bytes,
                s,
                e,
                &|a, b, sep| self.top_level(a, b, &[sep]),
                &mut raw,
            );
            if raw.variants.is_empty() && raw.text.is_none() {
                continue;
            }
            let rule = self.rule(raw, ctx);
            self.conversion.rules.push(rule);
        }
    }

    // ----- References -----

    fn ref_attrs(&self, span: &TagSpan) -> (Option<String>, Option<String>) {
        let attrs = &self.src[span.attrs.0..span.attrs.1];
        (attr(attrs, "name"), attr(attrs, "group"))
    }

    /// Reads `<ref>` at `at`; pushes its citation.
    fn reference(&mut self, at: usize, span: &TagSpan, ctx: Ctx, out: &mut Inl) {
        let (name, group) = self.ref_attrs(span);
        let content = (!span.self_closing).then_some(span.content);
        if let Some(key) = self.define_ref(name, group, content, at, ctx) {
            out.push(Inline::Cite { reference: key });
        }
    }

    /// Registers a reference (or a reuse of one) and returns its key.
    fn define_ref(
        &mut self,
        name: Option<String>,
        group: Option<String>,
        content: Option<(usize, usize)>,
        at: usize,
        ctx: Ctx,
    ) -> Option<String> {
        self.refs_read.insert(at);
        let content = content.filter(|&(s, e)| !self.src[s..e].trim().is_empty());
        let existing = name
            .as_ref()
            .and_then(|n| self.ref_by_name.get(n.as_str()))
            .and_then(|same_name| same_name.iter().find(|(g, _)| *g == group))
            .map(|&(_, index)| index);
        if content.is_none() && name.is_none() {
            return None;
        }
        let index = match existing {
            Some(index) => {
                if !self.references[index].raw.is_empty() || content.is_none() {
                    return Some(self.references[index].key.clone());
                }
                index
            }
            None => {
                let key = format!("r{}", self.references.len() + 1);
                let location = self.location(at);
                self.references.push(RawReference {
                    key,
                    format: Some(Format::Wikitext),
                    name: name.clone(),
                    group: group.clone(),
                    location: Some(location),
                    ..Default::default()
                });
                let index = self.references.len() - 1;
                if let Some(n) = name {
                    self.ref_by_name.entry(n).or_default().push((group, index));
                }
                index
            }
        };
        if let Some((s, e)) = content {
            let raw =
                self.original[self.stripped.original(s)..self.stripped.original(e)].to_owned();
            self.ref_templates.push(Vec::new());
            let inlines = if ctx.depth < MAX_DEPTH {
                let inner = Ctx {
                    in_ref: true,
                    in_link: false,
                    depth: ctx.depth + 1,
                };
                let (s, e) = self.trim(s, e);
                let mut inlines = self.line_inlines(s, e, inner, None);
                trim_inlines(&mut inlines);
                inlines
            } else {
                Vec::new()
            };
            let templates = self.ref_templates.pop().unwrap_or_default();
            let reference = &mut self.references[index];
            reference.raw = raw;
            reference.inlines = inlines;
            reference.templates = templates;
        }
        Some(self.references[index].key.clone())
    }

    /// Reads list-defined references (`<ref name=…>` inside `refs=` or `<references>`).
    /// `group` is the group of the list (`<references group=…>`, `{{reflist|group=…}}`), which
    /// references inside it without a group of their own belong to.
    fn list_defined_refs(&mut self, start: usize, end: usize, group: Option<String>, ctx: Ctx) {
        let first = self.st.ref_tags.partition_point(|&at| at < start);
        let mut skip_until = start;
        for k in first..self.st.ref_tags.len() {
            let at = self.st.ref_tags[k];
            if at >= end {
                break;
            }
            if at < skip_until || self.refs_read.contains(&at) {
                continue;
            }
            let Some(span) = self.st.tags.get(&at) else {
                continue;
            };
            skip_until = span.end;
            let (name, own_group) = self.ref_attrs(span);
            let content = (!span.self_closing).then_some(span.content);
            self.define_ref(name, own_group.or_else(|| group.clone()), content, at, ctx);
        }
    }

    /// Records the references inside a construct that shows nothing, so that none is lost.
    fn refs_inside(&mut self, start: usize, end: usize, ctx: Ctx) {
        let first = self.st.ref_tags.partition_point(|&at| at < start);
        if self.st.ref_tags.get(first).is_some_and(|&at| at < end) {
            self.list_defined_refs(start, end, None, ctx);
        }
    }

    // ----- Tags -----

    /// Reads a tag at `at`; returns where to continue, or `None` when `<` is plain text.
    fn tag(
        &mut self,
        at: usize,
        end: usize,
        ctx: Ctx,
        out: &mut Inl,
        sink: &mut Option<&mut BlockSink>,
    ) -> Option<usize> {
        if let Some(span) = self.st.tags.get(&at).filter(|s| s.end <= end) {
            let st = self.st;
            let span: &TagSpan = span;
            let _ = st;
            let (cs, ce) = span.content;
            match span.name {
                "ref" if ctx.depth < MAX_DEPTH => self.reference(at, span, ctx, out),
                "references" => {
                    let group = attr(&self.src[span.attrs.0..span.attrs.1], "group");
                    self.list_defined_refs(cs, ce, group, ctx);
                }
                "nowiki" => {
                    let text = decode_entities(&self.src[cs..ce]);
                    out.push_str(&text);
                }
                "pre" | "syntaxhighlight" | "source" => {
                    let text = decode_entities(&self.src[cs..ce]);
                    let text = text.trim_matches('\n').to_owned();
                    let attrs = &self.src[span.attrs.0..span.attrs.1];
                    let language = attr(attrs, "lang");
                    let inline = attrs.contains("inline");
                    match sink.as_deref_mut() {
                        Some(sink) if !inline => {
                            Self::hand_over(out, sink);
                            sink.block(Block::Code { language, text });
                        }
                        _ => out.push(Inline::Code { text }),
                    }
                }
                "math" | "chem" | "ce" => {
                    let tex = self.src[cs..ce].trim().to_owned();
                    out.push(Inline::Math { tex });
                }
                "poem" if ctx.depth < MAX_DEPTH => {
                    // Lines of a poem keep their breaks; in a block context it is a paragraph.
                    let mut poem = Inl::new();
                    let mut pos = cs;
                    let mut first = true;
                    while pos <= ce {
                        let le = self.line_end(pos, ce);
                        let inlines = self.sub_inlines(pos, le, ctx);
                        if !inlines.is_empty() {
                            if !first {
                                poem.push(Inline::LineBreak);
                            }
                            first = false;
                            poem.extend(inlines);
                        }
                        pos = le + 1;
                    }
                    let (mut inlines, _) = poem.take();
                    merge_text(&mut inlines);
                    match sink.as_deref_mut() {
                        Some(sink) => {
                            Self::hand_over(out, sink);
                            sink.flush();
                            sink.add_line(inlines);
                            sink.flush();
                        }
                        None => out.extend(inlines),
                    }
                }
                "gallery" => self.gallery(cs, ce, ctx, out, sink),
                _ => {}
            }
            return Some(span.end);
        }
        let bytes = self.bytes;
        let closing = bytes.get(at + 1) == Some(&b'/');
        let name_start = at + 1 + usize::from(closing);
        let name_len = bytes[name_start..end]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            return None;
        }
        let name = self.src[name_start..name_start + name_len].to_ascii_lowercase();
        let known = HTML_TAGS.contains(&name.as_str());
        if !known {
            return None;
        }
        let window = &bytes[name_start + name_len..end];
        let gt = memchr::memchr3(b'>', b'<', b'\n', &window[..window.len().min(500)])?;
        let gt = name_start + name_len + gt;
        if bytes[gt] != b'>' {
            return None;
        }
        let after = gt + 1;
        let kind = match name.as_str() {
            "b" | "strong" => Some(Fmt::TagBold),
            "i" | "em" => Some(Fmt::TagItalic),
            "sup" => Some(Fmt::Sup),
            "sub" => Some(Fmt::Sub),
            _ => None,
        };
        if let Some(kind) = kind {
            if closing {
                out.close(kind);
            } else if !(kind == Fmt::Sup && out.is_open(Fmt::Sup) && out.frames.len() > 8) {
                out.open(kind, at);
            }
            return Some(after);
        }
        match name.as_str() {
            "br" => out.push(Inline::LineBreak),
            "hr" => {
                if let Some(sink) = sink.as_deref_mut() {
                    Self::hand_over(out, sink);
                    sink.block(Block::Rule);
                }
            }
            "code" | "tt" | "kbd" | "samp" if !closing => {
                let name: &'static str = HTML_TAGS
                    .iter()
                    .find(|t| **t == name)
                    .copied()
                    .unwrap_or("code");
                if let Some((close_at, close_end)) = self.close_tag(name, after, end) {
                    let text = self.plain_text(after, close_at, ctx);
                    out.push(Inline::Code { text });
                    return Some(close_end);
                }
            }
            "blockquote" if !closing && ctx.depth < MAX_DEPTH => {
                if let Some((close_at, close_end)) = self.close_tag("blockquote", after, end) {
                    match sink.as_deref_mut() {
                        Some(sink) => {
                            let blocks = self.blocks(after, close_at, ctx.depth + 1);
                            Self::hand_over(out, sink);
                            sink.block(Block::Quote { blocks });
                        }
                        None => {
                            self.sub_inlines_into(after, close_at, ctx, out);
                        }
                    }
                    return Some(close_end);
                }
            }
            _ => {}
        }
        Some(after)
    }

    fn gallery(
        &mut self,
        start: usize,
        end: usize,
        ctx: Ctx,
        out: &mut Inl,
        sink: &mut Option<&mut BlockSink>,
    ) {
        let Some(sink) = sink.as_deref_mut() else {
            return;
        };
        Self::hand_over(out, sink);
        let mut pos = start;
        while pos < end {
            let le = self.line_end(pos, end);
            let (s, e) = self.trim(pos, le);
            pos = le + 1;
            if s == e {
                continue;
            }
            let bar = self.top_level(s, e, b"|").first().copied();
            let file = self.src[s..bar.unwrap_or(e)].trim();
            let file = file
                .split_once([':', '：'])
                .filter(|(ns, _)| FILE_NAMESPACES.contains(&ns.trim().to_lowercase().as_str()))
                .map_or(file, |(_, f)| f)
                .trim()
                .replace('_', " ");
            let caption = match bar {
                Some(b) => {
                    // The caption is the last part that is not an option.
                    let bars = self.top_level(s, e, b"|");
                    let mut caption = None;
                    for (k, &bar) in bars.iter().enumerate() {
                        let pe = bars.get(k + 1).copied().unwrap_or(e);
                        let (ps, pe) = self.trim(bar + 1, pe);
                        let lower = self.src[ps..pe].to_lowercase();
                        if !is_image_option(&lower)
                            && !lower
                                .split_once('=')
                                .is_some_and(|(k, _)| IMAGE_KEYS.contains(&k.trim()))
                        {
                            caption = Some((ps, pe));
                        }
                    }
                    let _ = b;
                    caption.map_or_else(Vec::new, |(ps, pe)| self.sub_inlines(ps, pe, ctx))
                }
                None => Vec::new(),
            };
            if !file.is_empty() {
                sink.block(Block::Figure {
                    target: file,
                    caption,
                    alt: None,
                });
            }
        }
    }
}

/// HTML tags the inline parser understands (others are text).
const HTML_TAGS: &[&str] = &[
    "br",
    "sup",
    "sub",
    "small",
    "big",
    "span",
    "div",
    "center",
    "font",
    "u",
    "s",
    "del",
    "ins",
    "strike",
    "b",
    "i",
    "strong",
    "em",
    "abbr",
    "blockquote",
    "p",
    "code",
    "tt",
    "kbd",
    "var",
    "samp",
    "cite",
    "q",
    "ruby",
    "rb",
    "rt",
    "rp",
    "mark",
    "bdi",
    "bdo",
    "wbr",
    "hr",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "caption",
    "ol",
    "ul",
    "li",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "nowiki",
    "ref",
    "references",
    "onlyinclude",
    "noinclude",
    "includeonly",
    "section",
    "templatestyles",
    "poem",
    "gallery",
    "pre",
    "math",
    "syntaxhighlight",
    "source",
    "dfn",
    "time",
    "data",
    "wbr",
    "link",
    "meta",
    "ce",
    "chem",
    "score",
    "timeline",
];

fn toggle(out: &mut Inl, kind: Fmt, at: usize) {
    if !out.close(kind) {
        out.open(kind, at);
    }
}

fn is_image_option(lower: &str) -> bool {
    if IMAGE_KEYWORDS.contains(&lower) {
        return true;
    }
    // Sizes: `200px`, `200x100px`, `x100px`, `200 px`, `200像素`.
    let size = lower
        .strip_suffix("px")
        .or_else(|| lower.strip_suffix("像素"))
        .map(str::trim_end);
    if let Some(size) = size
        && !size.is_empty()
        && size.bytes().all(|b| b.is_ascii_digit() || b == b'x')
    {
        return true;
    }
    lower.starts_with("upright")
}

/// The value of attribute `name` in `attrs` (quoted or not; attribute names ignore case).
fn attr(attrs: &str, name: &str) -> Option<String> {
    let bytes = attrs.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (is_ws(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        let key_start = i;
        while i < bytes.len() && !is_ws(bytes[i]) && bytes[i] != b'=' {
            i += 1;
        }
        let key = &attrs[key_start..i];
        while i < bytes.len() && is_ws(bytes[i]) {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] != b'=' {
            continue;
        }
        i += 1;
        while i < bytes.len() && is_ws(bytes[i]) {
            i += 1;
        }
        let value = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = i + 1;
                let len = bytes[start..]
                    .iter()
                    .position(|&b| b == q)
                    .unwrap_or(bytes.len() - start);
                i = start + len + 1;
                &attrs[start..start + len]
            }
            _ => {
                let start = i;
                while i < bytes.len() && !is_ws(bytes[i]) && bytes[i] != b'/' {
                    i += 1;
                }
                &attrs[start..i]
            }
        };
        if key.eq_ignore_ascii_case(name) {
            let value = value.trim();
            return (!value.is_empty()).then(|| value.to_owned());
        }
    }
    None
}

fn find_close(bytes: &[u8], name: &str, from: usize, limit: usize) -> Option<(usize, usize)> {
    let name = name.as_bytes();
    let mut pos = from;
    while pos < limit {
        let at = pos + memchr::memchr(b'<', &bytes[pos..limit])?;
        let after = at + 2 + name.len();
        if bytes.get(at + 1) == Some(&b'/')
            && after <= limit
            && bytes[at + 2..after].eq_ignore_ascii_case(name)
        {
            let gt = memchr::memchr(b'>', &bytes[after..limit]);
            if let Some(gt) = gt {
                return Some((at, after + gt + 1));
            }
        }
        pos = at + 1;
    }
    None
}

const SCHEMES: &[&[u8]] = &[
    b"http://",
    b"https://",
    b"ftp://",
    b"//",
    b"mailto:",
    b"news:",
    b"irc://",
    b"ircs://",
    b"sftp://",
    b"git://",
    b"svn://",
    b"telnet://",
    b"gopher://",
    b"nntp://",
    b"urn:",
];

fn has_url_scheme(bytes: &[u8]) -> bool {
    SCHEMES.iter().any(|s| {
        bytes.len() > s.len() && bytes[..s.len()].eq_ignore_ascii_case(s) && !is_ws(bytes[s.len()])
    })
}

/// The start of `http`/`https`/`ftp` just before `colon`, if a bare URL starts there.
fn url_scheme_before(bytes: &[u8], run: usize, colon: usize) -> Option<usize> {
    for scheme in [&b"https"[..], b"http", b"ftp"] {
        if colon >= run + scheme.len() {
            let start = colon - scheme.len();
            if bytes[start..colon].eq_ignore_ascii_case(scheme)
                && (start == 0 || !bytes[start - 1].is_ascii_alphanumeric())
            {
                return Some(start);
            }
        }
    }
    None
}

fn bare_url_end(bytes: &[u8], from: usize, end: usize) -> usize {
    let mut i = from;
    while i < end {
        let b = bytes[i];
        if b >= 0x80
            || b <= b' '
            || matches!(b, b'[' | b']' | b'<' | b'>' | b'"' | b'{' | b'}' | b'|')
        {
            break;
        }
        i += 1;
    }
    // Trailing punctuation is the sentence's, not the URL's.
    let has_paren = bytes[from..i].contains(&b'(');
    while i > from {
        match bytes[i - 1] {
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' => i -= 1,
            b')' if !has_paren => i -= 1,
            _ => break,
        }
    }
    i
}

/// Decodes one HTML entity at the start of `bytes`; returns the character and its length.
fn decode_entity(bytes: &[u8]) -> Option<(char, usize)> {
    let semi = bytes.iter().take(12).position(|&b| b == b';')?;
    let body = std::str::from_utf8(&bytes[1..semi]).ok()?;
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match body {
            "nbsp" => '\u{a0}',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "ndash" => '–',
            "mdash" => '—',
            "middot" => '·',
            "hellip" => '…',
            "times" => '×',
            "minus" => '−',
            "deg" => '°',
            "copy" => '©',
            "reg" => '®',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "laquo" => '«',
            "raquo" => '»',
            "thinsp" => '\u{2009}',
            "ensp" => '\u{2002}',
            "emsp" => '\u{2003}',
            "zwj" => '\u{200d}',
            "zwnj" => '\u{200c}',
            "bull" => '•',
            "prime" => '′',
            "plusmn" => '±',
            "sup2" => '²',
            "sup3" => '³',
            "frac12" => '½',
            "alpha" => 'α',
            "beta" => 'β',
            "gamma" => 'γ',
            "delta" => 'δ',
            "pi" => 'π',
            "hbar" => 'ℏ',
            "psi" => 'ψ',
            "lambda" => 'λ',
            "mu" => 'μ',
            "omega" => 'ω',
            "rarr" => '→',
            "larr" => '←',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        match decode_entity(&rest.as_bytes()[p..]) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[p + len..];
            }
            None => {
                out.push('&');
                rest = &rest[p + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A plain rendering of a citation template, around its title:
/// `authors. ` + title + `. container. publisher. date.`
fn citation_parts(template: &Template) -> (String, Option<String>, String) {
    let mut before = String::new();
    if let Some(author) = template.param(&["author", "author1", "作者"]) {
        before.push_str(author);
    } else if let Some(last) = template.param(&["last", "last1", "surname"]) {
        before.push_str(last);
        if let Some(first) = template.param(&["first", "first1", "given"]) {
            before.push_str(", ");
            before.push_str(first);
        }
    }
    let title = template
        .param(&["title", "標題", "标题"])
        .map(str::to_owned);
    // Nearly every citation has a work, publisher or date: room for them at once.
    let mut after = String::with_capacity(96);
    for keys in [
        &[
            "work",
            "website",
            "newspaper",
            "journal",
            "magazine",
            "periodical",
        ][..],
        &["publisher", "出版者", "出版社"],
        &["date", "year", "日期"],
    ] {
        if let Some(value) = template.param(keys) {
            if !after.is_empty() || title.is_some() || !before.is_empty() {
                after.push_str(". ");
            }
            after.push_str(value);
        }
    }
    if !before.is_empty() && title.is_some() {
        before.push_str(". ");
    }
    if !after.is_empty() || title.is_some() {
        after.push('.');
    }
    (before, title, after)
}

/// Tokens that must never reach a text node.
const RESIDUE: &[&str] = &[
    "[[", "]]", "{{", "}}", "-{", "}-", "'''", "{|", "|}", "<ref",
];

/// True when `text` may hold one of [`RESIDUE`] (a quick test on byte pairs).
fn has_residue(text: &[u8]) -> bool {
    // Every token holds a bracket, `<` or an apostrophe, which Chinese text rarely has; the
    // pair test starts just before the first such byte. (Most text nodes are short: an inline
    // scan beats the dispatch of a SIMD search here.)
    let mut i = 0;
    loop {
        i = scan::next_marked(text, i, text.len(), &RESIDUE_BYTES);
        let Some(&here) = text.get(i) else {
            return false;
        };
        // `-{` and `|}` have their bracket second; every other token starts with its own.
        if i > 0 && matches!((text[i - 1], here), (b'-', b'{') | (b'|', b'}')) {
            return true;
        }
        if let Some(&next) = text.get(i + 1)
            && matches!(
                (here, next),
                (b'[', b'[')
                    | (b']', b']')
                    | (b'{', b'{' | b'|')
                    | (b'}', b'}' | b'-')
                    | (b'\'', b'\'')
                    | (b'<', b'r' | b'R')
            )
        {
            return true;
        }
        i += 1;
    }
}

/// Bytes one of which every token of [`RESIDUE`] holds.
const RESIDUE_BYTES: ByteSet<6> = ByteSet::new(*b"[]{}<'");

/// Removes markup tokens that text pieces formed only once the markup between them was dropped
/// (`]</pre>]`), or that `<nowiki>` kept on purpose; returns how many it removed. Every construct
/// is read (or reported) before this point, so what is left here is literal bracket text.
fn scrub_residue(blocks: &mut [Block]) -> u32 {
    let mut removed = 0;
    zhnorm_doc::for_each_inline_mut(blocks, &mut |list| {
        for inline in list.iter_mut() {
            if let Inline::Text { text } = inline
                && has_residue(text.as_bytes())
            {
                // One pass: a token is removed as soon as it forms at the end of the output,
                // so removals that make new tokens are caught too, in linear time.
                let mut clean = String::with_capacity(text.len());
                for c in text.chars() {
                    clean.push(c);
                    if let Some(token) = RESIDUE.iter().find(|t| clean.ends_with(**t)) {
                        clean.truncate(clean.len() - token.len());
                        removed += 1;
                    }
                }
                *text = clean;
            }
        }
    });
    removed
}

/// The bold term of the lead: the first bold text before the first heading.
fn lead_title(blocks: &[Block], bold_in_conversion: &[(ConversionRule, String)]) -> String {
    for block in blocks {
        match block {
            Block::Heading { .. } => break,
            Block::Paragraph { inlines } => {
                for inline in inlines {
                    match inline {
                        Inline::Strong { inlines } => {
                            let text = trimmed_plain(inlines);
                            if !text.is_empty() {
                                return text;
                            }
                        }
                        Inline::Conversion { rule } => {
                            if let Some((_, bold)) =
                                bold_in_conversion.iter().find(|(r, _)| r == rule)
                            {
                                return bold.clone();
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    String::new()
}

/// The text of the first bold node of `inlines`, if any.
fn first_bold(inlines: &[Inline]) -> Option<String> {
    inlines.iter().find_map(|inline| match inline {
        Inline::Strong { inlines } => Some(trimmed_plain(inlines)).filter(|t| !t.is_empty()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::has_residue;

    #[test]
    fn residue_is_found_wherever_the_token_stands() {
        let cases: &[(&str, bool)] = &[
            ("", false),
            ("中文", false),
            ("it's a [link] {x} <b>", false),
            ("[[", true),
            ("文字]]", true),
            ("a-{", true),
            ("尾巴|}", true),
            ("表{|", true),
            ("x}-y", true),
            ("'''粗'''", true),
            ("他说<ref>", true),
            ("中文中文中文中文中文-{中文", true),
            ("长长长长长长长长长长长长长长长长的英文 words then }}", true),
        ];
        for &(text, expected) in cases {
            assert_eq!(has_residue(text.as_bytes()), expected, "{text:?}");
        }
    }
}
