//! SARIF 2.1.0 (OASIS), the format code-scanning tools read. Columns count Unicode code points,
//! as zhnorm's do, which the run states with `columnKind`.

use std::io::{self, Write};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::{Value, json};
use zhnorm_doc::Severity;

use super::FileReport;
use crate::registry::all_rules;

/// Characters escaped in a path turned into a URI reference (non-ASCII is always escaped).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The diagnostics of `files` as a SARIF 2.1.0 log with one run, ending in a newline. Every
/// rule of the registry is listed in the tool's `rules`, so `ruleIndex` is stable.
pub fn render_sarif(files: &[FileReport<'_>]) -> String {
    let mut results = Vec::new();
    for file in files {
        results.extend(file_results(file));
    }
    let mut log = log_without_results();
    log["runs"][0]["results"] = Value::Array(results);
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// A SARIF 2.1.0 log written as documents come, for runs too large to hold their diagnostics:
/// the head first, one result per line, the tail on [`SarifWriter::finish`]. The log is the
/// one [`render_sarif`] gives, laid out compactly.
#[derive(Debug)]
pub struct SarifWriter<W: Write> {
    out: W,
    tail: String,
    first: bool,
}

impl<W: Write> SarifWriter<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        let mut log = log_without_results();
        log["runs"][0]["results"] = json!(["\u{0}"]);
        let text = serde_json::to_string(&log).unwrap_or_default();
        // Everything before the placeholder result is the head, everything after it the tail.
        let (head, tail) = text
            .split_once("\"\\u0000\"")
            .expect("the placeholder is in the log");
        out.write_all(head.as_bytes())?;
        Ok(SarifWriter {
            out,
            tail: tail.to_owned(),
            first: true,
        })
    }

    /// The results of one file (document).
    pub fn add(&mut self, file: &FileReport<'_>) -> io::Result<()> {
        for result in file_results(file) {
            if !self.first {
                self.out.write_all(b",")?;
            }
            self.first = false;
            self.out.write_all(b"\n")?;
            serde_json::to_writer(&mut self.out, &result)?;
        }
        Ok(())
    }

    /// Writes the tail and hands back the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(self.tail.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn file_results(file: &FileReport<'_>) -> Vec<Value> {
    let rules = all_rules();
    let mut results = Vec::new();
    for d in file.diagnostics {
        let mut result = json!({
            "ruleId": d.code,
            "level": level(d.severity),
            "message": {"text": d.message},
        });
        if let Some(index) = rules.iter().position(|r| r.code.code == d.code) {
            result["ruleIndex"] = json!(index);
        }
        if !file.path.is_empty() {
            let mut physical = json!({
                "artifactLocation": {"uri": utf8_percent_encode(file.path, PATH).to_string()},
            });
            if let Some(line) = d.line {
                let mut region = json!({"startLine": line});
                if let Some(column) = d.column {
                    region["startColumn"] = json!(column);
                }
                physical["region"] = region;
            }
            result["locations"] = json!([{"physicalLocation": physical}]);
        }
        if !file.id.is_empty() {
            result["properties"] = json!({"documentId": file.id});
        }
        results.push(result);
    }
    results
}

/// The log with every rule described and no results yet.
fn log_without_results() -> Value {
    let descriptors: Vec<Value> = all_rules()
        .iter()
        .map(|rule| {
            let doc = rule.documentation();
            let first_paragraph = doc
                .split("\n\n")
                .next()
                .unwrap_or_default()
                .replace('\n', " ");
            json!({
                "id": rule.code.code,
                "name": rule.code.name,
                "shortDescription": {"text": rule.code.summary},
                "fullDescription": {"text": first_paragraph},
                "help": {"text": doc, "markdown": doc},
                "defaultConfiguration": {
                    "enabled": rule.enabled_by_default,
                    "level": level(rule.code.severity),
                },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "zhnorm",
                "informationUri": "https://zhnorm.invalid/docs/rules.md",
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "results": [],
        }],
    })
}
