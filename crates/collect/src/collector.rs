//! The [`Collector`] trait, the run that turns collectors into a bundle, and recorded collectors
//! that replay outputs captured on a real machine.

use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use serde::Deserialize;

use crate::bundle::BundleWriter;
use crate::error::BundleError;
use crate::manifest::{FileKind, FileRecord, Manifest, StepRecord, StepStatus};
use crate::redact;

/// Most bytes of standard error kept in the manifest.
const MAX_STDERR: usize = 4096;

/// One source of evidence: a command to run, a log to export, registry keys to read.
///
/// Implementations must not change anything on the machine. The real ones live in
/// `crate::windows` (Windows only); [`RecordedCollector`] replays captured outputs anywhere.
pub trait Collector {
    /// Stable identifier used in the manifest (`slmgr-dlv`).
    fn id(&self) -> &str;
    /// What runs, for the manifest: a command line or a description of the API calls.
    fn command(&self) -> String;
    /// Gathers the evidence. Errors are recorded in the manifest; they never stop the other steps.
    fn collect(&self) -> Captured;
}

/// What a collector produced.
#[derive(Debug, Clone, Default)]
pub struct Captured {
    /// How it ended.
    pub status: Option<StepStatus>,
    /// The program's exit code, when one ran and ended by itself.
    pub exit_code: Option<i32>,
    /// Files for the bundle (not yet redacted).
    pub files: Vec<CapturedFile>,
    /// What went wrong.
    pub error: Option<String>,
    /// The program's standard error, if any.
    pub stderr: Option<String>,
}

impl Captured {
    /// A step that failed before producing anything.
    pub fn failed(error: impl Into<String>) -> Self {
        Captured {
            status: Some(StepStatus::Failed),
            error: Some(error.into()),
            ..Captured::default()
        }
    }
}

/// One file a collector produced.
#[derive(Debug, Clone)]
pub struct CapturedFile {
    /// Path inside the bundle.
    pub name: String,
    /// What it holds.
    pub kind: FileKind,
    /// The content.
    pub content: Content,
}

