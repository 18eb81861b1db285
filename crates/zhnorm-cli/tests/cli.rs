//! The `zhnorm` binary end to end on dumps: what it writes (Parquet and JSON Lines shards read
//! back with arrow-rs, the redirects table, the report), the same bytes for any number of workers,
//! `--resume` after `kill -9` at random moments, standard input and output with a closed pipe,
//! and corrupt dumps.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use arrow_array::Array;

const BIN: &str = env!("CARGO_BIN_EXE_zhnorm");

fn test_data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test_data")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("zhnorm-cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn zhnorm(args: &[&str]) -> std::process::Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every file of a dataset folder but the report's timings: name → bytes.
fn dataset_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let redirects = std::fs::read_dir(dir.join("_redirects"))
        .into_iter()
        .flatten();
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .chain(redirects)
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            let name = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let mut bytes = std::fs::read(e.path()).unwrap();
            if name == "_report.json" {
                let mut report: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                report["timings_ms"] = serde_json::Value::Null;
                bytes = serde_json::to_vec(&report).unwrap();
            }
            (name, bytes)
        })
        .collect();
    files.sort();
    files
}

fn report(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("_report.json")).unwrap()).unwrap()
}

#[test]
fn a_dump_becomes_parquet_shards_with_redirects_and_a_report() {
    let out = scratch("parquet");
    let run = zhnorm(&[
        "normalize",
        "--input",
        path(&test_data("dump.xml")),
        "--output",
        path(&out),
        "--output-format",
        "parquet",
        "--jobs",
        "2",
        "--quiet",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    // The columns users of wikimedia/wikipedia expect come first, read with arrow-rs.
    let file = std::fs::File::open(out.join("part-00000.parquet")).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let batches: Vec<_> = reader.map(Result::unwrap).collect();
    let schema = batches[0].schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(names[..4], ["id", "url", "title", "text"]);
    let titles = batches[0]
        .column_by_name("title")
        .unwrap()
        .as_any()
        .downcast_ref::<arrow_array::StringArray>()
        .unwrap();
    let titles: Vec<&str> = (0..titles.len()).map(|i| titles.value(i)).collect();
    assert_eq!(titles, ["巴库", "阿塞拜疆共和国", "里海", "南高加索"]);

    let documents = zhnorm_dataset::read_documents(&out.join("part-00000.parquet")).unwrap();
    let baku = &documents[0];
    let page = baku.source.page.as_ref().unwrap();
    assert_eq!(
        (page.namespace, page.id, page.revision_id, page.parent_id),
        (0, Some(11), Some(110), Some(107))
    );
    assert_eq!(page.timestamp.as_deref(), Some("2026-01-10T00:10:00Z"));
    assert_eq!(
        page.url.as_deref(),
        Some("https://zh.wikipedia.org/wiki/%E5%B7%B4%E5%BA%93")
    );
    assert_eq!(baku.source.path, "dump.xml");
    // A page of the wikitext content model is read as wikitext, never guessed.
    assert_eq!(baku.source.format, zhnorm_doc::Format::Wikitext);
    assert!(baku.source.detection.overridden);
    assert_eq!(baku.references.len(), 1);
    assert_eq!(baku.references[0].title.as_deref(), Some("巴库概况"));
    // Traditional text of the source is converted: 位於 → 位于, 國家 → 国家.
    assert_eq!(
        zhnorm_doc::article_text(&documents[1]),
        "阿塞拜疆共和国是位于南高加索的国家，首都巴库。人口约一千万。\n\n参考资料"
    );

    let redirects =
        zhnorm_dataset::read_redirects(&out.join("_redirects/part-00000.parquet")).unwrap();
    assert_eq!(
        redirects,
        [zhnorm_dataset::StoredRedirect {
            title: "阿塞拜疆".to_owned(),
            target: "阿塞拜疆共和国".to_owned(),
            namespace: 0,
            page_id: Some(12),
        }]
    );

    let report = report(&out);
    assert_eq!(report["documents"], 4);
    assert_eq!(report["redirects"], 1);
    assert_eq!(
        report["skipped"],
        serde_json::json!({"deleted": 1, "namespace": 2})
    );
    assert_eq!(report["failed"], 0);
    // Links to 阿塞拜疆 resolve through the redirect; 阿克套, 亚美尼亚 and 格鲁吉亚 are not in
    // the dump.
    assert_eq!(
        report["corpus"],
        serde_json::json!([
            "6 of 9 wiki links (66.7 %) resolve to a document of the corpus (0 more if script is ignored)"
        ])
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("_manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["complete"], true);
    assert_eq!(manifest["documents"][0]["records"], 4);
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("_diagnostics.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!out.join("_resume.json").exists());
}

/// A dump of `articles` pages in a multistream-like layout of 10 pages per `<page>` group, built
/// from the fixture's articles under new titles, with one redirect and one template page every
/// few pages.
fn big_dump(articles: usize) -> String {
    let fixture = std::fs::read_to_string(test_data("dump.xml")).unwrap();
    let header_end = fixture.find("  <page>").unwrap();
    let mut xml = fixture[..header_end].to_owned();
    let bodies: Vec<&str> = fixture
        .split("<text bytes=\"1\" xml:space=\"preserve\">")
        .skip(1)
        .map(|rest| &rest[..rest.find("</text>").unwrap()])
        .filter(|body| !body.starts_with("#REDIRECT") && body.contains("'''"))
        .collect();
    let mut id = 100;
    for i in 0..articles {
        id += 1;
        let title = format!("条目{i}");
        xml.push_str(&format!(
            "  <page>\n    <title>{title}</title>\n    <ns>0</ns>\n    <id>{id}</id>\n    <revision>\n      <id>{}</id>\n      <timestamp>2026-02-01T00:00:00Z</timestamp>\n      <model>wikitext</model>\n      <format>text/x-wiki</format>\n      <text bytes=\"1\" xml:space=\"preserve\">{}\n\n[[条目{}]]</text>\n    </revision>\n  </page>\n",
            id * 10,
            bodies[i % bodies.len()],
            (i + 1) % articles
        ));
        if i % 3 == 0 {
            id += 1;
            xml.push_str(&format!(
                "  <page>\n    <title>别名{i}</title>\n    <ns>0</ns>\n    <id>{id}</id>\n    <redirect title=\"{title}\" />\n    <revision>\n      <id>{}</id>\n      <model>wikitext</model>\n      <format>text/x-wiki</format>\n      <text bytes=\"1\" xml:space=\"preserve\">#REDIRECT [[{title}]]</text>\n    </revision>\n  </page>\n",
                id * 10
            ));
        }
        if i % 7 == 0 {
            id += 1;
            xml.push_str(&format!(
                "  <page>\n    <title>Template:T{i}</title>\n    <ns>10</ns>\n    <id>{id}</id>\n    <revision>\n      <id>{}</id>\n      <model>wikitext</model>\n      <format>text/x-wiki</format>\n      <text bytes=\"1\" xml:space=\"preserve\">x</text>\n    </revision>\n  </page>\n",
                id * 10
            ));
        }
    }
    xml.push_str("</mediawiki>\n");
    xml
}

#[test]
fn one_and_two_workers_write_the_same_shards() {
    let dir = scratch("jobs");
    let dump = dir.join("dump.xml");
    std::fs::write(&dump, big_dump(60)).unwrap();
    for format in ["jsonl", "parquet"] {
        let mut outputs = Vec::new();
        for jobs in ["1", "2"] {
            let out = dir.join(format!("{format}-{jobs}"));
            let run = zhnorm(&[
                "normalize",
                "--input",
                path(&dump),
                "--output",
                path(&out),
                "--output-format",
                format,
                "--shard-docs",
                "16",
                "--jobs",
                jobs,
                "--quiet",
            ]);
            assert!(
                run.status.success(),
                "{}",
                String::from_utf8_lossy(&run.stderr)
            );
            outputs.push(dataset_files(&out));
        }
        let names: Vec<&str> = outputs[0].iter().map(|(n, _)| n.as_str()).collect();
        let extension = if format == "jsonl" {
            "jsonl.zst"
        } else {
            "parquet"
        };
        for shard in 0..4 {
            assert!(
                names.contains(&format!("part-0000{shard}.{extension}").as_str()),
                "{names:?}"
            );
        }
        assert!(
            outputs[0] == outputs[1],
            "{format}: --jobs 1 and --jobs 2 differ"
        );
    }
}

#[test]
fn a_run_killed_at_random_moments_resumes_to_the_same_bytes() {
    let dir = scratch("resume");
    let dump = dir.join("dump.xml");
    std::fs::write(&dump, big_dump(300)).unwrap();
    let args = |out: &Path| -> Vec<String> {
        [
            "normalize",
            "--input",
            path(&dump),
            "--output",
            path(out),
            "--output-format",
            "parquet",
            "--shard-docs",
            "25",
            "--jobs",
            "2",
            "--quiet",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
    };
    let whole = dir.join("whole");
    let start = Instant::now();
    let run = Command::new(BIN).args(args(&whole)).output().unwrap();
    let full_time = start.elapsed();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let expected = dataset_files(&whole);

    // Moments spread over the run, shifted by the clock so that each test run kills elsewhere.
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    for k in 0..4u32 {
        let fraction = (f64::from(k) + f64::from((seed >> (k * 8)) % 256) / 256.0) / 4.0;
        let delay = full_time.mul_f64(fraction * 0.9);
        let out = dir.join(format!("killed-{k}"));
        let mut child = Command::new(BIN)
            .args(args(&out))
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        // SIGKILL on Unix: the process gets no chance to clean up.
        let _ = child.kill();
        let _ = child.wait();
        let mut resumed = args(&out);
        resumed.push("--resume".to_owned());
        let run = Command::new(BIN).args(&resumed).output().unwrap();
        assert!(
            run.status.success(),
            "resume after a kill at {delay:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let got = dataset_files(&out);
        let names = |files: &[(String, Vec<u8>)]| -> Vec<String> {
            files.iter().map(|(n, _)| n.clone()).collect()
        };
        assert_eq!(names(&got), names(&expected), "kill at {delay:?}");
        for ((name, a), (_, b)) in got.iter().zip(&expected) {
            assert!(
                a == b,
                "{name} differs after a kill at {delay:?} and --resume"
            );
        }
    }
}

#[test]
fn standard_input_to_standard_output_stops_cleanly_on_a_closed_pipe() {
    let dir = scratch("pipe");
    let dump = dir.join("dump.xml");
    std::fs::write(&dump, big_dump(200)).unwrap();
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "cat '{}' | '{BIN}' normalize --input - --output - | head -c 1000",
            dump.display()
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.stdout.len(), 1000);
    assert!(
        output
            .stdout
            .starts_with(r#"{"id":"条目0","url":"https://zh.wikipedia.org/wiki/"#.as_bytes())
    );

    // Without a closed pipe, every document arrives, one JSON object a line.
    let mut child = Command::new(BIN)
        .args(["normalize", "--input", "-", "--output", "-", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let xml = std::fs::read(test_data("dump.xml")).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&xml).unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let titles: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["title"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(titles, ["巴库", "阿塞拜疆共和国", "里海", "南高加索"]);
}

#[test]
fn a_dump_cut_in_a_page_keeps_the_pages_before_and_names_the_place() {
    let dir = scratch("cut");
    let xml = std::fs::read_to_string(test_data("dump.xml")).unwrap();
    // Cut inside the page of 里海 (id 16): the pages before it are complete.
    let cut = xml.find("最大的湖泊").unwrap();
    let dump = dir.join("cut.xml");
    std::fs::write(&dump, &xml[..cut]).unwrap();
    let out = dir.join("out");
    let run = zhnorm(&[
        "normalize",
        "--input",
        path(&dump),
        "--output",
        path(&out),
        "--output-format",
        "jsonl",
        "--compression",
        "none",
        "--quiet",
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("cut.xml"), "{stderr}");
    // The error names the file once.
    assert_eq!(stderr.matches("cut.xml").count(), 1, "{stderr}");
    assert!(stderr.contains("byte"), "{stderr}");
    assert!(stderr.contains("last good page: id 15"), "{stderr}");
    let lines = std::fs::read_to_string(out.join("part-00000.jsonl")).unwrap();
    let titles: Vec<String> = lines
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["title"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(titles, ["巴库", "阿塞拜疆共和国"]);
    assert_eq!(report(&out)["failed"], 1);
}

#[test]
fn a_truncated_bz2_dump_keeps_the_complete_streams() {
    let dir = scratch("bz2");
    let xml = big_dump(40);
    // Streams as in a multistream dump: the header, then groups of pages, then the footer.
    let first_page = xml.find("  <page>").unwrap();
    let mut pieces = vec![xml[..first_page].to_owned()];
    let pages: Vec<String> = xml[first_page..xml.rfind("</mediawiki>").unwrap()]
        .split_inclusive("  </page>\n")
        .map(str::to_owned)
        .collect();
    let groups: Vec<String> = pages.chunks(20).map(<[String]>::concat).collect();
    let complete_articles = groups[..groups.len() - 1]
        .iter()
        .map(|g| g.matches("<ns>0</ns>").count() - g.matches("<redirect").count())
        .sum::<usize>();
    pieces.extend(groups);
    pieces.push("</mediawiki>\n".to_owned());
    let mut bytes = Vec::new();
    for piece in &pieces {
        let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
        encoder.write_all(piece.as_bytes()).unwrap();
        bytes.extend(encoder.finish().unwrap());
    }
    // Cut in the middle of the last stream of pages.
    let dump = dir.join("cut-pages-articles.xml.bz2");
    std::fs::write(&dump, &bytes[..bytes.len() - 200]).unwrap();
    let out = dir.join("out");
    let run = zhnorm(&[
        "normalize",
        "--input",
        path(&dump),
        "--output",
        path(&out),
        "--quiet",
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("cut-pages-articles.xml.bz2"), "{stderr}");
    assert!(stderr.contains("last good page"), "{stderr}");
    // Every article of the complete streams is there, and none of the cut one.
    assert!(complete_articles > 10 && complete_articles < 40);
    assert_eq!(report(&out)["documents"], complete_articles);
}

#[test]
fn json_lines_in_give_records_out_and_a_bad_line_is_named() {
    let dir = scratch("jsonl");
    let out = dir.join("out");
    let run = zhnorm(&[
        "normalize",
        "--input",
        path(&test_data("pages.jsonl")),
        "--output",
        path(&out),
        "--compression",
        "gzip",
        "--quiet",
    ]);
    // The bad line fails, the others go through.
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("pages.jsonl:3"), "{stderr}");
    let documents = zhnorm_dataset::read_documents(&out.join("part-00000.jsonl.gz")).unwrap();
    let summary: Vec<(&str, Option<u64>, Option<&str>, zhnorm_doc::Format)> = documents
        .iter()
        .map(|d| {
            let page = d.source.page.as_ref().unwrap();
            (
                d.title.as_str(),
                page.id,
                page.key.as_deref(),
                d.source.format,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("巴库", Some(101), None, zhnorm_doc::Format::Wikitext),
            ("里海", Some(102), None, zhnorm_doc::Format::Wikitext),
            ("高加索", None, None, zhnorm_doc::Format::Scraped),
        ]
    );
    let caspian = documents[1].source.page.as_ref().unwrap();
    assert_eq!(caspian.revision_id, Some(7));
    assert_eq!(caspian.timestamp.as_deref(), Some("2026-03-01T00:00:00Z"));
    assert_eq!(
        zhnorm_doc::article_text(&documents[1]),
        "里海位于巴库以东。"
    );
    assert_eq!(report(&out)["failed"], 1);
}

#[test]
fn conversion_groups_apply_and_a_missing_one_is_reported_once() {
    let dir = scratch("cgroups");
    let out = dir.join("out");
    let run = zhnorm(&[
        "normalize",
        "--input",
        path(&test_data("cgroup_articles.jsonl")),
        "--output",
        path(&out),
        "--output-format",
        "jsonl",
        "--compression",
        "none",
        "--variant",
        "zh-TW",
        "--conversion-groups",
        path(&test_data("cgroups.jsonl")),
        "--quiet",
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let documents = zhnorm_dataset::read_documents(&out.join("part-00000.jsonl")).unwrap();
    let texts: Vec<String> = documents.iter().map(zhnorm_doc::article_text).collect();
    assert_eq!(texts, ["雪梨軟體用滑鼠。", "軟體。"]);
    // `Nowhere` is named by both pages and reported once, for the run.
    let report = report(&out);
    let text = report.to_string();
    assert_eq!(text.matches("`Nowhere`").count(), 1, "{text}");
}

/// A multistream dump with its index: the header, streams of pages, the footer, each its own
/// bz2 stream, and `offset:id:title` lines.
fn multistream(dir: &Path, name: &str, pages: &[(u64, &str, u32, &str)]) -> PathBuf {
    let bz = |text: &str| {
        let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
        encoder.write_all(text.as_bytes()).unwrap();
        encoder.finish().unwrap()
    };
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut bytes = bz(
        "<mediawiki xmlns=\"http://www.mediawiki.org/xml/export-0.11/\" xml:lang=\"zh\">\n  <siteinfo>\n    <dbname>zhwiki</dbname>\n  </siteinfo>\n",
    );
    let mut index = String::new();
    // Two pages per stream.
    for chunk in pages.chunks(2) {
        let offset = bytes.len();
        let mut xml = String::new();
        for (id, title, ns, text) in chunk {
            index.push_str(&format!("{offset}:{id}:{title}\n"));
            xml.push_str(&format!(
                "  <page>\n    <title>{}</title>\n    <ns>{ns}</ns>\n    <id>{id}</id>\n    <revision>\n      <id>{id}</id>\n      <text xml:space=\"preserve\">{}</text>\n    </revision>\n  </page>\n",
                escape(title),
                escape(text)
            ));
        }
        bytes.extend(bz(&xml));
    }
    bytes.extend(bz("</mediawiki>\n"));
    let dump = dir.join(format!("{name}-multistream.xml.bz2"));
    std::fs::write(&dump, bytes).unwrap();
    std::fs::write(
        dir.join(format!("{name}-multistream-index.txt.bz2")),
        bz(&index),
    )
    .unwrap();
    dump
}

#[test]
fn a_multistream_dump_brings_its_own_conversion_groups() {
    let dir = scratch("cgroups-index");
    let dump = multistream(
        &dir,
        "zhwiki",
        &[
            (
                1,
                "悉尼软件",
                0,
                "{{NoteTA|G1=IT|G2=Nowhere}}\n'''悉尼软件'''用鼠标。",
            ),
            (
                2,
                "Module:CGroup/IT",
                828,
                "return { content = { Item('software', 'zh-cn:软件; zh-tw:軟體;'), Item('mouse', 'zh-cn:鼠标; zh-tw:滑鼠;') } }",
            ),
            (3, "软件", 0, "{{NoteTA|G1=Nowhere}}\n'''软件'''。"),
        ],
    );
    let out = dir.join("out");
    let run = zhnorm(&[
        "normalize",
        "--input",
        path(&dump),
        "--output",
        path(&out),
        "--output-format",
        "jsonl",
        "--compression",
        "none",
        "--variant",
        "zh-TW",
        "--quiet",
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let documents = zhnorm_dataset::read_documents(&out.join("part-00000.jsonl")).unwrap();
    let texts: Vec<String> = documents.iter().map(zhnorm_doc::article_text).collect();
    assert_eq!(texts, ["悉尼軟體用滑鼠。", "軟體。"]);
    let text = report(&out).to_string();
    assert_eq!(text.matches("`Nowhere`").count(), 1, "{text}");
}
