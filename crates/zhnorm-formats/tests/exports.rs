//! Tests of the scraped-text and Markdown-export readers and writers.
//!
//! - Fixtures: every `test_data/{scraped,markdown}/<case>.{txt,md}` is read and compared with
//!   `<case>.expected.json` (the document and the raw references). `UPDATE_EXPECT=1 cargo test`
//!   rewrites the expectations; review the diff.
//! - Seeds 003 and 004 from `corpus/raw/`: the figures the foundation issue asks for.
//! - Round trips (proptest): reading what a writer wrote gives back the document, up to what
//!   the format cannot carry (stated at each generator).

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::{Value, json};
use zhnorm_doc::{
    Block, ConversionRule, Document, Format, Inline, LinkKind, ListItem, RawReference, Reference,
    ReferenceCustom, Source, TableCell, TableRow, VariantText, for_each_inline,
};
use zhnorm_formats::{Parsed, markdown, scraped};

fn test_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data")
}

/// The raw references as JSON (the model type is not serializable: it is internal to the
/// pipeline between the readers and the references stage).
fn raw_reference_json(r: &RawReference) -> Value {
    json!({
        "key": r.key,
        "format": r.format.map(|f| f.as_str()),
        "label": r.label,
        "raw": r.raw,
        "backlinks": r.backlinks,
        "inlines": serde_json::to_value(&r.inlines).expect("inlines serialize"),
        "location": r.location.map(|l| format!("{}:{}", l.line, l.column)),
    })
}

fn parsed_json(parsed: &Parsed) -> String {
    let value = json!({
        "document": serde_json::to_value(&parsed.document).expect("document serializes"),
        "raw_references": parsed.raw_references.iter().map(raw_reference_json).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).expect("json");
    text.push('\n');
    text
}

/// Reads `input` with the format its file says and compares with `<case>.expected.json`.
fn check(input: &Path) {
    let name = input
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let format = if input.extension().is_some_and(|e| e == "txt") {
        Format::Scraped
    } else if name.starts_with("canonical") {
        Format::Canonical
    } else {
        Format::Markdown
    };
    let text = std::fs::read_to_string(input).expect("fixture readable");
    let parsed = zhnorm_formats::read(&text, Source::given(name, format));
    let actual = parsed_json(&parsed);
    let expected_path = input.with_extension("expected.json");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&expected_path, &actual).expect("expectation written");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    assert!(
        expected == actual,
        "{} differs from its expectation (UPDATE_EXPECT=1 rewrites it):\n{actual}",
        input.display()
    );
}

#[test]
fn fixtures() {
    let mut count = 0;
    for style in ["scraped", "markdown"] {
        let mut inputs: Vec<PathBuf> = std::fs::read_dir(test_data().join(style))
            .expect("fixture folder")
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                let name = p.to_string_lossy();
                !name.ends_with(".expected.json")
            })
            .collect();
        inputs.sort();
        for input in inputs {
            check(&input);
            count += 1;
        }
    }
    assert!(count >= 17, "only {count} fixtures found");
}

fn headings(doc: &Document) -> Vec<(u8, String)> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, inlines } => Some((*level, zhnorm_doc::plain_text(inlines))),
            _ => None,
        })
        .collect()
}

fn citations(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for_each_inline(&doc.blocks, &mut |inline| {
        if let Inline::Cite { reference } = inline {
            out.push(reference.clone());
        }
    });
    out
}

fn seed(name: &str, format: Format) -> Parsed {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/raw")
        .join(name);
    let text = std::fs::read_to_string(path).expect("seed readable");
    zhnorm_formats::read(&text, Source::given(name, format))
}

