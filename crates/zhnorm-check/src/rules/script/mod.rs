//! Rules of the script family.

pub(crate) mod ambiguous_conversion;
pub(crate) mod conversion_group_missing;
pub(crate) mod mixed_script_source;
pub(crate) mod other_script_character;
