//! Writing and reading the bundle: a zip with `manifest.json` and the files its steps name.
//!
//! Reading is bounded: at most [`MAX_ENTRIES`] entries, [`MAX_FILE`] bytes per file and
//! [`MAX_TOTAL`] bytes in all, whatever the zip headers claim. Nothing is extracted to disk.

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use serde::Serialize;
use volact_core::Lang;

use crate::error::BundleError;
use crate::manifest::{FORMAT, FORMAT_VERSION, FileKind, MANIFEST_NAME, Manifest};
use crate::redact;

/// Most entries read from a bundle.
pub const MAX_ENTRIES: usize = 1000;
/// Most bytes read from one file of a bundle.
pub const MAX_FILE: u64 = 128 * 1024 * 1024;
/// Most bytes read from a whole bundle.
pub const MAX_TOTAL: u64 = 512 * 1024 * 1024;

/// Writes bundle files into a zip, deflate-compressed.
pub(crate) struct BundleWriter<W: Write + Seek> {
    zip: ZipWriter<W>,
    path: PathBuf,
}

impl<W: Write + Seek> BundleWriter<W> {
    pub(crate) fn new(out: W, path: &Path) -> Self {
        BundleWriter {
            zip: ZipWriter::new(out),
            path: path.to_owned(),
        }
    }

    fn options() -> SimpleFileOptions {
        SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .unix_permissions(0o644)
    }

    fn zip_err(&self, source: zip::result::ZipError) -> BundleError {
        BundleError::Zip {
            path: self.path.clone(),
            source,
        }
    }

    /// Adds one file. The caller has redacted it.
    pub(crate) fn add(&mut self, name: &str, bytes: &[u8]) -> Result<(), BundleError> {
        self.zip
            .start_file(name, Self::options())
            .map_err(|e| self.zip_err(e))?;
        self.zip.write_all(bytes).map_err(|source| BundleError::Io {
            path: self.path.clone(),
            source,
        })
    }

    /// Writes the manifest and the zip directory.
    pub(crate) fn finish(mut self, manifest: &Manifest) -> Result<(), BundleError> {
        let mut json = serde_json::to_vec_pretty(manifest).unwrap_or_default();
        json.push(b'\n');
        self.add(MANIFEST_NAME, &json)?;
        let path = self.path.clone();
        let mut out = self.zip.finish().map_err(|source| BundleError::Zip {
            path: path.clone(),
            source,
        })?;
        // Buffered writers report their last write error only here.
        out.flush()
            .map_err(|source| BundleError::Io { path, source })?;
        Ok(())
    }
}

/// A bundle read into memory.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
    /// Files named by the manifest that could be read, in manifest order.
    pub files: Vec<BundleFile>,
    /// Problems met while reading (missing or oversized files), to show with the analysis, in
    /// English.
    pub warnings: Vec<String>,
    /// The same problems, typed (renderers write them in the report's language).
    pub warning_details: Vec<BundleWarning>,
}

/// A problem met while reading a bundle. Serialised with a stable `kind` (snake case) and its
/// details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum BundleWarning {
    /// Product keys were found unredacted in a file and masked.
    KeysMasked {
        /// The file in the bundle.
        file: String,
        /// How many, when counted.
        count: Option<usize>,
    },
    /// The manifest lists a file the zip does not hold.
    Missing {
        /// The file in the bundle.
        file: String,
        /// The step that listed it.
        step: String,
    },
    /// A file could not be read and was skipped (`error` is in English).
    Skipped {
        /// The file in the bundle.
        file: String,
        /// Why.
        error: String,
    },
    /// A JSON file is not valid JSON and was ignored.
    NotJson {
        /// The file in the bundle.
        file: String,
    },
}

impl BundleWarning {
    /// The problem as a sentence in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (
                Self::KeysMasked {
                    file,
                    count: Some(n),
                },
                Lang::En,
            ) => {
                format!("{file}: {n} unredacted product key(s) found and masked")
            }
            (
                Self::KeysMasked {
                    file,
                    count: Some(n),
                },
                Lang::ZhTw,
            ) => {
                format!("{file}：發現 {n} 組未遮蔽的產品金鑰，已遮蔽")
            }
            (Self::KeysMasked { file, count: None }, Lang::En) => {
                format!("{file}: unredacted product key(s) found and masked")
            }
            (Self::KeysMasked { file, count: None }, Lang::ZhTw) => {
                format!("{file}：發現未遮蔽的產品金鑰，已遮蔽")
            }
            (Self::Missing { file, step }, Lang::En) => {
                format!("{file}: listed by step {step} but missing from the zip")
            }
            (Self::Missing { file, step }, Lang::ZhTw) => {
                format!("{file}：收集步驟 {step} 列出了此檔案，但 zip 中沒有")
            }
            (Self::Skipped { file, error }, Lang::En) => format!("{file}: skipped: {error}"),
            (Self::Skipped { file, error }, Lang::ZhTw) => {
                format!("{file}：已略過（{error}）")
            }
            (Self::NotJson { file }, Lang::En) => format!("{file}: not valid JSON; ignored"),
            (Self::NotJson { file }, Lang::ZhTw) => {
                format!("{file}：不是有效的 JSON，已忽略")
            }
        }
    }
}

