//! The readers on small fixtures: XML exports (`test_data/xml`), corrupt inputs (`test_data/corrupt`)
//! and JSON Lines (`test_data/jsonl`) against the committed `.expected` renderings beside them
//! (`UPDATE_EXPECT=1` rewrites them); multistream dumps built here with the bz2 encoder, read in
//! parallel and sequentially, resumed, split, truncated and mis-indexed, with exact errors.

use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use zhnorm_dump::{
    DumpError, Index, InputKind, OpenOptions, Page, Pages, from_reader, open, read_streams,
};

/// Every item of an iteration, with the site information first: pages in full (Debug), errors as
/// their message and whether they are fatal.
fn render(pages: Pages) -> String {
    let mut out = format!("siteinfo: {:#?}\n", pages.siteinfo());
    for item in pages {
        match item {
            Ok(page) => out.push_str(&format!("{page:#?}\n")),
            Err(err) => out.push_str(&format!(
                "error{}: {err}\n",
                if err.fatal { " (fatal)" } else { "" }
            )),
        }
    }
    out
}

/// Compares with `FILE.expected`, or writes it when `UPDATE_EXPECT` is set.
fn expect(file: &Path, actual: &str) {
    let expected_path = PathBuf::from(format!("{}.expected", file.display()));
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        fs::write(&expected_path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&expected_path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run with UPDATE_EXPECT=1",
            expected_path.display()
        )
    });
    assert!(
        actual == expected,
        "{} differs:\n{actual}",
        expected_path.display()
    );
}

