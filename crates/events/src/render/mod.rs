//! Renderers of a [`Report`]: text, Markdown, CSV and NDJSON, in English or Traditional Chinese.
//! (JSON is the serde form of [`Report`].)
//!
//! Files: `doc` (the walk over the report's sections, on [`volact_core::out::Doc`]), `host` and
//! `client` (their sections), `spp` (the Software Protection events per client), `words` (labels and small formats shared by the renderers), `csv`
//! and `ndjson` (on the toolkit's writers). Finding sentences are in [`crate::phrases`].

use crate::analyze::Report;

mod client;
mod csv;
mod doc;
mod host;
mod ndjson;
mod spp;
#[cfg(test)]
mod tests;
mod words;

pub use csv::{
    attempts_csv, clients_csv, csv, spp_csv, write_attempts_csv, write_clients_csv, write_spp_csv,
};
pub use ndjson::{ndjson, write_ndjson};
pub use words::{TEXT_DAYS, TEXT_ROWS, skew};

use doc::Doc;
use volact_core::out::Style;

/// Plain text.
pub fn text(r: &Report) -> String {
    Doc::render(r, Style::Text, String::new())
}

/// Markdown.
pub fn markdown(r: &Report) -> String {
    Doc::render(r, Style::Markdown, String::new())
}

/// [`text`] into any `fmt::Write`.
pub fn write_text<W: std::fmt::Write>(r: &Report, out: W) -> W {
    Doc::render(r, Style::Text, out)
}

/// [`markdown`] into any `fmt::Write`.
pub fn write_markdown<W: std::fmt::Write>(r: &Report, out: W) -> W {
    Doc::render(r, Style::Markdown, out)
}
