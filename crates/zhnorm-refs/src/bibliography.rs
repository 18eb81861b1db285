//! Hand-written bibliography lists: the items of a list under a heading such as 参考文献,
//! 参考书目, 来源, 延伸阅读 or Bibliography, written by hand (`*Alter, Peter. 1994.
//! ''Nationalism''. New York: Edward Arnold.`), become listed sources, so that the short
//! citations of the article (`Alter 1994，1`) can point at them. Citation templates in such
//! lists are already references (the reader hands them over as listed references).
//!
//! Only items that read as a citation with an author and a year or title are taken; the list
//! keeps its place in the text.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
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
                    let inlines: Vec<Inline> = item
                        .blocks
                        .iter()
                        .filter_map(|b| match b {
                            Block::Paragraph { inlines } => Some(inlines.clone()),
                            _ => None,
                        })
                        .flatten()
                        .collect();
                    let known = known.get_or_insert_with(|| Known::of(&doc.references));
                    if let Some(record) = entry(&inlines, known) {
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
/// texts joined into one haystack, and the titles of more than three characters in one
/// automaton. (A search per record and item was quadratic: 1.5 % of the pipeline's time on
/// articles with long bibliographies and many references.)
struct Known {
    /// Every record's raw text, each followed by a byte no list item's text holds.
    raws: String,
    titles: Option<AhoCorasick>,
}

impl Known {
    const SEPARATOR: char = '\u{1}';

    fn of(references: &[Reference]) -> Known {
        let mut raws = String::new();
        for r in references {
            raws.push_str(&r.custom.raw);
            raws.push(Self::SEPARATOR);
        }
        let titles: Vec<&str> = references
            .iter()
            .filter_map(|r| r.title.as_deref())
            .filter(|t| t.chars().count() > 3)
            .collect();
        let titles = (!titles.is_empty())
            // A one-off automaton: the NFA builds fastest, and searches only a few items.
            .then(|| {
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                    .build(&titles)
                    .ok()
            })
            .flatten();
        Known { raws, titles }
    }

    /// Whether some record's raw text holds `text`, or `text` holds some record's title.
    fn covers(&self, text: &str) -> bool {
        (!text.contains(Self::SEPARATOR)
            && memchr::memmem::find(self.raws.as_bytes(), text.as_bytes()).is_some())
            || self.titles.as_ref().is_some_and(|t| t.is_match(text))
    }
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
