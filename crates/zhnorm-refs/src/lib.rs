//! Reference normalization for zhnorm documents.
//!
//! Turns the raw reference material a reader found ([`RawReference`]) into CSL-JSON records
//! ([`Reference`]) and points every citation of the document at one record.
//!
//! ```
//! use zhnorm_doc::{Block, Document, Format, Inline, RawReference, Source};
//!
//! let mut doc = Document::new(Source::given("a.txt", Format::Wikitext));
//! doc.blocks.push(Block::Paragraph { inlines: vec![Inline::text("甲。"), Inline::Cite { reference: "k".into() }] });
//! let raw = RawReference { key: "k".into(), raw: "来源".into(), ..RawReference::default() };
//! zhnorm_refs::normalize(&mut doc, vec![raw]);
//! assert_eq!(doc.references[0].id, "r1");
//! ```

use std::collections::HashMap;

use zhnorm_doc::{Document, Inline, RawReference, Reference, ReferenceCustom, for_each_inline_mut};

/// Makes one record per raw reference, ids `r1`, `r2`, … in order of first citation, and
/// rewrites every citation to the record's id. (Placeholder until structuring lands.)
pub fn normalize(doc: &mut Document, raw_references: Vec<RawReference>) {
    let mut order: Vec<String> = Vec::new();
    zhnorm_doc::for_each_inline(&doc.blocks, &mut |inline| {
        if let Inline::Cite { reference } = inline {
            if !order.contains(reference) {
                order.push(reference.clone());
            }
        }
    });
    let mut by_key: HashMap<String, RawReference> = raw_references
        .into_iter()
        .map(|r| (r.key.clone(), r))
        .collect();
    let mut ids = HashMap::new();
    for key in order {
        if let Some(raw) = by_key.remove(&key) {
            let id = format!("r{}", doc.references.len() + 1);
            ids.insert(key, id.clone());
            doc.references.push(record(id, raw));
        }
    }
    for_each_inline_mut(&mut doc.blocks, &mut |list| {
        for inline in list.iter_mut() {
            if let Inline::Cite { reference } = inline {
                if let Some(id) = ids.get(reference) {
                    *reference = id.clone();
                }
            }
        }
    });
}

fn record(id: String, raw: RawReference) -> Reference {
    Reference {
        id,
        kind: "document".to_owned(),
        custom: ReferenceCustom {
            raw: raw.raw,
            group: raw.group,
            label: raw.label,
            ..ReferenceCustom::default()
        },
        ..Reference::default()
    }
}
