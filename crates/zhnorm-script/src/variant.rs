//! The nine target variants of MediaWiki's Chinese converter, what OpenCC configurations define
//! each, and MediaWiki's variant codes, fallbacks and manual-rule levels, which decide what a
//! `-{…}-` rule shows and which page rules act in a variant.

use std::fmt;
use std::str::FromStr;

use crate::ScriptError;

/// A target script variant, named by its BCP 47 tag.
///
/// Each is defined by OpenCC 1.4.2 configurations, sentence by sentence (sentences end at
/// 。！？；!?; and line ends; a sentence converts the same whatever its neighbours are):
///
/// | variant | tag | configuration | a Traditional sentence | a mainland Simplified sentence |
/// | --- | --- | --- | --- | --- |
/// | [`Variant::Hans`] (default) | `zh-Hans` | `t2s` | `t2s` | `t2s` (leaves it as it is) |
/// | [`Variant::Cn`] | `zh-CN` | `tw2sp`: Taiwan phrases become mainland ones (亞塞拜然 → 阿塞拜疆, 滑鼠 → 鼠标, 軟體 → 软件) | `tw2sp` | `t2s`, so that 程序 stays (`tw2sp` would make it 进程) |
/// | [`Variant::Sg`], [`Variant::My`] | `zh-SG`, `zh-MY` | as `zh-CN` (MediaWiki converts both with its mainland table) | `tw2sp` | `t2s` |
/// | [`Variant::Hant`] | `zh-Hant` | `s2t` | `s2t` of its `t2s` | `s2t` |
/// | [`Variant::Tw`] | `zh-TW` | `s2twp`: Taiwan characters and phrases (鼠标 → 滑鼠) | `s2twp` of its `t2s` | `s2twp` |
/// | [`Variant::Hk`] | `zh-HK` | `s2hk` | `s2hk` of its `t2s` | `s2hk` |
/// | [`Variant::Mo`] | `zh-MO` | as `zh-HK` (MediaWiki converts both with its Hong Kong table) | `s2hk` of its `t2s` | `s2hk` |
/// | [`Variant::Zh`] | `zh` | none: the text as written, only conversion markup resolved | as written | as written |
///
/// A sentence of Simplified text, and one written only in characters both scripts share, is
/// OpenCC's own conversion (我干什么不干你事 → 我幹什麼不干你事). A Traditional sentence goes
/// through its Simplified form, because `s2t` given Traditional text damages it (遠征軍 →
/// 遠徵軍); characters OpenCC's direct conversion keeps as written stay (貍 is not made 狸). A
/// mixed sentence is OpenCC's own conversion except for shared characters standing between
/// Traditional ones. [`crate::mixed::convert_sentence_pivot`] holds the details, and
/// ARCHITECTURE.md the measurements against OpenCC 1.4.2 that chose this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Variant {
    /// Simplified Chinese (`zh-Hans`), the default.
    #[default]
    Hans,
    /// Traditional Chinese (`zh-Hant`), OpenCC's standard Traditional forms.
    Hant,
    /// Simplified Chinese with mainland China phrases (`zh-CN`).
    Cn,
    /// Traditional Chinese with Taiwan forms and phrases (`zh-TW`).
    Tw,
    /// Traditional Chinese with Hong Kong forms (`zh-HK`).
    Hk,
    /// Simplified Chinese as in Singapore (`zh-SG`): mainland forms, Singapore's rule entries.
    Sg,
    /// Simplified Chinese as in Malaysia (`zh-MY`): mainland forms, Malaysia's rule entries.
    My,
    /// Traditional Chinese as in Macau (`zh-MO`): Hong Kong forms, Macau's rule entries.
    Mo,
    /// The text as written (`zh`): no script conversion; conversion markup resolved as
    /// MediaWiki resolves it for base `zh`.
    Zh,
}

/// How a variant takes part in page rules (MediaWiki's "manual level").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ManualLevel {
    /// Page rules map every variant's text to this variant's (`zh-CN`, `zh-TW`, …).
    Bidirectional,
    /// Only one-way rules (`from=>zh-hans:to`) act (`zh-Hans`, `zh-Hant`).
    Unidirectional,
    /// No page rule acts (`zh`).
    Disable,
}

/// MediaWiki's variant codes in the order its converter lists them (`getVariants`): the order
/// in which a rule's texts are paired.
pub(crate) use zhnorm_doc::MEDIAWIKI_VARIANT_CODES as MEDIAWIKI_CODES;

/// MediaWiki's fallbacks of a variant code (`ZhConverter::getVariantsFallbacks`).
pub(crate) fn code_fallbacks(code: &str) -> &'static [&'static str] {
    match code {
        "zh" => &[
            "zh-hans", "zh-hant", "zh-cn", "zh-tw", "zh-hk", "zh-sg", "zh-mo", "zh-my",
        ],
        "zh-hans" => &["zh-cn", "zh-sg", "zh-my"],
        "zh-hant" => &["zh-tw", "zh-hk", "zh-mo"],
        "zh-cn" => &["zh-hans", "zh-sg", "zh-my"],
        "zh-sg" => &["zh-my", "zh-hans", "zh-cn"],
        "zh-my" => &["zh-sg", "zh-hans", "zh-cn"],
        "zh-tw" => &["zh-hant", "zh-hk", "zh-mo"],
        "zh-hk" => &["zh-mo", "zh-hant", "zh-tw"],
        "zh-mo" => &["zh-hk", "zh-hant", "zh-tw"],
        _ => &[],
    }
}

/// The manual level of a variant code.
pub(crate) fn code_level(code: &str) -> ManualLevel {
    match code {
        "zh" => ManualLevel::Disable,
        "zh-hans" | "zh-hant" => ManualLevel::Unidirectional,
        _ => ManualLevel::Bidirectional,
    }
}

