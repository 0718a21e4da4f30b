//! # volact-collect
//!
//! Gathering a Windows activation evidence bundle (`volact collect`) and analysing one on any OS
//! (`volact analyze`).
//!
//! A bundle is a zip holding `manifest.json` ([`Manifest`]: what ran, exit codes, timings, errors)
//! and the files the steps produced: `slmgr /dlv all` output, the Application log's Security-SPP
//! events and, on a KMS host, the Key Management Service log, the KMS registry values, the DNS
//! client settings, `w32tm /query /status` and `ipconfig /all`. Product keys are masked to their last
//! five characters before anything is written (text through
//! [`volact_core::key::redact_keys_in`], binary logs in place).
//!
//! Collection is split into [`Collector`]s so that the bundle format and the analysis are tested
//! anywhere with [`recorded`] outputs; the real collectors (`windows_collectors`) exist only on
//! Windows.
//!
//! [`analyze`] is offline and combines the other libraries: `volact-scan` over the text files (and
//! its slmgr snapshots and their diagnosis), `volact-events` over the event exports, the registry
//! and DNS settings, and the plan of `volact doctor` checks that would confirm the findings from
//! that machine. Findings ([`FindingKind`]) and planned checks ([`PlannedCheck`]) hold typed facts,
//! no sentences: [`phrases`] writes them in the analysis language when [`render`] writes the report
//! as text, Markdown, NDJSON or CSV, and in its serde form (JSON).
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use volact_collect::{Bundle, Captured, CapturedFile, Collector, Content, FileKind, analyze};
//!
//! struct Fake;
//! impl Collector for Fake {
//!     fn id(&self) -> &str { "slmgr-dlv" }
//!     fn command(&self) -> String { "cscript //nologo slmgr.vbs /dlv all".into() }
//!     fn collect(&self) -> Captured {
//!         Captured {
//!             files: vec![CapturedFile {
//!                 name: "slmgr-dlv.txt".into(),
//!                 kind: FileKind::Slmgr,
//!                 content: Content::Text("Installed product key NPPR9-FWDCX-D2C8J-H872K-2YT43 successfully.\nError: 0xC004F074\n".into(), None),
//!             }],
//!             ..Captured::default()
//!         }
//!     }
//! }
//! let mut zip = std::io::Cursor::new(Vec::new());
//! let path = std::path::Path::new("bundle.zip");
//! let manifest =
//!     volact_collect::collect_into(&[Box::new(Fake)], "example", &mut zip, path, &mut |_| {})?;
//! assert_eq!(manifest.keys_redacted, 1);
//! zip.set_position(0);
//! let bundle = Bundle::read(zip, path)?;
//! assert!(!bundle.files[0].text().contains("NPPR9"));
//! let a = analyze(&bundle, volact_core::Lang::En);
//! assert_eq!(a.codes[0].code.to_string(), "0xC004F074");
//! # Ok(()) }
//! ```

mod analysis;
mod analyze;
mod bundle;
mod check;
mod collector;
mod error;
mod events;
mod finding;
mod manifest;
mod model;
pub mod phrases;
mod process;
mod redact;
#[cfg_attr(not(windows), allow(dead_code))]
mod regdata;
pub mod render;
mod text;
mod time;
mod warning;
#[cfg(windows)]
mod windows;
mod wire;

use std::path::Path;

pub use analysis::{
    Analysis, BundleInfo, CodeSeen, EventLog, KmsSettings, Machine, SCHEMA_VERSION, StepSummary,
    TimeStatus,
};
pub use analyze::{SPP_KEY, analyze, lookup_domains};
pub use bundle::{
    Bundle, BundleFile, BundleWarning, MAX_DIRECTORY, MAX_ENTRIES, MAX_FILE, MAX_JSON_FILE,
    MAX_MANIFEST, MAX_RATIO, MAX_TEXT_FILE, MAX_TOTAL, RATIO_FLOOR, ReadStats, Refusal,
};
pub use check::{CheckReason, CheckTarget, PlannedCheck};
pub use collector::{
    Captured, CapturedFile, Collector, Content, Progress, RecordedCollector, RecordedFile,
    RecordedStep, Recording, collect_into, recorded,
};
pub use error::BundleError;
pub use finding::{Finding, FindingKind};
pub use manifest::{
    FORMAT, FORMAT_VERSION, FileKind, FileRecord, MANIFEST_NAME, Manifest, StepRecord, StepStatus,
};
pub use model::{Adapter, DnsConfig, RegKey, RegValue, RegistryDump, SystemInfo};
pub use process::{MAX_OUTPUT, RunOutput, run as run_command};
pub use text::{Decoded, code_page, decode};
pub use time::file_stamp;
pub use volact_core::finding::Level;
#[cfg(windows)]
pub use windows::collectors as windows_collectors;

/// Runs the collectors and writes the bundle to `path`. The bundle is written to a temporary
/// file beside `path` and renamed when complete, so an interrupted run never leaves a partial
/// bundle under the final name.
///
/// # Errors
/// When the file cannot be created, written or renamed.
pub fn collect_to_file(
    collectors: &[Box<dyn Collector>],
    source: &str,
    path: &Path,
    on_step: &mut dyn FnMut(Progress<'_>),
) -> Result<Manifest, BundleError> {
    let io = |source| BundleError::Io {
        path: path.to_owned(),
        source,
    };
    let name = path
        .file_name()
        .map_or_else(|| "bundle.zip".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let file = std::fs::File::create(&tmp).map_err(io)?;
    let result = collect_into(
        collectors,
        source,
        std::io::BufWriter::new(file),
        path,
        on_step,
    );
    match result {
        Ok(m) => {
            std::fs::rename(&tmp, path).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                io(e)
            })?;
            Ok(m)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}
