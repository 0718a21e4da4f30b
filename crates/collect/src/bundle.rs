//! Writing and reading the bundle: a zip with `manifest.json` and the files its steps name.
//!
//! Reading is bounded whatever the zip headers claim, so a hostile zip (a "zip bomb", a huge
//! directory, archives inside the archive) cannot exhaust memory or time:
//! - the zip's directory is checked before it is parsed: at most [`MAX_ENTRIES`] entries and
//!   [`MAX_DIRECTORY`] bytes;
//! - each member is decompressed through a bounded stream: at most [`MAX_FILE`] bytes for an event
//!   log, [`MAX_TEXT_FILE`] for text, [`MAX_JSON_FILE`] for JSON, and never more than
//!   [`MAX_RATIO`] times its compressed size (once past [`RATIO_FLOOR`]);
//! - at most [`MAX_TOTAL`] bytes are decompressed in all, kept or not;
//! - a member that is itself an archive (zip, gzip, bzip2, xz, zstd, 7-Zip) is not opened.
//!
//! A member that breaks a limit is skipped with the reason ([`BundleWarning::Refused`]); the rest
//! of the bundle is still read. Nothing is extracted to disk. [`ReadStats`] counts what was read,
//! skipped and buffered.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use serde::Serialize;
use volact_core::Lang;

use crate::error::BundleError;
use crate::manifest::{FORMAT, FORMAT_VERSION, FileKind, FileRecord, MANIFEST_NAME, Manifest};
use crate::redact;
pub use crate::warning::{BundleWarning, Refusal};

/// Most entries a bundle's zip may hold.
pub const MAX_ENTRIES: usize = 1000;
/// Most bytes of the zip's central directory (the list of entries).
pub const MAX_DIRECTORY: u64 = 16 * 1024 * 1024;
/// Most bytes read from one event log (`.evtx` or XML) of a bundle.
pub const MAX_FILE: u64 = 32 * 1024 * 1024;
/// Most bytes read from one text or JSON file of a bundle (what `volact collect` keeps of a
/// command's output is 16 MiB).
pub const MAX_TEXT_FILE: u64 = 16 * 1024 * 1024;
/// Most bytes read from one JSON file of a bundle (registry, DNS and machine dumps are a few
/// KiB; parsed JSON takes many times its size in memory).
pub const MAX_JSON_FILE: u64 = 2 * 1024 * 1024;
/// Most bytes decompressed from a whole bundle, counting members that were refused.
pub const MAX_TOTAL: u64 = 64 * 1024 * 1024;
/// Most bytes of `manifest.json`.
pub const MAX_MANIFEST: u64 = 4 * 1024 * 1024;
/// Highest compression ratio accepted for a member once it has expanded past [`RATIO_FLOOR`]
/// (real event logs and tool output stay far below; deflate cannot exceed about 1,030).
pub const MAX_RATIO: u64 = 400;
/// Size below which a member's compression ratio is not judged.
pub const RATIO_FLOOR: u64 = 4 * 1024 * 1024;

/// Bytes decompressed per read.
const READ_BLOCK: usize = 64 * 1024;

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
    /// What was read, skipped and buffered.
    pub stats: ReadStats,
}

