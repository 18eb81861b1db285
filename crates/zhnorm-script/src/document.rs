//! The document walk: which text of a [`Document`] is converted, with what context, and how
//! MediaWiki conversion markup turns into text.
//!
//! Converted: headings, paragraphs, lists, tables, figure captions and alt text, the text of
//! links, the title, categories, infobox field values, and references' `title`,
//! `container-title`, `publisher`, author names and `note`. Never converted: URLs (link targets,
//! `URL`, URLs written in text), wiki link targets, `custom.raw` and the rest of `custom`, code,
//! math, the infobox's template and field names.
//!
//! Context: the text pieces of one block (a paragraph's text, the text of its links and of its
//! bold or italic runs) are converted as one string, so that a phrase split by markup
//! (`[[巴黎]]公社`) is still seen whole, and the result is split back at the original boundaries
//! where the conversion kept the length of each stretch; where it did not, each piece is
//! converted on its own. Code, math and line breaks end a stretch.
//!
//! Page rules act from where they stand, as in MediaWiki: a rule standing in the text as
//! `Inline::Conversion` (`-{H|…}-`, `-{A|…}-`, `-{-|…}-`, `-{T|…}-` and the rest) changes the
//! page rules for the text after it, in document order (the title, infobox values and body, then
//! categories and references). Rules listed in `doc.conversion.rules` that stand nowhere in the
//! text (the manual rules of `{{noteTA}}`, or a reader that keeps no positions) apply before the
//! first text, in their order. `__NOCONTENTCONVERT__` (`doc.conversion.no_content_conversion`)
//! leaves the text as written, resolving markup as for `zh`; `__NOTITLECONVERT__` leaves the
//! title as written.

use zhnorm_doc::{
    Block, ConversionRule, Document, Inline, ListItem, Name, Reference, TableCell, TableRow,
};

use crate::groups::ConversionGroups;
use crate::mediawiki::{Change, PageRules, Resolved, Shown, resolve};
use crate::quotes;
use crate::{ConvertOptions, Converter, EngineKind, Variant};

/// Converts every visible text of `doc` into the converter's variant and resolves all
/// conversion markup into text; sets `doc.lang`, `doc.conversion.engine` and
/// `doc.conversion.ambiguous`.
///
/// A document already converted into this variant (its `lang` is the variant's tag, and its
/// `conversion.engine` is set or it was read from zhnorm's own Markdown view) is left as it is:
/// converting text twice is never right (OpenCC's `s2t` is not idempotent).
pub fn convert_document(doc: &mut Document, converter: &Converter) {
    convert(doc, converter, None);
}

/// [`convert_document`], with the public conversion groups the document names
/// (`doc.conversion.groups`, from `{{noteTA|G1=…}}`) applied before its `noteTA` manual rules,
/// as MediaWiki renders the template. Returns the names of the groups `groups` does not hold,
/// in the document's order.
pub fn convert_document_with_groups(
    doc: &mut Document,
    converter: &Converter,
    groups: &ConversionGroups,
) -> Vec<String> {
    convert(doc, converter, Some(groups))
}