fn fixtures(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(Path::new("test_data").join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

fn collect(pages: Pages) -> (Vec<Page>, Vec<DumpError>) {
    let (mut ok, mut errors) = (Vec::new(), Vec::new());
    for item in pages {
        match item {
            Ok(page) => ok.push(page),
            Err(err) => errors.push(err),
        }
    }
    (ok, errors)
}

#[test]
fn xml_exports() {
    for file in fixtures("xml", "xml") {
        expect(
            &file,
            &render(open(&file, &OpenOptions::default()).unwrap()),
        );
    }
}

#[test]
fn corrupt_xml_ends_with_one_exact_error() {
    for file in fixtures("corrupt", "xml") {
        let rendered = render(open(&file, &OpenOptions::default()).unwrap());
        assert_eq!(
            rendered.matches("error (fatal)").count(),
            1,
            "{}",
            file.display()
        );
        assert!(
            rendered
                .trim_end()
                .lines()
                .last()
                .unwrap()
                .starts_with("error (fatal)")
        );
        expect(&file, &rendered);
    }
}

#[test]
fn a_reader_gives_what_the_file_gives() {
    for file in fixtures("xml", "xml")
        .into_iter()
        .chain(fixtures("corrupt", "xml"))
    {
        let name = file.display().to_string();
        let reader = Box::new(Cursor::new(fs::read(&file).unwrap()));
        let from_file = render(open(&file, &OpenOptions::default()).unwrap());
        assert_eq!(
            render(from_reader(reader, &name, &OpenOptions::default()).unwrap()),
            from_file
        );
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn bzip(data: &[u8]) -> Vec<u8> {
    let mut enc = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::new(1));
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("zhnorm-dump")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn json_lines_plain_gz_zst() {
    let file = Path::new("test_data/jsonl/pages.jsonl");
    let rendered = render(open(file, &OpenOptions::default()).unwrap());
    expect(file, &rendered);
    let (pages, errors) = collect(open(file, &OpenOptions::default()).unwrap());
    assert_eq!(pages.len(), 5);
    assert_eq!(
        errors.iter().map(|e| (e.line, e.fatal)).collect::<Vec<_>>(),
        [(Some(5), false), (Some(6), false)]
    );

    // The malformed lines 5 and 6 come after the third page: resuming after it reports them,
    // resuming after the fourth does not.
    for (skip, errors_after) in [(3, 2), (4, 0)] {
        let resumed = OpenOptions {
            skip_pages: skip,
            ..OpenOptions::default()
        };
        let (rest, errors) = collect(open(file, &resumed).unwrap());
        assert_eq!(
            (rest.as_slice(), errors.len()),
            (&pages[skip as usize..], errors_after)
        );
    }

    let data = fs::read(file).unwrap();
    let dir = scratch("jsonl");
    let gz = dir.join("pages.jsonl.gz");
    fs::write(&gz, gzip(&data)).unwrap();
    let zst = dir.join("pages.jsonl.zst");
    fs::write(&zst, zstd::encode_all(&data[..], 3).unwrap()).unwrap();
    // Offsets are in decoded bytes and errors name their line: the same as the plain file, but the name.
    for compressed in [gz, zst] {
        let name = compressed.display().to_string();
        let got = render(open(&compressed, &OpenOptions::default()).unwrap());
        assert_eq!(got.replace(&name, &file.display().to_string()), rendered);
    }
    // Two gzip members one after the other are one input.
    let mut two = gzip(&data[..data.len() / 2]);
    two.extend(gzip(&data[data.len() / 2..]));
    let got = render(
        from_reader(
            Box::new(Cursor::new(two)),
            &file.display().to_string(),
            &OpenOptions::default(),
        )
        .unwrap(),
    );
    assert_eq!(got, rendered);
}

#[test]
fn standard_input_is_detected() {
    let xml = fs::read("test_data/xml/schema-0.11.xml").unwrap();
    let jsonl = fs::read("test_data/jsonl/pages.jsonl").unwrap();
    let cases: Vec<(&str, Vec<u8>, usize)> = vec![
        ("xml", xml.clone(), 3),
        ("bz2", bzip(&xml), 3),
        ("jsonl", jsonl.clone(), 5),
        ("gz", gzip(&jsonl), 5),
        ("zst", zstd::encode_all(&jsonl[..], 1).unwrap(), 5),
    ];
    for (what, bytes, count) in cases {
        let pages =
            from_reader(Box::new(Cursor::new(bytes)), "-", &OpenOptions::default()).unwrap();
        let (pages, _) = collect(pages);
        assert_eq!(pages.len(), count, "{what}");
    }
    let err = from_reader(
        Box::new(Cursor::new(b"hello".to_vec())),
        "-",
        &OpenOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "-: cannot tell the kind of input from its name or its first bytes"
    );
    // A forced kind wins over the bytes.
    let forced = OpenOptions {
        kind: Some(InputKind::Jsonl),
        ..OpenOptions::default()
    };
    let (pages, errors) = collect(from_reader(Box::new(Cursor::new(xml)), "-", &forced).unwrap());
    assert!(pages.is_empty());
    assert_eq!(errors[0].line, Some(1));
    assert!(!errors[0].fatal);
}

/// A multistream dump written by the test: header stream, streams of `per_stream` pages, footer.
struct Dump {
    bz2: PathBuf,
    plain: PathBuf,
    /// The offset of each page stream.
    offsets: Vec<u64>,
    /// The pages' ids and titles, in order.
    pages: Vec<(u64, String)>,
    file_len: u64,
}

const HEADER: &str = r#"<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="zh">
  <siteinfo>
    <sitename>Wikipedia</sitename>
    <dbname>zhwiki</dbname>
    <base>https://zh.wikipedia.org/wiki/Wikipedia:%E9%A6%96%E9%A1%B5</base>
    <namespaces>
      <namespace key="0" case="first-letter" />
      <namespace key="828" case="first-letter">模块</namespace>
    </namespaces>
  </siteinfo>
"#;

fn page_xml(i: usize) -> (u64, String, String) {
    let id = 1000 + i as u64;
    let (ns, title) = if i % 10 == 9 {
        (828, format!("模块:M{i}"))
    } else {
        (0, format!("页面 {i} &amp; 条目"))
    };
    let redirect = if i % 3 == 1 {
        format!("    <redirect title=\"页面 {} &amp; 条目\" />\n", i - 1)
    } else {
        String::new()
    };
    let model = if ns == 828 { "Scribunto" } else { "wikitext" };
    let text = if i % 17 == 16 {
        "<text deleted=\"deleted\" />".to_owned()
    } else {
        format!(
            "<text xml:space=\"preserve\">第{i}页：&lt;ref&gt;{}&lt;/ref&gt;</text>",
            "内容".repeat(i % 7 + 1)
        )
    };
    let xml = format!(
        "  <page>\n    <title>{title}</title>\n    <ns>{ns}</ns>\n    <id>{id}</id>\n{redirect}    <revision>\n      <id>{}</id>\n      <model>{model}</model>\n      {text}\n    </revision>\n  </page>\n",
        id * 10
    );
    (id, title.replace("&amp;", "&"), xml)
}

fn make_dump(name: &str, count: usize, per_stream: usize) -> Dump {
    let dir = scratch(name);
    let (mut data, mut plain, mut index, mut offsets, mut pages) = (
        bzip(HEADER.as_bytes()),
        HEADER.to_owned(),
        String::new(),
        Vec::new(),
        Vec::new(),
    );
    for chunk in (0..count).collect::<Vec<_>>().chunks(per_stream) {
        let offset = data.len() as u64;
        offsets.push(offset);
        let mut xml = String::new();
        for &i in chunk {
            let (id, title, page) = page_xml(i);
            xml.push_str(&page);
            index.push_str(&format!("{offset}:{id}:{title}\n"));
            pages.push((id, title));
        }
        data.extend(bzip(xml.as_bytes()));
        plain.push_str(&xml);
    }
    data.extend(bzip(b"</mediawiki>\n"));
    plain.push_str("</mediawiki>\n");
    let bz2 = dir.join("test-pages-articles-multistream.xml.bz2");
    fs::write(&bz2, &data).unwrap();
    fs::write(
        dir.join("test-pages-articles-multistream-index.txt.bz2"),
        bzip(index.as_bytes()),
    )
    .unwrap();
    let plain_path = dir.join("test-pages-articles.xml");
    fs::write(&plain_path, plain).unwrap();
    Dump {
        bz2,
        plain: plain_path,
        offsets,
        pages,
        file_len: data.len() as u64,
    }
}

fn options(threads: usize) -> OpenOptions {
    OpenOptions {
        threads,
        ..OpenOptions::default()
    }
}

fn sequential() -> OpenOptions {
    OpenOptions {
        use_index: false,
        ..OpenOptions::default()
    }
}

/// Pages without their offsets, which differ between the plain and the compressed file.
fn without_offsets(pages: &[Page]) -> Vec<Page> {
    pages
        .iter()
        .cloned()
        .map(|p| Page { offset: 0, ..p })
        .collect()
}

#[test]
fn multistream_parallel_equals_sequential_equals_plain() {
    let dump = make_dump("equal", 47, 5);
    let (plain, errors) = collect(open(&dump.plain, &options(1)).unwrap());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        plain
            .iter()
            .map(|p| (p.id.unwrap(), p.title.clone()))
            .collect::<Vec<_>>(),
        dump.pages
    );
    let seq = open(&dump.bz2, &sequential()).unwrap();
    assert_eq!((seq.kind(), seq.indexed()), (InputKind::XmlBz2, false));
    let (seq, errors) = collect(seq);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(without_offsets(&seq), without_offsets(&plain));
    // Every page reports the offset of its stream.
    let stream_of = |i: usize| dump.offsets[i / 5];
    assert_eq!(
        seq.iter().map(|p| p.offset).collect::<Vec<_>>(),
        (0..47).map(stream_of).collect::<Vec<_>>()
    );
    for threads in [1, 2, 3, 8] {
        let pages = open(&dump.bz2, &options(threads)).unwrap();
        assert_eq!((pages.kind(), pages.indexed()), (InputKind::XmlBz2, true));
        assert_eq!(pages.total_bytes(), Some(dump.file_len));
        let progress = pages.progress();
        let site = pages.siteinfo().unwrap().clone();
        assert_eq!(site.dbname.as_deref(), Some("zhwiki"));
        assert_eq!(site.namespaces.get(&828).map(String::as_str), Some("模块"));
        let (par, errors) = collect(pages);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(par, seq, "{threads} threads");
        assert_eq!(
            progress.load(std::sync::atomic::Ordering::Relaxed),
            dump.file_len
        );
    }
    let redirect = &seq[1];
    assert_eq!(redirect.redirect.as_deref(), Some("页面 0 & 条目"));
    assert_eq!(
        redirect.url.as_deref(),
        Some("https://zh.wikipedia.org/wiki/%E9%A1%B5%E9%9D%A2_1_%26_%E6%9D%A1%E7%9B%AE")
    );
    assert_eq!(
        (seq[9].namespace, seq[9].model.as_deref()),
        (828, Some("Scribunto"))
    );
    assert_eq!(seq[16].text, None);
    assert_eq!(
        seq[2].text.as_deref(),
        Some("第2页：<ref>内容内容内容</ref>")
    );
}

#[test]
fn resume_and_split() {
    let dump = make_dump("resume", 47, 5);
    let (all, _) = collect(open(&dump.bz2, &options(2)).unwrap());
    for skip in [0, 1, 5, 7, 45, 46, 47, 60] {
        for opts in [options(2), sequential()] {
            let (pages, errors) = collect(
                open(
                    &dump.bz2,
                    &OpenOptions {
                        skip_pages: skip,
                        ..opts.clone()
                    },
                )
                .unwrap(),
            );
            assert!(errors.is_empty());
            assert_eq!(
                pages,
                all[(skip as usize).min(47)..],
                "skip {skip} {opts:?}"
            );
        }
        let (pages, _) = collect(
            open(
                &dump.plain,
                &OpenOptions {
                    skip_pages: skip,
                    ..OpenOptions::default()
                },
            )
            .unwrap(),
        );
        assert_eq!(
            without_offsets(&pages),
            without_offsets(&all[(skip as usize).min(47)..])
        );
    }
    // Streams 1 and 2 are pages 5..15; with a skip, counted inside the chosen streams.
    let split = |streams, skip| {
        let opts = OpenOptions {
            streams: Some(streams),
            skip_pages: skip,
            ..options(2)
        };
        collect(open(&dump.bz2, &opts).unwrap()).0
    };
    assert_eq!(split(1..3, 0), all[5..15]);
    assert_eq!(split(1..3, 6), all[11..15]);
    assert_eq!(split(9..10, 0), all[45..47]);
    assert_eq!(split(9..20, 0), all[45..47]);
    assert!(split(3..3, 0).is_empty());
    let err = open(
        &dump.plain,
        &OpenOptions {
            streams: Some(0..1),
            ..OpenOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        err.kind.to_string(),
        "wrong multistream index: reading chosen streams needs the multistream index"
    );
}

#[test]
fn index_and_chosen_streams() {
    let dump = make_dump("index", 23, 10);
    let index_path = dump
        .bz2
        .with_file_name("test-pages-articles-multistream-index.txt.bz2");
    let index = Index::load(&index_path).unwrap();
    let streams: Vec<_> = index
        .streams()
        .iter()
        .map(|s| (s.offset, s.first_page_id, s.page_count))
        .collect();
    assert_eq!(
        streams,
        [
            (dump.offsets[0], 1000, 10),
            (dump.offsets[1], 1010, 10),
            (dump.offsets[2], 1020, 3)
        ]
    );
    assert_eq!(index.page_count(), 23);
    let found = index.find_titles(|t| t.starts_with("模块:")).unwrap();
    assert_eq!(
        found,
        [
            (dump.offsets[0], 1009, "模块:M9".to_owned()),
            (dump.offsets[1], 1019, "模块:M19".to_owned())
        ]
    );
    let pages = read_streams(&dump.bz2, &[found[1].0]).unwrap();
    let (all, _) = collect(open(&dump.bz2, &options(2)).unwrap());
    assert_eq!(pages, all[10..20]);
    let pages = read_streams(&dump.bz2, &[dump.offsets[2], dump.offsets[0]]).unwrap();
    assert_eq!(pages, [&all[20..23], &all[..10]].concat());
    let err = read_streams(&dump.bz2, &[dump.offsets[1] + 1]).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: the bz2 data is corrupt (no bz2 stream header here) at byte {}",
            dump.bz2.display(),
            dump.offsets[1] + 1
        )
    );
    // An explicit index (here a plain-text one) works as well as the one beside the dump.
    let text = dump.bz2.with_file_name("other.txt");
    let mut plain_index = String::new();
    bzip2::read::BzDecoder::new(fs::File::open(&index_path).unwrap())
        .read_to_string(&mut plain_index)
        .unwrap();
    fs::write(&text, plain_index).unwrap();
    let renamed = dump.bz2.with_file_name("renamed.xml.bz2");
    fs::copy(&dump.bz2, &renamed).unwrap();
    let opts = OpenOptions {
        index: Some(text),
        ..options(2)
    };
    assert_eq!(collect(open(&renamed, &opts).unwrap()).0, all);
}

/// Reads `bytes` as a dump named `name` beside `index`, with and without the index.
fn read_broken(dir: &Path, bytes: &[u8], index: Option<&str>) -> [(Vec<Page>, Vec<DumpError>); 2] {
    let bz2 = dir.join("broken-multistream.xml.bz2");
    fs::write(&bz2, bytes).unwrap();
    let index_path = dir.join("broken-multistream-index.txt.bz2");
    match index {
        Some(index) => fs::write(&index_path, bzip(index.as_bytes())).unwrap(),
        None => {
            let _ = fs::remove_file(&index_path);
        }
    }
    [
        collect(open(&bz2, &options(2)).unwrap()),
        collect(open(&bz2, &sequential()).unwrap()),
    ]
}

fn index_text(dump: &Dump, per_stream: usize) -> String {
    dump.pages
        .iter()
        .enumerate()
        .map(|(i, (id, title))| format!("{}:{id}:{title}\n", dump.offsets[i / per_stream]))
        .collect()
}

#[test]
fn truncated_bz2() {
    let dump = make_dump("truncated-src", 30, 10);
    let dir = scratch("truncated");
    let data = fs::read(&dump.bz2).unwrap();
    // Cut inside the third stream (pages 20..30): the first twenty pages are read.
    let cut = (dump.offsets[2] + 40) as usize;
    let name = dir.join("broken-multistream.xml.bz2").display().to_string();
    for (pages, errors) in read_broken(&dir, &data[..cut], Some(&index_text(&dump, 10))) {
        assert_eq!(pages.len(), 20);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            format!(
                "{name}: the bz2 data is truncated (it ends inside a compressed stream) at byte {cut} (last good page: id 1019 «模块:M19»)"
            )
        );
        assert!(errors[0].fatal);
    }
    // A single-stream file cut short, without an index.
    let plain = fs::read(&dump.plain).unwrap();
    let single = bzip(&plain);
    let cut = single.len() - 100;
    let [_, (pages, errors)] = read_broken(&dir, &single[..cut], None);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].kind, zhnorm_dump::DumpErrorKind::TruncatedBz2);
    assert_eq!(errors[0].offset, Some(cut as u64));
    // bz2 hands out a block (100 kB at level 1) only once it is whole: this file is one block.
    assert_eq!((pages.len(), &errors[0].last_good_page), (0, &None));
}

