//! The corpus step of a distributed run: what needs the whole corpus, done once over compact
//! per-task summaries instead of the documents.
//!
//! Each task turns its records into summaries (`corpus_summary`: id, title, format, source and
//! the articles its wiki links name, `zhnorm_check::DocSummary`, as JSON Lines). The driver feeds
//! the summaries of all tasks, in input order, and the redirects tables to `check_corpus`, which
//! hands out ids and runs the corpus rules as `zhnorm normalize`'s stream runner does
//! (`zhnorm::run_stream`): the same ids, the same findings, the same counts in the report.

use std::path::PathBuf;

use arrow_array::Array;
use arrow_array::cast::AsArray;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde_json::{Value, json};
use zhnorm_check::{CorpusChecker, CorpusFinding, DocSummary};
use zhnorm_doc::{Diagnostic, Document};

use crate::pages::input_batches;

/// The corpus summaries of a batch of records (`normalize_batch`'s output, or records read back
/// from Parquet), one JSON line per record, in order.
#[pyfunction]
pub fn corpus_summary(py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<String> {
    let batches = input_batches(records)?;
    py.detach(|| {
        let mut lines = String::new();
        for batch in &batches {
            let column = batch
                .column_by_name("document")
                .ok_or("the records have no `document` column")?;
            let documents = match column.data_type() {
                arrow_schema::DataType::Utf8 => column.as_string::<i32>(),
                other => return Err(format!("column `document` is {other}, not utf8")),
            };
            for row in 0..documents.len() {
                let document: Document =
                    serde_json::from_str(documents.value(row)).map_err(|e| {
                        format!("record {row}: the `document` column is not a document: {e}")
                    })?;
                push_summary(&document, &mut lines);
            }
        }
        Ok(lines)
    })
    .map_err(PyValueError::new_err)
}

/// The corpus summary of `document` as one JSON line, onto `lines`.
pub fn push_summary(document: &Document, lines: &mut String) {
    let summary = serde_json::to_string(&DocSummary::of(document))
        .expect("a summary holds only strings and a format");
    lines.push_str(&summary);
    lines.push('\n');
}

/// Source order, then code, as the pipeline sorts a document's diagnostics.
fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (a.line, a.column, &a.code, &a.message).cmp(&(b.line, b.column, &b.code, &b.message))
    });
    diagnostics.dedup();
}

fn count(report: &mut Value, diagnostic: &Diagnostic) {
    for (field, key) in [
        ("diagnostics", diagnostic.code.as_str()),
        ("severities", diagnostic.severity.as_str()),
    ] {
        let counts = &mut report[field];
        if !counts.is_object() {
            *counts = json!({});
        }
        let entry = &mut counts[key];
        *entry = json!(entry.as_u64().unwrap_or(0) + 1);
    }
}

/// Runs the corpus rules over the summaries of a whole run (JSON Lines files, in input order) and
/// its redirects (the redirects tables' Parquet or JSON Lines shards), with the default rule
/// configuration.
///
/// Returns a dict: `documents`, the documents whose id the run changes (a second `X` becomes
/// `X~2`) or that get findings, each `{"index", "id", "title", "diagnostics"}` where `index`
/// counts documents from 0 in input order and `diagnostics` are the findings to add; and
/// `corpus`, the findings about the corpus as a whole. With `report` (the merged report of the
/// tasks) the dict also holds `report`: that report with the findings counted and its `corpus`
/// messages, as `zhnorm normalize` writes `_report.json`.
#[pyfunction]
#[pyo3(signature = (summaries, redirects, *, report=None))]
pub fn check_corpus<'py>(
    py: Python<'py>,
    summaries: Vec<PathBuf>,
    redirects: Vec<PathBuf>,
    report: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let json_module = py.import("json")?;
    let mut report: Option<Value> = match report {
        Some(report) => {
            let text: String = json_module.call_method1("dumps", (report,))?.extract()?;
            Some(serde_json::from_str(&text).map_err(|e| PyValueError::new_err(e.to_string()))?)
        }
        None => None,
    };
    let result = py.detach(|| -> Result<Value, String> {
        let mut checker = CorpusChecker::new(&zhnorm_check::Config::default());
        let mut ids = zhnorm::IdAllocator::default();
        let mut changed = Vec::new();
        let mut index = 0usize;
        for path in &summaries {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            for (line_number, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let mut summary: DocSummary = serde_json::from_str(line).map_err(|e| {
                    format!("{}:{}: not a summary: {e}", path.display(), line_number + 1)
                })?;
                let id = ids.allocate(&summary.title).0;
                let renamed = id != summary.id;
                summary.id = id;
                let mut findings: Vec<Diagnostic> = checker
                    .observe(&summary)
                    .into_iter()
                    .map(|f| f.diagnostic)
                    .collect();
                if renamed || !findings.is_empty() {
                    sort_diagnostics(&mut findings);
                    if let Some(report) = &mut report {
                        findings.iter().for_each(|d| count(report, d));
                    }
                    changed.push(json!({
                        "index": index,
                        "id": summary.id,
                        "title": summary.title,
                        "diagnostics": findings,
                    }));
                }
                index += 1;
            }
        }
        for path in &redirects {
            for redirect in zhnorm_dataset::read_redirects(path)
                .map_err(|e| format!("{}: {e}", path.display()))?
            {
                checker.observe_redirect(&redirect.title, &redirect.target);
            }
        }
        let mut corpus: Vec<Diagnostic> = checker
            .finish()
            .into_iter()
            .map(|CorpusFinding { diagnostic, .. }| diagnostic)
            .collect();
        sort_diagnostics(&mut corpus);
        let mut result = json!({ "documents": changed, "corpus": corpus });
        if let Some(mut report) = report.take() {
            corpus.iter().for_each(|d| count(&mut report, d));
            report["corpus"] = json!(corpus.iter().map(|d| &d.message).collect::<Vec<_>>());
            result["report"] = report;
        }
        Ok(result)
    });
    let result = result.map_err(PyValueError::new_err)?;
    json_module.call_method1("loads", (result.to_string(),))
}