fn convert(
    doc: &mut Document,
    converter: &Converter,
    groups: Option<&ConversionGroups>,
) -> Vec<String> {
    let variant = converter.variant();
    // zhnorm's own Markdown view (format `canonical`) in this variant was converted when it was
    // written; it no longer says by which engine.
    let converted =
        doc.conversion.engine.is_some() || doc.source.format == zhnorm_doc::Format::Canonical;
    if doc.lang == variant.as_tag() && converted {
        return Vec::new();
    }
    let mut missing = Vec::new();
    let mut group_rules: Vec<ConversionRule> = Vec::new();
    if let Some(groups) = groups {
        for name in &doc.conversion.groups {
            match groups.rules(name) {
                Some(rules) => group_rules.extend_from_slice(rules),
                None => missing.push(name.clone()),
            }
        }
    }
    // `__NOCONTENTCONVERT__`: the text as written, markup resolved as for `zh`.
    let as_written;
    let converter = if doc.conversion.no_content_conversion && variant.converts_script() {
        as_written = Converter::new(Variant::Zh, EngineKind::Builtin, ConvertOptions::default())
            .expect("the as-written converter loads no data");
        &as_written
    } else {
        converter
    };
    let mut walk = Walk {
        converter,
        log: Vec::new(),
        others: Vec::new(),
        masks: false,
        rules: PageRules::new(),
        ambiguous: 0,
        title: None,
    };
    for rule in &group_rules {
        walk.apply_global(rule);
    }
    if !doc.conversion.rules.is_empty() {
        let mut in_place = Vec::new();
        for block in &doc.blocks {
            collect_rules_in_block(block, &mut in_place);
        }
        let in_place: foldhash::HashSet<&ConversionRule> = in_place.into_iter().collect();
        for rule in &doc.conversion.rules {
            if !in_place.contains(rule) {
                walk.apply_global(rule);
            }
        }
    }

    if !doc.conversion.no_title_conversion {
        walk.convert_field(&mut doc.title);
    }
    if let Some(infobox) = &mut doc.infobox {
        for value in infobox.fields.values_mut() {
            walk.convert_field(value);
        }
    }
    for block in &mut doc.blocks {
        walk.block(block);
    }
    for category in &mut doc.categories {
        walk.convert_field(category);
    }
    for reference in &mut doc.references {
        walk.reference(reference);
    }
    if let Some(title) = walk.title.take() {
        doc.title = title;
    }
    doc.lang = variant.as_tag().to_owned();
    doc.conversion.engine = Some(converter.engine_name());
    drop_emptied_blocks(&mut doc.blocks);
    doc.conversion.ambiguous = walk.ambiguous;
    missing
}

/// A rule of the page's list that stands nowhere: one without flags is a manual rule all the
/// same (`H`).
fn as_page_rule(rule: &ConversionRule) -> std::borrow::Cow<'_, ConversionRule> {
    if rule.flags.trim().is_empty() && !rule.variants.is_empty() {
        let mut rule = rule.clone();
        rule.flags = "H".to_owned();
        std::borrow::Cow::Owned(rule)
    } else {
        std::borrow::Cow::Borrowed(rule)
    }
}

/// Removes paragraphs and headings that held only rules showing nothing (`-{H|…}-` on a line of
/// its own): a paragraph with no text is no paragraph.
fn drop_emptied_blocks(blocks: &mut Vec<Block>) {
    blocks.retain(|block| match block {
        Block::Paragraph { inlines } => !inlines.is_empty(),
        _ => true,
    });
    for block in blocks.iter_mut() {
        match block {
            Block::List { items, .. } => {
                for item in items {
                    drop_emptied_blocks(&mut item.blocks);
                }
            }
            Block::Quote { blocks } => drop_emptied_blocks(blocks),
            _ => {}
        }
    }
}

fn collect_rules_in_block<'a>(block: &'a Block, out: &mut Vec<&'a ConversionRule>) {
    for_each_inline_list(block, &mut |inlines| collect_rules(inlines, out));
}

fn collect_rules<'a>(inlines: &'a [Inline], out: &mut Vec<&'a ConversionRule>) {
    for inline in inlines {
        match inline {
            Inline::Conversion { rule } => out.push(rule),
            Inline::Link { inlines, .. }
            | Inline::Strong { inlines }
            | Inline::Emphasis { inlines }
            | Inline::Superscript { inlines }
            | Inline::Subscript { inlines } => collect_rules(inlines, out),
            _ => {}
        }
    }
}

/// Calls `f` on every list of inlines directly held by `block` and its descendants.
fn for_each_inline_list<'a>(block: &'a Block, f: &mut dyn FnMut(&'a [Inline])) {
    match block {
        Block::Heading { inlines, .. } | Block::Paragraph { inlines } => f(inlines),
        Block::List { items, .. } => {
            for item in items {
                f(&item.term);
                for b in &item.blocks {
                    for_each_inline_list(b, f);
                }
            }
        }
        Block::Table { caption, rows } => {
            f(caption);
            for row in rows {
                for cell in &row.cells {
                    f(&cell.inlines);
                }
            }
        }
        Block::Figure { caption, .. } => f(caption),
        Block::Quote { blocks } => {
            for b in blocks {
                for_each_inline_list(b, f);
            }
        }
        Block::Code { .. } | Block::Math { .. } | Block::Rule => {}
    }
}

