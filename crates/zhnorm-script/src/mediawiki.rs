//! MediaWiki's conversion markup: what one `-{…}-` shows in a target variant, and the page
//! rules it adds or removes, as MediaWiki's `ConverterRule` and `LanguageConverter` do.
//!
//! The readers parse the markup into [`ConversionRule`]s; nothing here parses wikitext. Rules
//! act from where they stand: the document walk ([`crate::document`]) meets them in text order
//! and changes the page rules ([`PageRules`]) for the text after them.
//!
//! Flags (MediaWiki's, case-sensitive; unknown ones are ignored):
//!
//! | form | shows | page rules |
//! | --- | --- | --- |
//! | `-{text}-`, `-{R\|text}-`, `-{\|text}-` | `text`, not converted | — |
//! | `-{zh-hans:A;zh-hant:B}-` | the target's text, else its fallbacks' ([`Variant::mediawiki_fallbacks`]), else the target's one-way text; in `zh`, the first text; not converted | — |
//! | `-{H\|…}-` | nothing | added |
//! | `-{A\|…}-` | as `-{zh-hans:A;…}-` | added |
//! | `-{D\|…}-` | a description (`大陆：A；臺灣：B；`) | — |
//! | `-{A;D\|…}-` | nothing | added |
//! | `-{D;H\|…}-` | a description | added |
//! | `-{T\|…}-` | nothing; the title becomes the target's text | — |
//! | `-{T;H\|…}-` | nothing; the title as `T` | added |
//! | `-{-\|…}-` | nothing | every source text the rule maps in the target removed, whatever rule added it |
//! | `-{N\|zh-cn}-` | the variant's name (大陆) | — |
//! | `-{zh;zh-hans\|text}-` | `text` converted when the target or one of its fallbacks is listed, else as written | — |
//! | `-{H\|text}-` (no variant) | nothing | `text` maps to itself: it is no longer converted |
//!
//! Which page rules act in a variant (MediaWiki's "manual levels"): in `zh-CN`, `zh-TW`,
//! `zh-HK`, `zh-SG`, `zh-MY` and `zh-MO`, a rule maps the text of every variant it has (each
//! variant missing from it filled from its fallbacks) to the target's text, and its one-way
//! entries `from=>code:to` whose code is the target; in `zh-Hans` and `zh-Hant`, only the
//! one-way entries naming them; in `zh`, none. A later rule overrides an earlier one for the
//! same source text. In text, the longest source text found wins (leftmost-longest), and the
//! replacement is protected from the engine.

use foldhash::HashMap;

use zhnorm_doc::ConversionRule;

use crate::Variant;
use crate::variant::{MEDIAWIKI_CODES, ManualLevel, code_fallbacks, mediawiki_code};

/// What the text of one piece of conversion markup is, where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shown {
    /// Show this text as it is (possibly empty).
    Protected(String),
    /// Show this text converted (with the page rules in force and the engine).
    Convert(String),
    /// Show this text converted as another variant, with that variant's page rules
    /// (`-{zh;zh-hans|…}-` in zh-CN: MediaWiki converts it as the first listed fallback).
    ConvertAs(String, Variant),
}

/// How a rule changes the page rules in force for the text after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// Map each source text to its replacement (later pairs override earlier ones).
    Add(Vec<(String, String)>),
    /// Forget these source texts.
    Remove(Vec<String>),
}

/// What one piece of conversion markup does in the target variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub shown: Shown,
    pub change: Option<Change>,
    /// The page title this rule sets (`T`).
    pub title: Option<String>,
}

/// A rule as MediaWiki reads it (`ConverterRule::parseFlags` and `parseRules`).
struct Parsed<'r> {
    /// The effective flags, in MediaWiki's order: `S` (show), `+` (add), `-`, `H`, `T`, `D`,
    /// `R`, `N`, `A`.
    flags: Vec<&'static str>,
    /// `-{zh;zh-hans|text}-`: the variants the text is converted for.
    variant_flags: Vec<&'static str>,
    /// Bidirectional texts by variant code, in source order (a repeated code keeps its place).
    bid: Vec<(&'static str, &'r str)>,
    /// One-way entries by variant code: (from, to).
    unid: Vec<(&'static str, Vec<(&'r str, &'r str)>)>,
    /// The rule itself: its body as written is [`Parsed::rules`], made only where needed.
    rule: &'r ConversionRule,
}

const FLAGS: [&str; 7] = ["A", "T", "R", "D", "-", "H", "N"];

/// PHP's truthiness of a string, which MediaWiki's fallback filling relies on.
fn truthy(text: &str) -> bool {
    !text.is_empty() && text != "0"
}