/// What reading a bundle did: files read and skipped, bytes decompressed and held.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReadStats {
    /// Entries in the zip.
    pub entries: usize,
    /// Files the manifest lists (each name once).
    pub files_listed: usize,
    /// Files read and kept for the analysis.
    pub files_read: usize,
    /// Files skipped: over a limit, an archive inside the bundle, unreadable, or listed twice.
    pub files_skipped: usize,
    /// Files the manifest lists that the zip does not hold.
    pub files_missing: usize,
    /// Bytes decompressed, kept or not (at most [`MAX_TOTAL`]).
    pub bytes_decompressed: u64,
    /// Bytes of the files kept (by capacity: what they hold in memory).
    pub bytes_kept: u64,
    /// Most bytes held in member buffers at any time while reading (kept files plus the buffer
    /// being filled, by capacity).
    pub peak_buffered: u64,
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
    /// As [`Bundle::open`], and when the zip's directory is larger than a bundle's can be.
    pub fn read<R: Read + Seek>(mut reader: R, path: &Path) -> Result<Bundle, BundleError> {
        // Before the zip library builds its list of entries (memory in proportion to it).
        check_directory(&mut reader, path)?;
        let mut zip = ZipArchive::new(reader).map_err(|source| BundleError::Zip {
            path: path.to_owned(),
            source,
        })?;
        if zip.len() > MAX_ENTRIES {
            return Err(not_a_bundle(
                path,
                format!("{} entries (more than {MAX_ENTRIES})", zip.len()),
            ));
        }
        let mut rd = Reading {
            stats: ReadStats {
                entries: zip.len(),
                ..ReadStats::default()
            },
        };
        let manifest = rd.manifest(&mut zip, path)?;
        let (files, warnings) = rd.files(&mut zip, &manifest);
        Ok(Bundle {
            path: path.to_owned(),
            manifest,
            files,
            warnings: warnings.iter().map(|w| w.message(Lang::En)).collect(),
            warning_details: warnings,
            stats: rd.stats,
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

/// Bytes of text redacted at a time.
const REDACT_PIECE: usize = 1024 * 1024;

/// Masks product keys in a text file piece by piece (pieces end at line breaks), so that a file
/// without keys is not copied at all. `None` when nothing was masked; otherwise the whole text,
/// invalid UTF-8 replaced, with the keys masked, and how many.
fn redact_text_in_pieces(data: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut out: Option<Vec<u8>> = None;
    let mut masked = 0;
    let mut at = 0;
    while at < data.len() {
        let mut end = (at + REDACT_PIECE).min(data.len());
        if end < data.len() {
            // End after a line break (else after white space) in the piece's second half.
            let half = at + REDACT_PIECE / 2;
            end = memrchr_in(&data[half..end], b'\n')
                .or_else(|| data[half..end].iter().rposition(u8::is_ascii_whitespace))
                .map_or(end, |i| half + i + 1);
        }
        let piece = &data[at..end];
        let (t, n) = redact::redact_text(&String::from_utf8_lossy(piece));
        if n > 0 && out.is_none() {
            let mut o = Vec::with_capacity(data.len() + data.len() / 8);
            o.extend_from_slice(String::from_utf8_lossy(&data[..at]).as_bytes());
            out = Some(o);
        }
        if let Some(o) = &mut out {
            o.extend_from_slice(t.as_bytes());
        }
        masked += n;
        at = end;
    }
    out.map(|o| (o, masked))
}

fn memrchr_in(hay: &[u8], b: u8) -> Option<usize> {
    hay.iter().rposition(|x| *x == b)
}

fn not_a_bundle(path: &Path, reason: String) -> BundleError {
    BundleError::NotABundle {
        path: path.to_owned(),
        reason,
    }
}

/// Refuses a zip whose end record claims more entries or a larger directory than a bundle's.
fn check_directory<R: Read + Seek>(reader: &mut R, path: &Path) -> Result<(), BundleError> {
    match directory_size(reader) {
        Ok(Some((entries, _))) if entries > MAX_ENTRIES as u64 => Err(not_a_bundle(
            path,
            format!("{entries} entries (more than {MAX_ENTRIES})"),
        )),
        Ok(Some((_, bytes))) if bytes > MAX_DIRECTORY => Err(not_a_bundle(
            path,
            format!("its list of entries takes {bytes} bytes (more than {MAX_DIRECTORY})"),
        )),
        Ok(_) => Ok(()),
        Err(source) => Err(BundleError::Io {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Why an entry was not read.
enum EntryError {
    /// A limit or an archive inside the archive.
    Refused(Refusal),
    /// The zip library or the stream failed (in English).
    Unreadable(String),
}

impl EntryError {
    fn english(&self) -> String {
        match self {
            Self::Refused(r) => r.message(Lang::En),
            Self::Unreadable(e) => e.clone(),
        }
    }
}

/// The bookkeeping of one bundle read.
struct Reading {
    stats: ReadStats,
}

impl Reading {
    /// Reads and checks `manifest.json`: present, JSON, this format, not a newer version.
    fn manifest<R: Read + Seek>(
        &mut self,
        zip: &mut ZipArchive<R>,
        path: &Path,
    ) -> Result<Manifest, BundleError> {
        let not = |reason: String| not_a_bundle(path, reason);
        let manifest_bytes = match self.entry(zip, MANIFEST_NAME, MAX_MANIFEST) {
            Ok(Some(b)) => b,
            Ok(None) => return Err(not(format!("no {MANIFEST_NAME} inside"))),
            Err(e) => return Err(not(format!("{MANIFEST_NAME}: {}", e.english()))),
        };
        let value: serde_json::Value = serde_json::from_slice(&manifest_bytes)
            .map_err(|e| not(format!("{MANIFEST_NAME} is not JSON: {e}")))?;
        drop(manifest_bytes);
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
        serde_json::from_value(value).map_err(|e| not(format!("{MANIFEST_NAME} is malformed: {e}")))
    }

    /// Reads one listed file into `files`, or says why not in `warnings`.
    fn file<R: Read + Seek>(
        &mut self,
        zip: &mut ZipArchive<R>,
        step: &str,
        rec: &FileRecord,
        files: &mut Vec<BundleFile>,
        warnings: &mut Vec<BundleWarning>,
    ) {
        let limit = match rec.kind {
            FileKind::Evtx | FileKind::EventXml => MAX_FILE,
            FileKind::Registry | FileKind::Dns | FileKind::System => MAX_JSON_FILE,
            FileKind::Slmgr | FileKind::Text => MAX_TEXT_FILE,
        };
        match self.entry(zip, &rec.name, limit) {
            Ok(Some(mut data)) => {
                if rec.kind.is_text() {
                    if let Some((t, n)) = redact_text_in_pieces(&data) {
                        warnings.push(BundleWarning::KeysMasked {
                            file: rec.name.clone(),
                            count: Some(n),
                        });
                        self.note_peak((data.capacity() + t.capacity()) as u64);
                        data = t;
                    }
                } else if redact::redact_bytes(&mut data) > 0 {
                    warnings.push(BundleWarning::KeysMasked {
                        file: rec.name.clone(),
                        count: None,
                    });
                }
                self.stats.files_read += 1;
                self.stats.bytes_kept += data.capacity() as u64;
                files.push(BundleFile {
                    name: rec.name.clone(),
                    step: step.to_owned(),
                    kind: rec.kind,
                    data,
                });
            }
            Ok(None) => {
                self.stats.files_missing += 1;
                warnings.push(BundleWarning::Missing {
                    file: rec.name.clone(),
                    step: step.to_owned(),
                });
            }
            Err(EntryError::Refused(why)) => {
                self.stats.files_skipped += 1;
                warnings.push(BundleWarning::Refused {
                    file: rec.name.clone(),
                    why,
                });
            }
            Err(EntryError::Unreadable(error)) => {
                self.stats.files_skipped += 1;
                warnings.push(BundleWarning::Skipped {
                    file: rec.name.clone(),
                    error,
                });
            }
        }
    }

    /// Reads the files the manifest lists, each once and at most [`MAX_ENTRIES`], masking keys
    /// again; what cannot be read becomes a warning.
    fn files<R: Read + Seek>(
        &mut self,
        zip: &mut ZipArchive<R>,
        manifest: &Manifest,
    ) -> (Vec<BundleFile>, Vec<BundleWarning>) {
        let mut files: Vec<BundleFile> = Vec::new();
        let mut warnings = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut beyond = 0usize;
        for step in &manifest.steps {
            for rec in &step.files {
                if !seen.insert(rec.name.as_str()) {
                    self.stats.files_skipped += 1;
                    warnings.push(BundleWarning::Refused {
                        file: rec.name.clone(),
                        why: Refusal::Duplicate,
                    });
                    continue;
                }
                if seen.len() > MAX_ENTRIES {
                    beyond += 1;
                    continue;
                }
                self.stats.files_listed += 1;
                self.file(zip, &step.id, rec, &mut files, &mut warnings);
            }
        }
        if beyond > 0 {
            self.stats.files_skipped += beyond;
            warnings.push(BundleWarning::TooManyFiles {
                count: beyond,
                limit: MAX_ENTRIES,
            });
        }
        (files, warnings)
    }

    /// Bytes held now: kept files and the buffer being filled.
    fn note_peak(&mut self, current: u64) {
        let now = self.stats.bytes_kept + current;
        self.stats.peak_buffered = self.stats.peak_buffered.max(now);
    }

    /// Reads one entry through a bounded stream: at most `limit` bytes, within what is left of
    /// [`MAX_TOTAL`], and at most [`MAX_RATIO`] times its compressed size. `Ok(None)` when the
    /// zip has no such entry.
    fn entry<R: Read + Seek>(
        &mut self,
        zip: &mut ZipArchive<R>,
        name: &str,
        limit: u64,
    ) -> Result<Option<Vec<u8>>, EntryError> {
        let mut f = match zip.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(EntryError::Unreadable(e.to_string())),
        };
        if f.is_dir() {
            return Ok(None);
        }
        let left = MAX_TOTAL.saturating_sub(self.stats.bytes_decompressed);
        // What the headers claim is only a hint (they may lie): refuse early when it is already
        // too much, and never trust it to size a buffer beyond the limit.
        if f.size() > limit {
            return Err(EntryError::Refused(Refusal::FileLimit { limit }));
        }
        if f.size() > left {
            return Err(EntryError::Refused(Refusal::TotalLimit {
                limit: MAX_TOTAL,
            }));
        }
        let compressed = f.compressed_size().max(1);
        let mut data: Vec<u8> = Vec::new();
        let mut block = vec![0u8; READ_BLOCK];
        let result = loop {
            // Never decompress more than one byte past what may be kept.
            let room = limit.min(left).saturating_sub(data.len() as u64) + 1;
            let want = usize::try_from(room).unwrap_or(READ_BLOCK).min(READ_BLOCK);
            let n = match f.read(&mut block[..want]) {
                Ok(0) => break Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => break Err(EntryError::Unreadable(e.to_string())),
            };
            self.stats.bytes_decompressed += n as u64;
            if data.is_empty()
                && let Some(format) = archive_format(&block[..n])
            {
                break Err(EntryError::Refused(Refusal::NestedArchive { format }));
            }
            let len = (data.len() + n) as u64;
            if len > limit {
                break Err(EntryError::Refused(Refusal::FileLimit { limit }));
            }
            if len > left {
                break Err(EntryError::Refused(Refusal::TotalLimit {
                    limit: MAX_TOTAL,
                }));
            }
            if len > RATIO_FLOOR && len / compressed >= MAX_RATIO {
                break Err(EntryError::Refused(Refusal::Ratio { limit: MAX_RATIO }));
            }
            if data.capacity() - data.len() < n {
                // Grow by a quarter (at least 1 MiB), never past the limit, whatever the header
                // said: the buffer stays within a quarter of what it holds.
                let grow = (data.len() / 4).max(1024 * 1024);
                let cap = usize::try_from(limit).unwrap_or(usize::MAX);
                let want = (data.len() + grow).min(cap).max(data.len() + n);
                data.reserve_exact(want - data.len());
            }
            data.extend_from_slice(&block[..n]);
            self.note_peak((data.capacity() + block.len()) as u64);
        };
        match result {
            Ok(()) => {
                data.shrink_to_fit();
                Ok(Some(data))
            }
            Err(e) => Err(e),
        }
    }
}

/// The archive format a member's first bytes show, if it is one.
fn archive_format(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "zip"),
        (b"PK\x05\x06", "zip"),
        (b"PK\x07\x08", "zip"),
        (b"\x1f\x8b", "gzip"),
        (b"BZh", "bzip2"),
        (b"\xfd7zXZ\x00", "xz"),
        (b"\x28\xb5\x2f\xfd", "zstd"),
        (b"7z\xbc\xaf\x27\x1c", "7z"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| head.starts_with(m))
        .map(|(_, f)| *f)
}

/// The number of entries and the size of the central directory a zip's end record claims
/// (ZIP64 when the classic fields overflow); `None` when no end record is found (the zip
/// library then says what is wrong).
fn directory_size<R: Read + Seek>(r: &mut R) -> std::io::Result<Option<(u64, u64)>> {
    let len = r.seek(SeekFrom::End(0))?;
    let tail_len = len.min(22 + 65_535);
    r.seek(SeekFrom::Start(len - tail_len))?;
    let mut tail = vec![0u8; usize::try_from(tail_len).unwrap_or(0)];
    r.read_exact(&mut tail)?;
    let Some(at) = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| tail[i..].starts_with(b"PK\x05\x06"))
    else {
        r.seek(SeekFrom::Start(0))?;
        return Ok(None);
    };
    let u16_at = |i: usize| u64::from(u16::from_le_bytes([tail[i], tail[i + 1]]));
    let u32_at = |i: usize| {
        u64::from(u32::from_le_bytes([
            tail[i],
            tail[i + 1],
            tail[i + 2],
            tail[i + 3],
        ]))
    };
    let mut entries = u16_at(at + 10);
    let mut bytes = u32_at(at + 12);
    if entries == 0xFFFF || bytes == 0xFFFF_FFFF {
        // The ZIP64 locator sits just before the end record and points at the ZIP64 end record.
        let eocd = len - tail_len + at as u64;
        if eocd >= 20 {
            let mut loc = [0u8; 20];
            r.seek(SeekFrom::Start(eocd - 20))?;
            r.read_exact(&mut loc)?;
            if loc.starts_with(b"PK\x06\x07") {
                let off = u64::from_le_bytes(loc[8..16].try_into().unwrap_or_default());
                let mut rec = [0u8; 56];
                if off.checked_add(56).is_some_and(|e| e <= len) {
                    r.seek(SeekFrom::Start(off))?;
                    r.read_exact(&mut rec)?;
                    if rec.starts_with(b"PK\x06\x06") {
                        entries = u64::from_le_bytes(rec[32..40].try_into().unwrap_or_default());
                        bytes = u64::from_le_bytes(rec[40..48].try_into().unwrap_or_default());
                    }
                }
            }
        }
    }
    r.seek(SeekFrom::Start(0))?;
    Ok(Some((entries, bytes)))
}

#[cfg(test)]
mod tests;
