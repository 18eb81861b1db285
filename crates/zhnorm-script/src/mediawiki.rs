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

use std::collections::{BTreeMap, HashMap};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
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

/// The page rules in force at one point of a document, for one target variant.
///
/// Rules come and go as the document walk meets them (`-{H|…}-` applies from where it stands),
/// so the rule set changes many times per page: a page with thousands of rules must not pay
/// for an automaton per change. Instead, one automaton holds every source form ever
/// registered (all rules of the document, announced up front by [`PageRules::register`]), and
/// each form keeps the replacements the rules in force give it. [`PageRules::apply`] finds
/// every occurrence of every form (overlapping search), keeps those whose form has a rule in
/// force, and picks leftmost-longest among them: the same segments as an automaton built from
/// the forms in force alone. Adding or removing a rule costs time in its own size; the
/// automaton is built once per page, or again only when a rule brings a form not registered.
#[derive(Debug, Clone)]
pub(crate) struct PageRules {
    variant: Variant,
    /// Source form → its index in `forms`.
    form_index: HashMap<String, usize>,
    forms: Vec<Form>,
    /// Rules in force by what they say ([`key`]): their addition numbers.
    in_force: HashMap<RuleKey, Vec<u64>>,
    /// What each addition in force set: (form index, replacement).
    contributions: HashMap<u64, Vec<(usize, String)>>,
    next_addition: u64,
    /// Forms that have a replacement now.
    live: usize,
    /// The automaton over `forms[..automaton_forms]`; `None` when not built yet.
    automaton: Option<AhoCorasick>,
    automaton_forms: usize,
    /// How many automata this value has built (for the linearity test).
    builds: usize,
}

/// One source form and the replacements the rules in force give it, by addition number:
/// the latest addition wins (a later rule overrides an earlier one for the same form).
#[derive(Debug, Clone, Default)]
struct Form {
    text: String,
    replacements: BTreeMap<u64, String>,
}

/// What a rule says: its variants (variant, text, one-way source) and text. Two rules that say
/// the same thing are one rule for `-{-|…}-`, which repeats the rule it removes.
pub(crate) type RuleKey = (Vec<(String, String, Option<String>)>, Option<String>);

pub(crate) fn key(rule: &ConversionRule) -> RuleKey {
    let variants = rule
        .variants
        .iter()
        .map(|v| (v.variant.clone(), v.text.clone(), v.from.clone()))
        .collect();
    (variants, rule.text.clone())
}

