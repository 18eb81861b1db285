//! Exact outputs of the embedded configurations, the script classes, robustness, and property
//! tests against a plain reference implementation of OpenCC's algorithm.

use std::collections::HashMap;
use std::sync::OnceLock;

use proptest::prelude::*;

use super::config::{ConfigSpec, DictSpec, MatchPolicy, parse_config};
use super::dictionary::{Dictionary, read_dictionary};
use super::*;

#[track_caller]
fn check(config: &str, input: &str, expected: &str) {
    let engine = BuiltinEngine::load(config).expect("embedded configuration loads");
    assert_eq!(engine.convert(input), expected, "{config}: {input}");
}

#[test]
fn t2s_converts_phrases_and_characters() {
    check("t2s", "阿塞拜疆－俄羅斯關係", "阿塞拜疆－俄罗斯关系");
    // Current dictionaries (OpenCC 1.1.6 left these unchanged).
    check("t2s", "遶谿", "绕溪");
    check("t2s.json", "頭髮發展", "头发发展");
}

#[test]
fn s2t_and_regional_configurations() {
    check("s2t", "头发发展", "頭髮發展");
    check("s2tw", "着装", "著裝");
    check("s2twp", "鼠标", "滑鼠");
    check("s2twp", "软件", "軟體");
    check("tw2sp", "滑鼠", "鼠标");
    check("tw2sp", "亞塞拜然", "阿塞拜疆");
    check("s2hk", "着装", "着裝");
    check("hk2s", "着裝", "着装");
}

#[test]
fn every_embedded_configuration_loads() {
    let names = builtin_configs();
    for required in [
        "s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp", "t2tw", "t2hk", "tw2t",
        "hk2t",
    ] {
        assert!(
            names.contains(&required),
            "{required} missing from {names:?}"
        );
        let engine = BuiltinEngine::load(required).expect("loads");
        assert_eq!(engine.name(), format!("builtin:{required}"));
    }
    assert!(
        matches!(BuiltinEngine::load("x2y"), Err(LoadError::UnknownConfig(name)) if name == "x2y")
    );
    assert_eq!(OPENCC_DATA_VERSION, "1.4.2");
}

#[test]
fn unusual_characters_pass_through() {
    check(
        "t2s",
        "a\0關\u{0301}⿰氵關\u{2FFF}𠀀😀\u{FFFF}關",
        "a\0关\u{0301}⿰氵关\u{2FFF}𠀀😀\u{FFFF}关",
    );
    check("s2twp", "\0鼠标\0", "\0滑鼠\0");
    check("t2s", "", "");
}

#[test]
fn normalization_found_during_the_first_pass() {
    // U+F900 is a CJK compatibility ideograph that normalization maps to 豈 (U+8C48); the first
    // conversion pass notices it and falls back to normalizing first, wherever it appears.
    for config in ["t2s", "s2twp", "s2t"] {
        let engine = BuiltinEngine::load(config).expect("loads");
        for text in [
            "\u{F900}",
            "關係，\u{F900}。",
            "鼠标\u{F900}软件",
            "abc（全形）\u{FF0C}",
        ] {
            assert_eq!(
                engine.convert(text),
                naive_engine(config, text),
                "{config}: {text}"
            );
        }
    }
    check("t2s", "關係\u{F900}", "关系岂");
}

#[test]
fn ambiguous_characters_are_counted() {
    let s2t = BuiltinEngine::load("s2t").expect("loads");
    // 发 alone goes through STCharacters' 发 → 發 髮; inside 头发 the phrase decides.
    assert_eq!(s2t.convert_counting("发"), ("發".to_owned(), 1));
    assert_eq!(s2t.ambiguous_count("头发"), 0);
    assert_eq!(s2t.ambiguous_count("abc"), 0);
    let t2s = BuiltinEngine::load("t2s").expect("loads");
    assert_eq!(t2s.ambiguous_count("關係"), 0);
}

