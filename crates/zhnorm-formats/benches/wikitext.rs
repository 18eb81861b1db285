//! Throughput of the wikitext reader alone, on one thread.
//!
//! Reads every file of `../shared/corpus-dev/wikitext/` (relative to the repository root) when
//! that folder exists, else the seed `corpus/raw/000_a9552459ec1571fc.txt`, and prints the
//! median MB/s of several runs. `cargo bench -p zhnorm-formats --bench wikitext`.
//!
//! Speeds are computed from the time the thread spent on a CPU (Linux `schedstat`) when that is
//! available, because the machine is shared and wall-clock time mostly measures other people's
//! compilers; the wall-clock median is printed beside it.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use zhnorm_doc::{Format, Source};

/// The allocator zhnorm's binary runs with (see `xtask/src/main.rs`), so that the figure is the
/// reader's speed in the tool.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 11;
/// Each run reads the inputs this many times, so that one run lasts long enough to time.
/// (Thread CPU time is counted in scheduler ticks of a few milliseconds on some kernels: a run of
/// a few hundred milliseconds keeps that rounding near 1 %.)
const TARGET_BYTES_PER_RUN: usize = 32 << 20;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dev = std::env::var_os("WIKITEXT_BENCH_DIR")
        .map_or_else(|| root.join("../shared/corpus-dev/wikitext"), Into::into);
    let mut inputs: Vec<(String, String)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dev) {
        let mut paths: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        paths.sort();
        for path in paths {
            if let Ok(text) = std::fs::read_to_string(&path) {
                inputs.push((path.display().to_string(), text.replace("\r\n", "\n")));
            }
        }
    }
    let what = if inputs.is_empty() {
        let seed = root.join("corpus/raw/000_a9552459ec1571fc.txt");
        let text = std::fs::read_to_string(&seed).expect("the seed article is in the repository");
        inputs.push((seed.display().to_string(), text));
        "the seed"
    } else {
        "corpus-dev wikitext"
    };
    let bytes: usize = inputs.iter().map(|(_, t)| t.len()).sum();
    let repeats = (TARGET_BYTES_PER_RUN / bytes.max(1)).max(1);
    let mut speeds = Vec::with_capacity(RUNS);
    let mut wall_speeds = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let cpu_start = thread_cpu_seconds();
        let start = Instant::now();
        for _ in 0..repeats {
            for (path, text) in &inputs {
                let parsed = zhnorm_formats::wikitext::read(
                    black_box(text),
                    Source::given(path.as_str(), Format::Wikitext),
                );
                black_box(parsed);
            }
        }
        let seconds = start.elapsed().as_secs_f64();
        let megabytes = (bytes * repeats) as f64 / 1e6;
        wall_speeds.push(megabytes / seconds);
        if let (Some(a), Some(b)) = (cpu_start, thread_cpu_seconds()) {
            speeds.push(megabytes / (b - a));
        }
    }
    let clock = if speeds.len() == RUNS {
        "thread CPU time"
    } else {
        speeds = wall_speeds.clone();
        "wall-clock time"
    };
    wall_speeds.sort_by(f64::total_cmp);
    if std::env::var_os("WIKITEXT_BENCH_PER_FILE").is_some() {
        for (path, text) in &inputs {
            let start = thread_cpu_seconds().unwrap_or_default();
            for _ in 0..200 {
                black_box(zhnorm_formats::wikitext::read(
                    black_box(text),
                    Source::given(path.as_str(), Format::Wikitext),
                ));
            }
            let seconds = (thread_cpu_seconds().unwrap_or_default() - start) / 200.0;
            println!("{:>8.1} MB/s  {path}", text.len() as f64 / seconds / 1e6);
        }
    }
    speeds.sort_by(f64::total_cmp);
    let median = speeds[speeds.len() / 2];
    println!(
        "wikitext reader: {} files of {what}, {:.1} KB, {repeats} reads per run, {RUNS} runs",
        inputs.len(),
        bytes as f64 / 1024.0
    );
    println!(
        "median {median:.1} MB/s (min {:.1}, max {:.1}) on one thread, by {clock}; wall-clock median {:.1} MB/s",
        speeds[0],
        speeds[speeds.len() - 1],
        wall_speeds[wall_speeds.len() / 2]
    );
}

/// Seconds this thread has spent on a CPU, from `/proc/thread-self/schedstat` (Linux).
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}