#[cfg(test)]
thread_local! {
    /// Automata built by page rules on this thread (for the document walk's linearity test).
    pub(crate) static BUILDS_ON_THIS_THREAD: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
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
            form_index: HashMap::new(),
            forms: Vec::new(),
            in_force: HashMap::new(),
            contributions: HashMap::new(),
            next_addition: 0,
            live: 0,
            automaton: None,
            automaton_forms: 0,
            builds: 0,
        }
    }

    /// Announces a rule that may be added later, so that the automaton built for the first
    /// text already knows its forms.
    pub(crate) fn register(&mut self, rule: &ConversionRule) {
        for (from, _) in self.entries(rule) {
            self.form(from);
        }
    }

    /// The (source form, replacement) pairs `rule` sets in this variant, in the order they
    /// apply (a later pair overrides an earlier one for the same form).
    fn entries<'r>(&self, rule: &'r ConversionRule) -> Vec<(&'r str, &'r str)> {
        let mut out = Vec::new();
        if let Some(target) = pick(&rule.variants, self.variant) {
            for v in rule.variants.iter().filter(|v| v.from.is_none()) {
                out.push((v.text.as_str(), target));
            }
        }
        // One-way entries: the first of the target's fallbacks that has any applies.
        let one_way_code = self.variant.mediawiki_fallbacks().iter().find(|code| {
            rule.variants
                .iter()
                .any(|v| v.from.is_some() && v.variant == **code)
        });
        if let Some(code) = one_way_code {
            for v in &rule.variants {
                if let (Some(from), true) = (&v.from, v.variant == *code) {
                    out.push((from.as_str(), v.text.as_str()));
                }
            }
        }
        out.retain(|(from, _)| !from.is_empty());
        out
    }

    /// The index of form `text`, registered if new.
    fn form(&mut self, text: &str) -> usize {
        if let Some(&i) = self.form_index.get(text) {
            return i;
        }
        let i = self.forms.len();
        self.forms.push(Form {
            text: text.to_owned(),
            replacements: BTreeMap::new(),
        });
        self.form_index.insert(text.to_owned(), i);
        i
    }

    pub(crate) fn add(&mut self, rule: ConversionRule) {
        let addition = self.next_addition;
        self.next_addition += 1;
        let mut set: Vec<(usize, String)> = Vec::new();
        for (from, to) in self.entries(&rule) {
            let i = self.form(from);
            match set.iter_mut().find(|(f, _)| *f == i) {
                Some(entry) => entry.1 = to.to_owned(),
                None => set.push((i, to.to_owned())),
            }
        }
        for (i, to) in &set {
            let form = &mut self.forms[*i];
            if form.replacements.is_empty() {
                self.live += 1;
            }
            form.replacements.insert(addition, to.clone());
        }
        self.in_force.entry(key(&rule)).or_default().push(addition);
        self.contributions.insert(addition, set);
    }

    pub(crate) fn remove(&mut self, rule: &ConversionRule) {
        let Some(additions) = self.in_force.remove(&key(rule)) else {
            return;
        };
        for addition in additions {
            for (i, _) in self.contributions.remove(&addition).unwrap_or_default() {
                let form = &mut self.forms[i];
                form.replacements.remove(&addition);
                if form.replacements.is_empty() {
                    self.live -= 1;
                }
            }
        }
    }

    /// How many automata were built so far.
    #[cfg(test)]
    pub(crate) fn builds(&self) -> usize {
        self.builds
    }

    /// Builds the automaton over every registered form, when forms came since the last one.
    fn ensure_automaton(&mut self) {
        if self.automaton.is_some() && self.automaton_forms == self.forms.len() {
            return;
        }
        // Building fails only past the automaton's size limits, far beyond any page's rules;
        // such a page keeps its text unreplaced rather than failing.
        // One build per page: a contiguous NFA builds faster than the DFA the library would
        // pick for a page's tens of rules (callgrind over corpus-dev wikitext: 7.5 M -> 5.7 M
        // instructions for its three pages with rules), and the searches cost no more.
        let kind = Some(AhoCorasickKind::ContiguousNFA);
        self.automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(kind)
            .build(self.forms.iter().map(|f| &f.text))
            .ok();
        self.automaton_forms = self.forms.len();
        self.builds += 1;
        #[cfg(test)]
        BUILDS_ON_THIS_THREAD.with(|b| b.set(b.get() + 1));
    }

    /// Splits `text` into plain stretches and stretches a rule replaced.
    pub(crate) fn apply(&mut self, text: &str) -> Vec<RuleSegment> {
        let mut out = Vec::new();
        let mut last = 0;
        if self.live > 0 {
            self.ensure_automaton();
        }
        if let (true, Some(automaton)) = (self.live > 0, &self.automaton) {
            // Every occurrence of a form in force, then leftmost-longest among them.
            let mut found: Vec<(usize, std::cmp::Reverse<usize>, usize)> = automaton
                .find_overlapping_iter(text)
                .filter(|m| !self.forms[m.pattern().as_usize()].replacements.is_empty())
                .map(|m| {
                    (
                        m.start(),
                        std::cmp::Reverse(m.end()),
                        m.pattern().as_usize(),
                    )
                })
                .collect();
            found.sort_unstable();
            for (start, std::cmp::Reverse(end), form) in found {
                if start < last {
                    continue;
                }
                if start > last {
                    out.push(RuleSegment {
                        source: last..start,
                        replaced: None,
                    });
                }
                let replacement = self.forms[form].replacements.values().next_back();
                out.push(RuleSegment {
                    source: start..end,
                    replaced: replacement.cloned(),
                });
                last = end;
            }
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

    fn shown(rules: &mut PageRules, text: &str) -> Vec<(String, Option<String>)> {
        rules
            .apply(text)
            .into_iter()
            .map(|s| (text[s.source].to_owned(), s.replaced))
            .collect()
    }

    /// The page rules as they were computed before they were incremental: a table rebuilt
    /// from every rule in force, in order, and a leftmost-longest automaton over it.
    fn reference_apply(
        variant: Variant,
        in_force: &[ConversionRule],
        text: &str,
    ) -> Vec<(String, Option<String>)> {
        let probe = PageRules::new(variant);
        let mut table: Vec<(String, String)> = Vec::new();
        for rule in in_force {
            for (from, to) in probe.entries(rule) {
                match table.iter_mut().find(|(f, _)| f == from) {
                    Some(entry) => entry.1 = to.to_owned(),
                    None => table.push((from.to_owned(), to.to_owned())),
                }
            }
        }
        if table.is_empty() {
            return if text.is_empty() {
                vec![]
            } else {
                vec![(text.to_owned(), None)]
            };
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(table.iter().map(|(f, _)| f))
            .unwrap();
        let mut out = Vec::new();
        let mut last = 0;
        for m in automaton.find_iter(text) {
            if m.start() > last {
                out.push((text[last..m.start()].to_owned(), None));
            }
            out.push((
                text[m.range()].to_owned(),
                Some(table[m.pattern().as_usize()].1.clone()),
            ));
            last = m.end();
        }
        if last < text.len() {
            out.push((text[last..].to_owned(), None));
        }
        out
    }

    #[test]
    fn thousands_of_rules_build_one_automaton() {
        // As a page with 3,000 `-{H|zh-hans:词N;zh-hant:詞N;}-` standing in its text, each
        // followed by text that uses the rules so far.
        let rules: Vec<ConversionRule> = (0..3000)
            .map(|n| {
                rule(
                    "H",
                    vec![
                        vt("zh-hans", &format!("词{n}")),
                        vt("zh-hant", &format!("詞{n}")),
                    ],
                )
            })
            .collect();
        let mut page = PageRules::new(Variant::Hant);
        for r in &rules {
            page.register(r);
        }
        for (n, r) in rules.iter().enumerate() {
            page.add(r.clone());
            let text = format!("甲词{n}乙");
            assert_eq!(
                shown(&mut page, &text),
                vec![
                    ("甲".to_owned(), None),
                    (format!("词{n}"), Some(format!("詞{n}"))),
                    ("乙".to_owned(), None)
                ]
            );
        }
        assert_eq!(page.builds(), 1);
        // A rule nobody announced still applies: its form brings one more build.
        page.add(rule("H", vec![vt("zh-hans", "丙"), vt("zh-hant", "丁")]));
        assert_eq!(
            shown(&mut page, "丙词7"),
            vec![
                ("丙".to_owned(), Some("丁".to_owned())),
                ("词7".to_owned(), Some("詞7".to_owned()))
            ]
        );
        assert_eq!(page.builds(), 2);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Any sequence of additions and removals gives the segments of an automaton built
        /// from the rules in force alone.
        #[test]
        fn incremental_rules_match_a_rebuilt_table(
            steps in proptest::collection::vec((0usize..6, proptest::bool::ANY, 0usize..4), 1..25),
            texts in proptest::collection::vec("[甲乙丙丁]{0,8}", 4),
            register in proptest::bool::ANY,
        ) {
            let pool = [
                rule("H", vec![vt("zh-hans", "甲"), vt("zh-hant", "乙")]),
                rule("H", vec![vt("zh-hans", "甲乙"), vt("zh-hant", "丙")]),
                rule("H", vec![vt("zh-hans", "乙丙丁"), vt("zh-hant", "丁")]),
                rule("A", vec![vt("zh-cn", "丙"), vt("zh-tw", "甲丁")]),
                rule("", vec![VariantText {
                    variant: "zh-cn".to_owned(),
                    text: "丁丁".to_owned(),
                    from: Some("丁甲".to_owned()),
                }]),
                rule("H", vec![vt("zh-hans", "乙"), vt("zh-hant", "甲乙")]),
            ];
            for variant in [Variant::Hans, Variant::Hant, Variant::Cn] {
                let mut page = PageRules::new(variant);
                if register {
                    for r in &pool {
                        page.register(r);
                    }
                }
                let mut in_force: Vec<ConversionRule> = Vec::new();
                for (which, add, text) in &steps {
                    let r = &pool[*which];
                    if *add {
                        page.add(r.clone());
                        in_force.push(r.clone());
                    } else {
                        page.remove(r);
                        in_force.retain(|x| x.variants != r.variants || x.text != r.text);
                    }
                    let text = &texts[*text];
                    proptest::prop_assert_eq!(
                        shown(&mut page, text),
                        reference_apply(variant, &in_force, text)
                    );
                }
            }
        }
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
        assert_eq!(
            shown(&mut rules, text),
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