#[test]
fn char_script_follows_opencc_tables() {
    use CharScript::*;
    let expected = [
        ('這', TraditionalOnly),
        ('後', TraditionalOnly),
        ('麵', TraditionalOnly),
        ('幹', TraditionalOnly),
        ('關', TraditionalOnly),
        ('这', SimplifiedOnly),
        ('关', SimplifiedOnly),
        ('发', SimplifiedOnly),
        ('后', Shared),
        ('干', Shared),
        ('面', Shared),
        ('乾', Shared),
        ('中', Shared),
        ('a', Shared),
        ('\0', Shared),
        ('😀', Shared),
    ];
    for (c, script) in expected {
        assert_eq!(char_script(c), script, "{c}");
    }
}

#[test]
fn tables_survive_serialization() {
    let data = reference_data();
    let spec = &data.configs["s2twp"].chain[0];
    let table = Table::compile(spec, &data.dictionaries).expect("compiles");
    let again = Table::from_bytes(&table.to_bytes()).expect("reads back");
    let mut a = String::new();
    let mut b = String::new();
    let text = "鼠标和软件发展";
    assert_eq!(
        table.convert_into(text, &mut a),
        again.convert_into(text, &mut b)
    );
    assert_eq!(a, b);
    assert!(Table::from_bytes(&table.to_bytes()[..100]).is_err());
}

// ---------------------------------------------------------------------------------------------
// A plain reference implementation of OpenCC's algorithm, written for these tests: it matches
// dictionaries directly against the text (no precomputed answers, no trie), character by
// character, exactly as OpenCC's C++ code walks its dictionaries.

const REFERENCE_CONFIGS: [&str; 6] = ["t2s", "s2t", "s2twp", "tw2sp", "s2hk", "t2tw"];

struct ReferenceData {
    configs: HashMap<&'static str, ConfigSpec>,
    dictionaries: HashMap<String, Dictionary>,
    keys: Vec<String>,
}

fn reference_data() -> &'static ReferenceData {
    static DATA: OnceLock<ReferenceData> = OnceLock::new();
    DATA.get_or_init(|| {
        let dir = Path::new(env!("ZHNORM_BUILTIN_DATA_DIR"));
        let mut configs = HashMap::new();
        let mut dictionaries = HashMap::new();
        for name in REFERENCE_CONFIGS {
            let path = dir.join(format!("{name}.json"));
            let json = std::fs::read_to_string(&path).expect("config readable");
            let spec = parse_config(&json, &path).expect("config parses");
            let mut files = Vec::new();
            for dict in spec
                .normalization
                .iter()
                .chain(&spec.segmentation)
                .chain(&spec.chain)
            {
                dict.files(&mut files);
            }
            for (kind, file) in files {
                let dictionary =
                    read_dictionary(&dir.join(&file), &kind).expect("dictionary reads");
                dictionaries.insert(file, dictionary);
            }
            configs.insert(name, spec);
        }
        let mut keys: Vec<String> = dictionaries
            .values()
            .flat_map(|d| d.keys().cloned())
            .collect();
        keys.sort();
        keys.dedup();
        ReferenceData {
            configs,
            dictionaries,
            keys,
        }
    })
}

/// The longest match of `spec` at `text[at..end]`: (characters consumed, output).
fn naive_match(
    spec: &DictSpec,
    data: &ReferenceData,
    text: &[char],
    at: usize,
    end: usize,
) -> Option<(usize, String)> {
    match spec {
        DictSpec::File { file, .. } => {
            let dictionary = &data.dictionaries[file];
            (1..=end - at).rev().find_map(|len| {
                let key: String = text[at..at + len].iter().collect();
                dictionary.get(&key).map(|values| (len, values[0].clone()))
            })
        }
        DictSpec::Group { policy, members } => {
            let mut best: Option<(usize, String)> = None;
            for member in members {
                if let Some(found) = naive_match(member, data, text, at, end) {
                    if *policy == MatchPolicy::ShortCircuit {
                        return Some(found);
                    }
                    if best.as_ref().is_none_or(|(len, _)| found.0 > *len) {
                        best = Some(found);
                    }
                }
            }
            best
        }
    }
}

