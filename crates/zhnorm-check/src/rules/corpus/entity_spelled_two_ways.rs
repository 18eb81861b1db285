//! Finds the same entity written two ways across the documents of a run: titles and wiki link
//! targets that are equal once dash variants (`－` `—` `–` `-`), full/half width, `_` and
//! script are ignored (script folded by OpenCC's `t2s` tables from the script crate), but are
//! spelled differently. One diagnostic per extra spelling, on the document
//! where it first occurs.
//!
//! **Why it matters.** Links written one way do not resolve to the article titled the other
//! way, and counts per entity split in two. Link targets are page names and are never
//! script-converted, so a Traditional link target in a Simplified corpus shows up here too.
//! Informational.
//!
//! **Example.** `阿塞拜疆－俄罗斯关系` (a title, full-width hyphen) and
//! `阿塞拜疆—俄罗斯关系` (a link target, em dash).

use zhnorm_doc::{Diagnostic, codes};

use crate::context::DocSummary;
use crate::key_index::reserve_str_by_eighths;
use crate::registry::{Check, CorpusRule, Origin, Rule};
use crate::rules::corpus::{DocNo, SeenDocs, entity_key, rule_key};
use crate::{CorpusFinding, KeyIndex};

pub(crate) static RULE: Rule = Rule {
    code: &codes::ENTITY_SPELLED_TWO_WAYS,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Corpus(|| Box::<EntitySpelledTwoWays>::default()),
    fix: None,
    source: include_str!("entity_spelled_two_ways.rs"),
};

/// Where a spelling was first seen: the document and whether as its title or a link.
#[derive(Clone, Copy)]
struct Sighting {
    doc: DocNo,
    as_title: bool,
}

/// The first spelling of an entity, in [`EntitySpelledTwoWays::spellings`], and where it was
/// seen: 16 bytes, with no allocation of its own (an entity per title of the run).
#[derive(Clone, Copy)]
struct First {
    start: u32,
    len: u32,
    at: Sighting,
}

/// Every spelling seen, and the first spelling of each entity.
#[derive(Default)]
struct EntitySpelledTwoWays {
    /// [`rule_key`]s of the spellings seen.
    known: KeyIndex<u64, ()>,
    /// By the [`rule_key`] of the entity's key: its first spelling.
    first: KeyIndex<u64, First>,
    /// The first spellings, one after the other.
    spellings: String,
}

impl EntitySpelledTwoWays {
    fn see(&mut self, name: &str, at: Sighting, seen: &SeenDocs, out: &mut Vec<CorpusFinding>) {
        if name.is_empty() || self.known.insert(rule_key(name), ()).is_some() {
            return;
        }
        let key = rule_key(&entity_key(name));
        match self.first.get(&key) {
            None => {
                // Spellings of a run stay far below 4 GiB; past it, a first spelling reads as
                // empty in messages.
                let start = u32::try_from(self.spellings.len()).unwrap_or(u32::MAX);
                let len = u32::try_from(name.len()).unwrap_or(0);
                reserve_str_by_eighths(&mut self.spellings, name.len());
                self.spellings.push_str(name);
                self.first.insert(key, First { start, len, at });
            }
            Some(first) => {
                let spelling = self
                    .spellings
                    .get(first.start as usize..(first.start as usize + first.len as usize))
                    .unwrap_or_default();
                out.push(CorpusFinding {
                    doc_id: Some(seen.id(at.doc).to_owned()),
                    diagnostic: Diagnostic::new(
                        &codes::ENTITY_SPELLED_TWO_WAYS,
                        format!(
                            "“{name}” ({}) is also written “{spelling}” ({}): {}",
                            sighting(at, seen),
                            sighting(first.at, seen),
                            difference(spelling, name)
                        ),
                    ),
                });
            }
        }
    }
}

impl CorpusRule for EntitySpelledTwoWays {
    fn observe(
        &mut self,
        doc: &DocSummary,
        no: DocNo,
        seen: &SeenDocs,
        out: &mut Vec<CorpusFinding>,
    ) {
        let as_title = Sighting {
            doc: no,
            as_title: true,
        };
        self.see(doc.title.trim(), as_title, seen, out);
        let as_link = Sighting {
            doc: no,
            as_title: false,
        };
        for article in &doc.links {
            self.see(article, as_link, seen, out);
        }
    }
}

fn sighting(at: Sighting, seen: &SeenDocs) -> String {
    if at.as_title {
        format!("title of `{}`", seen.id(at.doc))
    } else {
        format!("link in `{}`", seen.id(at.doc))
    }
}

/// The characters in which two spellings differ, e.g. "they differ in `－`/`—`".
fn difference(a: &str, b: &str) -> String {
    let (a_chars, b_chars): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a_chars.len() != b_chars.len() {
        return "they differ in dashes, width, white space or script".to_owned();
    }
    let mut pairs: Vec<String> = Vec::new();
    for (x, y) in a_chars.iter().zip(&b_chars) {
        let pair = format!("`{x}`/`{y}`");
        if x != y && !pairs.contains(&pair) {
            pairs.push(pair);
        }
    }
    format!("they differ in {}", pairs.join(", "))
}
