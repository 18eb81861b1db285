//! The records of the article fixtures rendered by a real CSL processor: pandoc's citeproc
//! reads them as CSL-JSON and must render every one without a warning. Skipped, and said so,
//! where pandoc is not installed.

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
    for name in ["sfn", "handwritten"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("test_data/articles")
            .join(format!("{name}.wikitext"));
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = zhnorm_formats::read(&text, Source::given(name, Format::Wikitext));
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
        // Styles may change the case of titles.
        let rendered = String::from_utf8_lossy(&output.stdout).to_lowercase();
        for record in &doc.references {
            if let Some(title) = &record.title {
                let head: String = title.to_lowercase().chars().take(6).collect();
                assert!(
                    rendered.contains(&head),
                    "{name}: {} not rendered:\n{rendered}",
                    record.id
                );
            }
        }
    }
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zhnorm-refs-csl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
