//! Prints every paragraph of the wikitext reader's `article_text` for each input file, one
//! paragraph per record, so that the output of two versions of the reader can be diffed paragraph
//! by paragraph (the "no text lost" check of issue 20).
//!
//! `cargo run --release -p zhnorm-formats --example paragraphs -- FILE_OR_DIR… > out.txt`
//!
//! Each paragraph is printed as `== FILE #N` followed by the paragraph's text; a folder is read in
//! name order.

use std::path::PathBuf;

use zhnorm_doc::{Format, Source, article_text};

fn main() {
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        let path = PathBuf::from(arg);
        if path.is_dir() {
            let mut inner: Vec<PathBuf> = std::fs::read_dir(&path)
                .into_iter()
                .flatten()
                .filter_map(|e| Some(e.ok()?.path()))
                .collect();
            inner.sort();
            files.extend(inner);
        } else {
            files.push(path);
        }
    }
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            eprintln!("{}: not UTF-8 text, skipped", file.display());
            continue;
        };
        let name = file.display().to_string();
        let parsed =
            zhnorm_formats::wikitext::read(&text, Source::given(name.as_str(), Format::Wikitext));
        for (index, paragraph) in article_text(&parsed.document).split("\n\n").enumerate() {
            println!(
                "== {} #{index}\n{paragraph}",
                file.file_name().unwrap_or_default().to_string_lossy()
            );
        }
    }
}
