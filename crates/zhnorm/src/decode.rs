//! Bytes to text: the first stage, and the only one that can reject an input.

use zhnorm_doc::codes::{self, Code};

/// Why an input file cannot be read as an article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("empty file (no text after removing whitespace)")]
    Empty,
    #[error("binary file (NUL byte at offset {offset})")]
    Binary { offset: usize },
    #[error(
        "not UTF-8: invalid byte sequence at line {line}, column {column} (byte offset {offset}); convert the file to UTF-8 first"
    )]
    NotUtf8 {
        offset: usize,
        line: usize,
        column: usize,
    },
}

impl DecodeError {
    /// The diagnostic code reported for this error.
    pub fn code(&self) -> &'static Code {
        match self {
            DecodeError::Empty => &codes::FILE_EMPTY,
            DecodeError::Binary { .. } => &codes::FILE_BINARY,
            DecodeError::NotUtf8 { .. } => &codes::FILE_NOT_UTF8,
        }
    }
}

/// Decodes UTF-8 input: strips a byte-order mark and folds `\r\n` and lone `\r` into `\n`.
///
/// Binary files are recognised by a NUL byte, which no text article contains, before UTF-8 is
/// checked, so that an image or archive gets the error that names what it is.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let offset = error.valid_up_to();
            let before = String::from_utf8_lossy(&bytes[..offset]);
            let line = before.matches('\n').count() + 1;
            let column = before
                .rsplit('\n')
                .next()
                .unwrap_or_default()
                .chars()
                .count()
                + 1;
            return Err(DecodeError::NotUtf8 {
                offset,
                line,
                column,
            });
        }
    };
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_rejects() {
        assert_eq!(
            decode("\u{feff}甲\r\n乙\r丙".as_bytes()).unwrap(),
            "甲\n乙\n丙"
        );
        assert_eq!(decode(b" \n\t"), Err(DecodeError::Empty));
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(
            decode(b"GIF89a\x00\x01"),
            Err(DecodeError::Binary { offset: 6 })
        );
        // "中" in GBK is D6 D0: not UTF-8.
        assert_eq!(
            decode(b"ab\n\xd6\xd0"),
            Err(DecodeError::NotUtf8 {
                offset: 3,
                line: 2,
                column: 1
            })
        );
    }
}
