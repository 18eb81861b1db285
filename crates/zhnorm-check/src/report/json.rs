//! Machine-readable JSON: one flat list of diagnostics, each naming its file, plus counts.

use std::collections::BTreeMap;

use serde::Serialize;
use zhnorm_doc::{Severity, codes};

use super::{FileReport, counts};

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    summary: Summary,
    diagnostics: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
    by_code: BTreeMap<String, usize>,
}

#[derive(Serialize)]
struct Entry<'a> {
    path: &'a str,
    id: &'a str,
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'static str>,
    severity: Severity,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
}

/// The diagnostics of `files` as pretty-printed JSON (`zhnorm.diagnostics/1`), ending in a
/// newline. Key order and entry order are stable.
pub fn render_json(files: &[FileReport<'_>]) -> String {
    let (errors, warnings, infos) = counts(files);
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for file in files {
        for d in file.diagnostics {
            *by_code.entry(d.code.clone()).or_default() += 1;
            diagnostics.push(Entry {
                path: file.path,
                id: file.id,
                code: &d.code,
                name: codes::lookup(&d.code).map(|c| c.name),
                severity: d.severity,
                message: &d.message,
                line: d.line,
                column: d.column,
            });
        }
    }
    let report = Report {
        schema: "zhnorm.diagnostics/1",
        summary: Summary {
            errors,
            warnings,
            infos,
            by_code,
        },
        diagnostics,
    };
    // Plain data with string keys always serializes.
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
