//! Chinese script conversion over zhnorm documents.
//!
//! Engines implementing [`Engine`] convert a string with the semantics of one OpenCC
//! configuration (`t2s`, `s2t`, `s2twp`, …). The default engine ([`builtin`]) is pure Rust; the
//! OpenCC C++ library (`opencc-rust`) is the reference, behind the `opencc` cargo feature.
//! (Foundation placeholder: the document-level conversion lands with the script issue.)

pub mod builtin;

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

/// The script class of `c`. (Placeholder table until the builtin engine's tables land.)
pub fn char_script(c: char) -> CharScript {
    match c {
        '這' | '關' | '國' => CharScript::TraditionalOnly,
        '这' | '关' | '国' => CharScript::SimplifiedOnly,
        _ => CharScript::Shared,
    }
}

/// Sets the document's language tag. (Placeholder.)
pub fn convert_document(doc: &mut Document, lang: &str) {
    doc.lang = lang.to_owned();
}
