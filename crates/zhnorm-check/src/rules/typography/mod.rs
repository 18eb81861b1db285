//! Rules of the typography family.

pub(crate) mod cjk_latin_spacing;
pub(crate) mod doubled_punctuation;
pub(crate) mod half_width_punctuation;
