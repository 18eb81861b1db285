//! Measures the wikitext reader on real articles: markup left in text nodes, references
//! accounted for, headings kept, and the visible text of `lang-xx`/`link-xx` templates.
//!
//! `cargo run -p zhnorm-formats --example wikitext_measure [FILE_OR_DIR…]`; with no argument it
//! reads the seed `corpus/raw/000_a9552459ec1571fc.txt` and `../shared/corpus-dev/wikitext/`
//! when that folder exists. Counts in the source are taken with simple regexes, independently
//! of the reader, so that the two can disagree.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use regex::Regex;
use zhnorm_doc::{Block, Format, Inline, Source, for_each_inline};

const RESIDUE: &[&str] = &[
    "[[", "]]", "{{", "}}", "'''", "<ref", "-{", "}-", "|}", "{|",
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--json") {
        // Prints the document and the raw references of one file, for looking at.
        for path in &args[1..] {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let parsed = zhnorm_formats::wikitext::read(
                &text,
                Source::given(path.as_str(), Format::Wikitext),
            );
            println!(
                "{}",
                serde_json::to_string_pretty(&parsed.document).unwrap_or_default()
            );
            for r in &parsed.raw_references {
                println!("{r:?}");
            }
        }
        return;
    }
    let mut files: Vec<PathBuf> = args.drain(..).map(PathBuf::from).collect();
    if files.is_empty() {
        files.push(root.join("corpus/raw/000_a9552459ec1571fc.txt"));
        let dev = root.join("../shared/corpus-dev/wikitext");
        if let Ok(entries) = std::fs::read_dir(&dev) {
            let mut dev_files: Vec<PathBuf> =
                entries.filter_map(|e| Some(e.ok()?.path())).collect();
            dev_files.sort();
            files.extend(dev_files);
        }
    }
    let mut expanded = Vec::new();
    for f in files {
        if f.is_dir() {
            let mut inner: Vec<PathBuf> = std::fs::read_dir(&f)
                .into_iter()
                .flatten()
                .filter_map(|e| Some(e.ok()?.path()))
                .collect();
            inner.sort();
            expanded.extend(inner);
        } else {
            expanded.push(f);
        }
    }
    println!(
        "| file | KB | residue (scrubbed) | refs (reader/source) | citations | headings (reader/source) | lang/link shown | diagnostics | ok |"
    );
    println!("| --- | ---: | ---: | --- | ---: | --- | --- | ---: | --- |");
    let mut all_ok = true;
    for path in expanded {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let text = text.replace("\r\n", "\n");
        let m = measure(&text);
        let ok = m.residue.is_empty()
            && m.refs == m.source_refs
            && m.headings == m.source_headings
            && m.shown == m.templates;
        all_ok &= ok;
        println!(
            "| {} | {:.1} | {} ({}) | {}/{} | {} | {}/{} | {}/{} | {} | {} |",
            path.file_name().unwrap_or_default().to_string_lossy(),
            text.len() as f64 / 1024.0,
            m.residue.len(),
            m.scrubbed,
            m.refs,
            m.source_refs,
            m.citations,
            m.headings,
            m.source_headings,
            m.shown,
            m.templates,
            m.diagnostics,
            if ok { "yes" } else { "NO" }
        );
        for r in m.residue.iter().take(5) {
            println!("    residue: {r}");
        }
        for r in m.missing.iter().take(5) {
            println!("    not shown: {r}");
        }
    }
    println!("all ok: {all_ok}");
}

struct Measure {
    residue: Vec<String>,
    refs: usize,
    source_refs: usize,
    citations: usize,
    headings: usize,
    source_headings: usize,
    shown: usize,
    templates: usize,
    missing: Vec<String>,
    diagnostics: usize,
    scrubbed: u32,
}

