//! Languages of references to BCP 47 tags, from Chinese names (both scripts), English names
//! and codes.
//!
//! A table, not a library: the names are the ones zh.wikipedia renders (`英语`, `中文(中国大陆)`,
//! `英国英语`) and editors type into `language=`, and no crate maps Chinese language names. Codes
//! that already look like BCP 47 are only re-cased (`zh-hans` → `zh-Hans`), never validated
//! against the registry.

/// Base languages by name: Chinese names without their `语`/`語`/`文` suffix, in both scripts,
/// and lower-case English names.
const LANGUAGES: &[(&str, &str)] = &[
    ("英", "en"),
    ("english", "en"),
    ("俄", "ru"),
    ("russian", "ru"),
    ("乌克兰", "uk"),
    ("烏克蘭", "uk"),
    ("ukrainian", "uk"),
    ("中", "zh"),
    ("汉", "zh"),
    ("漢", "zh"),
    ("华", "zh"),
    ("華", "zh"),
    ("chinese", "zh"),
    ("日", "ja"),
    ("japanese", "ja"),
    ("韩", "ko"),
    ("韓", "ko"),
    ("朝鲜", "ko"),
    ("朝鮮", "ko"),
    ("korean", "ko"),
    ("法", "fr"),
    ("french", "fr"),
    ("德", "de"),
    ("german", "de"),
    ("西班牙", "es"),
    ("spanish", "es"),
    ("葡萄牙", "pt"),
    ("portuguese", "pt"),
    ("意大利", "it"),
    ("義大利", "it"),
    ("italian", "it"),
    ("阿拉伯", "ar"),
    ("arabic", "ar"),
    ("波斯", "fa"),
    ("persian", "fa"),
    ("土耳其", "tr"),
    ("turkish", "tr"),
    ("阿塞拜疆", "az"),
    ("亚塞拜然", "az"),
    ("亞塞拜然", "az"),
    ("azerbaijani", "az"),
    ("亚美尼亚", "hy"),
    ("亞美尼亞", "hy"),
    ("armenian", "hy"),
    ("格鲁吉亚", "ka"),
    ("格魯吉亞", "ka"),
    ("喬治亞", "ka"),
    ("georgian", "ka"),
    ("哈萨克", "kk"),
    ("哈薩克", "kk"),
    ("kazakh", "kk"),
    ("乌兹别克", "uz"),
    ("烏茲別克", "uz"),
    ("uzbek", "uz"),
    ("吉尔吉斯", "ky"),
    ("吉爾吉斯", "ky"),
    ("kyrgyz", "ky"),
    ("塔吉克", "tg"),
    ("tajik", "tg"),
    ("土库曼", "tk"),
    ("土庫曼", "tk"),
    ("turkmen", "tk"),
    ("白俄罗斯", "be"),
    ("白俄羅斯", "be"),
    ("belarusian", "be"),
    ("爱沙尼亚", "et"),
    ("愛沙尼亞", "et"),
    ("estonian", "et"),
    ("拉脱维亚", "lv"),
    ("拉脫維亞", "lv"),
    ("latvian", "lv"),
    ("立陶宛", "lt"),
    ("lithuanian", "lt"),
    ("波兰", "pl"),
    ("波蘭", "pl"),
    ("polish", "pl"),
    ("捷克", "cs"),
    ("czech", "cs"),
    ("匈牙利", "hu"),
    ("hungarian", "hu"),
    ("罗马尼亚", "ro"),
    ("羅馬尼亞", "ro"),
    ("romanian", "ro"),
    ("保加利亚", "bg"),
    ("保加利亞", "bg"),
    ("bulgarian", "bg"),
    ("塞尔维亚", "sr"),
    ("塞爾維亞", "sr"),
    ("serbian", "sr"),
    ("克罗地亚", "hr"),
    ("克羅地亞", "hr"),
    ("croatian", "hr"),
    ("希腊", "el"),
    ("希臘", "el"),
    ("greek", "el"),
    ("荷兰", "nl"),
    ("荷蘭", "nl"),
    ("dutch", "nl"),
    ("瑞典", "sv"),
    ("swedish", "sv"),
    ("挪威", "no"),
    ("norwegian", "no"),
    ("丹麦", "da"),
    ("丹麥", "da"),
    ("danish", "da"),
    ("芬兰", "fi"),
    ("芬蘭", "fi"),
    ("finnish", "fi"),
    ("希伯来", "he"),
    ("希伯來", "he"),
    ("hebrew", "he"),
    ("印地", "hi"),
    ("hindi", "hi"),
    ("越南", "vi"),
    ("vietnamese", "vi"),
    ("泰", "th"),
    ("thai", "th"),
    ("印尼", "id"),
    ("印度尼西亚", "id"),
    ("印度尼西亞", "id"),
    ("indonesian", "id"),
    ("马来", "ms"),
    ("馬來", "ms"),
    ("malay", "ms"),
    ("蒙古", "mn"),
    ("mongolian", "mn"),
    ("藏", "bo"),
    ("tibetan", "bo"),
    ("维吾尔", "ug"),
    ("維吾爾", "ug"),
    ("uyghur", "ug"),
    ("粤", "yue"),
    ("粵", "yue"),
    ("cantonese", "yue"),
    ("拉丁", "la"),
    ("latin", "la"),
];

