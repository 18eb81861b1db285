//! The seeds in `corpus/raw/`, read by the real readers and run through the references stage.

use std::path::Path;

use zhnorm_doc::{Document, Format, Inline, Name, Reference, Source, codes, for_each_inline};

fn run(file: &str, format: Format) -> Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/raw")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let parsed = zhnorm_formats::read(&text, Source::given(file, format));
    let mut doc = parsed.document;
    zhnorm_refs::normalize(&mut doc, parsed.raw_references);
    doc
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

/// Every citation names a record, and every record is cited or carries a diagnostic.
fn assert_linked(doc: &Document) {
    let cited = citations(doc);
    for id in &cited {
        assert!(
            doc.references.iter().any(|r| &r.id == id),
            "citation of missing record {id}"
        );
    }
    for record in &doc.references {
        if !cited.contains(&record.id) {
            assert!(
                doc.diagnostics
                    .iter()
                    .any(|d| d.code == codes::REFERENCE_NEVER_CITED.code
                        && d.message.contains(&format!("({})", record.id))),
                "{} is neither cited nor reported",
                record.id
            );
        }
    }
}

fn by_title<'a>(doc: &'a Document, title: &str) -> &'a Reference {
    doc.references
        .iter()
        .find(|r| r.title.as_deref() == Some(title))
        .unwrap_or_else(|| panic!("no record titled {title}"))
}

#[test]
fn seed_000_wikitext() {
    let doc = run("000_a9552459ec1571fc.txt", Format::Wikitext);
    assert_linked(&doc);
    assert_eq!(doc.references.len(), 7);

    let relations = by_title(&doc, "阿塞拜疆同俄罗斯的关系");
    assert_eq!(
        relations.publisher.as_deref(),
        Some("中国社会科学院俄罗斯东欧中亚研究所")
    );
    assert_eq!(
        relations.custom.archive_url.as_deref(),
        Some("https://web.archive.org/web/20140715021856/http://euroasia.cass.cn/news/105606.htm")
    );
    assert_eq!(relations.custom.archive_date.as_deref(), Some("2014-07-15"));
    assert_eq!(relations.custom.url_status.as_deref(), Some("dead"));

    let cri = by_title(&doc, "俄罗斯与阿塞拜疆重视发展双边关系");
    assert_eq!(
        cri.author,
        vec![Name::Literal {
            literal: "李忠庆".into()
        }]
    );
    assert_eq!(cri.container_title.as_deref(), Some("国际在线"));
    assert_eq!(cri.issued.as_deref(), Some("2006-02-24"));
    assert_eq!(cri.accessed.as_deref(), Some("2014-07-06"));
    assert_eq!(cri.kind, "article-newspaper");
}

fn by_label<'a>(doc: &'a Document, label: &str) -> &'a Reference {
    doc.references
        .iter()
        .find(|r| r.custom.label.as_deref() == Some(label))
        .unwrap_or_else(|| panic!("no record labelled {label}"))
}

#[test]
fn seed_003_scraped() {
    let doc = run("003_edabeb56969b9ff1.txt", Format::Scraped);
    assert_linked(&doc);
    assert_eq!(doc.references.len(), 18);
    assert!(
        doc.references
            .iter()
            .all(|r| r.custom.url_lost && r.url.is_none())
    );

    let reuters = by_label(&doc, "6");
    assert_eq!(reuters.id, "r6");
    assert_eq!(
        reuters.author,
        vec![
            Name::Structured {
                family: "Bagirova".into(),
                given: "Nailia".into()
            },
            Name::Structured {
                family: "Stolyarov".into(),
                given: "Gleb".into()
            },
        ]
    );
    assert_eq!(
        reuters.title.as_deref(),
        Some("Russian air-defense system downed Azerbaijan plane, sources say")
    );
    assert_eq!(reuters.container_title.as_deref(), Some("Reuters"));
    assert_eq!(reuters.issued.as_deref(), Some("2024-12-26"));
    assert_eq!(reuters.accessed.as_deref(), Some("2025-07-07"));
    assert_eq!(reuters.language.as_deref(), Some("en"));

    let guardian = by_label(&doc, "7");
    assert_eq!(guardian.issn.as_deref(), Some("0261-3077"));
    assert_eq!(guardian.language.as_deref(), Some("en-GB"));
    assert_eq!(by_label(&doc, "14").language.as_deref(), Some("zh-CN"));

    let dw = by_label(&doc, "8");
    assert_eq!(citations(&doc).iter().filter(|id| **id == dw.id).count(), 4);
}

#[test]
fn seed_004_markdown() {
    let doc = run("004_05b906160e962e71.txt", Format::Markdown);
    assert_linked(&doc);
    assert_eq!(doc.references.len(), 11);
    let complete = doc
        .references
        .iter()
        .filter(|r| r.title.is_some() && r.url.is_some());
    assert_eq!(complete.count(), 9);
    let empty: Vec<(&str, Option<u32>)> = doc
        .diagnostics
        .iter()
        .filter(|d| d.code == codes::EMPTY_REFERENCE.code)
        .map(|d| (d.message.as_str(), d.line))
        .collect();
    assert_eq!(empty.len(), 2, "{empty:?}");
    for label in ["6", "9"] {
        let record = by_label(&doc, label);
        assert_eq!(record.custom.raw, "");
        assert!(
            citations(&doc).contains(&record.id),
            "empty reference {label} is cited"
        );
    }
}
