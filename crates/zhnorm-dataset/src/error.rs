//! The one error type of the writers.

use std::io;
use std::path::{Path, PathBuf};

/// What can go wrong while writing a dataset or reading its manifest.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The reader of a stream went away (`--output -` piped into `head`). Not a failure of the
    /// run: the caller stops cleanly.
    #[error("the output was closed (broken pipe)")]
    BrokenPipe,
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: Parquet: {source}", path.display())]
    Parquet {
        path: PathBuf,
        source: parquet::errors::ParquetError,
    },
    #[error("{}: {message}", path.display())]
    Manifest { path: PathBuf, message: String },
    /// The caller asked for something the writer's format cannot do.
    #[error("{0}")]
    Usage(&'static str),
}

impl Error {
    /// True when the output was a pipe whose reader closed it.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::BrokenPipe)
    }

    pub(crate) fn io(path: &Path, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::BrokenPipe {
            Error::BrokenPipe
        } else {
            Error::Io {
                path: path.to_owned(),
                source,
            }
        }
    }

    pub(crate) fn parquet(path: &Path, source: parquet::errors::ParquetError) -> Self {
        match source {
            parquet::errors::ParquetError::External(inner) => match inner.downcast::<io::Error>() {
                Ok(io) => Error::io(path, *io),
                Err(inner) => Error::Parquet {
                    path: path.to_owned(),
                    source: parquet::errors::ParquetError::External(inner),
                },
            },
            source => Error::Parquet {
                path: path.to_owned(),
                source,
            },
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
