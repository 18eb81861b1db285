//! Bytes to text: the first stage, and the only one that can reject an input.
//!
//! UTF-8 is the norm. Chinese text also comes in GB18030 (and its subset GBK), Big5 and
//! UTF-16, and those are decoded when the encoding is certain, never guessed: UTF-16 by its
//! byte-order mark or, without one, by NUL bytes all on one side of the code units of a text
//! that decodes cleanly; GB18030 and Big5 when chardetng names them and the bytes decode without
//! a single error into text that is mostly Han characters. Anything else that is not UTF-8 is
//! rejected with the offset of the first bad byte. A UTF-8 article with a few bad bytes (most of
//! its non-ASCII characters valid UTF-8) is never taken for a legacy encoding: it is rejected,
//! since decoding it as GB18030 would turn every character into mojibake.

use std::borrow::Cow;

use encoding_rs::{BIG5, Encoding, GBK, UTF_16BE, UTF_16LE};
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
    #[error("{encoding} with a byte-order mark, but invalid at byte offset {offset}")]
    BadUtf16 {
        encoding: &'static str,
        offset: usize,
    },
}

impl DecodeError {
    /// The diagnostic code reported for this error.
    pub fn code(&self) -> &'static Code {
        match self {
            DecodeError::Empty => &codes::FILE_EMPTY,
            DecodeError::Binary { .. } => &codes::FILE_BINARY,
            DecodeError::NotUtf8 { .. } | DecodeError::BadUtf16 { .. } => &codes::FILE_NOT_UTF8,
        }
    }
}

/// Decoded text, and the encoding it was decoded from when that was not UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// Borrowed from the input when it was UTF-8 with nothing to fold (most inputs): a page of a
    /// dump is not copied once more.
    pub text: Cow<'a, str>,
    /// `GB18030`, `Big5`, `UTF-16LE` or `UTF-16BE`; `None` for UTF-8.
    pub encoding: Option<&'static str>,
}

/// Decodes input: strips a byte-order mark and folds `\r\n` and lone `\r` into `\n`.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    decode_any(bytes).map(|decoded| decoded.text)
}

/// [`decode`], saying which encoding the text was in.
///
/// Binary files are recognised by a NUL byte, which no text article contains, before UTF-8 is
/// checked, so that an image or archive gets the error that names what it is (UTF-16 text,
/// which is full of NUL bytes, is recognised first).
pub fn decode_any(bytes: &[u8]) -> Result<Decoded<'_>, DecodeError> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (
            Cow::Owned(utf16_with_bom(UTF_16LE, rest)?),
            Some("UTF-16LE"),
        )
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (
            Cow::Owned(utf16_with_bom(UTF_16BE, rest)?),
            Some("UTF-16BE"),
        )
    } else {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match memchr::memchr(0, bytes) {
            Some(offset) => match utf16_without_bom(bytes) {
                Some((text, name)) => (Cow::Owned(text), Some(name)),
                None => return Err(DecodeError::Binary { offset }),
            },
            None => match std::str::from_utf8(bytes) {
                Ok(text) => (Cow::Borrowed(text), None),
                Err(error) => match legacy_chinese(bytes) {
                    Some((text, name)) => (Cow::Owned(text), Some(name)),
                    None => return Err(not_utf8(bytes, error.valid_up_to())),
                },
            },
        }
    };
    Ok(Decoded {
        text: checked_and_folded(text)?,
        encoding,
    })
}

/// [`decode`] of text that is UTF-8 already (a page of a dump, a JSON Lines record): the same
/// checks and folding, without validating UTF-8 again (that was most of this stage's time).
pub fn decode_str(text: &str) -> Result<Cow<'_, str>, DecodeError> {
    if memchr::memchr(0, text.as_bytes()).is_some() {
        return decode(text.as_bytes());
    }
    checked_and_folded(Cow::Borrowed(text.strip_prefix('\u{feff}').unwrap_or(text)))
}

