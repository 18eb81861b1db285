//! Parser functions whose value follows from the page and their literal arguments: `#if`,
//! `#ifeq`, `#switch`, `#expr`, `#ifexpr`, `lc`, `uc`, `lcfirst`, `ucfirst`, `formatnum`,
//! `padleft`, `padright`, `#tag`, and the magic words of [`super::magic_words`].
//!
//! Invariants: a branch function shows the chosen argument's own source range, read as any other
//! wikitext (so its links, references and nested calls are read in place); conditions and
//! values are expanded to strings first ([`Reader::expand`]), nested functions and magic words
//! included; a call whose value needs a template (or a function zhnorm does not evaluate) gets
//! one `UNEVALUATED_PARSER_FUNCTION` diagnostic, and keeps its argument's text only where
//! MediaWiki surely shows it (docs/parser-functions.md has the list).

use super::super::blocks::BlockSink;
use super::super::entities::decode_entities;
use super::super::inline::Inl;
use super::super::tags::attr;
use super::super::{Ctx, Reader};
use super::{expr, magic_words};
use zhnorm_doc::{Block, Inline, codes};

/// How deep calls may nest inside conditions before evaluation gives up.
const MAX_EXPANSION_DEPTH: u32 = 40;

/// Widest `padleft`/`padright` result, as MediaWiki caps it.
const MAX_PAD: usize = 500;

/// What a call shows: a range of the source (a chosen branch), or computed text.
enum Value {
    Range(usize, usize),
    Text(String),
}

/// The call needs what the page does not give (a template, an unknown function).
struct Unevaluated;

/// Magic words of MediaWiki whose value is about the wiki, not the page: they get a diagnostic.
const WIKI_WORDS: &[&str] = &[
    "SITENAME",
    "SERVER",
    "SERVERNAME",
    "SCRIPTPATH",
    "STYLEPATH",
    "CURRENTVERSION",
    "CONTENTLANGUAGE",
    "CONTENTLANG",
    "PAGELANGUAGE",
    "NUMBEROFARTICLES",
    "NUMBEROFPAGES",
    "NUMBEROFFILES",
    "NUMBEROFUSERS",
    "NUMBEROFEDITS",
    "NUMBEROFADMINS",
    "NUMBEROFACTIVEUSERS",
    "PAGEID",
    "PAGESIZE",
    "REVISIONID",
    "REVISIONDAY",
    "REVISIONDAY2",
    "REVISIONMONTH",
    "REVISIONMONTH1",
    "REVISIONYEAR",
    "REVISIONTIMESTAMP",
    "REVISIONUSER",
    "REVISIONSIZE",
    "DIRECTIONMARK",
    "DIRMARK",
];

/// Core parser functions without `#` that zhnorm does not evaluate.
const UNEVALUATED_CORE: &[&str] = &[
    "ns",
    "nse",
    "urlencode",
    "anchorencode",
    "localurl",
    "localurle",
    "fullurl",
    "fullurle",
    "canonicalurl",
    "canonicalurle",
    "filepath",
    "plural",
    "grammar",
    "gender",
    "bidi",
    "pagesincategory",
    "pagesize",
    "protectionlevel",
    "protectionexpiry",
    "numberingroup",
    "formatdate",
    "pageid",
    "revisionid",
    "revisionday",
    "revisionday2",
    "revisionmonth",
    "revisionmonth1",
    "revisionyear",
    "revisiontimestamp",
    "revisionuser",
    "cascadingsources",
];

fn is_evaluated(function: &str) -> bool {
    matches!(
        function,
        "#if"
            | "#ifeq"
            | "#switch"
            | "#expr"
            | "#ifexpr"
            | "lc"
            | "uc"
            | "lcfirst"
            | "ucfirst"
            | "formatnum"
            | "padleft"
            | "padright"
            | "#language"
    ) || magic_words::is_page_word(&function.to_uppercase())
        && function.chars().all(|c| c.is_ascii_uppercase())
}

