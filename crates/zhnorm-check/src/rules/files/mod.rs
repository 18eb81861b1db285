//! Rules of the files family.

pub(crate) mod file_binary;
pub(crate) mod file_empty;
pub(crate) mod file_legacy_encoding;
pub(crate) mod file_not_utf8;
pub(crate) mod file_unreadable;