/// An empty text is an error; `\r\n` and a lone `\r` become `\n`.
fn checked_and_folded(text: Cow<'_, str>) -> Result<Cow<'_, str>, DecodeError> {
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        text
    })
}

fn not_utf8(bytes: &[u8], offset: usize) -> DecodeError {
    let before = String::from_utf8_lossy(&bytes[..offset]);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    DecodeError::NotUtf8 {
        offset,
        line,
        column,
    }
}

fn utf16_with_bom(encoding: &'static Encoding, rest: &[u8]) -> Result<String, DecodeError> {
    match strict(encoding, rest) {
        Some(text) => Ok(text),
        None => Err(DecodeError::BadUtf16 {
            encoding: encoding.name(),
            offset: 2 + first_utf16_error(encoding == UTF_16LE, rest),
        }),
    }
}

/// The byte offset (in `bytes`) of the first unpaired surrogate or odd trailing byte.
fn first_utf16_error(little_endian: bool, bytes: &[u8]) -> usize {
    let units = bytes.chunks_exact(2).map(|pair| {
        if little_endian {
            u16::from_le_bytes([pair[0], pair[1]])
        } else {
            u16::from_be_bytes([pair[0], pair[1]])
        }
    });
    let mut at = 0;
    for result in char::decode_utf16(units) {
        match result {
            Ok(c) => at += c.len_utf16() * 2,
            Err(_) => return at,
        }
    }
    at
}

/// Decodes `bytes` as `encoding` without a BOM and without replacement characters.
fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
}

/// UTF-16 without a byte-order mark, when nothing else fits: an even length, every NUL byte on
/// the same side of its code unit, no unpaired surrogate, and text that is text (no control
/// characters but tab and line ends, no private-use or unassigned-looking code points).
fn utf16_without_bom(bytes: &[u8]) -> Option<(String, &'static str)> {
    if bytes.len() % 2 != 0 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 { even += 1 } else { odd += 1 }
        }
    }
    let (encoding, name) = match (even, odd) {
        (0, n) if n > 0 => (UTF_16LE, "UTF-16LE"),
        (n, 0) if n > 0 => (UTF_16BE, "UTF-16BE"),
        _ => return None,
    };
    let text = strict(encoding, bytes)?;
    let textual = |c: char| {
        let control = c.is_control() && !matches!(c, '\n' | '\r' | '\t');
        let private = matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{FFFE}' | '\u{FFFF}');
        !control && !private
    };
    text.chars().all(textual).then_some((text, name))
}

/// The fewest Han characters a GB18030 or Big5 text must give to be decoded.
const MIN_LEGACY_HAN: usize = 8;

