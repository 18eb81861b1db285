//! MediaWiki's conversion markup: what one `-{…}-` shows in a target variant, and the page
//! rules (`-{H|…}-`, `-{A|…}-`, `noteTA`'s manual rules) applied to the text around it.
//!
//! The readers parse the markup into [`ConversionRule`]s; nothing here parses wikitext.
//!
//! | form | shows | page rule |
//! | --- | --- | --- |
//! | `-{text}-`, `-{R\|text}-` | `text`, not converted | — |
//! | `-{zh-hans:A;zh-hant:B}-` | the target's text by [`Variant::mediawiki_fallbacks`], not converted; with no text for the target, the first text converted by the engine | — |
//! | `-{H\|…}-` | nothing | added, for the rest of the document |
//! | `-{A\|…}-` | as `-{zh-hans:A;…}-` | added, for the rest of the document |
//! | `-{T\|…}-` | nothing; the target's text becomes the title | — |
//! | `-{D\|…}-` | a description of the rule (简体：A；繁體：B；), not converted | — |
//! | `-{-\|…}-` | nothing | the same rule removed |
//! | `-{N\|zh-hans}-` | the variant's name | — |
//!
//! A page rule maps each of its texts (every variant's, in any script) to the target's text,
//! and a one-way entry `from=>zh-cn:to` maps `from` to `to` in the variants whose fallbacks
//! reach `zh-cn`. In text, the longest source form found wins (leftmost-longest), and the
//! replacement is protected from the engine.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use zhnorm_doc::{ConversionRule, VariantText};

use crate::Variant;

/// What one piece of conversion markup does in the target variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Effect {
    /// Show this text as it is.
    Protected(String),
    /// Show this text converted by the engine (a rule with no text for the target).
    Convert(String),
    /// Show nothing.
    Nothing,
    /// Show this text (possibly empty) and add the rule to the page rules.
    AddRule(String, ConversionRule),
    /// Remove the rule from the page rules.
    RemoveRule(ConversionRule),
    /// Show nothing; the title becomes this text.
    Title(String),
}

/// The flags of a rule, upper-cased, without separators.
fn flags(rule: &ConversionRule) -> Vec<String> {
    rule.flags
        .split([';', ' '])
        .map(|f| f.trim().to_ascii_uppercase())
        .filter(|f| !f.is_empty())
        .collect()
}

/// The text of `rule` for `variant` by MediaWiki's fallbacks (bidirectional entries only).
pub(crate) fn pick(variants: &[VariantText], variant: Variant) -> Option<&str> {
    variant.mediawiki_fallbacks().iter().find_map(|code| {
        variants
            .iter()
            .find(|v| v.from.is_none() && v.variant == *code)
            .map(|v| v.text.as_str())
    })
}

/// What `rule` does where it stands, in `variant`.
pub(crate) fn resolve(rule: &ConversionRule, variant: Variant) -> Effect {
    let flags = flags(rule);
    let has = |f: &str| flags.iter().any(|x| x == f);
    let shown = || -> Effect {
        if let Some(text) = &rule.text {
            return Effect::Protected(text.clone());
        }
        match pick(&rule.variants, variant) {
            Some(text) => Effect::Protected(text.to_owned()),
            None => match rule.variants.iter().find(|v| v.from.is_none()) {
                Some(first) => Effect::Convert(first.text.clone()),
                None => Effect::Nothing,
            },
        }
    };
    if has("R") {
        return Effect::Protected(raw_text(rule));
    }
    if has("-") {
        return Effect::RemoveRule(rule.clone());
    }
    if has("T") {
        return match shown() {
            Effect::Protected(text) | Effect::Convert(text) => Effect::Title(text),
            _ => Effect::Nothing,
        };
    }
    if has("D") {
        return Effect::Protected(describe(rule));
    }
    if has("N") {
        let code = rule
            .text
            .as_deref()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        return Effect::Protected(variant_name(&code).unwrap_or(&code).to_owned());
    }
    if has("H") {
        return if rule.variants.is_empty() {
            Effect::Nothing
        } else {
            Effect::AddRule(String::new(), rule.clone())
        };
    }
    if has("A") {
        return match shown() {
            Effect::Protected(text) if !rule.variants.is_empty() => {
                Effect::AddRule(text, rule.clone())
            }
            other => other,
        };
    }
    shown()
}

/// The rule's body as written (for `R`): its text, or its variants re-joined.
fn raw_text(rule: &ConversionRule) -> String {
    if let Some(text) = &rule.text {
        return text.clone();
    }
    rule.variants
        .iter()
        .map(|v| match &v.from {
            Some(from) => format!("{from}=>{}:{}", v.variant, v.text),
            None => format!("{}:{}", v.variant, v.text),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// MediaWiki's names of the variants (its `D` flag and `N` flag output).
fn variant_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "zh" => "原文",
        "zh-hans" => "简体",
        "zh-hant" => "繁體",
        "zh-cn" => "大陆简体",
        "zh-tw" => "臺灣正體",
        "zh-hk" => "香港繁體",
        "zh-mo" => "澳門繁體",
        "zh-sg" => "新加坡简体",
        "zh-my" => "大马简体",
        _ => return None,
    })
}

fn describe(rule: &ConversionRule) -> String {
    let mut out = String::new();
    for v in &rule.variants {
        let name = variant_name(&v.variant).unwrap_or(&v.variant);
        match &v.from {
            Some(from) => out.push_str(&format!("{from}⇒{name}：{}；", v.text)),
            None => out.push_str(&format!("{name}：{}；", v.text)),
        }
    }
    if out.is_empty() {
        out = rule.text.clone().unwrap_or_default();
    }
    out
}

