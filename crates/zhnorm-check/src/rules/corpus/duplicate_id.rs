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

use std::collections::BTreeMap;

use zhnorm_doc::{Diagnostic, codes};

use crate::CorpusFinding;
use crate::context::CorpusContext;
use crate::registry::{Check, Origin, Rule};
use crate::rules::corpus::{base_id, describe_doc, fold_name};

pub(crate) static RULE: Rule = Rule {
    code: &codes::DUPLICATE_ID,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Corpus(check),
    fix: None,
    source: include_str!("duplicate_id.rs"),
};

fn check(cx: &CorpusContext<'_>) -> Vec<CorpusFinding> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, doc) in cx.docs.iter().enumerate() {
        groups.entry(base_id(&doc.id)).or_default().push(i);
    }
    let mut out = Vec::new();
    for members in groups.values() {
        let first = cx.docs[members[0]];
        for &i in &members[1..] {
            let doc = cx.docs[i];
            let same_article =
                !doc.title.trim().is_empty() && fold_name(&doc.title) == fold_name(&first.title);
            if doc.id != first.id && same_article {
                continue;
            }
            out.push(CorpusFinding {
                doc_id: Some(doc.id.clone()),
                diagnostic: Diagnostic::new(
                    &codes::DUPLICATE_ID,
                    format!(
                        "{} and {} map to one id `{}`",
                        describe_doc(first),
                        describe_doc(doc),
                        base_id(&doc.id)
                    ),
                ),
            });
        }
    }
    out
}
