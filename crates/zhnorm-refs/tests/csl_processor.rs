//! The records of the article fixtures and of the seeds (`corpus/raw`, one per input format)
//! rendered by a real CSL processor: pandoc's citeproc reads them as CSL-JSON and must render
//! every one without a warning. Skipped, and said so, where pandoc is not installed (CI installs
//! Debian's `pandoc`).

use std::path::Path;
use std::process::Command;

use zhnorm_doc::{Format, Source};

#[test]
fn pandoc_citeproc_renders_every_record() {
    if Command::new("pandoc").arg("--version").output().is_err() {
        eprintln!("skipped: pandoc is not installed, so no CSL processor renders the records");
        return;
    }
    let dir = tempfile_dir();
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = ["sfn", "handwritten"].map(|name| {
        let path = crate_dir.join(format!("test_data/articles/{name}.wikitext"));
        (name.to_owned(), path, Some(Format::Wikitext))
    });
    let mut seeds: Vec<_> = std::fs::read_dir(crate_dir.join("../../corpus/raw"))
        .expect("the seeds are in corpus/raw")
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, path, None)
        })
        .collect();
    seeds.sort();
    assert_eq!(seeds.len(), 3, "three seeds, one per format");
    let mut rendered_records = 0;
    for (name, path, format) in fixtures.into_iter().chain(seeds) {
        let name = name.as_str();
        let text = std::fs::read_to_string(&path).unwrap();
        let format = format.unwrap_or_else(|| zhnorm_formats::detect(&text).format);
        let parsed = zhnorm_formats::read(&text, Source::given(name, format));
        let mut doc = parsed.document;
        zhnorm_refs::normalize(&mut doc, parsed.raw_references);
        let bibliography = dir.join(format!("{name}.json"));
        std::fs::write(
            &bibliography,
            serde_json::to_string(&doc.references).unwrap(),
        )
        .unwrap();
        let cites: Vec<String> = doc
            .references
            .iter()
            .map(|r| format!("[@{}]", r.id))
            .collect();
        let output = Command::new("pandoc")
            .args([
                "--citeproc",
                "-f",
                "markdown",
                "-t",
                "plain",
                "--bibliography",
            ])
            .arg(&bibliography)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .expect("piped stdin")
                    .write_all(cites.join(" ").as_bytes())?;
                child.wait_with_output()
            })
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{name}: pandoc failed: {stderr}");
        assert!(!stderr.contains("WARNING"), "{name}: {stderr}");
        // Styles may change the case of titles, and pandoc curls straight quotes (`Baku's` is
        // rendered `Baku’s`): titles are compared by their letters and digits.
        let letters = |text: &str| -> String {
            text.to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect()
        };
        let rendered = letters(&String::from_utf8_lossy(&output.stdout));
        for record in &doc.references {
            if let Some(title) = &record.title {
                let head: String = letters(title).chars().take(6).collect();
                assert!(
                    rendered.contains(&head),
                    "{name}: {} not rendered:\n{rendered}",
                    record.id
                );
            }
        }
        rendered_records += doc.references.len();
    }
    // The fixtures hold 11 + 14 records, the seeds 7 + 18 + 11.
    assert_eq!(rendered_records, 61);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zhnorm-refs-csl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