#[test]
fn wrong_index() {
    let dump = make_dump("index-src", 30, 10);
    let dir = scratch("wrong-index");
    let data = fs::read(&dump.bz2).unwrap();
    let name = dir.join("broken-multistream.xml.bz2").display().to_string();
    let good = index_text(&dump, 10);
    let (o1, o2) = (dump.offsets[1], dump.offsets[2]);

    // The second stream's offset is one byte late: the first stream (whose pages are whole) ends
    // before it.
    let late = good.replace(&format!("{o1}:"), &format!("{}:", o1 + 1));
    let [(pages, errors), (seq, seq_errors)] = read_broken(&dir, &data, Some(&late));
    assert_eq!(pages.len(), 10);
    assert_eq!(
        errors[0].to_string(),
        format!(
            "{name}: wrong multistream index: stream 0 ends before the next indexed stream (byte {}) at byte {o1} (last good page: id 1009 «模块:M9»)",
            o1 + 1
        )
    );
    assert_eq!(
        (seq.len(), seq_errors.len()),
        (30, 0),
        "without the index the dump reads whole"
    );

    // The second stream's offset is one byte early: the first stream runs past it (its last block
    // is whole before the stream's end marker, so its pages are read).
    let early = good.replace(&format!("{o1}:"), &format!("{}:", o1 - 1));
    let [(pages, errors), _] = read_broken(&dir, &data, Some(&early));
    assert_eq!(pages.len(), 10);
    assert_eq!(
        errors[0].to_string(),
        format!(
            "{name}: wrong multistream index: stream 0 runs past where the index puts the next stream at byte {} (last good page: id 1009 «模块:M9»)",
            o1 - 1
        )
    );

    // The second stream's offset is inside the first stream and the first is cut there: no stream
    // starts at the second's offset either, but the first stream's error comes first.
    let middle = good.replace(&format!("{o1}:"), &format!("{}:", dump.offsets[0] + 30));
    let [(pages, errors), _] = read_broken(&dir, &data, Some(&middle));
    assert_eq!(pages.len(), 0);
    assert_eq!(
        errors[0].to_string(),
        format!(
            "{name}: wrong multistream index: stream 0 runs past where the index puts the next stream at byte {}",
            dump.offsets[0] + 30
        )
    );

    // Reading from a stream whose offset is not the start of a bz2 stream (seven bytes late).
    let shifted = good.replace(&format!("{o1}:"), &format!("{}:", o1 + 7));
    read_broken(&dir, &data, Some(&shifted));
    let opts = OpenOptions {
        streams: Some(1..2),
        ..options(2)
    };
    let (pages, errors) = collect(open(&dir.join("broken-multistream.xml.bz2"), &opts).unwrap());
    assert_eq!(pages.len(), 0);
    assert_eq!(
        errors[0].to_string(),
        format!(
            "{name}: wrong multistream index: stream 1 does not start a bz2 stream at byte {}",
            o1 + 7
        )
    );

    // The third stream is put inside the second one: the second runs past it.
    let inside = good.replace(&format!("{o2}:"), &format!("{}:", o1 + 50));
    let [(pages, errors), _] = read_broken(&dir, &data, Some(&inside));
    assert_eq!(pages.len(), 10);
    assert_eq!(
        errors[0].to_string(),
        format!(
            "{name}: wrong multistream index: stream 1 runs past where the index puts the next stream at byte {} (last good page: id 1009 «模块:M9»)",
            o1 + 50
        )
    );

    // The first stream is put inside the header stream.
    let o0 = dump.offsets[0];
    let in_header = good.replace(&format!("{o0}:"), &format!("{}:", o0 - 3));
    let [(pages, errors), _] = read_broken(&dir, &data, Some(&in_header));
    assert_eq!(pages.len(), 0);
    assert_eq!(
        errors[0].to_string(),
        format!(
            "{name}: wrong multistream index: stream 0 starts inside the dump's header stream at byte {}",
            o0 - 3
        )
    );

    // The third stream is put past the end of the file: the second ends before it.
    let nowhere = good.replace(&format!("{o2}:"), &format!("{}:", dump.file_len + 10));
    let [(pages, errors), _] = read_broken(&dir, &data, Some(&nowhere));
    assert_eq!(pages.len(), 20);
    assert_eq!(
        errors[0].to_string(),
        format!(
            "{name}: wrong multistream index: stream 1 ends before the next indexed stream (byte {}) at byte {o2} (last good page: id 1019 «模块:M19»)",
            dump.file_len + 10
        )
    );

    // Offsets right, but the index says the second stream has one page fewer.
    let mut lines: Vec<&str> = good.lines().collect();
    lines.remove(15);
    let fewer = lines.join("\n");
    let [(pages, errors), _] = read_broken(&dir, &data, Some(&fewer));
    assert_eq!(pages.len(), 20);
    assert_eq!(
        errors[0].to_string(),
        format!(
            "{name}: wrong multistream index: stream 1 holds 10 pages from id 1010; the index lists 9 from id 1010 at byte {o1} (last good page: id 1019 «模块:M19»)"
        )
    );
}

