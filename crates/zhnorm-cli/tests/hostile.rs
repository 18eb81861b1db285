//! The `zhnorm` binary on hostile folders (issue 15): bad files are named and the batch goes on
//! with exit code 1, UTF-16 is decoded in both runners, and an output folder inside the input
//! folder or one that cannot be written is a clear error with a non-zero exit code; a folder run
//! killed at any moment leaves only complete files, and a rerun gives the same bytes.

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

/// Every file of a folder run's output: name → bytes, the report without its timings. Names
/// starting with `.` (the temporary files of the atomic writes) are listed apart.
fn folder_output(dir: &Path) -> (Vec<(String, Vec<u8>)>, Vec<String>) {
    let mut files = Vec::new();
    let mut temporaries = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            temporaries.push(name);
            continue;
        }
        let mut bytes = std::fs::read(entry.path()).unwrap();
        if name == "report.json" {
            let mut report: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            report["timings_ms"] = serde_json::Value::Null;
            bytes = serde_json::to_vec(&report).unwrap();
        }
        files.push((name, bytes));
    }
    files.sort();
    temporaries.sort();
    (files, temporaries)
}

#[test]
fn a_folder_run_killed_at_any_moment_leaves_only_complete_files_and_a_rerun_gives_the_same_bytes() {
    let dir = scratch("killed-folder");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    for n in 0..240 {
        let body = format!(
            "'''第{n}号城市'''是一座城市。<ref>{{{{cite web |title=第{n}号城市志 |url=https://example.org/{n} |date=2020-01-0{d}}}}}</ref>\n\n\
             == 历史 ==\n第{n}号城市建于{y}年，后来发展为商业中心。\n\n== 地理 ==\n* 东临大海\n* 西靠群山\n\n== 参考资料 ==\n<references />\n",
            d = n % 9 + 1,
            y = 1000 + n,
        );
        std::fs::write(input.join(format!("city-{n:03}.wikitext")), body).unwrap();
    }
    let run = |out: &Path| {
        let mut command = Command::new(BIN);
        command
            .args(["normalize", "--input"])
            .arg(&input)
            .arg("--output")
            .arg(out)
            .args(["--jobs", "2", "--quiet"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        command
    };
    let whole = dir.join("whole");
    let start = std::time::Instant::now();
    assert!(run(&whole).status().unwrap().success());
    let full_time = start.elapsed();
    let (expected, leftover) = folder_output(&whole);
    assert!(leftover.is_empty(), "{leftover:?}");
    assert_eq!(
        expected.len(),
        240 * 2 + 3,
        "a JSON and a Markdown file per article, and the report files"
    );

    // Moments spread over the whole run (reading, normalizing, writing), shifted by the clock so
    // that each test run kills elsewhere.
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    for k in 0..6u32 {
        let fraction = (f64::from(k) + f64::from((seed >> (k * 5)) % 32) / 32.0) / 6.0;
        let delay = full_time.mul_f64(fraction);
        let out = dir.join(format!("killed-{k}"));
        let mut child = run(&out).spawn().unwrap();
        std::thread::sleep(delay);
        // SIGKILL on Unix: the process gets no chance to clean up.
        let _ = child.kill();
        let _ = child.wait();

        let (got, _temporaries) = folder_output(&out);
        for (name, bytes) in &got {
            let whole_bytes = expected.iter().find(|(n, _)| n == name).map(|(_, b)| b);
            assert!(
                whole_bytes == Some(bytes),
                "kill at {delay:?}: {name} is not the complete file of an uninterrupted run"
            );
        }
        if got.iter().any(|(name, _)| name == "report.json") {
            assert_eq!(
                got.len(),
                expected.len(),
                "kill at {delay:?}: a folder with a report must be complete"
            );
        }

        assert!(
            run(&out).status().unwrap().success(),
            "rerun after a kill at {delay:?}"
        );
        let (rerun, temporaries) = folder_output(&out);
        assert!(
            temporaries.is_empty(),
            "kill at {delay:?}: left {temporaries:?}"
        );
        assert!(
            rerun == expected,
            "kill at {delay:?}: the rerun differs from an uninterrupted run"
        );
    }
}
