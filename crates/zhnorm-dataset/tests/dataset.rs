//! The dataset writers end to end: records written, read back and compared exactly.

mod support;

use std::fs;
use std::io::{Read, Write};

use support::*;
use tempfile::tempdir;
use zhnorm_dataset::*;

/// Writes the fixture documents with checkpoints 10, 20, 30, … and returns the shards.
fn write_documents(dir: &std::path::Path, options: ShardOptions) -> Vec<ShardInfo> {
    let docs = documents();
    let urls: Vec<Option<String>> = docs.iter().map(url_of).collect();
    let mut writer = DocumentWriter::new(dir, options).unwrap();
    let mut shards = Vec::new();
    for n in 0..docs.len() {
        let record = DocumentRecord::new(&docs[n])
            .with_url(urls[n].as_deref())
            .with_page(page_of(n));
        shards.extend(writer.write(&record, 10 * (n as u64 + 1)).unwrap());
    }
    shards.extend(writer.finish().unwrap());
    shards
}

/// Page columns for the first fixture only, as a dump reader would give them.
fn page_of(n: usize) -> PageColumns<'static> {
    if n == 0 {
        PageColumns {
            namespace: Some(0),
            id: Some(100),
            revision_id: Some(9000),
            parent_id: None,
            timestamp: Some("2025-07-01T12:00:00Z"),
            model: Some("wikitext"),
            content_format: Some("text/x-wiki"),
        }
    } else {
        PageColumns::default()
    }
}

fn decompress(format: ShardFormat, bytes: &[u8]) -> String {
    let mut out = String::new();
    match format {
        ShardFormat::Jsonl => out = String::from_utf8(bytes.to_vec()).unwrap(),
        ShardFormat::JsonlGz => {
            flate2::read::GzDecoder::new(bytes)
                .read_to_string(&mut out)
                .unwrap();
        }
        ShardFormat::JsonlZst => {
            out = String::from_utf8(zstd::decode_all(bytes).unwrap()).unwrap();
        }
        ShardFormat::Parquet => unreachable!(),
    }
    out
}

#[test]
fn jsonl_round_trip_plain_gzip_zstd() {
    let docs = documents();
    for format in [
        ShardFormat::Jsonl,
        ShardFormat::JsonlGz,
        ShardFormat::JsonlZst,
    ] {
        let dir = tempdir().unwrap();
        let shards = write_documents(dir.path(), ShardOptions::new(format));
        assert_eq!(shards.len(), 1, "{format}");
        let shard = &shards[0];
        assert_eq!(shard.file, format!("part-00000.{format}"));
        assert_eq!((shard.records, shard.checkpoint), (3, 30));
        let bytes = fs::read(dir.path().join(&shard.file)).unwrap();
        assert_eq!(shard.bytes, bytes.len() as u64);
        assert_eq!(shard.sha256, sha256_of(&mut bytes.as_slice()).unwrap());
        let text = decompress(format, &bytes);
        expect_file("documents.jsonl", &text);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), docs.len());
        for (line, doc) in lines.iter().zip(&docs) {
            // Each line is the canonical document, with the dataset columns first.
            assert_eq!(&zhnorm_doc::from_canonical_json(line).unwrap(), doc);
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let keys: Vec<&str> = value
                .as_object()
                .unwrap()
                .keys()
                .map(|k| k.as_str())
                .collect();
            let json = |v: &str| serde_json::to_string(v).unwrap();
            let prefix = format!(
                r#"{{"id":{},"url":{},"title":{},"text":{},"schema":"zhnorm.doc/1","lang":"#,
                json(&doc.id),
                url_of(doc).map_or("null".into(), |u| json(&u)),
                json(&doc.title),
                json(&zhnorm_doc::article_text(doc)),
            );
            assert!(line.starts_with(&prefix), "{line}");
            // The same keys as the canonical document, plus `url` and `text`.
            let canonical: serde_json::Value = serde_json::to_value(doc).unwrap();
            let mut expected: Vec<&str> = canonical
                .as_object()
                .unwrap()
                .keys()
                .map(|k| k.as_str())
                .collect();
            expected.extend(["url", "text"]);
            let (mut sorted, mut got) = (expected, keys.clone());
            sorted.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, sorted);
        }
    }
}

