//! The scraped-text reader: text copied from a rendered zh.wikipedia page, and a writer that
//! renders a document the way such scrapes look.
//!
//! Headings are recovered from the `[编辑]` edit links (or from the page's contents list),
//! their levels from nesting; infobox debris at the top is dropped or kept as infobox fields;
//! half-width punctuation inside Chinese sentences is made full-width; markers (`[8]`,
//! `[注 1]`, `[a]`) become citations of the `^` lines of the reference sections, which are
//! kept raw ([`zhnorm_doc::RawReference`], `format: Scraped`) for the references stage. Links
//! and URLs do not survive a scrape, so the document has none. Markup residue a scraper left
//! (`]]`, `[[`, `{{…}}`, `||`) is removed with a diagnostic; TeX becomes math; `-{…}-` stays
//! conversion markup for the script stage.

mod reader;
mod writer;

pub use writer::write;

use zhnorm_doc::Source;

use crate::Parsed;

/// Reads one scraped article. Never fails: malformed input becomes diagnostics.
pub fn read(text: &str, source: Source) -> Parsed {
    reader::read(text, source)
}
