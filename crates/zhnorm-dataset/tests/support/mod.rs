//! Fixtures, expectation files and Parquet reading shared by the tests.

use std::fs;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, UInt32Type, UInt64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::{Map, Value};
use zhnorm_dataset::RedirectRecord;
use zhnorm_doc::Document;

pub fn test_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data")
}

/// The fixture documents of `test_data/documents/`, in file name order.
pub fn documents() -> Vec<Document> {
    let mut paths: Vec<PathBuf> = fs::read_dir(test_data().join("documents"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| zhnorm_doc::from_canonical_json(&fs::read_to_string(p).unwrap()).unwrap())
        .collect()
}

/// The page URL of a fixture document, as a dump's `<base>` would give it.
pub fn url_of(doc: &Document) -> Option<String> {
    (doc.source.format == zhnorm_doc::Format::Wikitext)
        .then(|| format!("https://zh.wikipedia.org/wiki/{}", doc.title))
}

pub fn redirects() -> Vec<RedirectRecord<'static>> {
    vec![
        RedirectRecord {
            title: "巴庫",
            target: "巴库",
            namespace: 0,
            page_id: Some(101),
            revision_id: Some(9001),
            timestamp: Some("2025-07-01T12:00:00Z"),
        },
        RedirectRecord {
            title: "Category:巴庫",
            target: "Category:巴库#历史",
            namespace: 14,
            page_id: None,
            revision_id: None,
            timestamp: None,
        },
    ]
}

/// Compares `actual` with the committed file `test_data/expected/NAME`, or rewrites it under
/// `UPDATE_EXPECT=1`.
pub fn expect_file(name: &str, actual: &str) {
    let path = test_data().join("expected").join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing; run with UPDATE_EXPECT=1", path.display()));
    assert!(
        expected == actual,
        "{} is stale (UPDATE_EXPECT=1 rewrites it)\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

/// Every batch of a Parquet file, read with arrow-rs.
pub fn read_parquet(path: &Path) -> Vec<RecordBatch> {
    let file = fs::File::open(path).unwrap();
    ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The rows of record batches as JSON objects, column by column, nulls as `null`.
pub fn rows_as_json(batches: &[RecordBatch]) -> Vec<Value> {
    let mut rows = Vec::new();
    for batch in batches {
        for row in 0..batch.num_rows() {
            let mut object = Map::new();
            for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
                object.insert(field.name().clone(), value(column.as_ref(), row));
            }
            rows.push(Value::Object(object));
        }
    }
    rows
}

fn value(array: &dyn Array, row: usize) -> Value {
    if array.is_null(row) {
        return Value::Null;
    }
    match array.data_type() {
        DataType::Utf8 => Value::from(array.as_string::<i32>().value(row)),
        DataType::Int32 => Value::from(array.as_primitive::<Int32Type>().value(row)),
        DataType::UInt32 => Value::from(array.as_primitive::<UInt32Type>().value(row)),
        DataType::UInt64 => Value::from(array.as_primitive::<UInt64Type>().value(row)),
        DataType::List(_) => {
            let items = array.as_list::<i32>().value(row);
            Value::Array((0..items.len()).map(|i| value(&items, i)).collect())
        }
        DataType::Struct(fields) => {
            let array = array.as_struct();
            Value::Object(
                fields
                    .iter()
                    .zip(array.columns())
                    .map(|(f, c)| (f.name().clone(), value(c.as_ref(), row)))
                    .collect(),
            )
        }
        other => panic!("no JSON for {other}"),
    }
}

/// The files of `dir`, sorted, with hidden ones.
pub fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
