//! What must hold for every input: normalizing twice changes nothing, and no input panics.

use proptest::prelude::*;
use zhnorm_doc::{
    Block, Document, Format, Inline, LinkKind, Name, RawReference, Reference, ReferenceCustom,
    Source, Template,
};
use zhnorm_refs::{
    DateOutcome, normalize_date, normalize_language, normalize_record, normalize_url,
};

fn date_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}",
        "[0-9]{4}年[0-9]{1,2}月([0-9]{1,2}日)?",
        "(January|Feb|Sept\\.|May|Smarch) ([0-9]{1,2}, )?[0-9]{4}",
        "[0-9]{1,2} (July|Dec|Mai) [0-9]{4}",
        "[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}",
        "[0-9]{4,14}",
        ".{0,12}",
    ]
}

fn language_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "英语",
            "英國英語",
            "美国英语",
            "中文(中国大陆)",
            "中文（繁體）",
            "俄文",
            "zh-hans",
            "EN",
            "eng",
            "British English",
            "Chinese (Simplified)",
            "ja, en",
            "克林贡语",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{1,8}){0,2}",
        ".{0,8}",
    ]
}

fn url_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "(https?:|HTTP:)?//[a-zA-Z0-9.-]{0,12}(:[0-9]{1,5})?(/[^ ]{0,12})?",
        "https?://web\\.archive\\.org/web/[0-9]{4,14}(id_)?/(https?:/{1,2})?[a-z.]{1,10}/[^ ]{0,8}",
        "www\\.[a-z]{1,8}\\.[a-z]{2,3}/.{0,8}",
        ".{0,20}",
    ]
}

fn optional(s: impl Strategy<Value = String>) -> impl Strategy<Value = Option<String>> {
    prop::option::of(s)
}

fn record() -> impl Strategy<Value = Reference> {
    (
        (
            optional(".{0,10}"),
            optional(".{0,6}"),
            optional(date_text()),
            optional(date_text()),
        ),
        (
            optional(url_text()),
            optional(language_text()),
            optional("[0-9Xx -]{0,10}"),
            optional(".{0,6}"),
        ),
        (
            optional(url_text()),
            optional(date_text()),
            optional(".{0,6}"),
            prop::collection::vec(".{0,6}", 0..3),
        ),
    )
        .prop_map(
            |(
                (title, container, issued, accessed),
                (url, language, issn, doi),
                (archive_url, archive_date, url_status, names),
            )| {
                Reference {
                    id: "r1".to_owned(),
                    kind: "webpage".to_owned(),
                    title,
                    container_title: container,
                    issued,
                    accessed,
                    url,
                    language,
                    issn,
                    doi,
                    author: names
                        .into_iter()
                        .map(|literal| Name::Literal { literal })
                        .collect(),
                    custom: ReferenceCustom {
                        archive_url,
                        archive_date,
                        url_status,
                        ..ReferenceCustom::default()
                    },
                    ..Reference::default()
                }
            },
        )
}

