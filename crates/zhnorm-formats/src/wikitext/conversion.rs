//! The syntax of MediaWiki conversion markup, `-{flags|body}-`, and of `noteTA` rules.
//!
//! This module only finds where the flags, variant codes and texts are; the reader turns the
//! text ranges into plain visible text (they may hold markup such as `'''…'''`). Nothing here
//! converts text: the script stage resolves the rules.

use super::blocks::BlockSink;
use super::inline::{Inl, trimmed_plain, trimmed_plain_keeping_rules};
use super::{Ctx, MAX_DEPTH, Reader};
use zhnorm_doc::{ConversionRule, Inline, VariantText};

/// One `variant:text` (or `from=>variant:text`) of a rule, as byte ranges of the source.
#[derive(Debug, Clone)]
pub(crate) struct RawVariant {
    pub variant: String,
    pub text: (usize, usize),
    pub from: Option<(usize, usize)>,
}

/// A rule as byte ranges of the source.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawRule {
    pub flags: String,
    pub text: Option<(usize, usize)>,
    pub variants: Vec<RawVariant>,
}

fn trim_range(bytes: &[u8], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && bytes[start].is_ascii_whitespace() {
        start += 1;
    }
    while end > start && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    (start, end)
}

/// The variant code that `segment` starts with (`zh-hans:`), and the offset of the text after `:`.
fn variant_prefix(bytes: &[u8], start: usize, end: usize) -> Option<(String, usize)> {
    let (s, e) = trim_range(bytes, start, end);
    let colon = bytes[s..e].iter().position(|&b| b == b':')?;
    let code = std::str::from_utf8(&bytes[s..s + colon]).ok()?.trim();
    zhnorm_doc::mediawiki_variant_code(code).map(|v| (v.to_owned(), s + colon + 1))
}

/// Parses a rule body `start..end` (between `-{` and `}-`). `top_level` gives the top-level
/// offsets of a separator (outside nested links, templates and conversions), `first_top_level`
/// the first of them.
pub(crate) fn parse_rule(
    bytes: &[u8],
    start: usize,
    end: usize,
    top_level: &dyn Fn(usize, usize, u8) -> Vec<usize>,
    first_top_level: &dyn Fn(usize, usize, u8) -> Option<usize>,
) -> RawRule {
    let mut rule = RawRule::default();
    let mut body_start = start;
    // As in MediaWiki, whatever stands before the first `|` is flags (`-{|x}-` has none, and
    // shows `x`); the script stage ignores the ones it does not know.
    if let Some(bar) = first_top_level(start, end, b'|') {
        rule.flags = std::str::from_utf8(&bytes[start..bar])
            .unwrap_or("")
            .trim()
            .to_owned();
        body_start = bar + 1;
    }
    parse_variants(bytes, body_start, end, top_level, &mut rule);
    rule
}

/// Fills `rule.variants` from `a:x;b:y` (or `rule.text` when the body holds no variant code).
pub(crate) fn parse_variants(
    bytes: &[u8],
    start: usize,
    end: usize,
    top_level: &dyn Fn(usize, usize, u8) -> Vec<usize>,
    rule: &mut RawRule,
) {
    // Segments between top-level `;`, walked without collecting their bounds first.
    let mut next = start;
    for e in top_level(start, end, b';').into_iter().chain([end]) {
        let s = next;
        next = e + 1;
        let (ts, te) = trim_range(bytes, s, e);
        if ts == te {
            continue;
        }
        // One-way rule: `from=>zh-cn:to`.
        let arrow = bytes[s..e].windows(2).position(|w| w == b"=>");
        let parsed = match arrow {
            Some(a) => variant_prefix(bytes, s + a + 2, e)
                .map(|(code, text)| (code, text, Some(trim_range(bytes, s, s + a)))),
            None => variant_prefix(bytes, s, e).map(|(code, text)| (code, text, None)),
        };
        match parsed {
            Some((variant, text_start, from)) => rule.variants.push(RawVariant {
                variant,
                text: trim_range(bytes, text_start, e),
                from,
            }),
            None => match rule.variants.last_mut() {
                // Text after a `;` that starts no new variant belongs to the previous one.
                Some(last) => last.text.1 = te,
                None => {
                    rule.text = Some((start, end));
                    return;
                }
            },
        }
    }
}

impl<'a> Reader<'a> {
    /// The rule `-{…}-` between `start` and `end`, parsed once for both
    /// [`Reader::conversion_blocks`] and [`Reader::conversion`].
    pub(super) fn raw_rule(&self, start: usize, end: usize) -> RawRule {
        parse_rule(
            self.bytes,
            start,
            end,
            &|s, e, sep| self.top_level(s, e, &[sep]),
            &|s, e, sep| self.first_top_level(s, e, sep),
        )
    }

