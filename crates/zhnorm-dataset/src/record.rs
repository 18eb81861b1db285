//! The records of a dataset: one per document, one per redirect, and their JSON Lines form.

use std::collections::BTreeMap;

use serde::Serialize;
use zhnorm_doc::{
    Block, Conversion, Diagnostic, Document, Infobox, InterlanguageLink, Reference, Source,
};

use crate::columns::{DocumentColumns, RedirectColumns};

/// The identifier of the record schema, written in the manifest and documented in
/// `schema/zhnorm.record-1.md`. It changes when a column is removed, renamed or retyped.
pub const RECORD_SCHEMA: &str = "zhnorm.record/1";

/// The dump page a document was read from: the record's page columns.
///
/// Every field is optional: a document read from a loose file has none. Once `Source` carries
/// the page of a dump, [`DocumentRecord::new`] fills this from it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageColumns<'a> {
    pub namespace: Option<i32>,
    pub id: Option<u64>,
    pub revision_id: Option<u64>,
    pub parent_id: Option<u64>,
    /// ISO 8601, as the dump writes it (`2025-07-01T12:00:00Z`).
    pub timestamp: Option<&'a str>,
    /// `wikitext`, …
    pub model: Option<&'a str>,
    /// `text/x-wiki`, …
    pub content_format: Option<&'a str>,
}

/// One normalized document as a dataset record.
#[derive(Debug, Clone, Copy)]
pub struct DocumentRecord<'a> {
    pub document: &'a Document,
    /// The page URL (from a dump's `<base>`), when known.
    pub url: Option<&'a str>,
    pub page: PageColumns<'a>,
    /// The `text` column; [`zhnorm_doc::article_text`] of the document unless the caller has it.
    pub text: Option<&'a str>,
    /// The `document` column (compact JSON of the document) when the caller has it.
    pub document_json: Option<&'a str>,
}

impl<'a> DocumentRecord<'a> {
    /// The record of `document`, with its text rendered by the writer and no URL or page yet.
    pub fn new(document: &'a Document) -> Self {
        DocumentRecord {
            document,
            url: None,
            page: PageColumns::default(),
            text: None,
            document_json: None,
        }
    }

    pub fn with_url(mut self, url: Option<&'a str>) -> Self {
        self.url = url;
        self
    }

    pub fn with_page(mut self, page: PageColumns<'a>) -> Self {
        self.page = page;
        self
    }

    /// Uses `text` as the `text` column instead of rendering it again.
    pub fn with_text(mut self, text: &'a str) -> Self {
        self.text = Some(text);
        self
    }

    /// Uses `json` (which must be `serde_json::to_string(document)`) as the `document` column,
    /// so that a pipeline can serialize in its worker threads, not in the ordered writer.
    pub fn with_document_json(mut self, json: &'a str) -> Self {
        self.document_json = Some(json);
        self
    }
}

/// A redirect page of a dump: `title` leads to `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RedirectRecord<'a> {
    pub title: &'a str,
    /// The target title as the dump states it, with `#section` if any.
    pub target: &'a str,
    pub namespace: i32,
    pub page_id: Option<u64>,
    pub revision_id: Option<u64>,
    pub timestamp: Option<&'a str>,
}

/// What a shard holds: [`Documents`] or [`Redirects`]. The writers are generic over it.
pub trait RecordKind {
    /// One record, borrowing what it shows.
    type Record<'a>;
    /// The Arrow column builders of a Parquet shard.
    type Columns: Default + ColumnBuilder<Self>;
    /// The shard file name prefix when the caller gives none: `part` or `redirects`.
    const DEFAULT_PREFIX: &'static str;
    /// The Arrow schema of a Parquet shard.
    fn schema() -> arrow_schema::SchemaRef;
    /// Appends the record as one line of compact JSON, without the newline. A pipeline can call
    /// this in its worker threads and hand the line to [`crate::ShardWriter::write_line`].
    fn write_json(record: &Self::Record<'_>, out: &mut Vec<u8>);
}

/// Appends records to Arrow columns and hands them out as a record batch.
pub trait ColumnBuilder<K: RecordKind + ?Sized> {
    fn append(&mut self, record: &K::Record<'_>);
    /// Records appended since the last [`ColumnBuilder::finish`].
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// About how many bytes of data the builders hold.
    fn data_bytes(&self) -> usize;
    fn finish(&mut self) -> arrow_array::RecordBatch;
}

/// The record kind of documents (`part-00000.…`).
#[derive(Debug, Clone, Copy)]
pub enum Documents {}

/// The record kind of redirects (`redirects-00000.…`).
#[derive(Debug, Clone, Copy)]
pub enum Redirects {}

impl RecordKind for Documents {
    type Record<'a> = DocumentRecord<'a>;
    type Columns = DocumentColumns;
    const DEFAULT_PREFIX: &'static str = "part";

    fn schema() -> arrow_schema::SchemaRef {
        crate::columns::record_schema()
    }

    fn write_json(record: &DocumentRecord<'_>, out: &mut Vec<u8>) {
        let rendered;
        let text = match record.text {
            Some(text) => text,
            None => {
                rendered = zhnorm_doc::article_text(record.document);
                &rendered
            }
        };
        write_document_json(record.document, record.url, text, out);
    }
}

impl RecordKind for Redirects {
    type Record<'a> = RedirectRecord<'a>;
    type Columns = RedirectColumns;
    const DEFAULT_PREFIX: &'static str = "redirects";

    fn schema() -> arrow_schema::SchemaRef {
        crate::columns::redirect_schema()
    }

    fn write_json(record: &RedirectRecord<'_>, out: &mut Vec<u8>) {
        serde_json::to_writer(out, record).expect("a redirect serializes");
    }
}

/// The JSON Lines object of a document: `id, url, title, text`, then the canonical document's
/// other keys in their canonical order. Parsed as a [`Document`], the line gives the document
/// back (its `url` and `text` keys are ignored).
fn write_document_json(doc: &Document, url: Option<&str>, text: &str, out: &mut Vec<u8>) {
    // Destructured without `..`: a field added to `Document` fails to compile here until it is
    // added to the record too.
    let Document {
        schema,
        id,
        title,
        lang,
        source,
        blocks,
        references,
        categories,
        infobox,
        interlanguage,
        conversion,
        repairs,
        diagnostics,
    } = doc;
    let line = JsonLine {
        id,
        url,
        title,
        text,
        schema,
        lang,
        source,
        blocks,
        references,
        categories,
        infobox: infobox.as_ref(),
        interlanguage,
        conversion,
        repairs,
        diagnostics,
    };
    serde_json::to_writer(out, &line).expect("a document serializes");
}

/// The key order and skip rules of `Document`'s own serialization, with the dataset columns first.
#[derive(Serialize)]
struct JsonLine<'a> {
    id: &'a str,
    url: Option<&'a str>,
    title: &'a str,
    text: &'a str,
    schema: &'a str,
    lang: &'a str,
    source: &'a Source,
    blocks: &'a [Block],
    references: &'a [Reference],
    categories: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    infobox: Option<&'a Infobox>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    interlanguage: &'a [InterlanguageLink],
    #[serde(skip_serializing_if = "is_empty_conversion")]
    conversion: &'a Conversion,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    repairs: &'a BTreeMap<String, u32>,
    diagnostics: &'a [Diagnostic],
}

fn is_empty_conversion(conversion: &&Conversion) -> bool {
    conversion.is_empty()
}
