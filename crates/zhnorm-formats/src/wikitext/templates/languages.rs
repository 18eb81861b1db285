//! `{{#language:code|in}}`: a language's name, in itself (its autonym) or in the language `in`.
//!
//! A small table of the codes zh.wikipedia's articles name, on purpose: MediaWiki's names come
//! from its own `Names.php` and CLDR; the crates that carry language names give English names
//! only (`isolang`) or bring CLDR's display-name data for every locale (ICU4X's experimental
//! `displaynames`), megabytes for one rarely used function. A code not in the table shows
//! itself, as MediaWiki shows a code it has no name for.

/// Code, autonym, English name, Chinese name.
const LANGUAGES: &[(&str, &str, &str, &str)] = &[
    ("zh", "中文", "Chinese", "中文"),
    (
        "zh-hans",
        "中文（简体）",
        "Simplified Chinese",
        "中文（简体）",
    ),
    (
        "zh-hant",
        "中文（繁體）",
        "Traditional Chinese",
        "中文（繁體）",
    ),
    (
        "zh-cn",
        "中文（中国大陆）",
        "Chinese (China)",
        "中文（中国大陆）",
    ),
    ("zh-tw", "中文（台灣）", "Chinese (Taiwan)", "中文（台灣）"),
    (
        "zh-hk",
        "中文（香港）",
        "Chinese (Hong Kong)",
        "中文（香港）",
    ),
    ("yue", "粵語", "Cantonese", "粵語"),
    ("en", "English", "English", "英语"),
    ("ja", "日本語", "Japanese", "日语"),
    ("ko", "한국어", "Korean", "韩语"),
    ("fr", "français", "French", "法语"),
    ("de", "Deutsch", "German", "德语"),
    (
        "de-x-formal",
        "Deutsch (Sie-Form)",
        "German (formal address)",
        "德语（正式）",
    ),
    ("ru", "русский", "Russian", "俄语"),
    ("es", "español", "Spanish", "西班牙语"),
    ("pt", "português", "Portuguese", "葡萄牙语"),
    ("it", "italiano", "Italian", "意大利语"),
    ("ar", "العربية", "Arabic", "阿拉伯语"),
    ("vi", "Tiếng Việt", "Vietnamese", "越南语"),
    ("th", "ไทย", "Thai", "泰语"),
    ("ms", "Bahasa Melayu", "Malay", "马来语"),
    ("id", "Bahasa Indonesia", "Indonesian", "印度尼西亚语"),
    ("hi", "हिन्दी", "Hindi", "印地语"),
    ("fa", "فارسی", "Persian", "波斯语"),
    ("tr", "Türkçe", "Turkish", "土耳其语"),
    ("nl", "Nederlands", "Dutch", "荷兰语"),
    ("pl", "polski", "Polish", "波兰语"),
    ("uk", "українська", "Ukrainian", "乌克兰语"),
    ("la", "Latina", "Latin", "拉丁语"),
    ("el", "Ελληνικά", "Greek", "希腊语"),
    ("he", "עברית", "Hebrew", "希伯来语"),
    ("mn", "монгол", "Mongolian", "蒙古语"),
    ("bo", "བོད་ཡིག", "Tibetan", "藏语"),
    ("ug", "ئۇيغۇرچە / Uyghurche", "Uyghur", "维吾尔语"),
    ("az", "azərbaycanca", "Azerbaijani", "阿塞拜疆语"),
    ("hy", "հայերեն", "Armenian", "亚美尼亚语"),
    ("my", "မြန်မာဘာသာ", "Burmese", "缅甸语"),
];

/// The name of `code` in `to` (its autonym when `to` is empty).
pub(super) fn name(code: &str, to: &str) -> String {
    let code = code.trim().to_lowercase();
    let to = to.trim().to_lowercase();
    let Some(&(_, autonym, english, chinese)) = LANGUAGES.iter().find(|l| l.0 == code) else {
        return code;
    };
    match to.split('-').next().unwrap_or_default() {
        "" => autonym,
        "en" => english,
        "zh" => chinese,
        _ => autonym,
    }
    .to_owned()
}