fn naive_convert(spec: &DictSpec, data: &ReferenceData, text: &[char]) -> Vec<char> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < text.len() {
        match naive_match(spec, data, text, at, text.len()) {
            Some((len, output)) => {
                out.extend(output.chars());
                at += len;
            }
            None => {
                out.push(text[at]);
                at += 1;
            }
        }
    }
    out
}

fn naive_segments(spec: &DictSpec, data: &ReferenceData, text: &[char]) -> Vec<Vec<char>> {
    let mut segments = Vec::new();
    let mut run = Vec::new();
    let mut at = 0;
    while at < text.len() {
        match naive_match(spec, data, text, at, text.len()) {
            Some((len, _)) => {
                if !run.is_empty() {
                    segments.push(std::mem::take(&mut run));
                }
                segments.push(text[at..at + len].to_vec());
                at += len;
            }
            None => {
                run.push(text[at]);
                at += 1;
            }
        }
    }
    if !run.is_empty() {
        segments.push(run);
    }
    segments
}

fn naive_engine(config: &str, text: &str) -> String {
    let data = reference_data();
    let spec = &data.configs[config];
    let mut text: Vec<char> = text.chars().collect();
    for step in &spec.normalization {
        text = naive_convert(step, data, &text);
    }
    let segments = match &spec.segmentation {
        Some(segmentation) => naive_segments(segmentation, data, &text),
        None => vec![text],
    };
    let mut out = String::new();
    for segment in segments {
        let mut current = segment;
        for step in &spec.chain {
            current = naive_convert(step, data, &current);
        }
        out.extend(current);
    }
    out
}

/// Text made of dictionary keys, pieces of keys, and characters OpenCC never maps.
fn text_strategy() -> impl Strategy<Value = String> {
    let keys = &reference_data().keys;
    let key = proptest::sample::select(keys.clone());
    let key_prefix = proptest::sample::select(keys.clone()).prop_map(|k| {
        let n = k.chars().count();
        k.chars()
            .take(n.saturating_sub(1).max(1))
            .collect::<String>()
    });
    let odd_char = prop_oneof![
        Just(0u32),
        Just(0xFFFFu32),
        0x0300u32..0x0370,
        0x2FF0u32..0x3000,
        0x20000u32..0x20100,
        0x4E00u32..0x9FFF,
        0x20u32..0x7F,
    ]
    .prop_map(|c| char::from_u32(c).unwrap_or('?').to_string());
    let piece = prop_oneof![4 => key, 2 => key_prefix, 3 => odd_char];
    proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// ASCII text made of the ASCII beginnings of dictionary keys (`SQL` of `SQL注入`, `B` of
/// `B超`) and other ASCII characters.
fn ascii_text_strategy() -> impl Strategy<Value = String> {
    let mut beginnings: Vec<String> = reference_data()
        .keys
        .iter()
        .map(|k| k.chars().take_while(char::is_ascii).collect::<String>())
        .filter(|b| !b.is_empty())
        .collect();
    beginnings.dedup();
    assert!(!beginnings.is_empty(), "some key begins with ASCII");
    let piece = prop_oneof![
        proptest::sample::select(beginnings),
        "[ -~\t\n]{1,3}".prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..16).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fast_engine_equals_reference(text in text_strategy(), which in 0..REFERENCE_CONFIGS.len()) {
        let config = REFERENCE_CONFIGS[which];
        let engine = BuiltinEngine::load(config).expect("loads");
        prop_assert_eq!(engine.convert(&text), naive_engine(config, &text), "{}", config);
    }

    #[test]
    fn ascii_text_converts_as_the_reference(
        text in ascii_text_strategy(),
        which in 0..REFERENCE_CONFIGS.len(),
    ) {
        let config = REFERENCE_CONFIGS[which];
        let engine = BuiltinEngine::load(config).expect("loads");
        prop_assert_eq!(engine.convert_counting(&text), (naive_engine(config, &text), 0), "{}", config);
    }

    #[test]
    fn never_panics_on_arbitrary_unicode(text in any::<String>()) {
        for name in builtin_configs() {
            let engine = BuiltinEngine::load(name).expect("loads");
            let (out, _) = engine.convert_counting(&text);
            // Characters outside every dictionary pass through, so output is never empty for
            // non-empty input.
            prop_assert_eq!(out.is_empty(), text.is_empty());
        }
    }
}

/// `mixed::convert_sentence_pivot` converts sentences joined and splits the output back at
/// their ends: exact only while no match can span a sentence end or closing mark, and no output
/// adds or drops one.
#[test]
fn no_dictionary_holds_a_sentence_mark() {
    let is_mark = |c: char| crate::mixed::is_sentence_end(c) || crate::mixed::is_closing_mark(c);
    let dir = Path::new(env!("ZHNORM_BUILTIN_DATA_DIR"));
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).expect("data dir readable") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("ocd2") {
            continue;
        }
        let dictionary = read_dictionary(&path, "ocd2").expect("dictionary reads");
        for (key, values) in &dictionary {
            let with_mark = std::iter::once(key)
                .chain(values)
                .find(|t| t.chars().any(is_mark));
            assert_eq!(with_mark, None, "{}: {key}", path.display());
        }
        checked += 1;
    }
    // Every dictionary OpenCC 1.4.2 ships.
    assert_eq!(checked, 22);
}

