//! Hostile nesting: 10⁴–10⁵ levels of every construct of every reader, read on a thread with the
//! 2 MiB stack of a rayon worker. The readers cap nesting (ARCHITECTURE.md, "Invariants"), so the
//! documents they build are shallow, and serializing them, reading their JSON back, writing
//! their Markdown view and dropping them stays within that stack too. A stack overflow aborts
//! this test binary: that is how these tests failed before the caps.

use proptest::prelude::*;
use zhnorm_doc::{Block, Document, Format, Inline, Source};

/// The stack of a rayon worker thread (and of any thread std spawns by default).
const WORKER_STACK: usize = 2 << 20;

/// serde_json refuses to read JSON nested deeper than this.
const SERDE_JSON_LIMIT: usize = 128;

/// Runs `f` on a thread with a worker's stack.
fn on_worker_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(f)
        .expect("thread starts")
        .join()
        .expect("no panic")
}

/// How deep the JSON text nests (objects and arrays), counted without recursion.
fn json_depth(json: &str) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in json.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth -= 1,
            _ => {}
        }
    }
    max
}

/// How deep lists and quotations nest in `blocks` (a list of lists is 2).
fn block_depth(blocks: &[Block]) -> usize {
    let mut max = 0;
    let mut stack: Vec<(&[Block], usize)> = vec![(blocks, 0)];
    while let Some((blocks, depth)) = stack.pop() {
        max = max.max(depth);
        for block in blocks {
            match block {
                Block::List { items, .. } => {
                    for item in items {
                        stack.push((&item.blocks, depth + 1));
                    }
                }
                Block::Quote { blocks } => stack.push((blocks, depth + 1)),
                _ => {}
            }
        }
    }
    max
}

/// Reads `text` as `format` on a worker's stack and runs every later consumer of the document
/// there too; returns the document and the depth of its canonical JSON.
fn read_deep(text: String, format: Format) -> (Document, usize) {
    on_worker_stack(move || {
        let parsed = zhnorm_formats::read(&text, Source::given("deep.txt", format));
        let document = parsed.document;
        let json = zhnorm_doc::to_canonical_json(&document);
        let depth = json_depth(&json);
        let back = zhnorm_doc::from_canonical_json(&json).expect("canonical JSON reads back");
        assert_eq!(back, document);
        let view = zhnorm_doc::to_markdown(&document);
        let again = zhnorm_formats::read(&view, Source::given("deep.md", Format::Canonical));
        drop(again);
        let _ = zhnorm_doc::visible_text(&document);
        let _ = zhnorm_doc::article_text(&document);
        drop(parsed.raw_references);
        (document, depth)
    })
}