fn measure(text: &str) -> Measure {
    let parsed = zhnorm_formats::wikitext::read(text, Source::given("x", Format::Wikitext));
    let doc = &parsed.document;
    let mut residue = Vec::new();
    let mut visible = String::new();
    let mut citations = 0;
    let mut check = |inline: &Inline, visible: &mut String| match inline {
        Inline::Text { text } => {
            for token in RESIDUE {
                if text.contains(token) {
                    residue.push(format!("{token} in {:?}", snippet(text, token)));
                }
            }
            visible.push_str(text);
        }
        Inline::Conversion { rule } => {
            for t in rule
                .text
                .iter()
                .chain(rule.variants.iter().map(|v| &v.text))
            {
                for token in RESIDUE {
                    if t.contains(token) {
                        residue.push(format!("{token} in conversion {:?}", snippet(t, token)));
                    }
                }
                visible.push_str(t);
            }
        }
        Inline::Cite { .. } => citations += 1,
        _ => {}
    };
    for_each_inline(&doc.blocks, &mut |i| check(i, &mut visible));
    for reference in &parsed.raw_references {
        let blocks = [Block::Paragraph {
            inlines: reference.inlines.clone(),
        }];
        for_each_inline(&blocks, &mut |i| check(i, &mut visible));
    }
    let mut headings = 0;
    count_headings(&doc.blocks, &mut headings);

    // Independent counts in the source.
    let comment = Regex::new(r"(?s)<!--.*?(-->|$)").expect("regex");
    let source = comment.replace_all(text, "");
    let ref_tag = Regex::new(r"(?i)<ref(\s[^>]*)?>").expect("regex");
    let name = Regex::new(r#"(?i)name\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s/>]+))"#).expect("regex");
    let group = Regex::new(r#"(?i)group\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s/>]+))"#).expect("regex");
    let mut names = BTreeSet::new();
    let mut unnamed = 0;
    let get = |re: &Regex, tag: &str| {
        re.captures(tag).map(|c| {
            c.get(1)
                .or(c.get(2))
                .or(c.get(3))
                .map_or("", |g| g.as_str())
                .trim()
                .to_owned()
        })
    };
    for m in ref_tag.find_iter(&source) {
        let tag = m.as_str();
        match get(&name, tag).filter(|n| !n.is_empty()) {
            Some(n) => {
                names.insert((get(&group, tag), n));
            }
            None if !tag.ends_with("/>") => unnamed += 1,
            None => {}
        }
    }
    // Footnote templates are references too.
    let footnote = Regex::new(r"\{\{\s*(?i:efn|efn-ua|efn-la|notetag)\s*\|([^}]*)").expect("regex");
    for c in footnote.captures_iter(&source) {
        match get(&name, &c[1]) {
            Some(n) if !n.is_empty() => {
                names.insert((Some("lower-alpha".to_owned()), n));
            }
            _ => unnamed += 1,
        }
    }
    let heading = Regex::new(r"(?m)^=+[^=\n].*=+[ \t]*$").expect("regex");
    let source_headings = heading.find_iter(&source).count();
    let shown_template =
        Regex::new(r"\{\{\s*(?i:lang|link)-[a-zA-Z-]+\s*\|([^|{}\[\]<]*)").expect("regex");
    let squeeze = |s: &str| {
        s.split_whitespace()
            .collect::<String>()
            .replace('\u{a0}', "")
    };
    let visible = squeeze(&visible);
    let mut templates = 0;
    let mut shown = 0;
    let mut missing = Vec::new();
    for c in shown_template.captures_iter(&source) {
        let want = squeeze(&c[1].replace("'''", "").replace("''", ""));
        if want.is_empty() {
            continue;
        }
        templates += 1;
        if visible.contains(&want) {
            shown += 1;
        } else {
            missing.push(c[0].to_owned());
        }
    }
    Measure {
        residue,
        refs: parsed.raw_references.len(),
        source_refs: names.len() + unnamed,
        citations,
        headings,
        source_headings,
        shown,
        templates,
        missing,
        diagnostics: doc.diagnostics.len(),
        scrubbed: doc
            .repairs
            .get("markup_residue_removed")
            .copied()
            .unwrap_or(0),
    }
}

fn count_headings(blocks: &[Block], n: &mut usize) {
    for block in blocks {
        match block {
            Block::Heading { .. } => *n += 1,
            Block::List { items, .. } => {
                for item in items {
                    count_headings(&item.blocks, n);
                }
            }
            Block::Quote { blocks } => count_headings(blocks, n),
            _ => {}
        }
    }
}

fn snippet(text: &str, token: &str) -> String {
    let at = text.find(token).unwrap_or(0);
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(15)
        .map_or(0, |(i, _)| i);
    text[start..].chars().take(40).collect()
}