/// One text-bearing inline (a `Text` or a `Conversion`), in document order.
enum Slot {
    /// Text to convert.
    Convert(String),
    /// Text to show as it is.
    Protected(String),
    /// A rule that shows its text and then changes the page rules or the title (the rule
    /// itself, for [`Walk::log`]).
    Rule(Shown, Option<Change>, Option<String>, ConversionRule),
}

enum Item {
    Slot(Slot),
    /// Code, math or a line break: conversion context ends here.
    Break,
}

struct Walk<'a> {
    converter: &'a Converter,
    /// Every rule that changed the page rules so far, in order: the page rules of another
    /// variant ([`Walk::convert_as`]) are replayed from it.
    log: Vec<ConversionRule>,
    /// Page rules of other variants, with how much of `log` each has taken in, and their
    /// converter (builtin engine).
    others: Vec<(Variant, PageRules, usize, Option<Converter>)>,
    /// Whether the run being converted needs per-character protection masks (it holds
    /// quotation marks).
    masks: bool,
    rules: PageRules,
    ambiguous: u32,
    title: Option<String>,
}

impl Walk<'_> {
    /// A rule that stands before the first text: a page rule (`H`, `A`, a `noteTA` manual
    /// rule, with or without `H`), a removal, or a title rule (`T`, `{{noteTA|T=…}}`); what it
    /// shows is shown nowhere.
    fn apply_global(&mut self, rule: &ConversionRule) {
        let rule = as_page_rule(rule);
        let Resolved { change, title, .. } = resolve(&rule, self.converter.variant());
        if let Some(change) = change {
            self.rules.change(change);
            self.log.push(rule.into_owned());
        }
        if title.is_some() {
            self.title = title;
        }
    }

    /// `text` converted as `other` converts it: `other`'s page rules (caught up with the rules
    /// met so far), then `other`'s builtin engine (its tables are loaded once per process).
    fn convert_as(&mut self, text: &str, other: Variant) -> String {
        let at = match self.others.iter().position(|(v, ..)| *v == other) {
            Some(at) => at,
            None => {
                let converter =
                    Converter::new(other, EngineKind::Builtin, self.converter.options()).ok();
                self.others.push((other, PageRules::new(), 0, converter));
                self.others.len() - 1
            }
        };
        let (_, rules, seen, converter) = &mut self.others[at];
        for rule in &self.log[*seen..] {
            if let Some(change) = resolve(rule, other).change {
                rules.change(change);
            }
        }
        *seen = self.log.len();
        let converter = converter.as_ref().unwrap_or(self.converter);
        let mut out = String::new();
        for segment in rules.apply(text) {
            match segment.replaced {
                Some(replacement) => out.push_str(&replacement),
                None => out.push_str(
                    &converter.convert_script(&text[segment.source], &mut self.ambiguous),
                ),
            }
        }
        out
    }

    fn block(&mut self, block: &mut Block) {
        match block {
            Block::Heading { inlines, .. } | Block::Paragraph { inlines } => self.inlines(inlines),
            Block::List { items, .. } => {
                for ListItem { term, blocks } in items {
                    self.inlines(term);
                    for b in blocks {
                        self.block(b);
                    }
                }
            }
            Block::Table { caption, rows } => {
                self.inlines(caption);
                for TableRow { cells } in rows {
                    for TableCell { inlines, .. } in cells {
                        self.inlines(inlines);
                    }
                }
            }
            Block::Figure { caption, alt, .. } => {
                self.inlines(caption);
                if let Some(alt) = alt {
                    self.convert_field(alt);
                }
            }
            Block::Quote { blocks } => {
                for b in blocks {
                    self.block(b);
                }
            }
            Block::Code { .. } | Block::Math { .. } | Block::Rule => {}
        }
    }

    fn reference(&mut self, reference: &mut Reference) {
        let fields = [
            &mut reference.title,
            &mut reference.container_title,
            &mut reference.publisher,
            &mut reference.note,
        ];
        for text in fields.into_iter().flatten() {
            self.convert_field(text);
        }
        for name in &mut reference.author {
            match name {
                Name::Literal { literal } => self.convert_field(literal),
                Name::Structured { family, given } => {
                    self.convert_field(family);
                    self.convert_field(given);
                }
            }
        }
    }

    /// Converts one plain text field (no markup inside).
    fn convert_field(&mut self, text: &mut String) {
        if text.is_empty() || (self.rules.replaces_nothing() && self.converter.leaves_alone(text)) {
            return;
        }
        let converted = self.convert_run(vec![(std::mem::take(text), false)]);
        *text = converted.into_iter().next().unwrap_or_default();
    }

    fn inlines(&mut self, inlines: &mut Vec<Inline>) {
        if self.rules.replaces_nothing() && self.leaves_alone(inlines) {
            return;
        }
        let mut items = Vec::with_capacity(inlines.len());
        self.collect(inlines, &mut items);
        if items.is_empty() {
            return;
        }
        let mut outputs = self.convert_items(items).into_iter();
        write_back(inlines, &mut outputs);
    }

    /// Whether converting `inlines` would give them back unchanged: only texts the converter
    /// leaves alone (no conversion markup), none empty and no two adjacent (the way back merges
    /// those). Most blocks of a Simplified article in zh-Hans are such; skipping them spares
    /// copying every text through the walk (measured in ARCHITECTURE.md, "Speed in the pipeline").
    ///
    /// The texts are checked one at a time, while the conversion sees a stretch of them joined.
    /// A phrase standing across two texts is still caught: every phrase OpenCC 1.4.2's `t2s`
    /// changes holds a character that is a key by itself (checked over the 477 phrases of its
    /// `TSPhrases`), and the text holding that character is touched.
    fn leaves_alone(&self, inlines: &[Inline]) -> bool {
        let mut previous_text = false;
        for inline in inlines {
            let is_text = match inline {
                Inline::Text { text } => {
                    if text.is_empty() || previous_text || !self.converter.leaves_alone(text) {
                        return false;
                    }
                    true
                }
                Inline::Conversion { .. } => return false,
                Inline::Link { inlines, .. }
                | Inline::Strong { inlines }
                | Inline::Emphasis { inlines }
                | Inline::Superscript { inlines }
                | Inline::Subscript { inlines } => {
                    if !self.leaves_alone(inlines) {
                        return false;
                    }
                    false
                }
                Inline::Code { .. }
                | Inline::Math { .. }
                | Inline::LineBreak
                | Inline::Cite { .. } => false,
            };
            previous_text = is_text;
        }
        true
    }

    /// The slots of `inlines`, in order. Texts are moved out: [`write_back`] puts every slot's
    /// output back.
    fn collect(&self, inlines: &mut [Inline], items: &mut Vec<Item>) {
        for inline in inlines {
            match inline {
                Inline::Text { text } => {
                    items.push(Item::Slot(Slot::Convert(std::mem::take(text))))
                }
                Inline::Conversion { rule } => {
                    let slot = match resolve(rule, self.converter.variant()) {
                        Resolved {
                            shown: Shown::Protected(text),
                            change: None,
                            title: None,
                        } => Slot::Protected(text),
                        Resolved {
                            shown: Shown::Convert(text),
                            change: None,
                            title: None,
                        } => Slot::Convert(text),
                        Resolved {
                            shown,
                            change,
                            title,
                        } => Slot::Rule(shown, change, title, (**rule).clone()),
                    };
                    items.push(Item::Slot(slot));
                }
                Inline::Link { inlines, .. }
                | Inline::Strong { inlines }
                | Inline::Emphasis { inlines }
                | Inline::Superscript { inlines }
                | Inline::Subscript { inlines } => self.collect(inlines, items),
                Inline::Code { .. } | Inline::Math { .. } | Inline::LineBreak => {
                    items.push(Item::Break)
                }
                Inline::Cite { .. } => {}
            }
        }
    }

    /// The output text of every slot, in order.
    fn convert_items(&mut self, items: Vec<Item>) -> Vec<String> {
        let mut outputs = Vec::new();
        let mut run: Vec<(String, bool)> = Vec::new();
        for item in items {
            match item {
                Item::Break => self.flush(&mut run, &mut outputs),
                Item::Slot(Slot::Convert(text)) => run.push((text, false)),
                Item::Slot(Slot::Protected(text)) => run.push((text, true)),
                Item::Slot(Slot::Rule(shown, change, title, rule)) => {
                    match shown {
                        Shown::Protected(text) => run.push((text, true)),
                        Shown::Convert(text) => run.push((text, false)),
                        Shown::ConvertAs(text, other) => {
                            let out = self.convert_as(&text, other);
                            run.push((out, true));
                        }
                    }
                    self.flush(&mut run, &mut outputs);
                    if let Some(change) = change {
                        self.rules.change(change);
                        self.log.push(rule);
                    }
                    if title.is_some() {
                        self.title = title;
                    }
                }
            }
        }
        self.flush(&mut run, &mut outputs);
        outputs
    }

    fn flush(&mut self, run: &mut Vec<(String, bool)>, outputs: &mut Vec<String>) {
        if run.is_empty() {
            return;
        }
        let pieces = std::mem::take(run);
        outputs.extend(self.convert_run(pieces));
    }

    /// Converts a run of pieces that share context; `true` marks a protected piece.
    fn convert_run(&mut self, mut pieces: Vec<(String, bool)>) -> Vec<String> {
        // Protection masks matter only to quotation marks, and only marks of another style than
        // the target's change. Without any in the run, none is in its output either (engines
        // leave them alone; marks a page rule brings are protected), and the marks of the
        // target's style are their own replacements.
        self.masks = self.converter.quote_target().is_some_and(|target| {
            pieces
                .iter()
                .any(|(text, _)| quotes::has_marks_other_than(text, target))
        });
        if let ([(text, false)], false, true) =
            (pieces.as_slice(), self.masks, self.rules.replaces_nothing())
        {
            // One text, no rule in force and no quotation mark (most runs): what the general
            // path below gives, without its bookkeeping.
            return vec![
                self.converter
                    .convert_keeping_urls(text, &mut self.ambiguous),
            ];
        }
        let mut outputs: Vec<Piece> = Vec::with_capacity(pieces.len());
        let mut i = 0;
        while i < pieces.len() {
            if pieces[i].1 {
                let text = std::mem::take(&mut pieces[i].0);
                let mask = if self.masks {
                    vec![true; text.chars().count()]
                } else {
                    Vec::new()
                };
                outputs.push(Piece {
                    text,
                    mask,
                    written: true,
                });
                i += 1;
                continue;
            }
            let end = pieces[i..]
                .iter()
                .position(|p| p.1)
                .map_or(pieces.len(), |n| i + n);
            let texts: Vec<String> = pieces[i..end]
                .iter_mut()
                .map(|p| std::mem::take(&mut p.0))
                .collect();
            outputs.extend(self.convert_stretch(texts));
            i = end;
        }
        self.apply_quotes(outputs)
    }

    /// Quotation marks across the whole run (a pair may open and close in different pieces).
    fn apply_quotes(&self, mut outputs: Vec<Piece>) -> Vec<String> {
        let (Some(target), true) = (self.converter.quote_target(), self.masks) else {
            return outputs.into_iter().map(|piece| piece.text).collect();
        };
        let joined: String = outputs.iter().map(|piece| piece.text.as_str()).collect();
        let mask: Vec<bool> = outputs
            .iter()
            .flat_map(|piece| piece.mask.iter().copied())
            .collect();
        let converted = quotes::convert(&joined, Some(target), &|i| mask[i]);
        // Marks are replaced by marks of the same UTF-8 length: each piece keeps its bytes.
        let mut rest = converted.as_str();
        for piece in &mut outputs {
            let (part, after) = rest
                .split_at_checked(piece.text.len())
                .unwrap_or((rest, ""));
            rest = after;
            piece.text.clear();
            piece.text.push_str(part);
        }
        outputs.into_iter().map(|piece| piece.text).collect()
    }

    /// Converts adjacent unprotected pieces as one string; returns each piece's output with a
    /// per-character protection mask (text replaced by a page rule or a URL is protected). Each
    /// piece's output is written into the piece's own buffer.
    fn convert_stretch(&mut self, mut texts: Vec<String>) -> Vec<Piece> {
        let joined = match texts.as_mut_slice() {
            [one] => std::mem::take(one),
            _ => texts.concat(),
        };
        let mut bounds = Vec::with_capacity(texts.len() + 1);
        let mut at = 0;
        bounds.push(0);
        for t in &texts {
            at += t.len();
            bounds.push(at);
        }
        if texts.len() == 1 {
            bounds[1] = joined.len();
        }
        let mut outs: Vec<Piece> = texts
            .into_iter()
            .map(|text| Piece {
                text,
                mask: Vec::new(),
                written: false,
            })
            .collect();
        for segment in self.rules.apply(&joined) {
            let range = segment.source.clone();
            match segment.replaced {
                Some(replacement) => {
                    self.distribute(&joined, &bounds, range, replacement, true, &mut outs)
                }
                None => {
                    let mut start = range.start;
                    for (piece, is_url) in crate::protect::split_urls(&joined[range.clone()]) {
                        let piece_range = start..start + piece.len();
                        start += piece.len();
                        let (out, protected) = if is_url {
                            (piece.to_owned(), true)
                        } else {
                            (
                                self.converter.convert_script(piece, &mut self.ambiguous),
                                false,
                            )
                        };
                        self.distribute(&joined, &bounds, piece_range, out, protected, &mut outs);
                    }
                }
            }
        }
        for piece in &mut outs {
            if !piece.written {
                // A piece no segment reached (an empty text): it shows nothing.
                piece.text.clear();
            }
        }
        outs
    }

    /// Gives the output `out` of `joined[range]` to the pieces that range overlaps.
    fn distribute(
        &mut self,
        joined: &str,
        bounds: &[usize],
        range: std::ops::Range<usize>,
        out: String,
        protected: bool,
        outs: &mut [Piece],
    ) {
        let masks = self.masks;
        // The pieces the range overlaps, from the first whose end lies past its start (a
        // binary search: a paragraph of many links has many pieces and many segments).
        let first = bounds[1..].partition_point(|&end| end <= range.start);
        if range.is_empty() || bounds.get(first + 1).is_none_or(|&end| range.end <= end) {
            // One piece, or none (an empty range goes to the first piece): most ranges. The
            // output moves into a piece not written yet instead of being copied.
            let k = if range.is_empty() { 0 } else { first };
            if let Some(piece) = outs.get_mut(k) {
                if masks {
                    piece
                        .mask
                        .extend(std::iter::repeat_n(protected, out.chars().count()));
                }
                piece.push_owned(out);
            }
            return;
        }
        let count = outs.len();
        let portions = || {
            (first..count)
                .take_while(|&k| bounds[k] < range.end)
                .filter_map(|k| {
                    let start = range.start.max(bounds[k]);
                    let end = range.end.min(bounds[k + 1]);
                    (start < end).then_some((k, start..end))
                })
        };
        let push = |outs: &mut [Piece], k: usize, text: &str| {
            outs[k].push(text);
            if masks {
                outs[k]
                    .mask
                    .extend(std::iter::repeat_n(protected, text.chars().count()));
            }
        };
        if out == joined[range.clone()] {
            // Unchanged (most Simplified text in zh-Hans): each piece keeps its own part.
            for (k, r) in portions() {
                push(outs, k, &joined[r]);
            }
            return;
        }
        let source = &joined[range.clone()];
        if same_character_boundaries(source, &out) {
            // Every character kept its byte length (most conversions): each piece's part of
            // the output stands where its source did.
            let start = range.start;
            for (k, r) in portions() {
                push(outs, k, &out[r.start - start..r.end - start]);
            }
            return;
        }
        let total: usize = portions().map(|(_, r)| joined[r].chars().count()).sum();
        if out.chars().count() == total {
            let mut rest = out.as_str();
            for (k, r) in portions() {
                let n = joined[r].chars().count();
                let cut = rest.char_indices().nth(n).map_or(rest.len(), |(i, _)| i);
                push(outs, k, &rest[..cut]);
                rest = &rest[cut..];
            }
        } else if !protected {
            // The conversion changed the length across a boundary: convert each piece alone.
            for (k, r) in portions() {
                let part = self
                    .converter
                    .convert_script(&joined[r], &mut self.ambiguous);
                push(outs, k, &part);
            }
        } else {
            // A replacement of another length spanning pieces goes to the first of them.
            if let Some((k, _)) = portions().next() {
                push(outs, k, &out);
            }
        }
    }
}

