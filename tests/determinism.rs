//! Output is byte-identical whatever the thread count.

use zhnorm::Options;

use crate::support::{normalize, project_root};

#[test]
fn one_and_two_jobs_write_the_same_bytes() {
    let input = project_root().join("corpus/raw");
    let one = normalize(&input, Options::default(), 1);
    let two = normalize(&input, Options::default(), 2);
    assert_eq!(one.file_names(), two.file_names());
    let (one_files, two_files) = (one.files(), two.files());
    for (name, text) in &one_files {
        if name == zhnorm::REPORT_FILE {
            // Timings differ from run to run; everything else must not.
            let mut a = one.report.clone();
            let mut b = two.report.clone();
            a.timings_ms.clear();
            b.timings_ms.clear();
            assert_eq!(a, b);
        } else {
            assert!(
                text == &two_files[name],
                "{name} differs between --jobs 1 and --jobs 2"
            );
        }
    }
}
