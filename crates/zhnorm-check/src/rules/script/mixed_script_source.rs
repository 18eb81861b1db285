//! Reports a source text that mixes Traditional and Simplified characters heavily: at least
//! 5 % of its script-specific characters (and at least 5 characters) belong to the minority
//! script. Needs the source text (`CheckInput::source_text`); MediaWiki conversion markup
//! (`-{…}-`), which carries both scripts on purpose, is left out of the count.
//!
//! **Why it matters.** Mixed sources are where conversion has the most to do and where
//! one-to-many mappings bite; the ratio tells which documents deserve a review of their
//! converted text. Informational: the output may be perfectly clean.
//!
//! **Example.** A wikitext page with `阿塞拜疆－俄羅斯關係` in its text and `中华人民共和国`
//! in a link: 3 Traditional-only and 3 Simplified-only characters, 50 % minority.

use zhnorm_doc::{Diagnostic, codes};
use zhnorm_script::count_scripts;

use crate::context::Context;
use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::MIXED_SCRIPT_SOURCE,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("mixed_script_source.rs"),
};

const MIN_MINORITY_CHARS: usize = 5;
const MIN_MINORITY_SHARE: f64 = 0.05;

/// The source text without its `-{…}-` conversion markup.
/// Calls `visit` with each part of `text` outside conversion markup (`-{…}-`), without copying
/// the source (this rule reads every article's whole source).
fn for_each_outside_conversion_markup<'t>(text: &'t str, mut visit: impl FnMut(&'t str)) {
    let mut rest = text;
    while let Some(start) = memchr::memmem::find(rest.as_bytes(), b"-{") {
        visit(&rest[..start]);
        match memchr::memmem::find(&rest.as_bytes()[start..], b"}-") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return,
        }
    }
    visit(rest);
}

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let Some(source) = cx.source_text else {
        return Vec::new();
    };
    let (mut traditional, mut simplified) = (0usize, 0usize);
    for_each_outside_conversion_markup(source, |part| {
        let (t, s) = count_scripts(part);
        traditional += t;
        simplified += s;
    });
    let minority = traditional.min(simplified);
    let total = traditional + simplified;
    // Counts of characters in one document are far below 2^52, so the conversion is exact.
    #[allow(clippy::cast_precision_loss)]
    let share = if total == 0 {
        0.0
    } else {
        minority as f64 / total as f64
    };
    if minority < MIN_MINORITY_CHARS || share < MIN_MINORITY_SHARE {
        return Vec::new();
    }
    vec![Diagnostic::new(
        &codes::MIXED_SCRIPT_SOURCE,
        format!(
            "source mixes scripts: {traditional} Traditional-only and {simplified} Simplified-only characters ({:.1} % in the minority script)",
            share * 100.0
        ),
    )]
}
