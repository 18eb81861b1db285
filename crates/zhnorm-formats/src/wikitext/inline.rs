//! Inline content: the parser that walks a line and builds text, formatting (`''`, `'''`),
//! entities, bare URLs and magic words, and dispatches each construct it meets to its module
//! (links, templates, conversion markup, tags).
//!
//! Invariants: the scan jumps between bytes of [`INLINE_SPECIAL`] sixteen bytes at a time and
//! over nested constructs through the pair table, so each byte is read once here; formatting
//! frames nest at most [`MAX_FORMAT_DEPTH`] deep and `''`/`'''` left open at the end of a line
//! are closed there with an `UNBALANCED_QUOTES` diagnostic; adjacent text nodes are merged and no
//! empty node is kept. [`plain`] gives the visible text of inlines, for titles and captions.

use super::blocks::BlockSink;
use super::entities::decode_entity;
use super::links::{bare_url_end, url_scheme_before, url_text};
use super::scan::ByteSet;
use super::{Ctx, MAX_DEPTH, MAX_FORMAT_DEPTH, Reader, scan};
use zhnorm_doc::{Inline, LinkKind, codes};

/// Bytes that can start markup inside a line.
const INLINE_SPECIAL: ByteSet<11> = ByteSet::new(*b"[]{}-'<&_:\n");

/// Bytes after which a range may hold markup; a range without any is plain text. `-` is here
/// for `-{`, so that one scan answers [`Reader::is_plain`].
const MARKUP: ByteSet<11> = ByteSet::new(*b"[]{}'<&_:\n-");

/// Bytes [`Reader::quote_line`] stops at: apostrophes and the openers of nested constructs.
const QUOTE_OR_OPENER: ByteSet<5> = ByteSet::new(*b"'[{-<");

