//! Exact outputs of the embedded configurations, the script classes, and robustness.

use super::*;

#[track_caller]
fn check(config: &str, input: &str, expected: &str) {
    let engine = BuiltinEngine::load(config).expect("embedded configuration loads");
    assert_eq!(engine.convert(input), expected, "{config}: {input}");
}

#[test]
fn t2s_converts_phrases_and_characters() {
    check("t2s", "阿塞拜疆－俄羅斯關係", "阿塞拜疆－俄罗斯关系");
    check("t2s", "遶谿", "绕溪");
}

#[test]
fn s2twp_and_tw2sp_use_taiwan_phrases() {
    check("s2twp", "鼠标", "滑鼠");
    check("tw2sp", "滑鼠", "鼠标");
    check("tw2sp", "亞塞拜然", "阿塞拜疆");
}

#[test]
fn char_script_follows_opencc_tables() {
    assert_eq!(char_script('這'), CharScript::TraditionalOnly);
    assert_eq!(char_script('这'), CharScript::SimplifiedOnly);
    assert_eq!(char_script('后'), CharScript::Shared);
    assert_eq!(char_script('干'), CharScript::Shared);
    assert_eq!(char_script('a'), CharScript::Shared);
}