impl<'a> Reader<'a> {
    /// Reads `{{…}}` at `open..close + 2` when it is a parser function or a magic word this
    /// module knows; false leaves it to the template registry.
    pub(super) fn parser_function(
        &mut self,
        open: usize,
        close: usize,
        raw_name: &str,
        ctx: Ctx,
        out: &mut Inl,
        sink: &mut Option<&mut BlockSink>,
    ) -> bool {
        let Some((function, _)) = raw_name.split_once(':') else {
            // Magic words are upper case: a template name seldom is, and costs one look.
            if !raw_name
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            {
                return false;
            }
            if magic_words::is_page_word(raw_name) {
                self.page_named |= names_page(raw_name);
                match self.page.value(raw_name) {
                    Some(value) => out.push_str(&value),
                    None => self.unevaluated(raw_name, open),
                }
                return true;
            }
            if WIKI_WORDS.contains(&raw_name) {
                self.unevaluated(raw_name, open);
                return true;
            }
            return false;
        };
        let function = function.trim().to_lowercase();
        if function == "#tag" {
            self.tag_function(open, close, ctx, out, sink);
            return true;
        }
        if !is_evaluated(&function) {
            if function.starts_with('#') || UNEVALUATED_CORE.contains(&function.as_str()) {
                self.unevaluated(&function, open);
                self.refs_inside(open, close + 2, ctx);
                return true;
            }
            return false;
        }
        match self.call(open, close, 0) {
            Ok(Value::Range(s, e)) => self.sub_inlines_into(s, e, ctx, out),
            Ok(Value::Text(text)) => out.push_str(&text),
            Err(Unevaluated) => {
                self.unevaluated(&function, open);
                let args = self.function_args(open, close);
                // The argument's text is shown by these whatever its case or padding.
                let shown = matches!(
                    function.as_str(),
                    "lc" | "uc" | "lcfirst" | "ucfirst" | "formatnum" | "padleft" | "padright"
                );
                match args.first() {
                    Some(&(s, e)) if shown => self.sub_inlines_into(s, e, ctx, out),
                    _ => self.refs_inside(open, close + 2, ctx),
                }
            }
        }
        true
    }

    fn unevaluated(&mut self, name: &str, at: usize) {
        self.diagnose(
            &codes::UNEVALUATED_PARSER_FUNCTION,
            format!("`{name}` was not evaluated: its value does not follow from the page"),
            at,
        );
    }

    /// The argument ranges of `{{name:arg0|arg1|…}}` (not trimmed; `=` not split).
    fn function_args(&self, open: usize, close: usize) -> Vec<(usize, usize)> {
        let name_end = self.first_top_level(open + 2, close, b'|').unwrap_or(close);
        let Some(colon) = self.src[open + 2..name_end].find(':') else {
            return Vec::new();
        };
        let mut start = open + 2 + colon + 1;
        let mut args = Vec::new();
        for bar in self.top_level(start, close, b"|") {
            args.push((start, bar));
            start = bar + 1;
        }
        args.push((start, close));
        args
    }