/// MediaWiki's behaviour switches (`__NOTOC__`), matched in any case as MediaWiki does; they
/// show nothing. Any other `__WORD__` is text.
pub(super) const BEHAVIOUR_SWITCHES: &[&str] = &[
    "NOTOC",
    "FORCETOC",
    "TOC",
    "NOEDITSECTION",
    "NEWSECTIONLINK",
    "NONEWSECTIONLINK",
    "NOGALLERY",
    "HIDDENCAT",
    "EXPECTUNUSEDCATEGORY",
    "EXPECTUNUSEDTEMPLATE",
    "NOCONTENTCONVERT",
    "NOCC",
    "NOTITLECONVERT",
    "NOTC",
    "INDEX",
    "NOINDEX",
    "STATICREDIRECT",
    "NOGLOBAL",
    "DISAMBIG",
    "ARCHIVEDTALK",
    "NOTALK",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fmt {
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
pub(super) struct Frame {
    pub(super) kind: Fmt,
    pub(super) at: usize,
    children: Vec<Inline>,
}

/// Builds a list of inlines with open formatting frames.
#[derive(Debug)]
pub(super) struct Inl {
    /// What is outside every frame.
    root: Vec<Inline>,
    /// Open frames, outermost first (empty most of the time, so it costs no allocation).
    pub(super) frames: Vec<Frame>,
    /// The text run being built: a scratch buffer that is copied out at its exact size when the
    /// run ends, so that a run built from many pieces costs one allocation, not a chain of
    /// reallocations.
    pub(super) text: String,
    /// A block tag (`<div>`, `</p>` …) stands between the text built so far, which ends with
    /// this character, and the text to come: they are separated as lines are
    /// ([`line_break_is_space`]) when the next text comes.
    break_after: Option<char>,
    /// Block elements opened (`<div>`) and not yet closed in what is built: a closing tag
    /// that closes none of them is ignored, as an HTML parser ignores it (`*a</div>b` is `ab`).
    pub(super) open_blocks: u32,
    /// Formatting nodes around everything this builder builds ([`Ctx::inline_depth`]).
    base_depth: usize,
}

impl Inl {
    pub(super) fn new() -> Self {
        Inl::with_buffer(String::new())
    }

    /// A builder whose text runs are built in `buffer` (emptied first).
    fn with_buffer(mut buffer: String) -> Self {
        buffer.clear();
        Inl {
            root: Vec::new(),
            frames: Vec::new(),
            text: buffer,
            break_after: None,
            open_blocks: 0,
            base_depth: 0,
        }
    }

    /// How many formatting nodes enclose the next inline pushed here.
    pub(super) fn depth(&self) -> usize {
        self.base_depth + self.frames.len()
    }

    fn flush_text(&mut self) {
        if !self.text.is_empty() {
            let text = String::from(self.text.as_str());
            self.text.clear();
            self.top().push(Inline::Text { text });
        }
    }

    pub(super) fn top(&mut self) -> &mut Vec<Inline> {
        match self.frames.last_mut() {
            Some(frame) => &mut frame.children,
            None => &mut self.root,
        }
    }

    #[inline]
    pub(super) fn push_str(&mut self, s: &str) {
        if self.break_after.is_some() {
            self.separate(s.chars().next());
        }
        self.text.push_str(s);
    }

    pub(super) fn push(&mut self, inline: Inline) {
        if self.break_after.is_some() {
            self.separate(first_char(std::slice::from_ref(&inline)));
        }
        self.flush_text();
        self.top().push(inline);
    }

    /// Marks a block boundary (a block tag inside a line) at the end of what is built so far.
    pub(super) fn block_break(&mut self) {
        // The last character built: in the text run, else in the innermost frame or list
        // that holds something.
        self.break_after = self.text.chars().next_back().or_else(|| {
            self.frames
                .iter()
                .rev()
                .map(|f| &f.children)
                .chain(std::iter::once(&self.root))
                .find(|list| !list.is_empty())
                .and_then(|list| last_char(list))
        });
    }

    /// Writes the separator of a pending block boundary before text starting with `next`.
    #[cold]
    fn separate(&mut self, next: Option<char>) {
        let Some(next) = next else { return };
        if let Some(prev) = self.break_after.take()
            && line_break_is_space(prev, next)
        {
            self.text.push(' ');
        }
    }

    pub(super) fn extend(&mut self, inlines: Vec<Inline>) {
        for inline in inlines {
            match inline {
                Inline::Text { text } => self.push_str(&text),
                other => self.push(other),
            }
        }
    }

    /// True when nothing but white space has been built.
    pub(super) fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
            && self.frames.is_empty()
            && self.root.iter().all(|i| match i {
                Inline::Text { text } => text.trim().is_empty(),
                _ => false,
            })
    }

    pub(super) fn is_open(&self, kind: Fmt) -> bool {
        self.frames.iter().any(|f| f.kind == kind)
    }

    pub(super) fn open(&mut self, kind: Fmt, at: usize) {
        if self.depth() >= MAX_FORMAT_DEPTH {
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
    pub(super) fn close(&mut self, kind: Fmt) -> bool {
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
        let mut frame = self.frames.pop().expect("pop above root");
        frame.children.shrink_to_fit();
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

    pub(super) fn take(&mut self) -> (Vec<Inline>, Vec<usize>) {
        let unclosed = self.close_all();
        self.root.shrink_to_fit();
        (std::mem::take(&mut self.root), unclosed)
    }

    /// The scratch buffer, for the next builder.
    #[inline]
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

/// The last character `inlines` show. A citation marker shows no text: the character before
/// it counts (`a<ref>…</ref>⏎b` is `a b`, as the line break shows beside the marker).
pub(super) fn last_char(inlines: &[Inline]) -> Option<char> {
    match inlines
        .iter()
        .rev()
        .find(|i| !matches!(i, Inline::Cite { .. }))?
    {
        Inline::Text { text } | Inline::Code { text } => text.chars().next_back(),
        Inline::Link { inlines, .. }
        | Inline::Strong { inlines }
        | Inline::Emphasis { inlines }
        | Inline::Superscript { inlines }
        | Inline::Subscript { inlines } => last_char(inlines),
        _ => None,
    }
}

/// The first character `inlines` show, past citation markers (see [`last_char`]).
pub(super) fn first_char(inlines: &[Inline]) -> Option<char> {
    match inlines.iter().find(|i| !matches!(i, Inline::Cite { .. }))? {
        Inline::Text { text } | Inline::Code { text } => text.chars().next(),
        Inline::Link { inlines, .. }
        | Inline::Strong { inlines }
        | Inline::Emphasis { inlines }
        | Inline::Superscript { inlines }
        | Inline::Subscript { inlines } => first_char(inlines),
        _ => None,
    }
}

/// True when a line break (or a block boundary inside a line) between `prev` and `next` shows
/// as a space: as a browser shows it, except next to CJK characters, punctuation and
/// full-width forms, which zh.wikipedia writes without spaces (Hangul uses spaces).
pub(super) fn line_break_is_space(prev: char, next: char) -> bool {
    fn is_spaceless(c: char) -> bool {
        // CJK, kana and Yi; CJK compatibility ideographs and forms; full-width forms; the
        // supplementary ideographs (not Hangul, nor Hebrew or Arabic presentation forms).
        matches!(c, '\u{2e80}'..='\u{a4cf}' | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}' | '\u{ff00}'..='\u{ffef}' | '\u{20000}'..)
    }
    !is_spaceless(prev) && !is_spaceless(next) && !prev.is_whitespace()
}

/// Merges adjacent text nodes and drops empty ones, in place. Lists inside nodes were merged
/// when they were built.
pub(super) fn merge_text(inlines: &mut Vec<Inline>) {
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
    shrink_list(inlines);
}

/// Gives a finished list, and the texts merged into it, their exact size: the document keeps
/// them to its end, and growth slack (a link's one text node would otherwise hold room for
/// four) was a third of a large article's memory.
pub(super) fn shrink_list(inlines: &mut Vec<Inline>) {
    inlines.shrink_to_fit();
    for inline in inlines {
        if let Inline::Text { text } = inline {
            text.shrink_to_fit();
        }
    }
}

/// Trims white space at both ends of a list of inlines.
pub(super) fn trim_inlines(inlines: &mut Vec<Inline>) {
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
pub(super) fn trimmed_plain(inlines: &[Inline]) -> String {
    trim_owned(plain(inlines, false))
}

/// [`trimmed_plain`], but conversion markup stays markup (`-{zh-cn:…}-`): the text of a rule
/// that holds rules, which the script stage resolves in the target variant.
pub(super) fn trimmed_plain_keeping_rules(inlines: &[Inline]) -> String {
    trim_owned(plain(inlines, true))
}

fn trim_owned(mut text: String) -> String {
    text.truncate(text.trim_end().len());
    let leading = text.len() - text.trim_start().len();
    text.drain(..leading);
    text
}

fn plain(inlines: &[Inline], keep_rules: bool) -> String {
    fn walk(inlines: &[Inline], out: &mut String, keep_rules: bool) {
        for inline in inlines {
            match inline {
                Inline::Text { text } | Inline::Code { text } => out.push_str(text),
                Inline::Math { tex } => out.push_str(tex),
                Inline::LineBreak => out.push(' '),
                Inline::Cite { .. } => {}
                // Literal text the reader keeps (`R;nowiki`) is text, not a rule.
                Inline::Conversion { rule } if keep_rules && !rule.flags.contains("nowiki") => {
                    out.push_str(&rule.to_markup())
                }
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
                | Inline::Subscript { inlines } => walk(inlines, out, keep_rules),
            }
        }
    }
    let mut out = String::new();
    walk(inlines, &mut out, keep_rules);
    out
}

impl<'a> Reader<'a> {
    /// Reads `start..end` as inlines. With a sink, images and code blocks become blocks.
    pub(super) fn line_inlines(
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
    pub(super) fn paragraph_line(
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
        out.base_depth = ctx.inline_depth as usize;
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
    pub(super) fn hand_over(out: &mut Inl, sink: &mut BlockSink) {
        let (inlines, _) = out.take();
        sink.add_line(inlines);
    }

    /// Reads `start..end` into `out`; returns where it stopped: `end`, or with `stop_at_newline`
    /// the first newline outside constructs (the same newline [`Reader::line_end`] finds).
    pub(super) fn inlines(
        &mut self,
        start: usize,
        end: usize,
        outer: Ctx,
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
        // The end of the line whose apostrophes were counted, and its `'''` read as `'` + `''`.
        let mut quote_line: (usize, Option<usize>) = (start, None);
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
            // What a construct here reads is nested inside the frames open now.
            let ctx = Ctx {
                inline_depth: out.depth() as u32,
                ..outer
            };
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
                (b'}', Some(b'-')) => {
                    // A stray `}-` is text in MediaWiki.
                    flush_run!();
                    out.push(super::conversion::literal("}-"));
                    i += 2;
                    run = i;
                }
                (b']', Some(b']')) | (b'}', Some(b'}')) => {
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
                                let raw = self.raw_rule(i + 2, e - 2);
                                if !self.conversion_blocks(&raw, ctx, out, sink) {
                                    self.conversion(raw, ctx, out);
                                }
                            }
                            i = e;
                        }
                        Some(e) => i = e,
                        // An unclosed `-{` is text, as MediaWiki shows it.
                        None if b == b'-' => {
                            out.push(super::conversion::literal("-{"));
                            i += 2;
                        }
                        None => i += 2,
                    }
                    run = i;
                }
                (b'\'', Some(b'\'')) => {
                    flush_run!();
                    let len = bytes[i..end].iter().take_while(|&&c| c == b'\'').count();
                    if i >= quote_line.0 {
                        quote_line = self.quote_line(i, start, end);
                    }
                    let (literal, kind) = match len {
                        // MediaWiki's rule for a line with an odd number of both: this `'''`
                        // is an apostrophe and `''`.
                        3 if quote_line.1 == Some(i) => (1, 2),
                        4 if quote_line.1 == Some(i + 1) => (2, 2),
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
                        decoded.push_to(&mut out.text);
                        i += len;
                        run = i;
                    } else {
                        i += 1;
                    }
                }
                (b'_', Some(b'_')) => {
                    let word = bytes[i + 2..end]
                        .iter()
                        .take_while(|c| c.is_ascii_alphabetic())
                        .count();
                    let name = &bytes[i + 2..i + 2 + word];
                    if word > 0
                        && bytes[i + 2 + word..end].starts_with(b"__")
                        && let Some(switch) = BEHAVIOUR_SWITCHES
                            .iter()
                            .find(|s| s.as_bytes().eq_ignore_ascii_case(name))
                    {
                        flush_run!();
                        match *switch {
                            "NOCC" | "NOCONTENTCONVERT" => {
                                self.conversion.no_content_conversion = true
                            }
                            "NOTC" | "NOTITLECONVERT" => self.conversion.no_title_conversion = true,
                            _ => {}
                        }
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
                        let mut url_end = bare_url_end(bytes, i + 3, end);
                        // Behaviour switches go before URLs are read: `http://__TOC__` is no URL.
                        if let Some(at) = memchr::memchr_iter(b'_', &bytes[i + 3..url_end])
                            .map(|p| i + 3 + p)
                            .find(|&at| bytes.get(at + 1) == Some(&b'_'))
                            && self.switches_end(at, url_end) > at
                        {
                            url_end = at;
                        }
                        if url_end > i + 3 {
                            if run < scheme_start {
                                out.push_str(&self.src[run..scheme_start]);
                            }
                            // `http://x&amp;y` is the URL `http://x&y`.
                            let url = url_text(&self.src[scheme_start..url_end]);
                            if ctx.in_link {
                                out.push_str(&url);
                            } else {
                                out.push(Inline::Link {
                                    kind: LinkKind::External,
                                    inlines: vec![Inline::text(&url)],
                                    target: url,
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
                    if let (Some(prev), Some(after)) = (prev, after)
                        && line_break_is_space(prev, after)
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

    /// MediaWiki's apostrophe rule for the line holding `at` (within `start..end`): when the
    /// line has an odd number of both `''` and `'''` (runs of five count for both), one `'''`
    /// is an apostrophe followed by `''`: the first after a one-letter word, else the first
    /// after a longer word, else the first after a space. Runs inside nested constructs are
    /// not the line's. Returns the end of the line and that `'''`, if any.
    fn quote_line(&self, at: usize, start: usize, end: usize) -> (usize, Option<usize>) {
        let bytes = self.bytes;
        let line_start = memchr::memrchr(b'\n', &bytes[start..at]).map_or(start, |p| start + p + 1);
        let line_end = memchr::memchr(b'\n', &bytes[at..end]).map_or(end, |p| at + p);
        let (mut italics, mut bolds) = (0usize, 0usize);
        let mut bold_runs = Vec::new();
        let mut i = line_start;
        while i < line_end {
            // Sixteen bytes at a time to the next apostrophe or construct opener.
            i = scan::next_marked(bytes, i, line_end, &QUOTE_OR_OPENER);
            if i >= line_end {
                break;
            }
            match bytes[i] {
                b'\'' => {
                    let len = bytes[i..line_end]
                        .iter()
                        .take_while(|&&c| c == b'\'')
                        .count();
                    match len {
                        1 => {}
                        2 => italics += 1,
                        3 => {
                            bolds += 1;
                            bold_runs.push(i);
                        }
                        // `''''` is an apostrophe and `'''`.
                        4 => {
                            bolds += 1;
                            bold_runs.push(i + 1);
                        }
                        _ => {
                            italics += 1;
                            bolds += 1;
                        }
                    }
                    i += len;
                }
                b'[' | b'{' | b'-' | b'<' => match self.construct_end(i, line_end) {
                    Some(e) => i = e,
                    None => i += 1,
                },
                _ => i += 1,
            }
        }
        if italics % 2 == 0 || bolds % 2 == 0 {
            return (line_end, None);
        }
        let (mut single_letter, mut multi_letter, mut after_space) = (None, None, None);
        for &run in &bold_runs {
            // Bytes, as MediaWiki compares them.
            let x1 = run.checked_sub(1).map(|p| bytes[p]);
            let x2 = run.checked_sub(2).map(|p| bytes[p]);
            if x1 == Some(b' ') {
                after_space = after_space.or(Some(run));
            } else if x2 == Some(b' ') {
                single_letter = Some(run);
                break;
            } else {
                multi_letter = multi_letter.or(Some(run));
            }
        }
        (line_end, single_letter.or(multi_letter).or(after_space))
    }

    /// Reads the range as inlines in a fresh builder (formatting does not leak out of it).
    pub(super) fn sub_inlines(&mut self, start: usize, end: usize, ctx: Ctx) -> Vec<Inline> {
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
    pub(super) fn sub_inlines_into(&mut self, start: usize, end: usize, ctx: Ctx, out: &mut Inl) {
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
    pub(super) fn is_plain(&self, start: usize, end: usize) -> bool {
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

    pub(super) fn plain_text(&mut self, start: usize, end: usize, ctx: Ctx) -> String {
        let (s, e) = self.trim(start, end);
        if self.is_plain(s, e) {
            return self.src[s..e].to_owned();
        }
        let inlines = self.sub_inlines(start, end, ctx);
        trimmed_plain(&inlines)
    }
}

fn toggle(out: &mut Inl, kind: Fmt, at: usize) {
    if !out.close(kind) {
        out.open(kind, at);
    }
}
