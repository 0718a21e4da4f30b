//! The output toolkit every report of volact is written with: CSV ([`csv`]), Markdown escaping
//! ([`md`]), NDJSON ([`ndjson`]), numbers and sizes per language ([`fmt`]) and a document
//! builder that writes the same sections as plain text or Markdown ([`Doc`]).
//!
//! Renderers write into an `io::Write` or `fmt::Write` they are given; nothing here touches a
//! terminal or a file. Product keys are not this module's concern: the front ends pass every byte
//! they write through one redacting writer.

pub mod csv;
mod doc;
pub mod fmt;
pub mod md;
pub mod ndjson;

pub use doc::{Doc, Style};