impl<'r> Parsed<'r> {
    /// The rule's body as written (borrowed when the rule holds it as one text).
    fn rules(&self) -> std::borrow::Cow<'r, str> {
        match &self.rule.text {
            Some(text) => std::borrow::Cow::Borrowed(text.as_str()),
            None => std::borrow::Cow::Owned(raw_text(self.rule)),
        }
    }

    fn new(rule: &'r ConversionRule) -> Parsed<'r> {
        let mut given: Vec<&'static str> = Vec::new();
        for token in rule.flags.split(';').map(str::trim) {
            let valid = FLAGS
                .iter()
                .chain(MEDIAWIKI_CODES.iter())
                .find(|f| **f == token)
                .copied();
            if let Some(flag) = valid
                && !given.contains(&flag)
            {
                given.push(flag);
            }
        }
        let has = |f: &str| given.contains(&f);
        let mut variant_flags = Vec::new();
        let flags: Vec<&'static str> = if given.is_empty() {
            vec!["S"]
        } else if has("R") {
            vec!["R"]
        } else if has("N") {
            vec!["N"]
        } else if has("-") {
            vec!["-"]
        } else if given.len() == 1 && has("T") {
            vec!["T", "H"]
        } else if has("H") {
            let mut flags = vec!["+", "H"];
            flags.extend(["T", "D"].into_iter().filter(|f| has(f)));
            flags
        } else {
            let mut flags = given.clone();
            if has("A") {
                flags.extend(["+", "S"]);
            }
            if has("D") {
                flags.retain(|f| *f != "S");
            }
            variant_flags = given
                .iter()
                .copied()
                .filter(|f| MEDIAWIKI_CODES.contains(f))
                .collect();
            if !variant_flags.is_empty() {
                flags.clear();
            }
            flags
        };
        let mut parsed = Parsed {
            flags,
            variant_flags,
            bid: Vec::new(),
            unid: Vec::new(),
            rule,
        };
        if !parsed.variant_flags.is_empty() {
            parsed.flags = vec!["R"];
            return parsed;
        }
        if !parsed.has("R") && !parsed.has("N") && rule.text.is_none() {
            parsed.read_tables(rule);
        }
        if parsed.bid.is_empty() && parsed.unid.is_empty() {
            if parsed.has("+") || parsed.has("-") {
                // `-{H|text}-`: the text stands for every variant.
                if !parsed.rules().is_empty() {
                    let rules: &'r str = match &rule.text {
                        Some(text) => text.as_str(),
                        None => "",
                    };
                    if !rules.is_empty() {
                        parsed.bid = MEDIAWIKI_CODES.iter().map(|c| (*c, rules)).collect();
                    }
                }
            } else if !parsed.has("N") && !parsed.has("T") {
                parsed.flags = vec!["R"];
            }
        }
        parsed
    }

    fn has(&self, flag: &str) -> bool {
        self.flags.contains(&flag)
    }

    fn read_tables(&mut self, rule: &'r ConversionRule) {
        for v in &rule.variants {
            let Some(code) = mediawiki_code(&v.variant) else {
                // A text for no known variant: MediaWiki drops the rule's tables.
                self.bid.clear();
                self.unid.clear();
                return;
            };
            match &v.from {
                None if !v.text.is_empty() => match self.bid.iter_mut().find(|(c, _)| *c == code) {
                    Some(entry) => entry.1 = &v.text,
                    None => self.bid.push((code, &v.text)),
                },
                None => {}
                Some(from) if !from.is_empty() => {
                    match self.unid.iter_mut().find(|(c, _)| *c == code) {
                        Some(entry) => entry.1.push((from, &v.text)),
                        None => self
                            .unid
                            .push((code, vec![(from.as_str(), v.text.as_str())])),
                    }
                }
                Some(_) => {}
            }
        }
    }

    fn bid(&self, code: &str) -> Option<&'r str> {
        self.bid.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
    }

    fn unid(&self, code: &str) -> Option<&[(&'r str, &'r str)]> {
        self.unid
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, pairs)| pairs.as_slice())
    }

    /// The text shown for `code` (`getRuleConvertedStr`); `None` where MediaWiki shows its
    /// rule-error message.
    fn shown(&self, code: &str) -> Option<&'r str> {
        if self.bid.is_empty() && self.unid.is_empty() {
            return None;
        }
        self.bid(code)
            .or_else(|| code_fallbacks(code).iter().find_map(|f| self.bid(f)))
            .or_else(|| self.unid(code).and_then(|p| p.first()).map(|(_, to)| *to))
            .or_else(|| {
                (crate::variant::code_level(code) == ManualLevel::Disable)
                    .then(|| self.first_text())
                    .flatten()
            })
    }

    fn first_text(&self) -> Option<&'r str> {
        self.bid.first().map(|(_, t)| *t).or_else(|| {
            self.unid
                .first()
                .and_then(|(_, p)| p.first())
                .map(|(_, to)| *to)
        })
    }

    /// The title a `T` rule sets in `code` (`getRuleConvertedTitle`).
    fn title(&self, code: &str) -> Option<String> {
        if code == "zh" {
            return self
                .bid("zh")
                .filter(|t| truthy(t))
                .or_else(|| self.unid("zh").and_then(|p| p.first()).map(|(_, to)| *to))
                .map(str::to_owned);
        }
        if self.bid.is_empty() && self.unid.is_empty() {
            return Some(self.rules().into_owned());
        }
        self.shown(code).map(str::to_owned)
    }

    /// The (source text, replacement) pairs the rule sets in `code` (`generateConvTable`), in
    /// the order they apply.
    fn table(&self, code: &str) -> Vec<(String, String)> {
        let level = crate::variant::code_level(code);
        let mut out = Vec::new();
        if level == ManualLevel::Disable {
            return out;
        }
        // Each variant's text, or its fallbacks' (from the rule's own texts only).
        let filled = |v: &str| {
            self.bid(v).or_else(|| {
                code_fallbacks(v)
                    .iter()
                    .find_map(|f| self.bid(f))
                    .filter(|t| truthy(t))
            })
        };
        if level == ManualLevel::Bidirectional
            && let Some(target) = filled(code)
        {
            for other in MEDIAWIKI_CODES.iter().filter(|c| **c != code) {
                if let Some(from) = filled(other) {
                    out.push((from.to_owned(), target.to_owned()));
                }
            }
        }
        for (from, to) in self.unid(code).unwrap_or_default() {
            out.push(((*from).to_owned(), (*to).to_owned()));
        }
        out
    }

    /// `D`: the rule described with MediaWiki's variant names.
    fn describe(&self) -> String {
        let mut out = String::new();
        for (code, text) in &self.bid {
            out.push_str(&format!("{}：{text}；", variant_name(code).unwrap_or(code)));
        }
        for (code, pairs) in &self.unid {
            for (from, to) in pairs {
                out.push_str(&format!(
                    "{from}⇒{}：{to}；",
                    variant_name(code).unwrap_or(code)
                ));
            }
        }
        out
    }
}

