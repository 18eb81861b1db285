//! Helpers shared by the readers.

use zhnorm_doc::{Diagnostic, Document, Location, codes};

/// Gives a document that has no title the stem of its file name (`NET框架.md` → `NET框架`),
/// with an S007 diagnostic, so that every reader returns a titled document.
pub(crate) fn ensure_title(document: &mut Document) {
    if !document.title.trim().is_empty() {
        return;
    }
    let stem = file_stem(&document.source.path);
    document.diagnostics.push(Diagnostic::new(
        &codes::NO_TITLE,
        format!("no title found; the file name `{stem}` was used"),
    ));
    document.title = stem;
}

/// The file name of `path` without its extension: a loose file's fallback title.
pub(crate) fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.rsplit_once('.')
        .map_or(name, |(stem, _)| stem)
        .to_owned()
}

/// Maps byte offsets of a source text to 1-based lines and columns (columns count chars).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, line_starts }
    }

    /// The location of byte `offset` (clamped to the text, rounded down to a char boundary).
    pub fn location(&self, offset: usize) -> Location {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let column = self.text[self.line_starts[line]..offset].chars().count() + 1;
        Location {
            line: to_u32(line + 1),
            column: to_u32(column),
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_chars_from_one() {
        let index = LineIndex::new("ab\n中文]]\n");
        assert_eq!(index.location(0), Location { line: 1, column: 1 });
        assert_eq!(index.location(3), Location { line: 2, column: 1 });
        assert_eq!(index.location(9), Location { line: 2, column: 3 });
        assert_eq!(index.location(100), Location { line: 3, column: 1 });
    }
}
