//! Renderers of a [`ScanReport`](crate::report::ScanReport): text (optionally with ANSI styles),
//! Markdown, CSV, NDJSON and JSON, with labels in the report's language (from
//! [`crate::phrases`]). Every string in the report was redacted when it was read, so no renderer
//! can print a whole product key.

mod csv;
mod json;
mod markdown;
mod parts;
mod text;

pub use csv::{csv, write_csv};
pub use json::{json, ndjson, write_ndjson};
pub use markdown::markdown;
pub use text::text;