#[test]
fn seed_003_scraped() {
    let parsed = seed("003_edabeb56969b9ff1.txt", Format::Scraped);
    let doc = &parsed.document;
    assert_eq!(doc.title, "2025年阿塞拜疆—俄罗斯外交危机");
    let levels: Vec<u8> = headings(doc).iter().map(|(l, _)| *l).collect();
    assert_eq!(levels, vec![2, 3, 3, 2, 3, 3, 2, 3, 3, 3, 3, 2]);
    assert_eq!(parsed.raw_references.len(), 18);
    let labels: Vec<String> = parsed
        .raw_references
        .iter()
        .map(|r| r.key.clone())
        .collect();
    let expected: Vec<String> = (1..=18).map(|n| n.to_string()).collect();
    assert_eq!(labels, expected);
    let cites = citations(doc);
    assert_eq!(cites.len(), 25);
    assert!(cites.iter().all(|c| labels.contains(c)));
    assert_eq!(cites.iter().filter(|c| *c == "8").count(), 4);
    assert_eq!(parsed.raw_references[7].backlinks, 4);
    // Two diagnostics: reference 1, whose `^ 1.0 1.1` says the page cites it twice while the
    // text holds `[1]` once (the other marker was in the infobox the scrape dropped); and the
    // half-width punctuation the reader normalized, counted, at the first mark
    // (`2025年6月,当时` on line 10).
    let diagnostics: Vec<(&str, Option<u32>, Option<u32>)> = doc
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        diagnostics,
        [("R011", Some(34), Some(5)), ("T001", Some(10), Some(46))]
    );
    assert_eq!(
        doc.diagnostics[0].message,
        "reference [1] is cited 2 times on the page (its back-links), 1 of them in this text"
    );
    assert!(doc.diagnostics[1].message.starts_with("59 half-width"));
}

#[test]
fn seed_004_markdown() {
    let parsed = seed("004_05b906160e962e71.txt", Format::Markdown);
    let doc = &parsed.document;
    assert_eq!(doc.title, "阿塞拜疆－愛沙尼亞關係");
    assert_eq!(
        headings(doc),
        ["政治關係", "經貿關係", "文化關係", "參考"]
            .map(|h| (2, h.to_owned()))
            .to_vec()
    );
    assert_eq!(parsed.raw_references.len(), 11);
    let empty: Vec<&str> = parsed
        .raw_references
        .iter()
        .filter(|r| r.raw.is_empty())
        .map(|r| r.key.as_str())
        .collect();
    assert_eq!(empty, vec!["6", "9"]);
    let cites = citations(doc);
    let expected: Vec<String> = (1..=11).map(|n| n.to_string()).collect();
    assert_eq!(cites, expected);
    assert_eq!(doc.categories, vec!["阿塞拜疆雙邊關係", "愛沙尼亞雙邊關係"]);
    let empty_brackets: Vec<String> = doc
        .diagnostics
        .iter()
        .map(|d| format!("{} {:?}:{:?}", d.code, d.line, d.column))
        .collect();
    assert_eq!(empty_brackets, vec!["S005 Some(13):Some(499)"]);
    assert_eq!(doc.repairs.get("swallowed_link_text"), Some(&16));
}

// ---------------------------------------------------------------------------------------
// Round trips.

/// Short runs of text: Han characters of both scripts, Latin letters, digits, full-width
/// punctuation.
fn text_strategy() -> impl Strategy<Value = String> {
    "[甲乙丙丁國国關关和的是在中文漢汉語语a-zA-Z0-9，。、]{1,8}"
}

/// Text that starts and ends with a letter or ideograph, as emphasis content must.
fn word_strategy() -> impl Strategy<Value = String> {
    "[甲乙丙丁國关和中文a-z]{1,6}"
}

fn title_strategy() -> impl Strategy<Value = String> {
    "[甲乙丙丁國国關关和中文漢汉]{1,6}"
}

#[derive(Debug, Clone)]
struct Generated {
    document: Document,
}

/// Paragraph content for the Markdown formats: text, wiki and external links, strong,
/// emphasis, code, citations of references `1..=refs`.
fn rich_inlines(refs: usize) -> impl Strategy<Value = Vec<Inline>> {
    let piece = prop_oneof![
        4 => text_strategy().prop_map(Inline::text),
        1 => title_strategy().prop_map(|t| Inline::Link {
            kind: LinkKind::Wiki,
            target: t.clone(),
            inlines: vec![Inline::text(t)],
        }),
        1 => ("[a-z]{1,6}", word_strategy()).prop_map(|(path, text)| Inline::Link {
            kind: LinkKind::External,
            target: format!("https://example.org/{path}"),
            inlines: vec![Inline::text(text)],
        }),
        1 => word_strategy().prop_map(|t| Inline::Strong { inlines: vec![Inline::text(t)] }),
        1 => word_strategy().prop_map(|t| Inline::Emphasis { inlines: vec![Inline::text(t)] }),
        1 => "[a-z]{1,5}".prop_map(|t| Inline::Code { text: t }),
        1 => (1..=refs.max(1)).prop_map(move |n| if refs == 0 {
            Inline::text("甲")
        } else {
            Inline::Cite { reference: n.to_string() }
        }),
    ];
    prop::collection::vec(piece, 1..6).prop_map(normalize_inlines)
}

