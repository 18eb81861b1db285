//! Corpus rules: over all documents of a run. Shared here: how names are compared.

pub(crate) mod duplicate_article;
pub(crate) mod duplicate_id;
pub(crate) mod entity_spelled_two_ways;
pub(crate) mod wiki_links_resolved;

use std::sync::OnceLock;

use crate::context::DocSummary;
use crate::key_index::{reserve_by_eighths, reserve_str_by_eighths};
use zhnorm_script::Engine;
use zhnorm_script::builtin::BuiltinEngine;

/// Folds what never tells two names apart: dash variants (`－` `—` `–` `‐` …), full-width
/// ASCII, middle-dot variants, `_` and runs of white space, and the case of Latin letters.
pub(crate) fn fold_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.trim().chars() {
        let c = match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => '-',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{30FB}' | '\u{2027}' | '\u{FF65}' | '\u{2022}' | '\u{00B7}' => '·',
            '_' | '\u{3000}' => ' ',
            c => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// The key under which names that differ only by dashes, widths or script meet: the name
/// converted by the script crate's built-in `t2s` tables (OpenCC's), then [`fold_name`]. If the
/// tables cannot be loaded (they are embedded, so only a damaged build), script is not folded.
pub(crate) fn entity_key(name: &str) -> String {
    static T2S: OnceLock<Option<BuiltinEngine>> = OnceLock::new();
    match T2S.get_or_init(|| BuiltinEngine::load("t2s").ok()) {
        Some(engine) => fold_name(&engine.convert(name)),
        None => fold_name(name),
    }
}

/// A 64-bit digest of a name, kept by the corpus rules instead of the name where they only
/// compare names: 8 bytes per title or link rather than a string, and half of [`name_key`]'s,
/// so that their state over a whole dump stays small. Two names meet when they are equal or by a
/// 64-bit collision: among the ten million names of a whole zh.wikipedia, about one chance in
/// 400,000 per run, and the cost of one is a wrong informational finding or a missed one (the
/// ids themselves are handed out by [`name_key`]).
pub(crate) fn rule_key(name: &str) -> u64 {
    use std::hash::BuildHasher;
    // A fixed seed: the same name has the same key in every run and on every machine.
    const SEED: foldhash::fast::FixedState =
        foldhash::fast::FixedState::with_seed(0x243f_6a88_85a3_08d3);
    SEED.hash_one(name)
}

/// A 128-bit digest of a name, where a collision must stay out of reach: the id allocator keeps
/// it for every id handed out (an id names the document's files). Two names meet only when they
/// are equal or by a 128-bit collision.
pub fn name_key(name: &str) -> u128 {
    use std::hash::BuildHasher;
    // Fixed seeds: the same name has the same key in every run and on every machine.
    const LOW: foldhash::fast::FixedState =
        foldhash::fast::FixedState::with_seed(0x243f_6a88_85a3_08d3);
    const HIGH: foldhash::fast::FixedState =
        foldhash::fast::FixedState::with_seed(0x1319_8a2e_0370_7344);
    (u128::from(HIGH.hash_one(name)) << 64) | u128::from(LOW.hash_one(name))
}

/// The id a document would have had without the pipeline's `~2`, `~3` … suffix.
pub(crate) fn base_id(id: &str) -> &str {
    match id.rsplit_once('~') {
        Some((base, n))
            if !base.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) =>
        {
            base
        }
        _ => id,
    }
}

/// Namespaces whose links are not articles (files, categories, templates, project pages), in
/// English and both scripts.
const NON_ARTICLE_NAMESPACES: &[&str] = &[
    "file",
    "image",
    "media",
    "category",
    "template",
    "wikipedia",
    "wp",
    "help",
    "portal",
    "special",
    "user",
    "talk",
    "module",
    "draft",
    "文件",
    "檔案",
    "档案",
    "图像",
    "圖像",
    "分类",
    "分類",
    "模板",
    "帮助",
    "幫助",
    "主题",
    "主題",
    "维基百科",
    "維基百科",
    "用户",
    "用戶",
    "特殊",
    "草稿",
];

/// The article a wiki link target names, or `None` for links that name no article of this
/// wiki (files, categories, interwiki `en:…`, same-page `#anchors`).
pub(crate) fn linked_article(target: &str) -> Option<String> {
    let target = target.trim().trim_start_matches(':');
    let page = target.split('#').next().unwrap_or_default().trim();
    if page.is_empty() {
        return None;
    }
    if let Some((prefix, _)) = page.split_once([':', '：']) {
        let prefix = prefix.trim().to_lowercase();
        let interwiki =
            (2..=3).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_lowercase());
        if interwiki || NON_ARTICLE_NAMESPACES.contains(&prefix.as_str()) {
            return None;
        }
    }
    Some(page.replace('_', " "))
}

/// `title` (`format` `path`), naming a document in messages.
pub(crate) fn describe_doc(doc: &DocSummary) -> String {
    describe(&doc.id, doc.format, &doc.path)
}

fn describe(id: &str, format: zhnorm_doc::Format, path: &str) -> String {
    format!("`{id}` ({format} `{path}`)")
}