    /// The value of the call at `open..close + 2`.
    fn call(&mut self, open: usize, close: usize, depth: u32) -> Result<Value, Unevaluated> {
        if depth > MAX_EXPANSION_DEPTH {
            return Err(Unevaluated);
        }
        let name_end = self.first_top_level(open + 2, close, b'|').unwrap_or(close);
        let raw_name = self.src[open + 2..name_end].trim();
        let Some((function, _)) = raw_name.split_once(':') else {
            self.page_named |= names_page(raw_name);
            return self
                .page
                .value(raw_name)
                .map(Value::Text)
                .ok_or(Unevaluated);
        };
        let function = function.trim().to_lowercase();
        let args = self.function_args(open, close);
        let arg = |k: usize| args.get(k).copied();
        let text = |reader: &mut Self, k: usize| -> Result<String, Unevaluated> {
            match arg(k) {
                Some((s, e)) => Ok(reader.expand(s, e, depth + 1)?.trim().to_owned()),
                None => Ok(String::new()),
            }
        };
        let branch =
            |k: usize| Ok(arg(k).map_or(Value::Text(String::new()), |(s, e)| Value::Range(s, e)));
        match function.as_str() {
            "#if" => {
                let test = text(self, 0)?;
                branch(if test.is_empty() { 2 } else { 1 })
            }
            "#ifeq" => {
                let (left, right) = (text(self, 0)?, text(self, 1)?);
                branch(if same_value(&left, &right) { 2 } else { 3 })
            }
            "#switch" => self.switch(&args, depth),
            "#expr" => Ok(Value::Text(match expr::evaluate(&text(self, 0)?) {
                Ok(value) | Err(value) => value,
            })),
            "#ifexpr" => match expr::value(&text(self, 0)?) {
                Ok(Some(x)) if x != 0.0 => branch(1),
                Ok(_) => branch(2),
                Err(message) => Ok(Value::Text(message)),
            },
            "lc" => Ok(Value::Text(text(self, 0)?.to_lowercase())),
            "uc" => Ok(Value::Text(text(self, 0)?.to_uppercase())),
            "lcfirst" | "ucfirst" => {
                let value = text(self, 0)?;
                let mut chars = value.chars();
                Ok(Value::Text(match chars.next() {
                    Some(first) if function == "lcfirst" => {
                        first.to_lowercase().chain(chars).collect()
                    }
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => value,
                }))
            }
            "formatnum" => {
                let (number, flags) = (text(self, 0)?, text(self, 1)?);
                Ok(Value::Text(format_number(&number, &flags)))
            }
            "padleft" | "padright" => {
                let value = text(self, 0)?;
                let length = text(self, 1)?;
                let pad = match arg(2) {
                    Some((s, e)) => self.expand(s, e, depth + 1)?,
                    None => "0".to_owned(),
                };
                Ok(Value::Text(padded(
                    &value,
                    &length,
                    &pad,
                    function == "padleft",
                )))
            }
            "#language" => {
                let (code, to) = (text(self, 0)?, text(self, 1)?);
                Ok(Value::Text(super::languages::name(&code, &to)))
            }
            _ => Err(Unevaluated),
        }
    }

    fn switch(&mut self, args: &[(usize, usize)], depth: u32) -> Result<Value, Unevaluated> {
        let Some(&(s, e)) = args.first() else {
            return Ok(Value::Text(String::new()));
        };
        let value = self.expand(s, e, depth + 1)?.trim().to_owned();
        let mut found = false;
        let mut default = None;
        let last = args.len() - 1;
        for (k, &(s, e)) in args.iter().enumerate().skip(1) {
            match self.first_top_level(s, e, b'=') {
                Some(eq) => {
                    if found {
                        return Ok(Value::Range(eq + 1, e));
                    }
                    let case = self.expand(s, eq, depth + 1)?.trim().to_owned();
                    if same_value(&case, &value) {
                        return Ok(Value::Range(eq + 1, e));
                    }
                    if case == "#default" {
                        default = Some((eq + 1, e));
                    }
                }
                None => {
                    if k == last {
                        // The last value without `=` is the default.
                        return Ok(Value::Range(s, e));
                    }
                    let case = self.expand(s, e, depth + 1)?.trim().to_owned();
                    if same_value(&case, &value) {
                        found = true;
                    }
                }
            }
        }
        Ok(default.map_or(Value::Text(String::new()), |(s, e)| Value::Range(s, e)))
    }

