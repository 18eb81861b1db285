//! Helpers shared by the test modules.

use std::path::{Path, PathBuf};

use zhnorm::{CorpusOptions, CorpusOutput, Options, Pipeline};

pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// Normalizes `input` with `options` and `jobs` threads, in memory.
pub fn normalize(input: &Path, options: Options, jobs: usize) -> CorpusOutput {
    let pipeline = Pipeline::new(options).expect("pipeline builds");
    let corpus = CorpusOptions {
        input: input.to_path_buf(),
        output: PathBuf::from("unused"),
        jobs: Some(jobs),
        source_prefix: Some("corpus/raw".to_owned()),
    };
    zhnorm::normalize_corpus(&pipeline, &corpus).expect("corpus runs")
}

/// The bundled seed corpus, normalized with the default options.
pub fn seeds() -> CorpusOutput {
    normalize(&project_root().join("corpus/raw"), Options::default(), 2)
}

/// A fresh temporary folder under the target directory, removed first if it exists.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
