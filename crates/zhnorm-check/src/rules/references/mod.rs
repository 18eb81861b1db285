//! Rules of the references family.

pub(crate) mod ambiguous_date;
pub(crate) mod citation_without_reference;
pub(crate) mod citations_not_in_text;
pub(crate) mod dead_link_without_archive;
pub(crate) mod duplicate_reference;
pub(crate) mod empty_reference;
pub(crate) mod implausible_date;
pub(crate) mod malformed_url;
pub(crate) mod reference_never_cited;
pub(crate) mod reference_without_title;
pub(crate) mod reference_without_url;
