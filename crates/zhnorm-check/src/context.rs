//! What a rule sees: the document (or the corpus) and walks over its visible text.

use std::rc::Rc;

use zhnorm_doc::{Block, Document, Inline, LinkKind, plain_text};

use crate::date::PartialDate;

/// The input of the document rules.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub doc: &'a Document,
    /// The source file's text, when the caller has it (the mixed-script rule needs it).
    pub source_text: Option<&'a str>,
    /// The day the run counts as today, for "date in the future"; `None` skips that test.
    pub today: Option<PartialDate>,
    /// [`text_runs`] of `doc`, walked once for all the rules that read visible text (six of
    /// them walked the document each on their own).
    pub runs: &'a [TextRun<'a>],
}

/// What the corpus rules need to know of one document. It is small, so that a run over
/// millions of documents keeps summaries rather than documents, and it is computed where the
/// document is normalized (on any worker thread or machine); the corpus rules then see the
/// summaries one by one, in input order ([`crate::CorpusChecker`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocSummary {
    /// The document's id, as the run allocated it (`X~2` for a second `X`).
    pub id: String,
    pub title: String,
    pub format: zhnorm_doc::Format,
    pub path: String,
    /// The article named by each wiki link of the document, in document order (links to other
    /// namespaces and other wikis left out; see `linked_article`).
    pub links: Vec<String>,
}

impl DocSummary {
    pub fn of(doc: &Document) -> Self {
        DocSummary {
            id: doc.id.clone(),
            title: doc.title.clone(),
            format: doc.source.format,
            path: doc.source.path.clone(),
            links: link_targets(doc, LinkKind::Wiki)
                .into_iter()
                .filter_map(crate::rules::corpus::linked_article)
                .collect(),
        }
    }
}

/// Where in the document a run of text stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    Title,
    Heading,
    Body,
    /// The value of an infobox field, by field name.
    Infobox(&'a str),
}

/// One text node of visible output text, with where it stands.
#[derive(Debug, Clone)]
pub struct TextRun<'a> {
    pub text: &'a str,
    /// Shared by the runs of one place: a run is 24 bytes, not 56, and a large article has
    /// half a million of them.
    pub at: Rc<RunPlace<'a>>,
}

/// Where a run of text stands: its place and the section it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunPlace<'a> {
    pub place: Place<'a>,
    /// The text of the heading of the section; `None` in the lead.
    pub section: Option<Rc<str>>,
}

impl<'a> RunPlace<'a> {
    fn new(place: Place<'a>, section: Option<Rc<str>>) -> Rc<Self> {
        Rc::new(RunPlace { place, section })
    }
}

impl TextRun<'_> {
    /// `in section “X”` or `in the lead` (or the title / infobox), for messages.
    pub fn where_(&self) -> String {
        match (&self.at.place, &self.at.section) {
            (Place::Title, _) => "in the title".to_owned(),
            (Place::Infobox(field), _) => format!("in infobox field `{field}`"),
            (Place::Heading, Some(s)) => format!("in heading “{s}”"),
            (_, Some(s)) => format!("in section “{s}”"),
            (_, None) => "in the lead".to_owned(),
        }
    }
}

/// Every visible text node of `doc`: the title, the text nodes of every block (link texts
/// included; link targets, code, maths, citations and conversion markup excluded, as they are
/// protected or not text), and the infobox values. References are not included: their titles
/// are quoted from the cited source and may rightly be in any script or language.
pub fn text_runs(doc: &Document) -> Vec<TextRun<'_>> {
    let mut runs = vec![TextRun {
        text: &doc.title,
        at: RunPlace::new(Place::Title, None),
    }];
    let mut body = RunPlace::new(Place::Body, None);
    walk_blocks(&doc.blocks, &mut body, &mut runs);
    if let Some(infobox) = &doc.infobox {
        for (field, value) in &infobox.fields {
            runs.push(TextRun {
                text: value,
                at: RunPlace::new(Place::Infobox(field), None),
            });
        }
    }
    runs
}

