//! Reports characters converted through a one-to-many mapping (e.g. 干 → 乾/幹/干 in `s2t`), with a count.
//!
//! **Why it matters.** OpenCC picks one candidate by its phrase dictionaries; where no phrase matched the choice may be wrong (OpenCC issues #155, #140). The count says how much of the text deserves a review.
//!
//! **Example.** `头发` converted by `s2t` depends on the phrase table to give 頭髮 rather than 頭發
//!
//! Emitted by the script stage, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::AMBIGUOUS_CONVERSION,
    origin: Origin::Emitted("the script stage"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("ambiguous_conversion.rs"),
};
