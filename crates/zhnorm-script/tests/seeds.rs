//! Every variant over the seed articles (`corpus/raw/`): no character of the other script left
//! outside protected spans, and no conversion markup left.

#[path = "support/leftovers.rs"]
mod support;

use std::path::Path;

#[test]
fn seeds_come_out_clean_in_every_variant() {
    let raw = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/raw");
    let mut paths: Vec<_> = std::fs::read_dir(&raw)
        .expect("corpus/raw exists")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 3, "the three seeds");
    let converters = support::converters();
    let mut failures = Vec::new();
    for path in &paths {
        let doc = support::read_document(path);
        for converter in &converters {
            let (found, rules_left) = support::leftovers(&doc, converter);
            if !found.is_empty() || rules_left > 0 {
                failures.push(format!(
                    "{} {}: {} characters of the other script {:?}, {} conversion nodes left",
                    path.file_name().unwrap().to_string_lossy(),
                    converter.variant(),
                    found.len(),
                    found.iter().take(5).collect::<Vec<_>>(),
                    rules_left
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// zh-Hans output is what OpenCC's `t2s` makes of it: no text node that `t2s` would still
/// change. (Only for the Simplified default: `s2t` is not idempotent, so Traditional output is
/// never judged by converting it again.)
#[test]
fn seeds_in_zh_hans_are_a_fixed_point_of_t2s() {
    use zhnorm_script::{ConvertOptions, Converter, Engine, EngineKind, Variant, convert_document};
    let raw = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/raw");
    let t2s = zhnorm_script::builtin::BuiltinEngine::load("t2s").unwrap();
    let converter = Converter::new(
        Variant::Hans,
        EngineKind::Builtin,
        ConvertOptions::default(),
    )
    .unwrap();
    let mut changed = Vec::new();
    for entry in std::fs::read_dir(&raw).expect("corpus/raw exists") {
        let path = entry.expect("readable").path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let mut doc = support::read_document(&path);
        convert_document(&mut doc, &converter);
        for text in support::visible_texts(&doc).0 {
            let again = t2s.convert(&text);
            if again != text {
                changed.push(format!("{text} → {again}"));
            }
        }
    }
    assert!(changed.is_empty(), "{}", changed.join("\n"));
}
