//! Product-key redaction before anything reaches the bundle.
//!
//! Text goes through [`volact_core::key::redact_keys_in`]. Binary files (event logs) are masked in
//! place, byte for byte, so their structure and every offset stay valid: key-shaped runs are looked
//! for both as ASCII and as UTF-16LE (how Windows stores strings in .evtx files) and all but their
//! last five characters become `*`.

use volact_core::key::redact_keys_counted;

/// Redacts the keys in `text` (any form [`volact_core::key::redact_keys_in`] knows: full width,
/// spaces for dashes, escapes...); returns the new text and how many keys were masked.
pub(crate) fn redact_text(text: &str) -> (String, usize) {
    let (s, n) = redact_keys_counted(text);
    (s.into_owned(), n)
}

/// Masks key-shaped runs in binary data, in place; returns how many were masked.
pub(crate) fn redact_bytes(data: &mut [u8]) -> usize {
    redact_units(data, 1) + redact_units(data, 2)
}

/// `width` 1: ASCII bytes; 2: UTF-16LE code units (high byte zero).
fn redact_units(data: &mut [u8], width: usize) -> usize {
    // Reads unit `i` (index in units from byte offset `base`) as an ASCII byte, if it is one.
    let unit = |data: &[u8], pos: usize| -> Option<u8> {
        if pos + width > data.len() {
            return None;
        }
        let b = data[pos];
        if width == 2 && data[pos + 1] != 0 {
            return None;
        }
        b.is_ascii().then_some(b)
    };
    let key_len = 29; // 5 x 5 + 4 dashes
    let mut count = 0;
    for phase in 0..width {
        let mut pos = phase;
        while pos + key_len * width <= data.len() {
            let prev_is_alnum =
                pos >= width && unit(data, pos - width).is_some_and(|b| b.is_ascii_alphanumeric());
            if !prev_is_alnum && matches_key(data, pos, width, &unit) {
                let after = pos + key_len * width;
                let next_is_alnum = unit(data, after).is_some_and(|b| b.is_ascii_alphanumeric());
                if !next_is_alnum {
                    for k in 0..24 {
                        let p = pos + k * width;
                        if data[p] != b'-' {
                            data[p] = b'*';
                        }
                    }
                    count += 1;
                    pos = after;
                    continue;
                }
            }
            pos += width;
        }
    }
    count
}

fn matches_key(
    data: &[u8],
    pos: usize,
    width: usize,
    unit: &impl Fn(&[u8], usize) -> Option<u8>,
) -> bool {
    (0..29).all(|k| {
        let Some(b) = unit(data, pos + k * width) else {
            return false;
        };
        if k % 6 == 5 {
            b == b'-'
        } else {
            b.is_ascii_alphanumeric()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "NPPR9-FWDCX-D2C8J-H872K-2YT43";

    #[test]
    fn text_is_redacted_and_counted() {
        let (s, n) = redact_text(&format!("Key: {KEY}\nagain {KEY}\n"));
        assert_eq!(n, 2);
        assert!(!s.contains("NPPR9"));
        assert!(s.contains("*****-*****-*****-*****-2YT43"));
        assert_eq!(redact_text("no key here").1, 0);
        // Every form is counted (the bundle reader replaces a file's text only when the count
        // is not zero).
        let (s, n) =
            redact_text("a NPPR9 FWDCX D2C8J H872K 2YT43 b ＮＰＰＲ９－FWDCX-D2C8J-H872K-2YT43");
        assert_eq!(n, 2, "{s}");
        assert!(!s.contains("FWDCX"), "{s}");
    }

    #[test]
    fn ascii_and_utf16_in_binary_are_masked_in_place() {
        let mut data = b"\x00\x01head ".to_vec();
        data.extend_from_slice(KEY.as_bytes());
        data.extend_from_slice(b" \xff");
        data.extend(KEY.encode_utf16().flat_map(u16::to_le_bytes));
        data.extend_from_slice(&[0, 0, 7]);
        let len = data.len();
        assert_eq!(redact_bytes(&mut data), 2);
        assert_eq!(data.len(), len);
        let ascii = String::from_utf8_lossy(&data);
        assert!(ascii.contains("*****-*****-*****-*****-2YT43"));
        assert!(!ascii.contains("NPPR9"));
        let wide: Vec<u8> = "*****-*****-*****-*****-2YT43"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(data.windows(wide.len()).any(|w| w == wide));
        let orig: Vec<u8> = "NPPR9".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(!data.windows(orig.len()).any(|w| w == orig));
    }

    #[test]
    fn longer_runs_are_not_keys() {
        let mut data = format!("X{KEY}").into_bytes();
        assert_eq!(redact_bytes(&mut data), 0);
    }
}
