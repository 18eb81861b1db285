//! `read_dump` and `dump_streams`: the pages of a dump as Arrow batches, whole or by a range of
//! its multistream streams, and the streams the index lists, for a driver that splits a dump
//! into tasks.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use arrow_array::builder::{Int32Builder, StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_pyarrow::ToPyArrow;
use arrow_schema::Schema;
use pyo3::exceptions::{PyStopIteration, PyValueError};
use pyo3::prelude::*;
use zhnorm_dump::{DumpError as ReadError, OpenOptions, Page, Pages};

use crate::DumpError;
use crate::pages::{SOURCE_KEY, pages_schema};

/// A batch ends at this many bytes of page text, whatever `batch_pages` says, so that a batch of
/// very long pages stays a few tens of megabytes.
const BATCH_TEXT_BYTES: usize = 64 << 20;

/// A dump error as its message: `DumpError` is large, and only its message crosses to Python.
fn message(error: ReadError) -> String {
    error.to_string()
}

/// The name documents give as their source: the dump's file name, as `zhnorm normalize` does.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// An iterator of `pyarrow.RecordBatch`es of raw pages (the schema of `pages_schema()`).
#[pyclass(module = "zhnorm._zhnorm")]
pub struct DumpReader {
    // `Pages` is only touched with the lock held; the lock makes the class shareable between
    // Python threads as PyO3 requires.
    pages: Mutex<Option<Pages>>,
    schema: Arc<Schema>,
    batch_pages: usize,
}

impl std::fmt::Debug for DumpReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DumpReader")
            .field("batch_pages", &self.batch_pages)
            .finish_non_exhaustive()
    }
}

#[pymethods]
impl DumpReader {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let batch = py.detach(|| {
            let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
            let Some(iter) = pages.as_mut() else {
                return Ok(None);
            };
            let mut taken = Vec::with_capacity(self.batch_pages.min(4096));
            let mut text_bytes = 0;
            while taken.len() < self.batch_pages && text_bytes < BATCH_TEXT_BYTES {
                match iter.next() {
                    Some(Ok(page)) => {
                        text_bytes += page.text.as_ref().map_or(0, String::len);
                        taken.push(page);
                    }
                    Some(Err(error)) => {
                        *pages = None;
                        return Err(message(error));
                    }
                    None => {
                        *pages = None;
                        break;
                    }
                }
            }
            Ok((!taken.is_empty()).then(|| pages_batch(&taken, &self.schema)))
        });
        match batch.map_err(DumpError::new_err)? {
            Some(batch) => batch.to_pyarrow(py),
            None => Err(PyStopIteration::new_err(())),
        }
    }
}

fn pages_batch(pages: &[Page], schema: &Arc<Schema>) -> RecordBatch {
    let text_builder = || StringBuilder::with_capacity(pages.len(), 0);
    let mut title = text_builder();
    let mut text = StringBuilder::with_capacity(
        pages.len(),
        pages
            .iter()
            .map(|p| p.text.as_ref().map_or(0, String::len))
            .sum(),
    );
    let mut namespace = Int32Builder::with_capacity(pages.len());
    let mut id = UInt64Builder::with_capacity(pages.len());
    let mut key = text_builder();
    let mut revision_id = UInt64Builder::with_capacity(pages.len());
    let mut parent_id = UInt64Builder::with_capacity(pages.len());
    let mut timestamp = text_builder();
    let mut model = text_builder();
    let mut content_format = text_builder();
    let mut redirect = text_builder();
    let mut url = text_builder();
    let mut format = text_builder();
    let mut offset = UInt64Builder::with_capacity(pages.len());
    for page in pages {
        title.append_value(&page.title);
        text.append_option(page.text.as_deref());
        namespace.append_value(page.namespace);
        id.append_option(page.id);
        key.append_option(page.key.as_deref());
        revision_id.append_option(page.revision_id);
        parent_id.append_option(page.parent_id);
        timestamp.append_option(page.timestamp.as_deref());
        model.append_option(page.model.as_deref());
        content_format.append_option(page.content_format.as_deref());
        redirect.append_option(page.redirect.as_deref());
        url.append_option(page.url.as_deref());
        format.append_option(page.source_format.as_deref());
        offset.append_value(page.offset);
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(title.finish()),
        Arc::new(text.finish()),
        Arc::new(namespace.finish()),
        Arc::new(id.finish()),
        Arc::new(key.finish()),
        Arc::new(revision_id.finish()),
        Arc::new(parent_id.finish()),
        Arc::new(timestamp.finish()),
        Arc::new(model.finish()),
        Arc::new(content_format.finish()),
        Arc::new(redirect.finish()),
        Arc::new(url.finish()),
        Arc::new(format.finish()),
        Arc::new(offset.finish()),
    ];
    RecordBatch::try_new(schema.clone(), columns).expect("the columns follow pages_schema")
}