pub use zhnorm_doc::mediawiki_variant_code as mediawiki_code;

impl Variant {
    pub const ALL: [Variant; 9] = [
        Variant::Hans,
        Variant::Hant,
        Variant::Cn,
        Variant::Tw,
        Variant::Hk,
        Variant::Sg,
        Variant::My,
        Variant::Mo,
        Variant::Zh,
    ];

    /// The BCP 47 tag, as written into `Document::lang`.
    pub fn as_tag(self) -> &'static str {
        match self {
            Variant::Hans => "zh-Hans",
            Variant::Hant => "zh-Hant",
            Variant::Cn => "zh-CN",
            Variant::Tw => "zh-TW",
            Variant::Hk => "zh-HK",
            Variant::Sg => "zh-SG",
            Variant::My => "zh-MY",
            Variant::Mo => "zh-MO",
            Variant::Zh => "zh",
        }
    }

    /// MediaWiki's code of the variant (`zh-cn`, `zh-hant`, `zh`).
    pub fn mediawiki_code(self) -> &'static str {
        match self {
            Variant::Hans => "zh-hans",
            Variant::Hant => "zh-hant",
            Variant::Cn => "zh-cn",
            Variant::Tw => "zh-tw",
            Variant::Hk => "zh-hk",
            Variant::Sg => "zh-sg",
            Variant::My => "zh-my",
            Variant::Mo => "zh-mo",
            Variant::Zh => "zh",
        }
    }

    /// True for the Traditional variants (`zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO`).
    pub fn is_traditional(self) -> bool {
        matches!(
            self,
            Variant::Hant | Variant::Tw | Variant::Hk | Variant::Mo
        )
    }

    /// False for `zh`, whose text stays as written.
    pub fn converts_script(self) -> bool {
        self != Variant::Zh
    }

    /// The OpenCC configuration that converts text of the other script into this variant
    /// (`none` for `zh`).
    pub fn config(self) -> &'static str {
        match self {
            Variant::Hans => "t2s",
            Variant::Cn | Variant::Sg | Variant::My => "tw2sp",
            Variant::Hant => "s2t",
            Variant::Tw => "s2twp",
            Variant::Hk | Variant::Mo => "s2hk",
            Variant::Zh => "none",
        }
    }

    /// The second OpenCC configuration the variant needs, if any: `t2s`, which makes a
    /// sentence holding Traditional characters Simplified before a Traditional target's
    /// [`Variant::config`] converts it, and converts `zh-CN` sentences without Traditional
    /// characters instead of `tw2sp` (see [`crate::mixed::convert_sentence_pivot`]). `None`
    /// for `zh-Hans`, whose whole text goes through `t2s`, and for `zh`.
    pub fn pivot_config(self) -> Option<&'static str> {
        match self {
            Variant::Hans | Variant::Zh => None,
            _ => Some("t2s"),
        }
    }

    /// MediaWiki's fallbacks for this variant (`ZhConverter`), tried in order when a rule has no
    /// text for the variant itself:
    ///
    /// | variant | fallbacks |
    /// | --- | --- |
    /// | `zh-Hans` | zh-cn, zh-sg, zh-my |
    /// | `zh-CN` | zh-hans, zh-sg, zh-my |
    /// | `zh-SG` | zh-my, zh-hans, zh-cn |
    /// | `zh-MY` | zh-sg, zh-hans, zh-cn |
    /// | `zh-Hant` | zh-tw, zh-hk, zh-mo |
    /// | `zh-TW` | zh-hant, zh-hk, zh-mo |
    /// | `zh-HK` | zh-mo, zh-hant, zh-tw |
    /// | `zh-MO` | zh-hk, zh-hant, zh-tw |
    /// | `zh` | zh-hans, zh-hant, zh-cn, zh-tw, zh-hk, zh-sg, zh-mo, zh-my |
    ///
    /// One-way entries (`from=>zh-cn:to`) have no fallbacks: they act in the variant they name.
    pub fn mediawiki_fallbacks(self) -> &'static [&'static str] {
        code_fallbacks(self.mediawiki_code())
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_tag())
    }
}

impl FromStr for Variant {
    type Err = ScriptError;

    /// Parses a tag case-insensitively: zhnorm's (`zh-Hans`, `zh-TW`, `zh`), or its BCP 47 long
    /// form (`zh-Hant-TW`).
    fn from_str(tag: &str) -> Result<Self, ScriptError> {
        let code =
            mediawiki_code(tag).ok_or_else(|| ScriptError::UnknownVariant(tag.to_owned()))?;
        Variant::ALL
            .into_iter()
            .find(|v| v.mediawiki_code() == code)
            .ok_or_else(|| ScriptError::UnknownVariant(tag.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_and_reject_unknown() {
        for v in Variant::ALL {
            assert_eq!(v.as_tag().parse::<Variant>().unwrap(), v);
        }
        assert_eq!("zh-tw".parse::<Variant>().unwrap(), Variant::Tw);
        assert_eq!("zh-Hant-TW".parse::<Variant>().unwrap(), Variant::Tw);
        assert_eq!("zh-sg".parse::<Variant>().unwrap(), Variant::Sg);
        assert_eq!("ZH".parse::<Variant>().unwrap(), Variant::Zh);
        assert_eq!(
            "zh-XX".parse::<Variant>().unwrap_err().to_string(),
            "unknown variant `zh-XX` (expected zh-Hans, zh-Hant, zh-CN, zh-TW, zh-HK, zh-SG, zh-MY, zh-MO or zh)"
        );
        assert_eq!(Variant::default(), Variant::Hans);
    }
}