fn deep_inputs(levels: usize) -> Vec<(&'static str, Format, String)> {
    let n = levels;
    let wikitext = |open: &str, middle: &str, close: &str| {
        format!("{}{middle}{}\n", open.repeat(n), close.repeat(n))
    };
    vec![
        ("wikitext *", Format::Wikitext, wikitext("*", "x", "")),
        ("wikitext *#", Format::Wikitext, wikitext("*#", "x", "")),
        ("wikitext :;", Format::Wikitext, wikitext(":;", "x", "")),
        ("wikitext [[", Format::Wikitext, wikitext("[[a|", "x", "]]")),
        (
            "wikitext [[ open",
            Format::Wikitext,
            wikitext("[[", "x", ""),
        ),
        ("wikitext {{", Format::Wikitext, wikitext("{{a|", "x", "}}")),
        (
            "wikitext {{ open",
            Format::Wikitext,
            wikitext("{{a|", "x", ""),
        ),
        (
            "wikitext <ref>",
            Format::Wikitext,
            wikitext("<ref>", "x", "</ref>"),
        ),
        ("wikitext '''", Format::Wikitext, wikitext("'''", "x", "")),
        (
            "wikitext ''''' ",
            Format::Wikitext,
            wikitext("'''''a", "x", "'''''"),
        ),
        ("wikitext -{", Format::Wikitext, wikitext("-{", "x", "}-")),
        (
            "wikitext -{ open",
            Format::Wikitext,
            wikitext("-{", "x", ""),
        ),
        (
            "wikitext {|",
            Format::Wikitext,
            wikitext("{|\n|", "x\n", "|}\n"),
        ),
        (
            "wikitext <div>",
            Format::Wikitext,
            wikitext("<div>", "x", "</div>"),
        ),
        (
            "wikitext <span>",
            Format::Wikitext,
            wikitext("<span>", "x", "</span>"),
        ),
        (
            "wikitext <sup>",
            Format::Wikitext,
            wikitext("<sup>", "x", "</sup>"),
        ),
        ("wikitext <b>", Format::Wikitext, wikitext("<b>", "x", "")),
        (
            "wikitext <blockquote>",
            Format::Wikitext,
            wikitext("<blockquote>", "x", "</blockquote>"),
        ),
        (
            "wikitext <blockquote> lines",
            Format::Wikitext,
            wikitext("<blockquote>\n", "x\n", "</blockquote>\n"),
        ),
        (
            "wikitext * lines",
            Format::Wikitext,
            (1..=n.min(300)).map(|i| "*".repeat(i) + "x\n").collect(),
        ),
        (
            "wikitext * [[ <sup> '''",
            Format::Wikitext,
            format!(
                "{}{}x\n",
                "*".repeat(n),
                "[[a|<sup>'''<blockquote>".repeat(n)
            ),
        ),
        (
            "markdown - <table><b>",
            Format::Markdown,
            format!(
                "{}<table><tr><td>{}x</td></tr></table>\n",
                "- ".repeat(n),
                "<b>".repeat(n)
            ),
        ),
        (
            "markdown > - * <sup>",
            Format::Markdown,
            format!("{}{}x\n", "> - ".repeat(n), "*<sup>_".repeat(n)),
        ),
        (
            "markdown >",
            Format::Markdown,
            format!("{} x\n", ">".repeat(n)),
        ),
        (
            "markdown - ",
            Format::Markdown,
            format!("{}x\n", "- ".repeat(n)),
        ),
        (
            "markdown 1. ",
            Format::Markdown,
            format!("{}x\n", "1. ".repeat(n)),
        ),
        (
            "markdown > - ",
            Format::Markdown,
            format!("{}x\n", "> - ".repeat(n)),
        ),
        (
            "markdown * *",
            Format::Markdown,
            format!("{}a{}\n", "*".repeat(n), "*".repeat(n)),
        ),
        (
            "markdown _ *",
            Format::Markdown,
            format!("{}a{}\n", "_*".repeat(n), "*_".repeat(n)),
        ),
        (
            "markdown [",
            Format::Markdown,
            format!("{}a{}\n", "[".repeat(n), "](b)".repeat(n)),
        ),
        (
            "markdown <sup>",
            Format::Markdown,
            format!("a{}x{}\n", "<sup>".repeat(n), "</sup>".repeat(n)),
        ),
        (
            "markdown <b> open",
            Format::Markdown,
            format!("a{}x\n", "<b>".repeat(n)),
        ),
        (
            "markdown html table",
            Format::Markdown,
            format!(
                "<table><tr><td>{}x{}</td></tr></table>\n",
                "<b>".repeat(n),
                "</b>".repeat(n)
            ),
        ),
        (
            "canonical >",
            Format::Canonical,
            format!("# t\n\n{} x\n", ">".repeat(n)),
        ),
        (
            "canonical - ",
            Format::Canonical,
            format!("# t\n\n{}x\n", "- ".repeat(n)),
        ),
        (
            "scraped tabs",
            Format::Scraped,
            format!("标题\n\n正文。\n{}x\n", "\t".repeat(n)),
        ),
        (
            "scraped tab lines",
            Format::Scraped,
            format!(
                "标题\n\n正文。\n{}",
                (1..=n.min(2000))
                    .map(|i| "\t".repeat(i) + "x\n")
                    .collect::<String>()
            ),
        ),
    ]
}

