//! Errors of writing and reading bundles.

use std::path::PathBuf;

/// Why a bundle could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// A file could not be created, read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a readable zip archive.
    #[error("{path}: not a readable zip archive: {source}")]
    Zip {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: zip::result::ZipError,
    },
    /// The archive has no `manifest.json`, or it is not a volact manifest.
    #[error("{path}: not a volact bundle: {reason}")]
    NotABundle {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The bundle was written by a newer volact with a format this one does not read.
    #[error(
        "{path}: bundle format version {found} is newer than this volact reads ({supported}); update volact"
    )]
    NewerFormat {
        /// The file.
        path: PathBuf,
        /// The version in the manifest.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// A recording directory (recorded collector outputs) is unusable.
    #[error("{path}: bad recording: {reason}")]
    BadRecording {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}
