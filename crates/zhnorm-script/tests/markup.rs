//! MediaWiki's conversion markup end to end: wikitext read by the wikitext reader, converted by
//! [`convert_document`], compared on the article's plain text. Each case names the behaviour
//! (see docs/conversion.md) and gives MediaWiki's text in one variant.

use zhnorm_doc::{Format, Source};
use zhnorm_script::{ConvertOptions, Converter, EngineKind, Variant, convert_document};

/// (behaviour, wikitext, variant, the text MediaWiki shows).
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "H acts from where it stands",
        "電電電前 -{H|zh-cn:气气气;zh-tw:電電電}- 電電電後",
        "zh-CN",
        "电电电前  气气气后",
    ),
    (
        "a removal acts from where it stands, A rules included",
        "-{A|zh:中国;zh-tw:台湾}-是中国。\n\n-{-|zh:中国;zh-tw:台湾}-再说中国。",
        "zh-TW",
        "台湾是台湾。\n\n再說中國。",
    ),
    (
        "a plain rule adds no page rule",
        "-{zh:中国;zh-tw:台湾}-与中国",
        "zh-TW",
        "台湾與中國",
    ),
    (
        "one-way rules act only in the variant they name",
        "-{H|電電電=>zh-cn:气气气}-電電電",
        "zh-Hans",
        "电电电",
    ),
    (
        "one-way rules act in the variant they name",
        "-{H|電電電=>zh-cn:气气气}-電電電",
        "zh-CN",
        "气气气",
    ),
    (
        "zh-Hans takes bidirectional page rules one way only",
        "-{H|zh-cn:气气气;zh-hk:馬馬馬;zh-tw:電電電;}-气气气, 馬馬馬, 電電電",
        "zh-Hans",
        "气气气, 马马马, 电电电",
    ),
    (
        "zh-HK maps every variant's text to its own",
        "-{H|zh-cn:气气气;zh-hk:馬馬馬;zh-tw:電電電;}-气气气, 馬馬馬, 電電電",
        "zh-HK",
        "馬馬馬, 馬馬馬, 馬馬馬",
    ),
    (
        "an empty -{}- splits matching",
        "-{H|zh-cn:電電電;zh-tw:甲}-電-{}-電電，電電電",
        "zh-TW",
        "電電電，甲",
    ),
    (
        "zh-MO falls back to zh-HK",
        "-{zh-cn:大陆;zh-hk:香港;zh-tw:台湾}-",
        "zh-MO",
        "香港",
    ),
    (
        "zh-SG has its own entries",
        "-{zh-cn:大陆;zh-sg:新加坡;zh-tw:台湾}-",
        "zh-SG",
        "新加坡",
    ),
    (
        "zh-MY falls back to zh-SG",
        "-{zh-cn:大陆;zh-sg:新加坡;zh-tw:台湾}-",
        "zh-MY",
        "新加坡",
    ),
    (
        "zh shows the text as written and the first text of a rule",
        "軟體與软件 -{zh-cn:大陆;zh-tw:台湾}-",
        "zh",
        "軟體與软件 大陆",
    ),
    (
        "zh takes no page rule",
        "-{H|zh-cn:大陆;zh-tw:台湾}-台湾",
        "zh",
        "台湾",
    ),
    (
        "D describes with MediaWiki's variant names",
        "-{D|zh-cn:气;zh-tw:電}-",
        "zh-TW",
        "大陆：气；臺灣：電；",
    ),
    (
        "A;D shows nothing but adds the rule",
        "-{A;D|zh-cn:气;zh-tw:電}-气",
        "zh-TW",
        "電",
    ),
    (
        "D;H shows the description and adds the rule",
        "-{D;H|zh-cn:气;zh-tw:電}-：气",
        "zh-TW",
        "大陆：气；臺灣：電；：電",
    ),
    ("N names the variant", "-{N|zh-tw}-", "zh-CN", "臺灣"),
    (
        "-{H|text}- adds no rule",
        "-{H|zh:甲;zh-tw:乙}-甲 -{H|甲}-甲",
        "zh-TW",
        "乙 甲",
    ),
    (
        "BCP 47 codes",
        "-{zh-Hant-TW:臺灣;zh-Hans-CN:大陆}-",
        "zh-TW",
        "臺灣",
    ),
    ("-{|x}- shows x", "-{|气}-", "zh-TW", "气"),
    (
        "an unclosed -{ stays as text",
        "甲-{乙",
        "zh-Hans",
        "甲-{乙",
    ),
    (
        "nowiki keeps markup as text",
        "<nowiki>-{甲}-</nowiki>",
        "zh-Hans",
        "-{甲}-",
    ),
    (
        "a variant list converts when a fallback is listed",
        "-{zh;zh-hans;zh-hant|電}-",
        "zh-CN",
        "电",
    ),
    (
        "a variant list converts as the listed fallback, with its page rules",
        "-{H|zh-cn:大陆;zh-hk:香港;zh-tw:台湾;}-台湾：-{zh;zh-cn;zh-hk|台湾}-",
        "zh-TW",
        "台湾：香港",
    ),
    (
        "a variant list keeps the text when no fallback is listed",
        "-{zh-hant|電}-",
        "zh-CN",
        "電",
    ),
    (
        "T sets the title and shows nothing",
        "甲-{T|zh-cn:气;zh-tw:電}-乙",
        "zh-TW",
        "甲乙",
    ),
    (
        "T;H adds the rule too",
        "-{T;H|zh-cn:气;zh-tw:電}-气",
        "zh-TW",
        "電",
    ),
    (
        "__NOCC__ leaves the text as written",
        "__NOCC__軟體與软件",
        "zh-TW",
        "軟體與软件",
    ),
    (
        "<indicator> is not text",
        "甲<indicator name=\"a\">乙</indicator>丙",
        "zh-Hans",
        "甲丙",
    ),
];

fn shown(wikitext: &str, variant: Variant) -> (String, String) {
    let converter = Converter::new(variant, EngineKind::Builtin, ConvertOptions::default())
        .expect("the builtin engine loads");
    let parsed = zhnorm_formats::read(
        &format!("{wikitext}\n"),
        Source::given("case", Format::Wikitext),
    );
    let mut doc = parsed.document;
    convert_document(&mut doc, &converter);
    (zhnorm_doc::article_text(&doc), doc.title)
}

#[test]
fn markup_shows_mediawikis_text() {
    let mut failures = Vec::new();
    for (behaviour, wikitext, variant, expected) in CASES {
        let (text, _) = shown(wikitext, variant.parse().expect("a known variant"));
        if text != *expected {
            failures.push(format!(
                "{behaviour} ({variant}): {wikitext:?}\n  expected {expected:?}\n  got      {text:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn title_rules() {
    let (_, title) = shown("'''甲'''-{T|zh-cn:气;zh-tw:電}-", Variant::Tw);
    assert_eq!(title, "電");
    let (_, title) = shown("'''甲'''-{T|zh-cn:气;zh-tw:電}-", Variant::Zh);
    assert_eq!(title, "甲");
    let (_, title) = shown("__NOTC__'''軟體'''", Variant::Cn);
    assert_eq!(title, "軟體");
}
