//! Chinese script conversion over zhnorm documents: MediaWiki's nine Chinese variants, MediaWiki's
//! conversion markup, and engines with OpenCC's semantics behind one trait.
//!
//! - [`Variant`]: `zh-Hans` (default), `zh-Hant`, `zh-CN`, `zh-TW`, `zh-HK`, `zh-SG`, `zh-MY`,
//!   `zh-MO` and `zh` (as written), each defined by
//!   OpenCC configurations (its docs say which, and what happens to text already in the
//!   target's script).
//! - [`Engine`]: one OpenCC configuration. [`builtin`] is the pure-Rust default;
//!   `opencc::OpenccEngine` (the `opencc` cargo feature) is the OpenCC C++ library, the
//!   reference.
//! - [`Converter`]: a variant, its engines and [`ConvertOptions`]; built once per run, shared
//!   across threads. [`Converter::convert_str`] converts plain text, sentence by sentence, as
//!   OpenCC 1.4.2 does; Traditional input is not damaged ([`mixed`] holds the strategies and
//!   why).
//! - [`convert_document`]: every visible text of a [`Document`], with MediaWiki's `-{…}-`
//!   markup and `{{noteTA}}` rules resolved ([`document`] says what is converted and what is
//!   protected, [`mediawiki`] what each rule form does).
//!
//! Edges: this crate knows nothing of input formats (the readers turn `-{…}-` into
//! [`zhnorm_doc::ConversionRule`]s) and checks nothing (the check crate reports characters of
//! the other script left over, using [`char_script`]).
//!
//! Converting a string's script with the builtin engine:
//!
//! ```
//! use zhnorm_script::{ConvertOptions, Converter, EngineKind, Variant};
//!
//! let to_hans = Converter::new(Variant::Hans, EngineKind::Builtin, ConvertOptions::default())?;
//! assert_eq!(to_hans.convert_str("遠征軍與远征军"), "远征军与远征军");
//! // A Traditional sentence goes through OpenCC by its Simplified form: 遠征軍 stays as it is
//! // (OpenCC's s2t alone would make it 遠徵軍); any other sentence is OpenCC's own conversion.
//! let to_tw = Converter::new(Variant::Tw, EngineKind::Builtin, ConvertOptions::default())?;
//! assert_eq!(to_tw.convert_str("遠征軍出發了。鼠标和“软件”。"), "遠征軍出發了。滑鼠和「軟體」。");
//! assert_eq!(to_tw.convert_str("我干什么不干你事。"), "我幹什麼不干你事。");
//! assert_eq!(to_tw.engine_name(), "builtin:s2twp+t2s");
//! # Ok::<(), zhnorm_script::ScriptError>(())
//! ```
//!
//! Converting a string's script with engines of your own (any [`Engine`] will do; the real
//! ones are loaded by [`Converter::new`]):
//!
//! ```
//! use zhnorm_script::{ConvertOptions, Converter, Engine, Variant};
//!
//! /// A toy `s2t` that knows three characters.
//! #[derive(Debug)]
//! struct Toy;
//! impl Engine for Toy {
//!     fn convert(&self, text: &str) -> String {
//!         text.chars()
//!             .map(|c| match c { '这' => '這', '关' => '關', '国' => '國', c => c })
//!             .collect()
//!     }
//!     fn name(&self) -> String {
//!         "toy:s2t".into()
//!     }
//! }
//!
//! // Without a pivot engine every sentence goes through the engine; quotation marks follow
//! // the variant.
//! let converter = Converter::from_engines(Variant::Hant, ConvertOptions::default(), Box::new(Toy), None);
//! assert_eq!(converter.convert_str("這個“关系”。这国家。"), "這個「關系」。這國家。");
//! ```

pub mod builtin;
mod converter;
pub mod document;
pub mod groups;
pub mod mediawiki;
pub mod mixed;
#[cfg(feature = "opencc")]
pub mod opencc;
mod protect;
mod quotes;
mod variant;

pub use converter::{ConvertOptions, Converter, EngineKind};
pub use document::{convert_document, convert_document_with_groups};
pub use groups::ConversionGroups;
pub use quotes::{Marks as QuoteMarks, QuoteStyle};
pub use variant::Variant;

#[cfg(doc)]
use zhnorm_doc::Document;

/// One OpenCC configuration, ready to convert text.
pub trait Engine: Send + Sync + std::fmt::Debug {
    /// Converts `text` as OpenCC's configuration would.
    fn convert(&self, text: &str) -> String;
    /// `engine:config`, e.g. `builtin:t2s`, recorded in converted documents.
    fn name(&self) -> String;
}

/// Which script-only class a character belongs to, by OpenCC's character tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharScript {
    /// Not a Han character OpenCC converts in either direction, or used in both scripts.
    Shared,
    /// Appears only in Traditional text (e.g. 這).
    TraditionalOnly,
    /// Appears only in Simplified text (e.g. 这).
    SimplifiedOnly,
}

/// The script class of `c` by OpenCC's character tables (see [`builtin::char_script`]).
#[inline]
pub fn char_script(c: char) -> CharScript {
    builtin::char_script(c)
}

/// How many characters of `text` are Traditional-only and how many Simplified-only, by
/// [`char_script`] (see [`builtin::count_scripts`]).
pub fn count_scripts(text: &str) -> (usize, usize) {
    builtin::count_scripts(text)
}

/// Every Traditional-only or Simplified-only character of `text`, with its byte offset and its
/// class (see [`builtin::for_each_script_character`]).
pub fn for_each_script_character(text: &str, visit: impl FnMut(usize, char, CharScript)) {
    builtin::for_each_script_character(text, visit);
}

/// Every character of `text` of class `script` (Traditional-only or Simplified-only), with its
/// byte offset (see [`builtin::for_each_character_of`]).
pub fn for_each_character_of(text: &str, script: CharScript, visit: impl FnMut(usize, char)) {
    builtin::for_each_character_of(text, script, visit);
}

/// Why a [`Converter`] could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ScriptError {
    #[error(
        "unknown variant `{0}` (expected zh-Hans, zh-Hant, zh-CN, zh-TW, zh-HK, zh-SG, zh-MY, zh-MO or zh)"
    )]
    UnknownVariant(String),
    #[error("unknown engine `{0}` (expected builtin or opencc)")]
    UnknownEngine(String),
    #[error("unknown quote style `{0}` (expected variant, keep, curly or corner)")]
    UnknownQuoteStyle(String),
    #[error("unknown OpenCC configuration `{0}`")]
    UnknownConfig(String),
    #[error(
        "the opencc engine is not built in: rebuild with `--features opencc` (needs libopencc-dev)"
    )]
    OpenccNotBuilt,
    #[error("the {engine} engine could not load `{config}`: {message}")]
    EngineLoad {
        engine: &'static str,
        config: String,
        message: String,
    },
}
