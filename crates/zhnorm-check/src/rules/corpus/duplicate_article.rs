//! Finds the same article present twice in a run: two documents whose titles are equal once
//! dash variants, widths and white space are folded (titles are already in the run's script).
//!
//! **Why it matters.** The corpus counts the article twice (a bias for statistics, retrieval
//! and training), usually because it was collected in two formats. The two documents are a
//! chance to compare readers (`cargo xtask agree`), but only one belongs in the corpus.
//!
//! **Example.** `wikitext/中印.wikitext` and `markdown/中印.md`, both titled `中印`.

use zhnorm_doc::{Diagnostic, codes};

use crate::context::DocSummary;
use crate::registry::{Check, CorpusRule, Origin, Rule};
use crate::rules::corpus::{DocNo, SeenDocs, describe_doc, fold_name, rule_key};
use crate::{CorpusFinding, KeyIndex};

pub(crate) static RULE: Rule = Rule {
    code: &codes::DUPLICATE_ARTICLE,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Corpus(|| Box::<DuplicateArticle>::default()),
    fix: None,
    source: include_str!("duplicate_article.rs"),
};

/// The first document of each folded title.
#[derive(Default)]
struct DuplicateArticle {
    /// By the [`rule_key`] of the folded title: the first document.
    first: KeyIndex<u64, DocNo>,
}

impl CorpusRule for DuplicateArticle {
    fn observe(
        &mut self,
        doc: &DocSummary,
        no: DocNo,
        seen: &SeenDocs,
        out: &mut Vec<CorpusFinding>,
    ) {
        let folded = fold_name(&doc.title);
        if folded.is_empty() {
            return;
        }
        let key = rule_key(&folded);
        match self.first.get(&key) {
            None => {
                self.first.insert(key, no);
            }
            Some(first) => out.push(CorpusFinding {
                doc_id: Some(doc.id.clone()),
                diagnostic: Diagnostic::new(
                    &codes::DUPLICATE_ARTICLE,
                    format!(
                        "“{}” is present twice: {} and {}",
                        doc.title,
                        seen.describe(*first),
                        describe_doc(doc)
                    ),
                ),
            }),
        }
    }
}