/// Characters of every UTF-8 width, with Traditional-only, Simplified-only and shared Han among
/// them, so that the byte-level counter meets each of its branches.
fn text_of_every_width() -> impl Strategy<Value = String> {
    let han = proptest::sample::select(vec!['這', '这', '後', '后', '國', '国', '面', '干', '裡']);
    prop_oneof![
        4 => han,
        1 => any::<char>(),
        1 => proptest::char::range('\u{80}', '\u{7ff}'),
        1 => proptest::char::range('\u{20000}', '\u{2ffff}'),
        1 => proptest::char::range(' ', '~'),
    ]
    .prop_map(String::from)
    .prop_recursive(1, 64, 64, |one| {
        proptest::collection::vec(one, 0..64).prop_map(|parts| parts.concat())
    })
}

proptest! {
    #[test]
    fn count_scripts_counts_as_char_script_classifies(text in text_of_every_width()) {
        let expected = text.chars().fold((0, 0), |(t, s), c| match char_script(c) {
            CharScript::TraditionalOnly => (t + 1, s),
            CharScript::SimplifiedOnly => (t, s + 1),
            CharScript::Shared => (t, s),
        });
        prop_assert_eq!(count_scripts(&text), expected);
    }

    #[test]
    fn script_characters_are_those_char_script_classifies(text in text_of_every_width()) {
        let expected: Vec<(usize, char, CharScript)> = text
            .char_indices()
            .map(|(at, c)| (at, c, char_script(c)))
            .filter(|(_, _, script)| *script != CharScript::Shared)
            .collect();
        let mut found = Vec::new();
        for_each_script_character(&text, |at, c, script| found.push((at, c, script)));
        prop_assert_eq!(found, expected);
    }

    #[test]
    fn characters_of_one_class_are_those_char_script_gives_it(text in text_of_every_width()) {
        for script in [CharScript::TraditionalOnly, CharScript::SimplifiedOnly] {
            let expected: Vec<(usize, char)> = text
                .char_indices()
                .filter(|&(_, c)| char_script(c) == script)
                .collect();
            let mut found = Vec::new();
            for_each_character_of(&text, script, |at, c| found.push((at, c)));
            prop_assert_eq!(holds_script(&text, script), !expected.is_empty());
            prop_assert_eq!(found, expected);
        }
        let mut none = 0;
        for_each_character_of(&text, CharScript::Shared, |_, _| none += 1);
        prop_assert_eq!(none, 0);
    }
}

#[test]
fn count_scripts_on_a_mixed_text() {
    // 這 後 國 Traditional-only; 这 国 Simplified-only; 后 面 shared.
    assert_eq!(count_scripts("a這後國b这国后面𠀀é"), (3, 2));
}
