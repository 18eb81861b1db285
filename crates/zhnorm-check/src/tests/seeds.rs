//! The seeds of `corpus/raw/` through the checks and the human reporter. Until the readers
//! land, the documents are built here the way the readers and the references stage will
//! build them (the located `M007` of seed 000 is the wikitext reader's).

use std::path::Path;

use zhnorm_doc::{
    Block, Diagnostic, Document, Format, Inline, Location, Reference, ReferenceCustom, Source,
    codes,
};

use super::{expect_file, test_data};
use crate::{Config, FileReport, FixSafety, apply_fixes, finish_document, render_human};

fn seed(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/raw")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn paragraph(text: &str) -> Block {
    Block::Paragraph {
        inlines: vec![Inline::text(text)],
    }
}

fn human(doc: &Document, source: &str) -> String {
    render_human(
        &[FileReport {
            path: &doc.source.path,
            id: &doc.id,
            source_text: Some(source),
            diagnostics: &doc.diagnostics,
        }],
        false,
    )
}

#[test]
fn seed_000_stray_brackets_show_with_their_source_line() {
    let name = "000_a9552459ec1571fc.txt";
    let source = seed(name);
    let mut doc = Document::new(Source::given(
        format!("corpus/raw/{name}"),
        Format::Wikitext,
    ));
    doc.id = "阿塞拜疆－俄罗斯关系".into();
    doc.title = doc.id.clone();
    doc.diagnostics.push(
        Diagnostic::new(
            &codes::BROKEN_IMAGE_CAPTION,
            "stray `]]` after an image caption",
        )
        .at(Location {
            line: 7,
            column: 137,
        }),
    );
    finish_document(&mut doc, Some(&source), &Config::default());
    let text = human(&doc, &source);
    expect_file(&test_data("seeds/000.human.expected.txt"), &text);
    assert!(text.contains("warning[M007]"), "{text}");
    assert!(text.contains(&format!("corpus/raw/{name}:7:137")), "{text}");
    assert!(
        text.contains("7 | ...攝於[[蓋達爾·阿利耶夫國際機場|蓋達爾·阿利耶夫國際機場]]]]"),
        "{text}"
    );
}

#[test]
fn seed_004_empty_references_and_empty_brackets() {
    let name = "004_05b906160e962e71.txt";
    let source = seed(name);
    let mut doc = Document::new(Source::given(
        format!("corpus/raw/{name}"),
        Format::Markdown,
    ));
    doc.id = "阿塞拜疆－爱沙尼亚关系".into();
    doc.title = doc.id.clone();
    doc.blocks = vec![
        Block::Heading {
            level: 2,
            inlines: vec![Inline::text("文化關係")],
        },
        Block::Paragraph {
            inlines: vec![
                Inline::text("1990年起，阿塞拜疆主日學校（）在塔林設有分校"),
                Inline::Cite {
                    reference: "r1".into(),
                },
                Inline::Cite {
                    reference: "r2".into(),
                },
                Inline::Cite {
                    reference: "r3".into(),
                },
            ],
        },
    ];
    let reference = |id: &str, label: &str, raw: &str, title: Option<&str>| Reference {
        id: id.into(),
        kind: "webpage".into(),
        title: title.map(Into::into),
        url: title.map(|_| "https://example.org/a".into()),
        custom: ReferenceCustom {
            raw: raw.into(),
            label: Some(label.into()),
            ..ReferenceCustom::default()
        },
        ..Reference::default()
    };
    doc.references = vec![
        reference("r1", "6", "6.", None),
        reference("r2", "9", "9.", None),
        reference("r3", "11", "11. 东方文化学院", Some("东方文化学院")),
    ];
    finish_document(&mut doc, Some(&source), &Config::default());
    let text = human(&doc, &source);
    expect_file(&test_data("seeds/004.human.expected.txt"), &text);
    let codes: Vec<&str> = doc.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["S005", "R003", "R003"], "{text}");
    assert!(
        text.contains("empty brackets `（）` in section “文化關係”"),
        "{text}"
    );
}

