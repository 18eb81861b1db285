//! Format detection and the three readers of zhnorm.
//!
//! [`detect`] tells wikitext, scraped page text, a Markdown export and zhnorm's own Markdown view
//! apart, with a confidence and the evidence that decided it. [`read`] dispatches to the reader of
//! a format; each reader builds the same [`Document`] and never fails: malformed markup is
//! recovered and reported as a diagnostic with line and column. Readers leave reference material
//! raw ([`RawReference`]) for the references stage and conversion markup unresolved for the
//! script stage. This crate knows nothing of OpenCC.
//!
//! ```
//! use zhnorm_doc::{Format, Source};
//!
//! let text = "'''巴库'''是[[阿塞拜疆]]的首都。<ref>[https://example.org 来源]</ref>\n";
//! let detection = zhnorm_formats::detect(text);
//! assert_eq!(detection.format, Format::Wikitext);
//! let parsed = zhnorm_formats::read(text, Source::given("巴库.wikitext", Format::Wikitext));
//! assert_eq!(parsed.document.source.format, Format::Wikitext);
//! assert_eq!(parsed.document.title, "巴库");
//! assert_eq!(parsed.raw_references.len(), 1);
//! ```

mod detect;
pub mod markdown;
pub mod scraped;
mod text;
pub mod wikitext;

pub use detect::detect;
pub use text::LineIndex;

use zhnorm_doc::{Document, Format, RawReference, Source};

/// What a reader produces: the document, and the reference material its citations point at.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub document: Document,
    pub raw_references: Vec<RawReference>,
}

/// Reads `text` as the format named by `source.format`.
pub fn read(text: &str, source: Source) -> Parsed {
    match source.format {
        Format::Wikitext => wikitext::read(text, source),
        Format::Scraped => scraped::read(text, source),
        Format::Markdown | Format::Canonical => markdown::read(text, source),
    }
}

/// [`read`] of a page whose title is known (a dump's or a JSON Lines record's): wikitext's
/// `{{PAGENAME}}` and its family take their value from it.
pub fn read_titled(text: &str, source: Source, title: Option<&str>) -> Parsed {
    match source.format {
        Format::Wikitext => wikitext::read_page(
            text,
            source,
            wikitext::Page {
                title,
                ..Default::default()
            },
        ),
        _ => read(text, source),
    }
}
