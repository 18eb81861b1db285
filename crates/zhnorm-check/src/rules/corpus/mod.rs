//! Corpus rules: over all documents of a run. Shared here: how names are compared.

pub(crate) mod duplicate_article;
pub(crate) mod duplicate_id;
pub(crate) mod entity_spelled_two_ways;
pub(crate) mod wiki_links_resolved;

use std::sync::{Arc, OnceLock};

use crate::context::DocSummary;
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

/// A 128-bit digest of a name, kept instead of the name where the corpus rules only compare
/// names: 16 bytes per title or link rather than a string, so that their state over a whole
/// dump stays small (about 1.3 KB per article over the four rules when they kept strings).
/// Two names meet only when they are equal or by a 128-bit collision.
pub(crate) fn name_key(name: &str) -> u128 {
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
    format!("`{}` ({} `{}`)", doc.id, doc.format, doc.path)
}

/// What a corpus rule keeps of a document to name it in a later message: [`describe_doc`]'s
/// parts, the path shared by the documents of one input (every page of a dump names the dump)
/// instead of one description string per document.
pub(crate) struct DocRef {
    id: Box<str>,
    format: zhnorm_doc::Format,
    path: Arc<str>,
}

impl DocRef {
    pub(crate) fn describe(&self) -> String {
        format!("`{}` ({} `{}`)", self.id, self.format, self.path)
    }
}

/// Hands out [`DocRef`]s, sharing the path of consecutive documents of one input.
#[derive(Default)]
pub(crate) struct DocRefs {
    last_path: Option<Arc<str>>,
}

impl DocRefs {
    pub(crate) fn of(&mut self, doc: &DocSummary) -> DocRef {
        let path = match &self.last_path {
            Some(path) if **path == *doc.path => Arc::clone(path),
            _ => {
                let path: Arc<str> = Arc::from(doc.path.as_str());
                self.last_path = Some(Arc::clone(&path));
                path
            }
        };
        DocRef {
            id: doc.id.as_str().into(),
            format: doc.format,
            path,
        }
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
