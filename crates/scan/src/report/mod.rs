//! The scan report: its model ([`ScanReport`] and its parts, the JSON wire format) and how a
//! [`Scan`]'s language-free results become one.

mod build;
pub(crate) mod model;

pub(crate) use build::InputResult;
pub use build::Scan;
pub use model::*;
