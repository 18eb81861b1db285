//! Templates: `{{…}}` calls, split into a name and arguments and then shown, collected or dropped
//! as the registry ([`registry`]) says; `{{noteTA}}` rules go to the document's conversion rules.
//!
//! Invariants: arguments are split at top-level `|` and the first top-level `=` only (nested
//! constructs are jumped over); names are normalized once before lookup; a template the registry
//! does not know leaves nothing and gets an `UNKNOWN_TEMPLATE` diagnostic; citation templates
//! inside a reference are kept as reference material and shown as a plain citation.
//!
//! Parser functions and magic words go first to `functions` (what is evaluated, from what:
//! docs/parser-functions.md), which evaluates `#if`, `#switch`, `#expr`, `#tag` and the others
//! whose value follows from the page; `magic_words` gives `{{PAGENAME}}` and the date words;
//! `expr` is MediaWiki's expression language; `languages` the names of `#language`.

use super::blocks::BlockSink;
use super::conversion::RawRule;
use super::inline::{Inl, merge_text};
use super::scan::ByteSet;
use super::{Ctx, OPENERS, Reader, conversion, scan};
use registry::Action;
use zhnorm_doc::{Infobox, Inline, LinkKind, Template, codes};

mod expr;
mod functions;
mod languages;
pub(super) mod magic_words;
mod registry;

/// Bytes the splitting of template arguments stops at: separators and [`OPENERS`].
const ARG_SPECIAL: ByteSet<6> = ByteSet::new(*b"|=[{-<");

/// A template argument: its name (`1`, `2`, … for positional ones) and its value's range.
/// Names are borrowed from the source (or static for the first positions), so that reading a
/// template allocates no key.
type Arg<'s> = (std::borrow::Cow<'s, str>, (usize, usize));

/// Names of the first positional parameters.
const POSITIONS: [&str; 20] = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17",
    "18", "19", "20",
];

impl<'a> Reader<'a> {
    /// Splits a template's inside into its name range and its arguments (name, value range).
    fn template_args(&self, start: usize, end: usize) -> ((usize, usize), Vec<Arg<'a>>) {
        let src: &'a str = self.src;
        // One pass finds the bars and the first top-level `=` after each.
        let mut bars: Vec<(usize, Option<usize>)> = Vec::new();
        let mut i = start;
        while i < end {
            i = scan::next_marked(self.bytes, i, end, &ARG_SPECIAL);
            if i >= end {
                break;
            }
            let b = self.bytes[i];
            if b == b'|' {
                bars.push((i, None));
            } else if b == b'=' {
                if let Some(last) = bars.last_mut()
                    && last.1.is_none()
                {
                    last.1 = Some(i);
                }
            } else if OPENERS[b as usize]
                && let Some(e) = self.construct_end(i, end)
            {
                i = e;
                continue;
            }
            i += 1;
        }
        let name = (start, bars.first().map_or(end, |b| b.0));
        let mut args = Vec::with_capacity(bars.len());
        let mut position = 0;
        for (k, &(bar, eq)) in bars.iter().enumerate() {
            let arg_end = bars.get(k + 1).map_or(end, |b| b.0);
            match eq {
                Some(eq) if !self.src[bar + 1..eq].trim().is_empty() => {
                    let key = src[bar + 1..eq].trim();
                    args.push((key.into(), self.trim(eq + 1, arg_end)));
                }
                _ => {
                    position += 1;
                    let key = match POSITIONS.get(position - 1) {
                        Some(name) => std::borrow::Cow::Borrowed(*name),
                        None => std::borrow::Cow::Owned(position.to_string()),
                    };
                    args.push((key, (bar + 1, arg_end)));
                }
            }
        }
        (name, args)
    }