/// Whether `a` and `b` have the same byte length and their characters start at the same bytes:
/// then a byte offset that cuts one between characters cuts the other after as many characters.
/// One comparison a byte, which the compiler vectorizes (counting characters was a sixth of
/// the zh-Hans stage's instructions).
fn same_character_boundaries(a: &str, b: &str) -> bool {
    let continuation = |byte: u8| u8::from(byte & 0xC0 == 0x80);
    a.len() == b.len()
        && a.as_bytes()
            .chunks(64)
            .zip(b.as_bytes().chunks(64))
            .all(|(x, y)| {
                x.iter().zip(y).fold(0, |differ, (&x, &y)| {
                    differ | (continuation(x) ^ continuation(y))
                }) == 0
            })
}

/// One piece of a run being converted: its output so far, written over its source text.
struct Piece {
    /// The source text until the first output comes; then the output.
    text: String,
    /// Per output character: protected from the quotation marks (when the run has any).
    mask: Vec<bool>,
    /// Whether `text` holds output (else it still holds the source).
    written: bool,
}

impl Piece {
    /// Appends `part`; the first part replaces the source text, in its buffer (a conversion
    /// mostly keeps the byte length: the buffer has room for the whole output).
    fn push(&mut self, part: &str) {
        if !self.written {
            self.text.clear();
            self.written = true;
        }
        self.text.push_str(part);
    }

