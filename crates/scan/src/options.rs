//! What a scan is asked to do: its options, its inputs, the progress it reports and why it may
//! not start.

use std::path::PathBuf;
use std::sync::atomic::AtomicU64;

/// How to scan.
#[derive(Clone, Debug)]
pub struct Options {
    /// Report every `0x` + eight-hex-digit value, not only plausible HRESULTs.
    pub all_codes: bool,
    /// Scan files that look binary instead of skipping them.
    pub binary: bool,
    /// Globs for files found in directories: include patterns, and `!pattern` to exclude.
    pub globs: Vec<String>,
    /// Most matches kept in detail (all are counted); 0 keeps all.
    pub max_matches: usize,
    /// Characters of context on each side of a match.
    pub context_chars: usize,
    /// Threads (0: one per CPU).
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            all_codes: false,
            binary: false,
            globs: Vec::new(),
            max_matches: 10_000,
            context_chars: 60,
            threads: 0,
        }
    }
}

/// An input to scan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A file or directory.
    Path(PathBuf),
    /// Standard input.
    Stdin,
}

/// Progress counters, updated while scanning (read them from another thread).
#[derive(Debug, Default)]
pub struct Progress {
    /// Bytes read so far (compressed size for gzip files).
    pub bytes: AtomicU64,
    /// Inputs finished.
    pub files: AtomicU64,
    /// Inputs to scan (known once directories are walked).
    pub total_files: AtomicU64,
    /// Bytes to read, from the files' sizes.
    pub total_bytes: AtomicU64,
}

/// Why a scan could not start.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// A `--glob` pattern is not valid.
    #[error("invalid glob {glob:?}: {source}")]
    Glob {
        /// The pattern.
        glob: String,
        /// What is wrong with it.
        source: globset::Error,
    },
    /// The thread pool could not be built.
    #[error("cannot start the scanning threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
}
