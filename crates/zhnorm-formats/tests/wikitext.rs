//! Tests of the wikitext reader: fixtures with committed expectations, the seed article, and
//! properties that must hold for any input (no panic, linear time, bounded stack).
//!
//! Fixtures are `test_data/wikitext/<case>.wikitext` with `<case>.expected.json` beside them:
//! the serialized document and a compact rendering of its raw references. Run with
//! `UPDATE_EXPECT=1` to rewrite the expectations after a deliberate change, then review the diff.

use std::path::{Path, PathBuf};
use std::time::Instant;

use proptest::prelude::*;
use serde_json::{Value, json};
use zhnorm_doc::{Block, Format, Inline, Source, codes, for_each_inline, plain_text};
use zhnorm_formats::{Parsed, wikitext};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/wikitext")
}

fn read(text: &str, path: &str) -> Parsed {
    wikitext::read(text, Source::given(path, Format::Wikitext))
}

/// The document and a compact rendering of its raw references, as committed beside a fixture.
fn render(parsed: &Parsed) -> Value {
    let references: Vec<Value> = parsed
        .raw_references
        .iter()
        .map(|r| {
            let mut links = Vec::new();
            let blocks = [Block::Paragraph {
                inlines: r.inlines.clone(),
            }];
            for_each_inline(&blocks, &mut |inline| {
                if let Inline::Link { target, .. } = inline {
                    links.push(target.clone());
                }
            });
            json!({
                "key": r.key,
                "name": r.name,
                "group": r.group,
                "at": r.location.map(|l| format!("{}:{}", l.line, l.column)),
                "raw": r.raw,
                "text": plain_text(&r.inlines),
                "links": links,
                "templates": r.templates.iter().map(|t| json!({
                    "name": t.name,
                    "params": t.params.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "document": parsed.document,
        "raw_references": references,
    })
}

/// Reads `test_data/wikitext/<case>.wikitext` and compares with `<case>.expected.json`.
fn check(case: &str) -> Result<(), String> {
    let input_path = fixture_dir().join(format!("{case}.wikitext"));
    let expected_path = fixture_dir().join(format!("{case}.expected.json"));
    let input = std::fs::read_to_string(&input_path).map_err(|e| format!("{case}: {e}"))?;
    let actual = serde_json::to_string_pretty(&render(&read(&input, &format!("{case}.wikitext"))))
        .map_err(|e| e.to_string())?
        + "\n";
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&expected_path, &actual).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(&expected_path)
        .map_err(|e| format!("{case}: no expectation ({e}); run with UPDATE_EXPECT=1"))?;
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        return Err(format!(
            "{case}: output differs from {} from line {} (expected {:?}, got {:?}); rerun with UPDATE_EXPECT=1 if the change is right",
            expected_path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or(""),
            actual.lines().nth(line).unwrap_or(""),
        ));
    }
    Ok(())
}

#[test]
fn fixtures() {
    let mut cases: Vec<String> = std::fs::read_dir(fixture_dir())
        .expect("fixture folder")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            Some(name.strip_suffix(".wikitext")?.to_owned())
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "fixtures went missing: {cases:?}");
    let failures: Vec<String> = cases.iter().filter_map(|c| check(c).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const RESIDUE: &[&str] = &[
    "[[", "]]", "{{", "}}", "'''", "<ref", "-{", "}-", "|}", "{|",
];

fn text_nodes(parsed: &Parsed) -> Vec<String> {
    let mut texts = Vec::new();
    let mut blocks = parsed.document.blocks.clone();
    for r in &parsed.raw_references {
        blocks.push(Block::Paragraph {
            inlines: r.inlines.clone(),
        });
    }
    for_each_inline(&blocks, &mut |inline| {
        if let Inline::Text { text } = inline {
            texts.push(text.clone());
        }
    });
    texts
}

#[test]
fn seed_000_reads_as_the_foundation_expects() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/raw/000_a9552459ec1571fc.txt");
    let text = std::fs::read_to_string(path).expect("seed 000 is in the repository");
    let parsed = read(&text, "000_a9552459ec1571fc.txt");
    let doc = &parsed.document;
    assert_eq!(doc.title, "阿塞拜疆－俄羅斯關係");
    let headings: Vec<String> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { inlines, .. } => Some(plain_text(inlines)),
            _ => None,
        })
        .collect();
    assert_eq!(headings, ["概況", "歷史", "參考"]);
    assert_eq!(parsed.raw_references.len(), 7);
    let mut cites = Vec::new();
    for_each_inline(&doc.blocks, &mut |i| {
        if let Inline::Cite { reference } = i {
            cites.push(reference.clone());
        }
    });
    assert_eq!(cites.len(), 7);
    for key in &cites {
        assert!(parsed.raw_references.iter().any(|r| &r.key == key), "{key}");
    }
    assert_eq!(doc.categories, ["俄羅斯雙邊關係", "阿塞拜疆雙邊關係"]);
    assert_eq!(doc.conversion.groups, ["地名"]);
    let visible = zhnorm_doc::visible_text(doc);
    assert!(visible.contains("Российско-азербайджанские отношения"));
    assert!(visible.contains("新任总统埃利奇別伊上台") || visible.contains("埃利奇別伊上台"));
    let stray: Vec<_> = doc
        .diagnostics
        .iter()
        .filter(|d| d.code == codes::BROKEN_IMAGE_CAPTION.code)
        .map(|d| (d.line, d.column))
        .collect();
    assert_eq!(stray, [(Some(7), Some(138))]);
    for text in text_nodes(&parsed) {
        for token in RESIDUE {
            assert!(!text.contains(token), "{token} left in {text:?}");
        }
    }
    let figure_caption = doc.blocks.iter().find_map(|b| match b {
        Block::Figure { caption, .. } => Some(plain_text(caption)),
        _ => None,
    });
    assert_eq!(
        figure_caption.as_deref(),
        Some("普京和阿塞拜疆總統阿利耶夫，攝於蓋達爾·阿利耶夫國際機場")
    );
    let cite_web = &parsed.raw_references[5].templates[0];
    assert_eq!(cite_web.name, "Cite web");
    assert_eq!(cite_web.param(&["archivedate"]), Some("2014-07-15"));
}

/// Fragments of wikitext, well- and ill-formed, that the property tests combine.
const FRAGMENTS: &[&str] = &[
    "[[",
    "]]",
    "{{",
    "}}",
    "[[File:a.jpg|缩略图|",
    "[[Category:甲|",
    "|",
    "||",
    "!!",
    "=",
    "==",
    "\n",
    "\n\n",
    "\n{|",
    "\n|}",
    "\n|-",
    "\n!",
    "\n|",
    "\n*",
    "\n#",
    "\n;",
    "\n:",
    "\n== ",
    " ==\n",
    "'''",
    "''",
    "'",
    "<ref>",
    "</ref>",
    "<ref name=\"a\"/>",
    "<ref name=a>",
    "<ref group=\"注\">",
    "<!--",
    "-->",
    "<nowiki>",
    "</nowiki>",
    "<pre>",
    "</pre>",
    "<math>",
    "</math>",
    "<sup>",
    "</sup>",
    "<br>",
    "<gallery>",
    "</gallery>",
    "<blockquote>",
    "</blockquote>",
    "<poem>",
    "</poem>",
    "-{",
    "}-",
    "-{H|",
    "zh-hans:",
    ";zh-hant:",
    "=>",
    "{{lang-ru|",
    "{{link-en|",
    "{{cite web|url=",
    "{{reflist|refs=",
    "{{noteTA|G1=",
    "{{Infobox X|a=",
    "[http://example.org ",
    "]",
    "https://example.org/x",
    "&nbsp;",
    "&#x4e2d;",
    "__TOC__",
    "巴库",
    "阿塞拜疆",
    "text",
    " ",
    "：",
    "。",
];

fn fragments() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..200).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_leaves_no_brackets_in_text(input in fragments()) {
        let parsed = read(&input, "x");
        // Every diagnostic about the source has a location; S007 (no title) is about the whole
        // document.
        for d in parsed.document.diagnostics.iter().filter(|d| d.code != codes::NO_TITLE.code) {
            prop_assert!(d.line.is_some_and(|l| l >= 1) && d.column.is_some_and(|c| c >= 1));
        }
        for text in text_nodes(&parsed) {
            for token in RESIDUE {
                prop_assert!(!text.contains(token), "{token} left in {text:?} from {input:?}");
            }
        }
        let json = serde_json::to_string(&parsed.document);
        prop_assert!(json.is_ok());
    }

    #[test]
    fn never_panics_on_arbitrary_text(input in "\\PC{0,300}") {
        read(&input, "x");
    }
}