    pub(super) fn template(
        &mut self,
        open: usize,
        close: usize,
        ctx: Ctx,
        out: &mut Inl,
        sink: &mut Option<&mut BlockSink>,
    ) {
        // The name decides what to do; the arguments are split only when they are needed.
        let name_range = (
            open + 2,
            self.first_top_level(open + 2, close, b'|').unwrap_or(close),
        );
        let src: &'a str = self.src;
        let raw_name = src[name_range.0..name_range.1].trim();
        if self.parser_function(open, close, raw_name, ctx, out, sink) {
            return;
        }
        // Parser functions and magic words: `{{#if:…}}`, `{{DEFAULTSORT:…}}`, `{{PAGENAME}}`.
        if let Some((function, value)) = raw_name.split_once(':') {
            let function = function.trim().to_lowercase();
            if matches!(
                function.as_str(),
                "formatnum" | "lc" | "uc" | "ucfirst" | "lcfirst"
            ) {
                let value_start = name_range.0 + raw_name.len() - value.len()
                    + (self.src[name_range.0..].len()
                        - self.src[name_range.0..].trim_start().len());
                self.sub_inlines_into(value_start, name_range.1, ctx, out);
            } else if !function.starts_with('#')
                && !matches!(
                    function.as_str(),
                    "defaultsort" | "displaytitle" | "subst" | "safesubst" | "int" | "msg" | "raw"
                )
                && !function.starts_with("template")
                && !function.starts_with("模板")
            {
                self.unknown_template(raw_name, open);
            }
            if !function.starts_with("template") && !function.starts_with("模板") {
                self.refs_inside(open, close + 2, ctx);
                return;
            }
        }
        if raw_name.starts_with('#')
            || raw_name.chars().all(|c| c.is_ascii_uppercase()) && raw_name.len() > 3
        {
            // `{{PAGENAME}}`-like magic words show page data zhnorm does not have.
            self.refs_inside(open, close + 2, ctx);
            return;
        }
        let name = registry::normalize_name(raw_name);
        let Some(action) = registry::lookup(&name) else {
            self.unknown_template(&name, open);
            self.refs_inside(open, close + 2, ctx);
            return;
        };
        if matches!(action, Action::Nothing | Action::Literal(_)) {
            if let Action::Literal(text) = action {
                out.push_str(text);
            }
            self.refs_inside(open, close + 2, ctx);
            return;
        }
        let (_, args) = self.template_args(open + 2, close);
        let arg = |key: &str| args.iter().find(|(k, _)| k == key).map(|(_, r)| *r);
        match action {
            Action::Show(order) => {
                let chosen = order.iter().find_map(|n| {
                    arg(&n.to_string()).filter(|&(s, e)| !self.src[s..e].trim().is_empty())
                });
                if let Some((s, e)) = chosen {
                    self.sub_inlines_into(s, e, ctx, out);
                }
            }
            Action::ShowLast => {
                let last = args
                    .iter()
                    .rev()
                    .find(|(k, _)| k.parse::<usize>().is_ok())
                    .map(|(_, r)| *r);
                if let Some((s, e)) = last {
                    self.sub_inlines_into(s, e, ctx, out);
                }
            }
            Action::Literal(text) => out.push_str(text),
            Action::Date => {
                let part = |k: &str| {
                    arg(k)
                        .map(|(s, e)| self.src[s..e].trim().to_owned())
                        .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
                };
                if let Some(year) = part("1") {
                    let mut text = format!("{year}年");
                    if let Some(month) = part("2") {
                        text += &format!("{}月", month.trim_start_matches('0'));
                        if let Some(day) = part("3") {
                            text += &format!("{}日", day.trim_start_matches('0'));
                        }
                    }
                    out.push_str(&text);
                }
            }
            Action::Convert => {
                let value = arg("1").map(|(s, e)| self.plain_text(s, e, ctx));
                let unit = arg("2").map(|(s, e)| self.plain_text(s, e, ctx));
                if let Some(value) = value {
                    out.push_str(&value);
                    if let Some(unit) = unit.filter(|u| !u.is_empty()) {
                        out.push_str(" ");
                        out.push_str(&unit);
                    }
                }
            }
            Action::Url => {
                if let Some((s, e)) = arg("1") {
                    let url = self.src[s..e].trim().to_owned();
                    let shown = match arg("2") {
                        Some((s2, e2)) if !self.src[s2..e2].trim().is_empty() => {
                            self.plain_text(s2, e2, ctx)
                        }
                        _ => url
                            .split_once("://")
                            .map_or(url.as_str(), |(_, rest)| rest)
                            .trim_end_matches('/')
                            .to_owned(),
                    };
                    let target = if url.contains("://") {
                        url
                    } else {
                        format!("http://{url}")
                    };
                    if ctx.in_link {
                        out.push_str(&shown);
                    } else {
                        out.push(Inline::Link {
                            kind: LinkKind::External,
                            target,
                            inlines: vec![Inline::text(shown)],
                        });
                    }
                }
            }
            Action::Cite => {
                let template = self.collect_template(&name, &args, ctx);
                let (before, title, after) = citation_parts(&template);
                out.push_str(&before);
                let url = template
                    .param(&["url", "URL"])
                    .filter(|u| u.contains("://"));
                match (url, title) {
                    (Some(url), title) if !ctx.in_link => out.push(Inline::Link {
                        kind: LinkKind::External,
                        target: url.to_owned(),
                        inlines: vec![Inline::text(title.unwrap_or_else(|| url.to_owned()))],
                    }),
                    (_, Some(title)) => out.push_str(&title),
                    (_, None) => {}
                }
                out.push_str(&after);
                if !ctx.in_ref {
                    // A bibliography entry: a source of the article, cited or not.
                    self.listed_reference(open, close + 2, template.clone());
                }
                self.keep_template(template, ctx);
            }
            Action::ShortCite => {
                if ctx.in_ref {
                    let template = self.collect_template(&name, &args, ctx);
                    self.keep_template(template, ctx);
                } else if let Some(key) =
                    self.define_ref(None, None, Some((open, close + 2)), open, ctx)
                {
                    out.push(Inline::Cite { reference: key });
                }
            }
            Action::Anchor => {
                let joined: Vec<String> = args
                    .iter()
                    .filter(|(k, _)| k.parse::<usize>().is_ok())
                    .map(|(_, (s, e))| self.src[*s..*e].trim().to_owned())
                    .filter(|v| !v.is_empty())
                    .collect();
                out.push_str(&joined.join(" "));
            }
            Action::ReferenceNote => {
                if ctx.in_ref {
                    let template = self.collect_template(&name, &args, ctx);
                    self.keep_template(template, ctx);
                }
            }
            Action::Reflist => {
                if let Some((s, e)) = arg("refs") {
                    let group = arg("group")
                        .map(|(s, e)| self.src[s..e].trim().to_owned())
                        .filter(|g| !g.is_empty());
                    self.list_defined_refs(s, e, group, ctx);
                }
                self.refs_inside(open, close + 2, ctx);
            }
            Action::Footnote => {
                let content = arg("1");
                let name_attr = arg("name").map(|(s, e)| self.src[s..e].trim().to_owned());
                let group = arg("group")
                    .map(|(s, e)| self.src[s..e].trim().to_owned())
                    .unwrap_or_else(|| "lower-alpha".to_owned());
                let key = self.define_ref(name_attr, Some(group), content, open, ctx);
                if let Some(key) = key {
                    out.push(Inline::Cite { reference: key });
                }
            }
            Action::Infobox => {
                if self.infobox.is_none() {
                    let kind = name
                        .strip_prefix("Infobox")
                        .or_else(|| name.strip_prefix("infobox"))
                        .unwrap_or(&name)
                        .trim()
                        .to_owned();
                    let mut fields = std::collections::BTreeMap::new();
                    for (key, (s, e)) in &args {
                        let value = self.plain_text(*s, *e, ctx);
                        fields.insert(key.to_string(), value);
                    }
                    self.infobox = Some(Infobox { kind, fields });
                } else {
                    self.refs_inside(open, close + 2, ctx);
                }
            }
            Action::NoteTa => self.note_ta(&args, ctx),
            Action::Hatnote(label) => {
                let mut note = Inl::new();
                note.push_str(label);
                let mut first = true;
                for (key, (s, e)) in &args {
                    if key.parse::<usize>().is_err() || self.src[*s..*e].trim().is_empty() {
                        continue;
                    }
                    if !first {
                        note.push_str("、");
                    }
                    first = false;
                    let (s, e) = self.trim(*s, *e);
                    if self.is_plain(s, e) && !ctx.in_link {
                        let title = self.src[s..e].to_owned();
                        note.push(Inline::Link {
                            kind: LinkKind::Wiki,
                            target: title.replace('_', " "),
                            inlines: vec![Inline::text(title)],
                        });
                    } else {
                        self.sub_inlines_into(s, e, ctx, &mut note);
                    }
                }
                let (mut inlines, _) = note.take();
                merge_text(&mut inlines);
                match sink.as_deref_mut() {
                    Some(sink) => {
                        Self::hand_over(out, sink);
                        sink.flush();
                        sink.add_line(inlines);
                        sink.flush();
                    }
                    None => out.extend(inlines),
                }
            }
            Action::Nothing => self.refs_inside(open, close + 2, ctx),
        }
    }

