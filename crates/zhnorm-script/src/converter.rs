//! [`Converter`]: one target variant, its engines and options, built once per run and shared by
//! every thread; plain-text conversion ([`Converter::convert_str`]) and the building blocks the
//! document walk uses.

use std::fmt;
use std::str::FromStr;

use std::sync::atomic::{AtomicU32, Ordering};

use crate::builtin::BuiltinEngine;
use crate::mixed::{self, Scripts};
use crate::quotes::{self, QuoteStyle};
use crate::{CharScript, Engine, ScriptError, Variant};

/// Which implementation of OpenCC's algorithm converts text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EngineKind {
    /// The pure-Rust default ([`crate::builtin`]); needs nothing but cargo.
    #[default]
    Builtin,
    /// The OpenCC C++ library through `opencc-rust` (the `opencc` cargo feature).
    Opencc,
}

impl EngineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EngineKind::Builtin => "builtin",
            EngineKind::Opencc => "opencc",
        }
    }

    /// Loads the OpenCC configuration `config` (`t2s`, `s2twp`, …) with this engine.
    pub fn load(self, config: &str) -> Result<Box<dyn Engine>, ScriptError> {
        match self {
            EngineKind::Builtin => load_builtin(config),
            EngineKind::Opencc => load_opencc(config),
        }
    }
}

impl fmt::Display for EngineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EngineKind {
    type Err = ScriptError;
    fn from_str(s: &str) -> Result<Self, ScriptError> {
        match s.trim() {
            "builtin" => Ok(EngineKind::Builtin),
            "opencc" => Ok(EngineKind::Opencc),
            other => Err(ScriptError::UnknownEngine(other.to_owned())),
        }
    }
}

#[cfg(feature = "opencc")]
fn load_opencc(config: &str) -> Result<Box<dyn Engine>, ScriptError> {
    Ok(Box::new(crate::opencc::OpenccEngine::load(config)?))
}

#[cfg(not(feature = "opencc"))]
fn load_opencc(_config: &str) -> Result<Box<dyn Engine>, ScriptError> {
    Err(ScriptError::OpenccNotBuilt)
}

/// The "engine" of `zh`, the text as written: it changes nothing.
#[derive(Debug)]
struct AsWritten;

impl Engine for AsWritten {
    fn convert(&self, text: &str) -> String {
        text.to_owned()
    }

    fn name(&self) -> String {
        "none".to_owned()
    }
}

fn load_builtin(config: &str) -> Result<Box<dyn Engine>, ScriptError> {
    Ok(Box::new(builtin_engine(config)?))
}

fn builtin_engine(config: &str) -> Result<BuiltinEngine, ScriptError> {
    BuiltinEngine::load(config).map_err(|e| ScriptError::EngineLoad {
        engine: "builtin",
        config: config.to_owned(),
        message: e.to_string(),
    })
}

/// Options of the conversion beyond what OpenCC defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConvertOptions {
    /// Quotation marks around Chinese text. Default: [`QuoteStyle::Variant`], as zh.wikipedia
    /// shows them (`“”` in Simplified variants, `「」` in Traditional ones).
    pub quotes: QuoteStyle,
}

type Classifier = dyn Fn(char) -> CharScript + Send + Sync;

/// Converts text into one target variant. Build it once per run; it is `Send + Sync`.
///
/// One-to-many conversions (`doc.conversion.ambiguous`) are counted by the builtin engine only
/// (the OpenCC library does not report them; with `--engine opencc` the count is 0). They are
/// counted over every conversion into the target: the few sentences that also go by their
/// Simplified form (a Traditional sentence OpenCC changes, a mixed one where a shared character
/// may be kept) go through it twice, and both count, also for characters the strategy then
/// keeps as written.
pub struct Converter {
    variant: Variant,
    options: ConvertOptions,
    /// Converts text of the other script into the target ([`Variant::config`]).
    to_target: Box<dyn Engine>,
    /// `t2s`, the pivot of [`mixed::convert_sentence_pivot`] ([`Variant::pivot_config`]).
    pivot: Option<Box<dyn Engine>>,
    /// `None`: [`crate::char_script`], called directly (the stage asks it of every character).
    classify: Option<Box<Classifier>>,
    /// The builtin engine behind `to_target`, when it is one: it counts one-to-many
    /// conversions while converting (`doc.conversion.ambiguous`).
    counting: Option<BuiltinEngine>,
}