/// File content: text (already decoded to UTF-8) or binary.
#[derive(Debug, Clone)]
pub enum Content {
    /// Text, and the encoding it was decoded from.
    Text(String, Option<&'static str>),
    /// Binary data.
    Binary(Vec<u8>),
}

/// Runs every collector in order and writes the bundle into `out`. Keys are redacted in every file,
/// error message and standard-error excerpt before it reaches the writer. `on_step` is called
/// before each step with its index and id, and after it with its record (for progress output).
///
/// # Errors
/// Only when writing fails; a collector's failure is recorded in the manifest instead.
pub fn collect_into<W: Write + Seek>(
    collectors: &[Box<dyn Collector>],
    source: &str,
    out: W,
    out_path: &Path,
    on_step: &mut dyn FnMut(Progress<'_>),
) -> Result<Manifest, BundleError> {
    let mut writer = BundleWriter::new(out, out_path);
    let mut manifest = Manifest {
        format: crate::manifest::FORMAT.into(),
        format_version: crate::manifest::FORMAT_VERSION,
        volact_version: env!("CARGO_PKG_VERSION").into(),
        created_utc: crate::time::rfc3339(SystemTime::now()),
        source: redact::redact_text(source).0,
        keys_redacted_before_writing: true,
        keys_redacted: 0,
        steps: Vec::new(),
    };
    for (i, c) in collectors.iter().enumerate() {
        on_step(Progress::Starting {
            index: i,
            total: collectors.len(),
            id: c.id(),
        });
        let started_utc = crate::time::rfc3339(SystemTime::now());
        let t0 = Instant::now();
        let captured = c.collect();
        let duration_ms = u64::try_from(t0.elapsed().as_millis()).unwrap_or(u64::MAX);
        let mut keys = 0;
        let mut files = Vec::new();
        for f in captured.files {
            let (bytes, source_encoding) = match f.content {
                Content::Text(t, enc) => {
                    let (t, n) = redact::redact_text(&t);
                    keys += n;
                    (t.into_bytes(), enc.map(str::to_owned))
                }
                Content::Binary(mut b) => {
                    keys += redact::redact_bytes(&mut b);
                    (b, None)
                }
            };
            writer.add(&f.name, &bytes)?;
            files.push(FileRecord {
                name: f.name,
                kind: f.kind,
                bytes: bytes.len() as u64,
                source_encoding,
            });
        }
        let clean = |s: Option<String>, max: usize| {
            s.map(|s| {
                let (mut s, _) = redact::redact_text(s.trim());
                if s.len() > max {
                    let mut cut = max;
                    while !s.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    s.truncate(cut);
                    s.push_str(" [...]");
                }
                s
            })
            .filter(|s| !s.is_empty())
        };
        let error = clean(captured.error, 16 * 1024);
        let status = captured.status.unwrap_or(if error.is_some() {
            StepStatus::Failed
        } else {
            StepStatus::Ok
        });
        manifest.keys_redacted += keys;
        manifest.steps.push(StepRecord {
            id: c.id().to_owned(),
            command: redact::redact_text(&c.command()).0,
            status,
            exit_code: captured.exit_code,
            started_utc,
            duration_ms,
            files,
            error,
            stderr: clean(captured.stderr, MAX_STDERR),
            keys_redacted: keys,
        });
        if let Some(r) = manifest.steps.last() {
            on_step(Progress::Done(r));
        }
    }
    writer.finish(&manifest)?;
    Ok(manifest)
}

/// Where a collection run is, for progress output.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// A step is about to run.
    Starting {
        /// 0-based position.
        index: usize,
        /// Number of steps.
        total: usize,
        /// Its id.
        id: &'a str,
    },
    /// A step has finished.
    Done(&'a StepRecord),
}

/// A recording: outputs captured on a real machine, replayed by [`RecordedCollector`]s
/// (`recording.json` in a directory beside the files it names).
#[derive(Debug, Clone, Deserialize)]
pub struct Recording {
    /// What machine this was, for the manifest's `source`.
    pub description: String,
    /// The steps, in order.
    pub steps: Vec<RecordedStep>,
}

/// One recorded step.
#[derive(Debug, Clone, Deserialize)]
pub struct RecordedStep {
    /// Collector id.
    pub id: String,
    /// The command that ran.
    pub command: String,
    /// How it ended (default: ok, or failed when `error` is set).
    #[serde(default)]
    pub status: Option<StepStatus>,
    /// Exit code.
    #[serde(default)]
    pub exit_code: Option<i32>,
    /// Error message.
    #[serde(default)]
    pub error: Option<String>,
    /// Standard error.
    #[serde(default)]
    pub stderr: Option<String>,
    /// Files: name in the bundle, file in the recording directory, kind.
    #[serde(default)]
    pub files: Vec<RecordedFile>,
}

/// One recorded file.
#[derive(Debug, Clone, Deserialize)]
pub struct RecordedFile {
    /// Path inside the bundle.
    pub name: String,
    /// File in the recording directory, as the tool wrote it (any encoding for text).
    pub path: String,
    /// What it holds.
    pub kind: FileKind,
}

/// Replays one recorded step: reads the files as captured (UTF-16, code pages and all) and
/// returns them exactly as a live collector would.
#[derive(Debug, Clone)]
pub struct RecordedCollector {
    dir: PathBuf,
    step: RecordedStep,
}

impl Collector for RecordedCollector {
    fn id(&self) -> &str {
        &self.step.id
    }

    fn command(&self) -> String {
        self.step.command.clone()
    }

    fn collect(&self) -> Captured {
        let mut c = Captured {
            status: self.step.status,
            exit_code: self.step.exit_code,
            error: self.step.error.clone(),
            stderr: self.step.stderr.clone(),
            files: Vec::new(),
        };
        for f in &self.step.files {
            let path = self.dir.join(&f.path);
            match std::fs::read(&path) {
                Ok(bytes) => {
                    let content = if f.kind.is_text() {
                        let d = crate::text::decode(&bytes, None);
                        Content::Text(d.text, Some(d.encoding))
                    } else {
                        Content::Binary(bytes)
                    };
                    c.files.push(CapturedFile {
                        name: f.name.clone(),
                        kind: f.kind,
                        content,
                    });
                }
                Err(e) => {
                    c.status = Some(StepStatus::Failed);
                    c.error = Some(format!("{}: {e}", path.display()));
                }
            }
        }
        c
    }
}

/// Loads `dir/recording.json` and returns its description and one collector per step.
///
/// # Errors
/// When the file is missing or malformed, or names a file outside the directory.
pub fn recorded(dir: &Path) -> Result<(String, Vec<Box<dyn Collector>>), BundleError> {
    let path = dir.join("recording.json");
    let text = std::fs::read_to_string(&path).map_err(|source| BundleError::Io {
        path: path.clone(),
        source,
    })?;
    let rec: Recording = serde_json::from_str(&text).map_err(|e| BundleError::BadRecording {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    let mut out: Vec<Box<dyn Collector>> = Vec::new();
    for step in rec.steps {
        for f in &step.files {
            let p = Path::new(&f.path);
            if p.is_absolute() || p.components().any(|c| c.as_os_str() == "..") {
                return Err(BundleError::BadRecording {
                    path: path.clone(),
                    reason: format!("step {}: file {} is outside the recording", step.id, f.path),
                });
            }
        }
        out.push(Box::new(RecordedCollector {
            dir: dir.to_owned(),
            step,
        }));
    }
    Ok((format!("recorded: {}", rec.description), out))
}
