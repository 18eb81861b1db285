//! Bad files are named and counted, nothing is written for them, the rest of the batch goes on,
//! and ids never collide or leave the output folder.

use std::fs;

use zhnorm::Options;

use crate::support::{normalize, temp_dir};

const GOOD: &str = "'''甲'''是一个城市。\n\n== 历史 ==\n甲很古老。\n";

#[test]
fn bad_files_fail_alone_and_are_reported() {
    let input = temp_dir("bad_input/in");
    fs::write(input.join("good.wikitext"), GOOD).unwrap();
    fs::write(input.join("empty.txt"), "").unwrap();
    fs::write(input.join("blank.txt"), " \n\n").unwrap();
    fs::write(
        input.join("image.png"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    )
    .unwrap();
    fs::write(input.join("gbk.txt"), b"\xd6\xd0\xce\xc4").unwrap();
    let output = normalize(&input, Options::default(), 2);

    assert!(output.has_failures());
    assert_eq!(
        (
            output.report.inputs,
            output.report.documents,
            output.report.failed
        ),
        (5, 1, 4)
    );
    let failures: Vec<(String, String)> = output
        .report
        .failures
        .iter()
        .map(|f| (f.path.clone(), f.code.clone()))
        .collect();
    assert_eq!(
        failures,
        [
            ("corpus/raw/blank.txt".to_owned(), "F003".to_owned()),
            ("corpus/raw/empty.txt".to_owned(), "F003".to_owned()),
            ("corpus/raw/gbk.txt".to_owned(), "F001".to_owned()),
            ("corpus/raw/image.png".to_owned(), "F002".to_owned()),
        ]
    );
    assert!(
        output.report.failures[2].error.contains("not UTF-8"),
        "{:?}",
        output.report.failures[2]
    );
    assert_eq!(output.report.diagnostics.get("F003"), Some(&2));
    // One document and the report: nothing for the bad files.
    let names = output.file_names();
    assert_eq!(
        names,
        [
            "diagnostics.json",
            "diagnostics.sarif",
            "report.json",
            "甲.json",
            "甲.md"
        ]
    );
    let report: serde_json::Value =
        serde_json::from_str(&output.render("report.json").unwrap()).unwrap();
    assert_eq!(report["failed"], 4);
}

#[test]
fn same_title_twice_keeps_both_under_distinct_ids() {
    let input = temp_dir("bad_input/dup");
    fs::write(input.join("a.wikitext"), GOOD).unwrap();
    fs::write(input.join("b.wikitext"), GOOD).unwrap();
    // Two different articles whose titles map to one safe id.
    fs::write(input.join("c.wikitext"), "'''AC/DC'''是乐队。\n").unwrap();
    fs::write(input.join("d.wikitext"), "'''AC:DC'''是另一个乐队。\n").unwrap();
    let output = normalize(&input, Options::default(), 2);
    let ids: Vec<&str> = output.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["甲", "甲~2", "AC_DC", "AC_DC~2"]);
    let codes = |i: usize| -> Vec<&str> {
        output.documents[i]
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    };
    // The same article twice is K004; different articles sharing an id are K001.
    assert_eq!(codes(1), ["K004"]);
    assert_eq!(codes(3), ["K001"]);
    let names = output.file_names();
    assert!(names.iter().any(|n| n == "甲~2.json") && names.iter().any(|n| n == "AC_DC~2.json"));
}

#[test]
fn titles_never_write_outside_the_output_folder() {
    let input = temp_dir("bad_input/unsafe");
    fs::write(input.join("a.wikitext"), "'''AC/DC'''是乐队。\n").unwrap();
    fs::write(input.join("b.wikitext"), "'''../x'''是文件。\n").unwrap();
    let output = normalize(&input, Options::default(), 1);
    let folder = temp_dir("bad_input/unsafe-out");
    zhnorm::write_output(&output, &folder).unwrap();
    let mut written: Vec<String> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "AC_DC.json",
            "AC_DC.md",
            "_x.json",
            "_x.md",
            "diagnostics.json",
            "diagnostics.sarif",
            "report.json"
        ]
    );
    assert!(!folder.parent().unwrap().join("x.json").exists());
}
