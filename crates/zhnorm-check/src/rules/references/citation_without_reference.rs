//! Finds citations that point at a reference id the document does not have.
//!
//! **Why it matters.** The claim the citation supports has lost its source: the link from text
//! to reference list is the one thing a citation is for. An error.
//!
//! **Example.** A paragraph with `{"type": "cite", "ref": "r9"}` in a document whose
//! references stop at `r8`.

use std::collections::BTreeMap;

use foldhash::HashSet;

use zhnorm_doc::{Diagnostic, codes};

use crate::context::{Context, citations};
use crate::registry::{Check, Origin, Rule};

pub(crate) static RULE: Rule = Rule {
    code: &codes::CITATION_WITHOUT_REFERENCE,
    origin: Origin::EmittedAndChecked("the references stage"),
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("citation_without_reference.rs"),
};

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut missing: BTreeMap<String, usize> = BTreeMap::new();
    let mut order = Vec::new();
    // A set: a list article has thousands of references and tens of thousands of citations.
    let references: HashSet<&str> = cx.doc.references.iter().map(|r| r.id.as_str()).collect();
    for id in citations(cx.doc) {
        if !references.contains(id.as_str()) {
            let n = missing.entry(id.clone()).or_default();
            if *n == 0 {
                order.push(id);
            }
            *n += 1;
        }
    }
    order
        .into_iter()
        .map(|id| {
            let n = missing[&id];
            Diagnostic::new(
                &codes::CITATION_WITHOUT_REFERENCE,
                format!("citation of `{id}` ({n}×) but the document has no reference `{id}`"),
            )
        })
        .collect()
}
