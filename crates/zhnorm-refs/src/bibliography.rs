//! Hand-written bibliography lists: the items of a list under a heading such as 参考文献,
//! 参考书目, 来源, 延伸阅读 or Bibliography, written by hand (`*Alter, Peter. 1994.
//! ''Nationalism''. New York: Edward Arnold.`), become listed sources, so that the short
//! citations of the article (`Alter 1994，1`) can point at them. Citation templates in such
//! lists are already references (the reader hands them over as listed references).
//!
//! Only items that read as a citation with an author and a year or title are taken; the list
//! keeps its place in the text.

use std::sync::LazyLock;

use regex::Regex;
use zhnorm_doc::{Block, Document, Inline, Reference, plain_text};

use crate::footnote::CITATION;
use crate::freetext::{self, Flat};

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)参考|參考|书目|書目|文献|文獻|来源|來源|延伸阅读|延伸閱讀|进一步阅读|進一步閱讀|bibliography|references|sources|further reading|works cited")
        .unwrap()
});

/// The hand-written entries of the document's bibliography lists, as records without ids.
pub(crate) fn entries(doc: &Document) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut under_bibliography = false;
    let mut known = None;
    for block in &doc.blocks {
        match block {
            Block::Heading { inlines, .. } => {
                under_bibliography = HEADING.is_match(&plain_text(inlines));
            }
            Block::List { items, .. } if under_bibliography => {
                for item in items {
                    let paragraphs: Vec<&[Inline]> = item
                        .blocks
                        .iter()
                        .filter_map(|b| match b {
                            Block::Paragraph { inlines } => Some(inlines.as_slice()),
                            _ => None,
                        })
                        .collect();
                    // An item is mostly one paragraph, read where it is; several are joined.
                    let joined: Vec<Inline>;
                    let inlines = match paragraphs.as_slice() {
                        [one] => *one,
                        _ => {
                            joined = paragraphs.concat();
                            &joined
                        }
                    };
                    let known = known.get_or_insert_with(|| Known::of(&doc.references));
                    if let Some(record) = entry(inlines, known) {
                        out.push(record);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The text of the records a document already has, searched once per list item: the raw
/// texts joined into one haystack, and the titles of more than three characters indexed by
/// their first four bytes. (A search per record and item was quadratic: 1.5 % of the
/// pipeline's time on articles with long bibliographies and many references.)
struct Known<'d> {
    /// Every record's raw text, each followed by a byte no list item's text holds.
    raws: String,
    titles: Titles<'d>,
}

impl<'d> Known<'d> {
    const SEPARATOR: char = '\u{1}';

    fn of(references: &'d [Reference]) -> Known<'d> {
        let mut raws = String::new();
        for r in references {
            raws.push_str(&r.custom.raw);
            raws.push(Self::SEPARATOR);
        }
        let titles = references
            .iter()
            .filter_map(|r| r.title.as_deref())
            .filter(|t| t.chars().count() > 3);
        Known {
            raws,
            titles: Titles::of(titles),
        }
    }

    /// Whether some record's raw text holds `text`, or `text` holds some record's title.
    fn covers(&self, text: &str) -> bool {
        (!text.contains(Self::SEPARATOR)
            && memchr::memmem::find(self.raws.as_bytes(), text.as_bytes()).is_some())
            || self.titles.any_in(text)
    }
}

/// Titles (of four bytes or more) to look for in a few short texts.
///
/// An Aho–Corasick automaton is built for many long searches; here it was built once per
/// article to search a handful of list items, and building it cost about 25 K instructions
/// per title (3.2 M for an article of 128 references, 6.5 M instructions per MB of a dump).
/// Instead each position of a text is tested against a bitmap of the titles' first four
/// bytes, and only a position that passes is compared with the titles starting so.
struct Titles<'d> {
    /// The titles, sorted by their first four bytes.
    by_prefix: Vec<(u32, &'d str)>,
    /// One bit per hash of a title's first four bytes.
    bitmap: Vec<u64>,
}

impl<'d> Titles<'d> {
    const BITS: usize = 8192;

    fn of(titles: impl Iterator<Item = &'d str>) -> Titles<'d> {
        let mut by_prefix: Vec<(u32, &str)> = titles
            .filter_map(|t| Some((prefix(t.as_bytes())?, t)))
            .collect();
        by_prefix.sort_unstable_by_key(|(p, _)| *p);
        let mut bitmap = vec![0u64; Self::BITS / 64];
        for (p, _) in &by_prefix {
            let bit = Self::bit(*p);
            bitmap[bit / 64] |= 1 << (bit % 64);
        }
        Titles { by_prefix, bitmap }
    }

    fn bit(prefix: u32) -> usize {
        (prefix.wrapping_mul(0x9E37_79B1) >> 19) as usize % Self::BITS
    }

    /// Whether `text` holds one of the titles.
    fn any_in(&self, text: &str) -> bool {
        if self.by_prefix.is_empty() {
            return false;
        }
        let bytes = text.as_bytes();
        (0..bytes.len().saturating_sub(3)).any(|at| {
            let Some(p) = prefix(&bytes[at..]) else {
                return false;
            };
            let bit = Self::bit(p);
            self.bitmap[bit / 64] & (1 << (bit % 64)) != 0 && {
                let first = self.by_prefix.partition_point(|(q, _)| *q < p);
                self.by_prefix[first..]
                    .iter()
                    .take_while(|(q, _)| *q == p)
                    .any(|(_, title)| bytes[at..].starts_with(title.as_bytes()))
            }
        })
    }
}

fn prefix(bytes: &[u8]) -> Option<u32> {
    let four: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
    Some(u32::from_le_bytes(four))
}

fn entry(inlines: &[Inline], known: &Known) -> Option<Reference> {
    let text = plain_text(inlines);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // A citation template's rendering is a record already.
    if known.covers(&text) {
        return None;
    }
    let flat = Flat::of(inlines);
    let parsed = freetext::parse(&flat);
    if parsed.authors.is_empty() || parsed.year.is_none() || parsed.title.is_none() {
        return None;
    }
    let mut record = Reference::default();
    parsed.fill(&mut record);
    record.custom.raw = text;
    record.custom.kind = Some(CITATION.to_owned());
    Some(record)
}

#[cfg(test)]
mod tests {
    use super::Titles;

    #[test]
    fn titles_are_found_anywhere_in_a_text() {
        let titles =
            Titles::of(["历史的观念", "Nationalism", "Nation and State", "abcd"].into_iter());
        for (text, expected) in [
            ("柯林武德，《历史的观念》，1997", true),
            ("Alter, Peter. 1994. Nationalism. London.", true),
            ("Nation and Stat", false),
            ("Nation and State", true),
            ("xabcdx", true),
            ("abc", false),
            ("", false),
            ("历史的观", false),
        ] {
            assert_eq!(titles.any_in(text), expected, "{text}");
        }
        assert!(!Titles::of(std::iter::empty()).any_in("Nationalism"));
    }
}