/// Runs `f` on a thread with a small stack, so that deep recursion fails the test.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("the reader overflowed or panicked");
}

#[test]
fn ten_thousand_nested_openers_do_not_overflow_the_stack() {
    on_small_stack(|| {
        let n = 10_000;
        let inputs = [
            format!("{}{}", "{{a|".repeat(n), "}}".repeat(n)),
            format!("{}{}", "[[a|".repeat(n), "]]".repeat(n)),
            "{{".repeat(n),
            "[[".repeat(n),
            format!("{}{}", "-{".repeat(n), "}-".repeat(n)),
            format!("{}x{}", "<sup>".repeat(n), "</sup>".repeat(n)),
            format!("{}x{}", "<blockquote>".repeat(n), "</blockquote>".repeat(n)),
            format!("{}x", "'''''".repeat(n)),
            format!("{}x{}", "[[File:a.jpg|".repeat(n), "]]".repeat(n)),
            format!("{}x", "\n:{|".repeat(n)),
            format!(
                "{}x{}",
                "<ref>{{cite web|title=".repeat(n),
                "}}</ref>".repeat(n)
            ),
        ];
        for input in inputs {
            let parsed = read(&input, "deep");
            // Serializing and dropping the output must not recurse deeply either.
            serde_json::to_string(&parsed.document).expect("serializes");
        }
    });
}