/// `body` is where body text stands: it changes at each heading.
fn walk_blocks<'a>(blocks: &'a [Block], body: &mut Rc<RunPlace<'a>>, runs: &mut Vec<TextRun<'a>>) {
    for block in blocks {
        match block {
            Block::Heading { inlines, .. } => {
                let section: Option<Rc<str>> = Some(Rc::from(plain_text(inlines).trim()));
                walk_inlines(
                    inlines,
                    &RunPlace::new(Place::Heading, section.clone()),
                    runs,
                );
                *body = RunPlace::new(Place::Body, section);
            }
            Block::Paragraph { inlines } => walk_inlines(inlines, body, runs),
            Block::List { items, .. } => {
                for item in items {
                    walk_inlines(&item.term, body, runs);
                    walk_blocks(&item.blocks, body, runs);
                }
            }
            Block::Table { caption, rows } => {
                walk_inlines(caption, body, runs);
                for row in rows {
                    for cell in &row.cells {
                        walk_inlines(&cell.inlines, body, runs);
                    }
                }
            }
            Block::Figure { caption, .. } => walk_inlines(caption, body, runs),
            Block::Quote { blocks } => walk_blocks(blocks, body, runs),
            Block::Code { .. } | Block::Math { .. } | Block::Rule => {}
        }
    }
}

fn walk_inlines<'a>(inlines: &'a [Inline], at: &Rc<RunPlace<'a>>, runs: &mut Vec<TextRun<'a>>) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => runs.push(TextRun {
                text,
                at: Rc::clone(at),
            }),
            Inline::Link { inlines, .. }
            | Inline::Strong { inlines }
            | Inline::Emphasis { inlines }
            | Inline::Superscript { inlines }
            | Inline::Subscript { inlines } => walk_inlines(inlines, at, runs),
            Inline::Cite { .. }
            | Inline::Code { .. }
            | Inline::Math { .. }
            | Inline::LineBreak
            | Inline::Conversion { .. } => {}
        }
    }
}

/// Calls `edit` on every visible text node of the blocks (not the title, not link targets);
/// returns the sum of the edit counts it reports. Used by fixes.
pub fn edit_text_nodes(doc: &mut Document, edit: &mut dyn FnMut(&mut String) -> usize) -> usize {
    let mut edits = 0;
    zhnorm_doc::for_each_inline_mut(&mut doc.blocks, &mut |list| {
        for inline in list.iter_mut() {
            if let Inline::Text { text } = inline {
                edits += edit(text);
            }
        }
    });
    edits
}

/// Every link target of `kind` in the blocks, in order.
pub fn link_targets(doc: &Document, kind: LinkKind) -> Vec<&str> {
    let mut targets = Vec::new();
    collect_targets(&doc.blocks, kind, &mut targets);
    targets
}

fn collect_targets<'a>(blocks: &'a [Block], kind: LinkKind, out: &mut Vec<&'a str>) {
    fn inlines<'a>(list: &'a [Inline], kind: LinkKind, out: &mut Vec<&'a str>) {
        for inline in list {
            match inline {
                Inline::Link {
                    kind: link_kind,
                    target,
                    inlines: children,
                } => {
                    if *link_kind == kind {
                        out.push(target);
                    }
                    inlines(children, kind, out);
                }
                Inline::Strong { inlines: children }
                | Inline::Emphasis { inlines: children }
                | Inline::Superscript { inlines: children }
                | Inline::Subscript { inlines: children } => inlines(children, kind, out),
                _ => {}
            }
        }
    }
    for block in blocks {
        match block {
            Block::Heading { inlines: l, .. } | Block::Paragraph { inlines: l } => {
                inlines(l, kind, out)
            }
            Block::List { items, .. } => {
                for item in items {
                    inlines(&item.term, kind, out);
                    collect_targets(&item.blocks, kind, out);
                }
            }
            Block::Table { caption, rows } => {
                inlines(caption, kind, out);
                for row in rows {
                    for cell in &row.cells {
                        inlines(&cell.inlines, kind, out);
                    }
                }
            }
            Block::Figure { caption, .. } => inlines(caption, kind, out),
            Block::Quote { blocks } => collect_targets(blocks, kind, out),
            Block::Code { .. } | Block::Math { .. } | Block::Rule => {}
        }
    }
}

/// The reference ids cited in the blocks, in order of appearance (with repeats).
pub fn citations(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    zhnorm_doc::for_each_inline(&doc.blocks, &mut |inline| {
        if let Inline::Cite { reference } = inline {
            out.push(reference.clone());
        }
    });
    out
}