    fn unknown_template(&mut self, name: &str, at: usize) {
        self.diagnose(
            &codes::UNKNOWN_TEMPLATE,
            format!("template `{name}` is not known; it left no text"),
            at,
        );
    }

    /// A template with its parameters as plain visible text, for reference material.
    fn collect_template(&mut self, name: &str, args: &[Arg<'_>], ctx: Ctx) -> Template {
        let mut params = Vec::with_capacity(args.len());
        for (key, (s, e)) in args {
            let value = self.plain_text(
                *s,
                *e,
                Ctx {
                    in_link: false,
                    ..ctx
                },
            );
            params.push((key.to_string(), value));
        }
        Template {
            name: name.to_owned(),
            params,
        }
    }

    fn keep_template(&mut self, template: Template, ctx: Ctx) {
        if ctx.in_ref
            && let Some(list) = self.ref_templates.last_mut()
        {
            list.push(template);
        }
    }

    fn note_ta(&mut self, args: &[Arg<'_>], ctx: Ctx) {
        for (key, (s, e)) in args {
            let upper = key.to_ascii_uppercase();
            if let Some(number) = upper.strip_prefix('G')
                && number.chars().all(|c| c.is_ascii_digit())
            {
                let group = self.src[*s..*e].trim().to_owned();
                if !group.is_empty() {
                    self.conversion.groups.push(group);
                }
                continue;
            }
            let flags = if upper == "T" {
                "T"
            } else if key.chars().all(|c| c.is_ascii_digit()) {
                "H"
            } else {
                continue;
            };
            let mut raw = RawRule {
                flags: flags.to_owned(),
                ..Default::default()
            };
            let (s, e) = self.trim(*s, *e);
            conversion::parse_variants(
                self.bytes,
                s,
                e,
                &|a, b, sep| self.top_level(a, b, &[sep]),
                &mut raw,
            );
            if raw.variants.is_empty() && raw.text.is_none() {
                continue;
            }
            let rule = self.rule(raw, ctx);
            self.conversion.rules.push(rule);
        }
    }
}

/// A plain rendering of a citation template, around its title:
/// `authors. ` + title + `. container. publisher. date.`
fn citation_parts(template: &Template) -> (String, Option<String>, String) {
    let mut before = String::new();
    if let Some(author) = template.param(&["author", "author1", "作者"]) {
        before.push_str(author);
    } else if let Some(last) = template.param(&["last", "last1", "surname"]) {
        before.push_str(last);
        if let Some(first) = template.param(&["first", "first1", "given"]) {
            before.push_str(", ");
            before.push_str(first);
        }
    }
    let title = template
        .param(&["title", "標題", "标题"])
        .map(str::to_owned);
    // Nearly every citation has a work, publisher or date: room for them at once.
    let mut after = String::with_capacity(96);
    for keys in [
        &[
            "work",
            "website",
            "newspaper",
            "journal",
            "magazine",
            "periodical",
        ][..],
        &["publisher", "出版者", "出版社"],
        &["date", "year", "日期"],
    ] {
        if let Some(value) = template.param(keys) {
            if !after.is_empty() || title.is_some() || !before.is_empty() {
                after.push_str(". ");
            }
            after.push_str(value);
        }
    }
    if !before.is_empty() && title.is_some() {
        before.push_str(". ");
    }
    if !after.is_empty() || title.is_some() {
        after.push('.');
    }
    (before, title, after)
}
