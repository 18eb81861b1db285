//! Reading Markdown (exports and zhnorm's own view) into a document with pulldown-cmark.
//!
//! pulldown-cmark does the Markdown; this module maps its events to the model and then repairs
//! what exporters damaged, in passes over the built blocks (see [`Reader::finish`]).

use std::ops::Range;
use std::sync::LazyLock;

use percent_encoding::percent_decode_str;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use regex::Regex;
use zhnorm_doc::{
    Block, Diagnostic, Document, Format, Inline, LinkKind, ListItem, Location, RawReference,
    Source, TableCell, TableRow, codes, plain_text,
};

use super::{html_table, repair};
use crate::{LineIndex, Parsed};

/// How deep quotations and lists nest in the document; deeper ones read as the level above.
/// Every later stage walks the tree recursively, so this bounds their stack (see
/// ARCHITECTURE.md, "Invariants"); a list level is four levels of the canonical JSON, and 16 of
/// them with 16 inline levels stay within serde_json's 128 (24 did not: found by fuzzing).
pub const MAX_DEPTH: usize = 16;

/// How deep inline elements (emphasis, links, `<sup>` …) nest; deeper ones keep only their text.
pub const MAX_INLINE_DEPTH: usize = 16;

/// Characters that stand for a soft line break until the text on both sides is known: the
/// first private-use character the input does not hold ([`soft_break_for`]), so that the input's
/// own characters are never taken for one.
const SOFT_BREAK_CANDIDATES: [std::ops::RangeInclusive<char>; 2] =
    ['\u{E000}'..='\u{F8FF}', '\u{F0000}'..='\u{FFFFD}'];

/// The soft-break stand-in for `text`: a private-use character it does not hold, found in one
/// pass. (Only a text holding all 71,000 of them falls back on the first, as before.)
fn soft_break_for(text: &str) -> char {
    let first = *SOFT_BREAK_CANDIDATES[0].start();
    if !text.contains(first) {
        return first;
    }
    let mut used = std::collections::HashSet::new();
    for c in text.chars() {
        if SOFT_BREAK_CANDIDATES.iter().any(|r| r.contains(&c)) {
            used.insert(c);
        }
    }
    SOFT_BREAK_CANDIDATES
        .iter()
        .flat_map(|r| r.clone())
        .find(|c| !used.contains(c))
        .unwrap_or(first)
}

/// URL prefixes of zh.wikipedia pages that exports write for wiki links.
const WIKI_PREFIXES: &[&str] = &[
    "https://zh.wikipedia.org/wiki/",
    "http://zh.wikipedia.org/wiki/",
    "https://zh.wikipedia.org/zh-hans/",
    "https://zh.wikipedia.org/zh-hant/",
    "https://zh.wikipedia.org/zh-cn/",
    "https://zh.wikipedia.org/zh-tw/",
];

/// Namespaces of image files, as exports and the view write them.
const FILE_NAMESPACES: &[&str] = &[
    "File:", "Image:", "文件:", "檔案:", "档案:", "图像:", "圖像:",
];
/// Namespaces of categories.
const CATEGORY_NAMESPACES: &[&str] = &["Category:", "分類:", "分类:"];
/// What MediaWiki reads as the thumbnail keyword, not as a caption.
const THUMB_KEYWORDS: &[&str] = &["缩略图", "縮略圖", "缩图", "縮圖", "thumb", "thumbnail"];

static TEMPLATE_LEFTOVER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{\{[^{}]*\}\}").expect("valid regex"));
static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[(\d{1,4})\]").expect("valid regex"));
static SOURCE_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\\?\[(\d{1,4})\\?\]").expect("valid regex"));
static ITEM_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\d+[.)]\s*").expect("valid regex"));

