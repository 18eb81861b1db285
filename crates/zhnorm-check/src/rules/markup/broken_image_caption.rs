//! Finds image captions that an export broke, leaving a stray `]]` after the image link.
//!
//! **Why it matters.** Exports that rewrite links as `[[X|X]]` cut nested links out of captions; the caption text then follows the image as ordinary text and a lone `]]` closes nothing. The reader drops the `]]` and reports its line and column.
//!
//! **Example.** `[[File:Putin.jpg|缩略图]][[普京|普京]]和…，攝於[[蓋達爾·阿利耶夫國際機場|…]]]]` — the last `]]` (seed 000, line 7, column 137)
//!
//! Emitted by the wikitext reader, with the line and column in the source file where it has them; this
//! rule documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::BROKEN_IMAGE_CAPTION,
    origin: Origin::Emitted("the wikitext reader"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("broken_image_caption.rs"),
};
