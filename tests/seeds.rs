//! The three seed articles, end to end: what the foundation promises of each.

use std::collections::BTreeMap;

use zhnorm_doc::{Block, Document, Inline, for_each_inline};
use zhnorm_script::Engine;
use zhnorm_script::builtin::BuiltinEngine;

use crate::support::seeds;

/// Markup that must never reach a text node, whatever the source format.
const RESIDUE: &[&str] = &["[[", "]]", "{{", "}}", "\"wikilink\"", "\\[", "[编辑]"];

fn by_source(documents: &[Document]) -> BTreeMap<&str, &Document> {
    documents
        .iter()
        .map(|d| {
            (
                d.source
                    .path
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .split('_')
                    .next()
                    .unwrap(),
                d,
            )
        })
        .collect()
}

fn headings(doc: &Document) -> usize {
    doc.blocks
        .iter()
        .filter(|b| matches!(b, Block::Heading { .. }))
        .count()
}

fn citations(doc: &Document) -> Vec<String> {
    let mut found = Vec::new();
    for_each_inline(&doc.blocks, &mut |inline| {
        if let Inline::Cite { reference } = inline {
            found.push(reference.clone());
        }
    });
    found
}

fn texts(doc: &Document) -> Vec<String> {
    let mut found = vec![doc.title.clone()];
    for_each_inline(&doc.blocks, &mut |inline| {
        if let Inline::Text { text } = inline {
            found.push(text.clone());
        }
    });
    found
}

/// The label (as the page numbered it) of the reference each citation points at.
fn cited_labels(doc: &Document) -> Vec<String> {
    citations(doc)
        .iter()
        .map(|id| {
            let reference = doc.references.iter().find(|r| &r.id == id);
            let reference =
                reference.unwrap_or_else(|| panic!("{}: citation of missing {id}", doc.id));
            reference.custom.label.clone().unwrap_or_default()
        })
        .collect()
}

