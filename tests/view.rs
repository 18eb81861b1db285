//! zhnorm's own Markdown view reads back to the same document: normalizing the view of each
//! seed (format `canonical`) gives the same title, blocks, categories and reference ids. The
//! view cannot carry the structured fields of references (it shows one line per reference),
//! nor source metadata and diagnostics, so those are not compared.

use zhnorm::{Options, Pipeline};
use zhnorm_doc::Format;

use crate::support::seeds;

#[test]
fn the_markdown_view_of_every_seed_reads_back() {
    let output = seeds();
    let pipeline = Pipeline::new(Options {
        format: Some(Format::Canonical),
        ..Options::default()
    })
    .unwrap();
    for original in &output.documents {
        let view = output.render(&format!("{}.md", original.id)).unwrap();
        let back = pipeline
            .normalize_bytes("view.md", view.as_bytes())
            .unwrap()
            .document;
        assert_eq!(back.title, original.title);
        assert_eq!(back.categories, original.categories, "{}", original.id);
        assert!(
            back.blocks == original.blocks,
            "{}: blocks differ after reading the view back",
            original.id
        );
        let ids = |d: &zhnorm_doc::Document| {
            d.references
                .iter()
                .map(|r| r.id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&back), ids(original), "{}", original.id);
    }
}