/// Regions and scripts as they appear in qualified names (`中文（台灣）`, `英国英语`).
const SUBTAGS: &[(&str, &str)] = &[
    ("中国大陆", "CN"),
    ("中國大陸", "CN"),
    ("大陆", "CN"),
    ("大陸", "CN"),
    ("中国", "CN"),
    ("中國", "CN"),
    ("台湾", "TW"),
    ("台灣", "TW"),
    ("臺灣", "TW"),
    ("香港", "HK"),
    ("澳门", "MO"),
    ("澳門", "MO"),
    ("新加坡", "SG"),
    ("马来西亚", "MY"),
    ("馬來西亞", "MY"),
    ("英国", "GB"),
    ("英國", "GB"),
    ("british", "GB"),
    ("美国", "US"),
    ("美國", "US"),
    ("american", "US"),
    ("巴西", "BR"),
    ("加拿大", "CA"),
    ("澳大利亚", "AU"),
    ("澳大利亞", "AU"),
    ("简体", "Hans"),
    ("簡體", "Hans"),
    ("简", "Hans"),
    ("簡", "Hans"),
    ("simplified", "Hans"),
    ("繁体", "Hant"),
    ("繁體", "Hant"),
    ("繁", "Hant"),
    ("traditional", "Hant"),
];

/// ISO 639-2 codes editors use in place of the two-letter ones.
const THREE_LETTER: &[(&str, &str)] = &[
    ("eng", "en"),
    ("rus", "ru"),
    ("ukr", "uk"),
    ("zho", "zh"),
    ("chi", "zh"),
    ("jpn", "ja"),
    ("kor", "ko"),
    ("fra", "fr"),
    ("fre", "fr"),
    ("deu", "de"),
    ("ger", "de"),
    ("spa", "es"),
    ("aze", "az"),
    ("arm", "hy"),
    ("hye", "hy"),
    ("geo", "ka"),
    ("kat", "ka"),
    ("tur", "tr"),
];

/// The BCP 47 tag of a language name or code, or `None` when it is not one this table knows.
///
/// ```
/// use zhnorm_refs::normalize_language;
/// assert_eq!(normalize_language("英国英语").as_deref(), Some("en-GB"));
/// assert_eq!(normalize_language("中文(中国大陆)").as_deref(), Some("zh-CN"));
/// assert_eq!(normalize_language("俄語").as_deref(), Some("ru"));
/// assert_eq!(normalize_language("zh-hans").as_deref(), Some("zh-Hans"));
/// assert_eq!(normalize_language("克林贡语"), None);
/// ```
pub fn normalize_language(text: &str) -> Option<String> {
    let text = text
        .trim()
        .trim_matches(['(', ')', '（', '）', '.', '。'])
        .trim();
    if text.is_empty() {
        return None;
    }
    // Several languages (`en, ru`): CSL has room for one, the first.
    if let Some(first) = text.split([',', '，', '、', ';', '；', '/']).next() {
        if first.len() < text.len() {
            return normalize_language(first);
        }
    }
    if let Some(tag) = code(text) {
        return Some(tag);
    }
    let lower = text.to_lowercase();
    // `中文（中国大陆）`, `中文(简体)`, `Chinese (Traditional)`.
    if let Some((base, rest)) = lower.split_once(['(', '（']) {
        let qualifier = rest.trim_end_matches([')', '）']).trim();
        let base = language(base.trim())?;
        return Some(with_subtag(base, subtag(qualifier)?));
    }
    if let Some(tag) = language(&lower) {
        return Some(tag.to_owned());
    }
    // `英国英语`, `British English`, `简体中文`, `Simplified Chinese`: a region or script first.
    SUBTAGS.iter().find_map(|(name, sub)| {
        let rest = lower.strip_prefix(name)?.trim();
        language(rest).map(|base| with_subtag(base, sub))
    })
}

