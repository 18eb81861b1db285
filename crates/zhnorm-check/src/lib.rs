//! Consistency checks over zhnorm documents (placeholder until the rules land).

use zhnorm_doc::{Diagnostic, Document};

/// The diagnostics the rules find in `doc`. (Placeholder: none.)
pub fn check_document(_doc: &Document) -> Vec<Diagnostic> {
    Vec::new()
}
