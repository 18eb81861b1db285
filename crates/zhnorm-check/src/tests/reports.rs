//! The reporters on one small fixture, committed as `test_data/reports/*.expected.*`; SARIF
//! validated against the OASIS SARIF 2.1.0 schema.

use zhnorm_doc::{Diagnostic, Location, Severity, codes};

use super::{expect_file, test_data};
use crate::{FileReport, SarifWriter, exit_status, render_human, render_json, render_sarif};

const SOURCE: &str =
    "== 概况 ==\n[[File:A.jpg|缩略图]]攝於[[巴庫|巴庫]]]]\n俄羅斯在巴庫設有大使館。\n";

fn diagnostics() -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let file = vec![
        Diagnostic::new(
            &codes::BROKEN_IMAGE_CAPTION,
            "stray `]]` after an image caption",
        )
        .at(Location {
            line: 2,
            column: 29,
        }),
        Diagnostic::new(
            &codes::MARKUP_RESIDUE,
            "markup `]]` left in the output text (1×)",
        ),
        Diagnostic::new(&codes::EMPTY_SECTION, "section “历史” has no content"),
    ];
    let corpus = vec![Diagnostic::new(
        &codes::WIKI_LINKS_RESOLVED,
        "1 of 2 wiki links (50.0 %) resolve to a document of the corpus (0 more if script is ignored)",
    )];
    (file, corpus)
}

fn with_reports(f: impl FnOnce(&[FileReport<'_>])) {
    let (file, corpus) = diagnostics();
    let reports = [
        FileReport {
            path: "wikitext/巴库 (城市).wikitext",
            id: "巴库",
            source_text: Some(SOURCE),
            diagnostics: &file,
        },
        FileReport {
            path: "",
            id: "",
            source_text: None,
            diagnostics: &corpus,
        },
    ];
    f(&reports);
}

#[test]
fn human_report_shows_the_source_line_and_a_caret() {
    with_reports(|reports| {
        let text = render_human(reports, false);
        expect_file(&test_data("reports/human.expected.txt"), &text);
        assert!(
            text.contains("2 | [[File:A.jpg|缩略图]]攝於[[巴庫|巴庫]]]]"),
            "{text}"
        );
        assert!(!text.contains('\u{1b}'), "no colour unless asked");
        assert!(render_human(reports, true).contains('\u{1b}'));
    });
}

#[test]
fn json_report() {
    with_reports(|reports| {
        expect_file(
            &test_data("reports/report.expected.json"),
            &render_json(reports),
        );
    });
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(test_data("sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

#[test]
fn sarif_report_validates_against_the_sarif_2_1_0_schema() {
    with_reports(|reports| {
        let text = render_sarif(reports);
        expect_file(&test_data("reports/report.expected.sarif"), &text);
        let log: serde_json::Value = serde_json::from_str(&text).unwrap();
        let validator = sarif_validator();
        let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        // The validator does reject what is not SARIF.
        let mut broken = log.clone();
        broken["runs"][0]["results"][0]["level"] = "fatal".into();
        assert!(!validator.is_valid(&broken));
    });
}

#[test]
fn the_streaming_sarif_writer_writes_the_same_log() {
    with_reports(|reports| {
        let mut writer = SarifWriter::new(Vec::new()).unwrap();
        for report in reports {
            writer.add(report).unwrap();
        }
        let streamed: serde_json::Value =
            serde_json::from_slice(&writer.finish().unwrap()).unwrap();
        let whole: serde_json::Value = serde_json::from_str(&render_sarif(reports)).unwrap();
        assert_eq!(streamed, whole);
        assert_eq!(streamed["runs"][0]["results"].as_array().unwrap().len(), 4);
    });
    // Each result is on a line of its own, its keys in the order of their names at every level
    // (the layout of the logs written before results were typed): a result read back and
    // written again compactly gives the same line.
    with_reports(|reports| {
        let mut writer = SarifWriter::new(Vec::new()).unwrap();
        for report in reports {
            writer.add(report).unwrap();
        }
        let log = String::from_utf8(writer.finish().unwrap()).unwrap();
        let lines: Vec<&str> = log.lines().skip(1).take(4).collect();
        assert_eq!(lines.len(), 4);
        for line in lines {
            // The last result's line goes on with the log's tail.
            let mut values = serde_json::Deserializer::from_str(line).into_iter();
            let value: serde_json::Value = values.next().unwrap().unwrap();
            let result = &line[..values.byte_offset()];
            assert_eq!(serde_json::to_string(&value).unwrap(), result);
        }
        assert!(log.contains(
            r#"{"level":"error","locations":[{"physicalLocation":{"artifactLocation":{"uri":"#
        ));
    });
    // No results at all is an empty list, not a placeholder.
    let empty: serde_json::Value =
        serde_json::from_slice(&SarifWriter::new(Vec::new()).unwrap().finish().unwrap()).unwrap();
    assert_eq!(empty["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn exit_status_is_non_zero_only_with_an_error() {
    let (file, corpus) = diagnostics();
    assert_eq!(exit_status(&file), 1);
    assert_eq!(exit_status(&corpus), 0);
    let mut downgraded = file.clone();
    for d in &mut downgraded {
        if d.severity == Severity::Error {
            d.severity = Severity::Warning;
        }
    }
    assert_eq!(exit_status(&downgraded), 0);
    assert_eq!(exit_status(&[]), 0);
}
