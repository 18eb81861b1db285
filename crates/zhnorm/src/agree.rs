//! Cross-format agreement: how much two documents of the same article agree, for example the
//! one read from wikitext and the one read from its Markdown export (after both went through
//! the same pipeline, so that both are in the same script).
//!
//! Four measures, each a [`Share`] of items in common:
//!
//! - `text`: the characters of the text nodes of the blocks, headings included (the title and
//!   the reference list are left out: formats carry them differently), counting only
//!   ideographs, letters and digits, letters lower-cased. Compared as multisets, so a paragraph moved elsewhere still agrees.
//! - `text_4grams`: runs of four such characters, as multisets: order-sensitive within four
//!   characters, so it drops when text is garbled or shuffled even where `text` does not.
//! - `headings`: heading texts (white space removed), as multisets.
//! - `links`: distinct wiki link targets (page part only, `_` read as a space, first letter
//!   upper-cased as MediaWiki does).
//!
//! Multiset overlap rather than a diff: it needs no alignment, is linear in the text size,
//! and tells "the same text" apart from "different text" well enough for whole articles.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use zhnorm_doc::{Block, Document, Inline, LinkKind, for_each_inline, plain_text};

/// How far two documents agree.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Agreement {
    pub text: Share,
    pub text_4grams: Share,
    pub headings: Share,
    pub links: Share,
}

/// Items in common between two collections of sizes `a` and `b`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    pub common: u64,
    pub a: u64,
    pub b: u64,
    /// `2·common / (a + b)` (the Dice coefficient), rounded to four decimals; 1 when both are
    /// empty.
    pub ratio: f64,
}

impl Share {
    fn new(common: u64, a: u64, b: u64) -> Self {
        let ratio = if a + b == 0 {
            1.0
        } else {
            // Counts stay far below 2^52, so the conversion is exact.
            let raw = 2.0 * common as f64 / (a + b) as f64;
            (raw * 10_000.0).round() / 10_000.0
        };
        Share {
            common,
            a,
            b,
            ratio,
        }
    }
}

/// Measures how far `a` and `b` agree.
pub fn agreement(a: &Document, b: &Document) -> Agreement {
    let text_a = comparable_chars(a);
    let text_b = comparable_chars(b);
    Agreement {
        text: multiset_share(text_a.iter().copied(), text_b.iter().copied()),
        text_4grams: multiset_share(
            text_a.windows(4).map(|w| w.iter().collect::<String>()),
            text_b.windows(4).map(|w| w.iter().collect::<String>()),
        ),
        headings: multiset_share(headings(a).into_iter(), headings(b).into_iter()),
        links: set_share(&link_targets(a), &link_targets(b)),
    }
}

/// Ideographs, letters (lower-cased) and digits of the text nodes of the blocks, in order.
fn comparable_chars(doc: &Document) -> Vec<char> {
    let mut out = Vec::new();
    for_each_inline(&doc.blocks, &mut |inline| {
        if let Inline::Text { text } = inline {
            out.extend(
                text.chars()
                    .filter(|c| c.is_alphanumeric())
                    .flat_map(char::to_lowercase),
            );
        }
    });
    out
}

fn headings(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(blocks: &[Block], out: &mut Vec<String>) {
        for block in blocks {
            match block {
                Block::Heading { inlines, .. } => out.push(
                    plain_text(inlines)
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect(),
                ),
                Block::Quote { blocks } => walk(blocks, out),
                Block::List { items, .. } => {
                    for item in items {
                        walk(&item.blocks, out);
                    }
                }
                _ => {}
            }
        }
    }
    walk(&doc.blocks, &mut out);
    out
}

fn link_targets(doc: &Document) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for_each_inline(&doc.blocks, &mut |inline| {
        if let Inline::Link {
            kind: LinkKind::Wiki,
            target,
            ..
        } = inline
        {
            let page = target.split('#').next().unwrap_or_default();
            let page = page.replace('_', " ");
            let page = page.trim();
            let mut chars = page.chars();
            if let Some(first) = chars.next() {
                out.insert(first.to_uppercase().chain(chars).collect());
            }
        }
    });
    out
}

