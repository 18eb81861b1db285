//! References: `<ref>` tags (named, grouped, reused, list-defined in `<references>` or a
//! reflist's `refs=`) become [`zhnorm_doc::RawReference`]s and `Inline::Cite` nodes.
//!
//! Invariants: each `<ref` tag is read once (`refs_read`); there is one reference per name and
//! group, every use points at it, and a later use with content fills a definition left empty;
//! citation templates met inside a reference are collected for the references stage
//! (`ref_templates`); reference text stays raw.

use super::inline::{Inl, trim_inlines};
use super::scan::TagSpan;
use super::tags::attr;
use super::{Ctx, MAX_DEPTH, Reader};
use zhnorm_doc::{Format, Inline, RawReference, Template};

impl<'a> Reader<'a> {
    fn ref_attrs(&self, span: &TagSpan) -> (Option<String>, Option<String>) {
        let attrs = &self.src[span.attrs.0..span.attrs.1];
        (attr(attrs, "name"), attr(attrs, "group"))
    }

    /// Reads `<ref>` at `at`; pushes its citation.
    pub(super) fn reference(&mut self, at: usize, span: &TagSpan, ctx: Ctx, out: &mut Inl) {
        let (name, group) = self.ref_attrs(span);
        let content = (!span.self_closing).then_some(span.content);
        if let Some(key) = self.define_ref(name, group, content, at, ctx) {
            out.push(Inline::Cite { reference: key });
        }
    }

    /// Registers a reference (or a reuse of one) and returns its key.
    pub(super) fn define_ref(
        &mut self,
        name: Option<String>,
        group: Option<String>,
        content: Option<(usize, usize)>,
        at: usize,
        ctx: Ctx,
    ) -> Option<String> {
        self.refs_read.insert(at);
        let content = content.filter(|&(s, e)| !self.src[s..e].trim().is_empty());
        let existing = name
            .as_ref()
            .and_then(|n| self.ref_by_name.get(n.as_str()))
            .and_then(|same_name| same_name.iter().find(|(g, _)| *g == group))
            .map(|&(_, index)| index);
        if content.is_none() && name.is_none() {
            return None;
        }
        let index = match existing {
            Some(index) => {
                if !self.references[index].raw.is_empty() || content.is_none() {
                    return Some(self.references[index].key.clone());
                }
                index
            }
            None => {
                let key = format!("r{}", self.references.len() + 1);
                let location = self.location(at);
                self.references.push(RawReference {
                    key,
                    format: Some(Format::Wikitext),
                    name: name.clone(),
                    group: group.clone(),
                    location: Some(location),
                    ..Default::default()
                });
                let index = self.references.len() - 1;
                if let Some(n) = name {
                    self.ref_by_name.entry(n).or_default().push((group, index));
                }
                index
            }
        };
        if let Some((s, e)) = content {
            let raw =
                self.original[self.stripped.original(s)..self.stripped.original(e)].to_owned();
            self.ref_templates.push(Vec::new());
            let inlines = if ctx.depth < MAX_DEPTH {
                let inner = Ctx {
                    in_ref: true,
                    in_link: false,
                    depth: ctx.depth + 1,
                    inline_depth: 0,
                };
                let (s, e) = self.trim(s, e);
                let mut inlines = self.line_inlines(s, e, inner, None);
                trim_inlines(&mut inlines);
                inlines
            } else {
                Vec::new()
            };
            let templates = self.ref_templates.pop().unwrap_or_default();
            let reference = &mut self.references[index];
            reference.raw = raw;
            reference.inlines = inlines;
            reference.templates = templates;
        }
        Some(self.references[index].key.clone())
    }

    /// Records a citation template met outside `<ref>` (a bibliography entry) as a listed
    /// reference; its text stays where it stands.
    pub(super) fn listed_reference(&mut self, start: usize, end: usize, template: Template) {
        let raw =
            self.original[self.stripped.original(start)..self.stripped.original(end)].to_owned();
        let location = self.location(start);
        self.references.push(RawReference {
            key: format!("r{}", self.references.len() + 1),
            format: Some(Format::Wikitext),
            raw,
            templates: vec![template],
            location: Some(location),
            listed: true,
            ..Default::default()
        });
    }

    /// Reads list-defined references (`<ref name=…>` inside `refs=` or `<references>`).
    /// `group` is the group of the list (`<references group=…>`, `{{reflist|group=…}}`), which
    /// references inside it without a group of their own belong to.
    pub(super) fn list_defined_refs(
        &mut self,
        start: usize,
        end: usize,
        group: Option<String>,
        ctx: Ctx,
    ) {
        let first = self.st.ref_tags.partition_point(|&at| at < start);
        let mut skip_until = start;
        for k in first..self.st.ref_tags.len() {
            let at = self.st.ref_tags[k];
            if at >= end {
                break;
            }
            if at < skip_until || self.refs_read.contains(&at) {
                continue;
            }
            let Some(span) = self.st.tags.get(&at) else {
                continue;
            };
            skip_until = span.end;
            let (name, own_group) = self.ref_attrs(span);
            let content = (!span.self_closing).then_some(span.content);
            self.define_ref(name, own_group.or_else(|| group.clone()), content, at, ctx);
        }
    }

    /// Records the references inside a construct that shows nothing, so that none is lost.
    pub(super) fn refs_inside(&mut self, start: usize, end: usize, ctx: Ctx) {
        let first = self.st.ref_tags.partition_point(|&at| at < start);
        if self.st.ref_tags.get(first).is_some_and(|&at| at < end) {
            self.list_defined_refs(start, end, None, ctx);
        }
    }
}
