//! Public conversion groups (`{{noteTA|G1=IT}}`): the pages that hold them, read as data.
//!
//! A dump carries its groups as pages of several shapes; [`ConversionGroups::add_page`] takes
//! each page and keeps what it says:
//!
//! - `Module:CGroup/…` (`模块:CGroup/…`) pages return a Lua table whose items are
//!   `Item('original', 'zh-cn:…; zh-tw:…;')` calls or `{ type = 'item', original = '…',
//!   rule = '…' }` tables; `{ type = 'text', … }` entries are not rules. The Lua is parsed as
//!   data, never run.
//! - A module that only does `return require('Module:CGroup/Other')` is an alias of `Other`.
//! - `core`, `doc`, `preload` and sandbox subpages are not groups.
//! - Older groups are `Template:CGroup/…` (`模板:CGroup/…`) pages of `{{CItem|…}}` or
//!   `{{CGroup/Item|…}}` lines. A module wins over a template of the same name.
//!
//! Each item is a page rule `-{H|rule}-`; a group's rules apply where the `noteTA` naming it
//! stands, before its manual rules, as MediaWiki renders the template.

use std::collections::BTreeMap;

use zhnorm_doc::ConversionRule;

use crate::mediawiki::parse_markup;

/// The conversion groups of a wiki, by name.
#[derive(Debug, Clone, Default)]
pub struct ConversionGroups {
    modules: BTreeMap<String, Vec<ConversionRule>>,
    templates: BTreeMap<String, Vec<ConversionRule>>,
    /// Group name → the group it stands for.
    aliases: BTreeMap<String, String>,
}

/// Which kind of page holds a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Module,
    Template,
}

/// A group's name as MediaWiki titles compare: spaces for underscores, trimmed, first letter
/// upper-case.
fn normalize_name(name: &str) -> String {
    let name = name.replace('_', " ");
    let name = name.trim();
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The kind and group name of a page title, when it holds a group.
fn group_title(title: &str) -> Option<(Kind, String)> {
    let title = title.trim();
    let (kind, rest) = [
        ("Module:", Kind::Module),
        ("模块:", Kind::Module),
        ("模組:", Kind::Module),
        ("Template:", Kind::Template),
        ("模板:", Kind::Template),
    ]
    .iter()
    .find_map(|(prefix, kind)| {
        title
            .strip_prefix(prefix)
            .map(|rest| (*kind, rest.trim_start()))
    })?;
    let name = rest
        .strip_prefix("CGroup/")
        .or_else(|| rest.strip_prefix("CGroup_/"))?;
    let lower = name.to_lowercase();
    let not_a_group = ["core", "doc", "preload"].contains(&lower.as_str())
        || lower.ends_with("/doc")
        || lower.contains("sandbox")
        || name.is_empty();
    (!not_a_group).then(|| (kind, normalize_name(name)))
}

impl ConversionGroups {
    pub fn new() -> ConversionGroups {
        ConversionGroups::default()
    }

    /// Whether a page of this title may hold a group (or an alias of one): the pages to look
    /// for in a dump's index.
    pub fn is_group_page(title: &str) -> bool {
        group_title(title).is_some()
    }

    /// Reads one page; returns whether it held a group (or an alias of one).
    pub fn add_page(&mut self, title: &str, text: &str) -> bool {
        let Some((kind, name)) = group_title(title) else {
            return false;
        };
        match kind {
            Kind::Module => {
                let tokens = lua::tokens(text);
                if let Some(target) = lua::returned_require(&tokens) {
                    match group_title(&target) {
                        Some((_, target)) if target != name => {
                            self.aliases.insert(name, target);
                            return true;
                        }
                        _ => return false,
                    }
                }
                self.modules.insert(name, lua::items(&tokens));
            }
            Kind::Template => {
                self.templates.insert(name, template_items(text));
            }
        }
        true
    }

    /// The rules of group `name` (aliases followed), or `None` when the wiki has no such group.
    pub fn rules(&self, name: &str) -> Option<&[ConversionRule]> {
        let mut name = normalize_name(name);
        // Aliases of aliases, but never round in circles.
        for _ in 0..8 {
            if let Some(rules) = self
                .modules
                .get(&name)
                .or_else(|| self.templates.get(&name))
            {
                return Some(rules);
            }
            name = self.aliases.get(&name)?.clone();
        }
        None
    }

    /// How many groups (aliases included) are known.
    pub fn len(&self) -> usize {
        let mut names: Vec<&String> = self
            .modules
            .keys()
            .chain(self.templates.keys())
            .chain(self.aliases.keys())
            .collect();
        names.sort();
        names.dedup();
        names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A group item's rule (`zh-cn:软件; zh-tw:軟體;`) as a page rule.
fn item_rule(rule: &str) -> Option<ConversionRule> {
    let mut parsed = parse_markup(rule.trim());
    if parsed.variants.is_empty() {
        return None;
    }
    parsed.flags = "H".to_owned();
    Some(parsed)
}

/// The items of a `Template:CGroup/…` page: `{{CItem|…}}` and `{{CGroup/Item|…}}` calls, whose
/// rule is the argument that names a variant (`rule=…`, or the positional one that does).
fn template_items(text: &str) -> Vec<ConversionRule> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("{{") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find("}}") else {
            break;
        };
        let call = &rest[..end];
        let mut args = call.split('|');
        let name = args.next().unwrap_or("").trim();
        let is_item = ["CItem", "CGroup/Item", "cItem"]
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n));
        if is_item {
            let rule = args.find_map(|arg| {
                let arg = arg.trim();
                let value = match arg.split_once('=') {
                    Some((key, value)) if key.trim() == "rule" => value,
                    Some((key, _)) if !key.contains(':') => return None,
                    _ => arg,
                };
                item_rule(value)
            });
            out.extend(rule);
        }
        rest = &rest[end + 2..];
    }
    out
}

