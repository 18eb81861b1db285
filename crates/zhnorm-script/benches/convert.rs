//! Throughput of the built-in engine (and, with `--features opencc`, of `opencc-rust` on the
//! system's OpenCC in the same run) over the text of `../shared/corpus-dev` (every file
//! concatenated; `corpus/raw` when that is absent), one thread, `t2s` and `s2twp`.
//!
//! `cargo bench -p zhnorm-script --bench convert [-- --runs N]`; prints the load time of each
//! configuration and the median MB/s (MB = 10^6 bytes of UTF-8 input).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use zhnorm_script::Engine;
use zhnorm_script::builtin::BuiltinEngine;

const CONFIGS: [&str; 2] = ["t2s", "s2twp"];

fn corpus_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            corpus_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn corpus() -> (String, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for dir in [root.join("../shared/corpus-dev"), root.join("corpus/raw")] {
        let mut files = Vec::new();
        corpus_files(&dir, &mut files);
        files.retain(|f| {
            !matches!(
                f.file_name().and_then(|n| n.to_str()),
                Some("MANIFEST.tsv" | "ATTRIBUTION.md")
            )
        });
        files.sort();
        let mut text = String::new();
        for file in &files {
            if let Ok(content) = std::fs::read_to_string(file) {
                text.push_str(&content);
            }
        }
        if !text.is_empty() {
            // OpenCC's C library stops at NUL (opencc-rust panics on it); keep both on equal text.
            let text = text.replace('\0', "");
            return (format!("{} ({} files)", dir.display(), files.len()), text);
        }
    }
    (String::from("(no corpus found)"), String::new())
}

/// Median MB/s of `convert` over `text`, after one warm-up run.
fn measure(runs: usize, text: &str, convert: &dyn Fn(&str) -> usize) -> f64 {
    let mut sink = convert(text);
    let mut rates: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            sink = sink.wrapping_add(convert(text));
            let elapsed = start.elapsed().max(Duration::from_nanos(1));
            text.len() as f64 / 1e6 / elapsed.as_secs_f64()
        })
        .collect();
    std::hint::black_box(sink);
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(31usize);
    let (source, text) = corpus();
    println!(
        "corpus: {source}: {} bytes, {} chars; {runs} runs, median",
        text.len(),
        text.chars().count()
    );
    if text.is_empty() {
        return;
    }
    for config in CONFIGS {
        let start = Instant::now();
        let engine = match BuiltinEngine::load(config) {
            Ok(engine) => engine,
            Err(error) => {
                println!("builtin:{config}: {error}");
                continue;
            }
        };
        let first_load = start.elapsed();
        let start = Instant::now();
        let _again = BuiltinEngine::load(config);
        let cached_load = start.elapsed();
        let rate = measure(runs, &text, &|t| engine.convert(t).len());
        println!(
            "{:<16} {rate:>8.1} MB/s   load {:.2} ms (first), {:.3} ms (cached tables)",
            engine.name(),
            first_load.as_secs_f64() * 1e3,
            cached_load.as_secs_f64() * 1e3
        );
        #[cfg(feature = "opencc")]
        reference(config, runs.min(7), &text);
    }
}

#[cfg(feature = "opencc")]
fn reference(config: &str, runs: usize, text: &str) {
    let start = Instant::now();
    let opencc = match opencc_rust::OpenCC::new(format!("{config}.json")) {
        Ok(opencc) => opencc,
        Err(error) => {
            println!("opencc:{config}: cannot load: {error}");
            return;
        }
    };
    let load = start.elapsed();
    let rate = measure(runs, text, &|t| opencc.convert(t).len());
    println!(
        "{:<16} {rate:>8.1} MB/s   load {:.2} ms",
        format!("opencc:{config}"),
        load.as_secs_f64() * 1e3
    );
}
