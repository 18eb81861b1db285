//! What must hold for every input: conversion never panics (NUL, combining marks, ideographic
//! description characters, characters outside the BMP, broken rules), leaves no conversion
//! markup, and keeps text without Han characters as it is.

use std::sync::OnceLock;

use proptest::prelude::*;
use zhnorm_doc::{Block, ConversionRule, Document, Format, Inline, LinkKind, Source, VariantText};
use zhnorm_script::{ConvertOptions, Converter, EngineKind, Variant, convert_document};

fn converters() -> &'static [Converter] {
    static CONVERTERS: OnceLock<Vec<Converter>> = OnceLock::new();
    CONVERTERS.get_or_init(|| {
        Variant::ALL
            .into_iter()
            .map(|v| Converter::new(v, EngineKind::Builtin, ConvertOptions::default()).unwrap())
            .collect()
    })
}

/// Text mixing both scripts with the characters engines find awkward.
fn awkward_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "遠征軍",
        "远征军",
        "这",
        "這",
        "干",
        "发",
        "“",
        "”",
        "「",
        "」",
        "。",
        "，",
        "\0",
        "\u{301}",
        "\u{2FF0}",
        "\u{2FFB}",
        "𠀀",
        "𫎬",
        "a",
        " ",
        "\n",
        "https://例子.org/這",
        "-{",
        "}-",
    ]);
    prop::collection::vec(
        prop_oneof![
            pieces.prop_map(str::to_owned),
            any::<char>().prop_map(String::from)
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

fn rule() -> impl Strategy<Value = ConversionRule> {
    let flags = prop::sample::select(vec![
        "", "H", "A", "R", "T", "D", "-", "N", "H;A", "zh-hans",
    ]);
    let variant = prop::sample::select(vec![
        "zh", "zh-hans", "zh-hant", "zh-cn", "zh-tw", "zh-hk", "zh-mo",
    ]);
    (
        flags,
        prop::option::of(awkward_text()),
        prop::collection::vec(
            (variant, awkward_text(), prop::option::of(awkward_text())),
            0..4,
        ),
    )
        .prop_map(|(flags, text, variants)| ConversionRule {
            flags: flags.to_owned(),
            text,
            variants: variants
                .into_iter()
                .map(|(variant, text, from)| VariantText {
                    variant: variant.to_owned(),
                    text,
                    from,
                })
                .collect(),
        })
}

fn inline() -> impl Strategy<Value = Inline> {
    prop_oneof![
        awkward_text().prop_map(Inline::text),
        rule().prop_map(|rule| Inline::Conversion {
            rule: Box::new(rule)
        }),
        (awkward_text(), awkward_text()).prop_map(|(target, text)| Inline::Link {
            kind: LinkKind::Wiki,
            target,
            inlines: vec![Inline::text(text)],
        }),
        awkward_text().prop_map(|text| Inline::Code { text }),
        Just(Inline::LineBreak),
    ]
}

fn has_conversion(inlines: &[Inline]) -> bool {
    inlines.iter().any(|i| match i {
        Inline::Conversion { .. } => true,
        Inline::Link { inlines, .. } => has_conversion(inlines),
        _ => false,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn plain_text_never_panics(text in awkward_text()) {
        for converter in converters() {
            let _ = converter.convert_str(&text);
        }
    }

    /// The document walk leaves a text alone when the engine says converting it changes nothing;
    /// the claim must hold for every configuration (identity matches may make it say "changes").
    #[test]
    fn text_an_engine_says_it_leaves_alone_comes_back_unchanged(
        text in prop_oneof![awkward_text(), "[一-龥“”‘’「」，。a ]{0,30}"],
    ) {
        for config in zhnorm_script::builtin::builtin_configs() {
            let engine = zhnorm_script::builtin::BuiltinEngine::load(config).unwrap();
            if engine.changes_nothing(&text) {
                prop_assert_eq!(engine.convert_counting(&text), (text.clone(), 0), "{}", config);
            }
        }
    }

    #[test]
    fn text_without_han_is_kept(text in "[ -~\\u{400}-\\u{4FF}]{0,40}") {
        for converter in converters() {
            prop_assert_eq!(converter.convert_str(&text), text.clone());
        }
    }

    #[test]
    fn documents_never_panic_and_keep_no_markup(
        inlines in prop::collection::vec(inline(), 0..8),
        page_rules in prop::collection::vec(rule(), 0..3),
        title in awkward_text(),
    ) {
        let mut doc = Document::new(Source::given("p", Format::Wikitext));
        doc.title = title;
        doc.blocks = vec![Block::Paragraph { inlines }];
        doc.conversion.rules = page_rules;
        for converter in converters() {
            let mut converted = doc.clone();
            convert_document(&mut converted, converter);
            // A paragraph left with no text (its rules showed nothing) is dropped.
            for block in &converted.blocks {
                let Block::Paragraph { inlines } = block else { unreachable!() };
                prop_assert!(!inlines.is_empty());
                prop_assert!(!has_conversion(inlines));
            }
            prop_assert_eq!(&converted.lang, converter.variant().as_tag());
        }
    }
}
