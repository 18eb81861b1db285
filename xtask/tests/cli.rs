//! The exit codes of `cargo xtask check` and `normalize`, run as a user runs them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("xtask-cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn xtask(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A caption broken by an export, as in seed 000: a warning (M007) by default.
const BROKEN_CAPTION: &str = "'''甲'''是城市。\n[[File:A.jpg|缩略图]]说明文字]]\n";

#[test]
fn check_exits_zero_when_only_warnings_remain() {
    let input = temp_dir("warnings");
    std::fs::write(input.join("a.wikitext"), BROKEN_CAPTION).unwrap();
    let (code, stdout, _) = xtask(&["check", "--input", input.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("warning[M007]"), "{stdout}");
    assert!(stdout.contains("0 errors"), "{stdout}");
}

#[test]
fn check_exits_one_when_an_error_remains() {
    let input = temp_dir("errors");
    std::fs::write(input.join("a.wikitext"), BROKEN_CAPTION).unwrap();
    let config = input.parent().unwrap().join("errors.toml");
    std::fs::write(&config, "[check.severity]\nM007 = \"error\"\n").unwrap();
    let (code, stdout, _) = xtask(&[
        "check",
        "--input",
        input.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("error[M007]"), "{stdout}");
    // Ignoring the rule by flag takes the error away again.
    let (code, _, _) = xtask(&[
        "check",
        "--input",
        input.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--ignore",
        "M007",
    ]);
    assert_eq!(code, 0);
}

#[test]
fn a_bad_file_fails_the_run_but_not_the_others() {
    let input = temp_dir("bad");
    std::fs::write(input.join("a.wikitext"), BROKEN_CAPTION).unwrap();
    std::fs::write(input.join("b.bin"), b"\x00\x01\x02").unwrap();
    let output = input.parent().unwrap().join("bad-out");
    let (code, _, stderr) = xtask(&[
        "normalize",
        "--input",
        input.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error[F002]") && stderr.contains("b.bin"),
        "{stderr}"
    );
    assert!(output.join("甲.json").exists());
    let (code, _, _) = xtask(&[
        "check",
        "--input",
        input.to_str().unwrap(),
        "--output-format",
        "json",
    ]);
    assert_eq!(code, 1);
}

#[test]
fn help_explains_every_flag() {
    let (code, stdout, _) = xtask(&["normalize", "--help"]);
    assert_eq!(code, 0);
    for flag in [
        "--input",
        "--output",
        "--variant",
        "--format",
        "--jobs",
        "--engine",
        "--check",
    ] {
        assert!(
            stdout.contains(flag),
            "{flag} missing from --help:\n{stdout}"
        );
    }
}
