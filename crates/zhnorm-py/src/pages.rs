//! Arrow batches of raw pages: the schema `read_dump` writes, and the columns `normalize_batch`
//! reads (the same names, looser types: a `title`/`text` table from pandas or a JSON Lines file
//! works too).

use std::sync::{Arc, OnceLock};

use arrow_array::cast::AsArray;
use arrow_array::ffi_stream::ArrowArrayStreamReader;
use arrow_array::types::{Int32Type, Int64Type, UInt32Type, UInt64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_pyarrow::FromPyArrow;
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use zhnorm_dump::Page;

/// The schema metadata key naming the input a batch was read from (`read_dump` sets it to the
/// dump's file name): `normalize_batch` uses it as the documents' `source.path`, as the CLI does.
pub const SOURCE_KEY: &str = "zhnorm.source";

/// The schema of `read_dump`'s batches: one row per page, as `zhnorm_dump::Page` holds it.
pub fn pages_schema() -> SchemaRef {
    static SCHEMA: OnceLock<SchemaRef> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let utf8 = |name: &str, nullable| Field::new(name, DataType::Utf8, nullable);
            let id = |name: &str| Field::new(name, DataType::UInt64, true);
            Arc::new(Schema::new(vec![
                utf8("title", false),
                utf8("text", true),
                Field::new("namespace", DataType::Int32, false),
                id("id"),
                utf8("key", true),
                id("revision_id"),
                id("parent_id"),
                utf8("timestamp", true),
                utf8("model", true),
                utf8("content_format", true),
                utf8("redirect", true),
                utf8("url", true),
                utf8("format", true),
                Field::new("offset", DataType::UInt64, false),
            ]))
        })
        .clone()
}

/// The batches of a `pyarrow.RecordBatch` (Arrow C array interface) or of a `Table` or reader
/// (Arrow C stream interface).
pub fn input_batches(object: &Bound<'_, PyAny>) -> PyResult<Vec<RecordBatch>> {
    if object.hasattr("__arrow_c_array__")? {
        return Ok(vec![RecordBatch::from_pyarrow_bound(object)?]);
    }
    if object.hasattr("__arrow_c_stream__")? {
        let reader = ArrowArrayStreamReader::from_pyarrow_bound(object)?;
        return reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| PyTypeError::new_err(format!("reading the Arrow stream: {e}")));
    }
    Err(PyTypeError::new_err(format!(
        "expected a pyarrow.RecordBatch or Table, got {}",
        object.get_type().name()?
    )))
}

/// The `zhnorm.source` of the first batch's schema metadata.
pub fn source_metadata(batches: &[RecordBatch]) -> Option<String> {
    batches
        .first()
        .and_then(|b| b.schema().metadata().get(SOURCE_KEY).cloned())
}

/// A JSON Lines `id` that is a string: a number written as such is the page id, anything else a
/// key kept exactly (as `zhnorm-dump` reads JSON Lines).
pub fn page_key(id: String) -> (Option<u64>, Option<String>) {
    match id.parse::<u64>() {
        Ok(number) if number.to_string() == id => (Some(number), None),
        _ => (None, Some(id)),
    }
}

/// A text column of any of Arrow's three string layouts.
#[derive(Debug)]
enum Text {
    Utf8(ArrayRef),
    Large(ArrayRef),
    View(ArrayRef),
}

impl Text {
    fn new(array: &ArrayRef) -> Option<Text> {
        match array.data_type() {
            DataType::Utf8 => Some(Text::Utf8(array.clone())),
            DataType::LargeUtf8 => Some(Text::Large(array.clone())),
            DataType::Utf8View => Some(Text::View(array.clone())),
            _ => None,
        }
    }

    fn get(&self, row: usize) -> Option<&str> {
        let array = match self {
            Text::Utf8(a) | Text::Large(a) | Text::View(a) => a,
        };
        if array.is_null(row) {
            return None;
        }
        Some(match self {
            Text::Utf8(a) => a.as_string::<i32>().value(row),
            Text::Large(a) => a.as_string::<i64>().value(row),
            Text::View(a) => a.as_string_view().value(row),
        })
    }
}

/// An id column: unsigned or signed integers, or text (a number, or a key).
#[derive(Debug)]
enum Id {
    Number(ArrayRef),
    Text(Text),
}

impl Id {
    fn new(array: &ArrayRef) -> Option<Id> {
        match array.data_type() {
            DataType::UInt64 | DataType::Int64 | DataType::UInt32 | DataType::Int32 => {
                Some(Id::Number(array.clone()))
            }
            _ => Text::new(array).map(Id::Text),
        }
    }

