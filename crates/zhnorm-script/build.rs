//! Compiles OpenCC 1.4.2's dictionaries into the tables the built-in engine embeds.
//!
//! The data comes from the `opencc-rust` 2.0.2 package on crates.io (a build-dependency of this
//! crate, never linked: only its `opencc/` folder of `.ocd2` dictionaries and `.json`
//! configurations is read). Cargo has no way to hand a build script the folder of a dependency
//! without a `links` key, so the folder is found with `cargo metadata`; setting
//! `ZHNORM_OPENCC_DATA_DIR` to an OpenCC data directory overrides it.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

#[allow(dead_code)]
#[path = "src/builtin/config.rs"]
mod config;
#[allow(dead_code)]
#[path = "src/builtin/dictionary.rs"]
mod dictionary;
#[allow(dead_code)]
#[path = "src/builtin/error.rs"]
mod error;
#[allow(dead_code)]
#[path = "src/builtin/table.rs"]
mod table;

use config::{DictSpec, parse_config};
use dictionary::{Dictionary, read_dictionary};
use table::Table;

/// The `opencc-rust` release whose data is embedded (it ships OpenCC 1.4.2's data).
const DATA_PACKAGE: (&str, &str) = ("opencc-rust", "2.0.2");
const OPENCC_VERSION: &str = "1.4.2";

fn main() {
    for file in [
        "build.rs",
        "src/builtin/config.rs",
        "src/builtin/dictionary.rs",
        "src/builtin/error.rs",
        "src/builtin/table.rs",
    ] {
        println!("cargo:rerun-if-changed={file}");
    }
    println!("cargo:rerun-if-env-changed=ZHNORM_OPENCC_DATA_DIR");
    let data_dir = data_dir();
    // The unit tests' reference implementation reads the same files.
    println!(
        "cargo:rustc-env=ZHNORM_BUILTIN_DATA_DIR={}",
        data_dir.display()
    );
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    if let Err(message) = generate(&data_dir, &out_dir) {
        panic!(
            "zhnorm-script: cannot compile OpenCC data from {}: {message}",
            data_dir.display()
        );
    }
}

fn data_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("ZHNORM_OPENCC_DATA_DIR") {
        return PathBuf::from(dir);
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest =
        Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("Cargo.toml");
    // Offline first: every package of the build is already downloaded. A plain run follows in
    // case `cargo metadata` wants a package this build did not need.
    for offline in [true, false] {
        let mut command = Command::new(&cargo);
        command
            .args(["metadata", "--format-version", "1", "--manifest-path"])
            .arg(&manifest);
        if offline {
            command.arg("--offline");
        }
        let Ok(output) = command.output() else {
            continue;
        };
        if !output.status.success() {
            continue;
        }
        let Ok(metadata) = serde_json::from_slice::<serde_json::Value>(&output.stdout) else {
            continue;
        };
        let packages = metadata["packages"].as_array().into_iter().flatten();
        for package in packages {
            if package["name"] == DATA_PACKAGE.0 && package["version"] == DATA_PACKAGE.1 {
                if let Some(manifest_path) = package["manifest_path"].as_str() {
                    let dir = Path::new(manifest_path).with_file_name("opencc");
                    println!("cargo:rerun-if-changed={}", dir.display());
                    return dir;
                }
            }
        }
    }
    panic!(
        "zhnorm-script: `cargo metadata` did not list {} {}, whose OpenCC data this crate embeds; \
         set ZHNORM_OPENCC_DATA_DIR to an OpenCC {OPENCC_VERSION} data directory",
        DATA_PACKAGE.0, DATA_PACKAGE.1
    );
}

