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
                    if let Some(record) = entry(&inlines, &doc.references) {
                        out.push(record);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn entry(inlines: &[Inline], known: &[Reference]) -> Option<Reference> {
    let text = plain_text(inlines);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // A citation template's rendering is a record already.
    if known.iter().any(|r| r.custom.raw.contains(text.as_str()))
        || known
            .iter()
            .filter_map(|r| r.title.as_deref())
            .any(|t| t.chars().count() > 3 && text.contains(t))
    {
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
