//! Parity of the built-in engine with OpenCC itself (`opencc-rust` on the system's libopencc):
//! both read the system's OpenCC data, so any difference is a difference of algorithm. Runs
//! with `--features opencc`; the texts are the seeds in `corpus/raw` and, when present, the
//! files of `../shared/corpus-dev`.
#![cfg(feature = "opencc")]

use std::path::{Path, PathBuf};

use zhnorm_script::Engine;
use zhnorm_script::builtin::{BuiltinEngine, system_data_dir};

const CONFIGS: [&str; 5] = ["t2s", "s2t", "s2twp", "tw2sp", "s2hk"];

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn texts() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    collect_files(&root.join("corpus/raw"), &mut files);
    collect_files(&root.join("../shared/corpus-dev"), &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            // opencc-rust panics on NUL (OpenCC's C API takes C strings): never feed it one.
            Some((path, text.replace('\0', "")))
        })
        .collect()
}

/// Where two outputs first differ, with some context.
fn first_difference(ours: &str, theirs: &str) -> String {
    let at = ours
        .char_indices()
        .zip(theirs.chars())
        .find(|((_, a), b)| a != b)
        .map(|((i, _), _)| i)
        .unwrap_or(ours.len().min(theirs.len()));
    let context = |s: &str| -> String {
        let start = s[..at.min(s.len())]
            .char_indices()
            .rev()
            .nth(20)
            .map_or(0, |(i, _)| i);
        s[start..].chars().take(50).collect()
    };
    format!(
        "builtin: …{}…\nopencc:  …{}…",
        context(ours),
        context(theirs)
    )
}

#[test]
fn builtin_engine_matches_opencc_on_system_data() {
    let Some(data_dir) = system_data_dir() else {
        println!("SKIPPED: no system OpenCC data directory (pkg-config --variable=prefix opencc)");
        return;
    };
    let texts = texts();
    assert!(!texts.is_empty(), "no seed texts found");
    let mut failures = Vec::new();
    for config in CONFIGS {
        let builtin = BuiltinEngine::load_from_dir(config, &data_dir)
            .unwrap_or_else(|e| panic!("load {config} from {}: {e}", data_dir.display()));
        let opencc = opencc_rust::OpenCC::new(format!("{config}.json"))
            .unwrap_or_else(|e| panic!("opencc-rust cannot load {config}: {e}"));
        let mut bytes = 0;
        for (path, text) in &texts {
            let ours = builtin.convert(text);
            let theirs = opencc.convert(text);
            bytes += text.len();
            if ours != theirs {
                failures.push(format!(
                    "{config} on {}:\n{}",
                    path.display(),
                    first_difference(&ours, &theirs)
                ));
            }
        }
        println!("{config}: {} texts, {bytes} bytes compared", texts.len());
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}
