//! Reading text scraped from a rendered zh.wikipedia page, line by line.
//!
//! A scrape has no markup left, so structure is recovered from what the rendered page shows:
//! a heading is a line followed by the `[编辑]` (edit) link, or a line named in the page's
//! contents list (`目次`/`目录`); reference sections hold `^` lines (or, in scrapes that drop
//! the `^`, one footnote per line, numbered in order up to the highest number the text cites;
//! the lines after that are a bibliography, read as content); infobox residue at the top is
//! table debris. One line is one paragraph: the scrapers put a line break between blocks.
//!
//! What markup a scraper copied half-rendered is dealt with as the wikitext reader does: a stray
//! `]]` (the end of an image caption an export broke), `[[`, `{{`, `}}`, `||` runs and template
//! calls kept as text (`{{Dead link|…}}`) are removed with a diagnostic at their place; `-{…}-`
//! becomes conversion markup for the script stage; the TeX a formula leaves (`h\nu=E_{\mbox{w}}`)
//! becomes math.

use std::sync::LazyLock;

use regex::Regex;
use zhnorm_doc::{
    Block, Diagnostic, Document, Format, Infobox, Inline, ListItem, Location, RawReference, Source,
    codes,
};

use crate::markdown::repair;
use crate::{LineIndex, Parsed};

/// The edit link the page shows after every heading.
pub(crate) const EDIT_MARKER: &str = "[编辑]";
const EDIT_MARKERS: &[&str] = &["[编辑]", "[編輯]", "[编辑源代码]", "[編輯原始碼]"];

/// Names of sections that hold references and notes.
pub(crate) const REFERENCE_SECTIONS: &[&str] = &[
    "参考资料",
    "參考資料",
    "参考文献",
    "參考文獻",
    "参考来源",
    "參考來源",
    "参考",
    "參考",
    "注释",
    "註釋",
    "注解",
    "註解",
    "脚注",
    "腳註",
    "来源",
    "來源",
    "引用",
    "参考注释",
];
/// Of those, the sections of notes (`[注 1]`), not sources.
const NOTE_SECTIONS: &[&str] = &["注释", "註釋", "注解", "註解", "脚注", "腳註"];
/// Names of the contents list.
const CONTENTS: &[&str] = &["目次", "目录", "目錄", "內容"];
/// Lines a media player leaves in the text.
const PLAYER_RESIDUE: &[&str] = &["選單", "选单", "0:00"];

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[(\d{1,4}|(?:注|註|note|n) ?\d{1,3}|[a-z])\]").expect("valid regex")
});
static REFERENCE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    // `- ^ 8.0 8.1 8.2 Title…`, `^ Title…`, `- ^ a b Title…`.
    // The backlinks may be all the line holds (`- ^ 16.0 16.1 16.2`): the last one then ends it.
    Regex::new(r"^(?:[-*•]\s*)?\^\s*((?:\d+\.\d+(?:\s+|$))+|(?:[a-z](?:\s+|$)){2,})?")
        .expect("valid regex")
});
/// A template call that a scrape kept as text (`{{Dead link|date=2020年3月}}`).
static TEMPLATE_LEFTOVER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{\{[^{}]*\}\}").expect("valid regex"));
/// Bracket tokens and `|` runs that markup leaves when a scraper copies it half-rendered: the
/// `]]` of an image caption an export broke, a lone `[[`, `{{` or `}}`, table debris.
static STRAY_MARKUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[\[|\]\]|\{\{|\}\}|\|{2,}").expect("valid regex"));
/// A run of printable ASCII, where TeX (the alt text of a formula) may stand.
static ASCII_RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\x21-\x7E](?:[\x20-\x7E]*[\x21-\x7E])?").expect("valid regex"));
/// A TeX command with at least two letters (`\frac`, `\hat`, `\mbox`).
static TEX_COMMAND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\\[A-Za-z]{2,}").expect("valid regex"));
/// Conversion markup a scrape kept (`-{zh-hans:…;zh-hant:…}-`), read as in Markdown exports.
static CONVERSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"-\{.*?\}-").expect("valid regex"));
static CONTENTS_ENTRY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s+(\d+(?:\.\d+)*)\s+(.+?)\s*$").expect("valid regex"));
static IMAGE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[^\s|][^|]*\.(?:svg|png|jpe?g|gif|tiff?|webp)$").expect("valid regex")
});

