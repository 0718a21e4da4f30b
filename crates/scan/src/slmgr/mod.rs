//! `slmgr.vbs /dli`, `/dlv` and `/xpr` output (English labels), read line by line into per-product
//! license snapshots (`model.rs`: what was printed; `parse.rs`: the reader), and a diagnosis of each
//! snapshot ([`diagnose`]: typed findings, worded by [`crate::phrases`]).

mod diagnose;
mod model;
mod parse;

pub use diagnose::{Diagnosis, days, diagnose};
pub use model::{KmsClient, KmsHost, LicenseState, Snapshot, UNKNOWN_STATE, state_id};
pub use parse::{SlmgrParser, parse};

#[cfg(test)]
mod tests;
