//! The Markdown reader: exports made by pandoc-like converters (`Format::Markdown`) and
//! zhnorm's own Markdown view read back (`Format::Canonical`), and a writer of exports.
//!
//! Markdown itself is pulldown-cmark's job; this module maps its events to the model and
//! repairs what the exporters damaged: `"wikilink"` links (either URL style) become wiki links,
//! link texts that swallowed the characters after the link are split at the target's title,
//! `\[n\]` markers become citations of the numbered reference list, the conversion banner goes
//! to `source.origin`, image links become figures, category links become categories, and
//! leftovers (`{{-}}`, empty brackets, comments, empty list items) are removed with a
//! diagnostic. References stay raw ([`zhnorm_doc::RawReference`]) for the references stage;
//! conversion markup stays unresolved for the script stage.

mod html_table;
mod reader;
pub(crate) mod repair;
mod writer;

pub use writer::write_export;

use zhnorm_doc::Source;

use crate::Parsed;

/// The heading of the reference list in zhnorm's own Markdown view.
pub(crate) const REFERENCES_HEADING: &str = "参考资料";

/// Reads one Markdown export, or zhnorm's own view when `source.format` is
/// `Format::Canonical`. Never fails: malformed input becomes diagnostics.
pub fn read(text: &str, source: Source) -> Parsed {
    reader::read(text, source)
}
