//! The one error type of the crate: what went wrong, in which file, where, and after which page.

use std::fmt;
use std::io;

/// What went wrong. The message of each kind is written to be read by a person after the file name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DumpErrorKind {
    /// Reading the input failed (the operating system's message).
    #[error("cannot read: {0}")]
    Io(String),
    /// The kind of input could not be told from its name or its first bytes.
    #[error("cannot tell the kind of input from its name or its first bytes")]
    UnknownKind,
    /// The bz2 data ends before the end marker of its stream.
    #[error("the bz2 data is truncated (it ends inside a compressed stream)")]
    TruncatedBz2,
    /// The bz2 data is corrupt.
    #[error("the bz2 data is corrupt ({0})")]
    CorruptBz2(String),
    /// The gzip or zstd data is corrupt or truncated.
    #[error("the compressed data is corrupt or truncated ({0})")]
    Decompress(String),
    /// The XML is not well-formed (the parser's message).
    #[error("invalid XML: {0}")]
    Xml(String),
    /// The input ends inside an element: `what` names the innermost open element.
    #[error("the input ends inside <{0}>")]
    UnexpectedEof(String),
    /// An entity other than the five of XML: it is never expanded.
    #[error(
        "undefined entity &{0}; (only the five XML entities and character references are read)"
    )]
    UndefinedEntity(String),
    /// A DOCTYPE that declares entities: DTDs are never expanded.
    #[error("the DOCTYPE declares entities; DTDs are never read or expanded")]
    EntityDeclaration,
    /// Text that is not UTF-8.
    #[error("invalid UTF-8 in <{0}>")]
    InvalidUtf8(String),
    /// Well-formed XML that is not a MediaWiki export (a bad number, text outside the root …).
    #[error("not a MediaWiki export: {0}")]
    Structure(String),
    /// The multistream index disagrees with the dump, or cannot be read.
    #[error("wrong multistream index: {0}")]
    Index(String),
    /// A JSON Lines line that is not an object with string `title` and `text` (non-fatal).
    #[error("malformed JSON line: {0}")]
    JsonLine(String),
}

/// An error while reading an input, with the place it happened.
///
/// `Display` gives `FILE: WHAT at byte OFFSET (last good page: id N «TITLE»)`; the line is given
/// instead of (or before) the byte for JSON Lines. A fatal error ends the iteration: every complete
/// page before it has been yielded. A non-fatal one (a malformed JSON line) is one item among the pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpError {
    /// The input's name as given (a path, or the name passed to `from_reader`, `-` for stdin).
    pub file: String,
    /// Byte offset in the input (compressed bytes for bz2: the start of the stream being decoded, or
    /// the end of the data for a truncated stream).
    pub offset: Option<u64>,
    /// Line number (1-based) for JSON Lines and for the multistream index.
    pub line: Option<u64>,
    /// The last complete page before the error: its page id (when known) and title.
    pub last_good_page: Option<(Option<u64>, String)>,
    /// Whether the iteration ends here.
    pub fatal: bool,
    /// What went wrong.
    pub kind: DumpErrorKind,
}

impl DumpError {
    pub(crate) fn new(file: &str, kind: DumpErrorKind) -> Self {
        DumpError {
            file: file.to_owned(),
            offset: None,
            line: None,
            last_good_page: None,
            fatal: true,
            kind,
        }
    }

    pub(crate) fn at(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    pub(crate) fn io(file: &str, err: &io::Error) -> Self {
        DumpError::new(file, DumpErrorKind::Io(err.to_string()))
    }
}

impl fmt::Display for DumpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.kind)?;
        if let Some(line) = self.line {
            write!(f, " at line {line}")?;
        }
        if let Some(offset) = self.offset {
            write!(f, " at byte {offset}")?;
        }
        match &self.last_good_page {
            Some((Some(id), title)) => write!(f, " (last good page: id {id} «{title}»)"),
            Some((None, title)) => write!(f, " (last good page: «{title}»)"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for DumpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.kind)
    }
}

/// A failure of the input below the parser (bz2 decoding, a text too long), carried inside an
/// `io::Error` through quick-xml, with its input offset.
#[derive(Debug)]
pub(crate) struct InputFailure {
    pub kind: DumpErrorKind,
    pub offset: u64,
}

impl fmt::Display for InputFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.kind, self.offset)
    }
}

impl std::error::Error for InputFailure {}

impl InputFailure {
    pub(crate) fn into_io(self) -> io::Error {
        io::Error::other(self)
    }

    /// The failure inside an `io::Error`, if it is one.
    pub(crate) fn find(err: &io::Error) -> Option<&InputFailure> {
        err.get_ref()?.downcast_ref::<InputFailure>()
    }
}