    /// Appends `part`, moving it in when it is the first.
    fn push_owned(&mut self, part: String) {
        if self.written {
            self.text.push_str(&part);
        } else {
            self.text = part;
            self.written = true;
        }
    }
}

/// Puts the slots' outputs back, in the order [`Walk::collect`] found them: `Text` gets its
/// converted text, `Conversion` becomes `Text` (or disappears when it shows nothing), and
/// adjacent texts are merged.
fn write_back(inlines: &mut Vec<Inline>, outputs: &mut std::vec::IntoIter<String>) {
    for inline in inlines.iter_mut() {
        match inline {
            Inline::Text { text } => {
                if let Some(out) = outputs.next() {
                    *text = out;
                }
            }
            Inline::Conversion { .. } => {
                let out = outputs.next().unwrap_or_default();
                *inline = Inline::Text { text: out };
            }
            Inline::Link { inlines, .. }
            | Inline::Strong { inlines }
            | Inline::Emphasis { inlines }
            | Inline::Superscript { inlines }
            | Inline::Subscript { inlines } => write_back(inlines, outputs),
            Inline::Code { .. } | Inline::Math { .. } | Inline::LineBreak | Inline::Cite { .. } => {
            }
        }
    }
    merge_texts(inlines);
}

fn merge_texts(inlines: &mut Vec<Inline>) {
    let mut previous_text = false;
    let needs_merging = inlines.iter().any(|inline| {
        let (is_text, merges) = match inline {
            Inline::Text { text } => (true, text.is_empty() || previous_text),
            _ => (false, false),
        };
        previous_text = is_text;
        merges
    });
    if !needs_merging {
        return;
    }
    let mut merged: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines.drain(..) {
        if let Inline::Text { text } = &inline {
            if text.is_empty() {
                continue;
            }
            if let Some(Inline::Text { text: previous }) = merged.last_mut() {
                previous.push_str(text);
                continue;
            }
        }
        merged.push(inline);
    }
    *inlines = merged;
}