#[test]
fn xml_errors_inside_streams_name_the_stream() {
    let dump = make_dump("invalid-src", 20, 10);
    let dir = scratch("invalid");
    let data = fs::read(&dump.bz2).unwrap();
    let name = dir.join("broken-multistream.xml.bz2").display().to_string();
    // Replace the second stream by one holding a page cut in half.
    let o1 = dump.offsets[1] as usize;
    let mut broken = data[..o1].to_vec();
    let (_, _, page) = page_xml(10);
    broken.extend(bzip(&page.as_bytes()[..page.len() / 2]));
    broken.extend(bzip(b"</mediawiki>\n"));
    let index: String = index_text(&dump, 10)
        .lines()
        .take(11)
        .map(|l| format!("{l}\n"))
        .collect();
    let [(pages, errors), (seq, seq_errors)] = read_broken(&dir, &broken, Some(&index));
    assert_eq!(pages.len(), 10);
    assert_eq!(
        errors[0].to_string(),
        format!(
            "{name}: the input ends inside <page> at byte {o1} (last good page: id 1009 «模块:M9»)"
        )
    );
    // Sequentially the page is cut by the next stream's `</mediawiki>`: invalid XML in that stream.
    assert_eq!(seq.len(), 10);
    let footer = o1 + bzip(&page.as_bytes()[..page.len() / 2]).len();
    assert_eq!(seq_errors[0].offset, Some(footer as u64));
    assert_eq!(
        seq_errors[0].to_string(),
        format!(
            "{name}: invalid XML: ill-formed document: expected `</id>`, but `</mediawiki>` was found (decoded byte 3393) at byte {footer} (last good page: id 1009 «模块:M9»)"
        )
    );
}

