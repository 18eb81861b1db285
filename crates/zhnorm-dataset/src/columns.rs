//! The Arrow schema of the Parquet shards, and the builders that fill it record by record.
//!
//! Lists of structs (references, their authors, diagnostics) are built as flat child columns
//! plus offsets, which is simpler and faster than arrow-rs's nested builders.

use std::sync::{Arc, OnceLock};

use arrow_array::builder::{Int32Builder, StringBuilder, UInt32Builder, UInt64Builder};
use arrow_array::{ArrayRef, ListArray, RecordBatch, StructArray};
use arrow_buffer::OffsetBuffer;
use arrow_schema::{DataType, Field, FieldRef, Fields, Schema, SchemaRef};
use zhnorm_doc::{Name, Reference};

use crate::record::{ColumnBuilder, DocumentRecord, Documents, RedirectRecord, Redirects};

fn utf8(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Utf8, nullable)
}

fn list_of(name: &str, item: DataType) -> Field {
    Field::new(
        name,
        DataType::List(Arc::new(Field::new("item", item, false))),
        false,
    )
}

fn author_fields() -> Fields {
    Fields::from(vec![
        utf8("family", true),
        utf8("given", true),
        utf8("literal", true),
    ])
}

/// The CSL fields typed as columns, in this order, after `id` and `type`.
const REFERENCE_TEXT_FIELDS: [&str; 14] = [
    "title",
    "container-title",
    "publisher",
    "issued",
    "accessed",
    "URL",
    "language",
    "DOI",
    "ISBN",
    "ISSN",
    "page",
    "volume",
    "issue",
    "note",
];

fn reference_fields() -> Fields {
    let mut fields = vec![utf8("id", false), utf8("type", false)];
    fields.push(list_of("author", DataType::Struct(author_fields())));
    fields.extend(REFERENCE_TEXT_FIELDS.iter().map(|name| utf8(name, true)));
    fields.push(utf8("csl", false));
    Fields::from(fields)
}

fn diagnostic_fields() -> Fields {
    Fields::from(vec![
        utf8("code", false),
        utf8("severity", false),
        utf8("message", false),
        Field::new("line", DataType::UInt32, true),
        Field::new("column", DataType::UInt32, true),
    ])
}

/// The Arrow schema of a document record (`part-*.parquet`); `schema/zhnorm.record-1.md`
/// explains each column.
pub fn record_schema() -> SchemaRef {
    static SCHEMA: OnceLock<SchemaRef> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            Arc::new(Schema::new(vec![
                utf8("id", false),
                utf8("url", true),
                utf8("title", false),
                utf8("text", false),
                utf8("lang", false),
                utf8("source_path", false),
                utf8("source_format", false),
                utf8("source_sha256", false),
                Field::new("namespace", DataType::Int32, true),
                Field::new("page_id", DataType::UInt64, true),
                Field::new("revision_id", DataType::UInt64, true),
                Field::new("parent_id", DataType::UInt64, true),
                utf8("timestamp", true),
                utf8("model", true),
                utf8("content_format", true),
                utf8("document", false),
                list_of("references", DataType::Struct(reference_fields())),
                list_of("diagnostics", DataType::Struct(diagnostic_fields())),
                list_of("categories", DataType::Utf8),
            ]))
        })
        .clone()
}

/// The Arrow schema of a redirect record (`_redirects/part-*.parquet` as zhnorm writes them).
pub fn redirect_schema() -> SchemaRef {
    static SCHEMA: OnceLock<SchemaRef> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            Arc::new(Schema::new(vec![
                utf8("title", false),
                utf8("target", false),
                Field::new("namespace", DataType::Int32, false),
                Field::new("page_id", DataType::UInt64, true),
                Field::new("revision_id", DataType::UInt64, true),
                utf8("timestamp", true),
            ]))
        })
        .clone()
}

