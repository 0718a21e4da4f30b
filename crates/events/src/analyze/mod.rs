//! From events to the client and host reports, in bounded memory.
//!
//! Host events (12290) are aggregated as they arrive (per client, per CMID, per code), so a log
//! of millions of requests needs memory proportional to the number of distinct clients only.
//! Client events (12288/12289) are kept (up to [`MAX_CLIENT_EVENTS`]) because pairing needs them
//! in time order.
//!
//! One idea per file: `options` (limits, [`Options`], [`SkipReason`]), `report` (the serialized
//! [`Report`], its rows and [`ReportFinding`]), `driver` ([`Analyzer`]: filters, dispatch, the
//! report), `host` (12290 aggregation, the count against the thresholds in its 30-day window,
//! DNS publishing), `store` (the packed per-client state), `rows` (client rows in report order),
//! `client` (12288/12289 pairing), `spp` (the other Software Protection events per client, and
//! whether each failure was transient), `findings` (what needs attention; sentences in
//! `phrases.rs`), `advice` (the next commands of each finding, marked from the commands table).

mod advice;
mod client;
mod driver;
mod findings;
pub(crate) mod host;
mod options;
mod products;
mod report;
mod rows;
mod spp;
mod store;
#[cfg(test)]
mod tests;

pub use advice::marked;
pub use driver::Analyzer;
pub use options::*;
pub use products::{FamilyCount, ProductCount};
pub use report::*;
pub use rows::ClientRows;
pub use spp::{FailureOutcome, IdCount, SppClient, SppRow, SppView};