/// What any reader gives back for a run of inlines: adjacent texts merged, text first and
/// between two non-text nodes (so that no two links or emphases touch, which Markdown
/// writers would glue), no citation first.
fn normalize_inlines(mut list: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = vec![Inline::text("文")];
    for inline in list.drain(..) {
        let is_text = matches!(inline, Inline::Text { .. });
        let last_is_text = matches!(out.last(), Some(Inline::Text { .. }));
        if !is_text && !last_is_text {
            out.push(Inline::text("和"));
        }
        out.push(inline);
    }
    if !matches!(out.last(), Some(Inline::Text { .. })) {
        out.push(Inline::text("。"));
    }
    let mut merged: Vec<Inline> = Vec::new();
    for inline in out {
        if let (Some(Inline::Text { text: a }), Inline::Text { text: b }) =
            (merged.last_mut(), &inline)
        {
            a.push_str(b);
            continue;
        }
        merged.push(inline);
    }
    merged
}

fn references(count: usize) -> Vec<Reference> {
    (1..=count)
        .map(|n| Reference {
            id: n.to_string(),
            kind: "webpage".into(),
            custom: ReferenceCustom {
                raw: format!("[标题{n}](https://example.org/{n})"),
                ..ReferenceCustom::default()
            },
            ..Reference::default()
        })
        .collect()
}

/// A Markdown export document. The export cannot carry: heading levels above 6, a lead
/// without its bold title (the title is read from it), link texts that run past their
/// target's title (the reader splits them: zh.wikipedia has no link trail), table cell spans,
/// figure alt texts, references other than their raw text (read back as raw references), a
/// reference list that nothing cites and that has no empty item (it reads as a content list;
/// the lead here always cites reference 1).
fn export_document() -> impl Strategy<Value = Generated> {
    (title_strategy(), 0usize..4).prop_flat_map(|(title, refs)| {
        let block = prop_oneof![
            3 => rich_inlines(refs).prop_map(|inlines| Block::Paragraph { inlines }),
            1 => (2u8..=4, title_strategy()).prop_map(|(level, t)| Block::Heading {
                level,
                inlines: vec![Inline::text(t)],
            }),
            1 => prop::collection::vec(rich_inlines(refs), 1..4).prop_map(|items| Block::List {
                ordered: false,
                items: items
                    .into_iter()
                    .map(|inlines| ListItem { term: vec![], blocks: vec![Block::Paragraph { inlines }] })
                    .collect(),
            }),
            1 => (title_strategy(), prop::option::of(text_strategy())).prop_map(|(file, caption)| {
                Block::Figure {
                    target: format!("{file}.jpg"),
                    caption: caption.map(|c| vec![Inline::text(c)]).unwrap_or_default(),
                    alt: None,
                }
            }),
            1 => prop::collection::vec(prop::collection::vec(text_strategy(), 2), 1..3).prop_map(|rows| {
                Block::Table {
                    caption: vec![],
                    rows: rows
                        .into_iter()
                        .enumerate()
                        .map(|(n, cells)| TableRow {
                            cells: cells
                                .into_iter()
                                .map(|t| TableCell { header: n == 0, inlines: vec![Inline::text(t)] })
                                .collect(),
                        })
                        .collect(),
                }
            }),
        ];
        (
            Just(title),
            Just(refs),
            prop::collection::vec(block, 0..6),
            prop::collection::vec(title_strategy(), 0..3),
        )
            .prop_map(|(title, refs, blocks, categories)| {
                let mut doc = Document::new(Source::given("gen.md", Format::Markdown));
                doc.title = title.clone();
                let mut lead = vec![
                    Inline::Strong { inlines: vec![Inline::text(title)] },
                    Inline::text(if refs > 0 { "是一个词" } else { "是一个词。" }),
                ];
                if refs > 0 {
                    lead.push(Inline::Cite {
                        reference: "1".into(),
                    });
                    lead.push(Inline::text("。"));
                }
                doc.blocks.push(Block::Paragraph { inlines: lead });
                doc.blocks.extend(blocks);
                let mut categories = categories;
                categories.dedup();
                doc.categories = categories;
                doc.references = references(refs);
                Generated { document: doc }
            })
    })
}

