//! The converter over either engine: the same conversions where the builtin engine's OpenCC
//! 1.4.2 dictionaries and the system's OpenCC agree, and a clear error for an engine that is
//! not built in.

use zhnorm_script::{ConvertOptions, Converter, EngineKind, Variant};

#[cfg(feature = "opencc")]
#[test]
fn both_engines_convert_mixed_text_alike() {
    let text = "遠征軍與远征军都出发了。这位干部发表了讲话，后来他用鼠标点击了“软件”。\0尾";
    for variant in Variant::ALL {
        let convert = |kind| {
            Converter::new(variant, kind, ConvertOptions::default())
                .unwrap()
                .convert_str(text)
        };
        assert_eq!(
            convert(EngineKind::Builtin),
            convert(EngineKind::Opencc),
            "{variant}"
        );
    }
    let opencc =
        Converter::new(Variant::Tw, EngineKind::Opencc, ConvertOptions::default()).unwrap();
    assert_eq!(opencc.engine_name(), "opencc:s2twp+t2s");
}

#[cfg(not(feature = "opencc"))]
#[test]
fn opencc_engine_needs_the_feature() {
    let err =
        Converter::new(Variant::Tw, EngineKind::Opencc, ConvertOptions::default()).unwrap_err();
    assert!(err.to_string().contains("--features opencc"), "{err}");
}

#[test]
fn engine_names_parse_and_builtin_loads_every_variant() {
    assert_eq!(
        "builtin".parse::<EngineKind>().unwrap(),
        EngineKind::Builtin
    );
    for variant in Variant::ALL {
        let converter =
            Converter::new(variant, EngineKind::Builtin, ConvertOptions::default()).unwrap();
        if variant.converts_script() {
            assert!(converter.engine_name().starts_with("builtin:"));
        } else {
            // `zh`: the text as written, no engine.
            assert_eq!(converter.engine_name(), "none");
            assert_eq!(converter.convert_str("遠征军“甲”"), "遠征军“甲”");
        }
    }
}