fn list_field(schema: &Schema, name: &str) -> FieldRef {
    match schema.field_with_name(name).map(Field::data_type) {
        Ok(DataType::List(item)) => item.clone(),
        _ => unreachable!("{name} is a list column of the record schema"),
    }
}

fn struct_fields(item: &FieldRef) -> Fields {
    match item.data_type() {
        DataType::Struct(fields) => fields.clone(),
        _ => unreachable!("a list of structs"),
    }
}

/// Offsets of a list column: one more than the rows, starting at zero.
#[derive(Debug)]
struct Offsets(Vec<i32>);

impl Default for Offsets {
    fn default() -> Self {
        Offsets(vec![0])
    }
}

impl Offsets {
    fn push(&mut self, len: usize) {
        let last = *self.0.last().unwrap_or(&0);
        self.0.push(last + i32::try_from(len).unwrap_or(i32::MAX));
    }

    fn take(&mut self) -> OffsetBuffer<i32> {
        OffsetBuffer::new(std::mem::take(self).0.into())
    }
}

fn list(item: FieldRef, offsets: &mut Offsets, values: ArrayRef) -> ArrayRef {
    Arc::new(ListArray::new(item, offsets.take(), values, None))
}

/// Column builders of [`record_schema`].
#[derive(Debug, Default)]
pub struct DocumentColumns {
    rows: usize,
    id: StringBuilder,
    url: StringBuilder,
    title: StringBuilder,
    text: StringBuilder,
    lang: StringBuilder,
    source_path: StringBuilder,
    source_format: StringBuilder,
    source_sha256: StringBuilder,
    namespace: Int32Builder,
    page_id: UInt64Builder,
    revision_id: UInt64Builder,
    parent_id: UInt64Builder,
    timestamp: StringBuilder,
    model: StringBuilder,
    content_format: StringBuilder,
    document: StringBuilder,
    references: ReferenceColumns,
    diagnostics: DiagnosticColumns,
    categories: Offsets,
    category: StringBuilder,
    /// Scratch buffer for JSON text.
    json: Vec<u8>,
    /// Scratch buffer for the rendered text.
    rendered: String,
}

#[derive(Debug, Default)]
struct ReferenceColumns {
    offsets: Offsets,
    id: StringBuilder,
    kind: StringBuilder,
    authors: Offsets,
    family: StringBuilder,
    given: StringBuilder,
    literal: StringBuilder,
    text: [StringBuilder; REFERENCE_TEXT_FIELDS.len()],
    csl: StringBuilder,
}

#[derive(Debug, Default)]
struct DiagnosticColumns {
    offsets: Offsets,
    code: StringBuilder,
    severity: StringBuilder,
    message: StringBuilder,
    line: UInt32Builder,
    column: UInt32Builder,
}

fn reference_text(r: &Reference) -> [Option<&str>; REFERENCE_TEXT_FIELDS.len()] {
    [
        r.title.as_deref(),
        r.container_title.as_deref(),
        r.publisher.as_deref(),
        r.issued.as_deref(),
        r.accessed.as_deref(),
        r.url.as_deref(),
        r.language.as_deref(),
        r.doi.as_deref(),
        r.isbn.as_deref(),
        r.issn.as_deref(),
        r.page.as_deref(),
        r.volume.as_deref(),
        r.issue.as_deref(),
        r.note.as_deref(),
    ]
}

fn json_str(json: &[u8]) -> &str {
    // serde_json writes UTF-8 only.
    std::str::from_utf8(json).expect("serde_json writes UTF-8")
}

