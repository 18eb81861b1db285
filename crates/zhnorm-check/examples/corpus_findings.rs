//! Runs the corpus rules over a folder of canonical documents (the output of
//! `cargo xtask normalize`) and prints the count of every code, for the documents' own
//! diagnostics and for the corpus findings, then the corpus findings themselves.
//!
//! `cargo run -p zhnorm-check --example corpus_findings -- /tmp/x [--source-root DIR]`
//!
//! With `--source-root` (the folder given to `normalize --input`), the document rules run again
//! with each document's source text, which adds the mixed-script rule (C002).

use std::collections::BTreeMap;
use std::path::PathBuf;

use zhnorm_check::{CheckInput, Config, check, check_corpus};
use zhnorm_doc::Document;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let folder = PathBuf::from(
        args.next()
            .ok_or("usage: corpus_findings FOLDER [--source-root DIR]")?,
    );
    let source_root = match (args.next().as_deref(), args.next()) {
        (Some("--source-root"), Some(dir)) => Some(PathBuf::from(dir)),
        _ => None,
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("report.json"))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("diagnostics"))
        })
        .collect();
    paths.sort();
    let mut docs = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path)?;
        match zhnorm_doc::from_canonical_json(&text) {
            Ok(doc) => docs.push(doc),
            Err(e) => eprintln!("skipping {}: {e}", path.display()),
        }
    }
    let mut per_code: BTreeMap<String, usize> = BTreeMap::new();
    for doc in &docs {
        for d in &doc.diagnostics {
            *per_code
                .entry(format!("{} {}", d.code, d.severity.as_str()))
                .or_default() += 1;
        }
        if let Some(root) = &source_root {
            // `source.path` may carry the input folder's own prefix; find the file by suffix.
            let source = find_source(root, &doc.source.path);
            if let Some(text) = source {
                let input = CheckInput {
                    doc,
                    source_text: Some(&text),
                };
                for d in check(&input, &Config::default()) {
                    *per_code
                        .entry(format!(
                            "{} {} (re-run with source)",
                            d.code,
                            d.severity.as_str()
                        ))
                        .or_default() += 1;
                }
            }
        }
    }
    println!("{} documents", docs.len());
    println!("document diagnostics by code:");
    for (code, n) in &per_code {
        println!("  {code}: {n}");
    }
    let refs: Vec<&Document> = docs.iter().collect();
    let findings = check_corpus(&refs);
    let mut corpus_codes: BTreeMap<String, usize> = BTreeMap::new();
    for f in &findings {
        *corpus_codes
            .entry(format!(
                "{} {}",
                f.diagnostic.code,
                f.diagnostic.severity.as_str()
            ))
            .or_default() += 1;
    }
    println!("corpus findings by code:");
    for (code, n) in &corpus_codes {
        println!("  {code}: {n}");
    }
    for f in &findings {
        println!(
            "  [{}] {}: {}",
            f.diagnostic.code,
            f.doc_id.as_deref().unwrap_or("(corpus)"),
            f.diagnostic.message
        );
    }
    Ok(())
}

fn find_source(root: &std::path::Path, source_path: &str) -> Option<String> {
    let parts: Vec<&str> = source_path.split('/').collect();
    (0..parts.len())
        .map(|skip| root.join(parts[skip..].join("/")))
        .find(|p| p.is_file())
        .and_then(|p| std::fs::read_to_string(p).ok())
}
