//! The markdown reader (placeholder: one paragraph per non-empty line, until the real reader lands).

use zhnorm_doc::{Block, Document, Inline, Source};

use crate::Parsed;

/// Reads one markdown article. Never fails: malformed input becomes diagnostics.
pub fn read(text: &str, source: Source) -> Parsed {
    let mut document = Document::new(source);
    document.title = text.lines().next().unwrap_or_default().trim().to_owned();
    document.blocks = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Block::Paragraph {
            inlines: vec![Inline::text(l.trim())],
        })
        .collect();
    Parsed {
        document,
        raw_references: Vec::new(),
    }
}