#[test]
fn parquet_round_trip_with_arrow_rs() {
    let docs = documents();
    let dir = tempdir().unwrap();
    let shards = write_documents(dir.path(), ShardOptions::new(ShardFormat::Parquet));
    assert_eq!(shards.len(), 1);
    assert_eq!(shards[0].file, "part-00000.parquet");
    assert_eq!((shards[0].records, shards[0].checkpoint), (3, 30));
    let batches = read_parquet(&dir.path().join("part-00000.parquet"));
    assert_eq!(batches[0].schema(), record_schema());
    let rows = rows_as_json(&batches);
    assert_eq!(rows.len(), 3);
    // `document` and `csl` are checked against the model below; the file shows the rest.
    let mut shown = rows.clone();
    for row in &mut shown {
        row["document"] = "…".into();
        for reference in row["references"].as_array_mut().unwrap() {
            reference["csl"] = "…".into();
        }
    }
    expect_file(
        "documents.parquet.json",
        &(serde_json::to_string_pretty(&shown).unwrap() + "\n"),
    );
    for (row, doc) in rows.iter().zip(&docs) {
        assert_eq!(row["id"], doc.id.as_str());
        assert_eq!(row["text"], zhnorm_doc::article_text(doc));
        let document = row["document"].as_str().unwrap();
        assert_eq!(document, serde_json::to_string(doc).unwrap());
        assert_eq!(&zhnorm_doc::from_canonical_json(document).unwrap(), doc);
        for (reference, model) in row["references"]
            .as_array()
            .unwrap()
            .iter()
            .zip(&doc.references)
        {
            let csl: zhnorm_doc::Reference =
                serde_json::from_str(reference["csl"].as_str().unwrap()).unwrap();
            assert_eq!(&csl, model);
        }
    }
}