/// Reads a Markdown export (`Format::Markdown`) or zhnorm's own view (`Format::Canonical`).
pub(crate) fn read(text: &str, source: Source) -> Parsed {
    let canonical = source.format == Format::Canonical;
    let mut options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    if canonical {
        options |= Options::ENABLE_YAML_STYLE_METADATA_BLOCKS | Options::ENABLE_MATH;
    }
    let events: Vec<(Event<'_>, Range<usize>)> =
        Parser::new_ext(text, options).into_offset_iter().collect();
    let mut reader = Reader {
        text,
        index: LineIndex::new(text),
        canonical,
        events,
        pos: 0,
        document: Document::new(source),
        raw_references: Vec::new(),
        ordered_lists: Vec::new(),
        depth: 0,
        inline_depth: 0,
        inline_too_deep: false,
        metadata: Vec::new(),
        broken_caption_cursor: 0,
        marker_cursor: 0,
        soft_break: soft_break_for(text),
    };
    let blocks = reader.blocks();
    reader.finish(blocks)
}

/// Where the items of a top-level ordered list start in the source, to keep reference-list
/// items verbatim.
struct OrderedListSource {
    start: u64,
    items: Vec<Range<usize>>,
}

struct Reader<'a> {
    text: &'a str,
    index: LineIndex<'a>,
    canonical: bool,
    events: Vec<(Event<'a>, Range<usize>)>,
    pos: usize,
    document: Document,
    raw_references: Vec<RawReference>,
    ordered_lists: Vec<OrderedListSource>,
    /// Quotations, lists and footnotes around the current position.
    depth: usize,
    /// Inline elements around the current position.
    inline_depth: usize,
    /// Whether the one inline nesting diagnostic has been given.
    inline_too_deep: bool,
    metadata: Vec<(String, String)>,
    broken_caption_cursor: usize,
    marker_cursor: usize,
    /// Stands for a soft line break ([`soft_break_for`]).
    soft_break: char,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<&Event<'a>> {
        self.events.get(self.pos).map(|(e, _)| e)
    }

    fn range(&self) -> Range<usize> {
        self.events.get(self.pos).map_or(0..0, |(_, r)| r.clone())
    }

    fn bump(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        let item = self.events.get(self.pos).cloned();
        self.pos += 1;
        item
    }

    fn location(&self, offset: usize) -> Location {
        self.index.location(offset)
    }

    fn diagnose(&mut self, code: &codes::Code, message: String, offset: Option<usize>) {
        let mut diagnostic = Diagnostic::new(code, message);
        if let Some(offset) = offset {
            diagnostic = diagnostic.at(self.location(offset));
        }
        self.document.diagnostics.push(diagnostic);
    }

    /// Blocks until the end of the enclosing container (whose `End` is left to the caller).
    fn blocks(&mut self) -> Vec<Block> {
        let mut blocks = Vec::new();
        // Containers opened past `MAX_DEPTH` whose `End` is still to come: their content joins
        // this level instead of nesting (no recursion, so the stack stays bounded).
        let mut flattened = 0usize;
        while let Some(event) = self.peek() {
            match event {
                Event::End(_) if flattened > 0 => {
                    flattened -= 1;
                    self.bump();
                }
                Event::End(_) => break,
                Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item)
                    if self.depth >= MAX_DEPTH =>
                {
                    if flattened == 0 {
                        let at = self.range().start;
                        self.diagnose(
                            &codes::NESTING_TOO_DEEP,
                            format!(
                                "quotations and lists nested past {MAX_DEPTH} levels; the deeper ones read as the level above"
                            ),
                            Some(at),
                        );
                    }
                    flattened += 1;
                    self.bump();
                }
                Event::Start(Tag::Paragraph) => {
                    self.bump();
                    // `$$…$$` alone in a paragraph is display mathematics.
                    if let (Some(Event::DisplayMath(tex)), Some((Event::End(_), _))) =
                        (self.peek(), self.events.get(self.pos + 1))
                    {
                        let tex = tex.trim().to_owned();
                        self.bump();
                        self.bump();
                        blocks.push(Block::Math { tex });
                        continue;
                    }
                    let inlines = self.inlines(None);
                    self.bump();
                    blocks.push(Block::Paragraph { inlines });
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    let level = heading_level(*level);
                    self.bump();
                    let inlines = self.inlines(None);
                    self.bump();
                    blocks.push(Block::Heading { level, inlines });
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    self.bump();
                    self.depth += 1;
                    let inner = self.blocks();
                    self.depth -= 1;
                    self.bump();
                    blocks.push(Block::Quote { blocks: inner });
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let language = match kind {
                        CodeBlockKind::Fenced(lang) if !lang.is_empty() => Some(lang.to_string()),
                        _ => None,
                    };
                    self.bump();
                    let mut text = String::new();
                    while let Some(Event::Text(t)) = self.peek() {
                        text.push_str(t);
                        self.bump();
                    }
                    self.bump();
                    if text.ends_with('\n') {
                        text.pop();
                    }
                    blocks.push(Block::Code { language, text });
                }
                Event::Start(Tag::HtmlBlock) => {
                    if let Some(block) = self.html_block() {
                        blocks.push(block);
                    }
                }
                Event::Start(Tag::List(start)) => {
                    let start = *start;
                    blocks.push(self.list(start));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let label = label.to_string();
                    self.footnote_definition(label);
                }
                Event::Start(Tag::Table(_)) => blocks.push(self.table()),
                Event::Start(Tag::MetadataBlock(_)) => {
                    self.bump();
                    while let Some(Event::Text(t)) = self.peek() {
                        let t = t.to_string();
                        for line in t.lines() {
                            if let Some((key, value)) = line.split_once(':') {
                                self.metadata
                                    .push((key.trim().to_owned(), value.trim().to_owned()));
                            }
                        }
                        self.bump();
                    }
                    self.bump();
                }
                Event::Rule => {
                    self.bump();
                    blocks.push(Block::Rule);
                }
                Event::Start(
                    Tag::DefinitionList
                    | Tag::DefinitionListTitle
                    | Tag::DefinitionListDefinition
                    | Tag::Item
                    | Tag::TableHead
                    | Tag::TableRow
                    | Tag::TableCell,
                ) => {
                    // Not produced with the options used here; skip the container's content.
                    self.bump();
                    let inner = self.blocks();
                    self.bump();
                    blocks.extend(inner);
                }
                // `$$…$$` alone in a tight list item is display mathematics, as in a paragraph.
                Event::DisplayMath(tex)
                    if matches!(self.events.get(self.pos + 1), Some((Event::End(_), _))) =>
                {
                    let tex = tex.trim().to_owned();
                    self.bump();
                    blocks.push(Block::Math { tex });
                }
                _ => {
                    // Inline content directly in a container (a tight list item).
                    let inlines = self.inlines(None);
                    if inlines.is_empty() {
                        // Nothing consumed: step over the event so that reading always ends.
                        self.bump();
                    } else {
                        blocks.push(Block::Paragraph { inlines });
                    }
                }
            }
        }
        blocks
    }

    fn list(&mut self, start: Option<u64>) -> Block {
        self.bump();
        let top_level = self.depth == 0;
        self.depth += 1;
        let mut items = Vec::new();
        let mut ranges = Vec::new();
        while let Some(Event::Start(Tag::Item)) = self.peek() {
            ranges.push(self.range());
            self.bump();
            let blocks = self.blocks();
            self.bump();
            items.push(ListItem {
                term: Vec::new(),
                blocks,
            });
        }
        self.depth -= 1;
        self.bump();
        if let (Some(start), true) = (start, top_level) {
            self.ordered_lists.push(OrderedListSource {
                start,
                items: ranges,
            });
        }
        Block::List {
            ordered: start.is_some(),
            items,
        }
    }

    fn table(&mut self) -> Block {
        self.bump();
        let mut rows = Vec::new();
        loop {
            match self.peek() {
                Some(Event::Start(Tag::TableHead | Tag::TableRow)) => {
                    let header = matches!(self.peek(), Some(Event::Start(Tag::TableHead)));
                    self.bump();
                    let mut cells = Vec::new();
                    while let Some(Event::Start(Tag::TableCell)) = self.peek() {
                        self.bump();
                        let inlines = self.inlines(None);
                        self.bump();
                        cells.push(TableCell { header, inlines });
                    }
                    self.bump();
                    rows.push(TableRow { cells });
                }
                Some(Event::End(_)) | None => break,
                Some(_) => {
                    self.bump();
                }
            }
        }
        self.bump();
        Block::Table {
            caption: Vec::new(),
            rows,
        }
    }

    fn html_block(&mut self) -> Option<Block> {
        let start = self.range().start;
        self.bump();
        let mut html = String::new();
        loop {
            match self.peek() {
                Some(Event::Html(t) | Event::Text(t)) => {
                    html.push_str(t);
                    self.bump();
                }
                Some(Event::End(TagEnd::HtmlBlock)) => {
                    self.bump();
                    // A table that a blank line split into several HTML blocks.
                    if html.contains("<table") && !html.contains("</table>") {
                        if let Some(Event::Start(Tag::HtmlBlock)) = self.peek() {
                            self.bump();
                            continue;
                        }
                    }
                    break;
                }
                _ => break,
            }
        }
        let trimmed = html.trim();
        if trimmed.contains("<table") {
            let canonical = self.canonical;
            let classify = |href: &str, title: &str| classify_link(href, title, canonical);
            return Some(html_table::read_table(&html, &classify));
        }
        // `<!-- end list -->` is how exporters keep two lists apart: structure, not damage.
        if trimmed.starts_with("<!--") && trimmed != "<!-- end list -->" {
            self.diagnose(
                &codes::LEFTOVER_MARKUP_REMOVED,
                format!("removed the comment `{}`", first_line(trimmed)),
                Some(start),
            );
        }
        None
    }

    fn footnote_definition(&mut self, label: String) {
        let range = self.range();
        self.bump();
        self.depth += 1;
        let blocks = self.blocks();
        self.depth -= 1;
        self.bump();
        let source = &self.text[range.clone()];
        let raw = source
            .split_once("]:")
            .map_or(source, |(_, rest)| rest)
            .trim()
            .to_owned();
        let mut inlines = Vec::new();
        for block in blocks {
            if let Block::Paragraph { inlines: mut more } = block {
                if !inlines.is_empty() {
                    inlines.push(Inline::text(" "));
                }
                inlines.append(&mut more);
            }
        }
        repair::merge_texts(&mut inlines);
        self.raw_references.push(RawReference {
            key: label.clone(),
            format: Some(self.document.source.format),
            raw,
            label: Some(label),
            inlines,
            location: Some(self.location(range.start)),
            ..RawReference::default()
        });
    }

    /// Inline content until the end of the enclosing element; `until_html` stops at that
    /// closing inline HTML tag instead (`</sup>`).
    fn inlines(&mut self, until_html: Option<&str>) -> Vec<Inline> {
        let mut out = Vec::new();
        // As in `blocks`: elements opened past `MAX_INLINE_DEPTH` keep their content at this
        // level; their `End` events are skipped.
        let mut flattened = 0usize;
        while let Some(event) = self.peek() {
            match event {
                Event::End(_) if flattened > 0 => {
                    flattened -= 1;
                    self.bump();
                }
                Event::End(_) => break,
                Event::Start(
                    Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Superscript
                    | Tag::Subscript
                    | Tag::Link { .. }
                    | Tag::Image { .. },
                ) if self.inline_depth >= MAX_INLINE_DEPTH => {
                    if flattened == 0 {
                        let at = self.range().start;
                        self.nesting_diagnostic(at);
                    }
                    flattened += 1;
                    self.bump();
                }
                Event::Start(
                    Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Superscript
                    | Tag::Subscript
                    | Tag::Link { .. }
                    | Tag::Image { .. },
                ) => {
                    let Some((Event::Start(tag), _)) = self.bump() else {
                        break;
                    };
                    self.inline_depth += 1;
                    let children = self.inlines(None);
                    self.inline_depth -= 1;
                    self.bump();
                    match tag {
                        Tag::Emphasis => out.push(Inline::Emphasis { inlines: children }),
                        Tag::Strong => out.push(Inline::Strong { inlines: children }),
                        Tag::Superscript => out.push(Inline::Superscript { inlines: children }),
                        Tag::Subscript => out.push(Inline::Subscript { inlines: children }),
                        Tag::Link {
                            dest_url, title, ..
                        } => {
                            let (kind, target) = classify_link(&dest_url, &title, self.canonical);
                            out.push(Inline::Link {
                                kind,
                                target,
                                inlines: children,
                            });
                        }
                        Tag::Image {
                            dest_url, title, ..
                        } => {
                            let (_, target) = classify_link(&dest_url, &title, self.canonical);
                            let target = if has_namespace(&target, FILE_NAMESPACES) {
                                target
                            } else {
                                format!("File:{target}")
                            };
                            out.push(Inline::Link {
                                kind: LinkKind::Wiki,
                                target,
                                inlines: children,
                            });
                        }
                        // Strikethrough keeps its text.
                        _ => out.extend(children),
                    }
                }
                Event::Start(_) => break,
                Event::Text(_) => {
                    let Some((Event::Text(text), range)) = self.bump() else {
                        break;
                    };
                    let text = self.text_event(&text, range);
                    out.push(Inline::text(text));
                }
                Event::Code(text) => {
                    out.push(Inline::Code {
                        text: text.to_string(),
                    });
                    self.bump();
                }
                Event::InlineMath(tex) | Event::DisplayMath(tex) => {
                    out.push(Inline::Math {
                        tex: tex.trim().to_owned(),
                    });
                    self.bump();
                }
                Event::FootnoteReference(label) => {
                    out.push(Inline::Cite {
                        reference: label.to_string(),
                    });
                    self.bump();
                }
                Event::SoftBreak => {
                    out.push(Inline::text(self.soft_break.to_string()));
                    self.bump();
                }
                Event::HardBreak => {
                    out.push(Inline::LineBreak);
                    self.bump();
                }
                Event::InlineHtml(html) => {
                    let tag = html.trim().to_ascii_lowercase();
                    if until_html.is_some_and(|end| tag == end) {
                        self.bump();
                        break;
                    }
                    let range = self.range();
                    self.bump();
                    if self.inline_depth >= MAX_INLINE_DEPTH
                        && matches!(
                            tag.as_str(),
                            "<sup>" | "<sub>" | "<strong>" | "<b>" | "<em>" | "<i>"
                        )
                    {
                        // Too deep: the tag is dropped and its content read at this level.
                        self.nesting_diagnostic(range.start);
                        continue;
                    }
                    self.inline_depth += 1;
                    match tag.as_str() {
                        "<br>" | "<br/>" | "<br />" => out.push(Inline::LineBreak),
                        "<sup>" => out.push(Inline::Superscript {
                            inlines: self.inlines(Some("</sup>")),
                        }),
                        "<sub>" => out.push(Inline::Subscript {
                            inlines: self.inlines(Some("</sub>")),
                        }),
                        "<strong>" | "<b>" => out.push(Inline::Strong {
                            inlines: self.inlines(Some(if tag == "<b>" {
                                "</b>"
                            } else {
                                "</strong>"
                            })),
                        }),
                        "<em>" | "<i>" => out.push(Inline::Emphasis {
                            inlines: self.inlines(Some(if tag == "<i>" {
                                "</i>"
                            } else {
                                "</em>"
                            })),
                        }),
                        // Other inline HTML (`<span …>`, comments) leaves no text.
                        _ => {}
                    }
                    self.inline_depth -= 1;
                }
                Event::Html(_) | Event::TaskListMarker(_) | Event::Rule => {
                    self.bump();
                }
            }
        }
        out
    }

    /// Reports inline elements nested past the limit, once per document: a hostile page can
    /// hold millions of them.
    fn nesting_diagnostic(&mut self, at: usize) {
        if self.inline_too_deep {
            return;
        }
        self.inline_too_deep = true;
        self.diagnose(
            &codes::NESTING_TOO_DEEP,
            format!(
                "inline elements nested past {MAX_INLINE_DEPTH} levels; the deeper ones read as text of the level above"
            ),
            Some(at),
        );
    }

    /// The text of one text event, with the export's leftovers (`{{-}}`, empty brackets)
    /// removed and reported where they stand in the source.
    fn text_event(&mut self, text: &str, range: Range<usize>) -> String {
        if self.canonical {
            return text.to_owned();
        }
        let source = self.text.get(range.clone()).unwrap_or_default();
        // Offsets inside the event map to the source when the event is the source verbatim.
        let offset_of = |at: usize| {
            if source == text {
                range.start + at
            } else {
                range.start
            }
        };
        let mut text = text.to_owned();
        let leftovers: Vec<Range<usize>> = TEMPLATE_LEFTOVER
            .find_iter(&text)
            .map(|m| m.range())
            .collect();
        for found in leftovers.into_iter().rev() {
            let offset = offset_of(found.start);
            let what = text[found.clone()].to_owned();
            text.replace_range(found, "");
            self.diagnose(
                &codes::LEFTOVER_MARKUP_REMOVED,
                format!("removed the leftover template `{what}`"),
                Some(offset),
            );
        }
        let empty = repair::empty_brackets(&text);
        for found in empty.into_iter().rev() {
            let offset = offset_of(found.start);
            let what = text[found.clone()].to_owned();
            text.replace_range(found, "");
            self.diagnose(
                &codes::EMPTY_BRACKETS,
                format!("removed the empty brackets `{what}` left by a dropped template"),
                Some(offset),
            );
            self.document.count_repair("empty_brackets");
        }
        text
    }

    /// The repairs that need the whole document, in order.
    fn finish(mut self, mut blocks: Vec<Block>) -> Parsed {
        self.take_title(&mut blocks);
        if !self.canonical {
            self.take_banner(&mut blocks);
            self.take_reference_list(&mut blocks);
        } else {
            self.drop_reference_heading(&mut blocks);
        }
        let mut categories = Vec::new();
        take_categories(&mut blocks, &mut categories);
        self.document.categories.extend(categories);
        blocks = self.figures(blocks);
        let canonical = self.canonical;
        let soft_break = self.soft_break;
        let mut swallowed = 0;
        let mut unclosed = 0;
        zhnorm_doc::for_each_inline_mut(&mut blocks, &mut |list| {
            resolve_soft_breaks(list, soft_break);
            repair::merge_texts(list);
        });
        zhnorm_doc::for_each_inline_mut(&mut blocks, &mut |list| {
            if !canonical {
                swallowed += repair_links(list);
            }
            unclosed += repair::group_conversions(list);
        });
        for reference in &mut self.raw_references {
            resolve_soft_breaks(&mut reference.inlines, soft_break);
            repair::merge_texts(&mut reference.inlines);
            repair::trim_edges(&mut reference.inlines);
        }
        for _ in 0..swallowed {
            self.document.count_repair("swallowed_link_text");
        }
        for _ in 0..unclosed {
            self.diagnose(
                &codes::UNCLOSED_CONVERSION,
                "`-{` without `}-`".to_owned(),
                None,
            );
        }
        if !canonical {
            self.markers(&mut blocks);
        }
        let mut empty_items = 0;
        tidy_blocks(&mut blocks, &mut empty_items);
        let repeated = drop_repeated_captions(&mut blocks);
        for _ in 0..repeated {
            self.document.count_repair("repeated_table_caption");
        }
        for _ in 0..empty_items {
            self.document.count_repair("empty_list_item");
        }
        self.document.blocks = blocks;
        self.document
            .diagnostics
            .sort_by_key(|d| (d.line.is_none(), d.line, d.column));
        Parsed {
            document: self.document,
            raw_references: self.raw_references,
        }
    }

    fn take_title(&mut self, blocks: &mut Vec<Block>) {
        let metadata = std::mem::take(&mut self.metadata);
        for (key, value) in metadata {
            match key.as_str() {
                "id" => self.document.id = value,
                "title" => self.document.title = value,
                "lang" => self.document.lang = value,
                "categories" => {
                    self.document.categories = value
                        .split(" | ")
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned)
                        .collect();
                }
                _ => {}
            }
        }
        // A `# title` line: the view's title (already known from the front matter) or an
        // export's.
        if let Some(Block::Heading { level: 1, inlines }) = blocks.first() {
            if self.document.title.is_empty() {
                self.document.title = plain_text(inlines).trim().to_owned();
            }
            blocks.remove(0);
        }
        if !self.document.title.is_empty() {
            return;
        }
        // zh.wikipedia writes the article's name in bold at the start of the lead.
        let lead = blocks.iter().find_map(|b| match b {
            Block::Paragraph { inlines } if !is_banner(inlines) => Some(inlines),
            _ => None,
        });
        if let Some(title) = lead.and_then(|inlines| first_strong(inlines, self.soft_break)) {
            self.document.title = title;
            return;
        }
        crate::text::ensure_title(&mut self.document);
    }

    /// `> 本文内容由[X](…)转换而来。` is provenance, not text.
    fn take_banner(&mut self, blocks: &mut Vec<Block>) {
        let Some(at) = blocks.iter().position(|b| match b {
            Block::Quote { blocks } => blocks.iter().any(|b| match b {
                Block::Paragraph { inlines } => is_banner(inlines),
                _ => false,
            }),
            _ => false,
        }) else {
            return;
        };
        let Block::Quote { blocks: quoted } = blocks.remove(at) else {
            return;
        };
        let mut origin = None;
        zhnorm_doc::for_each_inline(&quoted, &mut |inline| {
            if let Inline::Link { kind, target, .. } = inline
                && origin.is_none()
            {
                origin = Some(match kind {
                    LinkKind::Wiki => format!("{}{target}", WIKI_PREFIXES[0]),
                    LinkKind::External => target.clone(),
                });
            }
        });
        self.document.source.origin = Some(origin.unwrap_or_else(|| {
            quoted
                .iter()
                .map(|b| match b {
                    Block::Paragraph { inlines } => plain_text(inlines),
                    _ => String::new(),
                })
                .collect::<String>()
        }));
    }

    /// The numbered list at the end of an export is its reference list: item `n` is the
    /// reference that `\[n\]` cites. Empty items are kept as empty references.
    fn take_reference_list(&mut self, blocks: &mut Vec<Block>) {
        if !self.raw_references.is_empty() {
            return; // Footnote-style export: the definitions are the references.
        }
        let Some(Block::List {
            ordered: true,
            items,
        }) = blocks.last()
        else {
            return;
        };
        // A content list can end an article too: the list is the reference list only when the
        // text has markers (`\[n\]`, or `[n]` in raw HTML) or the list has the empty items of
        // dropped references.
        let cites = SOURCE_MARKER.is_match(self.text);
        let has_empty = items.iter().any(|item| item.blocks.is_empty());
        let looks_like_references = (cites || has_empty)
            && items.iter().all(|item| {
                item.blocks.len() <= 1
                    && item
                        .blocks
                        .iter()
                        .all(|b| matches!(b, Block::Paragraph { .. }))
            });
        if !looks_like_references {
            return;
        }
        let Some(source) = self.ordered_lists.pop() else {
            return;
        };
        let Some(Block::List { items, .. }) = blocks.pop() else {
            return;
        };
        for (n, (item, range)) in items.into_iter().zip(source.items).enumerate() {
            let label = (source.start + n as u64).to_string();
            let item_source = self.text.get(range.clone()).unwrap_or_default();
            let raw = ITEM_NUMBER.replace(item_source, "").trim().to_owned();
            let inlines = item
                .blocks
                .into_iter()
                .next()
                .map(|b| match b {
                    Block::Paragraph { inlines } => inlines,
                    _ => Vec::new(),
                })
                .unwrap_or_default();
            self.raw_references.push(RawReference {
                key: label.clone(),
                format: Some(Format::Markdown),
                raw,
                label: Some(label),
                inlines,
                location: Some(self.location(range.start)),
                ..RawReference::default()
            });
        }
    }

    /// The view writes its reference list under a `## 参考资料` heading of its own.
    fn drop_reference_heading(&mut self, blocks: &mut Vec<Block>) {
        if self.raw_references.is_empty() {
            return;
        }
        if let Some(Block::Heading { level: 2, inlines }) = blocks.last()
            && plain_text(inlines) == super::REFERENCES_HEADING
        {
            blocks.pop();
        }
    }

    /// Image links (`[X.png](…File:X.png "fig:…")`) become figure blocks, splitting the
    /// paragraph they stand in. Text after the image up to a stray `]]` (an exporter's broken
    /// caption) is the caption.
    fn figures(&mut self, blocks: Vec<Block>) -> Vec<Block> {
        let mut out = Vec::with_capacity(blocks.len());
        for block in blocks {
            match block {
                Block::Paragraph { inlines } if inlines.iter().any(is_file_link) => {
                    self.split_figures(inlines, &mut out);
                }
                Block::List { ordered, items } => {
                    let items = items
                        .into_iter()
                        .map(|item| ListItem {
                            term: item.term,
                            blocks: self.figures(item.blocks),
                        })
                        .collect();
                    out.push(Block::List { ordered, items });
                }
                Block::Quote { blocks } => out.push(Block::Quote {
                    blocks: self.figures(blocks),
                }),
                other => out.push(other),
            }
        }
        out
    }

    fn split_figures(&mut self, mut inlines: Vec<Inline>, out: &mut Vec<Block>) {
        // Escaped brackets arrive as separate text events: `\]\]` must read as one `]]`.
        repair::merge_texts(&mut inlines);
        let mut pending: Vec<Inline> = Vec::new();
        let mut iter = inlines.into_iter().peekable();
        while let Some(inline) = iter.next() {
            let Inline::Link {
                target, inlines, ..
            } = inline
            else {
                pending.push(inline);
                continue;
            };
            if !has_namespace(&target, FILE_NAMESPACES) {
                pending.push(Inline::Link {
                    kind: LinkKind::Wiki,
                    target,
                    inlines,
                });
                continue;
            }
            push_paragraph(&mut pending, out, self.soft_break);
            let file = strip_namespace(&target).to_owned();
            let mut caption = if self.canonical {
                inlines
            } else {
                let text = plain_text(&inlines);
                let text = text.trim();
                let file_spaced = file.replace('_', " ");
                if THUMB_KEYWORDS.contains(&text)
                    || text == file
                    || text.replace('_', " ") == file_spaced
                    || text.is_empty()
                {
                    Vec::new()
                } else {
                    inlines
                }
            };
            if !self.canonical {
                // A broken caption: the rest of the wikitext caption and a stray `]]`.
                let rest: Vec<Inline> = iter.clone().collect();
                if let Some((count, tail)) = broken_caption_end(&rest, self.soft_break) {
                    let mut taken: Vec<Inline> = iter.by_ref().take(count).collect();
                    if let Some(Inline::Text { text }) = taken.last_mut() {
                        *text = tail.0;
                    }
                    caption.extend(taken);
                    if !tail.1.is_empty() {
                        pending.push(Inline::text(tail.1));
                    }
                    let offset = self.text[self.broken_caption_cursor..]
                        .find("\\]\\]")
                        .map(|at| self.broken_caption_cursor + at);
                    if let Some(offset) = offset {
                        self.broken_caption_cursor = offset + 4;
                    }
                    self.diagnose(
                        &codes::BROKEN_IMAGE_CAPTION,
                        "image caption broken by the export; the stray `]]` was removed".to_owned(),
                        offset,
                    );
                }
            }
            if self.canonical {
                // The view writes a caption's closing citations after the image: pulldown-cmark
                // reads no footnote reference inside an image's description.
                while let Some(Inline::Cite { .. }) = iter.peek() {
                    caption.extend(iter.next());
                }
            }
            resolve_soft_breaks(&mut caption, self.soft_break);
            repair::merge_texts(&mut caption);
            repair::trim_edges(&mut caption);
            out.push(Block::Figure {
                target: file,
                caption,
                alt: None,
            });
        }
        push_paragraph(&mut pending, out, self.soft_break);
    }

    /// `[n]` markers (`\[n\]` in the export) become citations of reference `n`; a marker
    /// with no such reference is dropped with a diagnostic.
    fn markers(&mut self, blocks: &mut [Block]) {
        let known: Vec<String> = self.raw_references.iter().map(|r| r.key.clone()).collect();
        let mut unresolved: Vec<String> = Vec::new();
        zhnorm_doc::for_each_inline_mut(blocks, &mut |list| {
            let mut out = Vec::with_capacity(list.len());
            for inline in list.drain(..) {
                let Inline::Text { text } = &inline else {
                    out.push(inline);
                    continue;
                };
                if !MARKER.is_match(text) {
                    out.push(inline);
                    continue;
                }
                let mut last = 0;
                for caps in MARKER.captures_iter(text) {
                    let whole = caps.get(0).map_or(0..0, |m| m.range());
                    out.push(Inline::text(&text[last..whole.start]));
                    let number = caps[1].to_owned();
                    if known.contains(&number) {
                        out.push(Inline::Cite { reference: number });
                    } else {
                        unresolved.push(number);
                    }
                    last = whole.end;
                }
                out.push(Inline::text(&text[last..]));
            }
            repair::merge_texts(&mut out);
            *list = out;
        });
        for number in unresolved {
            let offset = SOURCE_MARKER
                .captures_iter(&self.text[self.marker_cursor..])
                .find(|c| c[1] == number)
                .and_then(|c| c.get(0))
                .map(|m| self.marker_cursor + m.start());
            if let Some(offset) = offset {
                self.marker_cursor = offset + 1;
            }
            self.diagnose(
                &codes::UNRESOLVED_MARKER,
                format!("citation marker [{number}] has no reference {number}; removed"),
                offset,
            );
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// Tells wiki links from external ones and gives the page title of wiki links.
fn classify_link(dest: &str, title: &str, canonical: bool) -> (LinkKind, String) {
    let decoded = percent_decode_str(dest).decode_utf8_lossy().into_owned();
    let wiki_page = WIKI_PREFIXES
        .iter()
        .find_map(|prefix| decoded.strip_prefix(prefix))
        .map(str::to_owned)
        .or_else(|| {
            (title == "wikilink").then(|| {
                let page = decoded.strip_prefix("../Page/").unwrap_or(&decoded);
                page.strip_suffix(".md").unwrap_or(page).to_owned()
            })
        });
    match wiki_page {
        // The view writes targets as they are; exports write MediaWiki's `_` for spaces.
        Some(page) if canonical => (LinkKind::Wiki, page),
        Some(page) => (
            LinkKind::Wiki,
            page.replace('_', " ").trim_start_matches(':').to_owned(),
        ),
        None if canonical => (LinkKind::External, decoded),
        None => (LinkKind::External, dest.to_owned()),
    }
}

fn has_namespace(target: &str, namespaces: &[&str]) -> bool {
    namespaces.iter().any(|ns| {
        target
            .get(..ns.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(ns))
    })
}

fn strip_namespace(target: &str) -> &str {
    target.split_once(':').map_or(target, |(_, rest)| rest)
}

fn is_file_link(inline: &Inline) -> bool {
    matches!(inline, Inline::Link { kind: LinkKind::Wiki, target, .. } if has_namespace(target, FILE_NAMESPACES))
}

fn is_banner(inlines: &[Inline]) -> bool {
    let text = plain_text(inlines);
    text.trim_start().starts_with("本文内容由") && text.contains("转换而来")
}

fn first_strong(inlines: &[Inline], soft_break: char) -> Option<String> {
    inlines.iter().find_map(|inline| match inline {
        Inline::Strong { inlines } => {
            let text = plain_text(inlines).replace(soft_break, " ");
            let text = text.trim();
            (!text.is_empty()).then(|| text.to_owned())
        }
        Inline::Link { .. } => None,
        Inline::Emphasis { inlines } => first_strong(inlines, soft_break),
        _ => None,
    })
}

/// Where a stray `]]` ends a broken caption in the inlines after an image: how many nodes the
/// caption takes, the caption's part of the last one and what follows the `]]`.
fn broken_caption_end(rest: &[Inline], soft_break: char) -> Option<(usize, (String, String))> {
    for (i, inline) in rest.iter().enumerate() {
        match inline {
            Inline::Text { text } => {
                if let Some(at) = text.find("]]") {
                    return Some((i + 1, (text[..at].to_owned(), text[at + 2..].to_owned())));
                }
                if text.contains(soft_break) && text.trim_matches(soft_break).contains(soft_break) {
                    return None;
                }
            }
            other if is_file_link(other) => return None,
            _ => {}
        }
    }
    None
}

fn push_paragraph(pending: &mut Vec<Inline>, out: &mut Vec<Block>, soft_break: char) {
    let mut inlines = std::mem::take(pending);
    resolve_soft_breaks(&mut inlines, soft_break);
    repair::merge_texts(&mut inlines);
    repair::trim_edges(&mut inlines);
    if !inlines.is_empty() {
        out.push(Block::Paragraph { inlines });
    }
}

/// Removes category links everywhere, collecting their names.
fn take_categories(blocks: &mut [Block], categories: &mut Vec<String>) {
    zhnorm_doc::for_each_inline_mut(blocks, &mut |list| {
        list.retain(|inline| match inline {
            Inline::Link {
                kind: LinkKind::Wiki,
                target,
                ..
            } if has_namespace(target, CATEGORY_NAMESPACES) => {
                let name = strip_namespace(target)
                    .split('|')
                    .next()
                    .unwrap_or_default();
                let name = name.trim().to_owned();
                if !name.is_empty() && !categories.contains(&name) {
                    categories.push(name);
                }
                false
            }
            _ => true,
        });
    });
}

/// Replaces soft-break placeholders by what joins the two lines: nothing between CJK text,
/// a space otherwise.
fn resolve_soft_breaks(list: &mut [Inline], soft_break: char) {
    for i in 0..list.len() {
        let Inline::Text { text } = &list[i] else {
            continue;
        };
        if !text.contains(soft_break) {
            continue;
        }
        let before_node = i
            .checked_sub(1)
            .and_then(|j| last_char(std::slice::from_ref(&list[j])));
        let after_node = list
            .get(i + 1)
            .and_then(|next| first_char(std::slice::from_ref(next), soft_break));
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        for (k, &c) in chars.iter().enumerate() {
            if c != soft_break {
                out.push(c);
                continue;
            }
            let before =
                out.chars()
                    .next_back()
                    .filter(|c| !c.is_whitespace())
                    .or(if out.is_empty() {
                        before_node
                    } else {
                        out.chars().next_back()
                    });
            let after = chars[k + 1..]
                .iter()
                .copied()
                .find(|&c| c != soft_break)
                .or(after_node);
            let before = before.filter(|c| !c.is_whitespace());
            out.push_str(match (before, after) {
                (None, _) => "",
                _ => repair::line_join(before, after),
            });
        }
        list[i] = Inline::text(out);
    }
}

fn last_char(list: &[Inline]) -> Option<char> {
    plain_text(list).chars().next_back()
}

fn first_char(list: &[Inline], soft_break: char) -> Option<char> {
    plain_text(list).chars().find(|&c| c != soft_break)
}

/// Wiki-link repairs of an export: the `ⓦ` some exporters append to wiki link texts, and
/// link text that swallowed the characters after the link. Returns the number of splits.
fn repair_links(list: &mut Vec<Inline>) -> u32 {
    let mut repaired = 0;
    let mut i = 0;
    while i < list.len() {
        let Inline::Link {
            kind: LinkKind::Wiki,
            target,
            inlines,
        } = &mut list[i]
        else {
            i += 1;
            continue;
        };
        if let Some(Inline::Text { text }) = inlines.last_mut()
            && text.ends_with('ⓦ')
        {
            text.pop();
            if text.is_empty() {
                inlines.pop();
            }
        }
        let all_text = inlines.iter().all(|i| matches!(i, Inline::Text { .. }));
        if !all_text || target.contains(':') && has_namespace(target, FILE_NAMESPACES) {
            i += 1;
            continue;
        }
        let text = plain_text(inlines);
        let Some(split) = repair::swallowed_split(&text, target) else {
            i += 1;
            continue;
        };
        let rest = text[split..].to_owned();
        *inlines = vec![Inline::text(&text[..split])];
        list.insert(i + 1, Inline::text(rest));
        repaired += 1;
        i += 2;
    }
    repair::merge_texts(list);
    repaired
}

/// Final tidying: trims paragraphs, drops empty paragraphs, empty list items and empty lists.
fn tidy_blocks(blocks: &mut Vec<Block>, empty_items: &mut u32) {
    for block in blocks.iter_mut() {
        match block {
            Block::Paragraph { inlines } | Block::Heading { inlines, .. } => {
                repair::merge_texts(inlines);
                repair::trim_edges(inlines);
            }
            Block::List { items, .. } => {
                for item in items.iter_mut() {
                    tidy_blocks(&mut item.blocks, empty_items);
                }
                let before = items.len();
                items.retain(|item| !item.blocks.is_empty() || !item.term.is_empty());
                *empty_items += u32::try_from(before - items.len()).unwrap_or(u32::MAX);
            }
            Block::Quote { blocks } => tidy_blocks(blocks, empty_items),
            _ => {}
        }
    }
    blocks.retain(|block| match block {
        Block::Paragraph { inlines } => !inlines.is_empty(),
        Block::List { items, .. } => !items.is_empty(),
        Block::Quote { blocks } => !blocks.is_empty(),
        _ => true,
    });
}

/// Exporters repeat a table's caption as a paragraph right after the table: drop it.
fn drop_repeated_captions(blocks: &mut Vec<Block>) -> u32 {
    let mut dropped = 0;
    let mut i = 1;
    while i < blocks.len() {
        let repeated = match (&blocks[i - 1], &blocks[i]) {
            (Block::Table { caption, .. }, Block::Paragraph { inlines }) => {
                !caption.is_empty() && plain_text(caption).trim() == plain_text(inlines).trim()
            }
            _ => false,
        };
        if repeated {
            blocks.remove(i);
            dropped += 1;
        } else {
            i += 1;
        }
    }
    dropped
}
