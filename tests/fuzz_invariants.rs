//! What every fuzz target of `fuzz/` asserts, shared with the stable replay of its corpus
//! (`tests/fuzz_replay.rs`): the fuzz targets include this file with `#[path]`, so a crash found
//! by fuzzing and committed under `fuzz/corpus/<target>/` is checked by the same code in CI.
//!
//! Invariants, beyond "no panic": the reader's document serializes to canonical JSON within
//! serde_json's 128 levels and reads back equal; its Markdown view reads back (as `canonical`)
//! into a document that round-trips too; the pipeline rejects bytes only with a decode error,
//! every citation of its documents resolves, and normalizing a document's view again gives the
//! same view. The dump reader gives the same pages, and errors naming the input, whether the
//! XML comes plain or bz2-compressed; nothing follows a fatal error.

use zhnorm_doc::{Document, Format, Source};

/// The fuzz targets, each a directory of `fuzz/corpus/`.
pub const TARGETS: [&str; 8] = [
    "bytes",
    "wikitext",
    "scraped",
    "markdown",
    "canonical",
    "detect",
    "dump",
    "jsonl",
];

/// How deep the JSON text nests (objects and arrays), counted without recursion.
pub fn json_depth(json: &str) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in json.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The canonical JSON of `document` stays within serde_json's limit and reads back equal.
fn round_trips(document: &Document, what: &str) {
    let json = zhnorm_doc::to_canonical_json(document);
    let depth = json_depth(&json);
    assert!(depth <= 128, "{what}: canonical JSON nested {depth} deep");
    let back = zhnorm_doc::from_canonical_json(&json).expect("canonical JSON reads back");
    assert_eq!(&back, document, "{what}: canonical JSON round trip");
}

/// Every citation in the text names a reference of the document (the pipeline's promise: a
/// citation whose reference cannot be found is dropped with a diagnostic, never left dangling).
fn citations_resolve(document: &Document) {
    let ids: std::collections::HashSet<&str> =
        document.references.iter().map(|r| r.id.as_str()).collect();
    zhnorm_doc::for_each_inline(&document.blocks, &mut |inline| {
        if let zhnorm_doc::Inline::Cite { reference } = inline {
            assert!(
                ids.contains(reference.as_str()),
                "citation of {reference:?} does not resolve"
            );
        }
    });
}

/// The Markdown view without the lines that name the input (its path, format and id).
pub fn view_without_input(document: &Document) -> String {
    zhnorm_doc::to_markdown(document)
        .lines()
        .filter(|l| {
            !["source: ", "format: ", "id: "]
                .iter()
                .any(|k| l.starts_with(k))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads `text` as `format` and checks the invariants of the document and of its view.
fn read_checked(text: &str, format: Format) {
    let parsed = zhnorm_formats::read(text, Source::given("fuzz.txt", format));
    round_trips(&parsed.document, format.as_str());
    let view = zhnorm_doc::to_markdown(&parsed.document);
    let again = zhnorm_formats::read(&view, Source::given("fuzz.md", Format::Canonical));
    round_trips(&again.document, "the view read back");
}

/// Runs the invariants of `target` on one input.
pub fn check(target: &str, data: &[u8]) {
    match target {
        "bytes" => {
            // Decoding, detection and the whole pipeline on raw bytes.
            static PIPELINE: std::sync::LazyLock<zhnorm::Pipeline> =
                std::sync::LazyLock::new(|| {
                    zhnorm::Pipeline::new(zhnorm::Options::default()).expect("pipeline")
                });
            static AGAIN: std::sync::LazyLock<zhnorm::Pipeline> = std::sync::LazyLock::new(|| {
                zhnorm::Pipeline::new(zhnorm::Options {
                    format: Some(Format::Canonical),
                    ..zhnorm::Options::default()
                })
                .expect("pipeline")
            });
            if let Ok(normalized) = PIPELINE.normalize_bytes("fuzz.txt", data) {
                round_trips(&normalized.document, "pipeline");
                citations_resolve(&normalized.document);
                // Normalizing the output again changes nothing: the view is a fixed point.
                let view = view_without_input(&normalized.document);
                let again =
                    AGAIN.normalize_text("fuzz.md", &zhnorm_doc::to_markdown(&normalized.document));
                assert_eq!(
                    view_without_input(&again.document),
                    view,
                    "the view normalized again"
                );
            }
        }
        "dump" => {
            let plain = dump_items(data.to_vec(), zhnorm_dump::InputKind::Xml);
            let compressed = dump_items(bz2(data), zhnorm_dump::InputKind::XmlBz2);
            // Pages are the same, and so are the errors' kinds and last good pages; offsets, and
            // the decoded offset a bz2 message adds, count different bytes.
            let without_offsets = |items: Vec<DumpItem>| -> Vec<_> {
                items
                    .into_iter()
                    .map(|item| match item {
                        Ok(page) => Ok(zhnorm_dump::Page { offset: 0, ..page }),
                        Err(error) => Err((
                            std::mem::discriminant(&error.kind),
                            error.fatal,
                            error.last_good_page,
                        )),
                    })
                    .collect()
            };
            assert_eq!(without_offsets(plain), without_offsets(compressed));
        }
        "jsonl" => {
            dump_items(data.to_vec(), zhnorm_dump::InputKind::Jsonl);
        }
        "detect" => {
            let text = String::from_utf8_lossy(data);
            let detection = zhnorm_formats::detect(&text);
            assert!((0.0..=1.0).contains(&detection.confidence));
            read_checked(&text, detection.format);
        }
        reader => {
            let format: Format = reader.parse().expect("a reader target");
            read_checked(&String::from_utf8_lossy(data), format);
        }
    }
}

type DumpItem = Result<zhnorm_dump::Page, zhnorm_dump::DumpError>;

/// Every item the dump reader gives for `data` read as `kind`, checking that each error names
/// the input and that nothing follows a fatal one.
fn dump_items(data: Vec<u8>, kind: zhnorm_dump::InputKind) -> Vec<DumpItem> {
    let options = zhnorm_dump::OpenOptions {
        kind: Some(kind),
        ..Default::default()
    };
    let pages =
        match zhnorm_dump::from_reader(Box::new(std::io::Cursor::new(data)), "fuzz", &options) {
            Ok(pages) => pages,
            Err(error) => return vec![Err(error)],
        };
    let items: Vec<DumpItem> = pages.collect();
    for (i, item) in items.iter().enumerate() {
        if let Err(error) = item {
            assert_eq!(error.file, "fuzz", "{error}");
            assert!(
                !error.fatal || i + 1 == items.len(),
                "items after a fatal error: {error}"
            );
        }
    }
    items
}

/// `data` as one bz2 stream.
fn bz2(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    encoder.write_all(data).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}