#[test]
fn redirects_round_trip() {
    for format in [ShardFormat::Jsonl, ShardFormat::Parquet] {
        let dir = tempdir().unwrap();
        let mut writer = RedirectWriter::new(dir.path(), ShardOptions::new(format)).unwrap();
        for (n, record) in redirects().iter().enumerate() {
            assert_eq!(writer.write(record, n as u64 + 1).unwrap(), None);
        }
        let shard = writer.finish().unwrap().unwrap();
        assert_eq!(shard.file, format!("redirects-00000.{format}"));
        assert_eq!((shard.records, shard.checkpoint), (2, 2));
        let path = dir.path().join(&shard.file);
        if format == ShardFormat::Parquet {
            let batches = read_parquet(&path);
            assert_eq!(batches[0].schema(), redirect_schema());
            // Parquet's rows, as JSON, are the JSON Lines.
            let expected: Vec<serde_json::Value> =
                fs::read_to_string(test_data().join("expected/redirects.jsonl"))
                    .unwrap()
                    .lines()
                    .map(|line| serde_json::from_str(line).unwrap())
                    .collect();
            assert_eq!(rows_as_json(&batches), expected);
        } else {
            expect_file("redirects.jsonl", &fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn shards_roll_at_a_record_count() {
    let dir = tempdir().unwrap();
    let options = ShardOptions {
        max_records: Some(2),
        ..ShardOptions::new(ShardFormat::Jsonl)
    };
    let docs = documents();
    let mut writer = DocumentWriter::new(dir.path(), options).unwrap();
    let mut completed = Vec::new();
    for round in 0..2u64 {
        for (n, doc) in docs.iter().enumerate() {
            let checkpoint = round * 3 + n as u64;
            completed.push(writer.write(&DocumentRecord::new(doc), checkpoint).unwrap());
        }
    }
    // Records 2, 4 and 6 complete a shard as they are written.
    let done: Vec<Option<(String, u64, u64)>> = completed
        .into_iter()
        .map(|s| s.map(|s| (s.file, s.records, s.checkpoint)))
        .collect();
    assert_eq!(
        done,
        [
            None,
            Some(("part-00000.jsonl".into(), 2, 1)),
            None,
            Some(("part-00001.jsonl".into(), 2, 3)),
            None,
            Some(("part-00002.jsonl".into(), 2, 5)),
        ]
    );
    // Nothing is open: finish writes no further shard.
    assert_eq!(writer.finish().unwrap(), None);
    assert_eq!(
        files(dir.path()),
        ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    );
}

#[test]
fn shards_roll_at_a_size() {
    let dir = tempdir().unwrap();
    let expected = fs::read_to_string(test_data().join("expected/documents.jsonl")).unwrap();
    let lines: Vec<&str> = expected.split_inclusive('\n').collect();
    // The first shard ends with the record that reaches the size: records 1 and 2.
    let limit = (lines[0].len() + 1) as u64;
    let options = ShardOptions {
        max_bytes: Some(limit),
        ..ShardOptions::new(ShardFormat::Jsonl)
    };
    let shards = write_documents(dir.path(), options);
    let summary: Vec<(&str, u64, u64, u64)> = shards
        .iter()
        .map(|s| (s.file.as_str(), s.records, s.bytes, s.checkpoint))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "part-00000.jsonl",
                2,
                (lines[0].len() + lines[1].len()) as u64,
                20
            ),
            ("part-00001.jsonl", 1, lines[2].len() as u64, 30),
        ]
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("part-00000.jsonl")).unwrap(),
        lines[..2].concat()
    );

    // Parquet: a limit smaller than any file makes one shard per record.
    let dir = tempdir().unwrap();
    let options = ShardOptions {
        max_bytes: Some(1),
        prefix: Some("docs".into()),
        ..ShardOptions::new(ShardFormat::Parquet)
    };
    let shards = write_documents(dir.path(), options);
    let names: Vec<(&str, u64)> = shards
        .iter()
        .map(|s| (s.file.as_str(), s.records))
        .collect();
    assert_eq!(
        names,
        [
            ("docs-00000.parquet", 1),
            ("docs-00001.parquet", 1),
            ("docs-00002.parquet", 1)
        ]
    );
    for shard in &shards {
        let rows = rows_as_json(&read_parquet(&dir.path().join(&shard.file)));
        assert_eq!(rows.len(), 1);
    }
}

#[test]
fn same_records_give_the_same_bytes() {
    for format in ShardFormat::ALL {
        let (a, b) = (tempdir().unwrap(), tempdir().unwrap());
        let options = ShardOptions {
            max_records: Some(2),
            ..ShardOptions::new(format)
        };
        let first = write_documents(a.path(), options.clone());
        let second = write_documents(b.path(), options);
        assert_eq!(first, second, "{format}");
        assert_eq!(first.len(), 2);
        for shard in &first {
            assert_eq!(
                fs::read(a.path().join(&shard.file)).unwrap(),
                fs::read(b.path().join(&shard.file)).unwrap(),
                "{format}"
            );
        }
    }
}