proptest! {
    #[test]
    fn dates_normalize_once(text in date_text()) {
        if let DateOutcome::Iso(iso) = normalize_date(&text) {
            prop_assert_eq!(normalize_date(&iso), DateOutcome::Iso(iso));
        }
    }

    #[test]
    fn languages_normalize_once(text in language_text()) {
        if let Some(tag) = normalize_language(&text) {
            prop_assert_eq!(normalize_language(&tag), Some(tag));
        }
    }

    #[test]
    fn urls_normalize_once(text in url_text()) {
        if let Ok(url) = normalize_url(&text) {
            prop_assert_eq!(normalize_url(&url), Ok(url));
        }
    }

    #[test]
    fn records_normalize_once(mut reference in record()) {
        normalize_record(&mut reference);
        let once = reference.clone();
        normalize_record(&mut reference);
        prop_assert_eq!(reference, once);
    }

    /// Any text in any format gives records, and every citation names one.
    /// Hand-written footnotes of any shape (text, emphasis, a link in the middle, the
    /// connecting words the parser strips) never panic, and every citation resolves.
    #[test]
    fn any_handwritten_footnote_is_read(
        before in prop::sample::select(vec!["", "See ", "見", "参见《", "e.g., ", "Smith, ", "王明. "]),
        head in "\\PC{0,24}",
        label in "\\PC{0,16}",
        tail in "\\PC{0,24}",
        emphasized in any::<bool>(),
    ) {
        let mut doc = Document::new(Source::given("p", Format::Wikitext));
        doc.blocks.push(Block::Paragraph { inlines: vec![Inline::Cite { reference: "a".into() }] });
        let middle = Inline::Link { kind: LinkKind::External, target: "http://example.org/x".into(), inlines: vec![Inline::text(label.clone())] };
        let middle = if emphasized { Inline::Emphasis { inlines: vec![middle] } } else { middle };
        let raw = RawReference {
            key: "a".into(),
            format: Some(Format::Wikitext),
            raw: format!("{before}{head}[http://example.org/x {label}]{tail}"),
            inlines: vec![Inline::text(format!("{before}{head}")), middle, Inline::text(tail.clone())],
            ..RawReference::default()
        };
        zhnorm_refs::normalize(&mut doc, vec![raw]);
        prop_assert!(!doc.references.is_empty());
        let mut resolved = true;
        zhnorm_doc::for_each_inline(&doc.blocks, &mut |inline| {
            if let Inline::Cite { reference } = inline {
                resolved &= doc.references.iter().any(|r| &r.id == reference);
            }
        });
        prop_assert!(resolved);
    }

    #[test]
    fn any_reference_text_is_structured(
        text in ".{0,80}",
        format in prop::sample::select(vec![Format::Wikitext, Format::Scraped, Format::Markdown]),
        with_link in any::<bool>(),
        template in prop::option::of((".{0,8}", prop::collection::vec((".{0,6}", ".{0,12}"), 0..4))),
    ) {
        let mut doc = Document::new(Source::given("p", format));
        doc.blocks.push(Block::Paragraph { inlines: vec![
            Inline::Cite { reference: "a".into() },
            Inline::Cite { reference: "missing".into() },
        ] });
        let inlines = if with_link {
            vec![Inline::Link { kind: LinkKind::External, target: text.clone(), inlines: vec![Inline::text(text.clone())] }]
        } else {
            vec![Inline::text(text.clone())]
        };
        let raw = RawReference {
            key: "a".into(),
            format: Some(format),
            raw: text.clone(),
            inlines,
            templates: template.into_iter().map(|(name, params)| Template { name, params }).collect(),
            ..RawReference::default()
        };
        zhnorm_refs::normalize(&mut doc, vec![raw]);
        // One record (`n1` when the text is an explanatory note), or one per citation of a
        // footnote holding several; the marker cites each of them, the unknown key none.
        prop_assert!(!doc.references.is_empty());
        prop_assert!(["r1", "n1"].contains(&doc.references[0].id.as_str()));
        let cited: Vec<Inline> = doc.references.iter().map(|r| Inline::Cite { reference: r.id.clone() }).collect();
        prop_assert_eq!(&doc.blocks[0], &Block::Paragraph { inlines: cited });
        // The record itself is already normal.
        let mut again = doc.references[0].clone();
        normalize_record(&mut again);
        prop_assert_eq!(&again, &doc.references[0]);
    }
}

/// Pathological inputs stay fast: deep template nesting, many trailing parentheses, long runs
/// of segment breaks (a quadratic pass would take minutes on these).
#[test]
fn pathological_inputs_are_linear() {
    let inputs = [
        (Format::Wikitext, "{{".repeat(50_000) + &"}}".repeat(50_000)),
        (
            Format::Scraped,
            "标题. 网站. 2025-07-01 [2025-07-02]".to_owned() + &" (英语)".repeat(20_000),
        ),
        (Format::Scraped, "a. ".repeat(50_000)),
        (
            Format::Markdown,
            "[".repeat(30_000) + "t](http://example.org/" + &")".repeat(30_000),
        ),
    ];
    for (format, text) in inputs {
        let start = std::time::Instant::now();
        let raw = RawReference {
            key: "k".into(),
            format: Some(format),
            raw: text.clone(),
            ..RawReference::default()
        };
        let (record, _) = zhnorm_refs::structure(&raw);
        assert_eq!(record.custom.raw, text);
        let took = start.elapsed();
        assert!(
            took.as_secs() < 5,
            "{format} input of {} bytes took {took:?}",
            text.len()
        );
    }
}
