//! The zhnorm document model and its canonical writers.
//!
//! Every reader of `zhnorm-formats` builds a [`Document`]; the references, script and check
//! stages transform it; [`to_canonical_json`] and [`to_markdown`] write it. This crate knows
//! nothing of any input format or conversion engine: it is the contract between them.
//!
//! The canonical JSON is deterministic: key order is the field order of the model, maps are
//! ordered, and the same document always serializes to the same bytes. Its JSON Schema is
//! derived from these types by [`json_schema`] and published as `schema/zhnorm.doc-1.schema.json`.
//!
//! ```
//! use zhnorm_doc::{Block, Document, Format, Inline, Source};
//!
//! let mut doc = Document::new(Source::given("example.txt", Format::Wikitext));
//! doc.id = "例子".into();
//! doc.title = "例子".into();
//! doc.blocks.push(Block::Paragraph { inlines: vec![Inline::text("你好。")] });
//! let json = zhnorm_doc::to_canonical_json(&doc);
//! assert!(json.starts_with("{\n  \"schema\": \"zhnorm.doc/1\",\n  \"id\": \"例子\""));
//! assert_eq!(zhnorm_doc::from_canonical_json(&json).unwrap(), doc);
//! assert!(zhnorm_doc::to_markdown(&doc).contains("\n你好。\n"));
//! ```

pub mod codes;
mod markdown;
mod model;
mod text;
mod variant_codes;
mod visit;

pub use markdown::{WIKI_URL_PREFIX, decode_url, to_markdown};
pub use model::*;
pub use text::article_text;
pub use variant_codes::{MEDIAWIKI_VARIANT_CODES, mediawiki_variant_code};
pub use visit::{
    for_each_inline, for_each_inline_in, for_each_inline_mut, plain_text, visible_text,
};

/// The schema identifier written in every document.
pub const SCHEMA: &str = "zhnorm.doc/1";

/// The canonical JSON of `doc`: pretty-printed with two spaces, ending in a newline.
pub fn to_canonical_json(doc: &Document) -> String {
    // Serializing plain data with string keys cannot fail.
    let mut json = serde_json::to_string_pretty(doc).expect("document serializes");
    json.push('\n');
    json
}

/// Writes the canonical JSON of `doc` (the bytes of [`to_canonical_json`]) to `writer` as it is
/// serialized, so that a large document's JSON is never held whole.
pub fn write_canonical_json(
    mut writer: impl std::io::Write,
    doc: &Document,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut writer, doc).map_err(std::io::Error::from)?;
    writer.write_all(b"\n")
}

/// Reads a canonical JSON document back.
pub fn from_canonical_json(json: &str) -> Result<Document, serde_json::Error> {
    serde_json::from_str(json)
}

/// The JSON Schema (draft 2020-12) of the canonical format, derived from the model types.
pub fn json_schema() -> serde_json::Value {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(Document)).expect("schema serializes");
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "$id".into(),
            "https://zhnorm.invalid/schema/zhnorm.doc-1.schema.json".into(),
        );
        obj.insert("title".into(), "zhnorm canonical document, schema 1".into());
    }
    schema
}

/// [`json_schema`] as the text committed in the repository.
pub fn json_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).expect("schema serializes");
    text.push('\n');
    text
}