fn generate(data_dir: &Path, out_dir: &Path) -> Result<(), String> {
    let mut config_names: Vec<String> = std::fs::read_dir(data_dir)
        .map_err(|e| e.to_string())?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".json").map(str::to_owned))
        .collect();
    config_names.sort();

    let mut dictionaries: HashMap<String, Dictionary> = HashMap::new();
    // Each table: the dictionaries of its answer columns.
    let mut specs: Vec<Vec<DictSpec>> = Vec::new();
    let spec_index = |columns: Vec<DictSpec>, specs: &mut Vec<Vec<DictSpec>>| -> usize {
        match specs.iter().position(|s| *s == columns) {
            Some(i) => i,
            None => {
                specs.push(columns);
                specs.len() - 1
            }
        }
    };
    let mut configs = String::new();
    for name in &config_names {
        let path = data_dir.join(format!("{name}.json"));
        let json = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let spec = parse_config(&json, &path).map_err(|e| e.to_string())?;
        let mut files = Vec::new();
        for dict in spec
            .normalization
            .iter()
            .chain(&spec.segmentation)
            .chain(&spec.chain)
        {
            dict.files(&mut files);
        }
        for (kind, file) in files {
            if let std::collections::hash_map::Entry::Vacant(slot) = dictionaries.entry(file) {
                let path = data_dir.join(slot.key());
                slot.insert(read_dictionary(&path, &kind).map_err(|e| e.to_string())?);
            }
        }
        let normalization: Vec<usize> = spec
            .normalization
            .iter()
            .map(|d| spec_index(vec![d.clone()], &mut specs))
            .collect();
        let (first_step, rest) = spec
            .chain
            .split_first()
            .ok_or_else(|| format!("{name}: empty conversion chain"))?;
        // The segmentation dictionary shares its key set with the first step (see table.rs).
        let first_columns = match &spec.segmentation {
            Some(segmentation) => vec![segmentation.clone(), first_step.clone()],
            None => vec![first_step.clone()],
        };
        let first = spec_index(first_columns, &mut specs);
        let segmented = spec.segmentation.is_some();
        let rest: Vec<usize> = rest
            .iter()
            .map(|d| spec_index(vec![d.clone()], &mut specs))
            .collect();
        writeln!(
            configs,
            "    BuiltinConfig {{ name: {name:?}, normalization: &{normalization:?}, first: {first}, segmented: {segmented}, rest: &{rest:?} }},"
        )
        .map_err(|e| e.to_string())?;
    }

    let mut tables = String::new();
    for (i, columns) in specs.iter().enumerate() {
        let columns: Vec<&DictSpec> = columns.iter().collect();
        let table = Table::compile_columns(&columns, &dictionaries)?;
        let file = format!("table_{i}.bin");
        std::fs::write(out_dir.join(&file), table.to_bytes()).map_err(|e| e.to_string())?;
        writeln!(
            tables,
            "    include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{file}\")),"
        )
        .map_err(|e| e.to_string())?;
    }

    let (traditional_only, simplified_only) = script_only_chars(data_dir)?;
    let generated = format!(
        "// Generated by build.rs from OpenCC {OPENCC_VERSION}'s data; do not edit.\n\
         /// The OpenCC release whose dictionaries and configurations are embedded.\n\
         pub const OPENCC_VERSION: &str = {OPENCC_VERSION:?};\n\
         pub static TABLES: [&[u8]; {count}] = [\n{tables}];\n\
         pub static CONFIGS: &[BuiltinConfig] = &[\n{configs}];\n\
         pub static TRADITIONAL_ONLY: &[u32] = &{traditional_only:?};\n\
         pub static SIMPLIFIED_ONLY: &[u32] = &{simplified_only:?};\n",
        count = specs.len(),
    );
    std::fs::write(out_dir.join("builtin_data.rs"), generated).map_err(|e| e.to_string())?;
    Ok(())
}

/// The script-only characters by OpenCC's character tables; see `char_script` for the rules.
fn script_only_chars(data_dir: &Path) -> Result<(Vec<u32>, Vec<u32>), String> {
    let read =
        |name: &str| read_dictionary(&data_dir.join(name), "ocd2").map_err(|e| e.to_string());
    let ts = read("TSCharacters.ocd2")?;
    let st = read("STCharacters.ocd2")?;
    let only = |own: &Dictionary, other: &Dictionary| -> Vec<u32> {
        let produced: BTreeSet<&str> = own.values().flatten().map(String::as_str).collect();
        let mut chars: Vec<u32> = own
            .keys()
            .filter(|key| key.chars().count() == 1)
            .filter(|key| !produced.contains(key.as_str()) && !other.contains_key(*key))
            .filter_map(|key| key.chars().next())
            .map(u32::from)
            .collect();
        chars.sort_unstable();
        chars
    };
    Ok((only(&ts, &st), only(&st, &ts)))
}
