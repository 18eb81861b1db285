//! Reading shards back: the documents and redirects of a shard of any format, for a resumed run
//! (which replays the shards it keeps) and for tests.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use arrow_array::{Array, Int32Array, StringArray, UInt64Array};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use zhnorm_doc::Document;

use crate::error::{Error, Result};

/// A redirect as a shard holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRedirect {
    pub title: String,
    pub target: String,
    pub namespace: i32,
    pub page_id: Option<u64>,
}

/// The documents of one shard, in order.
pub fn read_documents(path: &Path) -> Result<Vec<Document>> {
    if is_parquet(path) {
        let mut documents = Vec::new();
        for batch in parquet_batches(path)? {
            let column = string_column(path, &batch, "document")?;
            for i in 0..column.len() {
                documents.push(parse_json(path, column.value(i))?);
            }
        }
        return Ok(documents);
    }
    json_lines(path)?
        .into_iter()
        .map(|line| parse_json(path, &line))
        .collect()
}

/// The redirects of one shard, in order.
pub fn read_redirects(path: &Path) -> Result<Vec<StoredRedirect>> {
    if is_parquet(path) {
        let mut redirects = Vec::new();
        for batch in parquet_batches(path)? {
            let title = string_column(path, &batch, "title")?;
            let target = string_column(path, &batch, "target")?;
            let namespace = batch
                .column_by_name("namespace")
                .and_then(|c| c.as_any().downcast_ref::<Int32Array>())
                .ok_or_else(|| malformed(path, "no namespace column"))?;
            let page_id = batch
                .column_by_name("page_id")
                .and_then(|c| c.as_any().downcast_ref::<UInt64Array>())
                .ok_or_else(|| malformed(path, "no page_id column"))?;
            for i in 0..batch.num_rows() {
                redirects.push(StoredRedirect {
                    title: title.value(i).to_owned(),
                    target: target.value(i).to_owned(),
                    namespace: namespace.value(i),
                    page_id: (!page_id.is_null(i)).then(|| page_id.value(i)),
                });
            }
        }
        return Ok(redirects);
    }
    json_lines(path)?
        .into_iter()
        .map(|line| {
            let value: serde_json::Value =
                serde_json::from_str(&line).map_err(|e| malformed(path, &e.to_string()))?;
            let text = |key: &str| value[key].as_str().unwrap_or_default().to_owned();
            Ok(StoredRedirect {
                title: text("title"),
                target: text("target"),
                namespace: value["namespace"]
                    .as_i64()
                    .and_then(|n| i32::try_from(n).ok())
                    .unwrap_or_default(),
                page_id: value["page_id"].as_u64(),
            })
        })
        .collect()
}

fn is_parquet(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "parquet")
}

fn parquet_batches(path: &Path) -> Result<Vec<arrow_array::RecordBatch>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|builder| builder.build())
        .map_err(|e| Error::parquet(path, e))?;
    reader
        .map(|batch| batch.map_err(|e| malformed(path, &e.to_string())))
        .collect()
}

fn string_column<'a>(
    path: &Path,
    batch: &'a arrow_array::RecordBatch,
    name: &str,
) -> Result<&'a StringArray> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<StringArray>())
        .ok_or_else(|| malformed(path, &format!("no {name} column of strings")))
}

/// The lines of a JSON Lines shard, decompressed by its extension.
fn json_lines(path: &Path) -> Result<Vec<String>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let name = path.to_string_lossy();
    let reader: Box<dyn Read> = if name.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else if name.ends_with(".zst") {
        Box::new(zstd::Decoder::new(file).map_err(|e| Error::io(path, e))?)
    } else {
        Box::new(file)
    };
    BufReader::new(reader)
        .lines()
        .filter(|line| !matches!(line, Ok(l) if l.is_empty()))
        .map(|line| line.map_err(|e| Error::io(path, e)))
        .collect()
}

fn parse_json(path: &Path, text: &str) -> Result<Document> {
    serde_json::from_str(text).map_err(|e| malformed(path, &e.to_string()))
}

fn malformed(path: &Path, message: &str) -> Error {
    Error::Manifest {
        path: path.to_owned(),
        message: format!("not a shard zhnorm wrote: {message}"),
    }
}
