//! What every fuzz target of `fuzz/` asserts, shared with the stable replay of its corpus
//! (`tests/fuzz_replay.rs`): the fuzz targets include this file with `#[path]`, so a crash found
//! by fuzzing and committed under `fuzz/corpus/<target>/` is checked by the same code in CI.
//!
//! Invariants, beyond "no panic": the reader's document serializes to canonical JSON within
//! serde_json's 128 levels and reads back equal; its Markdown view reads back (as `canonical`)
//! into a document that round-trips too; the pipeline rejects bytes only with a decode error.

use zhnorm_doc::{Document, Format, Source};

/// The fuzz targets, each a directory of `fuzz/corpus/`.
pub const TARGETS: [&str; 6] = [
    "bytes",
    "wikitext",
    "scraped",
    "markdown",
    "canonical",
    "detect",
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
            if let Ok(normalized) = PIPELINE.normalize_bytes("fuzz.txt", data) {
                round_trips(&normalized.document, "pipeline");
            }
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