    pub(super) fn rule(&mut self, raw: RawRule, ctx: Ctx) -> ConversionRule {
        // A rule's text shows as written, white space at its ends included (`X-{ a }-X` is
        // `X a X`), as in MediaWiki; only variant texts are trimmed.
        let text = raw.text.map(|(s, e)| {
            if self.is_plain(s, e) {
                self.src[s..e].to_owned()
            } else {
                // The inline reader trims what it reads: put the ends back.
                let source = &self.src[s..e];
                let lead = &source[..source.len() - source.trim_start().len()];
                let trail = &source[source.trim_end().len()..];
                let inner = trimmed_plain_keeping_rules(&self.sub_inlines(s, e, ctx));
                format!("{lead}{inner}{trail}")
            }
        });
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
                    // Rules inside a rule's text stay markup, for the script stage to resolve
                    // in the target variant (`-{zh-hant:Hello -{zh-tw:…;zh-hk:…}-}-`).
                    (trimmed_plain_keeping_rules(&inlines), first_bold(&inlines))
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

    /// A rule that shows its text as written in every variant (`-{…}-`, `-{R|…}-`, a variant
    /// list `-{zh-tw;|…}-`) and whose text holds block markup (a table, a list) on a line of its
    /// own is read as blocks, as MediaWiki renders it; false when it is no such rule. (The blocks
    /// are then converted like the page's text, in every variant.)
    pub(super) fn conversion_blocks(
        &mut self,
        raw: &RawRule,
        ctx: Ctx,
        out: &mut Inl,
        sink: &mut Option<&mut BlockSink>,
    ) -> bool {
        let Some(sink) = sink.as_deref_mut() else {
            return false;
        };
        let Some((s, e)) = raw.text.filter(|_| raw.variants.is_empty()) else {
            return false;
        };
        let as_written =
            raw.flags.split(';').map(str::trim).all(|f| {
                f.is_empty() || f == "R" || zhnorm_doc::mediawiki_variant_code(f).is_some()
            });
        let has_blocks = self.src[s..e]
            .lines()
            .skip(1)
            .any(|line| line.starts_with("{|") || line.starts_with(['*', '#', ';', ':']));
        if !as_written || !has_blocks || ctx.depth >= MAX_DEPTH {
            return false;
        }
        let blocks = self.blocks(s, e, ctx.depth + 1);
        Self::hand_over(out, sink);
        for block in blocks {
            sink.block(block);
        }
        true
    }

    pub(super) fn conversion(&mut self, raw: RawRule, ctx: Ctx, out: &mut Inl) {
        let rule = self.rule(raw, ctx);
        let flags = rule.flags.to_ascii_uppercase();
        let has = |f: char| {
            flags
                .split(';')
                .any(|x| x.trim().len() == 1 && x.trim().starts_with(f))
        };
        // Page rules, the title rule and rule removals are listed with the page's rules too;
        // all stand in the text, because rules act from where they stand.
        if has('H') || has('T') || has('-') || has('A') {
            self.conversion.rules.push(rule.clone());
        }
        // An empty `-{}-` stays: it shows nothing but splits the text around it for the rules.
        let rule = if rule.text.is_none() && rule.variants.is_empty() {
            ConversionRule {
                text: Some(String::new()),
                ..rule
            }
        } else {
            rule
        };
        out.push(Inline::Conversion {
            rule: Box::new(rule),
        });
    }
}

/// True for a rule that shows nothing in any variant (`H`, `-`, or `T` alone).
pub(super) fn shows_nothing(inline: &Inline) -> bool {
    let Inline::Conversion { rule } = inline else {
        return false;
    };
    // Called for every inline of every line (paragraph joining): no allocation.
    let flags = || rule.flags.split(';').map(str::trim);
    let has = |f: &str| flags().any(|flag| flag == f);
    if has("R") || has("N") {
        return false;
    }
    has("-") || (has("H") && !has("D")) || rule.flags.trim() == "T"
}

/// Literal text that would read as conversion markup (an unclosed `-{`, a stray `}-`,
/// `<nowiki>-{…}-</nowiki>`): MediaWiki shows it as written, so it travels as a raw rule
/// (`-{R;nowiki|…}-`), which no later stage takes for markup residue. `nowiki` is no MediaWiki
/// flag: it tells the script stage that the text holds no rules to resolve.
pub(super) fn literal(text: &str) -> Inline {
    Inline::Conversion {
        rule: Box::new(ConversionRule {
            flags: "R;nowiki".to_owned(),
            text: Some(text.to_owned()),
            variants: Vec::new(),
        }),
    }
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
    use super::*;

    fn split(text: &str, start: usize, end: usize, sep: u8) -> Vec<usize> {
        text.as_bytes()[start..end]
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == sep)
            .map(|(i, _)| start + i)
            .collect()
    }

    fn describe(text: &str) -> String {
        let rule = parse_rule(
            text.as_bytes(),
            0,
            text.len(),
            &|s, e, sep| split(text, s, e, sep),
            &|s, e, sep| split(text, s, e, sep).first().copied(),
        );
        let mut out = format!("flags={:?}", rule.flags);
        if let Some((s, e)) = rule.text {
            out += &format!(" text={:?}", &text[s..e]);
        }
        for v in rule.variants {
            out += &format!(" {}={:?}", v.variant, &text[v.text.0..v.text.1]);
            if let Some((s, e)) = v.from {
                out += &format!("<={:?}", &text[s..e]);
            }
        }
        out
    }

    #[test]
    fn forms_of_conversion_markup() {
        assert_eq!(describe("巴库"), r#"flags="" text="巴库""#);
        assert_eq!(
            describe("H|zh-hans:函数; zh-hant:函數;"),
            r#"flags="H" zh-hans="函数" zh-hant="函數""#
        );
        assert_eq!(
            describe("H|大霹靂=>zh-cn:大爆炸;"),
            r#"flags="H" zh-cn="大爆炸"<="大霹靂""#
        );
        assert_eq!(describe("R|a:b"), r#"flags="R" text="a:b""#);
        assert_eq!(describe("|x"), r#"flags="" text="x""#);
        assert_eq!(
            describe("zh-Hant-TW:台;zh-Hans-CN:大陆"),
            r#"flags="" zh-tw="台" zh-cn="大陆""#
        );
        assert_eq!(
            describe("zh-hans:a;b;zh-hant:c"),
            r#"flags="" zh-hans="a;b" zh-hant="c""#
        );
    }
}
