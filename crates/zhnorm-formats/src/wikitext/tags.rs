//! Tags: HTML and extension tags inside a line (`<br>`, `<sup>`, `<b>`, `<span>`, `<math>`,
//! `<code>`, `<nowiki>`, `<ref>`, `<references>`, `<gallery>`, `<blockquote>` …).
//!
//! Invariants: the extent of an extension tag (`<ref>`, `<math>`, `<nowiki>`, `<gallery>` …)
//! comes from the bracket pass (`st.tags`); the closing tag of an HTML tag whose content is
//! read as one piece (`<code>`, `<blockquote>`) is searched once per name and remembered
//! (`close_tag`). A tag that is not known is plain text; an extension tag never closed is
//! dropped with a diagnostic (reported in [`Reader::finish`]); `<b>`, `<i>`, `<sup>`, `<sub>`
//! open and close formatting frames of their own kinds, beside those of `''` and `'''`.

use super::blocks::BlockSink;
use super::entities::decode_entities;
use super::inline::{Fmt, Inl, merge_text};
use super::scan::TagSpan;
use super::{Ctx, MAX_DEPTH, Reader, is_ws};
use zhnorm_doc::{Block, Inline};

impl<'a> Reader<'a> {
    /// Reads a tag at `at`; returns where to continue, or `None` when `<` is plain text.
    pub(super) fn tag(
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
                    if text.contains("-{") || text.contains("}-") {
                        // `<nowiki>-{foo}-</nowiki>` shows `-{foo}-`.
                        out.push(super::conversion::literal(&text));
                    } else {
                        out.push_str(&text);
                    }
                }
                "pre" | "syntaxhighlight" | "source" => {
                    let text = if span.name == "pre" {
                        decode_entities(&unwrap_nowiki(&self.src[cs..ce]))
                    } else {
                        decode_entities(&self.src[cs..ce])
                    };
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
                "gallery" => self.gallery(span.attrs, cs, ce, ctx, out, sink),
                "langconvert" => {
                    // `<langconvert from=… to=zh-hant>text</langconvert>`: the text converted
                    // into `to`, whatever the target (the flag `langconvert` is zhnorm's).
                    let to = attr(&self.src[span.attrs.0..span.attrs.1], "to");
                    let text = self.plain_text(cs, ce, ctx);
                    out.push(Inline::Conversion {
                        rule: Box::new(zhnorm_doc::ConversionRule {
                            flags: format!("langconvert;{}", to.unwrap_or_default()),
                            text: Some(text),
                            variants: Vec::new(),
                        }),
                    });
                }
                // `<indicator>` and the rest: page chrome or not text.
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
        // An extension tag the bracket pass did not pair (a stray `</nowiki>` or `</includeonly>`,
        // an unclosed `<nowiki>`) is text, as MediaWiki shows it.
        let known = HTML_TAGS.contains(&name.as_str())
            && !matches!(name.as_str(), "nowiki" | "includeonly");
        if !known || !ends_tag_name(bytes.get(name_start + name_len)) {
            return None;
        }
        let after = self.tag_end(name_start + name_len, end)?;
        if matches!(name.as_str(), "link" | "meta")
            && !self.src[name_start + name_len..after]
                .to_ascii_lowercase()
                .contains("itemprop")
        {
            // MediaWiki's sanitizer keeps `<link>` and `<meta>` only with `itemprop`; others
            // are text.
            return None;
        }
        if BLOCK_TAGS.contains(&name.as_str()) {
            if !closing {
                if name != "hr" && self.bytes[after - 2] != b'/' {
                    out.open_blocks += 1;
                }
                out.block_break();
            } else if out.open_blocks > 0 || name == "p" {
                // A stray `</p>` is an empty paragraph in MediaWiki: a break all the same.
                out.open_blocks = out.open_blocks.saturating_sub(1);
                out.block_break();
            } else if self.closes_earlier_block(at) {
                // The element was opened on an earlier line (`<div>⏎a</div>b`).
                out.block_break();
            }
        }
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
}

impl<'a> Reader<'a> {
    /// The end (past `>`) of the HTML tag whose attributes start at `from`, as MediaWiki's
    /// sanitizer sees a tag: attributes may span lines and hold `<nowiki>…</nowiki>` (and other
    /// extension tags, whose extent the bracket pass knows), but any other `<` means the `<`
    /// before them was text. Looks at most 500 bytes ahead, so that a stray `<b` stays cheap.
    fn tag_end(&self, from: usize, end: usize) -> Option<usize> {
        let limit = end.min(from + 500);
        let mut i = from;
        while i < limit {
            let p = memchr::memchr2(b'>', b'<', &self.bytes[i..limit])?;
            i += p;
            if self.bytes[i] == b'>' {
                return Some(i + 1);
            }
            let span = self.st.tags.get(&i)?;
            i = span.end;
        }
        None
    }
}

/// Which closing block tags (`</div>`) close an element opened before them anywhere in the text,
/// found by one forward scan that [`Reader::closes_earlier_block`] moves on only when asked: most
/// pages close their blocks on the line that opened them and never start it.
#[derive(Default)]
pub(super) struct BlockBalance {
    /// The scan has read the text up to here.
    scanned: usize,
    /// Elements of each of [`BLOCK_TAGS`] opened and not yet closed before `scanned`.
    open: [u32; BLOCK_TAGS.len()],
    /// The offsets of the closing tags before `scanned` that close an element, in order.
    closers: Vec<usize>,
}

impl<'a> Reader<'a> {
    /// True when the closing block tag at `at` closes an element of its name opened earlier in
    /// the text, as an HTML tree builder closes it whatever line opened it; one that closes
    /// nothing is ignored (`*a</div>b` is `ab`). The content of extension tags (`<ref>`,
    /// `<nowiki>` …) is read apart, as MediaWiki parses it apart.
    fn closes_earlier_block(&mut self, at: usize) -> bool {
        let mut balance = std::mem::take(&mut self.block_balance);
        let len = self.bytes.len();
        while balance.scanned <= at && balance.scanned < len {
            let Some(p) = memchr::memchr(b'<', &self.bytes[balance.scanned..]) else {
                balance.scanned = len;
                break;
            };
            let lt = balance.scanned + p;
            if let Some(span) = self.st.tags.get(&lt) {
                balance.scanned = span.end.max(lt + 1);
                continue;
            }
            balance.scanned = lt + 1;
            let Some((closing, index, after)) = self.block_tag_at(lt) else {
                continue;
            };
            if closing {
                if balance.open[index] > 0 {
                    balance.open[index] -= 1;
                    balance.closers.push(lt);
                }
            } else if BLOCK_TAGS[index] != "hr" && self.bytes[after - 2] != b'/' {
                balance.open[index] += 1;
            }
            balance.scanned = after;
        }
        let closes = balance.closers.binary_search(&at).is_ok();
        self.block_balance = balance;
        closes
    }

