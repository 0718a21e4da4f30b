//! # volact-events
//!
//! Reading KMS client and host event logs (.evtx, XML exports, text) into reports.
//!
//! One event model ([`volact_core::event`]), several readers:
//!
//! - [`evtx`]: `.evtx` files through the `evtx` crate, skipping chunks without activation
//!   providers before rendering anything, tolerant of wrong checksums and damaged chunks;
//! - [`xml`]: `wevtutil qe … /f:xml` output and Event Viewer "Save as XML", streamed;
//! - text: Event Viewer copies and Info lines via [`volact_core::event::text::TextEventReader`].
//!
//! [`source`] recognises what an input is by its content; [`analyze::Analyzer`] aggregates events
//! in bounded memory into an [`analyze::Report`] (client view: attempts, outcomes, hosts; host
//! view: per-client table, the count the host would have now, clock skew, cloned CMIDs, codes,
//! DNS publishing); [`render`] writes it as text, Markdown, CSV or NDJSON (JSON is its serde form).
//!
//! ```
//! use volact_events::analyze::{Analyzer, Options};
//! use volact_events::source::read_stream;
//!
//! let text = "0xC004F038, 25, pc1.contoso.com, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, 2026/11/24 9:30, 0, 2, 100, 2ffd8952-423e-4903-b993-72a1aa44cf82\n";
//! let mut an = Analyzer::new(Options::default());
//! read_stream("-", text.as_bytes(), &mut an).unwrap();
//! let report = an.report(volact_core::Lang::En);
//! assert_eq!(report.host.unwrap().clients[0].name, "pc1.contoso.com");
//! ```

pub mod analyze;
pub mod decode;
pub mod evtx;
mod fastbin;
pub mod forms;
mod guid;
pub mod phrases;
mod record;
pub mod render;
pub mod source;
pub mod warning;
pub mod xml;

pub use analyze::{Analyzer, Options, Report, ReportFinding};
pub use warning::{BadExample, Warning, WarningKind};