/// What `check_corpus` found for one document of a batch: its row, its id in the whole run, and
/// the findings to add.
#[derive(serde::Deserialize)]
struct Change {
    row: usize,
    id: String,
    diagnostics: Vec<Diagnostic>,
}

/// Applies the corpus step to a batch of records: `changes` is a list of
/// `{"row", "id", "diagnostics"}` (rows of this batch, ids and findings from `check_corpus`).
/// Returns the batch in the record schema, each changed record rebuilt from its document with
/// the id and the findings, as `zhnorm normalize` writes it; the other records as they were.
///
/// Records in the record schema are copied as they are; only the changed ones are parsed and
/// rebuilt (a run's findings touch a few records of each part; rebuilding all of them cost ten
/// times the reading and writing of the part). Records of another schema (a reader that widened
/// the unsigned integers) are all rebuilt into the record schema.
#[pyfunction]
pub fn apply_corpus_findings<'py>(
    py: Python<'py>,
    records: &Bound<'py, PyAny>,
    changes: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    use arrow_pyarrow::ToPyArrow;

    let text: String = py
        .import("json")?
        .call_method1("dumps", (changes,))?
        .extract()?;
    let changes: Vec<Change> =
        serde_json::from_str(&text).map_err(|e| PyValueError::new_err(format!("changes: {e}")))?;
    let batches = input_batches(records)?;
    let batch = py
        .detach(|| apply_changes(&batches, changes))
        .map_err(PyValueError::new_err)?;
    batch.to_pyarrow(py)
}

fn apply_changes(
    batches: &[arrow_array::RecordBatch],
    changes: Vec<Change>,
) -> Result<arrow_array::RecordBatch, String> {
    use zhnorm_dataset::{ColumnBuilder, DocumentColumns};

    let schema = zhnorm_dataset::record_schema();
    let in_record_schema = batches
        .iter()
        .all(|batch| batch.schema().fields() == schema.fields());
    let mut by_row: std::collections::HashMap<usize, Change> =
        changes.into_iter().map(|c| (c.row, c)).collect();
    let mut columns = DocumentColumns::default();
    // Where each output record comes from: (batch, row); the rebuilt ones from batch
    // `batches.len()`.
    let mut sources = Vec::new();
    let mut rebuilt = 0;
    let mut row = 0;
    for (at, batch) in batches.iter().enumerate() {
        let documents = batch
            .column_by_name("document")
            .filter(|c| c.data_type() == &arrow_schema::DataType::Utf8)
            .ok_or("the records have no utf8 `document` column")?
            .as_string::<i32>();
        for index in 0..documents.len() {
            let change = by_row.remove(&row);
            if change.is_none() && in_record_schema {
                sources.push((at, index));
            } else {
                let mut document: Document = serde_json::from_str(documents.value(index))
                    .map_err(|e| format!("record {row}: not a document: {e}"))?;
                if let Some(change) = change {
                    document.id = change.id;
                    document.diagnostics.extend(change.diagnostics);
                    sort_diagnostics(&mut document.diagnostics);
                }
                columns.append(&zhnorm_cli::record(&document));
                sources.push((batches.len(), rebuilt));
                rebuilt += 1;
            }
            row += 1;
        }
    }
    if let Some(missing) = by_row.keys().min() {
        return Err(format!("no record {missing} in the batch ({row} records)"));
    }
    let rebuilt = columns.finish();
    if !in_record_schema {
        return Ok(rebuilt);
    }
    let inputs: Vec<&arrow_array::RecordBatch> = batches.iter().chain([&rebuilt]).collect();
    let joined = arrow_select::interleave::interleave_record_batch(&inputs, &sources)
        .map_err(|e| format!("copying the records: {e}"))?;
    // The record schema with its metadata, as the rebuilt records carry it.
    joined
        .with_schema(rebuilt.schema())
        .map_err(|e| format!("copying the records: {e}"))
}
