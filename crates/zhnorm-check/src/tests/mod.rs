//! Data-driven tests: fixtures under `test_data/`, expectations committed beside them;
//! `UPDATE_EXPECT=1` rewrites the expectations.

mod docs;
mod reports;
mod rules;
mod seeds;

use std::path::{Path, PathBuf};

/// A path under the crate's `test_data/`.
pub(crate) fn test_data(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test_data")
        .join(relative)
}

/// Compares `actual` with the committed file at `path`, or rewrites it under `UPDATE_EXPECT=1`.
pub(crate) fn expect_file(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|_| panic!("{} is missing; run with UPDATE_EXPECT=1", path.display()));
    assert!(
        expected == actual,
        "{} is stale (UPDATE_EXPECT=1 rewrites it)\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}