/// What `rule` does where it stands, in `variant`. Rules inside its texts (kept as markup by
/// the reader) are resolved first, in the target variant, as MediaWiki resolves the innermost
/// rule first.
pub(crate) fn resolve(rule: &ConversionRule, variant: Variant) -> Resolved {
    let nested = |t: &str| t.contains("-{");
    let has_nested = rule.text.as_deref().is_some_and(nested)
        || rule
            .variants
            .iter()
            .any(|v| nested(&v.text) || v.from.as_deref().is_some_and(nested));
    // `nowiki` (the readers' mark of literal text, no MediaWiki flag): nothing to resolve.
    let literal = rule.flags.split(';').any(|f| f.trim() == "nowiki");
    if !has_nested || literal {
        return resolve_flat(rule, variant);
    }
    let mut flat = rule.clone();
    for text in flat.text.iter_mut().chain(
        flat.variants
            .iter_mut()
            .flat_map(|v| std::iter::once(&mut v.text).chain(v.from.iter_mut())),
    ) {
        if nested(text) {
            *text = resolve_markup(text, variant);
        }
    }
    resolve_flat(&flat, variant)
}

/// MediaWiki's limit on rules inside rules.
const MAX_NESTING: usize = 10;

/// `text` with every `-{…}-` in it replaced by what it shows in `variant`.
fn resolve_markup(text: &str, variant: Variant) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("-{") {
        out.push_str(&rest[..at]);
        let (shown, used) = nested_rule(&rest[at + 2..], variant, 1);
        out.push_str(&shown);
        rest = &rest[at + 2 + used..];
    }
    out.push_str(rest);
    out
}

/// The rule whose body starts `text` (just after its `-{`): what it shows, and how many bytes of
/// `text` it took (through its `}-`). An unclosed rule shows as written.
fn nested_rule(text: &str, variant: Variant, depth: usize) -> (String, usize) {
    let mut inner = String::new();
    let mut i = 0;
    // The next `-{` and `}-` at or after `i`, searched again only once `i` has passed them,
    // so that a text of many unclosed openers is read in linear time.
    let mut next_open: Option<Option<usize>> = None;
    let mut next_close: Option<Option<usize>> = None;
    loop {
        let find = |cache: &mut Option<Option<usize>>, token: &str| -> Option<usize> {
            match *cache {
                Some(Some(at)) if at >= i => Some(at - i),
                Some(None) => None,
                _ => {
                    let found = text[i..].find(token).map(|o| o + i);
                    *cache = Some(found);
                    found.map(|at| at - i)
                }
            }
        };
        let open = find(&mut next_open, "-{");
        let close = find(&mut next_close, "}-");
        match (open, close) {
            (Some(o), c) if c.is_none_or(|c| o < c) => {
                inner.push_str(&text[i..i + o]);
                if depth >= MAX_NESTING {
                    inner.push_str("-{");
                    i += o + 2;
                } else {
                    let (shown, used) = nested_rule(&text[i + o + 2..], variant, depth + 1);
                    inner.push_str(&shown);
                    i += o + 2 + used;
                }
            }
            (_, Some(c)) => {
                inner.push_str(&text[i..i + c]);
                let shown = match resolve_flat(&parse_markup(&inner), variant).shown {
                    Shown::Protected(t) | Shown::Convert(t) | Shown::ConvertAs(t, _) => t,
                };
                return (shown, i + c + 2);
            }
            _ => {
                inner.push_str(&text[i..]);
                return (format!("-{{{inner}"), text.len());
            }
        }
    }
}

