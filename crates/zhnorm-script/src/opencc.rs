//! The reference engine: the OpenCC C++ library through `opencc-rust` 1.1.19 (the `opencc`
//! cargo feature; needs the system's libopencc and its dictionaries).
//!
//! `opencc-rust` 1.1.19 panics on input containing NUL (it builds a C string), so input is split
//! at NUL, the pieces converted, and the NULs put back: OpenCC never converts across a NUL
//! anyway, since it is not part of any dictionary key.

use std::fmt;

use crate::{Engine, ScriptError};

/// One OpenCC configuration loaded by the C++ library.
pub struct OpenccEngine {
    config: String,
    inner: opencc_rust::OpenCC,
}

impl OpenccEngine {
    /// Loads `config` (`t2s`, `s2twp`, …) from the system's OpenCC data (`<config>.json`).
    pub fn load(config: &str) -> Result<OpenccEngine, ScriptError> {
        let known = config
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !known || config.is_empty() {
            return Err(ScriptError::UnknownConfig(config.to_owned()));
        }
        let inner = opencc_rust::OpenCC::new(format!("{config}.json")).map_err(|message| {
            ScriptError::EngineLoad {
                engine: "opencc",
                config: config.to_owned(),
                message: message.to_owned(),
            }
        })?;
        Ok(OpenccEngine {
            config: config.to_owned(),
            inner,
        })
    }
}

impl fmt::Debug for OpenccEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenccEngine")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Engine for OpenccEngine {
    fn convert(&self, text: &str) -> String {
        if !text.contains('\0') {
            return self.inner.convert(text);
        }
        let mut out = String::with_capacity(text.len());
        for (i, piece) in text.split('\0').enumerate() {
            if i > 0 {
                out.push('\0');
            }
            if !piece.is_empty() {
                out.push_str(&self.inner.convert(piece));
            }
        }
        out
    }

    fn name(&self) -> String {
        format!("opencc:{}", self.config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_and_survives_nul() {
        let engine = OpenccEngine::load("t2s").unwrap();
        assert_eq!(engine.convert("這個\0關係\0"), "这个\0关系\0");
        assert_eq!(engine.convert("\0"), "\0");
        assert_eq!(engine.name(), "opencc:t2s");
    }

    #[test]
    fn unknown_config_is_an_error() {
        assert!(OpenccEngine::load("no_such_config").is_err());
        assert!(OpenccEngine::load("../t2s").is_err());
    }
}
