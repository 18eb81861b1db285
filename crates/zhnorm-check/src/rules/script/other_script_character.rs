//! Finds characters that belong only to the other script left in the output: a
//! Traditional-only character (這) in a `zh-Hans`/`zh-CN` document, a Simplified-only one (这)
//! in a `zh-Hant`/`zh-TW`/`zh-HK` document. One diagnostic per character, with its count and
//! where it first occurs.
//!
//! **Why it matters.** The corpus promises one script variant; a stray character breaks
//! search and deduplication (這 and 这 are different strings) and shows that conversion missed
//! text (an unconverted node, protected markup that should not have been).
//!
//! **How.** Each character is classed by OpenCC's character tables through
//! `zhnorm_script::char_script`, except those the variant's own configuration writes (zh-TW
//! keeps 秘 and 群, zh-HK writes 温 and 税, all Simplified-only by the base tables: their
//! single-character conversion by the variant leaves them as they are); the output is never
//! converted again to compare, because
//! OpenCC's `s2t` is not idempotent. Link targets (page titles, never converted), code, maths
//! and references (quoted from their source) are not checked. Documents whose `lang` is empty
//! (not converted) or not Chinese are skipped.
//!
//! **Example.** `这是阿塞拜疆與俄罗斯的关系` in a `zh-Hans` document: `與` is Traditional-only.
//! A page rule such as `-{H|zh-cn:創意者更新;zh-tw:創作者更新}-` puts Traditional text into
//! zh-CN output on purpose of its authors; the message then names the rule, whose source
//! text is what needs fixing. (In zh-Hans and zh-Hant such a rule does nothing: as in
//! MediaWiki, they take one-way rules only.) Documents in `zh` (as written) are never
//! converted and have no other script.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use zhnorm_doc::{Diagnostic, codes};
use zhnorm_script::{
    CharScript, ConvertOptions, Converter, EngineKind, Variant, for_each_character_of,
};

use crate::context::Context;
use crate::registry::{Check, Origin, Rule};
use crate::text::excerpt;

pub(crate) static RULE: Rule = Rule {
    code: &codes::OTHER_SCRIPT_CHARACTER,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("other_script_character.rs"),
};

/// At most this many characters are reported one by one; the rest are summed up.
const MAX_REPORTED: usize = 20;

/// The script class foreign to a document in `lang`, with the names of both scripts.
pub(crate) fn foreign_class(lang: &str) -> Option<(CharScript, &'static str)> {
    match lang.to_ascii_lowercase().as_str() {
        "zh-hans" | "zh-cn" | "zh-sg" | "zh-my" => {
            Some((CharScript::TraditionalOnly, "Traditional-only"))
        }
        "zh-hant" | "zh-tw" | "zh-hk" | "zh-mo" => {
            Some((CharScript::SimplifiedOnly, "Simplified-only"))
        }
        _ => None,
    }
}

/// The builtin converter of the variant `lang` names, loaded once per process.
///
/// It decides whether a character OpenCC's base tables call foreign is nevertheless what the
/// variant's own configuration writes: zh-TW keeps 秘 and 群, zh-HK writes 温 and 税, all of
/// which the base tables class as Simplified-only.
fn variant_converter(lang: &str) -> Option<&'static Converter> {
    static CONVERTERS: [OnceLock<Option<Converter>>; Variant::ALL.len()] =
        [const { OnceLock::new() }; Variant::ALL.len()];
    let variant: Variant = lang.parse().ok()?;
    let index = Variant::ALL.iter().position(|v| *v == variant)?;
    CONVERTERS[index]
        .get_or_init(|| {
            Converter::new(variant, EngineKind::Builtin, ConvertOptions::default()).ok()
        })
        .as_ref()
}

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let Some((foreign, class_name)) = foreign_class(&cx.doc.lang) else {
        return Vec::new();
    };
    let converter = variant_converter(&cx.doc.lang);
    // Character → (count, first occurrence); BTreeMap for a stable order of first sight below.
    let mut found: BTreeMap<char, (usize, usize, String)> = BTreeMap::new();
    let mut seen = 0;
    for run in cx.runs {
        for_each_character_of(run.text, foreign, |at, c| {
            if converter.is_some_and(|v| !v.is_other_script(c)) {
                return;
            }
            let entry = found.entry(c).or_insert_with(|| {
                seen += 1;
                let quote = excerpt(run.text, at, at + c.len_utf8(), 6);
                (0, seen, format!("{}: “{quote}”", run.where_()))
            });
            entry.0 += 1;
        });
    }
    // Variant texts the page itself gives for this language (`-{H|zh-hans:…}-`): a foreign
    // character there was written by the page's authors, not missed by the conversion.
    let family: &[&str] = match foreign {
        CharScript::TraditionalOnly => &["zh-hans", "zh-cn", "zh-sg", "zh-my"],
        _ => &["zh-hant", "zh-tw", "zh-hk", "zh-mo"],
    };
    let page_variants: Vec<&str> = cx
        .doc
        .conversion
        .rules
        .iter()
        .flat_map(|rule| &rule.variants)
        .filter(|v| family.contains(&v.variant.as_str()))
        .map(|v| v.text.as_str())
        .collect();
    let mut by_first: Vec<_> = found.into_iter().collect();
    by_first.sort_by_key(|(_, (_, order, _))| *order);
    let mut out: Vec<Diagnostic> = by_first
        .iter()
        .take(MAX_REPORTED)
        .map(|(c, (count, _, first))| {
            let cause = match page_variants.iter().find(|v| v.contains(*c)) {
                Some(v) => format!("; the page's own conversion rule gives “{v}” for this variant"),
                None => String::new(),
            };
            Diagnostic::new(
                &codes::OTHER_SCRIPT_CHARACTER,
                format!(
                    "{class_name} character `{c}` in {} output ({count}×), first {first}{cause}",
                    cx.doc.lang
                ),
            )
        })
        .collect();
    if by_first.len() > MAX_REPORTED {
        let rest = &by_first[MAX_REPORTED..];
        let total: usize = rest.iter().map(|(_, (n, _, _))| n).sum();
        let chars: String = rest.iter().map(|(c, _)| *c).collect();
        out.push(Diagnostic::new(
            &codes::OTHER_SCRIPT_CHARACTER,
            format!(
                "{} more {class_name} characters in {} output ({total}×): {}",
                rest.len(),
                cx.doc.lang,
                crate::text::shorten(&chars, 40)
            ),
        ));
    }
    out
}
