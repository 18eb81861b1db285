//! The `zhnorm` binary on hostile folders (issue 15): bad files are named and the batch goes on
//! with exit code 1, UTF-16 is decoded in both runners, and an output folder inside the input
//! folder or one that cannot be written is a clear error with a non-zero exit code.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_zhnorm");

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("zhnorm-cli-hostile")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary in `dir`; returns the exit code and standard error.
fn zhnorm(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// An input folder of one good article, one UTF-16 article with a BOM, one empty and one binary
/// file.
fn hostile_input(dir: &Path) {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.wikitext"), "'''甲'''是城市。\n").unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        "'''乙'''是城市。\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    std::fs::write(input.join("b.txt"), utf16).unwrap();
    std::fs::write(input.join("empty.txt"), "").unwrap();
    std::fs::write(
        input.join("image.png"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    )
    .unwrap();
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn bad_files_are_named_the_batch_goes_on_and_the_exit_code_says_so() {
    let dir = scratch("folder");
    hostile_input(&dir);
    let (code, stderr) = zhnorm(&dir, &["normalize", "--input", "in", "--output", "out"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        stderr,
        "error[F003]: in/empty.txt: empty file (no text after removing whitespace)\n\
         error[F002]: in/image.png: binary file (NUL byte at offset 8)\n\
         2 input(s) failed; see report.json\n"
    );
    assert_eq!(
        names(&dir.join("out")),
        [
            "diagnostics.json",
            "diagnostics.sarif",
            "report.json",
            "乙.json",
            "乙.md",
            "甲.json",
            "甲.md"
        ]
    );
    let utf16 = std::fs::read_to_string(dir.join("out/乙.json")).unwrap();
    assert!(
        utf16.contains(
            "\"message\": \"decoded from UTF-16LE; line and column count its characters\""
        ),
        "{utf16}"
    );
}

#[test]
fn the_stream_runner_decodes_utf16_too() {
    let dir = scratch("stream");
    hostile_input(&dir);
    let (code, stderr) = zhnorm(
        &dir,
        &[
            "normalize",
            "--input",
            "in",
            "--output",
            "out",
            "--output-format",
            "jsonl",
            "--compression",
            "none",
            "-q",
        ],
    );
    assert_eq!(code, Some(1), "{stderr}");
    let records = std::fs::read_to_string(dir.join("out/part-00000.jsonl")).unwrap();
    assert_eq!(records.lines().count(), 2);
    assert_eq!(
        records
            .matches("decoded from UTF-16LE; line and column count its characters")
            .count(),
        1
    );
}

#[test]
fn an_output_folder_inside_the_input_folder_is_refused() {
    let dir = scratch("inside");
    hostile_input(&dir);
    for output in ["in/out", "in", "./in/x/../out"] {
        let (code, stderr) = zhnorm(&dir, &["normalize", "--input", "in", "--output", output]);
        assert_eq!(code, Some(1), "{stderr}");
        assert_eq!(
            stderr,
            format!(
                "error: the output folder {output} is inside the input folder in: a second run would read the outputs as inputs; choose an output folder outside it\n"
            )
        );
    }
    assert_eq!(
        names(&dir.join("in")),
        ["a.wikitext", "b.txt", "empty.txt", "image.png"]
    );
}

#[test]
fn an_output_location_that_cannot_be_written_is_an_error() {
    let dir = scratch("unwritable");
    hostile_input(&dir);
    // A file where the output folder's parent should be (tests may run as root, for whom
    // permission bits do not stop a write).
    std::fs::write(dir.join("blocker"), "a file").unwrap();
    let (code, stderr) = zhnorm(
        &dir,
        &[
            "normalize",
            "--input",
            "in",
            "--output",
            "blocker/out",
            "-q",
        ],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.ends_with("error: cannot write blocker/out: Not a directory (os error 20)\n"),
        "{stderr}"
    );
}
