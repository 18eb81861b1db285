//! Reports a public conversion group that a page's `{{noteTA|G1=…}}` names but that the run's groups (`--conversion-groups`) do not hold: once per run and group, not once per page.
//!
//! **Why it matters.** On zh.wikipedia the groups carry most regional vocabulary (软件/軟體, 程序/程式, place and person names); a page whose group is missing is converted by the engine alone, so its regional words may differ from what zh.wikipedia shows.
//!
//! **Example.** `{{NoteTA|G1=IT}}` in a run whose groups hold no `Module:CGroup/IT` (nor an alias of it)
//!
//! Emitted at the end of a run given conversion groups, as a finding about the corpus (no document); this rule
//! documents the code and passes its diagnostics through the configuration.

use zhnorm_doc::codes;

use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::CONVERSION_GROUP_MISSING,
    origin: Origin::Emitted("the script stage"),
    enabled_by_default: true,
    check: Check::PassThrough,
    fix: None,
    source: include_str!("conversion_group_missing.rs"),
};