/// Compares a document read back with the one written: references come back raw (their
/// keys are the citation numbers), the source is the reader's.
fn assert_read_back(written: &Document, parsed: &Parsed) -> Result<(), TestCaseError> {
    let keys: Vec<String> = parsed
        .raw_references
        .iter()
        .map(|r| r.key.clone())
        .collect();
    let ids: Vec<String> = written.references.iter().map(|r| r.id.clone()).collect();
    prop_assert_eq!(keys, ids);
    let mut expected = written.clone();
    expected.references.clear();
    expected.source = parsed.document.source.clone();
    let mut actual = parsed.document.clone();
    actual.repairs.clear();
    prop_assert_eq!(actual, expected);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn markdown_export_round_trip(generated in export_document()) {
        let doc = generated.document;
        let text = markdown::write_export(&doc);
        let parsed = markdown::read(&text, Source::given("gen.md", Format::Markdown));
        let raws: Vec<String> = parsed.raw_references.iter().map(|r| r.raw.clone()).collect();
        let expected: Vec<String> = doc.references.iter().map(|r| r.custom.raw.clone()).collect();
        prop_assert_eq!(raws, expected);
        assert_read_back(&doc, &parsed)?;
    }
}

/// Paragraph content of zhnorm's own view: everything the model has inline.
fn view_inlines(refs: usize) -> impl Strategy<Value = Vec<Inline>> {
    let piece = prop_oneof![
        4 => text_strategy().prop_map(Inline::text),
        1 => view_text_strategy().prop_map(Inline::text),
        1 => "[甲乙丙a-z ]{1,6}".prop_map(|t| Inline::Link {
            kind: LinkKind::Wiki,
            target: t.trim().to_owned() + "页",
            inlines: vec![Inline::text("链接")],
        }),
        1 => ("[a-z]{1,6}", word_strategy()).prop_map(|(path, text)| Inline::Link {
            kind: LinkKind::External,
            target: format!("https://example.org/{path}?q=1%2"),
            inlines: vec![Inline::text(text)],
        }),
        1 => word_strategy().prop_map(|t| Inline::Strong { inlines: vec![Inline::text(t)] }),
        1 => text_strategy().prop_map(|t| Inline::Strong { inlines: vec![Inline::text(t)] }),
        1 => text_strategy().prop_map(|t| Inline::Emphasis { inlines: vec![Inline::text(t)] }),
        1 => text_strategy().prop_map(|t| Inline::Superscript { inlines: vec![Inline::text(t)] }),
        1 => text_strategy().prop_map(|t| Inline::Subscript { inlines: vec![Inline::text(t)] }),
        1 => "[a-z]{1,5}".prop_map(|t| Inline::Code { text: t }),
        1 => "[a-z]{1,3}\\+[0-9]".prop_map(|t| Inline::Math { tex: t }),
        1 => Just(Inline::LineBreak),
        1 => (title_strategy(), title_strategy()).prop_map(|(a, b)| Inline::Conversion {
            rule: Box::new(ConversionRule {
                variants: vec![
                    VariantText { variant: "zh-hans".into(), text: a, from: None },
                    VariantText { variant: "zh-hant".into(), text: b, from: None },
                ],
                ..ConversionRule::default()
            }),
        }),
        1 => (1..=refs.max(1)).prop_map(move |n| if refs == 0 {
            Inline::text("甲")
        } else {
            Inline::Cite { reference: format!("r{n}") }
        }),
    ];
    prop::collection::vec(piece, 1..7).prop_map(normalize_inlines)
}