    /// The block tag at `lt` (`<div …>`, `</td>`): whether it closes, its index in
    /// [`BLOCK_TAGS`] and the offset past its `>`.
    fn block_tag_at(&self, lt: usize) -> Option<(bool, usize, usize)> {
        let bytes = self.bytes;
        let closing = bytes.get(lt + 1) == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        let name_len = bytes
            .get(name_start..)?
            .iter()
            .take(11)
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = bytes.get(name_start..name_start + name_len)?;
        let index = BLOCK_TAGS
            .iter()
            .position(|t| t.as_bytes().eq_ignore_ascii_case(name))?;
        if !ends_tag_name(bytes.get(name_start + name_len)) {
            return None;
        }
        let after = self.tag_end(name_start + name_len, bytes.len())?;
        Some((closing, index, after))
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
    "rtc",
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

/// The value of attribute `name` in `attrs` (quoted or not; attribute names ignore case).
pub(super) fn attr(attrs: &str, name: &str) -> Option<String> {
    let (start, end) = attr_range(attrs, name)?;
    let value = attrs[start..end].trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Where the value of attribute `name` stands in `attrs` (quotes excluded).
pub(super) fn attr_range(attrs: &str, name: &str) -> Option<(usize, usize)> {
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
                (start, start + len)
            }
            _ => {
                let start = i;
                while i < bytes.len() && !is_ws(bytes[i]) && bytes[i] != b'/' {
                    i += 1;
                }
                (start, i)
            }
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
    }
    None
}

pub(super) fn find_close(
    bytes: &[u8],
    name: &str,
    from: usize,
    limit: usize,
) -> Option<(usize, usize)> {
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

/// The content of `<pre>` as MediaWiki reads it: each `<nowiki>…</nowiki>` (to the first
/// `</nowiki>` after it, any case) is replaced by what it holds; an unpaired one stays text.
fn unwrap_nowiki(content: &str) -> std::borrow::Cow<'_, str> {
    const OPEN: &[u8] = b"<nowiki>";
    const CLOSE: &[u8] = b"</nowiki>";
    let bytes = content.as_bytes();
    let find = |needle: &[u8], from: usize| {
        (from..bytes.len().saturating_sub(needle.len() - 1))
            .find(|&i| bytes[i..i + needle.len()].eq_ignore_ascii_case(needle))
    };
    let Some(mut open) = find(OPEN, 0) else {
        return content.into();
    };
    let mut out = String::with_capacity(content.len());
    let mut copied = 0;
    while let Some(close) = find(CLOSE, open + OPEN.len()) {
        out.push_str(&content[copied..open]);
        out.push_str(&content[open + OPEN.len()..close]);
        copied = close + CLOSE.len();
        match find(OPEN, copied) {
            Some(next) => open = next,
            None => break,
        }
    }
    out.push_str(&content[copied..]);
    out.into()
}

/// HTML elements that are blocks: text on either side of their tags is not one word.
const BLOCK_TAGS: &[&str] = &[
    "div",
    "p",
    "center",
    "blockquote",
    "hr",
    "table",
    "caption",
    "tbody",
    "tr",
    "td",
    "th",
    "ul",
    "ol",
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
];

/// True when `next`, the byte after a tag's name, ends the name: any other (`<b→>`, `<s.foo>`,
/// `<blockquote|>`) makes the name longer, so the tag is no known one and is text.
pub(super) fn ends_tag_name(next: Option<&u8>) -> bool {
    matches!(next, Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r'))
}

/// Elements that never hold content (MediaWiki writes them as `<br />`).
const VOID_TAGS: &[&str] = &["br", "hr", "wbr", "link", "meta"];

impl<'a> Reader<'a> {
    /// The HTML tag at `at` as MediaWiki's sanitizer keeps it: whether it closes an element,
    /// whether it opens one that holds content (not `<br>` nor `<x/>`), and the offset past `>`.
    /// `None` when the `<` is text (an unknown name, or no `>`).
    pub(super) fn html_tag_at(&self, at: usize, end: usize) -> Option<(bool, bool, usize)> {
        let bytes = self.bytes;
        let closing = bytes.get(at + 1) == Some(&b'/');
        let name_start = at + 1 + usize::from(closing);
        let name_len = bytes[name_start.min(end)..end]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            return None;
        }
        let name = &self.src[name_start..name_start + name_len];
        let known = |list: &[&str]| list.iter().any(|t| t.eq_ignore_ascii_case(name));
        if !known(HTML_TAGS) || !ends_tag_name(bytes.get(name_start + name_len)) {
            return None;
        }
        let after = self.tag_end(name_start + name_len, end)?;
        let nests = !closing && bytes[after - 2] != b'/' && !known(VOID_TAGS);
        Some((closing, nests, after))
    }
}
