//! Document ids: safe, unique file names derived from titles.

use zhnorm_check::{KeyIndex, name_key};

use sha2::{Digest, Sha256};

/// The longest id in bytes; file systems commonly allow 255 bytes per name, and `.json`,
/// `.md.tmp` and `~N` suffixes must still fit.
const MAX_ID_BYTES: usize = 200;

/// Hex digits of the SHA-256 of the title that end a shortened id, so that two long titles
/// sharing their first 180 bytes still get different names.
const HASH_HEX: usize = 12;

/// Turns a title into a name that is safe as a file name on every common file system and can
/// never leave the output folder: path separators, reserved characters and control characters
/// become `_`, leading dots and trailing dots and spaces are dropped, `.`/`..`/Windows device
/// names are prefixed, and a title longer than [`MAX_ID_BYTES`] keeps a readable prefix and ends
/// in a hash of the whole title.
pub fn safe_id(title: &str) -> String {
    let mut id: String = title
        .trim()
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    id = trim_edges(&id).to_owned();
    if id.len() > MAX_ID_BYTES {
        let mut end = MAX_ID_BYTES - HASH_HEX - 1;
        while !id.is_char_boundary(end) {
            end -= 1;
        }
        id.truncate(end);
        id = trim_edges(&id).to_owned();
        let hash = format!("{:x}", Sha256::digest(title.as_bytes()));
        id.push('-');
        id.push_str(&hash[..HASH_HEX]);
    }
    if id.is_empty() || is_device_name(&id) {
        id.insert(0, '_');
    }
    id
}

fn trim_edges(id: &str) -> &str {
    id.trim_start_matches('.').trim_end_matches(['.', ' '])
}

/// Windows' reserved device names, whatever follows the first dot (`CON.txt`, `nul.tar.gz`)
/// and with the superscript digits Windows also reserves (`COM¹`).
fn is_device_name(id: &str) -> bool {
    let stem = id
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_end_matches(' ')
        .to_ascii_uppercase();
    let numbered = |prefix: &str| {
        stem.strip_prefix(prefix).is_some_and(|n| {
            matches!(
                n,
                "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
            )
        })
    };
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"].contains(&stem.as_str())
        || numbered("COM")
        || numbered("LPT")
}

/// The key under which ids collide: case-insensitive file systems (NTFS, APFS, FAT) take
/// names that differ only by case as one file, including the case pairs that lowercasing alone
/// misses (`ς`/`σ`/`Σ`, `ß`/`SS`).
fn collision_key(id: &str) -> String {
    id.to_uppercase().to_lowercase()
}

/// Hands out ids so that two documents never share one: the second `X` becomes `X~2`.
///
/// Callers must offer documents in a deterministic order (the corpus runner sorts by path), so
/// that which one gets the suffix does not depend on the thread count.
///
/// It keeps a 128-bit digest of each id's collision key, not the key: over a whole dump, one
/// string an article less to hold. Two keys meet only when equal or by a 128-bit collision.
#[derive(Debug, Default)]
pub struct IdAllocator {
    /// By [`zhnorm_check::name_key`] of the collision key, as two words (a `u128` key's
    /// alignment would pad it): how many documents wanted it.
    taken: KeyIndex<[u64; 2], u32>,
}

/// A 128-bit key as two 64-bit words.
fn words(key: u128) -> [u64; 2] {
    [(key >> 64) as u64, key as u64]
}

impl IdAllocator {
    /// The id for `wanted`, and the id it collided with, if any.
    pub fn allocate(&mut self, wanted: &str) -> (String, Option<String>) {
        let base = safe_id(wanted);
        let key = collision_key(&base);
        let digest = words(name_key(&key));
        let Some(&count) = self.taken.get(&digest) else {
            self.taken.insert(digest, 1);
            return (base, None);
        };
        let mut n = count + 1;
        // `X~2` may itself be a title in the corpus; skip ids already given out.
        while self
            .taken
            .contains_key(&words(name_key(&format!("{key}~{n}"))))
        {
            n += 1;
        }
        self.taken.insert(digest, n);
        let id = format!("{base}~{n}");
        self.taken.insert(words(name_key(&collision_key(&id))), 1);
        (id, Some(base))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_safe_file_names() {
        for (title, id) in [
            ("阿塞拜疆－俄罗斯关系", "阿塞拜疆－俄罗斯关系"),
            ("AC/DC", "AC_DC"),
            ("../x", "_x"),
            ("..", "_"),
            ("", "_"),
            ("a\\b:c", "a_b_c"),
            ("CON", "_CON"),
            ("com1.txt", "_com1.txt"),
            ("line\nbreak", "line_break"),
            ("../../etc/x", "_.._etc_x"),
            ("/etc/passwd", "_etc_passwd"),
            ("C:\\Windows", "C__Windows"),
            ("nul\0byte", "nul_byte"),
            ("tab\tand\u{7f}del", "tab_and_del"),
            ("NUL", "_NUL"),
            ("nul.tar.gz", "_nul.tar.gz"),
            ("Com1", "_Com1"),
            ("LPT9.md", "_LPT9.md"),
            ("COM¹", "_COM¹"),
            ("CONIN$", "_CONIN$"),
            ("COM10", "COM10"),
            ("CONSOLE", "CONSOLE"),
            ("尾点...", "尾点"),
            ("尾空格 . ", "尾空格"),
            ("CON. ", "_CON"),
            ("...", "_"),
        ] {
            assert_eq!(safe_id(title), id, "{title:?}");
        }
    }

    #[test]
    fn long_titles_keep_a_prefix_and_a_hash() {
        let a = format!("{}甲", "长".repeat(100));
        let b = format!("{}乙", "长".repeat(100));
        let (id_a, id_b) = (safe_id(&a), safe_id(&b));
        assert_eq!(id_a.len(), 186 + 1 + HASH_HEX);
        assert_eq!(id_a[..186], "长".repeat(62));
        assert_ne!(id_a, id_b);
        assert_eq!(id_a, safe_id(&a));
        assert!(id_a[187..].bytes().all(|b| b.is_ascii_hexdigit()));
        // A cut that leaves a trailing dot or space drops it before the hash.
        let dotted = format!("{}.{}", "a".repeat(186), "b".repeat(100));
        assert_eq!(safe_id(&dotted)[..187], format!("{}-", "a".repeat(186)));
    }

    #[test]
    fn collisions_get_suffixes_case_insensitively() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.allocate("甲"), ("甲".into(), None));
        assert_eq!(ids.allocate("甲"), ("甲~2".into(), Some("甲".into())));
        assert_eq!(ids.allocate("Abc"), ("Abc".into(), None));
        assert_eq!(ids.allocate("abc"), ("abc~2".into(), Some("abc".into())));
        assert_eq!(ids.allocate("甲"), ("甲~3".into(), Some("甲".into())));
        // Case pairs that lowercasing alone misses.
        assert_eq!(ids.allocate("σ"), ("σ".into(), None));
        assert_eq!(ids.allocate("ς"), ("ς~2".into(), Some("ς".into())));
        assert_eq!(ids.allocate("Straße"), ("Straße".into(), None));
        assert_eq!(
            ids.allocate("STRASSE"),
            ("STRASSE~2".into(), Some("STRASSE".into()))
        );
    }
}