#[test]
fn a_shard_has_its_final_name_only_when_complete() {
    let dir = tempdir().unwrap();
    // A temporary file of an interrupted run is removed; other files are left alone.
    fs::write(dir.path().join(".part-00003.parquet.tmp"), "cut short").unwrap();
    fs::write(dir.path().join(".redirects-00000.parquet.tmp"), "not ours").unwrap();
    let docs = documents();
    let options = ShardOptions {
        first_index: 7,
        ..ShardOptions::new(ShardFormat::Parquet)
    };
    let mut writer = DocumentWriter::new(dir.path(), options).unwrap();
    assert_eq!(files(dir.path()), [".redirects-00000.parquet.tmp"]);
    assert_eq!(
        writer.write(&DocumentRecord::new(&docs[0]), 1).unwrap(),
        None
    );
    assert_eq!(
        files(dir.path()),
        [".part-00007.parquet.tmp", ".redirects-00000.parquet.tmp"]
    );
    let shard = writer.finish().unwrap().unwrap();
    assert_eq!(shard.file, "part-00007.parquet");
    assert_eq!(
        files(dir.path()),
        [".redirects-00000.parquet.tmp", "part-00007.parquet"]
    );

    // A writer numbering from 0 that gets no record still leaves one (empty) shard.
    let dir = tempdir().unwrap();
    let writer = RedirectWriter::new(dir.path(), ShardOptions::new(ShardFormat::Parquet)).unwrap();
    let shard = writer.finish().unwrap().unwrap();
    assert_eq!(
        (shard.file.as_str(), shard.records),
        ("redirects-00000.parquet", 0)
    );
    let batches = read_parquet(&dir.path().join(&shard.file));
    assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 0);
    // A resumed writer (numbering from 7) that gets no record writes nothing.
    let options = ShardOptions {
        first_index: 7,
        ..ShardOptions::new(ShardFormat::Parquet)
    };
    let writer = RedirectWriter::new(dir.path(), options).unwrap();
    assert_eq!(writer.finish().unwrap(), None);
}

#[test]
fn manifest_round_trip_and_verify() {
    let dir = tempdir().unwrap();
    let options = ShardOptions {
        max_records: Some(1),
        ..ShardOptions::new(ShardFormat::JsonlZst)
    };
    let mut manifest = Manifest::new("0.0.0", ShardFormat::JsonlZst);
    manifest.documents = write_documents(dir.path(), options.clone());
    let mut redirects_writer = RedirectWriter::new(dir.path(), options).unwrap();
    for record in redirects() {
        manifest
            .redirects
            .extend(redirects_writer.write(&record, 5).unwrap());
    }
    manifest
        .redirects
        .extend(redirects_writer.finish().unwrap());
    manifest.inputs.push(Input {
        path: "zhwiki-test-pages-articles.xml".into(),
        bytes: Some(1234),
        sha256: None,
    });
    manifest
        .options
        .insert("variant".into(), serde_json::Value::from("zh-Hans"));
    manifest.complete = true;
    manifest.write(dir.path()).unwrap();
    assert!(!dir.path().join("._manifest.json.tmp").exists());
    let read = Manifest::read(dir.path()).unwrap().unwrap();
    assert_eq!(read, manifest);
    let mut shown = read.clone();
    for shard in shown.documents.iter_mut().chain(&mut shown.redirects) {
        // Compressed bytes may differ between zstd library versions.
        shard.sha256 = "…".into();
        shard.bytes = 0;
    }
    expect_file("manifest.json", &shown.to_json());

    let verification = read.verify(dir.path()).unwrap();
    assert!(verification.is_ok());
    assert_eq!(verification.whole_prefix(), (3, 2));

    // Same size, other bytes; then cut short; then gone.
    let second = dir.path().join("part-00001.jsonl.zst");
    let mut bytes = fs::read(&second).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    fs::write(&second, &bytes).unwrap();
    fs::File::create(dir.path().join("redirects-00001.jsonl.zst"))
        .unwrap()
        .write_all(b"cut")
        .unwrap();
    fs::remove_file(dir.path().join("part-00002.jsonl.zst")).unwrap();
    let verification = read.verify(dir.path()).unwrap();
    assert!(!verification.is_ok());
    assert_eq!(verification.whole_prefix(), (1, 1));
    let problems: Vec<(&str, &ShardState)> = verification
        .problems()
        .into_iter()
        .map(|c| (c.file.as_str(), &c.state))
        .collect();
    assert_eq!(problems.len(), 3);
    assert_eq!(problems[0].0, "part-00001.jsonl.zst");
    assert_eq!(
        problems[0].1,
        &ShardState::WrongHash {
            sha256: sha256_of(&mut bytes.as_slice()).unwrap()
        }
    );
    assert_eq!(problems[1], ("part-00002.jsonl.zst", &ShardState::Missing));
    assert_eq!(
        problems[2],
        (
            "redirects-00001.jsonl.zst",
            &ShardState::WrongSize { bytes: 3 }
        )
    );

    // No manifest: None; a foreign one: an error naming the file.
    let empty = tempdir().unwrap();
    assert_eq!(Manifest::read(empty.path()).unwrap(), None);
    fs::write(empty.path().join(MANIFEST_FILE), "{\"manifest\": 1}").unwrap();
    let error = Manifest::read(empty.path()).unwrap_err().to_string();
    assert!(
        error.contains("_manifest.json: not a zhnorm manifest"),
        "{error}"
    );
}

