//! Finds two inputs that map to one id: the same id twice, or ids the pipeline had to tell
//! apart with a suffix (`X` and `X~2`) although the documents are different articles.
//!
//! **Why it matters.** The id names the output file and is how other documents and tools
//! refer to an article; a suffixed id is arbitrary (it depends on which file came first) and
//! two documents under one id overwrite each other. When the documents are the same article
//! (the same title from two formats), K004 reports that instead.
//!
//! **Example.** `中美国.wikitext` titled `中美国` and `中美國.md` titled `中美国（消歧义）`
//! both named from the file, giving `中美国` and `中美国~2`.

use zhnorm_doc::{Diagnostic, codes};

use crate::context::DocSummary;
use crate::registry::{Check, CorpusRule, Origin, Rule};
use crate::rules::corpus::{DocNo, SeenDocs, base_id, describe_doc, fold_name, rule_key};
use crate::{CorpusFinding, KeyIndex};

pub(crate) static RULE: Rule = Rule {
    code: &codes::DUPLICATE_ID,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Corpus(|| Box::<DuplicateId>::default()),
    fix: None,
    source: include_str!("duplicate_id.rs"),
};

/// The first document of each base id.
struct First {
    /// The [`rule_key`] of the folded title.
    title_key: u64,
    doc: DocNo,
}

#[derive(Default)]
struct DuplicateId {
    /// By the [`rule_key`] of the base id.
    first: KeyIndex<u64, First>,
}

impl CorpusRule for DuplicateId {
    fn observe(
        &mut self,
        doc: &DocSummary,
        no: DocNo,
        seen: &SeenDocs,
        out: &mut Vec<CorpusFinding>,
    ) {
        let base = base_id(&doc.id);
        let key = rule_key(base);
        let Some(first) = self.first.get(&key) else {
            self.first.insert(
                key,
                First {
                    title_key: rule_key(&fold_name(&doc.title)),
                    doc: no,
                },
            );
            return;
        };
        let same_article =
            !doc.title.trim().is_empty() && rule_key(&fold_name(&doc.title)) == first.title_key;
        if doc.id != seen.id(first.doc) && same_article {
            return;
        }
        out.push(CorpusFinding {
            doc_id: Some(doc.id.clone()),
            diagnostic: Diagnostic::new(
                &codes::DUPLICATE_ID,
                format!(
                    "{} and {} map to one id `{}`",
                    seen.describe(first.doc),
                    describe_doc(doc),
                    base
                ),
            ),
        });
    }
}
