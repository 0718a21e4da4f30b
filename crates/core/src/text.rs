//! Guessing how a byte stream from a Windows machine is encoded.
//!
//! Windows tools write UTF-16 (PowerShell 5.1's `>`, `cscript //U`, `wevtutil`), often with a
//! byte-order mark and sometimes without; everything else volact reads is UTF-8. [`sniff`] is the
//! one place that decides, so every reader (explain's stdin, scan, events, collect) agrees.

/// The encodings volact tells apart by looking at the start of a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    /// UTF-8 (also the answer when nothing points to UTF-16).
    Utf8,
    /// UTF-16, little endian (what Windows writes).
    Utf16Le,
    /// UTF-16, big endian.
    Utf16Be,
}

impl TextEncoding {
    /// The usual name: `UTF-8`, `UTF-16LE`, `UTF-16BE`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf16Le => "UTF-16LE",
            Self::Utf16Be => "UTF-16BE",
        }
    }
}

/// How many bytes of the head [`sniff`] looks at for the zero-byte pattern.
pub const SNIFF_LEN: usize = 4096;

/// Guesses the encoding from the head of a stream: a byte-order mark first, then the pattern of
/// zero bytes that UTF-16 text in the ASCII range leaves (at least 70 % of one half zero, under
/// 10 % of the other), else UTF-8. Returns the encoding and the length of the byte-order mark
/// (0 when there is none).
///
/// ```
/// use volact_core::text::{sniff, TextEncoding};
/// assert_eq!(sniff(b"\xFF\xFEa\0"), (TextEncoding::Utf16Le, 2));
/// assert_eq!(sniff(b"0\0x\0C\x000\0"), (TextEncoding::Utf16Le, 0));
/// assert_eq!(sniff(b"0xC004F074"), (TextEncoding::Utf8, 0));
/// ```
pub fn sniff(head: &[u8]) -> (TextEncoding, usize) {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return (TextEncoding::Utf8, 3);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return (TextEncoding::Utf16Le, 2);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return (TextEncoding::Utf16Be, 2);
    }
    let n = head.len().min(SNIFF_LEN) & !1;
    if n >= 4 {
        let even_zero = head[..n].iter().step_by(2).filter(|b| **b == 0).count();
        let odd_zero = head[1..n].iter().step_by(2).filter(|b| **b == 0).count();
        let half = n / 2;
        if odd_zero * 10 >= half * 7 && even_zero * 10 < half {
            return (TextEncoding::Utf16Le, 0);
        }
        if even_zero * 10 >= half * 7 && odd_zero * 10 < half {
            return (TextEncoding::Utf16Be, 0);
        }
    }
    (TextEncoding::Utf8, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_win() {
        assert_eq!(sniff(b"\xEF\xBB\xBFabc"), (TextEncoding::Utf8, 3));
        assert_eq!(sniff(b"\xFE\xFF\0a"), (TextEncoding::Utf16Be, 2));
    }

    #[test]
    fn zero_patterns() {
        let le: Vec<u8> = "Error 0xC004F074"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "Error 0xC004F074"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(sniff(&le), (TextEncoding::Utf16Le, 0));
        assert_eq!(sniff(&be), (TextEncoding::Utf16Be, 0));
        assert_eq!(
            sniff(&[0; 64]),
            (TextEncoding::Utf8, 0),
            "all zeros is not text"
        );
        assert_eq!(sniff(b"ab"), (TextEncoding::Utf8, 0), "too short to tell");
    }
}
