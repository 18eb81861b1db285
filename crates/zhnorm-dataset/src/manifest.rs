//! `_manifest.json`: what a dataset folder holds, and a check of its shards for `--resume`.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::record::RECORD_SCHEMA;
use crate::shard::{ShardFormat, ShardInfo, sync_dir};

/// The manifest's file name in a dataset folder.
pub const MANIFEST_FILE: &str = "_manifest.json";

/// The identifier of the manifest format.
pub const MANIFEST_SCHEMA: &str = "zhnorm.manifest/1";

/// One input of the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    /// As the user gave it (`-` for standard input).
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// The contents of `_manifest.json`. Its bytes depend only on the run's inputs, options and
/// output: no time stamps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`MANIFEST_SCHEMA`].
    pub manifest: String,
    /// The zhnorm version that wrote the dataset (the caller's package version).
    pub zhnorm_version: String,
    /// The canonical document schema of the `document` column ([`zhnorm_doc::SCHEMA`]).
    pub document_schema: String,
    /// The record schema ([`RECORD_SCHEMA`]).
    pub record_schema: String,
    pub format: ShardFormat,
    /// The options of the run that change its output, by flag name.
    pub options: BTreeMap<String, serde_json::Value>,
    pub inputs: Vec<Input>,
    /// False while the run is going on; true once every shard is listed.
    pub complete: bool,
    pub documents: Vec<ShardInfo>,
    pub redirects: Vec<ShardInfo>,
}

impl Manifest {
    /// An empty manifest of a run writing `format` shards.
    pub fn new(zhnorm_version: impl Into<String>, format: ShardFormat) -> Self {
        Manifest {
            manifest: MANIFEST_SCHEMA.to_owned(),
            zhnorm_version: zhnorm_version.into(),
            document_schema: zhnorm_doc::SCHEMA.to_owned(),
            record_schema: RECORD_SCHEMA.to_owned(),
            format,
            options: BTreeMap::new(),
            inputs: Vec::new(),
            complete: false,
            documents: Vec::new(),
            redirects: Vec::new(),
        }
    }

    /// The manifest as written: pretty JSON ending in a newline.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a manifest serializes");
        json.push('\n');
        json
    }

    /// Writes `dir/_manifest.json` atomically: to a temporary file, synced, then renamed.
    pub fn write(&self, dir: &Path) -> Result<()> {
        write_atomically(&dir.join(MANIFEST_FILE), self.to_json().as_bytes())
    }

    /// Reads `dir/_manifest.json`; `Ok(None)` when there is none.
    pub fn read(dir: &Path) -> Result<Option<Self>> {
        let path = dir.join(MANIFEST_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| Error::Manifest {
            path: path.clone(),
            message: format!("not a zhnorm manifest: {e}"),
        })?;
        if manifest.manifest != MANIFEST_SCHEMA {
            return Err(Error::Manifest {
                path,
                message: format!(
                    "manifest format `{}`, expected `{MANIFEST_SCHEMA}`",
                    manifest.manifest
                ),
            });
        }
        Ok(Some(manifest))
    }

    /// Checks every listed shard in `dir`: present, of the listed size, with the listed SHA-256.
    pub fn verify(&self, dir: &Path) -> Result<Verification> {
        let check = |shards: &[ShardInfo]| -> Result<Vec<ShardCheck>> {
            shards
                .iter()
                .map(|shard| {
                    Ok(ShardCheck {
                        file: shard.file.clone(),
                        state: check_shard(dir, shard)?,
                    })
                })
                .collect()
        };
        Ok(Verification {
            documents: check(&self.documents)?,
            redirects: check(&self.redirects)?,
        })
    }
}

/// What [`Manifest::verify`] found for one shard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShardState {
    Ok,
    Missing,
    /// The file has another size than listed (a shard cut short).
    WrongSize {
        bytes: u64,
    },
    /// The file has the listed size but other contents.
    WrongHash {
        sha256: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardCheck {
    pub file: String,
    pub state: ShardState,
}

/// The result of [`Manifest::verify`], in the manifest's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub documents: Vec<ShardCheck>,
    pub redirects: Vec<ShardCheck>,
}

impl Verification {
    /// True when every listed shard is whole.
    pub fn is_ok(&self) -> bool {
        self.documents
            .iter()
            .chain(&self.redirects)
            .all(|c| c.state == ShardState::Ok)
    }

    /// How many shards of each set, from the first, are whole: a resumed run keeps these
    /// (`documents[..n]`) and writes again from there.
    pub fn whole_prefix(&self) -> (usize, usize) {
        let prefix = |checks: &[ShardCheck]| {
            checks
                .iter()
                .take_while(|c| c.state == ShardState::Ok)
                .count()
        };
        (prefix(&self.documents), prefix(&self.redirects))
    }

    /// The shards that are not whole, with what is wrong, for a message.
    pub fn problems(&self) -> Vec<&ShardCheck> {
        self.documents
            .iter()
            .chain(&self.redirects)
            .filter(|c| c.state != ShardState::Ok)
            .collect()
    }
}

fn check_shard(dir: &Path, shard: &ShardInfo) -> Result<ShardState> {
    let path = dir.join(&shard.file);
    let mut file = match File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(ShardState::Missing),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let bytes = file.metadata().map_err(|e| Error::io(&path, e))?.len();
    if bytes != shard.bytes {
        return Ok(ShardState::WrongSize { bytes });
    }
    let sha256 = sha256_of(&mut file).map_err(|e| Error::io(&path, e))?;
    Ok(if sha256 == shard.sha256 {
        ShardState::Ok
    } else {
        ShardState::WrongHash { sha256 }
    })
}

/// Lower-case hex SHA-256 of everything `reader` yields.
pub fn sha256_of(reader: &mut impl Read) -> io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 1 << 20];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
    }
    Ok(format!("{:x}", hasher.finalize()))
}

/// Writes `path` atomically: to `.<name>.tmp` beside it, synced, renamed, and the folder synced.
/// Files beside the shards (the manifest, a run's report) are written this way.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    let mut file = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| Error::io(path, e))?;
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => sync_dir(dir),
        _ => Ok(()),
    }
}
