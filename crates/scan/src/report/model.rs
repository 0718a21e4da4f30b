//! The scan report's model: what every output format (and the HTTP server) renders. Its serde
//! form is the JSON wire format, versioned by [`SCHEMA_VERSION`].

use serde::Serialize;
use volact_core::event::Event;
use volact_core::explain::Coverage;
use volact_core::finding::{Finding, Level};
use volact_core::{ErrorCode, Form, Lang};

pub use crate::engine::rank::Rank;
use crate::phrases;
use crate::slmgr::{Diagnosis, Snapshot};

/// Version of the JSON of [`ScanReport`]. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// A place in an input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    /// The input: a path as given or found while walking a directory, or `<stdin>`.
    pub path: String,
    /// Line, from 1.
    pub line: u64,
    /// Column in characters, from 1.
    pub column: u64,
}

/// One code found in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Match {
    /// Where.
    #[serde(flatten)]
    pub place: Place,
    /// The code.
    pub code: ErrorCode,
    /// How it was written.
    pub form: Form,
    /// The text around it (product keys redacted).
    pub context: String,
}

/// A match with what is known about its code, as reported.
#[derive(Clone, Debug, Serialize)]
pub struct MatchOut {
    /// The match.
    #[serde(flatten)]
    pub m: Match,
    /// Known, named or unknown.
    pub coverage: Coverage,
    /// Symbolic name, when any.
    pub name: Option<&'static str>,
    /// Known, named, in an error context, or other (listed with `--all-codes` only).
    pub rank: Rank,
}

/// Everything about one code over all inputs.
#[derive(Clone, Debug, Serialize)]
pub struct CodeSummary {
    /// The code.
    pub code: ErrorCode,
    /// Symbolic name, when any.
    pub name: Option<&'static str>,
    /// Known (knowledge base), named (name tables) or unknown.
    pub coverage: Coverage,
    /// `success`, `informational`, `failure` or `error`, from the severity bits.
    pub severity: &'static str,
    /// Times seen.
    pub count: u64,
    /// Inputs it was seen in.
    pub files: u64,
    /// First place seen (input order, then line).
    pub first: Place,
    /// Last place seen.
    pub last: Place,
    /// One line: the knowledge base's message, or what the decoding says.
    pub meaning: String,
    /// The best rank of its occurrences; the summary is sorted by it, then by first appearance.
    pub rank: Rank,
}

/// Why an input was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// NUL bytes that are not UTF-16 text (use `--binary` to scan anyway).
    Binary,
    /// A Windows event log file (`.evtx`): `volact events PATH` reads it.
    Evtx,
    /// Not a regular file (device, socket, …).
    NotAFile,
}

/// What happened to an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Read to the end.
    Read,
    /// Not read, on purpose.
    Skipped,
    /// Reading failed (what was read before the failure is still reported).
    Error,
}

/// One input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputReport {
    /// The input.
    pub path: String,
    /// Read, skipped or error.
    pub status: Status,
    /// Why it was skipped.
    pub skip_reason: Option<SkipReason>,
    /// The error, for [`Status::Error`].
    pub error: Option<String>,
    /// Bytes read (after decompression).
    pub bytes: u64,
    /// Encoding used (`UTF-8`, `UTF-16LE`, `UTF-16BE`).
    pub encoding: Option<&'static str>,
    /// Whether it was gzip-compressed.
    pub gzip: bool,
    /// Lines read.
    pub lines: u64,
    /// Codes found.
    pub matches: u64,
    /// Whether invalid byte sequences were replaced while decoding.
    pub replaced: bool,
    /// Values no table knows, outside an error context (handles, flags, hashes): counted here,
    /// listed only with `--all-codes`.
    pub other_values: u64,
}

/// A diagnosis as reported: the language-free finding and its sentence in the report's language.
///
/// Serialised as scan has always written it, `{"kind", "severity", "code", "message"}` (the
/// severity `ok`, `info` or `attention`: [`severity_id`]), plus the typed `facts`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagnosisOut {
    /// What was found, with its facts, level and code.
    pub finding: Finding<Diagnosis>,
    /// One sentence in the report's language.
    pub message: String,
}

impl DiagnosisOut {
    /// `f` worded in `lang`.
    pub fn new(f: Finding<Diagnosis>, lang: Lang) -> DiagnosisOut {
        let message = phrases::diagnosis(&f.kind, lang);
        DiagnosisOut {
            finding: f,
            message,
        }
    }

    /// The stable identifier of the finding (`licensed`, `kms-count-below-threshold`, …).
    pub fn kind(&self) -> &'static str {
        self.finding.id()
    }

    /// How much it matters.
    pub fn level(&self) -> Level {
        self.finding.level
    }

    /// The code this state produces or was caused by, when there is one.
    pub fn code(&self) -> Option<ErrorCode> {
        self.finding.codes.first().copied()
    }
}

/// The word scan's reports use for a level: `ok`, `info`, or `attention` (warnings and errors).
pub fn severity_id(l: Level) -> &'static str {
    match l {
        Level::Ok => "ok",
        Level::Info => "info",
        Level::Warning | Level::Error => "attention",
    }
}