/// Reads the pages of a dump (MediaWiki XML: `.xml`, `.xml.bz2`, multistream `.xml.bz2` with its
/// index beside it or named by `index`; or JSON Lines) and yields `pyarrow.RecordBatch`es of at
/// most `batch_pages` raw pages, every namespace, redirects included, in dump order.
///
/// `streams=(first, last)` reads only the multistream streams `first` to `last` (both included,
/// numbered from 0 as `dump_streams` lists them), by the index: a dump splits into tasks by byte
/// range. Each batch's schema metadata holds `zhnorm.source`, the dump's file name, which
/// `normalize_batch` gives documents as their source. A truncated or corrupt dump raises
/// `DumpError`, after every complete page before it.
#[pyfunction]
#[pyo3(signature = (path, *, streams=None, index=None, batch_pages=1000, threads=1))]
pub fn read_dump(
    py: Python<'_>,
    path: PathBuf,
    streams: Option<(usize, usize)>,
    index: Option<PathBuf>,
    batch_pages: usize,
    threads: usize,
) -> PyResult<DumpReader> {
    if batch_pages == 0 {
        return Err(PyValueError::new_err("batch_pages must be at least 1"));
    }
    let streams = match streams {
        Some((first, last)) if last < first => {
            return Err(PyValueError::new_err(format!(
                "streams=({first}, {last}): the last stream comes before the first"
            )));
        }
        Some((first, last)) => Some(first..last + 1),
        None => None,
    };
    let options = OpenOptions {
        index,
        // The caller's engine runs one task per core; one decoding thread each by default.
        threads,
        streams,
        ..OpenOptions::default()
    };
    let pages = py
        .detach(|| zhnorm_dump::open(&path, &options).map_err(message))
        .map_err(DumpError::new_err)?;
    let metadata = HashMap::from([(SOURCE_KEY.to_owned(), file_name(&path))]);
    let schema = Arc::new(pages_schema().as_ref().clone().with_metadata(metadata));
    Ok(DumpReader {
        pages: Mutex::new(Some(pages)),
        schema,
        batch_pages,
    })
}

/// The streams of a multistream dump, from its index (beside the dump, or `index`): a list of
/// `(offset, first_page_id, page_count)`, in file order. A driver splits `range(len(...))` into
/// tasks for `read_dump(path, streams=(first, last))`.
#[pyfunction]
#[pyo3(signature = (path, *, index=None))]
pub fn dump_streams(
    py: Python<'_>,
    path: PathBuf,
    index: Option<PathBuf>,
) -> PyResult<Vec<(u64, u64, u64)>> {
    let index = match index {
        Some(index) => index,
        None => zhnorm_dump::beside_index(&path)
            .filter(|p| p.is_file())
            .ok_or_else(|| {
                DumpError::new_err(format!(
                    "{}: no multistream index beside it (X-multistream-index.txt.bz2); name it with index=",
                    path.display()
                ))
            })?,
    };
    let index = py
        .detach(|| zhnorm_dump::Index::load(&index).map_err(message))
        .map_err(DumpError::new_err)?;
    Ok(index
        .streams()
        .iter()
        .map(|s| (s.offset, s.first_page_id, s.page_count))
        .collect())
}

/// The schema of `read_dump`'s batches, as a `pyarrow.Schema`.
#[pyfunction(name = "pages_schema")]
pub fn pages_schema_py(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    pages_schema().as_ref().to_pyarrow(py)
}
