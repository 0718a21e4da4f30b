//! Unit tests of the analysis: host aggregation, report order, and the packed state's layout.

mod commands;
mod findings;
mod host;
mod layout;
mod products;
mod report_order;
mod spp;
