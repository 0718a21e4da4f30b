//! Errors of the core library.

use thiserror::Error;

/// Why a string is not an error code.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ParseCodeError {
    /// Nothing but white space was given.
    #[error("no code given: the input is empty")]
    Empty,
    /// Longer than any way of writing a 32-bit code.
    #[error("{len} characters is too long for one error code")]
    TooLong {
        /// Length of the trimmed input in bytes.
        len: usize,
    },
    /// `0x` followed by something other than hex digits.
    #[error("{input:?} starts with 0x but is not followed by hex digits only")]
    InvalidHex {
        /// The trimmed input.
        input: String,
    },
    /// A number that does not fit in 32 bits.
    #[error("{input:?} does not fit in 32 bits (codes go from 0x00000000 to 0xFFFFFFFF)")]
    OutOfRange {
        /// The trimmed input.
        input: String,
    },
    /// Not a number in any supported form.
    #[error(
        "{input:?} is not an error code (expected forms: 0xC004F074, C004F074, -1073418124, 3221549172)"
    )]
    Unrecognised {
        /// The trimmed input.
        input: String,
    },
}

/// Why a language tag was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unsupported language {0:?}: use en or zh-TW")]
pub struct ParseLangError(pub String);