/// One file of a bundle.
#[derive(Debug, Clone)]
pub struct BundleFile {
    /// Path inside the zip.
    pub name: String,
    /// The step that produced it.
    pub step: String,
    /// What it holds.
    pub kind: FileKind,
    /// The content (redacted again on reading, in case another tool wrote the bundle).
    pub data: Vec<u8>,
}

impl BundleFile {
    /// The content as text (lossy for invalid UTF-8).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.data)
    }
}

impl Bundle {
    /// Opens and reads a bundle file.
    ///
    /// # Errors
    /// When the file cannot be read, is not a zip, has no valid manifest, or is of a newer format.
    pub fn open(path: &Path) -> Result<Bundle, BundleError> {
        let f = std::fs::File::open(path).map_err(|source| BundleError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::read(std::io::BufReader::new(f), path)
    }

    /// Reads a bundle from any seekable reader; `path` is only used in messages.
    ///
    /// # Errors
    /// As [`Bundle::open`].
    pub fn read<R: Read + Seek>(reader: R, path: &Path) -> Result<Bundle, BundleError> {
        let zip_err = |source| BundleError::Zip {
            path: path.to_owned(),
            source,
        };
        let not = |reason: String| BundleError::NotABundle {
            path: path.to_owned(),
            reason,
        };
        let mut zip = ZipArchive::new(reader).map_err(zip_err)?;
        if zip.len() > MAX_ENTRIES {
            return Err(not(format!(
                "{} entries (more than {MAX_ENTRIES})",
                zip.len()
            )));
        }
        let mut total = 0u64;
        let manifest_bytes = match read_entry(&mut zip, MANIFEST_NAME, 4 * 1024 * 1024) {
            Ok(Some(b)) => b,
            Ok(None) => return Err(not(format!("no {MANIFEST_NAME} inside"))),
            Err(e) => return Err(not(format!("{MANIFEST_NAME}: {e}"))),
        };
        total += manifest_bytes.len() as u64;
        let value: serde_json::Value = serde_json::from_slice(&manifest_bytes)
            .map_err(|e| not(format!("{MANIFEST_NAME} is not JSON: {e}")))?;
        if value.get("format").and_then(|v| v.as_str()) != Some(FORMAT) {
            return Err(not(format!(
                "{MANIFEST_NAME} has no \"format\": \"{FORMAT}\""
            )));
        }
        let found = value
            .get("format_version")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        if found > u64::from(FORMAT_VERSION) {
            return Err(BundleError::NewerFormat {
                path: path.to_owned(),
                found: u32::try_from(found).unwrap_or(u32::MAX),
                supported: FORMAT_VERSION,
            });
        }
        let manifest: Manifest = serde_json::from_value(value)
            .map_err(|e| not(format!("{MANIFEST_NAME} is malformed: {e}")))?;
        let mut files = Vec::new();
        let mut warnings = Vec::new();
        for step in &manifest.steps {
            for rec in &step.files {
                let budget = MAX_FILE.min(MAX_TOTAL.saturating_sub(total));
                match read_entry(&mut zip, &rec.name, budget) {
                    Ok(Some(mut data)) => {
                        total += data.len() as u64;
                        if rec.kind.is_text() {
                            let (t, n) = redact::redact_text(&String::from_utf8_lossy(&data));
                            if n > 0 {
                                warnings.push(BundleWarning::KeysMasked {
                                    file: rec.name.clone(),
                                    count: Some(n),
                                });
                                data = t.into_bytes();
                            }
                        } else if redact::redact_bytes(&mut data) > 0 {
                            warnings.push(BundleWarning::KeysMasked {
                                file: rec.name.clone(),
                                count: None,
                            });
                        }
                        files.push(BundleFile {
                            name: rec.name.clone(),
                            step: step.id.clone(),
                            kind: rec.kind,
                            data,
                        });
                    }
                    Ok(None) => warnings.push(BundleWarning::Missing {
                        file: rec.name.clone(),
                        step: step.id.clone(),
                    }),
                    Err(e) => warnings.push(BundleWarning::Skipped {
                        file: rec.name.clone(),
                        error: e,
                    }),
                }
            }
        }
        Ok(Bundle {
            path: path.to_owned(),
            manifest,
            files,
            warnings: warnings.iter().map(|w| w.message(Lang::En)).collect(),
            warning_details: warnings,
        })
    }

    /// The first file of a kind.
    pub fn file(&self, kind: FileKind) -> Option<&BundleFile> {
        self.files.iter().find(|f| f.kind == kind)
    }

    /// All files of a kind.
    pub fn files_of(&self, kind: FileKind) -> impl Iterator<Item = &BundleFile> {
        self.files.iter().filter(move |f| f.kind == kind)
    }
}

/// Reads one entry, refusing more than `limit` bytes whatever the header says.
fn read_entry<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>, String> {
    let mut f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    if f.size() > limit {
        return Err(format!(
            "{} bytes, more than the limit of {limit}",
            f.size()
        ));
    }
    let mut data = Vec::with_capacity(usize::try_from(f.size()).unwrap_or(0).min(1 << 20));
    (&mut f)
        .take(limit + 1)
        .read_to_end(&mut data)
        .map_err(|e| e.to_string())?;
    if data.len() as u64 > limit {
        return Err(format!("more than the limit of {limit} bytes"));
    }
    Ok(Some(data))
}
