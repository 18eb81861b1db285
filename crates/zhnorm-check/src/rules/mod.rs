//! The rules, one file each under `<family>/<rule_name>.rs`, and the registry that lists them.

pub(crate) mod corpus;
pub(crate) mod files;
pub(crate) mod markup;
pub(crate) mod references;
pub(crate) mod script;
pub(crate) mod structure;
pub(crate) mod typography;

use zhnorm_doc::Reference;

use crate::registry::Rule;
use crate::text::shorten;

/// Every rule, in the order of `zhnorm_doc::codes::ALL`.
pub(crate) static ALL: &[&Rule] = &[
    &files::file_not_utf8::RULE,
    &files::file_binary::RULE,
    &files::file_empty::RULE,
    &files::file_unreadable::RULE,
    &files::file_legacy_encoding::RULE,
    &markup::unbalanced_link_brackets::RULE,
    &markup::unbalanced_template_braces::RULE,
    &markup::unclosed_ref::RULE,
    &markup::unclosed_comment::RULE,
    &markup::unbalanced_table::RULE,
    &markup::unclosed_heading::RULE,
    &markup::broken_image_caption::RULE,
    &markup::markup_residue::RULE,
    &markup::unknown_template::RULE,
    &markup::unbalanced_bold_italic::RULE,
    &markup::unclosed_tag::RULE,
    &markup::unclosed_conversion::RULE,
    &markup::leftover_markup_removed::RULE,
    &markup::unresolved_citation_marker::RULE,
    &markup::nesting_too_deep::RULE,
    &markup::unevaluated_parser_function::RULE,
    &structure::heading_level_skipped::RULE,
    &structure::duplicate_heading::RULE,
    &structure::empty_section::RULE,
    &structure::title_differs_from_lead::RULE,
    &structure::empty_brackets::RULE,
    &structure::empty_infobox_field::RULE,
    &structure::no_title::RULE,
    &references::citation_without_reference::RULE,
    &references::reference_never_cited::RULE,
    &references::empty_reference::RULE,
    &references::duplicate_reference::RULE,
    &references::reference_without_title::RULE,
    &references::reference_without_url::RULE,
    &references::implausible_date::RULE,
    &references::ambiguous_date::RULE,
    &references::malformed_url::RULE,
    &references::dead_link_without_archive::RULE,
    &references::citations_not_in_text::RULE,
    &script::other_script_character::RULE,
    &script::mixed_script_source::RULE,
    &script::ambiguous_conversion::RULE,
    &script::conversion_group_missing::RULE,
    &typography::half_width_punctuation::RULE,
    &typography::doubled_punctuation::RULE,
    &typography::cjk_latin_spacing::RULE,
    &corpus::duplicate_id::RULE,
    &corpus::entity_spelled_two_ways::RULE,
    &corpus::wiki_links_resolved::RULE,
    &corpus::duplicate_article::RULE,
];

/// `reference `r3` (label 8, “title…”)`, naming a reference in messages.
pub(crate) fn describe_reference(r: &Reference) -> String {
    let mut about = Vec::new();
    if let Some(label) = &r.custom.label {
        about.push(format!("label {label}"));
    }
    if let Some(title) = r.title.as_deref().filter(|t| !t.trim().is_empty()) {
        about.push(format!("“{}”", shorten(title.trim(), 30)));
    }
    if about.is_empty() {
        format!("reference `{}`", r.id)
    } else {
        format!("reference `{}` ({})", r.id, about.join(", "))
    }
}
