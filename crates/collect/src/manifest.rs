//! The manifest of a bundle (`manifest.json`): what ran, how it ended, which files it produced.

use serde::{Deserialize, Serialize};

/// The value of [`Manifest::format`].
pub const FORMAT: &str = "volact-bundle";
/// The newest bundle format this build writes and reads. Readers refuse newer versions.
pub const FORMAT_VERSION: u32 = 1;
/// The name of the manifest inside the zip.
pub const MANIFEST_NAME: &str = "manifest.json";

/// Everything `volact collect` did.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] of the writer.
    pub format_version: u32,
    /// The volact version that wrote it.
    pub volact_version: String,
    /// When collection started (RFC 3339, UTC).
    pub created_utc: String,
    /// Where the data came from: `windows` for a live machine, `recorded: <description>` for a
    /// recording replayed with `--replay`.
    pub source: String,
    /// Always true: product keys were masked to their last five characters before writing.
    pub keys_redacted_before_writing: bool,
    /// How many key-shaped strings were masked, over all files.
    pub keys_redacted: usize,
    /// One record per collector, in the order they ran.
    pub steps: Vec<StepRecord>,
}

/// How a step ended.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    /// It ran and produced its files.
    Ok,
    /// It ran, or tried to, and failed; `error` says why. Files it produced are kept.
    Failed,
    /// It does not apply to this machine (e.g. no Key Management Service log on a client).
    NotApplicable,
}

/// One collector's run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StepRecord {
    /// Stable identifier (`slmgr-dlv`, `events-application`, `registry`, ...).
    pub id: String,
    /// What ran, as a command line or a description of the API calls.
    pub command: String,
    /// How it ended.
    pub status: StepStatus,
    /// The program's exit code, when a program ran and ended by itself.
    pub exit_code: Option<i32>,
    /// When it started (RFC 3339, UTC).
    pub started_utc: String,
    /// How long it took, in milliseconds.
    pub duration_ms: u64,
    /// Files it added to the bundle.
    pub files: Vec<FileRecord>,
    /// What went wrong (redacted).
    pub error: Option<String>,
    /// The start of the program's standard error (redacted, at most 4 KiB).
    pub stderr: Option<String>,
    /// Key-shaped strings masked in this step's files.
    pub keys_redacted: usize,
}

/// A file inside the bundle.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileRecord {
    /// Path inside the zip (`/`-separated).
    pub name: String,
    /// What it holds.
    pub kind: FileKind,
    /// Size in bytes as stored (after redaction; text is UTF-8).
    pub bytes: u64,
    /// For text: the encoding the producing tool wrote, before conversion to UTF-8.
    pub source_encoding: Option<String>,
}

/// The kind of a bundle file, which decides how `analyze` reads it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// Output of `slmgr.vbs /dlv` (UTF-8 text).
    Slmgr,
    /// Other tool output (UTF-8 text): `w32tm`, `ipconfig`.
    Text,
    /// A binary Windows event log.
    Evtx,
    /// An XML event export (`wevtutil qe /f:xml`, Event Viewer's "Save as XML").
    EventXml,
    /// Registry values: [`crate::RegistryDump`] as JSON.
    Registry,
    /// DNS client settings: [`crate::DnsConfig`] as JSON.
    Dns,
    /// Machine identity: [`crate::SystemInfo`] as JSON.
    System,
}

impl FileKind {
    /// Whether the file is text (redacted as text) rather than binary (masked in place).
    pub fn is_text(self) -> bool {
        !matches!(self, FileKind::Evtx)
    }
}