/// One source line with where it starts.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    offset: usize,
    text: &'a str,
}

pub(crate) fn read(text: &str, source: Source) -> Parsed {
    let mut lines: Vec<Line<'_>> = Vec::new();
    let mut offset = 0;
    for line in text.split('\n') {
        lines.push(Line {
            offset,
            text: line.trim_end_matches('\r'),
        });
        offset += line.len() + 1;
    }
    let mut reader = Reader {
        index: LineIndex::new(text),
        document: Document::new(source),
        raw_references: Vec::new(),
        blocks: Vec::new(),
        heading_levels: Vec::new(),
        in_parented_section: false,
        reference_section: None,
        notes_counter: 0,
        sources_counter: 0,
        note_prefix: note_prefix(text),
        note_markers: has_note_markers(text),
        highest_source_marker: 0,
        list: Vec::new(),
        first_half_width: None,
    };
    reader.read(&lines);
    reader.finish()
}

/// How the page labels its notes, so that note labels match the markers: `注 1` (or `註 1`,
/// with the prefix the page uses), or `a`, `b`, … when only letter markers occur.
fn note_prefix(text: &str) -> Option<String> {
    let labels: Vec<String> = MARKER
        .captures_iter(text)
        .map(|c| c[1].to_owned())
        .collect();
    let prefix = labels.iter().find_map(|label| {
        ["註", "注", "note", "n"]
            .into_iter()
            .find(|p| label.starts_with(p))
            .map(str::to_owned)
    });
    if prefix.is_some() {
        return prefix;
    }
    let letters = labels
        .iter()
        .any(|l| l.len() == 1 && l.chars().all(|c| c.is_ascii_lowercase()));
    if letters {
        None
    } else {
        Some("注".to_owned())
    }
}

/// Whether any marker of the text is a note's (`[注 1]`, `[註1]`, `[a]`) rather than a source's.
fn has_note_markers(text: &str) -> bool {
    MARKER
        .captures_iter(text)
        .any(|c| !c[1].bytes().all(|b| b.is_ascii_digit()))
}

/// Which kind of reference section is open, and its name.
#[derive(Debug, Clone, PartialEq)]
enum Section {
    Sources,
    Notes,
}

struct Reader<'a> {
    index: LineIndex<'a>,
    document: Document,
    raw_references: Vec<RawReference>,
    blocks: Vec<Block>,
    /// Heading texts from the contents list with their levels, in page order.
    heading_levels: Vec<(String, u8)>,
    in_parented_section: bool,
    reference_section: Option<Section>,
    notes_counter: u32,
    sources_counter: u32,
    /// `None` when notes are lettered.
    note_prefix: Option<String>,
    /// Whether the text cites notes at all (`[注 1]`, `[a]`); when it does not, a section named
    /// like one of notes (`注释`) holds the numbered sources.
    note_markers: bool,
    /// The highest number the text cited so far (`[38]`). MediaWiki lists only cited
    /// footnotes, so an unnumbered line of a reference section past it is no footnote: it is
    /// a bibliography's item (汉语 lists dictionaries under 来源 after its 38 footnotes).
    highest_source_marker: u32,
    /// Indented lines waiting to become a list: (depth, text, line).
    list: Vec<(usize, String, Location)>,
    /// Where the first half-width punctuation mark inside Chinese text was normalized.
    first_half_width: Option<Location>,
}

