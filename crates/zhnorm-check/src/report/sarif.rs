//! SARIF 2.1.0 (OASIS), the format code-scanning tools read. Columns count Unicode code points,
//! as zhnorm's do, which the run states with `columnKind`.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::OnceLock;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;
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
        let (out, first) = (&mut self.out, &mut self.first);
        for_each_result(file, |result| {
            if !*first {
                out.write_all(b",")?;
            }
            *first = false;
            out.write_all(b"\n")?;
            serde_json::to_writer(&mut *out, result)?;
            Ok(())
        })
    }

    /// Writes the tail and hands back the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(self.tail.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// One SARIF result. The fields are in the order of their names, as `serde_json::Value`'s
/// sorted maps wrote them when results were built as values (so the bytes stayed the same); typed,
/// a result costs no map of its own and borrows its texts (the SARIF log took a twentieth of a
/// stream run's time).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    level: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    locations: Option<[Location<'a>; 1]>,
    message: Message<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties<'a>>,
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
}

#[derive(Serialize)]
struct Message<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    start_line: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Properties<'a> {
    document_id: &'a str,
}

/// Calls `emit` with the SARIF result of each diagnostic of `file`.
fn for_each_result(
    file: &FileReport<'_>,
    mut emit: impl FnMut(&SarifResult<'_>) -> io::Result<()>,
) -> io::Result<()> {
    // The file's URI once, not once for each of its diagnostics.
    let uri = (!file.path.is_empty()).then(|| utf8_percent_encode(file.path, PATH).to_string());
    for d in file.diagnostics {
        let locations = uri.as_deref().map(|uri| {
            [Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation { uri },
                    region: d.line.map(|start_line| Region {
                        start_column: d.column,
                        start_line,
                    }),
                },
            }]
        });
        emit(&SarifResult {
            level: level(d.severity),
            locations,
            message: Message { text: &d.message },
            properties: (!file.id.is_empty()).then_some(Properties {
                document_id: file.id,
            }),
            rule_id: &d.code,
            rule_index: rule_index(&d.code),
        })?;
    }
    Ok(())
}

/// The index of the rule of `code` in the registry, which the log's `rules` list in order.
fn rule_index(code: &str) -> Option<usize> {
    static INDEX: OnceLock<HashMap<&'static str, usize>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let mut index = HashMap::new();
            for (i, rule) in all_rules().iter().enumerate() {
                // The first rule of a code, as a search in order finds it.
                index.entry(rule.code.code).or_insert(i);
            }
            index
        })
        .get(code)
        .copied()
}

fn file_results(file: &FileReport<'_>) -> Vec<Value> {
    let mut results = Vec::new();
    let _ = for_each_result(file, |result| {
        results.push(serde_json::to_value(result).map_err(io::Error::other)?);
        Ok(())
    });
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
