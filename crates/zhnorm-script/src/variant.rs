//! The five target variants, what OpenCC configurations define each, and MediaWiki's
//! fallback order for picking a variant's text out of `-{zh-hans:…;zh-hant:…}-`.

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
/// | [`Variant::Hant`] | `zh-Hant` | `s2t` | `s2t` of its `t2s` | `s2t` |
/// | [`Variant::Tw`] | `zh-TW` | `s2twp`: Taiwan characters and phrases (鼠标 → 滑鼠) | `s2twp` of its `t2s` | `s2twp` |
/// | [`Variant::Hk`] | `zh-HK` | `s2hk` | `s2hk` of its `t2s` | `s2hk` |
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
}

impl Variant {
    pub const ALL: [Variant; 5] = [
        Variant::Hans,
        Variant::Hant,
        Variant::Cn,
        Variant::Tw,
        Variant::Hk,
    ];

    /// The BCP 47 tag, as written into `Document::lang`.
    pub fn as_tag(self) -> &'static str {
        match self {
            Variant::Hans => "zh-Hans",
            Variant::Hant => "zh-Hant",
            Variant::Cn => "zh-CN",
            Variant::Tw => "zh-TW",
            Variant::Hk => "zh-HK",
        }
    }

    /// True for the Traditional variants (`zh-Hant`, `zh-TW`, `zh-HK`).
    pub fn is_traditional(self) -> bool {
        matches!(self, Variant::Hant | Variant::Tw | Variant::Hk)
    }

    /// The OpenCC configuration that converts text of the other script into this variant.
    pub fn config(self) -> &'static str {
        match self {
            Variant::Hans => "t2s",
            Variant::Cn => "tw2sp",
            Variant::Hant => "s2t",
            Variant::Tw => "s2twp",
            Variant::Hk => "s2hk",
        }
    }

    /// The second OpenCC configuration the variant needs, if any: `t2s`, which makes a
    /// sentence holding Traditional characters Simplified before a Traditional target's
    /// [`Variant::config`] converts it, and converts `zh-CN` sentences without Traditional
    /// characters instead of `tw2sp` (see [`crate::mixed::convert_sentence_pivot`]). `None`
    /// for `zh-Hans`, whose whole text goes through `t2s`.
    pub fn pivot_config(self) -> Option<&'static str> {
        match self {
            Variant::Hans => None,
            Variant::Hant | Variant::Cn | Variant::Tw | Variant::Hk => Some("t2s"),
        }
    }

    /// MediaWiki's variant codes to look for, in order, when picking this variant's text out of
    /// a rule such as `-{zh-hans:A;zh-hant:B;zh-tw:C}-`: the variant itself, then MediaWiki's
    /// fallbacks for it (`LanguageConverterZh`), then `zh` (the text as written).
    ///
    /// | variant | codes tried |
    /// | --- | --- |
    /// | `zh-Hans` | zh-hans, zh-cn, zh-sg, zh-my, zh |
    /// | `zh-CN` | zh-cn, zh-hans, zh-sg, zh-my, zh |
    /// | `zh-Hant` | zh-hant, zh-tw, zh-hk, zh-mo, zh |
    /// | `zh-TW` | zh-tw, zh-hant, zh-hk, zh-mo, zh |
    /// | `zh-HK` | zh-hk, zh-mo, zh-hant, zh-tw, zh |
    ///
    /// When none is present, the rule's first text is shown converted by the engine, as
    /// MediaWiki does.
    pub fn mediawiki_fallbacks(self) -> &'static [&'static str] {
        match self {
            Variant::Hans => &["zh-hans", "zh-cn", "zh-sg", "zh-my", "zh"],
            Variant::Cn => &["zh-cn", "zh-hans", "zh-sg", "zh-my", "zh"],
            Variant::Hant => &["zh-hant", "zh-tw", "zh-hk", "zh-mo", "zh"],
            Variant::Tw => &["zh-tw", "zh-hant", "zh-hk", "zh-mo", "zh"],
            Variant::Hk => &["zh-hk", "zh-mo", "zh-hant", "zh-tw", "zh"],
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_tag())
    }
}

impl FromStr for Variant {
    type Err = ScriptError;

    /// Parses a BCP 47 tag, case-insensitively (`zh-Hans`, `zh-hant`, `zh-TW`, …).
    fn from_str(tag: &str) -> Result<Self, ScriptError> {
        Variant::ALL
            .into_iter()
            .find(|v| v.as_tag().eq_ignore_ascii_case(tag.trim()))
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
        assert_eq!(
            "zh-SG".parse::<Variant>().unwrap_err().to_string(),
            "unknown variant `zh-SG` (expected zh-Hans, zh-Hant, zh-CN, zh-TW or zh-HK)"
        );
        assert_eq!(Variant::default(), Variant::Hans);
    }
}