#[test]
fn invalid_xml_inside_a_parallel_stream() {
    let dump = make_dump("invalid-xml-src", 30, 10);
    let dir = scratch("invalid-xml");
    let data = fs::read(&dump.bz2).unwrap();
    let name = dir.join("broken-multistream.xml.bz2").display().to_string();
    // The second stream's first page has a misspelt end tag.
    let (o1, o2) = (dump.offsets[1] as usize, dump.offsets[2] as usize);
    let xml: String = (10..20).map(|i| page_xml(i).2).collect();
    let bad = xml.replacen("</title>", "</titel>", 1);
    let mut broken = data[..o1].to_vec();
    broken.extend(bzip(bad.as_bytes()));
    let o2_new = broken.len();
    broken.extend(&data[o2..]);
    let index = index_text(&dump, 10).replace(&format!("{o2}:"), &format!("{o2_new}:"));
    let [(pages, errors), (seq, seq_errors)] = read_broken(&dir, &broken, Some(&index));
    let at = bad.find("</titel>").unwrap();
    let (_, title, _) = page_xml(9);
    let expected = format!(
        "{name}: invalid XML: ill-formed document: expected `</title>`, but `</titel>` was found ({{}}) at byte {o1} (last good page: id 1009 «{title}»)"
    );
    assert_eq!(pages.len(), 10);
    assert_eq!(
        errors[0].to_string(),
        expected.replace("{}", &format!("byte {at} of the decoded stream"))
    );
    assert_eq!(seq.len(), 10);
    let decoded = HEADER.len() + (0..10).map(|i| page_xml(i).2.len()).sum::<usize>() + at;
    assert_eq!(
        seq_errors[0].to_string(),
        expected.replace("{}", &format!("decoded byte {decoded}"))
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), kind in 0usize..6) {
        let kinds = [None, Some(InputKind::Xml), Some(InputKind::XmlBz2), Some(InputKind::Jsonl), Some(InputKind::JsonlGz), Some(InputKind::JsonlZst)];
        let opts = OpenOptions { kind: kinds[kind], ..OpenOptions::default() };
        if let Ok(pages) = from_reader(Box::new(Cursor::new(bytes)), "-", &opts) {
            let mut fatal = 0;
            for item in pages {
                if let Err(err) = item {
                    fatal += usize::from(err.fatal);
                    prop_assert!(!err.to_string().is_empty());
                }
            }
            prop_assert!(fatal <= 1);
        }
    }

    #[test]
    fn damaged_exports_never_panic(cut in 0usize..4000, flips in proptest::collection::vec((0usize..4000, any::<u8>()), 0..4)) {
        let mut bytes = fs::read("test_data/xml/schema-0.10.xml").unwrap();
        for (at, byte) in flips {
            let at = at % bytes.len();
            bytes[at] = byte;
        }
        bytes.truncate(cut.min(bytes.len()));
        let pages = from_reader(Box::new(Cursor::new(bytes.clone())), "x.xml", &OpenOptions::default());
        if let Ok(pages) = pages {
            let items: Vec<_> = pages.collect();
            prop_assert!(items.iter().filter(|i| i.is_err()).count() <= 1);
        }
        let compressed = bzip(&bytes);
        if let Ok(pages) = from_reader(Box::new(Cursor::new(compressed)), "x.xml.bz2", &OpenOptions::default()) {
            pages.for_each(drop);
        }
    }
}

#[test]
fn pages_can_move_to_another_thread() {
    fn send<T: Send>(_: &T) {}
    let dump = make_dump("send", 12, 5);
    for opts in [options(2), sequential()] {
        let pages = open(&dump.bz2, &opts).unwrap();
        send(&pages);
        let handle = std::thread::spawn(move || pages.filter_map(Result::ok).count());
        assert_eq!(handle.join().unwrap(), 12);
    }
    // Dropped half-way, the reader threads stop.
    let mut pages = open(&dump.bz2, &options(2)).unwrap();
    assert!(pages.next().unwrap().is_ok());
    drop(pages);
}
