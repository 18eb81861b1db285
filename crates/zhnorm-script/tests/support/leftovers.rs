//! Counting characters of the other script left in a converted document (shared by the seed
//! test and the `other_script_leftovers` example, which measures `../shared/corpus-dev`).

use std::path::Path;

use zhnorm_doc::{Block, Document, Inline, Name, Source};
use zhnorm_script::{Converter, Variant, convert_document};

/// Reads one input file as the pipeline would (detection, then the detected format's reader).
pub fn read_document(path: &Path) -> Document {
    let text = std::fs::read_to_string(path).expect("input is UTF-8");
    let detection = zhnorm_formats::detect(&text);
    let mut source = Source::given(path.display().to_string(), detection.format);
    source.detection = detection;
    zhnorm_formats::read(&text, source).document
}

/// Every text a conversion rule of `doc` shows as written (protected spans).
fn protected_texts(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    let mut rules: Vec<_> = doc.conversion.rules.clone();
    visit_inlines(doc, &mut |inline| {
        if let Inline::Conversion { rule } = inline {
            rules.push((**rule).clone());
        }
    });
    for rule in rules {
        out.extend(rule.text.clone());
        out.extend(rule.variants.iter().map(|v| v.text.clone()));
    }
    out
}

/// The converted document's characters of the other script outside protected spans, with
/// some context, and the number of `Inline::Conversion` nodes left.
pub fn leftovers(source: &Document, converter: &Converter) -> (Vec<String>, usize) {
    let protected = protected_texts(source);
    let mut doc = source.clone();
    convert_document(&mut doc, converter);
    let (texts, remaining_rules) = visible_texts(&doc);
    let mut found = Vec::new();
    for text in &texts {
        let chars: Vec<char> = text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if converter.is_other_script(c) && !protected.iter().any(|p| p.contains(c)) {
                let start = i.saturating_sub(3);
                let end = (i + 4).min(chars.len());
                found.push(chars[start..end].iter().collect());
            }
        }
    }
    (found, remaining_rules)
}

/// Every visible text of a converted document, and the number of conversion nodes left.
pub fn visible_texts(doc: &Document) -> (Vec<String>, usize) {
    let mut texts = vec![doc.title.clone()];
    texts.extend(doc.categories.iter().cloned());
    if let Some(infobox) = &doc.infobox {
        texts.extend(infobox.fields.values().cloned());
    }
    for r in &doc.references {
        texts.extend(
            [&r.title, &r.container_title, &r.publisher, &r.note]
                .into_iter()
                .flatten()
                .cloned(),
        );
        for name in &r.author {
            match name {
                Name::Literal { literal } => texts.push(literal.clone()),
                Name::Structured { family, given } => texts.extend([family.clone(), given.clone()]),
            }
        }
    }
    let mut remaining_rules = 0;
    visit_inlines(doc, &mut |inline| match inline {
        Inline::Text { text } => texts.push(text.clone()),
        Inline::Conversion { .. } => remaining_rules += 1,
        _ => {}
    });
    (texts, remaining_rules)
}

fn visit_inlines(doc: &Document, f: &mut dyn FnMut(&Inline)) {
    fn inlines(list: &[Inline], f: &mut dyn FnMut(&Inline)) {
        for inline in list {
            f(inline);
            if let Inline::Link {
                inlines: children, ..
            }
            | Inline::Strong { inlines: children }
            | Inline::Emphasis { inlines: children }
            | Inline::Superscript { inlines: children }
            | Inline::Subscript { inlines: children } = inline
            {
                inlines(children, f);
            }
        }
    }
    fn block(b: &Block, f: &mut dyn FnMut(&Inline)) {
        match b {
            Block::Heading { inlines: list, .. } | Block::Paragraph { inlines: list } => {
                inlines(list, f)
            }
            Block::List { items, .. } => {
                for item in items {
                    inlines(&item.term, f);
                    item.blocks.iter().for_each(|b| block(b, f));
                }
            }
            Block::Table { caption, rows } => {
                inlines(caption, f);
                for row in rows {
                    row.cells.iter().for_each(|c| inlines(&c.inlines, f));
                }
            }
            Block::Figure { caption, .. } => inlines(caption, f),
            Block::Quote { blocks } => blocks.iter().for_each(|b| block(b, f)),
            Block::Code { .. } | Block::Math { .. } | Block::Rule => {}
        }
    }
    doc.blocks.iter().for_each(|b| block(b, f));
}

/// Every variant's converter with the builtin engine.
pub fn converters() -> Vec<Converter> {
    Variant::ALL
        .into_iter()
        .map(|v| {
            Converter::new(v, zhnorm_script::EngineKind::Builtin, Default::default())
                .expect("builtin engine loads")
        })
        .collect()
}
