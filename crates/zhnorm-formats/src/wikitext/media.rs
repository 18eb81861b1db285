//! Images: file links `[[File:…]]` and the lines of `<gallery>`.
//!
//! Invariants: as MediaWiki renders them, an image's caption is visible only in a frame
//! (`thumb`, `frame`, `thumbnail=…`, `缩略图` …; the first format option given decides); a framed
//! image becomes a figure block where a block sink is at hand and shows its caption inline
//! elsewhere (cells, links, references); an unframed one becomes a figure without caption when
//! alone on its line or floated (`left`, `right` …), and elsewhere (icons in running text or list
//! items) shows nothing. Parameters are split at `|` outside `[…]`, `[[…]]`, templates, tags and
//! tables. A caption that spans lines is read as blocks (headings, rules, tables) and shown as
//! one run of text. A caption that an export cut out of a framed link, leaving a stray `]]` later
//! on the line, is read up to that `]]`, which is marked consumed (`BROKEN_IMAGE_CAPTION`,
//! counted in `repairs`), so it leaves no residue.

use super::blocks::BlockSink;
use super::inline::Inl;
use super::links::{bare_url_end, url_scheme_before};
use super::scan::{Bracket, Unmatched};
use super::tables::table_as_inlines;
use super::{Ctx, MAX_DEPTH, Reader, is_ws};
use zhnorm_doc::{Block, Inline, codes};

