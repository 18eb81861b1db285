//! Rules of the structure family.

pub(crate) mod duplicate_heading;
pub(crate) mod empty_brackets;
pub(crate) mod empty_infobox_field;
pub(crate) mod empty_section;
pub(crate) mod heading_level_skipped;
pub(crate) mod no_title;
pub(crate) mod title_differs_from_lead;
