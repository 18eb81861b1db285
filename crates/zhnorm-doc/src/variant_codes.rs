//! The variant codes of MediaWiki's Chinese converter, as conversion markup writes them: one
//! table for the reader that finds the codes and the script stage that resolves them.

/// MediaWiki's codes of the Chinese variants, in MediaWiki's order: `zh` is the text as written.
pub const MEDIAWIKI_VARIANT_CODES: [&str; 9] = [
    "zh", "zh-hans", "zh-hant", "zh-cn", "zh-hk", "zh-mo", "zh-my", "zh-sg", "zh-tw",
];

/// The BCP 47 forms MediaWiki reads as its own codes (`zh-Hant-TW:` is `zh-tw:`).
const BCP47_CODES: [(&str, &str); 6] = [
    ("zh-hans-cn", "zh-cn"),
    ("zh-hans-sg", "zh-sg"),
    ("zh-hans-my", "zh-my"),
    ("zh-hant-tw", "zh-tw"),
    ("zh-hant-hk", "zh-hk"),
    ("zh-hant-mo", "zh-mo"),
];

/// MediaWiki's code for a code as written in markup: MediaWiki's own (any case) or its BCP 47
/// form (`zh-Hant-TW` → `zh-tw`); `None` when it names no Chinese variant. Compares without
/// allocating: most segments a reader asks about are not variant codes.
pub fn mediawiki_variant_code(code: &str) -> Option<&'static str> {
    let code = code.trim();
    MEDIAWIKI_VARIANT_CODES
        .iter()
        .copied()
        .find(|c| c.eq_ignore_ascii_case(code))
        .or_else(|| {
            BCP47_CODES
                .iter()
                .find(|(b, _)| b.eq_ignore_ascii_case(code))
                .map(|(_, c)| *c)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_in_any_case_and_bcp47_forms() {
        assert_eq!(mediawiki_variant_code(" ZH-Hans "), Some("zh-hans"));
        assert_eq!(mediawiki_variant_code("zh-Hant-TW"), Some("zh-tw"));
        assert_eq!(mediawiki_variant_code("zh"), Some("zh"));
        assert_eq!(mediawiki_variant_code("en"), None);
        assert_eq!(mediawiki_variant_code("zh-hans-hk"), None);
    }
}
