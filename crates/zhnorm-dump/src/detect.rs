//! Telling the kind of an input from its first bytes and its name.

/// The kinds of input the crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputKind {
    /// A plain MediaWiki XML export.
    Xml,
    /// A bz2-compressed XML export: one stream, or the multistream dump (with or without its index).
    XmlBz2,
    /// JSON Lines, one page object a line.
    Jsonl,
    /// gzip-compressed JSON Lines.
    JsonlGz,
    /// zstd-compressed JSON Lines.
    JsonlZst,
}

/// How many first bytes [`detect_kind`] needs at most.
pub const HEAD_LEN: usize = 64;

/// The kind of an input. The first bytes decide when they are recognizable (compression magic
/// numbers, `<` or `{` after an optional byte-order mark and white space); otherwise the name's
/// extension does. `None` when neither tells.
pub fn detect_kind(file_name: &str, head: &[u8]) -> Option<InputKind> {
    kind_from_head(head).or_else(|| kind_from_name(file_name))
}

fn kind_from_head(head: &[u8]) -> Option<InputKind> {
    if head.starts_with(b"BZh") {
        return Some(InputKind::XmlBz2);
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        return Some(InputKind::JsonlGz);
    }
    if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        return Some(InputKind::JsonlZst);
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    match text.iter().find(|b| !b.is_ascii_whitespace())? {
        b'<' => Some(InputKind::Xml),
        b'{' => Some(InputKind::Jsonl),
        _ => None,
    }
}

fn kind_from_name(name: &str) -> Option<InputKind> {
    let name = name.to_ascii_lowercase();
    let ends = |suffix: &str| name.ends_with(suffix);
    if ends(".xml") {
        Some(InputKind::Xml)
    } else if ends(".bz2") {
        Some(InputKind::XmlBz2)
    } else if ends(".jsonl") || ends(".ndjson") || ends(".json") {
        Some(InputKind::Jsonl)
    } else if ends(".gz") {
        Some(InputKind::JsonlGz)
    } else if ends(".zst") {
        Some(InputKind::JsonlZst)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_then_name() {
        let cases: &[(&str, &[u8], Option<InputKind>)] = &[
            ("-", b"<mediawiki xmlns=", Some(InputKind::Xml)),
            ("-", b"<?xml version=\"1.0\"?>", Some(InputKind::Xml)),
            ("-", b"\xEF\xBB\xBF\n  <page>", Some(InputKind::Xml)),
            ("-", b"BZh91AY&SY", Some(InputKind::XmlBz2)),
            ("-", b"{\"title\":", Some(InputKind::Jsonl)),
            ("-", b"\x1f\x8b\x08\x00", Some(InputKind::JsonlGz)),
            ("-", b"\x28\xb5\x2f\xfd\x00", Some(InputKind::JsonlZst)),
            ("a.jsonl", b"<mediawiki>", Some(InputKind::Xml)),
            ("zhwiki-pages-articles.xml", b"", Some(InputKind::Xml)),
            ("X-multistream.xml.bz2", b"", Some(InputKind::XmlBz2)),
            ("wiki.JSONL", b"", Some(InputKind::Jsonl)),
            ("wiki.jsonl.gz", b"", Some(InputKind::JsonlGz)),
            ("wiki.jsonl.zst", b"", Some(InputKind::JsonlZst)),
            ("notes.txt", b"hello", None),
            ("-", b"   ", None),
        ];
        for (name, head, want) in cases {
            assert_eq!(detect_kind(name, head), *want, "{name} {head:?}");
        }
    }
}