/// A rule body (between `-{` and `}-`) read as the wikitext reader reads one.
pub(crate) fn parse_markup(body: &str) -> ConversionRule {
    let (flags, body) = match body.split_once('|') {
        Some((flags, body)) => (flags.trim().to_owned(), body),
        None => (String::new(), body),
    };
    let as_text = |flags: String| ConversionRule {
        flags,
        text: Some(body.to_owned()),
        variants: Vec::new(),
    };
    let mut variants: Vec<zhnorm_doc::VariantText> = Vec::new();
    for segment in body.split(';') {
        if segment.trim().is_empty() {
            continue;
        }
        let parsed = segment.split_once(':').and_then(|(head, text)| {
            let (from, code) = match head.split_once("=>") {
                Some((from, code)) => (Some(from.trim().to_owned()), code),
                None => (None, head),
            };
            mediawiki_code(code).map(|code| zhnorm_doc::VariantText {
                variant: code.to_owned(),
                text: text.trim().to_owned(),
                from,
            })
        });
        match (parsed, variants.last_mut()) {
            (Some(v), _) => variants.push(v),
            (None, Some(last)) => {
                last.text.push(';');
                last.text.push_str(segment.trim());
            }
            (None, None) => return as_text(flags),
        }
    }
    if variants.is_empty() {
        return as_text(flags);
    }
    ConversionRule {
        flags,
        text: None,
        variants,
    }
}

fn resolve_flat(rule: &ConversionRule, variant: Variant) -> Resolved {
    let code = variant.mediawiki_code();
    // `<langconvert to=…>` (the readers' flag `langconvert`, no MediaWiki flag): converted as
    // `to`, whatever the target.
    let tokens = || rule.flags.split(';').map(str::trim);
    if tokens().any(|f| f == "langconvert") {
        let text = rule.text.clone().unwrap_or_else(|| raw_text(rule));
        let to = tokens()
            .find_map(mediawiki_code)
            .and_then(|c| Variant::ALL.into_iter().find(|v| v.mediawiki_code() == c));
        let shown = match to {
            Some(to) if to != variant => Shown::ConvertAs(text, to),
            Some(_) => Shown::Convert(text),
            None => Shown::Protected(text),
        };
        return Resolved {
            shown,
            change: None,
            title: None,
        };
    }
    let parsed = Parsed::new(rule);
    if !parsed.variant_flags.is_empty() {
        let fallback_listed = variant
            .mediawiki_fallbacks()
            .iter()
            .find(|f| parsed.variant_flags.contains(f))
            .and_then(|f| Variant::ALL.into_iter().find(|v| v.mediawiki_code() == *f));
        let shown = match fallback_listed {
            _ if parsed.variant_flags.contains(&code) => {
                Shown::Convert(parsed.rules().into_owned())
            }
            Some(other) => Shown::ConvertAs(parsed.rules().into_owned(), other),
            None => Shown::Protected(parsed.rules().into_owned()),
        };
        return Resolved {
            shown,
            change: None,
            title: None,
        };
    }
    let mut shown: Option<Shown> = None;
    let mut title = None;
    for flag in &parsed.flags {
        shown = Some(match *flag {
            "R" => Shown::Protected(parsed.rules().into_owned()),
            "N" => Shown::Protected(
                variant_name(parsed.rules().trim())
                    .unwrap_or_default()
                    .to_owned(),
            ),
            "D" => Shown::Protected(parsed.describe()),
            "S" => match parsed.shown(code) {
                Some(text) => Shown::Protected(text.to_owned()),
                // MediaWiki shows an error message here; a corpus keeps the rule's first
                // text, converted.
                None => Shown::Convert(
                    parsed
                        .first_text()
                        .map_or_else(|| parsed.rules().into_owned(), str::to_owned),
                ),
            },
            "T" => {
                title = parsed.title(code);
                Shown::Protected(String::new())
            }
            _ => Shown::Protected(String::new()),
        });
    }
    let change = if parsed.has("-") {
        Some(Change::Remove(
            parsed
                .table(code)
                .into_iter()
                .map(|(from, _)| from)
                .collect(),
        ))
    } else if parsed.has("+") {
        Some(Change::Add(parsed.table(code)))
    } else {
        None
    };
    Resolved {
        shown: shown.unwrap_or(Shown::Protected(String::new())),
        change,
        title,
    }
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

/// MediaWiki's names of the variants (`ZhConverter::getVariantNames`), shown by `D` and `N`.
pub fn variant_name(code: &str) -> Option<&'static str> {
    Some(match mediawiki_code(code)? {
        "zh" => "原文",
        "zh-hans" => "简体",
        "zh-hant" => "繁體",
        "zh-cn" => "大陆",
        "zh-tw" => "臺灣",
        "zh-hk" => "香港",
        "zh-mo" => "澳門",
        "zh-sg" => "新加坡",
        "zh-my" => "大马",
        _ => return None,
    })
}

