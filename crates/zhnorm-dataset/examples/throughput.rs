//! How fast the writers go: the committed `corpus/canonical/*.json` documents, repeated, written
//! as every shard format, timed per format.
//!
//! `cargo run --release -p zhnorm-dataset --example throughput -- [MB of article text, default 200]`
//!
//! It prints, per format, MB/s of article text (the `text` column) per second of this thread's
//! CPU time (from `/proc/thread-self/schedstat`, so that other processes on a busy machine do not
//! count; wall-clock MB/s beside it), records per CPU second and the size of the output.
//! Syncing a finished shard to disk costs wall time, not CPU time.

use std::path::Path;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Instant;

/// Nanoseconds this thread has run on a CPU (Linux); wall time where that is not available.
fn cpu_nanos(wall: Instant) -> u128 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| wall.elapsed().as_nanos())
}

/// Times `f`: (CPU seconds, wall seconds).
fn timed(f: impl FnOnce()) -> (f64, f64) {
    let wall = Instant::now();
    let cpu = cpu_nanos(wall);
    f();
    (
        (cpu_nanos(wall) - cpu) as f64 / 1e9,
        wall.elapsed().as_secs_f64(),
    )
}

use zhnorm_dataset::{
    DocumentRecord, DocumentWriter, ParquetCompression, ShardFormat, ShardOptions,
};
use zhnorm_doc::Document;

/// Shifts every CJK character of the text by an amount of its own for each round, so that the
/// repeated documents do not compress as repeats (zstd would find them inside its window) but
/// each keeps the character statistics, and so the compression ratio, of a real article.
fn disguise(doc: &mut Document, round: u32) {
    const FIRST: u32 = 0x4E00;
    const COUNT: u32 = 0x9FFF - 0x4E00 + 1;
    let shift = |text: &mut String| {
        *text = text
            .chars()
            .map(|c| match c as u32 {
                code @ FIRST..=0x9FFF => {
                    char::from_u32(FIRST + (code - FIRST + round * 7919) % COUNT).unwrap_or(c)
                }
                _ => c,
            })
            .collect();
    };
    zhnorm_doc::for_each_inline_mut(&mut doc.blocks, &mut |list| {
        for inline in list.iter_mut() {
            if let zhnorm_doc::Inline::Text { text } = inline {
                shift(text);
            }
        }
    });
}

/// Runs whose name contains the second argument, when given.
fn selected(name: &str) -> bool {
    std::env::args()
        .nth(2)
        .is_none_or(|only| name.contains(&only))
}