impl Serialize for DiagnosisOut {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Diagnosis", 6)?;
        st.serialize_field("kind", self.kind())?;
        st.serialize_field("severity", severity_id(self.level()))?;
        st.serialize_field("code", &self.code())?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("facts", &self.finding.kind)?;
        // The commands it recommends with their marks from the commands table (an addition).
        let marked = self.finding.kind.marked();
        if marked.is_empty() {
            st.skip_field("commands")?;
        } else {
            st.serialize_field("commands", &marked)?;
        }
        st.end()
    }
}

/// A snapshot with the input it came from and its diagnosis.
#[derive(Clone, Debug, Serialize)]
pub struct SnapshotOut {
    /// The input.
    pub path: String,
    /// The parsed snapshot.
    #[serde(flatten)]
    pub snapshot: Snapshot,
    /// What it means.
    pub diagnosis: Vec<DiagnosisOut>,
}

/// An event read from event text.
#[derive(Clone, Debug, Serialize)]
pub struct EventOut {
    /// The input.
    pub path: String,
    /// Line where the event's text starts.
    pub line: u64,
    /// The typed event, as `volact_core::event` serialises it.
    pub event: Event,
}

/// Text that looked like an activation event but could not be read.
#[derive(Clone, Debug, Serialize)]
pub struct EventProblemOut {
    /// The input.
    pub path: String,
    /// Line where the event's text starts.
    pub line: u64,
    /// Event ID, when it was seen.
    pub id: Option<u32>,
    /// What was wrong (English, from `volact_core::event::text`).
    pub reason: String,
    /// What was wrong, as a stable `kind` with its details (serialised beside `reason`).
    #[serde(flatten)]
    pub kind: volact_core::event::text::TextProblemKind,
}

impl EventProblemOut {
    /// What was wrong, in `lang`.
    pub fn message(&self, lang: volact_core::Lang) -> String {
        self.kind.message(self.id, lang)
    }
}

/// Totals over all inputs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Inputs given or found.
    pub inputs: u64,
    /// Inputs read.
    pub read: u64,
    /// Inputs skipped.
    pub skipped: u64,
    /// Inputs that failed.
    pub errors: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Lines read.
    pub lines: u64,
    /// Codes found (all of them, also beyond the detail limit).
    pub matches: u64,
    /// Distinct codes.
    pub distinct_codes: u64,
    /// slmgr snapshots.
    pub snapshots: u64,
    /// Events.
    pub events: u64,
    /// Pieces of event text that could not be read.
    pub event_problems: u64,
    /// Values no table knows, outside an error context: how many (listed only with
    /// `--all-codes`, counted always).
    pub other_values: u64,
    /// Lines holding such values.
    pub other_lines: u64,
    /// Windows event log files (`.evtx`) skipped: `volact events PATH` reads them.
    pub evtx_skipped: u64,
}

/// The whole answer of `volact scan`.
#[derive(Clone, Debug, Serialize)]
pub struct ScanReport {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The language of the texts.
    pub lang: Lang,
    /// One entry per distinct code: known codes first, then named ones, then unknown failures in
    /// an error context, then (with `--all-codes`) the other values; each in order of first
    /// appearance.
    pub summary: Vec<CodeSummary>,
    /// Every match, in the summary's rank order, then in input order (at most the detail limit,
    /// filled rank by rank, so that no value of a lower rank takes the place of a known code).
    pub matches: Vec<MatchOut>,
    /// Whether matches beyond the detail limit were left out of `matches` (they are counted).
    pub matches_truncated: bool,
    /// slmgr snapshots, with diagnosis.
    pub snapshots: Vec<SnapshotOut>,
    /// Events read from event text.
    pub events: Vec<EventOut>,
    /// Event text that could not be read (at most 100 per input are listed; all are counted in
    /// `totals.event_problems`).
    pub event_problems: Vec<EventProblemOut>,
    /// Every input, in order.
    pub inputs: Vec<InputReport>,
    /// Totals.
    pub totals: Totals,
}

/// Whether something in the report needs attention (exit code 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Evidence found, all explained, nothing failing.
    Ok,
    /// Unknown or unexplained failure codes, a failing diagnosis, or event log files that
    /// `volact events` has to read.
    Attention,
    /// Nothing found.
    NothingFound,
    /// An input could not be read.
    IoError,
}

impl ScanReport {
    /// The verdict for the exit code: I/O errors first, then nothing found, then attention.
    /// Values listed only because of `--all-codes` change neither; skipped event logs
    /// (`.evtx`) need attention.
    pub fn verdict(&self) -> Verdict {
        if self.totals.errors > 0 {
            return Verdict::IoError;
        }
        let evtx = self.totals.evtx_skipped > 0;
        let listed = self.summary.iter().filter(|c| c.rank.listed());
        if listed.clone().next().is_none()
            && self.snapshots.is_empty()
            && self.events.is_empty()
            && !evtx
        {
            return Verdict::NothingFound;
        }
        let code_attention = listed
            .clone()
            .any(|c| c.coverage != Coverage::Known && matches!(c.severity, "failure" | "error"));
        let diag_attention = self
            .snapshots
            .iter()
            .flat_map(|s| &s.diagnosis)
            .any(|d| d.level().needs_attention());
        if code_attention || diag_attention || evtx {
            Verdict::Attention
        } else {
            Verdict::Ok
        }
    }
}
