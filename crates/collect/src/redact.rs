//! Product-key redaction before anything reaches the bundle.
//!
//! Text goes through [`volact_core::key::redact_keys_in`]. Binary files (event logs) are masked in
//! place, byte for byte, so their structure and every offset stay valid: keys are looked for both
//! as UTF-16LE (how Windows stores strings in .evtx files) and as bytes, in the same forms as in
//! text, and all but their last five characters become `*`.

use volact_core::key::redact_keys_counted;

/// Redacts the keys in `text` (any form [`volact_core::key::redact_keys_in`] knows: full width,
/// spaces for dashes, escapes...); returns the new text and how many keys were masked.
pub(crate) fn redact_text(text: &str) -> (String, usize) {
    let (s, n) = redact_keys_counted(text);
    (s.into_owned(), n)
}

/// Masks product keys in binary data, in place; returns how many were masked.
///
/// The data is read as UTF-16LE code units (both alignments) and then as single bytes, each unit
/// one character, and keys are found by [`volact_core::key::redact_keys_counted`] in every form it
/// knows that text in a binary file can take (full width, look-alike dashes, spaces for dashes,
/// tab or line breaks, zero-width characters, glued to other text). Each hidden character's unit
/// becomes `*`; nothing else changes, so the file's structure and every offset stay valid.
/// Escape characters (`\\`, `%`, `&`) and control characters other than tab and line breaks are
/// read as plain punctuation here: in binary data they are structure, not text.
pub(crate) fn redact_bytes(data: &mut [u8]) -> usize {
    redact_units(data, 2, 0) + redact_units(data, 2, 1) + redact_units(data, 1, 0)
}

/// Units decoded and redacted at a time (plus the overlap a key needs).
const CHUNK_UNITS: usize = 1 << 20;

/// The character unit `i` (from byte `phase`) stands for, one character per unit.
fn unit_char(data: &[u8], at: usize, width: usize) -> char {
    let v = if width == 2 {
        u32::from(u16::from_le_bytes([data[at], data[at + 1]]))
    } else {
        u32::from(data[at])
    };
    let c = match char::from_u32(v) {
        Some(c) if width == 2 || c.is_ascii() => c,
        _ => return '#',
    };
    if matches!(c, '\\' | '%' | '&') || (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        '#'
    } else {
        c
    }
}

/// `width` 1: bytes; 2: UTF-16LE code units starting at byte `phase`.
fn redact_units(data: &mut [u8], width: usize, phase: usize) -> usize {
    if data.len() < phase + 29 * width {
        return 0;
    }
    let units = (data.len() - phase) / width;
    let overlap = volact_core::key::MAX_KEY_SPAN;
    let mut count = 0;
    let mut start = 0;
    while start < units {
        let ext = (start + CHUNK_UNITS + overlap).min(units);
        let text: String = (start..ext)
            .map(|u| unit_char(data, phase + u * width, width))
            .collect();
        // Byte offset in `text` of each unit (characters may take several bytes).
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        // Where this piece ends: before the overlap, and never inside a key.
        let mut cut = if ext == units {
            offsets.len()
        } else {
            offsets.len() - overlap
        };
        let cut_byte = |k: usize| offsets.get(k).copied().unwrap_or(text.len());
        for span in volact_core::key::find_keys(&text).iter().rev() {
            if span.start < cut_byte(cut) && cut_byte(cut) < span.end {
                cut = offsets.partition_point(|&o| o < span.start);
            }
        }
        let piece = &text[..cut_byte(cut)];
        let (red, n) = volact_core::key::redact_keys_counted(piece);
        if n > 0 {
            count += n;
            for (k, (o, r)) in piece.chars().zip(red.chars()).enumerate() {
                if r == '*' && o != '*' {
                    let at = phase + (start + k) * width;
                    data[at] = b'*';
                    if width == 2 {
                        data[at + 1] = 0;
                    }
                }
            }
        }
        start += cut.max(1);
    }
    count
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
        let mut data =
            b"ABCDEF-GHIJ-KLMNO-PQRST-UVWXY e23b33b0-c8c9-472c-a5f9-f2bdfea0f156".to_vec();
        let before = data.clone();
        assert_eq!(redact_bytes(&mut data), 0);
        assert_eq!(data, before);
    }

    #[test]
    fn other_forms_in_binary_are_masked_in_place() {
        let forms = [
            format!("X{KEY}foo"),
            "NPPR9 FWDCX D2C8J H872K 2YT43".to_owned(),
            "ＮＰＰＲ９－ＦＷＤＣＸ－Ｄ２Ｃ８Ｊ－Ｈ８７２Ｋ－２ＹＴ４３".to_owned(),
            "NPPR9\u{2013}FWDCX\t-D2C8J-H872K-2YT43".to_owned(),
        ];
        for form in &forms {
            for utf16 in [false, true] {
                if !utf16 && !form.is_ascii() {
                    continue;
                }
                let mut data = vec![0u8, 1, 0xFF];
                if utf16 {
                    data.extend(form.encode_utf16().flat_map(u16::to_le_bytes));
                } else {
                    data.extend_from_slice(form.as_bytes());
                }
                data.extend_from_slice(&[0, 0, 7, 0xFE]);
                let len = data.len();
                assert!(redact_bytes(&mut data) >= 1, "{form}");
                assert_eq!(data.len(), len);
                let text: String = if utf16 {
                    char::decode_utf16(
                        data[3..len - 4]
                            .chunks(2)
                            .map(|c| u16::from_le_bytes([c[0], c[1]])),
                    )
                    .map(|c| c.unwrap_or('?'))
                    .collect()
                } else {
                    String::from_utf8_lossy(&data).into_owned()
                };
                for group in ["FWDCX", "D2C8J", "ＦＷＤＣＸ"] {
                    assert!(!text.contains(group), "{form}: {text}");
                }
            }
        }
    }

    #[test]
    fn keys_across_piece_boundaries_are_masked() {
        // Keys at every offset around the piece size.
        let mut data = Vec::new();
        let mut n = 0;
        while data.len() < 2 * CHUNK_UNITS + 4096 {
            data.extend_from_slice(&vec![b'.'; n % 13]);
            data.extend_from_slice(KEY.as_bytes());
            data.push(b'.');
            n += 1;
        }
        assert_eq!(redact_bytes(&mut data), n);
        assert!(!contains(&data, b"FWDCX"));
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }
}
