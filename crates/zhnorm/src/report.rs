//! `report.json`: what a corpus run did, for people and machines.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;
use zhnorm_doc::{Document, Inline};

use crate::pipeline::StageTimings;

/// The run report. All fields but `timings_ms` are deterministic for the same inputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub variant: String,
    pub engine: String,
    /// Input files found.
    pub inputs: usize,
    /// Documents normalized and written.
    pub documents: usize,
    /// Input files rejected (see `failures`).
    pub failed: usize,
    /// Documents per detected (or given) format.
    pub formats: BTreeMap<String, usize>,
    pub references: usize,
    pub citations: usize,
    /// Diagnostics per code, over all documents.
    pub diagnostics: BTreeMap<String, usize>,
    /// Diagnostics per severity, over all documents.
    pub severities: BTreeMap<String, usize>,
    /// Counts of reader repairs, over all documents.
    pub repairs: BTreeMap<String, u32>,
    pub failures: Vec<Failure>,
    /// Redirect pages of a dump (written to the redirects table, not normalized).
    #[serde(skip_serializing_if = "is_zero")]
    pub redirects: usize,
    /// Pages of a dump that were not normalized, by reason (`namespace`, `deleted`,
    /// `model:Scribunto`, …).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub skipped: BTreeMap<String, usize>,
    /// Messages of the corpus rules about the corpus as a whole (e.g. the share of wiki links
    /// that resolve inside it).
    pub corpus: Vec<String>,
    /// Total time per stage over all documents, in milliseconds (varies from run to run).
    pub timings_ms: BTreeMap<String, f64>,
}

/// An input that could not be normalized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Failure {
    pub path: String,
    pub code: String,
    pub error: String,
}

/// The name of the report field that may differ between two runs of the same input.
pub const NONDETERMINISTIC_FIELD: &str = "timings_ms";

impl Report {
    pub fn new(variant: &str, engine: &str) -> Self {
        Report {
            schema: "zhnorm.report/1",
            variant: variant.to_owned(),
            engine: engine.to_owned(),
            ..Report::default()
        }
    }

    pub fn add_document(&mut self, doc: &Document, timings: &StageTimings) {
        self.documents += 1;
        *self
            .formats
            .entry(doc.source.format.to_string())
            .or_default() += 1;
        self.references += doc.references.len();
        zhnorm_doc::for_each_inline(&doc.blocks, &mut |inline| {
            if matches!(inline, Inline::Cite { .. }) {
                self.citations += 1;
            }
        });
        for diagnostic in &doc.diagnostics {
            *self.diagnostics.entry(diagnostic.code.clone()).or_default() += 1;
            *self
                .severities
                .entry(diagnostic.severity.as_str().to_owned())
                .or_default() += 1;
        }
        for (name, count) in &doc.repairs {
            *self.repairs.entry(name.clone()).or_default() += count;
        }
        for (name, time) in StageTimings::NAMES.iter().zip(timings.as_array()) {
            *self.timings_ms.entry((*name).to_owned()).or_default() += millis(time);
        }
    }

    /// Counts the findings of corpus rules about the corpus as a whole.
    pub fn add_corpus_diagnostics(&mut self, diagnostics: &[zhnorm_doc::Diagnostic]) {
        for diagnostic in diagnostics {
            *self.diagnostics.entry(diagnostic.code.clone()).or_default() += 1;
            *self
                .severities
                .entry(diagnostic.severity.as_str().to_owned())
                .or_default() += 1;
        }
        self.corpus = diagnostics.iter().map(|d| d.message.clone()).collect();
    }

    pub fn add_failure(&mut self, failure: Failure) {
        self.failed += 1;
        *self.diagnostics.entry(failure.code.clone()).or_default() += 1;
        *self.severities.entry("error".to_owned()).or_default() += 1;
        self.failures.push(failure);
    }

    pub fn to_json(&self) -> String {
        let mut value = serde_json::to_value(self).expect("report serializes");
        if let Some(timings) = value
            .get_mut(NONDETERMINISTIC_FIELD)
            .and_then(|t| t.as_object_mut())
        {
            for time in timings.values_mut() {
                let rounded = (time.as_f64().unwrap_or_default() * 1000.0).round() / 1000.0;
                *time = rounded.into();
            }
        }
        let mut json = serde_json::to_string_pretty(&value).expect("report serializes");
        json.push('\n');
        json
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn millis(time: Duration) -> f64 {
    time.as_secs_f64() * 1000.0
}
