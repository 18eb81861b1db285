//! Finds references of a scraped page whose back-links (`^ 1.0 1.1`) say the page cites them
//! more often than the text holds their markers.
//!
//! **Why it matters.** The markers were lost with the part of the page the scrape dropped (an
//! infobox, a table), and with them where those citations stood: the document counts the
//! citations it can place, and this says how many the page had.
//!
//! **Example.** `^ 1.0 1.1 Oleh Pavlyuk. …` when the text holds `[1]` once
//!
//! Emitted by the scraped reader, at the reference's line; this rule documents the code and
//! passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::CITATIONS_NOT_IN_TEXT,
    origin: Origin::Emitted("the scraped reader"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("citations_not_in_text.rs"),
};
