//! The errors of the library. Findings about the network are not errors: they are in the report.

/// Errors of the library. Findings about the network are not errors: they are in the report.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The async runtime could not start.
    #[error("cannot start the network runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// A file could not be read.
    #[error("cannot read {what}")]
    Read {
        /// What was being read.
        what: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A code named by `--explain` has no checks, or is unknown.
    #[error("{0}")]
    NoChecks(String),
}