fn multiset_share<T: Ord>(a: impl Iterator<Item = T>, b: impl Iterator<Item = T>) -> Share {
    let mut counts: BTreeMap<T, (u64, u64)> = BTreeMap::new();
    for item in a {
        counts.entry(item).or_default().0 += 1;
    }
    for item in b {
        counts.entry(item).or_default().1 += 1;
    }
    let (mut common, mut total_a, mut total_b) = (0, 0, 0);
    for (in_a, in_b) in counts.values() {
        common += in_a.min(in_b);
        total_a += in_a;
        total_b += in_b;
    }
    Share::new(common, total_a, total_b)
}

fn set_share(a: &BTreeSet<String>, b: &BTreeSet<String>) -> Share {
    let common = a.intersection(b).count();
    let size = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    Share::new(size(common), size(a.len()), size(b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhnorm_doc::{Format, Source};

    fn doc(blocks: Vec<Block>) -> Document {
        let mut doc = Document::new(Source::given("t", Format::Wikitext));
        doc.blocks = blocks;
        doc
    }

    fn heading(text: &str) -> Block {
        Block::Heading {
            level: 2,
            inlines: vec![Inline::text(text)],
        }
    }

    fn paragraph(inlines: Vec<Inline>) -> Block {
        Block::Paragraph { inlines }
    }

    fn wiki(target: &str, text: &str) -> Inline {
        Inline::Link {
            kind: LinkKind::Wiki,
            target: target.into(),
            inlines: vec![Inline::text(text)],
        }
    }

    #[test]
    fn identical_documents_agree_fully() {
        let a = doc(vec![
            heading("概况"),
            paragraph(vec![wiki("巴库", "巴库"), Inline::text("是首都。")]),
        ]);
        let agreement = agreement(&a, &a.clone());
        // 概况 + 巴库是首都: 7 characters, 4 runs of four.
        assert_eq!(agreement.text, Share::new(7, 7, 7));
        assert_eq!(agreement.text.ratio, 1.0);
        assert_eq!(agreement.text_4grams, Share::new(4, 4, 4));
        assert_eq!(agreement.headings, Share::new(1, 1, 1));
        assert_eq!(agreement.links, Share::new(1, 1, 1));
    }

    #[test]
    fn counts_what_differs() {
        // a: 概况 历史 巴库是阿塞拜疆的首都 (14 characters); b: 概况 巴库是首都 Baku (11).
        let a = doc(vec![
            heading("概况"),
            heading("历史"),
            paragraph(vec![
                wiki("巴库", "巴库"),
                Inline::text("是"),
                wiki("阿塞拜疆", "阿塞拜疆"),
                Inline::text("的首都。"),
            ]),
        ]);
        let b = doc(vec![
            heading("概 况"),
            paragraph(vec![
                wiki("巴库", "巴库"),
                Inline::text("是首都，"),
                Inline::Cite {
                    reference: "r1".into(),
                },
                wiki("baku", "Baku"),
            ]),
        ]);
        let agreement = agreement(&a, &b);
        // In common: 概 况 巴 库 是 首 都 = 7; 2·7 / (14 + 11) = 0.56.
        assert_eq!(agreement.text, Share::new(7, 14, 11));
        assert_eq!(agreement.text.ratio, 0.56);
        // Runs of four: a has 11 (概况历史 … 疆的首都), b has 8 (概况巴库 … baku); none is shared.
        assert_eq!(agreement.text_4grams, Share::new(0, 11, 8));
        assert_eq!(agreement.headings, Share::new(1, 2, 1));
        assert_eq!(agreement.headings.ratio, 0.6667);
        // Links: {巴库, 阿塞拜疆} and {巴库, Baku}.
        assert_eq!(agreement.links, Share::new(1, 2, 2));
        assert_eq!(agreement.links.ratio, 0.5);
    }

    #[test]
    fn empty_documents_agree() {
        let agreement = agreement(&doc(vec![]), &doc(vec![]));
        assert_eq!(agreement.text.ratio, 1.0);
        assert_eq!(
            serde_json::to_string(&agreement.links).expect("serializes"),
            r#"{"common":0,"a":0,"b":0,"ratio":1.0}"#
        );
    }
}
