//! Product keys: shape checks and redaction.
//!
//! A Windows product key is five groups of five characters joined by ASCII hyphens
//! (`XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`). Keys use a 24-character alphabet without the letters and
//! digits that are easy to confuse (no A, E, I, L, O, S, U, Z, 0, 1, 5), plus `N`, which appears in
//! keys since Windows 8. Keys are secrets: nothing in this module keeps, logs or prints a whole key;
//! [`redact`] keeps only the last five characters, which is what Windows itself shows as the
//! "partial product key".
//!
//! Related codes: 0xC004F050 (the key is not valid) and 0x80070490 (a mistyped MAK).

mod describe;
mod find;
mod shape;
mod unit;

pub use describe::{KeyReport, RELATED_CODES, report};
pub use find::{MAX_KEY_SPAN, find_keys, redact_keys_counted, redact_keys_in};
pub use shape::{ALPHABET, KeyCheck, KeyIssue, check, redact};

#[cfg(test)]
mod tests;
