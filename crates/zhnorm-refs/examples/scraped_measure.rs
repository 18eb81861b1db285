//! Measures the scraped reader and the scraped reference parser against ground truth, when the
//! development corpus is present (run from the repository root):
//!
//! ```text
//! cargo run -p zhnorm-refs --example scraped_measure            # the table
//! SHOW=1 cargo run -p zhnorm-refs --example scraped_measure     # and every miss on stderr
//! ```
//!
//! Inputs: `../shared/corpus-dev/scraped-rendered/*.txt`, each with a `.truth.json` beside it
//! (title, headings, and every reference's number, title and citation count), and, without
//! truth, seed 003 (`corpus/raw/003_*.txt`) and `../shared/corpus-dev/scraped/*.txt`.
//!
//! Per file: markup residue left in the document's text (`[[`, `]]`, `{{`, `}}`, `-{`, `}-`,
//! `||`), references whose citation count is wrong (against the truth, or, without truth, a
//! consistency check only: against the number of backlinks the `^` line shows, 1 when it shows
//! none), and how many reference titles are
//! exactly the truth's (all of them, and those whose truth has a title; after [`zhnorm_refs::structure`] and [`zhnorm_refs::normalize_record`],
//! as the references stage makes them). The last line sums them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use zhnorm_doc::{Block, Format, Inline, Source, for_each_inline, plain_text};

/// Tokens of markup that a scrape's text must not keep.
const RESIDUE: &[&str] = &["[[", "]]", "{{", "}}", "-{", "}-", "||"];

#[derive(Debug, Default)]
struct Counts {
    residue: usize,
    references: usize,
    counts_wrong: usize,
    titles: usize,
    titles_exact: usize,
    /// Of the references whose truth has a title.
    titled: usize,
    titled_exact: usize,
    title_ok: usize,
    headings_ok: usize,
    truth_files: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.residue += o.residue;
        self.references += o.references;
        self.counts_wrong += o.counts_wrong;
        self.titles += o.titles;
        self.titles_exact += o.titles_exact;
        self.titled += o.titled;
        self.titled_exact += o.titled_exact;
        self.title_ok += o.title_ok;
        self.headings_ok += o.headings_ok;
        self.truth_files += o.truth_files;
    }
}

#[derive(Debug, serde::Deserialize)]
struct Truth {
    title: String,
    headings: Vec<String>,
    references: Vec<TruthReference>,
}

#[derive(Debug, serde::Deserialize)]
struct TruthReference {
    n: u32,
    title: Option<String>,
    cited: usize,
}

fn show() -> bool {
    std::env::var_os("SHOW").is_some()
}

fn measure(path: &Path) -> Option<Counts> {
    let text = std::fs::read_to_string(path).ok()?;
    let truth: Option<Truth> = std::fs::read_to_string(path.with_extension("truth.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    let name = path.file_name()?.to_string_lossy().into_owned();
    let parsed = zhnorm_formats::read(
        &text,
        Source::given(path.display().to_string(), Format::Scraped),
    );
    let doc = &parsed.document;
    let mut counts = Counts::default();

    for_each_inline(&doc.blocks, &mut |inline| {
        if let Inline::Text { text } = inline {
            for token in RESIDUE {
                let found = text.matches(token).count();
                if found > 0 && show() {
                    eprintln!("{name}: residue {token:?} in {text:?}");
                }
                counts.residue += found;
            }
        }
    });

    let mut cited: BTreeMap<String, usize> = BTreeMap::new();
    for_each_inline(&doc.blocks, &mut |inline| {
        if let Inline::Cite { reference } = inline {
            *cited.entry(reference.clone()).or_default() += 1;
        }
    });

    match &truth {
        Some(truth) => {
            counts.truth_files = 1;
            counts.title_ok = usize::from(doc.title == truth.title);
            let headings: Vec<String> = doc
                .blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Heading { inlines, .. } => Some(plain_text(inlines).trim().to_owned()),
                    _ => None,
                })
                .collect();
            counts.headings_ok = usize::from(headings == truth.headings);
            if show() && headings != truth.headings {
                eprintln!(
                    "{name}: headings {headings:?}\n   truth {:?}",
                    truth.headings
                );
            }
            for expected in &truth.references {
                counts.references += 1;
                let label = expected.n.to_string();
                let raw = parsed
                    .raw_references
                    .iter()
                    .find(|r| r.label.as_deref() == Some(label.as_str()));
                let got_cited = raw.map_or(0, |r| cited.get(r.key.as_str()).copied().unwrap_or(0));
                if got_cited != expected.cited {
                    counts.counts_wrong += 1;
                    if show() {
                        eprintln!(
                            "{name} [{label}]: cited {got_cited}, truth {}",
                            expected.cited
                        );
                    }
                }
                counts.titles += 1;
                let title = raw.and_then(|r| {
                    let (mut record, _) = zhnorm_refs::structure(r);
                    zhnorm_refs::normalize_record(&mut record);
                    record.title
                });
                counts.titled += usize::from(expected.title.is_some());
                if title == expected.title {
                    counts.titles_exact += 1;
                    counts.titled_exact += usize::from(expected.title.is_some());
                } else if show() {
                    eprintln!(
                        "{name} [{label}]: title {title:?}\n   truth {:?}\n   raw   {:?}",
                        expected.title,
                        raw.map(|r| r.raw.as_str())
                    );
                }
            }
        }
        None => {
            for raw in &parsed.raw_references {
                counts.references += 1;
                let got = cited.get(raw.key.as_str()).copied().unwrap_or(0);
                if got != raw.backlinks as usize {
                    counts.counts_wrong += 1;
                    if show() {
                        eprintln!(
                            "{name} [{}]: cited {got}, backlinks {}\n   raw   {:?}",
                            raw.key, raw.backlinks, raw.raw
                        );
                    }
                }
            }
        }
    }
    let titles = if truth.is_some() {
        format!("{}/{}", counts.titles_exact, counts.titles)
    } else {
        "-".to_owned()
    };
    println!(
        "| {name} | {} | {} | {} | {titles} |",
        counts.residue, counts.references, counts.counts_wrong
    );
    Some(counts)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dev = root.join("../shared/corpus-dev");
    let mut files: Vec<PathBuf> = Vec::new();
    for folder in ["scraped-rendered", "scraped"] {
        if let Ok(entries) = std::fs::read_dir(dev.join(folder)) {
            let mut found: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
            found.sort();
            files.extend(found);
        }
    }
    if let Ok(entries) = std::fs::read_dir(root.join("corpus/raw")) {
        files.extend(entries.flatten().map(|e| e.path()).filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("003_"))
        }));
    }
    println!("| file | residue | references | citation counts wrong | titles exact |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let mut total = Counts::default();
    for file in &files {
        if let Some(counts) = measure(file) {
            total.add(&counts);
        }
    }
    println!(
        "| **total** | {} | {} | {} | {}/{} ({:.1} %) |",
        total.residue,
        total.references,
        total.counts_wrong,
        total.titles_exact,
        total.titles,
        100.0 * total.titles_exact as f64 / total.titles.max(1) as f64
    );
    println!(
        "\nreferences whose truth has a title: {}/{} exact ({:.1} %)",
        total.titled_exact,
        total.titled,
        100.0 * total.titled_exact as f64 / total.titled.max(1) as f64
    );
    println!(
        "document titles right: {}/{} files; headings right: {}/{} files",
        total.title_ok, total.truth_files, total.headings_ok, total.truth_files
    );
}
