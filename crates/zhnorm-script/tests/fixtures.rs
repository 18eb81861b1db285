//! Data-driven tests of the document conversion: every `test_data/*.json` fixture is converted
//! into every variant with the builtin engine, and the result compared with
//! `<name>.expected.json` beside it. `UPDATE_EXPECT=1 cargo test -p zhnorm-script --test
//! fixtures` rewrites the expectations (review the diff before committing).
//!
//! A fixture is a JSON object with either `text` (plain text, through `Converter::convert_str`)
//! or `document` (the fields of a document to convert; the rest is filled with defaults), and
//! optionally `quotes` (`variant`, `keep`, `curly`, `corner`) and `note` (what it tests).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};
use zhnorm_doc::{Document, Format, Source};
use zhnorm_script::{ConvertOptions, Converter, EngineKind, QuoteStyle, Variant, convert_document};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data")
}

/// The document a fixture describes: defaults, overlaid with the fixture's fields.
fn document_from(fields: &Map<String, Value>) -> Document {
    let mut base = serde_json::to_value(Document::new(Source::given("fixture", Format::Wikitext)))
        .expect("a document serializes");
    let object = base.as_object_mut().expect("a document is an object");
    for (key, value) in fields {
        object.insert(key.clone(), value.clone());
    }
    serde_json::from_value(base).expect("fixture document must deserialize")
}

/// What the expectation shows of a converted document: everything but the bookkeeping.
fn view(doc: &Document) -> Value {
    let mut value = serde_json::to_value(doc).expect("a document serializes");
    let object = value.as_object_mut().expect("a document is an object");
    for key in ["schema", "id", "source", "diagnostics"] {
        object.remove(key);
    }
    value
}

fn convert_fixture(fixture: &Value) -> Value {
    let quotes: QuoteStyle = fixture
        .get("quotes")
        .and_then(Value::as_str)
        .map(|s| s.parse().expect("known quote style"))
        .unwrap_or_default();
    let mut out = Map::new();
    for variant in Variant::ALL {
        let converter = Converter::new(variant, EngineKind::Builtin, ConvertOptions { quotes })
            .expect("the builtin engine loads every variant");
        let result = if let Some(text) = fixture.get("text").and_then(Value::as_str) {
            json!(converter.convert_str(text))
        } else {
            let fields = fixture
                .get("document")
                .and_then(Value::as_object)
                .expect("a fixture has `text` or `document`");
            let mut doc = document_from(fields);
            convert_document(&mut doc, &converter);
            // Converting again into the same variant changes nothing.
            let once = doc.clone();
            convert_document(&mut doc, &converter);
            assert_eq!(doc, once, "a second conversion changed the document");
            view(&doc)
        };
        out.insert(variant.as_tag().to_owned(), result);
    }
    Value::Object(out)
}

fn check(input: &Path) {
    let expected_path = input.with_extension("expected.json");
    let fixture: Value =
        serde_json::from_str(&std::fs::read_to_string(input).expect("fixture readable"))
            .unwrap_or_else(|e| panic!("{}: {e}", input.display()));
    let actual = serde_json::to_string_pretty(&convert_fixture(&fixture)).unwrap() + "\n";
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&expected_path, &actual).expect("expectation writable");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    assert!(
        expected == actual,
        "{} differs from its expectation (UPDATE_EXPECT=1 rewrites it):\n{actual}",
        input.display()
    );
}

#[test]
fn fixtures() {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("test_data exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p.to_string_lossy().ends_with(".expected.json")
        })
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 10, "fixtures missing");
    for input in &inputs {
        check(input);
    }
}
