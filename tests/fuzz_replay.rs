//! Replays every committed fuzz input (`fuzz/corpus/<target>/`, seeds and crashes found) through
//! the fuzz targets' invariants on stable Rust, on a 2 MiB worker stack, so that nothing found
//! once can come back. The fuzzing itself needs nightly and cargo-fuzz: see `fuzz/README.md`.

#[path = "fuzz_invariants.rs"]
pub(crate) mod invariants;

use crate::support::project_root;

#[test]
fn every_committed_fuzz_input_keeps_the_invariants() {
    let mut replayed = 0;
    for target in invariants::TARGETS {
        let folder = project_root().join("fuzz/corpus").join(target);
        let mut inputs: Vec<_> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
            .map(|e| e.unwrap().path())
            .collect();
        inputs.sort();
        assert!(!inputs.is_empty(), "{target}: no corpus");
        for path in inputs {
            let data = std::fs::read(&path).unwrap();
            let name = path.display().to_string();
            std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || invariants::check(target, &data))
                .unwrap()
                .join()
                .unwrap_or_else(|_| panic!("{name} broke an invariant"));
            replayed += 1;
        }
    }
    assert!(replayed >= 6 * 4, "only {replayed} inputs replayed");
}
