//! What must hold for every input: the pipeline never panics, and its output always validates
//! and never depends on the thread count.

use proptest::prelude::*;
use zhnorm::{Options, Pipeline};

/// Pieces of all three formats and of broken markup, so that random inputs reach deep into the
/// readers rather than being plain text.
const FRAGMENTS: &[&str] = &[
    "'''",
    "''",
    "[[",
    "]]",
    "|",
    "{{",
    "}}",
    "{{cite web|url=http://a.b|title=甲}}",
    "<ref>",
    "</ref>",
    "<ref name=x/>",
    "== ",
    " ==\n",
    "\n",
    "\n\n",
    "* ",
    "# ",
    "{|",
    "|-",
    "|}",
    "-{",
    "}-",
    "zh-hans:",
    ";",
    "[编辑]",
    "[1]",
    "- ^ 1.0 1.1 标题. 网站. 2025-07-02 [2025-07-07] (英语).\n",
    "参考资料\n",
    "\\[1\\]",
    "[甲乙](../Page/甲.md \"wikilink\")",
    "## ",
    "1.  ",
    "**",
    "（）",
    "<!--",
    "-->",
    "http://x.y/z",
    "關係",
    "关系",
    "，",
    ",",
    "。",
    "\u{0}",
    "\u{2ff0}",
    "\u{301}",
    "𠀀",
    "\r\n",
];

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..60).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn the_pipeline_never_panics_and_output_serializes(text in article()) {
        let pipeline = Pipeline::new(Options::default()).unwrap();
        if let Ok(normalized) = pipeline.normalize_bytes("random.txt", text.as_bytes()) {
            let json = zhnorm_doc::to_canonical_json(&normalized.document);
            let back = zhnorm_doc::from_canonical_json(&json).unwrap();
            prop_assert_eq!(back, normalized.document.clone());
            let _ = zhnorm_doc::to_markdown(&normalized.document);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let pipeline = Pipeline::new(Options::default()).unwrap();
        let _ = pipeline.normalize_bytes("random.bin", &bytes);
    }
}