#[cfg(test)]
mod tests {
    use zhnorm_doc::{Format, Source, VariantText};

    use super::*;
    use crate::mediawiki::INSERTED_ON_THIS_THREAD;
    use crate::{ConvertOptions, EngineKind, Variant};

    proptest::proptest! {
        /// Where two texts' characters start at the same bytes, a cut between characters of one
        /// leaves as many characters before it in the other.
        #[test]
        fn same_boundaries_cut_after_as_many_characters(
            a in proptest::collection::vec(0usize..6, 0..12),
            b in proptest::collection::vec(0usize..6, 0..12),
        ) {
            const CHARS: [char; 6] = ['a', 'é', '中', '中', '𠀀', '。'];
            let a: String = a.iter().map(|&i| CHARS[i]).collect();
            let b: String = b.iter().map(|&i| CHARS[i]).collect();
            if same_character_boundaries(&a, &b) {
                for (cut, _) in a.char_indices() {
                    proptest::prop_assert!(b.is_char_boundary(cut));
                    proptest::prop_assert_eq!(a[..cut].chars().count(), b[..cut].chars().count());
                }
            } else {
                let widths = |t: &str| t.chars().map(char::len_utf8).collect::<Vec<_>>();
                proptest::prop_assert_ne!(widths(&a), widths(&b));
            }
        }
    }

