//! The five target variants, what OpenCC configurations define each, and MediaWiki's
//! fallback order for picking a variant's text out of `-{zh-hans:…;zh-hant:…}-`.

use std::fmt;
use std::str::FromStr;

use crate::ScriptError;

/// A target script variant, named by its BCP 47 tag.
///
/// Each is defined by OpenCC configurations. Sources mix both scripts, so every variant must
/// come out clean from mixed input; what happens to text already in the target's script is part
/// of the definition:
///
/// | variant | tag | text in the other script | text already in the target's script |
/// | --- | --- | --- | --- |
/// | [`Variant::Hans`] (default) | `zh-Hans` | `t2s` | `t2s` (the whole text: it leaves Simplified text as it is) |
/// | [`Variant::Cn`] | `zh-CN` | `tw2sp`: Taiwan phrases become mainland ones (亞塞拜然 → 阿塞拜疆, 滑鼠 → 鼠标, 軟體 → 软件) | `t2s` |
/// | [`Variant::Hant`] | `zh-Hant` | `s2t` | kept as written |
/// | [`Variant::Tw`] | `zh-TW` | `s2twp`: Taiwan characters and phrases (鼠标 → 滑鼠) | `t2tw` (Taiwan character forms only) |
/// | [`Variant::Hk`] | `zh-HK` | `s2hk` | `t2hk` (Hong Kong character forms) |
///
/// Only `zh-Hans` converts the whole text: OpenCC's `t2s` leaves Simplified input alone, and
/// zh-Hans output is by definition what `t2s` makes of it. The others must not: `s2t` assumes
/// Simplified input and damages Traditional text (遠征軍 → 遠徵軍), and `tw2sp` damages
/// mainland text written in characters both scripts share (程序, "program", → 进程,
/// "process"). So they convert with the first configuration only the runs written in the
/// other script, with their sentence as context, and the rest with the second (see
/// [`crate::mixed::convert_runs`], and `examples/mixed_strategy.rs` for the measurements that
/// chose this). Consequences worth knowing: in `zh-TW` and `zh-HK`, Taiwan or Hong Kong phrases
/// replace mainland ones only where the source wrote them in Simplified; in `zh-CN`, mainland
/// phrases replace Taiwan ones only where the source wrote them in Traditional.
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

    /// The OpenCC configuration applied to text already in this variant's script, if any.
    /// `None` means such text is kept as written (`zh-Hant`), or, for `zh-Hans`, that the whole
    /// text goes through [`Variant::config`].
    pub fn same_script_config(self) -> Option<&'static str> {
        match self {
            Variant::Cn => Some("t2s"),
            Variant::Tw => Some("t2tw"),
            Variant::Hk => Some("t2hk"),
            Variant::Hans | Variant::Hant => None,
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
