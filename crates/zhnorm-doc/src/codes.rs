//! Every diagnostic code zhnorm emits, in one table.
//!
//! Codes are stable: a code, once released, keeps its meaning forever; retired codes are not
//! reused. One letter per family:
//!
//! | prefix | family | emitted by |
//! | --- | --- | --- |
//! | `F` | input files (encoding, binary, empty) | the pipeline |
//! | `M` | source markup that readers had to recover from | the readers |
//! | `S` | document structure | readers and checks |
//! | `R` | references and citations | the references stage and checks |
//! | `C` | script (Traditional / Simplified) | the script stage and checks |
//! | `T` | typography | checks |
//! | `K` | the corpus as a whole | the corpus runner |
//!
//! The check crate documents each code (what it finds, why it matters, an example) and owns the
//! rules that are not emitted by a reader.

use crate::Severity;

/// A diagnostic code with its default severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    /// Kebab-case name of the problem it finds.
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

macro_rules! codes {
    ($($ident:ident = $code:literal, $name:literal, $sev:ident, $summary:literal;)*) => {
        $(pub const $ident: Code = Code { code: $code, name: $name, severity: Severity::$sev, summary: $summary };)*
        /// All codes, in code order.
        pub const ALL: &[Code] = &[$($ident),*];
    };
}