impl ColumnBuilder<Documents> for DocumentColumns {
    fn append(&mut self, record: &DocumentRecord<'_>) {
        let doc = record.document;
        self.rows += 1;
        self.id.append_value(&doc.id);
        self.url.append_option(record.url);
        self.title.append_value(&doc.title);
        match record.text {
            Some(text) => self.text.append_value(text),
            None => {
                self.rendered = zhnorm_doc::article_text(doc);
                self.text.append_value(&self.rendered);
            }
        }
        self.lang.append_value(&doc.lang);
        self.source_path.append_value(&doc.source.path);
        self.source_format.append_value(doc.source.format.as_str());
        self.source_sha256.append_value(&doc.source.sha256);
        let page = &record.page;
        self.namespace.append_option(page.namespace);
        self.page_id.append_option(page.id);
        self.revision_id.append_option(page.revision_id);
        self.parent_id.append_option(page.parent_id);
        self.timestamp.append_option(page.timestamp);
        self.model.append_option(page.model);
        self.content_format.append_option(page.content_format);

        match record.document_json {
            Some(json) => self.document.append_value(json),
            None => {
                self.json.clear();
                serde_json::to_writer(&mut self.json, doc).expect("a document serializes");
                self.document.append_value(json_str(&self.json));
            }
        }

        let refs = &mut self.references;
        refs.offsets.push(doc.references.len());
        for reference in &doc.references {
            refs.id.append_value(&reference.id);
            refs.kind.append_value(&reference.kind);
            refs.authors.push(reference.author.len());
            for name in &reference.author {
                match name {
                    Name::Structured { family, given } => {
                        refs.family.append_value(family);
                        refs.given
                            .append_option((!given.is_empty()).then_some(given.as_str()));
                        refs.literal.append_null();
                    }
                    Name::Literal { literal } => {
                        refs.family.append_null();
                        refs.given.append_null();
                        refs.literal.append_value(literal);
                    }
                }
            }
            for (builder, value) in refs.text.iter_mut().zip(reference_text(reference)) {
                builder.append_option(value);
            }
            self.json.clear();
            serde_json::to_writer(&mut self.json, reference).expect("a reference serializes");
            refs.csl.append_value(json_str(&self.json));
        }

        let diags = &mut self.diagnostics;
        diags.offsets.push(doc.diagnostics.len());
        for d in &doc.diagnostics {
            diags.code.append_value(&d.code);
            diags.severity.append_value(d.severity.as_str());
            diags.message.append_value(&d.message);
            diags.line.append_option(d.line);
            diags.column.append_option(d.column);
        }

        self.categories.push(doc.categories.len());
        for category in &doc.categories {
            self.category.append_value(category);
        }
    }

    fn len(&self) -> usize {
        self.rows
    }

    fn data_bytes(&self) -> usize {
        self.text.values_slice().len()
            + self.document.values_slice().len()
            + self.references.csl.values_slice().len()
    }

    fn finish(&mut self) -> RecordBatch {
        let schema = record_schema();
        let reference_item = list_field(&schema, "references");
        let author_item = list_field(&Schema::new(reference_fields()), "author");
        let refs = &mut self.references;
        let authors = StructArray::new(
            struct_fields(&author_item),
            vec![
                Arc::new(refs.family.finish()) as ArrayRef,
                Arc::new(refs.given.finish()),
                Arc::new(refs.literal.finish()),
            ],
            None,
        );
        let mut reference_columns: Vec<ArrayRef> = vec![
            Arc::new(refs.id.finish()),
            Arc::new(refs.kind.finish()),
            list(author_item, &mut refs.authors, Arc::new(authors)),
        ];
        reference_columns.extend(
            refs.text
                .iter_mut()
                .map(|b| Arc::new(b.finish()) as ArrayRef),
        );
        reference_columns.push(Arc::new(refs.csl.finish()));
        let references = StructArray::new(struct_fields(&reference_item), reference_columns, None);

        let diagnostic_item = list_field(&schema, "diagnostics");
        let diags = &mut self.diagnostics;
        let diagnostics = StructArray::new(
            struct_fields(&diagnostic_item),
            vec![
                Arc::new(diags.code.finish()) as ArrayRef,
                Arc::new(diags.severity.finish()),
                Arc::new(diags.message.finish()),
                Arc::new(diags.line.finish()),
                Arc::new(diags.column.finish()),
            ],
            None,
        );

        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.id.finish()),
            Arc::new(self.url.finish()),
            Arc::new(self.title.finish()),
            Arc::new(self.text.finish()),
            Arc::new(self.lang.finish()),
            Arc::new(self.source_path.finish()),
            Arc::new(self.source_format.finish()),
            Arc::new(self.source_sha256.finish()),
            Arc::new(self.namespace.finish()),
            Arc::new(self.page_id.finish()),
            Arc::new(self.revision_id.finish()),
            Arc::new(self.parent_id.finish()),
            Arc::new(self.timestamp.finish()),
            Arc::new(self.model.finish()),
            Arc::new(self.content_format.finish()),
            Arc::new(self.document.finish()),
            list(
                reference_item,
                &mut self.references.offsets,
                Arc::new(references),
            ),
            list(
                diagnostic_item,
                &mut self.diagnostics.offsets,
                Arc::new(diagnostics),
            ),
            list(
                list_field(&schema, "categories"),
                &mut self.categories,
                Arc::new(self.category.finish()),
            ),
        ];
        self.rows = 0;
        RecordBatch::try_new(schema, columns).expect("columns match the record schema")
    }
}