impl fmt::Debug for Converter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Converter")
            .field("variant", &self.variant)
            .field("options", &self.options)
            .field("engine", &self.engine_name())
            .finish_non_exhaustive()
    }
}

impl Converter {
    /// Loads the engines `variant` needs (see [`Variant`]) with `engine_kind`.
    pub fn new(
        variant: Variant,
        engine_kind: EngineKind,
        options: ConvertOptions,
    ) -> Result<Converter, ScriptError> {
        if !variant.converts_script() {
            return Ok(Converter::from_engines(
                variant,
                options,
                Box::new(AsWritten),
                None,
            ));
        }
        let pivot = variant
            .pivot_config()
            .map(|config| engine_kind.load(config))
            .transpose()?;
        if engine_kind == EngineKind::Builtin {
            let engine = builtin_engine(variant.config())?;
            let mut converter =
                Converter::from_engines(variant, options, Box::new(engine.clone()), pivot);
            converter.counting = Some(engine);
            return Ok(converter);
        }
        let to_target = engine_kind.load(variant.config())?;
        Ok(Converter::from_engines(variant, options, to_target, pivot))
    }

    /// A converter over engines the caller loaded: `to_target` converts into `variant`
    /// ([`Variant::config`]), `pivot` is `t2s` ([`Variant::pivot_config`]; `None` converts every
    /// sentence with `to_target` alone). Characters are classified by [`crate::char_script`]
    /// unless [`Converter::with_classifier`] says otherwise.
    pub fn from_engines(
        variant: Variant,
        options: ConvertOptions,
        to_target: Box<dyn Engine>,
        pivot: Option<Box<dyn Engine>>,
    ) -> Converter {
        Converter {
            variant,
            options,
            to_target,
            pivot,
            classify: None,
            counting: None,
        }
    }

    /// Replaces the character classifier (for engines with their own tables).
    pub fn with_classifier(
        mut self,
        classify: impl Fn(char) -> CharScript + Send + Sync + 'static,
    ) -> Converter {
        self.classify = Some(Box::new(classify));
        self
    }

    pub fn variant(&self) -> Variant {
        self.variant
    }

    pub fn options(&self) -> ConvertOptions {
        self.options
    }

    /// The engines and configurations, e.g. `builtin:t2s` or `opencc:s2twp+t2s`.
    pub fn engine_name(&self) -> String {
        match &self.pivot {
            Some(same) => {
                let same = same.name();
                let config = same.split_once(':').map_or(same.as_str(), |(_, c)| c);
                format!("{}+{config}", self.to_target.name())
            }
            None => self.to_target.name(),
        }
    }

    /// The script class of `c` by this converter's classifier.
    pub fn char_script(&self, c: char) -> CharScript {
        self.scripts().class(c)
    }