fn main() {
    let megabytes: f64 = std::env::args()
        .nth(1)
        .map_or(200.0, |a| a.parse().expect("MB of article text"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/canonical");
    let mut originals: Vec<Document> = std::fs::read_dir(&root)
        .expect("corpus/canonical")
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("report")
                && !p
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("diagnostics")
        })
        .map(|p| zhnorm_doc::from_canonical_json(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect();
    originals.sort_by(|a, b| a.id.cmp(&b.id));
    let per_round: usize = originals
        .iter()
        .map(|d| zhnorm_doc::article_text(d).len())
        .sum();
    let rounds = ((megabytes * 1e6) / per_round as f64).ceil() as usize;
    let mut docs = Vec::with_capacity(rounds * originals.len());
    for round in 0..rounds {
        for doc in &originals {
            let mut doc = doc.clone();
            doc.id = format!("{}-{round}", doc.id);
            disguise(&mut doc, round as u32);
            docs.push(doc);
        }
    }
    let text_bytes = (per_round * rounds) as f64;
    println!(
        "{} documents, {:.1} MB of article text",
        docs.len(),
        text_bytes / 1e6
    );

    let mut rendered = 0;
    let (cpu, wall) = timed(|| {
        rendered = docs.iter().map(|d| zhnorm_doc::article_text(d).len()).sum();
    });
    assert_eq!(rendered as f64, text_bytes);
    println!(
        "{:<22} {:>7.1} MB/s of text per CPU second ({:.1} wall)",
        "article_text alone",
        text_bytes / 1e6 / cpu,
        text_bytes / 1e6 / wall
    );
    let mut lines = 0;
    let (cpu, wall) = timed(|| {
        let mut writer =
            zhnorm_dataset::JsonlWriter::<zhnorm_dataset::Documents, _>::new(std::io::sink());
        for doc in &docs {
            writer.write(&DocumentRecord::new(doc)).unwrap();
        }
        lines = writer.records();
        writer.finish().unwrap();
    });
    assert_eq!(lines, docs.len() as u64);
    println!(
        "{:<22} {:>7.1} MB/s of text per CPU second ({:.1} wall)",
        "jsonl to io::sink",
        text_bytes / 1e6 / cpu,
        text_bytes / 1e6 / wall
    );

    let dir = tempfile::tempdir().unwrap();
    let mut runs: Vec<(String, ShardOptions)> = ShardFormat::ALL
        .into_iter()
        .map(|f| (f.to_string(), ShardOptions::new(f)))
        .collect();
    for (name, compression) in [
        ("parquet zstd(3)", ParquetCompression::Zstd(3)),
        ("parquet none", ParquetCompression::None),
    ] {
        let options = ShardOptions {
            parquet_compression: compression,
            ..ShardOptions::new(ShardFormat::Parquet)
        };
        runs.push((name.to_owned(), options));
    }
    for (level, name) in [(6, "jsonl.gz level 6"), (3, "jsonl.zst level 3")] {
        let mut options = if name.contains("gz") {
            ShardOptions::new(ShardFormat::JsonlGz)
        } else {
            ShardOptions::new(ShardFormat::JsonlZst)
        };
        options.gzip_level = level as u32;
        options.zstd_level = level;
        runs.push((name.to_owned(), options));
    }
    // As a pipeline runs it: workers encode (JSON Lines) or render text and document JSON
    // (Parquet); the ordered writer only copies, compresses, hashes and writes. Timed: the writer.
    let lines: Vec<Vec<u8>> = docs
        .iter()
        .map(|d| {
            let mut line = Vec::new();
            <zhnorm_dataset::Documents as zhnorm_dataset::RecordKind>::write_json(
                &DocumentRecord::new(d),
                &mut line,
            );
            line
        })
        .collect();
    let prepared: Vec<(String, String)> = docs
        .iter()
        .map(|d| {
            (
                zhnorm_doc::article_text(d),
                serde_json::to_string(d).unwrap(),
            )
        })
        .collect();
    let zstd3 = ShardOptions {
        parquet_compression: ParquetCompression::Zstd(3),
        zstd_level: 3,
        ..ShardOptions::new(ShardFormat::Parquet)
    };
    let mut prepared_runs: Vec<(String, ShardOptions)> = ShardFormat::ALL
        .into_iter()
        .map(|f| (format!("{f}, pre-encoded"), ShardOptions::new(f)))
        .collect();
    prepared_runs.push(("parquet zstd(3), pre-encoded".into(), zstd3.clone()));

    prepared_runs.push((
        "jsonl.zst level 3, pre-encoded".into(),
        ShardOptions {
            format: ShardFormat::JsonlZst,
            ..zstd3
        },
    ));
    for (name, options) in prepared_runs {
        let format = options.format;
        if !selected(&name) {
            continue;
        }
        let out = dir.path().join(name.replace([' ', ','], "_"));
        let mut shards = Vec::new();
        let (cpu, wall) = timed(|| {
            let mut writer = DocumentWriter::new(&out, options).unwrap();
            for (n, doc) in docs.iter().enumerate() {
                let done = if format == ShardFormat::Parquet {
                    let (text, json) = &prepared[n];
                    let record = DocumentRecord::new(doc)
                        .with_text(text)
                        .with_document_json(json);
                    writer.write(&record, n as u64)
                } else {
                    writer.write_line(&lines[n], n as u64)
                };
                shards.extend(done.unwrap());
            }
            shards.extend(writer.finish().unwrap());
        });
        let bytes: u64 = shards.iter().map(|s| s.bytes).sum();
        println!(
            "{:<22} {:>7.1} MB/s of text per CPU second ({:.1} wall)  {:>7.0} records/CPU s  {:>7.1} MB in {} shards",
            name,
            text_bytes / 1e6 / cpu,
            text_bytes / 1e6 / wall,
            docs.len() as f64 / cpu,
            bytes as f64 / 1e6,
            shards.len()
        );
        std::fs::remove_dir_all(&out).unwrap();
    }

    for (name, options) in runs {
        if !selected(&name) {
            continue;
        }
        let out = dir.path().join(name.replace(' ', "_"));
        let mut shards = Vec::new();
        let (cpu, wall) = timed(|| {
            let mut writer = DocumentWriter::new(&out, options).unwrap();
            for (n, doc) in docs.iter().enumerate() {
                shards.extend(writer.write(&DocumentRecord::new(doc), n as u64).unwrap());
            }
            shards.extend(writer.finish().unwrap());
        });
        let bytes: u64 = shards.iter().map(|s| s.bytes).sum();
        println!(
            "{name:<22} {:>7.1} MB/s of text per CPU second ({:.1} wall)  {:>7.0} records/CPU s  {:>7.1} MB in {} shards",
            text_bytes / 1e6 / cpu,
            text_bytes / 1e6 / wall,
            docs.len() as f64 / cpu,
            bytes as f64 / 1e6,
            shards.len()
        );
        std::fs::remove_dir_all(&out).unwrap();
    }
}