/// The tag of a bare language code this table knows (`en`, `RU`, `zho`), or `None` for any other
/// short word (`rp`, `dl` are template names, not languages).
pub(crate) fn known_code(code: &str) -> Option<String> {
    let lower = code.trim().to_ascii_lowercase();
    let known = LANGUAGES.iter().any(|(_, tag)| *tag == lower)
        || THREE_LETTER.iter().any(|(three, _)| *three == lower);
    if known {
        normalize_language(&lower)
    } else {
        None
    }
}

fn language(name: &str) -> Option<&'static str> {
    let name = name.trim();
    let base = name
        .strip_suffix("语")
        .or_else(|| name.strip_suffix("語"))
        .or_else(|| name.strip_suffix("文"))
        .or_else(|| name.strip_suffix(" language"))
        .unwrap_or(name);
    LANGUAGES
        .iter()
        .find(|(n, _)| *n == base || *n == name)
        .map(|(_, tag)| *tag)
}

fn subtag(name: &str) -> Option<&'static str> {
    let name = name.trim().trim_end_matches(['字', '语', '語']);
    let name = name.strip_suffix("中文").unwrap_or(name);
    SUBTAGS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

fn with_subtag(base: &str, sub: &str) -> String {
    format!("{base}-{sub}")
}

/// Re-cases something shaped like a BCP 47 tag (`en`, `zh-hans`, `zh_TW`, `eng`).
fn code(text: &str) -> Option<String> {
    let text = text.replace('_', "-");
    let mut parts = text.split('-');
    let primary = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let primary = THREE_LETTER
        .iter()
        .find(|(three, _)| *three == primary)
        .map_or(primary.clone(), |(_, two)| (*two).to_owned());
    let mut tag = primary;
    for part in parts {
        if !(1..=8).contains(&part.len()) || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        tag.push('-');
        match part.len() {
            2 => tag.push_str(&part.to_ascii_uppercase()),
            4 => {
                let lower = part.to_ascii_lowercase();
                tag.push_str(&lower[..1].to_ascii_uppercase());
                tag.push_str(&lower[1..]);
            }
            _ => tag.push_str(&part.to_ascii_lowercase()),
        }
    }
    Some(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes() {
        for (input, expected) in [
            ("英语", Some("en")),
            ("英文", Some("en")),
            ("English", Some("en")),
            ("en", Some("en")),
            ("EN", Some("en")),
            ("eng", Some("en")),
            ("英国英语", Some("en-GB")),
            ("英國英語", Some("en-GB")),
            ("美国英语", Some("en-US")),
            ("British English", Some("en-GB")),
            ("乌克兰语", Some("uk")),
            ("烏克蘭語", Some("uk")),
            ("俄语", Some("ru")),
            ("俄文", Some("ru")),
            ("俄語", Some("ru")),
            ("中文(中国大陆)", Some("zh-CN")),
            ("中文（中国大陆）", Some("zh-CN")),
            ("中文（中國大陸）", Some("zh-CN")),
            ("中文（简体）", Some("zh-Hans")),
            ("中文（繁體）", Some("zh-Hant")),
            ("中文（台灣）", Some("zh-TW")),
            ("中文（臺灣）", Some("zh-TW")),
            ("中文（香港）", Some("zh-HK")),
            ("中文（简体中文）", Some("zh-Hans")),
            ("简体中文", Some("zh-Hans")),
            ("繁體中文", Some("zh-Hant")),
            ("中文", Some("zh")),
            ("Chinese (Traditional)", Some("zh-Hant")),
            ("Simplified Chinese", Some("zh-Hans")),
            ("zh-hans", Some("zh-Hans")),
            ("zh_tw", Some("zh-TW")),
            ("en-us", Some("en-US")),
            ("en, ru", Some("en")),
            ("（英语）", Some("en")),
            ("阿塞拜疆语", Some("az")),
            ("克林贡语", None),
            ("", None),
            ("English language stuff", None),
        ] {
            assert_eq!(normalize_language(input).as_deref(), expected, "{input}");
        }
    }
}