    fn scripts(&self) -> Scripts<'_> {
        Scripts {
            other: self.other_script(),
            classify: self
                .classify
                .as_deref()
                .map(|f| f as &(dyn Fn(char) -> CharScript + Sync)),
        }
    }

    /// The script of characters that must not remain in this variant's output.
    pub fn other_script(&self) -> CharScript {
        if self.variant.is_traditional() {
            CharScript::SimplifiedOnly
        } else {
            CharScript::TraditionalOnly
        }
    }

    /// Whether `c` must not appear in this variant's output: it belongs only to the other
    /// script by [`crate::char_script`], and the variant's configuration does not keep it as it
    /// is. (The second half matters for `zh-TW` and `zh-HK`: their variant tables map some
    /// OpenCC-standard characters to forms OpenCC's base tables call Simplified-only, e.g.
    /// 祕 → 秘 in `s2twp`.)
    pub fn is_other_script(&self, c: char) -> bool {
        if self.char_script(c) != self.other_script() {
            return false;
        }
        let mut buf = [0; 4];
        let text: &str = c.encode_utf8(&mut buf);
        self.to_target.convert(text) != text
    }

    /// Converts plain text: URLs are kept, quotation marks follow [`ConvertOptions::quotes`].
    /// No MediaWiki markup is interpreted here (see [`crate::convert_document`]).
    pub fn convert_str(&self, text: &str) -> String {
        let out = self.convert_keeping_urls(text, &mut 0);
        quotes::convert(&out, self.quote_target(), &|_| false)
    }

    /// [`Converter::convert_script`] of `text` with the URLs written in it kept as they are.
    pub(crate) fn convert_keeping_urls(&self, text: &str, ambiguous: &mut u32) -> String {
        if !crate::protect::holds_url(text) {
            return self.convert_script(text, ambiguous);
        }
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        for (piece, is_url) in crate::protect::split_urls(text) {
            if is_url {
                out.push_str(piece);
            } else {
                out.push_str(&self.convert_script(piece, ambiguous));
            }
        }
        out
    }

    /// The script conversion of `text` alone (no URL protection, no quotes), adding the
    /// one-to-many conversions it made to `ambiguous`.
    pub(crate) fn convert_script(&self, text: &str, ambiguous: &mut u32) -> String {
        if text.is_empty() {
            return String::new();
        }
        let counting = self.counting.as_ref().map(|inner| Counting {
            inner,
            ambiguous: AtomicU32::new(0),
        });
        let to_target: &dyn Engine = match &counting {
            Some(counting) => counting,
            None => &*self.to_target,
        };
        let out = match &self.pivot {
            // zh-Hans: OpenCC's `t2s` leaves Simplified text alone, and zh-Hans output is by
            // definition what `t2s` makes of the text, so the whole text goes through it.
            None => to_target.convert(text),
            // `s2t` damages Traditional text (遠征軍 → 遠徵軍) and `tw2sp` mainland text (程序,
            // "program", → 进程, "process"): each sentence is judged by its own characters.
            Some(pivot) => mixed::convert_sentence_pivot(text, self.scripts(), to_target, &**pivot),
        };
        if let Some(counting) = counting {
            *ambiguous += counting.ambiguous.into_inner();
        }
        out
    }

    /// Whether [`Converter::convert_script`] and the quotation marks certainly leave `text` as
    /// it is and count nothing ambiguous: the document walk then leaves the text alone instead
    /// of copying it through the conversion. Only for the targets that convert the whole text
    /// with one builtin engine (zh-Hans); `false` means "not known", not "changes".
    pub(crate) fn leaves_alone(&self, text: &str) -> bool {
        let Some(engine) = &self.counting else {
            return false;
        };
        self.pivot.is_none()
            && !self
                .quote_target()
                .is_some_and(|target| quotes::has_marks_other_than(text, target))
            && engine.changes_nothing(text)
    }

    pub(crate) fn quote_target(&self) -> Option<quotes::Marks> {
        self.options.quotes.target(self.variant)
    }
}

/// The builtin engine, counting one-to-many conversions as it converts.
#[derive(Debug)]
struct Counting<'a> {
    inner: &'a BuiltinEngine,
    ambiguous: AtomicU32,
}

impl Engine for Counting<'_> {
    fn convert(&self, text: &str) -> String {
        let (out, n) = self.inner.convert_counting(text);
        self.ambiguous.fetch_add(n, Ordering::Relaxed);
        out
    }

    fn name(&self) -> String {
        self.inner.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn converter_is_shareable_across_threads() {
        assert_send_sync::<Converter>();
    }

    #[test]
    fn engine_kinds_parse() {
        assert_eq!(
            "builtin".parse::<EngineKind>().unwrap(),
            EngineKind::Builtin
        );
        assert_eq!("opencc".parse::<EngineKind>().unwrap(), EngineKind::Opencc);
        assert!("zhconv".parse::<EngineKind>().is_err());
    }

    #[cfg(not(feature = "opencc"))]
    #[test]
    fn opencc_without_the_feature_is_a_clear_error() {
        let err = Converter::new(Variant::Hans, EngineKind::Opencc, ConvertOptions::default())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the opencc engine is not built in: rebuild with `--features opencc` (needs libopencc-dev)"
        );
    }
}