/// Whether two rules say the same thing (for `-{-|…}-`, which repeats the rule it removes).
fn same_rule(a: &ConversionRule, b: &ConversionRule) -> bool {
    a.variants == b.variants && a.text == b.text
}

/// The page rules in force at one point of a document, compiled for one target variant.
#[derive(Debug, Clone)]
pub(crate) struct PageRules {
    variant: Variant,
    rules: Vec<ConversionRule>,
    compiled: Option<Compiled>,
}

#[derive(Debug, Clone)]
struct Compiled {
    automaton: AhoCorasick,
    replacements: Vec<String>,
}

/// A piece of text after the page rules: replaced text is protected from the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuleSegment {
    /// Byte range of the input it came from.
    pub source: std::ops::Range<usize>,
    /// The replacement, for text a rule matched.
    pub replaced: Option<String>,
}

impl PageRules {
    pub(crate) fn new(variant: Variant) -> PageRules {
        PageRules {
            variant,
            rules: Vec::new(),
            compiled: None,
        }
    }

    pub(crate) fn add(&mut self, rule: ConversionRule) {
        self.rules.push(rule);
        self.compile();
    }

    pub(crate) fn remove(&mut self, rule: &ConversionRule) {
        let before = self.rules.len();
        self.rules.retain(|r| !same_rule(r, rule));
        if self.rules.len() != before {
            self.compile();
        }
    }

    fn compile(&mut self) {
        // Later rules override earlier ones for the same source form.
        let mut table: Vec<(String, String)> = Vec::new();
        let mut set = |from: &str, to: &str| {
            if from.is_empty() {
                return;
            }
            match table.iter_mut().find(|(f, _)| f == from) {
                Some(entry) => entry.1 = to.to_owned(),
                None => table.push((from.to_owned(), to.to_owned())),
            }
        };
        let fallbacks = self.variant.mediawiki_fallbacks();
        for rule in &self.rules {
            if let Some(target) = pick(&rule.variants, self.variant) {
                for v in rule.variants.iter().filter(|v| v.from.is_none()) {
                    set(&v.text, target);
                }
            }
            // One-way entries: the first of the target's fallbacks that has any applies.
            let one_way_code = fallbacks.iter().find(|code| {
                rule.variants
                    .iter()
                    .any(|v| v.from.is_some() && v.variant == **code)
            });
            if let Some(code) = one_way_code {
                for v in &rule.variants {
                    if let (Some(from), true) = (&v.from, v.variant == *code) {
                        set(from, &v.text);
                    }
                }
            }
        }
        if table.is_empty() {
            self.compiled = None;
            return;
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(table.iter().map(|(from, _)| from));
        // Building fails only past the automaton's size limits, far beyond any page's rules;
        // such a page keeps its text unreplaced rather than failing.
        self.compiled = automaton.ok().map(|automaton| Compiled {
            automaton,
            replacements: table.into_iter().map(|(_, to)| to).collect(),
        });
    }

    /// Splits `text` into plain stretches and stretches a rule replaced.
    pub(crate) fn apply(&self, text: &str) -> Vec<RuleSegment> {
        let mut out = Vec::new();
        let Some(compiled) = &self.compiled else {
            if !text.is_empty() {
                out.push(RuleSegment {
                    source: 0..text.len(),
                    replaced: None,
                });
            }
            return out;
        };
        let mut last = 0;
        for m in compiled.automaton.find_iter(text) {
            if m.start() > last {
                out.push(RuleSegment {
                    source: last..m.start(),
                    replaced: None,
                });
            }
            out.push(RuleSegment {
                source: m.start()..m.end(),
                replaced: Some(compiled.replacements[m.pattern().as_usize()].clone()),
            });
            last = m.end();
        }
        if last < text.len() {
            out.push(RuleSegment {
                source: last..text.len(),
                replaced: None,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vt(variant: &str, text: &str) -> VariantText {
        VariantText {
            variant: variant.to_owned(),
            text: text.to_owned(),
            from: None,
        }
    }

    fn rule(flags: &str, variants: Vec<VariantText>) -> ConversionRule {
        ConversionRule {
            flags: flags.to_owned(),
            text: None,
            variants,
        }
    }

    #[test]
    fn fallbacks_pick_the_nearest_variant() {
        let vs = vec![vt("zh-cn", "甲"), vt("zh-tw", "乙")];
        assert_eq!(pick(&vs, Variant::Hans), Some("甲"));
        assert_eq!(pick(&vs, Variant::Hk), Some("乙"));
        assert_eq!(pick(&[vt("zh-hant", "丙")], Variant::Cn), None);
    }

    #[test]
    fn longest_rule_wins_and_later_rules_override() {
        let mut rules = PageRules::new(Variant::Hans);
        rules.add(rule("H", vec![vt("zh-hans", "甲"), vt("zh-hant", "乙")]));
        rules.add(rule(
            "H",
            vec![vt("zh-hans", "丙丁"), vt("zh-hant", "乙丁")],
        ));
        let text = "乙丁乙";
        let shown: Vec<_> = rules
            .apply(text)
            .into_iter()
            .map(|s| (text[s.source].to_owned(), s.replaced))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("乙丁".to_owned(), Some("丙丁".to_owned())),
                ("乙".to_owned(), Some("甲".to_owned()))
            ]
        );
        rules.remove(&rule("-", vec![vt("zh-hans", "甲"), vt("zh-hant", "乙")]));
        rules.remove(&rule(
            "-",
            vec![vt("zh-hans", "丙丁"), vt("zh-hant", "乙丁")],
        ));
        assert_eq!(
            rules.apply(text),
            vec![RuleSegment {
                source: 0..text.len(),
                replaced: None
            }]
        );
    }
}