/// A stream whose reader has gone.
#[derive(Debug)]
struct ClosedPipe;

impl Write for ClosedPipe {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }
}

#[test]
fn stream_writes_jsonl_and_reports_a_closed_pipe() {
    let docs = documents();
    let urls: Vec<Option<String>> = docs.iter().map(url_of).collect();
    let mut writer = JsonlWriter::<Documents, _>::new(Vec::new());
    for (doc, url) in docs.iter().zip(&urls) {
        let page = if doc.id == docs[0].id {
            page_of(0)
        } else {
            PageColumns::default()
        };
        writer
            .write(
                &DocumentRecord::new(doc)
                    .with_url(url.as_deref())
                    .with_page(page),
            )
            .unwrap();
    }
    assert_eq!(writer.records(), 3);
    let out = String::from_utf8(writer.finish().unwrap()).unwrap();
    assert_eq!(
        out,
        fs::read_to_string(test_data().join("expected/documents.jsonl")).unwrap()
    );

    // The buffer hides the error until it is flushed.
    let mut writer = JsonlWriter::<Documents, _>::new(ClosedPipe);
    writer.write(&DocumentRecord::new(&docs[0])).unwrap();
    let error = writer.finish().unwrap_err();
    assert!(error.is_broken_pipe(), "{error}");
    assert_eq!(error.to_string(), "the output was closed (broken pipe)");
}

#[cfg(unix)]
#[test]
fn a_real_closed_pipe_is_a_broken_pipe() {
    use std::process::{Command, Stdio};
    // `true` exits without reading its standard input.
    let mut child = Command::new("true").stdin(Stdio::piped()).spawn().unwrap();
    let stdin = child.stdin.take().unwrap();
    child.wait().unwrap();
    let docs = documents();
    let mut writer = JsonlWriter::<Documents, _>::new(stdin);
    let error = (0..10_000)
        .find_map(|_| writer.write(&DocumentRecord::new(&docs[0])).err())
        .expect("writing to a closed pipe fails");
    assert!(matches!(error, Error::BrokenPipe), "{error}");
}

#[test]
fn schema_document_shows_the_current_arrow_schema() {
    let path = test_data().join("../../../schema/zhnorm.record-1.md");
    let text = fs::read_to_string(&path).unwrap();
    let (begin, end) = (
        "<!-- BEGIN GENERATED SCHEMA -->\n",
        "<!-- END GENERATED SCHEMA -->",
    );
    let start = text.find(begin).expect("begin marker") + begin.len();
    let stop = text.find(end).expect("end marker");
    let generated = format!("```text\n{}```\n", record_schema_text());
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        fs::write(
            &path,
            format!("{}{generated}{}", &text[..start], &text[stop..]),
        )
        .unwrap();
        return;
    }
    assert!(
        text[start..stop] == generated,
        "schema/zhnorm.record-1.md is stale (UPDATE_EXPECT=1 cargo test -p zhnorm-dataset rewrites it)"
    );
}

