//! Errors of loading an OpenCC configuration (shared with the build script).

use std::path::PathBuf;

/// Why an OpenCC configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The configuration name is not one the engine knows (built-in) or finds (data directory).
    #[error("unknown OpenCC configuration `{0}`")]
    UnknownConfig(String),
    /// A configuration or dictionary file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A configuration file is not a valid OpenCC configuration.
    #[error("invalid OpenCC configuration {path}: {reason}")]
    InvalidConfig {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A dictionary file is not a valid `.ocd2` or text dictionary.
    #[error("invalid OpenCC dictionary {path}: {reason}")]
    InvalidDictionary {
        /// The dictionary file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The compiled tables embedded in the binary are damaged (a build problem, not bad input).
    #[error("damaged built-in table {index}: {reason}")]
    DamagedTable {
        /// Which table.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
}