    fn h_rule(n: usize) -> ConversionRule {
        let vt = |variant: &str, text: String| VariantText {
            variant: variant.to_owned(),
            text,
            from: None,
        };
        ConversionRule {
            flags: "H".to_owned(),
            text: None,
            variants: vec![
                vt("zh-hans", format!("词{n:04}")),
                vt("zh-hant", format!("辭{n:04}")),
            ],
        }
    }

    /// 3,000 `-{H|…}-` standing in the text, each followed by text using it, and as many in
    /// the page's rule list: the walk puts each source text in the page's trie once, and each
    /// rule standing in the text applies from where it stands.
    #[test]
    fn a_page_of_thousands_of_rules_inserts_each_source_text_once() {
        let converter =
            Converter::new(Variant::Tw, EngineKind::Builtin, ConvertOptions::default()).unwrap();
        let mut doc = Document::new(Source::given("p", Format::Markdown));
        let mut inlines = vec![Inline::text("词0000。")];
        for n in 0..3000 {
            inlines.push(Inline::Conversion {
                rule: Box::new(h_rule(n)),
            });
            inlines.push(Inline::text(format!("词{n:04}和词{:04}。", n + 1)));
        }
        doc.blocks = vec![Block::Paragraph { inlines }];
        doc.conversion.rules = (5000..8000).map(h_rule).collect();
        doc.blocks.push(Block::Paragraph {
            inlines: vec![Inline::text("词5000、词7999。")],
        });
        INSERTED_ON_THIS_THREAD.with(|n| n.set(0));
        convert_document(&mut doc, &converter);
        // 6,000 rules, each with two source texts of five characters (词N and 辭N).
        assert_eq!(INSERTED_ON_THIS_THREAD.with(|n| n.get()), 6000 * 2 * 5);
        let Block::Paragraph { inlines } = &doc.blocks[0] else {
            unreachable!()
        };
        let [Inline::Text { text }] = inlines.as_slice() else {
            panic!("one text expected: {inlines:?}")
        };
        // Before its rule, 词N is converted by the engine (词 → 詞); from it on, by the rule
        // (词N → 辭N).
        let mut expected = "詞0000。".to_owned();
        for n in 0..3000 {
            expected.push_str(&format!("辭{n:04}和詞{:04}。", n + 1));
        }
        assert_eq!(text, &expected);
        assert_eq!(
            doc.blocks[1],
            Block::Paragraph {
                inlines: vec![Inline::text("辭5000、辭7999。")]
            }
        );
    }
}
