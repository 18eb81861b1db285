//! Document ids: safe, unique file names derived from titles.

use std::collections::HashMap;

/// The longest id in bytes; file systems commonly allow 255 bytes per name, and `.json` and
/// `.md.tmp` suffixes must still fit.
const MAX_ID_BYTES: usize = 200;

/// Turns a title into a name that is safe as a file name on every common file system and can
/// never leave the output folder: path separators, reserved characters and control characters
/// become `_`, leading dots are dropped, and `.`/`..`/Windows device names are prefixed.
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
    id = id
        .trim_start_matches('.')
        .trim_end_matches(['.', ' '])
        .to_owned();
    if id.len() > MAX_ID_BYTES {
        let mut end = MAX_ID_BYTES;
        while !id.is_char_boundary(end) {
            end -= 1;
        }
        id.truncate(end);
    }
    let stem = id
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&stem.as_str())
        || ((stem.starts_with("COM") || stem.starts_with("LPT")) && stem.len() == 4);
    if id.is_empty() || reserved {
        id.insert(0, '_');
    }
    id
}

/// Hands out ids so that two documents never share one: the second `X` becomes `X~2`.
///
/// Callers must offer documents in a deterministic order (the corpus runner sorts by path), so
/// that which one gets the suffix does not depend on the thread count.
#[derive(Debug, Default)]
pub struct IdAllocator {
    taken: HashMap<String, u32>,
}

impl IdAllocator {
    /// The id for `wanted`, and the id it collided with, if any.
    pub fn allocate(&mut self, wanted: &str) -> (String, Option<String>) {
        let base = safe_id(wanted);
        let key = base.to_lowercase();
        let Some(&count) = self.taken.get(&key) else {
            self.taken.insert(key, 1);
            return (base, None);
        };
        let mut n = count + 1;
        // `X~2` may itself be a title in the corpus; skip ids already given out.
        while self.taken.contains_key(&format!("{key}~{n}")) {
            n += 1;
        }
        self.taken.insert(key, n);
        let id = format!("{base}~{n}");
        self.taken.insert(id.to_lowercase(), 1);
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
        ] {
            assert_eq!(safe_id(title), id, "{title:?}");
        }
        assert!(safe_id(&"长".repeat(100)).len() <= MAX_ID_BYTES);
    }

    #[test]
    fn collisions_get_suffixes_case_insensitively() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.allocate("甲"), ("甲".into(), None));
        assert_eq!(ids.allocate("甲"), ("甲~2".into(), Some("甲".into())));
        assert_eq!(ids.allocate("Abc"), ("Abc".into(), None));
        assert_eq!(ids.allocate("abc"), ("abc~2".into(), Some("abc".into())));
        assert_eq!(ids.allocate("甲"), ("甲~3".into(), Some("甲".into())));
    }
}