#[test]
fn deep_nesting_of_every_construct_stays_on_a_worker_stack() {
    for levels in [10_000, 100_000] {
        for (name, format, text) in deep_inputs(levels) {
            let (document, json) = read_deep(text, format);
            assert!(
                json <= SERDE_JSON_LIMIT,
                "{name} × {levels}: canonical JSON nested {json} deep"
            );
            assert!(
                block_depth(&document.blocks) <= 17,
                "{name} × {levels}: blocks nested {} deep",
                block_depth(&document.blocks)
            );
        }
    }
}

#[test]
fn a_list_past_the_limit_keeps_its_deeper_marks_as_text() {
    let text = format!("{}甲\n", "*".repeat(20_000));
    let (document, _) = read_deep(text, Format::Wikitext);
    assert_eq!(block_depth(&document.blocks), 16);
    let mut blocks = &document.blocks;
    while let [Block::List { items, .. }] = blocks.as_slice() {
        blocks = &items[0].blocks;
    }
    assert_eq!(
        blocks,
        &vec![Block::Paragraph {
            inlines: vec![Inline::text(format!("{}甲", "*".repeat(20_000 - 16)))]
        }]
    );
    let found: Vec<(Option<u32>, Option<u32>, &str, &str)> = document
        .diagnostics
        .iter()
        .filter(|d| d.code == "M015")
        .map(|d| (d.line, d.column, d.code.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            Some(1),
            Some(17),
            "M015",
            "list nested 20000 levels deep; levels past 16 kept as text"
        )]
    );
}

#[test]
fn markdown_quotations_past_the_limit_read_as_the_level_above() {
    let text = format!("{} 甲\n", ">".repeat(4_000));
    let (document, _) = read_deep(text, Format::Markdown);
    assert_eq!(block_depth(&document.blocks), 16);
    let mut blocks = &document.blocks;
    while let [Block::Quote { blocks: inner }] = blocks.as_slice() {
        blocks = inner;
    }
    assert_eq!(
        blocks,
        &vec![Block::Paragraph {
            inlines: vec![Inline::text("甲")]
        }]
    );
    let found: Vec<(Option<u32>, Option<u32>, &str)> = document
        .diagnostics
        .iter()
        .filter(|d| d.code == "M015")
        .map(|d| (d.line, d.column, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            Some(1),
            Some(17),
            "quotations and lists nested past 16 levels; the deeper ones read as the level above"
        )]
    );
}

