//! The problems met while reading a bundle, typed: [`BundleWarning`] and why a member was not read
//! ([`Refusal`]). Their sentences are in `phrases.rs` ([`BundleWarning::message`]).

use serde::Serialize;

/// Why a member of a bundle was not read. Serialised with a stable `reason` (snake case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Refusal {
    /// It expands to more than the limit for one file.
    FileLimit {
        /// The limit, in bytes.
        limit: u64,
    },
    /// Reading it would pass the limit for the whole bundle.
    TotalLimit {
        /// The limit, in bytes.
        limit: u64,
    },
    /// It expands far more than real data does (a "zip bomb").
    Ratio {
        /// The limit on decompressed ÷ compressed size.
        limit: u64,
    },
    /// It is itself an archive; archives inside a bundle are not opened.
    NestedArchive {
        /// `zip`, `gzip`, `bzip2`, `xz`, `zstd` or `7z`.
        format: &'static str,
    },
    /// The manifest lists it more than once; it was read once.
    Duplicate,
}

/// A problem met while reading a bundle. Serialised with a stable `kind` (snake case) and its
/// details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum BundleWarning {
    /// Product keys were found unredacted in a file and masked.
    KeysMasked {
        /// The file in the bundle.
        file: String,
        /// How many, when counted.
        count: Option<usize>,
    },
    /// The manifest lists a file the zip does not hold.
    Missing {
        /// The file in the bundle.
        file: String,
        /// The step that listed it.
        step: String,
    },
    /// A file could not be read and was skipped (`error` is in English).
    Skipped {
        /// The file in the bundle.
        file: String,
        /// Why.
        error: String,
    },
    /// A JSON file is not valid JSON and was ignored.
    NotJson {
        /// The file in the bundle.
        file: String,
    },
    /// A file was not read because it breaks a limit or is an archive; the rest of the bundle
    /// was read.
    Refused {
        /// The file in the bundle.
        file: String,
        /// Why.
        #[serde(flatten)]
        why: Refusal,
    },
    /// The manifest lists more files than a bundle can hold; the rest were not looked at.
    TooManyFiles {
        /// Files not looked at.
        count: usize,
        /// The limit.
        limit: usize,
    },
}