#[test]
fn titles_languages_and_structure() {
    let output = seeds();
    let docs = by_source(&output.documents);
    let summary: Vec<(&str, &str, usize, usize, usize, usize)> = docs
        .values()
        .map(|d| {
            (
                d.title.as_str(),
                d.lang.as_str(),
                headings(d),
                d.references.len(),
                citations(d).len(),
                d.categories.len(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("阿塞拜疆－俄罗斯关系", "zh-Hans", 3, 7, 7, 2),
            ("2025年阿塞拜疆—俄罗斯外交危机", "zh-Hans", 12, 18, 25, 0),
            ("阿塞拜疆－爱沙尼亚关系", "zh-Hans", 4, 11, 11, 2),
        ]
    );
    assert_eq!(
        docs["000"].categories,
        ["俄罗斯双边关系", "阿塞拜疆双边关系"]
    );
    assert_eq!(
        output.report.formats.values().copied().collect::<Vec<_>>(),
        [1, 1, 1]
    );
}

#[test]
fn every_marker_cites_the_reference_of_its_number() {
    let output = seeds();
    let docs = by_source(&output.documents);
    // Seed 003: every [n] marker is a citation of reference n; reference 8 is cited four times.
    let labels = cited_labels(docs["003"]);
    let mut per_label: BTreeMap<u32, usize> = BTreeMap::new();
    for label in &labels {
        *per_label
            .entry(label.parse().expect("numeric label"))
            .or_default() += 1;
    }
    assert_eq!(
        per_label.keys().copied().collect::<Vec<_>>(),
        (1..=18).collect::<Vec<_>>()
    );
    assert_eq!(per_label[&8], 4);
    // Seed 004: markers \[1\] to \[11\] in order, each citing entry n.
    let expected: Vec<String> = (1..=11).map(|n| n.to_string()).collect();
    assert_eq!(cited_labels(docs["004"]), expected);
    // Seed 000: seven citations, each of a distinct existing reference.
    let mut cited = citations(docs["000"]);
    cited.dedup();
    assert_eq!(cited, ["r1", "r2", "r3", "r4", "r5", "r6", "r7"]);
}

#[test]
fn diagnostics_of_the_seeds() {
    let output = seeds();
    let docs = by_source(&output.documents);
    let located = |doc: &Document, code: &str| -> Vec<(Option<u32>, Option<u32>)> {
        doc.diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| (d.line, d.column))
            .collect()
    };
    // The stray `]]` after the broken image caption: line 7, column 138 (1-based, in characters).
    assert_eq!(located(docs["000"], "M007"), [(Some(7), Some(138))]);
    // Seed 004: entries 6 and 9 of the reference list are empty.
    let empty: Vec<&str> = docs["004"]
        .diagnostics
        .iter()
        .filter(|d| d.code == "R003")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(empty.len(), 2, "{empty:?}");
    let empty_labels: Vec<&str> = docs["004"]
        .references
        .iter()
        .filter(|r| r.custom.raw.trim().is_empty())
        .map(|r| r.custom.label.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(empty_labels, ["6", "9"]);
}

#[test]
fn no_markup_residue_in_any_text_node() {
    for doc in &seeds().documents {
        for text in texts(doc) {
            for residue in RESIDUE {
                assert!(
                    !text.contains(residue),
                    "{}: `{residue}` left in {text:?}",
                    doc.id
                );
            }
        }
    }
}

#[test]
fn no_text_node_that_t2s_would_still_change() {
    let t2s = BuiltinEngine::load("t2s").expect("t2s loads");
    for doc in &seeds().documents {
        for text in texts(doc) {
            assert_eq!(t2s.convert(&text), text, "{}: not fully Simplified", doc.id);
        }
    }
}

/// zh-SG, zh-MY and zh-MO normalize the seeds in their script (the Simplified ones as zh-CN, the
/// Traditional one as zh-HK, none of the seeds having rules for them), and `zh` keeps every
/// seed's text as written.
#[test]
fn the_variants_beside_the_five_normalize_the_seeds() {
    use zhnorm::Options;
    use zhnorm_script::Variant;

    let run = |variant: Variant| {
        let options = Options {
            variant,
            ..Options::default()
        };
        crate::support::normalize(
            &crate::support::project_root().join("corpus/raw"),
            options,
            2,
        )
        .documents
    };
    let texts = |docs: &[Document]| {
        docs.iter()
            .map(zhnorm_doc::article_text)
            .collect::<Vec<_>>()
    };
    for (variant, like) in [
        (Variant::Sg, Variant::Cn),
        (Variant::My, Variant::Cn),
        (Variant::Mo, Variant::Hk),
    ] {
        let docs = run(variant);
        assert!(docs.iter().all(|d| d.lang == variant.as_tag()), "{variant}");
        assert_eq!(texts(&docs), texts(&run(like)), "{variant} as {like}");
    }
    let as_written = run(Variant::Zh);
    assert!(as_written.iter().all(|d| d.lang == "zh"));
    assert_eq!(
        as_written
            .iter()
            .map(|d| d.conversion.engine.as_deref())
            .collect::<Vec<_>>(),
        vec![Some("none"); as_written.len()]
    );
    // The seeds mix scripts: as written, both stay.
    let all = texts(&as_written).concat();
    assert!(all.contains("关系") || all.contains("關係"), "{all}");
}

/// Normalizing a seed's Markdown view again (as format `canonical`) gives the same view: the
/// view is a fixed point of the pipeline. (Source and format lines name the new input.)
#[test]
fn normalizing_a_seed_view_again_gives_the_same_view() {
    let first = seeds();
    let pipeline = zhnorm::Pipeline::new(zhnorm::Options {
        format: Some(zhnorm_doc::Format::Canonical),
        ..zhnorm::Options::default()
    })
    .unwrap();
    let without_source = |view: &str| {
        view.lines()
            .filter(|l| !l.starts_with("source: ") && !l.starts_with("format: "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for document in &first.documents {
        let view = zhnorm_doc::to_markdown(document);
        let mut again = pipeline.normalize_text("view.md", &view).document;
        again.id.clone_from(&document.id);
        assert_eq!(
            without_source(&zhnorm_doc::to_markdown(&again)),
            without_source(&view),
            "{}",
            document.source.path
        );
    }
}
