//! A fast path for the records of one EVTX chunk: reads the substitution values of each record's
//! template instance directly, without rendering XML.
//!
//! Windows writes every record as a template instance: the template (the `<Event>` tree with
//! placeholders) is defined once per chunk, and each record carries only its values. This module
//! walks each template definition once to learn which placeholder feeds `Provider/@Name`,
//! `EventID`, `Channel`, `Computer` and the `EventData/Data` (or `UserData`) items, then reads just
//! those values from each record. Non-activation records cost a few bounds-checked reads.
//!
//! Anything unusual (nested BinXML values, arrays, mixed content, unknown tokens, inconsistent
//! sizes) makes `read_chunk` return `Err`; the caller then reads the whole chunk with the `evtx`
//! crate instead, so the fast path never changes results, only speed.
//!
//! Host requests (12290) whose data items are string values go through a typed lane
//! (`lane_12290`): fields parsed where they are in the UTF-16 values, CMID and Activation ID as
//! 128-bit values, no allocation. It declines anything unusual, and the record is then typed
//! through its data items and `parse_data` like every other event; property tests check that it
//! types exactly as `parse_data` does.
//!
//! Files: `binxml` (template definitions and nested BinXML fragments), `chunk` (the walk over a
//! chunk's records), `lane` (the typed 12290 lane), `value` (bounds-checked reads, UTF-16 text,
//! data items and value texts).

mod binxml;
mod chunk;
mod lane;
#[cfg(test)]
mod tests;
mod value;

pub(crate) use chunk::{Batch, Item, read_chunk_items};
