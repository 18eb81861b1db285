//! Conversion groups end to end: a small dump holding two `Module:CGroup` pages (one of
//! `Item(…)` calls and tables, one of tables), an alias module, and an article naming them
//! through `{{NoteTA|G1=…}}`, normalized in zh-TW, zh-HK and zh-CN.

use std::path::Path;

use zhnorm_doc::{Format, Source};
use zhnorm_script::{
    ConversionGroups, ConvertOptions, Converter, EngineKind, Variant, convert_document_with_groups,
};

/// The (title, text) of each page of a MediaWiki XML dump (enough XML for the fixture).
fn pages(xml: &str) -> Vec<(String, String)> {
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    };
    let between = |s: &str, open: &str, close: &str| -> Option<String> {
        let start = s.find(open)? + open.len();
        let start = start + s[start..].find('>')? + 1;
        let end = start + s[start..].find(close)?;
        Some(unescape(&s[start..end]))
    };
    xml.split("<page>")
        .skip(1)
        .filter_map(|page| {
            Some((
                between(page, "<title", "</title>")?,
                between(page, "<text", "</text>")?,
            ))
        })
        .collect()
}

#[test]
fn groups_named_by_note_ta_apply_in_each_variant() {
    let dump = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/groups/dump.xml");
    let pages = pages(&std::fs::read_to_string(dump).expect("fixture dump"));
    let mut groups = ConversionGroups::new();
    let mut article = None;
    for (title, text) in &pages {
        if !groups.add_page(title, text) {
            article = Some(text.clone());
        }
    }
    assert_eq!(groups.len(), 3);
    let article = article.expect("the fixture has an article");
    let expected = [
        (Variant::Tw, "雪梨的軟體公司在紐西蘭也用滑鼠寫程式。"),
        // zh-HK has no text of its own for 程序: it falls back to zh-TW's.
        (Variant::Hk, "悉尼的軟件公司在新西蘭也用滑鼠寫程式。"),
        (Variant::Cn, "悉尼的软件公司在新西兰也用鼠标写程序。"),
    ];
    for (variant, text) in expected {
        let converter =
            Converter::new(variant, EngineKind::Builtin, ConvertOptions::default()).unwrap();
        let mut doc =
            zhnorm_formats::read(&article, Source::given("a.wikitext", Format::Wikitext)).document;
        let missing = convert_document_with_groups(&mut doc, &converter, &groups);
        assert_eq!(missing, ["Missing"], "{variant}");
        assert_eq!(zhnorm_doc::article_text(&doc), text, "{variant}");
    }
}
