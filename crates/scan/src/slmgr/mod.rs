//! `slmgr.vbs /dli`, `/dlv`, `/xpr`, `/ato` and `ospp.vbs /dstatus`, `/act` output, in any
//! language of the label tables (`crates/scan/labels/`), read line by line into per-product
//! license snapshots (`model.rs`: what was printed; `parse.rs`: the reader; `labels.rs`: the
//! tables; `rows.rs`: the English lines; `ospp.rs`: Office; `shapes.rs`: values read by their
//! shape), and a diagnosis of each snapshot ([`diagnose`]: typed findings, worded by
//! [`crate::phrases`]).

mod diagnose;
mod known;
mod labels;
mod model;
mod ospp;
mod parse;
mod rows;
mod shapes;

pub use diagnose::{Diagnosis, KeyChannel, days, diagnose};
pub use known::{Edition, HostKey, NamedBy};
pub use model::{
    AdClient, KmsClient, KmsHost, LicenseState, Product, Snapshot, UNKNOWN_STATE, state_id,
};
pub use parse::{SlmgrParser, parse};

/// The languages of the label tables (BCP-47 tags), English first.
pub fn languages() -> impl Iterator<Item = &'static str> {
    labels::TABLES.iter().map(|t| t.0)
}

/// Words that mark slmgr or ospp output in any language of the label tables: a block of text
/// holding none of them holds no snapshot (for the scan engine's block filter).
pub fn markers() -> Vec<&'static str> {
    let mut m = labels::markers();
    m.extend(ospp::MARKERS);
    m
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_lang;
#[cfg(test)]
mod tests_products;
#[cfg(test)]
mod tests_real;