    /// (number, key) of a row; negative numbers are not ids.
    fn get(&self, row: usize) -> (Option<u64>, Option<String>) {
        match self {
            Id::Text(text) => text
                .get(row)
                .map_or((None, None), |s| page_key(s.to_owned())),
            Id::Number(array) if array.is_null(row) => (None, None),
            Id::Number(array) => {
                let number = match array.data_type() {
                    DataType::UInt64 => Some(array.as_primitive::<UInt64Type>().value(row)),
                    DataType::UInt32 => {
                        Some(u64::from(array.as_primitive::<UInt32Type>().value(row)))
                    }
                    DataType::Int64 => {
                        u64::try_from(array.as_primitive::<Int64Type>().value(row)).ok()
                    }
                    _ => u64::try_from(array.as_primitive::<Int32Type>().value(row)).ok(),
                };
                (number, None)
            }
        }
    }
}

/// The columns of one batch of pages that `normalize_batch` reads, typed once.
#[derive(Debug)]
pub struct PageRows {
    rows: usize,
    title: Text,
    text: Text,
    namespace: Option<ArrayRef>,
    id: Option<Id>,
    key: Option<Text>,
    revision_id: Option<Id>,
    parent_id: Option<Id>,
    timestamp: Option<Text>,
    model: Option<Text>,
    content_format: Option<Text>,
    redirect: Option<Text>,
    url: Option<Text>,
    format: Option<Text>,
    offset: Option<Id>,
}

impl PageRows {
    /// Reads the columns of `batch`; `title` and `text` must be there, as strings.
    pub fn new(batch: &RecordBatch) -> Result<PageRows, String> {
        let column = |name: &str| batch.column_by_name(name);
        let text_column = |name: &str| -> Result<Option<Text>, String> {
            column(name)
                .map(|array| {
                    Text::new(array).ok_or_else(|| {
                        format!(
                            "column `{name}` is {}, not a string column",
                            array.data_type()
                        )
                    })
                })
                .transpose()
        };
        let id_column = |name: &str| -> Result<Option<Id>, String> {
            column(name)
                .map(|array| {
                    Id::new(array).ok_or_else(|| {
                        format!(
                            "column `{name}` is {}, not integers or strings",
                            array.data_type()
                        )
                    })
                })
                .transpose()
        };
        let required = |name: &str| -> Result<Text, String> {
            text_column(name)?.ok_or_else(|| format!("the batch has no `{name}` column"))
        };
        let namespace = match column("namespace") {
            Some(array) if array.data_type() == &DataType::Int32 => Some(array.clone()),
            Some(array) => {
                return Err(format!(
                    "column `namespace` is {}, not int32",
                    array.data_type()
                ));
            }
            None => None,
        };
        Ok(PageRows {
            rows: batch.num_rows(),
            title: required("title")?,
            text: required("text")?,
            namespace,
            id: id_column("id")?,
            key: text_column("key")?,
            revision_id: id_column("revision_id")?,
            parent_id: id_column("parent_id")?,
            timestamp: text_column("timestamp")?,
            model: text_column("model")?,
            content_format: text_column("content_format")?,
            redirect: text_column("redirect")?,
            url: text_column("url")?,
            format: text_column("format")?,
            offset: id_column("offset")?,
        })
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Row `row` as the page the dump reader would have given.
    pub fn page(&self, row: usize) -> Page {
        let text =
            |column: &Option<Text>| column.as_ref().and_then(|c| c.get(row)).map(str::to_owned);
        let number = |column: &Option<Id>| column.as_ref().and_then(|c| c.get(row).0);
        let (id, mut key) = self.id.as_ref().map_or((None, None), |c| c.get(row));
        if key.is_none() {
            key = text(&self.key);
        }
        Page {
            title: self.title.get(row).unwrap_or_default().to_owned(),
            namespace: self
                .namespace
                .as_ref()
                .filter(|a| !a.is_null(row))
                .map_or(0, |a| a.as_primitive::<Int32Type>().value(row)),
            id,
            key,
            revision_id: number(&self.revision_id),
            parent_id: number(&self.parent_id),
            timestamp: text(&self.timestamp),
            model: text(&self.model),
            content_format: text(&self.content_format),
            redirect: text(&self.redirect),
            text: self.text.get(row).map(str::to_owned),
            url: text(&self.url),
            source_format: text(&self.format),
            offset: number(&self.offset).unwrap_or_default(),
        }
    }
}
