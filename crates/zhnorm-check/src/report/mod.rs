//! Reporters: rustc-style text for people, JSON and SARIF 2.1.0 for machines, and the exit
//! status a command should end with.

mod human;
mod json;
mod sarif;

pub use human::render_human;
pub use json::render_json;
pub use sarif::{SarifWriter, render_sarif};

use zhnorm_doc::{Diagnostic, Severity};

/// The diagnostics of one input file (or of the corpus as a whole, with an empty `path`).
#[derive(Debug, Clone, Copy)]
pub struct FileReport<'a> {
    /// The input path relative to the corpus input folder, `/`-separated; empty for findings
    /// about the whole corpus.
    pub path: &'a str,
    /// The document id; empty for findings about the whole corpus.
    pub id: &'a str,
    /// The source text, for showing the line of located diagnostics; optional.
    pub source_text: Option<&'a str>,
    pub diagnostics: &'a [Diagnostic],
}

/// `1` when any diagnostic has error severity, else `0`: the exit status of `check`.
pub fn exit_status<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> i32 {
    i32::from(
        diagnostics
            .into_iter()
            .any(|d| d.severity == Severity::Error),
    )
}

/// Counts of diagnostics by severity: (errors, warnings, infos).
fn counts(files: &[FileReport<'_>]) -> (usize, usize, usize) {
    let mut counts = (0, 0, 0);
    for d in files.iter().flat_map(|f| f.diagnostics) {
        match d.severity {
            Severity::Error => counts.0 += 1,
            Severity::Warning => counts.1 += 1,
            Severity::Info => counts.2 += 1,
        }
    }
    counts
}