codes! {
    FILE_NOT_UTF8 = "F001", "file-not-utf8", Error, "input file is not valid UTF-8";
    FILE_BINARY = "F002", "file-binary", Error, "input file looks binary";
    FILE_EMPTY = "F003", "file-empty", Error, "input file is empty or blank";
    FILE_UNREADABLE = "F004", "file-unreadable", Error, "input file could not be read";
    FILE_LEGACY_ENCODING = "F005", "file-legacy-encoding", Info, "input file decoded from GB18030, Big5 or UTF-16, not UTF-8";

    UNBALANCED_LINK_BRACKETS = "M001", "unbalanced-link-brackets", Warning, "unbalanced `[[` or `]]`";
    UNBALANCED_TEMPLATE_BRACES = "M002", "unbalanced-template-braces", Warning, "unbalanced `{{` or `}}`";
    UNCLOSED_REF = "M003", "unclosed-ref", Warning, "`<ref>` without `</ref>`";
    UNCLOSED_COMMENT = "M004", "unclosed-comment", Warning, "`<!--` without `-->`";
    UNBALANCED_TABLE = "M005", "unbalanced-table", Warning, "unbalanced `{|` or `|}`";
    UNCLOSED_HEADING = "M006", "unclosed-heading", Warning, "heading whose `=` do not match";
    BROKEN_IMAGE_CAPTION = "M007", "broken-image-caption", Warning, "image caption broken by an export (stray `]]`)";
    MARKUP_RESIDUE = "M008", "markup-residue", Error, "source markup left in the output text";
    UNKNOWN_TEMPLATE = "M009", "unknown-template", Info, "template zhnorm does not know; it left no text";
    UNBALANCED_QUOTES = "M010", "unbalanced-bold-italic", Info, "unbalanced `'''` or `''`";
    UNCLOSED_TAG = "M011", "unclosed-tag", Warning, "HTML-like tag without its closing tag";
    UNCLOSED_CONVERSION = "M012", "unclosed-conversion", Warning, "`-{` without `}-`";
    LEFTOVER_MARKUP_REMOVED = "M013", "leftover-markup-removed", Info, "leftover markup of an export removed";
    UNRESOLVED_MARKER = "M014", "unresolved-citation-marker", Warning, "citation marker with no reference of that number";
    NESTING_TOO_DEEP = "M015", "nesting-too-deep", Warning, "markup nested deeper than the reader's limit; the deeper part kept as text";
    UNEVALUATED_PARSER_FUNCTION = "M016", "unevaluated-parser-function", Info, "parser function or magic word whose value does not follow from the page";

    HEADING_LEVEL_SKIPPED = "S001", "heading-level-skipped", Warning, "heading level skipped";
    DUPLICATE_HEADING = "S002", "duplicate-heading", Warning, "two headings with the same text";
    EMPTY_SECTION = "S003", "empty-section", Info, "section with no content";
    TITLE_DIFFERS_FROM_LEAD = "S004", "title-differs-from-lead", Info, "title differs from the lead's bold term";
    EMPTY_BRACKETS = "S005", "empty-brackets", Warning, "empty brackets left by a dropped template";
    EMPTY_INFOBOX_FIELD = "S006", "empty-infobox-field", Info, "infobox field left empty";
    NO_TITLE = "S007", "no-title", Warning, "no title found; the file name was used";

    CITATION_WITHOUT_REFERENCE = "R001", "citation-without-reference", Error, "citation of a reference that does not exist";
    REFERENCE_NEVER_CITED = "R002", "reference-never-cited", Warning, "reference that no citation points at";
    EMPTY_REFERENCE = "R003", "empty-reference", Warning, "reference with no content";
    DUPLICATE_REFERENCE = "R004", "duplicate-reference", Info, "two references to the same source, merged";
    REFERENCE_WITHOUT_TITLE = "R005", "reference-without-title", Warning, "reference without a title";
    REFERENCE_WITHOUT_URL = "R006", "reference-without-url", Info, "reference without a URL in a format that carries URLs";
    IMPLAUSIBLE_DATE = "R007", "implausible-date", Warning, "invalid or implausible date";
    AMBIGUOUS_DATE = "R008", "ambiguous-date", Warning, "date whose day and month cannot be told apart";
    MALFORMED_URL = "R009", "malformed-url", Warning, "malformed URL";
    DEAD_LINK_WITHOUT_ARCHIVE = "R010", "dead-link-without-archive", Warning, "dead link with no archive copy";
    CITATIONS_NOT_IN_TEXT = "R011", "citations-not-in-text", Info, "the page cites a reference more often than the text holds its markers";

    OTHER_SCRIPT_CHARACTER = "C001", "other-script-character", Error, "character of the other script left in the output";
    MIXED_SCRIPT_SOURCE = "C002", "mixed-script-source", Info, "source mixed Traditional and Simplified heavily";
    AMBIGUOUS_CONVERSION = "C003", "ambiguous-conversion", Info, "characters converted through a one-to-many mapping";
    CONVERSION_GROUP_MISSING = "C004", "conversion-group-missing", Warning, "a conversion group named by noteTA is not among the groups given";

    HALF_WIDTH_PUNCTUATION = "T001", "half-width-punctuation", Warning, "half-width punctuation between CJK characters";
    DOUBLED_PUNCTUATION = "T002", "doubled-punctuation", Warning, "the same punctuation mark twice";
    CJK_LATIN_SPACING = "T003", "cjk-latin-spacing", Info, "no space between CJK and Latin text (house style; off by default)";

    DUPLICATE_ID = "K001", "duplicate-id", Warning, "two inputs map to one id";
    ENTITY_SPELLED_TWO_WAYS = "K002", "entity-spelled-two-ways", Info, "the same entity written two ways across documents";
    WIKI_LINKS_RESOLVED = "K003", "wiki-links-resolved", Info, "share of wiki links that resolve inside the corpus";
    DUPLICATE_ARTICLE = "K004", "duplicate-article", Warning, "the same article present twice";
}

/// The code entry for `code`, if it exists.
pub fn lookup(code: &str) -> Option<&'static Code> {
    ALL.iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sorted() {
        for pair in ALL.windows(2) {
            let key = |c: &Code| (c.code.as_bytes()[0], c.code[1..].parse::<u32>().unwrap());
            assert!(key(&pair[0]) != key(&pair[1]), "duplicate {}", pair[0].code);
        }
        let mut names: Vec<_> = ALL.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ALL.len(), "rule names must be unique");
    }
}
