//! Measures the references stage on the development corpus, when it is present.
//!
//! ```text
//! cargo run -p zhnorm-refs --example measure_corpus [-- DIR]
//! ```
//!
//! DIR defaults to `../shared/corpus-dev` relative to the repository root; its `wikitext/`,
//! `scraped/` and `markdown/` folders are read with the real readers. Per file it prints the
//! number of records and how many have a title, a URL, an issue date and a language, and for
//! references made from a citation template how many have both title and URL (all of them, and
//! those whose template gives a URL at all). It also checks that every citation names a record.
//! Nothing is printed for a missing folder. `SHOW_MISSING=1` lists the template references
//! that lack a title or a URL on stderr.

use std::path::{Path, PathBuf};

use zhnorm_doc::{Format, Inline, Source, for_each_inline};

#[derive(Default)]
struct Counts {
    records: usize,
    title: usize,
    url: usize,
    date: usize,
    language: usize,
    cite_templates: usize,
    cite_title_and_url: usize,
    cite_with_source_url: usize,
    cite_with_source_url_title_and_url: usize,
    dangling: usize,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.records += other.records;
        self.title += other.title;
        self.url += other.url;
        self.date += other.date;
        self.language += other.language;
        self.cite_templates += other.cite_templates;
        self.cite_title_and_url += other.cite_title_and_url;
        self.cite_with_source_url += other.cite_with_source_url;
        self.cite_with_source_url_title_and_url += other.cite_with_source_url_title_and_url;
        self.dangling += other.dangling;
    }

    fn row(&self, name: &str) -> String {
        format!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            self.records,
            self.title,
            self.url,
            self.date,
            self.language,
            self.cite_templates,
            self.cite_title_and_url,
            self.cite_with_source_url,
            self.cite_with_source_url_title_and_url,
            self.dangling
        )
    }
}

fn measure(path: &Path, format: Format) -> Counts {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{}: {error}", path.display());
            return Counts::default();
        }
    };
    let parsed = zhnorm_formats::read(&text, Source::given(path.display().to_string(), format));
    let mut counts = Counts::default();
    for raw in &parsed.raw_references {
        let Some(template) = raw
            .templates
            .iter()
            .find(|t| zhnorm_refs::csl_type(t).is_some())
        else {
            continue;
        };
        let (record, _) = zhnorm_refs::structure(raw);
        let complete = record.title.is_some() && record.url.is_some();
        counts.cite_templates += 1;
        counts.cite_title_and_url += usize::from(complete);
        // A URL the source gave (books and journals often have none; none is invented).
        if template
            .param(&["url", "URL", "chapter-url", "url-id"])
            .is_some()
        {
            counts.cite_with_source_url += 1;
            counts.cite_with_source_url_title_and_url += usize::from(complete);
        }
        if std::env::var_os("SHOW_MISSING").is_some() && !complete {
            eprintln!("{}: {}", path.display(), raw.raw.replace('\n', " "));
        }
    }
    let mut doc = parsed.document;
    zhnorm_refs::normalize(&mut doc, parsed.raw_references);
    for record in &doc.references {
        counts.records += 1;
        counts.title += usize::from(record.title.is_some());
        counts.url += usize::from(record.url.is_some());
        counts.date += usize::from(record.issued.is_some());
        counts.language += usize::from(record.language.is_some());
    }
    for_each_inline(&doc.blocks, &mut |inline| {
        if let Inline::Cite { reference } = inline {
            if !doc.references.iter().any(|r| &r.id == reference) {
                counts.dangling += 1;
            }
        }
    });
    counts
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus-dev")
        });
    for (folder, format) in [
        ("wikitext", Format::Wikitext),
        ("scraped", Format::Scraped),
        ("markdown", Format::Markdown),
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        println!("\n## {folder}\n");
        println!(
            "| file | records | title | URL | issued | language | cite templates | … with title and URL | … with a URL in the source | … of which with title and URL | dangling cites |"
        );
        println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        let mut total = Counts::default();
        for file in files {
            let counts = measure(&file, format);
            let name = file
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            println!("{}", counts.row(&name));
            total.add(&counts);
        }
        println!("{}", total.row("**total**"));
        if total.cite_templates > 0 {
            let share = 100.0 * total.cite_title_and_url as f64 / total.cite_templates as f64;
            println!("\ncite-template references with title and URL: {share:.1} %");
            let given = 100.0 * total.cite_with_source_url_title_and_url as f64
                / total.cite_with_source_url.max(1) as f64;
            println!("… of those whose source gives a URL: {given:.1} %");
        }
    }
}