/// Namespaces of image links, compared in lower case. (`Media:` is not one: `[[Media:x.ogg]]`
/// is a link to the file, shown as its text.)
pub(super) const FILE_NAMESPACES: &[&str] = &[
    "file",
    "image",
    "文件",
    "檔案",
    "档案",
    "图像",
    "圖像",
    "媒体文件",
    "媒體檔案",
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
/// Format options that make an image frameless (an inline icon).
const FRAMELESS_KEYWORDS: &[&str] = &["frameless", "无框", "無框"];
/// Alignment options: MediaWiki floats the image as a figure of its own.
const ALIGN_KEYWORDS: &[&str] = &[
    "left",
    "right",
    "center",
    "centre",
    "none",
    "左",
    "右",
    "居中",
    "置中",
    "中",
    "无",
    "無",
    "无浮动",
];
/// Keys of the `link=` option.
const LINK_KEYS: &[&str] = &["link", "链接", "連結"];
/// The options of a gallery line (`key=value`): alt text, link, and the page of a
/// multi-page file or the language of an SVG.
const GALLERY_KEYS: &[&str] = &[
    "alt",
    "替代",
    "替代文本",
    "link",
    "链接",
    "連結",
    "page",
    "页",
    "頁",
    "页数",
    "lang",
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

impl<'a> Reader<'a> {
    /// Reads the file link `[[File:…]]` at `open`..`close`. As MediaWiki renders it, the caption
    /// (the last parameter that is no option) is visible only in a frame (`thumb`, `frame`,
    /// `thumbnail=…`, `缩略图` …; of several format options the first counts); any other image
    /// shows no text, whatever it is given. A framed image becomes a figure where a block sink is
    /// at hand, and elsewhere (a cell, a link's text, a reference) shows its caption in place. An
    /// unframed one becomes a figure without caption when it stands alone on its line or floats
    /// (`left`, `right` …: MediaWiki's figure ends the paragraph there), so that an icon in
    /// running text or at the start of a list item (`* [[File:Flag of China.svg|20px|中国]]
    /// 中国队`) stays out of the text and does not split it.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn figure(
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
        let bars = self.image_bars(open + 2, close);
        let mut alt = None;
        let mut caption_range = None;
        // The first format option given decides (`frameless|frame` is frameless).
        let mut framed = None;
        let mut floated = false;
        for (k, &bar) in bars.iter().enumerate() {
            let end = bars.get(k + 1).copied().unwrap_or(close);
            let (s, e) = self.trim(bar + 1, end);
            let option = &self.src[s..e];
            if is_image_option(option) {
                if framed.is_none() {
                    if FRAME_KEYWORDS.contains(&option) {
                        framed = Some(true);
                    } else if FRAMELESS_KEYWORDS.contains(&option) {
                        framed = Some(false);
                    }
                }
                floated |= ALIGN_KEYWORDS.contains(&option);
                continue;
            }
            if let Some((key, value)) = option.split_once('=')
                && IMAGE_KEYS.contains(&key.trim())
                // `link=<`: no title, so MediaWiki takes the whole part as the caption.
                && !(LINK_KEYS.contains(&key.trim())
                    && value.bytes().any(|b| matches!(b, b'<' | b'>' | b'{' | b'}')))
            {
                let key = key.trim();
                // `thumbnail=other.png`: a frame around another picture.
                if framed.is_none() && FRAME_KEYWORDS.contains(&key) {
                    framed = Some(true);
                }
                if key == "alt" || key.starts_with("替代") {
                    let value_start = s + option.find('=').map_or(0, |p| p + 1);
                    alt = Some(self.plain_text(value_start, e, ctx));
                }
                continue;
            }
            caption_range = Some((s, e));
        }
        let framed = framed.unwrap_or(false);
        let Some(sink) = sink.as_deref_mut() else {
            // In a cell, a link's text or a reference, a framed image's caption shows in place;
            // any other image shows no text of its own.
            if framed && let Some((s, e)) = caption_range {
                let caption = self.caption(s, e, ctx);
                out.extend(caption);
            }
            return after;
        };
        if !framed {
            let line_end =
                memchr::memchr(b'\n', &self.bytes[after..limit]).map_or(limit, |p| after + p);
            let alone = out.is_blank() && self.bytes[after..line_end].iter().all(|&b| is_ws(b));
            if alone || floated {
                Self::hand_over(out, sink);
                sink.block(Block::Figure {
                    target,
                    caption: Vec::new(),
                    alt: alt.filter(|a| !a.is_empty()),
                });
            }
            return after;
        }
        let mut caption = match caption_range {
            Some((s, e)) => self.caption(s, e, ctx),
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

    /// The `|` that separate an image's parameters in `start..end`: as MediaWiki splits them,
    /// not inside `[…]` (an external link's URL may hold `|`), nested constructs, or a table
    /// (`{|` … `|}` on lines of their own) of a caption.
    fn image_bars(&self, start: usize, end: usize) -> Vec<usize> {
        let mut bars = self.top_level(start, end, b"|");
        if !self.bytes[start..end]
            .iter()
            .any(|&b| b == b'[' || b == b'\n')
        {
            return bars;
        }
        let mut depth = 0usize;
        let mut tables = 0usize;
        let mut line_start = true;
        let mut i = start;
        bars.retain(|&bar| {
            while i < bar {
                let b = self.bytes[i];
                match b {
                    b'[' => depth += 1,
                    b']' => depth = depth.saturating_sub(1),
                    b'{' if line_start && self.bytes.get(i + 1) == Some(&b'|') => tables += 1,
                    b'|' if line_start && self.bytes.get(i + 1) == Some(&b'}') => {
                        tables = tables.saturating_sub(1);
                    }
                    _ => {}
                }
                if b == b'\n' {
                    line_start = true;
                } else if !matches!(b, b' ' | b'\t') {
                    line_start = false;
                }
                i += 1;
            }
            // The bar itself may open a table's end `|}`.
            let ends_table = line_start && self.bytes.get(bar + 1) == Some(&b'}');
            depth == 0 && tables == 0 && !ends_table
        });
        bars
    }

    /// A caption's inlines. One that spans lines may hold blocks (a heading, a rule, a table,
    /// a list): they are read as blocks, as MediaWiki does, and shown as one run of text.
    fn caption(&mut self, start: usize, end: usize, ctx: Ctx) -> Vec<Inline> {
        let ctx = Ctx {
            in_link: false,
            ..ctx
        };
        let (s, e) = self.trim(start, end);
        let opens_block = |line: &[u8]| {
            let first = line.iter().position(|&b| b != b' ' && b != b'\t');
            first.is_some_and(|f| {
                matches!(line[f], b'=' | b'*' | b'#' | b':' | b';')
                    || line[f..].starts_with(b"----")
                    || line[f..].starts_with(b"{|")
            })
        };
        // (The first line counts only for a table: `*`, `:` there are MediaWiki's text too.)
        let holds_blocks = memchr::memchr(b'\n', &self.bytes[s..e]).is_some()
            && (self.bytes[s..e].starts_with(b"{|")
                || memchr::memchr_iter(b'\n', &self.bytes[s..e])
                    .any(|p| opens_block(&self.bytes[s + p + 1..e])));
        if !holds_blocks || ctx.depth + 1 >= MAX_DEPTH {
            return self.sub_inlines(s, e, ctx);
        }
        let blocks = self.blocks(s, e, ctx.depth + 1);
        let mut inlines = Vec::new();
        blocks_as_inlines(blocks, &mut inlines);
        inlines
    }
}

impl<'a> Reader<'a> {
    /// Reads `<gallery>`: its `caption="…"` attribute as a paragraph (wikitext, as MediaWiki
    /// shows it above the images), then one figure per line.
    pub(super) fn gallery(
        &mut self,
        attrs: (usize, usize),
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
        if let Some((cs, ce)) = super::tags::attr_range(&self.src[attrs.0..attrs.1], "caption") {
            let caption = self.sub_inlines(attrs.0 + cs, attrs.0 + ce, ctx);
            sink.add_line(caption);
            sink.flush();
        }
        let mut pos = start;
        while pos < end {
            let le = self.line_end(pos, end);
            let (s, e) = self.trim(pos, le);
            pos = le + 1;
            if s == e {
                continue;
            }
            let bars = self.bars_outside_urls(self.top_level(s, e, b"|"), e);
            let bar = bars.first().copied();
            let file = self.src[s..bar.unwrap_or(e)].trim();
            let file = file
                .split_once([':', '：'])
                .filter(|(ns, _)| FILE_NAMESPACES.contains(&ns.trim().to_lowercase().as_str()))
                .map_or(file, |(_, f)| f)
                .trim()
                .replace('_', " ");
            let caption = match bar {
                Some(b) => {
                    // The caption is the last part that is not a gallery option: MediaWiki's
                    // gallery knows only `alt=`, `link=` and the file type's own (`page=`,
                    // `lang=`), so `thumb`, `center` or `200px` there is a caption.
                    let mut caption = None;
                    for (k, &bar) in bars.iter().enumerate() {
                        let pe = bars.get(k + 1).copied().unwrap_or(e);
                        let (ps, pe) = self.trim(bar + 1, pe);
                        let option = &self.src[ps..pe];
                        if !option
                            .split_once('=')
                            .is_some_and(|(k, _)| GALLERY_KEYS.contains(&k.trim()))
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

impl<'a> Reader<'a> {
    /// The `|` of a gallery line that split its parameters: not those inside a bare URL.
    /// MediaWiki's gallery reads the links of what follows the file name before it splits it
    /// at `|`, and a free URL may hold `|` (shown as `%7C`): `File:x.jpg|alt=http://a|说明` has
    /// the alt text `http://a%7C说明` and no caption.
    fn bars_outside_urls(&self, mut bars: Vec<usize>, end: usize) -> Vec<usize> {
        let Some(&first) = bars.first() else {
            return bars;
        };
        let bytes = self.bytes;
        let base = first + 1;
        let mut from = base;
        let mut kept = 0;
        for colon in memchr::memmem::find_iter(&bytes[base..end], b"://").map(|p| base + p) {
            if colon < from || url_scheme_before(bytes, from, colon).is_none() {
                continue;
            }
            let url_end = bare_url_end(bytes, colon + 3, end);
            if url_end > colon + 3 {
                // The `|` before the URL split; those inside it do not.
                kept += bars[kept..].iter().take_while(|&&b| b < colon).count();
                let inside = bars[kept..].iter().take_while(|&&b| b < url_end).count();
                bars.drain(kept..kept + inside);
                from = url_end;
            }
        }
        bars
    }
}

/// True when `option` is one of MediaWiki's image options (compared as written: `Left` is a
/// caption, not an alignment).
fn is_image_option(option: &str) -> bool {
    let lower = option;
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

/// Blocks shown as one run of inlines (a caption that holds blocks): blocks are separated by a
/// line break, tables flattened as in a cell, rules show nothing.
fn blocks_as_inlines(blocks: Vec<Block>, out: &mut Vec<Inline>) {
    for block in blocks {
        let start = out.len();
        let separator = !out.is_empty();
        if separator {
            out.push(Inline::LineBreak);
        }
        match block {
            Block::Heading { inlines, .. } | Block::Paragraph { inlines } => out.extend(inlines),
            Block::Figure { caption, .. } => out.extend(caption),
            table @ Block::Table { .. } => out.extend(table_as_inlines(table)),
            Block::List { items, .. } => {
                for item in items {
                    if !item.term.is_empty() {
                        if !out.is_empty() {
                            out.push(Inline::LineBreak);
                        }
                        out.extend(item.term);
                    }
                    blocks_as_inlines(item.blocks, out);
                }
            }
            Block::Quote { blocks } => blocks_as_inlines(blocks, out),
            Block::Code { text, .. } => out.push(Inline::text(text)),
            Block::Math { tex } => out.push(Inline::Math { tex }),
            Block::Rule => {}
        }
        if out.len() == start + usize::from(separator) {
            out.truncate(start);
        }
    }
}