#[test]
fn canonical_json_nested_past_serde_jsons_limit_is_an_error_not_a_crash() {
    // A hand-made document 10,000 quotations deep, as JSON: reading it must fail cleanly.
    let n = 10_000;
    let mut json = String::from(
        r#"{"schema":"zhnorm.doc/1","id":"a","title":"a","lang":"","source":{"path":"a","format":"wikitext","sha256":"","detection":{"format":"wikitext","confidence":1.0,"evidence":[]}},"blocks":["#,
    );
    json.push_str(&r#"{"type":"quote","blocks":["#.repeat(n));
    json.push_str(&"]}".repeat(n));
    json.push_str(r#"],"references":[],"categories":[],"diagnostics":[]}"#);
    let message = on_worker_stack(move || {
        zhnorm_doc::from_canonical_json(&json)
            .expect_err("too deep")
            .to_string()
    });
    assert!(message.starts_with("recursion limit exceeded"), "{message}");
}

/// Openers of every reader's nesting constructs.
fn opener() -> impl Strategy<Value = (Format, &'static str)> {
    prop::sample::select(vec![
        (Format::Wikitext, "*"),
        (Format::Wikitext, "#"),
        (Format::Wikitext, ":"),
        (Format::Wikitext, "[[a|"),
        (Format::Wikitext, "{{a|"),
        (Format::Wikitext, "<ref>"),
        (Format::Wikitext, "'''"),
        (Format::Wikitext, "''"),
        (Format::Wikitext, "-{"),
        (Format::Wikitext, "{|\n|"),
        (Format::Wikitext, "<blockquote>"),
        (Format::Wikitext, "<div>"),
        (Format::Wikitext, "<sup>"),
        (Format::Markdown, ">"),
        (Format::Markdown, "- "),
        (Format::Markdown, "*"),
        (Format::Markdown, "["),
        (Format::Markdown, "<sub>"),
        (Format::Canonical, "> "),
        (Format::Canonical, "1. "),
        (Format::Scraped, "\t"),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Deep mixtures of one format's openers, closed or not: the reader stays within a worker's
    /// stack and its document's JSON within serde_json's limit.
    #[test]
    fn deep_inputs_never_overflow(
        first in opener(),
        more in prop::collection::vec(opener(), 1..6),
        levels in 2_000usize..20_000,
        closed in any::<bool>(),
    ) {
        let format = first.0;
        let openers: Vec<&str> = std::iter::once(first.1)
            .chain(more.into_iter().filter(|(f, _)| *f == format).map(|(_, o)| o))
            .collect();
        let mut text = String::from(if format == Format::Scraped { "标题\n\n正文。\n" } else { "" });
        for i in 0..levels {
            text.push_str(openers[i % openers.len()]);
        }
        text.push('x');
        if closed {
            for i in (0..levels).rev() {
                text.push_str(match openers[i % openers.len()] {
                    "[[a|" => "]]",
                    "{{a|" => "}}",
                    "<ref>" => "</ref>",
                    "-{" => "}-",
                    "{|\n|" => "\n|}\n",
                    "<blockquote>" => "</blockquote>",
                    "<div>" => "</div>",
                    "<sup>" => "</sup>",
                    "<sub>" => "</sub>",
                    "[" => "](b)",
                    o => o,
                });
            }
        }
        text.push('\n');
        let (document, json) = read_deep(text, format);
        prop_assert!(json <= SERDE_JSON_LIMIT, "JSON nested {} deep", json);
        prop_assert!(block_depth(&document.blocks) <= 17);
    }
}

/// Characters that open, close or mark something in one of the readers, and one that does not.
const MARKUP_CHARS: &[char] = &[
    ' ', '\n', '\t', '*', '#', ':', ';', '=', '-', '|', '!', '{', '}', '[', ']', '<', '>', '\'',
    '&', '^', '_', '`', 'a',
];

/// Every input of up to four of these characters, in every reader. Edge positions (a line
/// that ends right after its indentation, a mark at the last byte) are where index arithmetic
/// breaks; random inputs reach them only by luck, so they are enumerated here.
#[test]
fn every_short_markup_input_reads_without_panic_in_every_reader() {
    let mut inputs = vec![String::new()];
    let mut last_length = vec![String::new()];
    for _ in 0..4 {
        let longer: Vec<String> = last_length
            .iter()
            .flat_map(|s| MARKUP_CHARS.iter().map(move |c| format!("{s}{c}")))
            .collect();
        inputs.extend(longer.iter().cloned());
        last_length = longer;
    }
    assert_eq!(
        inputs.len(),
        1 + 23 + 23 * 23 + 23 * 23 * 23 + 23 * 23 * 23 * 23
    );
    for format in [Format::Wikitext, Format::Scraped, Format::Markdown] {
        for input in &inputs {
            let outcome = std::panic::catch_unwind(|| {
                zhnorm_formats::read(input, Source::given("short.txt", format))
            });
            assert!(outcome.is_ok(), "{format:?} reader panicked on {input:?}");
        }
    }
}