/// Just enough of Lua's syntax to read a group module as data.
mod lua {
    use super::item_rule;
    use zhnorm_doc::ConversionRule;

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(super) enum Token {
        Str(String),
        Name(String),
        Punct(char),
    }

    /// The module's tokens: strings (quoted or long brackets), names and punctuation; comments
    /// and numbers dropped.
    pub(super) fn tokens(text: &str) -> Vec<Token> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '-' && chars.get(i + 1) == Some(&'-') {
                i += 2;
                if let Some((_, end)) = long_bracket(&chars, i) {
                    i = end;
                } else {
                    while i < chars.len() && chars[i] != '\n' {
                        i += 1;
                    }
                }
            } else if c == '"' || c == '\'' {
                let mut s = String::new();
                i += 1;
                while i < chars.len() && chars[i] != c && chars[i] != '\n' {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                        s.push(match chars[i] {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                    } else {
                        s.push(chars[i]);
                    }
                    i += 1;
                }
                i += 1;
                out.push(Token::Str(s));
            } else if let Some((s, end)) = (c == '[').then(|| long_bracket(&chars, i)).flatten() {
                out.push(Token::Str(s));
                i = end;
            } else if c.is_alphabetic() || c == '_' {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push(Token::Name(chars[start..i].iter().collect()));
            } else {
                if !c.is_whitespace() && !c.is_ascii_digit() {
                    out.push(Token::Punct(c));
                }
                i += 1;
            }
        }
        out
    }

    /// A long bracket `[[…]]` or `[==[…]==]` opening at `at`: its text and the index after it.
    fn long_bracket(chars: &[char], at: usize) -> Option<(String, usize)> {
        if chars.get(at) != Some(&'[') {
            return None;
        }
        let level = chars[at + 1..].iter().take_while(|c| **c == '=').count();
        if chars.get(at + 1 + level) != Some(&'[') {
            return None;
        }
        let start = at + 2 + level;
        let mut i = start;
        while i < chars.len() {
            if chars[i] == ']'
                && chars[i + 1..].iter().take(level).all(|c| *c == '=')
                && chars.get(i + 1 + level) == Some(&']')
            {
                let text: String = chars[start..i].iter().collect();
                return Some((
                    text.strip_prefix('\n').unwrap_or(&text).to_owned(),
                    i + 2 + level,
                ));
            }
            i += 1;
        }
        Some((chars[start..].iter().collect(), chars.len()))
    }

    /// `return require('Module:CGroup/Other')` as the module's whole body: the required title.
    pub(super) fn returned_require(tokens: &[Token]) -> Option<String> {
        match tokens {
            [
                Token::Name(ret),
                Token::Name(req),
                Token::Punct('('),
                Token::Str(title),
                Token::Punct(')'),
                rest @ ..,
            ] if ret == "return"
                && req == "require"
                && rest.iter().all(|t| *t == Token::Punct(';')) =>
            {
                Some(title.clone())
            }
            [
                Token::Name(ret),
                Token::Name(req),
                Token::Str(title),
                rest @ ..,
            ] if ret == "return"
                && req == "require"
                && rest.iter().all(|t| *t == Token::Punct(';')) =>
            {
                Some(title.clone())
            }
            _ => None,
        }
    }

    /// The module's items, in order: `Item(original, rule)` calls and tables with
    /// `type = 'item'`.
    pub(super) fn items(tokens: &[Token]) -> Vec<ConversionRule> {
        let mut out = Vec::new();
        // Open tables: (fields seen so far: type, rule).
        let mut tables: Vec<(Option<String>, Option<String>)> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                Token::Name(name)
                    if name == "Item" && tokens.get(i + 1) == Some(&Token::Punct('(')) =>
                {
                    // Item(original, rule): the second argument (the first may be `nil`).
                    let mut j = i + 2;
                    let mut args: Vec<Option<String>> = Vec::new();
                    while j < tokens.len() && tokens[j] != Token::Punct(')') {
                        match &tokens[j] {
                            Token::Str(s) => args.push(Some(s.clone())),
                            Token::Name(n) if n == "nil" => args.push(None),
                            _ => {}
                        }
                        j += 1;
                    }
                    if let Some(Some(rule)) = args.get(1) {
                        out.extend(item_rule(rule));
                    }
                    i = j;
                }
                Token::Punct('{') => tables.push((None, None)),
                Token::Punct('}') => {
                    if let Some((Some(kind), Some(rule))) = tables.pop()
                        && kind == "item"
                    {
                        out.extend(item_rule(&rule));
                    }
                }
                Token::Name(key)
                    if (key == "type" || key == "rule")
                        && tokens.get(i + 1) == Some(&Token::Punct('=')) =>
                {
                    if let (Some(Token::Str(value)), Some(table)) =
                        (tokens.get(i + 2), tables.last_mut())
                    {
                        if key == "type" {
                            table.0 = Some(value.clone());
                        } else {
                            table.1 = Some(value.clone());
                        }
                        i += 2;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rules: &[ConversionRule]) -> Vec<String> {
        rules.iter().map(ConversionRule::to_markup).collect()
    }

    #[test]
    fn modules_templates_and_aliases() {
        let mut groups = ConversionGroups::new();
        let module = r#"
local Item = require('Module:CGroup/core').Item;
-- a comment with Item('x', 'zh-cn:不是;zh-tw:規則;')
return {
    name = 'Computing',
    description = [[计算机]],
    content = {
        { type = 'text', text = [==[ 说明 zh-cn:不是 ]==] },
        Item('software', 'zh-cn:软件; zh-tw:軟體;'),
        Item(nil, "zh-cn:程序; zh-tw:程式;"),
        { type = 'item', original = 'memory', rule = 'zh-cn:内存; zh-tw:記憶體; zh-hk:記憶體;' },
    },
}
"#;
        assert!(groups.add_page("Module:CGroup/Computing", module));
        assert!(groups.add_page(
            "模块:CGroup/IT",
            "return require('Module:CGroup/Computing')\n"
        ));
        assert!(groups.add_page(
            "Template:CGroup/Places",
            "{{CGroup/Item|悉尼|zh-cn:悉尼;zh-tw:雪梨;}}\n{{CItem|rule=zh-cn:新西兰;zh-tw:紐西蘭;}}"
        ));
        assert!(!groups.add_page("Module:CGroup/core", "return {}"));
        assert!(!groups.add_page("Module:CGroup/Computing/doc", "文档"));
        assert!(!groups.add_page("Module:Other", "return {}"));
        assert!(ConversionGroups::is_group_page("模块:CGroup/IT"));
        assert!(!ConversionGroups::is_group_page("Module:CGroup/doc"));
        assert_eq!(
            texts(groups.rules("Computing").unwrap()),
            [
                "-{H|zh-cn:软件;zh-tw:軟體}-",
                "-{H|zh-cn:程序;zh-tw:程式}-",
                "-{H|zh-cn:内存;zh-tw:記憶體;zh-hk:記憶體}-"
            ]
        );
        assert_eq!(groups.rules("IT"), groups.rules("Computing"));
        // Titles compare with their first letter upper-cased, and only that one.
        assert_eq!(groups.rules("iT"), groups.rules("IT"));
        assert_eq!(groups.rules("it"), None);
        assert_eq!(
            texts(groups.rules("Places").unwrap()),
            [
                "-{H|zh-cn:悉尼;zh-tw:雪梨}-",
                "-{H|zh-cn:新西兰;zh-tw:紐西蘭}-"
            ]
        );
        assert_eq!(groups.rules("Missing"), None);
        assert_eq!(groups.len(), 3);
    }
}