/// The Parquet shards as Python users read them, when pyarrow is installed.
#[test]
fn pyarrow_reads_the_shards() {
    use std::process::Command;
    let has_pyarrow = Command::new("python3")
        .args(["-c", "import pyarrow"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_pyarrow {
        println!(
            "SKIPPED: pyarrow_reads_the_shards needs python3 with pyarrow (pip install pyarrow)"
        );
        return;
    }
    let dir = tempdir().unwrap();
    // Two document shards, a manifest and a temporary file in one folder: pyarrow reads the
    // folder as the shards alone (it skips names starting with `_` or `.`).
    let options = ShardOptions {
        max_records: Some(2),
        ..ShardOptions::new(ShardFormat::Parquet)
    };
    let mut manifest = Manifest::new("0.0.0", ShardFormat::Parquet);
    manifest.documents = write_documents(&dir.path().join("documents"), options);
    manifest.write(&dir.path().join("documents")).unwrap();
    fs::write(dir.path().join("documents/.part-00002.parquet.tmp"), "cut").unwrap();
    let mut writer =
        RedirectWriter::new(dir.path(), ShardOptions::new(ShardFormat::Parquet)).unwrap();
    for record in redirects() {
        writer.write(&record, 1).unwrap();
    }
    writer.finish().unwrap();
    let script = r#"
import json, sys
import pyarrow.parquet as pq
d = sys.argv[1]
docs = pq.read_table(d + "/documents")
listed = pq.read_table([d + "/documents/part-00000.parquet", d + "/documents/part-00001.parquet"])
assert listed.equals(docs)
reds = pq.read_table(d + "/redirects-00000.parquet")
rows = docs.select(["id", "url", "title", "text", "page_id"]).to_pylist()
refs = docs.column("references").to_pylist()
print(json.dumps({
    "columns": docs.column_names,
    "files": sorted(f.rsplit("/", 1)[-1] for f in pq.ParquetDataset(d + "/documents").files),
    "rows": rows,
    "authors": [[a for r in doc for a in r["author"]] for doc in refs],
    "redirects": reds.to_pylist(),
}, ensure_ascii=False, sort_keys=True, indent=1))
"#;
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    expect_file("pyarrow.json", &String::from_utf8(output.stdout).unwrap());
}

/// A pipeline encodes in its workers; the shards are the same bytes as when the writer encodes.
#[test]
fn pre_encoded_records_give_the_same_shards() {
    let docs = documents();
    let urls: Vec<Option<String>> = docs.iter().map(url_of).collect();
    for format in ShardFormat::ALL {
        let (a, b) = (tempdir().unwrap(), tempdir().unwrap());
        let options = ShardOptions {
            max_records: Some(2),
            ..ShardOptions::new(format)
        };
        let plain = write_documents(a.path(), options.clone());
        let mut writer = DocumentWriter::new(b.path(), options).unwrap();
        let mut shards = Vec::new();
        for (n, doc) in docs.iter().enumerate() {
            let record = DocumentRecord::new(doc)
                .with_url(urls[n].as_deref())
                .with_page(page_of(n));
            let checkpoint = 10 * (n as u64 + 1);
            let done = if format == ShardFormat::Parquet {
                let text = zhnorm_doc::article_text(doc);
                let json = serde_json::to_string(doc).unwrap();
                let record = record.with_text(&text).with_document_json(&json);
                writer.write(&record, checkpoint).unwrap()
            } else {
                let mut line = Vec::new();
                Documents::write_json(&record, &mut line);
                writer.write_line(&line, checkpoint).unwrap()
            };
            shards.extend(done);
        }
        shards.extend(writer.finish().unwrap());
        assert_eq!(shards, plain, "{format}");
    }

    // A Parquet shard takes records, not lines.
    let dir = tempdir().unwrap();
    let mut writer =
        DocumentWriter::new(dir.path(), ShardOptions::new(ShardFormat::Parquet)).unwrap();
    let error = writer.write_line(b"{}", 1).unwrap_err();
    assert_eq!(
        error.to_string(),
        "write_line writes JSON Lines; a Parquet shard takes records through write"
    );
}
