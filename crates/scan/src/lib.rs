//! # volact-scan
//!
//! Finding and explaining activation evidence in logs, `slmgr` output and pasted text: every
//! activation-relevant code with its file, line, column and context, `slmgr /dli`, `/dlv`,
//! `/xpr` and `/ato` output (in any language of the label tables) and `ospp.vbs /dstatus` and
//! `/act` output read into license snapshots with a diagnosis, and event text read into typed
//! events. Product keys are redacted everywhere.
//!
//! Inputs are files, directories (walked recursively, filtered with globs), standard input or
//! bytes in memory; UTF-8, UTF-16LE/BE (with or without byte-order mark) and gzip are read
//! transparently, in bounded memory. Files are scanned in parallel; results keep input order.
//!
//! ## Where to make a change
//!
//! - **A new slmgr finding**: one variant of [`slmgr::Diagnosis`] with its facts and its id and
//!   level (`slmgr/diagnose.rs`, plus the rule that yields it there), one phrase pair in
//!   [`phrases::diagnosis`], one test in `slmgr/tests.rs`. Every format shows it; the JSON gets
//!   its `kind`, `severity`, `code`, `message` and `facts`.
//! - **A new slmgr line or label**: one row in the `PRODUCT`, `CLIENT`, `HOST` or `AD` table of
//!   `slmgr/rows.rs` and a field in `slmgr/model.rs`; its key in `KEYS` (`slmgr/labels.rs`) and
//!   its words, with their source, in each `crates/scan/labels/<tag>.tsv`; a line that opens a
//!   snapshot on its own goes in `is_strong`, a new `/xpr` sentence in `is_xpr`/`xpr_state`.
//!   **A new slmgr language**: one table file, one entry in `TABLES`, one `language!` test line
//!   (`slmgr/tests_lang.rs`).
//! - **A new input layout** (an encoding, a container): `input.rs` opens inputs (gzip by magic
//!   number) and hands bytes to `volact_core::text::Pieces` (encodings, long-line cutting);
//!   structured text other than slmgr and events needs a keyword in `engine/filter.rs` (so its
//!   blocks reach the parsers) and a parser fed beside `SlmgrParser` in `engine/mod.rs`.
//! - **A new label or sentence**: `phrases.rs` only; **a new output format**: a file in
//!   `render/` over [`ScanReport`], with `volact_core::out` for escaping and line ends.
//!
//! ```
//! use volact_scan::{Options, scan_str};
//! use volact_core::Lang;
//!
//! let scan = scan_str("pasted", "Error: 0xC004F074 on line one\n", &Options::default());
//! let report = scan.report(Lang::En);
//! assert_eq!(report.summary[0].code.to_string(), "0xC004F074");
//! assert_eq!((report.matches[0].m.place.line, report.matches[0].m.place.column), (1, 8));
//! ```

mod engine;
mod input;
mod options;
pub mod phrases;
pub mod render;
pub mod report;
pub mod slmgr;
mod structured;

pub use input::{scan, scan_bytes, scan_read, scan_str};
pub use options::{Options, Progress, ScanError, Source};
pub use report::{
    CodeSummary, EventOut, EventProblemOut, InputReport, Match, MatchOut, Place, SCHEMA_VERSION,
    Scan, ScanReport, SkipReason, SnapshotOut, Status, Totals, Verdict,
};
