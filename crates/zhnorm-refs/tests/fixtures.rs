//! Data-driven tests: every `test_data/*.input.json` is a document's citations and raw
//! references shaped as the readers deliver them; `*.expected.json` beside it holds the exact
//! records, rewritten citations and diagnostics. `UPDATE_EXPECT=1 cargo test -p zhnorm-refs`
//! rewrites the expectations.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zhnorm_doc::{
    Block, Diagnostic, Document, Format, Inline, Location, RawReference, Reference, Source,
    Template, for_each_inline,
};

/// A [`RawReference`] as JSON (the model type is not serializable: it never leaves memory).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureReference {
    key: String,
    #[serde(default)]
    format: Option<Format>,
    #[serde(default)]
    raw: String,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    templates: Vec<FixtureTemplate>,
    #[serde(default)]
    inlines: Vec<Inline>,
    #[serde(default)]
    backlinks: u32,
    #[serde(default)]
    location: Option<Location>,
    #[serde(default)]
    listed: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureTemplate {
    name: String,
    params: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    /// Citation keys in document order.
    citations: Vec<String>,
    raw_references: Vec<FixtureReference>,
}

#[derive(Debug, Serialize)]
struct Output {
    citations: Vec<String>,
    references: Vec<Reference>,
    diagnostics: Vec<Diagnostic>,
}

fn raw_reference(f: FixtureReference) -> RawReference {
    RawReference {
        key: f.key,
        format: f.format,
        raw: f.raw,
        label: f.label,
        group: f.group,
        name: f.name,
        templates: f
            .templates
            .into_iter()
            .map(|t| Template {
                name: t.name,
                params: t.params,
            })
            .collect(),
        inlines: f.inlines,
        backlinks: f.backlinks,
        location: f.location,
        listed: f.listed,
    }
}

/// Runs the references stage on one fixture and compares with its expectation.
fn check(input_path: &Path) {
    let input: Input = serde_json::from_str(&std::fs::read_to_string(input_path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", input_path.display()));
    let mut doc = Document::new(Source::given("fixture", Format::Wikitext));
    doc.blocks.push(Block::Paragraph {
        inlines: input
            .citations
            .iter()
            .map(|key| Inline::Cite {
                reference: key.clone(),
            })
            .collect(),
    });
    zhnorm_refs::normalize(
        &mut doc,
        input
            .raw_references
            .into_iter()
            .map(raw_reference)
            .collect(),
    );

    let mut citations = Vec::new();
    for_each_inline(&doc.blocks, &mut |inline| {
        if let Inline::Cite { reference } = inline {
            citations.push(reference.clone());
        }
    });
    for id in &citations {
        assert!(
            doc.references.iter().any(|r| &r.id == id),
            "citation of missing record {id}"
        );
    }
    let actual = Output {
        citations,
        references: doc.references,
        diagnostics: doc.diagnostics,
    };
    let actual = serde_json::to_string_pretty(&actual).unwrap() + "\n";

    let expected_path = expected_path(input_path);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&expected_path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with UPDATE_EXPECT=1",
            expected_path.display()
        )
    });
    if expected != actual {
        let diff_at = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b);
        panic!(
            "{} differs from the expectation (first differing line {:?}); run with UPDATE_EXPECT=1 to accept.\n--- actual ---\n{actual}",
            input_path.display(),
            diff_at.map(|i| i + 1),
        );
    }
}

/// Compares `actual` with the file at `expected_path` (or rewrites it under `UPDATE_EXPECT`).
fn compare(input_path: &Path, expected_path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(expected_path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(expected_path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with UPDATE_EXPECT=1",
            expected_path.display()
        )
    });
    if expected != actual {
        let diff_at = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b);
        panic!(
            "{} differs from the expectation (first differing line {:?}); run with UPDATE_EXPECT=1 to accept.\n--- actual ---\n{actual}",
            input_path.display(),
            diff_at.map(|i| i + 1),
        );
    }
}

/// A whole wikitext article (`test_data/articles/NAME.wikitext`) through the real reader and
/// the references stage: its citations, records and the stage's diagnostics.
fn check_article(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/articles");
    let input_path = dir.join(format!("{name}.wikitext"));
    let text = std::fs::read_to_string(&input_path).unwrap();
    let parsed = zhnorm_formats::read(
        &text,
        Source::given(format!("{name}.wikitext"), Format::Wikitext),
    );
    let mut doc = parsed.document;
    let before = doc.diagnostics.len();
    zhnorm_refs::normalize(&mut doc, parsed.raw_references);
    let mut citations = Vec::new();
    for_each_inline(&doc.blocks, &mut |inline| {
        if let Inline::Cite { reference } = inline {
            citations.push(reference.clone());
        }
    });
    for id in &citations {
        assert!(
            doc.references.iter().any(|r| &r.id == id),
            "citation of missing record {id}"
        );
    }
    let actual = Output {
        citations,
        references: doc.references,
        diagnostics: doc.diagnostics.split_off(before),
    };
    let actual = serde_json::to_string_pretty(&actual).unwrap() + "\n";
    compare(
        &input_path,
        &dir.join(format!("{name}.expected.json")),
        &actual,
    );
}

/// `{{sfn}}`, `{{harvnb}}` and a bibliography list: anchors by `{{sfnRef}}` and `ref=harv`, a
/// locator per citation, an entry nobody cites (not flagged), a short citation naming nothing.
#[test]
fn article_sfn() {
    check_article("sfn");
}

/// Hand-written footnotes: GB/T 7714 of each type code, APA, Chicago, two citations in one
/// footnote, the Chinese style, an explanatory note, a labelled link, a hand-written short form.
#[test]
fn article_handwritten() {
    check_article("handwritten");
}

fn expected_path(input: &Path) -> PathBuf {
    let name = input.file_name().unwrap().to_str().unwrap();
    input.with_file_name(name.replace(".input.json", ".expected.json"))
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_str().is_some_and(|s| s.ends_with(".input.json")))
        .collect();
    paths.sort();
    paths
}

macro_rules! fixture_tests {
    ($($name:ident => $file:literal,)*) => {
        $(#[test]
        fn $name() {
            check(&Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(concat!($file, ".input.json")));
        })*

        /// Every fixture on disk has a test above, so none is silently skipped.
        #[test]
        fn every_fixture_is_tested() {
            let listed = [$($file),*];
            for path in fixtures() {
                let name = path.file_name().unwrap().to_str().unwrap().trim_end_matches(".input.json").to_owned();
                assert!(listed.contains(&name.as_str()), "fixture {name} has no test");
            }
        }
    };
}

fixture_tests! {
    seed_000_wikitext => "seed_000_wikitext",
    seed_003_scraped => "seed_003_scraped",
    seed_004_markdown => "seed_004_markdown",
    wikitext_cite_parameters => "wikitext_cite_parameters",
    wikitext_links => "wikitext_links",
    scraped_shapes => "scraped_shapes",
    scraped_grammar => "scraped_grammar",
    markdown_items => "markdown_items",
    dates => "dates",
    languages => "languages",
    urls => "urls",
    linking => "linking",
}