/// Text as the view escapes it: every Markdown special character.
fn view_text_strategy() -> impl Strategy<Value = String> {
    "[甲乙國关a-z0-9，。*_#\\[\\]<>|~$&`\\\\!()-]{1,8}"
}

fn view_block(refs: usize, depth: u32) -> BoxedStrategy<Block> {
    let paragraph = prop_oneof![
        3 => view_inlines(refs),
        1 => view_text_strategy().prop_map(|t| normalize_inlines(vec![Inline::text(t)])),
    ]
    .prop_map(|inlines| Block::Paragraph { inlines });
    let leaf = prop_oneof![
        4 => paragraph.clone(),
        1 => (2u8..=6, title_strategy()).prop_map(|(level, t)| Block::Heading {
            level,
            inlines: vec![Inline::text(t)],
        }),
        1 => (title_strategy(), prop::option::of(text_strategy())).prop_map(|(file, caption)| {
            Block::Figure {
                target: format!("{file} 图.jpg"),
                caption: caption.map(|c| vec![Inline::text(c)]).unwrap_or_default(),
                alt: None,
            }
        }),
        1 => prop::collection::vec(prop::collection::vec(text_strategy(), 3), 1..4).prop_map(|rows| {
            Block::Table {
                caption: vec![],
                rows: rows
                    .into_iter()
                    .enumerate()
                    .map(|(n, cells)| TableRow {
                        cells: cells
                            .into_iter()
                            .map(|t| TableCell { header: n == 0, inlines: vec![Inline::text(t)] })
                            .collect(),
                    })
                    .collect(),
            }
        }),
        1 => (prop::option::of(Just("rust".to_owned())), prop::collection::vec("[a-z ]{1,10}", 1..4))
            .prop_map(|(language, lines)| Block::Code {
                language,
                text: lines.iter().map(|l| l.trim_end().to_owned() + "x").collect::<Vec<_>>().join("\n"),
            }),
        1 => "[a-z]\\+[0-9]".prop_map(|tex| Block::Math { tex }),
        1 => Just(Block::Rule),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    let item =
        (paragraph, prop::option::of(view_block_list(refs))).prop_map(|(first, nested)| ListItem {
            term: vec![],
            blocks: std::iter::once(first).chain(nested).collect(),
        });
    prop_oneof![
        4 => leaf,
        1 => (any::<bool>(), prop::collection::vec(item, 1..4))
            .prop_map(|(ordered, items)| Block::List { ordered, items }),
        1 => prop::collection::vec(view_inlines(refs), 1..3).prop_map(|paragraphs| Block::Quote {
            blocks: paragraphs.into_iter().map(|inlines| Block::Paragraph { inlines }).collect(),
        }),
    ]
    .boxed()
}

/// A list of paragraphs, nested inside list items.
fn view_block_list(refs: usize) -> BoxedStrategy<Block> {
    (
        any::<bool>(),
        prop::collection::vec(view_inlines(refs), 1..3),
    )
        .prop_map(|(ordered, items)| Block::List {
            ordered,
            items: items
                .into_iter()
                .map(|inlines| ListItem {
                    term: vec![],
                    blocks: vec![Block::Paragraph { inlines }],
                })
                .collect(),
        })
        .boxed()
}

/// A document as the pipeline writes it. The view does not carry: the source (the reader's
/// caller gives it), references (read back raw, under their ids), diagnostics, repairs,
/// infobox, interlanguage links, page conversion rules, table captions and cell headers other
/// than the first row, figure alt texts, and text that would be conversion markup (`-{`).
fn view_document() -> impl Strategy<Value = Document> {
    (title_strategy(), 0usize..3).prop_flat_map(|(title, refs)| {
        (
            Just(title),
            Just(refs),
            prop::collection::vec(view_block(refs, 1), 0..8),
            prop::collection::vec(title_strategy(), 0..3),
        )
            .prop_map(|(title, refs, blocks, mut categories)| {
                let mut doc = Document::new(Source::given("gen.md", Format::Canonical));
                doc.id = title.clone();
                doc.title = title;
                doc.lang = "zh-Hans".into();
                doc.blocks = blocks;
                categories.dedup();
                doc.categories = categories;
                doc.references = (1..=refs)
                    .map(|n| Reference {
                        id: format!("r{n}"),
                        kind: "webpage".into(),
                        title: Some(format!("标题{n}")),
                        url: Some(format!("https://example.org/{n}")),
                        ..Reference::default()
                    })
                    .collect();
                doc
            })
    })
}

/// A scraped page. Scraped text cannot carry: links, emphasis, code (all become their text),
/// lists, tables, figures, the infobox, categories; heading levels other than what nesting
/// shows (a level-2 heading directly followed by its first level-3 heading; a childless
/// level-2 section only before the first parent); URLs of references; reference content other
/// than its raw line.
fn scraped_document() -> impl Strategy<Value = Document> {
    let plain = |refs: usize| {
        prop::collection::vec(
            prop_oneof![
                3 => text_strategy().prop_map(Inline::text),
                1 => (1..=refs.max(1)).prop_map(move |n| if refs == 0 {
                    Inline::text("甲")
                } else {
                    Inline::Cite { reference: n.to_string() }
                }),
            ],
            1..5,
        )
        .prop_map(|list| {
            let mut list = normalize_inlines(list);
            list.retain(|i| !matches!(i, Inline::Text { text } if text == "和"));
            normalize_inlines(list)
        })
    };
    let paragraphs = move |refs: usize| {
        prop::collection::vec(plain(refs), 1..3).prop_map(|ps| {
            ps.into_iter()
                .map(|inlines| Block::Paragraph { inlines })
                .collect::<Vec<_>>()
        })
    };
    (title_strategy(), 0usize..4).prop_flat_map(move |(title, refs)| {
        (
            Just(title),
            Just(refs),
            paragraphs(refs),
            prop::collection::vec((title_strategy(), paragraphs(refs)), 0..3),
            prop::collection::vec(
                (
                    title_strategy(),
                    prop::collection::vec((title_strategy(), paragraphs(refs)), 1..3),
                ),
                0..3,
            ),
        )
            .prop_map(|(title, refs, lead, flat, parented)| {
                let mut doc = Document::new(Source::given("gen.txt", Format::Scraped));
                doc.title = title;
                doc.blocks = lead;
                let heading = |level, text: String| Block::Heading {
                    level,
                    inlines: vec![Inline::text(text)],
                };
                for (name, body) in flat {
                    doc.blocks.push(heading(2, name));
                    doc.blocks.extend(body);
                }
                for (name, children) in parented {
                    doc.blocks.push(heading(2, name));
                    for (child, body) in children {
                        doc.blocks.push(heading(3, child));
                        doc.blocks.extend(body);
                    }
                }
                if refs > 0 {
                    doc.blocks.push(heading(2, "参考资料".into()));
                }
                doc.references = (1..=refs)
                    .map(|n| Reference {
                        id: n.to_string(),
                        kind: "webpage".into(),
                        custom: ReferenceCustom {
                            raw: format!("来源{n}. 网站. 2025-07-0{n} [2025-07-11] (英语)."),
                            ..ReferenceCustom::default()
                        },
                        ..Reference::default()
                    })
                    .collect();
                doc
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn canonical_view_round_trip(doc in view_document()) {
        let text = zhnorm_doc::to_markdown(&doc);
        let parsed = markdown::read(&text, Source::given("gen.md", Format::Canonical));
        prop_assert!(parsed.document.diagnostics.is_empty(), "{:?}", parsed.document.diagnostics);
        assert_read_back(&doc, &parsed)?;
    }

    #[test]
    fn scraped_round_trip(doc in scraped_document()) {
        let text = scraped::write(&doc);
        let parsed = scraped::read(&text, Source::given("gen.txt", Format::Scraped));
        let mut cites: Vec<(String, u32)> = Vec::new();
        for_each_inline(&doc.blocks, &mut |inline| {
            if let Inline::Cite { reference } = inline {
                match cites.iter_mut().find(|(id, _)| id == reference) {
                    Some((_, n)) => *n += 1,
                    None => cites.push((reference.clone(), 1)),
                }
            }
        });
        for (reference, raw) in doc.references.iter().zip(&parsed.raw_references) {
            let count = cites.iter().find(|(id, _)| *id == reference.id).map_or(0, |(_, n)| *n);
            prop_assert_eq!(&raw.raw, &reference.custom.raw);
            prop_assert_eq!(raw.backlinks, count.max(1));
        }
        assert_read_back(&doc, &parsed)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Malformed input is data: no reader panics, whatever the text.
    #[test]
    fn readers_never_panic(
        text in prop_oneof![
            "\\PC{0,200}",
            "[\\[\\]()*_#>|{}^!<`\\\\\n -]{0,120}",
            "([编辑甲乙。,.:0-9a-z\\[\\]|^-]{0,12}\n){0,12}",
        ]
    ) {
        for format in [Format::Scraped, Format::Markdown, Format::Canonical] {
            let parsed = zhnorm_formats::read(&text, Source::given("any", format));
            for diagnostic in &parsed.document.diagnostics {
                prop_assert!(diagnostic.line.is_none_or(|l| l >= 1));
                prop_assert!(diagnostic.column.is_none_or(|c| c >= 1));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever a scrape holds, no text node of the document keeps a markup token: the stray
    /// `]]` of a broken caption, `[[`, `{{`, `}}`, or a `||` run.
    #[test]
    fn scraped_text_keeps_no_markup_residue(
        text in "(甲[编辑]?(\\[\\[|\\]\\]|\\{\\{|\\}\\}|\\|\\||[|\\[\\]{}a1 ]|\\[1\\]|\\[a\\]|乙){0,10}\n){1,8}(参考资料\n[编辑]- \\^ (\\]\\]|题|\\|\\||\\{\\{x\\}\\}|[. ]){0,6}\n)?"
    ) {
        let parsed = scraped::read(&text, Source::given("any.txt", Format::Scraped));
        let mut residue = Vec::new();
        for_each_inline(&parsed.document.blocks, &mut |inline| {
            if let Inline::Text { text } = inline
                && ["[[", "]]", "{{", "}}", "||"].iter().any(|t| text.contains(t))
            {
                residue.push(text.clone());
            }
        });
        prop_assert!(residue.is_empty(), "{residue:?} in {text:?}");
        for reference in &parsed.raw_references {
            prop_assert!(
                !["[[", "]]", "{{", "}}", "||"].iter().any(|t| reference.raw.contains(t)),
                "{:?}", reference.raw
            );
        }
    }
}

/// What the view writes right after a citation or before a link reads back as it was:
/// `[^r1](乙)` would read back as a link and lose the citation, `甲![链接](…)` as an image,
/// `[^r1][俄语](…)` as the text `[^r1]` and a link.
#[test]
fn what_follows_a_citation_or_precedes_a_link_reads_back_as_written() {
    let mut doc = Document::new(Source::given("gen.md", Format::Canonical));
    doc.id = "甲".into();
    doc.title = "甲".into();
    doc.lang = "zh-Hans".into();
    doc.blocks = vec![Block::Paragraph {
        inlines: vec![
            Inline::text("甲"),
            Inline::Cite {
                reference: "r1".into(),
            },
            Inline::text("(使用时需加入参考System.Numerics.dll)嗎!"),
            Inline::Link {
                kind: LinkKind::Wiki,
                target: "乙页".into(),
                inlines: vec![Inline::text("乙")],
            },
            Inline::Cite {
                reference: "r1".into(),
            },
            Inline::Link {
                kind: LinkKind::Wiki,
                target: "俄语".into(),
                inlines: vec![Inline::text("俄语")],
            },
        ],
    }];
    doc.references = vec![Reference {
        id: "r1".into(),
        kind: "webpage".into(),
        title: Some("标题".into()),
        url: Some("https://example.org/1".into()),
        ..Reference::default()
    }];
    let text = zhnorm_doc::to_markdown(&doc);
    let parsed = markdown::read(&text, Source::given("gen.md", Format::Canonical));
    assert_eq!(parsed.document.blocks, doc.blocks, "{text}");
}