#[test]
fn seed_003_half_width_punctuation_is_counted_then_fixed() {
    let name = "003_edabeb56969b9ff1.txt";
    let source = seed(name);
    let mut doc = Document::new(Source::given(format!("corpus/raw/{name}"), Format::Scraped));
    doc.id = "2025年阿塞拜疆—俄罗斯外交危机".into();
    doc.title = doc.id.clone();
    // The body only: the reference list (`- ^ …` lines) is the references stage's.
    doc.blocks = source
        .lines()
        .skip(1)
        .filter(|line| !line.contains("- ^"))
        .map(paragraph)
        .collect();
    let mut config = Config::default();
    config.select(&["T001"]).unwrap();
    let mut checked = doc.clone();
    finish_document(&mut checked, Some(&source), &config);
    let text = human(&checked, &source);
    expect_file(&test_data("seeds/003.human.expected.txt"), &text);
    assert!(
        text.contains("warning[T001]: 57 half-width punctuation marks"),
        "{text}"
    );

    let edits = apply_fixes(&mut doc, &config, FixSafety::Safe);
    assert_eq!(edits, 57);
    finish_document(&mut doc, Some(&source), &config);
    assert_eq!(doc.diagnostics, []);
    assert_eq!(doc.repairs["fixed-half-width-punctuation"], 57);
}

/// A seed through the real reader and references stage, then the checks; the human report.
fn through_the_readers(name: &str, format: Format) -> (Document, String) {
    let source = seed(name);
    let parsed = zhnorm_formats::read(&source, Source::given(format!("corpus/raw/{name}"), format));
    let mut doc = parsed.document;
    zhnorm_refs::normalize(&mut doc, parsed.raw_references);
    finish_document(&mut doc, Some(&source), &Config::default());
    let text = human(&doc, &source);
    (doc, text)
}

// These run the other crates' current readers, so they assert what the issue asks for rather
// than a whole committed output that any reader improvement would make stale.

#[test]
fn seed_000_through_the_wikitext_reader() {
    let (_, text) = through_the_readers("000_a9552459ec1571fc.txt", Format::Wikitext);
    let m007 = text
        .find("warning[M007]")
        .unwrap_or_else(|| panic!("{text}"));
    let block = &text[m007..];
    assert!(block.contains("000_a9552459ec1571fc.txt:7:"), "{text}");
    let source_line = block.lines().nth(3).unwrap_or_default();
    assert!(
        source_line.starts_with("7 | ") && source_line.ends_with("阿利耶夫國際機場]]]]"),
        "{text}"
    );
    let caret = block.lines().nth(4).unwrap_or_default();
    assert!(
        caret.trim_end().ends_with("^ broken-image-caption"),
        "{text}"
    );
}

#[test]
fn seed_004_through_the_markdown_reader() {
    let (doc, text) = through_the_readers("004_05b906160e962e71.txt", Format::Markdown);
    let count = |code: &str| doc.diagnostics.iter().filter(|d| d.code == code).count();
    assert_eq!(count("R003"), 2, "{text}");
    let s005 = doc
        .diagnostics
        .iter()
        .find(|d| d.code == "S005" && d.message.contains("（）"))
        .unwrap_or_else(|| panic!("{text}"));
    // The line of the paragraph under `## 文化關係`, shown with its source line.
    assert_eq!(s005.line, Some(13), "{text}");
    assert!(text.contains("13 | "), "{text}");
}

#[test]
fn seed_003_half_width_punctuation_is_repaired_by_the_reader_or_reported() {
    let (doc, text) = through_the_readers("003_edabeb56969b9ff1.txt", Format::Scraped);
    let repaired = doc
        .repairs
        .get("half_width_punctuation")
        .copied()
        .unwrap_or(0);
    let reported = doc.diagnostics.iter().any(|d| d.code == "T001");
    assert!(repaired > 0 || reported, "{text}");
}
