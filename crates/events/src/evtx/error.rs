//! Why an `.evtx` input could not be read, and how its records are read ([`ReadMode`]).

/// Bytes in the file header block; chunks start after it.
pub const FILE_HEADER: u64 = 4096;

/// Why a `.evtx` input could not be read at all (its file header is missing or not one).
/// Anything after the file header is read as far as it goes and reported in warnings instead.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError {
    /// The input ends inside the 4,096-byte file header.
    HeaderCut {
        /// Bytes the input holds.
        len: u64,
    },
    /// The input does not start with the `ElfFile` signature.
    NotEvtx,
    /// Reading failed before the file header was complete.
    Io {
        /// Bytes read before the error.
        at: u64,
        /// The system's message.
        error: String,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(volact_core::Lang::En))
    }
}

impl std::error::Error for ReadError {}

/// How the records of chunks holding activation events are read. Every mode gives the same
/// report (damaged chunks, those whose checksums are wrong, are read by the `evtx` crate in
/// every mode); tests compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadMode {
    /// Rendered to XML by the `evtx` crate and read back (the slowest, the reference).
    Rendered,
    /// Template values read directly, every record typed through its data items.
    Values,
    /// Like `Values`, and 12290 requests of the usual layout typed straight from their UTF-16
    /// values without allocating (the default).
    Typed,
}
