//! Rules of the markup family.

pub(crate) mod broken_image_caption;
pub(crate) mod leftover_markup_removed;
pub(crate) mod markup_residue;
pub(crate) mod nesting_too_deep;
pub(crate) mod unbalanced_bold_italic;
pub(crate) mod unbalanced_link_brackets;
pub(crate) mod unbalanced_table;
pub(crate) mod unbalanced_template_braces;
pub(crate) mod unclosed_comment;
pub(crate) mod unclosed_conversion;
pub(crate) mod unclosed_heading;
pub(crate) mod unclosed_ref;
pub(crate) mod unclosed_tag;
pub(crate) mod unevaluated_parser_function;
pub(crate) mod unknown_template;
pub(crate) mod unresolved_citation_marker;