/// The page rules in force at one point of a document, for one target variant: MediaWiki's
/// manual table, source text → replacement.
///
/// Rules come and go as the document walk meets them (`-{H|…}-` applies from where it stands),
/// so the table changes many times per page: a page with thousands of rules must not pay for a
/// new matcher per change. Instead, one trie holds every source text a rule of the page has
/// brought so far, each with the replacement in force, if any. [`PageRules::apply`] walks the trie
/// from each position of the text and takes the longest source text in force there, leftmost
/// first: the segments of a leftmost-longest automaton built from the table in force alone.
/// Adding or removing a rule costs time in its own size.
///
/// The trie is written here rather than taken from aho-corasick: an automaton over a page's
/// source texts (516 on one corpus-dev page, most of them not in force at any one point) cost
/// more to build than the page's whole conversion, and the overlapping search it needs to skip
/// the texts not in force was slower still (a fifth of the zh-TW stage, measured in the
/// closing note of that change). A hashed trie is built in the length of its texts and grows
/// without a rebuild; where no source text starts, a position costs one lookup.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageRules {
    /// Source text → its index in `forms`.
    form_index: HashMap<String, usize>,
    forms: Vec<Form>,
    /// Forms that have a replacement now.
    live: usize,
    /// The trie over every form: (node, next character) → child node; node 0 is the root.
    edges: HashMap<(u32, char), u32>,
    /// Per trie node: the form whose text ends there.
    ends: Vec<Option<u32>>,
    /// A bit per first character of a source text, by its code point modulo [`START_BITS`]:
    /// where the bit is clear, no source text starts, and the trie is not asked (most
    /// characters of a page start none).
    starts: Vec<u64>,
}

const START_BITS: usize = 1 << 14;

/// One source text (its key in `form_index`): the replacement in force, if any.
#[derive(Debug, Clone, Default)]
struct Form {
    replacement: Option<String>,
}

