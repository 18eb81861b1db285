//! Measures hand-written footnotes against hand labels, when the labels are present.
//!
//! ```text
//! cargo run --release -p zhnorm-refs --example refs_truth -- ../shared/corpus-dev
//! ```
//!
//! DIR (default `../shared/corpus-dev` beside the repository) must hold `refs-truth.jsonl`: one
//! hand label per hand-written footnote of the `wikitext/` articles, with its `raw` text, its
//! `kind` and its true `fields`. Each article is read and its references normalized (no script
//! conversion, so titles stay in the script the labels use); a label is matched to the first
//! record whose `custom.raw` is its `raw`. It prints kind accuracy (per kind and overall),
//! exact-match rates of the first author's family name, year, title (whitespace folded),
//! container and pages over the labels that give the field, the share of short citations
//! linked to the right source, and the counts of citations, sources and notes of the articles.
//! `SHOW=field` lists the misses of one field (`kind`, `family`, `year`, `title`, `container`,
//! `pages`, `link`) on stderr.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use zhnorm_doc::{Document, Format, Inline, Name, Reference, Source, for_each_inline};

#[derive(Deserialize)]
struct Label {
    article: String,
    raw: String,
    kind: String,
    fields: Option<Fields>,
    target: Option<Target>,
}

#[derive(Deserialize)]
struct Fields {
    authors: Option<Vec<String>>,
    year: Option<String>,
    title: Option<String>,
    container: Option<String>,
    pages: Option<String>,
}

#[derive(Deserialize)]
struct Target {
    authors: Option<Vec<String>>,
    year: Option<String>,
}

#[derive(Default)]
struct Rate {
    hit: usize,
    total: usize,
}

impl Rate {
    fn add(&mut self, hit: bool) {
        self.total += 1;
        self.hit += usize::from(hit);
    }

    fn show(&self) -> String {
        let share = 100.0 * self.hit as f64 / self.total.max(1) as f64;
        format!("{share:5.1} % ({}/{})", self.hit, self.total)
    }
}

/// The family name as the labels write it: a transliterated Western name keeps its last
/// segment (`安东尼·肯尼` → `肯尼`), a Latin literal its last word, a Chinese name stays whole.
fn family(name: &Name) -> String {
    let whole = match name {
        Name::Structured { family, .. } => family.clone(),
        Name::Literal { literal } => literal.clone(),
    };
    if let Some((_, last)) = whole.rsplit_once(['·', '・', '•']) {
        return last.trim().to_owned();
    }
    match name {
        Name::Literal { literal } if literal.contains(' ') => literal
            .split_whitespace()
            .last()
            .unwrap_or_default()
            .to_owned(),
        _ => whole,
    }
}

fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn year(record: &Reference) -> Option<String> {
    record
        .issued
        .as_deref()
        .map(|d| d.chars().take(4).collect())
}

/// The kind a record stands for; records made before footnote kinds existed count as citations.
fn kind(record: &Reference) -> &str {
    record.custom.kind.as_deref().unwrap_or("citation")
}