/// A document the corpus rules have seen: its place in input order, in [`SeenDocs`]. Four
/// bytes, kept in every rule's tables (a run of more than four billion documents would be two
/// thousand zh.wikipedias).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocNo(u32);

/// What the corpus rules keep of every document to name it in a later finding
/// ([`describe_doc`]'s parts), once for all rules: the ids in one buffer, the formats, and the
/// path of each run of documents from one input (every page of a dump names the dump). About 25
/// bytes a document; each rule keeps a [`DocNo`]. (Each rule used to keep its own copy of the
/// id and a handle of the path: with the ids the stream hands out, the corpus state grew by
/// about 750 bytes an article.)
#[derive(Debug, Default)]
pub struct SeenDocs {
    ids: String,
    /// Where each document's id ends in `ids` (ids of a run stay far below 4 GiB).
    id_ends: Vec<u32>,
    formats: Vec<zhnorm_doc::Format>,
    /// The first document of each run of documents from one input, and that input's path.
    paths: Vec<(usize, Box<str>)>,
}

impl SeenDocs {
    /// Keeps what names `doc`; returns its number.
    pub(crate) fn push(&mut self, doc: &DocSummary) -> DocNo {
        let no = self.id_ends.len();
        reserve_str_by_eighths(&mut self.ids, doc.id.len());
        reserve_by_eighths(&mut self.id_ends, 1);
        reserve_by_eighths(&mut self.formats, 1);
        self.ids.push_str(&doc.id);
        self.id_ends
            .push(u32::try_from(self.ids.len()).unwrap_or(u32::MAX));
        self.formats.push(doc.format);
        if self
            .paths
            .last()
            .is_none_or(|(_, path)| **path != *doc.path)
        {
            self.paths.push((no, doc.path.as_str().into()));
        }
        DocNo(u32::try_from(no).unwrap_or(u32::MAX))
    }

    pub(crate) fn id(&self, DocNo(no): DocNo) -> &str {
        let no = no as usize;
        let end = |no: usize| self.id_ends.get(no).map_or(0, |&end| end as usize);
        let start = if no == 0 { 0 } else { end(no - 1) };
        self.ids.get(start..end(no)).unwrap_or_default()
    }

    /// [`describe_doc`] of a document seen before.
    pub(crate) fn describe(&self, no: DocNo) -> String {
        let run = self
            .paths
            .partition_point(|(first, _)| *first <= no.0 as usize);
        let path = run.checked_sub(1).map_or("", |run| &*self.paths[run].1);
        describe(self.id(no), self.formats[no.0 as usize], path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_dashes_widths_and_underscores() {
        assert_eq!(
            fold_name("阿塞拜疆－俄罗斯关系"),
            fold_name("阿塞拜疆—俄罗斯关系")
        );
        assert_eq!(fold_name(" Vladimir_Putin "), "vladimir putin");
        assert_eq!(fold_name("ＣＳＴＯ"), "csto");
    }

    #[test]
    fn names_that_differ_only_by_script_share_a_key() {
        assert_eq!(entity_key("量子力學"), entity_key("量子力学"));
        assert_eq!(
            entity_key("阿塞拜疆－俄羅斯關係"),
            entity_key("阿塞拜疆—俄罗斯关系")
        );
        assert_ne!(entity_key("原子論"), entity_key("原子钟"));
        assert_ne!(entity_key("国号"), entity_key("韓戰"));
    }

    #[test]
    fn seen_documents_are_named_as_they_were_seen() {
        let mut seen = SeenDocs::default();
        let doc = |id: &str, path: &str| DocSummary {
            id: id.to_owned(),
            title: String::new(),
            format: zhnorm_doc::Format::Wikitext,
            path: path.to_owned(),
            links: Vec::new(),
        };
        let numbers: Vec<DocNo> = [
            ("巴库", "a.xml"),
            ("中印", "a.xml"),
            ("X~2", "b.xml"),
            ("", "a.xml"),
        ]
        .iter()
        .map(|(id, path)| seen.push(&doc(id, path)))
        .collect();
        let described: Vec<String> = numbers.iter().map(|&no| seen.describe(no)).collect();
        assert_eq!(
            described,
            [
                "`巴库` (wikitext `a.xml`)",
                "`中印` (wikitext `a.xml`)",
                "`X~2` (wikitext `b.xml`)",
                "`` (wikitext `a.xml`)"
            ]
        );
        assert_eq!(seen.paths.len(), 3);
        assert_eq!(seen.id(numbers[2]), "X~2");
    }

    #[test]
    fn links_to_non_articles_are_not_articles() {
        assert_eq!(linked_article("巴库#历史").as_deref(), Some("巴库"));
        assert_eq!(linked_article("File:Putin.jpg"), None);
        assert_eq!(linked_article("分類:俄罗斯双边关系"), None);
        assert_eq!(linked_article("en:Baku"), None);
        assert_eq!(linked_article("#注释"), None);
        assert_eq!(base_id("中印~2"), "中印");
        assert_eq!(base_id("A~B"), "A~B");
    }
}
