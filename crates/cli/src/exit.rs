//! Exit codes, documented in the README and in `volact --help`. Scripts may rely on them.

use std::fmt;

/// The process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Exit {
    /// Everything found is fully explained / the key is exactly right.
    Ok = 0,
    /// Something needs attention: a code not in the knowledge base, no search hit, a key problem.
    Attention = 1,
    /// Bad arguments.
    Usage = 2,
    /// No error code found in the input.
    NothingFound = 3,
    /// The input could not be read.
    Io = 4,
}

/// An error that carries the exit code it should produce.
#[derive(Debug)]
pub(crate) struct Failure(pub(crate) Exit, pub(crate) String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.1)
    }
}

impl std::error::Error for Failure {}