    /// The wikitext `start..end` expands to: calls and magic words replaced by their values,
    /// everything else as written. A template (or a function not evaluated) makes it
    /// unevaluated.
    fn expand(&mut self, start: usize, end: usize, depth: u32) -> Result<String, Unevaluated> {
        let mut out = String::new();
        let mut i = start;
        while i < end {
            let Some(at) = memchr::memchr2(b'{', b'<', &self.bytes[i..end]).map(|p| i + p) else {
                out.push_str(&self.src[i..end]);
                break;
            };
            out.push_str(&self.src[i..at]);
            if self.bytes[at] == b'<' {
                // `<nowiki>` is MediaWiki's strip marker: its text, literally.
                match self.st.tags.get(&at).filter(|t| t.end <= end) {
                    Some(tag) if tag.name == "nowiki" => {
                        let (cs, ce) = tag.content;
                        out.push_str(&decode_entities(&self.src[cs..ce]));
                        i = tag.end;
                    }
                    _ => {
                        out.push('<');
                        i = at + 1;
                    }
                }
                continue;
            }
            if self.bytes.get(at + 1) != Some(&b'{') {
                out.push('{');
                i = at + 1;
                continue;
            }
            match self.st.pairs.get(&at).copied() {
                Some(close) if close + 2 <= end => {
                    let value = match self.call(at, close, depth + 1)? {
                        Value::Text(text) => text,
                        Value::Range(s, e) => self.expand(s, e, depth + 1)?.trim().to_owned(),
                    };
                    out.push_str(&value);
                    i = close + 2;
                }
                _ => {
                    out.push_str("{{");
                    i = at + 2;
                }
            }
        }
        Ok(out)
    }

    /// `{{#tag:name|content|attribute=value…}}`: read as if the tag were written.
    fn tag_function(
        &mut self,
        open: usize,
        close: usize,
        ctx: Ctx,
        out: &mut Inl,
        sink: &mut Option<&mut BlockSink>,
    ) {
        let args = self.function_args(open, close);
        let Some(&(ns, ne)) = args.first() else {
            return;
        };
        let Ok(name) = self.expand(ns, ne, 1) else {
            self.unevaluated("#tag", open);
            self.refs_inside(open, close + 2, ctx);
            return;
        };
        let name = name.trim().to_lowercase();
        let content = args.get(1).copied();
        let mut attributes = String::new();
        for &(s, e) in args.iter().skip(2) {
            if let Some(eq) = self.first_top_level(s, e, b'=') {
                let key = self.src[s..eq].trim();
                let value = self.src[eq + 1..e].trim().trim_matches(['"', '\'']);
                attributes.push_str(&format!(" {key}=\"{value}\""));
            }
        }
        // An empty content with `contents=…` is how some tags take theirs.
        let content = match content {
            Some((s, e)) if self.src[s..e].trim().is_empty() => args
                .iter()
                .skip(2)
                .find(|&&(s, e)| {
                    self.first_top_level(s, e, b'=')
                        .is_some_and(|eq| self.src[s..eq].trim() == "contents")
                })
                .map(|&(s, e)| (self.first_top_level(s, e, b'=').map_or(s, |eq| eq + 1), e))
                .or(content),
            other => other,
        };
        let (cs, ce) = content.unwrap_or((close, close));
        match name.as_str() {
            "ref" => {
                let key = self.define_ref(
                    attr(&attributes, "name"),
                    attr(&attributes, "group"),
                    content,
                    open,
                    ctx,
                );
                if let Some(key) = key {
                    out.push(Inline::Cite { reference: key });
                }
            }
            "references" => {
                self.list_defined_refs(cs, ce, attr(&attributes, "group"), ctx);
            }
            "nowiki" => out.push_str(&decode_entities(&self.src[cs..ce])),
            "pre" | "syntaxhighlight" | "source" => {
                // The content was expanded before the tag saw it: a `<nowiki>` in it is gone.
                let text = match self.expand(cs, ce, 1) {
                    Ok(text) => decode_entities(&text),
                    Err(Unevaluated) => decode_entities(&self.src[cs..ce]),
                };
                let text = text.trim_matches('\n').to_owned();
                match sink.as_deref_mut() {
                    Some(sink) if !attributes.contains("inline") => {
                        Self::hand_over(out, sink);
                        sink.block(Block::Code {
                            language: attr(&attributes, "lang"),
                            text,
                        });
                    }
                    _ => out.push(Inline::Code { text }),
                }
            }
            "math" | "chem" | "ce" => out.push(Inline::Math {
                tex: self.src[cs..ce].trim().to_owned(),
            }),
            // The attributes of `#tag` are not in the source, so a `caption=` given there is
            // not read: the gallery gets an empty attribute range.
            "gallery" => self.gallery((cs, cs), cs, ce, ctx, out, sink),
            // Page chrome or not text, as the tags themselves.
            "indicator" | "templatestyles" | "section" | "categorytree" | "timeline" | "graph"
            | "mapframe" | "maplink" | "score" => self.refs_inside(cs, ce, ctx),
            // `poem`, HTML tags and the rest: their content as text.
            _ => self.sub_inlines_into(cs, ce, ctx, out),
        }
    }
}

