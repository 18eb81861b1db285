//! Measures the scraped-text and Markdown-export readers on the seeds in `corpus/raw/` and,
//! when it exists, on the development corpus in `../shared/corpus-dev/` (run from the
//! repository root):
//!
//! ```text
//! cargo run -p zhnorm-formats --example exports_measure            # the table
//! cargo run -p zhnorm-formats --example exports_measure -- --dump 赣江   # one document as JSON
//! ```
//!
//! Per file it prints the title, headings, raw references (empty ones), citations, categories,
//! repairs, diagnostics, and the defects the readers must not leave: markup residue in text
//! nodes, links whose text still runs past their target's title, citations that point at no
//! reference. The last line sums the defects; it should read 0.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use zhnorm_doc::{Block, Format, Inline, LinkKind, Source, for_each_inline};
use zhnorm_formats::Parsed;

/// Strings that must never reach a text node: the issue's list, plus `]]` and `[[`.
const RESIDUE: &[&str] = &[
    "\"wikilink\"",
    "\\[",
    "\\]",
    "[编辑]",
    "](",
    "{{",
    "-{",
    "]]",
    "[[",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dump = args
        .iter()
        .position(|a| a == "--dump")
        .and_then(|i| args.get(i + 1));
    let mut inputs: Vec<(PathBuf, Format)> = vec![
        (
            "corpus/raw/003_edabeb56969b9ff1.txt".into(),
            Format::Scraped,
        ),
        (
            "corpus/raw/004_05b906160e962e71.txt".into(),
            Format::Markdown,
        ),
    ];
    for (dir, format) in [
        ("../shared/corpus-dev/markdown", Format::Markdown),
        ("../shared/corpus-dev/scraped", Format::Scraped),
    ] {
        if let Ok(entries) = std::fs::read_dir(dir) {
            let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            inputs.extend(paths.into_iter().map(|p| (p, format)));
        }
    }
    println!(
        "{:<28} {:<6} {:>4} {:>5} {:>5} {:>5} {:>4} {:>6} {:>7}  title / repairs / diagnostics",
        "file", "format", "head", "refs", "empty", "cites", "cats", "defect", "unres."
    );
    let mut total_defects = 0;
    for (path, format) in inputs {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let name = file_name(&path);
        let parsed = zhnorm_formats::read(&text, Source::given(name.clone(), format));
        if dump.is_some_and(|d| name.contains(d.as_str())) {
            println!("{}", zhnorm_doc::to_canonical_json(&parsed.document));
            for r in &parsed.raw_references {
                println!(
                    "ref {} label={:?} backlinks={} raw={:?}",
                    r.key, r.label, r.backlinks, r.raw
                );
            }
        }
        let defects = defects(&parsed);
        total_defects += defects.len();
        for defect in defects.iter().take(5) {
            println!("  defect: {defect}");
        }
        let doc = &parsed.document;
        let headings = doc
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Heading { .. }))
            .count();
        let empty = parsed
            .raw_references
            .iter()
            .filter(|r| r.raw.trim().is_empty())
            .count();
        let mut cites = 0;
        for_each_inline(&doc.blocks, &mut |i| {
            if matches!(i, Inline::Cite { .. }) {
                cites += 1;
            }
        });
        let mut diagnostics: BTreeMap<&str, usize> = BTreeMap::new();
        for d in &doc.diagnostics {
            *diagnostics.entry(d.code.as_str()).or_default() += 1;
        }
        let unresolved = diagnostics.get("M014").copied().unwrap_or(0);
        println!(
            "{:<28} {:<6} {:>4} {:>5} {:>5} {:>5} {:>4} {:>6} {:>7}  {} / {:?} / {:?}",
            truncate(&name, 26),
            format.as_str(),
            headings,
            parsed.raw_references.len(),
            empty,
            cites,
            doc.categories.len(),
            defects.len(),
            unresolved,
            doc.title,
            doc.repairs,
            diagnostics
        );
    }
    println!("total defects: {total_defects}");
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// What the readers must not leave behind.
fn defects(parsed: &Parsed) -> Vec<String> {
    let mut found = Vec::new();
    let keys: Vec<&str> = parsed
        .raw_references
        .iter()
        .map(|r| r.key.as_str())
        .collect();
    for_each_inline(&parsed.document.blocks, &mut |inline| match inline {
        Inline::Text { text } => {
            for residue in RESIDUE {
                if text.contains(residue) {
                    found.push(format!("residue {residue} in {text:?}"));
                }
            }
        }
        Inline::Link {
            kind: LinkKind::Wiki,
            target,
            inlines,
        } => {
            let text = zhnorm_doc::plain_text(inlines);
            let title = target.split('#').next().unwrap_or_default();
            if text.len() > title.len() && text.starts_with(title) && !target.contains(':') {
                found.push(format!(
                    "link text {text:?} runs past its target {target:?}"
                ));
            }
        }
        Inline::Cite { reference } if !keys.contains(&reference.as_str()) => {
            found.push(format!("citation of missing reference {reference}"));
        }
        _ => {}
    });
    found
}