/// CPU seconds of this thread when the platform tells (Linux), else wall-clock seconds.
fn seconds_to_read(input: &str) -> f64 {
    fn cpu() -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        Some(stat.split_whitespace().next()?.parse::<f64>().ok()? / 1e9)
    }
    let (wall, cpu_start) = (Instant::now(), cpu());
    for _ in 0..3 {
        std::hint::black_box(read(input, "x"));
    }
    match (cpu_start, cpu()) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => wall.elapsed().as_secs_f64(),
    }
}

#[test]
fn time_grows_linearly_with_input() {
    // Patterns that would make a naive reader quadratic: unclosed openers that each search to
    // the end, and closers that each search the whole stack.
    let patterns = [
        "[[a ",
        "{{a|",
        "<ref>a ",
        "[http://example.org a ",
        "-{a ",
        "<!--",
        "}}]]}-",
        "<sup>a</b>",
        "'''a''",
        "''''''",
        "]</pre>]",
        "{{a|[[b|",
        "\n{|\n|a||b",
        "<ref name=x/>",
    ];
    for pattern in patterns {
        let small = pattern.repeat(2_000);
        let large = pattern.repeat(16_000);
        // Below a few milliseconds the clock says more about the machine than about the reader.
        let t_small = seconds_to_read(&small).max(5e-3);
        let t_large = seconds_to_read(&large);
        // Linear is 8×; quadratic would be 64×. Leave room for noise on a shared machine.
        assert!(
            t_large / t_small < 30.0,
            "{pattern:?}: {t_small:.4}s for 2,000 repeats but {t_large:.4}s for 16,000"
        );
    }
}
