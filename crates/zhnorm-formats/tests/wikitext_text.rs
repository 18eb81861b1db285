//! The text the wikitext reader shows, case by case, against the text MediaWiki renders.
//!
//! Every `test_data/wikitext/text/*.cases` file holds cases in this form (`%%%` starts no
//! wikitext construct, so any wikitext fits between the markers):
//!
//! ```text
//! %%% case: a flag icon in a list shows no caption
//! * [[File:Flag of China.svg|20px|中国]] 中国队
//! %%% text
//! 中国队
//! %%% references
//! the plain text of each raw reference, one per line, in order (optional)
//! %%% codes
//! the diagnostic codes the reader reports, in order, one per line (optional)
//! ```
//!
//! Between the wikitext and `%%% text`, a case may give the page it is read as:
//! `%%% title: 物理学` (the page's title, for `{{PAGENAME}}` and its family; without it, the
//! title of a loose file: the lead's bold term, or the case's name) and `%%% timestamp: 2024-01-31T12:00:00Z` (the revision's, for the date magic
//! words; without it, the case is a loose file with no timestamp).
//!
//! `text` is compared exactly with the article's plain text (`article_text`), so that lost,
//! invented and glued text all fail. A case may leave out `references` and `codes`; then they are
//! not compared.

use std::path::Path;

use zhnorm_doc::{Format, PageInfo, Source, article_text, plain_text};
use zhnorm_formats::wikitext;

struct Case {
    file: String,
    name: String,
    wikitext: String,
    text: Option<String>,
    references: Option<String>,
    codes: Option<String>,
    title: Option<String>,
    timestamp: Option<String>,
}

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/wikitext/text");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("test_data/wikitext/text")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "cases"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(&path).expect("cases file");
        let mut current: Option<Case> = None;
        let mut section = String::new();
        let mut body = String::new();
        let flush = |case: &mut Option<Case>, section: &str, body: &mut String| {
            let value = body.strip_suffix('\n').unwrap_or(body).to_owned();
            body.clear();
            let Some(case) = case.as_mut() else {
                assert!(
                    value.trim().is_empty(),
                    "{file}: text before the first case"
                );
                return;
            };
            match section {
                "case" => case.wikitext = value,
                "text" => case.text = Some(value),
                "references" => case.references = Some(value),
                "codes" => case.codes = Some(value),
                "title" | "timestamp" => assert!(
                    value.trim().is_empty(),
                    "{file}: `{section}` takes its value on its own line in case `{}`",
                    case.name
                ),
                other => panic!("{file}: unknown section `{other}` in case `{}`", case.name),
            }
        };
        for line in source.split_inclusive('\n') {
            let Some(marker) = line.strip_prefix("%%% ") else {
                body.push_str(line);
                continue;
            };
            let marker = marker.trim_end_matches(['\n', '\r']);
            let (key, name) = marker.split_once(": ").unwrap_or((marker, ""));
            flush(&mut current, &section, &mut body);
            if key == "case" {
                if let Some(done) = current.take() {
                    out.push(done);
                }
                current = Some(Case {
                    file: file.clone(),
                    name: name.to_owned(),
                    wikitext: String::new(),
                    text: None,
                    references: None,
                    codes: None,
                    title: None,
                    timestamp: None,
                });
            } else if let Some(case) = current.as_mut() {
                match key {
                    "title" => case.title = Some(name.to_owned()),
                    "timestamp" => case.timestamp = Some(name.to_owned()),
                    _ => {}
                }
            }
            section = key.to_owned();
        }
        flush(&mut current, &section, &mut body);
        out.extend(current);
    }
    out
}

#[test]
fn every_case_shows_the_expected_text() {
    let cases = cases();
    assert!(!cases.is_empty(), "no cases found");
    let mut failures = Vec::new();
    for case in &cases {
        let mut source = Source::given(format!("{}.wiki", case.name), Format::Wikitext);
        source.page = case.timestamp.as_ref().map(|timestamp| PageInfo {
            timestamp: Some(timestamp.clone()),
            ..Default::default()
        });
        let parsed = wikitext::read_page(
            &case.wikitext,
            source,
            wikitext::Page {
                title: case.title.as_deref(),
                ..Default::default()
            },
        );
        let mut wrong = Vec::new();
        let text = article_text(&parsed.document);
        match &case.text {
            Some(expected) if *expected != text => {
                wrong.push(format!(
                    "text\n  expected: {expected:?}\n  got:      {text:?}"
                ));
            }
            Some(_) => {}
            None => wrong.push("no `%%% text` section".to_owned()),
        }
        if let Some(expected) = &case.references {
            let got: Vec<String> = parsed
                .raw_references
                .iter()
                .map(|r| plain_text(&r.inlines))
                .collect();
            let got = got.join("\n");
            if *expected != got {
                wrong.push(format!(
                    "references\n  expected: {expected:?}\n  got:      {got:?}"
                ));
            }
        }
        if let Some(expected) = &case.codes {
            let got: Vec<&str> = parsed
                .document
                .diagnostics
                .iter()
                .map(|d| d.code.as_str())
                .collect();
            let got = got.join("\n");
            if *expected != got {
                wrong.push(format!(
                    "codes\n  expected: {expected:?}\n  got:      {got:?}"
                ));
            }
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{} :: {}\n{}",
                case.file,
                case.name,
                wrong.join("\n")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