impl Reader<'_> {
    fn location(&self, line: &Line<'_>, column_offset: usize) -> Location {
        self.index.location(line.offset + column_offset)
    }

    fn read(&mut self, lines: &[Line<'_>]) {
        let mut i = 0;
        // The title line, then infobox residue.
        if let Some(first) = lines.first()
            && looks_like_title(first.text)
        {
            self.document.title = first.text.trim().to_owned();
            i = 1;
        }
        i = self.infobox(lines, i);
        while i < lines.len() {
            let line = lines[i];
            let trimmed = line.text.trim();
            if CONTENTS.contains(&trimmed) {
                i = self.contents(lines, i + 1);
                continue;
            }
            let (marker_len, rest) = strip_edit_marker(line.text);
            let next_has_marker = lines
                .get(i + 1)
                .is_some_and(|next| strip_edit_marker(next.text).0 > 0);
            let rest_trimmed = rest.trim();
            if rest_trimmed.is_empty() {
                self.flush_list();
                i += 1;
                continue;
            }
            // A heading line stands alone: lines of diagrams (`湘语 \t`) that repeat a heading's
            // text carry white space around it.
            let contents_level = if rest == rest_trimmed {
                self.contents_level(rest_trimmed)
            } else {
                None
            };
            // Some scrapers keep the edit link on the heading's own line: `背景[编辑]`.
            if let Some(heading) = EDIT_MARKERS
                .iter()
                .find_map(|m| rest_trimmed.strip_suffix(m))
                .map(str::trim_end)
                .filter(|h| !h.is_empty())
            {
                let is_parent = lines.get(i + 1).is_some_and(|next| {
                    EDIT_MARKERS
                        .iter()
                        .any(|m| next.text.trim_end().ends_with(m))
                });
                let level = self.edit_heading_level(heading, is_parent);
                self.heading(heading, level, &line, marker_len);
                i += 1;
                continue;
            }
            if next_has_marker || contents_level.is_some() {
                let is_parent = next_has_marker && next_is_heading(lines, i + 1);
                let level = contents_level
                    .unwrap_or_else(|| self.edit_heading_level(rest_trimmed, is_parent));
                self.heading(rest_trimmed, level, &line, marker_len);
                i += 1;
                continue;
            }
            if self.reference_section.is_some() && !self.is_listed_source(rest_trimmed) {
                self.reference_line(rest, &line, marker_len);
                i += 1;
                continue;
            }
            self.content_line(rest, &line, marker_len);
            i += 1;
        }
        self.flush_list();
    }

    /// Level of a heading recovered from `[编辑]` nesting: a heading directly followed by
    /// another is a parent (level 2) and the headings after it are its children (level 3)
    /// until the next parent or a reference section.
    fn edit_heading_level(&mut self, text: &str, is_parent: bool) -> u8 {
        if is_parent {
            self.in_parented_section = false;
            let level = 2;
            // Its first child follows at once.
            self.in_parented_section = true;
            return level;
        }
        if REFERENCE_SECTIONS.contains(&text) || is_closing_section(text) {
            self.in_parented_section = false;
            return 2;
        }
        if self.in_parented_section { 3 } else { 2 }
    }

    fn contents_level(&mut self, text: &str) -> Option<u8> {
        // Headings come in the order of the contents list. Looking at the next two entries only
        // (one may be missing from the scrape) keeps a line elsewhere that repeats a later
        // heading's text (a diagram's label) from being taken for it.
        let at = self
            .heading_levels
            .iter()
            .take(2)
            .position(|(t, _)| t == text)?;
        let (_, level) = self.heading_levels[at];
        self.heading_levels.drain(..=at);
        Some(level)
    }

    fn heading(&mut self, text: &str, level: u8, line: &Line<'_>, marker_len: usize) {
        self.flush_list();
        self.reference_section = if NOTE_SECTIONS.contains(&text) {
            Some(Section::Notes)
        } else if REFERENCE_SECTIONS.contains(&text) {
            Some(Section::Sources)
        } else if self.reference_section.is_some() && level > 2 && is_sub_reference(text) {
            self.reference_section.clone()
        } else {
            None
        };
        let inlines = self.inlines(text, line, marker_len);
        self.blocks.push(Block::Heading { level, inlines });
    }

    /// The contents list: indented numbered entries, whose numbering gives the levels.
    fn contents(&mut self, lines: &[Line<'_>], mut i: usize) -> usize {
        let mut seen_entry = false;
        while let Some(line) = lines.get(i) {
            if let Some(caps) = CONTENTS_ENTRY.captures(line.text) {
                let depth = caps[1].split('.').count();
                let level = u8::try_from(depth + 1).unwrap_or(6).min(6);
                self.heading_levels.push((caps[2].to_owned(), level));
                seen_entry = true;
            } else if !line.text.trim().is_empty() || seen_entry {
                break;
            }
            i += 1;
        }
        i
    }

    /// Skips table debris of the infobox at the top, keeping what carries content as fields.
    fn infobox(&mut self, lines: &[Line<'_>], mut i: usize) -> usize {
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut positional = 0;
        while let Some(line) = lines.get(i) {
            let text = line.text.trim();
            let is_residue = text.contains('|')
                || text.contains("![](")
                || (!self.document.title.is_empty() && text == self.document.title);
            if !is_residue {
                break;
            }
            let cells: Vec<String> = text
                .split('|')
                .map(|cell| cell.replace("![]()", "").trim().to_owned())
                .filter(|cell| !cell.is_empty() && !cell.chars().all(|c| c == '-' || c == ':'))
                .filter(|cell| *cell != self.document.title)
                .collect();
            match cells.as_slice() {
                [] => {}
                [single] => {
                    if let Some((name, value)) = single.split_once([':', '：'])
                        && !value.trim().is_empty()
                    {
                        fields.push((name.trim().to_owned(), value.trim().to_owned()));
                    } else if !single.ends_with([':', '：']) {
                        positional += 1;
                        fields.push((positional.to_string(), single.clone()));
                    }
                }
                [name, values @ ..] => fields.push((name.clone(), values.join(" "))),
            }
            i += 1;
        }
        if !fields.is_empty() {
            self.document.infobox = Some(Infobox {
                kind: "scraped".to_owned(),
                fields: fields.into_iter().collect(),
            });
        }
        i
    }

    fn content_line(&mut self, text: &str, line: &Line<'_>, marker_len: usize) {
        let trimmed = text.trim();
        if PLAYER_RESIDUE.contains(&trimmed) {
            return;
        }
        let depth = indentation_depth(text);
        if depth > 0 {
            let inlines_text = trimmed.to_owned();
            let location = self.location(line, marker_len);
            self.list.push((depth, inlines_text, location));
            return;
        }
        self.flush_list();
        if IMAGE_LINE.is_match(trimmed) && !trimmed.chars().any(repair::is_cjk) {
            self.blocks.push(Block::Figure {
                target: trimmed.to_owned(),
                caption: Vec::new(),
                alt: None,
            });
            return;
        }
        let offset = marker_len + (text.len() - text.trim_start().len());
        let inlines = self.inlines(trimmed, line, offset);
        self.blocks.push(Block::Paragraph { inlines });
    }

    /// Indented lines become a list, nested by indentation.
    fn flush_list(&mut self) {
        if self.list.is_empty() {
            return;
        }
        let entries = std::mem::take(&mut self.list);
        let min_depth = entries.iter().map(|(d, _, _)| *d).min().unwrap_or(1);
        let mut items: Vec<(usize, Vec<Inline>)> = Vec::new();
        let mut too_deep = false;
        for (depth, text, location) in entries {
            let inlines = self.inlines_at(&text, location);
            // `nest` recurses once per level, and so does every later stage.
            let depth = depth - min_depth;
            // Indentation 0 is the outer list: `MAX_LIST_DEPTH` lists nest at most, as in the
            // Markdown reader (17 did not read back from the view).
            if depth >= MAX_LIST_DEPTH && !too_deep {
                too_deep = true;
                self.document.diagnostics.push(
                    Diagnostic::new(
                        &codes::NESTING_TOO_DEEP,
                        format!(
                            "list indented {depth} levels deep; read as {MAX_LIST_DEPTH} levels"
                        ),
                    )
                    .at(location),
                );
            }
            items.push((depth.min(MAX_LIST_DEPTH - 1), inlines));
        }
        let list = nest(&items, 0, &mut 0);
        self.blocks.push(list);
    }

    /// A line of a sources section that cannot be a footnote: it shows no `^` and every
    /// number the text cites has its footnote already. It is read as content (a bibliography
    /// list, its caption), where the references stage finds listed sources.
    fn is_listed_source(&self, line: &str) -> bool {
        self.reference_section == Some(Section::Sources)
            && self.highest_source_marker > 0
            && self.sources_counter >= self.highest_source_marker
            && !REFERENCE_LINE.is_match(line)
    }

    fn reference_line(&mut self, text: &str, line: &Line<'_>, marker_len: usize) {
        let trimmed = text.trim();
        let mut raw = trimmed;
        let mut backlinks = 1;
        let mut explicit_label = None;
        if let Some(caps) = REFERENCE_LINE.captures(trimmed)
            && let Some(whole) = caps.get(0)
        {
            raw = trimmed[whole.end()..].trim_start();
            if let Some(links) = caps.get(1) {
                let tokens: Vec<&str> = links.as_str().split_whitespace().collect();
                backlinks = u32::try_from(tokens.len()).unwrap_or(1);
                if let Some(first) = tokens.first()
                    && let Some((number, _)) = first.split_once('.')
                {
                    explicit_label = Some(number.to_owned());
                }
            }
        }
        let column =
            marker_len + (text.len() - text.trim_start().len()) + (trimmed.len() - raw.len());
        let location = self.location(line, column);
        let cleaned = self.remove_leftovers(raw, location);
        let raw = cleaned.trim();
        let label = match self.reference_section {
            Some(Section::Notes) if self.note_markers => {
                self.notes_counter += 1;
                match &self.note_prefix {
                    Some(prefix) => format!("{prefix} {}", self.notes_counter),
                    None => letter_label(self.notes_counter),
                }
            }
            _ => {
                if let Some(number) = explicit_label.as_ref().and_then(|n| n.parse().ok()) {
                    self.sources_counter = number;
                } else {
                    self.sources_counter += 1;
                }
                self.sources_counter.to_string()
            }
        };
        let mut key = label.clone();
        while self.raw_references.iter().any(|r| r.key == key) {
            key.push('\'');
        }
        self.raw_references.push(RawReference {
            key,
            format: Some(Format::Scraped),
            raw: raw.to_owned(),
            label: Some(label),
            inlines: if raw.is_empty() {
                Vec::new()
            } else {
                vec![Inline::text(raw)]
            },
            backlinks,
            location: Some(
                self.location(line, marker_len + (text.len() - text.trim_start().len())),
            ),
            ..RawReference::default()
        });
    }

    fn inlines(&mut self, text: &str, line: &Line<'_>, offset: usize) -> Vec<Inline> {
        let location = self.location(line, offset);
        self.inlines_at(text, location)
    }

    /// Inline content of one line: half-width punctuation made full-width, markers kept as
    /// pending citations (resolved in [`Reader::finish`]).
    fn inlines_at(&mut self, text: &str, location: Location) -> Vec<Inline> {
        let (repaired_text, repaired) = full_width_outside_conversions(text);
        if repaired > 0 && self.first_half_width.is_none() {
            // The repair maps one char to one char, so the first difference is the first mark.
            let first = text
                .chars()
                .zip(repaired_text.chars())
                .take_while(|(a, b)| a == b)
                .count();
            let column = location.column + u32::try_from(first).unwrap_or(0);
            self.first_half_width = Some(Location {
                line: location.line,
                column,
            });
        }
        for _ in 0..repaired {
            self.document.count_repair("half_width_punctuation");
        }
        let text = repaired_text;
        let mut out = Vec::new();
        let mut last = 0;
        for caps in MARKER.captures_iter(&text) {
            let Some(whole) = caps.get(0) else { continue };
            self.text_piece(&text, last..whole.start(), location, &mut out);
            let column =
                location.column + u32::try_from(text[..whole.start()].chars().count()).unwrap_or(0);
            if let Ok(number) = caps[1].parse::<u32>() {
                self.highest_source_marker = self.highest_source_marker.max(number);
            }
            out.push(Inline::Cite {
                reference: pending_key(&caps[1], location.line, column),
            });
            last = whole.end();
        }
        self.text_piece(&text, last..text.len(), location, &mut out);
        repair::merge_texts(&mut out);
        let unclosed = repair::group_conversions(&mut out);
        for _ in 0..unclosed {
            self.document.diagnostics.push(
                Diagnostic::new(
                    &codes::UNCLOSED_CONVERSION,
                    "`-{` without `}-`, kept as text",
                )
                .at(location),
            );
        }
        out
    }

    /// Pushes the text of `range` (of a line starting at `location`): TeX of formulas becomes
    /// math, and leftover markup is removed.
    fn text_piece(
        &mut self,
        text: &str,
        range: std::ops::Range<usize>,
        location: Location,
        out: &mut Vec<Inline>,
    ) {
        let at = |offset: usize| Location {
            line: location.line,
            column: location.column + u32::try_from(text[..offset].chars().count()).unwrap_or(0),
        };
        let piece = &text[range.clone()];
        let mut last = 0;
        for run in ASCII_RUN.find_iter(piece) {
            let Some(tex) = tex_span(run.as_str()) else {
                continue;
            };
            let (start, end) = (run.start() + tex.start, run.start() + tex.end);
            let before = self.remove_leftovers(&piece[last..start], at(range.start + last));
            out.push(Inline::text(before));
            out.push(Inline::Math {
                tex: piece[start..end].to_owned(),
            });
            last = end;
        }
        let rest = self.remove_leftovers(&piece[last..], at(range.start + last));
        out.push(Inline::text(rest));
    }

    /// `text` without the markup a scrape should not hold (a template call kept as text, a
    /// stray `]]` of a broken image caption, `[[`, `{{`, `}}`, `||`), each removal reported at
    /// its place; `location` is where `text` starts.
    fn remove_leftovers(&mut self, text: &str, location: Location) -> String {
        if !text.contains(['[', ']', '{', '}', '|']) {
            return text.to_owned();
        }
        // A removal can join two halves into a new token (`[]][` → `[[`): repeat until none is
        // left (each pass removes at least two bytes, so this ends).
        let mut text = text.to_owned();
        while let Some(cleaned) = self.remove_leftovers_once(&text, location) {
            text = cleaned;
        }
        text
    }

    /// One pass of [`Reader::remove_leftovers`]; `None` when there is nothing to remove.
    fn remove_leftovers_once(&mut self, text: &str, location: Location) -> Option<String> {
        let mut found: Vec<std::ops::Range<usize>> = TEMPLATE_LEFTOVER
            .find_iter(text)
            .map(|m| m.range())
            .collect();
        for m in STRAY_MARKUP.find_iter(text) {
            if !found.iter().any(|r| r.start < m.end() && m.start() < r.end) {
                found.push(m.range());
            }
        }
        if found.is_empty() {
            return None;
        }
        found.sort_by_key(|r| r.start);
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for range in found {
            out.push_str(&text[last..range.start]);
            let what = &text[range.clone()];
            let (code, message) = match what {
                "]]" => (
                    &codes::UNBALANCED_LINK_BRACKETS,
                    "`]]` without `[[` (the end of a broken image caption), removed".to_owned(),
                ),
                "[[" => (
                    &codes::UNBALANCED_LINK_BRACKETS,
                    "`[[` without `]]`, removed".to_owned(),
                ),
                "{{" | "}}" => (
                    &codes::UNBALANCED_TEMPLATE_BRACES,
                    format!("`{what}` of no template, removed"),
                ),
                _ if what.starts_with('|') => (
                    &codes::LEFTOVER_MARKUP_REMOVED,
                    format!("removed the table debris `{what}`"),
                ),
                _ => (
                    &codes::LEFTOVER_MARKUP_REMOVED,
                    format!("removed the leftover template `{what}`"),
                ),
            };
            let column =
                location.column + u32::try_from(text[..range.start].chars().count()).unwrap_or(0);
            self.document
                .diagnostics
                .push(Diagnostic::new(code, message).at(Location {
                    line: location.line,
                    column,
                }));
            self.document.count_repair("leftover_markup_removed");
            last = range.end;
            // No double space where a token stood between two words.
            if out.ends_with(' ') {
                last += text[last..].len() - text[last..].trim_start_matches(' ').len();
            }
        }
        out.push_str(&text[last..]);
        if last == text.len() {
            out.truncate(out.trim_end().len());
        }
        Some(out)
    }

    /// Resolves markers against the references found, and drops what a marker cannot be.
    fn finish(mut self) -> Parsed {
        let known: Vec<(String, String)> = self
            .raw_references
            .iter()
            .map(|r| {
                (
                    normalize_label(r.label.as_deref().unwrap_or(&r.key)),
                    r.key.clone(),
                )
            })
            .collect();
        let mut diagnostics = Vec::new();
        let mut placed = vec![0u32; known.len()];
        zhnorm_doc::for_each_inline_mut(&mut self.blocks, &mut |list| {
            let mut out = Vec::with_capacity(list.len());
            let mut rejoined = None;
            for inline in list.drain(..) {
                let Inline::Cite { reference } = &inline else {
                    out.push(inline);
                    continue;
                };
                let Some((label, line, column)) = parse_pending(reference) else {
                    out.push(inline);
                    continue;
                };
                if let Some(at) = known
                    .iter()
                    .position(|(l, _)| *l == normalize_label(&label))
                {
                    placed[at] += 1;
                    out.push(Inline::Cite {
                        reference: known[at].1.clone(),
                    });
                } else if label.chars().all(|c| c.is_ascii_lowercase()) {
                    // `[p]` is phonetic notation unless the page has a note `p`.
                    out.push(Inline::text(format!("[{label}]")));
                    rejoined = Some(Location { line, column });
                } else {
                    rejoined = Some(Location { line, column });
                    diagnostics.push(
                        Diagnostic::new(
                            &codes::UNRESOLVED_MARKER,
                            format!("citation marker [{label}] has no reference {label}; removed"),
                        )
                        .at(Location { line, column }),
                    );
                }
            }
            repair::merge_texts(&mut out);
            // Text put back for a marker, or joined where one was removed, can make a token
            // (`[[p]`, `[[1][`): the text nodes are cleaned once more.
            if let Some(at) = rejoined {
                for inline in &mut out {
                    if let Inline::Text { text } = inline {
                        while let Some(m) = STRAY_MARKUP.find(text) {
                            diagnostics.push(
                                Diagnostic::new(
                                    &codes::LEFTOVER_MARKUP_REMOVED,
                                    format!("removed `{}` left beside a marker", m.as_str()),
                                )
                                .at(at),
                            );
                            text.replace_range(m.range(), "");
                        }
                    }
                }
            }
            *list = out;
        });
        // The `^ 1.0 1.1` back-links count the page's citations; markers the scrape lost (in an
        // infobox or a table it dropped) are said, not invented. None placed is R002's case.
        for (raw, &found) in self.raw_references.iter().zip(&placed) {
            if found > 0 && raw.backlinks > found {
                let label = raw.label.as_deref().unwrap_or(&raw.key);
                let mut diagnostic = Diagnostic::new(
                    &codes::CITATIONS_NOT_IN_TEXT,
                    format!(
                        "reference [{label}] is cited {} times on the page (its back-links), {found} of them in this text",
                        raw.backlinks
                    ),
                );
                if let Some(location) = raw.location {
                    diagnostic = diagnostic.at(location);
                }
                diagnostics.push(diagnostic);
            }
        }
        self.document.diagnostics.extend(diagnostics);
        if let Some(first) = self.first_half_width {
            let count = self
                .document
                .repairs
                .get("half_width_punctuation")
                .copied()
                .unwrap_or(0);
            self.document.diagnostics.push(
                Diagnostic::new(
                    &codes::HALF_WIDTH_PUNCTUATION,
                    format!(
                        "{count} half-width punctuation marks inside Chinese text, normalized to \
                         full width in the output (the first one here)"
                    ),
                )
                .at(first),
            );
        }
        crate::text::ensure_title(&mut self.document);
        self.document.blocks = self.blocks;
        Parsed {
            document: self.document,
            raw_references: self.raw_references,
        }
    }
}

/// [`repair::full_width_punctuation`] outside `-{…}-`, whose `;` and `:` are syntax.
fn full_width_outside_conversions(text: &str) -> (String, u32) {
    if !text.contains("-{") {
        return repair::full_width_punctuation(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut last = 0;
    for m in CONVERSION.find_iter(text) {
        let (repaired, n) = repair::full_width_punctuation(&text[last..m.start()]);
        out.push_str(&repaired);
        out.push_str(m.as_str());
        count += n;
        last = m.end();
    }
    let (repaired, n) = repair::full_width_punctuation(&text[last..]);
    out.push_str(&repaired);
    (out, count + n)
}

/// The part of an ASCII run that is TeX, the text a formula leaves in a scrape
/// (`E_{\mbox{w}}`, `h\nu=E_{\mbox{w}}+\frac{1}{2}mv^2`): a command of two or more letters,
/// a brace, `^`, `_` or `=`, and balanced braces. Plain words at its ends are left out.
fn tex_span(run: &str) -> Option<std::ops::Range<usize>> {
    if !TEX_COMMAND.is_match(run) || !run.contains(['{', '^', '_', '=']) {
        return None;
    }
    let plain_word = |token: &str, min: usize| {
        let word = token.trim_end_matches([',', '.', ':', ';']);
        word.len() >= min && word.bytes().all(|b| b.is_ascii_alphabetic())
    };
    let mut start = 0;
    let mut end = run.len();
    while let Some(space) = run[start..end].find(' ') {
        if !plain_word(&run[start..start + space], 2) {
            break;
        }
        start += space + 1;
    }
    while let Some(space) = run[start..end].rfind(' ') {
        if !plain_word(&run[start + space + 1..end], 3) {
            break;
        }
        end = start + space;
    }
    let tex = run[start..end].trim();
    let balanced = tex.matches('{').count() == tex.matches('}').count();
    (balanced && TEX_COMMAND.is_match(tex)).then(|| {
        let offset = start + (run[start..end].len() - run[start..end].trim_start().len());
        offset..offset + tex.len()
    })
}

/// `a` … `z`, then `aa`, `ab`, … as MediaWiki letters notes.
fn letter_label(n: u32) -> String {
    let mut n = n;
    let mut out = Vec::new();
    while n > 0 {
        let digit = u8::try_from((n - 1) % 26).unwrap_or(0);
        out.push(char::from(b'a' + digit));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Markers are kept as citations with this key until the references are known.
fn pending_key(label: &str, line: u32, column: u32) -> String {
    format!("\u{0}{label}\u{0}{line}\u{0}{column}")
}

fn parse_pending(key: &str) -> Option<(String, u32, u32)> {
    let mut parts = key.strip_prefix('\u{0}')?.split('\u{0}');
    let label = parts.next()?.to_owned();
    let line = parts.next()?.parse().ok()?;
    let column = parts.next()?.parse().ok()?;
    Some((label, line, column))
}

/// `註 1`, `注1` and `注 1` name the same note.
fn normalize_label(label: &str) -> String {
    label.replace('註', "注").replace(' ', "")
}

fn strip_edit_marker(line: &str) -> (usize, &str) {
    for marker in EDIT_MARKERS {
        if let Some(rest) = line.trim_start().strip_prefix(marker) {
            return (line.len() - rest.len(), rest);
        }
    }
    (0, line)
}

/// Whether the content after the `[编辑]` marker on line `marked` is itself a heading: the
/// marker's own line when text is glued to it, else the line after; a heading is followed by
/// another marker.
fn next_is_heading(lines: &[Line<'_>], marked: usize) -> bool {
    let Some(line) = lines.get(marked) else {
        return false;
    };
    let (_, rest) = strip_edit_marker(line.text);
    let content = if rest.trim().is_empty() {
        marked + 1
    } else {
        marked
    };
    let has_text = lines
        .get(content)
        .is_some_and(|l| !strip_edit_marker(l.text).1.trim().is_empty());
    has_text
        && lines
            .get(content + 1)
            .is_some_and(|after| strip_edit_marker(after.text).0 > 0)
}

/// The first line is the title when it reads like one: short, not a sentence, no markers.
fn looks_like_title(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty()
        && line.chars().count() <= 60
        && !line.contains(['。', '|', '['])
        && !line.ends_with(['，', '：', '；'])
}

/// Sections after the reference sections that end a page (`参见`, `外部链接`) are top-level.
fn is_closing_section(text: &str) -> bool {
    matches!(
        text,
        "参见"
            | "參見"
            | "外部链接"
            | "外部連結"
            | "相关条目"
            | "相關條目"
            | "延伸阅读"
            | "延伸閱讀"
    )
}

/// Sub-headings of a reference section that keep holding references.
fn is_sub_reference(text: &str) -> bool {
    REFERENCE_SECTIONS.contains(&text)
}

/// How deep indented lines nest as lists; deeper lines join the deepest level.
pub const MAX_LIST_DEPTH: usize = 16;

/// List depth of an indented line: tabs count one level, four spaces count one level.
fn indentation_depth(text: &str) -> usize {
    let mut depth = 0;
    let mut spaces = 0;
    for c in text.chars() {
        match c {
            '\t' => depth += 1,
            ' ' => {
                spaces += 1;
                if spaces == 4 {
                    depth += 1;
                    spaces = 0;
                }
            }
            _ => break,
        }
    }
    depth
}

/// Builds a nested unordered list from (depth, inlines) entries starting at `*at`.
fn nest(entries: &[(usize, Vec<Inline>)], depth: usize, at: &mut usize) -> Block {
    let mut items: Vec<ListItem> = Vec::new();
    while let Some((d, inlines)) = entries.get(*at) {
        if *d < depth {
            break;
        }
        if *d > depth {
            let inner = nest(entries, depth + 1, at);
            match items.last_mut() {
                Some(item) => item.blocks.push(inner),
                None => items.push(ListItem {
                    term: Vec::new(),
                    blocks: vec![inner],
                }),
            }
            continue;
        }
        items.push(ListItem {
            term: Vec::new(),
            blocks: vec![Block::Paragraph {
                inlines: inlines.clone(),
            }],
        });
        *at += 1;
    }
    Block::List {
        ordered: false,
        items,
    }
}