fn normalized(path: &Path) -> Option<Document> {
    let text = std::fs::read_to_string(path).ok()?;
    let parsed = zhnorm_formats::read(
        &text,
        Source::given(path.display().to_string(), Format::Wikitext),
    );
    let mut doc = parsed.document;
    zhnorm_refs::normalize(&mut doc, parsed.raw_references);
    Some(doc)
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus-dev")
        });
    let Ok(truth) = std::fs::read_to_string(root.join("refs-truth.jsonl")) else {
        eprintln!(
            "no refs-truth.jsonl in {}; nothing measured",
            root.display()
        );
        return;
    };
    let show = std::env::var("SHOW").unwrap_or_default();
    let mut docs: HashMap<String, Option<Document>> = HashMap::new();
    let mut kinds: BTreeMap<String, Rate> = BTreeMap::new();
    let (mut kind_all, mut family_rate, mut year_rate, mut title_rate) = (
        Rate::default(),
        Rate::default(),
        Rate::default(),
        Rate::default(),
    );
    let (mut container_rate, mut pages_rate, mut link_rate, mut unmatched) =
        (Rate::default(), Rate::default(), Rate::default(), 0);
    for line in truth.lines().filter(|l| !l.trim().is_empty()) {
        let label: Label = match serde_json::from_str(line) {
            Ok(label) => label,
            Err(error) => {
                eprintln!("skipped a label: {error}");
                continue;
            }
        };
        let doc = docs
            .entry(label.article.clone())
            .or_insert_with(|| normalized(&root.join(&label.article)));
        let Some(doc) = doc.as_ref() else {
            continue;
        };
        let record = doc
            .references
            .iter()
            .find(|r| r.custom.raw == label.raw)
            .or_else(|| {
                doc.references
                    .iter()
                    .find(|r| r.custom.raw.trim() == label.raw.trim())
            });
        let Some(record) = record else {
            unmatched += 1;
            eprintln!("no record for {}: {}", label.article, folded(&label.raw));
            continue;
        };
        if let Ok(wanted) = std::env::var("DUMP") {
            if label.raw.contains(&wanted) {
                for r in doc
                    .references
                    .iter()
                    .filter(|r| r.custom.raw == record.custom.raw)
                {
                    eprintln!("{}", serde_json::to_string(r).unwrap_or_default());
                }
            }
        }
        let miss = |field: &str, got: &dyn std::fmt::Debug, want: &dyn std::fmt::Debug| {
            if show == field {
                eprintln!(
                    "{field}: got {got:?}, want {want:?} in {}",
                    folded(&label.raw)
                );
            }
        };
        let hit = kind(record) == label.kind;
        kinds.entry(label.kind.clone()).or_default().add(hit);
        kind_all.add(hit);
        if !hit {
            miss("kind", &kind(record), &label.kind);
        }
        if let Some(fields) = &label.fields {
            let got_family = record.author.first().or(record.editor.first()).map(family);
            if let Some(want) = fields.authors.as_ref().and_then(|a| a.first()) {
                let hit = got_family.as_deref() == Some(want.as_str());
                family_rate.add(hit);
                if !hit {
                    miss("family", &got_family, want);
                }
            }
            let compare =
                |rate: &mut Rate, name: &str, want: &Option<String>, got: Option<String>| {
                    if let Some(want) = want {
                        let hit = got.as_deref().map(folded) == Some(folded(want));
                        rate.add(hit);
                        if !hit {
                            miss(name, &got, want);
                        }
                    }
                };
            compare(&mut year_rate, "year", &fields.year, year(record));
            compare(
                &mut title_rate,
                "title",
                &fields.title,
                record.title.clone(),
            );
            compare(
                &mut container_rate,
                "container",
                &fields.container,
                record.container_title.clone(),
            );
            let pages = record
                .custom
                .locator
                .clone()
                .or_else(|| record.page.clone());
            compare(&mut pages_rate, "pages", &fields.pages, pages);
        }
        // A short citation naming an author is linked when its source has that first author
        // (and that year, when the short form gives one); counted where the article has such a
        // source at all.
        if let Some(target) = &label.target {
            let Some(author) = target.authors.as_ref().and_then(|a| a.first()) else {
                continue;
            };
            let fits = |r: &Reference| {
                r.author.first().map(family).as_deref() == Some(author.as_str())
                    && (target.year.is_none() || year(r) == target.year)
                    && r.custom.kind.as_deref() != Some("short")
            };
            if !doc.references.iter().any(|r| fits(r) && r.id != record.id) {
                continue;
            }
            let linked = record
                .custom
                .source
                .as_deref()
                .and_then(|id| doc.references.iter().find(|r| r.id == id));
            let hit = linked.is_some_and(fits);
            link_rate.add(hit);
            if !hit {
                miss("link", &linked.map(|r| &r.custom.raw), author);
            }
        }
    }

    println!("labels without a record: {unmatched}");
    println!("kind       {}", kind_all.show());
    for (kind, rate) in &kinds {
        println!("  {kind:<9}{}", rate.show());
    }
    println!("family     {}", family_rate.show());
    println!("year       {}", year_rate.show());
    println!("title      {}", title_rate.show());
    println!("container  {}", container_rate.show());
    println!("pages      {}", pages_rate.show());
    println!("short link {}", link_rate.show());

    // Counts over every wikitext article of the folder, labelled or not.
    let (mut citations, mut sources, mut notes, mut dangling) = (0, 0, 0, 0);
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("wikitext"))
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    for file in files {
        let Some(doc) = normalized(&file) else {
            continue;
        };
        for_each_inline(&doc.blocks, &mut |inline| {
            if let Inline::Cite { reference } = inline {
                citations += 1;
                if !doc.references.iter().any(|r| &r.id == reference) {
                    dangling += 1;
                }
            }
        });
        for record in &doc.references {
            if record.custom.group.is_some() || record.custom.kind.as_deref() == Some("note") {
                notes += 1;
            } else {
                sources += 1;
            }
        }
    }
    println!("citations {citations} (unresolved {dangling}), sources {sources}, notes {notes}");
}