/// Column builders of [`redirect_schema`].
#[derive(Debug, Default)]
pub struct RedirectColumns {
    rows: usize,
    title: StringBuilder,
    target: StringBuilder,
    namespace: Int32Builder,
    page_id: UInt64Builder,
    revision_id: UInt64Builder,
    timestamp: StringBuilder,
}

impl ColumnBuilder<Redirects> for RedirectColumns {
    fn append(&mut self, record: &RedirectRecord<'_>) {
        self.rows += 1;
        self.title.append_value(record.title);
        self.target.append_value(record.target);
        self.namespace.append_value(record.namespace);
        self.page_id.append_option(record.page_id);
        self.revision_id.append_option(record.revision_id);
        self.timestamp.append_option(record.timestamp);
    }

    fn len(&self) -> usize {
        self.rows
    }

    fn data_bytes(&self) -> usize {
        self.title.values_slice().len() + self.target.values_slice().len() + self.rows * 24
    }

    fn finish(&mut self) -> RecordBatch {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.title.finish()),
            Arc::new(self.target.finish()),
            Arc::new(self.namespace.finish()),
            Arc::new(self.page_id.finish()),
            Arc::new(self.revision_id.finish()),
            Arc::new(self.timestamp.finish()),
        ];
        self.rows = 0;
        RecordBatch::try_new(redirect_schema(), columns).expect("columns match the redirect schema")
    }
}

/// The Arrow schemas of both record kinds as indented text, one field a line: the block
/// that `schema/zhnorm.record-1.md` shows and a test keeps current.
pub fn record_schema_text() -> String {
    let mut out = String::from("documents (part-*.parquet)\n");
    for field in record_schema().fields() {
        field_text(field, 1, &mut out);
    }
    out.push_str("\nredirects (_redirects/part-*.parquet)\n");
    for field in redirect_schema().fields() {
        field_text(field, 1, &mut out);
    }
    out
}

fn field_text(field: &Field, depth: usize, out: &mut String) {
    use std::fmt::Write;
    let indent = "  ".repeat(depth);
    let null = if field.is_nullable() {
        ", nullable"
    } else {
        ""
    };
    match field.data_type() {
        DataType::List(item) => match item.data_type() {
            DataType::Struct(fields) => {
                let _ = writeln!(out, "{indent}{}: list<struct>{null}", field.name());
                for child in fields {
                    field_text(child, depth + 1, out);
                }
            }
            other => {
                let _ = writeln!(out, "{indent}{}: list<{other}>{null}", field.name());
            }
        },
        other => {
            let _ = writeln!(out, "{indent}{}: {other}{null}", field.name());
        }
    }
}
