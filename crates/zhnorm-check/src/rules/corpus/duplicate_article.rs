//! Finds the same article present twice in a run: two documents whose titles are equal once
//! dash variants, widths and white space are folded (titles are already in the run's script).
//!
//! **Why it matters.** The corpus counts the article twice (a bias for statistics, retrieval
//! and training), usually because it was collected in two formats. The two documents are a
//! chance to compare readers (`cargo xtask agree`), but only one belongs in the corpus.
//!
//! **Example.** `wikitext/中印.wikitext` and `markdown/中印.md`, both titled `中印`.

use std::collections::BTreeMap;

use zhnorm_doc::{Diagnostic, codes};

use crate::CorpusFinding;
use crate::context::CorpusContext;
use crate::registry::{Check, Origin, Rule};
use crate::rules::corpus::{describe_doc, fold_name};

pub(crate) static RULE: Rule = Rule {
    code: &codes::DUPLICATE_ARTICLE,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Corpus(check),
    fix: None,
    source: include_str!("duplicate_article.rs"),
};

fn check(cx: &CorpusContext<'_>) -> Vec<CorpusFinding> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, doc) in cx.docs.iter().enumerate() {
        let key = fold_name(&doc.title);
        if !key.is_empty() {
            groups.entry(key).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for members in groups.values() {
        let first = cx.docs[members[0]];
        for &i in &members[1..] {
            let doc = cx.docs[i];
            out.push(CorpusFinding {
                doc_id: Some(doc.id.clone()),
                diagnostic: Diagnostic::new(
                    &codes::DUPLICATE_ARTICLE,
                    format!(
                        "“{}” is present twice: {} and {}",
                        doc.title,
                        describe_doc(first),
                        describe_doc(doc)
                    ),
                ),
            });
        }
    }
    out
}