/// GB18030 or Big5, when chardetng names one of them and the bytes are that encoding beyond
/// doubt: they decode without error, are not mostly valid UTF-8, and give mostly Han
/// characters.
fn legacy_chinese(bytes: &[u8]) -> Option<(String, &'static str)> {
    // A UTF-8 article with damage: most of its non-ASCII bytes are valid UTF-8, which text in a
    // legacy encoding almost never is.
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    if valid > invalid {
        return None;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (encoding, name) = if guess == GBK || guess == encoding_rs::GB18030 {
        // encoding_rs decodes GBK as GB18030, its superset.
        (encoding_rs::GB18030, "GB18030")
    } else if guess == BIG5 {
        (BIG5, "Big5")
    } else {
        return None;
    };
    let text = strict(encoding, bytes)?;
    let non_ascii = text.chars().filter(|c| !c.is_ascii()).count();
    let han = text
        .chars()
        .filter(|c| {
            matches!(c, '\u{3000}'..='\u{303F}' | '\u{3400}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}')
        })
        .count();
    // A few characters are too few to be sure of (`中文` is D6 D0 CE C4 in GBK, but four such
    // bytes are also plausible Big5 or damage).
    (han >= MIN_LEGACY_HAN && han * 10 >= non_ascii * 9).then_some((text, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if little_endian {
                [0xFF, 0xFE]
            } else {
                [0xFE, 0xFF]
            });
        }
        for unit in text.encode_utf16() {
            out.extend(if little_endian {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        out
    }

    fn decoded(
        text: &str,
        encoding: Option<&'static str>,
    ) -> Result<Decoded<'static>, DecodeError> {
        Ok(Decoded {
            text: Cow::Owned(text.to_owned()),
            encoding,
        })
    }

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
        // "中" in GBK is D6 D0: two bytes are too few to be sure of GB18030.
        assert_eq!(
            decode(b"ab\n\xd6\xd0"),
            Err(DecodeError::NotUtf8 {
                offset: 3,
                line: 2,
                column: 1
            })
        );
    }

    const ARTICLE: &str = "'''北京市'''，简称京，是中华人民共和国的首都，也是全国的政治、文化中心。\n\n== 历史 ==\n北京有三千多年的建城史和八百多年的建都史。\n";
    const ARTICLE_HANT: &str = "'''臺北市'''，簡稱北市，是中華民國的首都，也是全國的政治、經濟與文化中心。\n\n== 歷史 ==\n臺北的開發始於十八世紀初期。\n";

    #[test]
    fn text_already_utf8_is_checked_and_folded_as_bytes_are() {
        for text in [
            "\u{feff}甲\r\n乙\r丙",
            " \n\t",
            "",
            "GIF89a\u{0}\u{1}",
            "甲\u{0}乙",
            ARTICLE,
        ] {
            assert_eq!(decode_str(text), decode(text.as_bytes()), "{text:?}");
        }
        // Nothing to fold: the text itself, not a copy.
        assert!(matches!(decode_str(ARTICLE), Ok(Cow::Borrowed(_))));
    }

    #[test]
    fn decodes_utf16_with_and_without_bom() {
        for little_endian in [true, false] {
            let name = if little_endian {
                "UTF-16LE"
            } else {
                "UTF-16BE"
            };
            for bom in [true, false] {
                assert_eq!(
                    decode_any(&utf16(ARTICLE, little_endian, bom)),
                    decoded(ARTICLE, Some(name)),
                    "{name}, BOM {bom}"
                );
            }
        }
        // An unpaired surrogate after a BOM: the offset of its first byte in the file.
        let mut bad = utf16("甲乙", true, true);
        bad.extend([0x00, 0xD8, 0x41, 0x00]);
        assert_eq!(
            decode_any(&bad),
            Err(DecodeError::BadUtf16 {
                encoding: "UTF-16LE",
                offset: 6
            })
        );
    }

    #[test]
    fn decodes_gb18030_and_big5_when_certain() {
        let (gb, _, _) = encoding_rs::GB18030.encode(ARTICLE);
        assert_eq!(decode_any(&gb), decoded(ARTICLE, Some("GB18030")));
        let (big5, _, _) = BIG5.encode(ARTICLE_HANT);
        assert_eq!(decode_any(&big5), decoded(ARTICLE_HANT, Some("Big5")));
    }

    #[test]
    fn a_utf8_article_with_a_bad_byte_is_rejected_at_that_byte() {
        let mut bytes = ARTICLE.as_bytes().to_vec();
        bytes.insert(30, 0xFF);
        let error = decode_any(&bytes).unwrap_err();
        assert_eq!(
            error,
            DecodeError::NotUtf8 {
                offset: 30,
                line: 1,
                column: 15
            }
        );
        assert_eq!(
            error.to_string(),
            "not UTF-8: invalid byte sequence at line 1, column 15 (byte offset 30); convert the file to UTF-8 first"
        );
    }

    #[test]
    fn binary_stays_binary() {
        // NUL bytes on both sides of the code units: not UTF-16.
        assert_eq!(
            decode_any(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
            Err(DecodeError::Binary { offset: 8 })
        );
        // Odd length.
        assert_eq!(
            decode_any(b"a\x00b\x00c"),
            Err(DecodeError::Binary { offset: 1 })
        );
        // Control characters once read as UTF-16.
        assert_eq!(
            decode_any(b"\x01\x00\x02\x00"),
            Err(DecodeError::Binary { offset: 1 })
        );
    }
}
