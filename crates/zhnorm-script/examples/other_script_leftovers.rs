//! Measures, per variant, the characters of the other script left after conversion outside
//! protected spans, over every file of the given folders (default: the three format folders
//! of `../shared/corpus-dev` beside the repository, else the seeds).
//!
//! ```text
//! cargo run --release -p zhnorm-script --example other_script_leftovers [DIR…]
//! ```

#[path = "../tests/support/leftovers.rs"]
mod support;

use std::path::{Path, PathBuf};

fn main() -> std::io::Result<()> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        let dev = repo.join("../shared/corpus-dev");
        dirs = if dev.is_dir() {
            ["wikitext", "scraped", "markdown"]
                .iter()
                .map(|d| dev.join(d))
                .collect()
        } else {
            vec![repo.join("corpus/raw")]
        };
    }
    let mut paths = Vec::new();
    for dir in &dirs {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path
                .extension()
                .is_some_and(|e| e == "txt" || e == "md" || e == "wikitext")
            {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let docs: Vec<_> = paths.iter().map(|p| support::read_document(p)).collect();
    println!("{} documents", docs.len());
    println!(
        "| variant | characters of the other script left | conversion nodes left | examples |"
    );
    println!("| --- | ---: | ---: | --- |");
    for converter in support::converters() {
        let started = std::time::Instant::now();
        let (mut found, mut rules) = (Vec::new(), 0);
        for doc in &docs {
            let (f, r) = support::leftovers(doc, &converter);
            found.extend(f);
            rules += r;
        }
        let examples: Vec<_> = found.iter().take(5).cloned().collect();
        eprintln!(
            "{}: {:.0?} (conversion and counting)",
            converter.variant(),
            started.elapsed()
        );
        println!(
            "| {} | {} | {rules} | {} |",
            converter.variant(),
            found.len(),
            examples.join(" ")
        );
    }
    Ok(())
}