#[cfg(test)]
thread_local! {
    /// Characters inserted into page-rule tries on this thread (for the document walk's
    /// linearity test: every source text is inserted once, however often the rules change).
    pub(crate) static INSERTED_ON_THIS_THREAD: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
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
    pub(crate) fn new() -> PageRules {
        PageRules::default()
    }

    /// The index of source text `text`, registered (and put in the trie) if new.
    fn form(&mut self, text: &str) -> usize {
        if let Some(&i) = self.form_index.get(text) {
            return i;
        }
        let i = self.forms.len();
        self.forms.push(Form { replacement: None });
        self.form_index.insert(text.to_owned(), i);
        self.insert(text, i);
        i
    }

    fn insert(&mut self, text: &str, form: usize) {
        if self.ends.is_empty() {
            self.ends.push(None);
            self.starts = vec![0; START_BITS / 64];
        }
        if let Some(first) = text.chars().next() {
            let bit = first as usize % START_BITS;
            self.starts[bit / 64] |= 1 << (bit % 64);
        }
        let mut node = 0u32;
        for c in text.chars() {
            let next = self.ends.len() as u32;
            node = *self.edges.entry((node, c)).or_insert(next);
            if node == next {
                self.ends.push(None);
            }
        }
        #[cfg(test)]
        INSERTED_ON_THIS_THREAD.with(|n| n.set(n.get() + text.chars().count()));
        // The root stands for the empty text, which no rule replaces.
        if node != 0 {
            self.ends[node as usize] = Some(form as u32);
        }
    }

    pub(crate) fn change(&mut self, change: Change) {
        match change {
            Change::Add(pairs) => {
                for (from, to) in pairs {
                    if from.is_empty() {
                        continue;
                    }
                    let i = self.form(&from);
                    if self.forms[i].replacement.replace(to).is_none() {
                        self.live += 1;
                    }
                }
            }
            Change::Remove(froms) => {
                for from in froms {
                    if let Some(&i) = self.form_index.get(from.as_str())
                        && self.forms[i].replacement.take().is_some()
                    {
                        self.live -= 1;
                    }
                }
            }
        }
    }

    /// Whether no rule has a replacement in force: [`PageRules::apply`] then replaces nothing.
    pub(crate) fn replaces_nothing(&self) -> bool {
        self.live == 0
    }

    /// The end and the form of the longest source text in force that starts `text`.
    fn longest_at(&self, text: &str) -> Option<(usize, usize)> {
        let mut node = 0u32;
        let mut best = None;
        for (at, c) in text.char_indices() {
            let Some(&next) = self.edges.get(&(node, c)) else {
                break;
            };
            node = next;
            if let Some(form) = self.ends[node as usize]
                && self.forms[form as usize].replacement.is_some()
            {
                best = Some((at + c.len_utf8(), form as usize));
            }
        }
        best
    }

    /// Splits `text` into plain stretches and stretches a rule replaced.
    pub(crate) fn apply(&mut self, text: &str) -> Vec<RuleSegment> {
        let mut out = Vec::new();
        let mut last = 0;
        if self.live > 0 {
            // One `char_indices` walk, restarted only after a replacement: slicing `text[at..]`
            // and decoding its first character at every position was most of this loop's cost
            // (zh-TW profile), where the trie is asked at few positions.
            let mut base = 0;
            let mut chars = text.char_indices();
            while let Some((offset, c)) = chars.next() {
                let bit = c as usize % START_BITS;
                let may_start = self
                    .starts
                    .get(bit / 64)
                    .is_some_and(|word| word & (1 << (bit % 64)) != 0);
                if !may_start {
                    continue;
                }
                let at = base + offset;
                let Some((length, form)) = self.longest_at(&text[at..]) else {
                    continue;
                };
                if at > last {
                    out.push(RuleSegment {
                        source: last..at,
                        replaced: None,
                    });
                }
                out.push(RuleSegment {
                    source: at..at + length,
                    replaced: self.forms[form].replacement.clone(),
                });
                last = at + length;
                base = last;
                chars = text[last..].char_indices();
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
    use zhnorm_doc::VariantText;

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

    /// A rule from a compact form: `flags|code:text;from=>code:text;…`, or `flags|text`.
    fn parse(markup: &str) -> ConversionRule {
        let (flags, body) = markup.split_once('|').unwrap_or(("", markup));
        let mut variants = Vec::new();
        for part in body.split(';').filter(|p| !p.is_empty()) {
            let (head, text) = part.split_once(':').unwrap_or(("", part));
            let (from, code) = match head.split_once("=>") {
                Some((from, code)) => (Some(from.to_owned()), code),
                None => (None, head),
            };
            if mediawiki_code(code).is_none() {
                return ConversionRule {
                    flags: flags.to_owned(),
                    text: Some(body.to_owned()),
                    variants: Vec::new(),
                };
            }
            variants.push(VariantText {
                variant: code.to_owned(),
                text: text.to_owned(),
                from,
            });
        }
        rule(flags, variants)
    }

    fn table(markup: &str, variant: Variant) -> String {
        match resolve(&parse(markup), variant).change {
            Some(Change::Add(pairs)) => pairs
                .iter()
                .map(|(f, t)| format!("{f}>{t}"))
                .collect::<Vec<_>>()
                .join(" "),
            Some(Change::Remove(froms)) => format!("-{}", froms.join(" -")),
            None => String::new(),
        }
    }

    fn shown(markup: &str, variant: Variant) -> String {
        match resolve(&parse(markup), variant).shown {
            Shown::Protected(text) => text,
            Shown::Convert(text) => format!("convert({text})"),
            Shown::ConvertAs(text, v) => format!("{v}({text})"),
        }
    }

    #[test]
    fn what_each_form_shows() {
        use Variant::*;
        let cases: &[(&str, Variant, &str)] = &[
            ("zh-cn:气;zh-tw:電", Hans, "气"),
            ("zh-cn:气;zh-tw:電", Hk, "電"),
            ("zh-cn:气;zh-tw:電", Zh, "气"),
            ("zh-cn:0;zh-sg:1;zh-tw:2;zh-hk:3", My, "1"),
            ("zh-cn:0;zh-sg:1;zh-tw:2;zh-hk:3", Mo, "3"),
            ("zh-hans:甲;zh-hant:乙", Sg, "甲"),
            ("zh:China;zh-tw:Taiwan", Tw, "Taiwan"),
            ("zh:China;zh-tw:Taiwan", Zh, "China"),
            // No text for zh-CN or its fallbacks: MediaWiki shows an error; zhnorm the first text.
            ("zh:China;zh-tw:Taiwan", Cn, "convert(China)"),
            ("巴库", Tw, "巴库"),
            ("R|zh-cn:a", Tw, "zh-cn:a"),
            ("H|zh-cn:a;zh-tw:b", Tw, ""),
            ("A|zh-cn:a;zh-tw:b", Tw, "b"),
            ("D|zh-cn:a;zh-tw:b", Tw, "大陆：a；臺灣：b；"),
            ("A;D|zh-cn:a;zh-tw:b", Tw, ""),
            ("D;H|zh-cn:a;zh-tw:b", Tw, "大陆：a；臺灣：b；"),
            ("D|電=>zh-cn:气", Tw, "電⇒大陆：气；"),
            ("N|zh-cn", Tw, "大陆"),
            ("N|zh-tw", Cn, "臺灣"),
            ("T|zh-cn:a;zh-tw:b", Tw, ""),
            ("-|zh-cn:a;zh-tw:b", Tw, ""),
            ("H|電=>zh-cn:气", Cn, ""),
            // One-way only: the target's own one-way text.
            ("電=>zh-cn:气", Cn, "气"),
            ("zh;zh-hans;zh-hant|電", Cn, "zh-Hans(電)"),
            ("zh;zh-hans;zh-hant|電", Hant, "convert(電)"),
            ("zh-hans|電", Tw, "電"),
            ("zh-hans|電", Sg, "zh-Hans(電)"),
            ("zh;zh-cn;zh-hk|電", Tw, "zh-HK(電)"),
            ("langconvert;zh-hant|气", Hans, "zh-Hant(气)"),
            ("langconvert;zh-hant|气", Hant, "convert(气)"),
            ("h|zh-cn:a;zh-tw:b", Tw, "b"),
        ];
        for (markup, variant, expected) in cases {
            assert_eq!(&shown(markup, *variant), expected, "{markup} in {variant}");
        }
    }

    #[test]
    fn which_page_rules_act_in_each_variant() {
        use Variant::*;
        let three = "H|zh-cn:气;zh-hk:馬;zh-tw:電";
        let cases: &[(&str, Variant, &str)] = &[
            // Every other variant's text (fallbacks filled) maps to the target's.
            (three, Cn, "气>气 气>气 電>气 馬>气 馬>气 气>气 气>气 電>气"),
            (three, Tw, "气>電 气>電 電>電 气>電 馬>電 馬>電 气>電 气>電"),
            // zh-Hans, zh-Hant: one way only; zh: none.
            (three, Hans, ""),
            (three, Hant, ""),
            (three, Zh, ""),
            ("H|電=>zh-cn:气", Cn, "電>气"),
            ("H|電=>zh-cn:气", Hans, ""),
            ("H|電=>zh-cn:气", Sg, ""),
            ("H|電=>zh-hans:气", Hans, "電>气"),
            ("H|電=>zh-hans:气", Cn, ""),
            (
                "A|zh:China;zh-tw:Taiwan",
                Tw,
                "China>Taiwan Taiwan>Taiwan Taiwan>Taiwan Taiwan>Taiwan",
            ),
            ("A|zh:China;zh-tw:Taiwan", Cn, ""),
            (
                "-|zh:China;zh-tw:Taiwan",
                Tw,
                "-China -Taiwan -Taiwan -Taiwan",
            ),
            (
                "H|China",
                Tw,
                "China>China China>China China>China China>China China>China China>China China>China China>China",
            ),
            ("zh-cn:a;zh-tw:b", Tw, ""),
            ("T|zh-cn:a;zh-tw:b", Tw, ""),
            ("T;H|zh-cn:a;zh-tw:b", Tw, "a>b a>b b>b a>b b>b b>b a>b a>b"),
            (
                "H|zh-Hant-TW:b;zh-Hans-CN:a",
                Tw,
                "a>b a>b b>b a>b b>b b>b a>b a>b",
            ),
        ];
        for (markup, variant, expected) in cases {
            assert_eq!(&table(markup, *variant), expected, "{markup} in {variant}");
        }
    }

    #[test]
    fn rules_inside_rules_resolve_in_the_target() {
        let nested = ConversionRule {
            flags: String::new(),
            text: None,
            variants: vec![
                vt("zh-hans", "Hi -{zh-cn:China;zh-sg:Singapore;}-"),
                vt("zh-hant", "Hello -{zh-tw:Taiwan;zh-hk:H-{ong}- K-{}-ong;}-"),
            ],
        };
        let shown = |v| match resolve(&nested, v).shown {
            Shown::Protected(t) => t,
            other => panic!("{other:?}"),
        };
        assert_eq!(shown(Variant::Hk), "Hello Hong Kong");
        assert_eq!(shown(Variant::Tw), "Hello Taiwan");
        assert_eq!(shown(Variant::Sg), "Hi Singapore");
        assert_eq!(shown(Variant::Zh), "Hi China");
        let raw = ConversionRule {
            flags: "R".to_owned(),
            text: Some("a -{zh:China;zh-tw:Taiwan}- b -{unclosed".to_owned()),
            variants: vec![],
        };
        assert_eq!(
            resolve(&raw, Variant::Tw).shown,
            Shown::Protected("a Taiwan b -{unclosed".to_owned())
        );
    }

    #[test]
    fn many_unclosed_openers_inside_a_rule_are_text() {
        // Read in linear time: each `}-` search is done once per level, not once per opener.
        let text = format!("甲{}}}-乙", "-{".repeat(20_000));
        let shown = resolve_markup(&text, Variant::Tw);
        assert!(
            shown.starts_with("甲-{-{") && shown.ends_with("-{乙"),
            "{shown:.40}"
        );
        // All but the innermost opener, which the `}-` closes, stay as text.
        assert_eq!(shown.matches("-{").count(), 19_999);
    }

    #[test]
    fn titles() {
        let title = |markup: &str, v: Variant| resolve(&parse(markup), v).title;
        assert_eq!(
            title("T|zh:China;zh-tw:Taiwan", Variant::Tw).as_deref(),
            Some("Taiwan")
        );
        assert_eq!(title("T|zh-cn:a;zh-tw:b", Variant::Zh), None);
        assert_eq!(
            title("T|Taiwan is China", Variant::Tw).as_deref(),
            Some("Taiwan is China")
        );
        assert_eq!(title("T|Taiwan is China", Variant::Zh), None);
    }

    fn segments(rules: &mut PageRules, text: &str) -> Vec<(String, Option<String>)> {
        rules
            .apply(text)
            .into_iter()
            .map(|s| (text[s.source].to_owned(), s.replaced))
            .collect()
    }

    /// The page rules as MediaWiki keeps them: one table, set and unset pair by pair, and a
    /// leftmost-longest automaton over it.
    fn reference_apply(table: &[(String, String)], text: &str) -> Vec<(String, Option<String>)> {
        if table.is_empty() {
            return if text.is_empty() {
                vec![]
            } else {
                vec![(text.to_owned(), None)]
            };
        }
        let automaton = aho_corasick::AhoCorasickBuilder::new()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
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
    fn thousands_of_rules_insert_each_source_text_once() {
        // As a page with 3,000 `-{H|zh-hans:词N;zh-hant:詞N;}-` standing in its text, each
        // followed by text that uses the rules so far.
        let changes: Vec<Change> = (0..3000)
            .map(|n| {
                let r = rule(
                    "H",
                    vec![
                        vt("zh-hans", &format!("词{n}")),
                        vt("zh-hant", &format!("詞{n}")),
                    ],
                );
                resolve(&r, Variant::Tw).change.unwrap()
            })
            .collect();
        INSERTED_ON_THIS_THREAD.with(|n| n.set(0));
        let mut page = PageRules::new();
        for (n, c) in changes.iter().enumerate() {
            page.change(c.clone());
            let text = format!("甲词{n}乙");
            assert_eq!(
                segments(&mut page, &text),
                vec![
                    ("甲".to_owned(), None),
                    (format!("词{n}"), Some(format!("詞{n}"))),
                    ("乙".to_owned(), None)
                ]
            );
        }
        // Each source text was put in the trie once, when its rule came.
        let inserted: usize = page.form_index.keys().map(|f| f.chars().count()).sum();
        assert_eq!(INSERTED_ON_THIS_THREAD.with(|n| n.get()), inserted);
        // Rules met again change only what is in force.
        for c in &changes {
            page.change(c.clone());
        }
        assert_eq!(INSERTED_ON_THIS_THREAD.with(|n| n.get()), inserted);
        page.change(Change::Add(vec![("丙".to_owned(), "丁".to_owned())]));
        assert_eq!(
            segments(&mut page, "丙词7"),
            vec![
                ("丙".to_owned(), Some("丁".to_owned())),
                ("词7".to_owned(), Some("詞7".to_owned()))
            ]
        );
        assert_eq!(INSERTED_ON_THIS_THREAD.with(|n| n.get()), inserted + 1);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Any sequence of additions and removals gives the segments of an automaton built
        /// from the table in force alone.
        #[test]
        fn incremental_rules_match_a_rebuilt_table(
            steps in proptest::collection::vec((0usize..6, proptest::bool::ANY, 0usize..4), 1..25),
            // Characters of one to four bytes between the rules' own.
            texts in proptest::collection::vec("[甲乙丙丁a é𠀀]{0,8}", 4),
        ) {
            let pool = [
                rule("H", vec![vt("zh-cn", "甲"), vt("zh-tw", "乙")]),
                rule("H", vec![vt("zh-cn", "甲乙"), vt("zh-tw", "丙")]),
                rule("H", vec![vt("zh-cn", "乙丙丁"), vt("zh-tw", "丁")]),
                rule("A", vec![vt("zh-cn", "丙"), vt("zh-tw", "甲丁")]),
                rule("H", vec![VariantText {
                    variant: "zh-cn".to_owned(),
                    text: "丁丁".to_owned(),
                    from: Some("丁甲".to_owned()),
                }]),
                rule("H", vec![vt("zh-hans", "乙"), vt("zh-hant", "甲乙")]),
            ];
            for variant in [Variant::Hans, Variant::Tw, Variant::Cn] {
                let mut page = PageRules::new();
                let mut table: Vec<(String, String)> = Vec::new();
                for (which, add, text) in &steps {
                    let mut r = pool[*which].clone();
                    if !*add {
                        r.flags = "-".to_owned();
                    }
                    let change = resolve(&r, variant).change;
                    if let Some(change) = &change {
                        page.change(change.clone());
                        match change {
                            Change::Add(pairs) => {
                                for (from, to) in pairs {
                                    match table.iter_mut().find(|(f, _)| f == from) {
                                        Some(entry) => entry.1 = to.clone(),
                                        None => table.push((from.clone(), to.clone())),
                                    }
                                }
                            }
                            Change::Remove(froms) => table.retain(|(f, _)| !froms.contains(f)),
                        }
                    }
                    let text = &texts[*text];
                    proptest::prop_assert_eq!(
                        segments(&mut page, text),
                        reference_apply(&table, text)
                    );
                }
            }
        }
    }
}
