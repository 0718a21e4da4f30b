//! Byte streams in any encoding Windows tools write (UTF-8, UTF-16 LE/BE with or without BOM) to
//! UTF-8, incrementally, and lines of bounded length: the one reader of `volact_core::text`.

use std::io::{self, BufRead};

/// Wraps a reader and yields UTF-8, sniffing the encoding from a BOM or from NUL-byte patterns
/// (see [`volact_core::text::Utf8Reader`]).
pub use volact_core::text::Utf8Reader;

/// Longest line handed to a text reader; the rest of a longer line is dropped (and counted).
pub const MAX_LINE: usize = volact_core::text::MAX_LINE;

/// Reads one line (without its terminator) into `line`, keeping at most [`MAX_LINE`] bytes (a
/// longer line is cut where no code is split, see [`volact_core::text::cut_point`]).
/// Returns `Ok(None)` at end of input, otherwise whether the line was cut.
pub fn read_line_bounded<R: BufRead>(r: &mut R, line: &mut Vec<u8>) -> io::Result<Option<bool>> {
    volact_core::text::read_line_bounded(r, line, MAX_LINE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_input_and_lines() {
        let big = "x".repeat(200_000) + "\nshort\r\n";
        let mut r = Utf8Reader::new(big.as_bytes());
        let mut line = Vec::new();
        assert_eq!(read_line_bounded(&mut r, &mut line).unwrap(), Some(true));
        // Cut by the one rule of `volact_core::text` within the first MAX_LINE bytes.
        let at = volact_core::text::cut_point(&big.as_bytes()[..MAX_LINE], MAX_LINE);
        assert_eq!(line, &big.as_bytes()[..at]);
        assert!(at <= MAX_LINE && at > 0);
        assert_eq!(read_line_bounded(&mut r, &mut line).unwrap(), Some(false));
        assert_eq!(line, b"short");
        assert_eq!(read_line_bounded(&mut r, &mut line).unwrap(), None);
    }
}