/// True for the words whose value is the page's title (not its time).
fn names_page(word: &str) -> bool {
    !word.starts_with("CURRENT") && !word.starts_with("LOCAL")
}

/// MediaWiki's comparison of `#ifeq` and `#switch`: as numbers when both are numbers, else as
/// strings.
fn same_value(left: &str, right: &str) -> bool {
    match (php_numeric(left), php_numeric(right)) {
        (Some(a), Some(b)) => a == b,
        _ => left == right,
    }
}

/// PHP's `is_numeric`: an optionally signed decimal or exponent number, leading white space
/// allowed.
fn php_numeric(text: &str) -> Option<f64> {
    let t = text.trim_start();
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let valid = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && body
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.');
    if !valid {
        return None;
    }
    t.parse::<f64>().ok()
}

/// `formatnum`: digits grouped by three with `,` (zh.wikipedia's and English's separators);
/// `R` reads a formatted number back, `NOSEP` leaves the digits ungrouped, `LOSSLESS` keeps a
/// number that would lose digits.
fn format_number(number: &str, flags: &str) -> String {
    let flags = flags.trim();
    if flags == "R" {
        return number.replace(',', "");
    }
    let nosep = flags == "NOSEP";
    let (sign, digits) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return number.to_owned();
    }
    // Past 15 digits PHP's doubles round: MediaWiki shows the rounded number unless LOSSLESS.
    let whole = if whole.len() > 15 && flags != "LOSSLESS" && fraction.is_empty() {
        match whole.parse::<f64>() {
            Ok(x) => format!("{x:.0}"),
            Err(_) => whole.to_owned(),
        }
    } else {
        whole.to_owned()
    };
    if nosep || (flags == "LOSSLESS" && whole.len() > 15) {
        return number.to_owned();
    }
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (k, c) in whole.chars().enumerate() {
        if k > 0 && (whole.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

/// `padleft`/`padright`: `value` padded to `length` characters with `pad` repeated (cut to fit);
/// a length that is not a number leaves the value as it is.
fn padded(value: &str, length: &str, pad: &str, left: bool) -> String {
    let Ok(length) = length.trim().parse::<usize>() else {
        return value.to_owned();
    };
    let length = length.min(MAX_PAD);
    let have = value.chars().count();
    if pad.is_empty() || have >= length {
        return value.to_owned();
    }
    let filler: String = pad.chars().cycle().take(length - have).collect();
    if left {
        filler + value
    } else {
        format!("{value}{filler}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_padding() {
        assert_eq!(format_number("1234567.891", ""), "1,234,567.891");
        assert_eq!(format_number("-1234", ""), "-1,234");
        assert_eq!(format_number("1,234.5", "R"), "1234.5");
        assert_eq!(format_number("1234", "NOSEP"), "1234");
        assert_eq!(format_number("abc", ""), "abc");
        assert_eq!(padded("xyz", "6", "ab", true), "abaxyz");
        assert_eq!(padded("", "3", "abcde", false), "abc");
        assert_eq!(padded("abcdef", "junk", "0", true), "abcdef");
        assert!(same_value("1", "01.0"));
        assert!(!same_value("a", "A"));
    }
}
